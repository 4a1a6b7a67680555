//! `cargo xtask catalogue --models DIR [--check] [--only A,B] [--no-docs]`:
//! the sweep over a directory of service models (every model AWS publishes,
//! in `aws/api-models-aws`). Each model file found under `DIR` is generated
//! with every operation, as `cargo xtask generate --all` writes it, into
//! `target/catalogue/<file stem>/`; with `--check`, each crate is linted
//! with `cargo clippy --all-features -- -D warnings` (which type-checks it
//! with every feature) in one shared target directory. Prints one line per
//! model, every failure with its first error, and `generated N/M, checked
//! K/M`; the same report is written to `target/catalogue/report.txt`.
//! Exits non-zero when a model fails. Long (hours with `--check`): not part
//! of `cargo xtask test`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const USAGE: &str = "cargo xtask catalogue --models DIR [--check] [--only NAME,..] [--no-docs]";

/// One model's outcome.
struct Outcome {
    name: String,
    generated: Result<String, String>,
    checked: Option<Result<(), String>>,
}

/// Every `*.json` file under `dir`, sorted.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Generates one model into `out`; a one-line summary.
fn generate(model: &Path, out: &Path, docs: bool) -> Result<String, String> {
    let stem = model
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("model")
        .to_string();
    // A crate name cargo takes, from any file name.
    let stem: String = stem
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = format!("m-{stem}-slim");
    let generated = super::generate_whole(
        model,
        None,
        None,
        &name,
        docs,
        "cargo xtask catalogue",
        out,
        &[],
    )?;
    let svc = &generated.services[0];
    let lines: usize = generated.files.values().map(|t| t.lines().count()).sum();
    let mut summary = format!("{} operations, {lines} lines", svc.operations.len());
    if !svc.skipped.is_empty() {
        let names: Vec<&str> = svc.skipped.iter().map(|s| s.name.as_str()).collect();
        summary.push_str(&format!(", operations left out: {}", names.join(", ")));
    }
    if !svc.left_out.is_empty() {
        summary.push_str(&format!(
            ", left out: {}",
            svc.left_out
                .iter()
                .map(|l| l.what.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(summary)
}

/// `cargo clippy --all-features -- -D warnings` in `dir`; the first error
/// on failure.
fn check(dir: &Path, target: &Path) -> Result<(), String> {
    let out = Command::new(super::cargo())
        .args([
            "clippy",
            "--quiet",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cargo clippy: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let first: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("error"))
        .take(12)
        .collect();
    Err(if first.is_empty() {
        text.lines().take(12).collect::<Vec<_>>().join("\n")
    } else {
        first.join("\n")
    })
}

pub(crate) fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut models = None;
    let mut lint = false;
    let mut docs = true;
    let mut only: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--models" => models = it.next().map(PathBuf::from),
            "--check" => lint = true,
            "--no-docs" => docs = false,
            "--only" => {
                only = it
                    .next()
                    .ok_or(format!("--only needs a value\n{USAGE}"))?
                    .split(',')
                    .map(String::from)
                    .collect()
            }
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
    }
    let models = models.ok_or(format!("--models DIR is required\n{USAGE}"))?;
    let files: Vec<PathBuf> = model_files(&models)?
        .into_iter()
        .filter(|f| {
            only.is_empty()
                || f.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| only.iter().any(|o| s.starts_with(o.as_str())))
        })
        .collect();
    if files.is_empty() {
        return Err(format!(
            "no model files (*.json) under {}",
            models.display()
        ));
    }
    let base = root.join("target/catalogue");
    let target = root.join("target/catalogue-target");
    let mut outcomes = Vec::new();
    let started = Instant::now();
    for (i, file) in files.iter().enumerate() {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("model")
            .to_string();
        let dir = base.join(&name);
        let t = Instant::now();
        let generated = generate(file, &dir, docs);
        let checked = match (&generated, lint) {
            (Ok(_), true) => Some(check(&dir, &target)),
            _ => None,
        };
        let status = match (&generated, &checked) {
            (Err(_), _) => "generate FAILED",
            (Ok(_), Some(Err(_))) => "check FAILED",
            (Ok(_), Some(Ok(()))) => "checked",
            (Ok(_), None) => "generated",
        };
        let detail = match &generated {
            Ok(s) => s.clone(),
            Err(e) => e.clone(),
        };
        println!(
            "[{}/{}] {name}: {status} in {:.1?} ({detail})",
            i + 1,
            files.len(),
            t.elapsed()
        );
        if let Some(Err(e)) = &checked {
            println!("    {}", e.replace('\n', "\n    "));
        }
        outcomes.push(Outcome {
            name,
            generated,
            checked,
        });
    }
    let total = outcomes.len();
    let generated = outcomes.iter().filter(|o| o.generated.is_ok()).count();
    let checked = outcomes
        .iter()
        .filter(|o| matches!(o.checked, Some(Ok(()))))
        .count();
    let mut report = String::new();
    for o in &outcomes {
        match (&o.generated, &o.checked) {
            (Err(e), _) => report.push_str(&format!("{}: generate: {e}\n", o.name)),
            (Ok(_), Some(Err(e))) => report.push_str(&format!("{}: check: {e}\n", o.name)),
            _ => {}
        }
    }
    let summary = if lint {
        format!("generated {generated}/{total}, checked {checked}/{total}")
    } else {
        format!("generated {generated}/{total} (pass --check to compile and lint them)")
    };
    report.push_str(&format!("{summary} in {:.0?}\n", started.elapsed()));
    std::fs::create_dir_all(&base).map_err(|e| format!("{}: {e}", base.display()))?;
    let path = base.join("report.txt");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\n{report}(also in {})", path.display());
    let failed = generated < total || (lint && checked < total);
    if failed {
        Err(format!(
            "{} of {total} models failed",
            total - if lint { checked } else { generated }
        ))
    } else {
        Ok(())
    }
}
