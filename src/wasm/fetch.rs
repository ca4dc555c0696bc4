//! The transport's host half: the crate's only network I/O. One `Transport` per client,
//! built from the shared `ClientOptions`; every vendor call goes through [`Transport::send`],
//! which runs the core's exchange ([`crate::transport::exchange`]: retries, `Retry-After`,
//! back-off, rate limit, hooks) over this host: one attempt through the package's
//! `transport.js`, `Date.now`, host timers and `Math.random`.

use std::cell::RefCell;

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;

use super::call::CallOptions;
use super::convert::{get, opt_function, opt_number, prop, MAX_BODY};
use super::env::{now, random_unit};
use super::task::{wait, Tasks};
use crate::core::http::{Headers, HttpRequest, HttpResponse};
use crate::core::text::concat;
use crate::core::time::UnixMillis;
use crate::error::{Error, Result, Vendor};
use crate::transport::exchange::{
    self, AttemptEvent, AttemptOutcome, Clock, Fail, Hook, Host, Limiter, Settings,
};
use crate::transport::retry::{retries_option, timeout_option};
use crate::transport::{RateLimit, RetryPolicy};

const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
const DEFAULT_MAX_RESPONSE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// Reads `rateLimit?: { requests, perMs } | false` ([`RateLimit::from_numbers`]); absent
/// means `default`.
fn rate_limit_option(opts: &JsValue, default: Option<RateLimit>) -> Result<Option<RateLimit>> {
    let v = prop(opts, "rateLimit");
    if v.is_undefined() {
        return Ok(default);
    }
    if v.as_bool() == Some(false) {
        return Ok(None);
    }
    RateLimit::from_numbers(prop(&v, "requests").as_f64(), prop(&v, "perMs").as_f64()).map(Some)
}

/// Network settings shared by every vendor client (API.md `ClientOptions`).
pub struct Transport {
    fetch: Option<Function>,
    clock: Option<Function>,
    settings: Settings,
    user_agent: Option<String>,
    rate_limit: Option<RateLimit>,
    limiter: Option<Limiter>,
    hooks: Hooks,
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
                .map_err(|_| Error::invalid_config(&concat(&["hooks.", key]), "must be a function"))
        };
        Ok(Self {
            on_request: f("onRequest")?,
            on_response: f("onResponse")?,
            on_retry: f("onRetry")?,
        })
    }

    fn get(&self, hook: Hook) -> Option<&Function> {
        match hook {
            Hook::Request => self.on_request.as_ref(),
            Hook::Response => self.on_response.as_ref(),
            Hook::Retry => self.on_retry.as_ref(),
        }
    }

    /// Calls the hook of kind `hook`, if the client has one, with `event`.
    fn emit(&self, hook: Hook, event: &AttemptEvent) {
        if let Some(f) = self.get(hook) {
            if let Ok(v) = super::convert::to_js(event) {
                let _ = f.call1(&JsValue::UNDEFINED, &v);
            }
        }
    }
}

/// Waits `ms`, or less when `signal` aborts (the host's `pause`; without one, not at all:
/// every entry configures it).
async fn pause(ms: i64, signal: Option<&web_sys::AbortSignal>) {
    let host = PAUSE.with(|p| p.borrow().clone());
    if let Some(f) = host {
        let s = signal.map_or(JsValue::UNDEFINED, JsValue::from);
        if let Ok(p) = f.call2(&JsValue::UNDEFINED, &JsValue::from(ms as f64), &s) {
            let _ = wait(p).await;
        }
    }
}

impl Transport {
    /// Reads `fetch`, `timeoutMs`, `retries`, `userAgent`, `now`, `maxResponseBytes`,
    /// `hooks` and `rateLimit` (absent: `default_rate`, the vendor's documented limit if it
    /// has one).
    pub(crate) fn from_options(opts: &JsValue, default_rate: Option<RateLimit>) -> Result<Self> {
        let config = Error::into_config;
        let retries = opt_number(opts, "retries", false).map_err(config)?;
        let user_agent = prop(opts, "userAgent");
        let rate_limit = rate_limit_option(opts, default_rate)?;
        Ok(Self {
            fetch: opt_function(opts, "fetch")?,
            clock: opt_function(opts, "now")?,
            settings: Settings {
                timeout_ms: match opt_number(opts, "timeoutMs", false).map_err(config)? {
                    Some(ms) => {
                        timeout_option(ms).map_err(|why| Error::invalid_config("timeoutMs", why))?
                    }
                    None => DEFAULT_TIMEOUT_MS,
                },
                max_response_bytes: opt_number(opts, "maxResponseBytes", false)
                    .map_err(config)?
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES)
                    // At most the largest body the module reads from a caller, so that no
                    // setting lets a body run it out of memory.
                    .min(f64::from(MAX_BODY)) as usize,
                policy: RetryPolicy {
                    retries: match retries {
                        Some(r) => retries_option(r)
                            .map_err(|why| Error::invalid_config("retries", why))?,
                        None => RetryPolicy::default().retries,
                    },
                    ..RetryPolicy::default()
                },
            },
            user_agent: match user_agent.as_string() {
                Some(ua) => Some(ua),
                None if user_agent.is_undefined() || user_agent.is_null() => None,
                None => return Err(Error::invalid_config("userAgent", "must be a string")),
            },
            rate_limit,
            limiter: rate_limit.map(|r| Limiter::new(r.requests, r.per_ms)),
            hooks: Hooks::from_options(opts)?,
        })
    }

    /// Whether any hook is configured (only hooks see the masked requests).
    pub(crate) fn has_hooks(&self) -> bool {
        [Hook::Request, Hook::Response, Hook::Retry]
            .into_iter()
            .any(|h| self.hooks.get(h).is_some())
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
        let options = super::call::current();
        let call = options.as_deref();
        let settings = self.settings.call(
            vendor,
            idempotent,
            call.map(|c| &c.overrides),
            call.map_or(&[], |c| c.secrets.as_slice()),
        );
        let host = JsHost {
            transport: self,
            call,
        };
        exchange::send(&host, self.limiter.as_ref(), &settings, build).await
    }

    /// One attempt through the host's `attempt` (pkg-templates/transport.js): the request
    /// goes out in one crossing, the response comes back in one.
    async fn attempt(
        &self,
        request: &HttpRequest,
        timeout_ms: f64,
        signal: Option<&web_sys::AbortSignal>,
    ) -> AttemptOutcome {
        let attempt = host_attempt().ok_or(Fail::Network)?;
        let ua = self.user_agent.as_deref().map(|ua| ("User-Agent", ua));
        // A NUL would shift the pairs; `fetch` refuses such a header anyway (the API's
        // checks keep them out).
        let headers = request
            .headers
            .write_text(String::with_capacity(256), ua)
            .ok_or(Fail::Network)?;
        let pending = attempt
            .unchecked_ref::<AttemptFn>()
            .call_attempt(
                &JsValue::UNDEFINED,
                &self
                    .fetch
                    .as_ref()
                    .map_or(JsValue::UNDEFINED, JsValue::from),
                &request.url,
                request.method.as_str(),
                &headers,
                request.body.as_deref(),
                timeout_ms,
                self.settings.max_response_bytes as f64,
                &signal.map_or(JsValue::UNDEFINED, JsValue::from),
            )
            .map_err(|_| Fail::Network)?;
        let outcome = wait(pending).await.map_err(|_| Fail::Network)?;
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
        // transport.js answers with a number (above) or a plain object.
        let status = get(&outcome, "status").as_f64().ok_or(Fail::NotAResponse)?;
        let text = get(&outcome, "headers").as_string().unwrap_or_default();
        let mut fields = text.split('\0');
        let mut headers = Headers::default();
        while let (Some(k), Some(v)) = (fields.next(), fields.next()) {
            headers.0.push((k.to_owned().into(), v.to_owned().into()));
        }
        let body = get(&outcome, "body")
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

/// The transport as the core's clients see it.
impl crate::transport::client::Sender for Transport {
    fn now(&self) -> Result<UnixMillis> {
        Transport::now(self)
    }

    async fn send(
        &self,
        vendor: Vendor,
        idempotent: bool,
        build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        Transport::send(self, vendor, idempotent, build).await
    }

    fn spawn(&self, task: crate::transport::flight::Task) {
        super::task::spawn(task);
    }

    fn random_bytes(&self, n: usize) -> Result<Vec<u8>> {
        super::env::random_bytes(n)
    }
}

/// The host of one call: the client's transport, with the call's options (its signal).
struct JsHost<'a> {
    transport: &'a Transport,
    call: Option<&'a CallOptions>,
}

impl JsHost<'_> {
    fn signal(&self) -> Option<&web_sys::AbortSignal> {
        self.call.and_then(|c| c.signal.as_ref())
    }
}

impl Clock for JsHost<'_> {
    /// `Date.now()`, not the `now` option: spacing and durations are about wall time.
    fn wall(&self) -> Result<UnixMillis> {
        now(None)
    }
}

impl Host for JsHost<'_> {
    fn now(&self) -> Result<UnixMillis> {
        self.transport.now()
    }

    fn random_unit(&self) -> f64 {
        random_unit()
    }

    fn aborted(&self) -> bool {
        self.call.is_some_and(CallOptions::aborted)
    }

    async fn attempt(&self, request: &HttpRequest, timeout_ms: f64) -> AttemptOutcome {
        self.transport
            .attempt(request, timeout_ms, self.signal())
            .await
    }

    async fn pause(&self, ms: i64, abortable: bool) {
        pause(ms, self.signal().filter(|_| abortable)).await;
    }

    fn has_hook(&self, hook: Hook) -> bool {
        self.transport.hooks.get(hook).is_some()
    }

    fn hook(&self, hook: Hook, event: &AttemptEvent) {
        self.transport.hooks.emit(hook, event);
    }
}

#[wasm_bindgen]
extern "C" {
    /// transport.js's `attempt`.
    #[wasm_bindgen(extends = Function)]
    type AttemptFn;

    /// `attempt.call(this, …)` with its eight arguments passed as they are (one host call,
    /// instead of building an argument array for `apply`).
    #[wasm_bindgen(method, catch, js_name = call)]
    #[allow(clippy::too_many_arguments)]
    fn call_attempt(
        this: &AttemptFn,
        ctx: &JsValue,
        fetch: &JsValue,
        url: &str,
        method: &str,
        headers: &str,
        body: Option<&str>,
        timeout_ms: f64,
        max_bytes: f64,
        signal: &JsValue,
    ) -> core::result::Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// transport.js's `request`.
    #[wasm_bindgen(extends = Function)]
    type RequestFn;

    /// `request.call(this, text, count, hasBody)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    fn call_request(
        this: &RequestFn,
        ctx: &JsValue,
        text: &str,
        count: u32,
        has_body: bool,
    ) -> core::result::Result<JsValue, JsValue>;
}

thread_local! {
    static ATTEMPT: RefCell<Option<Function>> = const { RefCell::new(None) };
    static PAUSE: RefCell<Option<Function>> = const { RefCell::new(None) };
    static REQUEST: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by each JS entry after instantiation with the package's `attempt`, the one
/// function that calls `fetch`, `pause`, an abortable timer, `request`, which makes a
/// sans-IO builder's result, and `tasks`, which drives async calls (pkg-templates/transport.js);
/// the browser entry also passes `dom`, the page's side of `submitForm` and
/// `openTeachOnMarsApp` (pkg-templates/dom.js).
#[wasm_bindgen(js_name = "__configureTransport", skip_typescript)]
pub fn configure_transport(
    attempt: Function,
    pause: Function,
    request: Function,
    tasks: Tasks,
    dom: JsValue,
) {
    super::task::configure(tasks);
    ATTEMPT.with(|a| *a.borrow_mut() = Some(attempt));
    PAUSE.with(|p| *p.borrow_mut() = Some(pause));
    REQUEST.with(|r| *r.borrow_mut() = Some(request));
    super::env::configure_dom(dom);
}

/// `request` as the plain object API.md's `HttpRequest` is, made by transport.js's
/// `request` from one string (`method\0url\0`, the headers as `name\0value\0…`, then the
/// body): cheaper than writing JSON for `JSON.parse`, where the body, itself JSON, would be
/// escaped and unescaped again. Through JSON when the URL or a header holds a NUL, or no
/// `request` was configured.
pub fn request_to_js(request: &HttpRequest) -> Result<JsValue> {
    let make = REQUEST.with(|r| r.borrow().clone());
    let (Some(make), Some(text)) = (make, request.wire_text()) else {
        return super::convert::to_js(request);
    };
    let count = u32::try_from(request.headers.0.len()).unwrap_or(u32::MAX);
    make.unchecked_ref::<RequestFn>()
        .call_request(&JsValue::UNDEFINED, &text, count, request.body.is_some())
        .or_else(|_| super::convert::to_js(request))
}

fn host_attempt() -> Option<Function> {
    ATTEMPT.with(|a| a.borrow().clone())
}
