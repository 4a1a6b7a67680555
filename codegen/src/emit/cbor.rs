//! The CBOR codec (RPC v2 CBOR bodies): each type's JSON codec with the
//! runtime's CBOR writer, reader and traits in its place.

use proc_macro2::{Group, Ident, TokenStream, TokenTree};

use crate::ir::*;

/// `CborSerialize` and `CborDeserialize` of a type, in every build (the
/// `cfg`s of the JSON codec's directions do not apply).
pub(super) fn emit_codec(t: &TypeDef) -> TokenStream {
    over_cbor(match t {
        TypeDef::Struct(s) => super::json::emit_struct_codec(s, JsonCodecNeeds::ALWAYS),
        TypeDef::Union(u) => super::json::emit_union_codec(u, JsonCodecNeeds::ALWAYS),
        TypeDef::Enum(e) => super::json::emit_enum_codec(e, JsonCodecNeeds::ALWAYS),
    })
}

/// A codec over CBOR: the same code as its JSON codec, with the runtime's
/// CBOR writer, reader and traits in place of the JSON ones (they have the
/// same methods; the CBOR writer and reader choose the wire form of blobs,
/// timestamps and numbers themselves).
fn over_cbor(json: TokenStream) -> TokenStream {
    json.into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(i) => {
                let renamed = match i.to_string().as_str() {
                    "JsonSerialize" => "CborSerialize",
                    "JsonDeserialize" => "CborDeserialize",
                    "JsonInfallible" => "CborInfallible",
                    "JsonWriter" => "CborWriter",
                    "JsonReader" => "CborReader",
                    "write_json" => "write_cbor",
                    "read_json" => "read_cbor",
                    _ => return TokenTree::Ident(i),
                };
                TokenTree::Ident(Ident::new(renamed, i.span()))
            }
            TokenTree::Group(g) => {
                let mut mapped = Group::new(g.delimiter(), over_cbor(g.stream()));
                mapped.set_span(g.span());
                TokenTree::Group(mapped)
            }
            other => other,
        })
        .collect()
}
