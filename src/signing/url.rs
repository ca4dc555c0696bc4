//! Signed URLs (API.md §4): `signUrl` appends `expires=<Unix seconds>` and then
//! `sig=<base64url(HMAC-SHA256(everything before "&sig="))>`; `verifySignedUrl` checks the
//! signature, the expiry and (optionally) the origin, and returns the URL without both.

use serde::Serialize;

use crate::core::text::{concat, decimal, find_byte, pieces, split_once_byte};
use crate::core::time::UnixMillis;
use crate::core::url as curl;
use crate::error::{Error, ErrorCode, Result};
use crate::signing::encoding::{b64url_decode_32, b64url_encode};
use crate::signing::hmac::{hmac_sha256, verify_hmac_sha256};
use crate::signing::{malformed, Key};

/// Default lifetime of a signed URL, in seconds.
pub const DEFAULT_LIFETIME_SECS: f64 = 300.0;
/// Longest accepted lifetime (about 100 years), to keep expiries in range.
const MAX_LIFETIME_SECS: f64 = 3.2e9;
const SIG_SEP: &str = "&sig=";

/// A verified signed URL: API.md `{ url, expiresAt }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedUrl {
    /// The URL without `expires` and `sig` (and without any fragment).
    pub url: String,
    /// Expiry, Unix milliseconds.
    pub expires_at: i64,
}

fn without_fragment(url: &str) -> &str {
    split_once_byte(url, b'#').map_or(url, |(u, _)| u)
}

/// Reads `url` as an absolute URL; a bad one is `INVALID_INPUT` naming `url`.
fn parse_url(url: &str) -> Result<curl::Url<'_>> {
    curl::parse(url).map_err(|why| Error::invalid_input("url", why))
}

/// Whether the query of `url` has a parameter whose name, percent-decoded, is one of
/// `names`.
fn has_param(url: &str, names: &[&str]) -> bool {
    let query = split_once_byte(url, b'?').map_or("", |(_, q)| q);
    pieces(query, b'&').any(|pair| {
        let name = split_once_byte(pair, b'=').map_or(pair, |(n, _)| n);
        names.iter().any(|want| name_is(name, want))
    })
}

/// Whether a parameter's raw name reads `want` once percent-decoded (`+` as a space), as
/// [`curl::percent_decode`] would decode it, without building the decoded name. (`want` is
/// ASCII letters: an escape that is not two hex digits never decodes to one.)
fn name_is(raw: &str, want: &str) -> bool {
    let hex = |b: Option<u8>| crate::core::text::hex_digit(b?);
    let mut raw = raw.bytes();
    let mut want = want.bytes();
    loop {
        let byte = match raw.next() {
            None => return want.next().is_none(),
            Some(b'%') => match (hex(raw.next()), hex(raw.next())) {
                (Some(hi), Some(lo)) => hi << 4 | lo,
                _ => return false,
            },
            Some(b'+') => b' ',
            Some(b) => b,
        };
        if want.next() != Some(byte) {
            return false;
        }
    }
}

/// Signs `url` (fragment dropped, otherwise exactly as given). Lifetime: `None` = 300 s;
/// NaN, negative or huge → `INVALID_INPUT`. A URL that already has an `expires` or `sig`
/// parameter, or is not an absolute URL, → `INVALID_INPUT`; an empty secret →
/// `INVALID_CONFIG`.
pub fn sign_url(
    url: &str,
    secret: &Key,
    expires_in_secs: Option<f64>,
    now: UnixMillis,
) -> Result<String> {
    if secret.is_empty() {
        return Err(Error::invalid_config("secret", "must not be empty"));
    }
    let lifetime = expires_in_secs.unwrap_or(DEFAULT_LIFETIME_SECS);
    if !(0.0..=MAX_LIFETIME_SECS).contains(&lifetime) {
        return Err(Error::invalid_input(
            "expiresInSeconds",
            "must be a non-negative number of seconds",
        ));
    }
    let url = without_fragment(url);
    parse_url(url)?;
    if has_param(url, &["expires", "sig"]) {
        return Err(Error::invalid_input(
            "url",
            "must not already have an `expires` or `sig` parameter",
        ));
    }
    // Whole seconds: a fractional lifetime is rounded up.
    let expires = now.as_secs().saturating_add(lifetime.ceil() as i64);
    let sep = match (
        find_byte(url, |b| b == b'?').is_some(),
        url.as_bytes().last(),
    ) {
        (false, _) => "?",
        (true, Some(b'?' | b'&')) => "",
        (true, _) => "&",
    };
    let signed = concat(&[url, sep, "expires=", &decimal(expires)]);
    let sig = b64url_encode(&hmac_sha256(secret.raw_bytes(), signed.as_bytes()));
    Ok(concat(&[&signed, SIG_SEP, &sig]))
}

/// Verifies a URL made by [`sign_url`] against any of `secrets` (rotation). Checks, in
/// order: secrets (`INVALID_CONFIG`), URL syntax (`INVALID_INPUT`), the `sig` parameter
/// (`SIGNATURE_MISSING`/`SIGNATURE_MALFORMED`/`SIGNATURE_MISMATCH`), expiry (valid while
/// `now < expires`, else `URL_EXPIRED`) and, when `allowed_origins` is given, the origin
/// (`REDIRECT_NOT_ALLOWED`).
pub fn verify_signed_url(
    url: &str,
    secrets: &[Key],
    now: UnixMillis,
    allowed_origins: Option<&[&str]>,
) -> Result<SignedUrl> {
    if secrets.is_empty() || secrets.iter().any(Key::is_empty) {
        return Err(Error::invalid_config("secret", "must not be empty"));
    }
    let url = without_fragment(url);
    // The URL without `expires` and `sig` has the same origin: only its query differs.
    let parsed = parse_url(url)?;
    // The last `&sig=`, by a byte-level scan (no substring searcher in the module).
    let last_sig = url
        .as_bytes()
        .windows(SIG_SEP.len())
        .rposition(|w| w == SIG_SEP.as_bytes());
    let Some(pos) = last_sig else {
        return Err(if has_param(url, &["sig"]) {
            malformed("the `sig` parameter must come last, after `expires`")
        } else {
            Error::new(
                ErrorCode::SignatureMissing,
                "the URL has no `sig` parameter",
            )
        });
    };
    let (signed, sig_part) = url.split_at(pos);
    let tag = b64url_decode_32(sig_part.get(SIG_SEP.len()..).unwrap_or_default())
        .ok_or_else(|| malformed("the `sig` parameter is not a base64url HMAC-SHA256"))?;
    let Some((base, query)) = split_once_byte(signed, b'?') else {
        return Err(malformed("the URL has no query"));
    };
    // The URL to return is built while the query is read: its other parameters, in order.
    let mut expires = None;
    let mut clean = String::with_capacity(signed.len());
    clean.push_str(base);
    let mut sep = "?";
    for pair in pieces(query, b'&') {
        let (name, value) = split_once_byte(pair, b'=').unwrap_or((pair, ""));
        if name_is(name, "sig") {
            return Err(malformed("the URL has more than one `sig` parameter"));
        } else if name_is(name, "expires") {
            if expires.is_some() {
                return Err(malformed("the URL has more than one `expires`"));
            }
            expires = Some(crate::signing::parse_timestamp(
                value,
                "the `expires` parameter",
            )?);
        } else if !pair.is_empty() {
            clean.push_str(sep);
            clean.push_str(pair);
            sep = "&";
        }
    }
    let Some(expires) = expires else {
        return Err(malformed("the URL has no `expires` parameter"));
    };
    let matched = secrets
        .iter()
        .any(|k| verify_hmac_sha256(k.raw_bytes(), &[signed.as_bytes()], &tag));
    if !matched {
        return Err(Error::new(
            ErrorCode::SignatureMismatch,
            "the URL signature matches no configured secret",
        ));
    }
    let expires_at = UnixMillis::from_secs(expires);
    if now >= expires_at {
        return Err(Error::new(
            ErrorCode::UrlExpired,
            "the signed URL has expired",
        ));
    }
    if let Some(allowed) = allowed_origins {
        check_origin(&parsed.origin(), allowed)?;
    }
    Ok(SignedUrl {
        url: clean,
        expires_at: expires_at.0,
    })
}

/// `REDIRECT_NOT_ALLOWED` unless `origin` is one of `allowed` (compared as normalised
/// origins); an unparsable allow-list entry is `INVALID_INPUT`.
fn check_origin(origin: &str, allowed: &[&str]) -> Result<()> {
    for entry in allowed {
        let parsed = curl::parse(entry)
            .map_err(|_| Error::invalid_input("allowedOrigins", "must hold absolute origins"))?;
        if parsed.origin() == origin {
            return Ok(());
        }
    }
    Err(Error::new(
        ErrorCode::RedirectNotAllowed,
        "the URL's origin is not allowed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::encoding::tests::every_string;

    const NOW: UnixMillis = UnixMillis(1_700_000_000_000);

    fn key() -> Key {
        Key::from("url-secret")
    }

    fn code(r: Result<impl core::fmt::Debug>) -> ErrorCode {
        r.unwrap_err().code
    }

    #[test]
    fn signs_as_documented() {
        let s = sign_url("https://a.test/p?x=1#frag", &key(), None, NOW).unwrap();
        let (signed, sig) = s.split_once("&sig=").unwrap();
        assert_eq!(signed, "https://a.test/p?x=1&expires=1700000300");
        assert_eq!(
            sig,
            b64url_encode(&hmac_sha256(b"url-secret", signed.as_bytes()))
        );
        assert!(!sig.contains(['=', '+', '/']));
        let s = sign_url("https://a.test/p", &key(), Some(60.0), NOW).unwrap();
        assert!(s.starts_with("https://a.test/p?expires=1700000060&sig="));
        let s = sign_url("https://a.test/p?", &key(), Some(1.5), NOW).unwrap();
        assert!(s.starts_with("https://a.test/p?expires=1700000002&sig="));
        let b = sign_url(
            "https://a.test/",
            &Key::bytes(b"url-secret".to_vec()),
            None,
            NOW,
        );
        assert_eq!(
            b.unwrap(),
            sign_url("https://a.test/", &key(), None, NOW).unwrap()
        );
    }

    #[test]
    fn round_trips() {
        for url in [
            "https://a.test/p",
            "https://a.test/p?x=1&y=%20z",
            "http://localhost:8080/cb?next=%2Fhome#top",
        ] {
            let s = sign_url(url, &key(), None, NOW).unwrap();
            let v = verify_signed_url(&s, &[key()], NOW, None).unwrap();
            assert_eq!(v.url, url.split('#').next().unwrap());
            assert_eq!(v.expires_at, 1_700_000_300_000);
            let json = serde_json::to_value(&v).unwrap();
            assert_eq!(json["expiresAt"], 1_700_000_300_000i64);
        }
        // A fragment added after signing is ignored.
        let s = sign_url("https://a.test/p", &key(), None, NOW).unwrap();
        assert!(verify_signed_url(&format!("{s}#x"), &[key()], NOW, None).is_ok());
    }

    /// `name_is` reads a name as `percent_decode` does: every string of up to five
    /// characters over an alphabet of escapes, hex digits, `+` and the names' letters.
    #[test]
    fn name_is_reads_as_percent_decode() {
        every_string(b"sig%73+eF9x", 5, |raw| {
            for want in ["sig", "expires", "s"] {
                let decoded = curl::percent_decode(raw, true);
                assert_eq!(
                    name_is(raw, want),
                    decoded.as_deref() == Some(want),
                    "{raw:?}"
                );
            }
        });
        assert!(name_is("%65xpires", "expires") && name_is("s%69g", "sig"));
        assert!(!name_is("sig%FF", "sig") && !name_is("%+7", "s") && !name_is("SIG", "sig"));
    }

    #[test]
    fn rotation() {
        let s = sign_url("https://a.test/p", &key(), None, NOW).unwrap();
        let old = Key::from("old");
        assert!(verify_signed_url(&s, &[old.clone(), key()], NOW, None).is_ok());
        assert_eq!(
            code(verify_signed_url(&s, &[old], NOW, None)),
            ErrorCode::SignatureMismatch
        );
    }

    #[test]
    fn expiry_is_exclusive() {
        let s = sign_url("https://a.test/p", &key(), Some(10.0), NOW).unwrap();
        assert!(verify_signed_url(&s, &[key()], NOW.plus_ms(9_999), None).is_ok());
        assert_eq!(
            code(verify_signed_url(&s, &[key()], NOW.plus_ms(10_000), None)),
            ErrorCode::UrlExpired
        );
        let zero = sign_url("https://a.test/p", &key(), Some(0.0), NOW).unwrap();
        assert_eq!(
            code(verify_signed_url(&zero, &[key()], NOW, None)),
            ErrorCode::UrlExpired
        );
    }

    #[test]
    fn origins() {
        let s = sign_url("https://A.test:443/p", &key(), None, NOW).unwrap();
        let ok = ["https://a.test", "https://b.test"];
        assert!(verify_signed_url(&s, &[key()], NOW, Some(&ok)).is_ok());
        let ok = ["https://a.test/"];
        assert!(verify_signed_url(&s, &[key()], NOW, Some(&ok)).is_ok());
        let other = ["https://a.test:8443", "http://a.test"];
        assert_eq!(
            code(verify_signed_url(&s, &[key()], NOW, Some(&other))),
            ErrorCode::RedirectNotAllowed
        );
        assert_eq!(
            code(verify_signed_url(&s, &[key()], NOW, Some(&[]))),
            ErrorCode::RedirectNotAllowed
        );
        let bad = ["not a url"];
        assert_eq!(
            code(verify_signed_url(&s, &[key()], NOW, Some(&bad))),
            ErrorCode::InvalidInput
        );
    }

    #[test]
    fn sign_failures() {
        let k = key();
        assert_eq!(
            code(sign_url("https://a.test/", &Key::from(""), None, NOW)),
            ErrorCode::InvalidConfig
        );
        assert_eq!(
            code(sign_url("https://a.test/", &Key::bytes(vec![]), None, NOW)),
            ErrorCode::InvalidConfig
        );
        for bad in ["/relative", "not a url", "https://a b.test/", ""] {
            assert_eq!(
                code(sign_url(bad, &k, None, NOW)),
                ErrorCode::InvalidInput,
                "{bad}"
            );
        }
        for taken in [
            "https://a.test/?expires=1",
            "https://a.test/?a=1&sig=x",
            "https://a.test/?%65xpires=1",
            "https://a.test/?sig",
        ] {
            assert_eq!(
                code(sign_url(taken, &k, None, NOW)),
                ErrorCode::InvalidInput,
                "{taken}"
            );
        }
        for life in [f64::NAN, -1.0, f64::INFINITY, 1e12] {
            assert_eq!(
                code(sign_url("https://a.test/", &k, Some(life), NOW)),
                ErrorCode::InvalidInput
            );
        }
    }

    #[test]
    fn verify_failures() {
        let k = key();
        let s = sign_url("https://a.test/p?x=1", &k, None, NOW).unwrap();
        let v = |u: &str| code(verify_signed_url(u, &[key()], NOW, None));
        assert_eq!(
            code(verify_signed_url(&s, &[], NOW, None)),
            ErrorCode::InvalidConfig
        );
        assert_eq!(
            code(verify_signed_url(&s, &[Key::from("")], NOW, None)),
            ErrorCode::InvalidConfig
        );
        assert_eq!(v("not a url"), ErrorCode::InvalidInput);
        assert_eq!(
            v("https://a.test/p?x=1&expires=1700000300"),
            ErrorCode::SignatureMissing
        );
        assert_eq!(v("https://a.test/p"), ErrorCode::SignatureMissing);
        let (signed, sig) = s.split_once("&sig=").unwrap();
        // sig not last, bad base64url, wrong length, padded
        assert_eq!(
            v(&format!("https://a.test/p?sig={sig}&expires=1")),
            ErrorCode::SignatureMalformed
        );
        assert_eq!(
            v(&format!("{signed}&sig=!!!")),
            ErrorCode::SignatureMalformed
        );
        assert_eq!(v(&format!("{signed}&sig=")), ErrorCode::SignatureMalformed);
        assert_eq!(
            v(&format!("{signed}&sig=AAAA")),
            ErrorCode::SignatureMalformed
        );
        assert_eq!(
            v(&format!("{signed}&sig={sig}=")),
            ErrorCode::SignatureMalformed
        );
        // expires missing, non-numeric or duplicated
        let sig_of = |u: &str| b64url_encode(&hmac_sha256(b"url-secret", u.as_bytes()));
        for signed in [
            "https://a.test/p?x=1",
            "https://a.test/p?expires=soon",
            "https://a.test/p?expires=1&expires=2",
            "https://a.test/p?sig=1&expires=2",
        ] {
            assert_eq!(
                v(&format!("{signed}&sig={}", sig_of(signed))),
                ErrorCode::SignatureMalformed,
                "{signed}"
            );
        }
        // tampered: query, expiry, path, signature
        assert_eq!(v(&s.replace("x=1", "x=2")), ErrorCode::SignatureMismatch);
        assert_eq!(
            v(&s.replace("1700000300", "1800000300")),
            ErrorCode::SignatureMismatch
        );
        assert_eq!(v(&s.replace("/p?", "/q?")), ErrorCode::SignatureMismatch);
        let mut flipped = sig.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(
            v(&format!("{signed}&sig={flipped}")),
            ErrorCode::SignatureMismatch
        );
        // A forged signature over an expired URL is a mismatch, not an expiry.
        assert_eq!(
            code(verify_signed_url(
                &s.replace("x=1", "x=2"),
                &[key()],
                NOW.plus_ms(1_000_000),
                None
            )),
            ErrorCode::SignatureMismatch
        );
    }
}
