//! Progress callbacks (MM → LMS, vendor file §4): authenticate the raw bytes (signature in
//! secret mode, else a constant-time API-key check), then parse into a [`ProgressEvent`].

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Config, VENDOR};
use crate::core::http::Headers;
use crate::core::input::number_to_string;
use crate::core::json::get;
use crate::core::secret::constant_time_eq;
use crate::core::text::concat;
use crate::core::time::{parse_iso8601, UnixMillis};
use crate::error::{Error, ErrorCode, Result};
use crate::signing::verify_webhook;

/// `ProgressEvent.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ProgressStatus {
    /// `"in_progress"`
    #[serde(rename = "in_progress")]
    InProgress,
    /// `"completed"`
    #[serde(rename = "completed")]
    Completed,
}

/// A verified progress callback (API.md `ProgressEvent`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent {
    /// Event name (`video.progress`, `video.completed`, `course.completed`, or another).
    pub event: String,
    /// The learner's e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The LMS user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lms_user_id: Option<String>,
    /// The video id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_id: Option<String>,
    /// Progress status.
    pub status: ProgressStatus,
    /// CPE credits (0 when absent).
    pub cpe_credits: f64,
    /// Minutes consumed (0 when absent).
    pub minutes_consumed: u64,
    /// Completion time as sent (ISO-8601), or `null`.
    pub completed_at: Option<String>,
    /// The whole payload as received (unknown fields included).
    pub raw: Value,
}

/// A response for the host to send back to MM: `{ status, headers, body }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallbackResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Headers,
    /// Response body.
    pub body: String,
}

fn json_response(status: u16, body: &str) -> CallbackResponse {
    let mut headers = Headers::default();
    headers.set("Content-Type", "application/json");
    CallbackResponse {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// The acknowledgement MM expects: 200, `Content-Type: application/json`,
/// `{"status":"ok"}`.
pub fn callback_ack() -> CallbackResponse {
    json_response(200, r#"{"status":"ok"}"#)
}

/// The answer to a refused callback, without details: 401 for authentication failures,
/// 400 for a bad payload, 500 for a configuration error.
pub fn callback_reject(err: &Error) -> CallbackResponse {
    match err.code {
        ErrorCode::InvalidInput => json_response(400, r#"{"status":"error"}"#),
        ErrorCode::InvalidConfig => json_response(500, r#"{"status":"error"}"#),
        _ => json_response(401, r#"{"status":"error"}"#),
    }
}

fn invalid(field: &str, must: &str) -> Error {
    Error::invalid_input(field, must).with_vendor(VENDOR)
}

fn config_error(must: &str) -> Error {
    Error::invalid_config("callback", must).with_vendor(VENDOR)
}

fn auth_failed(message: &str) -> Error {
    Error::new(ErrorCode::AuthFailed, message).with_vendor(VENDOR)
}

/// A decimal string: digits with at most one `.` between digits.
fn decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    (digits(int) && digits(frac)).then(|| crate::core::text::parse_decimal(s))?
}

impl Config {
    /// Authenticates a progress callback over the raw `body` and `headers`, then parses
    /// it. Secret mode (`callback.secret`): a signature in `callback.scheme` is required
    /// (`SIGNATURE_*`, `TIMESTAMP_OUT_OF_TOLERANCE`), API-key headers are ignored. Else
    /// API-key mode (`callback.apiKey`): the `callback.apiKeyHeader` header must equal one
    /// key (constant-time), else `AUTH_FAILED`. Neither, or an empty value →
    /// `INVALID_CONFIG`. A payload that breaks the rules → `INVALID_INPUT`.
    pub fn verify_progress_callback(
        &self,
        body: &[u8],
        headers: &Headers,
        now: UnixMillis,
    ) -> Result<ProgressEvent> {
        self.authenticate_callback(body, headers, now)?;
        self.parse_progress(body)
    }

    fn authenticate_callback(&self, body: &[u8], headers: &Headers, now: UnixMillis) -> Result<()> {
        let cb = &self.callback;
        if let Some(secrets) = &cb.secrets {
            if secrets.is_empty() || secrets.iter().any(|k| k.is_empty()) {
                return Err(config_error("`callback.secret` must not be empty"));
            }
            return verify_webhook(
                cb.scheme,
                body,
                headers,
                secrets,
                cb.tolerance_secs,
                now,
                None,
            )
            .map(|_| ())
            .map_err(|e| e.with_vendor(VENDOR));
        }
        let Some(keys) = &cb.api_keys else {
            return Err(config_error(
                "needs `callback.secret` or `callback.apiKey` to authenticate callbacks",
            ));
        };
        if keys.is_empty() || keys.iter().any(|k| k.is_empty()) {
            return Err(config_error("`callback.apiKey` must not be empty"));
        }
        let Some(given) = headers.get(&cb.api_key_header) else {
            return Err(auth_failed("the callback API key header is missing"));
        };
        // Compare against every key, without stopping early.
        let matched = keys.iter().fold(false, |acc, k| {
            constant_time_eq(k.expose(), given.as_bytes()) | acc
        });
        if matched {
            Ok(())
        } else {
            Err(auth_failed("the callback API key does not match"))
        }
    }

    fn opt_id(&self, map: &Map<String, Value>, name: &str) -> Result<Option<String>> {
        let key = self.wire(name);
        match get(map, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(number_to_string(n))),
            Some(_) => Err(invalid(key, "must be a string or a number")),
        }
    }

    fn parse_progress(&self, body: &[u8]) -> Result<ProgressEvent> {
        let Some(Value::Object(map)) = crate::core::json::parse(body) else {
            return Err(invalid("body", "must be a JSON object"));
        };
        let event_key = self.wire("event");
        let event = match get(&map, event_key) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(invalid(event_key, "must be a non-empty string")),
        };
        let status_key = self.wire("status");
        let status = match get(&map, status_key).and_then(Value::as_str) {
            Some("in_progress") => ProgressStatus::InProgress,
            Some("completed") => ProgressStatus::Completed,
            _ => {
                return Err(invalid(
                    status_key,
                    "must be \"in_progress\" or \"completed\"",
                ))
            }
        };
        let credits_key = self.wire("cpe_credits");
        let cpe_credits = match get(&map, credits_key) {
            None | Some(Value::Null) => Some(0.0),
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => decimal(s),
            Some(_) => None,
        }
        .filter(|c| c.is_finite() && *c >= 0.0)
        .ok_or_else(|| invalid(credits_key, "must be a non-negative number"))?;
        let minutes_key = self.wire("minutes_consumed");
        let minutes_consumed = match get(&map, minutes_key) {
            None | Some(Value::Null) => Some(0),
            Some(Value::Number(n)) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && (0.0..9.007e15).contains(f))
                    .map(|f| f as u64)
            }),
            Some(Value::String(s))
                if !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) =>
            {
                s.parse().ok()
            }
            Some(_) => None,
        }
        .ok_or_else(|| invalid(minutes_key, "must be a non-negative integer"))?;
        let completed_key = self.wire("completed_at");
        let completed_at = match get(&map, completed_key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) if is_iso_date_time(s) => Some(s.clone()),
            Some(_) => return Err(invalid(completed_key, "must be an ISO-8601 date or null")),
        };
        Ok(ProgressEvent {
            event,
            email: self.opt_id(&map, "email")?,
            lms_user_id: self.opt_id(&map, "lms_user_id")?,
            video_id: self.opt_id(&map, "video_id")?,
            status,
            cpe_credits,
            minutes_consumed,
            completed_at,
            raw: Value::Object(map),
        })
    }
}

/// An ISO-8601 date-time (`2025-03-01T10:00:00Z`, offsets, fractions) or a plain date.
fn is_iso_date_time(s: &str) -> bool {
    parse_iso8601(s).is_some()
        || (s.len() == 10 && parse_iso8601(&concat(&[s, "T00:00:00Z"])).is_some())
}
