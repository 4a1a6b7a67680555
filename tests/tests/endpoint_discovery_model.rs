//! Endpoint discovery as lowered from the shared Timestream Query model
//! (required discovery): selecting one operation brings `DescribeEndpoints`
//! along, and the generated client wires the two together.

use codegen::{Loaded, Options, ServiceSpec};

fn timestream(operations: &[&str]) -> Option<codegen::ir::Service> {
    let (file, text) = tests::shared_model("other-protocols/timestream-query-2018-11-01.json")?;
    let loaded = Loaded::from_text(&file, &text).expect("the model loads");
    let spec = ServiceSpec {
        module: "timestream_query".into(),
        model: file,
        upstream: None,
        service: None,
        operations: operations.iter().map(|s| s.to_string()).collect(),
        all: operations.is_empty(),
        protocol: None,
    };
    Some(codegen::lower_service(&loaded, &spec, &Options::default()).expect("lowers"))
}

#[test]
fn a_discovered_operation_brings_its_discovery_operation_along() {
    let Some(svc) = timestream(&["Query"]) else {
        return;
    };
    let names: Vec<&str> = svc
        .operations
        .iter()
        .map(|o| o.wire_name.as_str())
        .collect();
    assert_eq!(names, ["DescribeEndpoints", "Query"]);
    let query = svc
        .operations
        .iter()
        .find(|o| o.wire_name == "Query")
        .unwrap();
    assert_eq!(query.discovered_endpoint.map(|d| d.required), Some(true));
    let describe = svc
        .operations
        .iter()
        .find(|o| o.wire_name == "DescribeEndpoints")
        .unwrap();
    assert_eq!(describe.discovered_endpoint, None);
    let d = svc.endpoint_discovery.as_ref().expect("discovery is read");
    assert_eq!(d.operation, "DescribeEndpoints");
    assert_eq!(d.error_code.as_deref(), Some("InvalidEndpointException"));
    assert!(svc.left_out.is_empty(), "{:?}", svc.left_out);
}

#[test]
fn every_timestream_query_operation_but_discovery_itself_discovers() {
    let Some(svc) = timestream(&[]) else {
        return;
    };
    for op in &svc.operations {
        let expected = op.wire_name != "DescribeEndpoints";
        assert_eq!(
            op.discovered_endpoint.is_some_and(|d| d.required),
            expected,
            "{}",
            op.wire_name
        );
    }
    assert!(svc.endpoint_discovery.is_some());
}

#[test]
fn a_slice_keeps_the_discovery_operation_and_a_model_without_it_still_generates() {
    let Some((file, text)) =
        tests::shared_model("other-protocols/timestream-query-2018-11-01.json")
    else {
        return;
    };
    let sliced = codegen::slice(&file, &text, None, &["Query".to_string()]).expect("slices");
    assert!(sliced.contains("\"com.amazonaws.timestreamquery#DescribeEndpoints\""));
    // Without its discovery operation (a slice made by an older slicer),
    // the service generates, and says discovery is left out.
    let mut doc: serde_json::Value = serde_json::from_str(&sliced).unwrap();
    let shapes = doc["shapes"].as_object_mut().unwrap();
    shapes.remove("com.amazonaws.timestreamquery#DescribeEndpoints");
    let service = shapes
        .get_mut("com.amazonaws.timestreamquery#Timestream_20181101")
        .unwrap();
    service["operations"]
        .as_array_mut()
        .unwrap()
        .retain(|o| o["target"] != "com.amazonaws.timestreamquery#DescribeEndpoints");
    let text = doc.to_string();
    let loaded = Loaded::from_text("sliced.json", &text).expect("loads");
    let spec = ServiceSpec {
        module: "timestream_query".into(),
        model: "sliced.json".into(),
        upstream: None,
        service: None,
        operations: vec!["Query".into()],
        all: false,
        protocol: None,
    };
    let svc = codegen::lower_service(&loaded, &spec, &Options::default()).expect("lowers");
    assert!(svc.endpoint_discovery.is_none());
    assert_eq!(svc.left_out.len(), 1, "{:?}", svc.left_out);
    assert!(svc.left_out[0].what.contains("endpoint discovery"));
}
