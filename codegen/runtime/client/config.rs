//! The client configuration: [`Config`] and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::retry::RetryConfig;
use super::settings::{self, ConfiguredEndpoints, Setting};
use super::transport::{Clock, HttpTransport, SystemClock};
#[cfg(feature = "blocking")]
use super::UreqTransport;
use super::{credentials, url};
use super::{ProvideCredentials, DEFAULT_MAX_RESPONSE_BYTES, MAX_DURATION};

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

pub(super) fn config_error(message: impl Into<String>) -> ConfigError {
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
    pub(super) region: String,
    pub(super) credentials: Arc<dyn ProvideCredentials>,
    pub(super) endpoint: Option<String>,
    pub(super) use_fips: bool,
    pub(super) use_dual_stack: bool,
    pub(super) retry: RetryConfig,
    pub(super) timeouts: Timeouts,
    pub(super) transport: Option<Arc<dyn HttpTransport>>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) app_name: Option<String>,
    pub(super) builtins: Vec<(String, BuiltinValue)>,
    pub(super) max_response_bytes: u64,
    pub(super) configured_endpoints: Option<Arc<ConfiguredEndpoints>>,
    pub(super) endpoint_discovery: Option<bool>,
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
pub(super) const OWN_BUILTINS: [(&str, &str); 4] = [
    ("AWS::Region", ".region(..)"),
    ("AWS::UseFIPS", ".use_fips(..)"),
    ("AWS::UseDualStack", ".use_dual_stack(..)"),
    ("SDK::Endpoint", ".endpoint_url(..)"),
];

impl Config {
    /// A builder with what the AWS SDKs read from the environment and the
    /// shared config files: the region (`AWS_REGION`, `AWS_DEFAULT_REGION`,
    /// the profile or instance metadata), credentials from the default
    /// chain (see [`credentials`]), cached, and the shared settings of
    /// [`settings`]: configured endpoint URLs (`AWS_ENDPOINT_URL`,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `endpoint_url` and
    /// services section), FIPS, dual-stack, attempts, retry mode,
    /// application id and endpoint discovery. The environment wins over
    /// the profile, and the builder's setters win over both.
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
        let loaded = super::profile::ProfileSet::load(config.env())
            .map_err(|e| e.to_string())
            .and_then(|profiles| settings::load(config.env(), &profiles));
        match loaded {
            Ok(found) => builder.apply_settings(found),
            Err(e) => builder.settings_error = Some(e),
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
            settings_error: None,
            configured_endpoints: None,
            endpoint_discovery: None,
        }
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint override set in code, if any.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The endpoint URL calls of the service with SDK id `sdk_id` go to
    /// instead of the resolved one, and where it was set: in code
    /// ([`ConfigBuilder::endpoint_url`], source `code`), else as
    /// [`settings::ConfiguredEndpoints::for_service`] says.
    pub fn endpoint_for(&self, sdk_id: &str) -> Option<Setting<String>> {
        if let Some(url) = &self.endpoint {
            return Some(Setting {
                value: url.clone(),
                source: "code".into(),
            });
        }
        self.configured_endpoints.as_ref()?.for_service(sdk_id)
    }

    /// Whether endpoint discovery is on for services where it is optional
    /// (`None`: not configured, so off).
    pub fn endpoint_discovery(&self) -> Option<bool> {
        self.endpoint_discovery
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
    pub(super) region: Option<String>,
    /// Why looking the region up failed (a malformed profile file).
    pub(super) region_error: Option<String>,
    pub(super) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(super) endpoint: Option<String>,
    pub(super) use_fips: bool,
    pub(super) use_dual_stack: bool,
    pub(super) retry: RetryConfig,
    pub(super) timeouts: Timeouts,
    pub(super) transport: Option<Arc<dyn HttpTransport>>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) app_name: Option<String>,
    pub(super) builtins: Vec<(String, BuiltinValue)>,
    pub(super) max_response_bytes: u64,
    /// Why the shared settings could not be read.
    pub(super) settings_error: Option<String>,
    pub(super) configured_endpoints: Option<Arc<ConfiguredEndpoints>>,
    pub(super) endpoint_discovery: Option<bool>,
}

impl ConfigBuilder {
    /// Takes the shared settings found in the environment and the profile.
    fn apply_settings(&mut self, found: settings::SharedSettings) {
        if let Some(s) = found.use_fips {
            self.use_fips = s.value;
        }
        if let Some(s) = found.use_dual_stack {
            self.use_dual_stack = s.value;
        }
        if let Some(s) = found.max_attempts {
            self.retry.max_attempts = s.value;
        }
        if let Some(s) = found.retry_mode {
            self.retry.mode = s.value;
        }
        if let Some(s) = found.app_id {
            self.app_name = Some(s.value);
        }
        if let Some(s) = found.endpoint_discovery {
            self.endpoint_discovery = Some(s.value);
        }
        self.configured_endpoints = Some(Arc::new(found.endpoints));
    }

    /// Turns endpoint discovery on or off for services where it is
    /// optional (default off; services that require it always discover).
    #[must_use]
    pub fn endpoint_discovery(mut self, on: bool) -> Self {
        self.endpoint_discovery = Some(on);
        self
    }

    /// Ignores the endpoint URLs the environment and the profile configure
    /// (as `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` does).
    #[must_use]
    pub fn ignore_configured_endpoint_urls(mut self) -> Self {
        self.configured_endpoints = None;
        self
    }

    /// The region to call and sign for (required).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where credentials come from (required): [`Credentials`](super::Credentials) themselves,
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
        if let Some(why) = self.settings_error {
            return Err(config_error(why));
        }
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
        for configured in self.configured_endpoints.iter().flat_map(|c| c.all()) {
            check_endpoint(&configured.value)
                .map_err(|e| config_error(format!("{}: {}", configured.source, e.message)))?;
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
            configured_endpoints: self.configured_endpoints,
            endpoint_discovery: self.endpoint_discovery,
        })
    }
}
