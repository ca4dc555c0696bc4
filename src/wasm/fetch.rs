//! The transport: the crate's only network I/O. One `Transport` per client, built from
//! the shared `ClientOptions`; every vendor call goes through [`Transport::send`], which
//! applies the pure policy of [`crate::transport`] (retries, `Retry-After`, backoff, rate
//! limit) around an injectable `fetch`, with a per-attempt timeout that covers the body.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::convert::{headers, opt_function, opt_number, prop};
use super::env::{clear_timeout, now, random_unit, set_timeout_with, sleep};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result, Vendor};
use crate::transport::{Attempt, Permits, RetryPolicy};

const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
const DEFAULT_MAX_RESPONSE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// A client-side rate limit: `requests` sends per `perMs` milliseconds.
#[derive(Clone, Copy, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RateLimit {
    /// Sends allowed in any window.
    pub requests: usize,
    /// The window, in milliseconds.
    pub per_ms: i64,
}

/// Reads `rateLimit?: { requests, perMs } | false`; absent means `default`.
fn rate_limit_option(opts: &JsValue, default: Option<RateLimit>) -> Result<Option<RateLimit>> {
    let v = prop(opts, "rateLimit");
    if v.is_undefined() {
        return Ok(default);
    }
    if v.as_bool() == Some(false) {
        return Ok(None);
    }
    let must = "must be false or { requests, perMs } with positive integers";
    let int = |key: &'static str| {
        prop(&v, key)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= 1e9)
            .ok_or_else(|| Error::invalid_config("rateLimit", must))
    };
    // Bounded above, so the conversions are exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(Some(RateLimit {
        requests: int("requests")? as usize,
        per_ms: int("perMs")? as i64,
    }))
}

/// Network settings shared by every vendor client (API.md `ClientOptions`).
pub struct Transport {
    fetch: Option<Function>,
    clock: Option<Function>,
    timeout_ms: f64,
    max_response_bytes: usize,
    user_agent: Option<String>,
    policy: RetryPolicy,
    rate_limit: Option<RateLimit>,
    limiter: Option<Limiter>,
}

/// The client-side rate limit: the pure pool of [`Permits`]. Sends queue for permits
/// first in, first out; a permit goes back when its attempt ends (see `transport::ratelimit`).
struct Limiter {
    permits: RefCell<Permits>,
    /// Settled when the send queued last has its permit; the next one waits for it.
    tail: RefCell<Option<Promise>>,
    /// The queue's head, waiting for a permit to come back.
    waiting: RefCell<Option<Function>>,
}

/// Resolves its promise when dropped.
struct Release(Function);

impl Drop for Release {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::UNDEFINED);
    }
}

/// A permit held for one attempt; given back (and the queue's head woken) when dropped,
/// whether the attempt ended with a response, a failure or a timeout.
struct Permit<'a>(&'a Limiter);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Ok(ended) = now(None) {
            self.0.permits.borrow_mut().give_back(ended);
        }
        if let Some(wake) = self.0.waiting.borrow_mut().take() {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
    }
}

/// A promise and the function that resolves it.
fn signal() -> (Promise, Option<Function>) {
    let mut resolve = None;
    let promise = Promise::new(&mut |res, _| resolve = Some(res));
    (promise, resolve)
}

impl Limiter {
    fn new(r: RateLimit) -> Self {
        Self {
            permits: RefCell::new(Permits::new(r.requests, r.per_ms)),
            tail: RefCell::new(None),
            waiting: RefCell::new(None),
        }
    }

    /// Waits for this send's permit and until it is free. Uses the real clock, not the
    /// `now` option: spacing is about wall time. Host timers may fire early when the event
    /// loop is busy, so it sleeps until really due; and it first waits for the send queued
    /// before it, so sends go in call order.
    async fn acquire(&self) -> Result<Permit<'_>> {
        let (mine, resolve) = signal();
        let _release = resolve.map(Release);
        let before = self.tail.replace(Some(mine.clone()));
        if let Some(before) = before {
            let _ = JsFuture::from(before).await;
        }
        let at = loop {
            let taken = self.permits.borrow_mut().take(now(None)?);
            if let Some(at) = taken {
                break at;
            }
            let (back, wake) = signal();
            *self.waiting.borrow_mut() = wake;
            let _ = JsFuture::from(back).await;
        };
        let permit = Permit(self);
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
        Ok(permit)
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
    /// Reads `fetch`, `timeoutMs`, `retries`, `userAgent`, `now`, `maxResponseBytes` and
    /// `rateLimit` (absent: `default_rate`, the vendor's documented limit if it has one).
    pub fn from_options(opts: &JsValue, default_rate: Option<RateLimit>) -> Result<Self> {
        let config = |e: Error| Error::new(ErrorCode::InvalidConfig, e.message);
        let retries = opt_number(opts, "retries", false).map_err(config)?;
        let user_agent = prop(opts, "userAgent");
        let rate_limit = rate_limit_option(opts, default_rate)?;
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
            rate_limit,
            limiter: rate_limit.map(Limiter::new),
        })
    }

    /// The client-side rate limit in force, if any.
    pub(crate) fn rate_limit(&self) -> Option<RateLimit> {
        self.rate_limit
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
            let permit = match &self.limiter {
                Some(limiter) => Some(limiter.acquire().await?),
                None => None,
            };
            let request = build(attempt, self.now()?)?;
            let outcome = self.attempt(&request).await;
            drop(permit);
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
        let deadline = Deadline::start(self.timeout_ms, controller);
        self.exchange(request, &deadline).await
    }

    async fn exchange(
        &self,
        request: &HttpRequest,
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
        set("signal", &deadline.controller.signal()).map_err(|_| Fail::Network)?;

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
        let response = deadline.race(&pending).await?;
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
            discard_body(&response);
            return Err(Fail::TooLarge);
        }
        let body = self.read_body(&response, deadline).await?;
        Ok(HttpResponse {
            status: status as u16,
            headers,
            body,
        })
    }

    /// Reads the body, stopping at `maxResponseBytes`: from a WHATWG stream (`getReader`),
    /// else from an async-iterable body (Node streams of `fetch` polyfills), else, for
    /// Response-like objects without either, whole through `arrayBuffer()`/`text()`
    /// (only `content-length`, checked before, can refuse those early).
    async fn read_body(
        &self,
        response: &JsValue,
        deadline: &Deadline,
    ) -> core::result::Result<Vec<u8>, Fail> {
        let stream = prop(response, "body");
        if let Ok(get_reader) = prop(&stream, "getReader").dyn_into::<Function>() {
            let reader = get_reader.call0(&stream).map_err(|_| Fail::Network)?;
            return self.read_chunks(&reader, "cancel", deadline).await;
        }
        if let Ok(iterate) = Reflect::get(&stream, &js_sys::Symbol::async_iterator())
            .and_then(|f| f.dyn_into::<Function>())
        {
            let iterator = iterate.call0(&stream).map_err(|_| Fail::Network)?;
            return self.read_chunks(&iterator, "return", deadline).await;
        }
        for method in ["arrayBuffer", "text"] {
            if let Ok(f) = prop(response, method).dyn_into::<Function>() {
                let p = f.call0(response).map_err(|_| Fail::Network)?;
                let v = deadline.race(&p).await?;
                let bytes = chunk_bytes(&v)?;
                if bytes.len() > self.max_response_bytes {
                    return Err(Fail::TooLarge);
                }
                return Ok(bytes);
            }
        }
        Ok(Vec::new())
    }

    /// Reads `{ done, value }` chunks from a stream reader (`read`) or an async iterator
    /// (`next`); past `maxResponseBytes` it stops the source with `stop` and fails.
    async fn read_chunks(
        &self,
        source: &JsValue,
        stop: &'static str,
        deadline: &Deadline,
    ) -> core::result::Result<Vec<u8>, Fail> {
        let next = ["read", "next"]
            .iter()
            .find_map(|m| prop(source, m).dyn_into::<Function>().ok())
            .ok_or(Fail::Network)?;
        let mut body = Vec::new();
        loop {
            let p = next.call0(source).map_err(|_| Fail::Network)?;
            let chunk = deadline.race(&p).await?;
            if prop(&chunk, "done").as_bool() == Some(true) {
                return Ok(body);
            }
            let bytes = chunk_bytes(&prop(&chunk, "value"))?;
            if body.len() + bytes.len() > self.max_response_bytes {
                call_quietly(source, stop);
                return Err(Fail::TooLarge);
            }
            body.extend(bytes);
        }
    }
}

/// A body chunk's bytes: a string, an `ArrayBuffer` or any typed array/`Buffer`.
fn chunk_bytes(value: &JsValue) -> core::result::Result<Vec<u8>, Fail> {
    if let Some(s) = value.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(view) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(view).to_vec());
    }
    if js_sys::ArrayBuffer::is_view(value) {
        let buffer = prop(value, "buffer");
        let offset = prop(value, "byteOffset").as_f64().unwrap_or(0.0);
        let length = prop(value, "byteLength").as_f64().unwrap_or(0.0);
        return Ok(Uint8Array::new_with_byte_offset_and_length(
            &buffer,
            offset as u32,
            length as u32,
        )
        .to_vec());
    }
    Err(Fail::NotAResponse)
}

/// Cancels the body of a response that is refused unread.
fn discard_body(response: &JsValue) {
    call_quietly(&prop(response, "body"), "cancel");
}

/// Calls `target[method]()` if it exists and waits for the promise it may return in the
/// background, so that its rejection is handled and no callback outlives its closure.
fn call_quietly(target: &JsValue, method: &'static str) {
    let Ok(f) = prop(target, method).dyn_into::<Function>() else {
        return;
    };
    if let Ok(returned) = f.call0(target) {
        let settled = JsFuture::from(Promise::resolve(&returned));
        wasm_bindgen_futures::spawn_local(async move {
            let _ = settled.await;
        });
    }
}

/// A per-attempt timer and the `AbortController` it aborts. The timer resolves a promise
/// with a marker of its own (`setTimeout`'s extra argument), so no Rust closure is handed to
/// the host: nothing is left behind when the timer is cleared, and nothing can call into
/// freed memory when it fires late.
struct Deadline {
    controller: AbortController,
    promise: Promise,
    marker: JsValue,
    timer: JsValue,
}

impl Deadline {
    fn start(ms: f64, controller: AbortController) -> Self {
        let marker = JsValue::from(Object::new());
        let mut timer = JsValue::UNDEFINED;
        let promise = Promise::new(&mut |resolve, _reject| {
            timer = set_timeout_with(&resolve, ms, &marker);
        });
        Self {
            controller,
            promise,
            marker,
            timer,
        }
    }

    /// Waits for `pending` (a promise or value) unless the deadline passes first; then it
    /// aborts the request (and so its body) and reports `Timeout`. A rejection is `Network`.
    async fn race(&self, pending: &JsValue) -> core::result::Result<JsValue, Fail> {
        let both = Array::of2(&Promise::resolve(pending), &self.promise);
        let value = JsFuture::from(Promise::race(&both))
            .await
            .map_err(|_| Fail::Network)?;
        if value == self.marker {
            self.controller.abort();
            return Err(Fail::Timeout);
        }
        Ok(value)
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
    }
}
