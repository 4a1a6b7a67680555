//! The aws-slim side of `cargo xtask bench-client`: `StopReplication`
//! through the generated client. Arguments: `blocking|async ENDPOINT CALLS
//! CONCURRENCY`. Prints the wall time of the measured calls. Built without
//! the `async` feature, it is the program of the build-cost comparison.

use std::time::{Duration, Instant};

use aws_slim::dms::StopReplicationMessage;
use aws_slim::runtime::client::{Config, Credentials};

const ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:BENCH";

fn config(endpoint: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDBENCH", "bench-secret"))
        .endpoint_url(endpoint)
        .build()
        .expect("a valid config")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, endpoint) = (args[1].as_str(), args[2].as_str());
    let calls: usize = args[3].parse().expect("a call count");
    let concurrency: usize = args[4].parse().expect("a concurrency");
    let input = StopReplicationMessage::new().with_replication_config_arn(ARN);
    let per_worker = calls / concurrency;
    let elapsed: Duration = match mode {
        "blocking" => {
            let client = aws_slim::dms::client::Client::new(config(endpoint));
            let started = Instant::now();
            std::thread::scope(|s| {
                for _ in 0..concurrency {
                    let (client, input) = (client.clone(), input.clone());
                    s.spawn(move || {
                        for _ in 0..per_worker {
                            let out = client.stop_replication(&input).expect("the call works");
                            assert!(out.replication.is_some());
                        }
                    });
                }
            });
            started.elapsed()
        }
        #[cfg(feature = "async")]
        _ => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let client = aws_slim::dms::client::AsyncClient::new(config(endpoint));
            rt.block_on(async {
                let started = Instant::now();
                let mut tasks = Vec::new();
                for _ in 0..concurrency {
                    let (client, input) = (client.clone(), input.clone());
                    tasks.push(tokio::spawn(async move {
                        for _ in 0..per_worker {
                            let out = client.stop_replication(&input).await.expect("the call works");
                            assert!(out.replication.is_some());
                        }
                    }));
                }
                for t in tasks {
                    t.await.expect("a task");
                }
                started.elapsed()
            })
        }
        #[cfg(not(feature = "async"))]
        other => panic!("mode {other:?} needs the `async` feature"),
    };
    println!("calls={} seconds={:.4}", per_worker * concurrency, elapsed.as_secs_f64());
}
