//! The validated knowledge base: what the engine, the intake and the shells read.
//!
//! Cross references are resolved to indices ([`FindingIx`], [`ConditionIx`]) at load time, so nothing
//! downstream can name a finding or condition that does not exist.

use crate::vocab::{
    AGE_BANDS, Category, FindingKind, Goal, Region, RuleKind, Sex, TreatmentKind, TriageLevel,
    age_band,
};
use std::collections::HashMap;

/// Index of a finding in [`Kb::findings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingIx(pub u16);

/// Index of a condition in [`Kb::conditions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConditionIx(pub u16);

/// Index of a question group in [`Kb::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupIx(pub u16);

/// Where a number or rule comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// Ids of [`Source`]s; never empty.
    pub cite: Vec<String>,
    /// True when no published figure exists and the value is a reasoned estimate.
    pub estimate: bool,
    /// Why the estimate has this value (always set when `estimate`).
    pub rationale: Option<String>,
}

/// Knowledge-base wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// Version written in `meta.toml`.
    pub version: String,
    /// Plain text naming emergency numbers.
    pub emergency_number: String,
}

/// A publication, guideline or seed article that entries cite.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub authors: Option<String>,
    pub publication: Option<String>,
    pub url: Option<String>,
    pub file: Option<String>,
}

impl Source {
    /// A one-line human-readable reference.
    pub fn reference(&self) -> String {
        let mut out = String::new();
        if let Some(a) = &self.authors {
            out.push_str(a);
            out.push_str(". ");
        }
        out.push_str(&self.title);
        if let Some(p) = &self.publication {
            out.push_str(". ");
            out.push_str(p);
        }
        if let Some(f) = &self.file {
            out.push_str(" (seed article ");
            out.push_str(f);
            out.push(')');
        }
        out
    }
}

/// A set of findings asked about together.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub question: String,
    pub help: Option<String>,
    /// At most one member can be present; when one is, the others count as absent.
    pub exclusive: bool,
    pub members: Vec<FindingIx>,
}

/// Something a person can report or be asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub id: String,
    pub name: String,
    pub kind: FindingKind,
    /// The part of the back it places the pain in: for location findings what they name; for others (pain
    /// wrapping round the ribs, down a leg) a hint used after the locations.
    pub region: Option<Region>,
    pub group: Option<GroupIx>,
    pub question: String,
    pub help: Option<String>,
    /// Lower-case phrases that report the finding.
    pub phrases: Vec<String>,
    /// Lower-case phrases that by themselves report its absence.
    pub absent_phrases: Vec<String>,
    /// Duration findings: the `[min, max)` range in days a stated duration must fall in.
    pub days: Option<(f64, f64)>,
    /// The `[min, max)` range of a stated temperature (°C) that reports this finding.
    pub temperature_c: Option<(f64, f64)>,
    /// The `[min, max)` range of a stated 0-10 pain score that reports this finding.
    pub pain_score: Option<(f64, f64)>,
    /// The finding a mention of this one reports when it is said of a relative.
    pub family_history: Option<FindingIx>,
    /// True when some red-flag rule tests this finding.
    pub red_flag: bool,
    /// Only people of this sex can have it; the interview does not ask anyone else.
    pub sex: Option<Sex>,
}

/// A likelihood ratio of one finding for one condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Likelihood {
    pub finding: FindingIx,
    /// Multiplies the odds when the finding is present.
    pub lr_pos: f64,
    /// Multiplies the odds when the finding is absent.
    pub lr_neg: f64,
    /// `ln(lr_pos)` and `ln(lr_neg)`, precomputed for the engine's log-odds arithmetic.
    pub ln_pos: f64,
    pub ln_neg: f64,
    pub citation: Citation,
}

/// Prior probabilities by age band and sex.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    /// `[band][sex]` with band as in [`AGE_BANDS`] and sex 0 = female, 1 = male.
    pub table: [[f64; 2]; AGE_BANDS.len()],
    pub citation: Citation,
}

impl Prior {
    /// The prior for a person of this age and sex.
    pub fn get(&self, age: u8, sex: Sex) -> f64 {
        self.table[age_band(age)][match sex {
            Sex::Female => 0,
            Sex::Male => 1,
        }]
    }
}

/// A cause of back or neck pain.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub id: String,
    pub name: String,
    pub clinical_name: String,
    pub icd10: Vec<String>,
    pub category: Category,
    pub region: Region,
    pub urgency: TriageLevel,
    /// Probability at or above which `urgency` applies.
    pub threshold: f64,
    pub threshold_citation: Citation,
    pub summary: Option<String>,
    pub prior: Prior,
    pub likelihoods: Vec<Likelihood>,
}

/// An explicit triage rule: a conjunction of present findings plus optional age and sex limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub level: TriageLevel,
    /// Every one of these must be present.
    pub all: Vec<FindingIx>,
    /// If not empty, at least one of these must be present.
    pub any: Vec<FindingIx>,
    /// None of these may be present: a pattern that explains the findings another way. Never a warning
    /// sign (the loader checks), so reporting a warning sign cannot switch a rule off.
    pub unless: Vec<FindingIx>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub sex: Option<Sex>,
    pub text: String,
    pub citation: Citation,
}

/// What rules out an exercise or treatment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contraindications {
    pub findings: Vec<FindingIx>,
    pub conditions: Vec<ConditionIx>,
}

/// A self-care exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    pub id: String,
    pub name: String,
    pub regions: Vec<Region>,
    pub goal: Goal,
    pub steps: Vec<String>,
    pub dose: String,
    pub progression: Option<String>,
    pub regression: Option<String>,
    pub suits: Vec<ConditionIx>,
    pub contraindications: Contraindications,
    pub citation: Citation,
}

/// Self-care advice, a medication class or a clinical option.
#[derive(Debug, Clone, PartialEq)]
pub struct Treatment {
    pub id: String,
    pub kind: TreatmentKind,
    pub name: Option<String>,
    pub regions: Vec<Region>,
    pub text: String,
    pub contraindications: Contraindications,
    pub citation: Citation,
}

/// The whole validated knowledge base.
#[derive(Debug, Clone)]
pub struct Kb {
    pub meta: Meta,
    /// `meta.version` plus a hash of the file contents, so results name the exact knowledge used.
    pub version: String,
    pub sources: Vec<Source>,
    pub groups: Vec<Group>,
    pub findings: Vec<Finding>,
    pub conditions: Vec<Condition>,
    pub rules: Vec<Rule>,
    pub exercises: Vec<Exercise>,
    pub treatments: Vec<Treatment>,
    pub(crate) finding_ids: HashMap<String, FindingIx>,
    pub(crate) condition_ids: HashMap<String, ConditionIx>,
    pub(crate) source_ids: HashMap<String, usize>,
}

impl Kb {
    /// Look a finding up by id.
    pub fn finding_ix(&self, id: &str) -> Option<FindingIx> {
        self.finding_ids.get(id).copied()
    }

    /// Look a condition up by id.
    pub fn condition_ix(&self, id: &str) -> Option<ConditionIx> {
        self.condition_ids.get(id).copied()
    }

    /// The finding at an index.
    pub fn finding(&self, ix: FindingIx) -> &Finding {
        &self.findings[ix.0 as usize]
    }

    /// The condition at an index.
    pub fn condition(&self, ix: ConditionIx) -> &Condition {
        &self.conditions[ix.0 as usize]
    }

    /// The group at an index.
    pub fn group(&self, ix: GroupIx) -> &Group {
        &self.groups[ix.0 as usize]
    }

    /// Look a source up by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_ids.get(id).map(|&i| &self.sources[i])
    }

    /// Short "title (publication)" text for a citation, sources joined with "; ".
    pub fn cite_text(&self, citation: &Citation) -> String {
        citation
            .cite
            .iter()
            .map(|id| match self.source(id) {
                Some(s) => s.title.clone(),
                None => id.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}
