//! The interop features on the fixture services: serde (unions, enums,
//! intEnums, sensitive members, documents), the `Json` trait, and the
//! client's tracing events (fields, levels, and what never appears in them).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde_json::json;
use slim_fixtures::runtime::client::{
    Config, Credentials, HttpTransport, TransportError, TransportRequest, TransportResponse,
};
use slim_fixtures::runtime::{Json, NO_HEADERS};
use slim_fixtures::shapes;

// ------------------------------------------------------------------ serde

/// serde's JSON equals the crate's own form, and reads back to the same value.
fn same_form<T>(value: &T) -> serde_json::Value
where
    T: Json + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let own: serde_json::Value = serde_json::from_str(&value.to_json().unwrap()).unwrap();
    assert_eq!(serde_json::to_value(value).unwrap(), own);
    let back: T = serde_json::from_value(own.clone()).unwrap();
    assert_eq!(&back, value);
    own
}

#[test]
fn unknown_union_members_round_trip_through_serde() {
    let wire = json!({"Hexagon": {"Side": 2, "Tags": ["a", null]}});
    let figure: shapes::Figure = serde_json::from_value(wire.clone()).unwrap();
    assert!(matches!(&figure, shapes::Figure::Unknown(m) if m.name() == "Hexagon"));
    assert_eq!(same_form(&figure), wire);
    // Known members, unit members too.
    let square: shapes::Figure = serde_json::from_value(json!({"Square": 3})).unwrap();
    assert_eq!(same_form(&square), json!({"Square": 3}));
    let nothing: shapes::Figure = serde_json::from_value(json!({"Nothing": {}})).unwrap();
    assert_eq!(nothing, shapes::Figure::Nothing);
    same_form(&nothing);
}

#[test]
fn enums_and_int_enums_are_their_wire_values() {
    assert_eq!(same_form(&shapes::Color::Red), json!("red"));
    let unknown: shapes::Color = serde_json::from_value(json!("ultraviolet")).unwrap();
    assert_eq!(unknown.as_str(), "ultraviolet");
    assert_eq!(same_form(&unknown), json!("ultraviolet"));
    let priority: shapes::Priority = serde_json::from_value(json!(99)).unwrap();
    assert_eq!(priority.value(), 99);
    assert_eq!(same_form(&priority), json!(99));
    assert!(serde_json::from_value::<shapes::Priority>(json!("high")).is_err());
}

#[test]
fn sensitive_members_are_data_for_serde_and_hidden_from_debug() {
    let input = shapes::StoreSecretsInput::new()
        .with_owner("owner")
        .with_pin(1234)
        .with_password("secret-password");
    let value = same_form(&input);
    assert_eq!(value["Password"], "secret-password");
    assert_eq!(value["Pin"], 1234);
    assert!(!format!("{input:?}").contains("secret-password"));
}

#[test]
fn a_response_body_deserializes_as_parse_response_reads_it() {
    let body = json!({
        "Stored": "pw",
        "Levels": ["high", "brand-new-level"],
        "Unknown": {"ignored": true}
    })
    .to_string();
    let parsed = shapes::StoreSecrets::parse_response(200, &NO_HEADERS, body.as_bytes()).unwrap();
    let via_serde: shapes::StoreSecretsOutput = serde_json::from_str(&body).unwrap();
    assert_eq!(via_serde, parsed);
    let via_json = shapes::StoreSecretsOutput::from_json(body.as_bytes()).unwrap();
    assert_eq!(via_json, parsed);
    // Written back: the unknown top-level member is gone, the unknown enum
    // value stays.
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        json!({"Stored": "pw", "Levels": ["high", "brand-new-level"]})
    );
}

#[test]
fn serde_errors_name_the_member_at_fault() {
    let err = serde_json::from_value::<shapes::StoreSecretsInput>(json!({"Pin": "x"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("Pin"), "{err}");
    // Nesting beyond the reader's limit is an error, not a stack overflow.
    let mut deep = json!(1);
    for _ in 0..120 {
        deep = json!([deep]);
    }
    let text = format!("{{\"Choice\":{{\"Plain\":{}}}}}", "[".repeat(200) + &"]".repeat(200));
    assert!(serde_json::from_str::<shapes::StoreSecretsInput>(&text).is_err());
    assert!(serde_json::from_value::<shapes::StoreSecretsInput>(json!({"Owner": deep})).is_err());
}

#[test]
fn json_trait_is_the_codec() {
    let input = shapes::StoreSecretsInput::new().with_owner("o").with_pin(7);
    let text = input.to_json().unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        json!({"Owner": "o", "Pin": 7})
    );
    assert_eq!(shapes::StoreSecretsInput::from_json(text.as_bytes()).unwrap(), input);
    let err = shapes::StoreSecretsInput::from_json(br#"{"Pin":true}"#).unwrap_err();
    assert!(err.to_string().contains("Pin"), "{err}");
}

// ---------------------------------------------------------------- tracing

mod capture;

/// A scripted answer: status, extra headers, body.
type Answer = (u16, Vec<(String, String)>, String);

/// Answers from a queue.
#[derive(Debug)]
struct Scripted(Mutex<VecDeque<Answer>>);

impl HttpTransport for Scripted {
    fn send(&self, _: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        let (status, mut headers, body) = self.0.lock().unwrap().pop_front().expect("an answer");
        headers.push(("Content-Type".into(), "application/x-amz-json-1.1".into()));
        Ok(TransportResponse {
            status,
            headers,
            body: body.into_bytes(),
        })
    }
}

#[test]
fn a_retried_call_is_one_span_with_one_event_per_attempt_and_no_secret() {
    let answers = VecDeque::from([
        (
            500,
            vec![("x-amzn-RequestId".to_owned(), "req-1".to_owned())],
            r#"{"__type":"InternalFailure","message":"boom"}"#.to_owned(),
        ),
        (
            200,
            vec![("x-amzn-RequestId".to_owned(), "req-2".to_owned())],
            r#"{"Stored":"returned-secret"}"#.to_owned(),
        ),
    ]);
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(
            Credentials::new("AKIDTRACE", "trace-secret-key").with_session_token("trace-token"),
        )
        .endpoint_url("http://127.0.0.1:9")
        .transport(Scripted(Mutex::new(answers)))
        .retry(slim_fixtures::runtime::client::retry::RetryConfig {
            initial_backoff: std::time::Duration::ZERO,
            ..slim_fixtures::runtime::client::retry::RetryConfig::STANDARD
        })
        .build()
        .unwrap();
    let client = shapes::client::Client::new(config);
    let input = shapes::StoreSecretsInput::new()
        .with_owner("visible-owner")
        .with_pin(987_654)
        .with_password("input-password")
        .with_passwords_by_user(BTreeMap::from([("u".to_owned(), "map-password".to_owned())]));
    let capture = capture::Capture::default();
    let out = tracing::subscriber::with_default(capture.clone(), || client.store_secrets(&input))
        .expect("the second attempt succeeds");
    assert_eq!(out.stored, "returned-secret");

    let spans = capture.spans.lock().unwrap().clone();
    let events = capture.events.lock().unwrap().clone();
    let calls: Vec<_> = spans.iter().filter(|s| s.name == "aws_call").collect();
    assert_eq!(calls.len(), 1, "{spans:?}");
    let call = calls[0];
    assert_eq!(call.level, tracing::Level::INFO);
    assert_eq!(call.field("service"), Some("ShapesService"));
    assert_eq!(call.field("operation"), Some("StoreSecrets"));
    assert_eq!(call.field("region"), Some("eu-west-1"));

    let attempts: Vec<_> = events
        .iter()
        .filter(|e| e.field("message") == Some("aws_attempt"))
        .collect();
    assert_eq!(attempts.len(), 2, "{events:?}");
    for (i, (status, request_id, outcome)) in
        [("500", "req-1", "retry"), ("200", "req-2", "success")].iter().enumerate()
    {
        let e = attempts[i];
        assert_eq!(e.level, tracing::Level::DEBUG);
        assert_eq!(e.span, call.span, "the attempt belongs to the call's span");
        assert_eq!(e.field("service"), Some("ShapesService"));
        assert_eq!(e.field("operation"), Some("StoreSecrets"));
        assert_eq!(e.field("attempt"), Some(&*(i + 1).to_string()));
        assert_eq!(e.field("status"), Some(*status));
        assert_eq!(e.field("request_id"), Some(*request_id));
        assert_eq!(e.field("outcome"), Some(*outcome));
        let ms: u64 = e.field("duration_ms").expect("a duration").parse().unwrap();
        assert!(ms < 60_000);
    }
    assert_eq!(attempts[0].field("error_code"), Some("InternalFailure"));
    assert_eq!(attempts[1].field("error_code"), None);
    assert!(attempts[0].field("backoff_ms").is_some());

    // Inputs and outputs only at TRACE, in their redacted Debug form.
    let traced: Vec<_> = events
        .iter()
        .filter(|e| e.field("input").is_some() || e.field("output").is_some())
        .collect();
    assert_eq!(traced.len(), 2, "{events:?}");
    assert!(traced.iter().all(|e| e.level == tracing::Level::TRACE));
    assert!(traced[0].field("input").unwrap().contains("visible-owner"));

    // Nothing secret anywhere: credentials, signature, sensitive values.
    let everything: Vec<&(String, String)> = spans
        .iter()
        .chain(events.iter())
        .flat_map(|c| c.fields.iter())
        .collect();
    for secret in [
        "trace-secret-key",
        "trace-token",
        "Signature",
        "AWS4-HMAC-SHA256",
        "987654",
        "input-password",
        "map-password",
        "returned-secret",
    ] {
        for (k, v) in &everything {
            assert!(!v.contains(secret), "{secret} leaks in field {k}: {v}");
        }
    }
}
