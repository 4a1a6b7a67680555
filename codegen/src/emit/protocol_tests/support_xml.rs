//! XML body comparison, added to the support module of crates with an XML
//! protocol (it reads bodies with the crate's own XML parser).

use super::sut::runtime::xml::{parse, XmlNode};

/// An element as compared: name, sorted attributes, text (only where the
/// element has no children: whitespace between elements is layout) and
/// children (grouped by name, each group in document order).
#[derive(Debug, PartialEq)]
pub struct Tree {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Tree>,
}

fn tree(node: &XmlNode<'_>, unordered: &[&str]) -> Tree {
    let mut children: Vec<Tree> = node.children().iter().map(|c| tree(c, unordered)).collect();
    // A structure's members may come in any order; a list's items (a run
    // of elements of one name) keep theirs: a stable sort by name.
    children.sort_by(|a, b| a.name.cmp(&b.name));
    // Runs of map entries compare as sets.
    let mut i = 0;
    while i < children.len() {
        let mut j = i + 1;
        while j < children.len() && children[j].name == children[i].name {
            j += 1;
        }
        if unordered.contains(&children[i].name.as_str()) {
            children[i..j].sort_by_key(|t| format!("{t:?}"));
        }
        i = j;
    }
    let mut attributes: Vec<(String, String)> = node
        .attributes()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    attributes.sort();
    Tree {
        name: node.name().to_owned(),
        attributes,
        text: if children.is_empty() {
            node.text().to_owned()
        } else {
            String::new()
        },
        children,
    }
}

/// The body is the expected XML document, element by element; runs of the
/// `unordered` elements (map entries) in any order.
pub fn assert_xml_body(body: &[u8], expected: &[u8], unordered: &[&str]) {
    let want = parse(expected).unwrap_or_else(|e| panic!("the expected body is not XML: {e}"));
    let got = parse(body).unwrap_or_else(|e| {
        panic!(
            "the body is not XML ({e}): {:?}",
            String::from_utf8_lossy(body)
        )
    });
    assert_eq!(
        tree(&got, unordered),
        tree(&want, unordered),
        "XML bodies differ\n  got:  {}\n  want: {}",
        String::from_utf8_lossy(body),
        String::from_utf8_lossy(expected)
    );
}
