//! Conversions between this crate's request and response values and the
//! `http` crate's (1.x), for the `http` feature.
//!
//! - [`HttpRequest`] to `http::Request<Vec<u8>>`: with
//!   [`HttpRequest::into_http_request`] for an endpoint (an absolute URI,
//!   host prefix included), or with `TryFrom` for the request target alone.
//! - `http::Request<B>` to [`HttpRequest`] (what a server receives), and
//!   [`HttpResponse`] to and from `http::Response`.
//! - `http::HeaderMap` is a [`Headers`] collection, so an operation's
//!   `parse_response` and a service's request parser read it without a copy;
//!   [`Operation::parse_http_response`](super::Operation::parse_http_response)
//!   takes a whole `http::Response`.

use std::fmt;

use super::http::{split_endpoint, Headers, HttpRequest};
use super::server::HttpResponse;

/// A value that has no faithful form on the other side: a method outside
/// the standard set, a header that is not text, an invalid URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionError {
    message: String,
}

impl ConversionError {
    fn new(message: impl Into<String>) -> Self {
        ConversionError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConversionError {}

impl Headers for ::http::HeaderMap {
    /// The first value of `name`; header names in a `HeaderMap` are
    /// case-insensitive. A value that is not visible ASCII text reads as
    /// absent.
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every header whose value is visible ASCII text.
    fn each_header(&self, f: &mut dyn FnMut(&str, &str)) {
        for (k, v) in self {
            if let Ok(v) = v.to_str() {
                f(k.as_str(), v);
            }
        }
    }
}

/// The methods an [`HttpRequest`] can carry (its method is `&'static str`).
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

fn header_map(headers: &[(String, String)]) -> Result<::http::HeaderMap, ConversionError> {
    let mut map = ::http::HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let n = ::http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| ConversionError::new(format!("header name {name:?}: {e}")))?;
        let v = ::http::HeaderValue::from_str(value)
            .map_err(|e| ConversionError::new(format!("value of header `{name}`: {e}")))?;
        map.append(n, v);
    }
    Ok(map)
}

fn header_pairs(map: &::http::HeaderMap) -> Result<Vec<(String, String)>, ConversionError> {
    map.iter()
        .map(|(name, value)| {
            let v = value.to_str().map_err(|_| {
                ConversionError::new(format!("value of header `{name}` is not visible ASCII"))
            })?;
            Ok((name.as_str().to_owned(), v.to_owned()))
        })
        .collect()
}

impl HttpRequest {
    /// The request as an `http::Request` for `endpoint` (such as
    /// `https://dms.us-east-1.amazonaws.com` or `http://127.0.0.1:8000/base`;
    /// `https` when it has no scheme): its URI is absolute, with the host
    /// prefix and the endpoint's base path applied. The `Host` header is left
    /// to the HTTP client, which derives it from the URI.
    pub fn into_http_request(
        self,
        endpoint: &str,
    ) -> Result<::http::Request<Vec<u8>>, ConversionError> {
        let own = self.endpoint.clone();
        let endpoint = own.as_deref().unwrap_or(endpoint);
        let (authority, _) = split_endpoint(endpoint);
        if authority.is_empty() {
            return Err(ConversionError::new(format!(
                "endpoint {endpoint:?} has no host"
            )));
        }
        let scheme = endpoint.split_once("://").map_or("https", |(s, _)| s);
        let uri = format!(
            "{scheme}://{}{}",
            self.host_for(endpoint),
            self.uri_for(endpoint)
        );
        self.into_http_with_uri(&uri)
    }

    fn into_http_with_uri(self, uri: &str) -> Result<::http::Request<Vec<u8>>, ConversionError> {
        let uri: ::http::Uri = uri
            .parse()
            .map_err(|e| ConversionError::new(format!("URI {uri:?}: {e}")))?;
        let method = ::http::Method::from_bytes(self.method.as_bytes())
            .map_err(|e| ConversionError::new(format!("method {:?}: {e}", self.method)))?;
        let headers = header_map(&self.headers)?;
        let mut request = ::http::Request::new(self.body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

/// The request target alone (`/` and any query), as a server or a test sees
/// it; a request with a host prefix needs an endpoint, so it is refused here
/// (use [`HttpRequest::into_http_request`]).
impl TryFrom<HttpRequest> for ::http::Request<Vec<u8>> {
    type Error = ConversionError;

    fn try_from(request: HttpRequest) -> Result<Self, ConversionError> {
        if !request.host_prefix.is_empty() {
            return Err(ConversionError::new(format!(
                "the request has the host prefix {:?}: convert it with into_http_request(endpoint)",
                request.host_prefix
            )));
        }
        let uri = request.uri.clone();
        request.into_http_with_uri(&uri)
    }
}

/// What a server received: method, request target (path and query; an
/// absolute URI's scheme and authority are dropped), headers in order and
/// body. The host prefix is empty: on the receiving side it is part of the
/// `Host` header.
impl<B: Into<Vec<u8>>> TryFrom<::http::Request<B>> for HttpRequest {
    type Error = ConversionError;

    fn try_from(request: ::http::Request<B>) -> Result<Self, ConversionError> {
        let (parts, body) = request.into_parts();
        let method = METHODS
            .into_iter()
            .find(|m| *m == parts.method.as_str())
            .ok_or_else(|| ConversionError::new(format!("method {:?}", parts.method.as_str())))?;
        let uri = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Ok(HttpRequest {
            method,
            uri,
            headers: header_pairs(&parts.headers)?,
            body: body.into(),
            host_prefix: String::new(),
            endpoint: None,
            computed_headers: Vec::new(),
            streamed: None,
        })
    }
}

impl TryFrom<HttpResponse> for ::http::Response<Vec<u8>> {
    type Error = ConversionError;

    fn try_from(response: HttpResponse) -> Result<Self, ConversionError> {
        let status = ::http::StatusCode::from_u16(response.status)
            .map_err(|e| ConversionError::new(format!("status {}: {e}", response.status)))?;
        let headers = header_map(&response.headers)?;
        let mut converted = ::http::Response::new(response.body);
        *converted.status_mut() = status;
        *converted.headers_mut() = headers;
        Ok(converted)
    }
}

impl<B: Into<Vec<u8>>> TryFrom<::http::Response<B>> for HttpResponse {
    type Error = ConversionError;

    fn try_from(response: ::http::Response<B>) -> Result<Self, ConversionError> {
        let (parts, body) = response.into_parts();
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers: header_pairs(&parts.headers)?,
            body: body.into(),
        })
    }
}
