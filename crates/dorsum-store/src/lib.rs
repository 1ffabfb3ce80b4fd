//! Dorsum's store: saved assessments, the pain diary, PEG and PSFS entries, on SQLite or PostgreSQL.
//!
//! # Shape
//!
//! [`Storage`] is the contract: what the rest of Dorsum needs from storage, nothing about SQL. Two
//! implementations, [`SqliteStore`] and [`PgStore`], each with its own migrations
//! (`migrations/sqlite`, `migrations/postgres`) applied when it opens. [`Store`] is an enum over the two
//! that also implements [`Storage`]; [`Store::open`] picks the backend from a [`Location`], which
//! [`resolve_location`] computes from the `--db` flag and the environment (BRIEF §5).
//!
//! Why a trait *and* an enum: the trait states the contract once, lets the tests run one story against
//! every backend generically, and lets a later server or a test fake implement it. But an `async fn` in a
//! trait cannot be called through `dyn`, and boxing every future only to choose between two known
//! backends buys nothing; so the run-time choice is a two-armed enum that forwards each call. Adding a
//! backend means one more arm.
//!
//! # Guarantees
//!
//! - **Nothing half-written.** Records are validated before any write (a typed [`Invalid`] error
//!   naming the field); multi-row writes (a PSFS entry with its activities, deleting everything) run in
//!   one transaction; the tables repeat the checks (`CHECK`, SQLite `STRICT`).
//! - **An acknowledged write is never lost.** When a write returns `Ok`, its transaction has committed.
//!   SQLite runs with `journal_mode=WAL` and `synchronous=FULL` (the WAL is synced at every commit), so
//!   a killed process or a power cut after the return loses nothing; `tests/sqlite.rs` kills a writer
//!   with SIGKILL mid-stream to check it. PostgreSQL commits are durable with its default
//!   `synchronous_commit=on`.
//! - **Accounts later without a rewrite.** Every table has a `user_id` column (`local` by default);
//!   every query is scoped to the handle's user ([`Storage::for_user`]).
//! - **Health data never goes to logs.** sqlx statement logging is off, values are always bound (never
//!   formatted into SQL), and error messages name fields, paths and password-free URLs, never values.
//!   Deleted SQLite rows are overwritten (`secure_delete`), and the WAL is checkpointed and truncated
//!   after [`Storage::delete_all`].
//!
//! # Use
//!
//! The API is async (sqlx on tokio). A command-line caller builds a runtime and blocks on it:
//!
//! ```no_run
//! # async fn demo() -> Result<(), dorsum_store::Error> {
//! use dorsum_store::{Storage, Store, StoreEnv, resolve_location};
//! let location = resolve_location(None, &StoreEnv::from_process())?;
//! let store = Store::open(&location).await?;
//! for entry in store.list_diary_entries().await? {
//!     println!("{} {}", entry.date, entry.pain);
//! }
//! store.close().await;
//! # Ok(()) }
//! ```

mod error;
mod model;
mod postgres;
mod rows;
mod settings;
mod sqlite;

use std::future::Future;

pub use dorsum_kb::{Region, TriageLevel};
pub use error::{Error, Invalid, Result};
pub use jiff::Timestamp;
pub use jiff::civil::Date;
pub use model::{
    Deleted, DiaryEntry, EARLIEST_DATE, Export, MAX_ACTIVITY_BYTES, MAX_JSON_BYTES,
    MAX_PSFS_ACTIVITIES, MAX_TEXT_BYTES, NewAssessment, NewDiaryEntry, NewPeg, NewPsfs, PegEntry,
    PsfsActivity, PsfsEntry, SavedAssessment, Score, UserId,
};
pub use postgres::PgStore;
pub use settings::{Location, PgUrl, Source, StoreEnv, resolve_location};
pub use sqlite::{DEFAULT_BUSY_TIMEOUT, SqliteStore};

/// What Dorsum needs from storage. Every call is scoped to the handle's user ([`Storage::user`]).
pub trait Storage: Send + Sync {
    /// Whose data this handle reads and writes.
    fn user(&self) -> &UserId;

    /// The same store, for another user.
    fn for_user(&self, user: UserId) -> Self
    where
        Self: Sized;

    /// Where the data lives: a path, or a URL without its password.
    fn location(&self) -> String;

    /// Saves an assessment; the store assigns its id and time.
    fn save_assessment(
        &self,
        new: &NewAssessment,
    ) -> impl Future<Output = Result<SavedAssessment>> + Send;

    /// Every saved assessment, oldest first.
    fn list_assessments(&self) -> impl Future<Output = Result<Vec<SavedAssessment>>> + Send;

    /// The most recently saved assessment, if any.
    fn latest_assessment(&self) -> impl Future<Output = Result<Option<SavedAssessment>>> + Send;

    /// Adds a diary entry.
    fn add_diary_entry(
        &self,
        new: &NewDiaryEntry,
    ) -> impl Future<Output = Result<DiaryEntry>> + Send;

    /// Every diary entry, by date, then id (which is creation order).
    fn list_diary_entries(&self) -> impl Future<Output = Result<Vec<DiaryEntry>>> + Send;

    /// Replaces the fields of the user's diary entry `id`; its id and creation time stay. `None` when
    /// the user has no entry with that id (nothing is written).
    fn update_diary_entry(
        &self,
        id: &str,
        new: &NewDiaryEntry,
    ) -> impl Future<Output = Result<Option<DiaryEntry>>> + Send;

    /// Deletes the user's diary entry `id`; `false` when there was none.
    fn delete_diary_entry(&self, id: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Adds a PEG entry.
    fn add_peg(&self, new: &NewPeg) -> impl Future<Output = Result<PegEntry>> + Send;

    /// Every PEG entry, by date, then id.
    fn list_peg(&self) -> impl Future<Output = Result<Vec<PegEntry>>> + Send;

    /// Adds a PSFS entry with its activities, in one transaction.
    fn add_psfs(&self, new: &NewPsfs) -> impl Future<Output = Result<PsfsEntry>> + Send;

    /// Every PSFS entry, by date, then id; activities in the order given.
    fn list_psfs(&self) -> impl Future<Output = Result<Vec<PsfsEntry>>> + Send;

    /// Everything stored for the user, read from one snapshot.
    fn export(&self) -> impl Future<Output = Result<Export>> + Send;

    /// Deletes everything stored for the user, in one transaction; returns what was removed.
    fn delete_all(&self) -> impl Future<Output = Result<Deleted>> + Send;

    /// Closes the connections (SQLite checkpoints its WAL into the main file). Other clones of the
    /// handle stop working too.
    fn close(&self) -> impl Future<Output = ()> + Send;
}

/// The store chosen at run time.
#[derive(Debug, Clone)]
pub enum Store {
    /// A SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

impl Store {
    /// Opens the store at `location`: creates the SQLite file and its folder if needed, or connects to
    /// PostgreSQL; then applies any pending migrations. The handle is for [`UserId::local`].
    pub async fn open(location: &Location) -> Result<Store> {
        Ok(match location {
            Location::Sqlite(path) => Store::Sqlite(SqliteStore::open(path).await?),
            Location::Postgres(url) => Store::Postgres(PgStore::open(url).await?),
        })
    }
}

macro_rules! dispatch {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            Store::Sqlite($s) => $call,
            Store::Postgres($s) => $call,
        }
    };
}

impl Storage for Store {
    fn user(&self) -> &UserId {
        dispatch!(self, s => Storage::user(s))
    }
    fn for_user(&self, user: UserId) -> Self {
        match self {
            Store::Sqlite(s) => Store::Sqlite(s.for_user(user)),
            Store::Postgres(s) => Store::Postgres(s.for_user(user)),
        }
    }
    fn location(&self) -> String {
        dispatch!(self, s => Storage::location(s))
    }
    async fn save_assessment(&self, new: &NewAssessment) -> Result<SavedAssessment> {
        dispatch!(self, s => s.save_assessment(new).await)
    }
    async fn list_assessments(&self) -> Result<Vec<SavedAssessment>> {
        dispatch!(self, s => s.list_assessments().await)
    }
    async fn latest_assessment(&self) -> Result<Option<SavedAssessment>> {
        dispatch!(self, s => s.latest_assessment().await)
    }
    async fn add_diary_entry(&self, new: &NewDiaryEntry) -> Result<DiaryEntry> {
        dispatch!(self, s => s.add_diary_entry(new).await)
    }
    async fn list_diary_entries(&self) -> Result<Vec<DiaryEntry>> {
        dispatch!(self, s => s.list_diary_entries().await)
    }
    async fn update_diary_entry(
        &self,
        id: &str,
        new: &NewDiaryEntry,
    ) -> Result<Option<DiaryEntry>> {
        dispatch!(self, s => s.update_diary_entry(id, new).await)
    }
    async fn delete_diary_entry(&self, id: &str) -> Result<bool> {
        dispatch!(self, s => s.delete_diary_entry(id).await)
    }
    async fn add_peg(&self, new: &NewPeg) -> Result<PegEntry> {
        dispatch!(self, s => s.add_peg(new).await)
    }
    async fn list_peg(&self) -> Result<Vec<PegEntry>> {
        dispatch!(self, s => s.list_peg().await)
    }
    async fn add_psfs(&self, new: &NewPsfs) -> Result<PsfsEntry> {
        dispatch!(self, s => s.add_psfs(new).await)
    }
    async fn list_psfs(&self) -> Result<Vec<PsfsEntry>> {
        dispatch!(self, s => s.list_psfs().await)
    }
    async fn export(&self) -> Result<Export> {
        dispatch!(self, s => s.export().await)
    }
    async fn delete_all(&self) -> Result<Deleted> {
        dispatch!(self, s => s.delete_all().await)
    }
    async fn close(&self) {
        dispatch!(self, s => s.close().await)
    }
}
