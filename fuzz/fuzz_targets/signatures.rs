//! Every webhook scheme's headers and payload, and signed URLs: verification never panics,
//! whatever the headers, payload, secrets and clock. Header values are trimmed as `str::trim`
//! trims them, and up to 19 digits read as `str::parse` reads them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lms_bridge::core::time::UnixMillis;
use lms_bridge::signing::{self, Key, Scheme, SignedHeaders, Verifier};
use lms_bridge_fuzz::{headers, parts, text};

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
    // 1 to 19 digits (`parse_digits` refuses more, whatever their value).
    let digits = (1..=19).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
    assert_eq!(
        lms_bridge::core::text::parse_digits(&value),
        value.parse::<i64>().ok().filter(|_| digits)
    );
    let url = text(p[2]);
    let origin = text(p[4]);
    let _ = signing::verify_signed_url(&url, &[Key::text(text(p[0]))], now, Some(&[&origin]));
    let _ = signing::sign_url(&url, &Key::text(text(p[0])), Some(300.0), now);
});
