//! The one error type of the crate and its stable codes (API.md §3).

use core::fmt;

use crate::core::text::concat;

/// Stable, machine-readable error codes. `as_str` gives the strings of API.md §3;
/// a released string never changes meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// An argument is missing, of the wrong type, or malformed.
    InvalidInput,
    /// A client or verifier was configured wrongly.
    InvalidConfig,
    /// A browser call was made before `init()` finished.
    NotInitialized,
    /// A browser-only helper outside a browser, or a secret-bearing call in a browser.
    UnsupportedEnvironment,
    /// The signature header (or URL parameter) is absent.
    SignatureMissing,
    /// The signature is present but unparsable.
    SignatureMalformed,
    /// No provided signature matches any configured secret.
    SignatureMismatch,
    /// The signed timestamp is too old or too far in the future.
    TimestampOutOfTolerance,
    /// A signed URL is past its expiry.
    UrlExpired,
    /// A redirect or return URL is not on the allow-list.
    RedirectNotAllowed,
    /// The request could not be sent or the connection failed.
    Network,
    /// No response within the configured timeout.
    Timeout,
    /// HTTP 429 after the retries.
    RateLimited,
    /// 401/403, or a vendor body saying the credentials or token were refused.
    AuthFailed,
    /// 404, or the vendor's not-found code.
    NotFound,
    /// 409, or the vendor's already-exists code.
    Conflict,
    /// Any other error the vendor reported in its own format.
    VendorError,
    /// An unexpected status with no vendor error body.
    HttpStatus,
    /// A response that is not what the vendor documents.
    ResponseMalformed,
    /// The caller's `AbortSignal` cancelled the call (and its retries).
    Aborted,
}

impl ErrorCode {
    /// The stable string of API.md §3, e.g. `"SIGNATURE_MISMATCH"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "INVALID_INPUT",
            Self::InvalidConfig => "INVALID_CONFIG",
            Self::NotInitialized => "NOT_INITIALIZED",
            Self::UnsupportedEnvironment => "UNSUPPORTED_ENVIRONMENT",
            Self::SignatureMissing => "SIGNATURE_MISSING",
            Self::SignatureMalformed => "SIGNATURE_MALFORMED",
            Self::SignatureMismatch => "SIGNATURE_MISMATCH",
            Self::TimestampOutOfTolerance => "TIMESTAMP_OUT_OF_TOLERANCE",
            Self::UrlExpired => "URL_EXPIRED",
            Self::RedirectNotAllowed => "REDIRECT_NOT_ALLOWED",
            Self::Network => "NETWORK",
            Self::Timeout => "TIMEOUT",
            Self::RateLimited => "RATE_LIMITED",
            Self::AuthFailed => "AUTH_FAILED",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::VendorError => "VENDOR_ERROR",
            Self::HttpStatus => "HTTP_STATUS",
            Self::ResponseMalformed => "RESPONSE_MALFORMED",
            Self::Aborted => "ABORTED",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The vendor an error or a client belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// Miles Masterclass (provisional module).
    MilesMasterclass,
    /// AlphaLearn.
    AlphaLearn,
    /// Teach on Mars.
    TeachOnMars,
    /// LearnWorlds.
    LearnWorlds,
}

impl Vendor {
    /// The vendor's id in JS, e.g. `"teach-on-mars"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MilesMasterclass => "miles-masterclass",
            Self::AlphaLearn => "alphalearn",
            Self::TeachOnMars => "teach-on-mars",
            Self::LearnWorlds => "learnworlds",
        }
    }

    /// The vendor's name for messages, e.g. `"Teach on Mars"`.
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::MilesMasterclass => "Miles Masterclass",
            Self::AlphaLearn => "AlphaLearn",
            Self::TeachOnMars => "Teach on Mars",
            Self::LearnWorlds => "LearnWorlds",
        }
    }
}

/// The crate's one error: a stable [`ErrorCode`] plus context ([`ErrorFields`], which it
/// dereferences to). Never holds a secret: constructors take only what is safe to show, and
/// `details` is sanitised by the caller (see [`crate::core::json::redacted_text`]).
///
/// One pointer wide: a `Result` then costs a word more than its value, and `?` moves the
/// pointer rather than the fields.
#[derive(Clone, PartialEq)]
pub struct Error(Box<ErrorFields>);

/// What an [`Error`] holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorFields {
    /// Stable code.
    pub code: ErrorCode,
    /// Human-readable message, free of secrets.
    pub message: String,
    /// The vendor, when the error came from a vendor module.
    pub vendor: Option<Vendor>,
    /// The HTTP status, when the error came from a response.
    pub status: Option<u16>,
    /// The vendor's own error code, e.g. `"1002"` or `"access_denied"`.
    pub vendor_code: Option<String>,
    /// The vendor's error body, redacted, as compact JSON text (the JS error's `details` is
    /// that text parsed; boxed: errors stay small).
    pub details: Option<Box<str>>,
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(Box::new(ErrorFields {
            code,
            message: message.into(),
            vendor: None,
            status: None,
            vendor_code: None,
            details: None,
        }))
    }

    /// `INVALID_INPUT` naming the field: "`field` must be …".
    pub fn invalid_input(field: &str, must: &str) -> Self {
        Self::new(ErrorCode::InvalidInput, concat(&["`", field, "` ", must]))
    }

    /// `INVALID_CONFIG` naming the option.
    pub fn invalid_config(field: &str, must: &str) -> Self {
        Self::new(ErrorCode::InvalidConfig, concat(&["`", field, "` ", must]))
    }

    /// An options reader's input error as `INVALID_CONFIG`: a new error with its message
    /// (an option is configuration, though the shared reader calls it input).
    #[must_use]
    pub fn into_config(mut self) -> Self {
        Self::new(ErrorCode::InvalidConfig, core::mem::take(&mut self.message))
    }

    /// `RESPONSE_MALFORMED` with a short reason.
    pub fn malformed(reason: impl Into<String>) -> Self {
        Self::new(ErrorCode::ResponseMalformed, reason)
    }

    /// Sets the vendor.
    #[must_use]
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// Sets the HTTP status.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the vendor's own code.
    #[must_use]
    pub fn with_vendor_code(mut self, code: impl Into<String>) -> Self {
        self.vendor_code = Some(code.into());
        self
    }

    /// Sets the details: JSON text, already redacted by the caller.
    #[must_use]
    pub fn with_details(mut self, details: String) -> Self {
        self.details = Some(details.into_boxed_str());
        self
    }

    /// The details read as a `serde_json::Value` (for tests and fuzz targets).
    #[cfg(any(test, fuzzing))]
    pub fn details_value(&self) -> Option<serde_json::Value> {
        self.details.as_deref().and_then(|d| d.parse().ok())
    }

    /// Removes every occurrence of each secret (of 4 characters or more: shorter ones
    /// would garble messages) from the message, the vendor's code and the details.
    #[must_use]
    pub fn scrubbed<S: AsRef<str>>(mut self, secrets: &[S]) -> Self {
        let refs: Vec<&str> = secrets
            .iter()
            .map(AsRef::as_ref)
            .filter(|s| s.len() >= 4)
            .collect();
        if refs.is_empty() {
            // Nothing to remove (the details are then not read and written again).
            return self;
        }
        self.message = crate::core::json::scrub_text(&self.message, &refs);
        self.vendor_code = self
            .vendor_code
            .take()
            .map(|c| crate::core::json::scrub_text(&c, &refs));
        self.details = self
            .details
            .take()
            .and_then(|d| crate::core::tree::rewrite(&d, false, &refs))
            .map(String::into_boxed_str);
        self
    }

    /// Whether repeating the request may succeed (API.md §6).
    pub fn retryable(&self) -> bool {
        match self.code {
            ErrorCode::Network | ErrorCode::Timeout | ErrorCode::RateLimited => true,
            ErrorCode::HttpStatus => matches!(self.status, Some(502..=504)),
            _ => false,
        }
    }
}

impl core::ops::Deref for Error {
    type Target = ErrorFields;

    fn deref(&self) -> &ErrorFields {
        &self.0
    }
}

impl core::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorFields {
        &mut self.0
    }
}

/// As a struct named `Error` with its fields (the box is not shown).
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &*self.0;
        f.debug_struct("Error")
            .field("code", &e.code)
            .field("message", &e.message)
            .field("vendor", &e.vendor)
            .field("status", &e.status)
            .field("vendor_code", &e.vendor_code)
            .field("details", &e.details)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pieces written in turn: no formatting machinery in the modules.
        f.write_str(self.code.as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbed_reaches_message_vendor_code_and_details() {
        let e = Error::new(ErrorCode::VendorError, "bad key sk_live_42")
            .with_vendor_code("INVALID sk_live_42")
            .scrubbed(&["sk_live_42"]);
        assert_eq!(e.message, "bad key [redacted]");
        assert_eq!(e.vendor_code.as_deref(), Some("INVALID [redacted]"));

        let details = r#"{"message":"bad key sk_live_42","sk_live_42":[1,"xsk_live_42x"]}"#;
        let e = Error::new(ErrorCode::VendorError, "x")
            .with_details(details.to_owned())
            .scrubbed(&["sk_live_42"]);
        assert_eq!(
            e.details.as_deref(),
            Some(r#"{"message":"bad key [redacted]","sk_live_42":[1,"x[redacted]x"]}"#)
        );
    }

    #[test]
    fn codes_are_the_api_strings() {
        let all = [
            (ErrorCode::InvalidInput, "INVALID_INPUT"),
            (ErrorCode::InvalidConfig, "INVALID_CONFIG"),
            (ErrorCode::NotInitialized, "NOT_INITIALIZED"),
            (ErrorCode::UnsupportedEnvironment, "UNSUPPORTED_ENVIRONMENT"),
            (ErrorCode::SignatureMissing, "SIGNATURE_MISSING"),
            (ErrorCode::SignatureMalformed, "SIGNATURE_MALFORMED"),
            (ErrorCode::SignatureMismatch, "SIGNATURE_MISMATCH"),
            (
                ErrorCode::TimestampOutOfTolerance,
                "TIMESTAMP_OUT_OF_TOLERANCE",
            ),
            (ErrorCode::UrlExpired, "URL_EXPIRED"),
            (ErrorCode::RedirectNotAllowed, "REDIRECT_NOT_ALLOWED"),
            (ErrorCode::Network, "NETWORK"),
            (ErrorCode::Timeout, "TIMEOUT"),
            (ErrorCode::RateLimited, "RATE_LIMITED"),
            (ErrorCode::AuthFailed, "AUTH_FAILED"),
            (ErrorCode::NotFound, "NOT_FOUND"),
            (ErrorCode::Conflict, "CONFLICT"),
            (ErrorCode::VendorError, "VENDOR_ERROR"),
            (ErrorCode::HttpStatus, "HTTP_STATUS"),
            (ErrorCode::ResponseMalformed, "RESPONSE_MALFORMED"),
            (ErrorCode::Aborted, "ABORTED"),
        ];
        for (code, s) in all {
            assert_eq!(code.as_str(), s);
        }
    }

    #[test]
    fn debug_shows_the_fields_under_the_name_error() {
        let e = Error::new(ErrorCode::Timeout, "slow").with_status(504);
        assert_eq!(
            format!("{e:?}"),
            "Error { code: Timeout, message: \"slow\", vendor: None, status: Some(504), \
             vendor_code: None, details: None }"
        );
    }

    #[test]
    fn retryable_follows_the_rules() {
        assert!(Error::new(ErrorCode::Network, "x").retryable());
        assert!(Error::new(ErrorCode::Timeout, "x").retryable());
        assert!(Error::new(ErrorCode::RateLimited, "x").retryable());
        assert!(Error::new(ErrorCode::HttpStatus, "x")
            .with_status(503)
            .retryable());
        assert!(!Error::new(ErrorCode::HttpStatus, "x")
            .with_status(500)
            .retryable());
        assert!(!Error::new(ErrorCode::AuthFailed, "x")
            .with_status(401)
            .retryable());
    }
}
