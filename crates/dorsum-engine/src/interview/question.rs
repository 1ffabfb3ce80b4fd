//! Questions, answers, and how the next question is chosen: first any question whose answer could raise the
//! triage (the most urgent first), then the one with the greatest urgency-weighted expected information gain.

use super::index::InterviewIndex;
use crate::differential::RankedCondition;
use crate::evidence::{Evidence, EvidenceState, Observation, State};
use dorsum_kb::{ConditionIx, FindingIx, FindingKind, GroupIx, Kb, Rule, TriageLevel};

/// At most this many choices in one "choose all that apply" question.
pub const MAX_OPTIONS: usize = 12;
/// A condition is "in the picture" for the stopping rule at this probability or more.
pub const MIN_RELEVANT: f64 = 0.01;
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
        Picture {
            kb,
            index,
            evidence,
            state,
            level,
            probability,
            safety,
            top3: ranked.iter().take(3).map(|rc| rc.condition).collect(),
        }
    }

    fn score(&self, f: FindingIx, rules_out: &mut Vec<(FindingIx, usize)>) -> OptionScore {
        let kb = self.kb;
        let red_flag = kb.finding(f).red_flag;
        let mut raise = TriageLevel::SelfCare;
        // A warning sign is in the picture when it points to a condition at MIN_RELEVANT or more; one that
        // points to no condition at all is always asked about (nothing says it is out of the picture).
        let links = self.index.links(f);
        let in_picture = links.iter().all(|l| l.ln_pos <= 0.0)
            || links
                .iter()
                .any(|l| l.ln_pos > 0.0 && self.safety[l.condition as usize] >= MIN_RELEVANT);
        for &ri in self.index.rules(f) {
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
        let mut gain = 0.0;
        for link in self.index.links(f) {
            let ci = link.condition as usize;
            let condition = &kb.conditions[ci];
            // Could a "yes" push this condition over its threshold? Only for conditions in the picture.
            if condition.urgency > self.level && self.safety[ci] >= MIN_RELEVANT {
                let shift = if red_flag {
                    link.ln_pos.max(0.0)
                } else {
                    link.ln_pos
                };
                if sigmoid(logit(self.safety[ci]) + shift) >= condition.threshold {
                    raise = raise.max(condition.urgency);
                }
            }
            let p = self.probability[ci];
            let yes = p * link.yes_if + (1.0 - p) * link.yes_unless;
            let after_yes = sigmoid(logit(p) + link.ln_pos);
            let after_no = sigmoid(logit(p) + link.ln_neg);
            let expected = yes * entropy(after_yes) + (1.0 - yes) * entropy(after_no);
            gain += urgency_weight(condition.urgency) * (entropy(p) - expected).max(0.0);
        }
        OptionScore {
            finding: f,
            raise: (raise > self.level).then_some(raise),
            gain,
        }
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

    /// Every question worth asking now, built per group from findings that are unknown and not offered yet.
    pub fn candidates(&self, offered: &[bool]) -> Vec<Question> {
        let kb = self.kb;
        let mut out = Vec::new();
        let mut rules = Vec::new();
        // Each group is one question; a finding outside every group is a yes/no question of its own.
        let singles = kb
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.group.is_none())
            .map(|(i, _)| (None, vec![FindingIx(i as u16)], false));
        let groups = kb
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| (Some(GroupIx(gi as u16)), g.members.clone(), g.exclusive));
        for (group, members, group_exclusive) in groups.chain(singles) {
            let open: Vec<FindingIx> = members
                .iter()
                .copied()
                .filter(|&f| {
                    self.state.state(f) == State::Unknown
                        && !offered[f.0 as usize]
                        && kb.finding(f).sex.is_none_or(|s| s == self.evidence.sex)
                })
                .collect();
            if open.is_empty() {
                continue;
            }
            let numeric = members.iter().any(|&f| self.index.numeric(f));
            let exclusive = group_exclusive || numeric;
            // A one-answer question is settled by any known member (for a pain score, by any answer at all).
            let settled = |f: &FindingIx| match self.state.state(*f) {
                State::Unknown => false,
                State::Present => true,
                _ => numeric,
            };
            if exclusive && members.iter().any(settled) {
                continue;
            }
            rules.clear();
            let scores: Vec<OptionScore> =
                open.iter().map(|&f| self.score(f, &mut rules)).collect();
            let (kind, mut chosen): (AnswerKind, Vec<OptionScore>) = if numeric {
                (AnswerKind::Number { min: 0, max: 10 }, scores)
            } else if exclusive && scores.len() > 1 {
                (AnswerKind::OneOf, scores)
            } else {
                // "Where is it?" is a body map: every place stays on it.
                let body_map = members
                    .iter()
                    .any(|&f| kb.finding(f).kind == FindingKind::Location);
                // Otherwise warning signs first, then the most informative; only options worth asking.
                let mut useful: Vec<OptionScore> = scores
                    .into_iter()
                    .filter(|s| body_map || s.raise.is_some() || s.gain >= MIN_GAIN)
                    .collect();
                useful.sort_by(|a, b| {
                    b.raise
                        .cmp(&a.raise)
                        .then(b.gain.total_cmp(&a.gain))
                        .then(a.finding.cmp(&b.finding))
                });
                if !body_map {
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
                continue;
            }
            chosen.sort_by_key(|s| s.finding);
            let raise = chosen.iter().filter_map(|s| s.raise).max();
            let gain: f64 = chosen.iter().map(|s| s.gain).sum();
            if raise.is_none() && gain < MIN_GAIN {
                continue;
            }
            let options: Vec<FindingIx> = chosen.iter().map(|s| s.finding).collect();
            let mut why_rules: Vec<(FindingIx, usize)> = rules
                .iter()
                .copied()
                .filter(|(f, _)| options.contains(f))
                .collect();
            why_rules.sort_by_key(|&(f, ri)| (std::cmp::Reverse(kb.rules[ri].level), ri, f));
            out.push(Question {
                group,
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
            });
        }
        out
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
