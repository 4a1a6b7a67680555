//! `errors.rs` of a service module: one error enum per operation, a variant
//! per modeled error plus `Unhandled`, with the runtime's `ErrorMetadata`.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::*;
use crate::ir::*;

pub(super) fn emit_error_enum(op: &Operation) -> TokenStream {
    let err = ident(&op.error_name);
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = named(&e.ty.name, Scope::Sibling);
        let doc = doc_attrs(&[format!("The modeled `{}` error.", e.code)]);
        quote!(#doc #v(#t),)
    });
    let inner_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => (e, e),)
    });
    let froms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = named(&e.ty.name, Scope::Sibling);
        quote! {
            impl ::std::convert::From<#t> for #err {
                fn from(e: #t) -> Self {
                    Self::#v(e)
                }
            }
        }
    });
    let doc = doc_attrs(&[format!(
        "Errors of [`{}`](super::{}): one variant per modeled error, plus [`Unhandled`](Self::Unhandled). \
         Code, message, request id and retry hints come from [`ErrorMetadata`](crate::runtime::ErrorMetadata).",
        op.name, op.name
    )]);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #err {
            #(#variants)*
            /// An error the model does not list for this operation, or a response that could not be parsed.
            Unhandled(crate::runtime::UnhandledError),
        }

        impl crate::runtime::error::ErrorEnum for #err {
            fn held(&self) -> (&dyn crate::runtime::ErrorMetadata, &(dyn ::std::error::Error + 'static)) {
                match self {
                    #(#inner_arms)*
                    Self::Unhandled(e) => (e, e),
                }
            }
        }

        impl #err {
            /// The error code (modeled errors always have one).
            pub fn code(&self) -> ::std::option::Option<&str> {
                crate::runtime::ErrorMetadata::code(self)
            }

            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                crate::runtime::ErrorMetadata::message(self)
            }

            /// The request id (`x-amzn-RequestId`) of the response, if the service sent one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                crate::runtime::ErrorMetadata::request_id(self)
            }
        }

        impl ::std::fmt::Display for #err {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(crate::runtime::error::ErrorEnum::held(self).1, f)
            }
        }

        impl ::std::error::Error for #err {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::option::Option::Some(crate::runtime::error::ErrorEnum::held(self).1)
            }
        }

        impl ::std::convert::From<crate::runtime::UnhandledError> for #err {
            fn from(e: crate::runtime::UnhandledError) -> Self {
                Self::Unhandled(e)
            }
        }

        #(#froms)*
    }
}
