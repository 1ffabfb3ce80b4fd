//! The knowledge base compiled into the binary, so `dorsum` needs no files beside it.

use crate::load::{KbFile, load};
use crate::model::Kb;
use crate::problem::Problems;

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded_files.rs"));
}

/// The embedded files as loader input, in sorted path order.
pub fn files() -> Vec<KbFile<'static>> {
    files::FILES
        .iter()
        .map(|&(path, text)| KbFile { path, text })
        .collect()
}

/// Load and validate the embedded knowledge base.
pub fn load_embedded() -> Result<Kb, Problems> {
    load(&files())
}
