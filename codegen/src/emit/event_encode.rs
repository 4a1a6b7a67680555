//! Input event streams: one `EventEncode` impl per event union a service's
//! inputs stream, in the service's `event_stream.rs`. A variant becomes one
//! message: `:message-type` `event` and `:event-type` its name (or
//! `exception` and `:exception-type` for a modeled error), its event's
//! `@eventHeader` members as typed headers, and as payload its
//! `@eventPayload` member (a blob as `application/octet-stream`, a string
//! as `text/plain`, anything else as JSON) or, when it has other members,
//! those as a JSON object.

use proc_macro2::TokenStream;
use quote::quote;

use super::json::{ser_field, ser_value};
use super::tokens::*;
use crate::ir::*;

/// `impl EventEncode` of an event union.
pub(super) fn event_encoder(svc: &Service, u: &Union) -> TokenStream {
    let name = named(&u.name, Scope::Sibling);
    let shape = &u.shape_name;
    let es = quote!(crate::runtime::eventstream);
    let mut arms = Vec::new();
    for v in &u.variants {
        let variant = ident(&v.name);
        let wire = &v.json_name;
        let event = match &v.ty {
            None => {
                arms.push(quote! {
                    Self::#variant => crate::runtime::event_sender::encode_message(#shape, &[
                        (":message-type", #es::HeaderValue::String("event")),
                        (":event-type", #es::HeaderValue::String(#wire)),
                    ], &[]),
                });
                continue;
            }
            Some(Type::Named(r)) => svc.structure(r),
            Some(_) => None,
        };
        let Some(event) = event else {
            // Lowering gives event unions structure members only.
            arms.push(quote! {
                Self::#variant(_) => ::std::result::Result::Err(crate::runtime::EncodeError::InvalidValue {
                    shape: #shape,
                    message: ::std::string::String::from("this event is not a structure"),
                }),
            });
            continue;
        };
        let body = event_message(event, wire, shape);
        let bind = if event.fields.is_empty() {
            quote!(_)
        } else {
            quote!(e)
        };
        arms.push(quote! {
            Self::#variant(#bind) => {
                #body
            }
        });
    }
    quote! {
        impl crate::runtime::event_sender::EventEncode for #name {
            fn encode_event(&self) -> ::std::result::Result<::std::vec::Vec<u8>, crate::runtime::EncodeError> {
                #[allow(unused_imports)]
                use crate::runtime::JsonSerialize as _;
                match self {
                    #(#arms)*
                    Self::Unknown(_) => ::std::result::Result::Err(
                        crate::runtime::EncodeError::UnknownUnionVariant { shape: #shape },
                    ),
                }
            }
        }
    }
}

/// The statements framing the event structure `e` (of `s`) as the message
/// of variant `wire`: headers, then payload.
fn event_message(s: &Struct, wire: &str, union_shape: &str) -> TokenStream {
    let es = quote!(crate::runtime::eventstream);
    let (kind, type_header) = if s.error.is_some() {
        ("exception", ":exception-type")
    } else {
        ("event", ":event-type")
    };
    let payload_field = s
        .fields
        .iter()
        .find(|f| f.location == Location::EventPayload);
    let implicit: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| !matches!(f.location, Location::EventHeader | Location::EventPayload))
        .collect();
    // The payload and its content type (`None`: the event has no payload).
    let payload = match payload_field {
        Some(f) => explicit_payload(s, f),
        None if implicit.is_empty() => quote! {
            let payload: ::std::option::Option<(&str, ::std::vec::Vec<u8>)> = ::std::option::Option::None;
        },
        None => {
            let members = implicit.iter().map(|f| ser_field(s, f, &quote!(e)));
            quote! {
                let mut writer = crate::runtime::JsonWriter::new();
                {
                    let w = &mut writer;
                    w.begin_object();
                    #(#members)*
                    w.end_object();
                }
                let payload = ::std::option::Option::Some(("application/json", writer.into_string().into_bytes()));
            }
        }
    };
    let headers = s
        .fields
        .iter()
        .filter(|f| f.location == Location::EventHeader)
        .map(|f| {
            let n = ident(&f.name);
            let name = &f.wire_name;
            let value = header_value(&f.ty, quote!(v));
            if f.optional {
                quote! {
                    if let ::std::option::Option::Some(v) = &e.#n {
                        headers.push((#name, #value));
                    }
                }
            } else {
                quote! {
                    let v = &e.#n;
                    headers.push((#name, #value));
                }
            }
        });
    quote! {
        #payload
        let mut headers: ::std::vec::Vec<(&str, #es::HeaderValue<'_>)> = ::std::vec![
            (":message-type", #es::HeaderValue::String(#kind)),
            (#type_header, #es::HeaderValue::String(#wire)),
        ];
        if let ::std::option::Option::Some((content_type, _)) = &payload {
            headers.push((":content-type", #es::HeaderValue::String(content_type)));
        }
        #(#headers)*
        let bytes = payload.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
        crate::runtime::event_sender::encode_message(#union_shape, &headers, bytes)
    }
}

/// The statement binding `payload` to the `@eventPayload` member `f` of
/// `s`, with its content type; an unset member sends no payload.
fn explicit_payload(s: &Struct, f: &Field) -> TokenStream {
    let n = ident(&f.name);
    // Bytes and text cannot fail; a document's writer can (`?`).
    let fallible = !matches!(f.ty, Type::Blob | Type::String);
    let (content_type, bytes) = match &f.ty {
        Type::Blob => ("application/octet-stream", quote!(v.as_bytes().to_vec())),
        Type::String => ("text/plain", quote!(v.as_bytes().to_vec())),
        ty => {
            let ser = ser_value(ty, quote!(v), 0);
            (
                "application/json",
                quote! {{
                    let mut writer = crate::runtime::JsonWriter::new();
                    {
                        let w = &mut writer;
                        #ser
                    }
                    writer.into_string().into_bytes()
                }},
            )
        }
    };
    let shape = &s.shape_name;
    let member = &f.wire_name;
    let value = if f.optional {
        quote!(e.#n.as_ref())
    } else {
        quote!(::std::option::Option::Some(&e.#n))
    };
    let missing = if f.required && f.optional {
        quote! {
            if e.#n.is_none() {
                return ::std::result::Result::Err(crate::runtime::EncodeError::MissingRequired { shape: #shape, member: #member });
            }
        }
    } else {
        quote!()
    };
    let bind = if fallible {
        quote! {
            let payload = match #value {
                ::std::option::Option::Some(v) => ::std::option::Option::Some((#content_type, #bytes)),
                ::std::option::Option::None => ::std::option::Option::None,
            };
        }
    } else {
        quote!(let payload = #value.map(|v| (#content_type, #bytes));)
    };
    quote! {
        #missing
        #bind
    }
}

/// The `HeaderValue` of an `@eventHeader` value `v` (a reference) of type
/// `ty`.
fn header_value(ty: &Type, v: TokenStream) -> TokenStream {
    let hv = quote!(crate::runtime::eventstream::HeaderValue);
    match ty {
        Type::Boolean => quote!(#hv::Bool(*#v)),
        Type::Byte => quote!(#hv::Byte(*#v)),
        Type::Short => quote!(#hv::Short(*#v)),
        Type::Integer => quote!(#hv::Int(*#v)),
        Type::Long => quote!(#hv::Long(*#v)),
        Type::Blob => quote!(#hv::Bytes(#v.as_bytes())),
        Type::Timestamp(_) => quote!(crate::runtime::event_sender::timestamp_header(*#v)),
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => quote!(#hv::String(#v.as_str())),
        // Lowering gives headers scalar types: strings here.
        _ => quote!(#hv::String(#v.as_str())),
    }
}
