//! `client.rs` of a service module (the `client` feature): the service's
//! blocking `Client` and its `AsyncClient`, one method per operation over
//! the runtime's call loop.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::*;
use crate::ir::*;

/// The client struct, its constructor and the generic call.
pub(super) fn emit_client_head(svc: &Service) -> TokenStream {
    let rules = if svc.endpoint.is_some() {
        quote!(::std::option::Option::Some(&super::endpoint::RULES))
    } else {
        quote!(::std::option::Option::None)
    };
    let doc = doc_attrs(&[
        format!(
            "A blocking client of `{}`: one method per operation, each building the request, signing \
             it (SigV4, signing name `{}`), sending it with the configured transport and retrying as the \
             AWS standard retry mode says.",
            svc.shape_id, svc.signing.signing_name
        ),
        "Clones share the configuration and the retry quota.".into(),
    ]);
    let async_doc = doc_attrs(&[
        format!(
            "An async client of `{}`: the same calls as [`Client`], as futures. Dropping a call's \
             future cancels it; nothing keeps running.",
            svc.shape_id
        ),
        "Clones share the configuration and the retry quota.".into(),
    ]);
    let (discovery_ref, discovery) = match &svc.endpoint_discovery {
        Some(d) => (
            quote!(::std::option::Option::Some(&DISCOVERY)),
            emit_discovery(d),
        ),
        None => (quote!(::std::option::Option::None), quote!()),
    };
    quote! {
        //! The service clients (the `client` feature).

        #doc
        pub type Client = crate::runtime::client::ServiceClient<Service>;

        #async_doc
        pub type AsyncClient = crate::runtime::client::AsyncServiceClient<Service>;

        /// This service, as its clients see it: the marker of [`Client`] and [`AsyncClient`].
        #[derive(Clone, Copy, Debug)]
        pub enum Service {}

        impl crate::runtime::client::Service for Service {
            const INFO: crate::runtime::client::ServiceInfo = crate::runtime::client::ServiceInfo {
                sdk_id: super::SDK_ID,
                signing_name: super::SIGNING_NAME,
                endpoint_prefix: super::ENDPOINT_PREFIX,
                endpoint_rules: #rules,
                partitions: crate::partitions::PARTITIONS,
                endpoint_discovery: #discovery_ref,
            };
        }

        #discovery
    }
}

/// The service's endpoint discovery: the discovery operation called by a
/// blocking and an async client, its answer read as the runtime's
/// addresses.
fn emit_discovery(d: &EndpointDiscovery) -> TokenStream {
    let op = ident(&d.operation);
    let input = match &d.input {
        Some(t) => {
            let t = ident(&t.name);
            quote!(super::#t::new())
        }
        None => quote!(()),
    };
    let (list, list_optional) = &d.endpoints;
    let list = ident(list);
    let list = if *list_optional {
        quote!(output.#list.unwrap_or_default())
    } else {
        quote!(output.#list)
    };
    let (address, address_optional) = &d.address;
    let address = ident(address);
    let address = if *address_optional {
        quote!(e.#address.unwrap_or_default())
    } else {
        quote!(e.#address)
    };
    let (minutes, minutes_optional, long) = &d.cache_minutes;
    let minutes = ident(minutes);
    let minutes = match (*minutes_optional, *long) {
        (true, true) => quote!(e.#minutes.unwrap_or(0)),
        (true, false) => quote!(e.#minutes.map_or(0, i64::from)),
        (false, true) => quote!(e.#minutes),
        (false, false) => quote!(i64::from(e.#minutes)),
    };
    let error_code = match &d.error_code {
        Some(c) => quote!(::std::option::Option::Some(#c)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        /// How the runtime discovers this service's endpoints.
        static DISCOVERY: crate::runtime::client::EndpointDiscovery =
            crate::runtime::client::EndpointDiscovery {
                blocking: discover_blocking,
                asynchronous: discover_async,
                error_code: #error_code,
            };

        /// The discovery operation's answer as addresses.
        fn discovered(output: <super::#op as crate::runtime::Operation>::Output) -> ::std::vec::Vec<crate::runtime::client::discovery::DiscoveredAddress> {
            #list
                .into_iter()
                .map(|e| crate::runtime::client::discovery::DiscoveredAddress {
                    address: #address,
                    cache_minutes: #minutes,
                })
                .collect()
        }

        /// Calls the discovery operation with a blocking client.
        fn discover_blocking(client: &crate::runtime::client::BlockingClient) -> crate::runtime::client::discovery::Discovered {
            client
                .call::<super::#op>(&#input, &crate::runtime::client::CallOptions::default())
                .map(discovered)
                .map_err(|e| e.to_string())
        }

        /// Calls the discovery operation with an async client.
        fn discover_async(client: &crate::runtime::client::AsyncClient) -> crate::runtime::client::BoxFuture<'_, crate::runtime::client::discovery::Discovered> {
            ::std::boxed::Box::pin(async move {
                client
                    .call::<super::#op>(&#input, &crate::runtime::client::CallOptions::default())
                    .await
                    .map(discovered)
                    .map_err(|e| e.to_string())
            })
        }
    }
}

/// The method of one operation.
pub(super) fn emit_client_method(op: &Operation) -> TokenStream {
    let method = ident(&op.client_method);
    let o = named(&op.name, Scope::Sibling);
    let err = named(&op.error_name, Scope::Sibling);
    let (input_ty, output_ty) = io_types(op);
    let doc = doc_attrs(&[format!(
        "Calls `{}` ([`{}`](super::{})).",
        op.wire_name, op.name, op.name
    )]);
    let (param, arg) = match &op.input {
        Some(_) => (quote!(input: &#input_ty), quote!(input)),
        None => (quote!(), quote!(&())),
    };
    let async_doc = doc_attrs(&[format!(
        "Calls `{}` ([`{}`](super::{})) without blocking.",
        op.wire_name, op.name, op.name
    )]);
    let (pages, async_pages) = match &op.paginator {
        None => (quote!(), quote!()),
        Some(p) => {
            let m = ident(&p.method);
            let (input_token, output_token, items) = &p.wire;
            let what = match items {
                Some(items) => format!(", and its items (`{items}`) with `.items()`"),
                None => String::new(),
            };
            let doc = doc_attrs(&[format!(
                "The pages of `{}` as an iterator{what}: `{output_token}` of each page becomes                  `{input_token}` of the next, until it is absent or empty; a token the service                  repeats ends the iteration with an error.",
                op.wire_name
            )]);
            let async_doc = doc_attrs(&[format!(
                "The pages of `{}`, async: `.next_page().await` (and `.next_item().await`) until `None`.",
                op.wire_name
            )]);
            (
                quote! {
                    #doc
                    pub fn #m(&self, input: #input_ty) -> crate::runtime::client::Paginator<'_, #o> {
                        self.inner().paginate::<#o>(input)
                    }
                },
                quote! {
                    #async_doc
                    pub fn #m(&self, input: #input_ty) -> crate::runtime::client::AsyncPaginator<'_, #o> {
                        self.inner().paginate::<#o>(input)
                    }
                },
            )
        }
    };
    let wait_params = match &op.input {
        Some(_) => quote!(input: &#input_ty, max_wait: ::std::time::Duration),
        None => quote!(max_wait: ::std::time::Duration),
    };
    let (waits, async_waits): (Vec<_>, Vec<_>) = op
        .waiters
        .iter()
        .map(|w| {
            let m = ident(&w.method);
            let c = ident(&w.constant);
            let deprecated = if w.deprecated {
                quote!(#[deprecated(note = "the model deprecates this waiter")])
            } else {
                quote!()
            };
            let doc = doc_attrs(&[format!(
                "Waits for `{}`: polls `{}` with `input` until an acceptor reaches success                  (the final poll) or failure, or `max_wait` passes; between polls {}-{} s,                  growing with jitter.",
                w.name, op.wire_name, w.min_delay, w.max_delay
            )]);
            (
                quote! {
                    #doc
                    #deprecated
                    pub fn #m(&self, #wait_params) -> crate::runtime::client::WaitResult<#o> {
                        self.inner().wait::<#o>(#arg, &super::waiters::#c, max_wait)
                    }
                },
                quote! {
                    #doc
                    #deprecated
                    pub async fn #m(&self, #wait_params) -> crate::runtime::client::WaitResult<#o> {
                        self.inner().wait::<#o>(#arg, &super::waiters::#c, max_wait).await
                    }
                },
            )
        })
        .unzip();
    quote! {
        impl Client {
            #doc
            pub fn #method(&self, #param) -> ::std::result::Result<#output_ty, crate::runtime::client::SdkError<#err>> {
                self.inner().call::<#o>(#arg, &::std::default::Default::default())
            }
            #pages
            #(#waits)*
        }

        impl AsyncClient {
            #async_doc
            pub async fn #method(&self, #param) -> ::std::result::Result<#output_ty, crate::runtime::client::SdkError<#err>> {
                self.inner().call::<#o>(#arg, &::std::default::Default::default()).await
            }
            #async_pages
            #(#async_waits)*
        }
    }
}
