//! awsJson1_0 and awsJson1_1: `POST /` with `X-Amz-Target`, the input's JSON
//! as the body (the types' `json.rs` codecs), errors named by `__type` (or,
//! for `@awsQueryCompatible` services, by `x-amzn-query-error`).

use quote::quote;

use super::{ProtocolEmitter, Wire};
use crate::emit::tokens::*;
use crate::emit::Source;
use crate::ir::*;

/// The awsJson emitter.
pub(super) struct AwsJson;

impl ProtocolEmitter for AwsJson {
    fn wire(&self, svc: &Service, op: &Operation) -> Wire {
        let (_, output_ty) = io_types(op);
        let version = json_version(svc.protocol_info.json_version);
        let target = &op.target;
        Wire {
            constant: quote! {
                /// Service shape name and operation name, as sent in `X-Amz-Target`.
                pub const TARGET: &'static str = #target;
            },
            request_doc: format!("`POST /`, `X-Amz-Target: {target}`"),
            write_input: match &op.input {
                Some(_) => quote! {
                    let mut w = crate::runtime::JsonWriter::new();
                    crate::runtime::JsonSerialize::write_json(input, &mut w)?;
                },
                None => quote! {
                    let mut w = crate::runtime::JsonWriter::new();
                    let () = *input;
                    w.begin_object();
                    w.end_object();
                },
            },
            make: quote!(crate::runtime::http::aws_json_request(#version, Self::TARGET, w.into_string())),
            read_output: match &op.output {
                Some(_) => quote!(crate::runtime::support::parse_body::<#output_ty>(body)),
                None => quote!(crate::runtime::support::parse_body::<
                    crate::runtime::support::Ignored,
                >(body)
                .map(|_| ())),
            },
            error_parts: if svc.query_compatible {
                quote!(crate::runtime::error::parse_query_compatible_parts(
                    headers, body
                ))
            } else {
                quote!(crate::runtime::error::parse_error_parts(headers, body))
            },
            parse_modeled: quote!(crate::runtime::error::parse_modeled(status, parts, body)),
        }
    }

    fn modules(&self) -> &'static [&'static str] {
        &[]
    }

    fn sources<'a>(&self, _svc: &'a Service) -> Vec<Source<'a>> {
        Vec::new()
    }
}
