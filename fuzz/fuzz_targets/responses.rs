//! Every vendor response parser, given any status, headers and body.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lms_bridge::core::time::UnixMillis;
use lms_bridge::vendors::{alphalearn, learnworlds, miles_masterclass, teach_on_mars};
use lms_bridge_fuzz::response;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let resp = response(data);
    // The small JSON reader reads what serde_json reads (but near f64::MAX: see core::tree).
    let tree = lms_bridge::core::tree::parse(&resp.body).map(|t| t.root().to_value());
    let serde = std::str::from_utf8(&resp.body)
        .map_err(|_| None)
        .and_then(|t| {
            t.parse::<serde_json::Value>()
                .map_err(|e| Some(e.to_string()))
        });
    let near_max = |v: &serde_json::Value| v.to_string().contains("e308");
    match (&tree, &serde) {
        (_, Err(Some(e))) if e.starts_with("number out of range") => {}
        (None, Ok(v)) if near_max(v) => {}
        _ => assert_eq!(tree, serde.ok()),
    }
    let now = UnixMillis(1_700_000_000_000);
    if let Ok(mm) = miles_masterclass::Config::from_options(
        &json!({"baseUrl": "https://mm.example.com/api", "apiKey": "mm-fuzz-key"}),
    ) {
        // The typed success path answers as the Value path: that path's error, or the same
        // JSON for JS (the body's own text against the Value written again), numbers aside
        // where serde_json's float reading rounds off (the body's text is read as written).
        for (typed, by_value) in miles_masterclass::parse_paths(&mm, &resp) {
            let json = |t: String| t.parse::<serde_json::Value>().ok();
            match (typed, by_value) {
                (Ok(t), Ok(v)) if !serde_may_round_off(&resp.body) => assert_eq!(json(t), json(v)),
                (Ok(_), Ok(_)) => {}
                (t, v) => assert_eq!(t, v),
            }
        }
        let _ = mm.parse_create_login_url(&resp);
    }
    if let Ok(al) =
        alphalearn::Config::from_options(&json!({"baseUrl": "https://al.example.com/v3"}))
    {
        // A login result is handed to JS as the text `to_json` writes: what serde writes.
        if let Ok(login) = al.parse_login(&resp) {
            assert_eq!(Some(login.to_json()), serde_json::to_string(&login).ok());
        }
        // And JS gets that text on either path, the typed read writing it from the body.
        let json = al
            .parse_login_json(&resp)
            .map_err(|e| (e.code, e.message.clone()));
        let result = al
            .parse_login(&resp)
            .map_err(|e| (e.code, e.message.clone()));
        assert_eq!(json, result.map(|r| r.to_json()));
        let _ = al.parse_refresh_token(&resp);
        let _ = al.parse_login_with_third_party(&resp);
        let _ = al.parse_forgot_password(&resp);
        // The parsers over core::tree decide as the Value path of earlier versions did,
        // numbers aside where serde_json's float parsing rounds off (core::text::number_text
        // writes the correctly rounded number).
        let ((old_login, login), (old_token, token)) = alphalearn::parse_paths(&resp);
        if !serde_may_round_off(&resp.body) {
            let key = |e: lms_bridge::Error| {
                (
                    e.details_value(),
                    e.code,
                    e.message.clone(),
                    e.status,
                    e.vendor_code.clone(),
                )
            };
            assert_eq!(old_login.map_err(key), login.map_err(key));
            assert_eq!(old_token.map_err(key), token.map_err(key));
        }
    }
    if let Ok(tom) = teach_on_mars::Config::from_options(
        &json!({"baseUrl": "https://tom.example.com", "auth": {"accessToken": "tom-fuzz-token"}}),
    ) {
        let _ = tom.parse_create_learner(&resp);
        let _ = tom.parse_update_learner(&resp);
        // Where the typed read of a plain learner answers, it agrees with the Value path.
        let (learner, typed_learner) = tom.learner_paths(&resp);
        if let Some(typed) = typed_learner {
            assert_eq!(learner.ok(), Some(typed));
        }
        let _ = tom.parse_search_learners(&resp);
        let _ = tom.parse_find_learner_by_login(&resp, "ann");
        let _ = tom.parse_get_auth_token(&resp);
        let _ = tom.parse_token(&resp, now);
    }
    if let Ok(lw) = learnworlds::Config::from_options(
        &json!({"schoolUrl": "https://school.example.com", "clientId": "c", "clientSecret": "lw-fuzz-secret"}),
    ) {
        let _ = lw.parse_token(&resp, now);
        let _ = lw.parse_user_token(&resp, now);
        let _ = lw.parse_refresh_user_token(&resp, now);
        // The typed success path answers as the Value path, with and without an echoed id.
        for input in [
            json!({"email": "a@b.co"}),
            json!({"userId": 42}),
            json!(null),
        ] {
            let (typed, by_value) = lw.sso_paths(&resp, &input);
            assert_eq!(typed, by_value);
        }
        let _ = lw.parse_user_sso(&resp);
    }
});

/// Whether `body` may hold a number `serde_json` (without `float_roundtrip`) reads a unit off
/// in the last place: one with an exponent of two digits or more, or more than 15 digits
/// before it (a decimal point among them: `1343524592738.4015757` is read a unit off).
fn serde_may_round_off(body: &[u8]) -> bool {
    let mut run = 0;
    let mut exponent = false;
    for &b in body {
        if b == b'.' && run > 0 {
            continue;
        }
        if b.is_ascii_digit() {
            run += 1;
            if run > 15 || (exponent && run >= 2) {
                return true;
            }
        } else {
            exponent =
                matches!(b, b'e' | b'E') || (exponent && run == 0 && matches!(b, b'+' | b'-'));
            run = 0;
        }
    }
    false
}
