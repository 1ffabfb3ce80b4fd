//! Dorsum's knowledge base: types, the TOML file format, loading and validation.
//!
//! This crate never does I/O. The embedded copy of `kb/` is compiled in by `build.rs`;
//! `dorsum kb check DIR` reads a directory in the binary and hands the texts to [`check`].

pub mod embedded;
pub mod load;
pub mod model;
pub mod problem;
pub mod raw;
pub mod vocab;

pub use load::{KbFile, ParameterCounts, Report, Stats, check, load};
pub use model::*;
pub use problem::{Problem, Problems, Severity};
pub use vocab::*;
