//! The AWS "standard" retry mode: which failures are retried, how long to
//! wait before the next attempt, and the retry quota that stops a client
//! from retrying into an outage. The "adaptive" mode adds a client-side
//! rate limiter ([`super::adaptive`]) on top.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Error codes the AWS SDKs treat as throttling (retried, in standard mode
/// with the same backoff as transient errors). `Throttling`,
/// `ThrottlingException`, `ThrottledException`, `RequestThrottledException`,
/// `ProvisionedThroughputExceededException` are botocore's `_retry.json`
/// default policies; the rest complete the SDKs' shared standard-mode list.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses of transient failures (`_retry.json`: 500, 502, 503, 504,
/// 509) and of throttling without a code (429).
pub const RETRYABLE_STATUSES: &[u16] = &[429, 500, 502, 503, 504, 509];

/// Error codes that say the request's signing time is off: the client
/// corrects its clock from the response's `Date` and retries once.
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// The retry modes of the AWS SDKs' shared configuration
/// (`AWS_RETRY_MODE`, a profile's `retry_mode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RetryMode {
    /// Retries with backoff and a retry quota.
    #[default]
    Standard,
    /// The standard mode, and a client-side rate limiter that slows every
    /// attempt down once the service throttles.
    Adaptive,
}

impl std::str::FromStr for RetryMode {
    type Err = String;

    /// `standard` or `adaptive`, in any case. `legacy` (botocore's and the
    /// CLI's first mode) is refused: its backoff is each SDK's own.
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("standard") {
            Ok(RetryMode::Standard)
        } else if s.eq_ignore_ascii_case("adaptive") {
            Ok(RetryMode::Adaptive)
        } else if s.eq_ignore_ascii_case("legacy") {
            Err("retry mode `legacy` is each SDK's own and not supported here: use `standard` (the default) or `adaptive`".into())
        } else {
            Err(format!(
                "{s:?} is no retry mode: use `standard` or `adaptive`"
            ))
        }
    }
}

/// Retry settings. Every constant of the standard mode is a field, since
/// AWS revises them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryConfig {
    /// Standard or adaptive.
    pub mode: RetryMode,
    /// Attempts per call, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The backoff base: attempt `n` (from 1) waits `random * base * 2^(n-1)`.
    pub initial_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// The retry quota's capacity, shared by every call of a client.
    pub quota: u32,
    /// Quota taken by a retry.
    pub retry_cost: u32,
    /// Quota taken by a retry after a timeout.
    pub timeout_retry_cost: u32,
    /// Quota given back by a call that succeeds on its first attempt.
    pub success_refund: u32,
}

impl RetryConfig {
    /// The standard mode: 3 attempts, 1 s base, 20 s cap, 500 tokens, 5
    /// per retry, 10 per retry after a timeout, 1 back per first-attempt
    /// success.
    pub const STANDARD: RetryConfig = RetryConfig {
        mode: RetryMode::Standard,
        max_attempts: 3,
        initial_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(20),
        quota: 500,
        retry_cost: 5,
        timeout_retry_cost: 10,
        success_refund: 1,
    };

    /// The adaptive mode: the standard mode's settings and a client-side
    /// rate limiter.
    pub const ADAPTIVE: RetryConfig = RetryConfig {
        mode: RetryMode::Adaptive,
        ..Self::STANDARD
    };

    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::STANDARD
        }
    }

    /// The wait before attempt `next` (2 for the first retry), for a
    /// random draw `fraction` in `[0, 1)`: full jitter over an exponential
    /// ceiling, capped.
    pub fn backoff(&self, next: u32, fraction: f64) -> Duration {
        let exp = next.saturating_sub(2).min(62);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exp.min(31))
            .min(self.max_backoff);
        ceiling.mul_f64(fraction.clamp(0.0, 1.0))
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// Throttling: a throttling code, `@retryable(throttling)`, or 429.
    Throttling,
    /// A transient service error: a transient code, `@retryable`, or 5xx.
    Transient,
    /// The attempt timed out.
    Timeout,
    /// The connection failed or broke.
    Connection,
}

/// Classifies a service error response.
pub fn classify_response(
    status: u16,
    code: Option<&str>,
    retryable: bool,
    throttling: bool,
) -> Option<RetryKind> {
    if throttling || code.is_some_and(|c| THROTTLING_CODES.contains(&c)) || status == 429 {
        Some(RetryKind::Throttling)
    } else if retryable
        || code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
        || RETRYABLE_STATUSES.contains(&status)
    {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// The retry quota of one client, shared by its calls and threads.
#[derive(Clone, Debug)]
pub struct RetryQuota {
    inner: Arc<Mutex<u32>>,
    capacity: u32,
}

impl RetryQuota {
    /// A full quota.
    pub fn new(capacity: u32) -> Self {
        RetryQuota {
            inner: Arc::new(Mutex::new(capacity)),
            capacity,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut u32) -> T) -> T {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.with(|t| *t)
    }

    /// Takes `cost` tokens for a retry; `false` (and nothing taken) when
    /// there are not enough.
    pub fn acquire(&self, cost: u32) -> bool {
        self.with(|t| {
            if *t >= cost {
                *t -= cost;
                true
            } else {
                false
            }
        })
    }

    /// Gives `amount` tokens back, up to the capacity.
    pub fn release(&self, amount: u32) {
        let cap = self.capacity;
        self.with(|t| *t = t.saturating_add(amount).min(cap));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_cap() {
        let c = RetryConfig::STANDARD;
        assert_eq!(c.backoff(2, 0.0), Duration::ZERO);
        assert_eq!(c.backoff(2, 0.5), Duration::from_millis(500));
        assert_eq!(c.backoff(3, 0.5), Duration::from_secs(1));
        assert_eq!(c.backoff(4, 0.999), Duration::from_secs(4).mul_f64(0.999));
        assert_eq!(c.backoff(30, 0.999), Duration::from_secs(20).mul_f64(0.999));
        assert_eq!(c.backoff(u32::MAX, 1.0), Duration::from_secs(20));
    }

    #[test]
    fn classification_follows_the_standard_mode() {
        assert_eq!(
            classify_response(400, Some("ThrottlingException"), false, false),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(400, Some("X"), false, true),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(429, None, false, false),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(503, None, false, false),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(400, Some("X"), true, false),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(400, Some("ValidationException"), false, false),
            None
        );
        assert_eq!(classify_response(404, None, false, false), None);
    }

    #[test]
    fn retry_modes_parse_as_the_shared_configuration_spells_them() {
        assert_eq!("standard".parse(), Ok(RetryMode::Standard));
        assert_eq!("Adaptive".parse(), Ok(RetryMode::Adaptive));
        let legacy = "legacy".parse::<RetryMode>().unwrap_err();
        assert!(legacy.contains("not supported"), "{legacy}");
        assert!("fast"
            .parse::<RetryMode>()
            .unwrap_err()
            .contains("no retry mode"));
    }

    #[test]
    fn the_quota_drains_and_refills_within_its_capacity() {
        let q = RetryQuota::new(12);
        assert!(q.acquire(5));
        assert!(q.acquire(5));
        assert!(!q.acquire(5));
        assert_eq!(q.available(), 2);
        q.release(5);
        assert_eq!(q.available(), 7);
        q.release(100);
        assert_eq!(q.available(), 12);
        let shared = q.clone();
        assert!(shared.acquire(10));
        assert_eq!(q.available(), 2);
    }
}
