//! Request checksums (`@httpChecksum`, `@httpChecksumRequired`): the
//! `x-amz-checksum-*` header of a request body, as the AWS SDKs send it.
//!
//! The algorithm is the one the caller chose in the operation's algorithm
//! member; without a choice, CRC32 when the operation requires a checksum
//! or has an algorithm member (the SDKs' default, `when_supported`). CRC32,
//! CRC32C and CRC64/NVME are computed here (std only, table-driven); SHA-1
//! and SHA-256 are refused (cryptographic hashes stay out of the default
//! build). A request whose input already carries an `x-amz-checksum-*`
//! header is left as it is.
#![doc(hidden)]

use super::blob::encode_base64;
use super::codec_error::EncodeError;
pub use super::crc::{crc32, crc32c, crc64nvme, Crc};
use super::crc::{CRC32, CRC32C, CRC64NVME};
use super::http::{Headers, HttpRequest};
use super::stream::{AsyncBody, ByteStream};

/// What an operation's `@httpChecksum` asks of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChecksumRule {
    /// The input shape, for errors.
    pub shape: &'static str,
    /// Whether a checksum is required (`requestChecksumRequired`,
    /// `@httpChecksumRequired`).
    pub required: bool,
    /// The header of the algorithm member, which gets the default
    /// algorithm's name when the caller chose none.
    pub algorithm_header: Option<&'static str>,
    /// Whether the operation has an algorithm member at all.
    pub has_algorithm_member: bool,
}

/// Adds the checksum header `rule` asks for to `req`; `chosen` is the
/// algorithm member's value, if set.
pub fn request_checksum(
    req: &mut HttpRequest,
    rule: ChecksumRule,
    chosen: Option<&str>,
) -> Result<(), EncodeError> {
    let has_checksum = req
        .headers
        .iter()
        // Bytes, not `str` slicing: a prefix-header name may hold any text.
        .any(|(k, _)| k.len() > 15 && k.as_bytes()[..15].eq_ignore_ascii_case(b"x-amz-checksum-"));
    if has_checksum {
        return Ok(());
    }
    let algorithm = match chosen {
        Some(a) => a.to_ascii_uppercase(),
        None if rule.required || rule.has_algorithm_member => {
            if let Some(header) = rule.algorithm_header {
                req.push_computed(header, "CRC32");
            }
            "CRC32".to_owned()
        }
        None => return Ok(()),
    };
    let lower = algorithm.to_ascii_lowercase();
    let Some(mut checksum) = RunningChecksum::new(&lower) else {
        return Err(EncodeError::InvalidValue {
            shape: rule.shape,
            message: format!(
                "checksum algorithm {algorithm:?} is not computed here (CRC32, CRC32C and CRC64NVME are)"
            ),
        });
    };
    // A streamed body's checksum is computed as the client sends it.
    if let Some(streamed) = req.streamed.as_mut() {
        streamed.checksum = Some(lower);
        return Ok(());
    }
    checksum.update(&req.body);
    req.push_computed(checksum.header(), checksum.value());
    Ok(())
}

/// The CRC and digest width of a response checksum algorithm.
fn crc_of(algorithm: &str) -> Option<(&'static Crc, usize)> {
    match algorithm {
        "crc32" => Some((&CRC32, 4)),
        "crc32c" => Some((&CRC32C, 4)),
        "crc64nvme" => Some((&CRC64NVME, 8)),
        _ => None,
    }
}

/// A checksum computed over a body as it goes by (a streamed upload's).
#[derive(Clone, Copy)]
pub struct RunningChecksum {
    name: &'static str,
    crc: &'static Crc,
    width: usize,
    state: u64,
}

impl RunningChecksum {
    /// A checksum with `algorithm` (`crc32`, `crc32c`, `crc64nvme`), if it
    /// is one computed here.
    pub fn new(algorithm: &str) -> Option<Self> {
        let name = match algorithm {
            "crc32" => "x-amz-checksum-crc32",
            "crc32c" => "x-amz-checksum-crc32c",
            "crc64nvme" => "x-amz-checksum-crc64nvme",
            _ => return None,
        };
        let (crc, width) = crc_of(algorithm)?;
        Some(RunningChecksum {
            name,
            crc,
            width,
            state: crc.mask,
        })
    }

    /// Takes the next bytes of the body.
    pub fn update(&mut self, data: &[u8]) {
        self.state = self.crc.update(self.state, data);
    }

    /// The header the checksum travels in (`x-amz-checksum-crc32`).
    pub fn header(&self) -> &'static str {
        self.name
    }

    /// The checksum of the bytes taken so far, in base64.
    pub fn value(&self) -> String {
        let value = (self.state ^ self.crc.mask).to_be_bytes();
        encode_base64(&value[8 - self.width..])
    }

    /// The length of [`value`](Self::value).
    pub fn value_len(&self) -> usize {
        self.width.div_ceil(3) * 4
    }
}

impl std::fmt::Debug for RunningChecksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RunningChecksum").field(&self.name).finish()
    }
}

/// A body checked against the checksum its response names: read through,
/// it fails with `InvalidData` at its end when the bytes do not match.
struct Verified {
    inner: ByteStream,
    checksum: RunningChecksum,
    expected: String,
    header: String,
    checked: bool,
}

impl Verified {
    /// Takes a chunk of the body.
    fn take(&mut self, data: &[u8]) {
        self.checksum.update(data);
    }

    /// Checks the whole body, once, at its end.
    fn finish(&mut self) -> std::io::Result<()> {
        if std::mem::replace(&mut self.checked, true) {
            return Ok(());
        }
        let got = self.checksum.value();
        if got == self.expected {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the body does not match its checksum: {} says {}, the body's is {got}",
                    self.header, self.expected
                ),
            ))
        }
    }
}

impl std::io::Read for Verified {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // A read into an empty buffer says nothing about the end.
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.finish()?;
        } else {
            self.take(&buf[..n]);
        }
        Ok(n)
    }
}

impl AsyncBody for Verified {
    fn poll_chunk(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::io::Result<Vec<u8>>>> {
        let this = self.get_mut();
        let polled = this.inner.poll_chunk(cx);
        std::task::Poll::Ready(match std::task::ready!(polled) {
            Some(Ok(chunk)) => {
                this.take(&chunk);
                Some(Ok(chunk))
            }
            Some(Err(e)) => Some(Err(e)),
            None => this.finish().err().map(Err),
        })
    }
}

/// `body`, checked as it is read against the first of `algorithms` (lower
/// case, in order of preference) whose `x-amz-checksum-*` header the
/// response carries; unchanged when there is none, or when it is a checksum
/// of part checksums (`...-N`, S3 multipart objects), as the AWS SDKs do.
pub fn verify_body(
    headers: &(impl Headers + ?Sized),
    algorithms: &[&str],
    body: ByteStream,
) -> ByteStream {
    for algorithm in algorithms {
        let header = format!("x-amz-checksum-{algorithm}");
        let Some(expected) = super::http::header(headers, &header) else {
            continue;
        };
        if expected.contains('-') {
            continue;
        }
        let Some(checksum) = RunningChecksum::new(algorithm) else {
            continue;
        };
        let verified = Verified {
            inner: body,
            checksum,
            expected: expected.trim().to_owned(),
            header,
            checked: false,
        };
        return if verified.inner.is_async() {
            ByteStream::from_async(verified)
        } else {
            ByteStream::from_reader(verified)
        };
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values_of_the_catalogue() {
        // The "123456789" check values of each CRC's catalogue entry.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc64nvme(b"123456789"), 0xAE8B_1486_0A79_9888);
        assert_eq!(crc32c(b""), 0);
        assert_eq!(crc64nvme(b""), 0);
    }

    fn request(body: &[u8]) -> HttpRequest {
        HttpRequest {
            method: "PUT",
            uri: "/".into(),
            headers: vec![("x-amz-meta-a".into(), "b".into())],
            body: body.to_vec(),
            host_prefix: String::new(),
            endpoint: None,
            computed_headers: Vec::new(),
            streamed: None,
        }
    }

    const RULE: ChecksumRule = ChecksumRule {
        shape: "PutInput",
        required: false,
        algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
        has_algorithm_member: true,
    };

    #[test]
    fn response_bodies_are_checked_as_they_are_read() {
        use std::io::Read;
        let body = b"hello, checked world".to_vec();
        let crc32 = encode_base64(&crc32(&body).to_be_bytes());
        let crc64 = encode_base64(&crc64nvme(&body).to_be_bytes());
        // The preferred algorithm the response carries is used.
        let headers = [
            ("x-amz-checksum-crc32", crc32.as_str()),
            ("x-amz-checksum-crc64nvme", crc64.as_str()),
        ];
        let ok = verify_body(
            &headers,
            &["crc64nvme", "crc32"],
            ByteStream::from_reader(std::io::Cursor::new(body.clone())),
        );
        assert_eq!(ok.collect().unwrap(), body);
        // A read into an empty buffer is not the end: no false mismatch,
        // and a wrong body is still caught at the real end.
        let mut s = verify_body(&headers, &["crc32"], ByteStream::from_bytes(body.clone()));
        assert_eq!(s.read(&mut []).unwrap(), 0);
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        assert_eq!(out, body);
        let bad = [("x-amz-checksum-crc32", "AAAAAA==")];
        let mut s = verify_body(&bad, &["crc32"], ByteStream::from_bytes(body.clone()));
        assert_eq!(s.read(&mut []).unwrap(), 0);
        assert!(s.read_to_end(&mut Vec::new()).is_err());
        // A wrong checksum fails at the end of the body, naming the header.
        let bad = [("x-amz-checksum-crc32", "AAAAAA==")];
        let mut s = verify_body(&bad, &["crc32"], ByteStream::from_bytes(body.clone()));
        let mut out = Vec::new();
        let err = s.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("x-amz-checksum-crc32"), "{err}");
        assert_eq!(out, body, "every byte was delivered before the check");
        // The async path checks too.
        struct Chunks(Vec<Vec<u8>>);
        impl AsyncBody for Chunks {
            fn poll_chunk(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<std::io::Result<Vec<u8>>>> {
                std::task::Poll::Ready((!self.0.is_empty()).then(|| Ok(self.0.remove(0))))
            }
        }
        // Empty chunks between the others change nothing.
        let chunks = || {
            Chunks(
                body.chunks(3)
                    .flat_map(|c| [Vec::new(), c.to_vec()])
                    .collect(),
            )
        };
        let good = [("x-amz-checksum-crc32", crc32.as_str())];
        let s = verify_body(&good, &["crc32"], ByteStream::from_async(chunks()));
        assert_eq!(
            super::super::stream::tests::block_on(s.collect_async()).unwrap(),
            body
        );
        let s = verify_body(&bad, &["crc32"], ByteStream::from_async(chunks()));
        let err = super::super::stream::tests::block_on(s.collect_async()).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        // Part checksums, absent headers and unlisted algorithms: unchecked.
        for headers in [
            vec![("x-amz-checksum-crc32", "AAAAAA==-3")],
            vec![],
            vec![("x-amz-checksum-sha256", "x")],
        ] {
            let s = verify_body(&headers, &["crc32"], ByteStream::from_bytes(body.clone()));
            assert_eq!(s.buffered(), Some(&body[..]));
        }
    }

    #[test]
    fn the_default_is_crc32_with_the_algorithm_named() {
        let mut req = request(b"hello");
        request_checksum(&mut req, RULE, None).unwrap();
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
        // zlib.crc32(b"hello") = 0x3610a686
        assert_eq!(
            req.header("x-amz-checksum-crc32"),
            Some(encode_base64(&0x3610_a686u32.to_be_bytes()).as_str())
        );
        // A chosen algorithm: its header only (the member's header is the input's).
        let mut req = request(b"123456789");
        request_checksum(&mut req, RULE, Some("crc64nvme")).unwrap();
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), None);
        assert_eq!(
            req.header("x-amz-checksum-crc64nvme"),
            Some(encode_base64(&0xAE8B_1486_0A79_9888u64.to_be_bytes()).as_str())
        );
    }

    #[test]
    fn given_checksums_optional_rules_and_sha_are_handled() {
        // Header names that are not ASCII (user metadata keys) are no checksums.
        let mut req = request(b"x");
        req.headers
            .push(("x-amz-meta-a\u{fc}\u{fc}\u{fc}".into(), "v".into()));
        request_checksum(&mut req, RULE, None).unwrap();
        assert!(req.header("x-amz-checksum-crc32").is_some());
        let mut req = request(b"x");
        req.headers
            .push(("X-Amz-Checksum-Sha256".into(), "given".into()));
        request_checksum(&mut req, RULE, Some("SHA256")).unwrap();
        assert_eq!(req.headers.len(), 2, "a given checksum is kept as it is");
        let optional = ChecksumRule {
            required: false,
            has_algorithm_member: false,
            algorithm_header: None,
            ..RULE
        };
        let mut req = request(b"x");
        request_checksum(&mut req, optional, None).unwrap();
        assert_eq!(req.headers.len(), 1, "nothing asked, nothing added");
        let required = ChecksumRule {
            required: true,
            ..optional
        };
        request_checksum(&mut req, required, None).unwrap();
        assert!(req.header("x-amz-checksum-crc32").is_some());
        let err = request_checksum(&mut request(b"x"), RULE, Some("SHA256")).unwrap_err();
        assert!(
            err.to_string().contains("SHA256") && err.to_string().contains("PutInput"),
            "{err}"
        );
    }
}
