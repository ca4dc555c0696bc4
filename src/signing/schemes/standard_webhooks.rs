//! Standard Webhooks (<https://www.standardwebhooks.com/>): content `id.timestamp.body`,
//! HMAC-SHA256, header `webhook-signature: v1,<base64>[ v1,<base64>…]`.

use crate::core::http::Headers;
use crate::core::text::{concat, decimal, push_decimal, split_once_byte};
use crate::error::{Error, Result};
use crate::signing::encoding::{b64_decode, b64_decode_32, b64_encode};
use crate::signing::hmac::hmac_sha256_parts;
use crate::signing::verifier::{Checked, Prepared, SignedHeaders};
use crate::signing::{
    check_header_value, check_signature_count, check_timestamp, malformed, parse_timestamp,
    required_header, Key, MAX_SIGNATURES,
};

/// The message id header.
pub const ID_HEADER: &str = "webhook-id";
/// The timestamp header (Unix seconds).
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The signature header.
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// The optional prefix of string secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// The HMAC key of a secret: a string is base64 after an optional `whsec_`; bytes are
/// the raw key. Empty or not base64 → `INVALID_CONFIG`.
pub fn decode_key(key: &Key) -> Result<Vec<u8>> {
    match key {
        Key::Bytes(b) if !b.is_empty() => Ok(b.expose().clone()),
        Key::Text(s) => {
            let s = s.as_str();
            let b64 = s.strip_prefix(SECRET_PREFIX).unwrap_or(s);
            match b64_decode(b64) {
                Some(bytes) if !bytes.is_empty() => Ok(bytes),
                _ => Err(Error::invalid_config(
                    "secret",
                    "must be base64 (optionally prefixed with `whsec_`) for standard-webhooks",
                )),
            }
        }
        Key::Bytes(_) => Err(Error::invalid_config("secret", "must not be empty")),
    }
}

/// `v1,<base64 HMAC-SHA256 of id.timestamp.payload>`.
pub fn signature(payload: &[u8], key: &[u8], id: &str, timestamp_secs: i64) -> String {
    let ts = decimal(timestamp_secs);
    let mac = hmac_sha256_parts(key, &[id.as_bytes(), b".", ts.as_bytes(), b".", payload]);
    concat(&["v1,", &b64_encode(&mac)])
}

/// The three headers for `payload`. `id` must be a non-empty header-safe string and the
/// timestamp non-negative, else `INVALID_INPUT`.
pub fn sign(payload: &[u8], key: &[u8], id: &str, timestamp_secs: i64) -> Result<Headers> {
    check_header_value("id", id)?;
    if timestamp_secs < 0 {
        return Err(Error::invalid_input("timestamp", "must not be negative"));
    }
    Ok(Headers(vec![
        (ID_HEADER.into(), id.to_owned().into()),
        (TIMESTAMP_HEADER.into(), decimal(timestamp_secs).into()),
        (
            SIGNATURE_HEADER.into(),
            signature(payload, key, id, timestamp_secs).into(),
        ),
    ]))
}

/// Checks the headers up to the MAC (see [`crate::signing::verifier`]): the content is
/// `id.timestamp.payload`; `v1` tags are 32-byte base64 MACs, other versions are skipped.
pub fn prepare<'h>(headers: &SignedHeaders<'h>, ctx: &Checked<'_>) -> Result<Prepared<'h>> {
    let sig_header = required_header(headers.signature, ctx.sig_header)?;
    let id = required_header(headers.id, ID_HEADER)?;
    let ts_text = required_header(headers.timestamp, TIMESTAMP_HEADER)?;
    // Parsable entries are `<version>,<value>`; only v1 values (32-byte base64 MACs) count,
    // other versions are skipped. One pass, which stops past the most entries allowed.
    let mut entries = 0usize;
    let mut parsable = 0usize;
    let mut tags = Vec::new();
    for entry in sig_header.split_ascii_whitespace() {
        entries += 1;
        if entries > MAX_SIGNATURES {
            break;
        }
        let Some((version, value)) = split_once_byte(entry, b',') else {
            continue;
        };
        if version.is_empty() || value.is_empty() {
            continue;
        }
        if version == "v1" {
            match b64_decode_32(value) {
                Some(tag) => tags.push(tag),
                None => continue,
            }
        }
        parsable += 1;
    }
    check_signature_count(entries)?;
    let timestamp = parse_timestamp(ts_text, "the `webhook-timestamp` header")?;
    if parsable == 0 {
        return Err(malformed(
            "the signature header holds no `v1,<base64>` entry",
        ));
    }
    check_timestamp(timestamp, ctx.now, ctx.tolerance)?;
    let mut prefix = Vec::with_capacity(id.len() + 18);
    prefix.extend_from_slice(id.as_bytes());
    prefix.push(b'.');
    push_decimal(&mut prefix, timestamp.unsigned_abs());
    prefix.push(b'.');
    Ok(Prepared {
        prefix,
        tags,
        id: Some(id),
        timestamp: Some(timestamp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn spec_example() {
        let key = decode_key(&Key::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).unwrap();
        let sig = signature(
            br#"{"test": 2432232314}"#,
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn keys() {
        let with = decode_key(&Key::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).unwrap();
        let without = decode_key(&Key::from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).unwrap();
        assert_eq!(with, without);
        assert_eq!(decode_key(&Key::bytes(vec![1, 2])).unwrap(), vec![1, 2]);
        for bad in ["whsec_", "whsec_!!!", "not base64", ""] {
            let e = decode_key(&Key::from(bad)).unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::InvalidConfig, "{bad}");
            assert!(bad.len() < 7 || !e.message.contains(bad));
        }
        assert!(decode_key(&Key::bytes(vec![])).is_err());
    }

    #[test]
    fn sign_validates_id_and_timestamp() {
        let h = sign(b"x", b"k", "msg_1", 5).unwrap();
        assert_eq!(h.0[0], ("webhook-id".into(), "msg_1".into()));
        assert_eq!(h.0[1], ("webhook-timestamp".into(), "5".into()));
        assert!(h.0[2].1.starts_with("v1,"));
        for bad_id in ["", "a\nb", &"x".repeat(8193)] {
            assert_eq!(
                sign(b"x", b"k", bad_id, 5).unwrap_err().code,
                crate::ErrorCode::InvalidInput
            );
        }
        assert_eq!(
            sign(b"x", b"k", "m", -1).unwrap_err().code,
            crate::ErrorCode::InvalidInput
        );
    }
}
