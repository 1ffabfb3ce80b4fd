//! The on-disk TOML shape of knowledge-base files, exactly as written by hand.
//!
//! Every `*.toml` file may hold any of these tables; [`crate::load`] merges and validates them.

use crate::vocab::{
    Category, FindingKind, Goal, Region, RuleKind, Sex, TreatmentKind, TriageLevel,
};
use serde::Deserialize;
use toml::Spanned;

/// One knowledge-base file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    #[serde(default)]
    pub meta: Option<Spanned<RawMeta>>,
    #[serde(default)]
    pub source: Vec<Spanned<RawSource>>,
    #[serde(default)]
    pub group: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    pub finding: Vec<Spanned<RawFinding>>,
    #[serde(default)]
    pub condition: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    pub exercise: Vec<Spanned<RawExercise>>,
    #[serde(default)]
    pub treatment: Vec<Spanned<RawTreatment>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub version: String,
    pub emergency_number: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub authors: Option<String>,
    #[serde(default)]
    pub publication: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: String,
    pub question: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub exclusive: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFinding {
    pub id: String,
    pub name: String,
    pub kind: FindingKind,
    #[serde(default)]
    pub region: Option<Region>,
    #[serde(default)]
    pub group: Option<String>,
    pub question: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub absent_phrases: Vec<String>,
    /// Duration findings: `[min, max)` in days.
    #[serde(default)]
    pub days: Option<[f64; 2]>,
    /// A stated body temperature in `[min, max)` degrees Celsius reports this finding.
    #[serde(default)]
    pub temperature_c: Option<[f64; 2]>,
    /// A stated 0-10 pain score in `[min, max)` reports this finding.
    #[serde(default)]
    pub pain_score: Option<[f64; 2]>,
    /// Said of a relative ("my mum had cancer"), the mention reports this finding about the person instead
    /// (e.g. a family history).
    #[serde(default)]
    pub family_history: Option<String>,
    /// Only people of this sex can have the finding (e.g. contractions); the interview does not ask others.
    #[serde(default)]
    pub sex: Option<Sex>,
}

/// Where a number comes from.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitation {
    #[serde(default)]
    pub cite: Vec<String>,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub rationale: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub id: String,
    pub name: String,
    pub clinical_name: String,
    #[serde(default)]
    pub icd10: Vec<String>,
    pub category: Category,
    pub region: Region,
    pub urgency: TriageLevel,
    pub threshold: f64,
    #[serde(default)]
    pub threshold_cite: Option<RawCitation>,
    #[serde(default)]
    pub summary: Option<String>,
    pub prior: Spanned<RawPrior>,
    #[serde(default)]
    pub lr: Vec<Spanned<RawLr>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrior {
    #[serde(default)]
    pub cite: Vec<String>,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub rationale: Option<String>,
    pub bands: Vec<Spanned<RawPriorBand>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPriorBand {
    pub age: String,
    pub female: f64,
    pub male: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLr {
    pub finding: String,
    #[serde(default)]
    pub lr_pos: Option<f64>,
    #[serde(default)]
    pub lr_neg: Option<f64>,
    #[serde(default)]
    pub sensitivity: Option<f64>,
    #[serde(default)]
    pub specificity: Option<f64>,
    #[serde(default)]
    pub cite: Vec<String>,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub rationale: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: String,
    pub kind: RuleKind,
    pub level: TriageLevel,
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub any: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
    #[serde(default)]
    pub min_age: Option<i64>,
    #[serde(default)]
    pub max_age: Option<i64>,
    #[serde(default)]
    pub sex: Option<Sex>,
    pub text: String,
    #[serde(default)]
    pub cite: Vec<String>,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub rationale: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContraindications {
    #[serde(default)]
    pub findings: Vec<String>,
    #[serde(default)]
    pub conditions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExercise {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub regions: Vec<Region>,
    pub goal: Goal,
    #[serde(default)]
    pub steps: Vec<String>,
    pub dose: String,
    #[serde(default)]
    pub progression: Option<String>,
    #[serde(default)]
    pub regression: Option<String>,
    #[serde(default)]
    pub suits: Vec<String>,
    #[serde(default)]
    pub contraindications: RawContraindications,
    #[serde(default)]
    pub cite: Vec<String>,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub rationale: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTreatment {
    pub id: String,
    pub kind: TreatmentKind,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub regions: Vec<Region>,
    pub text: String,
    #[serde(default)]
    pub contraindications: RawContraindications,
    #[serde(default)]
    pub cite: Vec<String>,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub rationale: Option<String>,
}
