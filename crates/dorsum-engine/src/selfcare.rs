//! The short self-care summary shown for `self_care` and `consultation` results.

use crate::differential::RankedCondition;
use crate::evidence::EvidenceState;
use crate::triage::Triage;
use dorsum_kb::{ConditionIx, Contraindications, Goal, Kb, Region, TreatmentKind, TriageLevel};

/// A summary, not the full plan: at most this many advice entries, in knowledge-base order.
pub const MAX_ADVICE: usize = 6;
/// Of which at most this many medication classes.
pub const MAX_MEDICATION: usize = 2;

/// Advice and exercises chosen for this person.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfCare {
    /// Indices into `Kb::treatments` (self-care advice and medication classes), at most [`MAX_ADVICE`].
    pub advice: Vec<usize>,
    /// Indices into `Kb::exercises`: 3 to 5 when enough fit.
    pub exercises: Vec<usize>,
}

/// Conditions likely enough to rule out what they contraindicate: the top three and any at 10% or more.
pub fn relevant_conditions(ranked: &[RankedCondition]) -> Vec<ConditionIx> {
    ranked
        .iter()
        .enumerate()
        .filter(|(i, rc)| *i < 3 || rc.probability >= 0.10)
        .map(|(_, rc)| rc.condition)
        .collect()
}

/// True when a contraindication names a present finding or one of the `relevant` conditions.
pub fn blocked(c: &Contraindications, state: &EvidenceState, relevant: &[ConditionIx]) -> bool {
    c.findings.iter().any(|&f| state.present(f))
        || c.conditions.iter().any(|c| relevant.contains(c))
}

/// True when entries tagged with `regions` suit pain in `region` (`both` takes upper and lower entries).
pub fn fits(regions: &[Region], region: Region) -> bool {
    regions.iter().any(|&r| {
        r == region
            || r == Region::Both
            || (region == Region::Both && matches!(r, Region::Upper | Region::Lower))
    })
}

/// A summary, or `None` when the triage is `consultation_24` or more urgent.
pub fn plan(
    kb: &Kb,
    state: &EvidenceState,
    triage: &Triage,
    region: Region,
    ranked: &[RankedCondition],
) -> Option<SelfCare> {
    if triage.level > TriageLevel::Consultation {
        return None;
    }
    let relevant = relevant_conditions(ranked);
    // Self-care advice first, then medication classes; the knowledge base lists each in order of importance.
    let usable = |kind: TreatmentKind| {
        kb.treatments
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.kind == kind)
            .filter(|(_, t)| fits(&t.regions, region))
            .filter(|(_, t)| !blocked(&t.contraindications, state, &relevant))
            .map(|(i, _)| i)
    };
    let advice = usable(TreatmentKind::SelfCare)
        .take(MAX_ADVICE - MAX_MEDICATION)
        .chain(usable(TreatmentKind::Medication).take(MAX_MEDICATION))
        .collect();
    let leading = ranked.first().map(|rc| rc.condition);
    let mut candidates: Vec<(usize, bool)> = kb
        .exercises
        .iter()
        .enumerate()
        .filter(|(_, e)| fits(&e.regions, region))
        .filter(|(_, e)| !blocked(&e.contraindications, state, &relevant))
        .map(|(i, e)| (i, leading.is_some_and(|l| e.suits.contains(&l))))
        .collect();
    // Exercises that suit the leading cause first, then knowledge-base order.
    candidates.sort_by_key(|&(i, suits)| (!suits, i));
    // One of each goal first (mobility, strength, relaxation), then fill up to five.
    let mut exercises = Vec::new();
    for goal in [Goal::Mobility, Goal::Strength, Goal::Relaxation] {
        if let Some(&(i, _)) = candidates
            .iter()
            .find(|&&(i, _)| kb.exercises[i].goal == goal && !exercises.contains(&i))
        {
            exercises.push(i);
        }
    }
    for &(i, _) in &candidates {
        if exercises.len() >= 5 {
            break;
        }
        if !exercises.contains(&i) {
            exercises.push(i);
        }
    }
    exercises.sort_by_key(|i| candidates.iter().position(|&(c, _)| c == *i));
    Some(SelfCare { advice, exercises })
}
