//! Opening the store for one command (BRIEF §5 settings: `--db`, `DORSUM_DATABASE_URL`, `DORSUM_DB`, else
//! a SQLite file in the user's data folder) and running its async calls on a small runtime.

use anyhow::{Context, Result};
use dorsum_app::persist;
use dorsum_app::pipeline::{Case, Dorsum};
use dorsum_app::wire::AssessmentJson;
use dorsum_engine::{Assessment, Observation};
use dorsum_store::{Storage, Store, StoreEnv, resolve_location};
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
    let new = persist::new_assessment(dorsum, case, observations, assessment, json, answered_pain)?;
    block_on(async {
        let store = open(db).await?;
        let saved = persist::save(&store, &new).await?;
        let location = store.location();
        store.close().await;
        Ok::<_, anyhow::Error>((saved.id, location))
    })?
}
