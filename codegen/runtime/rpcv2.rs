//! The Smithy RPC v2 CBOR protocol (`smithy.protocols#rpcv2Cbor`): every
//! request is `POST /service/{Service}/operation/{Operation}` with the
//! `smithy-protocol: rpc-v2-cbor` header and a CBOR body (none for a unit
//! input); an error names its shape in the body's `__type`, and an
//! `@awsQueryCompatible` service's awsQuery code in `x-amzn-query-error`.
#![doc(hidden)]

use super::cbor::{CborDeserialize, CborReader};
use super::error::{sanitize_error_code, ErrorParts, ModeledError, QueryError, UnhandledError};
use super::http::{header, Headers, HttpRequest};

/// The value of the `smithy-protocol` header.
pub const PROTOCOL: &str = "rpc-v2-cbor";

/// The media type of CBOR bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// The request of `operation` of `service` (shape names), with `body` (the
/// input's CBOR, `None` for a unit input).
pub fn request(service: &str, operation: &str, body: Option<Vec<u8>>) -> HttpRequest {
    let mut headers = vec![
        ("smithy-protocol".to_owned(), PROTOCOL.to_owned()),
        ("Accept".to_owned(), CONTENT_TYPE.to_owned()),
    ];
    if let Some(b) = &body {
        headers.push(("Content-Type".to_owned(), CONTENT_TYPE.to_owned()));
        headers.push(("Content-Length".to_owned(), b.len().to_string()));
    }
    HttpRequest {
        method: "POST",
        uri: format!("/service/{service}/operation/{operation}"),
        headers,
        body: body.unwrap_or_default(),
        host_prefix: String::new(),
        endpoint: None,
        computed_headers: Vec::new(),
        streamed: None,
    }
}

/// The code, message and request id of an error response: the code from
/// the body's `__type` (the error's shape id, cleaned as every protocol's
/// is), the message from `message` or `Message`, the request id from
/// `x-amzn-RequestId`; with `query_compatible`, the awsQuery code and fault
/// from `x-amzn-query-error`. A body that is not a CBOR map contributes
/// nothing.
pub fn error_parts(
    headers: &(impl Headers + ?Sized),
    body: &[u8],
    query_compatible: bool,
) -> ErrorParts {
    let mut code = None;
    let mut message = None;
    let mut message_upper = None;
    let mut unparsed_body = None;
    if !body.is_empty() {
        let mut r = CborReader::new(body);
        let read = r.read_object(|r, key| {
            let slot = match key {
                "__type" => &mut code,
                "message" => &mut message,
                "Message" => &mut message_upper,
                _ => return r.skip_value(),
            };
            match r.read_optional(|r| r.read_string()) {
                Ok(v) => {
                    *slot = v;
                    Ok(())
                }
                // Not a string: skipped, as JSON's error reader skips it.
                Err(_) => Ok(()),
            }
        });
        if read.is_err() {
            unparsed_body = Some(super::error::kept_body(body));
        }
    }
    let code = code
        .as_deref()
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    ErrorParts {
        code,
        message: message.or(message_upper),
        request_id: header(headers, "x-amzn-RequestId").map(str::to_owned),
        unparsed_body,
        query_error: if query_compatible {
            header(headers, "x-amzn-query-error").and_then(QueryError::from_header)
        } else {
            None
        },
    }
}

/// Parses the body of an error response whose code names the modeled
/// error `E` (see [`super::error::finish_modeled`]).
pub fn parse_modeled<E: ModeledError + CborDeserialize>(
    status: u16,
    parts: ErrorParts,
    body: &[u8],
) -> Result<E, UnhandledError> {
    super::error::finish_modeled(status, parts, super::cbor::parse_body::<E>(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_route_by_service_and_operation() {
        let r = request("Svc", "Op", Some(vec![0xa0]));
        assert_eq!(r.uri, "/service/Svc/operation/Op");
        assert_eq!(r.header("smithy-protocol"), Some("rpc-v2-cbor"));
        assert_eq!(r.header("content-type"), Some("application/cbor"));
        let unit = request("Svc", "Ping", None);
        assert!(unit.body.is_empty());
        assert_eq!(unit.header("content-type"), None);
        assert_eq!(unit.header("accept"), Some("application/cbor"));
    }

    #[test]
    fn error_parts_read_type_and_message() {
        let mut w = super::super::cbor::CborWriter::new();
        w.begin_object();
        w.key("__type");
        w.string("smithy.example#NoSuchThing");
        w.key("Message");
        w.string("gone");
        w.end_object();
        let body = w.into_bytes();
        let headers = [
            ("x-amzn-RequestId", "req-1"),
            ("x-amzn-query-error", "AWS.Gone;Sender"),
        ];
        let parts = error_parts(&headers[..], &body, true);
        assert_eq!(parts.code.as_deref(), Some("NoSuchThing"));
        assert_eq!(parts.message.as_deref(), Some("gone"));
        assert_eq!(parts.request_id.as_deref(), Some("req-1"));
        assert_eq!(
            parts.query_error.map(|q| q.code).as_deref(),
            Some("AWS.Gone")
        );
        let parts = error_parts(&headers[..], b"not cbor", false);
        assert_eq!(parts.code, None);
        assert!(parts.unparsed_body.is_some());
        assert!(parts.query_error.is_none());
    }
}
