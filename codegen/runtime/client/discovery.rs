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
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::CallOptions;

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

    pub(super) fn get(&self, key: &str, now: SystemTime) -> Option<String> {
        self.with(|m| {
            m.get(key)
                .filter(|(_, until)| *until > now)
                .map(|(url, _)| url.clone())
        })
    }

    pub(super) fn put(&self, key: String, url: String, until: SystemTime) {
        self.with(|m| m.insert(key, (url, until)));
    }

    pub(super) fn evict(&self, key: &str) {
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

    use std::time::Duration;

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
