//! Every paginator and waiter of the two upstream models lowers (each
//! JMESPath parsed and its member names checked against the model), and
//! each waiter path, evaluated by the runtime's JMESPath evaluator on
//! outputs built for the purpose, picks the state the acceptor names.

use codegen::ir::{JmesExpr, Matcher, Service};
use codegen::{Loaded, Options, ServiceSpec};

fn lower_all(file: &str) -> Option<Service> {
    let (name, text) = tests::shared_model(&format!("upstream/{file}"))?;
    let model = Loaded::from_text(&name, &text).unwrap();
    let spec = ServiceSpec {
        module: "m".into(),
        model: file.into(),
        upstream: None,
        service: None,
        operations: Vec::new(),
        all: true,
    };
    Some(
        codegen::lower_service(&model, &spec, &Options::default())
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

#[test]
fn every_paginator_and_waiter_of_both_models_lowers() {
    for (file, paginated, waiters, nested_items) in [
        ("sagemaker-2017-07-24.json", 91, 13, 0),
        ("database-migration-service-2016-01-01.json", 42, 17, 0),
    ] {
        let Some(svc) = lower_all(file) else { return };
        let p = svc
            .operations
            .iter()
            .filter(|o| o.paginator.is_some())
            .count();
        let w: usize = svc.operations.iter().map(|o| o.waiters.len()).sum();
        assert_eq!((p, w), (paginated, waiters), "{file}");
        let nested = svc
            .operations
            .iter()
            .filter_map(|o| o.paginator.as_ref())
            .filter(|p| p.items.as_ref().is_some_and(|(path, _)| path.len() > 1))
            .count();
        assert_eq!(nested, nested_items, "{file}");
        for op in &svc.operations {
            for waiter in &op.waiters {
                for a in &waiter.acceptors {
                    if let Matcher::Output(JmesExpr::Path(steps), _, _) = &a.matcher {
                        assert!(!steps.is_empty(), "{} {}", op.name, waiter.name);
                    }
                }
            }
        }
    }
}

use aws_slim::runtime::client::jmespath as rt;
use aws_slim::runtime::Document;
use codegen::ir::{JmesLit, JmesStep};
use serde_json::{json, Value};

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

/// The runtime form of a lowered expression (leaked: a test's lifetime).
fn runtime_expr(e: &JmesExpr) -> rt::Expr<'static> {
    let s = |x: &str| -> &'static str { Box::leak(x.to_string().into_boxed_str()) };
    match e {
        JmesExpr::Path(steps) => {
            let steps: Vec<rt::Step<'static>> = steps
                .iter()
                .map(|st| match st {
                    JmesStep::Field(f) => rt::Step::Field(s(f)),
                    JmesStep::Index(i) => rt::Step::Index(*i),
                    JmesStep::Flatten => rt::Step::Flatten,
                    JmesStep::Wildcard => rt::Step::Wildcard,
                    JmesStep::Filter(c) => rt::Step::Filter(leak(runtime_expr(c))),
                })
                .collect();
            rt::Expr::Path(Box::leak(steps.into_boxed_slice()))
        }
        JmesExpr::Literal(l) => rt::Expr::Literal(match l {
            JmesLit::Null => rt::Lit::Null,
            JmesLit::Bool(b) => rt::Lit::Bool(*b),
            JmesLit::Number(n) => rt::Lit::Number(*n),
            JmesLit::Str(x) => rt::Lit::Str(s(x)),
        }),
        JmesExpr::Compare(op, a, b) => {
            let op = match op.as_str() {
                "Eq" => rt::Cmp::Eq,
                "Ne" => rt::Cmp::Ne,
                "Lt" => rt::Cmp::Lt,
                "Le" => rt::Cmp::Le,
                "Gt" => rt::Cmp::Gt,
                _ => rt::Cmp::Ge,
            };
            rt::Expr::Compare(op, leak(runtime_expr(a)), leak(runtime_expr(b)))
        }
        JmesExpr::And(a, b) => rt::Expr::And(leak(runtime_expr(a)), leak(runtime_expr(b))),
        JmesExpr::Or(a, b) => rt::Expr::Or(leak(runtime_expr(a)), leak(runtime_expr(b))),
        JmesExpr::Not(a) => rt::Expr::Not(leak(runtime_expr(a))),
        JmesExpr::Call(f, args) => {
            let f = if f == "Length" {
                rt::Function::Length
            } else {
                rt::Function::Contains
            };
            let args: Vec<rt::Expr<'static>> = args.iter().map(runtime_expr).collect();
            rt::Expr::Call(f, Box::leak(args.into_boxed_slice()))
        }
    }
}

/// A document on which a path of fields and projections reaches `leaf`
/// (two elements per projection).
fn doc_for(steps: &[JmesStep], leaf: &Value) -> Option<Value> {
    let Some((first, rest)) = steps.split_first() else {
        return Some(leaf.clone());
    };
    let inner = doc_for(rest, leaf)?;
    Some(match first {
        JmesStep::Field(f) => json!({ f.as_str(): inner }),
        JmesStep::Flatten | JmesStep::Wildcard => json!([inner.clone(), inner]),
        JmesStep::Index(0) => json!([inner]),
        _ => return None,
    })
}

fn to_document(v: &Value) -> Document {
    aws_slim::runtime::json::JsonReader::new(v.to_string().as_bytes())
        .read_document()
        .unwrap()
}

#[test]
fn every_waiter_path_of_both_models_matches_what_it_should() {
    let mut cases = Vec::new();
    for file in [
        "sagemaker-2017-07-24.json",
        "database-migration-service-2016-01-01.json",
    ] {
        let Some(svc) = lower_all(file) else { return };
        for op in &svc.operations {
            for w in &op.waiters {
                for a in &w.acceptors {
                    let Matcher::Output(path, expected, comparator) = &a.matcher else {
                        continue;
                    };
                    let JmesExpr::Path(steps) = path else {
                        panic!("{}: a path", w.name)
                    };
                    let expr = runtime_expr(path);
                    for (leaf, should_match) in [
                        (expected.clone(), true),
                        ("no-such-state".to_string(), false),
                    ] {
                        let doc =
                            doc_for(steps, &Value::String(leaf)).expect("a field/projection path");
                        let got = rt::eval(&expr, &to_document(&doc));
                        let matched = match comparator.as_str() {
                            "StringEquals" => got.as_str() == Some(expected.as_str()),
                            "AllStringEquals" => got.as_array().is_some_and(|a| {
                                !a.is_empty()
                                    && a.iter().all(|e| e.as_str() == Some(expected.as_str()))
                            }),
                            "AnyStringEquals" => got.as_array().is_some_and(|a| {
                                a.iter().any(|e| e.as_str() == Some(expected.as_str()))
                            }),
                            other => panic!("{other}"),
                        };
                        assert_eq!(matched, should_match, "{} {}: {doc}", op.wire_name, w.name);
                        cases.push((path_text(steps), doc, tests::document_json(&got)));
                    }
                }
            }
        }
    }
    assert!(cases.len() >= 2 * (25 + 59), "{} cases", cases.len());
    // botocore's own JMESPath library as the oracle, when it is installed.
    if !tests::botocore_available("JMESPath oracle") {
        return;
    }
    let input: Vec<Value> = cases.iter().map(|(p, d, _)| json!([p, d])).collect();
    let script = "import json,sys,jmespath\nprint(json.dumps([jmespath.search(p,d) for p,d in json.load(sys.stdin)]))";
    let mut child = std::process::Command::new(tests::python())
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(Value::Array(input).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let oracle: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    for ((path, doc, ours), theirs) in cases.iter().zip(&oracle) {
        assert_eq!(ours, theirs, "{path} on {doc}");
    }
}

fn path_text(steps: &[JmesStep]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            JmesStep::Field(f) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(f);
            }
            JmesStep::Flatten => out.push_str("[]"),
            JmesStep::Wildcard => out.push_str("[*]"),
            JmesStep::Index(i) => out.push_str(&format!("[{i}]")),
            JmesStep::Filter(_) => out.push_str("[?...]"),
        }
    }
    out
}
