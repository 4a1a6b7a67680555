//! The one place where Rust names are decided.
//!
//! Every generated identifier (type, field, setter, enum variant, module, error enum) is derived from a
//! Smithy name by one of the functions here, so the rules are stated, implemented and tested in a
//! single module:
//!
//! * Input characters other than ASCII letters and digits act as word separators and are dropped
//!   (Smithy identifiers are ASCII; enum *values* may not be, but only member names reach here).
//!   Words are then recased with [`heck`], which also splits acronyms (`AWSKMSKeyARN` becomes the
//!   words `AWSKMS`, `Key`, `ARN`).
//! * Generated code spells every std path in full (`::std::string::String`), so a model type named
//!   `String`, `Option`, `Result`, `Box` or `Vec` keeps its name. The only keyword that can appear
//!   in type position is `Self`, which becomes `SelfValue`.
//! * Field names that are keywords become raw identifiers (`r#type`), except the four keywords
//!   that cannot be raw (`self`, `super`, `crate`, `Self`), which get a trailing underscore.
//!   Module names cannot be raw, so every keyword gets a trailing underscore there.
//! * Names that would start with a digit get a prefix (`V` for camel-case names, `_` for snake and
//!   screaming-snake names); names that end up empty become `Unnamed` / `unnamed` / `UNNAMED`.
//!
//! Recasing is lossy (`fooBar` and `FooBar` both become the field `foo_bar`), so every scope
//! (fields of a struct, variants of an enum, types of a module, rule-set variables, client
//! methods) goes through [`distinct`], which keeps the first of two equal names and numbers the
//! later ones (`foo_bar_2`, `FooBar2`), deterministically in the caller's order.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, 2021 edition, plus `gen` which is reserved in 2024).
///
/// Weak keywords (`union`, `macro_rules`, `raw`, `safe`, `'static`) are ordinary identifiers in
/// the positions the generator uses and are deliberately not listed.
const KEYWORDS: &[&str] = &[
    // strict
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", // reserved
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is rejected by the compiler).
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate"];

/// Name of the catch-all variant every generated enum and union carries.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Returns `true` if `s` is a Rust keyword (strict or reserved) and therefore cannot be used as a
/// plain identifier. Case-sensitive: `Type` is not a keyword, `type` is; `Self` is.
pub fn is_rust_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Replaces every character that is not an ASCII letter or digit by a space, so that `heck`
/// treats it as a word separator and it never reaches an identifier.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn starts_with_digit(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// Shared UpperCamelCase rule for types and variants: recase, fix a leading digit, handle `Self`
/// and the empty name.
fn camel(name: &str) -> String {
    let s = sanitize(name).to_upper_camel_case();
    if s.is_empty() {
        "Unnamed".to_owned()
    } else if starts_with_digit(&s) {
        format!("V{s}")
    } else if s == "Self" {
        "SelfValue".to_owned()
    } else {
        s
    }
}

/// Shared snake_case rule for fields and modules (keywords handled by the callers).
fn snake(name: &str) -> String {
    let s = sanitize(name).to_snake_case();
    if s.is_empty() {
        "unnamed".to_owned()
    } else if starts_with_digit(&s) {
        format!("_{s}")
    } else {
        s
    }
}

/// Rust type name (struct, enum, type alias) for a Smithy shape name.
///
/// UpperCamelCase via `heck`: `AWSKMSKeyARN` → `AwskmsKeyArn`, `StopReplicationMessage`
/// unchanged. Std names such as `String`, `Option`, `Result` are kept (generated code fully
/// qualifies std paths). `Self` → `SelfValue`; a leading digit gets a `V` prefix (`3DPoint` →
/// `V3dPoint`); a name with no letters or digits becomes `Unnamed`.
pub fn type_name(smithy_name: &str) -> String {
    camel(smithy_name)
}

/// Rust field name for a Smithy member name, in textual form (raw identifiers as `r#name`).
///
/// snake_case via `heck`: `ReplicationConfigArn` → `replication_config_arn`, `AWSKMSKeyARN` →
/// `awskms_key_arn`. Keywords become raw identifiers (`type` → `r#type`), except `self`, `super`
/// and `crate`, which cannot be raw and get a trailing underscore (`self_`). A leading digit gets
/// a `_` prefix (`1stPlace` → `_1st_place`); an empty result becomes `unnamed`.
///
/// Use [`split_raw`] to turn the result into an identifier (`Ident::new_raw` for raw names).
pub fn field_name(member_name: &str) -> String {
    let s = snake(member_name);
    if NON_RAW_KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else if is_rust_keyword(&s) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Splits a name produced by this module into (is it a raw identifier, bare name):
/// `"r#type"` → `(true, "type")`, `"name"` → `(false, "name")`.
pub fn split_raw(name: &str) -> (bool, &str) {
    match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    }
}

/// Rust variant name for an enum member or union member name.
///
/// UpperCamelCase via `heck`: `FULL_LOAD` → `FullLoad`, `full-load-and-cdc` → `FullLoadAndCdc`,
/// `_1` → `V1` (leading digit gets `V`), `Self` → `SelfValue`, empty → `Unnamed`.
///
/// Generated enums and unions have their own catch-all variant [`UNKNOWN_VARIANT`] (`Unknown`)
/// for values this version of the model does not know; a model member whose name would become
/// `Unknown` (`UNKNOWN`, `unknown`) is therefore renamed `UnknownValue`.
pub fn variant_name(enum_member_name: &str) -> String {
    let s = camel(enum_member_name);
    if s == UNKNOWN_VARIANT {
        "UnknownValue".to_owned()
    } else {
        s
    }
}

/// Rust module name: snake_case like [`field_name`], but modules cannot be raw identifiers, so
/// every keyword gets a trailing underscore (`type` → `type_`, `self` → `self_`).
pub fn module_name(name: &str) -> String {
    let s = snake(name);
    if is_rust_keyword(&s) {
        format!("{s}_")
    } else {
        s
    }
}

/// Rust constant name: SCREAMING_SNAKE_CASE of [`field_name`]'s snake case
/// (`partitionResult` → `PARTITION_RESULT`, `UseFIPS` → `USE_FIPS`). No
/// keyword is upper case, so none needs escaping.
pub fn const_name(name: &str) -> String {
    snake(name).to_ascii_uppercase()
}

/// Name of the generated server request enum (reserved in every service module).
pub const REQUEST_ENUM: &str = "ServiceRequest";
/// Name of the generated server response enum (reserved in every service module).
pub const RESPONSE_ENUM: &str = "ServiceResponse";
/// Name of the catch-all variant of every operation error enum.
pub const UNHANDLED_VARIANT: &str = "Unhandled";

/// The `with_*` setter of a field: `with_` and the bare field name, without
/// the raw prefix (`r#type` → `with_type`) or the underscore that escapes a
/// keyword that cannot be raw (`self_` → `with_self`).
pub fn setter_name(field: &str) -> String {
    let (_, bare) = split_raw(field);
    let bare = if NON_RAW_KEYWORDS.contains(&bare.trim_end_matches('_')) {
        bare.trim_end_matches('_')
    } else {
        bare
    };
    format!("with_{bare}")
}

/// The setter adding one element to a list member (`with_tags_item`) or
/// one entry to a map member (`with_item_entry`), from its `with_*` setter.
pub fn entry_setter_name(setter: &str, map: bool) -> String {
    format!("{setter}_{}", if map { "entry" } else { "item" })
}

/// The operation error enum's name: `<Op>Error`, or `<Op>OperationError`
/// when `taken` says a model type already has the first.
pub fn error_enum_name(operation: &str, taken: impl Fn(&str) -> bool) -> String {
    let name = format!("{operation}Error");
    if taken(&name) {
        format!("{operation}OperationError")
    } else {
        name
    }
}

/// The variant of an error structure in an operation error enum: its type
/// name, unless that is the catch-all's name (`Unhandled` → `UnhandledError`).
pub fn error_variant_name(type_name: &str) -> String {
    if type_name == UNHANDLED_VARIANT {
        format!("{type_name}Error")
    } else {
        type_name.to_owned()
    }
}

/// Methods every generated client has, which an operation method must not shadow.
const CLIENT_METHODS: &[&str] = &["new", "config", "inner", "call_with", "clone", "fmt"];

/// The client method of an operation: its name in snake case
/// (`StopReplication` → `stop_replication`), with `_operation` appended
/// when that is a keyword or one of the client's own methods.
pub fn client_method_name(operation: &str) -> String {
    let s = snake(operation);
    if is_rust_keyword(&s) || CLIENT_METHODS.contains(&s.as_str()) {
        format!("{s}_operation")
    } else {
        s
    }
}

/// The client method returning an operation's paginator:
/// `list_pipelines` → `list_pipelines_pages`.
pub fn paginator_method(client_method: &str) -> String {
    format!("{}_pages", client_method.trim_end_matches("_operation"))
}

/// The client method of a waiter: `ReplicationTaskStopped` →
/// `wait_until_replication_task_stopped`.
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", snake(waiter))
}

/// A Rust function name for a protocol-test case id: the id itself when it
/// is a plain identifier (ids are written that way), otherwise a sanitized form.
pub fn test_fn_name(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "case_");
    }
    if is_rust_keyword(&s) || s == "_" {
        s.push('_');
    }
    s
}

/// Makes names distinct within one scope: each name, in order, that equals
/// an earlier one (or one of `taken`) gets the first free numbered form:
/// `_2`, `_3`, ... for snake and screaming-snake names (`foo_bar_2`,
/// `ACCESS_POINT_NAME_2`), `2`, `3`, ... for camel-case ones (`FooBar2`). A
/// raw identifier loses its `r#` once numbered (`r#type` → `type_2`).
pub fn distinct(names: &[String], taken: &[&str]) -> Vec<String> {
    let mut used: std::collections::BTreeSet<String> =
        taken.iter().map(|t| t.to_string()).collect();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let mut chosen = name.clone();
        if used.contains(&chosen) {
            let (_, bare) = split_raw(name);
            let bare = bare.trim_end_matches('_');
            let snake = bare
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                || bare.contains('_');
            let sep = if snake { "_" } else { "" };
            let mut n = 2;
            loop {
                chosen = format!("{bare}{sep}{n}");
                if !used.contains(&chosen) {
                    break;
                }
                n += 1;
            }
        }
        used.insert(chosen.clone());
        out.push(chosen);
    }
    out
}

/// Finds the first pair of original names that map to the same Rust name.
///
/// Items are `(original, rust_name)` pairs, examined in the given order; the result is
/// `(earlier_original, later_original, rust_name)` for the first item whose Rust name was already
/// produced by an earlier one, so the answer is deterministic for a deterministic input order.
/// An original listed twice is reported as well (it would produce the same Rust name twice).
pub fn find_collision<'a>(
    names: impl IntoIterator<Item = (&'a str, String)>,
) -> Option<(&'a str, &'a str, String)> {
    let mut seen: std::collections::BTreeMap<String, &'a str> = std::collections::BTreeMap::new();
    for (original, rust) in names {
        if let Some(&earlier) = seen.get(&rust) {
            return Some((earlier, original, rust));
        }
        seen.insert(rust, original);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which naming function a table row exercises.
    #[derive(Clone, Copy, Debug)]
    enum Kind {
        Type,
        Field,
        Variant,
        Module,
        Setter,
        Method,
    }

    fn apply(kind: Kind, input: &str) -> String {
        match kind {
            Kind::Type => type_name(input),
            Kind::Field => field_name(input),
            Kind::Variant => variant_name(input),
            Kind::Module => module_name(input),
            Kind::Setter => setter_name(&field_name(input)),
            Kind::Method => client_method_name(input),
        }
    }

    /// Parses `name` as a Rust identifier (raw identifiers included).
    fn assert_valid_ident(name: &str, context: &str) {
        if let Err(e) = syn::parse_str::<syn::Ident>(name) {
            panic!("{context}: {name:?} is not a valid Rust identifier: {e}");
        }
    }

    use Kind::*;

    const TABLE: &[(Kind, &str, &str)] = &[
        // client methods
        (Method, "StopReplication", "stop_replication"),
        (Method, "New", "new_operation"),
        (Method, "Config", "config_operation"),
        (Method, "Clone", "clone_operation"),
        (Method, "Move", "move_operation"),
        (Method, "ListAWSKMSKeys", "list_awskms_keys"),
        // setters, as the crate and the protocol-test generator both call them
        (Setter, "Foo", "with_foo"),
        (Setter, "WithFoo", "with_with_foo"),
        (Setter, "type", "with_type"),
        (Setter, "self", "with_self"),
        (Setter, "super", "with_super"),
        (Setter, "crate", "with_crate"),
        (Setter, "Self", "with_self"),
        (Setter, "match_", "with_match"),
        (Setter, "1stPlace", "with__1st_place"),
        // acronyms
        (Type, "AWSKMSKeyARN", "AwskmsKeyArn"),
        (Field, "AWSKMSKeyARN", "awskms_key_arn"),
        (Field, "SSEKMSKeyId", "ssekms_key_id"),
        (Type, "ARNList", "ArnList"),
        (Field, "ARNList", "arn_list"),
        (Type, "S3Uri", "S3Uri"),
        (Field, "S3Uri", "s3_uri"),
        (Type, "KMSKeyId", "KmsKeyId"),
        (Field, "KMSKeyId", "kms_key_id"),
        (Type, "VPCConfig", "VpcConfig"),
        (Field, "VPCConfig", "vpc_config"),
        (Type, "IPv6Address", "IPv6Address"),
        (Field, "IPv6Address", "i_pv6_address"),
        // ordinary names
        (Type, "StopReplicationMessage", "StopReplicationMessage"),
        (Field, "ReplicationConfigArn", "replication_config_arn"),
        (Field, "message", "message"),
        (Field, "already_snake_case", "already_snake_case"),
        (Module, "ReplicationTasks", "replication_tasks"),
        // std names stay (generated code fully qualifies std paths)
        (Type, "Result", "Result"),
        (Type, "Option", "Option"),
        (Type, "String", "String"),
        (Type, "Box", "Box"),
        (Type, "Vec", "Vec"),
        (Type, "string", "String"),
        (Field, "Result", "result"),
        (Field, "String", "string"),
        // keywords
        (Type, "Self", "SelfValue"),
        (Type, "self", "SelfValue"),
        (Type, "type", "Type"),
        (Field, "type", "r#type"),
        (Field, "Type", "r#type"),
        (Field, "match", "r#match"),
        (Field, "async", "r#async"),
        (Field, "gen", "r#gen"),
        (Field, "Box", "r#box"),
        (Field, "self", "self_"),
        (Field, "Self", "self_"),
        (Field, "crate", "crate_"),
        (Field, "super", "super_"),
        (Field, "union", "union"),
        (Variant, "Self", "SelfValue"),
        (Variant, "type", "Type"),
        (Module, "type", "type_"),
        (Module, "self", "self_"),
        (Module, "crate", "crate_"),
        (Module, "mod", "mod_"),
        // leading digits
        (Type, "3DPoint", "V3dPoint"),
        (Field, "1stPlace", "_1st_place"),
        (Variant, "_1", "V1"),
        (Variant, "2xlarge", "V2xlarge"),
        (Module, "2020Api", "_2020api"),
        // underscores, dashes, dots, spaces, non-ASCII
        (Variant, "FULL_LOAD", "FullLoad"),
        (Variant, "full-load-and-cdc", "FullLoadAndCdc"),
        (Variant, "us-east-1", "UsEast1"),
        (Variant, "m5.large", "M5Large"),
        (Field, "__private__", "private"),
        (Field, "with space", "with_space"),
        (Type, "caf\u{e9}Menu", "CafMenu"),
        // the catch-all variant is reserved
        (Variant, "Unknown", "UnknownValue"),
        (Variant, "UNKNOWN", "UnknownValue"),
        (Type, "Unknown", "Unknown"),
        // nothing usable left
        (Type, "", "Unnamed"),
        (Type, "___", "Unnamed"),
        (Field, "-", "unnamed"),
        (Variant, "*", "Unnamed"),
        (Module, "", "unnamed"),
    ];

    #[test]
    fn naming_table() {
        let mut failures = Vec::new();
        for &(kind, input, expected) in TABLE {
            let got = apply(kind, input);
            if got != expected {
                failures.push(format!(
                    "{kind:?}({input:?}) = {got:?}, expected {expected:?}"
                ));
            }
            assert_valid_ident(&got, &format!("{kind:?}({input:?})"));
        }
        assert!(
            failures.is_empty(),
            "naming mismatches:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn every_kind_of_every_input_is_a_valid_identifier() {
        let mut inputs: Vec<&str> = TABLE.iter().map(|row| row.1).collect();
        inputs.extend(KEYWORDS);
        inputs.extend([
            "_",
            "r#type",
            "0",
            "9lives",
            "\u{1F600}",
            "a\u{0}b",
            "x\u{b2}",
        ]);
        for input in inputs {
            for kind in [Type, Field, Variant, Module, Setter, Method] {
                let got = apply(kind, input);
                assert_valid_ident(&got, &format!("{kind:?}({input:?})"));
                if !matches!(kind, Field) {
                    assert!(
                        !got.starts_with("r#"),
                        "{kind:?}({input:?}) = {got:?} is raw"
                    );
                }
            }
        }
    }

    #[test]
    fn keywords() {
        for kw in KEYWORDS {
            assert!(is_rust_keyword(kw));
            let field = field_name(kw);
            let (raw, bare) = split_raw(&field);
            if NON_RAW_KEYWORDS.contains(&bare.trim_end_matches('_')) {
                assert!(!raw, "{kw} must not be raw");
                assert!(field.ends_with('_'), "{kw} → {field}");
            } else if kw.chars().all(|c| c.is_ascii_lowercase()) {
                assert!(raw, "{kw} → {field} should be raw");
                assert_eq!(bare, *kw);
            }
            assert!(!is_rust_keyword(&module_name(kw)), "module {kw}");
        }
        assert!(!is_rust_keyword("Type"));
        assert!(!is_rust_keyword("union"));
        assert!(!is_rust_keyword("String"));
    }

    #[test]
    fn split_raw_forms() {
        assert_eq!(split_raw("r#type"), (true, "type"));
        assert_eq!(split_raw("type_"), (false, "type_"));
        assert_eq!(split_raw("rust"), (false, "rust"));
        assert_eq!(split_raw(&field_name("loop")), (true, "loop"));
    }

    #[test]
    fn collisions() {
        let fields = ["fooBar", "other", "FooBar"];
        assert_eq!(
            find_collision(fields.iter().map(|n| (*n, field_name(n)))),
            Some(("fooBar", "FooBar", "foo_bar".to_owned()))
        );
        let types = ["ARN", "Arn"];
        assert_eq!(
            find_collision(types.iter().map(|n| (*n, type_name(n)))),
            Some(("ARN", "Arn", "Arn".to_owned()))
        );
        // A model member renamed to avoid the catch-all does not collide with it ...
        let variants = ["Unknown", "Known"];
        let mut names: Vec<(&str, String)> =
            variants.iter().map(|n| (*n, variant_name(n))).collect();
        names.push(("<catch-all>", UNKNOWN_VARIANT.to_owned()));
        assert_eq!(find_collision(names), None);
        // ... but two members that both map to `UnknownValue` do.
        let variants = ["UNKNOWN", "UnknownValue"];
        assert_eq!(
            find_collision(variants.iter().map(|n| (*n, variant_name(n)))),
            Some(("UNKNOWN", "UnknownValue", "UnknownValue".to_owned()))
        );
        // The first colliding pair in input order is reported.
        let fields = ["a_b", "x", "X", "aB"];
        assert_eq!(
            find_collision(fields.iter().map(|n| (*n, field_name(n)))),
            Some(("x", "X", "x".to_owned()))
        );
        let distinct = ["Alpha", "Beta", "Gamma"];
        assert_eq!(
            find_collision(distinct.iter().map(|n| (*n, type_name(n)))),
            None
        );
        assert_eq!(find_collision(Vec::<(&str, String)>::new()), None);
    }

    #[test]
    fn distinct_numbers_later_names_in_their_case_style() {
        let v = |names: &[&str]| -> Vec<String> { names.iter().map(|n| n.to_string()).collect() };
        for (names, taken, want) in [
            (
                &["foo_bar", "foo_bar", "foo_bar"][..],
                &[][..],
                &["foo_bar", "foo_bar_2", "foo_bar_3"][..],
            ),
            (&["FooBar", "FooBar"], &[], &["FooBar", "FooBar2"]),
            (
                &["ACCESS_POINT_NAME", "ACCESS_POINT_NAME"],
                &[],
                &["ACCESS_POINT_NAME", "ACCESS_POINT_NAME_2"],
            ),
            (&["r#type", "r#type"], &[], &["r#type", "type_2"]),
            (&["self_", "self_"], &[], &["self_", "self_2"]),
            (
                &["ServiceRequest"],
                &["ServiceRequest"],
                &["ServiceRequest2"],
            ),
            (&["x_2", "x", "x"], &[], &["x_2", "x", "x_3"]),
            (&["a", "b"], &[], &["a", "b"]),
        ] {
            let got = distinct(&v(names), taken);
            assert_eq!(got, v(want), "{names:?} beside {taken:?}");
            for g in &got {
                assert_valid_ident(g, "distinct");
            }
        }
    }
}
