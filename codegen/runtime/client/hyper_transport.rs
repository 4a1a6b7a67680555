//! The built-in async transport (the `async` feature): HTTP/1.1 on tokio,
//! TLS by rustls with the Mozilla root certificates (verification always
//! on). A connection is driven inside the future of the call using it and
//! nothing is spawned: dropping the future closes its connection and leaves
//! nothing running. Idle connections wait in a small pool, doing nothing
//! until a call takes one.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio_rustls::rustls;

use super::super::stream::{AsyncBody, ByteStream};
use super::hyper_io::{
    connect_tcp, drive, err, header_pairs, poll_body, split_url, tls_handshake, Driver, RequestBody,
};
use super::{
    AsyncHttpTransport, AsyncSleep, BoxFuture, StreamingResponse, TransportError,
    TransportErrorKind, TransportRequest, TransportResponse,
};

/// Sends requests with hyper over tokio, one connection per attempt.
#[derive(Clone)]
pub struct HyperTransport {
    tls: tokio_rustls::TlsConnector,
    /// The same roots, offering HTTP/2 by ALPN (input event streams).
    #[cfg(feature = "http2")]
    tls_h2: tokio_rustls::TlsConnector,
    pool: Arc<Pool>,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperTransport")
    }
}

impl HyperTransport {
    /// A transport trusting the Mozilla root certificates.
    pub fn new() -> Self {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        HyperTransport {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            #[cfg(feature = "http2")]
            tls_h2: super::hyper_h2::h2_tls(roots),
            pool: Arc::default(),
        }
    }
}

impl Default for HyperTransport {
    fn default() -> Self {
        Self::new()
    }
}

/// The tokio timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl AsyncSleep for TokioSleep {
    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(d))
    }
}

/// The error kind of a hyper failure.
fn hyper_kind(e: &hyper::Error) -> TransportErrorKind {
    if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    }
}

/// An open HTTP/1.1 connection: the request half and its driver. Pooled
/// connections send bodies in memory; an upload's has its own body type.
struct Conn<B = Full<Bytes>> {
    sender: hyper::client::conn::http1::SendRequest<B>,
    driver: Driver,
    /// Whether the driver has finished (the connection is closed).
    done: bool,
}

/// Idle connections kept per host.
const MAX_IDLE_PER_HOST: usize = 16;

/// Idle connections by `scheme://host:port`. Taking one out and putting it
/// back happen inside the call's future: a call dropped mid-way drops its
/// connection, and nothing is ever left running.
#[derive(Default)]
struct Pool {
    idle: std::sync::Mutex<std::collections::HashMap<String, Vec<Conn>>>,
}

impl Pool {
    fn take(&self, key: &str) -> Option<Conn> {
        self.idle.lock().ok()?.get_mut(key)?.pop()
    }

    fn put(&self, key: String, conn: Conn) {
        if let Ok(mut idle) = self.idle.lock() {
            let list = idle.entry(key).or_default();
            if list.len() < MAX_IDLE_PER_HOST {
                list.push(conn);
            }
        }
    }
}

/// Opens a connection (TCP, then TLS for https) within the connect timeout.
async fn dial<B>(
    tls: Option<&tokio_rustls::TlsConnector>,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<Conn<B>, TransportError>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let tcp = connect_tcp(host, port, timeout).await?;
    let (sender, driver): (_, Driver) = match tls {
        Some(connector) => {
            let stream = tls_handshake(connector, host, tcp, timeout).await?;
            let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| err(TransportErrorKind::Connect, e))?;
            (sender, Box::pin(conn))
        }
        None => {
            let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
                .await
                .map_err(|e| err(TransportErrorKind::Connect, e))?;
            (sender, Box::pin(conn))
        }
    };
    Ok(Conn {
        sender,
        driver,
        done: false,
    })
}

/// A failure of one exchange, and whether the connection closed before the
/// request was taken (hyper cancelled it, or the connection ended before
/// any response): on a reused connection, the server's idle close raced
/// the reuse, and the request can go again on a new connection.
struct Failed {
    error: TransportError,
    closed_before_response: bool,
}

impl From<TransportError> for Failed {
    fn from(error: TransportError) -> Self {
        Failed {
            error,
            closed_before_response: false,
        }
    }
}

/// A `send_request` failure.
fn send_failed(e: &hyper::Error) -> Failed {
    Failed {
        error: err(hyper_kind(e), e),
        closed_before_response: e.is_canceled() || e.is_incomplete_message(),
    }
}

/// Sends one request on `conn` and reads the whole response; whether the
/// connection may be reused after it.
async fn exchange(
    conn: &mut Conn,
    request: hyper::Request<Full<Bytes>>,
    limit: u64,
) -> Result<(TransportResponse, bool), Failed> {
    let sender = &mut conn.sender;
    let work = async {
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| send_failed(&e))?;
        let (parts, mut body) = response.into_parts();
        // Frames straight into one buffer (one copy), up to the limit.
        let mut whole: Vec<u8> = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame
                .map_err(|e| Failed::from(err(hyper_kind(&e), format!("reading the body: {e}"))))?;
            if let Ok(data) = frame.into_data() {
                if (whole.len() + data.len()) as u64 > limit {
                    return Err(Failed::from(err(
                        TransportErrorKind::Other,
                        format!("the response body is longer than the limit of {limit} bytes"),
                    )));
                }
                whole.extend_from_slice(&data);
            }
        }
        let close = parts
            .headers
            .get(hyper::header::CONNECTION)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
        let headers = header_pairs(&parts.headers);
        Ok((
            TransportResponse {
                status: parts.status.as_u16(),
                headers,
                body: whole,
            },
            !close,
        ))
    };
    drive(&mut conn.driver, &mut conn.done, work).await
}

/// A body read as it arrives: the connection it comes on is driven while
/// the caller polls, and closed when the body is dropped (a streamed
/// connection is not pooled).
struct StreamedBody<B = Full<Bytes>> {
    conn: Conn<B>,
    body: hyper::body::Incoming,
}

impl<B: Send + 'static> AsyncBody for StreamedBody<B> {
    fn poll_chunk(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::io::Result<Vec<u8>>>> {
        let this = self.get_mut();
        poll_body(
            &mut this.conn.driver,
            &mut this.conn.done,
            &mut this.body,
            cx,
        )
    }
}

/// Where a request goes, and the request itself.
struct Target {
    tls: bool,
    host: String,
    port: u16,
    key: String,
    request: hyper::Request<Full<Bytes>>,
}

impl HyperTransport {
    /// The request in hyper's form, and where it goes.
    fn target(request: &TransportRequest<'_>) -> Result<Target, TransportError> {
        let (tls, host, port, path) = split_url(request.url)?;
        let mut builder = hyper::Request::builder().method(request.method).uri(path);
        for (name, value) in request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let http_request = builder
            .body(Full::new(Bytes::copy_from_slice(request.body)))
            .map_err(|e| err(TransportErrorKind::Other, e))?;
        let key = format!("{}://{host}:{port}", if tls { "https" } else { "http" });
        Ok(Target {
            tls,
            host,
            port,
            key,
            request: http_request,
        })
    }

    /// An idle connection to `target` that is still open, if there is one.
    async fn pooled(&self, target: &Target) -> Option<Conn> {
        for _ in 0..MAX_IDLE_PER_HOST {
            let mut conn = self.pool.take(&target.key)?;
            let ready = drive(&mut conn.driver, &mut conn.done, conn.sender.ready()).await;
            if ready.is_ok() && !conn.done {
                return Some(conn);
            }
        }
        None
    }

    /// A new connection to `target`.
    async fn dial(&self, target: &Target, timeout: Duration) -> Result<Conn, TransportError> {
        let connector = target.tls.then_some(&self.tls);
        dial(connector, &target.host, target.port, timeout).await
    }

    /// A copy of the request, for a second try on a new connection.
    fn again(request: &hyper::Request<Full<Bytes>>) -> hyper::Request<Full<Bytes>> {
        let mut copy = hyper::Request::new(request.body().clone());
        *copy.method_mut() = request.method().clone();
        *copy.uri_mut() = request.uri().clone();
        *copy.headers_mut() = request.headers().clone();
        copy
    }
}

impl AsyncHttpTransport for HyperTransport {
    fn send<'a>(
        &'a self,
        request: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<TransportResponse, TransportError>> {
        Box::pin(async move {
            let target = Self::target(&request)?;
            if let Some(mut conn) = self.pooled(&target).await {
                // A reused connection the server closed before taking the
                // request: the request goes again on a new one.
                match exchange(
                    &mut conn,
                    Self::again(&target.request),
                    request.max_response_bytes,
                )
                .await
                {
                    Ok((response, reusable)) => {
                        if reusable && !conn.done {
                            self.pool.put(target.key, conn);
                        }
                        return Ok(response);
                    }
                    Err(f) if f.closed_before_response => {}
                    Err(f) => return Err(f.error),
                }
            }
            let mut conn = self.dial(&target, request.connect_timeout).await?;
            let (response, reusable) =
                exchange(&mut conn, target.request, request.max_response_bytes)
                    .await
                    .map_err(|f| f.error)?;
            if reusable && !conn.done {
                self.pool.put(target.key, conn);
            }
            Ok(response)
        })
    }

    fn send_streaming<'a>(
        &'a self,
        request: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let target = Self::target(&request)?;
            let mut reused = self.pooled(&target).await;
            loop {
                let fresh = reused.is_none();
                let mut conn = match reused.take() {
                    Some(c) => c,
                    None => self.dial(&target, request.connect_timeout).await?,
                };
                let sender = &mut conn.sender;
                let response = drive(
                    &mut conn.driver,
                    &mut conn.done,
                    sender.send_request(Self::again(&target.request)),
                )
                .await
                .map_err(|e| send_failed(&e));
                let response = match response {
                    Ok(r) => r,
                    Err(f) if !fresh && f.closed_before_response => continue,
                    Err(f) => return Err(f.error),
                };
                let (parts, body) = response.into_parts();
                return Ok(StreamingResponse {
                    status: parts.status.as_u16(),
                    headers: header_pairs(&parts.headers),
                    body: ByteStream::from_async(StreamedBody { conn, body }),
                });
            }
        })
    }

    /// Over HTTP/1.1 with the request's `Content-Length`, on a connection
    /// of its own (not pooled: its body type differs); the body is polled
    /// as hyper writes it.
    fn send_upload<'a>(
        &'a self,
        request: TransportRequest<'a>,
        body: std::pin::Pin<Box<dyn AsyncBody>>,
    ) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let (tls, host, port, path) = split_url(request.url)?;
            let length = request
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<u64>().ok());
            let mut builder = hyper::Request::builder().method(request.method).uri(path);
            for (name, value) in request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let http_request = builder
                .body(RequestBody::new(body, length))
                .map_err(|e| err(TransportErrorKind::Other, e))?;
            let connector = tls.then_some(&self.tls);
            let mut conn: Conn<RequestBody> =
                dial(connector, &host, port, request.connect_timeout).await?;
            let sender = &mut conn.sender;
            let response = drive(
                &mut conn.driver,
                &mut conn.done,
                sender.send_request(http_request),
            )
            .await
            .map_err(|e| send_failed(&e).error)?;
            let (parts, body) = response.into_parts();
            Ok(StreamingResponse {
                status: parts.status.as_u16(),
                headers: header_pairs(&parts.headers),
                body: ByteStream::from_async(StreamedBody { conn, body }),
            })
        })
    }

    /// Over HTTP/2, on a connection of its own (the `hyper_h2` module).
    #[cfg(feature = "http2")]
    fn send_duplex<'a>(
        &'a self,
        request: TransportRequest<'a>,
        body: std::pin::Pin<Box<dyn AsyncBody>>,
    ) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
        Box::pin(super::hyper_h2::send_duplex(&self.tls_h2, request, body))
    }
}
