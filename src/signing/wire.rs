//! The lean signing boundary's calls, host-independent: numbers in and out, bytes through
//! two buffers. The host (`src/wasm/lean.rs` and the package's `signing.js`) writes a call's
//! UTF-8 and bytes into the input buffer, runs one call, and reads the output buffer; it
//! builds results and `LmsBridgeError`s itself. Every decision (parsing, checks, MACs,
//! constant-time comparison) is made by the same functions the rest of the crate uses.
//!
//! Conventions: a call returns `0` (or a non-negative count or handle) on success and `-1`
//! on failure, with the output buffer then holding `CODE\0message` ([`Wire::run`]).
//! Structured inputs are a sequence of fields `[tag: u8][len: u32 LE][bytes]` (see
//! [`Field`]). Verifiers (`new Webhook(…)` in JS) live in a slab and are addressed by
//! handle; the host frees them explicitly or through a `FinalizationRegistry`.

use super::{Key, Prepared, Scheme, SignedHeaders, Verifier};
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result};

/// Buffers larger than this are released after the call that needed them.
const KEEP_BYTES: usize = 1 << 20;

/// Field tags of structured inputs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Field {
    /// A secret given as a string.
    TextSecret = 0,
    /// A secret given as bytes.
    ByteSecret = 1,
    /// The signature header name override.
    Header = 2,
    /// A Standard Webhooks message id.
    Id = 3,
    /// Random bytes for a generated message id.
    Random = 4,
    /// A payload, URL, key or message.
    Data = 5,
    /// One allowed origin (signed URLs).
    Origin = 6,
}

/// A verification prepared for an outside MAC: owned, since the input buffer is reused.
struct Pending {
    handle: usize,
    tags: Vec<[u8; 32]>,
    id: Option<String>,
    id_start: usize,
    timestamp: Option<i64>,
}

/// The boundary's state: the two buffers, the verifiers, a verification awaiting its MACs.
pub struct Wire {
    input: Vec<u8>,
    output: Vec<u8>,
    verifiers: Vec<Option<Verifier>>,
    pending: Option<Pending>,
}

impl Default for Wire {
    fn default() -> Self {
        Self::new()
    }
}

impl Wire {
    /// Empty buffers, no verifier (`const`: the host keeps one in a `thread_local!`
    /// initialised at compile time).
    pub const fn new() -> Self {
        Self {
            input: Vec::new(),
            output: Vec::new(),
            verifiers: Vec::new(),
            pending: None,
        }
    }

    /// The input buffer, made at least `len` bytes long, for the host to write the next
    /// call's input into; `None` when the memory cannot hold `len` bytes (the input is
    /// refused instead of aborting).
    pub fn input(&mut self, len: usize) -> Option<&mut [u8]> {
        let missing = len.saturating_sub(self.input.len());
        if missing > 0 {
            self.input.try_reserve_exact(missing).ok()?;
            self.input.resize(len, 0);
        }
        Some(&mut self.input)
    }

    /// The last call's output.
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// The first `used` bytes of the input buffer, for calls defined outside this module
    /// (`handoff::wire`).
    pub fn input_bytes(&self, used: usize) -> Result<&[u8]> {
        self.used(used)
    }

    /// Sets the call's output, for calls defined outside this module.
    pub fn set_output(&mut self, output: Vec<u8>) {
        self.output = output;
    }

    /// Runs one call: clears the output, runs `f`, and on failure writes its error as
    /// `CODE\0message` and returns `-1`. A large input buffer is released afterwards.
    /// (`dyn`, so this is compiled once, not once per call.)
    pub fn run(&mut self, f: &mut dyn FnMut(&mut Self) -> Result<i32>) -> i32 {
        self.output.clear();
        let result = f(self);
        if self.input.len() > KEEP_BYTES {
            self.input = Vec::new();
        }
        match result {
            Ok(n) => n,
            Err(e) => {
                self.output.clear();
                self.output.extend_from_slice(e.code.as_str().as_bytes());
                self.output.push(0);
                self.output.extend_from_slice(e.message.as_bytes());
                -1
            }
        }
    }

    /// The first `used` bytes of the input buffer.
    fn used(&self, used: usize) -> Result<&[u8]> {
        self.input.get(..used).ok_or_else(truncated)
    }

    /// The input's first `a` bytes and the `b` after them.
    fn two(&self, a: usize, b: usize) -> Result<(&[u8], &[u8])> {
        let mut rest = self.input.as_slice();
        Ok((take(&mut rest, a)?, take(&mut rest, b)?))
    }

    /// Creates a verifier from the first `used` input bytes (fields: the secrets, an
    /// optional header name) and returns its handle. `tolerance`: seconds (infinity turns
    /// the timestamp check off), or `None` for the default.
    #[inline]
    pub fn webhook_new(&mut self, used: usize, scheme: u32, tolerance: Option<f64>) -> Result<i32> {
        let scheme = scheme_of(scheme)?;
        let fields = fields(self.used(used)?)?;
        let header = field(&fields, Field::Header)
            .map(|h| text(h, "header"))
            .transpose()?;
        let v = Verifier::new(scheme, &secrets(&fields)?, tolerance, header)?;
        let slot = match self.verifiers.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.verifiers.push(None);
                self.verifiers.len() - 1
            }
        };
        if let Some(entry) = self.verifiers.get_mut(slot) {
            *entry = Some(v);
        }
        Ok(slot as i32)
    }

    /// Releases a verifier (nothing for a handle already free or never made).
    pub fn webhook_free(&mut self, handle: usize) {
        if let Some(entry) = self.verifiers.get_mut(handle) {
            *entry = None;
        }
    }

    /// Writes the verifier's decoded HMAC keys as length-prefixed byte strings (for a host
    /// that computes the MAC natively) and returns their number.
    #[inline]
    pub fn webhook_keys(&mut self, handle: usize) -> Result<i32> {
        let keys = verifier(&self.verifiers, handle)?.key_bytes();
        for k in keys {
            self.output
                .extend_from_slice(&(k.len() as u32).to_le_bytes());
            self.output.extend_from_slice(k);
        }
        Ok(keys.len() as i32)
    }

    /// Verifies with the crate's HMAC. Input: the signature, id and timestamp header values
    /// (of the UTF-8 lengths in `lens`; 0 = absent), then the payload (`lens[3]`). Output:
    /// see `write_verified`.
    #[inline]
    pub fn webhook_verify(&mut self, handle: usize, lens: [usize; 4], now_ms: f64) -> Result<i32> {
        let ([sig, id, ts], payload) = split_input(&self.input, lens)?;
        let v = verifier(&self.verifiers, handle)?;
        let prepared = v.prepare(&signed(&[sig, id, ts]), now(now_ms)?)?;
        let index = v.matching_own(&prepared, payload)?;
        write_verified(
            &mut self.output,
            &prepared,
            index,
            offset_in(id, prepared.id),
        );
        Ok(0)
    }

    /// First half of a verification whose MAC the host computes: every check before the MAC.
    /// Input as for [`Self::webhook_verify`], without the payload. Output: the bytes signed
    /// before the payload. Then [`Self::webhook_finish`] with one MAC per key.
    #[inline]
    pub fn webhook_prepare(&mut self, handle: usize, lens: [usize; 3], now_ms: f64) -> Result<i32> {
        self.pending = None;
        let [sig_len, id_len, ts_len] = lens;
        let ([sig, id, ts], _) = split_input(&self.input, [sig_len, id_len, ts_len, 0])?;
        let prepared =
            verifier(&self.verifiers, handle)?.prepare(&signed(&[sig, id, ts]), now(now_ms)?)?;
        let pending = Pending {
            handle,
            tags: prepared.tags,
            id: prepared.id.map(str::to_owned),
            id_start: offset_in(id, prepared.id),
            timestamp: prepared.timestamp,
        };
        self.output = prepared.prefix;
        self.pending = Some(pending);
        Ok(0)
    }

    /// Second half: the input is one 32-byte MAC per key (of `prefix ‖ payload`), in key
    /// order, compared with the received tags in constant time. Output as for
    /// [`Self::webhook_verify`].
    #[inline]
    pub fn webhook_finish(&mut self, handle: usize) -> Result<i32> {
        let pending = self
            .pending
            .take()
            .filter(|p| p.handle == handle)
            .ok_or_else(|| Error::invalid_input("finish", "has no prepared verification"))?;
        let prepared = Prepared {
            prefix: Vec::new(),
            tags: pending.tags,
            id: pending.id.as_deref(),
            timestamp: pending.timestamp,
        };
        let macs = &self.input;
        let index = verifier(&self.verifiers, handle)?.matching_key(&prepared, &mut |i| {
            macs.get(i * 32..i * 32 + 32)
                .and_then(|m| <[u8; 32]>::try_from(m).ok())
                .unwrap_or([0; 32])
        })?;
        let mut out = Vec::new();
        write_verified(&mut out, &prepared, index, pending.id_start);
        self.output = out;
        Ok(0)
    }

    /// Signs a payload. Input fields: one secret, the payload, and an id or random bytes for
    /// one (Standard Webhooks). Output: the headers as length-prefixed name, value pairs;
    /// returns their number.
    #[inline]
    pub fn sign_webhook(&mut self, used: usize, scheme: u32, timestamp: f64) -> Result<i32> {
        let scheme = scheme_of(scheme)?;
        let fields = fields(self.used(used)?)?;
        let secret = first_secret(&fields)?;
        let id = match (field(&fields, Field::Id), field(&fields, Field::Random)) {
            (Some(id), _) => text(id, "id")?.to_owned(),
            (None, Some(random)) => super::new_message_id(random),
            (None, None) => String::new(),
        };
        let payload = field(&fields, Field::Data).unwrap_or_default();
        let headers = super::sign_webhook(scheme, payload, &secret, &id, timestamp as i64)?;
        for (name, value) in &headers.0 {
            write_str(&mut self.output, name);
            write_str(&mut self.output, value);
        }
        Ok(headers.0.len() as i32)
    }

    /// Signs a URL. Input fields: one secret, the URL. Output: the signed URL.
    #[inline]
    pub fn sign_url(&mut self, used: usize, expires_in: Option<f64>, now_ms: f64) -> Result<i32> {
        let fields = fields(self.used(used)?)?;
        let secret = first_secret(&fields)?;
        let url = text(field(&fields, Field::Data).unwrap_or_default(), "url")?;
        self.output = super::sign_url(url, &secret, expires_in, now(now_ms)?)?.into_bytes();
        Ok(0)
    }

    /// Checks a signed URL. Input fields: the secrets, the URL, and the allowed origins
    /// (when `has_origins`). Output: `[expiresAt f64]` then the URL without `expires`/`sig`.
    #[inline]
    pub fn verify_signed_url(
        &mut self,
        used: usize,
        has_origins: bool,
        now_ms: f64,
    ) -> Result<i32> {
        let fields = fields(self.used(used)?)?;
        let url = text(field(&fields, Field::Data).unwrap_or_default(), "url")?;
        let mut origins = Vec::new();
        for (tag, bytes) in &fields {
            if *tag == Field::Origin as u8 {
                origins.push(text(bytes, "allowedOrigins")?);
            }
        }
        let verified = super::verify_signed_url(
            url,
            &secrets(&fields)?,
            now(now_ms)?,
            has_origins.then_some(origins.as_slice()),
        )?;
        self.output
            .extend_from_slice(&(verified.expires_at as f64).to_le_bytes());
        self.output.extend_from_slice(verified.url.as_bytes());
        Ok(0)
    }

    /// HMAC-SHA256: the input is the key (`key_len` bytes), then the message. Output: the MAC.
    #[inline]
    pub fn hmac_sha256(&mut self, key_len: usize, msg_len: usize) -> Result<i32> {
        let (key, msg) = self.two(key_len, msg_len)?;
        self.output = super::hmac_sha256(key, msg).to_vec();
        Ok(0)
    }

    /// SHA-256 of the input's first `len` bytes. Output: the digest.
    #[inline]
    pub fn sha256(&mut self, len: usize) -> Result<i32> {
        self.output = super::sha256(self.used(len)?).to_vec();
        Ok(0)
    }

    /// Constant-time equality of the input's first `a_len` bytes and the next `b_len`:
    /// 1 or 0.
    #[inline]
    pub fn timing_safe_equal(&mut self, a_len: usize, b_len: usize) -> Result<i32> {
        let (a, b) = self.two(a_len, b_len)?;
        Ok(i32::from(super::timing_safe_equal(a, b)))
    }
}

/// Why an input shorter than its lengths say is refused.
pub fn truncated() -> Error {
    Error::invalid_input("input", "is truncated")
}

/// The verifier at `handle`; a freed or unknown handle is `INVALID_INPUT`. (Over the slab
/// alone, so that a call may write the output while it holds the verifier.)
fn verifier(verifiers: &[Option<Verifier>], handle: usize) -> Result<&Verifier> {
    verifiers
        .get(handle)
        .and_then(Option::as_ref)
        .ok_or_else(|| Error::new(ErrorCode::InvalidInput, "this Webhook has been freed"))
}

/// Splits `n` bytes off the front of `rest` (`INVALID_INPUT` "is truncated" when it is
/// shorter): how every call on this boundary reads its input, the hand-off's too.
pub fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if n > rest.len() {
        return Err(truncated());
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

/// The fields of a structured input, in order.
fn fields(mut rest: &[u8]) -> Result<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (tag, len) = match take(&mut rest, 5)? {
            [tag, a, b, c, d] => (*tag, u32::from_le_bytes([*a, *b, *c, *d]) as usize),
            _ => return Err(truncated()),
        };
        out.push((tag, take(&mut rest, len)?));
    }
    Ok(out)
}

fn text<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str> {
    core::str::from_utf8(bytes).map_err(|_| Error::invalid_input(name, "must be text"))
}

/// The secrets among `fields`, in order.
fn secrets(fields: &[(u8, &[u8])]) -> Result<Vec<Key>> {
    let mut keys = Vec::new();
    for (tag, bytes) in fields {
        if *tag == Field::TextSecret as u8 {
            keys.push(Key::text(text(bytes, "secret")?));
        } else if *tag == Field::ByteSecret as u8 {
            keys.push(Key::bytes(bytes.to_vec()));
        }
    }
    Ok(keys)
}

/// The first secret among `fields`; none is `INVALID_CONFIG`.
fn first_secret(fields: &[(u8, &[u8])]) -> Result<Key> {
    secrets(fields)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::invalid_config("secret", "is required"))
}

/// The first field tagged `tag`.
fn field<'a>(fields: &[(u8, &'a [u8])], tag: Field) -> Option<&'a [u8]> {
    fields
        .iter()
        .find(|(t, _)| *t == tag as u8)
        .map(|(_, b)| *b)
}

/// A scheme by its number in `signing.js`; another number is `INVALID_CONFIG`.
fn scheme_of(code: u32) -> Result<Scheme> {
    match code {
        0 => Ok(Scheme::StandardWebhooks),
        1 => Ok(Scheme::Stripe),
        2 => Ok(Scheme::Github),
        _ => Scheme::parse(""),
    }
}

fn now(ms: f64) -> Result<UnixMillis> {
    if ms.is_finite() {
        Ok(UnixMillis(ms as i64))
    } else {
        Err(Error::invalid_input("now", "must be a finite number"))
    }
}

/// Writes a verification result: `[timestamp f64, NaN if none][secretIndex u32][idStart
/// u32][idLen u32][id bytes]`; `id_start` is the id's byte offset in the id header value.
fn write_verified(out: &mut Vec<u8>, p: &Prepared<'_>, secret_index: usize, id_start: usize) {
    let timestamp = p.timestamp.map_or(f64::NAN, |t| t as f64);
    let id = p.id.unwrap_or_default();
    out.extend_from_slice(&timestamp.to_le_bytes());
    out.extend_from_slice(&(secret_index as u32).to_le_bytes());
    out.extend_from_slice(&(id_start as u32).to_le_bytes());
    out.extend_from_slice(&(id.len() as u32).to_le_bytes());
    out.extend_from_slice(id.as_bytes());
}

/// Where `part` (a slice of `whole`) starts in it.
fn offset_in(whole: &str, part: Option<&str>) -> usize {
    part.map_or(0, |p| {
        (p.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
    })
}

/// Appends one length-prefixed string to the output.
fn write_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The three header values, then (for `verify`) the payload, from the input buffer.
fn split_input(input: &[u8], lens: [usize; 4]) -> Result<([&str; 3], &[u8])> {
    let mut rest = input;
    let [sig, id, ts, payload] = lens;
    let mut value = |len| {
        core::str::from_utf8(take(&mut rest, len)?)
            .map_err(|_| Error::invalid_input("headers", "must be text"))
    };
    let values = [value(sig)?, value(id)?, value(ts)?];
    Ok((values, take(&mut rest, payload)?))
}

/// The headers of a verification; an empty value is an absent header.
fn signed<'a>(values: &[&'a str; 3]) -> SignedHeaders<'a> {
    let present = |v: &&'a str| (!v.is_empty()).then_some(*v);
    let [signature, id, timestamp] = values;
    SignedHeaders {
        signature: present(signature),
        id: present(id),
        timestamp: present(timestamp),
    }
}

#[cfg(test)]
mod tests;
