//! The one parser of the URLs the client sends to: configured endpoints,
//! container and instance-metadata credential URLs, STS endpoints. Strict
//! on purpose: `http` or `https`, a host that is a DNS name or an IP
//! address (IPv6 in brackets), an optional port, no user info (`user@`),
//! no white space or control characters anywhere. What it accepts is
//! exactly what the transports connect to, so a check of its host (the
//! container allow-list) is a check of where the request goes.

use std::net::IpAddr;

/// A parsed `http` or `https` URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    /// `http` or `https`.
    pub scheme: &'a str,
    /// The host: a DNS name, or an IP address (IPv6 without brackets).
    pub host: &'a str,
    /// The port, when the URL names one.
    pub port: Option<u16>,
    /// Everything from the first `/`, `?` or `#` after the host (empty for
    /// none).
    pub rest: &'a str,
}

impl HttpUrl<'_> {
    /// The host as an IP address, if it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// The port the URL means (the scheme's default when it names none).
    pub fn port_or_default(&self) -> u16 {
        self.port
            .unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }
}

/// `url` with anything before an `@` in its authority replaced by `***`.
pub fn without_user_info(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => {
            let sep = if scheme.is_empty() { "" } else { "://" };
            format!("{scheme}{sep}***{}", &rest[at..])
        }
        None => url.to_string(),
    }
}

/// Parses `url`; the error says what is wrong with it (without the URL's
/// user info).
pub fn parse_http_url(url: &str) -> Result<HttpUrl<'_>, String> {
    // Messages quote the URL without its user info, which may hold a
    // password.
    let shown = without_user_info(url);
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{shown:?} holds white space or a control character"
        ));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!(
            "{shown:?} has no scheme; write it as https://host or http://host:port"
        ));
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!("{shown:?}: scheme `{scheme}` is not http or https"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains(['@', '\\']) {
        return Err(format!(
            "{shown:?}: user info (`user@host`) or a backslash in the host is not accepted"
        ));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((h, after)) = v6.split_once(']') else {
            return Err(format!("{shown:?}: unclosed `[` in the host"));
        };
        if h.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("{shown:?}: `[{h}]` is not an IPv6 address"));
        }
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| format!("{shown:?}: text after `]`"))?,
            ),
        };
        (h, port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(format!("{shown:?} has no host"));
    }
    let dns = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if !authority.starts_with('[') && !dns {
        return Err(format!(
            "{shown:?}: `{host}` is not a host name or an IP address"
        ));
    }
    let port = match port {
        None => None,
        Some(p) => Some(
            p.parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("{shown:?}: `{p}` is not a port"))?,
        ),
    };
    Ok(HttpUrl {
        scheme,
        host,
        port,
        rest: tail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_ports_and_what_is_refused() {
        let u = parse_http_url("https://dms.us-east-1.amazonaws.com/a?b").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.port, u.rest),
            ("https", "dms.us-east-1.amazonaws.com", None, "/a?b")
        );
        assert_eq!(u.port_or_default(), 443);
        let u = parse_http_url("http://[::1]:8080/creds").unwrap();
        assert_eq!((u.host, u.port), ("::1", Some(8080)));
        assert!(u.ip().is_some_and(|ip| ip.is_loopback()));
        let u = parse_http_url("http://127.0.0.1:4566").unwrap();
        assert_eq!(
            (u.host, u.port_or_default(), u.rest),
            ("127.0.0.1", 4566, "")
        );
        for bad in [
            "http://[::1]@192.0.2.2:80/creds",
            "http://user:pw@example.com/",
            "http://example.com\\@evil/",
            "ftp://example.com/",
            "example.com",
            "http://:80/",
            "http://exa mple.com/",
            "http://example.com:0/",
            "http://example.com:99999/",
            "http://[::1/",
            "http://[nope]/",
            "http://exa%6Dple.com/",
            "http://example.com/\n",
        ] {
            assert!(parse_http_url(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn errors_never_quote_user_info() {
        let e = parse_http_url("http://user:hunter2@example.com/").unwrap_err();
        assert!(
            !e.contains("hunter2") && e.contains("***@example.com"),
            "{e}"
        );
        let e = parse_http_url("ftp://user:hunter2@example.com/").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert_eq!(without_user_info("http://h/a@b"), "http://h/a@b");
    }
}
