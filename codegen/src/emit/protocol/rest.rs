//! restJson1 and restXml: each operation's `@http` route, its input's
//! members bound to the path, query string, headers and body, and a
//! `rest.rs` reading responses (`bindings.rs`); restXml adds its XML codecs
//! (`xml.rs`) in `query.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Wire};
use crate::emit::tokens::*;
use crate::emit::{bindings, file, xml, Source};
use crate::ir::*;

/// The restJson1 emitter.
pub(super) struct RestJson;

/// The restXml emitter.
pub(super) struct RestXml;

impl ProtocolEmitter for RestJson {
    fn wire(&self, svc: &Service, op: &Operation) -> Wire {
        wire(svc, op)
    }

    fn modules(&self) -> &'static [&'static str] {
        &["rest"]
    }

    fn sources<'a>(&self, svc: &'a Service) -> Vec<Source<'a>> {
        vec![response_readers(svc)]
    }
}

impl ProtocolEmitter for RestXml {
    fn wire(&self, svc: &Service, op: &Operation) -> Wire {
        wire(svc, op)
    }

    fn modules(&self) -> &'static [&'static str] {
        &["query", "rest"]
    }

    fn sources<'a>(&self, svc: &'a Service) -> Vec<Source<'a>> {
        vec![
            file(
                format!("{}/query.rs", svc.module),
                " XML writers and readers (restXml request and response bodies).",
                svc.types.iter().collect(),
                xml_codec,
            ),
            response_readers(svc),
        ]
    }
}

/// The REST request builder and response parser of an operation.
fn wire(svc: &Service, op: &Operation) -> Wire {
    let (_, output_ty) = io_types(op);
    // Lowering gives every operation of a REST service a route.
    let fallback = HttpRoute {
        method: "POST".into(),
        pattern: "/".into(),
        path: vec![PathPart::Literal("/".into())],
        query: Vec::new(),
        code: 200,
    };
    let route = op.http.as_ref().unwrap_or(&fallback);
    let method = &route.method;
    let pattern = &route.pattern;
    Wire {
        constant: quote! {
            /// The HTTP method of the operation's `@http` binding.
            pub const METHOD: &'static str = #method;
            /// The URI pattern of the operation's `@http` binding.
            pub const URI: &'static str = #pattern;
        },
        request_doc: format!("`{method} {pattern}`"),
        write_input: bindings::write_request(svc, op, route),
        make: quote!(b.finish()),
        read_output: match &op.output {
            Some(_) => {
                quote!(crate::runtime::rest::parse_output::<#output_ty>(status, headers, body))
            }
            None => {
                quote!(::std::result::Result::<(), crate::runtime::DecodeError>::Ok(()))
            }
        },
        error_parts: if svc.protocol_info.body_format == BodyFormat::Xml {
            quote!(crate::runtime::xml::query_error_parts(headers, body))
        } else {
            quote!(crate::runtime::error::parse_error_parts(headers, body))
        },
        parse_modeled: quote!(crate::runtime::rest::parse_modeled(
            status, headers, parts, body
        )),
    }
}

/// `rest.rs`: the response reader of every output and error structure.
fn response_readers(svc: &Service) -> Source<'_> {
    file(
        format!("{}/rest.rs", svc.module),
        " Response readers of the REST protocol: bound headers, status code and body.",
        bindings::response_structs(svc),
        move |s| bindings::emit_response_reader(svc, s),
    )
}

/// The XML writer and reader of a type.
fn xml_codec(t: &TypeDef) -> TokenStream {
    let ser = xml::emit_serializer(t);
    let read = xml::emit_reader(t);
    quote! {
        #ser
        #read
    }
}
