//! Stripe: header `Stripe-Signature: t=<ts>,v1=<hex>[,v1=<hex>…]`, content `ts.body`,
//! HMAC-SHA256 keyed with the secret's bytes (`whsec_` included).

use crate::core::http::Headers;
use crate::core::text::{concat, decimal, pieces, split_once_byte};
use crate::error::{Error, Result};
use crate::signing::encoding::{hex_decode_32, hex_encode};
use crate::signing::hmac::hmac_sha256_parts;
use crate::signing::verifier::{Checked, Prepared, SignedHeaders};
use crate::signing::{
    check_signature_count, check_timestamp, malformed, parse_timestamp, required_header,
};

/// The signature header.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// `t=<ts>,v1=<hex HMAC-SHA256 of ts.payload>`.
pub fn header_value(payload: &[u8], key: &[u8], timestamp_secs: i64) -> String {
    let ts = decimal(timestamp_secs);
    let mac = hmac_sha256_parts(key, &[ts.as_bytes(), b".", payload]);
    concat(&["t=", &ts, ",v1=", &hex_encode(&mac)])
}

/// The `Stripe-Signature` header for `payload`; a negative timestamp is `INVALID_INPUT`.
pub fn sign(payload: &[u8], key: &[u8], timestamp_secs: i64) -> Result<Headers> {
    if timestamp_secs < 0 {
        return Err(Error::invalid_input("timestamp", "must not be negative"));
    }
    Ok(Headers(vec![(
        SIGNATURE_HEADER.into(),
        header_value(payload, key, timestamp_secs).into(),
    )]))
}

/// Checks the header up to the MAC (see [`crate::signing::verifier`]); the content is
/// `t.payload` with `t` exactly as received. A header
/// without exactly one `t=` or without any `v<n>=` entry is `SIGNATURE_MALFORMED`; `v0`
/// and other versions are skipped.
pub fn prepare<'h>(headers: &SignedHeaders<'h>, ctx: &Checked<'_>) -> Result<Prepared<'h>> {
    let value = required_header(headers.signature, ctx.sig_header)?;
    // One pass over the `key=value` entries (an entry without `=` is skipped): the `t=`
    // entries, the signatures (`v…=`), and the `v1` tags that decode. Checked after it, in
    // this order: the number of signatures, one `t=`, its value, a parsable signature.
    let (mut signatures, mut parsable, mut t_entries) = (0usize, 0usize, 0usize);
    let mut ts_text = None;
    let mut tags = Vec::new();
    for (k, v) in pieces(value, b',').filter_map(|item| split_once_byte(item.trim(), b'=')) {
        if k == "t" {
            t_entries += 1;
            ts_text = ts_text.or(Some(v));
        }
        if !k.starts_with("v") {
            continue;
        }
        signatures += 1;
        let versioned = k.len() > 1 && k.bytes().skip(1).all(|b| b.is_ascii_digit());
        if !versioned || v.is_empty() {
            continue;
        }
        if k == "v1" {
            match hex_decode_32(v) {
                Some(tag) => tags.push(tag),
                None => continue,
            }
        }
        parsable += 1;
    }
    check_signature_count(signatures)?;
    let (Some(ts_text), 1) = (ts_text, t_entries) else {
        return Err(malformed(
            "the signature header needs exactly one `t=` entry",
        ));
    };
    let timestamp = parse_timestamp(ts_text, "the `t=` entry")?;
    if parsable == 0 {
        return Err(malformed("the signature header holds no `v1=<hex>` entry"));
    }
    check_timestamp(timestamp, ctx.now, ctx.tolerance)?;
    Ok(Prepared {
        prefix: [ts_text.as_bytes(), b"."].concat(),
        tags,
        id: None,
        timestamp: Some(timestamp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_format() {
        let v = header_value(b"{}", b"whsec_test", 1_700_000_000);
        let (t, sig) = v.split_once(",v1=").unwrap();
        assert_eq!(t, "t=1700000000");
        assert_eq!(sig.len(), 64);
        assert_eq!(
            sig,
            hex_encode(&crate::signing::hmac_sha256(
                b"whsec_test",
                b"1700000000.{}"
            ))
        );
        assert_eq!(
            sign(b"", b"k", -5).unwrap_err().code,
            crate::ErrorCode::InvalidInput
        );
    }
}
