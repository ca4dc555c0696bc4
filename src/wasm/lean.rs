//! The lean boundary: numbers in and out, bytes through two buffers in linear memory, so a
//! call costs no JS object walking and no serde. Each export runs one call of [`Wire`] (its
//! conventions, and every decision, are there, natively tested); the package's JS writes the
//! input, calls one export, reads the output, and builds results and `LmsBridgeError`s
//! itself. Two sets of calls, each behind a feature: the signing calls (`signing-exports`:
//! the vendor module and `lms-bridge/webhooks`'; `pkg-templates/signing.js`) and the browser
//! hand-off's (`handoff-exports`: `lms-bridge/handoff`'s; `pkg-templates/handoff.js`), and
//! AlphaLearn's sans-IO twins (`alphalearn-exports`: the vendor module's;
//! `pkg-templates/twins.js`, as LearnWorlds' and Teach on Mars' twins, which their classes
//! export).
//!
//! The functions are the module's own exports, under their names (`#[unsafe(export_name)]`,
//! the one construct `unsafe_code` is allowed for: a name no other symbol has), not
//! `#[wasm_bindgen]` ones: numbers need no conversion, and the package's JS calls the
//! instance's exports directly. The signing and hand-off modules are then free of
//! wasm-bindgen: they import nothing, and their glue is `pkg-templates/small-glue.js`. A flag
//! is a `u32` (0 or not), never a `bool`, which a caller could pass as another number.
#![allow(unsafe_code)]

use std::cell::RefCell;

use crate::error::Result;
use crate::signing::wire::Wire;

thread_local! {
    // Initialised at compile time: no lazy-initialisation check in every export.
    static STATE: RefCell<Wire> = const { RefCell::new(Wire::new()) };
}

/// Runs one call of the wire ([`Wire::run`]).
pub(crate) fn call(f: &mut dyn FnMut(&mut Wire) -> Result<i32>) -> i32 {
    STATE.with(|s| s.borrow_mut().run(f))
}

/// Makes the input buffer at least `len` bytes long and returns its address; the caller
/// then writes the call's input there (and passes the lengths it wrote). `0` when the
/// memory cannot hold `len` bytes: the input is refused instead of aborting the instance.
#[unsafe(export_name = "__lmsb_input")]
pub extern "C" fn input(len: usize) -> usize {
    STATE.with(|s| s.borrow_mut().input(len).map_or(0, |b| b.as_ptr() as usize))
}

/// The address of the last call's output.
#[unsafe(export_name = "__lmsb_output")]
pub extern "C" fn output() -> usize {
    STATE.with(|s| s.borrow().output().as_ptr() as usize)
}

/// The length of the last call's output.
#[unsafe(export_name = "__lmsb_output_len")]
pub extern "C" fn output_len() -> usize {
    STATE.with(|s| s.borrow().output().len())
}

/// The signing calls ([`crate::signing::wire`]).
#[cfg(feature = "signing-exports")]
mod signing {
    use super::{call, STATE};
    use crate::error::Result;
    use crate::signing::wire::Wire;

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

    /// [`Wire::webhook_new`]: `tolerance` is used when `has_tolerance`.
    #[unsafe(export_name = "__lmsb_webhook_new")]
    pub extern "C" fn webhook_new(
        used: usize,
        scheme: u32,
        has_tolerance: u32,
        tolerance: f64,
    ) -> i32 {
        call(&mut |w| w.webhook_new(used, scheme, (has_tolerance != 0).then_some(tolerance)))
    }

    /// [`Wire::webhook_free`].
    #[unsafe(export_name = "__lmsb_webhook_free")]
    pub extern "C" fn webhook_free(handle: usize) {
        STATE.with(|s| s.borrow_mut().webhook_free(handle));
    }

    /// [`Wire::webhook_keys`].
    #[unsafe(export_name = "__lmsb_webhook_keys")]
    pub extern "C" fn webhook_keys(handle: usize) -> i32 {
        call(&mut |w| w.webhook_keys(handle))
    }

    /// [`Wire::webhook_verify`]; returns the output's address, or -1.
    #[unsafe(export_name = "__lmsb_webhook_verify")]
    pub extern "C" fn webhook_verify(
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
    #[unsafe(export_name = "__lmsb_webhook_prepare")]
    pub extern "C" fn webhook_prepare(
        handle: usize,
        sig_len: usize,
        id_len: usize,
        ts_len: usize,
        now_ms: f64,
    ) -> i32 {
        call(&mut |w| w.webhook_prepare(handle, [sig_len, id_len, ts_len], now_ms))
    }

    /// [`Wire::webhook_finish`]; returns the output's address, or -1.
    #[unsafe(export_name = "__lmsb_webhook_finish")]
    pub extern "C" fn webhook_finish(handle: usize) -> i32 {
        call_for_output(&mut |w| w.webhook_finish(handle))
    }

    /// [`Wire::sign_webhook`].
    #[unsafe(export_name = "__lmsb_sign_webhook")]
    pub extern "C" fn sign_webhook(used: usize, scheme: u32, timestamp: f64) -> i32 {
        call(&mut |w| w.sign_webhook(used, scheme, timestamp))
    }

    /// [`Wire::sign_url`]: `expires_in` is used when `has_expires_in`.
    #[unsafe(export_name = "__lmsb_sign_url")]
    pub extern "C" fn sign_url(
        used: usize,
        has_expires_in: u32,
        expires_in: f64,
        now_ms: f64,
    ) -> i32 {
        call(&mut |w| w.sign_url(used, (has_expires_in != 0).then_some(expires_in), now_ms))
    }

    /// [`Wire::verify_signed_url`].
    #[unsafe(export_name = "__lmsb_verify_signed_url")]
    pub extern "C" fn verify_signed_url(used: usize, has_origins: u32, now_ms: f64) -> i32 {
        call(&mut |w| w.verify_signed_url(used, has_origins != 0, now_ms))
    }

    /// [`Wire::hmac_sha256`].
    #[unsafe(export_name = "__lmsb_hmac_sha256")]
    pub extern "C" fn hmac_sha256(key_len: usize, msg_len: usize) -> i32 {
        call(&mut |w| w.hmac_sha256(key_len, msg_len))
    }

    /// [`Wire::sha256`].
    #[unsafe(export_name = "__lmsb_sha256")]
    pub extern "C" fn sha256(len: usize) -> i32 {
        call(&mut |w| w.sha256(len))
    }

    /// [`Wire::timing_safe_equal`].
    #[unsafe(export_name = "__lmsb_timing_safe_equal")]
    pub extern "C" fn timing_safe_equal(a_len: usize, b_len: usize) -> i32 {
        call(&mut |w| w.timing_safe_equal(a_len, b_len))
    }
}

/// The hand-off's calls ([`crate::handoff::wire`]): string arguments by length, or
/// `ABSENT`/`NOT_TEXT`.
#[cfg(feature = "handoff-exports")]
mod handoff {
    use super::call;
    use crate::handoff::wire::{self, EnrollmentArg, FieldsArg};

    /// [`wire::login_by_jwt_form`]: `id_kind` 0 (a number, `id`), 1 (a string of `id_len`
    /// bytes after the others) or another (neither).
    #[unsafe(export_name = "__lmsb_jwt_form")]
    pub extern "C" fn jwt_form(
        used: usize,
        domain: usize,
        token: usize,
        kind: usize,
        id_kind: u32,
        id: f64,
        id_len: usize,
    ) -> i32 {
        let id = match id_kind {
            0 => EnrollmentArg::Number(id),
            1 => EnrollmentArg::Text(id_len),
            _ => EnrollmentArg::Other,
        };
        call(&mut |w| wire::login_by_jwt_form(w, used, [domain, token, kind], id))
    }

    /// [`wire::form`]: `fields_kind` 0 (strings, in `fields_len` bytes after the others), 1
    /// (not an object), 3 (no form: not an object itself), 4 (a string too long to write), 5
    /// (too much text to write), 6 (a number JSON has not) or another (not all strings).
    #[unsafe(export_name = "__lmsb_form")]
    pub extern "C" fn form(
        used: usize,
        method: usize,
        action: usize,
        nonce: usize,
        fields_kind: u32,
        fields_len: usize,
        render: u32,
    ) -> i32 {
        let fields = match fields_kind {
            0 => FieldsArg::Strings(fields_len),
            1 => FieldsArg::NotObject,
            3 => FieldsArg::NoForm,
            4 => FieldsArg::TooLong,
            5 => FieldsArg::TooMuch,
            6 => FieldsArg::NotFinite,
            _ => FieldsArg::NotStrings,
        };
        call(&mut |w| wire::form(w, used, [method, action, nonce], fields, render != 0))
    }

    /// [`wire::deep_link_call`].
    #[unsafe(export_name = "__lmsb_deep_link")]
    pub extern "C" fn deep_link(used: usize, token: usize, scheme: usize, creation: u32) -> i32 {
        call(&mut |w| wire::deep_link_call(w, used, [token, scheme], creation))
    }

    /// [`wire::app_link`].
    #[unsafe(export_name = "__lmsb_app_link")]
    pub extern "C" fn app_link(used: usize, link: usize, origin: usize) -> i32 {
        call(&mut |w| wire::app_link(w, used, [link, origin]))
    }
}

/// AlphaLearn's sans-IO twins ([`crate::vendors::alphalearn::wire`]): `op` 0-3 (login,
/// refreshToken, loginWithThirdParty, forgotPassword); an unknown one is refused.
#[cfg(feature = "alphalearn-exports")]
mod alphalearn {
    use super::call;
    use crate::error::Error;
    use crate::vendors::alphalearn::wire::{self, Op};

    fn op(n: u32) -> crate::error::Result<Op> {
        Op::from_number(n).ok_or_else(|| Error::invalid_input("op", "is unknown"))
    }

    /// [`wire::build`]: the lengths of `baseUrl`, `domain` and the op's four fields.
    #[unsafe(export_name = "__lmsb_al_build")]
    #[allow(clippy::too_many_arguments)]
    pub extern "C" fn build(
        used: usize,
        kind: u32,
        is_object: u32,
        base_url: usize,
        domain: usize,
        a: usize,
        b: usize,
        c: usize,
        d: usize,
    ) -> i32 {
        call(&mut |w| {
            wire::build(
                w,
                used,
                op(kind)?,
                is_object != 0,
                [base_url, domain, a, b, c, d],
            )
        })
    }

    /// [`wire::parse`]: the body's bytes, then the input's JSON text (or `ABSENT`). (`status`
    /// is an HTTP status: `twins.js` checks it is 100-599.)
    #[unsafe(export_name = "__lmsb_al_parse")]
    pub extern "C" fn parse(
        used: usize,
        kind: u32,
        status: u32,
        body_len: usize,
        input_len: usize,
    ) -> i32 {
        call(&mut |w| wire::parse(w, used, op(kind)?, status as u16, body_len, input_len))
    }
}
