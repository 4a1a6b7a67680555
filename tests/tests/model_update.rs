//! Upstream model updates: older releases of the models still slice and
//! generate, and a newer release only adds to the generated API.
//!
//! DMS of 2025-11-17 predates `Replication.IsReadOnly`; the current upstream
//! model has it. Needs the reference models (`../shared/models` or
//! `$SLIM_SHARED_MODELS`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use codegen::{Loaded, Options, Selection, ServiceSpec};

fn selection() -> Selection {
    let rel = "models/selection.json";
    let text = fs::read_to_string(tests::workspace_root().join(rel)).unwrap();
    Selection::parse(rel, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn spec<'a>(selection: &'a Selection, module: &str) -> &'a ServiceSpec {
    selection
        .services
        .iter()
        .find(|s| s.module == module)
        .unwrap_or_else(|| panic!("no module `{module}` in models/selection.json"))
}

/// Slices a reference model for the selected operations and generates the
/// crate from the slice, as `cargo xtask models slice` + `codegen` would.
fn slice_and_generate(
    selection: &Selection,
    spec: &ServiceSpec,
    shared: &Path,
    rel: &str,
) -> BTreeMap<String, String> {
    let path = shared.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = path.display().to_string();
    let slice = codegen::slice::slice(&file, &text, spec.service.as_deref(), &spec.operations)
        .unwrap_or_else(|e| panic!("slicing {rel}: {e}"));
    let model = Loaded::from_text(&file, &slice).unwrap_or_else(|e| panic!("{rel}: {e}"));
    codegen::generate(&selection.krate, &[(spec, &model)], &Options::default())
        .unwrap_or_else(|e| panic!("generating from {rel}: {e}"))
}

/// The public API surface of a generated crate, as text: every public
/// type (`Type`) and every public field of a struct (`Type.field`).
fn public_api(files: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, text) in files {
        let mut current: Option<(String, usize)> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if let Some((name, at)) = &current {
                if indent == *at && trimmed.starts_with('}') {
                    current = None;
                } else if let Some(rest) = trimmed.strip_prefix("pub ") {
                    if let Some((field, _)) = rest.split_once(':') {
                        if !field.contains(' ') && !field.contains('(') {
                            out.insert(format!("{path}: {name}.{field}"));
                        }
                    }
                }
                continue;
            }
            for kind in ["pub struct ", "pub enum ", "pub type ", "pub trait "] {
                if let Some(rest) = trimmed.strip_prefix(kind) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(format!("{path}: {name}"));
                    if kind == "pub struct " && trimmed.ends_with('{') {
                        current = Some((name, indent));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn a_newer_dms_model_adds_is_read_only_and_removes_nothing() {
    let Some(shared) = tests::shared_models() else {
        return;
    };
    let selection = selection();
    let dms = spec(&selection, "dms");
    let old = slice_and_generate(
        &selection,
        dms,
        &shared,
        "history/database-migration-service-2016-01-01.2025-11-17.json",
    );
    let new = slice_and_generate(
        &selection,
        dms,
        &shared,
        "upstream/database-migration-service-2016-01-01.json",
    );
    let types = "src/dms/types.rs";
    assert!(
        !old[types].contains("is_read_only"),
        "the 2025-11-17 model has no Replication.IsReadOnly"
    );
    assert!(new[types].contains("pub is_read_only:"));
    assert!(new[types].contains("`IsReadOnly`"));

    let old_api = public_api(&old);
    let new_api = public_api(&new);
    assert!(
        old_api.iter().any(|n| n.ends_with(": Replication")),
        "{old_api:?}"
    );
    assert!(
        old_api
            .iter()
            .any(|n| n.ends_with(": Replication.replication_config_arn")),
        "{old_api:?}"
    );
    let removed: Vec<&String> = old_api.difference(&new_api).collect();
    assert!(
        removed.is_empty(),
        "the update removed public API: {removed:?}"
    );
    let added: Vec<&String> = new_api.difference(&old_api).collect();
    assert!(
        added.contains(&&format!("{types}: Replication.is_read_only")),
        "{added:?}"
    );
}

#[test]
fn the_oldest_releases_still_generate() {
    let Some(shared) = tests::shared_models() else {
        return;
    };
    let selection = selection();
    for (module, rel) in [
        (
            "dms",
            "history/database-migration-service-2016-01-01.2025-05-20.json",
        ),
        ("sagemaker", "history/sagemaker-2017-07-24.2025-05-20.json"),
    ] {
        let files = slice_and_generate(&selection, spec(&selection, module), &shared, rel);
        for f in ["mod.rs", "types.rs", "operations.rs", "json.rs"] {
            assert!(
                files.contains_key(&format!("src/{module}/{f}")),
                "{rel}: no {f}"
            );
        }
    }
}
