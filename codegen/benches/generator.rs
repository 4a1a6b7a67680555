//! Generator benchmarks, each stage beside its floor: `serde_json` parsing
//! the same model file into a `serde_json::Value`.
//!
//! (a) `selection/*`: the operations of `models/selection.json`, generated
//!     from the FULL upstream models (not the slices in `models/`).
//! (b) `all/*`: every operation of each service.
//!
//! Stages: `floor` (serde_json → Value), `load` (parse + load),
//! `select` (service, operation resolution and shape closure), `lower`
//! (to the IR; it resolves the selection again), `emit` (tokens, one
//! thread), `format` (syn + prettyplease, one thread), `emit+format`
//! (`emit::emit_service`, as `generate` runs it: both, in runs of items, on
//! every core) and `end-to-end` (load + lower + emit + format).
//!
//! The upstream models are found in `$SLIM_SHARED/models/upstream` or
//! `../shared/models/upstream` beside the workspace; when they are absent
//! the benchmarks say so loudly and skip.
//!
//! ```text
//! cargo bench -p codegen --bench generator
//! cargo bench -p codegen --bench generator -- selection   # only (a)
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput};

use codegen::bench as emit;
use codegen::{ir, Loaded, Options, Selection, ServiceSpec};

fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// `$SLIM_SHARED/models/upstream`, else `../shared/models/upstream`.
fn upstream_dir() -> Option<PathBuf> {
    let models = match std::env::var_os("SLIM_SHARED").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("models"),
        None => workspace_root().join("../shared/models"),
    };
    let dir = models.join("upstream");
    if dir.is_dir() {
        return Some(dir);
    }
    eprintln!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! upstream models not found at {}\n\
         !! set SLIM_SHARED to the shared directory;\n\
         !! the generator benchmarks are SKIPPED.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
        dir.display()
    );
    None
}

/// One service of the selection with the text of its full upstream model.
struct Input {
    spec: ServiceSpec,
    file: String,
    text: String,
}

fn inputs(upstream: &Path) -> Vec<Input> {
    let rel = "models/selection.json";
    let path = workspace_root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let selection = Selection::parse(rel, &text).unwrap_or_else(|e| panic!("{e}"));
    selection
        .services
        .into_iter()
        .map(|spec| {
            let name = spec
                .upstream
                .clone()
                .unwrap_or_else(|| panic!("{rel}: module `{}` names no upstream", spec.module));
            let path = upstream.join(&name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Input {
                spec,
                file: path.display().to_string(),
                text,
            }
        })
        .collect()
}

fn load(input: &Input) -> Loaded {
    Loaded::from_text(&input.file, &input.text).unwrap_or_else(|e| panic!("{e}"))
}

/// The selection stage on its own: the service, its operations, the shapes
/// they reach.
fn select(model: &Loaded, spec: &ServiceSpec) -> usize {
    let service = model
        .service_id(spec.service.as_deref())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut roots: Vec<String> = if spec.all {
        model
            .operations(&service)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_values()
            .collect()
    } else {
        model
            .resolve_operations(&service, &spec.operations)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    roots.extend(
        model
            .service_errors(&service)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    model.closure(roots.iter().map(String::as_str)).len()
}

fn lower(model: &Loaded, spec: &ServiceSpec) -> ir::Service {
    codegen::lower_service(model, spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn format(tokens: Vec<(String, proc_macro2::TokenStream)>) -> usize {
    tokens
        .into_iter()
        .map(|(path, t)| {
            emit::format_file(&path, t)
                .unwrap_or_else(|e| panic!("{e}"))
                .len()
        })
        .sum()
}

fn emit_and_format(svc: &ir::Service) -> usize {
    emit::emit_service(svc)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|(_, text)| text.len())
        .sum()
}

/// Every stage for one service: `group` is `selection/<module>` or `all/<module>`.
fn stages(g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, input: &Input) {
    let spec = &input.spec;
    let model = load(input);
    let svc = lower(&model, spec);
    let lines: usize = emit::emit_service(&svc)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|(_, text)| text.lines().count())
        .sum();
    eprintln!(
        "{}: {} operations, {} types, {lines} lines of generated code (model {} bytes)",
        spec.module,
        svc.operations.len(),
        svc.types.len(),
        input.text.len()
    );
    g.throughput(Throughput::Bytes(input.text.len() as u64));
    g.bench_function("floor", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(&input.text).expect("valid JSON"))
    });
    g.bench_function("load", |b| b.iter(|| load(input)));
    g.bench_function("select", |b| b.iter(|| select(&model, spec)));
    g.bench_function("lower", |b| b.iter(|| lower(&model, spec)));
    g.bench_function("emit", |b| b.iter(|| emit::emit_service_tokens(&svc)));
    g.bench_function("format", |b| {
        b.iter_batched(
            || emit::emit_service_tokens(&svc),
            format,
            BatchSize::PerIteration,
        )
    });
    g.bench_function("emit+format", |b| b.iter(|| emit_and_format(&svc)));
    g.bench_function("end-to-end", |b| {
        b.iter(|| emit_and_format(&lower(&load(input), spec)))
    });
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let Some(upstream) = upstream_dir() else {
        return;
    };
    let inputs = inputs(&upstream);

    // (a) The selection, per service, then the whole crate as `cargo xtask
    // codegen` would build it from the full models, beside both floors.
    for input in &inputs {
        let mut g = c.benchmark_group(format!("selection/{}", input.spec.module));
        stages(&mut g, input);
        g.finish();
    }
    {
        let mut g = c.benchmark_group("selection/crate");
        g.bench_function("floor", |b| {
            b.iter(|| {
                inputs
                    .iter()
                    .map(|i| serde_json::from_str(&i.text).expect("valid JSON"))
                    .collect::<Vec<serde_json::Value>>()
            })
        });
        let krate = codegen::CrateSpec {
            name: "aws-slim".into(),
            version: "0.1.0".into(),
        };
        g.bench_function("end-to-end", |b| {
            b.iter(|| {
                let models: Vec<Loaded> = inputs.iter().map(load).collect();
                let pairs: Vec<(&ServiceSpec, &Loaded)> =
                    inputs.iter().map(|i| &i.spec).zip(&models).collect();
                codegen::generate(&krate, &pairs, &Options::default())
                    .unwrap_or_else(|e| panic!("{e}"))
                    .files
                    .len()
            })
        });
        g.finish();
    }

    // (b) Every operation: iterations take up to seconds, so few flat samples.
    for input in &inputs {
        let all = Input {
            spec: ServiceSpec {
                operations: Vec::new(),
                all: true,
                ..input.spec.clone()
            },
            file: input.file.clone(),
            text: input.text.clone(),
        };
        let mut g = c.benchmark_group(format!("all/{}", input.spec.module));
        g.sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        stages(&mut g, &all);
        g.finish();
    }
    c.final_summary();
}
