//! The official JMESPath compliance tests (jmespath/jmespath.test at
//! 53abcc3, every suite but the benchmarks; expressions, inputs and
//! expected results only), run through the generator's parser and the
//! runtime's evaluator: what a waiter of a generated crate runs.

use super::jmespath::{parse, runtime_expr};
use crate::runtime::document::Document;
use crate::runtime::jmespath as rt;
use crate::runtime::json::JsonReader;
use serde_json::Value;

const CASES: &str = include_str!("../../testdata/jmespath-compliance.json");

fn document(v: &Value) -> Document {
    let text = v.to_string();
    JsonReader::new(text.as_bytes())
        .read_document()
        .expect("test data is JSON")
}

/// Runs one case: `Ok` when it passes, else what went wrong.
fn run(given: &Value, expression: &str, case: &Value) -> Result<(), String> {
    let parsed = parse(expression);
    let expected_error = case.get("error").and_then(Value::as_str);
    let result = match (parsed, expected_error) {
        (Err(e), Some(want)) if e.kind == want => return Ok(()),
        (Err(e), Some(want)) => {
            return Err(format!("error {} ({}), expected {want}", e.kind, e.message))
        }
        (Err(e), None) => return Err(format!("refused: {} ({})", e.kind, e.message)),
        (Ok(parsed), _) => rt::search(&runtime_expr(&parsed), &document(given)),
    };
    match (result, expected_error) {
        (Err(_), Some("invalid-type")) => Ok(()),
        (Ok(got), Some(want)) => Err(format!("gave {got:?}, expected error {want}")),
        (Err(e), _) => Err(format!("runtime error {e}")),
        (Ok(got), None) => {
            let want = document(case.get("result").unwrap_or(&Value::Null));
            if rt::equal(&got, &want) {
                Ok(())
            } else {
                Err(format!("gave {got:?}, expected {want:?}"))
            }
        }
    }
}

#[test]
fn every_compliance_case_passes() {
    let suites: Vec<Value> = serde_json::from_str(CASES).unwrap();
    let mut total = 0;
    let mut failures = Vec::new();
    for group in &suites {
        let suite = group["suite"].as_str().unwrap_or_default();
        for case in group["cases"].as_array().into_iter().flatten() {
            total += 1;
            let expression = case["expression"].as_str().unwrap_or_default();
            if let Err(why) = run(&group["given"], expression, case) {
                failures.push(format!("{suite}: {expression:?}: {why}"));
            }
        }
    }
    assert!(total > 850, "only {total} cases read");
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
