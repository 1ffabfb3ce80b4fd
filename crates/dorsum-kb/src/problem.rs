//! Problems found while loading a knowledge base, each pointing at a file and line.

use std::fmt;

/// How bad a problem is: errors stop the knowledge base from loading, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One thing wrong with the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// The file as given to the loader (e.g. `kb/findings/location.toml`).
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(f, "{}:{}: {}: {}", self.path, line, level, self.message),
            None => write!(f, "{}: {}: {}", self.path, level, self.message),
        }
    }
}

/// All the problems of a knowledge base that failed to load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the knowledge base has {} error(s); first: {}", self.errors().count(), self.errors().next().map(|p| p.to_string()).unwrap_or_default())]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.severity == Severity::Error)
    }
}
