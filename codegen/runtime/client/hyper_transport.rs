//! The built-in async transport (the `async` feature): one HTTP/1.1
//! connection per attempt on tokio, TLS by rustls with the Mozilla root
//! certificates (verification always on), driven inside the call's own
//! future: nothing is spawned, so dropping the future closes the connection.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio_rustls::rustls;

use super::{
    AsyncHttpTransport, AsyncSleep, BoxFuture, TransportError, TransportErrorKind,
    TransportRequest, TransportResponse,
};

/// Sends requests with hyper over tokio, one connection per attempt.
#[derive(Clone)]
pub struct HyperTransport {
    tls: tokio_rustls::TlsConnector,
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
            .with_root_certificates(roots)
            .with_no_client_auth();
        HyperTransport {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
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

fn err(kind: TransportErrorKind, e: impl fmt::Display) -> TransportError {
    TransportError::new(kind, e.to_string())
}

/// The error kind of a hyper failure.
fn hyper_kind(e: &hyper::Error) -> TransportErrorKind {
    if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    }
}

/// Splits `scheme://host[:port]/path?query` into its parts.
fn split_url(url: &str) -> Result<(bool, String, u16, &str), TransportError> {
    let bad = || err(TransportErrorKind::Other, format!("cannot send to {url:?}"));
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let tls = match scheme {
        "https" => true,
        "http" => false,
        _ => return Err(bad()),
    };
    let slash = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(slash);
    let path = if path.is_empty() { "/" } else { path };
    let default_port = if tls { 443 } else { 80 };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or_else(bad)?;
        let port = after
            .strip_prefix(':')
            .map_or(Ok(default_port), |p| p.parse().map_err(|_| bad()))?;
        (h.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().map_err(|_| bad())?),
            None => (authority.to_string(), default_port),
        }
    };
    if host.is_empty() {
        return Err(bad());
    }
    Ok((tls, host, port, path))
}

/// Runs `exchange` while driving `conn`, until `exchange` is done.
async fn drive<C, X, T>(conn: C, exchange: X) -> T
where
    C: Future,
    X: Future<Output = T>,
{
    let mut conn = std::pin::pin!(conn);
    let mut exchange = std::pin::pin!(exchange);
    let mut conn_done = false;
    std::future::poll_fn(|cx| {
        if !conn_done && conn.as_mut().poll(cx).is_ready() {
            conn_done = true;
        }
        match exchange.as_mut().poll(cx) {
            Poll::Ready(v) => Poll::Ready(v),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

async fn exchange<IO>(
    io: IO,
    request: hyper::Request<Full<Bytes>>,
) -> Result<TransportResponse, TransportError>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| err(TransportErrorKind::Connect, e))?;
    drive(conn, async move {
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| err(hyper_kind(&e), e))?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| err(hyper_kind(&e), format!("reading the body: {e}")))?
            .to_bytes();
        let headers = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Ok(TransportResponse {
            status: parts.status.as_u16(),
            headers,
            body: body.to_vec(),
        })
    })
    .await
}

impl AsyncHttpTransport for HyperTransport {
    fn send<'a>(
        &'a self,
        request: TransportRequest<'a>,
    ) -> BoxFuture<'a, Result<TransportResponse, TransportError>> {
        Box::pin(async move {
            let (tls, host, port, path) = split_url(request.url)?;
            let mut builder = hyper::Request::builder().method(request.method).uri(path);
            for (name, value) in request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let http_request = builder
                .body(Full::new(Bytes::copy_from_slice(request.body)))
                .map_err(|e| err(TransportErrorKind::Other, e))?;
            let connect = tokio::net::TcpStream::connect((host.as_str(), port));
            let tcp = tokio::time::timeout(request.connect_timeout, connect)
                .await
                .map_err(|_| err(TransportErrorKind::Timeout, "connect timed out"))?
                .map_err(|e| err(TransportErrorKind::Connect, e))?;
            let _ = tcp.set_nodelay(true);
            if tls {
                let name = rustls::pki_types::ServerName::try_from(host.clone())
                    .map_err(|e| err(TransportErrorKind::Other, e))?;
                let stream =
                    tokio::time::timeout(request.connect_timeout, self.tls.connect(name, tcp))
                        .await
                        .map_err(|_| err(TransportErrorKind::Timeout, "TLS handshake timed out"))?
                        .map_err(|e| err(TransportErrorKind::Connect, e))?;
                exchange(TokioIo::new(stream), http_request).await
            } else {
                exchange(TokioIo::new(tcp), http_request).await
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn urls_split_into_scheme_host_port_and_target() {
        let (tls, host, port, path) = split_url("https://dms.us-east-1.amazonaws.com/").unwrap();
        assert!(tls && host == "dms.us-east-1.amazonaws.com" && port == 443 && path == "/");
        let (tls, host, port, path) = split_url("http://127.0.0.1:4566/base?x=1").unwrap();
        assert!(!tls && host == "127.0.0.1" && port == 4566 && path == "/base?x=1");
        let (_, host, port, _) = split_url("http://[::1]:8080").unwrap();
        assert!(host == "::1" && port == 8080);
        assert!(split_url("ftp://x/").is_err() && split_url("http://:1/").is_err());
    }
}
