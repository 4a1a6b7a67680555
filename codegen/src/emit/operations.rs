//! `operations.rs` of a service module: one type per operation, with its
//! request builder and response parser.

use proc_macro2::TokenStream;
use quote::quote;

use super::protocol::Wire;
use super::tokens::*;
use crate::ir::*;

/// The end of `build_request`: the request from the body writer `w`, with
/// the `@endpoint` host prefix filled in from `input`, for
/// `@awsQueryCompatible` services the `x-amzn-query-mode` header, for
/// `@requestCompression` operations a gzip-compressed large body, and the
/// request checksum `@httpChecksum` asks for.
fn finish_request(svc: &Service, op: &Operation, make: TokenStream) -> TokenStream {
    let mut extras = Vec::new();
    if svc.query_compatible {
        extras.push(quote! {
            req.headers.push((::std::string::String::from("x-amzn-query-mode"), ::std::string::String::from("true")));
        });
    }
    extras.extend(host_prefix(svc, op));
    // A member bound to `Content-Length` stands for the body's length:
    // one header, and it must be true.
    let input = op.input.as_ref().and_then(|r| svc.structure(r));
    let bound_length = input.is_some_and(|s| {
        s.fields.iter().any(|f| {
            matches!(&f.location, Location::Header { name, .. } if name.eq_ignore_ascii_case("content-length"))
        })
    });
    if let (true, Some(s)) = (bound_length, input) {
        let shape = &s.shape_name;
        extras.insert(
            0,
            quote!(crate::runtime::rest::check_content_length(&req, #shape)?;),
        );
    }
    // Customisations: fixed headers, an endpoint named by the input.
    for (name, value) in &op.custom.headers {
        extras.push(quote! {
            req.headers.push((::std::string::String::from(#name), ::std::string::String::from(#value)));
        });
    }
    if let Some(i) = op.custom.endpoint_member {
        let input = op.input.as_ref().and_then(|r| svc.structure(r));
        if let Some(f) = input.and_then(|s| s.fields.get(i)) {
            let n = ident(&f.name);
            extras.push(if f.optional {
                quote!(req.endpoint = input.#n.clone();)
            } else {
                quote!(req.endpoint = ::std::option::Option::Some(input.#n.clone());)
            });
        }
    }
    if op.custom.aws_chunked {
        extras.push(quote! {
            if let ::std::option::Option::Some(streamed) = req.streamed.as_mut() {
                streamed.aws_chunked = true;
            }
        });
    }
    if op.gzip_request {
        extras.push(quote!(crate::runtime::http::gzip_body(&mut req);));
    }
    // Over the body as sent (compressed, when it is).
    if let Some(checksum) = &op.request_checksum {
        extras.extend(checksum_statements(svc, op, checksum));
    }
    // Hashes over the body as sent, computed with the client's RustCrypto
    // digests: Glacier's tree hash (a customisation), and `Content-MD5`
    // where `@httpChecksumRequired` asks for a checksum.
    let mut client_only = Vec::new();
    if op.custom.tree_hash {
        client_only.push(quote! {
            #[cfg(feature = "client")]
            crate::runtime::client::body_hashes::tree_hash_headers(&mut req);
        });
    }
    if op.request_checksum.as_ref().is_some_and(|c| c.content_md5) {
        client_only.push(quote! {
            #[cfg(feature = "client")]
            crate::runtime::client::body_hashes::content_md5(&mut req);
        });
    }
    if extras.is_empty() && client_only.is_empty() {
        quote!(::std::result::Result::Ok(#make))
    } else if extras.is_empty() {
        quote! {
            #[cfg_attr(not(feature = "client"), allow(unused_mut))]
            let mut req = #make;
            #(#client_only)*
            ::std::result::Result::Ok(req)
        }
    } else {
        quote! {
            let mut req = #make;
            #(#extras)*
            #(#client_only)*
            ::std::result::Result::Ok(req)
        }
    }
}

/// The `@endpoint` host prefix, filled in from the input's labels.
fn host_prefix(svc: &Service, op: &Operation) -> Option<TokenStream> {
    if op.host_prefix.is_empty() {
        return None;
    }
    let input = op.input.as_ref().and_then(|r| svc.structure(r));
    let parts = op.host_prefix.iter().map(|p| match (p, input) {
        (HostPrefixPart::Literal(text), _) => match text.chars().collect::<Vec<_>>()[..] {
            [c] => quote!(prefix.push(#c);),
            _ => quote!(prefix.push_str(#text);),
        },
        (HostPrefixPart::Label { wire_name, field }, Some(input)) => {
            let shape = &input.shape_name;
            let f = &input.fields[*field];
            let n = ident(&f.name);
            let value = if f.optional {
                quote!(input.#n.as_deref())
            } else {
                quote!(::std::option::Option::Some(input.#n.as_str()))
            };
            quote!(prefix.push_str(crate::runtime::http::host_label(#value, #shape, #wire_name)?);)
        }
        // Lowering only accepts labels that name input members.
        (HostPrefixPart::Label { .. }, None) => TokenStream::new(),
    });
    Some(quote! {
        let mut prefix = ::std::string::String::new();
        #(#parts)*
        req.host_prefix = prefix;
    })
}

/// The request checksum `@httpChecksum` asks for, and the response
/// validation it asks for unless the caller said otherwise.
fn checksum_statements(
    svc: &Service,
    op: &Operation,
    checksum: &RequestChecksum,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let input = op.input.as_ref().and_then(|r| svc.structure(r));
    let shape = input.map_or("Unit", |s| s.shape_name.as_str());
    let required = checksum.required;
    let field = checksum
        .algorithm_field
        .and_then(|i| input.map(|s| &s.fields[i]));
    let header = match field.map(|f| &f.location) {
        Some(Location::Header { name, .. }) => quote!(::std::option::Option::Some(#name)),
        _ => quote!(::std::option::Option::None),
    };
    let has_member = field.is_some();
    // Response validation is asked for unless the caller said otherwise.
    let validation = checksum
        .validation_field
        .and_then(|i| input.map(|s| &s.fields[i]));
    if let Some(f) = validation {
        if let (Location::Header { name, .. }, true) = (&f.location, f.optional) {
            let n = ident(&f.name);
            out.push(quote! {
                if input.#n.is_none() {
                    req.push_computed(#name, "ENABLED");
                }
            });
        }
    }
    let chosen = match field {
        Some(f) => {
            let n = ident(&f.name);
            if f.optional && f.ty == Type::String {
                quote!(input.#n.as_deref())
            } else if f.optional {
                quote!(input.#n.as_ref().map(|a| a.as_str()))
            } else {
                quote!(::std::option::Option::Some(input.#n.as_str()))
            }
        }
        None => quote!(::std::option::Option::None),
    };
    out.push(quote! {
        crate::runtime::checksum::request_checksum(
            &mut req,
            crate::runtime::checksum::ChecksumRule {
                shape: #shape,
                required: #required,
                algorithm_header: #header,
                has_algorithm_member: #has_member,
            },
            #chosen,
        )?;
    });
    out
}

/// The start of `parse_response`: customisations that read a response
/// before its status decides (a body checked against a CRC-32 header, an
/// error document sent with a success status).
fn check_response(op: &Operation, err: &TokenStream, error_parts: &TokenStream) -> TokenStream {
    let mut out = Vec::new();
    if let Some(header) = &op.custom.response_crc32 {
        out.push(quote! {
            if let ::std::option::Option::Some(e) = crate::runtime::UnhandledError::crc32_mismatch(status, headers, body, #header) {
                return ::std::result::Result::Err(#err::Unhandled(e));
            }
        });
    }
    if op.custom.error_on_success {
        out.push(quote! {
            if crate::runtime::http::is_success(status) && crate::runtime::xml::is_error_document(body) {
                let parts = #error_parts;
                return ::std::result::Result::Err(#err::Unhandled(crate::runtime::UnhandledError::new(500, parts).transient()));
            }
        });
    }
    quote!(#(#out)*)
}

/// The error parts after customisations and protocol rules that read an
/// error from its status when the response names none.
fn status_codes(svc: &Service, op: &Operation) -> TokenStream {
    let fallback = svc.protocol_info.status_code_errors;
    if op.custom.status_codes.is_empty() && !fallback {
        return quote!();
    }
    let codes = op.custom.status_codes.iter().map(|(s, c)| quote!((#s, #c)));
    quote! {
        let parts = crate::runtime::error::status_code_parts(status, parts, body, &[#(#codes),*], #fallback);
    }
}

pub(super) fn emit_operation(svc: &Service, op: &Operation) -> TokenStream {
    let prefix = &svc.target_prefix;
    let Wire {
        constant,
        request_doc,
        write_input,
        make,
        read_output,
        error_parts,
        parse_modeled,
    } = super::protocol::emitter(svc.protocol_info.family).wire(svc, op);
    let finish_request = finish_request(svc, op, make);
    let err_path = named(&op.error_name, Scope::Sibling);
    let check_response = check_response(op, &err_path, &error_parts);
    let status_codes = status_codes(svc, op);
    let endpoint_params = endpoint_params(svc, op);
    let streaming = streaming(svc, op);
    let input_events = input_events(svc, op);
    let input_body = input_body(svc, op);
    let discovered = match op.discovered_endpoint {
        Some(d) => {
            let required = d.required;
            quote!(const DISCOVERED_ENDPOINT: ::std::option::Option<bool> = ::std::option::Option::Some(#required);)
        }
        None => quote!(),
    };
    let paginated = paginated(op);
    let name = ident(&op.name);
    let err = named(&op.error_name, Scope::Sibling);
    let wire = &op.wire_name;
    let mut docs = op.docs.clone();
    if docs.is_empty() {
        docs.push(format!("The `{wire}` operation."));
    }
    docs.push(format!(
        "Transport-free: [`build_request`](Self::build_request) turns the input into an HTTP request \
         ({request_doc}); [`parse_response`](Self::parse_response) turns status, \
         headers and body into the output or a [`{}`](super::{}).",
        op.error_name, op.error_name
    ));
    for note in &op.custom.notes {
        docs.push(format!("Customisation, as the AWS SDKs do: {note}."));
    }
    let docs = doc_attrs(&docs);
    let (input_ty, output_ty) = io_types(op);
    let arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let code = &e.code;
        quote! {
            ::std::option::Option::Some(#code) => #parse_modeled
                .map_or_else(#err::Unhandled, #err::#v),
        }
    });
    let match_errors = if op.errors.is_empty() {
        quote!(#err::Unhandled(crate::runtime::UnhandledError::new(status, parts)))
    } else {
        quote! {
            let code = parts.code.clone();
            match code.as_deref() {
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
            #constant

            /// Serializes an input into an HTTP request. Fails, before anything is sent, when a required member is unset.
            pub fn build_request(input: &#input_ty) -> ::std::result::Result<crate::runtime::HttpRequest, crate::runtime::EncodeError> {
                #write_input
                #finish_request
            }

            /// Parses an HTTP response into the output or the operation's error.
            pub fn parse_response(status: u16, headers: &(impl crate::runtime::Headers + ?Sized), body: &[u8]) -> ::std::result::Result<#output_ty, #err> {
                #check_response
                if crate::runtime::http::is_success(status) {
                    return #read_output.map_err(|e| {
                        #err::Unhandled(crate::runtime::UnhandledError::unreadable_success(status, headers, body, e))
                    });
                }
                let parts = #error_parts;
                #status_codes
                ::std::result::Result::Err({ #match_errors })
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
            fn parse_response(status: u16, headers: &(impl crate::runtime::Headers + ?Sized), body: &[u8]) -> ::std::result::Result<Self::Output, Self::Error> {
                Self::parse_response(status, headers, body)
            }
            #streaming
            #input_events
            #input_body
            #discovered
            #endpoint_params
        }

        #paginated
    }
}

/// `Operation::input_events` of an operation whose input streams events:
/// the input's events, taken out for the client to send.
fn input_events(svc: &Service, op: &Operation) -> TokenStream {
    let Some(field) = op
        .input
        .as_ref()
        .and_then(|r| svc.structure(r))
        .and_then(|s| {
            s.fields
                .iter()
                .find(|f| matches!(f.ty, Type::EventSender(_)))
        })
    else {
        return TokenStream::new();
    };
    let n = ident(&field.name);
    let events = if field.optional {
        quote!(input.#n.as_ref().map(|events| events.take()))
    } else {
        quote!(::std::option::Option::Some(input.#n.take()))
    };
    quote! {
        fn input_events(input: &Self::Input) -> ::std::option::Option<::std::boxed::Box<dyn crate::runtime::stream::MessageSource>> {
            #events.map(|events| ::std::boxed::Box::new(events) as ::std::boxed::Box<dyn crate::runtime::stream::MessageSource>)
        }
    }
}

/// `Operation::input_body` of an operation whose input streams its body:
/// the stream the client sends when the request is marked streamed.
fn input_body(svc: &Service, op: &Operation) -> TokenStream {
    let Some(field) = streamed_input(svc, op) else {
        return TokenStream::new();
    };
    let n = ident(&field.name);
    let body = if field.optional {
        quote!(input.#n.as_ref())
    } else {
        quote!(::std::option::Option::Some(&input.#n))
    };
    quote! {
        fn input_body(input: &Self::Input) -> ::std::option::Option<&crate::runtime::ByteStream> {
            #body
        }
    }
}

/// The input's streamed body member, if it has one.
fn streamed_input<'a>(svc: &'a Service, op: &Operation) -> Option<&'a Field> {
    op.input
        .as_ref()
        .and_then(|r| svc.structure(r))
        .and_then(|s| s.fields.iter().find(|f| f.ty == Type::ByteStream))
}

/// The streaming half of `impl Operation` for an operation whose output
/// holds a stream: the body goes into that member as it arrives.
fn streaming(svc: &Service, op: &Operation) -> TokenStream {
    let Some(field) = op
        .output
        .as_ref()
        .and_then(|r| svc.structure(r))
        .and_then(|s| {
            s.fields
                .iter()
                .find(|f| matches!(f.ty, Type::ByteStream | Type::EventStream(_)))
        })
    else {
        return TokenStream::new();
    };
    let n = ident(&field.name);
    let value = match &field.ty {
        Type::EventStream(_) => quote!(crate::runtime::eventstream::EventStream::new(body)),
        _ => quote!(body),
    };
    let value = if field.optional {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    };
    // A body the response gives a checksum for is checked as it is read.
    let algorithms: Vec<&str> = op
        .request_checksum
        .iter()
        .flat_map(|c| c.response_algorithms.iter().map(String::as_str))
        .collect();
    let verify = if algorithms.is_empty() {
        quote!()
    } else {
        quote!(let body = crate::runtime::checksum::verify_body(headers, &[#(#algorithms),*], body);)
    };
    // The output's other members come in the stream's first event.
    let (initial, parse) = if op.initial_response {
        (
            quote!(
                const INITIAL_RESPONSE: bool = true;
            ),
            quote!(crate::runtime::eventstream::parse_streaming_initial),
        )
    } else {
        (quote!(), quote!(crate::runtime::http::parse_streaming))
    };
    quote! {
        const STREAMING_OUTPUT: bool = true;
        #initial
        fn parse_streaming_response(status: u16, headers: &(impl crate::runtime::Headers + ?Sized), body: crate::runtime::ByteStream) -> ::std::result::Result<Self::Output, Self::Error> {
            #verify
            #parse::<Self>(status, headers, body, |output, body| {
                output.#n = #value;
            })
        }
    }
}

/// `impl Paginated` of a paginated operation, and `impl PaginatedItems`
/// when the trait names its items (the `client` feature).
fn paginated(op: &Operation) -> TokenStream {
    let Some(p) = &op.paginator else {
        return TokenStream::new();
    };
    let name = ident(&op.name);
    let token = ident(&p.input_token);
    let token_ty = rust_type(&p.token, Scope::Sibling);
    // `output.a.as_ref()?.b.clone()`, an empty token read as none.
    let mut next = quote!(output);
    let last = p.output_token.len() - 1;
    for (i, step) in p.output_token.iter().enumerate() {
        let f = ident(&step.field);
        next = match (i == last, step.optional) {
            (false, true) => quote!(#next.#f.as_ref()?),
            (false, false) => quote!(#next.#f),
            (true, true) => quote!(#next.#f.clone()?),
            (true, false) => quote!(#next.#f.clone()),
        };
    }
    let token_text = if p.token == Type::String {
        quote!(token.clone())
    } else {
        quote!(::std::format!("{token:?}"))
    };
    let items = match &p.items {
        None => quote!(),
        Some(items) => {
            let item_ty = match &items.collection {
                Type::List { member, sparse, .. } => {
                    let m = rust_type(member, Scope::Sibling);
                    if *sparse {
                        quote!(::std::option::Option<#m>)
                    } else {
                        m
                    }
                }
                Type::Map {
                    key, value, sparse, ..
                } => {
                    let k = rust_type(key, Scope::Sibling);
                    let mut v = rust_type(value, Scope::Sibling);
                    if *sparse {
                        v = quote!(::std::option::Option<#v>);
                    }
                    quote!((#k, #v))
                }
                other => rust_type(other, Scope::Sibling),
            };
            // `output.a.and_then(|v| v.b).unwrap_or_default()`: moves the
            // collection out, an absent step giving no items.
            let mut e = quote!(output);
            let mut in_option = false;
            for step in &items.path {
                let f = ident(&step.field);
                e = match (in_option, step.optional) {
                    (false, _) => quote!(#e.#f),
                    (true, true) => quote!(#e.and_then(|v| v.#f)),
                    (true, false) => quote!(#e.map(|v| v.#f)),
                };
                in_option |= step.optional;
            }
            if in_option {
                e = quote!(#e.unwrap_or_default());
            }
            quote! {
                #[cfg(feature = "client")]
                impl crate::runtime::client::PaginatedItems for #name {
                    type Item = #item_ty;
                    fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                        ::std::iter::IntoIterator::into_iter(#e).collect()
                    }
                }
            }
        }
    };
    let page_size = match &p.page_size {
        None => quote!(),
        Some(size) => {
            let f = ident(&size.field);
            let value = match size.ty {
                Type::Long => quote!(i64::from(size)),
                Type::Short => quote!(size.clamp(i16::MIN.into(), i16::MAX.into()) as i16),
                Type::Byte => quote!(size.clamp(i8::MIN.into(), i8::MAX.into()) as i8),
                _ => quote!(size),
            };
            let value = if size.optional {
                quote!(::std::option::Option::Some(#value))
            } else {
                value
            };
            quote! {
                fn set_page_size(input: &mut Self::Input, size: i32) {
                    input.#f = #value;
                }
            }
        }
    };
    quote! {
        #[cfg(feature = "client")]
        impl crate::runtime::client::Paginated for #name {
            type Token = #token_ty;
            fn set_token(input: &mut Self::Input, token: Self::Token) {
                input.#token = ::std::option::Option::Some(token);
            }
            fn next_token(output: &Self::Output) -> ::std::option::Option<Self::Token> {
                let token: Self::Token = #next;
                (!token.is_empty()).then_some(token)
            }
            fn token_text(token: &Self::Token) -> ::std::string::String {
                #token_text
            }
            #page_size
        }
        #items
    }
}

/// `Operation::endpoint_params` of an operation that sets endpoint
/// parameters; nothing (the trait's empty default) otherwise.
fn endpoint_params(svc: &Service, op: &Operation) -> TokenStream {
    let Some(rules) = &svc.endpoint else {
        return TokenStream::new();
    };
    if op.endpoint_context.is_empty() {
        return TokenStream::new();
    }
    let input = op.input.as_ref().and_then(|r| svc.structure(r));
    let pairs = op.endpoint_context.iter().map(|c| {
        let name = &rules.params[c.param].name;
        let value = match &c.source {
            EndpointSource::Static(EndpointLiteral::Bool(b)) => {
                quote!(crate::runtime::endpoint::Value::Bool(#b))
            }
            EndpointSource::Static(EndpointLiteral::Str(s)) => {
                quote!(crate::runtime::endpoint::Value::str(#s))
            }
            EndpointSource::Static(EndpointLiteral::StrArray(items)) => quote! {
                crate::runtime::endpoint::Value::Array(::std::vec![
                    #(crate::runtime::endpoint::Value::str(#items)),*
                ])
            },
            EndpointSource::Member(i) => match input.and_then(|s| s.fields.get(*i)) {
                Some(f) => member_value(f),
                None => quote!(crate::runtime::endpoint::Value::None),
            },
        };
        quote!((#name, #value))
    });
    let reads_input = op
        .endpoint_context
        .iter()
        .any(|c| matches!(c.source, EndpointSource::Member(_)));
    let input_name = if reads_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    quote! {
        #[cfg(feature = "endpoints")]
        fn endpoint_params(#input_name: &Self::Input) -> ::std::vec::Vec<(&'static str, crate::runtime::endpoint::Value<'_>)> {
            ::std::vec::Vec::from([#(#pairs),*])
        }
    }
}

/// The endpoint-parameter value of an input field (a string, string enum,
/// boolean or list of strings: lowering checked which).
fn member_value(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let v = quote!(crate::runtime::endpoint::Value);
    match (&f.ty, f.optional) {
        (Type::Boolean, true) => quote!(#v::opt_bool(input.#name)),
        (Type::Boolean, false) => quote!(#v::Bool(input.#name)),
        (Type::Named(_), true) => {
            quote!(input.#name.as_ref().map_or(#v::None, |x| #v::str(x.as_str())))
        }
        (Type::Named(_), false) => quote!(#v::str(input.#name.as_str())),
        (Type::List { .. }, true) => quote!(input.#name.as_deref().map_or(#v::None, #v::str_array)),
        (Type::List { .. }, false) => quote!(#v::str_array(&input.#name)),
        (_, true) => quote!(#v::opt_str(input.#name.as_deref())),
        (_, false) => quote!(#v::str(&input.#name)),
    }
}
