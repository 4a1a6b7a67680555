//! A Smithy JSON AST to Rust code generator for awsJson1_0 / awsJson1_1
//! services. Pure library: model text in, files (path → text) out. All file
//! I/O lives in `xtask`.
//!
//! Stages, each importing only from earlier ones (`ARCHITECTURE.md` has
//! the map, and `tests::stage_order` enforces it): `ast` (serde types) →
//! `model` (prelude, `apply`, mixins, references checked) → `lower` (every
//! decision: names, nullability, boxing, protocol facts) → [`ir`] (the
//! arena every emitter reads) → `emit` (tokens, formatted by prettyplease).
//!
//! This facade is the whole public API: [`generate`] (a crate, with the IR
//! it was built from), [`lower_service`], [`protocol_test_suite`],
//! [`harness`], [`slice()`], and the [`ir`] types.

mod ast;
pub mod diff;
mod docs;
mod emit;
mod error;
pub mod ir;
mod lower;
mod model;
mod naming;
mod selection;
mod slice;

/// The runtime, compiled into the generator too: lowering decodes `@default`
/// blobs and the protocol-test emitter reads epoch seconds with the same
/// code the generated crate runs.
#[allow(dead_code, unused_imports)]
#[path = "../runtime/mod.rs"]
mod runtime;

#[cfg(test)]
mod stage_order;
#[cfg(test)]
mod test_model;

use std::collections::BTreeMap;

pub use emit::endpoint_tests::EndpointSuite;
pub use emit::harness::Target as HarnessTarget;
pub use emit::protocol_tests::Suite;
pub use emit::waiter_tests::WaiterSuite;
pub use error::Error;
pub use model::Loaded;
pub use selection::{CrateSpec, Selection, ServiceSpec};

/// The hand-written runtime, copied into every generated crate as `src/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("blob.rs", include_str!("../runtime/blob.rs")),
    (
        "value_codecs.rs",
        include_str!("../runtime/value_codecs.rs"),
    ),
    (
        "event_sender.rs",
        include_str!("../runtime/event_sender.rs"),
    ),
    ("event_frame.rs", include_str!("../runtime/event_frame.rs")),
    (
        "client/hyper_io.rs",
        include_str!("../runtime/client/hyper_io.rs"),
    ),
    (
        "client/hyper_h2.rs",
        include_str!("../runtime/client/hyper_h2.rs"),
    ),
    (
        "client/event_signer.rs",
        include_str!("../runtime/client/event_signer.rs"),
    ),
    (
        "client/upload.rs",
        include_str!("../runtime/client/upload.rs"),
    ),
    (
        "client/hyper_transport.rs",
        include_str!("../runtime/client/hyper_transport.rs"),
    ),
    (
        "client/credentials.rs",
        include_str!("../runtime/client/credentials.rs"),
    ),
    (
        "client/body_hashes.rs",
        include_str!("../runtime/client/body_hashes.rs"),
    ),
    ("client/mod.rs", include_str!("../runtime/client/mod.rs")),
    (
        "client/discovery.rs",
        include_str!("../runtime/client/discovery.rs"),
    ),
    ("client/sso.rs", include_str!("../runtime/client/sso.rs")),
    (
        "client/api_call.rs",
        include_str!("../runtime/client/api_call.rs"),
    ),
    (
        "client/provider.rs",
        include_str!("../runtime/client/provider.rs"),
    ),
    (
        "client/presign.rs",
        include_str!("../runtime/client/presign.rs"),
    ),
    (
        "client/adaptive.rs",
        include_str!("../runtime/client/adaptive.rs"),
    ),
    (
        "client/settings.rs",
        include_str!("../runtime/client/settings.rs"),
    ),
    (
        "client/async_client.rs",
        include_str!("../runtime/client/async_client.rs"),
    ),
    (
        "client/blocking.rs",
        include_str!("../runtime/client/blocking.rs"),
    ),
    (
        "client/config.rs",
        include_str!("../runtime/client/config.rs"),
    ),
    ("client/core.rs", include_str!("../runtime/client/core.rs")),
    (
        "client/sdk_error.rs",
        include_str!("../runtime/client/sdk_error.rs"),
    ),
    (
        "client/transport.rs",
        include_str!("../runtime/client/transport.rs"),
    ),
    (
        "client/tests.rs",
        include_str!("../runtime/client/tests.rs"),
    ),
    (
        "client/paginate.rs",
        include_str!("../runtime/client/paginate.rs"),
    ),
    (
        "client/profile.rs",
        include_str!("../runtime/client/profile.rs"),
    ),
    (
        "client/retry.rs",
        include_str!("../runtime/client/retry.rs"),
    ),
    (
        "client/sigv4.rs",
        include_str!("../runtime/client/sigv4.rs"),
    ),
    (
        "client/service_client.rs",
        include_str!("../runtime/client/service_client.rs"),
    ),
    ("client/sts.rs", include_str!("../runtime/client/sts.rs")),
    ("client/url.rs", include_str!("../runtime/client/url.rs")),
    (
        "client/trace.rs",
        include_str!("../runtime/client/trace.rs"),
    ),
    (
        "client/waiter.rs",
        include_str!("../runtime/client/waiter.rs"),
    ),
    (
        "client/ureq_transport.rs",
        include_str!("../runtime/client/ureq_transport.rs"),
    ),
    ("cbor.rs", include_str!("../runtime/cbor.rs")),
    ("checksum.rs", include_str!("../runtime/checksum.rs")),
    ("codec_error.rs", include_str!("../runtime/codec_error.rs")),
    ("crc.rs", include_str!("../runtime/crc.rs")),
    ("document.rs", include_str!("../runtime/document.rs")),
    ("endpoint.rs", include_str!("../runtime/endpoint.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("eventstream.rs", include_str!("../runtime/eventstream.rs")),
    ("gzip.rs", include_str!("../runtime/gzip.rs")),
    ("http.rs", include_str!("../runtime/http.rs")),
    ("http_crate.rs", include_str!("../runtime/http_crate.rs")),
    ("jmespath.rs", include_str!("../runtime/jmespath.rs")),
    ("json.rs", include_str!("../runtime/json.rs")),
    ("number.rs", include_str!("../runtime/number.rs")),
    ("percent.rs", include_str!("../runtime/percent.rs")),
    ("query.rs", include_str!("../runtime/query.rs")),
    ("rest.rs", include_str!("../runtime/rest.rs")),
    ("rpcv2.rs", include_str!("../runtime/rpcv2.rs")),
    ("serde_form.rs", include_str!("../runtime/serde_form.rs")),
    ("server.rs", include_str!("../runtime/server.rs")),
    ("stream.rs", include_str!("../runtime/stream.rs")),
    ("support.rs", include_str!("../runtime/support.rs")),
    ("time.rs", include_str!("../runtime/time.rs")),
    ("token.rs", include_str!("../runtime/token.rs")),
    ("xml.rs", include_str!("../runtime/xml.rs")),
];

/// Where the embedded partition table came from: a copy of the shared
/// `aws/partitions.json`, kept equal to it by a test.
pub const PARTITIONS_FILE: &str = "codegen/data/partitions.json";

/// The partition table every generated crate embeds (`src/partitions.rs`).
pub const PARTITIONS_JSON: &str = include_str!("../data/partitions.json");

/// Where the STS slice the credential providers call came from: the shared
/// STS model (`models/other-protocols/sts-2011-06-15.json`) sliced to
/// [`STS_CREDENTIALS_OPERATIONS`] (documentation dropped, as every slice),
/// kept equal to a fresh slice by a test.
pub const STS_CREDENTIALS_FILE: &str = "codegen/data/sts-credentials.slice.json";

/// The STS operations the credential providers call.
pub const STS_CREDENTIALS_OPERATIONS: [&str; 2] = ["AssumeRole", "AssumeRoleWithWebIdentity"];

/// The STS slice every generated crate's credential providers are
/// generated from (`src/runtime/client/sts_api/`).
pub const STS_CREDENTIALS_JSON: &str = include_str!("../data/sts-credentials.slice.json");

/// An AWS API the credential providers call, embedded as a slice of its
/// model (documentation dropped) and generated into every crate's runtime
/// as `runtime::client::<module>` (the `client` feature).
#[derive(Clone, Copy, Debug)]
pub struct CredentialApi {
    /// The module under `runtime::client`.
    pub module: &'static str,
    /// The slice's path in this repository.
    pub file: &'static str,
    /// The slice.
    pub json: &'static str,
    /// The operations it holds.
    pub operations: &'static [&'static str],
    /// The model it was sliced from, under `../shared/models/`.
    pub source: &'static str,
}

/// The APIs of the credential providers: STS (assume role, web identity),
/// IAM Identity Center's portal (SSO `GetRoleCredentials`) and its OIDC
/// service (`CreateToken`, to refresh an SSO token).
pub const CREDENTIAL_APIS: [CredentialApi; 3] = [
    CredentialApi {
        module: "sts_api",
        file: STS_CREDENTIALS_FILE,
        json: STS_CREDENTIALS_JSON,
        operations: &STS_CREDENTIALS_OPERATIONS,
        source: "other-protocols/sts-2011-06-15.json",
    },
    CredentialApi {
        module: "sso_api",
        file: "codegen/data/sso-credentials.slice.json",
        json: include_str!("../data/sso-credentials.slice.json"),
        operations: &["GetRoleCredentials"],
        source: "other-protocols/sso-2019-06-10.json",
    },
    CredentialApi {
        module: "sso_oidc_api",
        file: "codegen/data/sso-oidc-token.slice.json",
        json: include_str!("../data/sso-oidc-token.slice.json"),
        operations: &["CreateToken"],
        source: "other-protocols/sso-oidc-2019-06-10.json",
    },
];

/// Evaluates a JMESPath expression over a JSON document with the
/// generator's parser and the runtime's evaluator, what a generated waiter
/// runs; the result as JSON text. For tests and tools (it leaks the parsed
/// expression).
#[doc(hidden)]
pub fn jmespath_search(expression: &str, json: &str) -> Result<String, String> {
    lower::jmespath::search(expression, json)
}

/// The embedded partition table, lowered.
pub fn partitions() -> Result<Vec<ir::Partition>, Error> {
    lower::endpoints::partitions(PARTITIONS_FILE, PARTITIONS_JSON)
}

/// Options for the generated crate as a whole.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command named in every file header.
    pub command: String,
    /// Render model documentation (off: only the generator's own docs).
    pub model_docs: bool,
    /// Emit an empty `[workspace]` table so the crate builds on its own.
    pub standalone: bool,
    /// Keep the runtime's own unit tests in the crate. Off for users'
    /// crates; the repository's fixture crate turns it on, so the runtime's
    /// tests run there (and, for what compiles without the client, in the
    /// generator's own tests).
    pub runtime_tests: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            command: "cargo xtask codegen".into(),
            model_docs: true,
            standalone: false,
            runtime_tests: false,
        }
    }
}

/// A generated crate: its files, and the lowered services they came from.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Path relative to the crate directory → final text (formatted, with
    /// headers). Nothing is written.
    pub files: BTreeMap<String, String>,
    /// One lowered service per selected service, in selection order.
    pub services: Vec<ir::Service>,
}

/// Lowers one service of a loaded model.
pub fn lower_service(
    model: &Loaded,
    spec: &ServiceSpec,
    options: &Options,
) -> Result<ir::Service, Error> {
    lower::lower(
        model,
        &lower::Request {
            module: &spec.module,
            service: spec.service.as_deref(),
            operations: &spec.operations,
            all: spec.all,
            model_docs: options.model_docs,
            protocol: spec.protocol.as_deref(),
        },
    )
}

/// Generates a whole crate: `Cargo.toml`, `src/lib.rs`, the runtime and one
/// module per service.
pub fn generate(
    krate: &CrateSpec,
    services: &[(&ServiceSpec, &Loaded)],
    options: &Options,
) -> Result<Generated, Error> {
    krate.check()?;
    let mut lowered = Vec::new();
    for (spec, model) in services {
        lowered.push(lower_service(model, spec, options)?);
    }
    let files = emit::krate::emit_crate(
        krate,
        &lowered,
        &credential_apis()?,
        &partitions()?,
        RUNTIME_FILES,
        &options.command,
        (options.standalone, options.runtime_tests),
    )?;
    Ok(Generated {
        files,
        services: lowered,
    })
}

/// The APIs of the credential providers ([`CREDENTIAL_APIS`]), lowered from
/// their embedded slices: every generated crate carries them inside
/// `runtime::client` (the `client` feature), generated like any service,
/// without model documentation.
pub fn credential_apis() -> Result<Vec<ir::Service>, Error> {
    CREDENTIAL_APIS
        .iter()
        .map(|api| {
            let loaded = Loaded::from_text(api.file, api.json)?;
            let spec = ServiceSpec {
                module: api.module.into(),
                model: api.file.into(),
                upstream: None,
                service: None,
                operations: api.operations.iter().map(|s| s.to_string()).collect(),
                all: false,
                protocol: None,
            };
            let options = Options {
                model_docs: false,
                ..Options::default()
            };
            lower_service(&loaded, &spec, &options)
        })
        .collect()
}

/// The default Rust module name of a service: its shape name in snake case.
pub fn service_module_name(service_id: &str) -> String {
    naming::module_name(model::shape_name(service_id))
}

/// The module name `cargo xtask generate` gives a service by default: its
/// ARN namespace (`dms`, `sagemaker`), which names a service best, else its
/// shape name, in snake case.
pub fn default_module_name(model: &Loaded, service_id: &str) -> String {
    let arn_namespace = model
        .shapes
        .get(service_id)
        .and_then(|s| s.traits.get("aws.api#service"))
        .and_then(|t| t.get("arnNamespace"))
        .and_then(|v| v.as_str());
    naming::module_name(arn_namespace.unwrap_or(model::shape_name(service_id)))
}

/// Every service of a model that speaks a supported protocol and carries
/// protocol compliance cases, with its protocol, sorted by shape id.
pub fn protocol_test_services(model: &Loaded) -> Result<Vec<(String, ir::Protocol)>, Error> {
    lower::cases::services_with_cases(model)
}

/// The protocol compliance cases of one service of a model.
pub fn protocol_cases(model: &Loaded, service_id: &str) -> Result<Vec<ir::ProtocolCase>, Error> {
    lower::cases::cases(model, service_id)
}

/// The protocol compliance cases this project skips: side, direction, case
/// id and the reason, printed with every run.
pub fn protocol_case_skips() -> &'static [(ir::Side, ir::Direction, &'static str, &'static str)] {
    lower::cases::SKIPS
}

/// Generates the protocol compliance test file for a crate holding the
/// given services, lowered from `model`. `krate` is the crate's library name.
pub fn protocol_test_suite(
    krate: &str,
    model: &Loaded,
    services: &[ir::Service],
    command: &str,
) -> Result<Suite, Error> {
    let mut pairs = Vec::new();
    for svc in services {
        pairs.push((svc, lower::cases::cases(model, &svc.shape_id)?));
    }
    emit::protocol_tests::generate(krate, &pairs, command)
}

/// Every service of a model that has an endpoint rule set, with the
/// model's endpoint test cases, sorted by shape id. Protocols do not
/// matter: a rule set needs none.
pub fn endpoint_suites(model: &Loaded) -> Result<Vec<EndpointSuite>, Error> {
    let mut out = Vec::new();
    for (id, shape) in &model.shapes {
        if shape.kind != "service" {
            continue;
        }
        let Some(rules) = lower::endpoints::rule_set(&model.file, id, &shape.traits)? else {
            continue;
        };
        let tests = lower::endpoints::tests(&model.file, id, &shape.traits, &rules)?;
        out.push(EndpointSuite {
            file: model.file.clone(),
            service: id.clone(),
            rules,
            tests,
        });
    }
    Ok(out)
}

/// The endpoint-test crate for these suites: one binary that resolves every
/// case with the generated resolver and prints `passed/total` per service.
pub fn endpoint_test_crate(
    suites: &[EndpointSuite],
    command: &str,
) -> Result<BTreeMap<String, String>, Error> {
    emit::endpoint_tests::generate(suites, &partitions()?, RUNTIME_FILES, command)
}

/// The waiter suite of a crate holding `services` (library name `krate`):
/// a test per waiter through its states against a scripted loopback server.
pub fn waiter_test_suite(krate: &str, services: &[ir::Service]) -> Result<WaiterSuite, Error> {
    emit::waiter_tests::generate(krate, services)
}

/// The differential-test harness crate of a lowered service.
pub fn harness(
    svc: &ir::Service,
    target: &HarnessTarget<'_>,
    command: &str,
) -> Result<BTreeMap<String, String>, Error> {
    emit::harness::generate(svc, target, command)
}

/// Cuts the closure of the selected operations (plus the service shape)
/// out of a model text, without documentation: see `slice`.
pub fn slice(
    file: &str,
    text: &str,
    service: Option<&str>,
    operations: &[String],
) -> Result<String, Error> {
    slice::slice(file, text, service, operations)
}

/// Emission in its two halves, for the generator benchmarks: one service's
/// files as unformatted tokens, formatting one file, and both together.
pub mod bench {
    pub use crate::emit::{emit_service, emit_service_tokens};

    /// Parses and formats a token stream as a file of a service module, the
    /// way `emit_service` does.
    pub fn format_file(
        name: &str,
        tokens: proc_macro2::TokenStream,
    ) -> Result<String, crate::Error> {
        crate::emit::tokens::format_service_file(name, tokens)
    }
}
