//! JMESPath, as the specification defines it, over a [`Document`] (an
//! operation's input or output in its JSON form, member names as keys).
//!
//! The generator parses each expression (checking every member name
//! against the model, every function name and arity) and emits the tree as
//! `static` data; this module only evaluates it. Everything the language
//! has is here: fields, sub-expressions, indexes, slices, list, object,
//! flatten and filter projections, multi-select lists and hashes, pipes,
//! `||`, `&&`, `!`, comparisons, literals, `@`, expression references and
//! every built-in function. A function given an argument of the wrong type
//! is an [`InvalidType`] error (a waiter treats it as no match).
#![doc(hidden)]

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::document::{Document, Number};
use super::json::JsonWriter;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// A literal (`` `json` `` or `'raw string'`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lit<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(&'a str),
    /// An array.
    Array(&'a [Lit<'a>]),
    /// An object, members in order.
    Object(&'a [(&'a str, Lit<'a>)]),
}

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `abs(number)`.
    Abs,
    /// `avg(array[number])`.
    Avg,
    /// `ceil(number)`.
    Ceil,
    /// `contains(array|string, any)`.
    Contains,
    /// `ends_with(string, string)`.
    EndsWith,
    /// `floor(number)`.
    Floor,
    /// `join(string, array[string])`.
    Join,
    /// `keys(object)`.
    Keys,
    /// `length(string|array|object)`.
    Length,
    /// `map(&expr, array)`.
    Map,
    /// `max(array[number]|array[string])`.
    Max,
    /// `max_by(array, &expr)`.
    MaxBy,
    /// `merge(object, ...)`.
    Merge,
    /// `min(array[number]|array[string])`.
    Min,
    /// `min_by(array, &expr)`.
    MinBy,
    /// `not_null(any, ...)`.
    NotNull,
    /// `reverse(string|array)`.
    Reverse,
    /// `sort(array[number]|array[string])`.
    Sort,
    /// `sort_by(array, &expr)`.
    SortBy,
    /// `starts_with(string, string)`.
    StartsWith,
    /// `sum(array[number])`.
    Sum,
    /// `to_array(any)`.
    ToArray,
    /// `to_number(any)`.
    ToNumber,
    /// `to_string(any)`.
    ToString,
    /// `type(any)`.
    Type,
    /// `values(object)`.
    Values,
}

impl Function {
    /// Every function with its name, least argument count and whether it
    /// takes more (variadic).
    pub const TABLE: [(Function, &'static str, usize, bool); 26] = [
        (Function::Abs, "abs", 1, false),
        (Function::Avg, "avg", 1, false),
        (Function::Ceil, "ceil", 1, false),
        (Function::Contains, "contains", 2, false),
        (Function::EndsWith, "ends_with", 2, false),
        (Function::Floor, "floor", 1, false),
        (Function::Join, "join", 2, false),
        (Function::Keys, "keys", 1, false),
        (Function::Length, "length", 1, false),
        (Function::Map, "map", 2, false),
        (Function::Max, "max", 1, false),
        (Function::MaxBy, "max_by", 2, false),
        (Function::Merge, "merge", 1, true),
        (Function::Min, "min", 1, false),
        (Function::MinBy, "min_by", 2, false),
        (Function::NotNull, "not_null", 1, true),
        (Function::Reverse, "reverse", 1, false),
        (Function::Sort, "sort", 1, false),
        (Function::SortBy, "sort_by", 2, false),
        (Function::StartsWith, "starts_with", 2, false),
        (Function::Sum, "sum", 1, false),
        (Function::ToArray, "to_array", 1, false),
        (Function::ToNumber, "to_number", 1, false),
        (Function::ToString, "to_string", 1, false),
        (Function::Type, "type", 1, false),
        (Function::Values, "values", 1, false),
    ];

    /// The function of this name.
    pub fn from_name(name: &str) -> Option<Function> {
        Self::TABLE
            .iter()
            .find(|(_, n, _, _)| *n == name)
            .map(|(f, _, _, _)| *f)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(f, _, _, _)| *f == self)
            .map_or("", |(_, n, _, _)| n)
    }

    /// Whether it accepts `n` arguments.
    pub fn accepts(self, n: usize) -> bool {
        Self::TABLE
            .iter()
            .find(|(f, _, _, _)| *f == self)
            .is_some_and(|(_, _, least, variadic)| n == *least || (*variadic && n > *least))
    }
}

/// An expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expr<'a> {
    /// `@`: the current value.
    Identity,
    /// `name`: an object member (null elsewhere).
    Field(&'a str),
    /// `a.b` (and `a[0]`): `b` evaluated on the value of `a`.
    Sub(&'a Expr<'a>, &'a Expr<'a>),
    /// `[n]`: an array element (negative counts from the end).
    Index(i64),
    /// `[start:stop:step]`, as Python slices.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `a[*].b`: `b` on each element of the array `a`, nulls dropped.
    Projection(&'a Expr<'a>, &'a Expr<'a>),
    /// `a.*.b`: `b` on each value of the object `a`, nulls dropped.
    ValueProjection(&'a Expr<'a>, &'a Expr<'a>),
    /// `a[?cond].b`: `b` on each element of `a` where `cond` holds.
    FilterProjection(&'a Expr<'a>, &'a Expr<'a>, &'a Expr<'a>),
    /// `a[]`: the array `a` with nested arrays flattened one level.
    Flatten(&'a Expr<'a>),
    /// `[a, b]`.
    MultiList(&'a [Expr<'a>]),
    /// `{k: a, l: b}`.
    MultiHash(&'a [(&'a str, Expr<'a>)]),
    /// `a | b`: `b` on the result of `a` (ends a projection).
    Pipe(&'a Expr<'a>, &'a Expr<'a>),
    /// `a || b`.
    Or(&'a Expr<'a>, &'a Expr<'a>),
    /// `a && b`.
    And(&'a Expr<'a>, &'a Expr<'a>),
    /// `!a`.
    Not(&'a Expr<'a>),
    /// A comparison.
    Compare(Cmp, &'a Expr<'a>, &'a Expr<'a>),
    /// A literal.
    Literal(Lit<'a>),
    /// A function call.
    Call(Function, &'a [Expr<'a>]),
    /// `&expr`: an expression passed to a function.
    Reference(&'a Expr<'a>),
}

/// A function was given an argument it does not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidType {
    /// The function.
    pub function: &'static str,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for InvalidType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JMESPath {}(): {}", self.function, self.message)
    }
}

impl std::error::Error for InvalidType {}

type Result<T> = std::result::Result<T, InvalidType>;

/// Evaluates `expr` against `value`; an invalid argument type is an error.
pub fn search(expr: &Expr<'_>, value: &Document) -> Result<Document> {
    Ok(match expr {
        Expr::Identity => value.clone(),
        Expr::Field(name) => match value {
            Document::Object(o) => o.get(*name).cloned().unwrap_or(Document::Null),
            _ => Document::Null,
        },
        Expr::Sub(a, b) | Expr::Pipe(a, b) => search(b, &search(a, value)?)?,
        Expr::Index(n) => match value {
            Document::Array(a) => index(a, *n).cloned().unwrap_or(Document::Null),
            _ => Document::Null,
        },
        Expr::Slice(start, stop, step) => match value {
            Document::Array(a) => Document::Array(slice(a, *start, *stop, *step)),
            _ => Document::Null,
        },
        Expr::Projection(lhs, rhs) => match search(lhs, value)? {
            Document::Array(items) => project(&items, rhs)?,
            _ => Document::Null,
        },
        Expr::ValueProjection(lhs, rhs) => match search(lhs, value)? {
            Document::Object(o) => {
                let values: Vec<Document> = o.into_values().collect();
                project(&values, rhs)?
            }
            _ => Document::Null,
        },
        Expr::FilterProjection(lhs, cond, rhs) => match search(lhs, value)? {
            Document::Array(items) => {
                let mut kept = Vec::new();
                for item in items {
                    if truthy(&search(cond, &item)?) {
                        kept.push(item);
                    }
                }
                project(&kept, rhs)?
            }
            _ => Document::Null,
        },
        Expr::Flatten(inner) => match search(inner, value)? {
            Document::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Document::Array(nested) => out.extend(nested),
                        other => out.push(other),
                    }
                }
                Document::Array(out)
            }
            _ => Document::Null,
        },
        Expr::MultiList(items) => {
            if value.is_null() {
                return Ok(Document::Null);
            }
            let mut out = Vec::with_capacity(items.len());
            for e in items.iter() {
                out.push(search(e, value)?);
            }
            Document::Array(out)
        }
        Expr::MultiHash(pairs) => {
            if value.is_null() {
                return Ok(Document::Null);
            }
            let mut out = BTreeMap::new();
            for (k, e) in pairs.iter() {
                out.insert((*k).to_string(), search(e, value)?);
            }
            Document::Object(out)
        }
        Expr::Or(a, b) => {
            let left = search(a, value)?;
            if truthy(&left) {
                left
            } else {
                search(b, value)?
            }
        }
        Expr::And(a, b) => {
            let left = search(a, value)?;
            if truthy(&left) {
                search(b, value)?
            } else {
                left
            }
        }
        Expr::Not(a) => Document::Bool(!truthy(&search(a, value)?)),
        Expr::Compare(op, a, b) => compare(*op, &search(a, value)?, &search(b, value)?),
        Expr::Literal(l) => literal(l),
        Expr::Call(f, args) => call(*f, args, value)?,
        // An expression reference means something only as a function's
        // argument; evaluated on its own it is null.
        Expr::Reference(_) => Document::Null,
    })
}

/// Evaluates `expr`, an invalid argument type giving null.
pub fn eval(expr: &Expr<'_>, value: &Document) -> Document {
    search(expr, value).unwrap_or(Document::Null)
}

fn project(items: &[Document], rhs: &Expr<'_>) -> Result<Document> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let v = search(rhs, item)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(Document::Array(out))
}

fn index(a: &[Document], n: i64) -> Option<&Document> {
    let len = i64::try_from(a.len()).ok()?;
    let at = if n < 0 { len.checked_add(n)? } else { n };
    usize::try_from(at).ok().and_then(|i| a.get(i))
}

/// Python's slice semantics; a zero step (refused by the generator) gives
/// an empty array.
fn slice(
    a: &[Document],
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Vec<Document> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Vec::new();
    }
    let len = i64::try_from(a.len()).unwrap_or(i64::MAX);
    let adjust = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(len);
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    v
                }
            }
            Some(v) if v >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        }
    };
    let (start, stop) = if step > 0 {
        (adjust(start, 0), adjust(stop, len))
    } else {
        (adjust(start, len - 1), adjust(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Some(d) = usize::try_from(i).ok().and_then(|i| a.get(i)) {
            out.push(d.clone());
        }
        i = match i.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

/// JMESPath truthiness: false, null, and empty strings, arrays and objects
/// are false; everything else (0 included) is true.
pub fn truthy(v: &Document) -> bool {
    match v {
        Document::Null | Document::Bool(false) => false,
        Document::String(s) => !s.is_empty(),
        Document::Array(a) => !a.is_empty(),
        Document::Object(o) => !o.is_empty(),
        Document::Bool(true) | Document::Number(_) => true,
    }
}

fn literal(l: &Lit<'_>) -> Document {
    match l {
        Lit::Null => Document::Null,
        Lit::Bool(b) => Document::Bool(*b),
        Lit::Int(n) => Document::Number(Number::from(*n)),
        Lit::Float(n) => Document::Number(Number::Float(*n)),
        Lit::Str(s) => Document::String((*s).to_string()),
        Lit::Array(items) => Document::Array(items.iter().map(literal).collect()),
        Lit::Object(pairs) => Document::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), literal(v)))
                .collect(),
        ),
    }
}

/// Equality as JMESPath defines it: numbers by value, arrays in order,
/// objects by members.
pub fn equal(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Number(x), Document::Number(y)) => x.as_f64() == y.as_f64(),
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn compare(op: Cmp, a: &Document, b: &Document) -> Document {
    match op {
        Cmp::Eq => Document::Bool(equal(a, b)),
        Cmp::Ne => Document::Bool(!equal(a, b)),
        _ => {
            let order = match (a, b) {
                (Document::Number(x), Document::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
                _ => None,
            };
            match order {
                Some(o) => Document::Bool(match op {
                    Cmp::Lt => o == Ordering::Less,
                    Cmp::Le => o != Ordering::Greater,
                    Cmp::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                }),
                None => Document::Null,
            }
        }
    }
}

/// A value's JMESPath type name.
fn type_name(v: &Document) -> &'static str {
    match v {
        Document::Null => "null",
        Document::Bool(_) => "boolean",
        Document::Number(_) => "number",
        Document::String(_) => "string",
        Document::Array(_) => "array",
        Document::Object(_) => "object",
    }
}

fn invalid<T>(f: Function, message: String) -> Result<T> {
    Err(InvalidType {
        function: f.name(),
        message,
    })
}

fn want_number(f: Function, v: &Document) -> Result<f64> {
    match v {
        Document::Number(n) => Ok(n.as_f64()),
        other => invalid(f, format!("expected a number, got {}", type_name(other))),
    }
}

fn want_string(f: Function, v: &Document) -> Result<&str> {
    match v {
        Document::String(s) => Ok(s),
        other => invalid(f, format!("expected a string, got {}", type_name(other))),
    }
}

fn want_array(f: Function, v: &Document) -> Result<&[Document]> {
    match v {
        Document::Array(a) => Ok(a),
        other => invalid(f, format!("expected an array, got {}", type_name(other))),
    }
}

fn want_object(f: Function, v: &Document) -> Result<&BTreeMap<String, Document>> {
    match v {
        Document::Object(o) => Ok(o),
        other => invalid(f, format!("expected an object, got {}", type_name(other))),
    }
}

fn want_ref<'e>(f: Function, e: &'e Expr<'e>) -> Result<&'e Expr<'e>> {
    match e {
        Expr::Reference(inner) => Ok(inner),
        _ => invalid(f, "expected an expression reference (`&expr`)".into()),
    }
}

/// A number as a document: integral values that fit stay integers.
fn number(v: f64) -> Document {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Document::Number(Number::from(v as i64))
    } else {
        Document::Number(Number::Float(v))
    }
}

/// The order of two sortable values (both numbers or both strings).
fn order(f: Function, a: &Document, b: &Document) -> Result<Ordering> {
    match (a, b) {
        (Document::Number(x), Document::Number(y)) => Ok(x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal)),
        (Document::String(x), Document::String(y)) => Ok(x.cmp(y)),
        _ => invalid(
            f,
            format!(
                "cannot order {} and {} (numbers or strings, not mixed)",
                type_name(a),
                type_name(b)
            ),
        ),
    }
}

/// Whether every element is a number, or every element a string.
fn sortable(f: Function, items: &[Document]) -> Result<()> {
    let all = |t: &str| items.iter().all(|v| type_name(v) == t);
    if all("number") || all("string") {
        Ok(())
    } else {
        invalid(
            f,
            "expected an array of numbers or an array of strings".into(),
        )
    }
}

/// Sorts `keyed` by its keys, stably; every key a number or every key a
/// string.
fn sort_keyed(f: Function, keyed: &mut [(Document, Document)]) -> Result<()> {
    let keys: Vec<Document> = keyed.iter().map(|(k, _)| k.clone()).collect();
    sortable(f, &keys)?;
    keyed.sort_by(|(a, _), (b, _)| order(f, a, b).unwrap_or(Ordering::Equal));
    Ok(())
}

fn keyed(f: Function, items: &[Document], key: &Expr<'_>) -> Result<Vec<(Document, Document)>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push((search(key, item)?, item.clone()));
    }
    let keys: Vec<Document> = out.iter().map(|(k, _)| k.clone()).collect();
    sortable(f, &keys)?;
    Ok(out)
}

fn extreme(f: Function, items: &[Document], want: Ordering) -> Result<Document> {
    sortable(f, items)?;
    let mut best: Option<&Document> = None;
    for item in items {
        best = match best {
            Some(b) if order(f, item, b)? != want => Some(b),
            _ => Some(item),
        };
    }
    Ok(best.cloned().unwrap_or(Document::Null))
}

fn extreme_by(f: Function, items: &[Document], key: &Expr<'_>, want: Ordering) -> Result<Document> {
    let keyed = keyed(f, items, key)?;
    let mut best: Option<&(Document, Document)> = None;
    for pair in &keyed {
        best = match best {
            Some(b) if order(f, &pair.0, &b.0)? != want => Some(b),
            _ => Some(pair),
        };
    }
    Ok(best.map_or(Document::Null, |(_, v)| v.clone()))
}

/// The compact JSON text of a value.
fn json_text(v: &Document) -> String {
    let mut w = JsonWriter::new();
    w.document(v);
    w.into_string()
}

fn call(f: Function, args: &[Expr<'_>], value: &Document) -> Result<Document> {
    // Expression references stay unevaluated; every other argument is
    // evaluated first.
    let mut vals = Vec::with_capacity(args.len());
    for a in args {
        vals.push(match a {
            Expr::Reference(_) => Document::Null,
            other => search(other, value)?,
        });
    }
    let arg = |i: usize| vals.get(i).unwrap_or(&Document::Null);
    Ok(match f {
        Function::Abs => number_like(arg(0), f, f64::abs)?,
        Function::Ceil => number_like(arg(0), f, f64::ceil)?,
        Function::Floor => number_like(arg(0), f, f64::floor)?,
        Function::Avg => average(f, arg(0))?,
        Function::Sum => total(f, arg(0))?,
        Function::Contains => contains(f, arg(0), arg(1))?,
        Function::EndsWith => {
            let (s, suffix) = (want_string(f, arg(0))?, want_string(f, arg(1))?);
            Document::Bool(s.ends_with(suffix))
        }
        Function::StartsWith => {
            let (s, prefix) = (want_string(f, arg(0))?, want_string(f, arg(1))?);
            Document::Bool(s.starts_with(prefix))
        }
        Function::Join => {
            let glue = want_string(f, arg(0))?;
            let mut parts = Vec::new();
            for v in want_array(f, arg(1))? {
                parts.push(want_string(f, v)?);
            }
            Document::String(parts.join(glue))
        }
        Function::Keys => Document::Array(
            want_object(f, arg(0))?
                .keys()
                .map(|k| Document::String(k.clone()))
                .collect(),
        ),
        Function::Values => Document::Array(want_object(f, arg(0))?.values().cloned().collect()),
        Function::Length => length(f, arg(0))?,
        Function::Map => {
            let e = want_ref(f, &args[0])?;
            let items = want_array(f, arg(1))?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(search(e, item)?);
            }
            Document::Array(out)
        }
        Function::Max => extreme(f, want_array(f, arg(0))?, Ordering::Greater)?,
        Function::Min => extreme(f, want_array(f, arg(0))?, Ordering::Less)?,
        Function::MaxBy => {
            let items = want_array(f, arg(0))?;
            extreme_by(f, items, want_ref(f, &args[1])?, Ordering::Greater)?
        }
        Function::MinBy => {
            let items = want_array(f, arg(0))?;
            extreme_by(f, items, want_ref(f, &args[1])?, Ordering::Less)?
        }
        Function::Merge => {
            let mut out = BTreeMap::new();
            for v in &vals {
                for (k, d) in want_object(f, v)? {
                    out.insert(k.clone(), d.clone());
                }
            }
            Document::Object(out)
        }
        Function::NotNull => vals
            .iter()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Document::Null),
        Function::Reverse => reverse(f, arg(0))?,
        Function::Sort => {
            let items = want_array(f, arg(0))?;
            sortable(f, items)?;
            let mut sorted = items.to_vec();
            sorted.sort_by(|a, b| order(f, a, b).unwrap_or(Ordering::Equal));
            Document::Array(sorted)
        }
        Function::SortBy => {
            let items = want_array(f, arg(0))?;
            let mut pairs = keyed(f, items, want_ref(f, &args[1])?)?;
            sort_keyed(f, &mut pairs)?;
            Document::Array(pairs.into_iter().map(|(_, v)| v).collect())
        }
        Function::ToArray => match arg(0) {
            Document::Array(a) => Document::Array(a.clone()),
            other => Document::Array(vec![other.clone()]),
        },
        Function::ToString => match arg(0) {
            Document::String(s) => Document::String(s.clone()),
            other => Document::String(json_text(other)),
        },
        Function::ToNumber => match arg(0) {
            Document::Number(n) => Document::Number(*n),
            Document::String(s) => parse_number(s),
            _ => Document::Null,
        },
        Function::Type => Document::String(type_name(arg(0)).to_string()),
    })
}

/// `avg`: the mean of an array of numbers, `null` for an empty one.
fn average(f: Function, v: &Document) -> Result<Document> {
    let items = want_array(f, v)?;
    if items.is_empty() {
        return Ok(Document::Null);
    }
    let mut sum = 0.0;
    for v in items {
        sum += want_number(f, v)?;
    }
    Ok(Document::Number(Number::Float(sum / items.len() as f64)))
}

/// `sum`: the total of an array of numbers.
fn total(f: Function, v: &Document) -> Result<Document> {
    let mut sum = 0.0;
    for v in want_array(f, v)? {
        sum += want_number(f, v)?;
    }
    Ok(number(sum))
}

/// `contains`: an array holding an equal element, or a string a substring.
fn contains(f: Function, subject: &Document, search: &Document) -> Result<Document> {
    Ok(match subject {
        Document::Array(a) => Document::Bool(a.iter().any(|e| equal(e, search))),
        Document::String(s) => match search {
            Document::String(n) => Document::Bool(s.contains(n.as_str())),
            _ => Document::Bool(false),
        },
        other => {
            return invalid(
                f,
                format!("expected an array or a string, got {}", type_name(other)),
            )
        }
    })
}

/// `length`: characters of a string, items of an array, entries of an object.
fn length(f: Function, v: &Document) -> Result<Document> {
    Ok(match v {
        Document::String(s) => Document::from(s.chars().count() as u64),
        Document::Array(a) => Document::from(a.len() as u64),
        Document::Object(o) => Document::from(o.len() as u64),
        other => {
            return invalid(
                f,
                format!(
                    "expected a string, an array or an object, got {}",
                    type_name(other)
                ),
            )
        }
    })
}

/// `reverse`: a string's characters or an array's items in reverse order.
fn reverse(f: Function, v: &Document) -> Result<Document> {
    Ok(match v {
        Document::String(s) => Document::String(s.chars().rev().collect()),
        Document::Array(a) => Document::Array(a.iter().rev().cloned().collect()),
        other => {
            return invalid(
                f,
                format!("expected a string or an array, got {}", type_name(other)),
            )
        }
    })
}

/// `abs`, `ceil`, `floor`: integers stay integers.
fn number_like(v: &Document, f: Function, op: fn(f64) -> f64) -> Result<Document> {
    match v {
        Document::Number(Number::NegInt(i)) if f == Function::Abs => Ok(i
            .checked_abs()
            .map_or(number(op(*i as f64)), Document::from)),
        Document::Number(n @ (Number::PosInt(_) | Number::NegInt(_))) => Ok(Document::Number(*n)),
        other => Ok(number(op(want_number(f, other)?))),
    }
}

/// `to_number` of a string: a JSON number, else null.
fn parse_number(s: &str) -> Document {
    let t = s.trim();
    let json_like = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if !json_like {
        return Document::Null;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Document::from(i);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Document::Number(Number::Float(v)),
        _ => Document::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        super::super::json::JsonReader::new(json.as_bytes())
            .read_document()
            .unwrap()
    }

    #[test]
    fn projections_filters_and_pipes() {
        let d = doc(
            r#"{"Tasks":[{"Status":"stopped","N":1},{"Status":"running","N":2},{"Other":1}],
                "Map":{"a":{"S":"x"},"b":{"S":"y"}},"Nested":[[1],[2,3]]}"#,
        );
        let status = Expr::Projection(&Expr::Field("Tasks"), &Expr::Field("Status"));
        assert_eq!(search(&status, &d), Ok(doc(r#"["stopped","running"]"#)));
        let values = Expr::ValueProjection(&Expr::Field("Map"), &Expr::Field("S"));
        assert_eq!(search(&values, &d), Ok(doc(r#"["x","y"]"#)));
        let cond = Expr::Compare(Cmp::Gt, &Expr::Field("N"), &Expr::Literal(Lit::Int(1)));
        let filtered = Expr::FilterProjection(&Expr::Field("Tasks"), &cond, &Expr::Field("N"));
        assert_eq!(search(&filtered, &d), Ok(doc("[2]")));
        let flat = Expr::Flatten(&Expr::Field("Nested"));
        assert_eq!(search(&flat, &d), Ok(doc("[1,2,3]")));
        let piped = Expr::Pipe(&status, &Expr::Index(-1));
        assert_eq!(search(&piped, &d), Ok(doc(r#""running""#)));
        let sliced = Expr::Sub(&Expr::Field("Nested"), &Expr::Slice(None, None, Some(-1)));
        assert_eq!(search(&sliced, &d), Ok(doc("[[2,3],[1]]")));
    }

    #[test]
    fn functions_and_type_errors() {
        let d = doc(r#"{"a":[3,1,2],"s":["b","a"],"o":{"k":1},"x":"abc"}"#);
        let call = |f: Function, args: &[Expr<'_>]| search(&Expr::Call(f, args), &d);
        assert_eq!(
            call(Function::Sort, &[Expr::Field("a")]),
            Ok(doc("[1,2,3]"))
        );
        assert_eq!(call(Function::Max, &[Expr::Field("s")]), Ok(doc(r#""b""#)));
        assert_eq!(call(Function::Sum, &[Expr::Field("a")]), Ok(doc("6")));
        assert_eq!(call(Function::Avg, &[Expr::Field("a")]), Ok(doc("2.0")));
        assert_eq!(
            call(Function::Keys, &[Expr::Field("o")]),
            Ok(doc(r#"["k"]"#))
        );
        assert_eq!(
            call(Function::ToString, &[Expr::Field("o")]),
            Ok(doc(r#""{\"k\":1}""#))
        );
        assert_eq!(call(Function::Length, &[Expr::Field("x")]), Ok(doc("3")));
        let err = call(Function::Length, &[Expr::Literal(Lit::Int(1))]).unwrap_err();
        assert_eq!(err.function, "length");
        assert!(call(Function::Sort, &[Expr::Field("o")]).is_err());
        let by = Expr::Reference(&Expr::Identity);
        assert_eq!(
            call(Function::SortBy, &[Expr::Field("s"), by]),
            Ok(doc(r#"["a","b"]"#))
        );
        assert_eq!(
            eval(&Expr::Call(Function::Abs, &[Expr::Field("o")]), &d),
            Document::Null
        );
        assert!(Function::Merge.accepts(3) && !Function::Length.accepts(2));
        assert_eq!(Function::from_name("sort_by"), Some(Function::SortBy));
    }
}
