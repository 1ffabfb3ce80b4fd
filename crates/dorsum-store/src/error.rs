//! The store's one error type. Every message says what was wrong and how to fix it, names paths and
//! (password-free) URLs, and never quotes health data: no pain scores, notes, symptoms or results.

use std::io;
use std::path::{Path, PathBuf};

use crate::settings::Source;

/// A value the store refused: which field, and what a valid value looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct Invalid {
    /// The field, e.g. `pain`, `date`, `psfs activity 2 name`.
    pub field: String,
    /// What is wrong and what is accepted; never quotes the value.
    pub problem: String,
}

impl Invalid {
    pub(crate) fn new(field: impl Into<String>, problem: impl Into<String>) -> Invalid {
        Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A record failed validation; nothing was written.
    #[error("{0}; nothing was saved")]
    Invalid(#[from] Invalid),

    /// A storage setting (`--db`, `DORSUM_DATABASE_URL`, `DORSUM_DB`) is unusable.
    #[error("bad database setting {setting}: {problem}")]
    BadSetting {
        /// Which setting.
        setting: Source,
        /// What is wrong with it (never the password).
        problem: String,
    },

    /// Another process holds the lock for longer than the busy timeout.
    #[error("the database {location} is locked: another dorsum is using it; try again in a moment")]
    Locked {
        /// Path or password-free URL.
        location: String,
    },

    /// The file or its folder cannot be written.
    #[error(
        "cannot write to {}: it is read-only for this user. Check the permissions of {} \
         (the database file and its folder must be writable), or choose another database with \
         --db PATH or DORSUM_DB",
        path.display(),
        path.display()
    )]
    ReadOnly {
        /// The database file, its `-wal`/`-shm` companion, or the folder that refused the write.
        path: PathBuf,
    },

    /// The disk is full.
    #[error("the disk holding {} is full; free some space and try again", path.display())]
    DiskFull {
        /// The database file.
        path: PathBuf,
    },

    /// The file is not a SQLite database, or is damaged.
    #[error(
        "{} is not a usable dorsum database (not SQLite, or damaged); move it aside or choose another \
         database with --db PATH or DORSUM_DB",
        path.display()
    )]
    Damaged {
        /// The database file.
        path: PathBuf,
    },

    /// The SQLite file could not be opened for another reason.
    #[error("cannot open the database {}: {reason}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's or the OS's explanation.
        reason: String,
    },

    /// The PostgreSQL server could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL at {location}: {reason}")]
    Connect {
        /// The password-free URL.
        location: String,
        /// What went wrong and what to check.
        reason: String,
    },

    /// The schema could not be brought up to date.
    #[error("cannot bring the database {location} up to date: {reason}")]
    Migration {
        /// Path or password-free URL.
        location: String,
        /// What went wrong and what to do.
        reason: String,
    },

    /// A stored row could not be read back (edited by hand, or written by a newer dorsum).
    #[error(
        "a stored {what} in {location} cannot be read ({reason}); was it written by a newer dorsum?"
    )]
    BadRecord {
        /// Path or password-free URL.
        location: String,
        /// Which kind of record.
        what: &'static str,
        /// What was wrong (never the value).
        reason: String,
    },

    /// Any other database error.
    #[error("database error in {location}: {reason}")]
    Database {
        /// Path or password-free URL.
        location: String,
        /// The driver's message (SQLite and PostgreSQL messages name constraints, not values).
        reason: String,
    },
}

/// The store's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// SQLite primary result codes used below.
mod code {
    pub const BUSY: i32 = 5;
    pub const LOCKED: i32 = 6;
    pub const READONLY: i32 = 8;
    pub const IOERR: i32 = 10;
    pub const CORRUPT: i32 = 11;
    pub const FULL: i32 = 13;
    pub const CANTOPEN: i32 = 14;
    pub const NOTADB: i32 = 26;
}

/// Maps a sqlx error on a SQLite database at `path` to a user-facing error.
pub(crate) fn from_sqlite(path: &Path, err: sqlx::Error) -> Error {
    let location = path.display().to_string();
    match err {
        sqlx::Error::Database(db) => {
            let extended: i32 = db.code().and_then(|c| c.parse().ok()).unwrap_or(0);
            match extended & 0xff {
                code::BUSY | code::LOCKED => Error::Locked { location },
                code::READONLY => Error::ReadOnly {
                    path: unwritable_path(path).unwrap_or_else(|| path.to_path_buf()),
                },
                code::CANTOPEN => match unwritable_path(path) {
                    Some(culprit) => Error::ReadOnly { path: culprit },
                    None => Error::Open {
                        path: path.to_path_buf(),
                        reason: format!(
                            "{}; check that the path names a file, not a folder",
                            db.message()
                        ),
                    },
                },
                code::CORRUPT | code::NOTADB => Error::Damaged {
                    path: path.to_path_buf(),
                },
                code::FULL => Error::DiskFull {
                    path: path.to_path_buf(),
                },
                code::IOERR => Error::Open {
                    path: path.to_path_buf(),
                    reason: format!("input/output error ({})", db.message()),
                },
                _ => Error::Database {
                    location,
                    reason: db.message().to_string(),
                },
            }
        }
        sqlx::Error::Io(e) => from_io(path, &e),
        sqlx::Error::PoolTimedOut => Error::Locked { location },
        sqlx::Error::Migrate(m) => from_migrate(&location, *m, |e| from_sqlite(path, e)),
        other => Error::Database {
            location,
            reason: other.to_string(),
        },
    }
}

/// Maps an I/O error on `path` (creating its folder, say).
pub(crate) fn from_io(path: &Path, err: &io::Error) -> Error {
    match err.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => Error::ReadOnly {
            path: path.to_path_buf(),
        },
        io::ErrorKind::StorageFull => Error::DiskFull {
            path: path.to_path_buf(),
        },
        _ => Error::Open {
            path: path.to_path_buf(),
            reason: err.to_string(),
        },
    }
}

/// Maps a sqlx error on a PostgreSQL database to a user-facing error.
pub(crate) fn from_postgres(location: &str, err: sqlx::Error) -> Error {
    let location = location.to_string();
    match err {
        sqlx::Error::Database(db) => {
            let sqlstate = db.code().map(|c| c.into_owned()).unwrap_or_default();
            let connect = |reason: String| Error::Connect {
                location: location.clone(),
                reason,
            };
            match sqlstate.as_str() {
                s if s.starts_with("28") => connect(format!(
                    "the server refused the login ({}); check the user and password in the URL",
                    db.message()
                )),
                "3D000" => connect(format!(
                    "{}; create the database (createdb NAME) or fix the database name in the URL",
                    db.message()
                )),
                "42501" => Error::Database {
                    location,
                    reason: format!(
                        "{}; grant the database user the rights it needs on this database",
                        db.message()
                    ),
                },
                "25006" => Error::Database {
                    location,
                    reason: "the server is read-only (a standby?); point the URL at the primary"
                        .to_string(),
                },
                "40001" | "40P01" | "55P03" => Error::Locked { location },
                s if s.starts_with("53") => Error::Database {
                    location,
                    reason: format!("the server is out of resources ({})", db.message()),
                },
                _ => Error::Database {
                    location,
                    reason: db.message().to_string(),
                },
            }
        }
        sqlx::Error::Io(e) => Error::Connect {
            location,
            reason: format!(
                "{e}; check that the server is running and the host and port in the URL"
            ),
        },
        sqlx::Error::Tls(e) => Error::Connect {
            location,
            reason: format!(
                "{e}; this dorsum is built without TLS: connect over a trusted network or a local \
                 socket with sslmode=disable or prefer"
            ),
        },
        sqlx::Error::PoolTimedOut => Error::Connect {
            location,
            reason: "timed out; check that the server is running and reachable".to_string(),
        },
        sqlx::Error::Migrate(m) => {
            let loc = location.clone();
            from_migrate(&location, *m, move |e| from_postgres(&loc, e))
        }
        other => Error::Database {
            location,
            reason: other.to_string(),
        },
    }
}

/// Maps a migration error; database errors inside it go through `inner` so that a locked or
/// read-only database says so.
pub(crate) fn from_migrate(
    location: &str,
    err: sqlx::migrate::MigrateError,
    inner: impl Fn(sqlx::Error) -> Error,
) -> Error {
    use sqlx::migrate::MigrateError as M;
    let migration = |reason: String| Error::Migration {
        location: location.to_string(),
        reason,
    };
    match err {
        M::Execute(e) | M::ExecuteMigration(e, _) => match inner(e) {
            Error::Database { reason, .. } => migration(reason),
            mapped => mapped,
        },
        M::VersionMissing(v) => migration(format!(
            "it was written by a newer dorsum (schema version {v}); update dorsum, or choose another \
             database with --db"
        )),
        M::VersionMismatch(v) => migration(format!(
            "schema version {v} in the database differs from this dorsum's; it was written by a \
             different build of dorsum: use that build, or choose another database with --db"
        )),
        M::Dirty(v) => migration(format!(
            "an earlier upgrade to schema version {v} did not finish; restore a backup, or choose \
             another database with --db"
        )),
        other => migration(other.to_string()),
    }
}

/// Which path refuses writes, if one does: the database file, its `-wal`/`-shm` files, or its folder.
pub(crate) fn unwritable_path(db: &Path) -> Option<PathBuf> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let p = PathBuf::from(name);
        if p.exists() && !is_writable_file(&p) {
            return Some(p);
        }
    }
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Only on an error path: probe the folder with a file of our own, removed at once.
    let probe = dir.join(format!(".dorsum-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) if is_denied(&e) => Some(dir.to_path_buf()),
        Err(_) => None,
    }
}

fn is_denied(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Whether `path` can be opened for writing (opening does not change it: no truncate, no create).
fn is_writable_file(path: &Path) -> bool {
    !matches!(std::fs::OpenOptions::new().write(true).open(path), Err(e) if is_denied(&e))
}
