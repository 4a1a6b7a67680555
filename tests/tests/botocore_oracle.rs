//! The wire format of `dms::StopReplication` and
//! `sagemaker::StopPipelineExecution`, checked against botocore as an oracle.
//!
//! `tests/oracle/botocore_oracle.py` serializes request parameters and parses
//! responses with botocore's own service models, serializer and parser; this
//! test feeds the same cases to the generated crate and compares the results
//! as JSON values. It needs `python3` with `botocore` (`$PYTHON` overrides the
//! interpreter). Without it the test prints a loud SKIP, and fails under CI
//! (`CI` set).
//!
//! Only behaviour botocore has is compared. Where this crate deliberately
//! does more (the `X-Amzn-Errortype` header, the `code` member,
//! `errorMessage`, rejecting malformed success bodies, dropping `null` list
//! entries), the per-operation behaviour tests cover it instead.

mod wire_support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use aws_slim::dms::{StopReplication, StopReplicationError, StopReplicationMessage};
use aws_slim::runtime::json::to_json;
use aws_slim::runtime::{EncodeError, HttpRequest};
use aws_slim::sagemaker::{
    StopPipelineExecution, StopPipelineExecutionError, StopPipelineExecutionRequest,
};
use serde_json::{json, Map, Value};
use wire_support::*;

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:ABCDEFGHIJ";
const SM_ARN: &str = "arn:aws:sagemaker:us-west-2:123456789012:pipeline/p/execution/abc123";
const TOKEN: &str = "fixed-token-0123456789abcdef-0123456789";

/// Runs the oracle on `cases` and returns one result per case.
fn run_oracle(cases: &[Value]) -> Vec<Value> {
    let script = workspace_root().join("tests/oracle/botocore_oracle.py");
    let mut child = Command::new(tests::python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let input = json!({ "cases": cases }).to_string();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write oracle input");
    let out = child.wait_with_output().expect("oracle finished");
    assert!(
        out.status.success(),
        "oracle failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("oracle prints JSON");
    let results = doc["results"].as_array().expect("results").clone();
    assert_eq!(results.len(), cases.len());
    results
}

fn request_case(service: &str, operation: &str, params: Value, fill_tokens: bool) -> Value {
    json!({
        "kind": "request", "service": service, "operation": operation,
        "params": params, "fill_idempotency_tokens": fill_tokens,
    })
}

fn response_case(
    service: &str,
    operation: &str,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Value {
    let headers: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
        .collect();
    json!({
        "kind": "response", "service": service, "operation": operation,
        "status": status, "headers": headers, "body": body,
    })
}

/// Compares what botocore sent with what we send: method, path, every header
/// botocore sets (we add `Content-Length`), and the body as JSON.
fn assert_same_request(boto: &Value, ours: &HttpRequest, what: &str) {
    assert_eq!(boto["ok"], true, "{what}: botocore refused: {boto}");
    assert_eq!(boto["method"], ours.method, "{what}");
    assert_eq!(boto["url_path"], ours.uri.as_str(), "{what}");
    for (name, value) in boto["headers"].as_object().expect("headers") {
        assert_eq!(ours.header(name), value.as_str(), "{what}: header {name}");
    }
    assert_eq!(boto["body"], body_json(ours), "{what}: body");
}

/// Compares botocore's parsed output (timestamps as `{"$epoch_micros": [s, us]}`)
/// with ours re-serialized (timestamps as epoch-seconds numbers, members with
/// a `@default` always written). Returns the first difference.
fn output_diff(boto: &Value, ours: &Value, path: &str) -> Option<String> {
    if let Some(ts) = boto.get("$epoch_micros") {
        let (secs, micros) = (ts[0].as_i64()?, ts[1].as_i64()?);
        let want_millis = i128::from(secs) * 1000 + i128::from(micros / 1000);
        let got_millis = match ours {
            Value::Number(n) if n.is_f64() => (n.as_f64()? * 1000.0).round() as i128,
            Value::Number(n) => i128::from(n.as_i64()?) * 1000,
            _ => return Some(format!("{path}: {ours}, expected a timestamp {ts}")),
        };
        return (micros % 1000 != 0 || want_millis != got_millis)
            .then(|| format!("{path}: {ours}, expected {secs}s + {micros}us"));
    }
    match (boto, ours) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, bv) in b {
                let Some(ov) = o.get(k) else {
                    return Some(format!("{path}.{k}: missing, botocore has {bv}"));
                };
                if let Some(d) = output_diff(bv, ov, &format!("{path}.{k}")) {
                    return Some(d);
                }
            }
            // Members we write that botocore left out must be defaults it omits.
            o.iter()
                .filter(|(k, _)| !b.contains_key(*k))
                .find(|(_, v)| **v != json!(0) && **v != json!(false))
                .map(|(k, v)| format!("{path}.{k}: {v}, botocore has nothing"))
        }
        (Value::Array(b), Value::Array(o)) => {
            if b.len() != o.len() {
                return Some(format!(
                    "{path}: {} items, botocore has {}",
                    o.len(),
                    b.len()
                ));
            }
            b.iter()
                .zip(o)
                .enumerate()
                .find_map(|(i, (bv, ov))| output_diff(bv, ov, &format!("{path}[{i}]")))
        }
        _ if boto == ours => None,
        _ => Some(format!("{path}: {ours}, botocore has {boto}")),
    }
}

/// Strips the parts of botocore's parsed success that are not output members.
fn boto_output(result: &Value, what: &str) -> Value {
    assert_eq!(result["ok"], true, "{what}: botocore failed: {result}");
    let mut parsed = result["parsed"].clone();
    parsed
        .as_object_mut()
        .expect("object")
        .remove("ResponseMetadata");
    parsed
}

/// botocore's view of an error: (code, message, request id, modeled members).
fn boto_error(
    result: &Value,
    what: &str,
) -> (String, Option<String>, Option<String>, Map<String, Value>) {
    assert_eq!(result["ok"], true, "{what}: botocore failed: {result}");
    let mut parsed = result["parsed"].as_object().expect("object").clone();
    let error = parsed
        .remove("Error")
        .unwrap_or_else(|| panic!("{what}: no Error in {result}"));
    let request_id = parsed
        .remove("ResponseMetadata")
        .and_then(|m| m["RequestId"].as_str().map(str::to_owned));
    let code = error["Code"].as_str().expect("Code").to_owned();
    let message = error["Message"]
        .as_str()
        .filter(|m| !m.is_empty())
        .map(str::to_owned);
    (code, message, request_id, parsed)
}

// ------------------------------------------------------------------ requests

#[test]
fn requests_match_botocore() {
    if !tests::botocore_available("the botocore wire-format oracle") {
        return;
    }
    let odd = "arn:\"q\"\\\n\t\u{1}\u{e9}\u{1F600}";
    let dms_ok = [DMS_ARN, odd, ""];
    let mut cases: Vec<Value> = dms_ok
        .iter()
        .map(|a| {
            request_case(
                "dms",
                "StopReplication",
                json!({ "ReplicationConfigArn": a }),
                false,
            )
        })
        .collect();
    cases.push(request_case("dms", "StopReplication", json!({}), false));
    cases.push(request_case(
        "sagemaker",
        "StopPipelineExecution",
        json!({ "PipelineExecutionArn": SM_ARN, "ClientRequestToken": TOKEN }),
        true,
    ));
    cases.push(request_case(
        "sagemaker",
        "StopPipelineExecution",
        json!({ "PipelineExecutionArn": SM_ARN }),
        true,
    ));
    cases.push(request_case(
        "sagemaker",
        "StopPipelineExecution",
        json!({ "ClientRequestToken": TOKEN }),
        true,
    ));
    let results = run_oracle(&cases);

    for (i, arn) in dms_ok.iter().enumerate() {
        let ours = StopReplication::build_request(
            &StopReplicationMessage::new().with_replication_config_arn(*arn),
        )
        .expect("builds");
        assert_same_request(&results[i], &ours, &format!("dms {arn:?}"));
    }

    // Missing required member: both refuse, naming it.
    let boto = &results[3];
    assert_eq!(boto["ok"], false, "{boto}");
    assert!(
        boto["error"]
            .as_str()
            .unwrap()
            .contains("ReplicationConfigArn"),
        "{boto}"
    );
    assert_eq!(
        StopReplication::build_request(&StopReplicationMessage::new()),
        Err(EncodeError::MissingRequired {
            shape: "StopReplicationMessage",
            member: "ReplicationConfigArn"
        })
    );

    // A token set by the caller is sent unchanged by both.
    let ours = StopPipelineExecution::build_request(
        &StopPipelineExecutionRequest::new()
            .with_pipeline_execution_arn(SM_ARN)
            .with_client_request_token(TOKEN),
    )
    .expect("builds");
    assert_same_request(&results[4], &ours, "sagemaker with token");

    // An unset token: both fill a UUID v4; everything else is identical.
    let ours = StopPipelineExecution::build_request(
        &StopPipelineExecutionRequest::new().with_pipeline_execution_arn(SM_ARN),
    )
    .expect("builds");
    let boto = &results[5];
    let boto_token = boto["body"]["ClientRequestToken"]
        .as_str()
        .expect("botocore token");
    let our_body = body_json(&ours);
    let our_token = our_body["ClientRequestToken"].as_str().expect("our token");
    assert!(
        is_uuid_v4(boto_token) && is_uuid_v4(our_token),
        "{boto_token} {our_token}"
    );
    assert_ne!(boto_token, our_token);
    let mut boto = boto.clone();
    boto["body"]["ClientRequestToken"] = Value::from(our_token);
    assert_same_request(&boto, &ours, "sagemaker with generated token");

    let boto = &results[6];
    assert_eq!(boto["ok"], false, "{boto}");
    assert!(
        boto["error"]
            .as_str()
            .unwrap()
            .contains("PipelineExecutionArn"),
        "{boto}"
    );
    assert_eq!(
        StopPipelineExecution::build_request(
            &StopPipelineExecutionRequest::new().with_client_request_token(TOKEN)
        ),
        Err(EncodeError::MissingRequired {
            shape: "StopPipelineExecutionRequest",
            member: "PipelineExecutionArn"
        })
    );
}

// ----------------------------------------------------------------- responses

#[test]
fn successful_responses_match_botocore() {
    if !tests::botocore_available("the botocore wire-format oracle") {
        return;
    }
    let dms_bodies: Vec<String> = vec![
        dms_full_response().to_string(),
        String::new(),
        "{}".to_owned(),
        r#"{"Replication":{}}"#.to_owned(),
        r#"{"Replication":{"ReplicationConfigArn":"a","ReplicationStats":{"TablesLoaded":5,"StopDate":1700000000.5}}}"#.to_owned(),
        r#"{"Replication":{"ReplicationType":"brand-new-type","Status":null,"Extra":{"x":[1,2]},"FailureMessages":[]}}"#.to_owned(),
        r#"{"Replication":{"CdcStartTime":1700000000,"CdcStartPosition":"\u00e9\ud83d\ude00\n","PremigrationAssessmentStatuses":[{"Status":"s"},{}]}}"#.to_owned(),
        r#"{"Replication":{"ReplicationStats":{"ElapsedTimeMillis":-9223372036854775808,"FullLoadFinishDate":-1.5}}}"#.to_owned(),
    ];
    let sm_bodies = [
        json!({ "PipelineExecutionArn": SM_ARN }).to_string(),
        String::new(),
        r#"{"PipelineExecutionArn":null,"Other":true}"#.to_owned(),
    ];
    let headers = [("x-amzn-RequestId", "req-1")];
    let mut cases: Vec<Value> = dms_bodies
        .iter()
        .map(|b| response_case("dms", "StopReplication", 200, &headers, b))
        .collect();
    cases.extend(
        sm_bodies
            .iter()
            .map(|b| response_case("sagemaker", "StopPipelineExecution", 200, &headers, b)),
    );
    let results = run_oracle(&cases);
    // botocore reports the request id of successes too.
    assert_eq!(
        results[0]["parsed"]["ResponseMetadata"]["RequestId"],
        "req-1"
    );

    for (body, result) in dms_bodies.iter().zip(&results) {
        let ours = StopReplication::parse_response(200, &headers, body.as_bytes())
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        let ours: Value = serde_json::from_str(&to_json(&ours).unwrap()).unwrap();
        if let Some(d) = output_diff(&boto_output(result, body), &ours, "$") {
            panic!("dms {body}: {d}\nbotocore: {result}\nours: {ours}");
        }
    }
    for (body, result) in sm_bodies.iter().zip(&results[dms_bodies.len()..]) {
        let ours = StopPipelineExecution::parse_response(200, &headers, body.as_bytes())
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        let ours: Value = serde_json::from_str(&to_json(&ours).unwrap()).unwrap();
        if let Some(d) = output_diff(&boto_output(result, body), &ours, "$") {
            panic!("sagemaker {body}: {d}\nbotocore: {result}\nours: {ours}");
        }
    }
}

/// The `__type` forms and message keys botocore understands.
fn error_bodies(namespace: &str, codes: &[&str], message_keys: &[&str]) -> Vec<String> {
    let mut bodies = Vec::new();
    for code in codes {
        for (i, ty) in [
            (*code).to_owned(),
            format!("{namespace}#{code}"),
            format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            format!("{namespace}#{code}:http://internal.amazon.com/"),
        ]
        .into_iter()
        .enumerate()
        {
            let key = message_keys[i % message_keys.len()];
            bodies.push(json!({ "__type": ty, key: format!("{code} happened") }).to_string());
        }
        bodies.push(json!({ "__type": code }).to_string());
    }
    bodies
}

#[test]
fn error_responses_match_botocore() {
    if !tests::botocore_available("the botocore wire-format oracle") {
        return;
    }
    let headers = [("x-amzn-RequestId", "req-err")];
    let dms_bodies = error_bodies(
        "com.amazonaws.databasemigrationservice",
        &[
            "AccessDeniedFault",
            "InvalidResourceStateFault",
            "ResourceNotFoundFault",
            "SomeUnmodeledFault",
        ],
        &["message", "Message"],
    );
    let sm_bodies = error_bodies(
        "com.amazonaws.sagemaker",
        &[
            "ConflictException",
            "ResourceNotFound",
            "ThrottlingException",
        ],
        &["Message", "message"],
    );
    let mut cases: Vec<Value> = dms_bodies
        .iter()
        .map(|b| response_case("dms", "StopReplication", 400, &headers, b))
        .collect();
    cases.extend(
        sm_bodies
            .iter()
            .map(|b| response_case("sagemaker", "StopPipelineExecution", 400, &headers, b)),
    );
    let results = run_oracle(&cases);

    for (body, result) in dms_bodies.iter().zip(&results) {
        let (code, message, request_id, modeled) = boto_error(result, body);
        let ours =
            StopReplication::parse_response(400, &headers, body.as_bytes()).expect_err("an error");
        assert_eq!(ours.code(), Some(code.as_str()), "{body}");
        assert_eq!(ours.message().map(str::to_owned), message, "{body}");
        let our_members: Value = match &ours {
            StopReplicationError::AccessDeniedFault(e) => {
                serde_json::from_str(&to_json(e).unwrap()).unwrap()
            }
            StopReplicationError::InvalidResourceStateFault(e) => {
                serde_json::from_str(&to_json(e).unwrap()).unwrap()
            }
            StopReplicationError::ResourceNotFoundFault(e) => {
                serde_json::from_str(&to_json(e).unwrap()).unwrap()
            }
            StopReplicationError::Unhandled(u) => {
                assert_eq!(u.request_id().map(str::to_owned), request_id, "{body}");
                assert!(
                    modeled.is_empty(),
                    "{body}: botocore found modeled members {modeled:?}"
                );
                continue;
            }
            other => panic!("{body}: {other:?}"),
        };
        // Every modeled member botocore read, we read the same.
        for (k, v) in &modeled {
            assert_eq!(our_members.get(k), Some(v), "{body}: member {k}");
        }
    }
    for (body, result) in sm_bodies.iter().zip(&results[dms_bodies.len()..]) {
        let (code, message, request_id, modeled) = boto_error(result, body);
        let ours = StopPipelineExecution::parse_response(400, &headers, body.as_bytes())
            .expect_err("an error");
        assert_eq!(ours.code(), Some(code.as_str()), "{body}");
        assert_eq!(ours.message().map(str::to_owned), message, "{body}");
        let our_members: Value = match &ours {
            StopPipelineExecutionError::ConflictException(e) => {
                serde_json::from_str(&to_json(e).unwrap()).unwrap()
            }
            StopPipelineExecutionError::ResourceNotFound(e) => {
                serde_json::from_str(&to_json(e).unwrap()).unwrap()
            }
            StopPipelineExecutionError::Unhandled(u) => {
                assert_eq!(u.request_id().map(str::to_owned), request_id, "{body}");
                assert!(
                    modeled.is_empty(),
                    "{body}: botocore found modeled members {modeled:?}"
                );
                continue;
            }
            other => panic!("{body}: {other:?}"),
        };
        for (k, v) in &modeled {
            assert_eq!(our_members.get(k), Some(v), "{body}: member {k}");
        }
    }
}
