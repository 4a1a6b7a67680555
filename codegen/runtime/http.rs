//! Transport-free HTTP request values and the operation trait.

use super::codec_error::EncodeError;
use super::gzip;

/// A serialized request, ready to be sent by any HTTP client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// The request target (path and query), e.g. `/`.
    pub uri: String,
    /// Header names and values, in the order they should be sent.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
    /// Prepended to the endpoint's host name: the operation's `@endpoint`
    /// host prefix with its labels filled in (`foo.bar.`); empty for most
    /// operations. See [`host_for`](Self::host_for).
    pub host_prefix: String,
    /// A URL the request goes to instead of the endpoint it would be sent
    /// to (Machine Learning `Predict`'s `PredictEndpoint`); `None` for
    /// almost every operation.
    pub endpoint: Option<String>,
    /// Names of the headers the SDK added on the caller's behalf, over the
    /// body or asking for response checks (checksums, checksum mode,
    /// `Content-MD5`, tree hashes): a presigned request leaves them out,
    /// since its caller sends a body of its own.
    pub computed_headers: Vec<String>,
    /// Set when the body is the input's streamed payload (a file or a
    /// reader): `body` is then empty, and a client sends the stream
    /// [`Operation::input_body`] gives, framed and signed as this says.
    pub streamed: Option<StreamedBody>,
}

/// How a client sends a streamed request body (see
/// [`HttpRequest::streamed`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamedBody {
    /// Its length in bytes.
    pub length: u64,
    /// Whether the service takes it `aws-chunked` (a customisation: S3),
    /// with its checksum in a trailer and, over plain HTTP, each chunk
    /// signed.
    pub aws_chunked: bool,
    /// The checksum algorithm to send its `x-amz-checksum-*` of (`crc32`,
    /// `crc32c`, `crc64nvme`), computed as it is sent.
    pub checksum: Option<String>,
    /// Whether it needs a `Content-MD5` (`@httpChecksumRequired`).
    pub content_md5: bool,
    /// Whether it needs Glacier's SHA-256 tree hash (a customisation).
    pub tree_hash: bool,
}

impl HttpRequest {
    /// Adds a header the SDK computed (see
    /// [`computed_headers`](Self::computed_headers)).
    pub fn push_computed(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.computed_headers.push(name.clone());
        self.headers.push((name, value.into()));
    }

    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The body as text, if it is valid UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The host to send the request to, for an endpoint such as
    /// `example.com`, `example.com:8443/base` or `https://example.com`: the
    /// host prefix followed by the endpoint's host (and port).
    pub fn host_for(&self, endpoint: &str) -> String {
        let endpoint = self.endpoint.as_deref().unwrap_or(endpoint);
        let (authority, _) = split_endpoint(endpoint);
        format!("{}{authority}", self.host_prefix)
    }

    /// The request target to send, for an endpoint that may carry a base
    /// path: with the endpoint `example.com/custom` the target `/` becomes
    /// `/custom/`. An empty path (a route whose only label the endpoint
    /// carries: S3's path-style bucket, `https://s3.amazonaws.com/bucket`)
    /// becomes the base itself, or `/` without one.
    pub fn uri_for(&self, endpoint: &str) -> String {
        let endpoint = self.endpoint.as_deref().unwrap_or(endpoint);
        let (_, base) = split_endpoint(endpoint);
        let base = base.trim_end_matches('/');
        if self.uri.is_empty() || self.uri.starts_with('?') {
            let base = if base.is_empty() { "/" } else { base };
            format!("{base}{}", self.uri)
        } else if base.is_empty() {
            self.uri.clone()
        } else if self.uri.starts_with('/') {
            format!("{base}{}", self.uri)
        } else {
            format!("{base}/{}", self.uri)
        }
    }
}

/// Whether `name` is an HTTP header name (an RFC 9110 token: letters,
/// digits and ``!#$%&'*+-.^_`|~``, no white space or control characters).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Splits an endpoint into its authority (host and port) and its path
/// (empty or starting with `/`), dropping any `scheme://`.
pub(crate) fn split_endpoint(endpoint: &str) -> (&str, &str) {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    }
}

/// The version of the AWS JSON protocol (`awsJson1_0` or `awsJson1_1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonVersion {
    /// `awsJson1_0`.
    V1_0,
    /// `awsJson1_1`.
    V1_1,
}

impl JsonVersion {
    /// The `Content-Type` header value for this protocol version.
    pub fn content_type(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "application/x-amz-json-1.0",
            JsonVersion::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// Builds an AWS JSON request: `POST /` with `Content-Type`, `X-Amz-Target`
/// and `Content-Length` headers, in that order.
pub fn aws_json_request(version: JsonVersion, target: &str, body: String) -> HttpRequest {
    let body = body.into_bytes();
    HttpRequest {
        method: "POST",
        uri: "/".to_owned(),
        headers: vec![
            ("Content-Type".to_owned(), version.content_type().to_owned()),
            ("X-Amz-Target".to_owned(), target.to_owned()),
            ("Content-Length".to_owned(), body.len().to_string()),
        ],
        body,
        host_prefix: String::new(),
        endpoint: None,
        computed_headers: Vec::new(),
        streamed: None,
    }
}

/// Request compression (`@requestCompression` with `gzip`): a body of at
/// least [`gzip::MIN_COMPRESSION_SIZE`] bytes is replaced by its gzip form,
/// `gzip` is appended to `Content-Encoding` and `Content-Length` updated.
/// Smaller bodies are left as they are.
pub fn gzip_body(req: &mut HttpRequest) {
    if req.body.len() < gzip::MIN_COMPRESSION_SIZE {
        return;
    }
    req.body = gzip::gzip(&req.body);
    let len = req.body.len().to_string();
    let mut encoded = false;
    for (k, v) in &mut req.headers {
        if k.eq_ignore_ascii_case("Content-Length") {
            v.clone_from(&len);
        } else if k.eq_ignore_ascii_case("Content-Encoding") && !encoded {
            v.push_str(", gzip");
            encoded = true;
        }
    }
    if !encoded {
        req.headers
            .push(("Content-Encoding".to_owned(), "gzip".to_owned()));
    }
}

/// Checks the value of an `@hostLabel` member for use in a host prefix: it
/// must be set and form valid host name labels (dot-separated runs of 1 to
/// 63 ASCII letters, digits and `-`, not starting with `-`).
pub fn host_label<'a>(
    value: Option<&'a str>,
    shape: &'static str,
    member: &'static str,
) -> Result<&'a str, EncodeError> {
    let value = value.ok_or(EncodeError::MissingRequired { shape, member })?;
    let valid = value.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if valid {
        Ok(value)
    } else {
        Err(EncodeError::InvalidValue {
            shape,
            message: format!("member `{member}` is not a valid host label: {value:?}"),
        })
    }
}

/// A collection of HTTP headers that can be searched by name: what
/// [`Operation::parse_response`] and the server's request parsers read.
///
/// Implemented for lists of name and value pairs, borrowed or owned (a
/// slice, an array or a `Vec` of `(&str, &str)` or `(String, String)`), for
/// references to any of them and, with the `http` feature, for
/// `http::HeaderMap`. Nothing is copied: a lookup borrows from the
/// collection. Implement it for another client's header type to hand that
/// type over as it is.
pub trait Headers {
    /// The value of the first header called `name`, compared without regard
    /// to ASCII case; `None` when there is none or its value is not text.
    fn header(&self, name: &str) -> Option<&str>;

    /// Calls `f` with every header's name and (text) value, in order.
    fn each_header(&self, f: &mut dyn FnMut(&str, &str));
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    fn each_header(&self, f: &mut dyn FnMut(&str, &str)) {
        for (k, v) in self {
            f(k.as_ref(), v.as_ref());
        }
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Headers for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }

    fn each_header(&self, f: &mut dyn FnMut(&str, &str)) {
        self.as_slice().each_header(f);
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }

    fn each_header(&self, f: &mut dyn FnMut(&str, &str)) {
        self.as_slice().each_header(f);
    }
}

impl<T: Headers + ?Sized> Headers for &T {
    fn header(&self, name: &str) -> Option<&str> {
        (**self).header(name)
    }

    fn each_header(&self, f: &mut dyn FnMut(&str, &str)) {
        (**self).each_header(f);
    }
}

/// No headers at all: `parse_response(200, &NO_HEADERS, body)`.
pub const NO_HEADERS: [(&str, &str); 0] = [];

/// The value of the first header called `name` (case-insensitive) in any
/// [`Headers`] collection.
pub fn header<'h, H: Headers + ?Sized>(headers: &'h H, name: &str) -> Option<&'h str> {
    headers.header(name)
}

/// Whether `status` is a 2xx success code.
pub fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

/// Reads `body` whole (blocking) and parses the response with
/// `O::parse_response`; a body that breaks off is an unhandled error.
pub(crate) fn parse_collected<O: Operation + ?Sized>(
    status: u16,
    headers: &(impl Headers + ?Sized),
    body: super::ByteStream,
) -> Result<O::Output, O::Error> {
    match body.collect() {
        Ok(bytes) => O::parse_response(status, headers, &bytes),
        Err(e) => Err(super::UnhandledError::unreadable_body(status, headers, &e).into()),
    }
}

/// Parses a response of streaming operation `O` whose body is still
/// arriving: a successful response is parsed without its body (the headers,
/// for a REST protocol) and `place` puts the body in the output's stream
/// member; any other response is read whole (blocking) and parsed as usual.
pub fn parse_streaming<O: Operation>(
    status: u16,
    headers: &(impl Headers + ?Sized),
    body: super::ByteStream,
    place: impl FnOnce(&mut O::Output, super::ByteStream),
) -> Result<O::Output, O::Error> {
    if !is_success(status) {
        return parse_collected::<O>(status, headers, body);
    }
    let mut output = O::parse_response(status, headers, &[])?;
    place(&mut output, body);
    Ok(output)
}

/// One operation of a service, described without any transport.
///
/// Generated code implements this for a marker type per operation. Sending
/// is left to the caller: turn the input into an [`HttpRequest`] with
/// [`build_request`](Self::build_request), send it with any HTTP client, and
/// hand the status, headers and body of the response to
/// [`parse_response`](Self::parse_response).
pub trait Operation {
    /// The operation's input structure (its `Debug` form hides `@sensitive`
    /// members, so it is what a trace may show).
    type Input: std::fmt::Debug;
    /// The operation's output structure (`Debug` as the input).
    type Output: std::fmt::Debug;
    /// The operation's error enum (modeled errors plus an unhandled
    /// variant): code, message, request id and retry hints through
    /// [`ErrorMetadata`](super::ErrorMetadata).
    type Error: super::ErrorMetadata + From<super::UnhandledError> + 'static;
    /// The Smithy name of the service, e.g. `DynamoDB_20120810`.
    const SERVICE: &'static str;
    /// The Smithy name of the operation, e.g. `GetItem`.
    const NAME: &'static str;

    /// Serializes `input` into a request.
    fn build_request(input: &Self::Input) -> Result<HttpRequest, EncodeError>;

    /// Parses a response into the output, or into a modeled or unhandled
    /// error. `headers` is any [`Headers`] collection: the pairs a client
    /// gives, an `http::HeaderMap` (the `http` feature), or
    /// [`NO_HEADERS`].
    fn parse_response(
        status: u16,
        headers: &(impl Headers + ?Sized),
        body: &[u8],
    ) -> Result<Self::Output, Self::Error>;

    /// Whether the output has a `@streaming` member (a streamed body or an
    /// event stream). The clients then hand a successful response's body
    /// over as it arrives, through
    /// [`parse_streaming_response`](Self::parse_streaming_response), and
    /// read every other body whole.
    const STREAMING_OUTPUT: bool = false;

    /// Whether the output's members beside its event stream come in the
    /// stream's first, `initial-response` event (awsJson): the async client
    /// then buffers that event before parsing, so the output is whole when
    /// the call returns.
    const INITIAL_RESPONSE: bool = false;

    /// The events of an input event stream, taken out of `input` (once:
    /// the input then holds none), for the client to frame, sign and send
    /// after the request; `None` for operations without one.
    fn input_events(input: &Self::Input) -> Option<Box<dyn super::stream::MessageSource>> {
        let _ = input;
        None
    }

    /// The input's streamed payload, which the client sends when
    /// [`build_request`](Self::build_request) marks the request
    /// [`streamed`](HttpRequest::streamed); `None` for operations without
    /// one.
    fn input_body(input: &Self::Input) -> Option<&super::ByteStream> {
        let _ = input;
        None
    }

    /// Whether the operation goes to a discovered endpoint
    /// (`aws.api#clientDiscoveredEndpoint`): `Some(true)` when discovery is
    /// required, `Some(false)` when the configuration may turn it on.
    const DISCOVERED_ENDPOINT: Option<bool> = None;

    /// Parses a response whose body is still arriving. An operation with a
    /// streaming output reads a successful response's headers and puts
    /// `body` in its stream member, unread; for any other status, and for
    /// every other operation, the body is read whole (blocking: an async
    /// body must be collected first) and parsed by
    /// [`parse_response`](Self::parse_response).
    fn parse_streaming_response(
        status: u16,
        headers: &(impl Headers + ?Sized),
        body: super::ByteStream,
    ) -> Result<Self::Output, Self::Error> {
        parse_collected::<Self>(status, headers, body)
    }

    /// Parses an `http` crate response (the `http` feature): its status,
    /// header map and body, without copying them.
    #[cfg(feature = "http")]
    fn parse_http_response<B: AsRef<[u8]>>(
        response: &::http::Response<B>,
    ) -> Result<Self::Output, Self::Error> {
        Self::parse_response(
            response.status().as_u16(),
            response.headers(),
            response.body().as_ref(),
        )
    }

    /// The endpoint rule-set parameters this operation sets, by parameter
    /// name: from input members (`@contextParam`) and constants
    /// (`@staticContextParams`). Most operations set none.
    #[cfg(feature = "endpoints")]
    fn endpoint_params(input: &Self::Input) -> Vec<(&'static str, super::endpoint::Value<'_>)> {
        let _ = input;
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_json_request_shape() {
        let req = aws_json_request(
            JsonVersion::V1_0,
            "DynamoDB_20120810.GetItem",
            "{\"é\":1}".to_owned(),
        );
        assert_eq!(req.method, "POST");
        assert_eq!(req.uri, "/");
        let names: Vec<&str> = req.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Content-Type", "X-Amz-Target", "Content-Length"]);
        assert_eq!(
            req.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(
            req.header("X-AMZ-TARGET"),
            Some("DynamoDB_20120810.GetItem")
        );
        assert_eq!(req.header("Content-Length"), Some("8"));
        assert_eq!(req.header("missing"), None);
        assert_eq!(req.body_str(), Some("{\"é\":1}"));
        let v11 = aws_json_request(JsonVersion::V1_1, "S.Op", String::new());
        assert_eq!(
            v11.header("Content-Type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(v11.header("Content-Length"), Some("0"));
        let binary = HttpRequest {
            body: vec![0xff],
            ..v11
        };
        assert_eq!(binary.body_str(), None);
    }

    #[test]
    fn endpoint_host_and_base_path() {
        let mut req = aws_json_request(JsonVersion::V1_0, "S.Op", "{}".to_owned());
        assert_eq!(req.host_for("example.com"), "example.com");
        assert_eq!(req.uri_for("example.com"), "/");
        assert_eq!(req.uri_for("example.com/custom"), "/custom/");
        assert_eq!(req.uri_for("https://example.com/a/b/"), "/a/b/");
        req.host_prefix = "foo.bar.".to_owned();
        assert_eq!(req.host_for("example.com"), "foo.bar.example.com");
        assert_eq!(
            req.host_for("https://example.com:8443/base"),
            "foo.bar.example.com:8443"
        );
        req.uri = "x?y=1".to_owned();
        assert_eq!(req.uri_for("h/base"), "/base/x?y=1");
    }

    #[test]
    fn gzip_only_large_bodies() {
        let mut small = aws_json_request(JsonVersion::V1_0, "S.Op", "{}".to_owned());
        gzip_body(&mut small);
        assert_eq!(small.body, b"{}");
        assert_eq!(small.header("Content-Encoding"), None);
        let big = format!(
            "{{\"data\":\"{}\"}}",
            "x".repeat(gzip::MIN_COMPRESSION_SIZE)
        );
        let mut req = aws_json_request(JsonVersion::V1_0, "S.Op", big.clone());
        req.headers
            .push(("content-encoding".to_owned(), "custom".to_owned()));
        gzip_body(&mut req);
        assert_eq!(&req.body[..2], &[0x1f, 0x8b]);
        assert!(req.body.len() < big.len() / 10);
        assert_eq!(req.header("Content-Encoding"), Some("custom, gzip"));
        assert_eq!(
            req.header("Content-Length"),
            Some(&*req.body.len().to_string())
        );
    }

    #[test]
    fn host_labels() {
        assert_eq!(host_label(Some("bar"), "In", "label"), Ok("bar"));
        assert_eq!(host_label(Some("a-1.b2"), "In", "label"), Ok("a-1.b2"));
        assert_eq!(
            host_label(None, "In", "label"),
            Err(EncodeError::MissingRequired {
                shape: "In",
                member: "label"
            })
        );
        for bad in ["", "a..b", "-a", "a b", "a/b", &"x".repeat(64)] {
            assert!(host_label(Some(bad), "In", "label").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn header_lookup_and_status() {
        let headers = [("X-Amzn-RequestId", "abc"), ("x-amzn-requestid", "second")];
        assert_eq!(header(&headers, "x-amzn-requestid"), Some("abc"));
        assert_eq!(header(&headers, "nope"), None);
        assert_eq!(header(&NO_HEADERS, "x"), None);
        let vec = vec![("A".to_owned(), "1".to_owned())];
        assert_eq!(header(&vec, "a"), Some("1"));
        assert_eq!(header(&&vec[..], "A"), Some("1"));
        let owned = [(String::from("Content-Type"), String::from("text/plain"))];
        assert_eq!(header(&owned, "content-type"), Some("text/plain"));
        assert!(is_success(200));
        assert!(is_success(299));
        assert!(!is_success(199));
        assert!(!is_success(300));
        assert!(!is_success(404));
    }

    #[test]
    fn operation_trait_is_implementable() {
        struct Echo;
        impl Operation for Echo {
            type Input = String;
            type Output = String;
            type Error = super::super::UnhandledError;
            const SERVICE: &'static str = "Svc";
            const NAME: &'static str = "Echo";
            fn build_request(input: &String) -> Result<HttpRequest, EncodeError> {
                Ok(aws_json_request(
                    JsonVersion::V1_1,
                    "Svc.Echo",
                    input.clone(),
                ))
            }
            fn parse_response(
                status: u16,
                _headers: &(impl Headers + ?Sized),
                body: &[u8],
            ) -> Result<String, super::super::UnhandledError> {
                if is_success(status) {
                    Ok(String::from_utf8_lossy(body).into_owned())
                } else {
                    Err(super::super::UnhandledError::new(
                        status,
                        super::super::ErrorParts::default(),
                    ))
                }
            }
        }
        let req = Echo::build_request(&"hi".to_owned()).expect("builds");
        assert_eq!(
            Echo::parse_response(200, &NO_HEADERS, &req.body),
            Ok("hi".to_owned())
        );
        assert!(Echo::parse_response(500, &NO_HEADERS, b"").is_err());
        assert_eq!((Echo::SERVICE, Echo::NAME), ("Svc", "Echo"));
    }
}
