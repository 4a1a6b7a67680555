//! The blocking client against a scripted loopback server: retries and
//! their limits, backoff bounds (with a recording clock, so nothing
//! sleeps), the retry quota, timeouts, broken connections, what an error
//! keeps for debugging, and bad configuration.

mod fault_server;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use aws_slim::dms::client::Client as DmsClient;
use aws_slim::dms::{StopReplicationError, StopReplicationMessage};
use aws_slim::runtime::client::retry::RetryConfig;
use aws_slim::runtime::client::{
    CallOptions, Clock, Config, Credentials, SdkError, Timeouts, TransportErrorKind,
};
use aws_slim::sagemaker::client::Client as SageMakerClient;
use aws_slim::sagemaker::{StopPipelineExecution, StopPipelineExecutionRequest};
use fault_server::{Action, FaultServer};

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:FAULTS";
const SM_ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e";

/// A clock that records the backoff sleeps instead of sleeping.
#[derive(Clone, Debug, Default)]
struct RecordingClock {
    sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn sleep(&self, d: Duration) {
        self.sleeps.lock().unwrap().push(d);
    }
}

fn config(url: &str, clock: &RecordingClock) -> aws_slim::runtime::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDFAULTS", "fault-secret"))
        .endpoint_url(url)
        .clock(clock.clone())
        .timeouts(Timeouts {
            connect: Duration::from_secs(2),
            attempt: Duration::from_secs(5),
            call: Some(Duration::from_secs(30)),
        })
}

fn dms(url: &str, clock: &RecordingClock) -> DmsClient {
    DmsClient::new(config(url, clock).build().expect("a valid config"))
}

fn stop_replication() -> StopReplicationMessage {
    StopReplicationMessage::new().with_replication_config_arn(DMS_ARN)
}

const OK_DMS: &str = r#"{"Replication":{"Status":"stopping"}}"#;

#[test]
fn transient_errors_are_retried_with_one_token_and_fresh_signatures() {
    let server = FaultServer::start(vec![
        Action::error(500, "InternalFailure", "boom"),
        Action::error(503, "ServiceUnavailable", "later"),
        Action::json(200, r#"{"PipelineExecutionArn":"arn:done"}"#),
    ]);
    let clock = RecordingClock::default();
    let client = SageMakerClient::new(config(&server.url, &clock).build().unwrap());
    let before = client.inner().retry_quota().available();
    let out = client
        .stop_pipeline_execution(
            &StopPipelineExecutionRequest::new().with_pipeline_execution_arn(SM_ARN),
        )
        .expect("the third attempt succeeds");
    assert_eq!(out.pipeline_execution_arn.as_deref(), Some("arn:done"));
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    // One idempotency token for the whole call, drawn by the client.
    let tokens: Vec<String> = seen
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body["ClientRequestToken"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(
        tokens.iter().all(|t| t == &tokens[0] && t.len() == 36),
        "{tokens:?}"
    );
    // One invocation id, attempt counters, a signature per attempt.
    let ids: Vec<&str> = seen
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").unwrap())
        .collect();
    assert!(ids.iter().all(|i| *i == ids[0]));
    for (i, r) in seen.iter().enumerate() {
        assert_eq!(
            r.header("amz-sdk-request"),
            Some(format!("attempt={}; max=3", i + 1).as_str())
        );
        let auth = r.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDFAULTS/"),
            "{auth}"
        );
        assert!(auth.contains("/us-east-1/sagemaker/aws4_request"), "{auth}");
        assert!(r.header("x-amz-date").is_some());
        assert!(r.header("user-agent").unwrap().starts_with("aws-slim/"));
        assert_eq!(
            r.header("x-amz-target"),
            Some("SageMaker.StopPipelineExecution")
        );
    }
    // Two backoffs within the full-jitter bounds: [0, 1 s) then [0, 2 s).
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2);
    assert!(
        sleeps[0] < Duration::from_secs(1) && sleeps[1] < Duration::from_secs(2),
        "{sleeps:?}"
    );
    // The retries' cost came back with the success.
    assert_eq!(client.inner().retry_quota().available(), before);
}

#[test]
fn throttling_on_a_400_is_retried_and_modeled_errors_are_not() {
    let server = FaultServer::start(vec![
        Action::error(400, "ThrottlingException", "slow down"),
        Action::error(400, "ResourceNotFoundFault", "no such config"),
    ]);
    let clock = RecordingClock::default();
    let client = dms(&server.url, &clock);
    let err = client.stop_replication(&stop_replication()).unwrap_err();
    assert_eq!(
        server.requests().len(),
        2,
        "throttled once, then a modeled error"
    );
    assert!(matches!(
        err.service_error(),
        Some(StopReplicationError::ResourceNotFoundFault(_))
    ));
    assert_eq!(err.code(), Some("ResourceNotFoundFault"));
    assert_eq!(err.request_id(), Some("req-400"));
    assert_eq!(err.raw_response().map(|r| r.status), Some(400));
    assert!(err.to_string().contains("no such config"), "{err}");
}

#[test]
fn attempts_stop_at_the_maximum_and_the_last_error_is_kept() {
    let server = FaultServer::start(vec![
        Action::error(500, "InternalFailure", "1"),
        Action::error(500, "InternalFailure", "2"),
        Action::error(500, "InternalFailure", "3"),
        Action::json(200, OK_DMS),
    ]);
    let clock = RecordingClock::default();
    let client = dms(&server.url, &clock);
    let err = client.stop_replication(&stop_replication()).unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(err.service_error().and_then(|e| e.message()), Some("3"));
    assert_eq!(clock.sleeps.lock().unwrap().len(), 2);
    // Two retries at 5 tokens each, not refunded by a failure.
    assert_eq!(client.inner().retry_quota().available(), 490);
}

#[test]
fn the_quota_drains_and_stops_retries_then_refills() {
    let server = FaultServer::start(vec![
        Action::error(503, "ServiceUnavailable", "a"),
        Action::error(503, "ServiceUnavailable", "b"),
        Action::error(503, "ServiceUnavailable", "c"),
        Action::json(200, OK_DMS),
        Action::json(200, OK_DMS),
    ]);
    let clock = RecordingClock::default();
    let retry = RetryConfig {
        quota: 5,
        ..RetryConfig::STANDARD
    };
    let client = DmsClient::new(config(&server.url, &clock).retry(retry).build().unwrap());
    // First call: one retry takes the whole quota; the second failure is final.
    assert!(client.stop_replication(&stop_replication()).is_err());
    assert_eq!(server.requests().len(), 2);
    assert_eq!(client.inner().retry_quota().available(), 0);
    // Second call: no quota, no retry.
    assert!(client.stop_replication(&stop_replication()).is_err());
    assert_eq!(server.requests().len(), 3);
    // A first-attempt success gives a token back.
    client
        .stop_replication(&stop_replication())
        .expect("succeeds");
    assert_eq!(client.inner().retry_quota().available(), 1);
}

#[test]
fn a_slow_response_past_the_attempt_timeout_is_a_timeout() {
    let server = FaultServer::start(vec![
        Action::Slow(
            Duration::from_millis(1500),
            Box::new(Action::json(200, OK_DMS)),
        ),
        Action::Slow(
            Duration::from_millis(1500),
            Box::new(Action::json(200, OK_DMS)),
        ),
    ]);
    let clock = RecordingClock::default();
    let retry = RetryConfig {
        max_attempts: 2,
        ..RetryConfig::STANDARD
    };
    let client = DmsClient::new(
        config(&server.url, &clock)
            .retry(retry)
            .timeouts(Timeouts {
                connect: Duration::from_secs(1),
                attempt: Duration::from_millis(300),
                call: None,
            })
            .build()
            .unwrap(),
    );
    let started = Instant::now();
    let err = client.stop_replication(&stop_replication()).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    match err {
        SdkError::Timeout { attempts, source } => {
            assert_eq!(attempts, 2);
            assert_eq!(source.kind, TransportErrorKind::Timeout);
        }
        other => panic!("expected a timeout, got {other}"),
    }
    // A retry after a timeout costs 10.
    assert_eq!(client.inner().retry_quota().available(), 490);
}

#[test]
fn the_call_deadline_ends_the_call() {
    let server = FaultServer::start(vec![Action::Slow(
        Duration::from_millis(2000),
        Box::new(Action::json(200, OK_DMS)),
    )]);
    let clock = RecordingClock::default();
    let client = dms(&server.url, &clock);
    let started = Instant::now();
    let options = CallOptions {
        deadline: Some(Instant::now() + Duration::from_millis(400)),
        ..CallOptions::default()
    };
    let err = client
        .call_with::<aws_slim::dms::StopReplication>(&stop_replication(), &options)
        .unwrap_err();
    assert!(matches!(err, SdkError::Timeout { .. }), "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn broken_connections_are_retried() {
    let server = FaultServer::start(vec![
        Action::Reset,
        Action::Truncated {
            status: 200,
            announced: 100,
            body: b"{\"Replication\":".to_vec(),
        },
        Action::json(200, OK_DMS),
    ]);
    let clock = RecordingClock::default();
    let client = dms(&server.url, &clock);
    let out = client
        .stop_replication(&stop_replication())
        .expect("the third attempt works");
    assert_eq!(
        out.replication.and_then(|r| r.status).as_deref(),
        Some("stopping")
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn connection_refused_is_a_transport_error_after_every_attempt() {
    // Bind and drop: nothing listens on the port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = RecordingClock::default();
    let client = dms(&format!("http://127.0.0.1:{port}"), &clock);
    match client.stop_replication(&stop_replication()).unwrap_err() {
        SdkError::Transport { attempts, source } => {
            assert_eq!(attempts, 3);
            assert_eq!(source.kind, TransportErrorKind::Connect, "{source}");
        }
        other => panic!("expected a transport error, got {other}"),
    }
    assert_eq!(clock.sleeps.lock().unwrap().len(), 2);
}

#[test]
fn a_non_json_error_page_is_kept_bounded() {
    let page = format!("<html><body>{}</body></html>", "Bad Gateway ".repeat(1000));
    let server = FaultServer::start(vec![Action::Respond {
        status: 502,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: page.as_bytes().to_vec(),
    }]);
    let clock = RecordingClock::default();
    let retry = RetryConfig::disabled();
    let client = DmsClient::new(config(&server.url, &clock).retry(retry).build().unwrap());
    let err = client.stop_replication(&stop_replication()).unwrap_err();
    let raw = err.raw_response().expect("the response is kept");
    assert_eq!(raw.status, 502);
    assert!(raw.body_text().starts_with("<html><body>Bad Gateway"));
    assert_eq!(raw.body.len(), aws_slim::runtime::client::MAX_KEPT_BODY);
    assert!(raw.body_truncated);
    assert!(matches!(
        err.service_error(),
        Some(StopReplicationError::Unhandled(_))
    ));
}

#[test]
fn clock_skew_is_corrected_from_the_date_header_and_retried_once() {
    // The server's clock three hours behind ours.
    let server_now =
        aws_slim::runtime::DateTime::from(SystemTime::now() - Duration::from_secs(3 * 3600));
    let date = server_now.fmt_http_date();
    let expected = server_now.fmt_date_time().replace(['-', ':'], "");
    let server = FaultServer::start(vec![
        Action::Respond {
            status: 400,
            headers: vec![("Date".into(), date)],
            body: br#"{"__type":"InvalidSignatureException","message":"Signature expired"}"#
                .to_vec(),
        },
        Action::json(200, OK_DMS),
    ]);
    let clock = RecordingClock::default();
    let client = dms(&server.url, &clock);
    client
        .stop_replication(&stop_replication())
        .expect("the corrected attempt works");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].header("x-amz-date").unwrap().starts_with("20"));
    // Signed with the server's time (within the seconds the call takes).
    let signed = seen[1].header("x-amz-date").unwrap();
    let as_rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &signed[..4],
        &signed[4..6],
        &signed[6..8],
        &signed[9..11],
        &signed[11..13],
        &signed[13..15]
    );
    let signed_at = aws_slim::runtime::time::parse_date_time(&as_rfc3339).unwrap();
    assert!(
        (signed_at.secs() - server_now.secs()).abs() < 60,
        "{signed} against the server's {expected}"
    );
    // No backoff and no quota for the skew retry.
    assert!(clock.sleeps.lock().unwrap().is_empty());
    assert_eq!(client.inner().retry_quota().available(), 500);
}

#[test]
fn bad_input_is_an_error_naming_what_is_wrong() {
    let creds = || Credentials::new("AKID", "secret");
    let err = Config::builder()
        .region("us east 1")
        .credentials(creds())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("us east 1"), "{err}");
    let err = Config::builder()
        .region("us-east-1")
        .credentials(creds())
        .endpoint_url("dms.us-east-1.amazonaws.com")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no scheme"), "{err}");
    let err = Config::builder()
        .region("us-east-1")
        .credentials(creds())
        .app_name("line\nbreak")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("app name"), "{err}");
    // Empty credentials: a credentials error, before anything is sent.
    let server = FaultServer::start(vec![Action::json(200, OK_DMS)]);
    let client = DmsClient::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("", "secret"))
            .endpoint_url(&server.url)
            .build()
            .unwrap(),
    );
    let err = client.stop_replication(&stop_replication()).unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)), "{err}");
    // A missing required member: a build error, before anything is sent.
    let err = client
        .stop_replication(&StopReplicationMessage::new())
        .unwrap_err();
    assert!(matches!(err, SdkError::Build(_)), "{err}");
    assert!(err.to_string().contains("ReplicationConfigArn"), "{err}");
    assert!(server.requests().is_empty());
    // The operation types are usable generically too.
    let _ = StopPipelineExecution::TARGET;
}

#[test]
fn a_signature_error_from_a_correct_clock_is_not_retried() {
    let now = aws_slim::runtime::DateTime::from(SystemTime::now()).fmt_http_date();
    let server = FaultServer::start(vec![
        Action::Respond {
            status: 403,
            headers: vec![
                ("Date".into(), now),
                ("x-amzn-RequestId".into(), "req-403".into()),
            ],
            body: b"<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>wrong secret</Message></Error></Errors></ErrorResponse>".to_vec(),
        },
        Action::json(200, OK_DMS),
    ]);
    let clock = RecordingClock::default();
    let client = dms(&server.url, &clock);
    let err = client.stop_replication(&stop_replication()).unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(err.request_id(), Some("req-403"));
    assert_eq!(
        err.service_error().and_then(|e| e.message()),
        Some("wrong secret")
    );
}
