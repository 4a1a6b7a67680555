//! Presigned requests through the generated clients (copied into the moto
//! crate by `cargo xtask e2e`): compared with botocore's
//! `generate_presigned_url`, `generate_db_auth_token` and the EKS token at
//! a fixed time and fixed credentials (`tests/oracle/presign_botocore.py`),
//! then S3 presigned PUT and GET sent to moto by a plain HTTP request.
//!
//! moto 5.2.1 answers every presigned request with a 500 when its
//! authentication is on (it reads an `Authorization` header), so the moto
//! run uses its server without authentication; the signatures themselves
//! are checked against botocore's, parameter by parameter.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use aws_e2e::runtime::client::presign::{eks_token, rds_auth_token};
use aws_e2e::runtime::client::{
    Clock, Config, Credentials, HttpTransport, PresignedRequest, PresigningConfig,
    TransportRequest, UreqTransport,
};
use aws_e2e::s3::client::Client as S3Client;
use aws_e2e::s3::{CreateBucketRequest, GetObject, GetObjectRequest, PutObject, PutObjectRequest};
use aws_e2e::sts::client::Client as StsClient;
use aws_e2e::sts::{GetCallerIdentity, GetCallerIdentityRequest};
use serde_json::{json, Value};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask e2e`"))
}

/// 2015-08-30T12:36:00Z, the signing suite's time.
const TIME: u64 = 1_440_938_160;
const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[derive(Debug)]
struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(TIME)
    }
    fn sleep(&self, _: Duration) {}
}

fn credentials(token: Option<&str>) -> Credentials {
    let c = Credentials::new(AKID, SECRET);
    match token {
        Some(t) => c.with_session_token(t),
        None => c,
    }
}

fn config(region: &str, token: Option<&str>) -> Config {
    Config::builder()
        .region(region)
        .credentials(credentials(token))
        .clock(FixedClock)
        .build()
        .expect("a valid configuration")
}

/// Runs botocore on `cases`.
fn botocore(cases: &[Value]) -> Vec<Value> {
    let mut child = Command::new(env("E2E_PYTHON"))
        .arg(env("E2E_PRESIGN_ORACLE"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(cases).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the botocore oracle failed");
    serde_json::from_slice(&out.stdout).expect("the oracle prints JSON")
}

/// A URL as compared: scheme, host and path as sent, the query as a map of
/// decoded parameters (botocore and the crate order them differently; the
/// signature covers the sorted form).
fn parts(url: &str) -> (String, BTreeMap<String, String>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    (base.to_string(), params)
}

fn assert_same(ours: &PresignedRequest, theirs: &Value, what: &str) {
    assert_eq!(ours.method(), theirs["method"], "{what}: method");
    let (our_base, our_query) = parts(ours.url());
    let (their_base, their_query) = parts(theirs["url"].as_str().unwrap());
    assert_eq!(our_base, their_base, "{what}: URL");
    assert_eq!(our_query, their_query, "{what}: query");
    let our_headers: BTreeMap<String, String> = ours
        .headers()
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    let their_headers: BTreeMap<String, String> =
        serde_json::from_value(theirs["headers"].clone()).unwrap();
    assert_eq!(our_headers, their_headers, "{what}: headers to send");
}

fn case(service: &str, operation: &str, params: Value, region: &str, expires: u64) -> Value {
    // S3's Smithy model routes `GetObject` and `PutObject` with an `x-id`
    // query parameter, which the crate sends (as aws-sdk-rust does) and
    // botocore's own model lacks: botocore is given it, to sign the same
    // request.
    let x_id = match operation {
        "get_object" => json!({"x-id": "GetObject"}),
        "put_object" => json!({"x-id": "PutObject"}),
        _ => json!({}),
    };
    json!({
        "kind": "presign", "service": service, "operation": operation, "params": params,
        "expires": expires, "region": region, "time": TIME,
        "access_key_id": AKID, "secret_access_key": SECRET, "extra_query": x_id,
    })
}

#[test]
fn presigned_requests_match_botocore() {
    let with_token = |mut c: Value, t: &str| {
        c["session_token"] = json!(t);
        c
    };
    let key = "photos/a b+c/ü.jpg";
    let cases = vec![
        case(
            "s3",
            "get_object",
            json!({"Bucket": "bkt", "Key": key}),
            "us-west-2",
            3600,
        ),
        case(
            "s3",
            "get_object",
            json!({"Bucket": "bkt", "Key": key, "VersionId": "v1", "ResponseContentType": "text/plain"}),
            "us-east-1",
            604_800,
        ),
        case(
            "s3",
            "put_object",
            json!({"Bucket": "bkt", "Key": key, "ContentType": "image/jpeg"}),
            "eu-west-1",
            900,
        ),
        with_token(
            case(
                "s3",
                "get_object",
                json!({"Bucket": "bkt", "Key": "k"}),
                "us-west-2",
                60,
            ),
            "SESSION/TOKEN+=",
        ),
        case("sts", "get_caller_identity", json!({}), "us-west-2", 900),
        with_token(
            case(
                "sts",
                "get_caller_identity",
                json!({}),
                "eu-central-1",
                3600,
            ),
            "tok",
        ),
    ];
    let theirs = botocore(&cases);
    let expires = |s: u64| PresigningConfig::expires_in(Duration::from_secs(s));
    let s3 = |region: &str, token: Option<&str>| S3Client::new(config(region, token));
    let get = |k: &str| GetObjectRequest::new().with_bucket("bkt").with_key(k);
    let ours = [
        s3("us-west-2", None)
            .presign::<GetObject>(&get(key), &expires(3600))
            .unwrap(),
        s3("us-east-1", None)
            .presign::<GetObject>(
                &get(key)
                    .with_version_id("v1")
                    .with_response_content_type("text/plain"),
                &expires(604_800),
            )
            .unwrap(),
        s3("eu-west-1", None)
            .presign::<PutObject>(
                &PutObjectRequest::new()
                    .with_bucket("bkt")
                    .with_key(key)
                    .with_content_type("image/jpeg"),
                &expires(900),
            )
            .unwrap(),
        s3("us-west-2", Some("SESSION/TOKEN+="))
            .presign::<GetObject>(&get("k"), &expires(60))
            .unwrap(),
    ];
    for (i, ours) in ours.iter().enumerate() {
        assert_same(ours, &theirs[i], &format!("case {i}"));
    }
    let sts = StsClient::new(config("us-west-2", None))
        .presign::<GetCallerIdentity>(&GetCallerIdentityRequest::new(), &expires(900))
        .unwrap();
    assert_same(&sts, &theirs[4], "sts");
    let sts = StsClient::new(config("eu-central-1", Some("tok")))
        .presign::<GetCallerIdentity>(&GetCallerIdentityRequest::new(), &expires(3600))
        .unwrap();
    assert_same(&sts, &theirs[5], "sts with a token");
    println!("presigned requests: {} agree with botocore", cases.len());
}

#[test]
fn rds_and_eks_tokens_match_botocore_and_the_cli() {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(TIME);
    let base = json!({"region": "us-east-1", "time": TIME, "access_key_id": AKID, "secret_access_key": SECRET});
    let mut rds = base.clone();
    rds["kind"] = json!("rds");
    rds["hostname"] = json!("prod.cluster-abc.us-east-1.rds.amazonaws.com");
    rds["port"] = json!(5432);
    rds["user"] = json!("iam user");
    let mut rds_token = rds.clone();
    rds_token["session_token"] = json!("tok/en");
    let mut eks = base.clone();
    eks["kind"] = json!("eks");
    eks["cluster"] = json!("prod-cluster");
    eks["region"] = json!("us-west-2");
    let theirs = botocore(&[rds, rds_token, eks]);

    let host = "prod.cluster-abc.us-east-1.rds.amazonaws.com";
    let ours = rds_auth_token(
        host,
        5432,
        "iam user",
        "us-east-1",
        &credentials(None),
        time,
    )
    .unwrap();
    assert_eq!(
        parts(&ours),
        parts(theirs[0]["url"].as_str().unwrap()),
        "rds"
    );
    let ours = rds_auth_token(
        host,
        5432,
        "iam user",
        "us-east-1",
        &credentials(Some("tok/en")),
        time,
    )
    .unwrap();
    assert_eq!(
        parts(&ours),
        parts(theirs[1]["url"].as_str().unwrap()),
        "rds with a token"
    );
    // The EKS token is base64 of the URL: compare the decoded URLs.
    let ours = eks_token("prod-cluster", "us-west-2", &credentials(None), time).unwrap();
    let decode = |t: &str| {
        let b64: String = t
            .strip_prefix("k8s-aws-v1.")
            .expect("the token's prefix")
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        let bytes = aws_e2e::runtime::blob::decode_base64(&b64).expect("base64url");
        String::from_utf8(bytes).unwrap()
    };
    assert_eq!(
        parts(&decode(&ours)),
        parts(&decode(theirs[2]["url"].as_str().unwrap())),
        "eks"
    );
}

#[test]
fn presigned_s3_put_and_get_work_against_moto() {
    let endpoint = env("E2E_UNSIGNED_ENDPOINT");
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDPRESIGN", "presign-secret"))
        .endpoint_url(&endpoint)
        .endpoint_builtin("AWS::S3::ForcePathStyle", true)
        .build()
        .unwrap();
    let client = S3Client::new(config);
    client
        .create_bucket(&CreateBucketRequest::new().with_bucket("presigned"))
        .expect("the bucket is created");
    let key = "dir/a b+c.txt";
    let put = client
        .presign::<PutObject>(
            &PutObjectRequest::new()
                .with_bucket("presigned")
                .with_key(key)
                .with_content_type("text/plain"),
            &PresigningConfig::expires_in(Duration::from_secs(300)),
        )
        .unwrap();
    assert!(!format!("{put:?}").contains(&signature_of(put.url())));
    // Sent as any HTTP client would: the URL, its headers, the body.
    let transport = UreqTransport::new();
    let send = |p: &PresignedRequest, body: &[u8]| {
        let host = p.url().split('/').nth(2).unwrap().to_string();
        let mut headers = p.headers().to_vec();
        headers.push(("Host".into(), host));
        transport
            .send(&TransportRequest {
                method: p.method(),
                url: p.url(),
                headers: &headers,
                body,
                timeout: Duration::from_secs(10),
                connect_timeout: Duration::from_secs(5),
                max_response_bytes: 1 << 20,
            })
            .expect("moto answers")
    };
    let stored = send(&put, b"presigned body");
    assert_eq!(
        stored.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&stored.body)
    );
    let get = client
        .presign::<GetObject>(
            &GetObjectRequest::new()
                .with_bucket("presigned")
                .with_key(key),
            &PresigningConfig::expires_in(Duration::from_secs(300)),
        )
        .unwrap();
    assert!(get.headers().is_empty(), "{:?}", get.headers());
    let fetched = send(&get, b"");
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body, b"presigned body");
}

fn signature_of(url: &str) -> String {
    url.rsplit("X-Amz-Signature=").next().unwrap().to_string()
}
