//! The lean signing boundary: numbers in and out, bytes through two buffers in linear
//! memory, so a call costs no JS object walking and no serde. Each export runs one call
//! of [`Wire`] (its conventions, and every decision, are there, natively tested); the
//! package's JS (`pkg-templates/signing.js`) writes the input, calls one export, reads the
//! output, and builds results and `LmsBridgeError`s itself.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::Result;
use crate::signing::wire::Wire;

thread_local! {
    // Initialised at compile time: no lazy-initialisation check in every export.
    static STATE: RefCell<Wire> = const { RefCell::new(Wire::new()) };
}

/// Runs one call of the wire ([`Wire::run`]).
fn call(f: &mut dyn FnMut(&mut Wire) -> Result<i32>) -> i32 {
    STATE.with(|s| s.borrow_mut().run(f))
}

/// As [`call`], returning the output's address on success (the verifications).
fn call_for_output(f: &mut dyn FnMut(&mut Wire) -> Result<i32>) -> i32 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        match s.run(f) {
            -1 => -1,
            _ => s.output().as_ptr() as i32,
        }
    })
}

/// Makes the input buffer at least `len` bytes long and returns its address; the caller
/// then writes the call's input there (and passes the lengths it wrote). `0` when the
/// memory cannot hold `len` bytes: the input is refused instead of aborting the instance.
#[wasm_bindgen(js_name = "__lmsb_input", skip_typescript)]
pub fn input(len: usize) -> usize {
    STATE.with(|s| s.borrow_mut().input(len).map_or(0, |b| b.as_ptr() as usize))
}

/// The address of the last call's output.
#[wasm_bindgen(js_name = "__lmsb_output", skip_typescript)]
pub fn output() -> usize {
    STATE.with(|s| s.borrow().output().as_ptr() as usize)
}

/// The length of the last call's output.
#[wasm_bindgen(js_name = "__lmsb_output_len", skip_typescript)]
pub fn output_len() -> usize {
    STATE.with(|s| s.borrow().output().len())
}

/// [`Wire::webhook_new`]: `tolerance` is used when `has_tolerance`.
#[wasm_bindgen(js_name = "__lmsb_webhook_new", skip_typescript)]
pub fn webhook_new(used: usize, scheme: u32, has_tolerance: bool, tolerance: f64) -> i32 {
    call(&mut |w| w.webhook_new(used, scheme, has_tolerance.then_some(tolerance)))
}

/// [`Wire::webhook_free`].
#[wasm_bindgen(js_name = "__lmsb_webhook_free", skip_typescript)]
pub fn webhook_free(handle: usize) {
    STATE.with(|s| s.borrow_mut().webhook_free(handle));
}

/// [`Wire::webhook_keys`].
#[wasm_bindgen(js_name = "__lmsb_webhook_keys", skip_typescript)]
pub fn webhook_keys(handle: usize) -> i32 {
    call(&mut |w| w.webhook_keys(handle))
}

/// [`Wire::webhook_verify`]; returns the output's address, or -1.
#[wasm_bindgen(js_name = "__lmsb_webhook_verify", skip_typescript)]
pub fn webhook_verify(
    handle: usize,
    sig_len: usize,
    id_len: usize,
    ts_len: usize,
    payload_len: usize,
    now_ms: f64,
) -> i32 {
    let lens = [sig_len, id_len, ts_len, payload_len];
    call_for_output(&mut |w| w.webhook_verify(handle, lens, now_ms))
}

/// [`Wire::webhook_prepare`].
#[wasm_bindgen(js_name = "__lmsb_webhook_prepare", skip_typescript)]
pub fn webhook_prepare(
    handle: usize,
    sig_len: usize,
    id_len: usize,
    ts_len: usize,
    now_ms: f64,
) -> i32 {
    call(&mut |w| w.webhook_prepare(handle, [sig_len, id_len, ts_len], now_ms))
}

/// [`Wire::webhook_finish`]; returns the output's address, or -1.
#[wasm_bindgen(js_name = "__lmsb_webhook_finish", skip_typescript)]
pub fn webhook_finish(handle: usize) -> i32 {
    call_for_output(&mut |w| w.webhook_finish(handle))
}

/// [`Wire::sign_webhook`].
#[wasm_bindgen(js_name = "__lmsb_sign_webhook", skip_typescript)]
pub fn sign_webhook(used: usize, scheme: u32, timestamp: f64) -> i32 {
    call(&mut |w| w.sign_webhook(used, scheme, timestamp))
}

/// [`Wire::sign_url`]: `expires_in` is used when `has_expires_in`.
#[wasm_bindgen(js_name = "__lmsb_sign_url", skip_typescript)]
pub fn sign_url(used: usize, has_expires_in: bool, expires_in: f64, now_ms: f64) -> i32 {
    call(&mut |w| w.sign_url(used, has_expires_in.then_some(expires_in), now_ms))
}

/// [`Wire::verify_signed_url`].
#[wasm_bindgen(js_name = "__lmsb_verify_signed_url", skip_typescript)]
pub fn verify_signed_url(used: usize, has_origins: bool, now_ms: f64) -> i32 {
    call(&mut |w| w.verify_signed_url(used, has_origins, now_ms))
}

/// [`Wire::hmac_sha256`].
#[wasm_bindgen(js_name = "__lmsb_hmac_sha256", skip_typescript)]
pub fn hmac_sha256(key_len: usize, msg_len: usize) -> i32 {
    call(&mut |w| w.hmac_sha256(key_len, msg_len))
}

/// [`Wire::sha256`].
#[wasm_bindgen(js_name = "__lmsb_sha256", skip_typescript)]
pub fn sha256(len: usize) -> i32 {
    call(&mut |w| w.sha256(len))
}

/// [`Wire::timing_safe_equal`].
#[wasm_bindgen(js_name = "__lmsb_timing_safe_equal", skip_typescript)]
pub fn timing_safe_equal(a_len: usize, b_len: usize) -> i32 {
    call(&mut |w| w.timing_safe_equal(a_len, b_len))
}
