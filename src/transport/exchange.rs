//! One vendor call over the network: the attempts, the retries and their back-off, the
//! client-side rate limit and what the client's hooks see, decided here and performed by a
//! [`Host`] that can send one request, keep time and wait. The wasm layer is one such host
//! (`fetch` through `pkg-templates/transport.js`, `Date.now`, `setTimeout`); the tests below
//! drive every path with a scripted host on a fake clock.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::task::{Poll, Waker};

use serde::Serialize;

use super::{Attempt, Permits, RetryPolicy};
use crate::core::http::{HttpRequest, HttpResponse, MaskedRequest, Text};
use crate::core::input::number_to_string;
use crate::core::text::{concat, decimal};
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result, Vendor};

/// How one attempt failed before a response was complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fail {
    /// The request could not be sent, or the connection failed.
    Network,
    /// No complete response within the attempt's timeout.
    Timeout,
    /// The response was larger than the client's `maxResponseBytes`.
    TooLarge,
    /// The injected `fetch` returned something that is not a response.
    NotAResponse,
    /// The call's signal aborted it.
    Aborted,
}

impl Fail {
    /// The name hooks see.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::TooLarge => "too_large",
            Self::NotAResponse => "not_a_response",
            Self::Aborted => "aborted",
        }
    }
}

/// The outcome of one attempt.
pub type AttemptOutcome = core::result::Result<HttpResponse, Fail>;

/// Which of the client's hooks an event is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    /// Before an attempt is sent.
    Request,
    /// After it ended (a status or a failure, with its duration).
    Response,
    /// When it will be retried (with the delay).
    Retry,
}

/// One attempt as hooks see it: never a body, secrets masked ([`MaskedRequest`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptEvent {
    /// The vendor.
    pub vendor: &'static str,
    /// 0 for the first attempt.
    pub attempt: u32,
    /// The request, masked.
    #[serde(flatten)]
    pub request: MaskedRequest,
    /// The response's status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// How the attempt failed ([`Fail::as_str`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// How long the attempt took, in wall-clock ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// The wait before the retry, in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<i64>,
}

/// Wall-clock time, for the rate limit and attempt durations (not the client's `now`
/// option: spacing is about real time).
pub trait Clock {
    /// The current wall-clock time.
    fn wall(&self) -> Result<UnixMillis>;
}

/// What a call needs from its host. One host serves one call: it knows the call's signal.
pub trait Host: Clock {
    /// The client's clock (the `now` option): signatures, token expiry, `Retry-After` dates.
    fn now(&self) -> Result<UnixMillis>;
    /// A uniform number in `[0, 1)`, for the back-off's jitter.
    fn random_unit(&self) -> f64;
    /// Whether the call's signal has aborted it.
    fn aborted(&self) -> bool;
    /// Sends one request and reads its whole response within `timeout_ms` and the
    /// client's size limit.
    fn attempt(
        &self,
        request: &HttpRequest,
        timeout_ms: f64,
    ) -> impl Future<Output = AttemptOutcome>;
    /// Waits `ms` of wall time; returns early once the call is aborted when `abortable`.
    fn pause(&self, ms: i64, abortable: bool) -> impl Future<Output = ()>;
    /// Whether the client has a hook of that kind (events are built only for those).
    fn has_hook(&self, hook: Hook) -> bool;
    /// Shows an attempt to the client's hook of that kind.
    fn hook(&self, hook: Hook, event: &AttemptEvent);
}

/// A client's network settings (API.md `ClientOptions`), validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// `retries` and the back-off.
    pub policy: RetryPolicy,
    /// `timeoutMs`, per attempt.
    pub timeout_ms: f64,
    /// `maxResponseBytes`.
    pub max_response_bytes: usize,
}

/// A call's own options (API.md `CallOptions`: `timeoutMs`, `retries`, `headers`),
/// validated; `None` keeps the client's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// Replaces the client's `timeoutMs` for each attempt.
    pub timeout_ms: Option<f64>,
    /// Replaces the client's `retries`.
    pub retries: Option<u32>,
    /// Added to every attempt's headers, replacing those of the same name.
    pub headers: Vec<(Text, Text)>,
}

impl Settings {
    /// The settings of one call: the call's `timeoutMs` and `retries` win over the
    /// client's; the back-off and the size limit stay the client's.
    pub fn call<'a>(
        &self,
        vendor: Vendor,
        idempotent: bool,
        overrides: Option<&'a Overrides>,
        secrets: &'a [String],
    ) -> Call<'a> {
        let mut policy = self.policy;
        if let Some(r) = overrides.and_then(|o| o.retries) {
            policy.retries = r;
        }
        Call {
            vendor,
            idempotent,
            policy,
            timeout_ms: overrides
                .and_then(|o| o.timeout_ms)
                .unwrap_or(self.timeout_ms),
            max_response_bytes: self.max_response_bytes,
            headers: overrides.map_or(&[], |o| o.headers.as_slice()),
            secrets,
        }
    }
}

/// The settings of one call: the client's, with the call's own options applied.
#[derive(Clone, Debug)]
pub struct Call<'a> {
    /// The vendor, for errors and hooks.
    pub vendor: Vendor,
    /// Whether the request is safe to repeat (only then is it retried).
    pub idempotent: bool,
    /// Retries and back-off.
    pub policy: RetryPolicy,
    /// Per attempt, body included.
    pub timeout_ms: f64,
    /// The client's `maxResponseBytes`, for the error message.
    pub max_response_bytes: usize,
    /// Headers added to every attempt, replacing those of the same name.
    pub headers: &'a [(Text, Text)],
    /// Values hooks must never see (configured secrets, secret arguments).
    pub secrets: &'a [String],
}

/// The error of a call its signal aborted.
pub fn aborted(vendor: Vendor) -> Error {
    Error::new(ErrorCode::Aborted, "the call was aborted by its signal").with_vendor(vendor)
}

/// Sends the request `build(attempt, now)` makes (called again for each retry, so
/// signatures can be renewed) and returns the final response whatever its status (vendor
/// parsers map statuses to errors). Retries only what `call.idempotent` allows, on network
/// errors, timeouts, 429 and 502–504, honouring `Retry-After`; waits for a permit of
/// `limiter` before each attempt; checks the call's signal before and after that wait, and
/// during each attempt and back-off (`ABORTED`).
pub async fn send<H: Host>(
    host: &H,
    limiter: Option<&Limiter>,
    call: &Call<'_>,
    build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
) -> Result<HttpResponse> {
    let vendor = call.vendor;
    let mut attempt = 0;
    loop {
        if host.aborted() {
            return Err(aborted(vendor));
        }
        let permit = match limiter {
            Some(limiter) => Some(limiter.acquire(host).await?),
            None => None,
        };
        if host.aborted() {
            return Err(aborted(vendor));
        }
        let mut request = build(attempt, host.now()?)?;
        for (k, v) in call.headers {
            request.headers.set(k.clone(), v.clone());
        }
        let emit = |hook: Hook, make: &dyn Fn() -> AttemptEvent| {
            if host.has_hook(hook) {
                host.hook(hook, &make());
            }
        };
        let event = |outcome: Option<&AttemptOutcome>| AttemptEvent {
            vendor: vendor.as_str(),
            attempt,
            request: MaskedRequest::of(&request, call.secrets),
            status: outcome.and_then(|o| o.as_ref().ok()).map(|r| r.status),
            error: outcome.and_then(|o| o.as_ref().err()).map(|f| f.as_str()),
            duration_ms: None,
            delay_ms: None,
        };
        emit(Hook::Request, &|| event(None));
        // Only the response hook shows the attempt's duration: without one, no clock is read.
        let timed = host.has_hook(Hook::Response);
        let started = if timed { Some(host.wall()?) } else { None };
        let outcome = host.attempt(&request, call.timeout_ms).await;
        drop(permit);
        if let Some(started) = started {
            let duration_ms = host.wall()?.0 - started.0;
            emit(Hook::Response, &|| AttemptEvent {
                duration_ms: Some(duration_ms),
                ..event(Some(&outcome))
            });
        }
        let state = match &outcome {
            Ok(resp) => Attempt::Response(resp.status, &resp.headers),
            Err(Fail::Network) => Attempt::NetworkError,
            Err(Fail::Timeout) => Attempt::TimedOut,
            Err(Fail::Aborted) => return Err(aborted(vendor)),
            Err(Fail::TooLarge) => {
                return Err(Error::malformed(concat(&[
                    vendor.display_name(),
                    " response is larger than maxResponseBytes (",
                    &decimal(call.max_response_bytes as i64),
                    ")",
                ]))
                .with_vendor(vendor))
            }
            Err(Fail::NotAResponse) => {
                return Err(Error::malformed("fetch did not return a Response").with_vendor(vendor))
            }
        };
        // The clock and the randomness only for an outcome that may be retried.
        let delay = if call.policy.may_retry(call.idempotent, attempt, &state) {
            call.policy
                .delay_after(attempt, state, host.now()?, host.random_unit())
        } else {
            None
        };
        match (delay, outcome) {
            (Some(ms), outcome) => {
                emit(Hook::Retry, &|| AttemptEvent {
                    delay_ms: Some(ms),
                    ..event(Some(&outcome))
                });
                host.pause(ms, true).await;
                attempt += 1;
            }
            (None, Ok(resp)) => return Ok(resp),
            (None, Err(fail)) => return Err(failure(call, &request, fail)),
        }
    }
}

/// The error of a last attempt that failed without a response.
fn failure(call: &Call<'_>, request: &HttpRequest, fail: Fail) -> Error {
    let target = crate::core::url::parse(&request.url)
        .map(|u| u.origin())
        .unwrap_or_else(|_| "the server".to_owned());
    let method = request.method.as_str();
    let (code, message) = match fail {
        Fail::Timeout => (
            ErrorCode::Timeout,
            concat(&[
                method,
                " ",
                &target,
                " did not answer within ",
                &serde_json::Number::from_f64(call.timeout_ms)
                    .map(|n| number_to_string(&n))
                    .unwrap_or_default(),
                " ms",
            ]),
        ),
        _ => (
            ErrorCode::Network,
            concat(&[method, " ", &target, " failed: network error"]),
        ),
    };
    Error::new(code, message).with_vendor(call.vendor)
}

/// The client-side rate limit: the pure pool of [`Permits`], and the sends waiting for one,
/// served first in, first out. A permit goes back when its attempt ends.
#[derive(Debug)]
pub struct Limiter {
    permits: RefCell<Permits>,
    /// The sends waiting, in arrival order, each with the waker of its task; the head is
    /// the one that takes the next permit.
    queue: RefCell<VecDeque<(u64, Option<Waker>)>>,
    next_ticket: Cell<u64>,
}

impl Limiter {
    /// At most `requests` arriving in any `per_ms` window.
    pub fn new(requests: usize, per_ms: i64) -> Self {
        Self {
            permits: RefCell::new(Permits::new(requests, per_ms)),
            queue: RefCell::default(),
            next_ticket: Cell::new(0),
        }
    }

    /// Wakes the send at the head of the queue (it may now take a permit).
    fn wake_head(&self) {
        if let Some((_, Some(waker))) = self.queue.borrow_mut().front_mut() {
            waker.wake_by_ref();
        }
    }

    /// Waits for this send's turn and permit, then until the permit is free. Host timers
    /// may fire early, so it sleeps until really due.
    pub async fn acquire<'a>(&'a self, host: &'a impl Host) -> Result<Permit<'a>> {
        let ticket = self.next_ticket.get();
        self.next_ticket.set(ticket.wrapping_add(1));
        self.queue.borrow_mut().push_back((ticket, None));
        let leave = Leave(self, ticket);
        // The head takes a permit as soon as one is in the pool; the others wait their turn.
        let at = poll_fn(|cx| {
            let head = self.queue.borrow().front().map(|(t, _)| *t) == Some(ticket);
            if head {
                match host.wall() {
                    Err(e) => return Poll::Ready(Err(e)),
                    Ok(now) => {
                        if let Some(at) = self.permits.borrow_mut().take(now) {
                            return Poll::Ready(Ok(at));
                        }
                    }
                }
            }
            if let Some(slot) = self
                .queue
                .borrow_mut()
                .iter_mut()
                .find(|(t, _)| *t == ticket)
            {
                slot.1 = Some(cx.waker().clone());
            }
            Poll::Pending
        })
        .await?;
        let permit = Permit {
            limiter: self,
            clock: host,
        };
        loop {
            let wait = at.0 - host.wall()?.0;
            if wait <= 0 {
                break;
            }
            host.pause(wait, false).await;
        }
        drop(leave);
        Ok(permit)
    }
}

/// Takes a send out of the queue when it has its permit, or was abandoned; wakes the next.
struct Leave<'a>(&'a Limiter, u64);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.queue.borrow_mut().retain(|(t, _)| *t != self.1);
        self.0.wake_head();
    }
}

/// A permit held for one attempt; given back when dropped, whether the attempt ended with
/// a response, a failure or a timeout.
pub struct Permit<'a> {
    limiter: &'a Limiter,
    clock: &'a dyn Clock,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Ok(ended) = self.clock.wall() {
            self.limiter.permits.borrow_mut().give_back(ended);
        }
        self.limiter.wake_head();
    }
}

#[cfg(test)]
pub(crate) mod sim;

#[cfg(test)]
mod tests;
