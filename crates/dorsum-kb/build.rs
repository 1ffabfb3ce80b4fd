//! Embeds every `*.toml` file of the repository's `kb/` directory into the crate.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|x| x == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let kb = manifest
        .join("../../kb")
        .canonicalize()
        .expect("kb/ directory beside crates/");
    println!("cargo::rerun-if-changed={}", kb.display());
    let mut files = Vec::new();
    collect(&kb, &mut files);
    let mut code = String::from(
        "/// The embedded knowledge-base files: (path relative to the repository, contents).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(kb.parent().unwrap()).unwrap();
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel.to_string_lossy(),
            path.to_string_lossy()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_files.rs");
    fs::write(out, code).expect("write embedded_files.rs");
}
