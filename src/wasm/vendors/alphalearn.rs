//! `AlphaLearn`, the `AlphaLearnSession` helper and the browser hand-off
//! (`renderAutoSubmitForm`, `submitForm`). Thin: every rule lives in
//! `crate::vendors::alphalearn`.

use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result};
use crate::vendors::alphalearn::{self as al, check_form, login_by_jwt_form, Config, Session};
use crate::wasm::convert::{json, opt_string, prop, to_js, JsonText};
use crate::wasm::env::{dom_host, require_browser};
use crate::wasm::fetch::Transport;
use crate::wasm::ops::{operation, scrub, Args, Client, Route};
use crate::wasm::task::{promise, spawn, wait};

/// Client of AlphaLearn's authorization API: login, token refresh, Google login and
/// password-reset tokens. Holds no secret, so it may run in browsers too (keep reset
/// tokens server-side). Errors AlphaLearn reports inside HTTP 200 are thrown as
/// `LmsBridgeError` with `vendorCode` set.
///
/// @example
/// ```ts
/// import { AlphaLearn } from "lms-bridge";
///
/// const al = new AlphaLearn({ domain: "lms.example.com" }); // baseUrl: https://api.alphalearn.com/v3
/// const { user, token, refreshToken } = await al.login({ email, password });
/// const { token: fresh } = await al.refreshToken(refreshToken); // the refresh token stays the same
/// const google = await al.loginWithThirdParty({ provider: "google", token: googleIdToken });
/// const { token: resetToken } = await al.forgotPassword({ email, overrideEmailUrl: "https://app.example/reset/{token}" });
/// ```
#[wasm_bindgen(js_name = "AlphaLearn")]
pub struct AlphaLearnJs {
    inner: Rc<Client<Config>>,
}

/// No token, no signing: requests go out as built.
impl Route for Config {}

#[wasm_bindgen(js_class = "AlphaLearn")]
impl AlphaLearnJs {
    /// Creates a client. `baseUrl` defaults to `https://api.alphalearn.com/v3` (https;
    /// http only on loopback); `domain` is the company's custom domain
    /// (`lms.example.com`), sent with login and forgot-password unless a call gives its
    /// own. A bad option → `INVALID_CONFIG`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "AlphaLearnOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<AlphaLearnJs, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let transport = Transport::from_options(&options, None)?;
        let cfg = Config::from_options(&json(&options, "options")?)?;
        Ok(Self {
            inner: Rc::new(Client::new(cfg, transport)?),
        })
    }

    /// The client's `baseUrl`, then `\0` and its `domain` if it has one: what the lean
    /// sans-IO twins of `pkg-templates/twins.js` build requests with.
    #[wasm_bindgen(js_name = "__lmsbConfig", skip_typescript)]
    pub fn lean_config(&self) -> String {
        let cfg = &self.inner.cfg;
        match &cfg.domain {
            Some(domain) => crate::core::text::concat(&[&cfg.base_url, "\0", domain]),
            None => cfg.base_url.clone(),
        }
    }

    /// The form that hands a logged-in user over to a course in the browser:
    /// `{ action: "https://{domain}/site/login-by-jwt-token", method: "POST", fields:
    /// { token, type: "1"|"2", inputData: '{"enrollmentId":N}' } }` (loopback domains get
    /// `http://`). Post it with `renderAutoSubmitForm` (server) or `submitForm`
    /// (browser). Bad input → `INVALID_INPUT` naming the field.
    #[wasm_bindgen(
        js_name = "loginByJwtForm",
        unchecked_return_type = "AlphaLearnJwtForm"
    )]
    pub fn login_by_jwt_form(
        #[wasm_bindgen(unchecked_param_type = "AlphaLearnJwtFormInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = |args: &Args| to_js(&login_by_jwt_form(args.get(0))?);
        let args = Args::from_js(&[(&input, "input")])?;
        run(&args).map_err(|e| scrub(e, &[], Some(&args)).into())
    }
}

operation! {
    AlphaLearnJs as "AlphaLearn", lean twins;
    #[doc = " Logs in with e-mail and password: `POST /authorize/login`. Returns the user, the JWT"]
    #[doc = " (60 minutes) and the refresh token (90 days). Refused credentials (1002, 1004) →"]
    #[doc = " `AUTH_FAILED`. Retried as a token request; the password never appears in errors."]
    login = "login";
    args(input: "AlphaLearnLoginInput") -> "Promise<AlphaLearnLoginResult>";
    retry: true;
    build: |c, a, _token| c.cfg.build_login(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_login_json(resp).map(JsonText);

    #[doc = " A new JWT from a refresh token: `POST /authorize/refresh-token`. No new refresh"]
    #[doc = " token is issued (keep the old one). A refused token (1017) → `AUTH_FAILED`."]
    #[doc = " Retried as a token request."]
    refresh_token = "refreshToken";
    args(refresh_token as "refreshToken": "string") -> "Promise<AlphaLearnRefreshResult>";
    retry: true;
    build: |c, a, _token| c.cfg.build_refresh_token(a.str(0, "refreshToken")?);
    parse: |c, _a, resp| c.cfg.parse_refresh_token(resp);

    #[doc = " Logs in with a Google token: `POST /authorize/third-party` with provider 1. Only"]
    #[doc = " `provider: \"google\"` exists (else `INVALID_INPUT`); a refused token (1031) →"]
    #[doc = " `AUTH_FAILED`. Retried as a token request."]
    login_with_third_party = "loginWithThirdParty";
    args(input: "AlphaLearnThirdPartyInput") -> "Promise<AlphaLearnLoginResult>";
    retry: true;
    build: |c, a, _token| c.cfg.build_login_with_third_party(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_login_with_third_party_json(resp).map(JsonText);

    #[doc = " Asks for a password-reset token: `POST /authorize/forgot-password`."]
    #[doc = " `sendEmailNotification: true` lets AlphaLearn e-mail the user (sent as 1, else 2);"]
    #[doc = " `overrideEmailUrl` must contain `{token}` and be https (else `INVALID_INPUT`, nothing"]
    #[doc = " sent). Never retried (it may send an e-mail). Keep the token server-side."]
    forgot_password = "forgotPassword";
    args(input: "AlphaLearnForgotPasswordInput") -> "Promise<AlphaLearnForgotPasswordResult>";
    retry: false;
    build: |c, a, _token| c.cfg.build_forgot_password(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_forgot_password(resp);
}

// ---- the session helper ----

/// The session state behind the JS object: the core [`Session`] and its client.
struct SessionJs {
    client: Rc<Client<Config>>,
    state: Session,
    /// The user from the login, if the session started with one.
    user: Option<JsValue>,
}

impl SessionJs {
    fn new(
        client: Rc<Client<Config>>,
        token: &str,
        refresh_token: &str,
        expires_at: Option<f64>,
        user: Option<JsValue>,
    ) -> Result<Self> {
        let now = client.sender.now()?;
        let expires_at = expires_at.map(|ms| UnixMillis(ms as i64));
        Ok(Self {
            client,
            state: Session::new(token, refresh_token, expires_at, now),
            user,
        })
    }
}

/// Whether a JS error means the token was refused: `code === "AUTH_FAILED"` (an
/// `LmsBridgeError`) or `status === 401`.
fn is_auth_error(e: &JsValue) -> bool {
    prop(e, "code").as_string().as_deref() == Some("AUTH_FAILED")
        || prop(e, "status").as_f64() == Some(401.0)
}

async fn call_with(f: &Function, token: String) -> core::result::Result<JsValue, JsValue> {
    let r = f.call1(&JsValue::UNDEFINED, &JsValue::from_str(&token))?;
    wait(r).await
}

fn string_field(v: &JsValue, key: &'static str, name: &str) -> Result<String> {
    match prop(v, key).as_string() {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Error::invalid_input(name, "must be a non-empty string")),
    }
}

/// Keeps an AlphaLearn login alive: holds the JWT and the refresh token, reads the JWT's
/// `exp` (else assumes 60 minutes), refreshes 5 minutes before expiry or after an
/// `AUTH_FAILED`, runs one refresh at a time however many calls race, and rejects with
/// `AUTH_FAILED` (for good: log in again) once the refresh token is refused. Uses the
/// client's transport and clock (`now` option).
///
/// @example
/// ```ts
/// import { AlphaLearn, AlphaLearnSession } from "lms-bridge";
///
/// const al = new AlphaLearn({ domain: "lms.example.com" });
/// const session = await AlphaLearnSession.login(al, { email, password });
/// // A refused JWT (AUTH_FAILED or a 401) is refreshed once and the call repeated:
/// const profile = await session.run((jwt) => callOtherAlphaLearnApi(jwt));
/// const jwt = await session.getToken(); // refreshed first when it expires within 5 minutes
/// console.log(session.user?.email, new Date(session.expiresAt).toISOString());
/// ```
#[wasm_bindgen(js_name = "AlphaLearnSession")]
pub struct AlphaLearnSessionJs {
    inner: Rc<SessionJs>,
}

#[wasm_bindgen(js_class = "AlphaLearnSession")]
impl AlphaLearnSessionJs {
    /// A session from tokens you already hold: `{ token, refreshToken, expiresAt? }`
    /// (`expiresAt` in Unix ms overrides the JWT's `exp`). Missing tokens →
    /// `INVALID_INPUT`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        client: &AlphaLearnJs,
        #[wasm_bindgen(unchecked_param_type = "AlphaLearnSessionTokens")] tokens: JsValue,
    ) -> Result<AlphaLearnSessionJs, JsValue> {
        let token = string_field(&tokens, "token", "tokens.token")?;
        let refresh_token = string_field(&tokens, "refreshToken", "tokens.refreshToken")?;
        let expires_at = match prop(&tokens, "expiresAt") {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(v.as_f64().filter(|n| n.is_finite()).ok_or_else(|| {
                Error::invalid_input("tokens.expiresAt", "must be a number (Unix ms)")
            })?),
        };
        let session = SessionJs::new(
            client.inner.clone(),
            &token,
            &refresh_token,
            expires_at,
            None,
        )?;
        Ok(Self {
            inner: Rc::new(session),
        })
    }

    /// Logs in with `client.login(credentials)` and returns a session holding the result
    /// (its `user` getter gives the user).
    #[wasm_bindgen(
        js_name = "login",
        unchecked_return_type = "Promise<AlphaLearnSession>"
    )]
    pub fn login(
        client: &AlphaLearnJs,
        #[wasm_bindgen(unchecked_param_type = "AlphaLearnLoginInput")] credentials: JsValue,
    ) -> Promise {
        Self::start(client.inner.clone(), credentials, false)
    }

    /// Logs in with `client.loginWithThirdParty(input)` (Google) and returns a session.
    #[wasm_bindgen(
        js_name = "loginWithThirdParty",
        unchecked_return_type = "Promise<AlphaLearnSession>"
    )]
    pub fn login_with_third_party(
        client: &AlphaLearnJs,
        #[wasm_bindgen(unchecked_param_type = "AlphaLearnThirdPartyInput")] input: JsValue,
    ) -> Promise {
        Self::start(client.inner.clone(), input, true)
    }

    fn start(client: Rc<Client<Config>>, input: JsValue, third_party: bool) -> Promise {
        let args = Args::from_js(&[(&input, "credentials")]);
        promise(Box::pin(async move {
            let args = args.map_err(|e| scrub(e, &[], None))?;
            let run = async {
                let r = client.login(args.get(0), third_party).await?;
                let user = to_js(&r.user)?;
                SessionJs::new(
                    client.clone(),
                    r.token.as_str(),
                    r.refresh_token.as_str(),
                    None,
                    Some(user),
                )
            };
            let session = run.await.map_err(|e| scrub(e, &[], Some(&args)))?;
            Ok(AlphaLearnSessionJs {
                inner: Rc::new(session),
            }
            .into())
        }))
    }

    /// The current JWT (may be about to expire: use `getToken()` before a call).
    #[wasm_bindgen(getter)]
    pub fn token(&self) -> String {
        self.inner.state.token()
    }

    /// The refresh token (AlphaLearn keeps it for 90 days; refreshing does not renew it).
    #[wasm_bindgen(getter, js_name = "refreshToken")]
    pub fn refresh_token(&self) -> String {
        self.inner.state.refresh_token()
    }

    /// When the current JWT expires, Unix ms.
    #[wasm_bindgen(getter, js_name = "expiresAt")]
    pub fn expires_at(&self) -> f64 {
        self.inner.state.expires_at().0 as f64
    }

    /// The user from the login (`null` for a session built from tokens).
    #[wasm_bindgen(getter, unchecked_return_type = "AlphaLearnUser | null")]
    pub fn user(&self) -> JsValue {
        self.inner.user.clone().unwrap_or(JsValue::NULL)
    }

    /// A valid JWT: the current one, or a fresh one when it expires within 5 minutes
    /// (one refresh for all concurrent callers). A refused refresh token → `AUTH_FAILED`.
    #[wasm_bindgen(js_name = "getToken", unchecked_return_type = "Promise<string>")]
    pub fn get_token(&self) -> Promise {
        let s = self.inner.clone();
        promise(Box::pin(async move {
            // Errors of the session come scrubbed of both tokens from the core.
            Ok(s.state.valid_token(&s.client, &spawn).await?.into())
        }))
    }

    /// Refreshes now (joining a refresh already in flight) and resolves to the new JWT.
    #[wasm_bindgen(js_name = "refresh", unchecked_return_type = "Promise<string>")]
    pub fn refresh(&self) -> Promise {
        let s = self.inner.clone();
        promise(Box::pin(async move {
            Ok(s.state.refresh(None, &s.client, &spawn).await?.into())
        }))
    }

    /// Calls `fn(token)` with a valid JWT; when it throws an `AUTH_FAILED` error (or one
    /// with `status` 401), refreshes once and calls it again with the new JWT. Resolves to
    /// what `fn` returns.
    #[wasm_bindgen(js_name = "run", unchecked_return_type = "Promise<unknown>")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(token: string) => unknown")] f: JsValue,
    ) -> Promise {
        let s = self.inner.clone();
        promise(Box::pin(async move {
            let f: Function = f
                .dyn_into()
                .map_err(|_| Error::invalid_input("fn", "must be a function"))?;
            // Errors of the session itself are scrubbed in the core; `fn`'s are the caller's.
            s.state
                .run(
                    &s.client,
                    &spawn,
                    |token| call_with(&f, token),
                    is_auth_error,
                )
                .await
        }))
    }
}

// ---- the browser hand-off ----

/// A complete HTML page that POSTs `form` (from `AlphaLearn.loginByJwtForm`) on load:
/// every value escaped, a one-line submit script carrying `nonce` (for a CSP of
/// `script-src 'nonce-…'`), and a visible Continue button when scripts are off. Serve it
/// with `Cache-Control: no-store`: it carries a bearer JWT. A form that is not POST to an
/// https (or loopback http) action with string fields, or a bad nonce → `INVALID_INPUT`.
///
/// @example
/// ```ts
/// import { randomBytes } from "node:crypto";
/// import { AlphaLearn, renderAutoSubmitForm } from "lms-bridge";
///
/// const { token } = await al.login({ email, password });
/// const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token, type: "trainee", enrollmentId: 12555 });
/// const nonce = randomBytes(16).toString("base64");
/// res.writeHead(200, {
///   "content-type": "text/html; charset=utf-8",
///   "cache-control": "no-store",
///   "content-security-policy": `script-src 'nonce-${nonce}'`,
/// }).end(renderAutoSubmitForm(form, { nonce }));
/// ```
#[wasm_bindgen(js_name = "renderAutoSubmitForm")]
pub fn render_auto_submit_form_js(
    #[wasm_bindgen(unchecked_param_type = "AlphaLearnJwtForm")] form: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ nonce?: string }")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let args = Args::from_js(&[(&form, "form")])?;
    let run = || {
        let nonce = opt_string(&options.unwrap_or(JsValue::UNDEFINED), "nonce")?;
        al::render_auto_submit_form(args.get(0), nonce.as_deref())
    };
    run().map_err(|e| scrub(e, &[], Some(&args)).into())
}

/// Browser only: builds a `<form method="post">` with one hidden input per field using DOM
/// calls (never `innerHTML`), appends it to `document.body` and submits it (as
/// `HTMLFormElement.prototype.submit`, so fields named `submit` are harmless). The page
/// navigates away. Outside a browser page → `UNSUPPORTED_ENVIRONMENT`; a bad form →
/// `INVALID_INPUT` (the same check as `renderAutoSubmitForm`).
///
/// @example
/// ```ts
/// import { AlphaLearn, init, submitForm } from "lms-bridge";
///
/// await init();
/// const { token } = await (await fetch("/api/alphalearn/jwt")).json(); // your server hands over the JWT
/// submitForm(AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token, type: "trainee", enrollmentId: 12555 }));
/// ```
#[wasm_bindgen(js_name = "submitForm")]
pub fn submit_form(
    #[wasm_bindgen(unchecked_param_type = "AlphaLearnJwtForm")] form: JsValue,
) -> Result<(), JsValue> {
    let args = Args::from_js(&[(&form, "form")])?;
    let run = || -> Result<()> {
        require_browser("submitForm")?;
        let checked = check_form(args.get(0))?;
        let fields = Array::new();
        for (name, value) in &checked.fields {
            fields.push(&name.into());
            fields.push(&value.as_str().into());
        }
        let unsupported = |why: &str| Error::new(ErrorCode::UnsupportedEnvironment, why);
        match dom_host().submit_form(&checked.action, &fields) {
            Ok(0) => Ok(()),
            Ok(2) => Err(unsupported("submitForm needs document.body")),
            Ok(_) => Err(unsupported("the DOM refused to build the form")),
            // No page side: only the browser entry hands one over (Node and Workers have no DOM).
            Err(_) => Err(unsupported("submitForm needs a document")),
        }
    };
    run().map_err(|e| scrub(e, &[], Some(&args)).into())
}
