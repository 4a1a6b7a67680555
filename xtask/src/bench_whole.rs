//! The SageMaker half of `cargo xtask bench-compile`: a program that calls
//! `StopPipelineExecution` with the blocking client, built clean on a crate
//! generated with every SageMaker operation, on a crate with that one
//! operation, and on aws-sdk-sagemaker with aws-config and tokio, all in the
//! same run (debug and release; dependencies included).

use std::fs;
use std::path::Path;
use std::process::Command;

use super::bench_client::{crate_count, project};
use super::bench_compile::{mib, timed_build, Build};

const COMMAND: &str = "cargo xtask bench-compile";
const MODEL: &str = "models/upstream/sagemaker-2017-07-24.json";
const SLIM: &str = include_str!("../bench/sagemaker_slim.rs");
const SDK: &str = include_str!("../bench/sagemaker_sdk.rs");
const SDK_DEPS: &str = r#"aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-sagemaker = "1"
tokio = { version = "1", features = ["rt"] }
"#;

/// One program of the comparison.
struct Program {
    /// Directory under the work directory, and the row's label.
    dir: &'static str,
    label: String,
}

/// Lines of the `.rs` files under `dir`, recursively.
fn rust_lines(dir: &Path) -> Result<usize, String> {
    let mut total = 0;
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            total += rust_lines(&path)?;
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            total += text.lines().count();
        }
    }
    Ok(total)
}

/// Generates both crates and writes the three programs under `work`;
/// returns the programs, the SDK's last.
fn write_projects(root: &Path, work: &Path, cargo: &str) -> Result<Vec<Program>, String> {
    let model = super::shared_dir(root).join(MODEL);
    if !model.is_file() {
        return Err(format!(
            "the SageMaker model is not at {}; set SLIM_SHARED to the shared directory",
            model.display()
        ));
    }
    let mut programs = Vec::new();
    for (dir, operations) in [("whole", &[][..]), ("one", &["StopPipelineExecution"][..])] {
        let krate = work.join(format!("crate-{dir}"));
        if krate.exists() {
            fs::remove_dir_all(&krate).map_err(|e| format!("{}: {e}", krate.display()))?;
        }
        let generated = super::generate_whole(
            &model,
            Some("sagemaker"),
            None,
            "sagemaker-slim",
            true,
            COMMAND,
            &krate,
            operations,
        )?;
        let lines = rust_lines(&krate.join("src"))?;
        let what = if operations.is_empty() {
            "every operation"
        } else {
            "StopPipelineExecution only"
        };
        let deps = format!(
            "sagemaker-slim = {{ path = {:?}, features = [\"blocking\"] }}\n",
            krate.display().to_string()
        );
        project(&work.join(dir), &format!("bench-{dir}"), &deps, "", SLIM)?;
        // The workspace's lock file: the same versions of ureq and RustCrypto
        // as every other measurement.
        fs::copy(root.join("Cargo.lock"), work.join(dir).join("Cargo.lock"))
            .map_err(|e| format!("Cargo.lock: {e}"))?;
        programs.push(Program {
            dir,
            label: format!(
                "generated, {what} ({} files, {lines} lines), `blocking`",
                generated.files.len()
            ),
        });
    }
    project(&work.join("sdk"), "bench-sdk", SDK_DEPS, "", SDK)?;
    programs.push(Program {
        dir: "sdk",
        label: "aws-sdk-sagemaker + aws-config + tokio".into(),
    });
    for p in &programs {
        println!("fetching {} (not timed)", p.dir);
        let ok = Command::new(cargo)
            .current_dir(work.join(p.dir))
            .args(["fetch", "--quiet"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!("cargo fetch in {} failed", p.dir));
        }
    }
    Ok(programs)
}

/// Builds each program clean, debug then release, and prints the table.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let cargo = super::cargo();
    let work = root.join("target/bench-compile/sagemaker");
    let programs = write_projects(root, &work, &cargo)?;
    let mut rows: Vec<(&str, &Program, usize, Build)> = Vec::new();
    for (profile, release) in [("debug", false), ("release", true)] {
        for p in &programs {
            let target = work.join(format!("t-{}-{profile}", p.dir));
            let build = timed_build(&cargo, &work.join(p.dir), &target, &[], release)?;
            let crates = crate_count(&cargo, &work.join(p.dir), &[]);
            rows.push((profile, p, crates, build));
        }
    }
    println!(
        "\nclean builds of a program calling SageMaker StopPipelineExecution \
         (wall time, peak RSS of one process; load average {}):\n",
        load_average()
    );
    println!("| profile | program | crates | build | peak memory | faster than aws-sdk | memory against aws-sdk |");
    println!("|---|---|---|---|---|---|---|");
    for (profile, p, crates, build) in &rows {
        let sdk = rows
            .iter()
            .find(|(pr, q, _, _)| pr == profile && q.dir == "sdk")
            .map(|(_, _, _, b)| b);
        let (faster, memory) = match sdk {
            Some(s) => (
                format!("{:.1}x", s.seconds / build.seconds.max(0.01)),
                format!("{:.2}", build.peak_kib as f64 / s.peak_kib.max(1) as f64),
            ),
            None => ("?".into(), "?".into()),
        };
        println!(
            "| {profile} | {} | {crates} | {:.1} s | {:.0} MiB | {faster} | {memory} |",
            p.label,
            build.seconds,
            mib(build.peak_kib),
        );
    }
    Ok(())
}

/// The 1-minute load average, as `/proc/loadavg` gives it.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}
