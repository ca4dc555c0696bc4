//! The lean signing boundary: numbers in and out, bytes through two buffers in linear
//! memory, so a call costs no JS object walking and no serde. The package's JS
//! (`pkg-templates/webhooks.js`) writes UTF-8 and bytes into the input buffer, calls one
//! export, and reads the output buffer; it builds results and `LmsBridgeError`s itself.
//! Every decision (parsing, checks, MACs, constant-time comparison) is made here, by the
//! same core functions the rest of the crate uses.
//!
//! Conventions: exports return `0` (or a non-negative count/handle) on success and `-1` on
//! failure, with the output buffer then holding `CODE\0message`. Structured inputs are a
//! sequence of fields `[tag: u8][len: u32 LE][bytes]` (see [`Field`]).
//!
//! Verifiers (`new Webhook(…)` in JS) live in a slab and are addressed by handle; the JS
//! side frees them explicitly or through a `FinalizationRegistry`.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result};
use crate::signing::{self, Key, Scheme, SignedHeaders, Verified, Verifier};

/// Buffers larger than this are released after the call that needed them.
const KEEP_BYTES: usize = 1 << 20;

/// Field tags of structured inputs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
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

struct State {
    input: Vec<u8>,
    output: Vec<u8>,
    verifiers: Vec<Option<Verifier>>,
    pending: Option<Pending>,
}

thread_local! {
    // Initialised at compile time: no lazy-initialisation check in every export.
    static STATE: RefCell<State> = const {
        RefCell::new(State {
            input: Vec::new(),
            output: Vec::new(),
            verifiers: Vec::new(),
            pending: None,
        })
    };
}

/// Makes the input buffer at least `len` bytes long and returns its address; the caller
/// then writes the call's input there (and passes the lengths it wrote). `0` when the
/// memory cannot hold `len` bytes: the input is refused instead of aborting the instance.
#[wasm_bindgen(js_name = "__lmsb_input", skip_typescript)]
pub fn input(len: usize) -> usize {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let missing = len.saturating_sub(s.input.len());
        if missing > 0 {
            if s.input.try_reserve_exact(missing).is_err() {
                return 0;
            }
            s.input.resize(len, 0);
        }
        s.input.as_ptr() as usize
    })
}

/// The address of the last call's output.
#[wasm_bindgen(js_name = "__lmsb_output", skip_typescript)]
pub fn output() -> usize {
    STATE.with(|s| s.borrow().output.as_ptr() as usize)
}

/// The length of the last call's output.
#[wasm_bindgen(js_name = "__lmsb_output_len", skip_typescript)]
pub fn output_len() -> usize {
    STATE.with(|s| s.borrow().output.len())
}

/// Runs `f` on the state; writes its error (`CODE\0message`) as the output on failure.
/// (`dyn`, so the state access is compiled once, not once per export.)
fn call(f: &mut dyn FnMut(&mut State) -> Result<i32>) -> i32 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.output.clear();
        let result = f(&mut s);
        if s.input.len() > KEEP_BYTES {
            s.input = Vec::new();
        }
        match result {
            Ok(n) => n,
            Err(e) => {
                s.output.clear();
                s.output.extend_from_slice(e.code.as_str().as_bytes());
                s.output.push(0);
                s.output.extend_from_slice(e.message.as_bytes());
                -1
            }
        }
    })
}

/// The first `used` bytes of the input buffer.
fn used_input(s: &State, used: usize) -> Result<&[u8]> {
    s.input
        .get(..used)
        .ok_or_else(|| Error::invalid_input("input", "is truncated"))
}

/// Splits `n` bytes off the front of `rest`.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if n > rest.len() {
        return Err(Error::invalid_input("input", "is truncated"));
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

/// The fields of a structured input, in order.
fn fields(mut rest: &[u8]) -> Result<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let head = take(&mut rest, 5)?;
        let (tag, len) = match head {
            [tag, a, b, c, d] => (*tag, u32::from_le_bytes([*a, *b, *c, *d]) as usize),
            _ => return Err(Error::invalid_input("input", "is truncated")),
        };
        out.push((tag, take(&mut rest, len)?));
    }
    Ok(out)
}

fn text(bytes: &[u8], name: &str) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| Error::invalid_input(name, "must be text"))
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

/// The first field tagged `tag`.
fn field<'a>(fields: &[(u8, &'a [u8])], tag: Field) -> Option<&'a [u8]> {
    fields
        .iter()
        .find(|(t, _)| *t == tag as u8)
        .map(|(_, b)| *b)
}

fn scheme(code: u32) -> Result<Scheme> {
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

fn verifier(s: &State, handle: usize) -> Result<&Verifier> {
    s.verifiers
        .get(handle)
        .and_then(Option::as_ref)
        .ok_or_else(freed)
}

fn freed() -> Error {
    Error::new(ErrorCode::InvalidInput, "this Webhook has been freed")
}

/// Writes a verification result: `[timestamp f64, NaN if none][secretIndex u32][idStart
/// u32][idLen u32][id bytes]`; `id_start` is the id's byte offset in the id header value.
fn write_verified(out: &mut Vec<u8>, v: &Verified, id_start: usize) {
    let timestamp = v.timestamp.map_or(f64::NAN, |t| t as f64);
    let id = v.id.as_deref().unwrap_or_default();
    out.extend_from_slice(&timestamp.to_le_bytes());
    out.extend_from_slice(&(v.secret_index as u32).to_le_bytes());
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

/// Creates a verifier from the input fields (secrets, optional header override) and
/// returns its handle. `tolerance` is used when `has_tolerance` (infinity turns the
/// timestamp check off).
#[wasm_bindgen(js_name = "__lmsb_webhook_new", skip_typescript)]
pub fn webhook_new(used: usize, scheme_code: u32, has_tolerance: bool, tolerance: f64) -> i32 {
    call(&mut move |s| {
        let scheme = scheme(scheme_code)?;
        let fields = fields(used_input(s, used)?)?;
        let header = field(&fields, Field::Header)
            .map(|h| text(h, "header"))
            .transpose()?;
        let v = Verifier::new(
            scheme,
            &secrets(&fields)?,
            has_tolerance.then_some(tolerance),
            header.as_deref(),
        )?;
        let slot = match s.verifiers.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                s.verifiers.push(None);
                s.verifiers.len() - 1
            }
        };
        if let Some(entry) = s.verifiers.get_mut(slot) {
            *entry = Some(v);
        }
        Ok(slot as i32)
    })
}

/// Releases a verifier.
#[wasm_bindgen(js_name = "__lmsb_webhook_free", skip_typescript)]
pub fn webhook_free(handle: usize) {
    STATE.with(|s| {
        if let Some(entry) = s.borrow_mut().verifiers.get_mut(handle) {
            *entry = None;
        }
    });
}

/// Writes the verifier's decoded HMAC keys as length-prefixed byte strings (for a host
/// that computes the MAC natively) and returns their number.
#[wasm_bindgen(js_name = "__lmsb_webhook_keys", skip_typescript)]
pub fn webhook_keys(handle: usize) -> i32 {
    call(&mut move |s| {
        let State {
            verifiers, output, ..
        } = s;
        let keys = verifiers
            .get(handle)
            .and_then(Option::as_ref)
            .ok_or_else(freed)?
            .key_bytes();
        for k in keys {
            output.extend_from_slice(&(k.len() as u32).to_le_bytes());
            output.extend_from_slice(k);
        }
        Ok(keys.len() as i32)
    })
}

/// The three header values, then (for `verify`) the payload, from the input buffer.
fn split_input(input: &[u8], lens: [usize; 4]) -> Result<([&str; 3], &[u8])> {
    let mut rest = input;
    let mut values = [""; 3];
    for (value, len) in values.iter_mut().zip(lens) {
        *value = core::str::from_utf8(take(&mut rest, len)?)
            .map_err(|_| Error::invalid_input("headers", "must be text"))?;
    }
    let [.., payload_len] = lens;
    Ok((values, take(&mut rest, payload_len)?))
}

fn signed<'a>(values: &[&'a str; 3]) -> SignedHeaders<'a> {
    let present = |v: &&'a str| (!v.is_empty()).then_some(*v);
    let [signature, id, timestamp] = values;
    SignedHeaders {
        signature: present(signature),
        id: present(id),
        timestamp: present(timestamp),
    }
}

/// Verifies with the crate's HMAC. Input: signature, id and timestamp header values (of
/// the given UTF-8 lengths; 0 = absent), then the payload. Returns the output's address
/// (see [`write_verified`]), or -1.
#[wasm_bindgen(js_name = "__lmsb_webhook_verify", skip_typescript)]
pub fn webhook_verify(
    handle: usize,
    sig_len: usize,
    id_len: usize,
    ts_len: usize,
    payload_len: usize,
    now_ms: f64,
) -> i32 {
    call(&mut move |s| {
        let lens = [sig_len, id_len, ts_len, payload_len];
        let ([sig, id, ts], payload) = split_input(&s.input, lens)?;
        let headers = signed(&[sig, id, ts]);
        let v = verifier(s, handle)?;
        let prepared = v.prepare(&headers, now(now_ms)?)?;
        let verified = v.verify_prepared(&prepared, payload)?;
        let id_start = offset_in(id, prepared.id);
        write_verified(&mut s.output, &verified, id_start);
        Ok(s.output.as_ptr() as i32)
    })
}

/// First half of a verification whose MAC the host computes: every check before the
/// MAC. Input as for `verify`, without the payload. Output: the bytes signed before the
/// payload. Then call `__lmsb_webhook_finish` with one MAC per key.
#[wasm_bindgen(js_name = "__lmsb_webhook_prepare", skip_typescript)]
pub fn webhook_prepare(
    handle: usize,
    sig_len: usize,
    id_len: usize,
    ts_len: usize,
    now_ms: f64,
) -> i32 {
    call(&mut move |s| {
        s.pending = None;
        let ([sig, id, ts], _) = split_input(&s.input, [sig_len, id_len, ts_len, 0])?;
        let prepared = verifier(s, handle)?.prepare(&signed(&[sig, id, ts]), now(now_ms)?)?;
        let pending = Pending {
            handle,
            tags: prepared.tags,
            id: prepared.id.map(str::to_owned),
            id_start: offset_in(id, prepared.id),
            timestamp: prepared.timestamp,
        };
        s.output = prepared.prefix;
        s.pending = Some(pending);
        Ok(0)
    })
}

/// Second half: input is one 32-byte MAC per key (of `prefix ‖ payload`), in key order.
/// Compares them with the received tags in constant time. Returns as `verify` does.
#[wasm_bindgen(js_name = "__lmsb_webhook_finish", skip_typescript)]
pub fn webhook_finish(handle: usize) -> i32 {
    call(&mut move |s| {
        let pending = s
            .pending
            .take()
            .filter(|p| p.handle == handle)
            .ok_or_else(|| Error::invalid_input("finish", "has no prepared verification"))?;
        let prepared = signing::Prepared {
            prefix: Vec::new(),
            tags: pending.tags,
            id: pending.id.as_deref(),
            timestamp: pending.timestamp,
        };
        let macs = &s.input;
        let verified = verifier(s, handle)?.finish(&prepared, &mut |i| {
            macs.get(i * 32..i * 32 + 32)
                .and_then(|m| <[u8; 32]>::try_from(m).ok())
                .unwrap_or([0; 32])
        })?;
        let mut out = Vec::new();
        write_verified(&mut out, &verified, pending.id_start);
        s.output = out;
        Ok(s.output.as_ptr() as i32)
    })
}

/// Signs a payload. Input fields: one secret, the payload, and an id or random bytes for
/// one (Standard Webhooks). Output: the headers as length-prefixed name, value pairs.
#[wasm_bindgen(js_name = "__lmsb_sign_webhook", skip_typescript)]
pub fn sign_webhook(used: usize, scheme_code: u32, timestamp: f64) -> i32 {
    call(&mut move |s| {
        let scheme = scheme(scheme_code)?;
        let fields = fields(used_input(s, used)?)?;
        let secret = secrets(&fields)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid_config("secret", "is required"))?;
        let id = match (field(&fields, Field::Id), field(&fields, Field::Random)) {
            (Some(id), _) => text(id, "id")?,
            (None, Some(random)) => signing::new_message_id(random),
            (None, None) => String::new(),
        };
        let payload = field(&fields, Field::Data).unwrap_or_default();
        let headers = signing::sign_webhook(scheme, payload, &secret, &id, timestamp as i64)?;
        for (name, value) in &headers.0 {
            write_str(&mut s.output, name);
            write_str(&mut s.output, value);
        }
        Ok(headers.0.len() as i32)
    })
}

/// Signs a URL. Input fields: one secret, the URL. `expires_in` is used when
/// `has_expires_in`. Output: the signed URL.
#[wasm_bindgen(js_name = "__lmsb_sign_url", skip_typescript)]
pub fn sign_url(used: usize, has_expires_in: bool, expires_in: f64, now_ms: f64) -> i32 {
    call(&mut move |s| {
        let fields = fields(used_input(s, used)?)?;
        let secret = secrets(&fields)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid_config("secret", "is required"))?;
        let url = text(field(&fields, Field::Data).unwrap_or_default(), "url")?;
        let signed = signing::sign_url(
            &url,
            &secret,
            has_expires_in.then_some(expires_in),
            now(now_ms)?,
        )?;
        s.output = signed.into_bytes();
        Ok(0)
    })
}

/// Checks a signed URL. Input fields: the secrets, the URL, and the allowed origins (when
/// `has_origins`). Output: `[expiresAt f64]` then the URL without `expires`/`sig`.
#[wasm_bindgen(js_name = "__lmsb_verify_signed_url", skip_typescript)]
pub fn verify_signed_url(used: usize, has_origins: bool, now_ms: f64) -> i32 {
    call(&mut move |s| {
        let fields = fields(used_input(s, used)?)?;
        let url = text(field(&fields, Field::Data).unwrap_or_default(), "url")?;
        let mut origins = Vec::new();
        for (tag, bytes) in &fields {
            if *tag == Field::Origin as u8 {
                origins.push(text(bytes, "allowedOrigins")?);
            }
        }
        let verified = signing::verify_signed_url(
            &url,
            &secrets(&fields)?,
            now(now_ms)?,
            has_origins.then_some(origins.as_slice()),
        )?;
        s.output
            .extend_from_slice(&(verified.expires_at as f64).to_le_bytes());
        s.output.extend_from_slice(verified.url.as_bytes());
        Ok(0)
    })
}

/// HMAC-SHA256: input is the key (`key_len` bytes) then the message. Output: the MAC.
#[wasm_bindgen(js_name = "__lmsb_hmac_sha256", skip_typescript)]
pub fn hmac_sha256(key_len: usize, msg_len: usize) -> i32 {
    call(&mut move |s| {
        let mut rest = s.input.as_slice();
        let key = take(&mut rest, key_len)?;
        let msg = take(&mut rest, msg_len)?;
        s.output = signing::hmac_sha256(key, msg).to_vec();
        Ok(0)
    })
}

/// SHA-256 of the input's first `len` bytes. Output: the digest.
#[wasm_bindgen(js_name = "__lmsb_sha256", skip_typescript)]
pub fn sha256(len: usize) -> i32 {
    call(&mut move |s| {
        s.output = signing::sha256(used_input(s, len)?).to_vec();
        Ok(0)
    })
}

/// Constant-time equality of the input's first `a_len` bytes and the next `b_len`: 1 or 0.
#[wasm_bindgen(js_name = "__lmsb_timing_safe_equal", skip_typescript)]
pub fn timing_safe_equal(a_len: usize, b_len: usize) -> i32 {
    call(&mut move |s| {
        let mut rest = s.input.as_slice();
        let a = take(&mut rest, a_len)?;
        let b = take(&mut rest, b_len)?;
        Ok(i32::from(signing::timing_safe_equal(a, b)))
    })
}
