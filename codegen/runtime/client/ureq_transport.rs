//! The built-in blocking transport (the `blocking` feature), on `ureq` 3
//! with rustls and the Mozilla root certificates: certificate verification
//! is always on.

use std::time::Duration;

use ureq::RequestExt;

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
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        UreqTransport { agent }
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

fn classify(e: &ureq::Error) -> TransportErrorKind {
    match e {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::Tls(_) => {
            TransportErrorKind::Connect
        }
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                TransportErrorKind::Timeout
            }
            std::io::ErrorKind::ConnectionRefused => TransportErrorKind::Connect,
            _ => TransportErrorKind::Io,
        },
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => TransportErrorKind::Other,
        _ => TransportErrorKind::Io,
    }
}

fn error(e: ureq::Error) -> TransportError {
    TransportError::new(classify(&e), e.to_string())
}

impl HttpTransport for UreqTransport {
    fn send(&self, request: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(request.url);
        for (name, value) in request.headers {
            // ureq writes `Host` from the URL, the same authority that was signed.
            if !name.eq_ignore_ascii_case("host") {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        let http_request = builder
            .body(request.body)
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
        let mut response = http_request
            .with_agent(&self.agent)
            .configure()
            .timeout_global(Some(request.timeout))
            .timeout_connect(Some(request.connect_timeout))
            .run()
            .map_err(error)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .map_err(error)?;
        Ok(TransportResponse {
            status,
            headers,
            body,
        })
    }
}
