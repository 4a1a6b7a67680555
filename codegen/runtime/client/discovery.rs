//! Endpoint discovery (`aws.api#clientEndpointDiscovery`), as the AWS SDKs
//! do it: an operation marked `aws.api#clientDiscoveredEndpoint` goes to
//! the endpoint the service's discovery operation (`DescribeEndpoints`)
//! names, cached per identity for the period it gives.
//!
//! - Required discovery (Timestream) always runs; when it fails the call
//!   fails with an endpoint error. Optional discovery (DynamoDB) runs only
//!   when the configuration turns it on, and falls back to the regular
//!   endpoint when it fails.
//! - A configured endpoint (in code, the environment or a profile, or per
//!   call) wins: nothing is discovered.
//! - An entry expires after its `CachePeriodInMinutes` (at least a minute)
//!   and is discovered again by the next call that needs it (the client
//!   spawns nothing); the service's discovery error
//!   (`InvalidEndpointException`) or an HTTP 421 evicts it.
//! - The discovery call is an ordinary call of the same client (signed,
//!   retried); the generated client hands the runtime a function making it.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::super::endpoint::ResolveError;
use super::super::http::Operation;
use super::super::ErrorMetadata;
use super::async_client::AsyncClient;
use super::blocking::BlockingClient;
use super::core::ClientCore;
use super::sdk_error::SdkError;
use super::transport::BoxFuture;
use super::{check_endpoint, CallOptions};

/// One endpoint a discovery operation named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveredAddress {
    /// The address: a host name (`https://` is added) or a URL.
    pub address: String,
    /// How long it may be used, in minutes.
    pub cache_minutes: i64,
}

/// The result of one discovery call, its error as text.
pub type Discovered = Result<Vec<DiscoveredAddress>, String>;

/// What a generated client tells the runtime about its service's
/// discovery: how to call the discovery operation, blocking and async, and
/// the code of the error that invalidates a discovered endpoint.
#[derive(Clone, Copy)]
pub struct EndpointDiscovery {
    /// Calls the discovery operation with a blocking client.
    pub blocking: fn(&BlockingClient) -> Discovered,
    /// Calls it with an async client.
    pub asynchronous: for<'a> fn(&'a AsyncClient) -> BoxFuture<'a, Discovered>,
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

/// Discovered endpoints by cache key, with their expiry. Shared by a
/// client's clones.
#[derive(Clone, Debug, Default)]
pub(super) struct DiscoveryCache {
    inner: Arc<Mutex<BTreeMap<String, (String, SystemTime)>>>,
}

impl DiscoveryCache {
    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<String, (String, SystemTime)>) -> T) -> T {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    fn get(&self, key: &str, now: SystemTime) -> Option<String> {
        self.with(|m| {
            m.get(key)
                .filter(|(_, until)| *until > now)
                .map(|(url, _)| url.clone())
        })
    }

    fn put(&self, key: String, url: String, until: SystemTime) {
        self.with(|m| m.insert(key, (url, until)));
    }

    fn evict(&self, key: &str) {
        self.with(|m| m.remove(key));
    }
}

/// What a call does about discovery.
pub(super) enum Plan {
    /// Go to the regular (or configured) endpoint.
    Regular,
    /// Go to this discovered endpoint (cached under the key).
    Use(String, String),
    /// Discover first (the cache key, whether required).
    Discover(String, bool),
}

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

/// `options` with the discovered endpoint, if there is one.
pub(super) fn with_endpoint(options: &CallOptions, url: Option<String>) -> CallOptions {
    CallOptions {
        endpoint_url: url.or_else(|| options.endpoint_url.clone()),
        ..options.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_evicted() {
        let cache = DiscoveryCache::default();
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        cache.put(
            "AK".into(),
            "https://a".into(),
            t0 + Duration::from_secs(60),
        );
        assert_eq!(cache.get("AK", t0).as_deref(), Some("https://a"));
        assert_eq!(cache.get("AK", t0 + Duration::from_secs(60)), None);
        assert_eq!(cache.get("OTHER", t0), None);
        cache.evict("AK");
        assert_eq!(cache.get("AK", t0), None);
    }
}
