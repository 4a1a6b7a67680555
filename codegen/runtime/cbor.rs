//! CBOR (RFC 8949) for the rpcv2Cbor protocol: a writer and a reader with
//! the same methods as the JSON ones, so a type's generated CBOR codec reads
//! like its JSON codec. Blobs are byte strings, timestamps tag 1 around
//! epoch seconds, floats are written as floats and read at any width (half,
//! single, double). Maps and arrays are written with indefinite length and
//! read either way. std only.
#![doc(hidden)]

use std::borrow::Cow;

use super::blob::{BigDecimal, BigInteger, Blob};
use super::codec_error::{DecodeError, EncodeError};
use super::document::{Document, Number};
use super::time::{DateTime, TimestampFormat};

/// How deep maps and arrays may nest in what is read.
pub const MAX_DEPTH: usize = 128;

/// A value that writes itself as CBOR.
pub trait CborSerialize {
    /// Writes `self` as exactly one CBOR data item.
    fn write_cbor(&self, w: &mut CborWriter) -> Result<(), EncodeError>;
}

/// The unit input or output of an operation: an empty map.
impl CborSerialize for () {
    fn write_cbor(&self, w: &mut CborWriter) -> Result<(), EncodeError> {
        w.begin_object();
        w.end_object();
        Ok(())
    }
}

/// A value that reads itself from CBOR.
pub trait CborDeserialize: Sized {
    /// Reads exactly one CBOR data item.
    fn read_cbor(r: &mut CborReader<'_>) -> Result<Self, DecodeError>;
}

super::value_codecs::value_readers!(CborDeserialize, read_cbor, CborReader);
super::value_codecs::value_writers!(CborSerialize, write_cbor, CborWriter, CborInfallible);

/// Serializes `value` to CBOR bytes.
pub fn to_cbor<T: CborSerialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let mut w = CborWriter::new();
    value.write_cbor(&mut w)?;
    Ok(w.into_bytes())
}

/// Parses a response body: an empty body reads as an empty map, and
/// nothing may follow the one data item.
pub fn parse_body<T: CborDeserialize>(body: &[u8]) -> Result<T, DecodeError> {
    const EMPTY_MAP: &[u8] = &[0xa0];
    let input = if body.is_empty() { EMPTY_MAP } else { body };
    let mut r = CborReader::new(input);
    if r.read_null()? {
        r.finish()?;
        return T::read_cbor(&mut CborReader::new(EMPTY_MAP));
    }
    let value = T::read_cbor(&mut r)?;
    r.finish()?;
    Ok(value)
}

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

/// Builds CBOR bytes. Inside a map call [`key`](Self::key) before each
/// value; the caller balances `begin_*` and `end_*`.
#[derive(Clone, Debug, Default)]
pub struct CborWriter {
    out: Vec<u8>,
    keep_unknown: bool,
}

const BREAK: u8 = 0xff;

impl CborWriter {
    /// An empty writer.
    pub fn new() -> Self {
        CborWriter {
            out: Vec::with_capacity(128),
            keep_unknown: false,
        }
    }

    /// Whether union members this crate does not know are written back
    /// (never, for what is sent to a peer).
    pub fn keeps_unknown(&self) -> bool {
        self.keep_unknown
    }

    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    fn head(&mut self, major: u8, value: u64) {
        let m = major << 5;
        if value < 24 {
            self.out.push(m | value as u8);
        } else if let Ok(v) = u8::try_from(value) {
            self.out.extend_from_slice(&[m | 24, v]);
        } else if let Ok(v) = u16::try_from(value) {
            self.out.push(m | 25);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = u32::try_from(value) {
            self.out.push(m | 26);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else {
            self.out.push(m | 27);
            self.out.extend_from_slice(&value.to_be_bytes());
        }
    }

    /// Starts a map of indefinite length.
    pub fn begin_object(&mut self) {
        self.out.push(0xbf);
    }

    /// Ends a map.
    pub fn end_object(&mut self) {
        self.out.push(BREAK);
    }

    /// Starts an array of indefinite length.
    pub fn begin_array(&mut self) {
        self.out.push(0x9f);
    }

    /// Ends an array.
    pub fn end_array(&mut self) {
        self.out.push(BREAK);
    }

    /// Writes a map key.
    pub fn key(&mut self, k: &str) {
        self.string(k);
    }

    /// Writes a text string.
    pub fn string(&mut self, s: &str) {
        self.head(3, s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, b: bool) {
        self.out.push(if b { 0xf5 } else { 0xf4 });
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.push(0xf6);
    }

    /// Writes an integer.
    pub fn integer(&mut self, v: i64) {
        if v >= 0 {
            self.head(0, v.unsigned_abs());
        } else {
            // -1 - v, without overflow at i64::MIN.
            self.head(1, !(v as u64));
        }
    }

    /// Writes a non-negative integer.
    pub fn unsigned(&mut self, v: u64) {
        self.head(0, v);
    }

    /// Writes a double.
    pub fn float(&mut self, v: f64) {
        self.out.push(0xfb);
        self.out.extend_from_slice(&v.to_bits().to_be_bytes());
    }

    /// Writes a single-precision float.
    pub fn float32(&mut self, v: f32) {
        self.out.push(0xfa);
        self.out.extend_from_slice(&v.to_bits().to_be_bytes());
    }

    /// Writes a decimal number literal (an arbitrary-precision integer or
    /// decimal): an integer when it fits, else a bignum (tags 2 and 3) or a
    /// decimal fraction (tag 4).
    pub fn raw_number(&mut self, text: &str) {
        let Some((negative, digits, exponent)) = split_decimal(text) else {
            // Not a number literal: nothing a caller should have passed.
            self.null();
            return;
        };
        let mantissa = |w: &mut CborWriter| match digits.parse::<u64>() {
            Ok(m) if !negative => w.unsigned(m),
            Ok(m) if m > 0 => w.head(1, m - 1),
            Ok(_) => w.unsigned(0),
            Err(_) => {
                // A bignum: tag 2 (n) or 3 (-1 - n) around its bytes.
                let mut bytes = decimal_to_bytes(&digits);
                if negative {
                    decrement(&mut bytes);
                }
                w.head(6, if negative { 3 } else { 2 });
                w.head(2, bytes.len() as u64);
                w.out.extend_from_slice(&bytes);
            }
        };
        if exponent == 0 {
            mantissa(self);
        } else {
            self.head(6, 4);
            self.head(4, 2);
            self.integer(exponent);
            mantissa(self);
        }
    }

    /// Writes a byte string.
    pub fn blob(&mut self, bytes: &[u8]) {
        self.head(2, bytes.len() as u64);
        self.out.extend_from_slice(bytes);
    }

    /// Writes a timestamp: tag 1 around epoch seconds (an integer when
    /// whole, else a double); the format is JSON's and does not apply.
    pub fn timestamp(&mut self, t: DateTime, format: TimestampFormat) {
        let _ = format;
        self.head(6, 1);
        if t.subsec_nanos() == 0 {
            self.integer(t.secs());
        } else {
            self.float(t.as_secs_f64());
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

    /// Writes a document.
    pub fn document(&mut self, doc: &Document) {
        match doc {
            Document::Null => self.null(),
            Document::Bool(b) => self.boolean(*b),
            Document::Number(n) => self.number(*n),
            Document::String(s) => self.string(s),
            Document::Array(items) => {
                self.begin_array();
                for d in items {
                    self.document(d);
                }
                self.end_array();
            }
            Document::Object(members) => {
                self.begin_object();
                for (k, d) in members {
                    self.key(k);
                    self.document(d);
                }
                self.end_object();
            }
        }
    }
}

/// `-12.5e3` → (negative, "125", 2): the sign, the digits without leading
/// zeros and the power of ten that scales them.
fn split_decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let exponent = exp.checked_sub(i64::try_from(frac.len()).ok()?)?;
    Some((negative, digits.to_string(), exponent))
}

/// The big-endian bytes of a decimal digit string.
fn decimal_to_bytes(digits: &str) -> Vec<u8> {
    let mut bytes: Vec<u8> = vec![0];
    for d in digits.bytes() {
        let mut carry = u32::from(d - b'0');
        for b in bytes.iter_mut().rev() {
            let v = u32::from(*b) * 10 + carry;
            *b = (v & 0xff) as u8;
            carry = v >> 8;
        }
        while carry > 0 {
            bytes.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    while bytes.len() > 1 && bytes[0] == 0 {
        bytes.remove(0);
    }
    bytes
}

/// Subtracts one from a big-endian magnitude (which is not zero).
fn decrement(bytes: &mut [u8]) {
    for b in bytes.iter_mut().rev() {
        if *b > 0 {
            *b -= 1;
            return;
        }
        *b = 0xff;
    }
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

/// Reads CBOR bytes. Every `read_*` reads one data item; tags other than
/// those a read expects are skipped.
#[derive(Clone, Debug)]
pub struct CborReader<'a> {
    input: &'a [u8],
    pos: usize,
    depth: usize,
}

/// A data item's head: major type, additional information and argument
/// (`None` for an indefinite length).
#[derive(Clone, Copy, Debug)]
struct Head {
    major: u8,
    info: u8,
    arg: Option<u64>,
}

impl<'a> CborReader<'a> {
    /// A reader at the start of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        CborReader {
            input,
            pos: 0,
            depth: 0,
        }
    }

    /// The current byte offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Checks that nothing follows.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        if self.pos < self.input.len() {
            Err(DecodeError::new(
                "expected end of input, found more CBOR",
                self.pos,
            ))
        } else {
            Ok(())
        }
    }

    fn err(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(message.into(), self.pos)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .input
            .get(self.pos)
            .ok_or_else(|| self.err("unexpected end of CBOR input"))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], DecodeError> {
        let n = usize::try_from(n).map_err(|_| self.err("a length beyond memory"))?;
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.input.len())
            .ok_or_else(|| self.err("a length past the end of the input"))?;
        let s = &self.input[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn head(&mut self) -> Result<Head, DecodeError> {
        let b = self.byte()?;
        let (major, info) = (b >> 5, b & 0x1f);
        let arg = match info {
            0..=23 => Some(u64::from(info)),
            24 => Some(u64::from(self.byte()?)),
            25 => Some(u64::from(u16::from_be_bytes(self.fixed()?))),
            26 => Some(u64::from(u32::from_be_bytes(self.fixed()?))),
            27 => Some(u64::from_be_bytes(self.fixed()?)),
            31 if matches!(major, 2..=5 | 7) => None,
            _ => return Err(self.err(format!("malformed CBOR head 0x{b:02x}"))),
        };
        Ok(Head { major, info, arg })
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.take(N as u64)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// Skips tags before the next item.
    fn skip_tags(&mut self) -> Result<(), DecodeError> {
        while self.peek().is_some_and(|b| b >> 5 == 6) {
            self.head()?;
        }
        Ok(())
    }

    /// Consumes `null` (or `undefined`) and returns true if it is next.
    pub fn read_null(&mut self) -> Result<bool, DecodeError> {
        self.skip_tags()?;
        if matches!(self.peek(), Some(0xf6 | 0xf7)) {
            self.pos += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `None` for `null`, otherwise `Some` of what `f` reads.
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

    fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        Ok(())
    }

    fn at_break(&mut self) -> bool {
        if self.peek() == Some(BREAK) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads a map, calling `f` with each (text) key; `f` reads exactly one
    /// value.
    pub fn read_object(
        &mut self,
        mut f: impl FnMut(&mut Self, &str) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.skip_tags()?;
        let at = self.pos;
        let h = self.head()?;
        if h.major != 5 {
            self.pos = at;
            return Err(self.err(format!("expected a map, found {}", describe(h.major))));
        }
        self.enter()?;
        let mut left = h.arg;
        loop {
            match left {
                Some(0) => break,
                Some(n) => left = Some(n - 1),
                None if self.at_break() => break,
                None => {}
            }
            let key = self.read_str()?;
            f(self, &key)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads an array, calling `f` once per element.
    pub fn read_array(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.skip_tags()?;
        let at = self.pos;
        let h = self.head()?;
        if h.major != 4 {
            self.pos = at;
            return Err(self.err(format!("expected an array, found {}", describe(h.major))));
        }
        self.enter()?;
        let mut left = h.arg;
        loop {
            match left {
                Some(0) => break,
                Some(n) => left = Some(n - 1),
                None if self.at_break() => break,
                None => {}
            }
            f(self)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// A byte or text string's bytes, joined when it comes in chunks.
    fn string_bytes(&mut self, major: u8, what: &str) -> Result<Cow<'a, [u8]>, DecodeError> {
        self.skip_tags()?;
        let at = self.pos;
        let h = self.head()?;
        if h.major != major {
            self.pos = at;
            return Err(self.err(format!("expected {what}, found {}", describe(h.major))));
        }
        match h.arg {
            Some(n) => self.take(n).map(Cow::Borrowed),
            None => {
                let mut all = Vec::new();
                while !self.at_break() {
                    let chunk = self.head()?;
                    match (chunk.major == major, chunk.arg) {
                        (true, Some(n)) => all.extend_from_slice(self.take(n)?),
                        _ => return Err(self.err(format!("a malformed chunk of {what}"))),
                    }
                }
                Ok(Cow::Owned(all))
            }
        }
    }

    /// Reads a text string.
    pub fn read_str(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let at = self.pos;
        match self.string_bytes(3, "a text string")? {
            Cow::Borrowed(b) => std::str::from_utf8(b)
                .map(Cow::Borrowed)
                .map_err(|_| DecodeError::new("a text string that is not UTF-8", at)),
            Cow::Owned(b) => String::from_utf8(b)
                .map(Cow::Owned)
                .map_err(|_| DecodeError::new("a text string that is not UTF-8", at)),
        }
    }

    /// Reads a text string, owned.
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        self.read_str().map(Cow::into_owned)
    }

    /// Reads a boolean.
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        self.skip_tags()?;
        match self.peek() {
            Some(0xf5) => {
                self.pos += 1;
                Ok(true)
            }
            Some(0xf4) => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.err("expected a boolean")),
        }
    }

    /// Reads an integer (major type 0 or 1) as `i128`.
    fn read_int(&mut self) -> Result<i128, DecodeError> {
        self.skip_tags()?;
        let at = self.pos;
        let h = self.head()?;
        match (h.major, h.arg) {
            (0, Some(v)) => Ok(i128::from(v)),
            (1, Some(v)) => Ok(-1 - i128::from(v)),
            _ => {
                self.pos = at;
                Err(self.err(format!("expected an integer, found {}", describe(h.major))))
            }
        }
    }

    fn read_ranged<T: TryFrom<i128>>(&mut self, what: &str) -> Result<T, DecodeError> {
        let at = self.pos;
        let v = self.read_int()?;
        T::try_from(v).map_err(|_| DecodeError::new(format!("{v} is out of range for {what}"), at))
    }

    /// Reads an `i8`.
    pub fn read_i8(&mut self) -> Result<i8, DecodeError> {
        self.read_ranged("a byte")
    }

    /// Reads an `i16`.
    pub fn read_i16(&mut self) -> Result<i16, DecodeError> {
        self.read_ranged("a short")
    }

    /// Reads an `i32`.
    pub fn read_i32(&mut self) -> Result<i32, DecodeError> {
        self.read_ranged("an integer")
    }

    /// Reads an `i64`.
    pub fn read_i64(&mut self) -> Result<i64, DecodeError> {
        self.read_ranged("a long")
    }

    /// Reads a float of any width, or an integer.
    pub fn read_f64(&mut self) -> Result<f64, DecodeError> {
        self.skip_tags()?;
        let at = self.pos;
        match self.peek() {
            Some(0xf9) => {
                self.pos += 1;
                Ok(half_to_f64(u16::from_be_bytes(self.fixed()?)))
            }
            Some(0xfa) => {
                self.pos += 1;
                Ok(f64::from(f32::from_bits(u32::from_be_bytes(self.fixed()?))))
            }
            Some(0xfb) => {
                self.pos += 1;
                Ok(f64::from_bits(u64::from_be_bytes(self.fixed()?)))
            }
            Some(b) if b >> 5 <= 1 => self.read_int().map(|v| v as f64),
            _ => Err(DecodeError::new("expected a number", at)),
        }
    }

    /// Reads a float as `f32`.
    pub fn read_f32(&mut self) -> Result<f32, DecodeError> {
        self.read_f64().map(|v| v as f32)
    }

    /// Reads a byte string.
    pub fn read_blob(&mut self) -> Result<Blob, DecodeError> {
        self.string_bytes(2, "a byte string")
            .map(|b| Blob::from(b.into_owned()))
    }

    /// Reads a timestamp: tag 1 around epoch seconds (an integer or a
    /// float); a bare number is read too.
    pub fn read_timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, DecodeError> {
        let _ = format;
        let at = self.pos;
        let secs = self.read_f64()?;
        // Whole seconds as integers keep full precision.
        if secs.fract() == 0.0 && secs.abs() < 9.0e15 {
            return Ok(DateTime::from_secs(secs as i64));
        }
        // A double holds epoch seconds to about a tenth of a microsecond:
        // the fraction is rounded to whole microseconds, so the milliseconds
        // a writer meant come back exactly.
        let whole = secs.floor();
        let micros = ((secs - whole) * 1e6).round();
        let base = DateTime::from_secs_f64(whole)
            .ok_or_else(|| DecodeError::new("a timestamp out of range", at))?;
        // `micros` is within 0..=1e6; 1e6 carries into the next second.
        let nanos = (micros as u32) * 1000;
        Ok(DateTime::from_secs_and_nanos(base.secs(), nanos))
    }

    /// Reads an arbitrary-precision integer: an integer or a bignum.
    pub fn read_big_integer(&mut self) -> Result<BigInteger, DecodeError> {
        let at = self.pos;
        let text = self.read_number_text()?;
        text.parse::<BigInteger>()
            .map_err(|e| DecodeError::new(e.message().to_string(), at))
    }

    /// Reads an arbitrary-precision decimal: an integer, a float, a bignum
    /// or a decimal fraction.
    pub fn read_big_decimal(&mut self) -> Result<BigDecimal, DecodeError> {
        let at = self.pos;
        let text = self.read_number_text()?;
        text.parse::<BigDecimal>()
            .map_err(|e| DecodeError::new(e.message().to_string(), at))
    }

    /// A number as decimal text (integers, floats, bignums, decimal
    /// fractions).
    fn read_number_text(&mut self) -> Result<String, DecodeError> {
        let at = self.pos;
        match self.peek() {
            Some(0xc2 | 0xc3) => {
                let negative = self.byte()? == 0xc3;
                let bytes = self.string_bytes(2, "a bignum's bytes")?;
                let mut digits = bytes_to_decimal(&bytes);
                if negative {
                    digits = increment_decimal(&digits);
                    digits.insert(0, '-');
                }
                Ok(digits)
            }
            Some(0xc4) => {
                self.pos += 1;
                let mut parts = Vec::new();
                self.read_array(|r| {
                    parts.push(r.read_number_text()?);
                    Ok(())
                })?;
                match parts.as_slice() {
                    [exponent, mantissa] => Ok(format!("{mantissa}e{exponent}")),
                    _ => Err(DecodeError::new("a malformed decimal fraction", at)),
                }
            }
            Some(b) if b >> 5 <= 1 => self.read_int().map(|v| v.to_string()),
            _ => self.read_f64().map(|v| v.to_string()),
        }
    }

    /// Reads any data item as a document (byte strings as base64 text).
    pub fn read_document(&mut self) -> Result<Document, DecodeError> {
        self.skip_tags()?;
        let at = self.pos;
        let b = self
            .peek()
            .ok_or_else(|| self.err("unexpected end of CBOR input"))?;
        Ok(match b >> 5 {
            0 | 1 => {
                let v = self.read_int()?;
                match (u64::try_from(v), i64::try_from(v)) {
                    (Ok(u), _) => Document::Number(Number::PosInt(u)),
                    (_, Ok(i)) => Document::Number(Number::NegInt(i)),
                    _ => return Err(DecodeError::new("an integer out of range", at)),
                }
            }
            2 => Document::String(super::blob::encode_base64(&self.read_blob()?.into_inner())),
            3 => Document::String(self.read_string()?),
            4 => {
                let mut items = Vec::new();
                self.read_array(|r| {
                    items.push(r.read_document()?);
                    Ok(())
                })?;
                Document::Array(items)
            }
            5 => {
                let mut members = std::collections::BTreeMap::new();
                self.read_object(|r, k| {
                    members.insert(k.to_string(), r.read_document()?);
                    Ok(())
                })?;
                Document::Object(members)
            }
            _ => match b {
                0xf4 | 0xf5 => Document::Bool(self.read_bool()?),
                0xf6 | 0xf7 => {
                    self.pos += 1;
                    Document::Null
                }
                0xf9..=0xfb => Document::Number(Number::Float(self.read_f64()?)),
                _ => return Err(self.err(format!("unsupported CBOR item 0x{b:02x}"))),
            },
        })
    }

    /// Skips one data item, whatever it is.
    pub fn skip_value(&mut self) -> Result<(), DecodeError> {
        self.skip_tags()?;
        let h = self.head()?;
        match (h.major, h.arg) {
            (0 | 1, _) => {}
            (2 | 3, Some(n)) => {
                self.take(n)?;
            }
            (2 | 3, None) => {
                while !self.at_break() {
                    self.skip_value()?;
                }
            }
            (4, len) => {
                self.enter()?;
                match len {
                    Some(n) => {
                        for _ in 0..n {
                            self.skip_value()?;
                        }
                    }
                    None => {
                        while !self.at_break() {
                            self.skip_value()?;
                        }
                    }
                }
                self.depth -= 1;
            }
            (5, len) => {
                self.enter()?;
                match len {
                    Some(n) => {
                        for _ in 0..n {
                            self.skip_value()?;
                            self.skip_value()?;
                        }
                    }
                    None => {
                        while !self.at_break() {
                            self.skip_value()?;
                            self.skip_value()?;
                        }
                    }
                }
                self.depth -= 1;
            }
            (7, None) => return Err(self.err("an unexpected break")),
            (7, _) => {
                // Simple values and floats: the head holds them whole.
                let _ = h.info;
            }
            _ => return Err(self.err("malformed CBOR")),
        }
        Ok(())
    }
}

fn describe(major: u8) -> &'static str {
    match major {
        0 | 1 => "an integer",
        2 => "a byte string",
        3 => "a text string",
        4 => "an array",
        5 => "a map",
        6 => "a tag",
        _ => "a simple value or float",
    }
}

/// IEEE 754 half precision to double.
fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let frac = f64::from(h & 0x3ff);
    let magnitude = match exp {
        0 => frac * 2f64.powi(-24),
        31 if frac == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + frac / 1024.0) * 2f64.powi(e - 15),
    };
    sign * magnitude
}

/// The decimal digits of a big-endian magnitude.
fn bytes_to_decimal(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = vec![0];
    for &b in bytes {
        let mut carry = u32::from(b);
        for d in digits.iter_mut().rev() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.insert(0, (carry % 10) as u8);
            carry /= 10;
        }
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let trimmed = text.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Adds one to a decimal digit string.
fn increment_decimal(digits: &str) -> String {
    let mut d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let mut i = d.len();
    loop {
        if i == 0 {
            d.insert(0, 1);
            break;
        }
        i -= 1;
        if d[i] == 9 {
            d[i] = 0;
        } else {
            d[i] += 1;
            break;
        }
    }
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 8949 appendix A: encodings of integers, floats and strings.
    #[test]
    fn rfc_8949_examples_write_and_read() {
        for (v, enc) in [
            (0i64, "00"),
            (23, "17"),
            (24, "1818"),
            (1000, "1903e8"),
            (1_000_000, "1a000f4240"),
            (1_000_000_000_000, "1b000000e8d4a51000"),
            (-1, "20"),
            (-1000, "3903e7"),
            (i64::MIN, "3b7fffffffffffffff"),
        ] {
            let mut w = CborWriter::new();
            w.integer(v);
            assert_eq!(hex(&w.into_bytes()), enc, "{v}");
            assert_eq!(CborReader::new(&unhex(enc)).read_i64().unwrap(), v);
        }
        for (enc, v) in [
            ("f93c00", 1.0),
            ("f93e00", 1.5),
            ("f97bff", 65504.0),
            ("fa47c35000", 100000.0),
            ("fb3ff199999999999a", 1.1),
            ("f90001", 5.960464477539063e-8),
            ("f9c400", -4.0),
        ] {
            assert_eq!(CborReader::new(&unhex(enc)).read_f64().unwrap(), v, "{enc}");
        }
        assert!(CborReader::new(&unhex("f97c00"))
            .read_f64()
            .unwrap()
            .is_infinite());
        assert!(CborReader::new(&unhex("f97e00"))
            .read_f64()
            .unwrap()
            .is_nan());
        let mut w = CborWriter::new();
        w.string("\u{6c34}");
        assert_eq!(hex(&w.into_bytes()), "63e6b0b4");
        // Indefinite-length strings, in chunks.
        let s = CborReader::new(&unhex("7f657374726561646d696e67ff"))
            .read_string()
            .unwrap();
        assert_eq!(s, "streaming");
        let b = CborReader::new(&unhex("5f42010243030405ff"))
            .read_blob()
            .unwrap();
        assert_eq!(b.into_inner(), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn maps_arrays_and_unknown_items_round_trip() {
        let mut w = CborWriter::new();
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.integer(1);
        w.null();
        w.end_array();
        w.key("skip");
        w.blob(b"xyz");
        w.key("t");
        w.timestamp(
            DateTime::from_secs(1_576_540_098),
            TimestampFormat::DateTime,
        );
        w.end_object();
        let bytes = w.into_bytes();
        let mut r = CborReader::new(&bytes);
        let mut seen = Vec::new();
        r.read_object(|r, k| {
            seen.push(k.to_string());
            match k {
                "a" => r.read_array(|r| {
                    if !r.read_null()? {
                        assert_eq!(r.read_i32()?, 1);
                    }
                    Ok(())
                }),
                "t" => {
                    assert_eq!(
                        r.read_timestamp(TimestampFormat::EpochSeconds)?,
                        DateTime::from_secs(1_576_540_098)
                    );
                    Ok(())
                }
                _ => r.skip_value(),
            }
        })
        .unwrap();
        r.finish().unwrap();
        assert_eq!(seen, ["a", "skip", "t"]);
        // Definite-length maps read the same (RFC 8949: {"a": 1, "b": [2, 3]}).
        let doc = CborReader::new(&unhex("a26161016162820203"))
            .read_document()
            .unwrap();
        assert_eq!(doc.as_object().unwrap().len(), 2);
    }

    #[test]
    fn fractional_timestamps_keep_their_milliseconds() {
        for (secs, want) in [
            (946_845_296.123, (946_845_296, 123_000_000)),
            (-1.5, (-2, 500_000_000)),
            (1.999_999_9, (2, 0)),
        ] {
            let mut w = CborWriter::new();
            w.float(secs);
            let t = CborReader::new(&w.into_bytes())
                .read_timestamp(TimestampFormat::EpochSeconds)
                .unwrap();
            assert_eq!((t.secs(), t.subsec_nanos()), want, "{secs}");
        }
    }

    #[test]
    fn big_numbers_use_bignums_and_decimal_fractions() {
        for text in [
            "18446744073709551616",
            "-18446744073709551617",
            "273.15",
            "-1.5e-3",
            "0",
        ] {
            let mut w = CborWriter::new();
            w.raw_number(text);
            let bytes = w.into_bytes();
            let back = CborReader::new(&bytes).read_number_text().unwrap();
            let expected: f64 = text.parse().unwrap();
            let got: f64 = back.parse().unwrap();
            assert!(
                (expected - got).abs() <= expected.abs() * 1e-15,
                "{text} -> {back}"
            );
        }
        // RFC 8949: 2^64 as a bignum, 273.15 as a decimal fraction.
        let mut w = CborWriter::new();
        w.raw_number("18446744073709551616");
        assert_eq!(hex(&w.into_bytes()), "c249010000000000000000");
        let mut w = CborWriter::new();
        w.raw_number("273.15");
        assert_eq!(hex(&w.into_bytes()), "c48221196ab3");
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "1c",
            "5b00000000000000ff",
            "9f01",
            "bf61",
            "7f01ff",
            "ff",
            "a1",
            "c2",
            "fb0000",
        ] {
            let bytes = unhex(bad);
            let _ = CborReader::new(&bytes).read_document();
            let _ = CborReader::new(&bytes).skip_value();
            let _ = CborReader::new(&bytes).read_string();
        }
        let deep = vec![0x81u8; MAX_DEPTH + 1];
        assert!(CborReader::new(&deep).skip_value().is_err());
        assert!(CborReader::new(&deep).read_document().is_err());
    }
}
