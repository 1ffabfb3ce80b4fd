//! Validated input -> text intake -> engine -> result object. Shared by every command.

use crate::wire::*;
use dorsum_engine::{Assessment, Evidence, Observation, assess};
use dorsum_intake::{Mention, PhraseIntake, TextIntake};
use dorsum_kb::{Kb, Sex, TriageLevel};

/// Longest accepted description, in bytes (longer text is rejected, not truncated).
pub const MAX_TEXT_BYTES: usize = 10_000;

/// How many ranked conditions a result object lists.
pub const MAX_CONDITIONS: usize = 10;

/// One validated case.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: serde_json::Value,
    pub age: u8,
    pub sex: Sex,
    pub text: String,
}

/// A field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// A JSON number that is a whole, non-negative number (`40` or `40.0`, as JSON Schema's `integer`).
pub fn whole_number(n: &serde_json::Number) -> Option<u64> {
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u32::MAX as f64)
            .map(|f| f as u64)
    })
}

/// Parse an age given as text or JSON.
pub fn parse_age(value: Option<&serde_json::Value>) -> Result<u8, FieldError> {
    let err = |message: String| FieldError {
        field: "age",
        message,
    };
    match value {
        None | Some(serde_json::Value::Null) => Err(err(
            "age is required: a whole number of years from 0 to 120".into(),
        )),
        Some(serde_json::Value::Number(n)) => match whole_number(n) {
            Some(a) if a <= 120 => Ok(a as u8),
            _ => Err(err(format!(
                "age {n} is not a whole number of years from 0 to 120"
            ))),
        },
        Some(serde_json::Value::String(s)) => match s.trim().parse::<u64>() {
            Ok(a) if a <= 120 => Ok(a as u8),
            _ => Err(err(format!(
                "age '{s}' is not a whole number of years from 0 to 120"
            ))),
        },
        Some(other) => Err(err(format!(
            "age {other} is not a whole number of years from 0 to 120"
        ))),
    }
}

/// Parse sex: `female` or `male`.
pub fn parse_sex(value: Option<&serde_json::Value>) -> Result<Sex, FieldError> {
    let err = |message: String| FieldError {
        field: "sex",
        message,
    };
    match value {
        None | Some(serde_json::Value::Null) => Err(err("sex is required: female or male".into())),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .to_ascii_lowercase()
            .parse::<Sex>()
            .map_err(|_| err(format!("sex '{s}' must be female or male"))),
        Some(other) => Err(err(format!(
            "sex {other} must be the string female or male"
        ))),
    }
}

/// Check the description: present, not blank, at most [`MAX_TEXT_BYTES`].
pub fn parse_text(value: Option<&serde_json::Value>) -> Result<String, FieldError> {
    let err = |message: String| FieldError {
        field: "text",
        message,
    };
    match value {
        None | Some(serde_json::Value::Null) => Err(err(
            "text is required: describe the pain in your own words".into(),
        )),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Err(err(
            "text is empty: describe the pain in your own words".into(),
        )),
        Some(serde_json::Value::String(s)) if s.len() > MAX_TEXT_BYTES => Err(err(format!(
            "text is {} bytes; the limit is {MAX_TEXT_BYTES} bytes (shorten it, nothing is cut off for you)",
            s.len()
        ))),
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(err(format!("text must be a string, not {other}"))),
    }
}

/// The loaded knowledge base, the intake built from it, and the care routing in force.
pub struct Dorsum {
    pub kb: Kb,
    pub intake: PhraseIntake,
    /// Where each triage level sends the person (`triage.service`); the default route unless a care file
    /// was given ([`Dorsum::with_care`]).
    pub care: crate::routing::CareRouting,
}

impl Dorsum {
    /// Load the knowledge base from a directory, or the built-in copy when `dir` is `None`.
    pub fn open(dir: Option<&std::path::Path>) -> crate::Result<Self> {
        let kb = match dir {
            None => dorsum_kb::embedded::load_embedded().map_err(|p| {
                crate::Error::Kb(format!("the built-in knowledge base is invalid: {p}"))
            })?,
            Some(dir) => {
                let texts = crate::kb_dir::read_dir(dir)?;
                let files: Vec<dorsum_kb::KbFile<'_>> = texts
                    .iter()
                    .map(|(path, text)| dorsum_kb::KbFile { path, text })
                    .collect();
                dorsum_kb::load(&files).map_err(|p| {
                    crate::Error::Kb(format!(
                        "{p}; run `dorsum kb check {}` for every problem",
                        dir.display()
                    ))
                })?
            }
        };
        let intake = PhraseIntake::new(&kb);
        Ok(Dorsum {
            kb,
            intake,
            care: crate::routing::CareRouting::default(),
        })
    }

    /// Use a clinic's care routing for `triage.service`.
    pub fn with_care(mut self, care: crate::routing::CareRouting) -> Self {
        self.care = care;
        self
    }

    /// The result object with `triage.service` from this instance's care routing.
    pub fn result_json<'a>(
        &'a self,
        case: &'a Case,
        mentions: &[Mention],
        answered: &[Observation],
        a: &'a Assessment,
    ) -> AssessmentJson<'a> {
        let mut json = to_json(&self.kb, case, mentions, answered, a);
        json.triage.service = Some(self.care.route(&self.kb, a.triage.level));
        json
    }

    /// Run one case through intake and engine.
    pub fn run(&self, case: &Case) -> (Vec<Mention>, Assessment) {
        let mentions = self.intake.read(&case.text);
        let evidence = Evidence {
            age: case.age,
            sex: case.sex,
            findings: observations(&mentions),
        };
        let assessment = assess(&self.kb, &evidence);
        (mentions, assessment)
    }

    /// Run one case and build the result object.
    pub fn result_line(&self, case: &Case) -> serde_json::Result<String> {
        let (mentions, a) = self.run(case);
        serde_json::to_string(&self.result_json(case, &mentions, &[], &a))
    }
}

/// What the engine hears from the text: affirmed findings as present, negated ones as absent.
pub fn observations(mentions: &[Mention]) -> Vec<Observation> {
    mentions
        .iter()
        .filter_map(|m| {
            m.assertion.presence().map(|present| Observation {
                finding: m.finding,
                present,
            })
        })
        .collect()
}

/// Plain words for what to do at a triage level.
pub fn action(kb: &Kb, level: TriageLevel) -> String {
    match level {
        TriageLevel::EmergencyAmbulance => format!(
            "Call an ambulance now ({}). Do not drive yourself. If you are alone, unlock the door.",
            kb.meta.emergency_number
        ),
        TriageLevel::Emergency => format!(
            "Go to an emergency department now. If you cannot get there safely, call an ambulance ({}).",
            kb.meta.emergency_number
        ),
        TriageLevel::Consultation24 => "See a doctor within 24 hours: your GP's same-day service, an urgent care centre or an out-of-hours service. If it gets much worse before then, go to an emergency department.".into(),
        TriageLevel::Consultation => "Book an appointment with your GP or a physiotherapist in the next few days to weeks. Use the self-care plan meanwhile, and get help sooner if a new warning sign appears.".into(),
        TriageLevel::SelfCare => "You can look after this at home with the self-care plan. Check again if it is not better within a week, or at once if a new warning sign appears.".into(),
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Build the result object (`triage.service` is the default route; [`Dorsum::result_json`] applies a
/// clinic's care file).
pub fn to_json<'a>(
    kb: &'a Kb,
    case: &'a Case,
    mentions: &[Mention],
    answered: &[Observation],
    a: &'a Assessment,
) -> AssessmentJson<'a> {
    let conditions = a
        .conditions
        .iter()
        .take(MAX_CONDITIONS)
        .enumerate()
        .map(|(rank, rc)| {
            let c = kb.condition(rc.condition);
            let weights = |for_it: bool| -> Vec<WeightJson<'a>> {
                if rank >= 3 {
                    return Vec::new();
                }
                rc.contributions
                    .iter()
                    .filter(|w| (w.ratio > 1.0) == for_it)
                    .map(|w| {
                        let f = kb.finding(w.finding);
                        WeightJson {
                            finding: &f.id,
                            name: &f.name,
                            present: w.present,
                            ratio: round4(w.ratio),
                        }
                    })
                    .collect()
            };
            ConditionJson {
                id: &c.id,
                name: &c.name,
                clinical_name: &c.clinical_name,
                icd10: &c.icd10,
                category: c.category.as_str(),
                probability: round4(rc.probability),
                prior: round4(rc.prior),
                evidence_for: weights(true),
                evidence_against: weights(false),
            }
        })
        .collect();
    let mut findings: Vec<FindingJson<'a>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in mentions {
        if !seen.insert((m.finding, m.assertion)) {
            continue;
        }
        let f = kb.finding(m.finding);
        findings.push(FindingJson {
            id: &f.id,
            name: &f.name,
            present: m.assertion.presence(),
            assertion: m.assertion.as_str(),
            span: Some([m.span.0, m.span.1]),
            side: m.side.map(|s| s.as_str()),
        });
    }
    for o in answered {
        let f = kb.finding(o.finding);
        findings.push(FindingJson {
            id: &f.id,
            name: &f.name,
            present: Some(o.present),
            assertion: if o.present { "affirmed" } else { "negated" },
            span: None,
            side: None,
        });
    }
    AssessmentJson {
        schema: 1,
        kb_version: &kb.version,
        id: case.id.clone(),
        age: case.age,
        sex: case.sex.as_str(),
        text: &case.text,
        triage: TriageJson {
            level: a.triage.level.as_str(),
            action: action(kb, a.triage.level),
            reasons: a
                .triage
                .reasons
                .iter()
                .map(|r| ReasonJson {
                    text: &r.text,
                    rule: &r.rule,
                    source: kb.cite_text(&r.citation),
                    level: r.level.as_str(),
                })
                .collect(),
            service: Some(crate::routing::default_route(
                a.triage.level,
                &kb.meta.emergency_number,
            )),
        },
        region: a.region.as_str(),
        conditions,
        red_flags: a
            .red_flags
            .iter()
            .map(|&i| {
                let r = &kb.rules[i];
                RedFlagJson {
                    id: &r.id,
                    text: &r.text,
                    level: r.level.as_str(),
                }
            })
            .collect(),
        findings,
        self_care: a.self_care.as_ref().map(|sc| SelfCareJson {
            advice: sc
                .advice
                .iter()
                .map(|&i| {
                    let t = &kb.treatments[i];
                    AdviceJson {
                        id: &t.id,
                        kind: t.kind.as_str(),
                        text: &t.text,
                    }
                })
                .collect(),
            exercises: sc
                .exercises
                .iter()
                .map(|&i| {
                    let e = &kb.exercises[i];
                    ExerciseJson {
                        id: &e.id,
                        name: &e.name,
                        goal: e.goal.as_str(),
                        dose: &e.dose,
                    }
                })
                .collect(),
        }),
        interview: None,
        disclaimer: "Dorsum gives information, not a diagnosis. If you are worried, or things get worse, contact a doctor; in an emergency call your emergency number.",
    }
}

/// A stable id for a case given on the command line: a hash of its inputs.
pub fn case_id(age: u8, sex: Sex, text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{age}\u{0}{sex}\u{0}{text}").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("a-{h:016x}")
}
