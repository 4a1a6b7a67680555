//! AWS Signature Version 4: header signing ([`sign`]) and query signing,
//! the presigned URL ([`presign`]).
//!
//! The canonical request, string to sign, signing key and `Authorization`
//! header as the SigV4 specification defines them; SHA-256 and HMAC come
//! from RustCrypto (`sha2`, `hmac`). [`sign`] is a pure function of the
//! request, the credentials, the scope and the time, so it is checked
//! against the official test suite and against botocore.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::super::time::DateTime;

/// Headers that are never signed: proxies and tracing rewrite them, and a
/// signature over them would break (the same set botocore leaves out).
const UNSIGNED_HEADERS: &[&str] = &["authorization", "expect", "user-agent", "x-amzn-trace-id"];

/// Headers the signer writes itself: a request's own copies (from an
/// earlier signature) are replaced, not signed twice.
const SIGNER_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// Whether the signer writes `name` itself (see [`sign`]); a transport or
/// test drops a request's own copies before adding the new ones.
pub fn is_signer_header(name: &str) -> bool {
    SIGNER_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Switches of the signing algorithm that differ between services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Percent-encode the (already encoded) path a second time, `%` included.
    /// Every service but S3 wants this; without it, only bytes that cannot
    /// stand in a path are encoded and existing `%XX` escapes are kept.
    pub double_encode_path: bool,
    /// Remove `.` and `..` segments and repeated slashes from the path
    /// before encoding it. Every service but S3 wants this.
    pub normalize_path: bool,
    /// Add an `x-amz-content-sha256` header with the payload hash (and sign it).
    pub payload_hash_header: bool,
    /// Add the session token after signing, unsigned (a few services want it so).
    pub omit_session_token_from_signature: bool,
    /// A payload hash signed in place of the body's:
    /// [`STREAMING_EVENTS_PAYLOAD`] for a request whose body is an event
    /// stream signed message by message.
    pub payload_hash: Option<&'static str>,
}

/// The payload hash of a request whose body is an event stream, each
/// message signed on its own (the client's `event_signer`).
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The payload hash of an `aws-chunked` body whose every chunk is signed
/// (the client's `upload` module), without and with a signed trailer.
pub const STREAMING_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/// See [`STREAMING_PAYLOAD`].
pub const STREAMING_PAYLOAD_TRAILER: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
/// The payload hash of an `aws-chunked` body sent unsigned over TLS, its
/// checksum in a trailer.
pub const STREAMING_UNSIGNED_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            double_encode_path: true,
            normalize_path: true,
            payload_hash_header: false,
            omit_session_token_from_signature: false,
            payload_hash: None,
        }
    }
}

/// What a request is signed with and for.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// The session token of temporary credentials.
    pub session_token: Option<&'a str>,
    /// The signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `sagemaker`.
    pub service: &'a str,
    /// The signing time.
    pub time: DateTime,
    /// Algorithm switches.
    pub settings: SigningSettings,
}

/// The parts of a request that are signed.
#[derive(Clone, Copy, Debug)]
pub struct SignableRequest<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// Path and query, e.g. `/` or `/a/b?x=1`.
    pub uri: &'a str,
    /// Header names and values, `Host` among them.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

/// The result of signing: the headers to add to the request, and the
/// intermediate values (for tests and debugging).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// Headers to add, in order: `x-amz-date`, `x-amz-security-token`,
    /// `x-amz-content-sha256` (when asked for), `authorization`.
    pub headers: Vec<(String, String)>,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, lower-case hex.
    pub signature: String,
}

/// Why a request cannot be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigningError {
    /// An access key id or secret is empty.
    EmptyCredentials,
    /// The region or service name is empty or holds characters a
    /// credential scope cannot.
    InvalidScope(String),
    /// A header name is not an HTTP token, or its value holds a line break
    /// or another control character.
    InvalidHeader(String),
}

impl std::fmt::Display for SigningError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SigningError::EmptyCredentials => {
                f.write_str("cannot sign: the access key id or secret access key is empty")
            }
            SigningError::InvalidScope(what) => write!(f, "cannot sign: invalid {what}"),
            SigningError::InvalidHeader(name) => write!(
                f,
                "cannot sign: the header `{name}` has a bad name, or a value with a line break or control character"
            ),
        }
    }
}

impl std::error::Error for SigningError {}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

pub(super) fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// `20150830T123600Z`
pub fn amz_date(t: DateTime) -> String {
    let iso = t.fmt_date_time(); // 2015-08-30T12:36:00Z or with fraction
    let digits: String = iso
        .chars()
        .take(19)
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect();
    format!("{digits}Z")
}

/// Percent-encodes every byte but the unreserved characters (`A-Z a-z 0-9
/// - . _ ~`), and `/` when `keep_slash`.
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    use super::super::percent::{encode, Form};
    encode(
        s,
        if keep_slash {
            Form::UriKeepSlash
        } else {
            Form::Uri
        },
    )
}

/// Decodes `%XX` escapes (a malformed escape is kept as it is).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_at = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        match (bytes[i], hex_at(i + 1), hex_at(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `..` segments and empty segments, keeping the leading
/// slash, and a trailing one when the path ends with `/` (as botocore does:
/// `/a/b/.` becomes `/a/b`).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    out
}

fn canonical_uri(path: &str, settings: &SigningSettings) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let path = if settings.normalize_path {
        normalize_path(path)
    } else {
        path.to_string()
    };
    if settings.double_encode_path {
        uri_encode(&path, true)
    } else {
        // Single encoding: the path is already encoded; encode what is not.
        path.split('%')
            .enumerate()
            .map(|(i, part)| {
                let enc = uri_encode(part, true);
                if i == 0 {
                    enc
                } else {
                    format!("%{enc}")
                }
            })
            .collect()
    }
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k), false),
                uri_encode(&percent_decode(v), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value as signed: surrounding white space trimmed, inner runs
/// of white space (line folds included) collapsed to one space.
fn canonical_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn valid_scope_part(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// Checks what goes into the credential scope.
fn check_params(params: &SigningParams<'_>) -> Result<(), SigningError> {
    if params.access_key_id.trim().is_empty() || params.secret_access_key.trim().is_empty() {
        return Err(SigningError::EmptyCredentials);
    }
    // The key id goes into the credential scope.
    if !params
        .access_key_id
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"/,;=\"".contains(&b))
    {
        return Err(SigningError::InvalidScope("access key id".into()));
    }
    if !valid_scope_part(params.region) {
        return Err(SigningError::InvalidScope(format!(
            "region {:?}",
            params.region
        )));
    }
    if !valid_scope_part(params.service) {
        return Err(SigningError::InvalidScope(format!(
            "signing name {:?}",
            params.service
        )));
    }
    Ok(())
}

/// Canonical headers (lower-case names, sorted; values of repeated names
/// joined with commas, in order) and the signed-headers list, over the
/// request's headers (less those the signer writes) and `added`.
fn canonical_headers(
    own: &[(String, String)],
    added: &[(String, String)],
) -> Result<(String, String), SigningError> {
    let mut headers: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let own = own.iter().filter(|(n, _)| !is_signer_header(n));
    for (name, value) in own.chain(added.iter()) {
        let bad_name = !super::super::http::is_header_name(name);
        if bad_name || value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(SigningError::InvalidHeader(name.escape_debug().to_string()));
        }
        let lower = name.to_ascii_lowercase();
        if UNSIGNED_HEADERS.contains(&lower.as_str()) {
            continue;
        }
        headers
            .entry(lower)
            .or_default()
            .push(canonical_value(value));
    }
    let canonical: String = headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.join(",")))
        .collect();
    let signed = headers.keys().cloned().collect::<Vec<_>>().join(";");
    Ok((canonical, signed))
}

/// The credential scope: `date/region/service/aws4_request`.
pub(super) fn scope(params: &SigningParams<'_>, date: &str) -> String {
    format!("{date}/{}/{}/aws4_request", params.region, params.service)
}

/// The string to sign and the signature of a canonical request.
fn signature_of(
    params: &SigningParams<'_>,
    amz_date: &str,
    canonical_request: &str,
) -> (String, String) {
    let date = &amz_date[..8];
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}",
        scope(params, date),
        sha256_hex(canonical_request.as_bytes())
    );
    let key = signing_key(params, date);
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    (string_to_sign, signature)
}

/// The signing key of `params` on `date` (`YYYYMMDD`).
pub(super) fn signing_key(params: &SigningParams<'_>, date: &str) -> Vec<u8> {
    let mut key = hmac(
        format!("AWS4{}", params.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    for part in [params.region, params.service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    key
}

/// Signs a request: the headers to add, and how they were computed.
pub fn sign(req: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Signed, SigningError> {
    check_params(params)?;
    let settings = &params.settings;
    let amz_date = amz_date(params.time);
    // A hash the request already carries (a streamed body hashed before
    // it is sent, Glacier's) is the one signed, as botocore does.
    let given = req
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-content-sha256"))
        .map(|(_, v)| v.as_str());
    let payload_hash = match (settings.payload_hash, given) {
        (Some(fixed), _) => fixed.to_owned(),
        (None, Some(given)) => given.to_owned(),
        (None, None) => sha256_hex(req.body),
    };

    let mut added: Vec<(String, String)> = vec![("x-amz-date".into(), amz_date.clone())];
    let token = params.session_token.filter(|t| !t.is_empty());
    if let (Some(t), false) = (token, settings.omit_session_token_from_signature) {
        added.push(("x-amz-security-token".into(), t.to_string()));
    }
    if settings.payload_hash_header && given.is_none() {
        added.push(("x-amz-content-sha256".into(), payload_hash.clone()));
    }
    let (canonical_headers, signed_headers) = canonical_headers(req.headers, &added)?;

    let (path, query) = req.uri.split_once('?').unwrap_or((req.uri, ""));
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method,
        canonical_uri(path, settings),
        canonical_query(query),
    );
    let (string_to_sign, signature) = signature_of(params, &amz_date, &canonical_request);
    if let (Some(t), true) = (token, settings.omit_session_token_from_signature) {
        added.push(("x-amz-security-token".into(), t.to_string()));
    }
    added.push((
        "authorization".into(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{}, SignedHeaders={signed_headers}, Signature={signature}",
            params.access_key_id,
            scope(params, &amz_date[..8]),
        ),
    ));
    Ok(Signed {
        headers: added,
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// The payload hash of a presigned request whose body is not signed (S3).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The longest a presigned request may stay valid: 7 days.
pub const MAX_PRESIGN_EXPIRY: u64 = 7 * 24 * 3600;

/// A presigned request target and how it was computed.
#[derive(Clone, PartialEq, Eq)]
pub struct Presigned {
    /// Path and query to send: the request's own query, then the signing
    /// parameters (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Security-Token`),
    /// then `X-Amz-Signature`.
    pub uri: String,
    /// The names of the signed headers, lower case, `;`-separated: every
    /// one must be sent with the request as it was signed.
    pub signed_headers: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, lower-case hex.
    pub signature: String,
}

impl std::fmt::Debug for Presigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URI is a bearer credential: its path only.
        let path = self.uri.split('?').next().unwrap_or_default();
        f.debug_struct("Presigned")
            .field("path", &path)
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

/// Presigns a request with query-string SigV4: the request target to send
/// instead of signing headers. `expires_in` is in seconds, 1 to
/// [`MAX_PRESIGN_EXPIRY`]; `payload_hash` is the body's SHA-256 in hex, or
/// [`UNSIGNED_PAYLOAD`] (S3).
pub fn presign(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires_in: u64,
    payload_hash: &str,
) -> Result<Presigned, SigningError> {
    check_params(params)?;
    if !(1..=MAX_PRESIGN_EXPIRY).contains(&expires_in) {
        return Err(SigningError::InvalidScope(format!(
            "expiry of {expires_in} s (a presigned request lives 1 s to 7 days)"
        )));
    }
    let amz_date = amz_date(params.time);
    let (canonical_headers, signed_headers) = canonical_headers(req.headers, &[])?;
    let mut auth: Vec<(&str, String)> = vec![
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".into()),
        (
            "X-Amz-Credential",
            format!("{}/{}", params.access_key_id, scope(params, &amz_date[..8])),
        ),
        ("X-Amz-Date", amz_date.clone()),
        ("X-Amz-Expires", expires_in.to_string()),
        ("X-Amz-SignedHeaders", signed_headers.clone()),
    ];
    let token = params.session_token.filter(|t| !t.is_empty());
    let omit_token = params.settings.omit_session_token_from_signature;
    if let (Some(t), false) = (token, omit_token) {
        auth.push(("X-Amz-Security-Token", t.to_string()));
    }
    let encoded = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", uri_encode(v, false)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let (path, query) = req.uri.split_once('?').unwrap_or((req.uri, ""));
    let own_query = query.trim_end_matches('&');
    let joined = |tail: &str| {
        if own_query.is_empty() {
            tail.to_string()
        } else {
            format!("{own_query}&{tail}")
        }
    };
    let signed_query = joined(&encoded(&auth));
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method,
        canonical_uri(path, &params.settings),
        canonical_query(&signed_query),
    );
    let (string_to_sign, signature) = signature_of(params, &amz_date, &canonical_request);
    let mut tail = Vec::new();
    if let (Some(t), true) = (token, omit_token) {
        tail.push(("X-Amz-Security-Token", t.to_string()));
    }
    tail.push(("X-Amz-Signature", signature.clone()));
    Ok(Presigned {
        uri: format!("{path}?{signed_query}&{}", encoded(&tail)),
        signed_headers,
        canonical_request,
        string_to_sign,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_like_the_suite() {
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example/.."), "/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./"), "/");
        assert_eq!(normalize_path("/example/./"), "/example/");
        assert_eq!(normalize_path("/a/b/."), "/a/b");
        assert_eq!(normalize_path("/a/b/.."), "/a");
    }

    #[test]
    fn encoding_keeps_only_unreserved_bytes() {
        assert_eq!(uri_encode("a b/ሴ~", true), "a%20b/%E1%88%B4~");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        let single = SigningSettings {
            double_encode_path: false,
            ..SigningSettings::default()
        };
        assert_eq!(canonical_uri("/a%20b c/%3D", &single), "/a%20b%20c/%3D");
        assert_eq!(
            canonical_uri("/a%20b c/%3D", &SigningSettings::default()),
            "/a%2520b%20c/%253D"
        );
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k%20y=v%2F"), "k%20y=v%2F");
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let req = SignableRequest {
            method: "POST",
            uri: "/",
            headers: &[("x-a".to_string(), "bad\u{0}value".to_string())],
            body: b"",
        };
        let mut params = SigningParams {
            access_key_id: "AKID",
            secret_access_key: "secret",
            session_token: None,
            region: "us-east-1",
            service: "svc",
            time: DateTime::from_secs(0),
            settings: SigningSettings::default(),
        };
        assert_eq!(
            sign(&req, &params),
            Err(SigningError::InvalidHeader("x-a".into()))
        );
        params.access_key_id = "";
        assert_eq!(sign(&req, &params), Err(SigningError::EmptyCredentials));
        params.access_key_id = "AKID";
        params.region = "us east";
        assert!(matches!(
            sign(&req, &params),
            Err(SigningError::InvalidScope(_))
        ));
    }

    #[test]
    fn amz_dates_have_no_separators() {
        assert_eq!(
            amz_date(DateTime::from_secs(1440938160)),
            "20150830T123600Z"
        );
        assert_eq!(
            amz_date(DateTime::from_millis(1440938160250)),
            "20150830T123600Z"
        );
    }
}
