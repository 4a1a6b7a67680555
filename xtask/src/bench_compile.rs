//! `cargo xtask bench-compile`: build cost of the generated crate beside the
//! published `aws-sdk-databasemigration` (default features off), measured in
//! the same run, plus lines of generated code per operation.
//!
//! Every build is clean (a fresh target directory, dependencies included)
//! and runs under `/usr/bin/time -f '%e %M'` for wall time and peak memory
//! (the largest resident set of any one process, in KiB). The SDK's sources
//! are fetched before anything is timed, so downloads do not count.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Lines of the reference SDKs' code for the same operations (their whole
/// closure: operation module, input/output/error types, builders, serde).
const SDK_LINES: &[(&str, &str, usize)] = &[
    ("dms", "StopReplication (aws-sdk-databasemigration)", 3_749),
    (
        "sagemaker",
        "StopPipelineExecution (aws-sdk-sagemaker)",
        1_373,
    ),
];

/// The client files of a service module; `server.rs` is counted apart (the
/// SDK figures are client code only).
const CLIENT_FILES: &[&str] = &["mod.rs", "types.rs", "json.rs", "operations.rs"];

pub(crate) struct Build {
    pub(crate) seconds: f64,
    pub(crate) peak_kib: u64,
}

/// Runs `cargo build` (release or not) in `dir` with a fresh `target_dir`
/// under `/usr/bin/time`.
pub(crate) fn timed_build(
    cargo: &str,
    dir: &Path,
    target_dir: &Path,
    args: &[&str],
    release: bool,
) -> Result<Build, String> {
    if target_dir.exists() {
        fs::remove_dir_all(target_dir).map_err(|e| format!("{}: {e}", target_dir.display()))?;
    }
    let report = target_dir.with_extension("time");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.current_dir(dir)
        .args(["-f", "%e %M", "-o"])
        .arg(&report)
        .args([cargo, "build", "--quiet"])
        .args(args)
        .arg("--target-dir")
        .arg(target_dir);
    if release {
        cmd.arg("--release");
    }
    let shown = format!("{cmd:?}");
    println!("$ {shown}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if !status.success() {
        return Err(format!("{shown} failed ({status})"));
    }
    let text = fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
    // The last line: earlier ones may be notes from `time` itself.
    let line = text.lines().last().unwrap_or_default();
    let mut words = line.split_whitespace();
    let parse_err = || format!("unexpected /usr/bin/time output {text:?}");
    let seconds = words
        .next()
        .and_then(|w| w.parse().ok())
        .ok_or_else(parse_err)?;
    let peak_kib = words
        .next()
        .and_then(|w| w.parse().ok())
        .ok_or_else(parse_err)?;
    Ok(Build { seconds, peak_kib })
}

/// Creates the throwaway project that depends on the published SDK crate.
fn sdk_project(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = "[package]\n\
        name = \"sdk-build-cost\"\n\
        version = \"0.0.0\"\n\
        edition = \"2021\"\n\
        publish = false\n\n\
        [dependencies]\n\
        aws-sdk-databasemigration = { version = \"1\", default-features = false }\n\n\
        # Not part of the smithy-slim workspace.\n\
        [workspace]\n";
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("Cargo.toml", manifest)?;
    write(
        "src/lib.rs",
        "//! Builds aws-sdk-databasemigration, nothing else.\npub use aws_sdk_databasemigration as sdk;\n",
    )
}

fn lines_in(path: &Path) -> Result<usize, String> {
    fs::read_to_string(path)
        .map(|t| t.lines().count())
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub fn run(root: &Path) -> Result<(), String> {
    let cargo = super::cargo();
    let work: PathBuf = root.join("target/bench-compile");
    let sdk = work.join("sdk");
    sdk_project(&sdk)?;
    println!("fetching aws-sdk-databasemigration (not timed)");
    let status = Command::new(&cargo)
        .current_dir(&sdk)
        .args(["fetch", "--quiet"])
        .status()
        .map_err(|e| format!("cargo fetch: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo fetch in {} failed ({status})",
            sdk.display()
        ));
    }
    let version = Command::new(&cargo)
        .current_dir(&sdk)
        .args(["tree", "--quiet", "--depth", "1", "-e", "normal"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| {
            t.lines()
                .find(|l| l.contains("aws-sdk-databasemigration"))
                .map(|l| {
                    l.trim_start_matches(|c: char| !c.is_alphanumeric())
                        .to_string()
                })
        })
        .unwrap_or_else(|| "aws-sdk-databasemigration".into());
    let deps = Command::new(&cargo)
        .current_dir(&sdk)
        .args([
            "tree",
            "--quiet",
            "--prefix",
            "none",
            "-e",
            "normal",
            "--no-dedupe",
        ])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|t| {
            let mut names: Vec<&str> = t.lines().filter_map(|l| l.split(' ').next()).collect();
            names.sort_unstable();
            names.dedup();
            // Neither the throwaway package nor the SDK crate itself.
            names.len().saturating_sub(2)
        });

    let mut rows = Vec::new();
    for (profile, release) in [("debug", false), ("release", true)] {
        let ours = timed_build(
            &cargo,
            root,
            &work.join(format!("slim-{profile}")),
            &["--package", "aws-slim"],
            release,
        )?;
        let theirs = timed_build(
            &cargo,
            &sdk,
            &work.join(format!("sdk-{profile}")),
            &[],
            release,
        )?;
        rows.push((profile, ours, theirs));
    }

    println!("\nclean build, dependencies included (wall time, peak RSS of one process):\n");
    println!(
        "| profile | aws-slim (0 dependencies) | {version} (default features off{}) | faster | less memory |",
        deps.map(|n| format!(", {n} dependencies")).unwrap_or_default()
    );
    println!("|---|---|---|---|---|");
    for (profile, ours, theirs) in &rows {
        println!(
            "| {profile} | {:.2} s, {:.0} MiB | {:.2} s, {:.0} MiB | {:.1}x | {:.1}x |",
            ours.seconds,
            mib(ours.peak_kib),
            theirs.seconds,
            mib(theirs.peak_kib),
            theirs.seconds / ours.seconds.max(0.01),
            theirs.peak_kib as f64 / ours.peak_kib.max(1) as f64,
        );
    }

    println!("\nlines of generated code per operation (client side):\n");
    println!("| operation | aws-slim module | aws-slim lines | reference SDK lines | ratio |");
    println!("|---|---|---|---|---|");
    let src = root.join("generated/src");
    for (module, what, sdk_lines) in SDK_LINES {
        let mut lines = 0;
        for file in CLIENT_FILES {
            lines += lines_in(&src.join(module).join(file))?;
        }
        println!(
            "| {what} | `{module}` | {lines} | {sdk_lines} | {:.2}x smaller |",
            *sdk_lines as f64 / lines.max(1) as f64
        );
    }
    let mut runtime = 0;
    let runtime_dir = src.join("runtime");
    let mut entries: Vec<PathBuf> = fs::read_dir(&runtime_dir)
        .map_err(|e| format!("{}: {e}", runtime_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    entries.sort();
    for path in &entries {
        runtime += lines_in(path)?;
    }
    let mut server = Vec::new();
    for (module, _, _) in SDK_LINES {
        let path = src.join(module).join("server.rs");
        if path.exists() {
            server.push(format!("`{module}` {}", lines_in(&path)?));
        }
    }
    println!(
        "\nshared by every operation: the runtime, {runtime} lines ({} files, tests included).",
        entries.len()
    );
    if !server.is_empty() {
        println!(
            "not counted above: the server side (`server.rs`): {} lines.",
            server.join(", ")
        );
    }
    Ok(())
}
