//! The SQLite backend: one file, WAL journal, `synchronous=FULL`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};

use crate::Storage;
use crate::error::{Error, Result, from_io, from_migrate, from_sqlite};
use crate::model::{
    Deleted, DiaryEntry, Export, NewAssessment, NewDiaryEntry, NewPeg, NewPsfs, PegEntry,
    PsfsEntry, SavedAssessment, UserId, new_id, now, timestamp_text,
};
use crate::rows::{
    AssessmentRow, DiaryRow, PegRow, PsfsActivityRow, PsfsRow, ReadError, psfs_records,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a write waits for another process's lock before giving up with [`Error::Locked`].
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A SQLite store. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    user: UserId,
}

impl SqliteStore {
    /// Opens (creating the file and its folder if needed) and migrates the database at `path`.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with_busy_timeout(path, DEFAULT_BUSY_TIMEOUT).await
    }

    /// [`SqliteStore::open`] with a chosen busy timeout.
    pub async fn open_with_busy_timeout(
        path: &Path,
        busy_timeout: Duration,
    ) -> Result<SqliteStore> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                // A permission problem lies with the deepest folder that exists.
                let existing = parent.ancestors().find(|a| a.is_dir()).unwrap_or(parent);
                match from_io(existing, &e) {
                    ro @ Error::ReadOnly { .. } => ro,
                    _ => from_io(parent, &e),
                }
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(busy_timeout)
            // Deleted health data is overwritten, not left in free pages.
            .pragma("secure_delete", "ON")
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(busy_timeout + Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|e| from_sqlite(path, e))?;
        let location = path.display().to_string();
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| from_migrate(&location, e, |e| from_sqlite(path, e)))?;
        Ok(SqliteStore {
            pool,
            path: path.to_path_buf(),
            user: UserId::local(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(sqlx::Error) -> Error + '_ {
        |e| from_sqlite(&self.path, e)
    }

    fn loc(&self) -> String {
        self.path.display().to_string()
    }

    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        self.pool.acquire().await.map_err(self.err())
    }
}

impl Storage for SqliteStore {
    fn user(&self) -> &UserId {
        &self.user
    }

    fn for_user(&self, user: UserId) -> Self {
        SqliteStore {
            user,
            ..self.clone()
        }
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    async fn save_assessment(&self, new: &NewAssessment) -> Result<SavedAssessment> {
        new.validate()?;
        let saved = SavedAssessment {
            id: new_id(),
            created_at: now(),
            kb_version: new.kb_version.clone(),
            triage: new.triage,
            region: new.region,
            pain: new.pain,
            result_json: new.result_json.clone(),
            evidence_json: new.evidence_json.clone(),
        };
        sqlx::query(
            "INSERT INTO assessments (id, user_id, created_at, kb_version, triage_level, region, pain, \
             result, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&saved.id)
        .bind(self.user.as_str())
        .bind(timestamp_text(saved.created_at))
        .bind(&saved.kb_version)
        .bind(saved.triage.as_str())
        .bind(saved.region.as_str())
        .bind(saved.pain.map(|p| i64::from(p.get())))
        .bind(&saved.result_json)
        .bind(&saved.evidence_json)
        .execute(&self.pool)
        .await
        .map_err(self.err())?;
        Ok(saved)
    }

    async fn list_assessments(&self) -> Result<Vec<SavedAssessment>> {
        list_assessments(&mut *self.conn().await?, &self.user, &self.loc())
            .await
            .map_err(|e| e.into_error(self.err()))
    }

    async fn latest_assessment(&self) -> Result<Option<SavedAssessment>> {
        let row: Option<AssessmentRow> = sqlx::query_as(
            "SELECT id, created_at, kb_version, triage_level, region, pain, result, evidence \
             FROM assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(self.user.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(self.err())?;
        row.map(|r| r.into_record(&self.loc())).transpose()
    }

    async fn add_diary_entry(&self, new: &NewDiaryEntry) -> Result<DiaryEntry> {
        new.validate()?;
        let entry = DiaryEntry {
            id: new_id(),
            date: new.date,
            pain: new.pain,
            region: new.region,
            sessions: new.sessions,
            symptoms: new.symptoms.clone(),
            note: new.note.clone(),
            created_at: now(),
        };
        sqlx::query(
            "INSERT INTO diary_entries (id, user_id, date, pain, region, sessions, symptoms, note, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&entry.id)
        .bind(self.user.as_str())
        .bind(entry.date.to_string())
        .bind(i64::from(entry.pain.get()))
        .bind(entry.region.map(|r| r.as_str()))
        .bind(i64::from(entry.sessions))
        .bind(entry.symptoms.as_deref())
        .bind(entry.note.as_deref())
        .bind(timestamp_text(entry.created_at))
        .execute(&self.pool)
        .await
        .map_err(self.err())?;
        Ok(entry)
    }

    async fn list_diary_entries(&self) -> Result<Vec<DiaryEntry>> {
        list_diary(&mut *self.conn().await?, &self.user, &self.loc())
            .await
            .map_err(|e| e.into_error(self.err()))
    }

    async fn update_diary_entry(
        &self,
        id: &str,
        new: &NewDiaryEntry,
    ) -> Result<Option<DiaryEntry>> {
        new.validate()?;
        let updated = sqlx::query(
            "UPDATE diary_entries SET date = $1, pain = $2, region = $3, sessions = $4, \
             symptoms = $5, note = $6 WHERE id = $7 AND user_id = $8",
        )
        .bind(new.date.to_string())
        .bind(i64::from(new.pain.get()))
        .bind(new.region.map(|r| r.as_str()))
        .bind(i64::from(new.sessions))
        .bind(new.symptoms.as_deref())
        .bind(new.note.as_deref())
        .bind(id)
        .bind(self.user.as_str())
        .execute(&self.pool)
        .await
        .map_err(self.err())?
        .rows_affected();
        if updated == 0 {
            return Ok(None);
        }
        let entries = list_diary(&mut *self.conn().await?, &self.user, &self.loc())
            .await
            .map_err(|e| e.into_error(self.err()))?;
        Ok(entries.into_iter().find(|e| e.id == id))
    }

    async fn delete_diary_entry(&self, id: &str) -> Result<bool> {
        let deleted = sqlx::query("DELETE FROM diary_entries WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(self.user.as_str())
            .execute(&self.pool)
            .await
            .map_err(self.err())?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn add_peg(&self, new: &NewPeg) -> Result<PegEntry> {
        new.validate()?;
        let entry = PegEntry {
            id: new_id(),
            date: new.date,
            pain: new.pain,
            enjoyment: new.enjoyment,
            activity: new.activity,
            created_at: now(),
        };
        sqlx::query(
            "INSERT INTO peg_entries (id, user_id, date, pain, enjoyment, activity, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&entry.id)
        .bind(self.user.as_str())
        .bind(entry.date.to_string())
        .bind(i64::from(entry.pain.get()))
        .bind(i64::from(entry.enjoyment.get()))
        .bind(i64::from(entry.activity.get()))
        .bind(timestamp_text(entry.created_at))
        .execute(&self.pool)
        .await
        .map_err(self.err())?;
        Ok(entry)
    }

    async fn list_peg(&self) -> Result<Vec<PegEntry>> {
        list_peg(&mut *self.conn().await?, &self.user, &self.loc())
            .await
            .map_err(|e| e.into_error(self.err()))
    }

    async fn add_psfs(&self, new: &NewPsfs) -> Result<PsfsEntry> {
        new.validate()?;
        let entry = PsfsEntry {
            id: new_id(),
            date: new.date,
            activities: new.activities.clone(),
            created_at: now(),
        };
        // BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so the
        // transaction never has to upgrade a read lock, which SQLite cannot wait for.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(self.err())?;
        sqlx::query(
            "INSERT INTO psfs_entries (id, user_id, date, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&entry.id)
        .bind(self.user.as_str())
        .bind(entry.date.to_string())
        .bind(timestamp_text(entry.created_at))
        .execute(&mut *tx)
        .await
        .map_err(self.err())?;
        for (i, a) in entry.activities.iter().enumerate() {
            sqlx::query(
                "INSERT INTO psfs_activities (entry_id, user_id, position, name, score) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&entry.id)
            .bind(self.user.as_str())
            .bind(i as i64 + 1)
            .bind(&a.name)
            .bind(i64::from(a.score.get()))
            .execute(&mut *tx)
            .await
            .map_err(self.err())?;
        }
        tx.commit().await.map_err(self.err())?;
        Ok(entry)
    }

    async fn list_psfs(&self) -> Result<Vec<PsfsEntry>> {
        // One read transaction, so entries and activities come from the same snapshot.
        let mut tx = self.pool.begin().await.map_err(self.err())?;
        let list = list_psfs(&mut tx, &self.user, &self.loc())
            .await
            .map_err(|e| e.into_error(self.err()))?;
        tx.commit().await.map_err(self.err())?;
        Ok(list)
    }

    async fn export(&self) -> Result<Export> {
        let mut tx = self.pool.begin().await.map_err(self.err())?;
        let location = self.loc();
        let read = async {
            Ok::<_, ReadError>(Export {
                format: "dorsum-export",
                version: 1,
                user_id: self.user.clone(),
                exported_at: now(),
                assessments: list_assessments(&mut tx, &self.user, &location).await?,
                diary: list_diary(&mut tx, &self.user, &location).await?,
                peg: list_peg(&mut tx, &self.user, &location).await?,
                psfs: list_psfs(&mut tx, &self.user, &location).await?,
            })
        }
        .await
        .map_err(|e| e.into_error(self.err()))?;
        tx.commit().await.map_err(self.err())?;
        Ok(read)
    }

    async fn delete_all(&self) -> Result<Deleted> {
        let user = self.user.as_str();
        // All or nothing: an error drops the transaction, which rolls it back.
        let deleted = async {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            delete(
                &mut tx,
                "DELETE FROM psfs_activities WHERE user_id = $1",
                user,
            )
            .await?;
            let deleted = Deleted {
                psfs: delete(&mut tx, "DELETE FROM psfs_entries WHERE user_id = $1", user).await?,
                peg: delete(&mut tx, "DELETE FROM peg_entries WHERE user_id = $1", user).await?,
                diary: delete(
                    &mut tx,
                    "DELETE FROM diary_entries WHERE user_id = $1",
                    user,
                )
                .await?,
                assessments: delete(&mut tx, "DELETE FROM assessments WHERE user_id = $1", user)
                    .await?,
            };
            tx.commit().await?;
            Ok::<_, sqlx::Error>(deleted)
        }
        .await
        .map_err(self.err())?;
        // Best effort: copy the zeroed pages into the main file and empty the WAL, so the deleted
        // data does not linger in the -wal file. A busy reader only delays this to a later checkpoint.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await;
        Ok(deleted)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

async fn delete(
    conn: &mut SqliteConnection,
    sql: &'static str,
    user: &str,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sql)
        .bind(user)
        .execute(conn)
        .await?
        .rows_affected())
}

async fn list_assessments(
    conn: &mut SqliteConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<SavedAssessment>, ReadError> {
    let rows: Vec<AssessmentRow> = sqlx::query_as(
        "SELECT id, created_at, kb_version, triage_level, region, pain, result, evidence \
         FROM assessments WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(location))
        .collect::<Result<_>>()?)
}

async fn list_diary(
    conn: &mut SqliteConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<DiaryEntry>, ReadError> {
    let rows: Vec<DiaryRow> = sqlx::query_as(
        "SELECT id, date, pain, region, sessions, symptoms, note, created_at \
         FROM diary_entries WHERE user_id = $1 ORDER BY date, id",
    )
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(location))
        .collect::<Result<_>>()?)
}

async fn list_peg(
    conn: &mut SqliteConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<PegEntry>, ReadError> {
    let rows: Vec<PegRow> = sqlx::query_as(
        "SELECT id, date, pain, enjoyment, activity, created_at \
         FROM peg_entries WHERE user_id = $1 ORDER BY date, id",
    )
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(location))
        .collect::<Result<_>>()?)
}

async fn list_psfs(
    conn: &mut SqliteConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<PsfsEntry>, ReadError> {
    let entries: Vec<PsfsRow> = sqlx::query_as(
        "SELECT id, date, created_at FROM psfs_entries WHERE user_id = $1 ORDER BY date, id",
    )
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let activities: Vec<PsfsActivityRow> = sqlx::query_as(
        "SELECT entry_id, name, score FROM psfs_activities WHERE user_id = $1 \
         ORDER BY entry_id, position",
    )
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(psfs_records(entries, activities, location)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_pool_connection_runs_wal_with_synchronous_full() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("dorsum.db"))
            .await
            .unwrap();
        // Hold every connection the pool allows at once, so each check runs on a different one.
        let mut conns = Vec::new();
        for _ in 0..4 {
            conns.push(store.pool.acquire().await.unwrap());
        }
        for conn in &mut conns {
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(mode, "wal");
            let pragma = |name: &'static str| sqlx::query_scalar::<_, i64>(name);
            assert_eq!(
                pragma("PRAGMA synchronous")
                    .fetch_one(&mut **conn)
                    .await
                    .unwrap(),
                2,
                "FULL"
            );
            assert_eq!(
                pragma("PRAGMA foreign_keys")
                    .fetch_one(&mut **conn)
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(
                pragma("PRAGMA busy_timeout")
                    .fetch_one(&mut **conn)
                    .await
                    .unwrap(),
                5000
            );
            assert_eq!(
                pragma("PRAGMA secure_delete")
                    .fetch_one(&mut **conn)
                    .await
                    .unwrap(),
                1
            );
        }
        drop(conns);
        store.close().await;
    }
}
