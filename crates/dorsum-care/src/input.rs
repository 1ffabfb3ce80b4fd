//! What the plan needs from an assessment, whether it comes from the engine or from a saved result object.

use crate::error::Error;
use dorsum_engine::{
    Assessment, Evidence, EvidenceState, Observation, RankedCondition, relevant_conditions,
};
use dorsum_kb::{ConditionIx, FindingIx, Kb, Region, Sex, TriageLevel};

/// The parts of an assessment that choose and rule out care.
#[derive(Debug, Clone, PartialEq)]
pub struct CareInput {
    /// The triage level: no plan when it is `consultation_24` or more urgent.
    pub level: TriageLevel,
    /// Where the pain sits.
    pub region: Region,
    /// Conditions ranked most likely first, with their probabilities.
    pub ranked: Vec<(ConditionIx, f64)>,
    /// Findings reported present.
    pub present: Vec<FindingIx>,
}

impl CareInput {
    /// From the engine's assessment and the evidence it was made from.
    pub fn from_assessment(kb: &Kb, assessment: &Assessment, evidence: &Evidence) -> Self {
        let state = EvidenceState::new(kb, evidence);
        CareInput {
            level: assessment.triage.level,
            region: assessment.region,
            ranked: assessment
                .conditions
                .iter()
                .map(|rc| (rc.condition, rc.probability))
                .collect(),
            present: (0..kb.findings.len())
                .map(|i| FindingIx(i as u16))
                .filter(|&f| state.present(f))
                .collect(),
        }
    }

    /// From the ids of a saved result object (BRIEF §5): `conditions` ranked most likely first with their
    /// probabilities, and the ids of the findings reported present.
    pub fn from_ids(
        kb: &Kb,
        level: TriageLevel,
        region: Region,
        conditions: &[(&str, f64)],
        present: &[&str],
    ) -> Result<Self, Error> {
        let ranked = conditions
            .iter()
            .map(|&(id, p)| {
                kb.condition_ix(id)
                    .map(|c| (c, p))
                    .ok_or_else(|| Error::UnknownCondition(id.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let present = present
            .iter()
            .map(|&id| {
                kb.finding_ix(id)
                    .ok_or_else(|| Error::UnknownFinding(id.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(CareInput {
            level,
            region,
            ranked,
            present,
        })
    }

    /// Conditions likely enough to rule out what they contraindicate: the engine's own rule (the top three
    /// and any at 10% or more), so the plan and the result's summary never disagree.
    pub(crate) fn relevant(&self) -> Vec<ConditionIx> {
        let ranked: Vec<RankedCondition> = self
            .ranked
            .iter()
            .map(|&(condition, p)| RankedCondition {
                condition,
                prior: 0.0,
                probability: p,
                safety_probability: p,
                contributions: Vec::new(),
            })
            .collect();
        relevant_conditions(&ranked)
    }

    /// The present findings as the engine's evidence state (age and sex do not matter here).
    pub(crate) fn state(&self, kb: &Kb) -> EvidenceState {
        let evidence = Evidence {
            age: 40,
            sex: Sex::Female,
            findings: self
                .present
                .iter()
                .map(|&finding| Observation {
                    finding,
                    present: true,
                })
                .collect(),
        };
        EvidenceState::new(kb, &evidence)
    }
}
