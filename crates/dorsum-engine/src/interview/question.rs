//! Questions, answers, and how the next question is chosen: first any question whose answer could raise the
//! triage (the most urgent first), then the one with the greatest urgency-weighted expected information gain.
//!
//! Choosing is the costly part of a step (a large knowledge base has thousands of open findings and tens of
//! thousands of likelihood ratios), so it avoids computing gains it does not need, without changing what
//! is chosen: what each question could raise the triage to is exact and cheap (no logarithms), so only the
//! questions that could raise it most compete; their gains are bounded from above without logarithms
//! (`Picture::gain_bound_cheap`, then the tighter `Picture::gain_bound`), and a question's exact gain,
//! with the same formulas and floating-point operations as ever, is computed only while its bound could
//! still reach the best gain found so far. Within a "choose all" question, option gains are computed only
//! for options that could still make its [`MAX_OPTIONS`]. `tests/interview_equivalence.rs` checks the
//! choices against a plain reference chooser.

use super::index::InterviewIndex;
use crate::differential::RankedCondition;
use crate::evidence::{Evidence, EvidenceState, Observation, State};
use dorsum_kb::{ConditionIx, FindingIx, GroupIx, Kb, Rule, TriageLevel};

/// At most this many choices in one "choose all that apply" question.
pub const MAX_OPTIONS: usize = 12;
/// A condition is "in the picture" for the stopping rule at this probability or more.
pub const MIN_RELEVANT: f64 = 0.01;
/// A condition that needs emergency care (its urgency is `emergency` or `emergency_ambulance`) is in the
/// picture from this lower probability: a free-text opener often says little about it, and missing one costs
/// far more than a question.
pub const MIN_RELEVANT_EMERGENCY: f64 = MIN_RELEVANT / 10.0;

/// The probability from which a condition of this urgency is in the picture: the more urgent, the lower —
/// [`MIN_RELEVANT_EMERGENCY`] for conditions that need emergency care, half of [`MIN_RELEVANT`] for those
/// that need a doctor within 24 hours, [`MIN_RELEVANT`] for the rest.
pub fn min_relevant(urgency: TriageLevel) -> f64 {
    if urgency >= TriageLevel::Emergency {
        MIN_RELEVANT_EMERGENCY
    } else if urgency == TriageLevel::Consultation24 {
        MIN_RELEVANT / 2.0
    } else {
        MIN_RELEVANT
    }
}
/// Expected information below this (in urgency-weighted bits) is not worth a question.
pub const MIN_GAIN: f64 = 0.01;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// Yes, no, or don't know, about one finding.
    YesNo,
    /// Exactly one of the options (or don't know).
    OneOf,
    /// Every option that applies; choosing none means none applies (or don't know).
    AnyOf,
    /// A whole number in a range (a pain score), or don't know.
    Number { min: u8, max: u8 },
}

impl AnswerKind {
    /// Stable wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::YesNo => "yes_no",
            AnswerKind::OneOf => "one_of",
            AnswerKind::AnyOf => "any_of",
            AnswerKind::Number { .. } => "number",
        }
    }
}

/// Why a question is asked: what it could change.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    /// The most urgent level a "yes" could raise the triage to, when that is above the current level.
    pub could_raise_to: Option<TriageLevel>,
    /// Warning signs among the options: (option, index into `Kb::rules` of a rule a "yes" to that option
    /// alone would fire), most urgent first.
    pub rules: Vec<(FindingIx, usize)>,
    /// The conditions the answer separates best, most informative first (at most four).
    pub separates: Vec<ConditionIx>,
    /// Urgency-weighted expected information gain, in bits.
    pub gain: f64,
}

/// One question to put to the person.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The knowledge-base group it comes from (`None` for a finding outside any group).
    pub group: Option<GroupIx>,
    pub kind: AnswerKind,
    /// The findings it asks about: one for yes/no, the choices otherwise, in knowledge-base order.
    pub options: Vec<FindingIx>,
    pub why: Why,
    /// The three leading conditions when the question was chosen (for the stopping rule).
    pub top3: Vec<ConditionIx>,
}

impl Question {
    /// The wording: a finding's own question for yes/no, else the group's.
    pub fn text<'k>(&self, kb: &'k Kb) -> &'k str {
        match (self.kind, self.group) {
            (AnswerKind::YesNo, _) | (_, None) => &kb.finding(self.options[0]).question,
            (_, Some(g)) => &kb.group(g).question,
        }
    }

    /// Help text, if the knowledge base has any.
    pub fn help<'k>(&self, kb: &'k Kb) -> Option<&'k str> {
        let group_help = self.group.and_then(|g| kb.group(g).help.as_deref());
        match self.kind {
            AnswerKind::YesNo => kb.finding(self.options[0]).help.as_deref().or(group_help),
            _ => group_help,
        }
    }

    /// "Why am I asked this?" in plain words.
    pub fn why_text(&self, kb: &Kb) -> String {
        let names: Vec<String> = self
            .why
            .separates
            .iter()
            .map(|&c| kb.condition(c).name.to_lowercase())
            .collect();
        let list = |joiner: &str| match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} {joiner} {last}", rest.join(", ")),
        };
        match (self.why.could_raise_to, names.is_empty()) {
            (Some(level), true) => format!(
                "We ask about warning signs first. A \"yes\" here would mean you need {}.",
                crate::triage::level_phrase(level)
            ),
            (Some(level), false) => format!(
                "We ask about warning signs first. A \"yes\" here would mean you need {1}: it can be a sign of {0}.",
                list("or"),
                crate::triage::level_phrase(level)
            ),
            (None, true) => "Your answer helps make the picture more certain.".into(),
            (None, false) => format!(
                "Your answer helps tell apart the likely causes: {}.",
                list("and")
            ),
        }
    }
}

/// An answer to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Yes,
    No,
    /// Always allowed; the findings stay unknown and the question is not asked again.
    DontKnow,
    /// The options that apply (for `OneOf`, exactly one; for `AnyOf`, any number, none meaning "none of these").
    Chosen(Vec<FindingIx>),
    /// A number for a `Number` question.
    Number(u8),
}

/// Why an answer does not fit its question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("this question is answered yes, no or don't know")]
    NotYesNo,
    #[error("choose only from the options offered")]
    NotAnOption,
    #[error("choose exactly one option, or don't know")]
    NotOne,
    #[error("answer with a whole number from {min} to {max}, or don't know")]
    OutOfRange { min: u8, max: u8 },
    #[error("this question takes a choice, not {0}")]
    WrongKind(&'static str),
    #[error("there is no earlier answer number {0}")]
    NoSuchAnswer(usize),
}

impl Answer {
    /// Check the answer fits the question.
    pub fn validate(&self, q: &Question) -> Result<(), AnswerError> {
        match (q.kind, self) {
            (_, Answer::DontKnow) => Ok(()),
            (AnswerKind::YesNo, Answer::Yes | Answer::No) => Ok(()),
            (AnswerKind::YesNo, _) => Err(AnswerError::NotYesNo),
            (AnswerKind::OneOf, Answer::Chosen(c)) if c.len() > 1 => Err(AnswerError::NotOne),
            (AnswerKind::OneOf | AnswerKind::AnyOf, Answer::Chosen(c)) => {
                if c.iter().all(|f| q.options.contains(f)) {
                    Ok(())
                } else {
                    Err(AnswerError::NotAnOption)
                }
            }
            (AnswerKind::Number { min, max }, Answer::Number(n)) => {
                if (min..=max).contains(n) {
                    Ok(())
                } else {
                    Err(AnswerError::OutOfRange { min, max })
                }
            }
            (AnswerKind::Number { min, max }, _) => Err(AnswerError::OutOfRange { min, max }),
            (_, Answer::Yes) => Err(AnswerError::WrongKind("yes")),
            (_, Answer::No) => Err(AnswerError::WrongKind("no")),
            (_, Answer::Number(_)) => Err(AnswerError::WrongKind("a number")),
        }
    }

    /// The observations an answer to `q` adds. A "choose all" answer makes every option offered but not
    /// chosen absent; "don't know" adds nothing.
    pub fn observations(&self, kb: &Kb, q: &Question) -> Vec<Observation> {
        let obs = |finding, present| Observation { finding, present };
        match self {
            Answer::DontKnow => Vec::new(),
            Answer::Yes => vec![obs(q.options[0], true)],
            Answer::No => vec![obs(q.options[0], false)],
            Answer::Chosen(chosen) => q
                .options
                .iter()
                .map(|&f| obs(f, chosen.contains(&f)))
                .collect(),
            Answer::Number(n) => q
                .options
                .iter()
                .map(|&f| {
                    let picked = kb
                        .finding(f)
                        .pain_score
                        .is_some_and(|(lo, hi)| (lo..hi).contains(&f64::from(*n)));
                    obs(f, picked)
                })
                .collect(),
        }
    }
}

/// What one finding could do if asked about now.
#[derive(Debug, Clone, Copy)]
struct OptionScore {
    finding: FindingIx,
    /// The most urgent level a "yes" would give, if above the current one.
    raise: Option<TriageLevel>,
    gain: f64,
}

/// Binary entropy in bits.
fn entropy(p: f64) -> f64 {
    if p <= 0.0 || p >= 1.0 {
        0.0
    } else {
        -(p * p.log2() + (1.0 - p) * (1.0 - p).log2())
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

/// How much more an answer about an urgent condition is worth.
fn urgency_weight(level: TriageLevel) -> f64 {
    match level {
        TriageLevel::SelfCare => 1.0,
        TriageLevel::Consultation => 1.5,
        TriageLevel::Consultation24 => 3.0,
        TriageLevel::Emergency => 5.0,
        TriageLevel::EmergencyAmbulance => 6.0,
    }
}

/// A lower bound on `ln x` for a positive normal `x`, with no logarithm: x = 2^e·m with m in [√½, √2),
/// ln m from below by the Padé form P(m) = 3(m² − 1)/(m² + 4m + 1).
///
/// Why it is a lower bound: ln m − P(m) has derivative (m − 1)⁴ / (m (m² + 4m + 1)²) ≥ 0 and is 0 at 1, so
/// P(m) ≤ ln m for m ≥ 1; for m < 1 the gap is at most (1 − m)⁵/5 · max 1/(t (t² + 4t + 1)²) over
/// [√½, 1] = 0.0151 (1 − m)⁵, which is subtracted (as 0.016). The error is about (m − 1)⁵/180, so where
/// x is near 1 (the usual case: a posterior move from a small probability) the bound is nearly exact.
fn ln_below(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0);
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let m2 = m * m;
    let pade = 3.0 * (m2 - 1.0) / (m2 + 4.0 * m + 1.0);
    let d = (1.0 - m).max(0.0);
    e as f64 * std::f64::consts::LN_2 + pade - 0.016 * (d * d) * (d * d) * d
}

/// Per-condition values for one step, computed once instead of once per link.
#[derive(Debug, Clone, Copy)]
struct ConditionStep {
    /// Posterior probability (0 for a condition the ranking left out).
    p: f64,
    /// logit(p) and the binary entropy of p, exactly as the per-link formulas compute them.
    logit_p: f64,
    entropy_p: f64,
    weight: f64,
    urgency: TriageLevel,
    /// A "yes" could push it over its threshold: more urgent than the current level, and in the picture
    /// (safety probability at [`min_relevant`] of its urgency or more).
    raisable: bool,
    logit_safety: f64,
    threshold: f64,
    /// logit(threshold), for deciding most threshold tests without an exponential (NaN when the threshold is
    /// not strictly between 1e-6 and 1 − 1e-6: those are always tested in full).
    logit_threshold: f64,
    /// For the gain bounds: p clamped as `logit` clamps it (pc), qc = 1 − pc, ln pc, qc·ln qc, and for the
    /// cheap bound k1 = 1 − ln pc and k0 = pc + qc·ln qc.
    pc: f64,
    qc: f64,
    ln_pc: f64,
    qc_ln_qc: f64,
    k1: f64,
    k0: f64,
}

impl ConditionStep {
    /// `sigmoid(x) >= threshold`, exactly as computed that way, but without the exponential unless x is
    /// within 1e-6 of logit(threshold). Outside that margin the answer is certain: sigmoid is increasing,
    /// and over 1e-6 in x it moves by at least about t(1 − t)·1e-6 ≥ 1e-12 for t in (1e-6, 1 − 1e-6), far
    /// above the rounding in `sigmoid` (a few 1e-16) and in logit(threshold) (about 1e-15).
    #[inline]
    fn passes(&self, x: f64) -> bool {
        // sigmoid is never above 1 nor below 0.
        if self.threshold > 1.0 {
            return false;
        }
        if self.threshold <= 0.0 {
            return true;
        }
        if x > self.logit_threshold + 1e-6 {
            true
        } else if x < self.logit_threshold - 1e-6 {
            false
        } else {
            sigmoid(x) >= self.threshold
        }
    }

    /// The entropy, in nats, of the posterior after a finding with likelihood ratio `lr` (= e^`ln_lr`),
    /// from below. With a = pc·lr, the posterior is a/s for s = a + qc, and its entropy is exactly
    /// ln s − (a·ln a + qc·ln qc)/s; only ln s needs a logarithm, here taken from below by [`ln_below`].
    #[inline]
    fn posterior_entropy_below(&self, lr: f64, ln_lr: f64) -> f64 {
        let a = self.pc * lr;
        let s = a + self.qc;
        (ln_below(s) - (a * (self.ln_pc + ln_lr) + self.qc_ln_qc) / s).max(0.0)
    }

    /// The same with ln s ≥ 1 − 1/s (off by about (s − 1)²/2), which makes the entropy bound
    /// (s − 1 − a·ln a − qc·ln qc)/s = (a·(k1 − ln lr) − k0)/s: returned as numerator and denominator,
    /// the numerator at least 0.
    #[inline]
    fn posterior_entropy_below_cheap(&self, lr: f64, ln_lr: f64) -> (f64, f64) {
        let a = self.pc * lr;
        ((a * (self.k1 - ln_lr) - self.k0).max(0.0), a + self.qc)
    }
}

/// A rule's verdict if `extra` were also present.
fn fires_with(rule: &Rule, state: &EvidenceState, evidence: &Evidence, extra: FindingIx) -> bool {
    let present = |f: FindingIx| f == extra || state.present(f);
    rule.all.iter().all(|&f| present(f))
        && (rule.any.is_empty() || rule.any.iter().any(|&f| present(f)))
        && !rule.unless.iter().any(|&f| present(f))
        && rule.min_age.is_none_or(|a| evidence.age >= a)
        && rule.max_age.is_none_or(|a| evidence.age <= a)
        && rule.sex.is_none_or(|s| evidence.sex == s)
}

/// One open finding of a possible question.
#[derive(Debug, Clone, Copy)]
struct Open {
    finding: FindingIx,
    raise: Option<TriageLevel>,
    /// An upper bound on its gain (infinite until computed).
    bound: f64,
}

/// A possible question before its gain is known: a group, or a finding in no group.
struct Slot {
    group: Option<GroupIx>,
    /// Exclusive in the knowledge base (a pain-score group is answered as one choice as well).
    exclusive: bool,
    numeric: bool,
    body_map: bool,
    /// Its open findings and the rules they would fire, as ranges of the shared lists.
    open: std::ops::Range<usize>,
    rules: std::ops::Range<usize>,
    /// The most urgent level a "yes" to one of its options could raise the triage to (exact).
    raise: Option<TriageLevel>,
    /// An upper bound on its gain, once computed.
    bound: f64,
}

impl Slot {
    /// Every open finding becomes an option (else: the useful ones, at most [`MAX_OPTIONS`]).
    fn keeps_all(&self) -> bool {
        self.numeric || (self.exclusive && self.open.len() > 1) || self.body_map
    }
}

/// The picture the next question is chosen against.
pub(super) struct Picture<'a> {
    pub kb: &'a Kb,
    pub index: &'a InterviewIndex,
    pub evidence: &'a Evidence,
    pub state: &'a EvidenceState,
    pub level: TriageLevel,
    /// Posterior and safety probability by condition index.
    pub probability: Vec<f64>,
    pub safety: Vec<f64>,
    pub top3: Vec<ConditionIx>,
    conditions: Vec<ConditionStep>,
    /// By finding: the most urgent condition a "yes" to it would push over its threshold (`SelfCare` when
    /// none would).
    tips: Vec<TriageLevel>,
}

impl<'a> Picture<'a> {
    pub fn new(
        kb: &'a Kb,
        index: &'a InterviewIndex,
        evidence: &'a Evidence,
        state: &'a EvidenceState,
        level: TriageLevel,
        ranked: &[RankedCondition],
    ) -> Self {
        let mut probability = vec![0.0; kb.conditions.len()];
        let mut safety = vec![0.0; kb.conditions.len()];
        for rc in ranked {
            probability[rc.condition.0 as usize] = rc.probability;
            safety[rc.condition.0 as usize] = rc.safety_probability;
        }
        let conditions = kb
            .conditions
            .iter()
            .zip(probability.iter().zip(&safety))
            .map(|(c, (&p, &s))| {
                let raisable = c.urgency > level && s >= min_relevant(c.urgency);
                let pc = p.clamp(1e-12, 1.0 - 1e-12);
                // entropy(p), with its two logarithms kept for the bound (which needs them only to
                // within rounding).
                let (log2_p, log2_q) = (pc.log2(), (1.0 - pc).log2());
                let entropy_p = if p <= 0.0 || p >= 1.0 {
                    0.0
                } else if p == pc {
                    -(p * log2_p + (1.0 - p) * log2_q)
                } else {
                    entropy(p)
                };
                let ln_pc = log2_p * std::f64::consts::LN_2;
                let qc_ln_qc = (1.0 - pc) * log2_q * std::f64::consts::LN_2;
                ConditionStep {
                    p,
                    logit_p: logit(p),
                    entropy_p,
                    weight: urgency_weight(c.urgency),
                    urgency: c.urgency,
                    raisable,
                    logit_safety: if raisable { logit(s) } else { 0.0 },
                    threshold: c.threshold,
                    logit_threshold: if raisable && c.threshold > 1e-6 && c.threshold < 1.0 - 1e-6 {
                        logit(c.threshold)
                    } else {
                        f64::NAN
                    },
                    pc,
                    qc: 1.0 - pc,
                    ln_pc,
                    qc_ln_qc,
                    k1: 1.0 - ln_pc,
                    k0: pc + qc_ln_qc,
                }
            })
            .collect::<Vec<ConditionStep>>();
        // Could a "yes" push a condition over its threshold? Only for conditions in the picture (few), so
        // walk their links rather than every finding's.
        let mut tips = vec![TriageLevel::SelfCare; kb.findings.len()];
        for (c, step) in kb.conditions.iter().zip(&conditions) {
            if !step.raisable {
                continue;
            }
            for l in &c.likelihoods {
                let tip = &mut tips[l.finding.0 as usize];
                if step.urgency <= *tip {
                    continue;
                }
                let shift = if index.finding(l.finding).red_flag {
                    l.ln_pos.max(0.0)
                } else {
                    l.ln_pos
                };
                if step.passes(step.logit_safety + shift) {
                    *tip = step.urgency;
                }
            }
        }
        Picture {
            kb,
            index,
            evidence,
            state,
            level,
            probability,
            safety,
            top3: ranked.iter().take(3).map(|rc| rc.condition).collect(),
            conditions,
            tips,
        }
    }

    /// The most urgent level a "yes" to `f` would give, if above the current one; the rules that "yes"
    /// would fire go to `rules_out`.
    fn raise(&self, f: FindingIx, rules_out: &mut Vec<(FindingIx, usize)>) -> Option<TriageLevel> {
        let kb = self.kb;
        let mut raise = TriageLevel::SelfCare;
        let links = self.index.links(f);
        let rules = self.index.rules(f);
        if !rules.is_empty() {
            // A warning sign is in the picture when it points to a condition in the picture (at
            // `min_relevant` of its urgency or more); one that points to no condition at all is always
            // asked about (nothing says it is out of the picture).
            let in_picture = links.iter().all(|l| l.ln_pos <= 0.0)
                || links.iter().any(|l| {
                    let ci = l.condition as usize;
                    l.ln_pos > 0.0 && self.safety[ci] >= min_relevant(kb.conditions[ci].urgency)
                });
            for &ri in rules {
                let rule = &kb.rules[ri];
                // Act-now warning signs are always screened for; the rest only within the picture.
                if !in_picture && rule.level < TriageLevel::Emergency {
                    continue;
                }
                if rule.level > self.level && fires_with(rule, self.state, self.evidence, f) {
                    raise = raise.max(rule.level);
                    rules_out.push((f, ri));
                }
            }
        }
        raise = raise.max(self.tips[f.0 as usize]);
        (raise > self.level).then_some(raise)
    }

    /// Urgency-weighted expected information gain of asking about `f`: per linked condition, the binary
    /// entropy now less the expected entropy after the answer.
    fn gain(&self, f: FindingIx) -> f64 {
        let mut gain = 0.0;
        for link in self.index.links(f) {
            let c = &self.conditions[link.condition as usize];
            let p = c.p;
            let yes = p * link.yes_if + (1.0 - p) * link.yes_unless;
            let after_yes = sigmoid(c.logit_p + link.ln_pos);
            let after_no = sigmoid(c.logit_p + link.ln_neg);
            let expected = yes * entropy(after_yes) + (1.0 - yes) * entropy(after_no);
            gain += c.weight * (c.entropy_p - expected).max(0.0);
        }
        gain
    }

    /// An upper bound on `gain(f)`, with no logarithm or exponential per link: each posterior entropy is
    /// taken from below, so the expected entropy after the answer is too. Within about 1e-5 of the gain.
    /// The margin covers rounding in both this and `gain` (each is within about 1e-13 per link).
    fn gain_bound(&self, f: FindingIx) -> f64 {
        let links = self.index.links(f);
        let mut bound = 0.0;
        for (link, &(lr_pos, lr_neg)) in links.iter().zip(self.index.ratios(f)) {
            let c = &self.conditions[link.condition as usize];
            if c.entropy_p <= 0.0 {
                // The gain term is max(0 − expected, 0) = 0.
                continue;
            }
            let yes = c.p * link.yes_if + (1.0 - c.p) * link.yes_unless;
            let expected = (yes * c.posterior_entropy_below(lr_pos, link.ln_pos)
                + (1.0 - yes) * c.posterior_entropy_below(lr_neg, link.ln_neg))
                * std::f64::consts::LOG2_E;
            bound += c.weight * (c.entropy_p - expected).max(0.0);
        }
        bound * (1.0 + 1e-9) + 1e-11 * (links.len() as f64 + 1.0)
    }

    /// A cheaper and looser upper bound on `gain(f)` (typically 1–20% above it): one division per link.
    fn gain_bound_cheap(&self, f: FindingIx) -> f64 {
        let links = self.index.links(f);
        let mut bound = 0.0;
        for (link, &(lr_pos, lr_neg)) in links.iter().zip(self.index.ratios(f)) {
            // No test for entropy_p = 0: the term is then max(0 − expected, 0) = 0 anyway.
            let c = &self.conditions[link.condition as usize];
            let yes = c.p * link.yes_if + (1.0 - c.p) * link.yes_unless;
            let (n_yes, s_yes) = c.posterior_entropy_below_cheap(lr_pos, link.ln_pos);
            let (n_no, s_no) = c.posterior_entropy_below_cheap(lr_neg, link.ln_neg);
            let expected = (yes * n_yes * s_no + (1.0 - yes) * n_no * s_yes) / (s_yes * s_no)
                * std::f64::consts::LOG2_E;
            bound += c.weight * (c.entropy_p - expected).max(0.0);
        }
        bound * (1.0 + 1e-9) + 1e-11 * (links.len() as f64 + 1.0)
    }

    /// An upper bound on a slot's gain from its options' bounds: the sum over the options it would keep
    /// (for a "choose all", at most [`MAX_OPTIONS`] of those that could raise the triage or reach
    /// [`MIN_GAIN`]).
    fn slot_bound(slot: &Slot, open: &[Open]) -> f64 {
        let sum = if slot.keeps_all() {
            open.iter().map(|o| o.bound).sum::<f64>()
        } else {
            let mut top = [0.0f64; MAX_OPTIONS];
            for o in open {
                if (o.raise.is_some() || o.bound >= MIN_GAIN) && o.bound > top[MAX_OPTIONS - 1] {
                    // Insert into the descending top list, dropping the smallest.
                    let mut b = o.bound;
                    for t in &mut top {
                        if b > *t {
                            std::mem::swap(t, &mut b);
                        }
                    }
                }
            }
            top.iter().sum::<f64>()
        };
        sum * (1.0 + 1e-9)
    }

    /// The conditions more urgent than the current level that a "yes" to these options points to, most urgent
    /// (then most strongly) first.
    fn warns_of(&self, options: &[FindingIx]) -> Vec<ConditionIx> {
        let mut found: Vec<(TriageLevel, f64, u16)> = Vec::new();
        for &f in options {
            for link in self.index.links(f) {
                let urgency = self.kb.conditions[link.condition as usize].urgency;
                if link.ln_pos <= 0.0 || urgency <= self.level {
                    continue;
                }
                match found.iter_mut().find(|(_, _, c)| *c == link.condition) {
                    Some((_, w, _)) => *w = w.max(link.ln_pos),
                    None => found.push((urgency, link.ln_pos, link.condition)),
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        found
            .iter()
            .take(2)
            .map(|(_, _, c)| ConditionIx(*c))
            .collect()
    }

    /// The conditions an option set separates best.
    fn separates(&self, options: &[FindingIx]) -> Vec<ConditionIx> {
        let mut by_condition: Vec<(u16, f64)> = Vec::new();
        for &f in options {
            for link in self.index.links(f) {
                let p = self.probability[link.condition as usize];
                if p < MIN_RELEVANT {
                    continue;
                }
                let swing = (link.ln_pos - link.ln_neg).abs() * p * (1.0 - p);
                match by_condition.iter_mut().find(|(c, _)| *c == link.condition) {
                    Some((_, s)) => *s += swing,
                    None => by_condition.push((link.condition, swing)),
                }
            }
        }
        by_condition.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        by_condition
            .iter()
            .filter(|(_, s)| *s > 0.0)
            .take(4)
            .map(|(c, _)| ConditionIx(*c))
            .collect()
    }

    /// The questions the next one is chosen from, in knowledge-base order (groups, then findings in no
    /// group), built from findings that are unknown and not offered yet.
    ///
    /// Not every question worth asking is built, only those the choice can fall on: when the evidence names
    /// no place, the body-map question (and any before it that turned out not worth asking); and every
    /// question that might be [`best`]. Which level a question could raise the triage to is cheap and exact
    /// for all of them, so only those that could raise it most compete; among those, most promising first,
    /// the gain of a question is computed only while upper bounds on it (`gain_bound_cheap`, then
    /// `gain_bound`) do not fall below the best gain found so far. The result holds every question `best`
    /// could pick, in the same order, each exactly as it would be built on its own, so `best` picks the
    /// same one, ties included, and "could any question raise the triage" has the same answer.
    pub fn candidates(&self, offered: &[bool]) -> Vec<Question> {
        let kb = self.kb;
        let mut slots: Vec<Slot> = Vec::with_capacity(kb.groups.len() + self.index.singles().len());
        let mut open: Vec<Open> = Vec::with_capacity(kb.findings.len());
        let mut rules: Vec<(FindingIx, usize)> = Vec::with_capacity(64);
        // Each group is one question; a finding outside every group is a yes/no question of its own.
        let groups = kb.groups.iter().enumerate().map(|(gi, g)| {
            let info = self.index.group(gi);
            (
                Some(GroupIx(gi as u16)),
                g.members.as_slice(),
                info.exclusive,
                info.numeric,
                info.body_map,
            )
        });
        let singles = self.index.singles().iter().map(|f| {
            let info = self.index.finding(*f);
            (
                None,
                std::slice::from_ref(f),
                false,
                info.numeric,
                info.location,
            )
        });
        for (group, members, exclusive, numeric, body_map) in groups.chain(singles) {
            let start = open.len();
            open.extend(
                members
                    .iter()
                    .copied()
                    .filter(|&f| {
                        self.state.state(f) == State::Unknown
                            && !offered[f.0 as usize]
                            && self
                                .index
                                .finding(f)
                                .sex
                                .is_none_or(|s| s == self.evidence.sex)
                    })
                    .map(|finding| Open {
                        finding,
                        raise: None,
                        bound: f64::INFINITY,
                    }),
            );
            if open.len() == start {
                continue;
            }
            let exclusive = exclusive || numeric;
            // A one-answer question is settled by any known member (for a pain score, by any answer at all).
            let settled = |f: &FindingIx| match self.state.state(*f) {
                State::Unknown => false,
                State::Present => true,
                _ => numeric,
            };
            if exclusive && members.iter().any(settled) {
                open.truncate(start);
                continue;
            }
            let rules_start = rules.len();
            let mut raise = None;
            for o in &mut open[start..] {
                o.raise = self.raise(o.finding, &mut rules);
                raise = raise.max(o.raise);
            }
            slots.push(Slot {
                group,
                exclusive,
                numeric,
                body_map,
                open: start..open.len(),
                rules: rules_start..rules.len(),
                raise,
                bound: f64::INFINITY,
            });
        }

        // The questions built, by slot (`None` for a slot built but not worth asking).
        let mut built: Vec<(usize, Option<Question>)> = Vec::new();
        // Where it hurts comes first when the evidence names no place: the first question offering a place.
        let located = self
            .evidence
            .findings
            .iter()
            .any(|o| o.present && self.index.finding(o.finding).location);
        if !located {
            for (i, slot) in slots.iter().enumerate() {
                if open[slot.open.clone()]
                    .iter()
                    .any(|o| self.index.finding(o.finding).location)
                {
                    let question = self.build(slot, &open[slot.open.clone()], &rules);
                    let found = question.is_some();
                    built.push((i, question));
                    if found {
                        break;
                    }
                }
            }
        }

        // A question that could raise the triage always counts (whatever its gain), so only those that
        // could raise it most compete; otherwise every question does, if it could be worth asking.
        let top = slots.iter().filter_map(|s| s.raise).max();
        let mut competing: Vec<usize> = Vec::new();
        for (i, slot) in slots.iter_mut().enumerate() {
            if slot.raise != top {
                continue;
            }
            let members = &mut open[slot.open.clone()];
            for o in members.iter_mut() {
                o.bound = self.gain_bound_cheap(o.finding);
            }
            slot.bound = Self::slot_bound(slot, members);
            if top.is_some() || slot.bound >= MIN_GAIN {
                competing.push(i);
            }
        }
        // Most promising first. Stop once no bound reaches the best gain found; a bound equal to it could
        // still tie (ties are broken by knowledge-base order), so that question is built.
        competing.sort_by(|&a, &b| slots[b].bound.total_cmp(&slots[a].bound).then(a.cmp(&b)));
        let mut best_gain = f64::NEG_INFINITY;
        for i in competing {
            let slot = &slots[i];
            if slot.bound < best_gain {
                break;
            }
            let question = match built.iter().position(|(j, _)| *j == i) {
                Some(at) => built[at].1.as_ref(),
                None => {
                    // A tighter bound before the exact gains (it is within about 1e-5 of them).
                    let members = &mut open[slot.open.clone()];
                    for o in members.iter_mut() {
                        o.bound = o.bound.min(self.gain_bound(o.finding));
                    }
                    let tight = Self::slot_bound(slot, members);
                    if tight < best_gain || (top.is_none() && tight < MIN_GAIN) {
                        continue;
                    }
                    let question = self.build(slot, members, &rules);
                    built.push((i, question));
                    built[built.len() - 1].1.as_ref()
                }
            };
            if let Some(q) = question
                && q.why.could_raise_to == top
            {
                best_gain = best_gain.max(q.why.gain);
            }
        }
        built.sort_by_key(|(i, _)| *i);
        built.into_iter().filter_map(|(_, q)| q).collect()
    }

    /// The question a slot makes, if it is worth asking: the options, their exact gains, what a "yes" could
    /// raise the triage to and why.
    fn build(&self, slot: &Slot, open: &[Open], rules: &[(FindingIx, usize)]) -> Option<Question> {
        let kb = self.kb;
        let score = |o: &Open| OptionScore {
            finding: o.finding,
            raise: o.raise,
            gain: self.gain(o.finding),
        };
        let (kind, mut chosen): (AnswerKind, Vec<OptionScore>) = if slot.numeric {
            (
                AnswerKind::Number { min: 0, max: 10 },
                open.iter().map(score).collect(),
            )
        } else if slot.exclusive && open.len() > 1 {
            (AnswerKind::OneOf, open.iter().map(score).collect())
        } else {
            // "Where is it?" is a body map: every place stays on it.
            let body_map = slot.body_map;
            // Otherwise warning signs first, then the most informative; only options worth asking (an option
            // whose gain bound is below MIN_GAIN is not).
            let order = |a: &OptionScore, b: &OptionScore| {
                b.raise
                    .cmp(&a.raise)
                    .then(b.gain.total_cmp(&a.gain))
                    .then(a.finding.cmp(&b.finding))
            };
            let mut useful: Vec<OptionScore> = Vec::new();
            if body_map {
                useful = open.iter().map(score).collect();
                useful.sort_by(order);
            } else {
                // At most MAX_OPTIONS are kept, so gains are computed from the most promising down (by
                // level, then gain bound), until no option left could displace the last one kept.
                let mut pending: Vec<&Open> = open
                    .iter()
                    .filter(|o| o.raise.is_some() || o.bound >= MIN_GAIN)
                    .collect();
                pending.sort_by(|a, b| {
                    b.raise
                        .cmp(&a.raise)
                        .then(b.bound.total_cmp(&a.bound))
                        .then(a.finding.cmp(&b.finding))
                });
                for o in pending {
                    if let Some(last) = useful.get(MAX_OPTIONS - 1)
                        && (o.raise < last.raise || (o.raise == last.raise && o.bound < last.gain))
                    {
                        break;
                    }
                    let s = score(o);
                    if s.raise.is_some() || s.gain >= MIN_GAIN {
                        let at = useful.partition_point(|u| order(u, &s).is_lt());
                        useful.insert(at, s);
                    }
                }
                useful.truncate(MAX_OPTIONS);
            }
            let kind = if useful.len() == 1 {
                AnswerKind::YesNo
            } else {
                AnswerKind::AnyOf
            };
            (kind, useful)
        };
        if chosen.is_empty() {
            return None;
        }
        chosen.sort_by_key(|s| s.finding);
        let raise = chosen.iter().filter_map(|s| s.raise).max();
        let gain: f64 = chosen.iter().map(|s| s.gain).sum();
        if raise.is_none() && gain < MIN_GAIN {
            return None;
        }
        let options: Vec<FindingIx> = chosen.iter().map(|s| s.finding).collect();
        let mut why_rules: Vec<(FindingIx, usize)> = rules[slot.rules.clone()]
            .iter()
            .copied()
            .filter(|(f, _)| options.contains(f))
            .collect();
        why_rules.sort_by_key(|&(f, ri)| (std::cmp::Reverse(kb.rules[ri].level), ri, f));
        Some(Question {
            group: slot.group,
            kind,
            why: Why {
                could_raise_to: raise,
                rules: why_rules,
                separates: if raise.is_some() {
                    self.warns_of(&options)
                } else {
                    self.separates(&options)
                },
                gain,
            },
            options,
            top3: self.top3.clone(),
        })
    }
}

/// The question to ask next: the one that could raise the triage most (ties: most informative), else the
/// most informative.
pub(super) fn best(candidates: Vec<Question>) -> Option<Question> {
    candidates.into_iter().max_by(|a, b| {
        a.why
            .could_raise_to
            .cmp(&b.why.could_raise_to)
            .then(a.why.gain.total_cmp(&b.why.gain))
            .then(b.group.cmp(&a.group))
    })
}
