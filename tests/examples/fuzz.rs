//! A structure-aware random fuzzer on stable Rust (`cargo xtask fuzz
//! --seconds N`): the runtime JSON reader, the response parsers of both
//! customer operations, the server request parser, the model loader and
//! the endpoint resolvers, the XML parser and an awsQuery response parser
//! (the credential providers' STS `AssumeRole`), fed with generated and mutated inputs for a
//! fixed time. Every call runs under `catch_unwind`; a panic, or a single
//! input taking longer than [`SLOW`], is a finding: its input is written to
//! `target/fuzz/findings/` and the run fails. Inputs: valid JSON with odd
//! values (huge and tiny numbers, exponents, long strings, escapes, lone
//! surrogates), deep nesting, invalid UTF-8, XML with references, CDATA,
//! comments, attributes and deep nesting, and byte-level mutations of real
//! bodies and of the committed model slices.
//!
//! ```text
//! cargo run --release -p tests --example fuzz -- --seconds 600 [--seed N]
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../fuzz/engine.rs"]
mod engine;
use engine::{mutate, peak_rss_kib, run_one, value, xml, Rng};

use aws_slim::runtime::json::JsonReader;
use aws_slim::{dms, sagemaker};

const KEYS: &[&str] = &[
    "Replication",
    "ReplicationStats",
    "TablesLoaded",
    "Status",
    "StartTime",
    "__type",
    "message",
    "Message",
    "code",
    "PipelineExecutionArn",
    "ReplicationConfigArn",
    "FullLoadProgressPercent",
    "ElapsedTimeMillis",
    "StopDate",
    "FailureMessages",
    "x",
];

const SEEDS: &[&str] = &[
    r#"{"Replication":{"ReplicationConfigIdentifier":"c","Status":"stopped","ReplicationStats":{"TablesLoaded":3,"FullLoadProgressPercent":100,"ElapsedTimeMillis":1234},"StartTime":1700000000.5,"FailureMessages":["a","b"]}}"#,
    r#"{"PipelineExecutionArn":"arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e"}"#,
    r#"{"__type":"com.amazonaws.dms#ResourceNotFoundFault","message":"gone"}"#,
    r#"{"__type":"ResourceNotFound:http://internal.amazon.com/","Message":"no"}"#,
    r#"<ErrorResponse><Error><Code>Throttling</Code><Message>slow</Message></Error></ErrorResponse>"#,
    r#"{"ReplicationConfigArn":"arn:aws:dms:us-east-1:123456789012:replication-config:X"}"#,
    r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2030-01-02T03:04:05Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><AssumedRoleId>A:s</AssumedRoleId></AssumedRoleUser><PackedPolicySize>6</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>"#,
    r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredTokenException</Code><Message>expired</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
];

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let seconds = arg("--seconds").unwrap_or(10);
    let seed = arg("--seed").unwrap_or(0x5eed_1234_abcd_0001);
    let only = arg("--only").filter(|t| *t < 9);
    std::panic::set_hook(Box::new(|_| {})); // findings are reported below
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let models: Vec<String> = [
        "database-migration-service.slice.json",
        "sagemaker.slice.json",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(root.join("models").join(f)).expect("a committed slice"))
    .collect();
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut findings = Vec::new();
    let mut runs = [0u64; 9];
    let names = [
        "json reader",
        "dms response",
        "sagemaker response",
        "server request",
        "model loader",
        "endpoint resolver",
        "xml reader",
        "sts response",
        "profile parser",
    ];
    let statuses = [200u16, 400, 404, 500, 503];
    while Instant::now() < deadline && findings.len() < 20 {
        // An input: generated, or a mutated seed.
        let input: Vec<u8> = if rng.chance(2) {
            let mut s = String::new();
            value(&mut rng, KEYS, 0, &mut s);
            if rng.chance(3) {
                mutate(&mut rng, s.as_bytes())
            } else {
                s.into_bytes()
            }
        } else {
            let seed_body = rng_pick_seed(&mut rng);
            mutate(&mut rng, seed_body.as_bytes())
        };
        let status = *rng.pick(&statuses);
        let target = match only {
            Some(t) => t as usize,
            None => rng.below(9),
        };
        // The XML targets take generated XML half the time; the profile
        // parser, generated profile files.
        let input = if target == 8 {
            let text = profile_file(&mut rng);
            if rng.chance(2) {
                mutate(&mut rng, text.as_bytes())
            } else {
                text.into_bytes()
            }
        } else if target >= 6 && rng.chance(2) {
            let mut s = String::new();
            xml(&mut rng, 0, &mut s);
            if rng.chance(3) {
                mutate(&mut rng, s.as_bytes())
            } else {
                s.into_bytes()
            }
        } else {
            input
        };
        runs[target] += 1;
        match target {
            0 => run_one(
                names[0],
                &input,
                &|b| {
                    let _ = JsonReader::new(b).read_document();
                },
                &mut findings,
            ),
            1 => run_one(
                names[1],
                &input,
                &|b| {
                    let headers = [
                        ("x-amzn-RequestId", "r"),
                        ("Content-Type", "application/x-amz-json-1.1"),
                    ];
                    if let Err(e) = dms::StopReplication::parse_response(status, &headers, b) {
                        let _ = e.to_string();
                    }
                },
                &mut findings,
            ),
            2 => run_one(
                names[2],
                &input,
                &|b| {
                    let headers = [("X-Amzn-ErrorType", "ResourceNotFound:http://x/")];
                    if let Err(e) =
                        sagemaker::StopPipelineExecution::parse_response(status, &headers, b)
                    {
                        let _ = e.to_string();
                    }
                },
                &mut findings,
            ),
            3 => run_one(
                names[3],
                &input,
                &|b| {
                    let headers = [
                        ("X-Amz-Target", "AmazonDMSv20160101.StopReplication"),
                        ("Content-Type", "application/x-amz-json-1.1"),
                    ];
                    let _ = dms::ServiceRequest::from_http("POST", &headers, b);
                },
                &mut findings,
            ),
            4 => {
                let base = rng.pick(&models).clone();
                let model = mutate(&mut rng, base.as_bytes());
                run_one(
                    names[4],
                    &model,
                    &|b| {
                        let text = String::from_utf8_lossy(b);
                        let _ = codegen::Loaded::from_text("fuzz.json", &text);
                    },
                    &mut findings,
                );
            }
            6 => run_one(
                names[6],
                &input,
                &|b| {
                    let _ = aws_slim::runtime::xml::parse(b);
                },
                &mut findings,
            ),
            7 => run_one(
                names[7],
                &input,
                &|b| {
                    use aws_slim::runtime::client::sts_api::AssumeRole;
                    let headers = [("x-amzn-RequestId", "r")];
                    if let Err(e) = AssumeRole::parse_response(status, &headers, b) {
                        let _ = e.to_string();
                    }
                },
                &mut findings,
            ),
            8 => run_one(
                names[8],
                &input,
                &|b| {
                    use aws_slim::runtime::client::profile::ProfileSet;
                    let text = String::from_utf8_lossy(b);
                    match ProfileSet::parse(Some(("config", &text)), Some(("credentials", &text))) {
                        Ok(set) => {
                            let _ = format!("{set:?}");
                            let _ = set.get("default").map(|p| p.get("region"));
                        }
                        Err(e) => {
                            let _ = e.to_string();
                        }
                    }
                },
                &mut findings,
            ),
            _ => run_one(
                names[5],
                &input,
                &|b| {
                    let text = String::from_utf8_lossy(b).into_owned();
                    let mut mid = text.len() / 2;
                    while !text.is_char_boundary(mid) {
                        mid -= 1;
                    }
                    let (region, endpoint) = text.split_at(mid);
                    let _ = dms::endpoint::Params {
                        region: Some(region.to_string()),
                        use_fips: b.first().is_some_and(|x| x & 1 == 1),
                        use_dual_stack: b.last().is_some_and(|x| x & 1 == 1),
                        endpoint: (!endpoint.is_empty()).then(|| endpoint.to_string()),
                    }
                    .resolve();
                },
                &mut findings,
            ),
        }
    }
    let total: u64 = runs.iter().sum();
    println!("fuzz: {total} executions in {seconds} s (seed {seed:#x})");
    for (name, n) in names.iter().zip(runs) {
        println!("  {name}: {n}");
    }
    if let Some(kib) = peak_rss_kib() {
        println!("  peak memory: {} MiB", kib / 1024);
    }
    if findings.is_empty() {
        println!("fuzz: 0 findings");
        return std::process::ExitCode::SUCCESS;
    }
    let dir = root.join("target/fuzz/findings");
    let _ = std::fs::create_dir_all(&dir);
    for (i, f) in findings.iter().enumerate() {
        let path = dir.join(format!("{}-{i}.bin", f.target.replace(' ', "-")));
        let _ = std::fs::write(&path, &f.input);
        println!("FINDING {}: {} ({})", f.target, f.what, path.display());
    }
    std::process::ExitCode::FAILURE
}

/// A profile file: sections (profiles, `sso-session`s, odd headers),
/// properties, sub-properties, comments, odd white space.
fn profile_file(rng: &mut Rng) -> String {
    const HEADERS: [&str; 8] = [
        "[default]",
        "[profile dev]",
        "[profile  spaced  name ]",
        "[sso-session corp]",
        "[services s]",
        "[profile]",
        "[unclosed",
        "[]",
    ];
    const KEYS: [&str; 10] = [
        "region",
        "aws_access_key_id",
        "aws_secret_access_key",
        "role_arn",
        "source_profile",
        "s3",
        "credential_process",
        "",
        "x y",
        "Region",
    ];
    const VALUES: [&str; 8] = [
        "us-east-1",
        "AKID # comment",
        "secret;with;semi",
        "",
        "dev",
        "=",
        "\u{0}",
        "é",
    ];
    let mut out = String::new();
    for _ in 0..rng.below(12) {
        match rng.below(6) {
            0 => out.push_str(rng.pick::<&str>(&HEADERS)),
            1 => {
                out.push_str("  ");
                out.push_str(rng.pick::<&str>(&KEYS));
                out.push_str(" = ");
                out.push_str(rng.pick::<&str>(&VALUES));
            }
            2 => out.push_str(rng.pick::<&str>(&["# c", "; c", "\t", "   "])),
            _ => {
                out.push_str(rng.pick::<&str>(&KEYS));
                out.push_str(rng.pick::<&str>(&["=", " = ", "\t=\t", ":"]));
                out.push_str(rng.pick::<&str>(&VALUES));
            }
        }
        out.push_str(rng.pick::<&str>(&["\n", "\r\n", "\n\n"]));
    }
    out
}

fn rng_pick_seed(rng: &mut Rng) -> &'static str {
    rng.pick::<&'static str>(SEEDS)
}
