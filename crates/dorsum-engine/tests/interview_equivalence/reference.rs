//! The question chooser as it was before next-question latency was optimised (issue 5), kept as a plain
//! reference: every open finding scored link by link with the textbook formulas, every candidate question
//! built in full, then the best taken. Slow on purpose; the engine must choose what this chooses.
//!
//! Kept in step with the rules since: a condition needing emergency care is in the picture from
//! [`MIN_RELEVANT_EMERGENCY`], one needing a doctor within 24 hours from half of [`MIN_RELEVANT`], the rest
//! from [`MIN_RELEVANT`]; see `in_picture` below. The stopping rules (the ambulance questions at
//! `emergency`) are mirrored in `check_step` in `interview_equivalence.rs`.

use dorsum_engine::interview::{
    AnswerKind, InterviewIndex, MAX_OPTIONS, MIN_GAIN, MIN_RELEVANT, MIN_RELEVANT_EMERGENCY,
    Question, Why,
};
use dorsum_engine::{Assessment, Evidence};
use dorsum_kb::{ConditionIx, FindingIx, FindingKind, GroupIx, Kb, Rule, TriageLevel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Unknown,
    Present,
    Absent,
    ImpliedAbsent,
}

/// The resolved state of every finding (present wins over absent; exclusive groups imply absences).
fn states(kb: &Kb, evidence: &Evidence) -> Vec<State> {
    let mut states = vec![State::Unknown; kb.findings.len()];
    for o in &evidence.findings {
        let s = &mut states[o.finding.0 as usize];
        *s = match (*s, o.present) {
            (_, true) | (State::Present, false) => State::Present,
            (_, false) => State::Absent,
        };
    }
    for group in kb.groups.iter().filter(|g| g.exclusive) {
        if group
            .members
            .iter()
            .any(|m| states[m.0 as usize] == State::Present)
        {
            for m in &group.members {
                if states[m.0 as usize] == State::Unknown {
                    states[m.0 as usize] = State::ImpliedAbsent;
                }
            }
        }
    }
    states
}

#[derive(Debug, Clone, Copy)]
struct OptionScore {
    finding: FindingIx,
    raise: Option<TriageLevel>,
    gain: f64,
}

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

fn urgency_weight(level: TriageLevel) -> f64 {
    match level {
        TriageLevel::SelfCare => 1.0,
        TriageLevel::Consultation => 1.5,
        TriageLevel::Consultation24 => 3.0,
        TriageLevel::Emergency => 5.0,
        TriageLevel::EmergencyAmbulance => 6.0,
    }
}

/// The picture a question is chosen against, rebuilt from the public assessment.
pub struct Picture<'a> {
    kb: &'a Kb,
    index: &'a InterviewIndex,
    evidence: &'a Evidence,
    states: Vec<State>,
    level: TriageLevel,
    probability: Vec<f64>,
    safety: Vec<f64>,
    top3: Vec<ConditionIx>,
}

impl<'a> Picture<'a> {
    /// `assessment` is the assessment of `evidence` (its ranking and triage level).
    pub fn new(
        kb: &'a Kb,
        index: &'a InterviewIndex,
        evidence: &'a Evidence,
        assessment: &Assessment,
    ) -> Self {
        let mut probability = vec![0.0; kb.conditions.len()];
        let mut safety = vec![0.0; kb.conditions.len()];
        for rc in &assessment.conditions {
            probability[rc.condition.0 as usize] = rc.probability;
            safety[rc.condition.0 as usize] = rc.safety_probability;
        }
        Picture {
            kb,
            index,
            evidence,
            states: states(kb, evidence),
            level: assessment.triage.level,
            probability,
            safety,
            top3: assessment
                .conditions
                .iter()
                .take(3)
                .map(|rc| rc.condition)
                .collect(),
        }
    }

    /// A condition is in the picture at MIN_RELEVANT, at half that when its urgency is consultation_24, and
    /// at MIN_RELEVANT_EMERGENCY when its urgency is an emergency level.
    fn in_picture(&self, ci: usize) -> bool {
        let floor = match self.kb.conditions[ci].urgency {
            TriageLevel::Emergency | TriageLevel::EmergencyAmbulance => MIN_RELEVANT_EMERGENCY,
            TriageLevel::Consultation24 => MIN_RELEVANT * 0.5,
            TriageLevel::SelfCare | TriageLevel::Consultation => MIN_RELEVANT,
        };
        self.safety[ci] >= floor
    }

    fn state(&self, f: FindingIx) -> State {
        self.states[f.0 as usize]
    }

    fn fires_with(&self, rule: &Rule, extra: FindingIx) -> bool {
        let present = |f: FindingIx| f == extra || self.state(f) == State::Present;
        let evidence = self.evidence;
        rule.all.iter().all(|&f| present(f))
            && (rule.any.is_empty() || rule.any.iter().any(|&f| present(f)))
            && !rule.unless.iter().any(|&f| present(f))
            && rule.min_age.is_none_or(|a| evidence.age >= a)
            && rule.max_age.is_none_or(|a| evidence.age <= a)
            && rule.sex.is_none_or(|s| evidence.sex == s)
    }

    fn score(&self, f: FindingIx, rules_out: &mut Vec<(FindingIx, usize)>) -> OptionScore {
        let kb = self.kb;
        let red_flag = kb.finding(f).red_flag;
        let mut raise = TriageLevel::SelfCare;
        let links = self.index.links(f);
        let in_picture = links.iter().all(|l| l.ln_pos <= 0.0)
            || links
                .iter()
                .any(|l| l.ln_pos > 0.0 && self.in_picture(l.condition as usize));
        for &ri in self.index.rules(f) {
            let rule = &kb.rules[ri];
            if !in_picture && rule.level < TriageLevel::Emergency {
                continue;
            }
            if rule.level > self.level && self.fires_with(rule, f) {
                raise = raise.max(rule.level);
                rules_out.push((f, ri));
            }
        }
        let mut gain = 0.0;
        for link in self.index.links(f) {
            let ci = link.condition as usize;
            let condition = &kb.conditions[ci];
            if condition.urgency > self.level && self.in_picture(ci) {
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

    /// Every question worth asking, in knowledge-base order (groups, then findings outside any group).
    pub fn candidates(&self, offered: &[bool]) -> Vec<Question> {
        let kb = self.kb;
        let mut out = Vec::new();
        let mut rules = Vec::new();
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
                    self.state(f) == State::Unknown
                        && !offered[f.0 as usize]
                        && kb.finding(f).sex.is_none_or(|s| s == self.evidence.sex)
                })
                .collect();
            if open.is_empty() {
                continue;
            }
            let numeric = members.iter().any(|&f| self.index.numeric(f));
            let exclusive = group_exclusive || numeric;
            let settled = |f: &FindingIx| match self.state(*f) {
                State::Unknown => false,
                State::Present => true,
                State::Absent | State::ImpliedAbsent => numeric,
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
                let body_map = members
                    .iter()
                    .any(|&f| kb.finding(f).kind == FindingKind::Location);
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

/// The one that could raise the triage most (ties: most informative, then the earliest group), else the
/// most informative.
pub fn best(candidates: &[Question]) -> Option<&Question> {
    candidates.iter().max_by(|a, b| {
        a.why
            .could_raise_to
            .cmp(&b.why.could_raise_to)
            .then(a.why.gain.total_cmp(&b.why.gain))
            .then(b.group.cmp(&a.group))
    })
}

/// True when the question offers a place on the body map.
pub fn is_body_map(kb: &Kb, q: &Question) -> bool {
    q.options
        .iter()
        .any(|&f| kb.finding(f).kind == FindingKind::Location)
}
