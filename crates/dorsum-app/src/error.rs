//! What can go wrong in the application layer; every message says what to change.

/// An application-layer error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The knowledge base (built-in or a directory) does not load.
    #[error("{0}")]
    Kb(String),
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Storage failed; the store's message says why and what to do.
    #[error(transparent)]
    Store(#[from] dorsum_store::Error),
    /// JSON could not be written or read.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A saved or given result object cannot be used (names the field).
    #[error("{0}")]
    Result(String),
    /// Care planning refused the input (e.g. plan length).
    #[error("{0}")]
    Care(#[from] dorsum_care::Error),
}

/// Shorthand.
pub type Result<T, E = Error> = std::result::Result<T, E>;
