//! Stage 2, protocol compliance cases: the `smithy.test#httpRequestTests`
//! and `smithy.test#httpResponseTests` traits of a model, lowered into
//! [`ProtocolCase`]s (side, direction, operation, error, test name and skip
//! reason decided here), which the protocol-test emitter turns into Rust
//! tests without looking at the model.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Error;
use crate::ir::*;
use crate::model::{shape_name, Loaded};
use crate::naming;

/// The trait holding request cases.
pub const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// The trait holding response cases.
pub const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
/// The trait holding event-stream cases.
pub const EVENT_STREAM_TESTS: &str = "smithy.test#eventStreamTests";

/// Cases that do not apply to this project, by side, direction and id, each
/// with the reason. A skipped case is still generated, as an ignored test.
pub const SKIPS: &[(Side, Direction, &str, &str)] = &[
    (
        Side::Server,
        Direction::Request,
        "AwsJson10EndpointTrait",
        SERVER_NO_HEADERS,
    ),
    (
        Side::Server,
        Direction::Request,
        "AwsJson10EndpointTraitWithHostLabel",
        SERVER_NO_HEADERS,
    ),
    (
        Side::Server,
        Direction::Request,
        "SDKAppliedContentEncoding_awsJson1_0",
        SERVER_COMPRESSION,
    ),
    (
        Side::Server,
        Direction::Request,
        "SDKAppliedContentEncoding_awsJson1_1",
        SERVER_COMPRESSION,
    ),
    (
        Side::Server,
        Direction::Request,
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_0",
        SERVER_COMPRESSION,
    ),
    (
        Side::Server,
        Direction::Request,
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_1",
        SERVER_COMPRESSION,
    ),
    (
        Side::Server,
        Direction::Response,
        "AwsJson11IntEnums",
        "the expected response headers include `X-Amz-Target`, a request header that no awsJson \
         service sends back (the request case's headers were copied into the response case); \
         smithy-rs lists this case as an expected server failure too",
    ),
    (
        Side::Server,
        Direction::Response,
        "parses_the_request_id_from_the_response",
        "the expected `X-Amzn-Requestid` value is minted by the service for each request and \
         appears nowhere in the case's params, so serializing the output cannot produce it \
         (a server adds its own with `HttpResponse::with_header`); smithy-rs lists this case \
         as an expected server failure too",
    ),
];

const SERVER_NO_HEADERS: &str =
    "the case sends neither `X-Amz-Target` nor `Content-Type` (it checks the host a client \
     derives from `@endpoint`); awsJson1_0 requires both of every request, so a server must \
     refuse it before reading any input, and there is no server behaviour to compare";

const SERVER_COMPRESSION: &str =
    "the case checks only that a client compresses the request body (`@requestCompression`): \
     it gives no body, `X-Amz-Target` or `Content-Type`, so there is no request for a server \
     to parse";

/// The awsJson protocol a service declares, if any.
pub fn service_protocol(model: &Loaded, service_id: &str) -> Option<Protocol> {
    super::declared_protocol(model.shapes.get(service_id)?)
}

fn applies_to(case: &Value, side: Side) -> bool {
    match case.get("appliesTo").and_then(Value::as_str) {
        None => true,
        Some(s) => s == side.as_str(),
    }
}

/// The cases of a service for its own protocol, client cases first, then
/// server cases; on each side cases on its operations, then cases on the
/// errors they (or the service) declare. An error case runs against the
/// first operation, by name, that declares the error. Empty for services
/// on a protocol the generator does not speak; client cases only on the
/// query protocols (the server side speaks awsJson).
pub fn cases(model: &Loaded, service_id: &str) -> Result<Vec<ProtocolCase>, Error> {
    let Some(protocol) = service_protocol(model, service_id) else {
        return Ok(Vec::new());
    };
    let wanted = protocol.trait_id();
    let module = naming::module_name(shape_name(service_id));
    let service_errors = model.service_errors(service_id)?;
    let mut out = Vec::new();
    let mut error_owner: BTreeMap<String, String> = BTreeMap::new();
    let push = |out: &mut Vec<ProtocolCase>,
                side: Side,
                direction: Direction,
                shape: &crate::ast::Shape,
                operation: &str,
                error: Option<&str>| {
        let key = match direction {
            Direction::Request => REQUEST_TESTS,
            Direction::Response => RESPONSE_TESTS,
            Direction::Events => EVENT_STREAM_TESTS,
        };
        let list = shape
            .traits
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for case in list {
            if case.get("protocol").and_then(Value::as_str) != Some(wanted)
                || !applies_to(&case, side)
            {
                continue;
            }
            let id = case
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let side_module = match side {
                Side::Client => String::new(),
                Side::Server => "server::".to_string(),
            };
            out.push(ProtocolCase {
                test: format!(
                    "{module}::{side_module}{}::{}",
                    direction.as_str(),
                    naming::test_fn_name(&id)
                ),
                fn_name: naming::test_fn_name(&id),
                skip: SKIPS
                    .iter()
                    .find(|(s, d, i, _)| *s == side && *d == direction && *i == id)
                    .map(|(_, _, _, reason)| *reason),
                id,
                side,
                direction,
                protocol,
                service: service_id.to_string(),
                operation: operation.to_string(),
                operation_name: shape_name(operation).to_string(),
                error: error.map(String::from),
                error_code: error.map(|e| shape_name(e).to_string()),
                data: case,
            });
        }
    };
    let operations = model.operations(service_id)?;
    for op_id in operations.values() {
        let op = model.shape(op_id)?;
        for e in op.errors.iter().map(|r| &r.target).chain(&service_errors) {
            error_owner
                .entry(e.clone())
                .or_insert_with(|| op_id.clone());
        }
    }
    // The server side speaks awsJson only.
    let sides: &[Side] = if protocol.is_aws_json() {
        &[Side::Client, Side::Server]
    } else {
        &[Side::Client]
    };
    for &side in sides {
        for op_id in operations.values() {
            let op = model.shape(op_id)?;
            push(&mut out, side, Direction::Request, op, op_id, None);
            push(&mut out, side, Direction::Response, op, op_id, None);
            // Event streams: client side only (the server speaks awsJson).
            if side == Side::Client {
                push(&mut out, side, Direction::Events, op, op_id, None);
            }
        }
        for (error, op_id) in &error_owner {
            let shape = model.shape(error)?;
            push(
                &mut out,
                side,
                Direction::Response,
                shape,
                op_id,
                Some(error),
            );
        }
    }
    Ok(out)
}

/// Every service of the model that speaks awsJson and has cases, with its
/// protocol, sorted by shape id.
pub fn services_with_cases(model: &Loaded) -> Result<Vec<(String, Protocol)>, Error> {
    let mut out = Vec::new();
    for (id, shape) in &model.shapes {
        if shape.kind != "service" {
            continue;
        }
        if let Some(p) = service_protocol(model, id) {
            if !cases(model, id)?.is_empty() {
                out.push((id.clone(), p));
            }
        }
    }
    Ok(out)
}
