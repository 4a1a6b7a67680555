//! Streamed uploads through the generated S3 client (copied into the moto
//! crate by `cargo xtask e2e` as `tests/uploads.rs`): bodies sent from
//! files and readers without being held in memory.
//!
//! - Over TLS, the `aws-chunked` body and its headers agree with botocore's
//!   for the same bytes (`tests/oracle/aws_chunked_botocore.py`; nothing is
//!   sent: a transport captures the request).
//! - Over plain HTTP, each chunk is signed; a loopback server
//!   (`tests/oracle/upload_server.py`) checks the request signature with
//!   botocore and every chunk and trailer signature and the CRC-32 from
//!   AWS's definitions, for both clients; a failed attempt is sent again
//!   from the file, while a one-shot reader is not retried.
//! - Against moto, a multipart upload of a file, part by part from ranges
//!   of it, reads back whole.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_e2e::runtime::client::retry::RetryConfig;
use aws_e2e::runtime::client::sigv4::sha256_hex;
use aws_e2e::runtime::client::{
    Config, Credentials, HttpTransport, SdkError, StreamingResponse, TransportError,
    TransportErrorKind, TransportRequest, TransportResponse,
};
use aws_e2e::runtime::ByteStream;
use aws_e2e::s3::client::Client as S3Client;
use aws_e2e::s3::PutObjectRequest;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask e2e`"))
}

/// `len` bytes of a pattern that repeats only every 251 bytes.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn with(name: &str, data: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("slim-upload-{}-{name}", std::process::id()));
        std::fs::write(&path, data).expect("a temporary file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A transport that sends nothing: it keeps each upload's headers and body
/// and answers 200.
#[derive(Clone, Debug, Default)]
struct Capture(Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>);

impl HttpTransport for Capture {
    fn send(&self, _: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        Err(TransportError::new(
            TransportErrorKind::Other,
            "only uploads are expected",
        ))
    }

    fn send_upload(
        &self,
        request: &TransportRequest<'_>,
        body: &mut (dyn Read + Send),
    ) -> Result<StreamingResponse, TransportError> {
        let mut bytes = Vec::new();
        body.read_to_end(&mut bytes)
            .map_err(|e| TransportError::new(TransportErrorKind::Io, e.to_string()))?;
        self.0
            .lock()
            .unwrap()
            .push((request.headers.to_vec(), bytes));
        Ok(StreamingResponse {
            status: 200,
            headers: vec![("ETag".into(), "\"x\"".into())],
            body: ByteStream::default(),
        })
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn chunked_uploads_over_tls_agree_with_botocore() {
    let capture = Capture::default();
    let client = S3Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
            .transport(capture.clone())
            .build()
            .expect("a valid configuration"),
    );
    let sizes = [0usize, 11, 1_000, 70_000, 200_000];
    for (i, size) in sizes.iter().enumerate() {
        let file = TempFile::with(&format!("tls-{i}"), &pattern(*size));
        client
            .put_object(
                &PutObjectRequest::new()
                    .with_bucket("bucket")
                    .with_key("key")
                    .with_body(ByteStream::from_path(&file.0).expect("the file")),
            )
            .expect("PutObject through the capturing transport");
    }
    let captured = capture.0.lock().unwrap().clone();
    assert_eq!(captured.len(), sizes.len());
    let cases: Vec<serde_json::Value> = sizes
        .iter()
        .map(|s| serde_json::json!({"data": hex(&pattern(*s)), "chunk_size": 65536}))
        .collect();
    let oracle = run_oracle(&serde_json::json!({ "cases": cases }));
    for ((size, (headers, body)), theirs) in sizes.iter().zip(&captured).zip(&oracle) {
        // The encoding, chunk for chunk, at the same chunk size.
        let chunked = unhex(theirs["chunked"].as_str().unwrap());
        assert_eq!(
            String::from_utf8_lossy(body),
            String::from_utf8_lossy(&chunked),
            "{size} bytes"
        );
        let request = &theirs["request"];
        // botocore's own request (1 MiB chunks): the same bytes when one
        // chunk holds the body.
        if *size <= 65_536 {
            assert_eq!(
                hex(body),
                request["body"].as_str().unwrap(),
                "{size} bytes: botocore's request body"
            );
        }
        for name in [
            "content-encoding",
            "x-amz-trailer",
            "x-amz-decoded-content-length",
            "x-amz-content-sha256",
            "x-amz-sdk-checksum-algorithm",
        ] {
            assert_eq!(
                header(headers, name),
                request["headers"][name].as_str(),
                "{size} bytes: {name}"
            );
        }
        // botocore streams with `Transfer-Encoding: chunked`; the length
        // sent here instead is the encoding's.
        assert_eq!(
            header(headers, "content-length"),
            Some(body.len().to_string().as_str())
        );
    }
}

fn run_oracle(input: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut child = Command::new(env("E2E_PYTHON"))
        .arg(env("E2E_CHUNK_ORACLE"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the botocore oracle starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("the oracle reads its input");
    }
    let out = child.wait_with_output().expect("the oracle runs");
    assert!(out.status.success(), "the botocore oracle failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the oracle's JSON");
    v["cases"].as_array().expect("cases").clone()
}

/// The checking upload server, answering the first `fail_first` requests
/// with a 500 and stopping after `max` requests.
struct UploadServer {
    child: Child,
    lines: BufReader<ChildStdout>,
    port: u16,
}

const SECRET: &str = "upload-secret";

impl UploadServer {
    fn start(fail_first: u32, max: u32) -> Self {
        let mut child = Command::new(env("E2E_PYTHON"))
            .arg(env("E2E_UPLOAD_SERVER"))
            .args([SECRET, &fail_first.to_string(), &max.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the upload server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        lines.read_line(&mut first).expect("the server's port");
        let port = first
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port from the upload server: {first:?}"));
        UploadServer { child, lines, port }
    }

    /// The server's report of its next request.
    fn report(&mut self) -> serde_json::Value {
        let mut line = String::new();
        self.lines.read_line(&mut line).expect("a report");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    fn config(&self) -> Config {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDUPLOAD", SECRET))
            .endpoint_url(format!("http://127.0.0.1:{}", self.port))
            .retry(RetryConfig {
                initial_backoff: Duration::from_millis(10),
                ..RetryConfig::STANDARD
            })
            .build()
            .expect("a valid configuration")
    }
}

impl Drop for UploadServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts the server found a signed, chunked upload of `data`.
fn assert_signed_upload(report: &serde_json::Value, data: &[u8]) {
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    assert_eq!(report["seed_ok"], true, "{report}");
    assert_eq!(
        report["payload_hash"], "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        "{report}"
    );
    assert_eq!(report["decoded_length"], data.len(), "{report}");
    assert_eq!(report["sha256"], sha256_hex(data), "{report}");
    // Whole 64 KiB chunks, the rest, and the empty last one.
    assert_eq!(report["chunks"], data.len().div_ceil(65_536) + 1, "{report}");
    assert_eq!(
        report["trailer"],
        serde_json::json!(["x-amz-checksum-crc32", "x-amz-trailer-signature"]),
        "{report}"
    );
}

#[test]
fn signed_chunks_are_verified_and_a_file_is_sent_again_after_a_failure() {
    let data = pattern(1024 * 1024 + 5);
    let file = TempFile::with("signed", &data);
    let mut server = UploadServer::start(1, 2);
    let client = S3Client::new(server.config());
    client
        .put_object(
            &PutObjectRequest::new()
                .with_bucket("bucket")
                .with_key("key")
                .with_body(ByteStream::from_path(&file.0).expect("the file")),
        )
        .expect("PutObject succeeds on its second attempt");
    let first = server.report();
    assert_eq!(first["status"], 500);
    assert_signed_upload(&first, &data);
    let second = server.report();
    assert_eq!(second["status"], 200);
    assert_signed_upload(&second, &data);
}

#[test]
fn a_reader_is_sent_once_and_its_failure_is_not_retried() {
    let data = pattern(200_000);
    let mut server = UploadServer::start(1, 1);
    let client = S3Client::new(server.config());
    let body = ByteStream::from_reader_with_length(std::io::Cursor::new(data.clone()), 200_000);
    let err = client
        .put_object(
            &PutObjectRequest::new()
                .with_bucket("bucket")
                .with_key("key")
                .with_body(body),
        )
        .unwrap_err();
    let SdkError::Service(e) = &err else {
        panic!("expected the server's 500, got {err}");
    };
    assert_eq!(e.raw.status, 500);
    let only = server.report();
    assert_eq!(only["status"], 500);
    assert_signed_upload(&only, &data);
    // The server took one request and stopped: a second attempt would have
    // found nobody.
    assert!(server.child.wait().expect("the server exits").success());
    // A reader shorter than its stated length fails before anything is
    // accepted as the body.
    let short = ByteStream::from_reader_with_length(std::io::Cursor::new(vec![1u8; 10]), 20);
    let err = client
        .put_object(
            &PutObjectRequest::new()
                .with_bucket("bucket")
                .with_key("key")
                .with_body(short),
        )
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Transport { .. }),
        "expected a transport error, got {err}"
    );
}

#[test]
fn the_async_client_streams_a_file_with_signed_chunks() {
    use aws_e2e::s3::client::AsyncClient;
    let data = pattern(300_000);
    let file = TempFile::with("async", &data);
    let mut server = UploadServer::start(0, 1);
    let client = AsyncClient::new(server.config());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        client
            .put_object(
                &PutObjectRequest::new()
                    .with_bucket("bucket")
                    .with_key("key")
                    .with_body(ByteStream::from_path(&file.0).expect("the file")),
            )
            .await
            .expect("PutObject through the async client")
    });
    let report = server.report();
    assert_eq!(report["status"], 200);
    assert_signed_upload(&report, &data);
}

#[test]
fn a_file_goes_to_moto_in_parts_and_reads_back_whole() {
    use aws_e2e::s3::{
        CompleteMultipartUploadRequest, CompletedMultipartUpload, CompletedPart,
        CreateBucketRequest, CreateMultipartUploadRequest, DeleteBucketRequest,
        DeleteObjectRequest, GetObjectRequest, UploadPartRequest,
    };
    let client = S3Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                env("E2E_ACCESS_KEY_ID"),
                env("E2E_SECRET_ACCESS_KEY"),
            ))
            .endpoint_url(env("E2E_ENDPOINT"))
            .build()
            .expect("a valid configuration"),
    );
    let bucket = "slim-multipart-e2e";
    let key = "big/file.bin";
    // S3's smallest part but the last is 5 MiB.
    let part = 5 * 1024 * 1024;
    let data = pattern(part + 1_234_567);
    let file = TempFile::with("multipart", &data);
    client
        .create_bucket(&CreateBucketRequest::new().with_bucket(bucket))
        .expect("CreateBucket");
    let upload = client
        .create_multipart_upload(
            &CreateMultipartUploadRequest::new()
                .with_bucket(bucket)
                .with_key(key),
        )
        .expect("CreateMultipartUpload");
    let upload_id = upload.upload_id.expect("an upload id");
    let ranges = [(0u64, part as u64), (part as u64, (data.len() - part) as u64)];
    let mut parts = Vec::new();
    for (i, (offset, len)) in ranges.iter().enumerate() {
        let number = i32::try_from(i + 1).unwrap();
        let out = client
            .upload_part(
                &UploadPartRequest::new()
                    .with_bucket(bucket)
                    .with_key(key)
                    .with_upload_id(upload_id.clone())
                    .with_part_number(number)
                    .with_body(
                        ByteStream::from_path_range(&file.0, *offset, *len).expect("a range"),
                    ),
            )
            .unwrap_or_else(|e| panic!("UploadPart {number}: {e}"));
        parts.push(
            CompletedPart::new()
                .with_part_number(number)
                .with_e_tag(out.e_tag.expect("an ETag")),
        );
    }
    client
        .complete_multipart_upload(
            &CompleteMultipartUploadRequest::new()
                .with_bucket(bucket)
                .with_key(key)
                .with_upload_id(upload_id)
                .with_multipart_upload(CompletedMultipartUpload::new().with_parts(parts)),
        )
        .expect("CompleteMultipartUpload");
    let got = client
        .get_object(&GetObjectRequest::new().with_bucket(bucket).with_key(key))
        .expect("GetObject");
    let body = got.body.collect().expect("the object's body");
    assert_eq!(body.len(), data.len());
    assert!(body == data, "the object is the file");
    client
        .delete_object(&DeleteObjectRequest::new().with_bucket(bucket).with_key(key))
        .expect("DeleteObject");
    client
        .delete_bucket(&DeleteBucketRequest::new().with_bucket(bucket))
        .expect("DeleteBucket");
}
