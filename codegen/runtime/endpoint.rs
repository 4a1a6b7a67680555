//! Endpoint rule sets (`smithy.rules#endpointRuleSet`) and their evaluator.
//!
//! The generator turns a model's rule set into static data of the types
//! below (names of parameters and assigned variables resolved to slots,
//! templates split into pieces, `getAttr` paths parsed), and checks every
//! function, reference and path while it does. Resolving an endpoint walks
//! that data with [`resolve`]: no parsing at run time, no allocation beyond
//! the strings the result is made of.
//!
//! The standard library is here too: `isSet`, `not`, `booleanEquals`,
//! `stringEquals`, `getAttr`, `substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`, `aws.partition`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use super::document::{Document, Number};

/// A function of the rules language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `isSet(value)`.
    IsSet,
    /// `not(bool)`.
    Not,
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `substring(input, start, stop, reverse)`.
    Substring,
    /// `uriEncode(value)`.
    UriEncode,
    /// `parseURL(value)`.
    ParseUrl,
    /// `isValidHostLabel(value, allowSubDomains)`.
    IsValidHostLabel,
    /// `aws.partition(region)`.
    Partition,
    /// `aws.parseArn(value)`.
    ParseArn,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// Every function, with its name in the rules language and its arity.
    pub const ALL: &'static [(Function, &'static str, usize)] = &[
        (Function::IsSet, "isSet", 1),
        (Function::Not, "not", 1),
        (Function::BooleanEquals, "booleanEquals", 2),
        (Function::StringEquals, "stringEquals", 2),
        (Function::Substring, "substring", 4),
        (Function::UriEncode, "uriEncode", 1),
        (Function::ParseUrl, "parseURL", 1),
        (Function::IsValidHostLabel, "isValidHostLabel", 2),
        (Function::Partition, "aws.partition", 1),
        (Function::ParseArn, "aws.parseArn", 1),
        (
            Function::IsVirtualHostableS3Bucket,
            "aws.isVirtualHostableS3Bucket",
            2,
        ),
    ];

    /// The function a rules-language name denotes.
    pub fn from_name(name: &str) -> Option<(Function, usize)> {
        Function::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(f, _, arity)| (*f, *arity))
    }
}

/// One step of a `getAttr` path: `name` or `[index]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPart<'a> {
    /// An object member.
    Key(&'a str),
    /// An array element.
    Index(usize),
}

/// One piece of a template string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text (escapes already undone).
    Text(&'a str),
    /// `{Name}`: a parameter or assigned variable, by slot.
    Var(usize),
    /// `{name#path}`: an attribute of a variable.
    Attr(usize, &'a [PathPart<'a>]),
}

/// An expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expr<'a> {
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A string literal, as a template.
    Str(&'a [Piece<'a>]),
    /// A parameter or assigned variable, by slot.
    Ref(usize),
    /// `getAttr(value, path)`, the path parsed.
    GetAttr(&'a Expr<'a>, &'a [PathPart<'a>]),
    /// A function call.
    Call(Function, &'a [Expr<'a>]),
    /// An array literal (endpoint properties).
    Array(&'a [Expr<'a>]),
    /// An object literal (endpoint properties).
    Object(&'a [(&'a str, Expr<'a>)]),
}

/// A condition: true unless its value is unset or `false`; the value is
/// bound to `assign` when given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition<'a> {
    /// The expression tested.
    pub expr: Expr<'a>,
    /// The slot its value is assigned to.
    pub assign: Option<usize>,
}

/// What an endpoint rule produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointTemplate<'a> {
    /// The URL template.
    pub url: Expr<'a>,
    /// Properties (`authSchemes` and others), in rule-set order.
    pub properties: &'a [(&'a str, Expr<'a>)],
    /// Headers to add to the request.
    pub headers: &'a [(&'a str, &'a [Expr<'a>])],
}

/// A rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule<'a> {
    /// Resolves to an endpoint when its conditions hold.
    Endpoint {
        /// Conditions, all of which must hold.
        conditions: &'a [Condition<'a>],
        /// The endpoint.
        endpoint: EndpointTemplate<'a>,
    },
    /// Fails with a message when its conditions hold.
    Error {
        /// Conditions, all of which must hold.
        conditions: &'a [Condition<'a>],
        /// The message template.
        message: Expr<'a>,
    },
    /// Descends into its rules when its conditions hold; one of them must
    /// then match.
    Tree {
        /// Conditions, all of which must hold.
        conditions: &'a [Condition<'a>],
        /// The rules inside.
        rules: &'a [Rule<'a>],
    },
}

/// A parameter's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A parameter's default value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal<'a> {
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'a str),
    /// A list of strings.
    StrArray(&'a [&'a str]),
}

impl<'a> Literal<'a> {
    fn value(self) -> Value<'a> {
        match self {
            Literal::Bool(b) => Value::Bool(b),
            Literal::Str(s) => Value::Str(Cow::Borrowed(s)),
            Literal::StrArray(items) => Value::Array(
                items
                    .iter()
                    .map(|s| Value::Str(Cow::Borrowed(*s)))
                    .collect(),
            ),
        }
    }
}

/// A parameter of a rule set. Parameters take the first slots, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    /// The name in the rule set.
    pub name: &'a str,
    /// Its type.
    pub kind: ParamKind,
    /// Whether the rule set requires a value.
    pub required: bool,
    /// The value used when none is given.
    pub default: Option<Literal<'a>>,
    /// The built-in it is bound to (`AWS::Region`, `SDK::Endpoint`, ...).
    pub builtin: Option<&'a str>,
}

/// A whole rule set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSet<'a> {
    /// Parameters, slots `0..params.len()`.
    pub params: &'a [Param<'a>],
    /// Number of slots: parameters, then assigned variables.
    pub slots: usize,
    /// The rules, tried in order.
    pub rules: &'a [Rule<'a>],
}

/// The outputs of a partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartitionOutputs<'a> {
    /// `name`: `aws`, `aws-cn`, ...
    pub name: &'a str,
    /// `dnsSuffix`.
    pub dns_suffix: &'a str,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: &'a str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: &'a str,
}

/// A partition of `partitions.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition<'a> {
    /// Its id.
    pub id: &'a str,
    /// The regular expression a region of this partition matches.
    pub region_regex: &'a str,
    /// The regions listed by name.
    pub regions: &'a [&'a str],
    /// What `aws.partition` returns.
    pub outputs: PartitionOutputs<'a>,
}

/// The partition of a region: the partition that lists it, else the first
/// whose region pattern matches it, else `aws`. `None` only when the table
/// has no `aws` partition.
pub fn partition_of<'a>(
    partitions: &'a [Partition<'a>],
    region: &str,
) -> Option<&'a Partition<'a>> {
    partitions
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| {
            partitions
                .iter()
                .find(|p| Regex::new(p.region_regex).is_ok_and(|re| re.is_match(region)))
        })
        .or_else(|| partitions.iter().find(|p| p.id == "aws"))
}

/// A value during evaluation.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value<'a> {
    /// Unset.
    #[default]
    None,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object, members in order.
    Object(Vec<(&'a str, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// A borrowed string value.
    pub fn str(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }

    /// An optional borrowed string value.
    pub fn opt_str(s: Option<&'a str>) -> Self {
        s.map_or(Value::None, Value::str)
    }

    /// An optional boolean value.
    pub fn opt_bool(b: Option<bool>) -> Self {
        b.map_or(Value::None, Value::Bool)
    }

    /// A list of borrowed strings.
    pub fn str_array(items: &'a [String]) -> Self {
        Value::Array(items.iter().map(|s| Value::str(s)).collect())
    }

    fn truthy(&self) -> bool {
        !matches!(self, Value::None | Value::Bool(false))
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn attr(&self, path: &[PathPart<'_>]) -> Value<'a> {
        let mut current = self;
        for part in path {
            let next = match (part, current) {
                (PathPart::Key(k), Value::Object(members)) => {
                    members.iter().find(|(name, _)| name == k).map(|(_, v)| v)
                }
                (PathPart::Index(i), Value::Array(items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(v) => current = v,
                None => return Value::None,
            }
        }
        current.clone()
    }

    fn into_document(self) -> Document {
        match self {
            Value::None => Document::Null,
            Value::Bool(b) => Document::Bool(b),
            Value::Int(i) => Document::Number(if i < 0 {
                Number::NegInt(i)
            } else {
                Number::PosInt(i.unsigned_abs())
            }),
            Value::Str(s) => Document::String(s.into_owned()),
            Value::Array(items) => {
                Document::Array(items.into_iter().map(Value::into_document).collect())
            }
            Value::Object(members) => Document::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into_document()))
                    .collect(),
            ),
        }
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL: scheme, authority and an optional base path.
    pub url: String,
    /// Headers the request must carry, each with its values.
    pub headers: Vec<(String, Vec<String>)>,
    /// Properties, such as `authSchemes`.
    pub properties: BTreeMap<String, Document>,
}

impl Endpoint {
    /// An endpoint with only a URL.
    pub fn from_url(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            headers: Vec::new(),
            properties: BTreeMap::new(),
        }
    }

    /// The `authSchemes` property's entries, in order.
    pub fn auth_schemes(&self) -> impl Iterator<Item = &BTreeMap<String, Document>> {
        let list = match self.properties.get("authSchemes") {
            Some(Document::Array(items)) => items.as_slice(),
            _ => &[],
        };
        list.iter().filter_map(|d| match d {
            Document::Object(m) => Some(m),
            _ => None,
        })
    }
}

/// Why no endpoint was resolved: the rule set's own error message, or a
/// missing required parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        ResolveError {
            message: message.into(),
        }
    }

    /// The message, exactly as the rule set words it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

/// Resolves an endpoint: `params` holds one value per parameter of the rule
/// set, in order (unset values take the parameter's default).
pub fn resolve<'a>(
    rules: &'a RuleSet<'a>,
    params: Vec<Value<'a>>,
    partitions: &'a [Partition<'a>],
) -> Result<Endpoint, ResolveError> {
    let mut scope = params;
    scope.resize(rules.slots.max(rules.params.len()), Value::None);
    for (slot, param) in rules.params.iter().enumerate() {
        if scope[slot] == Value::None {
            if let Some(default) = param.default {
                scope[slot] = default.value();
            } else if param.required {
                return Err(ResolveError::new(format!(
                    "the endpoint parameter `{}` is required and was not set",
                    param.name
                )));
            }
        }
    }
    let mut eval = Eval { scope, partitions };
    match eval.rules(rules.rules)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(no_rule_matched()),
    }
}

fn no_rule_matched() -> ResolveError {
    ResolveError::new("no endpoint rule matched the parameters")
}

struct Eval<'a> {
    scope: Vec<Value<'a>>,
    partitions: &'a [Partition<'a>],
}

impl<'a> Eval<'a> {
    fn rules(&mut self, rules: &'a [Rule<'a>]) -> Result<Option<Endpoint>, ResolveError> {
        for rule in rules {
            match rule {
                Rule::Endpoint {
                    conditions,
                    endpoint,
                } => {
                    if self.conditions(conditions) {
                        return Ok(Some(self.endpoint(endpoint)));
                    }
                }
                Rule::Error {
                    conditions,
                    message,
                } => {
                    if self.conditions(conditions) {
                        let text = self.expr(message);
                        return Err(ResolveError::new(text.as_str().unwrap_or_default()));
                    }
                }
                Rule::Tree { conditions, rules } => {
                    if self.conditions(conditions) {
                        return match self.rules(rules)? {
                            Some(endpoint) => Ok(Some(endpoint)),
                            None => Err(no_rule_matched()),
                        };
                    }
                }
            }
        }
        Ok(None)
    }

    fn conditions(&mut self, conditions: &'a [Condition<'a>]) -> bool {
        conditions.iter().all(|c| {
            let value = self.expr(&c.expr);
            let holds = value.truthy();
            if let (true, Some(slot)) = (holds, c.assign) {
                self.scope[slot] = value;
            }
            holds
        })
    }

    fn endpoint(&mut self, template: &'a EndpointTemplate<'a>) -> Endpoint {
        let url = match self.expr(&template.url) {
            Value::Str(s) => s.into_owned(),
            _ => String::new(),
        };
        let headers = template
            .headers
            .iter()
            .map(|(name, values)| {
                let values = values
                    .iter()
                    .filter_map(|v| match self.expr(v) {
                        Value::Str(s) => Some(s.into_owned()),
                        _ => None,
                    })
                    .collect();
                ((*name).to_owned(), values)
            })
            .collect();
        let properties = template
            .properties
            .iter()
            .map(|(name, v)| ((*name).to_owned(), self.expr(v).into_document()))
            .collect();
        Endpoint {
            url,
            headers,
            properties,
        }
    }

    fn slot(&self, slot: usize) -> &Value<'a> {
        self.scope.get(slot).unwrap_or(&Value::None)
    }

    fn template(&self, pieces: &'a [Piece<'a>]) -> Value<'a> {
        if let [Piece::Text(text)] = pieces {
            return Value::str(text);
        }
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Var(slot) => out.push_str(self.slot(*slot).as_str().unwrap_or_default()),
                Piece::Attr(slot, path) => {
                    out.push_str(self.slot(*slot).attr(path).as_str().unwrap_or_default())
                }
            }
        }
        Value::Str(Cow::Owned(out))
    }

    fn expr(&self, expr: &'a Expr<'a>) -> Value<'a> {
        match expr {
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Int(i) => Value::Int(*i),
            Expr::Str(pieces) => self.template(pieces),
            Expr::Ref(slot) => self.slot(*slot).clone(),
            Expr::GetAttr(target, path) => match target {
                Expr::Ref(slot) => self.slot(*slot).attr(path),
                other => self.expr(other).attr(path),
            },
            Expr::Array(items) => Value::Array(items.iter().map(|e| self.expr(e)).collect()),
            Expr::Object(members) => {
                Value::Object(members.iter().map(|(k, e)| (*k, self.expr(e))).collect())
            }
            Expr::Call(function, args) => self.call(*function, args),
        }
    }

    fn call(&self, function: Function, args: &'a [Expr<'a>]) -> Value<'a> {
        let arg = |i: usize| args.get(i).map_or(Value::None, |e| self.expr(e));
        match function {
            Function::IsSet => Value::Bool(arg(0) != Value::None),
            Function::Not => match arg(0).as_bool() {
                Some(b) => Value::Bool(!b),
                None => Value::None,
            },
            Function::BooleanEquals => {
                let (a, b) = (arg(0), arg(1));
                Value::Bool(a.as_bool().is_some() && a.as_bool() == b.as_bool())
            }
            Function::StringEquals => {
                let (a, b) = (arg(0), arg(1));
                Value::Bool(a.as_str().is_some() && a.as_str() == b.as_str())
            }
            Function::Substring => {
                let (input, start, stop, reverse) = (arg(0), arg(1), arg(2), arg(3));
                match (input.as_str(), start, stop, reverse.as_bool()) {
                    (Some(s), Value::Int(start), Value::Int(stop), Some(reverse)) => {
                        substring(s, start, stop, reverse)
                            .map_or(Value::None, |s| Value::Str(Cow::Owned(s.to_owned())))
                    }
                    _ => Value::None,
                }
            }
            Function::UriEncode => match arg(0).as_str() {
                Some(s) => Value::Str(Cow::Owned(uri_encode(s))),
                None => Value::None,
            },
            Function::ParseUrl => match arg(0).as_str().and_then(parse_url) {
                Some(url) => url.into_value(),
                None => Value::None,
            },
            Function::IsValidHostLabel => match (arg(0).as_str(), arg(1).as_bool()) {
                (Some(s), Some(sub)) => Value::Bool(is_valid_host_label(s, sub)),
                _ => Value::Bool(false),
            },
            Function::Partition => {
                let region = arg(0);
                let Some(region) = region.as_str() else {
                    return Value::None;
                };
                match partition_of(self.partitions, region) {
                    Some(p) => partition_value(&p.outputs),
                    None => Value::None,
                }
            }
            Function::ParseArn => match arg(0).as_str().and_then(parse_arn) {
                Some(arn) => arn.into_value(),
                None => Value::None,
            },
            Function::IsVirtualHostableS3Bucket => match (arg(0).as_str(), arg(1).as_bool()) {
                (Some(s), Some(sub)) => Value::Bool(is_virtual_hostable_s3_bucket(s, sub)),
                _ => Value::Bool(false),
            },
        }
    }
}

fn partition_value<'a>(o: &PartitionOutputs<'a>) -> Value<'a> {
    Value::Object(vec![
        ("name", Value::str(o.name)),
        ("dnsSuffix", Value::str(o.dns_suffix)),
        ("dualStackDnsSuffix", Value::str(o.dual_stack_dns_suffix)),
        ("supportsFIPS", Value::Bool(o.supports_fips)),
        ("supportsDualStack", Value::Bool(o.supports_dual_stack)),
        ("implicitGlobalRegion", Value::str(o.implicit_global_region)),
    ])
}

/// `substring`: the ASCII `input` from `start` to `stop` (counted from the
/// end when `reverse`); `None` when the input is not ASCII or too short.
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    if !input.is_ascii() || start >= stop || stop > input.len() {
        return None;
    }
    if reverse {
        let len = input.len();
        input.get(len - stop..len - start)
    } else {
        input.get(start..stop)
    }
}

/// `uriEncode`: percent-encodes everything but RFC 3986 unreserved characters.
pub fn uri_encode(value: &str) -> String {
    super::percent::encode(value, super::percent::Form::Uri)
}

/// `isValidHostLabel`: a DNS label (letters, digits and hyphens, 1 to 63
/// characters, not starting with a hyphen), or with `allow_sub_domains`
/// several joined by dots.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    fn label(l: &str) -> bool {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// `aws.isVirtualHostableS3Bucket`: a bucket name that can be a host label:
/// 3 to 63 lower-case letters, digits and hyphens (and dots between labels
/// with `allow_sub_domains`), beginning and ending with a letter or digit,
/// no dot next to a hyphen, and not shaped like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    fn segment(s: &str) -> bool {
        let bytes = s.as_bytes();
        let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        (3..=63).contains(&bytes.len())
            && bytes.first().is_some_and(edge)
            && bytes.last().is_some_and(edge)
            && bytes.iter().all(|b| edge(b) || *b == b'-' || *b == b'.')
            && !s.contains(".-")
            && !s.contains("-.")
            && !is_ipv4(s)
    }
    if !is_valid_host_label(value, allow_sub_domains) {
        return false;
    }
    if allow_sub_domains {
        value.split('.').all(segment)
    } else {
        segment(value)
    }
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// What `parseURL` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'s> {
    /// `http` or `https`.
    pub scheme: &'s str,
    /// Host and port.
    pub authority: &'s str,
    /// The path as written (`""` when there is none).
    pub path: &'s str,
    /// The path beginning and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

impl Url<'_> {
    fn into_value<'v>(self) -> Value<'v> {
        Value::Object(vec![
            ("scheme", owned(self.scheme)),
            ("authority", owned(self.authority)),
            ("path", owned(self.path)),
            (
                "normalizedPath",
                Value::Str(Cow::Owned(self.normalized_path)),
            ),
            ("isIp", Value::Bool(self.is_ip)),
        ])
    }
}

fn owned<'v>(s: &str) -> Value<'v> {
    Value::Str(Cow::Owned(s.to_owned()))
}

/// `parseURL`: an `http` or `https` URL with a host, an optional port and
/// path, and no query or fragment.
pub fn parse_url(value: &str) -> Option<Url<'_>> {
    let (scheme, rest) = value.split_once("://")?;
    if !matches!(scheme, "http" | "https") || value.contains(['?', '#']) {
        return None;
    }
    if value
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let after = &authority[end + 1..];
        if !(after.is_empty() || valid_port(after.strip_prefix(':')?)) {
            return None;
        }
        &authority[..=end]
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if valid_port(port) => host,
            Some(_) => return None,
            None => authority,
        }
    };
    if host.is_empty() {
        return None;
    }
    let is_ip = host.starts_with('[') || is_ipv4(host);
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme,
        authority,
        path,
        normalized_path,
        is_ip,
    })
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// What `aws.parseArn` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'s> {
    /// The partition.
    pub partition: &'s str,
    /// The service.
    pub service: &'s str,
    /// The region (may be empty).
    pub region: &'s str,
    /// The account id (may be empty).
    pub account_id: &'s str,
    /// The resource, split on `:` and `/`.
    pub resource_id: Vec<&'s str>,
}

impl Arn<'_> {
    fn into_value<'v>(self) -> Value<'v> {
        Value::Object(vec![
            ("partition", owned(self.partition)),
            ("service", owned(self.service)),
            ("region", owned(self.region)),
            ("accountId", owned(self.account_id)),
            (
                "resourceId",
                Value::Array(self.resource_id.into_iter().map(owned).collect()),
            ),
        ])
    }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, with
/// partition, service and resource non-empty.
pub fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    let (arn, partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

/// The small regular-expression language of partition region patterns:
/// anchors `^` and `$`, literals and escaped literals, `.`, `\d`, `\w`,
/// groups with alternatives, and the quantifiers `*`, `+` and `?`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Regex {
    alternatives: Vec<Vec<Node>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Byte(u8),
    Any,
    Digit,
    Word,
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, usize),
}

/// Longest input [`Regex::is_match`] examines; longer inputs never match
/// (they bound the matcher's recursion).
const REGEX_INPUT_LIMIT: usize = 256;

impl Regex {
    /// Compiles a pattern, or names what it cannot handle.
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let bytes = pattern.as_bytes();
        let mut pos = 0;
        let alternatives = parse_alternatives(bytes, &mut pos, 0)?;
        if pos != bytes.len() {
            return Err(format!("unbalanced `)` at offset {pos} of {pattern:?}"));
        }
        Ok(Regex { alternatives })
    }

    /// Whether the pattern matches somewhere in `input` (anchors decide).
    pub fn is_match(&self, input: &str) -> bool {
        let s = input.as_bytes();
        if s.len() > REGEX_INPUT_LIMIT {
            return false;
        }
        (0..=s.len()).any(|start| {
            self.alternatives
                .iter()
                .any(|alt| match_seq(alt, s, start, &mut |_| true))
        })
    }
}

fn parse_alternatives(p: &[u8], pos: &mut usize, depth: usize) -> Result<Vec<Vec<Node>>, String> {
    if depth > 8 {
        return Err("groups nested too deeply".into());
    }
    let mut alternatives = vec![Vec::new()];
    while let Some(&c) = p.get(*pos) {
        let node = match c {
            b')' => break,
            b'|' => {
                *pos += 1;
                alternatives.push(Vec::new());
                continue;
            }
            b'(' => {
                *pos += 1;
                let inner = parse_alternatives(p, pos, depth + 1)?;
                if p.get(*pos) != Some(&b')') {
                    return Err(format!("unclosed `(` before offset {}", *pos));
                }
                Node::Group(inner)
            }
            b'\\' => {
                *pos += 1;
                match p.get(*pos) {
                    Some(b'd') => Node::Digit,
                    Some(b'w') => Node::Word,
                    Some(&b) if b.is_ascii_punctuation() => Node::Byte(b),
                    _ => return Err(format!("unsupported escape at offset {}", *pos)),
                }
            }
            b'^' => Node::Start,
            b'$' => Node::End,
            b'.' => Node::Any,
            b'[' | b']' | b'{' | b'}' | b'*' | b'+' | b'?' => {
                return Err(format!(
                    "unsupported `{}` at offset {}",
                    char::from(c),
                    *pos
                ))
            }
            b => Node::Byte(b),
        };
        *pos += 1;
        let node = match p.get(*pos) {
            Some(b'*') => Node::Repeat(Box::new(node), 0, usize::MAX),
            Some(b'+') => Node::Repeat(Box::new(node), 1, usize::MAX),
            Some(b'?') => Node::Repeat(Box::new(node), 0, 1),
            _ => {
                if let Some(last) = alternatives.last_mut() {
                    last.push(node);
                }
                continue;
            }
        };
        *pos += 1;
        if let Some(last) = alternatives.last_mut() {
            last.push(node);
        }
    }
    Ok(alternatives)
}

fn match_seq(seq: &[Node], s: &[u8], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((first, rest)) = seq.split_first() else {
        return k(i);
    };
    match first {
        Node::Repeat(node, min, max) => match_repeat(node, *min, *max, rest, s, i, k),
        node => match_one(node, s, i, &mut |j| match_seq(rest, s, j, k)),
    }
}

fn match_repeat(
    node: &Node,
    min: usize,
    max: usize,
    rest: &[Node],
    s: &[u8],
    i: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    let more = max > 0
        && match_one(node, s, i, &mut |j| {
            j > i && match_repeat(node, min.saturating_sub(1), max - 1, rest, s, j, k)
        });
    more || (min == 0 && match_seq(rest, s, i, k))
}

fn match_one(node: &Node, s: &[u8], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let byte = |f: &dyn Fn(u8) -> bool| s.get(i).is_some_and(|b| f(*b));
    match node {
        Node::Byte(c) => byte(&|b| b == *c) && k(i + 1),
        Node::Any => byte(&|b| b != b'\n') && k(i + 1),
        Node::Digit => byte(&|b| b.is_ascii_digit()) && k(i + 1),
        Node::Word => byte(&|b| b.is_ascii_alphanumeric() || b == b'_') && k(i + 1),
        Node::Start => i == 0 && k(i),
        Node::End => i == s.len() && k(i),
        Node::Group(alternatives) => alternatives.iter().any(|alt| match_seq(alt, s, i, k)),
        Node::Repeat(..) => match_seq(std::slice::from_ref(node), s, i, k),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two partitions, for the tests here and the client's.
    pub(crate) const PARTITIONS: &[Partition<'static>] = &[
        Partition {
            id: "aws",
            region_regex: "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
            regions: &["us-east-1", "aws-global"],
            outputs: PartitionOutputs {
                name: "aws",
                dns_suffix: "amazonaws.com",
                dual_stack_dns_suffix: "api.aws",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "us-east-1",
            },
        },
        Partition {
            id: "aws-cn",
            region_regex: "^cn\\-\\w+\\-\\d+$",
            regions: &["cn-north-1"],
            outputs: PartitionOutputs {
                name: "aws-cn",
                dns_suffix: "amazonaws.com.cn",
                dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "cn-northwest-1",
            },
        },
    ];

    #[test]
    fn partitions_by_name_then_pattern_then_aws() {
        let name = |r: &str| partition_of(PARTITIONS, r).map(|p| p.id);
        assert_eq!(name("us-east-1"), Some("aws"));
        assert_eq!(name("cn-northwest-9"), Some("aws-cn"));
        assert_eq!(name("eu-central-7"), Some("aws"));
        assert_eq!(
            name("mars-east-1"),
            Some("aws"),
            "unknown regions fall back to aws"
        );
        assert_eq!(name(&"x".repeat(10_000)), Some("aws"));
    }

    #[test]
    fn regex_subset() {
        let re = Regex::new("^(us|eu)\\-\\w+\\-\\d+$").unwrap();
        assert!(re.is_match("us-west-2"));
        assert!(re.is_match("eu-central-12"));
        assert!(!re.is_match("us-west-"));
        assert!(!re.is_match("xus-west-2"));
        assert!(!re.is_match("us-west-2x"));
        let unanchored = Regex::new("a(b|c)?d").unwrap();
        assert!(unanchored.is_match("xxadyy"));
        assert!(unanchored.is_match("acd"));
        assert!(!unanchored.is_match("aed"));
        for bad in ["a[bc]", "(ab", "ab)", "a{2}", "\\q", "+a"] {
            assert!(Regex::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn substring_counts_from_either_end() {
        assert_eq!(substring("abcdefg", 0, 3, false), Some("abc"));
        assert_eq!(substring("abcdefg", 0, 3, true), Some("efg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("ab", 0, 3, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("aé-x", 0, 1, false), None, "non-ASCII input");
        assert_eq!(substring("abc", -1, 2, false), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved() {
        assert_eq!(uri_encode("a b/c~d_e.f-g"), "a%20b%2Fc~d_e.f-g");
        assert_eq!(uri_encode("é"), "%C3%A9");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("a b", false));
    }

    #[test]
    fn s3_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("abc.def", true));
        assert!(!is_virtual_hostable_s3_bucket("abc.-def", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
    }

    #[test]
    fn urls() {
        let u = parse_url("https://example.com").unwrap();
        assert_eq!(
            (u.scheme, u.authority, u.path),
            ("https", "example.com", "")
        );
        assert_eq!(u.normalized_path, "/");
        assert!(!u.is_ip);
        let u = parse_url("http://127.0.0.1:8080/a/b").unwrap();
        assert_eq!((u.authority, u.path), ("127.0.0.1:8080", "/a/b"));
        assert_eq!(u.normalized_path, "/a/b/");
        assert!(u.is_ip);
        assert!(parse_url("https://[::1]:443/").unwrap().is_ip);
        for bad in [
            "example.com",
            "ftp://x",
            "https://x?y=1",
            "https://",
            "https://a b",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn arns() {
        let a = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my:x").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region),
            ("aws", "s3", "us-west-2")
        );
        assert_eq!(a.account_id, "123456789012");
        assert_eq!(a.resource_id, ["accesspoint", "my", "x"]);
        assert!(parse_arn("arn:aws:s3:::bucket").is_some());
        assert_eq!(parse_arn("arn:aws:s3:us-west-2:123"), None);
        assert_eq!(parse_arn("arn::s3:r:a:res"), None);
        assert_eq!(parse_arn("nope:aws:s3:r:a:res"), None);
    }

    static RULES: RuleSet<'static> = RuleSet {
        params: &[
            Param {
                name: "Region",
                kind: ParamKind::String,
                required: false,
                default: None,
                builtin: Some("AWS::Region"),
            },
            Param {
                name: "UseFIPS",
                kind: ParamKind::Boolean,
                required: true,
                default: Some(Literal::Bool(false)),
                builtin: Some("AWS::UseFIPS"),
            },
        ],
        slots: 3,
        rules: &[Rule::Tree {
            conditions: &[Condition {
                expr: Expr::Call(Function::IsSet, &[Expr::Ref(0)]),
                assign: None,
            }],
            rules: &[
                Rule::Error {
                    conditions: &[Condition {
                        expr: Expr::Call(
                            Function::Not,
                            &[Expr::Call(
                                Function::IsValidHostLabel,
                                &[Expr::Ref(0), Expr::Bool(false)],
                            )],
                        ),
                        assign: None,
                    }],
                    message: Expr::Str(&[Piece::Text("bad region "), Piece::Var(0)]),
                },
                Rule::Endpoint {
                    conditions: &[
                        Condition {
                            expr: Expr::Call(Function::Partition, &[Expr::Ref(0)]),
                            assign: Some(2),
                        },
                        Condition {
                            expr: Expr::Call(
                                Function::BooleanEquals,
                                &[Expr::Ref(1), Expr::Bool(true)],
                            ),
                            assign: None,
                        },
                    ],
                    endpoint: EndpointTemplate {
                        url: Expr::Str(&[
                            Piece::Text("https://svc-fips."),
                            Piece::Var(0),
                            Piece::Text("."),
                            Piece::Attr(2, &[PathPart::Key("dnsSuffix")]),
                        ]),
                        properties: &[(
                            "authSchemes",
                            Expr::Array(&[Expr::Object(&[
                                ("name", Expr::Str(&[Piece::Text("sigv4")])),
                                ("signingRegion", Expr::Str(&[Piece::Var(0)])),
                            ])]),
                        )],
                        headers: &[("x-fips", &[Expr::Str(&[Piece::Text("1")])])],
                    },
                },
                Rule::Endpoint {
                    conditions: &[Condition {
                        expr: Expr::Call(Function::Partition, &[Expr::Ref(0)]),
                        assign: Some(2),
                    }],
                    endpoint: EndpointTemplate {
                        url: Expr::Str(&[
                            Piece::Text("https://svc."),
                            Piece::Var(0),
                            Piece::Text("."),
                            Piece::Attr(2, &[PathPart::Key("dnsSuffix")]),
                        ]),
                        properties: &[],
                        headers: &[],
                    },
                },
            ],
        }],
    };

    #[test]
    fn evaluates_rules_in_order_with_defaults_and_assignments() {
        let e = resolve(
            &RULES,
            vec![Value::str("cn-north-1"), Value::None],
            PARTITIONS,
        )
        .unwrap();
        assert_eq!(e.url, "https://svc.cn-north-1.amazonaws.com.cn");
        let e = resolve(
            &RULES,
            vec![Value::str("us-east-1"), Value::Bool(true)],
            PARTITIONS,
        )
        .unwrap();
        assert_eq!(e.url, "https://svc-fips.us-east-1.amazonaws.com");
        assert_eq!(e.headers, [("x-fips".to_owned(), vec!["1".to_owned()])]);
        let scheme = e.auth_schemes().next().unwrap();
        assert_eq!(
            scheme.get("signingRegion"),
            Some(&Document::String("us-east-1".into()))
        );
        let err = resolve(&RULES, vec![Value::str("a b"), Value::None], PARTITIONS).unwrap_err();
        assert_eq!(err.to_string(), "bad region a b");
        let err = resolve(&RULES, vec![Value::None, Value::None], PARTITIONS).unwrap_err();
        assert_eq!(err.message(), "no endpoint rule matched the parameters");
    }
}
