//! `tomLegacyHeaders`: the `X-TOM-*` headers of the legacy v3 routes (vendor §6). Not an
//! HMAC: a secret-prefix SHA-256 over an MD5 of body and URL, reproduced exactly.

use md5::{Digest, Md5};
use serde_json::Value;

use super::header_safe;
use crate::core::http::Headers;
use crate::core::input::Fields;
use crate::core::text::decimal;
use crate::core::time::UnixMillis;
use crate::core::url::check_http_url;
use crate::error::{Error, Result};

/// How many random bytes the caller should pass to [`tom_legacy_headers`]: 64 bytes leave
/// ~62 usable after rejection sampling, for the 32 needed (running short is a negligible
/// 2⁻⁸⁰-ish event, reported as an error rather than a biased nonce).
pub const NONCE_RANDOM_BYTES: usize = 64;

/// Length of a generated nonce.
const NONCE_LEN: usize = 32;

/// The nonce alphabet, `[A-Za-z0-9]` (62 characters).
const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The largest multiple of 62 that fits in a byte: bytes at or above it are rejected.
const ACCEPT_BELOW: u8 = 248;

/// A 32-character `[A-Za-z0-9]` nonce from CSPRNG bytes, unbiased by rejection sampling
/// (bytes ≥ 248 are skipped, the rest taken mod 62). `None` when fewer than 32 bytes
/// survive: pass [`NONCE_RANDOM_BYTES`] (64) fresh random bytes.
pub fn nonce_from_bytes(random: &[u8]) -> Option<String> {
    let nonce: String = random
        .iter()
        .filter(|b| **b < ACCEPT_BELOW)
        .filter_map(|b| ALPHABET.get(usize::from(b % 62)).map(|c| char::from(*c)))
        .take(NONCE_LEN)
        .collect();
    (nonce.len() == NONCE_LEN).then_some(nonce)
}

/// Whether an injected nonce matches `[A-Za-z0-9]{1,128}`.
fn nonce_ok(nonce: &str) -> bool {
    (1..=128).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A required non-empty string usable in a header (or in the hash).
fn header_str<'a>(f: &Fields<'a>, key: &str) -> Result<&'a str> {
    let s = f.non_empty(key)?;
    if !header_safe(s) {
        return Err(Error::invalid_input(
            key,
            "must not contain control characters",
        ));
    }
    Ok(s)
}

/// `lowerhex(MD5(bodyPart + url))`.
fn inner_hash(body_part: &[u8], url: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(body_part);
    md5.update(url.as_bytes());
    crate::signing::encoding::hex_encode(&md5.finalize())
}

/// `lowerhex(SHA-256(apiSecret + rts + app + inner + nonce))`.
fn api_hash(secret: &str, rts: &str, app: &str, inner: &str, nonce: &str) -> String {
    let parts = [secret, rts, app, inner, nonce].map(str::as_bytes);
    crate::signing::encoding::hex_encode(&crate::signing::hmac::sha256_parts(&parts))
}

/// `tomLegacyHeaders({ method, url, body?, apiKey, apiSecret, app, timestamp?, nonce?,
/// language? })`: exactly the six headers `X-TOM-API-KEY`, `X-TOM-APP`, `X-TOM-RTS`
/// (Unix seconds: `timestamp`, else `now`), `X-TOM-NONCE`, `X-TOM-API-HASH`,
/// `X-TOM-APPLICATION-LANGUAGE` (default `en`).
///
/// The body part of the hash is empty for GET/DELETE or when no `body` is given, else the
/// exact `body` string; `url` is hashed exactly as given (send it unchanged). An injected
/// `nonce` must match `[A-Za-z0-9]{1,128}`; otherwise one is generated with
/// [`nonce_from_bytes`] from `random_nonce` (pass [`NONCE_RANDOM_BYTES`] fresh CSPRNG
/// bytes; too few usable bytes → `INVALID_INPUT` on `randomBytes`, an internal misuse).
/// Bad input → `INVALID_INPUT` naming the field; the secret is never echoed.
pub fn tom_legacy_headers(input: &Value, now: UnixMillis, random_nonce: &[u8]) -> Result<Headers> {
    tom_legacy_headers_with_body(input, None, now, random_nonce)
}

/// [`tom_legacy_headers`] with the body given as bytes (JS: a `Uint8Array` `body`), used
/// instead of any `body` string in `input`.
pub fn tom_legacy_headers_with_body(
    input: &Value,
    body_bytes: Option<&[u8]>,
    now: UnixMillis,
    random_nonce: &[u8],
) -> Result<Headers> {
    let f = Fields::new(input, "input")?;
    let method = f.non_empty("method")?;
    if !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::invalid_input(
            "method",
            "must be an HTTP method name",
        ));
    }
    let url = f.non_empty("url")?;
    check_http_url("url", url)?;
    let body = match body_bytes {
        Some(bytes) => Some(bytes),
        None => f.opt_str("body")?.map(str::as_bytes),
    };
    let api_key = header_str(&f, "apiKey")?;
    let api_secret = f.non_empty("apiSecret")?;
    let app = header_str(&f, "app")?;
    let language = match f.opt_str("language")? {
        None => "en",
        Some(_) => header_str(&f, "language")?,
    };
    // Only an absent timestamp means "now": null is refused like any other non-number.
    let rts = match f.map().get("timestamp") {
        None => now.as_secs(),
        Some(v) => v
            .as_i64()
            .filter(|s| *s >= 0)
            .or_else(|| {
                v.as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0 && s.fract() == 0.0 && *s < 1e15)
                    .map(|s| s as i64)
            })
            .ok_or_else(|| {
                Error::invalid_input(
                    "timestamp",
                    "must be a non-negative whole number of seconds",
                )
            })?,
    };
    let nonce = match f.opt_str("nonce")? {
        Some(n) if nonce_ok(n) => n.to_owned(),
        Some(_) => {
            return Err(Error::invalid_input(
                "nonce",
                "must match [A-Za-z0-9]{1,128}",
            ));
        }
        None => nonce_from_bytes(random_nonce).ok_or_else(|| {
            Error::invalid_input(
                "randomBytes",
                "must hold at least 32 usable bytes (pass 64 fresh random bytes)",
            )
        })?,
    };
    let bodiless = method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("DELETE");
    let body_part = if bodiless {
        &[][..]
    } else {
        body.unwrap_or_default()
    };
    let rts = decimal(rts);
    let inner = inner_hash(body_part, url);
    let hash = api_hash(api_secret, &rts, app, &inner, &nonce);
    Ok(Headers(vec![
        ("X-TOM-API-KEY".into(), api_key.to_owned().into()),
        ("X-TOM-APP".into(), app.to_owned().into()),
        ("X-TOM-RTS".into(), rts.into()),
        ("X-TOM-NONCE".into(), nonce.into()),
        ("X-TOM-API-HASH".into(), hash.into()),
        (
            "X-TOM-APPLICATION-LANGUAGE".into(),
            language.to_owned().into(),
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    const SECRET: &str = "s3cr3t-api-secret";
    const RTS: &str = "1583309761";
    const APP: &str = "com.example.tom";
    const NONCE: &str = "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56";
    const POST_URL: &str = "https://my-userdata.teachonmars.com/api/v3/verifyIdentityToken";
    const POST_BODY: &str = r#"{"learnerId":"tGh36f20-9850-11e7-91f7-154587089c87","token":"sometokenobtainedfromtheapp"}"#;
    const GET_URL: &str = "https://my-userdata.teachonmars.com/api/v3/learner?limit=10&page=1";

    fn input(method: &str, url: &str, body: Option<&str>) -> Value {
        let mut v = json!({"method": method, "url": url, "apiKey": "key-1",
            "apiSecret": SECRET, "app": APP, "timestamp": 1_583_309_761u64, "nonce": NONCE});
        if let Some(b) = body {
            v["body"] = json!(b);
        }
        v
    }

    #[test]
    fn derived_vector_1_post() {
        let inner = inner_hash(POST_BODY.as_bytes(), POST_URL);
        assert_eq!(inner, "2ab57975c0a585dd770002386cdcaf5e");
        assert_eq!(
            api_hash(SECRET, RTS, APP, &inner, NONCE),
            "2c8ed6b1cfc2de3ba5bfed92c3e5bb5695ed8749a55940916488b1d14e69eeb5"
        );
        let h = tom_legacy_headers(
            &input("POST", POST_URL, Some(POST_BODY)),
            UnixMillis(0),
            &[],
        )
        .unwrap();
        assert_eq!(
            h.get("X-TOM-API-HASH"),
            Some("2c8ed6b1cfc2de3ba5bfed92c3e5bb5695ed8749a55940916488b1d14e69eeb5")
        );
    }

    #[test]
    fn derived_vector_2_get() {
        let inner = inner_hash(b"", GET_URL);
        assert_eq!(inner, "a34594d962578e590353e6c17b21fe80");
        assert_eq!(
            api_hash(SECRET, RTS, APP, &inner, NONCE),
            "e7656e356793440ad97c7b47a4d456ca7b8a5259dd421b4bdb6ab1b94f4cda56"
        );
        let h = tom_legacy_headers(&input("GET", GET_URL, None), UnixMillis(0), &[]).unwrap();
        assert_eq!(
            h.get("X-TOM-API-HASH"),
            Some("e7656e356793440ad97c7b47a4d456ca7b8a5259dd421b4bdb6ab1b94f4cda56")
        );
        // A body given as bytes hashes like the same text.
        let text = tom_legacy_headers(
            &input("POST", POST_URL, Some(POST_BODY)),
            UnixMillis(0),
            &[],
        );
        let bytes = tom_legacy_headers_with_body(
            &input("POST", POST_URL, None),
            Some(POST_BODY.as_bytes()),
            UnixMillis(0),
            &[],
        );
        let (text, bytes) = (text.unwrap(), bytes.unwrap());
        assert_eq!(text.get("X-TOM-API-HASH"), bytes.get("X-TOM-API-HASH"));
        // GET (any case) and DELETE ignore a body.
        let with_body = tom_legacy_headers(
            &input("get", GET_URL, Some("{\"a\":1}")),
            UnixMillis(0),
            &[],
        )
        .unwrap();
        assert_eq!(with_body.get("X-TOM-API-HASH"), h.get("X-TOM-API-HASH"));
        let del =
            tom_legacy_headers(&input("DELETE", GET_URL, Some("x")), UnixMillis(0), &[]).unwrap();
        let del_none =
            tom_legacy_headers(&input("DELETE", GET_URL, None), UnixMillis(0), &[]).unwrap();
        assert_eq!(del.get("X-TOM-API-HASH"), del_none.get("X-TOM-API-HASH"));
        // POST without a body hashes an empty body part; a raw `{}` is hashed as sent.
        let post_none =
            tom_legacy_headers(&input("POST", GET_URL, None), UnixMillis(0), &[]).unwrap();
        assert_eq!(post_none.get("X-TOM-API-HASH"), h.get("X-TOM-API-HASH"));
        let post_empty =
            tom_legacy_headers(&input("POST", GET_URL, Some("{}")), UnixMillis(0), &[]).unwrap();
        assert_ne!(post_empty.get("X-TOM-API-HASH"), h.get("X-TOM-API-HASH"));
    }

    #[test]
    fn exactly_six_headers_in_order() {
        let h = tom_legacy_headers(&input("GET", GET_URL, None), UnixMillis(0), &[]).unwrap();
        let names: Vec<&str> = h.0.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(
            names,
            [
                "X-TOM-API-KEY",
                "X-TOM-APP",
                "X-TOM-RTS",
                "X-TOM-NONCE",
                "X-TOM-API-HASH",
                "X-TOM-APPLICATION-LANGUAGE"
            ]
        );
        assert_eq!(h.get("X-TOM-API-KEY"), Some("key-1"));
        assert_eq!(h.get("X-TOM-APP"), Some(APP));
        assert_eq!(h.get("X-TOM-RTS"), Some(RTS));
        assert_eq!(h.get("X-TOM-NONCE"), Some(NONCE));
        assert_eq!(h.get("X-TOM-APPLICATION-LANGUAGE"), Some("en"));
        let mut i = input("GET", GET_URL, None);
        i["language"] = json!("fr");
        let h = tom_legacy_headers(&i, UnixMillis(0), &[]).unwrap();
        assert_eq!(h.get("X-TOM-APPLICATION-LANGUAGE"), Some("fr"));
        assert!(!format!("{h:?}").contains(SECRET));
    }

    #[test]
    fn rts_is_seconds_from_now() {
        let mut i = input("GET", GET_URL, None);
        i.as_object_mut().unwrap().remove("timestamp");
        let h = tom_legacy_headers(&i, UnixMillis(1_583_309_761_999), &[]).unwrap();
        assert_eq!(h.get("X-TOM-RTS"), Some(RTS));
        assert_eq!(
            h.get("X-TOM-API-HASH"),
            Some("e7656e356793440ad97c7b47a4d456ca7b8a5259dd421b4bdb6ab1b94f4cda56")
        );
    }

    #[test]
    fn generated_nonce() {
        let mut i = input("GET", GET_URL, None);
        i.as_object_mut().unwrap().remove("nonce");
        let bytes: Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37)).collect();
        let h = tom_legacy_headers(&i, UnixMillis(0), &bytes).unwrap();
        let n = h.get("X-TOM-NONCE").unwrap();
        assert_eq!(n.len(), 32);
        assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(Some(n.to_owned()), nonce_from_bytes(&bytes));
        // Too few bytes → an error, never a short nonce.
        let e = tom_legacy_headers(&i, UnixMillis(0), &[1; 31]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }

    #[test]
    fn nonce_rejection_sampling_is_unbiased() {
        // 0 → A, 61 → 9, 62 → A again; 248..=255 are skipped.
        let mut bytes = vec![248u8, 255, 0, 61, 62, 247, 250];
        bytes.extend(std::iter::repeat_n(1u8, 28));
        let n = nonce_from_bytes(&bytes).unwrap();
        assert!(n.starts_with("A9A9"), "{n}"); // 247 = 3 * 62 + 61
        assert_eq!(&n[4..], "B".repeat(28));
        assert_eq!(nonce_from_bytes(&[255u8; 64]), None);
        assert_eq!(nonce_from_bytes(&[0u8; 32]).unwrap(), "A".repeat(32));
        // Every residue is reached by exactly 4 accepted byte values.
        let mut counts = [0u32; 62];
        for b in 0..=255u8 {
            if b < ACCEPT_BELOW {
                counts[usize::from(b % 62)] += 1;
            }
        }
        assert!(counts.iter().all(|c| *c == 4));
    }

    #[test]
    fn bad_input() {
        let base = input("GET", GET_URL, None);
        let cases: Vec<(&str, Value)> = vec![
            ("method", json!("")),
            ("method", json!("GE T")),
            ("url", json!("/relative")),
            ("url", json!("ftp://x.test/")),
            ("apiKey", json!("")),
            ("apiKey", json!("k\r\nX: y")),
            ("apiSecret", json!(null)),
            ("app", json!(3)),
            ("timestamp", json!(-1)),
            ("timestamp", json!(1.5)),
            ("timestamp", json!("1583309761")),
            ("timestamp", json!(null)),
            ("nonce", json!("")),
            ("nonce", json!("abc-def")),
            ("nonce", json!("a".repeat(129))),
            ("language", json!("")),
            ("body", json!({"a": 1})),
        ];
        for (field, value) in cases {
            let mut i = base.clone();
            i[field] = value;
            let e = tom_legacy_headers(&i, UnixMillis(0), &[0; 64]).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{field}");
            assert!(
                e.message.starts_with(&format!("`{field}`")),
                "{}",
                e.message
            );
            assert!(!e.message.contains(SECRET));
        }
        let mut i = base.clone();
        i["nonce"] = json!("a".repeat(128));
        assert!(tom_legacy_headers(&i, UnixMillis(0), &[]).is_ok());
    }
}
