//! Behaviour of the generated `dms::StopReplication` operation: the request
//! it builds, and how it reads successes, modeled errors, unknown errors and
//! broken responses.

mod wire_support;

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use aws_slim::dms::{
    AccessDeniedFault, InvalidResourceStateFault, MigrationTypeValue, PremigrationAssessmentStatus,
    ProvisionData, Replication, ReplicationStats, ReplicationTaskAssessmentRunProgress,
    ReplicationTaskAssessmentRunResultStatistic, ResourceNotFoundFault, StopReplication,
    StopReplicationError, StopReplicationMessage, StopReplicationResponse,
};
use aws_slim::runtime::json::{from_json, to_json};
use aws_slim::runtime::{DateTime, EncodeError, Operation, UnhandledError};
use serde_json::{json, Value};
use wire_support::*;

const TARGET: &str = "AmazonDMSv20160101.StopReplication";
const ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:ABCDEFGHIJ";

fn ok(body: &str) -> StopReplicationResponse {
    StopReplication::parse_response(200, &[("x-amzn-RequestId", "req-ok")], body.as_bytes())
        .unwrap_or_else(|e| panic!("body {body:?} should parse, got {e:?}"))
}

fn replication(body: &str) -> Replication {
    ok(body).replication.expect("Replication is set")
}

fn err(status: u16, headers: &[(&str, &str)], body: &str) -> StopReplicationError {
    match StopReplication::parse_response(status, headers, body.as_bytes()) {
        Ok(v) => panic!("status {status} body {body:?} should fail, got {v:?}"),
        Err(e) => e,
    }
}

fn unhandled(e: StopReplicationError) -> UnhandledError {
    match e {
        StopReplicationError::Unhandled(u) => u,
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

fn ts(secs: i64, nanos: u32) -> DateTime {
    DateTime::from_secs_and_nanos(secs, nanos)
}

// ------------------------------------------------------------------ requests

#[test]
fn request_is_post_slash_with_target_and_json_body() {
    let input = StopReplicationMessage::new().with_replication_config_arn(ARN);
    let req = StopReplication::build_request(&input).expect("builds");
    assert_aws_json_1_1_request(&req, TARGET);
    assert_eq!(body_json(&req), json!({ "ReplicationConfigArn": ARN }));
    assert_eq!(StopReplication::TARGET, TARGET);
    assert_eq!(
        (
            <StopReplication as Operation>::SERVICE,
            <StopReplication as Operation>::NAME
        ),
        ("AmazonDMSv20160101", "StopReplication")
    );
    // The trait entry point builds the very same request.
    assert_eq!(
        <StopReplication as Operation>::build_request(&input),
        Ok(req)
    );
}

#[test]
fn request_strings_are_escaped_and_the_input_is_left_untouched() {
    let odd = "arn:\"quoted\"\\back\nline\t\u{1}\u{e9}\u{1F600}</script>";
    let input = StopReplicationMessage::new().with_replication_config_arn(odd);
    let before = input.clone();
    let req = StopReplication::build_request(&input).expect("builds");
    assert_eq!(body_json(&req), json!({ "ReplicationConfigArn": odd }));
    assert_eq!(input, before);
    // An empty string is a value: it is sent, not treated as unset.
    let req = StopReplication::build_request(
        &StopReplicationMessage::new().with_replication_config_arn(""),
    )
    .expect("builds");
    assert_eq!(body_json(&req), json!({ "ReplicationConfigArn": "" }));
}

#[test]
fn missing_required_member_is_reported_by_name_before_sending() {
    let input = StopReplicationMessage::new();
    let e = StopReplication::build_request(&input).expect_err("must not build");
    assert_eq!(
        e,
        EncodeError::MissingRequired {
            shape: "StopReplicationMessage",
            member: "ReplicationConfigArn",
        }
    );
    assert_eq!(
        e.to_string(),
        "missing required member `ReplicationConfigArn` of `StopReplicationMessage`"
    );
    // A plain std error, usable with `?` into Box<dyn Error>.
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert!(boxed.to_string().contains("ReplicationConfigArn"));
    // Serializing the value directly fails the same way.
    assert_eq!(to_json(&input), Err(e));
}

#[test]
fn input_round_trips_through_json() {
    let input = StopReplicationMessage::new().with_replication_config_arn(ARN);
    let text = to_json(&input).expect("serializes");
    assert_eq!(
        serde_json::from_str::<Value>(&text).expect("JSON"),
        json!({ "ReplicationConfigArn": ARN })
    );
    assert_eq!(
        from_json::<StopReplicationMessage>(text.as_bytes()),
        Ok(input)
    );
}

// ---------------------------------------------------------- full response

#[test]
fn fixture_covers_every_member_of_the_model() {
    let model = slice_model("database-migration-service.slice.json");
    let fixture = dms_full_response();
    let seen = assert_covers_every_member(
        &model,
        "com.amazonaws.databasemigrationservice#StopReplicationResponse",
        &fixture,
    );
    let want: Vec<String> = [
        "PremigrationAssessmentStatus",
        "ProvisionData",
        "Replication",
        "ReplicationStats",
        "ReplicationTaskAssessmentRunProgress",
        "ReplicationTaskAssessmentRunResultStatistic",
        "StopReplicationResponse",
    ]
    .iter()
    .map(|s| format!("com.amazonaws.databasemigrationservice#{s}"))
    .collect();
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn full_response_sets_every_member() {
    let body = dms_full_response().to_string();
    let r = replication(&body);

    assert_eq!(
        r.replication_config_identifier.as_deref(),
        Some("my-config")
    );
    assert_eq!(r.replication_config_arn.as_deref(), Some(ARN));
    assert_eq!(
        r.source_endpoint_arn.as_deref(),
        Some("arn:aws:dms:us-east-1:123456789012:endpoint:SRC")
    );
    assert_eq!(
        r.target_endpoint_arn.as_deref(),
        Some("arn:aws:dms:us-east-1:123456789012:endpoint:TGT")
    );
    assert_eq!(r.replication_type, Some(MigrationTypeValue::FullLoadAndCdc));
    assert_eq!(r.status.as_deref(), Some("stopping"));
    assert_eq!(
        r.provision_data,
        Some(
            ProvisionData::new()
                .with_provision_state("provisioned")
                .with_provisioned_capacity_units(16)
                .with_date_provisioned(ts(1_699_990_000, 500_000_000))
                .with_is_new_provisioning_available(true)
                .with_date_new_provisioning_data_available(ts(1_699_995_000, 250_000_000))
                .with_reason_for_new_provisioning_data("load increased")
        )
    );

    let statuses = r.premigration_assessment_statuses();
    assert_eq!(statuses.len(), 3);
    assert_eq!(
        statuses[0],
        PremigrationAssessmentStatus::new()
            .with_premigration_assessment_run_arn(
                "arn:aws:dms:us-east-1:123456789012:assessment-run:ONE"
            )
            .with_fail_on_assessment_failure(true)
            .with_status("passed")
            .with_premigration_assessment_run_creation_date(ts(1_699_900_000, 1_000_000))
            .with_assessment_progress(
                ReplicationTaskAssessmentRunProgress::new()
                    .with_individual_assessment_count(12)
                    .with_individual_assessment_completed_count(12)
            )
            .with_last_failure_message("none")
            .with_result_location_bucket("bucket-one")
            .with_result_location_folder("folder/one")
            .with_result_encryption_mode("SSE_S3")
            .with_result_kms_key_arn("arn:aws:kms:us-east-1:123456789012:key/one")
            .with_result_statistic(
                ReplicationTaskAssessmentRunResultStatistic::new()
                    .with_passed(10)
                    .with_failed(0)
                    .with_error(1)
                    .with_warning(1)
                    .with_cancelled(0)
                    .with_skipped(0)
            )
    );
    let second = &statuses[1];
    assert!(!second.fail_on_assessment_failure);
    assert_eq!(
        second.premigration_assessment_run_creation_date,
        Some(ts(1_699_800_000, 999_000_000))
    );
    assert_eq!(
        second.last_failure_message.as_deref(),
        Some("permission denied on \"schema\"\n\u{e9}\u{1F600}")
    );
    assert_eq!(
        second.result_statistic,
        Some(
            ReplicationTaskAssessmentRunResultStatistic::new()
                .with_passed(1)
                .with_failed(2)
                .with_error(3)
                .with_warning(4)
                .with_cancelled(5)
                .with_skipped(6)
        )
    );
    let third = &statuses[2];
    assert_eq!(
        third.premigration_assessment_run_creation_date,
        Some(ts(1_699_700_000, 0))
    );
    assert_eq!(
        third
            .assessment_progress
            .as_ref()
            .map(|p| p.individual_assessment_count),
        Some(i32::MAX)
    );
    assert_eq!(third.last_failure_message.as_deref(), Some(""));
    assert_eq!(third.result_location_folder.as_deref(), Some(""));
    let stat = third.result_statistic.as_ref().expect("ResultStatistic");
    assert_eq!((stat.cancelled, stat.skipped), (-1, i32::MIN));

    assert_eq!(r.stop_reason.as_deref(), Some("Stop requested by user"));
    assert_eq!(
        r.failure_messages(),
        ["first failure", "second failure", "third \u{2603}"]
    );
    assert_eq!(
        r.replication_stats,
        Some(
            ReplicationStats::new()
                .with_full_load_progress_percent(87)
                .with_elapsed_time_millis(9_007_199_254_740_993_i64)
                .with_tables_loaded(40)
                .with_tables_loading(2)
                .with_tables_queued(3)
                .with_tables_errored(1)
                .with_fresh_start_date(ts(1_700_000_000, 123_000_000))
                .with_start_date(ts(1_700_000_001, 200_000_000))
                .with_stop_date(ts(1_700_000_999, 999_000_000))
                .with_full_load_start_date(ts(1_700_000_002, 0))
                .with_full_load_finish_date(ts(1_700_000_500, 50_000_000))
        )
    );
    assert_eq!(r.start_replication_type.as_deref(), Some("reload-target"));
    assert_eq!(r.cdc_start_time, Some(ts(1_700_000_100, 100_000_000)));
    assert_eq!(
        r.cdc_start_position.as_deref(),
        Some("mysql-bin-changelog.000024:373")
    );
    assert_eq!(
        r.cdc_stop_position.as_deref(),
        Some("server_time:2023-11-15T12:12:12")
    );
    assert!(r
        .recovery_checkpoint
        .as_deref()
        .is_some_and(|c| c.starts_with("checkpoint:V1#27#") && c.ends_with("#0#24")));
    assert_eq!(
        r.replication_create_time,
        Some(ts(1_690_000_000, 777_000_000))
    );
    assert_eq!(
        r.replication_update_time,
        Some(ts(1_695_000_000, 333_000_000))
    );
    assert_eq!(
        r.replication_last_stop_time,
        Some(ts(1_700_001_000, 10_000_000))
    );
    assert_eq!(
        r.replication_deprovision_time,
        Some(ts(1_700_002_000, 2_000_000))
    );
    assert_eq!(r.is_read_only, Some(false));
}

#[test]
fn full_response_round_trips_through_json() {
    let fixture = dms_full_response();
    let parsed = ok(&fixture.to_string());
    let text = to_json(&parsed).expect("outputs serialize");
    let written: Value = serde_json::from_str(&text).expect("writer emits JSON");
    if let Some(diff) = json_diff(&fixture, &written, "$") {
        panic!("re-serialized response differs from the fixture: {diff}\n{text}");
    }
    let again: StopReplicationResponse = from_json(text.as_bytes()).expect("reads back");
    assert_eq!(again, parsed);
    // Also through the operation's own parser.
    assert_eq!(ok(&text), parsed);
    // Every nested type round-trips on its own too.
    let r = parsed.replication.clone().expect("Replication");
    assert_eq!(
        from_json::<Replication>(to_json(&r).unwrap().as_bytes()),
        Ok(r.clone())
    );
    let stats = r.replication_stats.clone().expect("stats");
    assert_eq!(
        from_json::<ReplicationStats>(to_json(&stats).unwrap().as_bytes()),
        Ok(stats)
    );
    let pd = r.provision_data.clone().expect("provision data");
    assert_eq!(
        from_json::<ProvisionData>(to_json(&pd).unwrap().as_bytes()),
        Ok(pd)
    );
    for s in r.premigration_assessment_statuses() {
        assert_eq!(
            from_json::<PremigrationAssessmentStatus>(to_json(s).unwrap().as_bytes()).as_ref(),
            Ok(s)
        );
    }
}

#[test]
fn built_values_round_trip() {
    let built = StopReplicationResponse::new().with_replication(
        Replication::new()
            .with_replication_config_arn(ARN)
            .with_replication_type(MigrationTypeValue::Cdc)
            .with_failure_messages(vec!["a".to_owned(), String::new()])
            .with_premigration_assessment_statuses(vec![
                PremigrationAssessmentStatus::new(),
                PremigrationAssessmentStatus::new().with_status("x"),
            ])
            .with_replication_stats(ReplicationStats::new().with_tables_loaded(3))
            .with_cdc_start_time(ts(-1, 500_000_000))
            .with_is_read_only(true),
    );
    let text = to_json(&built).expect("serializes");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"Replication": {
            "ReplicationConfigArn": ARN,
            "ReplicationType": "cdc",
            "PremigrationAssessmentStatuses": [
                {"FailOnAssessmentFailure": false},
                {"FailOnAssessmentFailure": false, "Status": "x"}
            ],
            "FailureMessages": ["a", ""],
            "ReplicationStats": {
                "FullLoadProgressPercent": 0, "ElapsedTimeMillis": 0, "TablesLoaded": 3,
                "TablesLoading": 0, "TablesQueued": 0, "TablesErrored": 0
            },
            "CdcStartTime": -0.5,
            "IsReadOnly": true
        }})
    );
    assert_eq!(
        from_json::<StopReplicationResponse>(text.as_bytes()),
        Ok(built)
    );
    // Unset members are omitted entirely.
    assert_eq!(to_json(&StopReplicationResponse::new()).unwrap(), "{}");
    assert_eq!(to_json(&Replication::new()).unwrap(), "{}");
}

// ---------------------------------------------------------------- timestamps

#[test]
fn fractional_epoch_seconds_are_converted_exactly() {
    let r = replication(r#"{"Replication":{"CdcStartTime":1700000000.123}}"#);
    let t = r.cdc_start_time.expect("set");
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_000_000));
    assert_eq!(t.as_millis(), 1_700_000_000_123);
    assert_eq!(
        t.to_system_time(),
        Some(SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 123_000_000))
    );

    // Every textual form of a number is read from its decimal digits, not through f64.
    let cases: &[(&str, i64, u32)] = &[
        ("1700000000", 1_700_000_000, 0),
        ("1700000000.0", 1_700_000_000, 0),
        ("1700000000.5", 1_700_000_000, 500_000_000),
        ("1700000000.999", 1_700_000_000, 999_000_000),
        ("1700000000.123456789", 1_700_000_000, 123_456_789),
        // Beyond nanoseconds: truncated.
        ("1700000000.1234567899", 1_700_000_000, 123_456_789),
        ("1.7000000001234E9", 1_700_000_000, 123_400_000),
        ("17000000001234e-4", 1_700_000_000, 123_400_000),
        ("0", 0, 0),
        ("0.001", 0, 1_000_000),
        // Before the epoch: floor seconds, non-negative nanos.
        ("-1.5", -2, 500_000_000),
        ("-0.25", -1, 750_000_000),
        ("-86400", -86_400, 0),
    ];
    for &(text, secs, nanos) in cases {
        let body = format!(r#"{{"Replication":{{"ReplicationStats":{{"StopDate":{text}}}}}}}"#);
        let stop = replication(&body)
            .replication_stats
            .and_then(|s| s.stop_date)
            .unwrap_or_else(|| panic!("{text}: StopDate unset"));
        assert_eq!((stop.secs(), stop.subsec_nanos()), (secs, nanos), "{text}");
    }
    let before = replication(r#"{"Replication":{"CdcStartTime":-1.5}}"#)
        .cdc_start_time
        .expect("set");
    assert_eq!(
        before.to_system_time(),
        Some(SystemTime::UNIX_EPOCH - Duration::from_millis(1500))
    );
}

#[test]
fn timestamps_are_written_as_epoch_seconds() {
    let r = Replication::new()
        .with_cdc_start_time(ts(1_700_000_000, 123_000_000))
        .with_replication_create_time(ts(1_700_000_000, 0))
        .with_replication_update_time(ts(1_700_000_000, 100_000_000));
    let written: Value = serde_json::from_str(&to_json(&r).unwrap()).unwrap();
    assert_eq!(
        written,
        json!({
            "CdcStartTime": 1700000000.123,
            "ReplicationCreateTime": 1700000000,
            "ReplicationUpdateTime": 1700000000.1
        })
    );
}

// --------------------------------------------------------------------- enums

#[test]
fn known_enum_values_map_to_variants() {
    for (wire, want) in [
        ("full-load", MigrationTypeValue::FullLoad),
        ("cdc", MigrationTypeValue::Cdc),
        ("full-load-and-cdc", MigrationTypeValue::FullLoadAndCdc),
    ] {
        let body = format!(r#"{{"Replication":{{"ReplicationType":"{wire}"}}}}"#);
        let got = replication(&body).replication_type.expect("set");
        assert_eq!(got, want);
        assert_eq!(got.as_str(), wire);
        assert_eq!(got.to_string(), wire);
        assert_eq!(wire.parse::<MigrationTypeValue>(), Ok(want.clone()));
        assert_eq!(MigrationTypeValue::from(wire.to_owned()), want);
    }
    assert_eq!(
        MigrationTypeValue::VALUES,
        ["full-load", "cdc", "full-load-and-cdc"]
    );
}

#[test]
fn unknown_enum_value_is_kept_and_sent_back_unchanged() {
    for wire in [
        "full-load-and-magic",
        "FULL-LOAD",
        "",
        "cdc ",
        "\u{e9}t\u{e9}",
    ] {
        let body = json!({"Replication": {"ReplicationType": wire}}).to_string();
        let got = replication(&body).replication_type.expect("set");
        assert!(
            matches!(&got, MigrationTypeValue::Unknown(u) if u.as_str() == wire),
            "{wire:?} -> {got:?}"
        );
        assert_eq!(got.as_str(), wire);
        assert_eq!(got, MigrationTypeValue::from(wire));
        let written: Value =
            serde_json::from_str(&to_json(&Replication::new().with_replication_type(got)).unwrap())
                .unwrap();
        assert_eq!(written, json!({ "ReplicationType": wire }));
    }
}

// -------------------------------------------------------------------- errors

#[test]
fn modeled_errors_through_every_type_form() {
    let forms = |code: &str| -> Vec<(Vec<(&'static str, String)>, String)> {
        vec![
            // Bare shape name.
            (vec![], json!({"__type": code, "message": "m"}).to_string()),
            // With the namespace.
            (
                vec![],
                json!({"__type": format!("com.amazonaws.databasemigrationservice#{code}"), "message": "m"})
                    .to_string(),
            ),
            // With a URL suffix.
            (
                vec![],
                json!({"__type": format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"), "message": "m"})
                    .to_string(),
            ),
            // Namespace and URL suffix.
            (
                vec![],
                json!({"__type": format!("com.amazonaws.databasemigrationservice#{code}:http://internal.amazon.com/x"), "message": "m"})
                    .to_string(),
            ),
            // The `code` member.
            (vec![], json!({"code": code, "message": "m"}).to_string()),
            // The header, which wins over the body.
            (
                vec![("X-Amzn-Errortype", code.to_owned())],
                json!({"__type": "SomethingElse", "code": "Other", "message": "m"}).to_string(),
            ),
            (
                vec![("x-amzn-errortype", format!("{code}:http://internal.amazon.com/"))],
                json!({"__type": "com.amazonaws.databasemigrationservice#AccessDeniedFault", "message": "m"}).to_string(),
            ),
        ]
    };
    for code in [
        "AccessDeniedFault",
        "InvalidResourceStateFault",
        "ResourceNotFoundFault",
    ] {
        for (extra, body) in forms(code) {
            let mut headers: Vec<(&str, &str)> = vec![("x-amzn-RequestId", "req-1")];
            headers.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
            let e = err(400, &headers, &body);
            let what = format!("{code} via {extra:?} {body}");
            assert_eq!(e.code(), Some(code), "{what}");
            assert_eq!(e.message(), Some("m"), "{what}");
            assert_eq!(e.to_string(), format!("{code}: m"), "{what}");
            let matched = match (&e, code) {
                (StopReplicationError::AccessDeniedFault(x), "AccessDeniedFault") => {
                    *x == AccessDeniedFault::new().with_message("m")
                }
                (
                    StopReplicationError::InvalidResourceStateFault(x),
                    "InvalidResourceStateFault",
                ) => *x == InvalidResourceStateFault::new().with_message("m"),
                (StopReplicationError::ResourceNotFoundFault(x), "ResourceNotFoundFault") => {
                    *x == ResourceNotFoundFault::new().with_message("m")
                }
                _ => false,
            };
            assert!(matched, "{what} -> {e:?}");
        }
    }
}

#[test]
fn modeled_error_message_from_each_key() {
    // The message comes from `message`, `Message` or `errorMessage`, in that order.
    let cases = [
        (
            json!({"__type": "AccessDeniedFault", "message": "lower"}),
            Some("lower"),
        ),
        (
            json!({"__type": "AccessDeniedFault", "Message": "upper"}),
            Some("upper"),
        ),
        (
            json!({"__type": "AccessDeniedFault", "errorMessage": "err"}),
            Some("err"),
        ),
        (
            json!({"__type": "AccessDeniedFault", "errorMessage": "c", "Message": "b", "message": "a"}),
            Some("a"),
        ),
        (
            json!({"__type": "AccessDeniedFault", "errorMessage": "c", "Message": "b"}),
            Some("b"),
        ),
        (json!({"__type": "AccessDeniedFault"}), None),
        (
            json!({"__type": "AccessDeniedFault", "message": null}),
            None,
        ),
    ];
    for (body, want) in cases {
        let e = err(400, &[], &body.to_string());
        assert!(
            matches!(e, StopReplicationError::AccessDeniedFault(_)),
            "{body} -> {e:?}"
        );
        assert_eq!(e.message(), want, "{body}");
        let expected_display = match want {
            Some(m) => format!("AccessDeniedFault: {m}"),
            None => "AccessDeniedFault".to_owned(),
        };
        assert_eq!(e.to_string(), expected_display, "{body}");
        if let StopReplicationError::AccessDeniedFault(inner) = &e {
            assert_eq!(inner.message(), want, "{body}");
        }
    }
}

#[test]
fn errors_are_std_errors_with_accessors() {
    let e = err(
        400,
        &[("x-amzn-RequestId", "req-2")],
        r#"{"__type":"ResourceNotFoundFault","message":"Replication config not found"}"#,
    );
    assert_eq!(e.code(), Some("ResourceNotFoundFault"));
    assert_eq!(e.message(), Some("Replication config not found"));
    assert_eq!(
        e.to_string(),
        "ResourceNotFoundFault: Replication config not found"
    );
    let source = e.source().expect("the modeled error is the source");
    assert_eq!(source.to_string(), e.to_string());
    let inner = source
        .downcast_ref::<ResourceNotFoundFault>()
        .expect("source is the modeled struct");
    assert_eq!(inner.code(), "ResourceNotFoundFault");
    assert_eq!(ResourceNotFoundFault::CODE, "ResourceNotFoundFault");
    assert_eq!(ResourceNotFoundFault::HTTP_STATUS, 400);
    assert_eq!(
        ResourceNotFoundFault::FAULT,
        aws_slim::runtime::Fault::Client
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), e.to_string());
    // Conversions from the modeled structs.
    let from: StopReplicationError = AccessDeniedFault::new().with_message("x").into();
    assert_eq!(from.code(), Some("AccessDeniedFault"));
    assert_eq!(from.to_string(), "AccessDeniedFault: x");
    let bare: StopReplicationError = InvalidResourceStateFault::new().into();
    assert_eq!(bare.message(), None);
    assert_eq!(bare.to_string(), "InvalidResourceStateFault");
}

#[test]
fn modeled_errors_round_trip_through_json() {
    for e in [
        AccessDeniedFault::new().with_message("a \"quoted\" message"),
        AccessDeniedFault::new(),
    ] {
        let text = to_json(&e).unwrap();
        assert_eq!(from_json::<AccessDeniedFault>(text.as_bytes()), Ok(e));
    }
    assert_eq!(
        to_json(&ResourceNotFoundFault::new().with_message("gone")).unwrap(),
        r#"{"message":"gone"}"#
    );
}

#[test]
fn unknown_error_code_is_unhandled_with_everything_kept() {
    let e = err(
        429,
        &[
            ("X-Amzn-RequestId", "req-3"),
            ("Content-Type", "application/x-amz-json-1.1"),
        ],
        r#"{"__type":"com.amazonaws.databasemigrationservice#ThrottlingException:http://x","message":"Rate exceeded","extra":[1,{"a":null}]}"#,
    );
    assert_eq!(e.code(), Some("ThrottlingException"));
    assert_eq!(e.message(), Some("Rate exceeded"));
    assert_eq!(e.to_string(), "ThrottlingException: Rate exceeded");
    let u = unhandled(e.clone());
    assert_eq!(u.status(), 429);
    assert_eq!(u.code(), Some("ThrottlingException"));
    assert_eq!(u.message(), Some("Rate exceeded"));
    assert_eq!(u.request_id(), Some("req-3"));
    assert!(u.source().is_none());
    assert!(e.source().is_some());

    // A server error with no body at all.
    let u = unhandled(err(503, &[("x-amzn-requestid", "req-4")], ""));
    assert_eq!(
        (u.status(), u.code(), u.message(), u.request_id()),
        (503, None, None, Some("req-4"))
    );
    assert_eq!(u.to_string(), "unhandled error (HTTP 503)");

    // An HTML page from a proxy.
    let u = unhandled(err(502, &[], "<html><body>Bad Gateway</body></html>"));
    assert_eq!((u.status(), u.code(), u.message()), (502, None, None));

    // A code the operation does not list, in the header.
    let u = unhandled(err(
        400,
        &[("X-Amzn-Errortype", "ValidationException")],
        r#"{"Message":"1 validation error"}"#,
    ));
    assert_eq!(u.code(), Some("ValidationException"));
    assert_eq!(u.message(), Some("1 validation error"));
    assert_eq!(u.to_string(), "ValidationException: 1 validation error");
}

#[test]
fn modeled_error_with_an_unreadable_body_is_unhandled_with_a_source() {
    // The header names a modeled error, but its member has the wrong type.
    let u = unhandled(err(
        400,
        &[
            ("X-Amzn-Errortype", "AccessDeniedFault"),
            ("x-amzn-RequestId", "req-5"),
        ],
        r#"{"message": 42}"#,
    ));
    assert_eq!(u.code(), Some("AccessDeniedFault"));
    assert_eq!(u.request_id(), Some("req-5"));
    assert_eq!(u.status(), 400);
    let src = decode_source(&u);
    assert!(src.message().contains("string"), "{src}");
    // Truncated body: the code still comes from the header.
    let u = unhandled(err(
        400,
        &[("X-Amzn-Errortype", "ResourceNotFoundFault")],
        r#"{"message":"x""#,
    ));
    assert_eq!(u.code(), Some("ResourceNotFoundFault"));
    decode_source(&u);
}

// ------------------------------------------------------- lenient reading

#[test]
fn empty_and_null_bodies_read_as_no_members() {
    for body in ["", "  \r\n\t", "{}", "null", " null "] {
        assert_eq!(ok(body), StopReplicationResponse::new(), "{body:?}");
    }
    assert_eq!(replication(r#"{"Replication":{}}"#), Replication::new());
}

#[test]
fn unknown_fields_and_null_members_are_accepted() {
    let mut body = dms_full_response();
    let r = body["Replication"].as_object_mut().unwrap();
    r.insert(
        "SomeFutureMember".into(),
        json!({"nested": [1, 2.5e300, {"x": null}], "s": "\u{0}"}),
    );
    r.insert("AnotherOne".into(), json!([true, false, null, "", -0.0]));
    r["ProvisionData"]
        .as_object_mut()
        .unwrap()
        .insert("NewProvisionField".into(), json!(1));
    body.as_object_mut()
        .unwrap()
        .insert("TopLevelUnknown".into(), json!("x"));
    assert_eq!(ok(&body.to_string()), ok(&dms_full_response().to_string()));

    // Every member `null`: read as unset (and defaults as their default).
    let nulls = r#"{"Replication":{
        "ReplicationConfigIdentifier":null,"ReplicationConfigArn":null,"SourceEndpointArn":null,
        "TargetEndpointArn":null,"ReplicationType":null,"Status":null,"ProvisionData":null,
        "PremigrationAssessmentStatuses":null,"StopReason":null,"FailureMessages":null,
        "ReplicationStats":{"FullLoadProgressPercent":null,"ElapsedTimeMillis":null,"TablesLoaded":null,
            "TablesLoading":null,"TablesQueued":null,"TablesErrored":null,"FreshStartDate":null,
            "StartDate":null,"StopDate":null,"FullLoadStartDate":null,"FullLoadFinishDate":null},
        "StartReplicationType":null,"CdcStartTime":null,"CdcStartPosition":null,"CdcStopPosition":null,
        "RecoveryCheckpoint":null,"ReplicationCreateTime":null,"ReplicationUpdateTime":null,
        "ReplicationLastStopTime":null,"ReplicationDeprovisionTime":null,"IsReadOnly":null}}"#;
    assert_eq!(
        replication(nulls),
        Replication::new().with_replication_stats(ReplicationStats::new())
    );
    assert_eq!(
        ok(r#"{"Replication":null}"#),
        StopReplicationResponse::new()
    );

    // Null list entries are dropped (the lists are not @sparse).
    let r = replication(
        r#"{"Replication":{"FailureMessages":["a",null,"b"],"PremigrationAssessmentStatuses":[null,{}]}}"#,
    );
    assert_eq!(r.failure_messages(), ["a", "b"]);
    assert_eq!(
        r.premigration_assessment_statuses(),
        [PremigrationAssessmentStatus::new()]
    );

    // Duplicate keys: the last one wins.
    let r = replication(r#"{"Replication":{"Status":"first","Status":"second"}}"#);
    assert_eq!(r.status.as_deref(), Some("second"));
}

#[test]
fn missing_members_lists_and_defaults() {
    let r = replication(
        r#"{"Replication":{"ReplicationConfigArn":"a","ReplicationStats":{},"ProvisionData":{}}}"#,
    );
    assert_eq!(r.replication_config_arn.as_deref(), Some("a"));
    assert_eq!(r.premigration_assessment_statuses, None);
    assert!(r.premigration_assessment_statuses().is_empty());
    assert_eq!(r.failure_messages, None);
    assert!(r.failure_messages().is_empty());
    assert_eq!(r.is_read_only, None);
    assert_eq!(r.replication_type, None);
    // @default(0) / @default(false) members read as their default when absent.
    let stats = r.replication_stats.expect("stats");
    assert_eq!(
        (
            stats.full_load_progress_percent,
            stats.elapsed_time_millis,
            stats.tables_loaded,
            stats.tables_loading,
            stats.tables_queued,
            stats.tables_errored
        ),
        (0, 0, 0, 0, 0, 0)
    );
    assert_eq!(stats.stop_date, None);
    assert_eq!(stats, ReplicationStats::default());
    let pd = r.provision_data.expect("provision data");
    assert_eq!(pd.provisioned_capacity_units, 0);
    assert!(!pd.is_new_provisioning_available);
    assert_eq!(pd, ProvisionData::new());

    // Empty lists are kept as present-but-empty.
    let r = replication(
        r#"{"Replication":{"FailureMessages":[],"PremigrationAssessmentStatuses":[]}}"#,
    );
    assert_eq!(r.failure_messages, Some(vec![]));
    assert_eq!(r.premigration_assessment_statuses, Some(vec![]));

    let s = replication(
        r#"{"Replication":{"PremigrationAssessmentStatuses":[{"AssessmentProgress":{},"ResultStatistic":{}}]}}"#,
    );
    let status = &s.premigration_assessment_statuses()[0];
    assert!(!status.fail_on_assessment_failure);
    assert_eq!(
        status.assessment_progress,
        Some(ReplicationTaskAssessmentRunProgress::new())
    );
    assert_eq!(
        status.result_statistic,
        Some(ReplicationTaskAssessmentRunResultStatistic::new())
    );
}

// -------------------------------------------------------- broken responses

#[test]
fn malformed_success_bodies_are_unhandled_with_a_source() {
    let bodies: &[&str] = &[
        "{",
        "{\"Replication\":",
        "{\"Replication\":{}",
        "{\"Replication\":{}}}",
        "{\"Replication\":{}} trailing",
        "{\"Replication\" {}}",
        "{Replication:{}}",
        "{'Replication':{}}",
        "{\"Replication\":{},}",
        "{\"Replication\":{\"Status\":\"unterminated}}",
        "{\"Replication\":{\"Status\":\"bad \\x escape\"}}",
        "{\"Replication\":{\"Status\":\"\\ud800\"}}",
        "{\"Replication\":{\"Status\":\"raw\ncontrol\"}}",
        "{\"Replication\":{\"IsReadOnly\":tru}}",
        "{\"Replication\":{\"CdcStartTime\":01}}",
        "{\"Replication\":{\"CdcStartTime\":1.}}",
        "{\"Replication\":{\"CdcStartTime\":-}}",
        "{\"Replication\":{\"CdcStartTime\":NaN}}",
        "[]",
        "\"Replication\"",
        "42",
        "true",
        "\u{feff}{}",
        "{}{}",
    ];
    for body in bodies {
        let e = err(200, &[("x-amzn-RequestId", "req-bad")], body);
        let u = unhandled(e.clone());
        assert_eq!(u.status(), 200, "{body:?}");
        assert_eq!(u.request_id(), Some("req-bad"), "{body:?}");
        assert_eq!(u.code(), None, "{body:?}");
        let src = decode_source(&u);
        assert!(
            e.to_string().contains("response could not be parsed"),
            "{body:?}: {e}"
        );
        assert!(src.offset() <= body.len(), "{body:?}: {src}");
    }
    // Invalid UTF-8.
    let e = StopReplication::parse_response(
        200,
        &aws_slim::runtime::NO_HEADERS,
        b"{\"Replication\":{\"Status\":\"\xff\"}}",
    )
    .expect_err("invalid UTF-8");
    decode_source(&unhandled(e));
}

#[test]
fn wrong_member_types_are_unhandled_with_a_source() {
    let members: &[(&str, &str)] = &[
        ("ReplicationConfigArn", "5"),
        ("ReplicationConfigArn", "[\"a\"]"),
        ("ReplicationType", "1"),
        ("ReplicationType", "{}"),
        ("IsReadOnly", "\"true\""),
        ("IsReadOnly", "1"),
        ("CdcStartTime", "\"yesterday\""),
        ("CdcStartTime", "true"),
        ("CdcStartTime", "1e400"),
        ("FailureMessages", "\"one\""),
        ("FailureMessages", "[1]"),
        ("FailureMessages", "{}"),
        ("PremigrationAssessmentStatuses", "{}"),
        ("PremigrationAssessmentStatuses", "[1]"),
        ("PremigrationAssessmentStatuses", "[[]]"),
        ("ProvisionData", "[]"),
        ("ProvisionData", "\"x\""),
        ("ReplicationStats", "{\"TablesLoaded\":\"5\"}"),
        ("ReplicationStats", "{\"TablesLoaded\":1.5}"),
        ("ReplicationStats", "{\"TablesLoaded\":1.5e0}"),
        ("ReplicationStats", "{\"TablesLoaded\":2147483648}"),
        ("ReplicationStats", "{\"TablesLoaded\":-2147483649}"),
        (
            "ReplicationStats",
            "{\"ElapsedTimeMillis\":9223372036854775808}",
        ),
        ("ReplicationStats", "{\"ElapsedTimeMillis\":true}"),
    ];
    for (member, value) in members {
        let body = format!(r#"{{"Replication":{{"{member}":{value}}}}}"#);
        let u = unhandled(err(200, &[("x-amzn-RequestId", "req-type")], &body));
        assert_eq!(u.request_id(), Some("req-type"), "{body}");
        decode_source(&u);
    }
    // An integer member written as an integral float or with an exponent is
    // read, as botocore and aws-sdk-rust read it.
    for (value, want) in [("3.0", 3), ("1e2", 100), ("2.5e1", 25)] {
        let r = replication(&format!(
            r#"{{"Replication":{{"ReplicationStats":{{"TablesLoaded":{value}}}}}}}"#
        ));
        assert_eq!(
            r.replication_stats.map(|s| s.tables_loaded),
            Some(want),
            "{value}"
        );
    }
    // An epoch-seconds member sent as an ISO-8601 or numeric string is read,
    // as botocore reads it.
    for value in [
        "\"2023-11-14T22:13:20Z\"",
        "\"1700000000\"",
        "\"2023-11-14T22:13:20\"",
    ] {
        let r = replication(&format!(r#"{{"Replication":{{"CdcStartTime":{value}}}}}"#));
        assert_eq!(
            r.cdc_start_time,
            Some(aws_slim::runtime::DateTime::from_secs(1_700_000_000)),
            "{value}"
        );
    }
    // The extremes that do fit are accepted.
    let r = replication(
        r#"{"Replication":{"ReplicationStats":{"TablesLoaded":-2147483648,"TablesQueued":2147483647,"ElapsedTimeMillis":-9223372036854775808}}}"#,
    );
    let s = r.replication_stats.unwrap();
    assert_eq!(
        (s.tables_loaded, s.tables_queued, s.elapsed_time_millis),
        (i32::MIN, i32::MAX, i64::MIN)
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_not_a_crash() {
    for depth in [129, 1000, 100_000] {
        let deep = nested_arrays(depth);
        let body = format!(r#"{{"Replication":{{"Unknown":{deep}}}}}"#);
        let u = unhandled(err(200, &[], &body));
        assert!(
            decode_source(&u).message().contains("nesting"),
            "{depth}: {u}"
        );
        let objects = format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let body = format!(r#"{{"Unknown":{objects}}}"#);
        decode_source(&unhandled(err(200, &[], &body)));
        // On an error response, too: no panic, an unhandled error.
        let body = format!(r#"{{"__type":"AccessDeniedFault","message":"m","x":{deep}}}"#);
        let e = err(400, &[], &body);
        assert!(matches!(e, StopReplicationError::Unhandled(_)), "{e:?}");
        let e = err(400, &[("X-Amzn-Errortype", "AccessDeniedFault")], &body);
        decode_source(&unhandled(e));
    }
    // Well within the limit: skipped without complaint.
    let body = format!(r#"{{"Replication":{{"Unknown":{}}}}}"#, nested_arrays(64));
    assert_eq!(replication(&body), Replication::new());
}

#[test]
fn error_responses_never_panic() {
    let bodies: &[&[u8]] = &[
        b"",
        b"{",
        b"null",
        b"[]",
        b"\"AccessDeniedFault\"",
        b"{\"__type\":5}",
        b"{\"__type\":\"\"}",
        b"{\"__type\":\"#\"}",
        b"{\"__type\":\":\"}",
        b"{\"__type\":\"AccessDeniedFault\",\"message\":{}}",
        b"{\"__type\":\"AccessDeniedFault\",\"message\":5}",
        b"{\"__type\":\"AccessDeniedFault\"} trailing",
        b"\xff\xfe\x00",
    ];
    for body in bodies {
        for status in [400u16, 404, 500, 599, 100, 302] {
            let e = StopReplication::parse_response(status, &aws_slim::runtime::NO_HEADERS, body)
                .expect_err("an error");
            let _ = (e.to_string(), e.code(), e.message(), format!("{e:?}"));
        }
    }
    // `message` of the wrong type on a modeled error: the body cannot be read as that error.
    let e = err(400, &[], r#"{"__type":"AccessDeniedFault","message":5}"#);
    let u = unhandled(e);
    assert_eq!(u.code(), Some("AccessDeniedFault"));
    decode_source(&u);
}

// ---------------------------------------------------------------------- Debug

#[test]
fn debug_output() {
    assert_eq!(
        format!(
            "{:?}",
            StopReplicationMessage::new().with_replication_config_arn("arn")
        ),
        r#"StopReplicationMessage { replication_config_arn: Some("arn") }"#
    );
    assert_eq!(
        format!("{:?}", AccessDeniedFault::new().with_message("no")),
        r#"AccessDeniedFault { message: Some("no") }"#
    );
    assert_eq!(
        format!(
            "{:?}",
            StopReplicationError::from(ResourceNotFoundFault::new())
        ),
        "ResourceNotFoundFault(ResourceNotFoundFault { message: None })"
    );
    assert_eq!(
        format!("{:?}", MigrationTypeValue::from("new-kind")),
        r#"Unknown(UnknownValue("new-kind"))"#
    );
    assert_eq!(format!("{:?}", MigrationTypeValue::Cdc), "Cdc");
    assert_eq!(
        format!("{:?}", ReplicationTaskAssessmentRunProgress::new().with_individual_assessment_count(2)),
        "ReplicationTaskAssessmentRunProgress { individual_assessment_count: 2, individual_assessment_completed_count: 0 }"
    );
    let full = format!("{:?}", ok(&dms_full_response().to_string()));
    for needle in [
        "StopReplicationResponse { replication: Some(Replication { ",
        "replication_config_identifier: Some(\"my-config\")",
        "replication_type: Some(FullLoadAndCdc)",
        "premigration_assessment_statuses: Some([PremigrationAssessmentStatus { ",
        "elapsed_time_millis: 9007199254740993",
        "is_read_only: Some(false)",
        "fresh_start_date: Some(DateTime { seconds: 1700000000, nanos: 123000000 })",
    ] {
        assert!(full.contains(needle), "missing {needle:?} in {full}");
    }
    let pretty = format!("{:#?}", ok(r#"{"Replication":{"Status":"x"}}"#));
    assert!(
        pretty.contains("\n            status: Some(\n                \"x\",\n            ),"),
        "{pretty}"
    );
    let u = unhandled(err(
        500,
        &[("x-amzn-RequestId", "r")],
        r#"{"__type":"Boom"}"#,
    ));
    let dbg = format!("{u:?}");
    for needle in [
        "status: 500",
        "code: Some(\"Boom\")",
        "request_id: Some(\"r\")",
    ] {
        assert!(dbg.contains(needle), "missing {needle:?} in {dbg}");
    }
}

#[test]
fn sub_millisecond_digits_are_read_exactly_but_written_to_the_millisecond() {
    // Reading keeps every digit up to nanoseconds ...
    let r = replication(r#"{"Replication":{"CdcStartTime":1700000000.123456789}}"#);
    let t = r.cdc_start_time.expect("set");
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_456_789));
    // ... while the runtime writes epoch seconds at millisecond precision
    // (like the Java and JavaScript SDKs), so only the re-serialized value
    // loses the sub-millisecond digits.
    let text = to_json(&r).unwrap();
    assert_eq!(text, r#"{"CdcStartTime":1700000000.123}"#);
    let back: Replication = from_json(text.as_bytes()).unwrap();
    assert_eq!(back.cdc_start_time, Some(ts(1_700_000_000, 123_000_000)));
}

#[test]
fn escaped_keys_strings_and_whitespace_are_read() {
    let body = " \r\n{ \"Repl\\u0069cation\" :\t{ \"Stat\\u0075s\" : \"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\n\" ,\n\"FailureMessages\" : [ \"x\" , \"\\u0000\" ] } } \n";
    let r = replication(body);
    assert_eq!(r.status.as_deref(), Some("a\"b\\c/d\u{e9}\u{1F600}\n"));
    assert_eq!(r.failure_messages(), ["x", "\u{0}"]);
}

#[test]
fn modeled_errors_keep_the_request_id_without_it_affecting_equality() {
    let e = err(
        400,
        &[("x-amzn-RequestId", "4f2e-req")],
        r#"{"__type":"ResourceNotFoundFault","message":"gone"}"#,
    );
    assert_eq!(e.request_id(), Some("4f2e-req"));
    match &e {
        StopReplicationError::ResourceNotFoundFault(x) => {
            assert_eq!(x.request_id(), Some("4f2e-req"));
            // The request id is transport metadata: equality compares the modeled members.
            assert_eq!(*x, ResourceNotFoundFault::new().with_message("gone"));
            assert_ne!(*x, ResourceNotFoundFault::new().with_message("other"));
            assert_eq!(
                format!("{x:?}"),
                r#"ResourceNotFoundFault { message: Some("gone"), request_id: "4f2e-req" }"#
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    // Without the header there is none, and Debug does not mention it.
    let e = err(400, &[], r#"{"__type":"AccessDeniedFault","message":"no"}"#);
    assert_eq!(e.request_id(), None);
    assert_eq!(
        format!("{e:?}"),
        r#"AccessDeniedFault(AccessDeniedFault { message: Some("no") })"#
    );
    // Unhandled errors keep theirs too.
    let e = err(
        500,
        &[("X-Amzn-RequestId", "u-1")],
        r#"{"__type":"Throttling"}"#,
    );
    assert_eq!(e.request_id(), Some("u-1"));
}

#[test]
fn decode_errors_name_the_member_path_and_shape() {
    let body = r#"{"Replication":{"Status":"x","ReplicationStats":{"TablesLoaded":2147483648}}}"#;
    let u = unhandled(err(200, &[], body));
    let e = decode_source(&u);
    assert_eq!(e.path(), Some("Replication.ReplicationStats.TablesLoaded"));
    assert_eq!(e.shape(), Some("ReplicationStats"));
    assert_eq!(e.offset(), body.find("2147483648").unwrap());
    assert!(
        e.to_string().contains(
            "at `Replication.ReplicationStats.TablesLoaded` (a member of ReplicationStats)"
        ),
        "{e}"
    );
    // A list item: the path names the list member.
    let body = r#"{"Replication":{"FailureMessages":["ok",5]}}"#;
    let e = decode_source(&unhandled(err(200, &[], body))).clone();
    assert_eq!(e.path(), Some("Replication.FailureMessages"));
    assert_eq!(e.shape(), Some("Replication"));
    // The request side of a server reports the same path.
    let bad = r#"{"ReplicationConfigArn":5}"#;
    let rejection = aws_slim::dms::ServiceRequest::from_http(
        "POST",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AmazonDMSv20160101.StopReplication"),
        ],
        bad.as_bytes(),
    )
    .unwrap_err();
    assert!(
        rejection.to_string().contains("ReplicationConfigArn"),
        "{rejection}"
    );
}
