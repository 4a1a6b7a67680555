//! Binary blobs, base64, and arbitrary-precision number literals.

use std::fmt;
use std::str::FromStr;

use super::codec_error::DecodeError;
use super::number::scan_number;

/// An opaque byte buffer (Smithy `blob`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps the given bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes of the blob.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Unwraps the blob into its bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(s: &str) -> Self {
        Blob(s.as_bytes().to_vec())
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const INVALID: u8 = 0xFF;

const fn build_decode_table() -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
}

static DECODE: [u8; 256] = build_decode_table();

fn sextet(index: u32) -> char {
    char::from(ALPHABET[(index & 0x3F) as usize])
}

/// Appends the standard (RFC 4648 §4) base64 encoding of `bytes`, with padding, to `out`.
pub fn encode_base64_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        out.push(sextet(n >> 18));
        out.push(sextet(n >> 12));
        out.push(sextet(n >> 6));
        out.push(sextet(n));
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(sextet(n >> 18));
            out.push(sextet(n >> 12));
            out.push_str("==");
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.push(sextet(n >> 18));
            out.push(sextet(n >> 12));
            out.push(sextet(n >> 6));
            out.push('=');
        }
        _ => {}
    }
}

/// Encodes `bytes` as standard (RFC 4648 §4) base64 with padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    encode_base64_into(bytes, &mut out);
    out
}

/// Decodes standard base64; padding is optional, any other character is rejected.
///
/// Returns `None` for characters outside the standard alphabet, misplaced or
/// excess padding, or an impossible length. Non-zero trailing bits in the
/// final character are ignored.
pub fn decode_base64(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 || (padding > 0 && bytes.len() % 4 != 0) {
        return None;
    }
    let data = &bytes[..bytes.len() - padding];
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let mut chunks = data.chunks_exact(4);
    let value = |b: u8| -> Option<u32> {
        let v = DECODE[usize::from(b)];
        if v == INVALID {
            None
        } else {
            Some(u32::from(v))
        }
    };
    for c in &mut chunks {
        let n = (value(c[0])? << 18) | (value(c[1])? << 12) | (value(c[2])? << 6) | value(c[3])?;
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    match *chunks.remainder() {
        [a, b] => {
            let n = (value(a)? << 18) | (value(b)? << 12);
            out.push((n >> 16) as u8);
        }
        [a, b, c] => {
            let n = (value(a)? << 18) | (value(b)? << 12) | (value(c)? << 6);
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => {}
    }
    Some(out)
}

fn validate_number(s: &str, integer_only: bool, what: &str) -> Result<(), DecodeError> {
    match scan_number(s.as_bytes(), 0) {
        Ok((end, is_integer)) if end == s.len() => {
            if integer_only && !is_integer {
                Err(DecodeError::new(
                    format!("{what} must not have a fraction or exponent"),
                    0,
                ))
            } else {
                Ok(())
            }
        }
        Ok((end, _)) => Err(DecodeError::new(
            format!("unexpected character in {what}"),
            end,
        )),
        Err((message, offset)) => Err(DecodeError::new(
            format!("invalid {what}: {message}"),
            offset,
        )),
    }
}

/// An arbitrary-precision integer (Smithy `bigInteger`), kept as its decimal literal.
///
/// The text is always an optional `-` followed by digits, without leading zeros.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInteger(String);

impl BigInteger {
    /// The decimal literal.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a literal the code generator has already checked (a `@default`
    /// value); anything that is not a valid big integer becomes zero.
    #[doc(hidden)]
    pub fn from_literal(text: &str) -> Self {
        text.parse().unwrap_or_default()
    }
}

impl Default for BigInteger {
    /// Zero.
    fn default() -> Self {
        BigInteger("0".to_owned())
    }
}

impl FromStr for BigInteger {
    type Err = DecodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_number(s, true, "big integer")?;
        Ok(BigInteger(s.to_owned()))
    }
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for BigInteger {
    fn from(v: i64) -> Self {
        BigInteger(v.to_string())
    }
}

impl From<u64> for BigInteger {
    fn from(v: u64) -> Self {
        BigInteger(v.to_string())
    }
}

/// An arbitrary-precision decimal (Smithy `bigDecimal`), kept as its JSON number literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigDecimal(String);

impl BigDecimal {
    /// The number literal.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a literal the code generator has already checked (a `@default`
    /// value); anything that is not a valid big decimal becomes zero.
    #[doc(hidden)]
    pub fn from_literal(text: &str) -> Self {
        text.parse().unwrap_or_default()
    }
}

impl Default for BigDecimal {
    /// Zero.
    fn default() -> Self {
        BigDecimal("0".to_owned())
    }
}

impl FromStr for BigDecimal {
    type Err = DecodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_number(s, false, "big decimal")?;
        Ok(BigDecimal(s.to_owned()))
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_numbers_from_checked_literals() {
        assert_eq!(BigInteger::from_literal("-12").as_str(), "-12");
        assert_eq!(BigDecimal::from_literal("1e-3").as_str(), "1e-3");
        // Not reachable from generated code; documented fallback.
        assert_eq!(BigInteger::from_literal("1.5"), BigInteger::default());
    }

    #[test]
    fn rfc4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(encode_base64(plain.as_bytes()), encoded);
            assert_eq!(decode_base64(encoded).as_deref(), Some(plain.as_bytes()));
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(decode_base64(unpadded).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn all_bytes_round_trip() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            let enc = encode_base64(&bytes[..len]);
            assert_eq!(enc.len() % 4, 0);
            assert_eq!(decode_base64(&enc).as_deref(), Some(&bytes[..len]));
        }
        assert_eq!(encode_base64(&[0xFB, 0xFF]), "+/8=");
    }

    #[test]
    fn decode_rejects_invalid() {
        for bad in [
            "Zg=", "Z", "Zm9vY", "Zg===", "====", "Z===", "Zm9v-_", "Zm 9v", "Zg==Zg==", "Zm9v\n",
            "Z=g=", "é",
        ] {
            assert_eq!(decode_base64(bad), None, "input {bad:?}");
        }
    }

    #[test]
    fn blob_basics() {
        let b = Blob::new(vec![1, 2, 3]);
        assert_eq!(b.as_bytes(), &[1, 2, 3]);
        assert_eq!(format!("{b:?}"), "Blob(3 bytes)");
        assert_eq!(b.as_ref(), &[1, 2, 3]);
        assert_eq!(Blob::from("hi").into_inner(), b"hi".to_vec());
        assert_eq!(Blob::from(&[9u8][..]), Blob::from(vec![9]));
        assert_eq!(Blob::default().as_bytes(), b"");
    }

    #[test]
    fn big_integer_parse() {
        for ok in ["0", "-0", "123", "-98765432109876543210987654321"] {
            assert_eq!(
                ok.parse::<BigInteger>().map(|b| b.to_string()),
                Ok(ok.to_owned())
            );
        }
        for bad in ["", "-", "01", "1.5", "1e3", "+1", "12a", " 1", "--1"] {
            assert!(bad.parse::<BigInteger>().is_err(), "input {bad:?}");
        }
        assert_eq!(BigInteger::from(-5i64).as_str(), "-5");
        assert_eq!(BigInteger::from(u64::MAX).as_str(), "18446744073709551615");
    }

    #[test]
    fn big_decimal_parse() {
        for ok in [
            "0",
            "-0.0",
            "1.5",
            "1e400",
            "-1.25E-7",
            "123456789012345678901234567890.5",
        ] {
            let d: BigDecimal = ok.parse().expect("valid");
            assert_eq!(d.as_str(), ok);
        }
        for bad in ["", ".5", "1.", "1e", "NaN", "1.5x", "0x10"] {
            let err = bad.parse::<BigDecimal>();
            assert!(err.is_err(), "input {bad:?}");
        }
        let err = "12x".parse::<BigDecimal>().err();
        assert_eq!(err.map(|e| e.offset()), Some(2));
    }
}
