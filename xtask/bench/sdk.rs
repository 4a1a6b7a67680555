//! The aws-sdk-rust side of `cargo xtask bench-client`: the same
//! `StopReplication` calls through aws-sdk-databasemigration configured by
//! aws-config. Arguments: `ENDPOINT CALLS CONCURRENCY`.

use std::time::Instant;

use aws_sdk_databasemigration as dms;

const ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:BENCH";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let endpoint = args[1].clone();
    let calls: usize = args[2].parse().expect("a call count");
    let concurrency: usize = args[3].parse().expect("a concurrency");
    let per_worker = calls / concurrency;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async move {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(dms::config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(dms::config::Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
                None,
                "bench",
            ))
            .load()
            .await;
        let client = dms::Client::new(&config);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..per_worker {
                    let out = client
                        .stop_replication()
                        .replication_config_arn(ARN)
                        .send()
                        .await
                        .expect("the call works");
                    assert!(out.replication.is_some());
                }
            }));
        }
        for t in tasks {
            t.await.expect("a task");
        }
        println!(
            "calls={} seconds={:.4}",
            per_worker * concurrency,
            started.elapsed().as_secs_f64()
        );
    });
}
