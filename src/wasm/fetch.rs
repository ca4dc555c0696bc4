//! The transport: the crate's only network I/O. One `Transport` per client, built from
//! the shared `ClientOptions`; every vendor call goes through [`Transport::send`], which
//! applies the pure policy of [`crate::transport`] (retries, `Retry-After`, backoff, rate
//! limit) around an injectable `fetch`, with a per-attempt timeout that covers the body.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::convert::{headers, opt_function, opt_number, prop};
use super::env::{clear_timeout, now, random_unit, set_timeout, sleep};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result, Vendor};
use crate::transport::{Attempt, RetryPolicy, SlidingWindow};

const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
const DEFAULT_MAX_RESPONSE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// Network settings shared by every vendor client (API.md `ClientOptions`).
pub struct Transport {
    fetch: Option<Function>,
    clock: Option<Function>,
    timeout_ms: f64,
    max_response_bytes: usize,
    user_agent: Option<String>,
    policy: RetryPolicy,
    limiter: Option<Limiter>,
}

/// The client-side rate limit: the pure sliding window hands out send times in call order;
/// waiting sends are released one after another in that order (first in, first out).
struct Limiter {
    window: RefCell<SlidingWindow>,
    /// Released when the last queued send has gone; the next one waits for it.
    tail: RefCell<Option<Promise>>,
}

/// Resolves its promise when dropped: the next queued send may go.
struct Release(Function);

impl Drop for Release {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::UNDEFINED);
    }
}

impl Limiter {
    /// Waits until this send's slot is due. Uses the real clock, not the `now` option:
    /// spacing is about wall time. Host timers may fire early when the event loop is
    /// busy, so it sleeps until really due; and it first waits for the send queued
    /// before it, so equal slots still go in call order.
    async fn wait_turn(&self) -> Result<()> {
        let at = self.window.borrow_mut().reserve(now(None)?);
        if at <= now(None)? {
            return Ok(());
        }
        let mut resolve = None;
        let mine = Promise::new(&mut |res, _| resolve = Some(res));
        let _release = resolve.map(Release);
        let before = self.tail.replace(Some(mine.clone()));
        if let Some(before) = before {
            let _ = JsFuture::from(before).await;
        }
        loop {
            let wait = at.0 - now(None)?.0;
            if wait <= 0 {
                break;
            }
            sleep(wait).await;
        }
        let mut tail = self.tail.borrow_mut();
        if tail
            .as_ref()
            .is_some_and(|t| JsValue::from(t) == JsValue::from(&mine))
        {
            *tail = None;
        }
        Ok(())
    }
}

/// How one attempt failed before a response was complete.
enum Fail {
    Network,
    Timeout,
    TooLarge,
    NotAResponse,
}

impl Transport {
    /// Reads `fetch`, `timeoutMs`, `retries`, `userAgent`, `now`, `maxResponseBytes`.
    pub fn from_options(opts: &JsValue) -> Result<Self> {
        let config = |e: Error| Error::new(ErrorCode::InvalidConfig, e.message);
        let retries = opt_number(opts, "retries", false).map_err(config)?;
        let user_agent = prop(opts, "userAgent");
        Ok(Self {
            fetch: opt_function(opts, "fetch")?,
            clock: opt_function(opts, "now")?,
            timeout_ms: match opt_number(opts, "timeoutMs", false).map_err(config)? {
                Some(ms) if ms >= 1.0 => ms,
                Some(_) => return Err(Error::invalid_config("timeoutMs", "must be at least 1")),
                None => DEFAULT_TIMEOUT_MS,
            },
            max_response_bytes: opt_number(opts, "maxResponseBytes", false)
                .map_err(config)?
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES) as usize,
            user_agent: match user_agent.as_string() {
                Some(ua) => Some(ua),
                None if user_agent.is_undefined() || user_agent.is_null() => None,
                None => return Err(Error::invalid_config("userAgent", "must be a string")),
            },
            policy: RetryPolicy {
                retries: match retries {
                    Some(r) if r.fract() == 0.0 && r <= 10.0 => r as u32,
                    Some(_) => {
                        return Err(Error::invalid_config(
                            "retries",
                            "must be an integer from 0 to 10",
                        ))
                    }
                    None => RetryPolicy::default().retries,
                },
                ..RetryPolicy::default()
            },
            limiter: None,
        })
    }

    /// Adds a client-side rate limit of `limit` sends per `window_ms`.
    #[must_use]
    pub fn with_rate_limit(mut self, limit: usize, window_ms: i64) -> Self {
        self.limiter = Some(Limiter {
            window: RefCell::new(SlidingWindow::new(limit, window_ms)),
            tail: RefCell::new(None),
        });
        self
    }

    /// The client's clock (the `now` option, else `Date.now`).
    pub fn now(&self) -> Result<UnixMillis> {
        now(self.clock.as_ref())
    }

    /// Sends a request built by `build(attempt, now)` (called again for each retry, so
    /// signatures can be renewed), retrying only when `idempotent`, and returns the final
    /// response whatever its status; vendor parsers map statuses to errors.
    pub async fn send(
        &self,
        vendor: Vendor,
        idempotent: bool,
        build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        let mut attempt = 0;
        loop {
            if let Some(limiter) = &self.limiter {
                limiter.wait_turn().await?;
            }
            let request = build(attempt, self.now()?)?;
            let outcome = self.attempt(&request).await;
            let state = match &outcome {
                Ok(resp) => Attempt::Response(resp.status, &resp.headers),
                Err(Fail::Network) => Attempt::NetworkError,
                Err(Fail::Timeout) => Attempt::TimedOut,
                Err(Fail::TooLarge) => {
                    return Err(Error::malformed(format!(
                        "{} response is larger than maxResponseBytes ({})",
                        vendor.display_name(),
                        self.max_response_bytes
                    ))
                    .with_vendor(vendor))
                }
                Err(Fail::NotAResponse) => {
                    return Err(
                        Error::malformed("fetch did not return a Response").with_vendor(vendor)
                    )
                }
            };
            let delay =
                self.policy
                    .next_delay(idempotent, attempt, state, self.now()?, random_unit());
            match (delay, outcome) {
                (Some(ms), _) => {
                    sleep(ms).await;
                    attempt += 1;
                }
                (None, Ok(resp)) => return Ok(resp),
                (None, Err(fail)) => return Err(self.failure(vendor, &request, &fail)),
            }
        }
    }

    fn failure(&self, vendor: Vendor, request: &HttpRequest, fail: &Fail) -> Error {
        let target = crate::core::url::parse(&request.url)
            .map(|u| u.origin())
            .unwrap_or_else(|_| "the server".to_owned());
        let (code, message) = match fail {
            Fail::Timeout => (
                ErrorCode::Timeout,
                format!(
                    "{} {target} did not answer within {} ms",
                    request.method.as_str(),
                    self.timeout_ms
                ),
            ),
            _ => (
                ErrorCode::Network,
                format!("{} {target} failed: network error", request.method.as_str()),
            ),
        };
        Error::new(code, message).with_vendor(vendor)
    }

    async fn attempt(&self, request: &HttpRequest) -> core::result::Result<HttpResponse, Fail> {
        let controller = AbortController::new().map_err(|_| Fail::Network)?;
        let deadline = Deadline::start(self.timeout_ms, &controller);
        let result = self.exchange(request, &controller, &deadline).await;
        deadline.stop();
        match result {
            Err(_) if deadline.fired.get() => Err(Fail::Timeout),
            other => other,
        }
    }

    async fn exchange(
        &self,
        request: &HttpRequest,
        controller: &AbortController,
        deadline: &Deadline,
    ) -> core::result::Result<HttpResponse, Fail> {
        let init = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&init, &k.into(), v).map(|_| ());
        let hdrs = Object::new();
        for (k, v) in &request.headers.0 {
            Reflect::set(&hdrs, &k.into(), &v.into()).map_err(|_| Fail::Network)?;
        }
        if let Some(ua) = &self.user_agent {
            Reflect::set(&hdrs, &"User-Agent".into(), &ua.into()).map_err(|_| Fail::Network)?;
        }
        set("method", &request.method.as_str().into()).map_err(|_| Fail::Network)?;
        set("headers", &hdrs).map_err(|_| Fail::Network)?;
        if let Some(body) = &request.body {
            set("body", &body.into()).map_err(|_| Fail::Network)?;
        }
        set("signal", &controller.signal()).map_err(|_| Fail::Network)?;

        let global = js_sys::global();
        let fetch = match &self.fetch {
            Some(f) => f.clone(),
            None => Reflect::get(&global, &"fetch".into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or(Fail::Network)?,
        };
        let pending = fetch
            .call2(&global, &request.url.as_str().into(), &init)
            .map_err(|_| Fail::Network)?;
        let response = deadline
            .race(Promise::resolve(&pending))
            .await
            .map_err(|_| Fail::Network)?;
        if !response.is_object() {
            return Err(Fail::NotAResponse);
        }
        let status = prop(&response, "status")
            .as_f64()
            .ok_or(Fail::NotAResponse)?;
        let headers = headers(&prop(&response, "headers"), "response.headers")
            .map_err(|_| Fail::NotAResponse)?;
        let declared = headers
            .get("content-length")
            .and_then(|v| v.trim().parse::<usize>().ok());
        if declared.is_some_and(|n| n > self.max_response_bytes) {
            cancel_body(&response);
            return Err(Fail::TooLarge);
        }
        let body = self.read_body(&response, deadline).await?;
        Ok(HttpResponse {
            status: status as u16,
            headers,
            body,
        })
    }

    async fn read_body(
        &self,
        response: &JsValue,
        deadline: &Deadline,
    ) -> core::result::Result<Vec<u8>, Fail> {
        let stream = prop(response, "body");
        let get_reader = prop(&stream, "getReader").dyn_into::<Function>();
        let Ok(get_reader) = get_reader else {
            // Response-like objects without a stream: arrayBuffer() or text().
            for method in ["arrayBuffer", "text"] {
                if let Ok(f) = prop(response, method).dyn_into::<Function>() {
                    let p = f.call0(response).map_err(|_| Fail::Network)?;
                    let v = deadline
                        .race(Promise::resolve(&p))
                        .await
                        .map_err(|_| Fail::Network)?;
                    let bytes = match v.as_string() {
                        Some(s) => s.into_bytes(),
                        None => Uint8Array::new(&v).to_vec(),
                    };
                    if bytes.len() > self.max_response_bytes {
                        return Err(Fail::TooLarge);
                    }
                    return Ok(bytes);
                }
            }
            return Ok(Vec::new());
        };
        let reader = get_reader.call0(&stream).map_err(|_| Fail::Network)?;
        let read = prop(&reader, "read")
            .dyn_into::<Function>()
            .map_err(|_| Fail::Network)?;
        let mut body = Vec::new();
        loop {
            let p = read.call0(&reader).map_err(|_| Fail::Network)?;
            let chunk = deadline
                .race(Promise::resolve(&p))
                .await
                .map_err(|_| Fail::Network)?;
            if prop(&chunk, "done").as_bool() == Some(true) {
                return Ok(body);
            }
            let value = prop(&chunk, "value");
            let bytes = Uint8Array::new(&value);
            if body.len() + bytes.length() as usize > self.max_response_bytes {
                if let Ok(cancel) = prop(&reader, "cancel").dyn_into::<Function>() {
                    let _ = cancel.call0(&reader);
                }
                return Err(Fail::TooLarge);
            }
            body.extend(bytes.to_vec());
        }
    }
}

fn cancel_body(response: &JsValue) {
    let body = prop(response, "body");
    if let Ok(cancel) = prop(&body, "cancel").dyn_into::<Function>() {
        if let Ok(p) = cancel.call0(&body) {
            let _ = Promise::resolve(&p).catch(&ignore());
        }
    }
}

fn ignore() -> Closure<dyn FnMut(JsValue)> {
    Closure::once(|_: JsValue| {})
}

/// A per-attempt timer: when it fires it aborts the request and rejects every race.
struct Deadline {
    promise: Promise,
    timer: JsValue,
    fired: Rc<Cell<bool>>,
    _on_reject: Closure<dyn FnMut(JsValue)>,
}

impl Deadline {
    fn start(ms: f64, controller: &AbortController) -> Self {
        let fired = Rc::new(Cell::new(false));
        let mut timer = JsValue::UNDEFINED;
        let promise = Promise::new(&mut |_resolve, reject| {
            let fired = fired.clone();
            let controller = controller.clone();
            let on_fire = Closure::once_into_js(move || {
                fired.set(true);
                controller.abort();
                let _ = reject.call0(&JsValue::UNDEFINED);
            });
            timer = set_timeout(on_fire.unchecked_ref(), ms);
        });
        // Mark the rejection as handled: it is observed through `race`.
        let on_reject = ignore();
        let _ = promise.catch(&on_reject);
        Self {
            promise,
            timer,
            fired,
            _on_reject: on_reject,
        }
    }

    async fn race(&self, p: Promise) -> core::result::Result<JsValue, JsValue> {
        JsFuture::from(Promise::race(&Array::of2(&p, &self.promise))).await
    }

    fn stop(&self) {
        clear_timeout(&self.timer);
    }
}
