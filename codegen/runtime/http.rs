//! Transport-free HTTP request values and the operation trait.

use super::error::EncodeError;

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
}

impl HttpRequest {
    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, if it is valid UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
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
    }
}

/// The value of the first header called `name` (case-insensitive).
pub fn header<'h>(headers: &[(&str, &'h str)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Whether `status` is a 2xx success code.
pub fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

/// One operation of a service, described without any transport.
///
/// Generated code implements this for a marker type per operation. Sending
/// is left to the caller: turn the input into an [`HttpRequest`] with
/// [`build_request`](Self::build_request), send it with any HTTP client, and
/// hand the status, headers and body of the response to
/// [`parse_response`](Self::parse_response).
pub trait Operation {
    /// The operation's input structure.
    type Input;
    /// The operation's output structure.
    type Output;
    /// The operation's error enum (modeled errors plus an unhandled variant).
    type Error: std::error::Error;
    /// The Smithy name of the service, e.g. `DynamoDB_20120810`.
    const SERVICE: &'static str;
    /// The Smithy name of the operation, e.g. `GetItem`.
    const NAME: &'static str;

    /// Serializes `input` into a request.
    fn build_request(input: &Self::Input) -> Result<HttpRequest, EncodeError>;

    /// Parses a response into the output, or into a modeled or unhandled error.
    fn parse_response(
        status: u16,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Self::Output, Self::Error>;
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
    fn header_lookup_and_status() {
        let headers = [("X-Amzn-RequestId", "abc"), ("x-amzn-requestid", "second")];
        assert_eq!(header(&headers, "x-amzn-requestid"), Some("abc"));
        assert_eq!(header(&headers, "nope"), None);
        assert_eq!(header(&[], "x"), None);
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
            type Error = EncodeError;
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
                _headers: &[(&str, &str)],
                body: &[u8],
            ) -> Result<String, EncodeError> {
                if is_success(status) {
                    Ok(String::from_utf8_lossy(body).into_owned())
                } else {
                    Err(EncodeError::InvalidValue {
                        shape: "Echo",
                        message: status.to_string(),
                    })
                }
            }
        }
        let req = Echo::build_request(&"hi".to_owned()).expect("builds");
        assert_eq!(
            Echo::parse_response(200, &[], &req.body),
            Ok("hi".to_owned())
        );
        assert!(Echo::parse_response(500, &[], b"").is_err());
        assert_eq!((Echo::SERVICE, Echo::NAME), ("Svc", "Echo"));
    }
}
