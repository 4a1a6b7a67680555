//! Shared by the fixture tests: the fixture models in `tests/fixtures/` and
//! the crate generated from them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::{CrateSpec, Loaded, Options, ServiceSpec};

/// The fixture models, by module name (the file name without `.json`).
pub const FIXTURES: &[&str] = &[
    "discovery",
    "docs",
    "ec2",
    "endpoints",
    "errors",
    "events",
    "mixins",
    "naming",
    "pagination",
    "query",
    "recursion",
    "rest_json",
    "rest_xml",
    "rpcv2",
    "shapes",
];

/// The fixtures directory.
pub fn fixtures_dir() -> PathBuf {
    tests::workspace_root().join("tests/fixtures")
}

/// Loads one fixture model.
pub fn load(name: &str) -> Loaded {
    let rel = format!("tests/fixtures/{name}.json");
    let path = fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Loaded::from_text(&rel, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The selection of a fixture: every operation of its only service, in a
/// module named after the file.
pub fn spec(name: &str) -> ServiceSpec {
    ServiceSpec {
        module: name.to_string(),
        model: format!("{name}.json"),
        upstream: None,
        service: None,
        operations: Vec::new(),
        all: true,
        protocol: None,
    }
}

/// Generates a standalone crate from the named fixtures.
pub fn generate(crate_name: &str, names: &[&str]) -> BTreeMap<String, String> {
    let models: Vec<Loaded> = names.iter().map(|n| load(n)).collect();
    let specs: Vec<ServiceSpec> = names.iter().map(|n| spec(n)).collect();
    let pairs: Vec<(&ServiceSpec, &Loaded)> = specs.iter().zip(models.iter()).collect();
    let krate = CrateSpec {
        name: crate_name.to_string(),
        version: "0.1.0".into(),
    };
    // The fixture crate carries the runtime's own unit tests: they run
    // there (users' crates leave them out).
    let options = Options {
        standalone: true,
        runtime_tests: true,
        ..Options::default()
    };
    codegen::generate(&krate, &pairs, &options)
        .unwrap_or_else(|e| panic!("{e}"))
        .files
}
