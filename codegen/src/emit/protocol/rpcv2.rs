//! RPC v2 CBOR: `POST /service/S/operation/O` with the `smithy-protocol:
//! rpc-v2-cbor` header, the input's CBOR as the body (`cbor.rs`, none for a
//! unit input), errors named by `__type` (or, for `@awsQueryCompatible`
//! services, by `x-amzn-query-error`).

use quote::quote;

use super::{ProtocolEmitter, Wire};
use crate::emit::tokens::*;
use crate::emit::{cbor, file, Source};
use crate::ir::*;

/// The RPC v2 CBOR emitter.
pub(super) struct RpcV2;

impl ProtocolEmitter for RpcV2 {
    /// RPC v2 CBOR: `POST /service/S/operation/O`, the input's CBOR as the body
    /// (none for a unit input), errors named by `__type`.
    fn wire(&self, svc: &Service, op: &Operation) -> Wire {
        let (_, output_ty) = io_types(op);
        let service = &svc.target_prefix;
        let wire = &op.wire_name;
        let query_compatible = svc.query_compatible;
        let path = format!("/service/{service}/operation/{wire}");
        Wire {
            constant: quote! {
                /// The request path: the service's and the operation's shape names.
                pub const PATH: &'static str = #path;
            },
            request_doc: format!("`POST /service/{service}/operation/{wire}`, a CBOR body"),
            write_input: match &op.input {
                Some(_) => quote! {
                    let body = ::std::option::Option::Some(crate::runtime::cbor::to_cbor(input)?);
                },
                None => quote! {
                    let () = *input;
                    let body = ::std::option::Option::None;
                },
            },
            make: quote!(crate::runtime::rpcv2::request(#service, #wire, body)),
            read_output: match &op.output {
                Some(_) => quote!(crate::runtime::cbor::parse_body::<#output_ty>(body)),
                None => quote!(::std::result::Result::<(), crate::runtime::DecodeError>::Ok(())),
            },
            error_parts: quote!(crate::runtime::rpcv2::error_parts(headers, body, #query_compatible)),
            parse_modeled: quote!(crate::runtime::rpcv2::parse_modeled(status, parts, body)),
        }
    }

    fn modules(&self) -> &'static [&'static str] {
        &["cbor"]
    }

    fn sources<'a>(&self, svc: &'a Service) -> Vec<Source<'a>> {
        vec![file(
            format!("{}/cbor.rs", svc.module),
            " CBOR serializers and deserializers (RPC v2 CBOR body format).",
            svc.types.iter().collect(),
            cbor::emit_codec,
        )]
    }
}
