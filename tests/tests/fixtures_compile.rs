//! Compiles what `snapshots.rs` snapshots: one crate holding every fixture
//! model of `tests/fixtures/` as a service module is generated into
//! `target/fixture-crate/`, then checked, linted (`clippy -D warnings`),
//! documented (`rustdoc -D warnings`) and tested with the behaviour tests in
//! `tests/fixture_crate/`, which are copied into the crate's `tests/`.
//!
//! The crate has its own `[workspace]` but builds in the workspace's target
//! directory with the workspace's lock file, so the dependencies the
//! workspace's tests built are reused rather than built a second time.

mod fixture_models;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Integration tests run inside the generated crate, by file name.
const CRATE_TESTS: &[(&str, &str)] = &[
    (
        "behaviour.rs",
        include_str!("../fixture_crate/behaviour.rs"),
    ),
    ("server.rs", include_str!("../fixture_crate/server.rs")),
    (
        "discovery.rs",
        include_str!("../fixture_crate/discovery.rs"),
    ),
    ("rpcv2.rs", include_str!("../fixture_crate/rpcv2.rs")),
    ("streams.rs", include_str!("../fixture_crate/streams.rs")),
    ("interop.rs", include_str!("../fixture_crate/interop.rs")),
    // A module of `interop.rs`, not a test target of its own.
    (
        "capture/mod.rs",
        include_str!("../fixture_crate/capture.rs"),
    ),
];

/// What the crate's own tests use beyond the crate (the interop tests):
/// crates the workspace already depends on, so `--offline` finds them.
const DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
serde = "1"
serde_json = "1"
tracing = { version = "0.1.40", default-features = false, features = ["std"] }
"#;

/// Writes `files` under `dir`, touching only files whose content changed (so
/// cargo's fingerprints stay valid), and removes files nobody wrote.
fn write_crate(dir: &Path, files: &BTreeMap<String, String>) {
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read_to_string(&path).is_ok_and(|old| &old == text) {
            continue;
        }
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    for sub in ["src", "tests"] {
        remove_unlisted(dir, &dir.join(sub), files);
    }
}

fn remove_unlisted(root: &Path, dir: &Path, files: &BTreeMap<String, String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_unlisted(root, &path, files);
            let _ = fs::remove_dir(&path); // only succeeds when empty
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !files.contains_key(&rel) {
                fs::remove_file(&path).unwrap();
            }
        }
    }
}

/// Runs `cargo <args>` in the fixture crate and fails with its output unless it succeeds.
fn cargo(dir: &Path, target: &Path, args: &[&str], rustdocflags: Option<&str>) {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        // Settings of the outer build must not leak into the fixture crate's.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .env_remove("CARGO_ENCODED_RUSTDOCFLAGS");
    if let Some(flags) = rustdocflags {
        cmd.env("RUSTDOCFLAGS", flags);
    }
    let started = std::time::Instant::now();
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running cargo {args:?}: {e}"));
    eprintln!("cargo {} ({:.1?})", args.join(" "), started.elapsed());
    assert!(
        out.status.success(),
        "`cargo {}` failed in {}:\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
}

#[test]
fn every_fixture_builds_lints_documents_and_passes_its_tests() {
    let root = tests::workspace_root();
    let target_root: PathBuf = root.join("target");
    let dir = target_root.join("fixture-crate");
    // The workspace's own target directory: the dependency stack (hyper,
    // tokio, rustls, ...) the workspace's tests just built is reused, not
    // built again, as long as the versions are the workspace's (its lock
    // file is copied in below).
    let target = target_root.as_path();

    let mut files = fixture_models::generate("slim-fixtures", fixture_models::FIXTURES);
    for (name, text) in CRATE_TESTS {
        files.insert(format!("tests/{name}"), text.to_string());
    }
    files
        .get_mut("Cargo.toml")
        .expect("a manifest")
        .push_str(DEV_DEPENDENCIES);
    write_crate(&dir, &files);
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("the workspace's lock file copies");

    // The default build (codecs only, no server side) type-checks; the
    // steps below build and test everything else.
    cargo(&dir, target, &["check", "--offline"], None);
    cargo(
        &dir,
        target,
        &[
            "clippy",
            "--offline",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        None,
    );
    cargo(
        &dir,
        target,
        &["doc", "--offline", "--no-deps", "--all-features"],
        Some("-D warnings"),
    );
    cargo(&dir, target, &["test", "--offline", "--all-features"], None);
}
