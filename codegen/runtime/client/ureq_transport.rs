//! The built-in blocking transport (the `blocking` feature), on `ureq` 3
//! with rustls and the Mozilla root certificates: certificate verification
//! is always on.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::RequestExt;

use super::super::stream::ByteStream;
use super::{
    HttpTransport, StreamingResponse, TransportError, TransportErrorKind, TransportRequest,
    TransportResponse,
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
        // No proxy from the environment (`HTTP_PROXY`, `ALL_PROXY`): the
        // async transport has none either, and credential requests to the
        // instance-metadata and container addresses must never go through
        // one. Both transports connect directly.
        let config = ureq::Agent::config_builder()
            .proxy(None)
            .timeout_connect(Some(connect))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            DefaultConnector::default(),
            CachingResolver::default(),
        );
        UreqTransport { agent }
    }
}

/// How long a resolved address is reused.
const DNS_TTL: Duration = Duration::from_secs(30);

/// ureq resolves the host of every request, pooled connection or not, on a
/// thread of its own when a timeout applies: a thread and a DNS lookup per
/// call. This keeps each host's addresses for [`DNS_TTL`].
#[derive(Debug, Default)]
struct CachingResolver {
    inner: DefaultResolver,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let key = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or_default(),
            uri.authority().map(|a| a.as_str()).unwrap_or_default()
        );
        if let Ok(cache) = self.cache.lock() {
            if let Some((at, addrs)) = cache.get(&key) {
                if at.elapsed() < DNS_TTL {
                    return Ok(addrs.clone());
                }
            }
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, (Instant::now(), addrs.clone()));
        }
        Ok(addrs)
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

/// The request as ureq builds it (`Host` left to ureq).
/// `request` in ureq's form, with `body`.
fn build<B>(
    request: &TransportRequest<'_>,
    body: B,
) -> Result<ureq::http::Request<B>, TransportError> {
    let mut builder = ureq::http::Request::builder()
        .method(request.method)
        .uri(request.url);
    for (name, value) in request.headers {
        // ureq writes `Host` from the URL, the same authority that was signed.
        if !name.eq_ignore_ascii_case("host") {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    builder
        .body(body)
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))
}

/// A response whose body is read as the caller reads it.
fn streaming(response: ureq::http::Response<ureq::Body>) -> StreamingResponse {
    let status = response.status().as_u16();
    let headers = headers_of(&response);
    let reader = response.into_body().into_reader();
    StreamingResponse {
        status,
        headers,
        body: ByteStream::from_reader(Body(reader)),
    }
}

fn headers_of<B>(response: &ureq::http::Response<B>) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// A streamed body: ureq's reader, with its timeouts reported as
/// `TimedOut` (ureq wraps them in `Other`).
struct Body(ureq::BodyReader<'static>);

impl std::io::Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let timed_out = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)));
            if timed_out {
                std::io::Error::new(std::io::ErrorKind::TimedOut, e.to_string())
            } else {
                e
            }
        })
    }
}

impl HttpTransport for UreqTransport {
    fn send(&self, request: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        let mut response = build(request, request.body)?
            .with_agent(&self.agent)
            .configure()
            .timeout_global(Some(request.timeout))
            .timeout_connect(Some(request.connect_timeout))
            .run()
            .map_err(error)?;
        let status = response.status().as_u16();
        let headers = headers_of(&response);
        let body = response
            .body_mut()
            .with_config()
            .limit(request.max_response_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(limit) => TransportError::new(
                    TransportErrorKind::Other,
                    format!("the response body is longer than the limit of {limit} bytes"),
                ),
                e => error(e),
            })?;
        Ok(TransportResponse {
            status,
            headers,
            body,
        })
    }

    /// The attempt timeout bounds sending and the response head, and then
    /// each read of the body (a stream may last as long as it keeps
    /// delivering).
    fn send_streaming(
        &self,
        request: &TransportRequest<'_>,
    ) -> Result<StreamingResponse, TransportError> {
        let response = build(request, request.body)?
            .with_agent(&self.agent)
            .configure()
            .timeout_global(None)
            .timeout_connect(Some(request.connect_timeout))
            .timeout_send_request(Some(request.timeout))
            .timeout_send_body(Some(request.timeout))
            .timeout_recv_response(Some(request.timeout))
            .timeout_per_read(Some(request.timeout))
            .run()
            .map_err(error)?;
        Ok(streaming(response))
    }

    /// The body is written as it is read, its length from the request's
    /// `Content-Length`; the attempt timeout bounds each write and read.
    fn send_upload(
        &self,
        request: &TransportRequest<'_>,
        body: &mut (dyn std::io::Read + Send),
    ) -> Result<StreamingResponse, TransportError> {
        let response = build(request, ureq::SendBody::from_reader(body))?
            .with_agent(&self.agent)
            .configure()
            .timeout_global(None)
            .timeout_connect(Some(request.connect_timeout))
            .timeout_send_request(Some(request.timeout))
            .timeout_per_write(Some(request.timeout))
            .timeout_recv_response(Some(request.timeout))
            .timeout_per_read(Some(request.timeout))
            .run()
            .map_err(error)?;
        Ok(streaming(response))
    }
}
