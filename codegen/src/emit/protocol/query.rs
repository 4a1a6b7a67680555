//! awsQuery and ec2Query: `POST /` with a form body (`Action`, `Version`
//! and the input's members, `form.rs`), XML responses (`xml.rs`), errors in
//! `<ErrorResponse>`. The service's `query.rs` holds both codecs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Wire};
use crate::emit::tokens::*;
use crate::emit::{file, form, xml, Source};
use crate::ir::*;

/// The query emitter.
pub(super) struct Query;

impl ProtocolEmitter for Query {
    fn wire(&self, svc: &Service, op: &Operation) -> Wire {
        let (_, output_ty) = io_types(op);
        let wire = &op.wire_name;
        let version = &svc.version;
        // awsQuery wraps the output's members in `<OpResult>`; ec2Query
        // puts them straight under the root.
        let result = if svc.protocol_info.result_wrapper {
            format!("{wire}Result")
        } else {
            String::new()
        };
        Wire {
            constant: quote! {
                /// The operation's name, as sent in the `Action` parameter.
                pub const ACTION: &'static str = #wire;
            },
            request_doc: format!("`POST /`, a form body with `Action={wire}&Version={version}`"),
            write_input: match &op.input {
                Some(_) => quote! {
                    let mut w = crate::runtime::query::QueryWriter::new(Self::ACTION, #version);
                    crate::runtime::query::QuerySerialize::write_query(input, &mut w, "")?;
                },
                None => quote! {
                    let () = *input;
                    let w = crate::runtime::query::QueryWriter::new(Self::ACTION, #version);
                },
            },
            make: quote!(crate::runtime::query::query_request(w)),
            read_output: match &op.output {
                Some(_) => {
                    quote!(crate::runtime::xml::parse_query_output::<#output_ty>(body, #result))
                }
                None => quote!(crate::runtime::xml::parse_query_unit(body)),
            },
            error_parts: quote!(crate::runtime::xml::query_error_parts(headers, body)),
            parse_modeled: quote!(crate::runtime::xml::parse_modeled_query(
                status, parts, body
            )),
        }
    }

    fn modules(&self) -> &'static [&'static str] {
        &["query"]
    }

    fn sources<'a>(&self, svc: &'a Service) -> Vec<Source<'a>> {
        vec![file(
            format!("{}/query.rs", svc.module),
            " Query serializers and XML readers (awsQuery and ec2Query request and response formats).",
            svc.types.iter().collect(),
            move |t| codec(&svc.protocol_info, t),
        )]
    }
}

/// The form writer and the XML reader of a type.
fn codec(rules: &ProtocolInfo, t: &TypeDef) -> TokenStream {
    let ser = match t {
        TypeDef::Struct(s) => form::emit_struct(rules, s),
        TypeDef::Union(u) => form::emit_union(rules, u),
        TypeDef::Enum(_) => TokenStream::new(),
    };
    let read = xml::emit_reader(t);
    quote! {
        #ser
        #read
    }
}
