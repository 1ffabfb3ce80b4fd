//! Inverted indices over a knowledge base, built once, so that scoring every possible next question costs
//! at most one pass over the likelihood table instead of one assessment per question.

use dorsum_kb::{FindingIx, FindingKind, Kb, Sex};

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

/// Per-finding lookups the interview needs, laid out flat (one allocation per table, each finding's entries
/// contiguous) because every step walks most of them.
#[derive(Debug, Clone)]
pub struct InterviewIndex {
    /// Every link, grouped by finding: finding `f`'s are `links[link_at[f]..link_at[f + 1]]`.
    links: Vec<Link>,
    /// The likelihood ratios themselves (LR+, LR-), parallel to `links`, for the gain bounds (the loader
    /// keeps them within [0.01, 100], so the bounds stay finite).
    ratios: Vec<(f64, f64)>,
    link_at: Vec<u32>,
    /// The rules each finding is in (`all` or `any`), grouped the same way.
    rules: Vec<usize>,
    rule_at: Vec<u32>,
    findings: Vec<FindingInfo>,
    groups: Vec<GroupInfo>,
    /// Findings in no group, in knowledge-base order: each is a yes/no question of its own.
    singles: Vec<FindingIx>,
}

/// What the question chooser reads about a finding, compact.
#[derive(Debug, Clone, Copy)]
pub(super) struct FindingInfo {
    /// Chosen by a pain score rather than a yes or no (a number question).
    pub numeric: bool,
    pub red_flag: bool,
    /// A place on the body map.
    pub location: bool,
    /// Only asked of this sex.
    pub sex: Option<Sex>,
}

/// What the question chooser reads about a group.
#[derive(Debug, Clone, Copy)]
pub(super) struct GroupInfo {
    pub exclusive: bool,
    /// Some member is picked by a pain score.
    pub numeric: bool,
    /// Some member is a place: the body map.
    pub body_map: bool,
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
        let mut by_finding: Vec<Vec<(Link, (f64, f64))>> = vec![Vec::new(); n];
        for (ci, c) in kb.conditions.iter().enumerate() {
            for l in &c.likelihoods {
                let (yes_if, yes_unless) = answer_rates(l.lr_pos, l.lr_neg);
                by_finding[l.finding.0 as usize].push((
                    Link {
                        condition: ci as u16,
                        ln_pos: l.ln_pos,
                        ln_neg: l.ln_neg,
                        yes_if,
                        yes_unless,
                    },
                    (l.lr_pos, l.lr_neg),
                ));
            }
        }
        let mut rules_by_finding = vec![Vec::new(); n];
        for (ri, r) in kb.rules.iter().enumerate() {
            for f in r.all.iter().chain(&r.any) {
                let list = &mut rules_by_finding[f.0 as usize];
                if !list.contains(&ri) {
                    list.push(ri);
                }
            }
        }
        let total: usize = by_finding.iter().map(Vec::len).sum();
        let (mut links, mut ratios) = (Vec::with_capacity(total), Vec::with_capacity(total));
        let mut link_at = Vec::with_capacity(n + 1);
        link_at.push(0);
        for list in by_finding {
            for (link, ratio) in list {
                links.push(link);
                ratios.push(ratio);
            }
            link_at.push(links.len() as u32);
        }
        let mut rules = Vec::new();
        let mut rule_at = Vec::with_capacity(n + 1);
        rule_at.push(0);
        for list in rules_by_finding {
            rules.extend(list);
            rule_at.push(rules.len() as u32);
        }
        let findings: Vec<FindingInfo> = kb
            .findings
            .iter()
            .map(|f| FindingInfo {
                numeric: f.pain_score.is_some(),
                red_flag: f.red_flag,
                location: f.kind == FindingKind::Location,
                sex: f.sex,
            })
            .collect();
        let groups = kb
            .groups
            .iter()
            .map(|g| GroupInfo {
                exclusive: g.exclusive,
                numeric: g.members.iter().any(|m| findings[m.0 as usize].numeric),
                body_map: g.members.iter().any(|m| findings[m.0 as usize].location),
            })
            .collect();
        let singles = kb
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.group.is_none())
            .map(|(i, _)| FindingIx(i as u16))
            .collect();
        InterviewIndex {
            links,
            ratios,
            link_at,
            rules,
            rule_at,
            findings,
            groups,
            singles,
        }
    }

    fn link_range(&self, f: FindingIx) -> std::ops::Range<usize> {
        let i = f.0 as usize;
        self.link_at[i] as usize..self.link_at[i + 1] as usize
    }

    /// The conditions a finding moves.
    pub fn links(&self, f: FindingIx) -> &[Link] {
        &self.links[self.link_range(f)]
    }

    /// The likelihood ratios (LR+, LR-) of `links(f)`, in the same order.
    pub(super) fn ratios(&self, f: FindingIx) -> &[(f64, f64)] {
        &self.ratios[self.link_range(f)]
    }

    /// The rules a finding can help fire (it is in their `all` or `any` list).
    pub fn rules(&self, f: FindingIx) -> &[usize] {
        let i = f.0 as usize;
        &self.rules[self.rule_at[i] as usize..self.rule_at[i + 1] as usize]
    }

    /// True when the finding is chosen by a pain score rather than a yes or no.
    pub fn numeric(&self, f: FindingIx) -> bool {
        self.findings[f.0 as usize].numeric
    }

    pub(super) fn finding(&self, f: FindingIx) -> FindingInfo {
        self.findings[f.0 as usize]
    }

    pub(super) fn group(&self, g: usize) -> GroupInfo {
        self.groups[g]
    }

    pub(super) fn singles(&self) -> &[FindingIx] {
        &self.singles
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
