//! The query protocols' form encoding (`QuerySerialize`): the writer of
//! every structure and union of an awsQuery or ec2Query service, keys
//! `Name.member.N` or `Name.N` as the protocol's rules say.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::tokens::*;
use crate::ir::*;

/// Statements writing `v` (a reference to a value of `ty`) under the key in
/// the `String` variable `k`. `flattened` applies to a list or map held
/// directly by a member.
fn ser_value(
    rules: &ProtocolInfo,
    ty: &Type,
    v: TokenStream,
    k: &proc_macro2::Ident,
    flattened: bool,
    depth: usize,
) -> TokenStream {
    let q = quote!(crate::runtime::query);
    match ty {
        Type::String => quote!(w.param(&#k, #v);),
        Type::Boolean => quote!(w.param(&#k, #q::fmt_bool(*#v));),
        Type::Byte | Type::Short | Type::Integer | Type::Long => {
            quote!(w.param(&#k, &#v.to_string());)
        }
        Type::Float => quote!(w.param(&#k, &crate::runtime::number::float_text(*#v));),
        Type::Double => quote!(w.param(&#k, &crate::runtime::number::float_text(*#v));),
        Type::BigInteger | Type::BigDecimal => quote!(w.param(&#k, #v.as_str());),
        Type::Blob => quote!(w.param(&#k, &crate::runtime::blob::encode_base64(#v.as_bytes()));),
        Type::Timestamp(fmt) => {
            let f = ts_format(*fmt);
            quote!(w.param(&#k, &#v.format(#f));)
        }
        // Lowering refuses streams outside the REST protocols.
        Type::EventStream(_) | Type::EventSender(_) | Type::ByteStream => quote! {
            let _ = #v;
            return ::std::result::Result::Err(crate::runtime::EncodeError::InvalidValue {
                shape: "EventStream",
                message: ::std::string::String::from("an event stream cannot be sent as query parameters"),
            });
        },
        // Lowering refuses documents on query protocols.
        Type::Document => quote! {
            let _ = #v;
            return ::std::result::Result::Err(crate::runtime::EncodeError::InvalidValue {
                shape: "Document",
                message: ::std::string::String::from("a document cannot be sent as query parameters"),
            });
        },
        Type::Named(TypeRef {
            kind: NamedKind::Struct | NamedKind::Union,
            ..
        }) => quote!(#q::QuerySerialize::write_query(#v, w, &#k)?;),
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => quote!(w.param(&#k, #v.as_str());),
        Type::Named(TypeRef {
            kind: NamedKind::IntEnum,
            ..
        }) => quote!(w.param(&#k, &#v.value().to_string());),
        Type::List {
            member,
            sparse,
            member_name,
            ..
        } => {
            let item = format_ident!("item{}", depth);
            let ik = format_ident!("k{}", depth + 1);
            let inner = ser_value(rules, member, quote!(#item), &ik, false, depth + 1);
            let key = if flattened || rules.flat_query_lists {
                quote!(::std::format!("{}.{}", #k, i + 1))
            } else {
                quote!(::std::format!("{}.{}.{}", #k, #member_name, i + 1))
            };
            let empty = if rules.empty_query_lists {
                quote! {
                    if #v.is_empty() {
                        w.param(&#k, "");
                    }
                }
            } else {
                quote!()
            };
            let body = if *sparse {
                quote!(if let ::std::option::Option::Some(#item) = #item { #inner })
            } else {
                inner
            };
            quote! {
                #empty
                for (i, #item) in #v.iter().enumerate() {
                    let #ik = #key;
                    #body
                }
            }
        }
        Type::Map {
            value,
            sparse,
            key_name,
            value_name,
            ..
        } => {
            let mk = format_ident!("key{}", depth);
            let mv = format_ident!("value{}", depth);
            let vk = format_ident!("k{}", depth + 1);
            let inner = ser_value(rules, value, quote!(#mv), &vk, false, depth + 1);
            let base = if flattened {
                quote!(::std::format!("{}.{}", #k, i + 1))
            } else {
                quote!(::std::format!("{}.entry.{}", #k, i + 1))
            };
            let body = if *sparse {
                quote!(if let ::std::option::Option::Some(#mv) = #mv { #inner })
            } else {
                inner
            };
            quote! {
                for (i, (#mk, #mv)) in #v.iter().enumerate() {
                    let base = #base;
                    w.param(&::std::format!("{}.{}", base, #key_name), #mk.as_str());
                    let #vk = ::std::format!("{}.{}", base, #value_name);
                    #body
                }
            }
        }
    }
}

/// `impl QuerySerialize` of a structure: each member set written under its
/// key (a required one refused when unset, an idempotency token filled).
pub(super) fn emit_struct(rules: &ProtocolInfo, s: &Struct) -> TokenStream {
    let name = named(&s.name, Scope::Sibling);
    let shape = &s.shape_name;
    let k = format_ident!("k0");
    let ser_fields = s.fields.iter().map(|f| member(rules, shape, f, &k));
    let body = if s.fields.is_empty() {
        quote!(let _ = (self, w, prefix);)
    } else {
        quote!(#(#ser_fields)*)
    };
    quote! {
        impl crate::runtime::query::QuerySerialize for #name {
            fn write_query(&self, w: &mut crate::runtime::query::QueryWriter, prefix: &str) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                #body
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// The statements writing the member `f` of `self` under the key `k`.
fn member(rules: &ProtocolInfo, shape: &str, f: &Field, k: &Ident) -> TokenStream {
    let n = ident(&f.name);
    let query = &f.query_name;
    let wire = &f.wire_name;
    let unbox = if f.boxed {
        quote!(let v = &**v;)
    } else {
        quote!()
    };
    let ser = ser_value(rules, &f.ty, quote!(v), k, f.flattened, 0);
    let key = quote!(let #k = crate::runtime::query::QueryWriter::key(prefix, #query););
    if !f.optional {
        return quote! {
            {
                let v = &self.#n;
                #unbox
                #key
                #ser
            }
        };
    }
    if !f.idempotency_token && !f.required {
        return quote! {
            if let ::std::option::Option::Some(v) = &self.#n {
                #unbox
                #key
                #ser
            }
        };
    }
    let missing = if f.idempotency_token {
        quote! {
            ::std::option::Option::None => {
                #key
                w.param(&#k, &crate::runtime::new_idempotency_token());
            }
        }
    } else {
        quote! {
            ::std::option::Option::None => {
                return ::std::result::Result::Err(crate::runtime::EncodeError::MissingRequired { shape: #shape, member: #wire });
            }
        }
    };
    quote! {
        match &self.#n {
            ::std::option::Option::Some(v) => {
                #unbox
                #key
                #ser
            }
            #missing
        }
    }
}

/// `impl QuerySerialize` of a union: its one variant under its key.
pub(super) fn emit_union(rules: &ProtocolInfo, u: &Union) -> TokenStream {
    let name = named(&u.name, Scope::Sibling);
    let shape = &u.shape_name;
    let k = format_ident!("k0");
    let ser_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let wire = &v.wire_name;
        let key = quote!(let #k = crate::runtime::query::QueryWriter::key(prefix, #wire););
        match &v.ty {
            None => quote!(Self::#n => { #key w.param(&#k, ""); }),
            Some(t) => {
                let unbox = if v.boxed {
                    quote!(let v = &**v;)
                } else {
                    quote!()
                };
                let ser = ser_value(rules, t, quote!(v), &k, false, 0);
                quote!(Self::#n(v) => { #unbox #key #ser })
            }
        }
    });
    quote! {
        impl crate::runtime::query::QuerySerialize for #name {
            fn write_query(&self, w: &mut crate::runtime::query::QueryWriter, prefix: &str) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                match self {
                    #(#ser_arms)*
                    Self::Unknown(_) => {
                        return ::std::result::Result::Err(crate::runtime::EncodeError::UnknownUnionVariant { shape: #shape });
                    }
                }
                ::std::result::Result::Ok(())
            }
        }
    }
}
