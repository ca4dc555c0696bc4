//! Tests of the dispatching API (`sign_webhook`/`verify_webhook`): every error code,
//! rotation, tolerance edges and hostile headers, for every scheme.

use super::*;
use serde_json::Value;

const TS: i64 = 1_700_000_000;
const NOW: UnixMillis = UnixMillis(TS * 1000);
const SW_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ALL: [Scheme; 3] = [Scheme::StandardWebhooks, Scheme::Stripe, Scheme::Github];

fn secret(scheme: Scheme) -> Key {
    match scheme {
        Scheme::StandardWebhooks => Key::from(SW_SECRET),
        _ => Key::from("whsec_plain_text_secret"),
    }
}

fn other_secret(scheme: Scheme) -> Key {
    match scheme {
        Scheme::StandardWebhooks => Key::from("whsec_b3RoZXIgc2VjcmV0IGtleQ=="),
        _ => Key::from("another secret"),
    }
}

fn sign(scheme: Scheme, body: &[u8], ts: i64) -> Headers {
    sign_webhook(scheme, body, &secret(scheme), "msg_1", ts).unwrap()
}

fn verify(scheme: Scheme, body: &[u8], h: &Headers, now: UnixMillis) -> Result<Verified> {
    verify_webhook(scheme, body, h, &[secret(scheme)], None, now, None)
}

fn code(r: Result<impl core::fmt::Debug>) -> ErrorCode {
    r.unwrap_err().code
}

fn with(h: &Headers, name: &str, value: &str) -> Headers {
    let mut h = h.clone();
    h.set(name.to_owned(), value.to_owned());
    h
}

fn without(h: &Headers, name: &str) -> Headers {
    let mut h = h.clone();
    h.0.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    h
}

#[test]
fn scheme_names() {
    for s in ALL {
        assert_eq!(Scheme::parse(s.as_str()).unwrap(), s);
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    for bad in ["", "Stripe", "svix", "standard_webhooks"] {
        assert_eq!(code(Scheme::parse(bad)), ErrorCode::InvalidConfig);
    }
}

#[test]
fn published_vectors_verify() {
    let v: Value = serde_json::from_str(include_str!("../../tests/vectors/webhooks.json")).unwrap();
    for c in v["cases"].as_array().unwrap() {
        let scheme = Scheme::parse(c["scheme"].as_str().unwrap()).unwrap();
        let key = Key::from(c["secret"].as_str().unwrap());
        let payload = c["payload"].as_str().unwrap().as_bytes();
        let ts = c["timestamp"].as_i64().unwrap();
        let headers = Headers(
            c["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone().into(), v.as_str().unwrap().to_owned().into()))
                .collect(),
        );
        let signed = sign_webhook(scheme, payload, &key, c["id"].as_str().unwrap(), ts).unwrap();
        let sorted = |h: &Headers| {
            let mut v = h.0.clone();
            v.sort();
            v
        };
        assert_eq!(sorted(&signed), sorted(&headers), "{}", scheme.as_str());
        let now = UnixMillis::from_secs(ts);
        let ok = verify_webhook(scheme, payload, &headers, &[key], None, now, None).unwrap();
        assert_eq!(ok.secret_index, 0);
    }
}

#[test]
fn round_trip_every_scheme_and_serialisation() {
    for s in ALL {
        let h = sign(s, b"{\"a\":1}", TS);
        let v = verify(s, b"{\"a\":1}", &h, NOW).unwrap();
        assert_eq!(v.scheme, s);
        assert_eq!(v.secret_index, 0);
        let json = serde_json::to_value(&v).unwrap();
        match s {
            Scheme::StandardWebhooks => {
                assert_eq!(
                    json,
                    serde_json::json!({"scheme": "standard-webhooks", "id": "msg_1",
                        "timestamp": TS, "secretIndex": 0})
                );
            }
            Scheme::Stripe => {
                assert_eq!(
                    json,
                    serde_json::json!({"scheme": "stripe", "timestamp": TS, "secretIndex": 0})
                );
            }
            Scheme::Github => {
                assert_eq!(
                    json,
                    serde_json::json!({"scheme": "github", "secretIndex": 0})
                );
            }
        }
    }
}

#[test]
fn header_names() {
    let sw = sign(Scheme::StandardWebhooks, b"x", TS);
    let names: Vec<&str> = sw.0.iter().map(|(k, _)| k.as_ref()).collect();
    assert_eq!(
        names,
        ["webhook-id", "webhook-timestamp", "webhook-signature"]
    );
    assert!(sw.get("webhook-signature").unwrap().starts_with("v1,"));
    let st = sign(Scheme::Stripe, b"x", TS);
    assert!(st
        .get("Stripe-Signature")
        .unwrap()
        .starts_with("t=1700000000,v1="));
    let gh = sign(Scheme::Github, b"x", TS);
    assert!(gh
        .get("X-Hub-Signature-256")
        .unwrap()
        .starts_with("sha256="));
}

#[test]
fn header_name_override_is_an_rfc_9110_token() {
    for b in 0..=u8::MAX {
        let token = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        let name = [b'x', b];
        let name = String::from_utf8_lossy(&name);
        assert_eq!(super::is_header_name(&name), token, "{b}");
    }
    assert!(!super::is_header_name(""));
}

#[test]
fn header_lookup_is_case_insensitive() {
    for s in ALL {
        let h = sign(s, b"x", TS);
        let upper = Headers(
            h.0.iter()
                .map(|(k, v)| (k.to_uppercase().into(), v.clone()))
                .collect(),
        );
        assert!(verify(s, b"x", &upper, NOW).is_ok());
    }
}

#[test]
fn tampered_body_or_wrong_secret_mismatch() {
    for s in ALL {
        let h = sign(s, b"body", TS);
        assert_eq!(
            code(verify(s, b"body!", &h, NOW)),
            ErrorCode::SignatureMismatch
        );
        let r = verify_webhook(s, b"body", &h, &[other_secret(s)], None, NOW, None);
        assert_eq!(code(r), ErrorCode::SignatureMismatch);
    }
    // Standard Webhooks signs the id too.
    let h = sign(Scheme::StandardWebhooks, b"b", TS);
    let h = with(&h, "webhook-id", "msg_2");
    assert_eq!(
        code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
        ErrorCode::SignatureMismatch
    );
}

#[test]
fn rotation_reports_the_matching_index() {
    for s in ALL {
        let h = sign(s, b"b", TS);
        let keys = [other_secret(s), Key::from("whsec_AAAA"), secret(s)];
        let v = verify_webhook(s, b"b", &h, &keys, None, NOW, None).unwrap();
        assert_eq!(v.secret_index, 2);
    }
}

#[test]
fn several_signatures_in_one_header() {
    let body = b"b";
    let sw = sign(Scheme::StandardWebhooks, body, TS);
    let good = sw.get("webhook-signature").unwrap().to_owned();
    let junk = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let h = with(
        &sw,
        "webhook-signature",
        &format!("v0,xyz {junk} v2,abc {good}"),
    );
    assert!(verify(Scheme::StandardWebhooks, body, &h, NOW).is_ok());

    let st = sign(Scheme::Stripe, body, TS);
    let v = st.get("Stripe-Signature").unwrap().to_owned();
    let good_hex = v.split_once(",v1=").unwrap().1;
    let h = with(
        &st,
        "Stripe-Signature",
        &format!("t={TS},v0=abcd,v1={},v1={good_hex}", "0".repeat(64)),
    );
    assert!(verify(Scheme::Stripe, body, &h, NOW).is_ok());
}

#[test]
fn other_versions_only_is_mismatch() {
    let sw = sign(Scheme::StandardWebhooks, b"b", TS);
    let h = with(&sw, "webhook-signature", "v0,abc v2,def");
    assert_eq!(
        code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
        ErrorCode::SignatureMismatch
    );
    let h = with(
        &sign(Scheme::Stripe, b"b", TS),
        "Stripe-Signature",
        &format!("t={TS},v0=abcd"),
    );
    assert_eq!(
        code(verify(Scheme::Stripe, b"b", &h, NOW)),
        ErrorCode::SignatureMismatch
    );
}

#[test]
fn missing_headers() {
    let sw = sign(Scheme::StandardWebhooks, b"b", TS);
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let h = without(&sw, name);
        assert_eq!(
            code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
            ErrorCode::SignatureMissing,
            "{name}"
        );
        let h = with(&sw, name, "  ");
        assert_eq!(
            code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
            ErrorCode::SignatureMissing,
            "{name}"
        );
    }
    for s in [Scheme::Stripe, Scheme::Github] {
        assert_eq!(
            code(verify(s, b"b", &Headers::default(), NOW)),
            ErrorCode::SignatureMissing
        );
    }
}

#[test]
fn malformed_headers() {
    let sw = sign(Scheme::StandardWebhooks, b"b", TS);
    let m = |h: &Headers| code(verify(Scheme::StandardWebhooks, b"b", h, NOW));
    for ts in ["abc", "17e8", "-5", "1.5", "9999999999999999"] {
        assert_eq!(
            m(&with(&sw, "webhook-timestamp", ts)),
            ErrorCode::SignatureMalformed,
            "{ts}"
        );
    }
    for sig in ["garbage", "v1", "v1,", ",abc", "v1,not*base64", "v1,AAAA"] {
        assert_eq!(
            m(&with(&sw, "webhook-signature", sig)),
            ErrorCode::SignatureMalformed,
            "{sig}"
        );
    }

    let st = sign(Scheme::Stripe, b"b", TS);
    let good = st.get("Stripe-Signature").unwrap().to_owned();
    let hex = good.split_once(",v1=").unwrap().1.to_owned();
    let s = |v: &str| {
        code(verify(
            Scheme::Stripe,
            b"b",
            &with(&st, "Stripe-Signature", v),
            NOW,
        ))
    };
    for v in [
        "garbage".to_owned(),
        format!("v1={hex}"),
        format!("t=abc,v1={hex}"),
        format!("t={TS},t={TS},v1={hex}"),
        format!("t={TS}"),
        format!("t={TS},v1=zz"),
        format!("t={TS},v1="),
    ] {
        assert_eq!(s(&v), ErrorCode::SignatureMalformed, "{v}");
    }

    let gh = sign(Scheme::Github, b"b", TS);
    let good = gh.get("X-Hub-Signature-256").unwrap().to_owned();
    let g = |v: &str| {
        code(verify(
            Scheme::Github,
            b"b",
            &with(&gh, "X-Hub-Signature-256", v),
            NOW,
        ))
    };
    for v in [
        good.trim_start_matches("sha256=").to_owned(),
        format!("sha1={}", &good[7..]),
        format!("{good}00"),
        good[..good.len() - 2].to_owned(),
        "sha256=".to_owned() + &"g".repeat(64),
    ] {
        assert_eq!(g(&v), ErrorCode::SignatureMalformed, "{v}");
    }
}

#[test]
fn size_and_count_caps_come_before_any_hmac() {
    // Over 8 KiB: malformed, even with a valid signature inside and a stale timestamp.
    let sw = sign(Scheme::StandardWebhooks, b"b", TS);
    let good = sw.get("webhook-signature").unwrap().to_owned();
    let pad = " ".to_owned() + &"v0,x".repeat(2100);
    let h = with(&sw, "webhook-signature", &format!("{good}{pad}"));
    assert!(h.get("webhook-signature").unwrap().len() > MAX_HEADER_BYTES);
    assert_eq!(
        code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
        ErrorCode::SignatureMalformed
    );
    let h = with(&sw, "webhook-id", &"m".repeat(MAX_HEADER_BYTES + 1));
    assert_eq!(
        code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
        ErrorCode::SignatureMalformed
    );
    // Exactly 8 KiB is accepted as a size.
    let filler = "v0,".to_owned() + &"x".repeat(MAX_HEADER_BYTES - good.len() - 4);
    let h = with(&sw, "webhook-signature", &format!("{good} {filler}"));
    assert_eq!(h.get("webhook-signature").unwrap().len(), MAX_HEADER_BYTES);
    assert!(verify(Scheme::StandardWebhooks, b"b", &h, NOW).is_ok());

    // 32 signatures are fine, 33 are malformed (the good one last).
    let junk = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ";
    let h = with(
        &sw,
        "webhook-signature",
        &format!("{}{good}", junk.repeat(31)),
    );
    assert!(verify(Scheme::StandardWebhooks, b"b", &h, NOW).is_ok());
    let h = with(
        &sw,
        "webhook-signature",
        &format!("{}{good}", junk.repeat(32)),
    );
    assert_eq!(
        code(verify(Scheme::StandardWebhooks, b"b", &h, NOW)),
        ErrorCode::SignatureMalformed
    );
    // Counted before the timestamp check, and before the timestamp is read.
    let stale = UnixMillis::from_secs(TS + 10_000);
    assert_eq!(
        code(verify(Scheme::StandardWebhooks, b"b", &h, stale)),
        ErrorCode::SignatureMalformed
    );
    let h = with(&h, "webhook-timestamp", "soon");
    let e = verify(Scheme::StandardWebhooks, b"b", &h, NOW).unwrap_err();
    assert_eq!(e.message, "the header carries more than 32 signatures");

    let st = sign(Scheme::Stripe, b"b", TS);
    let good = st.get("Stripe-Signature").unwrap().to_owned();
    let junk = format!(",v1={}", "0".repeat(64));
    let h = with(
        &st,
        "Stripe-Signature",
        &format!("{good}{}", junk.repeat(31)),
    );
    assert!(verify(Scheme::Stripe, b"b", &h, NOW).is_ok());
    let h = with(
        &st,
        "Stripe-Signature",
        &format!("{good}{}", junk.repeat(32)),
    );
    assert_eq!(
        code(verify(Scheme::Stripe, b"b", &h, NOW)),
        ErrorCode::SignatureMalformed
    );
    let h = with(
        &st,
        "Stripe-Signature",
        &format!("{good},{}", "x".repeat(MAX_HEADER_BYTES)),
    );
    assert_eq!(
        code(verify(Scheme::Stripe, b"b", &h, NOW)),
        ErrorCode::SignatureMalformed
    );

    let gh = sign(Scheme::Github, b"b", TS);
    let h = with(
        &gh,
        "X-Hub-Signature-256",
        &"a".repeat(MAX_HEADER_BYTES + 1),
    );
    assert_eq!(
        code(verify(Scheme::Github, b"b", &h, NOW)),
        ErrorCode::SignatureMalformed
    );
}

#[test]
fn tolerance_edges_both_directions() {
    for s in [Scheme::StandardWebhooks, Scheme::Stripe] {
        let h = sign(s, b"b", TS);
        let at = |secs: i64| verify(s, b"b", &h, UnixMillis::from_secs(TS + secs));
        assert!(at(300).is_ok());
        assert!(at(-300).is_ok());
        assert_eq!(code(at(301)), ErrorCode::TimestampOutOfTolerance);
        assert_eq!(code(at(-301)), ErrorCode::TimestampOutOfTolerance);
        // Milliseconds within the last accepted second still pass (now is floored).
        assert!(verify(s, b"b", &h, UnixMillis((TS + 300) * 1000 + 999)).is_ok());
        // Custom tolerance, zero tolerance, and off.
        let tol = |t: f64, secs: i64| {
            verify_webhook(
                s,
                b"b",
                &h,
                &[secret(s)],
                Some(t),
                UnixMillis::from_secs(TS + secs),
                None,
            )
        };
        assert!(tol(10.0, 10).is_ok());
        assert_eq!(code(tol(10.0, 11)), ErrorCode::TimestampOutOfTolerance);
        assert!(tol(0.0, 0).is_ok());
        assert_eq!(code(tol(0.0, -1)), ErrorCode::TimestampOutOfTolerance);
        assert!(tol(f64::INFINITY, 1_000_000_000).is_ok());
        assert!(tol(f64::INFINITY, -1_000_000_000).is_ok());
        assert_eq!(code(tol(f64::NAN, 0)), ErrorCode::InvalidInput);
        assert_eq!(code(tol(-1.0, 0)), ErrorCode::InvalidInput);
        assert_eq!(code(tol(f64::NEG_INFINITY, 0)), ErrorCode::InvalidInput);
    }
    // GitHub has no timestamp, but the option is still validated.
    let h = sign(Scheme::Github, b"b", TS);
    let r = verify_webhook(
        Scheme::Github,
        b"b",
        &h,
        &[secret(Scheme::Github)],
        Some(f64::NAN),
        NOW,
        None,
    );
    assert_eq!(code(r), ErrorCode::InvalidInput);
    assert!(verify(Scheme::Github, b"b", &h, UnixMillis(0)).is_ok());
}

#[test]
fn timestamp_check_at_the_extremes_of_now_and_the_timestamp() {
    let out = ErrorCode::TimestampOutOfTolerance;
    let check = |ts: i64, now_ms: i64, tolerance: f64| {
        code(check_timestamp(ts, UnixMillis(now_ms), tolerance))
    };
    // The largest timestamp the schemes read (15 digits), against the clock's extremes.
    let ts = 999_999_999_999_999;
    assert_eq!(check(ts, i64::MIN, 300.0), out);
    assert_eq!(check(ts, i64::MAX, 300.0), out);
    assert_eq!(check(0, i64::MAX, 300.0), out);
    assert!(check_timestamp(ts, UnixMillis(i64::MAX), f64::INFINITY).is_ok());
    assert!(check_timestamp(ts, UnixMillis(i64::MIN), f64::INFINITY).is_ok());
    // Exactly the tolerance, far from 1970: still accepted, one second more is not.
    assert!(check_timestamp(ts, UnixMillis((ts + 300) * 1000 + 999), 300.0).is_ok());
    assert_eq!(check(ts, (ts + 301) * 1000, 300.0), out);
    assert!(check_timestamp(ts, UnixMillis((ts - 300) * 1000), 300.0).is_ok());
    assert_eq!(check(ts, (ts - 301) * 1000, 300.0), out);
    // Any i64 at all saturates rather than overflows.
    assert_eq!(check(i64::MIN, i64::MAX, 1e18), out);
    assert_eq!(check(i64::MAX, i64::MIN, 1e18), out);
    assert!(check_timestamp(i64::MIN, UnixMillis(i64::MAX), f64::INFINITY).is_ok());
}

#[test]
fn timestamp_is_checked_before_the_mac() {
    for s in [Scheme::StandardWebhooks, Scheme::Stripe] {
        let h = sign(s, b"b", TS);
        let late = UnixMillis::from_secs(TS + 301);
        // A wrong MAC and a stale timestamp: the timestamp wins.
        assert_eq!(
            code(verify(s, b"tampered", &h, late)),
            ErrorCode::TimestampOutOfTolerance
        );
        let r = verify_webhook(s, b"b", &h, &[other_secret(s)], None, late, None);
        assert_eq!(code(r), ErrorCode::TimestampOutOfTolerance);
    }
}

#[test]
fn signed_timestamps_are_ones_a_verifier_reads() {
    for s in [Scheme::StandardWebhooks, Scheme::Stripe, Scheme::Github] {
        let last = sign(s, b"b", MAX_TIMESTAMP_SECS);
        let late = UnixMillis(MAX_TIMESTAMP_SECS * 1000);
        assert!(
            verify(s, b"b", &last, late).is_ok(),
            "{s:?}: the largest timestamp"
        );
        for ts in [MAX_TIMESTAMP_SECS + 1, i64::MAX, -1] {
            let r = sign_webhook(s, b"b", &secret(s), "msg_1", ts);
            assert_eq!(code(r), ErrorCode::InvalidInput, "{s:?}: {ts}");
        }
    }
}

#[test]
fn github_specifics() {
    let gh = sign(Scheme::Github, b"", TS);
    assert!(
        verify(Scheme::Github, b"", &gh, NOW).is_ok(),
        "empty body is valid"
    );
    let sig = gh.get("X-Hub-Signature-256").unwrap();
    let upper = format!("sha256={}", sig[7..].to_uppercase());
    let h = with(&gh, "X-Hub-Signature-256", &upper);
    assert!(
        verify(Scheme::Github, b"", &h, NOW).is_ok(),
        "upper-case hex"
    );
    // Timestamps never matter.
    assert!(verify(
        Scheme::Github,
        b"",
        &gh,
        UnixMillis::from_secs(TS + 1_000_000)
    )
    .is_ok());
}

#[test]
fn secrets_and_config() {
    for s in ALL {
        let h = sign(s, b"b", TS);
        let r = verify_webhook(s, b"b", &h, &[], None, NOW, None);
        assert_eq!(code(r), ErrorCode::InvalidConfig);
        for empty in [Key::from(""), Key::bytes(vec![])] {
            let r = verify_webhook(s, b"b", &h, &[secret(s), empty.clone()], None, NOW, None);
            assert_eq!(code(r), ErrorCode::InvalidConfig);
            assert_eq!(
                code(sign_webhook(s, b"b", &empty, "m", TS)),
                ErrorCode::InvalidConfig
            );
        }
        // Config errors come before header errors.
        let r = verify_webhook(s, b"b", &Headers::default(), &[], None, NOW, None);
        assert_eq!(code(r), ErrorCode::InvalidConfig);
    }
    let bad = Key::from("whsec_%%%");
    let e = sign_webhook(Scheme::StandardWebhooks, b"b", &bad, "m", TS).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidConfig);
    assert!(!e.message.contains("%%%"));
    let h = sign(Scheme::StandardWebhooks, b"b", TS);
    let r = verify_webhook(Scheme::StandardWebhooks, b"b", &h, &[bad], None, NOW, None);
    assert_eq!(code(r), ErrorCode::InvalidConfig);
    assert_eq!(format!("{:?}", Key::from("topsecret")), "Text([redacted])");
    assert_eq!(
        format!("{:?}", Key::bytes(*b"topsecret")),
        "Bytes([redacted])"
    );
}

#[test]
fn key_types_per_scheme() {
    // Standard Webhooks: a byte key is the raw key, a string is base64 (whsec_ optional).
    let raw = super::encoding::b64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let by_bytes = sign_webhook(Scheme::StandardWebhooks, b"b", &Key::bytes(raw), "m", TS).unwrap();
    let by_text = sign_webhook(
        Scheme::StandardWebhooks,
        b"b",
        &Key::from(SW_SECRET),
        "m",
        TS,
    )
    .unwrap();
    let bare = Key::from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let by_bare = sign_webhook(Scheme::StandardWebhooks, b"b", &bare, "m", TS).unwrap();
    assert_eq!(by_bytes, by_text);
    assert_eq!(by_bare, by_text);
    // Stripe/GitHub: a string is its UTF-8 bytes, whsec_ included.
    for s in [Scheme::Stripe, Scheme::Github] {
        let a = sign_webhook(s, b"b", &Key::from("whsec_abc"), "m", TS).unwrap();
        let b = sign_webhook(s, b"b", &Key::bytes(b"whsec_abc".to_vec()), "m", TS).unwrap();
        let c = sign_webhook(s, b"b", &Key::from("abc"), "m", TS).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}

#[test]
fn header_override_renames_only_the_signature_header() {
    let sw = sign(Scheme::StandardWebhooks, b"b", TS);
    let sig = sw.get("webhook-signature").unwrap().to_owned();
    let h = with(&without(&sw, "webhook-signature"), "X-Custom-Sig", &sig);
    let k = [secret(Scheme::StandardWebhooks)];
    let r = verify_webhook(
        Scheme::StandardWebhooks,
        b"b",
        &h,
        &k,
        None,
        NOW,
        Some("x-custom-sig"),
    );
    assert!(r.is_ok());
    // id and timestamp keep their names.
    let h2 = without(&h, "webhook-id");
    let r = verify_webhook(
        Scheme::StandardWebhooks,
        b"b",
        &h2,
        &k,
        None,
        NOW,
        Some("X-Custom-Sig"),
    );
    assert_eq!(code(r), ErrorCode::SignatureMissing);
    // The default header is no longer read.
    let r = verify_webhook(
        Scheme::StandardWebhooks,
        b"b",
        &sw,
        &k,
        None,
        NOW,
        Some("X-Custom-Sig"),
    );
    assert_eq!(code(r), ErrorCode::SignatureMissing);

    let gh = sign(Scheme::Github, b"b", TS);
    let v = gh.get("X-Hub-Signature-256").unwrap().to_owned();
    let h = Headers(vec![("X-Signature".into(), v.into())]);
    let k = [secret(Scheme::Github)];
    assert!(verify_webhook(Scheme::Github, b"b", &h, &k, None, NOW, Some("X-Signature")).is_ok());
    for bad in ["", "bad header", "a:b"] {
        let r = verify_webhook(Scheme::Github, b"b", &h, &k, None, NOW, Some(bad));
        assert_eq!(code(r), ErrorCode::InvalidInput);
    }
}

#[test]
fn errors_never_echo_secrets() {
    let s = Scheme::Stripe;
    let h = sign(s, b"b", TS);
    let e = verify_webhook(
        s,
        b"b",
        &h,
        &[Key::from("sk_super_secret")],
        None,
        NOW,
        None,
    )
    .unwrap_err();
    assert!(!e.message.contains("sk_super_secret"));
    assert!(e.details.is_none());
}

#[test]
fn timing_safe_equal_lengths() {
    assert!(timing_safe_equal(b"abc", b"abc"));
    assert!(!timing_safe_equal(b"abc", b"abd"));
    assert!(!timing_safe_equal(b"abc", b"abcd"));
    assert!(timing_safe_equal(b"", b""));
}

#[test]
fn verifier_is_reusable_and_matches_verify_webhook() {
    for s in ALL {
        let v = Verifier::new(s, &[other_secret(s), secret(s)], None, None).unwrap();
        for body in [&b""[..], b"{}", &[0xff; 3000]] {
            let h = sign(s, body, TS);
            let got = v.verify(body, &v.signed_headers(&h), NOW).unwrap();
            assert_eq!(got.secret_index, 1);
            assert_eq!(
                got,
                verify_webhook(s, body, &h, &[other_secret(s), secret(s)], None, NOW, None)
                    .unwrap()
            );
            let tampered = v.verify(b"other", &v.signed_headers(&h), NOW);
            assert_eq!(code(tampered), ErrorCode::SignatureMismatch);
        }
    }
}

/// The split used by hosts with a native HMAC: the MAC of `prefix ‖ payload` computed
/// outside gives the same results and errors as the crate's own.
#[test]
fn prepare_then_finish_with_an_outside_mac() {
    for s in ALL {
        let v = Verifier::new(s, &[secret(s)], None, None).unwrap();
        let h = sign(s, b"payload", TS);
        let p = v.prepare(&v.signed_headers(&h), NOW).unwrap();
        let expected_prefix: &[u8] = match s {
            Scheme::StandardWebhooks => b"msg_1.1700000000.",
            Scheme::Stripe => b"1700000000.",
            Scheme::Github => b"",
        };
        assert_eq!(p.prefix, expected_prefix);
        let outside = |payload: &'static [u8]| {
            let key = v.key_bytes().first().unwrap().clone();
            let prefix = p.prefix.clone();
            move |_: usize| hmac::hmac_sha256_parts(&key, &[&prefix, payload])
        };
        let ok = v.finish(&p, &mut outside(b"payload")).unwrap();
        assert_eq!(
            ok,
            v.verify(b"payload", &v.signed_headers(&h), NOW).unwrap()
        );
        assert_eq!(
            code(v.finish(&p, &mut outside(b"tampered"))),
            ErrorCode::SignatureMismatch
        );
    }
}

/// Each key's MAC is computed once, however many tags the header carries.
#[test]
fn one_mac_per_key_whatever_the_number_of_tags() {
    let keys = [
        other_secret(Scheme::StandardWebhooks),
        Key::from("whsec_dGhpcmQ="),
        secret(Scheme::StandardWebhooks),
    ];
    let v = Verifier::new(Scheme::StandardWebhooks, &keys, None, None).unwrap();
    let good = sign(Scheme::StandardWebhooks, b"b", TS);
    let good_sig = good.get("webhook-signature").unwrap().to_owned();
    let many = format!(
        "{} {good_sig}",
        vec!["v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; 20].join(" ")
    );
    let h = with(&good, "webhook-signature", &many);
    let p = v.prepare(&v.signed_headers(&h), NOW).unwrap();
    assert_eq!(p.tags.len(), 21);
    let mut calls = Vec::new();
    let got = v
        .finish(&p, &mut |i| {
            calls.push(i);
            hmac::hmac_sha256_parts(&v.key_bytes()[i], &[&p.prefix, b"b"])
        })
        .unwrap();
    assert_eq!(got.secret_index, 2);
    assert_eq!(calls, vec![0, 1, 2]);
}

#[test]
fn header_values_are_trimmed_as_str_trim_trims_them() {
    for v in [
        "",
        " ",
        "a",
        " a",
        "a ",
        "\tv1,x\r\n",
        "\u{3000}v1,x\u{a0}",
        "v1,x\u{2028}",
        "\u{85}x",
        "x\u{85}",
        "é",
        "v1,é",
        "~",
        "\u{1f}x\u{7f}",
        "\u{b}x\u{c}",
    ] {
        assert_eq!(super::trim(v), v.trim(), "{v:?}");
    }
}
