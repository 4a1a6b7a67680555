//! The REST protocols (restJson1): an operation's request builder from its
//! `@http` route and its input's member locations, and `rest.rs` of a
//! service module, which reads responses (bound headers, status code, body
//! or payload) into output and error structures.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::json::{de_result, read_inits, read_locals, read_members, ser_field};
use super::text::{parse_text, text_expr, with_value};
use super::tokens::*;
use crate::ir::*;

/// Statements of `build_request` filling the `RestRequest` `b` from
/// `input`: path, query, headers, body.
pub(super) fn write_request(svc: &Service, op: &Operation, route: &HttpRoute) -> TokenStream {
    let method = &route.method;
    let input = op.input.as_ref().and_then(|r| svc.structure(r));
    let mut out = vec![quote! {
        let mut b = crate::runtime::rest::RestRequest::new(#method);
    }];
    for part in &route.path {
        match (part, input) {
            (PathPart::Literal(text), _) => out.push(quote!(b.path(#text);)),
            (PathPart::Label { field, greedy }, Some(s)) => {
                out.push(label_write(s, &s.fields[*field], *greedy));
            }
            // Lowering only accepts labels that name input members.
            (PathPart::Label { .. }, None) => {}
        }
    }
    for (k, v) in &route.query {
        let v = match v {
            Some(v) => quote!(::std::option::Option::Some(#v)),
            None => quote!(::std::option::Option::None),
        };
        out.push(quote!(b.query_literal(#k, #v);));
    }
    // An input none of whose members is written (no members, or only a
    // label the endpoint carries instead of the path).
    let labels = route
        .path
        .iter()
        .any(|p| matches!(p, PathPart::Label { .. }));
    if input.is_some_and(|s| {
        !labels
            && s.fields
                .iter()
                .all(|f| matches!(f.location, Location::Label { .. }))
    }) {
        out.push(quote!(let _ = input;));
    }
    let Some(s) = input else {
        if op.input.is_none() {
            out.insert(0, quote!(let () = *input;));
        }
        return quote!(#(#out)*);
    };
    // Query members before `@httpQueryParams` entries, headers bound by name
    // before prefix headers: the second of each pair gives way to the first.
    for write in [
        query_member,
        query_params_member,
        header_member,
        prefix_headers_member,
    ] {
        out.extend(s.fields.iter().filter_map(|f| write(s, f)));
    }
    let payload = s.fields.iter().find_map(|f| match &f.location {
        Location::Payload { content_type, .. } => Some((f, content_type)),
        _ => None,
    });
    if let Some((f, content_type)) = payload {
        out.push(payload_write(svc, s, f, content_type));
    } else {
        out.extend(body_write(svc, s));
    }
    quote!(#(#out)*)
}

/// The statements writing the label member `f` of `s` into the path.
fn label_write(s: &Struct, f: &Field, greedy: bool) -> TokenStream {
    let shape = &s.shape_name;
    let member = &f.wire_name;
    let format = match &f.location {
        Location::Label { format } => *format,
        _ => TimestampFormat::DateTime,
    };
    let text = text_expr(&f.ty, &quote!(v), format, false);
    // Customisations: prefixes a label loses (Route 53's ids),
    // the value an empty one takes (Glacier's account id).
    let text = if f.trim_prefixes.is_empty() {
        text
    } else {
        let prefixes = &f.trim_prefixes;
        quote!(crate::runtime::rest::trim_prefixes(#text, &[#(#prefixes),*]))
    };
    match &f.label_default {
        None => with_value(
            s,
            f,
            &quote!(input),
            quote!(b.label(&#text, #greedy, #shape, #member)?;),
            true,
        ),
        Some(default) => {
            let n = ident(&f.name);
            let value = if f.optional {
                quote! {
                    match &input.#n {
                        ::std::option::Option::Some(v) => #text,
                        ::std::option::Option::None => ::std::string::String::new(),
                    }
                }
            } else {
                quote!({ let v = &input.#n; #text })
            };
            quote! {
                {
                    let text: ::std::string::String = #value;
                    let text = if text.is_empty() { ::std::string::String::from(#default) } else { text };
                    b.label(&text, #greedy, #shape, #member)?;
                }
            }
        }
    }
}

/// The statements writing the `@httpPayload` member `f` of `s` as the body.
fn payload_write(svc: &Service, s: &Struct, f: &Field, content_type: &str) -> TokenStream {
    let xml = svc.protocol_info.body_format == BodyFormat::Xml;
    let body = match &f.ty {
        Type::Blob => quote!(b.body(v.as_bytes().to_vec(), #content_type);),
        // The events follow the request, framed and signed by the client.
        Type::EventSender(_) => quote! {
            let _ = v;
            b.header("Content-Type", ::std::string::String::from(#content_type));
        },
        // Bytes in memory are the body; a file or a reader is sent by the
        // client as it reads it (`Operation::input_body`).
        Type::ByteStream => {
            let shape = &s.shape_name;
            quote! {
                match v.buffered() {
                    ::std::option::Option::Some(bytes) => b.body(bytes.to_vec(), #content_type),
                    ::std::option::Option::None => {
                        let length = v.content_length().ok_or_else(|| crate::runtime::EncodeError::InvalidValue {
                            shape: #shape,
                            message: ::std::string::String::from("a stream of unknown length cannot be sent: give its length (ByteStream::from_reader_with_length) or send a file (ByteStream::from_path)"),
                        })?;
                        b.streamed_body(length, #content_type);
                    }
                }
            }
        }
        Type::String => quote!(b.body(v.as_bytes().to_vec(), #content_type);),
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => quote!(b.body(v.as_str().as_bytes().to_vec(), #content_type);),
        Type::Document => quote! {
            let mut w = crate::runtime::JsonWriter::new();
            w.document(v);
            b.body(w.into_string().into_bytes(), #content_type);
        },
        Type::Named(r) if xml => {
            let Location::Payload { xml_name, .. } = &f.location else {
                return TokenStream::new();
            };
            let own_ns = svc.structure(r).and_then(|t| t.xml_namespace.as_ref());
            let ns = match own_ns.or(svc.protocol_info.xml_namespace.as_ref()) {
                Some((prefix, uri)) => quote!(w.next_namespace(#prefix, #uri);),
                None => quote!(),
            };
            let v = if f.boxed { quote!(&**v) } else { quote!(v) };
            quote! {
                let mut writer = crate::runtime::xml::XmlWriter::new();
                {
                    let w = &mut writer;
                    #ns
                    crate::runtime::xml::XmlSerialize::write_xml(#v, w, #xml_name)?;
                }
                b.body(writer.into_bytes(), #content_type);
            }
        }
        _ => {
            let v = if f.boxed { quote!(&**v) } else { quote!(v) };
            quote! {
                let mut w = crate::runtime::JsonWriter::new();
                crate::runtime::JsonSerialize::write_json(#v, &mut w)?;
                b.body(w.into_string().into_bytes(), #content_type);
            }
        }
    };
    let unset = match &f.ty {
        // An unset structure payload is sent as an empty object.
        Type::Named(TypeRef {
            kind: NamedKind::Struct,
            ..
        }) if f.optional && !xml => quote! {
            else {
                b.body(::std::vec::Vec::from(&b"{}"[..]), #content_type);
            }
        },
        _ => TokenStream::new(),
    };
    let n = ident(&f.name);
    if f.optional && !f.required {
        quote! {
            if let ::std::option::Option::Some(v) = &input.#n {
                #body
            } #unset
        }
    } else {
        with_value(s, f, &quote!(input), body, false)
    }
}

/// The statements writing the body members of `s` as the body (JSON or
/// XML); `None` when it has none.
fn body_write(svc: &Service, s: &Struct) -> Option<TokenStream> {
    let xml = svc.protocol_info.body_format == BodyFormat::Xml;
    let body: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| matches!(f.location, Location::Body | Location::ResponseCode))
        .collect();
    if !body.is_empty() && xml {
        let root = &s.xml_name;
        let ns = match (&s.xml_namespace, &svc.protocol_info.xml_namespace) {
            (Some((prefix, uri)), _) | (None, Some((prefix, uri))) => {
                quote!(w.namespace(#prefix, #uri);)
            }
            (None, None) => quote!(),
        };
        let members = super::xml::members(s, &body, &quote!(input));
        return Some(quote! {
            let mut writer = crate::runtime::xml::XmlWriter::new();
            {
                let w = &mut writer;
                w.start(#root);
                #ns
                #members
                w.end(#root);
            }
            b.body(writer.into_bytes(), "application/xml");
        });
    }
    if !body.is_empty() {
        let this = quote!(input);
        let fields = body.iter().map(|f| ser_field(s, f, &this));
        return Some(quote! {
            // Nested structures and unions are written by their methods.
            #[allow(unused_imports)]
            use crate::runtime::JsonSerialize as _;
            let mut writer = crate::runtime::JsonWriter::new();
            {
                let w = &mut writer;
                w.begin_object();
                #(#fields)*
                w.end_object();
            }
            b.body(writer.into_string().into_bytes(), "application/json");
        });
    }
    None
}

/// An `@httpQuery` member: one parameter, or one per list item.
fn query_member(s: &Struct, f: &Field) -> Option<TokenStream> {
    let Location::Query { name, format } = &f.location else {
        return None;
    };
    let body = match &f.ty {
        Type::List { member, sparse, .. } => {
            let text = text_expr(member, &quote!(item), *format, false);
            let items = if *sparse {
                quote!(v.iter().flatten())
            } else {
                quote!(v.iter())
            };
            quote!(for item in #items { b.query(#name, &#text); })
        }
        ty => {
            let text = text_expr(ty, &quote!(v), *format, false);
            quote!(b.query(#name, &#text);)
        }
    };
    Some(with_value(s, f, &quote!(input), body, false))
}

/// An `@httpQueryParams` map: a parameter per entry (per value of a map of
/// lists).
fn query_params_member(s: &Struct, f: &Field) -> Option<TokenStream> {
    let (Location::QueryParams, Type::Map { value, .. }) = (&f.location, &f.ty) else {
        return None;
    };
    // Keys are strings or string enums.
    let k = quote!(k.as_str());
    let body = match &**value {
        Type::List { member, sparse, .. } => {
            let text = text_expr(member, &quote!(item), TimestampFormat::DateTime, false);
            let items = if *sparse {
                quote!(values.iter().flatten())
            } else {
                quote!(values.iter())
            };
            quote! {
                for (k, values) in v.iter() {
                    let texts: ::std::vec::Vec<::std::string::String> = #items.map(|item| #text).collect();
                    b.query_param_list(#k, &texts);
                }
            }
        }
        ty => {
            let text = text_expr(ty, &quote!(value), TimestampFormat::DateTime, false);
            quote! {
                for (k, value) in v.iter() {
                    b.query_param(#k, &#text);
                }
            }
        }
    };
    Some(with_value(s, f, &quote!(input), body, false))
}

/// An `@httpHeader` member; a list is one comma-separated header, its
/// strings quoted where they hold a comma or a quote.
fn header_member(s: &Struct, f: &Field) -> Option<TokenStream> {
    let Location::Header {
        name,
        format,
        base64,
    } = &f.location
    else {
        return None;
    };
    let body = match &f.ty {
        Type::List { member, sparse, .. } => {
            let text = text_expr(member, &quote!(item), *format, *base64);
            let quoted = matches!(
                &**member,
                Type::String
                    | Type::Named(TypeRef {
                        kind: NamedKind::Enum,
                        ..
                    })
            );
            let items = if *sparse {
                quote!(v.iter().flatten())
            } else {
                quote!(v.iter())
            };
            quote! {
                b.header(#name, crate::runtime::rest::header_list(#items.map(|item| #text), #quoted));
            }
        }
        ty => {
            let text = text_expr(ty, &quote!(v), *format, *base64);
            quote!(b.header(#name, #text);)
        }
    };
    Some(with_value(s, f, &quote!(input), body, false))
}

/// An `@httpPrefixHeaders` map: a header per entry.
fn prefix_headers_member(s: &Struct, f: &Field) -> Option<TokenStream> {
    let (Location::PrefixHeaders(prefix), Type::Map { value, .. }) = (&f.location, &f.ty) else {
        return None;
    };
    // Keys are strings or string enums.
    let k = quote!(k.as_str());
    let text = text_expr(value, &quote!(value), TimestampFormat::HttpDate, false);
    let shape = &s.shape_name;
    let member = &f.wire_name;
    Some(with_value(
        s,
        f,
        &quote!(input),
        quote! {
            for (k, value) in v.iter() {
                b.prefix_header(&::std::format!("{}{}", #prefix, #k), #text, #shape, #member)?;
            }
        },
        false,
    ))
}

/// The output and error structures of a service's operations: the
/// structures `rest.rs` reads responses into.
pub(super) fn response_structs(svc: &Service) -> Vec<&Struct> {
    let mut ids: Vec<TypeId> = Vec::new();
    for op in &svc.operations {
        ids.extend(op.output.as_ref().map(|r| r.id));
        ids.extend(op.errors.iter().map(|e| e.ty.id));
    }
    ids.sort_by_key(|id| id.0);
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| svc.ty(id).as_struct())
        .collect()
}

/// `impl RestDeserialize` of an output or error structure: headers, status
/// code, then the payload or the body's members.
pub(super) fn emit_response_reader(svc: &Service, s: &Struct) -> TokenStream {
    let xml = svc.protocol_info.body_format == BodyFormat::Xml;
    let name = named(&s.name, Scope::Sibling);
    let locals = read_locals(s);
    let inits = read_inits(s);
    let request_id_init = request_id_init(s);
    let mut reads: Vec<TokenStream> = s.fields.iter().filter_map(|f| header_read(s, f)).collect();
    let uses_headers = s.fields.iter().any(|f| {
        matches!(
            f.location,
            Location::Header { .. } | Location::PrefixHeaders(_)
        )
    });
    let uses_status = s
        .fields
        .iter()
        .any(|f| f.location == Location::ResponseCode);
    let body_read = body_read(s, xml);
    let uses_body = body_read.is_some();
    reads.extend(body_read);
    let status = if uses_status {
        quote!(status)
    } else {
        quote!(_status)
    };
    let headers = if uses_headers {
        quote!(headers)
    } else {
        quote!(_headers)
    };
    let body = if uses_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    let locals: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(locals)
        .filter(|(f, _)| !known_up_front(f))
        .map(|(_, local)| local)
        .collect();
    let inits: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(inits)
        .map(|(f, init)| {
            if known_up_front(f) {
                known_init(f)
            } else {
                init
            }
        })
        .collect();
    quote! {
        impl crate::runtime::rest::RestDeserialize for #name {
            fn read_rest(#status: u16, #headers: &(impl crate::runtime::Headers + ?Sized), #body: &[u8]) -> ::std::result::Result<Self, crate::runtime::DecodeError> {
                #(#locals)*
                #(#reads)*
                ::std::result::Result::Ok(Self { #(#inits,)* #request_id_init })
            }
        }
    }
}

/// The statement reading a header-bound member of `s` into its local.
fn header_read(s: &Struct, f: &Field) -> Option<TokenStream> {
    let Location::Header {
        name,
        format,
        base64,
    } = &f.location
    else {
        return None;
    };
    let l = format_ident!("f_{}", f.label);
    let member = &f.wire_name;
    let shape = &s.shape_name;
    let value = match &f.ty {
        Type::List { member, sparse, .. } => {
            let dates =
                matches!(**member, Type::Timestamp(_)) && *format == TimestampFormat::HttpDate;
            let item = parse_text(member, name, &quote!(item.as_str()), *format, *base64);
            let item = if *sparse {
                quote!(#item.map(::std::option::Option::Some))
            } else {
                item
            };
            quote! {
                crate::runtime::rest::split_header_list(h, #dates)
                    .iter()
                    .map(|item| #item)
                    .collect::<::std::result::Result<::std::vec::Vec<_>, _>>()
            }
        }
        ty => parse_text(ty, name, &quote!(h), *format, *base64),
    };
    // A lenient header (a customisation: S3's `Expires`) that
    // does not parse reads as absent.
    Some(if f.lenient {
        quote! {
            if let ::std::option::Option::Some(h) = crate::runtime::Headers::header(headers, #name) {
                #l = #value.ok();
            }
        }
    } else {
        quote! {
            if let ::std::option::Option::Some(h) = crate::runtime::Headers::header(headers, #name) {
                #l = ::std::option::Option::Some(#value.map_err(|e| e.in_member(#shape, #member))?);
            }
        }
    })
}

/// The statements reading the body into the locals of `s`: the payload
/// member, the unwrapped root element, or the body members; `None` when
/// nothing comes from the body.
fn body_read(s: &Struct, xml: bool) -> Option<TokenStream> {
    let shape = &s.shape_name;
    if let Some(f) = s
        .fields
        .iter()
        .find(|f| matches!(f.location, Location::Payload { .. }))
    {
        return Some(payload_read(s, f, xml));
    }
    let body_fields: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.location,
                Location::Body
                    | Location::Label { .. }
                    | Location::Query { .. }
                    | Location::QueryParams
            )
        })
        .collect();
    if let ([f], true, true) = (body_fields.as_slice(), xml, s.xml_unwrapped) {
        // `@s3UnwrappedXmlOutput`: the root element is the member; an
        // empty one (S3's `us-east-1`) is no value, as botocore reads it.
        let l = format_ident!("f_{}", f.label);
        let member = &f.wire_name;
        let de = super::xml::read_value(&f.ty, quote!(root));
        return Some(quote! {
            if !crate::runtime::JsonReader::is_blank(body) {
                let document = crate::runtime::xml::parse(body)?;
                let root = &document;
                if !root.text().is_empty() || !root.children().is_empty() {
                    #l = ::std::option::Option::Some(#de.map_err(|e| e.in_member(#shape, #member))?);
                }
            }
        });
    }
    if !body_fields.is_empty() && xml {
        let read = super::xml::read_members(s, &body_fields, &quote!(root));
        // An error's members are in its `<Error>` element.
        let root = if s.error.is_some() {
            quote!(let root = crate::runtime::xml::error_element(&document);)
        } else {
            quote!(let root = &document;)
        };
        return Some(quote! {
            if !crate::runtime::JsonReader::is_blank(body) {
                let document = crate::runtime::xml::parse(body)?;
                #root
                #read
            }
        });
    }
    if !body_fields.is_empty() {
        let read = read_members(s, body_fields.iter().copied());
        return Some(quote! {
            if !crate::runtime::JsonReader::is_blank(body) {
                let mut r = crate::runtime::JsonReader::new(body);
                if !r.read_null()? {
                    #read
                }
                r.finish()?;
            }
        });
    }
    None
}

/// The statement reading the `@httpPayload` member `f` of `s` from the body.
fn payload_read(s: &Struct, f: &Field, xml: bool) -> TokenStream {
    let l = format_ident!("f_{}", f.label);
    let member = &f.wire_name;
    let shape = &s.shape_name;
    match &f.ty {
        // Set as the structure is built, below.
        Type::EventStream(_) | Type::EventSender(_) => TokenStream::new(),
        Type::Blob => quote! {
            if !body.is_empty() {
                #l = ::std::option::Option::Some(crate::runtime::Blob::new(body.to_vec()));
            }
        },
        // A streaming operation's client puts the live body here
        // (`parse_streaming_response`); a whole body is kept in memory.
        Type::ByteStream => quote! {
            if !body.is_empty() {
                #l = ::std::option::Option::Some(crate::runtime::ByteStream::from_bytes(body.to_vec()));
            }
        },
        Type::String => quote! {
            if !body.is_empty() {
                #l = ::std::option::Option::Some(crate::runtime::rest::payload_text(body).map_err(|e| e.in_member(#shape, #member))?);
            }
        },
        Type::Named(TypeRef {
            kind: NamedKind::Enum,
            name: n,
            ..
        }) => {
            let t = named(n, Scope::Sibling);
            quote! {
                if !body.is_empty() {
                    let text = crate::runtime::rest::payload_text(body).map_err(|e| e.in_member(#shape, #member))?;
                    #l = ::std::option::Option::Some(#t::from(text));
                }
            }
        }
        Type::Named(TypeRef { name: n, .. }) if xml => {
            let t = named(n, Scope::Sibling);
            let boxed = if f.boxed {
                quote!(.map(::std::boxed::Box::new))
            } else {
                quote!()
            };
            quote! {
                if !crate::runtime::JsonReader::is_blank(body) {
                    let root = crate::runtime::xml::parse(body)?;
                    #l = ::std::option::Option::Some(
                        <#t as crate::runtime::xml::XmlDeserialize>::read_xml(&root)#boxed
                            .map_err(|e| e.in_member(#shape, #member))?,
                    );
                }
            }
        }
        ty => {
            let mut de = de_result(ty, 0);
            if f.boxed {
                de = quote!(#de.map(::std::boxed::Box::new));
            }
            quote! {
                if !crate::runtime::JsonReader::is_blank(body) {
                    let mut reader = crate::runtime::JsonReader::new(body);
                    let value = {
                        let r = &mut reader;
                        #de.map_err(|e| e.in_member(#shape, #member))?
                    };
                    reader.finish()?;
                    #l = ::std::option::Option::Some(value);
                }
            }
        }
    }
}

/// Whether a member needs no local: the status code, the prefix headers and
/// an event stream are known up front.
fn known_up_front(f: &Field) -> bool {
    matches!(
        f.location,
        Location::ResponseCode | Location::PrefixHeaders(_)
    ) || matches!(f.ty, Type::EventStream(_) | Type::EventSender(_))
}

/// The field initialiser of a member known up front.
fn known_init(f: &Field) -> TokenStream {
    let n = ident(&f.name);
    let value = if f.location == Location::ResponseCode {
        quote!(i32::from(status))
    } else if let Location::PrefixHeaders(prefix) = &f.location {
        // An empty map when no header has the prefix, as botocore reads it.
        quote!(crate::runtime::rest::prefix_headers(headers, #prefix).into_iter().collect())
    } else {
        quote!(crate::runtime::eventstream::EventStream::from_body(
            body.to_vec()
        ))
    };
    if f.optional {
        quote!(#n: ::std::option::Option::Some(#value))
    } else {
        quote!(#n: #value)
    }
}
