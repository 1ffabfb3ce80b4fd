//! Follow-up rules: what the pain diary since the last assessment means.
//!
//! Pain is compared with the pain at the last assessment (or, when the assessment recorded none, with the
//! first diary entry since it). On the 0-10 scale a change of 2 points or 30% is the smallest one that
//! matters to people with back pain (Ostelo 2008, Farrar 2001):
//!
//! - *better*: down by 2 points or more, or by 30% or more;
//! - *worse*: up by 2 points or more.
//!
//! Rules, most urgent first (only entries dated from the assessment day to `today` count):
//!
//! 1. no assessment yet → [`Action::NeedsAssessment`];
//! 2. an entry whose new symptoms carried a new red flag → [`Action::Retriage`] (run the engine now);
//! 3. the last assessment was `consultation_24` or more urgent → [`Action::UrgentCare`] (no home plan);
//! 4. pain 8 or more on two entries at most 7 days apart → [`Action::Consultation`];
//! 5. worse on consecutive entries spanning 3 calendar days or more → [`Action::Consultation`];
//! 6. 7 days or more after the assessment, the latest entry from day 7 on is not better →
//!    [`Action::Consultation`];
//! 7. better on consecutive entries, up to the latest, spanning 14 calendar days or more (counting only
//!    entries since the current phase began) → [`Action::NextPhase`];
//! 8. otherwise [`Action::Continue`].
//!
//! "Spanning N days" counts calendar days inclusive: entries on the 1st and the 3rd span 3 days.

use crate::serde_vocab::display;
use dorsum_kb::TriageLevel;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Better when pain falls by at least this many points ...
pub const MIN_IMPORTANT_POINTS: u8 = 2;
/// ... or by at least this percentage.
pub const MIN_IMPORTANT_PERCENT: u8 = 30;
/// Pain at or above this is severe.
pub const SEVERE_PAIN: u8 = 8;
/// Two severe entries at most this many days apart need a consultation.
pub const SEVERE_WINDOW_DAYS: i32 = 7;
/// Worse on entries spanning this many calendar days needs a consultation.
pub const WORSE_SPAN_DAYS: i32 = 3;
/// Not better this many days after the assessment needs a consultation.
pub const NOT_BETTER_AFTER_DAYS: i32 = 7;
/// Better on entries spanning this many calendar days moves the plan on.
pub const BETTER_SPAN_DAYS: i32 = 14;

/// The last assessment, as the follow-up rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The day it was made.
    pub date: Date,
    #[serde(serialize_with = "display")]
    pub level: TriageLevel,
    /// The 0-10 pain stated then, if any.
    pub pain: Option<u8>,
}

/// One diary entry, as the rules and the chart need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiaryPoint {
    pub date: Date,
    /// 0-10.
    pub pain: u8,
    /// Exercise sessions done that day.
    pub sessions: u32,
    /// True when the new symptoms typed with the entry fired a red-flag rule the last assessment had not.
    pub new_red_flag: bool,
}

/// Pain against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Better,
    Same,
    Worse,
}

/// Compare a pain score with the baseline: better when down by ≥ 2 points or ≥ 30%, worse when up by ≥ 2.
pub fn change(baseline: u8, pain: u8) -> Change {
    let down = baseline.saturating_sub(pain);
    if down >= MIN_IMPORTANT_POINTS
        || (down > 0
            && u32::from(down) * 100 >= u32::from(baseline) * u32::from(MIN_IMPORTANT_PERCENT))
    {
        Change::Better
    } else if pain >= baseline.saturating_add(MIN_IMPORTANT_POINTS) {
        Change::Worse
    } else {
        Change::Same
    }
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// No assessment yet: do one (`dorsum check` or `dorsum assess`).
    NeedsAssessment,
    /// A new red flag: assess again now with everything reported.
    Retriage,
    /// The last assessment asked for care within 24 hours or an emergency: that comes first.
    UrgentCare,
    /// Book a doctor or physiotherapist.
    Consultation,
    /// Better for two weeks running: move the plan to its next phase.
    NextPhase,
    /// Carry on with the plan.
    Continue,
}

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpRule {
    NoAssessment,
    NewRedFlag,
    UrgentAssessment,
    SeverePainTwice,
    WorseThreeDays,
    NotBetterAfterWeek,
    BetterTwoWeeks,
    NoEntries,
    AwaitingDaySeven,
    OnTrack,
}

impl FollowUpRule {
    /// Knowledge-base source ids behind the rule.
    pub fn cite(self) -> &'static [&'static str] {
        match self {
            FollowUpRule::NoAssessment | FollowUpRule::NoEntries => &[],
            FollowUpRule::NewRedFlag => &["ifompt2020", "nice_ng59"],
            FollowUpRule::UrgentAssessment => &["ifompt2020"],
            FollowUpRule::SeverePainTwice | FollowUpRule::WorseThreeDays => {
                &["seed001", "ostelo2008", "nice_cks_lbp"]
            }
            FollowUpRule::NotBetterAfterWeek | FollowUpRule::AwaitingDaySeven => {
                &["seed001", "ostelo2008"]
            }
            FollowUpRule::BetterTwoWeeks | FollowUpRule::OnTrack => &["ostelo2008", "farrar2001"],
        }
    }
}

/// The advice, the rule that gave it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub action: Action,
    pub rule: FollowUpRule,
    /// Plain-language reason naming the entries that decided.
    pub reason: String,
    /// Source ids (see [`FollowUpRule::cite`]).
    pub cite: Vec<String>,
    /// The pain compared against, when there was one.
    pub baseline_pain: Option<u8>,
    /// How the latest entry compares with it.
    pub latest: Option<Change>,
}

/// Everything the rules look at.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpInput<'a> {
    /// The last saved assessment, if any.
    pub assessment: Option<Baseline>,
    /// Diary entries in any order; those before the assessment or after `today` are ignored.
    pub entries: &'a [DiaryPoint],
    pub today: Date,
    /// First day of the plan's current phase ([`crate::Plan::phase_start`]): "better for two weeks"
    /// counts only entries from then, so the plan moves on at most once per two weeks.
    pub phase_start: Option<Date>,
}

fn days(from: Date, to: Date) -> i32 {
    (to - from).get_days()
}

/// Calendar days a run of entries covers, both ends included.
fn span(run: &[DiaryPoint]) -> i32 {
    match (run.first(), run.last()) {
        (Some(a), Some(b)) => days(a.date, b.date) + 1,
        _ => 0,
    }
}

/// Apply the follow-up rules.
pub fn follow_up(input: &FollowUpInput<'_>) -> FollowUp {
    let out = |rule: FollowUpRule, action: Action, reason: String| FollowUp {
        action,
        rule,
        reason,
        cite: rule.cite().iter().map(|s| s.to_string()).collect(),
        baseline_pain: None,
        latest: None,
    };
    let Some(a) = input.assessment else {
        return out(
            FollowUpRule::NoAssessment,
            Action::NeedsAssessment,
            "The diary needs an assessment first: describe your pain with `dorsum check` (or `dorsum assess`) \
             so the entries have something to be compared with."
                .into(),
        );
    };
    let mut entries: Vec<DiaryPoint> = input
        .entries
        .iter()
        .copied()
        .filter(|e| e.date >= a.date && e.date <= input.today)
        .collect();
    entries.sort_by_key(|e| e.date);

    if let Some(e) = entries.iter().find(|e| e.new_red_flag) {
        return out(
            FollowUpRule::NewRedFlag,
            Action::Retriage,
            format!(
                "The symptoms noted on {} include a warning sign that was not there at the assessment: assess again now, with everything you have noticed.",
                e.date
            ),
        );
    }
    if a.level >= TriageLevel::Consultation24 {
        return out(
            FollowUpRule::UrgentAssessment,
            Action::UrgentCare,
            format!(
                "Your assessment on {} asked you to {}. Do that first; the home plan is for self-care.",
                a.date,
                match a.level {
                    TriageLevel::EmergencyAmbulance => "call an ambulance",
                    TriageLevel::Emergency => "go to the emergency department",
                    _ => "see a doctor within 24 hours",
                }
            ),
        );
    }

    let Some(baseline) = a.pain.or(entries.first().map(|e| e.pain)) else {
        return out(
            FollowUpRule::NoEntries,
            Action::Continue,
            format!(
                "No diary entries since your assessment on {}: add one with today's pain (0-10).",
                a.date
            ),
        );
    };
    let with = |mut f: FollowUp| {
        f.baseline_pain = Some(baseline);
        f.latest = entries.last().map(|e| change(baseline, e.pain));
        f
    };
    let against = if a.pain.is_some() {
        format!("the {baseline}/10 at your assessment on {}", a.date)
    } else {
        format!("your first entry ({baseline}/10)")
    };

    // Severe pain twice within a week.
    let severe: Vec<&DiaryPoint> = entries.iter().filter(|e| e.pain >= SEVERE_PAIN).collect();
    if let Some(w) = severe
        .windows(2)
        .find(|w| days(w[0].date, w[1].date) <= SEVERE_WINDOW_DAYS)
    {
        return with(out(
            FollowUpRule::SeverePainTwice,
            Action::Consultation,
            format!(
                "Your pain was {}/10 on {} and {}/10 on {}: severe pain twice within a week needs a doctor or physiotherapist to check you. Book an appointment.",
                w[0].pain, w[0].date, w[1].pain, w[1].date
            ),
        ));
    }

    // Worse on consecutive entries spanning three days.
    let runs = |kind: Change, from: &[DiaryPoint]| -> Vec<Vec<DiaryPoint>> {
        let mut runs: Vec<Vec<DiaryPoint>> = Vec::new();
        let mut current: Vec<DiaryPoint> = Vec::new();
        for e in from {
            if change(baseline, e.pain) == kind {
                current.push(*e);
            } else if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            runs.push(current);
        }
        runs
    };
    if let Some(run) = runs(Change::Worse, &entries)
        .into_iter()
        .find(|r| span(r) >= WORSE_SPAN_DAYS)
    {
        let (first, last) = (run[0], run[run.len() - 1]);
        return with(out(
            FollowUpRule::WorseThreeDays,
            Action::Consultation,
            format!(
                "Your pain has been worse than {against} from {} to {} (now {}/10): book an appointment with a doctor or physiotherapist.",
                first.date, last.date, last.pain
            ),
        ));
    }

    // Not better a week after the assessment.
    if days(a.date, input.today) >= NOT_BETTER_AFTER_DAYS {
        let day_seven = entries
            .iter()
            .rev()
            .find(|e| days(a.date, e.date) >= NOT_BETTER_AFTER_DAYS);
        match day_seven {
            Some(e) if change(baseline, e.pain) != Change::Better => {
                return with(out(
                    FollowUpRule::NotBetterAfterWeek,
                    Action::Consultation,
                    format!(
                        "A week or more after your assessment your pain is {}/10 on {}, not clearly better than {against}: book an appointment with a doctor or physiotherapist.",
                        e.pain, e.date
                    ),
                ));
            }
            Some(_) => {}
            None => {
                return with(out(
                    FollowUpRule::AwaitingDaySeven,
                    Action::Continue,
                    format!(
                        "It is a week or more since your assessment on {}: add an entry with today's pain to check whether it is better.",
                        a.date
                    ),
                ));
            }
        }
    }

    // Better for two weeks running, counted from the start of the current phase.
    let recent: Vec<DiaryPoint> = entries
        .iter()
        .copied()
        .filter(|e| input.phase_start.is_none_or(|s| e.date >= s))
        .collect();
    // The run of better entries that reaches the latest entry.
    let trailing_better = runs(Change::Better, &recent)
        .pop()
        .filter(|r| r.last() == recent.last())
        .filter(|r| span(r) >= BETTER_SPAN_DAYS);
    if let Some(run) = trailing_better {
        return with(out(
            FollowUpRule::BetterTwoWeeks,
            Action::NextPhase,
            format!(
                "Your pain has been better than {against} from {} to {}: move on to the next phase of your plan.",
                run[0].date,
                run[run.len() - 1].date
            ),
        ));
    }

    let reason = match entries.last() {
        None => format!(
            "No diary entries since your assessment on {}: add one with today's pain (0-10).",
            a.date
        ),
        Some(e) => format!(
            "Latest pain {}/10 on {} ({} {against}). Keep going with the plan, and check again at once if a new symptom appears.",
            e.pain,
            e.date,
            match change(baseline, e.pain) {
                Change::Better => "better than",
                Change::Same => "about the same as",
                Change::Worse => "worse than",
            }
        ),
    };
    let rule = if entries.is_empty() {
        FollowUpRule::NoEntries
    } else {
        FollowUpRule::OnTrack
    };
    with(out(rule, Action::Continue, reason))
}

#[cfg(test)]
mod tests;
