//! Secrets: one type for every key, token and bearer URL the library holds or returns.

use core::fmt;

use serde::{Serialize, Serializer};
use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorCode, Vendor};

/// The text every redacted secret prints as.
pub const REDACTED: &str = "[redacted]";

/// A secret key, credential, token or bearer URL: `Secret<String>` for text,
/// `Secret<Vec<u8>>` (the default) for key bytes.
///
/// `Debug` and `Serialize` both print `[redacted]`, so a secret that reaches a log, an
/// error's details or a derived `Debug` of any struct holding it stays hidden. The one way
/// out is explicit: [`Secret::expose`] in code, and `#[serde(serialize_with =
/// "exposed")]` on a result field the caller asked for (a token, a login URL).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T = Vec<u8>>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: impl Into<T>) -> Self {
        Self(value.into())
    }

    /// The secret value.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: AsRef<[u8]>> Secret<T> {
    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_empty()
    }
}

impl Secret<String> {
    /// The secret text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Secret<Vec<u8>> {
    /// The secret as UTF-8 text, if it is.
    pub fn expose_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.0).ok()
    }
}

impl From<String> for Secret<String> {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Secret<String> {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(REDACTED)
    }
}

/// `serialize_with` for a result field that hands a secret to the caller who asked for it
/// (`Secret` or `Option<Secret>`): serialises the value itself.
pub fn exposed<X: Expose, S: Serializer>(x: &X, s: S) -> Result<S::Ok, S::Error> {
    x.exposed().serialize(s)
}

/// What [`exposed`] can serialise.
pub trait Expose {
    /// The value to serialise.
    fn exposed(&self) -> impl Serialize + '_;
}

impl<T: Serialize> Expose for Secret<T> {
    fn exposed(&self) -> impl Serialize + '_ {
        &self.0
    }
}

impl<T: Serialize> Expose for Option<Secret<T>> {
    fn exposed(&self) -> impl Serialize + '_ {
        self.as_ref().map(|s| &s.0)
    }
}

/// Compares two byte strings in constant time (for equal lengths; the length itself is
/// not secret). Different lengths are unequal.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Configured secrets, keys and tokens must have at least 4 characters: errors are scrubbed
/// of every configured secret, and shorter ones could not be removed without garbling the
/// messages. `INVALID_CONFIG` (for `vendor`) otherwise; empty ones are not configured.
pub fn check_lengths(secrets: &[String], vendor: Vendor) -> crate::error::Result<()> {
    if secrets
        .iter()
        .any(|s| !s.is_empty() && s.chars().count() < 4)
    {
        return Err(Error::new(
            ErrorCode::InvalidConfig,
            "a configured secret, API key or token is shorter than 4 characters",
        )
        .with_vendor(vendor));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_shorter_than_four_characters_are_refused() {
        let ok = ["".to_owned(), "abcd".to_owned(), "éééé".to_owned()];
        assert!(check_lengths(&ok, Vendor::TeachOnMars).is_ok());
        let e =
            check_lengths(&["abcd".to_owned(), "ééé".to_owned()], Vendor::LearnWorlds).unwrap_err();
        assert_eq!(
            (e.code, e.vendor),
            (ErrorCode::InvalidConfig, Some(Vendor::LearnWorlds))
        );
    }

    #[derive(Debug, Serialize)]
    struct Result {
        #[serde(serialize_with = "exposed")]
        token: Secret<String>,
        #[serde(serialize_with = "exposed")]
        refresh: Option<Secret<String>>,
        kept: Secret<String>,
    }

    #[test]
    fn debug_and_serialize_hide_the_secret() {
        assert_eq!(format!("{:?}", Secret::<Vec<u8>>::new("hunter2")), REDACTED);
        let r = Result {
            token: "t0k".into(),
            refresh: Some("r3f".into()),
            kept: "hunter2".into(),
        };
        let debug = format!("{r:?}");
        assert!(!debug.contains("t0k") && !debug.contains("r3f") && !debug.contains("hunter2"));
        assert_eq!(
            serde_json::to_string(&r).ok().as_deref(),
            Some(r#"{"token":"t0k","refresh":"r3f","kept":"[redacted]"}"#)
        );
    }

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
