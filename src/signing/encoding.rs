//! The text encodings of signatures: standard base64 (Standard Webhooks), base64url without
//! padding (signed URLs) and hex (Stripe, GitHub).

use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD};
use base64::Engine;

/// Standard base64 with padding.
pub fn b64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard base64, padding optional. `None` when not base64.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    STANDARD_PAD_INDIFFERENT.decode(text).ok()
}

/// A 32-byte MAC in standard base64 (padding optional), decoded without allocating.
/// `None` when not base64 or not 32 bytes.
pub fn b64_decode_32(text: &str) -> Option<[u8; 32]> {
    if text.len() > 64 {
        return None;
    }
    let mut buf = [0u8; 48];
    let n = STANDARD_PAD_INDIFFERENT.decode_slice(text, &mut buf).ok()?;
    <[u8; 32]>::try_from(buf.get(..n)?).ok()
}

/// A 32-byte MAC in hex (either case). `None` when not 64 hex digits. (A received tag is
/// not secret: decoding it may take data-dependent time.)
pub fn hex_decode_32(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *byte = (nibble(*hi)? << 4) | nibble(*lo)?;
    }
    Some(out)
}

const fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Appends the decimal digits of `n`.
pub fn push_decimal(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// base64url without padding.
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// base64url without padding (padding refused). `None` when not base64url.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Lower-case hex.
pub fn hex_encode(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Hex in either case. `None` when not hex.
pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_size_decoders_and_decimal() {
        let mac = [7u8; 32];
        assert_eq!(b64_decode_32(&b64_encode(&mac)), Some(mac));
        assert_eq!(
            b64_decode_32(b64_encode(&mac).trim_end_matches('=')),
            Some(mac)
        );
        assert_eq!(b64_decode_32(&b64_encode(&[7u8; 31])), None);
        assert_eq!(b64_decode_32(&b64_encode(&[7u8; 48])), None);
        assert_eq!(b64_decode_32("!!"), None);
        assert_eq!(hex_decode_32(&hex_encode(&mac)), Some(mac));
        assert_eq!(hex_decode_32(&hex_encode(&mac).to_uppercase()), Some(mac));
        assert_eq!(hex_decode_32(&hex_encode(&[1u8; 31])), None);
        assert_eq!(hex_decode_32("zz"), None);
        for n in [0u64, 7, 10, 1_614_265_330, u64::MAX] {
            let mut out = b"x".to_vec();
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
        }
    }

    #[test]
    fn round_trips() {
        let bytes = [0xfbu8, 0xff, 0x00, 0x3e];
        assert_eq!(b64_encode(&bytes), "+/8APg==");
        assert_eq!(b64_decode("+/8APg==").unwrap(), bytes);
        assert_eq!(b64_decode("+/8APg").unwrap(), bytes);
        assert_eq!(b64url_encode(&bytes), "-_8APg");
        assert_eq!(b64url_decode("-_8APg").unwrap(), bytes);
        assert!(b64url_decode("-_8APg==").is_none());
        assert!(b64url_decode("+/8APg").is_none());
        assert!(b64_decode("not base64!").is_none());
        assert_eq!(hex_encode(&bytes), "fbff003e");
        assert_eq!(hex_decode("FBFF003E").unwrap(), bytes);
        assert!(hex_decode("fg").is_none());
    }
}
