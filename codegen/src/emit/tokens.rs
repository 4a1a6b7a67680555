//! The shared token toolkit of every emitter: identifiers, doc attributes,
//! Rust types and literal values from the IR, and parsing and formatting
//! tokens into source text.

use proc_macro2::{Ident, Literal as Lit, Span, TokenStream};
use quote::quote;

use crate::docs;
use crate::error::Error;
use crate::ir::*;

/// Parses and formats a token stream as a file.
pub(crate) fn format_file(name: &str, tokens: TokenStream) -> Result<String, Error> {
    unparse(name, tokens).map(|text| tidy(&text))
}

/// [`format_file`] for a file of a service module: its functions marked
/// `#[inline]` ([`unparse_inline`]).
pub(crate) fn format_service_file(name: &str, tokens: TokenStream) -> Result<String, Error> {
    unparse_inline(name, tokens).map(|text| tidy(&text))
}

/// Parses a token stream as a file (or a run of items from one) and prints
/// it with prettyplease, before [`tidy`].
pub(crate) fn unparse(name: &str, tokens: TokenStream) -> Result<String, Error> {
    Ok(prettyplease::unparse(&parse(name, tokens)?))
}

/// [`unparse`] for a service module's files: every function with a body is
/// marked `#[inline]` first (see [`inline_functions`]).
pub(crate) fn unparse_inline(name: &str, tokens: TokenStream) -> Result<String, Error> {
    let mut file = parse(name, tokens)?;
    inline_functions(&mut file.items);
    Ok(prettyplease::unparse(&file))
}

fn parse(name: &str, tokens: TokenStream) -> Result<syn::File, Error> {
    syn::parse2(tokens).map_err(|e| Error::Emit {
        file: name.to_string(),
        message: e.to_string(),
    })
}

/// Marks every function with a body among `items` (in impls, traits and
/// inline modules too) `#[inline]`, unless it already carries an `inline`
/// attribute.
///
/// This is what keeps a whole-service crate cheap to build: a library
/// compiles its non-generic functions to machine code whether or not any
/// program calls them, but an `#[inline]` one only in the crate that calls
/// it. A program on a crate with every SageMaker operation so pays code
/// generation for the operations it calls, and the crate itself is
/// type-checked, not code-generated (BENCHMARKS.md, whole services).
pub(crate) fn inline_functions(items: &mut [syn::Item]) {
    fn mark(attrs: &mut Vec<syn::Attribute>) {
        if !attrs.iter().any(|a| a.path().is_ident("inline")) {
            attrs.push(syn::parse_quote!(#[inline]));
        }
    }
    for item in items {
        match item {
            syn::Item::Fn(f) => mark(&mut f.attrs),
            syn::Item::Impl(i) => {
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        mark(&mut f.attrs);
                    }
                }
            }
            syn::Item::Trait(t) => {
                for member in &mut t.items {
                    if let syn::TraitItem::Fn(f) = member {
                        if f.default.is_some() {
                            mark(&mut f.attrs);
                        }
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, content)) = &mut m.content {
                    inline_functions(content);
                }
            }
            _ => {}
        }
    }
}

/// Puts a blank line between consecutive items (prettyplease packs them),
/// the way hand-written code reads.
pub(crate) fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let next_starts_item = [
            "///", "#[", "pub ", "fn ", "impl", "const ", "static ", "mod ", "use ",
        ]
        .iter()
        .any(|p| next.trim_start().starts_with(p));
        let t = line.trim();
        let ends_block =
            t == "}" || t == "};" || t.ends_with(" {}") || (indent == 0 && t.ends_with(';'));
        let ends_module_docs = line.starts_with("//!") && !next.starts_with("//!");
        if (ends_block && indent == next_indent && next_starts_item) || ends_module_docs {
            out.push('\n');
        }
    }
    out
}

/// An identifier from a (possibly `r#`) name.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The doc-comment lines of Markdown paragraphs (blank ones dropped).
fn doc_text_lines(paragraphs: &[String]) -> Vec<String> {
    let text = paragraphs
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    docs::doc_lines(&text)
}

/// `#[doc = ...]` attributes for Markdown paragraphs.
pub(crate) fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_text_lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = ...]` attributes (module docs) for Markdown paragraphs.
pub(crate) fn inner_doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_text_lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

/// Where a named type is referred to from.
#[derive(Clone, Copy)]
pub(crate) enum Scope {
    /// Inside the service's `types` module.
    Types,
    /// From a sibling module of `types` (`super::Name`).
    Sibling,
}

pub(crate) fn named(name: &str, scope: Scope) -> TokenStream {
    let id = ident(name);
    match scope {
        Scope::Types => quote!(#id),
        Scope::Sibling => quote!(super::#id),
    }
}

/// The Rust type of a value, seen from inside the generated crate.
pub(crate) fn rust_type(ty: &Type, scope: Scope) -> TokenStream {
    rust_type_with(ty, &|n| named(n, scope), &quote!(crate::runtime))
}

/// The Rust type of a value, with named types spelled by `named` and runtime
/// types under the path `runtime` (other crates, such as generated tests,
/// reach the same types by other paths).
pub(crate) fn rust_type_with(
    ty: &Type,
    named: &dyn Fn(&str) -> TokenStream,
    runtime: &TokenStream,
) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::Boolean => quote!(bool),
        Type::Byte => quote!(i8),
        Type::Short => quote!(i16),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::BigInteger => quote!(#runtime::BigInteger),
        Type::BigDecimal => quote!(#runtime::BigDecimal),
        Type::Blob => quote!(#runtime::Blob),
        Type::ByteStream => quote!(#runtime::ByteStream),
        Type::Timestamp(_) => quote!(#runtime::DateTime),
        Type::Document => quote!(#runtime::Document),
        Type::Named(TypeRef {
            name: n, kind: _, ..
        }) => named(n),
        Type::EventStream(TypeRef { name: n, .. }) => {
            let u = named(n);
            quote!(#runtime::eventstream::EventStream<#u>)
        }
        Type::EventSender(TypeRef { name: n, .. }) => {
            let u = named(n);
            quote!(#runtime::event_sender::EventSender<#u>)
        }
        Type::List { member, sparse, .. } => {
            let m = rust_type_with(member, named, runtime);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#m>>)
            } else {
                quote!(::std::vec::Vec<#m>)
            }
        }
        Type::Map {
            key, value, sparse, ..
        } => {
            let k = rust_type_with(key, named, runtime);
            let v = rust_type_with(value, named, runtime);
            if *sparse {
                quote!(::std::collections::BTreeMap<#k, ::std::option::Option<#v>>)
            } else {
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
        }
    }
}

pub(crate) fn field_type(f: &Field, scope: Scope) -> TokenStream {
    let mut t = rust_type(&f.ty, scope);
    if f.boxed {
        t = quote!(::std::boxed::Box<#t>);
    }
    if f.optional {
        t = quote!(::std::option::Option<#t>);
    }
    t
}

pub(crate) fn int_lit(i: i64) -> TokenStream {
    if i < 0 {
        let abs = Lit::u64_unsuffixed(i.unsigned_abs());
        quote!(-#abs)
    } else {
        let l = Lit::i64_unsuffixed(i);
        quote!(#l)
    }
}

/// A float literal, unsuffixed (the context gives its type); `single`
/// prints the shortest text that reads back to the same `f32`.
pub(crate) fn float_lit(f: f64, single: bool) -> TokenStream {
    let t = if single { quote!(f32) } else { quote!(f64) };
    if f.is_nan() {
        quote!(#t::NAN)
    } else if f.is_infinite() {
        if f > 0.0 {
            quote!(#t::INFINITY)
        } else {
            quote!(#t::NEG_INFINITY)
        }
    } else {
        let l = if single {
            Lit::f32_unsuffixed(f.abs() as f32)
        } else {
            Lit::f64_unsuffixed(f.abs())
        };
        if f.is_sign_negative() {
            quote!(-#l)
        } else {
            quote!(#l)
        }
    }
}

pub(crate) fn ts_format(fmt: TimestampFormat) -> TokenStream {
    match fmt {
        TimestampFormat::EpochSeconds => quote!(crate::runtime::TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(crate::runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(crate::runtime::TimestampFormat::HttpDate),
    }
}

pub(crate) fn document_expr(v: &serde_json::Value) -> TokenStream {
    use serde_json::Value as V;
    match v {
        V::Null => quote!(crate::runtime::Document::Null),
        V::Bool(b) => quote!(crate::runtime::Document::Bool(#b)),
        V::Number(n) => {
            if let Some(u) = n.as_u64() {
                let l = Lit::u64_unsuffixed(u);
                quote!(crate::runtime::Document::Number(crate::runtime::Number::PosInt(#l)))
            } else if let Some(i) = n.as_i64() {
                let l = int_lit(i);
                quote!(crate::runtime::Document::Number(crate::runtime::Number::NegInt(#l)))
            } else {
                let l = float_lit(n.as_f64().unwrap_or(0.0), false);
                quote!(crate::runtime::Document::Number(crate::runtime::Number::Float(#l)))
            }
        }
        V::String(s) => quote!(crate::runtime::Document::String(::std::string::String::from(#s))),
        V::Array(items) => {
            let items = items.iter().map(document_expr);
            // `Vec::from([..])`, not `vec![..]`: prettyplease cannot format macro bodies.
            quote!(crate::runtime::Document::Array(::std::vec::Vec::from([#(#items),*])))
        }
        V::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = document_expr(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(crate::runtime::Document::Object(::std::collections::BTreeMap::from([#(#entries),*])))
        }
    }
}

/// The value of a `@default`.
pub(crate) fn literal_expr(lit: &Literal, ty: &Type, scope: Scope) -> TokenStream {
    match lit {
        Literal::Bool(b) => quote!(#b),
        Literal::Int(i) => int_lit(*i),
        Literal::Float(f) => float_lit(*f, *ty == Type::Float),
        Literal::Str(s) if s.is_empty() => quote!(::std::string::String::new()),
        Literal::Str(s) => quote!(::std::string::String::from(#s)),
        Literal::BigNumber(text) => {
            let t = rust_type(ty, scope);
            quote!(#t::from_literal(#text))
        }
        Literal::Blob(b) if *ty == Type::ByteStream && b.is_empty() => {
            quote!(crate::runtime::ByteStream::default())
        }
        Literal::Blob(b) if *ty == Type::ByteStream => {
            let l = Lit::byte_string(b);
            quote!(crate::runtime::ByteStream::from_bytes(#l.to_vec()))
        }
        Literal::Blob(b) => {
            let l = Lit::byte_string(b);
            quote!(crate::runtime::Blob::new(#l.to_vec()))
        }
        Literal::Timestamp(secs) => {
            let millis = (secs * 1000.0).round() as i64;
            if millis % 1000 == 0 {
                let s = int_lit(millis / 1000);
                quote!(crate::runtime::DateTime::from_secs(#s))
            } else {
                let m = int_lit(millis);
                quote!(crate::runtime::DateTime::from_millis(#m))
            }
        }
        Literal::EmptyList => quote!(::std::vec::Vec::new()),
        Literal::EmptyMap => quote!(::std::collections::BTreeMap::new()),
        Literal::Document(v) => document_expr(v),
        Literal::EnumValue(v) => {
            let t = rust_type(ty, scope);
            quote!(#t::from(#v))
        }
        Literal::IntEnumValue(i) => {
            let t = rust_type(ty, scope);
            let l = int_lit(*i);
            quote!(#t::from(#l))
        }
    }
}

/// The value error correction gives a missing required member.
pub(crate) fn zero_expr(ty: &Type, scope: Scope) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String::new()),
        Type::Boolean => quote!(false),
        Type::Byte | Type::Short | Type::Integer | Type::Long => quote!(0),
        Type::Float | Type::Double => quote!(0.0),
        Type::BigInteger => quote!(crate::runtime::BigInteger::default()),
        Type::BigDecimal => quote!(crate::runtime::BigDecimal::default()),
        Type::Blob => quote!(crate::runtime::Blob::default()),
        Type::Timestamp(_) => quote!(crate::runtime::DateTime::UNIX_EPOCH),
        Type::Document => quote!(crate::runtime::Document::Null),
        Type::ByteStream => quote!(crate::runtime::ByteStream::default()),
        Type::EventStream(_) => quote!(crate::runtime::eventstream::EventStream::default()),
        Type::EventSender(_) => quote!(crate::runtime::event_sender::EventSender::default()),
        Type::List { .. } => quote!(::std::vec::Vec::new()),
        Type::Map { .. } => quote!(::std::collections::BTreeMap::new()),
        Type::Named(TypeRef { name: n, kind, .. }) => {
            let t = named(n, scope);
            match kind {
                NamedKind::Struct => quote!(#t::zero()),
                NamedKind::Union => quote!(#t::Unknown(crate::runtime::UnknownMember::default())),
                NamedKind::Enum => quote!(#t::from("")),
                NamedKind::IntEnum => quote!(#t::from(0)),
            }
        }
    }
}

/// The initial value of a field in a fresh value (`new`/`Default`).
pub(crate) fn initial_expr(f: &Field, scope: Scope) -> TokenStream {
    if f.optional {
        return quote!(::std::option::Option::None);
    }
    let v = match &f.default {
        Some(d) => literal_expr(d, &f.ty, scope),
        None => zero_expr(&f.ty, scope),
    };
    if f.boxed {
        quote!(::std::boxed::Box::new(#v))
    } else {
        v
    }
}

/// The field initialiser of the request id an error structure keeps (none
/// for other structures). `request_id_` cannot clash with a member: member
/// field names never end in `_` unless they are keywords.
pub(crate) fn request_id_init(s: &Struct) -> TokenStream {
    let Some(e) = &s.error else {
        return quote!();
    };
    let message = if e.message_field.is_none() {
        quote!(, message_: ::std::option::Option::None)
    } else {
        quote!()
    };
    let query = if e.keeps_query_error {
        quote!(, query_error_: ::std::option::Option::None)
    } else {
        quote!()
    };
    quote!(request_id_: ::std::option::Option::None #message #query)
}

/// The input and output types of an operation (`()` for `smithy.api#Unit`).
pub(crate) fn io_types(op: &Operation) -> (TokenStream, TokenStream) {
    let ty = |r: &Option<TypeRef>| match r {
        Some(r) => named(&r.name, Scope::Sibling),
        None => quote!(()),
    };
    (ty(&op.input), ty(&op.output))
}

/// The runtime's `JsonVersion` of an awsJson version.
pub(crate) fn json_version(v: JsonVersion) -> TokenStream {
    match v {
        JsonVersion::V1_0 => quote!(crate::runtime::JsonVersion::V1_0),
        JsonVersion::V1_1 => quote!(crate::runtime::JsonVersion::V1_1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_files_mark_every_function_with_a_body_inline_once() {
        let tokens = quote! {
            pub fn free() {}
            impl S { pub fn new() -> Self { S } #[inline] fn already(&self) {} }
            impl T for S { fn required(&self) {} }
            pub trait T { fn required(&self); fn provided(&self) {} }
            pub mod inner { pub(crate) fn nested() {} }
            pub struct S;
        };
        let text = unparse_inline("t.rs", tokens).unwrap();
        let plain: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for f in [
            "pub fn free",
            "pub fn new",
            "fn already",
            "fn required(&self) {}",
            "fn provided",
            "pub(crate) fn nested",
        ] {
            assert!(
                plain.contains(&format!("#[inline] {f}")),
                "{f} not marked inline:\n{text}"
            );
        }
        assert_eq!(plain.matches("#[inline]").count(), 6, "{text}");
        assert!(plain.contains("fn required(&self);"), "{text}");
        assert!(!plain.contains("#[inline] fn required(&self);"), "{text}");
        // Every other file is printed as it came.
        let untouched = unparse(
            "t.rs",
            quote!(
                pub fn free() {}
            ),
        )
        .unwrap();
        assert!(!untouched.contains("inline"), "{untouched}");
    }
}
