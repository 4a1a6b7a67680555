//! IAM Identity Center (SSO) credentials for profiles that `aws sso login`
//! signed in: the access token from the AWS CLI's token cache, refreshed
//! through SSO OIDC `CreateToken` before it expires (the cache file updated
//! as the CLI updates it), exchanged for role credentials by the portal's
//! `GetRoleCredentials`. Both calls are the operations generated from the
//! embedded SSO and SSO OIDC slices ([`super::sso_api`],
//! [`super::sso_oidc_api`]).
//!
//! Two profile forms, as the AWS SDKs read them:
//! - `sso_session = name` with a `[sso-session name]` section holding
//!   `sso_region` and `sso_start_url`; the token is cached under the SHA-1
//!   of the session name and can be refreshed;
//! - the legacy form, `sso_start_url` and `sso_region` in the profile; the
//!   token is cached under the SHA-1 of the start URL and is never
//!   refreshed.
//!
//! Both need `sso_account_id` and `sso_role_name`. A missing, expired or
//! refused token is an error that says to run `aws sso login --profile X`.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use sha1::{Digest, Sha1};

use super::super::document::Document;
use super::super::json::{JsonReader, JsonWriter};
use super::super::time::{parse_date_time, DateTime};
use super::api_call::call_api;
use super::profile::{Profile, ProfileSet};
use super::provider::ProviderConfig;
use super::settings;
use super::{sso_api, sso_oidc_api, Credentials, CredentialsError};

/// Refresh a token this long before it expires.
pub const TOKEN_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

/// What an SSO profile says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoProfile {
    /// The profile's name (for messages).
    pub profile: String,
    /// The `sso-session` name, for the refreshable form.
    pub session: Option<String>,
    /// `sso_start_url`.
    pub start_url: String,
    /// `sso_region`: where the portal and OIDC are called.
    pub region: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
}

impl SsoProfile {
    /// Reads an SSO profile, or `None` when `profile` is not one.
    pub fn read(set: &ProfileSet, profile: &Profile) -> Option<Result<SsoProfile, String>> {
        let name = profile.name();
        let session = profile.get("sso_session");
        if session.is_none() && profile.get("sso_start_url").is_none() {
            return None;
        }
        Some((|| {
            let mut missing = Vec::new();
            let mut need = |p: &Profile, key: &str| {
                p.get(key).map(String::from).unwrap_or_else(|| {
                    missing.push(key.to_string());
                    String::new()
                })
            };
            let (start_url, region) = match session {
                Some(s) => {
                    let section = set.section("sso-session", s).ok_or_else(|| {
                        format!(
                            "profile `{name}` ({}): sso_session = {s}, and the config file has no [sso-session {s}] section",
                            profile.origin("sso_session")
                        )
                    })?;
                    let start_url = need(section, "sso_start_url");
                    let region = need(section, "sso_region");
                    // The profile may repeat them; it must agree.
                    for (key, value) in [("sso_start_url", &start_url), ("sso_region", &region)] {
                        if let Some(own) = profile.get(key) {
                            if own != value.as_str() {
                                return Err(format!(
                                    "profile `{name}` ({}): {key} differs from the [sso-session {s}] section's",
                                    profile.origin(key)
                                ));
                            }
                        }
                    }
                    (start_url, region)
                }
                None => (need(profile, "sso_start_url"), need(profile, "sso_region")),
            };
            let account_id = need(profile, "sso_account_id");
            let role_name = need(profile, "sso_role_name");
            if !missing.is_empty() {
                return Err(format!("SSO profile `{name}` lacks {}", missing.join(", ")));
            }
            Ok(SsoProfile {
                profile: name.to_string(),
                session: session.map(String::from),
                start_url,
                region,
                account_id,
                role_name,
            })
        })())
    }

    /// The name of the token's cache file: the SHA-1 (hex) of the session
    /// name, or of the start URL for the legacy form.
    pub fn cache_key(&self) -> String {
        let key = self.session.as_deref().unwrap_or(&self.start_url);
        Sha1::digest(key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn login_hint(&self) -> String {
        format!("run `aws sso login --profile {}`", self.profile)
    }
}

/// Role credentials for an SSO profile: the cached token (refreshed when
/// due and possible), then `GetRoleCredentials`.
pub fn credentials(
    config: &ProviderConfig,
    set: &ProfileSet,
    sso: &SsoProfile,
) -> Result<Credentials, CredentialsError> {
    let token = access_token(config, set, sso)?;
    let url = endpoint(config, set, sso_api::SDK_ID, &sso.region, |region| {
        sso_api::endpoint::Params {
            region: Some(region.to_owned()),
            ..sso_api::endpoint::Params::default()
        }
        .resolve_with(config.partitions())
    })?;
    let input = sso_api::GetRoleCredentialsRequest::new()
        .with_role_name(sso.role_name.as_str())
        .with_account_id(sso.account_id.as_str())
        .with_access_token(token);
    let output = call_api::<sso_api::GetRoleCredentials>(config, &url, None, &input, "SSO")
        .map_err(|e| match e.code.as_deref() {
            Some("UnauthorizedException") => CredentialsError::new(format!(
                "SSO refused the token of profile `{}`: {}",
                sso.profile,
                sso.login_hint()
            )),
            _ => e.error,
        })?;
    let role = output.role_credentials.ok_or_else(|| {
        CredentialsError::new("SSO GetRoleCredentials: the response has no roleCredentials")
    })?;
    let (Some(key), Some(secret)) = (role.access_key_id, role.secret_access_key) else {
        return Err(CredentialsError::new(
            "SSO GetRoleCredentials: the response lacks the access key or secret",
        ));
    };
    let mut creds = Credentials::new(key, secret);
    if let Some(t) = role.session_token {
        creds = creds.with_session_token(t);
    }
    // The expiry is in milliseconds since the epoch.
    if let Some(at) = u64::try_from(role.expiration)
        .ok()
        .filter(|ms| *ms > 0)
        .and_then(|ms| SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(ms)))
    {
        creds = creds.with_expiry(at);
    }
    Ok(creds)
}

/// The endpoint of an SSO API: a configured one (`AWS_ENDPOINT_URL_SSO`,
/// `AWS_ENDPOINT_URL`, the profile's, as for any service), else its rule
/// set's for the SSO region.
fn endpoint(
    config: &ProviderConfig,
    set: &ProfileSet,
    sdk_id: &str,
    region: &str,
    resolve: impl FnOnce(&str) -> Result<super::super::endpoint::Endpoint, super::super::ResolveError>,
) -> Result<String, CredentialsError> {
    let fail = |m: String| CredentialsError::new(format!("{sdk_id}: {m}"));
    let configured = settings::load(config.env(), set)
        .map_err(&fail)?
        .endpoints
        .for_service(sdk_id);
    if let Some(url) = configured {
        super::check_endpoint(&url.value).map_err(|e| fail(format!("{}: {e}", url.source)))?;
        return Ok(url.value);
    }
    super::check_region(region).map_err(|e| fail(e.to_string()))?;
    let resolved = resolve(region).map_err(|e| fail(format!("no endpoint for {region}: {e}")))?;
    Ok(resolved.url)
}

/// A token from the CLI's cache.
#[derive(Clone, Debug)]
struct CachedToken {
    path: PathBuf,
    doc: std::collections::BTreeMap<String, Document>,
    access_token: String,
    expires_at: SystemTime,
}

impl CachedToken {
    fn field(&self, key: &str) -> Option<&str> {
        self.doc
            .get(key)
            .and_then(Document::as_str)
            .filter(|s| !s.is_empty())
    }
}

fn cache_path(config: &ProviderConfig, sso: &SsoProfile) -> Result<PathBuf, CredentialsError> {
    let home = config.env().home().ok_or_else(|| {
        CredentialsError::new("no home directory (HOME) to find the SSO token cache in")
    })?;
    Ok(home
        .join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{}.json", sso.cache_key())))
}

fn read_cache(path: PathBuf, sso: &SsoProfile) -> Result<CachedToken, CredentialsError> {
    let shown = path.display().to_string();
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CredentialsError::new(format!(
                "profile `{}` has no SSO token ({shown} does not exist): {}",
                sso.profile,
                sso.login_hint()
            )))
        }
        Err(e) => return Err(CredentialsError::new(format!("{shown}: {e}"))),
    };
    let bad = |what: &str| {
        CredentialsError::new(format!(
            "{shown} is not an SSO token cache file ({what}): {}",
            sso.login_hint()
        ))
    };
    let doc = JsonReader::new(&text)
        .read_document()
        .map_err(|_| bad("not JSON"))?;
    let Document::Object(doc) = doc else {
        return Err(bad("not a JSON object"));
    };
    let access_token = doc
        .get("accessToken")
        .and_then(Document::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("no accessToken"))?
        .to_string();
    let expires_at = doc
        .get("expiresAt")
        .and_then(Document::as_str)
        .and_then(|t| parse_date_time(t).ok())
        .and_then(DateTime::to_system_time)
        .ok_or_else(|| bad("no RFC 3339 expiresAt"))?;
    Ok(CachedToken {
        path,
        doc,
        access_token,
        expires_at,
    })
}

/// The access token: the cached one while it has more than
/// [`TOKEN_REFRESH_AHEAD`] left; otherwise, for an `sso-session` profile
/// whose registration is still valid, a refreshed one (written back to the
/// cache); a token that can no longer be used is an error.
fn access_token(
    config: &ProviderConfig,
    set: &ProfileSet,
    sso: &SsoProfile,
) -> Result<String, CredentialsError> {
    let cached = read_cache(cache_path(config, sso)?, sso)?;
    let now = config.clock().now();
    if cached.expires_at > now + TOKEN_REFRESH_AHEAD {
        return Ok(cached.access_token);
    }
    let still_valid = cached.expires_at > now;
    let refreshed = match refreshable(&cached, now, sso) {
        Some(refresh) => refresh_token(config, set, sso, &cached, refresh),
        None => Err(CredentialsError::new(format!(
            "the SSO token of profile `{}` expired and cannot be refreshed: {}",
            sso.profile,
            sso.login_hint()
        ))),
    };
    match refreshed {
        Ok(token) => Ok(token),
        // A token that still works is used while a refresh fails.
        Err(_) if still_valid => Ok(cached.access_token),
        Err(e) => Err(e),
    }
}

/// The refresh token, client id and secret, when the token can be
/// refreshed: an `sso-session` profile with a registration not yet
/// expired.
fn refreshable<'a>(
    cached: &'a CachedToken,
    now: SystemTime,
    sso: &SsoProfile,
) -> Option<(&'a str, &'a str, &'a str)> {
    sso.session.as_ref()?;
    let registration_valid = cached
        .field("registrationExpiresAt")
        .and_then(|t| parse_date_time(t).ok())
        .and_then(DateTime::to_system_time)
        .is_some_and(|at| at > now);
    if !registration_valid {
        return None;
    }
    Some((
        cached.field("refreshToken")?,
        cached.field("clientId")?,
        cached.field("clientSecret")?,
    ))
}

fn refresh_token(
    config: &ProviderConfig,
    set: &ProfileSet,
    sso: &SsoProfile,
    cached: &CachedToken,
    (refresh, client_id, client_secret): (&str, &str, &str),
) -> Result<String, CredentialsError> {
    let url = endpoint(config, set, sso_oidc_api::SDK_ID, &sso.region, |region| {
        sso_oidc_api::endpoint::Params {
            region: Some(region.to_owned()),
            ..sso_oidc_api::endpoint::Params::default()
        }
        .resolve_with(config.partitions())
    })?;
    let input = sso_oidc_api::CreateTokenRequest::new()
        .with_client_id(client_id)
        .with_client_secret(client_secret)
        .with_grant_type("refresh_token")
        .with_refresh_token(refresh);
    let output = call_api::<sso_oidc_api::CreateToken>(config, &url, None, &input, "SSO OIDC")
        .map_err(|e| {
            CredentialsError::new(format!(
                "{}; the SSO token of profile `{}` could not be refreshed: {}",
                e.error.message(),
                sso.profile,
                sso.login_hint()
            ))
        })?;
    let token = output
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| CredentialsError::new("SSO OIDC CreateToken: no accessToken"))?;
    let expires_in = u64::try_from(output.expires_in).unwrap_or(0);
    let expires_at = config.clock().now() + Duration::from_secs(expires_in);
    let mut doc = cached.doc.clone();
    doc.insert("accessToken".into(), Document::String(token.clone()));
    doc.insert(
        "expiresAt".into(),
        Document::String(DateTime::from(expires_at).fmt_date_time()),
    );
    if let Some(r) = output.refresh_token.filter(|r| !r.is_empty()) {
        doc.insert("refreshToken".into(), Document::String(r));
    }
    write_cache(&cached.path, &doc)?;
    Ok(token)
}

/// Replaces the cache file whole (a temporary file renamed over it),
/// readable by its owner only, as the CLI writes it.
fn write_cache(
    path: &std::path::Path,
    doc: &std::collections::BTreeMap<String, Document>,
) -> Result<(), CredentialsError> {
    let mut w = JsonWriter::new();
    w.document(&Document::Object(doc.clone()));
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    let fail = |e: std::io::Error| {
        let _ = std::fs::remove_file(&tmp);
        CredentialsError::new(format!("writing {}: {e}", path.display()))
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(fail)?;
    std::io::Write::write_all(&mut file, w.into_string().as_bytes()).map_err(fail)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profiles(config: &str) -> ProfileSet {
        ProfileSet::parse(Some(("config", config)), None).unwrap()
    }

    #[test]
    fn both_profile_forms_read_and_missing_keys_are_named() {
        let set = profiles(
            "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
             [sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n\
             [profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 1\nsso_role_name = R\n\
             [profile half]\nsso_session = corp\n\
             [profile lost]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = R\n\
             [profile keys]\naws_access_key_id = A\n",
        );
        let dev = SsoProfile::read(&set, set.get("dev").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(dev.session.as_deref(), Some("corp"));
        assert_eq!(dev.region, "eu-west-1");
        assert_eq!(dev.start_url, "https://corp.awsapps.com/start");
        // The CLI's cache key: SHA-1 of the session name, or of the start URL.
        assert_eq!(dev.cache_key().len(), 40);
        let old = SsoProfile::read(&set, set.get("old").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(old.session, None);
        assert_ne!(old.cache_key(), dev.cache_key());
        let half = SsoProfile::read(&set, set.get("half").unwrap())
            .unwrap()
            .unwrap_err();
        assert!(half.contains("sso_account_id, sso_role_name"), "{half}");
        let lost = SsoProfile::read(&set, set.get("lost").unwrap())
            .unwrap()
            .unwrap_err();
        assert!(lost.contains("no [sso-session nowhere] section"), "{lost}");
        assert!(SsoProfile::read(&set, set.get("keys").unwrap()).is_none());
    }

    #[test]
    fn the_cache_key_is_the_sha1_of_the_session_name_or_start_url() {
        let sso = |session: Option<&str>, url: &str| SsoProfile {
            profile: "p".into(),
            session: session.map(String::from),
            start_url: url.into(),
            region: "us-east-1".into(),
            account_id: "1".into(),
            role_name: "r".into(),
        };
        // SHA-1 test vectors (FIPS 180 "abc").
        assert_eq!(
            sso(Some("abc"), "ignored").cache_key(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            sso(None, "abc").cache_key(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }
}
