//! What the host offers: browser detection, the clock, randomness, the page's DOM.

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::core::text::concat;
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result};

fn global_has_object(name: &str) -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).is_ok_and(|v| v.is_object())
}

/// Whether this is a browser page (a `window` and a `document`), as opposed to Node,
/// workerd or a web worker.
pub fn is_browser() -> bool {
    global_has_object("window") && global_has_object("document")
}

/// Refuses to run in a browser: for clients that hold secrets.
pub fn refuse_browser(what: &str) -> Result<()> {
    if is_browser() {
        return Err(Error::new(
            ErrorCode::UnsupportedEnvironment,
            concat(&[
                what,
                " holds server secrets and cannot be used in a browser",
            ]),
        ));
    }
    Ok(())
}

/// Requires a browser page: for DOM helpers.
pub fn require_browser(what: &str) -> Result<()> {
    if !is_browser() {
        return Err(Error::new(
            ErrorCode::UnsupportedEnvironment,
            concat(&[what, " works only in a browser page"]),
        ));
    }
    Ok(())
}

/// The time from a `now` option (a function returning Unix ms), else `Date.now()`.
pub fn now(clock: Option<&Function>) -> Result<UnixMillis> {
    let Some(f) = clock else {
        return Ok(UnixMillis(js_sys::Date::now() as i64));
    };
    match f.call0(&JsValue::UNDEFINED).ok().and_then(|v| v.as_f64()) {
        Some(ms) if ms.is_finite() => Ok(UnixMillis(ms as i64)),
        _ => Err(Error::invalid_input(
            "now",
            "must return a finite number of milliseconds",
        )),
    }
}

/// `n` bytes from the host's CSPRNG (`crypto.getRandomValues`, or the source the entry
/// configured).
pub fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let unsupported = || {
        Error::new(
            ErrorCode::UnsupportedEnvironment,
            "no secure random source (crypto.getRandomValues) in this host",
        )
    };
    if let Some(source) = super::error::random_source() {
        let v = source
            .call1(&JsValue::UNDEFINED, &JsValue::from_f64(n as f64))
            .map_err(|_| unsupported())?;
        return Ok(Uint8Array::new(&v).to_vec());
    }
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).map_err(|_| unsupported())?;
    let get = Reflect::get(&crypto, &"getRandomValues".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(unsupported)?;
    let buf = Uint8Array::new_with_length(n as u32);
    get.call1(&crypto, &buf).map_err(|_| unsupported())?;
    Ok(buf.to_vec())
}

/// A uniform number in `[0, 1)` for jitter (not for secrets).
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

#[wasm_bindgen]
extern "C" {
    /// The page's side of the browser hand-offs (pkg-templates/dom.js): DOM calls only, after
    /// the crate has checked their input. Each returns 0, or a number saying what failed.
    pub type DomHost;

    /// Builds a hidden `<form method="post" action>` with one hidden input per
    /// `[name, value, …]` pair, appends it to the body and submits it.
    #[wasm_bindgen(method, catch, js_name = submitForm)]
    pub fn submit_form(
        this: &DomHost,
        action: &str,
        fields: &js_sys::Array,
    ) -> core::result::Result<u32, JsValue>;

    /// Navigates the top-level page to `link`, or posts it to the top window from a frame.
    #[wasm_bindgen(method, catch, js_name = openApp)]
    pub fn open_app(
        this: &DomHost,
        link: &str,
        target_origin: &str,
    ) -> core::result::Result<u32, JsValue>;
}

thread_local! {
    static DOM: std::cell::RefCell<JsValue> = const { std::cell::RefCell::new(JsValue::UNDEFINED) };
}

/// Keeps the entry's [`DomHost`].
pub fn configure_dom(dom: JsValue) {
    DOM.with(|d| *d.borrow_mut() = dom);
}

/// The entry's [`DomHost`]. Only the browser entry configures one (Node and Workers have no
/// DOM): calls then fail, which callers report as an unsupported environment.
pub fn dom_host() -> DomHost {
    DOM.with(|d| d.borrow().clone()).unchecked_into()
}
