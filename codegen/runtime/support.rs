//! Small shared pieces the generated types use: open-enum payloads, `Debug`
//! redaction, error faults and whole-body parsing.
#![doc(hidden)]

use std::fmt;

use super::blob::{BigDecimal, BigInteger};
use super::codec_error::DecodeError;
use super::json::{JsonDeserialize, JsonReader};

/// The text of an enum value this crate does not know. It can only be made
/// from a value that matched no known variant, so two equal wire values are
/// always the same Rust value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps an unknown wire value (only generated code should call this).
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownValue(value.to_string())
    }

    /// The value exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An intEnum value this crate does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownInt(i32);

impl UnknownInt {
    /// Wraps an unknown wire value (only generated code should call this).
    #[doc(hidden)]
    pub fn new(value: i32) -> Self {
        UnknownInt(value)
    }

    /// The value exactly as received.
    pub fn value(&self) -> i32 {
        self.0
    }
}

/// A union member this crate does not know: its wire name and value, kept
/// so that [`Json`](super::Json) and serde write it back as it was read. It
/// is never sent to a service. `Debug` shows the name only: whether the
/// value is `@sensitive` cannot be known.
///
/// The default (empty name) stands for a union that held no member, as in a
/// response that left a required union out; it cannot be written.
#[derive(Clone, Default, PartialEq)]
pub struct UnknownMember {
    name: String,
    value: super::Document,
}

impl UnknownMember {
    /// Wraps an unknown member (only generated code should call this).
    #[doc(hidden)]
    pub fn new(name: &str, value: super::Document) -> Self {
        UnknownMember {
            name: name.to_owned(),
            value,
        }
    }

    /// The member's wire name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member's value, as read.
    pub fn value(&self) -> &super::Document {
        &self.value
    }
}

impl fmt::Debug for UnknownMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownMember")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What `Debug` prints instead of a `@sensitive` value.
pub struct Redacted(bool);

impl Redacted {
    /// A present value, redacted.
    pub const VALUE: Redacted = Redacted(true);

    /// Redacts an optional value but still shows whether it is set.
    pub fn option<T>(value: &Option<T>) -> Redacted {
        Redacted(value.is_some())
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            f.write_str("\"*** Sensitive Data Redacted ***\"")
        } else {
            f.write_str("None")
        }
    }
}

/// Whose fault a modeled error is (`@error("client")` or `@error("server")`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The request was wrong.
    Client,
    /// The service failed.
    Server,
}

/// A body whose content is validated as JSON and otherwise ignored (unit outputs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ignored;

impl JsonDeserialize for Ignored {
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DecodeError> {
        r.skip_value()?;
        Ok(Ignored)
    }
}

/// Parses a whole response body as `T`. An empty body reads as `{}`, and only
/// whitespace may follow the value.
pub fn parse_body<T: JsonDeserialize>(body: &[u8]) -> Result<T, DecodeError> {
    let input: &[u8] = if JsonReader::is_blank(body) {
        b"{}"
    } else {
        body
    };
    let mut r = JsonReader::new(input);
    if r.read_null()? {
        // A `null` body carries no members.
        r.finish()?;
        return T::read_json(&mut JsonReader::new(b"{}"));
    }
    let value = T::read_json(&mut r)?;
    r.finish()?;
    Ok(value)
}

impl JsonReader<'_> {
    /// Reads an arbitrary-precision integer (a JSON number literal).
    pub fn read_big_integer(&mut self) -> Result<BigInteger, DecodeError> {
        let at = self.offset();
        let text = self.read_number_text()?;
        text.parse::<BigInteger>()
            .map_err(|e| DecodeError::new(e.message().to_string(), at))
    }

    /// Reads an arbitrary-precision decimal (a JSON number literal).
    pub fn read_big_decimal(&mut self) -> Result<BigDecimal, DecodeError> {
        let at = self.offset();
        let text = self.read_number_text()?;
        text.parse::<BigDecimal>()
            .map_err(|e| DecodeError::new(e.message().to_string(), at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_shows_presence_only() {
        assert_eq!(
            format!("{:?}", Redacted::VALUE),
            "\"*** Sensitive Data Redacted ***\""
        );
        assert_eq!(
            format!("{:?}", Redacted::option(&Some("secret"))),
            "\"*** Sensitive Data Redacted ***\""
        );
        assert_eq!(format!("{:?}", Redacted::option::<u8>(&None)), "None");
    }

    #[test]
    fn parse_body_accepts_empty_and_null_bodies_and_rejects_trailing_data() {
        assert!(parse_body::<Ignored>(b"").is_ok());
        assert!(parse_body::<Ignored>(b"  \n").is_ok());
        assert!(parse_body::<Ignored>(b"null").is_ok());
        assert!(parse_body::<Ignored>(b"{\"a\":1}").is_ok());
        assert!(parse_body::<Ignored>(b"{} x").is_err());
        assert!(parse_body::<Ignored>(b"{").is_err());
    }

    #[test]
    fn unknown_values_keep_their_text() {
        assert_eq!(UnknownValue::new("later-value").as_str(), "later-value");
        assert_eq!(UnknownInt::new(42).value(), 42);
    }
}
