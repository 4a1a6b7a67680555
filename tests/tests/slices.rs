//! The committed model slices are exactly what slicing the upstream models
//! gives, hold no documentation prose, and generate the same crate as the
//! full upstream models (documentation aside).
//!
//! Needs the reference models (`../shared/models` or `$SLIM_SHARED/models`).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use codegen::{Loaded, Options, Selection, ServiceSpec};
use serde_json::Value;

fn selection() -> Selection {
    let rel = "models/selection.json";
    let text = fs::read_to_string(tests::workspace_root().join(rel)).unwrap();
    Selection::parse(rel, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn committed_slice(spec: &ServiceSpec) -> (String, String) {
    let rel = format!("models/{}", spec.model);
    let text = fs::read_to_string(tests::workspace_root().join(&rel)).unwrap();
    (rel, text)
}

fn upstream(shared: &Path, spec: &ServiceSpec) -> (String, String) {
    let name = spec
        .upstream
        .as_deref()
        .unwrap_or_else(|| panic!("module `{}` names no upstream model", spec.module));
    let path = shared.join("upstream").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path.display().to_string(), text)
}

fn load(file: &str, text: &str) -> Loaded {
    Loaded::from_text(file, text).unwrap_or_else(|e| panic!("{e}"))
}

/// The crate for one service of the selection.
fn generate(
    selection: &Selection,
    spec: &ServiceSpec,
    model: &Loaded,
    model_docs: bool,
) -> BTreeMap<String, String> {
    let options = Options {
        model_docs,
        ..Options::default()
    };
    codegen::generate(&selection.krate, &[(spec, model)], &options)
        .unwrap_or_else(|e| panic!("{e}"))
        .files
}

/// Asserts two generated crates are equal, file by file, after `normalize`.
fn assert_same_crate(
    what: &str,
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
    normalize: impl Fn(&str) -> String,
) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    for (path, text) in a {
        let (x, y) = (normalize(text), normalize(&b[path]));
        if x != y {
            let line = x
                .lines()
                .zip(y.lines())
                .position(|(l, r)| l != r)
                .unwrap_or_else(|| x.lines().count().min(y.lines().count()));
            panic!(
                "{what}: {path} differs at line {}:\n  {:?}\n  {:?}",
                line + 1,
                x.lines().nth(line),
                y.lines().nth(line)
            );
        }
    }
}

/// Drops doc comment lines (`///`, `//!`).
fn without_docs(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("///") || t.starts_with("//!"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn slicing_upstream_reproduces_the_committed_slices() {
    let Some(shared) = tests::shared_models() else {
        return;
    };
    let selection = selection();
    for spec in &selection.services {
        let (file, text) = upstream(&shared, spec);
        let sliced = codegen::slice(&file, &text, spec.service.as_deref(), &spec.operations)
            .unwrap_or_else(|e| panic!("{e}"));
        let (rel, committed) = committed_slice(spec);
        assert!(
            sliced == committed,
            "{rel} differs from the slice of {file}; run `cargo xtask models slice --from {}` and commit",
            shared.join("upstream").display()
        );
    }
}

#[test]
fn upstream_and_slice_generate_the_same_crate() {
    let Some(shared) = tests::shared_models() else {
        return;
    };
    let selection = selection();
    for spec in &selection.services {
        let (file, text) = upstream(&shared, spec);
        let full = load(&file, &text);
        let (rel, slice_text) = committed_slice(spec);
        let slice = load(&rel, &slice_text);

        let from_slice = generate(&selection, spec, &slice, false);
        let from_upstream = generate(&selection, spec, &full, false);
        assert_same_crate(
            &format!("{} without docs", spec.module),
            &from_upstream,
            &from_slice,
            str::to_string,
        );

        // With model documentation only doc comments differ.
        let documented = generate(&selection, spec, &full, true);
        assert_same_crate(
            &format!("{} with docs", spec.module),
            &documented,
            &from_slice,
            without_docs,
        );
        assert_ne!(
            documented, from_slice,
            "{}: upstream documentation should reach the docs",
            spec.module
        );
        // The slice has nothing for documentation to come from.
        assert_eq!(generate(&selection, spec, &slice, true), from_slice);
    }
}

/// Every object key anywhere in a JSON value, with its path.
fn keys(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                out.push((path.to_string(), k.clone()));
                keys(inner, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                keys(inner, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn committed_slices_hold_no_documentation() {
    for spec in &selection().services {
        let (rel, text) = committed_slice(spec);
        for prose in ["smithy.api#documentation", "smithy.api#examples"] {
            assert!(!text.contains(prose), "{rel} contains `{prose}`");
        }
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut all = Vec::new();
        keys(&doc, "", &mut all);
        assert!(all.len() > 100, "{rel}: suspiciously small");
        for (path, key) in &all {
            assert!(
                key != "documentation" && key != "smithy.api#documentation",
                "{rel}: documentation at {path}/{key}"
            );
        }
    }
}
