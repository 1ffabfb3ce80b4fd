//! The PostgreSQL backend. Dates are `date`, timestamps `timestamptz`, the result and evidence `json`;
//! queries bind text and cast, and read back text in the same fixed formats as SQLite, so both
//! backends share the row types of `rows.rs`.

use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};

use crate::Storage;
use crate::error::{Error, Result, from_migrate, from_postgres};
use crate::model::{
    Deleted, DiaryEntry, Export, NewAssessment, NewDiaryEntry, NewPeg, NewPsfs, PegEntry,
    PsfsEntry, SavedAssessment, UserId, new_id, now, timestamp_text,
};
use crate::rows::{
    AssessmentRow, DiaryRow, PegRow, PsfsActivityRow, PsfsRow, ReadError, psfs_records,
};
use crate::settings::PgUrl;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// `created_at` as fixed-width RFC 3339 UTC text.
macro_rules! ts {
    ($col:literal) => {
        concat!(
            "to_char(",
            $col,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        )
    };
}

/// A PostgreSQL store. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    location: String,
    user: UserId,
}

impl PgStore {
    /// Connects to `url` and applies the migrations (under PostgreSQL's advisory lock, so several
    /// servers starting at once do not race).
    pub async fn open(url: &PgUrl) -> Result<PgStore> {
        let location = url.redacted();
        let options = url
            .options()
            .map_err(|reason| Error::Connect {
                location: location.clone(),
                reason,
            })?
            .application_name("dorsum")
            .disable_statement_logging();
        // Connect and migrate on one connection first: a wrong host, password or database fails at
        // once with the server's answer, instead of the pool retrying until its timeout.
        let mut first = PgConnection::connect_with(&options)
            .await
            .map_err(|e| from_postgres(&location, e))?;
        MIGRATOR
            .run(&mut first)
            .await
            .map_err(|e| from_migrate(&location, e, |e| from_postgres(&location, e)))?;
        let pool = PgPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| from_postgres(&location, e))?;
        first.close().await.ok();
        Ok(PgStore {
            pool,
            location,
            user: UserId::local(),
        })
    }

    fn err(&self) -> impl Fn(sqlx::Error) -> Error + '_ {
        |e| from_postgres(&self.location, e)
    }

    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        self.pool.acquire().await.map_err(self.err())
    }
}

impl Storage for PgStore {
    fn user(&self) -> &UserId {
        &self.user
    }

    fn for_user(&self, user: UserId) -> Self {
        PgStore {
            user,
            ..self.clone()
        }
    }

    fn location(&self) -> String {
        self.location.clone()
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
             result, evidence) VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8::json, $9::json)",
        )
        .bind(&saved.id)
        .bind(self.user.as_str())
        .bind(timestamp_text(saved.created_at))
        .bind(&saved.kb_version)
        .bind(saved.triage.as_str())
        .bind(saved.region.as_str())
        .bind(saved.pain.map(|p| i16::from(p.get())))
        .bind(&saved.result_json)
        .bind(&saved.evidence_json)
        .execute(&self.pool)
        .await
        .map_err(self.err())?;
        Ok(saved)
    }

    async fn list_assessments(&self) -> Result<Vec<SavedAssessment>> {
        list_assessments(&mut *self.conn().await?, &self.user, &self.location)
            .await
            .map_err(|e| e.into_error(self.err()))
    }

    async fn latest_assessment(&self) -> Result<Option<SavedAssessment>> {
        let row: Option<AssessmentRow> = sqlx::query_as(concat!(
            "SELECT id, ",
            ts!("created_at"),
            " AS created_at, kb_version, triage_level, region, pain::int8 AS pain, \
             result::text AS result, evidence::text AS evidence \
             FROM assessments WHERE user_id = $1 \
             ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT 1"
        ))
        .bind(self.user.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(self.err())?;
        row.map(|r| r.into_record(&self.location)).transpose()
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
             created_at) VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9::timestamptz)",
        )
        .bind(&entry.id)
        .bind(self.user.as_str())
        .bind(entry.date.to_string())
        .bind(i16::from(entry.pain.get()))
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
        list_diary(&mut *self.conn().await?, &self.user, &self.location)
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
            "UPDATE diary_entries SET date = $1::date, pain = $2, region = $3, sessions = $4, \
             symptoms = $5, note = $6 WHERE id = $7 AND user_id = $8",
        )
        .bind(new.date.to_string())
        .bind(i16::from(new.pain.get()))
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
        let entries = list_diary(&mut *self.conn().await?, &self.user, &self.location)
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
             VALUES ($1, $2, $3::date, $4, $5, $6, $7::timestamptz)",
        )
        .bind(&entry.id)
        .bind(self.user.as_str())
        .bind(entry.date.to_string())
        .bind(i16::from(entry.pain.get()))
        .bind(i16::from(entry.enjoyment.get()))
        .bind(i16::from(entry.activity.get()))
        .bind(timestamp_text(entry.created_at))
        .execute(&self.pool)
        .await
        .map_err(self.err())?;
        Ok(entry)
    }

    async fn list_peg(&self) -> Result<Vec<PegEntry>> {
        list_peg(&mut *self.conn().await?, &self.user, &self.location)
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
        // All or nothing: an error drops the transaction, which rolls it back.
        async {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO psfs_entries (id, user_id, date, created_at) \
                 VALUES ($1, $2, $3::date, $4::timestamptz)",
            )
            .bind(&entry.id)
            .bind(self.user.as_str())
            .bind(entry.date.to_string())
            .bind(timestamp_text(entry.created_at))
            .execute(&mut *tx)
            .await?;
            for (i, a) in entry.activities.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO psfs_activities (entry_id, user_id, position, name, score) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&entry.id)
                .bind(self.user.as_str())
                .bind(i as i16 + 1)
                .bind(&a.name)
                .bind(i16::from(a.score.get()))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        }
        .await
        .map_err(self.err())?;
        Ok(entry)
    }

    async fn list_psfs(&self) -> Result<Vec<PsfsEntry>> {
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(self.err())?;
        let list = list_psfs(&mut tx, &self.user, &self.location)
            .await
            .map_err(|e| e.into_error(self.err()))?;
        tx.commit().await.map_err(self.err())?;
        Ok(list)
    }

    async fn export(&self) -> Result<Export> {
        // One snapshot for the whole export.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(self.err())?;
        let location = &self.location;
        let export = async {
            Ok::<_, ReadError>(Export {
                format: "dorsum-export",
                version: 1,
                user_id: self.user.clone(),
                exported_at: now(),
                assessments: list_assessments(&mut tx, &self.user, location).await?,
                diary: list_diary(&mut tx, &self.user, location).await?,
                peg: list_peg(&mut tx, &self.user, location).await?,
                psfs: list_psfs(&mut tx, &self.user, location).await?,
            })
        }
        .await
        .map_err(|e| e.into_error(self.err()))?;
        tx.commit().await.map_err(self.err())?;
        Ok(export)
    }

    async fn delete_all(&self) -> Result<Deleted> {
        let user = self.user.as_str();
        async {
            let mut tx = self.pool.begin().await?;
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
            Ok(deleted)
        }
        .await
        .map_err(self.err())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

async fn delete(
    conn: &mut PgConnection,
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
    conn: &mut PgConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<SavedAssessment>, ReadError> {
    let rows: Vec<AssessmentRow> = sqlx::query_as(concat!(
        "SELECT id, ",
        ts!("created_at"),
        " AS created_at, kb_version, triage_level, region, pain::int8 AS pain, \
         result::text AS result, evidence::text AS evidence \
         FROM assessments WHERE user_id = $1 ORDER BY created_at, id COLLATE \"C\""
    ))
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(location))
        .collect::<Result<_>>()?)
}

async fn list_diary(
    conn: &mut PgConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<DiaryEntry>, ReadError> {
    let rows: Vec<DiaryRow> = sqlx::query_as(concat!(
        "SELECT id, to_char(date, 'YYYY-MM-DD') AS date, pain::int8 AS pain, region, sessions, \
         symptoms, note, ",
        ts!("created_at"),
        " AS created_at FROM diary_entries WHERE user_id = $1 ORDER BY date, id COLLATE \"C\""
    ))
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(location))
        .collect::<Result<_>>()?)
}

async fn list_peg(
    conn: &mut PgConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<PegEntry>, ReadError> {
    let rows: Vec<PegRow> = sqlx::query_as(concat!(
        "SELECT id, to_char(date, 'YYYY-MM-DD') AS date, pain::int8 AS pain, \
         enjoyment::int8 AS enjoyment, activity::int8 AS activity, ",
        ts!("created_at"),
        " AS created_at FROM peg_entries WHERE user_id = $1 ORDER BY date, id COLLATE \"C\""
    ))
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(location))
        .collect::<Result<_>>()?)
}

async fn list_psfs(
    conn: &mut PgConnection,
    user: &UserId,
    location: &str,
) -> Result<Vec<PsfsEntry>, ReadError> {
    let entries: Vec<PsfsRow> = sqlx::query_as(concat!(
        "SELECT id, to_char(date, 'YYYY-MM-DD') AS date, ",
        ts!("created_at"),
        " AS created_at FROM psfs_entries WHERE user_id = $1 ORDER BY date, id COLLATE \"C\""
    ))
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let activities: Vec<PsfsActivityRow> = sqlx::query_as(
        "SELECT entry_id, name, score::int8 AS score FROM psfs_activities WHERE user_id = $1 \
         ORDER BY entry_id, position",
    )
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(psfs_records(entries, activities, location)?)
}
