//! restXml bodies: `XmlSerialize` of every structure, union and enum of a
//! restXml service (the readers, `XmlDeserialize`, come from
//! [`super::query`], shared with the query protocols), and the statements
//! writing a structure's members, which the request builder reuses for an
//! input's body members.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::*;
use crate::ir::*;

/// A `&str` expression: the text of the scalar `v` (a reference).
pub(super) fn text(ty: &Type, v: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(#v.as_str()),
        Type::Boolean => quote!(if *#v { "true" } else { "false" }),
        Type::Byte | Type::Short | Type::Integer | Type::Long => quote!(&#v.to_string()),
        Type::Float | Type::Double => quote!(&crate::runtime::rest::float_text(*#v)),
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
        super::rest::with_value(s, f, this, quote!(#unbox #ns #body), false)
    };
    // A stream is no element of a document.
    let fields: Vec<&&Field> = fields
        .iter()
        .filter(|f| !matches!(f.ty, Type::EventStream(_) | Type::ByteStream))
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
