//! The loopback server of `cargo xtask bench-client`: HTTP/1.1 keep-alive
//! on 127.0.0.1 (a free port, printed on the first line), one thread per
//! connection, every request answered with the same `StopReplication`
//! response. It exits after `LIFETIME` or when its standard input closes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

const LIFETIME: Duration = Duration::from_secs(900);
const BODY: &str = r#"{"Replication":{"ReplicationConfigIdentifier":"bench","ReplicationConfigArn":"arn:aws:dms:us-east-1:123456789012:replication-config:BENCH","SourceEndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:SRC","TargetEndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:DST","ReplicationType":"full-load","Status":"stopping","StopReason":"USER_REQUEST","FailureMessages":[],"ReplicationStats":{"FullLoadProgressPercent":100,"ElapsedTimeMillis":1234,"TablesLoaded":3,"TablesLoading":0,"TablesQueued":0,"TablesErrored":0},"StartReplicationType":"start-replication","CdcStartTime":1700000000.25,"ReplicationCreateTime":1700000000,"ReplicationUpdateTime":1700000100.5}}"#;

fn serve(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut writer = stream;
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: bench\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    // At most a million requests per connection.
    for _ in 0..1_000_000 {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((n, v)) = l.split_once(':') {
                if n.trim().eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() || writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    println!("{}", listener.local_addr().expect("an address").port());
    std::thread::spawn(|| {
        // Stop when the parent closes our stdin, or at the end of our lifetime.
        let mut sink = String::new();
        let _ = std::io::stdin().read_line(&mut sink);
        std::process::exit(0);
    });
    std::thread::spawn(|| {
        std::thread::sleep(LIFETIME);
        std::process::exit(0);
    });
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream));
    }
}
