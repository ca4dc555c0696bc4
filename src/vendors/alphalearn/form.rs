//! The browser hand-off into a course: `POST https://{domain}/site/login-by-jwt-token` as an
//! ordinary urlencoded form, built as data ([`login_by_jwt_form`]) or as a complete
//! auto-submitting page ([`render_auto_submit_form`]), from JSON input. The rules and the
//! page are [`crate::handoff`]'s, which the small `lms-bridge/handoff` module shares.

use serde_json::Value;

use crate::core::input::Fields;
use crate::error::Result;
use crate::handoff::{self, enrollment_id_from_digits, enrollment_id_from_number};

pub use crate::handoff::{CheckedForm, JwtForm, JwtFormFields};

/// `AlphaLearn.loginByJwtForm({ domain, token, type, enrollmentId })`: `domain` a bare
/// host name (loopback → `http://`), `token` non-empty, `type` `"admin"` → `"1"` or
/// `"trainee"` → `"2"`, `enrollmentId` a positive safe integer or a digit string. Anything
/// else → `INVALID_INPUT` naming the field.
pub fn login_by_jwt_form(input: &Value) -> Result<JwtForm> {
    let f = Fields::new(input, "input")?;
    let domain = f.non_empty("domain")?;
    handoff::check_domain(domain)?;
    let token = f.non_empty("token")?;
    let kind = handoff::form_type(f.str("type")?)?;
    let enrollment_id = match f.get("enrollmentId") {
        // A JS number may arrive as a float with no fraction (12555.0).
        Some(Value::Number(n)) => enrollment_id_from_number(n.as_f64().unwrap_or(f64::NAN))?,
        Some(Value::String(s)) => enrollment_id_from_digits(s)?,
        _ => return Err(handoff::bad_enrollment_id()),
    };
    Ok(handoff::jwt_form(domain, token, kind, enrollment_id))
}

/// `renderAutoSubmitForm(form, { nonce? })` ([`handoff::render_auto_submit_form`]) of a
/// [`JwtForm`]-shaped object (any string field names), checked by [`check_form`].
pub fn render_auto_submit_form(form: &Value, nonce: Option<&str>) -> Result<String> {
    handoff::render_auto_submit_form(&check_form(form)?, nonce)
}

/// Validates a [`JwtForm`]-shaped object: `method` `"POST"` (any case), `action` an https
/// URL (http only on loopback) without credentials, `fields` an object of strings (any
/// names). Anything else → `INVALID_INPUT` naming the field.
pub fn check_form(form: &Value) -> Result<CheckedForm> {
    let f = Fields::new(form, "form")?;
    handoff::check_method(f.str("method").map_err(|_| handoff::must_post())?)?;
    let action = f.str("action").map_err(|_| handoff::bad_action())?;
    handoff::check_action(action)?;
    let Some(Value::Object(fields)) = f.get("fields") else {
        return Err(handoff::fields_not_object());
    };
    let fields = fields
        .iter()
        .map(|(name, value)| match value {
            Value::String(v) => Ok((name.clone(), v.as_str().into())),
            _ => Err(handoff::field_not_string()),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CheckedForm {
        action: action.to_owned(),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    /// `text` escaped as the page escapes it.
    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    }

    fn input() -> Value {
        json!({"domain": "lms.example.com", "token": "jwt.a.b", "type": "trainee",
               "enrollmentId": 12555})
    }

    #[test]
    fn form_builder_shape() {
        let form = login_by_jwt_form(&input()).unwrap();
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            json!({
                "action": "https://lms.example.com/site/login-by-jwt-token",
                "method": "POST",
                "fields": {"token": "jwt.a.b", "type": "2", "inputData": "{\"enrollmentId\":12555}"}
            })
        );
        assert!(!format!("{form:?}").contains("jwt.a.b"));

        let mut i = input();
        i["type"] = json!("admin");
        i["enrollmentId"] = json!("42");
        i["domain"] = json!("localhost:8080");
        let form = login_by_jwt_form(&i).unwrap();
        assert_eq!(form.action, "http://localhost:8080/site/login-by-jwt-token");
        assert_eq!(form.fields.kind, "1");
        assert_eq!(form.fields.input_data, r#"{"enrollmentId":42}"#);

        i["domain"] = json!("127.0.0.1");
        i["enrollmentId"] = json!(12555.0);
        let form = login_by_jwt_form(&i).unwrap();
        assert_eq!(form.action, "http://127.0.0.1/site/login-by-jwt-token");
        assert_eq!(form.fields.input_data, r#"{"enrollmentId":12555}"#);

        i["domain"] = json!("lms.example.com:8443");
        i["enrollmentId"] = json!(9_007_199_254_740_991_u64);
        let form = login_by_jwt_form(&i).unwrap();
        assert_eq!(
            form.action,
            "https://lms.example.com:8443/site/login-by-jwt-token"
        );
        assert_eq!(
            form.fields.input_data,
            r#"{"enrollmentId":9007199254740991}"#
        );
    }

    #[test]
    fn form_builder_invalid_input() {
        for (key, bad) in [
            ("domain", json!("https://lms.example.com")),
            ("domain", json!("evil.com/x")),
            ("domain", json!("evil.com@lms.example.com")),
            ("domain", json!("")),
            ("domain", json!(null)),
            ("token", json!("")),
            ("token", json!(null)),
            ("token", json!(7)),
            ("type", json!("1")),
            ("type", json!("Admin")),
            ("type", json!(null)),
            ("enrollmentId", json!(0)),
            ("enrollmentId", json!(-5)),
            ("enrollmentId", json!(1.5)),
            ("enrollmentId", json!(9_007_199_254_740_992_u64)),
            ("enrollmentId", json!("12a")),
            ("enrollmentId", json!("")),
            ("enrollmentId", json!("-1")),
            ("enrollmentId", json!("0")),
            ("enrollmentId", json!(" 1")),
            ("enrollmentId", json!(null)),
            ("enrollmentId", json!(true)),
        ] {
            let mut i = input();
            i[key] = bad.clone();
            let e = login_by_jwt_form(&i).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{key} {bad}");
            assert!(e.message.contains(&format!("`{key}`")), "{}", e.message);
            assert!(!e.message.contains("jwt.a.b"));
        }
        assert_eq!(
            login_by_jwt_form(&json!("x")).unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }

    fn form_value() -> Value {
        serde_json::to_value(login_by_jwt_form(&input()).unwrap()).unwrap()
    }

    #[test]
    fn rendered_page_structure() {
        let page = render_auto_submit_form(&form_value(), Some("r4nd0m+/=_-")).unwrap();
        assert!(page.starts_with("<!doctype html>\n"));
        assert!(page.contains("<meta name=\"referrer\" content=\"no-referrer\">"));
        assert!(page.contains(
            "<form id=\"lms-bridge-form\" method=\"post\" action=\"https://lms.example.com/site/login-by-jwt-token\">"
        ));
        assert!(page.contains("<input type=\"hidden\" name=\"token\" value=\"jwt.a.b\">"));
        assert!(page.contains("<input type=\"hidden\" name=\"type\" value=\"2\">"));
        assert!(page.contains(
            "<input type=\"hidden\" name=\"inputData\" value=\"{&quot;enrollmentId&quot;:12555}\">"
        ));
        assert!(page.contains("<noscript>"));
        assert!(page.contains("<button type=\"submit\">Continue</button>"));
        let script_line = page.lines().find(|l| l.starts_with("<script")).unwrap();
        assert_eq!(
            script_line,
            "<script nonce=\"r4nd0m+/=_-\">HTMLFormElement.prototype.submit.call(document.getElementById(\"lms-bridge-form\"));</script>"
        );
        assert_eq!(page.matches("<script").count(), 1);
        assert!(!page.contains(" on"), "no inline handlers");
        assert!(page.ends_with("</html>\n"));

        let page = render_auto_submit_form(&form_value(), None).unwrap();
        assert!(page.contains("\n<script>HTMLFormElement.prototype.submit.call("));
        assert!(!page.contains("nonce"));

        // Loopback http action and lower-case method accepted; any field names.
        let form = json!({"action": "http://localhost:3000/site/login-by-jwt-token",
                          "method": "post", "fields": {"a b": "1", "submit": "x"}});
        let page = render_auto_submit_form(&form, None).unwrap();
        assert!(page.contains("name=\"a b\" value=\"1\""));
        assert!(page.contains("name=\"submit\" value=\"x\""));
    }

    /// Everything between `<form` and `<noscript>` must be tags we wrote: each line an
    /// `<input type="hidden" name="…" value="…">` whose quoted values contain no raw `"`,
    /// `'`, `<` or `>`.
    fn assert_inert(page: &str, payloads: &[&str]) {
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert_eq!(page.matches("</script>").count(), 1);
        assert_eq!(page.matches("<form").count(), 1);
        assert_eq!(page.matches("</form>").count(), 1);
        assert_eq!(page.matches("<noscript>").count(), 1);
        for line in page.lines() {
            if let Some(rest) = line.strip_prefix("<input type=\"hidden\" name=\"") {
                let (name, rest) = rest.split_once('"').unwrap();
                let rest = rest.strip_prefix(" value=\"").unwrap();
                let (value, end) = rest.split_once('"').unwrap();
                assert_eq!(end, ">", "{line}");
                for part in [name, value] {
                    assert!(!part.contains(['<', '>', '\'', '"']), "{line}");
                }
            }
        }
        for p in payloads {
            if p.contains(['<', '>', '"', '\'', '&']) {
                assert!(!page.contains(p), "raw payload {p} in page");
            }
        }
    }

    const XSS: [&str; 8] = [
        "\"><script>alert(1)</script>",
        "' onmouseover='alert(1)",
        "\" onmouseover=\"alert(1)",
        "</form><form action=\"https://evil.example\">",
        "</noscript><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&quot;><svg onload=alert(1)>",
        "</script><script>alert(1)</script>",
    ];

    #[test]
    fn xss_in_every_field_name_and_value_stays_inert() {
        for p in XSS {
            for field in ["token", "type", "inputData"] {
                let mut form = form_value();
                form["fields"][field] = json!(p);
                let page = render_auto_submit_form(&form, Some("n0nce")).unwrap();
                assert_inert(&page, &[p]);
                assert!(page.contains(&escape(p)));
            }
            let mut form = form_value();
            form["fields"][p] = json!(p);
            let page = render_auto_submit_form(&form, None).unwrap();
            assert_inert(&page, &[p]);
            assert_eq!(page.matches(&escape(p)).count(), 2);
        }
        // Through the builder too: the token is arbitrary text.
        for p in XSS {
            let mut i = input();
            i["token"] = json!(p);
            let form = serde_json::to_value(login_by_jwt_form(&i).unwrap()).unwrap();
            let page = render_auto_submit_form(&form, Some("abc")).unwrap();
            assert_inert(&page, &[p]);
        }
    }

    #[test]
    fn xss_in_the_action_is_refused_or_escaped() {
        for p in XSS {
            let mut form = form_value();
            form["action"] = json!(p);
            let e = render_auto_submit_form(&form, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
            // Inside the path of a valid URL, it is escaped (or refused for whitespace).
            let mut form = form_value();
            form["action"] = json!(format!("https://lms.example.com/x{p}"));
            match render_auto_submit_form(&form, None) {
                Ok(page) => {
                    assert_inert(&page, &[p]);
                    let form_line = page.lines().find(|l| l.starts_with("<form")).unwrap();
                    let action = form_line
                        .strip_prefix("<form id=\"lms-bridge-form\" method=\"post\" action=\"")
                        .unwrap()
                        .strip_suffix("\">")
                        .unwrap();
                    assert!(!action.contains(['<', '>', '\'', '"']), "{form_line}");
                }
                Err(e) => assert_eq!(e.code, ErrorCode::InvalidInput),
            }
        }
    }

    #[test]
    fn invalid_forms_and_nonces() {
        let good = form_value();
        let mut cases: Vec<(Value, &str)> = vec![(json!("x"), "form")];
        for (key, bad, field) in [
            ("method", json!("GET"), "form.method"),
            ("method", json!(null), "form.method"),
            ("method", json!(1), "form.method"),
            (
                "action",
                json!("http://lms.example.com/site/login-by-jwt-token"),
                "form.action",
            ),
            ("action", json!("javascript:alert(1)"), "form.action"),
            ("action", json!("data:text/html,x"), "form.action"),
            ("action", json!("//lms.example.com/x"), "form.action"),
            ("action", json!("/site/login-by-jwt-token"), "form.action"),
            (
                "action",
                json!("https://u:p@lms.example.com/x"),
                "form.action",
            ),
            ("action", json!(null), "form.action"),
            ("fields", json!(null), "form.fields"),
            ("fields", json!(["a"]), "form.fields"),
            ("fields", json!({"token": 5}), "form.fields"),
            ("fields", json!({"token": null}), "form.fields"),
            ("fields", json!({"token": {"a": "b"}}), "form.fields"),
        ] {
            let mut f = good.clone();
            f[key] = bad;
            cases.push((f, field));
        }
        for (form, field) in cases {
            let e = render_auto_submit_form(&form, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{form}");
            assert!(e.message.contains(&format!("`{field}`")), "{}", e.message);
        }
        let long = "a".repeat(129);
        for bad in [
            "",
            "a b",
            "a\"b",
            "a'b",
            "<x>",
            "n;o",
            "é",
            "a\nb",
            long.as_str(),
        ] {
            let e = render_auto_submit_form(&good, Some(bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(e.message.contains("`nonce`"));
        }
        assert!(render_auto_submit_form(&good, Some(&"a".repeat(128))).is_ok());
    }
}
