//! Event streams (`application/vnd.amazon.eventstream`), whatever the
//! protocol: one `EventDecode` impl per event union a service's outputs
//! stream, in the service's `event_stream.rs`. An event's `@eventHeader` members
//! come from typed message headers; its `@eventPayload` member, or else its
//! other members, from the payload in the protocol's document format
//! (JSON, or XML for restXml).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::json::{de_result, read_inits, read_locals, read_members};
use super::tokens::*;
use crate::ir::*;

/// `impl EventDecode` of an event union: `:event-type` picks the variant,
/// `:exception-type` the modeled error; each event structure is read from
/// the message's headers and payload.
pub(super) fn event_decoder(svc: &Service, u: &Union) -> TokenStream {
    let name = named(&u.name, Scope::Sibling);
    let es = quote!(crate::runtime::eventstream);
    let xml = svc.protocol_info.body_format == BodyFormat::Xml;
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut readers = Vec::new();
    for (i, v) in u.variants.iter().enumerate() {
        let variant = ident(&v.name);
        let wire = &v.json_name;
        let Some(Type::Named(r)) = &v.ty else {
            if v.ty.is_none() {
                events.push(quote!(::std::option::Option::Some(#wire) => ::std::result::Result::Ok(Self::#variant),));
            }
            continue;
        };
        let Some(event) = svc.structure(r) else {
            continue;
        };
        let reader = format_ident!("read_event_{}", i);
        let body = event_struct(event, xml);
        let t = named(&event.name, Scope::Sibling);
        readers.push(quote! {
            fn #reader(message: &#es::Message<'_>) -> ::std::result::Result<#t, crate::runtime::DecodeError> {
                #body
            }
        });
        let mut read = quote!(#reader(message));
        if v.boxed {
            read = quote!(#read.map(::std::boxed::Box::new));
        }
        if event.error.is_some() {
            errors.push(quote! {
                ::std::option::Option::Some(#wire) => ::std::result::Result::Err(match #read {
                    ::std::result::Result::Ok(e) => #es::EventStreamError::Modeled(Self::#variant(e)),
                    ::std::result::Result::Err(why) => #es::EventStreamError::Malformed(why.to_string()),
                }),
            });
        } else {
            events.push(quote! {
                ::std::option::Option::Some(#wire) => #read
                    .map(Self::#variant)
                    .map_err(|why| #es::EventStreamError::Malformed(why.to_string())),
            });
        }
    }
    let exception = if errors.is_empty() {
        quote!(::std::result::Result::Err(#es::unmodeled_exception(message)))
    } else {
        quote! {
            match message.header_str(":exception-type") {
                #(#errors)*
                _ => ::std::result::Result::Err(#es::unmodeled_exception(message)),
            }
        }
    };
    quote! {
        impl #es::EventDecode for #name {
            fn decode_event(message: &#es::Message<'_>) -> ::std::result::Result<Self, #es::EventStreamError<Self>> {
                #(#readers)*
                if message.header_str(":message-type") == ::std::option::Option::Some("exception") {
                    return #exception;
                }
                match message.header_str(":event-type") {
                    #(#events)*
                    ::std::option::Option::Some(other) => ::std::result::Result::Ok(Self::Unknown(
                        crate::runtime::UnknownMember::new(other, crate::runtime::Document::Null),
                    )),
                    ::std::option::Option::None => ::std::result::Result::Err(
                        #es::EventStreamError::Malformed(::std::string::String::from("an event without :event-type")),
                    ),
                }
            }
        }
    }
}

/// The body of a function returning `Result<S, DecodeError>`: the event
/// structure `s` read from `message`: `@eventHeader` members from its
/// headers, an `@eventPayload` member from the payload, or the other
/// members from a JSON payload (an XML one when `xml`).
fn event_struct(s: &Struct, xml: bool) -> TokenStream {
    let es = quote!(crate::runtime::eventstream);
    let t = named(&s.name, Scope::Sibling);
    let inits = read_inits(s);
    let request_id_init = request_id_init(s);
    // Header and payload members are read as their locals are declared;
    // the others start unset and are filled from a JSON payload.
    let mut locals = Vec::new();
    let mut reads = Vec::new();
    for (f, local) in s.fields.iter().zip(read_locals(s)) {
        let l = format_ident!("f_{}", f.label);
        let mut t = rust_type(&f.ty, Scope::Sibling);
        if f.boxed {
            t = quote!(::std::boxed::Box<#t>);
        }
        match f.location {
            Location::EventHeader => {
                let name = &f.wire_name;
                let read = header_value(&f.ty);
                locals.push(quote! {
                    let #l: ::std::option::Option<#t> = #es::header(message, #name, #read)
                        .map_err(|why| crate::runtime::DecodeError::new(why, 0))?;
                });
            }
            Location::EventPayload => {
                let read = match &f.ty {
                    Type::Blob => quote! {
                        ::std::option::Option::Some(crate::runtime::Blob::new(message.payload.to_vec()))
                    },
                    Type::String => quote! {
                        ::std::option::Option::Some(
                            ::std::string::String::from_utf8(message.payload.to_vec())
                                .map_err(|_| crate::runtime::DecodeError::new("the event payload is not UTF-8", 0))?,
                        )
                    },
                    ty if xml => {
                        let de = super::xml::read_value(ty, quote!(root));
                        quote! {{
                            let document = crate::runtime::xml::parse(message.payload)?;
                            let root = &document;
                            ::std::option::Option::Some(#de?)
                        }}
                    }
                    ty => {
                        let de = de_result(ty, 0);
                        quote! {{
                            let mut reader = crate::runtime::JsonReader::new(message.payload);
                            let value = {
                                let r = &mut reader;
                                #de?
                            };
                            reader.finish()?;
                            ::std::option::Option::Some(value)
                        }}
                    }
                };
                let read = if f.boxed {
                    quote!(#read.map(::std::boxed::Box::new))
                } else {
                    read
                };
                locals.push(quote!(let #l: ::std::option::Option<#t> = #read;));
            }
            _ => locals.push(local),
        }
    }
    let implicit: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| !matches!(f.location, Location::EventHeader | Location::EventPayload))
        .collect();
    if !implicit.is_empty() && xml {
        let read = super::xml::read_members(s, &implicit, &quote!(root));
        reads.push(quote! {
            if !crate::runtime::JsonReader::is_blank(message.payload) {
                let document = crate::runtime::xml::parse(message.payload)?;
                let root = &document;
                #read
            }
        });
    } else if !implicit.is_empty() {
        let read = read_members(s, implicit.iter().copied());
        reads.push(quote! {
            if !crate::runtime::JsonReader::is_blank(message.payload) {
                let mut r = crate::runtime::JsonReader::new(message.payload);
                #read
                r.finish()?;
            }
        });
    }
    let unused = if s.fields.is_empty() {
        quote!(let _ = message;)
    } else {
        quote!()
    };
    quote! {
        #unused
        #(#locals)*
        #(#reads)*
        ::std::result::Result::Ok(#t { #(#inits,)* #request_id_init })
    }
}

/// The reader of an `@eventHeader` value of type `ty`: a closure from a
/// `&HeaderValue` to `Option<T>` (`None`: the header has another type).
fn header_value(ty: &Type) -> TokenStream {
    let hv = quote!(crate::runtime::eventstream::HeaderValue);
    match ty {
        Type::Boolean => {
            quote!(|v: &#hv<'_>| match v { #hv::Bool(b) => ::std::option::Option::Some(*b), _ => ::std::option::Option::None })
        }
        Type::Byte => {
            quote!(|v: &#hv<'_>| match v { #hv::Byte(x) => ::std::option::Option::Some(*x), _ => ::std::option::Option::None })
        }
        Type::Short => {
            quote!(|v: &#hv<'_>| match v { #hv::Short(x) => ::std::option::Option::Some(*x), _ => ::std::option::Option::None })
        }
        Type::Integer => {
            quote!(|v: &#hv<'_>| match v { #hv::Int(x) => ::std::option::Option::Some(*x), _ => ::std::option::Option::None })
        }
        Type::Long => {
            quote!(|v: &#hv<'_>| match v { #hv::Long(x) => ::std::option::Option::Some(*x), _ => ::std::option::Option::None })
        }
        Type::Blob => {
            quote!(|v: &#hv<'_>| match v { #hv::Bytes(x) => ::std::option::Option::Some(crate::runtime::Blob::new(x.to_vec())), _ => ::std::option::Option::None })
        }
        Type::String => {
            quote!(|v: &#hv<'_>| match v { #hv::String(x) => ::std::option::Option::Some(::std::string::String::from(*x)), _ => ::std::option::Option::None })
        }
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            name: n,
            ..
        }) => {
            let t = named(n, Scope::Sibling);
            quote!(|v: &#hv<'_>| match v { #hv::String(x) => ::std::option::Option::Some(#t::from(*x)), _ => ::std::option::Option::None })
        }
        Type::Timestamp(_) => quote!(crate::runtime::eventstream::header_timestamp),
        // Lowering gives headers scalar types; anything else never matches.
        _ => quote!(|_: &#hv<'_>| ::std::option::Option::<()>::None),
    }
}
