//! Miles Masterclass (PROVISIONAL: the vendor's wire format is unpublished; see
//! `vendors/miles-masterclass.md`). Sans-IO: [`Config`] validates the constructor options,
//! `build_*` return [`HttpRequest`]s (also from the lean boundary's arguments: [`wire`]),
//! `parse_*` turn [`HttpResponse`](crate::core::http::HttpResponse)s into results,
//! [`Config::sign_request`] adds optional Standard Webhooks headers and
//! [`Config::verify_progress_callback`] authenticates and parses MM's progress callbacks.

mod callback;
mod client;
mod requests;
mod responses;
pub mod wire;

use serde_json::{Map, Value};

use crate::core::http::HttpRequest;
use crate::core::secret::Secret;
use crate::core::text::concat;
use crate::core::time::UnixMillis;
use crate::core::url::check_base_url;
use crate::error::{Error, Result, Vendor};
use crate::signing::schemes::standard_webhooks;
use crate::signing::{Key, Scheme};

pub use callback::{
    callback_ack, callback_reject, CallbackResponse, ProgressEvent, ProgressStatus,
};
#[cfg(fuzzing)]
pub use responses::parse_paths;
pub use responses::{AccessControlResult, AutoSubscribeResult, LoginUrl};

/// This module's vendor id.
pub const VENDOR: Vendor = Vendor::MilesMasterclass;
/// Default header carrying the API key (outbound and, by default, on callbacks).
pub const DEFAULT_API_KEY_HEADER: &str = "X-API-Key";
/// Default path of `autoSubscribe` (DOCUMENTED).
pub const DEFAULT_AUTO_SUBSCRIBE_PATH: &str = "/integrations/lms/auto-subscribe";
/// Default path of `accessControl` (DOCUMENTED).
pub const DEFAULT_ACCESS_CONTROL_PATH: &str = "/access/control";
/// Default path of `createLoginUrl` (PROVISIONAL).
pub const DEFAULT_LOGIN_URL_PATH: &str = "/integrations/lms/login-url";

/// Route paths, relative to `baseUrl` (each starts with `/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// `autoSubscribe` path.
    pub auto_subscribe: String,
    /// `accessControl` path.
    pub access_control: String,
    /// `createLoginUrl` path.
    pub login_url: String,
}

/// How progress callbacks are authenticated (`callback` option). Values are kept as
/// configured; empty ones are refused by [`Config::verify_progress_callback`] with
/// `INVALID_CONFIG` (API.md §6: "from the call").
#[derive(Clone, Debug, PartialEq)]
pub struct CallbackConfig {
    /// `callback.secret` (one, or several for rotation), when given.
    pub secrets: Option<Vec<Key>>,
    /// `callback.scheme`, default `standard-webhooks`.
    pub scheme: Scheme,
    /// `callback.apiKey` (one or several), when given.
    pub api_keys: Option<Vec<Secret>>,
    /// `callback.apiKeyHeader`, default `X-API-Key`.
    pub api_key_header: String,
    /// `callback.toleranceSeconds` (`None` = 300; infinity = off).
    pub tolerance_secs: Option<f64>,
}

/// A validated `new MilesMasterclass(options)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `baseUrl` without a trailing `/`.
    pub base_url: String,
    api_key: Secret,
    /// Header carrying the API key.
    pub api_key_header: String,
    request_signing: Option<Key>,
    /// Callback authentication.
    pub callback: CallbackConfig,
    /// Route paths.
    pub paths: Paths,
    /// `fieldNames`: (default wire key, configured wire key) pairs, keys unique. A few at
    /// most, so a list (a map type would add its own code to the module).
    pub field_names: Vec<(String, String)>,
}

fn opt_value<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    crate::core::json::get(map, key).filter(|v| !v.is_null())
}

fn opt_string<'a>(map: &'a Map<String, Value>, key: &str, field: &str) -> Result<Option<&'a str>> {
    match opt_value(map, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(config_err(field, "must be a string")),
    }
}

fn opt_object<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<Option<&'a Map<String, Value>>> {
    match opt_value(map, key) {
        None => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(config_err(field, "must be an object")),
    }
}

/// A string or an array of strings (rotation); empty values are kept for the call to refuse.
fn string_list(map: &Map<String, Value>, key: &str, field: &str) -> Result<Option<Vec<String>>> {
    match opt_value(map, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(config_err(field, "must be a string or an array of strings")),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(config_err(field, "must be a string or an array of strings")),
    }
}

fn config_err(field: &str, must: &str) -> Error {
    Error::invalid_config(field, must).with_vendor(VENDOR)
}

fn header_name(map: &Map<String, Value>, key: &str, field: &str) -> Result<String> {
    match opt_string(map, key, field)? {
        None => Ok(DEFAULT_API_KEY_HEADER.to_owned()),
        Some(h)
            if !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) =>
        {
            Ok(h.to_owned())
        }
        Some(_) => Err(config_err(field, "must be a header name")),
    }
}

fn path(map: Option<&Map<String, Value>>, key: &str, default: &str) -> Result<String> {
    let Some(map) = map else {
        return Ok(default.to_owned());
    };
    let field = concat(&["paths.", key]);
    match opt_string(map, key, &field)? {
        None => Ok(default.to_owned()),
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '#' | '\\')) =>
        {
            Ok(p.to_owned())
        }
        Some(_) => Err(config_err(&field, "must be a path starting with `/`")),
    }
}

impl Config {
    /// Validates the constructor options (camelCase, API.md §5). The shared `ClientOptions`
    /// keys are ignored here. Anything wrong → `INVALID_CONFIG` naming the option.
    pub fn from_options(opts: &Value) -> Result<Config> {
        let Value::Object(map) = opts else {
            return Err(config_err("options", "must be an object"));
        };
        let base = opt_string(map, "baseUrl", "baseUrl")?
            .ok_or_else(|| config_err("baseUrl", "is required"))?;
        let base_url = check_base_url("baseUrl", base).map_err(|e| e.with_vendor(VENDOR))?;
        let api_key = match opt_string(map, "apiKey", "apiKey")? {
            Some(k) if !k.is_empty() && !k.chars().any(char::is_control) => Secret::new(k),
            Some(_) => {
                return Err(config_err(
                    "apiKey",
                    "must be a non-empty header-safe string",
                ))
            }
            None => return Err(config_err("apiKey", "is required")),
        };
        let api_key_header = header_name(map, "apiKeyHeader", "apiKeyHeader")?;

        let request_signing = match opt_object(map, "requestSigning", "requestSigning")? {
            None => None,
            Some(rs) => {
                let secret = opt_string(rs, "secret", "requestSigning.secret")?
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| config_err("requestSigning.secret", "is required"))?;
                let key = Key::text(secret.to_owned());
                // Decoded now so a bad secret fails at construction, not on the first call.
                standard_webhooks::decode_key(&key).map_err(|_| {
                    config_err(
                        "requestSigning.secret",
                        "must be base64, optionally prefixed with `whsec_`",
                    )
                })?;
                Some(key)
            }
        };

        let cb = opt_object(map, "callback", "callback")?;
        let empty = Map::new();
        let cb = cb.unwrap_or(&empty);
        let scheme = match opt_string(cb, "scheme", "callback.scheme")? {
            None => Scheme::StandardWebhooks,
            Some(s) => Scheme::parse(s).map_err(|_| {
                config_err(
                    "callback.scheme",
                    "must be \"standard-webhooks\", \"stripe\" or \"github\"",
                )
            })?,
        };
        // A number, never a string: "Infinity" from an environment variable must not turn
        // the replay check off. (JS hosts pass Infinity itself beside the JSON.)
        let tolerance_secs = match cb.get("toleranceSeconds") {
            None => None,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(t) if t >= 0.0 => Some(t),
                _ => {
                    return Err(config_err(
                        "callback.toleranceSeconds",
                        "must be a non-negative number",
                    ))
                }
            },
            Some(_) => {
                return Err(config_err(
                    "callback.toleranceSeconds",
                    "must be a non-negative number",
                ))
            }
        };
        let callback = CallbackConfig {
            secrets: string_list(cb, "secret", "callback.secret")?
                .map(|v| v.into_iter().map(Key::text).collect()),
            scheme,
            api_keys: string_list(cb, "apiKey", "callback.apiKey")?
                .map(|v| v.into_iter().map(Secret::new).collect()),
            api_key_header: header_name(cb, "apiKeyHeader", "callback.apiKeyHeader")?,
            tolerance_secs,
        };

        let paths_map = opt_object(map, "paths", "paths")?;
        let paths = Paths {
            auto_subscribe: path(paths_map, "autoSubscribe", DEFAULT_AUTO_SUBSCRIBE_PATH)?,
            access_control: path(paths_map, "accessControl", DEFAULT_ACCESS_CONTROL_PATH)?,
            login_url: path(paths_map, "loginUrl", DEFAULT_LOGIN_URL_PATH)?,
        };

        let mut field_names = Vec::new();
        if let Some(fields) = opt_object(map, "fieldNames", "fieldNames")? {
            for (k, v) in fields {
                match v {
                    Value::String(s) if !s.is_empty() => {
                        field_names.push((k.clone(), s.clone()));
                    }
                    _ => {
                        return Err(config_err(
                            "fieldNames",
                            "must map names to non-empty strings",
                        ))
                    }
                }
            }
        }

        Ok(Config {
            base_url,
            api_key,
            api_key_header,
            request_signing,
            callback,
            paths,
            field_names,
        })
    }

    /// Every configured secret or key as text, so the wasm layer can scrub echoes.
    pub fn secrets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        out.extend(self.api_key.expose_str());
        if let Some(Key::Text(s)) = &self.request_signing {
            out.push(s.as_str());
        }
        for k in self.callback.secrets.iter().flatten() {
            if let Key::Text(s) = k {
                out.push(s.as_str());
            }
        }
        for k in self.callback.api_keys.iter().flatten() {
            out.extend(k.expose_str());
        }
        out.retain(|s| !s.is_empty());
        out
    }

    /// The wire name of a field after `fieldNames` (e.g. `lms_user_id` → `external_id`).
    pub fn wire<'a>(&'a self, name: &'a str) -> &'a str {
        self.field_names
            .iter()
            .find(|(from, _)| from == name)
            .map_or(name, |(_, to)| to.as_str())
    }

    /// Whether outbound requests are signed (`requestSigning` configured).
    pub fn signs_requests(&self) -> bool {
        self.request_signing.is_some()
    }

    /// Adds Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`) over the exact body of `req`; a no-op without
    /// `requestSigning`. Calling it again (a retry, same `msg_id`) replaces the headers
    /// with a fresh timestamp.
    pub fn sign_request(&self, req: &mut HttpRequest, msg_id: &str, now: UnixMillis) -> Result<()> {
        let Some(secret) = &self.request_signing else {
            return Ok(());
        };
        let key = standard_webhooks::decode_key(secret)?;
        let body = req.body.as_deref().unwrap_or_default();
        let signed = standard_webhooks::sign(body.as_bytes(), &key, msg_id, now.as_secs())?;
        for (name, value) in signed.0 {
            req.headers.set(name, value);
        }
        Ok(())
    }
}

pub use crate::signing::new_message_id;

#[cfg(test)]
mod tests;
