//! The JSON result object (BRIEF §5, schema 1) and the input line of `assess --jsonl`. Only this module
//! knows the wire format.

use serde::Serialize;

/// The versioned result object shared by `assess --format json`, `assess --jsonl` and later commands.
#[derive(Debug, Serialize)]
pub struct AssessmentJson {
    pub schema: u32,
    pub kb_version: String,
    pub id: serde_json::Value,
    pub age: u8,
    pub sex: &'static str,
    pub text: String,
    pub triage: TriageJson,
    pub region: &'static str,
    /// The ten most likely conditions, most likely first.
    pub conditions: Vec<ConditionJson>,
    pub red_flags: Vec<RedFlagJson>,
    pub findings: Vec<FindingJson>,
    pub self_care: Option<SelfCareJson>,
    pub disclaimer: &'static str,
}

#[derive(Debug, Serialize)]
pub struct TriageJson {
    pub level: &'static str,
    /// What to do, in plain words.
    pub action: String,
    pub reasons: Vec<ReasonJson>,
}

#[derive(Debug, Serialize)]
pub struct ReasonJson {
    pub text: String,
    pub rule: String,
    pub source: String,
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ConditionJson {
    pub id: String,
    pub name: String,
    pub clinical_name: String,
    pub icd10: Vec<String>,
    pub category: &'static str,
    pub probability: f64,
    pub prior: f64,
    /// Findings that raised it, strongest first (top three conditions only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_for: Vec<WeightJson>,
    /// Findings that lowered it, strongest first (top three conditions only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_against: Vec<WeightJson>,
}

#[derive(Debug, Serialize)]
pub struct WeightJson {
    pub finding: String,
    pub name: String,
    pub present: bool,
    /// The likelihood ratio applied.
    pub ratio: f64,
}

#[derive(Debug, Serialize)]
pub struct RedFlagJson {
    pub id: String,
    pub text: String,
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FindingJson {
    pub id: String,
    pub name: String,
    pub present: Option<bool>,
    pub assertion: &'static str,
    pub span: Option<[usize; 2]>,
}

#[derive(Debug, Serialize)]
pub struct SelfCareJson {
    pub advice: Vec<AdviceJson>,
    pub exercises: Vec<ExerciseJson>,
}

#[derive(Debug, Serialize)]
pub struct AdviceJson {
    pub id: String,
    pub kind: &'static str,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ExerciseJson {
    pub id: String,
    pub name: String,
    pub goal: &'static str,
    pub steps: Vec<String>,
    pub dose: String,
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
