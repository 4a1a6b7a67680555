//! `cargo xtask models diff OLD NEW [--operations A,B]`: what changed in the
//! generated API between two releases of a model, each change classed by
//! what it does to code using the crate, and the version bump it implies.

use std::path::Path;

use codegen::diff::{diff_services, next_version, Change, Impact};
use codegen::{Loaded, Options, ServiceSpec};

/// Lowers the one service of a model file (every operation, or `ops`).
fn lower(path: &Path, ops: &[String]) -> Result<codegen::ir::Service, String> {
    let text = super::read(path)?;
    let name = path.display().to_string();
    let model = Loaded::from_text(&name, &text).map_err(|e| e.to_string())?;
    let spec = ServiceSpec {
        module: "service".into(),
        model: name,
        upstream: None,
        service: None,
        operations: ops.to_vec(),
        all: ops.is_empty(),
        protocol: None,
    };
    codegen::lower_service(&model, &spec, &Options::default()).map_err(|e| e.to_string())
}

/// The report's lines, and whether anything breaks.
pub(crate) fn report(changes: &[Change], version: &str, short: bool) -> (String, bool) {
    let count = |i: Impact| changes.iter().filter(|c| c.impact == i).count();
    let (b, c, d) = (
        count(Impact::Breaking),
        count(Impact::Compatible),
        count(Impact::Docs),
    );
    let mut out = String::new();
    for ch in changes.iter().filter(|ch| ch.impact != Impact::Docs) {
        if short && ch.impact == Impact::Compatible && c > 20 {
            continue;
        }
        out.push_str(&format!("  {:<10} {}\n", ch.impact.to_string(), ch.what));
    }
    out.push_str(&format!(
        "{b} breaking, {c} compatible, {d} documentation-only; version {version} -> {}\n",
        next_version(version, changes)
    ));
    (out, b > 0)
}

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let usage = "usage: cargo xtask models diff OLD NEW [--operations A,B]";
    let (mut files, mut ops) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--operations" => {
                let list = it
                    .next()
                    .ok_or_else(|| format!("--operations needs a list\n{usage}"))?;
                ops = list
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
            }
            f if !f.starts_with("--") => files.push(f),
            other => return Err(format!("unknown argument `{other}`\n{usage}")),
        }
    }
    let [old, new] = files.as_slice() else {
        return Err(format!("two model files are needed\n{usage}"));
    };
    let old_svc = lower(Path::new(old), &ops)?;
    let new_svc = lower(Path::new(new), &ops)?;
    let changes = diff_services(&old_svc, &new_svc);
    let version = super::load_selection(root)
        .map(|s| s.krate.version)
        .unwrap_or_else(|_| "0.1.0".into());
    println!("{old} -> {new}");
    let (text, _) = report(&changes, &version, false);
    print!("{text}");
    Ok(())
}
