//! The report's content, built once from the records and then drawn as HTML ([`crate::html`]) or PDF
//! ([`crate::pdf`]), so both say the same thing.

use crate::input::{Error, ExchangeView, ReportInput, ResultView, finding_name, is_red_flag};
use dorsum_care::{
    Baseline, DiaryPoint, Peg, PlanOutcome, Psfs, PsfsChange, pain_chart, psfs_change,
};
use dorsum_kb::Kb;
use jiff::civil::Date;
use serde::Serialize;

/// How many conditions of the differential the report lists.
pub const DIFFERENTIAL_ROWS: usize = 5;
/// How many of the latest diary entries the report tables (the chart shows them all).
pub const DIARY_ROWS: usize = 14;

/// What Dorsum is and is not, in plain words (the last section of every report).
pub const ABOUT: [&str; 2] = [
    "Dorsum is a self-check and self-care coach for back and neck pain that the person used on their own. It is not a diagnosis or a medical device, it has not examined the person, and it does not replace your history and examination.",
    "Triage comes from explicit red-flag rules and a probability model (priors by age band and sex, likelihood ratios from published studies, some estimated): the probabilities rank possibilities, they are not measured risks. Everything is self-reported: answers, diary pain (0-10 numeric rating scale), PEG (Krebs et al. 2009) and PSFS (Stratford et al. 1995).",
];

/// Plain meaning of a triage level (BRIEF §4).
pub fn level_label(level: &str) -> &'static str {
    match level {
        "emergency_ambulance" => "Emergency: call an ambulance now",
        "emergency" => "Emergency: go to the emergency department now",
        "consultation_24" => "See a doctor within 24 hours",
        "consultation" => "Book a doctor or physiotherapist (days to weeks)",
        "self_care" => "Self-care at home; re-assess if not better within a week",
        _ => "Unknown level",
    }
}

/// A triage level in two or three words, for narrow columns.
pub fn level_short(level: &str) -> &'static str {
    match level {
        "emergency_ambulance" => "Ambulance",
        "emergency" => "Emergency dept.",
        "consultation_24" => "Doctor in 24 h",
        "consultation" => "Doctor or physio",
        "self_care" => "Self-care",
        _ => "-",
    }
}

/// Where a red-flag answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckSource {
    /// A question of the interview.
    Interview,
    /// The person's own description.
    Words,
}

/// The gist of an answer, for emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gist {
    /// A warning sign reported present.
    Yes,
    /// Reported absent.
    No,
    /// Not known or hedged.
    Unsure,
}

/// One warning sign asked about (or mentioned) and the answer, negatives included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedFlagCheck {
    pub source: CheckSource,
    /// The question as asked, or the finding named in the person's words.
    pub question: String,
    /// The answer in words: "Yes", "No", "Don't know", "None of these", "Yes: A, B", "Present: "…"".
    pub answer: String,
    /// For a choice of several: the options answered "no" ("No: C, D"), so the negatives are on record.
    pub detail: Option<String>,
    pub gist: Gist,
    /// The most urgent level a "yes" could have raised the triage to (interview questions only).
    pub level: Option<String>,
}

/// One row of the differential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferentialRow {
    pub name: String,
    pub clinical_name: Option<String>,
    pub icd10: Vec<String>,
    pub probability: f64,
    /// Findings that raised it (names; present ones plain, absent ones "no …").
    pub key_for: Vec<String>,
    /// Findings that lowered it.
    pub key_against: Vec<String>,
}

/// One diary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PainRow {
    pub date: Date,
    pub pain: u8,
    pub sessions: u32,
}

/// One PEG.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PegRow {
    pub date: Date,
    pub pain: u8,
    pub enjoyment: u8,
    pub activity: u8,
    pub score: f64,
}

/// One PSFS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsfsRow {
    pub date: Date,
    pub activities: Vec<(String, u8)>,
    pub score: f64,
}

/// One phase of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseLine {
    /// "Week 1" or "Weeks 2-3".
    pub weeks: String,
    /// "Settle the pain".
    pub title: String,
    /// Sessions a week, minutes, and the exercises by name.
    pub detail: String,
    /// True for the phase the report's day falls in.
    pub current: bool,
}

/// The plan and how much of it was done.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanSummary {
    /// No plan was given to the report.
    Missing,
    /// The triage asked for care first, so there is no home plan.
    NoPlan { do_now: String },
    Plan {
        weeks: u8,
        start: Date,
        end: Date,
        phases: Vec<PhaseLine>,
        /// Days of the plan so far (0 before it starts, at most its length).
        days_so_far: i32,
        /// Sessions the plan asked for so far (whole sessions, rounded).
        planned_so_far: u32,
        /// Sessions recorded in the diary over the same days.
        done_so_far: u32,
        /// Diary days over the same days.
        diary_days: usize,
    },
}

/// The clinician report's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub generated_on: Date,
    pub assessment_id: String,
    pub assessed_on: Date,
    pub kb_version: String,
    pub age: u8,
    pub sex: String,
    pub region: Option<String>,
    /// The opening description, verbatim.
    pub complaint: String,
    pub level: String,
    pub level_label: &'static str,
    pub action: Option<String>,
    /// Every reason, most urgent first.
    pub reasons: Vec<String>,
    /// Warning-sign rules that fired.
    pub red_flags_fired: Vec<String>,
    /// Warning signs asked about or mentioned, with the answers.
    pub red_flag_checks: Vec<RedFlagCheck>,
    /// Questions asked in the interview (0 for a text-only assessment).
    pub questions_asked: usize,
    pub differential: Vec<DifferentialRow>,
    /// The pain stated at the assessment, if any.
    pub assessment_pain: Option<u8>,
    /// Diary entries by date.
    pub pain: Vec<PainRow>,
    pub peg: Vec<PegRow>,
    pub psfs: Vec<PsfsRow>,
    /// First and last PSFS mean and what the change means, when there are two or more.
    pub psfs_change: Option<(f64, f64, PsfsChange)>,
    /// The pain chart (standalone SVG from `dorsum_care::pain_chart`).
    #[serde(skip)]
    pub chart_svg: String,
    pub plan: PlanSummary,
}

impl Report {
    /// Build the report about the latest assessment. Fails only when there is no assessment or it cannot be
    /// read; an empty diary is a report that says so.
    pub fn build(input: &ReportInput<'_>) -> Result<Report, Error> {
        let kb = input.kb;
        let clock = input.clock;
        let saved = input.records.latest().ok_or(Error::NoAssessment)?;
        let result = ResultView::of(saved)?;
        let assessed_on = clock.day_of(saved.created_at);

        let mut pain: Vec<PainRow> = input
            .records
            .diary
            .iter()
            .map(|e| PainRow {
                date: e.date,
                pain: e.pain.get(),
                sessions: e.sessions,
            })
            .collect();
        pain.sort_by_key(|p| p.date);
        let mut peg: Vec<PegRow> = input
            .records
            .peg
            .iter()
            .filter_map(|p| {
                let s = Peg::new(
                    i64::from(p.pain.get()),
                    i64::from(p.enjoyment.get()),
                    i64::from(p.activity.get()),
                )
                .ok()?;
                Some(PegRow {
                    date: p.date,
                    pain: s.pain,
                    enjoyment: s.enjoyment,
                    activity: s.activity,
                    score: s.score(),
                })
            })
            .collect();
        peg.sort_by_key(|p| p.date);
        let mut psfs: Vec<PsfsRow> = input
            .records
            .psfs
            .iter()
            .filter_map(|p| {
                let s = Psfs::new(
                    p.activities
                        .iter()
                        .map(|a| (a.name.as_str(), i64::from(a.score.get()))),
                )
                .ok()?;
                Some(PsfsRow {
                    date: p.date,
                    activities: s
                        .activities()
                        .iter()
                        .map(|a| (a.name.clone(), a.score))
                        .collect(),
                    score: s.score(),
                })
            })
            .collect();
        psfs.sort_by_key(|p| p.date);
        let psfs_change = match (psfs.first(), psfs.last()) {
            (Some(a), Some(b)) if psfs.len() > 1 => {
                Some((a.score, b.score, psfs_change(a.score, b.score)))
            }
            _ => None,
        };

        let plan = input.plan.and_then(|p| match p {
            PlanOutcome::Plan(p) => Some(p),
            PlanOutcome::NoPlan(_) => None,
        });
        let points: Vec<DiaryPoint> = pain
            .iter()
            .map(|p| DiaryPoint {
                date: p.date,
                pain: p.pain,
                sessions: p.sessions,
                new_red_flag: false,
            })
            .collect();
        let baseline = Baseline {
            date: assessed_on,
            level: saved.triage,
            pain: saved.pain.map(|p| p.get()),
        };
        let chart_svg = pain_chart(&points, plan, Some(&baseline));

        Ok(Report {
            generated_on: clock.today(),
            assessment_id: saved.id.clone(),
            assessed_on,
            kb_version: saved.kb_version.clone(),
            age: result.age,
            sex: result.sex.clone(),
            region: result.region.clone(),
            complaint: result.text.clone(),
            level_label: level_label(&result.triage.level),
            level: result.triage.level.clone(),
            action: result.triage.action.clone(),
            reasons: result
                .triage
                .reasons
                .iter()
                .map(|r| r.text.clone())
                .collect(),
            red_flags_fired: result.red_flags.iter().map(|r| r.text.clone()).collect(),
            red_flag_checks: red_flag_checks(kb, &result),
            questions_asked: result.interview.as_ref().map_or(0, |i| i.questions.len()),
            differential: differential(kb, &result),
            assessment_pain: saved.pain.map(|p| p.get()),
            pain,
            peg,
            psfs,
            psfs_change,
            chart_svg,
            plan: plan_summary(kb, input.plan, &points, clock.today()),
        })
    }

    /// The diary rows the tables show: the latest [`DIARY_ROWS`], oldest first, and how many were left out.
    pub fn recent_pain(&self) -> (&[PainRow], usize) {
        let skip = self.pain.len().saturating_sub(DIARY_ROWS);
        (&self.pain[skip..], skip)
    }

    /// True when every fired red-flag rule's text is already among the triage reasons.
    pub fn red_flags_in_reasons(&self) -> bool {
        self.red_flags_fired
            .iter()
            .all(|r| self.reasons.contains(r))
    }

    /// One line about the interview: questions asked, or that there was none.
    pub fn interview_line(&self) -> String {
        match self.questions_asked {
            0 => "No interview: the assessment was made from the description alone.".to_string(),
            n => format!("{n} question(s) asked in the interview."),
        }
    }

    /// "58-year-old female" style line with the region.
    pub fn person_line(&self) -> String {
        format!(
            "Age {} - sex {}{}",
            self.age,
            self.sex,
            self.region
                .as_deref()
                .map_or(String::new(), |r| format!(" - pain region: {r}"))
        )
    }
}

/// Answer words for one interview exchange, and the options answered "no" when there were several.
fn answer_words(kb: &Kb, q: &ExchangeView) -> (String, Option<String>, Gist) {
    let name = |id: &str| finding_name(kb, id, None).to_string();
    let list = |ids: &mut dyn Iterator<Item = &String>| {
        ids.map(|o| name(o)).collect::<Vec<_>>().join(", ")
    };
    let several = q.options.len() > 1;
    match (q.kind.as_str(), q.answer.as_str()) {
        (_, "dont_know") => (
            "Don't know".into(),
            several.then(|| format!("Asked about: {}", list(&mut q.options.iter()))),
            Gist::Unsure,
        ),
        ("yes_no", "yes") => ("Yes".into(), None, Gist::Yes),
        ("yes_no", "no") => ("No".into(), None, Gist::No),
        ("number", n) => (n.to_string(), None, Gist::Unsure),
        (_, "none") => (
            "None of these".into(),
            Some(format!("No: {}", list(&mut q.options.iter()))),
            Gist::No,
        ),
        (_, chosen) => {
            let chosen: Vec<&str> = chosen.split(',').map(str::trim).collect();
            let yes: Vec<String> = chosen.iter().map(|c| name(c)).collect();
            let mut no = q.options.iter().filter(|o| !chosen.contains(&o.as_str()));
            let no = list(&mut no);
            // A chosen option counts as a warning sign only when it is one.
            let flagged = chosen.iter().any(|c| is_red_flag(kb, c));
            (
                format!("Yes: {}", yes.join(", ")),
                (!no.is_empty()).then(|| format!("No: {no}")),
                if flagged { Gist::Yes } else { Gist::No },
            )
        }
    }
}

/// Warning signs asked about (questions whose "yes" could raise the triage) and warning signs in the
/// person's words (affirmed, negated or hedged), in the order asked, then in text order.
fn red_flag_checks(kb: &Kb, result: &ResultView) -> Vec<RedFlagCheck> {
    let mut out: Vec<RedFlagCheck> = Vec::new();
    if let Some(interview) = &result.interview {
        for q in &interview.questions {
            let asks_red_flag =
                q.warning_level.is_some() || q.options.iter().any(|o| is_red_flag(kb, o));
            if !asks_red_flag {
                continue;
            }
            let (answer, detail, gist) = answer_words(kb, q);
            out.push(RedFlagCheck {
                source: CheckSource::Interview,
                // The instruction is for the person, not the reader.
                question: q
                    .question
                    .replace(" Choose all that apply.", "")
                    .trim()
                    .to_string(),
                answer,
                detail,
                gist,
                level: q.warning_level.clone(),
            });
        }
    }
    for f in &result.findings {
        let Some(span) = f.span else { continue };
        if !is_red_flag(kb, &f.id) {
            continue;
        }
        let quote = result.quote(span).unwrap_or("");
        let (word, gist) = match (f.assertion.as_deref(), f.present) {
            (_, Some(true)) => ("Present", Gist::Yes),
            (_, Some(false)) => ("Absent", Gist::No),
            (Some(a), None) => (a, Gist::Unsure),
            (None, None) => ("Not counted", Gist::Unsure),
        };
        let word = match word {
            "uncertain" => "Uncertain",
            "historical" => "In the past",
            "hypothetical" => "Hypothetical",
            "other_person" => "About someone else",
            w => w,
        };
        out.push(RedFlagCheck {
            source: CheckSource::Words,
            question: finding_name(kb, &f.id, f.name.as_deref()).to_string(),
            answer: format!("{word}, in their words: \"{quote}\""),
            detail: None,
            gist,
            level: None,
        });
    }
    out
}

/// "Numbness in a leg" → "numbness in a leg", for "no …" (an all-capitals word such as "ED" stays).
pub(crate) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(chars)
            .collect(),
        _ => s.to_string(),
    }
}

fn differential(kb: &Kb, result: &ResultView) -> Vec<DifferentialRow> {
    let weight = |w: &crate::input::WeightView| {
        let name = finding_name(kb, &w.finding, w.name.as_deref());
        match w.present {
            Some(false) => format!("no {}", lower_first(name)),
            _ => name.to_string(),
        }
    };
    result
        .conditions
        .iter()
        .take(DIFFERENTIAL_ROWS)
        .map(|c| {
            let known = kb.conditions.iter().find(|k| k.id == c.id);
            DifferentialRow {
                name: if c.name.is_empty() {
                    known.map_or(c.id.clone(), |k| k.name.clone())
                } else {
                    c.name.clone()
                },
                clinical_name: c
                    .clinical_name
                    .clone()
                    .or_else(|| known.map(|k| k.clinical_name.clone())),
                icd10: c.icd10.clone(),
                probability: c.probability,
                key_for: c.evidence_for.iter().take(3).map(weight).collect(),
                key_against: c.evidence_against.iter().take(2).map(weight).collect(),
            }
        })
        .collect()
}

fn plan_summary(
    kb: &Kb,
    plan: Option<&PlanOutcome>,
    points: &[DiaryPoint],
    today: Date,
) -> PlanSummary {
    let plan = match plan {
        None => return PlanSummary::Missing,
        Some(PlanOutcome::NoPlan(no)) => {
            return PlanSummary::NoPlan {
                do_now: no.do_now.clone(),
            };
        }
        Some(PlanOutcome::Plan(p)) => p,
    };
    let current = plan.phase_on(today).map(|p| p.first_week);
    let phases = plan
        .phases
        .iter()
        .map(|ph| {
            let weeks = if ph.first_week == ph.last_week {
                format!("Week {}", ph.first_week)
            } else {
                format!("Weeks {}-{}", ph.first_week, ph.last_week)
            };
            let names: Vec<&str> = ph
                .exercises
                .iter()
                .map(|e| {
                    kb.exercises
                        .iter()
                        .find(|k| k.id == e.id)
                        .map_or(e.id.as_str(), |k| k.name.as_str())
                })
                .collect();
            PhaseLine {
                weeks,
                title: ph.kind.title().to_string(),
                detail: format!(
                    "{} sessions a week, about {} min: {}",
                    ph.sessions_per_week,
                    ph.session_minutes,
                    names.join(", ")
                ),
                current: current == Some(ph.first_week),
            }
        })
        .collect();
    let end = plan.last_day();
    let last = today.min(end);
    let days_so_far = if last < plan.start {
        0
    } else {
        (last - plan.start).get_days() + 1
    };
    // Sessions asked for: each day of a week counts a seventh of that week's sessions.
    let mut planned = 0.0;
    for day in 0..days_so_far {
        let date = plan
            .start
            .checked_add(jiff::Span::new().days(i64::from(day)))
            .unwrap_or(plan.start);
        if let Some(ph) = plan.phase_on(date) {
            planned += f64::from(ph.sessions_per_week) / 7.0;
        }
    }
    let within = |d: Date| d >= plan.start && d <= last;
    let done: u32 = points
        .iter()
        .filter(|p| within(p.date))
        .map(|p| p.sessions)
        .sum();
    let mut days: Vec<Date> = points
        .iter()
        .filter(|p| within(p.date))
        .map(|p| p.date)
        .collect();
    days.dedup();
    PlanSummary::Plan {
        weeks: plan.weeks,
        start: plan.start,
        end,
        phases,
        days_so_far,
        planned_so_far: planned.round() as u32,
        done_so_far: done,
        diary_days: days.len(),
    }
}
