//! Response parsers and the error mapping of vendor file §3: `{"status":false,"message"}`
//! and `{"detail"}` bodies, status-based codes, `status:false` inside a 2xx →
//! `VENDOR_ERROR`, a 2xx that is not a JSON object → `RESPONSE_MALFORMED`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Config, VENDOR};
use crate::core::http::HttpResponse;
use crate::core::input::number_to_string;
use crate::core::json::{get, redacted_text, scrub_text, truncate, JsonWriter, RawJson};
use crate::core::secret::{exposed, Secret};
use crate::core::time::parse_iso8601;
use crate::core::tree::{self, Node as TreeNode};
use crate::core::url;
use crate::error::{ErrorCode, Result};
use crate::vendors::{malformed, status_error, vendor_error, VendorFault};

/// `autoSubscribe` result: `{ status, userId?, raw }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoSubscribeResult {
    /// The vendor's status string.
    pub status: String,
    /// The vendor's user id (a number becomes a string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The response body as received.
    pub raw: RawJson,
}

impl AutoSubscribeResult {
    /// The result as JSON text, as serde writes it (`raw` as the body's own text when it was
    /// read by the typed path): what JS gets.
    pub fn to_json(&self) -> String {
        status_json(&self.status, self.user_id.as_deref(), &self.raw)
    }
}

/// `accessControl` result: `{ status, raw }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessControlResult {
    /// The vendor's status string.
    pub status: String,
    /// The response body as received.
    pub raw: RawJson,
}

impl AccessControlResult {
    /// The result as JSON text, as serde writes it ([`AutoSubscribeResult::to_json`]).
    pub fn to_json(&self) -> String {
        status_json(&self.status, None, &self.raw)
    }
}

/// `{ status, userId?, raw }` as JSON text: the two results' shape.
fn status_json(status: &str, user_id: Option<&str>, raw: &RawJson) -> String {
    let mut w = JsonWriter::with_capacity(64 + status.len() + raw.text_len());
    w.begin();
    w.key("status");
    w.text(status);
    if let Some(id) = user_id {
        w.key("userId");
        w.text(id);
    }
    w.key("raw");
    w.raw(raw);
    w.end();
    w.finish()
}

/// `createLoginUrl` result: `{ url, expiresAt? }`. The URL is a bearer credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginUrl {
    /// The one-click login URL (https, or http on loopback).
    #[serde(serialize_with = "exposed")]
    pub url: Secret<String>,
    /// Expiry, Unix milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl Config {
    /// The vendor's error fields of a JSON object, if it has the documented error shape
    /// (`message`, `detail` or `status:false`). Message and body are scrubbed of keys.
    fn fault(&self, map: &Map<String, Value>) -> Option<VendorFault> {
        let message = get(map, self.wire("message")).filter(|v| !v.is_null());
        let detail = get(map, self.wire("detail")).filter(|v| !v.is_null());
        let status_false = get(map, self.wire("status")) == Some(&Value::Bool(false));
        if message.is_none() && detail.is_none() && !status_false {
            return None;
        }
        let secrets = self.secrets();
        let text = [message, detail]
            .into_iter()
            .flatten()
            .find_map(Value::as_str)
            .map(str::to_owned)
            .or_else(|| message.or(detail).map(crate::core::json::compact));
        // Long vendor messages are shortened in the details too.
        let mut body = map.clone();
        for key in [self.wire("message"), self.wire("detail")] {
            if let Some(Value::String(s)) = body.get_mut(key) {
                *s = truncate(s, 200);
            }
        }
        let vendor_code = match get(map, self.wire("code")) {
            Some(Value::String(s)) if !s.is_empty() => Some(scrub_text(s, &secrets)),
            Some(Value::Number(n)) => Some(number_to_string(n)),
            _ => None,
        };
        Some(VendorFault {
            vendor_code,
            message: text.map(|t| scrub_text(&t, &secrets)),
            body: redacted_text(&Value::Object(body), &secrets),
        })
    }

    /// The JSON object of a successful response, or the mapped error.
    fn success_object(&self, resp: &HttpResponse) -> Result<Map<String, Value>> {
        let status = resp.status;
        let json = resp.json();
        if !resp.is_success() {
            let fault = match &json {
                Some(Value::Object(map)) => self.fault(map),
                _ => None,
            };
            return Err(status_error(VENDOR, status, fault));
        }
        let Some(Value::Object(map)) = json else {
            return Err(malformed(VENDOR, status, "expected a JSON object"));
        };
        if get(&map, self.wire("status")) == Some(&Value::Bool(false)) {
            return Err(vendor_error(
                VENDOR,
                ErrorCode::VendorError,
                status,
                self.fault(&map),
            ));
        }
        Ok(map)
    }

    fn status_string(&self, map: &Map<String, Value>, status: u16) -> Result<String> {
        match get(map, self.wire("status")) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            _ => Err(malformed(
                VENDOR,
                status,
                "`status` is missing or not a string",
            )),
        }
    }

    /// A success the `Value` path would read as one, read by the tree: a 2xx whose body is
    /// a JSON object with a non-empty string `status`; `read` takes the other fields from the
    /// object, and the body's text is its `raw`. `None` (from here or from `read`, for any
    /// field the `Value` path would read differently or refuse): that path decides.
    fn typed_success<T>(
        &self,
        resp: &HttpResponse,
        read: impl FnOnce(String, TreeNode<'_, '_>, RawJson) -> Option<T>,
    ) -> Option<T> {
        if !resp.is_success() {
            return None;
        }
        let text = std::str::from_utf8(&resp.body).ok()?;
        let tree = tree::parse_str(text)?;
        let root = tree.root();
        if !root.is_object() {
            return None;
        }
        let status = root.get(self.wire("status"))?.as_str()?;
        if status.is_empty() {
            return None;
        }
        read(status.to_owned(), root, RawJson::Text(text.to_owned()))
    }

    /// Parses an `autoSubscribe` response: 200/201 `{"status","user_id"}`.
    pub fn parse_auto_subscribe(&self, resp: &HttpResponse) -> Result<AutoSubscribeResult> {
        let typed = self.typed_success(resp, |status, root, raw| {
            // Absent as none; anything the typed read leaves is left to the `Value` path.
            let user_id = root
                .get(self.wire("user_id"))
                .map_or(Some(None), TreeNode::id_text)?;
            Some(AutoSubscribeResult {
                status,
                user_id,
                raw,
            })
        });
        match typed {
            Some(result) => Ok(result),
            None => self.value_auto_subscribe(resp),
        }
    }

    /// [`parse_auto_subscribe`](Self::parse_auto_subscribe) by the `Value` path: every body the
    /// typed path leaves (errors, unusual fields), and the tests' reference for the others.
    fn value_auto_subscribe(&self, resp: &HttpResponse) -> Result<AutoSubscribeResult> {
        let map = self.success_object(resp)?;
        let status = self.status_string(&map, resp.status)?;
        let user_id = match get(&map, self.wire("user_id")) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(number_to_string(n)),
            Some(_) => {
                return Err(malformed(
                    VENDOR,
                    resp.status,
                    "`user_id` is not a string or number",
                ))
            }
        };
        Ok(AutoSubscribeResult {
            status,
            user_id,
            raw: RawJson::Value(Value::Object(map)),
        })
    }

    /// Parses an `accessControl` response: 200 `{"status"}`.
    pub fn parse_access_control(&self, resp: &HttpResponse) -> Result<AccessControlResult> {
        let typed = self.typed_success(resp, |status, _, raw| {
            Some(AccessControlResult { status, raw })
        });
        match typed {
            Some(result) => Ok(result),
            None => self.value_access_control(resp),
        }
    }

    /// [`parse_access_control`](Self::parse_access_control) by the `Value` path.
    fn value_access_control(&self, resp: &HttpResponse) -> Result<AccessControlResult> {
        let map = self.success_object(resp)?;
        let status = self.status_string(&map, resp.status)?;
        Ok(AccessControlResult {
            status,
            raw: RawJson::Value(Value::Object(map)),
        })
    }

    /// Parses a `createLoginUrl` response: `{"login_url" (or "url"), "expires_at"?}`. The
    /// URL must be absolute https (http only on loopback); `expires_at` is ISO-8601 or Unix
    /// seconds (number or digit string) and becomes milliseconds. Else `RESPONSE_MALFORMED`.
    pub fn parse_create_login_url(&self, resp: &HttpResponse) -> Result<LoginUrl> {
        let st = resp.status;
        let map = self.success_object(resp)?;
        let raw_url = [self.wire("login_url"), self.wire("url")]
            .iter()
            .find_map(|k| {
                get(&map, k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
            })
            .ok_or_else(|| malformed(VENDOR, st, "no `login_url`"))?;
        match url::parse(raw_url) {
            Ok(u) if u.is_secure_or_loopback() && !u.has_userinfo => {}
            _ => {
                return Err(malformed(
                    VENDOR,
                    st,
                    "the login URL is not an absolute https URL",
                ))
            }
        }
        let expires_at = match get(&map, self.wire("expires_at")) {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                expiry_millis(v)
                    .ok_or_else(|| malformed(VENDOR, st, "`expires_at` is unparsable"))?,
            ),
        };
        Ok(LoginUrl {
            url: raw_url.into(),
            expires_at,
        })
    }
}

/// ISO-8601 string, or Unix seconds as a number or digit string → Unix milliseconds.
fn expiry_millis(v: &Value) -> Option<i64> {
    let secs_to_ms = |secs: f64| {
        (secs.is_finite() && (0.0..1e13).contains(&secs)).then(|| (secs * 1000.0).round() as i64)
    };
    match v {
        Value::Number(n) => secs_to_ms(n.as_f64()?),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            secs_to_ms(crate::core::text::parse_decimal(s)?)
        }
        Value::String(s) => parse_iso8601(s).map(|t| t.0),
        _ => None,
    }
}

/// Both paths' results for one response, as the JSON JS gets (`to_json`) or the error: the
/// typed path (through the parsers) and the `Value` path alone. For tests and the `responses`
/// fuzz target: the two must agree.
#[cfg(any(test, fuzzing))]
#[allow(clippy::type_complexity)]
pub fn parse_paths(cfg: &Config, resp: &HttpResponse) -> [(Result<String>, Result<String>); 2] {
    [
        (
            cfg.parse_auto_subscribe(resp).map(|r| r.to_json()),
            cfg.value_auto_subscribe(resp).map(|r| r.to_json()),
        ),
        (
            cfg.parse_access_control(resp).map(|r| r.to_json()),
            cfg.value_access_control(resp).map(|r| r.to_json()),
        ),
    ]
}
