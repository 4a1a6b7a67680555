//! The protocol fuzzer: the response parsers of the REST and query
//! protocols (restJson1: Lambda; restXml: S3 and Route 53; awsQuery: SNS;
//! awsJson1_0 with a CRC-32 header: DynamoDB), fed generated and mutated
//! bodies, statuses and header values. `cargo xtask fuzz` generates the
//! crate these parsers live in (`target/fuzz/protocols`) and copies this
//! file in as its example; a panic or a slow input is a finding, written
//! to `target/fuzz/findings/`.

use std::time::{Duration, Instant};

#[path = "engine.rs"]
mod engine;
use engine::{mutate, peak_rss_kib, run_one, value, xml, Rng};

use fuzz_protocols::{dynamodb, lambda, route53, s3, sns};

const KEYS: &[&str] = &[
    "Configuration",
    "FunctionName",
    "Code",
    "Tags",
    "Items",
    "LastEvaluatedKey",
    "Count",
    "__type",
    "message",
    "S",
    "N",
    "M",
    "L",
    "x",
];

/// Header names the parsers read, and values to give them.
const HEADER_NAMES: &[&str] = &[
    "X-Amzn-ErrorType",
    "x-amzn-RequestId",
    "x-amz-request-id",
    "X-Amz-Function-Error",
    "X-Amz-Log-Result",
    "X-Amz-Executed-Version",
    "Content-Type",
    "Content-Length",
    "Expires",
    "Last-Modified",
    "ETag",
    "x-amz-meta-a",
    "x-amz-checksum-crc32",
    "x-amz-delete-marker",
    "x-amz-missing-meta",
    "x-amz-crc32",
    "x-amz-restore",
    "x-amz-mp-parts-count",
];

const HEADER_VALUES: &[&str] = &[
    "",
    "1",
    "-1",
    "99999999999999999999",
    "true",
    "TRUE",
    "Tue, 29 Apr 2014 18:30:38 GMT",
    "Tue, 29 Apr 2014 18:30:38 GMTX",
    "2014-04-29T18:30:38Z",
    "1398796238",
    "not a date",
    "\"etag\"",
    "a,b,\"c,d\"",
    "ResourceNotFoundException:http://internal/",
    "Unhandled",
    "AAAAAA==",
    "é",
    "0",
    "4294967295",
];

const SEEDS: &[&str] = &[
    r#"{"Configuration":{"FunctionName":"f","Runtime":"python3.12","MemorySize":128,"LastModified":"2024-01-01T00:00:00.000+0000"},"Code":{"Location":"https://x"},"Tags":{"a":"b"}}"#,
    r#"{"Functions":[{"FunctionName":"f"}],"NextMarker":"m"}"#,
    r#"{"Type":"User","message":"no such function"}"#,
    r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Contents><Key>k</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>3</Size></Contents><IsTruncated>false</IsTruncated><KeyCount>1</KeyCount></ListBucketResult>"#,
    r#"<Error><Code>NoSuchKey</Code><Message>gone</Message><Key>k</Key></Error>"#,
    r#"<CopyObjectResult><ETag>"e"</ETag><LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyObjectResult>"#,
    r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#,
    r#"<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>"#,
    r#"<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
    r#"<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ResourceRecordSets><ResourceRecordSet><Name>a.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>1.2.3.4</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListResourceRecordSetsResponse>"#,
    r#"{"Items":[{"pk":{"S":"a"},"n":{"N":"1"},"m":{"M":{"x":{"L":[{"BOOL":true}]}}}}],"Count":1,"LastEvaluatedKey":{"pk":{"S":"a"}}}"#,
    r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}"#,
];

fn headers(rng: &mut Rng) -> Vec<(String, String)> {
    (0..rng.below(8))
        .map(|_| {
            (
                rng.pick::<&str>(HEADER_NAMES).to_string(),
                rng.pick::<&str>(HEADER_VALUES).to_string(),
            )
        })
        .collect()
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let seconds = arg("--seconds").unwrap_or(10);
    let seed = arg("--seed").unwrap_or(0x5eed_5678_abcd_0002);
    let findings_dir = args
        .iter()
        .position(|a| a == "--findings")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "findings".into());
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut findings = Vec::new();
    let names = [
        "lambda GetFunction (restJson1)",
        "lambda Invoke (restJson1 payload)",
        "s3 GetObject (restXml stream)",
        "s3 HeadObject (restXml headers)",
        "s3 ListObjectsV2 (restXml body)",
        "s3 CopyObject (error on success)",
        "s3 GetBucketLocation (unwrapped)",
        "route53 ListResourceRecordSets (restXml)",
        "sns Publish (awsQuery)",
        "dynamodb Query (awsJson1_0, CRC-32)",
    ];
    let mut runs = [0u64; 10];
    let statuses = [200u16, 204, 301, 400, 403, 404, 500, 503];
    while Instant::now() < deadline && findings.len() < 20 {
        let target = rng.below(names.len());
        let input: Vec<u8> = match rng.below(3) {
            0 => {
                let mut s = String::new();
                value(&mut rng, KEYS, 0, &mut s);
                s.into_bytes()
            }
            1 => {
                let mut s = String::new();
                xml(&mut rng, 0, &mut s);
                mutate(&mut rng, s.as_bytes())
            }
            _ => {
                let seed_body = rng_pick_seed(&mut rng);
                mutate(&mut rng, seed_body.as_bytes())
            }
        };
        let status = *rng.pick(&statuses);
        let headers = headers(&mut rng);
        runs[target] += 1;
        let h = &headers;
        let show = |r: Result<String, String>| {
            let _ = r;
        };
        let f: &dyn Fn(&[u8]) = match target {
            0 => &|b| {
                show(
                    lambda::GetFunction::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            1 => &|b| {
                show(
                    lambda::Invoke::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            2 => &|b| {
                if let Ok(mut o) = s3::GetObject::parse_response(status, h, b) {
                    let _ = std::io::Read::read_to_end(&mut o.body, &mut Vec::new());
                }
            },
            3 => &|b| {
                show(
                    s3::HeadObject::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            4 => &|b| {
                show(
                    s3::ListObjectsV2::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            5 => &|b| {
                show(
                    s3::CopyObject::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            6 => &|b| {
                show(
                    s3::GetBucketLocation::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            7 => &|b| {
                show(
                    route53::ListResourceRecordSets::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            8 => &|b| {
                show(
                    sns::Publish::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
            _ => &|b| {
                show(
                    dynamodb::Query::parse_response(status, h, b)
                        .map(|o| format!("{o:?}"))
                        .map_err(|e| e.to_string()),
                )
            },
        };
        run_one(names[target], &input, f, &mut findings);
    }
    let total: u64 = runs.iter().sum();
    println!("fuzz (protocols): {total} executions in {seconds} s (seed {seed:#x})");
    for (name, n) in names.iter().zip(runs) {
        println!("  {name}: {n}");
    }
    if let Some(kib) = peak_rss_kib() {
        println!("  peak memory: {} MiB", kib / 1024);
    }
    if findings.is_empty() {
        println!("fuzz (protocols): 0 findings");
        return std::process::ExitCode::SUCCESS;
    }
    let dir = std::path::PathBuf::from(findings_dir);
    let _ = std::fs::create_dir_all(&dir);
    for (i, f) in findings.iter().enumerate() {
        let name: String = f
            .target
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let path = dir.join(format!("{name}-{i}.bin"));
        let _ = std::fs::write(&path, &f.input);
        println!("FINDING {}: {} ({})", f.target, f.what, path.display());
    }
    std::process::ExitCode::FAILURE
}

fn rng_pick_seed(rng: &mut Rng) -> &'static str {
    rng.pick::<&'static str>(SEEDS)
}
