//! The event-stream message framing both ways share: typed header values
//! and the encoder (prelude, headers, payload, both CRC-32 checks). The
//! decoder is in the `eventstream` module; the client signs
//! input event streams with this encoder in any crate.

use super::codec_error::EncodeError;
use super::gzip::crc32;

/// A header value of an event-stream message.
#[derive(Clone, Debug, PartialEq)]
pub enum HeaderValue<'a> {
    /// Types 0 and 1.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Short(i16),
    /// Type 4.
    Int(i32),
    /// Type 5.
    Long(i64),
    /// Type 6.
    Bytes(&'a [u8]),
    /// Type 7.
    String(&'a str),
    /// Type 8: milliseconds since the epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid(&'a [u8]),
}

/// The longest message a service accepts (16 MiB).
const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// Appends the wire form of `headers` to `out`: each name (at most 255
/// bytes), its type byte and its value (strings and bytes at most 65,535).
pub fn encode_headers(
    headers: &[(&str, HeaderValue<'_>)],
    out: &mut Vec<u8>,
) -> Result<(), String> {
    for (name, value) in headers {
        let len = u8::try_from(name.len())
            .map_err(|_| format!("header name `{name}` is longer than 255 bytes"))?;
        out.push(len);
        out.extend_from_slice(name.as_bytes());
        let sized = |out: &mut Vec<u8>, kind: u8, bytes: &[u8]| -> Result<(), String> {
            let n = u16::try_from(bytes.len())
                .map_err(|_| format!("header `{name}` is longer than 65,535 bytes"))?;
            out.push(kind);
            out.extend_from_slice(&n.to_be_bytes());
            out.extend_from_slice(bytes);
            Ok(())
        };
        match value {
            HeaderValue::Bool(true) => out.push(0),
            HeaderValue::Bool(false) => out.push(1),
            HeaderValue::Byte(v) => {
                out.push(2);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Short(v) => {
                out.push(3);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Int(v) => {
                out.push(4);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Long(v) => {
                out.push(5);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Bytes(b) => sized(out, 6, b)?,
            HeaderValue::String(s) => sized(out, 7, s.as_bytes())?,
            HeaderValue::Timestamp(ms) => {
                out.push(8);
                out.extend_from_slice(&ms.to_be_bytes());
            }
            HeaderValue::Uuid(b) => {
                if b.len() != 16 {
                    return Err(format!("header `{name}` is a UUID of {} bytes", b.len()));
                }
                out.push(9);
                out.extend_from_slice(b);
            }
        }
    }
    Ok(())
}

/// Frames one message: prelude (total and header lengths, their CRC-32),
/// headers, payload and the message's CRC-32. `shape` names the event
/// union in the error a message too large for the wire gives.
pub fn encode_message(
    shape: &'static str,
    headers: &[(&str, HeaderValue<'_>)],
    payload: &[u8],
) -> Result<Vec<u8>, EncodeError> {
    let invalid = |message: String| EncodeError::InvalidValue { shape, message };
    let mut head = Vec::new();
    encode_headers(headers, &mut head).map_err(invalid)?;
    let total = 16 + head.len() + payload.len();
    if total > MAX_MESSAGE {
        return Err(invalid(format!(
            "an event of {total} bytes is longer than the 16 MiB a message may be"
        )));
    }
    // Both fit in u32: the total is at most 16 MiB.
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    let prelude_crc = crc32(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    Ok(out)
}
