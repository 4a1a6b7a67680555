//! What a call returns when it fails: [`SdkError`], and the raw response
//! kept for debugging.

use std::fmt;

use super::super::endpoint::ResolveError;
use super::super::error::EncodeError;
use super::super::http::header;
use super::super::ErrorMetadata;
use super::config::ConfigError;
use super::transport::{TransportError, TransportResponse};
use super::{CredentialsError, MAX_KEPT_BODY};

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
    pub(super) fn from_transport(r: &TransportResponse) -> Self {
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
                    write!(f, " [request id {}]", super::super::error::Printable(id))?;
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
