//! The browser hand-off into a vendor's course or app, over typed input: AlphaLearn's
//! login-by-JWT form ([`jwt_form`]) and the page that posts it
//! ([`render_auto_submit_form`]), and Teach on Mars' app deep link ([`deep_link`]).
//!
//! Compiled into every build. The vendor clients read their JSON input into these
//! (`vendors::alphalearn::form`, `vendors::teach_on_mars`); the small module behind
//! `lms-bridge/handoff` reads its input from the lean boundary's buffer (`signing::wire`).
//! Both get the same rules and the same messages from here.

use serde::Serialize;

use crate::core::secret::{exposed, Secret};
use crate::core::text::{concat, decimal, parse_digits};
use crate::core::url;
use crate::error::{Error, Result};

pub mod wire;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// The `id` of the rendered form (the submit script looks it up).
const FORM_ID: &str = "lms-bridge-form";

/// API.md's `{ action, method: "POST", fields: { token, type, inputData } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JwtForm {
    /// `https://{domain}/site/login-by-jwt-token` (`http://` for loopback domains).
    pub action: String,
    /// Always `"POST"`.
    pub method: &'static str,
    /// The form fields.
    pub fields: JwtFormFields,
}

/// The fields of a [`JwtForm`], all strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtFormFields {
    /// The user's JWT (a bearer credential).
    #[serde(serialize_with = "exposed")]
    pub token: Secret<String>,
    /// `"1"` for `admin` (admin/manager), `"2"` for `trainee`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Exactly `{"enrollmentId":<id>}`.
    pub input_data: String,
}

/// A bare host name: dot-separated labels of ASCII letters, digits and `-` (no empty label,
/// no label starting or ending with `-`), at most 253 characters, with an optional
/// `:port` (1–65535). No scheme, path, userinfo, brackets or whitespace.
pub fn is_bare_host(value: &str) -> bool {
    let (host, port) = match value.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (value, None),
    };
    let port_ok = match port {
        None => true,
        Some(p) => p.len() <= 5 && parse_digits(p).is_some_and(|n| (1..=65535).contains(&n)),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    port_ok && host_ok
}

/// `loginByJwtForm`'s `domain` (already a non-empty string): a bare host name.
pub fn check_domain(domain: &str) -> Result<()> {
    if is_bare_host(domain) {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "domain",
            "must be a bare host name (letters, digits, `-`, `.`, optional `:port`)",
        ))
    }
}

/// `loginByJwtForm`'s `type` as the form sends it: `"admin"` → `"1"`, `"trainee"` → `"2"`.
pub fn form_type(kind: &str) -> Result<&'static str> {
    match kind {
        "admin" => Ok("1"),
        "trainee" => Ok("2"),
        _ => Err(Error::invalid_input(
            "type",
            "must be \"admin\" or \"trainee\"",
        )),
    }
}

/// Why an `enrollmentId` is refused.
pub fn bad_enrollment_id() -> Error {
    Error::invalid_input(
        "enrollmentId",
        "must be a positive safe integer (or a string of digits)",
    )
}

/// An `enrollmentId` given as a number: a positive safe integer (`12555.0` too).
pub fn enrollment_id_from_number(n: f64) -> Result<u64> {
    if n.fract() == 0.0 && n >= 1.0 && n <= MAX_SAFE_INTEGER as f64 {
        Ok(n as u64)
    } else {
        Err(bad_enrollment_id())
    }
}

/// An `enrollmentId` given as a string: ASCII digits only, for a positive safe integer.
pub fn enrollment_id_from_digits(s: &str) -> Result<u64> {
    // Leading zeros, however many, are no part of the value (`parse_digits`).
    parse_digits(s)
        .and_then(|n| u64::try_from(n).ok())
        .filter(|n| (1..=MAX_SAFE_INTEGER).contains(n))
        .ok_or_else(bad_enrollment_id)
}

/// The form of `AlphaLearn.loginByJwtForm` from checked parts: `domain` ([`check_domain`]),
/// a non-empty `token`, `kind` from [`form_type`] and an enrollment id.
pub fn jwt_form(domain: &str, token: &str, kind: &'static str, enrollment_id: u64) -> JwtForm {
    JwtForm {
        action: jwt_form_action(domain),
        method: "POST",
        fields: JwtFormFields {
            token: token.to_owned().into(),
            kind,
            input_data: jwt_form_input_data(enrollment_id),
        },
    }
}

/// The form's `action`: `https://{domain}/site/login-by-jwt-token`, `http://` for a
/// loopback host.
pub fn jwt_form_action(domain: &str) -> String {
    let host = domain.split(':').next().unwrap_or_default();
    let scheme = if url::is_loopback_host(host) {
        "http"
    } else {
        "https"
    };
    concat(&[scheme, "://", domain, "/site/login-by-jwt-token"])
}

/// The form's `inputData`: exactly `{"enrollmentId":<id>}`.
pub fn jwt_form_input_data(enrollment_id: u64) -> String {
    // At most `MAX_SAFE_INTEGER`: an `i64`.
    let id = i64::try_from(enrollment_id).unwrap_or(i64::MAX);
    concat(&["{\"enrollmentId\":", &decimal(id), "}"])
}

/// A form checked for posting: what [`render_auto_submit_form`] renders and the browser
/// helper `submitForm` builds with DOM calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedForm {
    /// The https (or loopback http) action, without credentials.
    pub action: String,
    /// The fields in the order given, names and values as strings.
    pub fields: Vec<(String, Secret<String>)>,
}

/// A form's `method` (a string): `"POST"`, in any case.
pub fn check_method(method: &str) -> Result<()> {
    if method.eq_ignore_ascii_case("POST") {
        Ok(())
    } else {
        Err(must_post())
    }
}

/// Why a form's `method` is refused (also when it is not a string).
pub fn must_post() -> Error {
    Error::invalid_input("form.method", "must be \"POST\"")
}

/// A form's `action` (a string): an absolute https URL (http only on loopback) without
/// credentials.
pub fn check_action(action: &str) -> Result<()> {
    match url::parse(action) {
        Ok(u) if u.is_secure_or_loopback() && !u.has_userinfo => Ok(()),
        _ => Err(bad_action()),
    }
}

/// Why a form's `action` is refused (also when it is not a string).
pub fn bad_action() -> Error {
    Error::invalid_input(
        "form.action",
        "must be an absolute https URL (http only on loopback) without credentials",
    )
}

/// Why a form's `fields` are refused: not an object.
pub fn fields_not_object() -> Error {
    Error::invalid_input("form.fields", "must be an object of strings")
}

/// Why a form's `fields` are refused: a value that is not a string.
pub fn field_not_string() -> Error {
    Error::invalid_input("form.fields", "must hold only string values")
}

/// Whether a CSP nonce matches `[A-Za-z0-9+/=_-]{1,128}`.
fn is_valid_nonce(nonce: &str) -> bool {
    (1..=128).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'))
}

/// Appends `text` escaped for an HTML attribute value or text: `& < > " '`.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text` escaped for HTML ([`escape_into`]).
#[cfg(test)]
fn escape(text: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, text);
    out
}

/// `renderAutoSubmitForm(form, { nonce? })`: a complete HTML page that POSTs `form` as soon as
/// it loads.
///
/// The page has `<!doctype html>`, `<meta name="referrer" content="no-referrer">`, the form
/// with every attribute value escaped (`& < > " '`), a `<noscript>` submit button, and a
/// one-line submit script (with `nonce="…"` when given) that works under a CSP of
/// `script-src 'nonce-…'` (no inline handlers) and even when a field is named `submit`.
/// Serve it with `Cache-Control: no-store`: it carries a bearer JWT. A nonce that does not
/// match `[A-Za-z0-9+/=_-]{1,128}` → `INVALID_INPUT`.
pub fn render_auto_submit_form(form: &CheckedForm, nonce: Option<&str>) -> Result<String> {
    if let Some(n) = nonce {
        if !is_valid_nonce(n) {
            return Err(Error::invalid_input(
                "nonce",
                "must match [A-Za-z0-9+/=_-]{1,128}",
            ));
        }
    }
    let mut page = String::with_capacity(1024);
    page.push_str(
        "<!doctype html>\n\
<html lang=\"en\">\n\
<head>\n\
<meta charset=\"utf-8\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<meta name=\"robots\" content=\"noindex, nofollow\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Signing you in…</title>\n\
</head>\n\
<body>\n",
    );
    page.push_str(concat(&["<form id=\"", FORM_ID, "\" method=\"post\" action=\""]).as_str());
    escape_into(&mut page, &form.action);
    page.push_str("\">\n");
    for (name, value) in &form.fields {
        page.push_str("<input type=\"hidden\" name=\"");
        escape_into(&mut page, name);
        page.push_str("\" value=\"");
        escape_into(&mut page, value.as_str());
        page.push_str("\">\n");
    }
    page.push_str(
        "<noscript><p>Continue to your course:</p><button type=\"submit\">Continue</button></noscript>\n\
</form>\n\
<script",
    );
    if let Some(n) = nonce {
        page.push_str(" nonce=\"");
        escape_into(&mut page, n);
        page.push('"');
    }
    page.push_str(
        concat(&[
            ">HTMLFormElement.prototype.submit.call(document.getElementById(\"",
            FORM_ID,
            "\"));</script>\n</body>\n</html>\n",
        ])
        .as_str(),
    );
    Ok(page)
}

/// The app's URL scheme when none is configured.
pub const DEFAULT_DEEP_LINK_SCHEME: &str = "com.teachonmars";

/// What a deep-link scheme must be (for messages).
pub const SCHEME_RULE: &str =
    "must match ^[A-Za-z][A-Za-z0-9+.-]*$ and not be javascript, data, vbscript, file, http or https";

/// The deep-link scheme rule of vendor §5: `^[A-Za-z][A-Za-z0-9+.-]*$`, and not
/// `javascript`, `data`, `vbscript` or `file` (any case); nor `http`/`https`, which would
/// hand the auth token to whatever web host the link names instead of the app.
pub fn scheme_ok(scheme: &str) -> bool {
    let mut chars = scheme.chars();
    let syntax = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    syntax
        && !["javascript", "data", "vbscript", "file", "http", "https"]
            .iter()
            .any(|bad| scheme.eq_ignore_ascii_case(bad))
}

/// `TeachOnMars.deepLink`: `{scheme}://globals.login?authToken=<encodeURIComponent(token)>
/// &profileCreation=true|false|null`. `scheme` defaults to `com.teachonmars`. Empty token
/// or bad scheme → `INVALID_INPUT`.
pub fn deep_link(
    auth_token: &str,
    profile_creation: Option<bool>,
    scheme: Option<&str>,
) -> Result<String> {
    if auth_token.is_empty() {
        return Err(Error::invalid_input("authToken", "must not be empty"));
    }
    let scheme = scheme.unwrap_or(DEFAULT_DEEP_LINK_SCHEME);
    if !scheme_ok(scheme) {
        return Err(Error::invalid_input("scheme", SCHEME_RULE));
    }
    let creation = match profile_creation {
        Some(true) => "true",
        Some(false) => "false",
        None => "null",
    };
    Ok(concat(&[
        scheme,
        "://globals.login?authToken=",
        &url::encode_component(auth_token),
        "&profileCreation=",
        creation,
    ]))
}

/// Checks a link given to `openTeachOnMarsApp`: only `{scheme}://globals.login?…` links
/// with a scheme accepted by [`scheme_ok`] and no whitespace or control characters; else
/// `INVALID_INPUT` (the link itself, which holds a token, is never echoed).
pub fn check_open_app_link(link: &str) -> Result<()> {
    let bad = || {
        Error::invalid_input(
            "deepLink",
            "must be a Teach on Mars app link ({scheme}://globals.login?…)",
        )
    };
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    // The scheme ends at the first `:` (a scheme holds none); by a byte search, not a
    // substring searcher (2 KB of the hand-off module).
    let (scheme, rest) = link.split_once(':').ok_or_else(bad)?;
    if !scheme_ok(scheme) || !rest.starts_with("//globals.login?") {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn bare_hosts() {
        for ok in [
            "lms.example.com",
            "localhost",
            "localhost:8080",
            "lms.example.com:00080",
            "127.0.0.1:3000",
            "a-b.c1.io",
            "LMS.Example.COM",
        ] {
            assert!(is_bare_host(ok), "{ok}");
        }
        for bad in [
            "",
            "lms.example.com.",
            ".lms.example.com",
            "lms..example.com",
            "-lms.example.com",
            "lms.example.com:",
            "lms.example.com:0",
            "lms.example.com:65536",
            "lms.example.com:80:80",
            "lms.example.com/x",
            "lms example.com",
            "[::1]",
            "evil.com#.lms.example.com",
            "evil.com?x",
            "user@host",
            "lms_example.com",
            "lms.exämple.com",
        ] {
            assert!(!is_bare_host(bad), "{bad}");
        }
        assert!(!is_bare_host(&"a".repeat(64)));
        assert!(!is_bare_host(&format!("{}.com", "a.".repeat(130))));
    }

    #[test]
    fn enrollment_ids() {
        assert_eq!(enrollment_id_from_number(12555.0).unwrap(), 12555);
        assert_eq!(
            enrollment_id_from_number(9_007_199_254_740_991.0).unwrap(),
            MAX_SAFE_INTEGER
        );
        assert_eq!(enrollment_id_from_digits("00042").unwrap(), 42);
        assert_eq!(
            enrollment_id_from_digits(&format!("{}1", "0".repeat(30))).unwrap(),
            1
        );
        assert_eq!(
            enrollment_id_from_digits("9007199254740991").unwrap(),
            MAX_SAFE_INTEGER
        );
        for n in [
            0.0,
            -1.0,
            1.5,
            9_007_199_254_740_992.0,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(
                enrollment_id_from_number(n).unwrap_err().code,
                ErrorCode::InvalidInput,
                "{n}"
            );
        }
        for s in [
            "",
            "0",
            "-1",
            "+1",
            " 1",
            "1e3",
            "12a",
            "9007199254740992",
            "99999999999999999999999",
        ] {
            let e = enrollment_id_from_digits(s).unwrap_err();
            assert!(e.message.starts_with("`enrollmentId`"), "{s}");
        }
    }

    #[test]
    fn the_page_escapes_what_it_holds() {
        let form = CheckedForm {
            action: "https://lms.example.com/x?a=1&b=\"2\"".into(),
            fields: vec![("<n>".into(), "'v' & \"w\"".to_owned().into())],
        };
        let page = render_auto_submit_form(&form, Some("abc")).unwrap();
        assert!(page.contains("action=\"https://lms.example.com/x?a=1&amp;b=&quot;2&quot;\">"));
        assert!(page.contains(
            "<input type=\"hidden\" name=\"&lt;n&gt;\" value=\"&#39;v&#39; &amp; &quot;w&quot;\">"
        ));
        assert_eq!(escape("<&>\"'"), "&lt;&amp;&gt;&quot;&#39;");
    }

    #[test]
    fn deep_links() {
        assert_eq!(
            deep_link("a+b/c=d&e", Some(true), None).unwrap(),
            "com.teachonmars://globals.login?authToken=a%2Bb%2Fc%3Dd%26e&profileCreation=true"
        );
        assert_eq!(
            deep_link("tok", Some(false), Some("com.acme.app")).unwrap(),
            "com.acme.app://globals.login?authToken=tok&profileCreation=false"
        );
        assert_eq!(
            deep_link("t k", None, None).unwrap(),
            "com.teachonmars://globals.login?authToken=t%20k&profileCreation=null"
        );
        let e = deep_link("", Some(true), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.starts_with("`authToken`"));
        for bad in [
            "javascript",
            "JavaScript",
            "data",
            "vbscript",
            "FILE",
            "http",
            "HTTPS",
            "",
            "1abc",
            "a b",
            "a:b",
            "a/b",
            "é",
        ] {
            let e = deep_link("secret-tok", None, Some(bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(!e.message.contains("secret-tok"));
        }
        for good in [
            "a",
            "com.teachonmars",
            "x+y-z.1",
            "javascript2",
            "https2",
            "web+tom",
        ] {
            assert!(deep_link("t", None, Some(good)).is_ok(), "{good}");
        }
    }

    #[test]
    fn open_app_links() {
        let link = deep_link("a+b/c=", Some(true), None).unwrap();
        assert!(check_open_app_link(&link).is_ok());
        assert!(check_open_app_link("com.acme.app://globals.login?authToken=x").is_ok());
        for bad in [
            "javascript://globals.login?x=%0Aalert(1)",
            "data://globals.login?x",
            "http://globals.login?authToken=x",
            "https://globals.login?authToken=x",
            "HTTPS://globals.login?authToken=x",
            "com.teachonmars://globals.logout?authToken=x",
            "com.teachonmars://evil.com/globals.login?authToken=x",
            "com.teachonmars:globals.login?authToken=x",
            "com.teachonmars://globals.login",
            "com.teachonmars://globals.login?authToken=a b",
            "//globals.login?x",
            "",
        ] {
            let e = check_open_app_link(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(!e.message.contains("authToken="));
        }
    }
}
