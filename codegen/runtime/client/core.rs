//! What the blocking and async clients share: the call state machine.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::super::endpoint::ResolveError;
use super::super::http::{header, HttpRequest, Operation};
use super::super::stream::ByteStream;
use super::super::time::DateTime;
use super::super::ErrorMetadata;
use super::adaptive::ClientRateLimiter;
use super::config::{check_endpoint, config_error, Config};
use super::discovery::{Discovered, DiscoveryCache, Plan};
use super::retry::{self, RetryKind, RetryMode, RetryQuota};
use super::sdk_error::{RawResponse, SdkError, ServiceError};
use super::sigv4;
#[cfg(feature = "tracing")]
use super::trace;
use super::transport::{
    Received, TransportError, TransportErrorKind, TransportRequest, TransportResponse,
};
use super::{resolve_endpoint, user_agent, CallOptions, CredentialsError, ServiceInfo};

/// Clock skew, in seconds, below which a signing-time error is not blamed
/// on the clock.
pub(super) const MAX_UNNOTICED_SKEW: i64 = 240;

/// The largest clock skew a response's `Date` may correct, in seconds (a
/// day); a `Date` further away is ignored.
pub(super) const MAX_CORRECTED_SKEW: i64 = 86_400;

/// What a blocking and an async client share: configuration, service,
/// retry quota and clock skew. The call itself is a small state machine
/// ([`CallState`]) that both drive, one with blocking I/O, one with futures.
#[derive(Clone, Debug)]
pub(super) struct ClientCore {
    pub(super) config: Config,
    pub(super) service: ServiceInfo,
    pub(super) quota: RetryQuota,
    pub(super) skew: Arc<std::sync::Mutex<i64>>,
    /// The `User-Agent` header, the same for every call.
    pub(super) user_agent: String,
    /// The endpoint URL every call goes to instead of the resolved one
    /// (set in code or configured for this service).
    pub(super) endpoint: Option<String>,
    /// The adaptive retry mode's rate limiter, shared by clones.
    pub(super) limiter: Option<ClientRateLimiter>,
    /// Discovered endpoints, shared by clones.
    pub(super) discoveries: DiscoveryCache,
}

/// One call in progress: what every attempt shares.
pub(super) struct CallState {
    pub(super) request: HttpRequest,
    pub(super) url: String,
    pub(super) host: String,
    pub(super) path: String,
    pub(super) signing_name: String,
    pub(super) signing_region: String,
    pub(super) signing_settings: sigv4::SigningSettings,
    pub(super) deadline: Option<Instant>,
    pub(super) invocation_id: String,
    pub(super) max: u32,
    pub(super) attempt: u32,
    pub(super) skew_retried: bool,
    pub(super) retry_cost: u32,
    /// Whether to keep the successful response's body (waiters read it).
    pub(super) keep_body: bool,
    /// That body.
    pub(super) body: Option<Vec<u8>>,
    /// The error code of the last attempt's response, if it had one.
    pub(super) last_code: Option<String>,
    /// The input's event stream, sent after the request (by the async
    /// client, over HTTP/2); taken by the one attempt that sends it.
    pub(super) events: Option<Box<dyn super::super::stream::MessageSource>>,
    /// The input's streamed body (a file or a reader), sent by each
    /// attempt from its start.
    pub(super) upload: Option<super::upload::Upload>,
    /// The call's span (the `tracing` feature): events of its attempts
    /// name it as their parent, so no guard is held across an `.await`.
    #[cfg(feature = "tracing")]
    pub(super) span: tracing::Span,
}

/// One signed attempt, ready to send.
pub(super) struct Attempt {
    pub(super) started: Instant,
    pub(super) headers: Vec<(String, String)>,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Duration,
    /// The signer of the request's event stream, chained from this
    /// attempt's signature (operations with an input event stream).
    pub(super) event_signer: Option<super::event_signer::EventSigner>,
    /// The streamed body this attempt sends (operations with a streamed
    /// input), framed and signed as the call's upload plan says.
    pub(super) upload: Option<UploadBody>,
}

/// A streamed request body, as a transport reads it.
pub(super) type UploadBody = Box<dyn std::io::Read + Send>;

/// An attempt's signed headers, the signer of its event stream when it
/// sends one, and its streamed body when it has one.
pub(super) type SignedHeaders = (
    Vec<(String, String)>,
    Option<super::event_signer::EventSigner>,
    Option<UploadBody>,
);

/// What follows an attempt.
pub(super) enum After<T, E> {
    /// The call is over.
    Done(Result<T, SdkError<E>>),
    /// Wait this long, then try again.
    Retry(Duration),
}

impl ClientCore {
    pub(super) fn new(config: Config, service: ServiceInfo) -> Self {
        let quota = RetryQuota::new(config.retry.quota);
        let user_agent = user_agent(config.app_name.as_deref());
        let endpoint = config.endpoint_for(service.sdk_id);
        #[cfg(feature = "tracing")]
        if let Some(e) = &endpoint {
            tracing::debug!(
                service = service.sdk_id,
                endpoint = e.value.as_str(),
                source = e.source.as_str(),
                "configured endpoint URL"
            );
        }
        let limiter = (config.retry.mode == RetryMode::Adaptive).then(ClientRateLimiter::new);
        ClientCore {
            config,
            service,
            quota,
            skew: Arc::new(std::sync::Mutex::new(0)),
            user_agent,
            endpoint: endpoint.map(|e| e.value),
            limiter,
            discoveries: DiscoveryCache::default(),
        }
    }

    /// Seconds since the Unix epoch on the configuration's clock (the rate
    /// limiter's time).
    fn now_secs(&self) -> f64 {
        self.config
            .clock
            .now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }

    /// How long the next attempt waits for the adaptive mode's rate
    /// limiter (zero in the standard mode), within the call's deadline.
    pub(super) fn pace(&self, st: &CallState) -> Duration {
        let Some(limiter) = &self.limiter else {
            return Duration::ZERO;
        };
        let wait = limiter.acquire(self.now_secs());
        match st.deadline {
            Some(d) => wait.min(d.saturating_duration_since(Instant::now())),
            None => wait,
        }
    }

    /// Tells the adaptive mode's rate limiter how an attempt ended.
    fn observe(&self, throttled: bool) {
        if let Some(limiter) = &self.limiter {
            limiter.update(self.now_secs(), throttled);
        }
    }

    pub(super) fn skew_secs(&self) -> i64 {
        self.skew.lock().map_or(0, |g| *g)
    }

    pub(super) fn signing_time(&self) -> DateTime {
        super::transport::skewed_now(&*self.config.clock, self.skew_secs())
    }

    /// Builds the request once (one idempotency token for every attempt)
    /// and resolves the endpoint.
    pub(super) fn start<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
    ) -> Result<CallState, SdkError<O::Error>> {
        let started = Instant::now();
        let deadline = match (options.deadline, self.config.timeouts.call) {
            (Some(d), Some(t)) => Some(started.checked_add(t).map_or(d, |e| d.min(e))),
            (Some(d), None) => Some(d),
            (None, Some(t)) => started.checked_add(t),
            (None, None) => None,
        };
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "aws_call",
            service = O::SERVICE,
            operation = O::NAME,
            region = self.config.region.as_str(),
        );
        // The input's `Debug` form hides `@sensitive` members.
        #[cfg(feature = "tracing")]
        tracing::trace!(parent: &span, service = O::SERVICE, operation = O::NAME, input = ?input, "call input");
        let mut request = O::build_request(input).map_err(SdkError::Build)?;
        // Whatever built it (a prefix-header map, a custom `Operation`), no
        // header a transport receives holds a line break or a bad name.
        for (name, value) in &request.headers {
            let bad_value = value.chars().any(|c| c.is_control() && c != '\t');
            if !super::super::http::is_header_name(name) || bad_value {
                return Err(SdkError::Build(super::super::EncodeError::InvalidValue {
                    shape: O::NAME,
                    message: format!(
                        "the header {:?} has a name or value no HTTP message can carry",
                        super::super::error::Printable(name).to_string()
                    ),
                }));
            }
        }
        // The configuration's override was checked when it was built.
        let endpoint = match options.endpoint_url.as_deref() {
            Some(e) => {
                check_endpoint(e).map_err(SdkError::Config)?;
                Some(e)
            }
            None => self.endpoint.as_deref(),
        };
        // Resolved on every call: nothing cached can go stale.
        let resolved = resolve_endpoint(
            &self.service,
            &self.config,
            endpoint,
            O::endpoint_params(input),
        )?;
        // An operation that names its own endpoint (a customisation:
        // Machine Learning's `PredictEndpoint`) goes there, signed as the
        // resolved endpoint says.
        if let Some(own) = &request.endpoint {
            check_endpoint(own).map_err(SdkError::Config)?;
        }
        let url = request
            .endpoint
            .as_deref()
            .unwrap_or(resolved.endpoint.url.as_str());
        let (scheme, _) = url.split_once("://").unwrap_or(("https", ""));
        let scheme = scheme.to_owned();
        let host = request.host_for(url);
        let path = request.uri_for(url);
        for (name, values) in &resolved.endpoint.headers {
            for value in values {
                request.headers.push((name.clone(), value.clone()));
            }
        }
        // An input event stream is signed message by message, from the
        // request's signature; it is sent once, so the call has one attempt.
        let events = O::input_events(input);
        let mut signing_settings = resolved.signing_settings;
        let mut max = self.config.retry.max_attempts;
        if events.is_some() {
            signing_settings.payload_hash = Some(sigv4::STREAMING_EVENTS_PAYLOAD);
            signing_settings.payload_hash_header = true;
            max = 1;
        }
        // A streamed body is planned once (its headers, how it is signed,
        // its hashes when they go before it) and sent by every attempt.
        let upload = match request.streamed.clone() {
            None => None,
            Some(streamed) => {
                let build_error = |message: String| {
                    SdkError::Build(super::super::EncodeError::InvalidValue {
                        shape: O::NAME,
                        message,
                    })
                };
                let source = O::input_body(input)
                    .and_then(ByteStream::upload_source)
                    .ok_or_else(|| {
                        build_error(
                            "the streamed body is neither a file nor a reader of known length"
                                .into(),
                        )
                    })?;
                let plan = super::upload::Upload::plan(
                    source,
                    &streamed,
                    scheme.eq_ignore_ascii_case("https"),
                    &mut request,
                    &mut signing_settings,
                )
                .map_err(|e| build_error(format!("the streamed body: {e}")))?;
                Some(plan)
            }
        };
        Ok(CallState {
            url: format!("{scheme}://{host}{path}"),
            host,
            path,
            signing_name: resolved.signing_name,
            signing_region: resolved.signing_region,
            signing_settings,
            request,
            deadline,
            invocation_id: super::super::token::new_idempotency_token(),
            max,
            attempt: 1,
            skew_retried: false,
            retry_cost: 0,
            keep_body: false,
            body: None,
            last_code: None,
            events,
            upload,
            #[cfg(feature = "tracing")]
            span,
        })
    }

    /// Signs the next attempt, or ends the call when its deadline passed.
    pub(super) fn next_attempt<E>(&self, st: &mut CallState) -> Result<Attempt, SdkError<E>> {
        let remaining = st
            .deadline
            .map(|d| d.saturating_duration_since(Instant::now()));
        if remaining == Some(Duration::ZERO) {
            return Err(SdkError::Timeout {
                attempts: st.attempt - 1,
                source: TransportError::new(
                    TransportErrorKind::Timeout,
                    "the call deadline passed",
                ),
            });
        }
        let timeout = remaining.map_or(self.config.timeouts.attempt, |r| {
            r.min(self.config.timeouts.attempt)
        });
        let (headers, event_signer, upload) = self.attempt_headers(st)?;
        Ok(Attempt {
            started: Instant::now(),
            headers,
            timeout,
            connect_timeout: self.config.timeouts.connect.min(timeout),
            event_signer,
            upload,
        })
    }

    pub(super) fn transport_request<'a>(
        &self,
        st: &'a CallState,
        attempt: &'a Attempt,
    ) -> TransportRequest<'a> {
        TransportRequest {
            method: st.request.method,
            url: &st.url,
            headers: &attempt.headers,
            body: &st.request.body,
            timeout: attempt.timeout,
            connect_timeout: attempt.connect_timeout,
            max_response_bytes: self.config.max_response_bytes,
        }
    }

    /// Reads an attempt's outcome (see [`settle`](Self::settle)) and, with
    /// the `tracing` feature, reports it as one event.
    pub(super) fn finish_attempt<O: Operation>(
        &self,
        st: &mut CallState,
        started: Instant,
        (sent, stream): Received,
    ) -> After<O::Output, O::Error> {
        #[cfg(feature = "tracing")]
        let facts = trace::AttemptFacts::of(st.attempt, started, &sent);
        #[cfg(not(feature = "tracing"))]
        let _ = started;
        let after = self.settle::<O>(st, sent, stream);
        #[cfg(feature = "tracing")]
        {
            let (outcome, backoff) = match &after {
                After::Done(Ok(_)) => ("success", None),
                After::Done(Err(_)) => ("error", None),
                After::Retry(wait) => ("retry", Some(*wait)),
            };
            facts.report::<O>(&st.span, st.max, st.last_code.as_deref(), outcome, backoff);
        }
        after
    }

    /// An attempt's outcome: the output, a final error, or a retry after a
    /// backoff, as the standard retry mode says.
    pub(super) fn settle<O: Operation>(
        &self,
        st: &mut CallState,
        sent: Result<TransportResponse, TransportError>,
        stream: Option<ByteStream>,
    ) -> After<O::Output, O::Error> {
        st.last_code = None;
        let (kind, skewed, error) = match sent {
            Ok(response) => {
                let parsed = match stream {
                    Some(body) => {
                        O::parse_streaming_response(response.status, &response.headers, body)
                    }
                    None => O::parse_response(response.status, &response.headers, &response.body),
                };
                let error = match parsed {
                    Ok(output) => {
                        // `Debug` hides `@sensitive` members.
                        #[cfg(feature = "tracing")]
                        tracing::trace!(parent: &st.span, service = O::SERVICE, operation = O::NAME, output = ?output, "call output");
                        if st.keep_body {
                            st.body = Some(response.body.clone());
                        }
                        self.observe(false);
                        self.quota.release(if st.retry_cost > 0 {
                            st.retry_cost
                        } else {
                            self.config.retry.success_refund
                        });
                        return After::Done(Ok(output));
                    }
                    Err(error) => error,
                };
                let code = error.code();
                st.last_code = code.map(str::to_owned);
                let skew_code = code.is_some_and(|c| retry::CLOCK_SKEW_CODES.contains(&c));
                // Retried only when the server's clock is really elsewhere:
                // a wrong secret is not a skew.
                let skewed = skew_code
                    && !st.skew_retried
                    && header(&response.headers, "Date")
                        .is_some_and(|date| self.correct_skew(date));
                let kind = retry::classify_response(
                    response.status,
                    code,
                    error.is_retryable(),
                    error.is_throttling(),
                );
                let raw = RawResponse::from_transport(&response);
                (
                    kind,
                    skewed,
                    SdkError::Service(Box::new(ServiceError { error, raw })),
                )
            }
            Err(e) => {
                let kind = match e.kind {
                    TransportErrorKind::Timeout => Some(RetryKind::Timeout),
                    TransportErrorKind::Connect | TransportErrorKind::Io => {
                        Some(RetryKind::Connection)
                    }
                    TransportErrorKind::Other => None,
                };
                let attempts = st.attempt;
                let e = if e.host.is_none() {
                    e.with_host(st.host.clone())
                } else {
                    e
                };
                let err = if e.kind == TransportErrorKind::Timeout {
                    SdkError::Timeout {
                        attempts,
                        source: e,
                    }
                } else {
                    SdkError::Transport {
                        attempts,
                        source: e,
                    }
                };
                (kind, false, err)
            }
        };
        self.observe(kind == Some(RetryKind::Throttling));
        // A streamed body read from a one-shot reader cannot go again.
        let retryable = skewed || kind.is_some();
        if retryable
            && st.attempt < st.max
            && st.upload.as_ref().is_some_and(|u| !u.is_replayable())
        {
            return After::Done(Err(not_replayed(error)));
        }
        // A clock-skew error is retried once, outside the quota.
        if skewed && st.attempt < st.max {
            st.skew_retried = true;
            st.attempt += 1;
            return After::Retry(Duration::ZERO);
        }
        let Some(kind) = kind else {
            return After::Done(Err(error));
        };
        if st.attempt >= st.max {
            return After::Done(Err(error));
        }
        let cost = if kind == RetryKind::Timeout {
            self.config.retry.timeout_retry_cost
        } else {
            self.config.retry.retry_cost
        };
        if !self.quota.acquire(cost) {
            return After::Done(Err(error));
        }
        st.retry_cost += cost;
        st.attempt += 1;
        let wait = self
            .config
            .retry
            .backoff(st.attempt, super::super::token::random_fraction());
        let wake = Instant::now().checked_add(wait);
        if st.deadline.is_some_and(|d| wake.is_none_or(|w| w >= d)) {
            return After::Done(Err(error));
        }
        After::Retry(wait)
    }

    /// Sets the clock skew from a response's `Date`; whether it moved by
    /// more than [`MAX_UNNOTICED_SKEW`] seconds (a signature that old or new
    /// is refused).
    pub(super) fn correct_skew(&self, date: &str) -> bool {
        let Ok(server) = super::super::time::parse_http_date(date) else {
            return false;
        };
        let local = DateTime::from(self.config.clock.now());
        let skew = server.secs().saturating_sub(local.secs());
        // A `Date` a day or more away is not a skewed clock but a wrong
        // answer (a proxy, a forged or broken response): correcting to it
        // would sign every later call with that time.
        if skew.abs() > MAX_CORRECTED_SKEW {
            return false;
        }
        let Ok(mut g) = self.skew.lock() else {
            return false;
        };
        let moved = (skew - *g).abs() > MAX_UNNOTICED_SKEW;
        if moved {
            *g = skew;
        }
        moved
    }

    /// The headers of the next attempt, signed, and the signer of its
    /// event stream when it sends one.
    pub(super) fn attempt_headers<E>(
        &self,
        st: &mut CallState,
    ) -> Result<SignedHeaders, SdkError<E>> {
        let mut headers = st.request.headers.clone();
        headers.push(("Host".into(), st.host.clone()));
        headers.push(("User-Agent".into(), self.user_agent.clone()));
        headers.push(("amz-sdk-invocation-id".into(), st.invocation_id.clone()));
        headers.push((
            "amz-sdk-request".into(),
            format!("attempt={}; max={}", st.attempt, st.max),
        ));
        let credentials = self
            .config
            .credentials
            .provide_credentials()
            .map_err(SdkError::Credentials)?;
        let params = sigv4::SigningParams {
            access_key_id: credentials.access_key_id(),
            secret_access_key: credentials.secret_access_key(),
            session_token: credentials.session_token(),
            region: &st.signing_region,
            service: &st.signing_name,
            time: self.signing_time(),
            settings: st.signing_settings,
        };
        let signed = sigv4::sign(
            &sigv4::SignableRequest {
                method: st.request.method,
                uri: &st.path,
                headers: &headers,
                body: &st.request.body,
            },
            &params,
        )
        .map_err(|e| match e {
            sigv4::SigningError::EmptyCredentials => {
                SdkError::Credentials(CredentialsError::new(e.to_string()))
            }
            other => SdkError::Config(config_error(other.to_string())),
        })?;
        let event_signer = st
            .events
            .as_ref()
            .map(|_| super::event_signer::EventSigner::new(&params, &signed.signature));
        let upload = match st.upload.as_mut() {
            None => None,
            Some(plan) => Some(plan.body(&params, &signed.signature).map_err(|e| {
                SdkError::Build(super::super::EncodeError::InvalidValue {
                    shape: "streamed body",
                    message: e.to_string(),
                })
            })?),
        };
        headers.extend(signed.headers);
        Ok((headers, event_signer, upload))
    }
}

/// `error`, which would have been retried had the request's body not been
/// read from a one-shot reader: a transport failure says so.
fn not_replayed<E>(error: SdkError<E>) -> SdkError<E> {
    const NOTE: &str = " (not retried: the request body came from a reader, which is read once; ByteStream::from_path can be sent again)";
    match error {
        SdkError::Transport {
            attempts,
            mut source,
        } => {
            source.message.push_str(NOTE);
            SdkError::Transport { attempts, source }
        }
        SdkError::Timeout {
            attempts,
            mut source,
        } => {
            source.message.push_str(NOTE);
            SdkError::Timeout { attempts, source }
        }
        other => other,
    }
}

/// Endpoint discovery (see [`super::discovery`]).
impl ClientCore {
    /// What call `O` does about discovery.
    pub(super) fn discovery_plan<O: Operation>(
        &self,
        options: &CallOptions,
    ) -> Result<Plan, SdkError<O::Error>> {
        let Some(required) = O::DISCOVERED_ENDPOINT else {
            return Ok(Plan::Regular);
        };
        let configured = options.endpoint_url.is_some() || self.endpoint.is_some();
        let enabled = required || self.config.endpoint_discovery == Some(true);
        if configured || !enabled || self.service.endpoint_discovery.is_none() {
            return Ok(Plan::Regular);
        }
        // Endpoints are per identity: the access key id keys the cache.
        let key = self
            .config
            .credentials
            .provide_credentials()
            .map_err(SdkError::Credentials)?
            .access_key_id()
            .to_string();
        Ok(match self.discoveries.get(&key, self.config.clock.now()) {
            Some(url) => Plan::Use(key, url),
            None => Plan::Discover(key, required),
        })
    }

    /// Takes a discovery call's answer: the endpoint to use (cached), none
    /// (optional discovery that failed), or the call's error.
    pub(super) fn discovered<E>(
        &self,
        key: &str,
        required: bool,
        found: Discovered,
    ) -> Result<Option<String>, SdkError<E>> {
        let chosen = found.and_then(|list| {
            let first = list
                .into_iter()
                .next()
                .ok_or_else(|| "the service named no endpoint".to_string())?;
            let url = if first.address.contains("://") {
                first.address
            } else {
                format!("https://{}", first.address)
            };
            check_endpoint(&url).map_err(|e| e.to_string())?;
            let minutes = u64::try_from(first.cache_minutes)
                .unwrap_or(0)
                .clamp(1, 24 * 60);
            Ok((url, minutes))
        });
        match chosen {
            Ok((url, minutes)) => {
                let until = self.config.clock.now() + Duration::from_secs(minutes * 60);
                self.discoveries.put(key.to_string(), url.clone(), until);
                Ok(Some(url))
            }
            Err(why) if required => Err(SdkError::Endpoint(ResolveError::new(format!(
                "endpoint discovery failed: {why}"
            )))),
            Err(_) => Ok(None),
        }
    }

    /// After a call to a discovered endpoint: the service's discovery error
    /// or a 421 evicts it, so the next call discovers again.
    pub(super) fn check_discovered<T, E: ErrorMetadata>(
        &self,
        key: &str,
        result: &Result<T, SdkError<E>>,
    ) {
        let Err(e) = result else {
            return;
        };
        let code = self.service.endpoint_discovery.and_then(|d| d.error_code);
        let invalid = code.is_some_and(|c| e.code() == Some(c))
            || e.raw_response().is_some_and(|r| r.status == 421);
        if invalid {
            self.discoveries.evict(key);
        }
    }
}
