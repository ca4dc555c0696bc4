//! A small, strict absolute-URL reader (no IDNA tables: the `url` crate would triple the
//! package size), origin rules, and the two percent-encodings the vendors use.
//!
//! Strict on purpose: whitespace, control characters and backslashes anywhere, userinfo
//! where not allowed, and host names outside `[A-Za-z0-9.-]` (or a bracketed IPv6 literal)
//! are refused rather than normalised the way browsers do.

use crate::core::text::{
    all_bytes, concat, decimal, find_byte, has_control, hex_digit, parse_digits, pieces,
    rsplit_once_byte, split_once_byte,
};
use crate::error::{Error, Result};

/// The parts of an absolute URL with an authority (`scheme://host[:port]/path?query#frag`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    /// Scheme, lower-cased.
    pub scheme: String,
    /// Whether a `user[:pass]@` part was present.
    pub has_userinfo: bool,
    /// Host, lower-cased; IPv6 literals keep their brackets.
    pub host: String,
    /// Explicit port, if any.
    pub port: Option<u16>,
    /// Path, query and fragment, as given (may be empty).
    pub rest: &'a str,
}

impl Url<'_> {
    /// `scheme://host[:port]`, lower-case, default port (80/443) elided.
    pub fn origin(&self) -> String {
        let default = match self.scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        };
        match self.port {
            Some(p) if Some(p) != default => {
                concat(&[&self.scheme, "://", &self.host, ":", &decimal(p.into())])
            }
            _ => concat(&[&self.scheme, "://", &self.host]),
        }
    }

    /// Whether the scheme is `http` or `https`.
    pub fn is_http(&self) -> bool {
        self.scheme == "http" || self.scheme == "https"
    }

    /// `https:`, or `http:` on a loopback host: what the library accepts for vendor URLs.
    pub fn is_secure_or_loopback(&self) -> bool {
        self.scheme == "https" || (self.scheme == "http" && is_loopback_host(&self.host))
    }

    /// The path (without query or fragment).
    pub fn path(&self) -> &str {
        let end = find_byte(self.rest, |b| b == b'?' || b == b'#').unwrap_or(self.rest.len());
        self.rest.get(..end).unwrap_or_default()
    }

    /// The query (without `?`), if any.
    pub fn query(&self) -> Option<&str> {
        let without_frag = split_once_byte(self.rest, b'#').map_or(self.rest, |(u, _)| u);
        split_once_byte(without_frag, b'?').map(|(_, q)| q)
    }
}

/// Reads an absolute URL with an authority. Errors are short reasons (no URL echoed).
pub fn parse(input: &str) -> core::result::Result<Url<'_>, &'static str> {
    if has_control(input, true) || input.bytes().any(|b| b == b'\\') {
        return Err("contains whitespace, control characters or backslashes");
    }
    let (scheme, after) = split_once_byte(input, b':').ok_or("is not an absolute URL")?;
    let scheme_ok = scheme
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic)
        && all_bytes(scheme, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
        });
    if !scheme_ok {
        return Err("is not an absolute URL");
    }
    let after = after.strip_prefix("//").ok_or("has no host")?;
    let end = find_byte(after, |b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let (userinfo, hostport) = match rsplit_once_byte(authority, b'@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = split_host_port(hostport)?;
    Ok(Url {
        scheme: scheme.to_ascii_lowercase(),
        has_userinfo: userinfo.is_some(),
        host: host.to_ascii_lowercase(),
        port,
        rest,
    })
}

fn split_host_port(hostport: &str) -> core::result::Result<(&str, Option<u16>), &'static str> {
    let (host, port) = if hostport.starts_with("[") {
        let close = find_byte(hostport, |b| b == b']').ok_or("has a bad IPv6 host")?;
        let (h, p) = hostport.split_at(close + 1);
        let inner = h.get(1..h.len() - 1).unwrap_or_default();
        if inner.is_empty()
            || !all_bytes(inner, |b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err("has a bad IPv6 host");
        }
        match p {
            "" => (h, None),
            _ => (h, Some(p.strip_prefix(":").ok_or("has a bad port")?)),
        }
    } else {
        match split_once_byte(hostport, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let host_ok = host.starts_with("[")
        || (!host.is_empty()
            && all_bytes(host, |b| {
                b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
            }));
    if !host_ok {
        return Err("has a bad host");
    }
    let port = match port {
        None => None,
        Some(p) if p.len() <= 5 => Some(
            parse_digits(p)
                .and_then(|n| u16::try_from(n).ok())
                .ok_or("has a bad port")?,
        ),
        Some(_) => return Err("has a bad port"),
    };
    Ok((host, port))
}

/// Exactly `localhost`, 127.0.0.0/8 or `[::1]`: the hosts plain http is allowed for.
/// (`*.localhost` names are not: resolvers outside browsers may send them anywhere.)
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    // Four octets of one to three decimal digits each (`parse_digits`: no sign, where
    // `str::parse` would take a `+`), at most 255, the first 127.
    let mut octets = 0;
    for o in pieces(&host, b'.') {
        let first_ok = octets != 0 || o == "127";
        if o.len() > 3 || parse_digits(o).is_none_or(|v| v > 255) || !first_ok {
            return false;
        }
        octets += 1;
    }
    octets == 4
}

/// A bare host (no `scheme://`) means https, for every base or school URL:
/// `api.example.com/v1` → `https://api.example.com/v1`.
pub fn with_default_scheme(value: &str) -> String {
    if value.contains("://") {
        value.to_owned()
    } else {
        concat(&["https://", value])
    }
}

/// Checks a configured base URL: https (http only on loopback; a bare host means https),
/// no userinfo, query or fragment. Returns it without a trailing `/`.
pub fn check_base_url(field: &str, value: &str) -> Result<String> {
    let value = &with_default_scheme(value);
    let url = parse(value).map_err(|why| Error::invalid_config(field, why))?;
    if !url.is_secure_or_loopback() {
        return Err(Error::invalid_config(
            field,
            "must be https (http is allowed only for loopback hosts)",
        ));
    }
    if url.has_userinfo || url.rest.contains(['?', '#']) {
        return Err(Error::invalid_config(
            field,
            "must not contain credentials, a query or a fragment",
        ));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// Checks that `value` is an absolute http(s) URL without userinfo (for return/redirect
/// URLs given as input).
pub fn check_http_url(field: &str, value: &str) -> Result<()> {
    match parse(value) {
        Ok(u) if u.is_http() && !u.has_userinfo => Ok(()),
        _ => Err(Error::invalid_input(
            field,
            "must be an absolute http(s) URL",
        )),
    }
}

/// `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is percent-encoded.
pub fn encode_component(s: &str) -> String {
    encode(
        s,
        |b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
                )
        },
        false,
    )
}

/// WHATWG `application/x-www-form-urlencoded` serialisation of one name or value:
/// space → `+`, everything but `A-Z a-z 0-9 * - . _` percent-encoded.
pub fn form_encode(s: &str) -> String {
    encode(s, is_form_safe, true)
}

/// A form body from name/value pairs.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut out = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        encode_into(&mut out, k, is_form_safe, true);
        out.push(b'=');
        encode_into(&mut out, v, is_form_safe, true);
    }
    ascii(out)
}

fn is_form_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')
}

fn encode(s: &str, keep: impl Fn(u8) -> bool, space_plus: bool) -> String {
    let mut out = Vec::with_capacity(s.len());
    encode_into(&mut out, s, keep, space_plus);
    ascii(out)
}

/// Appends `s` to `out`, percent-encoding every byte `keep` refuses (`+` for a space when
/// `space_plus`). By hand rather than `format!("%{b:02X}")`: this runs per byte. Bytes, not
/// `char`s: `String::push` encodes each one as UTF-8 through a call.
fn encode_into(out: &mut Vec<u8>, s: &str, keep: impl Fn(u8) -> bool, space_plus: bool) {
    let hex = |n: u8| if n < 10 { b'0' + n } else { b'A' + n - 10 };
    for b in s.bytes() {
        if keep(b) {
            out.push(b);
        } else if space_plus && b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[b'%', hex(b >> 4), hex(b & 0xF)]);
        }
    }
}

/// Text [`encode_into`] wrote (only ASCII).
fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// Percent-decodes (and, with `plus_space`, turns `+` into a space). `None` when the
/// result is not UTF-8 or an escape is broken.
pub fn percent_decode(s: &str, plus_space: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                // Two hex digits exactly (`from_str_radix` would take a sign: `%+7`).
                let digit = |at: usize| hex_digit(*bytes.get(at)?);
                out.push(digit(i + 1)? << 4 | digit(i + 2)?);
                i += 3;
            }
            b'+' if plus_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Decoded `name=value` pairs of a query string (form rules: `+` is a space).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises_origins() {
        let u = parse("HTTPS://School.Example.com:443/a?b=1#c").unwrap();
        assert_eq!(u.origin(), "https://school.example.com");
        assert_eq!(u.path(), "/a");
        assert_eq!(u.query(), Some("b=1"));
        assert_eq!(
            parse("http://127.0.0.1:8080").unwrap().origin(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(parse("http://[::1]:9/x").unwrap().host, "[::1]");
        assert!(parse("https://a.com@evil.com/").unwrap().has_userinfo);
    }

    #[test]
    fn refuses_tricks() {
        for bad in [
            "//evil.com",
            "/relative",
            "https:evil.com",
            "https:///evil.com",
            "https://evil.com\\@good.com",
            "https://ev il.com",
            "https://evil.com:99999",
            "https://evil%2ecom",
            "java\nscript:alert(1)",
            "https://[zz]/",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(!parse("javascript://x").unwrap().is_http());
    }

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "[::1]"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "app.localhost",
            "evil.localhost",
            "localhost.",
            "[::2]",
            "128.0.0.1",
            "127.0.0.1.evil.com",
            "localhost.evil.com",
            "127.0.0",
            "127.+0.0.1",
            "127.0.0.256",
            "127.0.0.0001",
            "127..0.1",
            "127.0.0.1.",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("baseUrl", "https://a.com/api/").unwrap(),
            "https://a.com/api"
        );
        assert!(check_base_url("baseUrl", "http://127.0.0.1:3000").is_ok());
        // A bare host means https, as for every vendor's base or school URL.
        assert_eq!(
            check_base_url("baseUrl", "api.example.com/v1/").unwrap(),
            "https://api.example.com/v1"
        );
        assert_eq!(
            check_base_url("baseUrl", "localhost:3000").unwrap(),
            "https://localhost:3000"
        );
        for bad in [
            "javascript:alert(1)",
            "mailto:a@b.c",
            "user:pw@host.example",
        ] {
            assert!(check_base_url("baseUrl", bad).is_err(), "{bad}");
        }
        for bad in [
            "http://a.com",
            "ftp://a.com",
            "https://u:p@a.com",
            "https://a.com/?x",
        ] {
            let e = check_base_url("baseUrl", bad).unwrap_err();
            assert_eq!(e.code, crate::error::ErrorCode::InvalidConfig, "{bad}");
        }
    }

    #[test]
    fn encodings_match_js() {
        assert_eq!(
            encode_component("a+b/c=d&e f~é"),
            "a%2Bb%2Fc%3Dd%26e%20f~%C3%A9"
        );
        assert_eq!(form_encode("a b*~"), "a+b*%7E");
        // As `new URLSearchParams([["a b", "é&="], ["", "\u{1F600}"]]).toString()` prints.
        assert_eq!(
            form_body(&[("a b", "é&="), ("", "\u{1F600}")]),
            "a+b=%C3%A9%26%3D&=%F0%9F%98%80"
        );
        // Runs of kept bytes at the start, middle and end, next to multi-byte characters.
        assert_eq!(form_encode("abcé"), "abc%C3%A9");
        assert_eq!(form_encode("éa b"), "%C3%A9a+b");
        assert_eq!(form_encode("é*ü~"), "%C3%A9*%C3%BC%7E");
        assert_eq!(form_encode(""), "");
        assert_eq!(form_encode("éabc"), "%C3%A9abc");
        assert_eq!(form_encode("ab éé cd"), "ab+%C3%A9%C3%A9+cd");
        assert_eq!(form_encode(""), "");
        // Every byte, against a byte-by-byte reference.
        let all: String = (0..=0x7F_u8)
            .map(char::from)
            .chain(['é', '\u{FFFF}'])
            .collect();
        let reference: String = all
            .bytes()
            .map(|b| match b {
                b' ' => "+".to_owned(),
                _ if is_form_safe(b) => char::from(b).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        assert_eq!(form_encode(&all), reference);
        assert_eq!(encode_component("x\u{7F}y"), "x%7Fy");
        assert_eq!(percent_decode("a%20b+c", true).as_deref(), Some("a b c"));
        assert_eq!(percent_decode("%zz", false), None);
        assert_eq!(percent_decode("%+7", false), None);
        assert_eq!(percent_decode("%-1", false), None);
        assert_eq!(percent_decode("%4", false), None);
        assert_eq!(percent_decode("%4a%4A", false).as_deref(), Some("JJ"));
        assert_eq!(percent_decode("%C3", false), None);
        assert_eq!(
            query_pairs("action=login&redirectUrl=https%3A%2F%2Fa.com%2F&x"),
            vec![
                ("action".into(), "login".into()),
                ("redirectUrl".into(), "https://a.com/".into()),
                ("x".into(), String::new())
            ]
        );
    }
}
