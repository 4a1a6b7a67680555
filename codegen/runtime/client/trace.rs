//! The client's `tracing` events (the `tracing` feature).
//!
//! Each call is one `aws_call` span (service, operation, region) and each
//! attempt one event under it: `aws_attempt` at DEBUG with service,
//! operation, attempt, status, request id, error code, duration, outcome
//! (`success`, `retry` or `error`) and the backoff before the next attempt.
//! Inputs and outputs appear only at TRACE, in their `Debug` form, which
//! hides `@sensitive` members. Headers, credentials, signatures and raw
//! bodies are never recorded.

use std::time::Instant;

use super::super::http::{header, Operation};
use super::{TransportError, TransportResponse};

/// What one attempt's event reports, taken before the response is consumed.
pub(super) struct AttemptFacts {
    attempt: u32,
    started: Instant,
    status: Option<u16>,
    request_id: Option<String>,
    transport_error: Option<String>,
}

impl AttemptFacts {
    pub(super) fn of(
        attempt: u32,
        started: Instant,
        sent: &Result<TransportResponse, TransportError>,
    ) -> Self {
        let (status, request_id, transport_error) = match sent {
            Ok(r) => (
                Some(r.status),
                header(&r.headers, "x-amzn-RequestId").map(str::to_owned),
                None,
            ),
            Err(e) => (None, None, Some(e.to_string())),
        };
        AttemptFacts {
            attempt,
            started,
            status,
            request_id,
            transport_error,
        }
    }

    /// Reports the attempt under the call's `span`: `outcome` is
    /// `success`, `error` or `retry` (then with the backoff before the next
    /// attempt).
    pub(super) fn report<O: Operation>(
        &self,
        span: &tracing::Span,
        max_attempts: u32,
        error_code: Option<&str>,
        outcome: &'static str,
        backoff: Option<std::time::Duration>,
    ) {
        let backoff_ms = backoff.map(duration_ms);
        tracing::debug!(
            parent: span,
            service = O::SERVICE,
            operation = O::NAME,
            attempt = self.attempt,
            max_attempts,
            status = self.status,
            request_id = self.request_id.as_deref(),
            error_code,
            transport_error = self.transport_error.as_deref(),
            duration_ms = duration_ms(self.started.elapsed()),
            outcome,
            backoff_ms,
            "aws_attempt"
        );
    }
}

fn duration_ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
