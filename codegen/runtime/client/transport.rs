//! What the client needs of an HTTP stack and a clock: the request and
//! response a transport exchanges, its errors, and the blocking and async
//! transport traits.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::super::stream::{AsyncBody, ByteStream};

/// An HTTP request as a transport sends it. `Debug` redacts the values of
/// `Authorization`, `X-Amz-Security-Token` and any other credential
/// header, and shows the body's length only.
#[derive(Clone)]
pub struct TransportRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The absolute URL.
    pub url: &'a str,
    /// Every header to send, `Host` included.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
    /// How long the attempt may take, connecting included.
    pub timeout: Duration,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// The largest body `send` may read into memory; a longer one is an
    /// error (`send_streaming` hands the body over unread and unbounded).
    pub max_response_bytes: u64,
}

/// Header names whose values are secrets, redacted wherever a request is
/// shown (lower case).
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-security-token",
    "proxy-authorization",
    "cookie",
    "x-amz-sso_bearer_token",
];

impl fmt::Debug for TransportRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s));
                (
                    k.as_str(),
                    if secret { "** redacted **" } else { v.as_str() },
                )
            })
            .collect();
        f.debug_struct("TransportRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// An HTTP response as a transport hands it back: any status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

/// An HTTP response whose body is still arriving: what a transport hands
/// back for an operation with a streaming output.
#[derive(Debug)]
pub struct StreamingResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body, read as the caller reads it.
    pub body: ByteStream,
}

impl From<TransportResponse> for StreamingResponse {
    /// A whole response as a stream over its body in memory.
    fn from(r: TransportResponse) -> Self {
        StreamingResponse {
            status: r.status,
            headers: r.headers,
            body: ByteStream::from_bytes(r.body),
        }
    }
}

/// A received response as the retry loop sees it: a successful response
/// of a streaming operation keeps its body unread (`stream`), every other
/// response is read whole.
pub(super) type Received = (
    Result<TransportResponse, TransportError>,
    Option<ByteStream>,
);

impl StreamingResponse {
    /// A successful response for the retry loop: its head, the body kept
    /// unread as the stream.
    pub(super) fn into_head(self) -> Received {
        let head = TransportResponse {
            status: self.status,
            headers: self.headers,
            body: Vec::new(),
        };
        (Ok(head), Some(self.body))
    }

    /// Any other response for the retry loop, which reads error bodies
    /// whole: `body` is the whole body, or why it could not be read.
    pub(super) fn read_whole(
        status: u16,
        headers: Vec<(String, String)>,
        body: std::io::Result<Vec<u8>>,
    ) -> Received {
        let whole = body
            .map(|body| TransportResponse {
                status,
                headers,
                body,
            })
            .map_err(|e| {
                TransportError::new(TransportErrorKind::Io, format!("reading the body: {e}"))
            });
        (whole, None)
    }
}

/// What went wrong below HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS handshake).
    Connect,
    /// The attempt ran out of time.
    Timeout,
    /// The connection broke while sending or receiving (reset, truncated body).
    Io,
    /// Anything else (an invalid URL, an unsupported scheme).
    Other,
}

/// A failure below HTTP, from a transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// The transport's explanation.
    pub message: String,
    /// The host (and port) the request went to, once the call loop knows
    /// it.
    pub host: Option<String>,
}

impl TransportError {
    /// A failure of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            host: None,
        }
    }

    /// The same failure, naming the host it happened with.
    #[must_use]
    pub fn with_host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection broken",
            TransportErrorKind::Other => "transport error",
        };
        f.write_str(kind)?;
        if let Some(host) = &self.host {
            write!(f, " ({})", super::super::error::Printable(host))?;
        }
        write!(f, ": {}", super::super::error::Printable(&self.message))
    }
}

impl std::error::Error for TransportError {}

/// A blocking HTTP stack. Implement it to send requests with another client.
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response, within its timeouts.
    fn send(&self, request: &TransportRequest<'_>) -> Result<TransportResponse, TransportError>;

    /// Sends one request and hands the response back once its headers
    /// are in, the body to be read as the caller reads it (operations with
    /// a streaming output). The default reads the whole body with
    /// [`send`](Self::send); the built-in transport streams.
    fn send_streaming(
        &self,
        request: &TransportRequest<'_>,
    ) -> Result<StreamingResponse, TransportError> {
        self.send(request).map(StreamingResponse::from)
    }

    /// Sends one request whose body is read from `body` as it is sent (a
    /// streamed upload: `request.body` is empty and the headers carry the
    /// body's `Content-Length`), and hands the response back once its
    /// headers are in. The attempt timeout bounds each write and read, not
    /// the whole upload. The default reads the body into memory and sends
    /// it with [`send_streaming`](Self::send_streaming); the built-in
    /// transport streams it.
    fn send_upload(
        &self,
        request: &TransportRequest<'_>,
        body: &mut (dyn std::io::Read + Send),
    ) -> Result<StreamingResponse, TransportError> {
        let bytes = read_upload(body)?;
        self.send_streaming(&TransportRequest {
            body: &bytes,
            ..request.clone()
        })
    }
}

/// A streamed body read into memory (transports that cannot stream one).
fn read_upload(body: &mut (dyn std::io::Read + Send)) -> Result<Vec<u8>, TransportError> {
    let mut bytes = Vec::new();
    body.read_to_end(&mut bytes).map_err(|e| {
        TransportError::new(
            TransportErrorKind::Io,
            format!("reading the request body: {e}"),
        )
    })?;
    Ok(bytes)
}

/// Time as the client sees it: the signing clock and the backoff sleep.
/// Tests inject their own to check backoff without waiting.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now.
    fn now(&self) -> SystemTime;
    /// Waits `d` (a backoff between attempts).
    fn sleep(&self, d: Duration);
}

/// The signing time: `clock`'s now, whole seconds, moved by the client's
/// clock-skew correction.
pub(super) fn skewed_now(clock: &dyn Clock, skew_secs: i64) -> super::super::time::DateTime {
    let now = super::super::time::DateTime::from(clock.now());
    super::super::time::DateTime::from_secs(now.secs().saturating_add(skew_secs))
}

/// The system clock and `std::thread::sleep`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// A boxed future, as the async traits return them.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// An async HTTP stack. Implement it to send requests with any runtime's
/// client; the `async` feature brings one on hyper and tokio.
pub trait AsyncHttpTransport: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response. The client bounds
    /// it with the attempt timeout; dropping the future abandons the request.
    fn send<'a>(
        &'a self,
        request: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<TransportResponse, TransportError>>;

    /// Sends one request and hands the response back once its headers
    /// are in, the body to be polled as it arrives (operations with a
    /// streaming output). The client bounds it with the attempt timeout,
    /// and then each wait for more of the body. The default reads the whole body
    /// with [`send`](Self::send); the built-in transport streams.
    fn send_streaming<'a>(
        &'a self,
        request: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
        Box::pin(async move { self.send(request).await.map(StreamingResponse::from) })
    }

    /// Sends one request whose body is polled from `body` as it is sent
    /// (a streamed upload; see [`HttpTransport::send_upload`]), and hands
    /// the response back once its headers are in. The default collects the
    /// body and sends it with [`send_streaming`](Self::send_streaming); the
    /// built-in transport streams it over HTTP/1.1.
    fn send_upload<'a>(
        &'a self,
        request: TransportRequest<'a>,
        body: std::pin::Pin<Box<dyn AsyncBody>>,
    ) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let mut body = body;
            let mut bytes = Vec::new();
            while let Some(chunk) = std::future::poll_fn(|cx| body.as_mut().poll_chunk(cx)).await {
                let chunk = chunk.map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Io,
                        format!("reading the request body: {e}"),
                    )
                })?;
                bytes.extend_from_slice(&chunk);
            }
            self.send_streaming(TransportRequest {
                body: &bytes,
                ..request
            })
            .await
        })
    }

    /// Sends one request whose body is produced while the call runs
    /// (`body`, in place of `request.body`: an input event stream, each
    /// chunk a signed message), and hands the response back once its
    /// headers are in, its body polled as it arrives, while the request
    /// body is still being sent. That needs HTTP/2; the built-in transport
    /// speaks it, and the default refuses.
    fn send_duplex<'a>(
        &'a self,
        request: TransportRequest<'a>,
        body: std::pin::Pin<Box<dyn AsyncBody>>,
    ) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
        let _ = (request, body);
        Box::pin(async {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "this transport cannot stream a request body (an input event stream needs HTTP/2, as the built-in async transport speaks it)",
            ))
        })
    }
}

/// An async timer: the backoff between attempts and the attempt timeout.
pub trait AsyncSleep: Send + Sync + fmt::Debug {
    /// A future that is ready after `d`.
    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()>;
}
