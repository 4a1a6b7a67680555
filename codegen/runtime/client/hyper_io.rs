//! What both of the async transport's HTTP versions share: URLs split
//! into their parts, errors, response headers, and driving a connection
//! inside the call's future.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::{Bytes, Frame, SizeHint};

use super::super::stream::AsyncBody;
use super::{TransportError, TransportErrorKind};

/// A request body: the chunks of an [`AsyncBody`], as hyper polls them,
/// and their total length when it is known (hyper then sends it as
/// `Content-Length`).
pub(super) struct RequestBody {
    body: Pin<Box<dyn AsyncBody>>,
    length: Option<u64>,
}

impl RequestBody {
    pub(super) fn new(body: Pin<Box<dyn AsyncBody>>, length: Option<u64>) -> Self {
        RequestBody { body, length }
    }
}

impl hyper::body::Body for RequestBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.body
            .as_mut()
            .poll_chunk(cx)
            .map(|chunk| chunk.map(|c| c.map(|bytes| Frame::data(Bytes::from(bytes)))))
    }

    fn size_hint(&self) -> SizeHint {
        match self.length {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}

/// A transport error of `kind` saying `e`.
pub(super) fn err(kind: TransportErrorKind, e: impl fmt::Display) -> TransportError {
    TransportError::new(kind, e.to_string())
}

/// A TCP connection to `host:port` within `timeout`, without Nagle's delay.
pub(super) async fn connect_tcp(
    host: &str,
    port: u16,
    timeout: std::time::Duration,
) -> Result<tokio::net::TcpStream, TransportError> {
    let connect = tokio::net::TcpStream::connect((host, port));
    let tcp = tokio::time::timeout(timeout, connect)
        .await
        .map_err(|_| err(TransportErrorKind::Timeout, "connect timed out"))?
        .map_err(|e| err(TransportErrorKind::Connect, e))?;
    let _ = tcp.set_nodelay(true);
    Ok(tcp)
}

/// The TLS handshake with `host` over `tcp`, within `timeout`.
pub(super) async fn tls_handshake(
    connector: &tokio_rustls::TlsConnector,
    host: &str,
    tcp: tokio::net::TcpStream,
    timeout: std::time::Duration,
) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, TransportError> {
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| err(TransportErrorKind::Other, e))?;
    tokio::time::timeout(timeout, connector.connect(name, tcp))
        .await
        .map_err(|_| err(TransportErrorKind::Timeout, "TLS handshake timed out"))?
        .map_err(|e| err(TransportErrorKind::Connect, e))
}

/// The next chunk of a response body, driving its connection (`driver`,
/// `done` once it has finished) as the caller polls; empty data frames
/// and trailers are skipped.
pub(super) fn poll_body(
    driver: &mut Driver,
    done: &mut bool,
    body: &mut hyper::body::Incoming,
    cx: &mut std::task::Context<'_>,
) -> std::task::Poll<Option<std::io::Result<Vec<u8>>>> {
    use hyper::body::Body;
    use std::task::Poll;
    if !*done && driver.as_mut().poll(cx).is_ready() {
        *done = true;
    }
    loop {
        return match std::pin::Pin::new(&mut *body).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) if data.is_empty() => continue,
                Ok(data) => Poll::Ready(Some(Ok(data.to_vec()))),
                // Trailers carry no body bytes.
                Err(_) => continue,
            },
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(std::io::Error::other(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        };
    }
}

/// Splits `scheme://host[:port]/path?query` into its parts.
pub(super) fn split_url(url: &str) -> Result<(bool, String, u16, &str), TransportError> {
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

/// A connection's driver: hyper's `Connection` future, boxed so plain and
/// TLS connections share one type. It is polled only while a call uses the
/// connection; an idle pooled connection runs nothing.
pub(super) type Driver = std::pin::Pin<Box<dyn Future<Output = Result<(), hyper::Error>> + Send>>;

/// A response's header names and values.
pub(super) fn header_pairs(headers: &hyper::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Runs `work` while driving a connection (its driver and done flag, so the
/// request half can be borrowed by the work at the same time), until
/// `work` is done. A driver that finishes (the connection closed) is
/// dropped at once: a request still waiting for it then fails instead of
/// waiting for a connection that will never take it.
pub(super) async fn drive<X, T>(driver: &mut Driver, done: &mut bool, work: X) -> T
where
    X: Future<Output = T>,
{
    let mut work = std::pin::pin!(work);
    std::future::poll_fn(|cx| {
        if !*done && driver.as_mut().poll(cx).is_ready() {
            *done = true;
            *driver = Box::pin(std::future::ready(Ok(())));
        }
        work.as_mut().poll(cx)
    })
    .await
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
