//! Tokens (vendor §3): `POST {school}/admin/api/oauth2/access_token` with `data=` JSON keys
//! `client_id`, `client_secret`, `grant_type` (+ `email`, `password` | `refresh_token`).

use serde::Serialize;
use serde_json::Value;

use super::errors::check;
use super::{Config, VENDOR};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::input::{check_email, Fields};
use crate::core::json::lenient_number;
use crate::core::secret::{exposed, Secret};
use crate::core::time::UnixMillis;
use crate::error::{Error, Result};
use crate::transport::CachedToken;
use crate::vendors::malformed;

/// The token route, relative to `{school}/admin/api/`.
const TOKEN_PATH: &str = "oauth2/access_token";

/// A parsed token response: the token, its refresh token (user grants) and expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGrant {
    /// The access token.
    pub access_token: Secret<String>,
    /// The refresh token, when the grant returns one.
    pub refresh_token: Option<Secret<String>>,
    /// `now + expires_in × 1000`.
    pub expires_at: UnixMillis,
}

/// `getAppToken()`'s result: `{ accessToken, expiresAt }`, `expiresAt` null for a
/// configured `accessToken` (never refreshed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppToken {
    /// The app access token.
    #[serde(serialize_with = "exposed")]
    pub access_token: Secret<String>,
    /// Expiry in Unix ms, or null when unknown.
    pub expires_at: Option<i64>,
}

/// `userToken()` / `refreshUserToken()` result: `{ accessToken, refreshToken, expiresAt }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserToken {
    /// The user's access token.
    #[serde(serialize_with = "exposed")]
    pub access_token: Secret<String>,
    /// The user's refresh token.
    #[serde(serialize_with = "exposed")]
    pub refresh_token: Secret<String>,
    /// Expiry in Unix ms.
    pub expires_at: i64,
}

impl TokenGrant {
    /// As `getAppToken()`'s result.
    pub fn to_app_token(&self) -> AppToken {
        AppToken {
            access_token: self.access_token.clone(),
            expires_at: Some(self.expires_at.0),
        }
    }
}

impl Config {
    /// The configured `accessToken` as `getAppToken()`'s result (`expiresAt: null`).
    pub fn static_app_token(&self) -> Option<AppToken> {
        self.static_token().map(|t| AppToken {
            access_token: t.into(),
            expires_at: None,
        })
    }

    /// The token request for a grant: `client_id`, `client_secret`, `grant_type`, extras.
    fn token_request(&self, grant: &str, extra: &[(&str, &str)]) -> Result<HttpRequest> {
        let secret = self.secret()?;
        let mut data = vec![
            ("client_id", self.client_id.as_str()),
            ("client_secret", secret),
            ("grant_type", grant),
        ];
        data.extend_from_slice(extra);
        Ok(self.post(TOKEN_PATH, &data))
    }

    /// `getAppToken`'s request: the `client_credentials` grant. No `clientSecret` →
    /// `INVALID_CONFIG`. Safe to retry.
    pub fn build_app_token(&self) -> Result<HttpRequest> {
        self.token_request("client_credentials", &[])
    }

    /// Parses a token response (any grant). `expiresAt = now + expires_in × 1000`;
    /// missing fields → `RESPONSE_MALFORMED`; 400/401 → `AUTH_FAILED` (`vendorCode` =
    /// `errors[0].context`).
    pub fn parse_token(&self, resp: &HttpResponse, now: UnixMillis) -> Result<TokenGrant> {
        let body = check(resp, true, || self.secrets())?;
        let bad = |what: &str| malformed(VENDOR, resp.status, what);
        let data = body
            .get("tokenData")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("no `tokenData` object"))?;
        let access_token = data
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("no `tokenData.access_token`"))?;
        let expires_in = data
            .get("expires_in")
            .and_then(lenient_number)
            .filter(|n| n.is_finite() && *n >= 0.0 && *n < 1e12)
            .ok_or_else(|| bad("no valid `tokenData.expires_in`"))?;
        let refresh_token = match data.get("refresh_token") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(bad("`tokenData.refresh_token` is not a string")),
        };
        // Bounded above, so the conversion cannot overflow.
        #[allow(clippy::cast_possible_truncation)]
        let ms = (expires_in * 1000.0).round() as i64;
        Ok(TokenGrant {
            access_token: access_token.into(),
            refresh_token: refresh_token.map(Secret::from),
            expires_at: now.plus_ms(ms),
        })
    }

    /// `userToken({ email, password })`'s request: the `password` grant. Server-side only.
    pub fn build_user_token(&self, input: &Value) -> Result<HttpRequest> {
        let f = Fields::new(input, "input").map_err(|e| e.with_vendor(VENDOR))?;
        let email = f.non_empty("email").map_err(|e| e.with_vendor(VENDOR))?;
        check_email("email", email).map_err(|e| e.with_vendor(VENDOR))?;
        let password = f.non_empty("password").map_err(|e| e.with_vendor(VENDOR))?;
        self.token_request("password", &[("email", email), ("password", password)])
    }

    /// Parses a user grant (`userToken` or `refreshUserToken`): the refresh token is
    /// required (`RESPONSE_MALFORMED` without it).
    pub fn parse_user_token(&self, resp: &HttpResponse, now: UnixMillis) -> Result<UserToken> {
        let grant = self.parse_token(resp, now)?;
        let Some(refresh_token) = grant.refresh_token else {
            return Err(malformed(
                VENDOR,
                resp.status,
                "no `tokenData.refresh_token`",
            ));
        };
        Ok(UserToken {
            access_token: grant.access_token,
            refresh_token,
            expires_at: grant.expires_at.0,
        })
    }

    /// `refreshUserToken(refreshToken)`'s request: the `refresh_token` grant.
    pub fn build_refresh_user_token(&self, refresh_token: &str) -> Result<HttpRequest> {
        if refresh_token.is_empty() {
            return Err(
                Error::invalid_input("refreshToken", "must be a non-empty string")
                    .with_vendor(VENDOR),
            );
        }
        self.token_request("refresh_token", &[("refresh_token", refresh_token)])
    }

    /// Parses `refreshUserToken`'s response (same as [`Config::parse_user_token`]).
    pub fn parse_refresh_user_token(
        &self,
        resp: &HttpResponse,
        now: UnixMillis,
    ) -> Result<UserToken> {
        self.parse_user_token(resp, now)
    }
}

impl crate::transport::client::VendorConfig for Config {
    const VENDOR: crate::error::Vendor = VENDOR;

    fn secrets(&self) -> Vec<&str> {
        Config::secrets(self)
    }

    fn static_token(&self) -> Option<&str> {
        Config::static_token(self)
    }
}

/// The shared bearer-token client's rules for LearnWorlds' app token: fetched with the
/// `clientSecret` (`client_credentials`), else the configured `accessToken` used as is; an
/// `access_denied` answer (400/401) refuses it, and only with a secret is the request then
/// sent once more with a new one.
impl crate::transport::bearer::Grant for Config {
    fn can_fetch(&self) -> bool {
        self.has_secret()
    }

    fn build_grant(&self) -> Result<HttpRequest> {
        self.build_app_token()
    }

    fn parse_grant(
        &self,
        resp: &HttpResponse,
        sent_at: UnixMillis,
        _now: UnixMillis,
    ) -> Result<CachedToken> {
        let grant = self.parse_token(resp, sent_at)?;
        Ok(CachedToken {
            token: grant.access_token,
            obtained_at: sent_at,
            expires_at: Some(grant.expires_at),
        })
    }

    fn refused(&self, resp: &HttpResponse) -> bool {
        super::is_access_denied_response(resp)
    }

    fn no_token(&self) -> Error {
        Error::invalid_config(
            "clientSecret",
            "or `accessToken` is required for app-token calls",
        )
        .with_vendor(VENDOR)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::cfg;
    use super::*;
    use crate::core::http::Method;
    use crate::core::url::percent_decode;
    use crate::error::ErrorCode;
    use serde_json::json;

    fn data_of(req: &HttpRequest) -> String {
        let body = req.body.as_deref().unwrap();
        let v = body.strip_prefix("data=").unwrap();
        assert!(!v.contains('&'));
        percent_decode(v, true).unwrap()
    }

    fn assert_common(req: &HttpRequest) {
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "https://school.example.com/admin/api/oauth2/access_token"
        );
        assert_eq!(req.headers.get("Lw-Client"), Some("cid-1"));
        assert_eq!(req.headers.get("Accept"), Some("application/json"));
        assert_eq!(
            req.headers.get("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.headers.get("Authorization"), None);
    }

    #[test]
    fn app_token_request() {
        let req = cfg().build_app_token().unwrap();
        assert_common(&req);
        assert_eq!(
            req.body.as_deref(),
            Some("data=%7B%22client_id%22%3A%22cid-1%22%2C%22client_secret%22%3A%22s3cr3t%22%2C%22grant_type%22%3A%22client_credentials%22%7D")
        );
        assert_eq!(
            data_of(&req),
            r#"{"client_id":"cid-1","client_secret":"s3cr3t","grant_type":"client_credentials"}"#
        );
    }

    #[test]
    fn user_token_requests() {
        let req = cfg()
            .build_user_token(&json!({"email": "ann@x.com", "password": "p w+%\""}))
            .unwrap();
        assert_common(&req);
        assert_eq!(
            data_of(&req),
            r#"{"client_id":"cid-1","client_secret":"s3cr3t","grant_type":"password","email":"ann@x.com","password":"p w+%\""}"#
        );
        assert!(req.body.as_deref().unwrap().contains("p+w%2B%25%5C%22"));

        let req = cfg().build_refresh_user_token("rt-1").unwrap();
        assert_common(&req);
        assert_eq!(
            data_of(&req),
            r#"{"client_id":"cid-1","client_secret":"s3cr3t","grant_type":"refresh_token","refresh_token":"rt-1"}"#
        );
    }

    #[test]
    fn user_token_input_is_validated_without_echo() {
        for (bad, field) in [
            (json!(null), "input"),
            (json!({"password": "pw"}), "email"),
            (json!({"email": "nope", "password": "pw"}), "email"),
            (json!({"email": "a@b.c"}), "password"),
            (json!({"email": "a@b.c", "password": ""}), "password"),
            (json!({"email": "a@b.c", "password": 123_456}), "password"),
        ] {
            let e = cfg().build_user_token(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(e.message.contains(field), "{}", e.message);
            assert!(!e.message.contains("123456"));
        }
        let e = cfg().build_refresh_user_token("").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }

    #[test]
    fn grants_need_a_secret() {
        let c = Config::from_options(&json!({
            "schoolUrl": "https://s.com", "clientId": "c", "accessToken": "tok"
        }))
        .unwrap();
        for e in [
            c.build_app_token().unwrap_err(),
            c.build_user_token(&json!({"email": "a@b.c", "password": "p"}))
                .unwrap_err(),
            c.build_refresh_user_token("r").unwrap_err(),
        ] {
            assert_eq!(e.code, ErrorCode::InvalidConfig);
            assert!(e.message.contains("clientSecret"));
        }
        let t = c.static_app_token().unwrap();
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            json!({"accessToken": "tok", "expiresAt": null})
        );
        assert!(cfg().static_app_token().is_none());
    }

    #[test]
    fn parses_tokens() {
        let resp = HttpResponse::new(
            200,
            r#"{"tokenData":{"access_token":"at","token_type":"Bearer","expires_in":8000},"errors":[],"success":true}"#,
        );
        let g = cfg().parse_token(&resp, UnixMillis(1_000)).unwrap();
        assert_eq!(g.access_token.as_str(), "at");
        assert_eq!(g.refresh_token, None);
        assert_eq!(g.expires_at, UnixMillis(8_001_000));
        assert_eq!(
            serde_json::to_value(g.to_app_token()).unwrap(),
            json!({"accessToken": "at", "expiresAt": 8_001_000})
        );
        assert!(!format!("{g:?}").contains("\"at\""));
        // A user grant without a refresh token is malformed.
        let e = cfg().parse_user_token(&resp, UnixMillis(0)).unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);

        let resp = HttpResponse::new(
            200,
            r#"{"tokenData":{"access_token":"u1","token_type":"Bearer","expires_in":"3600","refresh_token":"r1"},"errors":[],"success":true}"#,
        );
        let u = cfg().parse_user_token(&resp, UnixMillis(5)).unwrap();
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            json!({"accessToken": "u1", "refreshToken": "r1", "expiresAt": 3_600_005})
        );
        assert!(!format!("{u:?}").contains("r1"));
        assert_eq!(
            cfg()
                .parse_refresh_user_token(&resp, UnixMillis(5))
                .unwrap(),
            u
        );
    }

    #[test]
    fn malformed_token_responses() {
        for body in [
            r#"{"success":true}"#,
            r#"{"tokenData":{"expires_in":10},"success":true}"#,
            r#"{"tokenData":{"access_token":"","expires_in":10}}"#,
            r#"{"tokenData":{"access_token":"a"}}"#,
            r#"{"tokenData":{"access_token":"a","expires_in":-1}}"#,
            r#"{"tokenData":{"access_token":"a","expires_in":"soon"}}"#,
            r#"{"tokenData":{"access_token":"a","expires_in":1,"refresh_token":5}}"#,
            r#"{"tokenData":"x"}"#,
            "not json",
        ] {
            let e = cfg()
                .parse_token(&HttpResponse::new(200, body), UnixMillis(0))
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{body}");
            assert_eq!(e.status, Some(200));
        }
    }

    #[test]
    fn token_errors_are_auth_failed() {
        let resp = HttpResponse::new(
            400,
            r#"{"errors":[{"code":400,"context":"client_id","message":"Client authentication failed"}],"success":false}"#,
        );
        let e = cfg().parse_token(&resp, UnixMillis(0)).unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert_eq!(e.vendor_code.as_deref(), Some("client_id"));
        assert_eq!(e.status, Some(400));
        let e = cfg()
            .parse_user_token(&HttpResponse::new(401, r#"{"error":"x"}"#), UnixMillis(0))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
        let e = cfg()
            .parse_token(
                &HttpResponse::new(429, r#"{"error":"Too many requests"}"#),
                UnixMillis(0),
            )
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        let e = cfg()
            .parse_token(&HttpResponse::new(503, ""), UnixMillis(0))
            .unwrap_err();
        assert!(e.retryable());
    }
}
