//! The signer against botocore's `SigV4Auth` on randomized requests:
//! methods, paths (unicode, spaces, escapes, dot segments), encoded query
//! strings, header names and values with odd spacing, bodies, session
//! tokens. Both sign at the same fixed time; the `Authorization` headers
//! must be equal. The seed is fixed, so a failure reproduces.

use std::io::Write;
use std::process::{Command, Stdio};

use aws_slim::runtime::client::sigv4::{
    self, uri_encode, SignableRequest, SigningParams, SigningSettings,
};
use aws_slim::runtime::DateTime;
use serde_json::{json, Value};

/// A small deterministic generator (64-bit LCG, upper bits).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn word(&mut self, alphabet: &[&str], max: usize) -> String {
        let len = 1 + self.below(max);
        (0..len).map(|_| self.pick(alphabet)).collect()
    }
}

const PATH_CHARS: &[&str] = &[
    "a", "B", "z", "0", "9", "-", "_", ".", "~", " ", "@", ":", "=", "+", "$", "%3D", "%20", "ሴ",
    "é",
];
const TEXT_CHARS: &[&str] = &[
    "a", "Z", "1", "-", "_", ".", "~", " ", "/", "=", "&", "+", "é", "ሴ", "%",
];
const NAME_CHARS: &[&str] = &["a", "b", "X", "Y", "1", "-"];

fn random_case(rng: &mut Rng, i: usize) -> Value {
    let method = rng.pick(&["GET", "POST", "PUT", "DELETE"]);
    let mut path = String::new();
    for _ in 0..1 + rng.below(4) {
        path.push('/');
        match rng.below(10) {
            0 => path.push('.'),
            1 => path.push_str(".."),
            _ => path.push_str(&rng.word(PATH_CHARS, 6)),
        }
    }
    if rng.below(3) == 0 {
        path.push('/');
    }
    let mut query = Vec::new();
    for _ in 0..rng.below(4) {
        let k = uri_encode(&rng.word(TEXT_CHARS, 5), false);
        let v = if rng.below(4) == 0 {
            String::new()
        } else {
            uri_encode(&rng.word(TEXT_CHARS, 8), false)
        };
        query.push(format!("{k}={v}"));
    }
    let uri = if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for _ in 0..rng.below(4) {
        let name = format!("x-{}", rng.word(NAME_CHARS, 6));
        if headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            continue;
        }
        let spaces = ["", " ", "  "];
        let value = format!(
            "{}{}{}{}",
            rng.pick(&spaces),
            rng.word(&["v", "W", "1", " ", "  ", ",", ";", "="], 10)
                .trim(),
            rng.pick(&spaces),
            rng.word(&["a", "b"], 3)
        );
        headers.push((name, value));
    }
    if rng.below(2) == 0 {
        headers.push(("Content-Type".into(), "application/x-amz-json-1.1".into()));
    }
    let body: Vec<u8> = if method == "GET" {
        Vec::new()
    } else {
        (0..rng.below(64)).map(|_| rng.next() as u8).collect()
    };
    let token = (rng.below(2) == 0).then(|| format!("token/{i}+{}==", rng.word(TEXT_CHARS, 20)));
    json!({
        "method": method,
        "scheme": "https",
        "host": rng.pick(&["example.amazonaws.com", "dms.eu-west-1.amazonaws.com", "localhost:4566"]),
        "uri": uri,
        "headers": headers,
        "body": body,
        "access_key_id": format!("AKID{i}"),
        "secret_access_key": format!("secret/{}+{}", i, rng.word(TEXT_CHARS, 12)),
        "session_token": token,
        "region": rng.pick(&["us-east-1", "eu-west-1", "cn-north-1"]),
        "service": rng.pick(&["dms", "sagemaker", "execute-api"]),
        "time": 1_500_000_000 + rng.below(400_000_000) as i64,
    })
}

fn sign_here(case: &Value) -> String {
    let s = |k: &str| case[k].as_str().unwrap();
    let mut headers: Vec<(String, String)> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h[0].as_str().unwrap().to_string(),
                h[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    headers.push(("host".into(), s("host").to_string()));
    let body: Vec<u8> = case["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    let signed = sigv4::sign(
        &SignableRequest {
            method: s("method"),
            uri: s("uri"),
            headers: &headers,
            body: &body,
        },
        &SigningParams {
            access_key_id: s("access_key_id"),
            secret_access_key: s("secret_access_key"),
            session_token: case["session_token"].as_str(),
            region: s("region"),
            service: s("service"),
            time: DateTime::from_secs(case["time"].as_i64().unwrap()),
            settings: SigningSettings::default(),
        },
    )
    .expect("the case signs");
    signed
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap()
}

#[test]
fn the_signer_agrees_with_botocore_on_random_requests() {
    if !tests::botocore_available("the botocore SigV4 agreement test") {
        return;
    }
    let mut rng = Rng(20_240_101);
    let cases: Vec<Value> = (0..300).map(|i| random_case(&mut rng, i)).collect();
    let script = tests::workspace_root().join("tests/oracle/sigv4_botocore.py");
    let mut child = Command::new(tests::python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    let input = serde_json::to_vec(&cases).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().expect("the oracle ends");
    assert!(out.status.success(), "the oracle failed");
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).expect("the oracle answers JSON");
    assert_eq!(answers.len(), cases.len());
    let mut failures = Vec::new();
    for (case, answer) in cases.iter().zip(&answers) {
        let ours = sign_here(case);
        if ours != answer["authorization"].as_str().unwrap() {
            failures.push(format!(
                "{case}\n  ours:     {ours}\n  botocore: {}\n  botocore canonical request:\n{}",
                answer["authorization"],
                answer["canonical_request"].as_str().unwrap()
            ));
        }
    }
    println!(
        "sigv4 vs botocore: {}/{} agree",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements, first:\n{}",
        failures.len(),
        failures[0]
    );
}
