//! `cargo xtask endpoint-tests [--model FILE...]`: every
//! `smithy.rules#endpointTests` case of the given model files (by default
//! the upstream, history and other-protocol models of the shared
//! directory), resolved by the generated resolver.
//!
//! The resolvers (the same `endpoint.rs` the generated crate holds, one per
//! service with a rule set) and the cases go into one binary crate under
//! `target/endpoint-tests/`, which is built warning-free and run; it prints
//! `passed/total` per service and every failing case.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Loaded;

const COMMAND: &str = "cargo xtask endpoint-tests";

/// The default model files: every model of the shared directory that
/// carries endpoint rules (`None`, after a loud warning, when it is absent
/// outside CI).
fn default_models(root: &Path) -> Result<Option<Vec<PathBuf>>, String> {
    let dir = super::shared_dir(root).join("models");
    let mut files = Vec::new();
    for sub in ["upstream", "history", "other-protocols"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        let msg = format!(
            "no models under {}/{{upstream,history,other-protocols}}; set SLIM_SHARED to the shared directory",
            dir.display()
        );
        if std::env::var_os("CI").is_some() {
            return Err(format!("{msg} (CI is set: the endpoint tests must run)"));
        }
        eprintln!("\n!!!!!!!!\n!! {msg}\n!! endpoint tests SKIPPED on this machine\n!!!!!!!!\n");
        return Ok(None);
    }
    Ok(Some(files))
}

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut models = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--model" => {
                let mut any = false;
                while let Some(next) = it.clone().next() {
                    if next.starts_with("--") {
                        break;
                    }
                    models.push(PathBuf::from(next));
                    it.next();
                    any = true;
                }
                if !any {
                    return Err("--model needs at least one model file".into());
                }
            }
            other => {
                return Err(format!(
                    "endpoint-tests: unknown argument `{other}`\nusage: cargo xtask endpoint-tests [--model FILE...]"
                ))
            }
        }
    }
    if models.is_empty() {
        match default_models(root)? {
            Some(found) => models = found,
            None => return Ok(()),
        }
    }
    let started = std::time::Instant::now();
    let mut suites = Vec::new();
    for path in &models {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let model = Loaded::from_text(&name, &text).map_err(|e| e.to_string())?;
        let found = codegen::endpoint_suites(&model).map_err(|e| e.to_string())?;
        if found.is_empty() {
            println!("{name}: no service with an endpoint rule set");
        }
        suites.extend(found);
    }
    if suites.is_empty() {
        return Err("no endpoint rule set in the given models".into());
    }
    let files = codegen::endpoint_test_crate(&suites, COMMAND).map_err(|e| e.to_string())?;
    let dir = root.join("target/endpoint-tests");
    super::write_tree(&dir.join("crate"), &files)?;
    let cargo = super::cargo();
    let status = Command::new(&cargo)
        .current_dir(dir.join("crate"))
        .args(["run", "--quiet"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        // The generated resolvers must build without warnings.
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("{cargo} run in {}: {e}", dir.display()))?;
    super::reclaim(&dir.join("target"));
    println!(
        "endpoint tests: {} services from {} model files in {:.0?}",
        suites.len(),
        models.len(),
        started.elapsed()
    );
    if !status.success() {
        return Err("endpoint tests failed (see above)".into());
    }
    Ok(())
}
