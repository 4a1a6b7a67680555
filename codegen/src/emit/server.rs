//! Stage 3, server side: the `server.rs` file of each service module.
//!
//! It holds what a service implementation needs on top of the types and
//! codecs the client side already has:
//!
//! - `ServiceRequest`, one variant per operation, built from method, headers
//!   and body by `ServiceRequest::from_http` (routing on `X-Amz-Target`);
//! - `ServiceResponse`, one variant per operation holding its result, turned
//!   into an `HttpResponse` by `to_http`;
//! - on each operation type, `parse_request` (check `Content-Type`, read the
//!   input, reject missing `@required` members, fill `@default`s of the input
//!   structure), and `output_response`, `error_response` and `respond`;
//! - a private `CheckRequired` trait, implemented by every structure or
//!   union reachable from an input that holds `@required` members (directly
//!   or further down): a second walk over the body, after it parsed, that
//!   reports each required member that is absent or `null` with its path.
//!
//! Parsing reuses the client deserializers (`JsonDeserialize`), so server
//! and client read the same wire format; only presence checks and input
//! defaults are added. Shape-independent code lives in the runtime
//! (`runtime::server`).

use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};

use super::tokens::{doc_attrs, ident, literal_expr, named, Scope};
use crate::ir::*;

/// What the server file of one service holds; its pieces are emitted
/// independently (see [`Plan::piece`]).
pub(crate) struct Plan<'a> {
    svc: &'a Service,
    /// Structures and unions that get a `CheckRequired` impl.
    checked: Vec<&'a TypeDef>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(svc: &'a Service) -> Self {
        let checked = svc.types.iter().filter(|t| t.check_required()).collect();
        Plan { svc, checked }
    }

    /// Whether a value of `ty` holds a checked structure or union.
    fn type_needs(&self, ty: &Type) -> bool {
        match ty {
            Type::Named(r) => self.svc.ty(r.id).check_required(),
            Type::List { member, .. } => self.type_needs(member),
            Type::Map { value, .. } => self.type_needs(value),
            _ => false,
        }
    }

    /// The operations the server side answers (lowering leaves out those
    /// whose output streams events).
    pub(crate) fn served(&self) -> Vec<&'a Operation> {
        self.svc.operations.iter().filter(|op| op.served).collect()
    }

    /// The structures and unions that get a `CheckRequired` impl, in order.
    pub(crate) fn checked(&self) -> Vec<&'a TypeDef> {
        self.checked.clone()
    }

    fn version(&self) -> TokenStream {
        super::tokens::json_version(self.svc.protocol_info.json_version)
    }

    /// The module docs, the service enums and the shared items.
    pub(crate) fn head(&self) -> TokenStream {
        let svc = self.svc;
        let version = self.version();
        let request = ident(&svc.request_enum);
        let response = ident(&svc.response_enum);
        let prefix = &svc.target_prefix;
        let request_variants = self.served().into_iter().map(|op| {
            let v = ident(&op.name);
            let doc = doc_attrs(&[format!(
                "A `{prefix}.{}` request; see [`{}`](super::{}).",
                op.wire_name, op.name, op.name
            )]);
            match &op.input {
                Some(i) => {
                    let t = named(&i.name, Scope::Sibling);
                    quote!(#doc #v(#t),)
                }
                None => quote!(#doc #v,),
            }
        });
        let served = self.served();
        let wires = served.iter().map(|op| &op.wire_name);
        let response_variants = self.served().into_iter().map(|op| {
            let v = ident(&op.name);
            let (out, err) = self.result_types(op);
            let doc = doc_attrs(&[format!(
                "The result of a [`{}`](super::{}) request.",
                op.name, op.name
            )]);
            quote!(#doc #v(::std::result::Result<#out, #err>),)
        });
        let (route, operation_name, to_http) = self.dispatch();
        let trait_decl = if self.checked.is_empty() {
            quote!()
        } else {
            quote! {
                /// Reports the `@required` members of a value that are absent or `null`, walking the raw body.
                trait CheckRequired {
                    /// Walks one (non-null) value of this type.
                    fn check_required(r: &mut crate::runtime::JsonReader<'_>, v: &mut crate::runtime::server::Violations) -> ::std::result::Result<(), crate::runtime::DecodeError>;
                }
            }
        };
        let request_doc = doc_attrs(&[
            format!(
                "A request to the `{prefix}` service, routed on `X-Amz-Target` and parsed: one variant per operation."
            ),
            "Build it with [`from_http`](Self::from_http), or let [`handle`](Self::handle) route, parse, \
             call a handler and serialize its answer in one step."
                .to_string(),
        ]);
        let response_doc = doc_attrs(&[
            "The answer to a [`ServiceRequest`]: the operation's output or error, one variant per operation."
                .to_string(),
        ]);
        quote! {
            //! Server side: route and parse requests to this service, and serialize outputs and errors into responses.

            /// The protocol of this service.
            const VERSION: crate::runtime::JsonVersion = #version;

            #trait_decl

            #request_doc
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #request {
                #(#request_variants)*
            }

            impl #request {
                /// The operations served, by wire name (the `X-Amz-Target` suffix).
                pub const OPERATIONS: &'static [&'static str] = &[#(#wires),*];

                /// Routes and parses a request: the method must be `POST`, `X-Amz-Target` must name an
                /// operation of this service, then the operation's `parse_request` checks `Content-Type`,
                /// reads the body and validates it. A refused request is a [`Rejection`](crate::runtime::Rejection);
                /// send [`reject`](Self::reject)'s response for it.
                pub fn from_http(method: &str, headers: &(impl crate::runtime::Headers + ?Sized), body: &[u8]) -> ::std::result::Result<Self, crate::runtime::Rejection> {
                    crate::runtime::server::check_method(method)?;
                    let operation = crate::runtime::server::operation_name(headers, super::SERVICE_NAME)?;
                    #route
                }

                /// The operation's wire name, e.g. for logging.
                pub fn operation_name(&self) -> &'static str {
                    #operation_name
                }

                /// The response to send for a refused request.
                pub fn reject(rejection: &crate::runtime::Rejection) -> crate::runtime::HttpResponse {
                    rejection.to_response(VERSION)
                }

                /// Routes and parses a request, passes it to `handler`, and serializes the answer; a refused
                /// request is answered without calling `handler`.
                pub fn handle(
                    method: &str,
                    headers: &(impl crate::runtime::Headers + ?Sized),
                    body: &[u8],
                    handler: impl ::std::ops::FnOnce(Self) -> #response,
                ) -> crate::runtime::HttpResponse {
                    match Self::from_http(method, headers, body) {
                        ::std::result::Result::Ok(request) => handler(request).to_http(),
                        ::std::result::Result::Err(rejection) => Self::reject(&rejection),
                    }
                }
            }

            #response_doc
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #response {
                #(#response_variants)*
            }

            impl #response {
                /// The HTTP response: the output (`200`), or the error with its status and `__type`.
                pub fn to_http(&self) -> crate::runtime::HttpResponse {
                    #to_http
                }
            }
        }
    }

    /// The bodies of `from_http`'s routing, `operation_name` and `to_http`:
    /// one arm per served operation.
    fn dispatch(&self) -> (TokenStream, TokenStream, TokenStream) {
        let route_arms = self.served().into_iter().map(|op| {
            let v = ident(&op.name);
            let o = named(&op.name, Scope::Sibling);
            let wire = &op.wire_name;
            match &op.input {
                Some(_) => quote!(#wire => #o::parse_request(headers, body).map(Self::#v),),
                None => quote!(#wire => #o::parse_request(headers, body).map(|()| Self::#v),),
            }
        });
        let name_arms = self.served().into_iter().map(|op| {
            let v = ident(&op.name);
            let wire = &op.wire_name;
            match &op.input {
                Some(_) => quote!(Self::#v(_) => #wire,),
                None => quote!(Self::#v => #wire,),
            }
        });
        let respond_arms = self.served().into_iter().map(|op| {
            let v = ident(&op.name);
            let o = named(&op.name, Scope::Sibling);
            quote!(Self::#v(result) => #o::respond(result),)
        });
        if self.served().is_empty() {
            (
                quote! {
                    let _ = body;
                    ::std::result::Result::Err(crate::runtime::Rejection::UnknownOperation {
                        target: ::std::option::Option::Some(::std::format!("{}.{}", super::SERVICE_NAME, operation)),
                    })
                },
                quote!(match *self {}),
                quote!(match *self {}),
            )
        } else {
            (
                quote! {
                    match operation {
                        #(#route_arms)*
                        _ => ::std::result::Result::Err(crate::runtime::Rejection::UnknownOperation {
                            target: ::std::option::Option::Some(::std::format!("{}.{}", super::SERVICE_NAME, operation)),
                        }),
                    }
                },
                quote!(match self { #(#name_arms)* }),
                quote!(match self { #(#respond_arms)* }),
            )
        }
    }

    fn result_types(&self, op: &Operation) -> (TokenStream, TokenStream) {
        let out = match &op.output {
            Some(o) => named(&o.name, Scope::Sibling),
            None => quote!(()),
        };
        (out, named(&op.error_name, Scope::Sibling))
    }

    /// The server side of one operation.
    pub(crate) fn operation(&self, op: &Operation) -> TokenStream {
        let o = named(&op.name, Scope::Sibling);
        let err = named(&op.error_name, Scope::Sibling);
        let (out, _) = self.result_types(op);
        let parse = match &op.input {
            Some(i) => self.parse_input(i),
            None => quote! {
                crate::runtime::server::check_content_type(headers, VERSION)?;
                crate::runtime::server::parse_unit_input(body)
            },
        };
        let input_ty = match &op.input {
            Some(i) => named(&i.name, Scope::Sibling),
            None => quote!(()),
        };
        let output_response = match &op.output {
            Some(_) => quote! {
                pub fn output_response(output: &#out) -> crate::runtime::HttpResponse {
                    crate::runtime::server::output_response(VERSION, output)
                }
            },
            None => quote! {
                pub fn output_response(output: &()) -> crate::runtime::HttpResponse {
                    let () = *output;
                    crate::runtime::server::unit_response(VERSION)
                }
            },
        };
        let error_arms = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            let error_type = self.error_type(e);
            quote!(#err::#v(e) => crate::runtime::server::error_response(VERSION, #error_type, e),)
        });
        let parse_doc = doc_attrs(&[format!(
            "Parses the body of a `{}` request (routing aside): checks `Content-Type`, reads the input, \
             rejects `@required` members that are absent or `null`, and fills in the input's `@default`s.",
            op.wire_name
        )]);
        quote! {
            impl #o {
                #parse_doc
                pub fn parse_request(headers: &(impl crate::runtime::Headers + ?Sized), body: &[u8]) -> ::std::result::Result<#input_ty, crate::runtime::Rejection> {
                    #parse
                }

                /// The `200` response carrying `output`.
                #output_response

                /// The response carrying `error`: its `@httpError` status (else 400 for client errors,
                /// 500 for server errors), and `__type` in the protocol's form.
                pub fn error_response(error: &#err) -> crate::runtime::HttpResponse {
                    match error {
                        #(#error_arms)*
                        #err::Unhandled(e) => crate::runtime::server::unhandled_response(VERSION, e),
                    }
                }

                /// The response for a handler's result.
                pub fn respond(result: &::std::result::Result<#out, #err>) -> crate::runtime::HttpResponse {
                    match result {
                        ::std::result::Result::Ok(output) => Self::output_response(output),
                        ::std::result::Result::Err(error) => Self::error_response(error),
                    }
                }
            }
        }
    }

    /// An `ErrorType` value for a modeled error.
    fn error_type(&self, e: &ErrorCase) -> TokenStream {
        let s = self.svc.structure(&e.ty);
        let info = s.and_then(|s| s.error.as_ref());
        let status = Lit::u16_unsuffixed(info.map_or(500, |i| i.http_status));
        let type_name = match (self.svc.protocol_info.error_type_form, s) {
            (ErrorTypeForm::ShapeId, Some(s)) => s.shape_id.clone(),
            _ => e.code.clone(),
        };
        let query_error = match info {
            Some(i) if self.svc.query_compatible => {
                let code = i.query_code.as_deref().unwrap_or(&i.code);
                let fault = if i.client_fault {
                    quote!(crate::runtime::Fault::Client)
                } else {
                    quote!(crate::runtime::Fault::Server)
                };
                quote!(::std::option::Option::Some((#code, #fault)))
            }
            _ => quote!(::std::option::Option::None),
        };
        quote! {
            crate::runtime::server::ErrorType {
                status: #status,
                type_name: #type_name,
                query_error: #query_error,
            }
        }
    }

    fn parse_input(&self, input: &TypeRef) -> TokenStream {
        let t = named(&input.name, Scope::Sibling);
        let defaults: Vec<TokenStream> = self
            .svc
            .structure(input)
            .map(|s| {
                s.fields
                    .iter()
                    .filter(|f| f.optional)
                    .filter_map(|f| {
                        let lit = literal_expr(f.default.as_ref()?, &f.ty, Scope::Sibling);
                        let n = ident(&f.name);
                        let value = if f.boxed {
                            quote!(::std::boxed::Box::new(#lit))
                        } else {
                            lit
                        };
                        Some(quote! {
                            if input.#n.is_none() {
                                input.#n = ::std::option::Option::Some(#value);
                            }
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let check = if self.svc.ty(input.id).check_required() {
            quote!(crate::runtime::server::check_required(body, <#t as CheckRequired>::check_required)?;)
        } else {
            quote!()
        };
        let binding = if defaults.is_empty() {
            quote!(let input)
        } else {
            quote!(let mut input)
        };
        quote! {
            crate::runtime::server::check_content_type(headers, VERSION)?;
            #binding: #t = crate::runtime::server::parse_input(body)?;
            #check
            #(#defaults)*
            ::std::result::Result::Ok(input)
        }
    }

    /// The `CheckRequired` impl of a structure or union.
    pub(crate) fn checker(&self, t: &TypeDef) -> TokenStream {
        let body = match t {
            TypeDef::Struct(s) => self.struct_checker(s),
            TypeDef::Union(u) => self.union_checker(u),
            TypeDef::Enum(_) => TokenStream::new(),
        };
        let t = named(t.name(), Scope::Sibling);
        quote! {
            impl CheckRequired for #t {
                fn check_required(r: &mut crate::runtime::JsonReader<'_>, v: &mut crate::runtime::server::Violations) -> ::std::result::Result<(), crate::runtime::DecodeError> {
                    #body
                }
            }
        }
    }

    fn struct_checker(&self, s: &Struct) -> TokenStream {
        let seen = |f: &Field| format_ident!("seen_{}", f.label);
        let flags = s.fields.iter().filter(|f| must_be_present(f)).map(|f| {
            let flag = seen(f);
            quote!(let mut #flag = false;)
        });
        let arms = s
            .fields
            .iter()
            .filter(|f| must_be_present(f) || self.type_needs(&f.ty))
            .map(|f| {
                let wire = &f.wire_name;
                let mark = if must_be_present(f) {
                    let flag = seen(f);
                    quote!(#flag = true;)
                } else {
                    quote!()
                };
                let walk = self.walk(&f.ty, 0);
                quote! {
                    #wire => {
                        #mark
                        #walk
                    }
                }
            });
        let reports = s.fields.iter().filter(|f| must_be_present(f)).map(|f| {
            let flag = seen(f);
            let wire = &f.wire_name;
            quote! {
                if !#flag {
                    v.missing(#wire);
                }
            }
        });
        quote! {
            #(#flags)*
            r.read_object(|r, key| {
                if r.read_null()? {
                    return ::std::result::Result::Ok(());
                }
                match key {
                    #(#arms)*
                    _ => r.skip_value(),
                }
            })?;
            #(#reports)*
            ::std::result::Result::Ok(())
        }
    }

    fn union_checker(&self, u: &Union) -> TokenStream {
        let arms = u.variants.iter().filter_map(|var| {
            let ty = var.ty.as_ref().filter(|t| self.type_needs(t))?;
            let wire = &var.wire_name;
            let walk = self.walk(ty, 0);
            Some(quote!(#wire => { #walk }))
        });
        quote! {
            r.read_object(|r, key| {
                if r.read_null()? {
                    return ::std::result::Result::Ok(());
                }
                match key {
                    #(#arms)*
                    _ => r.skip_value(),
                }
            })
        }
    }

    /// Statements that walk the (non-null) value of a member called `key`,
    /// ending in an expression of type `Result<(), DecodeError>`.
    fn walk(&self, ty: &Type, depth: usize) -> TokenStream {
        if !self.type_needs(ty) {
            return quote!(r.skip_value());
        }
        let at = format_ident!("at{}", depth);
        let inner = self.walk_value(ty, depth);
        quote! {
            let #at = v.enter(key);
            let result = #inner;
            v.leave(#at);
            result
        }
    }

    /// An expression of type `Result<(), DecodeError>` walking one non-null value.
    fn walk_value(&self, ty: &Type, depth: usize) -> TokenStream {
        match ty {
            Type::Named(TypeRef { name: n, id, .. }) if self.svc.ty(*id).check_required() => {
                let t = named(n, Scope::Sibling);
                quote!(<#t as CheckRequired>::check_required(r, v))
            }
            Type::List { member, .. } if self.type_needs(member) => {
                let index = format_ident!("index{}", depth);
                let at = format_ident!("at{}", depth + 1);
                let inner = self.walk_value(member, depth + 1);
                quote! {{
                    let mut #index = 0usize;
                    r.read_array(|r| {
                        let #at = v.enter_index(#index);
                        #index += 1;
                        let result = if r.read_null()? {
                            ::std::result::Result::Ok(())
                        } else {
                            #inner
                        };
                        v.leave(#at);
                        result
                    })
                }}
            }
            Type::Map { value, .. } if self.type_needs(value) => {
                let at = format_ident!("at{}", depth + 1);
                let inner = self.walk_value(value, depth + 1);
                quote! {
                    r.read_object(|r, key| {
                        let #at = v.enter(key);
                        let result = if r.read_null()? {
                            ::std::result::Result::Ok(())
                        } else {
                            #inner
                        };
                        v.leave(#at);
                        result
                    })
                }
            }
            _ => quote!(r.skip_value()),
        }
    }
}

/// Whether a member must be in a request: `@required` without a `@default`
/// (a default fills an absent member instead).
fn must_be_present(f: &Field) -> bool {
    f.required && f.default.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_text(shapes: &str) -> (Service, String) {
        let svc = crate::test_model::TestModel::new()
            .protocol("aws.protocols#awsJson1_0")
            .operation(
                "Op",
                r#""input":{"target":"a#In"},"output":{"target":"a#Out"},"errors":[{"target":"a#Oops"}]"#,
            )
            .operation("Bare", "")
            .shapes(
                r#""a#Oops":{"type":"structure","members":{},"traits":{"smithy.api#error":"client","smithy.api#httpError":409}}"#,
            )
            .shapes(shapes)
            .without_docs()
            .lower()
            .unwrap();
        let plan = Plan::new(&svc);
        let mut text = plan.head().to_string();
        for op in plan.served() {
            text.push_str(&plan.operation(op).to_string());
        }
        for t in plan.checked() {
            text.push_str(&plan.checker(t).to_string());
        }
        (svc.clone(), text)
    }

    #[test]
    fn only_inputs_holding_required_members_get_checkers() {
        let (svc, text) = plan_text(
            r#""a#In":{"type":"structure","members":{
                "Items":{"target":"a#Items"},
                "Plain":{"target":"a#Plain"},
                "Limit":{"target":"smithy.api#Integer","traits":{"smithy.api#default":5}}},
                "traits":{"smithy.api#input":{}}},
            "a#Items":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"a#ItemList"}},
            "a#ItemList":{"type":"list","member":{"target":"a#Item"}},
            "a#Item":{"type":"structure","members":{
                "Name":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
                "Kind":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#default":"k"}}}},
            "a#Plain":{"type":"structure","members":{"X":{"target":"smithy.api#String"}}},
            "a#Out":{"type":"structure","members":{
                "Req":{"target":"a#OutOnly","traits":{"smithy.api#required":{}}}}},
            "a#OutOnly":{"type":"structure","members":{
                "Y":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}}}}"#,
        );
        let plan = Plan::new(&svc);
        let checked: Vec<&str> = plan.checked.iter().map(|t| t.name()).collect();
        assert_eq!(checked, ["In", "Item"]);
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        let flat = squash(&text);
        for want in [
            "impl CheckRequired for super :: In",
            "impl CheckRequired for super :: Item",
            // A required member with a default is filled, not checked.
            "v . missing (\"Name\")",
            "input . limit = :: std :: option :: Option :: Some (5)",
            // The list inside the map is walked element by element.
            "v . enter_index (index1)",
            // awsJson1_0: the error type is the shape id; the status is `@httpError`.
            "type_name : \"a#Oops\"",
            "status : 409",
            // An operation without input or output.
            "\"Bare\" => super :: Bare :: parse_request (headers , body) . map (| () | Self :: Bare)",
            "crate :: runtime :: server :: unit_response (VERSION)",
        ] {
            assert!(flat.contains(&squash(want)), "missing {want:?} in\n{text}");
        }
        assert!(!flat.contains(&squash("missing (\"Kind\")")));
        assert!(!flat.contains(&squash("CheckRequired for super :: Plain")));
        assert!(!flat.contains(&squash("CheckRequired for super :: OutOnly")));
    }

    #[test]
    fn services_without_required_members_have_no_checker_trait() {
        let (_, text) = plan_text(
            r#""a#In":{"type":"structure","members":{"X":{"target":"smithy.api#String"}}},
            "a#Out":{"type":"structure","members":{}}"#,
        );
        assert!(!text.contains("CheckRequired"), "{text}");
    }
}
