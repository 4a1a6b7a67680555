//! Lowering of `@paginated` (merged with the service's defaults) into
//! [`Paginator`]s and of `smithy.waiters#waitable` into [`Waiter`]s, with
//! every JMESPath expression parsed here (`lower/jmespath.rs`) and its
//! member names checked against the model. A paginator or waiter the
//! generator cannot support (or one naming a member that does not exist)
//! is left out with the reason, never emitted to silently misbehave; the
//! operation is generated either way.

use serde_json::Value;

use super::jmespath::{check, parse, Cursor};
use crate::ast::Shape;
use crate::error::Error;
use crate::ir::*;
use crate::model::{self, Loaded};
use crate::naming;

const PAGINATED: &str = "smithy.api#paginated";
const WAITABLE: &str = "smithy.waiters#waitable";

/// The paginator of an operation, if it is `@paginated`: `Err` with the
/// reason when it cannot be generated.
pub(crate) fn paginator(
    service: &Shape,
    shape: &Shape,
    op: &Operation,
    types: &[TypeDef],
) -> Result<Option<Paginator>, String> {
    let Some(own) = shape.traits.get(PAGINATED) else {
        return Ok(None);
    };
    let defaults = service.traits.get(PAGINATED);
    let get = |key: &str| {
        own.get(key)
            .or_else(|| defaults.and_then(|d| d.get(key)))
            .and_then(Value::as_str)
            .map(String::from)
    };
    let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken")) else {
        return Err("it needs inputToken and outputToken (on the operation or the service)".into());
    };
    let find = |r: &Option<TypeRef>| r.as_ref().and_then(|r| types[r.id.0].as_struct());
    let (Some(input), Some(output)) = (find(&op.input), find(&op.output)) else {
        return Err("a paginated operation needs an input and an output structure".into());
    };
    let top = |name: &str, what: &str| -> Result<&Field, String> {
        input
            .fields
            .iter()
            .find(|f| f.wire_name == name)
            .ok_or_else(|| format!("{what} `{name}` is not a member of the input"))
    };
    let token_field = top(&input_token, "inputToken")?;
    // Tokens are strings, or maps (DynamoDB's `ExclusiveStartKey`), as the
    // Smithy specification allows; the input's must be optional to be
    // left out of the first call.
    if !matches!(token_field.ty, Type::String | Type::Map { .. }) || !token_field.optional {
        return Err(format!(
            "inputToken `{input_token}` is not an optional string or map"
        ));
    }
    let (out_path, out_ty) = resolve_path(types, output, &output_token)?;
    if out_ty != token_field.ty {
        return Err(format!(
            "outputToken `{output_token}` is not of the inputToken's type"
        ));
    }
    let items = match get("items") {
        None => None,
        Some(items) => {
            let (path, ty) = resolve_path(types, output, &items)?;
            if !matches!(ty, Type::List { .. } | Type::Map { .. }) {
                return Err(format!("items `{items}` is neither a list nor a map"));
            }
            Some(PageItems {
                path,
                collection: ty,
            })
        }
    };
    let page_size = match get("pageSize") {
        None => None,
        Some(p) => {
            let f = top(&p, "pageSize")?;
            if !matches!(f.ty, Type::Byte | Type::Short | Type::Integer | Type::Long) {
                return Err(format!("pageSize `{p}` is not an integer"));
            }
            Some(PageSize {
                field: f.name.clone(),
                optional: f.optional,
                ty: f.ty.clone(),
            })
        }
    };
    Ok(Some(Paginator {
        method: naming::paginator_method(&op.client_method),
        input_token: token_field.name.clone(),
        token: token_field.ty.clone(),
        output_token: out_path,
        items,
        page_size,
        wire: (input_token, output_token, get("items")),
    }))
}

/// A dotted member path through output structures: its steps and the
/// final member's type.
fn resolve_path(
    types: &[TypeDef],
    root: &Struct,
    path: &str,
) -> Result<(Vec<PathStep>, Type), String> {
    let mut current = root;
    let mut steps = Vec::new();
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Some(f) = current.fields.iter().find(|f| f.wire_name == *part) else {
            return Err(format!(
                "`{path}`: `{part}` is not a member of `{}`",
                current.name
            ));
        };
        steps.push(PathStep {
            field: f.name.clone(),
            optional: f.optional,
            boxed: f.boxed,
        });
        if i + 1 == parts.len() {
            return Ok((steps, f.ty.clone()));
        }
        current = match &f.ty {
            Type::Named(r) => types[r.id.0]
                .as_struct()
                .ok_or_else(|| format!("`{path}`: `{part}` is not a structure"))?,
            _ => return Err(format!("`{path}`: `{part}` is not a structure")),
        };
    }
    Err(format!("`{path}` is empty"))
}

/// The waiters of an operation, and those left out with the reason.
pub(crate) fn waiters(model: &Loaded, op_id: &str) -> Result<(Vec<Waiter>, Vec<LeftOut>), Error> {
    let shape = model.shape(op_id)?;
    let Some(map) = shape.traits.get(WAITABLE).and_then(Value::as_object) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (name, w) in map {
        match waiter(model, shape, name, w) {
            Ok(w) => out.push(w),
            Err(reason) => left_out.push(LeftOut {
                what: format!("waiter `{name}` of `{}`", model::shape_name(op_id)),
                reason,
            }),
        }
    }
    Ok((out, left_out))
}

fn waiter(model: &Loaded, shape: &Shape, name: &str, w: &Value) -> Result<Waiter, String> {
    let min_delay = w.get("minDelay").and_then(Value::as_u64).unwrap_or(2);
    let max_delay = w.get("maxDelay").and_then(Value::as_u64).unwrap_or(120);
    if min_delay < 1 || max_delay < min_delay {
        return Err(format!(
            "minDelay {min_delay} and maxDelay {max_delay} need 1 <= minDelay <= maxDelay"
        ));
    }
    let list = w
        .get("acceptors")
        .and_then(Value::as_array)
        .ok_or("no acceptors")?;
    let mut acceptors = Vec::new();
    for (i, a) in list.iter().enumerate() {
        acceptors.push(acceptor(model, shape, a).map_err(|m| format!("acceptor {i}: {m}"))?);
    }
    if !acceptors.iter().any(|a| a.state == "Success") {
        return Err("no acceptor leads to success".into());
    }
    Ok(Waiter {
        name: name.to_string(),
        method: naming::waiter_method(name),
        constant: naming::const_name(name),
        min_delay,
        max_delay,
        deprecated: w
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        acceptors,
    })
}

fn acceptor(model: &Loaded, shape: &Shape, a: &Value) -> Result<Acceptor, String> {
    let state = match a.get("state").and_then(Value::as_str) {
        Some("success") => "Success",
        Some("failure") => "Failure",
        Some("retry") => "Retry",
        other => return Err(format!("state {other:?} is not success, failure or retry")),
    };
    let m = a
        .get("matcher")
        .and_then(Value::as_object)
        .ok_or("no matcher")?;
    let (kind, v) = match m.iter().next() {
        Some(kv) if m.len() == 1 => kv,
        _ => return Err("a matcher sets exactly one member".into()),
    };
    let mut text = None;
    let matcher = match kind.as_str() {
        "success" => Matcher::Success(v.as_bool().ok_or("`success` is not a boolean")?),
        "errorType" => {
            let code = v.as_str().ok_or("`errorType` is not a string")?;
            Matcher::ErrorType(model::shape_name(code).to_string())
        }
        "output" | "inputOutput" => {
            let s = |k: &str| {
                v.get(k)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("`{kind}` has no `{k}`"))
            };
            let (path, expected, comparator) = (s("path")?, s("expected")?, s("comparator")?);
            let comparator = match comparator {
                "stringEquals" => "StringEquals",
                "booleanEquals" => "BooleanEquals",
                "allStringEquals" => "AllStringEquals",
                "anyStringEquals" => "AnyStringEquals",
                other => return Err(format!("comparator `{other}` is not one of stringEquals, booleanEquals, allStringEquals, anyStringEquals")),
            };
            if comparator == "BooleanEquals" && !matches!(expected, "true" | "false") {
                return Err(format!(
                    "booleanEquals expects \"true\" or \"false\", not {expected:?}"
                ));
            }
            let expr = parse(path).map_err(|e| format!("path `{path}`: {e}"))?;
            text = Some(path.to_string());
            let io = |output: bool| {
                let r = if output { &shape.output } else { &shape.input };
                match r {
                    Some(r) if r.target != model::UNIT => Cursor::Shape(r.target.clone()),
                    _ => Cursor::Any,
                }
            };
            let root = if kind == "output" {
                io(true)
            } else {
                Cursor::InputOutput {
                    input: Box::new(io(false)),
                    output: Box::new(io(true)),
                }
            };
            check(model, &expr, &root).map_err(|e| format!("path `{path}`: {e}"))?;
            if kind == "output" {
                Matcher::Output(expr, expected.to_string(), comparator.to_string())
            } else {
                Matcher::InputOutput(expr, expected.to_string(), comparator.to_string())
            }
        }
        other => {
            return Err(format!(
                "matcher `{other}` is not output, inputOutput, success or errorType"
            ))
        }
    };
    Ok(Acceptor {
        state: state.to_string(),
        matcher,
        path: text,
    })
}
