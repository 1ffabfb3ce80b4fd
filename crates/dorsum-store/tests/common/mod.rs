//! Shared test helpers: sample records, a throwaway PostgreSQL database, and re-running this test
//! binary as a child process.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use dorsum_store::{
    Date, NewAssessment, NewDiaryEntry, NewPeg, NewPsfs, PgUrl, PsfsActivity, Region, Score,
    TriageLevel,
};
use sqlx::Connection;

pub const PG_ENV: &str = "DORSUM_TEST_DATABASE_URL";

pub fn day(s: &str) -> Date {
    s.parse().unwrap()
}

pub fn score(n: i64) -> Score {
    Score::new(n).unwrap()
}

pub fn diary(date: &str, pain: i64) -> NewDiaryEntry {
    NewDiaryEntry {
        date: day(date),
        pain: score(pain),
        region: Some(Region::Lower),
        sessions: 1,
        symptoms: None,
        note: None,
    }
}

pub fn assessment(pain: Option<i64>, result_json: &str) -> NewAssessment {
    NewAssessment {
        kb_version: "test-kb-1".into(),
        triage: TriageLevel::SelfCare,
        region: Region::Lower,
        pain: pain.map(score),
        result_json: result_json.into(),
        evidence_json: r#"{"age": 40, "sex": "female", "observations": [["low_back_pain", true]]}"#
            .into(),
    }
}

pub fn peg(date: &str, p: i64, e: i64, g: i64) -> NewPeg {
    NewPeg {
        date: day(date),
        pain: score(p),
        enjoyment: score(e),
        activity: score(g),
    }
}

pub fn psfs(date: &str, activities: &[(&str, i64)]) -> NewPsfs {
    NewPsfs {
        date: day(date),
        activities: activities
            .iter()
            .map(|(name, s)| PsfsActivity {
                name: (*name).into(),
                score: score(*s),
            })
            .collect(),
    }
}

/// The PostgreSQL server for tests, from `DORSUM_TEST_DATABASE_URL`. Unset: prints that the
/// PostgreSQL part is skipped, or fails when `CI=true` (CI must not skip it).
pub fn pg_admin_url(test: &str) -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "{test}: {PG_ENV} is not set but CI=true; the PostgreSQL tests must run in CI \
                     (e.g. {PG_ENV}=postgres://postgres@127.0.0.1:5432/test)"
                );
            }
            // Straight to stderr, past the test harness's output capture, so it shows in a normal run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "{test}: skipped: set {PG_ENV} (e.g. postgres://postgres@127.0.0.1:5432/test) to run \
                 the PostgreSQL part"
            );
            None
        }
    }
}

/// A fresh, uniquely named database on the test server, dropped (even after a panic) when this
/// value is dropped.
pub struct PgTestDb {
    admin_url: String,
    name: String,
    pub url: PgUrl,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl PgTestDb {
    pub async fn create(admin_url: &str) -> PgTestDb {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "dorsum_test_{}_{}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {PG_ENV}: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create a test database (needs CREATEDB): {e}"));
        admin.close().await.ok();
        let url = PgUrl::parse(&with_database(admin_url, &name)).unwrap();
        PgTestDb {
            admin_url: admin_url.to_string(),
            name,
            url,
        }
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        // A thread with its own runtime, so this works inside an async test and during a panic.
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}

/// `url` with its database name replaced by `name` (query string kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[authority_start..]
        .find('/')
        .map(|i| authority_start + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// `PRAGMA integrity_check` on a fresh connection to the file.
pub async fn integrity_check(path: &std::path::Path) -> String {
    use std::str::FromStr;
    let options =
        sqlx::sqlite::SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .unwrap();
    let mut conn = sqlx::sqlite::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    let result: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.ok();
    result
}
