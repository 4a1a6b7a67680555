//! One call of an API the credential providers use (STS, SSO, SSO OIDC):
//! the request built by the operation generated from the embedded slice,
//! signed or not, sent over the providers' transport, the answer parsed.

use std::time::Duration;

use super::super::http::{split_endpoint, Operation};
use super::super::time::DateTime;
use super::provider::ProviderConfig;
use super::{sigv4, Credentials, CredentialsError, TransportRequest};

/// How long a provider's call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds the operation's request, signs it with `signing` (credentials,
/// region and signing name; `None` sends it unsigned), sends it to the
/// endpoint `url` over the providers' transport and parses the answer.
/// Errors start with `api` and the operation's name, and never hold the
/// request.
pub(super) fn call_api<O: Operation>(
    config: &ProviderConfig,
    url: &str,
    signing: Option<(&Credentials, &str, &str)>,
    input: &O::Input,
    api: &str,
) -> Result<O::Output, ApiError> {
    let fail = |m: String| ApiError {
        error: CredentialsError::new(format!("{api} {}: {m}", O::NAME)),
        code: None,
    };
    let transport = config.transport().map_err(|e| fail(e.to_string()))?;
    let request = O::build_request(input).map_err(|e| fail(e.to_string()))?;
    let (host, _) = split_endpoint(url);
    let host = request.host_for(host);
    // The operation's path and query after the endpoint's own path.
    let path = request.uri_for(url);
    let scheme = url.split_once("://").map_or("https", |(s, _)| s);
    let mut headers = request.headers.clone();
    headers.push(("Host".to_string(), host.clone()));
    if let Some((creds, region, service)) = signing {
        let signed = sigv4::sign(
            &sigv4::SignableRequest {
                method: request.method,
                uri: &path,
                headers: &headers,
                body: &request.body,
            },
            &sigv4::SigningParams {
                access_key_id: creds.access_key_id(),
                secret_access_key: creds.secret_access_key(),
                session_token: creds.session_token(),
                region,
                service,
                time: DateTime::from(config.clock().now()),
                settings: sigv4::SigningSettings::default(),
            },
        )
        .map_err(|e| fail(e.to_string()))?;
        headers.extend(signed.headers);
    }
    let full_url = format!("{scheme}://{host}{path}");
    let response = transport
        .send(&TransportRequest {
            method: request.method,
            url: &full_url,
            headers: &headers,
            body: &request.body,
            timeout: CALL_TIMEOUT,
            connect_timeout: Duration::from_secs(3),
            // These answers are a few kilobytes.
            max_response_bytes: 1 << 20,
        })
        .map_err(|e| fail(format!("{url}: {e}")))?;
    O::parse_response(response.status, &response.headers, &response.body).map_err(|e| {
        use super::super::ErrorMetadata as _;
        let mut failed = fail(format!(
            "HTTP {} from {url}: {}: {}",
            response.status,
            e.code().unwrap_or_default(),
            e.message().unwrap_or_default()
        ));
        failed.code = e.code().map(str::to_owned);
        failed
    })
}

/// A failed call: the provider's error, and the service's error code when
/// it answered with one.
#[derive(Debug)]
pub(super) struct ApiError {
    /// What the provider reports.
    pub(super) error: CredentialsError,
    /// The service's error code.
    pub(super) code: Option<String>,
}

impl From<ApiError> for CredentialsError {
    fn from(e: ApiError) -> Self {
        e.error
    }
}
