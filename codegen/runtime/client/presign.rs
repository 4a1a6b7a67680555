//! Presigned requests: a URL (and the headers to send with it) that anyone
//! holding it can use until it expires, signed with query-string SigV4 as
//! botocore's `generate_presigned_url` and aws-sdk-rust's presigning sign
//! it. Also the two tokens built the same way: the RDS IAM authentication
//! token and the EKS (`aws eks get-token`) token.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::super::blob::encode_base64;
use super::super::error::EncodeError;
use super::super::http::Operation;
use super::super::time::DateTime;
use super::config::config_error;
use super::core::ClientCore;
use super::sdk_error::SdkError;
use super::sigv4::{self, SignableRequest, SigningParams, SigningSettings};
use super::{CallOptions, Credentials};

/// How to presign: how long the request stays valid, and optionally
/// another HTTP method (botocore's `HttpMethod`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresigningConfig {
    expires_in: Duration,
    method: Option<&'static str>,
}

impl PresigningConfig {
    /// Valid for `expires_in`, whole seconds, 1 s to 7 days.
    pub fn expires_in(expires_in: Duration) -> Self {
        PresigningConfig {
            expires_in,
            method: None,
        }
    }

    /// Signs for `method` instead of the operation's own (`GET` for a
    /// presigned STS `GetCallerIdentity`, as `aws eks get-token` does).
    #[must_use]
    pub fn with_method(mut self, method: &'static str) -> Self {
        self.method = Some(method);
        self
    }

    fn seconds(&self) -> Result<u64, String> {
        let secs = self.expires_in.as_secs();
        if self.expires_in.subsec_nanos() != 0 || !(1..=sigv4::MAX_PRESIGN_EXPIRY).contains(&secs) {
            return Err(format!(
                "a presigned request expires after whole seconds, 1 s to 7 days; {:?} is not",
                self.expires_in
            ));
        }
        Ok(secs)
    }
}

/// A presigned request: send `method` to `url` with `headers` (each one was
/// signed and must be sent as it is), and the body if the operation has
/// one (the body of an S3 `PutObject`, which is not signed). `Debug` hides
/// the signature and the session token, which make the URL a credential.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    expires_at: SystemTime,
}

impl PresignedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL, signature included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers to send besides `Host`.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// When the signature stops being valid.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("url", &redacted_url(&self.url))
            .field("headers", &self.headers)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Query parameters whose values are secrets.
const SECRET_PARAMS: [&str; 2] = ["X-Amz-Signature", "X-Amz-Security-Token"];

/// `url` with the values of the signature and the session token replaced.
pub fn redacted_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(k)) => {
                format!("{k}=**redacted**")
            }
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", params.join("&"))
}

/// Headers never carried by a presigned request: the length of a body the
/// caller chooses, and what the transport adds. Nor are those the SDK
/// computes over the body it would send (`HttpRequest::computed_headers`),
/// as botocore leaves its checksums out of presigned requests.
const DROPPED: [&str; 2] = ["content-length", "host"];

impl ClientCore {
    /// Presigns operation `O` with `input`: the request the client would
    /// send (endpoint, customisations, host prefix), signed in its query
    /// string. A form body (the query protocols) moves into the query
    /// string, as botocore does; a service that does not sign payloads (S3)
    /// keeps the body for the caller to send; any other body cannot be
    /// presigned.
    pub(super) fn presign<O: Operation>(
        &self,
        input: &O::Input,
        presigning: &PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<O::Error>> {
        let expires = presigning
            .seconds()
            .map_err(|m| SdkError::Config(config_error(m)))?;
        let st = self.start::<O>(input, &CallOptions::default())?;
        let unsigned_payload = st.signing_settings.payload_hash_header;
        let mut headers: Vec<(String, String)> = st
            .request
            .headers
            .iter()
            .filter(|(n, _)| !DROPPED.iter().any(|d| n.eq_ignore_ascii_case(d)))
            .filter(|(n, _)| !st.request.computed_headers.contains(n))
            .cloned()
            .collect();
        let mut path = st.path.clone();
        let mut body: &[u8] = &st.request.body;
        if !unsigned_payload && !body.is_empty() {
            let form = st.request.header("Content-Type").is_some_and(|t| {
                t.split(';')
                    .next()
                    .is_some_and(|m| m.trim() == "application/x-www-form-urlencoded")
            });
            if !form {
                return Err(SdkError::Build(EncodeError::InvalidValue {
                    shape: O::NAME,
                    message: "this request has a body, which a presigned URL cannot carry".into(),
                }));
            }
            let form = std::str::from_utf8(body).map_err(|_| {
                SdkError::Build(EncodeError::InvalidValue {
                    shape: O::NAME,
                    message: "the form body is not UTF-8".into(),
                })
            })?;
            let sep = if path.contains('?') { '&' } else { '?' };
            path = format!("{path}{sep}{form}");
            body = &[];
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        }
        let payload = if unsigned_payload {
            sigv4::UNSIGNED_PAYLOAD.to_string()
        } else {
            sigv4::sha256_hex(body)
        };
        let credentials = self
            .config
            .credentials
            .provide_credentials()
            .map_err(SdkError::Credentials)?;
        let mut signed_headers = headers.clone();
        signed_headers.push(("Host".into(), st.host.clone()));
        let method = presigning.method.unwrap_or(st.request.method);
        let time = self.signing_time();
        let presigned = sigv4::presign(
            &SignableRequest {
                method,
                uri: &path,
                headers: &signed_headers,
                body,
            },
            &SigningParams {
                access_key_id: credentials.access_key_id(),
                secret_access_key: credentials.secret_access_key(),
                session_token: credentials.session_token(),
                region: &st.signing_region,
                service: &st.signing_name,
                time,
                settings: st.signing_settings,
            },
            expires,
            &payload,
        )
        .map_err(|e| match e {
            sigv4::SigningError::EmptyCredentials => {
                SdkError::Credentials(super::CredentialsError::new(e.to_string()))
            }
            other => SdkError::Config(config_error(other.to_string())),
        })?;
        let scheme = st.url.split_once("://").map_or("https", |(s, _)| s);
        Ok(PresignedRequest {
            method: method.to_string(),
            url: format!("{scheme}://{}{}", st.host, presigned.uri),
            headers,
            expires_at: time
                .to_system_time()
                .unwrap_or(SystemTime::UNIX_EPOCH)
                .checked_add(Duration::from_secs(expires))
                .unwrap_or(SystemTime::UNIX_EPOCH),
        })
    }
}

/// The RDS IAM authentication token for `user` on the database at
/// `hostname:port` in `region`: a presigned `connect` action of the
/// `rds-db` service, valid 15 minutes, without its scheme, as botocore's
/// `generate_db_auth_token` builds it. Use it as the database password.
pub fn rds_auth_token(
    hostname: &str,
    port: u16,
    user: &str,
    region: &str,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<String, sigv4::SigningError> {
    let host = format!("{hostname}:{port}");
    let uri = format!("/?Action=connect&DBUser={}", sigv4::uri_encode(user, false));
    let presigned = sigv4::presign(
        &SignableRequest {
            method: "GET",
            uri: &uri,
            headers: &[("Host".into(), host.clone())],
            body: &[],
        },
        &signing_params(credentials, region, "rds-db", time),
        900,
        &sigv4::sha256_hex(b""),
    )?;
    Ok(format!("{host}{}", presigned.uri))
}

/// The token `aws eks get-token` prints for `cluster`: a presigned STS
/// `GetCallerIdentity` (`GET`, regional endpoint, the `x-k8s-aws-id` header
/// signed, valid 60 seconds), base64url without padding, after
/// `k8s-aws-v1.`.
pub fn eks_token(
    cluster: &str,
    region: &str,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<String, sigv4::SigningError> {
    let host = format!("sts.{region}.amazonaws.com");
    let presigned = sigv4::presign(
        &SignableRequest {
            method: "GET",
            uri: "/?Action=GetCallerIdentity&Version=2011-06-15",
            headers: &[
                ("Host".into(), host.clone()),
                ("x-k8s-aws-id".into(), cluster.to_string()),
            ],
            body: &[],
        },
        &signing_params(credentials, region, "sts", time),
        60,
        &sigv4::sha256_hex(b""),
    )?;
    let url = format!("https://{host}{}", presigned.uri);
    let b64: String = encode_base64(url.as_bytes())
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    Ok(format!("k8s-aws-v1.{b64}"))
}

fn signing_params<'a>(
    credentials: &'a Credentials,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
) -> SigningParams<'a> {
    SigningParams {
        access_key_id: credentials.access_key_id(),
        secret_access_key: credentials.secret_access_key(),
        session_token: credentials.session_token(),
        region,
        service,
        time: DateTime::from(time),
        settings: SigningSettings::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_signature_and_the_token() {
        let p = PresignedRequest {
            method: "GET".into(),
            url: "https://b.s3.amazonaws.com/k?X-Amz-Security-Token=TOKEN&X-Amz-Signature=SIG&a=1"
                .into(),
            headers: Vec::new(),
            expires_at: SystemTime::UNIX_EPOCH,
        };
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("TOKEN") && !shown.contains("SIG&"),
            "{shown}"
        );
        assert!(shown.contains("a=1"), "{shown}");
    }

    #[test]
    fn expiries_are_whole_seconds_up_to_a_week() {
        for ok in [1, 3600, 604_800] {
            assert!(PresigningConfig::expires_in(Duration::from_secs(ok))
                .seconds()
                .is_ok());
        }
        for bad in [
            Duration::ZERO,
            Duration::from_secs(604_801),
            Duration::from_millis(1500),
        ] {
            assert!(PresigningConfig::expires_in(bad).seconds().is_err());
        }
    }

    #[test]
    fn an_eks_token_is_a_base64url_presigned_get_caller_identity() {
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let token = eks_token("my-cluster", "us-west-2", &creds, t).unwrap();
        let b64 = token.strip_prefix("k8s-aws-v1.").unwrap();
        assert!(!b64.contains(['=', '+', '/']));
        let std_b64: String = b64
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        let url =
            String::from_utf8(super::super::super::blob::decode_base64(&std_b64).unwrap()).unwrap();
        assert!(url.starts_with("https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"), "{url}");
        assert!(url.contains("X-Amz-Expires=60&"), "{url}");
        assert!(
            url.contains("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&"),
            "{url}"
        );
    }
}
