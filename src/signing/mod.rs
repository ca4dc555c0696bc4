//! Webhook signing and verification (Standard Webhooks, Stripe, GitHub), HMAC/SHA-256
//! primitives and signed URLs: API.md §4 and §6 "Signing". Pure: the clock (`now`) and
//! any generated ids are parameters.
//!
//! Verification order, for every scheme: configuration (secrets) → headers present
//! (`SIGNATURE_MISSING`) → header sizes and signature count, before any HMAC
//! (`SIGNATURE_MALFORMED`) → parsing (`SIGNATURE_MALFORMED`) → timestamp
//! (`TIMESTAMP_OUT_OF_TOLERANCE`) → MAC against every secret, constant-time
//! (`SIGNATURE_MISMATCH`).

pub mod encoding;
pub mod hmac;
pub mod schemes;
pub mod url;
pub mod verifier;
pub mod wire;

use serde::{Serialize, Serializer};

use crate::core::http::Headers;
use crate::core::secret::Secret;
use crate::core::text::{concat, has_control, parse_digits};
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result};

pub use self::hmac::{hmac_sha256, sha256};
pub use self::url::{sign_url, verify_signed_url, SignedUrl};
pub use self::verifier::{Prepared, SignedHeaders, Verifier};

/// `timingSafeEqual`: constant-time comparison; different lengths are unequal.
pub fn timing_safe_equal(a: &[u8], b: &[u8]) -> bool {
    crate::core::secret::constant_time_eq(a, b)
}

/// Default timestamp tolerance, in seconds (API.md §4).
pub const DEFAULT_TOLERANCE_SECS: f64 = 300.0;
/// Longest accepted signature/id/timestamp header value, in bytes.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// Most signatures accepted in one header.
pub const MAX_SIGNATURES: usize = 32;

/// A webhook signature scheme (`"standard-webhooks" | "stripe" | "github"` in JS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// <https://www.standardwebhooks.com/>: `webhook-id`, `webhook-timestamp`,
    /// `webhook-signature: v1,<base64>`.
    StandardWebhooks,
    /// `Stripe-Signature: t=<ts>,v1=<hex>`.
    Stripe,
    /// `X-Hub-Signature-256: sha256=<hex>`.
    Github,
}

impl Scheme {
    /// Reads a scheme name; an unknown one is `INVALID_CONFIG`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "standard-webhooks" => Ok(Self::StandardWebhooks),
            "stripe" => Ok(Self::Stripe),
            "github" => Ok(Self::Github),
            _ => Err(Error::invalid_config(
                "scheme",
                "must be \"standard-webhooks\", \"stripe\" or \"github\"",
            )),
        }
    }

    /// The JS name, e.g. `"standard-webhooks"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::StandardWebhooks => "standard-webhooks",
            Self::Stripe => "stripe",
            Self::Github => "github",
        }
    }

    /// The signature header this scheme reads and writes by default.
    pub const fn signature_header(self) -> &'static str {
        match self {
            Self::StandardWebhooks => schemes::standard_webhooks::SIGNATURE_HEADER,
            Self::Stripe => schemes::stripe::SIGNATURE_HEADER,
            Self::Github => schemes::github::SIGNATURE_HEADER,
        }
    }
}

impl Serialize for Scheme {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A secret as given in JS: a string or a `Uint8Array`. The difference matters for
/// Standard Webhooks (a string is `[whsec_]<base64>`, bytes are the raw key); the other
/// schemes and signed URLs use a string's UTF-8 bytes. `Debug` prints `Text([redacted])`
/// or `Bytes([redacted])`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// A string secret.
    Text(Secret<String>),
    /// A byte secret.
    Bytes(Secret<Vec<u8>>),
}

impl Key {
    /// A string secret.
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(Secret::new(s.into()))
    }

    /// A byte secret.
    pub fn bytes(b: impl Into<Vec<u8>>) -> Self {
        Self::Bytes(Secret::new(b.into()))
    }

    /// The key's bytes as used by Stripe, GitHub and signed URLs (a string's UTF-8 bytes).
    pub fn raw_bytes(&self) -> &[u8] {
        match self {
            Self::Text(s) => s.as_str().as_bytes(),
            Self::Bytes(b) => b.expose(),
        }
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.raw_bytes().is_empty()
    }

    /// The HMAC key bytes for `scheme`: Standard Webhooks decodes a string (after an
    /// optional `whsec_`) as base64. Empty or undecodable → `INVALID_CONFIG`.
    pub fn key_bytes(&self, scheme: Scheme) -> Result<Vec<u8>> {
        if self.is_empty() {
            return Err(empty_secret());
        }
        match scheme {
            Scheme::StandardWebhooks => schemes::standard_webhooks::decode_key(self),
            Scheme::Stripe | Scheme::Github => Ok(self.raw_bytes().to_vec()),
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        Self::text(s)
    }
}

/// What a successful webhook verification found (API.md: `{ scheme, id?, timestamp?,
/// secretIndex }`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// The scheme used.
    pub scheme: Scheme,
    /// The message id (Standard Webhooks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The signed timestamp, Unix seconds (Standard Webhooks, Stripe).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// Index of the secret that matched (key rotation).
    pub secret_index: usize,
}

/// The largest timestamp a signature header can carry ([`parse_timestamp`]).
pub const MAX_TIMESTAMP_SECS: i64 = 10_i64.pow(TIMESTAMP_DIGITS) - 1;

/// Signs `payload` and returns the headers to send. `id` is used only by Standard
/// Webhooks (the caller generates one when the user gave none); `timestamp_secs` is Unix
/// seconds (ignored by GitHub), from 0 to [`MAX_TIMESTAMP_SECS`] (what a verifier reads),
/// else `INVALID_INPUT`.
pub fn sign_webhook(
    scheme: Scheme,
    payload: &[u8],
    secret: &Key,
    id: &str,
    timestamp_secs: i64,
) -> Result<Headers> {
    if !(0..=MAX_TIMESTAMP_SECS).contains(&timestamp_secs) {
        return Err(Error::invalid_input(
            "timestamp",
            "must be Unix seconds of at most 15 digits",
        ));
    }
    let key = secret.key_bytes(scheme)?;
    match scheme {
        Scheme::StandardWebhooks => {
            schemes::standard_webhooks::sign(payload, &key, id, timestamp_secs)
        }
        Scheme::Stripe => schemes::stripe::sign(payload, &key, timestamp_secs),
        Scheme::Github => Ok(schemes::github::sign(payload, &key)),
    }
}

/// Verifies a webhook over the exact `payload` bytes. `secrets` are tried in order (key
/// rotation); `tolerance_secs`: `None` = 300, `f64::INFINITY` = no timestamp check, NaN or
/// negative = `INVALID_INPUT`. `header_override` renames only the signature header. For
/// many messages under the same secrets, build one [`Verifier`] instead.
pub fn verify_webhook(
    scheme: Scheme,
    payload: &[u8],
    headers: &Headers,
    secrets: &[Key],
    tolerance_secs: Option<f64>,
    now: UnixMillis,
    header_override: Option<&str>,
) -> Result<Verified> {
    let verifier = Verifier::new(scheme, secrets, tolerance_secs, header_override)?;
    verifier.verify(payload, &verifier.signed_headers(headers), now)
}

/// Decodes every secret for `scheme`; none, or an empty/undecodable one → `INVALID_CONFIG`.
pub fn keys_for(scheme: Scheme, secrets: &[Key]) -> Result<Vec<Vec<u8>>> {
    if secrets.is_empty() {
        return Err(empty_secret());
    }
    let mut keys = Vec::with_capacity(secrets.len());
    for key in secrets {
        keys.push(key.key_bytes(scheme)?);
    }
    Ok(keys)
}

fn empty_secret() -> Error {
    Error::invalid_config("secret", "must be a non-empty string or Uint8Array")
}

/// Validates a tolerance: `None` → 300 s; NaN or negative → `INVALID_INPUT`; infinity
/// (no check) is kept.
pub fn check_tolerance(tolerance_secs: Option<f64>) -> Result<f64> {
    match tolerance_secs {
        None => Ok(DEFAULT_TOLERANCE_SECS),
        Some(t) if t >= 0.0 => Ok(t),
        Some(_) => Err(Error::invalid_input(
            "toleranceSeconds",
            "must be a non-negative number",
        )),
    }
}

/// Checks a signed timestamp (Unix seconds) against `now` (floored to seconds): exactly
/// ±`tolerance` is accepted, beyond in either direction is `TIMESTAMP_OUT_OF_TOLERANCE`.
pub fn check_timestamp(timestamp: i64, now: UnixMillis, tolerance: f64) -> Result<()> {
    // The schemes' timestamps have at most 15 digits and `now` is at most ~9.2e15 s: the
    // difference cannot reach i64's bounds (saturating all the same: no panic, and no 128-bit
    // arithmetic, which wasm32 calls out for). `as` rounds as the f64 comparison needs.
    let age = now.as_secs().saturating_sub(timestamp) as f64;
    if age > tolerance {
        Err(Error::new(
            ErrorCode::TimestampOutOfTolerance,
            "the signed timestamp is too old",
        ))
    } else if -age > tolerance {
        Err(Error::new(
            ErrorCode::TimestampOutOfTolerance,
            "the signed timestamp is too far in the future",
        ))
    } else {
        Ok(())
    }
}

/// A required header's value: absent or empty → `SIGNATURE_MISSING`, over 8 KiB →
/// `SIGNATURE_MALFORMED`. `name` is for the messages.
pub fn required_header<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str> {
    let value = value.map(trim).unwrap_or_default();
    if value.is_empty() {
        return Err(Error::new(
            ErrorCode::SignatureMissing,
            concat(&["the `", name, "` header is missing"]),
        ));
    }
    if value.len() > MAX_HEADER_BYTES {
        return Err(malformed(&concat(&[
            "the `",
            name,
            "` header is longer than 8 KiB",
        ])));
    }
    Ok(value)
}

/// `value` without leading and trailing whitespace (`str::trim`), read only when it may have
/// some: a value that begins and ends with printable ASCII, as header values do, is
/// returned as it is, without decoding characters from either end.
fn trim(value: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let bytes = value.as_bytes();
    if printable(bytes.first()) && printable(bytes.last()) {
        value
    } else {
        value.trim()
    }
}

/// How many digits a signed timestamp may have.
const TIMESTAMP_DIGITS: u32 = 15;

/// A Unix-seconds timestamp: 1 to 15 (`TIMESTAMP_DIGITS`) ASCII digits, else
/// `SIGNATURE_MALFORMED`.
pub fn parse_timestamp(text: &str, what: &str) -> Result<i64> {
    (text.len() <= TIMESTAMP_DIGITS as usize)
        .then(|| parse_digits(text))
        .flatten()
        .ok_or_else(|| malformed(&concat(&[what, " is not a Unix timestamp"])))
}

/// `SIGNATURE_MALFORMED` with a reason.
pub fn malformed(reason: &str) -> Error {
    Error::new(ErrorCode::SignatureMalformed, reason.to_owned())
}

/// `SIGNATURE_MALFORMED` when a header carries more than [`MAX_SIGNATURES`] signatures.
pub fn check_signature_count(count: usize) -> Result<()> {
    if count > MAX_SIGNATURES {
        Err(malformed("the header carries more than 32 signatures"))
    } else {
        Ok(())
    }
}

/// An RFC 9110 token (header name).
pub(crate) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || is_token_mark(b))
}

/// The marks RFC 9110 allows in a token besides letters and digits: ``!#$%&'*+-.^_`|~``.
const fn is_token_mark(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
    )
}

/// Checks a value that goes into a header we write: non-empty, at most 8 KiB, no control
/// characters.
pub(crate) fn check_header_value(field: &str, value: &str) -> Result<()> {
    if value.is_empty() || value.len() > MAX_HEADER_BYTES || has_control(value, false) {
        return Err(Error::invalid_input(
            field,
            "must be a non-empty header-safe string of at most 8 KiB",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// A Standard Webhooks message id: `msg_` followed by the base64url (no padding) of
/// `random` (give at least 16 fresh random bytes).
pub fn new_message_id(random: &[u8]) -> String {
    concat(&["msg_", &encoding::b64url_encode(random)])
}
