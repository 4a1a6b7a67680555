//! `query.rs` of a service on a query protocol (awsQuery): the
//! form-encoding serializer (`QuerySerialize`) of every structure and union,
//! and the XML reader (`XmlDeserialize`) of every type. The JSON codecs of
//! `json.rs` stay: they are the types' `Json` and serde form on every
//! protocol.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::json::{read_inits, read_locals};
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
        Type::Float => quote!(w.param(&#k, &#q::fmt_f32(*#v));),
        Type::Double => quote!(w.param(&#k, &#q::fmt_f64(*#v));),
        Type::BigInteger | Type::BigDecimal => quote!(w.param(&#k, #v.as_str());),
        Type::Blob => quote!(w.param(&#k, &crate::runtime::blob::encode_base64(#v.as_bytes()));),
        Type::Timestamp(fmt) => {
            let f = ts_format(*fmt);
            quote!(w.param(&#k, &#v.format(#f));)
        }
        // Lowering refuses streams outside the REST protocols.
        Type::EventStream(_) | Type::ByteStream => quote! {
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

/// An expression reading a value of `ty` from the element `n`: a
/// `Result<T, DecodeError>`.
fn de_value(ty: &Type, n: TokenStream, depth: usize) -> TokenStream {
    let x = quote!(crate::runtime::xml);
    match ty {
        Type::String
        | Type::Boolean
        | Type::Float
        | Type::Double
        | Type::Blob
        | Type::Named(TypeRef {
            kind: NamedKind::Struct | NamedKind::Union,
            ..
        }) => {
            let read = de_fn(ty, depth);
            quote!(#read(#n))
        }
        Type::Byte => quote!(#x::read_int::<i8>(#n, "i8")),
        Type::Short => quote!(#x::read_int::<i16>(#n, "i16")),
        Type::Integer => quote!(#x::read_int::<i32>(#n, "i32")),
        Type::Long => quote!(#x::read_int::<i64>(#n, "i64")),
        Type::BigInteger => {
            quote!(#n.text().trim().parse::<crate::runtime::BigInteger>().map_err(|_| #n.error("expected an integer")))
        }
        Type::BigDecimal => {
            quote!(#n.text().trim().parse::<crate::runtime::BigDecimal>().map_err(|_| #n.error("expected a decimal number")))
        }
        Type::Timestamp(fmt) => {
            let f = ts_format(*fmt);
            quote!(#x::read_timestamp(#n, #f))
        }
        Type::EventStream(_) => {
            quote!(::std::result::Result::<crate::runtime::eventstream::EventStream<_>, _>::Err(#n.error("event streams cannot be read from XML")))
        }
        Type::ByteStream => {
            quote!(::std::result::Result::<crate::runtime::ByteStream, _>::Err(#n.error("streamed bodies cannot be read from XML")))
        }
        Type::Document => {
            quote!(::std::result::Result::<crate::runtime::Document, _>::Err(#n.error("documents cannot be read from XML")))
        }
        Type::Named(TypeRef {
            name,
            kind: NamedKind::Enum,
            ..
        }) => {
            let t = named(name, Scope::Sibling);
            quote!(#x::read_string(#n).map(#t::from))
        }
        Type::Named(TypeRef {
            name,
            kind: NamedKind::IntEnum,
            ..
        }) => {
            let t = named(name, Scope::Sibling);
            quote!(#x::read_int::<i32>(#n, "i32").map(#t::from))
        }
        Type::List {
            member,
            sparse,
            member_name,
            ..
        } => {
            let c = format_ident!("c{}", depth);
            let read = if *sparse {
                let item = de_item(member, true, quote!(#c), depth + 1);
                quote!(|#c| #item)
            } else {
                de_fn(member, depth + 1)
            };
            quote! {
                #n.children()
                    .iter()
                    .filter(|#c| #c.name() == #member_name)
                    .map(#read)
                    .collect::<::std::result::Result<::std::vec::Vec<_>, crate::runtime::DecodeError>>()
            }
        }
        Type::Map { .. } => {
            let e = format_ident!("e{}", depth);
            let entry = de_entry(ty, quote!(e), depth + 1);
            quote! {
                #n.children()
                    .iter()
                    .filter(|#e| #e.name() == "entry")
                    .map(|e| #entry)
                    .collect::<::std::result::Result<::std::collections::BTreeMap<_, _>, crate::runtime::DecodeError>>()
            }
        }
    }
}

/// A callable reading a value of `ty` from an element: the runtime's
/// reader itself where it is one function of the node, else a closure
/// around [`de_value`].
fn de_fn(ty: &Type, depth: usize) -> TokenStream {
    let x = quote!(crate::runtime::xml);
    match ty {
        Type::String => quote!(#x::read_string),
        Type::Boolean => quote!(#x::read_bool),
        Type::Float => quote!(#x::read_f32),
        Type::Double => quote!(#x::read_f64),
        Type::Blob => quote!(#x::read_blob),
        Type::Named(TypeRef {
            name,
            kind: NamedKind::Struct | NamedKind::Union,
            ..
        }) => {
            let t = named(name, Scope::Sibling);
            quote!(<#t as #x::XmlDeserialize>::read_xml)
        }
        _ => {
            let n = format_ident!("n{}", depth);
            let de = de_value(ty, quote!(#n), depth + 1);
            quote!(|#n| #de)
        }
    }
}

/// A list item: the value, or `Some` of it in a sparse list.
fn de_item(ty: &Type, sparse: bool, n: TokenStream, depth: usize) -> TokenStream {
    let de = de_value(ty, n, depth);
    if sparse {
        quote!(#de.map(::std::option::Option::Some))
    } else {
        de
    }
}

/// A map entry element `e` (children `key` and `value`, or their
/// `@xmlName`s) of the map type `ty`: a `Result<(K, V), DecodeError>`.
fn de_entry(ty: &Type, e: TokenStream, depth: usize) -> TokenStream {
    let Type::Map {
        key,
        value,
        sparse,
        key_name,
        value_name,
        ..
    } = ty
    else {
        return quote!(::std::result::Result::Err(#e.error("not a map")));
    };
    let k = de_fn(key, depth);
    let v = if *sparse {
        let v = de_item(value, true, quote!(v), depth);
        quote!(|v| #v)
    } else {
        de_fn(value, depth)
    };
    quote! {
        crate::runtime::xml::read_entry(#e, #key_name, #value_name, #k, #v)
    }
}

/// `QuerySerialize` and `XmlDeserialize` of a type.
pub(super) fn emit_codec(rules: &ProtocolInfo, t: &TypeDef) -> TokenStream {
    match t {
        TypeDef::Struct(s) => emit_struct(rules, s),
        TypeDef::Union(u) => emit_union(rules, u),
        TypeDef::Enum(e) => emit_enum(rules, e),
    }
}

fn emit_enum(rules: &ProtocolInfo, e: &Enum) -> TokenStream {
    let ser = if rules.protocol.is_query() {
        TokenStream::new()
    } else {
        super::xml::emit_serializer(&TypeDef::Enum(e.clone()))
    };
    let name = ident(&e.name);
    let read = if e.int {
        quote!(crate::runtime::xml::read_int::<i32>(node, "i32").map(Self::from))
    } else {
        quote!(crate::runtime::xml::read_string(node).map(Self::from))
    };
    quote! {
        #ser
        impl crate::runtime::xml::XmlDeserialize for super::#name {
            fn read_xml(node: &crate::runtime::xml::XmlNode<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #read
            }
        }
    }
}

fn emit_struct(rules: &ProtocolInfo, s: &Struct) -> TokenStream {
    let name = named(&s.name, Scope::Sibling);
    let shape = &s.shape_name;
    let k = format_ident!("k0");
    let ser_fields = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let query = &f.query_name;
        let wire = &f.wire_name;
        let unbox = if f.boxed { quote!(let v = &**v;) } else { quote!() };
        let ser = ser_value(rules, &f.ty, quote!(v), &k, f.flattened, 0);
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
    });
    let locals = read_locals(s);
    let fields: Vec<&Field> = s.fields.iter().collect();
    let dispatch = read_members(s, &fields, &quote!(node));
    let inits = read_inits(s);
    let request_id_init = request_id_init(s);
    let (ser_body, read) = if s.fields.is_empty() {
        (
            quote!(let _ = (self, w, prefix);),
            quote! {
                let _ = node;
                ::std::result::Result::Ok(Self { #request_id_init })
            },
        )
    } else {
        (
            quote!(#(#ser_fields)*),
            quote! {
                #(#locals)*
                #dispatch
                ::std::result::Result::Ok(Self { #(#inits,)* #request_id_init })
            },
        )
    };
    let ser = if rules.protocol.is_query() {
        quote! {
            impl crate::runtime::query::QuerySerialize for #name {
                fn write_query(&self, w: &mut crate::runtime::query::QueryWriter, prefix: &str) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                    #ser_body
                    ::std::result::Result::Ok(())
                }
            }
        }
    } else {
        super::xml::emit_serializer(&TypeDef::Struct(s.clone()))
    };
    quote! {
        #ser
        impl crate::runtime::xml::XmlDeserialize for #name {
            fn read_xml(node: &crate::runtime::xml::XmlNode<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #read
            }
        }
    }
}

/// Statements filling the `f_` locals of `fields` (members of `s`) from the
/// element `node`: attribute members from its attributes, the others from
/// its children, by XML name (a flattened list or map from every child of
/// that name).
pub(super) fn read_members(s: &Struct, fields: &[&Field], node: &TokenStream) -> TokenStream {
    let shape = &s.shape_name;
    let mut attributes = Vec::new();
    // (element name, statement reading it) per member.
    let mut arms: Vec<(String, TokenStream)> = Vec::new();
    for f in fields {
        let l = format_ident!("f_{}", f.label);
        let wire = &f.wire_name;
        let in_member = quote!(.map_err(|e| e.in_member(#shape, #wire))?);
        if f.xml_attribute {
            let name = &f.xml_name;
            let parse =
                super::rest::parse_text(&f.ty, name, &quote!(a), timestamp_format(&f.ty), false);
            attributes.push(quote! {
                if let ::std::option::Option::Some(a) = #node.attribute(#name) {
                    #l = ::std::option::Option::Some(#parse #in_member);
                }
            });
            continue;
        }
        let read = match (&f.ty, f.flattened) {
            (Type::List { member, sparse, .. }, true) => {
                let item = de_item(member, *sparse, quote!(c), 1);
                quote!(#l.get_or_insert_with(::std::vec::Vec::new).push(#item #in_member);)
            }
            (ty @ Type::Map { .. }, true) => {
                let entry = de_entry(ty, quote!(c), 1);
                quote! {
                    let (k, v) = #entry #in_member;
                    #l.get_or_insert_with(::std::collections::BTreeMap::new).insert(k, v);
                }
            }
            (ty, _) => {
                let mut de = de_value(ty, quote!(c), 1);
                if f.boxed {
                    de = quote!(#de.map(::std::boxed::Box::new));
                }
                quote!(#l = ::std::option::Option::Some(#de #in_member);)
            }
        };
        arms.push((f.xml_name.clone(), read));
    }
    let dispatch = match arms.as_slice() {
        [] => quote!(),
        [(xml, read)] => quote! {
            for c in #node.children() {
                if c.name() == #xml {
                    #read
                }
            }
        },
        _ => {
            let arms = arms.iter().map(|(xml, read)| quote!(#xml => { #read }));
            quote! {
                for c in #node.children() {
                    match c.name() {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        }
    };
    quote! {
        #(#attributes)*
        #dispatch
    }
}

/// A `Result<T, DecodeError>` expression reading a value of `ty` from the
/// element `n`.
pub(super) fn read_value(ty: &Type, n: TokenStream) -> TokenStream {
    de_value(ty, n, 1)
}

/// The format of a timestamp type (date-time for anything else).
fn timestamp_format(ty: &Type) -> TimestampFormat {
    match ty {
        Type::Timestamp(f) => *f,
        _ => TimestampFormat::DateTime,
    }
}

fn emit_union(rules: &ProtocolInfo, u: &Union) -> TokenStream {
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
    let de_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let wire = &v.wire_name;
        match &v.ty {
            None => quote!(#wire => Self::#n,),
            Some(t) => {
                let mut de = de_value(t, quote!(c), 1);
                if v.boxed {
                    de = quote!(#de.map(::std::boxed::Box::new));
                }
                quote!(#wire => Self::#n(#de.map_err(|e| e.in_member(#shape, #wire))?),)
            }
        }
    });
    let no_member = format!("union `{shape}` has no member set");
    let two_members = format!("union `{shape}` has more than one member set");
    let ser = if rules.protocol.is_query() {
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
    } else {
        super::xml::emit_serializer(&TypeDef::Union(u.clone()))
    };
    quote! {
        #ser
        impl crate::runtime::xml::XmlDeserialize for #name {
            fn read_xml(node: &crate::runtime::xml::XmlNode<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                let mut members = node.children().iter();
                let c = members.next().ok_or_else(|| node.error(#no_member))?;
                if members.next().is_some() {
                    return ::std::result::Result::Err(node.error(#two_members));
                }
                ::std::result::Result::Ok(match c.name() {
                    #(#de_arms)*
                    other => Self::Unknown(crate::runtime::UnknownMember::new(
                        other,
                        crate::runtime::Document::String(c.text().to_owned()),
                    )),
                })
            }
        }
    }
}
