//! The transport: the crate's only network I/O. One `Transport` per client, built from
//! the shared `ClientOptions`; every vendor call goes through [`Transport::send`], which
//! applies the pure policy of [`crate::transport`] (retries, `Retry-After`, backoff, rate
//! limit) around an injectable `fetch`, with a per-attempt timeout that covers the body.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert::{opt_function, opt_number, prop};
use super::env::{now, random_unit, sleep};
use crate::core::http::{Headers, HttpRequest, HttpResponse, MaskedRequest};
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
    hooks: Hooks,
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
    Aborted,
}

impl Fail {
    /// The name hooks see.
    const fn as_str(&self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::TooLarge => "too_large",
            Self::NotAResponse => "not_a_response",
            Self::Aborted => "aborted",
        }
    }
}

/// The client's `hooks: { onRequest, onResponse, onRetry }`, each optional, called
/// synchronously with what [`MaskedRequest`] shows (never a body, secrets masked); what they
/// return or throw is ignored.
#[derive(Default)]
struct Hooks {
    on_request: Option<Function>,
    on_response: Option<Function>,
    on_retry: Option<Function>,
}

/// One attempt as hooks see it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct AttemptEvent {
    vendor: &'static str,
    attempt: u32,
    #[serde(flatten)]
    request: MaskedRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_ms: Option<i64>,
}

impl Hooks {
    fn from_options(opts: &JsValue) -> Result<Self> {
        let hooks = prop(opts, "hooks");
        if hooks.is_undefined() {
            return Ok(Self::default());
        }
        if !hooks.is_object() {
            return Err(Error::invalid_config(
                "hooks",
                "must be an object of functions",
            ));
        }
        let f = |key: &'static str| {
            let v = prop(&hooks, key);
            if v.is_undefined() {
                return Ok(None);
            }
            v.dyn_into::<Function>()
                .map(Some)
                .map_err(|_| Error::invalid_config(&format!("hooks.{key}"), "must be a function"))
        };
        Ok(Self {
            on_request: f("onRequest")?,
            on_response: f("onResponse")?,
            on_retry: f("onRetry")?,
        })
    }

    fn emit(hook: Option<&Function>, event: impl FnOnce() -> AttemptEvent) {
        if let Some(f) = hook {
            if let Ok(v) = super::convert::to_js(&event()) {
                let _ = f.call1(&JsValue::UNDEFINED, &v);
            }
        }
    }

    fn event(
        vendor: Vendor,
        request: &HttpRequest,
        attempt: u32,
        secrets: &[String],
    ) -> AttemptEvent {
        AttemptEvent {
            vendor: vendor.as_str(),
            attempt,
            request: MaskedRequest::of(request, secrets),
            status: None,
            error: None,
            duration_ms: None,
            delay_ms: None,
        }
    }

    fn outcome(event: &mut AttemptEvent, outcome: &core::result::Result<HttpResponse, Fail>) {
        match outcome {
            Ok(resp) => event.status = Some(resp.status),
            Err(fail) => event.error = Some(fail.as_str()),
        }
    }

    fn request(&self, vendor: Vendor, request: &HttpRequest, attempt: u32, secrets: &[String]) {
        Self::emit(self.on_request.as_ref(), || {
            Self::event(vendor, request, attempt, secrets)
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn response(
        &self,
        vendor: Vendor,
        request: &HttpRequest,
        attempt: u32,
        outcome: &core::result::Result<HttpResponse, Fail>,
        duration_ms: i64,
        secrets: &[String],
    ) {
        Self::emit(self.on_response.as_ref(), || {
            let mut e = Self::event(vendor, request, attempt, secrets);
            Self::outcome(&mut e, outcome);
            e.duration_ms = Some(duration_ms);
            e
        });
    }

    fn retry(
        &self,
        vendor: Vendor,
        request: &HttpRequest,
        attempt: u32,
        delay_ms: i64,
        outcome: &core::result::Result<HttpResponse, Fail>,
        secrets: &[String],
    ) {
        Self::emit(self.on_retry.as_ref(), || {
            let mut e = Self::event(vendor, request, attempt, secrets);
            Self::outcome(&mut e, outcome);
            e.delay_ms = Some(delay_ms);
            e
        });
    }
}

/// Waits `ms`, or less when `signal` aborts (the host's `pause`, else a plain timer).
async fn pause(ms: i64, signal: Option<&web_sys::AbortSignal>) {
    let host = PAUSE.with(|p| p.borrow().clone());
    match host {
        Some(f) => {
            let s = signal.map_or(JsValue::UNDEFINED, JsValue::from);
            if let Ok(p) = f.call2(&JsValue::UNDEFINED, &JsValue::from(ms as f64), &s) {
                let _ = JsFuture::from(Promise::resolve(&p)).await;
            }
        }
        None => sleep(ms).await,
    }
}

impl Transport {
    /// Reads `fetch`, `timeoutMs`, `retries`, `userAgent`, `now`, `maxResponseBytes`,
    /// `hooks` and `rateLimit` (absent: `default_rate`, the vendor's documented limit if it
    /// has one).
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
            hooks: Hooks::from_options(opts)?,
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
    ///
    /// The options of the call in scope (see [`super::call`]) apply: its signal cancels
    /// before each attempt, during it and during a back-off (`ABORTED`); its `timeoutMs`,
    /// `retries` and `headers` replace or add to the client's. Hooks see each attempt.
    pub async fn send(
        &self,
        vendor: Vendor,
        idempotent: bool,
        build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        let call = super::call::current();
        let signal = call.as_ref().and_then(|c| c.signal.clone());
        let aborted = || call.as_ref().is_some_and(|c| c.aborted());
        let mut policy = self.policy;
        if let Some(r) = call.as_ref().and_then(|c| c.retries) {
            policy.retries = r;
        }
        let timeout_ms = call
            .as_ref()
            .and_then(|c| c.timeout_ms)
            .unwrap_or(self.timeout_ms);
        let secrets: &[String] = call.as_ref().map_or(&[], |c| c.secrets.as_slice());
        let mut attempt = 0;
        loop {
            if aborted() {
                return Err(super::call::aborted().with_vendor(vendor));
            }
            let permit = match &self.limiter {
                Some(limiter) => Some(limiter.acquire().await?),
                None => None,
            };
            if aborted() {
                return Err(super::call::aborted().with_vendor(vendor));
            }
            let mut request = build(attempt, self.now()?)?;
            for (k, v) in call.iter().flat_map(|c| c.headers.iter()) {
                request.headers.set(k, v.clone());
            }
            self.hooks.request(vendor, &request, attempt, secrets);
            let started = now(None)?;
            let outcome = self.attempt(&request, timeout_ms, signal.as_ref()).await;
            drop(permit);
            self.hooks.response(
                vendor,
                &request,
                attempt,
                &outcome,
                now(None)?.0 - started.0,
                secrets,
            );
            let state = match &outcome {
                Ok(resp) => Attempt::Response(resp.status, &resp.headers),
                Err(Fail::Aborted) => return Err(super::call::aborted().with_vendor(vendor)),
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
            let delay = policy.next_delay(idempotent, attempt, state, self.now()?, random_unit());
            match (delay, outcome) {
                (Some(ms), outcome) => {
                    self.hooks
                        .retry(vendor, &request, attempt, ms, &outcome, secrets);
                    pause(ms, signal.as_ref()).await;
                    attempt += 1;
                }
                (None, Ok(resp)) => return Ok(resp),
                (None, Err(fail)) => return Err(self.failure(vendor, &request, &fail, timeout_ms)),
            }
        }
    }

    fn failure(
        &self,
        vendor: Vendor,
        request: &HttpRequest,
        fail: &Fail,
        timeout_ms: f64,
    ) -> Error {
        let target = crate::core::url::parse(&request.url)
            .map(|u| u.origin())
            .unwrap_or_else(|_| "the server".to_owned());
        let (code, message) = match fail {
            Fail::Timeout => (
                ErrorCode::Timeout,
                format!(
                    "{} {target} did not answer within {} ms",
                    request.method.as_str(),
                    timeout_ms
                ),
            ),
            _ => (
                ErrorCode::Network,
                format!("{} {target} failed: network error", request.method.as_str()),
            ),
        };
        Error::new(code, message).with_vendor(vendor)
    }

    /// One attempt through the host's `attempt` (pkg-templates/transport.js): the request
    /// goes out in one crossing, the response comes back in one.
    async fn attempt(
        &self,
        request: &HttpRequest,
        timeout_ms: f64,
        signal: Option<&web_sys::AbortSignal>,
    ) -> core::result::Result<HttpResponse, Fail> {
        let attempt = host_attempt().ok_or(Fail::Network)?;
        let headers = Array::new();
        for (k, v) in &request.headers.0 {
            headers.push(&k.into());
            headers.push(&v.into());
        }
        if let Some(ua) = &self.user_agent {
            headers.push(&"User-Agent".into());
            headers.push(&ua.into());
        }
        let args = Array::of5(
            &request.url.as_str().into(),
            &request.method.as_str().into(),
            &headers,
            &request
                .body
                .as_deref()
                .map_or(JsValue::UNDEFINED, JsValue::from),
            &timeout_ms.into(),
        );
        args.unshift(
            &self
                .fetch
                .as_ref()
                .map_or(JsValue::UNDEFINED, JsValue::from),
        );
        args.push(&(self.max_response_bytes as f64).into());
        args.push(&signal.map_or(JsValue::UNDEFINED, JsValue::from));
        let pending = attempt
            .apply(&JsValue::UNDEFINED, &args)
            .map_err(|_| Fail::Network)?;
        let outcome = JsFuture::from(Promise::resolve(&pending))
            .await
            .map_err(|_| Fail::Network)?;
        if let Some(code) = outcome.as_f64() {
            // transport.js: NETWORK 1, TIMEOUT_FAIL 2, TOO_LARGE 3, NOT_A_RESPONSE 4, ABORTED 5.
            return Err(match code as u8 {
                2 => Fail::Timeout,
                3 => Fail::TooLarge,
                4 => Fail::NotAResponse,
                5 => Fail::Aborted,
                _ => Fail::Network,
            });
        }
        let status = prop(&outcome, "status")
            .as_f64()
            .ok_or(Fail::NotAResponse)?;
        let text = prop(&outcome, "headers").as_string().unwrap_or_default();
        let mut fields = text.split('\0');
        let mut headers = Headers::default();
        while let (Some(k), Some(v)) = (fields.next(), fields.next()) {
            headers.0.push((k.to_owned(), v.to_owned()));
        }
        let body = prop(&outcome, "body")
            .dyn_into::<Uint8Array>()
            .map_err(|_| Fail::NotAResponse)?
            .to_vec();
        Ok(HttpResponse {
            status: status as u16,
            headers,
            body,
        })
    }
}

thread_local! {
    static ATTEMPT: RefCell<Option<Function>> = const { RefCell::new(None) };
    static PAUSE: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by each JS entry after instantiation with the package's `attempt`, the one
/// function that calls `fetch`, and `pause`, an abortable timer (pkg-templates/transport.js).
#[wasm_bindgen(js_name = "__configureTransport", skip_typescript)]
pub fn configure_transport(attempt: Function, pause: Function) {
    ATTEMPT.with(|a| *a.borrow_mut() = Some(attempt));
    PAUSE.with(|p| *p.borrow_mut() = Some(pause));
}

fn host_attempt() -> Option<Function> {
    ATTEMPT.with(|a| a.borrow().clone())
}
