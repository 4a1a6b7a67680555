//! `cargo xtask e2e`: the end-to-end suites of the client, one
//! `suite: passed/total` line each.
//!
//! - signing suite: every `v4` case of `../shared/sigv4-test-suite`
//!   (`tests/tests/sigv4_suite.rs`);
//! - botocore signing: randomized requests signed by the crate and by
//!   botocore's `SigV4Auth` (`tests/tests/sigv4_botocore.rs`);
//! - fault injection: the client against a scripted loopback server
//!   (`tests/tests/client_faults.rs`);
//! - moto: a crate generated from the upstream models with the SageMaker
//!   pipeline and DMS replication-task operations moto implements (and the
//!   two it does not), called through the generated client against moto's
//!   server on a free loopback port, with request signatures checked
//!   (`tests/e2e/moto.rs`), presigned requests compared with botocore
//!   and sent to moto (`tests/e2e/presign.rs`), and streaming through the
//!   clients against scripted loopback servers (`tests/e2e/streams.rs`);
//!   streamed uploads checked by a loopback server and botocore, and a
//!   multipart upload of a file to moto (`tests/e2e/uploads.rs`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use codegen::{CrateSpec, Loaded, Options, ServiceSpec};

/// The operations of the moto crate, by module and upstream model.
const MOTO_SERVICES: &[(&str, &str, &[&str])] = &[
    (
        "sagemaker",
        "sagemaker-2017-07-24.json",
        &[
            "CreatePipeline",
            "DescribePipeline",
            "ListPipelines",
            "StartPipelineExecution",
            "DescribePipelineExecution",
            "ListPipelineExecutions",
            "DeletePipeline",
            "StopPipelineExecution",
        ],
    ),
    (
        "dms",
        "database-migration-service-2016-01-01.json",
        &[
            "CreateReplicationTask",
            "DescribeReplicationTasks",
            "StartReplicationTask",
            "StopReplicationTask",
            "DeleteReplicationTask",
            "StopReplication",
        ],
    ),
];

/// Services on the other protocols (awsQuery, restJson1, restXml), from the shared
/// `other-protocols` models, added to the moto crate.
const OTHER_PROTOCOL_MOTO_SERVICES: &[(&str, &str, &[&str])] = &[
    (
        "sts",
        "sts-2011-06-15.json",
        &["GetCallerIdentity", "AssumeRole", "GetSessionToken"],
    ),
    (
        "sns",
        "sns-2010-03-31.json",
        &[
            "CreateTopic",
            "ListTopics",
            "GetTopicAttributes",
            "SetTopicAttributes",
            "Publish",
            "DeleteTopic",
        ],
    ),
    (
        "lambda",
        "lambda-2015-03-31.json",
        &[
            "CreateFunction",
            "GetFunction",
            "ListFunctions",
            "TagResource",
            "ListTags",
            "UntagResource",
            "DeleteFunction",
            "InvokeWithResponseStream",
        ],
    ),
    (
        "s3",
        "s3-2006-03-01.json",
        &[
            "CreateBucket",
            "PutObject",
            "GetObject",
            "ListObjectsV2",
            "DeleteObject",
            "DeleteObjects",
            "DeleteBucket",
            "SelectObjectContent",
            "HeadBucket",
            "HeadObject",
            "GetBucketLocation",
            "CreateMultipartUpload",
            "UploadPart",
            "CompleteMultipartUpload",
            "AbortMultipartUpload",
        ],
    ),
];

/// Services from the repository's own model slices (`tests/models/`,
/// extracts of aws/api-models-aws without documentation), added to the
/// moto crate: DynamoDB's map-token paginators, Route 53's id prefixes.
const REPOSITORY_MOTO_SERVICES: &[(&str, &str, &[&str])] = &[
    (
        "dynamodb",
        "dynamodb.slice.json",
        &[
            "CreateTable",
            "DescribeTable",
            "PutItem",
            "GetItem",
            "Query",
            "Scan",
            "DeleteTable",
        ],
    ),
    (
        "transcribe",
        "transcribe-streaming.slice.json",
        &["StartStreamTranscription"],
    ),
    (
        "route53",
        "route53.slice.json",
        &[
            "CreateHostedZone",
            "GetHostedZone",
            "ListHostedZones",
            "ChangeResourceRecordSets",
            "ListResourceRecordSets",
            "GetChange",
            "DeleteHostedZone",
        ],
    ),
];

/// How long moto may take to start, and the whole moto suite to run.
const MOTO_START: Duration = Duration::from_secs(60);

/// One suite's result.
struct SuiteResult {
    name: &'static str,
    passed: usize,
    total: usize,
}

/// The suites, by the name `--only` takes.
const SUITES: [&str; 5] = ["signing", "botocore", "faults", "moto", "waiters"];

pub(crate) fn run(root: &Path, only: &[&str]) -> Result<(), String> {
    if let Some(bad) = only.iter().find(|o| !SUITES.contains(o)) {
        return Err(format!(
            "unknown suite `{bad}`; the suites are {}",
            SUITES.join(", ")
        ));
    }
    super::ensure_python_module("botocore", "botocore")?;
    super::ensure_python_module("moto", "moto[server]")?;
    super::ensure_python_module("h2", "h2")?;
    let started = Instant::now();
    let wanted = |name: &str| only.is_empty() || only.contains(&name);
    let mut results = Vec::new();
    if wanted("signing") {
        results.push(workspace_suite(
            root,
            "signing suite",
            &["sigv4_suite"],
            Some("sigv4 suite: "),
        )?);
    }
    if wanted("botocore") {
        results.push(workspace_suite(
            root,
            "botocore signing",
            &["sigv4_botocore"],
            Some("sigv4 vs botocore: "),
        )?);
    }
    if wanted("faults") {
        results.push(workspace_suite(
            root,
            "fault injection",
            &["client_faults", "client_async"],
            None,
        )?);
    }
    if wanted("moto") {
        results.push(moto_suite(root)?);
    }
    if wanted("waiters") {
        results.push(waiter_suite(root)?);
    }
    println!("\nend-to-end suites:");
    for r in &results {
        println!("  {}: {}/{}", r.name, r.passed, r.total);
    }
    println!("end-to-end took {:.0?}", started.elapsed());
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.passed != r.total || r.total == 0)
        .map(|r| r.name)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("end-to-end suites failed: {}", failed.join(", ")))
    }
}

/// `passed/total` from libtest's summary, or from a `prefix` line the test
/// prints (`sigv4 suite: 40/40 passed`).
fn counts(output: &str, prefix: Option<&str>) -> (usize, usize) {
    if let Some(prefix) = prefix {
        if let Some(line) = output.lines().find_map(|l| l.trim().strip_prefix(prefix)) {
            let frac = line.split_whitespace().next().unwrap_or_default();
            if let Some((a, b)) = frac.split_once('/') {
                return (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
            }
        }
    }
    let mut passed = 0;
    let mut failed = 0;
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("test result: ") {
            let num = |word: &str| {
                rest.split(';')
                    .find_map(|p| p.trim().strip_suffix(word))
                    .and_then(|n| n.trim().rsplit(' ').next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0)
            };
            passed += num(" passed");
            failed += num(" failed");
        }
    }
    (passed, passed + failed)
}

/// `passed/total` of a finished test run (see [`counts`]); a failed run
/// never counts as all passed, and its output is shown.
fn outcome(out: &std::process::Output, prefix: Option<&str>) -> (usize, usize) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let (passed, total) = counts(&text, prefix);
    if out.status.success() {
        (passed, total)
    } else {
        eprintln!("{text}");
        (passed.min(total.saturating_sub(1)), total.max(1))
    }
}

/// Runs test binaries of the `tests` crate.
fn workspace_suite(
    root: &Path,
    name: &'static str,
    tests: &[&str],
    prefix: Option<&str>,
) -> Result<SuiteResult, String> {
    println!(
        "\n== {name} (tests/tests/{}.rs)",
        tests.join(".rs, tests/tests/")
    );
    let mut cmd = Command::new(super::cargo());
    cmd.current_dir(root).args(["test", "-q", "-p", "tests"]);
    for t in tests {
        cmd.args(["--test", t]);
    }
    let out = cmd
        .args(["--", "--nocapture"])
        .output()
        .map_err(|e| format!("cargo test {tests:?}: {e}"))?;
    let (passed, total) = outcome(&out, prefix);
    Ok(SuiteResult {
        name,
        passed,
        total,
    })
}

/// A moto server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Starts moto's server; with `auth`, request authentication is on after
/// the first three (unauthenticated) calls, which create the test user's
/// key. Without it, for `AssumeRoleWithWebIdentity`: AWS takes that call
/// unsigned, and moto's authentication fails on any request without an
/// `Authorization` header (a 500 from a `KeyError`).
fn start_moto(auth: bool) -> Result<Moto, String> {
    let python = super::python();
    let port = free_port()?;
    let child = Command::new(&python)
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .env(
            "INITIAL_NO_AUTH_ACTION_COUNT",
            if auth { "3" } else { "inf" },
        )
        .env("MOTO_CALL_RESET_API", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting moto: {e}"))?;
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + MOTO_START;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(moto);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "moto did not listen on port {port} within {MOTO_START:?}"
    ))
}

/// Creates the IAM user, policy and access key the suite signs with, and
/// a role for Lambda functions: key id, secret, role ARN.
fn moto_keys(root: &Path, url: &str) -> Result<(String, String, String), String> {
    let python = super::python();
    let out = Command::new(python)
        .arg(root.join("tests/oracle/moto_setup.py"))
        .arg(url)
        .output()
        .map_err(|e| format!("moto_setup.py: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "moto_setup.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = BufReader::new(text.as_bytes())
        .lines()
        .map_while(Result::ok);
    match (lines.next(), lines.next(), lines.next()) {
        (Some(id), Some(secret), Some(role)) => Ok((id, secret, role)),
        _ => Err(format!("moto_setup.py printed no key: {text}")),
    }
}

/// A model of `MOTO_SERVICES` from the shared upstream directory, with
/// the spec of module `module` selecting `operations`.
fn upstream_service(
    root: &Path,
    module: &str,
    file: &str,
    operations: Vec<String>,
) -> Result<(ServiceSpec, Loaded), String> {
    shared_service(root, "upstream", module, file, operations)
}

/// A model from `models/<dir>` of the shared directory, with the spec of
/// module `module` selecting `operations`.
pub(crate) fn shared_service(
    root: &Path,
    dir: &str,
    module: &str,
    file: &str,
    operations: Vec<String>,
) -> Result<(ServiceSpec, Loaded), String> {
    let path = super::shared_dir(root).join("models").join(dir).join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (set SLIM_SHARED to the shared directory)",
            path.display()
        )
    })?;
    let loaded =
        Loaded::from_text(&path.display().to_string(), &text).map_err(|e| e.to_string())?;
    let spec = ServiceSpec {
        module: module.to_string(),
        model: path.display().to_string(),
        upstream: None,
        service: None,
        all: operations.is_empty(),
        protocol: None,
        operations,
    };
    Ok((spec, loaded))
}

/// Generates the crate `name` from `services` (no model docs, its own
/// workspace), lets `add` put in its tests and manifest additions, and
/// writes it under `dir` with the workspace's lock file, which pins the
/// same dependency versions so the workspace's build of them is reused.
pub(crate) fn write_e2e_crate<T>(
    root: &Path,
    dir: &Path,
    name: &str,
    services: &[(ServiceSpec, Loaded)],
    add: impl FnOnce(&mut BTreeMap<String, String>, &[codegen::ir::Service]) -> Result<T, String>,
) -> Result<T, String> {
    let pairs: Vec<(&ServiceSpec, &Loaded)> = services.iter().map(|(s, l)| (s, l)).collect();
    let krate = CrateSpec {
        name: name.into(),
        version: "0.1.0".into(),
    };
    let options = Options {
        command: "cargo xtask e2e".into(),
        model_docs: false,
        standalone: true,
        runtime_tests: false,
    };
    let generated = codegen::generate(&krate, &pairs, &options).map_err(|e| e.to_string())?;
    let mut files = generated.files;
    let added = add(&mut files, &generated.services)?;
    super::write_tree(dir, &files)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    Ok(added)
}

/// A file of the workspace, for a generated crate.
fn workspace_file(root: &Path, rel: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))
}

/// Generates the moto crate under `target/e2e/moto-crate`.
fn generate_moto_crate(root: &Path, dir: &Path) -> Result<(), String> {
    let mut services = Vec::new();
    for (module, file, ops) in MOTO_SERVICES {
        let ops = ops.iter().map(|o| o.to_string()).collect();
        services.push(upstream_service(root, module, file, ops)?);
    }
    for (module, file, ops) in OTHER_PROTOCOL_MOTO_SERVICES {
        let ops = ops.iter().map(|o| o.to_string()).collect();
        services.push(shared_service(root, "other-protocols", module, file, ops)?);
    }
    for (module, file, ops) in REPOSITORY_MOTO_SERVICES {
        let path = root.join("tests/models").join(file);
        let text = super::read(&path)?;
        let loaded =
            Loaded::from_text(&path.display().to_string(), &text).map_err(|e| e.to_string())?;
        let spec = ServiceSpec {
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
    write_e2e_crate(root, dir, "aws-e2e", &services, |files, _| {
        files.insert(
            "tests/moto.rs".into(),
            workspace_file(root, "tests/e2e/moto.rs")?,
        );
        files.insert(
            "tests/presign.rs".into(),
            workspace_file(root, "tests/e2e/presign.rs")?,
        );
        files.insert(
            "tests/streams.rs".into(),
            workspace_file(root, "tests/e2e/streams.rs")?,
        );
        files.insert(
            "tests/uploads.rs".into(),
            workspace_file(root, "tests/e2e/uploads.rs")?,
        );
        // The async tests need a runtime; the presigning test reads the
        // botocore oracle's JSON.
        if let Some(manifest) = files.get_mut("Cargo.toml") {
            manifest.push_str(
                "\n[dev-dependencies]\ntokio = { version = \"1.40\", default-features = false, features = [\"rt\", \"time\"] }\nserde_json = \"1\"\n",
            );
        }
        Ok(())
    })
}

/// Every waiter of the two upstream models, in a crate of the operations
/// that have waiters, each through its states against a scripted loopback
/// server (`codegen::waiter_test_suite`, `tests/e2e/waiters_support.rs`).
fn waiter_suite(root: &Path) -> Result<SuiteResult, String> {
    println!("\n== waiters (every waiter of both upstream models against a scripted server)");
    let dir: PathBuf = root.join("target/e2e/waiter-crate");
    let mut services = Vec::new();
    for (module, file, _) in MOTO_SERVICES {
        let (mut spec, loaded) = upstream_service(root, module, file, Vec::new())?;
        // The operations with waiters, from a lowering of the whole service.
        let all = codegen::lower_service(&loaded, &spec, &Options::default())
            .map_err(|e| e.to_string())?;
        spec.operations = all
            .operations
            .iter()
            .filter(|o| !o.waiters.is_empty())
            .map(|o| o.wire_name.clone())
            .collect();
        spec.all = false;
        services.push((spec, loaded));
    }
    let suite = write_e2e_crate(root, &dir, "aws-waiters", &services, |files, lowered| {
        let mut suite =
            codegen::waiter_test_suite("aws_waiters", lowered).map_err(|e| e.to_string())?;
        files.insert("tests/waiters.rs".into(), std::mem::take(&mut suite.source));
        for (rel, src) in [
            ("tests/support.rs", "tests/e2e/waiters_support.rs"),
            (
                "tests/fault_server/mod.rs",
                "tests/tests/fault_server/mod.rs",
            ),
        ] {
            files.insert(rel.into(), workspace_file(root, src)?);
        }
        Ok(suite)
    })?;
    println!("{} waiters; skipped scenarios:", suite.waiters);
    for s in &suite.skipped {
        println!("  {s}");
    }
    let out = Command::new(super::cargo())
        .current_dir(&dir)
        .args([
            "test",
            "-q",
            "--features",
            "blocking,json",
            "--test",
            "waiters",
        ])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("cargo test (waiters): {e}"))?;
    let (passed, total) = outcome(&out, None);
    Ok(SuiteResult {
        name: "waiters",
        passed,
        total,
    })
}

fn moto_suite(root: &Path) -> Result<SuiteResult, String> {
    println!("\n== moto (tests/e2e/moto.rs against moto's server)");
    let dir: PathBuf = root.join("target/e2e/moto-crate");
    generate_moto_crate(root, &dir)?;
    let moto = start_moto(true)?;
    let unsigned_sts = start_moto(false)?;
    let (key, secret, lambda_role) = moto_keys(root, &moto.url)?;
    // Lambda requests without a body, or with an encoded label, fail moto's
    // signature check even when botocore signs them (moto 5.2.1), so the
    // Lambda flow also runs on the moto without authentication, which needs
    // its own role.
    let (_, _, unsigned_lambda_role) = moto_keys(root, &unsigned_sts.url)?;
    let out = Command::new(super::cargo())
        .current_dir(&dir)
        .args([
            "test",
            "-q",
            "--features",
            "blocking,async",
            "--test",
            "moto",
            "--test",
            "presign",
            "--test",
            "streams",
            "--test",
            "uploads",
            "--",
            "--nocapture",
        ])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("E2E_ENDPOINT", &moto.url)
        .env("E2E_UNSIGNED_ENDPOINT", &unsigned_sts.url)
        .env("E2E_ACCESS_KEY_ID", &key)
        .env("E2E_SECRET_ACCESS_KEY", &secret)
        .env("E2E_LAMBDA_ROLE", &lambda_role)
        .env("E2E_UNSIGNED_LAMBDA_ROLE", &unsigned_lambda_role)
        .env("E2E_PYTHON", super::python())
        .env(
            "E2E_PRESIGN_ORACLE",
            root.join("tests/oracle/presign_botocore.py"),
        )
        .env(
            "E2E_H2_EVENT_SERVER",
            root.join("tests/oracle/h2_event_server.py"),
        )
        .env(
            "E2E_UPLOAD_SERVER",
            root.join("tests/oracle/upload_server.py"),
        )
        .env(
            "E2E_CHUNK_ORACLE",
            root.join("tests/oracle/aws_chunked_botocore.py"),
        )
        .output()
        .map_err(|e| format!("cargo test (moto): {e}"))?;
    drop(moto);
    drop(unsigned_sts);
    let (passed, total) = outcome(&out, None);
    Ok(SuiteResult {
        name: "moto",
        passed,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn counts_come_from_the_suite_line_or_libtest() {
        assert_eq!(
            counts("x\nsigv4 suite: 39/40 passed\n", Some("sigv4 suite: ")),
            (39, 40)
        );
        let libtest = "test result: ok. 11 passed; 0 failed; 0 ignored; 0 measured\n\
                       test result: FAILED. 2 passed; 1 failed; 0 ignored";
        assert_eq!(counts(libtest, None), (13, 14));
        assert_eq!(counts("nothing", Some("x: ")), (0, 0));
    }
}
