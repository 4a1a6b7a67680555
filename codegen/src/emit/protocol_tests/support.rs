//! Assertions shared by the generated protocol compliance tests.
//!
//! Copied verbatim into every generated test file as `mod support`; it
//! reaches the crate under test as `super::sut`. Compiled and unit-tested in
//! the `codegen` crate against the runtime as well.

use std::fmt::Debug;

use super::sut::runtime::endpoint::{resolve, Partition, RuleSet, Value};
use super::sut::runtime::json::{from_json, to_json};
use super::sut::runtime::{Document, HttpRequest, HttpResponse, JsonSerialize, Number};

/// A request or a response: a message with headers.
pub trait Headers {
    /// Header names and values, in order.
    fn header_list(&self) -> &[(String, String)];
}

impl Headers for HttpRequest {
    fn header_list(&self) -> &[(String, String)] {
        &self.headers
    }
}

impl Headers for HttpResponse {
    fn header_list(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// The values of every header called `name` (case-insensitive), joined with `, `.
pub fn header_value(req: &impl Headers, name: &str) -> Option<String> {
    let values: Vec<&str> = req
        .header_list()
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        None
    } else {
        Some(values.join(", "))
    }
}

/// The header `name` is present with exactly the value `want`.
pub fn assert_header(req: &impl Headers, name: &str, want: &str) {
    match header_value(req, name) {
        Some(got) => assert_eq!(got, want, "header `{name}`"),
        None => panic!(
            "header `{name}` is missing (want `{want}`); headers: {:?}",
            req.header_list()
        ),
    }
}

/// The header `name` is present, whatever its value.
pub fn assert_has_header(req: &impl Headers, name: &str) {
    assert!(
        header_value(req, name).is_some(),
        "required header `{name}` is missing; headers: {:?}",
        req.header_list()
    );
}

/// The header `name` is absent.
pub fn assert_no_header(req: &impl Headers, name: &str) {
    if let Some(v) = header_value(req, name) {
        panic!("forbidden header `{name}` is present with value `{v}`");
    }
}

/// The `key=value` pairs of the query string of `uri`, still percent-encoded.
pub fn query_pairs(uri: &str) -> Vec<&str> {
    match uri.split_once('?') {
        Some((_, q)) => q.split('&').filter(|p| !p.is_empty()).collect(),
        None => Vec::new(),
    }
}

/// The path of a request target, without its query string.
pub fn uri_path(uri: &str) -> &str {
    uri.split_once('?').map_or(uri, |(path, _)| path)
}

/// The cases write an auto-filled idempotency token as this fixed UUID
/// (SDKs under test inject a fixed generator); any UUID v4 drawn where it
/// stands is the auto-fill working.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        && s.bytes()
            .filter(|c| *c != b'-')
            .all(|c| c.is_ascii_hexdigit())
}

/// The query string holds the pair `pair` (`key=value`, or a bare `key`);
/// an expected fixed token matches any UUID v4 under the same key.
pub fn assert_query_param(uri: &str, pair: &str) {
    let found = query_pairs(uri).iter().any(|p| {
        *p == pair
            || match (p.split_once('='), pair.split_once('=')) {
                (Some((k, v)), Some((wk, TOKEN))) => k == wk && is_uuid_v4(v),
                _ => false,
            }
    });
    assert!(found, "query parameter `{pair}` is missing from `{uri}`");
}

fn query_key(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(k, _)| k)
}

/// The query string has a parameter called `key`.
pub fn assert_has_query_key(uri: &str, key: &str) {
    assert!(
        query_pairs(uri).iter().any(|p| query_key(p) == key),
        "required query parameter `{key}` is missing from `{uri}`"
    );
}

/// The query string has no parameter called `key`.
pub fn assert_no_query_key(uri: &str, key: &str) {
    assert!(
        !query_pairs(uri).iter().any(|p| query_key(p) == key),
        "forbidden query parameter `{key}` is present in `{uri}`"
    );
}

/// Two JSON values are the same: equal structure, equal strings, and numbers
/// of equal value (`1` and `1.0` are the same number; integers are compared
/// exactly, anything else as `f64`).
pub fn json_eq(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Null, Document::Null) => true,
        (Document::Bool(x), Document::Bool(y)) => x == y,
        (Document::String(x), Document::String(y)) => x == y,
        (Document::Number(x), Document::Number(y)) => number_eq(*x, *y),
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && json_eq(va, vb))
        }
        _ => false,
    }
}

fn number_eq(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::PosInt(x), Number::PosInt(y)) => x == y,
        (Number::NegInt(x), Number::NegInt(y)) => x == y,
        (Number::PosInt(_), Number::NegInt(_)) | (Number::NegInt(_), Number::PosInt(_)) => false,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// The body is JSON equal (see [`json_eq`]) to `expected`.
pub fn assert_json_body(body: &[u8], expected: &Document) {
    let text = String::from_utf8_lossy(body);
    let got: Document = match from_json(body) {
        Ok(d) => d,
        Err(e) => panic!("the body is not JSON ({e}): {text}"),
    };
    if !json_eq(&got, expected) {
        let want = to_json(expected).unwrap_or_else(|e| e.to_string());
        panic!("JSON bodies differ\n  got:  {text}\n  want: {want}");
    }
}

/// The body is exactly `expected`.
/// Form-encoded bodies hold the same `key=value` pairs, in any order, each
/// compared after percent-decoding.
pub fn assert_form_body(body: &[u8], expected: &[u8]) {
    fn pairs(body: &[u8]) -> Vec<(String, String)> {
        let text = String::from_utf8_lossy(body);
        let mut out: Vec<(String, String)> = text
            .trim()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        out.sort();
        out
    }
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b[i],
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                (b'%', Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                (b'+', _, _) => {
                    out.push(b' ');
                    i += 1;
                }
                (c, _, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    let want = pairs(expected);
    let mut got = pairs(body);
    for (k, v) in &mut got {
        if is_uuid_v4(v) && want.iter().any(|(wk, wv)| wk == k && wv == TOKEN) {
            *v = TOKEN.to_owned();
        }
    }
    got.sort();
    assert!(
        got == want,
        "form bodies differ\n  got:  {got:?}\n  want: {want:?}"
    );
}

pub fn assert_body(body: &[u8], expected: &[u8]) {
    assert!(
        body == expected,
        "bodies differ\n  got:  {:?}\n  want: {:?}",
        String::from_utf8_lossy(body),
        String::from_utf8_lossy(expected)
    );
}

/// `actual` equals `expected`. Values that differ under `PartialEq` still
/// count as equal when both their JSON serializations and their `Debug`
/// output agree: that is the case for NaN floats (NaN != NaN), and for
/// nothing else, because the JSON form is exact for every value but
/// sub-millisecond time, and `Debug` is exact for floats and time.
pub fn assert_same<T: PartialEq + Debug + JsonSerialize>(actual: &T, expected: &T) {
    if actual == expected {
        return;
    }
    let json = |v: &T| to_json(v).unwrap_or_else(|e| format!("<cannot serialize: {e}>"));
    let (ja, je) = (json(actual), json(expected));
    let (da, de) = (format!("{actual:?}"), format!("{expected:?}"));
    assert!(
        ja == je && da == de,
        "values differ\n  got:  {da}\n  want: {de}\n  got (JSON):  {ja}\n  want (JSON): {je}"
    );
}

/// The endpoint URL a rule set resolves for a case's client
/// configuration: parameters bound to a built-in take `builtins` (by the
/// built-in's name), the others the operation's own parameters.
pub fn resolve_endpoint<'a>(
    rules: &'a RuleSet<'a>,
    partitions: &'a [Partition<'a>],
    builtins: &[(&str, Value<'a>)],
    operation: Vec<(&'static str, Value<'a>)>,
) -> String {
    let values = rules
        .params
        .iter()
        .map(|p| {
            let builtin = p
                .builtin
                .and_then(|b| builtins.iter().find(|(n, _)| *n == b))
                .map(|(_, v)| v.clone());
            builtin
                .or_else(|| {
                    operation
                        .iter()
                        .find(|(n, _)| *n == p.name)
                        .map(|(_, v)| v.clone())
                })
                .unwrap_or(Value::None)
        })
        .collect();
    match resolve(rules, values, partitions) {
        Ok(endpoint) => endpoint.url,
        Err(e) => panic!("the endpoint rule set refused the case's configuration: {e}"),
    }
}
