//! Stage 1: the Smithy 2.0 JSON AST as plain serde types.
//!
//! Parsing happens in two steps so that every error can name what is at fault:
//! the document is first split into `shape id -> raw JSON` (which is where
//! malformed JSON is reported with file, line and column), then each shape is
//! decoded on its own, so a bad shape is reported by its id.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::Error;

/// Trait values keyed by absolute trait id (`smithy.api#required`).
pub type Traits = BTreeMap<String, Value>;

/// A JSON object whose key order is kept: structure members are serialized
/// in model order, and generated fields follow that order.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T> Ordered<T> {
    /// Looks a key up.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Looks a key up for mutation.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Iterates in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                use std::hash::BuildHasher;
                let mut out: Vec<(String, T)> = Vec::new();
                // Key hashes: a whole model has thousands of shape ids with
                // one long namespace prefix, too many to compare pairwise.
                // Only a repeated hash is checked against the keys.
                let hasher = std::collections::hash_map::RandomState::new();
                let mut hashes = std::collections::HashSet::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    if !hashes.insert(hasher.hash_one(&k)) && out.iter().any(|(seen, _)| *seen == k)
                    {
                        return Err(serde::de::Error::custom(format!("duplicate key `{k}`")));
                    }
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A reference to another shape: `{"target": "ns#Name"}`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Ref {
    /// Absolute shape id.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Member {
    /// Absolute shape id of the target.
    pub target: String,
    /// Member traits.
    #[serde(default)]
    pub traits: Traits,
}

/// One shape of any type; which fields are meaningful depends on `kind`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// The shape type (`structure`, `string`, `apply`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Applied traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins, in order.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// Members of structure, union, enum and intEnum shapes.
    #[serde(default)]
    pub members: Ordered<Member>,
    /// The member of list and set shapes.
    pub member: Option<Member>,
    /// Map key.
    pub key: Option<Member>,
    /// Map value.
    pub value: Option<Member>,
    /// Operation input.
    pub input: Option<Ref>,
    /// Operation output.
    pub output: Option<Ref>,
    /// Operation and service errors.
    #[serde(default)]
    pub errors: Vec<Ref>,
    /// Service version.
    pub version: Option<String>,
    /// Service and resource operations.
    #[serde(default)]
    pub operations: Vec<Ref>,
    /// Resource collection operations.
    #[serde(default)]
    pub collection_operations: Vec<Ref>,
    /// Service and resource child resources.
    #[serde(default)]
    pub resources: Vec<Ref>,
    /// Service `rename` map: shape id to new name.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Resource identifiers: name to target.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Ref>,
    /// Resource properties: name to target.
    #[serde(default)]
    pub properties: BTreeMap<String, Ref>,
    /// Resource lifecycle operations.
    pub create: Option<Ref>,
    /// Resource lifecycle operations.
    pub put: Option<Ref>,
    /// Resource lifecycle operations.
    pub read: Option<Ref>,
    /// Resource lifecycle operations.
    pub update: Option<Ref>,
    /// Resource lifecycle operations.
    pub delete: Option<Ref>,
    /// Resource lifecycle operations.
    pub list: Option<Ref>,
}

impl Shape {
    /// Whether the shape carries a trait.
    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }

    /// Every shape this shape refers to, with the member name (if any) that
    /// holds the reference. Used by closure computation and dangling checks.
    pub fn references(&self) -> Vec<(Option<&str>, &str)> {
        let mut out: Vec<(Option<&str>, &str)> = Vec::new();
        for (name, m) in self.members.iter() {
            out.push((Some(name.as_str()), m.target.as_str()));
        }
        for (name, m) in [
            ("member", &self.member),
            ("key", &self.key),
            ("value", &self.value),
        ] {
            if let Some(m) = m {
                out.push((Some(name), m.target.as_str()));
            }
        }
        for r in self.identifiers.values().chain(self.properties.values()) {
            out.push((None, r.target.as_str()));
        }
        let refs = [
            &self.input,
            &self.output,
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ];
        for r in refs.into_iter().flatten() {
            out.push((None, r.target.as_str()));
        }
        for list in [
            &self.errors,
            &self.operations,
            &self.collection_operations,
            &self.resources,
            &self.mixins,
        ] {
            for r in list {
                out.push((None, r.target.as_str()));
            }
        }
        out
    }
}

/// A whole model file.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The `smithy` version string.
    pub version: String,
    /// Model metadata.
    pub metadata: BTreeMap<String, Value>,
    /// Shapes by absolute id.
    pub shapes: BTreeMap<String, Shape>,
}

#[derive(Deserialize)]
struct RawModel<'a> {
    smithy: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, Value>,
    /// Kept as an ordered list so that a shape id given twice is an error
    /// rather than one definition silently replacing the other.
    #[serde(default, borrow)]
    shapes: Ordered<&'a RawValue>,
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |nl| before.len() - nl - 1)
        + 1;
    (line, col)
}

/// Byte offset of the (1-based) line and column that serde_json reported.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    text.len()
}

/// The id of the shape whose JSON text contains byte `offset`, found by a
/// tolerant scan of the document up to there: the key being read inside the
/// top-level `shapes` object. Names the shape in syntax errors, which the
/// parser reports by position only.
fn shape_at(text: &str, offset: usize) -> Option<String> {
    enum Frame {
        Object(Option<String>),
        Array,
    }
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = text.get(start..i.min(bytes.len())).map(String::from);
                    }
                    expect_key = false;
                }
            }
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array);
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = matches!(stack.last(), Some(Frame::Object(_))),
            b':' => expect_key = false,
            _ => {}
        }
        i += 1;
    }
    match stack.as_slice() {
        [Frame::Object(Some(top)), Frame::Object(Some(id)), _, ..] if top == "shapes" => {
            Some(id.clone())
        }
        _ => None,
    }
}

/// Parses a model document. `file` names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Model, Error> {
    let raw: RawModel<'_> = serde_json::from_str(text).map_err(|e| {
        let mut message = strip_position(&e);
        if let Some(id) = shape_at(text, offset_of(text, e.line(), e.column())) {
            message.push_str(&format!(" (in shape `{id}`)"));
        }
        Error::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    let version = raw.smithy.ok_or_else(|| Error::Model {
        file: file.to_string(),
        shape: None,
        message: "missing the top-level `smithy` version property".into(),
    })?;
    if !(version == "2" || version.starts_with("2.") || version == "1" || version.starts_with("1."))
    {
        return Err(Error::Model {
            file: file.to_string(),
            shape: None,
            message: format!("unsupported Smithy IDL version `{version}` (expected 1.x or 2.x)"),
        });
    }
    let mut shapes = BTreeMap::new();
    for (id, raw_shape) in raw.shapes.0 {
        if !id.contains('#') {
            return Err(Error::Model {
                file: file.to_string(),
                shape: Some(id.clone()),
                message: "shape ids must be absolute (`namespace#Name`)".into(),
            });
        }
        let json = raw_shape.get();
        let shape: Shape = serde_json::from_str(json).map_err(|e| {
            // Re-base the position onto the whole file.
            let base = json.as_ptr() as usize - text.as_ptr() as usize;
            let inner = offset_of(json, e.line(), e.column());
            let (line, column) = line_col(text, base + inner);
            Error::Json {
                file: file.to_string(),
                line,
                column,
                message: format!("{} (in shape `{id}`)", strip_position(&e)),
            }
        })?;
        shapes.insert(id, shape);
    }
    Ok(Model {
        version,
        metadata: raw.metadata,
        shapes,
    })
}

fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_document_order() {
        let text = r#"{"smithy":"2.0","shapes":{"a#S":{"type":"structure","members":{
            "Zed":{"target":"smithy.api#String"},"Alpha":{"target":"smithy.api#Integer","traits":{"smithy.api#required":{}}}}}}}"#;
        let m = parse("x.json", text).unwrap();
        let s = &m.shapes["a#S"];
        let names: Vec<_> = s.members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Zed", "Alpha"]);
        assert!(s
            .members
            .get("Alpha")
            .unwrap()
            .traits
            .contains_key("smithy.api#required"));
    }

    #[test]
    fn malformed_json_names_file_line_and_column() {
        let text =
            "{\"smithy\":\"2.0\",\n\"shapes\": {\n  \"a#S\": {\"type\": \"structure\",, }\n}}";
        let err = parse("bad.json", text).unwrap_err().to_string();
        assert!(err.contains("bad.json"), "{err}");
        assert!(err.contains(":3:"), "{err}");
    }

    #[test]
    fn syntax_error_inside_a_shape_names_the_shape() {
        let text = "{\"smithy\":\"2.0\",\"shapes\": {\n  \"a#A\": {\"type\": \"string\", \"traits\": {\"x#y\": [1, \"}\"]}},\n  \"a#B\": {\"type\": \"structure\",\n \"members\": {\"M\": {\"target\" \"a#A\"}}}\n}}";
        let err = parse("bad.json", text).unwrap_err().to_string();
        assert!(err.starts_with("bad.json:4:29: malformed JSON"), "{err}");
        assert!(err.contains("(in shape `a#B`)"), "{err}");
        // Outside any shape, no shape is named.
        let err = parse("bad.json", "{\"smithy\" \"2.0\"}")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bad.json:1:") && !err.contains("shape"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_shape_id_is_an_error() {
        let text = r#"{"smithy":"2.0","shapes":{"a#S":{"type":"string"},"a#S":{"type":"blob"}}}"#;
        let err = parse("d.json", text).unwrap_err().to_string();
        assert!(err.contains("duplicate key `a#S`"), "{err}");
    }

    #[test]
    fn bad_shape_is_named_with_absolute_position() {
        let text = "{\"smithy\":\"2.0\",\n\"shapes\": {\n  \"a#S\": {\"type\": \"structure\",\n \"members\": 5}\n}}";
        let err = parse("bad.json", text).unwrap_err().to_string();
        assert!(err.contains("a#S"), "{err}");
        assert!(err.contains("bad.json"), "{err}");
        assert!(err.contains(":4:"), "{err}");
    }

    #[test]
    fn duplicate_member_is_an_error() {
        let text = r#"{"smithy":"2.0","shapes":{"a#S":{"type":"structure","members":{"A":{"target":"x#Y"},"A":{"target":"x#Z"}}}}}"#;
        let err = parse("d.json", text).unwrap_err().to_string();
        assert!(err.contains("duplicate key `A`"), "{err}");
    }

    #[test]
    fn missing_version_and_relative_ids_are_errors() {
        assert!(parse("v.json", r#"{"shapes":{}}"#)
            .unwrap_err()
            .to_string()
            .contains("smithy"));
        let err = parse(
            "r.json",
            r#"{"smithy":"2.0","shapes":{"S":{"type":"string"}}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("absolute"), "{err}");
    }
}
