//! Care glue shared by the CLI and the web app: plans from saved or given result objects, re-triage when new
//! symptoms bring a warning sign, follow-up advice over the diary.

use crate::pipeline::{Dorsum, observations};
use dorsum_care::{
    Action, Baseline, CareInput, DiaryPoint, FollowUp, FollowUpInput, PlanOptions, PlanOutcome,
    follow_up,
};
use dorsum_engine::{Assessment, Evidence, Observation, assess};
use dorsum_intake::TextIntake;
use dorsum_kb::{Kb, Region, Sex, TriageLevel};
use dorsum_store::{Date, SavedAssessment};

/// Today in the person's own time zone.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Now, in the system's time zone: the clock the report and the FHIR bundle are dated by.
pub fn clock() -> dorsum_report::Clock {
    dorsum_report::Clock {
        now: jiff::Timestamp::now(),
        tz: jiff::tz::TimeZone::system(),
    }
}

/// A PSFS (name, score) list, checked by the care crate's rules (1–5 activities named once, 0–10 each),
/// as the scale and as the store's new entry.
pub fn new_psfs(
    date: Date,
    given: &[(String, i64)],
) -> Result<(dorsum_care::Psfs, dorsum_store::NewPsfs), dorsum_care::PsfsError> {
    let psfs = dorsum_care::Psfs::new(given.iter().map(|(n, s)| (n.as_str(), *s)))?;
    let activities = psfs
        .activities()
        .iter()
        .map(|a| dorsum_store::PsfsActivity {
            name: a.name.clone(),
            score: dorsum_store::Score::new(i64::from(a.score))
                .expect("the PSFS checked every score is 0-10"),
        })
        .collect();
    Ok((psfs, dorsum_store::NewPsfs { date, activities }))
}

/// The day an assessment was saved, in local time.
pub fn saved_on(saved: &SavedAssessment) -> Date {
    saved
        .created_at
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date()
}

pub fn baseline(saved: &SavedAssessment) -> Baseline {
    Baseline {
        date: saved_on(saved),
        level: saved.triage,
        pain: saved.pain.map(|p| p.get()),
    }
}

/// The care input from a result object (BRIEF §5): level, region, ranked conditions, present findings.
pub fn care_input(kb: &Kb, result: &serde_json::Value) -> crate::Result<CareInput> {
    let bad = |what: &str| crate::Error::Result(format!("the result object has no valid {what}"));
    let level: TriageLevel = result["triage"]["level"]
        .as_str()
        .ok_or_else(|| bad("triage.level"))?
        .parse()
        .map_err(|e| crate::Error::Result(format!("triage.level: {e}")))?;
    let region: Region = result["region"]
        .as_str()
        .ok_or_else(|| bad("region"))?
        .parse()
        .map_err(|e| crate::Error::Result(format!("region: {e}")))?;
    let conditions: Vec<(&str, f64)> = result["conditions"]
        .as_array()
        .ok_or_else(|| bad("conditions list"))?
        .iter()
        .filter_map(|c| Some((c["id"].as_str()?, c["probability"].as_f64()?)))
        .collect();
    let present: Vec<&str> = result["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter(|f| f["present"] == true)
                .filter_map(|f| f["id"].as_str())
                .collect()
        })
        .unwrap_or_default();
    CareInput::from_ids(kb, level, region, &conditions, &present).map_err(|e| {
        crate::Error::Result(format!(
            "{e} (was the result made with another knowledge base version?)"
        ))
    })
}

pub fn plan_from_saved(kb: &Kb, saved: &SavedAssessment, weeks: u8) -> crate::Result<PlanOutcome> {
    let result: serde_json::Value = serde_json::from_str(&saved.result_json)
        .map_err(|e| crate::Error::Result(format!("the saved result is not valid JSON: {e}")))?;
    plan_from_result(kb, &result, weeks, saved_on(saved))
}

/// The plan for a result object (saved or just made), starting on `start`.
pub fn plan_from_result(
    kb: &Kb,
    result: &serde_json::Value,
    weeks: u8,
    start: Date,
) -> crate::Result<PlanOutcome> {
    let input = care_input(kb, result)?;
    Ok(dorsum_care::plan(
        kb,
        &input,
        &PlanOptions { weeks, start },
    )?)
}

/// The plan as readable text.
pub fn plan_text(kb: &Kb, outcome: &PlanOutcome) -> String {
    let mut s = String::new();
    let plan = match outcome {
        PlanOutcome::NoPlan(no) => {
            s.push_str(crate::render::heading(no.level));
            s.push_str("\nNo exercise plan for now: ");
            s.push_str(&no.do_now);
            s.push('\n');
            return s;
        }
        PlanOutcome::Plan(plan) => plan,
    };
    let text_of = |id: &str| {
        kb.treatments
            .iter()
            .find(|t| t.id == id)
            .map_or(String::new(), |t| t.text.clone())
    };
    s.push_str(&format!(
        "Your {}-week plan for {} back pain, starting {}\n",
        plan.weeks,
        plan.region.as_str(),
        plan.start
    ));
    if plan.level == TriageLevel::Consultation {
        s.push_str("Book an appointment with a doctor or physiotherapist as well; use this plan meanwhile.\n");
    }
    for phase in &plan.phases {
        let weeks = if phase.first_week == phase.last_week {
            format!("Week {}", phase.first_week)
        } else {
            format!("Weeks {}-{}", phase.first_week, phase.last_week)
        };
        s.push_str(&format!(
            "\n{weeks}: {} - {} ({} sessions a week, about {} minutes each)\n",
            phase.kind.title(),
            phase.kind.aim(),
            phase.sessions_per_week,
            phase.session_minutes
        ));
        for ex in &phase.exercises {
            if let Some(e) = kb.exercises.iter().find(|e| e.id == ex.id) {
                let how = match ex.variant {
                    dorsum_care::Variant::Easier => e.regression.as_deref(),
                    dorsum_care::Variant::Harder => e.progression.as_deref(),
                    dorsum_care::Variant::Standard => None,
                };
                s.push_str(&format!(
                    "  * {} [{}] ({}) - {}\n",
                    e.name,
                    e.id,
                    e.goal.as_str(),
                    e.dose
                ));
                if let Some(how) = how {
                    s.push_str(&format!("      this phase: {how}\n"));
                }
            }
        }
    }
    for (title, ids) in [
        ("Everyday habits", &plan.habits),
        ("Looking after it", &plan.advice),
        (
            "Medicines (follow the label or ask a pharmacist)",
            &plan.medication,
        ),
    ] {
        if !ids.is_empty() {
            s.push_str(&format!("\n{title}:\n"));
            for id in ids {
                s.push_str(&format!("  - {}\n", text_of(id)));
            }
        }
    }
    s
}

/// The evidence saved with an assessment.
pub fn saved_evidence(kb: &Kb, saved: &SavedAssessment) -> Option<Evidence> {
    let v: serde_json::Value = serde_json::from_str(&saved.evidence_json).ok()?;
    let age = u8::try_from(v["age"].as_u64()?).ok()?;
    let sex: Sex = v["sex"].as_str()?.parse().ok()?;
    let findings = v["findings"]
        .as_array()?
        .iter()
        .filter_map(|f| {
            Some(Observation {
                finding: kb.finding_ix(f["id"].as_str()?)?,
                present: f["present"].as_bool()?,
            })
        })
        .collect();
    Some(Evidence { age, sex, findings })
}

/// What new symptoms change: the re-assessment when they bring a red flag the last assessment did not have.
pub enum Retriage {
    Nothing,
    /// New warning sign(s): the assessment with everything reported.
    NewRedFlag(Box<Assessment>),
    /// No assessment to compare with, but the words name warning signs.
    WarningWords(Vec<String>),
}

pub fn retriage(dorsum: &Dorsum, saved: Option<&SavedAssessment>, symptoms: &str) -> Retriage {
    let kb = &dorsum.kb;
    let mentions = dorsum.intake.read(symptoms);
    let new = observations(&mentions);
    match saved.and_then(|s| saved_evidence(kb, s)) {
        Some(before) => {
            let old = assess(kb, &before);
            let mut after = before.clone();
            after.findings.extend(new);
            let now = assess(kb, &after);
            let fresh = now.red_flags.iter().any(|r| !old.red_flags.contains(r));
            if fresh || now.triage.level > old.triage.level {
                Retriage::NewRedFlag(Box::new(now))
            } else {
                Retriage::Nothing
            }
        }
        None => {
            let names: Vec<String> = new
                .iter()
                .filter(|o| o.present && kb.finding(o.finding).red_flag)
                .map(|o| kb.finding(o.finding).name.clone())
                .collect();
            if names.is_empty() {
                Retriage::Nothing
            } else {
                Retriage::WarningWords(names)
            }
        }
    }
}

pub fn follow_up_now(
    kb: &Kb,
    saved: Option<&SavedAssessment>,
    points: &[DiaryPoint],
) -> crate::Result<FollowUp> {
    let today = today();
    let phase_start = match saved {
        Some(s) => match plan_from_saved(kb, s, dorsum_care::plan::DEFAULT_WEEKS)? {
            PlanOutcome::Plan(p) => p.phase_start(today),
            PlanOutcome::NoPlan(_) => None,
        },
        None => None,
    };
    Ok(follow_up(&FollowUpInput {
        assessment: saved.map(baseline),
        entries: points,
        today,
        phase_start,
    }))
}

pub fn advice_line(f: &FollowUp) -> String {
    let what = match f.action {
        Action::NeedsAssessment => "Needs an assessment first",
        Action::Retriage => "ASSESS AGAIN NOW",
        Action::UrgentCare => "Get the care your assessment asked for first",
        Action::Consultation => "Book a doctor or physiotherapist",
        Action::NextPhase => "Move on to the next phase of your plan",
        Action::Continue => "Carry on with your plan",
    };
    format!("{what}: {}", f.reason)
}

/// Diary points with each entry's symptoms checked against the assessment before it.
pub fn points(
    dorsum: &Dorsum,
    saved: Option<&SavedAssessment>,
    entries: &[dorsum_store::DiaryEntry],
) -> Vec<DiaryPoint> {
    entries
        .iter()
        .map(|e| DiaryPoint {
            date: e.date,
            pain: e.pain.get(),
            sessions: e.sessions,
            new_red_flag: e
                .symptoms
                .as_deref()
                .is_some_and(|s| matches!(retriage(dorsum, saved, s), Retriage::NewRedFlag(_))),
        })
        .collect()
}
