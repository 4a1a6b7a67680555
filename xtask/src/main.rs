//! `cargo xtask`: the command line around the `codegen` library. All file
//! I/O of the project lives here.
//!
//! ```text
//! cargo xtask codegen [--check] [--deny-breaking]
//! cargo xtask models slice [--from DIR]
//! cargo xtask models extract FILE --operations A,B --out OUT
//! cargo xtask generate --model FILE (--operations A,B | --all) --out DIR [--service ID] [--module NAME] [--name CRATE] [--protocol NAME]
//! cargo xtask protocol-tests
//! cargo xtask whole-services [--only NAME,..] [--no-clippy] [--no-differential]
//! cargo xtask bench-compile
//! cargo xtask e2e
//! cargo xtask endpoint-tests [--model FILE...]
//! cargo xtask fuzz [--seconds N] [--seed N] [--dev]
//! cargo xtask catalogue --models DIR [--check] [--only NAME,..] [--no-docs]
//! ```
//!
//! `codegen` and `models slice` work on the project root: the workspace, or
//! the directory named by `$XTASK_ROOT`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{CrateSpec, Loaded, Options, Selection, ServiceSpec};

mod bench_client;
mod bench_compile;
mod bench_upload;
mod bench_whole;
mod catalogue;
mod diff;
mod e2e;
mod endpoint_tests;
mod fuzz;
mod protocol_tests;
mod whole_services;

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--deny-breaking]
                                       regenerate generated/ from models/selection.json, with a short report
                                       of API changes against the committed models (--deny-breaking: fail
                                       on a breaking one)
  cargo xtask models slice [--from DIR]
                                       rewrite the model slices in models/ from the upstream models in DIR
                                       (default: models/upstream of the shared directory) and say which
                                       selected operations changed
  cargo xtask models extract FILE --operations A,B --out OUT
                                       a slice of one model file: the service and the closure of the
                                       operations, documentation removed (shapes and traits only)
  cargo xtask models diff OLD NEW [--operations A,B]
                                       what changed in the generated API between two model files:
                                       operations, types, members, enum values, errors, paginators and
                                       waiters, each breaking or compatible, and the version it implies
  cargo xtask test [ARGS]              run every test (installs botocore and moto from PyPI if missing);
                                       ARGS go to `cargo test`; then runs protocol-tests, endpoint-tests,
                                       whole-services and e2e
  cargo xtask SUBCOMMAND --help        one subcommand's usage
  cargo xtask protocol-tests           generate a protocol-test crate per protocol under target/protocol-tests,
                                       run the Smithy compliance cases, report passed/total
  cargo xtask whole-services [--only NAME,..] [--no-clippy] [--no-differential]
                                       generate every operation of the upstream and history models under
                                       target/whole-services, clippy each crate (time, peak memory), and
                                       compare the upstream crates with botocore (tests/oracle/differential.py)
  cargo xtask e2e [--only SUITE,..]    the end-to-end suites of the client: the SigV4 test suite, SigV4
                                       against botocore, fault injection, moto's server as AWS, and
                                       every waiter of both models against a scripted server;
                                       one `suite: passed/total` line each (part of `cargo xtask test`);
                                       --only picks suites: signing, botocore, faults, moto, waiters
  cargo xtask endpoint-tests [--model FILE...]
                                       resolve every smithy.rules#endpointTests case of the model files
                                       (default: the upstream, history and other-protocol models of the
                                       shared directory) with the generated resolvers; passed/total per service
  cargo xtask fuzz [--seconds N] [--seed N] [--dev]
                                       fuzz the JSON reader, both response parsers, the server request
                                       parser, the model loader, the endpoint resolver, the XML parser and
                                       STS's AssumeRole parser (release build, default 600 s;
                                       `cargo xtask test` runs 10 s with --dev)
  cargo xtask catalogue --models DIR [--check] [--only NAME,..] [--no-docs]
                                       every model file under DIR (aws/api-models-aws) generated with
                                       every operation under target/catalogue; --check also runs
                                       `cargo clippy --all-features -- -D warnings` on each; prints
                                       `generated N/M, checked K/M` and every failure (takes hours)
  cargo xtask bench-client             the client beside aws-sdk-rust: build cost of a StopReplication
                                       program, CPU per call and throughput against a loopback server
                                       (see BENCHMARKS.md; takes minutes)
  cargo xtask bench-upload [--mib N]   a file of N MiB (default 1024) uploaded with S3 PutObject from the
                                       generated blocking and async clients and from botocore to a loopback
                                       server that verifies every chunk signature: time and peak memory
                                       (fails over 100 MiB; see BENCHMARKS.md)
  cargo xtask bench-compile [--only dms|sagemaker]
                                       clean debug and release builds of generated/ and of the published
                                       aws-sdk-databasemigration (time, peak memory, ratio), and lines
                                       of generated code per operation; then a program calling SageMaker
                                       StopPipelineExecution on a crate with every SageMaker operation, on
                                       one with that operation, and on aws-sdk-sagemaker (see BENCHMARKS.md)
  cargo xtask generate --model FILE (--operations A,B | --all) --out DIR
                       [--service ID] [--module NAME] [--name CRATE] [--no-docs] [--force]
                       [--protocol NAME]
                                       generate a standalone crate from any awsJson, REST, query-protocol or rpcv2Cbor
                                       model (--protocol picks one a service declares besides its first); DIR must be
                                       empty or written by generate (--force writes into any directory
                                       but never deletes a file generate did not write)
  XTASK_ROOT=DIR                       run `codegen` and `models slice` on DIR instead of the workspace";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The shared directory (reference models, the SigV4 suite, AWS data):
/// `$SLIM_SHARED`, else `../shared` beside the project root. The one
/// setting every test and command that reads it goes through.
pub(crate) fn shared_dir(root: &Path) -> PathBuf {
    match std::env::var_os("SLIM_SHARED").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => root.join("../shared"),
    }
}

/// Overrides the project root (the directory holding `models/` and
/// `generated/`); tests point it at a scratch copy.
const ROOT_ENV: &str = "XTASK_ROOT";

/// The project root: `$XTASK_ROOT`, or the workspace root (the parent of
/// this crate's directory).
fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os(ROOT_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The lines of [`USAGE`] about one subcommand (its line and the indented
/// lines that continue it); `None` for an unknown subcommand.
fn sub_usage(sub: &str) -> Option<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in USAGE.lines().skip(1) {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("cargo xtask ") {
            inside = rest == sub
                || rest.starts_with(&format!("{sub} "))
                || (sub == "models" && rest.starts_with("models "));
        } else if !line.starts_with("      ") {
            inside = false;
        }
        if inside {
            out.push(line);
        }
    }
    (!out.is_empty()).then(|| format!("usage:\n{}", out.join("\n")))
}

fn run(args: &[String]) -> Result<(), String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    // `cargo xtask SUB --help` (or -h, anywhere after SUB): that
    // subcommand's usage, exit 0.
    if let [sub, rest @ ..] = words.as_slice() {
        if rest.iter().any(|w| *w == "--help" || *w == "-h") {
            return match sub_usage(sub) {
                Some(text) => {
                    println!("{text}");
                    Ok(())
                }
                None => Err(format!("unknown subcommand `{sub}`\n{USAGE}")),
            };
        }
    }
    match words.as_slice() {
        ["codegen"] => codegen(&root(), false, false),
        ["codegen", "--check"] => codegen(&root(), true, false),
        ["codegen", "--deny-breaking"] => codegen(&root(), false, true),
        ["codegen", "--check", "--deny-breaking"] | ["codegen", "--deny-breaking", "--check"] => {
            codegen(&root(), true, true)
        }
        ["models", "slice", "--from", dir] => slice_models(&root(), Path::new(dir)),
        ["models", "diff", rest @ ..] => diff::run(&root(), rest),
        ["models", "extract", model, "--operations", ops, "--out", out] => {
            extract_model(Path::new(model), ops, Path::new(out))
        }
        ["models", "slice"] => {
            let root = root();
            let from = shared_dir(&root).join("models/upstream");
            slice_models(&root, &from)
        }
        ["generate", rest @ ..] => generate(rest),
        ["test", rest @ ..] => test(&root(), rest),
        ["protocol-tests"] => protocol_tests::run(),
        ["whole-services", rest @ ..] => whole_services::run(&root(), rest),
        ["bench-compile"] => bench_compile::run(&root()).and_then(|()| bench_whole::run(&root())),
        ["bench-compile", "--only", "dms"] => bench_compile::run(&root()),
        ["bench-compile", "--only", "sagemaker"] => bench_whole::run(&root()),
        ["e2e"] => e2e::run(&root(), &[]),
        ["e2e", "--only", only] => e2e::run(&root(), &only.split(',').collect::<Vec<_>>()),
        ["endpoint-tests", rest @ ..] => endpoint_tests::run(&root(), rest),
        ["fuzz", rest @ ..] => fuzz::run(&root(), rest),
        ["bench-client"] => bench_client::run(&root()),
        ["bench-upload", rest @ ..] => bench_upload::run(&root(), rest),
        ["catalogue", rest @ ..] => catalogue::run(&root(), rest),
        ["help"] | ["--help"] | ["-h"] | [] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unrecognised arguments {words:?}\n{USAGE}")),
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn load_selection(root: &Path) -> Result<Selection, String> {
    let rel = "models/selection.json";
    let text = fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    Selection::parse(rel, &text).map_err(|e| e.to_string())
}

/// Generates the crate selected in `models/` into `generated/`.
/// What the selection's models changed in the API since the committed
/// ones (`git show HEAD:models/...`), in short; whether anything breaks.
/// Nothing to say outside a git checkout or for a model not yet committed.
fn api_report(root: &Path, selection: &Selection, new: &[codegen::ir::Service]) -> bool {
    let mut breaking = false;
    for (spec, new_svc) in selection.services.iter().zip(new) {
        let rel = format!("models/{}", spec.model);
        let Ok(out) = std::process::Command::new("git")
            .current_dir(root)
            .args(["show", &format!("HEAD:{rel}")])
            .output()
        else {
            return false;
        };
        if !out.status.success() {
            continue;
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let Ok(old) = Loaded::from_text(&rel, &text)
            .and_then(|m| codegen::lower_service(&m, spec, &Options::default()))
        else {
            continue;
        };
        let changes = codegen::diff::diff_services(&old, new_svc);
        if changes.is_empty() {
            continue;
        }
        let (text, b) = diff::report(&changes, &selection.krate.version, true);
        println!("{} against the committed {rel}:\n{text}", spec.module);
        breaking |= b;
    }
    breaking
}

fn codegen(root: &Path, check: bool, deny_breaking: bool) -> Result<(), String> {
    let selection = load_selection(root)?;
    let mut models = Vec::new();
    for spec in &selection.services {
        let rel = format!("models/{}", spec.model);
        let text = fs::read_to_string(root.join(&rel)).map_err(|e| {
            format!(
                "{rel}: {e} (the model of module `{}` in models/selection.json)",
                spec.module
            )
        })?;
        models.push(Loaded::from_text(&rel, &text).map_err(|e| e.to_string())?);
    }
    let pairs: Vec<(&ServiceSpec, &Loaded)> =
        selection.services.iter().zip(models.iter()).collect();
    let generated =
        codegen::generate(&selection.krate, &pairs, &Options::default()).map_err(|e| match e {
            codegen::Error::UnknownOperation { .. } => format!(
                "{e} (a slice in models/ holds only the operations it was cut for: after \
                 adding one to models/selection.json, run `cargo xtask models slice`)"
            ),
            e => e.to_string(),
        })?;
    if api_report(root, &selection, &generated.services) && deny_breaking {
        return Err(
            "breaking changes to the generated API (above); --deny-breaking refuses them".into(),
        );
    }
    let files = generated.files;
    let dir = root.join("generated");
    if check {
        let problems = stale_files(&dir, &files)?;
        if problems.is_empty() {
            println!("generated/ is up to date ({} files)", files.len());
            return Ok(());
        }
        return Err(format!(
            "generated/ is stale; run `cargo xtask codegen` and commit:\n{}",
            problems
                .iter()
                .map(|p| format!("  {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let changed = write_tree(&dir, &files)?;
    println!("generated/: {} files, {changed} changed", files.len());
    Ok(())
}

/// Files under `dir` that are not owned by the generator: kept as they are.
fn is_foreign(rel: &str) -> bool {
    !(rel == "Cargo.toml" || rel.starts_with("src/"))
}

/// Every file under `dir`, relative, with `/` separators.
fn list_files(dir: &Path) -> Result<BTreeSet<String>, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) -> Result<(), String> {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// Stale, missing and leftover files, one description each.
fn stale_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for (rel, text) in files {
        match fs::read(dir.join(rel)) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => problems.push(format!("stale: {rel}")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!("missing: {rel}"))
            }
            Err(e) => problems.push(format!("unreadable: {rel}: {e}")),
        }
    }
    for rel in list_files(dir)? {
        if !files.contains_key(&rel) && !is_foreign(&rel) {
            problems.push(format!("no longer generated: {rel}"));
        }
    }
    Ok(problems)
}

/// Writes `files` under `dir`: only changed files are rewritten, files the
/// generator no longer emits are removed. Everything is generated in memory
/// before this runs, so a failed generation never touches `dir`. Changed
/// files are first all written to temporary siblings; only when every one
/// is written are they renamed into place, so a failed write (disk full,
/// permissions) leaves `dir` as it was too.
fn write_tree(dir: &Path, files: &BTreeMap<String, String>) -> Result<usize, String> {
    write_tree_owning(dir, files, &|rel| !is_foreign(rel))
}

/// [`write_tree`], deleting only the files `may_delete` says the generator
/// wrote.
fn write_tree_owning(
    dir: &Path,
    files: &BTreeMap<String, String>,
    may_delete: &dyn Fn(&str) -> bool,
) -> Result<usize, String> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut created: Vec<PathBuf> = Vec::new();
    let mut stage = |path: PathBuf, text: &str| -> Result<(), String> {
        if let Some(parent) = path.parent() {
            let mut missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            created.extend(missing);
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp~");
        let tmp = path.with_file_name(name);
        // Recorded first, so a partial write is cleaned up too.
        staged.push((tmp.clone(), path));
        fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))
    };
    let mut result = Ok(());
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read(&path).is_ok_and(|existing| existing == text.as_bytes()) {
            continue;
        }
        result = stage(path, text);
        if result.is_err() {
            break;
        }
    }
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        for d in created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        return Err(e);
    }
    let mut changed = 0;
    for (tmp, path) in &staged {
        fs::rename(tmp, path).map_err(|e| format!("{}: {e}", path.display()))?;
        changed += 1;
    }
    for rel in list_files(dir)? {
        if !files.contains_key(&rel) && may_delete(&rel) {
            let path = dir.join(&rel);
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            changed += 1;
        }
    }
    remove_empty_dirs(&dir.join("src"));
    Ok(changed)
}

fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                remove_empty_dirs(&entry.path());
                let _ = fs::remove_dir(entry.path()); // fails (harmlessly) unless empty
            }
        }
    }
}

/// Rewrites each selected service's slice from the upstream model in `from`.
fn slice_models(root: &Path, from: &Path) -> Result<(), String> {
    let selection = load_selection(root)?;
    let mut out = Vec::new();
    for spec in &selection.services {
        let upstream = spec.upstream.as_ref().ok_or_else(|| {
            format!(
                "models/selection.json: module `{}` names no `upstream` model",
                spec.module
            )
        })?;
        let path = from.join(upstream);
        let text = read(&path)?;
        let slice = codegen::slice(
            &path.display().to_string(),
            &text,
            spec.service.as_deref(),
            &spec.operations,
        )
        .map_err(|e| e.to_string())?;
        // Which selected operations the new slice changes: each one's own
        // closure, cut from the old slice and from the new.
        let path_out = root.join("models").join(&spec.model);
        let old = fs::read_to_string(&path_out).ok();
        for op in &spec.operations {
            let one = std::slice::from_ref(op);
            let cut = |t: &str| codegen::slice("slice", t, spec.service.as_deref(), one).ok();
            let verdict = match old.as_deref().map(cut) {
                None | Some(None) => "new in the slice",
                Some(before) if before == cut(&slice) => "unchanged",
                Some(_) => "changed",
            };
            println!("{}.{op}: {verdict}", spec.module);
        }
        out.push((path_out, slice));
    }
    // Only write once every slice succeeded.
    for (path, text) in out {
        if fs::read_to_string(&path).is_ok_and(|existing| existing == text) {
            println!("{}: unchanged", path.display());
            continue;
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("{}: written", path.display());
    }
    Ok(())
}

/// `cargo xtask generate`: a standalone crate from any model file.
fn generate(args: &[&str]) -> Result<(), String> {
    let mut model = None;
    let mut out = None;
    let mut operations = Vec::new();
    let mut all = false;
    let mut service = None;
    let mut module = None;
    let mut name = None;
    let mut docs = true;
    let mut force = false;
    let mut protocol = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .map(|s| s.to_string())
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match *arg {
            "--model" => model = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--operations" => {
                operations = value()?
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            }
            "--all" => all = true,
            "--service" => service = Some(value()?),
            "--module" => module = Some(value()?),
            "--name" => name = Some(value()?),
            "--no-docs" => docs = false,
            "--force" => force = true,
            "--protocol" => protocol = Some(value()?),
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
    }
    let model = model.ok_or_else(|| format!("--model is required\n{USAGE}"))?;
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    if all != operations.is_empty() {
        return Err(format!(
            "give exactly one of --operations and --all\n{USAGE}"
        ));
    }
    // What an earlier `generate` wrote here; a directory it did not write
    // is refused (or, with --force, written into without deleting anything).
    let owned = generated_by_us(&out)?;
    if owned.is_none() && !force {
        let foreign: Vec<String> = list_files(&out)?.into_iter().take(5).collect();
        if !foreign.is_empty() {
            return Err(format!(
                "{} is not empty and `cargo xtask generate` did not write it (no {GENERATE_MARKER}; it holds {}); \
                 pick an empty directory, or pass --force to write into it (files it did not write are never deleted)",
                out.display(),
                foreign.join(", ")
            ));
        }
    }
    let owned = owned.unwrap_or_default();
    let started = std::time::Instant::now();
    let text = read(&model)?;
    let file = model.display().to_string();
    let loaded = Loaded::from_text(&file, &text).map_err(|e| e.to_string())?;
    let service_id = loaded
        .service_id(service.as_deref())
        .map_err(|e| e.to_string())?;
    let default_module = codegen::default_module_name(&loaded, &service_id);
    let spec = ServiceSpec {
        module: module.unwrap_or(default_module),
        model: file.clone(),
        upstream: None,
        service: Some(service_id),
        operations,
        all,
        protocol,
    };
    let krate = CrateSpec {
        name: name.unwrap_or_else(|| format!("{}-slim", spec.module.replace('_', "-"))),
        version: "0.1.0".into(),
    };
    let options = Options {
        command: "cargo xtask generate".into(),
        model_docs: docs,
        standalone: true,
        runtime_tests: false,
    };
    let generated =
        codegen::generate(&krate, &[(&spec, &loaded)], &options).map_err(|e| e.to_string())?;
    for svc in &generated.services {
        for skipped in &svc.skipped {
            eprintln!(
                "left out {}: {} (listed in the module docs too)",
                skipped.name, skipped.reason
            );
        }
        for l in &svc.left_out {
            eprintln!(
                "warning: left out {}: {} (listed in the module docs too)",
                l.what, l.reason
            );
        }
    }
    let mut files = generated.files;
    let mut marker = String::from(
        "# Written by `cargo xtask generate`: the files it owns here, which a later run may\n\
         # replace or delete. Every other file in this directory is left alone.\n",
    );
    for path in files.keys() {
        marker.push_str(path);
        marker.push('\n');
    }
    files.insert(GENERATE_MARKER.into(), marker);
    let changed = write_tree_owning(&out, &files, &|rel| owned.contains(rel))?;
    let lines: usize = files.values().map(|t| t.lines().count()).sum();
    println!(
        "{}: {} files ({lines} lines), {changed} changed, in {:.2?}",
        out.display(),
        files.len(),
        started.elapsed()
    );
    Ok(())
}

/// Generates the operations `operations` (every operation when it is
/// empty) of the model file `model` as a standalone crate called `name`
/// into `dir` (module `module`, else the model's own name), and returns
/// what was generated.
#[allow(clippy::too_many_arguments)]
pub(crate) fn generate_whole(
    model: &Path,
    module: Option<&str>,
    protocol: Option<&str>,
    name: &str,
    docs: bool,
    command: &str,
    dir: &Path,
    operations: &[&str],
) -> Result<codegen::Generated, String> {
    let text = read(model)?;
    let file = model.display().to_string();
    let loaded = Loaded::from_text(&file, &text).map_err(|e| e.to_string())?;
    let service = loaded.service_id(None).map_err(|e| e.to_string())?;
    let module = match module {
        Some(m) => m.to_string(),
        None => codegen::default_module_name(&loaded, &service),
    };
    let spec = ServiceSpec {
        module,
        model: file,
        upstream: None,
        service: Some(service),
        operations: operations.iter().map(|o| o.to_string()).collect(),
        all: operations.is_empty(),
        protocol: protocol.map(String::from),
    };
    let krate = CrateSpec {
        name: name.to_string(),
        version: "0.1.0".into(),
    };
    let options = Options {
        command: command.into(),
        model_docs: docs,
        standalone: true,
        runtime_tests: false,
    };
    let generated =
        codegen::generate(&krate, &[(&spec, &loaded)], &options).map_err(|e| e.to_string())?;
    write_tree(dir, &generated.files)?;
    Ok(generated)
}

/// `cargo xtask models extract`: writes the slice of `model` for `ops`
/// (comma-separated) to `out`, refusing to replace a file that is not a
/// JSON model.
fn extract_model(model: &Path, ops: &str, out: &Path) -> Result<(), String> {
    let text = read(model)?;
    let operations: Vec<String> = ops
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let slice = codegen::slice(&model.display().to_string(), &text, None, &operations)
        .map_err(|e| e.to_string())?;
    if let Ok(old) = fs::read_to_string(out) {
        let is_model = serde_json::from_str::<serde_json::Value>(&old)
            .is_ok_and(|v| v.get("shapes").is_some());
        if !is_model {
            return Err(format!(
                "{} exists and is not a model; not replacing it",
                out.display()
            ));
        }
    }
    fs::write(out, slice).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{}: {} operations", out.display(), operations.len());
    Ok(())
}

/// The file `cargo xtask generate` leaves in its output directory, listing
/// the files it wrote.
const GENERATE_MARKER: &str = ".smithy-slim-generated";

/// The files an earlier `generate` wrote in `dir` (from its marker), or
/// `None` when there is no marker.
fn generated_by_us(dir: &Path) -> Result<Option<BTreeSet<String>>, String> {
    let path = dir.join(GENERATE_MARKER);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.trim().to_string())
                .chain([GENERATE_MARKER.to_string()])
                .collect(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The cargo running the xtask (`$CARGO`), else `cargo`.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Removes a build directory this tool created once its suite has run, when
/// `CI` is set: the suites build several large crates in target directories
/// of their own, and a CI machine's disk is not sized for all of them at once.
/// Locally the directories stay, so a second run is incremental.
pub(crate) fn reclaim(dir: &Path) {
    if std::env::var_os("CI").is_none() || !dir.exists() {
        return;
    }
    let size = dir_size(dir);
    match std::fs::remove_dir_all(dir) {
        Ok(()) => println!(
            "CI: removed {} ({} MiB) to free disk",
            dir.display(),
            size >> 20
        ),
        Err(e) => println!("CI: could not remove {}: {e}", dir.display()),
    }
}

/// Bytes under `dir` (best effort: unreadable entries count as 0).
fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

/// The Python interpreter for botocore and moto (`$PYTHON`), else `python3`.
pub(crate) fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Runs a command, failing with its description when it does not succeed.
fn run_command(cmd: &mut std::process::Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    println!("$ {shown}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Makes sure a Python module is importable, installing `package` from
/// PyPI when it is not: botocore (the wire-format and signing oracle) and
/// moto (the AWS stand-in of the end-to-end suite).
pub(crate) fn ensure_python_module(module: &str, package: &str) -> Result<(), String> {
    let python = python();
    let has = || {
        std::process::Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has() {
        return Ok(());
    }
    println!("{module} is missing: installing {package} from PyPI");
    run_command(
        std::process::Command::new(&python).args(["-m", "pip", "install", "--quiet", package]),
    )?;
    if has() {
        Ok(())
    } else {
        Err(format!(
            "{module} is still not importable by {python} after pip install {package}"
        ))
    }
}

/// `cargo xtask test`: every test of the project.
fn test(root: &Path, extra: &[&str]) -> Result<(), String> {
    ensure_python_module("botocore", "botocore")?;
    ensure_python_module("moto", "moto[server]")?;
    let cargo = cargo();
    // Each suite timed, the times printed together at the end.
    let mut times: Vec<(&str, std::time::Duration)> = Vec::new();
    let mut timed = |name: &'static str, suite: &mut dyn FnMut() -> Result<(), String>| {
        let started = std::time::Instant::now();
        let result = suite();
        times.push((name, started.elapsed()));
        result
    };
    timed("cargo test --workspace", &mut || {
        run_command(
            std::process::Command::new(&cargo)
                .current_dir(root)
                .args(["test", "--workspace"])
                .args(extra),
        )
    })?;
    timed("protocol-tests", &mut protocol_tests::run)?;
    timed("endpoint-tests", &mut || endpoint_tests::run(root, &[]))?;
    timed("fuzz (10 s each)", &mut || {
        fuzz::run(root, &["--seconds", "10", "--dev"])
    })?;
    timed("whole-services", &mut || whole_services::run(root, &[]))?;
    // The signing, botocore-signing and fault-injection suites are test
    // binaries `cargo test --workspace` has just run: not again.
    timed("e2e (moto, waiters)", &mut || {
        e2e::run(root, &["moto", "waiters"])
    })?;
    println!("\ntest suites:");
    for (name, took) in &times {
        println!("  {name:<24} {:>6.0} s", took.as_secs_f64());
    }
    Ok(())
}
