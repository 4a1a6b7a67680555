//! The stage map, enforced: every module of the generator may import only
//! from the modules listed for it here (its own stage and earlier ones), so
//! the pipeline `ast → model → lower → ir → emit` has no cycle and no
//! emitter reaches back into the model or into lowering. Test code (the
//! `mod tests` at the end of a file) may build IR through lowering and is
//! not checked. `ARCHITECTURE.md` explains the map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The generator's modules and what each may import.
const ALLOWED: &[(&str, &[&str])] = &[
    // Leaves: shared by every stage, importing nothing.
    ("error", &[]),
    ("naming", &[]),
    ("docs", &[]),
    ("ir", &[]),
    // Stage 1: the model.
    ("ast", &["error"]),
    ("model", &["ast", "error"]),
    ("selection", &["error", "naming"]),
    ("slice", &["model", "error"]),
    // Stage 2: lowering, the only stage that decides.
    ("lower", &["ast", "model", "ir", "naming", "docs", "error"]),
    // Beside emission: the API difference of two lowered services.
    ("diff", &["ir"]),
    // Stage 3: emission reads the IR only.
    ("emit", &["ir", "docs", "error", "selection"]),
];

/// The `crate::<module>` paths of a source text, before its unit tests.
fn imports(text: &str) -> BTreeSet<String> {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(end) => &text[..end],
        None => text,
    };
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let preceded_by_ident = code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if preceded_by_ident {
            continue;
        }
        let name: String = code[i + "crate::".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        out.insert(name);
    }
    out
}

/// Every `.rs` file below `dir`, by its top-level module name.
fn files(dir: &Path, module: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("the source directory reads")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let owner = module.map_or(stem.clone(), String::from);
        if path.is_dir() {
            files(&path, Some(&owner), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((owner, path));
        }
    }
}

#[test]
fn every_stage_imports_only_from_earlier_stages() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&src, None, &mut list);
    let mut checked = BTreeSet::new();
    let mut violations = Vec::new();
    for (module, path) in &list {
        // The facade wires the stages together; this file and the test
        // model builder are test code.
        if ["lib", "stage_order", "test_model"].contains(&module.as_str()) {
            continue;
        }
        let may = allowed.get(module.as_str()).unwrap_or_else(|| {
            panic!(
                "{}: module `{module}` is missing from ALLOWED",
                path.display()
            )
        });
        checked.insert(module.clone());
        let text = std::fs::read_to_string(path).expect("the source file reads");
        for import in imports(&text) {
            let is_stage = allowed.contains_key(import.as_str());
            if is_stage && import != *module && !may.contains(&import.as_str()) {
                violations.push(format!("{} imports crate::{import}", path.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "stage order broken:\n{}",
        violations.join("\n")
    );
    let expected: BTreeSet<String> = allowed.keys().map(|k| k.to_string()).collect();
    assert_eq!(checked, expected, "every listed module exists");
}

#[test]
fn the_import_scanner_sees_paths_and_skips_tests() {
    let text = "use crate::ir::*;\nfn f() { crate::lower::lower(); my_crate::model::x(); }\n\
                #[cfg(test)]\nmod tests { use crate::model::Loaded; }\n";
    let got: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(got, ["ir", "lower"]);
}

#[test]
fn an_emitter_importing_lowering_is_caught() {
    let emit = ALLOWED.iter().find(|(m, _)| *m == "emit").map(|(_, a)| *a);
    let emit = emit.expect("emit is listed");
    for forbidden in ["ast", "model", "lower", "naming"] {
        assert!(
            !emit.contains(&forbidden),
            "emit may not import {forbidden}"
        );
    }
    let lower = ALLOWED.iter().find(|(m, _)| *m == "lower").map(|(_, a)| *a);
    assert!(!lower.expect("lower is listed").contains(&"emit"));
}
