//! End to end against moto's server (`cargo xtask e2e` generates the
//! `aws-e2e` crate from the upstream models, copies this file in as
//! `tests/moto.rs`, starts moto with request signatures checked, creates an
//! IAM key and runs it with `E2E_ENDPOINT`, `E2E_ACCESS_KEY_ID` and
//! `E2E_SECRET_ACCESS_KEY` set). Every call goes through a generated
//! client, blocking or async: SigV4, the transport, retries, parsing.

use std::time::Duration;

use aws_e2e::dms::client::Client as DmsClient;
use aws_e2e::dms::{
    CreateReplicationTaskMessage, DeleteReplicationTaskMessage, DescribeReplicationTasksMessage,
    MigrationTypeValue, StartReplicationTaskMessage, StartReplicationTaskTypeValue,
    StopReplicationMessage, StopReplicationTaskMessage,
};
use aws_e2e::runtime::client::retry::RetryConfig;
use aws_e2e::runtime::client::{Config, Credentials, SdkError};
use aws_e2e::sagemaker::client::Client as SageMakerClient;
use aws_e2e::sagemaker::{
    CreatePipelineRequest, DeletePipelineRequest, DescribePipelineExecutionRequest,
    DescribePipelineRequest, ListPipelineExecutionsRequest, ListPipelinesRequest,
    PipelineExecutionStatus, StartPipelineExecutionRequest, StopPipelineExecutionRequest,
};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask e2e`"))
}

fn config(secret: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(env("E2E_ACCESS_KEY_ID"), secret))
        .endpoint_url(env("E2E_ENDPOINT"))
        // Quick retries: moto answers what it lacks with a 500.
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(20),
            ..RetryConfig::STANDARD
        })
        .build()
        .expect("a valid configuration")
}

fn secret() -> String {
    env("E2E_SECRET_ACCESS_KEY")
}

const ROLE: &str = "arn:aws:iam::123456789012:role/pipeline-role";
const DEFINITION: &str = r#"{"Version":"2020-12-01","Parameters":[],"Steps":[]}"#;

#[test]
fn sagemaker_pipelines_through_the_client() {
    let client = SageMakerClient::new(config(&secret()));
    let created = client
        .create_pipeline(
            &CreatePipelineRequest::new()
                .with_pipeline_name("slim-e2e")
                .with_pipeline_definition(DEFINITION)
                .with_role_arn(ROLE),
        )
        .expect("CreatePipeline");
    let pipeline_arn = created.pipeline_arn.expect("a pipeline ARN");
    assert!(pipeline_arn.contains(":pipeline/slim-e2e"), "{pipeline_arn}");

    let described = client
        .describe_pipeline(&DescribePipelineRequest::new().with_pipeline_name("slim-e2e"))
        .expect("DescribePipeline");
    assert_eq!(described.pipeline_arn.as_deref(), Some(pipeline_arn.as_str()));
    assert_eq!(described.role_arn.as_deref(), Some(ROLE));
    let listed = client
        .list_pipelines(&ListPipelinesRequest::new())
        .expect("ListPipelines");
    assert!(listed
        .pipeline_summaries()
        .iter()
        .any(|p| p.pipeline_arn.as_deref() == Some(pipeline_arn.as_str())));

    let started = client
        .start_pipeline_execution(
            &StartPipelineExecutionRequest::new().with_pipeline_name("slim-e2e"),
        )
        .expect("StartPipelineExecution (the client draws the idempotency token)");
    let execution_arn = started.pipeline_execution_arn.expect("an execution ARN");
    let execution = client
        .describe_pipeline_execution(
            &DescribePipelineExecutionRequest::new().with_pipeline_execution_arn(&execution_arn),
        )
        .expect("DescribePipelineExecution");
    assert_eq!(execution.pipeline_execution_arn.as_deref(), Some(execution_arn.as_str()));
    assert!(matches!(
        execution.pipeline_execution_status,
        Some(PipelineExecutionStatus::Executing | PipelineExecutionStatus::Succeeded)
    ));
    let executions = client
        .list_pipeline_executions(
            &ListPipelineExecutionsRequest::new().with_pipeline_name("slim-e2e"),
        )
        .expect("ListPipelineExecutions");
    assert_eq!(executions.pipeline_execution_summaries().len(), 1);

    // moto does not implement StopPipelineExecution: it answers 500 with an
    // HTML page, which is retried, then surfaces with the page kept.
    let err = client
        .stop_pipeline_execution(
            &StopPipelineExecutionRequest::new().with_pipeline_execution_arn(&execution_arn),
        )
        .unwrap_err();
    let raw = err.raw_response().expect("a service error keeps the response");
    assert_eq!(raw.status, 500);
    assert!(raw.body_text().contains("Internal Server Error"), "{}", raw.body_text());

    client
        .delete_pipeline(&DeletePipelineRequest::new().with_pipeline_name("slim-e2e"))
        .expect("DeletePipeline");
    let after = client
        .list_pipelines(&ListPipelinesRequest::new())
        .expect("ListPipelines");
    // Other tests run beside this one on the same server: look for ours only.
    assert!(!after
        .pipeline_summaries()
        .iter()
        .any(|p| p.pipeline_arn.as_deref() == Some(pipeline_arn.as_str())));
}

#[test]
fn dms_replication_tasks_through_the_client() {
    let client = DmsClient::new(config(&secret()));
    let created = client
        .create_replication_task(
            &CreateReplicationTaskMessage::new()
                .with_replication_task_identifier("slim-task")
                .with_source_endpoint_arn("arn:aws:dms:us-east-1:123456789012:endpoint:SOURCE")
                .with_target_endpoint_arn("arn:aws:dms:us-east-1:123456789012:endpoint:TARGET")
                .with_replication_instance_arn("arn:aws:dms:us-east-1:123456789012:rep:INSTANCE")
                .with_migration_type(MigrationTypeValue::FullLoad)
                .with_table_mappings(r#"{"rules":[]}"#),
        )
        .expect("CreateReplicationTask");
    let task = created.replication_task.expect("a task");
    let arn = task.replication_task_arn.clone().expect("a task ARN");
    assert_eq!(task.migration_type, Some(MigrationTypeValue::FullLoad));

    let started = client
        .start_replication_task(
            &StartReplicationTaskMessage::new()
                .with_replication_task_arn(&arn)
                .with_start_replication_task_type(StartReplicationTaskTypeValue::StartReplication),
        )
        .expect("StartReplicationTask");
    assert_eq!(
        started.replication_task.and_then(|t| t.status).as_deref(),
        Some("running")
    );
    let stopped = client
        .stop_replication_task(&StopReplicationTaskMessage::new().with_replication_task_arn(&arn))
        .expect("StopReplicationTask");
    assert_eq!(
        stopped.replication_task.and_then(|t| t.status).as_deref(),
        Some("stopped")
    );
    let described = client
        .describe_replication_tasks(&DescribeReplicationTasksMessage::new())
        .expect("DescribeReplicationTasks");
    assert!(described
        .replication_tasks()
        .iter()
        .any(|t| t.replication_task_arn.as_deref() == Some(arn.as_str())));

    // StopReplication (DMS Serverless) is not in moto: a 500, body kept.
    let err = client
        .stop_replication(
            &StopReplicationMessage::new()
                .with_replication_config_arn("arn:aws:dms:us-east-1:123456789012:replication-config:X"),
        )
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status), Some(500));

    client
        .delete_replication_task(&DeleteReplicationTaskMessage::new().with_replication_task_arn(&arn))
        .expect("DeleteReplicationTask");
}

#[test]
fn the_async_client_against_moto() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = aws_e2e::sagemaker::client::AsyncClient::new(config(&secret()));
    rt.block_on(async {
        let created = client
            .create_pipeline(
                &CreatePipelineRequest::new()
                    .with_pipeline_name("slim-async")
                    .with_pipeline_definition(DEFINITION)
                    .with_role_arn(ROLE),
            )
            .await
            .expect("CreatePipeline");
        assert!(created.pipeline_arn.is_some_and(|a| a.ends_with(":pipeline/slim-async")));
        let started = client
            .start_pipeline_execution(
                &StartPipelineExecutionRequest::new().with_pipeline_name("slim-async"),
            )
            .await
            .expect("StartPipelineExecution");
        let arn = started.pipeline_execution_arn.expect("an execution ARN");
        let execution = client
            .describe_pipeline_execution(
                &DescribePipelineExecutionRequest::new().with_pipeline_execution_arn(&arn),
            )
            .await
            .expect("DescribePipelineExecution");
        assert_eq!(execution.pipeline_execution_arn.as_deref(), Some(arn.as_str()));
        let err = client
            .stop_pipeline_execution(
                &StopPipelineExecutionRequest::new().with_pipeline_execution_arn(&arn),
            )
            .await
            .unwrap_err();
        assert_eq!(err.raw_response().map(|r| r.status), Some(500));
        client
            .delete_pipeline(&DeletePipelineRequest::new().with_pipeline_name("slim-async"))
            .await
            .expect("DeletePipeline");
    });
    let bad = aws_e2e::dms::client::AsyncClient::new(config("wrong"));
    let err = rt
        .block_on(bad.describe_replication_tasks(&DescribeReplicationTasksMessage::new()))
        .unwrap_err();
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
}

#[test]
fn a_wrong_secret_is_refused_with_its_code_and_request_id() {
    let client = SageMakerClient::new(config("not-the-secret"));
    let err = client
        .list_pipelines(&ListPipelinesRequest::new())
        .unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err}");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err}");
    assert_eq!(err.raw_response().map(|r| r.status), Some(403));
}
