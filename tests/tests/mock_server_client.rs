//! The generated clients against the project's own mock server
//! (`tests/examples/mock_server.rs`, built on the generated server side)
//! over a loopback socket: `StopReplication` and `StopPipelineExecution`
//! end to end, their modeled errors, and what the mock parsed.

#[allow(dead_code)]
#[path = "../examples/mock_server.rs"]
mod mock_server;

use std::time::Duration;

use aws_slim::runtime::client::{Config, Credentials};
use aws_slim::{dms, sagemaker};
use mock_server::Seen;

fn config(url: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDMOCK", "mock-secret"))
        .endpoint_url(url)
        .build()
        .expect("a valid config")
}

#[test]
fn both_operations_end_to_end_through_the_clients() {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback port");
    let url = format!(
        "http://{}",
        server.server_addr().to_ip().expect("an IP address")
    );
    let mock = std::thread::spawn(move || mock_server::serve(&server, 4, Duration::from_secs(20)));

    let dms_client = dms::client::Client::new(config(&url));
    let arn = "arn:aws:dms:us-east-1:123456789012:replication-config:MOCK";
    let out = dms_client
        .stop_replication(&dms::StopReplicationMessage::new().with_replication_config_arn(arn))
        .expect("StopReplication");
    let replication = out.replication.expect("a replication");
    assert_eq!(replication.status.as_deref(), Some("stopping"));
    assert_eq!(
        replication.replication_type,
        Some(dms::MigrationTypeValue::FullLoad)
    );
    assert_eq!(
        replication.replication_stats.map(|s| s.tables_loaded),
        Some(3)
    );
    let err = dms_client
        .stop_replication(
            &dms::StopReplicationMessage::new().with_replication_config_arn("arn:missing"),
        )
        .unwrap_err();
    assert!(matches!(
        err.service_error(),
        Some(dms::StopReplicationError::ResourceNotFoundFault(_))
    ));

    let sm_client = sagemaker::client::Client::new(config(&url));
    let execution = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e1";
    let out = sm_client
        .stop_pipeline_execution(
            &sagemaker::StopPipelineExecutionRequest::new().with_pipeline_execution_arn(execution),
        )
        .expect("StopPipelineExecution");
    assert_eq!(out.pipeline_execution_arn.as_deref(), Some(execution));
    let err = sm_client
        .stop_pipeline_execution(
            &sagemaker::StopPipelineExecutionRequest::new().with_pipeline_execution_arn("arn:busy"),
        )
        .unwrap_err();
    assert!(matches!(
        err.service_error(),
        Some(sagemaker::StopPipelineExecutionError::ConflictException(_))
    ));
    assert_eq!(err.raw_response().map(|r| r.status), Some(400));

    let seen = mock.join().expect("the mock thread");
    assert_eq!(seen.len(), 4, "{seen:#?}");
    match &seen[2] {
        Seen::SageMaker(sagemaker::ServiceRequest::StopPipelineExecution(input)) => {
            // The client drew the idempotency token.
            let token = input.client_request_token.as_deref().unwrap_or_default();
            assert_eq!(token.len(), 36, "{token:?}");
        }
        other => panic!("expected StopPipelineExecution, got {other:?}"),
    }
}
