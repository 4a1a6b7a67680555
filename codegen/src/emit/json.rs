//! `json.rs` of a service module: the awsJson serializers and
//! deserializers of every structure and union.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::*;
use crate::ir::*;

pub(super) fn ser_value(ty: &Type, v: TokenStream, depth: usize) -> TokenStream {
    match ty {
        Type::String => quote!(w.string(#v);),
        Type::Boolean => quote!(w.boolean(*#v);),
        Type::Byte | Type::Short | Type::Integer => quote!(w.integer(i64::from(*#v));),
        Type::Long => quote!(w.integer(*#v);),
        Type::Float => quote!(w.float32(*#v);),
        Type::Double => quote!(w.float(*#v);),
        Type::BigInteger | Type::BigDecimal => quote!(w.raw_number(#v.as_str());),
        Type::Blob => quote!(w.blob(#v.as_bytes());),
        Type::Timestamp(fmt) => {
            let f = ts_format(*fmt);
            quote!(w.timestamp(*#v, #f);)
        }
        Type::Document => quote!(w.document(#v);),
        // A streamed body in memory is written as a blob; a live one, whose
        // bytes are not known yet, as `null`.
        Type::ByteStream => quote! {
            match #v.buffered() {
                ::std::option::Option::Some(b) => w.blob(b),
                ::std::option::Option::None => w.null(),
            }
        },
        // An event stream has no JSON form: written as `null`.
        Type::EventStream(_) | Type::EventSender(_) => quote! {
            let _ = #v;
            w.null();
        },
        Type::Named(TypeRef {
            kind: NamedKind::Struct | NamedKind::Union,
            ..
        }) => quote!(#v.write_json(w)?;),
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => quote!(w.string(#v.as_str());),
        Type::Named(TypeRef {
            kind: NamedKind::IntEnum,
            ..
        }) => quote!(w.integer(i64::from(#v.value()));),
        Type::List { member, sparse, .. } => {
            let item = format_ident!("item{}", depth);
            let inner = ser_value(member, quote!(#item), depth + 1);
            let body = if *sparse {
                quote! {
                    match #item {
                        ::std::option::Option::Some(#item) => { #inner }
                        ::std::option::Option::None => w.null(),
                    }
                }
            } else {
                inner
            };
            quote! {
                w.begin_array();
                for #item in #v.iter() {
                    #body
                }
                w.end_array();
            }
        }
        Type::Map {
            key, value, sparse, ..
        } => {
            let k = format_ident!("key{}", depth);
            let val = format_ident!("value{}", depth);
            let key_str = match **key {
                Type::Named(..) => quote!(#k.as_str()),
                _ => quote!(#k),
            };
            let inner = ser_value(value, quote!(#val), depth + 1);
            let body = if *sparse {
                quote! {
                    match #val {
                        ::std::option::Option::Some(#val) => { #inner }
                        ::std::option::Option::None => w.null(),
                    }
                }
            } else {
                inner
            };
            quote! {
                w.begin_object();
                for (#k, #val) in #v.iter() {
                    w.key(#key_str);
                    #body
                }
                w.end_object();
            }
        }
    }
}

/// Whether the runtime reads a value of `ty` through the format's
/// deserialize trait alone (`runtime/value_codecs.rs`: strings, numbers,
/// booleans, blobs, documents, generated types, and lists and maps of them
/// without `null` entries), the same way [`de_result`] spells it out.
/// Timestamps (their format is the member's), big numbers, sparse
/// collections and streams are read as spelled out.
pub(super) fn reads_plainly(ty: &Type) -> bool {
    match ty {
        Type::String
        | Type::Boolean
        | Type::Byte
        | Type::Short
        | Type::Integer
        | Type::Long
        | Type::Float
        | Type::Double
        | Type::Blob
        | Type::Document
        | Type::Named(_) => true,
        Type::List { member, sparse, .. } => !sparse && reads_plainly(member),
        Type::Map { value, sparse, .. } => !sparse && reads_plainly(value),
        Type::BigInteger
        | Type::BigDecimal
        | Type::Timestamp(_)
        | Type::ByteStream
        | Type::EventStream(_)
        | Type::EventSender(_) => false,
    }
}

/// An expression of type `Result<T, DecodeError>` reading one value from `r`.
pub(super) fn de_result(ty: &Type, depth: usize) -> TokenStream {
    match ty {
        Type::String => quote!(r.read_string()),
        Type::Boolean => quote!(r.read_bool()),
        Type::Byte => quote!(r.read_i8()),
        Type::Short => quote!(r.read_i16()),
        Type::Integer => quote!(r.read_i32()),
        Type::Long => quote!(r.read_i64()),
        Type::Float => quote!(r.read_f32()),
        Type::Double => quote!(r.read_f64()),
        Type::BigInteger => quote!(r.read_big_integer()),
        Type::BigDecimal => quote!(r.read_big_decimal()),
        Type::Blob => quote!(r.read_blob()),
        Type::Timestamp(fmt) => {
            let f = ts_format(*fmt);
            quote!(r.read_timestamp(#f))
        }
        Type::Document => quote!(r.read_document()),
        Type::ByteStream => quote!(r
            .read_blob()
            .map(|b| crate::runtime::ByteStream::from(b.into_inner()))),
        // An event stream has no JSON form: whatever stands there is skipped.
        Type::EventStream(_) => quote!(r
            .skip_value()
            .map(|()| crate::runtime::eventstream::EventStream::default())),
        Type::EventSender(_) => quote!(r
            .skip_value()
            .map(|()| crate::runtime::event_sender::EventSender::default())),
        Type::Named(TypeRef { name: n, kind, .. }) => {
            let t = named(n, Scope::Sibling);
            match kind {
                NamedKind::Struct | NamedKind::Union => {
                    quote!(<#t as crate::runtime::JsonDeserialize>::read_json(r))
                }
                NamedKind::Enum => quote!(r.read_string().map(#t::from)),
                NamedKind::IntEnum => quote!(r.read_i32().map(#t::from)),
            }
        }
        Type::List { member, sparse, .. } => {
            let items = format_ident!("items{}", depth);
            let inner = de_result(member, depth + 1);
            let push = if *sparse {
                quote!(#items.push(r.read_optional(|r| #inner)?);)
            } else {
                quote! {
                    if !r.read_null()? {
                        #items.push(#inner?);
                    }
                }
            };
            quote! {{
                let mut #items = ::std::vec::Vec::new();
                r.read_array(|r| {
                    #push
                    ::std::result::Result::Ok(())
                })
                .map(|()| #items)
            }}
        }
        Type::Map {
            key, value, sparse, ..
        } => {
            let map = format_ident!("map{}", depth);
            let inner = de_result(value, depth + 1);
            let k = match &**key {
                Type::Named(TypeRef {
                    name: n, kind: _, ..
                }) => {
                    let t = named(n, Scope::Sibling);
                    quote!(#t::from(key))
                }
                _ => quote!(::std::string::String::from(key)),
            };
            let insert = if *sparse {
                quote! {
                    let value = r.read_optional(|r| #inner)?;
                    #map.insert(#k, value);
                }
            } else {
                quote! {
                    if !r.read_null()? {
                        let value = #inner?;
                        #map.insert(#k, value);
                    }
                }
            };
            quote! {{
                let mut #map = ::std::collections::BTreeMap::new();
                r.read_object(|r, key| {
                    #insert
                    ::std::result::Result::Ok(())
                })
                .map(|()| #map)
            }}
        }
    }
}

/// How a deserializer fills a non-optional field the body left out (the
/// default, or error correction's zero value): `unwrap_or(..)` for literals
/// and constants, `unwrap_or_default()` where the value is the type's
/// `Default`, `unwrap_or_else(..)` otherwise, the way clippy wants each.
pub(super) fn fill_missing(f: &Field) -> TokenStream {
    let v = initial_expr(f, Scope::Sibling);
    if f.boxed {
        return quote!(unwrap_or_else(|| #v));
    }
    let cheap = quote!(unwrap_or(#v));
    let default = quote!(unwrap_or_default());
    let lazy = quote!(unwrap_or_else(|| #v));
    match (&f.default, &f.ty) {
        (Some(Literal::Bool(_) | Literal::Int(_) | Literal::Float(_)), _) => cheap,
        (Some(Literal::EmptyList | Literal::EmptyMap), _) => default,
        (Some(Literal::Blob(b)), _) if b.is_empty() => default,
        (Some(Literal::Str(s)), _) if s.is_empty() => default,
        (Some(_), _) => lazy,
        (
            None,
            Type::Boolean
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::Timestamp(_)
            | Type::Document
            | Type::Named(TypeRef {
                kind: NamedKind::Union,
                ..
            }),
        ) => cheap,
        (
            None,
            Type::String
            | Type::BigInteger
            | Type::BigDecimal
            | Type::Blob
            | Type::ByteStream
            | Type::EventStream(_)
            | Type::EventSender(_)
            | Type::List { .. }
            | Type::Map { .. },
        ) => default,
        (
            None,
            Type::Named(TypeRef {
                name: n,
                kind: NamedKind::Struct,
                ..
            }),
        ) => {
            let t = named(n, Scope::Sibling);
            quote!(unwrap_or_else(#t::zero))
        }
        (
            None,
            Type::Named(TypeRef {
                kind: NamedKind::Enum | NamedKind::IntEnum,
                ..
            }),
        ) => lazy,
    }
}

/// The `cfg` attributes of a codec's `JsonSerialize` and `JsonDeserialize`
/// impls: none where every build needs them.
fn codec_cfgs(needs: JsonCodecNeeds) -> (TokenStream, TokenStream) {
    let cfg = |need: CodecNeed| match need {
        CodecNeed::Always => quote!(),
        CodecNeed::ServerOrJson => quote!(#[cfg(any(feature = "server", feature = "json"))]),
        CodecNeed::JsonFeature => quote!(#[cfg(feature = "json")]),
    };
    (cfg(needs.write), cfg(needs.read))
}

/// `Serialize` and `Deserialize` (the `serde` feature) through the type's
/// JSON codec: one macro line per type.
pub(super) fn emit_serde(t: &TypeDef) -> TokenStream {
    let name = ident(t.name());
    quote! {
        #[cfg(feature = "serde")]
        crate::runtime::serde_form::impl_serde!(crate::runtime; super::#name);
    }
}

/// An enum's codec: its wire string, or an intEnum's integer. Members
/// write enums inline; this impl gives enums the same [`Json`] form and
/// serde support as every other type.
///
/// [`Json`]: crate::runtime::Json
pub(super) fn emit_enum_codec(e: &Enum, needs: JsonCodecNeeds) -> TokenStream {
    let (write_cfg, read_cfg) = codec_cfgs(needs);
    let name = ident(&e.name);
    let (write, read) = if e.int {
        (
            quote!(w.integer(i64::from(self.value()));),
            quote!(r.read_i32().map(Self::from)),
        )
    } else {
        (
            quote!(w.string(self.as_str());),
            quote!(r.read_string().map(Self::from)),
        )
    };
    quote! {
        #write_cfg
        impl crate::runtime::JsonSerialize for super::#name {
            fn write_json(&self, w: &mut crate::runtime::JsonWriter) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                #write
                ::std::result::Result::Ok(())
            }
        }
        #write_cfg
        impl crate::runtime::JsonInfallible for super::#name {}
        #read_cfg
        impl crate::runtime::JsonDeserialize for super::#name {
            fn read_json(r: &mut crate::runtime::JsonReader<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #read
            }
        }
    }
}

/// A structure reader's locals: `let mut f_<member>: Option<T> = None;`
/// each, filled as members are read (by any format's reader).
pub(super) fn read_locals(s: &Struct) -> Vec<TokenStream> {
    s.fields
        .iter()
        .map(|f| {
            let l = format_ident!("f_{}", f.label);
            let mut t = rust_type(&f.ty, Scope::Sibling);
            if f.boxed {
                t = quote!(::std::boxed::Box<#t>);
            }
            quote!(let mut #l: ::std::option::Option<#t> = ::std::option::Option::None;)
        })
        .collect()
}

/// The field initializers from [`read_locals`]: optional members as read,
/// the others filled when absent (`fill_missing`).
pub(super) fn read_inits(s: &Struct) -> Vec<TokenStream> {
    s.fields
        .iter()
        .map(|f| {
            let n = ident(&f.name);
            let l = format_ident!("f_{}", f.label);
            if f.optional {
                quote!(#n: #l)
            } else if s.refuse_missing
                && f.required
                && f.default.is_none()
                && !matches!(f.ty, Type::EventStream(_))
            {
                let why = format!(
                    "missing required member `{}` of `{}`",
                    f.wire_name, s.shape_name
                );
                quote!(#n: #l.ok_or_else(|| crate::runtime::DecodeError::new(#why, 0))?)
            } else {
                let fill = fill_missing(f);
                quote!(#n: #l.#fill)
            }
        })
        .collect()
}

/// Whether the runtime writes a value of `ty` through the format's
/// infallible trait (`runtime/value_codecs.rs`: strings, numbers, booleans,
/// blobs, documents, enums, and lists and maps of them without `null`
/// entries, maps keyed by strings), the same way [`ser_value`] spells it
/// out. Those writes cannot fail, so a member of such a type is one call
/// without `?`.
pub(super) fn writes_infallibly(ty: &Type) -> bool {
    match ty {
        Type::String
        | Type::Boolean
        | Type::Byte
        | Type::Short
        | Type::Integer
        | Type::Long
        | Type::Float
        | Type::Double
        | Type::Blob
        | Type::Document
        | Type::Named(TypeRef {
            kind: NamedKind::Enum | NamedKind::IntEnum,
            ..
        }) => true,
        Type::List { member, sparse, .. } => !sparse && writes_infallibly(member),
        Type::Map {
            key, value, sparse, ..
        } => !sparse && matches!(**key, Type::String) && writes_infallibly(value),
        Type::Named(_)
        | Type::BigInteger
        | Type::BigDecimal
        | Type::Timestamp(_)
        | Type::ByteStream
        | Type::EventStream(_)
        | Type::EventSender(_) => false,
    }
}

/// Writes one member of `this` (`self`, or a variable holding the
/// structure) under its JSON key: an unset optional member is left out
/// (or, for a required one, refused; for an idempotency token, filled in).
pub(super) fn ser_field(s: &Struct, f: &Field, this: &TokenStream) -> TokenStream {
    let shape = &s.shape_name;
    let n = ident(&f.name);
    let wire = &f.json_name;
    let member = &f.wire_name;
    let plain = writes_infallibly(&f.ty);
    if plain && f.optional && !f.idempotency_token && !f.required {
        return quote!(w.member(#wire, &#this.#n););
    }
    if plain && !f.optional {
        return quote!(w.field(#wire, &#this.#n););
    }
    let ser = ser_value(&f.ty, quote!(v), 0);
    if f.optional {
        let missing = if f.idempotency_token {
            quote! {
                ::std::option::Option::None => {
                    w.key(#wire);
                    w.string(&crate::runtime::new_idempotency_token());
                }
            }
        } else if f.required {
            quote! {
                ::std::option::Option::None => {
                    return ::std::result::Result::Err(crate::runtime::EncodeError::MissingRequired { shape: #shape, member: #member });
                }
            }
        } else {
            return quote! {
                if let ::std::option::Option::Some(v) = &#this.#n {
                    w.key(#wire);
                    #ser
                }
            };
        };
        quote! {
            match &#this.#n {
                ::std::option::Option::Some(v) => {
                    w.key(#wire);
                    #ser
                }
                #missing
            }
        }
    } else {
        quote! {
            {
                let v = &#this.#n;
                w.key(#wire);
                #ser
            }
        }
    }
}

/// `r.read_object(..)?;` reading the JSON object at `r` into the `f_`
/// locals of `fields` (members of `s`), skipping other keys.
pub(super) fn read_members<'a>(
    s: &Struct,
    fields: impl IntoIterator<Item = &'a Field>,
) -> TokenStream {
    let arms = fields.into_iter().map(|f| de_arm(s, f));
    quote! {
        r.read_object(|r, key| match key {
            #(#arms)*
            _ => r.skip_value(),
        })?;
    }
}

/// The match arm reading one member into its `f_` local (see
/// [`read_locals`]) inside `r.read_object(|r, key| match key { .. })`.
pub(super) fn de_arm(s: &Struct, f: &Field) -> TokenStream {
    let shape = &s.shape_name;
    let l = format_ident!("f_{}", f.label);
    let wire = &f.json_name;
    let member = &f.wire_name;
    if reads_plainly(&f.ty) {
        return quote!(#wire => r.member(&mut #l, #shape, #member),);
    }
    let mut de = de_result(&f.ty, 0);
    if f.boxed {
        de = quote!(#de.map(::std::boxed::Box::new));
    }
    quote!(#wire => r.member_with(&mut #l, #shape, #member, |r| #de),)
}

pub(super) fn emit_struct_codec(s: &Struct, needs: JsonCodecNeeds) -> TokenStream {
    let (write_cfg, read_cfg) = codec_cfgs(needs);
    let name = named(&s.name, Scope::Sibling);
    let ser_fields = s.fields.iter().map(|f| ser_field(s, f, &quote!(self)));
    let locals = read_locals(s);
    let read_members = read_members(s, &s.fields);
    let inits = read_inits(s);
    let ser_body = if s.fields.is_empty() {
        quote!(let _ = self;)
    } else {
        quote!(#(#ser_fields)*)
    };
    let request_id_init = request_id_init(s);
    let read = if s.fields.is_empty() {
        quote! {
            r.read_object(|r, _key| r.skip_value())?;
            ::std::result::Result::Ok(Self { #request_id_init })
        }
    } else {
        quote! {
            #(#locals)*
            #read_members
            ::std::result::Result::Ok(Self { #(#inits,)* #request_id_init })
        }
    };
    quote! {
        #write_cfg
        impl crate::runtime::JsonSerialize for #name {
            fn write_json(&self, w: &mut crate::runtime::JsonWriter) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                w.begin_object();
                #ser_body
                w.end_object();
                ::std::result::Result::Ok(())
            }
        }
        #read_cfg
        impl crate::runtime::JsonDeserialize for #name {
            fn read_json(r: &mut crate::runtime::JsonReader<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #read
            }
        }
    }
}

pub(super) fn emit_union_codec(u: &Union, needs: JsonCodecNeeds) -> TokenStream {
    let (write_cfg, read_cfg) = codec_cfgs(needs);
    let name = named(&u.name, Scope::Sibling);
    let shape = &u.shape_name;
    let ser_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let wire = &v.json_name;
        match &v.ty {
            None => quote! {
                Self::#n => {
                    w.key(#wire);
                    w.begin_object();
                    w.end_object();
                }
            },
            Some(t) => {
                let ser = ser_value(t, quote!(v), 0);
                quote! {
                    Self::#n(v) => {
                        w.key(#wire);
                        #ser
                    }
                }
            }
        }
    });
    let de_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let wire = &v.json_name;
        match &v.ty {
            None => quote! {
                #wire => {
                    r.skip_value()?;
                    Self::#n
                }
            },
            Some(t) => {
                // A plain value's trait reads boxes too.
                let de = if reads_plainly(t) {
                    quote!(crate::runtime::JsonDeserialize::read_json(r))
                } else if v.boxed {
                    let de = de_result(t, 0);
                    quote!(#de.map(::std::boxed::Box::new))
                } else {
                    de_result(t, 0)
                };
                quote!(#wire => Self::#n(#de.map_err(|e| e.in_member(#shape, #wire))?),)
            }
        }
    });
    let no_member = format!("union `{shape}` has no member set");
    let two_members = format!("union `{shape}` has more than one member set");
    quote! {
        #write_cfg
        impl crate::runtime::JsonSerialize for #name {
            fn write_json(&self, w: &mut crate::runtime::JsonWriter) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                w.begin_object();
                match self {
                    #(#ser_arms)*
                    Self::Unknown(m) => {
                        if !w.keeps_unknown() || m.name().is_empty() {
                            return ::std::result::Result::Err(crate::runtime::EncodeError::UnknownUnionVariant { shape: #shape });
                        }
                        w.key(m.name());
                        w.document(m.value());
                    }
                }
                w.end_object();
                ::std::result::Result::Ok(())
            }
        }
        #read_cfg
        impl crate::runtime::JsonDeserialize for #name {
            fn read_json(r: &mut crate::runtime::JsonReader<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                let mut found: ::std::option::Option<Self> = ::std::option::Option::None;
                r.read_object(|r, key| {
                    if key == "__type" {
                        return r.skip_value();
                    }
                    if r.read_null()? {
                        return ::std::result::Result::Ok(());
                    }
                    let value = match key {
                        #(#de_arms)*
                        _ => Self::Unknown(crate::runtime::UnknownMember::new(key, r.read_document()?)),
                    };
                    if found.is_some() {
                        return ::std::result::Result::Err(crate::runtime::DecodeError::new(#two_members, r.offset()));
                    }
                    found = ::std::option::Option::Some(value);
                    ::std::result::Result::Ok(())
                })?;
                found.ok_or_else(|| crate::runtime::DecodeError::new(#no_member, r.offset()))
            }
        }
    }
}
