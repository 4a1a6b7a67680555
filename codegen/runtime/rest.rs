//! The REST protocols' HTTP bindings (restJson1): request targets built
//! from URI labels and query parameters, header values written and read,
//! and the response side's headers, status code and payload.
//!
//! Generated code decides which member goes where; this module only spells
//! values the way the protocols want them (RFC 3986 percent-encoding,
//! comma-separated header lists with quoted strings, `http-date` lists that
//! keep their own commas).
#![doc(hidden)]

use std::collections::BTreeMap;

use super::blob::{decode_base64, encode_base64};
use super::error::{DecodeError, EncodeError, ErrorParts, ModeledError, UnhandledError};
use super::http::{Headers, HttpRequest};
use super::time::{DateTime, TimestampFormat};

/// A request being assembled from an operation's `@http` binding.
#[derive(Debug)]
pub struct RestRequest {
    method: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<(Vec<u8>, String)>,
    /// The length of a streamed body, which the client sends.
    streamed: Option<u64>,
}

impl RestRequest {
    /// A request with no target yet.
    pub fn new(method: &'static str) -> Self {
        RestRequest {
            method,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            streamed: None,
        }
    }

    /// Appends literal text of the URI pattern to the path.
    pub fn path(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Appends a label's value, percent-encoded; a greedy label keeps its
    /// `/` separators. An empty value cannot fill a label and is refused.
    pub fn label(
        &mut self,
        value: &str,
        greedy: bool,
        shape: &'static str,
        member: &'static str,
    ) -> Result<(), EncodeError> {
        if value.is_empty() {
            return Err(EncodeError::InvalidValue {
                shape,
                message: format!("the HTTP label `{member}` cannot be empty"),
            });
        }
        // `.` or `..` as a whole path segment would name another resource
        // once the path is normalized; a greedy label (an S3 key) keeps
        // them, as S3 requires.
        if !greedy && (value == "." || value == "..") {
            return Err(EncodeError::InvalidValue {
                shape,
                message: format!("the HTTP label `{member}` cannot be `{value}`"),
            });
        }
        if greedy {
            for (i, segment) in value.split('/').enumerate() {
                if i > 0 {
                    self.path.push('/');
                }
                percent_encode_into(segment, &mut self.path);
            }
        } else {
            percent_encode_into(value, &mut self.path);
        }
        Ok(())
    }

    /// A literal query parameter of the URI pattern (`?key=value` or
    /// `?key`), kept as written.
    pub fn query_literal(&mut self, key: &str, value: Option<&str>) {
        let mut pair = String::from(key);
        if let Some(v) = value {
            pair.push('=');
            pair.push_str(v);
        }
        self.query.push((pair, key.to_owned()));
    }

    /// An `@httpQuery` parameter.
    pub fn query(&mut self, key: &str, value: &str) {
        let mut pair = String::new();
        percent_encode_into(key, &mut pair);
        pair.push('=');
        percent_encode_into(value, &mut pair);
        self.query.push((pair, key.to_owned()));
    }

    /// An `@httpQueryParams` entry: left out when an `@httpQuery` member
    /// (written first) already set the key.
    pub fn query_param(&mut self, key: &str, value: &str) {
        if self.query.iter().any(|(_, k)| k == key) {
            return;
        }
        self.query(key, value);
    }

    /// `@httpQueryParams` entries of a map of lists: the key once per value.
    pub fn query_param_list(&mut self, key: &str, values: &[String]) {
        if self.query.iter().any(|(_, k)| k == key) {
            return;
        }
        for v in values {
            self.query(key, v);
        }
    }

    /// A header.
    pub fn header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_owned(), value));
    }

    /// An `@httpPrefixHeaders` entry: left out when a header bound by name
    /// (written first) has the same name; refused when the name is not an
    /// HTTP header name or is one the client sets itself (a map key must
    /// not add a second `Authorization` or `Host`).
    pub fn prefix_header(
        &mut self,
        name: &str,
        value: String,
        shape: &'static str,
        member: &'static str,
    ) -> Result<(), EncodeError> {
        if !super::http::is_header_name(name) {
            return Err(EncodeError::InvalidValue {
                shape,
                message: format!("`{member}`: {name:?} is not an HTTP header name"),
            });
        }
        if RESERVED_HEADERS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(EncodeError::InvalidValue {
                shape,
                message: format!(
                    "`{member}`: the header {name:?} is set by the client, not by a map entry"
                ),
            });
        }
        if self
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            return Ok(());
        }
        self.header(name, value);
        Ok(())
    }

    /// The body and its `Content-Type`.
    pub fn body(&mut self, body: Vec<u8>, content_type: &str) {
        self.body = Some((body, content_type.to_owned()));
    }

    /// A streamed body of `length` bytes and its `Content-Type`: the client
    /// sends it from the input (see [`HttpRequest::streamed`]).
    pub fn streamed_body(&mut self, length: u64, content_type: &str) {
        self.body = Some((Vec::new(), content_type.to_owned()));
        self.streamed = Some(length);
    }

    /// The request: `Content-Type` (unless a bound header set it) and
    /// `Content-Length` when there is a body.
    pub fn finish(self) -> HttpRequest {
        // An empty path: the route's only label is carried by the endpoint
        // (see `HttpRequest::uri_for`).
        let mut uri = self.path;
        for (i, (pair, _)) in self.query.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.push_str(pair);
        }
        let mut headers = self.headers;
        let body = match self.body {
            Some((body, content_type)) => {
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("Content-Type"))
                {
                    headers.push(("Content-Type".to_owned(), content_type));
                }
                // One `Content-Length`: a member bound to it (S3's
                // `ContentLength`) is checked against the body by
                // `check_content_length`.
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
                {
                    let length = self.streamed.unwrap_or(body.len() as u64);
                    headers.push(("Content-Length".to_owned(), length.to_string()));
                }
                body
            }
            None => Vec::new(),
        };
        HttpRequest {
            method: self.method,
            uri,
            headers,
            body,
            host_prefix: String::new(),
            endpoint: None,
            computed_headers: Vec::new(),
            streamed: self.streamed.map(|length| super::http::StreamedBody {
                length,
                ..Default::default()
            }),
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode_into(text: &str, out: &mut String) {
    super::percent::encode_into(text, super::percent::Form::Uri, out);
}

/// A timestamp as text in a binding's format.
pub fn timestamp_text(v: DateTime, format: TimestampFormat) -> String {
    v.format(format)
}

/// Headers the client and its transports set, which no
/// `@httpPrefixHeaders` entry may add.
pub const RESERVED_HEADERS: &[&str] = &[
    "Authorization",
    "Host",
    "Content-Length",
    "Content-Type",
    "Transfer-Encoding",
    "Connection",
    "Expect",
    "User-Agent",
    "X-Amz-Date",
    "X-Amz-Security-Token",
    "X-Amz-Content-Sha256",
    "Amz-Sdk-Invocation-Id",
    "Amz-Sdk-Request",
];

/// The one `Content-Length` of a request with a member bound to it: the
/// member's value must be the body's length (a request is refused before
/// sending rather than sent with a length that lies), and the member's
/// header stands for the body's.
pub fn check_content_length(req: &HttpRequest, shape: &'static str) -> Result<(), EncodeError> {
    let lengths: Vec<&str> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.as_str())
        .collect();
    let body = req
        .streamed
        .as_ref()
        .map_or(req.body.len() as u64, |s| s.length);
    match lengths.as_slice() {
        [] => Ok(()),
        [one] if one.trim().parse::<u64>().ok() == Some(body) => Ok(()),
        [one] => Err(EncodeError::InvalidValue {
            shape,
            message: format!("`Content-Length` is {one} but the body is {body} bytes"),
        }),
        _ => Err(EncodeError::InvalidValue {
            shape,
            message: "more than one `Content-Length`".to_owned(),
        }),
    }
}

/// A label value without the first of `prefixes` it starts with (Route
/// 53's `/hostedzone/Z1` is sent as `Z1`).
pub fn trim_prefixes(value: String, prefixes: &[&str]) -> String {
    match prefixes.iter().find_map(|p| value.strip_prefix(p)) {
        Some(rest) => rest.to_string(),
        None => value,
    }
}

/// Bytes (a blob, or a `@mediaType` string in a header) as base64.
pub fn base64_text(bytes: &[u8]) -> String {
    encode_base64(bytes)
}

/// A list header's value: items joined by `, `; with `quote`, an item
/// holding a comma or a double quote is written as a quoted string.
pub fn header_list(items: impl IntoIterator<Item = String>, quote: bool) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if quote && (item.contains(',') || item.contains('"')) {
            out.push('"');
            for c in item.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(&item);
        }
    }
    out
}

/// Splits a list header's value into its items: comma-separated, each
/// trimmed, quoted items unquoted. An `http-date` list (`http_dates`)
/// splits at every second comma, since each date holds one.
pub fn split_header_list(value: &str, http_dates: bool) -> Vec<String> {
    if http_dates {
        let parts: Vec<&str> = value.split(',').collect();
        return parts
            .chunks(2)
            .map(|pair| pair.join(",").trim().to_owned())
            .collect();
    }
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(next) = chars.next() {
                            item.push(next);
                        }
                    }
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Anything between the closing quote and the comma is dropped.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push(item);
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim().to_owned());
            if ended {
                break;
            }
            continue;
        }
        if chars.peek().is_none() {
            break;
        }
    }
    items
}

/// Reads a header value: the error names the header.
fn header_error(name: &str, what: &str) -> DecodeError {
    DecodeError::new(format!("header `{name}`: expected {what}"), 0)
}

/// Parses a boolean header value.
pub fn parse_bool(name: &str, text: &str) -> Result<bool, DecodeError> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(header_error(name, "`true` or `false`")),
    }
}

/// Parses an integer header value.
pub fn parse_int<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, DecodeError> {
    text.trim()
        .parse()
        .map_err(|_| header_error(name, "an integer in range"))
}

/// Parses a float header value (`NaN`, `Infinity` and `-Infinity` included).
pub fn parse_float<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, DecodeError> {
    let t = text.trim();
    let t = match t {
        "Infinity" => "inf",
        "-Infinity" => "-inf",
        other => other,
    };
    t.parse().map_err(|_| header_error(name, "a number"))
}

/// Parses a timestamp header value in a binding's format.
pub fn parse_timestamp(
    name: &str,
    text: &str,
    format: TimestampFormat,
) -> Result<DateTime, DecodeError> {
    DateTime::parse(text.trim(), format)
        .map_err(|e| DecodeError::new(format!("header `{name}`: {}", e.message()), 0))
}

/// Decodes a base64 header value (a blob, or a `@mediaType` string).
pub fn parse_base64(name: &str, text: &str) -> Result<Vec<u8>, DecodeError> {
    decode_base64(text.trim()).ok_or_else(|| header_error(name, "base64"))
}

/// Decodes a base64 header value holding UTF-8 text.
pub fn parse_base64_text(name: &str, text: &str) -> Result<String, DecodeError> {
    String::from_utf8(parse_base64(name, text)?).map_err(|_| header_error(name, "UTF-8 text"))
}

/// The `@httpPrefixHeaders` of a response: every header whose name starts
/// with `prefix` (ASCII case ignored), keyed by the rest of its name.
pub fn prefix_headers(headers: &(impl Headers + ?Sized), prefix: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    headers.each_header(&mut |name, value| {
        let starts = name.len() >= prefix.len()
            && name.is_char_boundary(prefix.len())
            && name[..prefix.len()].eq_ignore_ascii_case(prefix);
        if starts {
            out.entry(name[prefix.len()..].to_owned())
                .or_insert_with(|| value.to_owned());
        }
    });
    out
}

/// A payload body as UTF-8 text.
pub fn payload_text(body: &[u8]) -> Result<String, DecodeError> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        DecodeError::new(
            "the payload is not UTF-8 text",
            e.utf8_error().valid_up_to(),
        )
    })
}

/// Reads a response of a REST protocol into an output or error structure:
/// its bound headers, status code and body.
pub trait RestDeserialize: Sized {
    /// Reads status, headers and body.
    fn read_rest(
        status: u16,
        headers: &(impl Headers + ?Sized),
        body: &[u8],
    ) -> Result<Self, DecodeError>;
}

/// Reads a successful response into the output.
pub fn parse_output<T: RestDeserialize>(
    status: u16,
    headers: &(impl Headers + ?Sized),
    body: &[u8],
) -> Result<T, DecodeError> {
    T::read_rest(status, headers, body)
}

/// Parses an error response whose code names the modeled error `E` (see
/// `error::parse_modeled`): its bound headers and body, with request id
/// and message kept.
pub fn parse_modeled<E: ModeledError + RestDeserialize>(
    status: u16,
    headers: &(impl Headers + ?Sized),
    parts: ErrorParts,
    body: &[u8],
) -> Result<E, UnhandledError> {
    super::error::finish_modeled(status, parts, E::read_rest(status, headers, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_query_are_percent_encoded() {
        let mut r = RestRequest::new("GET");
        r.path("/a/");
        r.label("b c/d", false, "S", "m").unwrap();
        r.path("/");
        r.label("e f/g", true, "S", "m").unwrap();
        r.query_literal("fixed", Some("1"));
        r.query("k y", "v&=é");
        r.query_param("k y", "dropped");
        r.query_param("other", "kept");
        let req = r.finish();
        assert_eq!(
            req.uri,
            "/a/b%20c%2Fd/e%20f/g?fixed=1&k%20y=v%26%3D%C3%A9&other=kept"
        );
        let mut r = RestRequest::new("GET");
        assert!(r.label("", false, "S", "m").is_err());
        assert!(r.label("..", false, "S", "m").is_err());
        assert!(r.label(".", false, "S", "m").is_err());
        assert!(
            r.label("../x/..", true, "S", "m").is_ok(),
            "a greedy label keeps them"
        );
        let mut r = RestRequest::new("GET");
        r.query("list-type", "2");
        assert_eq!(
            r.finish().uri,
            "?list-type=2",
            "a path the endpoint carries"
        );
    }

    #[test]
    fn prefix_headers_cannot_add_client_headers_or_bad_names() {
        let mut r = RestRequest::new("PUT");
        r.header("x-amz-meta-a", "bound".into());
        assert!(r
            .prefix_header("x-amz-meta-a", "map".into(), "S", "m")
            .is_ok());
        for bad in [
            "Authorization",
            "host",
            "X-Amz-Date",
            "Transfer-Encoding",
            "content-length",
        ] {
            let e = r.prefix_header(bad, "x".into(), "S", "Meta").unwrap_err();
            assert!(e.to_string().contains("set by the client"), "{bad}: {e}");
        }
        for bad in ["a\r\nb", "", "with space", "nul\0"] {
            assert!(
                r.prefix_header(bad, "x".into(), "S", "Meta").is_err(),
                "{bad:?}"
            );
        }
        let req = r.finish();
        assert_eq!(
            req.headers,
            [("x-amz-meta-a".to_string(), "bound".to_string())]
        );
    }

    #[test]
    fn one_content_length_which_must_be_true() {
        let with = |member: Option<&str>| {
            let mut r = RestRequest::new("PUT");
            if let Some(v) = member {
                r.header("Content-Length", v.to_string());
            }
            r.body(b"hello".to_vec(), "text/plain");
            r.finish()
        };
        let req = with(Some("5"));
        let lengths = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .count();
        assert_eq!(lengths, 1);
        assert!(check_content_length(&req, "S").is_ok());
        assert!(check_content_length(&with(None), "S").is_ok());
        let e = check_content_length(&with(Some("39")), "S").unwrap_err();
        assert!(e.to_string().contains("39"), "{e}");
    }

    #[test]
    fn header_lists_quote_and_split() {
        let v = header_list(["a".to_owned(), "b,c".to_owned(), "d\"e".to_owned()], true);
        assert_eq!(v, r#"a, "b,c", "d\"e""#);
        assert_eq!(split_header_list(&v, false), ["a", "b,c", "d\"e"]);
        assert_eq!(split_header_list(" 1 ,2,3", false), ["1", "2", "3"]);
        assert_eq!(
            split_header_list(
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
                true
            ),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
        assert_eq!(split_header_list("", false), [""]);
    }

    #[test]
    fn scalars_read_and_write() {
        assert!(parse_float::<f64>("h", "-Infinity").unwrap().is_infinite());
        assert!(parse_float::<f32>("h", "NaN").unwrap().is_nan());
        assert_eq!(parse_int::<i8>("h", " 12 "), Ok(12));
        assert!(parse_int::<i8>("h", "300").is_err());
        assert_eq!(parse_bool("h", "true"), Ok(true));
        assert!(parse_bool("X-B", "yes")
            .unwrap_err()
            .to_string()
            .contains("X-B"));
        assert_eq!(parse_base64_text("h", "aGk="), Ok("hi".to_owned()));
    }

    /// A small deterministic generator (xorshift), for the round trips.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn header_lists_round_trip_and_any_text_splits_without_panicking() {
        let alphabet: Vec<char> = "ab ,\"\\\t:é".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let n = (next(&mut state) % 4) as usize + 1;
            let items: Vec<String> = (0..n)
                .map(|_| {
                    let len = (next(&mut state) % 6) as usize;
                    (0..len)
                        .map(|_| alphabet[(next(&mut state) % alphabet.len() as u64) as usize])
                        .collect::<String>()
                        .trim()
                        .to_owned()
                })
                .collect();
            // Items that are empty or hold a quote or comma round-trip only
            // when quoted; every item is, where it needs it.
            let text = header_list(items.clone(), true);
            let back = split_header_list(&text, false);
            if items.iter().all(|i| !i.is_empty()) {
                assert_eq!(back, items, "{text:?}");
            }
            // Any text at all splits without panicking.
            let raw: String = (0..(next(&mut state) % 12))
                .map(|_| alphabet[(next(&mut state) % alphabet.len() as u64) as usize])
                .collect();
            let _ = split_header_list(&raw, false);
            let _ = split_header_list(&raw, true);
        }
    }

    #[test]
    fn prefix_headers_keep_the_rest_of_the_name() {
        let h = [("X-Foo-Abc", "1"), ("x-foo-def", "2"), ("Other", "3")];
        let m = prefix_headers(&h[..], "X-Foo-");
        assert_eq!(m.len(), 2);
        assert_eq!(m["Abc"], "1");
        assert_eq!(m["def"], "2");
    }
}
