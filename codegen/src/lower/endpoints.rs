//! Lowering of endpoint rules: `smithy.rules#endpointRuleSet` into
//! [`EndpointRules`], `smithy.rules#endpointTests` into [`EndpointTest`]s,
//! `@contextParam` / `@staticContextParams` into per-operation
//! [`EndpointContext`], and `partitions.json` into [`Partition`]s.
//!
//! Every name is resolved to a slot here and every function checked against
//! the runtime's library, so a rule set the runtime cannot evaluate is a
//! generator error naming the service and the rule, never a resolver that
//! silently picks a wrong endpoint.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ast::{Shape, Traits};
use crate::error::Error;
use crate::ir::*;
use crate::model::Loaded;
use crate::naming;
use crate::runtime::endpoint::{Function, Regex};

pub(crate) const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const TESTS: &str = "smithy.rules#endpointTests";
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";

struct Cx<'a> {
    file: &'a str,
    service: &'a str,
    /// Parameter and variable names to slots.
    slots: BTreeMap<String, usize>,
}

impl Cx<'_> {
    fn err(&self, at: &str, message: impl std::fmt::Display) -> Error {
        Error::Model {
            file: self.file.to_string(),
            shape: Some(self.service.to_string()),
            message: format!("endpoint rule set, {at}: {message}"),
        }
    }
}

/// The service's rule set, lowered; `None` when the model has none.
pub(crate) fn rule_set(
    file: &str,
    service_id: &str,
    traits: &Traits,
) -> Result<Option<EndpointRules>, Error> {
    let Some(rs) = traits.get(RULE_SET) else {
        return Ok(None);
    };
    let mut cx = Cx {
        file,
        service: service_id,
        slots: BTreeMap::new(),
    };
    let params_json = rs
        .get("parameters")
        .and_then(Value::as_object)
        .ok_or_else(|| cx.err("parameters", "missing or not an object"))?;
    let mut params = Vec::new();
    for (name, p) in params_json {
        let at = format!("parameter `{name}`");
        let kind = match p
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
        {
            Some(t) if t == "string" => EndpointParamKind::String,
            Some(t) if t == "boolean" => EndpointParamKind::Boolean,
            Some(t) if t == "stringarray" => EndpointParamKind::StringArray,
            other => {
                return Err(cx.err(
                    &at,
                    format!("type {other:?} is not string, boolean or stringArray"),
                ))
            }
        };
        let default = match p.get("default") {
            None | Some(Value::Null) => None,
            Some(v) => Some(literal(kind, v).ok_or_else(|| {
                cx.err(
                    &at,
                    format!("default {v} does not have the parameter's type"),
                )
            })?),
        };
        let field = naming::field_name(name);
        cx.slots.insert(name.clone(), params.len());
        params.push(EndpointParam {
            name: name.clone(),
            field,
            kind,
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            default,
            builtin: p.get("builtIn").and_then(Value::as_str).map(String::from),
        });
    }
    let rules_json = rs
        .get("rules")
        .and_then(Value::as_array)
        .ok_or_else(|| cx.err("rules", "missing or not a list"))?;
    let scope: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
    let rules = rules(&mut cx, rules_json, "rules", &scope)?;
    // Parameters' fields, and slot constants (parameters, then variables in
    // the order the rules assign them), distinct after recasing: S3
    // Control has both `AccessPointName` and `accessPointName`.
    let fields: Vec<String> = params.iter().map(|p| p.field.clone()).collect();
    for (p, field) in params.iter_mut().zip(naming::distinct(&fields, &[])) {
        p.field = field;
    }
    let mut by_slot = vec![String::new(); cx.slots.len()];
    for (name, slot) in &cx.slots {
        by_slot[*slot] = naming::const_name(name);
    }
    let slot_names = naming::distinct(&by_slot, &[]);
    Ok(Some(EndpointRules {
        slots: cx.slots.len(),
        slot_names,
        params,
        rules,
    }))
}

/// A parameter value of the given type.
fn literal(kind: EndpointParamKind, v: &Value) -> Option<EndpointLiteral> {
    match (kind, v) {
        (EndpointParamKind::Boolean, Value::Bool(b)) => Some(EndpointLiteral::Bool(*b)),
        (EndpointParamKind::String, Value::String(s)) => Some(EndpointLiteral::Str(s.clone())),
        (EndpointParamKind::StringArray, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(String::from))
            .collect::<Option<Vec<_>>>()
            .map(EndpointLiteral::StrArray),
        _ => None,
    }
}

fn rules(
    cx: &mut Cx<'_>,
    list: &[Value],
    at: &str,
    scope: &[String],
) -> Result<Vec<EndpointRule>, Error> {
    list.iter()
        .enumerate()
        .map(|(i, r)| rule(cx, r, &format!("{at}[{i}]"), scope))
        .collect()
}

fn rule(cx: &mut Cx<'_>, r: &Value, at: &str, outer: &[String]) -> Result<EndpointRule, Error> {
    let mut scope = outer.to_vec();
    let mut conditions = Vec::new();
    let conds = match r.get("conditions") {
        None => &[][..],
        Some(Value::Array(c)) => c.as_slice(),
        Some(_) => return Err(cx.err(at, "`conditions` is not a list")),
    };
    for (i, c) in conds.iter().enumerate() {
        let cat = format!("{at}.conditions[{i}]");
        if c.get("fn").is_none() {
            return Err(cx.err(&cat, "a condition must be a function call"));
        }
        let expr = expr(cx, c, &cat, &scope, false)?;
        let assign = match c.get("assign") {
            None => None,
            Some(Value::String(name)) => {
                if scope.contains(name) {
                    return Err(cx.err(&cat, format!("`{name}` is assigned but already in scope")));
                }
                scope.push(name.clone());
                let next = cx.slots.len();
                Some(*cx.slots.entry(name.clone()).or_insert(next))
            }
            Some(other) => return Err(cx.err(&cat, format!("`assign` {other} is not a name"))),
        };
        conditions.push(EndpointCondition { expr, assign });
    }
    match r.get("type").and_then(Value::as_str) {
        Some("endpoint") => {
            let e = r
                .get("endpoint")
                .ok_or_else(|| cx.err(at, "an endpoint rule without `endpoint`"))?;
            let url = e
                .get("url")
                .ok_or_else(|| cx.err(at, "an endpoint without `url`"))?;
            let url = expr(cx, url, &format!("{at}.endpoint.url"), &scope, false)?;
            let mut properties = Vec::new();
            if let Some(props) = e.get("properties") {
                let props = props
                    .as_object()
                    .ok_or_else(|| cx.err(at, "endpoint `properties` is not an object"))?;
                for (k, v) in props {
                    let pat = format!("{at}.endpoint.properties.{k}");
                    properties.push((k.clone(), expr(cx, v, &pat, &scope, true)?));
                }
            }
            let mut headers = Vec::new();
            if let Some(hs) = e.get("headers") {
                let hs = hs
                    .as_object()
                    .ok_or_else(|| cx.err(at, "endpoint `headers` is not an object"))?;
                for (name, values) in hs {
                    let hat = format!("{at}.endpoint.headers.{name}");
                    let values = values
                        .as_array()
                        .ok_or_else(|| cx.err(&hat, "header values are not a list"))?;
                    let values = values
                        .iter()
                        .map(|v| expr(cx, v, &hat, &scope, false))
                        .collect::<Result<_, _>>()?;
                    headers.push((name.clone(), values));
                }
            }
            Ok(EndpointRule::Endpoint {
                conditions,
                url,
                properties,
                headers,
            })
        }
        Some("error") => {
            let message = r
                .get("error")
                .ok_or_else(|| cx.err(at, "an error rule without `error`"))?;
            let message = expr(cx, message, &format!("{at}.error"), &scope, false)?;
            Ok(EndpointRule::Error {
                conditions,
                message,
            })
        }
        Some("tree") => {
            let inner = r
                .get("rules")
                .and_then(Value::as_array)
                .ok_or_else(|| cx.err(at, "a tree rule without a `rules` list"))?;
            let rules = rules(cx, inner, &format!("{at}.rules"), &scope)?;
            Ok(EndpointRule::Tree { conditions, rules })
        }
        other => Err(cx.err(
            at,
            format!("rule type {other:?} is not endpoint, error or tree"),
        )),
    }
}

fn slot(cx: &Cx<'_>, name: &str, at: &str, scope: &[String]) -> Result<usize, Error> {
    match cx.slots.get(name) {
        Some(s) if scope.iter().any(|n| n == name) => Ok(*s),
        _ => Err(cx.err(
            at,
            format!("`{name}` is neither a parameter nor assigned by an earlier condition"),
        )),
    }
}

fn expr(
    cx: &Cx<'_>,
    v: &Value,
    at: &str,
    scope: &[String],
    literals: bool,
) -> Result<EndpointExpr, Error> {
    match v {
        Value::Bool(b) => Ok(EndpointExpr::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(EndpointExpr::Int)
            .ok_or_else(|| cx.err(at, format!("number {n} is not an integer"))),
        Value::String(s) => Ok(EndpointExpr::Str(template(cx, s, at, scope)?)),
        Value::Object(o) if o.contains_key("ref") => {
            let name = o
                .get("ref")
                .and_then(Value::as_str)
                .ok_or_else(|| cx.err(at, "`ref` is not a name"))?;
            Ok(EndpointExpr::Ref(slot(cx, name, at, scope)?))
        }
        Value::Object(o) if o.contains_key("fn") => {
            let name = o
                .get("fn")
                .and_then(Value::as_str)
                .ok_or_else(|| cx.err(at, "`fn` is not a name"))?;
            let argv = o
                .get("argv")
                .and_then(Value::as_array)
                .ok_or_else(|| cx.err(at, format!("`{name}` without an `argv` list")))?;
            if name == "getAttr" {
                let [target, path] = argv.as_slice() else {
                    return Err(cx.err(at, "`getAttr` takes 2 arguments"));
                };
                let path = path
                    .as_str()
                    .ok_or_else(|| cx.err(at, "the `getAttr` path is not a string"))?;
                let target = expr(cx, target, at, scope, false)?;
                return Ok(EndpointExpr::GetAttr(
                    Box::new(target),
                    attr_path(cx, path, at)?,
                ));
            }
            let Some((function, arity)) = Function::from_name(name) else {
                return Err(cx.err(
                    at,
                    format!("function `{name}` is not one this generator's resolver implements"),
                ));
            };
            if argv.len() != arity {
                return Err(cx.err(
                    at,
                    format!("`{name}` takes {arity} arguments, found {}", argv.len()),
                ));
            }
            let args = argv
                .iter()
                .enumerate()
                .map(|(i, a)| expr(cx, a, &format!("{at}.{name}[{i}]"), scope, false))
                .collect::<Result<_, _>>()?;
            Ok(EndpointExpr::Call(format!("{function:?}"), args))
        }
        Value::Array(items) if literals => Ok(EndpointExpr::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| expr(cx, x, &format!("{at}[{i}]"), scope, true))
                .collect::<Result<_, _>>()?,
        )),
        Value::Object(o) if literals => Ok(EndpointExpr::Object(
            o.iter()
                .map(|(k, x)| Ok((k.clone(), expr(cx, x, &format!("{at}.{k}"), scope, true)?)))
                .collect::<Result<_, Error>>()?,
        )),
        other => Err(cx.err(at, format!("{other} is not an expression"))),
    }
}

/// `a.b[1]`, `[0]`, `name`.
fn attr_path(cx: &Cx<'_>, path: &str, at: &str) -> Result<Vec<EndpointPath>, Error> {
    let bad = || cx.err(at, format!("`{path}` is not a getAttr path"));
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(EndpointPath::Key(key.to_string()));
        } else if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(bad)?;
            let index = rest
                .get(1..close)
                .and_then(|n| n.parse().ok())
                .ok_or_else(bad)?;
            out.push(EndpointPath::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad());
            }
        }
    }
    Ok(out)
}

/// A template string: text, `{{`/`}}` escapes, `{name}` and `{name#path}`.
fn template(cx: &Cx<'_>, s: &str, at: &str, scope: &[String]) -> Result<Vec<EndpointPiece>, Error> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                text.push('}');
            }
            '}' => return Err(cx.err(at, format!("unmatched `}}` in template {s:?}"))),
            '{' => {
                let close = s[i..]
                    .find('}')
                    .map(|c| i + c)
                    .ok_or_else(|| cx.err(at, format!("unclosed `{{` in template {s:?}")))?;
                let inner = &s[i + 1..close];
                while chars.peek().is_some_and(|(j, _)| *j <= close) {
                    chars.next();
                }
                if !text.is_empty() {
                    pieces.push(EndpointPiece::Text(std::mem::take(&mut text)));
                }
                pieces.push(match inner.split_once('#') {
                    Some((name, path)) => {
                        EndpointPiece::Attr(slot(cx, name, at, scope)?, attr_path(cx, path, at)?)
                    }
                    None => EndpointPiece::Var(slot(cx, inner, at, scope)?),
                });
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(EndpointPiece::Text(text));
    }
    Ok(pieces)
}

/// The model's endpoint test cases, against its lowered rule set.
pub(crate) fn tests(
    file: &str,
    service_id: &str,
    traits: &Traits,
    rules: &EndpointRules,
) -> Result<Vec<EndpointTest>, Error> {
    let Some(cases) = traits
        .get(TESTS)
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
    else {
        return Ok(Vec::new());
    };
    let err = |n: usize, message: String| Error::Model {
        file: file.to_string(),
        shape: Some(service_id.to_string()),
        message: format!("endpoint test {n}: {message}"),
    };
    let mut out = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let number = i + 1;
        let mut params = Vec::new();
        if let Some(given) = case.get("params").and_then(Value::as_object) {
            for (name, v) in given {
                let Some(index) = rules.params.iter().position(|p| &p.name == name) else {
                    return Err(err(
                        number,
                        format!("`{name}` is not a parameter of the rule set"),
                    ));
                };
                let value = literal(rules.params[index].kind, v).ok_or_else(|| {
                    err(
                        number,
                        format!("`{name}` = {v} does not have the parameter's type"),
                    )
                })?;
                params.push((index, value));
            }
        }
        let expect = case
            .get("expect")
            .ok_or_else(|| err(number, "no `expect`".into()))?;
        let expect = if let Some(e) = expect.get("error") {
            EndpointExpect::Error(
                e.as_str()
                    .ok_or_else(|| err(number, "`error` is not a string".into()))?
                    .to_string(),
            )
        } else if let Some(e) = expect.get("endpoint") {
            let url = e
                .get("url")
                .and_then(Value::as_str)
                .ok_or_else(|| err(number, "the endpoint has no `url`".into()))?;
            let mut headers = Vec::new();
            if let Some(hs) = e.get("headers").and_then(Value::as_object) {
                for (name, values) in hs {
                    let values = values
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|v| v.as_str().map(String::from))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| err(number, format!("header `{name}` is not strings")))?;
                    headers.push((name.clone(), values));
                }
            }
            let properties = e
                .get("properties")
                .cloned()
                .unwrap_or(Value::Object(Default::default()));
            EndpointExpect::Endpoint {
                url: url.to_string(),
                headers,
                properties: properties.to_string(),
            }
        } else {
            return Err(err(
                number,
                "`expect` has neither `endpoint` nor `error`".into(),
            ));
        };
        out.push(EndpointTest {
            number,
            params,
            expect,
        });
    }
    Ok(out)
}

/// The endpoint parameters an operation sets: `@staticContextParams` on the
/// operation, `@contextParam` on top-level input members.
pub(crate) fn operation_context(
    model: &Loaded,
    op_id: &str,
    op: &Shape,
    input: Option<&Shape>,
    rules: Option<&EndpointRules>,
) -> Result<Vec<EndpointContext>, Error> {
    let err = |message: String| Error::Model {
        file: model.file.clone(),
        shape: Some(op_id.to_string()),
        message,
    };
    let mut out = Vec::new();
    let param = |name: &str| -> Result<(usize, &EndpointParam), Error> {
        let Some(rules) = rules else {
            return Err(err(format!(
                "sets endpoint parameter `{name}` but the service has no endpoint rule set"
            )));
        };
        rules
            .params
            .iter()
            .enumerate()
            .find(|(_, p)| p.name == name)
            .ok_or_else(|| {
                err(format!(
                    "endpoint parameter `{name}` is not in the rule set"
                ))
            })
    };
    if let Some(statics) = op
        .traits
        .get(STATIC_CONTEXT_PARAMS)
        .and_then(Value::as_object)
    {
        for (name, v) in statics {
            let (index, p) = param(name)?;
            let value = v
                .get("value")
                .and_then(|v| literal(p.kind, v))
                .ok_or_else(|| err(format!("static endpoint parameter `{name}`: {v} does not have the parameter's type")))?;
            out.push(EndpointContext {
                param: index,
                source: EndpointSource::Static(value),
            });
        }
    }
    if let Some(input) = input {
        for (field, (member_name, member)) in input.members.iter().enumerate() {
            let Some(name) = member
                .traits
                .get(CONTEXT_PARAM)
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let (index, p) = param(name)?;
            let target = model.shape(&member.target)?;
            let fits = match p.kind {
                EndpointParamKind::String => matches!(target.kind.as_str(), "string" | "enum"),
                EndpointParamKind::Boolean => target.kind == "boolean",
                EndpointParamKind::StringArray => {
                    target.kind == "list"
                        && match &target.member {
                            Some(m) => model.shape(&m.target)?.kind == "string",
                            None => false,
                        }
                }
            };
            if !fits {
                return Err(err(format!(
                    "member `{member_name}` (a {}) cannot set the {:?} endpoint parameter `{name}`",
                    target.kind, p.kind
                )));
            }
            out.push(EndpointContext {
                param: index,
                source: EndpointSource::Member(field),
            });
        }
    }
    Ok(out)
}

/// The partition table of `partitions.json`.
pub(crate) fn partitions(file: &str, text: &str) -> Result<Vec<Partition>, Error> {
    let err = |message: String| Error::Model {
        file: file.to_string(),
        shape: None,
        message,
    };
    let json: Value = serde_json::from_str(text).map_err(|e| Error::Json {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let list = json
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| err("no `partitions` list".into()))?;
    let mut out = Vec::new();
    for p in list {
        let id = p
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| err("a partition without an `id`".into()))?;
        let s = |obj: &Value, key: &str| -> Result<String, Error> {
            obj.get(key)
                .and_then(Value::as_str)
                .map(String::from)
                .ok_or_else(|| {
                    err(format!(
                        "partition `{id}`: `{key}` is missing or not a string"
                    ))
                })
        };
        let b = |obj: &Value, key: &str| -> Result<bool, Error> {
            obj.get(key).and_then(Value::as_bool).ok_or_else(|| {
                err(format!(
                    "partition `{id}`: `{key}` is missing or not a boolean"
                ))
            })
        };
        let region_regex = s(p, "regionRegex")?;
        Regex::new(&region_regex)
            .map_err(|e| err(format!("partition `{id}`: regionRegex: {e}")))?;
        let mut regions = Vec::new();
        for (name, overrides) in p
            .get("regions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(key) = overrides
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
                .find(|k| *k != "description")
            {
                return Err(err(format!(
                    "partition `{id}`: region `{name}` overrides `{key}`, which this generator does not support"
                )));
            }
            regions.push(name.clone());
        }
        let o = p
            .get("outputs")
            .ok_or_else(|| err(format!("partition `{id}` has no `outputs`")))?;
        out.push(Partition {
            id: id.to_string(),
            region_regex,
            regions,
            name: s(o, "name")?,
            dns_suffix: s(o, "dnsSuffix")?,
            dual_stack_dns_suffix: s(o, "dualStackDnsSuffix")?,
            supports_fips: b(o, "supportsFIPS")?,
            supports_dual_stack: b(o, "supportsDualStack")?,
            implicit_global_region: s(o, "implicitGlobalRegion")?,
        });
    }
    Ok(out)
}

/// The parameters (by index) whose values the rule set writes into an
/// endpoint URL, directly or through assigned variables: an operation's
/// label bound to one leaves its path (S3's `Bucket`).
pub(crate) fn url_params(rules: &EndpointRules) -> BTreeSet<usize> {
    fn refs(e: &EndpointExpr, out: &mut BTreeSet<usize>) {
        match e {
            EndpointExpr::Ref(s) => {
                out.insert(*s);
            }
            EndpointExpr::Str(pieces) => {
                for p in pieces {
                    match p {
                        EndpointPiece::Var(s) | EndpointPiece::Attr(s, _) => {
                            out.insert(*s);
                        }
                        EndpointPiece::Text(_) => {}
                    }
                }
            }
            EndpointExpr::GetAttr(inner, _) => refs(inner, out),
            EndpointExpr::Call(_, args) | EndpointExpr::Array(args) => {
                for a in args {
                    refs(a, out);
                }
            }
            EndpointExpr::Object(fields) => {
                for (_, v) in fields {
                    refs(v, out);
                }
            }
            EndpointExpr::Bool(_) | EndpointExpr::Int(_) => {}
        }
    }
    fn walk(
        rules: &[EndpointRule],
        deps: &mut BTreeMap<usize, BTreeSet<usize>>,
        urls: &mut BTreeSet<usize>,
    ) {
        for rule in rules {
            let conditions = match rule {
                EndpointRule::Endpoint { conditions, .. }
                | EndpointRule::Error { conditions, .. }
                | EndpointRule::Tree { conditions, .. } => conditions,
            };
            for c in conditions {
                if let Some(slot) = c.assign {
                    refs(&c.expr, deps.entry(slot).or_default());
                }
            }
            match rule {
                EndpointRule::Endpoint { url, .. } => refs(url, urls),
                EndpointRule::Tree { rules, .. } => walk(rules, deps, urls),
                EndpointRule::Error { .. } => {}
            }
        }
    }
    let mut deps = BTreeMap::new();
    let mut reached = BTreeSet::new();
    walk(&rules.rules, &mut deps, &mut reached);
    // Close over assignments: a variable built from a parameter carries it.
    let mut todo: Vec<usize> = reached.iter().copied().collect();
    while let Some(slot) = todo.pop() {
        for d in deps.get(&slot).into_iter().flatten() {
            if reached.insert(*d) {
                todo.push(*d);
            }
        }
    }
    reached
        .into_iter()
        .filter(|s| *s < rules.params.len())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::ir::*;
    use crate::test_model::TestModel;

    const PARAMS: &str = r#""parameters":{
        "Region":{"type":"String","builtIn":"AWS::Region"},
        "UseFIPS":{"type":"boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
        "Bucket":{"type":"string"},
        "Names":{"type":"stringArray"}}"#;

    fn with_rules(rules: &str) -> Result<Service, crate::Error> {
        TestModel::new()
            .service_traits(&format!(
                r#""smithy.rules#endpointRuleSet":{{"version":"1.0",{PARAMS},"rules":{rules}}}"#
            ))
            .lower()
    }

    fn error_of(rules: &str) -> String {
        with_rules(rules).unwrap_err().to_string()
    }

    #[test]
    fn a_rule_set_lowers_to_slots_pieces_and_paths() {
        let svc = with_rules(
            r#"[{"type":"tree","conditions":[
                    {"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],
                 "rules":[{"type":"endpoint","conditions":[],
                    "endpoint":{"url":"https://{{x}}.{Region}.{p#dnsSuffix}",
                      "properties":{"authSchemes":[{"name":"sigv4","n":[1,true]}]},
                      "headers":{"h":["{Bucket}"]}}}]},
                {"type":"error","conditions":[
                    {"fn":"getAttr","argv":[{"ref":"Names"},"[1]"]}],"error":"two"}]"#,
        )
        .unwrap();
        let rules = svc.endpoint.unwrap();
        assert_eq!(rules.params.len(), 4);
        assert_eq!(rules.slots, 5);
        assert_eq!(
            rules.slot_names,
            ["REGION", "USE_FIPS", "BUCKET", "NAMES", "P"]
        );
        assert_eq!(rules.params[1].default, Some(EndpointLiteral::Bool(false)));
        assert_eq!(rules.params[3].kind, EndpointParamKind::StringArray);
        let EndpointRule::Tree {
            conditions,
            rules: inner,
        } = &rules.rules[0]
        else {
            panic!()
        };
        assert_eq!(conditions[0].assign, Some(4));
        assert_eq!(
            conditions[0].expr,
            EndpointExpr::Call("Partition".into(), vec![EndpointExpr::Ref(0)])
        );
        let EndpointRule::Endpoint {
            url,
            headers,
            properties,
            ..
        } = &inner[0]
        else {
            panic!()
        };
        assert_eq!(
            url,
            &EndpointExpr::Str(vec![
                EndpointPiece::Text("https://{x}.".into()),
                EndpointPiece::Var(0),
                EndpointPiece::Text(".".into()),
                EndpointPiece::Attr(4, vec![EndpointPath::Key("dnsSuffix".into())]),
            ])
        );
        assert_eq!(
            headers[0].1,
            [EndpointExpr::Str(vec![EndpointPiece::Var(2)])]
        );
        assert!(matches!(&properties[0].1, EndpointExpr::Array(items) if items.len() == 1));
        let EndpointRule::Error { conditions, .. } = &rules.rules[1] else {
            panic!()
        };
        assert_eq!(
            conditions[0].expr,
            EndpointExpr::GetAttr(Box::new(EndpointExpr::Ref(3)), vec![EndpointPath::Index(1)])
        );
    }

    #[test]
    fn malformed_rule_sets_name_the_service_and_the_rule() {
        for (rules, wanted) in [
            (
                r#"[{"type":"error","conditions":[{"fn":"aws.unknown","argv":[]}],"error":"x"}]"#,
                "rules[0].conditions[0]: function `aws.unknown` is not one",
            ),
            (
                r#"[{"type":"error","conditions":[{"fn":"isSet","argv":[{"ref":"Nope"}]}],"error":"x"}]"#,
                "rules[0].conditions[0].isSet[0]: `Nope` is neither a parameter nor assigned",
            ),
            (
                r#"[{"type":"error","conditions":[{"fn":"not","argv":[true,false]}],"error":"x"}]"#,
                "`not` takes 1 arguments, found 2",
            ),
            (
                r#"[{"type":"error","conditions":[],"error":"oops {Region"}]"#,
                "rules[0].error: unclosed `{` in template",
            ),
            (
                r#"[{"type":"tree","conditions":[],"rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"{x}"}}]}]"#,
                "rules[0].rules[0].endpoint.url: `x` is neither",
            ),
            (
                r#"[{"type":"error","conditions":[{"fn":"getAttr","argv":[{"ref":"Names"},"a[x]"]}],"error":"x"}]"#,
                "`a[x]` is not a getAttr path",
            ),
            (
                r#"[{"type":"fallback","conditions":[]}]"#,
                "rule type Some(\"fallback\")",
            ),
            (
                r#"[{"type":"tree","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}],"assign":"Region"}],"rules":[]}]"#,
                "`Region` is assigned but already in scope",
            ),
        ] {
            let err = error_of(rules);
            assert!(err.contains("a#Svc"), "{err}");
            assert!(err.contains(wanted), "{wanted:?} not in {err}");
        }
    }

    /// Rule-set parameters and variables equal after recasing (S3
    /// Control's `AccessPointName` and `accessPointName`) are numbered:
    /// parameters first, then variables in the order they are assigned.
    #[test]
    fn colliding_rule_set_names_are_numbered() {
        let svc = TestModel::new()
            .service_traits(
                r#""smithy.rules#endpointRuleSet":{"version":"1.0","parameters":{
                    "AccessPointName":{"type":"string"},"accessPointName":{"type":"string"}},
                  "rules":[{"type":"tree","conditions":[
                    {"fn":"isSet","argv":[{"ref":"AccessPointName"}]},
                    {"fn":"substring","argv":[{"ref":"AccessPointName"},0,1,false],"assign":"ACCESS_POINT_NAME"}],
                    "rules":[{"type":"error","conditions":[],"error":"{ACCESS_POINT_NAME}"}]}]}"#,
            )
            .lower()
            .unwrap();
        let rules = svc.endpoint.unwrap();
        let fields: Vec<&str> = rules.params.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["access_point_name", "access_point_name_2"]);
        assert_eq!(
            rules.slot_names,
            [
                "ACCESS_POINT_NAME",
                "ACCESS_POINT_NAME_2",
                "ACCESS_POINT_NAME_3"
            ]
        );
    }

    #[test]
    fn a_variable_is_only_in_scope_below_its_assignment() {
        let err = error_of(
            r#"[{"type":"tree","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],"rules":[]},
                {"type":"error","conditions":[],"error":"{p#name}"}]"#,
        );
        assert!(err.contains("rules[1].error: `p` is neither"), "{err}");
    }

    #[test]
    fn context_params_bind_input_members_and_constants() {
        let svc = TestModel::new()
            .service_traits(&format!(
                r#""smithy.rules#endpointRuleSet":{{"version":"1.0",{PARAMS},"rules":[]}}"#
            ))
            .operation(
                "Get",
                r#""input":{"target":"a#In"},"traits":{"smithy.rules#staticContextParams":{"Region":{"value":"us-east-1"}}}"#,
            )
            .shapes(
                r#""a#In":{"type":"structure","members":{
                    "Other":{"target":"smithy.api#Integer"},
                    "B":{"target":"smithy.api#String","traits":{"smithy.rules#contextParam":{"name":"Bucket"}}}}}"#,
            )
            .lower()
            .unwrap();
        let op = &svc.operations[0];
        assert_eq!(
            op.endpoint_context,
            [
                EndpointContext {
                    param: 0,
                    source: EndpointSource::Static(EndpointLiteral::Str("us-east-1".into())),
                },
                EndpointContext {
                    param: 2,
                    source: EndpointSource::Member(1),
                },
            ]
        );
        let err = TestModel::new()
            .service_traits(&format!(
                r#""smithy.rules#endpointRuleSet":{{"version":"1.0",{PARAMS},"rules":[]}}"#
            ))
            .operation("Get", r#""input":{"target":"a#In"}"#)
            .shapes(
                r#""a#In":{"type":"structure","members":{
                    "N":{"target":"smithy.api#Integer","traits":{"smithy.rules#contextParam":{"name":"Bucket"}}}}}"#,
            )
            .lower()
            .unwrap_err()
            .to_string();
        assert!(err.contains("member `N` (a integer) cannot set"), "{err}");
    }

    #[test]
    fn the_embedded_partitions_lower_and_bad_ones_are_refused() {
        let parts = crate::partitions().unwrap();
        assert_eq!(parts[0].id, "aws");
        assert!(parts
            .iter()
            .any(|p| p.id == "aws-cn" && p.dns_suffix == "amazonaws.com.cn"));
        let bad = r#"{"partitions":[{"id":"x","regionRegex":"[a-z]+","regions":{},
            "outputs":{"name":"x","dnsSuffix":"d","dualStackDnsSuffix":"d","supportsFIPS":true,
            "supportsDualStack":true,"implicitGlobalRegion":"r"}}]}"#;
        let err = super::partitions("p.json", bad).unwrap_err().to_string();
        assert!(err.contains("partition `x`: regionRegex"), "{err}");
        let overrides = bad.replace("[a-z]+", "^x$").replace(
            r#""regions":{}"#,
            r#""regions":{"r1":{"dnsSuffix":"other"}}"#,
        );
        let err = super::partitions("p.json", &overrides)
            .unwrap_err()
            .to_string();
        assert!(err.contains("region `r1` overrides `dnsSuffix`"), "{err}");
    }
}
