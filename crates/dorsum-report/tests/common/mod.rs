//! Fixtures: two saved results (an interview ending in `consultation` with a "yes", a "don't know" and
//! "none of these" answers; a text-only `emergency` with a red flag in the words), a diary, PEG and PSFS,
//! and a fixed clock.

#![allow(dead_code)]

use dorsum_care::{CareInput, PlanOptions, PlanOutcome};
use dorsum_kb::{Kb, Region, TriageLevel};
use dorsum_report::{Clock, Records};
use dorsum_store::{
    Date, DiaryEntry, PegEntry, PsfsActivity, PsfsEntry, SavedAssessment, Score, Timestamp,
};
use std::sync::OnceLock;

pub const INTERVIEW: &str = include_str!("../fixtures/interview_result.json");
pub const EMERGENCY: &str = include_str!("../fixtures/emergency_result.json");

pub fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| dorsum_kb::embedded::load_embedded().expect("embedded kb"))
}

pub fn day(s: &str) -> Date {
    s.parse().unwrap()
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub fn clock() -> Clock {
    Clock {
        now: ts("2026-03-20T12:00:00Z"),
        tz: jiff::tz::TimeZone::UTC,
    }
}

fn id(n: u32) -> String {
    format!("0195a000-0000-7000-8000-{n:012}")
}

/// A saved assessment of a result object, as the store gives it back.
pub fn saved(result: &str, n: u32, at: &str, pain: Option<i64>) -> SavedAssessment {
    let v: serde_json::Value = serde_json::from_str(result).unwrap();
    SavedAssessment {
        id: id(n),
        created_at: ts(at),
        kb_version: v["kb_version"].as_str().unwrap().to_string(),
        triage: v["triage"]["level"]
            .as_str()
            .unwrap()
            .parse::<TriageLevel>()
            .unwrap(),
        region: v["region"].as_str().unwrap().parse::<Region>().unwrap(),
        pain: pain.map(|p| Score::new(p).unwrap()),
        result_json: result.to_string(),
        evidence_json: "{}".into(),
    }
}

pub fn diary(n: u32, date: &str, pain: i64, sessions: u32) -> DiaryEntry {
    DiaryEntry {
        id: id(100 + n),
        date: day(date),
        pain: Score::new(pain).unwrap(),
        region: Some(Region::Lower),
        sessions,
        symptoms: None,
        note: None,
        created_at: ts(&format!("{date}T20:00:00Z")),
    }
}

pub fn peg(n: u32, date: &str, p: i64, e: i64, a: i64) -> PegEntry {
    PegEntry {
        id: id(200 + n),
        date: day(date),
        pain: Score::new(p).unwrap(),
        enjoyment: Score::new(e).unwrap(),
        activity: Score::new(a).unwrap(),
        created_at: ts(&format!("{date}T20:05:00Z")),
    }
}

pub fn psfs(n: u32, date: &str, acts: &[(&str, i64)]) -> PsfsEntry {
    PsfsEntry {
        id: id(300 + n),
        date: day(date),
        activities: acts
            .iter()
            .map(|(name, s)| PsfsActivity {
                name: name.to_string(),
                score: Score::new(*s).unwrap(),
            })
            .collect(),
        created_at: ts(&format!("{date}T20:10:00Z")),
    }
}

/// Everything stored for the interview story: the assessment on 2 March, nine diary days, two PEG, two PSFS.
pub struct Story {
    pub assessments: Vec<SavedAssessment>,
    pub diary: Vec<DiaryEntry>,
    pub peg: Vec<PegEntry>,
    pub psfs: Vec<PsfsEntry>,
}

impl Story {
    pub fn interview() -> Story {
        let pains = [
            (3, 6, 1),
            (4, 6, 2),
            (5, 5, 1),
            (7, 5, 2),
            (9, 4, 2),
            (11, 4, 1),
            (13, 3, 2),
            (16, 3, 2),
            (19, 2, 1),
        ];
        Story {
            assessments: vec![saved(INTERVIEW, 1, "2026-03-02T09:30:00Z", Some(6))],
            diary: pains
                .iter()
                .enumerate()
                .map(|(i, (d, p, s))| diary(i as u32, &format!("2026-03-{d:02}"), *p, *s))
                .collect(),
            peg: vec![peg(1, "2026-03-03", 6, 5, 7), peg(2, "2026-03-17", 4, 3, 4)],
            psfs: vec![
                psfs(
                    1,
                    "2026-03-03",
                    &[
                        ("walking the dog", 3),
                        ("sitting at work", 4),
                        ("lifting my child", 2),
                    ],
                ),
                psfs(
                    2,
                    "2026-03-17",
                    &[
                        ("walking the dog", 6),
                        ("sitting at work", 7),
                        ("lifting my child", 5),
                    ],
                ),
            ],
        }
    }

    pub fn emergency() -> Story {
        Story {
            assessments: vec![saved(EMERGENCY, 2, "2026-03-19T07:15:00Z", Some(8))],
            diary: Vec::new(),
            peg: Vec::new(),
            psfs: Vec::new(),
        }
    }

    pub fn records(&self) -> Records<'_> {
        Records {
            assessments: &self.assessments,
            diary: &self.diary,
            peg: &self.peg,
            psfs: &self.psfs,
        }
    }

    /// The plan of the latest assessment, as `dorsum_app::care::plan_from_saved` makes it.
    pub fn plan(&self) -> PlanOutcome {
        let saved = self.assessments.last().unwrap();
        let v: serde_json::Value = serde_json::from_str(&saved.result_json).unwrap();
        let conditions: Vec<(&str, f64)> = v["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap(),
                    c["probability"].as_f64().unwrap(),
                )
            })
            .collect();
        let present: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["present"] == true)
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        let input =
            CareInput::from_ids(kb(), saved.triage, saved.region, &conditions, &present).unwrap();
        dorsum_care::plan(
            kb(),
            &input,
            &PlanOptions {
                weeks: 6,
                start: saved
                    .created_at
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date(),
            },
        )
        .unwrap()
    }
}
