//! Stage 2: the lowered intermediate representation. Rust names and wire
//! names side by side; nullability, boxing, redaction and defaults decided.
//! Nothing here refers to Smithy types; the emitter reads only this.

/// Which awsJson protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`
    AwsJson1_1,
}

/// Wire format of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch, as a JSON number.
    EpochSeconds,
    /// RFC 3339 string.
    DateTime,
    /// IMF-fixdate string.
    HttpDate,
}

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// A structure.
    Struct,
    /// A string enum.
    Enum,
    /// An intEnum.
    IntEnum,
    /// A union.
    Union,
}

/// A value type.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// UTF-8 string.
    String,
    /// bool
    Boolean,
    /// i8
    Byte,
    /// i16
    Short,
    /// i32
    Integer,
    /// i64
    Long,
    /// f32
    Float,
    /// f64
    Double,
    /// Arbitrary-precision integer.
    BigInteger,
    /// Arbitrary-precision decimal.
    BigDecimal,
    /// Bytes, base64 on the wire.
    Blob,
    /// A point in time.
    Timestamp(TimestampFormat),
    /// Untyped JSON-like value.
    Document,
    /// A generated type, by Rust name.
    Named(String, NamedKind),
    /// A list or set; `sparse` lists hold `Option`s.
    List {
        /// Element type.
        member: Box<Type>,
        /// Whether elements may be null.
        sparse: bool,
    },
    /// A map with string (or string-enum) keys.
    Map {
        /// Key type.
        key: Box<Type>,
        /// Value type.
        value: Box<Type>,
        /// Whether values may be null.
        sparse: bool,
    },
}

/// A constant value (from `@default`).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Boolean.
    Bool(bool),
    /// Any integer type.
    Int(i64),
    /// Any float type.
    Float(f64),
    /// A `bigInteger` or `bigDecimal`, as its JSON number literal.
    BigNumber(String),
    /// String.
    Str(String),
    /// Blob bytes.
    Blob(Vec<u8>),
    /// Timestamp as seconds since the epoch.
    Timestamp(f64),
    /// Empty list.
    EmptyList,
    /// Empty map.
    EmptyMap,
    /// A document value.
    Document(serde_json::Value),
    /// A string-enum value.
    EnumValue(String),
    /// An intEnum value.
    IntEnumValue(i64),
}

/// A structure member.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name (may be a raw identifier like `r#type`).
    pub name: String,
    /// Value type.
    pub ty: Type,
    /// Whether the field is `Option<_>`.
    pub optional: bool,
    /// Whether the model marks it `@required` (checked before sending).
    pub required: bool,
    /// Default value, when the model gives a non-null one.
    pub default: Option<Literal>,
    /// Whether the value is boxed (recursion).
    pub boxed: bool,
    /// Whether `Debug` redacts the value.
    pub redact: bool,
    /// Whether it is an idempotency token.
    pub idempotency_token: bool,
    /// Markdown paragraphs of documentation.
    pub docs: Vec<String>,
}

/// Error metadata of an error structure.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    /// Error code on the wire (the shape name).
    pub code: String,
    /// Whether the fault is the client's.
    pub client_fault: bool,
    /// HTTP status the service sends.
    pub http_status: u16,
    /// Rust name of the field holding the message, if any.
    pub message_field: Option<String>,
    /// The `@awsQueryError` code, if the error has one (sent by servers of
    /// `@awsQueryCompatible` services in `x-amzn-query-error`).
    pub query_code: Option<String>,
}

/// A generated structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Rust type name.
    pub name: String,
    /// Absolute shape id.
    pub shape_id: String,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// Members in model order.
    pub fields: Vec<Field>,
    /// Set for `@error` structures.
    pub error: Option<ErrorInfo>,
    /// Whether the whole structure is `@sensitive`.
    pub sensitive: bool,
    /// Whether error correction needs a zero value of this type.
    pub needs_zero: bool,
}

/// A string or int enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Wire value (string enums).
    pub value: String,
    /// Wire value (intEnums).
    pub int_value: i64,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
}

/// A generated open enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Rust type name.
    pub name: String,
    /// Absolute shape id.
    pub shape_id: String,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// Known variants.
    pub variants: Vec<Variant>,
    /// Whether it is an intEnum.
    pub int: bool,
    /// Whether values are redacted in `Debug`.
    pub sensitive: bool,
}

/// A union member.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust variant name.
    pub name: String,
    /// Value type; `None` for a `smithy.api#Unit` member.
    pub ty: Option<Type>,
    /// Whether the value is boxed.
    pub boxed: bool,
    /// Whether `Debug` redacts the value.
    pub redact: bool,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
}

/// A generated union.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Rust type name.
    pub name: String,
    /// Absolute shape id.
    pub shape_id: String,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// Members.
    pub variants: Vec<UnionVariant>,
    /// Whether the whole union is `@sensitive`.
    pub sensitive: bool,
}

/// Any generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// Structure.
    Struct(Struct),
    /// Enum or intEnum.
    Enum(Enum),
    /// Union.
    Union(Union),
}

impl TypeDef {
    /// Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
        }
    }
}

/// A modeled error of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    /// Error code on the wire.
    pub code: String,
    /// Variant name in the operation error enum.
    pub variant: String,
    /// Rust name of the error structure.
    pub type_name: String,
}

/// An operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Name on the wire (`X-Amz-Target` suffix).
    pub wire_name: String,
    /// Rust name of the operation type.
    pub name: String,
    /// Rust name of the operation's error enum.
    pub error_name: String,
    /// Input structure (None: `smithy.api#Unit`).
    pub input: Option<String>,
    /// Output structure (None: `smithy.api#Unit`).
    pub output: Option<String>,
    /// Modeled errors (operation errors, then service errors).
    pub errors: Vec<ErrorCase>,
    /// The `@endpoint` host prefix, in parts; empty without one.
    pub host_prefix: Vec<HostPrefixPart>,
    /// Whether large request bodies are gzip-compressed
    /// (`@requestCompression` listing `gzip`).
    pub gzip_request: bool,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
}

/// A piece of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    /// Text sent as is.
    Literal(String),
    /// The value of the input member with this wire name (`@hostLabel`).
    Label(String),
}

/// A service module.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Rust module name.
    pub module: String,
    /// Absolute service shape id.
    pub shape_id: String,
    /// `X-Amz-Target` prefix: the service shape name.
    pub target_prefix: String,
    /// Protocol.
    pub protocol: Protocol,
    /// Whether the service is `@awsQueryCompatible` (requests then carry
    /// `x-amzn-query-mode: true`).
    pub query_compatible: bool,
    /// API version.
    pub version: String,
    /// Human title, if any.
    pub title: Option<String>,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Types, sorted by name.
    pub types: Vec<TypeDef>,
}
