//! The endpoint-test crate: every service's resolver (the same
//! `endpoint.rs` the generated crate holds) and its model's
//! `smithy.rules#endpointTests` cases, in one binary that prints
//! `passed/total` per service and every failure, and exits non-zero on one.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::endpoint::{emit_endpoint_file, emit_partitions_file};
use super::tokens::{format_file, ident};
use crate::error::Error;
use crate::ir::*;

/// One service's rule set and its test cases.
#[derive(Debug, Clone)]
pub struct EndpointSuite {
    /// The model file it came from.
    pub file: String,
    /// The service shape id.
    pub service: String,
    /// The lowered rule set.
    pub rules: EndpointRules,
    /// The model's test cases.
    pub tests: Vec<EndpointTest>,
}

/// The hand-written half of the crate: expectations and the comparison.
const SUPPORT: &str = r#"
/// What a case expects.
pub(crate) enum Expect {
    /// An endpoint: URL, headers, properties as JSON text.
    Endpoint(&'static str, &'static [(&'static str, &'static [&'static str])], &'static str),
    /// An error message.
    Error(&'static str),
}

/// How a case ended.
pub(crate) enum Outcome {
    /// As expected.
    Passed,
    /// Expected an error the current partition table no longer gives, and
    /// gives it once one partition's FIPS and dual-stack support are off:
    /// the case was written for older partition data.
    OlderPartitionData(String),
    /// Not as expected.
    Failed(String),
}

type Resolve<'a> = &'a dyn Fn(
    &[runtime::endpoint::Partition<'static>],
) -> Result<runtime::Endpoint, runtime::ResolveError>;

/// Resolves a case with the crate's partitions and checks the result; an
/// expected error that does not come out is tried against each partition
/// with its FIPS and dual-stack support off.
pub(crate) fn check(number: usize, resolve: Resolve<'_>, expect: Expect) -> Outcome {
    let Some(failure) = compare(number, resolve(crate::partitions::PARTITIONS), &expect) else {
        return Outcome::Passed;
    };
    if let Expect::Error(_) = expect {
        for (i, p) in crate::partitions::PARTITIONS.iter().enumerate() {
            if !(p.outputs.supports_fips || p.outputs.supports_dual_stack) {
                continue;
            }
            let mut older = crate::partitions::PARTITIONS.to_vec();
            older[i].outputs.supports_fips = false;
            older[i].outputs.supports_dual_stack = false;
            if compare(number, resolve(&older), &expect).is_none() {
                return Outcome::OlderPartitionData(format!(
                    "case {number}: passes with `{}` supporting neither FIPS nor dual-stack ({failure})",
                    p.id
                ));
            }
        }
    }
    Outcome::Failed(failure)
}

fn compare(
    number: usize,
    got: Result<runtime::Endpoint, runtime::ResolveError>,
    expect: &Expect,
) -> Option<String> {
    match (got, expect) {
        (Err(e), Expect::Error(want)) if e.message() == *want => None,
        (Err(e), Expect::Error(want)) => {
            Some(format!("case {number}: error {:?}, expected error {want:?}", e.message()))
        }
        (Err(e), Expect::Endpoint(url, _, _)) => {
            Some(format!("case {number}: error {:?}, expected {url}", e.message()))
        }
        (Ok(e), Expect::Error(want)) => {
            Some(format!("case {number}: {}, expected error {want:?}", e.url))
        }
        (Ok(e), Expect::Endpoint(url, headers, properties)) => {
            let mut diffs = Vec::new();
            if e.url != *url {
                diffs.push(format!("url {}, expected {url}", e.url));
            }
            let want_headers: Vec<(String, Vec<String>)> = headers
                .iter()
                .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
                .collect();
            let mut got_headers = e.headers.clone();
            got_headers.sort();
            let mut want_sorted = want_headers.clone();
            want_sorted.sort();
            if got_headers != want_sorted {
                diffs.push(format!("headers {got_headers:?}, expected {want_sorted:?}"));
            }
            let want = runtime::json::JsonReader::new(properties.as_bytes()).read_document();
            let got = runtime::Document::Object(e.properties.clone());
            match want {
                Ok(want) if want == got => {}
                Ok(want) => diffs.push(format!("properties {got:?}, expected {want:?}")),
                Err(err) => diffs.push(format!("expected properties unreadable: {err}")),
            }
            if diffs.is_empty() {
                None
            } else {
                Some(format!("case {number}: {}", diffs.join("; ")))
            }
        }
    }
}
"#;

/// The crate's files, relative to its directory. `runtime` is the runtime
/// copy (path under `src/runtime/`, text).
pub(crate) fn generate(
    suites: &[EndpointSuite],
    partitions: &[Partition],
    runtime: &[(&str, &str)],
    command: &str,
) -> Result<BTreeMap<String, String>, Error> {
    let header = format!("// @generated by `{command}`. Do not edit by hand.\n");
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        format!(
            "# @generated by `{command}`. Do not edit by hand.\n\
             [package]\nname = \"endpoint-tests\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [features]\ndefault = [\"endpoints\"]\nendpoints = []\n\n\
             # The runtime's other features, known so its cfgs are; never enabled here.\n\
             [lints.rust]\nunexpected_cfgs = {{ level = \"warn\", check-cfg = ['cfg(feature, values(\"client\", \"serde\", \"http\", \"tracing\"))'] }}\n\n\
             [workspace]\n"
        ),
    );
    for (name, text) in runtime {
        files.insert(format!("src/runtime/{name}"), format!("{header}\n{text}"));
    }
    files.insert(
        "src/partitions.rs".to_string(),
        format!(
            "{header}\n{}",
            format_file("src/partitions.rs", emit_partitions_file(partitions))?
        ),
    );
    let mut mods = Vec::new();
    let mut runs = Vec::new();
    for (i, suite) in suites.iter().enumerate() {
        let module = format!("service_{i}");
        let path = format!("src/{module}.rs");
        let resolver = emit_endpoint_file(&suite.rules);
        let cases = suite.tests.iter().map(|t| case(&suite.rules, t));
        let text = format_file(
            &path,
            quote! {
                #resolver

                /// Every case of the model's `smithy.rules#endpointTests`.
                pub(crate) fn run() -> ::std::vec::Vec<crate::support::Outcome> {
                    ::std::vec![#(#cases),*]
                }
            },
        )?;
        files.insert(path, format!("{header}\n{text}"));
        let m = ident(&module);
        mods.push(quote!(mod #m;));
        let label = format!("{} ({})", suite.service, suite.file);
        runs.push(quote!((#label, #m::run())));
    }
    let main = format_file(
        "src/main.rs",
        quote! {
            //! Runs every endpoint test case and prints `passed/total` per service.
            #![allow(dead_code, unused_imports)]

            mod partitions;
            mod runtime;
            mod support;
            #(#mods)*

            fn main() -> ::std::process::ExitCode {
                use support::Outcome;
                let mut failed = false;
                for (service, results) in [#(#runs),*] {
                    let passed = results.iter().filter(|r| matches!(r, Outcome::Passed)).count();
                    let older = results
                        .iter()
                        .filter(|r| matches!(r, Outcome::OlderPartitionData(_)))
                        .count();
                    let note = if older > 0 {
                        format!(", {older} written for older partition data")
                    } else {
                        String::new()
                    };
                    println!("{service}: {passed}/{} endpoint tests passed{note}", results.len());
                    for r in results {
                        match r {
                            Outcome::Passed => {}
                            Outcome::OlderPartitionData(why) => println!("  OLDER PARTITION DATA {why}"),
                            Outcome::Failed(why) => {
                                println!("  FAILED {why}");
                                failed = true;
                            }
                        }
                    }
                }
                if failed {
                    ::std::process::ExitCode::FAILURE
                } else {
                    ::std::process::ExitCode::SUCCESS
                }
            }
        },
    )?;
    files.insert("src/main.rs".to_string(), format!("{header}\n{main}"));
    files.insert(
        "src/support.rs".to_string(),
        format!("{header}\n//! Expectations and their check.\n\nuse crate::runtime;\n{SUPPORT}"),
    );
    Ok(files)
}

fn case(rules: &EndpointRules, t: &EndpointTest) -> TokenStream {
    let fields = t.params.iter().map(|(index, value)| {
        let p = &rules.params[*index];
        let name = ident(&p.field);
        let v = match value {
            EndpointLiteral::Bool(b) => quote!(#b),
            EndpointLiteral::Str(s) => quote!(::std::string::String::from(#s)),
            EndpointLiteral::StrArray(items) => {
                quote!(::std::vec![#(::std::string::String::from(#items)),*])
            }
        };
        let v = if p.default.is_some() {
            v
        } else {
            quote!(::std::option::Option::Some(#v))
        };
        quote!(#name: #v,)
    });
    let number = Literal::usize_unsuffixed(t.number);
    let expect = match &t.expect {
        EndpointExpect::Error(message) => quote!(crate::support::Expect::Error(#message)),
        EndpointExpect::Endpoint {
            url,
            headers,
            properties,
        } => {
            let headers = headers.iter().map(|(k, vs)| quote!((#k, &[#(#vs),*])));
            quote!(crate::support::Expect::Endpoint(#url, &[#(#headers),*], #properties))
        }
    };
    quote! {
        crate::support::check(
            #number,
            &|partitions| {
                Params { #(#fields)* ..::std::default::Default::default() }.resolve_with(partitions)
            },
            #expect,
        )
    }
}
