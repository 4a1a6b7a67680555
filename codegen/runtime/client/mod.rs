//! Calling AWS (the `client` feature): configuration, credentials, SigV4
//! signing, the standard retry mode and the call loop every generated
//! client method runs, blocking ([`BlockingClient`]) or async
//! ([`AsyncClient`]). The HTTP stack is a [`HttpTransport`] or an
//! [`AsyncHttpTransport`]: the `blocking` feature brings one on `ureq`, the
//! `async` feature one on hyper and tokio; any other stack plugs in by
//! implementing the trait.

pub mod adaptive;
mod api_call;
mod async_client;
mod blocking;
pub mod body_hashes;
mod config;
mod core;
pub mod credentials;
pub mod discovery;
pub mod event_signer;
#[cfg(all(feature = "async", feature = "http2"))]
mod hyper_h2;
#[cfg(feature = "async")]
mod hyper_io;
#[cfg(feature = "async")]
mod hyper_transport;
pub mod paginate;
pub mod presign;
pub mod profile;
mod provider;
pub mod retry;
mod sdk_error;
mod service_client;
pub mod settings;
pub mod sigv4;
pub mod sso;
mod sts;
pub mod upload;
pub mod url;
/// The STS operations the credential providers call, generated (without
/// model documentation) from the STS slice the generator embeds.
#[rustfmt::skip]
pub mod sts_api;
/// The IAM Identity Center portal operation the SSO provider calls
/// (`GetRoleCredentials`), generated from the SSO slice the generator embeds.
#[rustfmt::skip]
pub mod sso_api;
/// The IAM Identity Center OIDC operation that refreshes an SSO token
/// (`CreateToken`), generated from the slice the generator embeds.
#[rustfmt::skip]
pub mod sso_oidc_api;
#[cfg(feature = "tracing")]
mod trace;
mod transport;
#[cfg(feature = "blocking")]
mod ureq_transport;
pub mod waiter;

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use super::document::Document;
use super::endpoint::{self, partition_of, Endpoint, Partition, ResolveError, RuleSet, Value};

#[cfg(feature = "async")]
pub use hyper_transport::{HyperTransport, TokioSleep};
pub use paginate::{AsyncItems, AsyncPaginator, Items, Paginated, PaginatedItems, Paginator};
pub use presign::{PresignedRequest, PresigningConfig};
#[cfg(feature = "blocking")]
pub use ureq_transport::UreqTransport;
pub use waiter::{WaiterError, WaiterSpec};

use config::config_error;

pub use async_client::AsyncClient;
pub use blocking::{BlockingClient, FinalPoll, WaitResult};
pub use config::{
    check_endpoint, check_region, BuiltinValue, Config, ConfigBuilder, ConfigError, Timeouts,
};
pub use sdk_error::{RawResponse, SdkError, ServiceError, DEBUG_BODY};
pub use service_client::{AsyncServiceClient, Service, ServiceClient};
pub use transport::{
    AsyncHttpTransport, AsyncSleep, BoxFuture, Clock, HttpTransport, StreamingResponse,
    SystemClock, TransportError, TransportErrorKind, TransportRequest, TransportResponse,
    SECRET_HEADERS,
};

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
/// What a generated client tells the runtime about its service's
/// discovery: how to call the discovery operation, blocking and async, and
/// the code of the error that invalidates a discovered endpoint.
#[derive(Clone, Copy)]
pub struct EndpointDiscovery {
    /// Calls the discovery operation with a blocking client.
    pub blocking: fn(&BlockingClient) -> discovery::Discovered,
    /// Calls it with an async client.
    pub asynchronous: for<'a> fn(&'a AsyncClient) -> BoxFuture<'a, discovery::Discovered>,
    /// The error code that evicts a discovered endpoint.
    pub error_code: Option<&'static str>,
}

impl fmt::Debug for EndpointDiscovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointDiscovery")
            .field("error_code", &self.error_code)
            .finish_non_exhaustive()
    }
}

/// The facts about a service a client needs, from its generated module.
#[derive(Clone, Copy, Debug)]
pub struct ServiceInfo {
    /// The SDK id (`aws.api#service` `sdkId`): names the service's
    /// configured endpoint (`AWS_ENDPOINT_URL_<SDK ID>`).
    pub sdk_id: &'static str,
    /// The SigV4 signing name (an endpoint's `authSchemes` may override it).
    pub signing_name: &'static str,
    /// The endpoint prefix (first label of the regional host name).
    pub endpoint_prefix: &'static str,
    /// The service's endpoint rule set, when its model has one.
    pub endpoint_rules: Option<&'static RuleSet<'static>>,
    /// The partition table the rule set's `aws.partition` reads.
    pub partitions: &'static [Partition<'static>],
    /// Endpoint discovery, when the service has it.
    pub endpoint_discovery: Option<&'static EndpointDiscovery>,
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

#[cfg(test)]
mod tests;
