//! Opening the store for one command (BRIEF §5 settings: `--db`, `DORSUM_DATABASE_URL`, `DORSUM_DB`, else
//! a SQLite file in the user's data folder) and running its async calls on a small runtime.

use crate::pipeline::{Case, Dorsum};
use crate::wire::AssessmentJson;
use anyhow::{Context, Result};
use dorsum_engine::{Assessment, Observation};
use dorsum_store::{NewAssessment, Score, Storage, Store, StoreEnv, resolve_location};
use std::future::Future;

/// Run one async store call to completion.
pub fn block_on<F: Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the storage runtime")?;
    Ok(runtime.block_on(future))
}

/// Open the store the settings point to (creating a SQLite file and its folder when needed).
pub async fn open(db: Option<&str>) -> Result<Store> {
    let location = resolve_location(db, &StoreEnv::from_process())?;
    Ok(Store::open(&location).await?)
}

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

/// Save a result object; returns the store's id for it and where it went.
pub fn save(
    db: Option<&str>,
    dorsum: &Dorsum,
    case: &Case,
    observations: &[Observation],
    assessment: &Assessment,
    json: &AssessmentJson<'_>,
    answered_pain: Option<u8>,
) -> Result<(String, String)> {
    let pain = answered_pain
        .or_else(|| stated_pain(&case.text))
        .and_then(|p| Score::new(i64::from(p)).ok());
    let new = NewAssessment {
        kb_version: dorsum.kb.version.clone(),
        triage: assessment.triage.level,
        region: assessment.region,
        pain,
        result_json: serde_json::to_string(json)?,
        evidence_json: evidence_json(case, &dorsum.kb, observations),
    };
    block_on(async {
        let store = open(db).await?;
        let saved = store.save_assessment(&new).await?;
        let location = store.location();
        store.close().await;
        Ok::<_, anyhow::Error>((saved.id, location))
    })?
}

/// A 0-10 pain score stated in the text ("7/10", "seven out of ten"), if any.
pub fn stated_pain(text: &str) -> Option<u8> {
    dorsum_intake::quantities(text)
        .iter()
        .find(|q| q.kind == dorsum_intake::QuantityKind::PainScore)
        .map(|q| q.value.round().clamp(0.0, 10.0) as u8)
}
