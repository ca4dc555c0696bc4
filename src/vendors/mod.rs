//! Vendor modules (sans-IO): per vendor a config struct with `build_*` methods returning
//! [`HttpRequest`](crate::core::http::HttpRequest) values and `parse_*` methods turning
//! [`HttpResponse`](crate::core::http::HttpResponse) values into typed results, plus the
//! vendor's own signatures. Shared here: the status → [`ErrorCode`] mapping.

pub mod alphalearn;
pub mod lean;
pub mod learnworlds;
pub mod miles_masterclass;
pub mod teach_on_mars;

use crate::core::json::truncate;
use crate::core::text::{concat, decimal};
use crate::error::{Error, ErrorCode, Vendor};

/// `INVALID_CONFIG` for a sans-IO bearer builder without any token.
pub fn no_token() -> Error {
    Error::new(
        ErrorCode::InvalidConfig,
        "no access token: pass { accessToken } as the last argument, configure one, or call an async method first",
    )
}

/// What a vendor's error body said, before it is mapped to an [`Error`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VendorFault {
    /// The vendor's own code (`"1002"`, `"access_denied"`), if any.
    pub vendor_code: Option<String>,
    /// The vendor's message, if any (shortened to 200 characters in the error).
    pub message: Option<String>,
    /// The body as compact JSON text, redacted by its maker
    /// ([`redacted_text`](crate::core::json::redacted_text) of a `Value`).
    pub body: Option<String>,
}

/// Maps a non-success response to an error by status, the common rule of every vendor:
/// 401/403 → `AUTH_FAILED`, 404 → `NOT_FOUND`, 409 → `CONFLICT`, 429 → `RATE_LIMITED`,
/// another status with a vendor error body → `VENDOR_ERROR`, without → `HTTP_STATUS`.
/// Vendor modules call it after applying their own code-based rules.
pub fn status_error(vendor: Vendor, status: u16, fault: Option<VendorFault>) -> Error {
    let code = match status {
        401 | 403 => ErrorCode::AuthFailed,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        429 => ErrorCode::RateLimited,
        _ if fault.is_some() => ErrorCode::VendorError,
        _ => ErrorCode::HttpStatus,
    };
    vendor_error(vendor, code, status, fault)
}

/// Builds an error with a given code from a vendor fault: message
/// `"<Vendor> <code>: <message>"` (or `"<Vendor> answered HTTP <status>"`), details =
/// the redacted body.
pub fn vendor_error(
    vendor: Vendor,
    code: ErrorCode,
    status: u16,
    fault: Option<VendorFault>,
) -> Error {
    let fault = fault.unwrap_or_default();
    let name = vendor.display_name();
    let status_text = decimal(i64::from(status));
    let message = match (&fault.vendor_code, &fault.message) {
        (Some(c), Some(m)) => concat(&[name, " ", c, ": ", &truncate(m, 200)]),
        (None, Some(m)) => concat(&[name, " (HTTP ", &status_text, "): ", &truncate(m, 200)]),
        (Some(c), None) => concat(&[name, " ", c, " (HTTP ", &status_text, ")"]),
        (None, None) => concat(&[name, " answered HTTP ", &status_text]),
    };
    let mut err = Error::new(code, message)
        .with_vendor(vendor)
        .with_status(status);
    if let Some(c) = fault.vendor_code {
        err = err.with_vendor_code(c);
    }
    if let Some(body) = fault.body {
        err = err.with_details(body);
    }
    err
}

/// `RESPONSE_MALFORMED` for a vendor response that is not what it documents.
pub fn malformed(vendor: Vendor, status: u16, what: &str) -> Error {
    Error::malformed(concat(&[
        vendor.display_name(),
        " response is malformed: ",
        what,
    ]))
    .with_vendor(vendor)
    .with_status(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::redacted_text;
    use serde_json::json;

    #[test]
    fn statuses_map_to_codes() {
        let v = Vendor::LearnWorlds;
        assert_eq!(status_error(v, 401, None).code, ErrorCode::AuthFailed);
        assert_eq!(status_error(v, 403, None).code, ErrorCode::AuthFailed);
        assert_eq!(status_error(v, 404, None).code, ErrorCode::NotFound);
        assert_eq!(status_error(v, 409, None).code, ErrorCode::Conflict);
        assert_eq!(status_error(v, 429, None).code, ErrorCode::RateLimited);
        assert_eq!(status_error(v, 500, None).code, ErrorCode::HttpStatus);
        let f = VendorFault {
            vendor_code: Some("x".into()),
            message: Some("bad".into()),
            body: redacted_text(&json!({"message": "bad", "token": "t0k"}), &[]),
        };
        let e = status_error(v, 400, Some(f));
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.message, "LearnWorlds x: bad");
        assert_eq!(e.vendor_code.as_deref(), Some("x"));
        assert_eq!(e.details_value().unwrap()["token"], "[redacted]");
    }
}
