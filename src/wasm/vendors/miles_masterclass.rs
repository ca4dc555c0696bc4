//! `MilesMasterclass` (provisional: the vendor's wire format is unpublished, so every
//! default is overridable in the constructor).

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::core::http::{HttpRequest, HttpResponse};
use crate::error::{Error, ErrorCode, Result, Vendor};
use crate::vendors::miles_masterclass::{self as mm, Config};
use crate::wasm::convert::{bytes, copy_without, headers, json, opt_number, prop, to_js, JsonText};
use crate::wasm::env::refuse_browser;
use crate::wasm::fetch::Transport;
use crate::wasm::lean::call;
use crate::wasm::ops::{operation, BuildFn, Client, Route};

/// `options` with `callback.toleranceSeconds` removed (shallow copies; the caller's objects
/// are not touched).
fn without_tolerance(options: &JsValue, callback: &JsValue) -> Result<JsValue> {
    if !options.is_object() || !callback.is_object() {
        return Ok(options.clone());
    }
    let cb = copy_without(callback, "toleranceSeconds", "callback")?;
    let copy = copy_without(options, "callback", "options")?;
    let _ = js_sys::Reflect::set(&copy, &"callback".into(), &cb);
    Ok(copy.into())
}

/// Client of Miles Masterclass: auto-subscribe, access control, signed login URLs, and
/// verification of its progress callbacks. Server-side only (the API key and the IP
/// whitelist are server secrets): constructing it in a browser throws
/// `UNSUPPORTED_ENVIRONMENT`.
///
/// @example
/// ```ts
/// import { MilesMasterclass } from "lms-bridge";
///
/// const mm = new MilesMasterclass({
///   baseUrl: "https://test-masterclass.milesmasterclass.com/api",
///   apiKey: process.env.MM_API_KEY,
///   callback: { secret: process.env.MM_CALLBACK_SECRET },
/// });
/// await mm.autoSubscribe({ email, firstName, lastName, lmsUserId: 42 });
/// const { url } = await mm.createLoginUrl({ email, returnUrl: "https://lms.example/dashboard" });
/// res.writeHead(303, { location: url }).end(); // a bearer credential: never log it
/// ```
#[wasm_bindgen(js_name = "MilesMasterclass")]
pub struct MilesMasterclassJs {
    inner: Rc<Client<Config>>,
}

/// Signed when the client signs its requests (`Client::send_signed` in the core).
impl Route for Config {
    async fn exchange(
        client: &Rc<Client<Config>>,
        idempotent: bool,
        build: &BuildFn<'_, Config>,
    ) -> Result<HttpResponse> {
        client
            .send_signed(idempotent, &|_| build(client, None))
            .await
    }

    fn finish_sans_io(client: &Client<Config>, req: HttpRequest) -> Result<HttpRequest> {
        client.sign_sans_io(req)
    }
}

#[wasm_bindgen(js_class = "MilesMasterclass")]
impl MilesMasterclassJs {
    /// Creates a client. `baseUrl` and `apiKey` are required; paths, wire field names,
    /// the API-key header and the callback authentication are configurable because the
    /// vendor has not published them.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "MilesMasterclassOptions")] options: JsValue,
    ) -> Result<MilesMasterclassJs, JsValue> {
        refuse_browser("MilesMasterclass")?;
        let transport = Transport::from_options(&options, None)?;
        // `callback.toleranceSeconds` may be Infinity, which JSON cannot carry: read as a
        // number here, and taken out of what the core configuration reads.
        let callback = prop(&options, "callback");
        let tolerance = opt_number(&callback, "toleranceSeconds", true).map_err(|_| {
            Error::invalid_config(
                "callback.toleranceSeconds",
                "must be a non-negative number (Infinity turns the check off)",
            )
            .with_vendor(Vendor::MilesMasterclass)
        })?;
        let mut cfg =
            Config::from_options(&json(&without_tolerance(&options, &callback)?, "options")?)?;
        cfg.callback.tolerance_secs = tolerance;
        let client = Client::new(cfg, transport)?;
        Ok(Self {
            inner: Rc::new(client),
        })
    }

    /// Verifies a progress callback over its raw body and headers (Standard Webhooks by
    /// default, or the callback API key), then parses it. Throws `SIGNATURE_*`,
    /// `TIMESTAMP_OUT_OF_TOLERANCE` or `AUTH_FAILED` when unauthenticated,
    /// `INVALID_CONFIG` when no callback secret or key is configured, `INVALID_INPUT`
    /// for an authenticated but invalid payload.
    #[wasm_bindgen(
        js_name = "verifyProgressCallback",
        unchecked_return_type = "ProgressEvent"
    )]
    pub fn verify_progress_callback(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] body: JsValue,
        #[wasm_bindgen(js_name = "headers", unchecked_param_type = "HeadersLike")]
        headers_in: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = self.inner.sender.now()?;
        let event = self.inner.cfg.verify_progress_callback(
            &bytes(&body, "body")?,
            &headers(&headers_in, "headers")?,
            now,
        )?;
        Ok(to_js(&event)?)
    }

    /// The response to send Miles Masterclass after a verified callback:
    /// `200 {"status":"ok"}`.
    #[wasm_bindgen(js_name = "callbackAck", unchecked_return_type = "CallbackResponse")]
    pub fn callback_ack() -> Result<JsValue, JsValue> {
        Ok(to_js(&mm::callback_ack())?)
    }

    /// The response to send after `verifyProgressCallback` threw: 401 for an
    /// authentication failure, 400 for a bad payload, 500 for a configuration error;
    /// never any detail.
    #[wasm_bindgen(js_name = "callbackReject", unchecked_return_type = "CallbackResponse")]
    pub fn callback_reject(
        #[wasm_bindgen(unchecked_param_type = "unknown")] error: JsValue,
    ) -> Result<JsValue, JsValue> {
        let code = match prop(&error, "code").as_string().as_deref() {
            Some("INVALID_INPUT") => ErrorCode::InvalidInput,
            Some("INVALID_CONFIG") => ErrorCode::InvalidConfig,
            _ => ErrorCode::AuthFailed,
        };
        Ok(to_js(&mm::callback_reject(&Error::new(code, "")))?)
    }
}

/// The twin `op` numbers (`buildAutoSubscribe`, `buildAccessControl`, `buildCreateLoginUrl`).
fn builder_op(op: u32) -> Result<mm::wire::Op> {
    mm::wire::Op::from_number(op).ok_or_else(|| Error::invalid_input("op", "is unknown"))
}

#[wasm_bindgen(js_class = "MilesMasterclass")]
impl MilesMasterclassJs {
    /// `buildAutoSubscribe` (`op` 0), `buildAccessControl` (1) and `buildCreateLoginUrl` (2) on
    /// the lean boundary ([`mm::wire::build`]): the lengths of the op's fields, the numbers
    /// among them and what `kinds` says of them. For `pkg-templates/twins.js`.
    #[wasm_bindgen(js_name = "__lmsbBuild", skip_typescript)]
    #[allow(clippy::too_many_arguments)]
    pub fn lean_build(
        &self,
        used: usize,
        op: u32,
        is_object: bool,
        kinds: u32,
        a: usize,
        b: usize,
        c: usize,
        d: usize,
        e: usize,
        f: usize,
        g: usize,
        user_id: f64,
        organization_id: f64,
    ) -> i32 {
        let lens = [a, b, c, d, e, f, g];
        let numbers = [user_id, organization_id];
        let beside = mm::wire::Beside { kinds, numbers };
        call(&mut |w| {
            let op = builder_op(op)?;
            mm::wire::build(w, used, &self.inner, op, is_object, lens, beside)
        })
    }
}

operation! {
    MilesMasterclassJs as "MilesMasterclass", lean builders;
    #[doc = " Creates or updates a user (active, subscribed). Safe to retry."]
    auto_subscribe = "autoSubscribe", build_auto_subscribe = "buildAutoSubscribe",
    parse_auto_subscribe = "parseAutoSubscribe";
    args(input: "AutoSubscribeInput") -> "AutoSubscribeResult", "Promise<AutoSubscribeResult>";
    retry: true;
    build: |c, a, _token| c.cfg.build_auto_subscribe(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_auto_subscribe(resp).map(|r| JsonText(r.to_json()));

    #[doc = " Blocks, unblocks or cancels a user's access, effective immediately. Safe to retry."]
    access_control = "accessControl", build_access_control = "buildAccessControl",
    parse_access_control = "parseAccessControl";
    args(input: "AccessControlInput") -> "AccessControlResult", "Promise<AccessControlResult>";
    retry: true;
    build: |c, a, _token| c.cfg.build_access_control(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_access_control(resp).map(|r| JsonText(r.to_json()));

    #[doc = " Asks for a short-lived signed one-click login URL. Never retried (each call mints"]
    #[doc = " a credential); redirect to it at once and never log it."]
    create_login_url = "createLoginUrl", build_create_login_url = "buildCreateLoginUrl",
    parse_create_login_url = "parseCreateLoginUrl";
    args(input: "LoginUrlInput") -> "LoginUrlResult", "Promise<LoginUrlResult>";
    retry: false;
    build: |c, a, _token| c.cfg.build_create_login_url(a.get(0));
    parse: |c, _a, resp| c.cfg.parse_create_login_url(resp);
}
