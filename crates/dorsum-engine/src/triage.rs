//! Triage: the most urgent of the fired rules and of the conditions whose safety probability passes their
//! threshold. Rules fire on present findings (their exceptions are never warning signs), and a warning sign
//! never lowers a safety probability, so one more warning sign can never lower the level.

use crate::differential::RankedCondition;
use crate::evidence::{Evidence, EvidenceState};
use dorsum_kb::{Citation, ConditionIx, Kb, Rule, TriageLevel};

/// What produced a triage reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonSource {
    /// A rule, by index into `Kb::rules`.
    Rule(usize),
    /// A condition whose probability reached its threshold.
    Condition(ConditionIx),
    /// Nothing fired: the default level.
    Default,
}

/// One reason for the triage level.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub level: TriageLevel,
    pub source: ReasonSource,
    /// Plain-language explanation.
    pub text: String,
    /// Stable id of what fired: the rule id, `condition:<id>`, or `no_warning_signs`.
    pub rule: String,
    pub citation: Citation,
}

/// The level of care and its reasons, most urgent first.
#[derive(Debug, Clone, PartialEq)]
pub struct Triage {
    pub level: TriageLevel,
    pub reasons: Vec<Reason>,
}

/// True when a rule's findings, exceptions, age and sex limits all hold.
pub fn rule_fires(rule: &Rule, state: &EvidenceState, evidence: &Evidence) -> bool {
    rule.all.iter().all(|&f| state.present(f))
        && (rule.any.is_empty() || rule.any.iter().any(|&f| state.present(f)))
        && !rule.unless.iter().any(|&f| state.present(f))
        && rule.min_age.is_none_or(|a| evidence.age >= a)
        && rule.max_age.is_none_or(|a| evidence.age <= a)
        && rule.sex.is_none_or(|s| evidence.sex == s)
}

/// Indices of every rule that fires, in knowledge-base order.
pub fn fired_rules(kb: &Kb, state: &EvidenceState, evidence: &Evidence) -> Vec<usize> {
    kb.rules
        .iter()
        .enumerate()
        .filter(|(_, r)| rule_fires(r, state, evidence))
        .map(|(i, _)| i)
        .collect()
}

/// Combine fired rules and the differential into a level with reasons.
pub fn decide(kb: &Kb, fired: &[usize], ranked: &[RankedCondition]) -> Triage {
    let mut reasons: Vec<Reason> = fired
        .iter()
        .map(|&i| {
            let r = &kb.rules[i];
            Reason {
                level: r.level,
                source: ReasonSource::Rule(i),
                text: r.text.clone(),
                rule: r.id.clone(),
                citation: r.citation.clone(),
            }
        })
        .collect();
    for rc in ranked {
        let c = kb.condition(rc.condition);
        if c.urgency > TriageLevel::SelfCare && rc.safety_probability >= c.threshold {
            reasons.push(Reason {
                level: c.urgency,
                source: ReasonSource::Condition(rc.condition),
                text: format!(
                    "{} ({}) cannot be ruled out: estimated up to {:.0}%, and at {:.0}% or more it needs {}.",
                    c.name,
                    c.clinical_name,
                    rc.safety_probability * 100.0,
                    c.threshold * 100.0,
                    level_phrase(c.urgency)
                ),
                rule: format!("condition:{}", c.id),
                citation: c.threshold_citation.clone(),
            });
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let level = reasons.first().map_or(TriageLevel::SelfCare, |r| r.level);
    if reasons.is_empty() {
        let citation = ranked
            .first()
            .map(|rc| kb.condition(rc.condition).threshold_citation.clone())
            .unwrap_or(Citation {
                cite: Vec::new(),
                estimate: false,
                rationale: None,
            });
        reasons.push(Reason {
            level,
            source: ReasonSource::Default,
            text: "None of the warning signs we know of was reported, and the likely causes usually settle with self-care. Check again if it is not better within a week, or at once if a new symptom appears.".into(),
            rule: "no_warning_signs".into(),
            citation,
        });
    }
    Triage { level, reasons }
}

/// A short phrase for what a level asks the person to do.
pub fn level_phrase(level: TriageLevel) -> &'static str {
    match level {
        TriageLevel::EmergencyAmbulance => "an ambulance now",
        TriageLevel::Emergency => "the emergency department now",
        TriageLevel::Consultation24 => "a doctor within 24 hours",
        TriageLevel::Consultation => "an appointment with a doctor or physiotherapist",
        TriageLevel::SelfCare => "self-care at home",
    }
}
