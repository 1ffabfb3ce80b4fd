//! Records, their validation, and the helpers both backends share (ids, timestamps, row decoding).

use std::fmt;
use std::str::FromStr;

use dorsum_kb::{Region, TriageLevel};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan, Unit};
use serde::{Serialize, Serializer};

use crate::error::Invalid;

/// Longest free text (symptoms, note): the same 10,000-byte limit as assessment text (BRIEF §5).
pub const MAX_TEXT_BYTES: usize = 10_000;
/// Longest result or evidence JSON.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// Longest PSFS activity name.
pub const MAX_ACTIVITY_BYTES: usize = 200;
/// Most PSFS activities in one entry.
pub const MAX_PSFS_ACTIVITIES: usize = 5;
/// Earliest accepted date.
pub const EARLIEST_DATE: Date = jiff::civil::date(1900, 1, 1);

/// A 0–10 numeric rating (pain NRS, PEG items, PSFS activity scores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u8")]
pub struct Score(u8);

impl Score {
    /// A score, if `value` is a whole number from 0 to 10.
    pub fn new(value: i64) -> Result<Score, Invalid> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 10)
            .map(Score)
            .ok_or_else(|| Invalid::new("score", "must be a whole number from 0 to 10"))
    }

    /// The value, 0–10.
    pub fn get(self) -> u8 {
        self.0
    }

    fn field(field: &str, value: i64) -> Result<Score, Invalid> {
        Score::new(value).map_err(|e| Invalid::new(field, e.problem))
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

impl FromStr for Score {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Score, Invalid> {
        s.trim()
            .parse::<i64>()
            .map_err(|_| Invalid::new("score", "must be a whole number from 0 to 10"))
            .and_then(Score::new)
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whose data a store handle reads and writes. The command line is always [`UserId::local`]; accounts
/// (BRIEF §7) will use their own ids over the same tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// The single local user of the command line: `local`.
    pub fn local() -> UserId {
        UserId("local".to_string())
    }

    /// A user id: 1–128 bytes, no control characters.
    pub fn new(id: &str) -> Result<UserId, Invalid> {
        if id.is_empty() || id.len() > 128 || id.chars().any(char::is_control) {
            return Err(Invalid::new(
                "user id",
                "must be 1 to 128 bytes without control characters",
            ));
        }
        Ok(UserId(id.to_string()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for UserId {
    fn default() -> UserId {
        UserId::local()
    }
}

/// An assessment to save: the result object of BRIEF §5 with the columns the store indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    /// The knowledge-base version that produced it (the result's `kb_version`).
    pub kb_version: String,
    /// The result's `triage.level`.
    pub triage: TriageLevel,
    /// The result's `region`.
    pub region: Region,
    /// The pain score (0–10) the person gave, if any.
    pub pain: Option<Score>,
    /// The whole result object (BRIEF §5 schema), as JSON text; must be a JSON object. Stored verbatim.
    pub result_json: String,
    /// The evidence the engine was given, as JSON text (any JSON value). Stored verbatim.
    pub evidence_json: String,
}

/// A saved assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedAssessment {
    /// Store-assigned id (a UUIDv7: sorts by creation time).
    pub id: String,
    /// When it was saved (UTC, microseconds).
    pub created_at: Timestamp,
    /// Knowledge-base version.
    pub kb_version: String,
    /// Triage level.
    #[serde(serialize_with = "as_display")]
    pub triage: TriageLevel,
    /// Region.
    #[serde(serialize_with = "as_display")]
    pub region: Region,
    /// Pain score, if known.
    pub pain: Option<Score>,
    /// The result object, exactly as saved; exported as embedded JSON under `result`.
    #[serde(rename = "result", serialize_with = "as_raw_json")]
    pub result_json: String,
    /// The evidence, exactly as saved; exported as embedded JSON under `evidence`.
    #[serde(rename = "evidence", serialize_with = "as_raw_json")]
    pub evidence_json: String,
}

/// A diary entry to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDiaryEntry {
    /// The day it is about.
    pub date: Date,
    /// Pain, 0–10 (NRS).
    pub pain: Score,
    /// Where it hurts (`None`: not said).
    pub region: Option<Region>,
    /// Exercise sessions done that day.
    pub sessions: u32,
    /// New symptoms in the person's words (to be run through the intake by the caller).
    pub symptoms: Option<String>,
    /// Free note.
    pub note: Option<String>,
}

/// A stored diary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiaryEntry {
    /// Store-assigned id (UUIDv7).
    pub id: String,
    /// The day it is about.
    pub date: Date,
    /// Pain, 0–10.
    pub pain: Score,
    /// Where it hurts.
    #[serde(serialize_with = "as_display_opt")]
    pub region: Option<Region>,
    /// Exercise sessions done.
    pub sessions: u32,
    /// New symptoms.
    pub symptoms: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// When it was saved (UTC, microseconds).
    pub created_at: Timestamp,
}

/// A PEG entry to add (Krebs 2009): three 0–10 items over the past week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPeg {
    /// The day it was filled in.
    pub date: Date,
    /// P: average pain.
    pub pain: Score,
    /// E: interference with enjoyment of life.
    pub enjoyment: Score,
    /// G: interference with general activity.
    pub activity: Score,
}

/// A stored PEG entry. Scoring (the mean of the three) belongs to the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PegEntry {
    /// Store-assigned id (UUIDv7).
    pub id: String,
    /// The day it was filled in.
    pub date: Date,
    /// P: average pain.
    pub pain: Score,
    /// E: interference with enjoyment of life.
    pub enjoyment: Score,
    /// G: interference with general activity.
    pub activity: Score,
    /// When it was saved.
    pub created_at: Timestamp,
}

/// One Patient-Specific Functional Scale activity: 0 = unable, 10 = as before the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PsfsActivity {
    /// The activity in the person's words (1–200 bytes).
    pub name: String,
    /// Ability, 0–10.
    pub score: Score,
}

/// A PSFS entry to add: 1–5 activities with distinct names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPsfs {
    /// The day it was filled in.
    pub date: Date,
    /// The activities, in the order given.
    pub activities: Vec<PsfsActivity>,
}

/// A stored PSFS entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PsfsEntry {
    /// Store-assigned id (UUIDv7).
    pub id: String,
    /// The day it was filled in.
    pub date: Date,
    /// The activities, in the order given.
    pub activities: Vec<PsfsActivity>,
    /// When it was saved.
    pub created_at: Timestamp,
}

/// Everything stored for one user (`dorsum export --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    /// Always `dorsum-export`.
    pub format: &'static str,
    /// Version of this layout: 1.
    pub version: u32,
    /// Whose data.
    pub user_id: UserId,
    /// When the export was read.
    pub exported_at: Timestamp,
    /// Saved assessments, oldest first.
    pub assessments: Vec<SavedAssessment>,
    /// Diary entries by date, then id.
    pub diary: Vec<DiaryEntry>,
    /// PEG entries by date, then id.
    pub peg: Vec<PegEntry>,
    /// PSFS entries by date, then id.
    pub psfs: Vec<PsfsEntry>,
}

/// How many records `delete_all` removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Deleted {
    /// Saved assessments.
    pub assessments: u64,
    /// Diary entries.
    pub diary: u64,
    /// PEG entries.
    pub peg: u64,
    /// PSFS entries (with their activities).
    pub psfs: u64,
}

impl Deleted {
    /// All records removed.
    pub fn total(&self) -> u64 {
        self.assessments + self.diary + self.peg + self.psfs
    }
}

// ---- validation -------------------------------------------------------------------------------

/// The latest date accepted: tomorrow in UTC, which is "today" somewhere on Earth. The command line
/// checks the stricter "not after today" in the person's own time zone.
pub(crate) fn latest_date() -> Date {
    let today = Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    today.checked_add(1.day()).unwrap_or(today)
}

fn check_date(field: &str, date: Date) -> Result<(), Invalid> {
    if date < EARLIEST_DATE {
        return Err(Invalid::new(field, "must be 1900-01-01 or later"));
    }
    if date > latest_date() {
        return Err(Invalid::new(field, "must not be in the future"));
    }
    Ok(())
}

fn check_text(field: &str, text: &str, max: usize) -> Result<(), Invalid> {
    if text.len() > max {
        return Err(Invalid::new(
            field,
            format!("is {} bytes; at most {max} are kept", text.len()),
        ));
    }
    if text.contains('\0') {
        return Err(Invalid::new(field, "must not contain NUL characters"));
    }
    Ok(())
}

fn check_json(field: &str, json: &str, object: bool) -> Result<(), Invalid> {
    check_text(field, json, MAX_JSON_BYTES)?;
    let value: &serde_json::value::RawValue = serde_json::from_str(json).map_err(|e| {
        Invalid::new(
            field,
            format!(
                "is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    if object && !value.get().starts_with('{') {
        return Err(Invalid::new(field, "must be a JSON object"));
    }
    Ok(())
}

impl NewAssessment {
    /// Checks every field; the store calls this before writing.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.kb_version.trim().is_empty() {
            return Err(Invalid::new("kb_version", "must not be empty"));
        }
        if self.kb_version.chars().any(char::is_control) {
            return Err(Invalid::new(
                "kb_version",
                "must not contain control characters",
            ));
        }
        check_text("kb_version", &self.kb_version, 100)?;
        check_json("result", &self.result_json, true)?;
        check_json("evidence", &self.evidence_json, false)
    }
}

impl NewDiaryEntry {
    /// Checks every field; the store calls this before writing.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_date("date", self.date)?;
        if let Some(s) = &self.symptoms {
            check_text("symptoms", s, MAX_TEXT_BYTES)?;
        }
        if let Some(n) = &self.note {
            check_text("note", n, MAX_TEXT_BYTES)?;
        }
        Ok(())
    }
}

impl NewPeg {
    /// Checks every field; the store calls this before writing.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_date("date", self.date)
    }
}

impl NewPsfs {
    /// Checks every field; the store calls this before writing.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_date("date", self.date)?;
        let n = self.activities.len();
        if n == 0 || n > MAX_PSFS_ACTIVITIES {
            return Err(Invalid::new(
                "activities",
                format!("give 1 to {MAX_PSFS_ACTIVITIES} activities, not {n}"),
            ));
        }
        for (i, a) in self.activities.iter().enumerate() {
            let field = format!("psfs activity {} name", i + 1);
            if a.name.trim().is_empty() {
                return Err(Invalid::new(field, "must not be empty"));
            }
            if a.name.chars().any(char::is_control) {
                return Err(Invalid::new(field, "must not contain control characters"));
            }
            check_text(&field, &a.name, MAX_ACTIVITY_BYTES)?;
            if self.activities[..i].iter().any(|b| b.name == a.name) {
                return Err(Invalid::new(field, "repeats an earlier activity"));
            }
        }
        Ok(())
    }
}

// ---- shared helpers ---------------------------------------------------------------------------

/// A new record id: a UUIDv7, so ids sort by creation time (monotonic within a process).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, truncated to microseconds so that both backends give back exactly what was written.
pub(crate) fn now() -> Timestamp {
    let now = Timestamp::now();
    now.round(
        jiff::TimestampRound::new()
            .smallest(Unit::Microsecond)
            .mode(jiff::RoundMode::Trunc),
    )
    .unwrap_or(now)
}

/// Fixed-width RFC 3339 UTC with six fractional digits: text order is time order.
pub(crate) fn timestamp_text(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Field-level decoding of stored values, for rows read back from either backend.
pub(crate) struct Decode {
    pub what: &'static str,
}

impl Decode {
    pub fn timestamp(&self, s: &str) -> Result<Timestamp, String> {
        s.parse()
            .map_err(|_| format!("{} has a bad timestamp", self.what))
    }

    pub fn date(&self, s: &str) -> Result<Date, String> {
        s.parse()
            .map_err(|_| format!("{} has a bad date", self.what))
    }

    pub fn score(&self, field: &str, v: i64) -> Result<Score, String> {
        Score::field(field, v).map_err(|e| e.to_string())
    }

    pub fn region(&self, s: &str) -> Result<Region, String> {
        s.parse()
            .map_err(|_| format!("{} has an unknown region", self.what))
    }

    pub fn triage(&self, s: &str) -> Result<TriageLevel, String> {
        s.parse()
            .map_err(|_| format!("{} has an unknown triage level", self.what))
    }

    pub fn sessions(&self, v: i64) -> Result<u32, String> {
        u32::try_from(v).map_err(|_| format!("{} has a bad session count", self.what))
    }
}

// ---- serde helpers ----------------------------------------------------------------------------

fn as_display<T: fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn as_display_opt<T: fmt::Display, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

fn as_raw_json<S: Serializer>(json: &str, s: S) -> Result<S::Ok, S::Error> {
    let raw: &serde_json::value::RawValue =
        serde_json::from_str(json).map_err(serde::ser::Error::custom)?;
    raw.serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn scores_are_zero_to_ten() {
        assert_eq!(Score::new(0).unwrap().get(), 0);
        assert_eq!(Score::new(10).unwrap().get(), 10);
        for bad in [-1, 11, 255, 1000] {
            let e = Score::new(bad).unwrap_err();
            assert_eq!(e.field, "score");
            assert!(e.problem.contains("0 to 10"));
        }
        assert_eq!("7".parse::<Score>().unwrap().get(), 7);
        assert!("7.5".parse::<Score>().is_err());
        assert_eq!(serde_json::to_string(&Score::new(4).unwrap()).unwrap(), "4");
    }

    #[test]
    fn user_ids() {
        assert_eq!(UserId::local().as_str(), "local");
        assert!(UserId::new("").is_err());
        assert!(UserId::new("a\nb").is_err());
        assert!(UserId::new(&"x".repeat(129)).is_err());
        assert_eq!(UserId::new("u-1").unwrap().as_str(), "u-1");
    }

    fn entry() -> NewDiaryEntry {
        NewDiaryEntry {
            date: day("2024-03-01"),
            pain: Score::new(5).unwrap(),
            region: Some(Region::Lower),
            sessions: 1,
            symptoms: None,
            note: None,
        }
    }

    #[test]
    fn diary_validation() {
        assert!(entry().validate().is_ok());
        let future = NewDiaryEntry {
            date: latest_date().checked_add(1.day()).unwrap(),
            ..entry()
        };
        assert_eq!(future.validate().unwrap_err().field, "date");
        let old = NewDiaryEntry {
            date: day("1899-12-31"),
            ..entry()
        };
        assert_eq!(old.validate().unwrap_err().field, "date");
        let long = NewDiaryEntry {
            note: Some("x".repeat(MAX_TEXT_BYTES + 1)),
            ..entry()
        };
        let e = long.validate().unwrap_err();
        assert_eq!(e.field, "note");
        assert!(!e.problem.contains("xxx"));
        let nul = NewDiaryEntry {
            symptoms: Some("a\0b".into()),
            ..entry()
        };
        assert_eq!(nul.validate().unwrap_err().field, "symptoms");
    }

    #[test]
    fn psfs_validation() {
        let a = |name: &str| PsfsActivity {
            name: name.into(),
            score: Score::new(3).unwrap(),
        };
        let psfs = |acts: Vec<PsfsActivity>| NewPsfs {
            date: day("2024-03-01"),
            activities: acts,
        };
        assert!(psfs(vec![a("walking")]).validate().is_ok());
        assert_eq!(psfs(vec![]).validate().unwrap_err().field, "activities");
        assert_eq!(
            psfs((0..6).map(|i| a(&format!("a{i}"))).collect())
                .validate()
                .unwrap_err()
                .field,
            "activities"
        );
        assert_eq!(
            psfs(vec![a("walk"), a(" ")]).validate().unwrap_err().field,
            "psfs activity 2 name"
        );
        assert_eq!(
            psfs(vec![a("walk"), a("walk")])
                .validate()
                .unwrap_err()
                .field,
            "psfs activity 2 name"
        );
        assert!(psfs(vec![a(&"x".repeat(201))]).validate().is_err());
    }

    #[test]
    fn assessment_validation() {
        let ok = NewAssessment {
            kb_version: "2024.1".into(),
            triage: TriageLevel::SelfCare,
            region: Region::Lower,
            pain: None,
            result_json: r#"{"schema": 1}"#.into(),
            evidence_json: "[]".into(),
        };
        assert!(ok.validate().is_ok());
        let not_object = NewAssessment {
            result_json: "[1]".into(),
            ..ok.clone()
        };
        assert_eq!(not_object.validate().unwrap_err().field, "result");
        let bad_json = NewAssessment {
            evidence_json: "{".into(),
            ..ok.clone()
        };
        assert_eq!(bad_json.validate().unwrap_err().field, "evidence");
        let no_version = NewAssessment {
            kb_version: " ".into(),
            ..ok
        };
        assert_eq!(no_version.validate().unwrap_err().field, "kb_version");
    }

    #[test]
    fn timestamps_are_fixed_width_and_round_trip() {
        let ts = now();
        let text = timestamp_text(ts);
        assert_eq!(text.len(), "2024-01-01T00:00:00.000000Z".len(), "{text}");
        assert_eq!(text.parse::<Timestamp>().unwrap(), ts);
        let whole: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(timestamp_text(whole), "2024-01-01T00:00:00.000000Z");
    }

    #[test]
    fn ids_sort_by_creation() {
        let ids: Vec<String> = (0..100).map(|_| new_id()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }
}
