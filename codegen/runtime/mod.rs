//! Hand-written, dependency-free runtime shared by every generated crate.
//!
//! The code generator copies this module tree verbatim into the generated
//! crate (as `src/runtime/`). Generated types call into it for JSON
//! serialization and deserialization, timestamps, documents, blobs,
//! error-response parsing and request construction. Files refer to each
//! other only through `super::` paths, so the tree works wherever it is
//! mounted.

pub mod blob;
pub mod checksum;
#[cfg(feature = "client")]
pub mod client;
#[doc(hidden)]
pub mod codec_error;
#[doc(hidden)]
pub mod crc;
pub mod document;
#[cfg(feature = "endpoints")]
pub mod endpoint;
pub mod error;
#[doc(hidden)]
pub mod event_frame;
pub mod gzip;
pub mod http;
#[cfg(feature = "http")]
pub mod http_crate;
pub mod json;
#[doc(hidden)]
pub mod number;
#[doc(hidden)]
pub mod percent;
#[cfg(feature = "serde")]
pub mod serde_form;
pub mod server;
pub mod stream;
pub mod support;
pub mod time;
pub mod token;
mod value_codecs;

// The query protocols (awsQuery, ec2Query); in a crate without such a
// service, only the client's STS calls use them.
pub mod query;
pub mod xml;

// Event streams; left out of crates without one.
pub mod event_sender;
pub mod eventstream;

// JMESPath, which the client's waiters evaluate.
pub mod jmespath;

// The REST protocols (restJson1, restXml); left out of crates without such a service.
pub mod rest;

// RPC v2 CBOR and its format; left out of crates without such a service.
pub mod cbor;
pub mod rpcv2;
pub use cbor::{CborDeserialize, CborInfallible, CborReader, CborSerialize, CborWriter};

pub use blob::{BigDecimal, BigInteger, Blob};
pub use document::{Document, Number};
#[cfg(feature = "endpoints")]
pub use endpoint::{Endpoint, ResolveError};
pub use error::{
    DecodeError, EncodeError, ErrorMetadata, ErrorParts, ModeledError, Printable, QueryError,
    UnhandledError,
};
pub use http::{Headers, HttpRequest, JsonVersion, Operation, NO_HEADERS};
#[cfg(feature = "http")]
pub use http_crate::ConversionError;
pub use json::{Json, JsonDeserialize, JsonReader, JsonSerialize, JsonWriter};
pub use server::{HttpResponse, Rejection};
pub use stream::ByteStream;
pub use support::{Fault, Redacted, UnknownInt, UnknownMember, UnknownValue};
pub use time::{DateTime, TimestampFormat};
pub use token::new_idempotency_token;
#[doc(hidden)]
pub use value_codecs::JsonInfallible;
