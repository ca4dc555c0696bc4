//! Tests of every pure item of the vendor file's §7 checklist.

use super::*;
use crate::core::http::{Headers, HttpResponse, Method};
use crate::error::ErrorCode;
use crate::signing::{sign_webhook, verify_webhook};
use serde_json::json;

const KEY: &str = "mm-api-key-123";
const CB_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TS: i64 = 1_740_823_200;
const NOW: UnixMillis = UnixMillis(TS * 1000);

fn cfg_with(extra: Value) -> Config {
    let mut opts =
        json!({"baseUrl": "https://test-masterclass.milesmasterclass.com/api/", "apiKey": KEY});
    for (k, v) in extra.as_object().unwrap() {
        opts[k] = v.clone();
    }
    Config::from_options(&opts).unwrap()
}

fn cfg() -> Config {
    cfg_with(json!({}))
}

fn code<T: core::fmt::Debug>(r: Result<T>) -> ErrorCode {
    r.unwrap_err().code
}

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

// ---------- configuration ----------

#[test]
fn options_defaults() {
    let c = cfg();
    assert_eq!(
        c.base_url,
        "https://test-masterclass.milesmasterclass.com/api"
    );
    assert_eq!(c.api_key_header, "X-API-Key");
    assert_eq!(c.paths.auto_subscribe, "/integrations/lms/auto-subscribe");
    assert_eq!(c.paths.access_control, "/access/control");
    assert_eq!(c.paths.login_url, "/integrations/lms/login-url");
    assert_eq!(c.callback.scheme, Scheme::StandardWebhooks);
    assert_eq!(c.callback.api_key_header, "X-API-Key");
    assert!(!c.signs_requests());
    assert_eq!(c.secrets(), vec![KEY]);
    assert!(!format!("{c:?}").contains(KEY));
}

#[test]
fn options_are_validated() {
    let bad = [
        json!(null),
        json!({"apiKey": KEY}),
        json!({"baseUrl": "http://mm.example.com", "apiKey": KEY}),
        json!({"baseUrl": "ftp://mm.example.com", "apiKey": KEY}),
        json!({"baseUrl": "not a url", "apiKey": KEY}),
        json!({"baseUrl": "https://mm.example.com"}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": ""}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": 5}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "apiKeyHeader": "bad header"}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "requestSigning": {}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "requestSigning": {"secret": "whsec_%%"}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "requestSigning": "x"}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "callback": {"scheme": "svix"}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "callback": {"secret": 5}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "callback": {"apiKey": [1]}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "callback": {"toleranceSeconds": -1}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "paths": {"loginUrl": "login"}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "paths": {"loginUrl": "//evil.com/x"}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "fieldNames": {"email": ""}}),
        json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "fieldNames": ["x"]}),
    ];
    for opts in bad {
        let e = Config::from_options(&opts).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig, "{opts}");
        assert_eq!(e.vendor, Some(Vendor::MilesMasterclass));
        assert!(!e.message.contains(KEY));
    }
    // Loopback http is fine; shared ClientOptions keys are ignored.
    let ok =
        json!({"baseUrl": "http://127.0.0.1:9000", "apiKey": KEY, "timeoutMs": 5, "retries": 0});
    assert!(Config::from_options(&ok).is_ok());
    // Only a number: the string "Infinity" (or any string, or null) never turns the
    // replay check off.
    for bad in [
        json!("Infinity"),
        json!("300"),
        json!(null),
        json!(true),
        json!({}),
    ] {
        let opts = json!({"baseUrl": "https://mm.example.com", "apiKey": KEY, "callback": {"toleranceSeconds": bad}});
        let e = Config::from_options(&opts).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig, "{bad}");
        assert!(e.message.contains("callback.toleranceSeconds"));
    }
}

#[test]
fn secrets_lists_every_key() {
    let c = cfg_with(json!({
        "requestSigning": {"secret": "whsec_c2lnbmluZw=="},
        "callback": {"secret": ["whsec_YQ==", "whsec_Yg=="], "apiKey": ["cb-key"]},
    }));
    assert_eq!(
        c.secrets(),
        vec![
            KEY,
            "whsec_c2lnbmluZw==",
            "whsec_YQ==",
            "whsec_Yg==",
            "cb-key"
        ]
    );
}

// ---------- requests ----------

#[test]
fn auto_subscribe_request() {
    let req = cfg()
        .build_auto_subscribe(
            &json!({"email": "a@b.com", "firstName": "Ann", "lastName": "Lee",
            "lmsUserId": "42", "organization": {"id": 7, "name": "ICPAS"}}),
        )
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://test-masterclass.milesmasterclass.com/api/integrations/lms/auto-subscribe"
    );
    assert_eq!(
        req.headers.0,
        vec![
            ("Accept".into(), "application/json".into()),
            ("Content-Type".into(), "application/json".into()),
            ("X-API-Key".into(), KEY.into()),
        ]
    );
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"email":"a@b.com","first_name":"Ann","last_name":"Lee","lms_user_id":"42","organization":{"id":"7","name":"ICPAS"}}"#
        )
    );
}

#[test]
fn auto_subscribe_omits_absent_optionals() {
    let c = cfg();
    let body = |input: Value| c.build_auto_subscribe(&input).unwrap().body.unwrap();
    assert_eq!(
        body(json!({"email": "a@b.com", "lmsUserId": 42})),
        r#"{"email":"a@b.com","lms_user_id":"42"}"#
    );
    assert_eq!(
        body(json!({"email": "a@b.com", "lmsUserId": 42, "firstName": null, "organization": {}})),
        r#"{"email":"a@b.com","lms_user_id":"42"}"#
    );
    assert_eq!(
        body(json!({"email": "a@b.com", "lmsUserId": "x", "organization": {"name": "N"}})),
        r#"{"email":"a@b.com","lms_user_id":"x","organization":{"name":"N"}}"#
    );
}

#[test]
fn access_control_request() {
    let c = cfg();
    let req = c
        .build_access_control(&json!({"email": "a@b.com", "action": "block", "reason": "inactive"}))
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://test-masterclass.milesmasterclass.com/api/access/control"
    );
    assert_eq!(req.headers.get("x-api-key"), Some(KEY));
    assert_eq!(req.headers.get("content-type"), Some("application/json"));
    assert_eq!(req.headers.get("accept"), Some("application/json"));
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"email":"a@b.com","action":"block","reason":"inactive"}"#)
    );
    for action in ["unblock", "cancel"] {
        let req = c
            .build_access_control(&json!({"email": "a@b.com", "action": action}))
            .unwrap();
        assert_eq!(
            req.body.unwrap(),
            format!(r#"{{"email":"a@b.com","action":"{action}"}}"#)
        );
    }
}

#[test]
fn login_url_request() {
    let c = cfg();
    let req = c
        .build_create_login_url(&json!({"email": "a@b.com", "returnUrl": "https://lms.example/x"}))
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://test-masterclass.milesmasterclass.com/api/integrations/lms/login-url"
    );
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"email":"a@b.com","return_url":"https://lms.example/x"}"#)
    );
    let req = c
        .build_create_login_url(&json!({"email": "a@b.com"}))
        .unwrap();
    assert_eq!(req.body.as_deref(), Some(r#"{"email":"a@b.com"}"#));
}

#[test]
fn overridden_paths_header_and_field_names() {
    let c = cfg_with(json!({
        "baseUrl": "https://milescaira.com",
        "apiKeyHeader": "X-LMS-OPEN-API-KEY",
        "paths": {"autoSubscribe": "/lms/subscribe", "accessControl": "/lms/access", "loginUrl": "/lms/login"},
        "fieldNames": {"lms_user_id": "external_id", "return_url": "redirect"},
    }));
    let req = c
        .build_auto_subscribe(&json!({"email": "a@b.com", "lmsUserId": 1}))
        .unwrap();
    assert_eq!(req.url, "https://milescaira.com/lms/subscribe");
    assert_eq!(req.headers.get("X-LMS-OPEN-API-KEY"), Some(KEY));
    assert_eq!(req.headers.get("X-API-Key"), None);
    assert_eq!(
        req.body.unwrap(),
        r#"{"email":"a@b.com","external_id":"1"}"#
    );
    let req = c
        .build_access_control(&json!({"email": "a@b.com", "action": "cancel"}))
        .unwrap();
    assert_eq!(req.url, "https://milescaira.com/lms/access");
    let req = c
        .build_create_login_url(&json!({"email": "a@b.com", "returnUrl": "https://l.example/"}))
        .unwrap();
    assert_eq!(req.url, "https://milescaira.com/lms/login");
    assert_eq!(
        req.body.unwrap(),
        r#"{"email":"a@b.com","redirect":"https://l.example/"}"#
    );
}

type Build = fn(&Config, &Value) -> Result<crate::core::http::HttpRequest>;

#[test]
fn invalid_inputs_are_refused_before_sending() {
    let c = cfg();
    let cases: Vec<(Value, &str, Build)> = vec![
        (json!("x"), "input", Config::build_auto_subscribe),
        (
            json!({"lmsUserId": "1"}),
            "email",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "nope", "lmsUserId": "1"}),
            "email",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a b@c.d", "lmsUserId": "1"}),
            "email",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": 5, "lmsUserId": "1"}),
            "email",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a@b.com"}),
            "lmsUserId",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a@b.com", "lmsUserId": ""}),
            "lmsUserId",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a@b.com", "lmsUserId": true}),
            "lmsUserId",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a@b.com", "lmsUserId": 1, "firstName": 3}),
            "firstName",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a@b.com", "lmsUserId": 1, "organization": "x"}),
            "organization",
            Config::build_auto_subscribe,
        ),
        (
            json!({"email": "a@b.com", "action": "delete"}),
            "action",
            Config::build_access_control,
        ),
        (
            json!({"email": "a@b.com", "action": "BLOCK"}),
            "action",
            Config::build_access_control,
        ),
        (
            json!({"email": "a@b.com"}),
            "action",
            Config::build_access_control,
        ),
        (
            json!({"email": "a@b.com", "action": 1}),
            "action",
            Config::build_access_control,
        ),
        (
            json!({"action": "block"}),
            "email",
            Config::build_access_control,
        ),
        (
            json!({"email": "a@b.com", "action": "block", "reason": 1}),
            "reason",
            Config::build_access_control,
        ),
        (
            json!({"email": "x"}),
            "email",
            Config::build_create_login_url,
        ),
        (
            json!({"email": "a@b.com", "returnUrl": "/relative"}),
            "returnUrl",
            Config::build_create_login_url,
        ),
        (
            json!({"email": "a@b.com", "returnUrl": "javascript:alert(1)"}),
            "returnUrl",
            Config::build_create_login_url,
        ),
        (
            json!({"email": "a@b.com", "returnUrl": "ftp://x.example/"}),
            "returnUrl",
            Config::build_create_login_url,
        ),
    ];
    for (input, field, build) in cases {
        let e = build(&c, &input).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{input}");
        assert!(
            e.message.contains(&format!("`{field}`")),
            "{input}: {}",
            e.message
        );
        assert_eq!(e.vendor, Some(Vendor::MilesMasterclass));
    }
}

// ---------- outbound signing ----------

#[test]
fn message_ids() {
    let id = new_message_id(&[0xfb; 16]);
    assert_eq!(id, "msg_-_v7-_v7-_v7-_v7-_v7-w");
    assert!(id.len() >= 4 + 22);
}

#[test]
fn signed_requests_verify_and_retries_keep_the_id() {
    let secret = "whsec_c2lnbmluZy1zZWNyZXQ=";
    let c = cfg_with(json!({"requestSigning": {"secret": secret}}));
    assert!(c.signs_requests());
    let mut req = c
        .build_auto_subscribe(&json!({"email": "a@b.com", "lmsUserId": 1}))
        .unwrap();
    let id = new_message_id(&[7; 16]);
    c.sign_request(&mut req, &id, NOW).unwrap();
    let body = req.body.clone().unwrap();
    let keys = [crate::signing::Key::from(secret)];
    let v = verify_webhook(
        Scheme::StandardWebhooks,
        body.as_bytes(),
        &req.headers,
        &keys,
        None,
        NOW,
        None,
    )
    .unwrap();
    assert_eq!(v.id.as_deref(), Some(id.as_str()));
    assert_eq!(v.timestamp, Some(TS));
    assert_eq!(req.headers.get("X-API-Key"), Some(KEY));

    // A retry: same id, fresh timestamp, headers replaced not duplicated.
    let later = NOW.plus_ms(5_000);
    c.sign_request(&mut req, &id, later).unwrap();
    assert_eq!(req.headers.0.len(), 6);
    assert_eq!(req.headers.get("webhook-id"), Some(id.as_str()));
    assert_eq!(req.headers.get("webhook-timestamp"), Some("1740823205"));
    let v = verify_webhook(
        Scheme::StandardWebhooks,
        body.as_bytes(),
        &req.headers,
        &keys,
        None,
        later,
        None,
    )
    .unwrap();
    assert_eq!(v.timestamp, Some(TS + 5));
    // A tampered body no longer verifies.
    let r = verify_webhook(
        Scheme::StandardWebhooks,
        b"{}",
        &req.headers,
        &keys,
        None,
        later,
        None,
    );
    assert_eq!(code(r), ErrorCode::SignatureMismatch);
}

#[test]
fn signing_is_a_no_op_without_request_signing() {
    let c = cfg();
    let mut req = c
        .build_access_control(&json!({"email": "a@b.com", "action": "block"}))
        .unwrap();
    let before = req.clone();
    c.sign_request(&mut req, "msg_x", NOW).unwrap();
    assert_eq!(req, before);
}

// ---------- responses ----------

#[test]
fn auto_subscribe_success() {
    let c = cfg();
    for status in [200, 201] {
        let r = c
            .parse_auto_subscribe(&resp(
                status,
                r#"{"status":"subscribed","user_id":"u1","x":1}"#,
            ))
            .unwrap();
        assert_eq!(r.status, "subscribed");
        assert_eq!(r.user_id.as_deref(), Some("u1"));
        assert_eq!(r.raw.to_value()["x"], 1);
    }
    let r = c
        .parse_auto_subscribe(&resp(200, r#"{"status":"ok","user_id":9876}"#))
        .unwrap();
    assert_eq!(r.user_id.as_deref(), Some("9876"));
    let r = c
        .parse_auto_subscribe(&resp(200, r#"{"status":"ok"}"#))
        .unwrap();
    let js = serde_json::to_value(&r).unwrap();
    assert_eq!(js, json!({"status": "ok", "raw": {"status": "ok"}}));
    let r = c
        .parse_auto_subscribe(&resp(201, r#"{"status":"created","user_id":1}"#))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"status": "created", "userId": "1", "raw": {"status": "created", "user_id": 1}})
    );
}

#[test]
fn typed_success_answers_as_the_value_path() {
    let c = cfg();
    let renamed = Config::from_options(&json!({"baseUrl": "https://mm.example.com/api",
        "apiKey": "k", "fieldNames": {"status": "state", "user_id": "uid"}}))
    .unwrap();
    let bodies = [
        r#"{"status":"subscribed","user_id":"u1","x":[1,{"y":null}]}"#,
        r#" { "status" : "ok" , "user_id" : 9876 } "#,
        r#"{"status":"ok","user_id":18446744073709551615}"#,
        r#"{"status":"ok","user_id":-5}"#,
        r#"{"status":"ok","user_id":1.5}"#,
        r#"{"status":"ok","user_id":1e3}"#,
        r#"{"status":"ok","user_id":""}"#,
        r#"{"status":"ok","user_id":null}"#,
        r#"{"status":"ok","user_id":true}"#,
        r#"{"status":"ok","user_id":{}}"#,
        r#"{"status":"a","status":"b","user_id":"1","user_id":2}"#,
        r#"{"status":"","user_id":"1"}"#,
        r#"{"status":false,"message":"no"}"#,
        r#"{"status":"ok","message":"fine","detail":null}"#,
        r#"{"state":"ok","uid":"7","status":1}"#,
        r#"{"status":"\u00e9t\u00e9","n":-0.0,"big":1e400}"#,
        "[1]",
        "",
        "not json",
    ];
    // `raw` is the body's own text, which JS reads as written (serde_json's float reading,
    // which the `Value` path writes again, may be a unit off in the last place).
    let body = r#"{"status":"ok","bile":9.444444444444441e100}"#;
    let r = c.parse_auto_subscribe(&resp(200, body)).unwrap();
    assert_eq!(r.raw, crate::core::json::RawJson::Text(body.to_owned()));
    for config in [&c, &renamed] {
        for status in [200, 201, 400, 500] {
            for body in bodies {
                for (typed, by_value) in super::responses::parse_paths(config, &resp(status, body))
                {
                    let json = |t: String| serde_json::from_str::<Value>(&t).unwrap();
                    assert_eq!(typed.map(json), by_value.map(json), "{status} {body}");
                }
            }
        }
    }
}

#[test]
fn access_control_success() {
    let r = cfg()
        .parse_access_control(&resp(200, r#"{"status":"blocked"}"#))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"status": "blocked", "raw": {"status": "blocked"}})
    );
}

#[test]
fn malformed_success_bodies() {
    let c = cfg();
    for body in [
        "",
        "[1]",
        "not json",
        r#"{"user_id":"1"}"#,
        r#"{"status":1}"#,
        r#"{"status":true}"#,
        r#"{"status":"ok","user_id":{}}"#,
    ] {
        let e = c.parse_auto_subscribe(&resp(200, body)).unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed, "{body}");
        assert_eq!(e.status, Some(200));
        assert_eq!(e.vendor, Some(Vendor::MilesMasterclass));
    }
    assert_eq!(
        code(c.parse_access_control(&resp(200, "{}"))),
        ErrorCode::ResponseMalformed
    );
}

#[test]
fn status_false_in_a_2xx_is_a_vendor_error() {
    let c = cfg();
    let e = c
        .parse_auto_subscribe(&resp(
            200,
            r#"{"status":false,"message":"Email already blocked","code":"E12"}"#,
        ))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::VendorError);
    assert_eq!(e.status, Some(200));
    assert_eq!(e.vendor_code.as_deref(), Some("E12"));
    assert!(e.message.contains("Email already blocked"));
    assert_eq!(
        e.details_value().unwrap()["message"],
        "Email already blocked"
    );
    assert_eq!(
        code(c.parse_access_control(&resp(201, r#"{"status":false}"#))),
        ErrorCode::VendorError
    );
    assert_eq!(
        code(c.parse_create_login_url(&resp(200, r#"{"status":false}"#))),
        ErrorCode::VendorError
    );
}

#[test]
fn error_mappings_both_shapes() {
    let c = cfg();
    let shapes = [
        r#"{"status":false,"message":"Nope"}"#,
        r#"{"detail":"Nope"}"#,
    ];
    let expected = [
        (400, ErrorCode::VendorError),
        (401, ErrorCode::AuthFailed),
        (403, ErrorCode::AuthFailed),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (422, ErrorCode::VendorError),
        (429, ErrorCode::RateLimited),
        (500, ErrorCode::VendorError),
    ];
    for body in shapes {
        for (status, want) in expected {
            let e = c.parse_auto_subscribe(&resp(status, body)).unwrap_err();
            assert_eq!(e.code, want, "{status} {body}");
            assert_eq!(e.status, Some(status));
            assert_eq!(e.vendor, Some(Vendor::MilesMasterclass));
            assert!(e.message.contains("Nope"), "{}", e.message);
            let d = e.details_value().unwrap();
            assert!(
                d.get("message") == Some(&json!("Nope")) || d.get("detail") == Some(&json!("Nope"))
            );
        }
    }
    // Without a vendor body: HTTP_STATUS (or the status-based code).
    for (status, body, want) in [
        (400, "", ErrorCode::HttpStatus),
        (500, "<html>oops</html>", ErrorCode::HttpStatus),
        (502, "{}", ErrorCode::HttpStatus),
        (503, r#"{"other":1}"#, ErrorCode::HttpStatus),
        (404, "", ErrorCode::NotFound),
        (401, "", ErrorCode::AuthFailed),
    ] {
        let e = c.parse_access_control(&resp(status, body)).unwrap_err();
        assert_eq!(e.code, want, "{status} {body}");
        assert_eq!(e.status, Some(status));
        assert!(e.details.is_none());
    }
    let e = c.parse_access_control(&resp(503, "")).unwrap_err();
    assert!(e.retryable());
    // A FastAPI-style validation detail still counts as a vendor error body.
    let e = c
        .parse_access_control(&resp(
            422,
            r#"{"detail":[{"loc":["body","email"],"msg":"bad"}]}"#,
        ))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::VendorError);
    // vendorCode from a numeric code.
    let e = c
        .parse_access_control(&resp(400, r#"{"status":false,"message":"m","code":1002}"#))
        .unwrap_err();
    assert_eq!(e.vendor_code.as_deref(), Some("1002"));
}

#[test]
fn errors_never_carry_the_api_key_and_stay_short() {
    let c = cfg_with(json!({"callback": {"apiKey": "cb-secret-key"}}));
    let long = "x".repeat(500);
    let body = json!({"status": false, "message": format!("bad key {KEY} / cb-secret-key {long}"),
        "api_key": KEY, "echo": {"header": KEY}});
    let e = c
        .parse_auto_subscribe(&resp(401, &body.to_string()))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed);
    let all = format!("{} {:?}", e.message, e.details);
    assert!(!all.contains(KEY), "{all}");
    assert!(!all.contains("cb-secret-key"), "{all}");
    assert!(e.message.chars().count() < 260, "{}", e.message);
    let d = e.details_value().unwrap();
    assert!(d["message"].as_str().unwrap().chars().count() <= 201);
    assert_eq!(d["api_key"], "[redacted]");
}

#[test]
fn login_url_responses() {
    let c = cfg();
    let iso = c
        .parse_create_login_url(&resp(
            200,
            r#"{"login_url":"https://mm.example/l?t=1","expires_at":"2025-03-01T10:00:00Z"}"#,
        ))
        .unwrap();
    assert_eq!(iso.url.as_str(), "https://mm.example/l?t=1");
    assert_eq!(iso.expires_at, Some(1_740_823_200_000));
    let secs = c
        .parse_create_login_url(&resp(
            200,
            r#"{"url":"https://mm.example/l","expires_at":1740823200}"#,
        ))
        .unwrap();
    assert_eq!(secs.expires_at, iso.expires_at);
    let digits = c
        .parse_create_login_url(&resp(
            200,
            r#"{"url":"https://mm.example/l","expires_at":"1740823200"}"#,
        ))
        .unwrap();
    assert_eq!(digits.expires_at, iso.expires_at);
    let none = c
        .parse_create_login_url(&resp(200, r#"{"url":"https://mm.example/l"}"#))
        .unwrap();
    assert_eq!(none.expires_at, None);
    assert_eq!(
        serde_json::to_value(&none).unwrap(),
        json!({"url": "https://mm.example/l"})
    );
    assert_eq!(
        serde_json::to_value(&iso).unwrap(),
        json!({"url": "https://mm.example/l?t=1", "expiresAt": 1_740_823_200_000i64})
    );
    assert!(!format!("{iso:?}").contains("mm.example"));
    for ok in [
        "http://localhost:3000/l",
        "http://127.0.0.1/l",
        "http://[::1]:8080/l",
    ] {
        let body = json!({"login_url": ok}).to_string();
        assert_eq!(
            c.parse_create_login_url(&resp(200, &body))
                .unwrap()
                .url
                .as_str(),
            ok
        );
    }
    for bad in [
        json!({"login_url": "http://mm.example/l"}),
        json!({"login_url": "/relative/login"}),
        json!({"login_url": "javascript:alert(1)"}),
        json!({"login_url": "data:text/html,x"}),
        json!({"login_url": "https://user:pw@mm.example/l"}),
        json!({"login_url": ""}),
        json!({"login_url": 5}),
        json!({}),
        json!({"url": "https://mm.example/l", "expires_at": "soon"}),
        json!({"url": "https://mm.example/l", "expires_at": -5}),
        json!({"url": "https://mm.example/l", "expires_at": true}),
    ] {
        let e = c
            .parse_create_login_url(&resp(200, &bad.to_string()))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed, "{bad}");
        assert!(!e.message.contains("mm.example"));
    }
    let e = c
        .parse_create_login_url(&resp(404, r#"{"detail":"User not found"}"#))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn field_names_apply_to_responses() {
    let c = cfg_with(json!({"fieldNames": {"user_id": "id", "login_url": "link"}}));
    let r = c
        .parse_auto_subscribe(&resp(200, r#"{"status":"ok","id":5,"user_id":"ignored"}"#))
        .unwrap();
    assert_eq!(r.user_id.as_deref(), Some("5"));
    let l = c
        .parse_create_login_url(&resp(200, r#"{"link":"https://mm.example/x"}"#))
        .unwrap();
    assert_eq!(l.url.as_str(), "https://mm.example/x");
}

// ---------- callbacks ----------

const PAYLOAD: &str = r#"{"event":"video.completed","email":"a@b.com","lms_user_id":"42","video_id":"v9","status":"completed","cpe_credits":"1.5","minutes_consumed":50,"completed_at":"2025-03-01T10:00:00Z"}"#;

fn secret_cfg() -> Config {
    cfg_with(json!({"callback": {"secret": CB_SECRET}}))
}

fn sw_headers(body: &str, secret: &str, ts: i64) -> Headers {
    sign_webhook(
        Scheme::StandardWebhooks,
        body.as_bytes(),
        &secret.into(),
        "msg_cb1",
        ts,
    )
    .unwrap()
}

#[test]
fn valid_callback_parses() {
    let c = secret_cfg();
    let ev = c
        .verify_progress_callback(PAYLOAD.as_bytes(), &sw_headers(PAYLOAD, CB_SECRET, TS), NOW)
        .unwrap();
    assert_eq!(
        serde_json::to_value(&ev).unwrap(),
        json!({"event": "video.completed", "email": "a@b.com", "lmsUserId": "42", "videoId": "v9",
            "status": "completed", "cpeCredits": 1.5, "minutesConsumed": 50,
            "completedAt": "2025-03-01T10:00:00Z",
            "raw": serde_json::from_str::<Value>(PAYLOAD).unwrap()})
    );
}

#[test]
fn callback_signature_failures() {
    let c = secret_cfg();
    let h = sw_headers(PAYLOAD, CB_SECRET, TS);
    let tampered = PAYLOAD.replace("1.5", "9.5");
    let e = c
        .verify_progress_callback(tampered.as_bytes(), &h, NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignatureMismatch);
    assert_eq!(e.vendor, Some(Vendor::MilesMasterclass));
    let old = c.verify_progress_callback(PAYLOAD.as_bytes(), &h, UnixMillis::from_secs(TS + 301));
    assert_eq!(code(old), ErrorCode::TimestampOutOfTolerance);
    let new = c.verify_progress_callback(PAYLOAD.as_bytes(), &h, UnixMillis::from_secs(TS - 301));
    assert_eq!(code(new), ErrorCode::TimestampOutOfTolerance);
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &h, UnixMillis::from_secs(TS + 300))
        .is_ok());
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut m = h.clone();
        m.0.retain(|(k, _)| k != name);
        assert_eq!(
            code(c.verify_progress_callback(PAYLOAD.as_bytes(), &m, NOW)),
            ErrorCode::SignatureMissing
        );
    }
    // An API-key header does not replace the signature in secret mode.
    let c2 = cfg_with(json!({"callback": {"secret": CB_SECRET, "apiKey": "cb-key"}}));
    let only_key = Headers(vec![("X-API-Key".into(), "cb-key".into())]);
    assert_eq!(
        code(c2.verify_progress_callback(PAYLOAD.as_bytes(), &only_key, NOW)),
        ErrorCode::SignatureMissing
    );
    // Custom tolerance.
    let c3 = cfg_with(json!({"callback": {"secret": CB_SECRET, "toleranceSeconds": 10}}));
    assert_eq!(
        code(c3.verify_progress_callback(PAYLOAD.as_bytes(), &h, UnixMillis::from_secs(TS + 11))),
        ErrorCode::TimestampOutOfTolerance
    );
}

#[test]
fn callback_rotation() {
    let c = cfg_with(json!({"callback": {"secret": ["whsec_bmV3LXNlY3JldA==", CB_SECRET]}}));
    let h = sw_headers(PAYLOAD, CB_SECRET, TS);
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &h, NOW)
        .is_ok());
    let h = sw_headers(PAYLOAD, "whsec_bmV3LXNlY3JldA==", TS);
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &h, NOW)
        .is_ok());
    let h = sw_headers(PAYLOAD, "whsec_b3RoZXI=", TS);
    assert_eq!(
        code(c.verify_progress_callback(PAYLOAD.as_bytes(), &h, NOW)),
        ErrorCode::SignatureMismatch
    );
}

#[test]
fn callback_stripe_and_github_schemes() {
    for scheme in [Scheme::Stripe, Scheme::Github] {
        let c =
            cfg_with(json!({"callback": {"secret": "plain-secret", "scheme": scheme.as_str()}}));
        let h = sign_webhook(scheme, PAYLOAD.as_bytes(), &"plain-secret".into(), "", TS).unwrap();
        assert!(c
            .verify_progress_callback(PAYLOAD.as_bytes(), &h, NOW)
            .is_ok());
        let bad = sign_webhook(scheme, PAYLOAD.as_bytes(), &"other".into(), "", TS).unwrap();
        assert_eq!(
            code(c.verify_progress_callback(PAYLOAD.as_bytes(), &bad, NOW)),
            ErrorCode::SignatureMismatch
        );
        assert_eq!(
            code(c.verify_progress_callback(PAYLOAD.as_bytes(), &Headers::default(), NOW)),
            ErrorCode::SignatureMissing
        );
    }
}

#[test]
fn callback_api_key_mode() {
    let c = cfg_with(json!({"callback": {"apiKey": ["old-key", "cb-key-1"]}}));
    let with = |name: &str, v: &str| Headers(vec![(name.to_owned().into(), v.to_owned().into())]);
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &with("X-API-Key", "cb-key-1"), NOW)
        .is_ok());
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &with("x-api-key", "old-key"), NOW)
        .is_ok());
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &with("X-API-KEY", "cb-key-1"), NOW)
        .is_ok());
    for (name, v) in [
        ("X-API-Key", "cb-key-2"),
        ("X-API-Key", "cb-key-1-longer"),
        ("X-API-Key", "c"),
        ("X-API-Key", ""),
        ("X-API-Key", "CB-KEY-1"),
        ("Authorization", "cb-key-1"),
        ("X-API-Key", KEY),
    ] {
        let e = c
            .verify_progress_callback(PAYLOAD.as_bytes(), &with(name, v), NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed, "{name}: {v}");
        assert!(!e.message.contains("cb-key"));
    }
    assert_eq!(
        code(c.verify_progress_callback(PAYLOAD.as_bytes(), &Headers::default(), NOW)),
        ErrorCode::AuthFailed
    );
    // A custom header name.
    let c = cfg_with(json!({"callback": {"apiKey": "k1", "apiKeyHeader": "X-Callback-Key"}}));
    assert!(c
        .verify_progress_callback(PAYLOAD.as_bytes(), &with("x-callback-key", "k1"), NOW)
        .is_ok());
    assert_eq!(
        code(c.verify_progress_callback(PAYLOAD.as_bytes(), &with("X-API-Key", "k1"), NOW)),
        ErrorCode::AuthFailed
    );
}

#[test]
fn callback_needs_configuration() {
    let h = Headers(vec![("X-API-Key".into(), "k".into())]);
    for cb in [
        json!(null),
        json!({}),
        json!({"secret": ""}),
        json!({"secret": []}),
        json!({"secret": ["", CB_SECRET]}),
        json!({"apiKey": ""}),
        json!({"apiKey": []}),
        json!({"secret": "", "apiKey": "k"}),
    ] {
        let c = cfg_with(json!({"callback": cb}));
        let e = c
            .verify_progress_callback(PAYLOAD.as_bytes(), &h, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig, "{cb}");
    }
    let c = cfg_with(json!({"callback": {"secret": "whsec_%%%"}}));
    assert_eq!(
        code(c.verify_progress_callback(PAYLOAD.as_bytes(), &h, NOW)),
        ErrorCode::InvalidConfig
    );
}

fn key_cfg() -> Config {
    cfg_with(json!({"callback": {"apiKey": "k"}}))
}

fn parse(body: &Value) -> Result<ProgressEvent> {
    let h = Headers(vec![("X-API-Key".into(), "k".into())]);
    key_cfg().verify_progress_callback(body.to_string().as_bytes(), &h, NOW)
}

#[test]
fn payload_rules() {
    let base = json!({"event": "video.progress", "status": "in_progress"});
    let ev = parse(&base).unwrap();
    assert_eq!(ev.cpe_credits, 0.0);
    assert_eq!(ev.minutes_consumed, 0);
    assert_eq!(ev.completed_at, None);
    assert_eq!(ev.status, ProgressStatus::InProgress);
    let js = serde_json::to_value(&ev).unwrap();
    assert_eq!(js["completedAt"], Value::Null);
    assert!(js.get("email").is_none());

    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    assert_eq!(
        parse(&with("cpe_credits", json!("1.5")))
            .unwrap()
            .cpe_credits,
        1.5
    );
    assert_eq!(
        parse(&with("cpe_credits", json!(2))).unwrap().cpe_credits,
        2.0
    );
    assert_eq!(
        parse(&with("cpe_credits", json!(0.25)))
            .unwrap()
            .cpe_credits,
        0.25
    );
    assert_eq!(
        parse(&with("cpe_credits", json!("3"))).unwrap().cpe_credits,
        3.0
    );
    assert_eq!(
        parse(&with("cpe_credits", Value::Null))
            .unwrap()
            .cpe_credits,
        0.0
    );
    assert_eq!(
        parse(&with("minutes_consumed", json!("50")))
            .unwrap()
            .minutes_consumed,
        50
    );
    assert_eq!(
        parse(&with("minutes_consumed", json!(50.0)))
            .unwrap()
            .minutes_consumed,
        50
    );
    assert_eq!(
        parse(&with("lms_user_id", json!(42)))
            .unwrap()
            .lms_user_id
            .as_deref(),
        Some("42")
    );
    assert_eq!(
        parse(&with("video_id", json!(9)))
            .unwrap()
            .video_id
            .as_deref(),
        Some("9")
    );
    assert_eq!(
        parse(&with("event", json!("custom.event"))).unwrap().event,
        "custom.event"
    );
    assert_eq!(
        parse(&with(
            "completed_at",
            json!("2025-03-01T10:00:00.123+01:00")
        ))
        .unwrap()
        .completed_at
        .as_deref(),
        Some("2025-03-01T10:00:00.123+01:00")
    );
    assert_eq!(
        parse(&with("completed_at", json!("2025-03-01")))
            .unwrap()
            .completed_at
            .as_deref(),
        Some("2025-03-01")
    );
    let extra = parse(&with("certificate", json!({"id": "c1"}))).unwrap();
    assert_eq!(extra.raw["certificate"]["id"], "c1");

    let bad = [
        ("cpe_credits", json!("abc")),
        ("cpe_credits", json!("1.5.2")),
        ("cpe_credits", json!("-1")),
        ("cpe_credits", json!(-0.5)),
        ("cpe_credits", json!("")),
        ("cpe_credits", json!(true)),
        ("minutes_consumed", json!(1.5)),
        ("minutes_consumed", json!(-3)),
        ("minutes_consumed", json!("5m")),
        ("minutes_consumed", json!([])),
        ("status", json!("done")),
        ("status", json!(null)),
        ("event", json!("")),
        ("event", json!(3)),
        ("completed_at", json!("yesterday")),
        ("completed_at", json!(1740823200)),
        ("email", json!(true)),
        ("lms_user_id", json!({})),
    ];
    for (k, v) in bad {
        let e = parse(&with(k, v.clone())).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{k}: {v}");
        assert!(e.message.contains(k), "{}", e.message);
    }
    let mut no_status = base.clone();
    no_status.as_object_mut().unwrap().remove("status");
    assert_eq!(code(parse(&no_status)), ErrorCode::InvalidInput);
    let h = Headers(vec![("X-API-Key".into(), "k".into())]);
    for body in ["", "[]", "not json", "\"x\""] {
        let e = key_cfg()
            .verify_progress_callback(body.as_bytes(), &h, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{body}");
    }
}

#[test]
fn authentication_comes_before_parsing() {
    let c = secret_cfg();
    let e = c
        .verify_progress_callback(b"not json", &Headers::default(), NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignatureMissing);
    let h = Headers(vec![("X-API-Key".into(), "wrong".into())]);
    assert_eq!(
        code(key_cfg().verify_progress_callback(b"not json", &h, NOW)),
        ErrorCode::AuthFailed
    );
}

#[test]
fn field_names_apply_to_callbacks() {
    let c = cfg_with(json!({"callback": {"apiKey": "k"},
        "fieldNames": {"lms_user_id": "external_id", "cpe_credits": "credits"}}));
    let body = json!({"event": "course.completed", "status": "completed", "external_id": 7, "credits": "2.5"});
    let h = Headers(vec![("X-API-Key".into(), "k".into())]);
    let ev = c
        .verify_progress_callback(body.to_string().as_bytes(), &h, NOW)
        .unwrap();
    assert_eq!(ev.lms_user_id.as_deref(), Some("7"));
    assert_eq!(ev.cpe_credits, 2.5);
}

#[test]
fn callback_answers() {
    let ack = callback_ack();
    assert_eq!(
        serde_json::to_value(&ack).unwrap(),
        json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": "{\"status\":\"ok\"}"})
    );
    let auth = crate::Error::new(ErrorCode::SignatureMismatch, "x");
    assert_eq!(callback_reject(&auth).status, 401);
    assert_eq!(
        callback_reject(&crate::Error::new(ErrorCode::AuthFailed, "x")).status,
        401
    );
    assert_eq!(
        callback_reject(&crate::Error::new(ErrorCode::TimestampOutOfTolerance, "x")).status,
        401
    );
    assert_eq!(
        callback_reject(&crate::Error::new(ErrorCode::InvalidInput, "x")).status,
        400
    );
    assert_eq!(
        callback_reject(&crate::Error::new(ErrorCode::InvalidConfig, "x")).status,
        500
    );
    assert!(!callback_reject(&auth).body.contains('x'));
}
