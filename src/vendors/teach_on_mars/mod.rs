//! Teach on Mars (vendors/teach-on-mars.md): the Mission Center identity web services
//! (find or create a learner, get a short-lived auth token), the app deep link, and the
//! legacy `X-TOM-*` signed headers of the v3 routes.
//!
//! Sans-IO: [`Config`] builds [`HttpRequest`]s and parses [`HttpResponse`]s; [`sign_in()`]
//! orchestrates find → create → update → auth token → [`deep_link`] over an [`Exchange`]
//! (the core client with its bearer token, see [`crate::transport::bearer`]).

mod learner;
mod legacy;
mod requests;
mod responses;
mod sign_in;
pub mod wire;

pub use learner::{sign_in_update_patch, validate_profile};
pub use legacy::{
    nonce_from_bytes, tom_legacy_headers, tom_legacy_headers_with_body, NONCE_RANDOM_BYTES,
};
pub use responses::Learner;
pub use sign_in::{sign_in, Exchange, SignInResult};

use serde_json::Value;

use crate::core::http::{HttpRequest, HttpResponse, Method};
use crate::core::input::Fields;
use crate::core::json::redacted_text;
use crate::core::secret::Secret;
use crate::core::text::has_control;
use crate::core::time::UnixMillis;
use crate::core::url::{check_base_url, form_body};
use crate::error::{Error, ErrorCode, Result, Vendor};
use crate::transport::CachedToken;
use crate::vendors::{malformed, status_error, vendor_error, VendorFault};

/// The vendor of this module.
pub const VENDOR: Vendor = Vendor::TeachOnMars;

pub use crate::handoff::{
    check_open_app_link, deep_link, scheme_ok, DEFAULT_DEEP_LINK_SCHEME, SCHEME_RULE,
};

/// Token lifetime assumed when the token response has no `expires_in` (seconds).
pub const DEFAULT_EXPIRES_IN_SECS: i64 = 3600;

/// How the client authenticates to the Mission Center web services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Client credentials exchanged for a bearer token at `token_url`.
    ClientCredentials {
        /// `clientId`.
        client_id: String,
        /// `clientSecret`.
        client_secret: Secret,
        /// `tokenUrl`, exactly as configured.
        token_url: String,
    },
    /// A caller-supplied bearer token, used as is (never expires from our side).
    AccessToken(Secret),
}

/// A validated `new TeachOnMars({...})` configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `baseUrl` without a trailing `/`.
    pub base_url: String,
    /// `instance`, appended as a query parameter to every v1 request when set.
    pub instance: Option<String>,
    /// Credentials.
    pub auth: Auth,
    /// `deepLinkScheme`, default [`DEFAULT_DEEP_LINK_SCHEME`].
    pub deep_link_scheme: String,
}

/// Turns an `INVALID_INPUT` from the shared input reader into `INVALID_CONFIG`.
fn as_config_error(mut e: Error) -> Error {
    if e.code == ErrorCode::InvalidInput {
        e.code = ErrorCode::InvalidConfig;
    }
    e
}

/// Whether a string is safe as (part of) an HTTP header value: no control characters.
pub(crate) fn header_safe(s: &str) -> bool {
    !has_control(s, false)
}

impl Config {
    /// Validates the constructor options `{ baseUrl, instance?, auth: { clientId,
    /// clientSecret, tokenUrl } | { accessToken }, deepLinkScheme? }` (shared client
    /// options are ignored). Bad options → `INVALID_CONFIG` naming the option.
    pub fn from_options(opts: &Value) -> Result<Config> {
        let f = Fields::new(opts, "options").map_err(as_config_error)?;
        let base_url = f.non_empty("baseUrl").map_err(as_config_error)?;
        let base_url = check_base_url("baseUrl", base_url)?;
        let instance = f
            .opt_non_empty("instance")
            .map_err(as_config_error)?
            .map(str::to_owned);
        let deep_link_scheme = match f.opt_str("deepLinkScheme").map_err(as_config_error)? {
            None => DEFAULT_DEEP_LINK_SCHEME.to_owned(),
            Some(s) => {
                if !scheme_ok(s) {
                    return Err(Error::invalid_config("deepLinkScheme", SCHEME_RULE));
                }
                s.to_owned()
            }
        };
        let auth = f
            .opt_object("auth")
            .map_err(as_config_error)?
            .ok_or_else(|| Error::invalid_config("auth", "is required"))?;
        let has_token = auth.get("accessToken").is_some();
        let has_credentials = ["clientId", "clientSecret", "tokenUrl"]
            .iter()
            .any(|k| auth.get(k).is_some());
        let auth = match (has_token, has_credentials) {
            (true, true) => {
                return Err(Error::invalid_config(
                    "auth",
                    "must hold either { clientId, clientSecret, tokenUrl } or { accessToken }, not both",
                ))
            }
            (true, false) => {
                let token = auth.non_empty("accessToken").map_err(as_config_error)?;
                if !header_safe(token) {
                    return Err(Error::invalid_config(
                        "auth.accessToken",
                        "must not contain control characters",
                    ));
                }
                Auth::AccessToken(Secret::new(token))
            }
            (false, _) => {
                let client_id = auth.non_empty("clientId").map_err(as_config_error)?;
                let client_secret = auth.non_empty("clientSecret").map_err(as_config_error)?;
                let token_url = auth.non_empty("tokenUrl").map_err(as_config_error)?;
                check_base_url("auth.tokenUrl", token_url)?;
                Auth::ClientCredentials {
                    client_id: client_id.to_owned(),
                    client_secret: Secret::new(client_secret),
                    token_url: token_url.to_owned(),
                }
            }
        };
        Ok(Config {
            base_url,
            instance,
            auth,
            deep_link_scheme,
        })
    }

    /// Every configured secret as text (client secret or access token), for scrubbing.
    pub fn secrets(&self) -> Vec<&str> {
        match &self.auth {
            Auth::ClientCredentials { client_secret, .. } => {
                client_secret.expose_str().into_iter().collect()
            }
            Auth::AccessToken(t) => t.expose_str().into_iter().collect(),
        }
    }

    /// The caller-supplied bearer token of `auth: { accessToken }`, if configured.
    pub fn static_token(&self) -> Option<&str> {
        match &self.auth {
            Auth::AccessToken(t) => t.expose_str(),
            Auth::ClientCredentials { .. } => None,
        }
    }

    /// The token request: `POST {tokenUrl}` with the urlencoded form
    /// `grant_type=client_credentials&client_id=…&client_secret=…`. Retried (token
    /// request). With `auth: { accessToken }` there is none → `INVALID_CONFIG`.
    pub fn build_token(&self) -> Result<HttpRequest> {
        let Auth::ClientCredentials {
            client_id,
            client_secret,
            token_url,
        } = &self.auth
        else {
            return Err(Error::invalid_config(
                "auth",
                "has no client credentials (an accessToken is used as is)",
            ));
        };
        let secret = client_secret.expose_str().unwrap_or_default();
        let body = form_body(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ]);
        Ok(HttpRequest::new(Method::Post, token_url.clone()).form(body))
    }

    /// Parses the token response into a [`CachedToken`] obtained at `now`, expiring
    /// `expires_in` seconds later (3600 when absent). 400/401/403 → `AUTH_FAILED` with
    /// `vendorCode` = body `error`; no `access_token` → `RESPONSE_MALFORMED`.
    pub fn parse_token(&self, resp: &HttpResponse, now: UnixMillis) -> Result<CachedToken> {
        if !resp.is_success() {
            let body = resp.json();
            let fault = body.as_ref().and_then(Value::as_object).and_then(|m| {
                let code = m.get("error").and_then(Value::as_str).map(str::to_owned);
                let message = m
                    .get("error_description")
                    .or_else(|| m.get("message"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                (code.is_some() || message.is_some()).then(|| VendorFault {
                    vendor_code: code,
                    message,
                    body: body.as_ref().and_then(|b| redacted_text(b, &[])),
                })
            });
            let err = match resp.status {
                400 | 401 | 403 => vendor_error(VENDOR, ErrorCode::AuthFailed, resp.status, fault),
                s => status_error(VENDOR, s, fault),
            };
            return Err(self.scrub(err));
        }
        let map = resp.json_object().map_err(|_| {
            malformed(
                VENDOR,
                resp.status,
                "the token response is not a JSON object",
            )
        })?;
        let token = map
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty() && header_safe(t))
            .ok_or_else(|| malformed(VENDOR, resp.status, "no usable `access_token`"))?;
        let expires_in = match map.get("expires_in").filter(|v| !v.is_null()) {
            None => DEFAULT_EXPIRES_IN_SECS,
            Some(v) => match crate::core::json::lenient_number(v) {
                // Capped at ten years so the millisecond arithmetic cannot overflow.
                Some(f) if f > 0.0 => f.min(315_360_000.0) as i64,
                _ => {
                    return Err(malformed(
                        VENDOR,
                        resp.status,
                        "`expires_in` is not a positive number",
                    ))
                }
            },
        };
        Ok(CachedToken {
            token: token.into(),
            obtained_at: now,
            expires_at: Some(now.plus_ms(expires_in.saturating_mul(1000))),
        })
    }

    /// [`deep_link`] with the configured `deepLinkScheme` (what `signIn` returns).
    pub fn deep_link(&self, auth_token: &str, profile_creation: Option<bool>) -> Result<String> {
        deep_link(auth_token, profile_creation, Some(&self.deep_link_scheme))
    }

    /// Removes every configured secret from an error's message and details.
    pub(crate) fn scrub(&self, err: Error) -> Error {
        err.scrubbed(&self.secrets())
    }
}

impl crate::transport::client::VendorConfig for Config {
    const VENDOR: Vendor = VENDOR;

    fn secrets(&self) -> Vec<&str> {
        Config::secrets(self)
    }

    fn static_token(&self) -> Option<&str> {
        Config::static_token(self)
    }
}

/// The shared bearer-token client's rules for Teach on Mars: a configured `accessToken` is
/// used as is; client credentials fetch a token, and a 401 with a fetched token means it
/// was refused (the request is then sent once more with a new one).
impl crate::transport::bearer::Grant for Config {
    fn can_fetch(&self) -> bool {
        Config::static_token(self).is_none()
    }

    fn build_grant(&self) -> Result<HttpRequest> {
        self.build_token()
    }

    fn parse_grant(
        &self,
        resp: &HttpResponse,
        _sent_at: UnixMillis,
        now: UnixMillis,
    ) -> Result<CachedToken> {
        self.parse_token(resp, now)
    }

    fn refused(&self, resp: &HttpResponse) -> bool {
        resp.status == 401
    }

    fn no_token(&self) -> Error {
        Error::invalid_config(
            "auth",
            "needs { clientId, clientSecret, tokenUrl } or { accessToken }",
        )
        .with_vendor(VENDOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn creds() -> Value {
        json!({"baseUrl": "https://acme.teachonmars.com/", "instance": "main",
            "auth": {"clientId": "my id", "clientSecret": "s3cr&t=+/",
                     "tokenUrl": "https://auth.teachonmars.com/oauth/token"},
            "timeoutMs": 5000, "retries": 1})
    }

    #[test]
    fn options() {
        let c = Config::from_options(&creds()).unwrap();
        assert_eq!(c.base_url, "https://acme.teachonmars.com");
        assert_eq!(c.instance.as_deref(), Some("main"));
        assert_eq!(c.deep_link_scheme, "com.teachonmars");
        assert_eq!(c.secrets(), ["s3cr&t=+/"]);
        assert_eq!(c.static_token(), None);
        assert!(!format!("{c:?}").contains("s3cr&t"));
        let t = Config::from_options(&json!({"baseUrl": "http://localhost:8080",
            "auth": {"accessToken": "tok"}, "deepLinkScheme": "com.acme.learn"}))
        .unwrap();
        assert_eq!(t.static_token(), Some("tok"));
        assert_eq!(t.secrets(), ["tok"]);
        assert_eq!(t.deep_link_scheme, "com.acme.learn");
        assert_eq!(
            t.deep_link("x", Some(true)).unwrap(),
            "com.acme.learn://globals.login?authToken=x&profileCreation=true"
        );
        assert_eq!(t.build_token().unwrap_err().code, ErrorCode::InvalidConfig);
    }

    #[test]
    fn bad_options() {
        let base = creds();
        let cases: Vec<(&str, Value)> = vec![
            ("options", json!("x")),
            ("baseUrl", json!({"auth": {"accessToken": "t"}})),
            (
                "baseUrl",
                json!({"baseUrl": "http://acme.test", "auth": {"accessToken": "t"}}),
            ),
            (
                "baseUrl",
                json!({"baseUrl": "https://u:p@acme.test", "auth": {"accessToken": "t"}}),
            ),
            (
                "baseUrl",
                json!({"baseUrl": "https://acme.test?x=1", "auth": {"accessToken": "t"}}),
            ),
            ("auth", json!({"baseUrl": "https://acme.test"})),
            ("auth", json!({"baseUrl": "https://acme.test", "auth": "t"})),
            (
                "auth",
                json!({"baseUrl": "https://acme.test",
                "auth": {"accessToken": "t", "clientId": "c"}}),
            ),
            (
                "auth.accessToken",
                json!({"baseUrl": "https://acme.test", "auth": {"accessToken": ""}}),
            ),
            (
                "clientSecret",
                json!({"baseUrl": "https://acme.test",
                "auth": {"clientId": "c", "tokenUrl": "https://a.test/t"}}),
            ),
            (
                "auth.tokenUrl",
                json!({"baseUrl": "https://acme.test",
                "auth": {"clientId": "c", "clientSecret": "s", "tokenUrl": "http://a.test/t"}}),
            ),
            (
                "auth.tokenUrl",
                json!({"baseUrl": "https://acme.test",
                "auth": {"clientId": "c", "clientSecret": "s", "tokenUrl": "/oauth/token"}}),
            ),
            (
                "instance",
                json!({"baseUrl": "https://acme.test", "instance": "",
                "auth": {"accessToken": "t"}}),
            ),
            (
                "deepLinkScheme",
                json!({"baseUrl": "https://acme.test", "deepLinkScheme": "javascript",
                "auth": {"accessToken": "t"}}),
            ),
            (
                "deepLinkScheme",
                json!({"baseUrl": "https://acme.test", "deepLinkScheme": "https",
                "auth": {"accessToken": "t"}}),
            ),
            (
                "deepLinkScheme",
                json!({"baseUrl": "https://acme.test", "deepLinkScheme": "1app",
                "auth": {"accessToken": "t"}}),
            ),
        ];
        for (field, opts) in cases {
            let e = Config::from_options(&opts).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{opts}");
            assert!(e.message.contains(field), "{field}: {}", e.message);
        }
        let mut no_secret_echo = base.clone();
        no_secret_echo["auth"]["tokenUrl"] = json!("https://x.test/?s3cr");
        let e = Config::from_options(&no_secret_echo).unwrap_err();
        assert!(!e.message.contains("s3cr"));
    }

    #[test]
    fn token_request_exact_form() {
        let c = Config::from_options(&creds()).unwrap();
        let req = c.build_token().unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://auth.teachonmars.com/oauth/token");
        assert_eq!(
            req.body.as_deref(),
            Some("grant_type=client_credentials&client_id=my+id&client_secret=s3cr%26t%3D%2B%2F")
        );
        assert_eq!(
            req.headers.get("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.headers.get("Accept"), Some("application/json"));
        assert_eq!(req.headers.get("Authorization"), None);
    }

    #[test]
    fn token_response() {
        let c = Config::from_options(&creds()).unwrap();
        let now = UnixMillis(1_000_000);
        let ok = HttpResponse::new(
            200,
            r#"{"access_token":"abc","expires_in":1800,"token_type":"Bearer","scope":"client_access"}"#,
        );
        let t = c.parse_token(&ok, now).unwrap();
        assert_eq!(t.token.as_str(), "abc");
        assert_eq!(t.obtained_at, now);
        assert_eq!(t.expires_at, Some(UnixMillis(1_000_000 + 1_800_000)));
        let t = c
            .parse_token(&HttpResponse::new(200, r#"{"access_token":"abc"}"#), now)
            .unwrap();
        assert_eq!(t.expires_at, Some(UnixMillis(1_000_000 + 3_600_000)));
        let t = c
            .parse_token(
                &HttpResponse::new(200, r#"{"access_token":"abc","expires_in":"60"}"#),
                now,
            )
            .unwrap();
        assert_eq!(t.expires_at, Some(UnixMillis(1_060_000)));
        for bad in [
            r#"{"token_type":"Bearer"}"#,
            r#"{"access_token":""}"#,
            r#"{"access_token":"a","expires_in":-5}"#,
            "not json",
        ] {
            let e = c
                .parse_token(&HttpResponse::new(200, bad), now)
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{bad}");
            assert_eq!(e.vendor, Some(VENDOR));
        }
        for status in [400, 401] {
            let body = r#"{"error":"invalid_client","error_description":"bad secret s3cr&t=+/"}"#;
            let e = c
                .parse_token(&HttpResponse::new(status, body), now)
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::AuthFailed);
            assert_eq!(e.status, Some(status));
            assert_eq!(e.vendor_code.as_deref(), Some("invalid_client"));
            assert!(!e.message.contains("s3cr&t"), "{}", e.message);
            assert!(!format!("{:?}", e.details).contains("s3cr&t"));
        }
        let e = c.parse_token(&HttpResponse::new(401, ""), now).unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
        let e = c.parse_token(&HttpResponse::new(503, ""), now).unwrap_err();
        assert_eq!(e.code, ErrorCode::HttpStatus);
        assert!(e.retryable());
    }
}
