//! Numbers as text: the JSON number grammar, shared by the JSON reader and
//! by the text forms of big numbers and epoch-seconds timestamps, and the
//! one float formatter of URIs, headers, query forms and XML. A leaf.

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

/// A float as text: the shortest decimal that reads back, or `NaN`,
/// `Infinity`, `-Infinity`.
pub fn float_text<T: Into<f64> + std::fmt::Display + Copy>(v: T) -> String {
    let f: f64 = v.into();
    if f.is_nan() {
        "NaN".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_back_and_name_what_is_not_a_number() {
        assert_eq!(float_text(1.5f64), "1.5");
        assert_eq!(float_text(1.1f32), "1.1");
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f64::INFINITY), "Infinity");
        assert_eq!(float_text(f32::NEG_INFINITY), "-Infinity");
    }
}
