//! `codegen::diff` on the releases in ../shared/models: its entries checked
//! against changes found independently in the model JSON.

use std::collections::BTreeSet;

use codegen::diff::{diff_services, next_version, Impact};
use codegen::{Loaded, Options, ServiceSpec};
use serde_json::Value;

fn load(rel: &str) -> Option<(Value, codegen::ir::Service)> {
    let (name, text) = tests::shared_model(rel)?;
    let json: Value = serde_json::from_str(&text).unwrap();
    let model = Loaded::from_text(&name, &text).unwrap();
    let spec = ServiceSpec {
        module: "m".into(),
        model: rel.into(),
        upstream: None,
        service: None,
        operations: Vec::new(),
        all: true,
        protocol: None,
    };
    let svc = codegen::lower_service(&model, &spec, &Options::default()).unwrap();
    Some((json, svc))
}

/// `Shape.Member` pairs of structures and unions in both models whose member set grew
/// or shrank, and operations added or removed, from the JSON alone.
fn json_changes(
    old: &Value,
    new: &Value,
) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let (a, b) = (
        old["shapes"].as_object().unwrap(),
        new["shapes"].as_object().unwrap(),
    );
    let local = |id: &str| id.rsplit('#').next().unwrap().to_string();
    let members = |v: &Value| -> BTreeSet<String> {
        v["members"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (mut added, mut removed, mut ops) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (id, shape) in b {
        match a.get(id) {
            Some(old)
                if (shape["type"] == "structure" || shape["type"] == "union")
                    && old["type"] == shape["type"] =>
            {
                for m in members(shape).difference(&members(old)) {
                    added.insert(format!("{}.{m}", local(id)));
                }
                for m in members(old).difference(&members(shape)) {
                    removed.insert(format!("{}.{m}", local(id)));
                }
            }
            None if shape["type"] == "operation" => {
                ops.insert(local(id));
            }
            _ => {}
        }
    }
    (added, removed, ops)
}

#[test]
fn reports_match_the_model_json() {
    for (old, new) in [
        (
            "history/database-migration-service-2016-01-01.2025-05-20.json",
            "history/database-migration-service-2016-01-01.2025-11-17.json",
        ),
        (
            "history/database-migration-service-2016-01-01.2025-11-17.json",
            "upstream/database-migration-service-2016-01-01.json",
        ),
        (
            "history/sagemaker-2017-07-24.2025-05-20.json",
            "upstream/sagemaker-2017-07-24.json",
        ),
    ] {
        let (Some((old_json, old_svc)), Some((new_json, new_svc))) = (load(old), load(new)) else {
            return;
        };
        let changes = diff_services(&old_svc, &new_svc);
        let report: BTreeSet<String> = changes.iter().map(|c| c.what.clone()).collect();
        let (added, removed, ops) = json_changes(&old_json, &new_json);
        // Members of structures the generated API holds (all operations are
        // generated, so every structure of the closure).
        let in_api = |pair: &String, svc: &codegen::ir::Service| {
            let shape = pair.split('.').next().unwrap();
            svc.types.iter().any(|t| match t {
                codegen::ir::TypeDef::Struct(s) => s.shape_name == shape,
                codegen::ir::TypeDef::Union(u) => u.shape_name == shape,
                codegen::ir::TypeDef::Enum(_) => false,
            })
        };
        for m in added
            .iter()
            .filter(|m| in_api(m, &old_svc) && in_api(m, &new_svc))
        {
            assert!(
                report.contains(&format!("member {m} added")),
                "{old} -> {new}: {m} added is missing"
            );
        }
        for m in removed
            .iter()
            .filter(|m| in_api(m, &old_svc) && in_api(m, &new_svc))
        {
            let line = format!("member {m} removed");
            assert!(report.contains(&line), "{old} -> {new}: {line}");
            assert!(changes
                .iter()
                .any(|c| c.what == line && c.impact == Impact::Breaking));
        }
        for op in &ops {
            assert!(
                report.contains(&format!("operation {op} added")),
                "{old} -> {new}: {op}"
            );
        }
        // Nothing reported that the JSON does not show, for members.
        for c in &changes {
            if let Some(m) = c
                .what
                .strip_prefix("member ")
                .and_then(|w| w.strip_suffix(" added"))
            {
                assert!(added.contains(m), "{old} -> {new}: reported {m} added");
            }
        }
        let breaking = changes.iter().any(|c| c.impact == Impact::Breaking);
        assert_eq!(
            next_version("0.1.0", &changes),
            if breaking { "0.2.0" } else { "0.1.1" }
        );
    }
    // The example of the issue.
    let (Some((_, a)), Some((_, b))) = (
        load("history/database-migration-service-2016-01-01.2025-11-17.json"),
        load("upstream/database-migration-service-2016-01-01.json"),
    ) else {
        return;
    };
    let changes = diff_services(&a, &b);
    assert!(
        changes
            .iter()
            .any(|c| c.what == "member Replication.IsReadOnly added"
                && c.impact == Impact::Compatible)
    );
}

#[test]
fn the_same_model_has_no_changes_and_keeps_its_version() {
    let Some((_, svc)) = load("upstream/database-migration-service-2016-01-01.json") else {
        return;
    };
    let changes = diff_services(&svc, &svc);
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(next_version("0.1.0", &changes), "0.1.0");
}

#[test]
fn constraint_changes_are_reported_apart_from_docs() {
    let (Some((old_json, old)), Some((new_json, new))) = (
        load("history/sagemaker-2017-07-24.2025-05-20.json"),
        load("upstream/sagemaker-2017-07-24.json"),
    ) else {
        return;
    };
    // From the JSON: the length of the list InstanceStorageConfigs targets.
    let length = |json: &Value| {
        let shapes = &json["shapes"];
        let target = shapes["com.amazonaws.sagemaker#ClusterInstanceGroupDetails"]["members"]
            ["InstanceStorageConfigs"]["target"]
            .as_str()
            .unwrap()
            .to_string();
        shapes[&target]["traits"]["smithy.api#length"]["max"]
            .as_u64()
            .unwrap()
    };
    let (before, after) = (length(&old_json), length(&new_json));
    assert_ne!(before, after);
    let changes = diff_services(&old, &new);
    let line = changes
        .iter()
        .find(|c| {
            c.what
                .starts_with("constraints of ClusterInstanceGroupDetails.InstanceStorageConfigs:")
        })
        .expect("the constraint change is reported");
    assert_eq!(line.impact, Impact::Compatible);
    assert!(
        line.what.contains(&format!("to {before}. ->"))
            && line.what.ends_with(&format!("to {after}.")),
        "{}",
        line.what
    );
}
