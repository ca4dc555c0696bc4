//! API.md §4: webhook signatures, HMAC/SHA-256, constant-time compare, signed URLs.

use wasm_bindgen::prelude::*;

use super::convert::{
    bytes, headers, json, key, keys, opt_number, opt_string, prop, string, to_js,
};
use super::env::{now_from, random_bytes};
use crate::error::{Error, Result};
use crate::signing::{self, Scheme};

fn scheme(opts: &JsValue) -> Result<Scheme> {
    match prop(opts, "scheme").as_string() {
        Some(s) => Scheme::parse(&s),
        None => Err(Error::invalid_config(
            "scheme",
            "must be \"standard-webhooks\", \"stripe\" or \"github\"",
        )),
    }
}

/// Signs `payload` and returns the headers to send with it.
///
/// @example
/// ```ts
/// const headers = signWebhook(body, { scheme: "standard-webhooks", secret: "whsec_…" });
/// ```
#[wasm_bindgen(
    js_name = "signWebhook",
    unchecked_return_type = "Record<string, string>"
)]
pub fn sign_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] payload: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignWebhookOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let scheme = scheme(&opts)?;
    let secret = key(&prop(&opts, "secret"), "secret")?;
    let id = match opt_string(&opts, "id")? {
        Some(id) => id,
        None => signing::new_message_id(&random_bytes(18)?),
    };
    let timestamp = match opt_number(&opts, "timestamp", false)? {
        Some(t) => t as i64,
        None => now_from(None)?.as_secs(),
    };
    let payload = bytes(&payload, "payload")?;
    Ok(to_js(&signing::sign_webhook(
        scheme, &payload, &secret, &id, timestamp,
    )?)?)
}

/// Verifies a received webhook over its exact bytes. Throws `LmsBridgeError`
/// (`SIGNATURE_MISSING`, `SIGNATURE_MALFORMED`, `SIGNATURE_MISMATCH`,
/// `TIMESTAMP_OUT_OF_TOLERANCE`, `INVALID_CONFIG`, `INVALID_INPUT`) when it does not verify.
#[wasm_bindgen(js_name = "verifyWebhook", unchecked_return_type = "VerifiedWebhook")]
pub fn verify_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] payload: JsValue,
    #[wasm_bindgen(js_name = "headers", unchecked_param_type = "HeadersLike")] headers_in: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyWebhookOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let scheme = scheme(&opts)?;
    let secrets = keys(&prop(&opts, "secret"), "secret")?;
    let tolerance = opt_number(&opts, "toleranceSeconds", true)?;
    let now = now_from(opt_number(&opts, "now", false)?)?;
    let header = opt_string(&opts, "header")?;
    let payload = bytes(&payload, "payload")?;
    let headers = headers(&headers_in, "headers")?;
    let verified = signing::verify_webhook(
        scheme,
        &payload,
        &headers,
        &secrets,
        tolerance,
        now,
        header.as_deref(),
    )?;
    Ok(to_js(&verified)?)
}

/// HMAC-SHA256 of `message` under `key` (strings are UTF-8).
#[wasm_bindgen(js_name = "hmacSha256")]
pub fn hmac_sha256(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
) -> Result<Vec<u8>, JsValue> {
    Ok(signing::hmac_sha256(&bytes(&key, "key")?, &bytes(&message, "message")?).to_vec())
}

/// SHA-256 of `data` (strings are UTF-8).
#[wasm_bindgen(js_name = "sha256")]
pub fn sha256(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
) -> Result<Vec<u8>, JsValue> {
    Ok(signing::sha256(&bytes(&data, "data")?).to_vec())
}

/// Compares two byte strings in constant time; different lengths are unequal.
#[wasm_bindgen(js_name = "timingSafeEqual")]
pub fn timing_safe_equal(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] b: JsValue,
) -> Result<bool, JsValue> {
    Ok(crate::core::secret::constant_time_eq(
        &bytes(&a, "a")?,
        &bytes(&b, "b")?,
    ))
}

/// Appends `expires` and `sig` to `url` (HMAC-SHA256, base64url).
#[wasm_bindgen(js_name = "signUrl")]
pub fn sign_url(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignUrlOptions")] opts: JsValue,
) -> Result<String, JsValue> {
    let secret = key(&prop(&opts, "secret"), "secret")?;
    let expires_in = opt_number(&opts, "expiresInSeconds", false)?;
    let now = now_from(opt_number(&opts, "now", false)?)?;
    Ok(signing::sign_url(
        &string(&url, "url")?,
        &secret,
        expires_in,
        now,
    )?)
}

/// Checks a URL made by `signUrl`: signature, expiry and (if given) its origin.
#[wasm_bindgen(
    js_name = "verifySignedUrl",
    unchecked_return_type = "VerifiedSignedUrl"
)]
pub fn verify_signed_url(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifySignedUrlOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let secrets = keys(&prop(&opts, "secret"), "secret")?;
    let now = now_from(opt_number(&opts, "now", false)?)?;
    let origins = match json(&prop(&opts, "allowedOrigins"), "allowedOrigins")? {
        serde_json::Value::Null => None,
        serde_json::Value::Array(items) => Some(
            items
                .into_iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => Ok(s),
                    _ => Err(Error::invalid_input(
                        "allowedOrigins",
                        "must be an array of strings",
                    )),
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        _ => {
            return Err(
                Error::invalid_input("allowedOrigins", "must be an array of strings").into(),
            )
        }
    };
    let url = string(&url, "url")?;
    Ok(to_js(&signing::verify_signed_url(
        &url,
        &secrets,
        now,
        origins.as_deref(),
    )?)?)
}
