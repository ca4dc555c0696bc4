//! Request builders of the v1 identity and learner-authorization routes.

use serde_json::{json, Value};

use super::learner::{learner_body, LearnerBody};
use super::{header_safe, Config};
use crate::core::http::{HttpRequest, Method};
use crate::core::json::ordered_json;
use crate::core::text::{concat, has_control, join};
use crate::core::url::encode_component;
use crate::error::{Error, Result};

/// `/api/identities/v1/learners`
const LEARNERS: &str = "/api/identities/v1/learners";
/// `/api/learner-authorization/v1/learners/authToken`
const AUTH_TOKEN: &str = "/api/learner-authorization/v1/learners/authToken";

impl Config {
    /// `baseUrl + path`, then the query pairs (values `encodeURIComponent`-ed) with
    /// `instance=…` appended when configured.
    fn v1_url(&self, path: &str, query: &[(&str, &str)]) -> String {
        let mut pairs: Vec<String> = query
            .iter()
            .map(|(k, v)| concat(&[k, "=", &encode_component(v)]))
            .collect();
        if let Some(instance) = &self.instance {
            pairs.push(concat(&["instance=", &encode_component(instance)]));
        }
        if pairs.is_empty() {
            concat(&[&self.base_url, path])
        } else {
            concat(&[&self.base_url, path, "?", &join(&pairs, "&")])
        }
    }

    /// A v1 request with `Accept: application/json` and `Authorization: Bearer <token>`.
    /// An empty token (or one with control characters) → `INVALID_CONFIG`.
    fn authed(&self, method: Method, url: String, token: &str) -> Result<HttpRequest> {
        if token.is_empty() || !header_safe(token) {
            return Err(Error::invalid_config(
                "accessToken",
                "must be a non-empty token without control characters",
            ));
        }
        Ok(HttpRequest::new(method, url).bearer(token))
    }

    /// `createLearner`: `POST …/api/identities/v1/learners` with the documented fields
    /// present in `input` (`login` required). Not retried.
    pub fn build_create_learner(&self, input: &Value, token: &str) -> Result<HttpRequest> {
        self.learner_request(None, &mut || learner_body(input, "input", true), token)
    }

    /// `updateLearner`: `PUT …/learners/{encodeURIComponent(identifier)}` with only the
    /// given fields; an empty patch → `INVALID_INPUT`. Retried (PUT).
    pub fn build_update_learner(
        &self,
        identifier: &str,
        patch: &Value,
        token: &str,
    ) -> Result<HttpRequest> {
        self.learner_request(
            Some(identifier),
            &mut || learner_body(patch, "patch", false),
            token,
        )
    }

    /// `createLearner`'s request (no `identifier`) or `updateLearner`'s, with the learner
    /// `body` makes (after the identifier's check): however the host handed the learner over
    /// (the lean twins': [`super::wire`]).
    pub(crate) fn learner_request<'a>(
        &self,
        identifier: Option<&str>,
        body: &mut dyn FnMut() -> Result<LearnerBody<'a>>,
        token: &str,
    ) -> Result<HttpRequest> {
        let (method, url) = match identifier {
            None => (Method::Post, self.v1_url(LEARNERS, &[])),
            Some(identifier) => {
                check_identifier(identifier)?;
                let path = concat(&[LEARNERS, "/", &encode_component(identifier)]);
                (Method::Put, self.v1_url(&path, &[]))
            }
        };
        let body = body()?;
        Ok(self
            .authed(method, url, token)?
            .json_text(ordered_json(&body)))
    }

    /// `searchLearners`: `GET …/api/identities/v1/learners?search=<search>`.
    pub fn build_search_learners(&self, search: &str, token: &str) -> Result<HttpRequest> {
        if has_control(search, false) {
            return Err(Error::invalid_input(
                "search",
                "must not contain control characters",
            ));
        }
        let url = self.v1_url(LEARNERS, &[("search", search)]);
        self.authed(Method::Get, url, token)
    }

    /// `findLearnerByLogin`: the search request for `login` (non-empty); parse it with
    /// [`Config::parse_find_learner_by_login`].
    pub fn build_find_learner_by_login(&self, login: &str, token: &str) -> Result<HttpRequest> {
        if login.trim().is_empty() || has_control(login, false) {
            return Err(Error::invalid_input(
                "login",
                "must be a non-empty string without control characters",
            ));
        }
        self.build_search_learners(login, token)
    }

    /// `getAuthToken`: `POST …/api/learner-authorization/v1/learners/authToken` with
    /// `{"UserIdentifier": identifier}`. Not retried.
    pub fn build_get_auth_token(&self, identifier: &str, token: &str) -> Result<HttpRequest> {
        check_identifier(identifier)?;
        let url = self.v1_url(AUTH_TOKEN, &[]);
        Ok(self
            .authed(Method::Post, url, token)?
            .json(&json!({ "UserIdentifier": identifier })))
    }
}

/// A learner identifier: non-empty, no control characters.
fn check_identifier(identifier: &str) -> Result<()> {
    if identifier.is_empty() || has_control(identifier, false) {
        return Err(Error::invalid_input(
            "identifier",
            "must be a non-empty string without control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn cfg(instance: Option<&str>) -> Config {
        let mut o = json!({"baseUrl": "https://acme.teachonmars.com/",
            "auth": {"accessToken": "static-tok"}});
        if let Some(i) = instance {
            o["instance"] = json!(i);
        }
        Config::from_options(&o).unwrap()
    }

    fn check_headers(req: &HttpRequest, json_body: bool) {
        assert_eq!(req.headers.get("Accept"), Some("application/json"));
        assert_eq!(req.headers.get("Authorization"), Some("Bearer tok"));
        if json_body {
            assert_eq!(req.headers.get("Content-Type"), Some("application/json"));
            assert_eq!(req.headers.0.len(), 3);
        } else {
            assert_eq!(req.headers.0.len(), 2);
            assert!(req.body.is_none());
        }
    }

    #[test]
    fn create_learner() {
        let input = json!({"login": "john.doe", "firstname": "John", "lastname": "Doe",
            "email": "j@co.com", "password": "pw", "segment": {"country": ["FRANCE"]},
            "lang": "en-GB", "unknown": true, "title": null});
        let req = cfg(None).build_create_learner(&input, "tok").unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/identities/v1/learners"
        );
        check_headers(&req, true);
        assert_eq!(
            req.body.as_deref(),
            Some(
                r#"{"login":"john.doe","firstname":"John","lastname":"Doe","email":"j@co.com","password":"pw","segment":{"country":["FRANCE"]},"lang":"en-GB"}"#
            )
        );
        let req = cfg(Some("main fr"))
            .build_create_learner(&input, "tok")
            .unwrap();
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/identities/v1/learners?instance=main%20fr"
        );
    }

    #[test]
    fn create_learner_bad_input() {
        let c = cfg(None);
        for input in [
            json!({}),
            json!({"login": ""}),
            json!({"login": "a", "segment": {"country": "FRANCE"}}),
            json!({"login": "a", "segment": {"country": [true]}}),
            json!({"login": "a", "segment": "x"}),
            json!(null),
        ] {
            let e = c.build_create_learner(&input, "tok").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{input}");
        }
        let e = c
            .build_create_learner(&json!({"login": "a"}), "")
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        let e = c
            .build_create_learner(&json!({"login": "a"}), "t\r\nX: y")
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(!e.message.contains("X: y"));
    }

    #[test]
    fn update_learner() {
        let c = cfg(Some("inst"));
        let req = c
            .build_update_learner(
                "46e11440-a/b c",
                &json!({"firstname": "Jo", "lang": null}),
                "tok",
            )
            .unwrap();
        assert_eq!(req.method, Method::Put);
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/identities/v1/learners/46e11440-a%2Fb%20c?instance=inst"
        );
        check_headers(&req, true);
        assert_eq!(req.body.as_deref(), Some(r#"{"firstname":"Jo"}"#));
        let req = cfg(None)
            .build_update_learner("id1", &json!({"segment": {"team": ["a", "b"]}}), "tok")
            .unwrap();
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/identities/v1/learners/id1"
        );
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"segment":{"team":["a","b"]}}"#)
        );
        for (id, patch, field) in [
            ("id1", json!({}), "`patch`"),
            ("id1", json!({"other": 1}), "`patch`"),
            ("id1", json!({"login": ""}), "`login`"),
            ("id1", json!({"segment": {"a": [1]}}), "`segment.a`"),
            ("id1", json!([]), "`patch`"),
            ("", json!({"lang": "fr"}), "`identifier`"),
        ] {
            let e = c.build_update_learner(id, &patch, "tok").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
            assert!(e.message.starts_with(field), "{}", e.message);
        }
    }

    #[test]
    fn search_and_find() {
        let req = cfg(None)
            .build_search_learners("john doe+x&y=z", "tok")
            .unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/identities/v1/learners?search=john%20doe%2Bx%26y%3Dz"
        );
        check_headers(&req, false);
        let req = cfg(Some("i&1"))
            .build_find_learner_by_login("john", "tok")
            .unwrap();
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/identities/v1/learners?search=john&instance=i%261"
        );
        check_headers(&req, false);
        for bad in ["", " ", "a\u{0}"] {
            let e = cfg(None)
                .build_find_learner_by_login(bad, "tok")
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
            assert!(e.message.starts_with("`login`"));
        }
    }

    #[test]
    fn get_auth_token() {
        let req = cfg(None)
            .build_get_auth_token("46e11440-9850-11e7", "tok")
            .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "https://acme.teachonmars.com/api/learner-authorization/v1/learners/authToken"
        );
        check_headers(&req, true);
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"UserIdentifier":"46e11440-9850-11e7"}"#)
        );
        let req = cfg(Some("inst")).build_get_auth_token("x", "tok").unwrap();
        assert!(req.url.ends_with("/learners/authToken?instance=inst"));
        let e = cfg(None).build_get_auth_token("", "tok").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }
}
