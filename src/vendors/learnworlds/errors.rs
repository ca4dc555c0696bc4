//! LearnWorlds error bodies (vendor §5): `{"errors":[{"code","context","message"}],
//! "success":false}` and `{"error":"…"}`, in any status, a 200 included.

use serde_json::{Map, Value};

use super::VENDOR;
use crate::core::http::HttpResponse;
use crate::core::json::{non_empty_str, redacted_text, string_or_number};
use crate::error::{Error, ErrorCode, Result};
use crate::vendors::{malformed, status_error, vendor_error, VendorFault};

/// The `context` that marks a refused (e.g. expired) app token.
pub(crate) const ACCESS_DENIED: &str = "access_denied";

/// Whether an error is LearnWorlds' refusal of the app token (HTTP 400 or 401 with an
/// `errors[]` entry whose `context` is `access_denied`): the shared bearer client
/// ([`crate::transport::bearer`]) then discards the token, fetches a fresh one and repeats
/// the call once (only for app-token calls such as `sso`, never for `userSso`, and only
/// with a `clientSecret`); a second refusal is returned as is (`AUTH_FAILED`, `vendorCode`
/// `access_denied`).
pub fn is_access_denied(err: &Error) -> bool {
    err.vendor == Some(VENDOR)
        && err.code == ErrorCode::AuthFailed
        && matches!(err.status, Some(400 | 401))
        && err.vendor_code.as_deref() == Some(ACCESS_DENIED)
}

/// Whether a response is LearnWorlds' refusal of the app token (see [`is_access_denied`]):
/// what the client checks before discarding its token and repeating a call once.
pub fn is_access_denied_response(resp: &HttpResponse) -> bool {
    check_raw(resp, false).is_err_and(|e| is_access_denied(&e))
}

/// The entries of `errors[]`, if the body has that array.
fn error_entries(body: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    match body.get("errors") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// What an error body says: the vendor code (`access_denied` if any entry says so, else
/// the first entry's `context`, else its `code` as text) and message.
fn fault(body: &Map<String, Value>) -> (VendorFault, bool) {
    let entries = error_entries(body);
    let denied = entries
        .iter()
        .any(|e| non_empty_str(e, "context") == Some(ACCESS_DENIED));
    let first = entries.first();
    let vendor_code = if denied {
        Some(ACCESS_DENIED.to_owned())
    } else {
        first.and_then(|e| {
            non_empty_str(e, "context")
                .map(str::to_owned)
                .or_else(|| string_or_number(e, "code").filter(|c| !c.is_empty()))
        })
    };
    let message = first
        .and_then(|e| non_empty_str(e, "message"))
        .or_else(|| non_empty_str(body, "error"))
        .or_else(|| non_empty_str(body, "message"))
        .map(str::to_owned);
    let f = VendorFault {
        vendor_code,
        message,
        body: redacted_text(&Value::Object(body.clone()), &[]),
    };
    (f, denied)
}

/// Whether a 2xx body reports an error: `success: false`, or a non-empty `errors[]`
/// without `success: true`, or an `error` text without `success: true`.
fn body_is_error(body: &Map<String, Value>) -> bool {
    match body.get("success") {
        Some(Value::Bool(false)) => true,
        Some(Value::Bool(true)) => false,
        _ => !error_entries(body).is_empty() || non_empty_str(body, "error").is_some(),
    }
}

/// Checks a response: a 2xx JSON object without an error is returned; anything else is
/// mapped per vendor §5. `token_call`: 400/401 from the token route → `AUTH_FAILED`.
/// Every text `secrets()` gives (asked for on failure only) echoed by the vendor is
/// scrubbed from the error.
pub(crate) fn check<'a>(
    resp: &HttpResponse,
    token_call: bool,
    secrets: impl FnOnce() -> Vec<&'a str>,
) -> Result<Map<String, Value>> {
    check_raw(resp, token_call).map_err(|e| e.scrubbed(&secrets()))
}

fn check_raw(resp: &HttpResponse, token_call: bool) -> Result<Map<String, Value>> {
    let status = resp.status;
    let body = match resp.json() {
        Some(Value::Object(map)) => Some(map),
        _ => None,
    };
    if resp.is_success() {
        let Some(body) = body else {
            return Err(malformed(VENDOR, status, "expected a JSON object"));
        };
        if !body_is_error(&body) {
            return Ok(body);
        }
        return Err(fault_error(status, body, token_call));
    }
    match body {
        Some(body) => Err(fault_error(status, body, token_call)),
        None if token_call && matches!(status, 400 | 401) => {
            Err(vendor_error(VENDOR, ErrorCode::AuthFailed, status, None))
        }
        None => Err(status_error(VENDOR, status, None)),
    }
}

/// The error for a body that reports one.
fn fault_error(status: u16, body: Map<String, Value>, token_call: bool) -> Error {
    let (f, denied) = fault(&body);
    if denied || (token_call && matches!(status, 400 | 401)) {
        return vendor_error(VENDOR, ErrorCode::AuthFailed, status, Some(f));
    }
    if (200..300).contains(&status) {
        return vendor_error(VENDOR, ErrorCode::VendorError, status, Some(f));
    }
    status_error(VENDOR, status, Some(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> Error {
        check(&HttpResponse::new(status, body), false, Vec::new).unwrap_err()
    }

    #[test]
    fn both_shapes_and_code_kinds() {
        let e = err(
            400,
            r#"{"errors":[{"code":"400","context":"bad_email","message":"Bad email"}],"success":false}"#,
        );
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.status, Some(400));
        assert_eq!(e.vendor, Some(VENDOR));
        assert_eq!(e.vendor_code.as_deref(), Some("bad_email"));
        assert_eq!(e.message, "LearnWorlds bad_email: Bad email");
        assert!(e.details.is_some());

        // Numeric code, null context → the code as text.
        let e = err(
            422,
            r#"{"errors":[{"code":422,"context":null,"message":"nope"}],"success":false}"#,
        );
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.vendor_code.as_deref(), Some("422"));
        let e = err(
            500,
            r#"{"errors":[{"code":"500","context":null,"message":"x"}],"success":false}"#,
        );
        assert_eq!(e.vendor_code.as_deref(), Some("500"));

        // {"error": "..."}
        let e = err(429, r#"{"error":"Too many requests"}"#);
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert_eq!(e.message, "LearnWorlds (HTTP 429): Too many requests");
        assert!(e.retryable());
        let e = err(500, r#"{"error":"boom"}"#);
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.vendor_code, None);
    }

    #[test]
    fn statuses() {
        assert_eq!(err(401, r#"{"error":"x"}"#).code, ErrorCode::AuthFailed);
        assert_eq!(err(403, "").code, ErrorCode::AuthFailed);
        assert_eq!(err(404, r#"{"error":"x"}"#).code, ErrorCode::NotFound);
        assert_eq!(err(409, r#"{"error":"x"}"#).code, ErrorCode::Conflict);
        let e = err(503, "");
        assert_eq!(e.code, ErrorCode::HttpStatus);
        assert!(e.retryable());
        assert_eq!(
            err(502, "<html>bad gateway</html>").code,
            ErrorCode::HttpStatus
        );
        assert_eq!(err(400, "").code, ErrorCode::HttpStatus);
    }

    #[test]
    fn access_denied_is_auth_failed_and_detected() {
        for status in [400, 401] {
            let e = err(
                status,
                r#"{"errors":[{"code":400,"context":"access_denied","message":"The resource owner or authorization server denied the request."}],"success":false}"#,
            );
            assert_eq!(e.code, ErrorCode::AuthFailed);
            assert_eq!(e.vendor_code.as_deref(), Some("access_denied"));
            assert!(is_access_denied(&e));
        }
        // In a later entry too.
        let e = err(
            400,
            r#"{"errors":[{"code":1,"context":"x"},{"code":"400","context":"access_denied"}]}"#,
        );
        assert!(is_access_denied(&e));
        assert!(!is_access_denied(&err(401, r#"{"error":"x"}"#)));
        assert!(is_access_denied_response(&HttpResponse::new(
            400,
            r#"{"errors":[{"code":400,"context":"access_denied","message":"m"}],"success":false}"#
        )));
        assert!(!is_access_denied_response(&HttpResponse::new(401, "")));
        assert!(!is_access_denied_response(&HttpResponse::new(
            200,
            r#"{"success":true,"url":"https://s.com/","user_id":"1"}"#
        )));
        assert!(!is_access_denied(&err(
            400,
            r#"{"errors":[{"code":400,"context":"other"}]}"#
        )));
        // access_denied in a 200 is an auth failure, but not the retry case.
        let e = err(
            200,
            r#"{"errors":[{"code":400,"context":"access_denied"}],"success":false}"#,
        );
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert!(!is_access_denied(&e));
    }

    #[test]
    fn success_false_in_a_200_is_an_error() {
        let e = err(
            200,
            r#"{"errors":[{"code":"400","context":"invalid","message":"m"}],"success":false}"#,
        );
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.status, Some(200));
        assert_eq!(e.vendor_code.as_deref(), Some("invalid"));
        assert_eq!(
            err(200, r#"{"success":false}"#).code,
            ErrorCode::VendorError
        );
        assert_eq!(err(201, r#"{"error":"x"}"#).code, ErrorCode::VendorError);
        assert!(check(
            &HttpResponse::new(200, r#"{"success":true,"errors":[]}"#),
            false,
            Vec::new
        )
        .is_ok());
        assert!(check(&HttpResponse::new(200, r#"{"url":"x"}"#), false, Vec::new).is_ok());
    }

    #[test]
    fn non_json_2xx_is_malformed() {
        for body in ["", "<html>", "[1]", "\"x\""] {
            let e = err(200, body);
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{body}");
            assert_eq!(e.status, Some(200));
            assert_eq!(e.vendor, Some(VENDOR));
        }
    }

    #[test]
    fn token_route_400_and_401_are_auth_failed() {
        let tok = |status, body: &str| {
            check(&HttpResponse::new(status, body), true, Vec::new).unwrap_err()
        };
        let e = tok(
            400,
            r#"{"errors":[{"code":400,"context":"client_id","message":"Invalid client"}],"success":false}"#,
        );
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert_eq!(e.vendor_code.as_deref(), Some("client_id"));
        assert_eq!(tok(401, "").code, ErrorCode::AuthFailed);
        assert_eq!(tok(400, "").code, ErrorCode::AuthFailed);
        assert_eq!(tok(500, r#"{"error":"x"}"#).code, ErrorCode::VendorError);
    }

    #[test]
    fn details_are_redacted() {
        let e = err(
            400,
            r#"{"errors":[{"code":400,"context":"x"}],"access_token":"tok123","password":"pw"}"#,
        );
        let d = e.details.as_deref().unwrap().to_string();
        assert!(!d.contains("tok123") && !d.contains("pw\""));
        // Echoed configured secrets are scrubbed from message and details.
        let e = check(
            &HttpResponse::new(
                400,
                r#"{"errors":[{"code":400,"context":"x","message":"bad secret s3cr3t"}],"echo":"s3cr3t"}"#,
            ),
            true,
            || vec!["s3cr3t"],
        )
        .unwrap_err();
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
        assert!(!e.details.as_deref().unwrap().to_string().contains("s3cr3t"));
    }
}
