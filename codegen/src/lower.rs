//! Stage 2: a loaded model plus a selection becomes an [`crate::ir::Service`].
//! Every decision about the generated code is made here, once: Rust names
//! (through [`crate::naming`]), nullability, boxing, redaction, defaults,
//! constructors, docs, error metadata and the protocol and signing facts.
//! Emitters read the result and decide nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ast::{Member, Shape};
use crate::docs;
use crate::error::Error;
use crate::ir::*;
use crate::model::{self, shape_name, Loaded};
use crate::naming;
use passes::*;
use protocol::*;

pub(crate) mod cases;
pub(crate) mod customizations;
mod discovery;
pub(crate) mod endpoints;
mod http;
pub(crate) mod jmespath;
#[cfg(test)]
mod jmespath_compliance;
mod passes;
mod protocol;
mod service;
pub(crate) mod waiters;

/// What to lower.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Rust module name for the service.
    pub module: &'a str,
    /// Service shape id or name; `None` when the model has exactly one.
    pub service: Option<&'a str>,
    /// Operation names; empty with `all` to take every operation.
    pub operations: &'a [String],
    /// Take every operation of the service.
    pub all: bool,
    /// Render model documentation.
    pub model_docs: bool,
    /// The protocol to speak, by name, when the service declares several.
    pub protocol: Option<&'a str>,
}

const SENSITIVE: &str = "smithy.api#sensitive";

/// Lowers one service: a list of named passes over shape ids and the
/// lowered operations and types (see `lower/service.rs`).
pub fn lower(model: &Loaded, req: &Request<'_>) -> Result<Service, Error> {
    let service_id = model.service_id(req.service)?;
    let service = model.shape(&service_id)?;
    let protocol = service::protocol(model, &service_id, service, req.protocol)?;
    let (op_ids, skipped) =
        service::selected_operations(model, &service_id, service, req, protocol)?;
    let service_errors = model.service_errors(&service_id)?;
    let mut cx = Lowering::new(model, req, &service_id, service, protocol);
    let closure = cx.name_shapes(service, &op_ids, &service_errors)?;
    let endpoint = cx.endpoint_rules(&service_id, service)?;
    let mut operations = op_ids
        .iter()
        .map(|id| cx.operation(id, &service_errors, endpoint.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    cx.lower_types(&closure)?;
    cx.name_error_enums(&op_ids, &mut operations, &service_id)?;
    let mut types: Vec<TypeDef> = std::mem::take(&mut cx.types).into_values().collect();
    service::mark_unwrapped_outputs(model, &op_ids, &mut types)?;
    let aws_json = protocol.is_aws_json();
    service::type_passes(&model.file, &mut types, &mut operations, aws_json)?;
    let mut left_out =
        service::paginators_and_waiters(model, service, &op_ids, &mut operations, &types)?;
    let endpoint_discovery =
        service::endpoint_discovery_or_why(service, &operations, &types, &mut left_out);
    service::name_client_methods(&mut operations);
    let lowered = service::Lowered {
        operations,
        types,
        endpoint,
        skipped,
        left_out,
        endpoint_discovery,
    };
    Ok(lowered.into_service(req, &service_id, service, protocol))
}

fn is_named(shape: &Shape) -> bool {
    matches!(
        shape.kind.as_str(),
        "structure" | "union" | "enum" | "intEnum"
    ) || (shape.kind == "string" && shape.has_trait("smithy.api#enum"))
}

fn check_collisions<'a>(
    file: &str,
    scope: &str,
    names: impl IntoIterator<Item = (&'a str, String)>,
) -> Result<(), Error> {
    match naming::find_collision(names) {
        Some((first, second, rust_name)) => Err(Error::Collision {
            file: file.to_string(),
            scope: scope.to_string(),
            first: first.to_string(),
            second: second.to_string(),
            rust_name,
        }),
        None => Ok(()),
    }
}

fn doc_paragraphs(traits: &crate::ast::Traits, enabled: bool) -> Vec<String> {
    if !enabled {
        return Vec::new();
    }
    match traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
    {
        Some(html) => {
            let md = docs::html_to_markdown(html);
            if md.trim().is_empty() {
                Vec::new()
            } else {
                vec![md]
            }
        }
        None => Vec::new(),
    }
}

struct Lowering<'m> {
    model: &'m Loaded,
    renames: BTreeMap<String, String>,
    model_docs: bool,
    /// Shape id → Rust type name.
    names: BTreeMap<String, String>,
    /// Operation shape id → Rust name of its unit struct.
    op_names: BTreeMap<String, String>,
    /// Rust type name → id.
    ids: BTreeMap<String, TypeId>,
    types: BTreeMap<String, TypeDef>,
    /// The `X-Amz-Target` prefix.
    target_prefix: String,
    /// The service's protocol (timestamp defaults, what it can carry).
    protocol: Protocol,
    /// Whether the service is `@awsQueryCompatible`.
    query_compatible: bool,
    /// The customisations of the service (`lower/customizations.rs`).
    custom: Vec<&'static customizations::Customization>,
    /// Input members that set endpoint parameters of a rule set a
    /// customisation supplied: (member, parameter).
    custom_context: &'static [(&'static str, &'static str)],
    /// The service's API version.
    version: String,
}

impl<'m> Lowering<'m> {
    /// The state of lowering `service` (`service_id`) of `model` for `req`.
    fn new(
        model: &'m Loaded,
        req: &Request<'_>,
        service_id: &str,
        service: &Shape,
        protocol: Protocol,
    ) -> Self {
        Lowering {
            model,
            renames: service.rename.clone(),
            model_docs: req.model_docs,
            names: BTreeMap::new(),
            op_names: BTreeMap::new(),
            ids: BTreeMap::new(),
            types: BTreeMap::new(),
            target_prefix: shape_name(service_id).to_string(),
            protocol,
            query_compatible: service.has_trait("aws.protocols#awsQueryCompatible"),
            custom: customizations::for_service(service_id),
            custom_context: &[],
            version: service.version.clone().unwrap_or_default(),
        }
    }
}

impl Lowering<'_> {
    fn err(&self, shape: &str, message: impl Into<String>) -> Error {
        Error::Unsupported {
            file: self.model.file.clone(),
            shape: shape.to_string(),
            message: message.into(),
        }
    }

    fn reserve(&mut self, id: &str) -> Result<String, Error> {
        if let Some(n) = self.names.get(id) {
            return Ok(n.clone());
        }
        let base = self
            .renames
            .get(id)
            .map(String::as_str)
            .unwrap_or_else(|| shape_name(id));
        let name = naming::type_name(base);
        self.names.insert(id.to_string(), name.clone());
        Ok(name)
    }

    fn type_name(&self, id: &str) -> Result<String, Error> {
        self.names
            .get(id)
            .cloned()
            .ok_or_else(|| self.err(id, "shape outside the selection closure"))
    }

    fn type_ref(&self, id: &str, kind: NamedKind) -> Result<TypeRef, Error> {
        let name = self.type_name(id)?;
        let id = *self
            .ids
            .get(&name)
            .ok_or_else(|| self.err(id, "shape outside the selection closure"))?;
        Ok(TypeRef { id, name, kind })
    }

    fn operation(
        &mut self,
        id: &str,
        service_errors: &[String],
        endpoint: Option<&EndpointRules>,
    ) -> Result<Operation, Error> {
        let shape = self.model.shape(id)?;
        if shape.kind != "operation" {
            return Err(self.err(id, format!("expected an operation, found a {}", shape.kind)));
        }
        let wire_name = shape_name(id).to_string();
        let name = match self.op_names.get(id) {
            Some(n) => n.clone(),
            None => naming::type_name(
                self.renames
                    .get(id)
                    .map(String::as_str)
                    .unwrap_or(&wire_name),
            ),
        };
        let io = |r: &Option<crate::ast::Ref>| -> Result<Option<TypeRef>, Error> {
            match r {
                None => Ok(None),
                Some(r) if r.target == model::UNIT => Ok(None),
                Some(r) => {
                    let s = self.model.shape(&r.target)?;
                    if s.kind != "structure" {
                        return Err(self.err(
                            id,
                            format!(
                                "input/output `{}` is a {}, not a structure",
                                r.target, s.kind
                            ),
                        ));
                    }
                    self.type_ref(&r.target, NamedKind::Struct).map(Some)
                }
            }
        };
        let input = io(&shape.input)?;
        let output = io(&shape.output)?;
        let mut errors = Vec::new();
        let mut error_ids: Vec<&str> = Vec::new();
        let mut seen = BTreeSet::new();
        for e in shape
            .errors
            .iter()
            .map(|r| &r.target)
            .chain(service_errors.iter())
        {
            if !seen.insert(e.clone()) {
                continue;
            }
            let es = self.model.shape(e)?;
            if es.kind != "structure" || !es.has_trait("smithy.api#error") {
                return Err(self.err(
                    id,
                    format!("error `{e}` is not a structure with the @error trait"),
                ));
            }
            let ty = self.type_ref(e, NamedKind::Struct)?;
            // The enum's own catch-all is `Unhandled`; a modeled error of that name moves aside.
            let variant = naming::error_variant_name(&ty.name);
            error_ids.push(e);
            errors.push(ErrorCase {
                code: self.error_code(e, es),
                variant,
                ty,
            });
        }
        // `<Op>Error`, unless a model shape already has that name.
        let error_name = naming::error_enum_name(&name, |n| self.ids.contains_key(n));
        let variants: Vec<String> = errors.iter().map(|e| e.variant.clone()).collect();
        for (e, v) in errors
            .iter_mut()
            .zip(naming::distinct(&variants, &[naming::UNHANDLED_VARIANT]))
        {
            e.variant = v;
        }
        for (r, input) in [(&shape.input, true), (&shape.output, false)] {
            if let Some(r) = r {
                self.check_streaming(&r.target, input)?;
            }
        }
        let host_prefix = self.host_prefix(id, shape)?;
        let gzip_request = shape
            .traits
            .get("smithy.api#requestCompression")
            .and_then(|t| t.get("encodings"))
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|e| e.as_str() == Some("gzip")));
        let input_shape = match &shape.input {
            Some(r) if r.target != model::UNIT => Some(self.model.shape(&r.target)?),
            _ => None,
        };
        let mut endpoint_context =
            endpoints::operation_context(self.model, id, shape, input_shape, endpoint)?;
        // Input members a customisation's rule set reads, by name.
        for (member, param) in self.custom_context {
            let index = endpoint.and_then(|r| r.params.iter().position(|p| p.name == *param));
            let field = input_shape.and_then(|s| s.members.iter().position(|(n, _)| n == member));
            if let (Some(param), Some(field)) = (index, field) {
                if !endpoint_context.iter().any(|c| c.param == param) {
                    endpoint_context.push(EndpointContext {
                        param,
                        source: EndpointSource::Member(field),
                    });
                }
            }
        }
        let http = if self.protocol.is_rest() {
            // Labels whose value the endpoint rule set writes into the URL
            // (S3's bucket) leave the path to it.
            let placed = endpoint.map(endpoints::url_params).unwrap_or_default();
            let owned: Vec<usize> = endpoint_context
                .iter()
                .filter(|c| placed.contains(&c.param))
                .filter_map(|c| match c.source {
                    EndpointSource::Member(field) => Some(field),
                    EndpointSource::Static(_) => None,
                })
                .collect();
            Some(self.http_route(id, shape, input_shape, &owned)?)
        } else {
            None
        };
        let request_checksum = self.request_checksum(id, shape, input_shape)?;
        Ok(Operation {
            http,
            request_checksum,
            client_method: naming::client_method_name(&name),
            target: format!("{}.{wire_name}", self.target_prefix),
            wire_name,
            name,
            error_name,
            input,
            output,
            errors,
            host_prefix,
            gzip_request,
            served: true,
            initial_response: false,
            endpoint_context,
            paginator: None,
            waiters: Vec::new(),
            custom: self.operation_customizations(shape_name(id), input_shape),
            discovered_endpoint: discovery::discovered_endpoint(shape),
            docs: doc_paragraphs(&shape.traits, self.model_docs),
        })
    }

    /// What the service's customisations add to operation `name`.
    fn operation_customizations(
        &self,
        name: &str,
        input: Option<&Shape>,
    ) -> OperationCustomizations {
        use customizations::Change;
        let mut out = OperationCustomizations::default();
        let field_of =
            |member: &str| input.and_then(|s| s.members.iter().position(|(n, _)| n == member));
        for c in &self.custom {
            let applied = match &c.change {
                Change::StatusCodes(codes) => {
                    out.status_codes
                        .extend(codes.iter().map(|(s, c)| (*s, c.to_string())));
                    true
                }
                Change::Header { name, value } => {
                    out.headers
                        .push((name.to_string(), value.replace("{version}", &self.version)));
                    true
                }
                Change::TreeHash { operations } if operations.contains(&name) => {
                    out.tree_hash = true;
                    true
                }
                Change::EndpointFromMember { operation, member } if *operation == name => {
                    out.endpoint_member = field_of(member);
                    out.endpoint_member.is_some()
                }
                Change::ErrorOnSuccess { operations } if operations.contains(&name) => {
                    out.error_on_success = true;
                    true
                }
                Change::ResponseCrc32 { header } => {
                    out.response_crc32 = Some(header.to_string());
                    true
                }
                Change::ChunkedUploads if input.is_some_and(|s| self.streams_blob(s)) => {
                    out.aws_chunked = true;
                    true
                }
                _ => false,
            };
            if applied {
                out.notes.push(c.mirrors.to_string());
            }
        }
        out
    }

    /// Whether structure `s` has a member targeting a `@streaming` blob.
    fn streams_blob(&self, s: &Shape) -> bool {
        s.members.iter().any(|(_, m)| {
            self.model
                .shapes
                .get(&m.target)
                .is_some_and(|t| t.kind == "blob" && t.has_trait("smithy.api#streaming"))
        })
    }

    /// What `@httpChecksum` (`requestChecksumRequired`,
    /// `requestAlgorithmMember`) or `@httpChecksumRequired` ask of the
    /// operation's requests; the algorithm member must be a string or enum
    /// member of the input.
    fn request_checksum(
        &self,
        id: &str,
        shape: &Shape,
        input: Option<&Shape>,
    ) -> Result<Option<RequestChecksum>, Error> {
        let flexible = shape.traits.get("aws.protocols#httpChecksum");
        let required = shape.has_trait("smithy.api#httpChecksumRequired")
            || flexible
                .and_then(|t| t.get("requestChecksumRequired"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
        let field = |key: &str| -> Result<Option<usize>, Error> {
            let Some(name) = flexible.and_then(|t| t.get(key)).and_then(Value::as_str) else {
                return Ok(None);
            };
            let found = input.and_then(|i| {
                i.members
                    .iter()
                    .position(|(k, _)| k == name)
                    .map(|at| (at, &i.members.0[at].1))
            });
            let Some((at, m)) = found else {
                return Err(self.err(
                    id,
                    format!(
                        "@httpChecksum names `{name}` as its {key}, which the input does not have"
                    ),
                ));
            };
            let kind = self.model.shape(&m.target)?.kind.as_str();
            if !matches!(kind, "string" | "enum") {
                return Err(self.err(
                    id,
                    format!(
                        "@httpChecksum's {key} `{name}` must be a string or enum, not a {kind}"
                    ),
                ));
            }
            Ok(Some(at))
        };
        let algorithm_field = field("requestAlgorithmMember")?;
        let validation_field = field("requestValidationModeMember")?;
        let offered: Vec<String> = flexible
            .and_then(|t| t.get("responseAlgorithms"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .collect()
            })
            .unwrap_or_default();
        // The SDKs' order of preference, of the algorithms computed here.
        let response_algorithms = if validation_field.is_some() {
            ["crc64nvme", "crc32c", "crc32"]
                .into_iter()
                .filter(|a| offered.iter().any(|o| o == a))
                .map(String::from)
                .collect()
        } else {
            Vec::new()
        };
        let asked = required || algorithm_field.is_some() || validation_field.is_some();
        Ok(asked.then_some(RequestChecksum {
            required,
            algorithm_field,
            validation_field,
            response_algorithms,
            // The legacy trait alone: `Content-MD5`, as it was defined.
            content_md5: shape.has_trait("smithy.api#httpChecksumRequired") && flexible.is_none(),
        }))
    }

    /// The `@endpoint` host prefix in parts: text, and `{label}`s naming
    /// `@hostLabel` string members of the input.
    fn host_prefix(&self, id: &str, shape: &Shape) -> Result<Vec<HostPrefixPart>, Error> {
        let Some(template) = shape
            .traits
            .get("smithy.api#endpoint")
            .and_then(|e| e.get("hostPrefix"))
            .and_then(Value::as_str)
        else {
            return Ok(Vec::new());
        };
        let input = match &shape.input {
            Some(r) if r.target != model::UNIT => Some(self.model.shape(&r.target)?),
            _ => None,
        };
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                parts.push(HostPrefixPart::Literal(rest.to_string()));
                break;
            };
            if open > 0 {
                parts.push(HostPrefixPart::Literal(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
                self.err(id, format!("host prefix `{template}` has an unclosed `{{`"))
            })?;
            let label = &rest[open + 1..close];
            let member = input.and_then(|i| i.members.get(label));
            let ok = match member {
                Some(m) => {
                    m.traits.contains_key("smithy.api#hostLabel")
                        && self.model.shape(&m.target)?.kind == "string"
                }
                None => false,
            };
            if !ok {
                return Err(self.err(
                    id,
                    format!("host prefix label `{label}` is not a @hostLabel string member of the input"),
                ));
            }
            let field = input
                .and_then(|i| i.members.iter().position(|(k, _)| k == label))
                .unwrap_or_default();
            parts.push(HostPrefixPart::Label {
                wire_name: label.to_string(),
                field,
            });
            rest = &rest[close + 1..];
        }
        Ok(parts)
    }

    fn check_streaming(&self, id: &str, input: bool) -> Result<(), Error> {
        match streaming_member(self.model, id, self.protocol, input)? {
            Some((m, _)) => {
                let protocol = self
                    .protocol
                    .trait_id()
                    .rsplit('#')
                    .next()
                    .unwrap_or_default();
                Err(self.err(id, format!("member `{m}` is a stream (`@streaming`), which {protocol} clients here cannot carry")))
            }
            None => Ok(()),
        }
    }

    fn type_def(&self, id: &str, shape: &Shape) -> Result<TypeDef, Error> {
        let name = self.type_name(id)?;
        let docs = doc_paragraphs(&shape.traits, self.model_docs);
        let sensitive = shape.has_trait(SENSITIVE);
        match shape.kind.as_str() {
            "structure" => self
                .structure(id, shape, name, docs, sensitive)
                .map(TypeDef::Struct),
            "union" => {
                let mut variants = Vec::new();
                for (wire, m) in shape.members.iter() {
                    let ty = if m.target == model::UNIT {
                        None
                    } else {
                        Some(self.member_type(id, wire, m)?)
                    };
                    variants.push(UnionVariant {
                        json_name: self.json_name(wire, m),
                        wire_name: wire.clone(),
                        name: naming::variant_name(wire),
                        redact: !sensitive && self.redacts(m)?,
                        ty,
                        boxed: false,
                        docs: self.member_docs(m, wire, None, None)?,
                    });
                }
                let names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
                for (v, name) in variants
                    .iter_mut()
                    .zip(naming::distinct(&names, &[naming::UNKNOWN_VARIANT]))
                {
                    v.name = name;
                }
                Ok(TypeDef::Union(Union {
                    name,
                    shape_id: id.into(),
                    shape_name: shape_name(id).into(),
                    check_required: false,
                    json_codec: JsonCodecNeeds::ALWAYS,
                    docs,
                    variants,
                    sensitive,
                }))
            }
            "enum" | "intEnum" | "string" => {
                let int = shape.kind == "intEnum";
                let mut variants = Vec::new();
                // The model name of each variant, for collision messages.
                let mut sources: Vec<String> = Vec::new();
                if shape.kind == "string" {
                    let entries = shape.traits["smithy.api#enum"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    for e in entries {
                        let value = e
                            .get("value")
                            .and_then(Value::as_str)
                            .ok_or_else(|| self.err(id, "@enum entry without a string `value`"))?;
                        let vname = e.get("name").and_then(Value::as_str).unwrap_or(value);
                        let docs = match e.get("documentation").and_then(Value::as_str) {
                            Some(html) if self.model_docs => {
                                let md = docs::html_to_markdown(html);
                                if md.trim().is_empty() {
                                    Vec::new()
                                } else {
                                    vec![md]
                                }
                            }
                            _ => Vec::new(),
                        };
                        sources.push(vname.to_string());
                        variants.push(Variant {
                            name: naming::variant_name(vname),
                            value: value.into(),
                            int_value: 0,
                            docs,
                        });
                    }
                } else {
                    for (mname, m) in shape.members.iter() {
                        let ev = m.traits.get("smithy.api#enumValue");
                        let (value, int_value) = if int {
                            let v = ev
                                .and_then(Value::as_i64)
                                .filter(|v| i32::try_from(*v).is_ok())
                                .ok_or_else(|| {
                                    self.err(
                                        id,
                                        format!(
                                            "intEnum member `{mname}` needs an integer @enumValue that fits in 32 bits"
                                        ),
                                    )
                                })?;
                            (String::new(), v)
                        } else {
                            (ev.and_then(Value::as_str).unwrap_or(mname).to_string(), 0)
                        };
                        sources.push(mname.to_string());
                        variants.push(Variant {
                            name: naming::variant_name(mname),
                            value,
                            int_value,
                            docs: doc_paragraphs(&m.traits, self.model_docs),
                        });
                    }
                }
                let names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
                for (v, name) in variants
                    .iter_mut()
                    .zip(naming::distinct(&names, &[naming::UNKNOWN_VARIANT]))
                {
                    v.name = name;
                }
                Ok(TypeDef::Enum(Enum {
                    name,
                    shape_id: id.into(),
                    shape_name: shape_name(id).into(),
                    docs,
                    variants,
                    int,
                    sensitive,
                    json_codec: JsonCodecNeeds::ALWAYS,
                }))
            }
            other => Err(self.err(id, format!("cannot generate a type for a {other}"))),
        }
    }

    fn structure(
        &self,
        id: &str,
        shape: &Shape,
        name: String,
        docs: Vec<String>,
        sensitive: bool,
    ) -> Result<Struct, Error> {
        let is_input = shape.has_trait("smithy.api#input");
        let mut fields = Vec::new();
        for (wire, m) in shape.members.iter() {
            if m.target == model::UNIT {
                return Err(self.err(
                    id,
                    format!("member `{wire}` targets smithy.api#Unit, which only unions may do"),
                ));
            }
            let ty = self.member_type(id, wire, m)?;
            let required = m.traits.contains_key("smithy.api#required");
            let default = match m.traits.get("smithy.api#default") {
                None | Some(Value::Null) => None,
                Some(v) => Some(self.literal(id, wire, &ty, v)?),
            };
            // `@clientOptional` makes the member an `Option`; like botocore,
            // sending still fails when a `@required` one is unset.
            let client_optional = m.traits.contains_key("smithy.api#clientOptional");
            let optional = is_input || client_optional || (!required && default.is_none());
            let idempotency_token = m.traits.contains_key("smithy.api#idempotencyToken");
            if idempotency_token && ty != Type::String {
                return Err(self.err(
                    id,
                    format!("idempotency token `{wire}` must target a string"),
                ));
            }
            let name = naming::field_name(wire);
            let json_name = self.json_name(wire, m);
            let location = self.location(id, wire, m)?;
            fields.push(Field {
                json_name,
                location,
                xml_attribute: m.traits.contains_key("smithy.api#xmlAttribute"),
                xml_namespace: xml_namespace(&m.traits),
                label: naming::split_raw(&name).1.to_string(),
                setter: naming::setter_name(&name),
                getter: None,
                entry_setter: None,
                trim_prefixes: Vec::new(),
                label_default: None,
                lenient: false,
                name,
                redact: !sensitive && self.redacts(m)?,
                docs: self.member_docs(m, wire, Some(required), default.as_ref())?,
                constraints: self.constraints(m)?,
                wire_name: wire.clone(),
                xml_name: xml_name(m).unwrap_or(wire).to_string(),
                flattened: m.traits.contains_key("smithy.api#xmlFlattened"),
                query_name: self.query_name(wire, m),
                ty,
                optional,
                required,
                default,
                boxed: false,
                idempotency_token,
            });
        }
        // Members equal after recasing (`fooBar`, `FooBar`) are numbered
        // in model order.
        let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        for (f, name) in fields.iter_mut().zip(naming::distinct(&names, &[])) {
            if f.name != name {
                f.label = naming::split_raw(&name).1.to_string();
                f.setter = naming::setter_name(&name);
                f.name = name;
            }
        }
        let target_of = |wire: &str| {
            shape
                .members
                .iter()
                .find(|(n, _)| n.as_str() == wire)
                .map(|(_, m)| m.target.clone())
        };
        customizations::apply_to_fields(&self.custom, id, &mut fields, &target_of);
        self.check_bindings(id, &fields)?;
        let error = match shape.traits.get("smithy.api#error") {
            None => None,
            Some(fault) => {
                let client_fault = fault.as_str() != Some("server");
                let http_status = shape
                    .traits
                    .get("smithy.api#httpError")
                    .and_then(Value::as_u64)
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(if client_fault { 400 } else { 500 });
                let message_field = fields.iter().position(|f| {
                    f.wire_name.eq_ignore_ascii_case("message") && f.ty == Type::String
                });
                let retryable = shape.traits.get("smithy.api#retryable");
                let query_code = shape
                    .traits
                    .get("aws.protocols#awsQueryError")
                    .and_then(|t| t.get("code"))
                    .and_then(Value::as_str)
                    .map(String::from);
                Some(ErrorInfo {
                    code: self.error_code(id, shape),
                    client_fault,
                    http_status,
                    message_field,
                    query_code,
                    keeps_query_error: self.protocol.is_query() || self.query_compatible,
                    retryable: retryable.is_some(),
                    throttling: retryable
                        .and_then(|r| r.get("throttling"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                })
            }
        };
        let constructor = constructor(&name, &fields);
        let refuse_missing = self.is_operation_output(id)
            && fields.iter().any(|f| matches!(f.ty, Type::EventStream(_)));
        Ok(Struct {
            xml_name: shape
                .traits
                .get("smithy.api#xmlName")
                .and_then(Value::as_str)
                .unwrap_or(shape_name(id))
                .to_string(),
            xml_namespace: xml_namespace(&shape.traits),
            xml_unwrapped: false,
            name,
            shape_id: id.into(),
            shape_name: shape_name(id).into(),
            docs,
            fields,
            error,
            sensitive,
            needs_zero: false,
            constructor,
            check_required: false,
            json_codec: JsonCodecNeeds::ALWAYS,
            refuse_missing,
        })
    }

    /// A member's key in a JSON body (see `Field::json_name`).
    fn json_name(&self, wire: &str, m: &Member) -> String {
        match m.traits.get("smithy.api#jsonName").and_then(Value::as_str) {
            Some(j) if self.protocol == Protocol::RestJson1 => j.to_string(),
            _ => wire.to_string(),
        }
    }

    /// A member's key in a query request (see `Field::query_name`).
    fn query_name(&self, wire: &str, m: &Member) -> String {
        let xml = xml_name(m).unwrap_or(wire);
        if self.protocol != Protocol::Ec2Query {
            return xml.to_string();
        }
        if let Some(name) = m
            .traits
            .get("aws.protocols#ec2QueryName")
            .and_then(Value::as_str)
        {
            return name.to_string();
        }
        let mut chars = xml.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    /// An error's code on the wire: its shape name, or under awsQuery its
    /// `@awsQueryError` code when it has one.
    fn error_code(&self, id: &str, shape: &Shape) -> String {
        let query_code = shape
            .traits
            .get("aws.protocols#awsQueryError")
            .and_then(|t| t.get("code"))
            .and_then(Value::as_str);
        match query_code {
            Some(code) if self.protocol == Protocol::AwsQuery => code.to_string(),
            _ => shape_name(id).to_string(),
        }
    }

    /// Whether structure `id` is some operation's output.
    fn is_operation_output(&self, id: &str) -> bool {
        self.model
            .shapes
            .values()
            .any(|s| s.kind == "operation" && s.output.as_ref().is_some_and(|r| r.target == id))
    }

    /// Whether structure `id` is some operation's input.
    fn is_operation_input(&self, id: &str) -> bool {
        self.model
            .shapes
            .values()
            .any(|s| s.kind == "operation" && s.input.as_ref().is_some_and(|r| r.target == id))
    }

    /// The Rust-facing type of a member's target.
    fn member_type(&self, owner: &str, member: &str, m: &Member) -> Result<Type, Error> {
        let target = self.model.shape(&m.target)?;
        if target.has_trait("smithy.api#streaming")
            && !supported_stream(self.protocol, m, target, self.is_operation_input(owner))
        {
            return Err(self.err(
                owner,
                format!(
                    "member `{member}` targets the stream `{}` (`@streaming`), which {} clients here cannot carry",
                    m.target,
                    self.protocol.trait_id().rsplit('#').next().unwrap_or_default()
                ),
            ));
        }
        let fmt = m
            .traits
            .get("smithy.api#timestampFormat")
            .or_else(|| target.traits.get("smithy.api#timestampFormat"))
            .and_then(Value::as_str);
        // Both ways: an output's body read as it arrives, an input's sent
        // from a file or a reader without being held in memory.
        if target.kind == "blob" && target.has_trait("smithy.api#streaming") {
            return Ok(Type::ByteStream);
        }
        if target.kind == "union" && target.has_trait("smithy.api#streaming") {
            let union = self.type_ref(&m.target, NamedKind::Union)?;
            return Ok(if self.is_operation_input(owner) {
                Type::EventSender(union)
            } else {
                Type::EventStream(union)
            });
        }
        self.shape_type(owner, member, &m.target, target, fmt)
    }

    fn shape_type(
        &self,
        owner: &str,
        member: &str,
        id: &str,
        shape: &Shape,
        fmt: Option<&str>,
    ) -> Result<Type, Error> {
        let at = || format!("member `{member}`");
        Ok(match shape.kind.as_str() {
            "string" if shape.has_trait("smithy.api#enum") => {
                Type::Named(self.type_ref(id, NamedKind::Enum)?)
            }
            "string" => Type::String,
            "blob" => Type::Blob,
            "boolean" => Type::Boolean,
            "byte" => Type::Byte,
            "short" => Type::Short,
            "integer" => Type::Integer,
            "long" => Type::Long,
            "float" => Type::Float,
            "double" => Type::Double,
            "bigInteger" => Type::BigInteger,
            "bigDecimal" => Type::BigDecimal,
            "document" if self.protocol.is_xml() => {
                return Err(self.err(
                    owner,
                    format!(
                        "{} targets the document `{id}`, which {} cannot carry",
                        at(),
                        self.protocol.name()
                    ),
                ))
            }
            "document" => Type::Document,
            "timestamp" => Type::Timestamp(match fmt {
                // The XML protocols write date-times unless told otherwise.
                None if self.protocol.is_xml() => TimestampFormat::DateTime,
                None => TimestampFormat::EpochSeconds,
                Some(name) => timestamp_format(name).ok_or_else(|| {
                    self.err(
                        owner,
                        format!("{}: unknown timestamp format `{name}`", at()),
                    )
                })?,
            }),
            "enum" => Type::Named(self.type_ref(id, NamedKind::Enum)?),
            "intEnum" => Type::Named(self.type_ref(id, NamedKind::IntEnum)?),
            "structure" => Type::Named(self.type_ref(id, NamedKind::Struct)?),
            "union" => Type::Named(self.type_ref(id, NamedKind::Union)?),
            "list" | "set" => {
                let m = shape
                    .member
                    .as_ref()
                    .ok_or_else(|| self.err(id, "list without a member"))?;
                Type::List {
                    member: Box::new(self.member_type(id, "member", m)?),
                    sparse: shape.has_trait("smithy.api#sparse"),
                    member_name: xml_name(m).unwrap_or("member").to_string(),
                    member_namespace: xml_namespace(&m.traits),
                }
            }
            "map" => {
                let k = shape
                    .key
                    .as_ref()
                    .ok_or_else(|| self.err(id, "map without a key"))?;
                let v = shape
                    .value
                    .as_ref()
                    .ok_or_else(|| self.err(id, "map without a value"))?;
                let key = self.member_type(id, "key", k)?;
                if !matches!(
                    key,
                    Type::String
                        | Type::Named(TypeRef {
                            kind: NamedKind::Enum,
                            ..
                        })
                ) {
                    return Err(self.err(id, "map keys must be strings or string enums"));
                }
                Type::Map {
                    key: Box::new(key),
                    value: Box::new(self.member_type(id, "value", v)?),
                    sparse: shape.has_trait("smithy.api#sparse"),
                    key_name: xml_name(k).unwrap_or("key").to_string(),
                    value_name: xml_name(v).unwrap_or("value").to_string(),
                    key_namespace: xml_namespace(&k.traits),
                    value_namespace: xml_namespace(&v.traits),
                }
            }
            other => {
                return Err(self.err(owner, format!("{} targets a {other} shape `{id}`", at())))
            }
        })
    }

    /// Whether `Debug` must hide a member's value: the member or its target
    /// is `@sensitive`, or a collection holds sensitive leaves. Named types
    /// that are sensitive redact themselves.
    fn redacts(&self, m: &Member) -> Result<bool, Error> {
        if m.traits.contains_key(SENSITIVE) {
            return Ok(true);
        }
        self.target_redacts(&m.target, 0)
    }

    fn target_redacts(&self, id: &str, depth: usize) -> Result<bool, Error> {
        let shape = self.model.shape(id)?;
        if depth > 32 || is_named(shape) {
            return Ok(false);
        }
        if shape.has_trait(SENSITIVE) {
            return Ok(true);
        }
        for m in [&shape.member, &shape.key, &shape.value]
            .into_iter()
            .flatten()
        {
            if m.traits.contains_key(SENSITIVE) || self.target_redacts(&m.target, depth + 1)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn literal(&self, owner: &str, member: &str, ty: &Type, v: &Value) -> Result<Literal, Error> {
        let bad = || {
            self.err(
                owner,
                format!("member `{member}`: default value {v} does not fit its type"),
            )
        };
        Ok(match ty {
            Type::Boolean => Literal::Bool(v.as_bool().ok_or_else(bad)?),
            Type::Byte | Type::Short | Type::Integer | Type::Long => {
                let i = v.as_i64().ok_or_else(bad)?;
                let fits = match ty {
                    Type::Byte => i8::try_from(i).is_ok(),
                    Type::Short => i16::try_from(i).is_ok(),
                    Type::Integer => i32::try_from(i).is_ok(),
                    _ => true,
                };
                if !fits {
                    return Err(bad());
                }
                Literal::Int(i)
            }
            Type::Float | Type::Double => Literal::Float(v.as_f64().ok_or_else(bad)?),
            // serde_json prints a number as a valid JSON number literal.
            Type::BigInteger if v.is_i64() || v.is_u64() => Literal::BigNumber(v.to_string()),
            Type::BigDecimal if v.is_number() => Literal::BigNumber(v.to_string()),
            Type::String => Literal::Str(v.as_str().ok_or_else(bad)?.to_string()),
            Type::Blob | Type::ByteStream => Literal::Blob(
                crate::runtime::blob::decode_base64(v.as_str().ok_or_else(bad)?).ok_or_else(bad)?,
            ),
            Type::Timestamp(_) => Literal::Timestamp(v.as_f64().ok_or_else(bad)?),
            Type::Document => Literal::Document(v.clone()),
            Type::List { .. } if v.as_array().is_some_and(Vec::is_empty) => Literal::EmptyList,
            Type::Map { .. } if v.as_object().is_some_and(serde_json::Map::is_empty) => {
                Literal::EmptyMap
            }
            Type::Named(TypeRef {
                kind: NamedKind::Enum,
                ..
            }) => Literal::EnumValue(v.as_str().ok_or_else(bad)?.to_string()),
            Type::Named(TypeRef {
                kind: NamedKind::IntEnum,
                ..
            }) => Literal::IntEnumValue(v.as_i64().ok_or_else(bad)?),
            _ => return Err(bad()),
        })
    }

    /// Model documentation plus one line of facts about the member.
    /// `required` is `None` for union members, which are neither.
    /// A member's `@length`, `@range` and `@pattern` (its own or its
    /// target's), as the sentences its docs show.
    fn constraints(&self, m: &Member) -> Result<Vec<String>, Error> {
        let target = self.model.shape(&m.target)?;
        let get = |t: &str| m.traits.get(t).or_else(|| target.traits.get(t));
        let bounds = |v: &Value| {
            let min = v.get("min").map(|x| x.to_string());
            let max = v.get("max").map(|x| x.to_string());
            match (min, max) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                (None, None) => "unbounded".into(),
            }
        };
        let mut out = Vec::new();
        if let Some(l) = get("smithy.api#length") {
            out.push(format!("Length: {}.", bounds(l)));
        }
        if let Some(r) = get("smithy.api#range") {
            out.push(format!("Range: {}.", bounds(r)));
        }
        if let Some(p) = get("smithy.api#pattern").and_then(Value::as_str) {
            // Control characters as the regex escapes that match them (a
            // raw tab or line break would break the doc comment).
            let p: String = p
                .chars()
                .map(|c| match c {
                    '\t' => "\\t".to_string(),
                    '\n' => "\\n".to_string(),
                    '\r' => "\\r".to_string(),
                    c if c.is_control() => format!("\\x{{{:x}}}", u32::from(c)),
                    c => c.to_string(),
                })
                .collect();
            out.push(format!("Pattern: {}.", docs::code_span(&p)));
        }
        Ok(out)
    }

    fn member_docs(
        &self,
        m: &Member,
        wire: &str,
        required: Option<bool>,
        default: Option<&Literal>,
    ) -> Result<Vec<String>, Error> {
        let mut out = doc_paragraphs(&m.traits, self.model_docs);
        let target = self.model.shape(&m.target)?;
        let get = |t: &str| m.traits.get(t).or_else(|| target.traits.get(t));
        let mut facts = vec![format!("Wire name: {}.", docs::code_span(wire))];
        match required {
            Some(true) => facts.push("Required.".into()),
            Some(false) => facts.push("Optional.".into()),
            None => {}
        }
        if target.kind == "timestamp" {
            let format = get("smithy.api#timestampFormat")
                .and_then(Value::as_str)
                .unwrap_or("epoch-seconds");
            facts.push(format!("Timestamp format: {}.", docs::code_span(format)));
        }
        if let Some(d) = m.traits.get("smithy.api#default") {
            let shown = match default {
                Some(Literal::Blob(b)) => {
                    format!(
                        "{} (base64 of {} bytes)",
                        docs::code_span(&d.to_string()),
                        b.len()
                    )
                }
                _ => docs::code_span(&d.to_string()),
            };
            facts.push(format!("Default: {shown}."));
        }
        facts.extend(self.constraints(m)?);
        if target.has_trait(SENSITIVE) || self.redacts(m)? {
            facts.push("Sensitive: redacted in `Debug` output.".into());
        }
        if m.traits.contains_key("smithy.api#idempotencyToken") {
            facts.push("Idempotency token: a random UUID v4 is sent when it is left unset.".into());
        }
        if let Some(d) = get("smithy.api#deprecated") {
            let message = d
                .get("message")
                .and_then(Value::as_str)
                .map(|m| docs::html_to_markdown(m).replace('\n', " "))
                .filter(|m| !m.trim().is_empty());
            facts.push(match message {
                Some(m) => format!("Deprecated: {}", m.trim()),
                None => "Deprecated.".into(),
            });
        }
        out.push(facts.join(" "));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_text(text: &str, ops: &[&str]) -> Result<Service, Error> {
        let m = Loaded::from_text("t.json", text)?;
        let ops: Vec<String> = ops.iter().map(|s| s.to_string()).collect();
        lower(
            &m,
            &Request {
                module: "svc",
                service: None,
                operations: &ops,
                all: false,
                model_docs: true,
                protocol: None,
            },
        )
    }

    fn svc(shapes: &str) -> String {
        crate::test_model::TestModel::new()
            .operation(
                "Op",
                r#""input":{"target":"a#In"},"output":{"target":"a#Out"}"#,
            )
            .shapes(shapes)
            .text()
    }

    fn st<'a>(s: &'a Service, name: &str) -> &'a Struct {
        s.types
            .iter()
            .find_map(|t| match t {
                TypeDef::Struct(x) if x.name == name => Some(x),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn nullability_follows_smithy_2_client_rules() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","traits":{"smithy.api#input":{}},"members":{
                "R":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
                "D":{"target":"smithy.api#Integer","traits":{"smithy.api#default":3}}}},
               "a#Out":{"type":"structure","members":{
                "R":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
                "D":{"target":"smithy.api#Integer","traits":{"smithy.api#default":3}},
                "N":{"target":"smithy.api#Integer","traits":{"smithy.api#default":null}},
                "C":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#clientOptional":{}}},
                "O":{"target":"smithy.api#String"}}}"#),
            &["Op"],
        )
        .unwrap();
        let input = st(&s, "In");
        assert!(
            input.fields.iter().all(|f| f.optional),
            "@input makes every member optional"
        );
        let out = st(&s, "Out");
        let opt: Vec<(&str, bool)> = out
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f.optional))
            .collect();
        assert_eq!(
            opt,
            [
                ("R", false),
                ("D", false),
                ("N", true),
                ("C", true),
                ("O", true)
            ]
        );
        assert_eq!(out.fields[1].default, Some(Literal::Int(3)));
    }

    #[test]
    fn recursion_is_boxed_once_per_cycle() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{"Node":{"target":"a#Node"}}},
               "a#Out":{"type":"structure","members":{}},
               "a#Node":{"type":"structure","members":{"Next":{"target":"a#Node"},"Kids":{"target":"a#Nodes"},"U":{"target":"a#U"}}},
               "a#Nodes":{"type":"list","member":{"target":"a#Node"}},
               "a#U":{"type":"union","members":{"N":{"target":"a#Node"},"S":{"target":"smithy.api#String"}}}"#),
            &["Op"],
        )
        .unwrap();
        let node = st(&s, "Node");
        let boxed: Vec<(&str, bool)> = node
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f.boxed))
            .collect();
        assert_eq!(boxed, [("Next", true), ("Kids", false), ("U", false)]);
        // The Node -> U -> Node cycle is broken at its back edge, inside the union.
        let u = s
            .types
            .iter()
            .find_map(|t| match t {
                TypeDef::Union(u) => Some(u),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            u.variants.iter().map(|v| v.boxed).collect::<Vec<_>>(),
            [true, false]
        );
        let input = st(&s, "In");
        assert!(!input.fields[0].boxed);
    }

    #[test]
    fn unsupported_protocol_is_named() {
        let text = svc(
            r#""a#In":{"type":"structure","members":{}},"a#Out":{"type":"structure","members":{}}"#,
        )
        .replace("aws.protocols#awsJson1_1", "aws.protocols#awsJson2_0");
        let err = lower_text(&text, &["Op"]).unwrap_err().to_string();
        assert!(
            err.contains("a#Svc") && err.contains("awsJson2_0") && err.contains("rpcv2Cbor"),
            "{err}"
        );
    }

    /// Every kind of name that can collide after recasing, and the name
    /// each later one gets.
    #[test]
    fn colliding_names_are_numbered_in_a_stable_order() {
        let shapes = r#""a#In":{"type":"structure","members":{"fooBar":{"target":"smithy.api#String"},
                    "FooBar":{"target":"smithy.api#String"},"X":{"target":"b#In"},"E":{"target":"a#E"},
                    "U":{"target":"a#U"},"R":{"target":"a#ServiceRequest"}}},
               "b#In":{"type":"structure","members":{}},
               "a#ServiceRequest":{"type":"structure","members":{}},
               "a#E":{"type":"enum","members":{"FOO_BAR":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"x"}},
                    "FooBar":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"y"}},
                    "UNKNOWN":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"u"}}}},
               "a#U":{"type":"union","members":{"a_b":{"target":"smithy.api#String"},"A_B":{"target":"smithy.api#String"}}},
               "a#Out":{"type":"structure","members":{}}"#;
        let s = lower_text(&svc(shapes), &["Op"]).unwrap();
        let fields: Vec<(&str, &str, &str)> = st(&s, "In")
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f.name.as_str(), f.setter.as_str()))
            .collect();
        let rows = [
            // members, in model order
            ("fooBar", "foo_bar", "with_foo_bar"),
            ("FooBar", "foo_bar_2", "with_foo_bar_2"),
        ];
        for row in rows {
            assert!(fields.contains(&row), "{row:?} in {fields:?}");
        }
        let names: Vec<&str> = s.types.iter().map(TypeDef::name).collect();
        // types, by shape id; the server enums keep their names
        for n in ["In", "In2", "ServiceRequest2"] {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
        let variants = |name: &str| -> Vec<String> {
            match s.types.iter().find(|t| t.name() == name) {
                Some(TypeDef::Enum(e)) => e.variants.iter().map(|v| v.name.clone()).collect(),
                Some(TypeDef::Union(u)) => u.variants.iter().map(|v| v.name.clone()).collect(),
                _ => Vec::new(),
            }
        };
        // enum variants (the catch-all `Unknown` kept), union variants
        assert_eq!(variants("E"), ["FooBar", "FooBar2", "UnknownValue"]);
        assert_eq!(variants("U"), ["AB", "AB2"]);
        // a paginator method that an operation's method already has
        let pages = r#"{"smithy":"2.0","shapes":{"a#Svc":{"type":"service","version":"1",
            "operations":[{"target":"a#List"},{"target":"a#ListPages"}],"traits":{"aws.protocols#awsJson1_1":{}}},
            "a#List":{"type":"operation","input":{"target":"a#LIn"},"output":{"target":"a#LOut"},
              "traits":{"smithy.api#paginated":{"inputToken":"T","outputToken":"T"}}},
            "a#ListPages":{"type":"operation"},
            "a#LIn":{"type":"structure","members":{"T":{"target":"smithy.api#String"}}},
            "a#LOut":{"type":"structure","members":{"T":{"target":"smithy.api#String"}}}}}"#;
        let m = Loaded::from_text("t.json", pages).unwrap();
        let s = lower(
            &m,
            &Request {
                module: "svc",
                service: None,
                operations: &[],
                all: true,
                model_docs: false,
                protocol: None,
            },
        )
        .unwrap();
        let list = s.operations.iter().find(|o| o.wire_name == "List").unwrap();
        assert_eq!(list.paginator.as_ref().unwrap().method, "list_pages_2");
        let other = s
            .operations
            .iter()
            .find(|o| o.wire_name == "ListPages")
            .unwrap();
        assert_eq!(other.client_method, "list_pages");
    }

    #[test]
    fn service_rename() {
        let shapes = r#""a#In":{"type":"structure","members":{"X":{"target":"b#In"}}},
               "b#In":{"type":"structure","members":{}},
               "a#Out":{"type":"structure","members":{}}"#;
        let renamed = svc(shapes).replace(
            r#""version":"1","#,
            r#""version":"1","rename":{"b#In":"OtherIn"},"#,
        );
        let s = lower_text(&renamed, &["Op"]).unwrap();
        assert!(s.types.iter().any(|t| t.name() == "OtherIn"));
    }

    #[test]
    fn sensitive_reaches_through_collections() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{"L":{"target":"a#Secrets"},"P":{"target":"smithy.api#String"},"M":{"target":"a#SecretMap"}}},
               "a#Secret":{"type":"string","traits":{"smithy.api#sensitive":{}}},
               "a#Secrets":{"type":"list","member":{"target":"a#Secret"}},
               "a#SecretMap":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"a#Secrets"}},
               "a#Out":{"type":"structure","members":{}}"#),
            &["Op"],
        )
        .unwrap();
        let redact: Vec<bool> = st(&s, "In").fields.iter().map(|f| f.redact).collect();
        assert_eq!(redact, [true, false, true]);
    }

    #[test]
    fn member_docs_state_the_facts() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{"Name":{"target":"a#Name","traits":{"smithy.api#required":{},
                    "smithy.api#documentation":"<p>The <b>name</b>.</p>"}}}},
               "a#Name":{"type":"string","traits":{"smithy.api#length":{"min":1,"max":64},"smithy.api#pattern":"^[a-z`]+$"}},
               "a#Out":{"type":"structure","members":{}}"#),
            &["Op"],
        )
        .unwrap();
        let docs = &st(&s, "In").fields[0].docs;
        assert!(docs[0].contains("**name**"), "{docs:?}");
        let facts = &docs[1];
        for want in [
            "Wire name: `Name`.",
            "Required.",
            "Length: 1 to 64.",
            "Pattern: ``^[a-z`]+$``.",
        ] {
            assert!(facts.contains(want), "{want} not in {facts}");
        }
    }

    #[test]
    fn structures_that_require_themselves_are_rejected() {
        let err = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{"A":{"target":"a#A"}}},
               "a#Out":{"type":"structure","members":{}},
               "a#A":{"type":"structure","members":{"B":{"target":"a#B","traits":{"smithy.api#required":{}}}}},
               "a#B":{"type":"structure","members":{"A":{"target":"a#A","traits":{"smithy.api#required":{}}}}}"#),
            &["Op"],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("`a#A`") && err.contains("a#A$B -> a#B$A"),
            "{err}"
        );
        // Through an optional member, a list or a union, recursion is fine.
        lower_text(
            &svc(r#""a#In":{"type":"structure","members":{"A":{"target":"a#A"}}},
               "a#Out":{"type":"structure","members":{}},
               "a#A":{"type":"structure","members":{"B":{"target":"a#B","traits":{"smithy.api#required":{}}},
                    "L":{"target":"a#AList","traits":{"smithy.api#required":{}}}}},
               "a#AList":{"type":"list","member":{"target":"a#A"}},
               "a#B":{"type":"structure","members":{"A":{"target":"a#A"}}}"#),
            &["Op"],
        )
        .unwrap();
    }

    #[test]
    fn request_checksums_name_their_algorithm_member() {
        let with = |traits: &str, algo_type: &str| {
            svc(&format!(
                r#""a#In":{{"type":"structure","members":{{
                    "Body":{{"target":"smithy.api#String"}},
                    "Algo":{{"target":"{algo_type}"}}}}}},
                   "a#Out":{{"type":"structure","members":{{}}}},
                   "a#Alg":{{"type":"enum","members":{{"CRC32":{{"target":"smithy.api#Unit","traits":{{"smithy.api#enumValue":"CRC32"}}}}}}}}"#
            ))
            .replace(
                r#""a#Op":{"type":"operation","#,
                &format!(r#""a#Op":{{"type":"operation","traits":{{{traits}}},"#),
            )
        };
        let flexible = r#""aws.protocols#httpChecksum":{"requestAlgorithmMember":"Algo"}"#;
        let s = lower_text(&with(flexible, "a#Alg"), &["Op"]).unwrap();
        assert_eq!(
            s.operations[0].request_checksum,
            Some(RequestChecksum {
                required: false,
                algorithm_field: Some(1),
                validation_field: None,
                response_algorithms: Vec::new(),
                content_md5: false,
            })
        );
        let s = lower_text(
            &with(r#""smithy.api#httpChecksumRequired":{}"#, "a#Alg"),
            &["Op"],
        )
        .unwrap();
        assert_eq!(
            s.operations[0].request_checksum,
            Some(RequestChecksum {
                required: true,
                algorithm_field: None,
                validation_field: None,
                response_algorithms: Vec::new(),
                content_md5: true,
            })
        );
        // Response validation: the mode member, and the algorithms offered
        // that are computed here, in the SDKs' order of preference.
        let validated = r#""aws.protocols#httpChecksum":{"requestValidationModeMember":"Algo","responseAlgorithms":["SHA256","CRC32","CRC64NVME"]}"#;
        let s = lower_text(&with(validated, "a#Alg"), &["Op"]).unwrap();
        let c = s.operations[0].request_checksum.as_ref().unwrap();
        assert_eq!(
            (c.required, c.algorithm_field, c.validation_field),
            (false, None, Some(1))
        );
        assert_eq!(c.response_algorithms, ["crc64nvme", "crc32"]);
        let s = lower_text(&with(r#""smithy.api#documentation":"x""#, "a#Alg"), &["Op"]).unwrap();
        assert_eq!(s.operations[0].request_checksum, None);
        // The member must exist and name an algorithm.
        let missing = flexible.replace("\"Algo\"", "\"Nope\"");
        let err = lower_text(&with(&missing, "a#Alg"), &["Op"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`Nope`") && err.contains("a#Op"), "{err}");
        let err = lower_text(&with(flexible, "smithy.api#Integer"), &["Op"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`Algo`") && err.contains("integer"), "{err}");
    }

    #[test]
    fn host_prefix_compression_and_query_mode() {
        let text = svc(r#""a#In":{"type":"structure","members":{
                "other":{"target":"smithy.api#String"},
                "label":{"target":"smithy.api#String","traits":{"smithy.api#hostLabel":{},"smithy.api#required":{}}}}},
               "a#Out":{"type":"structure","members":{}}"#)
        .replace(
            r#""a#Op":{"type":"operation","#,
            r#""a#Op":{"type":"operation","traits":{"smithy.api#endpoint":{"hostPrefix":"foo.{label}-x."},
                "smithy.api#requestCompression":{"encodings":["gzip"]}},"#,
        )
        .replace(
            r#""aws.protocols#awsJson1_1":{}"#,
            r#""aws.protocols#awsJson1_1":{},"aws.protocols#awsQueryCompatible":{}"#,
        );
        let s = lower_text(&text, &["Op"]).unwrap();
        let op = &s.operations[0];
        assert_eq!(
            op.host_prefix,
            [
                HostPrefixPart::Literal("foo.".into()),
                HostPrefixPart::Label {
                    wire_name: "label".into(),
                    field: 1,
                },
                HostPrefixPart::Literal("-x.".into()),
            ]
        );
        assert!(op.gzip_request);
        assert!(s.query_compatible);
        for bad in ["foo.{other}.", "foo.{missing}.", "foo.{label"] {
            let err = lower_text(&text.replace("foo.{label}-x.", bad), &["Op"])
                .unwrap_err()
                .to_string();
            assert!(err.contains("host prefix"), "{bad}: {err}");
        }
        let plain = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{}},"a#Out":{"type":"structure","members":{}}"#),
            &["Op"],
        )
        .unwrap();
        assert!(plain.operations[0].host_prefix.is_empty());
        assert!(!plain.operations[0].gzip_request && !plain.query_compatible);
    }

    #[test]
    fn rest_bindings_become_routes_and_locations() {
        let members = r#""a#In":{"type":"structure","members":{
                "Id":{"target":"smithy.api#String","traits":{"smithy.api#httpLabel":{},"smithy.api#required":{}}},
                "Path":{"target":"smithy.api#String","traits":{"smithy.api#httpLabel":{},"smithy.api#required":{}}},
                "When":{"target":"smithy.api#Timestamp","traits":{"smithy.api#httpHeader":"X-When"}},
                "Since":{"target":"smithy.api#Timestamp","traits":{"smithy.api#httpQuery":"since","smithy.api#timestampFormat":"epoch-seconds"}},
                "Tags":{"target":"a#Tags","traits":{"smithy.api#httpPrefixHeaders":"X-Tag-"}},
                "Named":{"target":"smithy.api#String","traits":{"smithy.api#jsonName":"named_"}},
                "Doc":{"target":"a#Text","traits":{"smithy.api#httpHeader":"X-Doc"}}}},
               "a#Out":{"type":"structure","members":{
                "Code":{"target":"smithy.api#Integer","traits":{"smithy.api#httpResponseCode":{}}},
                "Data":{"target":"smithy.api#Blob","traits":{"smithy.api#httpPayload":{}}}}},
               "a#Tags":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#String"}},
               "a#Text":{"type":"string","traits":{"smithy.api#mediaType":"text/plain"}}"#;
        let text = svc(members)
            .replace(r#""aws.protocols#awsJson1_1":{}"#, r#""aws.protocols#restJson1":{}"#)
            .replace(
                r#""a#Op":{"type":"operation","#,
                r#""a#Op":{"type":"operation","traits":{"smithy.api#http":{"method":"PUT","uri":"/x/{Id}/{Path+}?fixed=1&flag","code":201}},"#,
            );
        let s = lower_text(&text, &["Op"]).unwrap();
        assert_eq!(s.protocol_info.protocol, Protocol::RestJson1);
        let route = s.operations[0].http.as_ref().unwrap();
        assert_eq!((route.method.as_str(), route.code), ("PUT", 201));
        assert_eq!(
            route.path,
            [
                PathPart::Literal("/x/".into()),
                PathPart::Label {
                    field: 0,
                    greedy: false
                },
                PathPart::Literal("/".into()),
                PathPart::Label {
                    field: 1,
                    greedy: true
                },
            ]
        );
        assert_eq!(
            route.query,
            [
                ("fixed".to_string(), Some("1".to_string())),
                ("flag".to_string(), None)
            ]
        );
        let input = st(&s, "In");
        let loc = |name: &str| {
            input
                .fields
                .iter()
                .find(|f| f.wire_name == name)
                .unwrap()
                .location
                .clone()
        };
        assert_eq!(
            loc("When"),
            Location::Header {
                name: "X-When".into(),
                format: TimestampFormat::HttpDate,
                base64: false
            }
        );
        assert_eq!(
            loc("Since"),
            Location::Query {
                name: "since".into(),
                format: TimestampFormat::EpochSeconds
            }
        );
        assert_eq!(loc("Tags"), Location::PrefixHeaders("X-Tag-".into()));
        assert_eq!(
            loc("Doc"),
            Location::Header {
                name: "X-Doc".into(),
                format: TimestampFormat::HttpDate,
                base64: true
            }
        );
        assert_eq!(loc("Named"), Location::Body);
        assert_eq!(
            input
                .fields
                .iter()
                .find(|f| f.wire_name == "Named")
                .unwrap()
                .json_name,
            "named_"
        );
        let out = st(&s, "Out");
        assert_eq!(out.fields[0].location, Location::ResponseCode);
        assert_eq!(
            out.fields[1].location,
            Location::Payload {
                xml_name: "Blob".into(),
                content_type: "application/octet-stream".into()
            }
        );
        // The same model under awsJson binds nothing and ignores @jsonName.
        let json = lower_text(&svc(members), &["Op"]).unwrap();
        assert!(json.operations[0].http.is_none());
        assert!(st(&json, "In")
            .fields
            .iter()
            .all(|f| f.location == Location::Body && f.json_name == f.wire_name));
        // Mistakes name the operation or member at fault.
        for (from, to, want) in [
            ("/x/{Id}/{Path+}", "/x/{Id}", "@httpLabel member `Path` has no `{Path}`"),
            ("/x/{Id}/{Path+}", "/x/{Id}/{Path+}/{Nope}", "label `Nope` is not an @httpLabel member"),
            ("/x/{Id}/{Path+}", "x/{Id}/{Path+}", "must start with `/`"),
            (
                "\"X-Tag-\"",
                "\"X-Tag-\"}},\"Extra\":{\"target\":\"smithy.api#Blob\",\"traits\":{\"smithy.api#httpPayload\":{}",
                "`Named` is bound to the body, which the @httpPayload member `Extra` already takes",
            ),
        ] {
            let err = lower_text(&text.replacen(from, to, 1), &["Op"]).unwrap_err().to_string();
            assert!(err.contains(want), "{to}: {err}");
        }
        let no_http = text.replace(
            r#""smithy.api#http":{"method":"PUT","uri":"/x/{Id}/{Path+}?fixed=1&flag","code":201}"#,
            r#""smithy.api#readonly":{}"#,
        );
        let err = lower_text(&no_http, &["Op"]).unwrap_err().to_string();
        assert!(
            err.contains("restJson1 operations need the @http trait"),
            "{err}"
        );
    }

    #[test]
    fn rest_streaming_blob_payloads_stream_both_ways_and_other_streams_are_refused() {
        let members = |trait_: &str| {
            format!(
                r#""a#In":{{"type":"structure","members":{{
                    "Body":{{"target":"a#Stream"{trait_}}}}}}},
                   "a#Out":{{"type":"structure","members":{{}}}},
                   "a#Stream":{{"type":"blob","traits":{{"smithy.api#streaming":{{}}}}}}"#
            )
        };
        let rest = |text: String| {
            text.replace(r#""aws.protocols#awsJson1_1":{}"#, r#""aws.protocols#restJson1":{}"#)
                .replace(
                    r#""a#Op":{"type":"operation","#,
                    r#""a#Op":{"type":"operation","traits":{"smithy.api#http":{"method":"PUT","uri":"/up"}},"#,
                )
        };
        let payload = r#","traits":{"smithy.api#httpPayload":{}}"#;
        // An event stream (a `@streaming` union) is read from outputs and
        // sent from inputs (restJson1; not restXml).
        let events = |text: String| {
            text.replace(
                r#""a#Stream":{"type":"blob","traits":{"smithy.api#streaming":{}}}"#,
                r#""a#Stream":{"type":"union","members":{"Ev":{"target":"a#Ev"}},"traits":{"smithy.api#streaming":{}}},
                   "a#Ev":{"type":"structure","members":{"H":{"target":"smithy.api#String","traits":{"smithy.api#eventHeader":{}}}}}"#,
            )
        };
        let as_output = |text: String| {
            text.replace(
                r#""input":{"target":"a#In"},"output":{"target":"a#Out"}"#,
                r#""input":{"target":"a#Out"},"output":{"target":"a#In"}"#,
            )
        };
        let s = lower_text(&as_output(events(rest(svc(&members(payload))))), &["Op"]).unwrap();
        assert!(matches!(&st(&s, "In").fields[0].ty, Type::EventStream(u) if u.name == "Stream"));
        assert_eq!(st(&s, "Ev").fields[0].location, Location::EventHeader);
        let s = lower_text(&events(rest(svc(&members(payload)))), &["Op"]).unwrap();
        assert!(matches!(&st(&s, "In").fields[0].ty, Type::EventSender(u) if u.name == "Stream"));
        assert!(st(&s, "In").holds_stream());
        assert_eq!(
            s.event_unions,
            [EventUnion {
                id: s.event_unions[0].id,
                received: false,
                sent: true
            }]
        );
        let xml = events(rest(svc(&members(payload)))).replace("restJson1", "restXml");
        let err = lower_text(&xml, &["Op"]).unwrap_err().to_string();
        assert!(
            err.contains("`Body`") && err.contains("@streaming"),
            "{err}"
        );
        // A streaming blob is a stream both ways: an input's sent from a
        // file or a reader, an output's read as it arrives; neither
        // structure is `Clone`.
        let s = lower_text(&rest(svc(&members(payload))), &["Op"]).unwrap();
        let f = &st(&s, "In").fields[0];
        assert_eq!(f.ty, Type::ByteStream);
        assert!(matches!(f.location, Location::Payload { .. }));
        assert!(st(&s, "In").holds_stream());
        let s = lower_text(&as_output(rest(svc(&members(payload)))), &["Op"]).unwrap();
        let f = &st(&s, "In").fields[0];
        assert_eq!(f.ty, Type::ByteStream);
        assert!(matches!(f.location, Location::Payload { .. }));
        assert!(st(&s, "In").holds_stream());
        // awsJson: an output event stream is the body.
        let s = lower_text(&as_output(events(svc(&members("")))), &["Op"]).unwrap();
        assert!(matches!(&st(&s, "In").fields[0].ty, Type::EventStream(u) if u.name == "Stream"));
        // The server side does not serve it, so it checks nothing of it.
        assert!(!s.operations[0].served);
        assert_eq!(st(&s, "Ev").fields[0].location, Location::EventHeader);
        // Beside other members (which come in the stream's first,
        // `initial-response` event) it is read too, and the operation says
        // so; alone, it is not.
        assert!(!s.operations[0].initial_response);
        let crowded = as_output(events(svc(&members("")))).replace(
            r#""Body":{"target":"a#Stream"}"#,
            r#""Body":{"target":"a#Stream"},"Other":{"target":"smithy.api#String"}"#,
        );
        let s = lower_text(&crowded, &["Op"]).unwrap();
        assert!(s.operations[0].initial_response);
        assert!(!s.operations[0].served);
        let model = Loaded::from_text("m.json", &crowded).unwrap();
        assert_eq!(
            unsupported_reason(&model, "a#Op", Protocol::AwsJson1_1).unwrap(),
            None
        );
        // An input's event stream on awsJson is still refused.
        let sent = events(svc(&members("")));
        let err = lower_text(&sent, &["Op"]).unwrap_err().to_string();
        assert!(
            err.contains("`Body`") && err.contains("@streaming"),
            "{err}"
        );
        // Not a payload, or not a REST protocol: still refused, naming the member.
        for text in [rest(svc(&members(""))), svc(&members(payload))] {
            let err = lower_text(&text, &["Op"]).unwrap_err().to_string();
            assert!(
                err.contains("`Body`") && err.contains("@streaming"),
                "{err}"
            );
        }
    }

    #[test]
    fn big_number_defaults_keep_their_literal() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{}},
               "a#Out":{"type":"structure","members":{
                "I":{"target":"smithy.api#BigInteger","traits":{"smithy.api#default":18446744073709551615}},
                "D":{"target":"smithy.api#BigDecimal","traits":{"smithy.api#default":-0.25}}}}"#),
            &["Op"],
        )
        .unwrap();
        let defaults: Vec<_> = st(&s, "Out")
            .fields
            .iter()
            .map(|f| f.default.clone())
            .collect();
        assert_eq!(
            defaults,
            [
                Some(Literal::BigNumber("18446744073709551615".into())),
                Some(Literal::BigNumber("-0.25".into()))
            ]
        );
        let err = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{}},
               "a#Out":{"type":"structure","members":{"I":{"target":"smithy.api#BigInteger","traits":{"smithy.api#default":1.5}}}}"#),
            &["Op"],
        )
        .unwrap_err();
        assert!(err.to_string().contains("`I`"), "{err}");
    }

    #[test]
    fn client_optional_members_are_options_but_still_required_to_send() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{}},
               "a#Out":{"type":"structure","members":{"C":{"target":"smithy.api#String",
                    "traits":{"smithy.api#required":{},"smithy.api#clientOptional":{}}}}}"#),
            &["Op"],
        )
        .unwrap();
        let c = &st(&s, "Out").fields[0];
        assert!(c.optional && c.required);
        assert_eq!(c.docs, ["Wire name: `C`. Required."]);
    }

    #[test]
    fn member_facts_cover_unions_timestamps_collections_and_deprecation() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{}},
               "a#Out":{"type":"structure","members":{
                    "T":{"target":"smithy.api#Timestamp","traits":{"smithy.api#timestampFormat":"date-time"}},
                    "L":{"target":"a#Secrets"},
                    "D":{"target":"smithy.api#String","traits":{"smithy.api#deprecated":{"message":"Use [X]."}}},
                    "U":{"target":"a#U"}}},
               "a#Secrets":{"type":"list","member":{"target":"a#Secret"}},
               "a#Secret":{"type":"string","traits":{"smithy.api#sensitive":{}}},
               "a#U":{"type":"union","members":{"A":{"target":"smithy.api#String"}}}"#),
            &["Op"],
        )
        .unwrap();
        let facts: Vec<&str> = st(&s, "Out")
            .fields
            .iter()
            .map(|f| f.docs[0].as_str())
            .collect();
        assert!(
            facts[0].ends_with("Timestamp format: `date-time`."),
            "{}",
            facts[0]
        );
        assert!(facts[1].contains("Sensitive"), "{}", facts[1]);
        assert!(
            facts[2].ends_with(r"Deprecated: Use \[X\]."),
            "{}",
            facts[2]
        );
        let u = s
            .types
            .iter()
            .find_map(|t| match t {
                TypeDef::Union(u) => Some(u),
                _ => None,
            })
            .unwrap();
        assert_eq!(u.variants[0].docs, ["Wire name: `A`."]);
    }

    #[test]
    fn an_error_named_unhandled_gets_another_variant_name() {
        let text = svc(r#""a#In":{"type":"structure","members":{}},"a#Out":{"type":"structure","members":{}},
            "a#Unhandled":{"type":"structure","members":{},"traits":{"smithy.api#error":"server"}}"#)
        .replace(
            r#""output":{"target":"a#Out"}"#,
            r#""output":{"target":"a#Out"},"errors":[{"target":"a#Unhandled"}]"#,
        );
        let s = lower_text(&text, &["Op"]).unwrap();
        let e = &s.operations[0].errors[0];
        assert_eq!(
            (e.variant.as_str(), e.ty.name.as_str()),
            ("UnhandledError", "Unhandled")
        );
    }

    #[test]
    fn legacy_enums_keep_docs() {
        let s = lower_text(
            &svc(r#""a#In":{"type":"structure","members":{"E":{"target":"a#E"}}},"a#Out":{"type":"structure","members":{}},
               "a#E":{"type":"string","traits":{"smithy.api#enum":[{"value":"v","documentation":"<p>The <b>v</b>.</p>"}]}}"#),
            &["Op"],
        )
        .unwrap();
        let e = s
            .types
            .iter()
            .find_map(|t| match t {
                TypeDef::Enum(e) => Some(e),
                _ => None,
            })
            .unwrap();
        assert_eq!(e.variants[0].docs, ["The **v**."]);
    }

    #[test]
    fn base64_defaults_use_the_runtime_decoder() {
        let lowered = |default: &str| {
            lower_text(
                &svc(&format!(
                    r#""a#In":{{"type":"structure","members":{{}}}},"a#Out":{{"type":"structure","members":{{
                    "B":{{"target":"smithy.api#Blob","traits":{{"smithy.api#default":"{default}"}}}}}}}}"#
                )),
                &["Op"],
            )
        };
        let lowered_ok = lowered("aGk=").unwrap();
        let s = st(&lowered_ok, "Out");
        assert_eq!(s.fields[0].default, Some(Literal::Blob(b"hi".to_vec())));
        // Misplaced padding is refused, as the runtime refuses it on the wire.
        let err = lowered("a=Gk").unwrap_err().to_string();
        assert!(
            err.contains("default value") && err.contains("a#Out"),
            "{err}"
        );
    }
}
