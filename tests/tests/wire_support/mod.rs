//! Helpers shared by the behaviour tests of the generated operations
//! (`dms_stop_replication`, `sagemaker_stop_pipeline_execution`,
//! `botocore_oracle`). Each test binary uses a different subset.
#![allow(dead_code)]

use std::collections::BTreeSet;

use aws_slim::runtime::{DecodeError, HttpRequest, UnhandledError};
use serde_json::{json, Value};

pub use tests::workspace_root;

/// Loads a Smithy JSON AST slice from `models/`.
pub fn slice_model(file: &str) -> Value {
    let path = workspace_root().join("models").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The request body parsed as JSON.
pub fn body_json(req: &HttpRequest) -> Value {
    let text = req.body_str().expect("request body is UTF-8");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("request body {text:?} is not JSON: {e}"))
}

/// Asserts the generic awsJson 1.1 request shape: `POST /`, the content type,
/// the target header and a correct `Content-Length`.
pub fn assert_aws_json_1_1_request(req: &HttpRequest, target: &str) {
    assert_eq!(req.method, "POST");
    assert_eq!(req.uri, "/");
    assert_eq!(
        req.header("Content-Type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(req.header("X-Amz-Target"), Some(target));
    assert_eq!(
        req.header("content-length"),
        Some(req.body.len().to_string().as_str())
    );
    // Each header exactly once.
    let names: BTreeSet<String> = req
        .headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    assert_eq!(
        names.len(),
        req.headers.len(),
        "duplicate headers: {:?}",
        req.headers
    );
}

/// Whether `s` is a lowercase, hyphenated RFC 4122 version-4 UUID.
pub fn is_uuid_v4(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    lens == [8, 4, 4, 4, 12]
        && groups.iter().all(|g| {
            g.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// The shape a member or list member targets, resolved in `model`; `None` for
/// prelude shapes (`smithy.api#...`) that the slice does not define.
fn target_shape<'m>(model: &'m Value, target: &str) -> Option<&'m Value> {
    model["shapes"].get(target)
}

/// The JSON key of a member (its `@jsonName`, else the member name).
fn wire_name<'a>(name: &'a str, member: &'a Value) -> &'a str {
    member["traits"]["smithy.api#jsonName"]
        .as_str()
        .unwrap_or(name)
}

/// Asserts that `value` sets every member of the structure `shape_id` (and,
/// recursively, of every structure reachable from it, in every list element),
/// and nothing the model does not define. Returns the shape ids visited.
///
/// A model update that adds a member makes this fail until the fixture sets it.
pub fn assert_covers_every_member(
    model: &Value,
    shape_id: &str,
    value: &Value,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    covers(model, shape_id, value, &format!("${shape_id}"), &mut seen);
    seen
}

fn covers(model: &Value, shape_id: &str, value: &Value, path: &str, seen: &mut BTreeSet<String>) {
    let Some(shape) = target_shape(model, shape_id) else {
        assert!(!value.is_null(), "{path}: null");
        return;
    };
    match shape["type"].as_str() {
        Some("structure") => {
            seen.insert(shape_id.to_owned());
            let obj = value.as_object().unwrap_or_else(|| {
                panic!("{path}: expected an object for {shape_id}, got {value}")
            });
            let members = shape["members"].as_object().expect("structure members");
            let mut wire_names = BTreeSet::new();
            for (name, member) in members {
                let wire = wire_name(name, member);
                wire_names.insert(wire.to_owned());
                let v = obj.get(wire).unwrap_or_else(|| {
                    panic!("{path}: fixture does not set member `{wire}` of {shape_id}")
                });
                let target = member["target"].as_str().expect("member target");
                covers(model, target, v, &format!("{path}.{wire}"), seen);
            }
            for key in obj.keys() {
                assert!(
                    wire_names.contains(key),
                    "{path}: fixture sets `{key}`, which {shape_id} does not define"
                );
            }
        }
        Some("list") | Some("set") => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{path}: expected an array for {shape_id}, got {value}"));
            assert!(items.len() >= 2, "{path}: give {shape_id} several entries");
            let target = shape["member"]["target"]
                .as_str()
                .expect("list member target");
            for (i, item) in items.iter().enumerate() {
                covers(model, target, item, &format!("{path}[{i}]"), seen);
            }
        }
        Some("map") => {
            let obj = value
                .as_object()
                .unwrap_or_else(|| panic!("{path}: expected an object for {shape_id}"));
            assert!(!obj.is_empty(), "{path}: give {shape_id} entries");
            let target = shape["value"]["target"].as_str().expect("map value target");
            for (k, v) in obj {
                covers(model, target, v, &format!("{path}.{k}"), seen);
            }
        }
        Some("enum") => {
            let s = value
                .as_str()
                .unwrap_or_else(|| panic!("{path}: expected a string for enum {shape_id}"));
            let known: Vec<&str> = shape["members"]
                .as_object()
                .expect("enum members")
                .iter()
                .map(|(name, m)| {
                    m["traits"]["smithy.api#enumValue"]
                        .as_str()
                        .unwrap_or(name.as_str())
                })
                .collect();
            assert!(
                known.contains(&s),
                "{path}: `{s}` is not a value of {shape_id} ({known:?})"
            );
        }
        Some("timestamp") => assert!(
            value.is_number(),
            "{path}: expected epoch seconds, got {value}"
        ),
        Some("string") => assert!(value.is_string(), "{path}: expected a string, got {value}"),
        Some("boolean") => assert!(
            value.is_boolean(),
            "{path}: expected a boolean, got {value}"
        ),
        Some("integer" | "long" | "short" | "byte") => {
            assert!(
                value.is_i64() || value.is_u64(),
                "{path}: expected an integer, got {value}"
            )
        }
        other => {
            panic!("{path}: shape type {other:?} of {shape_id} not handled by the coverage check")
        }
    }
}

/// A `StopReplication` response body that sets every member of `Replication`
/// and of every structure nested in it (checked against the model slice by
/// `fixture_covers_every_member_of_the_model`). Timestamps carry millisecond
/// fractions; `ElapsedTimeMillis` is above 2^53 to catch float round-trips.
pub fn dms_full_response() -> Value {
    json!({
        "Replication": {
            "ReplicationConfigIdentifier": "my-config",
            "ReplicationConfigArn": "arn:aws:dms:us-east-1:123456789012:replication-config:ABCDEFGHIJ",
            "SourceEndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:SRC",
            "TargetEndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:TGT",
            "ReplicationType": "full-load-and-cdc",
            "Status": "stopping",
            "ProvisionData": {
                "ProvisionState": "provisioned",
                "ProvisionedCapacityUnits": 16,
                "DateProvisioned": 1699990000.5,
                "IsNewProvisioningAvailable": true,
                "DateNewProvisioningDataAvailable": 1699995000.25,
                "ReasonForNewProvisioningData": "load increased"
            },
            "PremigrationAssessmentStatuses": [
                {
                    "PremigrationAssessmentRunArn": "arn:aws:dms:us-east-1:123456789012:assessment-run:ONE",
                    "FailOnAssessmentFailure": true,
                    "Status": "passed",
                    "PremigrationAssessmentRunCreationDate": 1699900000.001,
                    "AssessmentProgress": {
                        "IndividualAssessmentCount": 12,
                        "IndividualAssessmentCompletedCount": 12
                    },
                    "LastFailureMessage": "none",
                    "ResultLocationBucket": "bucket-one",
                    "ResultLocationFolder": "folder/one",
                    "ResultEncryptionMode": "SSE_S3",
                    "ResultKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/one",
                    "ResultStatistic": {
                        "Passed": 10,
                        "Failed": 0,
                        "Error": 1,
                        "Warning": 1,
                        "Cancelled": 0,
                        "Skipped": 0
                    }
                },
                {
                    "PremigrationAssessmentRunArn": "arn:aws:dms:us-east-1:123456789012:assessment-run:TWO",
                    "FailOnAssessmentFailure": false,
                    "Status": "failed",
                    "PremigrationAssessmentRunCreationDate": 1699800000.999,
                    "AssessmentProgress": {
                        "IndividualAssessmentCount": 7,
                        "IndividualAssessmentCompletedCount": 3
                    },
                    "LastFailureMessage": "permission denied on \"schema\"\n\u{e9}\u{1F600}",
                    "ResultLocationBucket": "bucket-two",
                    "ResultLocationFolder": "folder/two",
                    "ResultEncryptionMode": "SSE_KMS",
                    "ResultKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/two",
                    "ResultStatistic": {
                        "Passed": 1,
                        "Failed": 2,
                        "Error": 3,
                        "Warning": 4,
                        "Cancelled": 5,
                        "Skipped": 6
                    }
                },
                {
                    "PremigrationAssessmentRunArn": "arn:aws:dms:us-east-1:123456789012:assessment-run:THREE",
                    "FailOnAssessmentFailure": true,
                    "Status": "running",
                    "PremigrationAssessmentRunCreationDate": 1699700000,
                    "AssessmentProgress": {
                        "IndividualAssessmentCount": 2147483647,
                        "IndividualAssessmentCompletedCount": 0
                    },
                    "LastFailureMessage": "",
                    "ResultLocationBucket": "bucket-three",
                    "ResultLocationFolder": "",
                    "ResultEncryptionMode": "SSE_S3",
                    "ResultKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/three",
                    "ResultStatistic": {
                        "Passed": 0,
                        "Failed": 0,
                        "Error": 0,
                        "Warning": 0,
                        "Cancelled": -1,
                        "Skipped": -2147483648
                    }
                }
            ],
            "StopReason": "Stop requested by user",
            "FailureMessages": ["first failure", "second failure", "third \u{2603}"],
            "ReplicationStats": {
                "FullLoadProgressPercent": 87,
                "ElapsedTimeMillis": 9007199254740993_i64,
                "TablesLoaded": 40,
                "TablesLoading": 2,
                "TablesQueued": 3,
                "TablesErrored": 1,
                "FreshStartDate": 1700000000.123,
                "StartDate": 1700000001.2,
                "StopDate": 1700000999.999,
                "FullLoadStartDate": 1700000002,
                "FullLoadFinishDate": 1700000500.05
            },
            "StartReplicationType": "reload-target",
            "CdcStartTime": 1700000100.1,
            "CdcStartPosition": "mysql-bin-changelog.000024:373",
            "CdcStopPosition": "server_time:2023-11-15T12:12:12",
            "RecoveryCheckpoint": "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876#0#0#*#0#24",
            "ReplicationCreateTime": 1690000000.777,
            "ReplicationUpdateTime": 1695000000.333,
            "ReplicationLastStopTime": 1700001000.01,
            "ReplicationDeprovisionTime": 1700002000.002,
            "IsReadOnly": false
        }
    })
}

/// Compares two JSON values exactly (numbers included) and describes the
/// first difference, with its path, or returns `None` when they are equal.
pub fn json_diff(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => {
                        if let Some(d) = json_diff(ev, av, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}.{k}: missing, expected {ev}")),
                }
            }
            a.keys()
                .find(|k| !e.contains_key(*k))
                .map(|k| format!("{path}.{k}: unexpected {}", a[k]))
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Some(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .find_map(|(i, (ev, av))| json_diff(ev, av, &format!("{path}[{i}]")))
        }
        _ if expected == actual => None,
        _ => Some(format!("{path}: {actual}, expected {expected}")),
    }
}

/// Builds a body of `depth` nested arrays, e.g. `[[[]]]` for 3.
pub fn nested_arrays(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 2);
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s
}

/// The decode error an unhandled error carries when the body could not be read.
pub fn decode_source(u: &UnhandledError) -> &DecodeError {
    std::error::Error::source(u)
        .unwrap_or_else(|| panic!("{u:?} should carry the decode error"))
        .downcast_ref::<DecodeError>()
        .expect("source is a DecodeError")
}
