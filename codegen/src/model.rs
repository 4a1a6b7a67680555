//! A loaded model: parsed shapes plus the `smithy.api` prelude, with `apply`
//! shapes merged and mixins flattened, every reference checked. Also the
//! service index (operations reachable directly or through resources) and the
//! closure of a set of operations.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ast::{self, Member, Shape};
use crate::error::Error;

/// Shape types this generator understands.
pub const SHAPE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "operation",
    "resource",
    "service",
];

/// A model ready for selection and lowering.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file it came from (for error messages).
    pub file: String,
    /// Every shape, prelude included, mixins flattened and `apply` merged.
    pub shapes: BTreeMap<String, Shape>,
}

fn prelude() -> BTreeMap<String, Shape> {
    let mut out = BTreeMap::new();
    let mut add = |name: &str, kind: &str, default: Option<Value>| {
        let mut shape = Shape {
            kind: kind.to_string(),
            ..Shape::default()
        };
        if let Some(d) = default {
            shape.traits.insert("smithy.api#default".into(), d);
        }
        out.insert(format!("smithy.api#{name}"), shape);
    };
    for (name, kind) in [
        ("String", "string"),
        ("Blob", "blob"),
        ("BigInteger", "bigInteger"),
        ("BigDecimal", "bigDecimal"),
        ("Timestamp", "timestamp"),
        ("Document", "document"),
        ("Boolean", "boolean"),
        ("Byte", "byte"),
        ("Short", "short"),
        ("Integer", "integer"),
        ("Long", "long"),
        ("Float", "float"),
        ("Double", "double"),
    ] {
        add(name, kind, None);
    }
    add("PrimitiveBoolean", "boolean", Some(Value::Bool(false)));
    for (name, kind) in [
        ("PrimitiveByte", "byte"),
        ("PrimitiveShort", "short"),
        ("PrimitiveInteger", "integer"),
        ("PrimitiveLong", "long"),
        ("PrimitiveFloat", "float"),
        ("PrimitiveDouble", "double"),
    ] {
        add(name, kind, Some(Value::from(0)));
    }
    let mut unit = Shape {
        kind: "structure".into(),
        ..Shape::default()
    };
    unit.traits.insert(
        "smithy.api#unitType".into(),
        Value::Object(Default::default()),
    );
    out.insert("smithy.api#Unit".into(), unit);
    out
}

/// The id of the prelude's unit type.
pub const UNIT: &str = "smithy.api#Unit";

/// The name part of a shape id (`ns#Name` → `Name`, `ns#Name$member` → `Name`).
pub fn shape_name(id: &str) -> &str {
    let name = id.rsplit('#').next().unwrap_or(id);
    name.split('$').next().unwrap_or(name)
}

/// The service trait naming the endpoint-discovery operation.
pub const ENDPOINT_DISCOVERY_TRAIT: &str = "aws.api#clientEndpointDiscovery";

/// The operation trait marking an operation whose endpoint is discovered.
pub const DISCOVERED_ENDPOINT_TRAIT: &str = "aws.api#clientDiscoveredEndpoint";

/// The discovery operation's shape id, when the service names one.
pub fn discovery_operation(service: &Shape) -> Option<&str> {
    service
        .traits
        .get(ENDPOINT_DISCOVERY_TRAIT)?
        .get("operation")
        .and_then(serde_json::Value::as_str)
}

impl Loaded {
    /// Parses and loads a model file.
    pub fn from_text(file: &str, text: &str) -> Result<Loaded, Error> {
        Self::from_model(file, ast::parse(file, text)?)
    }

    /// Loads an already parsed model.
    pub fn from_model(file: &str, model: ast::Model) -> Result<Loaded, Error> {
        let mut shapes = prelude();
        let mut applies = Vec::new();
        for (id, shape) in model.shapes {
            if shape.kind == "apply" {
                applies.push((id, shape.traits));
                continue;
            }
            if !SHAPE_TYPES.contains(&shape.kind.as_str()) {
                return Err(Error::Unsupported {
                    file: file.into(),
                    shape: id,
                    message: format!("shape type `{}`", shape.kind),
                });
            }
            shapes.insert(id, shape);
        }
        let mut loaded = Loaded {
            file: file.into(),
            shapes,
        };
        // `apply` to shapes and declared members first (so applying to a
        // mixin's member reaches every user of the mixin) ...
        let mut deferred = Vec::new();
        for (id, traits) in applies {
            if !loaded.apply(&id, &traits) {
                deferred.push((id, traits));
            }
        }
        loaded.flatten_mixins()?;
        // ... then to members that only exist once mixins are flattened.
        for (id, traits) in deferred {
            if !loaded.apply(&id, &traits) {
                return Err(Error::Dangling {
                    file: file.into(),
                    shape: id.clone(),
                    member: None,
                    target: id,
                });
            }
        }
        loaded.check_references()?;
        loaded.check_traits()?;
        Ok(loaded)
    }

    /// Checks trait values the generator relies on against their targets
    /// (`enumValue`, `length`, `range`, `default`), refuses unions without
    /// members, and refuses traits of the `smithy.api` namespace that do not
    /// exist (a misspelled `@required` would otherwise be ignored).
    fn check_traits(&self) -> Result<(), Error> {
        for (id, shape) in &self.shapes {
            if id.starts_with("smithy.api#") {
                continue;
            }
            let err = |at: String, message: String| Error::Model {
                file: self.file.clone(),
                shape: Some(at),
                message,
            };
            if shape.kind == "union" && shape.members.0.is_empty() {
                return Err(err(id.clone(), "a union needs at least one member".into()));
            }
            check_trait_map(&shape.traits, &shape.kind, None).map_err(|m| err(id.clone(), m))?;
            for (name, member) in shape.members.iter() {
                let target = self
                    .shapes
                    .get(&member.target)
                    .map_or("", |t| t.kind.as_str());
                check_trait_map(&member.traits, target, Some(&shape.kind))
                    .map_err(|m| err(format!("{id}${name}"), m))?;
            }
        }
        Ok(())
    }

    fn apply(&mut self, id: &str, traits: &ast::Traits) -> bool {
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id, None),
        };
        let Some(shape) = self.shapes.get_mut(shape_id) else {
            return false;
        };
        let target = match member {
            None => &mut shape.traits,
            Some(m) => match member_mut(shape, m) {
                Some(member) => &mut member.traits,
                None => return false,
            },
        };
        for (k, v) in traits {
            target.insert(k.clone(), v.clone());
        }
        true
    }

    fn flatten_mixins(&mut self) -> Result<(), Error> {
        let ids: Vec<String> = self
            .shapes
            .iter()
            .filter(|(_, s)| !s.mixins.is_empty())
            .map(|(k, _)| k.clone())
            .collect();
        let mut done = BTreeSet::new();
        for id in ids {
            self.flatten_one(&id, &mut done, &mut Vec::new())?;
        }
        Ok(())
    }

    fn flatten_one(
        &mut self,
        id: &str,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Result<(), Error> {
        if done.contains(id) {
            return Ok(());
        }
        if stack.iter().any(|s| s == id) {
            return Err(Error::Model {
                file: self.file.clone(),
                shape: Some(id.into()),
                message: format!("mixin cycle: {} -> {id}", stack.join(" -> ")),
            });
        }
        let mixins = match self.shapes.get(id) {
            Some(s) => s.mixins.clone(),
            None => return Ok(()),
        };
        stack.push(id.to_string());
        for m in &mixins {
            if !self.shapes.contains_key(&m.target) {
                return Err(Error::Dangling {
                    file: self.file.clone(),
                    shape: id.into(),
                    member: None,
                    target: m.target.clone(),
                });
            }
            self.flatten_one(&m.target, done, stack)?;
        }
        stack.pop();
        let mut members = ast::Ordered::default();
        let mut traits = ast::Traits::new();
        let mut single = (None, None, None);
        for m in &mixins {
            let mixin = &self.shapes[&m.target];
            if !mixin.has_trait("smithy.api#mixin") {
                return Err(Error::Model {
                    file: self.file.clone(),
                    shape: Some(id.into()),
                    message: format!("`{}` is used as a mixin but has no @mixin trait", m.target),
                });
            }
            let local: Vec<String> = mixin
                .traits
                .get("smithy.api#mixin")
                .and_then(|v| v.get("localTraits"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            for (k, v) in &mixin.traits {
                if k != "smithy.api#mixin" && !local.contains(k) {
                    traits.insert(k.clone(), v.clone());
                }
            }
            for (name, member) in mixin.members.iter() {
                merge_member(&mut members, name, member);
            }
            single = (
                mixin.member.clone().or(single.0),
                mixin.key.clone().or(single.1),
                mixin.value.clone().or(single.2),
            );
        }
        let inherited: Vec<Shape> = mixins
            .iter()
            .map(|m| self.shapes[&m.target].clone())
            .collect();
        let shape = self.shapes.get_mut(id).expect("present: checked above");
        for (name, member) in shape.members.iter() {
            merge_member(&mut members, name, member);
        }
        inherit_references(shape, &inherited);
        for (k, v) in &shape.traits {
            traits.insert(k.clone(), v.clone());
        }
        shape.members = members;
        shape.traits = traits;
        shape.member = shape.member.take().or(single.0);
        shape.key = shape.key.take().or(single.1);
        shape.value = shape.value.take().or(single.2);
        shape.mixins.clear();
        done.insert(id.to_string());
        Ok(())
    }

    fn check_references(&self) -> Result<(), Error> {
        for (id, shape) in &self.shapes {
            for (member, target) in shape.references() {
                if !self.shapes.contains_key(target) {
                    return Err(Error::Dangling {
                        file: self.file.clone(),
                        shape: id.clone(),
                        member: member.map(String::from),
                        target: target.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Looks a shape up; callers only pass ids that `check_references` vouched for.
    pub fn shape(&self, id: &str) -> Result<&Shape, Error> {
        self.shapes.get(id).ok_or_else(|| Error::Dangling {
            file: self.file.clone(),
            shape: id.to_string(),
            member: None,
            target: id.to_string(),
        })
    }

    /// The service shape: the given id, or the only service in the model.
    pub fn service_id(&self, wanted: Option<&str>) -> Result<String, Error> {
        let services: Vec<&String> = self
            .shapes
            .iter()
            .filter(|(_, s)| s.kind == "service")
            .map(|(k, _)| k)
            .collect();
        match wanted {
            Some(w) => {
                let found = services
                    .iter()
                    .find(|s| s.as_str() == w || shape_name(s) == w);
                found.map(|s| s.to_string()).ok_or_else(|| Error::Model {
                    file: self.file.clone(),
                    shape: Some(w.to_string()),
                    message: format!(
                        "no such service; the model has {}",
                        services
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })
            }
            None => match services.as_slice() {
                [one] => Ok(one.to_string()),
                [] => Err(Error::Model {
                    file: self.file.clone(),
                    shape: None,
                    message: "the model has no service shape".into(),
                }),
                many => Err(Error::Model {
                    file: self.file.clone(),
                    shape: None,
                    message: format!(
                        "the model has {} services ({}); name one",
                        many.len(),
                        many.iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }),
            },
        }
    }

    /// Every operation of a service, directly or through resources: name → id.
    pub fn operations(&self, service: &str) -> Result<BTreeMap<String, String>, Error> {
        let mut out = BTreeMap::new();
        let mut seen = BTreeSet::new();
        self.collect_operations(service, &mut out, &mut seen)?;
        Ok(out)
    }

    fn collect_operations(
        &self,
        id: &str,
        out: &mut BTreeMap<String, String>,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        if !seen.insert(id.to_string()) {
            return Ok(());
        }
        let shape = self.shape(id)?;
        let lifecycle = [
            &shape.create,
            &shape.put,
            &shape.read,
            &shape.update,
            &shape.delete,
            &shape.list,
        ];
        let ops = shape
            .operations
            .iter()
            .chain(shape.collection_operations.iter())
            .chain(lifecycle.into_iter().flatten());
        for op in ops {
            let name = shape_name(&op.target).to_string();
            if let Some(existing) = out.get(&name) {
                if existing != &op.target {
                    return Err(Error::Collision {
                        file: self.file.clone(),
                        scope: id.to_string(),
                        first: existing.clone(),
                        second: op.target.clone(),
                        rust_name: name,
                    });
                }
            }
            out.insert(name, op.target.clone());
        }
        for r in &shape.resources {
            self.collect_operations(&r.target, out, seen)?;
        }
        Ok(())
    }

    /// Adds the service's endpoint-discovery operation to `op_ids` when one
    /// of them discovers its endpoint, so lowering and slicing select it
    /// too (a model that lacks it is left alone: its service is generated
    /// without discovery, with a warning).
    pub fn add_discovery_operation(
        &self,
        service: &Shape,
        op_ids: &mut Vec<String>,
    ) -> Result<(), Error> {
        let Some(discovery) = discovery_operation(service) else {
            return Ok(());
        };
        if op_ids.iter().any(|id| id == discovery) || !self.shapes.contains_key(discovery) {
            return Ok(());
        }
        for id in op_ids.iter() {
            if self
                .shape(id)?
                .traits
                .contains_key(DISCOVERED_ENDPOINT_TRAIT)
            {
                op_ids.push(discovery.to_string());
                break;
            }
        }
        Ok(())
    }

    /// Resolves operation names against a service, suggesting close names for
    /// unknown ones. Returns ids in the order given.
    pub fn resolve_operations(
        &self,
        service: &str,
        names: &[String],
    ) -> Result<Vec<String>, Error> {
        let all = self.operations(service)?;
        names
            .iter()
            .map(|name| {
                all.get(name.as_str())
                    .cloned()
                    .ok_or_else(|| Error::UnknownOperation {
                        file: self.file.clone(),
                        service: service.to_string(),
                        name: name.clone(),
                        suggestions: suggest(name, all.keys()),
                    })
            })
            .collect()
    }

    /// Every shape reachable from the given roots, following all references
    /// (members, operation input/output/errors, mixins, resources).
    pub fn closure<'a>(&self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().map(String::from).collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = self.shapes.get(&id) {
                if shape.kind == "service" || shape.kind == "resource" {
                    continue; // only followed explicitly
                }
                for (_, target) in shape.references() {
                    if !seen.contains(target) {
                        stack.push(target.to_string());
                    }
                }
            }
        }
        seen
    }

    /// Errors a service declares for all its operations.
    pub fn service_errors(&self, service: &str) -> Result<Vec<String>, Error> {
        Ok(self
            .shape(service)?
            .errors
            .iter()
            .map(|r| r.target.clone())
            .collect())
    }
}

fn member_mut<'a>(shape: &'a mut Shape, name: &str) -> Option<&'a mut Member> {
    match name {
        "member" if shape.member.is_some() => shape.member.as_mut(),
        "key" if shape.key.is_some() => shape.key.as_mut(),
        "value" if shape.value.is_some() => shape.value.as_mut(),
        _ => shape.members.get_mut(name),
    }
}

/// What operation, resource and service mixins pass on besides traits:
/// errors, operations and resources (the mixins' first, then the shape's
/// own, without repeats), and input, output, version, lifecycle operations,
/// identifiers, properties and renames the shape does not set itself.
fn inherit_references(shape: &mut Shape, mixins: &[Shape]) {
    fn merge_refs(own: &mut Vec<ast::Ref>, from: &[&Shape], get: fn(&Shape) -> &Vec<ast::Ref>) {
        let mut out: Vec<ast::Ref> = Vec::new();
        for r in from.iter().flat_map(|m| get(m).iter()).chain(own.iter()) {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        *own = out;
    }
    let from: Vec<&Shape> = mixins.iter().collect();
    merge_refs(&mut shape.errors, &from, |s| &s.errors);
    merge_refs(&mut shape.operations, &from, |s| &s.operations);
    merge_refs(&mut shape.resources, &from, |s| &s.resources);
    merge_refs(&mut shape.collection_operations, &from, |s| {
        &s.collection_operations
    });
    for m in mixins {
        for (own, theirs) in [
            (&mut shape.input, &m.input),
            (&mut shape.output, &m.output),
            (&mut shape.create, &m.create),
            (&mut shape.put, &m.put),
            (&mut shape.read, &m.read),
            (&mut shape.update, &m.update),
            (&mut shape.delete, &m.delete),
            (&mut shape.list, &m.list),
        ] {
            if own.is_none() {
                own.clone_from(theirs);
            }
        }
        if shape.version.is_none() {
            shape.version.clone_from(&m.version);
        }
        for (k, v) in &m.rename {
            shape.rename.entry(k.clone()).or_insert_with(|| v.clone());
        }
        for (k, v) in &m.identifiers {
            shape
                .identifiers
                .entry(k.clone())
                .or_insert_with(|| v.clone());
        }
        for (k, v) in &m.properties {
            shape
                .properties
                .entry(k.clone())
                .or_insert_with(|| v.clone());
        }
    }
}

fn merge_member(members: &mut ast::Ordered<Member>, name: &str, member: &Member) {
    match members.get_mut(name) {
        Some(existing) => {
            existing.target = member.target.clone();
            for (k, v) in &member.traits {
                existing.traits.insert(k.clone(), v.clone());
            }
        }
        None => members.0.push((name.to_string(), member.clone())),
    }
}

/// Every trait of the `smithy.api` namespace: the prelude's, and those
/// later Smithy releases added.
const PRELUDE_TRAITS: &[&str] = &[
    "addedDefault",
    "auth",
    "authDefinition",
    "box",
    "clientOptional",
    "cors",
    "default",
    "deprecated",
    "documentation",
    "endpoint",
    "enum",
    "enumDefault",
    "enumValue",
    "error",
    "eventHeader",
    "eventPayload",
    "examples",
    "externalDocumentation",
    "hostLabel",
    "http",
    "httpApiKeyAuth",
    "httpBasicAuth",
    "httpBearerAuth",
    "httpChecksumRequired",
    "httpDigestAuth",
    "httpError",
    "httpHeader",
    "httpLabel",
    "httpPayload",
    "httpPrefixHeaders",
    "httpQuery",
    "httpQueryParams",
    "httpResponseCode",
    "idRef",
    "idempotencyToken",
    "idempotent",
    "input",
    "internal",
    "jsonName",
    "length",
    "mediaType",
    "mixin",
    "nestedProperties",
    "noReplace",
    "notProperty",
    "optionalAuth",
    "output",
    "paginated",
    "pattern",
    "private",
    "property",
    "protocolDefinition",
    "range",
    "readonly",
    "recommended",
    "references",
    "requestCompression",
    "required",
    "requiresLength",
    "resourceIdentifier",
    "retryable",
    "sensitive",
    "since",
    "sparse",
    "streaming",
    "suppress",
    "tags",
    "timestampFormat",
    "title",
    "trait",
    "traitValidators",
    "uniqueItems",
    "unitType",
    "unstable",
    "xmlAttribute",
    "xmlFlattened",
    "xmlName",
    "xmlNamespace",
];

/// Checks one trait map: on a shape of kind `kind` (for a member, its
/// target's kind, and `container` the kind of the shape holding it).
fn check_trait_map(
    traits: &ast::Traits,
    kind: &str,
    container: Option<&str>,
) -> Result<(), String> {
    for (name, value) in traits {
        let Some(local) = name.strip_prefix("smithy.api#") else {
            continue;
        };
        if !PRELUDE_TRAITS.contains(&local) {
            let known: Vec<String> = PRELUDE_TRAITS.iter().map(|t| t.to_string()).collect();
            let hint = match suggest(local, &known).first() {
                Some(s) => format!("; did you mean `smithy.api#{s}`?"),
                None => String::new(),
            };
            return Err(format!("unknown trait `{name}`{hint}"));
        }
        let bad = |what: &str| Err(format!("`{name}` {value} {what}"));
        match local {
            "enumValue" => match container {
                Some("enum") if !value.is_string() => {
                    return bad("is not a string, as a string enum's values must be")
                }
                Some("intEnum") if !(value.is_i64() || value.is_u64()) => {
                    return bad("is not an integer, as an intEnum's values must be")
                }
                _ => {}
            },
            "length" | "range" => {
                let Some(obj) = value.as_object() else {
                    return bad("is not an object with `min` and `max`");
                };
                let mut bounds = Vec::new();
                for (k, v) in obj {
                    let ok = match local {
                        "length" => v.as_u64().is_some(),
                        _ => v.is_number(),
                    };
                    if !matches!(k.as_str(), "min" | "max") || !ok {
                        return bad(if local == "length" {
                            "needs `min` and `max` as non-negative integers"
                        } else {
                            "needs `min` and `max` as numbers"
                        });
                    }
                    bounds.push((k.as_str(), v.as_f64().unwrap_or_default()));
                }
                let get = |k: &str| bounds.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
                if let (Some(min), Some(max)) = (get("min"), get("max")) {
                    if min > max {
                        return bad("has `min` above `max`");
                    }
                }
            }
            "default" => {
                let fits = match kind {
                    _ if value.is_null() => true,
                    "string" | "enum" | "blob" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "byte" | "short" | "integer" | "long" | "float" | "double" | "bigInteger"
                    | "bigDecimal" | "intEnum" => value.is_number(),
                    "timestamp" => value.is_number() || value.is_string(),
                    "list" | "set" => value.as_array().is_some_and(Vec::is_empty),
                    "map" | "structure" => value.as_object().is_some_and(|o| o.is_empty()),
                    _ => true,
                };
                if !fits {
                    return Err(format!("`{name}` {value} does not fit a {kind}"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Up to three names close to `name` (edit distance, case-insensitive), best first.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let lower = name.to_lowercase();
    let limit = (name.len() / 3).max(3);
    let mut scored: Vec<(usize, &String)> = candidates
        .into_iter()
        .filter_map(|c| {
            let cl = c.to_lowercase();
            let d = if cl.contains(&lower) || lower.contains(&cl) {
                1
            } else {
                levenshtein(&lower, &cl)
            };
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c.clone()).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Loaded, Error> {
        Loaded::from_text("t.json", text)
    }

    #[test]
    fn mixins_are_flattened_in_order_with_local_traits_kept_local() {
        let m = load(
            r#"{"smithy":"2.0","shapes":{
            "a#Base":{"type":"structure","mixins":[],"members":{"Id":{"target":"smithy.api#String"}},
                "traits":{"smithy.api#mixin":{"localTraits":["smithy.api#private"]},"smithy.api#private":{},"smithy.api#sensitive":{}}},
            "a#S":{"type":"structure","mixins":[{"target":"a#Base"}],"members":{"Name":{"target":"smithy.api#String"}}}}}"#,
        )
        .unwrap();
        let s = &m.shapes["a#S"];
        let names: Vec<_> = s.members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Id", "Name"]);
        assert!(s.has_trait("smithy.api#sensitive"));
        assert!(!s.has_trait("smithy.api#private"));
        assert!(!s.has_trait("smithy.api#mixin"));
    }

    #[test]
    fn apply_reaches_shapes_and_members_including_inherited_ones() {
        let base = r#""a#Base":{"type":"structure","members":{"Id":{"target":"smithy.api#String"}},"traits":{"smithy.api#mixin":{}}},
            "a#S":{"type":"structure","mixins":[{"target":"a#Base"}],"members":{}},
            "a#S$Id":{"type":"apply","traits":{"smithy.api#required":{}}},
            "a#Base$Id":{"type":"apply","traits":{"smithy.api#sensitive":{}}},
            "a#T":{"type":"string"}"#;
        let m = load(&format!(
            r#"{{"smithy":"2.0","shapes":{{{base},"a#T":{{"type":"apply","traits":{{"smithy.api#pattern":"x"}}}}}}}}"#
        ));
        // JSON object keys are unique per map, so this second `a#T` replaces the string: the apply then has no target.
        assert!(m.is_err());
        let m = load(&format!(
            r#"{{"smithy":"2.0","shapes":{{{base},"a#T$nope":{{"type":"apply","traits":{{}}}}}}}}"#
        ));
        let err = m.unwrap_err().to_string();
        assert!(err.contains("a#T$nope"), "{err}");
        let m = load(&format!(
            r#"{{"smithy":"2.0","shapes":{{{base},"a#Z":{{"type":"string"}}}}}}"#
        ))
        .unwrap();
        let id = &m.shapes["a#S"].members.get("Id").unwrap().traits;
        assert!(id.contains_key("smithy.api#required"));
        assert!(id.contains_key("smithy.api#sensitive"));
    }

    #[test]
    fn dangling_target_names_shape_member_and_target() {
        let err = load(r#"{"smithy":"2.0","shapes":{"a#S":{"type":"structure","members":{"X":{"target":"a#Missing"}}}}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a#S") && err.contains("`X`") && err.contains("a#Missing"),
            "{err}"
        );
    }

    #[test]
    fn unknown_shape_type_is_unsupported() {
        let err = load(r#"{"smithy":"2.0","shapes":{"a#S":{"type":"tuple"}}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a#S") && err.contains("tuple"), "{err}");
    }

    #[test]
    fn operations_through_resources_and_suggestions() {
        let m = load(
            r#"{"smithy":"2.0","shapes":{
            "a#Svc":{"type":"service","version":"1","operations":[{"target":"a#Ping"}],"resources":[{"target":"a#R"}]},
            "a#R":{"type":"resource","read":{"target":"a#GetThing"},"operations":[{"target":"a#Poke"}],"resources":[{"target":"a#R2"}]},
            "a#R2":{"type":"resource","collectionOperations":[{"target":"a#ListThings"}]},
            "a#Ping":{"type":"operation"},"a#GetThing":{"type":"operation"},"a#Poke":{"type":"operation"},"a#ListThings":{"type":"operation"}}}"#,
        )
        .unwrap();
        let ops = m.operations("a#Svc").unwrap();
        assert_eq!(
            ops.keys().cloned().collect::<Vec<_>>(),
            ["GetThing", "ListThings", "Ping", "Poke"]
        );
        let err = m
            .resolve_operations("a#Svc", &["GetThang".to_string()])
            .unwrap_err();
        match &err {
            Error::UnknownOperation { suggestions, .. } => assert_eq!(suggestions[0], "GetThing"),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("did you mean `GetThing`"));
    }

    #[test]
    fn operation_mixins_pass_on_errors_and_io() {
        let m = load(
            r#"{"smithy":"2.0","shapes":{
            "a#Base":{"type":"operation","input":{"target":"a#In"},"errors":[{"target":"a#E1"}],"traits":{"smithy.api#mixin":{}}},
            "a#Op":{"type":"operation","mixins":[{"target":"a#Base"}],"errors":[{"target":"a#E2"},{"target":"a#E1"}]},
            "a#In":{"type":"structure","members":{}},
            "a#E1":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}},
            "a#E2":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}}}}"#,
        )
        .unwrap();
        let op = &m.shapes["a#Op"];
        let errors: Vec<&str> = op.errors.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(errors, ["a#E1", "a#E2"]);
        assert_eq!(op.input.as_ref().map(|r| r.target.as_str()), Some("a#In"));
        assert!(!op.has_trait("smithy.api#mixin"));
    }

    #[test]
    fn trait_values_and_names_are_checked() {
        let shapes = |extra: &str| {
            format!(
                r#"{{"smithy":"2.0","shapes":{{"a#S":{{"type":"structure","members":{{"m":{{"target":"smithy.api#String"{extra}}}}}}},
                "a#E":{{"type":"enum","members":{{"A":{{"target":"smithy.api#Unit","traits":{{"smithy.api#enumValue":"a"}}}}}}}},
                "a#I":{{"type":"intEnum","members":{{"A":{{"target":"smithy.api#Unit","traits":{{"smithy.api#enumValue":1}}}}}}}}}}}}"#
            )
        };
        assert!(load(&shapes("")).is_ok());
        for (extra, wanted) in [
            (
                r#","traits":{"smithy.api#requird":{}}"#,
                "unknown trait `smithy.api#requird`; did you mean `smithy.api#required`?",
            ),
            (
                r#","traits":{"smithy.api#length":{"min":"one"}}"#,
                "needs `min` and `max` as non-negative integers",
            ),
            (
                r#","traits":{"smithy.api#length":{"min":5,"max":2}}"#,
                "has `min` above `max`",
            ),
            (
                r#","traits":{"smithy.api#range":{"min":true}}"#,
                "needs `min` and `max` as numbers",
            ),
            (
                r#","traits":{"smithy.api#default":5}"#,
                "`smithy.api#default` 5 does not fit a string",
            ),
        ] {
            let e = load(&shapes(extra)).unwrap_err().to_string();
            assert!(e.contains("a#S$m") && e.contains(wanted), "{extra}: {e}");
        }
        let enum5 = shapes("").replace(
            r#""smithy.api#enumValue":"a""#,
            r#""smithy.api#enumValue":5"#,
        );
        let e = load(&enum5).unwrap_err().to_string();
        assert!(e.contains("a#E$A") && e.contains("is not a string"), "{e}");
        let int_str = shapes("").replace(
            r#""smithy.api#enumValue":1"#,
            r#""smithy.api#enumValue":"one""#,
        );
        assert!(load(&int_str)
            .unwrap_err()
            .to_string()
            .contains("is not an integer"));
        let e = load(r#"{"smithy":"2.0","shapes":{"a#U":{"type":"union","members":{}}}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("a#U") && e.contains("at least one member"),
            "{e}"
        );
        // Traits of other namespaces are not this check's business.
        assert!(load(&shapes(r#","traits":{"x.y#whatever":{}}"#)).is_ok());
    }

    #[test]
    fn levenshtein_distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }
}
