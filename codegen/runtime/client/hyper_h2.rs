//! HTTP/2 for the built-in async transport (the `http2` feature): the
//! requests whose body is produced while the response streams back (input
//! event streams). TLS offers `h2` by ALPN; plain `http://` endpoints (a
//! local test server) speak HTTP/2 with prior knowledge. As for HTTP/1.1,
//! nothing is spawned: hyper's HTTP/2 tasks (the pipe sending the request
//! body) run on an executor that queues them, polled with the connection
//! inside the call's future and then by the response body, so dropping
//! the response closes the connection and stops everything.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use hyper_util::rt::TokioIo;
use tokio_rustls::rustls;

use super::super::stream::{AsyncBody, ByteStream};
use super::hyper_io::{
    connect_tcp, drive, err, header_pairs, poll_body, split_url, tls_handshake, Driver, RequestBody,
};
use super::{StreamingResponse, TransportError, TransportErrorKind, TransportRequest};

/// A future hyper hands the executor.
type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// hyper's executor for one connection: tasks wait in a queue and run when
/// the connection's driver is polled.
#[derive(Clone, Default)]
struct Tasks(Arc<Mutex<Vec<Task>>>);

impl<F: Future<Output = ()> + Send + 'static> hyper::rt::Executor<F> for Tasks {
    fn execute(&self, fut: F) {
        if let Ok(mut queue) = self.0.lock() {
            queue.push(Box::pin(fut));
        }
    }
}

impl Tasks {
    /// Polls every queued task once, keeping those still pending (and any
    /// a task queued meanwhile).
    fn poll(&self, cx: &mut Context<'_>) {
        let mut running = match self.0.lock() {
            Ok(mut queue) => std::mem::take(&mut *queue),
            Err(_) => return,
        };
        running.retain_mut(|task| task.as_mut().poll(cx).is_pending());
        if let Ok(mut queue) = self.0.lock() {
            running.append(&mut queue);
            *queue = running;
        }
    }
}

/// A response body read as it arrives, its connection (and the task
/// sending the request body) driven while the caller polls.
struct DuplexBody {
    driver: Driver,
    done: bool,
    body: hyper::body::Incoming,
    /// The request half, kept so that the connection stays open.
    _sender: hyper::client::conn::http2::SendRequest<RequestBody>,
}

impl AsyncBody for DuplexBody {
    fn poll_chunk(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::io::Result<Vec<u8>>>> {
        let this = self.get_mut();
        poll_body(&mut this.driver, &mut this.done, &mut this.body, cx)
    }
}

/// The TLS client configuration offering HTTP/2 by ALPN.
pub(super) fn h2_tls(roots: rustls::RootCertStore) -> tokio_rustls::TlsConnector {
    let mut config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Opens an HTTP/2 connection to `host:port` within `timeout`.
async fn dial(
    tls: Option<&tokio_rustls::TlsConnector>,
    host: &str,
    port: u16,
    timeout: std::time::Duration,
) -> Result<(hyper::client::conn::http2::SendRequest<RequestBody>, Driver), TransportError> {
    let tcp = connect_tcp(host, port, timeout).await?;
    let tasks = Tasks::default();
    let handshake = |e: hyper::Error| err(TransportErrorKind::Connect, e);
    let (sender, driver): (_, Driver) = match tls {
        Some(connector) => {
            let stream = tls_handshake(connector, host, tcp, timeout).await?;
            if stream.get_ref().1.alpn_protocol() != Some(b"h2") {
                return Err(err(
                    TransportErrorKind::Connect,
                    format!(
                        "{host} does not speak HTTP/2 (ALPN), which an input event stream needs"
                    ),
                ));
            }
            let (sender, conn) =
                hyper::client::conn::http2::handshake(tasks.clone(), TokioIo::new(stream))
                    .await
                    .map_err(handshake)?;
            (sender, with_tasks(conn, tasks))
        }
        None => {
            let (sender, conn) =
                hyper::client::conn::http2::handshake(tasks.clone(), TokioIo::new(tcp))
                    .await
                    .map_err(handshake)?;
            (sender, with_tasks(conn, tasks))
        }
    };
    Ok((sender, driver))
}

/// A driver polling the connection's queued tasks, then the connection.
fn with_tasks<C>(conn: C, tasks: Tasks) -> Driver
where
    C: Future<Output = Result<(), hyper::Error>> + Send + 'static,
{
    let mut conn = Box::pin(conn);
    Box::pin(std::future::poll_fn(move |cx| {
        tasks.poll(cx);
        conn.as_mut().poll(cx)
    }))
}

/// Sends `request` with `body` streamed over a new HTTP/2 connection, and
/// hands the response back once its headers are in.
pub(super) async fn send_duplex(
    tls: &tokio_rustls::TlsConnector,
    request: TransportRequest<'_>,
    body: Pin<Box<dyn AsyncBody>>,
) -> Result<StreamingResponse, TransportError> {
    let (secure, host, port, path) = split_url(request.url)?;
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let scheme = if secure { "https" } else { "http" };
    let mut builder = hyper::Request::builder()
        .method(request.method)
        .version(hyper::Version::HTTP_2)
        .uri(format!("{scheme}://{authority}{path}"));
    // HTTP/2 carries the host as `:authority`; connection headers are
    // not allowed.
    for (name, value) in request.headers {
        if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        builder = builder.header(name.as_str(), value.as_str());
    }
    let http_request = builder
        .body(RequestBody::new(body, None))
        .map_err(|e| err(TransportErrorKind::Other, e))?;
    let (mut sender, mut driver) =
        dial(secure.then_some(tls), &host, port, request.connect_timeout).await?;
    let mut done = false;
    let response = drive(&mut driver, &mut done, sender.send_request(http_request))
        .await
        .map_err(|e| err(TransportErrorKind::Io, e))?;
    let (parts, body) = response.into_parts();
    Ok(StreamingResponse {
        status: parts.status.as_u16(),
        headers: header_pairs(&parts.headers),
        body: ByteStream::from_async(DuplexBody {
            driver,
            done,
            body,
            _sender: sender,
        }),
    })
}
