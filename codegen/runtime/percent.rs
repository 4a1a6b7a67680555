//! Percent-encoding (RFC 3986), the one encoder the runtime has: URI paths
//! and query strings, SigV4's canonical forms, endpoint templates and the
//! query protocols' form bodies. A leaf.

/// How the bytes beside the unreserved ones are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Everything but `A-Z a-z 0-9 - _ . ~` as `%XX`.
    Uri,
    /// The same, keeping `/` (a path).
    UriKeepSlash,
    /// A form body, as Python's `urlencode` writes one: a space as `+`.
    UrlEncodedBody,
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text`, encoded as `form` says, to `out`.
pub fn encode_into(text: &str, form: Form, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else if b == b'/' && form == Form::UriKeepSlash {
            out.push('/');
        } else if b == b' ' && form == Form::UrlEncodedBody {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// `text` encoded as `form` says.
pub fn encode(text: &str, form: Form) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(text, form, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_keeps_only_what_it_should() {
        assert_eq!(encode("a b/c~d_e.f-g", Form::Uri), "a%20b%2Fc~d_e.f-g");
        assert_eq!(encode("a b/ሴ~", Form::UriKeepSlash), "a%20b/%E1%88%B4~");
        assert_eq!(encode("a b&c=/", Form::UrlEncodedBody), "a+b%26c%3D%2F");
        assert_eq!(encode("é", Form::Uri), "%C3%A9");
    }
}
