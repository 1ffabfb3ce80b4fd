//! Posterior probability of each condition: prior odds times the likelihood ratios of reported findings.

use crate::evidence::{Evidence, EvidenceState, State};
use dorsum_kb::{ConditionIx, FindingIx, Kb};

/// How one finding moved one condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    pub finding: FindingIx,
    /// Whether the finding was present (true) or absent (false).
    pub present: bool,
    /// True when the absence was implied by another answer in an exclusive group.
    pub implied: bool,
    /// The likelihood ratio applied (> 1 argues for, < 1 against).
    pub ratio: f64,
    /// Its natural log: the weight added to the log-odds.
    pub weight: f64,
}

/// One condition's place in the differential.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCondition {
    pub condition: ConditionIx,
    /// Prior for this age band and sex.
    pub prior: f64,
    /// Posterior probability in [0, 1], from all the evidence: used for ranking.
    pub probability: f64,
    /// The probability used against the condition's threshold: the same, except that a present warning sign
    /// or an implied absence is never allowed to argue against the condition. Always >= `probability`.
    pub safety_probability: f64,
    /// Findings that moved it, strongest first.
    pub contributions: Vec<Contribution>,
}

/// Posterior from a prior and likelihood ratios, computed in log-odds.
#[cfg(test)]
pub fn posterior(prior: f64, ratios: impl IntoIterator<Item = f64>) -> f64 {
    from_log_odds(prior, ratios.into_iter().map(f64::ln).sum())
}

/// Posterior from a prior and the summed natural logs of the likelihood ratios.
fn from_log_odds(prior: f64, weights: f64) -> f64 {
    let prior = prior.clamp(1e-12, 1.0 - 1e-12);
    let log_odds = (prior / (1.0 - prior)).ln() + weights;
    let p = 1.0 / (1.0 + (-log_odds).exp());
    if p.is_nan() { prior } else { p.clamp(0.0, 1.0) }
}

/// Every condition, most likely first.
pub fn rank(kb: &Kb, state: &EvidenceState, evidence: &Evidence) -> Vec<RankedCondition> {
    let mut ranked: Vec<RankedCondition> = kb
        .conditions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let prior = c.prior.get(evidence.age, evidence.sex);
            let mut contributions: Vec<Contribution> = c
                .likelihoods
                .iter()
                .filter_map(|l| {
                    let (present, implied, ratio, weight) = match state.state(l.finding) {
                        State::Unknown => return None,
                        State::Present => (true, false, l.lr_pos, l.ln_pos),
                        State::Absent => (false, false, l.lr_neg, l.ln_neg),
                        State::ImpliedAbsent => (false, true, l.lr_neg, l.ln_neg),
                    };
                    (ratio != 1.0).then_some(Contribution {
                        finding: l.finding,
                        present,
                        implied,
                        ratio,
                        weight,
                    })
                })
                .collect();
            let (mut all, mut safety) = (0.0, 0.0);
            for c in &contributions {
                all += c.weight;
                // A present warning sign or an implied absence never argues against a condition here.
                let protected = c.implied || (c.present && kb.finding(c.finding).red_flag);
                safety += if protected {
                    c.weight.max(0.0)
                } else {
                    c.weight
                };
            }
            let probability = from_log_odds(prior, all);
            let safety_probability = from_log_odds(prior, safety);
            contributions.sort_by(|a, b| {
                b.weight
                    .abs()
                    .total_cmp(&a.weight.abs())
                    .then(a.finding.cmp(&b.finding))
            });
            RankedCondition {
                condition: ConditionIx(i as u16),
                prior,
                probability,
                safety_probability,
                contributions,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(a.condition.cmp(&b.condition))
    });
    ranked
}
