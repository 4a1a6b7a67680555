//! Error responses: the parts every protocol reads (code, message, request
//! id), unhandled and modeled errors, and the parsing of AWS JSON error
//! responses. The codecs' own errors are in `codec_error.rs`.

use std::borrow::Cow;
use std::fmt;

pub use super::codec_error::{DecodeError, EncodeError, Printable};
use super::json::{JsonDeserialize, JsonKind, JsonReader};
use super::support::Fault;

/// The parts of an error response that identify it: error code, message and request id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorParts {
    /// The sanitized error code (shape name), e.g. `ResourceNotFoundException`.
    pub code: Option<String>,
    /// The error message sent by the service.
    pub message: Option<String>,
    /// The request id sent by the service.
    pub request_id: Option<String>,
    /// The start of a body that is not a JSON object (an HTML error page
    /// from a proxy, say), at most [`KEPT_BODY`] bytes, for debugging.
    pub unparsed_body: Option<String>,
    /// The awsQuery code and fault: an awsQuery error's `<Code>` and
    /// `<Type>`, or the `x-amzn-query-error` header of an
    /// `@awsQueryCompatible` service.
    pub query_error: Option<QueryError>,
}

/// The awsQuery form of an error: its code (for an `@awsQueryCompatible`
/// service, the code its awsQuery API used, which may differ from the
/// shape name) and whose fault it is (`Sender` or `Receiver`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The awsQuery error code.
    pub code: String,
    /// `Sender` is the client's fault, `Receiver` the service's.
    pub fault: Option<Fault>,
}

impl QueryError {
    /// Reads `Code;Type` (the `x-amzn-query-error` header); `None` without
    /// a code.
    pub fn from_header(value: &str) -> Option<Self> {
        let (code, kind) = value.split_once(';').unwrap_or((value, ""));
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        Some(QueryError {
            code: code.to_owned(),
            fault: Self::fault_of(kind),
        })
    }

    /// The fault an awsQuery `<Type>` names.
    pub fn fault_of(kind: &str) -> Option<Fault> {
        match kind.trim() {
            "Sender" => Some(Fault::Client),
            "Receiver" => Some(Fault::Server),
            _ => None,
        }
    }
}

/// [`parse_error_parts`] for an `@awsQueryCompatible` service: also the
/// awsQuery code and fault of `x-amzn-query-error`.
pub fn parse_query_compatible_parts(
    headers: &(impl super::http::Headers + ?Sized),
    body: &[u8],
) -> ErrorParts {
    let mut parts = parse_error_parts(headers, body);
    parts.query_error =
        super::http::header(headers, "x-amzn-query-error").and_then(QueryError::from_header);
    parts
}

/// How much of a body an unhandled error keeps when it could not read it.
pub const KEPT_BODY: usize = 4096;

/// The start of `body` as text (lossy), at most [`KEPT_BODY`] bytes.
pub(crate) fn kept_body(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(KEPT_BODY)]).into_owned()
}

/// An error response that does not match any error modeled for the operation.
#[derive(Clone, Debug, PartialEq)]
pub struct UnhandledError {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    fault: Option<Fault>,
    /// Whether the call should be retried (an error a success status
    /// carried, a body whose checksum does not match).
    retryable: bool,
    /// The rarely present parts, boxed so that every operation error enum
    /// (which holds an `UnhandledError`) stays small.
    detail: Option<Box<Detail>>,
}

/// What an unhandled error keeps when a body could not be read.
#[derive(Clone, Debug, PartialEq)]
struct Detail {
    body: Option<String>,
    source: Option<DecodeError>,
}

impl UnhandledError {
    /// Creates an unhandled error from the HTTP status and the parsed error
    /// parts. Its code is the awsQuery code when the response gave one
    /// (`x-amzn-query-error`), else the error type's.
    pub fn new(status: u16, parts: ErrorParts) -> Self {
        let (code, fault) = match parts.query_error {
            Some(q) => (Some(q.code), q.fault),
            None => (parts.code, None),
        };
        UnhandledError {
            status,
            code,
            message: parts.message,
            request_id: parts.request_id,
            fault,
            retryable: false,
            detail: parts.unparsed_body.map(|body| {
                Box::new(Detail {
                    body: Some(body),
                    source: None,
                })
            }),
        }
    }

    /// Attaches the decoding failure that prevented the response from being parsed.
    pub fn with_source(mut self, e: DecodeError) -> Self {
        match &mut self.detail {
            Some(d) => d.source = Some(e),
            None => {
                self.detail = Some(Box::new(Detail {
                    body: None,
                    source: Some(e),
                }))
            }
        }
        self
    }

    /// The same error, retried like a transient failure (an error a
    /// success status carried, a body whose checksum does not match).
    #[must_use]
    pub fn transient(mut self) -> Self {
        self.retryable = true;
        self
    }

    /// A response whose body does not match the CRC-32 in the header
    /// `header` (DynamoDB's `x-amz-crc32`), if it does not; retried.
    pub fn crc32_mismatch(
        status: u16,
        headers: &(impl super::http::Headers + ?Sized),
        body: &[u8],
        header: &str,
    ) -> Option<Self> {
        let sent = super::http::header(headers, header)?;
        let computed = super::crc::crc32(body);
        if sent.trim().parse::<u32>().ok() == Some(computed) {
            return None;
        }
        let parts = ErrorParts {
            code: Some("Crc32Mismatch".to_owned()),
            message: Some(format!(
                "the response body's CRC-32 is {computed}, not the {header} header's value"
            )),
            request_id: super::http::header(headers, "x-amzn-RequestId").map(String::from),
            ..ErrorParts::default()
        };
        Some(UnhandledError::new(status, parts).transient())
    }

    /// The HTTP status code of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error code, if the response carried one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, if the response carried one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The start of a body that could not be read (not JSON, or a success
    /// body that did not parse), at most [`KEPT_BODY`] bytes.
    pub fn body(&self) -> Option<&str> {
        self.detail.as_ref().and_then(|d| d.body.as_deref())
    }

    /// A success response whose body could not be read: the status, the
    /// request id from the headers, the start of the body and the decoding
    /// failure.
    pub fn unreadable_success(
        status: u16,
        headers: &(impl super::http::Headers + ?Sized),
        body: &[u8],
        e: DecodeError,
    ) -> Self {
        let parts = ErrorParts {
            request_id: super::http::header(headers, "x-amzn-RequestId").map(String::from),
            unparsed_body: Some(kept_body(body)),
            ..ErrorParts::default()
        };
        UnhandledError::new(status, parts).with_source(e)
    }

    /// A response whose body could not be read to the end (the connection
    /// broke): the status, the request id from the headers and why.
    pub fn unreadable_body(
        status: u16,
        headers: &(impl super::http::Headers + ?Sized),
        e: &std::io::Error,
    ) -> Self {
        let parts = ErrorParts {
            request_id: super::http::header(headers, "x-amzn-RequestId").map(String::from),
            ..ErrorParts::default()
        };
        UnhandledError::new(status, parts)
            .with_source(DecodeError::new(format!("reading the body: {e}"), 0))
    }
}

impl ErrorMetadata for UnhandledError {
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    fn fault(&self) -> Option<Fault> {
        self.fault
    }

    fn is_retryable(&self) -> bool {
        self.retryable
    }
}

/// The parts of an error response whose body and headers name no error
/// (S3 answers a failed `HEAD` with an empty body): the code `codes` gives
/// its status, else, with `fallback`, the status itself (`"403"`) and its
/// reason phrase as the message, as botocore reads such a response.
pub fn status_code_parts(
    status: u16,
    mut parts: ErrorParts,
    body: &[u8],
    codes: &[(u16, &str)],
    fallback: bool,
) -> ErrorParts {
    if parts.code.is_some() || !body.iter().all(u8::is_ascii_whitespace) {
        return parts;
    }
    match codes.iter().find(|(s, _)| *s == status) {
        Some((_, code)) => parts.code = Some((*code).to_owned()),
        None if fallback => parts.code = Some(status.to_string()),
        None => return parts,
    }
    if parts.message.is_none() {
        parts.message = reason_phrase(status).map(String::from);
    }
    parts
}

/// The reason phrase of an HTTP status, for the statuses error responses use.
fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        301 => "Moved Permanently",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// What every error of a generated crate tells about itself: every modeled
/// error structure, every operation error enum and [`UnhandledError`]
/// implement it, and `Operation::Error` requires it, so generic code (a
/// client's retry loop, a logger) can ask any operation's error for its
/// code, request id and retry hints.
pub trait ErrorMetadata: std::error::Error {
    /// The error code (the error shape's name), if known.
    fn code(&self) -> Option<&str>;

    /// The message the service sent, if any.
    fn message(&self) -> Option<&str>;

    /// The request id (`x-amzn-RequestId`) of the response, if any.
    fn request_id(&self) -> Option<&str>;

    /// Whether the model marks the error `@retryable`.
    fn is_retryable(&self) -> bool {
        false
    }

    /// Whether the model marks the error a throttling error
    /// (`@retryable(throttling: true)`).
    fn is_throttling(&self) -> bool {
        false
    }

    /// Whose fault the response said the error is, where the protocol says
    /// (awsQuery's `<Type>`, `x-amzn-query-error` of `@awsQueryCompatible`
    /// services); `None` elsewhere (the model's fault is the error type's
    /// `FAULT`).
    fn fault(&self) -> Option<Fault> {
        None
    }
}

/// An operation's error enum, as generated code declares it: the error it
/// holds (a modeled error or the unhandled one), as metadata and as a std
/// error. Its [`ErrorMetadata`] is the held error's, implemented once here
/// for every enum.
#[doc(hidden)]
pub trait ErrorEnum: std::error::Error {
    /// The error held.
    fn held(&self) -> (&dyn ErrorMetadata, &(dyn std::error::Error + 'static));
}

impl<T: ErrorEnum> ErrorMetadata for T {
    fn code(&self) -> Option<&str> {
        self.held().0.code()
    }

    fn message(&self) -> Option<&str> {
        self.held().0.message()
    }

    fn request_id(&self) -> Option<&str> {
        self.held().0.request_id()
    }

    fn is_retryable(&self) -> bool {
        self.held().0.is_retryable()
    }

    fn is_throttling(&self) -> bool {
        self.held().0.is_throttling()
    }

    fn fault(&self) -> Option<Fault> {
        self.held().0.fault()
    }
}

/// A modeled error structure, as error parsing needs it: read from the
/// body, then given the request id and, when its own message member is
/// absent, the message found under another key.
pub trait ModeledError: Sized {
    /// Keeps the request id of the response.
    fn set_request_id(&mut self, request_id: Option<String>);

    /// Takes `message` when the structure's own message member is absent;
    /// structures without a message member ignore it.
    fn fill_message(&mut self, message: Option<String>) {
        let _ = message;
    }

    /// Keeps the awsQuery code and fault of the response (errors of
    /// awsQuery and `@awsQueryCompatible` services; others ignore it).
    fn set_query_error(&mut self, query_error: Option<QueryError>) {
        let _ = query_error;
    }
}

/// Parses the body of an error response whose code names the modeled
/// error `E`: the structure with the request id and message kept, or, when
/// the body does not read as `E`, an [`UnhandledError`] with the code,
/// status and decoding failure.
pub fn parse_modeled<E: ModeledError + JsonDeserialize>(
    status: u16,
    parts: ErrorParts,
    body: &[u8],
) -> Result<E, UnhandledError> {
    finish_modeled(status, parts, super::support::parse_body::<E>(body))
}

/// The end of every protocol's modeled-error parser: the error read from
/// the body, with the message (when its own is absent) and request id of
/// the response; or, when it could not be read, an [`UnhandledError`]
/// with the code, status and decoding failure.
pub fn finish_modeled<E: ModeledError>(
    status: u16,
    parts: ErrorParts,
    read: Result<E, DecodeError>,
) -> Result<E, UnhandledError> {
    match read {
        Ok(mut e) => {
            e.fill_message(parts.message);
            e.set_request_id(parts.request_id);
            e.set_query_error(parts.query_error);
            Ok(e)
        }
        Err(err) => Err(UnhandledError::new(status, parts).with_source(err)),
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = Printable;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{}: {}", p(code), p(message))?,
            (Some(code), None) => write!(f, "{}", p(code))?,
            (None, Some(message)) => {
                write!(f, "unhandled error (HTTP {}): {}", self.status, p(message))?
            }
            (None, None) => match self.body() {
                Some(body) if !body.trim().is_empty() => {
                    let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
                    let shown: String = text.chars().take(200).collect();
                    let more = if shown.len() < text.len() { "..." } else { "" };
                    write!(
                        f,
                        "unhandled error (HTTP {}): {}{more}",
                        self.status,
                        p(&shown)
                    )?
                }
                _ => write!(f, "unhandled error (HTTP {})", self.status)?,
            },
        }
        if let Some(source) = self.detail.as_ref().and_then(|d| d.source.as_ref()) {
            write!(f, " (response could not be parsed: {source})")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.detail
            .as_ref()
            .and_then(|d| d.source.as_ref())
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Reduces a raw AWS error code to the bare shape name.
///
/// Cuts at the first `:` (dropping suffixes such as
/// `:http://internal.amazon.com/...`), keeps what follows the last `#`
/// (dropping a namespace such as `aws.protocoltests.restjson#`), and trims
/// surrounding whitespace.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = match raw.find(':') {
        Some(i) => &raw[..i],
        None => raw,
    };
    let code = match code.rfind('#') {
        Some(i) => &code[i + 1..],
        None => code,
    };
    code.trim()
}

fn non_empty_code(raw: &str) -> Option<String> {
    let code = sanitize_error_code(raw);
    if code.is_empty() {
        None
    } else {
        Some(code.to_owned())
    }
}

/// The error members of a body, borrowed from it where they have no escapes.
#[derive(Default)]
struct BodyParts<'a> {
    code: Option<Cow<'a, str>>,
    type_: Option<Cow<'a, str>>,
    message: Option<Cow<'a, str>>,
    message_upper: Option<Cow<'a, str>>,
    error_message: Option<Cow<'a, str>>,
}

fn scan_error_body(body: &[u8]) -> Result<BodyParts<'_>, DecodeError> {
    let mut parts = BodyParts::default();
    let mut r = JsonReader::new(body);
    r.read_object(|r, key| {
        let slot = match key {
            "code" => &mut parts.code,
            "__type" => &mut parts.type_,
            "message" => &mut parts.message,
            "Message" => &mut parts.message_upper,
            "errorMessage" => &mut parts.error_message,
            _ => return r.skip_value(),
        };
        if r.peek_kind()? == JsonKind::String {
            *slot = Some(r.read_str()?);
            Ok(())
        } else {
            r.skip_value()
        }
    })?;
    r.finish()?;
    Ok(parts)
}

/// Extracts the error code, message and request id from an AWS JSON error response.
///
/// The code comes from the `X-Amzn-Errortype` header, else the body's
/// top-level string member `__type`, else `code` (the order botocore and
/// aws-sdk-go-v2 read them in: some error shapes have a `code` member of
/// their own, a sub-code such as `NotFound`), and is cleaned with
/// [`sanitize_error_code`]. The message comes from the body member
/// `message`, else `Message`, else `errorMessage`. The request id comes from
/// the `x-amzn-RequestId` header. Header names match case-insensitively. A
/// body that is empty, malformed or not an object contributes nothing.
pub fn parse_error_parts(
    headers: &(impl super::http::Headers + ?Sized),
    body: &[u8],
) -> ErrorParts {
    let mut unparsed_body = None;
    let body_parts = if JsonReader::is_blank(body) {
        BodyParts::default()
    } else {
        scan_error_body(body).unwrap_or_else(|_| {
            unparsed_body = Some(kept_body(body));
            BodyParts::default()
        })
    };
    let code = super::http::header(headers, "X-Amzn-Errortype")
        .and_then(non_empty_code)
        .or_else(|| body_parts.type_.as_deref().and_then(non_empty_code))
        .or_else(|| body_parts.code.as_deref().and_then(non_empty_code));
    let message = body_parts
        .message
        .or(body_parts.message_upper)
        .or(body_parts.error_message)
        .map(Cow::into_owned);
    let request_id = super::http::header(headers, "x-amzn-RequestId").map(str::to_owned);
    // Proxies, gateways and emulators sometimes answer a JSON protocol with
    // an AWS XML error document; its code and message are still the error's.
    let (code, message) = match (code, message) {
        (None, None) => (
            xml_element(body, "Code").and_then(non_empty_code),
            xml_element(body, "Message").map(str::to_owned),
        ),
        other => other,
    };
    ErrorParts {
        code,
        message,
        request_id,
        unparsed_body,
        query_error: None,
    }
}

/// The text of the first `<name>...</name>` element of an XML error body,
/// if the body is UTF-8 and has one (entities are left as they are).
fn xml_element<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.trim_start().starts_with('<') {
        return None;
    }
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    let value = text[start..end].trim();
    (!value.is_empty() && !value.contains('<')).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::super::http::NO_HEADERS;
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_body_that_is_not_json_is_kept_bounded() {
        let page = format!("<html><body>{}</body></html>", "Bad Gateway ".repeat(1000));
        let parts = parse_error_parts(&NO_HEADERS, page.as_bytes());
        let kept = parts.unparsed_body.clone().expect("the page is kept");
        assert_eq!(kept.len(), KEPT_BODY);
        assert!(kept.starts_with("<html><body>Bad Gateway"));
        let e = UnhandledError::new(502, parts);
        assert_eq!(e.body(), Some(kept.as_str()));
        let shown = e.to_string();
        assert!(
            shown.starts_with("unhandled error (HTTP 502): <html><body>Bad Gateway"),
            "{shown}"
        );
        assert!(shown.ends_with("...") && shown.len() < 300, "{shown}");
        // A JSON body is read, not kept.
        assert_eq!(
            parse_error_parts(&NO_HEADERS, br#"{"__type":"X"}"#).unparsed_body,
            None
        );
        let e = UnhandledError::unreadable_success(
            200,
            &NO_HEADERS,
            b"{\"A\":",
            DecodeError::new("eof", 5),
        );
        assert_eq!(e.body(), Some("{\"A\":"));
    }

    #[test]
    fn an_xml_error_document_still_gives_code_and_message() {
        let body = br#"<?xml version="1.0"?><ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>bad signature</Message></Error></Errors></ErrorResponse>"#;
        let parts = parse_error_parts(&[("x-amzn-RequestId", "r-1")], body);
        assert_eq!(parts.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(parts.message.as_deref(), Some("bad signature"));
        assert_eq!(parts.request_id.as_deref(), Some("r-1"));
        // An HTML page has neither.
        let page = b"<!doctype html><html><title>500 Internal Server Error</title></html>";
        let parts = parse_error_parts(&NO_HEADERS, page);
        assert_eq!((parts.code, parts.message), (None, None));
        // A JSON error keeps its own code even if a member holds markup.
        let parts = parse_error_parts(&NO_HEADERS, br#"{"__type":"A","message":"<Code>B</Code>"}"#);
        assert_eq!(parts.code.as_deref(), Some("A"));
    }

    #[test]
    fn decode_errors_name_the_member_path_and_shape() {
        let e = DecodeError::new("expected an integer in the range of i32", 51)
            .in_member("ReplicationStats", "TablesLoaded")
            .in_member("Replication", "ReplicationStats")
            .in_member("StopReplicationResponse", "Replication");
        assert_eq!(e.path(), Some("Replication.ReplicationStats.TablesLoaded"));
        assert_eq!(e.shape(), Some("ReplicationStats"));
        assert_eq!(
            e.to_string(),
            "expected an integer in the range of i32 at `Replication.ReplicationStats.TablesLoaded` \
             (a member of ReplicationStats), byte 51"
        );
        assert_eq!(DecodeError::new("x", 1).path(), None);
    }

    #[test]
    fn decode_error_display_and_accessors() {
        let e = DecodeError::new("expected a string, found a number", 7);
        assert_eq!(e.message(), "expected a string, found a number");
        assert_eq!(e.offset(), 7);
        assert_eq!(e.to_string(), "expected a string, found a number at byte 7");
        assert_eq!(e.clone().shifted(3).offset(), 10);
        assert_eq!(e.shifted(usize::MAX).offset(), usize::MAX);
    }

    #[test]
    fn encode_error_display() {
        let e = EncodeError::MissingRequired {
            shape: "GetItemInput",
            member: "TableName",
        };
        assert_eq!(
            e.to_string(),
            "missing required member `TableName` of `GetItemInput`"
        );
        let e = EncodeError::UnknownUnionVariant {
            shape: "AttributeValue",
        };
        assert_eq!(
            e.to_string(),
            "cannot serialize the unknown variant of union `AttributeValue`"
        );
        let e = EncodeError::InvalidValue {
            shape: "Foo",
            message: "too big".into(),
        };
        assert_eq!(e.to_string(), "invalid value for `Foo`: too big");
    }

    #[test]
    fn sanitize_table() {
        let cases = [
            ("FooError", "FooError"),
            (
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                "FooError",
            ),
            ("aws.protocoltests.restjson#FooError", "FooError"),
            (
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                "FooError",
            ),
            (" FooError ", "FooError"),
            ("", ""),
            ("#", ""),
            (":", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(sanitize_error_code(raw), want, "input {raw:?}");
        }
    }

    fn parts(code: Option<&str>, message: Option<&str>, request_id: Option<&str>) -> ErrorParts {
        ErrorParts {
            unparsed_body: None,
            code: code.map(str::to_owned),
            message: message.map(str::to_owned),
            request_id: request_id.map(str::to_owned),
            query_error: None,
        }
    }

    #[test]
    fn query_error_headers_and_unhandled_codes() {
        let q = QueryError::from_header("AWS.SimpleQueueService.NonExistentQueue;Sender").unwrap();
        assert_eq!(q.code, "AWS.SimpleQueueService.NonExistentQueue");
        assert_eq!(q.fault, Some(Fault::Client));
        assert_eq!(
            QueryError::from_header("Busy;Receiver").unwrap().fault,
            Some(Fault::Server)
        );
        assert_eq!(QueryError::from_header("Odd").unwrap().fault, None);
        assert_eq!(QueryError::from_header(";Sender"), None);
        let headers = [
            ("x-amzn-query-error", "Customized;Sender"),
            ("x-amzn-RequestId", "r-9"),
        ];
        let parts = parse_query_compatible_parts(
            &headers,
            br#"{"__type":"a#CustomCodeError","message":"Hi"}"#,
        );
        // The modeled error is still found by its type; the query code rides along.
        assert_eq!(parts.code.as_deref(), Some("CustomCodeError"));
        assert_eq!(
            parts.query_error.as_ref().map(|q| q.code.as_str()),
            Some("Customized")
        );
        let unhandled = UnhandledError::new(400, parts);
        assert_eq!(unhandled.code(), Some("Customized"));
        assert_eq!(ErrorMetadata::fault(&unhandled), Some(Fault::Client));
        assert_eq!(unhandled.request_id(), Some("r-9"));
        // Without the header, nothing changes.
        let parts = parse_query_compatible_parts(&[("a", "b")], br#"{"__type":"X"}"#);
        assert_eq!(parts.query_error, None);
        assert_eq!(UnhandledError::new(400, parts).code(), Some("X"));
    }

    #[test]
    fn error_parts_from_body_type() {
        let body = br#"{"__type":"aws.protocoltests.restjson#FooError:http://x/","message":"Hi"}"#;
        assert_eq!(
            parse_error_parts(&NO_HEADERS, body),
            parts(Some("FooError"), Some("Hi"), None)
        );
    }

    #[test]
    fn error_parts_header_wins_and_case_insensitive() {
        let headers = [
            ("x-amzn-errortype", "HeaderError:http://x"),
            ("X-AMZN-REQUESTID", "req-1"),
        ];
        let body = br#"{"code":"BodyCode","__type":"TypeCode","Message":"upper"}"#;
        assert_eq!(
            parse_error_parts(&headers, body),
            parts(Some("HeaderError"), Some("upper"), Some("req-1"))
        );
    }

    #[test]
    fn error_parts_precedence_in_body() {
        let body = br#"{"__type":"TypeCode","errorMessage":"c","Message":"b","message":"a","code":"Code"}"#;
        assert_eq!(
            parse_error_parts(&NO_HEADERS, body),
            parts(Some("TypeCode"), Some("a"), None)
        );
        // An error shape with a `code` member of its own (a sub-code).
        let body = br#"{"code":"NotFound","__type":"com.amazonaws.lightsail#NotFoundException"}"#;
        assert_eq!(
            parse_error_parts(&NO_HEADERS, body),
            parts(Some("NotFoundException"), None, None)
        );
        // `code` alone still names the error.
        assert_eq!(
            parse_error_parts(&NO_HEADERS, br#"{"code":"FooError"}"#),
            parts(Some("FooError"), None, None)
        );
        let body = br#"{"errorMessage":"c","__type":"ns#T"}"#;
        assert_eq!(
            parse_error_parts(&NO_HEADERS, body),
            parts(Some("T"), Some("c"), None)
        );
    }

    #[test]
    fn error_parts_skip_non_strings_and_nested() {
        let body = br#"{"code":5,"nested":{"code":"Inner","a":[1,{"b":null}]},"__type":"Outer","message":null}"#;
        assert_eq!(
            parse_error_parts(&NO_HEADERS, body),
            parts(Some("Outer"), None, None)
        );
    }

    #[test]
    fn error_parts_bad_bodies() {
        let headers = [("x-amzn-requestid", "r")];
        let bodies: [&[u8]; 8] = [
            b"",
            b"   ",
            b"not json",
            b"[1,2]",
            b"\"str\"",
            br#"{"__type":"Foo""#,
            br#"{"__type":"Foo"} trailing"#,
            b"\xff\xfe",
        ];
        for body in bodies {
            let got = parse_error_parts(&headers, body);
            assert_eq!(
                (got.code, got.message, got.request_id.as_deref()),
                (None, None, Some("r")),
                "body {body:?}"
            );
            // What could not be read is kept (blank bodies hold nothing).
            let kept = (!body.iter().all(u8::is_ascii_whitespace))
                .then(|| String::from_utf8_lossy(body).into_owned());
            assert_eq!(got.unparsed_body, kept, "body {body:?}");
        }
    }

    #[test]
    fn error_parts_empty_code_ignored() {
        let headers = [("X-Amzn-Errortype", " ")];
        let body = br#"{"__type":"Real"}"#;
        assert_eq!(
            parse_error_parts(&headers, body).code.as_deref(),
            Some("Real")
        );
    }

    #[test]
    fn unhandled_display() {
        let e = UnhandledError::new(400, parts(Some("Foo"), Some("bad"), Some("r")));
        assert_eq!(e.to_string(), "Foo: bad");
        assert_eq!(e.status(), 400);
        assert_eq!(e.code(), Some("Foo"));
        assert_eq!(e.message(), Some("bad"));
        assert_eq!(e.request_id(), Some("r"));
        assert!(e.source().is_none());

        let e = UnhandledError::new(400, parts(Some("Foo"), None, None));
        assert_eq!(e.to_string(), "Foo");
        let e = UnhandledError::new(503, parts(None, Some("down"), None));
        assert_eq!(e.to_string(), "unhandled error (HTTP 503): down");
        let e = UnhandledError::new(500, ErrorParts::default())
            .with_source(DecodeError::new("unexpected end of input", 3));
        assert_eq!(
            e.to_string(),
            "unhandled error (HTTP 500) (response could not be parsed: unexpected end of input at byte 3)"
        );
        assert_eq!(
            e.source().map(|s| s.to_string()),
            Some("unexpected end of input at byte 3".to_owned())
        );
    }
}
