//! The README's quick start compiles: the crate `cargo xtask generate`
//! makes for three DynamoDB operations (from the repository's DynamoDB
//! slice, the same shapes as the upstream model), and the README's program
//! built against it with the `blocking` feature.

use std::fs;
use std::path::Path;
use std::process::Command;

/// The Rust block after the quick-start marker of the README.
fn quickstart_program(readme: &str) -> String {
    let marker = "<!-- quick start: compiled by tests/tests/quickstart.rs";
    let after = readme
        .split_once(marker)
        .expect("the README's quick-start marker")
        .1;
    let code = after
        .split_once("```rust,ignore\n")
        .expect("a Rust block after the marker")
        .1;
    code.split_once("```")
        .expect("the end of the Rust block")
        .0
        .to_string()
}

#[test]
fn the_readme_quick_start_builds_against_a_generated_crate() {
    let root = tests::workspace_root();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let program = quickstart_program(&readme);
    assert!(program.contains("dynamodb_slim::dynamodb::client::Client"));
    // The commands of the quick start, as a user types them (the model
    // from the repository instead of a clone).
    assert!(readme.contains("--operations GetItem,PutItem,Query --out ../dynamodb-slim"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quickstart/dynamodb-slim");
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    let out = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["run", "-q", "-p", "xtask", "--", "generate", "--model"])
        .arg(root.join("tests/models/dynamodb.slice.json"))
        .args(["--operations", "GetItem,PutItem,Query", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"dynamodb-slim\""), "{manifest}");
    fs::create_dir_all(dir.join("examples")).unwrap();
    fs::write(dir.join("examples/quickstart.rs"), program).unwrap();
    // The workspace's lock file pins the versions its own build has.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .current_dir(&dir)
        .args([
            "build",
            "--offline",
            "--quiet",
            "--features",
            "blocking",
            "--example",
            "quickstart",
        ])
        // The workspace's target directory: its dependency builds are
        // reused (RUSTFLAGS would change their fingerprints, so warnings
        // are read from the output instead).
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the README's quick start does not build:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "the quick start warns:\n{stderr}"
    );
}
