//! Untyped, protocol-agnostic values (Smithy `document`).

use std::collections::BTreeMap;

/// A JSON-like value of any shape.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Document {
    /// The null value.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// A map from string keys to documents, sorted by key.
    Object(BTreeMap<String, Document>),
}

/// A document number: integers that fit are kept exactly, everything else is a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

impl Number {
    /// The value as `i64`, if it is an integer within range.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }

    /// The value as `u64`, if it is a non-negative integer.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::PosInt(v) => Some(v),
            Number::NegInt(_) | Number::Float(_) => None,
        }
    }

    /// The value as `f64` (integers beyond 2^53 lose precision).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        match u64::try_from(v) {
            Ok(u) => Number::PosInt(u),
            Err(_) => Number::NegInt(v),
        }
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        Number::PosInt(v)
    }
}

impl From<f64> for Number {
    fn from(v: f64) -> Self {
        Number::Float(v)
    }
}

impl Document {
    /// Whether this is [`Document::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Document::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Document::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Document::Array(v) => Some(v),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(m) => Some(m),
            _ => None,
        }
    }
}

impl From<bool> for Document {
    fn from(v: bool) -> Self {
        Document::Bool(v)
    }
}

impl From<&str> for Document {
    fn from(v: &str) -> Self {
        Document::String(v.to_owned())
    }
}

impl From<String> for Document {
    fn from(v: String) -> Self {
        Document::String(v)
    }
}

impl From<i64> for Document {
    fn from(v: i64) -> Self {
        Document::Number(Number::from(v))
    }
}

impl From<i32> for Document {
    fn from(v: i32) -> Self {
        Document::Number(Number::from(i64::from(v)))
    }
}

impl From<u64> for Document {
    fn from(v: u64) -> Self {
        Document::Number(Number::PosInt(v))
    }
}

impl From<f64> for Document {
    fn from(v: f64) -> Self {
        Document::Number(Number::Float(v))
    }
}

impl From<Number> for Document {
    fn from(v: Number) -> Self {
        Document::Number(v)
    }
}

impl From<Vec<Document>> for Document {
    fn from(v: Vec<Document>) -> Self {
        Document::Array(v)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(v: BTreeMap<String, Document>) -> Self {
        Document::Object(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(Document::default(), Document::Null);
        assert!(Document::Null.is_null());
        assert_eq!(Document::from(true).as_bool(), Some(true));
        assert_eq!(Document::from("a").as_str(), Some("a"));
        assert_eq!(
            Document::from(String::from("b")),
            Document::String("b".into())
        );
        assert_eq!(Document::from(5i64), Document::Number(Number::PosInt(5)));
        assert_eq!(Document::from(-5i64), Document::Number(Number::NegInt(-5)));
        assert_eq!(Document::from(-5i32), Document::Number(Number::NegInt(-5)));
        assert_eq!(Document::from(7u64).as_number(), Some(Number::PosInt(7)));
        assert_eq!(Document::from(1.5), Document::Number(Number::Float(1.5)));
        let arr = Document::from(vec![Document::Null, Document::from(1i64)]);
        assert_eq!(arr.as_array().map(<[Document]>::len), Some(2));
        let mut map = BTreeMap::new();
        map.insert("k".to_owned(), Document::from(false));
        let obj = Document::from(map.clone());
        assert_eq!(obj.as_object(), Some(&map));
        assert_eq!(obj.as_str(), None);
        assert_eq!(arr.as_object(), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(Number::PosInt(u64::MAX).as_i64(), None);
        assert_eq!(Number::PosInt(3).as_i64(), Some(3));
        assert_eq!(Number::NegInt(-3).as_i64(), Some(-3));
        assert_eq!(Number::NegInt(-3).as_u64(), None);
        assert_eq!(Number::Float(1.0).as_i64(), None);
        assert_eq!(Number::NegInt(-3).as_f64(), -3.0);
        assert_eq!(Number::PosInt(3).as_f64(), 3.0);
        assert_eq!(Number::from(0i64), Number::PosInt(0));
        assert_eq!(Number::from(i64::MIN), Number::NegInt(i64::MIN));
    }
}
