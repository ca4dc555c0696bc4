//! `LearnWorlds`: app token (cached, single-flight, refreshed and retried once on
//! `access_denied`), SSO, user tokens, webhook verification and custom-SSO redirects.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::error::{Error, Result, Vendor};
use crate::vendors::learnworlds::{self as lw, Config};
use crate::wasm::convert::{bytes, headers, json, prop, to_js};
use crate::wasm::env::refuse_browser;
use crate::wasm::fetch::{request_to_js, Transport};
use crate::wasm::lean::call;
use crate::wasm::ops::{failed, network_call, operation, response, scrub, Args, Client, Route};

/// Client of a LearnWorlds school: app token, SSO, user tokens. Every request carries
/// `Lw-Client` and a form body `data=<JSON>`, and goes through a client-side rate limiter
/// (30 requests per 10 s by default, FIFO). A client holding `clientSecret` or
/// `accessToken` is server-side only: constructing it in a browser throws
/// `UNSUPPORTED_ENVIRONMENT`.
///
/// @example
/// ```ts
/// import { LearnWorlds } from "lms-bridge";
///
/// const lw = new LearnWorlds({
///   schoolUrl: "https://myschool.learnworlds.com",
///   clientId: process.env.LW_CLIENT_ID,
///   clientSecret: process.env.LW_CLIENT_SECRET,
/// });
/// const { url } = await lw.sso({ email: user.verifiedEmail, username: user.displayName });
/// res.writeHead(303, { location: url }).end(); // at once; never log the URL
/// ```
#[wasm_bindgen(js_name = "LearnWorlds")]
pub struct LearnWorldsJs {
    inner: Rc<Client<Config>>,
}

/// The options of a static helper as JSON; an unreadable value is a configuration error.
fn config_json(options: &JsValue) -> Result<serde_json::Value> {
    json(options, "options").map_err(|e| e.into_config().with_vendor(Vendor::LearnWorlds))
}

/// The generated calls (user tokens, `userSso`) need no app token; `sso` and the other
/// app-token calls go through `send_with_token` (`transport::bearer`, shared with Teach on
/// Mars).
impl Route for Config {}

#[wasm_bindgen(js_class = "LearnWorlds")]
impl LearnWorldsJs {
    /// Creates a client for one school. `schoolUrl` (https; http only on loopback) and
    /// `clientId` are required; `clientSecret` enables token grants and app-token
    /// refresh; `accessToken` is a pre-obtained app token (without a secret it is used as
    /// is and never refreshed). `rateLimit` overrides the client-side limit (default
    /// `{ requests: 30, perMs: 10000 }`; `false` turns it off). Bad options →
    /// `INVALID_CONFIG`; a secret or token in a browser → `UNSUPPORTED_ENVIRONMENT`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "LearnWorldsOptions")] options: JsValue,
    ) -> Result<LearnWorldsJs, JsValue> {
        let cfg = Config::from_options(&json(&options, "options")?)?;
        if cfg.has_secret() || cfg.static_token().is_some() {
            refuse_browser("LearnWorlds with clientSecret or accessToken")?;
        }
        let transport = Transport::from_options(&options, Some(lw::RATE_LIMIT))
            .map_err(|e| e.with_vendor(Vendor::LearnWorlds))?;
        let client = Client::new(cfg, transport)?;
        Ok(Self {
            inner: Rc::new(client),
        })
    }

    /// The client-side rate limit in force (`null` when turned off).
    #[wasm_bindgen(
        getter,
        js_name = "rateLimit",
        unchecked_return_type = "RateLimit | null"
    )]
    pub fn rate_limit(&self) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.sender.rate_limit())?)
    }

    /// The app token `{ accessToken, expiresAt }`: cached, refetched when less than
    /// max(60 s, 10 % of its lifetime) remains, one request at a time however many calls
    /// race (failures are not cached). A configured `accessToken` is returned with
    /// `expiresAt: null`. Server-side only; never log the token.
    #[wasm_bindgen(
        js_name = "getAppToken",
        unchecked_return_type = "Promise<LearnWorldsAppToken>"
    )]
    pub fn get_app_token(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        network_call(
            &self.inner,
            Args::from_js(&[]),
            options,
            |client, _| async move {
                let t = client.token().await?;
                to_js(&lw::AppToken {
                    access_token: t.token,
                    expires_at: t.expires_at.map(|e| e.0),
                })
            },
        )
    }

    /// Sans-IO twin of `getAppToken()`: the `client_credentials` token request.
    /// `INVALID_CONFIG` without `clientSecret`.
    #[wasm_bindgen(js_name = "buildGetAppToken", unchecked_return_type = "HttpRequest")]
    pub fn build_get_app_token(&self) -> Result<JsValue, JsValue> {
        let run = || request_to_js(&self.inner.cfg.build_app_token()?);
        run().map_err(|e| failed(&*self.inner, e, None))
    }

    /// Sans-IO twin of `getAppToken()`: reads the token response (`expiresAt` from the
    /// client's clock). Does not touch the client's cache.
    #[wasm_bindgen(
        js_name = "parseGetAppToken",
        unchecked_return_type = "LearnWorldsAppToken"
    )]
    pub fn parse_get_app_token(
        &self,
        #[wasm_bindgen(js_name = "response", unchecked_param_type = "HttpResponseLike")]
        resp: JsValue,
    ) -> Result<JsValue, JsValue> {
        let c = &self.inner;
        let run = || {
            let grant = c.cfg.parse_token(&response(&resp)?, c.sender.now()?)?;
            to_js(&grant.to_app_token())
        };
        run().map_err(|e| failed(&**c, e, None))
    }

    /// Signs a user in: `{ email, username?, avatar?, redirectUrl? }` (an unknown email
    /// CREATES the user: send only verified emails, with `username`) or
    /// `{ userId, redirectUrl? }` → `{ url, userId }`. Redirect the browser to `url` at
    /// once and never log it. Never retried (it may create a user), except once with a
    /// fresh app token after `access_denied`. A `url` off the school origin →
    /// `RESPONSE_MALFORMED`.
    #[wasm_bindgen(
        js_name = "sso",
        unchecked_return_type = "Promise<LearnWorldsSsoResult>"
    )]
    pub fn sso(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LearnWorldsSsoInput")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let args = Args::from_js(&[(&input, "input")]);
        let options = options.unwrap_or(JsValue::UNDEFINED);
        network_call(&self.inner, args, options, |client, args| async move {
            to_js(&client.sso(args.get(0)).await?)
        })
    }

    /// `buildSso` on the lean boundary ([`lw::wire::build_sso`]): the lengths of the input's
    /// fields and of `auth.accessToken`, and the `userId` when it is a number. For
    /// `pkg-templates/twins.js`.
    #[wasm_bindgen(js_name = "__lmsbBuildSso", skip_typescript)]
    #[allow(clippy::too_many_arguments)]
    pub fn lean_build_sso(
        &self,
        used: usize,
        is_object: bool,
        email: usize,
        user_id: usize,
        username: usize,
        avatar: usize,
        redirect_url: usize,
        access_token: usize,
        id_is_number: bool,
        id: f64,
    ) -> i32 {
        let lens = [email, user_id, username, avatar, redirect_url, access_token];
        let number = id_is_number.then_some(id);
        call(&mut |w| lw::wire::build_sso(w, used, &self.inner, is_object, lens, number))
    }

    /// `parseSso` on the lean boundary ([`lw::wire::parse_sso`]): the body's bytes, then
    /// the input's JSON text (or `ABSENT`). For `pkg-templates/twins.js`.
    #[wasm_bindgen(js_name = "__lmsbParseSso", skip_typescript)]
    pub fn lean_parse_sso(
        &self,
        used: usize,
        status: u16,
        body_len: usize,
        input_len: usize,
    ) -> i32 {
        call(&mut |w| lw::wire::parse_sso(w, used, &self.inner, status, body_len, input_len))
    }

    /// Verifies a LearnWorlds webhook over its raw body and headers
    /// (`Learnworlds-Webhook-Signature: v1=<value>`), then parses the envelope.
    /// `mode: "static"` (default) compares the whole header with the configured value;
    /// `"hmac-sha256-hex"` expects `v1=` + hex HMAC-SHA256 of the body. Several values =
    /// rotation. Throws `SIGNATURE_MISSING`, `SIGNATURE_MALFORMED`, `SIGNATURE_MISMATCH`,
    /// `INVALID_CONFIG` (no value) or `INVALID_INPUT` (not a LearnWorlds event). A static
    /// value gives no integrity and no replay protection.
    #[wasm_bindgen(
        js_name = "verifyWebhook",
        unchecked_return_type = "LearnWorldsWebhookEvent"
    )]
    pub fn verify_webhook(
        #[wasm_bindgen(unchecked_param_type = "BytesLike")] body: JsValue,
        #[wasm_bindgen(js_name = "headers", unchecked_param_type = "HeadersLike")]
        headers_in: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LearnWorldsWebhookOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let opts = config_json(&options)?;
        let secrets: Vec<String> = match opts.get("signature") {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let run = || {
            let event = lw::verify_webhook(
                &bytes(&body, "body")?,
                &headers(&headers_in, "headers")?,
                &opts,
            )?;
            to_js(&event)
        };
        Ok(run().map_err(|e| scrub(e, &secrets, None))?)
    }

    /// Reads a custom-SSO request that LearnWorlds sent to your sign-in page
    /// (`?action=login|signup|passwordreset&redirectUrl=…`) → `{ action, redirectUrl }`.
    /// `redirectUrl` (null when absent) must be an absolute http(s) URL, without
    /// credentials or backslashes, whose origin is exactly one of `allowedOrigins`, else
    /// `REDIRECT_NOT_ALLOWED`. Empty `allowedOrigins` → `INVALID_CONFIG`; another
    /// `action` → `INVALID_INPUT`.
    #[wasm_bindgen(
        js_name = "parseCustomSsoRequest",
        unchecked_return_type = "LearnWorldsCustomSsoRequest"
    )]
    pub fn parse_custom_sso_request(
        #[wasm_bindgen(unchecked_param_type = "string | URL")] url: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ allowedOrigins: string[] }")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let url = url
            .as_string()
            .or_else(|| prop(&url, "href").as_string())
            .ok_or_else(|| {
                Error::invalid_input("url", "must be a string or a URL")
                    .with_vendor(Vendor::LearnWorlds)
            })?;
        let opts = config_json(&options)?;
        Ok(to_js(&lw::parse_custom_sso_request(&url, &opts)?)?)
    }
}

operation! {
    LearnWorldsJs as "LearnWorlds";
    #[doc = " A user's tokens from their email and password (password grant) →"]
    #[doc = " `{ accessToken, refreshToken, expiresAt }`. Needs `clientSecret`"]
    #[doc = " (`INVALID_CONFIG`); server-side only. Token requests are retried."]
    user_token = "userToken", build_user_token = "buildUserToken",
    parse_user_token = "parseUserToken";
    args(input: "LearnWorldsUserTokenInput") -> "LearnWorldsUserToken", "Promise<LearnWorldsUserToken>";
    retry: true;
    build: |c, a, _token| c.cfg.build_user_token(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_user_token(resp, c.sender.now()?);

    #[doc = " Renews a user's tokens from their refresh token (refresh grant) →"]
    #[doc = " `{ accessToken, refreshToken, expiresAt }`. Needs `clientSecret`; server-side"]
    #[doc = " only. Retried."]
    refresh_user_token = "refreshUserToken", build_refresh_user_token = "buildRefreshUserToken",
    parse_refresh_user_token = "parseRefreshUserToken";
    args(refresh_token as "refreshToken": "string") -> "LearnWorldsUserToken", "Promise<LearnWorldsUserToken>";
    retry: true;
    build: |c, a, _token| c.cfg.build_refresh_user_token(a.str(0, "refreshToken")?);
    parse: |c, _a, resp| c.cfg.parse_refresh_user_token(resp, c.sender.now()?);

    #[doc = " An SSO URL for the user who owns `userAccessToken` → `{ url }` (same school-origin"]
    #[doc = " check as `sso`). Never retried and never refreshed (`access_denied` →"]
    #[doc = " `AUTH_FAILED`). Server-side only; redirect at once and never log the URL."]
    user_sso = "userSso", build_user_sso = "buildUserSso", parse_user_sso = "parseUserSso";
    args(user_access_token as "userAccessToken": "string", options: "LearnWorldsUserSsoOptions") -> "LearnWorldsUserSsoResult", "Promise<LearnWorldsUserSsoResult>";
    retry: false;
    build: |c, a, _token| c.cfg.build_user_sso(a.str(0, "userAccessToken")?, a.get(1));
    parse: |c, _a, resp| c.cfg.parse_user_sso(resp);
}
