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
    Filter, MigrationTypeValue, StartReplicationTaskMessage, StartReplicationTaskTypeValue,
    StopReplicationMessage, StopReplicationTaskMessage,
};
use aws_e2e::runtime::client::credentials::{
    DefaultCredentialsChain, Env, ProfileProvider, ProviderConfig,
};
use aws_e2e::runtime::client::retry::RetryConfig;
use aws_e2e::runtime::client::{Config, Credentials, ProvideCredentials, SdkError};
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
    assert!(
        pipeline_arn.contains(":pipeline/slim-e2e"),
        "{pipeline_arn}"
    );

    let described = client
        .describe_pipeline(&DescribePipelineRequest::new().with_pipeline_name("slim-e2e"))
        .expect("DescribePipeline");
    assert_eq!(
        described.pipeline_arn.as_deref(),
        Some(pipeline_arn.as_str())
    );
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
    assert_eq!(
        execution.pipeline_execution_arn.as_deref(),
        Some(execution_arn.as_str())
    );
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
    let raw = err
        .raw_response()
        .expect("a service error keeps the response");
    assert_eq!(raw.status, 500);
    assert!(
        raw.body_text().contains("Internal Server Error"),
        "{}",
        raw.body_text()
    );

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
    // The model's ReplicationTaskStopped waiter (allStringEquals over
    // `ReplicationTasks[].Status`), on this task only.
    let this_task = DescribeReplicationTasksMessage::new()
        .with_filters(vec![Filter::new("replication-task-arn", vec![arn.clone()])]);
    let waited = client
        .wait_until_replication_task_stopped(&this_task, Duration::from_secs(30))
        .expect("the task is stopped")
        .output()
        .expect("the final output");
    assert_eq!(waited.replication_tasks().len(), 1);
    let described = client
        .describe_replication_tasks(&DescribeReplicationTasksMessage::new())
        .expect("DescribeReplicationTasks");
    assert!(described
        .replication_tasks()
        .iter()
        .any(|t| t.replication_task_arn.as_deref() == Some(arn.as_str())));

    // StopReplication (DMS Serverless) is not in moto: a 500, body kept.
    let err =
        client
            .stop_replication(&StopReplicationMessage::new().with_replication_config_arn(
                "arn:aws:dms:us-east-1:123456789012:replication-config:X",
            ))
            .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status), Some(500));

    client
        .delete_replication_task(
            &DeleteReplicationTaskMessage::new().with_replication_task_arn(&arn),
        )
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
        assert!(created
            .pipeline_arn
            .is_some_and(|a| a.ends_with(":pipeline/slim-async")));
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
        assert_eq!(
            execution.pipeline_execution_arn.as_deref(),
            Some(arn.as_str())
        );
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

/// A directory under the system temp dir, removed when dropped.
struct TempHome(std::path::PathBuf);

impl TempHome {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("aws-e2e-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        TempHome(dir)
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn provider_env(home: &TempHome, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("HOME".to_string(), home.0.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
        ("AWS_ENDPOINT_URL_STS".to_string(), env("E2E_ENDPOINT")),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

#[test]
fn assume_role_from_a_profile_through_moto_sts() {
    let home = TempHome::new("assume-role");
    std::fs::write(
        home.0.join(".aws/credentials"),
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            env("E2E_ACCESS_KEY_ID"),
            secret()
        ),
    )
    .unwrap();
    std::fs::write(
        home.0.join(".aws/config"),
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n\
         role_session_name = slim-e2e\nregion = us-east-1\n",
    )
    .unwrap();
    let creds = ProfileProvider::new(ProviderConfig::new(provider_env(
        &home,
        &[("AWS_PROFILE", "deploy")],
    )))
    .provide_credentials()
    .expect("AssumeRole through moto (signed with the base profile's key)");
    assert_ne!(creds.access_key_id(), env("E2E_ACCESS_KEY_ID"));
    assert!(creds.session_token().is_some_and(|t| !t.is_empty()));
    assert!(creds
        .expiry()
        .is_some_and(|e| e > std::time::SystemTime::now()));

    // The same chain with a wrong base secret: STS refuses the signature.
    std::fs::write(
        home.0.join(".aws/credentials"),
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = wrong-secret\n",
            env("E2E_ACCESS_KEY_ID")
        ),
    )
    .unwrap();
    let err = DefaultCredentialsChain::new(ProviderConfig::new(provider_env(
        &home,
        &[("AWS_PROFILE", "deploy")],
    )))
    .provide_credentials()
    .expect_err("a bad signature is refused");
    assert!(
        err.message()
            .contains("profile `deploy`: STS AssumeRole: HTTP 403"),
        "{err}"
    );
    assert!(!err.to_string().contains("wrong-secret"), "{err}");
}

#[test]
fn web_identity_from_the_environment_through_moto_sts() {
    let home = TempHome::new("web-identity");
    let token = home.0.join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.e2e.signature\n").unwrap();
    let token = token.display().to_string();
    // A moto without request authentication: see `start_moto` in xtask/src/e2e.rs.
    let sts = env("E2E_UNSIGNED_ENDPOINT");
    let config = ProviderConfig::new(provider_env(
        &home,
        &[
            ("AWS_ENDPOINT_URL_STS", &sts),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
            ("AWS_ROLE_SESSION_NAME", "ci-run"),
        ],
    ));
    let creds = DefaultCredentialsChain::new(config)
        .provide_credentials()
        .expect("AssumeRoleWithWebIdentity through moto");
    assert!(creds.session_token().is_some_and(|t| !t.is_empty()));
    assert!(creds.expiry().is_some());
}

#[test]
fn a_client_from_the_environment_calls_moto() {
    let home = TempHome::new("from-env");
    std::fs::write(
        home.0.join(".aws/credentials"),
        format!(
            "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            env("E2E_ACCESS_KEY_ID"),
            secret()
        ),
    )
    .unwrap();
    std::fs::write(
        home.0.join(".aws/config"),
        "[default]\nregion = us-east-1\n",
    )
    .unwrap();
    let config = Config::from_provider_config(ProviderConfig::new(provider_env(&home, &[])))
        .endpoint_url(env("E2E_ENDPOINT"))
        .build()
        .expect("region and credentials from the profile");
    assert_eq!(config.region(), "us-east-1");
    let client = SageMakerClient::new(config);
    client
        .list_pipelines(&ListPipelinesRequest::new())
        .expect("ListPipelines signed with the profile's key");
}

#[test]
fn list_pipelines_page_by_page() {
    let client = SageMakerClient::new(config(&secret()));
    for i in 0..3 {
        client
            .create_pipeline(
                &CreatePipelineRequest::new()
                    .with_pipeline_name(format!("slim-page-{i}"))
                    .with_pipeline_definition(DEFINITION)
                    .with_role_arn(ROLE),
            )
            .expect("CreatePipeline");
    }
    let pages: Vec<_> = client
        .list_pipelines_pages(ListPipelinesRequest::new().with_pipeline_name_prefix("slim-page-"))
        .page_size(1)
        .collect::<Result<_, _>>()
        .expect("every page");
    assert!(pages.len() >= 3, "{} pages of one", pages.len());
    let names: Vec<String> = client
        .list_pipelines_pages(ListPipelinesRequest::new().with_pipeline_name_prefix("slim-page-"))
        .page_size(2)
        .items()
        .map(|p| p.expect("an item").pipeline_name.unwrap_or_default())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["slim-page-0", "slim-page-1", "slim-page-2"]);
    for i in 0..3 {
        let _ = client.delete_pipeline(
            &DeletePipelineRequest::new()
                .with_pipeline_name(format!("slim-page-{i}"))
                .with_client_request_token(format!("delete-slim-page-{i}-token-token-token")),
        );
    }
}

// ------------------------------------------------- awsQuery: STS and SNS

#[test]
fn sts_through_the_generated_query_client() {
    use aws_e2e::sts::client::Client as StsClient;
    use aws_e2e::sts::{AssumeRoleRequest, GetCallerIdentityRequest, GetSessionTokenRequest};
    let client = StsClient::new(config(&secret()));
    let me = client
        .get_caller_identity(&GetCallerIdentityRequest::new())
        .expect("GetCallerIdentity (form-encoded request, XML response)");
    assert!(
        me.account.as_deref().is_some_and(|a| a.len() == 12),
        "{me:?}"
    );
    assert!(
        me.arn.as_deref().is_some_and(|a| a.starts_with("arn:aws:")),
        "{me:?}"
    );

    let assumed = client
        .assume_role(
            &AssumeRoleRequest::new()
                .with_role_arn("arn:aws:iam::123456789012:role/query-e2e")
                .with_role_session_name("slim-query")
                .with_duration_seconds(900),
        )
        .expect("AssumeRole");
    let creds = assumed.credentials.as_ref().expect("credentials");
    assert!(
        creds.access_key_id.starts_with("ASIA"),
        "{:?}",
        creds.access_key_id
    );
    assert!(!creds.session_token.is_empty());
    // A timestamp in the XML (date-time) read as a DateTime in the future.
    assert!(
        creds.expiration.secs()
            > aws_e2e::runtime::DateTime::from(std::time::SystemTime::now()).secs()
    );
    // Debug hides the secret (it is @sensitive).
    assert!(!format!("{creds:?}").contains(&creds.secret_access_key));
    let user = assumed
        .assumed_role_user
        .as_ref()
        .expect("the assumed role user");
    assert!(user.arn.contains("query-e2e/slim-query"), "{user:?}");

    let session = client
        .get_session_token(&GetSessionTokenRequest::new().with_duration_seconds(900))
        .expect("GetSessionToken");
    assert!(session.credentials.is_some());

    // A required member left unset never leaves the client.
    let err = client.assume_role(&AssumeRoleRequest::new()).unwrap_err();
    assert!(matches!(err, SdkError::Build(_)), "{err:?}");
    // A wrong secret: STS's XML error document, code and request id.
    let wrong = StsClient::new(config("wrong-secret"));
    let err = wrong
        .get_caller_identity(&GetCallerIdentityRequest::new())
        .unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status), Some(403), "{err}");
    assert!(err.code().is_some_and(|c| c.contains("Signature")), "{err}");
}

#[test]
fn sns_topics_through_the_generated_query_client() {
    use aws_e2e::sns::client::Client as SnsClient;
    use aws_e2e::sns::{
        CreateTopicInput, DeleteTopicInput, GetTopicAttributesError, GetTopicAttributesInput,
        ListTopicsInput, PublishInput, SetTopicAttributesInput,
    };
    let client = SnsClient::new(config(&secret()));
    let created = client
        .create_topic(
            &CreateTopicInput::new()
                .with_name("slim-query-e2e")
                .with_attributes(std::collections::BTreeMap::from([(
                    "DisplayName".to_owned(),
                    "Slim & <query>".to_owned(),
                )])),
        )
        .expect("CreateTopic (a map in the form body)");
    let arn = created.topic_arn.clone().expect("a topic ARN");
    assert!(arn.ends_with(":slim-query-e2e"), "{arn}");

    // Pages of ListTopics through the paginator (NextToken in XML).
    let topics: Vec<String> = client
        .list_topics_pages(ListTopicsInput::new())
        .map(|page| page.expect("a page"))
        .flat_map(|page| page.topics.unwrap_or_default())
        .filter_map(|t| t.topic_arn)
        .collect();
    assert!(topics.contains(&arn), "{topics:?}");

    client
        .set_topic_attributes(
            &SetTopicAttributesInput::new()
                .with_topic_arn(&arn)
                .with_attribute_name("DisplayName")
                .with_attribute_value("renamed"),
        )
        .expect("SetTopicAttributes");
    let attributes = client
        .get_topic_attributes(&GetTopicAttributesInput::new().with_topic_arn(&arn))
        .expect("GetTopicAttributes (an XML map back)");
    let map = attributes.attributes.unwrap_or_default();
    assert_eq!(map.get("TopicArn"), Some(&arn), "{map:?}");
    assert_eq!(map.get("DisplayName").map(String::as_str), Some("renamed"));

    let published = client
        .publish(
            &PublishInput::new()
                .with_topic_arn(&arn)
                .with_message("hello from a generated awsQuery client: ü & <xml>"),
        )
        .expect("Publish");
    assert!(published.message_id.is_some_and(|id| !id.is_empty()));

    client
        .delete_topic(&DeleteTopicInput::new().with_topic_arn(&arn))
        .expect("DeleteTopic");
    // The topic is gone: a modeled error, by its awsQueryError code.
    let err = client
        .get_topic_attributes(&GetTopicAttributesInput::new().with_topic_arn(&arn))
        .unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(GetTopicAttributesError::NotFoundException(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("NotFound"));
    assert!(err.request_id().is_some(), "{err:?}");
}

/// The Lambda flow on one moto. With `signed`, moto checks signatures,
/// which it gets wrong for Lambda requests without a body and for labels
/// it must decode (botocore's own `GetFunction` and `TagResource` fail
/// there too, moto 5.2.1), so that run stops after `CreateFunction`.
fn lambda_flow(client: &aws_e2e::lambda::client::Client, role: &str, name: &str, signed: bool) {
    use aws_e2e::lambda::{
        CreateFunctionRequest, DeleteFunctionRequest, FunctionCode, GetFunctionError,
        GetFunctionRequest, ListFunctionsRequest, ListTagsRequest, Runtime, TagResourceRequest,
        UntagResourceRequest,
    };
    use aws_e2e::runtime::Blob;
    // The smallest valid zip archive: an empty end-of-central-directory record.
    let mut zip = b"PK\x05\x06".to_vec();
    zip.resize(22, 0);
    let created = client
        .create_function(
            &CreateFunctionRequest::new()
                .with_function_name(name)
                .with_runtime(Runtime::from("python3.12"))
                .with_role(role)
                .with_handler("index.handler")
                .with_description("a function: ü & \"quotes\"")
                .with_code(FunctionCode::new().with_zip_file(Blob::new(zip.clone())))
                .with_tags(std::collections::BTreeMap::from([(
                    "team".to_owned(),
                    "slim".to_owned(),
                )])),
        )
        .expect("CreateFunction (POST, a JSON body with a blob)");
    let arn = created.function_arn.clone().expect("a function ARN");
    assert!(arn.ends_with(&format!(":function:{name}")), "{arn}");
    assert_eq!(created.code_size, 22, "{created:?}");
    assert_eq!(
        created.description.as_deref(),
        Some("a function: ü & \"quotes\"")
    );
    if signed {
        return;
    }

    // GET with a label.
    let got = client
        .get_function(&GetFunctionRequest::new().with_function_name(name))
        .expect("GetFunction (GET /2015-03-31/functions/{FunctionName})");
    let configuration = got.configuration.expect("the configuration");
    assert_eq!(configuration.function_name.as_deref(), Some(name));
    assert_eq!(configuration.runtime, Some(Runtime::from("python3.12")));

    // GET with query parameters.
    let listed = client
        .list_functions(&ListFunctionsRequest::new().with_max_items(50))
        .expect("ListFunctions (GET with ?MaxItems=50)");
    let names: Vec<String> = listed
        .functions
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.function_name)
        .collect();
    assert!(names.iter().any(|n| n == name), "{names:?}");

    // A label holding an ARN (percent-encoded `:`), a map body, a list in the query.
    client
        .tag_resource(&TagResourceRequest::new().with_resource(&arn).with_tags(
            std::collections::BTreeMap::from([
                ("stage".to_owned(), "e2e".to_owned()),
                ("owner".to_owned(), "a b/c".to_owned()),
            ]),
        ))
        .expect("TagResource (POST /2017-03-31/tags/{ARN})");
    let tags = client
        .list_tags(&ListTagsRequest::new().with_resource(&arn))
        .expect("ListTags")
        .tags
        .unwrap_or_default();
    assert_eq!(
        tags.get("stage").map(String::as_str),
        Some("e2e"),
        "{tags:?}"
    );
    assert_eq!(
        tags.get("owner").map(String::as_str),
        Some("a b/c"),
        "{tags:?}"
    );
    assert_eq!(
        tags.get("team").map(String::as_str),
        Some("slim"),
        "{tags:?}"
    );
    client
        .untag_resource(
            &UntagResourceRequest::new()
                .with_resource(&arn)
                .with_tag_keys(vec!["stage".to_owned(), "owner".to_owned()]),
        )
        .expect("UntagResource (DELETE with ?tagKeys=..&tagKeys=..)");
    let tags = client
        .list_tags(&ListTagsRequest::new().with_resource(&arn))
        .expect("ListTags")
        .tags
        .unwrap_or_default();
    assert_eq!(tags.keys().collect::<Vec<_>>(), ["team"], "{tags:?}");

    client
        .delete_function(&DeleteFunctionRequest::new().with_function_name(name))
        .expect("DeleteFunction (DELETE, a 204 without a body)");
    // The function is gone: a modeled error, its code from the response.
    let err = client
        .get_function(&GetFunctionRequest::new().with_function_name(name))
        .unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(GetFunctionError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.raw_response().map(|r| r.status), Some(404), "{err}");
}

#[test]
fn lambda_functions_through_the_generated_rest_json_client() {
    use aws_e2e::lambda::client::Client as LambdaClient;
    let signed = LambdaClient::new(config(&secret()));
    lambda_flow(
        &signed,
        &env("E2E_LAMBDA_ROLE"),
        "slim-rest-e2e-signed",
        true,
    );
    // A name that needs no escaping; the ARN in the tag calls does (`:`).
    let unsigned = LambdaClient::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "unchecked"))
            .endpoint_url(env("E2E_UNSIGNED_ENDPOINT"))
            .build()
            .expect("a valid configuration"),
    );
    lambda_flow(
        &unsigned,
        &env("E2E_UNSIGNED_LAMBDA_ROLE"),
        "slim-rest-e2e",
        false,
    );
}

#[test]
fn s3_objects_through_the_generated_rest_xml_client() {
    use aws_e2e::runtime::Blob;
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::{
        ChecksumAlgorithm, CreateBucketRequest, Delete, DeleteBucketRequest, DeleteObjectRequest,
        DeleteObjectsRequest, GetObjectError, GetObjectRequest, ListObjectsV2Request,
        ObjectIdentifier, PutObjectRequest,
    };
    // Signatures checked: S3's endpoints disable double encoding, which
    // signs the path as sent, with an `x-amz-content-sha256` header. The IP
    // endpoint makes the rule set address buckets path-style, so the bucket
    // goes into the endpoint's path.
    let client = S3Client::new(config(&secret()));
    let bucket = "slim-xml-e2e";
    client
        .create_bucket(&CreateBucketRequest::new().with_bucket(bucket))
        .expect("CreateBucket (PUT /{Bucket})");
    // moto 5.2.1 refuses botocore's own signatures for keys with `&` or
    // non-ASCII letters, and for a `/` in a query parameter; those go to
    // the moto without authentication below.
    let key = "dir/a key.txt";
    let body = b"hello from a generated restXml client\n".to_vec();
    let put = client
        .put_object(
            &PutObjectRequest::new()
                .with_bucket(bucket)
                .with_key(key)
                .with_content_type("text/plain")
                .with_metadata(std::collections::BTreeMap::from([(
                    "origin".to_owned(),
                    "slim".to_owned(),
                )]))
                .with_body(Blob::new(body.clone())),
        )
        .expect("PutObject (a blob payload, a prefix-header map)");
    assert!(
        put.e_tag.as_deref().is_some_and(|t| !t.is_empty()),
        "{put:?}"
    );
    // `ContentLength` is bound to the `Content-Length` header: one header,
    // and a value that disagrees with the body is refused before sending.
    // (A request with a streamed body is not `Clone`: its body may be a
    // reader, read once.)
    let sized = || {
        PutObjectRequest::new()
            .with_bucket(bucket)
            .with_key("sized.txt")
            .with_body(Blob::new(body.clone()))
    };
    client
        .put_object(&sized().with_content_length(i64::try_from(body.len()).unwrap()))
        .expect("PutObject with its true Content-Length");
    let err = client
        .put_object(&sized().with_content_length(3))
        .unwrap_err();
    assert!(
        matches!(err, aws_e2e::runtime::client::SdkError::Build(_)),
        "{err}"
    );
    client
        .delete_object(
            &DeleteObjectRequest::new()
                .with_bucket(bucket)
                .with_key("sized.txt"),
        )
        .expect("DeleteObject sized.txt");

    let got = client
        .get_object(&GetObjectRequest::new().with_bucket(bucket).with_key(key))
        .expect("GetObject (a greedy label with `/` and a space)");
    assert_eq!(got.content_type.as_deref(), Some("text/plain"));
    assert_eq!(got.content_length, Some(i64::try_from(body.len()).unwrap()));
    assert_eq!(
        got.metadata
            .as_ref()
            .and_then(|m| m.get("origin"))
            .map(String::as_str),
        Some("slim")
    );
    assert_eq!(got.e_tag, put.e_tag);
    // PutObject sent a CRC32 by default and GetObject asked for it back,
    // so the body below is checked against it as it is read.
    assert!(got.checksum_crc32.is_some(), "{got:?}");
    // The body is read from the connection as the caller reads it.
    assert!(got.body.is_live(), "{:?}", got.body);
    assert_eq!(got.body.collect().expect("the object's bytes"), body);

    let listed = client
        // (A `/` in the prefix fails moto's check of botocore's signature too.)
        .list_objects_v2(
            &ListObjectsV2Request::new()
                .with_bucket(bucket)
                .with_prefix("dir"),
        )
        .expect("ListObjectsV2 (an XML list of structures)");
    let keys: Vec<String> = listed
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(keys, [key]);

    client
        .delete_object(&DeleteObjectRequest::new().with_bucket(bucket).with_key(key))
        .expect("DeleteObject (a 204)");
    let err = client
        .get_object(&GetObjectRequest::new().with_bucket(bucket).with_key(key))
        .unwrap_err();
    assert!(
        matches!(err.service_error(), Some(GetObjectError::NoSuchKey(_))),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("NoSuchKey"));
    assert_eq!(err.raw_response().map(|r| r.status), Some(404), "{err}");

    // Request checksums: PutObject gets CRC32 by default, or the algorithm
    // chosen; DeleteObjects requires one (`requestChecksumRequired`).
    for (name, algorithm) in [
        ("crc32.txt", None),
        ("crc32c.txt", Some(ChecksumAlgorithm::Crc32c)),
    ] {
        let mut put = PutObjectRequest::new()
            .with_bucket(bucket)
            .with_key(name)
            .with_body(Blob::new(name.as_bytes().to_vec()));
        if let Some(a) = algorithm {
            put = put.with_checksum_algorithm(a);
        }
        client
            .put_object(&put)
            .unwrap_or_else(|e| panic!("PutObject {name}: {e}"));
    }
    let deleted = client
        .delete_objects(
            &DeleteObjectsRequest::new()
                .with_bucket(bucket)
                .with_delete(Delete::new(vec![
                    ObjectIdentifier::new("crc32.txt"),
                    ObjectIdentifier::new("crc32c.txt"),
                ])),
        )
        .expect("DeleteObjects (a required checksum)");
    let mut gone: Vec<String> = deleted
        .deleted
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| d.key)
        .collect();
    gone.sort();
    assert_eq!(gone, ["crc32.txt", "crc32c.txt"]);
    client
        .delete_bucket(&DeleteBucketRequest::new().with_bucket(bucket))
        .expect("DeleteBucket");

    // Keys that need more encoding, where moto does not check signatures.
    let unsigned = S3Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "unchecked"))
            .endpoint_url(env("E2E_UNSIGNED_ENDPOINT"))
            .build()
            .expect("a valid configuration"),
    );
    unsigned
        .create_bucket(&CreateBucketRequest::new().with_bucket(bucket))
        .expect("CreateBucket");
    for key in ["a&b=c+d.txt", "ü/ß 100%.txt", "~tilde/(x)!'*.txt"] {
        unsigned
            .put_object(
                &PutObjectRequest::new()
                    .with_bucket(bucket)
                    .with_key(key)
                    .with_body(Blob::new(key.as_bytes().to_vec())),
            )
            .unwrap_or_else(|e| panic!("PutObject {key:?}: {e}"));
        let got = unsigned
            .get_object(&GetObjectRequest::new().with_bucket(bucket).with_key(key))
            .unwrap_or_else(|e| panic!("GetObject {key:?}: {e}"));
        assert_eq!(
            got.body.collect().expect("the object's bytes"),
            key.as_bytes(),
            "{key}"
        );
    }
    let listed = unsigned
        .list_objects_v2(
            &ListObjectsV2Request::new()
                .with_bucket(bucket)
                .with_start_after("a/"),
        )
        .expect("ListObjectsV2");
    let mut keys: Vec<String> = listed
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    keys.sort();
    // `StartAfter=a/` (a `/` in the query): `a&b..` sorts before it.
    assert_eq!(keys, ["~tilde/(x)!'*.txt", "ü/ß 100%.txt"]);
}

/// DynamoDB `Query` and `Scan` through their paginators: map tokens
/// (`ExclusiveStartKey` ← `LastEvaluatedKey`), items that are maps, maps
/// and lists built one entry at a time, a waiter, against moto with
/// signatures checked.
#[test]
fn dynamodb_query_and_scan_page_through_map_tokens() {
    use aws_e2e::dynamodb::client::Client as DynamoClient;
    use aws_e2e::dynamodb::{
        required, AttributeDefinition, AttributeValue, BillingMode, CreateTableInput,
        DeleteTableInput, DescribeTableInput, GetItemInput, KeySchemaElement, KeyType,
        PutItemInput, QueryInput, ScalarAttributeType, ScanInput,
    };
    let client = DynamoClient::new(config(&secret()));
    let table = "slim-e2e-items";
    let key = |name: &str, kind| {
        KeySchemaElement::new(required::KeySchemaElement {
            attribute_name: name.into(),
            key_type: kind,
        })
    };
    client
        .create_table(
            &CreateTableInput::new()
                .with_table_name(table)
                .with_billing_mode(BillingMode::PayPerRequest)
                .with_attribute_definitions_item(AttributeDefinition::new(
                    required::AttributeDefinition {
                        attribute_name: "pk".into(),
                        attribute_type: ScalarAttributeType::S,
                    },
                ))
                .with_attribute_definitions_item(AttributeDefinition::new(
                    required::AttributeDefinition {
                        attribute_name: "sk".into(),
                        attribute_type: ScalarAttributeType::N,
                    },
                ))
                .with_key_schema_item(key("pk", KeyType::Hash))
                .with_key_schema_item(key("sk", KeyType::Range)),
        )
        .expect("CreateTable");
    client
        .wait_until_table_exists(
            &DescribeTableInput::new().with_table_name(table),
            Duration::from_secs(60),
        )
        .expect("the TableExists waiter");
    for (pk, n) in [("a", 23), ("b", 7)] {
        for sk in 0..n {
            client
                .put_item(
                    &PutItemInput::new()
                        .with_table_name(table)
                        .with_item_entry("pk", AttributeValue::S(pk.into()))
                        .with_item_entry("sk", AttributeValue::N(sk.to_string()))
                        .with_item_entry("payload", AttributeValue::S(format!("{pk}-{sk}"))),
                )
                .expect("PutItem");
        }
    }
    let got = client
        .get_item(
            &GetItemInput::new()
                .with_table_name(table)
                .with_key_entry("pk", AttributeValue::S("a".into()))
                .with_key_entry("sk", AttributeValue::N("3".into())),
        )
        .expect("GetItem");
    assert_eq!(
        got.item.as_ref().and_then(|i| i.get("payload")),
        Some(&AttributeValue::S("a-3".into()))
    );
    // Query: 23 items of partition `a`, 10 to a page: 3 pages, each key
    // fed into the next call.
    let query = QueryInput::new()
        .with_table_name(table)
        .with_key_condition_expression("pk = :p")
        .with_expression_attribute_values_entry(":p", AttributeValue::S("a".into()));
    let pages: Vec<_> = client
        .query_pages(query.clone())
        .page_size(10)
        .map(|p| p.expect("a Query page"))
        .collect();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items().len()).collect();
    assert!(sizes.starts_with(&[10, 10, 3]), "{sizes:?}");
    assert!(pages[0].last_evaluated_key.is_some());
    let sks: Vec<i64> = client
        .query_pages(query)
        .page_size(10)
        .items()
        .map(|item| match item.expect("an item").get("sk") {
            Some(AttributeValue::N(n)) => n.parse().unwrap(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        sks,
        (0..23).collect::<Vec<i64>>(),
        "in sort-key order, none twice"
    );
    // Scan: all 30, 7 to a page.
    let scanned = client
        .scan_pages(ScanInput::new().with_table_name(table))
        .page_size(7)
        .items()
        .inspect(|i| assert!(i.is_ok(), "a Scan item: {i:?}"))
        .count();
    assert_eq!(scanned, 30);
    client
        .delete_table(&DeleteTableInput::new().with_table_name(table))
        .expect("DeleteTable");
}

/// S3's HEAD errors have no body: a 404 is `NotFound`, so the four S3
/// waiters behave as boto3's, against moto with signatures checked.
#[test]
fn s3_head_waiters_read_bodiless_404s_as_not_found() {
    use aws_e2e::runtime::client::FinalPoll;
    use aws_e2e::runtime::Blob;
    use aws_e2e::s3::client::Client as S3Client;
    use aws_e2e::s3::{
        CreateBucketRequest, DeleteBucketRequest, DeleteObjectRequest, HeadBucketError,
        HeadBucketRequest, HeadObjectError, HeadObjectRequest, PutObjectRequest,
    };
    let client = S3Client::new(config(&secret()));
    let bucket = "slim-head-e2e";
    let wait = Duration::from_secs(30);
    let head_bucket = HeadBucketRequest::new().with_bucket(bucket);
    let err = client.head_bucket(&head_bucket).unwrap_err();
    assert!(
        matches!(err.service_error(), Some(HeadBucketError::NotFound(_))),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("NotFound"));
    assert_eq!(err.message(), Some("Not Found"));
    let gone = client
        .wait_until_bucket_not_exists(&head_bucket, wait)
        .expect("BucketNotExists on a missing bucket");
    assert!(matches!(gone, FinalPoll::Error(_)));
    client
        .create_bucket(&CreateBucketRequest::new().with_bucket(bucket))
        .expect("CreateBucket");
    client
        .wait_until_bucket_exists(&head_bucket, wait)
        .expect("BucketExists");
    // `us-east-1` is an empty `<LocationConstraint/>`: no value, as
    // botocore reads it.
    let location = client
        .get_bucket_location(&aws_e2e::s3::GetBucketLocationRequest::new().with_bucket(bucket))
        .expect("GetBucketLocation");
    assert_eq!(location.location_constraint, None);
    let head = HeadObjectRequest::new()
        .with_bucket(bucket)
        .with_key("k.txt");
    let err = client.head_object(&head).unwrap_err();
    assert!(
        matches!(err.service_error(), Some(HeadObjectError::NotFound(_))),
        "{err:?}"
    );
    client
        .wait_until_object_not_exists(&head, wait)
        .expect("ObjectNotExists on a missing object");
    client
        .put_object(
            &PutObjectRequest::new()
                .with_bucket(bucket)
                .with_key("k.txt")
                .with_body(Blob::new(b"x".to_vec())),
        )
        .expect("PutObject");
    let found = client
        .wait_until_object_exists(&head, wait)
        .expect("ObjectExists");
    assert!(
        matches!(found, FinalPoll::Output(ref o) if o.content_length == Some(1)),
        "{found:?}"
    );
    client
        .delete_object(
            &DeleteObjectRequest::new()
                .with_bucket(bucket)
                .with_key("k.txt"),
        )
        .expect("DeleteObject");
    client
        .wait_until_object_not_exists(&head, wait)
        .expect("ObjectNotExists after the delete");
    client
        .delete_bucket(&DeleteBucketRequest::new().with_bucket(bucket))
        .expect("DeleteBucket");
    client
        .wait_until_bucket_not_exists(&head_bucket, wait)
        .expect("BucketNotExists after the delete");
}

/// Route 53 ids come back as `/hostedzone/Z1` and `/change/C1`; sent back
/// as they came, they lose the prefix in the label (as the SDKs strip it),
/// so they flow from one call into the next, the waiter included.
#[test]
fn route53_ids_flow_from_one_call_into_the_next() {
    use aws_e2e::route53::client::Client as Route53Client;
    use aws_e2e::route53::{
        required, Change, ChangeAction, ChangeBatch, ChangeResourceRecordSetsRequest,
        CreateHostedZoneRequest, DeleteHostedZoneRequest, GetChangeRequest, GetHostedZoneRequest,
        ListResourceRecordSetsRequest, ResourceRecord, ResourceRecordSet, RrType,
    };
    // moto 5.2.1 refuses botocore's own signatures for Route 53 GETs
    // (botocore's `get_hosted_zone` fails there too): the moto without
    // authentication.
    let client = Route53Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "unchecked"))
            .endpoint_url(env("E2E_UNSIGNED_ENDPOINT"))
            .build()
            .expect("a valid configuration"),
    );
    let created = client
        .create_hosted_zone(
            &CreateHostedZoneRequest::new()
                .with_name("slim-e2e.example.com")
                .with_caller_reference("slim-e2e-1"),
        )
        .expect("CreateHostedZone");
    let zone = created.hosted_zone.id.clone();
    assert!(zone.starts_with("/hostedzone/"), "{zone}");
    let got = client
        .get_hosted_zone(&GetHostedZoneRequest::new().with_id(zone.clone()))
        .expect("GetHostedZone with the id as it came back");
    assert_eq!(got.hosted_zone.id, zone);
    let record = ResourceRecordSet::new(required::ResourceRecordSet {
        name: "www.slim-e2e.example.com".into(),
        r#type: RrType::A,
    })
    .with_ttl(60)
    .with_resource_records_item(ResourceRecord::new("192.0.2.1"));
    let changed = client
        .change_resource_record_sets(
            &ChangeResourceRecordSetsRequest::new()
                .with_hosted_zone_id(zone.clone())
                .with_change_batch(ChangeBatch::new(vec![Change::new(
                    ChangeAction::Create,
                    record.clone(),
                )])),
        )
        .expect("ChangeResourceRecordSets");
    let change = changed.change_info.id.clone();
    assert!(change.starts_with("/change/"), "{change}");
    client
        .get_change(&GetChangeRequest::new().with_id(change.clone()))
        .expect("GetChange with the id as it came back");
    client
        .wait_until_resource_record_sets_changed(
            &GetChangeRequest::new().with_id(change),
            Duration::from_secs(60),
        )
        .expect("the ResourceRecordSetsChanged waiter");
    let listed = client
        .list_resource_record_sets(
            &ListResourceRecordSetsRequest::new().with_hosted_zone_id(zone.clone()),
        )
        .expect("ListResourceRecordSets");
    assert!(
        listed
            .resource_record_sets
            .iter()
            .any(|r| r.name.starts_with("www.slim-e2e")),
        "{listed:?}"
    );
    client
        .change_resource_record_sets(
            &ChangeResourceRecordSetsRequest::new()
                .with_hosted_zone_id(zone.clone())
                .with_change_batch(ChangeBatch::new(vec![Change::new(
                    ChangeAction::Delete,
                    record,
                )])),
        )
        .expect("deleting the record");
    client
        .delete_hosted_zone(&DeleteHostedZoneRequest::new().with_id(zone))
        .expect("DeleteHostedZone");
}
