//! The JSON result object (BRIEF §5, schema 1) and the input line of `assess --jsonl`. Only this module
//! knows the wire format.

use serde::Serialize;

/// The versioned result object shared by `assess --format json`, `assess --jsonl` and later commands.
#[derive(Debug, Serialize)]
pub struct AssessmentJson<'a> {
    pub schema: u32,
    pub kb_version: &'a str,
    pub id: serde_json::Value,
    pub age: u8,
    pub sex: &'static str,
    pub text: &'a str,
    pub triage: TriageJson<'a>,
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
#[derive(Debug, Serialize)]
pub struct InterviewJson {
    pub questions: Vec<ExchangeJson>,
    /// Why it stopped: `emergency`, `settled`, `nothing_to_ask` or `question_cap`.
    pub stopped: &'static str,
}

/// One question and the answer given.
#[derive(Debug, Serialize)]
pub struct ExchangeJson {
    pub question: String,
    pub kind: &'static str,
    /// The findings asked about (ids).
    pub options: Vec<String>,
    /// `yes`, `no`, `dont_know`, `none`, a number, or the chosen finding ids joined by commas.
    pub answer: String,
    /// The warning sign a "yes" would have been, if any (the most urgent level it could raise to).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning_level: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct TriageJson<'a> {
    pub level: &'static str,
    /// What to do, in plain words.
    pub action: String,
    pub reasons: Vec<ReasonJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ReasonJson<'a> {
    pub text: &'a str,
    pub rule: &'a str,
    pub source: String,
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ConditionJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub clinical_name: &'a str,
    pub icd10: &'a [String],
    pub category: &'static str,
    pub probability: f64,
    pub prior: f64,
    /// Findings that raised it, strongest first (top three conditions only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_for: Vec<WeightJson<'a>>,
    /// Findings that lowered it, strongest first (top three conditions only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_against: Vec<WeightJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct WeightJson<'a> {
    pub finding: &'a str,
    pub name: &'a str,
    pub present: bool,
    /// The likelihood ratio applied.
    pub ratio: f64,
}

#[derive(Debug, Serialize)]
pub struct RedFlagJson<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FindingJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub present: Option<bool>,
    pub assertion: &'static str,
    pub span: Option<[usize; 2]>,
    /// left, right or both, when the words name a side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct SelfCareJson<'a> {
    pub advice: Vec<AdviceJson<'a>>,
    pub exercises: Vec<ExerciseJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct AdviceJson<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ExerciseJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub goal: &'static str,
    pub dose: &'a str,
}

/// A bad input line of `assess --jsonl`.
#[derive(Debug, Serialize)]
pub struct LineErrorJson {
    pub id: serde_json::Value,
    pub line: usize,
    pub error: FieldErrorJson,
}

#[derive(Debug, Serialize)]
pub struct FieldErrorJson {
    pub field: Option<&'static str>,
    pub message: String,
}
