//! The selection file (`models/selection.json`): which services, from which
//! model files, with which operations, into which crate.

use serde::Deserialize;

use crate::error::Error;

/// The whole selection.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// The generated crate.
    #[serde(rename = "crate")]
    pub krate: CrateSpec,
    /// Services, each a module of the crate.
    pub services: Vec<ServiceSpec>,
}

/// The generated crate's identity.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CrateSpec {
    /// Package name.
    pub name: String,
    /// Package version.
    #[serde(default = "default_version")]
    pub version: String,
}

fn default_version() -> String {
    "0.1.0".into()
}

impl CrateSpec {
    /// Checks the package name against cargo's rules, so a crate is never
    /// written with a manifest cargo rejects: 1 to 64 ASCII letters,
    /// digits, `-` and `_`, not starting with a digit, and not a Rust
    /// keyword or a name the toolchain reserves (`std`, `core`, `alloc`,
    /// `proc_macro`, `test`).
    pub fn check(&self) -> Result<(), Error> {
        let name = &self.name;
        let problem = if name.is_empty() {
            Some("is empty".to_string())
        } else if name.len() > 64 {
            Some("is longer than 64 characters".to_string())
        } else if let Some(c) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            Some(format!(
                "holds {c:?}; cargo allows only ASCII letters, digits, `-` and `_`"
            ))
        } else if name.starts_with(|c: char| c.is_ascii_digit()) {
            Some("starts with a digit".to_string())
        } else if crate::naming::is_rust_keyword(&name.replace('-', "_"))
            || ["std", "core", "alloc", "proc_macro", "proc-macro", "test"].contains(&name.as_str())
        {
            Some("is a Rust keyword or a name the toolchain reserves".to_string())
        } else {
            None
        };
        match problem {
            None => Ok(()),
            Some(p) => Err(Error::Selection {
                file: "crate name".into(),
                message: format!("{name:?} {p}"),
            }),
        }
    }
}

/// One service of the selection.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Rust module name.
    pub module: String,
    /// The model slice the generator reads, relative to `models/`.
    #[serde(default)]
    pub model: String,
    /// The upstream model file name the slice is cut from.
    #[serde(default)]
    pub upstream: Option<String>,
    /// Service shape id (or name); optional when the model has one service.
    #[serde(default)]
    pub service: Option<String>,
    /// Operation names.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Take every operation of the service instead.
    #[serde(default)]
    pub all: bool,
    /// The protocol to speak when the service declares several (`awsJson1_0`,
    /// `rpcv2Cbor`, ...); by default the AWS SDKs' order picks one.
    #[serde(default)]
    pub protocol: Option<String>,
}

impl Selection {
    /// Parses and checks a selection file.
    pub fn parse(file: &str, text: &str) -> Result<Selection, Error> {
        let sel: Selection = serde_json::from_str(text).map_err(|e| {
            let message = e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string();
            if e.classify() == serde_json::error::Category::Data {
                // Well-formed JSON that is not a selection (unknown or
                // missing field, wrong type).
                Error::Selection {
                    file: format!("{file}:{}:{}", e.line(), e.column()),
                    message,
                }
            } else {
                Error::Json {
                    file: file.to_string(),
                    line: e.line(),
                    column: e.column(),
                    message,
                }
            }
        })?;
        let bad = |message: String| {
            Err(Error::Selection {
                file: file.to_string(),
                message,
            })
        };
        if sel.krate.name.is_empty()
            || !sel
                .krate
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return bad(format!(
                "crate name `{}` is not a valid package name",
                sel.krate.name
            ));
        }
        if sel.services.is_empty() {
            return bad("no services selected".into());
        }
        // Rust module name → the service that took it.
        let mut modules = std::collections::BTreeMap::new();
        for s in &sel.services {
            if s.model.is_empty() {
                return bad(format!("service module `{}` has no `model` file", s.module));
            }
            if s.operations.is_empty() && !s.all {
                return bad(format!(
                    "service module `{}` selects no operations (list them, or set \"all\": true)",
                    s.module
                ));
            }
            if !s
                .module
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || s.module.starts_with(|c: char| c.is_ascii_digit())
            {
                return bad(format!(
                    "module name `{}` must be lowercase snake_case",
                    s.module
                ));
            }
            let rust = crate::naming::module_name(&s.module);
            let owner = s.service.as_deref().unwrap_or(&s.model);
            if rust == "runtime" {
                return bad(format!(
                    "module name `{}` (service `{owner}`) is reserved for the generated runtime",
                    s.module
                ));
            }
            if let Some(other) = modules.insert(rust.clone(), owner) {
                return bad(format!(
                    "module name `{rust}` is used by both `{other}` and `{owner}`; give each service its own `module`"
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            for op in &s.operations {
                if !seen.insert(op) {
                    return bad(format!(
                        "operation `{op}` is listed twice for module `{}`",
                        s.module
                    ));
                }
            }
        }
        Ok(sel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_follow_cargo() {
        let check = |n: &str| {
            CrateSpec {
                name: n.into(),
                version: "0.1.0".into(),
            }
            .check()
            .map_err(|e| e.to_string())
        };
        for ok in ["aws-slim", "my_crate2", "a"] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for (bad, want) in [
            ("my crate", "holds ' '"),
            ("", "is empty"),
            ("2fast", "starts with a digit"),
            ("crate", "Rust keyword"),
            ("std", "reserves"),
            ("naïve", "holds 'ï'"),
        ] {
            let e = check(bad).unwrap_err();
            assert!(
                e.contains(want) && e.starts_with("crate name: "),
                "{bad}: {e}"
            );
        }
        assert!(check(&"x".repeat(65))
            .unwrap_err()
            .contains("longer than 64"));
    }

    #[test]
    fn parses_and_validates() {
        let ok = r#"{"crate":{"name":"x"},"services":[{"module":"svc","model":"m.json","operations":["A"]}]}"#;
        let s = Selection::parse("sel.json", ok).unwrap();
        assert_eq!(s.krate.version, "0.1.0");
        assert_eq!(s.services[0].operations, ["A"]);
        for (bad, want) in [
            (r#"{"crate":{"name":"x"},"services":[]}"#, "no services"),
            (
                r#"{"crate":{"name":"x"},"services":[{"module":"Svc","model":"m","operations":["A"]}]}"#,
                "snake_case",
            ),
            (
                r#"{"crate":{"name":"x"},"services":[{"module":"svc","model":"m"}]}"#,
                "no operations",
            ),
            (
                r#"{"crate":{"name":"x"},"services":[{"module":"svc","model":"m","operations":["A","A"]}]}"#,
                "twice",
            ),
            (
                r#"{"crate":{"name":"x y"},"services":[{"module":"svc","model":"m","operations":["A"]}]}"#,
                "package name",
            ),
            (
                r#"{"crate":{"name":"x"},"services":[{"module":"svc","model":"m","operations":["A"],"extra":1}]}"#,
                "unknown field",
            ),
            (
                r#"{"crate":{"name":"x"},"services":[{"module":"svc","model":"m","operations":["A"]},
                    {"module":"svc","model":"n","service":"b#S","operations":["A"]}]}"#,
                "module name `svc` is used by both `m` and `b#S`",
            ),
            (
                r#"{"crate":{"name":"x"},"services":[{"module":"runtime","model":"m","operations":["A"]}]}"#,
                "reserved",
            ),
        ] {
            let err = Selection::parse("sel.json", bad).unwrap_err().to_string();
            assert!(
                err.contains(want) && err.contains("sel.json"),
                "{bad}: {err}"
            );
        }
    }
}
