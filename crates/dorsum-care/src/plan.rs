//! The self-care plan: a few weeks of daily sessions in four phases (settle the pain, restore movement,
//! build strength, keep it), with advice, habits and medication classes, all named by knowledge-base id.
//!
//! Exercises suit the region, prefer the likely causes, and are never contraindicated: the same rule as the
//! result's summary (a contraindication naming a present finding, or a condition among the three most
//! likely or at 10% or more, rules the exercise out). No plan at all when the triage is `consultation_24`
//! or more urgent: [`NoPlan`] says what to do now instead.

use crate::error::Error;
use crate::input::CareInput;
use crate::serde_vocab::display;
use dorsum_engine::{contraindicated, fits_region};
use dorsum_kb::{Exercise, Goal, Kb, Region, TreatmentKind, TriageLevel};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The plan length unless the person chooses another (the six weeks of the seed articles' story).
pub const DEFAULT_WEEKS: u8 = 6;
/// Shortest plan: one week for each phase.
pub const MIN_WEEKS: u8 = 4;
/// Longest plan.
pub const MAX_WEEKS: u8 = 26;
/// A daily session lasts at least this long when enough exercises fit ...
pub const MIN_SESSION_MINUTES: u32 = 10;
/// ... and never longer than this.
pub const MAX_SESSION_MINUTES: u32 = 20;
/// Minutes counted for an exercise whose dose states no minutes (a few sets or holds with rests).
pub const DEFAULT_EXERCISE_MINUTES: u32 = 3;
/// Sessions are daily.
pub const SESSIONS_PER_WEEK: u8 = 7;
/// Medication classes listed, in knowledge-base order (the knowledge base lists them by importance; the
/// later ones are prescription classes that are a clinician's to discuss).
pub const MAX_MEDICATION: usize = 3;

/// The four phases, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Settle the pain: relaxation and gentle movement, easier versions.
    Settle,
    /// Restore movement: mobility first.
    Restore,
    /// Build strength.
    Strengthen,
    /// Keep it: a shorter routine to carry on with.
    Keep,
}

impl PhaseKind {
    /// Every phase, in order.
    pub const ALL: [PhaseKind; 4] = [
        PhaseKind::Settle,
        PhaseKind::Restore,
        PhaseKind::Strengthen,
        PhaseKind::Keep,
    ];

    /// The stable wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseKind::Settle => "settle",
            PhaseKind::Restore => "restore",
            PhaseKind::Strengthen => "strengthen",
            PhaseKind::Keep => "keep",
        }
    }

    /// A short title.
    pub fn title(self) -> &'static str {
        match self {
            PhaseKind::Settle => "Settle the pain",
            PhaseKind::Restore => "Restore movement",
            PhaseKind::Strengthen => "Build strength",
            PhaseKind::Keep => "Keep it",
        }
    }

    /// One sentence on what the phase is for.
    pub fn aim(self) -> &'static str {
        match self {
            PhaseKind::Settle => {
                "Ease the pain and keep moving gently: easier versions, relaxation and short walks."
            }
            PhaseKind::Restore => "Get your usual range of movement back, a little more each day.",
            PhaseKind::Strengthen => {
                "Build the muscles that support your back, adding a little each week."
            }
            PhaseKind::Keep => {
                "A shorter routine to keep for good, with the harder versions of what you have learned."
            }
        }
    }

    /// The phase after this one.
    pub fn next(self) -> Option<PhaseKind> {
        match self {
            PhaseKind::Settle => Some(PhaseKind::Restore),
            PhaseKind::Restore => Some(PhaseKind::Strengthen),
            PhaseKind::Strengthen => Some(PhaseKind::Keep),
            PhaseKind::Keep => None,
        }
    }

    /// The goals of a session, in the order they are filled.
    fn goals(self) -> &'static [Goal] {
        use Goal::*;
        match self {
            PhaseKind::Settle => &[Relaxation, Mobility, Mobility],
            PhaseKind::Restore => &[Mobility, Mobility, Mobility, Strength, Relaxation],
            PhaseKind::Strengthen => &[Strength, Strength, Strength, Mobility, Mobility],
            PhaseKind::Keep => &[Strength, Strength, Mobility, Relaxation],
        }
    }
}

/// Which version of an exercise to do: the knowledge base's `regression`, the dose as written, or its
/// `progression`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    Easier,
    Standard,
    Harder,
}

/// One exercise in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedExercise {
    /// `Kb::exercises` id: name, steps, dose, progression and regression come from there.
    pub id: String,
    #[serde(serialize_with = "display")]
    pub goal: Goal,
    /// Estimated minutes it takes ([`exercise_minutes`]).
    pub minutes: u32,
    pub variant: Variant,
}

/// One phase: weeks `first_week..=last_week` (1-based) of daily sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub kind: PhaseKind,
    pub first_week: u8,
    pub last_week: u8,
    pub sessions_per_week: u8,
    /// The sum of the exercises' minutes.
    pub session_minutes: u32,
    pub exercises: Vec<PlannedExercise>,
}

impl Phase {
    /// True when the phase covers this plan week.
    pub fn contains_week(&self, week: u8) -> bool {
        (self.first_week..=self.last_week).contains(&week)
    }
}

/// A self-care plan. Ids name knowledge-base entries; texts come from the knowledge base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The knowledge base the ids belong to.
    pub kb_version: String,
    /// `self_care` or `consultation` (then the plan goes beside booking an appointment).
    #[serde(serialize_with = "display")]
    pub level: TriageLevel,
    #[serde(serialize_with = "display")]
    pub region: Region,
    /// First day of week 1.
    pub start: Date,
    pub weeks: u8,
    /// The four phases in order, covering weeks 1 to `weeks` without gaps.
    pub phases: Vec<Phase>,
    /// `self_care` treatment ids (staying active, heat or ice, when to check again, ...), in knowledge-base order.
    pub advice: Vec<String>,
    /// `habit` treatment ids (screen breaks, bag on both shoulders, sleep posture, lifting, ...).
    pub habits: Vec<String>,
    /// The first [`MAX_MEDICATION`] `medication` treatment ids that fit: classes only, never doses; each text
    /// says to follow the label or ask a pharmacist.
    pub medication: Vec<String>,
}

/// What to do instead of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoPlan {
    #[serde(serialize_with = "display")]
    pub level: TriageLevel,
    /// What to do now, in plain words.
    pub do_now: String,
}

/// A plan, or what to do now instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PlanOutcome {
    Plan(Plan),
    NoPlan(NoPlan),
}

/// Length and first day of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    pub weeks: u8,
    pub start: Date,
}

impl PlanOptions {
    /// A plan of [`DEFAULT_WEEKS`] starting on `start`.
    pub fn starting(start: Date) -> Self {
        PlanOptions {
            weeks: DEFAULT_WEEKS,
            start,
        }
    }
}

/// Minutes an exercise takes: the smallest number of minutes its dose states ("5 to 10 minutes" → 5,
/// at most [`MAX_SESSION_MINUTES`] / 2), else [`DEFAULT_EXERCISE_MINUTES`].
pub fn exercise_minutes(e: &Exercise) -> u32 {
    let lower = e.dose.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if matches!(*w, "minute" | "minutes") {
            // "N minutes" or "N to M minutes": the first number of the run before the unit.
            let mut first = None;
            for back in words[..i].iter().rev().take(3) {
                if let Ok(n) = back.parse::<u32>() {
                    first = Some(n);
                } else if *back != "to" {
                    break;
                }
            }
            if let Some(n) = first {
                return n.clamp(1, MAX_SESSION_MINUTES / 2);
            }
        }
    }
    DEFAULT_EXERCISE_MINUTES
}

/// Week ranges of the four phases for a plan of `weeks` (clamped to [`MIN_WEEKS`]..=[`MAX_WEEKS`]): about
/// a sixth each for settling and keeping (at least one week), the rest split between restoring movement
/// and building strength.
pub fn phase_weeks(weeks: u8) -> [(PhaseKind, u8, u8); 4] {
    let weeks = weeks.clamp(MIN_WEEKS, MAX_WEEKS);
    let sixth = ((f64::from(weeks) / 6.0).round() as u8).max(1);
    let middle = weeks - 2 * sixth;
    let restore = middle.div_ceil(2);
    let strengthen = middle - restore;
    let lengths = [sixth, restore, strengthen, sixth];
    let mut out = [(PhaseKind::Settle, 0, 0); 4];
    let mut next = 1;
    for (i, kind) in PhaseKind::ALL.into_iter().enumerate() {
        out[i] = (kind, next, next + lengths[i] - 1);
        next += lengths[i];
    }
    out
}

/// What to do instead of a plan at this level, or `None` when a plan is allowed.
fn do_now(kb: &Kb, level: TriageLevel) -> Option<String> {
    let number = &kb.meta.emergency_number;
    match level {
        TriageLevel::SelfCare | TriageLevel::Consultation => None,
        TriageLevel::Consultation24 => Some(
            "See a doctor within 24 hours: ask your GP for a same-day appointment or go to urgent care. \
             Exercises can wait until a doctor has checked you; keep moving gently as the pain allows."
                .to_string(),
        ),
        TriageLevel::Emergency => Some(format!(
            "Go to the emergency department now. If you cannot get there safely, call an ambulance ({number}). \
             Do not start exercises."
        )),
        TriageLevel::EmergencyAmbulance => Some(format!(
            "Call an ambulance now ({number}). Do not drive yourself, and do not start exercises."
        )),
    }
}

/// An exercise that fits the region and is not ruled out.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    ix: usize,
    goal: Goal,
    minutes: u32,
    lower: bool,
    upper: bool,
}

/// Exercises that fit the region and are not contraindicated, those suiting the likelier causes first,
/// then in knowledge-base order.
fn candidates(kb: &Kb, input: &CareInput) -> Vec<Candidate> {
    let relevant = input.relevant();
    let state = input.state(kb);
    let top: Vec<_> = input.ranked.iter().take(3).map(|&(c, _)| c).collect();
    let mut out: Vec<(usize, Candidate)> = kb
        .exercises
        .iter()
        .enumerate()
        .filter(|(_, e)| fits_region(&e.regions, input.region))
        .filter(|(_, e)| !contraindicated(&e.contraindications, &state, &relevant))
        .map(|(ix, e)| {
            let suit = top
                .iter()
                .position(|c| e.suits.contains(c))
                .unwrap_or(top.len());
            let has = |r: &[Region]| e.regions.iter().any(|x| r.contains(x));
            (
                suit,
                Candidate {
                    ix,
                    goal: e.goal,
                    minutes: exercise_minutes(e),
                    lower: has(&[Region::Lower, Region::Both]),
                    upper: has(&[Region::Upper, Region::Neck, Region::Both]),
                },
            )
        })
        .collect();
    out.sort_by_key(|&(suit, c)| (suit, c.ix));
    out.into_iter().map(|(_, c)| c).collect()
}

/// Positions in `cands` of one phase's exercises: one per goal slot, first in candidate order (for pain in
/// both halves of the back, preferring one that covers a half not yet covered), then trimmed or filled to
/// the session length.
fn choose(cands: &[Candidate], goals: &[Goal], both: bool) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::new();
    for &goal in goals {
        let open: Vec<usize> = (0..cands.len())
            .filter(|i| !chosen.contains(i) && cands[*i].goal == goal)
            .collect();
        let covers_new = |i: &usize| {
            let c = cands[*i];
            (c.lower && !chosen.iter().any(|&j| cands[j].lower))
                || (c.upper && !chosen.iter().any(|&j| cands[j].upper))
        };
        let pick = if both {
            open.iter()
                .copied()
                .find(covers_new)
                .or(open.first().copied())
        } else {
            open.first().copied()
        };
        if let Some(i) = pick {
            chosen.push(i);
        }
    }
    let minutes = |chosen: &[usize]| chosen.iter().map(|&i| cands[i].minutes).sum::<u32>();
    while minutes(&chosen) > MAX_SESSION_MINUTES && chosen.len() > 1 {
        chosen.pop();
    }
    // Too short: add more, first of the phase's own goals, then any.
    for own_goal in [true, false] {
        for (i, c) in cands.iter().enumerate() {
            let total = minutes(&chosen);
            if total >= MIN_SESSION_MINUTES {
                break;
            }
            if !chosen.contains(&i)
                && goals.contains(&c.goal) == own_goal
                && total + c.minutes <= MAX_SESSION_MINUTES
            {
                chosen.push(i);
            }
        }
    }
    chosen
}

/// Build a plan from an assessment, or say what to do now when the triage is `consultation_24` or more
/// urgent. Errors only on a plan length outside [`MIN_WEEKS`]..=[`MAX_WEEKS`].
pub fn plan(kb: &Kb, input: &CareInput, options: &PlanOptions) -> Result<PlanOutcome, Error> {
    if !(MIN_WEEKS..=MAX_WEEKS).contains(&options.weeks) {
        return Err(Error::Weeks {
            weeks: options.weeks,
        });
    }
    if let Some(do_now) = do_now(kb, input.level) {
        return Ok(PlanOutcome::NoPlan(NoPlan {
            level: input.level,
            do_now,
        }));
    }
    let cands = candidates(kb, input);
    let both = input.region == Region::Both;
    let mut phases: Vec<Phase> = Vec::new();
    for (kind, first_week, last_week) in phase_weeks(options.weeks) {
        let previous: Option<&Phase> = phases.last();
        let exercises: Vec<PlannedExercise> = choose(&cands, kind.goals(), both)
            .into_iter()
            .map(|i| {
                let c = cands[i];
                let e = &kb.exercises[c.ix];
                let carried = previous.is_some_and(|p| {
                    p.kind != PhaseKind::Settle && p.exercises.iter().any(|x| x.id == e.id)
                });
                let variant = match kind {
                    PhaseKind::Settle if e.regression.is_some() => Variant::Easier,
                    PhaseKind::Settle => Variant::Standard,
                    _ if carried && e.progression.is_some() => Variant::Harder,
                    _ => Variant::Standard,
                };
                PlannedExercise {
                    id: e.id.clone(),
                    goal: c.goal,
                    minutes: c.minutes,
                    variant,
                }
            })
            .collect();
        phases.push(Phase {
            kind,
            first_week,
            last_week,
            sessions_per_week: SESSIONS_PER_WEEK,
            session_minutes: exercises.iter().map(|e| e.minutes).sum(),
            exercises,
        });
    }
    let relevant = input.relevant();
    let state = input.state(kb);
    let treatments = |kind: TreatmentKind| -> Vec<String> {
        kb.treatments
            .iter()
            .filter(|t| t.kind == kind)
            .filter(|t| fits_region(&t.regions, input.region))
            .filter(|t| !contraindicated(&t.contraindications, &state, &relevant))
            .map(|t| t.id.clone())
            .collect()
    };
    Ok(PlanOutcome::Plan(Plan {
        kb_version: kb.version.clone(),
        level: input.level,
        region: input.region,
        start: options.start,
        weeks: options.weeks,
        phases,
        advice: treatments(TreatmentKind::SelfCare),
        habits: treatments(TreatmentKind::Habit),
        medication: treatments(TreatmentKind::Medication)
            .into_iter()
            .take(MAX_MEDICATION)
            .collect(),
    }))
}

impl Plan {
    /// First day of a plan week (1-based).
    pub fn week_start(&self, week: u8) -> Date {
        self.start
            .saturating_add((7 * (i64::from(week) - 1)).days())
    }

    /// Last day of the plan.
    pub fn last_day(&self) -> Date {
        self.start
            .saturating_add((7 * i64::from(self.weeks) - 1).days())
    }

    /// The plan week (1-based) a date falls in, or `None` before the start or after the end.
    pub fn week_of(&self, date: Date) -> Option<u8> {
        let days = (date - self.start).get_days();
        if days < 0 || days >= 7 * i32::from(self.weeks) {
            return None;
        }
        Some((days / 7 + 1) as u8)
    }

    /// The phase a date falls in.
    pub fn phase_on(&self, date: Date) -> Option<&Phase> {
        let week = self.week_of(date)?;
        self.phases.iter().find(|p| p.contains_week(week))
    }

    /// First day of the phase a date falls in: what the follow-up rules count "better for two weeks" from.
    pub fn phase_start(&self, date: Date) -> Option<Date> {
        self.phase_on(date).map(|p| self.week_start(p.first_week))
    }

    /// Move on to the next phase from the week `today` falls in (after the follow-up rules said
    /// [`crate::Action::NextPhase`]): the current phase ends the week before (and is dropped if that
    /// leaves it no week), later phases move earlier, and the last phase runs to the plan's end. Returns the
    /// new phase, or `None` outside the plan or in its last phase.
    pub fn move_to_next_phase(&mut self, today: Date) -> Option<PhaseKind> {
        let week = self.week_of(today)?;
        let current = self.phases.iter().position(|p| p.contains_week(week))?;
        if current + 1 >= self.phases.len() {
            return None;
        }
        let shift = self.phases[current + 1].first_week - week;
        self.phases[current].last_week = week - 1;
        for p in &mut self.phases[current + 1..] {
            p.first_week -= shift;
            p.last_week -= shift;
        }
        if let Some(last) = self.phases.last_mut() {
            last.last_week = self.weeks;
        }
        self.phases.retain(|p| p.first_week <= p.last_week);
        Some(self.phases[self.phases.iter().position(|p| p.contains_week(week))?].kind)
    }
}

#[cfg(test)]
mod tests;
