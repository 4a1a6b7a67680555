//! Shared helpers for the integration tests.

use std::path::{Path, PathBuf};

/// The environment variable that points the tests at the shared directory
/// (reference models, the SigV4 test suite, AWS data).
pub const SHARED_ENV: &str = "SLIM_SHARED";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// The shared directory: `$SLIM_SHARED`, else `../shared` beside the workspace.
pub fn shared_root() -> PathBuf {
    match std::env::var_os(SHARED_ENV).filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join("../shared"),
    }
}

/// A directory of the shared directory, if it is there. Returns `None`,
/// after printing a loud warning, when it is absent on a developer machine;
/// under CI (`CI` set) an absent directory is a test failure: these tests
/// must run there.
pub fn shared_subdir(name: &str) -> Option<PathBuf> {
    shared_path(name, "")
}

/// `name` in the shared directory if `marker` exists inside it; else the
/// loud SKIP (or, under CI, the failure) of [`shared_subdir`].
fn shared_path(name: &str, marker: &str) -> Option<PathBuf> {
    let dir = shared_root().join(name);
    if dir.join(marker).is_dir() {
        return Some(dir);
    }
    let msg = format!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! {} not found\n\
         !! set {SHARED_ENV} to the shared directory;\n\
         !! tests that need it are SKIPPED on this machine.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
        dir.join(marker).display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}(CI is set: these tests must run in CI)");
    }
    eprintln!("{msg}");
    None
}

/// The reference models directory (`models/` of the shared directory,
/// with its `upstream/` models).
///
/// Returns `None`, after printing a loud warning, when it is absent on a
/// developer machine. Under CI (`CI` set) an absent directory is a test
/// failure: these tests must run there.
pub fn shared_models() -> Option<PathBuf> {
    shared_path("models", "upstream")
}

/// Reads a reference model file, relative to the shared models directory.
pub fn shared_model(rel: &str) -> Option<(String, String)> {
    let dir = shared_models()?;
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some((path.display().to_string(), text))
}

/// The Python interpreter the oracle tests run (`$PYTHON`, else `python3`).
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether botocore can be imported, for the tests that use it as an
/// oracle. When it cannot: a loud SKIP naming `what` and why, or, under CI
/// (`CI` set), a failure, since these tests must run there.
pub fn botocore_available(what: &str) -> bool {
    let probe = std::process::Command::new(python())
        .args([
            "-c",
            "import botocore, sys; sys.stdout.write(botocore.__version__)",
        ])
        .output();
    let problem = match probe {
        Ok(out) if out.status.success() => {
            eprintln!("{what}: botocore {}", String::from_utf8_lossy(&out.stdout));
            return true;
        }
        Ok(out) => format!(
            "`{} -c 'import botocore'` failed: {}",
            python(),
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("cannot run `{}`: {e}", python()),
    };
    let msg = format!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! SKIP: {what} not run\n\
         !! {problem}\n\
         !! `cargo xtask test` installs it (or `python3 -m pip install botocore`, or set PYTHON).\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}(CI is set: {what} must run in CI)");
    }
    eprintln!("{msg}");
    false
}

/// A runtime document as a `serde_json` value (numbers as `f64`), to
/// compare with JSON read elsewhere.
pub fn document_json(d: &aws_slim::runtime::Document) -> serde_json::Value {
    use aws_slim::runtime::Document;
    use serde_json::Value;
    match d {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(n) => serde_json::json!(n.as_f64()),
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(document_json).collect()),
        Document::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), document_json(v)))
                .collect(),
        ),
    }
}

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
