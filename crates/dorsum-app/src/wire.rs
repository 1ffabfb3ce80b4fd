//! The JSON result object (BRIEF §5, schema 1) and the input line of `assess --jsonl`. Only this module
//! knows the wire format.

use serde::Serialize;
use utoipa::ToSchema;

/// Defines a closed vocabulary for the OpenAPI document only: the wire spellings as a string enum, plus
/// `VALUES` so tests can check them against the real vocabulary.
macro_rules! schema_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }
        impl $name {
            /// Every wire spelling, in order.
            pub const VALUES: &'static [&'static str] = &[$($text),+];
        }
    };
}

/// OpenAPI schemas for the closed vocabularies the result object uses (the values are checked against the
/// knowledge base's and the intake's vocabularies by tests).
pub mod schema {
    use super::*;
    schema_enum! {
        /// Triage level, least urgent first.
        TriageLevel {
            SelfCare => "self_care",
            Consultation => "consultation",
            Consultation24 => "consultation_24",
            Emergency => "emergency",
            EmergencyAmbulance => "emergency_ambulance",
        }
    }
    schema_enum! {
        /// Where the pain is.
        Region { Neck => "neck", Upper => "upper", Lower => "lower", Both => "both" }
    }
    schema_enum! {
        /// Sex, as the priors use it.
        Sex { Female => "female", Male => "male" }
    }
    schema_enum! {
        /// How a mention in the text is meant; only affirmed and negated count for the engine.
        Assertion {
            Affirmed => "affirmed",
            Negated => "negated",
            Uncertain => "uncertain",
            Historical => "historical",
            Hypothetical => "hypothetical",
            OtherPerson => "other_person",
        }
    }
    schema_enum! {
        /// Side of the body.
        Side { Left => "left", Right => "right", Both => "both" }
    }
    schema_enum! {
        /// Broad family of a condition.
        Category {
            Musculoskeletal => "musculoskeletal",
            SeriousSpinal => "serious_spinal",
            NonSpinal => "non_spinal",
        }
    }
    schema_enum! {
        /// What an exercise is for.
        Goal { Mobility => "mobility", Strength => "strength", Relaxation => "relaxation" }
    }
    schema_enum! {
        /// The sort of treatment entry.
        TreatmentKind {
            SelfCare => "self_care",
            Habit => "habit",
            Medication => "medication",
            Clinical => "clinical",
            Explanation => "explanation",
        }
    }
    schema_enum! {
        /// How a question is answered.
        AnswerKind { YesNo => "yes_no", OneOf => "one_of", AnyOf => "any_of", Number => "number" }
    }
    schema_enum! {
        /// Why an interview stopped.
        StopReason {
            Emergency => "emergency",
            Settled => "settled",
            NothingToAsk => "nothing_to_ask",
            QuestionCap => "question_cap",
        }
    }
    schema_enum! {
        /// Where a routed service came from: the clinic's care file or the built-in default.
        ServiceSource { CareFile => "care_file", Default => "default" }
    }
}

/// The versioned result object shared by `assess --format json`, `assess --jsonl` and later commands.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentJson<'a> {
    #[schema(minimum = 1, maximum = 1)]
    pub schema: u32,
    pub kb_version: &'a str,
    /// The case id (a hash of the inputs unless the caller gave one).
    #[schema(value_type = String)]
    pub id: serde_json::Value,
    #[schema(maximum = 120)]
    pub age: u8,
    #[schema(value_type = schema::Sex)]
    pub sex: &'static str,
    pub text: &'a str,
    pub triage: TriageJson<'a>,
    #[schema(value_type = schema::Region)]
    pub region: &'static str,
    /// The ten most likely conditions, most likely first.
    pub conditions: Vec<ConditionJson<'a>>,
    pub red_flags: Vec<RedFlagJson<'a>>,
    pub findings: Vec<FindingJson<'a>>,
    pub self_care: Option<SelfCareJson<'a>>,
    /// The questions asked and answered, when the result came from an interview (`dorsum check`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interview: Option<InterviewJson>,
    pub disclaimer: &'static str,
}

/// An interview's questions and answers, negatives included, in the order asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewJson {
    pub questions: Vec<ExchangeJson>,
    /// Why it stopped: `emergency`, `settled`, `nothing_to_ask` or `question_cap`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::StopReason>)]
    pub stopped: Option<&'static str>,
}

/// One question and the answer given.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeJson {
    pub question: String,
    #[schema(value_type = schema::AnswerKind)]
    pub kind: &'static str,
    /// The findings asked about (ids).
    pub options: Vec<String>,
    /// `yes`, `no`, `dont_know`, `none`, a number, or the chosen finding ids joined by commas.
    pub answer: String,
    /// The warning sign a "yes" would have been, if any (the most urgent level it could raise to).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::TriageLevel>)]
    pub warning_level: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TriageJson<'a> {
    #[schema(value_type = schema::TriageLevel)]
    pub level: &'static str,
    /// What to do, in plain words.
    pub action: String,
    pub reasons: Vec<ReasonJson<'a>>,
    /// Where to go: the clinic service for this level from the care file, or the default route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonJson<'a> {
    pub text: &'a str,
    pub rule: &'a str,
    pub source: String,
    #[schema(value_type = schema::TriageLevel)]
    pub level: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConditionJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub clinical_name: &'a str,
    #[schema(value_type = Vec<String>)]
    pub icd10: &'a [String],
    #[schema(value_type = schema::Category)]
    pub category: &'static str,
    #[schema(minimum = 0, maximum = 1)]
    pub probability: f64,
    #[schema(minimum = 0, maximum = 1)]
    pub prior: f64,
    /// Findings that raised it, strongest first (top three conditions only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_for: Vec<WeightJson<'a>>,
    /// Findings that lowered it, strongest first (top three conditions only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_against: Vec<WeightJson<'a>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeightJson<'a> {
    pub finding: &'a str,
    pub name: &'a str,
    pub present: bool,
    /// The likelihood ratio applied.
    #[schema(minimum = 0)]
    pub ratio: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RedFlagJson<'a> {
    pub id: &'a str,
    pub text: &'a str,
    #[schema(value_type = schema::TriageLevel)]
    pub level: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FindingJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// True or false for affirmed and negated mentions and for answers; null when the engine ignores it.
    pub present: Option<bool>,
    #[schema(value_type = schema::Assertion)]
    pub assertion: &'static str,
    /// Half-open byte offsets into `text`; null when the finding did not come from the text.
    #[schema(value_type = Option<Vec<u32>>, min_items = 2, max_items = 2)]
    pub span: Option<[usize; 2]>,
    /// left, right or both, when the words name a side.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::Side>)]
    pub side: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SelfCareJson<'a> {
    pub advice: Vec<AdviceJson<'a>>,
    pub exercises: Vec<ExerciseJson<'a>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceJson<'a> {
    pub id: &'a str,
    #[schema(value_type = schema::TreatmentKind)]
    pub kind: &'static str,
    pub text: &'a str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    #[schema(value_type = schema::Goal)]
    pub goal: &'static str,
    pub dose: &'a str,
}

/// Where a triage level sends the person (`triage.service`): a clinic's service from its care file, or the
/// default route (emergency number, emergency department, GP, GP or physiotherapist, pharmacist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ServiceJson {
    pub name: String,
    #[schema(value_type = schema::ServiceSource)]
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Opening hours, as the clinic writes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telehealth_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A bad input line of `assess --jsonl`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineErrorJson {
    pub id: serde_json::Value,
    pub line: usize,
    pub error: FieldErrorJson,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorJson {
    pub field: Option<&'static str>,
    pub message: String,
}

/// Where a spreading pain goes.
#[derive(Debug, Serialize, ToSchema)]
pub struct RadiationJson {
    /// The farthest body part named, e.g. `leg_below_knee`, `foot`, `groin`, `chest_band`, `jaw`.
    pub to: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::Side>)]
    pub side: Option<&'static str>,
}

impl RadiationJson {
    /// ` -> foot (left)`, for text output.
    pub fn text(&self) -> String {
        match self.side {
            Some(side) => format!(" -> {} ({side})", self.to),
            None => format!(" -> {}", self.to),
        }
    }
}

/// A finding read from the text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParsedFinding<'a> {
    #[serde(flatten)]
    pub finding: FindingJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub radiation: Option<RadiationJson>,
}

/// A number read from the text (age, temperature, pain score).
#[derive(Debug, Serialize, ToSchema)]
pub struct QuantityJson {
    /// What it measures, e.g. `age`, `temperature_c`, `pain_score`.
    pub kind: &'static str,
    pub value: f64,
    /// Half-open byte offsets into the text.
    #[schema(min_items = 2, max_items = 2)]
    pub span: [usize; 2],
}

/// What the intake understood from a text: each finding with its span and assertion, and the quantities
/// (`dorsum parse` and `POST /api/v1/parse` show the same).
pub fn parsed<'k>(
    kb: &'k dorsum_kb::Kb,
    mentions: &[dorsum_intake::Mention],
    text: &str,
) -> (Vec<ParsedFinding<'k>>, Vec<QuantityJson>) {
    let findings = mentions
        .iter()
        .map(|m| {
            let f = kb.finding(m.finding);
            ParsedFinding {
                finding: FindingJson {
                    id: &f.id,
                    name: &f.name,
                    present: m.assertion.presence(),
                    assertion: m.assertion.as_str(),
                    span: Some([m.span.0, m.span.1]),
                    side: m.side.map(|s| s.as_str()),
                },
                radiation: m.radiation.map(|r| RadiationJson {
                    to: r.to.as_str(),
                    side: r.side.map(|s| s.as_str()),
                }),
            }
        })
        .collect();
    let quantities = dorsum_intake::quantities(text)
        .iter()
        .map(|q| QuantityJson {
            kind: q.kind.as_str(),
            value: q.value,
            span: [q.span.0, q.span.1],
        })
        .collect();
    (findings, quantities)
}

#[cfg(test)]
mod tests {
    use super::schema;

    #[test]
    fn schema_enums_match_the_vocabularies() {
        let names = |all: &[&'static str]| all.to_vec();
        assert_eq!(
            schema::TriageLevel::VALUES,
            names(
                &dorsum_kb::TriageLevel::ALL
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
            )
        );
        assert_eq!(
            schema::Region::VALUES,
            dorsum_kb::Region::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            schema::Sex::VALUES,
            dorsum_kb::Sex::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            schema::Category::VALUES,
            dorsum_kb::Category::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            schema::Goal::VALUES,
            dorsum_kb::Goal::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            schema::TreatmentKind::VALUES,
            dorsum_kb::TreatmentKind::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
        );
        use dorsum_intake::{Assertion as A, Side};
        assert_eq!(
            schema::Assertion::VALUES,
            [
                A::Affirmed,
                A::Negated,
                A::Uncertain,
                A::Historical,
                A::Hypothetical,
                A::OtherPerson
            ]
            .map(|a| a.as_str())
        );
        assert_eq!(
            schema::Side::VALUES,
            [Side::Left, Side::Right, Side::Both].map(|s| s.as_str())
        );
        use dorsum_engine::interview::{AnswerKind as K, StopReason as S};
        assert_eq!(
            schema::AnswerKind::VALUES,
            [K::YesNo, K::OneOf, K::AnyOf, K::Number { min: 0, max: 10 }].map(|k| k.as_str())
        );
        assert_eq!(
            schema::StopReason::VALUES,
            [S::Emergency, S::Settled, S::NothingToAsk, S::QuestionCap].map(|s| s.as_str())
        );
    }
}
