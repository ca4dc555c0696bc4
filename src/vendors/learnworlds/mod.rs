//! LearnWorlds (vendor file `vendors/learnworlds.md`): app and user tokens, SSO, webhook
//! verification and custom-SSO redirects, sans-IO.
//!
//! Every request carries `Lw-Client: <clientId>` and a form body with one field `data`
//! holding compact JSON whose keys are written in the documented order.

mod client;
mod custom_sso;
mod errors;
mod sso;
mod tokens;
mod webhook;
pub mod wire;

pub use custom_sso::{parse_custom_sso_request, CustomSsoRequest};
pub use errors::{is_access_denied, is_access_denied_response};
pub use sso::{SsoOutput, UserSsoOutput};
pub use tokens::{AppToken, TokenGrant, UserToken};
pub use webhook::{verify_webhook, WebhookEvent, SIGNATURE_HEADER};

use serde_json::Value;

use crate::core::http::{HttpRequest, Method};
use crate::core::input::Fields;
use crate::core::json::ordered_json;
use crate::core::secret::Secret;
use crate::core::text::{concat, has_control};
use crate::core::url::{check_base_url, form_body, parse};
use crate::error::{Error, Result, Vendor};
use crate::transport::RateLimit;

/// The vendor id of every error this module returns.
pub(crate) const VENDOR: Vendor = Vendor::LearnWorlds;

/// The header that carries the client id on every call.
pub const CLIENT_HEADER: &str = "Lw-Client";

/// The vendor's documented rate limit, applied client-side by default: 30 requests per
/// 10 s (then HTTP 429 `{"error":"Too many requests"}`).
pub const RATE_LIMIT: RateLimit = RateLimit {
    requests: 30,
    per_ms: 10_000,
};

/// A validated `new LearnWorlds({ schoolUrl, clientId, clientSecret?, accessToken?, apiBase? })`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The school origin (`https://myschool.learnworlds.com`): lower-case, default port
    /// elided, no trailing `/`. SSO URLs must be on it.
    pub school_origin: String,
    /// The API client id, sent as `Lw-Client` on every call.
    pub client_id: String,
    /// The client secret for token grants, if configured.
    client_secret: Option<Secret>,
    /// A pre-obtained app token, if configured.
    access_token: Option<Secret>,
    /// The v2 REST base (`{schoolUrl}/admin/api` by default; unused by the routes here).
    pub api_base: String,
}

/// Reads an optional non-empty string option, `INVALID_CONFIG` otherwise.
fn opt_option<'a>(f: &Fields<'a>, key: &str) -> Result<Option<&'a str>> {
    f.opt_non_empty(key).map_err(to_config)
}

/// Turns an input error of the options reader into `INVALID_CONFIG`, keeping its message.
fn to_config(e: Error) -> Error {
    e.into_config().with_vendor(VENDOR)
}

/// Validates `schoolUrl`: https (http only on loopback), a bare host means https, no path,
/// query, fragment or credentials. Returns the normalised origin.
fn school_origin(value: &str) -> Result<String> {
    const FIELD: &str = "schoolUrl";
    let full = crate::core::url::with_default_scheme(value);
    let url = parse(&full).map_err(|why| Error::invalid_config(FIELD, why))?;
    if !url.is_secure_or_loopback() {
        return Err(Error::invalid_config(
            FIELD,
            "must be https (http is allowed only for loopback hosts)",
        ));
    }
    if url.has_userinfo {
        return Err(Error::invalid_config(FIELD, "must not contain credentials"));
    }
    if !(url.rest.is_empty() || url.rest == "/") {
        return Err(Error::invalid_config(
            FIELD,
            "must be the school origin, without a path, query or fragment",
        ));
    }
    Ok(url.origin())
}

impl Config {
    /// Validates the constructor options (the shared `ClientOptions` keys are ignored).
    /// Bad options → `INVALID_CONFIG`. Neither `clientSecret` nor `accessToken` is
    /// required here; the calls that need an app token check for them.
    pub fn from_options(opts: &Value) -> Result<Self> {
        let f = Fields::new(opts, "options").map_err(to_config)?;
        let school = f
            .opt_str("schoolUrl")
            .map_err(to_config)?
            .ok_or_else(|| Error::invalid_config("schoolUrl", "is required"))?;
        let school_origin = school_origin(school).map_err(|e| e.with_vendor(VENDOR))?;
        let client_id = opt_option(&f, "clientId")?
            .ok_or_else(|| Error::invalid_config("clientId", "is required").with_vendor(VENDOR))?;
        if has_control(client_id, false) {
            return Err(
                Error::invalid_config("clientId", "must not contain control characters")
                    .with_vendor(VENDOR),
            );
        }
        let client_secret = opt_option(&f, "clientSecret")?.map(Secret::new);
        let access_token = opt_option(&f, "accessToken")?;
        if access_token.is_some_and(|t| has_control(t, false)) {
            return Err(Error::invalid_config(
                "accessToken",
                "must not contain control characters",
            )
            .with_vendor(VENDOR));
        }
        let api_base = match opt_option(&f, "apiBase")? {
            Some(b) => check_base_url("apiBase", b).map_err(|e| e.with_vendor(VENDOR))?,
            None => concat(&[&school_origin, "/admin/api"]),
        };
        Ok(Self {
            school_origin,
            client_id: client_id.to_owned(),
            client_secret,
            access_token: access_token.map(Secret::new),
            api_base,
        })
    }

    /// Every configured secret as text (client secret, static access token), so the wasm
    /// layer can scrub echoes from errors.
    pub fn secrets(&self) -> Vec<&str> {
        [&self.client_secret, &self.access_token]
            .into_iter()
            .filter_map(|s| s.as_ref().and_then(Secret::expose_str))
            .collect()
    }

    /// Whether a `clientSecret` is configured (token grants, app-token refresh).
    pub fn has_secret(&self) -> bool {
        self.client_secret.is_some()
    }

    /// The pre-obtained app token (`accessToken` option), if configured. Without a secret it
    /// is used as is and never refreshed; with one, it is used until refused.
    pub fn static_token(&self) -> Option<&str> {
        self.access_token.as_ref().and_then(Secret::expose_str)
    }

    /// The client secret as text, `INVALID_CONFIG` when none is configured.
    fn secret(&self) -> Result<&str> {
        self.client_secret
            .as_ref()
            .and_then(Secret::expose_str)
            .ok_or_else(|| {
                Error::invalid_config("clientSecret", "is required for token grants")
                    .with_vendor(VENDOR)
            })
    }

    /// `{school}/admin/api/<path>`.
    fn route(&self, path: &str) -> String {
        concat(&[&self.school_origin, "/admin/api/", path])
    }

    /// A `POST` to `route` with `Accept`, `Lw-Client` and the `data=` form body.
    fn post(&self, path: &str, data: &[(&str, &str)]) -> HttpRequest {
        HttpRequest::new(Method::Post, self.route(path))
            .form(data_body(data))
            .header(CLIENT_HEADER, self.client_id.clone())
    }
}

/// The request body: one form field `data` holding [`ordered_json`] of `pairs` (every
/// field LearnWorlds takes is a string).
pub fn data_body(pairs: &[(&str, &str)]) -> String {
    form_body(&[("data", &ordered_json(pairs))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    pub(crate) fn cfg() -> Config {
        Config::from_options(&json!({
            "schoolUrl": "https://school.example.com",
            "clientId": "cid-1",
            "clientSecret": "s3cr3t",
        }))
        .unwrap()
    }

    #[test]
    fn derived_example_byte_for_byte() {
        let body = data_body(&[
            ("email", "test@example.com"),
            ("username", "LearnWorlds"),
            ("redirectUrl", "https://learnworlds.com"),
        ]);
        assert_eq!(
            body,
            "data=%7B%22email%22%3A%22test%40example.com%22%2C%22username%22%3A%22LearnWorlds%22%2C%22redirectUrl%22%3A%22https%3A%2F%2Flearnworlds.com%22%7D"
        );
        // Spaces become `+`, `+` and `%` are escaped, quotes inside values are JSON-escaped.
        assert_eq!(
            data_body(&[("a", "x y+z%\"é")]),
            "data=%7B%22a%22%3A%22x+y%2Bz%25%5C%22%C3%A9%22%7D"
        );
        assert_eq!(ordered_json::<&str>(&[]), "{}");
        assert_eq!(
            ordered_json(&[("z", "1"), ("a", "2")]),
            r#"{"z":"1","a":"2"}"#
        );
    }

    #[test]
    fn documented_rate_limit() {
        assert_eq!((RATE_LIMIT.requests, RATE_LIMIT.per_ms), (30, 10_000));
    }

    #[test]
    fn config_accepts_good_options() {
        let c = cfg();
        assert_eq!(c.school_origin, "https://school.example.com");
        assert_eq!(c.api_base, "https://school.example.com/admin/api");
        assert!(c.has_secret());
        assert_eq!(c.static_token(), None);
        assert_eq!(c.secrets(), vec!["s3cr3t"]);
        assert!(!format!("{c:?}").contains("s3cr3t"));

        let bare = Config::from_options(&json!({
            "schoolUrl": "School.Example.com/", "clientId": "c", "accessToken": "tok",
            "apiBase": "https://api.example.com/v2/", "fetch": {}, "timeoutMs": 5,
        }))
        .unwrap();
        assert_eq!(bare.school_origin, "https://school.example.com");
        assert_eq!(bare.api_base, "https://api.example.com/v2");
        assert!(!bare.has_secret());
        assert_eq!(bare.static_token(), Some("tok"));
        assert_eq!(bare.secrets(), vec!["tok"]);

        let local =
            Config::from_options(&json!({"schoolUrl": "http://127.0.0.1:8080", "clientId": "c"}))
                .unwrap();
        assert_eq!(local.school_origin, "http://127.0.0.1:8080");
        let port = Config::from_options(
            &json!({"schoolUrl": "https://school.example.com:443", "clientId": "c"}),
        )
        .unwrap();
        assert_eq!(port.school_origin, "https://school.example.com");
    }

    #[test]
    fn config_refuses_bad_options() {
        for bad in [
            json!(null),
            json!("x"),
            json!({"clientId": "c"}),
            json!({"schoolUrl": "https://s.com"}),
            json!({"schoolUrl": "https://s.com", "clientId": ""}),
            json!({"schoolUrl": "https://s.com", "clientId": 5}),
            json!({"schoolUrl": "http://s.com", "clientId": "c"}),
            json!({"schoolUrl": "https://s.com/school", "clientId": "c"}),
            json!({"schoolUrl": "https://s.com/?a", "clientId": "c"}),
            json!({"schoolUrl": "https://u:p@s.com", "clientId": "c"}),
            json!({"schoolUrl": "ftp://s.com", "clientId": "c"}),
            json!({"schoolUrl": "", "clientId": "c"}),
            json!({"schoolUrl": 1, "clientId": "c"}),
            json!({"schoolUrl": "https://s.com", "clientId": "c", "clientSecret": ""}),
            json!({"schoolUrl": "https://s.com", "clientId": "c", "accessToken": 3}),
            json!({"schoolUrl": "https://s.com", "clientId": "c\n"}),
            json!({"schoolUrl": "https://s.com", "clientId": "c", "apiBase": "http://a.com"}),
        ] {
            let e = Config::from_options(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{bad}");
        }
        let e = Config::from_options(
            &json!({"schoolUrl": "https://s.com", "clientId": "c", "clientSecret": 7}),
        )
        .unwrap_err();
        assert!(e.message.contains("clientSecret"));
        assert!(!e.message.contains('7'));
    }
}
