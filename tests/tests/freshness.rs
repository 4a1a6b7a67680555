//! The committed `generated/` crate is exactly what the generator produces
//! now from the committed `models/`: no stale, missing or leftover file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use codegen::{Loaded, Options, Selection, ServiceSpec};

/// What `cargo xtask codegen` writes, computed with the library directly.
fn expected(root: &Path) -> BTreeMap<String, String> {
    let rel = "models/selection.json";
    let text = fs::read_to_string(root.join(rel)).unwrap();
    let selection = Selection::parse(rel, &text).unwrap_or_else(|e| panic!("{e}"));
    let models: Vec<Loaded> = selection
        .services
        .iter()
        .map(|spec| {
            let rel = format!("models/{}", spec.model);
            let text = fs::read_to_string(root.join(&rel)).unwrap();
            Loaded::from_text(&rel, &text).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let pairs: Vec<(&ServiceSpec, &Loaded)> = selection.services.iter().zip(&models).collect();
    codegen::generate(&selection.krate, &pairs, &Options::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .files
}

/// Generator-owned files under `generated/` (the same rule as the xtask:
/// `Cargo.toml` and everything under `src/`).
fn owned_files(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel == "Cargo.toml" || rel.starts_with("src/") {
                    out.insert(rel);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The first line where two texts differ, for the failure message.
fn first_difference(committed: &str, now: &str) -> String {
    let mut committed_lines = committed.lines();
    let mut now_lines = now.lines();
    for n in 1.. {
        match (committed_lines.next(), now_lines.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => return "differs only in line endings".into(),
            (a, b) => {
                return format!(
                    "line {n}:\n      committed: {}\n      generator: {}",
                    a.unwrap_or("<end of file>"),
                    b.unwrap_or("<end of file>")
                )
            }
        }
    }
    unreachable!()
}

#[test]
fn committed_generated_crate_is_fresh() {
    let root = tests::workspace_root();
    let files = expected(&root);
    let dir = root.join("generated");
    let mut problems = Vec::new();
    for (rel, now) in &files {
        match fs::read(dir.join(rel)) {
            Ok(bytes) if bytes == now.as_bytes() => {}
            Ok(bytes) => problems.push(format!(
                "stale: generated/{rel}, {}",
                first_difference(&String::from_utf8_lossy(&bytes), now)
            )),
            Err(e) => problems.push(format!("missing: generated/{rel} ({e})")),
        }
    }
    for rel in owned_files(&dir) {
        if !files.contains_key(&rel) {
            problems.push(format!("no longer generated: generated/{rel}"));
        }
    }
    assert!(
        problems.is_empty(),
        "generated/ does not match the generator; run `cargo xtask codegen` and commit:\n  {}",
        problems.join("\n  ")
    );
}
