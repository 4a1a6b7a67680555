//! A mock AWS endpoint for DMS `StopReplication` and SageMaker
//! `StopPipelineExecution`, built on the server side of the generated crate.
//!
//! ```text
//! cargo run -p tests --example mock_server -- [PORT] [MAX_REQUESTS]
//! ```
//!
//! listens on `127.0.0.1:PORT` (default: an ephemeral port, printed), answers
//! up to `MAX_REQUESTS` requests (default 100) and stops by itself, also
//! after 30 s without a request. Point any AWS SDK at it with
//! `endpoint_url=http://127.0.0.1:PORT` and dummy credentials: signatures are
//! not checked. `tests/tests/mock_server_botocore.rs` drives it with botocore.
//!
//! The answers depend on the ARN sent: one containing `missing` is answered
//! with `ResourceNotFoundFault` (DMS) or `ResourceNotFound` (SageMaker), one
//! containing `busy` with `InvalidResourceStateFault` (DMS) or
//! `ConflictException` (SageMaker); any other gets a successful output.

use std::io::Read as _;
use std::time::Duration;

use aws_slim::runtime::{DateTime, HttpResponse, JsonVersion, Rejection};
use aws_slim::{dms, sagemaker};

/// The largest request body read; a larger one is refused.
const MAX_BODY: u64 = 1 << 20;

/// What the mock saw: a request it routed and parsed, or one it refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// A DMS request.
    Dms(dms::ServiceRequest),
    /// A SageMaker request.
    SageMaker(sagemaker::ServiceRequest),
    /// A refused request, with the response status sent.
    Rejected(u16, String),
}

/// Answers requests on `server` until `max_requests` have been answered, or
/// `idle` passes without one; returns what was seen, in order.
pub fn serve(server: &tiny_http::Server, max_requests: usize, idle: Duration) -> Vec<Seen> {
    let mut seen = Vec::new();
    while seen.len() < max_requests {
        let mut request = match server.recv_timeout(idle) {
            Ok(Some(request)) => request,
            Ok(None) | Err(_) => break,
        };
        let (response, what) = answer(&mut request);
        seen.push(what);
        let mut out =
            tiny_http::Response::from_data(response.body).with_status_code(response.status);
        for (name, value) in &response.headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                out.add_header(h);
            }
        }
        out.add_header(
            tiny_http::Header::from_bytes("x-amzn-RequestId", format!("mock-{}", seen.len()))
                .expect("a valid header"),
        );
        // A client that hung up is not the mock's problem.
        let _ = request.respond(out);
    }
    seen
}

/// Routes one request to the service its `X-Amz-Target` names.
fn answer(request: &mut tiny_http::Request) -> (HttpResponse, Seen) {
    let method = request.method().as_str().to_owned();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_owned(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut body = Vec::new();
    if request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .is_err()
        || body.len() as u64 > MAX_BODY
    {
        let refused = Rejection::Serialization(aws_slim::runtime::DecodeError::new(
            "the body could not be read or is too large",
            0,
        ));
        return reject(&refused);
    }
    let target = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("X-Amz-Target"))
        .map(|(_, v)| *v)
        .unwrap_or_default();
    let service = target.split('.').next().unwrap_or_default();
    if service == dms::SERVICE_NAME {
        match dms::ServiceRequest::from_http(&method, &headers, &body) {
            Ok(request) => (dms_handler(request.clone()).to_http(), Seen::Dms(request)),
            Err(r) => reject(&r),
        }
    } else if service == sagemaker::SERVICE_NAME {
        match sagemaker::ServiceRequest::from_http(&method, &headers, &body) {
            Ok(request) => (
                sagemaker_handler(request.clone()).to_http(),
                Seen::SageMaker(request),
            ),
            Err(r) => reject(&r),
        }
    } else {
        reject(&Rejection::UnknownOperation {
            target: (!target.is_empty()).then(|| target.to_owned()),
        })
    }
}

fn reject(r: &Rejection) -> (HttpResponse, Seen) {
    // Both services speak awsJson1_1.
    let response = r.to_response(JsonVersion::V1_1);
    let status = response.status;
    (response, Seen::Rejected(status, r.to_string()))
}

/// The DMS side: one arm per operation of the crate's selection.
pub fn dms_handler(request: dms::ServiceRequest) -> dms::ServiceResponse {
    match request {
        dms::ServiceRequest::StopReplication(input) => {
            let arn = input.replication_config_arn.unwrap_or_default();
            dms::ServiceResponse::StopReplication(if arn.contains("missing") {
                Err(dms::ResourceNotFoundFault::new()
                    .with_message(format!("replication config {arn} not found"))
                    .into())
            } else if arn.contains("busy") {
                Err(dms::InvalidResourceStateFault::new()
                    .with_message("the replication is already stopping")
                    .into())
            } else {
                Ok(dms::StopReplicationResponse::new().with_replication(
                    dms::Replication::new()
                        .with_replication_config_arn(arn)
                        .with_replication_config_identifier("mock-replication")
                        .with_status("stopping")
                        .with_replication_type(dms::MigrationTypeValue::FullLoad)
                        .with_cdc_start_time(DateTime::from_millis(1_700_000_000_250))
                        .with_failure_messages(vec!["none so far".to_owned()])
                        .with_replication_stats(dms::ReplicationStats::new().with_tables_loaded(3)),
                ))
            })
        }
    }
}

/// The SageMaker side.
pub fn sagemaker_handler(request: sagemaker::ServiceRequest) -> sagemaker::ServiceResponse {
    match request {
        sagemaker::ServiceRequest::StopPipelineExecution(input) => {
            let arn = input.pipeline_execution_arn.unwrap_or_default();
            sagemaker::ServiceResponse::StopPipelineExecution(if arn.contains("missing") {
                Err(sagemaker::ResourceNotFound::new()
                    .with_message(format!("pipeline execution {arn} not found"))
                    .into())
            } else if arn.contains("busy") {
                Err(sagemaker::ConflictException::new()
                    .with_message("the execution is already stopping")
                    .into())
            } else {
                Ok(
                    sagemaker::StopPipelineExecutionResponse::new()
                        .with_pipeline_execution_arn(arn),
                )
            })
        }
    }
}

#[allow(dead_code)] // `tests/tests/mock_server_botocore.rs` includes this file without `main`.
fn main() {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let max_requests: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let server = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    match server.server_addr().to_ip() {
        Some(addr) => println!("listening on http://{addr}"),
        None => println!("listening"),
    }
    for what in serve(&server, max_requests, Duration::from_secs(30)) {
        println!("{what:?}");
    }
}
