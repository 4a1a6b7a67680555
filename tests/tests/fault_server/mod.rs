//! A scripted loopback HTTP/1.1 server for fault injection: each accepted
//! connection reads one request, records it, and plays the next scripted
//! action (a response, a slow response, a truncated body, a reset). It
//! binds 127.0.0.1 on a free port, serves at most as many connections as
//! it has actions (plus a bound), and stops when dropped or after its
//! lifetime.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the server does with one connection.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answer with this status, headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then answer.
    Slow(Duration, Box<Action>),
    /// Announce `announced` body bytes, send `body`, close.
    Truncated {
        status: u16,
        announced: usize,
        body: Vec<u8>,
    },
    /// Send the status line and part of the headers, then reset.
    Reset,
    /// Answer nothing; wait (at most this long) for the client to close
    /// the connection, and record how long that took.
    Hold(Duration),
}

impl Action {
    /// A JSON answer with a request id.
    pub fn json(status: u16, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![
                ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                ("x-amzn-RequestId".into(), format!("req-{status}")),
            ],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An error answer with `__type`.
    pub fn error(status: u16, code: &str, message: &str) -> Action {
        Action::json(
            status,
            &format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
        )
    }
}

/// One request the server read.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub request_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The server: its address, what it saw, and its thread.
pub struct FaultServer {
    pub url: String,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Recorded>>>,
    closed: Arc<Mutex<Vec<Duration>>>,
    addr: std::net::SocketAddr,
    thread: Option<JoinHandle<()>>,
}

/// The longest a server lives.
const LIFETIME: Duration = Duration::from_secs(60);

impl FaultServer {
    /// Starts a server that plays `script`, one action per connection; once
    /// the script is played it answers 500 to any further connection.
    pub fn start(script: Vec<Action>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(Mutex::new(Vec::new()));
        let (stop2, seen2, closed2) = (stop.clone(), seen.clone(), closed.clone());
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut script = script.into_iter();
            // At most the script plus a few extra connections, and never
            // past the lifetime.
            let limit = script.len() + 8;
            let mut workers = Vec::new();
            for _ in 0..limit {
                let Ok((stream, _)) = listener.accept() else {
                    break;
                };
                if stop2.load(Ordering::SeqCst) || started.elapsed() > LIFETIME {
                    break;
                }
                let action = script
                    .next()
                    .unwrap_or_else(|| Action::error(500, "ScriptExhausted", "no more actions"));
                // Each connection on its own thread: a slow answer does not
                // hold up the next attempt's connection.
                let (seen, closed) = (seen2.clone(), closed2.clone());
                workers.push(std::thread::spawn(move || {
                    serve(stream, action, &seen, &closed)
                }));
            }
            for w in workers {
                let _ = w.join();
            }
        });
        FaultServer {
            url: format!("http://{addr}"),
            stop,
            seen,
            closed,
            addr,
            thread: Some(thread),
        }
    }

    /// For each `Hold`: how long the client took to close the connection.
    pub fn closed_after(&self) -> Vec<Duration> {
        self.closed.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        request_line,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn play(stream: &mut TcpStream, action: Action, closed: &Mutex<Vec<Duration>>) {
    match action {
        Action::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&body);
        }
        Action::Slow(wait, then) => {
            std::thread::sleep(wait);
            play(stream, *then, closed);
        }
        Action::Truncated {
            status,
            announced,
            body,
        } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n",
                reason(status)
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Action::Hold(max) => {
            let started = Instant::now();
            let _ = stream.set_read_timeout(Some(max));
            let mut buf = [0u8; 64];
            // EOF (0) or a reset means the client closed the connection.
            let gone = matches!(stream.read(&mut buf), Ok(0) | Err(_)) && started.elapsed() < max;
            if gone {
                if let Ok(mut c) = closed.lock() {
                    c.push(started.elapsed());
                }
            }
        }
        Action::Reset => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Le");
            // Closing with unread data in the socket makes the kernel send RST.
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
    let _ = stream.flush();
}

fn serve(
    mut stream: TcpStream,
    action: Action,
    seen: &Mutex<Vec<Recorded>>,
    closed: &Mutex<Vec<Duration>>,
) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    if let Ok(mut s) = seen.lock() {
        s.push(request);
    }
    play(&mut stream, action, closed);
}
