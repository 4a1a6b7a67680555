//! Stage 2: the lowered intermediate representation, the only input of
//! every emitter. An arena per service: types and operations live in
//! vectors and refer to each other by typed ids ([`TypeId`],
//! [`OperationId`]); a type reference also carries the Rust name it was
//! given, so printing needs no lookup. Every name of generated code (types,
//! fields, setters, getters, constructors, variants, error enums) and every
//! protocol fact (content type, target, `__type` form, signing name) is
//! decided by lowering and stored here; emitters only spell them out.
//! Nothing here refers to Smithy AST types.

/// Which awsJson protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`
    AwsJson1_1,
    /// `aws.protocols#awsQuery`: form-encoded requests, XML responses.
    AwsQuery,
    /// `aws.protocols#ec2Query`: awsQuery's EC2 variant.
    Ec2Query,
    /// `aws.protocols#restJson1`: HTTP bindings, JSON bodies.
    RestJson1,
    /// `aws.protocols#restXml`: HTTP bindings, XML bodies.
    RestXml,
    /// `smithy.protocols#rpcv2Cbor`: `POST /service/S/operation/O`, CBOR
    /// bodies.
    RpcV2Cbor,
}

impl Protocol {
    /// The short name, e.g. `awsJson1_1`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::AwsQuery => "awsQuery",
            Protocol::Ec2Query => "ec2Query",
            Protocol::RestJson1 => "restJson1",
            Protocol::RestXml => "restXml",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
        }
    }

    /// Whether requests and responses are awsJson (which the server side
    /// speaks).
    pub fn is_aws_json(self) -> bool {
        matches!(self, Protocol::AwsJson1_0 | Protocol::AwsJson1_1)
    }

    /// Whether it is awsQuery or ec2Query (form requests, XML responses).
    pub fn is_query(self) -> bool {
        matches!(self, Protocol::AwsQuery | Protocol::Ec2Query)
    }

    /// Whether operations carry `@http` bindings (restJson1, restXml).
    pub fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml)
    }

    /// Whether bodies are XML (the query protocols' responses, restXml).
    pub fn is_xml(self) -> bool {
        matches!(
            self,
            Protocol::AwsQuery | Protocol::Ec2Query | Protocol::RestXml
        )
    }

    /// The Smithy trait that declares it, e.g. `aws.protocols#awsJson1_1`.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Protocol::AwsQuery => "aws.protocols#awsQuery",
            Protocol::Ec2Query => "aws.protocols#ec2Query",
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::RestXml => "aws.protocols#restXml",
            Protocol::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
        }
    }

    /// Every protocol the generator speaks, in the order lowering prefers
    /// them when a service declares several: the AWS SDKs' order, RPC v2
    /// CBOR first (CloudWatch lists it before awsJson1_0 and awsQuery), then
    /// the JSON protocols, then XML and query.
    pub const ALL: [Protocol; 7] = [
        Protocol::RpcV2Cbor,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
        Protocol::RestJson1,
        Protocol::RestXml,
        Protocol::AwsQuery,
        Protocol::Ec2Query,
    ];
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

/// The index of a type in [`Service::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The index of an operation in [`Service::operations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// A reference to a generated type: its id, and the Rust name and kind it
/// has, copied here so printing a type needs no lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRef {
    /// Where the definition is.
    pub id: TypeId,
    /// Its Rust type name.
    pub name: String,
    /// What it is.
    pub kind: NamedKind,
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
    /// A generated type.
    Named(TypeRef),
    /// A list or set; `sparse` lists hold `Option`s.
    List {
        /// Element type.
        member: Box<Type>,
        /// Whether elements may be null.
        sparse: bool,
        /// The element name in XML and query forms (`@xmlName` of the
        /// list's member, else `member`).
        member_name: String,
        /// `@xmlNamespace` of the list's member `(prefix, uri)` (restXml).
        member_namespace: Option<(String, String)>,
    },
    /// A `@streaming` blob in an operation's output (REST payloads): the
    /// runtime's `ByteStream`, read as the response arrives. Streaming
    /// blobs of inputs stay [`Type::Blob`] (uploads are buffered).
    ByteStream,
    /// An output event stream (`@streaming` union): the generated union
    /// of its events, delivered by the runtime's `EventStream`.
    EventStream(TypeRef),
    /// An input event stream (`@streaming` union of an operation's
    /// input): the events the client sends, from the runtime's
    /// `EventSender`.
    EventSender(TypeRef),
    /// A map with string (or string-enum) keys.
    Map {
        /// Key type.
        key: Box<Type>,
        /// Value type.
        value: Box<Type>,
        /// Whether values may be null.
        sparse: bool,
        /// The key and value element names in XML and query forms
        /// (`@xmlName` of the map's key and value, else `key`, `value`).
        key_name: String,
        /// See `key_name`.
        value_name: String,
        /// `@xmlNamespace` of the map's key and value (restXml).
        key_namespace: Option<(String, String)>,
        /// See `key_namespace`.
        value_namespace: Option<(String, String)>,
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
    /// The field name as plain text (no `r#`), for docs and `Debug`.
    pub label: String,
    /// Name of the `with_*` setter.
    pub setter: String,
    /// Name of the convenience getter (lists and maps that may be absent
    /// read as empty), when the member has one.
    pub getter: Option<String>,
    /// Name of the setter adding one element (a list member:
    /// `with_<name>_item`) or one entry (a map member: `with_<name>_entry`)
    /// of a structure reachable from an operation input.
    pub entry_setter: Option<String>,
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
    /// The element and query-key name in XML and query forms (`@xmlName`,
    /// else the member name).
    pub xml_name: String,
    /// Whether a list or map member is `@xmlFlattened`: its items stand in
    /// the parent directly, without a wrapper.
    pub flattened: bool,
    /// The member's key in a query request: `xml_name` under awsQuery;
    /// under ec2Query `@ec2QueryName`, else `xml_name` capitalized.
    pub query_name: String,
    /// The member's key in a JSON body: `@jsonName` under restJson1, else
    /// the member name.
    pub json_name: String,
    /// `@xmlAttribute`: written as an attribute of its structure's element.
    pub xml_attribute: bool,
    /// `@xmlNamespace` of the member: `(prefix, uri)`, the prefix empty for
    /// a default namespace.
    pub xml_namespace: Option<(String, String)>,
    /// Where a member of an operation's input, output or error goes in the
    /// HTTP message (REST protocols; always `Body` otherwise).
    pub location: Location,
    /// `@length`, `@range`, `@pattern`, as sentences (`Length: 1 to 64.`).
    pub constraints: Vec<String>,
    /// Markdown paragraphs of documentation.
    pub docs: Vec<String>,
    /// Prefixes a label value loses before it is sent (customisation:
    /// Route 53's `/hostedzone/`, `/change/`, `/delegationset/`).
    pub trim_prefixes: Vec<String>,
    /// The value a label takes when it is sent empty (customisation:
    /// Glacier's account id `-`).
    pub label_default: Option<String>,
    /// A header whose value does not parse reads as absent instead of
    /// failing the response (customisation: S3's `Expires`).
    pub lenient: bool,
}

/// Where a structure member goes in an HTTP message (`@httpLabel`,
/// `@httpQuery`, ...). Labels and query parameters apply to requests only;
/// in a response they read as body members.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A member of the JSON body.
    Body,
    /// `@httpLabel`: fills `{name}` in the URI; timestamps in `format`.
    Label {
        /// Timestamp format (member's, else `date-time`).
        format: TimestampFormat,
    },
    /// `@httpQuery`: a query parameter (list members repeat it).
    Query {
        /// The parameter name.
        name: String,
        /// Timestamp format (member's, else `date-time`).
        format: TimestampFormat,
    },
    /// `@httpQueryParams`: a map of further query parameters.
    QueryParams,
    /// `@httpHeader`: a header (list members comma-separated).
    Header {
        /// The header name.
        name: String,
        /// Timestamp format (member's, else `http-date`).
        format: TimestampFormat,
        /// A `@mediaType` string, base64-encoded in the header.
        base64: bool,
    },
    /// `@httpPrefixHeaders`: a map of headers sharing a name prefix.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload {
        /// The body's `Content-Type`.
        content_type: String,
        /// restXml: the root element of a structure or union payload (the
        /// member's `@xmlName`, else the target's `@xmlName` or shape name).
        xml_name: String,
    },
    /// `@httpResponseCode`: the response's status code.
    ResponseCode,
    /// `@eventHeader`: a header of an event-stream message.
    EventHeader,
    /// `@eventPayload`: the payload of an event-stream message.
    EventPayload,
}

/// An operation's `@http` trait, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRoute {
    /// The method, e.g. `PUT`.
    pub method: String,
    /// The URI pattern as the model writes it, for docs.
    pub pattern: String,
    /// The path, literal text and labels.
    pub path: Vec<PathPart>,
    /// The pattern's literal query parameters (`?key=value`, `?key`).
    pub query: Vec<(String, Option<String>)>,
    /// The success status code.
    pub code: u16,
}

/// A piece of a URI pattern's path.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Text sent as written.
    Literal(String),
    /// A label: the input field (index) it takes its value from.
    Label {
        /// The input field.
        field: usize,
        /// `{name+}`: keeps `/` in the value.
        greedy: bool,
    },
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
    /// Index (in [`Struct::fields`]) of the field holding the message.
    pub message_field: Option<usize>,
    /// Whether the error is `@retryable`.
    pub retryable: bool,
    /// Whether it is a throttling error (`@retryable(throttling: true)`).
    pub throttling: bool,
    /// The `@awsQueryError` code, if the error has one (sent by servers of
    /// `@awsQueryCompatible` services in `x-amzn-query-error`).
    pub query_code: Option<String>,
    /// Whether the error keeps the awsQuery code and fault of the response
    /// it was read from (awsQuery, ec2Query, and `x-amzn-query-error` of
    /// `@awsQueryCompatible` services).
    pub keeps_query_error: bool,
}

/// How a structure is constructed.
#[derive(Debug, Clone, PartialEq)]
pub enum Constructor {
    /// `new()` takes nothing: every member is optional or defaulted.
    NoArgs,
    /// `new(a, b)`: the required members, in member order, each of a
    /// different Rust type, so they cannot be swapped by mistake.
    Positional(Vec<usize>),
    /// `new(required::Name { a, b })`: two or more required members take
    /// the same kind of value (strings and string enums count as one, as do
    /// integers, and floats), or there are more than seven, so they are
    /// passed by name in a struct of this Rust name (in the service's
    /// `required` module).
    Named(String),
}

/// A generated structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Rust type name.
    pub name: String,
    /// Absolute shape id.
    pub shape_id: String,
    /// The shape's name in the model.
    pub shape_name: String,
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
    /// How `new` takes the required members.
    pub constructor: Constructor,
    /// Whether a server checks, after parsing, that required members
    /// (here or further down) are present.
    pub check_required: bool,
    /// Which builds compile each direction of its JSON codec.
    pub json_codec: JsonCodecNeeds,
    /// Whether a client refuses a response lacking one of its required
    /// members instead of filling in the zero value: the initial response
    /// of an output event stream (the Smithy event-stream cases
    /// `MissingRequiredInitialResponseOutput` ask for it; a stream opened
    /// on a response that says too little fails before any event).
    pub refuse_missing: bool,
    /// The element name of the structure as an XML document's root
    /// (`@xmlName`, else the shape name).
    pub xml_name: String,
    /// `@xmlNamespace` of the structure: `(prefix, uri)`.
    pub xml_namespace: Option<(String, String)>,
    /// restXml: the output of an `@s3UnwrappedXmlOutput` operation, whose
    /// one body member is the document's root element itself.
    pub xml_unwrapped: bool,
}

impl Struct {
    /// Whether a member is a live stream (a streamed body or an event
    /// stream): such a structure cannot be cloned.
    pub fn holds_stream(&self) -> bool {
        self.fields.iter().any(|f| {
            matches!(
                f.ty,
                Type::ByteStream | Type::EventStream(_) | Type::EventSender(_)
            )
        })
    }

    /// The arguments of `new`, in order (empty for [`Constructor::NoArgs`]).
    pub fn constructor_fields(&self) -> Vec<&Field> {
        match &self.constructor {
            Constructor::NoArgs => Vec::new(),
            Constructor::Positional(list) => list.iter().map(|i| &self.fields[*i]).collect(),
            Constructor::Named(_) => self
                .fields
                .iter()
                .filter(|f| f.is_constructor_arg())
                .collect(),
        }
    }
}

impl Field {
    /// Whether `new` takes this member: required, with no default.
    pub fn is_constructor_arg(&self) -> bool {
        !self.optional && self.default.is_none()
    }
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
    /// The shape's name in the model.
    pub shape_name: String,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// Known variants.
    pub variants: Vec<Variant>,
    /// Whether it is an intEnum.
    pub int: bool,
    /// Whether values are redacted in `Debug`.
    pub sensitive: bool,
    /// Which builds compile each direction of its JSON codec.
    pub json_codec: JsonCodecNeeds,
}

/// A union member.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Name on the wire.
    pub wire_name: String,
    /// The member's key in a JSON body: `@jsonName` under restJson1, else
    /// the member name.
    pub json_name: String,
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
    /// The shape's name in the model.
    pub shape_name: String,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// Members.
    pub variants: Vec<UnionVariant>,
    /// Whether the whole union is `@sensitive`.
    pub sensitive: bool,
    /// Whether a server checks required members inside its variants.
    pub check_required: bool,
    /// Which builds compile each direction of its JSON codec.
    pub json_codec: JsonCodecNeeds,
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

    /// The structure, if it is one.
    pub fn as_struct(&self) -> Option<&Struct> {
        match self {
            TypeDef::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Which builds compile each direction of its JSON codec.
    pub fn json_codec(&self) -> JsonCodecNeeds {
        match self {
            TypeDef::Struct(s) => s.json_codec,
            TypeDef::Union(u) => u.json_codec,
            TypeDef::Enum(e) => e.json_codec,
        }
    }

    /// Whether a server checks required members inside it.
    pub fn check_required(&self) -> bool {
        match self {
            TypeDef::Struct(s) => s.check_required,
            TypeDef::Union(u) => u.check_required,
            TypeDef::Enum(_) => false,
        }
    }
}

/// Which builds compile one direction (writing or reading) of a type's
/// JSON codec. A client compiles what it sends or receives in JSON bodies
/// and event payloads; the rest of the codec serves the server side or the
/// `json` feature (the `Json` form of every type; `serde` turns it on, its
/// impls go through the codec) and is left out of other builds, which keeps
/// a whole-service crate smaller to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodecNeed {
    /// Every build.
    Always,
    /// With the `server` or the `json` feature.
    ServerOrJson,
    /// With the `json` feature only.
    JsonFeature,
}

/// [`CodecNeed`] of both directions of a type's JSON codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonCodecNeeds {
    /// `JsonSerialize`.
    pub write: CodecNeed,
    /// `JsonDeserialize`.
    pub read: CodecNeed,
}

impl JsonCodecNeeds {
    /// Both directions in every build (what lowering starts from).
    pub const ALWAYS: Self = Self {
        write: CodecNeed::Always,
        read: CodecNeed::Always,
    };
}

/// A modeled error of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    /// Error code on the wire.
    pub code: String,
    /// Variant name in the operation error enum.
    pub variant: String,
    /// The error structure.
    pub ty: TypeRef,
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
    /// Name of the operation's method on the service client.
    pub client_method: String,
    /// The `X-Amz-Target` header value: `Service.Operation`.
    pub target: String,
    /// Input structure (None: `smithy.api#Unit`).
    pub input: Option<TypeRef>,
    /// Output structure (None: `smithy.api#Unit`).
    pub output: Option<TypeRef>,
    /// Modeled errors (operation errors, then service errors).
    pub errors: Vec<ErrorCase>,
    /// The `@endpoint` host prefix, in parts; empty without one.
    pub host_prefix: Vec<HostPrefixPart>,
    /// Whether large request bodies are gzip-compressed
    /// (`@requestCompression` listing `gzip`).
    pub gzip_request: bool,
    /// Whether the generated server side answers it: not when its output
    /// holds a stream (a server here writes whole JSON bodies).
    pub served: bool,
    /// Whether the output's members beside its event stream arrive in the
    /// stream's first, `initial-response` event (awsJson), which the
    /// clients read before handing the output over.
    pub initial_response: bool,
    /// The request checksum `@httpChecksum` / `@httpChecksumRequired` ask
    /// for, if any.
    pub request_checksum: Option<RequestChecksum>,
    /// The `@http` binding (REST protocols only).
    pub http: Option<HttpRoute>,
    /// Endpoint parameters this operation sets (`@contextParam`,
    /// `@staticContextParams`).
    pub endpoint_context: Vec<EndpointContext>,
    /// The paginator, when the operation is `@paginated`.
    pub paginator: Option<Paginator>,
    /// The waiters (`smithy.waiters#waitable`), by name.
    pub waiters: Vec<Waiter>,
    /// Documentation paragraphs.
    pub docs: Vec<String>,
    /// What customisations add to it.
    pub custom: OperationCustomizations,
    /// `aws.api#clientDiscoveredEndpoint`: the operation goes to an
    /// endpoint the service's discovery operation names.
    pub discovered_endpoint: Option<DiscoveredEndpoint>,
}

/// An operation whose endpoint is discovered (`aws.api#clientDiscoveredEndpoint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscoveredEndpoint {
    /// Whether discovery is required (Timestream), or only used when the
    /// configuration turns it on (DynamoDB).
    pub required: bool,
}

/// A service's endpoint discovery (`aws.api#clientEndpointDiscovery`):
/// the operation that names endpoints and how to read its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointDiscovery {
    /// The Rust name of the discovery operation (`DescribeEndpoints`).
    pub operation: String,
    /// Its input type, if it has one.
    pub input: Option<TypeRef>,
    /// The output's list of endpoints: `(field name, optional)`.
    pub endpoints: (String, bool),
    /// An endpoint's address field.
    pub address: (String, bool),
    /// An endpoint's cache period (minutes) field, optional, and whether
    /// it is a `long` (else an `integer`).
    pub cache_minutes: (String, bool, bool),
    /// The code of the error that says a discovered endpoint is no longer
    /// valid (`InvalidEndpointException`).
    pub error_code: Option<String>,
}

/// What customisations (behaviours the AWS SDKs add to particular services
/// by hand; `lower/customizations.rs`) add to an operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationCustomizations {
    /// Headers every request carries (API Gateway's `Accept`, Glacier's
    /// version).
    pub headers: Vec<(String, String)>,
    /// Error codes by HTTP status, for error responses whose body and
    /// headers name none (S3's bodiless `HEAD` errors: 404 is `NotFound`).
    pub status_codes: Vec<(u16, String)>,
    /// A successful status whose body is an `<Error>` document is an error,
    /// retried like a 500 (S3 `CopyObject`, `CompleteMultipartUpload`,
    /// `UploadPartCopy`).
    pub error_on_success: bool,
    /// The body's SHA-256 and SHA-256 tree hash go in
    /// `x-amz-content-sha256` and `x-amz-sha256-tree-hash` (Glacier uploads;
    /// with the `client` feature).
    pub tree_hash: bool,
    /// The input field whose URL, when set, the request goes to instead of
    /// the resolved endpoint (Machine Learning `Predict`'s
    /// `PredictEndpoint`).
    pub endpoint_member: Option<usize>,
    /// The header whose CRC-32 a response body is checked against
    /// (DynamoDB's `x-amz-crc32`).
    pub response_crc32: Option<String>,
    /// A streamed body (a file or a reader) is sent `aws-chunked` (S3).
    pub aws_chunked: bool,
    /// One sentence per customisation applied, naming the SDK behaviour it
    /// mirrors (for the docs).
    pub notes: Vec<String>,
}

/// A piece of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    /// Text sent as is.
    Literal(String),
    /// The value of an input member (`@hostLabel`).
    Label {
        /// The member's wire name.
        wire_name: String,
        /// Its index in the input structure's fields.
        field: usize,
    },
}

/// How an error response names its error in `__type` (server side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorTypeForm {
    /// The absolute shape id (`namespace#Name`), as awsJson1_0 services send.
    ShapeId,
    /// The shape name alone, as awsJson1_1 services send.
    ShapeName,
}

/// The emitter (and runtime module) serving a protocol: the protocols of one
/// family share their code and differ only in the facts of their
/// [`ProtocolInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolFamily {
    /// awsJson1_0 and awsJson1_1: `POST /` with `X-Amz-Target`, JSON bodies.
    AwsJson,
    /// awsQuery and ec2Query: form-encoded requests, XML responses.
    Query,
    /// restJson1: HTTP bindings, JSON bodies.
    RestJson,
    /// restXml: HTTP bindings, XML bodies.
    RestXml,
    /// rpcv2Cbor: `POST /service/S/operation/O`, CBOR bodies.
    RpcV2,
}

/// The format of a service's response bodies, event payloads and REST
/// request bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// JSON.
    Json,
    /// XML.
    Xml,
    /// CBOR.
    Cbor,
}

/// The awsJson version a service speaks (the server side's too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    /// `application/x-amz-json-1.0`.
    V1_0,
    /// `application/x-amz-json-1.1` (and the default of other protocols).
    V1_1,
}

/// The runtime modules a service's code calls, beyond those every crate
/// compiles; a crate keeps a module when one of its services needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuntimeNeeds {
    /// The XML reader and writer and the query form writer.
    pub xml: bool,
    /// The HTTP-binding helpers of the REST protocols.
    pub rest: bool,
    /// CBOR and the RPC v2 request and error helpers.
    pub cbor: bool,
    /// Event-stream framing.
    pub event_stream: bool,
    /// HTTP/2 in the async transport: an operation sends events while
    /// the response streams back.
    pub http2: bool,
}

/// What a protocol fixes for every request and response of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolInfo {
    /// The protocol.
    pub protocol: Protocol,
    /// The emitter serving it.
    pub family: ProtocolFamily,
    /// The format of its bodies.
    pub body_format: BodyFormat,
    /// The awsJson version (`V1_1` for other protocols).
    pub json_version: JsonVersion,
    /// Whether the server side is generated (it speaks awsJson only).
    pub server: bool,
    /// The `Content-Type` of requests and responses.
    pub content_type: String,
    /// How servers write `__type`.
    pub error_type_form: ErrorTypeForm,
    /// Query protocols: whether every list is written `Name.N` (ec2Query),
    /// not `Name.member.N` unless `@xmlFlattened` (awsQuery).
    pub flat_query_lists: bool,
    /// Query protocols: whether an empty list is written as `Name=`
    /// (awsQuery) or left out (ec2Query).
    pub empty_query_lists: bool,
    /// Query protocols: whether a response's members are under
    /// `<OpResult>` (awsQuery) or straight under the root (ec2Query).
    pub result_wrapper: bool,
    /// restXml: whether error bodies are `<Error>` alone
    /// (`noErrorWrapping`) rather than inside `<ErrorResponse>`.
    pub no_error_wrapping: bool,
    /// restXml: the service's `@xmlNamespace` `(prefix, uri)`, written on
    /// every request document's root.
    pub xml_namespace: Option<(String, String)>,
    /// Whether an error response that names no error takes its status as
    /// its code (`"403"`) and its reason phrase as the message, as botocore
    /// reads bodiless restXml errors.
    pub status_code_errors: bool,
}

/// How requests are signed (`aws.auth#sigv4`) and where the service lives
/// (`aws.api#service`). Each falls back to the other, then to the service
/// shape name in lower case, for models that declare neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signing {
    /// The SigV4 signing name (`aws.auth#sigv4` `name`).
    pub signing_name: String,
    /// The endpoint prefix (`aws.api#service` `endpointPrefix`).
    pub endpoint_prefix: String,
    /// The SDK id (`aws.api#service` `sdkId`), else the service shape name.
    pub sdk_id: String,
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
    /// What the protocol fixes.
    pub protocol_info: ProtocolInfo,
    /// Signing name and endpoint prefix.
    pub signing: Signing,
    /// Rust name of the server's request enum.
    pub request_enum: String,
    /// Rust name of the server's response enum.
    pub response_enum: String,
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
    /// Types, sorted by name; a [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// The endpoint rule set, when the model has one.
    pub endpoint: Option<EndpointRules>,
    /// Operations `--all` left out, with the reason.
    pub skipped: Vec<SkippedOperation>,
    /// Paginators and waiters left out, with the reason.
    pub left_out: Vec<LeftOut>,
    /// Endpoint discovery, when the service has it and its discovery
    /// operation can be read.
    pub endpoint_discovery: Option<EndpointDiscovery>,
    /// The unions carried by event streams, each once, in type order, and
    /// which way their events go.
    pub event_unions: Vec<EventUnion>,
    /// The runtime modules the service's code calls.
    pub runtime: RuntimeNeeds,
}

/// A union an event stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventUnion {
    /// The union.
    pub id: TypeId,
    /// Whether an output streams it: it is read from messages.
    pub received: bool,
    /// Whether an input streams it: it is written as messages.
    pub sent: bool,
}

/// A paginator or waiter of the model the generator left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// What (`the paginator of ListThings`, `waiter Ready of DescribeThing`).
    pub what: String,
    /// Why.
    pub reason: String,
}

/// An operation `--all` could not generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    /// Its name in the model.
    pub name: String,
    /// Why.
    pub reason: String,
}

impl Service {
    /// The type a reference points at.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The structure a reference points at, if it is one.
    pub fn structure(&self, r: &TypeRef) -> Option<&Struct> {
        self.ty(r.id).as_struct()
    }

    /// The operation an id points at.
    pub fn operation(&self, id: OperationId) -> &Operation {
        &self.operations[id.0]
    }
}

/// Which side of the protocol a case checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// `appliesTo` absent or `client`: `build_request` and `parse_response`.
    Client,
    /// `appliesTo` absent or `server`: `ServiceRequest::from_http` and the
    /// response serializers.
    Server,
}

impl Side {
    /// `client` or `server`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// Whether a case checks a request or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// `smithy.test#httpRequestTests`.
    Request,
    /// `smithy.test#httpResponseTests`.
    Response,
    /// `smithy.test#eventStreamTests`.
    Events,
}

impl Direction {
    /// `request`, `response` or `events` (also the test module name).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Events => "events",
        }
    }
}

/// What an operation's `@httpChecksum` (or `@httpChecksumRequired`) asks
/// of its requests.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestChecksum {
    /// Whether a checksum is required.
    pub required: bool,
    /// The input field naming the algorithm (`requestAlgorithmMember`), as
    /// an index into the input structure's fields.
    pub algorithm_field: Option<usize>,
    /// The input field that asks for response checksums
    /// (`requestValidationModeMember`), sent as `ENABLED` when unset.
    pub validation_field: Option<usize>,
    /// The response checksums the client validates, in the SDKs' order of
    /// preference, lower case (of `responseAlgorithms`, those it computes).
    pub response_algorithms: Vec<String>,
    /// Whether the request also carries `Content-MD5` (with the `client`
    /// feature): `@httpChecksumRequired`, which asked for it before flexible
    /// checksums.
    pub content_md5: bool,
}

/// One protocol compliance case, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolCase {
    /// The case id.
    pub id: String,
    /// Request or response.
    pub direction: Direction,
    /// The protocol the case is written for.
    pub protocol: Protocol,
    /// The service shape id.
    pub service: String,
    /// The operation shape id the case runs against.
    pub operation: String,
    /// That operation's wire name.
    pub operation_name: String,
    /// For response cases on an error shape: the error shape id.
    pub error: Option<String>,
    /// That error's code (its shape name).
    pub error_code: Option<String>,
    /// Client or server.
    pub side: Side,
    /// The libtest name of the generated test (`module::request::Id` on
    /// the client side, `module::server::request::Id` on the server side).
    pub test: String,
    /// The generated test function's name.
    pub fn_name: String,
    /// Why the case is skipped, if it is.
    pub skip: Option<&'static str>,
    /// The case as written in the model.
    pub data: serde_json::Value,
}

/// A service's endpoint rule set (`smithy.rules#endpointRuleSet`), lowered:
/// names resolved to slots, templates split, `getAttr` paths parsed and
/// every function checked against the runtime's library.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRules {
    /// Parameters; parameter `i` is slot `i`.
    pub params: Vec<EndpointParam>,
    /// Slots: parameters, then every variable an `assign` names.
    pub slots: usize,
    /// The Rust constant naming each slot (`REGION`, `PARTITION_RESULT`).
    pub slot_names: Vec<String>,
    /// The rules, tried in order.
    pub rules: Vec<EndpointRule>,
}

/// A rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointParam {
    /// Name in the rule set (`Region`).
    pub name: String,
    /// Rust field name in the generated `Params` (`region`).
    pub field: String,
    /// Type.
    pub kind: EndpointParamKind,
    /// Whether the rule set requires it.
    pub required: bool,
    /// Default value.
    pub default: Option<EndpointLiteral>,
    /// Built-in it binds to (`AWS::Region`).
    pub builtin: Option<String>,
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointParamKind {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A literal parameter value (defaults, test parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointLiteral {
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
    /// A list of strings.
    StrArray(Vec<String>),
}

/// A `getAttr` path step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointPath {
    /// Object member.
    Key(String),
    /// Array index.
    Index(usize),
}

/// A template piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointPiece {
    /// Literal text, escapes undone.
    Text(String),
    /// A variable, by slot.
    Var(usize),
    /// An attribute of a variable.
    Attr(usize, Vec<EndpointPath>),
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointExpr {
    /// Boolean literal.
    Bool(bool),
    /// Integer literal.
    Int(i64),
    /// String template.
    Str(Vec<EndpointPiece>),
    /// Variable, by slot.
    Ref(usize),
    /// `getAttr`.
    GetAttr(Box<EndpointExpr>, Vec<EndpointPath>),
    /// A call: the runtime `Function` variant name, and the arguments.
    Call(String, Vec<EndpointExpr>),
    /// Array literal.
    Array(Vec<EndpointExpr>),
    /// Object literal.
    Object(Vec<(String, EndpointExpr)>),
}

/// A condition.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointCondition {
    /// The expression.
    pub expr: EndpointExpr,
    /// Slot its value is bound to.
    pub assign: Option<usize>,
}

/// A rule.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointRule {
    /// An endpoint.
    Endpoint {
        /// Conditions.
        conditions: Vec<EndpointCondition>,
        /// URL template.
        url: EndpointExpr,
        /// Properties.
        properties: Vec<(String, EndpointExpr)>,
        /// Headers.
        headers: Vec<(String, Vec<EndpointExpr>)>,
    },
    /// An error.
    Error {
        /// Conditions.
        conditions: Vec<EndpointCondition>,
        /// Message template.
        message: EndpointExpr,
    },
    /// A tree.
    Tree {
        /// Conditions.
        conditions: Vec<EndpointCondition>,
        /// Rules inside.
        rules: Vec<EndpointRule>,
    },
}

/// One case of `smithy.rules#endpointTests`.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTest {
    /// 1-based position in the model's list.
    pub number: usize,
    /// Parameter values, by parameter index.
    pub params: Vec<(usize, EndpointLiteral)>,
    /// What must come out.
    pub expect: EndpointExpect,
}

/// An endpoint test's expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointExpect {
    /// This URL, these headers and these properties (as JSON text).
    Endpoint {
        /// URL.
        url: String,
        /// Headers.
        headers: Vec<(String, Vec<String>)>,
        /// Properties, a JSON object.
        properties: String,
    },
    /// This error message.
    Error(String),
}

/// A partition of `partitions.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// Id.
    pub id: String,
    /// Region pattern.
    pub region_regex: String,
    /// Regions listed by name.
    pub regions: Vec<String>,
    /// `name` output.
    pub name: String,
    /// `dnsSuffix`.
    pub dns_suffix: String,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: String,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: String,
}

/// An endpoint parameter an operation sets.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointContext {
    /// The parameter, by index.
    pub param: usize,
    /// Where its value comes from.
    pub source: EndpointSource,
}

/// Where an operation's endpoint parameter comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointSource {
    /// A top-level input member (`@contextParam`), by field index.
    Member(usize),
    /// A constant (`@staticContextParams`).
    Static(EndpointLiteral),
}

/// A paginated operation's paginator (`@paginated`, merged with the
/// service's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct Paginator {
    /// Client method returning the paginator (`list_pipelines_pages`).
    pub method: String,
    /// The input's token field (Rust name; an `Option` of [`Self::token`]).
    pub input_token: String,
    /// The token's type: a string, or a map (DynamoDB's keys).
    pub token: Type,
    /// The path to the output's token (of the same type).
    pub output_token: Vec<PathStep>,
    /// The output's items, when the trait names them.
    pub items: Option<PageItems>,
    /// The input's page-size member.
    pub page_size: Option<PageSize>,
    /// The model's member paths, for docs (`NextToken`, `Items`).
    pub wire: (String, String, Option<String>),
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq)]
pub struct PageItems {
    /// The path to the collection in the output.
    pub path: Vec<PathStep>,
    /// The collection's type: a list (items are its elements) or a map
    /// (items are its entries).
    pub collection: Type,
}

/// A paginator's page-size member.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSize {
    /// Rust field name.
    pub field: String,
    /// Whether it is optional.
    pub optional: bool,
    /// Its integer type (byte, short, integer or long).
    pub ty: Type,
}

/// One step of a path through output structures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// Rust field name.
    pub field: String,
    /// Whether the field is `Option<_>`.
    pub optional: bool,
    /// Whether the value is boxed.
    pub boxed: bool,
}

/// A waiter (`smithy.waiters#waitable`).
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// Name in the model (`ReplicationTaskStopped`).
    pub name: String,
    /// Client method (`wait_until_replication_task_stopped`).
    pub method: String,
    /// The static holding its spec (`REPLICATION_TASK_STOPPED`).
    pub constant: String,
    /// Least delay, seconds.
    pub min_delay: u64,
    /// Greatest delay, seconds.
    pub max_delay: u64,
    /// Whether the model deprecates it.
    pub deprecated: bool,
    /// Acceptors in order.
    pub acceptors: Vec<Acceptor>,
}

/// An acceptor.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// `Success`, `Failure` or `Retry` (the runtime's `State` variant).
    pub state: String,
    /// The matcher.
    pub matcher: Matcher,
    /// The JMESPath expression of an `output` or `inputOutput` matcher, as
    /// the model writes it.
    pub path: Option<String>,
}

/// A matcher.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// `success`.
    Success(bool),
    /// `errorType` (shape name).
    ErrorType(String),
    /// `output`: path, expected, comparator (runtime `Comparator` variant).
    Output(JmesExpr, String, String),
    /// `inputOutput`.
    InputOutput(JmesExpr, String, String),
}

/// A parsed JMESPath expression (the runtime's `jmespath::Expr`, owned).
#[derive(Debug, Clone, PartialEq)]
pub enum JmesExpr {
    /// `@`.
    Identity,
    /// A member name.
    Field(String),
    /// `a.b`, `a[0]`: the right side on the left's value.
    Sub(Box<JmesExpr>, Box<JmesExpr>),
    /// `[n]`.
    Index(i64),
    /// `[start:stop:step]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// A list projection (`a[*].b`, and what follows a flatten or slice).
    Projection(Box<JmesExpr>, Box<JmesExpr>),
    /// An object projection (`a.*.b`).
    ValueProjection(Box<JmesExpr>, Box<JmesExpr>),
    /// `a[?cond].b`: left, condition, right.
    FilterProjection(Box<JmesExpr>, Box<JmesExpr>, Box<JmesExpr>),
    /// `a[]`.
    Flatten(Box<JmesExpr>),
    /// `[a, b]`.
    MultiList(Vec<JmesExpr>),
    /// `{k: a}`.
    MultiHash(Vec<(String, JmesExpr)>),
    /// `a | b`.
    Pipe(Box<JmesExpr>, Box<JmesExpr>),
    /// `||`.
    Or(Box<JmesExpr>, Box<JmesExpr>),
    /// `&&`.
    And(Box<JmesExpr>, Box<JmesExpr>),
    /// `!`.
    Not(Box<JmesExpr>),
    /// A comparison (runtime `Cmp` variant).
    Compare(String, Box<JmesExpr>, Box<JmesExpr>),
    /// A literal.
    Literal(JmesLit),
    /// A function call (runtime `Function` variant).
    Call(String, Vec<JmesExpr>),
    /// `&expr`.
    ExprRef(Box<JmesExpr>),
}

/// A literal.
#[derive(Debug, Clone, PartialEq)]
pub enum JmesLit {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<JmesLit>),
    /// An object, members in order.
    Object(Vec<(String, JmesLit)>),
}
