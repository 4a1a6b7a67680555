//! Behaviour of the generated `sagemaker::StopPipelineExecution` operation:
//! the request (with its idempotency token), the response and its errors.

mod wire_support;

use std::collections::HashSet;
use std::error::Error as _;

use aws_slim::runtime::json::{from_json, to_json};
use aws_slim::runtime::{EncodeError, Operation, UnhandledError};
use aws_slim::sagemaker::{
    ConflictException, ResourceNotFound, StopPipelineExecution, StopPipelineExecutionError,
    StopPipelineExecutionRequest, StopPipelineExecutionResponse,
};
use serde_json::{json, Value};
use wire_support::*;

const TARGET: &str = "SageMaker.StopPipelineExecution";
const ARN: &str =
    "arn:aws:sagemaker:us-west-2:123456789012:pipeline/my-pipeline/execution/abc123def456";
const TOKEN: &str = "my-fixed-token-0123456789abcdef0123";

fn ok(body: &str) -> StopPipelineExecutionResponse {
    StopPipelineExecution::parse_response(200, &[("x-amzn-RequestId", "req-ok")], body.as_bytes())
        .unwrap_or_else(|e| panic!("body {body:?} should parse, got {e:?}"))
}

fn err(status: u16, headers: &[(&str, &str)], body: &str) -> StopPipelineExecutionError {
    match StopPipelineExecution::parse_response(status, headers, body.as_bytes()) {
        Ok(v) => panic!("status {status} body {body:?} should fail, got {v:?}"),
        Err(e) => e,
    }
}

fn unhandled(e: StopPipelineExecutionError) -> UnhandledError {
    match e {
        StopPipelineExecutionError::Unhandled(u) => u,
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

fn sent_token(input: &StopPipelineExecutionRequest) -> String {
    let req = StopPipelineExecution::build_request(input).expect("builds");
    body_json(&req)["ClientRequestToken"]
        .as_str()
        .expect("ClientRequestToken is a string")
        .to_owned()
}

// ------------------------------------------------------------------ requests

#[test]
fn request_with_a_fixed_token_is_exact() {
    let input = StopPipelineExecutionRequest::new()
        .with_pipeline_execution_arn(ARN)
        .with_client_request_token(TOKEN);
    let req = StopPipelineExecution::build_request(&input).expect("builds");
    assert_aws_json_1_1_request(&req, TARGET);
    assert_eq!(
        body_json(&req),
        json!({ "PipelineExecutionArn": ARN, "ClientRequestToken": TOKEN })
    );
    // Deterministic when everything is set.
    assert_eq!(
        StopPipelineExecution::build_request(&input),
        Ok(req.clone())
    );
    assert_eq!(
        <StopPipelineExecution as Operation>::build_request(&input),
        Ok(req)
    );
    assert_eq!(
        (
            <StopPipelineExecution as Operation>::SERVICE,
            <StopPipelineExecution as Operation>::NAME,
            StopPipelineExecution::TARGET
        ),
        ("SageMaker", "StopPipelineExecution", TARGET)
    );
}

#[test]
fn unset_token_is_filled_with_a_fresh_uuid_v4() {
    let input = StopPipelineExecutionRequest::new().with_pipeline_execution_arn(ARN);
    let req = StopPipelineExecution::build_request(&input).expect("builds");
    assert_aws_json_1_1_request(&req, TARGET);
    let body = body_json(&req);
    let obj = body.as_object().expect("object body");
    assert_eq!(
        obj.keys().map(String::as_str).collect::<Vec<_>>(),
        ["PipelineExecutionArn", "ClientRequestToken"]
    );
    assert_eq!(body["PipelineExecutionArn"], ARN);
    let token = body["ClientRequestToken"].as_str().expect("string token");
    assert!(is_uuid_v4(token), "{token}");
    // The model bounds the token to 32..=128 characters.
    assert!((32..=128).contains(&token.len()), "{token}");
    // The caller's value stays unset; every request gets its own token.
    assert_eq!(input.client_request_token, None);
    let tokens: HashSet<String> = (0..200).map(|_| sent_token(&input)).collect();
    assert_eq!(tokens.len(), 200);
    assert!(tokens.iter().all(|t| is_uuid_v4(t)));
    assert!(!tokens.contains(token));
}

#[test]
fn tokens_differ_across_threads() {
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                let input = StopPipelineExecutionRequest::new().with_pipeline_execution_arn(ARN);
                (0..100).map(|_| sent_token(&input)).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all = HashSet::new();
    for h in handles {
        for t in h.join().expect("thread") {
            assert!(is_uuid_v4(&t), "{t}");
            assert!(all.insert(t));
        }
    }
    assert_eq!(all.len(), 400);
}

#[test]
fn a_token_set_by_the_caller_is_sent_unchanged() {
    for token in [
        TOKEN,
        "00000000-0000-4000-8000-000000000000",
        "UPPER-CASE-AND-\u{e9}-\"quoted\"-\\-0123456789",
        // Even an empty string: it is set, so it is not replaced.
        "",
    ] {
        let input = StopPipelineExecutionRequest::new()
            .with_pipeline_execution_arn(ARN)
            .with_client_request_token(token);
        assert_eq!(sent_token(&input), token);
        assert_eq!(sent_token(&input), token, "stable across builds");
    }
}

#[test]
fn missing_required_arn_is_reported_by_name_before_sending() {
    for input in [
        StopPipelineExecutionRequest::new(),
        StopPipelineExecutionRequest::new().with_client_request_token(TOKEN),
    ] {
        let e = StopPipelineExecution::build_request(&input).expect_err("must not build");
        assert_eq!(
            e,
            EncodeError::MissingRequired {
                shape: "StopPipelineExecutionRequest",
                member: "PipelineExecutionArn",
            }
        );
        assert_eq!(
            e.to_string(),
            "missing required member `PipelineExecutionArn` of `StopPipelineExecutionRequest`"
        );
        let source: &dyn std::error::Error = &e;
        assert!(source.source().is_none());
        assert_eq!(to_json(&input), Err(e));
    }
}

#[test]
fn request_round_trips_through_json() {
    let input = StopPipelineExecutionRequest::new()
        .with_pipeline_execution_arn(ARN)
        .with_client_request_token(TOKEN);
    let text = to_json(&input).expect("serializes");
    assert_eq!(
        from_json::<StopPipelineExecutionRequest>(text.as_bytes()),
        Ok(input)
    );
    // Without a token, the written value carries the generated one.
    let input = StopPipelineExecutionRequest::new().with_pipeline_execution_arn(ARN);
    let back: StopPipelineExecutionRequest =
        from_json(to_json(&input).unwrap().as_bytes()).unwrap();
    assert_eq!(back.pipeline_execution_arn.as_deref(), Some(ARN));
    assert!(back.client_request_token.as_deref().is_some_and(is_uuid_v4));
}

// ---------------------------------------------------------------- responses

#[test]
fn response_reads_the_arn() {
    let body = json!({ "PipelineExecutionArn": ARN }).to_string();
    let out = ok(&body);
    assert_eq!(out.pipeline_execution_arn.as_deref(), Some(ARN));
    assert_eq!(
        out,
        StopPipelineExecutionResponse::new().with_pipeline_execution_arn(ARN)
    );
    // Through the trait, too.
    assert_eq!(
        <StopPipelineExecution as Operation>::parse_response(
            200,
            &aws_slim::runtime::NO_HEADERS,
            body.as_bytes()
        ),
        Ok(out)
    );
    // Any 2xx is a success.
    for status in [201, 204, 299] {
        assert!(StopPipelineExecution::parse_response(
            status,
            &aws_slim::runtime::NO_HEADERS,
            b"{}"
        )
        .is_ok());
    }
}

#[test]
fn response_round_trips_through_json() {
    for value in [
        StopPipelineExecutionResponse::new().with_pipeline_execution_arn(ARN),
        StopPipelineExecutionResponse::new().with_pipeline_execution_arn("\u{0}\u{1F600}\"\\"),
        StopPipelineExecutionResponse::new(),
    ] {
        let text = to_json(&value).expect("serializes");
        assert_eq!(
            from_json::<StopPipelineExecutionResponse>(text.as_bytes()),
            Ok(value.clone())
        );
        assert_eq!(ok(&text), value);
    }
    assert_eq!(
        to_json(&StopPipelineExecutionResponse::new()).unwrap(),
        "{}"
    );
    let written: Value = serde_json::from_str(
        &to_json(&StopPipelineExecutionResponse::new().with_pipeline_execution_arn(ARN)).unwrap(),
    )
    .unwrap();
    assert_eq!(written, json!({ "PipelineExecutionArn": ARN }));
}

#[test]
fn lenient_reading_of_successes() {
    for body in ["", " ", "{}", "null", r#"{"PipelineExecutionArn":null}"#] {
        assert_eq!(ok(body), StopPipelineExecutionResponse::new(), "{body:?}");
    }
    let body = json!({
        "Unknown": {"deep": [[[{"x": null}]]]},
        "PipelineExecutionArn": ARN,
        "pipelineexecutionarn": "wrong case is another member",
        "AlsoUnknown": 1.5e300
    })
    .to_string();
    assert_eq!(ok(&body).pipeline_execution_arn.as_deref(), Some(ARN));
}

#[test]
fn broken_successes_are_unhandled_with_a_source() {
    let deep = nested_arrays(1000);
    let bodies = [
        "{".to_owned(),
        "{\"PipelineExecutionArn\":}".to_owned(),
        "{\"PipelineExecutionArn\":5}".to_owned(),
        "{\"PipelineExecutionArn\":[\"a\"]}".to_owned(),
        "{\"PipelineExecutionArn\":{}}".to_owned(),
        "{\"PipelineExecutionArn\":true}".to_owned(),
        "{} {}".to_owned(),
        "[]".to_owned(),
        format!("{{\"Unknown\":{deep}}}"),
    ];
    for body in &bodies {
        let u = unhandled(err(200, &[("x-amzn-RequestId", "req-x")], body));
        assert_eq!(
            (u.status(), u.code(), u.request_id()),
            (200, None, Some("req-x")),
            "{body}"
        );
        decode_source(&u);
    }
}

// -------------------------------------------------------------------- errors

#[test]
fn modeled_errors_through_every_code_form() {
    for code in ["ConflictException", "ResourceNotFound"] {
        let cases: Vec<(Vec<(&str, String)>, Value)> = vec![
            (vec![], json!({"__type": code, "Message": "m"})),
            (
                vec![],
                json!({"__type": format!("com.amazonaws.sagemaker#{code}"), "Message": "m"}),
            ),
            (
                vec![],
                json!({"__type": format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"), "Message": "m"}),
            ),
            (vec![], json!({"code": code, "Message": "m"})),
            (
                vec![(
                    "X-Amzn-Errortype",
                    format!("com.amazonaws.sagemaker#{code}:http://x"),
                )],
                json!({"__type": "ValidationException", "Message": "m"}),
            ),
        ];
        for (extra, body) in cases {
            let mut headers: Vec<(&str, &str)> = vec![("x-amzn-RequestId", "req-1")];
            headers.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
            let e = err(400, &headers, &body.to_string());
            let what = format!("{code} {extra:?} {body}");
            assert_eq!(e.code(), Some(code), "{what}");
            assert_eq!(e.message(), Some("m"), "{what}");
            assert_eq!(e.to_string(), format!("{code}: m"), "{what}");
            let matched = match &e {
                StopPipelineExecutionError::ConflictException(x) => {
                    code == "ConflictException" && *x == ConflictException::new().with_message("m")
                }
                StopPipelineExecutionError::ResourceNotFound(x) => {
                    code == "ResourceNotFound" && *x == ResourceNotFound::new().with_message("m")
                }
                _ => false,
            };
            assert!(matched, "{what} -> {e:?}");
        }
    }
}

#[test]
fn modeled_error_message_from_each_key() {
    // The member is `Message`; `message` and `errorMessage` are read as well.
    for (body, want) in [
        (
            json!({"__type": "ResourceNotFound", "Message": "upper"}),
            Some("upper"),
        ),
        (
            json!({"__type": "ResourceNotFound", "message": "lower"}),
            Some("lower"),
        ),
        (
            json!({"__type": "ResourceNotFound", "errorMessage": "err"}),
            Some("err"),
        ),
        (
            json!({"__type": "ResourceNotFound", "Message": "member", "message": "generic"}),
            Some("member"),
        ),
        (json!({"__type": "ResourceNotFound"}), None),
    ] {
        let e = err(400, &[], &body.to_string());
        let StopPipelineExecutionError::ResourceNotFound(inner) = &e else {
            panic!("{body} -> {e:?}");
        };
        assert_eq!(inner.message(), want, "{body}");
        assert_eq!(e.message(), want, "{body}");
        let display = want.map_or("ResourceNotFound".to_owned(), |m| {
            format!("ResourceNotFound: {m}")
        });
        assert_eq!(e.to_string(), display);
    }
}

#[test]
fn errors_are_std_errors() {
    let e = err(
        400,
        &[],
        r#"{"__type":"ConflictException","Message":"Execution is already stopping"}"#,
    );
    let inner = e
        .source()
        .and_then(|s| s.downcast_ref::<ConflictException>())
        .expect("source is the modeled error");
    assert_eq!(inner.code(), ConflictException::CODE);
    assert_eq!(
        inner.to_string(),
        "ConflictException: Execution is already stopping"
    );
    let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = Box::new(e);
    assert_eq!(
        boxed.to_string(),
        "ConflictException: Execution is already stopping"
    );
    let e: StopPipelineExecutionError = ResourceNotFound::new().into();
    assert_eq!((e.code(), e.message()), (Some("ResourceNotFound"), None));
}

#[test]
fn unknown_error_code_is_unhandled_with_everything_kept() {
    let e = err(
        400,
        &[("x-amzn-requestid", "req-7")],
        r#"{"__type":"com.amazonaws.sagemaker#ResourceLimitExceeded","message":"too many"}"#,
    );
    assert_eq!(e.code(), Some("ResourceLimitExceeded"));
    assert_eq!(e.to_string(), "ResourceLimitExceeded: too many");
    let u = unhandled(e);
    assert_eq!(
        (u.status(), u.code(), u.message(), u.request_id()),
        (
            400,
            Some("ResourceLimitExceeded"),
            Some("too many"),
            Some("req-7")
        )
    );
    // A DMS error code means nothing to this operation.
    let u = unhandled(err(400, &[], r#"{"__type":"AccessDeniedFault"}"#));
    assert_eq!(u.code(), Some("AccessDeniedFault"));
    // An error body of the wrong shape for the modeled error.
    let u = unhandled(err(
        400,
        &[("x-amzn-RequestId", "req-8")],
        r#"{"__type":"ConflictException","Message":["not","a","string"]}"#,
    ));
    assert_eq!(
        (u.code(), u.request_id()),
        (Some("ConflictException"), Some("req-8"))
    );
    decode_source(&u);
}

// ---------------------------------------------------------------------- Debug

#[test]
fn debug_output() {
    assert_eq!(
        format!(
            "{:?}",
            StopPipelineExecutionRequest::new()
                .with_pipeline_execution_arn("arn")
                .with_client_request_token("tok")
        ),
        r#"StopPipelineExecutionRequest { pipeline_execution_arn: Some("arn"), client_request_token: Some("tok") }"#
    );
    assert_eq!(
        format!("{:?}", StopPipelineExecutionRequest::new()),
        "StopPipelineExecutionRequest { pipeline_execution_arn: None, client_request_token: None }"
    );
    assert_eq!(
        format!(
            "{:?}",
            ok(&json!({ "PipelineExecutionArn": ARN }).to_string())
        ),
        format!("StopPipelineExecutionResponse {{ pipeline_execution_arn: Some({ARN:?}) }}")
    );
    assert_eq!(
        format!(
            "{:?}",
            err(
                400,
                &[],
                r#"{"__type":"ConflictException","Message":"busy"}"#
            )
        ),
        r#"ConflictException(ConflictException { message: Some("busy") })"#
    );
    let dbg = format!(
        "{:?}",
        err(
            500,
            &[("x-amzn-RequestId", "r9")],
            r#"{"__type":"InternalFailure"}"#
        )
    );
    for needle in [
        "Unhandled(",
        "status: 500",
        "code: Some(\"InternalFailure\")",
        "request_id: Some(\"r9\")",
    ] {
        assert!(dbg.contains(needle), "missing {needle:?} in {dbg}");
    }
}
