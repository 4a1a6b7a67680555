//! Stage 3: IR to Rust source. Tokens are built with `quote!`, parsed with
//! `syn` and formatted by `prettyplease`, a few items at a time on every
//! core (see [`emit_service`]); the generated-file header is added
//! afterwards as text.
//!
//! Generated code names every std item by its full path
//! (`::std::option::Option`), so model types called `Option`, `String` or
//! `Result` cannot break it.

use proc_macro2::{Ident, Literal as Lit, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::error::Error;
use crate::ir::*;

/// Parses and formats a token stream as a file.
pub fn format_file(name: &str, tokens: TokenStream) -> Result<String, Error> {
    unparse(name, tokens).map(|text| tidy(&text))
}

/// Parses a token stream as a file (or a run of items from one) and prints
/// it with prettyplease, before [`tidy`].
fn unparse(name: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit {
        file: name.to_string(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Puts a blank line between consecutive items (prettyplease packs them),
/// the way hand-written code reads.
fn tidy(text: &str) -> String {
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
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Name without the `r#` prefix (for derived method names and strings).
fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// `with_<field>`, without the underscore that escapes a keyword (`self_`).
fn setter_name(field: &str) -> Ident {
    format_ident!("with_{}", bare(field).trim_end_matches('_'))
}

/// `#[doc = ...]` attributes for Markdown paragraphs.
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let text = paragraphs
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let lines = docs::doc_lines(&text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = ...]` attributes (module docs) for Markdown paragraphs.
pub fn inner_doc_attrs(paragraphs: &[String]) -> TokenStream {
    let text = paragraphs
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let lines = docs::doc_lines(&text);
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
fn rust_type(ty: &Type, scope: Scope) -> TokenStream {
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
        Type::Timestamp(_) => quote!(#runtime::DateTime),
        Type::Document => quote!(#runtime::Document),
        Type::Named(n, _) => named(n),
        Type::List { member, sparse } => {
            let m = rust_type_with(member, named, runtime);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#m>>)
            } else {
                quote!(::std::vec::Vec<#m>)
            }
        }
        Type::Map { key, value, sparse } => {
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

fn field_type(f: &Field, scope: Scope) -> TokenStream {
    let mut t = rust_type(&f.ty, scope);
    if f.boxed {
        t = quote!(::std::boxed::Box<#t>);
    }
    if f.optional {
        t = quote!(::std::option::Option<#t>);
    }
    t
}

fn int_lit(i: i64) -> TokenStream {
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
fn float_lit(f: f64, single: bool) -> TokenStream {
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

fn ts_format(fmt: TimestampFormat) -> TokenStream {
    match fmt {
        TimestampFormat::EpochSeconds => quote!(crate::runtime::TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(crate::runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(crate::runtime::TimestampFormat::HttpDate),
    }
}

fn document_expr(v: &serde_json::Value) -> TokenStream {
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
fn zero_expr(ty: &Type, scope: Scope) -> TokenStream {
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
        Type::List { .. } => quote!(::std::vec::Vec::new()),
        Type::Map { .. } => quote!(::std::collections::BTreeMap::new()),
        Type::Named(n, kind) => {
            let t = named(n, scope);
            match kind {
                NamedKind::Struct => quote!(#t::zero()),
                NamedKind::Union => quote!(#t::Unknown),
                NamedKind::Enum => quote!(#t::from("")),
                NamedKind::IntEnum => quote!(#t::from(0)),
            }
        }
    }
}

/// The initial value of a field in a fresh value (`new`/`Default`).
fn initial_expr(f: &Field, scope: Scope) -> TokenStream {
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

// ---------------------------------------------------------------- types.rs

fn emit_type(t: &TypeDef) -> TokenStream {
    match t {
        TypeDef::Struct(s) => emit_struct(s),
        TypeDef::Enum(e) => emit_enum(e),
        TypeDef::Union(u) => emit_union(u),
    }
}

const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn emit_struct(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let mut docs = s.docs.clone();
    if docs.is_empty() {
        docs.push(format!(
            "The `{}` structure.",
            crate::model::shape_name(&s.shape_id)
        ));
    }
    let docs = doc_attrs(&docs);
    let fields = s.fields.iter().map(|f| {
        let d = doc_attrs(&f.docs);
        let n = ident(&f.name);
        let t = field_type(f, Scope::Types);
        quote! { #d pub #n: #t, }
    });
    let ctor_args: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| !f.optional && f.default.is_none())
        .collect();
    let ctor_params = ctor_args.iter().map(|f| {
        let n = ident(&f.name);
        let t = rust_type(&f.ty, Scope::Types);
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let ctor_inits = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        if !f.optional && f.default.is_none() {
            if f.boxed {
                quote!(#n: ::std::boxed::Box::new(#n.into()))
            } else {
                quote!(#n: #n.into())
            }
        } else {
            let v = initial_expr(f, Scope::Types);
            quote!(#n: #v)
        }
    });
    let ctor_doc = if ctor_args.is_empty() {
        "Creates a value with every optional member unset and every defaulted member at its default.".to_string()
    } else {
        let names: Vec<String> = ctor_args
            .iter()
            .map(|f| format!("`{}`", bare(&f.name)))
            .collect();
        format!("Creates a value from its required members ({}); optional members are unset, defaulted ones at their default.", names.join(", "))
    };
    let ctor_doc = doc_attrs(&[ctor_doc]);
    // Names a convenience getter must not take: the other methods of the
    // type, setters included (a member `WithFoo` next to a member `Foo`).
    let mut reserved = vec!["new".to_string()];
    if s.needs_zero {
        reserved.push("zero".into());
    }
    if s.error.is_some() {
        reserved.extend(["code".into(), "message".into(), "request_id".into()]);
    }
    reserved.extend(s.fields.iter().map(|f| setter_name(&f.name).to_string()));
    let setters = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let setter = setter_name(&f.name);
        let t = rust_type(&f.ty, Scope::Types);
        let mut v = quote!(value.into());
        if f.boxed {
            v = quote!(::std::boxed::Box::new(#v));
        }
        if f.optional {
            v = quote!(::std::option::Option::Some(#v));
        }
        let doc = format!("Sets `{}` (wire name `{}`).", bare(&f.name), f.wire_name);
        let doc = doc_attrs(&[doc]);
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                self.#n = #v;
                self
            }
        }
    });
    let getters = s
        .fields
        .iter()
        .filter(|f| f.optional && !reserved.iter().any(|r| r == bare(&f.name)))
        .filter_map(|f| {
            let n = ident(&f.name);
            match &f.ty {
                Type::List { .. } => {
                    let t = rust_type(&f.ty, Scope::Types);
                    let elem = match &f.ty {
                        Type::List {
                            member,
                            sparse: true,
                        } => {
                            let m = rust_type(member, Scope::Types);
                            quote!(::std::option::Option<#m>)
                        }
                        Type::List { member, .. } => rust_type(member, Scope::Types),
                        _ => t,
                    };
                    let doc = doc_attrs(&[format!(
                        "The `{}` items; empty when the member is absent.",
                        f.wire_name
                    )]);
                    Some(quote! {
                        #doc
                        pub fn #n(&self) -> &[#elem] {
                            self.#n.as_deref().unwrap_or_default()
                        }
                    })
                }
                Type::Map { .. } => {
                    let t = rust_type(&f.ty, Scope::Types);
                    let doc = doc_attrs(&[format!(
                        "The `{}` entries; empty when the member is absent.",
                        f.wire_name
                    )]);
                    Some(quote! {
                        #doc
                        pub fn #n(&self) -> &#t {
                            static EMPTY: #t = ::std::collections::BTreeMap::new();
                            self.#n.as_ref().unwrap_or(&EMPTY)
                        }
                    })
                }
                _ => None,
            }
        });
    let default_impl = if ctor_args.is_empty() {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    let request_id_init = request_id_init(s);
    let zero = if s.needs_zero && ctor_args.is_empty() {
        quote! {
            /// The value client error correction uses when a response omits a required member of this type.
            pub(crate) fn zero() -> Self {
                Self::new()
            }
        }
    } else if s.needs_zero {
        let inits = s.fields.iter().map(|f| {
            let n = ident(&f.name);
            let v = initial_expr(f, Scope::Types);
            quote!(#n: #v)
        });
        quote! {
            /// The value client error correction uses when a response omits a required member of this type.
            pub(crate) fn zero() -> Self {
                Self { #(#inits,)* #request_id_init }
            }
        }
    } else {
        quote!()
    };
    let debug = debug_struct(s);
    let request_id_field = if s.error.is_some() {
        quote! {
            /// The `x-amzn-RequestId` of the response this error was parsed from.
            pub(crate) request_id_: ::std::option::Option<::std::string::String>,
        }
    } else {
        quote!()
    };
    let error_impl = s.error.as_ref().map(|e| {
        let code = &e.code;
        let message = match e
            .message_field
            .as_ref()
            .and_then(|m| s.fields.iter().find(|f| &f.name == m))
        {
            Some(f) => {
                let n = ident(&f.name);
                if f.optional {
                    quote!(self.#n.as_deref())
                } else {
                    quote!(::std::option::Option::Some(self.#n.as_str()))
                }
            }
            None => quote!(::std::option::Option::None),
        };
        let status = Lit::u16_unsuffixed(e.http_status);
        let fault = if e.client_fault {
            quote!(crate::runtime::Fault::Client)
        } else {
            quote!(crate::runtime::Fault::Server)
        };
        quote! {
            impl #name {
                /// The error code on the wire.
                pub const CODE: &'static str = #code;
                /// The HTTP status the service answers this error with.
                pub const HTTP_STATUS: u16 = #status;
                /// Whose fault the error is.
                pub const FAULT: crate::runtime::Fault = #fault;
                /// The error code on the wire.
                pub fn code(&self) -> &'static str {
                    Self::CODE
                }
                /// The error message, if the service sent one.
                pub fn message(&self) -> ::std::option::Option<&str> {
                    #message
                }
                /// The request id (`x-amzn-RequestId`) of the response this error was parsed
                /// from; quote it when asking AWS support about the request.
                pub fn request_id(&self) -> ::std::option::Option<&str> {
                    self.request_id_.as_deref()
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self.message() {
                        ::std::option::Option::Some(m) => write!(f, "{}: {}", Self::CODE, m),
                        ::std::option::Option::None => f.write_str(Self::CODE),
                    }
                }
            }
            impl ::std::error::Error for #name {}
        }
    });
    // Equality compares the modeled members: the request id an error was
    // received with is transport metadata, not part of the value.
    let (derive_eq, manual_eq) = if s.error.is_some() {
        let compares = s.fields.iter().map(|f| {
            let n = ident(&f.name);
            quote!(self.#n == other.#n)
        });
        let body = if s.fields.is_empty() {
            quote!(let _ = other; true)
        } else {
            quote!(#(#compares)&&*)
        };
        (
            quote!(),
            quote! {
                impl ::std::cmp::PartialEq for #name {
                    fn eq(&self, other: &Self) -> bool {
                        #body
                    }
                }
            },
        )
    } else {
        (quote!(PartialEq), quote!())
    };
    quote! {
        #docs
        #[derive(Clone, #derive_eq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #request_id_field
        }
        #manual_eq
        impl #name {
            #ctor_doc
            pub fn new(#(#ctor_params),*) -> Self {
                Self { #(#ctor_inits,)* #request_id_init }
            }
            #zero
            #(#setters)*
            #(#getters)*
        }
        #default_impl
        #debug
        #error_impl
    }
}

/// The field initialiser of the request id an error structure keeps (none
/// for other structures). `request_id_` cannot clash with a member: member
/// field names never end in `_` unless they are keywords.
fn request_id_init(s: &Struct) -> TokenStream {
    if s.error.is_some() {
        quote!(request_id_: ::std::option::Option::None)
    } else {
        quote!()
    }
}

fn debug_struct(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let label = &s.name;
    if s.sensitive {
        let text = format!("{label} {{ {REDACTED} }}");
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#text)
                }
            }
        };
    }
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let label = bare(&f.name);
        if f.redact {
            if f.optional {
                quote!(.field(#label, &crate::runtime::Redacted::option(&self.#n)))
            } else {
                quote!(.field(#label, &crate::runtime::Redacted::VALUE))
            }
        } else {
            quote!(.field(#label, &self.#n))
        }
    });
    if s.error.is_some() {
        // The request id is shown only when there is one.
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    let mut d = f.debug_struct(#label);
                    #(d #fields;)*
                    if let ::std::option::Option::Some(id) = &self.request_id_ {
                        d.field("request_id", id);
                    }
                    d.finish()
                }
            }
        };
    }
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}

fn emit_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let mut docs = e.docs.clone();
    if docs.is_empty() {
        docs.push(format!(
            "The `{}` enumeration.",
            crate::model::shape_name(&e.shape_id)
        ));
    }
    docs.push(
        "Open: a value this crate does not know is kept in [`Unknown`](Self::Unknown) and sent back unchanged.".to_string(),
    );
    let docs = doc_attrs(&docs);
    let variants = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let mut d = v.docs.clone();
        d.push(if e.int {
            format!("Wire value `{}`.", v.int_value)
        } else {
            match v.value.as_str() {
                "" => "Wire value: the empty string.".to_string(),
                value => format!("Wire value {}.", crate::lower::code(value)),
            }
        });
        let d = doc_attrs(&d);
        quote!(#d #n,)
    });
    let debug_derive = if e.sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    let debug_impl = if e.sensitive {
        let text = format!("{} {{ {REDACTED} }}", e.name);
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#text)
                }
            }
        }
    } else {
        quote!()
    };
    if e.int {
        let to = e.variants.iter().map(|v| {
            let n = ident(&v.name);
            let l = int_lit(v.int_value);
            quote!(Self::#n => #l)
        });
        let from = e.variants.iter().map(|v| {
            let n = ident(&v.name);
            let l = int_lit(v.int_value);
            quote!(#l => Self::#n)
        });
        let values = e.variants.iter().map(|v| int_lit(v.int_value));
        return quote! {
            #docs
            #[derive(Clone, Copy, #debug_derive PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value this version of the crate does not know.
                Unknown(crate::runtime::UnknownInt),
            }
            impl #name {
                /// Every value the model defines.
                pub const VALUES: &'static [i32] = &[#(#values),*];
                /// The value on the wire.
                pub fn value(&self) -> i32 {
                    match self {
                        #(#to,)*
                        Self::Unknown(v) => v.value(),
                    }
                }
            }
            impl ::std::convert::From<i32> for #name {
                fn from(value: i32) -> Self {
                    match value {
                        #(#from,)*
                        other => Self::Unknown(crate::runtime::UnknownInt::new(other)),
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.value(), f)
                }
            }
            #debug_impl
        };
    }
    let to = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let s = &v.value;
        quote!(Self::#n => #s)
    });
    let from = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let s = &v.value;
        quote!(#s => Self::#n)
    });
    let values = e.variants.iter().map(|v| &v.value);
    quote! {
        #docs
        #[derive(Clone, #debug_derive PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            Unknown(crate::runtime::UnknownValue),
        }
        impl #name {
            /// Every value the model defines.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to,)*
                    Self::Unknown(v) => v.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from,)*
                    other => Self::Unknown(crate::runtime::UnknownValue::new(other)),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }
        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #debug_impl
    }
}

fn emit_union(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let mut docs = u.docs.clone();
    if docs.is_empty() {
        docs.push(format!(
            "The `{}` union: exactly one member is set.",
            crate::model::shape_name(&u.shape_id)
        ));
    }
    let docs = doc_attrs(&docs);
    let variants = u.variants.iter().map(|v| {
        let mut d = v.docs.clone();
        if d.is_empty() {
            d.push(format!("Wire name `{}`.", v.wire_name));
        }
        let d = doc_attrs(&d);
        let n = ident(&v.name);
        match &v.ty {
            None => quote!(#d #n,),
            Some(t) => {
                let mut t = rust_type(t, Scope::Types);
                if v.boxed {
                    t = quote!(::std::boxed::Box<#t>);
                }
                quote!(#d #n(#t),)
            }
        }
    });
    let needs_manual_debug = u.sensitive || u.variants.iter().any(|v| v.redact);
    let debug_derive = if needs_manual_debug {
        quote!()
    } else {
        quote!(Debug,)
    };
    let debug_impl = if u.sensitive {
        let text = format!("{} {{ {REDACTED} }}", u.name);
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#text)
                }
            }
        }
    } else if needs_manual_debug {
        let arms = u.variants.iter().map(|v| {
            let n = ident(&v.name);
            let label = &v.name;
            match (&v.ty, v.redact) {
                (None, _) => quote!(Self::#n => f.write_str(#label)),
                (Some(_), true) => quote!(Self::#n(_) => f.debug_tuple(#label).field(&crate::runtime::Redacted::VALUE).finish()),
                (Some(_), false) => quote!(Self::#n(v) => f.debug_tuple(#label).field(v).finish()),
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms,)*
                        Self::Unknown => f.write_str("Unknown"),
                    }
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        #[derive(Clone, #debug_derive PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know (it cannot be sent).
            Unknown,
        }
        #debug_impl
    }
}

// ---------------------------------------------------------------- json.rs

fn ser_value(ty: &Type, v: TokenStream, depth: usize) -> TokenStream {
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
        Type::Named(_, NamedKind::Struct | NamedKind::Union) => quote!(#v.write_json(w)?;),
        Type::Named(_, NamedKind::Enum) => quote!(w.string(#v.as_str());),
        Type::Named(_, NamedKind::IntEnum) => quote!(w.integer(i64::from(#v.value()));),
        Type::List { member, sparse } => {
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
        Type::Map { key, value, sparse } => {
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

/// An expression of type `Result<T, DecodeError>` reading one value from `r`.
fn de_result(ty: &Type, depth: usize) -> TokenStream {
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
        Type::Named(n, kind) => {
            let t = named(n, Scope::Sibling);
            match kind {
                NamedKind::Struct | NamedKind::Union => {
                    quote!(<#t as crate::runtime::JsonDeserialize>::read_json(r))
                }
                NamedKind::Enum => quote!(r.read_string().map(#t::from)),
                NamedKind::IntEnum => quote!(r.read_i32().map(#t::from)),
            }
        }
        Type::List { member, sparse } => {
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
        Type::Map { key, value, sparse } => {
            let map = format_ident!("map{}", depth);
            let inner = de_result(value, depth + 1);
            let k = match &**key {
                Type::Named(n, _) => {
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
fn fill_missing(f: &Field) -> TokenStream {
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
            | Type::Named(_, NamedKind::Union),
        ) => cheap,
        (
            None,
            Type::String
            | Type::BigInteger
            | Type::BigDecimal
            | Type::Blob
            | Type::List { .. }
            | Type::Map { .. },
        ) => default,
        (None, Type::Named(n, NamedKind::Struct)) => {
            let t = named(n, Scope::Sibling);
            quote!(unwrap_or_else(#t::zero))
        }
        (None, Type::Named(_, NamedKind::Enum | NamedKind::IntEnum)) => lazy,
    }
}

fn emit_struct_codec(
    s: &Struct,
    input_structs: &std::collections::BTreeSet<String>,
) -> TokenStream {
    let name = named(&s.name, Scope::Sibling);
    let shape = crate::model::shape_name(&s.shape_id);
    let ser_fields = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire_name;
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
                        return ::std::result::Result::Err(crate::runtime::EncodeError::MissingRequired { shape: #shape, member: #wire });
                    }
                }
            } else {
                return quote! {
                    if let ::std::option::Option::Some(v) = &self.#n {
                        w.key(#wire);
                        #ser
                    }
                };
            };
            quote! {
                match &self.#n {
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
                    let v = &self.#n;
                    w.key(#wire);
                    #ser
                }
            }
        }
    });
    let _ = input_structs;
    let locals = s.fields.iter().map(|f| {
        let l = format_ident!("f_{}", bare(&f.name));
        let mut t = rust_type(&f.ty, Scope::Sibling);
        if f.boxed {
            t = quote!(::std::boxed::Box<#t>);
        }
        quote!(let mut #l: ::std::option::Option<#t> = ::std::option::Option::None;)
    });
    let arms = s.fields.iter().map(|f| {
        let l = format_ident!("f_{}", bare(&f.name));
        let wire = &f.wire_name;
        let mut de = de_result(&f.ty, 0);
        if f.boxed {
            de = quote!(#de.map(::std::boxed::Box::new));
        }
        quote!(#wire => #l = r.read_optional(|r| #de)?,)
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let l = format_ident!("f_{}", bare(&f.name));
        if f.optional {
            quote!(#n: #l)
        } else {
            let fill = fill_missing(f);
            quote!(#n: #l.#fill)
        }
    });
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
            r.read_object(|r, key| {
                match key {
                    #(#arms)*
                    _ => r.skip_value()?,
                }
                ::std::result::Result::Ok(())
            })?;
            ::std::result::Result::Ok(Self { #(#inits,)* #request_id_init })
        }
    };
    quote! {
        impl crate::runtime::JsonSerialize for #name {
            fn write_json(&self, w: &mut crate::runtime::JsonWriter) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                w.begin_object();
                #ser_body
                w.end_object();
                ::std::result::Result::Ok(())
            }
        }
        impl crate::runtime::JsonDeserialize for #name {
            fn read_json(r: &mut crate::runtime::JsonReader<'_>) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #read
            }
        }
    }
}

fn emit_union_codec(u: &Union) -> TokenStream {
    let name = named(&u.name, Scope::Sibling);
    let shape = crate::model::shape_name(&u.shape_id);
    let ser_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let wire = &v.wire_name;
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
        let wire = &v.wire_name;
        match &v.ty {
            None => quote! {
                #wire => {
                    r.skip_value()?;
                    Self::#n
                }
            },
            Some(t) => {
                let mut de = de_result(t, 0);
                if v.boxed {
                    de = quote!(#de.map(::std::boxed::Box::new));
                }
                quote!(#wire => Self::#n(#de?),)
            }
        }
    });
    let no_member = format!("union `{shape}` has no member set");
    let two_members = format!("union `{shape}` has more than one member set");
    quote! {
        impl crate::runtime::JsonSerialize for #name {
            fn write_json(&self, w: &mut crate::runtime::JsonWriter) -> ::std::result::Result<(), crate::runtime::EncodeError> {
                w.begin_object();
                match self {
                    #(#ser_arms)*
                    Self::Unknown => {
                        return ::std::result::Result::Err(crate::runtime::EncodeError::UnknownUnionVariant { shape: #shape });
                    }
                }
                w.end_object();
                ::std::result::Result::Ok(())
            }
        }
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
                        _ => {
                            r.skip_value()?;
                            Self::Unknown
                        }
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

// ---------------------------------------------------------------- operations.rs

/// The end of `build_request`: the request from the body writer `w`, with
/// the `@endpoint` host prefix filled in from `input`, for
/// `@awsQueryCompatible` services the `x-amzn-query-mode` header, and for
/// `@requestCompression` operations a gzip-compressed large body.
fn finish_request(svc: &Service, op: &Operation, version: &TokenStream) -> TokenStream {
    let make =
        quote!(crate::runtime::http::aws_json_request(#version, Self::TARGET, w.into_string()));
    let mut extras = Vec::new();
    if svc.query_compatible {
        extras.push(quote! {
            req.headers.push((::std::string::String::from("x-amzn-query-mode"), ::std::string::String::from("true")));
        });
    }
    if !op.host_prefix.is_empty() {
        let input = op.input.as_ref().and_then(|i| {
            svc.types.iter().find_map(|t| match t {
                TypeDef::Struct(s) if &s.name == i => Some(s),
                _ => None,
            })
        });
        let shape = input.map_or("", |s| crate::model::shape_name(&s.shape_id));
        let parts = op.host_prefix.iter().map(|p| match p {
            HostPrefixPart::Literal(text) => quote!(prefix.push_str(#text);),
            HostPrefixPart::Label(wire) => {
                let field = input.and_then(|s| s.fields.iter().find(|f| &f.wire_name == wire));
                let value = match field {
                    Some(f) if f.optional => {
                        let n = ident(&f.name);
                        quote!(input.#n.as_deref())
                    }
                    Some(f) => {
                        let n = ident(&f.name);
                        quote!(::std::option::Option::Some(input.#n.as_str()))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(prefix.push_str(crate::runtime::http::host_label(#value, #shape, #wire)?);)
            }
        });
        extras.push(quote! {
            let mut prefix = ::std::string::String::new();
            #(#parts)*
            req.host_prefix = prefix;
        });
    }
    if op.gzip_request {
        extras.push(quote!(crate::runtime::http::gzip_body(&mut req);));
    }
    if extras.is_empty() {
        quote!(::std::result::Result::Ok(#make))
    } else {
        quote! {
            let mut req = #make;
            #(#extras)*
            ::std::result::Result::Ok(req)
        }
    }
}

fn emit_operation(svc: &Service, op: &Operation) -> TokenStream {
    let version = match svc.protocol {
        Protocol::AwsJson1_0 => quote!(crate::runtime::JsonVersion::V1_0),
        Protocol::AwsJson1_1 => quote!(crate::runtime::JsonVersion::V1_1),
    };
    let prefix = &svc.target_prefix;
    let finish_request = finish_request(svc, op, &version);
    let name = ident(&op.name);
    let err = ident(&op.error_name);
    let wire = &op.wire_name;
    let target = format!("{prefix}.{wire}");
    let mut docs = op.docs.clone();
    if docs.is_empty() {
        docs.push(format!("The `{wire}` operation."));
    }
    docs.push(format!(
        "Transport-free: [`build_request`](Self::build_request) turns the input into an HTTP request \
         (`POST /`, `X-Amz-Target: {target}`); [`parse_response`](Self::parse_response) turns status, \
         headers and body into the output or a [`{}`].",
        op.error_name
    ));
    let docs = doc_attrs(&docs);
    let (input_ty, write_input) = match &op.input {
        Some(i) => {
            let t = named(i, Scope::Sibling);
            (
                t,
                quote!(crate::runtime::JsonSerialize::write_json(input, &mut w)?;),
            )
        }
        None => (
            quote!(()),
            quote! { let () = *input; w.begin_object(); w.end_object(); },
        ),
    };
    let (output_ty, read_output) = match &op.output {
        Some(o) => {
            let t = named(o, Scope::Sibling);
            (
                t.clone(),
                quote!(crate::runtime::support::parse_body::<#t>(body)),
            )
        }
        None => (
            quote!(()),
            quote!(
                crate::runtime::support::parse_body::<crate::runtime::support::Ignored>(body)
                    .map(|_| ())
            ),
        ),
    };
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = named(&e.type_name, Scope::Sibling);
        let doc = doc_attrs(&[format!("The modeled `{}` error.", e.code)]);
        quote!(#doc #v(#t),)
    });
    let arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = named(&e.type_name, Scope::Sibling);
        let code = &e.code;
        // The message member reads only its own key; like other AWS SDKs,
        // fall back to the message found under `message`, `Message` or
        // `errorMessage` when that key is absent.
        let message_field = svc.types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.name == e.type_name => s
                .error
                .as_ref()
                .and_then(|info| info.message_field.as_ref())
                .and_then(|m| s.fields.iter().find(|f| &f.name == m && f.optional)),
            _ => None,
        });
        let ok_arm = match message_field {
            Some(f) => {
                let n = ident(&f.name);
                quote! {
                    ::std::result::Result::Ok(mut e) => {
                        if e.#n.is_none() {
                            e.#n = parts.message;
                        }
                        e.request_id_ = parts.request_id;
                        #err::#v(e)
                    }
                }
            }
            None => quote! {
                ::std::result::Result::Ok(mut e) => {
                    e.request_id_ = parts.request_id;
                    #err::#v(e)
                }
            },
        };
        quote! {
            ::std::option::Option::Some(#code) => match crate::runtime::support::parse_body::<#t>(body) {
                #ok_arm
                ::std::result::Result::Err(e) => #err::Unhandled(crate::runtime::UnhandledError::new(status, parts).with_source(e)),
            },
        }
    });
    let code_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => ::std::option::Option::Some(e.code()),)
    });
    let msg_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => e.message(),)
    });
    let request_id_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => e.request_id(),)
    });
    let display_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => ::std::fmt::Display::fmt(e, f),)
    });
    let source_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => ::std::option::Option::Some(e),)
    });
    let froms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = named(&e.type_name, Scope::Sibling);
        quote! {
            impl ::std::convert::From<#t> for #err {
                fn from(e: #t) -> Self {
                    Self::#v(e)
                }
            }
        }
    });
    let err_doc = format!(
        "Errors of [`{}`]: one variant per modeled error, plus [`Unhandled`](Self::Unhandled).",
        op.name
    );
    let err_doc = doc_attrs(&[err_doc]);
    let match_errors = if op.errors.is_empty() {
        quote!(#err::Unhandled(crate::runtime::UnhandledError::new(status, parts)))
    } else {
        quote! {
            match parts.code.as_deref() {
                #(#arms)*
                _ => #err::Unhandled(crate::runtime::UnhandledError::new(status, parts)),
            }
        }
    };
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #name;

        impl #name {
            /// Service shape name and operation name, as sent in `X-Amz-Target`.
            pub const TARGET: &'static str = #target;

            /// Serializes an input into an HTTP request. Fails, before anything is sent, when a required member is unset.
            pub fn build_request(input: &#input_ty) -> ::std::result::Result<crate::runtime::HttpRequest, crate::runtime::EncodeError> {
                let mut w = crate::runtime::JsonWriter::new();
                #write_input
                #finish_request
            }

            /// Parses an HTTP response into the output or the operation's error.
            pub fn parse_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> ::std::result::Result<#output_ty, #err> {
                if crate::runtime::http::is_success(status) {
                    return #read_output.map_err(|e| {
                        let parts = crate::runtime::error::ErrorParts {
                            request_id: crate::runtime::http::header(headers, "x-amzn-RequestId").map(::std::string::String::from),
                            ..::std::default::Default::default()
                        };
                        #err::Unhandled(crate::runtime::UnhandledError::new(status, parts).with_source(e))
                    });
                }
                let parts = crate::runtime::error::parse_error_parts(headers, body);
                ::std::result::Result::Err(#match_errors)
            }
        }

        impl crate::runtime::Operation for #name {
            type Input = #input_ty;
            type Output = #output_ty;
            type Error = #err;
            const SERVICE: &'static str = #prefix;
            const NAME: &'static str = #wire;
            fn build_request(input: &Self::Input) -> ::std::result::Result<crate::runtime::HttpRequest, crate::runtime::EncodeError> {
                Self::build_request(input)
            }
            fn parse_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> ::std::result::Result<Self::Output, Self::Error> {
                Self::parse_response(status, headers, body)
            }
        }

        #err_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #err {
            #(#variants)*
            /// An error the model does not list for this operation, or a response that could not be parsed.
            Unhandled(crate::runtime::UnhandledError),
        }

        impl #err {
            /// The error code (modeled errors always have one).
            pub fn code(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#code_arms)*
                    Self::Unhandled(e) => e.code(),
                }
            }
            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#msg_arms)*
                    Self::Unhandled(e) => e.message(),
                }
            }
            /// The request id (`x-amzn-RequestId`) of the response, if the service sent one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#request_id_arms)*
                    Self::Unhandled(e) => e.request_id(),
                }
            }
        }

        impl ::std::fmt::Display for #err {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl ::std::error::Error for #err {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    Self::Unhandled(e) => ::std::option::Option::Some(e),
                }
            }
        }

        #(#froms)*
    }
}

fn emit_service_mod(svc: &Service) -> TokenStream {
    let mut docs = Vec::new();
    let title = svc
        .title
        .clone()
        .unwrap_or_else(|| crate::model::shape_name(&svc.shape_id).to_string());
    // The title is plain text: escape what Markdown would read as markup.
    let mut heading = String::from("# ");
    for c in title.chars().filter(|c| !c.is_control()) {
        if matches!(
            c,
            '[' | ']' | '<' | '>' | '`' | '*' | '_' | '\\' | '&' | '#'
        ) {
            heading.push('\\');
        }
        heading.push(c);
    }
    docs.push(heading);
    docs.extend(svc.docs.iter().cloned());
    let protocol = match svc.protocol {
        Protocol::AwsJson1_0 => "awsJson1_0",
        Protocol::AwsJson1_1 => "awsJson1_1",
    };
    docs.push(format!(
        "Service `{}`, API version `{}`, protocol `{protocol}`. Operations: {}.",
        svc.shape_id,
        svc.version,
        svc.operations
            .iter()
            .map(|o| format!("`{}`", o.name))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let docs = inner_doc_attrs(&docs);
    let id = &svc.shape_id;
    let version = &svc.version;
    let name = &svc.target_prefix;
    quote! {
        #docs

        #[rustfmt::skip]
        mod json;
        #[rustfmt::skip]
        mod operations;
        #[rustfmt::skip]
        mod server;
        #[rustfmt::skip]
        mod types;

        pub use self::operations::*;
        pub use self::server::{ServiceRequest, ServiceResponse};
        pub use self::types::*;

        /// Absolute shape id of the service.
        pub const SERVICE_ID: &str = #id;
        /// Service shape name (the `X-Amz-Target` prefix).
        pub const SERVICE_NAME: &str = #name;
        /// API version.
        pub const API_VERSION: &str = #version;
    }
}

/// One generated file, built piece by piece: piece 0 is its module docs,
/// pieces 1.. its items. Token streams are not `Send`, so a big file is
/// emitted and formatted as runs of pieces, each on whichever thread takes
/// it; printing items apart gives the same text as printing the whole file.
struct Source<'a> {
    path: String,
    pieces: usize,
    build: Box<dyn Fn(usize) -> TokenStream + Sync + 'a>,
}

impl Source<'_> {
    fn tokens(&self, pieces: std::ops::Range<usize>) -> TokenStream {
        pieces.map(|i| (self.build)(i)).collect()
    }
}

/// The files of one service module, relative to the crate's `src/`.
fn sources(svc: &Service) -> Vec<Source<'_>> {
    let dir = bare(&svc.module);
    let inputs: std::collections::BTreeSet<String> = svc
        .operations
        .iter()
        .filter_map(|o| o.input.clone())
        .collect();
    vec![
        Source {
            path: format!("{dir}/mod.rs"),
            pieces: 1,
            build: Box::new(move |_| emit_service_mod(svc)),
        },
        Source {
            path: format!("{dir}/types.rs"),
            pieces: 1 + svc.types.len(),
            build: Box::new(move |i| match i.checked_sub(1) {
                None => quote!(
                    //! Data types: structures, enums and unions of the selected operations.
                ),
                Some(i) => emit_type(&svc.types[i]),
            }),
        },
        Source {
            path: format!("{dir}/json.rs"),
            pieces: 1 + svc.types.len(),
            build: Box::new(move |i| match i.checked_sub(1).map(|i| &svc.types[i]) {
                None => quote!(
                    //! JSON serializers and deserializers (awsJson body format).
                ),
                Some(TypeDef::Struct(s)) => emit_struct_codec(s, &inputs),
                Some(TypeDef::Union(u)) => emit_union_codec(u),
                Some(TypeDef::Enum(_)) => TokenStream::new(),
            }),
        },
        Source {
            path: format!("{dir}/operations.rs"),
            pieces: 1 + svc.operations.len(),
            build: Box::new(move |i| match i.checked_sub(1) {
                None => quote!(
                    //! Operations: request builders, response parsers and error enums.
                ),
                Some(i) => emit_operation(svc, &svc.operations[i]),
            }),
        },
        {
            let server = crate::server::Plan::new(svc);
            Source {
                path: format!("{dir}/server.rs"),
                pieces: server.pieces(),
                build: Box::new(move |i| server.piece(i)),
            }
        },
    ]
}

/// Pieces formatted together: few enough to keep memory small and to share
/// a small selection's work between cores, enough to make the per-run
/// overhead (a `syn::File`, a printer) negligible.
const PIECES_PER_RUN: usize = 4;

/// Emits the files of one service module, relative to the crate's `src/`,
/// formatted. The same text as [`format_file`] over each of
/// [`emit_service_tokens`], built on all available cores.
pub fn emit_service(svc: &Service) -> Result<Vec<(String, String)>, Error> {
    let sources = sources(svc);
    let mut runs = Vec::new();
    for (file, source) in sources.iter().enumerate() {
        let mut start = 0;
        while start < source.pieces {
            let end = (start + PIECES_PER_RUN).min(source.pieces);
            runs.push((file, start..end));
            start = end;
        }
    }
    let printed = parallel_map(&runs, |(file, pieces)| {
        let source = &sources[*file];
        unparse(&source.path, source.tokens(pieces.clone()))
    });
    let mut texts = vec![String::new(); sources.len()];
    for ((file, _), run) in runs.iter().zip(printed) {
        texts[*file].push_str(&run?);
    }
    Ok(sources
        .iter()
        .zip(texts)
        .map(|(source, text)| (source.path.clone(), tidy(&text)))
        .collect())
}

/// The files of one service module as unformatted tokens, relative to the
/// crate's `src/` (what [`emit_service`] formats; benchmarks time emission
/// and formatting apart with it).
pub fn emit_service_tokens(svc: &Service) -> Vec<(String, TokenStream)> {
    sources(svc)
        .iter()
        .map(|s| (s.path.clone(), s.tokens(0..s.pieces)))
        .collect()
}

/// `f` over `items`, in order, spread over the available cores.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (i, r) in done {
                        slots[i] = Some(r);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Loaded;

    /// Lowers and emits a one-operation service around `shapes` (which
    /// define `a#In`), returning every emitted file concatenated.
    fn emit_text(service_traits: &str, shapes: &str) -> String {
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{"a#Svc":{{"type":"service","version":"1","operations":[{{"target":"a#Op"}}],
            "traits":{{"aws.protocols#awsJson1_1":{{}}{service_traits}}}}},
            "a#Op":{{"type":"operation","input":{{"target":"a#In"}}}},{shapes}}}}}"#
        );
        let model = Loaded::from_text("t.json", &text).unwrap();
        let svc = crate::lower::lower(
            &model,
            &crate::lower::Request {
                module: "svc",
                service: None,
                operations: &[],
                all: true,
                model_docs: true,
            },
        )
        .unwrap();
        emit_service(&svc)
            .unwrap()
            .into_iter()
            .map(|(_, text)| text)
            .collect()
    }

    #[test]
    fn float_literals_fit_their_type() {
        assert_eq!(float_lit(0.1, true).to_string(), "0.1");
        assert_eq!(float_lit(-1.25, false).to_string(), "- 1.25");
        assert_eq!(float_lit(f64::NAN, true).to_string(), "f32 :: NAN");
    }

    #[test]
    fn defaults_and_error_correction_read_the_way_clippy_wants() {
        let out = emit_text(
            "",
            r#""a#In":{"type":"structure","members":{"S":{"target":"a#S"}}},
            "a#S":{"type":"structure","members":{
                "Text":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
                "Empty":{"target":"smithy.api#String","traits":{"smithy.api#default":""}},
                "Ratio":{"target":"smithy.api#Float","traits":{"smithy.api#default":0.1}},
                "Big":{"target":"smithy.api#BigDecimal","traits":{"smithy.api#default":2.5}},
                "Doc":{"target":"smithy.api#Document","traits":{"smithy.api#default":[1]}},
                "Inner":{"target":"a#Inner","traits":{"smithy.api#required":{}}}}},
            "a#Inner":{"type":"structure","members":{"N":{"target":"smithy.api#Integer"}}}"#,
        );
        for want in [
            "text: f_text.unwrap_or_default()",
            "empty: f_empty.unwrap_or_default()",
            "ratio: f_ratio.unwrap_or(0.1)",
            "inner: f_inner.unwrap_or_else(super::Inner::zero)",
            "crate::runtime::BigDecimal::from_literal(\"2.5\")",
            "crate::runtime::Document::Array(",
            "::std::vec::Vec::from([",
        ] {
            assert!(out.contains(want), "missing {want:?}");
        }
        assert!(!out.contains("as f32") && !out.contains("vec!"));
        // A structure whose `new` takes nothing zeroes through it.
        assert!(out.contains("pub(crate) fn zero() -> Self {\n        Self::new()\n    }"));
    }

    #[test]
    fn getters_give_way_to_setters_and_keyword_fields_get_plain_setters() {
        let out = emit_text(
            "",
            r#""a#In":{"type":"structure","members":{
                "Foo":{"target":"smithy.api#String"},
                "WithFoo":{"target":"a#List"},
                "message":{"target":"a#List"},
                "self":{"target":"smithy.api#String"}}},
            "a#List":{"type":"list","member":{"target":"smithy.api#String"}}"#,
        );
        assert_eq!(out.matches("pub fn with_foo(").count(), 1);
        assert!(out.contains("pub fn with_with_foo("));
        // Not an error structure: `message` is free for the getter.
        assert!(out.contains("pub fn message(&self) -> &[::std::string::String]"));
        assert!(out.contains("pub fn with_self(") && !out.contains("with_self_"));
        assert!(out.contains("    /// The `message` items; empty when the member is absent."));
    }

    #[test]
    fn the_service_title_is_escaped_not_stripped() {
        let out = emit_text(
            r#","smithy.api#title":"A <b> & [c]""#,
            r#""a#In":{"type":"structure","members":{}}"#,
        );
        assert!(out.contains(r"//! # A \<b\> \& \[c\]"), "{out}");
    }
}
