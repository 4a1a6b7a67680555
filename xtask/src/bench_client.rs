//! `cargo xtask bench-client`: the client beside aws-sdk-rust, measured in
//! the same run (see BENCHMARKS.md).
//!
//! 1. Build cost: a program that calls `StopReplication` with the generated
//!    blocking client, and the same program on `aws-sdk-databasemigration`,
//!    `aws-config` and tokio: clean debug builds (dependencies included),
//!    wall time, peak memory, crate count.
//! 2. Per-call CPU and throughput: both programs (release builds) call a
//!    loopback server (`xtask/bench/server.rs`, its own process, so its CPU
//!    is not counted) many times, one at a time and 64 at once; CPU is the
//!    client process's user and system time from `/usr/bin/time`, divided
//!    by the number of calls.
//!
//! Takes several minutes (aws-sdk-rust builds twice); CI only builds it.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::bench_compile::{timed_build, Build};

const SERVER: &str = include_str!("../bench/server.rs");
const SLIM: &str = include_str!("../bench/slim.rs");
const SDK: &str = include_str!("../bench/sdk.rs");

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn project(
    dir: &Path,
    name: &str,
    deps: &str,
    features: &str,
    main: &str,
) -> Result<(), String> {
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{deps}\n{features}\n[profile.release]\ndebug = false\n\n\
             # Not part of the smithy-slim workspace.\n[workspace]\n"
        ),
    )?;
    write(&dir.join("src/main.rs"), main)
}

/// Distinct crates in the normal dependency graph, the program excluded.
pub(crate) fn crate_count(cargo: &str, dir: &Path, args: &[&str]) -> usize {
    Command::new(cargo)
        .current_dir(dir)
        .args(["tree", "--quiet", "--prefix", "none", "-e", "normal"])
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|t| {
            let mut names: Vec<String> = t
                .lines()
                .map(|l| l.trim_end_matches(" (*)").to_string())
                .collect();
            names.sort();
            names.dedup();
            names.len().saturating_sub(1)
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system), wall seconds and calls of one run.
struct Run {
    cpu: f64,
    calls: usize,
    seconds: f64,
}

fn run_timed(program: &Path, args: &[String]) -> Result<Run, String> {
    let report = program.with_extension("time");
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%U %S", "-o"])
        .arg(&report)
        .arg(program)
        .args(args)
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} {args:?} failed: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let field = |key: &str| -> Option<f64> {
        stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse().ok())
    };
    let text = fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
    let cpu: f64 = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .sum();
    Ok(Run {
        cpu,
        calls: field("calls=").unwrap_or(0.0) as usize,
        seconds: field("seconds=").unwrap_or(0.0),
    })
}

const BLOCKING: &str = r#""blocking""#;
const SLIM_TOKIO: &str = r#"tokio = { version = "1.40", optional = true, default-features = false, features = ["rt-multi-thread"] }
"#;
const SLIM_FEATURES: &str = r#"[features]
async = ["aws-slim/async", "dep:tokio"]
"#;
const SDK_DEPS: &str = r#"aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-databasemigration = "1"
tokio = { version = "1", features = ["rt-multi-thread"] }
"#;

/// Writes the three programs under `work` and fetches their dependencies.
fn write_projects(root: &Path, work: &Path, cargo: &str) -> Result<(), String> {
    let generated = root.join("generated");
    project(&work.join("server"), "bench-server", "", "", SERVER)?;
    let slim_deps = format!(
        "aws-slim = {{ path = {:?}, features = [{BLOCKING}] }}\n{SLIM_TOKIO}",
        generated.display().to_string()
    );
    project(
        &work.join("slim"),
        "bench-slim",
        &slim_deps,
        SLIM_FEATURES,
        SLIM,
    )?;
    // The program builds without `async` for the build comparison; the
    // `blocking` arm alone must compile then.
    project(&work.join("sdk"), "bench-sdk", SDK_DEPS, "", SDK)?;
    fs::copy(root.join("Cargo.lock"), work.join("slim/Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    for dir in ["slim", "sdk"] {
        println!("fetching {dir} (not timed)");
        let ok = Command::new(cargo)
            .current_dir(work.join(dir))
            .args(["fetch", "--quiet"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!("cargo fetch in {dir} failed"));
        }
    }
    Ok(())
}

/// A row of the call table: client, concurrency and its run.
type Row = (String, usize, Run);

pub fn run(root: &Path) -> Result<(), String> {
    let cargo = super::cargo();
    let work: PathBuf = root.join("target/bench-client");
    write_projects(root, &work, &cargo)?;

    // 1. Build cost.
    let slim_build: Build = timed_build(
        &cargo,
        &work.join("slim"),
        &work.join("t-slim-debug"),
        &[],
        false,
    )?;
    let sdk_build: Build = timed_build(
        &cargo,
        &work.join("sdk"),
        &work.join("t-sdk-debug"),
        &[],
        false,
    )?;
    let slim_crates = crate_count(&cargo, &work.join("slim"), &[]);
    let sdk_crates = crate_count(&cargo, &work.join("sdk"), &[]);

    // 2. Release builds for the calls.
    let release = |dir: &str, features: &[&str]| -> Result<PathBuf, String> {
        let target = work.join(format!("t-{dir}-release"));
        let ok = Command::new(&cargo)
            .current_dir(work.join(dir))
            .args(["build", "--quiet", "--release", "--target-dir"])
            .arg(&target)
            .args(features)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!("release build of {dir} failed"));
        }
        Ok(target.join("release").join(format!("bench-{dir}")))
    };
    let server_bin = release("server", &[])?;
    let slim_bin = release("slim", &["--features", "async"])?;
    let sdk_bin = release("sdk", &[])?;
    let rows = measure_calls(&server_bin, &slim_bin, &sdk_bin)?;
    report((&slim_build, slim_crates), (&sdk_build, sdk_crates), &rows);
    Ok(())
}

/// Both programs' calls against the loopback server, one at a time and 64
/// at once, each after an uncounted warm-up.
fn measure_calls(server_bin: &Path, slim_bin: &Path, sdk_bin: &Path) -> Result<Vec<Row>, String> {
    let mut server = Command::new(server_bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the bench server: {e}"))?;
    let port = server
        .stdout
        .take()
        .and_then(|s| BufReader::new(s).lines().next())
        .and_then(Result::ok)
        .ok_or("the bench server printed no port")?;
    let endpoint = format!("http://127.0.0.1:{}", port.trim());
    let result = (|| -> Result<Vec<Row>, String> {
        let mut rows = Vec::new();
        for (concurrency, calls) in [(1usize, 3000usize), (64, 12_800)] {
            let c = concurrency.to_string();
            let n = calls.to_string();
            // A warm-up run each, not counted.
            for mode in ["blocking", "async"] {
                let args = vec![mode.to_string(), endpoint.clone(), "200".into(), "1".into()];
                run_timed(slim_bin, &args)?;
                let args = vec![mode.to_string(), endpoint.clone(), n.clone(), c.clone()];
                rows.push((
                    format!("aws-slim {mode}"),
                    concurrency,
                    run_timed(slim_bin, &args)?,
                ));
            }
            run_timed(sdk_bin, &[endpoint.clone(), "200".into(), "1".into()])?;
            let args = vec![endpoint.clone(), n.clone(), c.clone()];
            rows.push((
                "aws-sdk-rust".to_string(),
                concurrency,
                run_timed(sdk_bin, &args)?,
            ));
        }
        Ok(rows)
    })();
    drop(server.stdin.take());
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// Prints both tables.
fn report(slim: (&Build, usize), sdk: (&Build, usize), rows: &[Row]) {
    let ((slim_build, slim_crates), (sdk_build, sdk_crates)) = (slim, sdk);
    println!("\n## Build cost of a program calling StopReplication (clean debug build)\n");
    println!("| program | crates | build | peak memory |");
    println!("|---|---|---|---|");
    println!(
        "| aws-slim, `blocking` | {slim_crates} | {:.1} s | {:.0} MiB |",
        slim_build.seconds,
        slim_build.peak_kib as f64 / 1024.0
    );
    println!(
        "| aws-sdk-databasemigration + aws-config + tokio | {sdk_crates} | {:.1} s | {:.0} MiB |",
        sdk_build.seconds,
        sdk_build.peak_kib as f64 / 1024.0
    );
    println!(
        "\nbuild {:.1}x faster, {:.2} of the crates",
        sdk_build.seconds / slim_build.seconds.max(0.01),
        slim_crates as f64 / sdk_crates.max(1) as f64
    );
    println!("\n## StopReplication against a loopback server (release builds)\n");
    println!("| client | concurrency | calls | CPU per call | calls/s | CPU vs aws-sdk-rust |");
    println!("|---|---|---|---|---|---|");
    for (name, concurrency, run) in rows {
        let per_call = run.cpu / run.calls.max(1) as f64;
        let sdk = rows
            .iter()
            .find(|(n, c, _)| n == "aws-sdk-rust" && c == concurrency)
            .map(|(_, _, r)| r.cpu / r.calls.max(1) as f64)
            .unwrap_or(per_call);
        println!(
            "| {name} | {concurrency} | {} | {:.1} µs | {:.0} | {:.2}x |",
            run.calls,
            per_call * 1e6,
            run.calls as f64 / run.seconds.max(1e-9),
            per_call / sdk.max(1e-12)
        );
    }
}
