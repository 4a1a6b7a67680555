//! The official SigV4 test suite (`v4/` of `../shared/sigv4-test-suite`):
//! for every case, the signer's canonical request, string to sign,
//! signature and signed request equal the suite's, in both forms: header
//! signing and query signing (presigned URLs).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use aws_slim::runtime::client::sigv4::{self, SignableRequest, SigningParams, SigningSettings};
use aws_slim::runtime::DateTime;
use serde_json::Value;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The test secret of the `ANOTREAL` key the migrated cases sign with.
const ANOTREAL_SECRET: &str = "notrealrnrELgWzOk3IfjzDKtFBhDby";

/// A request in the suite's text form.
struct Request {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Parses `METHOD URI HTTP/1.1`, `Name:value` lines (indented lines fold
/// into the value before them), a blank line and the body.
fn parse_request(text: &str) -> Request {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let first = lines.next().expect("a request line");
    let first = first.strip_suffix(" HTTP/1.1").unwrap_or(first);
    let (method, uri) = first.split_once(' ').expect("method and target");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a folded line follows a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_string(), value.trim().to_string()));
        }
    }
    Request {
        method: method.to_string(),
        uri: uri.to_string(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `20150830T123600Z` → a time.
fn parse_amz_date(s: &str) -> DateTime {
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    aws_slim::runtime::time::parse_date_time(&iso).expect("a valid date")
}

/// The headers of a signed request as a set of (lower-case name, value).
fn header_set(headers: &[(String, String)]) -> BTreeSet<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn read(dir: &Path, name: &str) -> Option<String> {
    fs::read_to_string(dir.join(name)).ok()
}

/// Runs one case; the list of mismatches (empty when it passes).
fn run_case(dir: &Path) -> Vec<String> {
    let request = parse_request(&read(dir, "request.txt").expect("request.txt"));
    let expected_signed =
        parse_request(&read(dir, "header-signed-request.txt").expect("signed request"));
    let context: Value = read(dir, "context.json")
        .map(|t| serde_json::from_str(&t).expect("context.json is JSON"))
        .unwrap_or(Value::Null);
    // Cases without a context carry their scope in the expected signature.
    let auth = header(&expected_signed.headers, "authorization").expect("an Authorization header");
    let scope: Vec<&str> = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split(',').next())
        .expect("a credential")
        .split('/')
        .collect();
    let str_of = |key: &str| context.get(key).and_then(Value::as_str);
    let creds = context.get("credentials");
    let akid = creds
        .and_then(|c| c.get("access_key_id"))
        .and_then(Value::as_str)
        .unwrap_or(scope[0]);
    let secret = creds
        .and_then(|c| c.get("secret_access_key"))
        .and_then(Value::as_str)
        .unwrap_or(if akid == "ANOTREAL" {
            ANOTREAL_SECRET
        } else {
            SECRET
        });
    let token = creds.and_then(|c| c.get("token")).and_then(Value::as_str);
    let time = match str_of("timestamp") {
        Some(t) => aws_slim::runtime::time::parse_date_time(t).expect("timestamp"),
        None => parse_amz_date(header(&expected_signed.headers, "x-amz-date").expect("X-Amz-Date")),
    };
    // The migrated cases' canonical request was written at another time
    // than their signed request: check it at its own.
    let canonical_time = read(dir, "header-canonical-request.txt")
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("x-amz-date:").map(parse_amz_date))
        })
        .unwrap_or(time);
    let flag =
        |key: &str, default: bool| context.get(key).and_then(Value::as_bool).unwrap_or(default);
    let params = SigningParams {
        access_key_id: akid,
        secret_access_key: secret,
        session_token: token,
        region: str_of("region").unwrap_or(scope[2]),
        service: str_of("service").unwrap_or(scope[3]),
        time,
        settings: SigningSettings {
            // The two cases without a context were added to check double
            // encoding; the others' request targets are as sent on the wire
            // (get-space-normalized's `%20` stays `%20`).
            double_encode_path: context.is_null(),
            normalize_path: flag("normalize", true),
            payload_hash_header: flag("sign_body", false),
            omit_session_token_from_signature: flag("omit_session_token", false),
            ..SigningSettings::default()
        },
    };
    let signable = SignableRequest {
        method: &request.method,
        uri: &request.uri,
        headers: &request.headers,
        body: &request.body,
    };
    let (signed, at_canonical_time) = match (
        sigv4::sign(&signable, &params),
        sigv4::sign(
            &signable,
            &SigningParams {
                time: canonical_time,
                ..params
            },
        ),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return vec![format!("signing failed: {e}")],
    };
    let mut problems = Vec::new();
    let mut check = |what: &str, file: &str, got: &str| {
        if let Some(want) = read(dir, file) {
            if want.trim_end() != got {
                problems.push(format!("{what}:\n--- want\n{want}\n--- got\n{got}"));
            }
        }
    };
    check(
        "canonical request",
        "header-canonical-request.txt",
        &at_canonical_time.canonical_request,
    );
    check(
        "string to sign",
        "header-string-to-sign.txt",
        &signed.string_to_sign,
    );
    check("signature", "header-signature.txt", &signed.signature);
    // The signed request: the request's own headers (less those the signer
    // writes) plus the signer's.
    let mut sent: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(n, _)| !sigv4::is_signer_header(n))
        .cloned()
        .collect();
    sent.extend(signed.headers.iter().cloned());
    let (want, got) = (header_set(&expected_signed.headers), header_set(&sent));
    // Request targets compare decoded: one file writes `%20`, the other a space.
    let same_target = expected_signed.uri.replace("%20", " ") == request.uri.replace("%20", " ");
    if want != got || expected_signed.method != request.method || !same_target {
        problems.push(format!(
            "signed request headers:\n--- want\n{want:?}\n--- got\n{got:?}"
        ));
    }
    problems.extend(run_query_case(dir, &request, &params));
    problems
}

/// The presigned (query-signed) form of a case, where the suite has one:
/// canonical request, string to sign, signature and the signed request's
/// query parameters (compared as a set: the order of the suite's and the
/// signer's URL differ, the canonical request fixes the signed one).
fn run_query_case(dir: &Path, request: &Request, params: &SigningParams<'_>) -> Vec<String> {
    let Some(want_canonical) = read(dir, "query-canonical-request.txt") else {
        return Vec::new();
    };
    let context: Value = read(dir, "context.json")
        .map(|t| serde_json::from_str(&t).expect("context.json is JSON"))
        .unwrap_or(Value::Null);
    let expires = context
        .get("expiration_in_seconds")
        .and_then(Value::as_u64)
        .unwrap_or(3600);
    let sign_body = context
        .get("sign_body")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // The suite hashes the body when it signs it, else an empty payload.
    let payload = sigv4::sha256_hex(if sign_body { &request.body } else { b"" });
    let signable = SignableRequest {
        method: &request.method,
        uri: &request.uri,
        headers: &request.headers,
        body: &request.body,
    };
    let params = SigningParams {
        settings: SigningSettings {
            payload_hash_header: false,
            ..params.settings
        },
        ..*params
    };
    let presigned = match sigv4::presign(&signable, &params, expires, &payload) {
        Ok(p) => p,
        Err(e) => return vec![format!("presigning failed: {e}")],
    };
    let mut problems = Vec::new();
    let mut check = |what: &str, want: Option<String>, got: &str| {
        if let Some(want) = want {
            if want.trim_end() != got {
                problems.push(format!("{what}:\n--- want\n{want}\n--- got\n{got}"));
            }
        }
    };
    check(
        "query canonical request",
        Some(want_canonical),
        &presigned.canonical_request,
    );
    check(
        "query string to sign",
        read(dir, "query-string-to-sign.txt"),
        &presigned.string_to_sign,
    );
    check(
        "query signature",
        read(dir, "query-signature.txt"),
        &presigned.signature,
    );
    if let Some(signed) = read(dir, "query-signed-request.txt") {
        let want = parse_request(&signed);
        let params_of = |uri: &str| -> BTreeSet<String> {
            uri.split_once('?')
                .map(|(_, q)| q.split('&').map(|p| p.replace("%20", " ")).collect())
                .unwrap_or_default()
        };
        if params_of(&want.uri) != params_of(&presigned.uri) {
            problems.push(format!(
                "query signed request:\n--- want\n{}\n--- got\n{}",
                want.uri, presigned.uri
            ));
        }
    }
    problems
}

#[test]
fn every_v4_case_of_the_official_suite_signs_identically() {
    let Some(suite) = tests::shared_subdir("sigv4-test-suite") else {
        return;
    };
    let mut cases: Vec<_> = fs::read_dir(suite.join("v4"))
        .expect("v4/ reads")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.join("request.txt").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "only {} cases found", cases.len());
    let mut failed = Vec::new();
    for case in &cases {
        let problems = run_case(case);
        if !problems.is_empty() {
            failed.push(format!(
                "{}:\n{}",
                case.file_name().unwrap_or_default().to_string_lossy(),
                problems.join("\n")
            ));
        }
    }
    println!(
        "sigv4 suite: {}/{} passed",
        cases.len() - failed.len(),
        cases.len()
    );
    assert!(
        failed.is_empty(),
        "{} cases failed:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}
