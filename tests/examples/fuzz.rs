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

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use aws_slim::runtime::json::JsonReader;
use aws_slim::{dms, sagemaker};

/// One input taking longer than this is a hang finding.
const SLOW: Duration = Duration::from_secs(2);

/// xorshift64*: small, fast, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

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

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "3.0",
    "1e2",
    "1E+2",
    "1e-7",
    "1e999999",
    "-1e999999",
    "123456789012345678901234567890",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "0.000000000000000000000001",
    "1.5",
    "2147483648",
    "NaN",
    "1.7976931348623157e308",
    "4.9e-324",
    "00",
    "01",
    "1.",
    ".5",
    "-",
    "1e",
    "Infinity",
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "stopped",
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05.123+02:00",
    "1700000000",
    "Tue, 29 Apr 2014 18:30:38 GMT",
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "\\ud83d\\ude00",
    "é",
    "\\\"",
    "\\\\",
    "\\n\\t",
    "\\uZZZZ",
    "\\x",
    "ValidationException",
    "com.amazonaws.dms#ResourceNotFoundFault",
];

/// A random JSON-ish value: mostly valid, sometimes broken on purpose.
fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    // Containers stop past a size budget (a branching process explodes).
    if depth > 0 && rng.chance(3) || depth > 40 || out.len() > 300_000 {
        scalar(rng, out);
        return;
    }
    match rng.below(10) {
        0..=4 => {
            out.push('{');
            for i in 0..rng.below(6) {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(rng.pick::<&str>(KEYS));
                out.push_str("\":");
                value(rng, depth + 1, out);
            }
            if !rng.chance(50) {
                out.push('}');
            }
        }
        5..=7 => {
            out.push('[');
            for i in 0..rng.below(6) {
                if i > 0 {
                    out.push(',');
                }
                value(rng, depth + 1, out);
            }
            if !rng.chance(50) {
                out.push(']');
            }
        }
        _ => scalar(rng, out),
    }
}

fn scalar(rng: &mut Rng, out: &mut String) {
    match rng.below(6) {
        0 => out.push_str(rng.pick::<&str>(NUMBERS)),
        1 => {
            out.push('"');
            out.push_str(rng.pick::<&str>(STRINGS));
            out.push('"');
        }
        2 => {
            // A long string.
            out.push('"');
            let n = rng.below(100_000);
            out.extend(std::iter::repeat_n('x', n));
            out.push('"');
        }
        3 => out.push_str(rng.pick::<&str>(&["true", "false", "null", "tru", "nul"])),
        4 => {
            // Deep nesting.
            let n = rng.below(5_000);
            out.extend(std::iter::repeat_n('[', n));
            out.extend(std::iter::repeat_n(']', n));
        }
        _ => out.push_str(rng.pick::<&str>(NUMBERS)),
    }
}

/// Byte-level mutations: flips, inserts, deletes, truncation, duplication,
/// invalid UTF-8.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..=rng.below(8) {
        if b.is_empty() {
            b.push(b'{');
        }
        let at = rng.below(b.len());
        match rng.below(7) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b.insert(at, *rng.pick(b"{}[]\":,\\0123456789eE+-.ntfu \xff\xc3\x80")),
            2 => {
                b.remove(at);
            }
            3 => b.truncate(at),
            4 => {
                let end = (at + rng.below(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                b.splice(at..at, chunk);
            }
            5 => b.splice(at..at, [0xed, 0xa0, 0x80]).for_each(drop),
            _ => b[at] = rng.next() as u8,
        }
    }
    b
}

/// An XML element with random content: children, text with references,
/// CDATA, comments and attributes; deep at times.
fn xml(rng: &mut Rng, depth: usize, out: &mut String) {
    const NAMES: [&str; 8] = [
        "Credentials",
        "AccessKeyId",
        "Expiration",
        "member",
        "entry",
        "key",
        "a:Ns",
        "Error",
    ];
    const TEXTS: [&str; 10] = [
        "AKID",
        "2030-01-02T03:04:05Z",
        "&amp;&lt;&gt;&quot;&apos;",
        "&#x1F600;&#65;",
        "&#0;",
        "&bogus;",
        "<![CDATA[<x>]]>",
        "<!-- c -->",
        "   ",
        "1e400",
    ];
    let name = *rng.pick::<&str>(&NAMES);
    out.push('<');
    out.push_str(name);
    if rng.chance(4) {
        out.push_str(" xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\" a='&amp;'");
    }
    out.push('>');
    if depth < 150 && out.len() < 200_000 && !rng.chance(3) {
        for _ in 0..rng.below(4) {
            if rng.chance(2) {
                xml(rng, depth + 1, out);
            } else {
                out.push_str(rng.pick::<&str>(&TEXTS));
            }
        }
    } else {
        out.push_str(rng.pick::<&str>(&TEXTS));
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

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

/// A finding: the target, what happened, the input.
struct Finding {
    target: &'static str,
    what: String,
    input: Vec<u8>,
}

fn run_one(target: &'static str, input: &[u8], f: &dyn Fn(&[u8]), findings: &mut Vec<Finding>) {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| f(input)));
    let took = started.elapsed();
    if let Err(panic) = outcome {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into());
        findings.push(Finding {
            target,
            what: format!("panic: {what}"),
            input: input.to_vec(),
        });
    } else if took > SLOW {
        findings.push(Finding {
            target,
            what: format!("took {took:?}"),
            input: input.to_vec(),
        });
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
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
    let seed = arg("--seed").unwrap_or(0x5eed_1234_abcd_0001);
    let only = arg("--only").filter(|t| *t < 8);
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
    let mut runs = [0u64; 8];
    let names = [
        "json reader",
        "dms response",
        "sagemaker response",
        "server request",
        "model loader",
        "endpoint resolver",
        "xml reader",
        "sts response",
    ];
    let statuses = [200u16, 400, 404, 500, 503];
    while Instant::now() < deadline && findings.len() < 20 {
        // An input: generated, or a mutated seed.
        let input: Vec<u8> = if rng.chance(2) {
            let mut s = String::new();
            value(&mut rng, 0, &mut s);
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
            None => rng.below(8),
        };
        // The XML targets take generated XML half the time.
        let input = if target >= 6 && rng.chance(2) {
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

fn rng_pick_seed(rng: &mut Rng) -> &'static str {
    rng.pick::<&'static str>(SEEDS)
}
