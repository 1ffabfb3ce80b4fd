//! What the report and the bundle are made from: the stored records, read-only, and the parts of the saved
//! result object (BRIEF §5) they use.

use dorsum_care::PlanOutcome;
use dorsum_kb::Kb;
use dorsum_store::{DiaryEntry, Export, PegEntry, PsfsEntry, SavedAssessment};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

/// Everything stored for one person, oldest first (the order `Storage::export` and the `list_*` calls give).
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub assessments: &'a [SavedAssessment],
    pub diary: &'a [DiaryEntry],
    pub peg: &'a [PegEntry],
    pub psfs: &'a [PsfsEntry],
}

impl<'a> Records<'a> {
    /// The records of an export (`Storage::export`).
    pub fn from_export(export: &'a Export) -> Records<'a> {
        Records {
            assessments: &export.assessments,
            diary: &export.diary,
            peg: &export.peg,
            psfs: &export.psfs,
        }
    }

    /// The last saved assessment (the one the report is about).
    pub fn latest(&self) -> Option<&'a SavedAssessment> {
        self.assessments.iter().max_by_key(|a| a.created_at)
    }

    /// True when nothing at all is stored.
    pub fn is_empty(&self) -> bool {
        self.assessments.is_empty()
            && self.diary.is_empty()
            && self.peg.is_empty()
            && self.psfs.is_empty()
    }
}

/// The moment and place a report or bundle is made: the caller reads the clock, the functions stay pure.
#[derive(Debug, Clone)]
pub struct Clock {
    pub now: Timestamp,
    /// The person's time zone: saved timestamps become the days they happened on there.
    pub tz: TimeZone,
}

impl Clock {
    /// Today in the person's time zone.
    pub fn today(&self) -> Date {
        self.now.to_zoned_datetime(self.tz.clone()).date()
    }

    /// The day a timestamp falls on in the person's time zone.
    pub fn day_of(&self, ts: Timestamp) -> Date {
        ts.to_zoned_datetime(self.tz.clone()).date()
    }
}

/// Everything [`crate::Report::build`] needs.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub kb: &'a Kb,
    pub records: Records<'a>,
    /// The plan made from the latest assessment (e.g. `dorsum_app::care::plan_from_saved`), if any.
    pub plan: Option<&'a PlanOutcome>,
    pub clock: &'a Clock,
}

/// Why a report or bundle cannot be made. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The report is about an assessment, and there is none.
    #[error(
        "no saved assessment yet: run `dorsum check` (or `dorsum assess --text ...`) first, then make the report"
    )]
    NoAssessment,
    /// Nothing stored at all: no bundle to make.
    #[error(
        "nothing to export yet: run `dorsum check` and keep the diary (`dorsum diary add --pain N`) first"
    )]
    NothingToExport,
    /// The saved result object is not one this version can read.
    #[error(
        "the saved assessment {id} cannot be read ({problem}); assess again with `dorsum check`"
    )]
    BadResult { id: String, problem: String },
}

/// The parts of a saved result object (BRIEF §5) the report and the bundle read. Unknown fields are ignored
/// and optional parts default, so results from older versions still read.
#[derive(Debug, Clone, Deserialize)]
pub struct ResultView {
    #[serde(default)]
    pub kb_version: String,
    pub age: u8,
    pub sex: String,
    #[serde(default)]
    pub text: String,
    pub triage: TriageView,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub conditions: Vec<ConditionView>,
    #[serde(default)]
    pub red_flags: Vec<RedFlagView>,
    #[serde(default)]
    pub findings: Vec<FindingView>,
    #[serde(default)]
    pub interview: Option<InterviewView>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TriageView {
    pub level: String,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub reasons: Vec<ReasonView>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReasonView {
    pub text: String,
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConditionView {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub clinical_name: Option<String>,
    #[serde(default)]
    pub icd10: Vec<String>,
    pub probability: f64,
    #[serde(default)]
    pub evidence_for: Vec<WeightView>,
    #[serde(default)]
    pub evidence_against: Vec<WeightView>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WeightView {
    pub finding: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub present: Option<bool>,
    #[serde(default)]
    pub ratio: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RedFlagView {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FindingView {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub present: Option<bool>,
    #[serde(default)]
    pub assertion: Option<String>,
    #[serde(default)]
    pub span: Option<[usize; 2]>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InterviewView {
    #[serde(default)]
    pub questions: Vec<ExchangeView>,
    #[serde(default)]
    pub stopped: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExchangeView {
    pub question: String,
    pub kind: String,
    #[serde(default)]
    pub options: Vec<String>,
    pub answer: String,
    #[serde(default)]
    pub warning_level: Option<String>,
}

impl ResultView {
    /// Read a saved assessment's result object.
    pub fn of(saved: &SavedAssessment) -> Result<ResultView, Error> {
        serde_json::from_str(&saved.result_json).map_err(|e| Error::BadResult {
            id: saved.id.clone(),
            problem: format!("line {}, column {}: {}", e.line(), e.column(), short(&e)),
        })
    }

    /// The words of a span of the text, if it is a valid one.
    pub fn quote(&self, span: [usize; 2]) -> Option<&str> {
        self.text.get(span[0]..span[1])
    }
}

/// serde's message without the position (given separately) and never echoing health data: only the
/// category of the problem.
fn short(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "could not be read",
        Category::Syntax => "not valid JSON",
        Category::Data => "a field is missing or has the wrong type",
        Category::Eof => "it ends too early",
    }
}

/// A finding's name from the knowledge base, else the name saved with the result, else its id.
pub fn finding_name<'k>(kb: &'k Kb, id: &'k str, saved: Option<&'k str>) -> &'k str {
    kb.finding_ix(id)
        .map(|f| kb.finding(f).name.as_str())
        .or(saved)
        .unwrap_or(id)
}

/// True when the knowledge base marks the finding as a warning sign.
pub fn is_red_flag(kb: &Kb, id: &str) -> bool {
    kb.finding_ix(id).is_some_and(|f| kb.finding(f).red_flag)
}
