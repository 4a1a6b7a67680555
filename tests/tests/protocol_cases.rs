//! The protocol-test generator over the official Smithy protocol-test model:
//! every awsJson case is found, for clients and for servers, and every
//! restJson1, restXml, awsQuery and ec2Query case for clients (the server side speaks awsJson); each becomes
//! a test body (none falls back to "cannot generate this case"). Compiling and running those
//! tests is `cargo xtask protocol-tests`, which `cargo xtask test` runs.

use std::collections::BTreeMap;

use codegen::ir::{Direction, Side};
use codegen::{Loaded, Options, ServiceSpec};

#[test]
fn every_case_of_a_supported_protocol_is_generated() {
    let Some((file, text)) = tests::shared_model("protocol-tests/smithy-aws-protocol-tests.json")
    else {
        return;
    };
    let model = Loaded::from_text(&file, &text).expect("the model loads");
    let mut counts: BTreeMap<(&str, Side, Direction), usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    let options = Options {
        command: "test".into(),
        model_docs: false,
        standalone: true,
        runtime_tests: false,
    };
    for (id, protocol) in codegen::protocol_test_services(&model).expect("services") {
        let spec = ServiceSpec {
            module: codegen::service_module_name(&id),
            model: file.clone(),
            upstream: None,
            service: Some(id.clone()),
            operations: Vec::new(),
            all: true,
            protocol: None,
        };
        let svc = codegen::lower_service(&model, &spec, &options).expect("lowers");
        let suite = codegen::protocol_test_suite("sut", &model, &[svc], "test").expect("generates");
        assert!(
            !suite.source.contains("cannot generate this case"),
            "{id}: a case could not be generated"
        );
        for case in &suite.cases {
            if let Some(reason) = case.skip {
                // A skipped case is still generated, as an ignored test with its reason.
                assert!(
                    suite.source.contains(&format!("#[ignore = {reason:?}]")),
                    "{}",
                    case.id
                );
                skipped.push((case.side, case.direction, case.id.clone()));
            }
            *counts
                .entry((protocol.name(), case.side, case.direction))
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
        (("awsQuery", Side::Client, Direction::Request), 38),
        (("awsQuery", Side::Client, Direction::Response), 39),
        (("ec2Query", Side::Client, Direction::Request), 30),
        (("ec2Query", Side::Client, Direction::Response), 29),
        (("restJson1", Side::Client, Direction::Request), 141),
        (("restJson1", Side::Client, Direction::Response), 107),
        (("restJson1", Side::Client, Direction::Events), 84),
        (("restXml", Side::Client, Direction::Request), 109),
        (("restXml", Side::Client, Direction::Response), 84),
        // The AWS suite's two RPC v2 CBOR services (the full Smithy suite
        // is `tests/models/rpcv2-cbor-protocol-tests.json`, run by
        // `cargo xtask protocol-tests`).
        (("rpcv2Cbor", Side::Client, Direction::Request), 2),
        (("rpcv2Cbor", Side::Client, Direction::Response), 2),
    ];
    assert_eq!(counts, BTreeMap::from(want));
    // Every skip names a case of the suite, on its side and direction, so
    // none outlives the case it was written for; and nothing else is skipped.
    let mut listed: Vec<(Side, Direction, String)> = codegen::protocol_case_skips()
        .iter()
        .map(|(side, direction, id, _)| (*side, *direction, id.to_string()))
        .collect();
    listed.sort();
    skipped.sort();
    assert_eq!(skipped, listed);
}
