//! A compact JSON writer and a zero-copy pull reader.
//!
//! Generated serializers drive [`JsonWriter`] member by member; generated
//! deserializers pull values straight out of the input with [`JsonReader`],
//! without building an intermediate tree.
#![doc(hidden)]

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::blob::{decode_base64, encode_base64_into, Blob};
use super::codec_error::{DecodeError, EncodeError};
use super::document::{Document, Number};
use super::number::scan_number;
use super::time::{
    parse_date_time, parse_epoch_seconds, parse_http_date, DateTime, TimestampFormat,
};

/// The deepest nesting of arrays and objects the reader accepts.
pub const MAX_DEPTH: usize = 128;

/// A value that can write itself as JSON.
pub trait JsonSerialize {
    /// Writes `self` as exactly one JSON value.
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError>;
}

/// The unit input or output of an operation: an empty object.
impl JsonSerialize for () {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.begin_object();
        w.end_object();
        Ok(())
    }
}

/// A value that can read itself from JSON.
pub trait JsonDeserialize: Sized {
    /// Reads exactly one JSON value.
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DecodeError>;
}

/// Serializes `value` to a compact JSON string, union members this crate
/// does not know included.
pub fn to_json<T: JsonSerialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
    let mut w = JsonWriter::keeping_unknown();
    value.write_json(&mut w)?;
    Ok(w.into_string())
}

/// Deserializes one value from `input`; only whitespace may follow it.
pub fn from_json<T: JsonDeserialize>(input: &[u8]) -> Result<T, DecodeError> {
    let mut r = JsonReader::new(input);
    let value = T::read_json(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// The crate's own JSON form of every generated structure, union, enum and
/// intEnum, without serde: the body format of the service's protocol (wire
/// member names, timestamps and blobs as the protocol writes them, unknown
/// enum values and union members kept, absent members omitted).
///
/// ```ignore
/// use aws_slim::runtime::Json;
/// let text = output.to_json()?;               // what the service would send
/// let back = Output::from_json(text.as_bytes())?;
/// assert_eq!(back, output);
/// ```
///
/// Implemented for every type with both codec halves; the `serde` feature
/// gives the same form through `Serialize` and `Deserialize`.
pub trait Json: JsonSerialize + JsonDeserialize {
    /// The value as compact JSON text.
    ///
    /// Fails only where the value cannot be written: a required member
    /// left unset, or a union placeholder that never held a member (what a
    /// response missing a required union member reads as).
    fn to_json(&self) -> Result<String, EncodeError> {
        to_json(self)
    }

    /// Reads a value from JSON text; only whitespace may follow it. An error
    /// names the member at fault and the byte offset.
    fn from_json(input: &[u8]) -> Result<Self, DecodeError> {
        from_json(input)
    }
}

impl<T: JsonSerialize + JsonDeserialize> Json for T {}

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

/// Builds compact JSON text; commas between members and elements are inserted automatically.
///
/// Inside an object call [`key`](Self::key) before each value. The caller is
/// responsible for balancing `begin_*`/`end_*` calls.
#[derive(Clone, Debug, Default)]
pub struct JsonWriter {
    out: String,
    needs_comma: bool,
    keep_unknown: bool,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn write_escaped(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    // The bytes to escape are exactly those a string reader stops at.
    while let Some(i) = find_string_special(bytes, start) {
        let b = bytes[i];
        // `i` indexes an ASCII byte and `start` follows one, so both are char boundaries.
        out.push_str(&s[start..i]);
        start = i + 1;
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn push_u64(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        // v % 10 < 10, so the cast does not truncate.
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

impl JsonWriter {
    /// Creates an empty writer with room for a typical request body, so
    /// small bodies are written without growing the buffer.
    pub fn new() -> Self {
        Self::with_capacity(128)
    }

    /// Creates an empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        JsonWriter {
            out: String::with_capacity(capacity),
            needs_comma: false,
            keep_unknown: false,
        }
    }

    /// A writer that writes union members this crate does not know back as
    /// they were read (the JSON form of [`Json`] and serde); a plain writer,
    /// which builds what is sent to a peer, refuses them.
    pub fn keeping_unknown() -> Self {
        JsonWriter {
            keep_unknown: true,
            ..Self::new()
        }
    }

    /// Whether unknown union members are written (see
    /// [`keeping_unknown`](Self::keeping_unknown)).
    pub fn keeps_unknown(&self) -> bool {
        self.keep_unknown
    }

    /// Returns the JSON text written so far.
    pub fn into_string(self) -> String {
        self.out
    }

    /// The JSON text written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    #[inline]
    fn comma(&mut self) {
        if self.needs_comma {
            self.out.push(',');
        }
    }

    #[inline]
    fn value_written(&mut self) {
        self.needs_comma = true;
    }

    /// Writes `{`.
    pub fn begin_object(&mut self) {
        self.comma();
        self.out.push('{');
        self.needs_comma = false;
    }

    /// Writes `}`.
    pub fn end_object(&mut self) {
        self.out.push('}');
        self.value_written();
    }

    /// Writes `[`.
    pub fn begin_array(&mut self) {
        self.comma();
        self.out.push('[');
        self.needs_comma = false;
    }

    /// Writes `]`.
    pub fn end_array(&mut self) {
        self.out.push(']');
        self.value_written();
    }

    /// Writes an object key (escaped) and the following `:`.
    pub fn key(&mut self, k: &str) {
        self.comma();
        write_escaped(&mut self.out, k);
        self.out.push(':');
        self.needs_comma = false;
    }

    /// Writes a string value, escaped per RFC 8259.
    pub fn string(&mut self, s: &str) {
        self.comma();
        write_escaped(&mut self.out, s);
        self.value_written();
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, b: bool) {
        self.comma();
        self.out.push_str(if b { "true" } else { "false" });
        self.value_written();
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.comma();
        self.out.push_str("null");
        self.value_written();
    }

    /// Writes an integer.
    pub fn integer(&mut self, v: i64) {
        self.comma();
        if v < 0 {
            self.out.push('-');
        }
        push_u64(&mut self.out, v.unsigned_abs());
        self.value_written();
    }

    /// Writes a non-negative integer.
    pub fn unsigned(&mut self, v: u64) {
        self.comma();
        push_u64(&mut self.out, v);
        self.value_written();
    }

    /// Writes a double as the shortest decimal that reads back to the same value.
    ///
    /// NaN and the infinities, which JSON numbers cannot express, are written
    /// as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`. Very large or
    /// very small magnitudes use exponent notation (`1e300`).
    pub fn float(&mut self, v: f64) {
        self.comma();
        if v.is_nan() {
            self.out.push_str("\"NaN\"");
        } else if v.is_infinite() {
            self.out.push_str(if v > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else {
            let a = v.abs();
            // Writing to a String cannot fail.
            let _ = if a == 0.0 || (1e-7..1e21).contains(&a) {
                write!(self.out, "{v}")
            } else {
                write!(self.out, "{v:e}")
            };
        }
        self.value_written();
    }

    /// Writes a float as the shortest decimal that reads back to the same `f32`
    /// (`1.1f32` is written as `1.1`); non-finite values as for [`float`](Self::float).
    pub fn float32(&mut self, v: f32) {
        self.comma();
        if v.is_nan() {
            self.out.push_str("\"NaN\"");
        } else if v.is_infinite() {
            self.out.push_str(if v > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else {
            let a = v.abs();
            let _ = if a == 0.0 || (1e-7..1e21).contains(&a) {
                write!(self.out, "{v}")
            } else {
                write!(self.out, "{v:e}")
            };
        }
        self.value_written();
    }

    /// Writes number text verbatim; the caller guarantees it is a valid JSON number.
    pub fn raw_number(&mut self, text: &str) {
        self.comma();
        self.out.push_str(text);
        self.value_written();
    }

    /// Writes bytes as a standard base64 string (with padding).
    pub fn blob(&mut self, bytes: &[u8]) {
        self.comma();
        self.out.push('"');
        encode_base64_into(bytes, &mut self.out);
        self.out.push('"');
        self.value_written();
    }

    /// Writes a timestamp: a number for epoch seconds, otherwise a string.
    pub fn timestamp(&mut self, t: DateTime, format: TimestampFormat) {
        match format {
            TimestampFormat::EpochSeconds => {
                self.comma();
                self.out.push_str(&t.fmt_epoch_seconds());
                self.value_written();
            }
            TimestampFormat::DateTime => self.string(&t.fmt_date_time()),
            TimestampFormat::HttpDate => self.string(&t.fmt_http_date()),
        }
    }

    /// Writes a document number.
    pub fn number(&mut self, n: Number) {
        match n {
            Number::PosInt(v) => self.unsigned(v),
            Number::NegInt(v) => self.integer(v),
            Number::Float(v) => self.float(v),
        }
    }

    /// Writes a document (iteratively, so deep documents cannot overflow the stack).
    pub fn document(&mut self, doc: &Document) {
        enum Frame<'d> {
            Array(std::slice::Iter<'d, Document>),
            Object(std::collections::btree_map::Iter<'d, String, Document>),
        }
        let mut stack: Vec<Frame<'_>> = Vec::new();
        let mut next = Some(doc);
        loop {
            if let Some(d) = next.take() {
                match d {
                    Document::Null => self.null(),
                    Document::Bool(b) => self.boolean(*b),
                    Document::Number(n) => self.number(*n),
                    Document::String(s) => self.string(s),
                    Document::Array(items) => {
                        self.begin_array();
                        stack.push(Frame::Array(items.iter()));
                    }
                    Document::Object(members) => {
                        self.begin_object();
                        stack.push(Frame::Object(members.iter()));
                    }
                }
            }
            match stack.last_mut() {
                None => break,
                Some(Frame::Array(items)) => match items.next() {
                    Some(d) => next = Some(d),
                    None => {
                        stack.pop();
                        self.end_array();
                    }
                },
                Some(Frame::Object(members)) => match members.next() {
                    Some((k, d)) => {
                        self.key(k);
                        next = Some(d);
                    }
                    None => {
                        stack.pop();
                        self.end_object();
                    }
                },
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

/// The kind of the next JSON value, as reported by [`JsonReader::peek_kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// The value of a validated JSON number with a fraction or exponent, when
/// it is integral: `Some(Some(v))`, `Some(None)` when it does not fit in an
/// `i64`, `None` when it has a non-zero fraction. Exact: no float rounding.
fn integral_value(text: &str) -> Option<Option<i64>> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().unwrap_or(i64::MAX)),
        None => (body, 0),
    };
    let (int_digits, frac_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int_digits.bytes().chain(frac_digits.bytes()).collect();
    let all_zero = |d: &[u8]| d.iter().all(|b| *b == b'0');
    if all_zero(&digits) {
        return Some(Some(0));
    }
    // Where the decimal point falls in `digits`, after the exponent.
    let point = (int_digits.len() as i64).saturating_add(exponent.clamp(-1_000_000, 1_000_000));
    if point <= 0 {
        return None; // 0.xxx with a non-zero digit
    }
    let point = point as usize;
    if point < digits.len() && !all_zero(&digits[point..]) {
        return None;
    }
    let mut acc: i64 = 0;
    for i in 0..point {
        let d = i64::from(digits.get(i).map_or(0, |b| b - b'0'));
        acc = match acc.checked_mul(10).and_then(|a| {
            if negative {
                a.checked_sub(d)
            } else {
                a.checked_add(d)
            }
        }) {
            Some(a) => a,
            None => return Some(None),
        };
    }
    Some(Some(acc))
}

/// Parses a validated integer literal (`-?digits`) into an `i64`, `None` on overflow.
fn parse_i64(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((&b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut acc: i64 = 0;
    for &d in digits {
        let d = i64::from(d.wrapping_sub(b'0'));
        acc = acc.checked_mul(10)?;
        acc = if negative {
            acc.checked_sub(d)?
        } else {
            acc.checked_add(d)?
        };
    }
    Some(acc)
}

fn is_string_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// The offset of the first `"`, `\` or control character (the bytes a JSON
/// string ends or escapes at) at or after `from`.
///
/// Eight bytes at a time: a byte is flagged when it equals `"` or `\` or
/// is below 0x20. A borrow can only flag bytes above a true match, so the
/// lowest flag is exact.
pub(super) fn find_string_special(b: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = b.get(i..i.saturating_add(8)) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(bytes);
        let quote = w ^ (LO * u64::from(b'"'));
        let backslash = w ^ (LO * u64::from(b'\\'));
        let flags = ((quote.wrapping_sub(LO) & !quote)
            | (backslash.wrapping_sub(LO) & !backslash)
            | (w.wrapping_sub(LO * 0x20) & !w))
            & HI;
        if flags != 0 {
            // At most 7: the index of the flagged byte in the word.
            return Some(i + (flags.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|&c| is_string_special(c))
        .map(|p| i + p)
}

/// A pull parser over a JSON byte slice.
///
/// Each `read_*` method skips leading whitespace and consumes exactly one
/// value. Errors carry the byte offset at which they were detected.
#[derive(Clone, Debug)]
pub struct JsonReader<'a> {
    input: &'a [u8],
    /// `input` as text when all of it is UTF-8: checked once, so strings
    /// are sliced from it without a check of their own. Otherwise each
    /// string is checked (and only strings: other bytes are ASCII anyway).
    text: Option<&'a str>,
    pos: usize,
    depth: usize,
}

impl<'a> JsonReader<'a> {
    /// Creates a reader positioned at the start of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        JsonReader {
            input,
            text: std::str::from_utf8(input).ok(),
            pos: 0,
            depth: 0,
        }
    }

    /// Whether `input` holds nothing but JSON whitespace (e.g. an empty body).
    pub fn is_blank(input: &[u8]) -> bool {
        input
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    }

    /// The current byte offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Checks that only whitespace remains.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        if self.peek_byte().is_some() {
            Err(self.expected("end of input"))
        } else {
            Ok(())
        }
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    fn peek_byte(&mut self) -> Option<u8> {
        self.skip_ws();
        self.input.get(self.pos).copied()
    }

    /// Describes the token at the current position (whitespace already skipped).
    fn found(&self) -> Cow<'static, str> {
        match self.input.get(self.pos) {
            None => "end of input".into(),
            Some(b'"') => "a string".into(),
            Some(b'{') => "an object".into(),
            Some(b'[') => "an array".into(),
            Some(b't' | b'f') => "a boolean".into(),
            Some(b'n') => "null".into(),
            Some(b'-' | b'0'..=b'9') => "a number".into(),
            Some(&b) if b.is_ascii_graphic() => format!("`{}`", char::from(b)).into(),
            Some(&b) => format!("byte 0x{b:02x}").into(),
        }
    }

    fn expected(&self, what: &str) -> DecodeError {
        DecodeError::new(format!("expected {what}, found {}", self.found()), self.pos)
    }

    /// The kind of the next value, without consuming it.
    pub fn peek_kind(&mut self) -> Result<JsonKind, DecodeError> {
        match self.peek_byte() {
            Some(b'"') => Ok(JsonKind::String),
            Some(b'{') => Ok(JsonKind::Object),
            Some(b'[') => Ok(JsonKind::Array),
            Some(b't' | b'f') => Ok(JsonKind::Bool),
            Some(b'n') => Ok(JsonKind::Null),
            Some(b'-' | b'0'..=b'9') => Ok(JsonKind::Number),
            _ => Err(self.expected("a JSON value")),
        }
    }

    fn literal(&mut self, lit: &'static str) -> Result<(), DecodeError> {
        let end = self.pos.saturating_add(lit.len());
        if self.input.get(self.pos..end) == Some(lit.as_bytes()) {
            self.pos = end;
            Ok(())
        } else {
            Err(DecodeError::new(
                format!("invalid literal, expected `{lit}`"),
                self.pos,
            ))
        }
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::new(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                self.pos,
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Consumes `null` and returns true if it is next; otherwise consumes nothing and returns false.
    pub fn read_null(&mut self) -> Result<bool, DecodeError> {
        if self.peek_byte() == Some(b'n') {
            self.literal("null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Returns `None` for `null`, otherwise `Some` of what `f` reads.
    pub fn read_optional<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        if self.read_null()? {
            Ok(None)
        } else {
            f(self).map(Some)
        }
    }

    /// Reads an object, calling `f` with each (unescaped) key; `f` must read exactly one value.
    pub fn read_object(
        &mut self,
        mut f: impl FnMut(&mut Self, &str) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        if self.peek_byte() != Some(b'{') {
            return Err(self.expected("an object"));
        }
        self.enter()?;
        self.pos += 1;
        if self.peek_byte() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if self.peek_byte() != Some(b'"') {
                return Err(self.expected("an object key"));
            }
            let key = self.parse_str()?;
            if self.peek_byte() != Some(b':') {
                return Err(self.expected("`:`"));
            }
            self.pos += 1;
            f(self, &key)?;
            match self.peek_byte() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.expected("`,` or `}`")),
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads an array, calling `f` once per element; `f` must read exactly one value.
    pub fn read_array(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        if self.peek_byte() != Some(b'[') {
            return Err(self.expected("an array"));
        }
        self.enter()?;
        self.pos += 1;
        if self.peek_byte() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek_byte() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.expected("`,` or `]`")),
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn utf8(&self, from: usize, to: usize) -> Result<&'a str, DecodeError> {
        if let Some(text) = self.text.and_then(|t| t.get(from..to)) {
            return Ok(text);
        }
        let input = self.input;
        std::str::from_utf8(&input[from..to])
            .map_err(|e| DecodeError::new("invalid UTF-8 in string", from + e.valid_up_to()))
    }

    /// Parses the string starting at the current `"`; borrows from the input when unescaped.
    fn parse_str(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let input = self.input;
        let open = self.pos;
        let start = open + 1;
        let find_special = |from: usize| find_string_special(input, from);
        let mut i = match find_special(start) {
            Some(i) => i,
            None => return Err(DecodeError::new("unterminated string", open)),
        };
        if input.get(i) == Some(&b'"') {
            let s = self.utf8(start, i)?;
            self.pos = i + 1;
            return Ok(Cow::Borrowed(s));
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(self.utf8(start, i)?);
        loop {
            match input.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => i = self.unescape(i, &mut out)?,
                Some(_) => {
                    return Err(DecodeError::new("unescaped control character in string", i))
                }
                None => return Err(DecodeError::new("unterminated string", open)),
            }
            let run_end = find_special(i).unwrap_or(input.len());
            out.push_str(self.utf8(i, run_end)?);
            i = run_end;
        }
    }

    fn hex4(&self, at: usize) -> Result<u32, DecodeError> {
        let digits = self
            .input
            .get(at..at + 4)
            .ok_or_else(|| DecodeError::new("incomplete \\u escape", at))?;
        let mut v = 0u32;
        for (k, &d) in digits.iter().enumerate() {
            let n = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(DecodeError::new("invalid hex digit in \\u escape", at + k)),
            };
            v = (v << 4) | u32::from(n);
        }
        Ok(v)
    }

    /// Decodes the escape at `i` (a backslash) into `out`; returns the offset after it.
    fn unescape(&self, i: usize, out: &mut String) -> Result<usize, DecodeError> {
        let c = match self.input.get(i + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(i + 2)?;
                let (code, next) = match first {
                    0xD800..=0xDBFF => {
                        if self.input.get(i + 6) != Some(&b'\\')
                            || self.input.get(i + 7) != Some(&b'u')
                        {
                            return Err(DecodeError::new("unpaired surrogate in \\u escape", i));
                        }
                        let second = self.hex4(i + 8)?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(DecodeError::new("unpaired surrogate in \\u escape", i));
                        }
                        (
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00),
                            i + 12,
                        )
                    }
                    0xDC00..=0xDFFF => {
                        return Err(DecodeError::new("unpaired surrogate in \\u escape", i))
                    }
                    _ => (first, i + 6),
                };
                let c = char::from_u32(code)
                    .ok_or_else(|| DecodeError::new("invalid \\u escape", i))?;
                out.push(c);
                return Ok(next);
            }
            _ => return Err(DecodeError::new("invalid escape sequence", i)),
        };
        out.push(c);
        Ok(i + 2)
    }

    /// Reads a string.
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        self.read_str().map(Cow::into_owned)
    }

    /// Reads a string, borrowing it from the input when it contains no escapes.
    pub fn read_str(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        if self.peek_byte() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        self.parse_str()
    }

    /// Reads `true` or `false`.
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        match self.peek_byte() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.expected("a boolean")),
        }
    }

    /// Scans the number at the current position and returns its text.
    fn number_text(&mut self) -> Result<(&'a str, bool), DecodeError> {
        let input = self.input;
        let start = self.pos;
        let (end, integer) =
            scan_number(input, start).map_err(|(m, at)| DecodeError::new(m, at))?;
        // Number literals are ASCII, so this never fails.
        let text = match self.text.and_then(|t| t.get(start..end)) {
            Some(text) => text,
            None => std::str::from_utf8(&input[start..end])
                .map_err(|_| DecodeError::new("invalid number", start))?,
        };
        self.pos = end;
        Ok((text, integer))
    }

    /// Reads an integer literal; `ty` names the target type in range errors.
    fn read_integer(&mut self, ty: &str) -> Result<(i64, usize), DecodeError> {
        if !matches!(self.peek_byte(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected("an integer"));
        }
        let start = self.pos;
        let (text, integer) = self.number_text()?;
        if !integer {
            // Like botocore and aws-sdk-rust: `3.0` and `1e2` are integers,
            // `1.5` is not.
            return match integral_value(text) {
                Some(Some(v)) => Ok((v, start)),
                Some(None) => Err(range_error(ty, start)),
                None => Err(DecodeError::new(
                    "expected an integer, found a number with a fraction",
                    start,
                )),
            };
        }
        parse_i64(text.as_bytes())
            .map(|v| (v, start))
            .ok_or_else(|| range_error(ty, start))
    }

    /// Reads an integer that must fit in `i8`.
    pub fn read_i8(&mut self) -> Result<i8, DecodeError> {
        let (v, start) = self.read_integer("i8")?;
        i8::try_from(v).map_err(|_| range_error("i8", start))
    }

    /// Reads an integer that must fit in `i16`.
    pub fn read_i16(&mut self) -> Result<i16, DecodeError> {
        let (v, start) = self.read_integer("i16")?;
        i16::try_from(v).map_err(|_| range_error("i16", start))
    }

    /// Reads an integer that must fit in `i32`.
    pub fn read_i32(&mut self) -> Result<i32, DecodeError> {
        let (v, start) = self.read_integer("i32")?;
        i32::try_from(v).map_err(|_| range_error("i32", start))
    }

    /// Reads an integer that must fit in `i64`.
    pub fn read_i64(&mut self) -> Result<i64, DecodeError> {
        self.read_integer("i64").map(|(v, _)| v)
    }

    /// Reads the strings `"NaN"`, `"Infinity"` or `"-Infinity"`.
    fn read_special_float(&mut self) -> Result<f64, DecodeError> {
        let start = self.pos;
        match &*self.parse_str()? {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(DecodeError::new(
                "expected a number, found a string other than \"NaN\", \"Infinity\" or \"-Infinity\"",
                start,
            )),
        }
    }

    /// Reads a number (or `"NaN"`, `"Infinity"`, `"-Infinity"`) as `f64`.
    ///
    /// A finite literal too large for `f64` is an error.
    pub fn read_f64(&mut self) -> Result<f64, DecodeError> {
        match self.peek_byte() {
            Some(b'"') => self.read_special_float(),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let (text, _) = self.number_text()?;
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(DecodeError::new("number out of range of f64", start)),
                }
            }
            _ => Err(self.expected("a number")),
        }
    }

    /// Reads a number (or `"NaN"`, `"Infinity"`, `"-Infinity"`) as `f32`, rounding once.
    ///
    /// A finite literal too large for `f32` is an error.
    pub fn read_f32(&mut self) -> Result<f32, DecodeError> {
        match self.peek_byte() {
            Some(b'"') => {
                let v = self.read_special_float()?;
                Ok(if v.is_nan() {
                    f32::NAN
                } else if v > 0.0 {
                    f32::INFINITY
                } else {
                    f32::NEG_INFINITY
                })
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let (text, _) = self.number_text()?;
                match text.parse::<f32>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(DecodeError::new("number out of range of f32", start)),
                }
            }
            _ => Err(self.expected("a number")),
        }
    }

    /// Reads a number and returns its exact literal text (for big numbers).
    pub fn read_number_text(&mut self) -> Result<String, DecodeError> {
        if !matches!(self.peek_byte(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected("a number"));
        }
        self.number_text().map(|(text, _)| text.to_owned())
    }

    /// Reads a base64 string (standard alphabet, padding optional).
    pub fn read_blob(&mut self) -> Result<Blob, DecodeError> {
        if self.peek_byte() != Some(b'"') {
            return Err(self.expected("a base64-encoded string"));
        }
        let start = self.pos;
        let s = self.parse_str()?;
        decode_base64(&s)
            .map(Blob::from)
            .ok_or_else(|| DecodeError::new("invalid base64 string", start))
    }

    /// Reads a timestamp: a number for epoch seconds, otherwise a string in
    /// the given format. Like botocore, it also reads what services and
    /// emulators send in the other form: a string (numeric, RFC 3339 with
    /// or without a zone, taken as UTC, or an HTTP date) where epoch seconds
    /// are modeled, and a number where a string is.
    pub fn read_timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, DecodeError> {
        if matches!(self.peek_byte(), Some(b'-' | b'0'..=b'9')) {
            let start = self.pos;
            let (text, _) = self.number_text()?;
            return parse_epoch_seconds(text).map_err(|e| e.shifted(start));
        }
        match format {
            TimestampFormat::EpochSeconds => {
                if self.peek_byte() != Some(b'"') {
                    return Err(self.expected("a number of epoch seconds"));
                }
                let start = self.pos + 1;
                let s = self.parse_str()?;
                let t = s.trim();
                parse_epoch_seconds(t)
                    .or_else(|_| parse_date_time(t))
                    .or_else(|_| parse_date_time(&format!("{t}Z")))
                    .or_else(|_| parse_http_date(t))
                    .map_err(|_| {
                        DecodeError::new(
                            format!(
                                "expected a timestamp (epoch seconds, RFC 3339 or HTTP date), found {s:?}"
                            ),
                            start,
                        )
                    })
            }
            TimestampFormat::DateTime | TimestampFormat::HttpDate => {
                if self.peek_byte() != Some(b'"') {
                    return Err(self.expected("a timestamp string"));
                }
                let start = self.pos + 1;
                let s = self.parse_str()?;
                let parsed = if format == TimestampFormat::DateTime {
                    parse_date_time(&s)
                } else {
                    parse_http_date(&s)
                };
                parsed.map_err(|e| e.shifted(start))
            }
        }
    }

    fn read_document_number(&mut self) -> Result<Number, DecodeError> {
        let start = self.pos;
        let (text, integer) = self.number_text()?;
        if integer {
            if let Some(rest) = text.strip_prefix('-') {
                match parse_i64(text.as_bytes()) {
                    Some(v) if v < 0 => return Ok(Number::NegInt(v)),
                    // "-0": keep the sign as a float.
                    Some(_) if rest.bytes().all(|b| b == b'0') => return Ok(Number::Float(-0.0)),
                    _ => {}
                }
            } else if let Ok(v) = text.parse::<u64>() {
                return Ok(Number::PosInt(v));
            }
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Number::Float(v)),
            _ => Err(DecodeError::new("number out of range of f64", start)),
        }
    }

    /// Reads any JSON value as a [`Document`].
    pub fn read_document(&mut self) -> Result<Document, DecodeError> {
        match self.peek_byte() {
            Some(b'n') => self.literal("null").map(|()| Document::Null),
            Some(b't' | b'f') => self.read_bool().map(Document::Bool),
            Some(b'"') => self.parse_str().map(|s| Document::String(s.into_owned())),
            Some(b'-' | b'0'..=b'9') => self.read_document_number().map(Document::Number),
            Some(b'[') => {
                let mut items = Vec::new();
                self.read_array(|r| {
                    items.push(r.read_document()?);
                    Ok(())
                })?;
                Ok(Document::Array(items))
            }
            Some(b'{') => {
                let mut members = BTreeMap::new();
                self.read_object(|r, key| {
                    let value = r.read_document()?;
                    members.insert(key.to_owned(), value);
                    Ok(())
                })?;
                Ok(Document::Object(members))
            }
            _ => Err(self.expected("a JSON value")),
        }
    }

    /// Skips one value of any kind, validating it.
    pub fn skip_value(&mut self) -> Result<(), DecodeError> {
        match self.peek_byte() {
            Some(b'n') => self.literal("null"),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'"') => self.parse_str().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number_text().map(drop),
            Some(b'[') => self.read_array(|r| r.skip_value()),
            Some(b'{') => self.read_object(|r, _| r.skip_value()),
            _ => Err(self.expected("a JSON value")),
        }
    }
}

fn range_error(ty: &str, offset: usize) -> DecodeError {
    DecodeError::new(format!("expected an integer in the range of {ty}"), offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(s: &str) -> JsonReader<'_> {
        JsonReader::new(s.as_bytes())
    }

    fn err_of<T: std::fmt::Debug>(r: Result<T, DecodeError>) -> (String, usize) {
        match r {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => (e.message().to_owned(), e.offset()),
        }
    }

    // ----- writer -----

    #[test]
    fn writer_structure_and_commas() {
        let mut w = JsonWriter::with_capacity(64);
        w.begin_object();
        w.key("a");
        w.integer(1);
        w.key("b");
        w.begin_array();
        w.boolean(true);
        w.null();
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.end_array();
        w.string("x");
        w.end_array();
        w.key("c");
        w.begin_object();
        w.key("d");
        w.unsigned(u64::MAX);
        w.end_object();
        w.end_object();
        assert_eq!(
            w.as_str(),
            r#"{"a":1,"b":[true,null,{},[],"x"],"c":{"d":18446744073709551615}}"#
        );
        assert_eq!(JsonWriter::new().into_string(), "");
    }

    #[test]
    fn writer_integers() {
        let mut w = JsonWriter::new();
        w.begin_array();
        for v in [0, 7, -7, 10, -100, i64::MAX, i64::MIN] {
            w.integer(v);
        }
        w.end_array();
        assert_eq!(
            w.into_string(),
            "[0,7,-7,10,-100,9223372036854775807,-9223372036854775808]"
        );
    }

    #[test]
    fn writer_escaping() {
        let mut w = JsonWriter::new();
        w.string("a\"b\\c\n\r\t\u{8}\u{c}\u{0}\u{1f}/é😀\u{7f}");
        assert_eq!(
            w.as_str(),
            r#""a\"b\\c\n\r\t\b\f\u0000\u001f/é😀"#.to_owned() + "\u{7f}\""
        );
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("k\"ey");
        w.string("");
        w.end_object();
        assert_eq!(w.as_str(), r#"{"k\"ey":""}"#);
    }

    #[test]
    fn writer_floats() {
        let mut w = JsonWriter::new();
        w.begin_array();
        w.float32(1.1);
        w.float(1.1);
        w.float(0.1 + 0.2);
        w.float(1.0);
        w.float(-0.0);
        w.float(1e300);
        w.float(1.5e-10);
        w.float(f64::NAN);
        w.float(f64::INFINITY);
        w.float(f64::NEG_INFINITY);
        w.float32(f32::NAN);
        w.float32(f32::NEG_INFINITY);
        w.float32(3.4028235e38);
        w.float(f64::MIN_POSITIVE);
        w.end_array();
        assert_eq!(
            w.as_str(),
            r#"[1.1,1.1,0.30000000000000004,1,-0,1e300,1.5e-10,"NaN","Infinity","-Infinity","NaN","-Infinity",3.4028235e38,2.2250738585072014e-308]"#
        );
        // Every finite float written reads back bit-for-bit.
        let mut x = 1.234_567_890_123e-300_f64;
        while x < 1e300 {
            let mut w = JsonWriter::new();
            w.float(x);
            w.float(-x);
            let text = format!("[{}]", w.as_str());
            let mut r = JsonReader::new(text.as_bytes());
            let mut got = Vec::new();
            r.read_array(|r| {
                got.push(r.read_f64()?);
                Ok(())
            })
            .expect("valid");
            assert_eq!(got, vec![x, -x]);
            x *= 7.77;
        }
    }

    #[test]
    fn writer_blob_timestamp_raw() {
        let mut w = JsonWriter::new();
        w.begin_array();
        w.blob(b"foobar");
        w.blob(b"");
        w.raw_number("123456789012345678901234567890.5");
        let t = DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000);
        w.timestamp(t, TimestampFormat::EpochSeconds);
        w.timestamp(t, TimestampFormat::DateTime);
        w.timestamp(t, TimestampFormat::HttpDate);
        w.end_array();
        assert_eq!(
            w.as_str(),
            r#"["Zm9vYmFy","",123456789012345678901234567890.5,1398796238.123,"2014-04-29T18:30:38.123Z","Tue, 29 Apr 2014 18:30:38.123 GMT"]"#
        );
    }

    #[test]
    fn document_round_trip() {
        let text = r#"{"a":[1,-2,1.5,-0,18446744073709551616,-9223372036854775809,true,false,null],"b":{"c":"d\n"},"":{}}"#;
        let doc: Document = from_json(text.as_bytes()).expect("valid");
        let Document::Object(m) = &doc else {
            panic!("not an object")
        };
        assert_eq!(
            m.get("a")
                .and_then(Document::as_array)
                .map(|a| a[..5].to_vec()),
            Some(vec![
                Document::Number(Number::PosInt(1)),
                Document::Number(Number::NegInt(-2)),
                Document::Number(Number::Float(1.5)),
                Document::Number(Number::Float(-0.0)),
                Document::Number(Number::Float(18446744073709551616.0)),
            ])
        );
        let written = to_json(&doc).expect("serializable");
        assert_eq!(
            written,
            r#"{"":{},"a":[1,-2,1.5,-0,18446744073709552000,-9223372036854776000,true,false,null],"b":{"c":"d\n"}}"#
        );
        let again: Document = from_json(written.as_bytes()).expect("valid");
        assert_eq!(again, doc);
    }

    #[test]
    fn deep_document_writes_without_recursion() {
        let mut doc = Document::Null;
        for i in 0..10_000 {
            doc = if i % 2 == 0 {
                Document::Array(vec![doc])
            } else {
                let mut m = BTreeMap::new();
                m.insert("k".to_owned(), doc);
                Document::Object(m)
            };
        }
        let mut w = JsonWriter::new();
        w.document(&doc);
        let s = w.into_string();
        assert_eq!(s.len(), 5000 * 2 + 5000 * 6 + 4);
        assert!(s.starts_with("{\"k\":[{\"k\":["));
        // Avoid recursive drop of the deep value.
        let mut cur = doc;
        loop {
            cur = match cur {
                Document::Array(mut v) => match v.pop() {
                    Some(d) => d,
                    None => break,
                },
                Document::Object(mut m) => match m.pop_first() {
                    Some((_, d)) => d,
                    None => break,
                },
                _ => break,
            };
        }
    }

    // ----- reader: primitives -----

    #[test]
    fn read_primitives() {
        let mut r = reader(" [ true , false , null , \"s\" , -12 , 3.5 , 1e2 ] ");
        let mut seen = Vec::new();
        r.read_array(|r| {
            let v = match r.peek_kind()? {
                JsonKind::Bool => r.read_bool()?.to_string(),
                JsonKind::Null => {
                    assert!(r.read_null()?);
                    "null".to_owned()
                }
                JsonKind::String => r.read_string()?,
                JsonKind::Number => r.read_f64()?.to_string(),
                other => panic!("unexpected {other:?}"),
            };
            seen.push(v);
            Ok(())
        })
        .expect("valid");
        r.finish().expect("only whitespace left");
        assert_eq!(seen, ["true", "false", "null", "s", "-12", "3.5", "100"]);
    }

    #[test]
    fn read_null_and_optional() {
        let mut r = reader("  5");
        assert_eq!(r.read_null(), Ok(false));
        assert_eq!(r.read_optional(|r| r.read_i32()), Ok(Some(5)));
        let mut r = reader("null");
        assert_eq!(r.read_optional(|r| r.read_i32()), Ok(None));
        assert_eq!(r.offset(), 4);
        assert_eq!(err_of(reader("nul").read_null()).1, 0);
    }

    #[test]
    fn integer_ranges() {
        assert_eq!(reader("127").read_i8(), Ok(127));
        assert_eq!(reader("-128").read_i8(), Ok(-128));
        assert_eq!(
            err_of(reader(" 128").read_i8()),
            ("expected an integer in the range of i8".to_owned(), 1)
        );
        assert_eq!(reader("-32768").read_i16(), Ok(-32768));
        assert!(reader("32768").read_i16().is_err());
        assert_eq!(reader("2147483647").read_i32(), Ok(i32::MAX));
        assert_eq!(
            err_of(reader("2147483648").read_i32()).0,
            "expected an integer in the range of i32"
        );
        assert_eq!(
            err_of(reader("99999999999999999999999").read_i32()).0,
            "expected an integer in the range of i32"
        );
        assert_eq!(reader("-9223372036854775808").read_i64(), Ok(i64::MIN));
        assert_eq!(reader("9223372036854775807").read_i64(), Ok(i64::MAX));
        assert_eq!(
            err_of(reader("9223372036854775808").read_i64()).0,
            "expected an integer in the range of i64"
        );
        assert_eq!(reader("-0").read_i64(), Ok(0));
        // Integral floats and exponent forms are integers (botocore and
        // aws-sdk-rust read them); fractions and overflow are not.
        assert_eq!(reader("1.0").read_i32(), Ok(1));
        assert_eq!(reader("1e2").read_i32(), Ok(100));
        assert_eq!(reader("-2.50e1").read_i64(), Ok(-25));
        assert_eq!(reader("12500E-2").read_i64(), Ok(125));
        assert_eq!(reader("0.000e5").read_i8(), Ok(0));
        assert_eq!(reader("9.223372036854775807e18").read_i64(), Ok(i64::MAX));
        assert_eq!(reader("-9.223372036854775808e18").read_i64(), Ok(i64::MIN));
        assert_eq!(
            err_of(reader("1.5").read_i32()).0,
            "expected an integer, found a number with a fraction"
        );
        assert_eq!(
            err_of(reader("125e-2").read_i32()).0,
            "expected an integer, found a number with a fraction"
        );
        assert_eq!(
            err_of(reader("3e9").read_i32()).0,
            "expected an integer in the range of i32"
        );
        assert_eq!(
            err_of(reader("1e400").read_i64()).0,
            "expected an integer in the range of i64"
        );
        assert_eq!(
            err_of(reader("\"1\"").read_i32()),
            ("expected an integer, found a string".to_owned(), 0)
        );
        assert_eq!(err_of(reader("01").read_i32()).1, 1);
        assert_eq!(err_of(reader("-").read_i32()).1, 1);
        assert_eq!(
            err_of(reader("").read_i32()).0,
            "expected an integer, found end of input"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(reader("1.1").read_f32(), Ok(1.1f32));
        assert_eq!(reader("-2.5E+3").read_f64(), Ok(-2500.0));
        assert_eq!(reader("\"Infinity\"").read_f64(), Ok(f64::INFINITY));
        assert_eq!(reader("\"-Infinity\"").read_f32(), Ok(f32::NEG_INFINITY));
        assert!(reader("\"NaN\"").read_f64().is_ok_and(f64::is_nan));
        assert!(reader("\"NaN\"").read_f32().is_ok_and(f32::is_nan));
        assert!(reader("\"nan\"").read_f64().is_err());
        assert!(reader("1e400").read_f64().is_err());
        assert!(reader("1e39").read_f32().is_err());
        assert_eq!(reader("1e-400").read_f64(), Ok(0.0));
        assert_eq!(
            err_of(reader("true").read_f64()).0,
            "expected a number, found a boolean"
        );
        assert_eq!(err_of(reader("1.").read_f64()).1, 2);
        assert_eq!(err_of(reader("1e+").read_f64()).1, 3);
        assert_eq!(
            err_of(reader(".5").read_f64()).0,
            "expected a number, found `.`"
        );
    }

    #[test]
    fn number_text() {
        let mut r = reader("[-123456789012345678901234567890, 1.50e-7]");
        let mut texts = Vec::new();
        r.read_array(|r| {
            texts.push(r.read_number_text()?);
            Ok(())
        })
        .expect("valid");
        assert_eq!(texts, ["-123456789012345678901234567890", "1.50e-7"]);
        assert!(reader("\"1\"").read_number_text().is_err());
    }

    // ----- reader: strings -----

    #[test]
    fn strings_and_escapes() {
        let cases = [
            (r#""plain""#, "plain"),
            (r#""""#, ""),
            (r#""a\"b\\c\/d\b\f\n\r\t""#, "a\"b\\c/d\u{8}\u{c}\n\r\t"),
            (r#""\u0041\u00e9\u4E2D""#, "Aé中"),
            (r#""\ud83d\ude00 smile""#, "😀 smile"),
            ("\"é中😀\"", "é中😀"),
            (r#""x\u0000y""#, "x\u{0}y"),
        ];
        for (input, want) in cases {
            assert_eq!(reader(input).read_string().as_deref(), Ok(want), "{input}");
        }
        assert!(matches!(
            reader(r#""abc""#).read_str(),
            Ok(Cow::Borrowed("abc"))
        ));
        assert!(matches!(reader(r#""a\nc""#).read_str(), Ok(Cow::Owned(_))));
    }

    #[test]
    fn find_string_special_matches_a_byte_scan() {
        let naive = |b: &[u8], from: usize| {
            b.get(from..)?
                .iter()
                .position(|&c| is_string_special(c))
                .map(|p| from + p)
        };
        let alphabet = b"a\"\\\x00\x1f\x20\x21\x5b\x5d\x7f\x80\xa2\xdc\xff";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..40 {
            for _ in 0..200 {
                let input: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        // Mostly plain bytes, so specials land anywhere in a word.
                        if seed % 4 == 0 {
                            alphabet[(seed >> 8) as usize % alphabet.len()]
                        } else {
                            b'a' + (seed >> 8) as u8 % 26
                        }
                    })
                    .collect();
                for from in 0..=len + 1 {
                    assert_eq!(
                        find_string_special(&input, from),
                        naive(&input, from),
                        "{input:?} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn string_errors() {
        let cases: [(&[u8], &str, usize); 13] = [
            (b"\"abc", "unterminated string", 0),
            (b"\"ab\\n", "unterminated string", 0),
            (b"\"a\\x\"", "invalid escape sequence", 2),
            (b"\"\\u12x4\"", "invalid hex digit in \\u escape", 5),
            (b"\"\\u12\"", "incomplete \\u escape", 3),
            (b"\"\\u12", "incomplete \\u escape", 3),
            (b"\"\\ud800\"", "unpaired surrogate in \\u escape", 1),
            (b"\"\\ud800\\u0041\"", "unpaired surrogate in \\u escape", 1),
            (b"\"\\udc00\"", "unpaired surrogate in \\u escape", 1),
            (b"\"a\nb\"", "unescaped control character in string", 2),
            (b"\"a\\nb\x01\"", "unescaped control character in string", 5),
            (b"\"ab\xff\"", "invalid UTF-8 in string", 3),
            (b"\"\\n\xc3\"", "invalid UTF-8 in string", 3),
        ];
        for (input, message, offset) in cases {
            let got = err_of(JsonReader::new(input).read_string());
            assert_eq!(got, (message.to_owned(), offset), "{input:?}");
        }
        assert_eq!(
            err_of(reader("12").read_string()),
            ("expected a string, found a number".to_owned(), 0)
        );
    }

    #[test]
    fn string_round_trip_through_writer() {
        let samples = [
            "",
            "simple",
            "quote\" backslash\\ slash/",
            "\u{0}\u{1}\u{1f}\u{7f}\u{80}\u{ffff}\u{10ffff}",
            "mixed é 中 😀 \n\t",
        ];
        for s in samples {
            let mut w = JsonWriter::new();
            w.string(s);
            let text = w.into_string();
            assert_eq!(reader(&text).read_string().as_deref(), Ok(s));
        }
    }

    // ----- reader: objects and arrays -----

    #[test]
    fn objects() {
        let mut r =
            reader(r#" { "a" : 1 , "b\u0063" : [ ] , "n": null, "skip": {"x":[1,{"y":"z"}]} } "#);
        let mut seen = Vec::new();
        r.read_object(|r, key| {
            seen.push(key.to_owned());
            match key {
                "a" => assert_eq!(r.read_i32()?, 1),
                "bc" => r.read_array(|_| panic!("empty"))?,
                "n" => assert_eq!(r.read_optional(|r| r.read_string())?, None),
                _ => r.skip_value()?,
            }
            Ok(())
        })
        .expect("valid");
        r.finish().expect("done");
        assert_eq!(seen, ["a", "bc", "n", "skip"]);
        let mut r = reader("{}");
        r.read_object(|_, _| panic!("empty")).expect("valid");
        assert_eq!(r.offset(), 2);
    }

    #[test]
    fn syntax_errors() {
        let skip = |s: &str| err_of(reader(s).skip_value());
        assert_eq!(
            skip(r#"{"a":1,}"#),
            ("expected an object key, found `}`".to_owned(), 7)
        );
        assert_eq!(
            skip(r#"{"a" 1}"#),
            ("expected `:`, found a number".to_owned(), 5)
        );
        assert_eq!(
            skip(r#"{"a":1 "b":2}"#),
            ("expected `,` or `}`, found a string".to_owned(), 7)
        );
        assert_eq!(
            skip(r#"{a:1}"#),
            ("expected an object key, found `a`".to_owned(), 1)
        );
        assert_eq!(skip("[1,]").0, "expected a JSON value, found `]`");
        assert_eq!(skip("[1 2]").0, "expected `,` or `]`, found a number");
        assert_eq!(skip("[,1]").0, "expected a JSON value, found `,`");
        assert_eq!(skip("[1").0, "expected `,` or `]`, found end of input");
        assert_eq!(skip("{").0, "expected an object key, found end of input");
        assert_eq!(skip("tru").0, "invalid literal, expected `true`");
        assert_eq!(skip("\u{1}").0, "expected a JSON value, found byte 0x01");
        assert_eq!(skip("").0, "expected a JSON value, found end of input");
        assert_eq!(
            err_of(reader("[]").read_object(|_, _| Ok(()))),
            ("expected an object, found an array".to_owned(), 0)
        );
        assert_eq!(
            err_of(reader("{}").read_array(|_| Ok(()))),
            ("expected an array, found an object".to_owned(), 0)
        );
        let mut r = reader("1 2");
        r.skip_value().expect("valid");
        assert_eq!(
            err_of(r.finish()),
            ("expected end of input, found a number".to_owned(), 2)
        );
        // A callback that consumes nothing cannot loop forever.
        assert!(reader("[1,2]").read_array(|_| Ok(())).is_err());
        assert!(reader(r#"{"a":1}"#).read_object(|_, _| Ok(())).is_err());
    }

    #[test]
    fn depth_limit() {
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(reader(&nested(MAX_DEPTH)).skip_value().is_ok());
        assert!(reader(&nested(MAX_DEPTH)).read_document().is_ok());
        let too_deep = nested(MAX_DEPTH + 1);
        let want = ("nesting deeper than 128 levels".to_owned(), MAX_DEPTH);
        assert_eq!(err_of(reader(&too_deep).skip_value()), want);
        assert_eq!(err_of(reader(&too_deep).read_document()), want);
        let objects = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
        assert_eq!(err_of(reader(&objects).skip_value()).0, want.0);
        // Far deeper input fails fast instead of overflowing the stack.
        let huge = "[".repeat(1_000_000);
        assert_eq!(err_of(reader(&huge).read_document()).0, want.0);
        // Depth is restored after each container, so siblings do not accumulate.
        let siblings = format!("[{}]", vec![nested(MAX_DEPTH - 1); 3].join(","));
        assert!(reader(&siblings).skip_value().is_ok());
    }

    // ----- reader: blobs, timestamps -----

    #[test]
    fn blobs() {
        assert_eq!(reader("\"Zm9vYmFy\"").read_blob(), Ok(Blob::from("foobar")));
        assert_eq!(reader("\"Zm8\"").read_blob(), Ok(Blob::from("fo")));
        assert_eq!(reader("\"Zm8\\u003d\"").read_blob(), Ok(Blob::from("fo")));
        assert_eq!(
            err_of(reader(" \"Zm9v!\"").read_blob()),
            ("invalid base64 string".to_owned(), 1)
        );
        assert!(reader("[]").read_blob().is_err());
    }

    #[test]
    fn timestamps() {
        let t = DateTime::from_secs_and_nanos(1_515_531_081, 123_000_000);
        assert_eq!(
            reader("1515531081.123").read_timestamp(TimestampFormat::EpochSeconds),
            Ok(t)
        );
        assert_eq!(
            reader("1515531081").read_timestamp(TimestampFormat::EpochSeconds),
            Ok(DateTime::from_secs(1_515_531_081))
        );
        assert_eq!(
            reader("\"2018-01-09T20:51:21.123Z\"").read_timestamp(TimestampFormat::DateTime),
            Ok(t)
        );
        assert_eq!(
            reader("\"Tue, 09 Jan 2018 20:51:21.123 GMT\"")
                .read_timestamp(TimestampFormat::HttpDate),
            Ok(t)
        );
        // Lenient like botocore: strings where epoch seconds are modeled,
        // numbers where strings are.
        let secs = DateTime::from_secs(1_515_531_081);
        for text in [
            "\"1515531081\"",
            "\"2018-01-09T20:51:21Z\"",
            "\"2018-01-09T20:51:21\"",
            "\"Tue, 09 Jan 2018 20:51:21 GMT\"",
        ] {
            assert_eq!(
                reader(text).read_timestamp(TimestampFormat::EpochSeconds),
                Ok(secs),
                "{text}"
            );
        }
        assert_eq!(
            reader("\"2026-11-29T16:23:53.675950\"").read_timestamp(TimestampFormat::EpochSeconds),
            Ok(DateTime::from_secs_and_nanos(1_795_969_433, 675_950_000))
        );
        assert_eq!(
            reader("1515531081").read_timestamp(TimestampFormat::DateTime),
            Ok(secs)
        );
        assert_eq!(
            err_of(reader("\"soon\"").read_timestamp(TimestampFormat::EpochSeconds)).0,
            "expected a timestamp (epoch seconds, RFC 3339 or HTTP date), found \"soon\""
        );
        assert_eq!(
            err_of(reader("true").read_timestamp(TimestampFormat::EpochSeconds)).0,
            "expected a number of epoch seconds, found a boolean"
        );
        // Errors inside the string are reported against the whole input.
        let (_, offset) =
            err_of(reader(" \"2018-01-09X20:51:21Z\"").read_timestamp(TimestampFormat::DateTime));
        assert_eq!(offset, 12);
        assert!(reader("1e30")
            .read_timestamp(TimestampFormat::EpochSeconds)
            .is_err());
        for f in [
            TimestampFormat::EpochSeconds,
            TimestampFormat::DateTime,
            TimestampFormat::HttpDate,
        ] {
            let mut w = JsonWriter::new();
            w.timestamp(t, f);
            assert_eq!(reader(w.as_str()).read_timestamp(f), Ok(t), "{f:?}");
        }
    }

    #[test]
    fn is_blank() {
        assert!(JsonReader::is_blank(b""));
        assert!(JsonReader::is_blank(b" \r\n\t"));
        assert!(!JsonReader::is_blank(b" {}"));
        assert!(!JsonReader::is_blank(b"\x0c"));
    }

    /// Never panics on arbitrary bytes, truncations or mutations of valid input.
    #[test]
    fn no_panics_on_garbage() {
        let valid = br#"{"a":[1,-2.5e3,"x\u00e9\ud83d\ude00",true,null,{"b":"Zm9v"}],"c":"2014-04-29T18:30:38Z"}"#;
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for end in 0..valid.len() {
            inputs.push(valid[..end].to_vec());
        }
        let alphabet = b"{}[]\",:\\/u0123456789abcdefABCDEF.eE+-ntrfl \xff\xc3\xa9\x01";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let mut v = valid.to_vec();
            let len = v.len() as u64;
            for _ in 0..3 {
                let at = (next() % len) as usize;
                v[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            inputs.push(v);
            let n = (next() % 40) as usize;
            inputs.push(
                (0..n)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect(),
            );
        }
        for input in &inputs {
            let _ = JsonReader::new(input).read_document();
            let _ = JsonReader::new(input).skip_value();
            let _ = from_json::<Document>(input);
            let mut r = JsonReader::new(input);
            let _ = r.read_object(|r, key| match key {
                "a" => r.read_array(|r| r.read_f64().map(drop).or_else(|_| r.skip_value())),
                "c" => r.read_timestamp(TimestampFormat::DateTime).map(drop),
                _ => r.read_blob().map(drop),
            });
            let mut r = JsonReader::new(input);
            let _ = r.read_string();
            let _ = r.read_i32();
            let _ = r.read_number_text();
            let _ = r.read_timestamp(TimestampFormat::EpochSeconds);
            let _ = r.finish();
        }
        assert!(inputs.len() > 6000);
    }
}
