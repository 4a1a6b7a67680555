//! The async client (hyper on tokio) against the scripted loopback server:
//! retries with one token, the attempt timeout on the tokio timer, a
//! dropped future that leaves no task and no connection behind, and
//! another async HTTP stack plugged in.

mod fault_server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_slim::dms::client::AsyncClient as DmsClient;
use aws_slim::dms::{StopReplicationError, StopReplicationMessage};
use aws_slim::runtime::client::retry::RetryConfig;
use aws_slim::runtime::client::{
    AsyncHttpTransport, AsyncSleep, BoxFuture, Config, Credentials, SdkError, Timeouts,
    TransportError, TransportErrorKind, TransportRequest, TransportResponse,
};
use aws_slim::sagemaker::client::AsyncClient as SageMakerClient;
use aws_slim::sagemaker::StopPipelineExecutionRequest;
use fault_server::{Action, FaultServer};

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:ASYNC";
const OK_DMS: &str = r#"{"Replication":{"Status":"stopping"}}"#;

fn config(url: &str) -> aws_slim::runtime::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDASYNC", "async-secret"))
        .endpoint_url(url)
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(10),
            ..RetryConfig::STANDARD
        })
}

fn input() -> StopReplicationMessage {
    StopReplicationMessage::new().with_replication_config_arn(DMS_ARN)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

#[test]
fn transient_errors_are_retried_with_one_token() {
    let server = FaultServer::start(vec![
        Action::error(503, "ServiceUnavailable", "later"),
        Action::json(200, r#"{"PipelineExecutionArn":"arn:done"}"#),
    ]);
    let client = SageMakerClient::new(config(&server.url).build().unwrap());
    let out = runtime()
        .block_on(client.stop_pipeline_execution(
            &StopPipelineExecutionRequest::new().with_pipeline_execution_arn("arn:e"),
        ))
        .expect("the retry succeeds");
    assert_eq!(out.pipeline_execution_arn.as_deref(), Some("arn:done"));
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    let token = |i: usize| {
        let body: serde_json::Value = serde_json::from_slice(&seen[i].body).unwrap();
        body["ClientRequestToken"].as_str().unwrap().to_string()
    };
    assert_eq!(token(0), token(1));
    assert_eq!(seen[1].header("amz-sdk-request"), Some("attempt=2; max=3"));
    assert!(seen[1]
        .header("authorization")
        .unwrap()
        .contains("/sagemaker/aws4_request"));
    assert_eq!(client.inner().retry_quota().available(), 500);
}

#[test]
fn modeled_errors_come_back_typed() {
    let server = FaultServer::start(vec![Action::error(400, "ResourceNotFoundFault", "gone")]);
    let client = DmsClient::new(config(&server.url).build().unwrap());
    let err = runtime()
        .block_on(client.stop_replication(&input()))
        .unwrap_err();
    assert!(matches!(
        err.service_error(),
        Some(StopReplicationError::ResourceNotFoundFault(_))
    ));
    assert_eq!(err.request_id(), Some("req-400"));
}

#[test]
fn the_attempt_timeout_runs_on_the_tokio_timer() {
    let server = FaultServer::start(vec![
        Action::Slow(
            Duration::from_millis(1500),
            Box::new(Action::json(200, OK_DMS)),
        ),
        Action::json(200, OK_DMS),
    ]);
    let client = DmsClient::new(
        config(&server.url)
            .timeouts(Timeouts {
                connect: Duration::from_secs(1),
                attempt: Duration::from_millis(200),
                call: None,
            })
            .build()
            .unwrap(),
    );
    let out = runtime()
        .block_on(client.stop_replication(&input()))
        .expect("the second attempt answers in time");
    assert!(out.replication.is_some());
    assert_eq!(server.requests().len(), 2);
    assert_eq!(client.inner().retry_quota().available(), 500);
}

#[test]
fn a_dropped_future_leaves_no_task_and_no_connection() {
    let server = FaultServer::start(vec![Action::Hold(Duration::from_secs(10))]);
    let client = DmsClient::new(config(&server.url).build().unwrap());
    let rt = runtime();
    let alive_before = rt.metrics().num_alive_tasks();
    rt.block_on(async {
        // Give up on the call after 300 ms: the future is dropped.
        let message = input();
        let call = client.stop_replication(&message);
        let outcome = tokio::time::timeout(Duration::from_millis(300), call).await;
        assert!(outcome.is_err(), "the server never answers");
    });
    assert_eq!(
        rt.metrics().num_alive_tasks(),
        alive_before,
        "a task outlived the call"
    );
    // The server sees the connection closed right away, not at its own limit.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while server.closed_after().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let closed = server.closed_after();
    assert_eq!(closed.len(), 1, "the connection was not closed");
    assert!(closed[0] < Duration::from_secs(2), "{closed:?}");
}

/// Another async stack: here, one that answers from memory and counts.
#[derive(Debug, Default)]
struct Canned {
    calls: Mutex<u32>,
}

impl AsyncHttpTransport for Canned {
    fn send<'a>(
        &'a self,
        request: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<TransportResponse, TransportError>> {
        Box::pin(async move {
            let n = {
                let mut calls = self.calls.lock().unwrap();
                *calls += 1;
                *calls
            };
            assert!(request.headers.iter().any(|(k, _)| k == "authorization"));
            if n == 1 {
                return Err(TransportError::new(
                    TransportErrorKind::Io,
                    "connection reset",
                ));
            }
            Ok(TransportResponse {
                status: 200,
                headers: Vec::new(),
                body: OK_DMS.as_bytes().to_vec(),
            })
        })
    }
}

/// A timer that records waits and does not wait.
#[derive(Debug, Default, Clone)]
struct NoWait(Arc<Mutex<Vec<Duration>>>);

impl AsyncSleep for NoWait {
    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(d);
        // The attempt timeout is a sleep too: never fire it.
        if d >= Duration::from_secs(1) {
            return Box::pin(std::future::pending());
        }
        Box::pin(async {})
    }
}

#[test]
fn another_async_stack_plugs_in() {
    let timer = NoWait::default();
    let transport = Arc::new(Canned::default());
    #[derive(Debug)]
    struct Shared(Arc<Canned>);
    impl AsyncHttpTransport for Shared {
        fn send<'a>(
            &'a self,
            request: TransportRequest<'a>,
        ) -> BoxFuture<'a, Result<TransportResponse, TransportError>> {
            self.0.send(request)
        }
    }
    let client = DmsClient::with_transport(
        config("https://dms.example").build().unwrap(),
        Shared(transport.clone()),
        timer.clone(),
    );
    let out = runtime()
        .block_on(client.stop_replication(&input()))
        .expect("the retry works");
    assert!(out.replication.is_some());
    assert_eq!(*transport.calls.lock().unwrap(), 2);
    // The backoff went through the injected timer, within [0, 10 ms).
    let waits: Vec<Duration> = timer
        .0
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|d| *d < Duration::from_secs(1))
        .collect();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] < Duration::from_millis(10), "{waits:?}");
}

#[test]
fn connection_refused_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = DmsClient::new(config(&format!("http://127.0.0.1:{port}")).build().unwrap());
    match runtime()
        .block_on(client.stop_replication(&input()))
        .unwrap_err()
    {
        SdkError::Transport { attempts, source } => {
            assert_eq!(attempts, 3);
            assert_eq!(source.kind, TransportErrorKind::Connect);
        }
        other => panic!("expected a transport error, got {other}"),
    }
}

/// A keep-alive server that answers `per_connection` requests on each
/// connection, then closes it; counts the connections it accepted.
fn keep_alive_server(per_connection: usize, max_connections: usize) -> (String, Arc<Mutex<usize>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(Mutex::new(0usize));
    let count = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max_connections).flatten() {
            *count.lock().unwrap() += 1;
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                for _ in 0..per_connection {
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end();
                        if l.is_empty() {
                            break;
                        }
                        if let Some((n, v)) = l.split_once(':') {
                            if n.eq_ignore_ascii_case("content-length") {
                                length = v.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{OK_DMS}",
                        OK_DMS.len()
                    );
                    if writer.write_all(reply.as_bytes()).is_err() {
                        return;
                    }
                }
                // Then the server closes the connection.
            });
        }
    });
    (url, accepted)
}

#[test]
fn connections_are_reused_and_closed_ones_replaced() {
    // Every connection serves many requests: five calls, one connection.
    let (url, accepted) = keep_alive_server(100, 10);
    let client = DmsClient::new(config(&url).build().unwrap());
    let rt = runtime();
    for _ in 0..5 {
        rt.block_on(client.stop_replication(&input()))
            .expect("a call");
    }
    assert_eq!(*accepted.lock().unwrap(), 1);

    // The server closes each connection after two requests: the pooled
    // connection it closed is noticed (or the request it did not take goes
    // again at once on a new connection) and replaced. One attempt per
    // call and a 5 s attempt timeout: a call that waited on a dead
    // connection, or needed a retry, would fail.
    let (url, accepted) = keep_alive_server(2, 10);
    let client = DmsClient::new(
        config(&url)
            .retry(RetryConfig {
                max_attempts: 1,
                ..RetryConfig::STANDARD
            })
            .timeouts(aws_slim::runtime::client::Timeouts {
                attempt: Duration::from_secs(5),
                ..Default::default()
            })
            .build()
            .unwrap(),
    );
    for i in 0..6 {
        rt.block_on(client.stop_replication(&input()))
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
        // Let the server's close reach the client's socket.
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(*accepted.lock().unwrap(), 3);
}
