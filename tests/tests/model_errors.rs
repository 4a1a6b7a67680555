//! Models the generator cannot turn into Rust fail with a `codegen::Error`
//! that names the shape (and member) at fault. Every case is a small variant
//! of one service; all messages are kept in one snapshot.

use codegen::{CrateSpec, Loaded, Options, ServiceSpec};

/// A one-operation awsJson1_0 service plus `shapes`, which define `a#In`;
/// `a#Op` raises the error `a#Oops` unless `shapes` defines `a#Op` itself.
fn model(shapes: &str) -> String {
    let op = if shapes.contains(r#""a#Op":"#) {
        String::new()
    } else {
        r#""a#Op":{"type":"operation","input":{"target":"a#In"},"errors":[{"target":"a#Oops"}]},
        "a#Oops":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}},"#
            .to_string()
    };
    format!(
        r#"{{"smithy":"2.0","shapes":{{
        "a#Svc":{{"type":"service","version":"1","operations":[{{"target":"a#Op"}}],"traits":{{"aws.protocols#awsJson1_0":{{}}}}}},
        {op}{shapes}}}}}"#
    )
}

fn generate(text: &str) -> Result<(), codegen::Error> {
    let loaded = Loaded::from_text("case.json", text)?;
    let spec = ServiceSpec {
        module: "svc".into(),
        model: "case.json".into(),
        upstream: None,
        service: None,
        // Selected by name: `--all` would leave a streaming operation out.
        operations: vec!["Op".into()],
        all: false,
        protocol: None,
    };
    let krate = CrateSpec {
        name: "case".into(),
        version: "0.1.0".into(),
    };
    codegen::generate(&krate, &[(&spec, &loaded)], &Options::default()).map(|_| ())
}

const CASES: &[(&str, &str, &str)] = &[
    (
        "a structure that contains itself through required members",
        "a#Node",
        r#""a#In":{"type":"structure","members":{"Node":{"target":"a#Node"}}},
           "a#Node":{"type":"structure","members":{"Next":{"target":"a#Node","traits":{"smithy.api#required":{}}}}}"#,
    ),
    (
        "a map with integer keys",
        "a#Counts",
        r#""a#In":{"type":"structure","members":{"C":{"target":"a#Counts"}}},
           "a#Counts":{"type":"map","key":{"target":"smithy.api#Integer"},"value":{"target":"smithy.api#String"}}"#,
    ),
    (
        "an intEnum value beyond 32 bits",
        "a#Big",
        r#""a#In":{"type":"structure","members":{"B":{"target":"a#Big"}}},
           "a#Big":{"type":"intEnum","members":{"HUGE":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":4294967296}}}}"#,
    ),
    (
        "a default that does not fit its member",
        "a#In",
        r#""a#In":{"type":"structure","members":{"N":{"target":"smithy.api#Byte","traits":{"smithy.api#default":300}}}}"#,
    ),
    (
        "a streaming member",
        "a#In",
        r#""a#In":{"type":"structure","members":{"Body":{"target":"a#Stream"}}},
           "a#Stream":{"type":"blob","traits":{"smithy.api#streaming":{}}}"#,
    ),
    (
        "a structure member targeting Unit",
        "a#In",
        r#""a#In":{"type":"structure","members":{"Nothing":{"target":"smithy.api#Unit"}}}"#,
    ),
    (
        "an unknown timestamp format",
        "a#In",
        r#""a#In":{"type":"structure","members":{"T":{"target":"smithy.api#Timestamp","traits":{"smithy.api#timestampFormat":"julian-day"}}}}"#,
    ),
    (
        "a mixin cycle",
        "a#M1",
        r#""a#In":{"type":"structure","mixins":[{"target":"a#M1"}],"members":{}},
           "a#M1":{"type":"structure","mixins":[{"target":"a#M2"}],"members":{},"traits":{"smithy.api#mixin":{}}},
           "a#M2":{"type":"structure","mixins":[{"target":"a#M1"}],"members":{},"traits":{"smithy.api#mixin":{}}}"#,
    ),
];

#[test]
fn unsupported_models_fail_naming_the_shape() {
    let mut report = String::new();
    for (what, shape, shapes) in CASES {
        let err = match generate(&model(shapes)) {
            Ok(()) => panic!("{what}: generated without an error"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(shape), "{what}: `{shape}` not named in: {err}");
        report.push_str(&format!("{what}:\n  {err}\n"));
    }
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("model_errors", report);
    });
}
