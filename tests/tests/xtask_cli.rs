//! The real `xtask` binary on bad input and on stale output, run against a
//! scratch copy of the project (`$XTASK_ROOT`).
//!
//! Every bad input must give one clear message naming the file and shape, a
//! non-zero exit, no panic, and leave `generated/` exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};

const DMS: &str = "com.amazonaws.databasemigrationservice#";
const DMS_SLICE: &str = "models/database-migration-service.slice.json";
const SELECTION: &str = "models/selection.json";

/// Builds the xtask binary once (with the cargo running these tests) and
/// returns its path.
fn xtask() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let out = Command::new(cargo)
            .args(["build", "-q", "-p", "xtask", "--message-format=json"])
            .current_dir(tests::workspace_root())
            .output()
            .expect("run cargo build -p xtask");
        assert!(
            out.status.success(),
            "cargo build -p xtask failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let built = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "xtask")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reported no xtask executable");
        // A private copy: another cargo run may rebuild the original meanwhile.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xtask_cli");
        fs::create_dir_all(&dir).unwrap();
        // Copies left by earlier runs: an hour old, so surely not in use.
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
            if old && entry.file_name().to_string_lossy().starts_with("xtask-") {
                let _ = fs::remove_file(entry.path());
            }
        }
        let copy = dir.join(format!(
            "xtask-{}{}",
            std::process::id(),
            std::env::consts::EXE_SUFFIX
        ));
        fs::copy(&built, &copy).unwrap();
        copy
    })
}

/// A fresh scratch project: a copy of `models/` and a `generated/` made by
/// the xtask itself.
/// Removed when the test passes, kept for inspection when it fails. Named
/// by process so that concurrent test runs do not share one.
fn scratch(name: &str) -> Scratch {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("xtask_cli")
        .join(format!("{name}-{}", std::process::id()));
    if root.exists() {
        fs::remove_dir_all(&root).unwrap();
    }
    fs::create_dir_all(root.join("models")).unwrap();
    let models = tests::workspace_root().join("models");
    for entry in fs::read_dir(&models).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            fs::copy(&path, root.join("models").join(path.file_name().unwrap())).unwrap();
        }
    }
    let out = run(&root, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    Scratch(root)
}

struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

fn run(root: &Path, args: &[&str]) -> Output {
    Command::new(xtask())
        .args(args)
        .env("XTASK_ROOT", root)
        .output()
        .expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file and directory under `dir`, with file contents.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                out.insert(format!("{rel}/"), None);
                walk(base, &path, out);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn read_json(root: &Path, rel: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(root.join(rel)).unwrap()).unwrap()
}

fn write_json(root: &Path, rel: &str, v: &Value) {
    fs::write(
        root.join(rel),
        serde_json::to_string_pretty(v).unwrap() + "\n",
    )
    .unwrap();
}

/// Edits a JSON file of the scratch project.
fn edit_json(root: &Path, rel: &str, f: impl FnOnce(&mut Value)) {
    let mut v = read_json(root, rel);
    f(&mut v);
    write_json(root, rel, &v);
}

/// Replaces the first `from` in a file by `to`; returns the 1-based line
/// and column of the first byte where the two texts differ.
fn edit_text(root: &Path, rel: &str, from: &str, to: &str) -> (usize, usize) {
    let path = root.join(rel);
    let old = fs::read_to_string(&path).unwrap();
    let at = old
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not in {rel}"));
    let new = old.replacen(from, to, 1);
    fs::write(&path, &new).unwrap();
    let diff = at
        + from
            .bytes()
            .zip(to.bytes())
            .take_while(|(a, b)| a == b)
            .count();
    let before = &new[..diff];
    let line = before.matches('\n').count() + 1;
    let column = diff - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// Runs `codegen` on a broken scratch project: it must fail with exactly
/// one line on stderr containing every `want`, and change nothing.
fn fails(root: &Path, want: &[&str]) -> String {
    let before = snapshot(&root.join("generated"));
    let out = run(root, &["codegen"]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "expected failure; stderr:\n{stderr}");
    assert!(
        !stderr.contains("panicked at") && !stderr.contains("RUST_BACKTRACE"),
        "a panic is not an error message:\n{stderr}"
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "expected one message:\n{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    for w in want {
        assert!(stderr.contains(w), "`{w}` not in:\n{stderr}");
    }
    assert_eq!(
        snapshot(&root.join("generated")),
        before,
        "a failed run changed generated/"
    );
    // `--check` fails the same way, and changes nothing either.
    let check = run(root, &["codegen", "--check"]);
    assert!(!check.status.success());
    assert_eq!(text(&check.stderr), stderr);
    assert_eq!(snapshot(&root.join("generated")), before);
    eprint!("{stderr}");
    stderr
}

#[test]
fn malformed_model_json_names_file_line_column_and_shape() {
    let root = scratch("malformed_model");
    // The first member of the input structure, with a stray comma.
    let shape = format!("{DMS}StopReplicationMessage");
    let anchor = format!("\"{shape}\": {{\n      \"type\": \"structure\",");
    let (line, column) = edit_text(&root, DMS_SLICE, &anchor, &format!("{anchor},"));
    fails(
        &root,
        &[
            &format!("error: {DMS_SLICE}:{line}:{column}: malformed JSON"),
            &format!("(in shape `{shape}`)"),
        ],
    );
}

#[test]
fn malformed_selection_json_names_file_line_and_column() {
    let root = scratch("malformed_selection");
    let (line, column) = edit_text(
        &root,
        SELECTION,
        "\"module\": \"sagemaker\",",
        "\"module\": \"sagemaker\",,",
    );
    fails(
        &root,
        &[&format!(
            "error: {SELECTION}:{line}:{column}: malformed JSON"
        )],
    );
    // A field the selection does not know is reported the same way.
    let root = scratch("selection_unknown_field");
    edit_json(&root, SELECTION, |v| {
        v["services"][0]["operation"] = json!(["StopReplication"]);
    });
    // Reported where the field's name ends.
    let written = fs::read_to_string(root.join(SELECTION)).unwrap();
    let (line, column) = written
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("\"operation\"")
                .map(|c| (i + 1, c + "\"operation\"".len()))
        })
        .unwrap();
    fails(
        &root,
        &[&format!(
            "error: {SELECTION}:{line}:{column}: unknown field `operation`"
        )],
    );
}

#[test]
fn unknown_operation_suggests_the_closest_names() {
    let root = scratch("unknown_operation");
    edit_json(&root, SELECTION, |v| {
        v["services"][0]["operations"] = json!(["StopReplicaton"]);
    });
    fails(
        &root,
        &[
            DMS_SLICE,
            &format!("{DMS}AmazonDMSv20160101"),
            "no operation `StopReplicaton`",
            "did you mean `StopReplication`?",
        ],
    );
}

#[test]
fn dangling_target_names_shape_member_and_target() {
    let root = scratch("dangling");
    edit_json(&root, DMS_SLICE, |v| {
        v["shapes"][format!("{DMS}Replication")]["members"]["ReplicationConfigArn"]["target"] =
            json!(format!("{DMS}Strin"));
    });
    fails(
        &root,
        &[
            DMS_SLICE,
            &format!("shape `{DMS}Replication`"),
            "member `ReplicationConfigArn`",
            &format!("target `{DMS}Strin` does not exist"),
        ],
    );
}

#[test]
fn unsupported_protocol_is_named() {
    let root = scratch("protocol");
    edit_json(&root, DMS_SLICE, |v| {
        let traits = v["shapes"][format!("{DMS}AmazonDMSv20160101")]["traits"]
            .as_object_mut()
            .unwrap();
        assert!(traits.shift_remove("aws.protocols#awsJson1_1").is_some());
        traits.insert("aws.protocols#awsJson2_0".into(), json!({}));
    });
    fails(
        &root,
        &[
            DMS_SLICE,
            &format!("shape `{DMS}AmazonDMSv20160101`"),
            "unsupported: protocol aws.protocols#awsJson2_0",
        ],
    );
}

#[test]
fn unsupported_shape_type_and_streaming_are_named() {
    let root = scratch("shape_type");
    edit_json(&root, DMS_SLICE, |v| {
        v["shapes"][format!("{DMS}TStamp")]["type"] = json!("tuple");
    });
    fails(
        &root,
        &[
            DMS_SLICE,
            &format!("shape `{DMS}TStamp`"),
            "unsupported: shape type `tuple`",
        ],
    );

    let root = scratch("streaming");
    edit_json(&root, DMS_SLICE, |v| {
        let shapes = v["shapes"].as_object_mut().unwrap();
        shapes.insert(
            format!("{DMS}Body"),
            json!({"type": "blob", "traits": {"smithy.api#streaming": {}}}),
        );
        shapes[&format!("{DMS}ReplicationStats")]["members"]["Body"] =
            json!({"target": format!("{DMS}Body")});
    });
    fails(
        &root,
        &[
            DMS_SLICE,
            &format!("shape `{DMS}ReplicationStats`"),
            "member `Body`",
            "@streaming",
        ],
    );
}

#[test]
fn colliding_names_are_numbered_and_a_rename_still_wins() {
    let root = scratch("name_collisions");
    let other = "other.ns#Replication";
    edit_json(&root, DMS_SLICE, |v| {
        let members = &mut v["shapes"][format!("{DMS}Replication")]["members"];
        members["replicationConfigArn"] = members["ReplicationConfigArn"].clone();
        let shapes = v["shapes"].as_object_mut().unwrap();
        shapes.insert(other.into(), json!({"type": "structure", "members": {}}));
        shapes[&format!("{DMS}ReplicationStats")]["members"]["Other"] = json!({"target": other});
    });
    let out = run(&root, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let types = fs::read_to_string(root.join("generated/src/dms/types.rs")).unwrap();
    // The member later in model order, and the type later by shape id.
    assert!(types.contains("pub replication_config_arn_2:"), "member");
    assert!(types.contains("pub struct Replication2 "), "type");
    // A `rename` names the type as the model says.
    edit_json(&root, DMS_SLICE, |v| {
        v["shapes"][format!("{DMS}AmazonDMSv20160101")]["rename"] =
            json!({ other: "OtherReplication" });
    });
    let out = run(&root, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let types = fs::read_to_string(root.join("generated/src/dms/types.rs")).unwrap();
    assert!(types.contains("pub struct OtherReplication"));
    assert!(!types.contains("pub struct Replication2 "));
}

#[test]
fn module_collisions_name_the_selection_and_both_services() {
    let root = scratch("module_collision");
    edit_json(&root, SELECTION, |v| {
        v["services"][1]["module"] = json!("dms")
    });
    fails(
        &root,
        &[
            SELECTION,
            "module name `dms`",
            &format!("`{DMS}AmazonDMSv20160101`"),
            "`com.amazonaws.sagemaker#SageMaker`",
        ],
    );
    let root = scratch("module_runtime");
    edit_json(&root, SELECTION, |v| {
        v["services"][1]["module"] = json!("runtime")
    });
    fails(&root, &[SELECTION, "module name `runtime`", "reserved"]);
}

#[test]
fn missing_model_file_is_named() {
    let root = scratch("missing_model");
    edit_json(&root, SELECTION, |v| {
        v["services"][0]["model"] = json!("nope.slice.json")
    });
    fails(
        &root,
        &[
            "error: models/nope.slice.json: ",
            "module `dms` in models/selection.json",
        ],
    );
}

#[test]
fn check_names_every_stale_missing_and_leftover_file_then_codegen_repairs() {
    let root = scratch("check");
    let generated = root.join("generated");
    let fresh = snapshot(&generated);

    // Regenerating a fresh tree changes nothing.
    let out = run(&root, &["codegen"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains(", 0 changed"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(snapshot(&generated), fresh);
    let out = run(&root, &["codegen", "--check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("up to date"));

    // One edited, one deleted, one stray file; a foreign file is kept.
    let mut types = fs::read_to_string(generated.join("src/dms/types.rs")).unwrap();
    types.push_str("// edited by hand\n");
    fs::write(generated.join("src/dms/types.rs"), types).unwrap();
    fs::remove_file(generated.join("src/sagemaker/json.rs")).unwrap();
    fs::write(generated.join("src/stale.rs"), "// left over\n").unwrap();
    fs::write(generated.join("NOTES.md"), "not generator-owned\n").unwrap();
    let broken = snapshot(&generated);

    let out = run(&root, &["codegen", "--check"]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    for want in [
        "run `cargo xtask codegen`",
        "stale: src/dms/types.rs",
        "missing: src/sagemaker/json.rs",
        "no longer generated: src/stale.rs",
    ] {
        assert!(stderr.contains(want), "`{want}` not in:\n{stderr}");
    }
    assert!(!stderr.contains("NOTES.md"), "{stderr}");
    assert_eq!(stderr.matches("\n  ").count(), 3, "{stderr}");
    assert_eq!(snapshot(&generated), broken, "--check changed files");

    let out = run(&root, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(", 3 changed"),
        "{}",
        text(&out.stdout)
    );
    let mut repaired = snapshot(&generated);
    assert_eq!(
        repaired.remove("NOTES.md"),
        Some(Some(b"not generator-owned\n".to_vec()))
    );
    assert_eq!(repaired, fresh);

    // A second run is a no-op, byte for byte.
    let before = snapshot(&generated);
    let out = run(&root, &["codegen"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains(", 0 changed"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(snapshot(&generated), before);
    assert!(run(&root, &["codegen", "--check"]).status.success());
}

#[test]
fn files_no_longer_generated_are_removed() {
    let root = scratch("shrink");
    let generated = root.join("generated");
    assert!(generated.join("src/sagemaker/mod.rs").is_file());
    edit_json(&root, SELECTION, |v| {
        v["services"].as_array_mut().unwrap().truncate(1);
    });
    let out = run(&root, &["codegen", "--check"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    for f in ["json.rs", "mod.rs", "operations.rs", "types.rs"] {
        let want = format!("no longer generated: src/sagemaker/{f}");
        assert!(stderr.contains(&want), "`{want}` not in:\n{stderr}");
    }
    let out = run(&root, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!generated.join("src/sagemaker").exists());
    let lib = fs::read_to_string(generated.join("src/lib.rs")).unwrap();
    assert!(
        !lib.contains("sagemaker") && lib.contains("pub mod dms;"),
        "{lib}"
    );
    assert!(run(&root, &["codegen", "--check"]).status.success());
}

#[test]
fn models_slice_rewrites_only_what_differs() {
    let Some(shared) = tests::shared_models() else {
        return;
    };
    let root = scratch("models_slice");
    let upstream = shared.join("upstream");
    let from = upstream.to_str().unwrap();
    let committed = snapshot(&root.join("models"));

    let out = run(&root, &["models", "slice", "--from", from]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).matches("slice.json: unchanged").count(),
        2,
        "{}",
        text(&out.stdout)
    );
    assert_eq!(snapshot(&root.join("models")), committed);

    // A damaged slice is restored byte for byte.
    fs::write(root.join(DMS_SLICE), "{}").unwrap();
    let out = run(&root, &["models", "slice", "--from", from]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).matches("slice.json: written").count(),
        1,
        "{}",
        text(&out.stdout)
    );
    assert_eq!(snapshot(&root.join("models")), committed);

    // An unknown operation fails before any slice is written.
    edit_json(&root, SELECTION, |v| {
        v["services"][1]["operations"] = json!(["StopPipelineExecutions"]);
    });
    fs::write(root.join(DMS_SLICE), "{}").unwrap();
    let out = run(&root, &["models", "slice", "--from", from]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("no operation `StopPipelineExecutions`")
            && stderr.contains("did you mean `StopPipelineExecution`"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(root.join(DMS_SLICE)).unwrap(), "{}");
}

/// The committed `generated/` crate is exactly what the generator produces
/// now from the committed `models/`: the same check as `cargo xtask codegen
/// --check` (it is that command), so the test and CI cannot disagree.
#[test]
fn the_committed_generated_crate_is_fresh() {
    let root = tests::workspace_root();
    let before = snapshot(&root.join("generated"));
    let out = run(&root, &["codegen", "--check"]);
    assert!(
        out.status.success(),
        "generated/ is stale; run `cargo xtask codegen` and commit:\n{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("generated/ is up to date"));
    assert_eq!(
        before,
        snapshot(&root.join("generated")),
        "--check wrote files"
    );
}

#[test]
fn generate_never_touches_a_crate_it_did_not_write() {
    fn argv(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let root = scratch("generate-out");
    let model = root.join("models/database-migration-service.slice.json");
    let model = model.to_str().unwrap();
    // A user's crate.
    let user = root.join("user-crate");
    fs::create_dir_all(user.join("src/bin")).unwrap();
    fs::write(user.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    fs::write(user.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(user.join("src/bin/tool.rs"), "fn main() {}\n").unwrap();
    let before = snapshot(&user);
    let args = |out: &Path| {
        vec![
            "generate".to_string(),
            "--model".into(),
            model.to_string(),
            "--operations".into(),
            "StopReplication".into(),
            "--out".into(),
            out.to_str().unwrap().to_string(),
        ]
    };
    // Refused, nothing changed, and the message says what to do.
    let a = args(&user);
    let out = run(&root, &argv(&a));
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("is not empty") && err.contains("--force"),
        "{err}"
    );
    assert!(err.contains("Cargo.toml"), "{err}");
    assert_eq!(snapshot(&user), before);

    // --force writes the crate but deletes nothing it did not write.
    let mut forced = args(&user);
    forced.push("--force".into());
    let out = run(&root, &argv(&forced));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(user.join("src/main.rs").is_file() && user.join("src/bin/tool.rs").is_file());
    assert!(user.join("src/lib.rs").is_file() && user.join(".smithy-slim-generated").is_file());

    // A directory generate wrote is regenerated without --force; a file the
    // user added there stays, a file generate no longer writes goes.
    let fresh = root.join("fresh-crate");
    let a = args(&fresh);
    let out = run(&root, &argv(&a));
    assert!(out.status.success(), "{}", text(&out.stderr));
    fs::write(fresh.join("src/notes.rs"), "// mine\n").unwrap();
    let marker = fresh.join(".smithy-slim-generated");
    let listed = fs::read_to_string(&marker).unwrap();
    assert!(listed.lines().any(|l| l == "src/lib.rs"), "{listed}");
    fs::write(&marker, format!("{listed}src/old.rs\n")).unwrap();
    fs::write(fresh.join("src/old.rs"), "// an earlier run's file\n").unwrap();
    let out = run(&root, &argv(&a));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        fresh.join("src/notes.rs").is_file(),
        "a user's file was deleted"
    );
    assert!(
        !fresh.join("src/old.rs").exists(),
        "a stale generated file was kept"
    );
}

#[test]
fn every_subcommand_answers_help_with_its_own_usage() {
    let s = scratch("help");
    for (sub, own) in [
        ("codegen", "cargo xtask codegen [--check]"),
        ("generate", "cargo xtask generate --model FILE"),
        ("models", "cargo xtask models slice [--from DIR]"),
        ("test", "cargo xtask test [ARGS]"),
        ("protocol-tests", "cargo xtask protocol-tests"),
        (
            "endpoint-tests",
            "cargo xtask endpoint-tests [--model FILE...]",
        ),
        (
            "whole-services",
            "cargo xtask whole-services [--only NAME,..]",
        ),
        ("e2e", "cargo xtask e2e"),
        ("bench-client", "cargo xtask bench-client"),
        ("bench-compile", "cargo xtask bench-compile"),
        ("fuzz", "cargo xtask fuzz [--seconds N]"),
        ("catalogue", "cargo xtask catalogue --models DIR"),
    ] {
        for flag in ["--help", "-h"] {
            let out = run(&s, &[sub, flag]);
            assert!(out.status.success(), "{sub} {flag}: {}", text(&out.stderr));
            let stdout = text(&out.stdout);
            assert!(stdout.contains(own), "{sub} {flag}: {stdout}");
            // Only its own lines: no other subcommand's.
            let others = stdout
                .lines()
                .filter(|l| l.trim_start().starts_with("cargo xtask "))
                .count();
            // `models` has three: slice, extract and diff.
            let expected = if sub == "models" { 3 } else { 1 };
            assert_eq!(others, expected, "{sub} {flag}: {stdout}");
        }
    }
    let out = run(&s, &["nope", "--help"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unknown subcommand `nope`"));
}

#[test]
fn a_crate_name_cargo_rejects_is_refused_before_anything_is_written() {
    let root = scratch("crate-name");
    let model = root.join("models/database-migration-service.slice.json");
    let out_dir = root.join("named-crate");
    let out = run(
        &root,
        &[
            "generate",
            "--model",
            model.to_str().unwrap(),
            "--operations",
            "StopReplication",
            "--out",
            out_dir.to_str().unwrap(),
            "--name",
            "my crate",
        ],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("crate name: \"my crate\" holds ' '"), "{err}");
    assert!(!out_dir.exists(), "nothing written");
}

#[test]
fn generate_all_leaves_out_unsupported_event_stream_operations_and_says_why() {
    let root = scratch("all-streams");
    edit_json(&root, DMS_SLICE, |v| {
        let shapes = v["shapes"].as_object_mut().unwrap();
        let service = shapes
            .values_mut()
            .find(|s| s["type"] == "service")
            .unwrap();
        service["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": format!("{DMS}SubscribeToChanges")}));
        service["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": format!("{DMS}WatchChanges")}));
        // awsJson: an input's event stream is not sent.
        shapes.insert(
            format!("{DMS}SubscribeToChanges"),
            json!({"type": "operation", "input": {"target": format!("{DMS}SubscribeToChangesInput")}}),
        );
        shapes.insert(
            format!("{DMS}SubscribeToChangesInput"),
            json!({"type": "structure", "members": {
                "Events": {"target": format!("{DMS}ChangeStream")}
            }}),
        );
        // An output's members beside its stream come in the
        // `initial-response` event: generated.
        shapes.insert(
            format!("{DMS}WatchChanges"),
            json!({"type": "operation", "output": {"target": format!("{DMS}WatchChangesOutput")}}),
        );
        shapes.insert(
            format!("{DMS}WatchChangesOutput"),
            json!({"type": "structure", "members": {
                "Events": {"target": format!("{DMS}ChangeStream")},
                "Note": {"target": "smithy.api#String"}
            }}),
        );
        shapes.insert(
            format!("{DMS}ChangeStream"),
            json!({"type": "union", "members": {"Change": {"target": format!("{DMS}ReplicationStats")}},
                   "traits": {"smithy.api#streaming": {}}}),
        );
    });
    let model = root.join(DMS_SLICE);
    let out_dir = root.join("all-crate");
    let out = run(
        &root,
        &[
            "generate",
            "--model",
            model.to_str().unwrap(),
            "--all",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("left out SubscribeToChanges: its input member `Events` is an event stream"),
        "{err}"
    );
    assert!(!err.contains("WatchChanges"), "{err}");
    let module = fs::read_to_string(out_dir.join("src/dms/mod.rs")).unwrap();
    assert!(module.contains("`SubscribeToChanges`: its input member `Events` is an event stream"));
    let operations = fs::read_to_string(out_dir.join("src/dms/operations.rs")).unwrap();
    assert!(operations.contains("pub struct StopReplication;"));
    assert!(operations.contains("pub struct WatchChanges;"));
    assert!(operations.contains("const INITIAL_RESPONSE: bool = true;"));
    // Selected by name, it stays an error.
    let named = run(
        &root,
        &[
            "generate",
            "--model",
            model.to_str().unwrap(),
            "--operations",
            "SubscribeToChanges",
            "--out",
            root.join("named").to_str().unwrap(),
        ],
    );
    assert!(!named.status.success());
    assert!(
        text(&named.stderr).contains("@streaming"),
        "{}",
        text(&named.stderr)
    );
}

#[test]
fn models_slice_defaults_to_the_shared_upstream_and_reports_changed_operations() {
    let Some(shared) = tests::shared_models() else {
        return;
    };
    let root = scratch("slice-default");
    // A slice whose StopReplication closure differs from upstream's.
    edit_json(&root, DMS_SLICE, |v| {
        v["shapes"][format!("{DMS}StopReplicationMessage")]["members"]["Extra"] =
            json!({"target": "smithy.api#String"});
    });
    let out = Command::new(xtask())
        .args(["models", "slice"])
        .env("XTASK_ROOT", &*root)
        .env("SLIM_SHARED", shared.parent().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("dms.StopReplication: changed"), "{stdout}");
    assert!(
        stdout.contains("sagemaker.StopPipelineExecution: unchanged"),
        "{stdout}"
    );
}

#[test]
fn an_operation_missing_from_the_slice_asks_for_a_re_slice() {
    let root = scratch("needs-reslice");
    edit_json(&root, SELECTION, |v| {
        v["services"][0]["operations"] = json!(["StopReplication", "DescribeReplications"]);
    });
    let out = run(&root, &["codegen"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("DescribeReplications") && err.contains("run `cargo xtask models slice`"),
        "{err}"
    );
}

#[test]
fn codegen_reports_api_changes_and_deny_breaking_refuses_them() {
    let root = scratch("deny-breaking");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&*root)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "models"]);
    git(&["commit", "-q", "-m", "models"]);
    // A member removed from the committed DMS slice: breaking.
    edit_json(&root, DMS_SLICE, |v| {
        let members = v["shapes"][format!("{DMS}Replication")]["members"]
            .as_object_mut()
            .unwrap();
        members.shift_remove("ReplicationStats");
    });
    let denied = run(&root, &["codegen", "--deny-breaking"]);
    assert!(!denied.status.success());
    let stdout = text(&denied.stdout);
    assert!(
        stdout.contains("breaking   member Replication.ReplicationStats removed"),
        "{stdout}"
    );
    assert!(text(&denied.stderr).contains("--deny-breaking refuses them"));
    // Without the flag: the same report, and the crate is written.
    let out = run(&root, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("version 0.1.0 -> 0.2.0"),
        "{}",
        text(&out.stdout)
    );
}

/// `catalogue` sweeps a directory of models: each generated (here without
/// `--check`, which would compile each), a refused one named with its
/// error, and the summary line; `models extract` cuts a slice that
/// `catalogue` takes like any model.
#[test]
fn catalogue_sweeps_a_directory_and_names_each_failure() {
    let s = scratch("catalogue");
    let models = s.join("sweep");
    fs::create_dir_all(models.join("nested")).unwrap();
    let fixtures = tests::workspace_root().join("tests/fixtures");
    fs::copy(
        fixtures.join("pagination.json"),
        models.join("pagination.json"),
    )
    .unwrap();
    let out = run(
        &s,
        &[
            "models",
            "extract",
            fixtures.join("errors.json").to_str().unwrap(),
            "--operations",
            "Transfer",
            "--out",
            models.join("nested/errors.slice.json").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let slice = fs::read_to_string(models.join("nested/errors.slice.json")).unwrap();
    assert!(slice.contains("Transfer") && !slice.contains("smithy.api#documentation"));
    fs::write(
        models.join("broken.json"),
        r#"{"smithy":"2.0","shapes":{}}"#,
    )
    .unwrap();
    let out = run(
        &s,
        &[
            "catalogue",
            "--models",
            models.to_str().unwrap(),
            "--no-docs",
        ],
    );
    let stdout = text(&out.stdout);
    assert!(!out.status.success(), "a refused model fails the sweep");
    assert!(stdout.contains("generated 2/3"), "{stdout}");
    assert!(stdout.contains("broken: generate: "), "{stdout}");
    assert!(!stdout.contains("pagination: generate FAILED"), "{stdout}");
    assert!(
        stdout.contains("left out: the paginator of `ListOdd`"),
        "left-out paginators and waiters are named: {stdout}"
    );
    assert!(s.join("target/catalogue/pagination/src/lib.rs").exists());
    assert!(fs::read_to_string(s.join("target/catalogue/report.txt"))
        .unwrap()
        .contains("generated 2/3"));
}
