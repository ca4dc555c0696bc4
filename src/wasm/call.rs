//! Per-call control: the optional last argument `{ signal, timeoutMs, retries, headers }` of
//! every network method. A call's options are in scope while its future is polled (a
//! task-local, since the host runs one thread), so the transport reads them without every
//! vendor method passing them down; work shared between calls (a token fetch in flight,
//! which runs as its own task) uses the client's options.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use wasm_bindgen::{JsCast, JsValue};

use super::convert::{get, headers, number_value};
use crate::core::text::concat;
use crate::error::{Error, Result};
use crate::transport::exchange::Overrides;
use crate::transport::retry::{retries_option, timeout_option};

/// One call's options. `secrets` are the calling client's, for masking what hooks see.
#[derive(Default)]
pub(crate) struct CallOptions {
    /// Cancels the call and its retries (`ABORTED`).
    pub signal: Option<web_sys::AbortSignal>,
    /// `timeoutMs`, `retries` and `headers`, which the core applies over the client's.
    pub overrides: Overrides,
    /// The client's configured secrets.
    pub secrets: Vec<String>,
}

impl CallOptions {
    /// Reads `{ signal?, timeoutMs?, retries?, headers? }` (`undefined` = none).
    pub fn from_js(value: &JsValue, secrets: Vec<String>) -> Result<Self> {
        let mut out = Self {
            secrets,
            ..Self::default()
        };
        if value.is_undefined() {
            return Ok(out);
        }
        if !value.is_object() {
            return Err(Error::invalid_input("options", "must be an object"));
        }
        // `value` is an object: its properties are read by `get`, one call each.
        let signal = get(value, "signal");
        if !signal.is_undefined() {
            let looks_like_signal = signal.is_object()
                && get(&signal, "aborted").as_bool().is_some()
                && get(&signal, "addEventListener").is_function();
            if !looks_like_signal {
                return Err(Error::invalid_input(
                    "options.signal",
                    "must be an AbortSignal",
                ));
            }
            out.signal = Some(signal.unchecked_into());
        }
        let number = |key: &'static str| {
            number_value(&get(value, key), key, false).map_err(|_| {
                Error::invalid_input(&concat(&["options.", key]), "must be a non-negative number")
            })
        };
        out.overrides.timeout_ms = number("timeoutMs")?
            .map(|ms| {
                timeout_option(ms).map_err(|why| Error::invalid_input("options.timeoutMs", why))
            })
            .transpose()?;
        out.overrides.retries = number("retries")?
            .map(|r| retries_option(r).map_err(|why| Error::invalid_input("options.retries", why)))
            .transpose()?;
        let hdrs = get(value, "headers");
        if !hdrs.is_undefined() {
            out.overrides.headers = headers(&hdrs, "options.headers")?.0;
        }
        Ok(out)
    }

    /// Whether the call was aborted.
    pub fn aborted(&self) -> bool {
        self.signal
            .as_ref()
            .is_some_and(web_sys::AbortSignal::aborted)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<CallOptions>>> = const { RefCell::new(None) };
}

/// The options of the call being polled, if any.
pub(crate) fn current() -> Option<Rc<CallOptions>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// A call's work, boxed: one [`WithCall`] serves every operation (a generic one would be
/// compiled once per operation).
pub(crate) type Work = Pin<Box<dyn Future<Output = Result<JsValue>>>>;

/// Runs `future` with `options` in scope.
pub(crate) fn with_call(options: CallOptions, future: Work) -> WithCall {
    WithCall {
        options: Some(Rc::new(options)),
        inner: future,
    }
}

/// A future with its call's options in scope while it is polled.
pub(crate) struct WithCall {
    options: Option<Rc<CallOptions>>,
    inner: Work,
}

impl Future for WithCall {
    type Output = Result<JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let outer = CURRENT.with(|c| c.replace(this.options.clone()));
        let out = this.inner.as_mut().poll(cx);
        CURRENT.with(|c| *c.borrow_mut() = outer);
        out
    }
}
