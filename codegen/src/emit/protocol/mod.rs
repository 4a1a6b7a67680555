//! The protocol seam. Each protocol family is one emitter behind
//! [`ProtocolEmitter`], with one runtime module: awsJson
//! ([`aws_json`], `runtime/http.rs`), the query protocols ([`query`],
//! `runtime/query.rs`), restJson1 and restXml ([`rest`], `runtime/rest.rs`)
//! and RPC v2 CBOR ([`rpcv2`], `runtime/rpcv2.rs`). Lowering has decided the
//! family and every fact an emitter reads ([`ProtocolInfo`]); the body
//! codecs are split by format (`json.rs`, `xml.rs`, `form.rs`, `cbor.rs`),
//! and the rest of a service's code (types, operations, errors, client,
//! waiters) is the same for every protocol.
//!
//! A new protocol is a [`Protocol`] and its facts in `lower/protocol.rs`, an
//! emitter here, its runtime module, and tests.

use proc_macro2::TokenStream;

use crate::emit::Source;
use crate::ir::*;

mod aws_json;
mod query;
mod rest;
mod rpcv2;

/// What differs between protocols in an operation's request builder and
/// response parser; the rest of `operations.rs` is shared.
pub(super) struct Wire {
    /// The operation's constant naming it on the wire.
    pub(super) constant: TokenStream,
    /// How the request looks, for the docs.
    pub(super) request_doc: String,
    /// Statements writing the input into the body writer `w`.
    pub(super) write_input: TokenStream,
    /// The request from `w`.
    pub(super) make: TokenStream,
    /// `Result<Output, DecodeError>` from `body`.
    pub(super) read_output: TokenStream,
    /// `ErrorParts` from `headers` and `body`.
    pub(super) error_parts: TokenStream,
    /// The modeled-error parser called on `status`, `parts` and `body`
    /// (and `headers`, where the protocol binds members to them).
    pub(super) parse_modeled: TokenStream,
}

/// What a protocol family adds to a service's code.
pub(super) trait ProtocolEmitter: Sync {
    /// The protocol's part of an operation's request builder and response
    /// parser.
    fn wire(&self, svc: &Service, op: &Operation) -> Wire;
    /// The service's private modules this protocol adds, in declaration
    /// order (each a file of [`ProtocolEmitter::sources`]).
    fn modules(&self) -> &'static [&'static str];
    /// The files of those modules.
    fn sources<'a>(&self, svc: &'a Service) -> Vec<Source<'a>>;
}

/// The emitter of a protocol family.
pub(super) fn emitter(family: ProtocolFamily) -> &'static dyn ProtocolEmitter {
    match family {
        ProtocolFamily::AwsJson => &aws_json::AwsJson,
        ProtocolFamily::Query => &query::Query,
        ProtocolFamily::RestJson => &rest::RestJson,
        ProtocolFamily::RestXml => &rest::RestXml,
        ProtocolFamily::RpcV2 => &rpcv2::RpcV2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_model::TestModel;

    /// A service on `protocol` with one operation `Get` (`GET /things/{Id}`
    /// where the protocol reads `@http`) taking `a#In` and returning `a#Out`.
    fn service(protocol: &'static str) -> Service {
        TestModel::new()
            .protocol(protocol)
            .operation(
                "Get",
                r#""input":{"target":"a#In"},"output":{"target":"a#Out"},
                   "traits":{"smithy.api#http":{"method":"GET","uri":"/things/{Id}"}}"#,
            )
            .shapes(
                r#""a#In":{"type":"structure","members":{"Id":{"target":"smithy.api#String",
                   "traits":{"smithy.api#required":{},"smithy.api#httpLabel":{}}}}},
                   "a#Out":{"type":"structure","members":{"N":{"target":"smithy.api#Integer"}}}"#,
            )
            .lower()
            .unwrap()
    }

    /// Each protocol's emitter, as lowering picks it, writes its own wire
    /// and declares its own modules, whose files it emits.
    #[test]
    fn each_family_writes_its_own_wire_and_modules() {
        let cases: &[(&str, ProtocolFamily, &[&str], &str, &str)] = &[
            (
                "aws.protocols#awsJson1_0",
                ProtocolFamily::AwsJson,
                &[],
                "`POST /`, `X-Amz-Target: Svc.Get`",
                "aws_json_request (crate :: runtime :: JsonVersion :: V1_0",
            ),
            (
                "aws.protocols#awsJson1_1",
                ProtocolFamily::AwsJson,
                &[],
                "`POST /`, `X-Amz-Target: Svc.Get`",
                "JsonVersion :: V1_1",
            ),
            (
                "aws.protocols#awsQuery",
                ProtocolFamily::Query,
                &["query"],
                "`POST /`, a form body with `Action=Get&Version=1`",
                "query :: query_request (w)",
            ),
            (
                "aws.protocols#ec2Query",
                ProtocolFamily::Query,
                &["query"],
                "`POST /`, a form body with `Action=Get&Version=1`",
                "query :: query_request (w)",
            ),
            (
                "aws.protocols#restJson1",
                ProtocolFamily::RestJson,
                &["rest"],
                "`GET /things/{Id}`",
                "b . finish ()",
            ),
            (
                "aws.protocols#restXml",
                ProtocolFamily::RestXml,
                &["query", "rest"],
                "`GET /things/{Id}`",
                "b . finish ()",
            ),
            (
                "smithy.protocols#rpcv2Cbor",
                ProtocolFamily::RpcV2,
                &["cbor"],
                "`POST /service/Svc/operation/Get`, a CBOR body",
                "rpcv2 :: request (\"Svc\" , \"Get\" , body)",
            ),
        ];
        for (protocol, family, modules, doc, make) in cases {
            let svc = service(protocol);
            assert_eq!(svc.protocol_info.family, *family, "{protocol}");
            let e = emitter(svc.protocol_info.family);
            let wire = e.wire(&svc, &svc.operations[0]);
            assert_eq!(wire.request_doc, *doc, "{protocol}");
            assert!(
                wire.make.to_string().contains(make),
                "{protocol}: {}",
                wire.make
            );
            assert_eq!(e.modules(), *modules, "{protocol}");
            let paths: Vec<String> = e.sources(&svc).into_iter().map(|s| s.path).collect();
            let expected: Vec<String> = modules.iter().map(|m| format!("svc/{m}.rs")).collect();
            assert_eq!(paths, expected, "{protocol}");
        }
    }

    /// Errors are read the way each protocol writes them.
    #[test]
    fn each_family_reads_its_own_errors() {
        let cases = [
            ("aws.protocols#awsJson1_1", "error :: parse_error_parts"),
            ("aws.protocols#awsQuery", "xml :: query_error_parts"),
            ("aws.protocols#restJson1", "error :: parse_error_parts"),
            ("aws.protocols#restXml", "xml :: query_error_parts"),
            ("smithy.protocols#rpcv2Cbor", "rpcv2 :: error_parts"),
        ];
        for (protocol, parts) in cases {
            let svc = service(protocol);
            let wire = emitter(svc.protocol_info.family).wire(&svc, &svc.operations[0]);
            assert!(
                wire.error_parts.to_string().contains(parts),
                "{protocol}: {}",
                wire.error_parts
            );
        }
    }

    /// Lowering decides which runtime modules a service's code calls.
    #[test]
    fn lowering_decides_the_runtime_modules() {
        let needs = |p| service(p).runtime;
        let json = needs("aws.protocols#awsJson1_0");
        assert_eq!(json, RuntimeNeeds::default());
        let query = needs("aws.protocols#ec2Query");
        assert!(query.xml && !query.rest && !query.cbor);
        let rest_json = needs("aws.protocols#restJson1");
        assert!(rest_json.rest && !rest_json.xml);
        let rest_xml = needs("aws.protocols#restXml");
        assert!(rest_xml.rest && rest_xml.xml);
        let cbor = needs("smithy.protocols#rpcv2Cbor");
        assert!(cbor.cbor && !cbor.xml && !cbor.rest);
        assert!(!cbor.event_stream);
        assert!(service("aws.protocols#awsJson1_1").protocol_info.server);
        assert!(!service("aws.protocols#restJson1").protocol_info.server);
    }
}
