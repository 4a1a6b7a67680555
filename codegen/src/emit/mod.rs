//! Stage 3: IR to Rust source, one file per kind of generated file
//! ([`types`], [`json`], [`operations`], [`server`], the service module's
//! [`service`] file, and the crate's [`krate`] files), on a shared token
//! toolkit ([`tokens`]). Tokens are built with `quote!`, parsed with `syn`
//! and formatted by `prettyplease`, a few items at a time on every core
//! (see [`emit_service`]); the generated-file header is added afterwards as
//! text.
//!
//! Generated code names every std item by its full path
//! (`::std::option::Option`), so model types called `Option`, `String` or
//! `Result` cannot break it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::ir::*;
use tokens::{tidy, unparse_inline};

pub(crate) mod bindings;
pub(crate) mod cbor;
pub(crate) mod client;
pub(crate) mod endpoint;
pub(crate) mod endpoint_tests;
pub(crate) mod errors;
pub(crate) mod event_encode;
pub(crate) mod events;
pub(crate) mod form;
pub(crate) mod harness;
pub(crate) mod json;
pub(crate) mod krate;
pub(crate) mod operations;
mod protocol;
pub(crate) mod protocol_tests;
pub(crate) mod server;
pub(crate) mod service;
pub(crate) mod text;
pub(crate) mod tokens;
pub(crate) mod types;
pub(crate) mod waiter_tests;
pub(crate) mod waiters;
pub(crate) mod xml;

/// One item of a generated file, emitted when called.
type Item<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

/// One generated file, as the ordered list of its items (the first holds
/// its module docs). Token streams are not `Send`, so a big file is emitted
/// and formatted as runs of items, each on whichever thread takes it;
/// printing items apart gives the same text as printing the whole file.
struct Source<'a> {
    path: String,
    items: Vec<Item<'a>>,
}

impl Source<'_> {
    fn tokens(&self, items: std::ops::Range<usize>) -> TokenStream {
        self.items[items].iter().map(|item| item()).collect()
    }
}

/// A file of module docs and one item per element of `of`.
fn file<'a, T: Sync>(
    path: String,
    docs: &'static str,
    of: Vec<&'a T>,
    item: impl Fn(&'a T) -> TokenStream + Sync + Copy + 'a,
) -> Source<'a> {
    let mut items: Vec<Item<'a>> = vec![Box::new(move || quote!(#![doc = #docs]))];
    items.extend(
        of.into_iter()
            .map(|t| Box::new(move || item(t)) as Item<'a>),
    );
    Source { path, items }
}

/// The files of one service module, relative to the crate's `src/`. Each
/// file is a list of pieces: piece 0 its module docs, then one item each.
fn sources(svc: &Service) -> Vec<Source<'_>> {
    let dir = &svc.module;
    let all_types: Vec<&TypeDef> = svc.types.iter().collect();
    let named_args: Vec<&Struct> = svc
        .types
        .iter()
        .filter_map(TypeDef::as_struct)
        .filter(|s| matches!(s.constructor, Constructor::Named(_)))
        .collect();
    let ops: Vec<&Operation> = svc.operations.iter().collect();
    let has_required_module = !named_args.is_empty();
    let mut out = vec![
        Source {
            path: format!("{dir}/mod.rs"),
            items: vec![Box::new(move || {
                service::emit_service_mod(svc, has_required_module)
            })],
        },
        file(
            format!("{dir}/types.rs"),
            " Data types: structures (modeled errors among them), enums and unions of the selected operations.",
            all_types.clone(),
            types::emit_type,
        ),
        file(
            format!("{dir}/json.rs"),
            " JSON serializers and deserializers (awsJson body format).",
            all_types,
            |t| {
                let codec = match t {
                    TypeDef::Struct(s) => json::emit_struct_codec(s, s.json_codec),
                    TypeDef::Union(u) => json::emit_union_codec(u, u.json_codec),
                    TypeDef::Enum(e) => json::emit_enum_codec(e, e.json_codec),
                };
                let serde = json::emit_serde(t);
                quote!(#codec #serde)
            },
        ),
        file(
            format!("{dir}/operations.rs"),
            " Operations: one type per operation, with its request builder and response parser.",
            ops.clone(),
            move |op| operations::emit_operation(svc, op),
        ),
        file(
            format!("{dir}/errors.rs"),
            " Errors: one enum per operation, a variant per modeled error plus `Unhandled`.",
            ops,
            errors::emit_error_enum,
        ),
    ];
    let mut client: Vec<Item<'_>> = vec![Box::new(move || client::emit_client_head(svc))];
    client.extend(
        svc.operations
            .iter()
            .map(|op| Box::new(move || client::emit_client_method(op)) as Item<'_>),
    );
    out.push(Source {
        path: format!("{dir}/client.rs"),
        items: client,
    });
    let waiters: Vec<(&Operation, &Waiter)> = svc
        .operations
        .iter()
        .flat_map(|op| op.waiters.iter().map(move |w| (op, w)))
        .collect();
    if !waiters.is_empty() {
        let paths = waiters.iter().any(|(_, w)| {
            w.acceptors
                .iter()
                .any(|a| matches!(a.matcher, Matcher::Output(..) | Matcher::InputOutput(..)))
        });
        let mut items: Vec<Item<'_>> = vec![Box::new(move || waiters::emit_waiters_head(paths))];
        items.extend(
            waiters.into_iter().map(|(op, w)| {
                Box::new(move || waiters::emit_waiter(&svc.module, op, w)) as Item<'_>
            }),
        );
        out.push(Source {
            path: format!("{dir}/waiters.rs"),
            items,
        });
    }
    if let Some(rules) = &svc.endpoint {
        out.push(Source {
            path: format!("{dir}/endpoint.rs"),
            items: vec![Box::new(move || endpoint::emit_endpoint_file(rules))],
        });
    }
    if !named_args.is_empty() {
        out.push(file(
            format!("{dir}/required.rs"),
            " The required members of structures whose constructors take them by name.",
            named_args,
            types::emit_required_args,
        ));
    }
    out.extend(protocol::emitter(svc.protocol_info.family).sources(svc));
    if !svc.event_unions.is_empty() {
        out.push(file(
            format!("{dir}/event_stream.rs"),
            " Event-stream codecs: each event union read from a message's headers and payload, or written as one.",
            svc.event_unions.iter().collect(),
            move |ways: &EventUnion| {
                let TypeDef::Union(u) = svc.ty(ways.id) else {
                    return TokenStream::new();
                };
                let decode = ways.received.then(|| events::event_decoder(svc, u));
                let encode = ways.sent.then(|| event_encode::event_encoder(svc, u));
                quote!(#decode #encode)
            },
        ));
    }
    if !svc.protocol_info.server {
        return out;
    }
    let plan = std::sync::Arc::new(server::Plan::new(svc));
    let mut items: Vec<Item<'_>> = Vec::new();
    let p = plan.clone();
    items.push(Box::new(move || p.head()));
    for op in plan.served() {
        let p = plan.clone();
        items.push(Box::new(move || p.operation(op)));
    }
    for t in plan.checked() {
        let p = plan.clone();
        items.push(Box::new(move || p.checker(t)));
    }
    out.push(Source {
        path: format!("{dir}/server.rs"),
        items,
    });
    out
}

/// Pieces formatted together: few enough to keep memory small and to share
/// a small selection's work between cores, enough to make the per-run
/// overhead (a `syn::File`, a printer) negligible.
const PIECES_PER_RUN: usize = 4;

/// Emits the files of one service module, relative to the crate's `src/`,
/// formatted. The same text as `format_service_file` over each of
/// [`emit_service_tokens`], built on all available cores.
pub fn emit_service(svc: &Service) -> Result<Vec<(String, String)>, Error> {
    let sources = sources(svc);
    let mut runs = Vec::new();
    for (file, source) in sources.iter().enumerate() {
        let mut start = 0;
        while start < source.items.len() {
            let end = (start + PIECES_PER_RUN).min(source.items.len());
            runs.push((file, start..end));
            start = end;
        }
    }
    let printed = parallel_map(&runs, |(file, pieces)| {
        let source = &sources[*file];
        unparse_inline(&source.path, source.tokens(pieces.clone()))
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
        .map(|s| (s.path.clone(), s.tokens(0..s.items.len())))
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

    /// Lowers and emits a one-operation service around `shapes` (which
    /// define `a#In`), returning every emitted file concatenated.
    fn emit_text(service_traits: &str, shapes: &str) -> String {
        let svc = crate::test_model::TestModel::new()
            .service_traits(service_traits.trim_start_matches(','))
            .operation("Op", r#""input":{"target":"a#In"}"#)
            .shapes(shapes)
            .lower()
            .unwrap();
        emit_service(&svc)
            .unwrap()
            .into_iter()
            .map(|(_, text)| text)
            .collect()
    }

    #[test]
    fn float_literals_fit_their_type() {
        use tokens::float_lit;
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
