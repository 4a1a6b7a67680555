//! The JSON number grammar, shared by the JSON reader and by the text forms
//! of blobs' big numbers and of epoch-seconds timestamps. A leaf.

/// Scans a JSON number starting at `start`.
///
/// Returns the end offset and whether the literal is an integer (no fraction
/// or exponent), or a message and the offset of the offending byte.
pub(crate) fn scan_number(b: &[u8], start: usize) -> Result<(usize, bool), (&'static str, usize)> {
    let is_digit = |i: usize| matches!(b.get(i), Some(b'0'..=b'9'));
    let mut i = start;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => {
            i += 1;
            if is_digit(i) {
                return Err(("leading zeros are not allowed in numbers", i));
            }
        }
        Some(b'1'..=b'9') => {
            i += 1;
            while is_digit(i) {
                i += 1;
            }
        }
        _ => return Err(("expected a digit", i)),
    }
    let mut integer = true;
    if b.get(i) == Some(&b'.') {
        integer = false;
        i += 1;
        if !is_digit(i) {
            return Err(("expected a digit after the decimal point", i));
        }
        while is_digit(i) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        integer = false;
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !is_digit(i) {
            return Err(("expected a digit in the exponent", i));
        }
        while is_digit(i) {
            i += 1;
        }
    }
    Ok((i, integer))
}
