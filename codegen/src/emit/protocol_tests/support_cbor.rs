//! CBOR body comparison, added to the support module of crates with an
//! RPC v2 CBOR service (it reads bodies with the crate's own CBOR reader).

use super::sut::runtime::cbor::CborReader;

/// Two decoded bodies are the same: equal structure and strings, map keys
/// in any order, numbers of equal value whatever their width (`1` and
/// `1.0`), NaN equal to NaN.
pub fn cbor_eq(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Number(x), Document::Number(y)) => {
            let (x, y) = (number_f64(*x), number_f64(*y));
            x == y || (x.is_nan() && y.is_nan())
        }
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| cbor_eq(a, b))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && cbor_eq(va, vb))
        }
        _ => a == b,
    }
}

fn number_f64(n: Number) -> f64 {
    match n {
        Number::PosInt(v) => v as f64,
        Number::NegInt(v) => v as f64,
        Number::Float(v) => v,
    }
}

/// The body is CBOR equal (see [`cbor_eq`]) to `expected`.
pub fn assert_cbor_body(body: &[u8], expected: &[u8]) {
    let read = |b: &[u8]| CborReader::new(b).read_document();
    let want = read(expected).unwrap_or_else(|e| panic!("the expected body is not CBOR: {e}"));
    let got = read(body).unwrap_or_else(|e| panic!("the body is not CBOR ({e}): {body:02x?}"));
    assert!(
        cbor_eq(&got, &want),
        "CBOR bodies differ\n  got:  {got:?}\n  want: {want:?}"
    );
}
