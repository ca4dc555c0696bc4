//! Request builders: `POST {baseUrl}/authorize/...`, compact JSON bodies in the vendor's
//! documented key order (written by hand, as serde writes them), absent optionals omitted,
//! no `Authorization` header.

use serde_json::Value;

use super::{is_bare_host, Config};
use crate::core::http::{content_type, HttpRequest, Method};
use crate::core::input::{check_email, Fields, Input};
use crate::core::json::JsonWriter;
use crate::core::text::concat;
use crate::core::url;
use crate::error::{Error, Result};

/// The documented provider number of Google (the only documented provider).
const PROVIDER_GOOGLE: &str = "1";

/// The literal AlphaLearn replaces with the reset token in `overrideEmailUrl`.
const TOKEN_PLACEHOLDER: &str = "{token}";

/// The request of each call, from its input however the host handed it over ([`Input`]):
/// the JSON readers below and the lean calls (`wire`) build the same requests, with the same
/// checks in the same order.
impl Config {
    /// `POST {baseUrl}{path}` with the JSON object `body` wrote.
    fn post(&self, path: &str, body: impl FnOnce(&mut JsonWriter)) -> HttpRequest {
        let mut w = JsonWriter::with_capacity(128);
        w.begin();
        body(&mut w);
        w.end();
        let mut req = HttpRequest::new(Method::Post, concat(&[&self.base_url, path]))
            .header("Content-Type", content_type::JSON);
        req.body = Some(w.finish());
        req
    }

    /// The per-call `domain` (validated, `INVALID_INPUT`) or the configured one.
    fn domain_for<'a>(&'a self, f: &dyn Input<'a>) -> Result<Option<&'a str>> {
        match f.opt_str("domain")? {
            Some(d) if is_bare_host(d) => Ok(Some(d)),
            Some(_) => Err(Error::invalid_input(
                "domain",
                "must be a bare host name (letters, digits, `-`, `.`, optional `:port`)",
            )),
            None => Ok(self.domain.as_deref()),
        }
    }

    /// `login`'s request from its fields: `{"email","password","domain"?}`.
    pub fn login_request<'a>(&'a self, f: &dyn Input<'a>) -> Result<HttpRequest> {
        let email = f.non_empty("email")?;
        check_email("email", email)?;
        let password = f.non_empty("password")?;
        let domain = self.domain_for(f)?;
        Ok(self.post("/authorize/login", |w| {
            w.key("email");
            w.text(email);
            w.key("password");
            w.text(password);
            opt_field(w, "domain", domain);
        }))
    }

    /// `refreshToken`'s request: `{"refreshToken"}`.
    pub fn refresh_token_request(&self, refresh_token: &str) -> Result<HttpRequest> {
        if refresh_token.is_empty() {
            return Err(Error::invalid_input("refreshToken", "must not be empty"));
        }
        Ok(self.post("/authorize/refresh-token", |w| {
            w.key("refreshToken");
            w.text(refresh_token);
        }))
    }

    /// `loginWithThirdParty`'s request from its fields: `{"provider":1,"thirdPartyData":{"token"}}`.
    pub fn third_party_request<'a>(&'a self, f: &dyn Input<'a>) -> Result<HttpRequest> {
        if f.non_empty("provider")? != "google" {
            return Err(Error::invalid_input("provider", "must be \"google\""));
        }
        let token = f.non_empty("token")?;
        Ok(self.post("/authorize/third-party", |w| {
            w.key("provider");
            w.raw_text(PROVIDER_GOOGLE);
            w.key("thirdPartyData");
            w.begin();
            w.key("token");
            w.text(token);
            w.end();
        }))
    }

    /// `forgotPassword`'s request from its fields:
    /// `{"email","domain"?,"sendEmailNotification":1|2,"overrideEmailUrl"?}`.
    pub fn forgot_password_request<'a>(&'a self, f: &dyn Input<'a>) -> Result<HttpRequest> {
        let email = f.non_empty("email")?;
        check_email("email", email)?;
        let domain = self.domain_for(f)?;
        let notify = match f.opt_bool("sendEmailNotification")? {
            Some(true) => "1",
            Some(false) | None => "2",
        };
        let override_email_url = f.opt_str("overrideEmailUrl")?;
        if let Some(u) = override_email_url {
            check_override_url(u)?;
        }
        Ok(self.post("/authorize/forgot-password", |w| {
            w.key("email");
            w.text(email);
            opt_field(w, "domain", domain);
            w.key("sendEmailNotification");
            w.raw_text(notify);
            opt_field(w, "overrideEmailUrl", override_email_url);
        }))
    }

    /// `login({ email, password, domain? })` → `POST /authorize/login` with
    /// `{"email","password","domain"?}`. Retried as a token request.
    pub fn build_login(&self, input: &Value) -> Result<HttpRequest> {
        self.login_request(&Fields::new(input, "input")?)
    }

    /// `refreshToken(refreshToken)` → `POST /authorize/refresh-token` with
    /// `{"refreshToken"}`. Retried as a token request.
    pub fn build_refresh_token(&self, refresh_token: &str) -> Result<HttpRequest> {
        self.refresh_token_request(refresh_token)
    }

    /// `loginWithThirdParty({ provider: "google", token })` → `POST /authorize/third-party`
    /// with `{"provider":1,"thirdPartyData":{"token"}}`. Any provider but `"google"` →
    /// `INVALID_INPUT`. Retried as a token request.
    pub fn build_login_with_third_party(&self, input: &Value) -> Result<HttpRequest> {
        self.third_party_request(&Fields::new(input, "input")?)
    }

    /// `forgotPassword({ email, domain?, sendEmailNotification?, overrideEmailUrl? })` →
    /// `POST /authorize/forgot-password` with
    /// `{"email","domain"?,"sendEmailNotification":1|2,"overrideEmailUrl"?}`:
    /// `sendEmailNotification` `true` → `1`, `false`/absent → `2`; `overrideEmailUrl` must
    /// contain `{token}` and be an absolute https URL (http on loopback) without
    /// credentials. Never retried (it may send an e-mail).
    pub fn build_forgot_password(&self, input: &Value) -> Result<HttpRequest> {
        self.forgot_password_request(&Fields::new(input, "input")?)
    }
}

/// `"key":"value"` when there is a value (absent optionals are omitted, never `null`).
fn opt_field(w: &mut JsonWriter, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        w.key(key);
        w.text(v);
    }
}

/// `overrideEmailUrl`: contains `{token}`, and both as given and with the placeholder
/// substituted it is an absolute https URL (http only on loopback) without userinfo. The
/// unsubstituted check keeps the placeholder out of the host and port.
fn check_override_url(value: &str) -> Result<()> {
    let bad = || {
        Error::invalid_input(
            "overrideEmailUrl",
            "must be an absolute https URL (http only on loopback) containing `{token}`",
        )
    };
    if !value.contains(TOKEN_PLACEHOLDER) {
        return Err(bad());
    }
    let substituted = value.replace(TOKEN_PLACEHOLDER, "token");
    for candidate in [value, substituted.as_str()] {
        match url::parse(candidate) {
            Ok(u) if u.is_secure_or_loopback() && !u.has_userinfo => {}
            _ => return Err(bad()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    fn cfg(domain: Option<&str>) -> Config {
        let mut opts = json!({});
        if let Some(d) = domain {
            opts["domain"] = json!(d);
        }
        Config::from_options(&opts).unwrap()
    }

    fn check_headers(req: &HttpRequest) {
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.headers.get("accept"), Some("application/json"));
        assert_eq!(req.headers.get("content-type"), Some("application/json"));
        assert_eq!(req.headers.get("authorization"), None);
        assert_eq!(req.headers.0.len(), 2);
    }

    #[test]
    fn login_body_domain_from_constructor_per_call_or_omitted() {
        let input = json!({"email": "a@b.com", "password": "pw\"1"});
        let req = cfg(None).build_login(&input).unwrap();
        check_headers(&req);
        assert_eq!(req.url, "https://api.alphalearn.com/v3/authorize/login");
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.com","password":"pw\"1"}"#)
        );

        let req = cfg(Some("lms.example.com")).build_login(&input).unwrap();
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.com","password":"pw\"1","domain":"lms.example.com"}"#)
        );

        let input = json!({"email": "a@b.com", "password": "p", "domain": "other.example.com"});
        let req = cfg(Some("lms.example.com")).build_login(&input).unwrap();
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.com","password":"p","domain":"other.example.com"}"#)
        );

        let c = Config::from_options(&json!({"baseUrl": "http://localhost:9000/v3"})).unwrap();
        let req = c
            .build_login(&json!({"email": "a@b.com", "password": "p", "domain": null}))
            .unwrap();
        assert_eq!(req.url, "http://localhost:9000/v3/authorize/login");
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.com","password":"p"}"#)
        );
    }

    #[test]
    fn login_invalid_input_never_echoes_the_password() {
        let c = cfg(None);
        let cases = [
            (json!("x"), "input"),
            (json!({"password": "hunter2"}), "email"),
            (json!({"email": "nope", "password": "hunter2"}), "email"),
            (json!({"email": "a@b.com"}), "password"),
            (json!({"email": "a@b.com", "password": ""}), "password"),
            (json!({"email": "a@b.com", "password": 12345}), "password"),
            (
                json!({"email": "a@b.com", "password": "hunter2", "domain": "https://evil.com"}),
                "domain",
            ),
            (
                json!({"email": "a@b.com", "password": "hunter2", "domain": "evil.com/x"}),
                "domain",
            ),
        ];
        for (input, field) in cases {
            let e = c.build_login(&input).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{input}");
            assert!(e.message.contains(&format!("`{field}`")), "{}", e.message);
            assert!(!e.message.contains("hunter2"));
            assert!(!e.message.contains("12345"));
        }
    }

    #[test]
    fn refresh_body() {
        let req = cfg(Some("lms.example.com"))
            .build_refresh_token("r.t-1")
            .unwrap();
        check_headers(&req);
        assert_eq!(
            req.url,
            "https://api.alphalearn.com/v3/authorize/refresh-token"
        );
        assert_eq!(req.body.as_deref(), Some(r#"{"refreshToken":"r.t-1"}"#));
        let e = cfg(None).build_refresh_token("").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("`refreshToken`"));
    }

    #[test]
    fn third_party_body_and_provider() {
        let req = cfg(Some("lms.example.com"))
            .build_login_with_third_party(&json!({"provider": "google", "token": "g.tok"}))
            .unwrap();
        check_headers(&req);
        assert_eq!(
            req.url,
            "https://api.alphalearn.com/v3/authorize/third-party"
        );
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"provider":1,"thirdPartyData":{"token":"g.tok"}}"#)
        );
        for (input, field) in [
            (
                json!({"provider": "facebook", "token": "g.tok"}),
                "provider",
            ),
            (json!({"provider": "Google", "token": "g.tok"}), "provider"),
            (json!({"provider": 1, "token": "g.tok"}), "provider"),
            (json!({"token": "g.tok"}), "provider"),
            (json!({"provider": "google"}), "token"),
            (json!({"provider": "google", "token": ""}), "token"),
        ] {
            let e = cfg(None).build_login_with_third_party(&input).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{input}");
            assert!(e.message.contains(&format!("`{field}`")));
            assert!(!e.message.contains("g.tok"));
        }
    }

    #[test]
    fn forgot_password_body() {
        let c = cfg(Some("lms.example.com"));
        let req = c
            .build_forgot_password(&json!({
                "email": "a@b.com",
                "sendEmailNotification": false,
                "overrideEmailUrl": "https://x.example/reset/{token}"
            }))
            .unwrap();
        check_headers(&req);
        assert_eq!(
            req.url,
            "https://api.alphalearn.com/v3/authorize/forgot-password"
        );
        assert_eq!(
            req.body.as_deref(),
            Some(
                r#"{"email":"a@b.com","domain":"lms.example.com","sendEmailNotification":2,"overrideEmailUrl":"https://x.example/reset/{token}"}"#
            )
        );

        let req = cfg(None)
            .build_forgot_password(&json!({"email": "a@b.com", "sendEmailNotification": true}))
            .unwrap();
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.com","sendEmailNotification":1}"#)
        );

        let req = c
            .build_forgot_password(&json!({"email": "a@b.com", "domain": "x.example:8443"}))
            .unwrap();
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.com","domain":"x.example:8443","sendEmailNotification":2}"#)
        );

        let req = c
            .build_forgot_password(&json!({
                "email": "a@b.com",
                "overrideEmailUrl": "http://localhost:3000/reset?t={token}"
            }))
            .unwrap();
        assert!(req
            .body
            .unwrap()
            .ends_with(r#""overrideEmailUrl":"http://localhost:3000/reset?t={token}"}"#));
    }

    #[test]
    fn forgot_password_invalid_input() {
        let c = cfg(None);
        for (input, field) in [
            (json!({}), "email"),
            (json!({"email": "x"}), "email"),
            (json!({"email": "a@b.com", "domain": "a b"}), "domain"),
            (
                json!({"email": "a@b.com", "sendEmailNotification": 1}),
                "sendEmailNotification",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "https://x.example/reset"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "http://x.example/reset/{token}"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "/reset/{token}"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "javascript:{token}"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "https://{token}.x.example/"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "https://u:{token}@x.example/"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": "https://x.example/ {token}"}),
                "overrideEmailUrl",
            ),
            (
                json!({"email": "a@b.com", "overrideEmailUrl": 5}),
                "overrideEmailUrl",
            ),
        ] {
            let e = c.build_forgot_password(&input).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{input}");
            assert!(e.message.contains(&format!("`{field}`")), "{}", e.message);
        }
    }
}
