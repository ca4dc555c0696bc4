//! Inbound webhooks (vendor §6): `Learnworlds-Webhook-Signature: v1=<value>`, a static
//! pre-shared value by default, or `v1=` + hex HMAC-SHA256 of the raw body.

use serde::Serialize;
use serde_json::Value;

use super::VENDOR;
use crate::core::http::Headers;
use crate::core::input::Fields;
use crate::core::json::string_or_number;
use crate::core::secret::constant_time_eq;
use crate::core::text::concat;
use crate::error::{Error, ErrorCode, Result};

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "Learnworlds-Webhook-Signature";

/// The version prefix of the header value.
const PREFIX: &str = "v1=";

/// Longest accepted header value.
const MAX_HEADER: usize = 8 * 1024;

/// A verified webhook: `{ version, type, trigger, schoolId, data, raw }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// The envelope version (`2`), or null.
    pub version: Option<Value>,
    /// The event type (`userUpdated`, `productBought`, …): dispatch on this.
    #[serde(rename = "type")]
    pub kind: String,
    /// The trigger (`new_purchase`, …), or null. Not unique per type.
    pub trigger: Option<String>,
    /// The school id, or null.
    pub school_id: Option<String>,
    /// The event data, keys as sent (null when absent).
    pub data: Value,
    /// The whole parsed body.
    pub raw: Value,
}

/// Verification mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Constant-time compare of the whole header with `v1=<value>`.
    Static,
    /// `v1=` + lowercase hex HMAC-SHA256(key = value, message = body).
    HmacSha256Hex,
}

fn config_err(field: &str, must: &str) -> Error {
    Error::invalid_config(field, must).with_vendor(VENDOR)
}

fn sig_err(code: ErrorCode, message: &str) -> Error {
    Error::new(code, message).with_vendor(VENDOR)
}

/// Reads `{ signature: string | string[], mode? }`.
fn read_options(opts: &Value) -> Result<(Vec<&str>, Mode)> {
    let f = Fields::new(opts, "options").map_err(|e| config_err("options", &e.message))?;
    let must = "must be a non-empty string or a non-empty array of non-empty strings";
    let signatures: Vec<&str> = match f.get("signature") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().ok_or_else(|| config_err("signature", must)))
            .collect::<Result<_>>()?,
        _ => return Err(config_err("signature", must)),
    };
    if signatures.is_empty() || signatures.iter().any(|s| s.is_empty() || *s == PREFIX) {
        return Err(config_err("signature", must));
    }
    let mode = match f.get("mode") {
        None => Mode::Static,
        Some(Value::String(m)) if m == "static" => Mode::Static,
        Some(Value::String(m)) if m == "hmac-sha256-hex" => Mode::HmacSha256Hex,
        Some(_) => {
            return Err(config_err(
                "mode",
                "must be \"static\" or \"hmac-sha256-hex\"",
            ))
        }
    };
    Ok((signatures, mode))
}

/// Lowercase hex HMAC-SHA256 of `body` under `key` (any key length).
fn hmac_hex(key: &[u8], body: &[u8]) -> String {
    crate::signing::encoding::hex_encode(&crate::signing::hmac_sha256(key, body))
}

/// `LearnWorlds.verifyWebhook(body, headers, { signature, mode })`: checks the
/// `Learnworlds-Webhook-Signature` header against every configured value (rotation), in
/// constant time, then parses the envelope. A static value is a bearer password: no
/// integrity, no timestamp, no replay protection.
///
/// Errors: no/empty `signature` or a bad `mode` → `INVALID_CONFIG`; header absent →
/// `SIGNATURE_MISSING`; no `v1=` prefix, over 8 KiB, or (HMAC mode) not 64 lowercase hex →
/// `SIGNATURE_MALFORMED`; no match → `SIGNATURE_MISMATCH`; body not a JSON object or
/// without `type` → `INVALID_INPUT`.
pub fn verify_webhook(body: &[u8], headers: &Headers, opts: &Value) -> Result<WebhookEvent> {
    let (signatures, mode) = read_options(opts)?;
    let Some(header) = headers.get(SIGNATURE_HEADER) else {
        return Err(sig_err(
            ErrorCode::SignatureMissing,
            "the Learnworlds-Webhook-Signature header is missing",
        ));
    };
    if header.len() > MAX_HEADER {
        return Err(sig_err(
            ErrorCode::SignatureMalformed,
            "the Learnworlds-Webhook-Signature header is longer than 8 KiB",
        ));
    }
    let header = header.trim_matches([' ', '\t']);
    let Some(value) = header.strip_prefix(PREFIX) else {
        return Err(sig_err(
            ErrorCode::SignatureMalformed,
            "the Learnworlds-Webhook-Signature header does not start with `v1=`",
        ));
    };
    let mut matched = false;
    match mode {
        Mode::Static => {
            for s in &signatures {
                let expected = if s.starts_with(PREFIX) {
                    (*s).to_owned()
                } else {
                    concat(&[PREFIX, s])
                };
                matched |= constant_time_eq(header.as_bytes(), expected.as_bytes());
            }
        }
        Mode::HmacSha256Hex => {
            let well_formed = value.len() == 64
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !well_formed {
                return Err(sig_err(
                    ErrorCode::SignatureMalformed,
                    "the Learnworlds-Webhook-Signature header is not `v1=` + 64 lowercase hex digits",
                ));
            }
            for s in &signatures {
                let expected = hmac_hex(s.as_bytes(), body);
                matched |= constant_time_eq(value.as_bytes(), expected.as_bytes());
            }
        }
    }
    if !matched {
        return Err(sig_err(
            ErrorCode::SignatureMismatch,
            "the webhook signature matches no configured value",
        ));
    }
    parse_envelope(body)
}

/// Parses `{"version":2,"type","trigger","school_id","data"}`.
fn parse_envelope(body: &[u8]) -> Result<WebhookEvent> {
    let raw: Value = crate::core::json::parse(body)
        .ok_or_else(|| Error::invalid_input("body", "must be a JSON object").with_vendor(VENDOR))?;
    let Some(map) = raw.as_object() else {
        return Err(Error::invalid_input("body", "must be a JSON object").with_vendor(VENDOR));
    };
    let kind = map
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::invalid_input("type", "is required in the webhook body").with_vendor(VENDOR)
        })?
        .to_owned();
    Ok(WebhookEvent {
        version: map.get("version").filter(|v| !v.is_null()).cloned(),
        kind,
        trigger: map
            .get("trigger")
            .and_then(Value::as_str)
            .map(str::to_owned),
        school_id: string_or_number(map, "school_id"),
        data: map.get("data").cloned().unwrap_or(Value::Null),
        raw: raw.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BODY: &str = r#"{"version":2,"type":"courseCompleted","trigger":"course_completed","school_id":"sch1","data":{"course":{"id":"c1","title":"Intro"},"user":{"id":"u1","email":"a@b.co","first_Name":"A"}}}"#;

    fn headers(value: &str) -> Headers {
        let mut h = Headers::default();
        h.set("learnworlds-webhook-signature", value.to_owned());
        h
    }

    fn code(r: Result<WebhookEvent>) -> ErrorCode {
        r.unwrap_err().code
    }

    #[test]
    fn static_with_and_without_prefix() {
        let ev = verify_webhook(
            BODY.as_bytes(),
            &headers("v1=abc123"),
            &json!({"signature": "abc123"}),
        )
        .unwrap();
        assert_eq!(ev.kind, "courseCompleted");
        let ev2 = verify_webhook(
            BODY.as_bytes(),
            &headers("v1=abc123"),
            &json!({"signature": "v1=abc123", "mode": "static"}),
        )
        .unwrap();
        assert_eq!(ev, ev2);
    }

    #[test]
    fn static_failures() {
        let o = json!({"signature": "abc123"});
        let b = BODY.as_bytes();
        assert_eq!(
            code(verify_webhook(b, &headers("v1=abc124"), &o)),
            ErrorCode::SignatureMismatch
        );
        assert_eq!(
            code(verify_webhook(b, &headers("v1=abc1234"), &o)),
            ErrorCode::SignatureMismatch
        );
        assert_eq!(
            code(verify_webhook(b, &headers("v1="), &o)),
            ErrorCode::SignatureMismatch
        );
        assert_eq!(
            code(verify_webhook(b, &Headers::default(), &o)),
            ErrorCode::SignatureMissing
        );
        assert_eq!(
            code(verify_webhook(b, &headers("abc123"), &o)),
            ErrorCode::SignatureMalformed
        );
        assert_eq!(
            code(verify_webhook(b, &headers("v2=abc123"), &o)),
            ErrorCode::SignatureMalformed
        );
        let long = format!("v1={}", "a".repeat(MAX_HEADER));
        assert_eq!(
            code(verify_webhook(b, &headers(&long), &o)),
            ErrorCode::SignatureMalformed
        );
        let e = verify_webhook(b, &headers("v1=wrong"), &o).unwrap_err();
        assert!(!e.message.contains("abc123") && !e.message.contains("wrong"));
    }

    #[test]
    fn rotation() {
        let o = json!({"signature": ["old-value", "new-value"]});
        for h in ["v1=old-value", "v1=new-value"] {
            assert!(
                verify_webhook(BODY.as_bytes(), &headers(h), &o).is_ok(),
                "{h}"
            );
        }
        assert_eq!(
            code(verify_webhook(BODY.as_bytes(), &headers("v1=other"), &o)),
            ErrorCode::SignatureMismatch
        );
    }

    #[test]
    fn bad_configuration() {
        for o in [
            json!({}),
            json!({"signature": ""}),
            json!({"signature": []}),
            json!({"signature": ["a", ""]}),
            json!({"signature": "v1="}),
            json!({"signature": ["a", 1]}),
            json!({"signature": 5}),
            json!({"signature": "a", "mode": "hmac"}),
            json!(null),
        ] {
            assert_eq!(
                code(verify_webhook(BODY.as_bytes(), &headers("v1=a"), &o)),
                ErrorCode::InvalidConfig,
                "{o}"
            );
        }
    }

    #[test]
    fn hmac_mode() {
        let key = "whkey";
        let sig = hmac_hex(key.as_bytes(), BODY.as_bytes());
        assert_eq!(sig.len(), 64);
        let o = json!({"signature": ["other", key], "mode": "hmac-sha256-hex"});
        let ev = verify_webhook(BODY.as_bytes(), &headers(&format!("v1={sig}")), &o).unwrap();
        assert_eq!(ev.kind, "courseCompleted");
        // Tampered body.
        let tampered = BODY.replace("Intro", "Intrp");
        assert_eq!(
            code(verify_webhook(
                tampered.as_bytes(),
                &headers(&format!("v1={sig}")),
                &o
            )),
            ErrorCode::SignatureMismatch
        );
        // Upper-case hex, wrong length, no prefix → malformed.
        for h in [
            format!("v1={}", sig.to_uppercase()),
            format!("v1={}", sig.get(..63).unwrap()),
            sig.clone(),
            "v1=zz".to_owned(),
        ] {
            assert_eq!(
                code(verify_webhook(BODY.as_bytes(), &headers(&h), &o)),
                ErrorCode::SignatureMalformed,
                "{h}"
            );
        }
        // The static value itself is not accepted in HMAC mode.
        assert_eq!(
            code(verify_webhook(
                BODY.as_bytes(),
                &headers(&format!("v1={}", "0".repeat(64))),
                &o
            )),
            ErrorCode::SignatureMismatch
        );
    }

    #[test]
    fn hmac_known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn envelope() {
        let ev = verify_webhook(
            BODY.as_bytes(),
            &headers("v1=s"),
            &json!({"signature": "s"}),
        )
        .unwrap();
        let v = serde_json::to_value(&ev).unwrap();
        assert_eq!(v["version"], 2);
        assert_eq!(v["type"], "courseCompleted");
        assert_eq!(v["trigger"], "course_completed");
        assert_eq!(v["schoolId"], "sch1");
        assert_eq!(v["data"]["user"]["first_Name"], "A");
        assert_eq!(v["raw"]["school_id"], "sch1");

        let minimal = br#"{"type":"somethingNew"}"#;
        let ev = verify_webhook(minimal, &headers("v1=s"), &json!({"signature": "s"})).unwrap();
        let v = serde_json::to_value(&ev).unwrap();
        assert_eq!(
            v,
            json!({"version": null, "type": "somethingNew", "trigger": null, "schoolId": null,
                   "data": null, "raw": {"type": "somethingNew"}})
        );

        for bad in [
            &b"not json"[..],
            b"[1]",
            br#"{"trigger":"x"}"#,
            br#"{"type":""}"#,
            b"",
        ] {
            assert_eq!(
                code(verify_webhook(
                    bad,
                    &headers("v1=s"),
                    &json!({"signature": "s"})
                )),
                ErrorCode::InvalidInput
            );
        }
        // The signature is checked before the body.
        assert_eq!(
            code(verify_webhook(
                b"not json",
                &headers("v1=x"),
                &json!({"signature": "s"})
            )),
            ErrorCode::SignatureMismatch
        );
    }
}
