//! Calling AWS (the `client` feature): configuration, credentials, SigV4
//! signing, the standard retry mode and the call loop every generated
//! client method runs, blocking ([`BlockingClient`]) or async
//! ([`AsyncClient`]). The HTTP stack is a [`HttpTransport`] or an
//! [`AsyncHttpTransport`]: the `blocking` feature brings one on `ureq`, the
//! `async` feature one on hyper and tokio; any other stack plugs in by
//! implementing the trait.

pub mod body_hashes;
pub mod credentials;
#[cfg(feature = "async")]
mod hyper_transport;
pub mod paginate;
pub mod profile;
pub mod retry;
pub mod sigv4;
mod sts;
pub mod url;
/// The STS operations the credential providers call, generated (without
/// model documentation) from the STS slice the generator embeds.
#[rustfmt::skip]
pub mod sts_api;
#[cfg(feature = "tracing")]
mod trace;
#[cfg(feature = "blocking")]
mod ureq_transport;
pub mod waiter;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::document::Document;
use super::endpoint::{self, partition_of, Endpoint, Partition, ResolveError, RuleSet, Value};
use super::error::EncodeError;
use super::http::{header, HttpRequest, Operation};
use super::stream::ByteStream;
use super::time::DateTime;
use super::ErrorMetadata;
use retry::{RetryConfig, RetryKind, RetryQuota};

#[cfg(feature = "async")]
pub use hyper_transport::{HyperTransport, TokioSleep};
pub use paginate::{AsyncItems, AsyncPaginator, Items, Paginated, PaginatedItems, Paginator};
#[cfg(feature = "blocking")]
pub use ureq_transport::UreqTransport;
pub use waiter::{WaiterError, WaiterSpec};

/// Clock skew, in seconds, below which a signing-time error is not blamed
/// on the clock.
const MAX_UNNOTICED_SKEW: i64 = 240;

/// The largest clock skew a response's `Date` may correct, in seconds (a
/// day); a `Date` further away is ignored.
const MAX_CORRECTED_SKEW: i64 = 86_400;

/// How much of a response body an error keeps for debugging (the same
/// bound as an unhandled error's unread body).
pub const MAX_KEPT_BODY: usize = super::error::KEPT_BODY;

/// AWS credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials (or temporary ones with [`with_session_token`](Self::with_session_token)).
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiry: None,
        }
    }

    /// Adds the session token of temporary credentials.
    #[must_use]
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Sets when the credentials expire.
    #[must_use]
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials expire, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why no credentials could be had. Messages never hold a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
    not_loaded: bool,
}

impl CredentialsError {
    /// A failure with its explanation: a provider that is configured and
    /// cannot deliver (a chain stops there).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_loaded: false,
        }
    }

    /// A provider that is not configured here (a chain tries the next).
    pub fn not_loaded(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_loaded: true,
        }
    }

    /// Whether the provider was simply not configured.
    pub fn is_not_loaded(&self) -> bool {
        self.not_loaded
    }

    /// The explanation.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// Where credentials come from. Static credentials implement it; so can a
/// user's own source (a vault, a test double).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Credentials for the next request.
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        if self.access_key_id.trim().is_empty() || self.secret_access_key.trim().is_empty() {
            return Err(CredentialsError::new(
                "the static credentials have an empty access key id or secret access key",
            ));
        }
        Ok(self.clone())
    }
}

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
type Received = (
    Result<TransportResponse, TransportError>,
    Option<ByteStream>,
);

impl StreamingResponse {
    /// A successful response for the retry loop: its head, the body kept
    /// unread as the stream.
    fn into_head(self) -> Received {
        let head = TransportResponse {
            status: self.status,
            headers: self.headers,
            body: Vec::new(),
        };
        (Ok(head), Some(self.body))
    }

    /// Any other response for the retry loop, which reads error bodies
    /// whole: `body` is the whole body, or why it could not be read.
    fn read_whole(
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
            write!(f, " ({})", super::error::Printable(host))?;
        }
        write!(f, ": {}", super::error::Printable(&self.message))
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
}

/// Time as the client sees it: the signing clock and the backoff sleep.
/// Tests inject their own to check backoff without waiting.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now.
    fn now(&self) -> SystemTime;
    /// Waits `d` (a backoff between attempts).
    fn sleep(&self, d: Duration);
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

/// Timeouts of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting (TCP and TLS).
    pub connect: Duration,
    /// One attempt, from connecting to the last byte of the response; for
    /// a streaming output, to the response head, and then each wait for
    /// more of the body.
    pub attempt: Duration,
    /// The whole call, retries and backoff included; `None` for no limit.
    pub call: Option<Duration>,
}

impl Default for Timeouts {
    /// Connect 3.1 s (the SDKs' standard defaults mode), attempt 60 s, no call limit.
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_millis(3100),
            attempt: Duration::from_secs(60),
            call: None,
        }
    }
}

/// A configuration that cannot work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

fn config_error(message: impl Into<String>) -> ConfigError {
    ConfigError {
        message: message.into(),
    }
}

/// Checks an endpoint URL: `http` or `https`, a host, no query or fragment.
pub fn check_endpoint(url: &str) -> Result<(), ConfigError> {
    let parsed = url::parse_http_url(url).map_err(|e| config_error(format!("endpoint {e}")))?;
    if parsed.rest.contains(['?', '#']) {
        return Err(config_error(format!(
            "endpoint {url:?} needs a host and no query or fragment"
        )));
    }
    Ok(())
}

/// Checks a region name: lower-case letters, digits and dashes.
pub fn check_region(region: &str) -> Result<(), ConfigError> {
    let ok = !region.is_empty()
        && region.len() <= 63
        && !region.starts_with('-')
        && !region.ends_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(config_error(format!(
            "region {region:?} is not a region name (such as us-east-1)"
        )))
    }
}

/// Client configuration, built with [`Config::builder`].
#[derive(Clone, Debug)]
pub struct Config {
    region: String,
    credentials: Arc<dyn ProvideCredentials>,
    endpoint: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: Timeouts,
    transport: Option<Arc<dyn HttpTransport>>,
    clock: Arc<dyn Clock>,
    app_name: Option<String>,
    builtins: Vec<(String, BuiltinValue)>,
    max_response_bytes: u64,
}

/// The value of an endpoint built-in set with
/// [`ConfigBuilder::endpoint_builtin`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuiltinValue {
    /// For a boolean parameter (`AWS::S3::ForcePathStyle`).
    Bool(bool),
    /// For a string parameter.
    Str(String),
}

impl From<bool> for BuiltinValue {
    fn from(b: bool) -> Self {
        BuiltinValue::Bool(b)
    }
}

impl From<&str> for BuiltinValue {
    fn from(s: &str) -> Self {
        BuiltinValue::Str(s.to_owned())
    }
}

impl From<String> for BuiltinValue {
    fn from(s: String) -> Self {
        BuiltinValue::Str(s)
    }
}

/// The built-ins the configuration sets through its own settings.
const OWN_BUILTINS: [(&str, &str); 4] = [
    ("AWS::Region", ".region(..)"),
    ("AWS::UseFIPS", ".use_fips(..)"),
    ("AWS::UseDualStack", ".use_dual_stack(..)"),
    ("SDK::Endpoint", ".endpoint_url(..)"),
];

impl Config {
    /// A builder with the region and credentials found as the AWS SDKs find
    /// them (see [`credentials`]): region from `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile or instance metadata; credentials
    /// from the default chain, cached. Setters still override both.
    pub fn from_env() -> ConfigBuilder {
        Self::from_provider_config(credentials::ProviderConfig::default())
    }

    /// [`from_env`](Self::from_env) over another environment, transport or
    /// partition table.
    pub fn from_provider_config(config: credentials::ProviderConfig) -> ConfigBuilder {
        let mut builder = Config::builder();
        match credentials::default_region(&config, true) {
            Ok(region) => builder.region = region,
            Err(e) => builder.region_error = Some(e.message().to_string()),
        }
        builder.credentials = Some(Arc::new(credentials::DefaultCredentialsChain::cached(
            config,
        )));
        builder
    }

    /// A builder with the standard retry mode and default timeouts.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            region: None,
            region_error: None,
            credentials: None,
            endpoint: None,
            use_fips: false,
            use_dual_stack: false,
            retry: RetryConfig::STANDARD,
            timeouts: Timeouts::default(),
            transport: None,
            clock: Arc::new(SystemClock),
            app_name: None,
            builtins: Vec::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint override, if any.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// Whether calls go to FIPS endpoints.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether calls go to dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The value set for endpoint built-in `name` with
    /// [`ConfigBuilder::endpoint_builtin`].
    pub fn endpoint_builtin(&self, name: &str) -> Option<&BuiltinValue> {
        self.builtins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }
}

/// Builds a [`Config`].
#[derive(Debug)]
pub struct ConfigBuilder {
    region: Option<String>,
    /// Why looking the region up failed (a malformed profile file).
    region_error: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: Timeouts,
    transport: Option<Arc<dyn HttpTransport>>,
    clock: Arc<dyn Clock>,
    app_name: Option<String>,
    builtins: Vec<(String, BuiltinValue)>,
    max_response_bytes: u64,
}

impl ConfigBuilder {
    /// The region to call and sign for (required).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where credentials come from (required): [`Credentials`] themselves,
    /// or any [`ProvideCredentials`].
    #[must_use]
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sends every call to this URL (`https://host`, `http://127.0.0.1:4566`)
    /// instead of the endpoint the service's rule set resolves (the rule set
    /// still sees it, as `SDK::Endpoint`, and may refuse it, for instance
    /// together with FIPS).
    #[must_use]
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Uses FIPS 140 endpoints (the `AWS::UseFIPS` built-in; default off).
    #[must_use]
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = on;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints (the `AWS::UseDualStack`
    /// built-in; default off).
    #[must_use]
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = on;
        self
    }

    /// Sets an endpoint built-in of the services' rule sets that has no
    /// setting of its own, such as S3's `AWS::S3::ForcePathStyle` (`true`
    /// for MinIO and other S3 look-alikes), `AWS::S3::Accelerate` or
    /// `AWS::S3::UseArnRegion`. A rule set without that built-in ignores it;
    /// one that has it as a parameter of another type refuses the call.
    /// Setting a name again replaces its value.
    #[must_use]
    pub fn endpoint_builtin(
        mut self,
        name: impl Into<String>,
        value: impl Into<BuiltinValue>,
    ) -> Self {
        let name = name.into();
        self.builtins.retain(|(n, _)| *n != name);
        self.builtins.push((name, value.into()));
        self
    }

    /// Retry settings (default: [`RetryConfig::STANDARD`]).
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Timeouts (default: [`Timeouts::default`]).
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The HTTP stack (default with the `blocking` feature: its `UreqTransport`).
    #[must_use]
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The clock and sleep (default: [`SystemClock`]).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The largest response body read into memory (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 100 MiB): a larger one fails the
    /// attempt instead of exhausting memory. Streamed bodies (a streaming
    /// operation's successful response) are not bounded.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// An application name appended to the `User-Agent` (`app/NAME`).
    #[must_use]
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Checks and builds the configuration. Durations longer than a year
    /// (such as `Duration::MAX`) are taken as a year.
    pub fn build(self) -> Result<Config, ConfigError> {
        let region = match (self.region, self.region_error) {
            (Some(r), _) => r,
            (None, Some(why)) => return Err(config_error(format!("no region: {why}"))),
            (None, None) => {
                return Err(config_error(
                    "no region; set one with .region(\"us-east-1\"), AWS_REGION or a profile's `region`",
                ))
            }
        };
        check_region(&region)?;
        let credentials = self
            .credentials
            .ok_or_else(|| config_error("no credentials; set them with .credentials(..)"))?;
        if let Some(e) = &self.endpoint {
            check_endpoint(e)?;
        }
        if self.retry.max_attempts == 0 {
            return Err(config_error("retry max_attempts must be at least 1"));
        }
        for (name, _) in &self.builtins {
            if let Some((_, setter)) = OWN_BUILTINS.iter().find(|(b, _)| b == name) {
                return Err(config_error(format!(
                    "endpoint built-in {name} is set with {setter}, not endpoint_builtin"
                )));
            }
            let well_formed = name
                .split_once("::")
                .is_some_and(|(ns, rest)| !ns.is_empty() && !rest.is_empty());
            if !well_formed {
                return Err(config_error(format!(
                    "endpoint built-in {name:?} is no built-in name (such as AWS::S3::ForcePathStyle)"
                )));
            }
        }
        if let Some(name) = &self.app_name {
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
            {
                return Err(config_error(format!(
                    "app name {name:?} may hold only letters, digits and !#$%&'*+-.^_`|~"
                )));
            }
        }
        #[cfg(feature = "blocking")]
        let transport = Some(
            self.transport
                .unwrap_or_else(|| Arc::new(UreqTransport::new()) as Arc<dyn HttpTransport>),
        );
        #[cfg(not(feature = "blocking"))]
        let transport = self.transport;
        // Durations saturate: a year is "no limit" for any call, and
        // nothing later overflows an `Instant`.
        let timeouts = Timeouts {
            connect: self.timeouts.connect.min(MAX_DURATION),
            attempt: self.timeouts.attempt.min(MAX_DURATION),
            call: self.timeouts.call.map(|c| c.min(MAX_DURATION)),
        };
        let retry = RetryConfig {
            initial_backoff: self.retry.initial_backoff.min(MAX_DURATION),
            max_backoff: self.retry.max_backoff.min(MAX_DURATION),
            ..self.retry
        };
        Ok(Config {
            region,
            credentials,
            endpoint: self.endpoint,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry,
            timeouts,
            transport,
            clock: self.clock,
            app_name: self.app_name,
            builtins: self.builtins,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// A service response kept for debugging: status, request id, headers and
/// the first [`MAX_KEPT_BODY`] bytes of the body. Its `Debug` shows the
/// body as text, cut to [`DEBUG_BODY`] characters.
#[derive(Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The request id (`x-amzn-RequestId`), if any.
    pub request_id: Option<String>,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The start of the body.
    pub body: Vec<u8>,
    /// Whether the body was longer than what is kept.
    pub body_truncated: bool,
}

/// How much of a kept body `Debug` shows, in characters.
pub const DEBUG_BODY: usize = 1024;

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.body_text();
        let shown: String = text.chars().take(DEBUG_BODY).collect();
        let cut = shown.len() < text.len() || self.body_truncated;
        let body = if cut {
            format!(
                "{shown}... ({} bytes kept of a longer body)",
                self.body.len()
            )
        } else {
            shown
        };
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("headers", &self.headers)
            .field("body", &body)
            .finish()
    }
}

impl RawResponse {
    fn from_transport(r: &TransportResponse) -> Self {
        RawResponse {
            status: r.status,
            request_id: header(&r.headers, "x-amzn-RequestId").map(String::from),
            headers: r.headers.clone(),
            body: r.body[..r.body.len().min(MAX_KEPT_BODY)].to_vec(),
            body_truncated: r.body.len() > MAX_KEPT_BODY,
        }
    }

    /// The kept body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The service answered with an error: the operation's error enum (a
    /// modeled error, or `Unhandled` with the code and message) and the
    /// response it came from.
    Service(Box<ServiceError<E>>),
    /// The request could not be built (a required member is unset, a host
    /// label is invalid).
    Build(EncodeError),
    /// The configuration cannot make this call (no transport, bad endpoint).
    Config(ConfigError),
    /// The service's endpoint rule set refused the configuration (its own
    /// message, such as a custom endpoint together with FIPS).
    Endpoint(ResolveError),
    /// A paginator stopped: the service answered with the token it was sent.
    RepeatedToken {
        /// The token.
        token: String,
    },
    /// No credentials, or credentials that cannot sign.
    Credentials(CredentialsError),
    /// The attempt or call timeout passed.
    Timeout {
        /// Attempts made.
        attempts: u32,
        /// The transport's report of the last attempt.
        source: TransportError,
    },
    /// The connection failed or broke.
    Transport {
        /// Attempts made.
        attempts: u32,
        /// The transport's report of the last attempt.
        source: TransportError,
    },
}

/// An error response of the service.
#[derive(Debug)]
pub struct ServiceError<E> {
    /// The operation error parsed from it.
    pub error: E,
    /// The response, kept for debugging.
    pub raw: RawResponse,
}

impl<E: ErrorMetadata> SdkError<E> {
    /// The service error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(s) => Some(&s.error),
            _ => None,
        }
    }

    /// The service error, owned.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(s) => Some(s.error),
            _ => None,
        }
    }

    /// The raw response, if there was one.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            SdkError::Service(s) => Some(&s.raw),
            _ => None,
        }
    }

    /// The error code of a service error.
    pub fn code(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.code())
    }

    /// The message of a service error, as the service sent it.
    pub fn message(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.message())
    }

    /// The request id of the response, if there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(s) => s.error.request_id().or(s.raw.request_id.as_deref()),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Service(s) => {
                write!(f, "service error (HTTP {}): {}", s.raw.status, s.error)?;
                if let Some(id) = &s.raw.request_id {
                    write!(f, " [request id {}]", super::error::Printable(id))?;
                }
                Ok(())
            }
            SdkError::Build(e) => write!(f, "cannot build the request: {e}"),
            SdkError::Config(e) => fmt::Display::fmt(e, f),
            SdkError::Endpoint(e) => write!(f, "cannot resolve the endpoint: {e}"),
            SdkError::RepeatedToken { token } => write!(
                f,
                "pagination stopped: the service returned the token it was sent ({token:?})"
            ),
            SdkError::Credentials(e) => fmt::Display::fmt(e, f),
            SdkError::Timeout { attempts, source } => {
                write!(f, "timed out after {attempts} attempt(s): {source}")
            }
            SdkError::Transport { attempts, source } => {
                write!(f, "transport failure after {attempts} attempt(s): {source}")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Service(s) => Some(&s.error),
            SdkError::Build(e) => Some(e),
            SdkError::Config(e) => Some(e),
            SdkError::Endpoint(e) => Some(e),
            SdkError::RepeatedToken { .. } => None,
            SdkError::Credentials(e) => Some(e),
            SdkError::Timeout { source, .. } | SdkError::Transport { source, .. } => Some(source),
        }
    }
}

/// The facts about a service a client needs, from its generated module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The SigV4 signing name (an endpoint's `authSchemes` may override it).
    pub signing_name: &'static str,
    /// The endpoint prefix (first label of the regional host name).
    pub endpoint_prefix: &'static str,
    /// The service's endpoint rule set, when its model has one.
    pub endpoint_rules: Option<&'static RuleSet<'static>>,
    /// The partition table the rule set's `aws.partition` reads.
    pub partitions: &'static [Partition<'static>],
}

/// The endpoint of a service whose model has no rule set:
/// `https://{prefix}.{region}.{dnsSuffix}` in the region's partition.
pub fn default_endpoint(service: &ServiceInfo, region: &str) -> String {
    let suffix =
        partition_of(service.partitions, region).map_or("amazonaws.com", |p| p.outputs.dns_suffix);
    format!("https://{}.{region}.{suffix}", service.endpoint_prefix)
}

/// Where one call goes and how it is signed.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedEndpoint {
    /// The endpoint (URL, headers, properties).
    pub endpoint: Endpoint,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The SigV4 signing region.
    pub signing_region: String,
    /// The signing switches the endpoint's auth scheme asks for.
    pub signing_settings: sigv4::SigningSettings,
}

/// Resolves the endpoint of one call: the rule set (when the service has
/// one) with the configuration's region, FIPS and dual-stack switches, the
/// endpoint override (`endpoint`, already chosen between the call's and the
/// configuration's) and the operation's own parameters; the `sigv4` entry
/// of the endpoint's `authSchemes` then gives the signing name and region.
pub fn resolve_endpoint(
    service: &ServiceInfo,
    config: &Config,
    endpoint: Option<&str>,
    operation_params: Vec<(&'static str, Value<'_>)>,
) -> Result<ResolvedEndpoint, EndpointFailure> {
    let Some(rules) = service.endpoint_rules else {
        let url = endpoint.map_or_else(|| default_endpoint(service, &config.region), String::from);
        return Ok(ResolvedEndpoint {
            endpoint: Endpoint::from_url(url),
            signing_name: service.signing_name.to_owned(),
            signing_region: config.region.clone(),
            signing_settings: sigv4::SigningSettings::default(),
        });
    };
    let mut values: Vec<Value<'_>> = Vec::with_capacity(rules.params.len());
    for p in rules.params {
        values.push(match p.builtin {
            Some("AWS::Region") => Value::str(&config.region),
            Some("AWS::UseFIPS") => Value::Bool(config.use_fips),
            Some("AWS::UseDualStack") => Value::Bool(config.use_dual_stack),
            Some("SDK::Endpoint") => Value::opt_str(endpoint),
            Some(name) => match (config.endpoint_builtin(name), p.kind) {
                (None, _) => Value::None,
                (Some(BuiltinValue::Bool(b)), endpoint::ParamKind::Boolean) => Value::Bool(*b),
                (Some(BuiltinValue::Str(s)), endpoint::ParamKind::String) => Value::str(s),
                (Some(_), kind) => {
                    return Err(EndpointFailure::Config(config_error(format!(
                        "endpoint built-in {name} is a {kind:?} parameter of this service's rule set; set it with a value of that type"
                    ))))
                }
            },
            None => Value::None,
        });
    }
    for (name, value) in operation_params {
        if let Some(i) = rules.params.iter().position(|p| p.name == name) {
            values[i] = value;
        }
    }
    let resolved =
        endpoint::resolve(rules, values, service.partitions).map_err(EndpointFailure::Rules)?;
    check_endpoint(&resolved.url).map_err(EndpointFailure::Config)?;
    let (signing_name, signing_region, signing_settings) = signing_of(&resolved, service, config)?;
    Ok(ResolvedEndpoint {
        endpoint: resolved,
        signing_name,
        signing_region,
        signing_settings,
    })
}

/// The signing name, region and switches: the service's and the
/// configuration's, unless the endpoint's `sigv4` auth scheme says
/// otherwise. `disableDoubleEncoding` (S3's endpoints set it) signs the path
/// as sent, neither encoded again nor normalized, and, as S3 requires of
/// every request, with an `x-amz-content-sha256` header.
fn signing_of(
    resolved: &Endpoint,
    service: &ServiceInfo,
    config: &Config,
) -> Result<(String, String, sigv4::SigningSettings), EndpointFailure> {
    let mut signing_name = service.signing_name.to_owned();
    let mut signing_region = config.region.clone();
    let mut settings = sigv4::SigningSettings::default();
    let mut schemes = resolved.auth_schemes().peekable();
    if schemes.peek().is_some() {
        let mut names = Vec::new();
        let sigv4 = schemes.find(|s| {
            let name = s.get("name").and_then(Document::as_str).unwrap_or_default();
            names.push(name.to_owned());
            name == "sigv4"
        });
        let Some(sigv4) = sigv4 else {
            return Err(EndpointFailure::Config(config_error(format!(
                "endpoint {} needs auth scheme(s) {}, and this client signs only with sigv4",
                resolved.url,
                names.join(", ")
            ))));
        };
        if let Some(name) = sigv4.get("signingName").and_then(Document::as_str) {
            signing_name = name.to_owned();
        }
        if let Some(region) = sigv4.get("signingRegion").and_then(Document::as_str) {
            signing_region = region.to_owned();
        }
        if sigv4.get("disableDoubleEncoding") == Some(&Document::Bool(true)) {
            settings.double_encode_path = false;
            settings.normalize_path = false;
            settings.payload_hash_header = true;
        }
    }
    Ok((signing_name, signing_region, settings))
}

/// Why [`resolve_endpoint`] failed.
#[derive(Clone, Debug, PartialEq)]
pub enum EndpointFailure {
    /// The rule set's own error.
    Rules(ResolveError),
    /// A resolved endpoint this client cannot use.
    Config(ConfigError),
}

impl<E> From<EndpointFailure> for SdkError<E> {
    fn from(f: EndpointFailure) -> Self {
        match f {
            EndpointFailure::Rules(e) => SdkError::Endpoint(e),
            EndpointFailure::Config(e) => SdkError::Config(e),
        }
    }
}

/// The `User-Agent` the client sends.
pub fn user_agent(app_name: Option<&str>) -> String {
    let mut ua = format!(
        "aws-slim/{} os/{} lang/rust",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS
    );
    if let Some(app) = app_name {
        ua.push_str(" app/");
        ua.push_str(app);
    }
    ua
}

/// Per-call overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Send this call to another endpoint.
    pub endpoint_url: Option<String>,
    /// The latest instant the call may end at (the blocking counterpart of
    /// dropping a future): no attempt starts or runs past it.
    pub deadline: Option<Instant>,
}

/// The largest response body a client reads into memory unless configured
/// otherwise ([`ConfigBuilder::max_response_bytes`]): 100 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 100 << 20;

/// How much of a streaming operation's error body is read (1 MiB): enough
/// for any error document; the rest is left on the connection, which is
/// then closed.
pub const MAX_ERROR_BODY: usize = 1 << 20;

/// The longest timeout or backoff a configuration keeps: a year, which is
/// no limit for a call, and far from overflowing an `Instant`.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// What a blocking and an async client share: configuration, service,
/// retry quota and clock skew. The call itself is a small state machine
/// ([`CallState`]) that both drive, one with blocking I/O, one with futures.
#[derive(Clone, Debug)]
struct ClientCore {
    config: Config,
    service: ServiceInfo,
    quota: RetryQuota,
    skew: Arc<std::sync::Mutex<i64>>,
    /// The `User-Agent` header, the same for every call.
    user_agent: String,
}

/// One call in progress: what every attempt shares.
struct CallState {
    request: HttpRequest,
    url: String,
    host: String,
    path: String,
    signing_name: String,
    signing_region: String,
    signing_settings: sigv4::SigningSettings,
    deadline: Option<Instant>,
    invocation_id: String,
    max: u32,
    attempt: u32,
    skew_retried: bool,
    retry_cost: u32,
    /// Whether to keep the successful response's body (waiters read it).
    keep_body: bool,
    /// That body.
    body: Option<Vec<u8>>,
    /// The error code of the last attempt's response, if it had one.
    last_code: Option<String>,
    /// The call's span (the `tracing` feature): events of its attempts
    /// name it as their parent, so no guard is held across an `.await`.
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

/// One signed attempt, ready to send.
struct Attempt {
    started: Instant,
    headers: Vec<(String, String)>,
    timeout: Duration,
    connect_timeout: Duration,
}

/// What follows an attempt.
enum After<T, E> {
    /// The call is over.
    Done(Result<T, SdkError<E>>),
    /// Wait this long, then try again.
    Retry(Duration),
}

impl ClientCore {
    fn new(config: Config, service: ServiceInfo) -> Self {
        let quota = RetryQuota::new(config.retry.quota);
        let user_agent = user_agent(config.app_name.as_deref());
        ClientCore {
            config,
            service,
            quota,
            skew: Arc::new(std::sync::Mutex::new(0)),
            user_agent,
        }
    }

    fn skew_secs(&self) -> i64 {
        self.skew.lock().map_or(0, |g| *g)
    }

    fn signing_time(&self) -> DateTime {
        let now = DateTime::from(self.config.clock.now());
        DateTime::from_secs(now.secs().saturating_add(self.skew_secs()))
    }

    /// Builds the request once (one idempotency token for every attempt)
    /// and resolves the endpoint.
    fn start<O: Operation>(
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
            if !super::http::is_header_name(name) || bad_value {
                return Err(SdkError::Build(super::EncodeError::InvalidValue {
                    shape: O::NAME,
                    message: format!(
                        "the header {:?} has a name or value no HTTP message can carry",
                        super::error::Printable(name).to_string()
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
            None => self.config.endpoint.as_deref(),
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
        let host = request.host_for(url);
        let path = request.uri_for(url);
        for (name, values) in &resolved.endpoint.headers {
            for value in values {
                request.headers.push((name.clone(), value.clone()));
            }
        }
        Ok(CallState {
            url: format!("{scheme}://{host}{path}"),
            host,
            path,
            signing_name: resolved.signing_name,
            signing_region: resolved.signing_region,
            signing_settings: resolved.signing_settings,
            request,
            deadline,
            invocation_id: super::token::new_idempotency_token(),
            max: self.config.retry.max_attempts,
            attempt: 1,
            skew_retried: false,
            retry_cost: 0,
            keep_body: false,
            body: None,
            last_code: None,
            #[cfg(feature = "tracing")]
            span,
        })
    }

    /// Signs the next attempt, or ends the call when its deadline passed.
    fn next_attempt<E>(&self, st: &CallState) -> Result<Attempt, SdkError<E>> {
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
        Ok(Attempt {
            started: Instant::now(),
            headers: self.attempt_headers(st)?,
            timeout,
            connect_timeout: self.config.timeouts.connect.min(timeout),
        })
    }

    fn transport_request<'a>(
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
    fn finish_attempt<O: Operation>(
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
        facts.report::<O>(st, &after);
        after
    }

    /// An attempt's outcome: the output, a final error, or a retry after a
    /// backoff, as the standard retry mode says.
    fn settle<O: Operation>(
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
            .backoff(st.attempt, super::token::random_fraction());
        let wake = Instant::now().checked_add(wait);
        if st.deadline.is_some_and(|d| wake.is_none_or(|w| w >= d)) {
            return After::Done(Err(error));
        }
        After::Retry(wait)
    }

    /// Sets the clock skew from a response's `Date`; whether it moved by
    /// more than [`MAX_UNNOTICED_SKEW`] seconds (a signature that old or new
    /// is refused).
    fn correct_skew(&self, date: &str) -> bool {
        let Ok(server) = super::time::parse_http_date(date) else {
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

    fn attempt_headers<E>(&self, st: &CallState) -> Result<Vec<(String, String)>, SdkError<E>> {
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
        let signed = sigv4::sign(
            &sigv4::SignableRequest {
                method: st.request.method,
                uri: &st.path,
                headers: &headers,
                body: &st.request.body,
            },
            &sigv4::SigningParams {
                access_key_id: credentials.access_key_id(),
                secret_access_key: credentials.secret_access_key(),
                session_token: credentials.session_token(),
                region: &st.signing_region,
                service: &st.signing_name,
                time: self.signing_time(),
                settings: st.signing_settings,
            },
        )
        .map_err(|e| match e {
            sigv4::SigningError::EmptyCredentials => {
                SdkError::Credentials(CredentialsError::new(e.to_string()))
            }
            other => SdkError::Config(config_error(other.to_string())),
        })?;
        headers.extend(signed.headers);
        Ok(headers)
    }
}

/// A blocking client of one service: what a generated `Client` wraps.
#[derive(Clone, Debug)]
pub struct BlockingClient {
    core: ClientCore,
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
    /// body when `keep_body` is set.
    fn run<O: Operation>(
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
            let attempt = match core.next_attempt(&st) {
                Ok(a) => a,
                Err(e) => return (Err(e), None),
            };
            let request = core.transport_request(&st, &attempt);
            let received = if streaming {
                match transport.send_streaming(&request) {
                    Ok(response) if super::http::is_success(response.status) => {
                        response.into_head()
                    }
                    // An error body is read up to a bound, within the
                    // attempt's time (each read is bounded by the
                    // transport, the whole by this deadline).
                    Ok(response) => StreamingResponse::read_whole(
                        response.status,
                        response.headers,
                        response.body.collect_bounded(
                            MAX_ERROR_BODY,
                            attempt.started.checked_add(attempt.timeout),
                        ),
                    ),
                    Err(e) => (Err(e), None),
                }
            } else {
                (transport.send(&request), None)
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
        O::Input: super::JsonSerialize,
        O::Output: super::JsonSerialize,
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
type Ran<O> = (
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
enum Judged<O, E> {
    Done(Result<FinalPoll<O, E>, WaiterError<O, E>>),
    Sleep(Duration),
}

/// Matches one poll against the acceptors, and picks the delay.
///
/// The output's document is the response body as received where it is
/// JSON: the form JMESPath reads (as botocore reads it), whatever members it
/// lacks; otherwise the output's JSON form.
fn judge<O>(
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
    O::Output: super::JsonSerialize,
{
    let state = match &result {
        Ok(output) => {
            // The body as received where it is JSON (what botocore evaluates);
            // an XML body (the query protocols) through the output's JSON
            // form, whose keys are the member names the paths use.
            let doc = match body.filter(|b| !super::json::JsonReader::is_blank(b)) {
                Some(b) => super::json::JsonReader::new(&b)
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
        |lo, hi| lo + (super::token::random_fraction() * (hi - lo + 1) as f64) as u64,
    ))
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
}

/// An async timer: the backoff between attempts and the attempt timeout.
pub trait AsyncSleep: Send + Sync + fmt::Debug {
    /// A future that is ready after `d`.
    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()>;
}

/// `future`, or `None` when `timer` is ready first. Both are dropped at
/// the end, so nothing keeps running.
async fn with_timeout<T>(
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

/// An async client of one service: what a generated `AsyncClient` wraps.
/// Dropping a call's future cancels it: the client spawns nothing.
#[derive(Clone, Debug)]
pub struct AsyncClient {
    core: ClientCore,
    transport: Option<Arc<dyn AsyncHttpTransport>>,
    sleep: Option<Arc<dyn AsyncSleep>>,
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

    /// The retry quota (shared by every call of this client and its clones).
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.core.quota
    }

    /// Calls operation `O`, like [`BlockingClient::call`], without blocking.
    pub async fn call<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.run::<O>(input, options, false).await.0
    }

    /// [`call`](Self::call), also handing back the successful response's
    /// body when `keep_body` is set.
    async fn run<O: Operation>(
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
            let attempt = match core.next_attempt(&st) {
                Ok(a) => a,
                Err(e) => return (Err(e), None),
            };
            let request = core.transport_request(&st, &attempt);
            // A streaming output's body is handed over as it arrives (the
            // timeout bounds the response head, and an error's whole body);
            // a waiter (which keeps the body) reads it whole.
            let send = async {
                if !O::STREAMING_OUTPUT || keep_body {
                    return (transport.send(request).await, None);
                }
                let response = match transport.send_streaming(request).await {
                    Ok(response) => response,
                    Err(e) => return (Err(e), None),
                };
                if super::http::is_success(response.status) {
                    // Each wait for more of the body is bounded by the
                    // attempt timeout, as the blocking transport's reads are.
                    let timer = sleep.clone();
                    let response = StreamingResponse {
                        body: response
                            .body
                            .with_idle_timeout(attempt.timeout, move |d| timer.sleep(d)),
                        ..response
                    };
                    return response.into_head();
                }
                let body = response.body.collect_async_bounded(MAX_ERROR_BODY).await;
                StreamingResponse::read_whole(response.status, response.headers, body)
            };
            let received = with_timeout(send, sleep.sleep(attempt.timeout))
                .await
                .unwrap_or_else(|| {
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
        O::Input: super::JsonSerialize,
        O::Output: super::JsonSerialize,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiter_reads_an_xml_response_through_the_output() {
        use super::super::http::Headers;
        use waiter::{Acceptor, Comparator, Matcher, State};
        // An operation whose output is a document (for its JSON form).
        struct Poll;
        impl Operation for Poll {
            type Input = ();
            type Output = Document;
            type Error = super::super::UnhandledError;
            const SERVICE: &'static str = "Svc";
            const NAME: &'static str = "Poll";
            fn build_request(_: &()) -> Result<HttpRequest, EncodeError> {
                unreachable!("not sent")
            }
            fn parse_response(
                _: u16,
                _: &(impl Headers + ?Sized),
                _: &[u8],
            ) -> Result<Document, Self::Error> {
                unreachable!("not parsed")
            }
        }
        static STATUS: super::super::jmespath::Expr<'static> =
            super::super::jmespath::Expr::Field("Status");
        static SPEC: WaiterSpec<'static> = WaiterSpec {
            name: "Done",
            min_delay: 1,
            max_delay: 2,
            acceptors: &[Acceptor {
                state: State::Success,
                matcher: Matcher::Output(&STATUS, "done", Comparator::StringEquals),
            }],
        };
        let output = |status: &str| {
            Document::Object(
                [("Status".to_owned(), Document::String(status.to_owned()))]
                    .into_iter()
                    .collect(),
            )
        };
        let xml =
            b"<PollResponse><PollResult><Status>done</Status></PollResult></PollResponse>".to_vec();
        let judged = judge::<Poll>(
            &SPEC,
            &Document::Null,
            Ok(output("done")),
            Some(xml.clone()),
            1,
            Duration::ZERO,
            Duration::from_secs(60),
        );
        assert!(matches!(judged, Judged::Done(Ok(FinalPoll::Output(_)))));
        // Not done yet: another poll.
        let judged = judge::<Poll>(
            &SPEC,
            &Document::Null,
            Ok(output("running")),
            Some(xml),
            1,
            Duration::ZERO,
            Duration::from_secs(60),
        );
        assert!(matches!(judged, Judged::Sleep(_)));
    }

    #[test]
    fn endpoints_and_regions_are_checked() {
        assert!(check_endpoint("https://dms.us-east-1.amazonaws.com").is_ok());
        assert!(check_endpoint("http://127.0.0.1:4566/base").is_ok());
        for bad in [
            "dms.amazonaws.com",
            "ftp://x",
            "https://",
            "https://h?x=1",
            "https://a b",
        ] {
            let err = check_endpoint(bad).unwrap_err().to_string();
            assert!(err.contains(bad), "{err}");
        }
        assert!(check_region("us-east-1").is_ok());
        for bad in ["", "US-EAST-1", "us east", "-x", "us_east"] {
            assert!(check_region(bad).is_err(), "{bad}");
        }
    }

    use super::endpoint::{
        Condition, EndpointTemplate, Expr, Function, Literal, Param, ParamKind, Piece, Rule,
    };

    use super::endpoint::tests::PARTITIONS as TEST_PARTITIONS;

    /// Region, UseFIPS, Endpoint, Bucket (an operation parameter): a custom
    /// endpoint is used as is; FIPS moves the signing region; a bucket
    /// becomes a header; the region `sigv4a-only` asks for sigv4a.
    static TEST_RULES: RuleSet<'static> = RuleSet {
        params: &[
            Param {
                name: "Region",
                kind: ParamKind::String,
                required: false,
                default: None,
                builtin: Some("AWS::Region"),
            },
            Param {
                name: "UseFIPS",
                kind: ParamKind::Boolean,
                required: true,
                default: Some(Literal::Bool(false)),
                builtin: Some("AWS::UseFIPS"),
            },
            Param {
                name: "Endpoint",
                kind: ParamKind::String,
                required: false,
                default: None,
                builtin: Some("SDK::Endpoint"),
            },
            Param {
                name: "Bucket",
                kind: ParamKind::String,
                required: false,
                default: None,
                builtin: None,
            },
        ],
        slots: 4,
        rules: &[
            Rule::Endpoint {
                conditions: &[Condition {
                    expr: Expr::Call(Function::IsSet, &[Expr::Ref(2)]),
                    assign: None,
                }],
                endpoint: EndpointTemplate {
                    url: Expr::Ref(2),
                    properties: &[],
                    headers: &[],
                },
            },
            Rule::Endpoint {
                conditions: &[Condition {
                    expr: Expr::Call(
                        Function::StringEquals,
                        &[Expr::Ref(0), Expr::Str(&[Piece::Text("sigv4a-only")])],
                    ),
                    assign: None,
                }],
                endpoint: EndpointTemplate {
                    url: Expr::Str(&[Piece::Text("https://global.example.com")]),
                    properties: &[(
                        "authSchemes",
                        Expr::Array(&[Expr::Object(&[(
                            "name",
                            Expr::Str(&[Piece::Text("sigv4a")]),
                        )])]),
                    )],
                    headers: &[],
                },
            },
            Rule::Endpoint {
                conditions: &[Condition {
                    expr: Expr::Call(Function::BooleanEquals, &[Expr::Ref(1), Expr::Bool(true)]),
                    assign: None,
                }],
                endpoint: EndpointTemplate {
                    url: Expr::Str(&[Piece::Text("https://svc-fips.example.com")]),
                    properties: &[(
                        "authSchemes",
                        Expr::Array(&[
                            Expr::Object(&[("name", Expr::Str(&[Piece::Text("sigv4a")]))]),
                            Expr::Object(&[
                                ("name", Expr::Str(&[Piece::Text("sigv4")])),
                                ("signingName", Expr::Str(&[Piece::Text("svc-fips")])),
                                ("signingRegion", Expr::Str(&[Piece::Text("us-gov-west-1")])),
                            ]),
                        ]),
                    )],
                    headers: &[],
                },
            },
            Rule::Endpoint {
                conditions: &[Condition {
                    expr: Expr::Call(Function::IsSet, &[Expr::Ref(3)]),
                    assign: None,
                }],
                endpoint: EndpointTemplate {
                    url: Expr::Str(&[
                        Piece::Text("https://svc."),
                        Piece::Var(0),
                        Piece::Text(".example.com"),
                    ]),
                    properties: &[],
                    headers: &[("x-bucket", &[Expr::Ref(3)])],
                },
            },
            Rule::Endpoint {
                conditions: &[],
                endpoint: EndpointTemplate {
                    url: Expr::Str(&[
                        Piece::Text("https://svc."),
                        Piece::Var(0),
                        Piece::Text(".example.com"),
                    ]),
                    properties: &[],
                    headers: &[],
                },
            },
        ],
    };

    fn test_config(region: &str) -> ConfigBuilder {
        Config::builder()
            .region(region)
            .credentials(Credentials::new("AKID", "secret"))
    }

    #[test]
    fn without_a_rule_set_the_endpoint_follows_the_partition_suffix() {
        let s = ServiceInfo {
            signing_name: "sagemaker",
            endpoint_prefix: "api.sagemaker",
            endpoint_rules: None,
            partitions: TEST_PARTITIONS,
        };
        assert_eq!(
            default_endpoint(&s, "us-west-2"),
            "https://api.sagemaker.us-west-2.amazonaws.com"
        );
        assert_eq!(
            default_endpoint(&s, "cn-north-1"),
            "https://api.sagemaker.cn-north-1.amazonaws.com.cn"
        );
        let config = test_config("eu-west-1").build().unwrap();
        let r = resolve_endpoint(&s, &config, None, Vec::new()).unwrap();
        assert_eq!(
            r.endpoint.url,
            "https://api.sagemaker.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            (r.signing_name.as_str(), r.signing_region.as_str()),
            ("sagemaker", "eu-west-1")
        );
        let r = resolve_endpoint(&s, &config, Some("http://127.0.0.1:9"), Vec::new()).unwrap();
        assert_eq!(r.endpoint.url, "http://127.0.0.1:9");
    }

    #[test]
    fn the_rule_set_sees_the_configuration_and_the_operation() {
        let s = ServiceInfo {
            signing_name: "svc",
            endpoint_prefix: "svc",
            endpoint_rules: Some(&TEST_RULES),
            partitions: TEST_PARTITIONS,
        };
        let plain = test_config("eu-west-1").build().unwrap();
        let r = resolve_endpoint(&s, &plain, None, Vec::new()).unwrap();
        assert_eq!(r.endpoint.url, "https://svc.eu-west-1.example.com");
        assert_eq!(
            (r.signing_name.as_str(), r.signing_region.as_str()),
            ("svc", "eu-west-1")
        );

        // The override reaches the rule set as SDK::Endpoint.
        let r = resolve_endpoint(&s, &plain, Some("http://localhost:1"), Vec::new()).unwrap();
        assert_eq!(r.endpoint.url, "http://localhost:1");

        // FIPS: the sigv4 entry (not the first, sigv4a) sets name and region.
        let fips = test_config("eu-west-1").use_fips(true).build().unwrap();
        let r = resolve_endpoint(&s, &fips, None, Vec::new()).unwrap();
        assert_eq!(r.endpoint.url, "https://svc-fips.example.com");
        assert_eq!(
            (r.signing_name.as_str(), r.signing_region.as_str()),
            ("svc-fips", "us-gov-west-1")
        );

        // Operation parameters are matched by name; endpoint headers come along.
        let r = resolve_endpoint(&s, &plain, None, vec![("Bucket", Value::str("b1"))]).unwrap();
        assert_eq!(
            r.endpoint.headers,
            [("x-bucket".to_owned(), vec!["b1".to_owned()])]
        );

        // Only sigv4a offered: refused, naming the scheme.
        let a = test_config("sigv4a-only").build().unwrap();
        let err = resolve_endpoint(&s, &a, None, Vec::new()).unwrap_err();
        let EndpointFailure::Config(e) = err else {
            panic!("{err:?}")
        };
        assert!(e.to_string().contains("sigv4a"), "{e}");

        // A resolved URL that is not one is refused before sending.
        let err = resolve_endpoint(&s, &plain, Some("not a url"), Vec::new()).unwrap_err();
        assert!(matches!(err, EndpointFailure::Config(_)), "{err:?}");
    }

    #[test]
    fn config_errors_name_the_setting() {
        let creds = Credentials::new("AKID", "secret");
        let err = Config::builder()
            .credentials(creds.clone())
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("no region"));
        let err = Config::builder().region("us-east-1").build().unwrap_err();
        assert!(err.to_string().contains("no credentials"));
        let err = Config::builder()
            .region("Mars 1")
            .credentials(creds.clone())
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("\"Mars 1\""));
        let err = Config::builder()
            .region("us-east-1")
            .credentials(creds)
            .app_name("my app\n")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("app name"));
        let with_builtin = |name: &str| {
            Config::builder()
                .region("us-east-1")
                .credentials(Credentials::new("AKID", "secret"))
                .endpoint_builtin(name, true)
                .build()
        };
        let err = with_builtin("SDK::Endpoint").unwrap_err();
        assert!(err.to_string().contains(".endpoint_url"), "{err}");
        let err = with_builtin("ForcePathStyle").unwrap_err();
        assert!(err.to_string().contains("\"ForcePathStyle\""), "{err}");
        let config = with_builtin("AWS::S3::ForcePathStyle").unwrap();
        assert_eq!(
            config.endpoint_builtin("AWS::S3::ForcePathStyle"),
            Some(&BuiltinValue::Bool(true))
        );
        assert_eq!(config.endpoint_builtin("AWS::S3::Accelerate"), None);
    }

    #[test]
    fn credentials_never_print_their_secrets() {
        let c = Credentials::new("AKID", "very-secret").with_session_token("token-secret");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret") && !shown.contains("token-secret"));
        assert!(Credentials::new("", "x").provide_credentials().is_err());
    }
}
