//! What the credential and region providers read and call through: the
//! environment ([`Env`]) and the [`ProviderConfig`] (environment,
//! transport, clock, partition table).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::super::endpoint::Partition;
use super::{Clock, Credentials, CredentialsError, HttpTransport, SystemClock};

/// The environment the providers read: process variables and the home
/// directory, or a fixed set of them (tests, or a program that wants to pin
/// what is read). `Debug` shows variable names, never values.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<BTreeMap<String, String>>,
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env::process()"),
            Some(vars) => f
                .debug_tuple("Env::from_vars")
                .field(&vars.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

impl Env {
    /// The process environment, read when a variable is asked for.
    pub fn process() -> Self {
        Env { fixed: None }
    }

    /// Exactly these variables and nothing else (`HOME` included if given).
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env {
            fixed: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// A variable's value; unset and empty read alike.
    pub fn var(&self, name: &str) -> Option<String> {
        let v = match &self.fixed {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|v| !v.trim().is_empty())
    }

    /// The home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` and
    /// `HOMEPATH`.
    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .or_else(|| {
                Some(format!(
                    "{}{}",
                    self.var("HOMEDRIVE")?,
                    self.var("HOMEPATH")?
                ))
            })
            .map(PathBuf::from)
    }

    /// Every set variable whose name starts with `prefix`, sorted by name.
    pub fn vars_with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = match &self.fixed {
            Some(map) => map
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            None => std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .filter(|(k, _)| k.starts_with(prefix))
                .collect(),
        };
        out.retain(|(_, v)| !v.trim().is_empty());
        out.sort();
        out
    }

    pub(super) fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// What every provider needs: the environment, an HTTP transport for
/// metadata endpoints and STS, a clock, and the partition table (for STS's
/// regional endpoint).
#[derive(Clone)]
pub struct ProviderConfig {
    pub(super) env: Env,
    pub(super) transport: Option<Arc<dyn HttpTransport>>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) partitions: &'static [Partition<'static>],
    pub(super) region: Option<String>,
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("env", &self.env)
            .field("transport", &self.transport.is_some())
            .field("region", &self.region)
            .finish()
    }
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig::new(Env::process())
    }
}

impl ProviderConfig {
    /// Reads `env`; the built-in blocking transport when the `blocking`
    /// feature is on (otherwise set one with [`with_transport`](Self::with_transport));
    /// the system clock.
    pub fn new(env: Env) -> Self {
        #[cfg(feature = "blocking")]
        let transport: Option<Arc<dyn HttpTransport>> = Some(Arc::new(super::UreqTransport::new()));
        #[cfg(not(feature = "blocking"))]
        let transport: Option<Arc<dyn HttpTransport>> = None;
        ProviderConfig {
            env,
            transport,
            clock: Arc::new(SystemClock),
            partitions: &[],
            region: None,
        }
    }

    /// The HTTP stack for metadata endpoints and STS.
    #[must_use]
    pub fn with_transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The clock (expiry checks, signing STS calls).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The partition table for STS's regional endpoint (a generated crate's
    /// `partitions::PARTITIONS`); without it STS is reached under
    /// `amazonaws.com`.
    #[must_use]
    pub fn with_partitions(mut self, partitions: &'static [Partition<'static>]) -> Self {
        self.partitions = partitions;
        self
    }

    /// The region STS calls go to when the profile names none.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The partition table.
    pub fn partitions(&self) -> &'static [Partition<'static>] {
        self.partitions
    }

    /// The transport, or why there is none.
    pub fn transport(&self) -> Result<&dyn HttpTransport, CredentialsError> {
        self.transport.as_deref().ok_or_else(|| {
            CredentialsError::new(
                "this provider calls an HTTP endpoint and has no transport: enable the `blocking` \
                 feature or give ProviderConfig::with_transport one",
            )
        })
    }

    pub(super) fn expired(&self, creds: &Credentials) -> bool {
        creds.expiry().is_some_and(|e| e <= self.clock.now())
    }
}
