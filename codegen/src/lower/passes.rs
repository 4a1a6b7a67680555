//! The passes over a service's lowered types that need all of them at once:
//! boxing recursion, refusing structures that require themselves, which
//! types need a zero value, constructors and getters, entry setters, and
//! which types a server checks.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::ir::*;
use crate::naming;

/// Breaks cycles of directly nested structures and unions with `Box`, in a
/// deterministic depth-first pass over types sorted by name: every back edge
/// is boxed, which leaves the inline-containment graph acyclic.
pub(super) fn box_recursion(types: &mut [TypeDef]) {
    let edges = |t: &TypeDef| -> Vec<Option<usize>> {
        let named = |ty: &Type| match ty {
            Type::Named(r) if matches!(r.kind, NamedKind::Struct | NamedKind::Union) => {
                Some(r.id.0)
            }
            _ => None,
        };
        match t {
            TypeDef::Struct(s) => s.fields.iter().map(|f| named(&f.ty)).collect(),
            TypeDef::Union(u) => u
                .variants
                .iter()
                .map(|v| v.ty.as_ref().and_then(named))
                .collect(),
            TypeDef::Enum(_) => Vec::new(),
        }
    };
    let graph: Vec<Vec<Option<usize>>> = types.iter().map(edges).collect();
    // 0 = unvisited, 1 = on stack, 2 = done
    let mut state = vec![0u8; types.len()];
    let mut boxed: BTreeSet<(usize, usize)> = BTreeSet::new();
    for start in 0..types.len() {
        if state[start] != 0 {
            continue;
        }
        // Iterative DFS: (node, next edge index)
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            if *edge < graph[node].len() {
                let e = *edge;
                *edge += 1;
                if let Some(next) = graph[node][e] {
                    match state[next] {
                        0 => {
                            state[next] = 1;
                            stack.push((next, 0));
                        }
                        1 => {
                            boxed.insert((node, e));
                        }
                        _ => {}
                    }
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    for (node, e) in boxed {
        match &mut types[node] {
            TypeDef::Struct(s) => s.fields[e].boxed = true,
            TypeDef::Union(u) => u.variants[e].boxed = true,
            TypeDef::Enum(_) => {}
        }
    }
}

/// Rejects structures that hold themselves through required members only
/// (no default, not `@clientOptional`, not through a list, map or union):
/// no finite value of them exists, so they could be neither built nor
/// decoded. Smithy's own validator rejects such models too.
pub(super) fn check_required_cycles(file: &str, types: &[TypeDef]) -> Result<(), Error> {
    let structs: BTreeMap<&str, &Struct> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((s.name.as_str(), s)),
            _ => None,
        })
        .collect();
    let required_edges = |s: &Struct| -> Vec<(String, String)> {
        s.fields
            .iter()
            .filter(|f| !f.optional && f.default.is_none())
            .filter_map(|f| match &f.ty {
                Type::Named(r) if r.kind == NamedKind::Struct => {
                    Some((f.wire_name.clone(), r.name.clone()))
                }
                _ => None,
            })
            .collect()
    };
    // Depth-first from each structure in name order; the first back edge found is reported.
    for start in structs.keys() {
        let mut path: Vec<(String, String)> = Vec::new(); // (structure, member)
        let mut stack: Vec<(String, Vec<(String, String)>)> =
            vec![(start.to_string(), required_edges(structs[start]))];
        // Every edge of every structure reachable from `start` is looked at once.
        let mut seen: BTreeSet<String> = BTreeSet::from([start.to_string()]);
        while let Some((_, edges)) = stack.last_mut() {
            let Some((member, next)) = edges.pop() else {
                stack.pop();
                path.pop();
                continue;
            };
            let node = stack.last().map(|(n, _)| n.clone()).unwrap_or_default();
            if next == *start {
                path.push((node, member));
                let chain: Vec<String> = path
                    .iter()
                    .map(|(s, m)| format!("{}${m}", structs[s.as_str()].shape_id))
                    .collect();
                return Err(Error::Unsupported {
                    file: file.to_string(),
                    shape: structs[start].shape_id.clone(),
                    message: format!(
                        "the structure contains itself through required members only ({}), so no value of it can exist; \
                         make one of them optional, give it a default or mark it @clientOptional",
                        chain.join(" -> ")
                    ),
                });
            }
            if let Some(target) = structs.get(next.as_str()) {
                if seen.insert(next.clone()) {
                    path.push((node, member));
                    stack.push((next, required_edges(target)));
                }
            }
        }
    }
    Ok(())
}

/// Marks the structures whose zero value error correction may need: those
/// held by a non-optional field without a default, transitively.
pub(super) fn mark_zero_needed(types: &mut [TypeDef]) {
    let zeroed = |s: &Struct| -> Vec<usize> {
        s.fields
            .iter()
            .filter(|f| f.is_constructor_arg())
            .filter_map(|f| match &f.ty {
                Type::Named(r) if r.kind == NamedKind::Struct => Some(r.id.0),
                _ => None,
            })
            .collect()
    };
    let mut work: Vec<usize> = types
        .iter()
        .filter_map(TypeDef::as_struct)
        .flat_map(zeroed)
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(i) = work.pop() {
        if !seen.insert(i) {
            continue;
        }
        if let TypeDef::Struct(s) = &mut types[i] {
            s.needs_zero = true;
            work.extend(zeroed(s));
        }
    }
}

/// How `new` takes the required members: positionally while their Rust
/// types all differ, by name once two share a type (two `String`s passed
/// positionally are too easy to swap).
pub(super) fn constructor(name: &str, fields: &[Field]) -> Constructor {
    let args: Vec<usize> = (0..fields.len())
        .filter(|i| fields[*i].is_constructor_arg())
        .collect();
    if args.is_empty() {
        return Constructor::NoArgs;
    }
    let shared = args.iter().enumerate().any(|(k, a)| {
        args[..k]
            .iter()
            .any(|b| swap_class(&fields[*a].ty) == swap_class(&fields[*b].ty))
    });
    // Past seven arguments a call is hard to read (clippy's limit): by
    // name too.
    if shared || args.len() > 7 {
        Constructor::Named(name.to_string())
    } else {
        Constructor::Positional(args)
    }
}

/// What a positional argument of this type accepts, as far as swapping
/// two arguments goes: strings and string enums both take a `&str`,
/// integers (and int enums) and floats both take a literal of their kind,
/// so two of one class would compile in either order.
pub(super) fn swap_class(ty: &Type) -> String {
    match ty {
        Type::String
        | Type::Named(TypeRef {
            kind: NamedKind::Enum,
            ..
        }) => "string".into(),
        Type::Byte
        | Type::Short
        | Type::Integer
        | Type::Long
        | Type::Named(TypeRef {
            kind: NamedKind::IntEnum,
            ..
        }) => "integer".into(),
        Type::Float | Type::Double => "float".into(),
        other => format!("{other:?}"),
    }
}

/// Gives optional list and map members a getter that reads an absent value
/// as empty, unless its name is taken by another method of the type
/// (`new`, `zero`, a setter, or the error accessors).
pub(super) fn assign_getters(types: &mut [TypeDef]) {
    for t in types.iter_mut() {
        let TypeDef::Struct(s) = t else { continue };
        let mut reserved = vec!["new".to_string()];
        if s.needs_zero {
            reserved.push("zero".into());
        }
        if s.error.is_some() {
            reserved.extend(["code".into(), "message".into(), "request_id".into()]);
        }
        reserved.extend(s.fields.iter().map(|f| f.setter.clone()));
        for f in &mut s.fields {
            let collection = matches!(f.ty, Type::List { .. } | Type::Map { .. });
            if f.optional && collection && !reserved.contains(&f.label) {
                f.getter = Some(f.name.clone());
            }
        }
    }
}

/// The structures and unions a type or one of its members (recursively)
/// holds.
pub(super) fn children(t: &TypeDef) -> Vec<usize> {
    held(t, false)
}

/// The named types a type's members hold (through lists and maps): only
/// structures and unions, or, with `all`, enums, map keys and the events of
/// event streams too.
fn held(t: &TypeDef, all: bool) -> Vec<usize> {
    fn named(ty: &Type, all: bool, out: &mut Vec<usize>) {
        match ty {
            Type::Named(r) if all || matches!(r.kind, NamedKind::Struct | NamedKind::Union) => {
                out.push(r.id.0)
            }
            Type::EventStream(r) | Type::EventSender(r) if all => out.push(r.id.0),
            Type::List { member, .. } => named(member, all, out),
            Type::Map { key, value, .. } => {
                if all {
                    named(key, all, out);
                }
                named(value, all, out);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    match t {
        TypeDef::Struct(s) => s.fields.iter().for_each(|f| named(&f.ty, all, &mut out)),
        TypeDef::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .for_each(|ty| named(ty, all, &mut out)),
        TypeDef::Enum(_) => {}
    }
    out
}

/// The types reachable from `roots`, roots included.
pub(super) fn reachable(types: &[TypeDef], roots: &[TypeId]) -> BTreeSet<usize> {
    reachable_through(types, roots.iter().map(|i| i.0), false)
}

/// The types reachable from `roots`, roots included, through [`held`]
/// (with `all`: every named type a codec writes or reads next).
fn reachable_through(
    types: &[TypeDef],
    roots: impl IntoIterator<Item = usize>,
    all: bool,
) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<usize> = roots.into_iter().collect();
    while let Some(i) = stack.pop() {
        if i < types.len() && seen.insert(i) {
            stack.extend(held(&types[i], all));
        }
    }
    seen
}

/// Gives the list and map members of structures that inputs reach (what a
/// caller builds) a setter adding one element or entry, unless its name is
/// taken by another method of the type.
pub(super) fn assign_entry_setters(types: &mut [TypeDef], inputs: &[TypeId]) {
    for i in reachable(types, inputs) {
        let TypeDef::Struct(s) = &mut types[i] else {
            continue;
        };
        let mut taken: BTreeSet<String> = ["new", "zero", "code", "message", "request_id"]
            .into_iter()
            .map(String::from)
            .collect();
        taken.extend(s.fields.iter().map(|f| f.setter.clone()));
        taken.extend(s.fields.iter().filter_map(|f| f.getter.clone()));
        for f in &mut s.fields {
            let map = match f.ty {
                Type::List { .. } => false,
                Type::Map { .. } => true,
                _ => continue,
            };
            let name = naming::entry_setter_name(&f.setter, map);
            if !f.boxed && taken.insert(name.clone()) {
                f.entry_setter = Some(name);
            }
        }
    }
}

/// Marks the structures and unions reachable from an operation input that
/// hold required members (directly or further down): a server checks them
/// after parsing. A fixed point, since recursion is allowed through
/// optional members.
pub(super) fn mark_check_required(types: &mut [TypeDef], inputs: &[TypeId]) {
    let reachable = reachable(types, inputs);
    let mut checked = vec![false; types.len()];
    loop {
        let mut changed = false;
        for &i in &reachable {
            if checked[i] {
                continue;
            }
            let direct = match &types[i] {
                TypeDef::Struct(s) => s.fields.iter().any(|f| f.required && f.default.is_none()),
                _ => false,
            };
            if direct || children(&types[i]).iter().any(|c| checked[*c]) {
                checked[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (t, c) in types.iter_mut().zip(checked) {
        match t {
            TypeDef::Struct(s) => s.check_required = c,
            TypeDef::Union(u) => u.check_required = c,
            TypeDef::Enum(_) => {}
        }
    }
}

/// Sets which builds compile each direction of every type's JSON codec
/// ([`JsonCodecNeeds`]). A client on a JSON protocol writes what the inputs
/// reach and reads what the outputs and errors reach (event streams
/// included); a server (`server`) reads what the inputs of the operations
/// it serves reach and writes their outputs and errors. A waiter writes
/// its operation's input and output (its paths read their JSON form) on
/// every protocol. Everything else is for the `json` feature (which `serde`
/// turns on); on other protocols (XML, CBOR) that is most of the JSON codec.
pub(super) fn mark_json_codecs(
    types: &mut [TypeDef],
    operations: &[Operation],
    info: &ProtocolInfo,
) {
    let json = info.body_format == BodyFormat::Json;
    // The inputs or outputs of the operations (the served ones only, for
    // a server), and for outputs every error structure (operation and
    // service errors alike).
    let io = |served_only: bool, input: bool| {
        let ops = operations.iter().filter(move |o| !served_only || o.served);
        let roots = ops.filter_map(move |o| if input { &o.input } else { &o.output }.as_ref());
        let errors = types
            .iter()
            .enumerate()
            .filter(move |(_, t)| !input && t.as_struct().is_some_and(|s| s.error.is_some()))
            .map(|(i, _)| i);
        reachable_through(types, roots.map(|r| r.id.0).chain(errors), true)
    };
    // A waiter evaluates its paths over the JSON form of its operation's
    // input and output, whatever the protocol.
    let waited = reachable_through(
        types,
        operations
            .iter()
            .filter(|o| !o.waiters.is_empty())
            .flat_map(|o| [&o.input, &o.output])
            .filter_map(|r| r.as_ref().map(|r| r.id.0)),
        true,
    );
    let client_writes = io(false, true);
    let client_reads = io(false, false);
    let server_reads = io(true, true);
    let server_writes = io(true, false);
    let need = |client: bool, server: bool| {
        if json && client {
            CodecNeed::Always
        } else if info.server && server {
            CodecNeed::ServerOrJson
        } else {
            CodecNeed::JsonFeature
        }
    };
    for (i, t) in types.iter_mut().enumerate() {
        let needs = JsonCodecNeeds {
            write: if waited.contains(&i) {
                CodecNeed::Always
            } else {
                need(client_writes.contains(&i), server_writes.contains(&i))
            },
            read: need(client_reads.contains(&i), server_reads.contains(&i)),
        };
        match t {
            TypeDef::Struct(s) => s.json_codec = needs,
            TypeDef::Union(u) => u.json_codec = needs,
            TypeDef::Enum(e) => e.json_codec = needs,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::*;
    use crate::test_model::TestModel;

    const SHAPES: &str = r#""a#In":{"type":"structure","members":{"A":{"target":"a#A"},"C":{"target":"a#C"}}},
        "a#Out":{"type":"structure","members":{"B":{"target":"a#B"},"C":{"target":"a#C"}}},
        "a#A":{"type":"structure","members":{"X":{"target":"smithy.api#String"}}},
        "a#B":{"type":"structure","members":{"K":{"target":"a#Kind"}}},
        "a#C":{"type":"structure","members":{"X":{"target":"smithy.api#String"}}},
        "a#Kind":{"type":"enum","members":{"ONE":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"one"}}}},
        "a#Oops":{"type":"structure","members":{"M":{"target":"smithy.api#String"}},"traits":{"smithy.api#error":"client"}}"#;

    fn needs(protocol: &'static str) -> Vec<(String, JsonCodecNeeds)> {
        let svc = TestModel::new()
            .protocol(protocol)
            .operation(
                "Op",
                r#""input":{"target":"a#In"},"output":{"target":"a#Out"},"errors":[{"target":"a#Oops"}],
                "traits":{"smithy.api#http":{"method":"POST","uri":"/op"}}"#,
            )
            .shapes(SHAPES)
            .lower()
            .unwrap();
        svc.types
            .iter()
            .map(|t| (t.name().to_string(), t.json_codec()))
            .collect()
    }

    fn of(needs: &[(String, JsonCodecNeeds)], name: &str) -> (CodecNeed, CodecNeed) {
        let n = needs.iter().find(|(n, _)| n == name).unwrap().1;
        (n.write, n.read)
    }

    #[test]
    fn a_json_client_compiles_the_directions_it_uses_and_a_server_the_others() {
        use CodecNeed::*;
        let n = needs("aws.protocols#awsJson1_1");
        // Written by the client, read by the server.
        assert_eq!(of(&n, "In"), (Always, ServerOrJson));
        assert_eq!(of(&n, "A"), (Always, ServerOrJson));
        // Read by the client, written by the server; enums follow.
        assert_eq!(of(&n, "Out"), (ServerOrJson, Always));
        assert_eq!(of(&n, "B"), (ServerOrJson, Always));
        assert_eq!(of(&n, "Kind"), (ServerOrJson, Always));
        assert_eq!(of(&n, "Oops"), (ServerOrJson, Always));
        // Both ways.
        assert_eq!(of(&n, "C"), (Always, Always));
    }

    #[test]
    fn other_body_formats_compile_the_json_codec_with_the_json_feature_alone() {
        for protocol in [
            "aws.protocols#restXml",
            "aws.protocols#awsQuery",
            "smithy.protocols#rpcv2Cbor",
        ] {
            let n = needs(protocol);
            assert!(!n.is_empty());
            for (name, need) in &n {
                assert_eq!(
                    (need.write, need.read),
                    (CodecNeed::JsonFeature, CodecNeed::JsonFeature),
                    "{protocol} {name}"
                );
            }
        }
    }
}
