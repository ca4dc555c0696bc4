//! A reusable webhook verifier: the secrets are decoded and keyed once, then any number of
//! messages are checked. Verification comes in two halves so that the MAC may be computed
//! elsewhere (a host's native HMAC) while every decision stays here:
//!
//! 1. [`Verifier::prepare`] runs every check that needs no MAC, in the order of
//!    [`crate::signing`] (headers present, sizes and counts, parsing, timestamp), and
//!    returns what is signed before the payload and the received tags;
//! 2. the MAC of `prefix ‖ payload` is computed once per key;
//! 3. [`Verifier::finish`] compares each key's MAC with every tag in constant time.
//!
//! [`Verifier::verify`] does all three with the crate's own HMAC.

use subtle::ConstantTimeEq;

use crate::core::http::Headers;
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result};
use crate::signing::hmac::HmacKey;
use crate::signing::schemes::{github, standard_webhooks, stripe};
use crate::signing::{check_tolerance, is_header_name, keys_for, Key, Scheme, Verified};

/// The header values a scheme reads (`None` when absent).
#[derive(Clone, Copy, Debug, Default)]
pub struct SignedHeaders<'a> {
    /// The signature header (the scheme's, or the configured override).
    pub signature: Option<&'a str>,
    /// `webhook-id` (Standard Webhooks only).
    pub id: Option<&'a str>,
    /// `webhook-timestamp` (Standard Webhooks only).
    pub timestamp: Option<&'a str>,
}

/// What [`Verifier::prepare`] found: everything but the MAC comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared<'a> {
    /// Signed before the payload: `id.timestamp.` (Standard Webhooks), `timestamp.`
    /// (Stripe) or nothing (GitHub).
    pub prefix: Vec<u8>,
    /// The received MACs of the scheme's current version (v1 / sha256).
    pub tags: Vec<[u8; 32]>,
    /// The message id (Standard Webhooks).
    pub id: Option<&'a str>,
    /// The signed timestamp, Unix seconds (Standard Webhooks, Stripe).
    pub timestamp: Option<i64>,
}

/// A scheme, its decoded secrets (rotation order), tolerance and signature header.
#[derive(Clone, Debug)]
pub struct Verifier {
    scheme: Scheme,
    keys: Vec<HmacKey>,
    raw_keys: Vec<Vec<u8>>,
    tolerance: f64,
    signature_header: String,
}

impl Verifier {
    /// Decodes `secrets` for `scheme` (none, an empty or an undecodable one →
    /// `INVALID_CONFIG`); `tolerance_secs`: `None` = 300, infinity = no timestamp check, NaN
    /// or negative = `INVALID_INPUT`; `header` renames only the signature header.
    pub fn new(
        scheme: Scheme,
        secrets: &[Key],
        tolerance_secs: Option<f64>,
        header: Option<&str>,
    ) -> Result<Self> {
        let raw_keys = keys_for(scheme, secrets)?;
        let tolerance = check_tolerance(tolerance_secs)?;
        let signature_header = match header {
            None => scheme.signature_header(),
            Some(h) if is_header_name(h) => h,
            Some(_) => return Err(Error::invalid_input("header", "must be a header name")),
        };
        Ok(Self {
            scheme,
            keys: raw_keys.iter().map(|k| HmacKey::new(k)).collect(),
            raw_keys,
            tolerance,
            signature_header: signature_header.to_owned(),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The HMAC key bytes, in rotation order (for a host computing the MAC itself).
    pub fn key_bytes(&self) -> &[Vec<u8>] {
        &self.raw_keys
    }

    /// The names of the headers read: the signature header, then, for Standard Webhooks,
    /// `webhook-id` and `webhook-timestamp`.
    pub fn header_names(&self) -> (&str, Option<&'static str>, Option<&'static str>) {
        match self.scheme {
            Scheme::StandardWebhooks => (
                &self.signature_header,
                Some(standard_webhooks::ID_HEADER),
                Some(standard_webhooks::TIMESTAMP_HEADER),
            ),
            Scheme::Stripe | Scheme::Github => (&self.signature_header, None, None),
        }
    }

    /// Picks the header values this verifier reads out of `headers` (case-insensitive).
    pub fn signed_headers<'h>(&self, headers: &'h Headers) -> SignedHeaders<'h> {
        let (sig, id, ts) = self.header_names();
        SignedHeaders {
            signature: headers.get(sig),
            id: id.and_then(|n| headers.get(n)),
            timestamp: ts.and_then(|n| headers.get(n)),
        }
    }

    /// Every check that needs no MAC (see the module documentation).
    pub fn prepare<'h>(
        &self,
        headers: &SignedHeaders<'h>,
        now: UnixMillis,
    ) -> Result<Prepared<'h>> {
        let checked = Checked {
            sig_header: &self.signature_header,
            tolerance: self.tolerance,
            now,
        };
        match self.scheme {
            Scheme::StandardWebhooks => standard_webhooks::prepare(headers, &checked),
            Scheme::Stripe => stripe::prepare(headers, &checked),
            Scheme::Github => github::prepare(headers, &checked),
        }
    }

    /// Compares each key's MAC (`mac_of(key index)`, computed once per key over
    /// `prefix ‖ payload`) with every received tag in constant time, and returns the
    /// result; no key matching → `SIGNATURE_MISMATCH`.
    pub fn finish(
        &self,
        prepared: &Prepared<'_>,
        mac_of: &mut dyn FnMut(usize) -> [u8; 32],
    ) -> Result<Verified> {
        let index = self.matching_key(prepared, mac_of)?;
        Ok(self.verified(prepared, index))
    }

    /// [`Verifier::finish`]'s comparison alone: the index of the first key whose MAC matches
    /// a received tag.
    pub fn matching_key(
        &self,
        prepared: &Prepared<'_>,
        mac_of: &mut dyn FnMut(usize) -> [u8; 32],
    ) -> Result<usize> {
        for index in 0..self.keys.len() {
            let mac = mac_of(index);
            let matched = prepared
                .tags
                .iter()
                .fold(subtle::Choice::from(0), |any, tag| {
                    any | macs_equal(&mac, tag)
                });
            if bool::from(matched) {
                return Ok(index);
            }
        }
        Err(Error::new(
            ErrorCode::SignatureMismatch,
            "no signature matches any configured secret",
        ))
    }

    /// The result of a verification whose key `index` matched.
    fn verified(&self, prepared: &Prepared<'_>, index: usize) -> Verified {
        Verified {
            scheme: self.scheme,
            id: prepared.id.map(str::to_owned),
            timestamp: prepared.timestamp,
            secret_index: index,
        }
    }

    /// Verifies `payload` with the crate's own HMAC.
    pub fn verify(
        &self,
        payload: &[u8],
        headers: &SignedHeaders<'_>,
        now: UnixMillis,
    ) -> Result<Verified> {
        let prepared = self.prepare(headers, now)?;
        let index = self.matching_own(&prepared, payload)?;
        Ok(self.verified(&prepared, index))
    }

    /// [`Verifier::matching_key`] with the crate's own HMAC of `prefix ‖ payload`.
    pub fn matching_own(&self, prepared: &Prepared<'_>, payload: &[u8]) -> Result<usize> {
        let keys = &self.keys;
        self.matching_key(prepared, &mut |i| match keys.get(i) {
            Some(key) => key.mac(&[&prepared.prefix, payload]),
            None => [0; 32],
        })
    }
}

/// Whether two MACs are equal, in constant time: the differences of all their bytes are
/// folded into one word without a branch, and that word alone goes through `subtle`'s
/// barrier (its slice comparison passes each of the 32 bytes through it).
fn macs_equal(a: &[u8; 32], b: &[u8; 32]) -> subtle::Choice {
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    diff.ct_eq(&0)
}

/// What the schemes' `prepare` needs besides the headers.
#[derive(Clone, Copy, Debug)]
pub struct Checked<'a> {
    /// Name of the signature header (for messages).
    pub sig_header: &'a str,
    /// Tolerance in seconds (`f64::INFINITY` = off), already validated.
    pub tolerance: f64,
    /// The current time.
    pub now: UnixMillis,
}

#[cfg(test)]
mod tests {
    use super::macs_equal;

    #[test]
    fn macs_equal_compares_every_bit() {
        let a: [u8; 32] = core::array::from_fn(|i| i as u8 * 7);
        assert!(bool::from(macs_equal(&a, &a)));
        for i in 0..32 {
            for bit in 0..8 {
                let mut b = a;
                b[i] ^= 1 << bit;
                assert!(!bool::from(macs_equal(&a, &b)), "byte {i}, bit {bit}");
            }
        }
    }
}
