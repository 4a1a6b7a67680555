//! A minimal STS client for the credential providers: `AssumeRole` (signed
//! with the source credentials) and `AssumeRoleWithWebIdentity` (unsigned),
//! as awsQuery form requests, reading from the XML response only the
//! elements they need. It stands in until the generator speaks awsQuery.

use std::time::{Duration, SystemTime};

use super::super::endpoint::uri_encode;
use super::super::http::split_endpoint;
use super::super::time::{parse_date_time, DateTime};
use super::credentials::ProviderConfig;
use super::{sigv4, Credentials, CredentialsError, TransportRequest};

const VERSION: &str = "2011-06-15";

/// The STS endpoint: `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else
/// the regional endpoint in the region's partition.
pub fn endpoint(config: &ProviderConfig, region: &str) -> String {
    if let Some(url) = config
        .env()
        .var("AWS_ENDPOINT_URL_STS")
        .or_else(|| config.env().var("AWS_ENDPOINT_URL"))
    {
        return url;
    }
    let suffix = super::super::endpoint::partition_of(config.partitions(), region)
        .map_or("amazonaws.com", |p| p.outputs.dns_suffix);
    format!("https://sts.{region}.{suffix}")
}

/// What an assume-role call asks for.
pub struct AssumeRole<'a> {
    /// The role.
    pub role_arn: &'a str,
    /// The session name.
    pub session_name: &'a str,
    /// `ExternalId`, if the role requires one.
    pub external_id: Option<&'a str>,
    /// `DurationSeconds`, if not the default hour.
    pub duration_seconds: Option<u32>,
}

/// `AssumeRole`, signed with `source` for `region`.
pub fn assume_role(
    config: &ProviderConfig,
    region: &str,
    source: &Credentials,
    role: &AssumeRole<'_>,
) -> Result<Credentials, CredentialsError> {
    let mut form = vec![
        ("Action", "AssumeRole".to_string()),
        ("Version", VERSION.to_string()),
        ("RoleArn", role.role_arn.to_string()),
        ("RoleSessionName", role.session_name.to_string()),
    ];
    if let Some(id) = role.external_id {
        form.push(("ExternalId", id.to_string()));
    }
    if let Some(d) = role.duration_seconds {
        form.push(("DurationSeconds", d.to_string()));
    }
    call(config, region, "AssumeRole", &form, Some(source))
}

/// `AssumeRoleWithWebIdentity`: unsigned; the token is the proof.
pub fn assume_role_with_web_identity(
    config: &ProviderConfig,
    region: &str,
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> Result<Credentials, CredentialsError> {
    let form = vec![
        ("Action", "AssumeRoleWithWebIdentity".to_string()),
        ("Version", VERSION.to_string()),
        ("RoleArn", role_arn.to_string()),
        ("RoleSessionName", session_name.to_string()),
        ("WebIdentityToken", token.to_string()),
    ];
    call(config, region, "AssumeRoleWithWebIdentity", &form, None)
}

fn call(
    config: &ProviderConfig,
    region: &str,
    action: &str,
    form: &[(&str, String)],
    source: Option<&Credentials>,
) -> Result<Credentials, CredentialsError> {
    let fail = |m: String| CredentialsError::new(format!("STS {action}: {m}"));
    let transport = config.transport().map_err(|e| fail(e.to_string()))?;
    let url = endpoint(config, region);
    let (host, path) = target(&url);
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{k}={}", uri_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = vec![
        (
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        ),
        ("Host".to_string(), host.to_string()),
    ];
    if let Some(creds) = source {
        let signed = sigv4::sign(
            &sigv4::SignableRequest {
                method: "POST",
                uri: path,
                headers: &headers,
                body: body.as_bytes(),
            },
            &sigv4::SigningParams {
                access_key_id: creds.access_key_id(),
                secret_access_key: creds.secret_access_key(),
                session_token: creds.session_token(),
                region,
                service: "sts",
                time: DateTime::from(config.clock().now()),
                settings: sigv4::SigningSettings::default(),
            },
        )
        .map_err(|e| fail(e.to_string()))?;
        headers.extend(signed.headers);
    }
    // An endpoint without a path is sent to `/`.
    let full_url = if split_endpoint(&url).1.is_empty() {
        format!("{url}/")
    } else {
        url.clone()
    };
    let response = transport
        .send(&TransportRequest {
            method: "POST",
            url: &full_url,
            headers: &headers,
            body: body.as_bytes(),
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
        })
        .map_err(|e| fail(format!("{url}: {e}")))?;
    let text = String::from_utf8_lossy(&response.body);
    if !(200..300).contains(&response.status) {
        let code = element(&text, "Code").unwrap_or_default();
        let message = element(&text, "Message").unwrap_or_default();
        return Err(fail(format!(
            "HTTP {} from {url}: {code}: {message}",
            response.status
        )));
    }
    let get = |name: &str| {
        element(&text, name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| fail(format!("the response from {url} has no <{name}>")))
    };
    let mut creds = Credentials::new(get("AccessKeyId")?, get("SecretAccessKey")?)
        .with_session_token(get("SessionToken")?);
    if let Some(exp) = element(&text, "Expiration") {
        creds = creds.with_expiry(parse_expiration(&exp).map_err(fail)?);
    }
    Ok(creds)
}

/// The host (authority) and request path (`/` when there is none) of an
/// endpoint URL, split as the client splits its endpoints.
fn target(url: &str) -> (&str, &str) {
    match split_endpoint(url) {
        (host, "") => (host, "/"),
        split => split,
    }
}

/// An RFC 3339 expiry (`2024-01-02T03:04:05Z`).
pub fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    parse_date_time(text.trim())
        .ok()
        .and_then(DateTime::to_system_time)
        .ok_or_else(|| format!("expiration {text:?} is not an RFC 3339 date-time"))
}

/// The text of the first `<name>` element, entities decoded.
pub fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(
        xml[start..end]
            .trim()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_and_urls() {
        let xml = "<R><Credentials><AccessKeyId> AK </AccessKeyId><Code>a&amp;b&lt;</Code></Credentials></R>";
        assert_eq!(element(xml, "AccessKeyId").as_deref(), Some("AK"));
        assert_eq!(element(xml, "Code").as_deref(), Some("a&b<"));
        assert_eq!(element(xml, "Missing"), None);
        assert_eq!(
            target("https://sts.amazonaws.com"),
            ("sts.amazonaws.com", "/")
        );
        assert_eq!(target("http://127.0.0.1:5000/x"), ("127.0.0.1:5000", "/x"));
        assert!(parse_expiration("2030-01-02T03:04:05Z").is_ok());
        assert!(parse_expiration("tomorrow").is_err());
    }
}
