//! Event-stream cases (`smithy.test#eventStreamTests`), client side: the
//! initial request an input stream's operation sends (built from
//! `initialRequestParams`), each event it sends (built from the event's
//! `params`, encoded and compared with the case's message: same headers,
//! same payload), and the initial response and events read from an
//! output stream.

use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;
use serde_json::Value;

use super::super::tokens::ident;
use super::{Built, Ctx};
use crate::ir::*;

impl Ctx<'_> {
    /// The body of an event-stream case's test.
    pub(super) fn events_test(&self, case: &ProtocolCase) -> Built {
        let d = &case.data;
        let of_type = |t: &str| {
            d.get("events")
                .and_then(Value::as_array)
                .is_some_and(|events| {
                    events
                        .iter()
                        .any(|e| e.get("type").and_then(Value::as_str) == Some(t))
                })
        };
        let mut parts = Vec::new();
        if let Some(initial) = d.get("initialRequest") {
            parts.push(self.initial_request(case, initial)?);
        }
        if of_type("request") {
            parts.push(self.sent_events(case)?);
        }
        if d.get("initialResponse").is_some() || of_type("response") || parts.is_empty() {
            parts.push(self.received_events(case)?);
        }
        Ok(quote!(#({ #parts })*))
    }

    /// The checks of an initial request: the case's `initialRequest` as a
    /// request case whose params are `initialRequestParams`.
    fn initial_request(&self, case: &ProtocolCase, initial: &Value) -> Built {
        let mut data = initial.clone();
        let obj = data
            .as_object_mut()
            .ok_or("`initialRequest` is not an object")?;
        obj.insert(
            "params".into(),
            case.data
                .get("initialRequestParams")
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default())),
        );
        let as_request = ProtocolCase {
            data,
            ..case.clone()
        };
        self.request_test(&as_request)
    }

    /// The checks of the events a case sends: each built from its params,
    /// encoded, and compared with the case's message.
    fn sent_events(&self, case: &ProtocolCase) -> Built {
        let op = self.operation(case)?;
        let in_ref = op
            .input
            .as_ref()
            .ok_or("a case sending events on an operation without input")?;
        let input = self
            .svc
            .structure(in_ref)
            .ok_or("the input is not a structure")?;
        let union = input
            .fields
            .iter()
            .find_map(|f| match &f.ty {
                Type::EventSender(u) => Some(u),
                _ => None,
            })
            .ok_or("the input has no event stream")?;
        let mut checks = Vec::new();
        let events = case.data.get("events").and_then(Value::as_array);
        for (i, e) in events.into_iter().flatten().enumerate() {
            if e.get("type").and_then(Value::as_str) != Some("request") {
                continue;
            }
            let bytes = e
                .get("bytes")
                .and_then(Value::as_str)
                .and_then(crate::runtime::blob::decode_base64)
                .ok_or("an event without base64 bytes")?;
            let params = e.get("params").cloned().unwrap_or(Value::Null);
            let value = self.union_value(union, &params, &format!("events[{i}].params"))?;
            let want = Lit::byte_string(&bytes);
            checks.push(quote! {
                let got = match crate::sut::runtime::event_sender::EventEncode::encode_event(&#value) {
                    ::std::result::Result::Ok(bytes) => bytes,
                    ::std::result::Result::Err(e) => panic!("encode_event failed: {e}"),
                };
                crate::support::assert_same_message(&got, #want);
            });
        }
        Ok(quote!(#(#checks)*))
    }

    /// What an output stream's case checks: the initial response and the
    /// events polled from the body.
    fn received_events(&self, case: &ProtocolCase) -> Built {
        let op = self.operation(case)?;
        let d = &case.data;
        let out_ref = op
            .output
            .as_ref()
            .ok_or("an event-stream case on an operation without output")?;
        let out = self
            .svc
            .structure(out_ref)
            .ok_or("the output is not a structure")?;
        let (field, union) = out
            .fields
            .iter()
            .find_map(|f| match &f.ty {
                Type::EventStream(u) => Some((f, u)),
                _ => None,
            })
            .ok_or("the output has no event stream")?;
        let stream = ident(&field.name);
        let initial = d.get("initialResponse");
        let code = initial
            .and_then(|i| i.get("code"))
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(200);
        let headers: Vec<TokenStream> = initial.map(Self::header_pairs).unwrap_or_default();
        let failure = d.get("expectation").and_then(|x| x.get("failure"));
        let error_id = failure
            .and_then(|f| f.get("errorId"))
            .and_then(Value::as_str);
        let mut body = Vec::new();
        let mut expected = Vec::new();
        let events: Vec<&Value> = d
            .get("events")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        for (i, e) in events.iter().enumerate() {
            let bytes = e
                .get("bytes")
                .and_then(Value::as_str)
                .ok_or("an event without bytes")?;
            body.extend(
                crate::runtime::blob::decode_base64(bytes)
                    .ok_or("an event's bytes are not base64")?,
            );
            // The events a case expects: all of them, or the modeled error
            // event that ends a failing one.
            if failure.is_none() || (error_id.is_some() && i + 1 == events.len()) {
                let params = e.get("params").cloned().unwrap_or(Value::Null);
                expected.push(self.union_value(union, &params, &format!("events[{i}].params"))?);
            }
        }
        if let Some(text) = initial.and_then(|i| i.get("body")).and_then(Value::as_str) {
            body = text.as_bytes().to_vec();
        }
        let body = Lit::byte_string(&body);
        let op_path = self.named_path(&op.name);
        if failure.is_some() && !(200..300).contains(&code) {
            // The initial response is an error: the operation fails.
            let check = match error_id {
                Some(id) => {
                    let e = op
                        .errors
                        .iter()
                        .find(|e| matches!(self.svc.ty(e.ty.id), TypeDef::Struct(s) if s.shape_id == id))
                        .ok_or_else(|| format!("`{id}` is not an error of `{}`", op.wire_name))?;
                    let err_path = self.named_path(&op.error_name);
                    let v = ident(&e.variant);
                    quote! {
                        assert!(matches!(got, ::std::result::Result::Err(#err_path::#v(_))), "expected the modeled error, got {got:?}");
                    }
                }
                None => quote! {
                    assert!(got.is_err(), "expected the operation to fail, got {got:?}");
                },
            };
            return Ok(quote! {
                let headers: &[(&str, &str)] = &[#(#headers),*];
                let body: &[u8] = #body;
                let got = #op_path::parse_response(#code, headers, body);
                #check
            });
        }
        let mut checks = Vec::new();
        if let Some(params) = d.get("initialResponseParams") {
            let want = self.struct_value(out_ref, params, "initialResponseParams")?;
            // The stream is taken out and checked by polling it, below.
            let emptied = if field.optional {
                quote!(::std::option::Option::None)
            } else {
                quote!(::std::default::Default::default())
            };
            checks.push(quote! {
                let mut want = #want;
                want.#stream = #emptied;
                crate::support::assert_same(&out, &want);
            });
        }
        let take = if field.optional {
            quote!(out.#stream.take().expect("the output holds the event stream"))
        } else {
            quote!(::std::mem::take(&mut out.#stream))
        };
        let poll = Self::events_poll(failure, &expected)?;
        // A case expecting an unnamed failure passes when the operation
        // itself fails (an initial response lacking a required member).
        let refused = if failure.is_some() && error_id.is_none() {
            quote!(::std::result::Result::Err(_) => return,)
        } else {
            quote!(::std::result::Result::Err(e) => panic!("parse_streaming_response failed: {e:?}"),)
        };
        Ok(quote! {
            let headers: &[(&str, &str)] = &[#(#headers),*];
            let body: &[u8] = #body;
            // The body as a live stream, as a client transport hands it over.
            let live = crate::sut::runtime::ByteStream::from_reader(::std::io::Cursor::new(body.to_vec()));
            #[allow(unused_mut)]
            let mut out = match <#op_path as crate::sut::runtime::Operation>::parse_streaming_response(#code, headers, live) {
                ::std::result::Result::Ok(out) => out,
                #refused
            };
            let mut stream = #take;
            #(#checks)*
            #poll
        })
    }

    /// The statements polling an output event stream: each expected event
    /// in turn, or, for a failing case, events until the stream fails (with
    /// the expected modeled error when the case names one).
    fn events_poll(failure: Option<&Value>, expected: &[TokenStream]) -> Built {
        Ok(match failure {
            None => quote! {
                #(
                    match stream.next_event() {
                        ::std::option::Option::Some(::std::result::Result::Ok(event)) => crate::support::assert_same(&event, &#expected),
                        other => panic!("expected an event, got {other:?}"),
                    }
                )*
                assert!(stream.next_event().is_none(), "more events than the case sends");
            },
            Some(f) => {
                let modeled = match f.get("errorId").and_then(Value::as_str) {
                    Some(_) => {
                        let want = expected.last().ok_or("a failure case without events")?;
                        quote! {
                            match &last {
                                ::std::option::Option::Some(::std::result::Result::Err(
                                    crate::sut::runtime::eventstream::EventStreamError::Modeled(e),
                                )) => crate::support::assert_same(e, &#want),
                                other => panic!("expected the modeled error event, got {other:?}"),
                            }
                        }
                    }
                    None => quote! {
                        assert!(
                            matches!(last, ::std::option::Option::Some(::std::result::Result::Err(_))),
                            "expected the stream to fail, got {last:?}"
                        );
                    },
                };
                quote! {
                    let mut last = ::std::option::Option::None;
                    for _ in 0..64 {
                        match stream.next_event() {
                            ::std::option::Option::None => break,
                            ::std::option::Option::Some(r) => {
                                let failed = r.is_err();
                                last = ::std::option::Option::Some(r);
                                if failed {
                                    break;
                                }
                            }
                        }
                    }
                    #modeled
                }
            }
        })
    }
}
