//! The JMESPath subset AWS waiters use, as data the generator emits and
//! this module evaluates over a [`Document`] (an operation's input or
//! output in its JSON form, member names as keys).
//!
//! The generator parses each expression, checks every member name against
//! the model and refuses what is outside the subset; here there is nothing
//! left to parse. Covered: fields, `a.b`, `[n]`, projections (`[*]`,
//! flatten `[]`, filters `[?cond]`), comparisons (`==`, `!=`, `<`, `<=`,
//! `>`, `>=`), `&&`, `||`, `!`, `@`, literals, and the functions `length`
//! and `contains`.

use super::super::document::{Document, Number};

/// One step of a path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step<'a> {
    /// `name`: an object member.
    Field(&'a str),
    /// `[n]`: an array element (negative counts from the end).
    Index(i64),
    /// `[]`: flattens, then projects the following steps onto each element.
    Flatten,
    /// `[*]`: projects the following steps onto each element.
    Wildcard,
    /// `[?cond]`: keeps the elements where `cond` holds, then projects.
    Filter(&'a Expr<'a>),
}

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

/// A literal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lit<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(&'a str),
}

/// A function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `length(array|object|string)`.
    Length,
    /// `contains(array|string, value)`.
    Contains,
}

/// An expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expr<'a> {
    /// A path from the current value (`@` is the empty path).
    Path(&'a [Step<'a>]),
    /// A literal.
    Literal(Lit<'a>),
    /// A comparison.
    Compare(Cmp, &'a Expr<'a>, &'a Expr<'a>),
    /// `a && b`.
    And(&'a Expr<'a>, &'a Expr<'a>),
    /// `a || b`.
    Or(&'a Expr<'a>, &'a Expr<'a>),
    /// `!a`.
    Not(&'a Expr<'a>),
    /// A function call (`length(a)`).
    Call(Function, &'a [Expr<'a>]),
}

/// Evaluates `expr` against `value`.
pub fn eval(expr: &Expr<'_>, value: &Document) -> Document {
    match expr {
        Expr::Path(steps) => path(steps, value),
        Expr::Literal(l) => literal(l),
        Expr::Compare(op, a, b) => compare(*op, &eval(a, value), &eval(b, value)),
        Expr::And(a, b) => {
            let left = eval(a, value);
            if truthy(&left) {
                eval(b, value)
            } else {
                left
            }
        }
        Expr::Or(a, b) => {
            let left = eval(a, value);
            if truthy(&left) {
                left
            } else {
                eval(b, value)
            }
        }
        Expr::Not(a) => Document::Bool(!truthy(&eval(a, value))),
        Expr::Call(f, args) => {
            let args: Vec<Document> = args.iter().map(|a| eval(a, value)).collect();
            call(*f, &args)
        }
    }
}

/// JMESPath truthiness: false, null, empty string, array and object are false.
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
        Lit::Number(n) => Document::Number(Number::Float(*n)),
        Lit::Str(s) => Document::String((*s).to_string()),
    }
}

fn path(steps: &[Step<'_>], value: &Document) -> Document {
    let mut current = value.clone();
    for (i, step) in steps.iter().enumerate() {
        let elements = match step {
            Step::Field(name) => {
                current = match &current {
                    Document::Object(o) => o.get(*name).cloned().unwrap_or(Document::Null),
                    _ => Document::Null,
                };
                continue;
            }
            Step::Index(n) => {
                current = match &current {
                    Document::Array(a) => {
                        let len = a.len() as i64;
                        let at = if *n < 0 { len + n } else { *n };
                        usize::try_from(at)
                            .ok()
                            .and_then(|i| a.get(i).cloned())
                            .unwrap_or(Document::Null)
                    }
                    _ => Document::Null,
                };
                continue;
            }
            Step::Flatten => match current {
                Document::Array(a) => a
                    .into_iter()
                    .flat_map(|e| match e {
                        Document::Array(inner) => inner,
                        other => vec![other],
                    })
                    .collect::<Vec<_>>(),
                _ => return Document::Null,
            },
            Step::Wildcard => match current {
                Document::Array(a) => a,
                _ => return Document::Null,
            },
            Step::Filter(cond) => match current {
                Document::Array(a) => a.into_iter().filter(|e| truthy(&eval(cond, e))).collect(),
                _ => return Document::Null,
            },
        };
        // A projection: the steps up to the next flatten apply to each
        // element, nulls dropped; a flatten then flattens what came out.
        let rest = &steps[i + 1..];
        let end = rest
            .iter()
            .position(|s| matches!(s, Step::Flatten))
            .unwrap_or(rest.len());
        let projected: Vec<Document> = elements
            .iter()
            .map(|e| path(&rest[..end], e))
            .filter(|d| *d != Document::Null)
            .collect();
        return if end == rest.len() {
            Document::Array(projected)
        } else {
            path(&rest[end..], &Document::Array(projected))
        };
    }
    current
}

fn number(v: &Document) -> Option<f64> {
    match v {
        Document::Number(n) => Some(n.as_f64()),
        _ => None,
    }
}

fn equal(a: &Document, b: &Document) -> bool {
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
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => Document::Bool(match op {
                Cmp::Lt => x < y,
                Cmp::Le => x <= y,
                Cmp::Gt => x > y,
                _ => x >= y,
            }),
            _ => Document::Null,
        },
    }
}

fn call(f: Function, args: &[Document]) -> Document {
    match (f, args) {
        (Function::Length, [Document::Array(a)]) => Document::from(a.len() as u64),
        (Function::Length, [Document::Object(o)]) => Document::from(o.len() as u64),
        (Function::Length, [Document::String(s)]) => Document::from(s.chars().count() as u64),
        (Function::Contains, [Document::Array(a), needle]) => {
            Document::Bool(a.iter().any(|e| equal(e, needle)))
        }
        (Function::Contains, [Document::String(s), Document::String(n)]) => {
            Document::Bool(s.contains(n.as_str()))
        }
        _ => Document::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        super::super::super::json::JsonReader::new(json.as_bytes())
            .read_document()
            .unwrap()
    }

    #[test]
    fn fields_projections_and_filters() {
        let d = doc(
            r#"{"Tasks":[{"Status":"stopped","Stats":{"N":1}},{"Status":"running","Stats":{"N":2}},{"Other":1}],
                "Nested":[[{"a":1}],[{"a":2},{"a":3}]],"Name":"x"}"#,
        );
        let status = [Step::Field("Tasks"), Step::Flatten, Step::Field("Status")];
        assert_eq!(
            path(&status, &d),
            doc(r#"["stopped","running"]"#),
            "nulls are dropped"
        );
        let wildcard = [
            Step::Field("Tasks"),
            Step::Wildcard,
            Step::Field("Stats"),
            Step::Field("N"),
        ];
        assert_eq!(path(&wildcard, &d), doc("[1,2]"));
        assert_eq!(
            path(
                &[Step::Field("Nested"), Step::Flatten, Step::Field("a")],
                &d
            ),
            doc("[1,2,3]")
        );
        assert_eq!(
            path(
                &[
                    Step::Field("Nested"),
                    Step::Wildcard,
                    Step::Wildcard,
                    Step::Field("a")
                ],
                &d
            ),
            doc("[[1],[2,3]]")
        );
        let cond = Expr::Compare(
            Cmp::Eq,
            &Expr::Path(&[Step::Field("Status")]),
            &Expr::Literal(Lit::Str("running")),
        );
        let filtered = [
            Step::Field("Tasks"),
            Step::Filter(&cond),
            Step::Field("Stats"),
            Step::Field("N"),
        ];
        assert_eq!(path(&filtered, &d), doc("[2]"));
        assert_eq!(
            path(
                &[Step::Field("Tasks"), Step::Index(-1), Step::Field("Other")],
                &d
            ),
            doc("1")
        );
        assert_eq!(
            path(&[Step::Field("Name"), Step::Flatten], &d),
            Document::Null
        );
        assert_eq!(path(&[], &d), d, "@");
    }

    #[test]
    fn logic_comparisons_and_functions() {
        let d = doc(r#"{"a":[1,2,3],"b":"","c":null}"#);
        let len = Expr::Call(Function::Length, &[Expr::Path(&[Step::Field("a")])]);
        assert_eq!(eval(&len, &d), Document::from(3u64));
        let gt = Expr::Compare(Cmp::Gt, &len, &Expr::Literal(Lit::Number(2.0)));
        assert_eq!(eval(&gt, &d), Document::Bool(true));
        let bad = Expr::Compare(
            Cmp::Lt,
            &Expr::Path(&[Step::Field("b")]),
            &Expr::Literal(Lit::Number(1.0)),
        );
        assert_eq!(eval(&bad, &d), Document::Null, "ordering needs numbers");
        let or = Expr::Or(
            &Expr::Path(&[Step::Field("b")]),
            &Expr::Literal(Lit::Str("fallback")),
        );
        assert_eq!(eval(&or, &d), Document::String("fallback".into()));
        let and = Expr::And(
            &Expr::Path(&[Step::Field("a")]),
            &Expr::Path(&[Step::Field("c")]),
        );
        assert_eq!(eval(&and, &d), Document::Null);
        assert_eq!(
            eval(&Expr::Not(&Expr::Path(&[Step::Field("c")])), &d),
            Document::Bool(true)
        );
        let contains = Expr::Call(
            Function::Contains,
            &[
                Expr::Path(&[Step::Field("a")]),
                Expr::Literal(Lit::Number(2.0)),
            ],
        );
        assert_eq!(eval(&contains, &d), Document::Bool(true));
    }
}
