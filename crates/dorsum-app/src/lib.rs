//! Dorsum's application layer, shared by the `dorsum` command and the web server: input validation, the
//! versioned result object (the only place that knows its JSON), readable rendering, interview sessions,
//! saving results, and the care glue (plans, re-triage on new symptoms, follow-up advice).
//!
//! A shell-side library: the I/O it does is small and named — reading a knowledge-base directory
//! (`kb_dir`), the care-routing file named by `--care` or `DORSUM_CARE` (`routing`), and the local date
//! (`care::today`). Storage calls go through the `dorsum_store::Storage` handle the caller passes in. The
//! pure crates (kb, engine, intake, care, report) never depend on it.

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
