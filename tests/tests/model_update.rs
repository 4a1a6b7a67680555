//! Upstream model updates: older releases of the models still slice and
//! generate, and a newer release only adds to the generated API.
//!
//! DMS of 2025-11-17 predates `Replication.IsReadOnly`; the current upstream
//! model has it. Needs the reference models (`../shared/models` or
//! `$SLIM_SHARED/models`).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use codegen::ir::TypeDef;
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
) -> codegen::Generated {
    let path = shared.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = path.display().to_string();
    let slice = codegen::slice(&file, &text, spec.service.as_deref(), &spec.operations)
        .unwrap_or_else(|e| panic!("slicing {rel}: {e}"));
    let model = Loaded::from_text(&file, &slice).unwrap_or_else(|e| panic!("{rel}: {e}"));
    codegen::generate(&selection.krate, &[(spec, &model)], &Options::default())
        .unwrap_or_else(|e| panic!("generating from {rel}: {e}"))
}

/// The public API surface of a generated crate, read from the IR it was
/// built from: every type (`Type`), struct field (`Type.field`), enum or
/// union variant (`Type::Variant`), operation and error variant.
fn public_api(generated: &codegen::Generated) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for svc in &generated.services {
        let m = &svc.module;
        for t in &svc.types {
            out.insert(format!("{m}::{}", t.name()));
            match t {
                TypeDef::Struct(s) => out.extend(
                    s.fields
                        .iter()
                        .map(|f| format!("{m}::{}.{}", s.name, f.name)),
                ),
                TypeDef::Enum(e) => out.extend(
                    e.variants
                        .iter()
                        .map(|v| format!("{m}::{}::{}", e.name, v.name)),
                ),
                TypeDef::Union(u) => out.extend(
                    u.variants
                        .iter()
                        .map(|v| format!("{m}::{}::{}", u.name, v.name)),
                ),
            }
        }
        for op in &svc.operations {
            out.insert(format!("{m}::{}", op.name));
            out.extend(
                op.errors
                    .iter()
                    .map(|e| format!("{m}::{}::{}", op.error_name, e.variant)),
            );
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
        !old.files[types].contains("is_read_only"),
        "the 2025-11-17 model has no Replication.IsReadOnly"
    );
    assert!(new.files[types].contains("pub is_read_only:"));
    assert!(new.files[types].contains("`IsReadOnly`"));

    let old_api = public_api(&old);
    let new_api = public_api(&new);
    assert!(old_api.contains("dms::Replication"), "{old_api:?}");
    assert!(
        old_api.contains("dms::Replication.replication_config_arn"),
        "{old_api:?}"
    );
    let removed: Vec<&String> = old_api.difference(&new_api).collect();
    assert!(
        removed.is_empty(),
        "the update removed public API: {removed:?}"
    );
    let added: Vec<&String> = new_api.difference(&old_api).collect();
    assert!(
        added == [&"dms::Replication.is_read_only".to_string()],
        "{added:?}"
    );
}

#[test]
fn the_oldest_releases_still_generate_the_selected_api() {
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
        let spec = spec(&selection, module);
        let generated = slice_and_generate(&selection, spec, &shared, rel);
        let [svc] = generated.services.as_slice() else {
            panic!("{rel}: one service expected");
        };
        // Every selected operation is there, with its input, output and errors.
        let names: Vec<&str> = svc
            .operations
            .iter()
            .map(|o| o.wire_name.as_str())
            .collect();
        assert_eq!(names, spec.operations, "{rel}");
        for op in &svc.operations {
            let input = op
                .input
                .as_ref()
                .unwrap_or_else(|| panic!("{rel}: {} has no input", op.name));
            assert!(svc.structure(input).is_some(), "{rel}: {} input", op.name);
            assert!(!op.errors.is_empty(), "{rel}: {} lost its errors", op.name);
            for e in &op.errors {
                let s = svc
                    .structure(&e.ty)
                    .unwrap_or_else(|| panic!("{rel}: {}", e.code));
                assert_eq!(
                    s.error.as_ref().map(|i| i.code.as_str()),
                    Some(e.code.as_str())
                );
            }
        }
        // And the older API is a subset of today's.
        let today = slice_and_generate(
            &selection,
            spec,
            &shared,
            spec.upstream
                .as_deref()
                .map(|u| format!("upstream/{u}"))
                .as_deref()
                .unwrap_or(rel),
        );
        let removed: Vec<String> = public_api(&generated)
            .difference(&public_api(&today))
            .cloned()
            .collect();
        assert!(
            removed.is_empty(),
            "{rel}: today's model removed {removed:?}"
        );
        for f in [
            "mod.rs",
            "types.rs",
            "operations.rs",
            "errors.rs",
            "json.rs",
        ] {
            assert!(
                generated.files.contains_key(&format!("src/{module}/{f}")),
                "{rel}: no {f}"
            );
        }
    }
}
