//! Form-encoded requests of the query protocols (`awsQuery`): the
//! [`QueryWriter`] the generated serializers drive, the [`QuerySerialize`]
//! trait, and the request itself.
//!
//! A request is `POST /` with `Content-Type:
//! application/x-www-form-urlencoded` and a body of `Action=Op&Version=V`
//! followed by one `key=value` pair per scalar: nested members join their
//! names with `.`, list items are numbered from 1 (`List.member.1`, or
//! `List.1` when flattened), map entries too (`Map.entry.1.key`,
//! `Map.entry.1.value`). An empty list is sent as `List=`.
#![doc(hidden)]

use super::codec_error::EncodeError;
use super::http::HttpRequest;

/// A value that can write itself as query parameters under a key prefix.
pub trait QuerySerialize {
    /// Writes `self` under `prefix` (empty for the operation's input, whose
    /// members are top-level parameters).
    fn write_query(&self, w: &mut QueryWriter, prefix: &str) -> Result<(), EncodeError>;
}

/// Builds a form-encoded body.
#[derive(Debug, Clone)]
pub struct QueryWriter {
    body: String,
}

impl QueryWriter {
    /// A body that starts with `Action=action&Version=version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut w = QueryWriter {
            body: String::with_capacity(128),
        };
        w.param("Action", action);
        w.param("Version", version);
        w
    }

    /// Appends `key=value`, both percent-encoded.
    pub fn param(&mut self, key: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        encode_into(key, &mut self.body);
        self.body.push('=');
        encode_into(value, &mut self.body);
    }

    /// The key of member `name` under `prefix`.
    pub fn key(prefix: &str, name: &str) -> String {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    }

    /// The body written so far.
    pub fn as_str(&self) -> &str {
        &self.body
    }

    /// The finished body.
    pub fn into_body(self) -> String {
        self.body
    }
}

/// Form-encodes `text` as botocore's awsQuery bodies are (Python's
/// `urlencode`): unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay, a space
/// is `+`, every other byte is `%XX`. Services read either spelling of a
/// space; emulators that re-encode the parsed form to check a signature
/// (moto) need this one.
fn encode_into(text: &str, out: &mut String) {
    super::percent::encode_into(text, super::percent::Form::UrlEncodedBody, out);
}

/// A boolean as the query protocols write it.
pub fn fmt_bool(v: bool) -> &'static str {
    if v {
        "true"
    } else {
        "false"
    }
}

/// The request: `POST /` with the form body, `Content-Type` and
/// `Content-Length`.
pub fn query_request(w: QueryWriter) -> HttpRequest {
    let body = w.into_body().into_bytes();
    HttpRequest {
        method: "POST",
        uri: "/".to_owned(),
        headers: vec![
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("Content-Length".to_owned(), body.len().to_string()),
        ],
        body,
        host_prefix: String::new(),
        endpoint: None,
        computed_headers: Vec::new(),
        streamed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::time::{DateTime, TimestampFormat};
    use super::*;

    #[test]
    fn bodies_are_form_encoded() {
        let mut w = QueryWriter::new("GetThing", "2020-01-01");
        w.param(&QueryWriter::key("", "Name"), "a b&c=d/é~");
        w.param(&QueryWriter::key("List.member", "1"), "");
        assert_eq!(
            w.as_str(),
            "Action=GetThing&Version=2020-01-01&Name=a+b%26c%3Dd%2F%C3%A9~&List.member.1="
        );
        let req = query_request(w);
        assert_eq!(
            req.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            req.header("content-length"),
            Some(&*req.body.len().to_string())
        );
    }

    #[test]
    fn scalars() {
        assert_eq!(fmt_bool(true), "true");
        assert_eq!(
            // Timestamps are written with `DateTime::format`.
            DateTime::from_secs(1_422_172_800).format(TimestampFormat::DateTime),
            "2015-01-25T08:00:00Z"
        );
        assert_eq!(
            DateTime::from_secs(1_422_172_800).format(TimestampFormat::EpochSeconds),
            "1422172800"
        );
    }
}
