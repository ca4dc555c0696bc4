//! Every request builder and static helper, given arbitrary JSON (or text) as its input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lms_bridge::core::time::UnixMillis;
use lms_bridge::core::url::percent_decode;
use lms_bridge::vendors::{alphalearn, learnworlds, miles_masterclass, teach_on_mars};
use lms_bridge_fuzz::{json_value, text};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let input = json_value(data);
    let s = text(data);
    let now = UnixMillis(1_700_000_000_000);
    let _ = miles_masterclass::Config::from_options(&input);
    let _ = alphalearn::Config::from_options(&input);
    let _ = teach_on_mars::Config::from_options(&input);
    let _ = learnworlds::Config::from_options(&input);
    if let Ok(mm) = miles_masterclass::Config::from_options(
        &json!({"baseUrl": "https://mm.example.com", "apiKey": "mm-fuzz-key"}),
    ) {
        for built in [
            mm.build_auto_subscribe(&input),
            mm.build_access_control(&input),
            mm.build_create_login_url(&input),
        ] {
            if let Some(body) = built.ok().and_then(|r| r.body) {
                assert_serde_text(&body);
            }
        }
    }
    if let Ok(al) = alphalearn::Config::from_options(&json!({})) {
        let _ = al.build_login(&input);
        let _ = al.build_refresh_token(&s);
        let _ = al.build_login_with_third_party(&input);
        let _ = al.build_forgot_password(&input);
    }
    let _ = alphalearn::login_by_jwt_form(&input);
    let _ = alphalearn::render_auto_submit_form(&input, Some(&s));
    if let Ok(tom) = teach_on_mars::Config::from_options(
        &json!({"baseUrl": "https://tom.example.com", "auth": {"accessToken": "tom-fuzz-token"}}),
    ) {
        for built in [
            tom.build_create_learner(&input, "tok"),
            tom.build_update_learner(&s, &input, "tok"),
        ] {
            if let Some(body) = built.ok().and_then(|r| r.body) {
                assert_serde_text(&body);
            }
        }
        let _ = tom.build_search_learners(&s, "tok");
        let _ = tom.build_find_learner_by_login(&s, "tok");
        let _ = tom.build_get_auth_token(&s, "tok");
    }
    let _ = teach_on_mars::deep_link(&s, Some(true), None);
    let _ = teach_on_mars::tom_legacy_headers(&input, now, &[7; 64]);
    if let Ok(lw) = learnworlds::Config::from_options(
        &json!({"schoolUrl": "https://school.example.com", "clientId": "c", "clientSecret": "lw-fuzz-secret"}),
    ) {
        let _ = lw.build_user_token(&input);
        let _ = lw.build_refresh_user_token(&s);
        if let Some(body) = lw.build_sso(&input, "tok").ok().and_then(|r| r.body) {
            let data = body
                .strip_prefix("data=")
                .and_then(|d| percent_decode(d, true));
            assert_serde_text(&data.expect("a data= form body"));
        }
        let _ = lw.build_user_sso(&s, &input);
    }
});

/// A JSON request body is the text serde writes for its value: the builders write it by hand
/// (`core::json::ordered_json`), as serde would.
fn assert_serde_text(body: &str) {
    let value: serde_json::Value = body.parse().expect("a JSON body");
    assert_eq!(value.to_string(), body);
}
