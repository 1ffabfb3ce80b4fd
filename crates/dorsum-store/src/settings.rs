//! Where to store (BRIEF §5): a pure function of the `--db` flag and the environment.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;

use crate::error::Error;

/// The environment variables that choose the store, passed in so that resolution stays pure and testable.
/// An empty value counts as unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreEnv {
    /// `DORSUM_DATABASE_URL`: a `postgres://` URL.
    pub database_url: Option<String>,
    /// `DORSUM_DB`: a SQLite file path.
    pub db: Option<String>,
    /// `XDG_DATA_HOME`.
    pub xdg_data_home: Option<String>,
    /// `HOME`.
    pub home: Option<String>,
}

impl StoreEnv {
    /// Reads the four variables from the process environment (values that are not UTF-8 count as unset).
    pub fn from_process() -> StoreEnv {
        let var = |name: &str| std::env::var(name).ok();
        StoreEnv {
            database_url: var("DORSUM_DATABASE_URL"),
            db: var("DORSUM_DB"),
            xdg_data_home: var("XDG_DATA_HOME"),
            home: var("HOME"),
        }
    }
}

/// Which setting chose the store; error messages name it so the user knows what to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `--db PATH|URL`.
    Flag,
    /// `DORSUM_DATABASE_URL`.
    DatabaseUrl,
    /// `DORSUM_DB`.
    DbPath,
    /// The default file in the user's data directory.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Flag => "--db",
            Source::DatabaseUrl => "DORSUM_DATABASE_URL",
            Source::DbPath => "DORSUM_DB",
            Source::Default => "the default location",
        })
    }
}

/// A resolved store location.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file (created with its folder on open).
    Sqlite(PathBuf),
    /// A PostgreSQL server, by URL (already checked to parse).
    Postgres(PgUrl),
}

impl Location {
    /// The location as safe to show: a path, or a URL without its password.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => url.redacted(),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(url) => f.debug_tuple("Postgres").field(&url.redacted()).finish(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// A PostgreSQL URL that parses. `Debug` and `Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: String,
    redacted: String,
}

impl PgUrl {
    /// Checks that `url` is a `postgres://` or `postgresql://` URL that parses. Pure: unlike
    /// connecting, this reads no `PG*` variables and no `.pgpass`.
    pub fn parse(url: &str) -> Result<PgUrl, String> {
        let lower = url.get(..13).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("postgres://") || lower.starts_with("postgresql://")) {
            return Err("it is not a postgres:// URL".to_string());
        }
        // The parser's message could quote the URL; say only that it does not parse.
        let parsed = url::Url::parse(url).map_err(|_| {
            "it does not parse as a URL (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE; \
             percent-encode special characters in the password)"
                .to_string()
        })?;
        let user = parsed.username();
        let at = if user.is_empty() { "" } else { "@" };
        let host = parsed.host_str().unwrap_or("");
        let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
        let redacted = format!("postgres://{user}{at}{host}{port}{}", parsed.path());
        Ok(PgUrl {
            url: url.to_string(),
            redacted,
        })
    }

    /// The URL itself, password included: for connecting, never for messages.
    pub fn expose(&self) -> &str {
        &self.url
    }

    /// sqlx's options for the URL (this reads `PG*` variables and `.pgpass` for what the URL leaves
    /// out, as libpq does).
    pub(crate) fn options(&self) -> Result<PgConnectOptions, String> {
        PgConnectOptions::from_str(&self.url).map_err(|_| {
            "the URL's parameters are not understood; check the part after '?' (e.g. sslmode)"
                .to_string()
        })
    }

    /// `postgres://USER@HOST[:PORT]/DATABASE`, without the password or the query.
    pub fn redacted(&self) -> String {
        self.redacted.clone()
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({})", self.redacted())
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Resolves the store location; first match wins (BRIEF §5):
///
/// 1. `db_flag` (`--db PATH|URL`): a `postgres://`/`postgresql://` URL, a `sqlite:` URL, or a SQLite path;
/// 2. `DORSUM_DATABASE_URL`: must be a `postgres://` URL;
/// 3. `DORSUM_DB`: a SQLite path (`sqlite:` URLs are accepted too);
/// 4. `$XDG_DATA_HOME/dorsum/dorsum.db` if `XDG_DATA_HOME` is an absolute path, else
///    `$HOME/.local/share/dorsum/dorsum.db`.
///
/// Pure: nothing is touched on disk or on the network.
pub fn resolve_location(db_flag: Option<&str>, env: &StoreEnv) -> Result<Location, Error> {
    fn set(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|s| !s.is_empty())
    }
    if let Some(value) = db_flag {
        return path_or_url(value, Source::Flag);
    }
    if let Some(url) = set(&env.database_url) {
        return PgUrl::parse(url)
            .map(Location::Postgres)
            .map_err(|problem| Error::BadSetting {
                setting: Source::DatabaseUrl,
                problem,
            });
    }
    if let Some(path) = set(&env.db) {
        return path_or_url(path, Source::DbPath);
    }
    let data_home = match (set(&env.xdg_data_home), set(&env.home)) {
        (Some(xdg), _) if Path::new(xdg).is_absolute() => PathBuf::from(xdg),
        (_, Some(home)) => Path::new(home).join(".local").join("share"),
        _ => {
            return Err(Error::BadSetting {
                setting: Source::Default,
                problem: "neither XDG_DATA_HOME nor HOME is set, so there is no data directory; \
                          choose a database with --db PATH or DORSUM_DB"
                    .to_string(),
            });
        }
    };
    Ok(Location::Sqlite(data_home.join("dorsum").join("dorsum.db")))
}

fn path_or_url(value: &str, setting: Source) -> Result<Location, Error> {
    let bad = |problem: String| Error::BadSetting { setting, problem };
    if value.trim().is_empty() {
        return Err(bad(
            "it is empty; give a SQLite file path or a postgres:// URL".to_string(),
        ));
    }
    let lower = value.get(..13).unwrap_or(value).to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return PgUrl::parse(value).map(Location::Postgres).map_err(bad);
    }
    if lower.starts_with("sqlite:") {
        let rest = &value["sqlite:".len()..];
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() || path == ":memory:" {
            return Err(bad(
                "a sqlite: URL needs a file path, e.g. sqlite:///home/me/dorsum.db".to_string(),
            ));
        }
        return Ok(Location::Sqlite(PathBuf::from(path)));
    }
    if let Some((scheme, _)) = value.split_once("://") {
        return Err(bad(format!(
            "'{scheme}://' databases are not supported; give a SQLite file path or a postgres:// URL"
        )));
    }
    Ok(Location::Sqlite(PathBuf::from(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(url: Option<&str>, db: Option<&str>, xdg: Option<&str>, home: Option<&str>) -> StoreEnv {
        StoreEnv {
            database_url: url.map(str::to_string),
            db: db.map(str::to_string),
            xdg_data_home: xdg.map(str::to_string),
            home: home.map(str::to_string),
        }
    }

    fn sqlite(p: &str) -> Location {
        Location::Sqlite(PathBuf::from(p))
    }

    const PG: &str = "postgres://me:secret@db.example:5433/dorsum";

    #[test]
    fn first_match_wins() {
        let all = env(Some(PG), Some("/env/d.db"), Some("/xdg"), Some("/home/me"));
        assert_eq!(
            resolve_location(Some("/flag.db"), &all).unwrap(),
            sqlite("/flag.db")
        );
        assert!(matches!(
            resolve_location(None, &all).unwrap(),
            Location::Postgres(_)
        ));
        let no_url = env(None, Some("/env/d.db"), Some("/xdg"), Some("/home/me"));
        assert_eq!(
            resolve_location(None, &no_url).unwrap(),
            sqlite("/env/d.db")
        );
        let defaults = env(None, None, Some("/xdg"), Some("/home/me"));
        assert_eq!(
            resolve_location(None, &defaults).unwrap(),
            sqlite("/xdg/dorsum/dorsum.db")
        );
        let home_only = env(None, None, None, Some("/home/me"));
        assert_eq!(
            resolve_location(None, &home_only).unwrap(),
            sqlite("/home/me/.local/share/dorsum/dorsum.db")
        );
    }

    #[test]
    fn empty_and_relative_values_are_skipped() {
        let e = env(Some(""), Some(""), Some("relative/xdg"), Some("/home/me"));
        assert_eq!(
            resolve_location(None, &e).unwrap(),
            sqlite("/home/me/.local/share/dorsum/dorsum.db")
        );
    }

    #[test]
    fn flag_accepts_urls_and_paths() {
        let e = StoreEnv::default();
        match resolve_location(Some(PG), &e).unwrap() {
            Location::Postgres(url) => {
                assert_eq!(url.expose(), PG);
                assert_eq!(url.redacted(), "postgres://me@db.example:5433/dorsum");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            resolve_location(Some("postgresql://u@h/d"), &e).unwrap(),
            Location::Postgres(_)
        ));
        assert_eq!(
            resolve_location(Some("sqlite:///tmp/x.db"), &e).unwrap(),
            sqlite("/tmp/x.db")
        );
        assert_eq!(
            resolve_location(Some("sqlite:rel.db"), &e).unwrap(),
            sqlite("rel.db")
        );
        assert_eq!(
            resolve_location(Some("rel/x.db"), &e).unwrap(),
            sqlite("rel/x.db")
        );
    }

    #[test]
    fn bad_settings_say_which_and_hide_the_password() {
        let e = env(Some("mysql://me:secret@h/d"), None, None, None);
        let err = resolve_location(None, &e).unwrap_err().to_string();
        assert!(err.contains("DORSUM_DATABASE_URL"), "{err}");
        assert!(err.contains("postgres://"), "{err}");
        assert!(!err.contains("secret"), "{err}");

        let err = resolve_location(Some("mysql://h/d"), &e)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--db") && err.contains("'mysql://'"), "{err}");

        let err = resolve_location(Some("postgres://me:secret@h:notaport/d"), &e)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--db") && !err.contains("secret"), "{err}");

        let err = resolve_location(None, &StoreEnv::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("HOME") && err.contains("--db"), "{err}");

        let err = resolve_location(Some(""), &e).unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let loc = resolve_location(Some(PG), &StoreEnv::default()).unwrap();
        assert!(!format!("{loc:?} {loc}").contains("secret"));
        let in_query = "postgres://me@h/d?password=secret&sslmode=disable";
        let loc = resolve_location(Some(in_query), &StoreEnv::default()).unwrap();
        assert_eq!(loc.display(), "postgres://me@h/d");
        assert!(!format!("{loc:?}").contains("secret"));
    }
}
