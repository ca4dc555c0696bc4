//! What arrives from the internet: Miles Masterclass progress callbacks, LearnWorlds
//! webhooks (static and HMAC), LearnWorlds custom-SSO redirects, AlphaLearn JWT sessions.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lms_bridge::core::time::UnixMillis;
use lms_bridge::vendors::{alphalearn, learnworlds, miles_masterclass};
use lms_bridge_fuzz::{headers, parts, text};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let p = parts(data, 3);
    let (h, body, url) = (headers(p[0]), p[1], text(p[2]));
    let now = UnixMillis(1_700_000_000_000);
    for callback in [
        json!({"apiKey": "cb-fuzz-key"}),
        json!({"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}),
    ] {
        let opts = json!({"baseUrl": "https://mm.example.com", "apiKey": "mm-fuzz-key", "callback": callback});
        if let Ok(mm) = miles_masterclass::Config::from_options(&opts) {
            let _ = mm.verify_progress_callback(body, &h, now);
        }
    }
    for opts in [
        json!({"signature": "lw-fuzz-signature"}),
        json!({"signature": "lw-fuzz-signature", "mode": "hmac-sha256-hex"}),
    ] {
        let _ = learnworlds::verify_webhook(body, &h, &opts);
    }
    let _ = learnworlds::parse_custom_sso_request(
        &url,
        &json!({"allowedOrigins": ["https://lms.example.com"]}),
    );
    let _ = alphalearn::jwt_expiry(&url);
    let _ = alphalearn::session_expiry(&url, now);
});
