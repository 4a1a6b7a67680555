//! Protocol compliance tests: the `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` cases of a model, turned into Rust tests
//! against a crate generated from the same model.
//!
//! Pure: lowered services plus the loaded model in, test source text and a
//! manifest of the cases out. Every case becomes one `#[test]` per side it
//! applies to (client and server, see [`Side`]); a case listed in [`SKIPS`]
//! becomes an `#[ignore]`d test that carries the reason.
//!
//! Client side: request cases build the input from `params`, call
//! `build_request` and check method, URI, host, headers and body; response
//! cases call `parse_response` and compare with the output (or the operation
//! error) built from `params`. JSON bodies are compared as JSON values (the
//! expected side parsed here, by `serde_json`); other bodies byte for byte.
//! `host` is the endpoint the client is configured with: the URI and
//! `resolvedHost` are checked through `HttpRequest::uri_for` / `host_for`.
//! Of `vendorParams`, an error case's `code` and `type` are checked against
//! the error's `ErrorMetadata::code` and `fault` (the awsQuery code of
//! `x-amzn-query-error`, `<Type>`); the others configure SDK clients and
//! are not checked.
//!
//! Server side: request cases hand method, headers and body to the
//! service's `ServiceRequest::from_http` and compare the input it routes and
//! parses with the value built from `params`; a case that sends no
//! `X-Amz-Target` cannot be routed, so its body goes to the `parse_request`
//! of the operation it is attached to. Response cases build the output (or
//! error) from `params`, serialize it with `output_response` (or
//! `error_response`) and check status, headers and body like a request.

use std::collections::BTreeSet;

use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::tokens::{format_file, ident};
use crate::error::Error;
use crate::ir::*;

mod events;

/// The hand-written assertions every generated test file includes as `mod support`.
pub const SUPPORT: &str = include_str!("protocol_tests/support.rs");
/// XML body comparison, added to `support` where a service speaks an XML protocol.
pub const SUPPORT_XML: &str = include_str!("protocol_tests/support_xml.rs");

/// The CBOR comparison of the support module, for crates with an RPC v2
/// CBOR service.
pub const SUPPORT_CBOR: &str = include_str!("protocol_tests/support_cbor.rs");

/// Event-message comparison, added where a service sends events.
pub const SUPPORT_EVENTS: &str = include_str!("protocol_tests/support_events.rs");

/// A generated test file and the cases it holds.
#[derive(Debug, Clone)]
pub struct Suite {
    /// Rust source of the test file (formatted, with the generated-file header).
    pub source: String,
    /// Every case, in the order of the file.
    pub cases: Vec<ProtocolCase>,
}

/// Generates one test file for a crate holding the given services. `krate`
/// is the crate's library name (`snake_case`).
pub fn generate(
    krate: &str,
    services: &[(&Service, Vec<ProtocolCase>)],
    command: &str,
) -> Result<Suite, Error> {
    let mut all_cases = Vec::new();
    let mut modules = Vec::new();
    for (svc, list) in services {
        let cx = Ctx::new(svc);
        let mut seen = BTreeSet::new();
        let mut request = Vec::new();
        let mut response = Vec::new();
        let mut server_request = Vec::new();
        let mut server_response = Vec::new();
        let mut events = Vec::new();
        for case in list {
            if !seen.insert(&case.test) {
                return Err(Error::Emit {
                    file: format!("{} protocol tests", svc.shape_id),
                    message: format!(
                        "two {} cases map to the test `{}`",
                        case.direction.as_str(),
                        case.test
                    ),
                });
            }
            let tokens = cx.test(case);
            match (case.side, case.direction) {
                (Side::Client, Direction::Request) => request.push(tokens),
                (Side::Client, Direction::Response) => response.push(tokens),
                (Side::Server, Direction::Request) => server_request.push(tokens),
                (Side::Server, Direction::Response) => server_response.push(tokens),
                (_, Direction::Events) => events.push(tokens),
            }
        }
        let m = ident(&svc.module);
        let doc = format!(
            " Cases of `{}` ({}).",
            svc.shape_id,
            svc.protocol_info.protocol.name()
        );
        modules.push(quote! {
            #[doc = #doc]
            mod #m {
                mod request {
                    #(#request)*
                }
                mod response {
                    #(#response)*
                }
                mod events {
                    #(#events)*
                }
                mod server {
                    mod request {
                        #(#server_request)*
                    }
                    mod response {
                        #(#server_response)*
                    }
                }
            }
        });
        all_cases.extend(list.iter().cloned());
    }
    let krate_id = ident(krate);
    let mut support: syn::File = syn::parse_str(SUPPORT).map_err(|e| Error::Emit {
        file: "protocol_tests/support.rs".into(),
        message: e.to_string(),
    })?;
    let any = |test: fn(&Service) -> bool| services.iter().any(|(s, _)| test(s));
    let extras = [
        (
            any(|s| s.protocol_info.body_format == BodyFormat::Xml),
            SUPPORT_XML,
            "support_xml.rs",
        ),
        (
            any(|s| s.protocol_info.body_format == BodyFormat::Cbor),
            SUPPORT_CBOR,
            "support_cbor.rs",
        ),
        (
            any(|s| s.event_unions.iter().any(|e| e.sent)),
            SUPPORT_EVENTS,
            "support_events.rs",
        ),
    ];
    for (wanted, text, name) in extras {
        if !wanted {
            continue;
        }
        let extra: syn::File = syn::parse_str(text).map_err(|e| Error::Emit {
            file: format!("protocol_tests/{name}"),
            message: e.to_string(),
        })?;
        support.items.extend(extra.items);
    }
    let support_items = &support.items;
    let tokens = quote! {
        //! Protocol compliance tests, generated from the `smithy.test` traits of the model.
        #![allow(non_snake_case)]

        use ::#krate_id as sut;

        #[allow(dead_code)]
        mod support {
            #(#support_items)*
        }

        #(#modules)*
    };
    let text = format_file("tests/protocol.rs", tokens)?;
    Ok(Suite {
        source: format!("// @generated by `{command}`. Do not edit by hand.\n\n{text}"),
        cases: all_cases,
    })
}

/// Building expressions and tests for one service.
struct Ctx<'a> {
    svc: &'a Service,
}

type Built = Result<TokenStream, String>;

fn i64_lit(v: i64, suffix: &str) -> TokenStream {
    let l: Lit = format!("{}{suffix}", v.unsigned_abs())
        .parse()
        .unwrap_or_else(|_| Lit::u64_unsuffixed(v.unsigned_abs()));
    if v < 0 {
        quote!((-#l))
    } else {
        quote!(#l)
    }
}

fn float_lit(v: f64, f32_: bool) -> TokenStream {
    let t = if f32_ { quote!(f32) } else { quote!(f64) };
    if v.is_nan() {
        return quote!(#t::NAN);
    }
    if v.is_infinite() {
        return if v > 0.0 {
            quote!(#t::INFINITY)
        } else {
            quote!(#t::NEG_INFINITY)
        };
    }
    let l = if f32_ {
        Lit::f32_suffixed((v.abs()) as f32)
    } else {
        Lit::f64_suffixed(v.abs())
    };
    if v.is_sign_negative() {
        quote!((-#l))
    } else {
        quote!(#l)
    }
}

/// Splits decimal epoch seconds (`946845296.123`, `-1.5`) into whole seconds
/// (floor) and nanoseconds, exactly.
fn epoch_parts(text: &str) -> Option<(i64, u32)> {
    crate::runtime::time::parse_epoch_seconds(text)
        .ok()
        .map(|t| (t.secs(), t.subsec_nanos()))
}

impl<'a> Ctx<'a> {
    fn new(svc: &'a Service) -> Self {
        Ctx { svc }
    }

    fn named_path(&self, name: &str) -> TokenStream {
        let m = ident(&self.svc.module);
        let n = ident(name);
        quote!(crate::sut::#m::#n)
    }

    fn rust_type(&self, ty: &Type) -> TokenStream {
        super::tokens::rust_type_with(ty, &|n| self.named_path(n), &quote!(crate::sut::runtime))
    }

    fn test(&self, case: &ProtocolCase) -> TokenStream {
        let name = format_ident!("{}", case.fn_name);
        let doc = format!(
            " `{}` on `{}` ({}).",
            case.id,
            case.error_code.as_deref().unwrap_or(&case.operation_name),
            case.protocol.name()
        );
        if let Some(reason) = case.skip {
            return quote! {
                #[doc = #doc]
                #[test]
                #[ignore = #reason]
                fn #name() {}
            };
        }
        let body = match (case.side, case.direction) {
            (Side::Client, Direction::Request) => self.request_test(case),
            (Side::Client, Direction::Response) => self.response_test(case),
            (Side::Server, Direction::Request) => self.server_request_test(case),
            (Side::Server, Direction::Response) => self.server_response_test(case),
            (_, Direction::Events) => self.events_test(case),
        };
        let body = body.unwrap_or_else(|reason| {
            let msg = format!("cannot generate this case: {reason}");
            quote!(panic!(#msg);)
        });
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                #body
            }
        }
    }

    fn operation(&self, case: &ProtocolCase) -> Result<&'a Operation, String> {
        let wire = &case.operation_name;
        self.svc
            .operations
            .iter()
            .find(|o| &o.wire_name == wire)
            .ok_or_else(|| format!("operation `{wire}` is not in the generated crate"))
    }

    fn request_test(&self, case: &ProtocolCase) -> Built {
        let op = self.operation(case)?;
        let d = &case.data;
        let params = d.get("params").cloned().unwrap_or(Value::Null);
        let op_path = self.named_path(&op.name);
        let input = match &op.input {
            Some(name) => self.struct_value(name, &params, "params")?,
            None => {
                if params.as_object().is_some_and(|o| !o.is_empty()) {
                    return Err("params given for an operation without input".into());
                }
                quote!(())
            }
        };
        let mut checks = Vec::new();
        if let Some(m) = d.get("method").and_then(Value::as_str) {
            checks.push(quote!(assert_eq!(req.method, #m, "method");));
        }
        // Where the request goes: a service with an endpoint rule set and a
        // case that configures the client (`vendorParams`) resolves its
        // endpoint as a client would; otherwise the case's `host` is the
        // endpoint.
        let resolved_endpoint = self.case_endpoint(d, op);
        let host = match (&resolved_endpoint, d.get("host").and_then(Value::as_str)) {
            (Some(_), _) => Some(quote!(&endpoint)),
            (None, Some(h)) => Some(quote!(#h)),
            (None, None) => None,
        };
        if let Some(e) = &resolved_endpoint {
            checks.push(quote!(let endpoint = #e;));
        }
        if let Some(uri) = d.get("uri").and_then(Value::as_str) {
            // The case's URI is the path; query parameters are checked apart.
            match &host {
                Some(h) => checks.push(
                    quote!(assert_eq!(crate::support::uri_path(&req.uri_for(#h)), #uri, "URI");),
                ),
                None => checks
                    .push(quote!(assert_eq!(crate::support::uri_path(&req.uri), #uri, "URI");)),
            }
        }
        if let Some(resolved) = d.get("resolvedHost").and_then(Value::as_str) {
            let h = host.ok_or("`resolvedHost` without `host`")?;
            checks.push(quote!(assert_eq!(req.host_for(#h), #resolved, "host");));
        }
        let strings = |key: &str| string_list(d, key);
        for p in strings("queryParams") {
            checks.push(quote!(crate::support::assert_query_param(&req.uri, #p);));
        }
        for k in strings("requireQueryParams") {
            checks.push(quote!(crate::support::assert_has_query_key(&req.uri, #k);));
        }
        for k in strings("forbidQueryParams") {
            checks.push(quote!(crate::support::assert_no_query_key(&req.uri, #k);));
        }
        let unordered = op
            .input
            .as_ref()
            .map(|r| self.map_elements(r))
            .unwrap_or_default();
        self.message_checks(d, &quote!(req), &unordered, &mut checks)?;
        Ok(quote! {
            let input = #input;
            let req = match #op_path::build_request(&input) {
                ::std::result::Result::Ok(req) => req,
                ::std::result::Result::Err(e) => panic!("build_request failed: {e}"),
            };
            #(#checks)*
        })
    }

    /// The endpoint URL expression of a request case that configures the
    /// client (`vendorParams.scopedConfig`, with a region) on a service
    /// with an endpoint rule set: the region, dual-stack, FIPS and S3
    /// addressing switches as built-ins, the operation scope over the
    /// client's; `None` otherwise.
    fn case_endpoint(&self, d: &Value, op: &Operation) -> Option<TokenStream> {
        self.svc.endpoint.as_ref()?;
        let scoped = d.get("vendorParams")?.get("scopedConfig")?;
        let client = scoped.get("client");
        let region = client?.get("region")?.as_str()?;
        // A setting of the operation scope, else of the client scope.
        let setting = |path: &[&str]| -> Option<&Value> {
            ["operation", "client"].iter().find_map(|scope| {
                let mut v = scoped.get(*scope)?;
                for p in path {
                    v = v.get(*p)?;
                }
                Some(v)
            })
        };
        let flag = |path: &[&str]| setting(path).and_then(Value::as_bool).unwrap_or(false);
        let path_style =
            setting(&["s3", "addressing_style"]).and_then(Value::as_str) == Some("path");
        let dual_stack =
            flag(&["s3", "use_dualstack_endpoint"]) || flag(&["use_dualstack_endpoint"]);
        let fips = flag(&["use_fips_endpoint"]);
        let accelerate = flag(&["s3", "use_accelerate_endpoint"]);
        let m = ident(&self.svc.module);
        let op_path = self.named_path(&op.name);
        let v = quote!(crate::sut::runtime::endpoint::Value);
        Some(quote! {
            crate::support::resolve_endpoint(
                &crate::sut::#m::endpoint::RULES,
                crate::sut::partitions::PARTITIONS,
                &[
                    ("AWS::Region", #v::str(#region)),
                    ("AWS::UseDualStack", #v::Bool(#dual_stack)),
                    ("AWS::UseFIPS", #v::Bool(#fips)),
                    ("AWS::S3::Accelerate", #v::Bool(#accelerate)),
                    ("AWS::S3::ForcePathStyle", #v::Bool(#path_style)),
                ],
                <#op_path as crate::sut::runtime::Operation>::endpoint_params(&input),
            )
        })
    }

    /// Checks of the HTTP message bound to `var` (a request or a response):
    /// expected header values, required and forbidden headers, and the body.
    fn message_checks(
        &self,
        d: &Value,
        var: &TokenStream,
        unordered: &[String],
        checks: &mut Vec<TokenStream>,
    ) -> Result<(), String> {
        if let Some(headers) = d.get("headers").and_then(Value::as_object) {
            for (k, v) in headers {
                let v = v.as_str().unwrap_or_default();
                checks.push(quote!(crate::support::assert_header(&#var, #k, #v);));
            }
        }
        for h in string_list(d, "requireHeaders") {
            checks.push(quote!(crate::support::assert_has_header(&#var, #h);));
        }
        for h in string_list(d, "forbidHeaders") {
            checks.push(quote!(crate::support::assert_no_header(&#var, #h);));
        }
        if let Some(body) = d.get("body").and_then(Value::as_str) {
            checks.push(self.body_check(
                var,
                body,
                d.get("bodyMediaType").and_then(Value::as_str),
                unordered,
            )?);
        }
        Ok(())
    }

    /// The XML element names of every map reachable from a structure: the
    /// entries (`entry`, or a flattened map's member name), whose order
    /// does not matter (the crate keeps maps sorted by key; the cases write
    /// them in insertion order).
    fn map_elements(&self, r: &TypeRef) -> Vec<String> {
        fn walk(
            svc: &Service,
            ty: &Type,
            flattened_as: Option<&str>,
            seen: &mut Vec<usize>,
            out: &mut Vec<String>,
        ) {
            match ty {
                Type::Map { value, .. } => {
                    out.push(flattened_as.unwrap_or("entry").to_string());
                    walk(svc, value, None, seen, out);
                }
                Type::List { member, .. } => walk(svc, member, None, seen, out),
                Type::Named(r) if !seen.contains(&r.id.0) => {
                    seen.push(r.id.0);
                    match svc.ty(r.id) {
                        TypeDef::Struct(s) => {
                            for f in &s.fields {
                                let flat = f.flattened.then_some(f.xml_name.as_str());
                                walk(svc, &f.ty, flat, seen, out);
                            }
                        }
                        TypeDef::Union(u) => {
                            for v in &u.variants {
                                if let Some(t) = &v.ty {
                                    walk(svc, t, None, seen, out);
                                }
                            }
                        }
                        TypeDef::Enum(_) => {}
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(
            self.svc,
            &Type::Named(r.clone()),
            None,
            &mut Vec::new(),
            &mut out,
        );
        out.sort();
        out.dedup();
        out
    }

    /// Checks the body of the request or response bound to `var`.
    fn body_check(
        &self,
        var: &TokenStream,
        body: &str,
        media_type: Option<&str>,
        unordered: &[String],
    ) -> Built {
        let json = media_type.is_some_and(|m| {
            let m = m.split(';').next().unwrap_or_default().trim();
            m == "application/json"
                || m.ends_with("+json")
                || m.starts_with("application/x-amz-json")
        });
        let form = media_type.is_some_and(|m| {
            m.split(';').next().unwrap_or_default().trim() == "application/x-www-form-urlencoded"
        });
        if form {
            let b = Lit::byte_string(body.as_bytes());
            return Ok(quote!(crate::support::assert_form_body(&#var.body, #b);));
        }
        if is_cbor(media_type) && !body.is_empty() {
            let b = Lit::byte_string(&cbor_bytes(body)?);
            return Ok(quote!(crate::support::assert_cbor_body(&#var.body, #b);));
        }
        let xml = media_type.is_some_and(|m| {
            let m = m.split(';').next().unwrap_or_default().trim();
            m == "application/xml" || m == "text/xml" || m.ends_with("+xml")
        });
        if xml && !body.trim().is_empty() {
            let b = Lit::byte_string(body.as_bytes());
            return Ok(
                quote!(crate::support::assert_xml_body(&#var.body, #b, &[#(#unordered),*]);),
            );
        }
        if json && !body.trim().is_empty() {
            let v: Value = serde_json::from_str(body)
                .map_err(|e| format!("the expected body is not JSON: {e}"))?;
            let doc = document(&v)?;
            Ok(quote!(crate::support::assert_json_body(&#var.body, &#doc);))
        } else {
            let b = Lit::byte_string(body.as_bytes());
            Ok(quote!(crate::support::assert_body(&#var.body, #b);))
        }
    }

    fn response_test(&self, case: &ProtocolCase) -> Built {
        let op = self.operation(case)?;
        let d = &case.data;
        let params = d.get("params").cloned().unwrap_or(Value::Null);
        let code = status_code(d)?;
        let headers: Vec<TokenStream> = d
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        let v = v.as_str().unwrap_or_default();
                        quote!((#k, #v))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let body = d.get("body").and_then(Value::as_str).unwrap_or_default();
        // A CBOR body is written in the case as base64.
        let body = if is_cbor(d.get("bodyMediaType").and_then(Value::as_str)) {
            Lit::byte_string(&cbor_bytes(body)?)
        } else {
            Lit::byte_string(body.as_bytes())
        };
        let op_path = self.named_path(&op.name);
        let call = quote! {
            let headers: &[(&str, &str)] = &[#(#headers),*];
            let body: &[u8] = #body;
            let got = #op_path::parse_response(#code, headers, body);
        };
        let check = match &case.error {
            Some(error_id) => {
                // By shape: the wire code may be an `@awsQueryError` code.
                let e = op
                    .errors
                    .iter()
                    .find(|e| match self.svc.ty(e.ty.id) {
                        TypeDef::Struct(s) => &s.shape_id == error_id,
                        _ => false,
                    })
                    .ok_or_else(|| format!("`{error_id}` is not an error of `{}`", op.wire_name))?;
                let expected = self.struct_value(&e.ty, &params, "params")?;
                let err_path = self.named_path(&op.error_name);
                let v = ident(&e.variant);
                let want = format!("the `{}` error", e.code);
                // `vendorParams`: the code and fault an SDK reports (the
                // awsQuery code of `x-amzn-query-error`, `<Type>`).
                let vendor = case.data.get("vendorParams");
                let vendor_check = match vendor.and_then(|v| v.get("code")).and_then(Value::as_str)
                {
                    Some(code) => {
                        let fault = match vendor.and_then(|v| v.get("type")).and_then(Value::as_str)
                        {
                            Some("Sender") => quote!(::std::option::Option::Some(
                                crate::sut::runtime::Fault::Client
                            )),
                            Some("Receiver") => quote!(::std::option::Option::Some(
                                crate::sut::runtime::Fault::Server
                            )),
                            Some(other) => return Err(format!("vendorParams type {other:?}")),
                            None => quote!(::std::option::Option::None),
                        };
                        quote! {
                            if let ::std::result::Result::Err(e) = &got {
                                assert_eq!(crate::sut::runtime::ErrorMetadata::code(e), ::std::option::Option::Some(#code), "the code an SDK reports (vendorParams)");
                                assert_eq!(crate::sut::runtime::ErrorMetadata::fault(e), #fault, "the fault an SDK reports (vendorParams type)");
                            }
                        }
                    }
                    None => quote!(),
                };
                quote! {
                    let expected = #expected;
                    #vendor_check
                    match got {
                        ::std::result::Result::Err(#err_path::#v(e)) => crate::support::assert_same(&e, &expected),
                        other => panic!("expected {}, got {other:?}", #want),
                    }
                }
            }
            None => match &op.output {
                Some(name) => {
                    let expected = self.struct_value(name, &params, "params")?;
                    quote! {
                        let expected = #expected;
                        match got {
                            ::std::result::Result::Ok(out) => crate::support::assert_same(&out, &expected),
                            ::std::result::Result::Err(e) => panic!("parse_response failed: {e:?}"),
                        }
                    }
                }
                None => quote! {
                    if let ::std::result::Result::Err(e) = got {
                        panic!("parse_response failed: {e:?}");
                    }
                },
            },
        };
        Ok(quote!(#call #check))
    }

    /// An output event-stream case: the response (the initial response's
    /// status and headers, the events' bytes as the body) goes through
    /// `parse_response`; the initial response's members must equal
    /// `initialResponseParams`, and polling the stream must give each
    /// event's `params` in turn, or, when the case expects a failure, end
    /// with an error (the modeled error `errorId` when it names one).
    /// The case's headers, as `(&str, &str)` tuple expressions.
    fn header_pairs(d: &Value) -> Vec<TokenStream> {
        d.get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        let v = v.as_str().unwrap_or_default();
                        quote!((#k, #v))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A server request case: the request goes to `ServiceRequest::from_http`
    /// (or, when it names no `X-Amz-Target`, to the `parse_request` of the
    /// operation the case is attached to), and the input must equal `params`.
    fn server_request_test(&self, case: &ProtocolCase) -> Built {
        let op = self.operation(case)?;
        let d = &case.data;
        if let Some(uri) = d.get("uri").and_then(Value::as_str) {
            if uri != "/" {
                return Err(format!("awsJson requests go to `/`, not `{uri}`"));
            }
        }
        let method = d.get("method").and_then(Value::as_str).unwrap_or("POST");
        let headers = Self::header_pairs(d);
        let routed = d
            .get("headers")
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("X-Amz-Target")));
        let body = d.get("body").and_then(Value::as_str).unwrap_or_default();
        let body = Lit::byte_string(body.as_bytes());
        let params = d.get("params").cloned().unwrap_or(Value::Null);
        let op_path = self.named_path(&op.name);
        let wire = &op.wire_name;
        let expected = match &op.input {
            Some(name) => Some(self.struct_value(name, &params, "params")?),
            None => {
                if params.as_object().is_some_and(|o| !o.is_empty()) {
                    return Err("params given for an operation without input".into());
                }
                None
            }
        };
        let parse = if routed {
            let request = self.named_path(&self.svc.request_enum);
            let v = ident(&op.name);
            let (pattern, value) = match expected {
                Some(_) => (quote!(#request::#v(input)), quote!(input)),
                None => (quote!(#request::#v), quote!(())),
            };
            let other = if self.svc.operations.len() > 1 {
                quote! {
                    ::std::result::Result::Ok(other) => {
                        panic!("routed to `{}`, not `{}`", other.operation_name(), #wire)
                    }
                }
            } else {
                quote!()
            };
            quote! {
                let got = match #request::from_http(#method, headers, body) {
                    ::std::result::Result::Ok(#pattern) => #value,
                    #other
                    ::std::result::Result::Err(e) => panic!("request refused: {e}"),
                };
            }
        } else {
            quote! {
                // No `X-Amz-Target`: the request cannot be routed, so the
                // operation the case belongs to parses it.
                let got = match #op_path::parse_request(headers, body) {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(e) => panic!("request refused: {e}"),
                };
            }
        };
        let check = match expected {
            Some(expected) => quote! {
                let expected = #expected;
                crate::support::assert_same(&got, &expected);
            },
            None => quote!(let () = got;),
        };
        Ok(quote! {
            let headers: &[(&str, &str)] = &[#(#headers),*];
            let body: &[u8] = #body;
            #parse
            #check
        })
    }

    /// A server response case: the output (or error) built from `params` is
    /// serialized, and status, headers and body must match.
    fn server_response_test(&self, case: &ProtocolCase) -> Built {
        let op = self.operation(case)?;
        let d = &case.data;
        let params = d.get("params").cloned().unwrap_or(Value::Null);
        let code = status_code(d)?;
        let op_path = self.named_path(&op.name);
        let respond = match &case.error {
            Some(error_id) => {
                let e = op
                    .errors
                    .iter()
                    .find(|e| Some(&e.code) == case.error_code.as_ref())
                    .ok_or_else(|| format!("`{error_id}` is not an error of `{}`", op.wire_name))?;
                let value = self.struct_value(&e.ty, &params, "params")?;
                let err_path = self.named_path(&op.error_name);
                let v = ident(&e.variant);
                quote!(#op_path::error_response(&#err_path::#v(#value)))
            }
            None => match &op.output {
                Some(name) => {
                    let value = self.struct_value(name, &params, "params")?;
                    quote!(#op_path::output_response(&#value))
                }
                None => quote!(#op_path::output_response(&())),
            },
        };
        let mut checks = vec![quote!(assert_eq!(res.status, #code, "status");)];
        self.message_checks(d, &quote!(res), &[], &mut checks)?;
        Ok(quote! {
            let res = #respond;
            #(#checks)*
        })
    }

    /// A structure value: `T::new(required..)` then one `with_*` setter per
    /// other member given. Required members missing from `v` get zero values.
    fn struct_value(&self, r: &TypeRef, v: &Value, at: &str) -> Built {
        let name = &r.name;
        let s = self
            .svc
            .structure(r)
            .ok_or_else(|| format!("`{name}` is not a structure"))?;
        let empty = serde_json::Map::new();
        let obj = match v {
            Value::Null => &empty,
            Value::Object(o) => o,
            other => {
                return Err(format!(
                    "{at}: expected an object for `{name}`, got {other}"
                ))
            }
        };
        for key in obj.keys() {
            if !s.fields.iter().any(|f| &f.wire_name == key) {
                return Err(format!("{at}: `{name}` has no member `{key}`"));
            }
        }
        let is_ctor_arg = Field::is_constructor_arg;
        let mut args = Vec::new();
        for f in s.constructor_fields() {
            let here = format!("{at}.{}", f.wire_name);
            let value = match obj.get(&f.wire_name) {
                Some(x) if !x.is_null() => self.value(&f.ty, x, &here)?,
                _ => self.zero(&f.ty, &here)?,
            };
            args.push((ident(&f.name), value));
        }
        let path = self.named_path(name);
        let mut e = match &s.constructor {
            Constructor::Named(required) => {
                let m = ident(&self.svc.module);
                let t = ident(required);
                let fields = args.iter().map(|(n, v)| quote!(#n: #v));
                quote!(#path::new(crate::sut::#m::required::#t { #(#fields),* }))
            }
            _ => {
                let values = args.iter().map(|(_, v)| v);
                quote!(#path::new(#(#values),*))
            }
        };
        for (key, x) in obj {
            let Some(f) = s.fields.iter().find(|f| &f.wire_name == key) else {
                continue;
            };
            if x.is_null() || is_ctor_arg(f) {
                continue;
            }
            let val = self.value(&f.ty, x, &format!("{at}.{key}"))?;
            let setter = ident(&f.setter);
            e = quote!(#e.#setter(#val));
        }
        Ok(e)
    }

    /// The value error correction would give a missing member.
    fn zero(&self, ty: &Type, at: &str) -> Built {
        Ok(match ty {
            Type::String => quote!(::std::string::String::new()),
            Type::Boolean => quote!(false),
            Type::Byte => quote!(0i8),
            Type::Short => quote!(0i16),
            Type::Integer => quote!(0i32),
            Type::Long => quote!(0i64),
            Type::Float => quote!(0f32),
            Type::Double => quote!(0f64),
            Type::BigInteger => quote!(crate::sut::runtime::BigInteger::default()),
            Type::BigDecimal => quote!(crate::sut::runtime::BigDecimal::default()),
            Type::Blob => quote!(crate::sut::runtime::Blob::default()),
            Type::ByteStream => quote!(crate::sut::runtime::ByteStream::default()),
            Type::Timestamp(_) => quote!(crate::sut::runtime::DateTime::UNIX_EPOCH),
            Type::Document => quote!(crate::sut::runtime::Document::Null),
            Type::EventStream(_) => {
                quote!(crate::sut::runtime::eventstream::EventStream::default())
            }
            Type::EventSender(_) => {
                quote!(crate::sut::runtime::event_sender::EventSender::default())
            }
            Type::List { .. } | Type::Map { .. } => {
                let t = self.rust_type(ty);
                quote!(<#t>::new())
            }
            Type::Named(
                r @ TypeRef {
                    kind: NamedKind::Struct,
                    ..
                },
            ) => self.struct_value(r, &Value::Null, at)?,
            Type::Named(TypeRef {
                name: n,
                kind: NamedKind::Enum,
                ..
            }) => {
                let p = self.named_path(n);
                quote!(#p::from(""))
            }
            Type::Named(TypeRef {
                name: n,
                kind: NamedKind::IntEnum,
                ..
            }) => {
                let p = self.named_path(n);
                quote!(#p::from(0i32))
            }
            Type::Named(TypeRef {
                name: n,
                kind: NamedKind::Union,
                ..
            }) => return Err(format!("{at}: the union `{n}` is required but not given")),
        })
    }

    /// The Rust expression for a `params` value of type `ty`.
    fn value(&self, ty: &Type, v: &Value, at: &str) -> Built {
        let bad = |what: &str| format!("{at}: expected {what}, got {v}");
        Ok(match ty {
            Type::String => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                quote!(::std::string::String::from(#s))
            }
            Type::Boolean => {
                let b = v.as_bool().ok_or_else(|| bad("a boolean"))?;
                quote!(#b)
            }
            Type::Byte | Type::Short | Type::Integer | Type::Long => {
                let i = v.as_i64().ok_or_else(|| bad("an integer"))?;
                let (fits, suffix) = match ty {
                    Type::Byte => (i8::try_from(i).is_ok(), "i8"),
                    Type::Short => (i16::try_from(i).is_ok(), "i16"),
                    Type::Integer => (i32::try_from(i).is_ok(), "i32"),
                    _ => (true, "i64"),
                };
                if !fits {
                    return Err(bad(&format!("an {suffix}")));
                }
                i64_lit(i, suffix)
            }
            Type::Float | Type::Double => {
                let f = match v {
                    Value::Number(n) => n.as_f64().ok_or_else(|| bad("a number"))?,
                    Value::String(s) => match s.as_str() {
                        "NaN" => f64::NAN,
                        "Infinity" => f64::INFINITY,
                        "-Infinity" => f64::NEG_INFINITY,
                        _ => return Err(bad("a number, NaN, Infinity or -Infinity")),
                    },
                    _ => return Err(bad("a number")),
                };
                float_lit(f, *ty == Type::Float)
            }
            Type::BigInteger | Type::BigDecimal => {
                let text = match v {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => return Err(bad("a number")),
                };
                let t = self.rust_type(ty);
                quote!(<#t as ::std::str::FromStr>::from_str(#text).expect("a valid number literal"))
            }
            Type::Blob => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                let b = Lit::byte_string(s.as_bytes());
                quote!(crate::sut::runtime::Blob::new(#b.to_vec()))
            }
            Type::ByteStream => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                let b = Lit::byte_string(s.as_bytes());
                quote!(crate::sut::runtime::ByteStream::from_bytes(#b.to_vec()))
            }
            Type::Timestamp(_) => {
                // Epoch seconds, or (event-stream cases) an RFC 3339 date-time.
                let (secs, nanos) = match v {
                    Value::String(text) => {
                        let t = crate::runtime::time::parse_date_time(text)
                            .map_err(|_| bad("epoch seconds or a date-time"))?;
                        (t.secs(), t.subsec_nanos())
                    }
                    _ => {
                        let n = v.as_number().ok_or_else(|| bad("epoch seconds"))?;
                        epoch_parts(&n.to_string()).ok_or_else(|| bad("epoch seconds"))?
                    }
                };
                let s = i64_lit(secs, "i64");
                if nanos == 0 {
                    quote!(crate::sut::runtime::DateTime::from_secs(#s))
                } else {
                    let n = Lit::u32_suffixed(nanos);
                    quote!(crate::sut::runtime::DateTime::from_secs_and_nanos(#s, #n))
                }
            }
            Type::Document => document(v)?,
            Type::EventStream(_) | Type::EventSender(_) => {
                return Err(format!(
                    "{at}: an event stream is built from events, not params"
                ))
            }
            Type::Named(r) => {
                let (n, kind) = (&r.name, r.kind);
                let p = self.named_path(n);
                match kind {
                    NamedKind::Struct => self.struct_value(r, v, at)?,
                    NamedKind::Enum => {
                        let s = v.as_str().ok_or_else(|| bad("a string"))?;
                        quote!(#p::from(#s))
                    }
                    NamedKind::IntEnum => {
                        let i = v
                            .as_i64()
                            .and_then(|i| i32::try_from(i).ok())
                            .ok_or_else(|| bad("an i32"))?;
                        let l = i64_lit(i64::from(i), "i32");
                        quote!(#p::from(#l))
                    }
                    NamedKind::Union => self.union_value(r, v, at)?,
                }
            }
            Type::List { member, sparse, .. } => {
                let items = v.as_array().ok_or_else(|| bad("an array"))?;
                let mut out = Vec::new();
                for (i, x) in items.iter().enumerate() {
                    let here = format!("{at}[{i}]");
                    out.push(if *sparse {
                        if x.is_null() {
                            quote!(::std::option::Option::None)
                        } else {
                            let e = self.value(member, x, &here)?;
                            quote!(::std::option::Option::Some(#e))
                        }
                    } else {
                        self.value(member, x, &here)?
                    });
                }
                let t = self.rust_type(ty);
                quote!(<#t>::from([#(#out),*]))
            }
            Type::Map {
                key, value, sparse, ..
            } => {
                let entries = v.as_object().ok_or_else(|| bad("an object"))?;
                let mut out = Vec::new();
                for (k, x) in entries {
                    let here = format!("{at}.{k}");
                    let kv = self.value(key, &Value::String(k.clone()), &here)?;
                    let vv = if *sparse {
                        if x.is_null() {
                            quote!(::std::option::Option::None)
                        } else {
                            let e = self.value(value, x, &here)?;
                            quote!(::std::option::Option::Some(#e))
                        }
                    } else {
                        self.value(value, x, &here)?
                    };
                    out.push(quote!((#kv, #vv)));
                }
                let t = self.rust_type(ty);
                quote!(<#t>::from([#(#out),*]))
            }
        })
    }

    fn union_value(&self, r: &TypeRef, v: &Value, at: &str) -> Built {
        let name = &r.name;
        let TypeDef::Union(u) = self.svc.ty(r.id) else {
            return Err(format!("`{name}` is not a union"));
        };
        let obj = v
            .as_object()
            .ok_or_else(|| format!("{at}: expected an object for the union `{name}`"))?;
        let set: Vec<(&String, &Value)> = obj.iter().filter(|(_, x)| !x.is_null()).collect();
        let [(key, x)] = set.as_slice() else {
            return Err(format!(
                "{at}: a union value needs exactly one member, got {}",
                set.len()
            ));
        };
        let var = u
            .variants
            .iter()
            .find(|var| &var.wire_name == *key)
            .ok_or_else(|| format!("{at}: the union `{name}` has no member `{key}`"))?;
        let path = self.named_path(name);
        let vn = ident(&var.name);
        Ok(match &var.ty {
            None => quote!(#path::#vn),
            Some(t) => {
                let mut e = self.value(t, x, &format!("{at}.{key}"))?;
                if var.boxed {
                    e = quote!(::std::boxed::Box::new(#e));
                }
                quote!(#path::#vn(#e))
            }
        })
    }
}

/// A `Document` expression for a JSON value.
fn document(v: &Value) -> Built {
    Ok(match v {
        Value::Null => quote!(crate::sut::runtime::Document::Null),
        Value::Bool(b) => quote!(crate::sut::runtime::Document::Bool(#b)),
        Value::Number(n) => {
            let num = if let Some(u) = n.as_u64() {
                let l = Lit::u64_suffixed(u);
                quote!(crate::sut::runtime::Number::PosInt(#l))
            } else if let Some(i) = n.as_i64() {
                let l = i64_lit(i, "i64");
                quote!(crate::sut::runtime::Number::NegInt(#l))
            } else {
                let f = n
                    .as_f64()
                    .ok_or_else(|| format!("number {n} out of range"))?;
                let l = float_lit(f, false);
                quote!(crate::sut::runtime::Number::Float(#l))
            };
            quote!(crate::sut::runtime::Document::Number(#num))
        }
        Value::String(s) => {
            quote!(crate::sut::runtime::Document::String(::std::string::String::from(#s)))
        }
        Value::Array(items) => {
            let items = items.iter().map(document).collect::<Result<Vec<_>, _>>()?;
            // `Vec::from([..])`, not `vec![..]`: prettyplease cannot format macro bodies.
            quote!(crate::sut::runtime::Document::Array(
                ::std::vec::Vec::from([#(#items),*])
            ))
        }
        Value::Object(map) => {
            let mut entries = Vec::new();
            for (k, x) in map {
                let x = document(x)?;
                entries.push(quote!((::std::string::String::from(#k), #x)));
            }
            quote!(crate::sut::runtime::Document::Object(
                <::std::collections::BTreeMap<::std::string::String, crate::sut::runtime::Document>>::from([#(#entries),*])
            ))
        }
    })
}

#[cfg(test)]
mod sut {
    pub(crate) use crate::runtime;
}

/// Compiled here too, against the runtime, so it is checked and tested.
#[cfg(test)]
#[allow(dead_code)]
mod support;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::cases::{cases, services_with_cases};
    use crate::model::Loaded;
    use crate::naming::test_fn_name;
    use crate::runtime::{Document, Number};

    /// A service with one operation carrying a request case, a response
    /// case, a server-only case, a case of another protocol, and an error
    /// with its own response case.
    const MODEL: &str = r##"{"smithy":"2.0","shapes":{
        "t#Svc":{"type":"service","version":"1","operations":[{"target":"t#Put"}],
            "traits":{"aws.protocols#awsJson1_1":{}}},
        "t#Other":{"type":"service","version":"1","operations":[{"target":"t#Put"}],
            "traits":{"smithy.protocols#rpcv2Cbor":{}}},
        "t#Put":{"type":"operation","input":{"target":"t#PutInput"},"output":{"target":"t#PutOutput"},
            "errors":[{"target":"t#Oops"}],
            "traits":{"smithy.test#httpRequestTests":[
                {"id":"PutSends","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/",
                 "headers":{"X-Amz-Target":"Svc.Put"},"body":"{\"Name\":\"a\",\"When\":1.5}",
                 "bodyMediaType":"application/json",
                 "params":{"Name":"a","When":1.5,"Ratio":"NaN","Tags":{"k":null},"Pick":{"Flag":true}}},
                {"id":"ServerOnly","protocol":"aws.protocols#awsJson1_1","appliesTo":"server","method":"POST","uri":"/"},
                {"id":"OtherProtocol","protocol":"aws.protocols#restJson1","method":"POST","uri":"/"},
                {"id":"BadParams","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","params":{"Nope":1}}
            ],
            "smithy.test#httpResponseTests":[
                {"id":"PutReads","protocol":"aws.protocols#awsJson1_1","code":200,"body":"{\"Count\":2}","params":{"Count":2}}
            ]}},
        "t#PutInput":{"type":"structure","members":{
            "Name":{"target":"smithy.api#String"},
            "When":{"target":"smithy.api#Timestamp"},
            "Ratio":{"target":"smithy.api#Float"},
            "Tags":{"target":"t#SparseTags"},
            "Pick":{"target":"t#Pick"}},"traits":{"smithy.api#input":{}}},
        "t#SparseTags":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#String"},
            "traits":{"smithy.api#sparse":{}}},
        "t#Pick":{"type":"union","members":{"Flag":{"target":"smithy.api#Boolean"},"None":{"target":"smithy.api#Unit"}}},
        "t#PutOutput":{"type":"structure","members":{
            "Count":{"target":"smithy.api#Integer","traits":{"smithy.api#required":{}}},
            "Note":{"target":"smithy.api#String"}}},
        "t#Oops":{"type":"structure","members":{"message":{"target":"smithy.api#String"}},
            "traits":{"smithy.api#error":"client","smithy.test#httpResponseTests":[
                {"id":"OopsParsed","protocol":"aws.protocols#awsJson1_1","code":400,
                 "headers":{"X-Amzn-Errortype":"Oops"},"body":"{}","params":{"message":"hi"}}]}}
    }}"##;

    fn fixture() -> (Loaded, Service) {
        let model = Loaded::from_text("t.json", MODEL).unwrap();
        let svc = crate::lower::lower(
            &model,
            &crate::lower::Request {
                module: "svc",
                service: Some("t#Svc"),
                operations: &[],
                all: true,
                model_docs: false,
                protocol: None,
            },
        )
        .unwrap();
        (model, svc)
    }

    #[test]
    fn cases_are_the_cases_of_the_service_protocol_by_side() {
        let (model, _) = fixture();
        let found = cases(&model, "t#Svc").unwrap();
        let ids: Vec<(Side, &str, Direction, Option<&str>)> = found
            .iter()
            .map(|c| (c.side, c.id.as_str(), c.direction, c.error.as_deref()))
            .collect();
        use Direction::{Request, Response};
        use Side::{Client, Server};
        assert_eq!(
            ids,
            [
                (Client, "PutSends", Request, None),
                (Client, "BadParams", Request, None),
                (Client, "PutReads", Response, None),
                (Client, "OopsParsed", Response, Some("t#Oops")),
                (Server, "PutSends", Request, None),
                (Server, "ServerOnly", Request, None),
                (Server, "BadParams", Request, None),
                (Server, "PutReads", Response, None),
                (Server, "OopsParsed", Response, Some("t#Oops")),
            ]
        );
        assert_eq!(found[0].test, "svc::request::PutSends");
        assert_eq!(found[4].test, "svc::server::request::PutSends");
        assert_eq!(found[3].operation, "t#Put");
        assert!(cases(&model, "t#Other").unwrap().is_empty());
        assert_eq!(
            services_with_cases(&model).unwrap(),
            [("t#Svc".to_string(), Protocol::AwsJson1_1)]
        );
    }

    #[test]
    fn generated_tests_build_values_from_params() {
        let (model, svc) = fixture();
        let list = cases(&model, "t#Svc").unwrap();
        let suite = generate("sut_crate", &[(&svc, list)], "cmd").unwrap();
        let src = &suite.source;
        assert!(src.starts_with("// @generated by `cmd`."), "{src}");
        assert!(src.contains("use ::sut_crate as sut;"));
        let expected_snippets = [
            "crate::sut::svc::PutInput::new()",
            ".with_name(::std::string::String::from(\"a\"))",
            "crate::sut::runtime::DateTime::from_secs_and_nanos(1i64, 500000000u32",
            ".with_ratio(f32::NAN)",
            "::std::option::Option::None",
            "crate::sut::svc::Pick::Flag(true)",
            "crate::sut::svc::Put::build_request(&input)",
            "crate::support::assert_header(&req, \"X-Amz-Target\", \"Svc.Put\")",
            "crate::support::assert_json_body(",
            "crate::sut::svc::PutOutput::new(2i32)",
            "crate::sut::svc::PutError::Oops(e)",
            "cannot generate this case: params: `PutInput` has no member `Nope`",
            "crate::sut::svc::ServiceRequest::from_http(\"POST\", headers, body",
            "crate::sut::svc::ServiceRequest::Put(input)",
            "crate::sut::svc::Put::parse_request(headers, body)",
            "crate::support::assert_same(&got, &expected);",
            "let res = crate::sut::svc::Put::output_response(&crate::sut::svc::PutOutput::new(2i32)",
            "crate::sut::svc::Put::error_response(&crate::sut::svc::PutError::Oops(",
            "assert_eq!(res.status, 400, \"status\");",
            "crate::support::assert_header(&res, \"X-Amzn-Errortype\", \"Oops\");",
        ];
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        let flat = squash(src);
        for want in expected_snippets {
            assert!(flat.contains(&squash(want)), "missing {want:?} in\n{src}");
        }
        assert_eq!(suite.cases.len(), 9);
    }

    #[test]
    fn skipped_cases_become_ignored_tests() {
        let (model, svc) = fixture();
        let mut case = cases(&model, "t#Svc").unwrap().remove(0);
        case.skip = Some("not for us");
        let text = Ctx::new(&svc).test(&case).to_string();
        assert!(text.contains("ignore = \"not for us\""), "{text}");
        assert!(!text.contains("build_request"), "{text}");
    }

    #[test]
    fn support_compares_json_by_value() {
        let n = |x: Number| Document::Number(x);
        assert!(support::json_eq(
            &n(Number::PosInt(1)),
            &n(Number::Float(1.0))
        ));
        assert!(!support::json_eq(
            &n(Number::PosInt(1)),
            &n(Number::NegInt(-1))
        ));
        assert!(!support::json_eq(
            &n(Number::Float(0.1)),
            &n(Number::Float(0.2))
        ));
        let obj =
            |k: &str| Document::Object([(k.to_string(), Document::Null)].into_iter().collect());
        assert!(support::json_eq(&obj("a"), &obj("a")));
        assert!(!support::json_eq(&obj("a"), &obj("b")));
        assert!(!support::json_eq(
            &Document::Array(vec![Document::Null]),
            &Document::Array(vec![])
        ));
        support::assert_json_body(br#" {"a": null} "#, &obj("a"));
        assert!(std::panic::catch_unwind(|| support::assert_json_body(b"{}", &obj("a"))).is_err());
    }

    #[test]
    fn support_checks_headers_query_and_bytes() {
        let mut req = crate::runtime::http::aws_json_request(
            crate::runtime::JsonVersion::V1_1,
            "S.Op",
            "{}".into(),
        );
        req.headers.push(("x-multi".into(), "a".into()));
        req.headers.push(("X-Multi".into(), "b".into()));
        req.uri = "/?a=1&flag".into();
        support::assert_header(&req, "content-type", "application/x-amz-json-1.1");
        support::assert_header(&req, "x-multi", "a, b");
        support::assert_has_header(&req, "Content-Length");
        support::assert_no_header(&req, "x-absent");
        support::assert_query_param(&req.uri, "a=1");
        support::assert_has_query_key(&req.uri, "flag");
        support::assert_no_query_key(&req.uri, "b");
        support::assert_body(&req.body, b"{}");
        let fails = [
            std::panic::catch_unwind(|| support::assert_header(&req, "x-multi", "a")),
            std::panic::catch_unwind(|| support::assert_no_header(&req, "x-multi")),
            std::panic::catch_unwind(|| support::assert_has_query_key(&req.uri, "z")),
            std::panic::catch_unwind(|| support::assert_body(&req.body, b"{ }")),
        ];
        assert!(fails.iter().all(Result::is_err));
    }

    #[test]
    fn support_treats_nan_as_equal_and_nothing_else() {
        support::assert_same(&Document::from(f64::NAN), &Document::from(f64::NAN));
        support::assert_same(&Document::from(1.5), &Document::from(1.5));
        for (a, b) in [(f64::NAN, 1.0), (1.0, 1.000_000_000_000_000_2)] {
            let r = std::panic::catch_unwind(|| {
                support::assert_same(&Document::from(a), &Document::from(b))
            });
            assert!(r.is_err(), "{a} vs {b}");
        }
    }

    #[test]
    fn float_params_are_exact() {
        // Needs serde_json's `float_roundtrip`: the default parser is off by one ulp here.
        let v: Value = serde_json::from_str("123456789.12345679").unwrap();
        assert_eq!(v.as_f64(), Some(123_456_789.123_456_79));
        assert_eq!(float_lit(-1.5, false).to_string(), "(- 1.5f64)");
        assert_eq!(
            float_lit(f64::NEG_INFINITY, true).to_string(),
            "f32 :: NEG_INFINITY"
        );
        assert_eq!(i64_lit(-5, "i32").to_string(), "(- 5i32)");
    }

    #[test]
    fn epoch_parts_are_exact() {
        assert_eq!(epoch_parts("946845296"), Some((946845296, 0)));
        assert_eq!(epoch_parts("946845296.123"), Some((946845296, 123_000_000)));
        assert_eq!(epoch_parts("-1.5"), Some((-2, 500_000_000)));
        assert_eq!(epoch_parts("-3"), Some((-3, 0)));
        assert_eq!(epoch_parts("1.5e3"), Some((1500, 0)));
        assert_eq!(epoch_parts("x"), None);
        assert_eq!(epoch_parts("1.0123456789"), Some((1, 12_345_678)));
    }

    #[test]
    fn test_names() {
        assert_eq!(test_fn_name("AwsJson11Enums"), "AwsJson11Enums");
        assert_eq!(test_fn_name("a-b.c"), "a_b_c");
        assert_eq!(test_fn_name("1st"), "case_1st");
        assert_eq!(test_fn_name("type"), "type_");
        assert_eq!(test_fn_name(""), "case_");
    }
}

/// The strings of a test case's string-list property (`requireHeaders`, ...).
/// Whether a case's body is CBOR (`application/cbor`).
fn is_cbor(media_type: Option<&str>) -> bool {
    media_type.is_some_and(|m| m.split(';').next().unwrap_or_default().trim() == "application/cbor")
}

/// A CBOR body from its base64 form in a case.
fn cbor_bytes(base64: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("the expected CBOR body is not base64: {base64:?}");
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in base64.trim().bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return Err(bad()),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

fn string_list(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The HTTP status of a response case, as a literal.
fn status_code(case: &Value) -> Result<Lit, String> {
    case.get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .map(Lit::u16_unsuffixed)
        .ok_or_else(|| "the case has no valid `code`".to_string())
}
