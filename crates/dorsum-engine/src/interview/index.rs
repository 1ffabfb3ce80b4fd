//! Inverted indices over a knowledge base, built once, so that scoring every possible next question costs
//! one pass over the likelihood table instead of one assessment per question.

use dorsum_kb::{FindingIx, Kb};

/// One finding's link to one condition, with the answer probabilities used for information gain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Index into `Kb::conditions`.
    pub condition: u16,
    /// ln(LR+) and ln(LR-), as the engine applies them.
    pub ln_pos: f64,
    pub ln_neg: f64,
    /// P(yes | condition) and P(yes | not the condition), derived from the likelihood ratios.
    pub yes_if: f64,
    pub yes_unless: f64,
}

/// Per-finding lookups the interview needs.
#[derive(Debug, Clone)]
pub struct InterviewIndex {
    links: Vec<Vec<Link>>,
    rules: Vec<Vec<usize>>,
    /// For each finding: true when a pain score picks it (a number question).
    numeric: Vec<bool>,
}

/// Sensitivity and false-positive rate from a pair of likelihood ratios.
///
/// With LR+ > 1 > LR- the pair fixes both: spec = (LR+ - 1)/(LR+ - LR-), sens = 1 - LR- * spec. Knowledge
/// bases often leave LR- at 1 for rare findings ("absence tells little"), which no real test has; there a
/// specificity of 0.9 is assumed, so that P(yes) stays small for rare findings.
pub fn answer_rates(lr_pos: f64, lr_neg: f64) -> (f64, f64) {
    const ASSUMED_SPEC: f64 = 0.9;
    let (sens, spec) = if lr_pos > 1.0 && lr_neg < 1.0 && lr_pos > lr_neg {
        let spec = (lr_pos - 1.0) / (lr_pos - lr_neg);
        (1.0 - lr_neg * spec, spec)
    } else if lr_pos < 1.0 && lr_neg > 1.0 {
        let spec = (1.0 - lr_pos) / (lr_neg - lr_pos);
        (1.0 - lr_neg * spec, spec)
    } else {
        ((lr_pos * (1.0 - ASSUMED_SPEC)).min(0.99), ASSUMED_SPEC)
    };
    (sens.clamp(0.001, 0.999), (1.0 - spec).clamp(0.001, 0.999))
}

impl InterviewIndex {
    /// Build the indices for a knowledge base.
    pub fn new(kb: &Kb) -> Self {
        let n = kb.findings.len();
        let mut links = vec![Vec::new(); n];
        for (ci, c) in kb.conditions.iter().enumerate() {
            for l in &c.likelihoods {
                let (yes_if, yes_unless) = answer_rates(l.lr_pos, l.lr_neg);
                links[l.finding.0 as usize].push(Link {
                    condition: ci as u16,
                    ln_pos: l.ln_pos,
                    ln_neg: l.ln_neg,
                    yes_if,
                    yes_unless,
                });
            }
        }
        let mut rules = vec![Vec::new(); n];
        for (ri, r) in kb.rules.iter().enumerate() {
            for f in r.all.iter().chain(&r.any) {
                let list = &mut rules[f.0 as usize];
                if !list.contains(&ri) {
                    list.push(ri);
                }
            }
        }
        let numeric = kb.findings.iter().map(|f| f.pain_score.is_some()).collect();
        InterviewIndex {
            links,
            rules,
            numeric,
        }
    }

    /// The conditions a finding moves.
    pub fn links(&self, f: FindingIx) -> &[Link] {
        &self.links[f.0 as usize]
    }

    /// The rules a finding can help fire (it is in their `all` or `any` list).
    pub fn rules(&self, f: FindingIx) -> &[usize] {
        &self.rules[f.0 as usize]
    }

    /// True when the finding is chosen by a pain score rather than a yes or no.
    pub fn numeric(&self, f: FindingIx) -> bool {
        self.numeric[f.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::answer_rates;

    #[test]
    fn rates_reproduce_the_ratios_when_both_are_given() {
        let (sens, fpr) = answer_rates(4.0, 0.5);
        assert!((sens / fpr - 4.0).abs() < 1e-9);
        assert!(((1.0 - sens) / (1.0 - fpr) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn rates_for_a_finding_that_argues_against() {
        let (sens, fpr) = answer_rates(0.5, 2.0);
        assert!((sens / fpr - 0.5).abs() < 1e-9);
        assert!(((1.0 - sens) / (1.0 - fpr) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn an_uninformative_absence_assumes_a_rare_finding() {
        let (sens, fpr) = answer_rates(5.0, 1.0);
        assert!((fpr - 0.1).abs() < 1e-9);
        assert!((sens - 0.5).abs() < 1e-9);
        let (sens, _) = answer_rates(40.0, 1.0);
        assert!(sens <= 0.999);
    }
}
