//! `cargo xtask fuzz [--seconds N] [--seed N] [--dev]`: the structure-aware
//! random fuzzer of `tests/examples/fuzz.rs` for a fixed time budget
//! (release build unless `--dev`, which `cargo xtask test` uses for its
//! short smoke run). Findings are written to `target/fuzz/findings/` and
//! fail the command.

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
    if status.success() {
        Ok(())
    } else {
        Err("the fuzzer found something (see above and target/fuzz/findings/)".into())
    }
}
