//! Rows as both backends return them (text dates and timestamps, 64-bit integers: the PostgreSQL
//! queries cast to these), and their conversion to records with every value checked again.

use crate::error::Error;
use crate::model::{Decode, DiaryEntry, PegEntry, PsfsActivity, PsfsEntry, SavedAssessment};

#[derive(sqlx::FromRow)]
pub(crate) struct AssessmentRow {
    pub id: String,
    pub created_at: String,
    pub kb_version: String,
    pub triage_level: String,
    pub region: String,
    pub pain: Option<i64>,
    pub result: String,
    pub evidence: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct DiaryRow {
    pub id: String,
    pub date: String,
    pub pain: i64,
    pub region: Option<String>,
    pub sessions: i64,
    pub symptoms: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PegRow {
    pub id: String,
    pub date: String,
    pub pain: i64,
    pub enjoyment: i64,
    pub activity: i64,
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PsfsRow {
    pub id: String,
    pub date: String,
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PsfsActivityRow {
    pub entry_id: String,
    pub name: String,
    pub score: i64,
}

fn bad<'a>(location: &'a str, what: &'static str) -> impl Fn(String) -> Error + 'a {
    move |reason| Error::BadRecord {
        location: location.to_string(),
        what,
        reason,
    }
}

impl AssessmentRow {
    pub fn into_record(self, location: &str) -> Result<SavedAssessment, Error> {
        let d = Decode { what: "assessment" };
        let go = || -> Result<SavedAssessment, String> {
            Ok(SavedAssessment {
                created_at: d.timestamp(&self.created_at)?,
                triage: d.triage(&self.triage_level)?,
                region: d.region(&self.region)?,
                pain: self.pain.map(|p| d.score("pain", p)).transpose()?,
                id: self.id.clone(),
                kb_version: self.kb_version.clone(),
                result_json: self.result.clone(),
                evidence_json: self.evidence.clone(),
            })
        };
        go().map_err(bad(location, "assessment"))
    }
}

impl DiaryRow {
    pub fn into_record(self, location: &str) -> Result<DiaryEntry, Error> {
        let d = Decode {
            what: "diary entry",
        };
        let go = || -> Result<DiaryEntry, String> {
            Ok(DiaryEntry {
                date: d.date(&self.date)?,
                pain: d.score("pain", self.pain)?,
                region: self.region.as_deref().map(|r| d.region(r)).transpose()?,
                sessions: d.sessions(self.sessions)?,
                created_at: d.timestamp(&self.created_at)?,
                id: self.id.clone(),
                symptoms: self.symptoms.clone(),
                note: self.note.clone(),
            })
        };
        go().map_err(bad(location, "diary entry"))
    }
}

impl PegRow {
    pub fn into_record(self, location: &str) -> Result<PegEntry, Error> {
        let d = Decode { what: "PEG entry" };
        let go = || -> Result<PegEntry, String> {
            Ok(PegEntry {
                date: d.date(&self.date)?,
                pain: d.score("pain", self.pain)?,
                enjoyment: d.score("enjoyment", self.enjoyment)?,
                activity: d.score("activity", self.activity)?,
                created_at: d.timestamp(&self.created_at)?,
                id: self.id.clone(),
            })
        };
        go().map_err(bad(location, "PEG entry"))
    }
}

/// Joins PSFS entries (ordered) with their activities (ordered by entry, then position).
pub(crate) fn psfs_records(
    entries: Vec<PsfsRow>,
    activities: Vec<PsfsActivityRow>,
    location: &str,
) -> Result<Vec<PsfsEntry>, Error> {
    let d = Decode { what: "PSFS entry" };
    let mut by_entry: std::collections::HashMap<String, Vec<PsfsActivity>> =
        std::collections::HashMap::new();
    for a in activities {
        let score = d
            .score("score", a.score)
            .map_err(bad(location, "PSFS entry"))?;
        by_entry.entry(a.entry_id).or_default().push(PsfsActivity {
            name: a.name,
            score,
        });
    }
    entries
        .into_iter()
        .map(|e| {
            Ok(PsfsEntry {
                date: d.date(&e.date).map_err(bad(location, "PSFS entry"))?,
                created_at: d
                    .timestamp(&e.created_at)
                    .map_err(bad(location, "PSFS entry"))?,
                activities: by_entry.remove(&e.id).unwrap_or_default(),
                id: e.id,
            })
        })
        .collect()
}

/// A read error before it is mapped: sqlx errors need the backend's mapping (and its location).
pub(crate) enum ReadError {
    Sql(sqlx::Error),
    Record(Error),
}

impl From<sqlx::Error> for ReadError {
    fn from(e: sqlx::Error) -> ReadError {
        ReadError::Sql(e)
    }
}

impl From<Error> for ReadError {
    fn from(e: Error) -> ReadError {
        ReadError::Record(e)
    }
}

impl ReadError {
    pub fn into_error(self, map: impl Fn(sqlx::Error) -> Error) -> Error {
        match self {
            ReadError::Sql(e) => map(e),
            ReadError::Record(e) => e,
        }
    }
}
