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
