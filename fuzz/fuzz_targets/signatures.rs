//! Every webhook scheme's headers and payload, and signed URLs: verification never panics,
//! whatever the headers, payload, secrets and clock. Header values are trimmed as `str::trim`
//! trims them, and digits read as `str::parse` reads them. The crate's own base64,
//! hex, HMAC-SHA256 and SHA-256 give what the `base64`, `hmac` and `sha2` crates give.
#![no_main]
use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD, URL_SAFE_NO_PAD_INDIFFERENT,
};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use lms_bridge::core::time::UnixMillis;
use lms_bridge::signing::encoding;
use lms_bridge::signing::{self, Key, Scheme, SignedHeaders, Verifier};
use lms_bridge_fuzz::{headers, parts, text};
use sha2::Digest;

fuzz_target!(|data: &[u8]| {
    let p = parts(data, 6);
    let now = UnixMillis(1_700_000_000_000);
    for scheme in [Scheme::StandardWebhooks, Scheme::Stripe, Scheme::Github] {
        let secrets = [
            Key::text(text(p[0])),
            Key::bytes(p[1].to_vec()),
            Key::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ];
        let h = headers(p[2]);
        let _ = signing::verify_webhook(scheme, p[3], &h, &secrets, None, now, None);
        let _ = signing::verify_webhook(
            scheme,
            p[3],
            &h,
            &secrets,
            Some(f64::INFINITY),
            now,
            Some(&text(p[4])),
        );
        if let Ok(v) = Verifier::new(scheme, &secrets[2..], None, None) {
            let (sig, id, ts) = (text(p[2]), text(p[4]), text(p[5]));
            let signed = SignedHeaders {
                signature: Some(&sig),
                id: Some(&id),
                timestamp: Some(&ts),
            };
            if let Ok(prepared) = v.prepare(&signed, now) {
                let _ = v.matching_own(&prepared, p[3]);
            }
        }
        let _ = signing::sign_webhook(scheme, p[3], &secrets[0], &text(p[4]), 1_700_000_000);
    }
    let value = text(p[2]);
    let trimmed = value.trim();
    match signing::required_header(Some(&value), "h") {
        Ok(v) => assert_eq!(v, trimmed),
        Err(_) => assert!(trimmed.is_empty() || trimmed.len() > 8192),
    }
    // Digits only, at least one (leading zeros, however many, as `str::parse` reads them; no
    // sign).
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    assert_eq!(
        lms_bridge::core::text::parse_digits(&value),
        value.parse::<i64>().ok().filter(|_| digits)
    );
    let url = text(p[2]);
    let origin = text(p[4]);
    let _ = signing::verify_signed_url(&url, &[Key::text(text(p[0]))], now, Some(&[&origin]));
    let _ = signing::sign_url(&url, &Key::text(text(p[0])), Some(300.0), now);
    codecs(&text(p[2]), p[1], p[3]);
});

/// The hand-written codecs and MAC against the crates they replaced.
fn codecs(text: &str, key: &[u8], bytes: &[u8]) {
    assert_eq!(
        encoding::b64_decode(text),
        STANDARD_PAD_INDIFFERENT.decode(text).ok()
    );
    assert_eq!(
        encoding::b64url_decode_padding_optional(text),
        URL_SAFE_NO_PAD_INDIFFERENT.decode(text).ok()
    );
    assert_eq!(encoding::b64_encode(bytes), STANDARD.encode(bytes));
    assert_eq!(
        encoding::b64url_encode(bytes),
        URL_SAFE_NO_PAD.encode(bytes)
    );
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(encoding::hex_encode(bytes), hex);
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(bytes);
    let mac: [u8; 32] = mac.finalize().into_bytes().into();
    assert_eq!(signing::hmac_sha256(key, bytes), mac);
    let (a, b) = bytes.split_at(bytes.len() / 3);
    assert_eq!(signing::hmac::hmac_sha256_parts(key, &[a, b]), mac);
    let digest: [u8; 32] = sha2::Sha256::digest(bytes).into();
    assert_eq!(signing::sha256(bytes), digest);
}
