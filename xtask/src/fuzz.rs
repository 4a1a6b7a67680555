//! `cargo xtask fuzz [--seconds N] [--seed N] [--dev]`: the structure-aware
//! random fuzzers for a fixed time budget each (release build unless
//! `--dev`, which `cargo xtask test` uses for its short smoke run): the
//! workspace's (`tests/examples/fuzz.rs`: JSON, awsJson parsers, server,
//! model loader, endpoints, XML, STS, profile files), then the protocol
//! fuzzer (`tests/fuzz/protocols.rs`, in a crate generated with Lambda,
//! S3, Route 53, SNS and DynamoDB operations: the restJson1, restXml,
//! awsQuery response parsers and the customisations). Findings are
//! written to `target/fuzz/findings/` and fail the command.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut seconds = "600".to_string();
    let mut seed: Option<String> = None;
    let mut release = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--seconds" => seconds = it.next().ok_or("--seconds needs a number")?.to_string(),
            "--seed" => seed = Some(it.next().ok_or("--seed needs a number")?.to_string()),
            "--dev" => release = false,
            other => {
                return Err(format!(
                    "fuzz: unknown argument `{other}`\nusage: cargo xtask fuzz [--seconds N] [--seed N] [--dev]"
                ))
            }
        }
    }
    seconds
        .parse::<u64>()
        .map_err(|_| format!("--seconds {seconds:?} is not a number"))?;
    let mut cmd = Command::new(super::cargo());
    cmd.current_dir(root)
        .args(["run", "-q", "-p", "tests", "--example", "fuzz"]);
    if release {
        cmd.arg("--release");
    }
    cmd.args(["--", "--seconds", &seconds]);
    if let Some(s) = &seed {
        cmd.args(["--seed", s]);
    }
    let status = cmd.status().map_err(|e| format!("cargo run (fuzz): {e}"))?;
    let protocols = protocols(root, &seconds, seed.as_deref(), release)?;
    if status.success() && protocols {
        Ok(())
    } else {
        Err("the fuzzer found something (see above and target/fuzz/findings/)".into())
    }
}

/// The operations of the protocol fuzzer's crate, by module and model
/// (`shared`: of the shared directory's `other-protocols`; else the
/// repository's `tests/models`).
const PROTOCOL_SERVICES: &[(&str, &str, bool, &[&str])] = &[
    (
        "lambda",
        "lambda-2015-03-31.json",
        true,
        &["GetFunction", "Invoke"],
    ),
    (
        "s3",
        "s3-2006-03-01.json",
        true,
        &[
            "GetObject",
            "HeadObject",
            "ListObjectsV2",
            "CopyObject",
            "GetBucketLocation",
        ],
    ),
    ("sns", "sns-2010-03-31.json", true, &["Publish"]),
    (
        "route53",
        "route53.slice.json",
        false,
        &["ListResourceRecordSets"],
    ),
    ("dynamodb", "dynamodb.slice.json", false, &["Query"]),
];

/// The protocol fuzzer (`tests/fuzz/protocols.rs`): a crate generated
/// under `target/fuzz/protocols` with the REST and query services above,
/// the fuzzer as its example. Without the shared models it is skipped
/// loudly (under CI, an error). Whether it found nothing.
fn protocols(
    root: &Path,
    seconds: &str,
    seed: Option<&str>,
    release: bool,
) -> Result<bool, String> {
    let shared = super::shared_dir(root).join("models/other-protocols");
    if !shared.is_dir() {
        let msg = format!(
            "SKIPPED the protocol fuzzer: the shared models are not at {} (set SLIM_SHARED)",
            shared.display()
        );
        if std::env::var_os("CI").is_some() {
            return Err(msg);
        }
        eprintln!("\n!!!!!!!! {msg}\n");
        return Ok(true);
    }
    let mut services = Vec::new();
    for (module, file, in_shared, ops) in PROTOCOL_SERVICES {
        let path = if *in_shared {
            shared.join(file)
        } else {
            root.join("tests/models").join(file)
        };
        let text = super::read(&path)?;
        let loaded = codegen::Loaded::from_text(&path.display().to_string(), &text)
            .map_err(|e| e.to_string())?;
        let spec = codegen::ServiceSpec {
            module: module.to_string(),
            model: path.display().to_string(),
            upstream: None,
            service: None,
            all: false,
            protocol: None,
            operations: ops.iter().map(|o| o.to_string()).collect(),
        };
        services.push((spec, loaded));
    }
    let pairs: Vec<(&codegen::ServiceSpec, &codegen::Loaded)> =
        services.iter().map(|(s, l)| (s, l)).collect();
    let krate = codegen::CrateSpec {
        name: "fuzz-protocols".into(),
        version: "0.1.0".into(),
    };
    let options = codegen::Options {
        command: "cargo xtask fuzz".into(),
        model_docs: false,
        standalone: true,
        runtime_tests: false,
    };
    let generated = codegen::generate(&krate, &pairs, &options).map_err(|e| e.to_string())?;
    let mut files = generated.files;
    for (rel, src) in [
        ("examples/fuzz.rs", "tests/fuzz/protocols.rs"),
        ("examples/engine.rs", "tests/fuzz/engine.rs"),
    ] {
        files.insert(rel.into(), super::read(&root.join(src))?);
    }
    let dir = root.join("target/fuzz/protocols");
    super::write_tree(&dir, &files)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let findings = root.join("target/fuzz/findings");
    let mut cmd = Command::new(super::cargo());
    cmd.current_dir(&dir)
        .args(["run", "-q", "--example", "fuzz"])
        .env("CARGO_TARGET_DIR", root.join("target"));
    if release {
        cmd.arg("--release");
    }
    cmd.args(["--", "--seconds", seconds, "--findings"])
        .arg(&findings);
    if let Some(s) = seed {
        cmd.args(["--seed", s]);
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cargo run (protocol fuzzer): {e}"))?;
    Ok(status.success())
}
