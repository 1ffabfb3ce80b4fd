//! Saving a result to the store: the result object verbatim, the evidence beside it, and the columns the
//! store indexes.

use crate::pipeline::{Case, Dorsum};
use crate::wire::AssessmentJson;
use dorsum_engine::{Assessment, Observation};
use dorsum_store::{NewAssessment, SavedAssessment, Score, Storage};

/// The evidence the engine was given, as saved beside a result: age, sex and each observation.
pub fn evidence_json(case: &Case, kb: &dorsum_kb::Kb, observations: &[Observation]) -> String {
    serde_json::json!({
        "age": case.age,
        "sex": case.sex.as_str(),
        "findings": observations
            .iter()
            .map(|o| serde_json::json!({"id": kb.finding(o.finding).id, "present": o.present}))
            .collect::<Vec<_>>(),
    })
    .to_string()
}

/// A 0-10 pain score stated in the text ("7/10", "seven out of ten"), if any.
pub fn stated_pain(text: &str) -> Option<u8> {
    dorsum_intake::quantities(text)
        .iter()
        .find(|q| q.kind == dorsum_intake::QuantityKind::PainScore)
        .map(|q| q.value.round().clamp(0.0, 10.0) as u8)
}

/// What to save for a result: `answered_pain` (an interview's pain score) wins over one stated in the text.
pub fn new_assessment(
    dorsum: &Dorsum,
    case: &Case,
    observations: &[Observation],
    assessment: &Assessment,
    json: &AssessmentJson<'_>,
    answered_pain: Option<u8>,
) -> crate::Result<NewAssessment> {
    let pain = answered_pain
        .or_else(|| stated_pain(&case.text))
        .and_then(|p| Score::new(i64::from(p)).ok());
    Ok(NewAssessment {
        kb_version: dorsum.kb.version.clone(),
        triage: assessment.triage.level,
        region: assessment.region,
        pain,
        result_json: serde_json::to_string(json)?,
        evidence_json: evidence_json(case, &dorsum.kb, observations),
    })
}

/// Save a result.
pub async fn save(store: &impl Storage, new: &NewAssessment) -> crate::Result<SavedAssessment> {
    Ok(store.save_assessment(new).await?)
}
