//! Snapshots of the code generated from each fixture model in
//! `tests/fixtures/`. The runtime files and `Cargo.toml` are copied verbatim
//! and are not snapshotted; `fixtures_compile.rs` builds what is snapshotted.
//!
//! After a deliberate generator change: `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test -p tests --test snapshots`), read the
//! diff, commit the snapshots with the change.

mod fixture_models;

/// The files every fixture's module has, besides its protocol's files.
const COMMON_FILES: &[&str] = &[
    "client.rs",
    "errors.rs",
    "mod.rs",
    "operations.rs",
    "types.rs",
];

/// The protocol files of an awsJson fixture: its codec and its server.
const AWS_JSON_FILES: &[&str] = &["json.rs", "server.rs"];

fn snapshot_fixture(name: &str) {
    snapshot_fixture_on(name, AWS_JSON_FILES);
}

fn snapshot_fixture_on(name: &str, protocol_files: &[&str]) {
    let files = fixture_models::generate(&format!("fixture-{name}"), &[name]);
    let prefix = format!("src/{name}/");
    let mut seen = Vec::new();
    for (path, text) in &files {
        let Some(file) = path.strip_prefix(&prefix) else {
            continue;
        };
        seen.push(file);
        let snapshot = format!("{name}__{}", file.trim_end_matches(".rs"));
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{path} generated from tests/fixtures/{name}.json"),
        }, {
            insta::assert_snapshot!(snapshot, text);
        });
    }
    // `required.rs` only where a constructor takes its members by name,
    // `endpoint.rs` only where the model has a rule set.
    // `waiters.rs` only where operations have waiters, `event_stream.rs` only
    // where outputs stream events.
    seen.retain(|f| {
        !matches!(
            *f,
            "required.rs" | "endpoint.rs" | "waiters.rs" | "event_stream.rs"
        )
    });
    let mut expected: Vec<&str> = COMMON_FILES.iter().chain(protocol_files).copied().collect();
    expected.sort_unstable();
    assert_eq!(seen, expected, "the files of {name}");
}

#[test]
fn discovery() {
    snapshot_fixture("discovery");
}

#[test]
fn docs() {
    snapshot_fixture("docs");
}

#[test]
fn ec2() {
    // ec2Query: the query codecs beside the JSON ones.
    snapshot_fixture_on("ec2", &["json.rs", "query.rs"]);
}

#[test]
fn endpoints() {
    snapshot_fixture("endpoints");
}

#[test]
fn events() {
    snapshot_fixture("events");
}

#[test]
fn errors() {
    snapshot_fixture("errors");
}

#[test]
fn mixins() {
    snapshot_fixture("mixins");
}

#[test]
fn naming() {
    snapshot_fixture("naming");
}

#[test]
fn pagination() {
    snapshot_fixture("pagination");
}

#[test]
fn query() {
    // awsQuery: the query codecs beside the JSON ones.
    snapshot_fixture_on("query", &["json.rs", "query.rs"]);
}

#[test]
fn recursion() {
    snapshot_fixture("recursion");
}

#[test]
fn rest_json() {
    // restJson1: the JSON codec and the REST binding, no server.
    snapshot_fixture_on("rest_json", &["json.rs", "rest.rs"]);
}

#[test]
fn rest_xml() {
    // restXml: its XML codecs and REST response readers.
    snapshot_fixture_on("rest_xml", &["json.rs", "query.rs", "rest.rs"]);
}

#[test]
fn rpcv2() {
    // RPC v2 CBOR: the CBOR codecs beside the JSON ones (serde, waiters).
    snapshot_fixture_on("rpcv2", &["cbor.rs", "json.rs"]);
}

#[test]
fn shapes() {
    snapshot_fixture("shapes");
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture_models::fixtures_dir())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(String::from)
        })
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, fixture_models::FIXTURES);
}
