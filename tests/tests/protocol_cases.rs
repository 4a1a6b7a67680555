//! The protocol-test generator over the official Smithy protocol-test model:
//! every awsJson case is found, for clients and for servers, and each becomes
//! a test body (none falls back to "cannot generate this case"). Compiling and running those
//! tests is `cargo xtask protocol-tests`, which `cargo xtask test` runs.

use std::collections::BTreeMap;

use codegen::protocol_tests::{self, Direction, Side};
use codegen::{Loaded, Options, ServiceSpec};

#[test]
fn every_awsjson_case_is_generated() {
    let Some((file, text)) = tests::shared_model("protocol-tests/smithy-aws-protocol-tests.json")
    else {
        return;
    };
    let model = Loaded::from_text(&file, &text).expect("the model loads");
    let mut counts: BTreeMap<(&str, Side, Direction), usize> = BTreeMap::new();
    let options = Options {
        command: "test".into(),
        model_docs: false,
        standalone: true,
    };
    for (id, protocol) in protocol_tests::services_with_cases(&model).expect("services") {
        let spec = ServiceSpec {
            module: codegen::naming::module_name(codegen::model::shape_name(&id)),
            model: file.clone(),
            upstream: None,
            service: Some(id.clone()),
            operations: Vec::new(),
            all: true,
        };
        let svc = codegen::lower_service(&model, &spec, &options).expect("lowers");
        let suite = protocol_tests::generate("sut", &[(&svc, &model)], "test").expect("generates");
        assert!(
            !suite.source.contains("cannot generate this case"),
            "{id}: a case could not be generated"
        );
        for case in &suite.cases {
            *counts
                .entry((
                    protocol_tests::protocol_name(protocol),
                    case.side,
                    case.direction,
                ))
                .or_default() += 1;
        }
    }
    // Cases whose `appliesTo` is absent count on both sides.
    let want = [
        (("awsJson1_0", Side::Client, Direction::Request), 29),
        (("awsJson1_0", Side::Client, Direction::Response), 41),
        (("awsJson1_0", Side::Server, Direction::Request), 26),
        (("awsJson1_0", Side::Server, Direction::Response), 23),
        (("awsJson1_1", Side::Client, Direction::Request), 57),
        (("awsJson1_1", Side::Client, Direction::Response), 62),
        (("awsJson1_1", Side::Server, Direction::Request), 58),
        (("awsJson1_1", Side::Server, Direction::Response), 45),
    ];
    assert_eq!(counts, BTreeMap::from(want));
}
