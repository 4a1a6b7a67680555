//! `mod.rs` of a service module: module docs, submodules, re-exports and
//! service constants.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::*;
use crate::ir::*;

pub(super) fn emit_service_mod(svc: &Service, named_args: bool) -> TokenStream {
    let docs = module_docs(svc);
    let id = &svc.shape_id;
    let version = &svc.version;
    let name = &svc.target_prefix;
    let signing_name = &svc.signing.signing_name;
    let endpoint_prefix = &svc.signing.endpoint_prefix;
    let sdk_id = &svc.signing.sdk_id;
    let request = ident(&svc.request_enum);
    let response = ident(&svc.response_enum);
    let submodule = |name: &str| module_decl(svc, name, true);
    let private = |name: &str| module_decl(svc, name, false);
    let json_mod = private("json");
    let (errors, operations, types) = (
        submodule("errors"),
        submodule("operations"),
        submodule("types"),
    );
    let required = if named_args {
        submodule("required")
    } else {
        quote!()
    };
    // The protocol's own modules (its codecs, its response readers).
    let query: TokenStream = super::protocol::emitter(svc.protocol_info.family)
        .modules()
        .iter()
        .map(|m| private(m))
        .collect();
    let (server, server_exports) = if svc.protocol_info.server {
        let server = submodule("server");
        (
            quote! {
                /// The server side: route, parse and answer requests (the `server` feature).
                #[cfg(feature = "server")]
                #server
            },
            quote! {
                #[cfg(feature = "server")]
                #[doc(no_inline)]
                pub use self::server::{#request, #response};
            },
        )
    } else {
        (quote!(), quote!())
    };
    let waiters = if svc.operations.iter().any(|o| !o.waiters.is_empty()) {
        let m = submodule("waiters");
        quote! {
            #[cfg(feature = "client")]
            #m
        }
    } else {
        quote!()
    };
    let endpoint = if svc.endpoint.is_some() {
        let m = submodule("endpoint");
        quote! {
            #[cfg(feature = "endpoints")]
            #m
        }
    } else {
        quote!()
    };
    let client = submodule("client");
    // A service of unit inputs and outputs only has no types to export.
    let types_export = if svc.types.is_empty() {
        quote!()
    } else {
        quote! {
            #[doc(no_inline)]
            pub use self::types::*;
        }
    };
    let events = if svc.event_unions.is_empty() {
        quote!()
    } else {
        private("event_stream")
    };
    quote! {
        #docs

        #endpoint
        #errors
        #events
        #json_mod
        #operations
        #required
        /// The client: one method per operation (the `client` feature).
        #[cfg(feature = "client")]
        #client
        #query
        #server
        #types
        #waiters

        #[doc(no_inline)]
        pub use self::errors::*;
        #[doc(no_inline)]
        pub use self::operations::*;
        #server_exports
        #types_export

        /// Absolute shape id of the service.
        pub const SERVICE_ID: &str = #id;
        /// Service shape name (the `X-Amz-Target` prefix).
        pub const SERVICE_NAME: &str = #name;
        /// API version.
        pub const API_VERSION: &str = #version;
        /// The SDK id (`aws.api#service`): names the service in configuration
        /// (`AWS_ENDPOINT_URL_<SDK ID>`).
        pub const SDK_ID: &str = #sdk_id;
        /// The SigV4 signing name (`aws.auth#sigv4`), which may differ from the endpoint prefix.
        pub const SIGNING_NAME: &str = #signing_name;
        /// The endpoint prefix (`aws.api#service`): the first label of the service's host name.
        pub const ENDPOINT_PREFIX: &str = #endpoint_prefix;
    }
}

/// The module's docs: its title, the model's docs, what it holds and what
/// was left out.
fn module_docs(svc: &Service) -> TokenStream {
    let mut docs = Vec::new();
    let title = svc
        .title
        .clone()
        .unwrap_or_else(|| svc.target_prefix.clone());
    // The title is plain text: escape what Markdown would read as markup.
    let mut heading = String::from("# ");
    for c in title.chars().filter(|c| !c.is_control()) {
        if matches!(
            c,
            '[' | ']' | '<' | '>' | '`' | '*' | '_' | '\\' | '&' | '#'
        ) {
            heading.push('\\');
        }
        heading.push(c);
    }
    docs.push(heading);
    docs.extend(svc.docs.iter().cloned());
    let protocol = svc.protocol_info.protocol.name();
    docs.push(format!(
        "Service `{}`, API version `{}`, protocol `{protocol}`. Operations: {}.",
        svc.shape_id,
        svc.version,
        svc.operations
            .iter()
            .map(|o| format!("`{}`", o.name))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !svc.skipped.is_empty() {
        docs.push(format!(
            "Left out (generated with every operation, these could not be): {}.",
            svc.skipped
                .iter()
                .map(|s| format!("`{}`: {}", s.name, s.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if !svc.left_out.is_empty() {
        docs.push(format!(
            "Left out of the operations above (the generator cannot support them): {}.",
            svc.left_out
                .iter()
                .map(|l| format!("{}: {}", l.what, l.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let m = &svc.module;
    docs.push(format!(
        "Types are in [`types`](crate::{m}::types), operations in [`operations`](crate::{m}::operations), \
         their error enums in [`errors`](crate::{m}::errors); everything is also re-exported here."
    ));
    inner_doc_attrs(&docs)
}

/// The declaration of a submodule (public, or private for the codecs). A
/// service module may share a submodule's name (a service called `errors`);
/// the layout is fixed, so that is fine.
fn module_decl(svc: &Service, name: &str, public: bool) -> TokenStream {
    let m = ident(name);
    let inception = if svc.module == name {
        quote!(#[allow(clippy::module_inception)])
    } else {
        quote!()
    };
    let vis = if public { quote!(pub) } else { quote!() };
    quote! {
        #inception
        #[rustfmt::skip]
        #vis mod #m;
    }
}
