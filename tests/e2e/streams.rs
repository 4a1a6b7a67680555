//! Streaming through the generated clients against scripted loopback
//! servers (copied into the moto crate by `cargo xtask e2e` as
//! `tests/streams.rs`): event streams whose events arrive while the
//! response is still open, blocking and async; object bodies read as they
//! arrive and checked against their checksums; a stalled body timing out;
//! S3 Select's XML events; S3 path-style addressing through an endpoint
//! built-in; error bodies of streaming operations read whole; Lambda's
//! response stream. Nothing here needs moto.

use std::time::Duration;

use aws_e2e::runtime::client::{Config, Credentials};

/// One event-stream message, framed as AWS does (both CRC-32s), with
/// string headers.
fn event_message(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    use aws_e2e::runtime::gzip::crc32;
    let mut h = Vec::new();
    for (name, value) in headers {
        h.push(u8::try_from(name.len()).unwrap());
        h.extend_from_slice(name.as_bytes());
        h.push(7);
        h.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
        h.extend_from_slice(value.as_bytes());
    }
    let total = u32::try_from(16 + h.len() + payload.len()).unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&u32::try_from(h.len()).unwrap().to_be_bytes());
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// Answers one request on a loopback port with `status`, `headers` and
/// `body`; returns the port and a handle giving the request's head. Stops
/// after one connection or 20 s.
fn one_shot_server(
    status: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
) -> (u16, std::thread::JoinHandle<String>) {
    let (port, _go, handle) = gated_server(status, headers, vec![body]);
    let handle = std::thread::spawn(move || handle.join().expect("the server thread").0);
    (port, handle)
}

/// Answers one request on a loopback port with `status`, `headers` and a
/// body in `parts`: the first part at once, each later one only when the
/// caller says so on the returned sender (or after 10 s without a word).
/// The handle gives the request's head and, per later part, whether the
/// word came. Stops after one connection or 20 s.
#[allow(clippy::type_complexity)]
fn gated_server(
    status: &'static str,
    headers: Vec<(&'static str, String)>,
    parts: Vec<Vec<u8>>,
) -> (
    u16,
    std::sync::mpsc::Sender<()>,
    std::thread::JoinHandle<(String, Vec<bool>)>,
) {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let mut stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(e) => panic!("no request within 20 s: {e}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        // The request head, at most 64 KiB; the request body is not needed.
        while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
            if stream.read(&mut byte).unwrap_or(0) == 0 {
                break;
            }
            head.push(byte[0]);
        }
        let total: usize = parts.iter().map(Vec::len).sum();
        let mut response =
            format!("HTTP/1.1 {status}\r\nContent-Length: {total}\r\nConnection: close\r\n");
        for (k, v) in &headers {
            response.push_str(&format!("{k}: {v}\r\n"));
        }
        response.push_str("\r\n");
        stream.write_all(response.as_bytes()).unwrap();
        let mut told = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                told.push(gate.recv_timeout(Duration::from_secs(10)).is_ok());
            }
            // A client gone early is the test's failure to report, not this thread's.
            if stream
                .write_all(part)
                .and_then(|()| stream.flush())
                .is_err()
            {
                break;
            }
        }
        (String::from_utf8_lossy(&head).into_owned(), told)
    });
    (port, go, handle)
}

/// A client configuration for a loopback server on `port`, to extend.
fn loopback_builder(port: u16) -> aws_e2e::runtime::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
}

/// A client configuration for a loopback server on `port`.
fn loopback_config(port: u16) -> Config {
    loopback_builder(port)
        .build()
        .expect("a valid configuration")
}

/// A Lambda response stream of two payload chunks and the end event, cut
/// in two after the first chunk.
fn two_part_lambda_stream() -> Vec<Vec<u8>> {
    let chunk = |payload: &[u8]| {
        event_message(
            &[
                (":message-type", "event"),
                (":event-type", "PayloadChunk"),
                (":content-type", "application/octet-stream"),
            ],
            payload,
        )
    };
    let mut rest = chunk(b"second");
    rest.extend(event_message(
        &[
            (":message-type", "event"),
            (":event-type", "InvokeComplete"),
            (":content-type", "application/json"),
        ],
        b"{}",
    ));
    vec![chunk(b"first"), rest]
}

const EVENT_STREAM_HEADERS: fn() -> Vec<(&'static str, String)> = || {
    vec![(
        "Content-Type",
        "application/vnd.amazon.eventstream".to_owned(),
    )]
};

#[test]
fn events_arrive_while_the_response_is_still_open_blocking() {
    use aws_e2e::lambda::client::Client as LambdaClient;
    use aws_e2e::lambda::{
        InvokeWithResponseStreamRequest, InvokeWithResponseStreamResponseEvent as Ev,
    };
    let (port, go, server) =
        gated_server("200 OK", EVENT_STREAM_HEADERS(), two_part_lambda_stream());
    let client = LambdaClient::new(loopback_config(port));
    let out = client
        .invoke_with_response_stream(
            &InvokeWithResponseStreamRequest::new().with_function_name("f"),
        )
        .expect("InvokeWithResponseStream");
    let mut stream = out.event_stream.expect("the event stream");
    // The first event is here while the server holds back the rest.
    match stream.next_event() {
        Some(Ok(Ev::PayloadChunk(c))) => assert_eq!(c.payload.unwrap().as_bytes(), b"first"),
        other => panic!("expected the first chunk, got {other:?}"),
    }
    go.send(()).expect("the server waits");
    let rest: Vec<Ev> = stream.map(|e| e.expect("an event")).collect();
    assert!(
        matches!(&rest[..], [Ev::PayloadChunk(_), Ev::InvokeComplete(_)]),
        "{rest:?}"
    );
    let (_, told) = server.join().expect("the server thread");
    assert_eq!(told, [true], "the server sent the rest only when told");
}

#[test]
fn events_arrive_while_the_response_is_still_open_async() {
    use aws_e2e::lambda::client::AsyncClient as LambdaClient;
    use aws_e2e::lambda::{
        InvokeWithResponseStreamRequest, InvokeWithResponseStreamResponseEvent as Ev,
    };
    let (port, go, server) =
        gated_server("200 OK", EVENT_STREAM_HEADERS(), two_part_lambda_stream());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = LambdaClient::new(loopback_config(port));
    let rest = rt.block_on(async {
        let out = client
            .invoke_with_response_stream(
                &InvokeWithResponseStreamRequest::new().with_function_name("f"),
            )
            .await
            .expect("InvokeWithResponseStream");
        let mut stream = out.event_stream.expect("the event stream");
        match stream.next_event_async().await {
            Some(Ok(Ev::PayloadChunk(c))) => assert_eq!(c.payload.unwrap().as_bytes(), b"first"),
            other => panic!("expected the first chunk, got {other:?}"),
        }
        go.send(()).expect("the server waits");
        let mut rest = Vec::new();
        while let Some(e) = stream.next_event_async().await {
            rest.push(e.expect("an event"));
        }
        rest
    });
    assert!(
        matches!(&rest[..], [Ev::PayloadChunk(_), Ev::InvokeComplete(_)]),
        "{rest:?}"
    );
    let (_, told) = server.join().expect("the server thread");
    assert_eq!(told, [true], "the server sent the rest only when told");
}

/// A streamed body that stalls: each wait for more of it is bounded by the
/// attempt timeout, for both clients, and the stall is a `TimedOut` error.
#[test]
fn a_stalled_body_times_out() {
    use aws_e2e::runtime::client::Timeouts;
    use aws_e2e::s3::GetObjectRequest;
    use std::io::Read as _;
    let short = |port: u16| {
        loopback_builder(port)
            .timeouts(Timeouts {
                attempt: Duration::from_millis(400),
                ..Timeouts::default()
            })
            .build()
            .expect("a valid configuration")
    };
    let parts = || vec![b"first part".to_vec(), b"never in time".to_vec()];
    let (port, go, server) = gated_server("200 OK", Vec::new(), parts());
    let mut got = aws_e2e::s3::client::Client::new(short(port))
        .get_object(&GetObjectRequest::new().with_bucket("b").with_key("k"))
        .expect("GetObject");
    let mut first = [0u8; 10];
    got.body.read_exact(&mut first).expect("the first part");
    let err = got.body.collect().unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err:?}");
    let _ = go.send(());
    server.join().expect("the server thread");

    let (port, go, server) = gated_server("200 OK", Vec::new(), parts());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = aws_e2e::s3::client::AsyncClient::new(short(port));
    let err = rt.block_on(async {
        let mut got = client
            .get_object(&GetObjectRequest::new().with_bucket("b").with_key("k"))
            .await
            .expect("GetObject");
        let first = got
            .body
            .next_chunk()
            .await
            .expect("a chunk")
            .expect("the first part");
        assert_eq!(first, b"first part");
        got.body
            .next_chunk()
            .await
            .expect("an outcome")
            .unwrap_err()
    });
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err:?}");
    let _ = go.send(());
    server.join().expect("the server thread");
}

/// A GetObject body is checked, as it is read, against the checksum its
/// response gives (the request asks for one: `x-amz-checksum-mode`).
#[test]
fn object_bodies_are_checked_against_their_checksum() {
    use aws_e2e::runtime::blob::encode_base64;
    use aws_e2e::runtime::checksum::crc32;
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::GetObjectRequest;
    let body = b"checked object".to_vec();
    for (checksum, good) in [
        (encode_base64(&crc32(&body).to_be_bytes()), true),
        ("AAAAAA==".to_owned(), false),
    ] {
        let (port, server) = one_shot_server(
            "200 OK",
            vec![("x-amz-checksum-crc32", checksum)],
            body.clone(),
        );
        let got = S3Client::new(loopback_config(port))
            .get_object(&GetObjectRequest::new().with_bucket("b").with_key("k"))
            .expect("GetObject");
        let head = server
            .join()
            .expect("the server thread")
            .to_ascii_lowercase();
        assert!(head.contains("x-amz-checksum-mode: enabled"), "{head}");
        match got.body.collect() {
            Ok(bytes) => assert!(good && bytes == body, "a wrong checksum went unnoticed"),
            Err(e) => {
                assert!(!good, "{e}");
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
                assert!(e.to_string().contains("x-amz-checksum-crc32"), "{e}");
            }
        }
    }
}

/// An object body in two parts, and the headers of a GetObject response.
fn two_part_object() -> (Vec<Vec<u8>>, Vec<(&'static str, String)>) {
    let first: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let second = b"and the end".to_vec();
    let headers = vec![
        ("Content-Type", "application/octet-stream".to_owned()),
        ("ETag", "\"abc\"".to_owned()),
        ("x-amz-meta-origin", "loopback".to_owned()),
    ];
    (vec![first, second], headers)
}

#[test]
fn object_bodies_are_read_as_they_arrive_blocking() {
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::GetObjectRequest;
    use std::io::Read as _;
    let (parts, headers) = two_part_object();
    let (port, go, server) = gated_server("200 OK", headers, parts.clone());
    let client = S3Client::new(loopback_config(port));
    let mut got = client
        .get_object(
            &GetObjectRequest::new()
                .with_bucket("bucket")
                .with_key("big/object"),
        )
        .expect("GetObject");
    assert_eq!(got.e_tag.as_deref(), Some("\"abc\""));
    assert_eq!(
        got.metadata
            .as_ref()
            .and_then(|m| m.get("origin"))
            .map(String::as_str),
        Some("loopback")
    );
    let mut first = vec![0; parts[0].len()];
    got.body.read_exact(&mut first).expect("the first part");
    assert_eq!(first, parts[0]);
    go.send(()).expect("the server waits");
    let rest = got.body.collect().expect("the rest");
    assert_eq!(rest, parts[1]);
    let (head, told) = server.join().expect("the server thread");
    assert!(
        head.starts_with("GET /bucket/big/object?x-id=GetObject HTTP/1.1"),
        "{head}"
    );
    assert_eq!(told, [true], "the server sent the rest only when told");
}

#[test]
fn object_bodies_are_read_as_they_arrive_async() {
    use aws_e2e::s3::client::AsyncClient as S3Client;
    use aws_e2e::s3::GetObjectRequest;
    let (parts, headers) = two_part_object();
    let (port, go, server) = gated_server("200 OK", headers, parts.clone());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = S3Client::new(loopback_config(port));
    let (first, rest) = rt.block_on(async {
        let mut got = client
            .get_object(&GetObjectRequest::new().with_bucket("bucket").with_key("k"))
            .await
            .expect("GetObject");
        assert!(got.body.is_live());
        let mut first = Vec::new();
        while first.len() < parts[0].len() {
            let chunk = got.body.next_chunk().await.expect("more of the first part");
            first.extend(chunk.expect("a chunk"));
        }
        go.send(()).expect("the server waits");
        (first, got.body.collect_async().await.expect("the rest"))
    });
    assert_eq!(first, parts[0]);
    assert_eq!(rest, parts[1]);
    let (_, told) = server.join().expect("the server thread");
    assert_eq!(told, [true], "the server sent the rest only when told");
}

/// A restXml event stream: S3 `SelectObjectContent`'s records (a blob
/// payload), its statistics (an XML structure payload) and its end.
#[test]
fn s3_select_events_carry_xml_payloads() {
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::{
        ExpressionType, InputSerialization, OutputSerialization,
        SelectObjectContentEventStream as Ev, SelectObjectContentRequest,
    };
    let event = |ty: &str, content_type: &str, payload: &[u8]| {
        event_message(
            &[
                (":message-type", "event"),
                (":event-type", ty),
                (":content-type", content_type),
            ],
            payload,
        )
    };
    let mut body = event("Records", "application/octet-stream", b"a,b\n1,2\n");
    body.extend(event(
        "Stats",
        "text/xml",
        b"<Stats xmlns=\"\"><BytesScanned>512</BytesScanned><BytesProcessed>256</BytesProcessed><BytesReturned>8</BytesReturned></Stats>",
    ));
    body.extend(event_message(
        &[(":message-type", "event"), (":event-type", "End")],
        b"",
    ));
    let (port, server) = one_shot_server(
        "200 OK",
        vec![("Content-Type", "application/octet-stream".to_owned())],
        body,
    );
    let out = S3Client::new(loopback_config(port))
        .select_object_content(
            &SelectObjectContentRequest::new()
                .with_bucket("bucket")
                .with_key("table.csv")
                .with_expression("SELECT * FROM S3Object")
                .with_expression_type(ExpressionType::Sql)
                .with_input_serialization(InputSerialization::new())
                .with_output_serialization(OutputSerialization::new()),
        )
        .expect("SelectObjectContent");
    let head = server.join().expect("the server thread");
    assert!(
        head.starts_with("POST /bucket/table.csv?select&select-type=2 HTTP/1.1"),
        "{head}"
    );
    let events: Vec<Ev> = out
        .payload
        .expect("the event stream")
        .map(|e| e.expect("an event"))
        .collect();
    match &events[..] {
        [Ev::Records(r), Ev::Stats(s), Ev::End(_)] => {
            assert_eq!(
                r.payload.as_ref().map(|b| b.as_bytes()),
                Some(&b"a,b\n1,2\n"[..])
            );
            let stats = s.details.as_ref().expect("the statistics");
            assert_eq!(
                (
                    stats.bytes_scanned,
                    stats.bytes_processed,
                    stats.bytes_returned
                ),
                (Some(512), Some(256), Some(8))
            );
        }
        other => panic!("unexpected events {other:?}"),
    }
}

/// S3's `AWS::S3::ForcePathStyle` built-in through `endpoint_builtin`: with a
/// host name endpoint the rule set would put the bucket in the host; forced
/// path-style keeps it in the path. A value of the wrong type, or a
/// built-in the configuration sets itself, is refused.
#[test]
fn s3_path_style_through_an_endpoint_builtin() {
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::GetObjectRequest;
    let (port, server) = one_shot_server(
        "200 OK",
        vec![("ETag", "\"e\"".to_owned())],
        b"body".to_vec(),
    );
    let config = |value: aws_e2e::runtime::client::BuiltinValue| {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
            .endpoint_url(format!("http://localhost:{port}"))
            .endpoint_builtin("AWS::S3::ForcePathStyle", value)
            .build()
            .expect("a valid configuration")
    };
    let got = S3Client::new(config(true.into()))
        .get_object(
            &GetObjectRequest::new()
                .with_bucket("my-bucket")
                .with_key("k"),
        )
        .expect("GetObject");
    assert_eq!(got.body.collect().unwrap(), b"body");
    let head = server.join().expect("the server thread");
    assert!(
        head.starts_with("GET /my-bucket/k?x-id=GetObject HTTP/1.1"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("host: localhost:{port}")),
        "{head}"
    );
    // A string for a boolean parameter: refused before anything is sent.
    let err = S3Client::new(config("yes".into()))
        .get_object(
            &GetObjectRequest::new()
                .with_bucket("my-bucket")
                .with_key("k"),
        )
        .unwrap_err();
    assert!(err.to_string().contains("AWS::S3::ForcePathStyle"), "{err}");
    let err = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
        .endpoint_builtin("AWS::UseFIPS", true)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains(".use_fips"), "{err}");
}

/// An error status of a streaming operation is read whole and parsed as a
/// modeled error, and is retried like any other.
#[test]
fn streaming_operations_read_error_bodies_whole() {
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::{GetObjectError, GetObjectRequest};
    let body = b"<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>".to_vec();
    let (port, server) = one_shot_server(
        "404 Not Found",
        vec![("Content-Type", "application/xml".to_owned())],
        body,
    );
    let err = S3Client::new(loopback_config(port))
        .get_object(&GetObjectRequest::new().with_bucket("bucket").with_key("k"))
        .unwrap_err();
    assert!(
        matches!(err.service_error(), Some(GetObjectError::NoSuchKey(_))),
        "{err:?}"
    );
    assert_eq!(err.service_error().and_then(|e| e.message()), Some("gone"));
    server.join().expect("the server thread");
}

#[test]
fn lambda_response_stream_through_the_client_from_a_loopback_server() {
    use aws_e2e::lambda::client::Client as LambdaClient;
    use aws_e2e::lambda::{InvokeWithResponseStreamRequest, InvokeWithResponseStreamResponseEvent};
    use aws_e2e::runtime::eventstream::EventStreamError;
    let event = |ty: &str, payload: &[u8]| {
        event_message(
            &[
                (":message-type", "event"),
                (":event-type", ty),
                (":content-type", "application/octet-stream"),
            ],
            payload,
        )
    };
    let mut body = event("PayloadChunk", b"Hello, ");
    body.extend(event("PayloadChunk", b"streaming world"));
    body.extend(event_message(
        &[
            (":message-type", "event"),
            (":event-type", "InvokeComplete"),
            (":content-type", "application/json"),
        ],
        br#"{"LogResult":"bG9ncw=="}"#,
    ));
    // A corrupted message ends the stream with an error, not a panic.
    let mut bad = event("PayloadChunk", b"never seen");
    let last = bad.len() - 1;
    bad[last] ^= 1;
    body.extend(bad);
    let (port, server) = one_shot_server(
        "200 OK",
        vec![
            (
                "Content-Type",
                "application/vnd.amazon.eventstream".to_owned(),
            ),
            ("X-Amz-Executed-Version", "7".to_owned()),
        ],
        body,
    );
    let client = LambdaClient::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .build()
            .expect("a valid configuration"),
    );
    let mut out = client
        .invoke_with_response_stream(
            &InvokeWithResponseStreamRequest::new()
                .with_function_name("streamer")
                .with_payload(aws_e2e::runtime::Blob::new(b"{}".to_vec())),
        )
        .expect("InvokeWithResponseStream");
    let head = server.join().expect("the server thread");
    assert!(
        head.starts_with(
            "POST /2021-11-15/functions/streamer/response-streaming-invocations HTTP/1.1"
        ),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: aws4-hmac-sha256"),
        "{head}"
    );
    assert_eq!(out.status_code, 200);
    assert_eq!(out.executed_version.as_deref(), Some("7"));
    let stream = out.event_stream.take().expect("the event stream");
    let mut text = Vec::new();
    let mut complete = None;
    let mut failure = None;
    for event in stream {
        match event {
            Ok(InvokeWithResponseStreamResponseEvent::PayloadChunk(chunk)) => {
                text.extend_from_slice(chunk.payload.expect("a payload").as_bytes())
            }
            Ok(InvokeWithResponseStreamResponseEvent::InvokeComplete(done)) => {
                complete = Some(done)
            }
            Ok(other) => panic!("unexpected event {other:?}"),
            Err(e) => failure = Some(e),
        }
    }
    assert_eq!(String::from_utf8(text).unwrap(), "Hello, streaming world");
    assert_eq!(
        complete.and_then(|c| c.log_result).as_deref(),
        Some("bG9ncw==")
    );
    assert!(
        matches!(&failure, Some(EventStreamError::Malformed(why)) if why.contains("CRC")),
        "{failure:?}"
    );
}

/// An input event stream over HTTP/2 (Transcribe's
/// `StartStreamTranscription`): the request goes out, audio events follow
/// one at a time while transcripts stream back, and a loopback HTTP/2
/// server (`tests/oracle/h2_event_server.py`, in Python) checks every
/// message's signature the way AWS documents it, chained from the
/// request's. The second event is sent only after the first transcript has
/// arrived, so the two directions overlap. The blocking client refuses the
/// operation, naming why.
#[test]
fn input_events_are_signed_and_sent_while_results_stream_back() {
    use aws_e2e::runtime::event_sender::EventSender;
    use aws_e2e::transcribe::client::{AsyncClient, Client};
    use aws_e2e::transcribe::{
        AudioEvent, AudioStream, MediaEncoding, StartStreamTranscriptionRequest,
        TranscriptResultStream,
    };
    use std::io::BufRead;
    let secret = "h2-loopback-secret";
    let mut server = std::process::Command::new(std::env::var("E2E_PYTHON").expect("E2E_PYTHON"))
        .arg(std::env::var("E2E_H2_EVENT_SERVER").expect("E2E_H2_EVENT_SERVER: run `cargo xtask e2e`"))
        .arg(secret)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let first = lines.next().expect("the server's port").expect("a line");
    let port: u16 = first.strip_prefix("PORT ").and_then(|p| p.parse().ok()).expect("PORT n");
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", secret))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("a valid configuration");
    let request = |events: EventSender<AudioStream>| {
        StartStreamTranscriptionRequest::new()
            .with_language_code("en-US")
            .with_media_sample_rate_hertz(16_000)
            .with_media_encoding(MediaEncoding::Pcm)
            .with_audio_stream(events)
    };
    // The blocking client cannot stream a request body beside the response.
    let refused = Client::new(config.clone())
        .start_stream_transcription(&request(EventSender::from_events(Vec::new())))
        .expect_err("the blocking client refuses");
    assert!(refused.to_string().contains("HTTP/2"), "{refused}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let chunks: [&[u8]; 2] = [b"first audio chunk", b"second, longer audio chunk"];
    let transcripts = rt.block_on(async {
        let (sink, events) = EventSender::channel();
        let audio = |bytes: &[u8]| {
            AudioStream::AudioEvent(AudioEvent::new().with_audio_chunk(bytes.to_vec()))
        };
        sink.send(audio(chunks[0])).expect("the call is open");
        let client = AsyncClient::new(config);
        let out = tokio::time::timeout(
            Duration::from_secs(20),
            client.start_stream_transcription(&request(events)),
        )
        .await
        .expect("within 20 s")
        .expect("StartStreamTranscription");
        let mut stream = out.transcript_result_stream.expect("the result stream");
        let mut got = Vec::new();
        for i in 0..3 {
            let next = tokio::time::timeout(Duration::from_secs(20), stream.next_event_async())
                .await
                .expect("an event within 20 s");
            match next {
                Some(Ok(TranscriptResultStream::TranscriptEvent(e))) => got.push(format!("{e:?}")),
                None => break,
                other => panic!("expected a transcript, got {other:?}"),
            }
            // The second chunk goes only once the first transcript is in;
            // then the stream ends.
            match i {
                0 => sink.send(audio(chunks[1])).expect("the call is open"),
                1 => break,
                _ => {}
            }
        }
        drop(sink);
        while let Some(e) = tokio::time::timeout(Duration::from_secs(20), stream.next_event_async())
            .await
            .expect("the end within 20 s")
        {
            panic!("no event after the second transcript: {e:?}");
        }
        got
    });
    let report_line = lines.next().expect("the server's report").expect("a line");
    let _ = server.wait();
    let report: serde_json::Value = serde_json::from_str(&report_line).expect("JSON");
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(report["content_sha256"], "STREAMING-AWS4-HMAC-SHA256-EVENTS", "{report}");
    assert_eq!(report["content_type"], "application/vnd.amazon.eventstream", "{report}");
    // Two audio events and the empty message that ends the stream.
    assert_eq!(report["messages"], 3, "{report}");
    assert_eq!(report["verified"], 3, "{report}");
    assert_eq!(report["ended"], true, "{report}");
    assert_eq!(transcripts.len(), 2, "{transcripts:?}");
    // Each event's payload is the inner message: AudioEvent framing around
    // the chunk; each transcript names the length of the message it answers.
    let payloads = report["payloads"].as_array().expect("payloads");
    assert_eq!(payloads.len(), 2, "{report}");
    for ((hex, chunk), transcript) in payloads.iter().zip(chunks).zip(&transcripts) {
        let len = hex.as_str().unwrap().len() / 2;
        assert!(transcript.contains(&format!("\"{len} bytes\"")), "{transcript}");
        let bytes: Vec<u8> = (0..hex.as_str().unwrap().len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex.as_str().unwrap()[i..i + 2], 16).unwrap())
            .collect();
        let (message, _) = aws_e2e::runtime::eventstream::decode_message(&bytes).expect("framed");
        assert_eq!(message.header_str(":event-type"), Some("AudioEvent"));
        assert_eq!(message.header_str(":content-type"), Some("application/octet-stream"));
        assert_eq!(message.payload, chunk);
    }
}
