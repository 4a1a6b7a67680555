//! The built-in blocking transport (the `blocking` feature), on `ureq`
//! with rustls and the Mozilla root certificates: certificate verification
//! is always on.

use std::io::Read;
use std::time::Duration;

use super::{
    HttpTransport, TransportError, TransportErrorKind, TransportRequest, TransportResponse,
};

/// Sends requests with a `ureq` agent (connection pooling, rustls).
#[derive(Clone, Debug)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl UreqTransport {
    /// A transport with a connect timeout of 3.1 s.
    pub fn new() -> Self {
        Self::with_connect_timeout(Duration::from_millis(3100))
    }

    /// A transport with the given connect timeout.
    pub fn with_connect_timeout(connect: Duration) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(connect)
            .redirects(0)
            .build();
        UreqTransport { agent }
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

fn io_kind(e: &std::io::Error) -> TransportErrorKind {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            TransportErrorKind::Timeout
        }
        _ => TransportErrorKind::Io,
    }
}

impl HttpTransport for UreqTransport {
    fn send(&self, request: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        let mut req = self
            .agent
            .request(request.method, request.url)
            .timeout(request.timeout);
        for (name, value) in request.headers {
            // ureq writes `Host` from the URL, the same authority that was signed.
            if !name.eq_ignore_ascii_case("host") {
                req = req.set(name, value);
            }
        }
        let response = match req.send_bytes(request.body) {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => {
                let kind = match t.kind() {
                    ureq::ErrorKind::Dns | ureq::ErrorKind::ConnectionFailed => {
                        TransportErrorKind::Connect
                    }
                    ureq::ErrorKind::Io => {
                        let timed_out = std::error::Error::source(&t)
                            .and_then(|s| s.downcast_ref::<std::io::Error>())
                            .is_some_and(|e| io_kind(e) == TransportErrorKind::Timeout);
                        if timed_out {
                            TransportErrorKind::Timeout
                        } else {
                            TransportErrorKind::Io
                        }
                    }
                    ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => {
                        TransportErrorKind::Other
                    }
                    _ => TransportErrorKind::Io,
                };
                return Err(TransportError::new(kind, t.to_string()));
            }
        };
        let status = response.status();
        let mut headers = Vec::new();
        for name in response.headers_names() {
            for value in response.all(&name) {
                headers.push((name.clone(), value.to_string()));
            }
        }
        let mut body = Vec::new();
        response
            .into_reader()
            .read_to_end(&mut body)
            .map_err(|e| TransportError::new(io_kind(&e), format!("reading the body: {e}")))?;
        Ok(TransportResponse {
            status,
            headers,
            body,
        })
    }
}
