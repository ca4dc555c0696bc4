//! Custom SSO (vendor §7, inbound and unsigned): LearnWorlds sends sign-in, sign-up and
//! password-reset clicks to the integrator's page as
//! `?action=login|signup|passwordreset&redirectUrl=<encoded>`.

use serde::Serialize;
use serde_json::Value;

use super::VENDOR;
use crate::core::input::Fields;
use crate::core::text::concat;
use crate::core::url::{parse, percent_decode};
use crate::error::{Error, ErrorCode, Result};

/// The actions LearnWorlds sends (`passwordreset` inferred from the vendor plugin).
const ACTIONS: [&str; 3] = ["login", "signup", "passwordreset"];

/// A parsed custom-SSO request: `{ action, redirectUrl }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomSsoRequest {
    /// `login`, `signup` or `passwordreset`.
    pub action: String,
    /// Where to send the user after sign-in (pass it to `sso`), on an allowed origin; null
    /// when absent.
    pub redirect_url: Option<String>,
}

fn config_err(must: &str) -> Error {
    Error::invalid_config("allowedOrigins", must).with_vendor(VENDOR)
}

fn not_allowed(why: &str) -> Error {
    Error::new(
        ErrorCode::RedirectNotAllowed,
        concat(&["`redirectUrl` ", why]),
    )
    .with_vendor(VENDOR)
}

/// Reads `allowedOrigins` as normalised origins (`scheme://host[:port]`, lower-case,
/// default port elided). Each entry must be an http(s) origin (a trailing `/` is allowed).
fn allowed_origins(opts: &Value) -> Result<Vec<String>> {
    let f = Fields::new(opts, "options").map_err(|e| config_err(&e.message))?;
    let must = "must be a non-empty array of http(s) origins";
    let Some(Value::Array(items)) = f.get("allowedOrigins") else {
        return Err(config_err(must));
    };
    if items.is_empty() {
        return Err(config_err(must));
    }
    items
        .iter()
        .map(|item| {
            let s = item.as_str().ok_or_else(|| config_err(must))?;
            let u = parse(s).map_err(|_| config_err(must))?;
            if !u.is_http() || u.has_userinfo || !(u.rest.is_empty() || u.rest == "/") {
                return Err(config_err(must));
            }
            Ok(u.origin())
        })
        .collect()
}

/// Checks a decoded `redirectUrl` candidate: an absolute http(s) URL without userinfo,
/// whitespace, control characters or backslashes, whose origin is allowed.
fn check_redirect(candidate: &str, allowed: &[String]) -> Result<()> {
    let url = parse(candidate).map_err(|_| not_allowed("is not an absolute http(s) URL"))?;
    if !url.is_http() {
        return Err(not_allowed("is not an absolute http(s) URL"));
    }
    if url.has_userinfo {
        return Err(not_allowed("must not contain credentials"));
    }
    let origin = url.origin();
    if !allowed.contains(&origin) {
        return Err(not_allowed("is not on an allowed origin"));
    }
    Ok(())
}

/// The redirect target from its query-decoded value: as is when it is an absolute URL,
/// else percent-decoded once more when only that yields one (double-encoded senders).
fn resolve_redirect(value: &str, allowed: &[String]) -> Result<String> {
    let candidate = if parse(value).is_ok() {
        value.to_owned()
    } else {
        match percent_decode(value, false) {
            Some(d) if parse(&d).is_ok() => d,
            _ => return Err(not_allowed("is not an absolute http(s) URL")),
        }
    };
    check_redirect(&candidate, allowed)?;
    Ok(candidate)
}

/// `LearnWorlds.parseCustomSsoRequest(url, { allowedOrigins })`: reads `action` and
/// `redirectUrl` from the request URL (absolute, or just the path and query).
///
/// Errors: empty or bad `allowedOrigins` → `INVALID_CONFIG`; missing, repeated or unknown
/// `action` → `INVALID_INPUT`; a `redirectUrl` that is not an absolute http(s) URL
/// without credentials on an allowed origin (exact origin match), is repeated or badly
/// encoded → `REDIRECT_NOT_ALLOWED`.
pub fn parse_custom_sso_request(url: &str, opts: &Value) -> Result<CustomSsoRequest> {
    let allowed = allowed_origins(opts)?;
    let without_fragment = url.split('#').next().unwrap_or_default();
    let query = without_fragment
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default();
    let mut action: Option<String> = None;
    let mut redirect: Option<String> = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(key) = percent_decode(k, true) else {
            continue;
        };
        match key.as_str() {
            "action" => {
                if action.is_some() {
                    return Err(
                        Error::invalid_input("action", "must appear once").with_vendor(VENDOR)
                    );
                }
                let value = percent_decode(v, true).ok_or_else(|| {
                    Error::invalid_input("action", "is badly encoded").with_vendor(VENDOR)
                })?;
                action = Some(value);
            }
            "redirectUrl" => {
                if redirect.is_some() {
                    return Err(not_allowed("must appear once"));
                }
                let value =
                    percent_decode(v, true).ok_or_else(|| not_allowed("is badly encoded"))?;
                redirect = Some(value);
            }
            _ => {}
        }
    }
    let action =
        action.ok_or_else(|| Error::invalid_input("action", "is required").with_vendor(VENDOR))?;
    if !ACTIONS.contains(&action.as_str()) {
        return Err(Error::invalid_input(
            "action",
            "must be \"login\", \"signup\" or \"passwordreset\"",
        )
        .with_vendor(VENDOR));
    }
    let redirect_url = match redirect.as_deref() {
        None | Some("") => None,
        Some(r) => Some(resolve_redirect(r, &allowed)?),
    };
    Ok(CustomSsoRequest {
        action,
        redirect_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::url::encode_component;
    use serde_json::json;

    fn opts() -> Value {
        json!({"allowedOrigins": ["https://School.com", "http://localhost:3000/"]})
    }

    fn page(redirect_raw: &str) -> String {
        format!("https://integrator.example/sso?action=login&redirectUrl={redirect_raw}")
    }

    fn parse_once(target: &str) -> Result<CustomSsoRequest> {
        parse_custom_sso_request(&page(&encode_component(target)), &opts())
    }

    fn parse_twice(target: &str) -> Result<CustomSsoRequest> {
        let twice = encode_component(&encode_component(target));
        parse_custom_sso_request(&page(&twice), &opts())
    }

    #[test]
    fn accepts_allowed_redirects() {
        let r = parse_once("https://school.com/course/1?x=1&y=2").unwrap();
        assert_eq!(r.action, "login");
        assert_eq!(
            r.redirect_url.as_deref(),
            Some("https://school.com/course/1?x=1&y=2")
        );
        for ok in [
            "https://school.com:443/x",
            "HTTPS://SCHOOL.COM/x",
            "https://School.Com",
            "http://localhost:3000/back",
        ] {
            assert_eq!(
                parse_once(ok).unwrap().redirect_url.as_deref(),
                Some(ok),
                "{ok}"
            );
            // Double-encoded senders are decoded once more.
            assert_eq!(
                parse_twice(ok).unwrap().redirect_url.as_deref(),
                Some(ok),
                "{ok}"
            );
        }
        // Unencoded in the query (only '&'-free URLs survive that).
        let r = parse_custom_sso_request(
            "/sso?redirectUrl=https://school.com/a&action=signup",
            &opts(),
        )
        .unwrap();
        assert_eq!(r.action, "signup");
        assert_eq!(r.redirect_url.as_deref(), Some("https://school.com/a"));
    }

    #[test]
    fn absent_redirect_is_null() {
        for url in [
            "https://i.example/sso?action=passwordreset",
            "https://i.example/sso?action=passwordreset&redirectUrl=",
            "?action=passwordreset#redirectUrl=https://evil.com",
        ] {
            let r = parse_custom_sso_request(url, &opts()).unwrap();
            assert_eq!(
                serde_json::to_value(&r).unwrap(),
                json!({"action": "passwordreset", "redirectUrl": null}),
                "{url}"
            );
        }
    }

    #[test]
    fn refuses_open_redirects() {
        for bad in [
            "//evil.com",
            "//school.com",
            "/relative",
            "https://school.com.evil.com",
            "https://school.com.evil.com/x",
            "https://evil.com",
            "javascript:alert(1)",
            "JavaScript:alert(1)//https://school.com",
            "https://school.com@evil.com",
            "https://user:pw@school.com/",
            "https://school.com\\@evil.com",
            "https:/\\evil.com",
            "https:\\\\evil.com",
            "https:evil.com",
            "https:///evil.com",
            "http://school.com/",
            "https://school.com:8443/",
            "ftp://school.com/",
            "data:text/html,hi",
            "https://school.com%40evil.com",
            "https://school.com%2F@evil.com",
            "https://school.com\t.evil.com",
            " https://school.com",
            "https://school.com\n",
            "https://evil.com/?https://school.com",
        ] {
            for (label, r) in [("once", parse_once(bad)), ("twice", parse_twice(bad))] {
                let e = r.unwrap_err();
                assert_eq!(e.code, ErrorCode::RedirectNotAllowed, "{label}: {bad:?}");
                assert!(!e.message.contains("evil"));
            }
        }
        // Triple encoding is not unwrapped.
        let thrice = encode_component(&encode_component(&encode_component("https://school.com/")));
        assert_eq!(
            parse_custom_sso_request(&page(&thrice), &opts())
                .unwrap_err()
                .code,
            ErrorCode::RedirectNotAllowed
        );
        // Raw (unencoded) tricks in the query.
        for raw in [
            "//evil.com",
            "https://school.com@evil.com",
            "https:/%5Cevil.com",
            "https://school.com%5C@evil.com",
            "https%3A%2F%2Fschool.com%5C%40evil.com",
            "%252F%252Fevil.com",
            "https://school.com%ZZ",
            "https%3A%2F%2Fschool.com+.evil.com",
        ] {
            let e = parse_custom_sso_request(&page(raw), &opts()).unwrap_err();
            assert_eq!(e.code, ErrorCode::RedirectNotAllowed, "{raw}");
        }
        let e = parse_custom_sso_request(
            &format!(
                "{}&redirectUrl=https%3A%2F%2Fschool.com",
                page("https%3A%2F%2Fschool.com")
            ),
            &opts(),
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::RedirectNotAllowed);
    }

    #[test]
    fn actions() {
        for a in ACTIONS {
            let r = parse_custom_sso_request(&format!("/x?action={a}"), &opts()).unwrap();
            assert_eq!(r.action, a);
        }
        for url in [
            "/x",
            "/x?action=",
            "/x?action=logout",
            "/x?action=Login",
            "/x?action=login&action=signup",
            "/x?redirectUrl=https%3A%2F%2Fschool.com",
        ] {
            let e = parse_custom_sso_request(url, &opts()).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{url}");
        }
    }

    #[test]
    fn allowed_origins_config() {
        for o in [
            json!({}),
            json!({"allowedOrigins": []}),
            json!({"allowedOrigins": "https://school.com"}),
            json!({"allowedOrigins": [1]}),
            json!({"allowedOrigins": ["school.com"]}),
            json!({"allowedOrigins": ["https://school.com/path"]}),
            json!({"allowedOrigins": ["https://u@school.com"]}),
            json!({"allowedOrigins": ["javascript://x"]}),
            json!(null),
        ] {
            let e = parse_custom_sso_request("/x?action=login", &o).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{o}");
        }
    }
}
