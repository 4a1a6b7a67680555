//! `cargo xtask whole-services`: every operation of the full upstream
//! models, of the older releases in `history/` and of the other-protocol
//! models (STS and SNS on awsQuery, Lambda and Bedrock Runtime on
//! restJson1, S3 on restXml), generated, linted and, for all but the older
//! releases, compared with botocore on the wire.
//!
//! Each model becomes a standalone crate under `target/whole-services/`
//! (never committed), exactly as `cargo xtask generate --all` writes it, and
//! `cargo clippy -- -D warnings` runs on each with one shared
//! `CARGO_TARGET_DIR`. Generation time, lint time and the peak memory of the
//! largest process (GNU `time`'s maximum resident set size) are printed per
//! crate. The upstream models carry AWS's HTML documentation, so their
//! crates are also documented with `RUSTDOCFLAGS=-D warnings`: the HTML to
//! Markdown conversion must satisfy rustdoc on real text. For every model
//! but the older releases a harness crate
//! (`codegen::harness`) is built beside the service crate and
//! `tests/oracle/differential.py` runs its seeded cases through botocore
//! and through the harness.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const COMMAND: &str = "cargo xtask whole-services";

/// One whole-service crate.
struct Whole {
    /// Directory name under `target/whole-services`, and the crate name stem.
    name: &'static str,
    /// Model file, relative to the shared models directory, or to the
    /// workspace when it starts with `tests/`.
    model: &'static str,
    /// The protocol to generate for, when not the service's first.
    protocol: Option<&'static str>,
    /// Rust module of the service.
    module: &'static str,
    /// Whether the botocore differential tests run on it.
    differential: bool,
    /// Whether rustdoc runs on it with `-D warnings` (model documentation
    /// rendered).
    docs: bool,
    /// Seconds its lint, documentation and harness build took on a 2-core
    /// machine (CI, 2026-12-07): what the lanes are balanced by.
    cost: u32,
}

const CRATES: &[Whole] = &[
    Whole {
        name: "sagemaker",
        model: "upstream/sagemaker-2017-07-24.json",
        protocol: None,
        module: "sagemaker",
        differential: true,
        cost: 117,
        docs: true,
    },
    Whole {
        name: "dms",
        model: "upstream/database-migration-service-2016-01-01.json",
        protocol: None,
        module: "dms",
        differential: true,
        cost: 39,
        docs: true,
    },
    Whole {
        name: "sagemaker-2025-05-20",
        model: "history/sagemaker-2017-07-24.2025-05-20.json",
        protocol: None,
        module: "sagemaker",
        differential: false,
        cost: 57,
        docs: false,
    },
    Whole {
        name: "dms-2025-05-20",
        model: "history/database-migration-service-2016-01-01.2025-05-20.json",
        protocol: None,
        module: "dms",
        differential: false,
        cost: 14,
        docs: false,
    },
    Whole {
        name: "dms-2025-11-17",
        model: "history/database-migration-service-2016-01-01.2025-11-17.json",
        protocol: None,
        module: "dms",
        differential: false,
        cost: 13,
        docs: false,
    },
    Whole {
        name: "sts",
        model: "other-protocols/sts-2011-06-15.json",
        protocol: None,
        module: "sts",
        differential: true,
        cost: 8,
        docs: true,
    },
    Whole {
        name: "sns",
        model: "other-protocols/sns-2010-03-31.json",
        protocol: None,
        module: "sns",
        differential: true,
        cost: 12,
        docs: true,
    },
    Whole {
        name: "lambda",
        model: "other-protocols/lambda-2015-03-31.json",
        protocol: None,
        module: "lambda",
        differential: true,
        cost: 19,
        docs: true,
    },
    Whole {
        name: "s3",
        model: "other-protocols/s3-2006-03-01.json",
        protocol: None,
        module: "s3",
        differential: true,
        cost: 30,
        docs: true,
    },
    Whole {
        name: "bedrock-runtime",
        model: "other-protocols/bedrock-runtime-2023-09-30.json",
        protocol: None,
        module: "bedrock_runtime",
        differential: true,
        cost: 11,
        docs: true,
    },
    // CloudWatch declares rpcv2Cbor, awsJson1_0 and awsQuery (and is
    // awsQueryCompatible): the same service over each of its protocols.
    Whole {
        name: "cloudwatch",
        model: CLOUDWATCH,
        protocol: None,
        module: "cloudwatch",
        differential: true,
        cost: 13,
        docs: false,
    },
    Whole {
        name: "cloudwatch-json",
        model: CLOUDWATCH,
        protocol: Some("awsJson1_0"),
        module: "cloudwatch",
        differential: true,
        cost: 11,
        docs: false,
    },
    Whole {
        name: "cloudwatch-query",
        model: CLOUDWATCH,
        protocol: Some("awsQuery"),
        module: "cloudwatch",
        differential: true,
        cost: 13,
        docs: false,
    },
];

/// Every CloudWatch operation, documentation removed, with the protocols
/// the current model declares (see `tests/models/README.md`).
const CLOUDWATCH: &str = "tests/models/cloudwatch.slice.json";

const USAGE: &str = "cargo xtask whole-services [--only NAME,..] [--no-clippy] [--no-differential]
  (two or more crates run in two lanes at once; `--lane N` is how a lane is started)
  crates: sagemaker, dms (upstream; with the botocore differential tests),
          sagemaker-2025-05-20, dms-2025-05-20, dms-2025-11-17 (history),
          sts, sns (awsQuery), lambda, bedrock-runtime (restJson1), s3 (restXml)
          (other-protocols; with the differential tests),
          cloudwatch (rpcv2Cbor), cloudwatch-json (awsJson1_0), cloudwatch-query (awsQuery)
          (tests/models/cloudwatch.slice.json; with the differential tests)";

/// The shared models directory: `models/` of the shared directory
/// (`$SLIM_SHARED`, else `../shared` beside the workspace). `None` (after a loud warning) when it is absent on
/// a developer machine; an error under CI.
fn shared_models(root: &Path) -> Result<Option<PathBuf>, String> {
    let dir = super::shared_dir(root).join("models");
    if dir.join("upstream").is_dir() {
        return Ok(Some(dir));
    }
    let msg = format!(
        "the reference models are not at {}; set SLIM_SHARED to the shared directory",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        return Err(format!(
            "{msg} (CI is set: the whole-service checks must run)"
        ));
    }
    eprintln!("\n!!!!!!!!\n!! {msg}\n!! whole-service checks SKIPPED on this machine\n!!!!!!!!\n");
    Ok(None)
}

/// Wall time and peak memory of a command.
struct Measured {
    ok: bool,
    wall: Duration,
    /// Maximum resident set size in KiB, when GNU `time` is available.
    peak_kib: Option<u64>,
    /// The command's stderr (cargo's diagnostics).
    stderr: String,
}

const GNU_TIME: &str = "/usr/bin/time";

/// Runs `cmd`, under GNU `time` when it is installed, to measure its peak
/// memory: the maximum resident set size of the largest process in the tree
/// (here the compiler).
fn measure(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(&str, &OsStr)],
) -> Result<Measured, String> {
    let time_out = dir.join(".peak-memory");
    let use_time = Path::new(GNU_TIME).is_file();
    let mut cmd = if use_time {
        let mut c = Command::new(GNU_TIME);
        c.arg("-f").arg("%M").arg("-o").arg(&time_out).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TERM_COLOR", "never");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let shown = format!("{program} {}", args.join(" "));
    println!("$ (cd {} && {shown})", dir.display());
    let started = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("{shown} in {}: {e}", dir.display()))?;
    let wall = started.elapsed();
    let peak_kib = if use_time {
        let text = std::fs::read_to_string(&time_out).unwrap_or_default();
        let _ = std::fs::remove_file(&time_out);
        // GNU time prints "Command exited with non-zero status N" first on failure.
        text.lines().last().and_then(|l| l.trim().parse().ok())
    } else {
        None
    };
    Ok(Measured {
        ok: out.status.success(),
        wall,
        peak_kib,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

fn memory(m: &Measured) -> String {
    match m.peak_kib {
        Some(k) => format!("{:.2} GiB", k as f64 / (1024.0 * 1024.0)),
        None => format!("not measured ({GNU_TIME} not found)"),
    }
}

/// One line of the final table.
struct Row {
    name: &'static str,
    operations: usize,
    lines: usize,
    generate: Duration,
    clippy: Option<Measured>,
    harness: Option<Measured>,
}

/// `cargo xtask whole-services`.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut only: Option<Vec<String>> = None;
    let mut clippy = true;
    let mut differential = true;
    let mut lane: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--lane" => {
                let n = it.next().ok_or("--lane needs a value")?;
                lane = Some(n.to_string());
            }
            "--only" => {
                let list = it
                    .next()
                    .ok_or_else(|| format!("--only needs a value\n{USAGE}"))?;
                only = Some(list.split(',').map(|s| s.trim().to_string()).collect());
            }
            "--no-clippy" => clippy = false,
            "--no-differential" => differential = false,
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
    }
    if let Some(list) = &only {
        for n in list {
            if !CRATES.iter().any(|c| c.name == n) {
                return Err(format!("unknown crate `{n}`\n{USAGE}"));
            }
        }
    }
    let started = Instant::now();
    let Some(models) = shared_models(root)? else {
        return Ok(());
    };
    let selected: Vec<&Whole> = CRATES
        .iter()
        .filter(|c| only.as_ref().is_none_or(|l| l.iter().any(|n| n == c.name)))
        .collect();
    if lane.is_none() && selected.len() > 1 {
        let passed: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| a.starts_with("--no-"))
            .collect();
        return run_in_lanes(root, &selected, &passed, started);
    }
    let python = if differential {
        python_with_botocore()?
    } else {
        None
    };
    let out = root.join("target/whole-services");
    // Each lane builds in a target directory of its own: two cargo
    // processes cannot share one.
    let target_dir = out.join(match &lane {
        Some(n) => format!("target-{n}"),
        None => "target".to_string(),
    });
    std::fs::create_dir_all(&target_dir).map_err(|e| format!("{}: {e}", target_dir.display()))?;
    let cargo = super::cargo();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let ctx = Lane {
        root,
        models: &models,
        python: python.as_deref(),
        out: &out,
        target_dir: &target_dir,
        cargo: &cargo,
        clippy,
        differential,
    };
    for whole in selected {
        let row = check_crate(&ctx, whole, &mut failures)?;
        rows.push(row);
    }
    println!("\n{}", table(&rows));
    println!("whole-service checks took {:.0?}", started.elapsed());
    super::reclaim(&target_dir);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "whole-service checks failed:\n  {}",
            failures.join("\n  ")
        ))
    }
}

/// What every crate of a lane shares.
struct Lane<'a> {
    root: &'a Path,
    models: &'a Path,
    python: Option<&'a str>,
    out: &'a Path,
    target_dir: &'a Path,
    cargo: &'a str,
    clippy: bool,
    differential: bool,
}

/// One crate: generated, linted, documented, its harness built and the
/// differential run; failures are added to `failures`.
fn check_crate(ctx: &Lane<'_>, whole: &Whole, failures: &mut Vec<String>) -> Result<Row, String> {
    let Lane {
        python,
        out,
        target_dir,
        cargo,
        clippy,
        differential,
        ..
    } = *ctx;
    let dir = out.join(whole.name);
    let model_path = if whole.model.starts_with("tests/") {
        ctx.root.join(whole.model)
    } else {
        ctx.models.join(whole.model)
    };
    println!("\n== {} ({})", whole.name, whole.model);
    // Generation, timed as `cargo xtask generate --all` does it: read,
    // load, lower, emit, write.
    let t0 = Instant::now();
    let package = format!("{}-slim", whole.name);
    let generated = super::generate_whole(
        &model_path,
        Some(whole.module),
        whole.protocol,
        &package,
        true,
        "cargo xtask generate",
        &dir,
        &[],
    )?;
    let files = generated.files;
    let generate = t0.elapsed();
    let lines = files.values().map(|t| t.lines().count()).sum();
    let svc = generated
        .services
        .into_iter()
        .next()
        .ok_or("the generator returned no service")?;
    println!(
        "generated {} operations, {} files, {lines} lines in {generate:.2?}",
        svc.operations.len(),
        files.len()
    );
    let mut row = Row {
        name: whole.name,
        operations: svc.operations.len(),
        lines,
        generate,
        clippy: None,
        harness: None,
    };
    if clippy {
        let m = measure(
            cargo,
            &[
                "clippy",
                "--quiet",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
            &dir,
            &[("CARGO_TARGET_DIR", target_dir.as_os_str())],
        )?;
        println!(
            "clippy -D warnings: {} in {:.1?}, peak memory {}",
            if m.ok { "clean" } else { "FAILED" },
            m.wall,
            memory(&m)
        );
        if !m.ok {
            eprintln!("{}", tail(&m.stderr, 60));
            failures.push(format!(
                "{}: cargo clippy -- -D warnings failed",
                whole.name
            ));
        }
        row.clippy = Some(m);
        // The upstream models carry AWS's HTML documentation: rendering
        // it must leave rustdoc without a single warning.
        if whole.docs {
            let m = measure(
                cargo,
                &["doc", "--no-deps", "--quiet"],
                &dir,
                &[
                    ("CARGO_TARGET_DIR", target_dir.as_os_str()),
                    ("RUSTDOCFLAGS", OsStr::new("-D warnings")),
                ],
            )?;
            println!(
                "rustdoc -D warnings (model documentation rendered): {} in {:.1?}, peak memory {}",
                if m.ok { "clean" } else { "FAILED" },
                m.wall,
                memory(&m)
            );
            if !m.ok {
                eprintln!("{}", tail(&m.stderr, 60));
                failures.push(format!("{}: cargo doc with -D warnings failed", whole.name));
            }
        }
    }
    if whole.differential && differential {
        if let Some(python) = python {
            harness_and_differential(
                ctx,
                whole,
                &svc,
                (&package, &model_path),
                python,
                &mut row,
                failures,
            )?;
        }
    }
    Ok(row)
}

/// The harness crate built beside the service crate, then the botocore
/// differential run through it.
fn harness_and_differential(
    ctx: &Lane<'_>,
    whole: &Whole,
    svc: &codegen::ir::Service,
    (package, model_path): (&str, &Path),
    python: &str,
    row: &mut Row,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let Lane {
        root,
        out,
        target_dir,
        cargo,
        ..
    } = *ctx;
    let harness_dir = out.join(format!("{}-harness", whole.name));
    let target = codegen::HarnessTarget {
        package,
        path: &format!("../{}", whole.name),
    };
    let files = codegen::harness(svc, &target, COMMAND).map_err(|e| e.to_string())?;
    super::write_tree(&harness_dir, &files)?;
    let m = measure(
        cargo,
        &["build", "--quiet"],
        &harness_dir,
        &[
            ("CARGO_TARGET_DIR", target_dir.as_os_str()),
            // The harness must build without warnings too.
            ("RUSTFLAGS", OsStr::new("-D warnings")),
        ],
    )?;
    println!(
        "harness build (debug, no debug info): {} in {:.1?}, peak memory {}",
        if m.ok { "ok" } else { "FAILED" },
        m.wall,
        memory(&m)
    );
    let built = m.ok;
    if !built {
        eprintln!("{}", tail(&m.stderr, 60));
        failures.push(format!("{}: the harness did not build", whole.name));
    }
    row.harness = Some(m);
    if built {
        let bin = target_dir
            .join("debug")
            .join(format!("{package}-harness{}", std::env::consts::EXE_SUFFIX));
        if let Err(e) = run_differential(
            root,
            python,
            (model_path, whole.protocol),
            &bin,
            out,
            whole.name,
        ) {
            failures.push(format!("{}: {e}", whole.name));
        }
    }
    Ok(())
}

/// Runs the crates in two lanes at once, each a `whole-services --lane`
/// process with its own target directory, and prints each lane's output
/// when both are done. A big crate's lint and documentation passes keep one
/// core busy (rustc's front end is one thread), so two lanes use both cores
/// of a 2-core machine. Crates go to the lighter lane, heaviest first.
fn run_in_lanes(
    root: &Path,
    selected: &[&Whole],
    passed: &[&str],
    started: Instant,
) -> Result<(), String> {
    let mut by_cost: Vec<&Whole> = selected.to_vec();
    by_cost.sort_by_key(|c| std::cmp::Reverse(c.cost));
    let mut lanes: [(u32, Vec<&str>); 2] = [(0, Vec::new()), (0, Vec::new())];
    for c in by_cost {
        let lighter = if lanes[0].0 <= lanes[1].0 { 0 } else { 1 };
        lanes[lighter].0 += c.cost;
        lanes[lighter].1.push(c.name);
    }
    let out = root.join("target/whole-services");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("the xtask binary: {e}"))?;
    let mut children = Vec::new();
    for (i, (_, names)) in lanes.iter().enumerate() {
        if names.is_empty() {
            continue;
        }
        let log = out.join(format!("lane-{i}.log"));
        let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        println!("lane {i}: {}", names.join(", "));
        let child = Command::new(&exe)
            .arg("whole-services")
            .args(["--lane", &i.to_string(), "--only", &names.join(",")])
            .args(passed)
            .current_dir(root)
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        children.push((i, log, child));
    }
    let mut failed = Vec::new();
    for (i, log, mut child) in children {
        let status = child.wait().map_err(|e| format!("lane {i}: {e}"))?;
        println!("\n######## lane {i} ({})", log.display());
        print!("{}", std::fs::read_to_string(&log).unwrap_or_default());
        if !status.success() {
            failed.push(format!("lane {i} ({status}; see above)"));
        }
    }
    println!(
        "whole-service checks took {:.0?} in two lanes",
        started.elapsed()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "whole-service checks failed: {}",
            failed.join(", ")
        ))
    }
}

fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "crate                  ops   lines     generate  clippy -D warnings (peak)   harness build (peak)\n",
    );
    let cell = |m: &Option<Measured>| match m {
        Some(m) => format!(
            "{:>6.1} s {}({})",
            m.wall.as_secs_f64(),
            if m.ok { "" } else { "FAILED " },
            m.peak_kib.map_or("-".to_string(), |k| format!(
                "{:.2} GiB",
                k as f64 / 1048576.0
            ))
        ),
        None => "-".to_string(),
    };
    for r in rows {
        let _ = writeln!(
            s,
            "{:<22} {:>3} {:>7} {:>10.2} s  {:<26} {}",
            r.name,
            r.operations,
            r.lines,
            r.generate.as_secs_f64(),
            cell(&r.clippy),
            cell(&r.harness)
        );
    }
    s
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The Python interpreter (`$PYTHON`, else `python3`) if it can import
/// botocore. Without it the differential tests are skipped loudly, or fail
/// under CI.
fn python_with_botocore() -> Result<Option<String>, String> {
    let python = super::python();
    let ok = Command::new(&python)
        .args(["-c", "import botocore"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Ok(Some(python));
    }
    let msg = format!(
        "`{python}` cannot import botocore (`cargo xtask test` installs it; or `{python} -m pip install botocore`)"
    );
    if std::env::var_os("CI").is_some() {
        return Err(format!(
            "{msg} (CI is set: the differential tests must run)"
        ));
    }
    eprintln!("\n!!!!!!!!\n!! {msg}\n!! botocore differential tests SKIPPED\n!!!!!!!!\n");
    Ok(None)
}

/// Runs `tests/oracle/differential.py` against the harness binary.
fn run_differential(
    root: &Path,
    python: &str,
    (model, protocol): (&Path, Option<&str>),
    harness: &Path,
    out: &Path,
    name: &str,
) -> Result<(), String> {
    let script = root.join("tests/oracle/differential.py");
    let seeds = root.join("tests/oracle/differential_seeds.json");
    let report = out.join(format!("{name}-differential.json"));
    let mut cmd = Command::new(python);
    cmd.arg(&script)
        .arg("--model")
        .arg(model)
        .arg("--seeds")
        .arg(&seeds)
        .arg("--harness")
        .arg(harness)
        .arg("--report")
        .arg(&report);
    if let Some(p) = protocol {
        cmd.arg("--protocol").arg(p);
    }
    println!("$ {cmd:?}");
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", script.display()))?;
    println!("differential tests took {:.1?}", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "botocore differential tests failed ({status}); details in {}",
            report.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_arguments_fail_before_any_work() {
        let root = Path::new("/nonexistent");
        let e = run(root, &["--only", "sagemaker,nope"]).unwrap_err();
        assert!(e.contains("unknown crate `nope`"), "{e}");
        let e = run(root, &["--frobnicate"]).unwrap_err();
        assert!(e.contains("unknown option `--frobnicate`"), "{e}");
        let e = run(root, &["--only"]).unwrap_err();
        assert!(e.contains("--only needs a value"), "{e}");
    }

    #[test]
    fn every_crate_has_a_distinct_name_and_a_model() {
        let mut names: Vec<&str> = CRATES.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CRATES.len());
        assert!(CRATES.iter().all(|c| [
            "upstream/",
            "history/",
            "other-protocols/",
            "tests/models/"
        ]
        .iter()
        .any(|d| c.model.starts_with(d))));
        // The differential tests run on every model that is not an older
        // release, rustdoc on those that carry documentation.
        assert!(CRATES
            .iter()
            .all(|c| c.differential != c.model.starts_with("history/")));
        assert!(CRATES
            .iter()
            .all(|c| c.docs != (c.model.starts_with("history/") || c.model.starts_with("tests/"))));
        // The repository's models are there.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for c in CRATES.iter().filter(|c| c.model.starts_with("tests/")) {
            assert!(root.join(c.model).is_file(), "{}", c.model);
        }
    }

    #[test]
    fn the_table_shows_times_and_memory() {
        let m = |ok, secs, peak| Measured {
            ok,
            wall: Duration::from_secs(secs),
            peak_kib: peak,
            stderr: String::new(),
        };
        let rows = [Row {
            name: "dms",
            operations: 119,
            lines: 100_000,
            generate: Duration::from_millis(1500),
            clippy: Some(m(true, 15, Some(1024 * 1024))),
            harness: Some(m(false, 20, None)),
        }];
        let t = table(&rows);
        assert!(t.contains("dms"), "{t}");
        assert!(t.contains("1.50 s"), "{t}");
        assert!(t.contains("15.0 s (1.00 GiB)"), "{t}");
        assert!(t.contains("20.0 s FAILED (-)"), "{t}");
    }
}
