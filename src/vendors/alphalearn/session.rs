//! The pure half of the session helper: when a JWT expires, when to refresh it, and which
//! errors mean the credentials were refused. The wasm layer holds the tokens, reads the
//! clock and runs one refresh at a time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD_INDIFFERENT;
use base64::Engine;
use serde_json::Value;

use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Vendor};

/// Refresh this long before the JWT expires (5 minutes, PROVISIONAL).
pub const REFRESH_MARGIN_MS: i64 = 5 * 60_000;

/// The documented JWT lifetime (60 minutes), used when the token's `exp` is unreadable.
pub const DEFAULT_JWT_LIFETIME_MS: i64 = 60 * 60_000;

/// Tokens longer than this are not decoded (no real JWT is this large).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The JWT's `exp` claim (Unix seconds) as Unix milliseconds. Decodes the base64url
/// payload only (no signature check: the expiry only schedules a refresh). `None` when the
/// token is not three dot-separated parts, the payload is not a JSON object, or `exp` is
/// absent, not a positive finite number, or absurdly far away.
pub fn jwt_expiry(token: &str) -> Option<UnixMillis> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.is_empty() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD_INDIFFERENT.decode(payload).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.as_object()?.get("exp")?.as_f64()?;
    // Year 10000 in seconds: anything beyond is nonsense.
    if !exp.is_finite() || exp <= 0.0 || exp > 253_402_300_800.0 {
        return None;
    }
    Some(UnixMillis((exp * 1000.0).floor() as i64))
}

/// When a session's JWT expires: its `exp` when readable, else `issued_at` + 60 minutes.
pub fn session_expiry(token: &str, issued_at: UnixMillis) -> UnixMillis {
    jwt_expiry(token).unwrap_or_else(|| issued_at.plus_ms(DEFAULT_JWT_LIFETIME_MS))
}

/// Whether the JWT should be refreshed at `now`: within [`REFRESH_MARGIN_MS`] of
/// `expires_at`, or past it.
pub fn needs_refresh(expires_at: UnixMillis, now: UnixMillis) -> bool {
    now.0 >= expires_at.0.saturating_sub(REFRESH_MARGIN_MS)
}

/// Whether an error means AlphaLearn refused a credential or token: `AUTH_FAILED`, or an
/// AlphaLearn refresh refusal (`1016` missing / `1017` invalid refresh token).
pub fn is_auth_refusal(err: &Error) -> bool {
    err.code == ErrorCode::AuthFailed
        || (err.vendor == Some(Vendor::AlphaLearn)
            && matches!(err.vendor_code.as_deref(), Some("1016" | "1017")))
}

/// The error the session helper reports for a failed refresh: a refusal
/// ([`is_auth_refusal`]) becomes `AUTH_FAILED` (log in again), keeping status, vendor,
/// vendor code and details; any other error is returned unchanged.
pub fn refresh_refused(err: Error) -> Error {
    if is_auth_refusal(&err) {
        Error {
            code: ErrorCode::AuthFailed,
            ..err
        }
    } else {
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};

    fn jwt(claims: &str) -> String {
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn reads_exp_without_checking_the_signature() {
        assert_eq!(
            jwt_expiry(&jwt(r#"{"sub":"1","exp":1700000000}"#)),
            Some(UnixMillis(1_700_000_000_000))
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000.5}"#)),
            Some(UnixMillis(1_700_000_000_500))
        );
        // Padded base64url and `-`/`_` characters decode too.
        let padded = format!(
            "h.{}.s",
            URL_SAFE.encode(r#"{"exp":1700000000,"n":"??>>"}"#)
        );
        assert!(padded.contains('='));
        assert_eq!(jwt_expiry(&padded), Some(UnixMillis(1_700_000_000_000)));
    }

    #[test]
    fn odd_tokens_have_no_expiry() {
        let too_long = format!("a.{}.c", "A".repeat(20_000));
        for t in [
            "".to_owned(),
            "opaque-token".to_owned(),
            "a.b".to_owned(),
            "a..c".to_owned(),
            "a.!!!.c".to_owned(),
            format!("{}.x", jwt(r#"{"exp":1}"#)),
            jwt("not json"),
            jwt("[1]"),
            jwt(r#"{"sub":"1"}"#),
            jwt(r#"{"exp":"1700000000"}"#),
            jwt(r#"{"exp":-5}"#),
            jwt(r#"{"exp":0}"#),
            jwt(r#"{"exp":1e300}"#),
            jwt(r#"{"exp":null}"#),
            too_long,
        ] {
            assert_eq!(jwt_expiry(&t), None, "{t}");
        }
    }

    #[test]
    fn session_expiry_falls_back_to_sixty_minutes() {
        let issued = UnixMillis(1_000_000);
        assert_eq!(
            session_expiry(&jwt(r#"{"exp":5000}"#), issued),
            UnixMillis(5_000_000)
        );
        assert_eq!(
            session_expiry("opaque", issued),
            UnixMillis(1_000_000 + 3_600_000)
        );
    }

    #[test]
    fn refresh_five_minutes_early() {
        let exp = UnixMillis(10_000_000);
        assert!(!needs_refresh(exp, UnixMillis(10_000_000 - 300_001)));
        assert!(needs_refresh(exp, UnixMillis(10_000_000 - 300_000)));
        assert!(needs_refresh(exp, UnixMillis(10_000_000)));
        assert!(needs_refresh(exp, UnixMillis(20_000_000)));
        assert!(needs_refresh(UnixMillis(i64::MIN), UnixMillis(0)));
    }

    #[test]
    fn auth_refusals() {
        let auth = Error::new(ErrorCode::AuthFailed, "x").with_status(401);
        assert!(is_auth_refusal(&auth));
        let missing = Error::new(
            ErrorCode::VendorError,
            "AlphaLearn 1016: Missing refreshToken",
        )
        .with_vendor(Vendor::AlphaLearn)
        .with_vendor_code("1016")
        .with_status(200);
        assert!(is_auth_refusal(&missing));
        let e = refresh_refused(missing);
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert_eq!(e.vendor_code.as_deref(), Some("1016"));
        assert_eq!(e.status, Some(200));

        let other = Error::new(ErrorCode::VendorError, "x")
            .with_vendor(Vendor::AlphaLearn)
            .with_vendor_code("1006");
        assert!(!is_auth_refusal(&other));
        assert_eq!(refresh_refused(other.clone()), other);
        let elsewhere = Error::new(ErrorCode::VendorError, "x")
            .with_vendor(Vendor::LearnWorlds)
            .with_vendor_code("1017");
        assert!(!is_auth_refusal(&elsewhere));
        for code in [
            ErrorCode::Network,
            ErrorCode::Timeout,
            ErrorCode::HttpStatus,
            ErrorCode::NotFound,
        ] {
            assert!(!is_auth_refusal(&Error::new(code, "x")));
        }
    }
}
