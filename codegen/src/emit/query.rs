//! `query.rs` of a service whose responses are XML: for awsQuery and
//! ec2Query the form serializer (`QuerySerialize`) of every structure and
//! union, for restXml the XML writer; and the XML reader (`XmlDeserialize`)
//! of every type. The JSON codecs of `json.rs` stay: they are the types'
//! `Json` and serde form on every protocol.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::*;

/// The writer and the reader of a type.
pub(super) fn emit_codec(rules: &ProtocolInfo, t: &TypeDef) -> TokenStream {
    let ser = match (rules.protocol.is_query(), t) {
        (true, TypeDef::Struct(s)) => super::form::emit_struct(rules, s),
        (true, TypeDef::Union(u)) => super::form::emit_union(rules, u),
        (true, TypeDef::Enum(_)) => TokenStream::new(),
        (false, t) => super::xml::emit_serializer(t),
    };
    let read = super::xml::emit_reader(t);
    quote! {
        #ser
        #read
    }
}
