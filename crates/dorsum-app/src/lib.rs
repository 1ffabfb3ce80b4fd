//! Dorsum's application layer, shared by the `dorsum` command and the web server: input validation, the
//! versioned result object (the only place that knows its JSON), readable rendering, interview sessions,
//! saving results, and the care glue (plans, re-triage on new symptoms, follow-up advice).
//!
//! It does no I/O of its own except reading a knowledge-base directory when asked; storage calls go through
//! the `dorsum_store::Storage` handle the caller passes in.

pub mod care;
mod error;
pub mod kb_dir;
pub mod persist;
pub mod pipeline;
pub mod render;
pub mod replay;
pub mod routing;
pub mod session;
pub mod wire;

pub use error::{Error, Result};
