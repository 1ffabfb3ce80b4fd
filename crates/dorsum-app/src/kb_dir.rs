//! Reading a knowledge-base directory (for `--kb DIR` and `dorsum kb check DIR`).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let read = |e| Error::Read {
        path: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(read)?
        .collect::<std::io::Result<_>>()
        .map_err(read)?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Every `.toml` file under `dir` (sorted, recursively) as (path, text).
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut paths = Vec::new();
    toml_files(dir, &mut paths)?;
    if paths.is_empty() {
        return Err(Error::Kb(format!(
            "{} holds no .toml files; give the knowledge-base directory, e.g. `dorsum kb check kb`",
            dir.display()
        )));
    }
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|t| (p.display().to_string(), t))
                .map_err(|e| Error::Read {
                    path: p.display().to_string(),
                    source: e,
                })
        })
        .collect()
}
