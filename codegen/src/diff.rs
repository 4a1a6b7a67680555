//! What a model update does to the generated API: two lowered services in,
//! a list of changes out, each classed by what it does to code that uses
//! the crate. Reads the IR only.
//!
//! The classes follow the crate's own API: structures, enums, unions and
//! error enums are `#[non_exhaustive]`, so a new member, variant or error is
//! compatible; anything removed, a field whose Rust type changes, a
//! constructor whose arguments change (a member becoming required), and a
//! method removed (operation, paginator, waiter) break code. Constraint
//! changes (`@length`, `@range`, `@pattern`) are listed as compatible: the
//! client does not check them.

use std::collections::BTreeMap;
use std::fmt;

use crate::ir::*;

/// What a change does to code using the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled may not compile, or may behave differently.
    Breaking,
    /// New API; existing code is unaffected.
    Compatible,
    /// Documentation only.
    Docs,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
            Impact::Docs => "docs",
        })
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Its class.
    pub impact: Impact,
    /// What changed, with the model names (`member Replication.IsReadOnly added`).
    pub what: String,
}

/// The version a report implies for a crate at `version` (`major.minor.patch`):
/// for 0.x, a breaking change bumps the minor and anything else the patch.
pub fn next_version(version: &str, changes: &[Change]) -> String {
    let parts: Vec<u64> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    let (major, minor, patch) = match parts.as_slice() {
        [a, b, c] => (*a, *b, *c),
        _ => return version.to_string(),
    };
    let breaking = changes.iter().any(|c| c.impact == Impact::Breaking);
    let any = !changes.is_empty();
    match (major, breaking, any) {
        (_, _, false) => version.to_string(),
        (0, true, _) => format!("0.{}.0", minor + 1),
        (_, true, _) => format!("{}.0.0", major + 1),
        (0, false, _) => format!("0.{minor}.{}", patch + 1),
        (_, false, _) => format!("{major}.{}.0", minor + 1),
    }
}

fn change(out: &mut Vec<Change>, impact: Impact, what: String) {
    out.push(Change { impact, what });
}

/// Items of `old` missing from `new` (breaking) and new in `new`
/// (compatible), described by `what(item, "removed" | "added")`.
fn added_removed(
    out: &mut Vec<Change>,
    old: &[String],
    new: &[String],
    what: impl Fn(&str, &str) -> String,
) {
    for item in old.iter().filter(|i| !new.contains(i)) {
        change(out, Impact::Breaking, what(item, "removed"));
    }
    for item in new.iter().filter(|i| !old.contains(i)) {
        change(out, Impact::Compatible, what(item, "added"));
    }
}

/// The changes from `old` to `new`, sorted breaking first.
pub fn diff_services(old: &Service, new: &Service) -> Vec<Change> {
    let mut out = Vec::new();
    let ops = |s: &'_ Service| -> BTreeMap<String, Operation> {
        s.operations
            .iter()
            .map(|o| (o.wire_name.clone(), o.clone()))
            .collect()
    };
    let (old_ops, new_ops) = (ops(old), ops(new));
    for (name, o) in &old_ops {
        let Some(n) = new_ops.get(name) else {
            change(
                &mut out,
                Impact::Breaking,
                format!("operation {name} removed"),
            );
            continue;
        };
        let codes =
            |op: &Operation| -> Vec<String> { op.errors.iter().map(|e| e.code.clone()).collect() };
        added_removed(&mut out, &codes(o), &codes(n), |c, how| {
            format!("error {c} of {name} {how}")
        });
        match (&o.paginator, &n.paginator) {
            (Some(_), None) => change(
                &mut out,
                Impact::Breaking,
                format!("paginator of {name} removed"),
            ),
            (None, Some(_)) => change(
                &mut out,
                Impact::Compatible,
                format!("paginator of {name} added"),
            ),
            _ => {}
        }
        let waiters =
            |op: &Operation| -> Vec<String> { op.waiters.iter().map(|w| w.name.clone()).collect() };
        added_removed(&mut out, &waiters(o), &waiters(n), |w, how| {
            format!("waiter {w} of {name} {how}")
        });
        if o.docs != n.docs {
            change(
                &mut out,
                Impact::Docs,
                format!("documentation of operation {name}"),
            );
        }
    }
    for name in new_ops.keys() {
        if !old_ops.contains_key(name) {
            change(
                &mut out,
                Impact::Compatible,
                format!("operation {name} added"),
            );
        }
    }
    // Keyed by the model's shape names, which the report uses too.
    let types = |s: &'_ Service| -> BTreeMap<String, TypeDef> {
        s.types
            .iter()
            .map(|t| {
                let name = match t {
                    TypeDef::Struct(x) => &x.shape_name,
                    TypeDef::Enum(x) => &x.shape_name,
                    TypeDef::Union(x) => &x.shape_name,
                };
                (name.clone(), t.clone())
            })
            .collect()
    };
    let (old_types, new_types) = (types(old), types(new));
    for (name, t) in &old_types {
        match new_types.get(name) {
            None => change(&mut out, Impact::Breaking, format!("type {name} removed")),
            Some(n) => diff_type(&mut out, name, t, n),
        }
    }
    for name in new_types.keys() {
        if !old_types.contains_key(name) {
            change(&mut out, Impact::Compatible, format!("type {name} added"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn show(c: &[String]) -> String {
    if c.is_empty() {
        "none".into()
    } else {
        c.join(" ")
    }
}

/// A type as the API sees it: type ids are positions in one lowering's
/// arena and shift when types are added, so they are left out.
fn type_key(t: &Type) -> String {
    let text = format!("{t:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("TypeId(") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = rest.find(')').map_or("", |j| &rest[j + 1..]);
    }
    out.push_str(rest);
    out
}

fn diff_type(out: &mut Vec<Change>, name: &str, old: &TypeDef, new: &TypeDef) {
    match (old, new) {
        (TypeDef::Struct(o), TypeDef::Struct(n)) => {
            let fields = |s: &Struct| -> BTreeMap<String, Field> {
                s.fields
                    .iter()
                    .map(|f| (f.wire_name.clone(), f.clone()))
                    .collect()
            };
            let (of, nf) = (fields(o), fields(n));
            for (m, f) in &of {
                let Some(g) = nf.get(m) else {
                    change(out, Impact::Breaking, format!("member {name}.{m} removed"));
                    continue;
                };
                if type_key(&f.ty) != type_key(&g.ty) || f.optional != g.optional {
                    let how = if f.optional && !g.optional {
                        "is no longer optional"
                    } else if !f.optional && g.optional {
                        "became optional"
                    } else {
                        "changed type"
                    };
                    change(out, Impact::Breaking, format!("member {name}.{m} {how}"));
                } else if f.required != g.required {
                    // Checked before sending: a call that worked may now be refused.
                    let how = if g.required {
                        "became required"
                    } else {
                        "is no longer required"
                    };
                    let impact = if g.required {
                        Impact::Breaking
                    } else {
                        Impact::Compatible
                    };
                    change(out, impact, format!("member {name}.{m} {how}"));
                } else if f.default != g.default {
                    change(
                        out,
                        Impact::Breaking,
                        format!("default of {name}.{m} changed"),
                    );
                }
                if f.constraints != g.constraints {
                    // Not checked by the client; documented, and a server may enforce them.
                    change(
                        out,
                        Impact::Compatible,
                        format!(
                            "constraints of {name}.{m}: {} -> {}",
                            show(&f.constraints),
                            show(&g.constraints)
                        ),
                    );
                } else if f.docs != g.docs {
                    change(out, Impact::Docs, format!("documentation of {name}.{m}"));
                }
            }
            for m in nf.keys() {
                if !of.contains_key(m) {
                    change(out, Impact::Compatible, format!("member {name}.{m} added"));
                }
            }
            let args = |s: &Struct| -> Vec<String> {
                s.constructor_fields()
                    .iter()
                    .map(|f| f.wire_name.clone())
                    .collect()
            };
            if args(o) != args(n)
                || std::mem::discriminant(&o.constructor) != std::mem::discriminant(&n.constructor)
            {
                change(
                    out,
                    Impact::Breaking,
                    format!(
                        "constructor of {name} takes ({}) instead of ({})",
                        args(n).join(", "),
                        args(o).join(", ")
                    ),
                );
            }
            if o.docs != n.docs {
                change(out, Impact::Docs, format!("documentation of {name}"));
            }
        }
        (TypeDef::Enum(o), TypeDef::Enum(n)) => {
            let values = |e: &Enum| -> Vec<String> {
                e.variants
                    .iter()
                    .map(|v| {
                        if e.int {
                            v.int_value.to_string()
                        } else {
                            v.value.clone()
                        }
                    })
                    .collect()
            };
            added_removed(out, &values(o), &values(n), |v, how| {
                format!("value {v:?} of {name} {how}")
            });
        }
        (TypeDef::Union(o), TypeDef::Union(n)) => {
            let members = |u: &Union| -> Vec<String> {
                u.variants.iter().map(|v| v.wire_name.clone()).collect()
            };
            added_removed(out, &members(o), &members(n), |m, how| {
                format!("member {name}.{m} {how}")
            });
        }
        _ => change(out, Impact::Breaking, format!("type {name} changed kind")),
    }
}
