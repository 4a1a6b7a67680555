//! The service-level passes of [`super::lower`], in the order it runs them:
//! the protocol, the selected operations, every Rust name of the module,
//! the endpoint rule set, the lowered types, the error enums' names, the
//! passes over all types, paginators and waiters, client method names, and
//! the service's protocol and signing facts.

use std::collections::BTreeSet;

use serde_json::Value;

use super::passes::*;
use super::protocol::*;
use super::{check_collisions, customizations, endpoints, is_named, waiters, Lowering};
use crate::ast::Shape;
use crate::error::Error;
use crate::ir::*;
use crate::model::{self, shape_name, Loaded};
use crate::naming;

/// The protocol the service is generated for: the one the selection names,
/// else the first the service declares in the SDKs' order.
pub(super) fn protocol(
    model: &Loaded,
    service_id: &str,
    service: &Shape,
    requested: Option<&str>,
) -> Result<Protocol, Error> {
    let chosen = match requested {
        Some(name) => Some(chosen_protocol(model, service_id, service, name)?),
        None => declared_protocol(service),
    };
    chosen.ok_or_else(|| {
        let found: Vec<&str> = service
            .traits
            .keys()
            .filter(|k| k.starts_with("aws.protocols#") || k.starts_with("smithy.protocols#"))
            .map(String::as_str)
            .collect();
        Error::Unsupported {
            file: model.file.clone(),
            shape: service_id.to_string(),
            message: format!(
                "protocol {}: only aws.protocols#awsJson1_0, aws.protocols#awsJson1_1, aws.protocols#restJson1, aws.protocols#restXml, aws.protocols#awsQuery, aws.protocols#ec2Query and smithy.protocols#rpcv2Cbor are supported",
                if found.is_empty() { "(none declared)".to_string() } else { found.join(", ") }
            ),
        }
    })
}

/// The operations to generate, and those `--all` leaves out (what the
/// generator cannot do yet, saying why; an operation selected by name is
/// an error instead). An operation whose endpoint is discovered brings the
/// discovery operation along.
pub(super) fn selected_operations(
    model: &Loaded,
    service_id: &str,
    service: &Shape,
    req: &super::Request<'_>,
    protocol: Protocol,
) -> Result<(Vec<String>, Vec<SkippedOperation>), Error> {
    let mut skipped = Vec::new();
    let mut op_ids: Vec<String> = if req.all {
        let mut kept = Vec::new();
        for id in model.operations(service_id)?.into_values() {
            match unsupported_reason(model, &id, protocol)? {
                Some(reason) => skipped.push(SkippedOperation {
                    name: shape_name(&id).to_string(),
                    reason,
                }),
                None => kept.push(id),
            }
        }
        kept
    } else {
        model.resolve_operations(service_id, req.operations)?
    };
    model.add_discovery_operation(service, &mut op_ids)?;
    Ok((op_ids, skipped))
}

impl Lowering<'_> {
    /// Reserves a Rust name for every named shape the operations and
    /// service errors reach (so forward and recursive references resolve),
    /// names the operations, and numbers names equal after recasing
    /// (operations by shape id, then types), never refusing them: one
    /// module holds the server enums, the operations and the types. Types
    /// get their ids (their place in name order). Returns the shapes
    /// reached.
    pub(super) fn name_shapes(
        &mut self,
        service: &Shape,
        op_ids: &[String],
        service_errors: &[String],
    ) -> Result<BTreeSet<String>, Error> {
        let mut roots: Vec<&str> = op_ids.iter().map(String::as_str).collect();
        roots.extend(service_errors.iter().map(String::as_str));
        let closure = self.model.closure(roots.iter().copied());
        for id in &closure {
            let shape = self.model.shape(id)?;
            if is_named(shape) && id != model::UNIT {
                self.reserve(id)?;
            }
        }
        let server_enums = [naming::REQUEST_ENUM, naming::RESPONSE_ENUM];
        let op_list: Vec<String> = op_ids
            .iter()
            .map(|id| {
                naming::type_name(
                    service
                        .rename
                        .get(id)
                        .map(String::as_str)
                        .unwrap_or_else(|| shape_name(id)),
                )
            })
            .collect();
        let op_list = naming::distinct(&op_list, &server_enums);
        self.op_names = op_ids
            .iter()
            .cloned()
            .zip(op_list.iter().cloned())
            .collect();
        let mut fixed: Vec<&str> = server_enums.to_vec();
        fixed.extend(op_list.iter().map(String::as_str));
        let type_list: Vec<String> = self.names.values().cloned().collect();
        let type_list = naming::distinct(&type_list, &fixed);
        for (name, new) in self.names.values_mut().zip(type_list) {
            *name = new;
        }
        // Types are emitted sorted by Rust name; a type's id is its place there.
        let mut sorted: Vec<String> = self.names.values().cloned().collect();
        sorted.sort();
        sorted.dedup();
        self.ids = sorted
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, TypeId(i)))
            .collect();
        Ok(closure)
    }

    /// The service's endpoint rule set, or the one a customisation supplies
    /// where the model has none (S3's addressing).
    pub(super) fn endpoint_rules(
        &mut self,
        service_id: &str,
        service: &Shape,
    ) -> Result<Option<EndpointRules>, Error> {
        let mut endpoint = endpoints::rule_set(&self.model.file, service_id, &service.traits)?;
        for c in &self.custom {
            if let (None, customizations::Change::RuleSetIfAbsent { rule_set, context }) =
                (&endpoint, &c.change)
            {
                let value: Value = serde_json::from_str(rule_set).map_err(|e| Error::Model {
                    file: self.model.file.clone(),
                    shape: Some(service_id.to_string()),
                    message: format!("the customisation's endpoint rule set: {e}"),
                })?;
                let traits = [(endpoints::RULE_SET.to_string(), value)]
                    .into_iter()
                    .collect();
                endpoint = endpoints::rule_set(&self.model.file, service_id, &traits)?;
                self.custom_context = context;
            }
        }
        Ok(endpoint)
    }

    /// Lowers every named shape reached.
    pub(super) fn lower_types(&mut self, closure: &BTreeSet<String>) -> Result<(), Error> {
        for id in closure {
            let shape = self.model.shape(id)?;
            if is_named(shape) && id != model::UNIT {
                let def = self.type_def(id, shape)?;
                self.types.insert(def.name().to_string(), def);
            }
        }
        Ok(())
    }

    /// Numbers the error enums (`<Op>Error`, or `<Op>OperationError` beside
    /// a type of that name) past everything else in the module, sorts the
    /// operations by name, and checks that no two items share a name.
    pub(super) fn name_error_enums(
        &self,
        op_ids: &[String],
        operations: &mut [Operation],
        service_id: &str,
    ) -> Result<(), Error> {
        let mut taken: Vec<&str> = vec![naming::REQUEST_ENUM, naming::RESPONSE_ENUM];
        taken.extend(self.op_names.values().map(String::as_str));
        taken.extend(self.names.values().map(String::as_str));
        let error_names: Vec<String> = operations.iter().map(|o| o.error_name.clone()).collect();
        let error_names = naming::distinct(&error_names, &taken);
        for (op, name) in operations.iter_mut().zip(error_names) {
            op.error_name = name;
        }
        // Operation and error-enum names share the module with the types.
        let mut all_names: Vec<(String, String)> = self
            .names
            .iter()
            .map(|(id, n)| (id.clone(), n.clone()))
            .collect();
        for (id, op) in op_ids.iter().zip(operations.iter()) {
            all_names.push((format!("operation {id}"), op.name.clone()));
            all_names.push((format!("errors of operation {id}"), op.error_name.clone()));
        }
        all_names.push((
            "the server request enum".into(),
            naming::REQUEST_ENUM.into(),
        ));
        all_names.push((
            "the server response enum".into(),
            naming::RESPONSE_ENUM.into(),
        ));
        check_collisions(
            &self.model.file,
            service_id,
            all_names.iter().map(|(a, b)| (a.as_str(), b.clone())),
        )?;
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }
}

/// restXml outputs whose one body member is the root element itself
/// (`aws.customizations#s3UnwrappedXmlOutput`).
pub(super) fn mark_unwrapped_outputs(
    model: &Loaded,
    op_ids: &[String],
    types: &mut [TypeDef],
) -> Result<(), Error> {
    for id in op_ids {
        let op = model.shape(id)?;
        if !op.has_trait("aws.customizations#s3UnwrappedXmlOutput") {
            continue;
        }
        let Some(out) = op.output.as_ref().map(|r| shape_name(&r.target)) else {
            continue;
        };
        for t in types.iter_mut() {
            if let TypeDef::Struct(s) = t {
                if s.shape_id.ends_with(&format!("#{out}")) {
                    s.xml_unwrapped = true;
                }
            }
        }
    }
    Ok(())
}

/// The passes over all types: structures that require themselves refused,
/// recursion boxed, zero values, getters, which operations a server serves
/// (not those whose output holds a stream), what it checks, entry setters.
///
/// `rpc_body`: the protocol's event streams are the whole body (awsJson),
/// so an output's other members come in its `initial-response` event.
pub(super) fn type_passes(
    file: &str,
    types: &mut [TypeDef],
    operations: &mut [Operation],
    rpc_body: bool,
) -> Result<(), Error> {
    check_required_cycles(file, types)?;
    box_recursion(types);
    mark_zero_needed(types);
    assign_getters(types);
    for op in operations.iter_mut() {
        let output = op.output.as_ref().and_then(|r| types[r.id.0].as_struct());
        op.served = !output.is_some_and(Struct::holds_stream);
        op.initial_response = rpc_body
            && output.is_some_and(|s| {
                s.fields.len() > 1
                    && s.fields
                        .iter()
                        .any(|f| matches!(f.ty, Type::EventStream(_)))
            });
    }
    // A server checks what the inputs of the operations it serves reach.
    let inputs: Vec<TypeId> = operations
        .iter()
        .filter(|o| o.served)
        .filter_map(|o| o.input.as_ref().map(|r| r.id))
        .collect();
    mark_check_required(types, &inputs);
    let all_inputs: Vec<TypeId> = operations
        .iter()
        .filter_map(|o| o.input.as_ref().map(|r| r.id))
        .collect();
    assign_entry_setters(types, &all_inputs);
    Ok(())
}

/// Paginators and waiters, which read the final types (optional, boxed
/// fields); one the generator cannot support is left out, saying why.
pub(super) fn paginators_and_waiters(
    model: &Loaded,
    service: &Shape,
    op_ids: &[String],
    operations: &mut [Operation],
    types: &[TypeDef],
) -> Result<Vec<LeftOut>, Error> {
    let mut left_out = Vec::new();
    for op in operations.iter_mut() {
        let Some(id) = op_ids.iter().find(|id| shape_name(id) == op.wire_name) else {
            continue;
        };
        match waiters::paginator(service, model.shape(id)?, op, types) {
            Ok(p) => op.paginator = p,
            Err(reason) => left_out.push(LeftOut {
                what: format!("the paginator of `{}`", op.wire_name),
                reason,
            }),
        }
        let (kept, dropped) = waiters::waiters(model, id)?;
        op.waiters = kept;
        left_out.extend(dropped);
    }
    Ok(left_out)
}

/// Client methods: operations first (they keep their names), then
/// paginators and waiters, numbered where one would shadow another; the
/// waiters' statics, which share `waiters.rs`, numbered among themselves.
pub(super) fn name_client_methods(operations: &mut [Operation]) {
    let op_methods: Vec<String> = operations.iter().map(|o| o.client_method.clone()).collect();
    let op_methods = naming::distinct(&op_methods, &[]);
    for (op, m) in operations.iter_mut().zip(&op_methods) {
        op.client_method = m.clone();
    }
    let mut extra: Vec<String> = Vec::new();
    for op in operations.iter() {
        extra.extend(op.paginator.iter().map(|p| p.method.clone()));
        extra.extend(op.waiters.iter().map(|w| w.method.clone()));
    }
    let taken: Vec<&str> = op_methods.iter().map(String::as_str).collect();
    let mut extra = naming::distinct(&extra, &taken).into_iter();
    let constants: Vec<String> = operations
        .iter()
        .flat_map(|o| o.waiters.iter().map(|w| w.constant.clone()))
        .collect();
    let mut constants = naming::distinct(&constants, &[]).into_iter();
    for op in operations.iter_mut() {
        if let Some(p) = &mut op.paginator {
            p.method = extra.next().unwrap_or_default();
        }
        for w in &mut op.waiters {
            w.method = extra.next().unwrap_or_default();
            w.constant = constants.next().unwrap_or_default();
        }
    }
}

/// What the protocol fixes (with restXml's `noErrorWrapping` and
/// namespace), and how requests are signed and where the service lives:
/// the signing name and endpoint prefix fall back to each other, then to
/// the service shape name in lower case.
pub(super) fn facts(
    service: &Shape,
    service_id: &str,
    protocol: Protocol,
) -> (ProtocolInfo, Signing) {
    let mut info = protocol_info(protocol);
    if protocol == Protocol::RestXml {
        info.no_error_wrapping = service
            .traits
            .get("aws.protocols#restXml")
            .and_then(|t| t.get("noErrorWrapping"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        info.xml_namespace = xml_namespace(&service.traits);
    }
    let trait_str = |t: &str, key: &str| {
        service
            .traits
            .get(t)
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(String::from)
    };
    let sigv4 = trait_str("aws.auth#sigv4", "name");
    let prefix = trait_str("aws.api#service", "endpointPrefix");
    let fallback = shape_name(service_id).to_ascii_lowercase();
    let signing = Signing {
        signing_name: sigv4
            .clone()
            .or_else(|| prefix.clone())
            .unwrap_or_else(|| fallback.clone()),
        endpoint_prefix: prefix.or(sigv4).unwrap_or(fallback),
        sdk_id: trait_str("aws.api#service", "sdkId")
            .unwrap_or_else(|| shape_name(service_id).to_string()),
    };
    (info, signing)
}

/// What lowering a service produced, before the service's own facts are
/// added.
pub(super) struct Lowered {
    pub operations: Vec<Operation>,
    pub types: Vec<TypeDef>,
    pub endpoint: Option<EndpointRules>,
    pub skipped: Vec<SkippedOperation>,
    pub left_out: Vec<LeftOut>,
    pub endpoint_discovery: Option<EndpointDiscovery>,
}

impl Lowered {
    /// The service: these parts and the facts of `service` (`service_id`),
    /// spoken with `protocol`.
    pub(super) fn into_service(
        self,
        req: &super::Request<'_>,
        service_id: &str,
        service: &Shape,
        protocol: Protocol,
    ) -> Service {
        let (protocol_info, signing) = facts(service, service_id, protocol);
        let mut types = self.types;
        super::passes::mark_json_codecs(&mut types, &self.operations, &protocol_info);
        let event_unions = super::protocol::event_unions(&types);
        let runtime = super::protocol::runtime_needs(&protocol_info, &event_unions);
        Service {
            module: naming::module_name(req.module),
            shape_id: service_id.to_string(),
            target_prefix: shape_name(service_id).to_string(),
            protocol_info,
            signing,
            request_enum: naming::REQUEST_ENUM.into(),
            response_enum: naming::RESPONSE_ENUM.into(),
            query_compatible: service.has_trait("aws.protocols#awsQueryCompatible"),
            version: service.version.clone().unwrap_or_default(),
            title: service
                .traits
                .get("smithy.api#title")
                .and_then(Value::as_str)
                .map(String::from),
            docs: super::doc_paragraphs(&service.traits, req.model_docs),
            operations: self.operations,
            types,
            endpoint: self.endpoint,
            skipped: self.skipped,
            left_out: self.left_out,
            endpoint_discovery: self.endpoint_discovery,
            event_unions,
            runtime,
        }
    }
}

/// Endpoint discovery of the service, or none, with the reason it is left
/// out added to `left_out`.
pub(super) fn endpoint_discovery_or_why(
    service: &Shape,
    operations: &[Operation],
    types: &[TypeDef],
    left_out: &mut Vec<LeftOut>,
) -> Option<EndpointDiscovery> {
    match super::discovery::endpoint_discovery(service, operations, types) {
        Ok(d) => d,
        Err(reason) => {
            left_out.push(LeftOut {
                what: "endpoint discovery".into(),
                reason,
            });
            None
        }
    }
}
