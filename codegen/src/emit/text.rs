//! Members as text: the guard running a member's statements only when it is
//! set (required, label and idempotency-token members handled), and the
//! conversions between a scalar and its text in a URI, query string, header
//! or XML attribute, shared by the HTTP bindings and the XML codec.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::*;
use crate::ir::*;

/// `body` (which reads the member as `v: &T`) run when the member is set;
/// an unset one is refused when required (or always, for a label), filled
/// with a fresh token when it is an idempotency token, else skipped.
pub(super) fn with_value(
    s: &Struct,
    f: &Field,
    this: &TokenStream,
    body: TokenStream,
    label: bool,
) -> TokenStream {
    let n = ident(&f.name);
    if !f.optional {
        return quote! {
            {
                let v = &#this.#n;
                #body
            }
        };
    }
    let shape = &s.shape_name;
    let member = &f.wire_name;
    if f.idempotency_token {
        return quote! {
            {
                let token;
                let v = match &#this.#n {
                    ::std::option::Option::Some(v) => v,
                    ::std::option::Option::None => {
                        token = crate::runtime::new_idempotency_token();
                        &token
                    }
                };
                #body
            }
        };
    }
    if f.required || label {
        return quote! {
            match &#this.#n {
                ::std::option::Option::Some(v) => { #body }
                ::std::option::Option::None => {
                    return ::std::result::Result::Err(crate::runtime::EncodeError::MissingRequired { shape: #shape, member: #member });
                }
            }
        };
    }
    quote! {
        if let ::std::option::Option::Some(v) = &#this.#n {
            #body
        }
    }
}

/// A `String` expression: the value `v` (a reference) as text in a URI,
/// query or header.
pub(super) fn text_expr(
    ty: &Type,
    v: &TokenStream,
    format: TimestampFormat,
    base64: bool,
) -> TokenStream {
    match ty {
        Type::String if base64 => quote!(crate::runtime::rest::base64_text(#v.as_bytes())),
        Type::String => quote!(::std::string::String::from(#v.as_str())),
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => quote!(::std::string::String::from(#v.as_str())),
        Type::Named(TypeRef {
            kind: NamedKind::IntEnum,
            ..
        }) => quote!(#v.value().to_string()),
        Type::Boolean | Type::Byte | Type::Short | Type::Integer | Type::Long => {
            quote!(#v.to_string())
        }
        Type::BigInteger | Type::BigDecimal => quote!(::std::string::String::from(#v.as_str())),
        Type::Float | Type::Double => quote!(crate::runtime::number::float_text(*#v)),
        Type::Timestamp(_) => {
            let f = ts_format(format);
            quote!(crate::runtime::rest::timestamp_text(*#v, #f))
        }
        Type::Blob => quote!(crate::runtime::rest::base64_text(#v.as_bytes())),
        // Lowering binds only scalars (and lists of them) to text.
        Type::Document
        | Type::ByteStream
        | Type::EventStream(_)
        | Type::EventSender(_)
        | Type::Named(_)
        | Type::List { .. }
        | Type::Map { .. } => {
            quote!(::std::string::String::new())
        }
    }
}

/// A `Result<T, DecodeError>` expression: the header text `h` (a `&str`)
/// read as `ty`.
pub(super) fn parse_text(
    ty: &Type,
    name: &str,
    h: &TokenStream,
    format: TimestampFormat,
    base64: bool,
) -> TokenStream {
    let rest = quote!(crate::runtime::rest);
    let ok =
        |e: TokenStream| quote!(::std::result::Result::<_, crate::runtime::DecodeError>::Ok(#e));
    match ty {
        Type::String if base64 => quote!(#rest::parse_base64_text(#name, #h)),
        Type::String => ok(quote!(::std::string::String::from(#h))),
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            name: n,
            ..
        }) => {
            let t = named(n, Scope::Sibling);
            ok(quote!(#t::from(#h.trim())))
        }
        Type::Named(TypeRef {
            kind: NamedKind::IntEnum,
            name: n,
            ..
        }) => {
            let t = named(n, Scope::Sibling);
            quote!(#rest::parse_int::<i32>(#name, #h).map(#t::from))
        }
        Type::Boolean => quote!(#rest::parse_bool(#name, #h)),
        Type::Byte => quote!(#rest::parse_int::<i8>(#name, #h)),
        Type::Short => quote!(#rest::parse_int::<i16>(#name, #h)),
        Type::Integer => quote!(#rest::parse_int::<i32>(#name, #h)),
        Type::Long => quote!(#rest::parse_int::<i64>(#name, #h)),
        Type::Float => quote!(#rest::parse_float::<f32>(#name, #h)),
        Type::Double => quote!(#rest::parse_float::<f64>(#name, #h)),
        Type::BigInteger => quote!(#rest::parse_int::<crate::runtime::BigInteger>(#name, #h)),
        Type::BigDecimal => quote!(#rest::parse_float::<crate::runtime::BigDecimal>(#name, #h)),
        Type::Timestamp(_) => {
            let f = ts_format(format);
            quote!(#rest::parse_timestamp(#name, #h, #f))
        }
        Type::Blob => quote!(#rest::parse_base64(#name, #h).map(crate::runtime::Blob::new)),
        Type::Document
        | Type::ByteStream
        | Type::EventStream(_)
        | Type::EventSender(_)
        | Type::Named(_)
        | Type::List { .. }
        | Type::Map { .. } => {
            quote!(
                ::std::result::Result::<_, crate::runtime::DecodeError>::Err(
                    crate::runtime::DecodeError::new("not a header value", 0)
                )
            )
        }
    }
}
