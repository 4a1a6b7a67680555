//! The async client.

use std::sync::Arc;
use std::time::Duration;

use super::super::http::Operation;
use super::blocking::{judge, Judged, Ran, WaitResult};
use super::config::{config_error, Config};
use super::core::{After, ClientCore};
use super::discovery::{with_endpoint, Plan};
use super::event_signer::SignedEvents;
use super::paginate::{self, AsyncPaginator};
use super::presign::{PresignedRequest, PresigningConfig};
use super::retry::RetryQuota;
use super::sdk_error::SdkError;
use super::transport::{
    AsyncHttpTransport, AsyncSleep, BoxFuture, StreamingResponse, TransportError,
    TransportErrorKind,
};
use super::waiter::{self, WaiterError, WaiterSpec};
use super::{CallOptions, ServiceInfo, MAX_ERROR_BODY};
#[cfg(feature = "async")]
use super::{HyperTransport, TokioSleep};

/// `future`, or `None` when `timer` is ready first. Both are dropped at
/// the end, so nothing keeps running.
pub(super) async fn with_timeout<T>(
    future: impl std::future::Future<Output = T>,
    timer: BoxFuture<'static, ()>,
) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut timer = timer;
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(v) = future.as_mut().poll(cx) {
            return std::task::Poll::Ready(Some(v));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return std::task::Poll::Ready(None);
        }
        std::task::Poll::Pending
    })
    .await
}

/// `future`, unless `timeout` passes without progress (the time in
/// `progress` moving on).
async fn with_idle_timeout<T>(
    future: impl std::future::Future<Output = T>,
    progress: &std::sync::Mutex<std::time::Instant>,
    timeout: Duration,
    sleep: &dyn AsyncSleep,
) -> Option<T> {
    let mut future = std::pin::pin!(future);
    // Bounded: each round waits for progress made since the last.
    loop {
        let since = progress
            .lock()
            .map(|p| p.elapsed())
            .unwrap_or(Duration::MAX);
        let left = timeout.checked_sub(since).filter(|d| !d.is_zero())?;
        if let Some(v) = with_timeout(future.as_mut(), sleep.sleep(left)).await {
            return Some(v);
        }
    }
}

/// A streamed request body read from a blocking reader a chunk at a time
/// (a file, as the upload plan opens it), each read noted as progress.
struct ReadBody {
    body: super::super::stream::ByteStream,
    progress: Arc<std::sync::Mutex<std::time::Instant>>,
}

impl super::super::stream::AsyncBody for ReadBody {
    fn poll_chunk(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::io::Result<Vec<u8>>>> {
        let this = self.get_mut();
        let chunk = this.body.read_chunk();
        if let Ok(mut p) = this.progress.lock() {
            *p = std::time::Instant::now();
        }
        std::task::Poll::Ready(chunk)
    }
}

/// An async client of one service: what a generated `AsyncClient` wraps.
/// Dropping a call's future cancels it: the client spawns nothing.
#[derive(Clone, Debug)]
pub struct AsyncClient {
    pub(super) core: ClientCore,
    pub(super) transport: Option<Arc<dyn AsyncHttpTransport>>,
    pub(super) sleep: Option<Arc<dyn AsyncSleep>>,
}

impl AsyncClient {
    /// A client of `service` with `config`, on the built-in hyper
    /// transport and tokio timer with the `async` feature, else on none
    /// (set them with [`with_transport`](Self::with_transport)).
    pub fn new(config: Config, service: ServiceInfo) -> Self {
        #[cfg(feature = "async")]
        let (transport, sleep) = (
            Some(Arc::new(HyperTransport::new()) as Arc<dyn AsyncHttpTransport>),
            Some(Arc::new(TokioSleep) as Arc<dyn AsyncSleep>),
        );
        #[cfg(not(feature = "async"))]
        let (transport, sleep) = (None, None);
        AsyncClient {
            core: ClientCore::new(config, service),
            transport,
            sleep,
        }
    }

    /// Uses another HTTP stack and timer.
    #[must_use]
    pub fn with_transport(
        mut self,
        transport: impl AsyncHttpTransport + 'static,
        sleep: impl AsyncSleep + 'static,
    ) -> Self {
        self.transport = Some(Arc::new(transport));
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.core.config
    }

    /// Presigns operation `O` with `input` (see [`super::presign`]): a URL
    /// and headers anyone holding them can send until they expire. Nothing
    /// is sent; credentials come from the configuration's provider.
    pub fn presign<O: Operation>(
        &self,
        input: &O::Input,
        presigning: &PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<O::Error>> {
        self.core.presign::<O>(input, presigning)
    }

    /// The retry quota (shared by every call of this client and its clones).
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.core.quota
    }

    /// Calls operation `O`, like [`BlockingClient::call`](super::BlockingClient::call), without blocking.
    pub async fn call<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.run::<O>(input, options, false).await.0
    }

    /// [`call`](Self::call), also handing back the successful response's
    /// body when `keep_body` is set; to a discovered endpoint where the
    /// operation has one (see [`super::discovery`]).
    async fn run<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
        keep_body: bool,
    ) -> Ran<O> {
        let core = &self.core;
        let (key, url) = match core.discovery_plan::<O>(options) {
            Err(e) => return (Err(e), None),
            Ok(Plan::Regular) => return self.run_at::<O>(input, options, keep_body).await,
            Ok(Plan::Use(key, url)) => (key, Some(url)),
            Ok(Plan::Discover(key, required)) => {
                let found = match core.service.endpoint_discovery {
                    Some(d) => (d.asynchronous)(self).await,
                    None => Ok(Vec::new()),
                };
                match core.discovered(&key, required, found) {
                    Ok(url) => (key, url),
                    Err(e) => return (Err(e), None),
                }
            }
        };
        let ran = self
            .run_at::<O>(input, &with_endpoint(options, url), keep_body)
            .await;
        core.check_discovered(&key, &ran.0);
        ran
    }

    /// One call to the endpoint `options` and the configuration give.
    async fn run_at<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
        keep_body: bool,
    ) -> Ran<O> {
        let core = &self.core;
        let mut st = match core.start::<O>(input, options) {
            Ok(st) => st,
            Err(e) => return (Err(e), None),
        };
        st.keep_body = keep_body;
        let (Some(transport), Some(sleep)) = (&self.transport, &self.sleep) else {
            return (
                Err(SdkError::Config(config_error(
                    "no async HTTP transport; enable the `async` feature or use .with_transport(..)",
                ))),
                None,
            );
        };
        loop {
            let pace = core.pace(&st);
            if !pace.is_zero() {
                sleep.sleep(pace).await;
            }
            let mut attempt = match core.next_attempt(&mut st) {
                Ok(a) => a,
                Err(e) => return (Err(e), None),
            };
            // An input event stream goes with the call's one attempt, each
            // message signed as it is sent.
            let events = match (st.events.take(), attempt.event_signer.take()) {
                (Some(events), Some(signer)) => Some(SignedEvents::new(
                    events,
                    signer,
                    core.config.clock.clone(),
                    core.skew_secs(),
                )),
                _ => None,
            };
            // A streamed body is read a chunk at a time as the transport
            // sends it; each chunk read is progress for the timeout.
            let progress = Arc::new(std::sync::Mutex::new(std::time::Instant::now()));
            let upload = attempt.upload.take().map(|reader| ReadBody {
                body: super::super::stream::ByteStream::from_reader(reader),
                progress: progress.clone(),
            });
            let uploading = upload.is_some();
            let request = core.transport_request(&st, &attempt);
            // A streaming output's body is handed over as it arrives (the
            // timeout bounds the response head, and an error's whole body);
            // a waiter (which keeps the body) reads it whole.
            let send = async {
                let response = match (events, upload) {
                    (Some(body), _) => transport.send_duplex(request, Box::pin(body)).await,
                    (None, Some(body)) => {
                        let limit = request.max_response_bytes;
                        let response = match transport.send_upload(request, Box::pin(body)).await {
                            Ok(r) => r,
                            Err(e) => return (Err(e), None),
                        };
                        if !O::STREAMING_OUTPUT || keep_body {
                            let body = response.body.collect_async_limited(limit).await;
                            return StreamingResponse::read_whole(
                                response.status,
                                response.headers,
                                body,
                            );
                        }
                        Ok(response)
                    }
                    (None, None) if !O::STREAMING_OUTPUT || keep_body => {
                        return (transport.send(request).await, None);
                    }
                    (None, None) => transport.send_streaming(request).await,
                };
                let response = match response {
                    Ok(response) => response,
                    Err(e) => return (Err(e), None),
                };
                if super::super::http::is_success(response.status) {
                    // Each wait for more of the body is bounded by the
                    // attempt timeout, as the blocking transport's reads are.
                    let timer = sleep.clone();
                    let mut response = StreamingResponse {
                        body: response
                            .body
                            .with_idle_timeout(attempt.timeout, move |d| timer.sleep(d)),
                        ..response
                    };
                    // Output members that come in the stream's first event
                    // are read before the output is handed over.
                    if O::INITIAL_RESPONSE {
                        response.body = match response.body.buffer_first_message().await {
                            Ok(body) => body,
                            Err(e) => {
                                let e = TransportError::new(
                                    TransportErrorKind::Io,
                                    format!("reading the initial response: {e}"),
                                );
                                return (Err(e), None);
                            }
                        };
                    }
                    return response.into_head();
                }
                let body = response.body.collect_async_bounded(MAX_ERROR_BODY).await;
                StreamingResponse::read_whole(response.status, response.headers, body)
            };
            // An upload may take longer than an attempt: the timeout
            // bounds each wait for it to move on.
            let timed = if uploading {
                with_idle_timeout(send, &progress, attempt.timeout, &**sleep).await
            } else {
                with_timeout(send, sleep.sleep(attempt.timeout)).await
            };
            let received = timed.unwrap_or_else(|| {
                let e = TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no response within {:?}", attempt.timeout),
                );
                (Err(e), None)
            });
            match core.finish_attempt::<O>(&mut st, attempt.started, received) {
                After::Done(result) => return (result, st.body.take()),
                After::Retry(wait) if wait.is_zero() => {}
                After::Retry(wait) => sleep.sleep(wait).await,
            }
        }
    }

    /// The pages of paginated operation `O`, from `input`.
    pub fn paginate<O: paginate::Paginated>(&self, input: O::Input) -> AsyncPaginator<'_, O> {
        AsyncPaginator::new(self, input)
    }

    /// Polls `O` with `input` until `waiter` reaches a terminal state or
    /// `max_wait` passes, sleeping on the client's timer; dropping the
    /// future cancels the wait.
    pub async fn wait<O>(
        &self,
        input: &O::Input,
        waiter: &'static WaiterSpec<'static>,
        max_wait: Duration,
    ) -> WaitResult<O>
    where
        O: Operation,
        O::Input: super::super::JsonSerialize,
        O::Output: super::super::JsonSerialize,
    {
        let clock = &self.core.config.clock;
        let started = clock.now();
        let input_doc = waiter::document_of(input);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (result, body) = self.run::<O>(input, &CallOptions::default(), true).await;
            let waited = clock.now().duration_since(started).unwrap_or_default();
            match judge::<O>(waiter, &input_doc, result, body, attempts, waited, max_wait) {
                Judged::Done(r) => return r,
                Judged::Sleep(d) => {
                    match &self.sleep {
                        Some(sleep) => sleep.sleep(d).await,
                        None => return Err(WaiterError::Unexpected {
                            waiter: waiter.name,
                            error: SdkError::Config(config_error(
                                "no async timer; enable the `async` feature or use with_transport",
                            )),
                        }),
                    }
                }
            }
        }
    }
}
