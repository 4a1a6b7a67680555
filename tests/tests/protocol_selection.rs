//! Which protocol a service that declares several is generated for: the
//! AWS SDKs' order (RPC v2 CBOR first) by default, or the one a selection
//! names, which the service must declare.

#[allow(dead_code)]
mod fixture_models;

use codegen::ir::Protocol;
use codegen::Options;

fn lowered(protocol: Option<&str>) -> Result<codegen::ir::Service, String> {
    let model = fixture_models::load("rpcv2");
    let mut spec = fixture_models::spec("rpcv2");
    spec.protocol = protocol.map(String::from);
    codegen::lower_service(&model, &spec, &Options::default()).map_err(|e| e.to_string())
}

#[test]
fn rpcv2_cbor_comes_first_and_a_selection_may_pick_another() {
    let svc = lowered(None).unwrap();
    assert_eq!(svc.protocol_info.protocol, Protocol::RpcV2Cbor);
    let svc = lowered(Some("awsJson1_0")).unwrap();
    assert_eq!(svc.protocol_info.protocol, Protocol::AwsJson1_0);
    let err = lowered(Some("restXml")).unwrap_err();
    assert!(
        err.contains("does not speak protocol `restXml`")
            && err.contains("`rpcv2Cbor`, `awsJson1_0`"),
        "{err}"
    );
}

#[test]
fn the_chosen_protocol_shapes_the_generated_operations() {
    let model = fixture_models::load("rpcv2");
    for (protocol, wanted) in [
        (None, "/service/Metrics/operation/PutSamples"),
        (Some("awsJson1_0"), "X-Amz-Target"),
    ] {
        let mut spec = fixture_models::spec("rpcv2");
        spec.protocol = protocol.map(String::from);
        let krate = codegen::CrateSpec {
            name: "selection-check".into(),
            version: "0.1.0".into(),
        };
        let generated =
            codegen::generate(&krate, &[(&spec, &model)], &Options::default()).expect("generates");
        let ops = &generated.files["src/rpcv2/operations.rs"];
        assert!(
            ops.contains(wanted),
            "{protocol:?}: {wanted} not in operations.rs"
        );
    }
}
