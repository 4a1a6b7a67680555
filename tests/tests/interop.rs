//! The interop features of the generated crate on the customer's
//! operations: serde on a full `StopReplication` response from the wire, the
//! http crate's types both ways, and `parse_response` fed every kind of
//! header collection without a copy. (Unions, intEnums, sensitive members
//! and tracing are covered on the fixture services, in
//! `tests/fixture_crate/interop.rs`, and serde on every type of both whole
//! services by the differential harness.)

mod fault_server;
mod wire_support;

#[path = "../fixture_crate/capture.rs"]
mod capture;

use aws_slim::dms::{
    ServiceRequest, ServiceResponse, StopReplication, StopReplicationError, StopReplicationMessage,
    StopReplicationResponse,
};
use aws_slim::runtime::client::{Config, Credentials};
use aws_slim::runtime::{HttpRequest, HttpResponse, Json, NO_HEADERS};
use aws_slim::sagemaker::StopPipelineExecution;
use serde_json::{json, Value};
use wire_support::*;

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:INTEROP";

// ------------------------------------------------------------------ serde

#[test]
fn a_stop_replication_response_from_the_wire_deserializes_with_serde() {
    let body = dms_full_response().to_string();
    let parsed = StopReplication::parse_response(200, &NO_HEADERS, body.as_bytes()).unwrap();
    let via_serde: StopReplicationResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(via_serde, parsed);
    // And serde writes what the service sent (as JSON values).
    let written = serde_json::to_value(&parsed).unwrap();
    if let Some(diff) = json_diff(&dms_full_response(), &written, "$") {
        panic!("serde's JSON differs from the wire body: {diff}");
    }
    assert_eq!(
        written,
        serde_json::from_str::<Value>(&parsed.to_json().unwrap()).unwrap()
    );
    // Through another self-describing path: a serde_json::Value.
    let from_value: StopReplicationResponse = serde_json::from_value(written).unwrap();
    assert_eq!(from_value, parsed);
}

#[test]
fn unknown_enum_values_survive_serde() {
    let body = json!({"Replication": {"ReplicationType": "brand-new-type", "Status": "x"}});
    let out: StopReplicationResponse = serde_json::from_value(body.clone()).unwrap();
    let t = out
        .replication
        .as_ref()
        .unwrap()
        .replication_type
        .as_ref()
        .unwrap();
    assert_eq!(t.as_str(), "brand-new-type");
    assert_eq!(serde_json::to_value(&out).unwrap(), body);
}

#[test]
fn serde_refuses_what_the_codec_refuses_and_names_the_member() {
    let err = serde_json::from_value::<StopReplicationResponse>(json!({
        "Replication": {"ReplicationStats": {"TablesLoaded": "many"}}
    }))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Replication.ReplicationStats.TablesLoaded"),
        "{err}"
    );
}

// ------------------------------------------------------------------ http

/// Headers with lower-cased names, in order.
fn lower(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn stop_replication_request() -> HttpRequest {
    StopReplication::build_request(
        &StopReplicationMessage::new().with_replication_config_arn(DMS_ARN),
    )
    .unwrap()
}

#[test]
fn a_request_becomes_an_http_request_for_an_endpoint_and_comes_back() {
    let ours = stop_replication_request();
    let converted = ours
        .clone()
        .into_http_request("https://dms.us-east-1.amazonaws.com")
        .unwrap();
    assert_eq!(converted.method(), http::Method::POST);
    assert_eq!(
        converted.uri().to_string(),
        "https://dms.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        converted.headers()["x-amz-target"],
        "AmazonDMSv20160101.StopReplication"
    );
    assert_eq!(converted.body(), &ours.body);
    // A base path and a plain host.
    let based = ours
        .clone()
        .into_http_request("localhost:4566/base")
        .unwrap();
    assert_eq!(based.uri().to_string(), "https://localhost:4566/base/");
    assert!(ours.clone().into_http_request("https:///").is_err());

    let back = HttpRequest::try_from(converted).unwrap();
    assert_eq!((back.method, back.uri.as_str()), (ours.method, "/"));
    assert_eq!(back.body, ours.body);
    // Header names come back lower-cased (the http crate's form), in order.
    assert_eq!(lower(&back.headers), lower(&ours.headers));
}

#[test]
fn the_request_target_alone_converts_with_try_from() {
    let ours = stop_replication_request();
    let converted = http::Request::<Vec<u8>>::try_from(ours.clone()).unwrap();
    assert_eq!(converted.uri(), "/");
    let mut prefixed = ours;
    prefixed.host_prefix = "data.".into();
    let err = http::Request::<Vec<u8>>::try_from(prefixed).unwrap_err();
    assert!(err.to_string().contains("into_http_request"), "{err}");
    // What HttpRequest cannot carry is refused, not guessed.
    let odd = http::Request::builder()
        .method("PROPFIND")
        .uri("/")
        .body(Vec::new())
        .unwrap();
    assert!(HttpRequest::try_from(odd).is_err());
    let binary = http::Request::builder()
        .uri("/x?y=1")
        .header("x-bin", http::HeaderValue::from_bytes(b"\xff").unwrap())
        .body(Vec::new())
        .unwrap();
    let err = HttpRequest::try_from(binary).unwrap_err().to_string();
    assert!(err.contains("x-bin"), "{err}");
}

#[test]
fn server_responses_convert_both_ways() {
    let response =
        ServiceResponse::StopReplication(Err(StopReplicationError::ResourceNotFoundFault(
            aws_slim::dms::ResourceNotFoundFault::new().with_message("gone"),
        )))
        .to_http();
    let converted = http::Response::<Vec<u8>>::try_from(response.clone()).unwrap();
    assert_eq!(converted.status(), 400);
    let back = HttpResponse::try_from(converted).unwrap();
    assert_eq!(back.status, response.status);
    assert_eq!(back.body, response.body);
    assert_eq!(lower(&back.headers), lower(&response.headers));
    assert!(http::Response::<Vec<u8>>::try_from(HttpResponse {
        status: 1000,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .is_err());
}

#[test]
fn a_server_reads_an_http_request_through_its_header_map() {
    let request = stop_replication_request()
        .into_http_request("http://127.0.0.1:1")
        .unwrap();
    let routed =
        ServiceRequest::from_http(request.method().as_str(), request.headers(), request.body())
            .unwrap();
    assert!(matches!(routed, ServiceRequest::StopReplication(m)
        if m.replication_config_arn.as_deref() == Some(DMS_ARN)));
}

// --------------------------------------------------- header collections

const ERROR_BODY: &str = r#"{"message":"not here"}"#;

fn expect_not_found(e: StopReplicationError, how: &str) {
    assert!(
        matches!(e, StopReplicationError::ResourceNotFoundFault(_)),
        "{how}: {e:?}"
    );
    assert_eq!(e.request_id(), Some("req-42"), "{how}");
}

#[test]
fn parse_response_takes_any_header_collection() {
    let pairs = [
        ("X-Amzn-Errortype", "ResourceNotFoundFault:http://internal/"),
        ("x-amzn-RequestId", "req-42"),
    ];
    let body = ERROR_BODY.as_bytes();
    // A borrowed slice and an array of `&str` pairs.
    let slice: &[(&str, &str)] = &pairs;
    expect_not_found(
        StopReplication::parse_response(400, slice, body).unwrap_err(),
        "slice",
    );
    expect_not_found(
        StopReplication::parse_response(400, &pairs, body).unwrap_err(),
        "array",
    );
    // Owned pairs, as most clients hand them over.
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expect_not_found(
        StopReplication::parse_response(400, &owned, body).unwrap_err(),
        "Vec",
    );
    // The http crate's header map, looked up in place (names are
    // case-insensitive there too).
    let mut map = http::HeaderMap::new();
    for (k, v) in pairs {
        map.insert(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            http::HeaderValue::from_static(v),
        );
    }
    expect_not_found(
        StopReplication::parse_response(400, &map, body).unwrap_err(),
        "HeaderMap",
    );
    // A whole http::Response.
    let mut response = http::Response::new(body.to_vec());
    *response.status_mut() = http::StatusCode::BAD_REQUEST;
    *response.headers_mut() = map;
    expect_not_found(
        <StopReplication as aws_slim::runtime::Operation>::parse_http_response(&response)
            .unwrap_err(),
        "http::Response",
    );
    // Success through a header map, on the other service.
    let ok = http::Response::new(br#"{"PipelineExecutionArn":"arn:p"}"#.to_vec());
    let out =
        <StopPipelineExecution as aws_slim::runtime::Operation>::parse_http_response(&ok).unwrap();
    assert_eq!(out.pipeline_execution_arn.as_deref(), Some("arn:p"));
}

// ---------------------------------------------------------------- tracing

#[test]
fn a_retried_call_against_the_fault_server_is_traced_without_secrets() {
    use fault_server::{Action, FaultServer};
    let server = FaultServer::start(vec![
        Action::error(503, "ServiceUnavailable", "later"),
        Action::json(200, r#"{"Replication":{"Status":"stopping"}}"#),
    ]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTRACING", "tracing-secret").with_session_token("tok-9"))
        .endpoint_url(&server.url)
        .retry(aws_slim::runtime::client::retry::RetryConfig {
            initial_backoff: std::time::Duration::from_millis(1),
            ..aws_slim::runtime::client::retry::RetryConfig::STANDARD
        })
        .build()
        .unwrap();
    let client = aws_slim::dms::client::Client::new(config);
    let capture = capture::Capture::default();
    let input = StopReplicationMessage::new().with_replication_config_arn(DMS_ARN);
    let out =
        tracing::subscriber::with_default(capture.clone(), || client.stop_replication(&input))
            .expect("the retry succeeds");
    assert!(out.replication.is_some());

    let spans = capture.spans.lock().unwrap().clone();
    let events = capture.events.lock().unwrap().clone();
    let call = spans
        .iter()
        .find(|s| s.name == "aws_call")
        .expect("a call span");
    assert_eq!(call.field("service"), Some("AmazonDMSv20160101"));
    assert_eq!(call.field("operation"), Some("StopReplication"));
    let attempts: Vec<_> = events
        .iter()
        .filter(|e| e.field("message") == Some("aws_attempt"))
        .collect();
    let summary: Vec<_> = attempts
        .iter()
        .map(|e| {
            (
                e.field("attempt"),
                e.field("status"),
                e.field("request_id"),
                e.field("error_code"),
                e.field("outcome"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                Some("1"),
                Some("503"),
                Some("req-503"),
                Some("ServiceUnavailable"),
                Some("retry")
            ),
            (
                Some("2"),
                Some("200"),
                Some("req-200"),
                None,
                Some("success")
            ),
        ]
    );
    assert!(attempts.iter().all(|e| e.span == call.span));
    // The requests carried the secrets' products; no field does.
    let sent = server.requests();
    let authorization = sent[0].header("authorization").expect("signed").to_owned();
    let signature = authorization
        .rsplit("Signature=")
        .next()
        .unwrap()
        .to_owned();
    for (k, v) in spans
        .iter()
        .chain(events.iter())
        .flat_map(|c| c.fields.iter())
    {
        for secret in [
            "tracing-secret",
            "tok-9",
            &signature,
            "Signature=",
            "Authorization",
        ] {
            assert!(!v.contains(secret), "{secret} leaks in {k}: {v}");
        }
    }
}
