//! SSO (vendor §4): `POST {school}/admin/api/sso` with the app token, and
//! `POST {school}/admin/api/user/sso` with a user's token.

use serde::Serialize;
use serde_json::Value;

use super::errors::check;
use super::{Config, VENDOR};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::input::{check_email, Fields, Input};
use crate::core::json::{string_or_number, take_string_or_number};
use crate::core::secret::{exposed, Secret};
use crate::core::text::has_control;
use crate::core::tree::{self, Kind, Node};
use crate::core::url::{check_http_url, parse};
use crate::error::{Error, Result};
use crate::vendors::malformed;

/// `sso()`'s result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SsoOutput {
    /// The one-time login URL on the school origin: redirect the user there at once.
    #[serde(serialize_with = "exposed")]
    pub url: Secret<String>,
    /// The LearnWorlds user id.
    pub user_id: String,
}

/// `userSso()`'s result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSsoOutput {
    /// The one-time login URL on the school origin.
    #[serde(serialize_with = "exposed")]
    pub url: Secret<String>,
}

/// Adds the vendor to an input error.
fn v(e: Error) -> Error {
    e.with_vendor(VENDOR)
}

/// An optional absolute http(s) URL field.
fn opt_url<'a>(f: &dyn Input<'a>, key: &str) -> Result<Option<&'a str>> {
    let value = f.opt_str(key).map_err(v)?;
    if let Some(u) = value {
        check_http_url(key, u).map_err(v)?;
    }
    Ok(value)
}

/// Checks a bearer token argument.
fn check_token(field: &str, token: &str) -> Result<()> {
    if token.is_empty() || has_control(token, false) {
        return Err(v(Error::invalid_input(
            field,
            "must be a non-empty token without control characters",
        )));
    }
    Ok(())
}

impl Config {
    /// `sso(input)`'s request, with the app token. `input` is
    /// `{ email, username?, avatar?, redirectUrl? }` (an unknown email creates an account:
    /// send only verified e-mails) or `{ userId, redirectUrl? }`; both or neither →
    /// `INVALID_INPUT`. Not safe to retry.
    pub fn build_sso(&self, input: &Value, token: &str) -> Result<HttpRequest> {
        self.sso_request(&Fields::new(input, "input").map_err(v)?, token)
    }

    /// [`build_sso`](Self::build_sso) of the input's fields, however the host handed them
    /// over (the lean twin's: [`super::wire`]).
    pub(crate) fn sso_request<'a>(&self, f: &dyn Input<'a>, token: &str) -> Result<HttpRequest> {
        let email = f.opt_str("email").map_err(v)?;
        let user_id = f.opt_str_or_num("userId").map_err(v)?;
        let redirect = opt_url(f, "redirectUrl")?;
        let data = match (email, user_id.as_deref()) {
            (Some(_), Some(_)) => {
                return Err(v(Error::invalid_input(
                    "input",
                    "must have either `email` or `userId`, not both",
                )))
            }
            (None, None) => {
                return Err(v(Error::invalid_input("email", "or `userId` is required")))
            }
            (Some(email), None) => {
                check_email("email", email).map_err(v)?;
                let username = f.opt_non_empty("username").map_err(v)?;
                let avatar = opt_url(f, "avatar")?;
                let mut data = vec![("email", email)];
                if let Some(u) = username {
                    data.push(("username", u));
                }
                if let Some(a) = avatar {
                    data.push(("avatar", a));
                }
                data
            }
            (None, Some(id)) => {
                if id.is_empty() {
                    return Err(v(Error::invalid_input("userId", "must not be empty")));
                }
                for key in ["username", "avatar"] {
                    if f.has(key) {
                        return Err(v(Error::invalid_input(key, "is only allowed with `email`")));
                    }
                }
                vec![("user_id", id)]
            }
        };
        check_token("token", token)?;
        let mut data = data;
        if let Some(r) = redirect {
            data.push(("redirectUrl", r));
        }
        Ok(self.post("sso", &data).bearer(token))
    }

    /// Parses `sso`'s response into `{ url, userId }`. `input` is the call's input (or
    /// null): without `user_id` in the response, a by-id call echoes `input.userId`,
    /// otherwise `RESPONSE_MALFORMED`. A `url` off the school origin → `RESPONSE_MALFORMED`.
    pub fn parse_sso(&self, resp: &HttpResponse, input: &Value) -> Result<SsoOutput> {
        match self.typed_sso(resp, input) {
            Some(out) => Ok(out),
            None => self.value_sso(resp, input),
        }
    }

    /// A success read by the tree, without a `Value` of the body (as Miles Masterclass'
    /// parsers read theirs): a 2xx JSON object with `success: true`, a `url` on the school
    /// origin and a `user_id` that is a non-empty string or an integer in digits (absent,
    /// `null` or "": the echoed `input.userId`). `None` for anything else, which
    /// [`value_sso`](Self::value_sso) decides, every error included.
    fn typed_sso(&self, resp: &HttpResponse, input: &Value) -> Option<SsoOutput> {
        if !resp.is_success() {
            return None;
        }
        let tree = tree::parse(&resp.body)?;
        let [success, url, user_id] = tree.root().pick(["success", "url", "user_id"]);
        if success?.kind() != Kind::Bool(true) {
            return None;
        }
        let Kind::String(url) = url?.kind() else {
            return None;
        };
        if !self.is_login_url(url) {
            return None;
        }
        // Absent, `null` or "": the echoed id.
        let user_id = match user_id.map_or(Some(None), Node::id_text)? {
            Some(id) => id,
            None => echoed_user_id(input)?,
        };
        Some(SsoOutput {
            url: url.to_owned().into(),
            user_id,
        })
    }

    /// Both paths' results for one response: the typed path (through
    /// [`parse_sso`](Self::parse_sso)) and the `Value` path alone. For tests and the
    /// `responses` fuzz target: the two must agree.
    #[cfg(any(test, fuzzing))]
    pub fn sso_paths(
        &self,
        resp: &HttpResponse,
        input: &Value,
    ) -> (Result<SsoOutput>, Result<SsoOutput>) {
        (self.parse_sso(resp, input), self.value_sso(resp, input))
    }

    /// [`parse_sso`](Self::parse_sso) by the `Value` path: every body the typed path leaves,
    /// and the tests' reference for the others.
    fn value_sso(&self, resp: &HttpResponse, input: &Value) -> Result<SsoOutput> {
        let mut body = check(resp, false, || self.secrets())?;
        let url = self.login_url(&mut body, resp.status)?;
        let user_id = take_string_or_number(&mut body, "user_id")
            .filter(|s| !s.is_empty())
            .or_else(|| echoed_user_id(input))
            .ok_or_else(|| malformed(VENDOR, resp.status, "no `user_id`"))?;
        Ok(SsoOutput {
            url: url.into(),
            user_id,
        })
    }

    /// `userSso(userAccessToken, { redirectUrl? })`'s request: `data={"redirectUrl":…}`
    /// (`{}` without one), with the user's bearer token. Not safe to retry.
    pub fn build_user_sso(&self, user_token: &str, opts: &Value) -> Result<HttpRequest> {
        check_token("userAccessToken", user_token)?;
        let f = Fields::optional(opts, "options").map_err(v)?;
        let redirect = opt_url(&f, "redirectUrl")?;
        let data: Vec<(&str, &str)> = redirect.map(|r| ("redirectUrl", r)).into_iter().collect();
        Ok(self.post("user/sso", &data).bearer(user_token))
    }

    /// Parses `userSso`'s response into `{ url }` (same URL check as `sso`).
    pub fn parse_user_sso(&self, resp: &HttpResponse) -> Result<UserSsoOutput> {
        let mut body = check(resp, false, || self.secrets())?;
        Ok(UserSsoOutput {
            url: self.login_url(&mut body, resp.status)?.into(),
        })
    }

    /// The response's `url` (taken out of `body`): a login URL ([`is_login_url`](Self::is_login_url)),
    /// else `RESPONSE_MALFORMED`.
    fn login_url(&self, body: &mut serde_json::Map<String, Value>, status: u16) -> Result<String> {
        let Some(Value::String(raw)) = body.get_mut("url").map(Value::take) else {
            return Err(malformed(VENDOR, status, "no `url`"));
        };
        if !self.is_login_url(&raw) {
            return Err(malformed(
                VENDOR,
                status,
                "`url` is not an https URL on the school origin",
            ));
        }
        Ok(raw)
    }

    /// Whether `url` is a login URL the school may hand out: absolute, on the school origin
    /// (https, or http on loopback), without credentials.
    fn is_login_url(&self, url: &str) -> bool {
        parse(url).is_ok_and(|u| {
            u.is_secure_or_loopback() && !u.has_userinfo && u.origin() == self.school_origin
        })
    }
}

/// The call's `input.userId` (a non-empty string or a number), which a by-id call's result
/// echoes when the response has no `user_id`.
fn echoed_user_id(input: &Value) -> Option<String> {
    input
        .as_object()
        .and_then(|m| string_or_number(m, "userId"))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::tests::cfg;
    use super::*;
    use crate::core::http::Method;
    use crate::error::ErrorCode;
    use serde_json::json;

    fn body_json(req: &HttpRequest) -> String {
        let b = req.body.as_deref().unwrap().strip_prefix("data=").unwrap();
        crate::core::url::percent_decode(b, true).unwrap()
    }

    #[test]
    fn sso_by_email_matches_the_derived_example() {
        let req = cfg()
            .build_sso(
                &json!({"redirectUrl": "https://learnworlds.com", "username": "LearnWorlds",
                        "email": "test@example.com"}),
                "app-tok",
            )
            .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://school.example.com/admin/api/sso");
        assert_eq!(req.headers.get("Lw-Client"), Some("cid-1"));
        assert_eq!(req.headers.get("Authorization"), Some("Bearer app-tok"));
        assert_eq!(req.headers.get("Accept"), Some("application/json"));
        assert_eq!(
            req.headers.get("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            req.body.as_deref(),
            Some("data=%7B%22email%22%3A%22test%40example.com%22%2C%22username%22%3A%22LearnWorlds%22%2C%22redirectUrl%22%3A%22https%3A%2F%2Flearnworlds.com%22%7D")
        );
        let req = cfg()
            .build_sso(
                &json!({"email": "a@b.co", "avatar": "https://cdn.x/a.png", "username": "A B",
                        "redirectUrl": null}),
                "t",
            )
            .unwrap();
        assert_eq!(
            body_json(&req),
            r#"{"email":"a@b.co","username":"A B","avatar":"https://cdn.x/a.png"}"#
        );
        assert!(req.body.as_deref().unwrap().contains("A+B"));
    }

    #[test]
    fn sso_by_id() {
        let req = cfg()
            .build_sso(
                &json!({"userId": "u-1", "redirectUrl": "https://x.com/c?a=1&b=2"}),
                "t",
            )
            .unwrap();
        assert_eq!(
            body_json(&req),
            r#"{"user_id":"u-1","redirectUrl":"https://x.com/c?a=1&b=2"}"#
        );
        assert_eq!(req.headers.get("Lw-Client"), Some("cid-1"));
        let req = cfg().build_sso(&json!({"userId": 42}), "t").unwrap();
        assert_eq!(body_json(&req), r#"{"user_id":"42"}"#);
    }

    #[test]
    fn sso_input_errors() {
        for (bad, field) in [
            (json!({"email": "a@b.co", "userId": "u"}), "input"),
            (json!({}), "email"),
            (json!(null), "input"),
            (json!({"email": "not-an-email"}), "email"),
            (json!({"email": 5}), "email"),
            (json!({"email": "a@b.co", "username": ""}), "username"),
            (json!({"email": "a@b.co", "avatar": "/a.png"}), "avatar"),
            (
                json!({"email": "a@b.co", "avatar": "ftp://x/a.png"}),
                "avatar",
            ),
            (
                json!({"email": "a@b.co", "redirectUrl": "javascript:alert(1)"}),
                "redirectUrl",
            ),
            (
                json!({"email": "a@b.co", "redirectUrl": "//evil.com"}),
                "redirectUrl",
            ),
            (json!({"userId": ""}), "userId"),
            (json!({"userId": true}), "userId"),
            (json!({"userId": "u", "username": "x"}), "username"),
        ] {
            let e = cfg().build_sso(&bad, "t").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert_eq!(e.vendor, Some(VENDOR));
            assert!(e.message.contains(field), "{bad}: {}", e.message);
        }
        let e = cfg().build_sso(&json!({"userId": "u"}), "").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }

    fn ok(body: &str) -> HttpResponse {
        HttpResponse::new(200, body)
    }

    #[test]
    fn parses_sso() {
        let out = cfg()
            .parse_sso(
                &ok(r#"{"success":true,"url":"https://school.example.com/login?code=abc","user_id":"u9"}"#),
                &json!({"email": "a@b.co"}),
            )
            .unwrap();
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            json!({"url": "https://school.example.com/login?code=abc", "userId": "u9"})
        );
        // Mixed case and explicit default port are the same origin.
        assert!(cfg()
            .parse_sso(
                &ok(r#"{"url":"HTTPS://School.Example.com:443/login?code=1","user_id":7}"#),
                &Value::Null
            )
            .is_ok());
        // No user_id: by-id echoes the input, by-email is malformed.
        let out = cfg()
            .parse_sso(
                &ok(r#"{"success":true,"url":"https://school.example.com/login?code=1"}"#),
                &json!({"userId": "u-5"}),
            )
            .unwrap();
        assert_eq!(out.user_id, "u-5");
        let e = cfg()
            .parse_sso(
                &ok(r#"{"success":true,"url":"https://school.example.com/login?code=1"}"#),
                &json!({"email": "a@b.co"}),
            )
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
    }

    #[test]
    fn sso_url_must_be_on_the_school_origin() {
        for url in [
            "https://evil.com/login?code=1",
            "http://school.example.com/login?code=1",
            "/login?code=1",
            "//school.example.com/login",
            "https://school.example.com.evil.com/login",
            "https://school.example.com@evil.com/login",
            "https://x@school.example.com/login",
            "https://school.example.com:8443/login",
            "javascript:alert(1)",
            "",
        ] {
            let body = json!({"success": true, "url": url, "user_id": "u"}).to_string();
            let e = cfg().parse_sso(&ok(&body), &Value::Null).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{url}");
            assert!(!e.message.contains("code=1"));
            let e = cfg().parse_user_sso(&ok(&body)).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{url}");
        }
        let e = cfg()
            .parse_sso(&ok(r#"{"success":true,"user_id":"u"}"#), &Value::Null)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
        // http is fine for a loopback school.
        let local =
            Config::from_options(&json!({"schoolUrl": "http://localhost:8787", "clientId": "c"}))
                .unwrap();
        assert!(local
            .parse_user_sso(&ok(r#"{"url":"http://localhost:8787/login?code=1"}"#))
            .is_ok());
    }

    #[test]
    fn sso_errors() {
        let e = cfg()
            .parse_sso(
                &HttpResponse::new(
                    400,
                    r#"{"errors":[{"code":400,"context":"access_denied","message":"denied"}],"success":false}"#,
                ),
                &Value::Null,
            )
            .unwrap_err();
        assert!(super::super::is_access_denied(&e));
        assert_eq!(e.code, ErrorCode::AuthFailed);
        let e = cfg()
            .parse_sso(
                &ok(r#"{"errors":[{"code":"400","context":null,"message":"Invalid object ID"}],"success":false}"#),
                &Value::Null,
            )
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.vendor_code.as_deref(), Some("400"));
        let e = cfg()
            .parse_sso(&HttpResponse::new(503, ""), &Value::Null)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::HttpStatus);
        let e = cfg().parse_user_sso(&ok("<html>")).unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
    }

    #[test]
    fn typed_sso_answers_as_the_value_path() {
        let url = "https://school.example.com/login?code=abc";
        // The documented body is read by the tree.
        let documented = format!(r#"{{"success":true,"url":"{url}","user_id":"u1"}}"#);
        let typed = cfg().typed_sso(&ok(&documented), &Value::Null).unwrap();
        assert_eq!(
            (typed.url.expose().as_str(), typed.user_id.as_str()),
            (url, "u1")
        );
        let bodies = [
            documented.clone(),
            format!(r#" {{ "user_id" : 9876 , "url" : "{url}" , "success" : true }} "#),
            format!(r#"{{"success":true,"url":"{url}","user_id":18446744073709551615}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":18446744073709551616}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":-5}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":1.5}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":1e3}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":""}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":null}}"#),
            format!(r#"{{"success":true,"url":"{url}"}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":true}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":"a","user_id":"b"}}"#),
            format!(r#"{{"success":true,"url":"https://evil.com/","url":"{url}","user_id":"u"}}"#),
            format!(r#"{{"success":true,"url":"{url}","url":"https://evil.com/","user_id":"u"}}"#),
            format!(
                r#"{{"success":true,"url":"{url}","user_id":"é
"}}"#
            ),
            format!(r#"{{"url":"{url}","user_id":"u"}}"#),
            format!(r#"{{"success":1,"url":"{url}","user_id":"u"}}"#),
            format!(r#"{{"success":false,"url":"{url}","user_id":"u"}}"#),
            format!(r#"{{"success":true,"url":"{url}","user_id":"u","errors":[{{"code":1}}]}}"#),
            r#"{"success":true,"url":"https://evil.com/login","user_id":"u"}"#.to_owned(),
            r#"{"success":true,"url":7,"user_id":"u"}"#.to_owned(),
            "[1]".to_owned(),
            String::new(),
            "not json".to_owned(),
        ];
        let inputs = [
            json!({"userId": "u-5"}),
            json!({"userId": 42}),
            json!({"email": "a@b.co"}),
            Value::Null,
        ];
        for status in [200, 201, 400, 500] {
            for body in &bodies {
                for input in &inputs {
                    let (typed, by_value) =
                        cfg().sso_paths(&HttpResponse::new(status, body.as_str()), input);
                    assert_eq!(typed, by_value, "{status} {body} {input}");
                }
            }
        }
    }

    #[test]
    fn user_sso_requests() {
        let req = cfg().build_user_sso("user-tok", &Value::Null).unwrap();
        assert_eq!(req.url, "https://school.example.com/admin/api/user/sso");
        assert_eq!(req.body.as_deref(), Some("data=%7B%7D"));
        assert_eq!(req.headers.get("Authorization"), Some("Bearer user-tok"));
        assert_eq!(req.headers.get("Lw-Client"), Some("cid-1"));
        let req = cfg()
            .build_user_sso(
                "user-tok",
                &json!({"redirectUrl": "https://school.example.com/c"}),
            )
            .unwrap();
        assert_eq!(
            body_json(&req),
            r#"{"redirectUrl":"https://school.example.com/c"}"#
        );
        for (tok, opts) in [
            ("", json!({})),
            ("t", json!({"redirectUrl": "nope"})),
            ("t", json!("x")),
            ("t\n", json!({})),
        ] {
            let e = cfg().build_user_sso(tok, &opts).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
        }
        let out = cfg()
            .parse_user_sso(&ok(
                r#"{"success":true,"url":"https://school.example.com/login?code=z"}"#,
            ))
            .unwrap();
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            json!({"url": "https://school.example.com/login?code=z"})
        );
    }
}
