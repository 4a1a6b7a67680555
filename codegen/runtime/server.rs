//! The server side of the awsJson protocols: checking and routing incoming
//! requests, refusing bad ones with the response an AWS JSON service sends,
//! and building responses from outputs and errors.
//!
//! Generated code drives this module: each service has a `ServiceRequest`
//! enum whose `from_http` calls [`check_method`], [`operation_name`] and,
//! per operation, [`check_content_type`], [`parse_input`] and
//! [`check_required`]; each operation answers with [`output_response`],
//! [`error_response`] or [`unhandled_response`]. Like the client side it is
//! transport-free: requests come in as method, headers and body, responses go
//! out as an [`HttpResponse`] for any HTTP server to send.
//!
//! A refused request is a [`Rejection`]. Its status and error type follow
//! the Smithy reference server (smithy-rs) and the Smithy protocol tests'
//! malformed-request cases: `UnknownOperationException` (404) for a missing
//! or unknown `X-Amz-Target`, `MethodNotAllowedException` (405) for a method
//! other than `POST`, `UnsupportedMediaTypeException` (415) for a wrong or
//! missing `Content-Type`, `SerializationException` (400) for a body that is
//! not JSON or holds a value of the wrong type, and `ValidationException`
//! (400) for a missing `@required` member.

use std::fmt;

use super::error::{DecodeError, UnhandledError};
use super::http::{header, Headers, JsonVersion};
use super::json::{JsonDeserialize, JsonReader, JsonSerialize, JsonWriter};
use super::support::{parse_body, Fault};

/// A response ready to be sent by any HTTP server.
///
/// `Content-Length` is left to the server, which knows how it frames the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values, in the order they should be sent.
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        super::http::header(&self.headers, name)
    }

    /// The body as text, if it is valid UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The same response with one more header, e.g. `x-amzn-RequestId`.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// One failed constraint of a request: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The member's location in the request, as a path of wire names and
    /// list indexes, e.g. `/Settings/Rules/0/Name`.
    pub path: String,
    /// What is wrong, e.g. `Value at '/Name' failed to satisfy constraint:
    /// Member must not be null`.
    pub message: String,
}

/// Why a request was refused before it reached the operation's handler.
///
/// Turn it into the response to send with [`to_response`](Self::to_response)
/// (or the service's `ServiceRequest::reject`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Rejection {
    /// The method is not `POST` (405).
    MethodNotAllowed {
        /// The method the request used.
        method: String,
    },
    /// `X-Amz-Target` is missing, or names no operation this crate serves
    /// for the service (404).
    UnknownOperation {
        /// The header's value, if there was one.
        target: Option<String>,
    },
    /// `Content-Type` is missing or is not the protocol's (415).
    UnsupportedMediaType {
        /// The media type the protocol requires.
        expected: &'static str,
        /// The header's value, if there was one.
        found: Option<String>,
    },
    /// The body is not JSON, or a member holds a value of the wrong type (400).
    Serialization(DecodeError),
    /// The body is well-formed but breaks the model's constraints, e.g. a
    /// `@required` member is missing or null (400).
    Validation(Vec<Violation>),
}

impl Rejection {
    /// The error type sent back, e.g. `UnknownOperationException`.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::MethodNotAllowed { .. } => "MethodNotAllowedException",
            Rejection::UnknownOperation { .. } => "UnknownOperationException",
            Rejection::UnsupportedMediaType { .. } => "UnsupportedMediaTypeException",
            Rejection::Serialization(_) => "SerializationException",
            Rejection::Validation(_) => "ValidationException",
        }
    }

    /// The HTTP status sent back.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::MethodNotAllowed { .. } => 405,
            Rejection::UnknownOperation { .. } => 404,
            Rejection::UnsupportedMediaType { .. } => 415,
            Rejection::Serialization(_) | Rejection::Validation(_) => 400,
        }
    }

    /// The error type with the namespace AWS JSON services give framework
    /// errors (`com.amazon.coral.service#UnknownOperationException`,
    /// `com.amazon.coral.validate#ValidationException`), as awsJson1_0 sends it.
    pub fn shape_id(&self) -> String {
        let namespace = match self {
            Rejection::Validation(_) => "com.amazon.coral.validate",
            _ => "com.amazon.coral.service",
        };
        format!("{namespace}#{}", self.code())
    }

    /// The violations of a [`Validation`](Self::Validation) rejection; empty otherwise.
    pub fn violations(&self) -> &[Violation] {
        match self {
            Rejection::Validation(v) => v,
            _ => &[],
        }
    }

    /// The response an AWS JSON service sends for this rejection: the status,
    /// `Content-Type`, and a body with `__type` (the bare code for
    /// awsJson1_1, [`shape_id`](Self::shape_id) for awsJson1_0) and
    /// `message`; a validation error also lists each violation under
    /// `fieldList`.
    pub fn to_response(&self, version: JsonVersion) -> HttpResponse {
        let code = match version {
            JsonVersion::V1_0 => self.shape_id(),
            JsonVersion::V1_1 => self.code().to_owned(),
        };
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("__type");
        w.string(&code);
        w.key("message");
        w.string(&self.to_string());
        if let Rejection::Validation(violations) = self {
            w.key("fieldList");
            w.begin_array();
            for v in violations {
                w.begin_object();
                w.key("path");
                w.string(&v.path);
                w.key("message");
                w.string(&v.message);
                w.end_object();
            }
            w.end_array();
        }
        w.end_object();
        let mut response = json_response(version, self.status(), w.into_string().into_bytes());
        if let Rejection::MethodNotAllowed { .. } = self {
            response
                .headers
                .push(("Allow".to_owned(), "POST".to_owned()));
        }
        response
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::MethodNotAllowed { method } => {
                write!(f, "awsJson requests use POST, not {method}")
            }
            Rejection::UnknownOperation { target: None } => {
                f.write_str("the X-Amz-Target header is missing")
            }
            Rejection::UnknownOperation {
                target: Some(target),
            } => write!(f, "unknown operation `{target}`"),
            Rejection::UnsupportedMediaType {
                expected,
                found: None,
            } => write!(
                f,
                "the Content-Type header is missing (expected {expected})"
            ),
            Rejection::UnsupportedMediaType {
                expected,
                found: Some(found),
            } => write!(
                f,
                "unsupported Content-Type `{found}` (expected {expected})"
            ),
            Rejection::Serialization(e) => write!(f, "the request body cannot be read: {e}"),
            Rejection::Validation(violations) => {
                let n = violations.len();
                let plural = if n == 1 { "" } else { "s" };
                write!(f, "{n} validation error{plural} detected")?;
                for (i, v) in violations.iter().enumerate() {
                    f.write_str(if i == 0 { ". " } else { "; " })?;
                    f.write_str(&v.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::Serialization(e) => Some(e),
            _ => None,
        }
    }
}

/// Refuses any method but `POST`.
pub fn check_method(method: &str) -> Result<(), Rejection> {
    if method.eq_ignore_ascii_case("POST") {
        Ok(())
    } else {
        Err(Rejection::MethodNotAllowed {
            method: method.to_owned(),
        })
    }
}

/// The operation named by `X-Amz-Target` (`Service.Operation`), if the
/// service part is `service`.
pub fn operation_name<'h>(
    headers: &'h (impl Headers + ?Sized),
    service: &str,
) -> Result<&'h str, Rejection> {
    let target =
        header(headers, "X-Amz-Target").ok_or(Rejection::UnknownOperation { target: None })?;
    match target.trim().split_once('.') {
        Some((s, op)) if s == service && !op.is_empty() => Ok(op),
        _ => Err(Rejection::UnknownOperation {
            target: Some(target.to_owned()),
        }),
    }
}

/// Requires the protocol's `Content-Type`; parameters such as
/// `; charset=utf-8` are ignored, and the media type is compared without
/// regard to case.
pub fn check_content_type(
    headers: &(impl Headers + ?Sized),
    version: JsonVersion,
) -> Result<(), Rejection> {
    let expected = version.content_type();
    let found = header(headers, "Content-Type");
    let media_type = found.map(|v| v.split(';').next().unwrap_or_default().trim());
    if media_type.is_some_and(|m| m.eq_ignore_ascii_case(expected)) {
        Ok(())
    } else {
        Err(Rejection::UnsupportedMediaType {
            expected,
            found: found.map(str::to_owned),
        })
    }
}

/// Parses a request body as `T`: an empty or `null` body reads as `{}`, and
/// only whitespace may follow the value.
pub fn parse_input<T: JsonDeserialize>(body: &[u8]) -> Result<T, Rejection> {
    parse_body(body).map_err(Rejection::Serialization)
}

/// Accepts the body of an operation without input: empty, `null`, or a JSON
/// object (whose members are ignored).
pub fn parse_unit_input(body: &[u8]) -> Result<(), Rejection> {
    parse_input::<AnyObject>(body).map(drop)
}

/// Any JSON object, its members skipped.
struct AnyObject;

impl JsonDeserialize for AnyObject {
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DecodeError> {
        r.read_object(|r, _| r.skip_value())?;
        Ok(AnyObject)
    }
}

/// Where a walk over a request body is, and the violations found so far.
///
/// Generated checkers walk the body a second time (after it parsed) and
/// report each `@required` member that is absent or `null`.
#[derive(Clone, Debug, Default)]
pub struct Violations {
    path: String,
    found: Vec<Violation>,
}

impl Violations {
    /// Descends into the member or map key `key`; returns the mark to [`leave`](Self::leave) with.
    pub fn enter(&mut self, key: &str) -> usize {
        let mark = self.path.len();
        self.path.push('/');
        self.path.push_str(key);
        mark
    }

    /// Descends into the list element `index`; returns the mark to [`leave`](Self::leave) with.
    pub fn enter_index(&mut self, index: usize) -> usize {
        let mark = self.path.len();
        self.path.push('/');
        self.path.push_str(&index.to_string());
        mark
    }

    /// Returns to where [`enter`](Self::enter) or [`enter_index`](Self::enter_index) was called.
    pub fn leave(&mut self, mark: usize) {
        self.path.truncate(mark);
    }

    /// Records that the required member `member` of the current structure is absent or null.
    pub fn missing(&mut self, member: &str) {
        let path = format!("{}/{member}", self.path);
        let message =
            format!("Value at '{path}' failed to satisfy constraint: Member must not be null");
        self.found.push(Violation { path, message });
    }

    /// The violations found, in body order.
    pub fn into_vec(self) -> Vec<Violation> {
        self.found
    }
}

/// Runs the checker `check` over the body (normalised like
/// [`parse_input`]: empty or `null` reads as `{}`) and turns what it finds
/// into a [`Rejection::Validation`].
pub fn check_required(
    body: &[u8],
    check: impl FnOnce(&mut JsonReader<'_>, &mut Violations) -> Result<(), DecodeError>,
) -> Result<(), Rejection> {
    let input: &[u8] = if JsonReader::is_blank(body) || body_is_null(body) {
        b"{}"
    } else {
        body
    };
    let mut violations = Violations::default();
    check(&mut JsonReader::new(input), &mut violations).map_err(Rejection::Serialization)?;
    let found = violations.into_vec();
    if found.is_empty() {
        Ok(())
    } else {
        Err(Rejection::Validation(found))
    }
}

fn body_is_null(body: &[u8]) -> bool {
    let mut r = JsonReader::new(body);
    matches!(r.read_null(), Ok(true)) && r.finish().is_ok()
}

/// A response with the protocol's `Content-Type` and the given body.
fn json_response(version: JsonVersion, status: u16, body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".to_owned(), version.content_type().to_owned())],
        body,
    }
}

/// The `200` response of an operation: the output as JSON. Should the output
/// not serialize (the `Unknown` variant of a union, an unset
/// `@clientOptional` required member), the response is an
/// `InternalFailure` (500) instead.
pub fn output_response<T: JsonSerialize + ?Sized>(
    version: JsonVersion,
    output: &T,
) -> HttpResponse {
    let mut w = JsonWriter::new();
    match output.write_json(&mut w) {
        Ok(()) => json_response(version, 200, w.into_string().into_bytes()),
        Err(e) => internal_failure(version, &e.to_string()),
    }
}

/// The `200` response of an operation without output: an empty body.
pub fn unit_response(version: JsonVersion) -> HttpResponse {
    json_response(version, 200, Vec::new())
}

/// What identifies a modeled error on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorType<'a> {
    /// The HTTP status (`@httpError`, else 400 for client and 500 for server errors).
    pub status: u16,
    /// The `__type` value: the shape id for awsJson1_0, the shape name for awsJson1_1.
    pub type_name: &'a str,
    /// For `@awsQueryCompatible` services: the awsQuery error code and the
    /// fault, sent as `x-amzn-query-error: Code;Sender` (or `Receiver`).
    pub query_error: Option<(&'a str, Fault)>,
}

/// The response of a modeled error: its status, `Content-Type`, and the
/// error structure as JSON with `__type` added first. Should the error not
/// serialize, the response is an `InternalFailure` (500) instead.
pub fn error_response<T: JsonSerialize + ?Sized>(
    version: JsonVersion,
    error_type: ErrorType<'_>,
    error: &T,
) -> HttpResponse {
    let mut w = JsonWriter::new();
    if let Err(e) = error.write_json(&mut w) {
        return internal_failure(version, &e.to_string());
    }
    let members = w.into_string();
    let mut body = JsonWriter::new();
    body.begin_object();
    body.key("__type");
    body.string(error_type.type_name);
    let mut text = body.into_string();
    // `members` is an object: `{}` or `{"a":..}`; splice its members in.
    let inner = members.strip_prefix('{').unwrap_or(&members);
    if inner != "}" {
        text.push(',');
    }
    text.push_str(inner);
    let mut response = json_response(version, error_type.status, text.into_bytes());
    if let Some((code, fault)) = error_type.query_error {
        let fault = match fault {
            Fault::Client => "Sender",
            Fault::Server => "Receiver",
        };
        response
            .headers
            .push(("x-amzn-query-error".to_owned(), format!("{code};{fault}")));
    }
    response
}

/// The response of an error the model does not describe: its status, and
/// its code (`InternalFailure` when it has none) and message in the body.
pub fn unhandled_response(version: JsonVersion, error: &UnhandledError) -> HttpResponse {
    let mut w = JsonWriter::new();
    w.begin_object();
    w.key("__type");
    w.string(error.code().unwrap_or("InternalFailure"));
    if let Some(message) = error.message() {
        w.key("message");
        w.string(message);
    }
    w.end_object();
    json_response(version, error.status(), w.into_string().into_bytes())
}

/// An `InternalFailure` (500) response with `message`.
pub fn internal_failure(version: JsonVersion, message: &str) -> HttpResponse {
    let code = match version {
        JsonVersion::V1_0 => "com.amazon.coral.service#InternalFailure",
        JsonVersion::V1_1 => "InternalFailure",
    };
    let mut w = JsonWriter::new();
    w.begin_object();
    w.key("__type");
    w.string(code);
    w.key("message");
    w.string(message);
    w.end_object();
    json_response(version, 500, w.into_string().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::super::error::{EncodeError, ErrorParts};
    use super::*;

    struct Pair(Option<&'static str>);

    impl JsonSerialize for Pair {
        fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
            w.begin_object();
            match self.0 {
                Some("bad") => {
                    return Err(EncodeError::UnknownUnionVariant { shape: "U" });
                }
                Some(m) => {
                    w.key("Message");
                    w.string(m);
                }
                None => {}
            }
            w.end_object();
            Ok(())
        }
    }

    #[test]
    fn routing_checks_method_target_and_content_type() {
        assert_eq!(check_method("POST"), Ok(()));
        assert_eq!(check_method("post"), Ok(()));
        let r = check_method("GET").unwrap_err();
        assert_eq!((r.status(), r.code()), (405, "MethodNotAllowedException"));
        let headers = [
            ("x-amz-target", "Svc.DoIt"),
            ("content-type", "application/x-amz-json-1.1; charset=utf-8"),
        ];
        assert_eq!(operation_name(&headers, "Svc"), Ok("DoIt"));
        assert_eq!(
            operation_name(&headers, "Other"),
            Err(Rejection::UnknownOperation {
                target: Some("Svc.DoIt".into())
            })
        );
        for bad in ["Svc", "Svc.", ".DoIt", ""] {
            assert!(
                operation_name(&[("X-Amz-Target", bad)], "Svc").is_err(),
                "{bad:?}"
            );
        }
        let missing = operation_name(&super::super::http::NO_HEADERS, "Svc").unwrap_err();
        assert_eq!(
            (missing.status(), missing.to_string().as_str()),
            (404, "the X-Amz-Target header is missing")
        );
        assert_eq!(check_content_type(&headers, JsonVersion::V1_1), Ok(()));
        assert_eq!(
            check_content_type(
                &[("Content-Type", "APPLICATION/X-AMZ-JSON-1.0")],
                JsonVersion::V1_0
            ),
            Ok(())
        );
        let wrong = check_content_type(&headers, JsonVersion::V1_0).unwrap_err();
        assert_eq!(wrong.status(), 415);
        assert_eq!(
            wrong.to_string(),
            "unsupported Content-Type `application/x-amz-json-1.1; charset=utf-8` (expected application/x-amz-json-1.0)"
        );
        assert!(check_content_type(&super::super::http::NO_HEADERS, JsonVersion::V1_0).is_err());
    }

    #[test]
    fn unit_inputs_accept_empty_null_and_objects_only() {
        for ok in [&b""[..], b"  ", b"null", b"{}", br#"{"a":[1]}"#] {
            assert_eq!(parse_unit_input(ok), Ok(()), "{ok:?}");
        }
        for bad in [&b"[]"[..], b"1", b"{", b"{} x"] {
            let e = parse_unit_input(bad).unwrap_err();
            assert_eq!(
                (e.status(), e.code()),
                (400, "SerializationException"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn required_members_are_reported_with_their_path() {
        let check = |r: &mut JsonReader<'_>, v: &mut Violations| {
            let mut has_a = false;
            r.read_object(|r, key| {
                if r.read_null()? {
                    return Ok(());
                }
                match key {
                    "a" => {
                        has_a = true;
                        r.skip_value()
                    }
                    "list" => {
                        let at = v.enter(key);
                        let mut index = 0;
                        let res = r.read_array(|r| {
                            let mark = v.enter_index(index);
                            index += 1;
                            let mark2 = v.enter("inner");
                            v.missing("x");
                            v.leave(mark2);
                            v.leave(mark);
                            r.skip_value()
                        });
                        v.leave(at);
                        res
                    }
                    _ => r.skip_value(),
                }
            })?;
            if !has_a {
                v.missing("a");
            }
            Ok(())
        };
        assert_eq!(check_required(br#"{"a":1}"#, check), Ok(()));
        let e = check_required(br#"{"a":null,"list":[0]}"#, check).unwrap_err();
        let paths: Vec<&str> = e.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["/list/0/inner/x", "/a"]);
        assert_eq!(
            e.to_string(),
            "2 validation errors detected. Value at '/list/0/inner/x' failed to satisfy constraint: \
             Member must not be null; Value at '/a' failed to satisfy constraint: Member must not be null"
        );
        for empty in [&b""[..], b"null"] {
            let e = check_required(empty, check).unwrap_err();
            assert_eq!(e.violations().len(), 1);
        }
    }

    #[test]
    fn rejections_answer_like_aws_json_services() {
        let e = Rejection::Validation(vec![Violation {
            path: "/a".into(),
            message: "m".into(),
        }]);
        let res = e.to_response(JsonVersion::V1_0);
        assert_eq!(res.status, 400);
        assert_eq!(
            res.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(
            res.body_str(),
            Some(
                r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected. m","fieldList":[{"path":"/a","message":"m"}]}"#
            )
        );
        let res = Rejection::UnknownOperation {
            target: Some("S.X".into()),
        }
        .to_response(JsonVersion::V1_1);
        assert_eq!(res.status, 404);
        assert_eq!(
            res.body_str(),
            Some(r#"{"__type":"UnknownOperationException","message":"unknown operation `S.X`"}"#)
        );
        let res = Rejection::MethodNotAllowed {
            method: "GET".into(),
        }
        .to_response(JsonVersion::V1_1);
        assert_eq!((res.status, res.header("Allow")), (405, Some("POST")));
        let s = Rejection::Serialization(DecodeError::new("bad", 3));
        assert_eq!(
            s.shape_id(),
            "com.amazon.coral.service#SerializationException"
        );
        assert!(std::error::Error::source(&s).is_some());
    }

    #[test]
    fn outputs_and_errors_become_responses() {
        let ok = output_response(JsonVersion::V1_1, &Pair(Some("hi")));
        assert_eq!(
            (ok.status, ok.body_str()),
            (200, Some(r#"{"Message":"hi"}"#))
        );
        assert_eq!(
            ok.header("Content-Type"),
            Some("application/x-amz-json-1.1")
        );
        let failed = output_response(JsonVersion::V1_1, &Pair(Some("bad")));
        assert_eq!(failed.status, 500);
        assert!(failed
            .body_str()
            .unwrap_or_default()
            .contains(r#""__type":"InternalFailure""#));
        let unit = unit_response(JsonVersion::V1_0);
        assert_eq!((unit.status, unit.body.len()), (200, 0));

        let t = ErrorType {
            status: 404,
            type_name: "ns#NotFound",
            query_error: None,
        };
        let e = error_response(JsonVersion::V1_0, t, &Pair(Some("gone")));
        assert_eq!(e.status, 404);
        assert_eq!(
            e.body_str(),
            Some(r#"{"__type":"ns#NotFound","Message":"gone"}"#)
        );
        let empty = error_response(JsonVersion::V1_0, t, &Pair(None));
        assert_eq!(empty.body_str(), Some(r#"{"__type":"ns#NotFound"}"#));
        assert_eq!(empty.header("x-amzn-query-error"), None);
        let q = ErrorType {
            query_error: Some(("Custom", Fault::Client)),
            ..t
        };
        let e = error_response(JsonVersion::V1_0, q, &Pair(None));
        assert_eq!(e.header("x-amzn-query-error"), Some("Custom;Sender"));
        assert_eq!(
            error_response(JsonVersion::V1_0, t, &Pair(Some("bad"))).status,
            500
        );

        let unhandled = UnhandledError::new(
            503,
            ErrorParts {
                code: Some("ThrottlingException".into()),
                message: Some("slow down".into()),
                request_id: None,
                unparsed_body: None,
                query_error: None,
            },
        );
        let res = unhandled_response(JsonVersion::V1_1, &unhandled);
        assert_eq!(res.status, 503);
        assert_eq!(
            res.body_str(),
            Some(r#"{"__type":"ThrottlingException","message":"slow down"}"#)
        );
        let bare = unhandled_response(
            JsonVersion::V1_1,
            &UnhandledError::new(500, ErrorParts::default()),
        );
        assert_eq!(bare.body_str(), Some(r#"{"__type":"InternalFailure"}"#));
        let with_id = bare.with_header("x-amzn-RequestId", "r-1");
        assert_eq!(with_id.header("X-Amzn-RequestId"), Some("r-1"));
    }
}
