//! Neither transport uses a proxy from the environment: the async one
//! has none, and instance-metadata and container credential requests must
//! never go through one, so the blocking one connects directly too. A test
//! binary of its own: it sets process-wide environment variables.

mod fault_server;

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_slim::dms::client::{AsyncClient, Client};
use aws_slim::dms::StopReplicationMessage;
use aws_slim::runtime::client::{Config, Credentials};
use fault_server::{Action, FaultServer};

#[test]
fn proxies_from_the_environment_are_not_used() {
    // A "proxy" that counts the connections it gets (bounded: it stops
    // accepting when the test ends, and never answers).
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    proxy.set_nonblocking(true).unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let watcher = std::thread::spawn(move || {
        for _ in 0..200 {
            if proxy.accept().is_ok() {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        std::env::set_var(var, &proxy_url);
    }
    let ok = r#"{"ReplicationConfigArn":"arn:x"}"#;
    let server = FaultServer::start(vec![Action::json(200, ok), Action::json(200, ok)]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret"))
        .endpoint_url(&server.url)
        .build()
        .unwrap();
    let input = StopReplicationMessage::new().with_replication_config_arn("arn:x");
    Client::new(config.clone())
        .stop_replication(&input)
        .expect("the blocking client connects directly");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(AsyncClient::new(config).stop_replication(&input))
        .expect("the async client connects directly");
    assert_eq!(server.requests().len(), 2);
    watcher.join().unwrap();
    assert_eq!(seen.load(Ordering::SeqCst), 0, "the proxy was used");
}
