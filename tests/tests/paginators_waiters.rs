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
        protocol: None,
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
            .filter(|p| p.items.as_ref().is_some_and(|i| i.path.len() > 1))
            .count();
        assert_eq!(nested, nested_items, "{file}");
        for op in &svc.operations {
            for waiter in &op.waiters {
                for a in &waiter.acceptors {
                    if let Matcher::Output(path, _, _) = &a.matcher {
                        assert_ne!(path, &JmesExpr::Identity, "{} {}", op.name, waiter.name);
                        assert!(a.path.is_some(), "{} {}", op.name, waiter.name);
                    }
                }
            }
        }
    }
}

use serde_json::{json, Value};

/// A document on which a path of fields and projections reaches `leaf`
/// (two elements per projection).
fn doc_for(e: &JmesExpr, leaf: &Value) -> Option<Value> {
    Some(match e {
        JmesExpr::Identity => leaf.clone(),
        JmesExpr::Field(f) => json!({ f.as_str(): leaf }),
        JmesExpr::Sub(a, b) => doc_for(a, &doc_for(b, leaf)?)?,
        JmesExpr::Index(0) => json!([leaf]),
        JmesExpr::Projection(l, r) => {
            let each = doc_for(r, leaf)?;
            let lhs = match &**l {
                JmesExpr::Flatten(inner) => inner,
                other => other,
            };
            doc_for(lhs, &json!([each.clone(), each]))?
        }
        _ => return None,
    })
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
                    let text = a.path.as_deref().expect("an output matcher's path");
                    for (leaf, should_match) in [
                        (expected.clone(), true),
                        ("no-such-state".to_string(), false),
                    ] {
                        let doc =
                            doc_for(path, &Value::String(leaf)).expect("a field/projection path");
                        let got: Value = serde_json::from_str(
                            &codegen::jmespath_search(text, &doc.to_string()).unwrap(),
                        )
                        .unwrap();
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
                        cases.push((text.to_string(), doc, got));
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
