//! Labels an endpoint rule set places: the real S3 model's `Bucket` is an
//! endpoint parameter (`@contextParam`) that S3's rule set writes into the
//! endpoint URL (the host, or the path for path-style and IP endpoints), so
//! the generator leaves it out of the request path. A label no rule set
//! uses (Lambda's `FunctionName`) stays.

use codegen::ir::{PathPart, Service};
use codegen::{Loaded, Options, ServiceSpec};

fn lower(rel: &str, module: &str, ops: &[&str]) -> Option<Service> {
    let (file, text) = tests::shared_model(rel)?;
    let model = Loaded::from_text(&file, &text).expect("the model loads");
    let spec = ServiceSpec {
        module: module.into(),
        model: file,
        upstream: None,
        service: None,
        operations: ops.iter().map(|s| s.to_string()).collect(),
        all: false,
        protocol: None,
    };
    Some(codegen::lower_service(&model, &spec, &Options::default()).expect("lowers"))
}

fn path(svc: &Service, op: &str) -> Vec<PathPart> {
    let op = svc
        .operations
        .iter()
        .find(|o| o.wire_name == op)
        .expect("the operation");
    op.http.as_ref().expect("a route").path.clone()
}

#[test]
fn s3_bucket_labels_are_left_to_the_rule_set() {
    let Some(s3) = lower(
        "other-protocols/s3-2006-03-01.json",
        "s3",
        &["GetObject", "ListObjectsV2", "CreateBucket"],
    ) else {
        return;
    };
    // `/{Bucket}/{Key+}?x-id=GetObject`: the key alone, after one `/`.
    let get = path(&s3, "GetObject");
    assert!(
        matches!(get.as_slice(), [PathPart::Literal(l), PathPart::Label { greedy: true, .. }] if l == "/"),
        "{get:?}"
    );
    // `/{Bucket}?list-type=2` and `/{Bucket}`: nothing, the endpoint's
    // path is the whole path (`https://s3.amazonaws.com/bucket`).
    for op in ["ListObjectsV2", "CreateBucket"] {
        let p = path(&s3, op);
        assert_eq!(p, [], "{op}");
    }
    let Some(lambda) = lower(
        "other-protocols/lambda-2015-03-31.json",
        "lambda",
        &["GetFunction"],
    ) else {
        return;
    };
    let p = path(&lambda, "GetFunction");
    assert!(
        p.iter().any(|x| matches!(x, PathPart::Label { .. })),
        "Lambda's FunctionName stays in the path: {p:?}"
    );
}
