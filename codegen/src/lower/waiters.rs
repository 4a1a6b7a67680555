//! Lowering of `@paginated` (merged with the service's defaults) into
//! [`Paginator`]s and of `smithy.waiters#waitable` into [`Waiter`]s, with
//! every JMESPath expression parsed here and its member names checked
//! against the model. An expression outside the supported subset, or one
//! naming a member that does not exist, is a generator error naming the
//! operation and the waiter: never a waiter that silently never matches.

use serde_json::Value;

use crate::ast::Shape;
use crate::error::Error;
use crate::ir::*;
use crate::model::{self, Loaded};
use crate::naming;

const PAGINATED: &str = "smithy.api#paginated";
const WAITABLE: &str = "smithy.waiters#waitable";

fn err(model: &Loaded, shape: &str, message: String) -> Error {
    Error::Model {
        file: model.file.clone(),
        shape: Some(shape.to_string()),
        message,
    }
}

/// The paginator of an operation, if it is `@paginated`.
pub(crate) fn paginator(
    model: &Loaded,
    service: &Shape,
    op_id: &str,
    op: &Operation,
    types: &[TypeDef],
) -> Result<Option<Paginator>, Error> {
    let shape = model.shape(op_id)?;
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
    let fail = |m: String| err(model, op_id, format!("@paginated: {m}"));
    let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken")) else {
        return Err(fail(
            "needs inputToken and outputToken (on the operation or the service)".into(),
        ));
    };
    let find = |r: &Option<TypeRef>| r.as_ref().and_then(|r| types[r.id.0].as_struct());
    let (Some(input), Some(output)) = (find(&op.input), find(&op.output)) else {
        return Err(fail(
            "a paginated operation needs an input and an output structure".into(),
        ));
    };
    let top = |name: &str, what: &str| -> Result<&Field, Error> {
        input
            .fields
            .iter()
            .find(|f| f.wire_name == name)
            .ok_or_else(|| fail(format!("{what} `{name}` is not a member of the input")))
    };
    let token_field = top(&input_token, "inputToken")?;
    if token_field.ty != Type::String || !token_field.optional {
        return Err(fail(format!(
            "inputToken `{input_token}` is not an optional string"
        )));
    }
    let (out_path, out_ty) = resolve_path(types, output, &output_token).map_err(&fail)?;
    if out_ty != Type::String {
        return Err(fail(format!(
            "outputToken `{output_token}` is not a string"
        )));
    }
    let items = match get("items") {
        None => None,
        Some(items) => {
            let (path, ty) = resolve_path(types, output, &items).map_err(&fail)?;
            match ty {
                Type::List {
                    member,
                    sparse: false,
                    ..
                } => Some((path, *member)),
                _ => return Err(fail(format!("items `{items}` is not a dense list"))),
            }
        }
    };
    let page_size = match get("pageSize") {
        None => None,
        Some(p) => {
            let f = top(&p, "pageSize")?;
            if f.ty != Type::Integer {
                return Err(fail(format!("pageSize `{p}` is not an integer")));
            }
            Some((f.name.clone(), f.optional))
        }
    };
    Ok(Some(Paginator {
        method: naming::paginator_method(&op.client_method),
        input_token: token_field.name.clone(),
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

/// The waiters of an operation.
pub(crate) fn waiters(model: &Loaded, op_id: &str) -> Result<Vec<Waiter>, Error> {
    let shape = model.shape(op_id)?;
    let Some(map) = shape.traits.get(WAITABLE).and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, w) in map {
        let fail = |m: String| err(model, op_id, format!("waiter `{name}`: {m}"));
        let min_delay = w.get("minDelay").and_then(Value::as_u64).unwrap_or(2);
        let max_delay = w.get("maxDelay").and_then(Value::as_u64).unwrap_or(120);
        if min_delay < 1 || max_delay < min_delay {
            return Err(fail(format!(
                "minDelay {min_delay} and maxDelay {max_delay} need 1 <= minDelay <= maxDelay"
            )));
        }
        let list = w
            .get("acceptors")
            .and_then(Value::as_array)
            .ok_or_else(|| fail("no acceptors".into()))?;
        let mut acceptors = Vec::new();
        for (i, a) in list.iter().enumerate() {
            let fail = |m: String| fail(format!("acceptor {i}: {m}"));
            let state = match a.get("state").and_then(Value::as_str) {
                Some("success") => "Success",
                Some("failure") => "Failure",
                Some("retry") => "Retry",
                other => {
                    return Err(fail(format!(
                        "state {other:?} is not success, failure or retry"
                    )))
                }
            };
            let m = a
                .get("matcher")
                .and_then(Value::as_object)
                .ok_or_else(|| fail("no matcher".into()))?;
            let (kind, v) = match m.iter().next() {
                Some(kv) if m.len() == 1 => kv,
                _ => return Err(fail("a matcher sets exactly one member".into())),
            };
            let matcher = match kind.as_str() {
                "success" => Matcher::Success(
                    v.as_bool()
                        .ok_or_else(|| fail("`success` is not a boolean".into()))?,
                ),
                "errorType" => {
                    let code = v
                        .as_str()
                        .ok_or_else(|| fail("`errorType` is not a string".into()))?;
                    Matcher::ErrorType(model::shape_name(code).to_string())
                }
                "output" | "inputOutput" => {
                    let s = |k: &str| {
                        v.get(k)
                            .and_then(Value::as_str)
                            .ok_or_else(|| fail(format!("`{kind}` has no `{k}`")))
                    };
                    let (path, expected, comparator) =
                        (s("path")?, s("expected")?, s("comparator")?);
                    let comparator = match comparator {
                        "stringEquals" => "StringEquals",
                        "booleanEquals" => "BooleanEquals",
                        "allStringEquals" => "AllStringEquals",
                        "anyStringEquals" => "AnyStringEquals",
                        other => return Err(fail(format!("comparator `{other}` is not one of stringEquals, booleanEquals, allStringEquals, anyStringEquals"))),
                    };
                    if comparator == "BooleanEquals" && !matches!(expected, "true" | "false") {
                        return Err(fail(format!(
                            "booleanEquals expects \"true\" or \"false\", not {expected:?}"
                        )));
                    }
                    let expr = parse(path).map_err(|e| fail(format!("path `{path}`: {e}")))?;
                    let root = if kind == "output" {
                        Cursor::io(shape, true)
                    } else {
                        Cursor::InputOutput {
                            input: Box::new(Cursor::io(shape, false)),
                            output: Box::new(Cursor::io(shape, true)),
                        }
                    };
                    check(model, &expr, &root).map_err(|e| fail(format!("path `{path}`: {e}")))?;
                    if kind == "output" {
                        Matcher::Output(expr, expected.to_string(), comparator.to_string())
                    } else {
                        Matcher::InputOutput(expr, expected.to_string(), comparator.to_string())
                    }
                }
                other => {
                    return Err(fail(format!(
                        "matcher `{other}` is not output, inputOutput, success or errorType"
                    )))
                }
            };
            acceptors.push(Acceptor {
                state: state.to_string(),
                matcher,
            });
        }
        if !acceptors.iter().any(|a| a.state == "Success") {
            return Err(fail("no acceptor leads to success".into()));
        }
        out.push(Waiter {
            name: name.clone(),
            method: naming::waiter_method(name),
            constant: naming::const_name(name),
            min_delay,
            max_delay,
            deprecated: w
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            acceptors,
        });
    }
    Ok(out)
}

/// What a JMESPath value is, as far as the model says.
#[derive(Clone, Debug)]
enum Cursor {
    /// A shape of the model.
    Shape(String),
    /// A list of this.
    List(Box<Cursor>),
    /// `{input, output}`.
    InputOutput {
        input: Box<Cursor>,
        output: Box<Cursor>,
    },
    /// Anything (a document, a literal, a function's result, `null`).
    Any,
}

impl Cursor {
    fn io(op: &Shape, output: bool) -> Cursor {
        let r = if output { &op.output } else { &op.input };
        match r {
            Some(r) if r.target != model::UNIT => Cursor::Shape(r.target.clone()),
            _ => Cursor::Any,
        }
    }
}

fn field(model: &Loaded, c: &Cursor, name: &str) -> Result<Cursor, String> {
    match c {
        Cursor::Any => Ok(Cursor::Any),
        Cursor::InputOutput { input, output } => match name {
            "input" => Ok((**input).clone()),
            "output" => Ok((**output).clone()),
            _ => Err(format!("`{name}` is neither `input` nor `output`")),
        },
        Cursor::List(_) => Err(format!(
            "`{name}` is selected from a list (a projection is missing)"
        )),
        Cursor::Shape(id) => {
            let s = model.shape(id).map_err(|e| e.to_string())?;
            match s.kind.as_str() {
                "structure" | "union" => match s.members.iter().find(|(n, _)| n.as_str() == name) {
                    Some((_, m)) => Ok(Cursor::Shape(m.target.clone())),
                    None => Err(format!(
                        "`{name}` is not a member of `{}`",
                        model::shape_name(id)
                    )),
                },
                "map" | "document" => Ok(Cursor::Any),
                other => Err(format!("`{name}` is selected from a {other}")),
            }
        }
    }
}

fn elements(model: &Loaded, c: &Cursor, flatten: bool) -> Result<Cursor, String> {
    let inner = match c {
        Cursor::Any => return Ok(Cursor::Any),
        Cursor::List(e) => (**e).clone(),
        Cursor::Shape(id) => {
            let s = model.shape(id).map_err(|e| e.to_string())?;
            match (s.kind.as_str(), &s.member) {
                ("list" | "set", Some(m)) => Cursor::Shape(m.target.clone()),
                ("document", _) => return Ok(Cursor::Any),
                (other, _) => return Err(format!("a projection over a {other}")),
            }
        }
        Cursor::InputOutput { .. } => return Err("a projection over {input, output}".into()),
    };
    // `[]` also flattens nested lists.
    if flatten && is_list(model, &inner) {
        if let Ok(e) = elements(model, &inner, false) {
            return Ok(e);
        }
    }
    Ok(inner)
}

fn is_list(model: &Loaded, c: &Cursor) -> bool {
    match c {
        Cursor::Shape(id) => model
            .shape(id)
            .is_ok_and(|s| matches!(s.kind.as_str(), "list" | "set")),
        Cursor::List(_) => true,
        _ => false,
    }
}

/// Checks every member name of `e` evaluated against `c`; the cursor of
/// its result.
fn check(model: &Loaded, e: &JmesExpr, c: &Cursor) -> Result<Cursor, String> {
    match e {
        JmesExpr::Path(steps) => check_steps(model, steps, c),
        JmesExpr::Literal(_) => Ok(Cursor::Any),
        JmesExpr::Compare(_, a, b) | JmesExpr::And(a, b) | JmesExpr::Or(a, b) => {
            check(model, a, c)?;
            check(model, b, c)?;
            Ok(Cursor::Any)
        }
        JmesExpr::Not(a) => {
            check(model, a, c)?;
            Ok(Cursor::Any)
        }
        JmesExpr::Call(_, args) => {
            for a in args {
                check(model, a, c)?;
            }
            Ok(Cursor::Any)
        }
    }
}

fn check_steps(model: &Loaded, steps: &[JmesStep], c: &Cursor) -> Result<Cursor, String> {
    let mut cur = c.clone();
    for (i, s) in steps.iter().enumerate() {
        match s {
            JmesStep::Field(name) => cur = field(model, &cur, name)?,
            JmesStep::Index(_) => cur = elements(model, &cur, false)?,
            JmesStep::Flatten | JmesStep::Wildcard | JmesStep::Filter(_) => {
                let elem = elements(model, &cur, matches!(s, JmesStep::Flatten))?;
                if let JmesStep::Filter(cond) = s {
                    check(model, cond, &elem)?;
                }
                let rest = check_steps(model, &steps[i + 1..], &elem)?;
                return Ok(Cursor::List(Box::new(rest)));
            }
        }
    }
    Ok(cur)
}

// ---------------------------------------------------------------- parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Lit(JmesLit),
    Num(i64),
    Dot,
    LBracket,
    RBracket,
    Filter,
    Star,
    LParen,
    RParen,
    Comma,
    At,
    Cmp(&'static str),
    And,
    Or,
    Not,
    Flatten,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'.' => {
                out.push(Tok::Dot);
                i += 1
            }
            b'[' if b.get(i + 1) == Some(&b']') => {
                out.push(Tok::Flatten);
                i += 2
            }
            b'[' if b.get(i + 1) == Some(&b'?') => {
                out.push(Tok::Filter);
                i += 2
            }
            b'[' => {
                out.push(Tok::LBracket);
                i += 1
            }
            b']' => {
                out.push(Tok::RBracket);
                i += 1
            }
            b'*' => {
                out.push(Tok::Star);
                i += 1
            }
            b'(' => {
                out.push(Tok::LParen);
                i += 1
            }
            b')' => {
                out.push(Tok::RParen);
                i += 1
            }
            b',' => {
                out.push(Tok::Comma);
                i += 1
            }
            b'@' => {
                out.push(Tok::At);
                i += 1
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                out.push(Tok::And);
                i += 2
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                out.push(Tok::Or);
                i += 2
            }
            b'=' if b.get(i + 1) == Some(&b'=') => {
                out.push(Tok::Cmp("Eq"));
                i += 2
            }
            b'!' if b.get(i + 1) == Some(&b'=') => {
                out.push(Tok::Cmp("Ne"));
                i += 2
            }
            b'!' => {
                out.push(Tok::Not);
                i += 1
            }
            b'<' | b'>' => {
                let eq = b.get(i + 1) == Some(&b'=');
                out.push(Tok::Cmp(match (c, eq) {
                    (b'<', false) => "Lt",
                    (b'<', true) => "Le",
                    (_, false) => "Gt",
                    (_, true) => "Ge",
                }));
                i += if eq { 2 } else { 1 };
            }
            b'\'' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err("unterminated raw string".into()),
                        Some(b'\\') if b.get(i + 1) == Some(&b'\'') => {
                            text.push('\'');
                            i += 2
                        }
                        Some(b'\'') => {
                            i += 1;
                            break;
                        }
                        Some(_) => {
                            let ch = s[i..].chars().next().unwrap_or_default();
                            text.push(ch);
                            i += ch.len_utf8()
                        }
                    }
                }
                out.push(Tok::Str(text));
            }
            b'`' => {
                let end = s[i + 1..]
                    .find('`')
                    .ok_or_else(|| "unterminated literal".to_string())?;
                let text = &s[i + 1..i + 1 + end];
                let v: Value = serde_json::from_str(text.trim())
                    .map_err(|_| format!("literal `{text}` is not JSON"))?;
                out.push(Tok::Lit(match v {
                    Value::Null => JmesLit::Null,
                    Value::Bool(b) => JmesLit::Bool(b),
                    Value::Number(n) => JmesLit::Number(n.as_f64().unwrap_or_default()),
                    Value::String(s) => JmesLit::Str(s),
                    _ => return Err(format!("literal `{text}`: only scalars are supported")),
                }));
                i += end + 2;
            }
            b'"' => {
                let end = s[i + 1..]
                    .find('"')
                    .ok_or_else(|| "unterminated quoted name".to_string())?;
                out.push(Tok::Ident(s[i + 1..i + 1 + end].to_string()));
                i += end + 2;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                out.push(Tok::Num(
                    s[start..i]
                        .parse()
                        .map_err(|_| format!("bad number `{}`", &s[start..i]))?,
                ));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                out.push(Tok::Ident(s[start..i].to_string()));
            }
            _ => {
                return Err(format!(
                    "`{}` at offset {i} is outside the supported JMESPath subset",
                    s[i..].chars().next().unwrap_or_default()
                ))
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Parses a JMESPath expression of the supported subset.
pub(crate) fn parse(s: &str) -> Result<JmesExpr, String> {
    let mut p = Parser {
        toks: lex(s)?,
        pos: 0,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!(
            "unexpected {:?} after the expression",
            p.toks[p.pos]
        ));
    }
    Ok(e)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<JmesExpr, String> {
        let mut left = self.and()?;
        while self.eat(&Tok::Or) {
            left = JmesExpr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<JmesExpr, String> {
        let mut left = self.not()?;
        while self.eat(&Tok::And) {
            left = JmesExpr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<JmesExpr, String> {
        if self.eat(&Tok::Not) {
            return Ok(JmesExpr::Not(Box::new(self.not()?)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<JmesExpr, String> {
        let left = self.primary()?;
        if let Some(Tok::Cmp(op)) = self.peek().cloned() {
            self.pos += 1;
            let right = self.primary()?;
            return Ok(JmesExpr::Compare(
                op.to_string(),
                Box::new(left),
                Box::new(right),
            ));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<JmesExpr, String> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.or()?;
                if !self.eat(&Tok::RParen) {
                    return Err("missing `)`".into());
                }
                Ok(e)
            }
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(JmesExpr::Literal(JmesLit::Str(s)))
            }
            Some(Tok::Lit(l)) => {
                self.pos += 1;
                Ok(JmesExpr::Literal(l))
            }
            Some(Tok::Ident(name)) if self.toks.get(self.pos + 1) == Some(&Tok::LParen) => {
                self.pos += 2;
                let function = match name.as_str() {
                    "length" => "Length",
                    "contains" => "Contains",
                    other => {
                        return Err(format!(
                            "function `{other}` is outside the supported subset (length, contains)"
                        ))
                    }
                };
                let mut args = Vec::new();
                if !self.eat(&Tok::RParen) {
                    loop {
                        args.push(self.or()?);
                        if self.eat(&Tok::RParen) {
                            break;
                        }
                        if !self.eat(&Tok::Comma) {
                            return Err("expected `,` or `)` in a function call".into());
                        }
                    }
                }
                let arity = if function == "Length" { 1 } else { 2 };
                if args.len() != arity {
                    return Err(format!("`{name}` takes {arity} argument(s)"));
                }
                Ok(JmesExpr::Call(function.to_string(), args))
            }
            _ => self.path(),
        }
    }

    fn path(&mut self) -> Result<JmesExpr, String> {
        let mut steps = Vec::new();
        match self.peek().cloned() {
            Some(Tok::At) => self.pos += 1,
            Some(Tok::Ident(n)) => {
                self.pos += 1;
                steps.push(JmesStep::Field(n));
            }
            Some(Tok::LBracket | Tok::Flatten | Tok::Filter) => {}
            other => return Err(format!("expected a name, found {other:?}")),
        }
        loop {
            match self.peek().cloned() {
                Some(Tok::Dot) => {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Ident(n)) => {
                            self.pos += 1;
                            steps.push(JmesStep::Field(n));
                        }
                        other => return Err(format!("expected a name after `.`, found {other:?}")),
                    }
                }
                Some(Tok::Flatten) => {
                    self.pos += 1;
                    steps.push(JmesStep::Flatten);
                }
                Some(Tok::Filter) => {
                    self.pos += 1;
                    let cond = self.or()?;
                    if !self.eat(&Tok::RBracket) {
                        return Err("missing `]` after a filter".into());
                    }
                    steps.push(JmesStep::Filter(Box::new(cond)));
                }
                Some(Tok::LBracket) => {
                    self.pos += 1;
                    let step = match self.peek().cloned() {
                        Some(Tok::Star) => JmesStep::Wildcard,
                        Some(Tok::Num(n)) => JmesStep::Index(n),
                        other => {
                            return Err(format!("`[{other:?}` is outside the supported subset"))
                        }
                    };
                    self.pos += 1;
                    if !self.eat(&Tok::RBracket) {
                        return Err("missing `]`".into());
                    }
                    steps.push(step);
                }
                _ => return Ok(JmesExpr::Path(steps)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_subset() {
        assert_eq!(
            parse("Replications[].Status").unwrap(),
            JmesExpr::Path(vec![
                JmesStep::Field("Replications".into()),
                JmesStep::Flatten,
                JmesStep::Field("Status".into())
            ])
        );
        let e = parse("length(Items[?State == 'ok' && !Broken]) > `0` || \"a b\"[0]").unwrap();
        let JmesExpr::Or(left, right) = e else {
            panic!()
        };
        assert!(matches!(*left, JmesExpr::Compare(ref op, _, _) if op == "Gt"));
        assert_eq!(
            *right,
            JmesExpr::Path(vec![JmesStep::Field("a b".into()), JmesStep::Index(0)])
        );
        assert_eq!(
            parse("a[*].b").unwrap(),
            JmesExpr::Path(vec![
                JmesStep::Field("a".into()),
                JmesStep::Wildcard,
                JmesStep::Field("b".into())
            ])
        );
        assert_eq!(parse("@").unwrap(), JmesExpr::Path(vec![]));
    }

    #[test]
    fn refuses_what_is_outside() {
        for (bad, wanted) in [
            ("sort_by(a, &b)", "`&` at offset 11"),
            ("max(a)", "function `max`"),
            ("a | b", "outside the supported JMESPath subset"),
            ("a[1:2]", "`:` at offset 3 is outside"),
            ("{x: a}", "outside the supported JMESPath subset"),
            ("a.", "expected a name after `.`"),
            ("length(a, b)", "takes 1 argument"),
            ("`[1,2]`", "only scalars"),
            ("'open", "unterminated raw string"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(wanted), "{bad}: {e}");
        }
    }
}
