//! The waiter suite: for every waiter of a crate, a test that runs it
//! against a scripted loopback server through its success state, its
//! failure state (when the waiter has one), an error no acceptor expects,
//! and the maximum wait. Answers are built from the acceptors: a JSON
//! output on which the acceptor's path yields its expected value, or an
//! error with its code. Acceptors whose answer cannot be built (filters,
//! functions, `inputOutput`) are listed as skipped.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Value};

use super::tokens::{format_file, ident};
use crate::error::Error;
use crate::ir::*;

/// The generated test file, the number of waiters, and what was skipped.
#[derive(Debug, Clone)]
pub struct WaiterSuite {
    /// The test file's text (`tests/waiters.rs`).
    pub source: String,
    /// Waiters with a test.
    pub waiters: usize,
    /// `service.waiter: what` for each scenario left out.
    pub skipped: Vec<String>,
}

/// A document on which `e` yields `leaf`, for the paths waiters use:
/// fields, sub-expressions, projections (list, flatten, object) and `[0]`.
fn doc_for(e: &JmesExpr, leaf: &Value) -> Option<Value> {
    Some(match e {
        JmesExpr::Identity => leaf.clone(),
        JmesExpr::Field(f) => json!({ f.as_str(): leaf }),
        JmesExpr::Sub(a, b) => doc_for(a, &doc_for(b, leaf)?)?,
        JmesExpr::Index(0) => json!([leaf]),
        JmesExpr::Projection(l, r) => {
            let each = doc_for(r, leaf)?;
            if each.is_array() {
                return None;
            }
            let lhs = match &**l {
                JmesExpr::Flatten(inner) => inner,
                other => other,
            };
            doc_for(lhs, &json!([each.clone(), each]))?
        }
        JmesExpr::ValueProjection(l, r) => {
            let each = doc_for(r, leaf)?;
            doc_for(l, &json!({ "a": each.clone(), "b": each }))?
        }
        _ => return None,
    })
}

/// The answer that makes `a` match, if one can be built.
fn answer(a: &Acceptor) -> Option<TokenStream> {
    match &a.matcher {
        Matcher::ErrorType(code) => Some(quote!(support::Answer::Error(#code))),
        Matcher::Success(true) => Some(quote!(support::Answer::Json("{}"))),
        Matcher::Output(path, expected, cmp) => {
            let leaf = if cmp == "BooleanEquals" {
                Value::Bool(expected == "true")
            } else {
                Value::String(expected.clone())
            };
            let body = doc_for(path, &leaf)?.to_string();
            Some(quote!(support::Answer::Json(#body)))
        }
        _ => None,
    }
}

/// A placeholder value of a type, for required input members.
fn placeholder(svc: &Service, ty: &Type, depth: usize) -> Value {
    match ty {
        Type::String => json!("slim-waiter"),
        Type::Boolean => json!(false),
        Type::Byte | Type::Short | Type::Integer | Type::Long => json!(1),
        Type::Float | Type::Double => json!(1.0),
        Type::Timestamp(_) => json!(1_700_000_000),
        Type::List { .. } => json!([]),
        Type::Map { .. } | Type::Document => json!({}),
        Type::Named(r) => match svc.ty(r.id) {
            TypeDef::Enum(e) => match e.variants.first() {
                Some(v) if e.int => json!(v.int_value),
                Some(v) => json!(v.value),
                None => json!("x"),
            },
            TypeDef::Struct(s) if depth < 4 => required_object(svc, s, depth + 1),
            _ => json!({}),
        },
        _ => Value::Null,
    }
}

/// An object with every required member of `s` set.
fn required_object(svc: &Service, s: &Struct, depth: usize) -> Value {
    Value::Object(
        s.fields
            .iter()
            .filter(|f| f.required)
            .map(|f| (f.wire_name.clone(), placeholder(svc, &f.ty, depth)))
            .collect(),
    )
}

/// The test file for `services`, in a crate whose library is `krate`.
pub(crate) fn generate(krate: &str, services: &[Service]) -> Result<WaiterSuite, Error> {
    let lib = ident(krate);
    let mut tests = Vec::new();
    let mut skipped = Vec::new();
    for svc in services {
        let m = ident(&svc.module);
        for op in &svc.operations {
            for w in &op.waiters {
                let label = format!("{}.{}", svc.module, w.name);
                let test = ident(&format!(
                    "{}__{}",
                    svc.module,
                    w.method.trim_start_matches("wait_until_")
                ));
                let o = ident(&op.name);
                let spec = ident(&w.constant);
                let input = match op.input.as_ref().and_then(|r| svc.structure(r)) {
                    Some(s) => required_object(svc, s, 0).to_string(),
                    None => "{}".to_string(),
                };
                let mut checks = Vec::new();
                let catch_all_error = w
                    .acceptors
                    .iter()
                    .any(|a| a.matcher == Matcher::Success(false));
                let catch_all_output = w
                    .acceptors
                    .iter()
                    .any(|a| a.matcher == Matcher::Success(true));
                match w
                    .acceptors
                    .iter()
                    .filter(|a| a.state == "Success")
                    .find_map(answer)
                {
                    Some(ans) => checks.push(quote! {
                        let r = support::scenario::<O>(make, spec, #input, &[#ans], 600);
                        assert!(matches!(r, Ok(_)), "success: {r:?}");
                    }),
                    None => skipped.push(format!("{label}: success (no answer can be built)")),
                }
                let failures: Vec<&Acceptor> = w
                    .acceptors
                    .iter()
                    .filter(|a| a.state == "Failure")
                    .collect();
                if let Some(ans) = failures.iter().find_map(|a| answer(a)) {
                    checks.push(quote! {
                        let r = support::scenario::<O>(make, spec, #input, &[#ans], 600);
                        assert!(matches!(r, Err(WaiterError::Failure { .. })), "failure: {r:?}");
                    });
                } else if !failures.is_empty() {
                    skipped.push(format!("{label}: failure (no answer can be built)"));
                }
                if catch_all_error {
                    skipped.push(format!(
                        "{label}: unexpected error (an acceptor takes every error)"
                    ));
                } else {
                    checks.push(quote! {
                        let r = support::scenario::<O>(make, spec, #input, &[support::Answer::Error("SlimUnexpectedError")], 600);
                        assert!(matches!(r, Err(WaiterError::Unexpected { .. })), "unexpected: {r:?}");
                    });
                }
                if catch_all_output {
                    skipped.push(format!("{label}: timeout (an acceptor takes every output)"));
                } else {
                    let max = 3 * w.min_delay + 1;
                    checks.push(quote! {
                        let r = support::scenario::<O>(make, spec, #input, &[support::Answer::Json("{}")], #max);
                        assert!(matches!(r, Err(WaiterError::Timeout { .. })), "timeout: {r:?}");
                    });
                }
                tests.push(quote! {
                    #[test]
                    fn #test() {
                        type O = #lib::#m::#o;
                        let make: fn(runtime::client::Config) -> runtime::client::BlockingClient =
                            |c| #lib::#m::client::Client::new(c).inner().clone();
                        let spec = &#lib::#m::waiters::#spec;
                        #(#checks)*
                    }
                });
            }
        }
    }
    let waiters = tests.len();
    let source = format_file(
        "tests/waiters.rs",
        quote! {
            //! Every waiter through its states against a scripted loopback server.
            #![allow(non_snake_case)]

            mod fault_server;
            mod support;

            pub use #lib::runtime;
            use runtime::client::WaiterError;

            #(#tests)*
        },
    )?;
    Ok(WaiterSuite {
        source,
        waiters,
        skipped,
    })
}
