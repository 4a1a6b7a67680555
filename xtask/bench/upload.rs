//! The streamed-upload benchmark's client (`cargo xtask bench-upload`):
//! uploads one file with S3 `PutObject` from the generated crate, its body
//! read from the file as it is sent, and prints the process's peak
//! resident memory and the upload's time as one JSON line.
//!
//! Usage: upload (blocking|async) ENDPOINT FILE SECRET

use std::time::Instant;

use bench_upload::runtime::client::{Config, Credentials};
use bench_upload::runtime::ByteStream;
use bench_upload::s3::PutObjectRequest;

/// The peak resident set of this process, in KiB (Linux's `VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, endpoint, file, secret] = args.as_slice() else {
        eprintln!("usage: upload (blocking|async) ENDPOINT FILE SECRET");
        std::process::exit(2);
    };
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDBENCH", secret.as_str()))
        .endpoint_url(endpoint.as_str())
        .build()
        .expect("a valid configuration");
    let request = || {
        PutObjectRequest::new()
            .with_bucket("bench")
            .with_key("object")
            .with_body(ByteStream::from_path(file).expect("the file"))
    };
    let started = Instant::now();
    match mode.as_str() {
        "blocking" => {
            let client = bench_upload::s3::client::Client::new(config);
            client.put_object(&request()).expect("PutObject");
        }
        "async" => {
            let client = bench_upload::s3::client::AsyncClient::new(config);
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            rt.block_on(client.put_object(&request()))
                .expect("PutObject");
        }
        other => panic!("unknown mode {other}"),
    }
    println!(
        "{{\"seconds\": {:.3}, \"peak_rss_kib\": {}}}",
        started.elapsed().as_secs_f64(),
        peak_rss_kib()
    );
}
