//! botocore as the client of the mock server in
//! `tests/examples/mock_server.rs`, over a real loopback socket.
//!
//! The mock listens on `127.0.0.1` on an ephemeral port, answers exactly as
//! many requests as the test makes (or stops after 20 s without one), and
//! is built on the server side of the generated crate: `dms::ServiceRequest`
//! and `sagemaker::ServiceRequest` route and parse what botocore sends (SigV4
//! signed with dummy credentials; signatures are not checked), and the
//! responses and errors they serialize must come back out of botocore as the
//! expected values and modeled exception classes.
//!
//! Needs `python3` with `botocore` (`$PYTHON` overrides the interpreter;
//! `cargo xtask test` installs botocore). Without it the test prints a loud
//! SKIP, and fails under CI (`CI` set).

#[allow(dead_code)]
#[path = "../examples/mock_server.rs"]
mod mock_server;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_slim::{dms, sagemaker};
use mock_server::Seen;
use serde_json::{json, Value};

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:MOCK";
/// botocore requires at least 32 characters.
const TOKEN: &str = "token-1-0123456789abcdef0123456789";
const SM_ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e1";

/// Runs `tests/oracle/botocore_client.py` against `endpoint`; gives up (and
/// kills it) after `limit`.
fn run_botocore(endpoint: &str, calls: &Value, limit: Duration) -> Vec<Value> {
    let script = tests::workspace_root().join("tests/oracle/botocore_client.py");
    let mut child = Command::new(tests::python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let input = json!({ "endpoint": endpoint, "calls": calls }).to_string();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write the calls");
    let started = Instant::now();
    while child.try_wait().expect("wait for botocore").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("botocore did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("botocore output");
    assert!(
        out.status.success(),
        "botocore failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("botocore_client.py prints JSON");
    doc["results"].as_array().expect("results").clone()
}

fn call(service: &str, operation: &str, params: Value) -> Value {
    json!({ "service": service, "operation": operation, "params": params })
}

/// A `ClientError` of `code`, with HTTP `status`, raised as the client's
/// modeled exception class (or not).
fn assert_error(result: &Value, code: &str, status: u64, modeled: bool) {
    assert_eq!(result["ok"], false, "{result}");
    assert_eq!(result["code"], code, "{result}");
    assert_eq!(result["status"], status, "{result}");
    assert_eq!(result["modeled"], modeled, "{result}");
    if modeled {
        assert_eq!(result["class"], code, "{result}");
    }
}

#[test]
fn botocore_calls_the_mock_server_and_reads_its_answers() {
    if !tests::botocore_available("botocore against the mock server") {
        return;
    }
    let server = tiny_http::Server::http("127.0.0.1:0").expect("listen on a loopback port");
    let port = server.server_addr().to_ip().expect("an IP listener").port();
    let calls = json!([
        call(
            "dms",
            "stop_replication",
            json!({ "ReplicationConfigArn": DMS_ARN })
        ),
        call(
            "dms",
            "stop_replication",
            json!({ "ReplicationConfigArn": "arn:missing" })
        ),
        call(
            "dms",
            "stop_replication",
            json!({ "ReplicationConfigArn": "arn:busy" })
        ),
        // botocore would refuse to send this itself: the server must.
        json!({ "service": "dms", "operation": "stop_replication", "params": {}, "validate": false }),
        // An operation the crate does not serve.
        call("dms", "describe_replications", json!({})),
        call(
            "sagemaker",
            "stop_pipeline_execution",
            json!({ "PipelineExecutionArn": SM_ARN, "ClientRequestToken": TOKEN }),
        ),
        // botocore fills the idempotency token in.
        call(
            "sagemaker",
            "stop_pipeline_execution",
            json!({ "PipelineExecutionArn": SM_ARN })
        ),
        call(
            "sagemaker",
            "stop_pipeline_execution",
            json!({ "PipelineExecutionArn": "arn:busy" })
        ),
        call(
            "sagemaker",
            "stop_pipeline_execution",
            json!({ "PipelineExecutionArn": "arn:missing" })
        ),
    ]);
    let expected_requests = calls.as_array().map_or(0, Vec::len);
    let mock = std::thread::spawn(move || {
        mock_server::serve(&server, expected_requests, Duration::from_secs(20))
    });
    let results = run_botocore(
        &format!("http://127.0.0.1:{port}"),
        &calls,
        Duration::from_secs(120),
    );
    let seen = mock.join().expect("the mock server thread");
    assert_eq!(results.len(), expected_requests);
    assert_eq!(seen.len(), expected_requests, "{seen:#?}");

    // What the mock routed and parsed from botocore's requests.
    let stop = |arn: &str| {
        Seen::Dms(dms::ServiceRequest::StopReplication(
            dms::StopReplicationMessage::new().with_replication_config_arn(arn),
        ))
    };
    assert_eq!(seen[0], stop(DMS_ARN));
    assert_eq!(seen[1], stop("arn:missing"));
    assert_eq!(seen[2], stop("arn:busy"));
    match &seen[3] {
        Seen::Rejected(400, message) => assert_eq!(
            message,
            "1 validation error detected. Value at '/ReplicationConfigArn' failed to satisfy \
             constraint: Member must not be null"
        ),
        other => panic!("expected a validation rejection, got {other:?}"),
    }
    assert_eq!(
        seen[4],
        Seen::Rejected(
            404,
            "unknown operation `AmazonDMSv20160101.DescribeReplications`".to_owned()
        )
    );
    assert_eq!(
        seen[5],
        Seen::SageMaker(sagemaker::ServiceRequest::StopPipelineExecution(
            sagemaker::StopPipelineExecutionRequest::new()
                .with_pipeline_execution_arn(SM_ARN)
                .with_client_request_token(TOKEN),
        ))
    );
    match &seen[6] {
        Seen::SageMaker(sagemaker::ServiceRequest::StopPipelineExecution(input)) => {
            assert_eq!(input.pipeline_execution_arn.as_deref(), Some(SM_ARN));
            let token = input.client_request_token.as_deref().unwrap_or_default();
            assert_eq!(token.len(), 36, "a UUID from botocore: {token:?}");
        }
        other => panic!("expected a StopPipelineExecution request, got {other:?}"),
    }

    // What botocore made of the mock's answers.
    assert_eq!(results[0]["ok"], true, "{}", results[0]);
    let response = &results[0]["response"];
    let replication = &response["Replication"];
    assert_eq!(replication["ReplicationConfigArn"], DMS_ARN);
    assert_eq!(
        replication["ReplicationConfigIdentifier"],
        "mock-replication"
    );
    assert_eq!(replication["Status"], "stopping");
    assert_eq!(replication["ReplicationType"], "full-load");
    assert_eq!(
        replication["CdcStartTime"],
        json!({ "$epoch_millis": 1_700_000_000_250_i64 })
    );
    assert_eq!(replication["FailureMessages"], json!(["none so far"]));
    assert_eq!(replication["ReplicationStats"]["TablesLoaded"], 3);
    assert_eq!(
        response["ResponseMetadata"],
        json!({ "RequestId": "mock-1", "HTTPStatusCode": 200 })
    );
    assert_error(&results[1], "ResourceNotFoundFault", 400, true);
    assert_eq!(
        results[1]["message"],
        "replication config arn:missing not found"
    );
    assert_error(&results[2], "InvalidResourceStateFault", 400, true);
    assert_eq!(results[2]["message"], "the replication is already stopping");
    assert_error(&results[3], "ValidationException", 400, false);
    assert!(
        results[3]["message"]
            .as_str()
            .is_some_and(|m| m.contains("'/ReplicationConfigArn'")),
        "{}",
        results[3]
    );
    assert_error(&results[4], "UnknownOperationException", 404, false);
    for i in [5, 6] {
        assert_eq!(results[i]["ok"], true, "{}", results[i]);
        assert_eq!(results[i]["response"]["PipelineExecutionArn"], SM_ARN);
    }
    assert_error(&results[7], "ConflictException", 400, true);
    assert_eq!(results[7]["message"], "the execution is already stopping");
    assert_error(&results[8], "ResourceNotFound", 400, true);
}
