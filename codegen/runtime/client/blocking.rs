//! The blocking client and its waiters.

use std::time::{Duration, Instant};

use super::super::document::Document;
use super::super::http::Operation;
use super::config::{config_error, Config};
use super::core::{After, ClientCore};
use super::discovery::{with_endpoint, Plan};
use super::paginate::{self, Paginator};
use super::presign::{PresignedRequest, PresigningConfig};
use super::retry::RetryQuota;
use super::sdk_error::SdkError;
use super::transport::StreamingResponse;
use super::waiter::{self, WaiterError, WaiterSpec};
use super::{CallOptions, ServiceInfo, MAX_ERROR_BODY};

/// A response handed over once its head is in: a streaming output's
/// successful body kept unread; any other read before `deadline` (each
/// read is bounded by the transport, the whole by the deadline), a
/// streaming operation's error body up to [`MAX_ERROR_BODY`], any other
/// body whole up to `limit`.
fn received(
    sent: Result<StreamingResponse, super::TransportError>,
    streaming: bool,
    limit: u64,
    deadline: Option<Instant>,
) -> super::transport::Received {
    match sent {
        Ok(response) if streaming && super::super::http::is_success(response.status) => {
            response.into_head()
        }
        Ok(response) => {
            let body = if streaming {
                response.body.collect_bounded(MAX_ERROR_BODY, deadline)
            } else {
                response.body.collect_limited(limit, deadline)
            };
            StreamingResponse::read_whole(response.status, response.headers, body)
        }
        Err(e) => (Err(e), None),
    }
}

/// A blocking client of one service: what a generated `Client` wraps.
#[derive(Clone, Debug)]
pub struct BlockingClient {
    pub(super) core: ClientCore,
}

impl BlockingClient {
    /// A client of `service` with `config`.
    pub fn new(config: Config, service: ServiceInfo) -> Self {
        BlockingClient {
            core: ClientCore::new(config, service),
        }
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

    /// Calls operation `O`: builds the request once (one idempotency token
    /// for every attempt), then signs and sends each attempt afresh,
    /// retrying as the standard mode says.
    pub fn call<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.run::<O>(input, options, false).0
    }

    /// [`call`](Self::call), also handing back the successful response's
    /// body when `keep_body` is set; to a discovered endpoint where the
    /// operation has one (see [`super::discovery`]).
    fn run<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
        keep_body: bool,
    ) -> Ran<O> {
        let core = &self.core;
        let (key, url) = match core.discovery_plan::<O>(options) {
            Err(e) => return (Err(e), None),
            Ok(Plan::Regular) => return self.run_at::<O>(input, options, keep_body),
            Ok(Plan::Use(key, url)) => (key, Some(url)),
            Ok(Plan::Discover(key, required)) => {
                let found = match core.service.endpoint_discovery {
                    Some(d) => (d.blocking)(self),
                    None => Ok(Vec::new()),
                };
                match core.discovered(&key, required, found) {
                    Ok(url) => (key, url),
                    Err(e) => return (Err(e), None),
                }
            }
        };
        let ran = self.run_at::<O>(input, &with_endpoint(options, url), keep_body);
        core.check_discovered(&key, &ran.0);
        ran
    }

    /// One call to the endpoint `options` and the configuration give.
    fn run_at<O: Operation>(
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
        // Sending events while the response streams back needs both
        // directions at once: HTTP/2, which only the async transport speaks.
        if st.events.is_some() {
            return (
                Err(SdkError::Config(config_error(format!(
                    "{} sends an input event stream, which needs HTTP/2 while the response streams back: call it with the async client (the `async` feature)",
                    O::NAME
                )))),
                None,
            );
        }
        let Some(transport) = core.config.transport.as_ref() else {
            return (
                Err(SdkError::Config(config_error(
                    "no HTTP transport; enable the `blocking` feature or set one with .transport(..)",
                ))),
                None,
            );
        };
        // A streaming output's body is handed over as it arrives; a waiter
        // (which keeps the body) reads it whole.
        let streaming = O::STREAMING_OUTPUT && !keep_body;
        loop {
            let pace = core.pace(&st);
            if !pace.is_zero() {
                core.config.clock.sleep(pace);
            }
            let mut attempt = match core.next_attempt(&mut st) {
                Ok(a) => a,
                Err(e) => return (Err(e), None),
            };
            let upload = attempt.upload.take();
            let request = core.transport_request(&st, &attempt);
            let received = match upload {
                // A streamed body: the response is read as any other once
                // the upload is sent (from now on: sending took its time).
                Some(mut body) => received(
                    transport.send_upload(&request, &mut *body),
                    streaming,
                    request.max_response_bytes,
                    Instant::now().checked_add(attempt.timeout),
                ),
                None if streaming => received(
                    transport.send_streaming(&request),
                    true,
                    request.max_response_bytes,
                    attempt.started.checked_add(attempt.timeout),
                ),
                None => (transport.send(&request), None),
            };
            match core.finish_attempt::<O>(&mut st, attempt.started, received) {
                After::Done(result) => return (result, st.body.take()),
                After::Retry(wait) if wait.is_zero() => {}
                After::Retry(wait) => core.config.clock.sleep(wait),
            }
        }
    }

    /// The pages of paginated operation `O`, from `input`.
    pub fn paginate<O: paginate::Paginated>(&self, input: O::Input) -> Paginator<'_, O> {
        Paginator::new(self, input)
    }

    /// Polls `O` with `input` until `waiter` reaches a terminal state or
    /// `max_wait` passes; the delays follow the Smithy waiter retry strategy
    /// on the configuration's clock.
    pub fn wait<O>(
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
            let (result, body) = self.run::<O>(input, &CallOptions::default(), true);
            let waited = clock.now().duration_since(started).unwrap_or_default();
            match judge::<O>(waiter, &input_doc, result, body, attempts, waited, max_wait) {
                Judged::Done(r) => return r,
                Judged::Sleep(d) => clock.sleep(d),
            }
        }
    }
}

/// A call's result, with the successful response's body when it was kept.
pub(super) type Ran<O> = (
    Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>,
    Option<Vec<u8>>,
);

/// The poll that put a waiter in its success state: usually an output, or
/// the error a success acceptor expects (a resource that must be gone).
#[derive(Debug)]
pub enum FinalPoll<O, E> {
    /// The output that matched.
    Output(O),
    /// The error that matched.
    Error(SdkError<E>),
}

impl<O, E> FinalPoll<O, E> {
    /// The output, if the final poll had one.
    pub fn output(self) -> Option<O> {
        match self {
            FinalPoll::Output(o) => Some(o),
            FinalPoll::Error(_) => None,
        }
    }
}

/// What a waiter polling operation `O` returns: the final poll of the
/// success state, or why there was none.
pub type WaitResult<O> = Result<
    FinalPoll<<O as Operation>::Output, <O as Operation>::Error>,
    WaiterError<<O as Operation>::Output, <O as Operation>::Error>,
>;

/// What follows one poll of a waiter.
pub(super) enum Judged<O, E> {
    Done(Result<FinalPoll<O, E>, WaiterError<O, E>>),
    Sleep(Duration),
}

/// Matches one poll against the acceptors, and picks the delay.
///
/// The output's document is the response body as received where it is
/// JSON: the form JMESPath reads (as botocore reads it), whatever members it
/// lacks; otherwise the output's JSON form.
pub(super) fn judge<O>(
    spec: &'static WaiterSpec<'static>,
    input: &Document,
    result: Result<O::Output, SdkError<O::Error>>,
    body: Option<Vec<u8>>,
    attempts: u32,
    waited: Duration,
    max_wait: Duration,
) -> Judged<O::Output, O::Error>
where
    O: Operation,
    O::Output: super::super::JsonSerialize,
{
    let state = match &result {
        Ok(output) => {
            // The body as received where it is JSON (what botocore evaluates);
            // an XML body (the query protocols) through the output's JSON
            // form, whose keys are the member names the paths use.
            let doc = match body.filter(|b| !super::super::json::JsonReader::is_blank(b)) {
                Some(b) => super::super::json::JsonReader::new(&b)
                    .read_document()
                    .unwrap_or_else(|_| waiter::document_of(output)),
                None => Document::Object(Default::default()),
            };
            waiter::matching_state(
                spec,
                &waiter::Polled::Output {
                    input,
                    output: &doc,
                },
            )
        }
        Err(e) => waiter::matching_state(spec, &waiter::Polled::Error(e.code())),
    };
    match (state, result) {
        (Some(waiter::State::Success), Ok(output)) => {
            return Judged::Done(Ok(FinalPoll::Output(output)))
        }
        (Some(waiter::State::Success), Err(e)) => {
            // An error acceptor with the success state (a resource that
            // must be gone).
            return Judged::Done(Ok(FinalPoll::Error(e)));
        }
        (Some(waiter::State::Failure), Ok(output)) => {
            return Judged::Done(Err(WaiterError::Failure {
                waiter: spec.name,
                output: Some(Box::new(output)),
                error: None,
            }))
        }
        (Some(waiter::State::Failure), Err(e)) => {
            return Judged::Done(Err(WaiterError::Failure {
                waiter: spec.name,
                output: None,
                error: Some(e),
            }))
        }
        (None, Err(e)) => {
            return Judged::Done(Err(WaiterError::Unexpected {
                waiter: spec.name,
                error: e,
            }))
        }
        (Some(waiter::State::Retry), _) | (None, Ok(_)) => {}
    }
    let remaining = max_wait.saturating_sub(waited);
    if remaining.is_zero() {
        return Judged::Done(Err(WaiterError::Timeout {
            waiter: spec.name,
            attempts,
            waited,
        }));
    }
    Judged::Sleep(waiter::retry_delay(
        attempts,
        spec.min_delay,
        spec.max_delay,
        remaining,
        |lo, hi| lo + (super::super::token::random_fraction() * (hi - lo + 1) as f64) as u64,
    ))
}
