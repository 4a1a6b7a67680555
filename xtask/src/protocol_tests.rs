//! `cargo xtask protocol-tests`: the official Smithy AWS protocol
//! compliance tests.
//!
//! Every service of the shared protocol-test model on a protocol the
//! generator speaks (awsJson, restJson1, awsQuery, ec2Query) that has cases
//! is generated, one crate per protocol (a module per service), under
//! `target/protocol-tests/`, together with a test file generated from the
//! model's `smithy.test` traits (`codegen::protocol_tests`). The crates are
//! built warning-free and tested; the libtest output is mapped back to the
//! cases and summarised per protocol, side (client or server) and direction.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::ir::{Direction, ProtocolCase as Case, Side};
use codegen::{CrateSpec, Loaded, Options, ServiceSpec};

/// The protocol-test model, relative to the shared models directory.
const MODEL: &str = "protocol-tests/smithy-aws-protocol-tests.json";

/// The Smithy (not AWS) RPC v2 CBOR protocol tests, relative to the
/// workspace: shapes and cases derived from the `smithy-protocol-tests`
/// package's `smithy.protocoltests.rpcv2Cbor#RpcV2Protocol` (documentation
/// and metadata dropped).
const RPCV2_MODEL: &str = "tests/models/rpcv2-cbor-protocol-tests.json";
const COMMAND: &str = "cargo xtask protocol-tests";

/// The shared models directory: `models/` of the shared directory
/// (`$SLIM_SHARED`, else `../shared` beside the workspace). `None` (after a loud warning) when it is absent on
/// a developer machine; an error under CI.
fn shared_models(root: &Path) -> Result<Option<PathBuf>, String> {
    let dir = super::shared_dir(root).join("models");
    if dir.join(MODEL).is_file() {
        return Ok(Some(dir));
    }
    let msg = format!(
        "the protocol-test model is not at {}; set SLIM_SHARED to the shared directory",
        dir.join(MODEL).display()
    );
    if std::env::var_os("CI").is_some() {
        return Err(format!("{msg} (CI is set: the protocol tests must run)"));
    }
    eprintln!("\n!!!!!!!!\n!! {msg}\n!! protocol tests SKIPPED on this machine\n!!!!!!!!\n");
    Ok(None)
}

/// How one case ended.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

/// The workspace root (`$XTASK_ROOT` does not apply: the test crates are
/// built under the workspace's `target/`).
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

pub fn run() -> Result<(), String> {
    let started = std::time::Instant::now();
    let root = &workspace_root();
    let Some(models) = shared_models(root)? else {
        return Ok(());
    };
    let load = |path: &Path| -> Result<Loaded, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Loaded::from_text(&path.display().to_string(), &text).map_err(|e| e.to_string())
    };
    // The AWS suite, then the Smithy RPC v2 CBOR suite (its crate named
    // with `-smithy`).
    let suites = [
        (load(&models.join(MODEL))?, MODEL, ""),
        (load(&root.join(RPCV2_MODEL))?, RPCV2_MODEL, "-smithy"),
    ];
    let mut crates: BTreeMap<String, (&Loaded, &str, Vec<String>)> = BTreeMap::new();
    for (model, file, suffix) in &suites {
        for (id, p) in codegen::protocol_test_services(model).map_err(|e| e.to_string())? {
            let name = format!(
                "protocol-tests-{}{suffix}",
                p.name().to_ascii_lowercase().replace('_', "-")
            );
            crates
                .entry(name)
                .or_insert_with(|| (model, file, Vec::new()))
                .2
                .push(id);
        }
    }
    let out = root.join("target/protocol-tests");
    // The crates are generated first, then tested two at a time, each
    // worker in a target directory of its own (two cargo processes cannot
    // share one): a test crate's build is mostly rustc's front end, one
    // core, so two use both cores of a 2-core machine.
    let mut jobs = Vec::new();
    for (crate_name, (model, file, services)) in &crates {
        let krate = CrateSpec {
            name: crate_name.clone(),
            version: "0.1.0".into(),
        };
        let name = crate_name.trim_start_matches("protocol-tests-");
        let dir = out.join(&krate.name);
        let (files, cases) = generate_crate(model, file, &krate, services)?;
        super::write_tree(&dir, &files)?;
        println!(
            "{name}: {} services, {} cases, in {}",
            services.len(),
            cases.len(),
            dir.display()
        );
        jobs.push((dir, cases));
    }
    const WORKERS: usize = 2;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let tested: Vec<std::sync::Mutex<Option<Tested>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for w in 0..WORKERS {
            let (jobs, next, tested, out) = (&jobs, &next, &tested, &out);
            scope.spawn(move || {
                let target_dir = out.join(format!("target-{w}"));
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some((dir, _)) = jobs.get(i) else { break };
                    let outcome = cargo_test(dir, &target_dir);
                    if let Ok(mut slot) = tested[i].lock() {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });
    let mut results: Vec<(Case, Outcome)> = Vec::new();
    for ((_, cases), slot) in jobs.into_iter().zip(tested) {
        let outcomes = slot
            .into_inner()
            .ok()
            .flatten()
            .unwrap_or_else(|| Err("the test worker stopped".into()))?;
        for case in cases {
            let outcome = outcomes.get(&case.test).cloned().unwrap_or_else(|| {
                Outcome::Failed(format!(
                    "did not run: {}",
                    outcomes
                        .get(BUILD_FAILED)
                        .map_or("the test is missing from the libtest output", |_| {
                            "the test crate failed to build (see above)"
                        })
                ))
            });
            results.push((case, outcome));
        }
    }
    report(&results);
    for w in 0..WORKERS {
        super::reclaim(&out.join(format!("target-{w}")));
    }
    println!("protocol tests took {:.0?}", started.elapsed());
    let failed = results
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .count();
    if failed > 0 {
        return Err(format!("{failed} protocol test cases failed"));
    }
    Ok(())
}

/// The crate (a module per service) and its generated test file.
fn generate_crate(
    model: &Loaded,
    file: &str,
    krate: &CrateSpec,
    services: &[String],
) -> Result<(BTreeMap<String, String>, Vec<Case>), String> {
    let specs: Vec<ServiceSpec> = services
        .iter()
        .map(|id| ServiceSpec {
            module: codegen::service_module_name(id),
            model: file.into(),
            upstream: None,
            service: Some(id.clone()),
            operations: Vec::new(),
            all: true,
            protocol: None,
        })
        .collect();
    let options = Options {
        command: COMMAND.into(),
        model_docs: true,
        standalone: true,
        runtime_tests: false,
    };
    let pairs: Vec<(&ServiceSpec, &Loaded)> = specs.iter().map(|s| (s, model)).collect();
    let generated = codegen::generate(krate, &pairs, &options).map_err(|e| e.to_string())?;
    let mut files = generated.files;
    let suite = codegen::protocol_test_suite(
        &krate.name.replace('-', "_"),
        model,
        &generated.services,
        COMMAND,
    )
    .map_err(|e| e.to_string())?;
    files.insert("tests/protocol.rs".into(), suite.source);
    Ok((files, suite.cases))
}

/// Key of the outcome map noting that the crate did not build.
const BUILD_FAILED: &str = "";

/// Builds and runs the test file; outcomes by libtest name.
/// One crate's test outcomes by test name, or why it could not be tested.
type Tested = Result<BTreeMap<String, Outcome>, String>;

fn cargo_test(dir: &Path, target_dir: &Path) -> Tested {
    let cargo = super::cargo();
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(dir)
        .args([
            "test",
            "--test",
            "protocol",
            "--features",
            "server,client,json",
            "--no-fail-fast",
        ])
        .args(["--", "--color", "never"])
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        // The generated crates must build without warnings.
        .env("RUSTFLAGS", "-D warnings")
        // Panic messages are the reasons shown; backtraces would bury them.
        .env("RUST_BACKTRACE", "0");
    let output = cmd
        .output()
        .map_err(|e| format!("{cargo} test in {}: {e}", dir.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut outcomes = parse_libtest(&stdout);
    let any_failed = outcomes.values().any(|o| matches!(o, Outcome::Failed(_)));
    if !output.status.success() && !any_failed {
        // A build failure, or a test binary that died: show why.
        eprintln!("{stderr}");
        if outcomes.is_empty() {
            outcomes.insert(BUILD_FAILED.into(), Outcome::Failed("build failed".into()));
        }
    }
    Ok(outcomes)
}

/// Outcomes by test name from libtest's human output: the `test NAME ...
/// RESULT` lines, with the panic message of each failure as its reason.
fn parse_libtest(stdout: &str) -> BTreeMap<String, Outcome> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.split_once(" ... ") else {
            continue;
        };
        let outcome = match result.trim() {
            "ok" => Outcome::Passed,
            "FAILED" => Outcome::Failed(String::new()),
            r if r.starts_with("ignored") => Outcome::Skipped(
                r.strip_prefix("ignored")
                    .unwrap_or_default()
                    .trim_start_matches(',')
                    .trim()
                    .to_string(),
            ),
            _ => continue,
        };
        out.insert(name.to_string(), outcome);
    }
    // Failure sections: `---- NAME stdout ----`, then the panic message.
    let mut current: Option<String> = None;
    let mut message: Vec<&str> = Vec::new();
    let mut in_panic = false;
    let mut flush = |current: &mut Option<String>, message: &mut Vec<&str>| {
        if let Some(name) = current.take() {
            if let Some(Outcome::Failed(reason)) = out.get_mut(&name) {
                *reason = message.join(" | ");
            }
        }
        message.clear();
    };
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            flush(&mut current, &mut message);
            current = Some(name.to_string());
            in_panic = false;
            continue;
        }
        if current.is_none() {
            continue;
        }
        if line.starts_with("thread '") && line.contains("panicked at") {
            in_panic = true;
        } else if line.starts_with("note: ")
            || line.starts_with("stack backtrace:")
            || line == "failures:"
        {
            in_panic = false;
            if line == "failures:" {
                flush(&mut current, &mut message);
            }
        } else if in_panic && !line.trim().is_empty() && message.len() < 8 {
            message.push(line.trim_end());
        }
    }
    flush(&mut current, &mut message);
    out
}

/// Cases grouped for the summary: by protocol name, side and direction.
type Groups<'a> = BTreeMap<(&'static str, Side, Direction), Vec<&'a (Case, Outcome)>>;

fn report(results: &[(Case, Outcome)]) {
    let mut groups: Groups = BTreeMap::new();
    for r in results {
        groups
            .entry((r.0.protocol.name(), r.0.side, r.0.direction))
            .or_default()
            .push(r);
    }
    println!("\nprotocol compliance:");
    for ((protocol, side, direction), list) in &groups {
        let passed = list.iter().filter(|(_, o)| *o == Outcome::Passed).count();
        let skipped = list
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Skipped(_)))
            .count();
        let failed = list.len() - passed - skipped;
        println!(
            "  {protocol} {:<6} {:<9} {passed}/{} passed, {skipped} skipped, {failed} failed",
            side.as_str(),
            match direction {
                Direction::Events => "events".to_owned(),
                d => format!("{}s", d.as_str()),
            },
            list.len()
        );
    }
    for (case, outcome) in results {
        let (what, reason) = match outcome {
            Outcome::Passed => continue,
            Outcome::Skipped(r) => ("SKIPPED", r),
            Outcome::Failed(r) => ("FAILED ", r),
        };
        println!(
            "  {what} {} {} {} {} ({}): {reason}",
            case.protocol.name(),
            case.side.as_str(),
            case.direction.as_str(),
            case.id,
            case.test
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_output_is_parsed() {
        let out = "\nrunning 3 tests\n\
            test a::request::Ok1 ... ok\n\
            test a::request::Skip ... ignored, not for us\n\
            test a::response::Bad ... FAILED\n\
            \nfailures:\n\n\
            ---- a::response::Bad stdout ----\n\n\
            thread 'a::response::Bad' panicked at tests/protocol.rs:1:2:\n\
            assertion `left == right` failed: URI\n  left: \"/\"\n right: \"/x/\"\n\
            note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\n\
            failures:\n    a::response::Bad\n\n\
            test result: FAILED. 1 passed; 1 failed; 1 ignored\n";
        let got = parse_libtest(out);
        assert_eq!(got["a::request::Ok1"], Outcome::Passed);
        assert_eq!(
            got["a::request::Skip"],
            Outcome::Skipped("not for us".into())
        );
        assert_eq!(
            got["a::response::Bad"],
            Outcome::Failed(
                "assertion `left == right` failed: URI |   left: \"/\" |  right: \"/x/\"".into()
            )
        );
    }
}
