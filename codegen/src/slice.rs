//! Model slices: the closure of selected operations, plus the service shape,
//! with all documentation prose removed. The committed `models/` files are
//! slices, so the repository holds shapes and traits (facts) but no upstream
//! documentation text.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::Loaded;

/// Trait ids whose whole value is prose.
const PROSE_TRAITS: &[&str] = &["smithy.api#documentation", "smithy.api#examples"];

/// Removes documentation from a trait map: prose traits entirely, and every
/// `documentation` field nested inside the remaining trait values.
pub fn strip_traits(traits: &mut Map<String, Value>) {
    traits.retain(|k, _| !PROSE_TRAITS.contains(&k.as_str()));
    for v in traits.values_mut() {
        strip_documentation_fields(v);
    }
}

fn strip_documentation_fields(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.shift_remove("documentation");
            for inner in map.values_mut() {
                strip_documentation_fields(inner);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_documentation_fields),
        _ => {}
    }
}

/// Strips documentation from one shape (its traits and its members' traits).
pub fn strip_shape(shape: &mut Value) {
    let Some(obj) = shape.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(traits)) = obj.get_mut("traits") {
        strip_traits(traits);
    }
    for key in ["members", "identifiers", "properties"] {
        if let Some(Value::Object(members)) = obj.get_mut(key) {
            for m in members.values_mut() {
                if let Some(Value::Object(traits)) = m.get_mut("traits") {
                    strip_traits(traits);
                }
            }
        }
    }
    for key in ["member", "key", "value"] {
        if let Some(Value::Object(traits)) = obj.get_mut(key).and_then(|m| m.get_mut("traits")) {
            strip_traits(traits);
        }
    }
}

/// Writes the slice of `text` for a service and operations, as pretty JSON
/// with a trailing newline. Shapes keep their upstream order.
pub fn slice(
    file: &str,
    text: &str,
    service: Option<&str>,
    operations: &[String],
) -> Result<String, Error> {
    let loaded = Loaded::from_text(file, text)?;
    let service_id = loaded.service_id(service)?;
    let mut op_ids = loaded.resolve_operations(&service_id, operations)?;
    // An operation whose endpoint is discovered brings the discovery
    // operation along, as lowering does.
    let service = loaded.shape(&service_id)?;
    loaded.add_discovery_operation(service, &mut op_ids)?;
    let mut roots: Vec<String> = op_ids.clone();
    roots.extend(loaded.service_errors(&service_id)?);
    let mut keep = loaded.closure(roots.iter().map(String::as_str));
    keep.insert(service_id.clone());
    let resources = resources_leading_to(&loaded, &service_id, &op_ids.iter().cloned().collect());
    for r in &resources {
        keep.insert(r.clone());
        let shape = &loaded.shapes[r];
        let targets: Vec<&str> = shape
            .identifiers
            .values()
            .chain(shape.properties.values())
            .map(|t| t.target.as_str())
            .collect();
        keep.extend(loaded.closure(targets));
    }

    let mut doc: Value = serde_json::from_str(text).map_err(|e| Error::Json {
        file: file.into(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let obj = doc.as_object_mut().ok_or_else(|| Error::Model {
        file: file.into(),
        shape: None,
        message: "not a JSON object".into(),
    })?;
    let shapes = match obj.remove("shapes") {
        Some(Value::Object(shapes)) => shapes,
        _ => Map::new(),
    };
    let mut out_shapes = Map::new();
    for (id, mut shape) in shapes {
        let base = id.split('$').next().unwrap_or(&id);
        let is_apply = shape.get("type").and_then(Value::as_str) == Some("apply");
        if !(keep.contains(&id) || (is_apply && keep.contains(base))) {
            continue;
        }
        if id == service_id || resources.contains(&id) {
            prune_container(&mut shape, &keep);
        }
        strip_shape(&mut shape);
        out_shapes.insert(id, shape);
    }
    let mut out = Map::new();
    for (k, v) in obj.iter() {
        out.insert(k.clone(), v.clone());
    }
    out.insert("shapes".into(), Value::Object(out_shapes));
    let mut text = serde_json::to_string_pretty(&Value::Object(out)).map_err(|e| Error::Model {
        file: file.into(),
        shape: None,
        message: e.to_string(),
    })?;
    text.push('\n');
    Ok(text)
}

/// Resources (under the service) whose subtree binds one of `ops`.
fn resources_leading_to(
    loaded: &Loaded,
    service: &str,
    ops: &BTreeSet<String>,
) -> BTreeSet<String> {
    fn walk(
        loaded: &Loaded,
        id: &str,
        ops: &BTreeSet<String>,
        out: &mut BTreeSet<String>,
        depth: usize,
    ) -> bool {
        let Some(shape) = loaded.shapes.get(id) else {
            return false;
        };
        if depth > 64 {
            return false;
        }
        let lifecycle = [
            &shape.create,
            &shape.put,
            &shape.read,
            &shape.update,
            &shape.delete,
            &shape.list,
        ];
        let mut hit = shape
            .operations
            .iter()
            .chain(shape.collection_operations.iter())
            .chain(lifecycle.into_iter().flatten())
            .any(|r| ops.contains(&r.target));
        for r in &shape.resources {
            if walk(loaded, &r.target, ops, out, depth + 1) {
                hit = true;
            }
        }
        if hit && shape.kind == "resource" {
            out.insert(id.to_string());
        }
        hit
    }
    let mut out = BTreeSet::new();
    walk(loaded, service, ops, &mut out, 0);
    out
}

/// Drops references to shapes outside the slice from a service or resource.
fn prune_container(shape: &mut Value, keep: &BTreeSet<String>) {
    let Some(obj) = shape.as_object_mut() else {
        return;
    };
    let kept = |v: &Value| {
        v.get("target")
            .and_then(Value::as_str)
            .is_some_and(|t| keep.contains(t))
    };
    for key in ["operations", "collectionOperations", "resources", "errors"] {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            items.retain(kept);
        }
    }
    for key in ["create", "put", "read", "update", "delete", "list"] {
        if obj.get(key).is_some_and(|v| !kept(v)) {
            obj.shift_remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"{"smithy":"2.0","metadata":{"suppressions":[]},"shapes":{
        "a#Svc":{"type":"service","version":"1","operations":[{"target":"a#Keep"},{"target":"a#Drop"}],
            "traits":{"smithy.api#documentation":"svc docs","aws.protocols#awsJson1_1":{},
                "smithy.rules#x":{"parameters":{"Region":{"documentation":"nested prose","type":"string"}}}}},
        "a#Keep":{"type":"operation","input":{"target":"a#KeepIn"},"errors":[{"target":"a#Oops"}],
            "traits":{"smithy.api#examples":[{"title":"t"}]}},
        "a#KeepIn":{"type":"structure","members":{"B":{"target":"a#Str","traits":{"smithy.api#documentation":"member prose","smithy.api#required":{}}},
            "A":{"target":"smithy.api#String"}}},
        "a#Str":{"type":"string","traits":{"smithy.api#length":{"min":1}}},
        "a#Oops":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}},
        "a#Drop":{"type":"operation","input":{"target":"a#DropIn"}},
        "a#DropIn":{"type":"structure","members":{}}}}"#;

    #[test]
    fn slice_keeps_closure_drops_prose_and_keeps_order() {
        let out = slice("m.json", MODEL, None, &["Keep".to_string()]).unwrap();
        assert!(
            !out.contains("prose") && !out.contains("svc docs") && !out.contains("examples"),
            "{out}"
        );
        assert!(!out.contains("a#Drop"), "{out}");
        for id in ["a#Svc", "a#Keep", "a#KeepIn", "a#Str", "a#Oops"] {
            assert!(out.contains(id), "{id} missing: {out}");
        }
        assert!(
            out.find("\"B\"").unwrap() < out.find("\"A\"").unwrap(),
            "member order kept"
        );
        assert!(out.contains("smithy.api#length") && out.contains("\"Region\""));
        assert!(out.ends_with("}\n"));
        // A slice of a slice is the same slice.
        assert_eq!(
            slice("s.json", &out, None, &["Keep".to_string()]).unwrap(),
            out
        );
        // And it loads on its own.
        Loaded::from_text("s.json", &out).unwrap();
    }

    #[test]
    fn unknown_operation_fails_slicing() {
        let err = slice("m.json", MODEL, None, &["Kepe".to_string()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `Keep`"), "{err}");
    }
}
