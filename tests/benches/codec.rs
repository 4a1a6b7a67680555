//! Codec benchmarks: the generated serializers and deserializers of
//! `aws-slim` beside plain `#[derive(Serialize, Deserialize)]` structs doing
//! the same JSON work with `serde_json`, in the same run.
//!
//! Each group has a `generated` and a `serde_derive` case on the same bytes;
//! `generated/operation` cases also go through `build_request` or
//! `parse_response` (headers, status, error dispatch) for reference.
//!
//! ```text
//! cargo bench -p tests --bench codec
//! ```

#[path = "../tests/wire_support/mod.rs"]
mod wire_support;

use criterion::{Criterion, Throughput};
use serde::{Deserialize, Serialize};

use aws_slim::dms::{
    StopReplication, StopReplicationError, StopReplicationMessage, StopReplicationResponse,
};
use aws_slim::runtime::json::{from_json, to_json};
use aws_slim::sagemaker::{StopPipelineExecution, StopPipelineExecutionRequest};

/// The baseline: what a serde user would write for the same wire shapes.
/// Timestamps are epoch seconds as `f64`, enums plain strings, absent
/// numbers and booleans zero (the generated code's error correction).
/// Fields are decoded, never read: the benchmark only builds the values.
#[allow(dead_code)]
mod derive {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct StopReplicationMessage {
        pub replication_config_arn: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct StopPipelineExecutionRequest {
        pub pipeline_execution_arn: String,
        pub client_request_token: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct StopReplicationResponse {
        pub replication: Option<Replication>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Replication {
        pub replication_config_identifier: Option<String>,
        pub replication_config_arn: Option<String>,
        pub source_endpoint_arn: Option<String>,
        pub target_endpoint_arn: Option<String>,
        pub replication_type: Option<String>,
        pub status: Option<String>,
        pub provision_data: Option<ProvisionData>,
        pub premigration_assessment_statuses: Option<Vec<PremigrationAssessmentStatus>>,
        pub stop_reason: Option<String>,
        pub failure_messages: Option<Vec<String>>,
        pub replication_stats: Option<ReplicationStats>,
        pub start_replication_type: Option<String>,
        pub cdc_start_time: Option<f64>,
        pub cdc_start_position: Option<String>,
        pub cdc_stop_position: Option<String>,
        pub recovery_checkpoint: Option<String>,
        pub replication_create_time: Option<f64>,
        pub replication_update_time: Option<f64>,
        pub replication_last_stop_time: Option<f64>,
        pub replication_deprovision_time: Option<f64>,
        pub is_read_only: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct ProvisionData {
        pub provision_state: Option<String>,
        #[serde(default)]
        pub provisioned_capacity_units: i32,
        pub date_provisioned: Option<f64>,
        #[serde(default)]
        pub is_new_provisioning_available: bool,
        pub date_new_provisioning_data_available: Option<f64>,
        pub reason_for_new_provisioning_data: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct PremigrationAssessmentStatus {
        pub premigration_assessment_run_arn: Option<String>,
        #[serde(default)]
        pub fail_on_assessment_failure: bool,
        pub status: Option<String>,
        pub premigration_assessment_run_creation_date: Option<f64>,
        pub assessment_progress: Option<AssessmentProgress>,
        pub last_failure_message: Option<String>,
        pub result_location_bucket: Option<String>,
        pub result_location_folder: Option<String>,
        pub result_encryption_mode: Option<String>,
        pub result_kms_key_arn: Option<String>,
        pub result_statistic: Option<ResultStatistic>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct AssessmentProgress {
        #[serde(default)]
        pub individual_assessment_count: i32,
        #[serde(default)]
        pub individual_assessment_completed_count: i32,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct ResultStatistic {
        pub passed: i32,
        pub failed: i32,
        pub error: i32,
        pub warning: i32,
        pub cancelled: i32,
        pub skipped: i32,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct ReplicationStats {
        #[serde(default)]
        pub full_load_progress_percent: i32,
        #[serde(default)]
        pub elapsed_time_millis: i64,
        #[serde(default)]
        pub tables_loaded: i32,
        #[serde(default)]
        pub tables_loading: i32,
        #[serde(default)]
        pub tables_queued: i32,
        #[serde(default)]
        pub tables_errored: i32,
        pub fresh_start_date: Option<f64>,
        pub start_date: Option<f64>,
        pub stop_date: Option<f64>,
        pub full_load_start_date: Option<f64>,
        pub full_load_finish_date: Option<f64>,
    }

    /// The members an awsJson error body may carry.
    #[derive(Deserialize)]
    pub struct ErrorBody {
        #[serde(rename = "__type")]
        pub type_: Option<String>,
        pub code: Option<String>,
        pub message: Option<String>,
        #[serde(rename = "Message")]
        pub message_upper: Option<String>,
    }

    /// A modeled error, as the typed result of an error response.
    pub enum StopReplicationError {
        ResourceNotFoundFault { message: Option<String> },
        InvalidResourceStateFault { message: Option<String> },
        AccessDeniedFault { message: Option<String> },
        Unhandled { code: Option<String> },
    }

    /// Parses an error body once and dispatches on its code (namespace and
    /// URL suffix removed), as the generated `parse_response` does.
    pub fn stop_replication_error(body: &[u8]) -> serde_json::Result<StopReplicationError> {
        let e: ErrorBody = serde_json::from_slice(body)?;
        let code = e.code.or(e.type_).map(|c| {
            let c = c.rsplit('#').next().unwrap_or(&c);
            c.split(':').next().unwrap_or(c).to_string()
        });
        let message = e.message.or(e.message_upper);
        Ok(match code.as_deref() {
            Some("ResourceNotFoundFault") => {
                StopReplicationError::ResourceNotFoundFault { message }
            }
            Some("InvalidResourceStateFault") => {
                StopReplicationError::InvalidResourceStateFault { message }
            }
            Some("AccessDeniedFault") => StopReplicationError::AccessDeniedFault { message },
            _ => StopReplicationError::Unhandled { code },
        })
    }
}

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:ABCDEFGHIJKLMNOP";
const PIPELINE_ARN: &str =
    "arn:aws:sagemaker:us-east-1:123456789012:pipeline/my-pipeline/execution/0123456789ab";
const TOKEN: &str = "5f0b7a9e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
const ERROR_BODY: &[u8] = br#"{"__type":"com.amazonaws.dms#ResourceNotFoundFault","message":"Replication config arn:aws:dms:us-east-1:123456789012:replication-config:ABCDEFGHIJKLMNOP not found"}"#;

fn requests(c: &mut Criterion) {
    let dms = StopReplicationMessage::new().with_replication_config_arn(DMS_ARN);
    let dms_derive = derive::StopReplicationMessage {
        replication_config_arn: DMS_ARN.into(),
    };
    let sm = StopPipelineExecutionRequest::new()
        .with_pipeline_execution_arn(PIPELINE_ARN)
        .with_client_request_token(TOKEN);
    let sm_derive = derive::StopPipelineExecutionRequest {
        pipeline_execution_arn: PIPELINE_ARN.into(),
        client_request_token: TOKEN.into(),
    };
    // Same bytes on the wire, or the comparison means nothing.
    let text = to_json(&dms).expect("serializes");
    assert_eq!(
        text,
        serde_json::to_string(&dms_derive).expect("serializes")
    );
    let sm_text = to_json(&sm).expect("serializes");
    assert_eq!(
        sm_text,
        serde_json::to_string(&sm_derive).expect("serializes")
    );

    let mut g = c.benchmark_group("serialize/StopReplicationMessage");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("generated", |b| {
        b.iter(|| to_json(&dms).expect("serializes"))
    });
    g.bench_function("serde_derive", |b| {
        b.iter(|| serde_json::to_string(&dms_derive).expect("serializes"))
    });
    g.bench_function("generated/operation", |b| {
        b.iter(|| StopReplication::build_request(&dms).expect("builds"))
    });
    g.finish();

    let mut g = c.benchmark_group("serialize/StopPipelineExecutionRequest");
    g.throughput(Throughput::Bytes(sm_text.len() as u64));
    g.bench_function("generated", |b| {
        b.iter(|| to_json(&sm).expect("serializes"))
    });
    g.bench_function("serde_derive", |b| {
        b.iter(|| serde_json::to_string(&sm_derive).expect("serializes"))
    });
    g.bench_function("generated/operation", |b| {
        b.iter(|| StopPipelineExecution::build_request(&sm).expect("builds"))
    });
    g.finish();
}

fn responses(c: &mut Criterion) {
    let body = serde_json::to_vec(&wire_support::dms_full_response()).expect("serializes");
    let ours: StopReplicationResponse = from_json(&body).expect("parses");
    let theirs: derive::StopReplicationResponse = serde_json::from_slice(&body).expect("parses");
    let (a, b) = (
        ours.replication.expect("set"),
        theirs.replication.expect("set"),
    );
    assert_eq!(a.recovery_checkpoint, b.recovery_checkpoint);
    assert_eq!(a.premigration_assessment_statuses().len(), 3);
    assert_eq!(b.premigration_assessment_statuses.map(|v| v.len()), Some(3));

    let mut g = c.benchmark_group("deserialize/StopReplicationResponse");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("generated", |b| {
        b.iter(|| from_json::<StopReplicationResponse>(&body).expect("parses"))
    });
    g.bench_function("serde_derive", |b| {
        b.iter(|| serde_json::from_slice::<derive::StopReplicationResponse>(&body).expect("parses"))
    });
    g.bench_function("generated/operation", |b| {
        b.iter(|| {
            StopReplication::parse_response(200, &aws_slim::runtime::NO_HEADERS, &body)
                .expect("parses")
        })
    });
    g.finish();

    let err = StopReplication::parse_response(400, &aws_slim::runtime::NO_HEADERS, ERROR_BODY)
        .expect_err("an error");
    assert!(matches!(
        err,
        StopReplicationError::ResourceNotFoundFault(_)
    ));
    assert!(matches!(
        derive::stop_replication_error(ERROR_BODY),
        Ok(derive::StopReplicationError::ResourceNotFoundFault { message: Some(_) })
    ));
    let mut g = c.benchmark_group("deserialize/StopReplication error");
    g.throughput(Throughput::Bytes(ERROR_BODY.len() as u64));
    g.bench_function("generated/operation", |b| {
        b.iter(|| {
            StopReplication::parse_response(400, &aws_slim::runtime::NO_HEADERS, ERROR_BODY)
                .expect_err("an error")
        })
    });
    g.bench_function("serde_derive", |b| {
        b.iter(|| derive::stop_replication_error(ERROR_BODY).expect("parses"))
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    requests(&mut c);
    responses(&mut c);
    c.final_summary();
}
