//! `serde` support (the `serde` feature): every generated structure, union,
//! enum and intEnum implements `Serialize` and `Deserialize` in the
//! service's own JSON form.
//!
//! The crate's codec defines that form, and serde reuses it rather than
//! repeating it: serializing writes the value with its
//! [`JsonSerialize`] impl and replays the JSON to the serde serializer;
//! deserializing takes any self-describing input (JSON, YAML, CBOR,
//! MessagePack, ...) as a JSON-like value and reads it with the type's
//! [`JsonDeserialize`] impl. So `serde_json::to_value(&output)` equals what
//! the service sends: wire names, timestamps and blobs as the protocol writes
//! them, unknown enum values and union members kept, absent members omitted.
//! One codec means the two forms cannot drift apart, and the feature adds a
//! few lines per type instead of a second serializer for each.
//!
//! Formats that are not self-describing (bincode, postcard) cannot carry
//! this form: deserializing asks for "any value".
//!
//! `@sensitive` members are data like any other here (a cached response must
//! read back whole); only their `Debug` form is redacted.
#![doc(hidden)]

use std::fmt;

use ::serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use ::serde::ser::{self, SerializeMap, SerializeSeq};
use ::serde::{Deserializer, Serialize, Serializer};

use super::json::{from_json, to_json, JsonDeserialize, JsonReader, JsonSerialize, JsonWriter};
use super::json::{JsonKind, MAX_DEPTH};

/// A JSON value in document order (objects keep their member order).
enum Value {
    Null,
    Bool(bool),
    UInt(u64),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

/// Serializes `value` through serde in the crate's JSON form.
pub fn serialize<T: JsonSerialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = to_json(value).map_err(ser::Error::custom)?;
    let mut reader = JsonReader::new(text.as_bytes());
    let tree = read_value(&mut reader).map_err(ser::Error::custom)?;
    tree.serialize(serializer)
}

/// Deserializes a `T` through serde from the crate's JSON form.
pub fn deserialize<'de, T: JsonDeserialize, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let tree = deserializer.deserialize_any(ValueVisitor { depth: 0 })?;
    let mut w = JsonWriter::new();
    tree.write(&mut w);
    from_json(w.as_str().as_bytes()).map_err(de::Error::custom)
}

fn read_value(r: &mut JsonReader<'_>) -> Result<Value, super::DecodeError> {
    Ok(match r.peek_kind()? {
        JsonKind::Null => {
            r.read_null()?;
            Value::Null
        }
        JsonKind::Bool => Value::Bool(r.read_bool()?),
        JsonKind::Number => {
            let text = r.read_number_text()?;
            if let Ok(v) = text.parse::<u64>() {
                Value::UInt(v)
            } else if text == "-0" {
                // How the writer spells a float's negative zero.
                Value::Float(-0.0)
            } else if let Ok(v) = text.parse::<i64>() {
                Value::Int(v)
            } else {
                // The reader checked the literal's syntax.
                Value::Float(text.parse::<f64>().unwrap_or(f64::NAN))
            }
        }
        JsonKind::String => Value::Str(r.read_string()?),
        JsonKind::Array => {
            let mut items = Vec::new();
            r.read_array(|r| {
                items.push(read_value(r)?);
                Ok(())
            })?;
            Value::Seq(items)
        }
        JsonKind::Object => {
            let mut members = Vec::new();
            r.read_object(|r, key| {
                members.push((key.to_owned(), read_value(r)?));
                Ok(())
            })?;
            Value::Map(members)
        }
    })
}

impl Value {
    fn write(&self, w: &mut JsonWriter) {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.boolean(*b),
            Value::UInt(v) => w.unsigned(*v),
            Value::Int(v) => w.integer(*v),
            Value::Float(v) => w.float(*v),
            Value::Str(s) => w.string(s),
            Value::Seq(items) => {
                w.begin_array();
                for item in items {
                    item.write(w);
                }
                w.end_array();
            }
            Value::Map(members) => {
                w.begin_object();
                for (key, value) in members {
                    w.key(key);
                    value.write(w);
                }
                w.end_object();
            }
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::UInt(v) => s.serialize_u64(*v),
            Value::Int(v) => s.serialize_i64(*v),
            Value::Float(v) => s.serialize_f64(*v),
            Value::Str(v) => s.serialize_str(v),
            Value::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Reads any value, refusing nesting deeper than the JSON reader's limit.
#[derive(Clone, Copy)]
struct ValueVisitor {
    depth: usize,
}

impl ValueVisitor {
    fn nested<E: de::Error>(self) -> Result<ValueVisitor, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(ValueVisitor {
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for ValueVisitor {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-like value (null, boolean, number, string, sequence or map)")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::UInt(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(u) => Value::UInt(u),
            Err(_) => Value::Int(v),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(key) = map.next_key::<String>()? {
            members.push((key, map.next_value_seed(inner)?));
        }
        Ok(Value::Map(members))
    }
}

/// Implements `Serialize` and `Deserialize` for a generated type through
/// [`serialize`] and [`deserialize`]; the first argument is the path of
/// this runtime module tree where it is mounted (`crate::runtime`).
macro_rules! impl_serde {
    ($($rt:ident)::+; $ty:ty) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $($rt)::+::serde_form::serialize(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $($rt)::+::serde_form::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use impl_serde;

impl_serde!(super; super::Document);
