//! Customisations: behaviours the AWS SDKs add by hand to particular
//! services, which the models do not describe. Each is one row of
//! [`TABLE`]: the service (its shape id), what it changes, and the SDK
//! behaviour it mirrors. Lowering applies the rows it finds for the
//! service to the IR (fields of [`Field`] and
//! [`crate::ir::OperationCustomizations`]); emitters read those fields and
//! never test which service they are writing.

use crate::ir::Field;

/// One customisation.
#[derive(Debug)]
pub(crate) struct Customization {
    /// The service shape id it applies to.
    pub service: &'static str,
    /// What it changes.
    pub change: Change,
    /// The AWS SDK behaviour it mirrors, as one sentence for the docs.
    pub mirrors: &'static str,
}

/// What a customisation changes.
#[derive(Debug)]
pub(crate) enum Change {
    /// An error response whose body and headers name no error takes the
    /// code of its status.
    StatusCodes(&'static [(u16, &'static str)]),
    /// Label values of members targeting these shapes lose these prefixes.
    TrimLabelPrefixes {
        targets: &'static [&'static str],
        prefixes: &'static [&'static str],
    },
    /// Every request carries this header; `{version}` in the value is the
    /// service's API version.
    Header {
        name: &'static str,
        value: &'static str,
    },
    /// A label member sent empty takes this value.
    LabelDefault {
        member: &'static str,
        value: &'static str,
    },
    /// These operations send the body's SHA-256 and tree hash.
    TreeHash { operations: &'static [&'static str] },
    /// The operation's request goes to the URL in this input member.
    EndpointFromMember {
        operation: &'static str,
        member: &'static str,
    },
    /// This member is redacted in `Debug` though the model does not mark it
    /// `@sensitive`.
    Redact {
        shape: &'static str,
        member: &'static str,
    },
    /// A successful status with an `<Error>` body is an error of these
    /// operations.
    ErrorOnSuccess { operations: &'static [&'static str] },
    /// The header member `member` of these shapes reads as absent when it
    /// does not parse, and a string member `raw` added beside it keeps the
    /// header's text.
    LenientHeader {
        shapes: &'static [&'static str],
        member: &'static str,
        raw: &'static str,
    },
    /// Response bodies are checked against the CRC-32 in this header.
    ResponseCrc32 { header: &'static str },
    /// A streamed request body (a file or a reader) is sent `aws-chunked`.
    ChunkedUploads,
    /// A model of the service without an endpoint rule set gets this one
    /// (JSON), with these input members (by name) setting these parameters.
    RuleSetIfAbsent {
        rule_set: &'static str,
        context: &'static [(&'static str, &'static str)],
    },
}

const S3: &str = "com.amazonaws.s3#AmazonS3";
const ROUTE53: &str = "com.amazonaws.route53#AWSDnsV20130401";
const API_GATEWAY: &str = "com.amazonaws.apigateway#BackplaneControlService";
const GLACIER: &str = "com.amazonaws.glacier#Glacier";
const MACHINE_LEARNING: &str = "com.amazonaws.machinelearning#AmazonML_20141212";
const STS: &str = "com.amazonaws.sts#AWSSecurityTokenServiceV20110615";
const DYNAMODB: &str = "com.amazonaws.dynamodb#DynamoDB_20120810";

/// Every customisation.
pub(crate) const TABLE: &[Customization] = &[
    Customization {
        service: S3,
        change: Change::StatusCodes(&[(404, "NotFound")]),
        mirrors: "S3 answers a failed HEAD (and some other errors) with an empty body; the SDKs read a 404 as \
                  `NotFound`, so the `ObjectExists`/`BucketExists` waiters and their opposites work",
    },
    Customization {
        service: S3,
        change: Change::ErrorOnSuccess {
            operations: &["CopyObject", "CompleteMultipartUpload", "UploadPartCopy"],
        },
        mirrors: "S3 can answer these operations with 200 and an `<Error>` body; the SDKs treat it as an error \
                  and retry it as a 500",
    },
    Customization {
        service: S3,
        change: Change::LenientHeader {
            shapes: &["com.amazonaws.s3#GetObjectOutput", "com.amazonaws.s3#HeadObjectOutput"],
            member: "Expires",
            raw: "ExpiresString",
        },
        mirrors: "an object's `Expires` header is whatever the uploader set; the SDKs read one that is not a \
                  date as absent and keep its text in `ExpiresString`",
    },
    Customization {
        service: S3,
        change: Change::RuleSetIfAbsent {
            rule_set: S3_ADDRESSING,
            context: &[("Bucket", "Bucket")],
        },
        mirrors: "before endpoint rule sets the SDKs addressed buckets by hand: the bucket in the host when it \
                  is a valid DNS label (virtual-host style), else in the path, with the dual-stack and \
                  accelerate hosts",
    },
    Customization {
        service: S3,
        change: Change::ChunkedUploads,
        mirrors: "the SDKs send a streamed upload to S3 `aws-chunked`: its checksum in a trailer, unsigned \
                  chunks over TLS (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`), each chunk signed over plain HTTP \
                  (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`)",
    },
    Customization {
        service: ROUTE53,
        change: Change::TrimLabelPrefixes {
            targets: &[
                "com.amazonaws.route53#ResourceId",
                "com.amazonaws.route53#ChangeId",
                "com.amazonaws.route53#DelegationSetId",
            ],
            prefixes: &["/hostedzone/", "/change/", "/delegationset/"],
        },
        mirrors: "Route 53 returns ids as `/hostedzone/Z1`, `/change/C1`; the SDKs strip the prefix when an id \
                  is sent back in a label, so ids flow from one call into the next",
    },
    Customization {
        service: API_GATEWAY,
        change: Change::Header {
            name: "Accept",
            value: "application/json",
        },
        mirrors: "API Gateway answers in HAL unless asked for JSON; the SDKs send `Accept: application/json`",
    },
    Customization {
        service: GLACIER,
        change: Change::Header {
            name: "X-Amz-Glacier-Version",
            value: "{version}",
        },
        mirrors: "Glacier requires its API version in `X-Amz-Glacier-Version`; the SDKs send it",
    },
    Customization {
        service: GLACIER,
        change: Change::LabelDefault {
            member: "accountId",
            value: "-",
        },
        mirrors: "Glacier's account id `-` means the caller's account; the SDKs send it when none is given",
    },
    Customization {
        service: GLACIER,
        change: Change::TreeHash {
            operations: &["UploadArchive", "UploadMultipartPart"],
        },
        mirrors: "Glacier checks uploads against `X-Amz-Sha256-Tree-Hash` and `X-Amz-Content-Sha256`; the SDKs \
                  compute both (with the `client` feature here: SHA-256 is RustCrypto's)",
    },
    Customization {
        service: MACHINE_LEARNING,
        change: Change::EndpointFromMember {
            operation: "Predict",
            member: "PredictEndpoint",
        },
        mirrors: "a real-time prediction goes to the model's own endpoint, named in `PredictEndpoint`; the SDKs \
                  send the request there",
    },
    Customization {
        service: STS,
        change: Change::Redact {
            shape: "com.amazonaws.sts#Credentials",
            member: "SessionToken",
        },
        mirrors: "a session token is a secret though the model does not mark it `@sensitive`; the SDKs redact \
                  it",
    },
    Customization {
        service: DYNAMODB,
        change: Change::ResponseCrc32 {
            header: "x-amz-crc32",
        },
        mirrors: "DynamoDB sends the CRC-32 of each response body; botocore checks it and retries a response \
                  that does not match",
    },
];

/// S3's addressing, for an S3 model without a rule set (the SDKs'
/// hand-written rules before rule sets): virtual-host style for buckets
/// that are valid DNS labels, path style otherwise or when asked, the
/// dual-stack and accelerate hosts, and a custom endpoint.
const S3_ADDRESSING: &str = r#"{
  "version": "1.0",
  "parameters": {
    "Bucket": {"type": "string", "required": false},
    "Region": {"type": "string", "builtIn": "AWS::Region", "required": false},
    "UseDualStack": {"type": "boolean", "builtIn": "AWS::UseDualStack", "required": true, "default": false},
    "Accelerate": {"type": "boolean", "builtIn": "AWS::S3::Accelerate", "required": true, "default": false},
    "ForcePathStyle": {"type": "boolean", "builtIn": "AWS::S3::ForcePathStyle", "required": true, "default": false},
    "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint", "required": false}
  },
  "rules": [
    {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
      {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}], "rules": [
        {"type": "tree", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
            {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}], "rules": [
          {"type": "endpoint", "conditions": [
              {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
              {"fn": "booleanEquals", "argv": [{"ref": "ForcePathStyle"}, false]},
              {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]},
              {"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}, false]}],
           "endpoint": {"url": "{url#scheme}://{Bucket}.{url#authority}{url#path}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
          {"type": "endpoint", "conditions": [
              {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
              {"fn": "uriEncode", "argv": [{"ref": "Bucket"}], "assign": "b"}],
           "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}{b}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
          {"type": "endpoint", "conditions": [],
           "endpoint": {"url": "{url#scheme}://{url#authority}{url#path}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}}
        ]},
        {"type": "tree", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
            {"fn": "booleanEquals", "argv": [{"ref": "ForcePathStyle"}, false]},
            {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]}], "rules": [
          {"type": "endpoint", "conditions": [
              {"fn": "booleanEquals", "argv": [{"ref": "Accelerate"}, true]},
              {"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
           "endpoint": {"url": "https://{Bucket}.s3-accelerate.dualstack.{p#dnsSuffix}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
          {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Accelerate"}, true]}],
           "endpoint": {"url": "https://{Bucket}.s3-accelerate.{p#dnsSuffix}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
          {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
           "endpoint": {"url": "https://{Bucket}.s3.dualstack.{Region}.{p#dnsSuffix}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
          {"type": "endpoint", "conditions": [],
           "endpoint": {"url": "https://{Bucket}.s3.{Region}.{p#dnsSuffix}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}}
        ]},
        {"type": "tree", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
            {"fn": "uriEncode", "argv": [{"ref": "Bucket"}], "assign": "b"}], "rules": [
          {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
           "endpoint": {"url": "https://s3.dualstack.{Region}.{p#dnsSuffix}/{b}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
          {"type": "endpoint", "conditions": [],
           "endpoint": {"url": "https://s3.{Region}.{p#dnsSuffix}/{b}", "properties": {"authSchemes": [
              {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}}
        ]},
        {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
         "endpoint": {"url": "https://s3.dualstack.{Region}.{p#dnsSuffix}", "properties": {"authSchemes": [
            {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}},
        {"type": "endpoint", "conditions": [],
         "endpoint": {"url": "https://s3.{Region}.{p#dnsSuffix}", "properties": {"authSchemes": [
            {"name": "sigv4", "signingName": "s3", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}, "headers": {}}}
      ]}
    ]},
    {"type": "error", "conditions": [], "error": "A region must be set when sending requests to S3."}
  ]
}"#;

/// The customisations of a service.
pub(crate) fn for_service(service: &str) -> Vec<&'static Customization> {
    TABLE.iter().filter(|c| c.service == service).collect()
}

/// Applies the member-level customisations of `custom` to the fields of
/// the structure `shape` (the member targets by wire name in `targets`).
pub(crate) fn apply_to_fields(
    custom: &[&'static Customization],
    shape: &str,
    fields: &mut Vec<Field>,
    target_of: &dyn Fn(&str) -> Option<String>,
) {
    for c in custom {
        match &c.change {
            Change::TrimLabelPrefixes { targets, prefixes } => {
                for f in fields.iter_mut() {
                    let labelled = matches!(f.location, crate::ir::Location::Label { .. });
                    let hit =
                        target_of(&f.wire_name).is_some_and(|t| targets.contains(&t.as_str()));
                    if labelled && hit {
                        f.trim_prefixes = prefixes.iter().map(|p| p.to_string()).collect();
                    }
                }
            }
            Change::LabelDefault { member, value } => {
                for f in fields.iter_mut() {
                    let labelled = matches!(f.location, crate::ir::Location::Label { .. });
                    if labelled && f.wire_name == *member {
                        f.label_default = Some(value.to_string());
                    }
                }
            }
            Change::Redact { shape: s, member } if *s == shape => {
                for f in fields.iter_mut().filter(|f| f.wire_name == *member) {
                    f.redact = true;
                }
            }
            Change::LenientHeader {
                shapes,
                member,
                raw,
            } if shapes.contains(&shape) => {
                let Some(i) = fields.iter().position(|f| f.wire_name == *member) else {
                    continue;
                };
                if fields.iter().any(|f| f.wire_name == *raw) {
                    continue;
                }
                fields[i].lenient = true;
                let mut text = fields[i].clone();
                text.wire_name = raw.to_string();
                text.json_name = raw.to_string();
                text.xml_name = raw.to_string();
                text.query_name = raw.to_string();
                let name = crate::naming::field_name(raw);
                text.label = crate::naming::split_raw(&name).1.to_string();
                text.setter = crate::naming::setter_name(&name);
                text.name = name;
                text.ty = crate::ir::Type::String;
                text.lenient = false;
                text.optional = true;
                text.default = None;
                text.constraints = Vec::new();
                text.docs = vec![format!(
                    "The `{}` header as sent, whether or not it parses as a date (customisation: {}).",
                    member, c.mirrors
                )];
                fields.insert(i + 1, text);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Service, TypeDef};

    /// A one-operation model of the service `service` (restXml or
    /// awsJson1_0) with the shapes given.
    fn lowered(service: &str, protocol: &str, op: &str, shapes: &str) -> Service {
        let ns = service.split('#').next().unwrap_or_default();
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{"{service}":{{"type":"service","version":"2013-04-01",
              "operations":[{{"target":"{ns}#{op}"}}],"traits":{{"{protocol}":{{}}}}}},{shapes}}}}}"#
        );
        let model = crate::model::Loaded::from_text("t.json", &text).unwrap();
        crate::lower::lower(
            &model,
            &crate::lower::Request {
                module: "svc",
                service: None,
                operations: &[],
                all: true,
                model_docs: false,
                protocol: None,
            },
        )
        .unwrap()
    }

    fn structure<'a>(s: &'a Service, name: &str) -> &'a crate::ir::Struct {
        s.types
            .iter()
            .find_map(|t| match t {
                TypeDef::Struct(x) if x.name == name => Some(x),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn route53_labels_lose_their_prefixes_and_s3_errors_have_codes() {
        let s = lowered(
            ROUTE53,
            "aws.protocols#restXml",
            "GetHostedZone",
            r#""com.amazonaws.route53#GetHostedZone":{"type":"operation","input":{"target":"com.amazonaws.route53#In"},
                 "traits":{"smithy.api#http":{"method":"GET","uri":"/2013-04-01/hostedzone/{Id}"}}},
               "com.amazonaws.route53#In":{"type":"structure","members":{
                 "Id":{"target":"com.amazonaws.route53#ResourceId","traits":{"smithy.api#required":{},"smithy.api#httpLabel":{}}}}},
               "com.amazonaws.route53#ResourceId":{"type":"string"}"#,
        );
        let id = &structure(&s, "In").fields[0];
        assert_eq!(
            id.trim_prefixes,
            ["/hostedzone/", "/change/", "/delegationset/"]
        );
        assert!(s.operations[0].custom.status_codes.is_empty());
        assert!(
            s.protocol_info.status_code_errors,
            "restXml reads bodiless errors by status"
        );
    }

    #[test]
    fn dynamodb_checks_crc32_and_sts_redacts_session_tokens() {
        let s = lowered(
            DYNAMODB,
            "aws.protocols#awsJson1_0",
            "ListTables",
            r#""com.amazonaws.dynamodb#ListTables":{"type":"operation"}"#,
        );
        let op = &s.operations[0];
        assert_eq!(op.custom.response_crc32.as_deref(), Some("x-amz-crc32"));
        assert_eq!(op.custom.notes.len(), 1);
        let s = lowered(
            STS,
            "aws.protocols#awsQuery",
            "GetSessionToken",
            r#""com.amazonaws.sts#GetSessionToken":{"type":"operation","output":{"target":"com.amazonaws.sts#Out"}},
               "com.amazonaws.sts#Out":{"type":"structure","members":{"Credentials":{"target":"com.amazonaws.sts#Credentials"}}},
               "com.amazonaws.sts#Credentials":{"type":"structure","members":{
                 "AccessKeyId":{"target":"smithy.api#String"},"SessionToken":{"target":"smithy.api#String"}}}"#,
        );
        let creds = structure(&s, "Credentials");
        assert!(!creds.fields[0].redact);
        assert!(creds.fields[1].redact, "SessionToken");
    }

    #[test]
    fn an_s3_model_without_rules_gets_the_addressing_rules_and_expires_string() {
        let s = lowered(
            S3,
            "aws.protocols#restXml",
            "GetObject",
            r#""com.amazonaws.s3#GetObject":{"type":"operation","input":{"target":"com.amazonaws.s3#In"},
                 "output":{"target":"com.amazonaws.s3#GetObjectOutput"},
                 "traits":{"smithy.api#http":{"method":"GET","uri":"/{Bucket}/{Key+}"}}},
               "com.amazonaws.s3#In":{"type":"structure","members":{
                 "Bucket":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#httpLabel":{}}},
                 "Key":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#httpLabel":{}}}}},
               "com.amazonaws.s3#GetObjectOutput":{"type":"structure","members":{
                 "Expires":{"target":"smithy.api#Timestamp","traits":{"smithy.api#httpHeader":"Expires"}}}}"#,
        );
        let rules = s.endpoint.as_ref().expect("the customisation's rule set");
        assert!(rules.params.iter().any(|p| p.name == "ForcePathStyle"));
        let op = &s.operations[0];
        assert_eq!(op.custom.status_codes, [(404, "NotFound".to_string())]);
        assert!(!op.endpoint_context.is_empty(), "Bucket sets the parameter");
        let route = op.http.as_ref().unwrap();
        assert_eq!(
            route.path.len(),
            2,
            "the bucket left to the endpoint: {route:?}"
        );
        assert!(!op.custom.aws_chunked, "GetObject sends no body");
        let out = structure(&s, "GetObjectOutput");
        let names: Vec<&str> = out.fields.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(names, ["Expires", "ExpiresString"]);
        assert!(out.fields[0].lenient && !out.fields[1].lenient);
        assert_eq!(out.fields[1].ty, crate::ir::Type::String);
    }

    #[test]
    fn s3_streams_uploads_aws_chunked() {
        let s = lowered(
            S3,
            "aws.protocols#restXml",
            "PutObject",
            r#""com.amazonaws.s3#PutObject":{"type":"operation","input":{"target":"com.amazonaws.s3#In"},
                 "traits":{"smithy.api#http":{"method":"PUT","uri":"/{Bucket}/{Key+}"}}},
               "com.amazonaws.s3#In":{"type":"structure","members":{
                 "Bucket":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#httpLabel":{}}},
                 "Key":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#httpLabel":{}}},
                 "Body":{"target":"com.amazonaws.s3#Body","traits":{"smithy.api#httpPayload":{}}}}},
               "com.amazonaws.s3#Body":{"type":"blob","traits":{"smithy.api#streaming":{}}}"#,
        );
        let op = &s.operations[0];
        assert!(op.custom.aws_chunked);
        assert!(op.custom.notes.iter().any(|n| n.contains("aws-chunked")));
        assert_eq!(
            structure(&s, "In").fields[2].ty,
            crate::ir::Type::ByteStream
        );
    }

    #[test]
    fn every_row_names_a_service_and_its_sdk_behaviour() {
        for c in TABLE {
            assert!(c.service.contains('#'), "{c:?}");
            assert!(c.mirrors.len() > 40, "{c:?}");
        }
        let rules: serde_json::Value = serde_json::from_str(S3_ADDRESSING).unwrap();
        assert!(rules["rules"].is_array());
        assert_eq!(for_service(GLACIER).len(), 3);
        assert!(for_service("a#Other").is_empty());
    }
}
