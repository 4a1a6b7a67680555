//! Event-message comparison, added to the support module of crates whose
//! services send events (it frames messages with the crate's own decoder).

use super::sut::runtime::eventstream::{decode_message, HeaderValue};

/// Two framed messages are the same: one whole message each, the same
/// headers (in any order) and the same payload (JSON compared by value).
pub fn assert_same_message(got: &[u8], want: &[u8]) {
    let (g, used) = decode_message(got).unwrap_or_else(|e| panic!("the sent message is malformed: {e}"));
    assert_eq!(used, got.len(), "bytes after the sent message");
    let (w, _) = decode_message(want).unwrap_or_else(|e| panic!("the case's message is malformed: {e}"));
    let sorted = |h: &[(&str, HeaderValue<'_>)]| {
        let mut v: Vec<String> = h.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&g.headers), sorted(&w.headers), "message headers");
    if g.header_str(":content-type") == Some("application/json") {
        assert_json_body(g.payload, &from_json(w.payload).expect("the case's payload is JSON"));
    } else {
        assert_eq!(g.payload, w.payload, "message payload");
    }
}
