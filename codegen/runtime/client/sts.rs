//! The credential providers' STS calls: `AssumeRole` (signed with the
//! source credentials) and `AssumeRoleWithWebIdentity` (unsigned), built and
//! read by the operations generated from the STS model
//! ([`sts_api`](super::sts_api), embedded by the generator), sent over the
//! providers' transport.

use std::time::SystemTime;

use super::super::time::{parse_date_time, DateTime};
use super::api_call::call_api;
use super::provider::ProviderConfig;
use super::sts_api;
use super::{Credentials, CredentialsError};

/// The STS endpoint: `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else
/// what STS's rule set gives for the region (the regional endpoint in the
/// region's partition).
pub fn endpoint(config: &ProviderConfig, region: &str) -> Result<String, String> {
    if let Some(url) = config
        .env()
        .var("AWS_ENDPOINT_URL_STS")
        .or_else(|| config.env().var("AWS_ENDPOINT_URL"))
    {
        super::check_endpoint(&url).map_err(|e| e.to_string())?;
        return Ok(url);
    }
    // The region becomes part of a host name: checked like every other.
    super::check_region(region).map_err(|e| e.to_string())?;
    let params = sts_api::endpoint::Params {
        region: Some(region.to_owned()),
        use_dual_stack: false,
        use_fips: false,
        endpoint: None,
        use_global_endpoint: false,
    };
    match params.resolve_with(config.partitions()) {
        Ok(resolved) => Ok(resolved.url),
        Err(e) => Err(format!("no STS endpoint for region {region:?}: {e}")),
    }
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
    let mut input = sts_api::AssumeRoleRequest::new()
        .with_role_arn(role.role_arn)
        .with_role_session_name(role.session_name);
    if let Some(id) = role.external_id {
        input = input.with_external_id(id);
    }
    if let Some(d) = role.duration_seconds {
        input = input.with_duration_seconds(i32::try_from(d).unwrap_or(i32::MAX));
    }
    let url = endpoint(config, region)
        .map_err(|e| CredentialsError::new(format!("STS AssumeRole: {e}")))?;
    let output = call_api::<sts_api::AssumeRole>(
        config,
        &url,
        Some((source, region, "sts")),
        &input,
        "STS",
    )?;
    credentials("AssumeRole", output.credentials)
}

/// `AssumeRoleWithWebIdentity`: unsigned; the token is the proof.
pub fn assume_role_with_web_identity(
    config: &ProviderConfig,
    region: &str,
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> Result<Credentials, CredentialsError> {
    let input = sts_api::AssumeRoleWithWebIdentityRequest::new()
        .with_role_arn(role_arn)
        .with_role_session_name(session_name)
        .with_web_identity_token(token);
    let url = endpoint(config, region)
        .map_err(|e| CredentialsError::new(format!("STS AssumeRoleWithWebIdentity: {e}")))?;
    let output = call_api::<sts_api::AssumeRoleWithWebIdentity>(config, &url, None, &input, "STS")?;
    credentials("AssumeRoleWithWebIdentity", output.credentials)
}

/// The provider's credentials from STS's.
fn credentials(
    action: &str,
    sts: Option<sts_api::Credentials>,
) -> Result<Credentials, CredentialsError> {
    let sts = sts.ok_or_else(|| {
        CredentialsError::new(format!("STS {action}: the response has no credentials"))
    })?;
    let mut creds = Credentials::new(sts.access_key_id, sts.secret_access_key)
        .with_session_token(sts.session_token);
    if let Some(at) = sts.expiration.to_system_time() {
        creds = creds.with_expiry(at);
    }
    Ok(creds)
}

/// An RFC 3339 expiry (`2024-01-02T03:04:05Z`).
pub fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    parse_date_time(text.trim())
        .ok()
        .and_then(DateTime::to_system_time)
        .ok_or_else(|| format!("expiration {text:?} is not an RFC 3339 date-time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_expiry() {
        assert!(parse_expiration("2030-01-02T03:04:05Z").is_ok());
        // The regional endpoint from STS's rule set, in the region's partition.
        let none: Vec<(String, String)> = Vec::new();
        let config = ProviderConfig::new(super::super::credentials::Env::from_vars(none))
            .with_partitions(crate::partitions::PARTITIONS);
        assert_eq!(
            endpoint(&config, "eu-west-1").as_deref(),
            Ok("https://sts.eu-west-1.amazonaws.com")
        );
        assert_eq!(
            endpoint(&config, "cn-north-1").as_deref(),
            Ok("https://sts.cn-north-1.amazonaws.com.cn")
        );
        // A region that is not a host-name label never reaches a URL.
        let err = endpoint(&config, "x@127.0.0.1:9/").unwrap_err();
        assert!(err.contains("region"), "{err}");
        let bad = ProviderConfig::new(super::super::credentials::Env::from_vars([(
            "AWS_ENDPOINT_URL_STS".to_string(),
            "http://u@127.0.0.1:9".to_string(),
        )]));
        assert!(endpoint(&bad, "eu-west-1").is_err());
        assert!(parse_expiration("tomorrow").is_err());
    }
}
