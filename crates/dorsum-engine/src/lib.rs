//! Dorsum's assessment engine: from what a person reports to region, red flags, triage, a ranked
//! differential with explanations, and a short self-care summary.
//!
//! Pure and deterministic: no I/O, no clock, no randomness. The same [`Evidence`] and [`Kb`] always give
//! the same [`Assessment`]. See `ARCHITECTURE.md` for the probability model and its limits.

mod differential;
mod evidence;
pub mod interview;
mod region;
mod selfcare;
mod triage;

pub use differential::{Contribution, RankedCondition};
pub use evidence::{Evidence, EvidenceState, Observation};
pub use selfcare::SelfCare;
pub use selfcare::{blocked as contraindicated, fits as fits_region, relevant_conditions};
pub use triage::{Reason, ReasonSource, Triage};

use dorsum_kb::{Kb, Region, RuleKind};

/// Everything the engine concludes about one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Where the pain sits.
    pub region: Region,
    /// The level of care and every reason that set or supported it.
    pub triage: Triage,
    /// Red-flag rules that fired, in knowledge-base order.
    pub red_flags: Vec<usize>,
    /// Conditions ranked by posterior probability, most likely first (ties keep knowledge-base order).
    pub conditions: Vec<RankedCondition>,
    /// Advice and exercises, only when the triage is `self_care` or `consultation`.
    pub self_care: Option<SelfCare>,
}

/// Assess one person.
pub fn assess(kb: &Kb, evidence: &Evidence) -> Assessment {
    let state = EvidenceState::new(kb, evidence);
    let conditions = differential::rank(kb, &state, evidence);
    let fired = triage::fired_rules(kb, &state, evidence);
    assemble(kb, evidence, &state, conditions, &fired)
}

/// The assessment from a ranking and the fired rules already computed.
fn assemble(
    kb: &Kb,
    evidence: &Evidence,
    state: &EvidenceState,
    conditions: Vec<RankedCondition>,
    fired: &[usize],
) -> Assessment {
    let red_flags = fired
        .iter()
        .copied()
        .filter(|&r| kb.rules[r].kind == RuleKind::RedFlag)
        .collect();
    let triage = triage::decide(kb, fired, &conditions);
    let region = region::locate(kb, evidence, &conditions);
    let self_care = selfcare::plan(kb, state, &triage, region, &conditions);
    Assessment {
        region,
        triage,
        red_flags,
        conditions,
        self_care,
    }
}

#[cfg(test)]
mod tests;
