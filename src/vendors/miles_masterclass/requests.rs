//! Request builders: every call is a `POST` with a compact JSON body whose keys keep the
//! documented order; absent optional fields are omitted, never `null`.

use serde_json::Value;

use super::{Config, VENDOR};
use crate::core::http::{content_type, HttpRequest, Method};
use crate::core::input::{check_email, Fields, Input};
use crate::core::json::{ordered_json, write_object, JsonWriter, WriteJson};
use crate::core::text::concat;
use crate::core::url::check_http_url;
use crate::error::{Error, Result};

/// A JSON object written with its keys in insertion order ([`ordered_json`]); it borrows
/// its keys and values (no copies: allocations are much of a builder's time in wasm).
#[derive(Debug, Default)]
pub(super) struct Ordered<'a>(Vec<(&'a str, Body<'a>)>);

#[derive(Debug)]
pub(super) enum Body<'a> {
    Str(&'a str),
    Obj(Ordered<'a>),
}

impl WriteJson for Body<'_> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            Body::Str(text) => w.text(text),
            Body::Obj(object) => write_object(w, &object.0),
        }
    }
}

impl<'a> Ordered<'a> {
    fn push(&mut self, key: &'a str, value: Body<'a>) {
        self.0.push((key, value));
    }

    fn push_str(&mut self, key: &'a str, value: Option<&'a str>) {
        if let Some(v) = value {
            self.push(key, Body::Str(v));
        }
    }
}

fn invalid(field: &str, must: &str) -> Error {
    Error::invalid_input(field, must).with_vendor(VENDOR)
}

fn read_email<'a>(f: &dyn Input<'a>) -> Result<&'a str> {
    let email = f.non_empty("email").map_err(|e| e.with_vendor(VENDOR))?;
    check_email("email", email).map_err(|e| e.with_vendor(VENDOR))?;
    Ok(email)
}

fn fields(input: &Value) -> Result<Fields<'_>> {
    Fields::new(input, "input").map_err(|e| e.with_vendor(VENDOR))
}

impl Config {
    fn post(&self, path: &str, body: &Ordered) -> Result<HttpRequest> {
        let mut req = HttpRequest::new(Method::Post, concat(&[&self.base_url, path]))
            .header("Content-Type", content_type::JSON)
            .header(self.api_key_header.clone(), self.api_key_text());
        req.body = Some(ordered_json(&body.0));
        Ok(req)
    }

    fn api_key_text(&self) -> String {
        self.api_key.expose_str().unwrap_or_default().to_owned()
    }

    /// `autoSubscribe({ email, firstName?, lastName?, lmsUserId, organization?: { id?, name? } })`:
    /// `POST {base}/integrations/lms/auto-subscribe` with
    /// `{"email","first_name","last_name","lms_user_id","organization":{"id","name"}}`.
    /// `lmsUserId` (string or number) is required; an empty `organization` is omitted.
    pub fn build_auto_subscribe(&self, input: &Value) -> Result<HttpRequest> {
        self.auto_subscribe_request(&fields(input)?)
    }

    /// [`Config::build_auto_subscribe`] of an input's fields however the host handed them over.
    pub fn auto_subscribe_request<'a>(&self, f: &dyn Input<'a>) -> Result<HttpRequest> {
        let email = read_email(f)?;
        let first = f.opt_str("firstName").map_err(|e| e.with_vendor(VENDOR))?;
        let last = f.opt_str("lastName").map_err(|e| e.with_vendor(VENDOR))?;
        let lms_user_id = f
            .opt_str_or_num("lmsUserId")
            .map_err(|e| e.with_vendor(VENDOR))?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("lmsUserId", "is required (a non-empty string or a number)"))?;
        let organization = f
            .opt_object("organization")
            .map_err(|e| e.with_vendor(VENDOR))?;
        let (mut org_id, mut org_name) = (None, None);
        if let Some(o) = organization {
            org_id = o.opt_str_or_num("id").map_err(|e| e.with_vendor(VENDOR))?;
            org_name = o.opt_str("name").map_err(|e| e.with_vendor(VENDOR))?;
        }
        let mut org = Ordered::default();
        org.push_str("id", org_id.as_deref().filter(|s| !s.is_empty()));
        org.push_str("name", org_name.filter(|s| !s.is_empty()));

        let mut body = Ordered::default();
        body.push_str(self.wire("email"), Some(email));
        body.push_str(self.wire("first_name"), first);
        body.push_str(self.wire("last_name"), last);
        body.push_str(self.wire("lms_user_id"), Some(&lms_user_id));
        if !org.0.is_empty() {
            body.push(self.wire("organization"), Body::Obj(org));
        }
        self.post(&self.paths.auto_subscribe, &body)
    }

    /// `accessControl({ email, action: "block"|"unblock"|"cancel", reason? })`:
    /// `POST {base}/access/control` with `{"email","action","reason"}`. Another action is
    /// `INVALID_INPUT` before any request.
    pub fn build_access_control(&self, input: &Value) -> Result<HttpRequest> {
        self.access_control_request(&fields(input)?)
    }

    /// [`Config::build_access_control`] of an input's fields however the host handed them over.
    pub fn access_control_request<'a>(&self, f: &dyn Input<'a>) -> Result<HttpRequest> {
        let email = read_email(f)?;
        let action = match f.opt_str("action") {
            Ok(Some(a @ ("block" | "unblock" | "cancel"))) => a,
            _ => {
                return Err(invalid(
                    "action",
                    "must be \"block\", \"unblock\" or \"cancel\"",
                ))
            }
        };
        let reason = f.opt_str("reason").map_err(|e| e.with_vendor(VENDOR))?;
        let mut body = Ordered::default();
        body.push_str(self.wire("email"), Some(email));
        body.push_str(self.wire("action"), Some(action));
        body.push_str(self.wire("reason"), reason);
        self.post(&self.paths.access_control, &body)
    }

    /// `createLoginUrl({ email, returnUrl? })`: `POST {base}/integrations/lms/login-url` with
    /// `{"email","return_url"}`; `returnUrl` must be an absolute http(s) URL.
    pub fn build_create_login_url(&self, input: &Value) -> Result<HttpRequest> {
        self.create_login_url_request(&fields(input)?)
    }

    /// [`Config::build_create_login_url`] of an input's fields however the host handed them
    /// over.
    pub fn create_login_url_request<'a>(&self, f: &dyn Input<'a>) -> Result<HttpRequest> {
        let email = read_email(f)?;
        let return_url = f.opt_str("returnUrl").map_err(|e| e.with_vendor(VENDOR))?;
        if let Some(u) = return_url {
            check_http_url("returnUrl", u).map_err(|e| e.with_vendor(VENDOR))?;
        }
        let mut body = Ordered::default();
        body.push_str(self.wire("email"), Some(email));
        body.push_str(self.wire("return_url"), return_url);
        self.post(&self.paths.login_url, &body)
    }
}
