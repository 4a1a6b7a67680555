//! Endpoint discovery (`aws.api#clientEndpointDiscovery` on a service,
//! `aws.api#clientDiscoveredEndpoint` on its operations): which operations
//! discover their endpoint, the discovery operation they bring along, and
//! how its answer (`Endpoints: [{Address, CachePeriodInMinutes}]`) is read.

use serde_json::Value;

use crate::ast::Shape;
use crate::ir::{DiscoveredEndpoint, EndpointDiscovery, Operation, Type, TypeDef};
use crate::model;

use model::{
    DISCOVERED_ENDPOINT_TRAIT as OPERATION_TRAIT, ENDPOINT_DISCOVERY_TRAIT as SERVICE_TRAIT,
};

/// The operation's discovery setting, if it has one.
pub(super) fn discovered_endpoint(op: &Shape) -> Option<DiscoveredEndpoint> {
    let t = op.traits.get(OPERATION_TRAIT)?;
    Some(DiscoveredEndpoint {
        required: t.get("required").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// The service's endpoint discovery, read from its lowered discovery
/// operation: `None` when the service has none or no selected operation
/// uses it; an error (the reason it is left out) when the discovery
/// operation's output is not the shape every AWS SDK reads.
pub(super) fn endpoint_discovery(
    service: &Shape,
    operations: &[Operation],
    types: &[TypeDef],
) -> Result<Option<EndpointDiscovery>, String> {
    let Some(id) = model::discovery_operation(service) else {
        return Ok(None);
    };
    if !operations.iter().any(|o| o.discovered_endpoint.is_some()) {
        return Ok(None);
    }
    let name = model::shape_name(id);
    let op = operations
        .iter()
        .find(|o| o.wire_name == name)
        .ok_or_else(|| format!("the discovery operation {id} is not generated"))?;
    let out = op
        .output
        .as_ref()
        .and_then(|r| types.get(r.id.0))
        .and_then(TypeDef::as_struct)
        .ok_or_else(|| format!("{name} has no output structure"))?;
    let list = out
        .fields
        .iter()
        .find(|f| f.wire_name == "Endpoints")
        .ok_or_else(|| format!("{name}'s output has no `Endpoints` member"))?;
    let Type::List { member: item, .. } = &list.ty else {
        return Err(format!("{name}'s `Endpoints` is not a list"));
    };
    let Type::Named(item) = item.as_ref() else {
        return Err(format!("{name}'s `Endpoints` does not list structures"));
    };
    let endpoint = types
        .get(item.id.0)
        .and_then(TypeDef::as_struct)
        .ok_or_else(|| format!("{name}'s `Endpoints` does not list structures"))?;
    let field = |wire: &str, ok: fn(&Type) -> bool| {
        endpoint
            .fields
            .iter()
            .find(|f| f.wire_name == wire && ok(&f.ty))
            .map(|f| (f.name.clone(), f.optional))
            .ok_or_else(|| format!("{name}'s endpoints have no `{wire}` of the expected type"))
    };
    let address = field("Address", |t| matches!(t, Type::String))?;
    let (minutes, optional) = field("CachePeriodInMinutes", |t| {
        matches!(t, Type::Long | Type::Integer)
    })?;
    let long = endpoint
        .fields
        .iter()
        .any(|f| f.wire_name == "CachePeriodInMinutes" && f.ty == Type::Long);
    let cache_minutes = (minutes, optional, long);
    let error_code = service
        .traits
        .get(SERVICE_TRAIT)
        .and_then(|t| t.get("error"))
        .and_then(Value::as_str)
        .map(|e| model::shape_name(e).to_string());
    Ok(Some(EndpointDiscovery {
        operation: op.name.clone(),
        input: op.input.clone(),
        endpoints: (list.name.clone(), list.optional),
        address,
        cache_minutes,
        error_code,
    }))
}
