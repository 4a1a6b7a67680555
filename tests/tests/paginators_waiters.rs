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
