//! The XML codec: `XmlSerialize` of every structure, union and enum of a
//! restXml service (and the statements writing a structure's members, which
//! the request builder reuses for an input's body members), and
//! `XmlDeserialize` of every type of a service whose responses are XML
//! (restXml, awsQuery, ec2Query).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::json::{read_inits, read_locals};
use super::text::{parse_text, with_value};
use super::tokens::*;
use crate::ir::*;

/// A `&str` expression: the text of the scalar `v` (a reference).
pub(super) fn text(ty: &Type, v: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(#v.as_str()),
        Type::Boolean => quote!(if *#v { "true" } else { "false" }),
        Type::Byte | Type::Short | Type::Integer | Type::Long => quote!(&#v.to_string()),
        Type::Float | Type::Double => quote!(&crate::runtime::number::float_text(*#v)),
        Type::BigInteger | Type::BigDecimal => quote!(#v.as_str()),
        Type::Blob => quote!(&crate::runtime::blob::encode_base64(#v.as_bytes())),
        Type::Timestamp(fmt) => {
            let f = ts_format(*fmt);
            quote!(&#v.format(#f))
        }
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => quote!(#v.as_str()),
        Type::Named(TypeRef {
            kind: NamedKind::IntEnum,
            ..
        }) => quote!(&#v.value().to_string()),
        // Not text: written as elements (documents are refused by lowering).
        Type::Named(_)
        | Type::Document
        | Type::ByteStream
        | Type::EventStream(_)
        | Type::EventSender(_)
        | Type::List { .. }
        | Type::Map { .. } => quote!(""),
    }
}

/// Statements writing `v` (a reference to a value of `ty`) as the element
/// `name` (a `&str` expression); a `flattened` list or map writes its
/// items in place, each named `name`.
pub(super) fn ser_value(
    ty: &Type,
    v: &TokenStream,
    name: &TokenStream,
    flattened: bool,
    depth: usize,
) -> TokenStream {
    match ty {
        Type::Named(TypeRef {
            kind: NamedKind::Struct | NamedKind::Union,
            ..
        }) => quote!(crate::runtime::xml::XmlSerialize::write_xml(#v, w, #name)?;),
        Type::List {
            member,
            sparse,
            member_name,
            member_namespace,
        } => {
            let item = format_ident!("item{}", depth);
            let items = if *sparse {
                quote!(#v.iter().flatten())
            } else {
                quote!(#v.iter())
            };
            if flattened {
                let inner = ser_value(member, &quote!(#item), name, false, depth + 1);
                quote! {
                    for #item in #items {
                        #inner
                    }
                }
            } else {
                let inner = ser_value(
                    member,
                    &quote!(#item),
                    &quote!(#member_name),
                    false,
                    depth + 1,
                );
                let ns = next_namespace(member_namespace);
                quote! {
                    w.start(#name);
                    for #item in #items {
                        #ns
                        #inner
                    }
                    w.end(#name);
                }
            }
        }
        Type::Map {
            value,
            sparse,
            key_name,
            value_name,
            key_namespace,
            value_namespace,
            ..
        } => {
            let k = format_ident!("key{}", depth);
            let val = format_ident!("value{}", depth);
            let inner = ser_value(value, &quote!(#val), &quote!(#value_name), false, depth + 1);
            let inner = if *sparse {
                quote! {
                    if let ::std::option::Option::Some(#val) = #val {
                        #inner
                    }
                }
            } else {
                inner
            };
            let key_ns = next_namespace(key_namespace);
            let value_ns = next_namespace(value_namespace);
            let entry = quote! {
                #key_ns
                w.element(#key_name, #k.as_str());
                #value_ns
                #inner
            };
            if flattened {
                quote! {
                    for (#k, #val) in #v.iter() {
                        w.start(#name);
                        #entry
                        w.end(#name);
                    }
                }
            } else {
                quote! {
                    w.start(#name);
                    for (#k, #val) in #v.iter() {
                        w.start("entry");
                        #entry
                        w.end("entry");
                    }
                    w.end(#name);
                }
            }
        }
        ty => {
            let t = text(ty, v);
            quote!(w.element(#name, #t);)
        }
    }
}

/// `w.next_namespace(..)` for a declared namespace, else nothing.
fn next_namespace(ns: &Option<(String, String)>) -> TokenStream {
    match ns {
        Some((prefix, uri)) => quote!(w.next_namespace(#prefix, #uri);),
        None => quote!(),
    }
}

/// Statements writing the members `fields` of the structure `s`, held by
/// `this`, into the element just started: attribute members first, then
/// the others as child elements. Unset members are left out; a required
/// one is refused, an idempotency token filled in.
pub(super) fn members(s: &Struct, fields: &[&Field], this: &TokenStream) -> TokenStream {
    let write = |f: &Field, attribute: bool| {
        let name = &f.xml_name;
        let unbox = if f.boxed {
            quote!(let v = &**v;)
        } else {
            quote!()
        };
        let ns = match &f.xml_namespace {
            Some((prefix, uri)) if !attribute => quote!(w.next_namespace(#prefix, #uri);),
            _ => quote!(),
        };
        let body = if attribute {
            let t = text(&f.ty, &quote!(v));
            quote!(w.attribute(#name, #t);)
        } else {
            ser_value(&f.ty, &quote!(v), &quote!(#name), f.flattened, 0)
        };
        with_value(s, f, this, quote!(#unbox #ns #body), false)
    };
    // A stream is no element of a document.
    let fields: Vec<&&Field> = fields
        .iter()
        .filter(|f| {
            !matches!(
                f.ty,
                Type::EventStream(_) | Type::EventSender(_) | Type::ByteStream
            )
        })
        .collect();
    let attributes = fields
        .iter()
        .filter(|f| f.xml_attribute)
        .map(|f| write(f, true));
    let elements = fields
        .iter()
        .filter(|f| !f.xml_attribute)
        .map(|f| write(f, false));
    quote! {
        #(#attributes)*
        #(#elements)*
    }
}

/// `XmlSerialize` of a type of a restXml service.
pub(super) fn emit_serializer(t: &TypeDef) -> TokenStream {
    match t {
        TypeDef::Struct(s) => {
            let name = named(&s.name, Scope::Sibling);
            let fields: Vec<&Field> = s.fields.iter().collect();
            let body = members(s, &fields, &quote!(self));
            // A structure's own `@xmlNamespace` is declared where it is a
            // document's root (by the request builder), not when nested.
            let ns = quote!();
            quote! {
                impl crate::runtime::xml::XmlSerialize for #name {
                    fn write_xml(&self, w: &mut crate::runtime::xml::XmlWriter, name: &str) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                        w.start(name);
                        #ns
                        #body
                        w.end(name);
                        ::std::result::Result::Ok(())
                    }
                }
            }
        }
        TypeDef::Union(u) => {
            let name = named(&u.name, Scope::Sibling);
            let shape = &u.shape_name;
            let arms = u.variants.iter().map(|v| {
                let n = ident(&v.name);
                let wire = &v.wire_name;
                match &v.ty {
                    None => quote!(Self::#n => w.element(#wire, ""),),
                    Some(t) => {
                        let unbox = if v.boxed {
                            quote!(let v = &**v;)
                        } else {
                            quote!()
                        };
                        let ser = ser_value(t, &quote!(v), &quote!(#wire), false, 0);
                        quote!(Self::#n(v) => { #unbox #ser })
                    }
                }
            });
            quote! {
                impl crate::runtime::xml::XmlSerialize for #name {
                    fn write_xml(&self, w: &mut crate::runtime::xml::XmlWriter, name: &str) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                        w.start(name);
                        match self {
                            #(#arms)*
                            Self::Unknown(_) => {
                                return ::std::result::Result::Err(crate::runtime::EncodeError::UnknownUnionVariant { shape: #shape });
                            }
                        }
                        w.end(name);
                        ::std::result::Result::Ok(())
                    }
                }
            }
        }
        TypeDef::Enum(e) => {
            let name = ident(&e.name);
            let t = if e.int {
                quote!(&self.value().to_string())
            } else {
                quote!(self.as_str())
            };
            quote! {
                impl crate::runtime::xml::XmlSerialize for super::#name {
                    fn write_xml(&self, w: &mut crate::runtime::xml::XmlWriter, name: &str) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                        w.element(name, #t);
                        ::std::result::Result::Ok(())
                    }
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
        Type::EventSender(_) => {
            quote!(::std::result::Result::<crate::runtime::event_sender::EventSender<_>, _>::Err(#n.error("event streams cannot be read from XML")))
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

/// `impl XmlDeserialize` of a type.
pub(super) fn emit_reader(t: &TypeDef) -> TokenStream {
    match t {
        TypeDef::Struct(s) => struct_reader(s),
        TypeDef::Union(u) => union_reader(u),
        TypeDef::Enum(e) => enum_reader(e),
    }
}

fn enum_reader(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let read = if e.int {
        quote!(crate::runtime::xml::read_int::<i32>(node, "i32").map(Self::from))
    } else {
        quote!(crate::runtime::xml::read_string(node).map(Self::from))
    };
    quote! {
        impl crate::runtime::xml::XmlDeserialize for super::#name {
            fn read_xml(node: &crate::runtime::xml::XmlNode<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #read
            }
        }
    }
}

fn struct_reader(s: &Struct) -> TokenStream {
    let name = named(&s.name, Scope::Sibling);
    let request_id_init = request_id_init(s);
    let read = if s.fields.is_empty() {
        quote! {
            let _ = node;
            ::std::result::Result::Ok(Self { #request_id_init })
        }
    } else {
        let locals = read_locals(s);
        let fields: Vec<&Field> = s.fields.iter().collect();
        let dispatch = read_members(s, &fields, &quote!(node));
        let inits = read_inits(s);
        quote! {
            #(#locals)*
            #dispatch
            ::std::result::Result::Ok(Self { #(#inits,)* #request_id_init })
        }
    };
    quote! {
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
            let parse = parse_text(&f.ty, name, &quote!(a), timestamp_format(&f.ty), false);
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

fn union_reader(u: &Union) -> TokenStream {
    let name = named(&u.name, Scope::Sibling);
    let shape = &u.shape_name;
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
    quote! {
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
