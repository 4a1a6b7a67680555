//! Shared helpers for the integration tests.

use std::path::{Path, PathBuf};

/// The environment variable that points the tests at the reference models.
pub const SHARED_MODELS_ENV: &str = "SLIM_SHARED_MODELS";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// The reference models directory (`../shared/models` beside the workspace,
/// or `$SLIM_SHARED_MODELS`).
///
/// Returns `None`, after printing a loud warning, when it is absent on a
/// developer machine. Under CI (`CI` set) an absent directory is a test
/// failure: these tests must run there.
pub fn shared_models() -> Option<PathBuf> {
    let dir = match std::env::var_os(SHARED_MODELS_ENV) {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join("../shared/models"),
    };
    if dir.join("upstream").is_dir() {
        return Some(dir);
    }
    let msg = format!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! reference models not found at {}\n\
         !! set {SHARED_MODELS_ENV} to the shared/models directory;\n\
         !! tests that need them are SKIPPED on this machine.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}(CI is set: these tests must run in CI)");
    }
    eprintln!("{msg}");
    None
}

/// Reads a reference model file, relative to the shared models directory.
pub fn shared_model(rel: &str) -> Option<(String, String)> {
    let dir = shared_models()?;
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some((path.display().to_string(), text))
}

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
