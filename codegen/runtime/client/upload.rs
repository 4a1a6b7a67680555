//! Streamed uploads: an input's `@streaming` blob sent from a file or a
//! reader a chunk at a time, never whole in memory.
//!
//! How the body travels depends on the service and the connection, as the
//! AWS SDKs send it:
//!
//! - `aws-chunked` (a customisation: S3) with a checksum, over TLS: the
//!   chunks unsigned (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`), the checksum
//!   in a trailer; without a checksum, the plain body as `UNSIGNED-PAYLOAD`.
//! - `aws-chunked` over plain HTTP: each chunk signed, chained from the
//!   request's signature (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, `-TRAILER`
//!   with a signed checksum trailer).
//! - Any other service: the plain body, `UNSIGNED-PAYLOAD` over TLS. Over
//!   plain HTTP, or when the operation wants a checksum, `Content-MD5` or
//!   Glacier's tree hash in a header, the body is read once first to
//!   compute them (a file can be; a one-shot reader cannot).
//!
//! Each attempt reads the source from its start: a file is opened again; a
//! reader is read once, so a failed attempt is not retried.

use std::fmt;
use std::io::{self, Read};

use md5::Md5;
use sha2::{Digest, Sha256};

use super::super::blob::encode_base64;
use super::super::checksum::RunningChecksum;
use super::super::http::{HttpRequest, StreamedBody};
use super::super::stream::UploadSource;
use super::sigv4::{self, amz_date, hex, hmac, sha256_hex, SigningParams, SigningSettings};

/// The size of an `aws-chunked` chunk (the last may be shorter).
pub const CHUNK: usize = 64 * 1024;

/// The hash of the empty string, in every chunk's string to sign.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Signs the chunks of an `aws-chunked` body, each chained to the one
/// before (the first to the request's signature), and its trailer.
pub struct ChunkSigner {
    key: Vec<u8>,
    scope: String,
    date: String,
    prior: String,
}

impl ChunkSigner {
    /// The signer of a request signed with `params` whose signature is
    /// `seed` (lower-case hex).
    pub fn new(params: &SigningParams<'_>, seed: &str) -> Self {
        let date = amz_date(params.time);
        ChunkSigner {
            key: sigv4::signing_key(params, &date[..8]),
            scope: sigv4::scope(params, &date[..8]),
            date,
            prior: seed.to_owned(),
        }
    }

    /// The signature of the next chunk, `data` (empty: the last).
    pub fn chunk(&mut self, data: &[u8]) -> String {
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{}\n{EMPTY_SHA256}\n{}",
            self.date,
            self.scope,
            self.prior,
            sha256_hex(data)
        );
        self.prior = hex(&hmac(&self.key, string_to_sign.as_bytes()));
        self.prior.clone()
    }

    /// The signature of the trailer, given its headers as `name:value`
    /// lines, each ending in `\n`, sorted by name.
    pub fn trailer(&mut self, canonical: &str) -> String {
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-TRAILER\n{}\n{}\n{}\n{}",
            self.date,
            self.scope,
            self.prior,
            sha256_hex(canonical.as_bytes())
        );
        self.prior = hex(&hmac(&self.key, string_to_sign.as_bytes()));
        self.prior.clone()
    }
}

impl fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("key", &"** redacted **")
            .field("scope", &self.scope)
            .finish()
    }
}

/// The length of a signature in a chunk header or trailer.
const SIGNATURE_LEN: u64 = 64;

/// The length of the `aws-chunked` encoding of `length` bytes in chunks of
/// `chunk`: signed or not, with a trailer of `checksum` or none.
pub fn encoded_length(
    length: u64,
    chunk: usize,
    signed: bool,
    checksum: Option<&RunningChecksum>,
) -> u64 {
    let chunk = chunk.max(1) as u64;
    let signature = if signed {
        ";chunk-signature=".len() as u64 + SIGNATURE_LEN
    } else {
        0
    };
    let frame = |n: u64| format!("{n:x}").len() as u64 + signature + 2 + n + 2;
    let full = length / chunk;
    let rest = length % chunk;
    let mut total = full * frame(chunk) + if rest > 0 { frame(rest) } else { 0 };
    // The empty last chunk, without data or its CRLF.
    total += 1 + signature + 2;
    total += match checksum {
        Some(c) => {
            let line = c.header().len() as u64 + 1 + c.value_len() as u64 + 2;
            let signature_line = if signed {
                "x-amz-trailer-signature:".len() as u64 + SIGNATURE_LEN + 2
            } else {
                0
            };
            line + signature_line + 2
        }
        None => 2,
    };
    total
}

/// A reader of `length` bytes from `inner`, encoded `aws-chunked` as it is
/// read: chunk headers (signed when there is a signer), the data, the
/// empty last chunk and the trailer with the checksum.
pub struct AwsChunked {
    inner: Box<dyn Read + Send>,
    remaining: u64,
    length: u64,
    chunk: usize,
    signer: Option<ChunkSigner>,
    checksum: Option<RunningChecksum>,
    out: Vec<u8>,
    at: usize,
    ended: bool,
}

impl AwsChunked {
    /// Encodes the `length` bytes of `inner` in chunks of `chunk` bytes.
    pub fn new(
        inner: Box<dyn Read + Send>,
        length: u64,
        chunk: usize,
        signer: Option<ChunkSigner>,
        checksum: Option<RunningChecksum>,
    ) -> Self {
        AwsChunked {
            inner,
            remaining: length,
            length,
            chunk: chunk.max(1),
            signer,
            checksum,
            out: Vec::new(),
            at: 0,
            ended: false,
        }
    }

    /// The next frame into `out`: a chunk of data, or the end.
    fn next_frame(&mut self) -> io::Result<()> {
        self.out.clear();
        self.at = 0;
        let want = self.remaining.min(self.chunk as u64) as usize;
        let mut data = vec![0; want];
        read_full(
            &mut self.inner,
            &mut data,
            self.length - self.remaining,
            self.length,
        )?;
        self.remaining -= want as u64;
        if let Some(c) = self.checksum.as_mut() {
            c.update(&data);
        }
        if !data.is_empty() {
            self.header(data.len(), &data);
            self.out.extend_from_slice(&data);
            self.out.extend_from_slice(b"\r\n");
            return Ok(());
        }
        self.header(0, &[]);
        self.ended = true;
        match &self.checksum {
            Some(c) => {
                let line = format!("{}:{}", c.header(), c.value());
                self.out.extend_from_slice(line.as_bytes());
                self.out.extend_from_slice(b"\r\n");
                if let Some(signer) = self.signer.as_mut() {
                    let signature = signer.trailer(&format!("{line}\n"));
                    self.out.extend_from_slice(b"x-amz-trailer-signature:");
                    self.out.extend_from_slice(signature.as_bytes());
                    self.out.extend_from_slice(b"\r\n");
                }
                self.out.extend_from_slice(b"\r\n");
            }
            None => self.out.extend_from_slice(b"\r\n"),
        }
        Ok(())
    }

    /// A chunk's header line.
    fn header(&mut self, size: usize, data: &[u8]) {
        self.out.extend_from_slice(format!("{size:x}").as_bytes());
        if let Some(signer) = self.signer.as_mut() {
            self.out.extend_from_slice(b";chunk-signature=");
            self.out.extend_from_slice(signer.chunk(data).as_bytes());
        }
        self.out.extend_from_slice(b"\r\n");
    }
}

impl Read for AwsChunked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at >= self.out.len() {
            if self.ended {
                return Ok(0);
            }
            self.next_frame()?;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Fills `buf` from `inner`; a source that ends first is an error (it
/// promised `length` bytes and gave `done` plus what was read).
fn read_full(inner: &mut dyn Read, buf: &mut [u8], done: u64, length: u64) -> io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        match inner.read(&mut buf[filled..]) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "the body ended after {} of its {length} bytes",
                        done + filled as u64
                    ),
                ))
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A reader of exactly `length` bytes of `inner` (a plain upload body): a
/// source that ends early is an error, not a short request.
struct Exact {
    inner: Box<dyn Read + Send>,
    remaining: u64,
    length: u64,
}

impl Read for Exact {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the body ended after {} of its {} bytes",
                    self.length - self.remaining,
                    self.length
                ),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// How one call sends its streamed body.
pub(super) struct Upload {
    source: UploadSource,
    length: u64,
    /// Chunked, and whether each chunk is signed.
    chunked: Option<bool>,
    checksum: Option<RunningChecksum>,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("source", &self.source)
            .field("length", &self.length)
            .field("chunked", &self.chunked)
            .finish()
    }
}

impl Upload {
    /// Plans the upload of `source` as `streamed` says, over TLS or not:
    /// sets the request's headers and the signing settings, reading the
    /// body once first when headers need its hashes.
    pub(super) fn plan(
        mut source: UploadSource,
        streamed: &StreamedBody,
        tls: bool,
        request: &mut HttpRequest,
        settings: &mut SigningSettings,
    ) -> io::Result<Self> {
        let length = streamed.length;
        let checksum = match &streamed.checksum {
            Some(a) => Some(RunningChecksum::new(a).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, format!("checksum {a:?}"))
            })?),
            None => None,
        };
        let chunked = streamed.aws_chunked && (!tls || checksum.is_some());
        if chunked {
            let signed = !tls;
            settings.payload_hash_header = true;
            settings.payload_hash = Some(match (signed, checksum.is_some()) {
                (true, false) => sigv4::STREAMING_PAYLOAD,
                (true, true) => sigv4::STREAMING_PAYLOAD_TRAILER,
                (false, _) => sigv4::STREAMING_UNSIGNED_TRAILER,
            });
            let encoding = match take_header(request, "content-encoding") {
                Some(other) => format!("aws-chunked,{other}"),
                None => "aws-chunked".to_owned(),
            };
            take_header(request, "content-length");
            let headers = &mut request.headers;
            headers.push(("Content-Encoding".into(), encoding));
            headers.push(("x-amz-decoded-content-length".into(), length.to_string()));
            if let Some(c) = &checksum {
                headers.push(("x-amz-trailer".into(), c.header().to_owned()));
            }
            let encoded = encoded_length(length, CHUNK, signed, checksum.as_ref());
            headers.push(("Content-Length".into(), encoded.to_string()));
            return Ok(Upload {
                source,
                length,
                chunked: Some(signed),
                checksum,
            });
        }
        let first_pass = !tls || checksum.is_some() || streamed.content_md5 || streamed.tree_hash;
        if !first_pass {
            settings.payload_hash_header = true;
            settings.payload_hash = Some(sigv4::UNSIGNED_PAYLOAD);
        } else {
            if !source.is_replayable() {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "this request needs its body's hashes before it is sent (a signed payload over plain HTTP, a checksum, Content-MD5 or a tree hash), so the body is read twice, and a one-shot reader cannot be: send a file (ByteStream::from_path) or bytes",
                ));
            }
            let mut reader = Exact {
                inner: source.open()?,
                remaining: length,
                length,
            };
            let hashes = Hashes::read(&mut reader, checksum, streamed)?;
            hashes.apply(request);
        }
        Ok(Upload {
            source,
            length,
            chunked: None,
            checksum: None,
        })
    }

    /// Whether a failed attempt can be sent again.
    pub(super) fn is_replayable(&self) -> bool {
        self.source.is_replayable()
    }

    /// The body of the next attempt, from the source's start; `seed` and
    /// `params` are the attempt's signature, which signed chunks chain
    /// from.
    pub(super) fn body(
        &mut self,
        params: &SigningParams<'_>,
        seed: &str,
    ) -> io::Result<Box<dyn Read + Send>> {
        let inner = self.source.open()?;
        Ok(match self.chunked {
            Some(signed) => Box::new(AwsChunked::new(
                inner,
                self.length,
                CHUNK,
                signed.then(|| ChunkSigner::new(params, seed)),
                self.checksum,
            )),
            None => Box::new(Exact {
                inner,
                remaining: self.length,
                length: self.length,
            }),
        })
    }
}

/// Removes the header `name` from `request`; its value, if it had one.
fn take_header(request: &mut HttpRequest, name: &str) -> Option<String> {
    let at = request
        .headers
        .iter()
        .position(|(k, _)| k.eq_ignore_ascii_case(name))?;
    Some(request.headers.remove(at).1)
}

/// The hashes of a body read once before it is sent.
struct Hashes {
    sha256: [u8; 32],
    checksum: Option<RunningChecksum>,
    md5: Option<[u8; 16]>,
    tree: Option<[u8; 32]>,
}

impl Hashes {
    /// Reads `reader` to its end, a chunk at a time.
    fn read(
        reader: &mut dyn Read,
        mut checksum: Option<RunningChecksum>,
        streamed: &StreamedBody,
    ) -> io::Result<Self> {
        let mut sha = Sha256::new();
        let mut md5 = streamed.content_md5.then(Md5::new);
        let mut leaves = Vec::new();
        let mut leaf = Sha256::new();
        let mut in_leaf = 0usize;
        let mut buf = vec![0; CHUNK];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let data = &buf[..n];
            sha.update(data);
            if let Some(c) = checksum.as_mut() {
                c.update(data);
            }
            if let Some(m) = md5.as_mut() {
                m.update(data);
            }
            if streamed.tree_hash {
                // Leaves of exactly 1 MiB, whatever the reads' sizes.
                let mut rest = data;
                while !rest.is_empty() {
                    let take = rest.len().min(super::body_hashes::MIB - in_leaf);
                    leaf.update(&rest[..take]);
                    in_leaf += take;
                    rest = &rest[take..];
                    if in_leaf == super::body_hashes::MIB {
                        leaves.push(leaf.finalize_reset().into());
                        in_leaf = 0;
                    }
                }
            }
        }
        if in_leaf > 0 {
            leaves.push(leaf.finalize().into());
        }
        Ok(Hashes {
            sha256: sha.finalize().into(),
            checksum,
            md5: md5.map(|m| m.finalize().into()),
            tree: streamed
                .tree_hash
                .then(|| super::body_hashes::tree_of(leaves)),
        })
    }

    /// Adds the headers the hashes go in, unless the caller set them; the
    /// SHA-256 is what the request is signed with.
    fn apply(self, request: &mut HttpRequest) {
        let mut add = |name: &str, value: String| {
            if request.header(name).is_none() {
                request.push_computed(name, value);
            }
        };
        add("X-Amz-Content-Sha256", hex(&self.sha256));
        if let Some(c) = self.checksum {
            add(c.header(), c.value());
        }
        if let Some(m) = self.md5 {
            add("Content-MD5", encode_base64(&m));
        }
        if let Some(t) = self.tree {
            add("X-Amz-Sha256-Tree-Hash", hex(&t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::time::DateTime;
    use super::*;

    /// AWS's published chunked-upload example: `PUT
    /// /examplebucket/chunkObject.txt` on 24 May 2013, 66,560 bytes of `a`.
    fn example() -> SigningParams<'static> {
        SigningParams {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "s3",
            time: DateTime::from_secs(1_369_353_600),
            settings: SigningSettings {
                double_encode_path: false,
                normalize_path: false,
                payload_hash_header: true,
                omit_session_token_from_signature: false,
                payload_hash: Some(sigv4::STREAMING_PAYLOAD),
            },
        }
    }

    const SEED: &str = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    #[test]
    fn the_published_example_signs_and_frames_alike() {
        // The seed: the request's own signature.
        let headers: Vec<(String, String)> = [
            ("Host", "s3.amazonaws.com"),
            ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "66560"),
            ("Content-Length", "66824"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let signed = sigv4::sign(
            &sigv4::SignableRequest {
                method: "PUT",
                uri: "/examplebucket/chunkObject.txt",
                headers: &headers,
                body: &[],
            },
            &example(),
        )
        .unwrap();
        assert_eq!(signed.signature, SEED);
        assert_eq!(encoded_length(66_560, CHUNK, true, None), 66_824);
        // The chunks, chained from it.
        let mut body = Vec::new();
        AwsChunked::new(
            Box::new(io::repeat(b'a').take(66_560)),
            66_560,
            CHUNK,
            Some(ChunkSigner::new(&example(), SEED)),
            None,
        )
        .read_to_end(&mut body)
        .unwrap();
        assert_eq!(body.len(), 66_824);
        let mut expected = Vec::new();
        for (size, sig) in [
            (
                65_536,
                "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            ),
            (
                1_024,
                "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            ),
            (
                0,
                "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
            ),
        ] {
            expected.extend_from_slice(format!("{size:x};chunk-signature={sig}\r\n").as_bytes());
            expected.extend(std::iter::repeat_n(b'a', size));
            expected.extend_from_slice(b"\r\n");
        }
        assert_eq!(body, expected);
    }

    #[test]
    fn the_trailer_is_signed_over_its_canonical_lines() {
        // The AWS CRT's published trailer case: three trailing headers
        // signed after the example's last chunk.
        let mut signer = ChunkSigner::new(&example(), SEED);
        signer.chunk(&[b'a'; 65_536]);
        signer.chunk(&[b'a'; 1_024]);
        assert_eq!(
            signer.chunk(&[]),
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
        );
        assert_eq!(
            signer.trailer("first:1st\nsecond:2nd\nthird:3rd\n"),
            "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c"
        );
        assert!(!format!("{signer:?}").contains(&hex(&signer.key)));
    }

    #[test]
    fn every_encoding_is_as_long_as_announced() {
        let crc = RunningChecksum::new("crc32");
        let crc64 = RunningChecksum::new("crc64nvme");
        for length in [0u64, 1, 7, 65_535, 65_536, 65_537, 200_000] {
            for signed in [false, true] {
                for checksum in [None, crc, crc64] {
                    let mut body = Vec::new();
                    AwsChunked::new(
                        Box::new(io::repeat(3).take(length)),
                        length,
                        CHUNK,
                        signed.then(|| ChunkSigner::new(&example(), SEED)),
                        checksum,
                    )
                    .read_to_end(&mut body)
                    .unwrap();
                    let announced = encoded_length(length, CHUNK, signed, checksum.as_ref());
                    assert_eq!(
                        body.len() as u64,
                        announced,
                        "{length} {signed} {checksum:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_unsigned_trailer_carries_the_checksum() {
        let mut body = Vec::new();
        AwsChunked::new(
            Box::new(&b"hello world"[..]),
            11,
            4,
            None,
            RunningChecksum::new("crc32"),
        )
        .read_to_end(&mut body)
        .unwrap();
        let crc =
            encode_base64(&super::super::super::checksum::crc32(b"hello world").to_be_bytes());
        let expected = format!(
            "4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n"
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn a_source_shorter_than_its_length_fails() {
        let mut body = Vec::new();
        let err = AwsChunked::new(Box::new(&b"abc"[..]), 10, 4, None, None)
            .read_to_end(&mut body)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("after 3 of its 10 bytes"), "{err}");
        let mut exact = Exact {
            inner: Box::new(&b"abc"[..]),
            remaining: 10,
            length: 10,
        };
        let err = exact.read_to_end(&mut body).unwrap_err();
        assert!(err.to_string().contains("after 3 of its 10 bytes"), "{err}");
    }

    fn request(length: u64) -> (HttpRequest, StreamedBody) {
        let streamed = StreamedBody {
            length,
            ..Default::default()
        };
        let request = HttpRequest {
            method: "PUT",
            uri: "/b/k".into(),
            headers: vec![("Content-Length".into(), length.to_string())],
            body: Vec::new(),
            host_prefix: String::new(),
            endpoint: None,
            computed_headers: Vec::new(),
            streamed: Some(streamed.clone()),
        };
        (request, streamed)
    }

    fn file_of(bytes: &[u8]) -> (std::path::PathBuf, UploadSource) {
        let path = std::env::temp_dir().join(format!(
            "upload-plan-{}-{}",
            std::process::id(),
            super::super::super::token::new_idempotency_token()
        ));
        std::fs::write(&path, bytes).unwrap();
        let source = UploadSource::File {
            path: path.clone(),
            offset: 0,
            len: bytes.len() as u64,
        };
        (path, source)
    }

    #[test]
    fn the_plan_follows_the_service_and_the_connection() {
        let data = vec![9u8; 100_000];
        // S3 with a checksum, over TLS: unsigned chunks, a trailer.
        let (path, source) = file_of(&data);
        let (mut req, mut streamed) = request(100_000);
        streamed.aws_chunked = true;
        streamed.checksum = Some("crc32".into());
        let mut settings = SigningSettings::default();
        let mut plan = Upload::plan(source, &streamed, true, &mut req, &mut settings).unwrap();
        assert_eq!(
            settings.payload_hash,
            Some(sigv4::STREAMING_UNSIGNED_TRAILER)
        );
        assert_eq!(req.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
        assert_eq!(req.header("x-amz-decoded-content-length"), Some("100000"));
        let mut body = Vec::new();
        plan.body(&example(), SEED)
            .unwrap()
            .read_to_end(&mut body)
            .unwrap();
        assert_eq!(
            req.header("content-length"),
            Some(body.len().to_string().as_str())
        );
        assert!(plan.is_replayable());
        // Read again for a second attempt: the same bytes.
        let mut again = Vec::new();
        plan.body(&example(), SEED)
            .unwrap()
            .read_to_end(&mut again)
            .unwrap();
        assert_eq!(body, again);
        // Over plain HTTP: signed chunks.
        let (mut req, _) = request(100_000);
        let mut settings = SigningSettings::default();
        let source = UploadSource::File {
            path: path.clone(),
            offset: 0,
            len: 100_000,
        };
        Upload::plan(source, &streamed, false, &mut req, &mut settings).unwrap();
        assert_eq!(
            settings.payload_hash,
            Some(sigv4::STREAMING_PAYLOAD_TRAILER)
        );
        // Another service over TLS: the plain body, unsigned.
        let (mut req, streamed) = request(100_000);
        let mut settings = SigningSettings::default();
        let source = UploadSource::Once(Some(Box::new(io::Cursor::new(data.clone()))));
        let mut plan = Upload::plan(source, &streamed, true, &mut req, &mut settings).unwrap();
        assert_eq!(settings.payload_hash, Some(sigv4::UNSIGNED_PAYLOAD));
        assert!(!plan.is_replayable());
        let mut body = Vec::new();
        plan.body(&example(), SEED)
            .unwrap()
            .read_to_end(&mut body)
            .unwrap();
        assert_eq!(body, data);
        // A reader is read once.
        assert!(plan.body(&example(), SEED).is_err());
        // Over plain HTTP the body is hashed first: a file can be.
        let (mut req, mut streamed) = request(100_000);
        streamed.content_md5 = true;
        streamed.tree_hash = true;
        let mut settings = SigningSettings::default();
        let source = UploadSource::File {
            path: path.clone(),
            offset: 0,
            len: 100_000,
        };
        Upload::plan(source, &streamed, false, &mut req, &mut settings).unwrap();
        assert_eq!(settings.payload_hash, None);
        assert_eq!(
            req.header("x-amz-content-sha256"),
            Some(sha256_hex(&data).as_str())
        );
        assert_eq!(
            req.header("x-amz-sha256-tree-hash"),
            Some(hex(&super::super::body_hashes::tree_hash(&data)).as_str())
        );
        assert_eq!(
            req.header("content-md5"),
            Some(encode_base64(&Md5::digest(&data)).as_str())
        );
        // ... and a reader cannot.
        let (mut req, streamed) = request(100_000);
        let source = UploadSource::Once(Some(Box::new(io::Cursor::new(data.clone()))));
        let err = Upload::plan(source, &streamed, false, &mut req, &mut settings).unwrap_err();
        assert!(err.to_string().contains("ByteStream::from_path"), "{err}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn tree_hash_leaves_are_whole_mebibytes_whatever_the_reads() {
        let data: Vec<u8> = (0..(3 * super::super::body_hashes::MIB + 12_345))
            .map(|i| (i % 253) as u8)
            .collect();
        let streamed = StreamedBody {
            length: data.len() as u64,
            tree_hash: true,
            ..Default::default()
        };
        /// Reads of odd sizes.
        struct Odd<'a>(&'a [u8]);
        impl Read for Odd<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(40_001);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let hashes = Hashes::read(&mut Odd(&data), None, &streamed).unwrap();
        assert_eq!(
            hashes.tree,
            Some(super::super::body_hashes::tree_hash(&data))
        );
        assert_eq!(hex(&hashes.sha256), sha256_hex(&data));
    }
}
