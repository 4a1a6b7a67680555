//! Endpoint resolution in the committed crate: every `endpointTests` case of
//! the two model slices through the generated `Params::resolve`, the client
//! resolving per call (FIPS, dual-stack, override, signing region), and the
//! embedded partition table against the shared `partitions.json`.

use std::sync::{Arc, Mutex};

use aws_slim::runtime::client::{
    CallOptions, Config, Credentials, HttpTransport, SdkError, TransportError, TransportRequest,
    TransportResponse,
};
use aws_slim::{dms, sagemaker};
use serde_json::Value;

/// The `endpointTests` cases of a committed slice.
fn cases(slice: &str) -> Vec<Value> {
    let path = tests::workspace_root().join("models").join(slice);
    let text = std::fs::read_to_string(&path).unwrap();
    let model: Value = serde_json::from_str(&text).unwrap();
    let shapes = model["shapes"].as_object().unwrap();
    let service = shapes
        .values()
        .find(|s| s["type"] == "service")
        .expect("a service shape");
    service["traits"]["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .expect("endpoint tests")
        .clone()
}

/// Runs every case through `resolve`; returns how many ran.
fn run_cases(
    slice: &str,
    resolve: impl Fn(
        Option<String>,
        bool,
        bool,
        Option<String>,
    ) -> Result<aws_slim::runtime::Endpoint, aws_slim::runtime::ResolveError>,
) -> usize {
    let cases = cases(slice);
    assert!(cases.len() > 40, "{slice}: {} cases", cases.len());
    for (i, case) in cases.iter().enumerate() {
        let p = &case["params"];
        let got = resolve(
            p["Region"].as_str().map(String::from),
            p["UseFIPS"].as_bool().unwrap_or(false),
            p["UseDualStack"].as_bool().unwrap_or(false),
            p["Endpoint"].as_str().map(String::from),
        );
        let expect = &case["expect"];
        match (got, expect.get("error")) {
            (Err(e), Some(want)) => {
                assert_eq!(e.message(), want.as_str().unwrap(), "{slice} case {i}")
            }
            (Ok(e), Some(want)) => panic!("{slice} case {i}: {} instead of error {want}", e.url),
            (Err(e), None) => panic!(
                "{slice} case {i}: error {e} instead of {}",
                expect["endpoint"]
            ),
            (Ok(e), None) => {
                assert_eq!(
                    e.url,
                    expect["endpoint"]["url"].as_str().unwrap(),
                    "{slice} case {i}"
                );
                let props = Value::Object(
                    e.properties
                        .iter()
                        .map(|(k, v)| (k.clone(), tests::document_json(v)))
                        .collect(),
                );
                let want = expect["endpoint"]
                    .get("properties")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default()));
                assert_eq!(props, want, "{slice} case {i}");
            }
        }
    }
    cases.len()
}

#[test]
fn every_endpoint_test_of_both_slices_passes() {
    let n = run_cases(
        "database-migration-service.slice.json",
        |region, fips, ds, endpoint| {
            dms::endpoint::Params {
                region,
                use_fips: fips,
                use_dual_stack: ds,
                endpoint,
            }
            .resolve()
        },
    );
    assert_eq!(n, 50);
    let n = run_cases("sagemaker.slice.json", |region, fips, ds, endpoint| {
        sagemaker::endpoint::Params {
            region,
            use_fips: fips,
            use_dual_stack: ds,
            endpoint,
        }
        .resolve()
    });
    assert_eq!(n, 47);
}

#[test]
fn the_embedded_partition_table_is_the_shared_one() {
    let Some(dir) = tests::shared_subdir("aws") else {
        return;
    };
    let shared = std::fs::read(dir.join("partitions.json")).unwrap();
    let copy = std::fs::read(tests::workspace_root().join(codegen::PARTITIONS_FILE)).unwrap();
    assert!(
        shared == copy,
        "{} differs from the shared aws/partitions.json: copy it again and run `cargo xtask codegen`",
        codegen::PARTITIONS_FILE
    );
    // And the generated table is that file's.
    let lowered = codegen::partitions().unwrap();
    assert_eq!(lowered.len(), aws_slim::partitions::PARTITIONS.len());
    for (l, g) in lowered.iter().zip(aws_slim::partitions::PARTITIONS) {
        assert_eq!(
            (l.id.as_str(), l.dns_suffix.as_str()),
            (g.id, g.outputs.dns_suffix)
        );
        assert_eq!(l.regions.len(), g.regions.len());
    }
}

#[test]
fn unknown_regions_fall_back_to_the_aws_partition() {
    let e = dms::endpoint::Params {
        region: Some("mars-north-1".into()),
        ..Default::default()
    }
    .resolve()
    .unwrap();
    assert_eq!(e.url, "https://dms.mars-north-1.amazonaws.com");
    let e = sagemaker::endpoint::Params {
        region: Some("cn-northwest-7".into()),
        ..Default::default()
    }
    .resolve()
    .unwrap();
    assert_eq!(
        e.url,
        "https://api.sagemaker.cn-northwest-7.amazonaws.com.cn"
    );
}

/// Records each request's URL and `Authorization` header and answers 200.
#[derive(Debug, Default)]
struct Recorder {
    seen: Mutex<Vec<(String, String)>>,
}

/// The transport handed to a client; the test keeps the recorder.
#[derive(Debug)]
struct Rec(Arc<Recorder>);

impl HttpTransport for Rec {
    fn send(&self, request: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        let auth = request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        self.0
            .seen
            .lock()
            .unwrap()
            .push((request.url.to_string(), auth));
        Ok(TransportResponse {
            status: 200,
            headers: vec![("Content-Type".into(), "application/x-amz-json-1.1".into())],
            body: b"{}".to_vec(),
        })
    }
}

fn client(recorder: &Arc<Recorder>, region: &str, fips: bool, ds: bool) -> dms::client::Client {
    let config = Config::builder()
        .region(region)
        .credentials(Credentials::new("AKID", "secret"))
        .use_fips(fips)
        .use_dual_stack(ds)
        .transport(Rec(recorder.clone()))
        .build()
        .unwrap();
    dms::client::Client::new(config)
}

#[test]
fn the_client_resolves_each_call_from_its_configuration() {
    let recorder = Arc::new(Recorder::default());
    let input = dms::StopReplicationMessage::new().with_replication_config_arn("arn:x");
    for (region, fips, ds, url) in [
        (
            "us-west-2",
            false,
            false,
            "https://dms.us-west-2.amazonaws.com/",
        ),
        (
            "us-west-2",
            true,
            false,
            "https://dms-fips.us-west-2.amazonaws.com/",
        ),
        ("us-west-2", false, true, "https://dms.us-west-2.api.aws/"),
        (
            "cn-north-1",
            false,
            false,
            "https://dms.cn-north-1.amazonaws.com.cn/",
        ),
        (
            "us-gov-west-1",
            true,
            true,
            "https://dms-fips.us-gov-west-1.api.aws/",
        ),
    ] {
        client(&recorder, region, fips, ds)
            .stop_replication(&input)
            .unwrap();
        let (seen, auth) = recorder.seen.lock().unwrap().pop().unwrap();
        assert_eq!(seen, url, "{region} fips={fips} dual-stack={ds}");
        assert!(
            auth.contains(&format!("/{region}/dms/aws4_request")),
            "{auth}"
        );
    }
    // A per-call override reaches the rule set, which refuses it with FIPS.
    let c = client(&recorder, "us-west-2", true, false);
    let options = CallOptions {
        endpoint_url: Some("http://127.0.0.1:9".into()),
        ..CallOptions::default()
    };
    let err = c
        .call_with::<dms::StopReplication>(&input, &options)
        .unwrap_err();
    let SdkError::Endpoint(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        e.message(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    // Without FIPS the same override is used as is.
    let c = client(&recorder, "us-west-2", false, false);
    c.call_with::<dms::StopReplication>(&input, &options)
        .unwrap();
    assert_eq!(
        recorder.seen.lock().unwrap().pop().unwrap().0,
        "http://127.0.0.1:9/"
    );
    // An override that is not a URL is refused before anything is sent.
    let before = recorder.seen.lock().unwrap().len();
    let bad = CallOptions {
        endpoint_url: Some("127.0.0.1:9".into()),
        ..CallOptions::default()
    };
    let err = c
        .call_with::<dms::StopReplication>(&input, &bad)
        .unwrap_err();
    assert!(matches!(err, SdkError::Config(_)), "{err:?}");
    assert_eq!(recorder.seen.lock().unwrap().len(), before);
}

#[test]
fn sagemaker_signs_as_sagemaker_on_its_api_host() {
    let recorder = Arc::new(Recorder::default());
    let config = Config::builder()
        .region("eu-central-1")
        .credentials(Credentials::new("AKID", "secret"))
        .transport(Rec(recorder.clone()))
        .build()
        .unwrap();
    let c = sagemaker::client::Client::new(config);
    let input = sagemaker::StopPipelineExecutionRequest::new().with_pipeline_execution_arn("arn:p");
    let _ = c.stop_pipeline_execution(&input);
    let (url, auth) = recorder.seen.lock().unwrap().pop().unwrap();
    assert_eq!(url, "https://api.sagemaker.eu-central-1.amazonaws.com/");
    assert!(
        auth.contains("/eu-central-1/sagemaker/aws4_request"),
        "{auth}"
    );
}
