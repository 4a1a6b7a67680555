//! `types.rs` of a service module: structures, enums and unions, with
//! constructors, setters, getters, `Debug` and error metadata.

use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

use super::tokens::*;
use crate::ir::*;

pub(super) fn emit_type(t: &TypeDef) -> TokenStream {
    match t {
        TypeDef::Struct(s) => emit_struct(s),
        TypeDef::Enum(e) => emit_enum(e),
        TypeDef::Union(u) => emit_union(u),
    }
}

pub(super) const REDACTED: &str = "*** Sensitive Data Redacted ***";

pub(super) fn emit_struct(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let mut docs = s.docs.clone();
    if docs.is_empty() {
        docs.push(format!("The `{}` structure.", s.shape_name));
    }
    let docs = doc_attrs(&docs);
    let fields = s.fields.iter().map(|f| {
        let d = doc_attrs(&f.docs);
        let n = ident(&f.name);
        let t = field_type(f, Scope::Types);
        quote! { #d pub #n: #t, }
    });
    let constructor = constructor(s);
    let setters = s.fields.iter().map(setter);
    let entry_setters = s.fields.iter().filter_map(entry_setter);
    let getters = s.fields.iter().filter_map(getter);
    let default_impl = if s.constructor_fields().is_empty() {
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
    let zero = zero_fn(s);
    // `Debug` is derived where it would print the same as the hand-written
    // one: no redaction, no error metadata.
    let (derive_debug, debug) = if derives_debug(s) {
        (quote!(Debug,), quote!())
    } else {
        (quote!(), debug_struct(s))
    };
    let request_id_field = error_fields(s);
    let error_impl = s.error.as_ref().map(|e| error_impl(s, e));
    let (derive_eq, manual_eq) = equality(s);
    // A live stream can be read once: its structure is not `Clone`.
    let clone = if s.holds_stream() {
        quote!()
    } else {
        quote!(Clone,)
    };
    quote! {
        #docs
        #[derive(#clone #derive_debug #derive_eq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #request_id_field
        }
        #manual_eq
        impl #name {
            #constructor
            #zero
            #(#setters)*
            #(#entry_setters)*
            #(#getters)*
        }
        #default_impl
        #debug
        #error_impl
    }
}

/// `new`: the structure from its required members (by position or in a
/// `required::` struct), the others unset or at their default.
fn constructor(s: &Struct) -> TokenStream {
    let ctor_args = s.constructor_fields();
    let ctor_params = match &s.constructor {
        Constructor::NoArgs => quote!(),
        Constructor::Positional(_) => {
            let params = ctor_args.iter().map(|f| {
                let n = ident(&f.name);
                let t = rust_type(&f.ty, Scope::Types);
                quote!(#n: impl ::std::convert::Into<#t>)
            });
            quote!(#(#params),*)
        }
        Constructor::Named(args) => {
            let t = ident(args);
            quote!(required: super::required::#t)
        }
    };
    let named_args = matches!(s.constructor, Constructor::Named(_));
    let ctor_inits = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        if f.is_constructor_arg() {
            let v = if named_args {
                quote!(required.#n)
            } else {
                quote!(#n.into())
            };
            if f.boxed {
                quote!(#n: ::std::boxed::Box::new(#v))
            } else {
                quote!(#n: #v)
            }
        } else {
            let v = initial_expr(f, Scope::Types);
            quote!(#n: #v)
        }
    });
    let ctor_doc = match &s.constructor {
        Constructor::NoArgs => "Creates a value with every optional member unset and every defaulted member at its default.".to_string(),
        Constructor::Positional(_) => {
            let names: Vec<String> = ctor_args.iter().map(|f| format!("`{}`", f.label)).collect();
            format!("Creates a value from its required members ({}); optional members are unset, defaulted ones at their default.", names.join(", "))
        }
        Constructor::Named(args) => format!(
            "Creates a value from its required members, passed by name in a [`required::{args}`](super::required::{args}) \
             (two of them take the same kind of value, so they could be swapped by mistake, or there are more \
             than seven); optional members are unset, defaulted ones at their default."
        ),
    };
    let ctor_doc = doc_attrs(&[ctor_doc]);
    let request_id_init = request_id_init(s);
    quote! {
        #ctor_doc
        pub fn new(#ctor_params) -> Self {
            Self { #(#ctor_inits,)* #request_id_init }
        }
    }
}

/// The setter of a member.
fn setter(f: &Field) -> TokenStream {
    let n = ident(&f.name);
    let setter = ident(&f.setter);
    let t = rust_type(&f.ty, Scope::Types);
    let mut v = quote!(value.into());
    if f.boxed {
        v = quote!(::std::boxed::Box::new(#v));
    }
    if f.optional {
        v = quote!(::std::option::Option::Some(#v));
    }
    let doc = format!("Sets `{}` (wire name `{}`).", f.label, f.wire_name);
    let doc = doc_attrs(&[doc]);
    quote! {
        #doc
        #[must_use]
        pub fn #setter(mut self, value: impl ::std::convert::Into<#t>) -> Self {
            self.#n = #v;
            self
        }
    }
}

/// The getter of a list or map member: its items or entries, empty when
/// the member is absent.
fn getter(f: &Field) -> Option<TokenStream> {
    let n = ident(f.getter.as_ref()?);
    match &f.ty {
        Type::List { .. } => {
            let t = rust_type(&f.ty, Scope::Types);
            let elem = match &f.ty {
                Type::List {
                    member,
                    sparse: true,
                    ..
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
}

/// `zero`, the value client error correction fills a missing required
/// member with, for structures that need one.
fn zero_fn(s: &Struct) -> TokenStream {
    let request_id_init = request_id_init(s);
    let ctor_args = s.constructor_fields();
    if s.needs_zero && ctor_args.is_empty() {
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
    }
}

/// An error structure's fields beside its members: the request id, the
/// message when no member holds it, the awsQuery code and fault.
fn error_fields(s: &Struct) -> TokenStream {
    // An error shape without a message member still keeps the message the
    // service sent (under `message`, `Message` or `errorMessage`).
    let message_field = match &s.error {
        Some(e) if e.message_field.is_none() => quote! {
            /// The message the service sent (this error shape has no message member).
            pub(crate) message_: ::std::option::Option<::std::string::String>,
        },
        _ => quote!(),
    };
    let query_error_field = match &s.error {
        Some(e) if e.keeps_query_error => quote! {
            /// The awsQuery code and fault of the response this error was parsed from.
            pub(crate) query_error_: ::std::option::Option<crate::runtime::QueryError>,
        },
        _ => quote!(),
    };
    if s.error.is_some() {
        quote! {
            /// The `x-amzn-RequestId` of the response this error was parsed from.
            pub(crate) request_id_: ::std::option::Option<::std::string::String>,
            #message_field
            #query_error_field
        }
    } else {
        quote!()
    }
}

/// The `PartialEq` derive, or for errors a manual impl.
fn equality(s: &Struct) -> (TokenStream, TokenStream) {
    let name = ident(&s.name);
    // Equality compares the modeled members: the request id an error was
    // received with is transport metadata, not part of the value.
    if s.error.is_some() {
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
    }
}

/// The error side of an `@error` structure: its constants, accessors,
/// `Display`, `Error`, `ErrorMetadata` and `ModeledError`.
fn error_impl(s: &Struct, e: &ErrorInfo) -> TokenStream {
    let name = ident(&s.name);
    let code = &e.code;
    let message_field = e.message_field.map(|i| &s.fields[i]);
    let message = match message_field {
        Some(f) => {
            let n = ident(&f.name);
            if f.optional {
                quote!(self.#n.as_deref())
            } else {
                quote!(::std::option::Option::Some(self.#n.as_str()))
            }
        }
        None => quote!(self.message_.as_deref()),
    };
    // The message member reads only its own key; like other AWS SDKs,
    // fall back to the message found under `message`, `Message` or
    // `errorMessage` when that key is absent.
    let fill_message = match message_field {
        Some(f) if f.optional => {
            let n = ident(&f.name);
            quote! {
                fn fill_message(&mut self, message: ::std::option::Option<::std::string::String>) {
                    if self.#n.is_none() {
                        self.#n = message;
                    }
                }
            }
        }
        Some(_) => quote!(),
        None => quote! {
            fn fill_message(&mut self, message: ::std::option::Option<::std::string::String>) {
                self.message_ = message;
            }
        },
    };
    let retryable = e.retryable;
    let throttling = e.throttling;
    // An awsQuery error, or one of an `@awsQueryCompatible` service, keeps
    // the code and fault the response named (`x-amzn-query-error`).
    let (metadata_code, query_error) = if e.keeps_query_error {
        (
            quote! {
                ::std::option::Option::Some(
                    self.query_error_.as_ref().map_or(Self::CODE, |q| q.code.as_str()),
                )
            },
            quote! {
                fn fault(&self) -> ::std::option::Option<crate::runtime::Fault> {
                    self.query_error_.as_ref().and_then(|q| q.fault)
                }
            },
        )
    } else {
        (quote!(::std::option::Option::Some(Self::CODE)), quote!())
    };
    let set_query_error = if e.keeps_query_error {
        quote! {
            fn set_query_error(&mut self, query_error: ::std::option::Option<crate::runtime::QueryError>) {
                self.query_error_ = query_error;
            }
        }
    } else {
        quote!()
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
                    ::std::option::Option::Some(m) => {
                        let m = crate::runtime::Printable(m);
                        write!(f, "{}: {m}", Self::CODE)
                    }
                    ::std::option::Option::None => f.write_str(Self::CODE),
                }
            }
        }
        impl ::std::error::Error for #name {}
        impl crate::runtime::ErrorMetadata for #name {
            fn code(&self) -> ::std::option::Option<&str> {
                #metadata_code
            }
            #query_error
            fn message(&self) -> ::std::option::Option<&str> {
                #message
            }
            fn request_id(&self) -> ::std::option::Option<&str> {
                self.request_id_.as_deref()
            }
            fn is_retryable(&self) -> bool {
                #retryable
            }
            fn is_throttling(&self) -> bool {
                #throttling
            }
        }
        impl crate::runtime::ModeledError for #name {
            fn set_request_id(&mut self, request_id: ::std::option::Option<::std::string::String>) {
                self.request_id_ = request_id;
            }
            #set_query_error
            #fill_message
        }
    }
}

/// The setter adding one element of a list member or one entry of a map
/// member, when lowering gave the member one.
fn entry_setter(f: &Field) -> Option<TokenStream> {
    let m = ident(f.entry_setter.as_ref()?);
    let n = ident(&f.name);
    let (params, add, empty, what) = match &f.ty {
        Type::List { member, sparse, .. } => {
            let t = rust_type(member, Scope::Types);
            let v = if *sparse {
                quote!(::std::option::Option::Some(item.into()))
            } else {
                quote!(item.into())
            };
            (
                quote!(item: impl ::std::convert::Into<#t>),
                quote!(.push(#v)),
                quote!(::std::vec::Vec::new),
                "Appends one element to",
            )
        }
        Type::Map {
            key, value, sparse, ..
        } => {
            let k = rust_type(key, Scope::Types);
            let t = rust_type(value, Scope::Types);
            let v = if *sparse {
                quote!(::std::option::Option::Some(value.into()))
            } else {
                quote!(value.into())
            };
            (
                quote!(key: impl ::std::convert::Into<#k>, value: impl ::std::convert::Into<#t>),
                quote!(.insert(key.into(), #v)),
                quote!(::std::collections::BTreeMap::new),
                "Inserts one entry into",
            )
        }
        _ => return None,
    };
    let target = if f.optional {
        quote!(self.#n.get_or_insert_with(#empty))
    } else {
        quote!(self.#n)
    };
    let doc = doc_attrs(&[format!(
        "{what} `{}` (wire name `{}`), creating it if it is unset.",
        f.label, f.wire_name
    )]);
    Some(quote! {
        #doc
        #[must_use]
        pub fn #m(mut self, #params) -> Self {
            #target #add;
            self
        }
    })
}

/// Whether a structure's `Debug` can be derived: nothing to redact and no
/// error metadata beside its members (a derived `Debug` prints each field
/// under its name, raw identifiers without `r#`, as the hand-written one
/// does).
pub(super) fn derives_debug(s: &Struct) -> bool {
    !s.sensitive && s.error.is_none() && s.fields.iter().all(|f| !f.redact)
}

pub(super) fn debug_struct(s: &Struct) -> TokenStream {
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
        let label = &f.label;
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
    if let Some(e) = &s.error {
        // The kept message, when the shape has no member for it.
        let message = if e.message_field.is_none() {
            quote! {
                if let ::std::option::Option::Some(m) = &self.message_ {
                    d.field("message", m);
                }
            }
        } else {
            quote!()
        };
        // The request id is shown only when there is one.
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    let mut d = f.debug_struct(#label);
                    #(d #fields;)*
                    #message
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

pub(super) fn emit_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let mut docs = e.docs.clone();
    if docs.is_empty() {
        docs.push(format!("The `{}` enumeration.", e.shape_name));
    }
    docs.push(
        "Open: a value this crate does not know is kept in [`Unknown`](Self::Unknown) and sent back unchanged.".to_string(),
    );
    let docs = doc_attrs(&docs);
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
    let parts = EnumParts {
        name,
        docs,
        variants: e.variants.iter().map(|v| variant(e, v)).collect(),
        debug_derive,
        debug_impl,
    };
    if e.int {
        int_enum(e, parts)
    } else {
        string_enum(e, parts)
    }
}

/// What a string and an int enum share: name, docs, variants, `Debug`.
struct EnumParts {
    name: proc_macro2::Ident,
    docs: TokenStream,
    variants: Vec<TokenStream>,
    debug_derive: TokenStream,
    debug_impl: TokenStream,
}

/// One variant with its docs and wire value.
fn variant(e: &Enum, v: &Variant) -> TokenStream {
    let n = ident(&v.name);
    let mut d = v.docs.clone();
    d.push(if e.int {
        format!("Wire value `{}`.", v.int_value)
    } else {
        match v.value.as_str() {
            "" => "Wire value: the empty string.".to_string(),
            value => format!("Wire value {}.", crate::docs::code_span(value)),
        }
    });
    let d = doc_attrs(&d);
    quote!(#d #n,)
}

/// An `intEnum`: `i32` values.
fn int_enum(e: &Enum, parts: EnumParts) -> TokenStream {
    let EnumParts {
        name,
        docs,
        variants,
        debug_derive,
        debug_impl,
    } = parts;
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
    quote! {
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
    }
}

/// A string enum.
fn string_enum(e: &Enum, parts: EnumParts) -> TokenStream {
    let EnumParts {
        name,
        docs,
        variants,
        debug_derive,
        debug_impl,
    } = parts;
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

pub(super) fn emit_union(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let mut docs = u.docs.clone();
    if docs.is_empty() {
        docs.push(format!(
            "The `{}` union: exactly one member is set.",
            u.shape_name
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
                        Self::Unknown(m) => f.debug_tuple("Unknown").field(m).finish(),
                    }
                }
            }
        }
    } else {
        quote!()
    };
    // Variants hold their members by value (only recursion is boxed):
    // boxing the large ones would make a member's growth in a model update
    // change the API, so clippy's size lint is allowed on every union.
    quote! {
        #docs
        #[derive(Clone, #debug_derive PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know: kept by
            /// `to_json` and serde, never sent to a service.
            Unknown(crate::runtime::UnknownMember),
        }
        #debug_impl
    }
}

/// The struct of required members that the constructor of `s` takes by
/// name (`required.rs`).
pub(super) fn emit_required_args(s: &Struct) -> TokenStream {
    let Constructor::Named(args) = &s.constructor else {
        return TokenStream::new();
    };
    let name = ident(args);
    let doc = doc_attrs(&[format!(
        "The required members of [`{}`](super::{}), for [`{}::new`](super::{}::new).",
        s.name, s.name, s.name, s.name
    )]);
    let members = s.constructor_fields();
    let fields = members.iter().map(|f| {
        let n = ident(&f.name);
        let t = rust_type(&f.ty, Scope::Sibling);
        let d = doc_attrs(&[format!("`{}` (wire name `{}`).", f.label, f.wire_name)]);
        quote!(#d pub #n: #t,)
    });
    // A live stream can be read once: no `Clone` then.
    let clone = if members.iter().any(|f| {
        matches!(
            f.ty,
            Type::ByteStream | Type::EventStream(_) | Type::EventSender(_)
        )
    }) {
        quote!()
    } else {
        quote!(Clone,)
    };
    // `Debug` redacts what the structure's own `Debug` redacts.
    let label = args.as_str();
    let shown = members.iter().map(|f| {
        let n = ident(&f.name);
        let l = &f.label;
        if f.redact || s.sensitive {
            quote!(.field(#l, &crate::runtime::Redacted::VALUE))
        } else {
            quote!(.field(#l, &self.#n))
        }
    });
    quote! {
        #doc
        #[derive(#clone PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label)#(#shown)*.finish()
            }
        }
    }
}
