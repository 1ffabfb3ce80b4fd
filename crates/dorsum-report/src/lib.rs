//! Dorsum's hand-over to a clinician: the report (one self-contained HTML page, or a PDF made in-process
//! with the PDF base-14 fonts) and the FHIR R4 bundle.
//!
//! Pure like the other core crates: no I/O and no clock. The caller reads the store and the clock and
//! passes them in ([`Records`], [`Clock`]); the functions give bytes or values back.
//!
//! - [`Report::build`] → [`Report::to_html`] / [`Report::to_pdf`]: age and sex as entered, the complaint
//!   in the person's words, the red flags asked and their answers (negatives included), triage and its
//!   reasons, the differential with probabilities and key findings, pain / PEG / PSFS over time with a
//!   chart, the plan and how much of it was done, and what Dorsum is and is not.
//! - [`fhir::bundle`]: the FHIR R4 `Bundle` (type `collection`) with hand-written serde types.
//!
//! ```no_run
//! # fn demo(kb: &dorsum_kb::Kb, export: &dorsum_store::Export) -> Result<(), dorsum_report::Error> {
//! use dorsum_report::{Clock, Records, Report, ReportInput, fhir};
//! let clock = Clock { now: jiff::Timestamp::now(), tz: jiff::tz::TimeZone::system() };
//! let records = Records::from_export(export);
//! let report = Report::build(&ReportInput { kb, records, plan: None, clock: &clock })?;
//! let (_html, _pdf) = (report.to_html(), report.to_pdf());
//! let bundle = fhir::bundle(&fhir::BundleInput { kb, records, clock: &clock, user: "local" })?;
//! let _json = serde_json::to_string_pretty(&bundle).unwrap();
//! # Ok(()) }
//! ```

pub mod fhir;
mod html;
mod input;
mod metrics;
mod pdf;
mod report;

pub use html::{REPORT_CSS, escape};
pub use input::{
    Clock, ConditionView, Error, ExchangeView, FindingView, InterviewView, ReasonView, Records,
    RedFlagView, ReportInput, ResultView, TriageView, WeightView,
};
pub use report::{
    ABOUT, CheckSource, DIARY_ROWS, DIFFERENTIAL_ROWS, DifferentialRow, Gist, PainRow, PegRow,
    PhaseLine, PlanSummary, PsfsRow, RedFlagCheck, Report, level_label, level_short,
};

/// What format a report file is, from its name: `.pdf` or `.html` / `.htm` (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Pdf,
}

impl ReportFormat {
    /// The format a file name asks for, if it is one of ours.
    pub fn from_path(path: &std::path::Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(ReportFormat::Pdf),
            "html" | "htm" => Some(ReportFormat::Html),
            _ => None,
        }
    }

    /// The MIME type (for the web download).
    pub fn mime(self) -> &'static str {
        match self {
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Pdf => "application/pdf",
        }
    }
}

impl Report {
    /// The report in `format`.
    pub fn render(&self, format: ReportFormat) -> Vec<u8> {
        match format {
            ReportFormat::Html => self.to_html().into_bytes(),
            ReportFormat::Pdf => self.to_pdf(),
        }
    }
}
