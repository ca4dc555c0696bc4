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
use crate::core::http::{Headers, HttpRequest, HttpResponse};
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

    /// One attempt through the host's `attempt` (pkg-templates/transport.js): the request
    /// goes out in one crossing, the response comes back in one.
    async fn attempt(&self, request: &HttpRequest) -> core::result::Result<HttpResponse, Fail> {
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
            &self.timeout_ms.into(),
        );
        args.unshift(
            &self
                .fetch
                .as_ref()
                .map_or(JsValue::UNDEFINED, JsValue::from),
        );
        args.push(&(self.max_response_bytes as f64).into());
        let pending = attempt
            .apply(&JsValue::UNDEFINED, &args)
            .map_err(|_| Fail::Network)?;
        let outcome = JsFuture::from(Promise::resolve(&pending))
            .await
            .map_err(|_| Fail::Network)?;
        if let Some(code) = outcome.as_f64() {
            return Err(match code as u8 {
                2 => Fail::Timeout,
                3 => Fail::TooLarge,
                4 => Fail::NotAResponse,
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
}

/// Called once by each JS entry after instantiation with the package's `attempt`
/// (pkg-templates/transport.js), the one function that calls `fetch`.
#[wasm_bindgen(js_name = "__configureTransport", skip_typescript)]
pub fn configure_transport(attempt: Function) {
    ATTEMPT.with(|a| *a.borrow_mut() = Some(attempt));
}

fn host_attempt() -> Option<Function> {
    ATTEMPT.with(|a| a.borrow().clone())
}
