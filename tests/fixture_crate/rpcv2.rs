//! RPC v2 CBOR on the `rpcv2` fixture (a service that also declares
//! awsJson1_0, so this checks the SDKs' protocol order too) through the
//! blocking client on an in-process scripted transport: the request's
//! route, headers and CBOR body, a response read back, and an error named
//! by `__type` with the awsQuery code of `x-amzn-query-error`.

use std::sync::{Arc, Mutex};

use slim_fixtures::rpcv2::client::Client;
use slim_fixtures::rpcv2::{
    GetSeriesInput, PutSamplesError, PutSamplesInput, Sample, Unit,
};
use slim_fixtures::runtime::cbor::{CborReader, CborWriter};
use slim_fixtures::runtime::client::{
    Config, Credentials, HttpTransport, TransportError, TransportRequest, TransportResponse,
};
use slim_fixtures::runtime::{DateTime, Document};

/// Header pairs.
type Pairs = Vec<(String, String)>;

/// A scripted answer (status, headers, body), or a sent request (URL,
/// headers, body).
type Message<T> = (T, Pairs, Vec<u8>);

#[derive(Debug, Default)]
struct Script {
    answers: Mutex<Vec<Message<u16>>>,
    sent: Mutex<Vec<Message<String>>>,
}

#[derive(Debug)]
struct Transport(Arc<Script>);

impl HttpTransport for Transport {
    fn send(&self, r: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        self.0
            .sent
            .lock()
            .unwrap()
            .push((r.url.to_string(), r.headers.to_vec(), r.body.to_vec()));
        let (status, headers, body) = self.0.answers.lock().unwrap().remove(0);
        Ok(TransportResponse {
            status,
            headers,
            body,
        })
    }
}

fn client(answers: Vec<Message<u16>>) -> (Client, Arc<Script>) {
    let script = Arc::new(Script::default());
    *script.answers.lock().unwrap() = answers;
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKRPC", "secret"))
        .endpoint_url("http://127.0.0.1:9")
        .transport(Transport(script.clone()))
        .retry(slim_fixtures::runtime::client::retry::RetryConfig::disabled())
        .build()
        .unwrap();
    (Client::new(config), script)
}

fn cbor_headers() -> Pairs {
    vec![
        ("smithy-protocol".into(), "rpc-v2-cbor".into()),
        ("Content-Type".into(), "application/cbor".into()),
    ]
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn a_request_is_routed_by_name_and_carries_cbor() {
    let mut w = CborWriter::new();
    w.begin_object();
    w.key("Accepted");
    w.integer(2);
    w.end_object();
    let (client, script) = client(vec![(200, cbor_headers(), w.into_bytes())]);
    let input = PutSamplesInput::new().with_series("cpu")
        .with_samples(vec![
            Sample::new().with_value(0.5).with_unit(Unit::Seconds),
            Sample::new().with_value(f64::INFINITY),
        ])
        .with_labels_entry("host", "a")
        .with_payload(vec![0u8, 255])
        .with_at(DateTime::from_millis(1_700_000_000_250));
    let out = client.put_samples(&input).expect("accepted");
    assert_eq!(out.accepted, Some(2));
    let sent = script.sent.lock().unwrap();
    let (url, headers, body) = &sent[0];
    assert_eq!(url, "http://127.0.0.1:9/service/Metrics/operation/PutSamples");
    assert_eq!(header(headers, "smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(header(headers, "content-type"), Some("application/cbor"));
    assert_eq!(header(headers, "accept"), Some("application/cbor"));
    assert_eq!(header(headers, "x-amzn-query-mode"), Some("true"));
    assert_eq!(header(headers, "x-amz-target"), None);
    let doc = CborReader::new(body).read_document().expect("a CBOR body");
    let map = doc.as_object().unwrap();
    assert_eq!(map["Series"], Document::String("cpu".into()));
    // Blobs are byte strings (read back as base64), timestamps tag 1 around
    // epoch seconds (the tag is skipped by the document reader).
    assert_eq!(map["Payload"], Document::String("AP8=".into()));
    assert_eq!(map["At"].as_number().unwrap().as_f64(), 1_700_000_000.25);
    let samples = map["Samples"].as_array().unwrap();
    assert_eq!(samples[0].as_object().unwrap()["Unit"], Document::String("Seconds".into()));
    assert!(samples[1].as_object().unwrap()["Value"]
        .as_number()
        .unwrap()
        .as_f64()
        .is_infinite());
}

#[test]
fn responses_and_errors_read_back() {
    let mut w = CborWriter::new();
    w.begin_object();
    w.key("Total");
    w.integer(1 << 40);
    w.key("LastWritten");
    w.timestamp(
        DateTime::from_secs(1_600_000_000),
        slim_fixtures::runtime::TimestampFormat::EpochSeconds,
    );
    w.key("Unknown");
    w.blob(b"skipped");
    w.end_object();
    let ok = w.into_bytes();
    let mut w = CborWriter::new();
    w.begin_object();
    w.key("__type");
    w.string("fixture.rpcv2#LimitExceeded");
    w.key("Message");
    w.string("too many");
    w.key("Limit");
    w.integer(10);
    w.end_object();
    let mut error_headers = cbor_headers();
    error_headers.push(("x-amzn-query-error".into(), "Samples.LimitExceeded;Sender".into()));
    let (client, script) = client(vec![
        (200, cbor_headers(), ok),
        (400, error_headers, w.into_bytes()),
        (200, cbor_headers(), Vec::new()),
    ]);
    let out = client.get_series(&GetSeriesInput::new()).unwrap();
    assert_eq!(out.total, Some(1 << 40));
    assert_eq!(out.last_written, Some(DateTime::from_secs(1_600_000_000)));
    let err = client
        .put_samples(&PutSamplesInput::new().with_series("cpu"))
        .unwrap_err()
        .into_service_error()
        .expect("a modeled error");
    match &err {
        PutSamplesError::LimitExceeded(e) => assert_eq!(e.limit, Some(10)),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), Some("Samples.LimitExceeded"));
    assert_eq!(err.message(), Some("too many"));
    // A unit operation sends no body and no content type.
    client.ping().unwrap();
    let sent = script.sent.lock().unwrap();
    let (url, headers, body) = &sent[2];
    assert!(url.ends_with("/service/Metrics/operation/Ping"), "{url}");
    assert!(body.is_empty());
    assert_eq!(header(headers, "content-type"), None);
}
