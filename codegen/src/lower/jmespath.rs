//! JMESPath, parsed as the specification defines it (a Pratt parser with
//! the specification's binding powers) into [`JmesExpr`], with function
//! names and arities checked here: what `emit/waiters.rs` spells as static
//! data for the runtime's evaluator (`runtime/jmespath.rs`).
//!
//! [`check`] then walks a parsed expression against the model, refusing a
//! member name the shape it is selected from does not have.

use serde_json::Value;

use crate::ir::{JmesExpr, JmesLit};
use crate::model::{self, Loaded};
use crate::runtime::jmespath::{self as rt, Cmp, Function, Lit};

/// Why an expression was refused: the JMESPath error kind (`syntax`,
/// `unknown-function`, `invalid-arity`, `invalid-value`) and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JmesError {
    /// The error kind as the compliance tests name it.
    pub kind: &'static str,
    /// What is wrong, and where.
    pub message: String,
}

impl std::fmt::Display for JmesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

type Result<T> = std::result::Result<T, JmesError>;

fn syntax<T>(message: impl Into<String>) -> Result<T> {
    Err(JmesError {
        kind: "syntax",
        message: message.into(),
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Quoted(String),
    Lit(JmesLit),
    Num(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Amp,
    Not,
    At,
    Cmp(&'static str),
    Eof,
}

/// The binding power of a token (how tightly it takes the expression on
/// its left), as the specification's grammar orders them.
fn bp(t: &Tok) -> u8 {
    match t {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

/// Projections stop at tokens binding less than this.
const PROJECTION_STOP: u8 = 10;

fn lit_of(v: Value) -> JmesLit {
    match v {
        Value::Null => JmesLit::Null,
        Value::Bool(b) => JmesLit::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => JmesLit::Int(i),
            None => JmesLit::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => JmesLit::Str(s),
        Value::Array(items) => JmesLit::Array(items.into_iter().map(lit_of).collect()),
        Value::Object(m) => JmesLit::Object(m.into_iter().map(|(k, v)| (k, lit_of(v))).collect()),
    }
}

/// The text up to the next unescaped `end` (a backslash escapes the next
/// character), and the offset after `end`.
fn until(s: &str, start: usize, end: char) -> Result<(String, usize)> {
    let mut out = String::new();
    let mut chars = s[start..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            out.push(c);
            if let Some((_, n)) = chars.next() {
                out.push(n);
            }
        } else if c == end {
            return Ok((out, start + i + c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    syntax(format!(
        "unterminated `{end}` starting at offset {}",
        start - 1
    ))
}

fn lex(s: &str) -> Result<Vec<Tok>> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (tok, len) = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'.' => (Tok::Dot, 1),
            b'*' => (Tok::Star, 1),
            b'[' if next == Some(b']') => (Tok::Flatten, 2),
            b'[' if next == Some(b'?') => (Tok::Filter, 2),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b':' => (Tok::Colon, 1),
            b'@' => (Tok::At, 1),
            b'|' if next == Some(b'|') => (Tok::Or, 2),
            b'|' => (Tok::Pipe, 1),
            b'&' if next == Some(b'&') => (Tok::And, 2),
            b'&' => (Tok::Amp, 1),
            b'!' if next == Some(b'=') => (Tok::Cmp("Ne"), 2),
            b'!' => (Tok::Not, 1),
            b'=' if next == Some(b'=') => (Tok::Cmp("Eq"), 2),
            b'<' if next == Some(b'=') => (Tok::Cmp("Le"), 2),
            b'<' => (Tok::Cmp("Lt"), 1),
            b'>' if next == Some(b'=') => (Tok::Cmp("Ge"), 2),
            b'>' => (Tok::Cmp("Gt"), 1),
            b'\'' => {
                let (text, end) = until(s, i + 1, '\'')?;
                out.push(Tok::Lit(JmesLit::Str(text.replace("\\'", "'"))));
                i = end;
                continue;
            }
            b'`' => {
                let (text, end) = until(s, i + 1, '`')?;
                let text = text.replace("\\`", "`");
                let v = match serde_json::from_str::<Value>(text.trim()) {
                    Ok(v) => v,
                    Err(_) => return syntax(format!("literal `{text}` is not JSON")),
                };
                out.push(Tok::Lit(lit_of(v)));
                i = end;
                continue;
            }
            b'"' => {
                let (text, end) = until(s, i + 1, '"')?;
                let name: String = match serde_json::from_str(&format!("\"{text}\"")) {
                    Ok(n) => n,
                    Err(_) => return syntax(format!("bad quoted identifier \"{text}\"")),
                };
                out.push(Tok::Quoted(name));
                i = end;
                continue;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let text = &s[start..i];
                match text.parse() {
                    Ok(n) => out.push(Tok::Num(n)),
                    Err(_) => return syntax(format!("bad number `{text}` at offset {start}")),
                }
                continue;
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
                continue;
            }
            _ => {
                return syntax(format!(
                    "unexpected `{}` at offset {i}",
                    s[i..].chars().next().unwrap_or_default()
                ))
            }
        };
        out.push(tok);
        i += len;
    }
    out.push(Tok::Eof);
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Parses a JMESPath expression.
pub(crate) fn parse(s: &str) -> Result<JmesExpr> {
    let mut p = Parser {
        toks: lex(s)?,
        pos: 0,
    };
    let e = p.expression(0)?;
    match p.peek() {
        Tok::Eof => Ok(e),
        other => syntax(format!("unexpected {other:?} after the expression")),
    }
}

fn boxed(a: JmesExpr, b: JmesExpr) -> (Box<JmesExpr>, Box<JmesExpr>) {
    (Box::new(a), Box::new(b))
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).unwrap_or(&Tok::Eof)
    }

    fn peek2(&self) -> &Tok {
        self.toks.get(self.pos + 1).unwrap_or(&Tok::Eof)
    }

    fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, t: &Tok) -> Result<()> {
        if self.peek() == t {
            self.advance();
            Ok(())
        } else {
            syntax(format!("expected {t:?}, found {:?}", self.peek()))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<JmesExpr> {
        let tok = self.advance();
        let mut left = self.nud(tok)?;
        while rbp < bp(self.peek()) {
            let tok = self.advance();
            left = self.led(tok, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, tok: Tok) -> Result<JmesExpr> {
        Ok(match tok {
            Tok::Lit(l) => JmesExpr::Literal(l),
            Tok::Ident(n) => JmesExpr::Field(n),
            Tok::Quoted(n) => {
                if *self.peek() == Tok::LParen {
                    return syntax("a quoted identifier cannot name a function");
                }
                JmesExpr::Field(n)
            }
            Tok::Star => {
                let right = if *self.peek() == Tok::RBracket {
                    JmesExpr::Identity
                } else {
                    self.projection_rhs(bp(&Tok::Star))?
                };
                let (l, r) = boxed(JmesExpr::Identity, right);
                JmesExpr::ValueProjection(l, r)
            }
            Tok::Filter => self.filter(JmesExpr::Identity)?,
            Tok::LBrace => self.multi_hash()?,
            Tok::LParen => {
                let e = self.expression(0)?;
                self.expect(&Tok::RParen)?;
                e
            }
            Tok::Flatten => {
                let left = JmesExpr::Flatten(Box::new(JmesExpr::Identity));
                let right = self.projection_rhs(bp(&Tok::Flatten))?;
                let (l, r) = boxed(left, right);
                JmesExpr::Projection(l, r)
            }
            Tok::Not => JmesExpr::Not(Box::new(self.expression(bp(&Tok::Not))?)),
            Tok::LBracket => match (self.peek(), self.peek2()) {
                (Tok::Num(_) | Tok::Colon, _) => {
                    let right = self.index_expression()?;
                    self.project_if_slice(JmesExpr::Identity, right)?
                }
                (Tok::Star, Tok::RBracket) => {
                    self.advance();
                    self.advance();
                    let right = self.projection_rhs(bp(&Tok::Star))?;
                    let (l, r) = boxed(JmesExpr::Identity, right);
                    JmesExpr::Projection(l, r)
                }
                _ => self.multi_list()?,
            },
            Tok::At => JmesExpr::Identity,
            Tok::Amp => JmesExpr::ExprRef(Box::new(self.expression(bp(&Tok::Amp))?)),
            Tok::Eof => return syntax("the expression ends too early"),
            other => return syntax(format!("unexpected {other:?}")),
        })
    }

    fn led(&mut self, tok: Tok, left: JmesExpr) -> Result<JmesExpr> {
        Ok(match tok {
            Tok::Dot => {
                if *self.peek() == Tok::Star {
                    self.advance();
                    let right = self.projection_rhs(bp(&Tok::Dot))?;
                    let (l, r) = boxed(left, right);
                    JmesExpr::ValueProjection(l, r)
                } else {
                    let right = self.dot_rhs(bp(&Tok::Dot))?;
                    let (l, r) = boxed(left, right);
                    JmesExpr::Sub(l, r)
                }
            }
            Tok::Pipe => {
                let right = self.expression(bp(&Tok::Pipe))?;
                let (l, r) = boxed(left, right);
                JmesExpr::Pipe(l, r)
            }
            Tok::Or => {
                let right = self.expression(bp(&Tok::Or))?;
                let (l, r) = boxed(left, right);
                JmesExpr::Or(l, r)
            }
            Tok::And => {
                let right = self.expression(bp(&Tok::And))?;
                let (l, r) = boxed(left, right);
                JmesExpr::And(l, r)
            }
            Tok::LParen => self.call(left)?,
            Tok::Filter => self.filter(left)?,
            Tok::Cmp(op) => {
                let right = self.expression(bp(&Tok::Cmp(op)))?;
                let (l, r) = boxed(left, right);
                JmesExpr::Compare(op.to_string(), l, r)
            }
            Tok::Flatten => {
                let right = self.projection_rhs(bp(&Tok::Flatten))?;
                let (l, r) = boxed(JmesExpr::Flatten(Box::new(left)), right);
                JmesExpr::Projection(l, r)
            }
            Tok::LBracket => match self.peek() {
                Tok::Num(_) | Tok::Colon => {
                    let right = self.index_expression()?;
                    self.project_if_slice(left, right)?
                }
                _ => {
                    self.expect(&Tok::Star)?;
                    self.expect(&Tok::RBracket)?;
                    let right = self.projection_rhs(bp(&Tok::Star))?;
                    let (l, r) = boxed(left, right);
                    JmesExpr::Projection(l, r)
                }
            },
            other => return syntax(format!("unexpected {other:?}")),
        })
    }

    fn call(&mut self, left: JmesExpr) -> Result<JmesExpr> {
        let JmesExpr::Field(name) = left else {
            return syntax("only a name can be called as a function");
        };
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                args.push(self.expression(0)?);
                match self.advance() {
                    Tok::Comma => continue,
                    Tok::RParen => break,
                    other => return syntax(format!("expected `,` or `)`, found {other:?}")),
                }
            }
        } else {
            self.advance();
        }
        let Some(function) = Function::from_name(&name) else {
            return Err(JmesError {
                kind: "unknown-function",
                message: format!("`{name}` is not a JMESPath function"),
            });
        };
        if !function.accepts(args.len()) {
            return Err(JmesError {
                kind: "invalid-arity",
                message: format!("`{name}` does not take {} argument(s)", args.len()),
            });
        }
        Ok(JmesExpr::Call(format!("{function:?}"), args))
    }

    fn filter(&mut self, left: JmesExpr) -> Result<JmesExpr> {
        let cond = self.expression(0)?;
        self.expect(&Tok::RBracket)?;
        let right = if *self.peek() == Tok::Flatten {
            JmesExpr::Identity
        } else {
            self.projection_rhs(bp(&Tok::Filter))?
        };
        Ok(JmesExpr::FilterProjection(
            Box::new(left),
            Box::new(cond),
            Box::new(right),
        ))
    }

    fn projection_rhs(&mut self, rbp: u8) -> Result<JmesExpr> {
        match self.peek() {
            t if bp(t) < PROJECTION_STOP => Ok(JmesExpr::Identity),
            Tok::LBracket | Tok::Filter => self.expression(rbp),
            Tok::Dot => {
                self.advance();
                self.dot_rhs(rbp)
            }
            other => syntax(format!("unexpected {other:?} after a projection")),
        }
    }

    fn dot_rhs(&mut self, rbp: u8) -> Result<JmesExpr> {
        match self.peek() {
            Tok::Ident(_) | Tok::Quoted(_) | Tok::Star => self.expression(rbp),
            Tok::LBracket => {
                self.advance();
                self.multi_list()
            }
            Tok::LBrace => {
                self.advance();
                self.multi_hash()
            }
            other => syntax(format!(
                "expected a name, `[` or `{{` after `.`, found {other:?}"
            )),
        }
    }

    fn index_expression(&mut self) -> Result<JmesExpr> {
        if *self.peek() == Tok::Colon || *self.peek2() == Tok::Colon {
            return self.slice();
        }
        let Tok::Num(n) = self.advance() else {
            return syntax("expected an index");
        };
        self.expect(&Tok::RBracket)?;
        Ok(JmesExpr::Index(n))
    }

    fn slice(&mut self) -> Result<JmesExpr> {
        let mut parts = [None; 3];
        let mut at = 0;
        while *self.peek() != Tok::RBracket && at < 3 {
            match self.advance() {
                Tok::Colon => {
                    at += 1;
                    if at == 3 {
                        return syntax("a slice has at most three parts");
                    }
                }
                Tok::Num(n) => parts[at] = Some(n),
                other => return syntax(format!("unexpected {other:?} in a slice")),
            }
        }
        self.expect(&Tok::RBracket)?;
        if parts[2] == Some(0) {
            return Err(JmesError {
                kind: "invalid-value",
                message: "a slice step cannot be 0".into(),
            });
        }
        Ok(JmesExpr::Slice(parts[0], parts[1], parts[2]))
    }

    fn project_if_slice(&mut self, left: JmesExpr, right: JmesExpr) -> Result<JmesExpr> {
        let is_slice = matches!(right, JmesExpr::Slice(..));
        let (l, r) = boxed(left, right);
        let index = JmesExpr::Sub(l, r);
        if !is_slice {
            return Ok(index);
        }
        let rest = self.projection_rhs(bp(&Tok::Star))?;
        let (l, r) = boxed(index, rest);
        Ok(JmesExpr::Projection(l, r))
    }

    fn multi_list(&mut self) -> Result<JmesExpr> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            match self.advance() {
                Tok::Comma => continue,
                Tok::RBracket => return Ok(JmesExpr::MultiList(items)),
                other => return syntax(format!("expected `,` or `]`, found {other:?}")),
            }
        }
    }

    fn multi_hash(&mut self) -> Result<JmesExpr> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.advance() {
                Tok::Ident(k) | Tok::Quoted(k) => k,
                other => return syntax(format!("expected a key, found {other:?}")),
            };
            self.expect(&Tok::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.advance() {
                Tok::Comma => continue,
                Tok::RBrace => return Ok(JmesExpr::MultiHash(pairs)),
                other => return syntax(format!("expected `,` or `}}`, found {other:?}")),
            }
        }
    }
}

/// What a JMESPath value is, as far as the model says.
#[derive(Clone, Debug)]
pub(crate) enum Cursor {
    /// A shape of the model.
    Shape(String),
    /// A list of this.
    List(Box<Cursor>),
    /// `{input, output}`.
    InputOutput {
        /// The input structure.
        input: Box<Cursor>,
        /// The output structure.
        output: Box<Cursor>,
    },
    /// Anything (a document, a literal, a function's result, `null`).
    Any,
}

fn field(model: &Loaded, c: &Cursor, name: &str) -> std::result::Result<Cursor, String> {
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

/// The elements of a list (`Any` where the model cannot say).
fn elements(model: &Loaded, c: &Cursor) -> Cursor {
    match c {
        Cursor::List(e) => (**e).clone(),
        Cursor::Shape(id) => match model.shape(id) {
            Ok(s) if matches!(s.kind.as_str(), "list" | "set") => s
                .member
                .as_ref()
                .map_or(Cursor::Any, |m| Cursor::Shape(m.target.clone())),
            _ => Cursor::Any,
        },
        _ => Cursor::Any,
    }
}

/// The values of a map (`Any` for anything else).
fn values(model: &Loaded, c: &Cursor) -> Cursor {
    match c {
        Cursor::Shape(id) => match model.shape(id) {
            Ok(s) if s.kind == "map" => s
                .value
                .as_ref()
                .map_or(Cursor::Any, |m| Cursor::Shape(m.target.clone())),
            _ => Cursor::Any,
        },
        _ => Cursor::Any,
    }
}

/// Checks every member name of `e` evaluated against `c`; the cursor of
/// its result.
pub(crate) fn check(
    model: &Loaded,
    e: &JmesExpr,
    c: &Cursor,
) -> std::result::Result<Cursor, String> {
    Ok(match e {
        JmesExpr::Identity => c.clone(),
        JmesExpr::Field(name) => field(model, c, name)?,
        JmesExpr::Sub(a, b) | JmesExpr::Pipe(a, b) => {
            let left = check(model, a, c)?;
            check(model, b, &left)?
        }
        JmesExpr::Index(_) => elements(model, c),
        JmesExpr::Slice(..) => Cursor::List(Box::new(elements(model, c))),
        JmesExpr::Projection(l, r) => {
            let left = check(model, l, c)?;
            Cursor::List(Box::new(check(model, r, &elements(model, &left))?))
        }
        JmesExpr::ValueProjection(l, r) => {
            let left = check(model, l, c)?;
            Cursor::List(Box::new(check(model, r, &values(model, &left))?))
        }
        JmesExpr::FilterProjection(l, cond, r) => {
            let left = check(model, l, c)?;
            let each = elements(model, &left);
            check(model, cond, &each)?;
            Cursor::List(Box::new(check(model, r, &each)?))
        }
        JmesExpr::Flatten(inner) => {
            let list = check(model, inner, c)?;
            let each = elements(model, &list);
            if matches!(each, Cursor::List(_)) || is_list(model, &each) {
                Cursor::List(Box::new(elements(model, &each)))
            } else {
                Cursor::List(Box::new(each))
            }
        }
        JmesExpr::MultiList(items) => {
            for i in items {
                check(model, i, c)?;
            }
            Cursor::Any
        }
        JmesExpr::MultiHash(pairs) => {
            for (_, i) in pairs {
                check(model, i, c)?;
            }
            Cursor::Any
        }
        JmesExpr::Or(a, b) | JmesExpr::And(a, b) | JmesExpr::Compare(_, a, b) => {
            check(model, a, c)?;
            check(model, b, c)?;
            Cursor::Any
        }
        JmesExpr::Not(a) => {
            check(model, a, c)?;
            Cursor::Any
        }
        JmesExpr::Call(_, args) => {
            for a in args {
                check(model, a, c)?;
            }
            Cursor::Any
        }
        // An expression reference is evaluated on what a function hands
        // it, which the model does not say.
        JmesExpr::Literal(_) | JmesExpr::ExprRef(_) => Cursor::Any,
    })
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

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// The runtime form of a parsed expression (what `emit/waiters.rs`
/// spells as static data), built at run time: leaked, for tests and
/// tools that evaluate a few expressions.
pub(crate) fn runtime_expr(e: &JmesExpr) -> rt::Expr<'static> {
    let r = |e: &JmesExpr| leak(runtime_expr(e));
    match e {
        JmesExpr::Identity => rt::Expr::Identity,
        JmesExpr::Field(f) => rt::Expr::Field(leak_str(f)),
        JmesExpr::Sub(a, b) => rt::Expr::Sub(r(a), r(b)),
        JmesExpr::Index(i) => rt::Expr::Index(*i),
        JmesExpr::Slice(a, b, c) => rt::Expr::Slice(*a, *b, *c),
        JmesExpr::Projection(a, b) => rt::Expr::Projection(r(a), r(b)),
        JmesExpr::ValueProjection(a, b) => rt::Expr::ValueProjection(r(a), r(b)),
        JmesExpr::FilterProjection(a, c, b) => rt::Expr::FilterProjection(r(a), r(c), r(b)),
        JmesExpr::Flatten(a) => rt::Expr::Flatten(r(a)),
        JmesExpr::MultiList(items) => rt::Expr::MultiList(Box::leak(
            items
                .iter()
                .map(runtime_expr)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )),
        JmesExpr::MultiHash(pairs) => rt::Expr::MultiHash(Box::leak(
            pairs
                .iter()
                .map(|(k, v)| (leak_str(k), runtime_expr(v)))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )),
        JmesExpr::Pipe(a, b) => rt::Expr::Pipe(r(a), r(b)),
        JmesExpr::Or(a, b) => rt::Expr::Or(r(a), r(b)),
        JmesExpr::And(a, b) => rt::Expr::And(r(a), r(b)),
        JmesExpr::Not(a) => rt::Expr::Not(r(a)),
        JmesExpr::Compare(op, a, b) => {
            let op = match op.as_str() {
                "Eq" => Cmp::Eq,
                "Ne" => Cmp::Ne,
                "Lt" => Cmp::Lt,
                "Le" => Cmp::Le,
                "Gt" => Cmp::Gt,
                _ => Cmp::Ge,
            };
            rt::Expr::Compare(op, r(a), r(b))
        }
        JmesExpr::Literal(l) => rt::Expr::Literal(runtime_lit(l)),
        JmesExpr::Call(f, args) => {
            let function = Function::TABLE
                .iter()
                .map(|(f, ..)| *f)
                .find(|g| format!("{g:?}") == *f)
                .expect("the parser names runtime functions");
            rt::Expr::Call(
                function,
                Box::leak(
                    args.iter()
                        .map(runtime_expr)
                        .collect::<Vec<_>>()
                        .into_boxed_slice(),
                ),
            )
        }
        JmesExpr::ExprRef(a) => rt::Expr::Reference(r(a)),
    }
}

fn runtime_lit(l: &JmesLit) -> Lit<'static> {
    match l {
        JmesLit::Null => Lit::Null,
        JmesLit::Bool(b) => Lit::Bool(*b),
        JmesLit::Int(i) => Lit::Int(*i),
        JmesLit::Float(f) => Lit::Float(*f),
        JmesLit::Str(s) => Lit::Str(leak_str(s)),
        JmesLit::Array(items) => Lit::Array(Box::leak(
            items
                .iter()
                .map(runtime_lit)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )),
        JmesLit::Object(pairs) => Lit::Object(Box::leak(
            pairs
                .iter()
                .map(|(k, v)| (leak_str(k), runtime_lit(v)))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )),
    }
}

/// Evaluates `expression` over the JSON document `json` with this parser
/// and the runtime's evaluator (what a generated waiter runs); the result
/// as JSON text. Leaks the parsed expression: for tests and tools.
pub(crate) fn search(expression: &str, json: &str) -> std::result::Result<String, String> {
    let e = parse(expression).map_err(|e| format!("{}: {}", e.kind, e.message))?;
    let doc = crate::runtime::json::JsonReader::new(json.as_bytes())
        .read_document()
        .map_err(|e| e.to_string())?;
    let out = rt::search(&runtime_expr(&e), &doc).map_err(|e| e.to_string())?;
    let mut w = crate::runtime::json::JsonWriter::new();
    w.document(&out);
    Ok(w.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: &str) -> Box<JmesExpr> {
        Box::new(JmesExpr::Field(n.into()))
    }

    #[test]
    fn precedence_and_projections() {
        assert_eq!(
            parse("Replications[].Status").unwrap(),
            JmesExpr::Projection(
                Box::new(JmesExpr::Flatten(field("Replications"))),
                field("Status")
            )
        );
        assert_eq!(
            parse("a.*.b").unwrap(),
            JmesExpr::ValueProjection(field("a"), field("b"))
        );
        assert_eq!(
            parse("a | b").unwrap(),
            JmesExpr::Pipe(field("a"), field("b"))
        );
        assert_eq!(
            parse("a[1:2]").unwrap(),
            JmesExpr::Projection(
                Box::new(JmesExpr::Sub(
                    field("a"),
                    Box::new(JmesExpr::Slice(Some(1), Some(2), None))
                )),
                Box::new(JmesExpr::Identity)
            )
        );
        let asg = parse(
            "contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)",
        )
        .unwrap();
        assert!(
            matches!(asg, JmesExpr::Call(ref f, ref args) if f == "Contains" && args.len() == 2)
        );
        assert_eq!(parse("@").unwrap(), JmesExpr::Identity);
        assert!(matches!(
            parse("sort_by(a, &b)").unwrap(),
            JmesExpr::Call(ref f, _) if f == "SortBy"
        ));
        assert!(matches!(
            parse("{x: a, \"y z\": `[1, {\"k\": null}]`}").unwrap(),
            JmesExpr::MultiHash(ref p) if p.len() == 2
        ));
    }

    #[test]
    fn errors_by_kind() {
        for (bad, kind) in [
            ("a.", "syntax"),
            ("foo.`\"bar\"`", "syntax"),
            ("[1, ]", "syntax"),
            ("\"f\"(a)", "syntax"),
            ("nope(a)", "unknown-function"),
            ("length(a, b)", "invalid-arity"),
            ("a[::0]", "invalid-value"),
            ("'open", "syntax"),
            ("a = b", "syntax"),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.kind, kind, "{bad}: {}", e.message);
        }
    }
}
