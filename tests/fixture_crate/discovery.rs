//! Endpoint discovery on the `discovery` fixture (a service with
//! `DescribeEndpoints`, a required-discovery operation, an optional one and
//! one without), through both clients on an in-process scripted transport
//! that records where each request went: nothing leaves the process.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use slim_fixtures::discovery::client::{AsyncClient, Client};
use slim_fixtures::discovery::{AppendRecordInput, PingInput, ReadRecordInput};
use slim_fixtures::runtime::client::{
    AsyncHttpTransport, AsyncSleep, BoxFuture, Clock, Config, ConfigBuilder, Credentials,
    HttpTransport, SdkError, TransportError, TransportRequest, TransportResponse,
};

const REGULAR: &str = "https://ledger.us-east-1.amazonaws.com/";

/// Answers by `X-Amz-Target`: `DescribeEndpoints` with the next scripted
/// address (or an error), every other operation from its own queue.
#[derive(Debug, Default)]
struct Script {
    addresses: Mutex<VecDeque<Result<String, u16>>>,
    answers: Mutex<VecDeque<(u16, String)>>,
    /// `(target, URL)` of every request.
    sent: Mutex<Vec<(String, String)>>,
}

impl Script {
    fn answer(&self, r: &TransportRequest<'_>) -> TransportResponse {
        let target = r
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
            .map(|(_, v)| v.rsplit('.').next().unwrap_or_default().to_string())
            .unwrap_or_default();
        self.sent
            .lock()
            .unwrap()
            .push((target.clone(), r.url.to_string()));
        let (status, body) = if target == "DescribeEndpoints" {
            match self.addresses.lock().unwrap().pop_front() {
                Some(Ok(address)) => (
                    200,
                    format!(r#"{{"Endpoints":[{{"Address":"{address}","CachePeriodInMinutes":10}}]}}"#),
                ),
                Some(Err(status)) => (status, r#"{"__type":"InternalServerError"}"#.to_string()),
                None => (500, r#"{"__type":"NoScript"}"#.to_string()),
            }
        } else {
            self.answers
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or((200, "{}".to_string()))
        };
        TransportResponse {
            status,
            headers: vec![("Content-Type".into(), "application/x-amz-json-1.0".into())],
            body: body.into_bytes(),
        }
    }

    fn sent(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }
}

#[derive(Debug)]
struct Transport(Arc<Script>);

impl HttpTransport for Transport {
    fn send(&self, r: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        Ok(self.0.answer(r))
    }
}

impl AsyncHttpTransport for Transport {
    fn send<'a>(
        &'a self,
        r: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<TransportResponse, TransportError>> {
        Box::pin(async move { Ok(self.0.answer(&r)) })
    }
}

#[derive(Debug)]
struct NoSleep;

impl AsyncSleep for NoSleep {
    fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

#[derive(Debug, Clone)]
struct TestClock(Arc<Mutex<SystemTime>>);

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
    fn sleep(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

fn setup() -> (ConfigBuilder, Arc<Script>, TestClock) {
    let script = Arc::new(Script::default());
    let clock = TestClock(Arc::new(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    )));
    let builder = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKDISCOVERY", "secret"))
        .transport(Transport(script.clone()))
        .clock(clock.clone())
        .retry(slim_fixtures::runtime::client::retry::RetryConfig {
            max_attempts: 1,
            ..slim_fixtures::runtime::client::retry::RetryConfig::STANDARD
        });
    (builder, script, clock)
}

fn pair(target: &str, url: &str) -> (String, String) {
    (target.to_string(), url.to_string())
}

#[test]
fn required_discovery_is_cached_for_its_period_and_evicted_by_the_services_error() {
    let (builder, script, clock) = setup();
    script.addresses.lock().unwrap().extend([
        Ok("cell-1.ledger.example".to_string()),
        Ok("cell-2.ledger.example".to_string()),
        Ok("http://cell-3.ledger.example:8080".to_string()),
    ]);
    let client = Client::new(builder.build().unwrap());
    let append = AppendRecordInput::new().with_data("x");
    client.append_record(&append).expect("first call");
    assert_eq!(
        script.sent(),
        [
            pair("DescribeEndpoints", REGULAR),
            pair("AppendRecord", "https://cell-1.ledger.example/"),
        ]
    );
    // Cached: no discovery call.
    client.clone().append_record(&append).expect("second call");
    assert_eq!(script.sent(), [pair("AppendRecord", "https://cell-1.ledger.example/")]);
    // Expired after its ten minutes: discovered again.
    clock.sleep(Duration::from_secs(601));
    client.append_record(&append).expect("after the period");
    assert_eq!(
        script.sent(),
        [
            pair("DescribeEndpoints", REGULAR),
            pair("AppendRecord", "https://cell-2.ledger.example/"),
        ]
    );
    // The service's discovery error evicts the endpoint.
    script.answers.lock().unwrap().push_back((
        421,
        r#"{"__type":"InvalidEndpointException","Message":"moved"}"#.to_string(),
    ));
    let err = client.append_record(&append).expect_err("invalid endpoint");
    assert_eq!(err.code(), Some("InvalidEndpointException"));
    client.append_record(&append).expect("rediscovered");
    assert_eq!(
        script.sent(),
        [
            pair("AppendRecord", "https://cell-2.ledger.example/"),
            pair("DescribeEndpoints", REGULAR),
            pair("AppendRecord", "http://cell-3.ledger.example:8080/"),
        ]
    );
}

#[test]
fn optional_discovery_runs_only_when_turned_on_and_falls_back() {
    let (builder, script, _) = setup();
    let read = ReadRecordInput::new().with_sequence(1);
    // Off by default.
    let client = Client::new(builder.build().unwrap());
    client.read_record(&read).unwrap();
    client.ping(&PingInput::new()).unwrap();
    assert_eq!(script.sent(), [pair("ReadRecord", REGULAR), pair("Ping", REGULAR)]);

    let (builder, script, _) = setup();
    script
        .addresses
        .lock()
        .unwrap()
        .extend([Err(500), Ok("cell-9.ledger.example".to_string())]);
    let client = Client::new(builder.endpoint_discovery(true).build().unwrap());
    // A failed discovery falls back to the regular endpoint, and the next
    // call tries again.
    client.read_record(&read).unwrap();
    client.read_record(&read).unwrap();
    assert_eq!(
        script.sent(),
        [
            pair("DescribeEndpoints", REGULAR),
            pair("ReadRecord", REGULAR),
            pair("DescribeEndpoints", REGULAR),
            pair("ReadRecord", "https://cell-9.ledger.example/"),
        ]
    );
}

#[test]
fn a_failed_required_discovery_fails_the_call_and_a_configured_endpoint_skips_it() {
    let (builder, script, _) = setup();
    script.addresses.lock().unwrap().push_back(Err(500));
    let client = Client::new(builder.build().unwrap());
    let err = client
        .append_record(&AppendRecordInput::new())
        .expect_err("no endpoint");
    assert!(matches!(err, SdkError::Endpoint(_)), "{err:?}");
    assert!(err.to_string().contains("endpoint discovery failed"), "{err}");
    assert_eq!(script.sent(), [pair("DescribeEndpoints", REGULAR)]);

    let (builder, script, _) = setup();
    let client = Client::new(builder.endpoint_url("http://127.0.0.1:9").build().unwrap());
    client.append_record(&AppendRecordInput::new()).unwrap();
    assert_eq!(script.sent(), [pair("AppendRecord", "http://127.0.0.1:9/")]);
}

#[test]
fn the_async_client_discovers_too() {
    let (builder, script, _) = setup();
    script
        .addresses
        .lock()
        .unwrap()
        .push_back(Ok("cell-4.ledger.example".to_string()));
    let client = AsyncClient::with_transport(
        builder.build().unwrap(),
        Transport(script.clone()),
        NoSleep,
    );
    let run = |f: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>| {
        // The scripted transport never waits: one poll finishes each call.
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = f;
        assert!(f.as_mut().poll(&mut cx).is_ready());
    };
    run(Box::pin(async {
        client.append_record(&AppendRecordInput::new()).await.unwrap();
        client.append_record(&AppendRecordInput::new()).await.unwrap();
    }));
    assert_eq!(
        script.sent(),
        [
            pair("DescribeEndpoints", REGULAR),
            pair("AppendRecord", "https://cell-4.ledger.example/"),
            pair("AppendRecord", "https://cell-4.ledger.example/"),
        ]
    );
}
