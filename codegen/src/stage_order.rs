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
    let code = &text[..crate::emit::krate::tests_start(text).unwrap_or(text.len())];
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

/// The sibling modules a source text names through `super::`, before its
/// unit tests: `super::x` paths and the names of `use super::{..}` groups.
fn sibling_refs(text: &str) -> BTreeSet<String> {
    let code = &text[..crate::emit::krate::tests_start(text).unwrap_or(text.len())];
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("super::") {
        // `super::super::x` names the parent's sibling, not ours.
        if code[..i].ends_with("::") {
            continue;
        }
        let rest = &code[i + "super::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|n| word(n.trim())));
        } else {
            out.insert(word(rest));
        }
    }
    out.retain(|n| !n.is_empty() && n != "super");
    out
}

/// The file-level import cycles among the sibling files of one directory:
/// `edges` maps a file (its module name) to the siblings it names. Each
/// cycle is listed once, from its smallest member.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = BTreeSet::new();
    for start in edges.keys() {
        // Paths from `start`, depth-first, bounded by the number of files.
        let mut stack: Vec<Vec<String>> = vec![vec![start.clone()]];
        while let Some(path) = stack.pop() {
            let last = path.last().map(String::as_str).unwrap_or_default();
            for next in edges.get(last).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    let min = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                    cycle.rotate_left(min);
                    found.insert(cycle);
                } else if !path.contains(next) && next > start {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    found.into_iter().collect()
}

/// The sibling-file edges of every directory below `dir` (itself included).
fn directory_edges(dir: &Path, out: &mut Vec<(String, BTreeMap<String, BTreeSet<String>>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("the source directory reads")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    let name = |p: &Path| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string()
    };
    let siblings: BTreeSet<String> = entries
        .iter()
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| name(p))
        .collect();
    let mut edges = BTreeMap::new();
    for path in &entries {
        let (me, file) = if path.is_dir() {
            directory_edges(path, out);
            (name(path), path.join("mod.rs"))
        } else if path.extension().is_some_and(|e| e == "rs") && name(path) != "mod" {
            (name(path), path.clone())
        } else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let refs: BTreeSet<String> = sibling_refs(&text)
            .into_iter()
            .filter(|r| {
                siblings.contains(r) && *r != me && !["mod", "lib", "main"].contains(&r.as_str())
            })
            .collect();
        edges.insert(me, refs);
    }
    out.push((dir.display().to_string(), edges));
}

#[test]
fn no_file_imports_itself_through_its_siblings() {
    // The generator and the runtime it copies into every crate.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = Vec::new();
    directory_edges(&root.join("src"), &mut dirs);
    directory_edges(&root.join("runtime"), &mut dirs);
    let mut found = Vec::new();
    for (dir, edges) in &dirs {
        for cycle in cycles(edges) {
            found.push(format!("{dir}: {}", cycle.join(" -> ")));
        }
    }
    assert!(found.is_empty(), "file cycles:\n{}", found.join("\n"));
}

#[test]
fn the_cycle_finder_sees_sibling_cycles() {
    let refs = sibling_refs(
        "use super::{json::x, tokens::*};\nfn f() { super::xml::y(); super::super::z(); }\n\
         #[cfg(test)]\nmod tests { use super::rest::*; }\n",
    );
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["json", "tokens", "xml"]
    );
    let edges = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, BTreeSet<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    let three = edges(&[
        ("query", &["xml"]),
        ("xml", &["rest"]),
        ("rest", &["query", "json"]),
    ]);
    assert_eq!(cycles(&three), [["query", "xml", "rest"]]);
    let none = edges(&[
        ("rest", &["xml", "json"]),
        ("xml", &["json"]),
        ("json", &[]),
    ]);
    assert!(cycles(&none).is_empty());
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
