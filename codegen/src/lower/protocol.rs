//! What a service's protocol decides: which protocol a service is
//! generated for, what the protocol fixes (`ProtocolInfo`), which streaming
//! members it can carry, and its XML names.

use serde_json::Value;

use crate::ast::{Member, Shape};
use crate::error::Error;
use crate::ir::*;
use crate::model::{self, Loaded};

/// Why an operation cannot be generated yet, if it cannot: a `@streaming`
/// member in its input or output: an event stream, or a streaming blob
/// outside a REST protocol's payload (REST protocols take those, buffered).
pub(super) fn unsupported_reason(
    model: &Loaded,
    op_id: &str,
    protocol: Protocol,
) -> Result<Option<String>, Error> {
    let op = model.shape(op_id)?;
    for (side, r) in [("input", &op.input), ("output", &op.output)] {
        let Some(r) = r else { continue };
        if r.target == model::UNIT {
            continue;
        }
        if let Some((m, t)) = streaming_member(model, &r.target, protocol, side == "input")? {
            let what = match t.kind.as_str() {
                "union" => "an event stream",
                _ => "a streaming blob",
            };
            return Ok(Some(format!(
                "its {side} member `{m}` is {what} (`@streaming`), not supported yet"
            )));
        }
    }
    Ok(None)
}

/// The first member of a structure that targets a `@streaming` shape the
/// generator cannot carry, with that shape: an event stream, or a streaming
/// blob that is not a REST protocol's `@httpPayload`.
pub(super) fn streaming_member<'m>(
    model: &'m Loaded,
    id: &str,
    protocol: Protocol,
    input: bool,
) -> Result<Option<(&'m str, &'m Shape)>, Error> {
    let owner = model.shape(id)?;
    for (m, member) in owner.members.iter() {
        let t = model.shape(&member.target)?;
        let supported = supported_stream(protocol, member, t, input);
        if t.has_trait("smithy.api#streaming") && !supported {
            return Ok(Some((m.as_str(), t)));
        }
    }
    Ok(None)
}

/// Whether a `@streaming` member of `owner` can be carried: a REST
/// protocol's payload, a blob (streamed both ways) or an event stream (a
/// union, read message by message); or, on awsJson, an output's event
/// stream (the body; the output's other members arrive in its first,
/// `initial-response` event). Event streams are read from outputs and, on
/// restJson1, sent from inputs (`input`: `owner` is an operation's input).
pub(super) fn supported_stream(
    protocol: Protocol,
    member: &Member,
    target: &Shape,
    input: bool,
) -> bool {
    if protocol.is_aws_json() {
        return target.kind == "union" && !input;
    }
    protocol.is_rest()
        && match target.kind.as_str() {
            "blob" => true,
            "union" => !(input && protocol.is_xml()),
            _ => false,
        }
        && member.traits.contains_key("smithy.api#httpPayload")
}

/// The supported protocol a service shape declares, if any (awsJson1_1
/// first, as lowering has always preferred it).
pub(crate) fn declared_protocol(service: &Shape) -> Option<Protocol> {
    Protocol::ALL
        .into_iter()
        .find(|p| service.has_trait(p.trait_id()))
}

/// The protocol a selection names, which the service must declare.
pub(super) fn chosen_protocol(
    model: &Loaded,
    service_id: &str,
    service: &Shape,
    name: &str,
) -> Result<Protocol, Error> {
    let declared: Vec<Protocol> = Protocol::ALL
        .into_iter()
        .filter(|p| service.has_trait(p.trait_id()))
        .collect();
    declared
        .iter()
        .copied()
        .find(|p| p.name() == name)
        .ok_or_else(|| Error::Selection {
            file: model.file.clone(),
            message: format!(
                "service {service_id} does not speak protocol `{name}`; it declares {}",
                if declared.is_empty() {
                    "none this generator speaks".to_string()
                } else {
                    declared
                        .iter()
                        .map(|p| format!("`{}`", p.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        })
}

/// What each protocol fixes.
pub(crate) fn protocol_info(protocol: Protocol) -> ProtocolInfo {
    let (content_type, error_type_form) = match protocol {
        Protocol::AwsJson1_0 => ("application/x-amz-json-1.0", ErrorTypeForm::ShapeId),
        Protocol::AwsJson1_1 => ("application/x-amz-json-1.1", ErrorTypeForm::ShapeName),
        Protocol::AwsQuery | Protocol::Ec2Query => (
            "application/x-www-form-urlencoded",
            ErrorTypeForm::ShapeName,
        ),
        Protocol::RestJson1 => ("application/json", ErrorTypeForm::ShapeName),
        Protocol::RestXml => ("application/xml", ErrorTypeForm::ShapeName),
        Protocol::RpcV2Cbor => ("application/cbor", ErrorTypeForm::ShapeId),
    };
    let family = match protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => ProtocolFamily::AwsJson,
        Protocol::AwsQuery | Protocol::Ec2Query => ProtocolFamily::Query,
        Protocol::RestJson1 => ProtocolFamily::RestJson,
        Protocol::RestXml => ProtocolFamily::RestXml,
        Protocol::RpcV2Cbor => ProtocolFamily::RpcV2,
    };
    let body_format = match family {
        ProtocolFamily::AwsJson | ProtocolFamily::RestJson => BodyFormat::Json,
        ProtocolFamily::Query | ProtocolFamily::RestXml => BodyFormat::Xml,
        ProtocolFamily::RpcV2 => BodyFormat::Cbor,
    };
    ProtocolInfo {
        protocol,
        family,
        body_format,
        json_version: if protocol == Protocol::AwsJson1_0 {
            JsonVersion::V1_0
        } else {
            JsonVersion::V1_1
        },
        server: family == ProtocolFamily::AwsJson,
        content_type: content_type.into(),
        error_type_form,
        flat_query_lists: protocol == Protocol::Ec2Query,
        empty_query_lists: protocol == Protocol::AwsQuery,
        result_wrapper: protocol == Protocol::AwsQuery,
        no_error_wrapping: false,
        xml_namespace: None,
        status_code_errors: protocol == Protocol::RestXml,
    }
}

/// A `@timestampFormat` value.
pub(super) fn timestamp_format(name: &str) -> Option<TimestampFormat> {
    match name {
        "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
        "date-time" => Some(TimestampFormat::DateTime),
        "http-date" => Some(TimestampFormat::HttpDate),
        _ => None,
    }
}

/// An `@xmlNamespace` trait value as `(prefix, uri)`.
pub(super) fn xml_namespace(traits: &crate::ast::Traits) -> Option<(String, String)> {
    let ns = traits.get("smithy.api#xmlNamespace")?;
    let uri = ns.get("uri").and_then(Value::as_str)?;
    let prefix = ns.get("prefix").and_then(Value::as_str).unwrap_or_default();
    Some((prefix.to_string(), uri.to_string()))
}

/// A member's `@xmlName`, if it has one.
pub(super) fn xml_name(m: &crate::ast::Member) -> Option<&str> {
    m.traits.get("smithy.api#xmlName").and_then(Value::as_str)
}

/// The unions event streams carry, each once, in type order, with the
/// ways their events go.
pub(super) fn event_unions(types: &[TypeDef]) -> Vec<EventUnion> {
    let mut out: Vec<EventUnion> = Vec::new();
    for t in types {
        let TypeDef::Struct(s) = t else { continue };
        for f in &s.fields {
            let (u, sent) = match &f.ty {
                Type::EventStream(u) => (u, false),
                Type::EventSender(u) => (u, true),
                _ => continue,
            };
            if !matches!(types.get(u.id.0), Some(TypeDef::Union(_))) {
                continue;
            }
            let entry = match out.iter().position(|e| e.id == u.id) {
                Some(i) => &mut out[i],
                None => {
                    out.push(EventUnion {
                        id: u.id,
                        received: false,
                        sent: false,
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            if sent {
                entry.sent = true;
            } else {
                entry.received = true;
            }
        }
    }
    out
}

/// The runtime modules a service's code calls: its protocol family's and,
/// when it streams events, the framing.
pub(super) fn runtime_needs(info: &ProtocolInfo, event_unions: &[EventUnion]) -> RuntimeNeeds {
    RuntimeNeeds {
        xml: info.body_format == BodyFormat::Xml,
        rest: matches!(
            info.family,
            ProtocolFamily::RestJson | ProtocolFamily::RestXml
        ),
        cbor: info.family == ProtocolFamily::RpcV2,
        event_stream: !event_unions.is_empty(),
        http2: event_unions.iter().any(|e| e.sent),
    }
}
