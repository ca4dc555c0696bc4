//! `TeachOnMars`: the Mission Center identity web services (learners, auth tokens) behind a
//! cached, single-flight client-credentials token; `signIn`; the app deep link; and the
//! legacy `X-TOM-*` headers.

use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::http::HttpResponse;
use crate::error::{Error, ErrorCode, Result};
use crate::vendors::no_token;
use crate::vendors::teach_on_mars::{self as tom, check_open_app_link, Config, NONCE_RANDOM_BYTES};
use crate::wasm::convert::{
    bytes, copy_without, json, opt_bool, opt_string, prop, string, to_js, JsonText,
};
use crate::wasm::env::{dom_host, now, random_bytes, refuse_browser, require_browser};
use crate::wasm::fetch::Transport;
use crate::wasm::lean::call;
use crate::wasm::ops::{
    access_token_arg, network_call, operation, scrub, Args, BuildFn, Client, Route,
};

/// Client of the Teach on Mars Mission Center web services: find, create and update
/// learners, mint app auth tokens, and `signIn` (find or create, then a deep link into the
/// app). Server-side only (it holds a client secret or a bearer token): constructing it in
/// a browser throws `UNSUPPORTED_ENVIRONMENT`.
///
/// @example
/// ```ts
/// import { TeachOnMars } from "lms-bridge";
///
/// const tom = new TeachOnMars({
///   baseUrl: "https://acme.teachonmars.com",
///   auth: { clientId: process.env.TOM_CLIENT_ID, clientSecret: process.env.TOM_CLIENT_SECRET, tokenUrl: process.env.TOM_TOKEN_URL },
/// });
/// // Only for a user your service has authenticated:
/// const { deepLink, created } = await tom.signIn({ login: user.id, email: user.email, firstname: user.firstName }, { update: true });
/// ```
#[wasm_bindgen(js_name = "TeachOnMars")]
pub struct TeachOnMarsJs {
    inner: Rc<Client<Config>>,
}

/// The bearer a builder needs.
fn bearer(token: Option<&str>) -> Result<&str> {
    token.ok_or_else(no_token)
}

/// With the bearer token (the configured `accessToken`, or the last client-credentials
/// token, shared with LearnWorlds in `transport::bearer`); a 401 drops a fetched token and
/// sends the request once more with a new one (a second 401 is the parser's `AUTH_FAILED`).
impl Route for Config {
    async fn exchange(
        client: &Rc<Client<Config>>,
        idempotent: bool,
        build: &BuildFn<'_, Config>,
    ) -> Result<HttpResponse> {
        // The same exchange `signIn` runs on (`tom::Exchange` for the core client).
        tom::Exchange::exchange(client, idempotent, &|_, t| build(client, Some(t))).await
    }

    fn sans_io_token(client: &Client<Config>, auth: Option<&JsValue>) -> Result<Option<String>> {
        if let Some(t) = access_token_arg(auth)? {
            return Ok(Some(t));
        }
        match client.fresh_token()? {
            Some(t) => Ok(Some(t.token.as_str().to_owned())),
            None => Err(no_token()),
        }
    }
}

/// Checks that `options` is absent or an object.
fn options_object(options: &JsValue) -> Result<()> {
    if options.is_undefined() || options.is_null() || options.is_object() {
        Ok(())
    } else {
        Err(Error::invalid_input("options", "must be an object"))
    }
}

#[wasm_bindgen(js_class = "TeachOnMars")]
impl TeachOnMarsJs {
    /// Creates a client. `baseUrl` (the customer's Mission Center host) and `auth` are
    /// required: `{ clientId, clientSecret, tokenUrl }` (a bearer token is fetched, cached
    /// until shortly before it expires, and refetched once after a 401) or
    /// `{ accessToken }` (used as is, never refreshed). `instance` is appended to every
    /// request; `deepLinkScheme` (default `"com.teachonmars"`) is the app's URL scheme.
    /// Throws `UNSUPPORTED_ENVIRONMENT` in a browser, `INVALID_CONFIG` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TeachOnMarsOptions")] options: JsValue,
    ) -> Result<TeachOnMarsJs, JsValue> {
        refuse_browser("TeachOnMars")?;
        let transport = Transport::from_options(&options, None)?;
        let opts = json(&options, "options")?;
        // The options' secret-named values (clientSecret, accessToken) never reach a message.
        let cfg = Config::from_options(&opts)
            .map_err(|e| scrub(e, &[], Some(&Args(vec![opts.clone()]))))?;
        let client = Client::new(cfg, transport)?;
        Ok(Self {
            inner: Rc::new(client),
        })
    }

    /// The bearer token the client sends: the configured `accessToken`, else the cached
    /// client-credentials token, fetched first when absent or about to expire (one request
    /// at a time). Treat it as a secret.
    #[wasm_bindgen(js_name = "getAccessToken", unchecked_return_type = "Promise<string>")]
    pub fn get_access_token(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        network_call(
            &self.inner,
            Args::from_js(&[]),
            options,
            |client, _| async move { Ok(JsValue::from(client.token().await?.token.as_str())) },
        )
    }

    /// Signs a learner in to the app: finds the learner by exact `login`, creates them when
    /// absent (if a concurrent request created them first, finds them again), updates the
    /// profile's fields (except `login` and `password`) when `update` is set and the
    /// learner existed, then mints an auth token and its deep link. The token logs the
    /// learner in: call this only for a user your service has authenticated, and hand the
    /// result only to that user. No sans-IO twin (it is several exchanges).
    #[wasm_bindgen(js_name = "signIn", unchecked_return_type = "Promise<SignInResult>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LearnerInput")] profile: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SignInOptions")] options: Option<JsValue>,
    ) -> Promise {
        let args = Args::from_js(&[(&profile, "profile")]);
        let options = options.unwrap_or(JsValue::UNDEFINED);
        // `{ update }` and the per-call options share the one options object.
        let update = options_object(&options).and_then(|()| opt_bool(&options, "update"));
        network_call(&self.inner, args, options, |client, args| async move {
            let update = update?.unwrap_or(false);
            to_js(&tom::sign_in(&client.cfg, &client, args.get(0), update).await?)
        })
    }

    /// The deep link that opens the app logged in:
    /// `{scheme}://globals.login?authToken=<encoded>&profileCreation=true|false|null`.
    /// `scheme` defaults to `"com.teachonmars"` (white-label apps: their own scheme); it
    /// must be a URL scheme other than javascript, data, vbscript, file, http or https.
    /// An empty token or a bad scheme → `INVALID_INPUT`.
    #[wasm_bindgen(js_name = "deepLink")]
    pub fn deep_link(
        #[wasm_bindgen(js_name = "authToken", unchecked_param_type = "string")] auth_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DeepLinkOptions")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        options_object(&options)?;
        let token = string(&auth_token, "authToken")?;
        let creation = opt_bool(&options, "profileCreation")?;
        let scheme = opt_string(&options, "scheme")?;
        Ok(tom::deep_link(&token, creation, scheme.as_deref())?)
    }
}

operation! {
    TeachOnMarsJs as "TeachOnMars", lean twins;
    #[doc = " Creates a learner (`login` required and unique; `segment` = Mission Center custom"]
    #[doc = " fields, each an array of strings). Never retried. An existing login → `CONFLICT`"]
    #[doc = " (`vendorCode` `LEARNER_PARAM_LOGIN_ALREADY_EXISTS`)."]
    create_learner = "createLearner";
    args(input: "LearnerInput") -> "Promise<Learner>";
    retry: false;
    build: |c, a, token| c.cfg.build_create_learner(a.get(0), bearer(token)?);
    parse: |c, _a, resp| c.cfg.parse_create_learner(resp).map(|l| JsonText(l.to_json()));

    #[doc = " Updates a learner with only the given fields (others stay unchanged); an empty"]
    #[doc = " patch → `INVALID_INPUT`, an unknown identifier → `NOT_FOUND`. Retried (PUT)."]
    update_learner = "updateLearner";
    args(identifier: "string", patch: "LearnerPatch") -> "Promise<Learner>";
    retry: true;
    build: |c, a, token| c.cfg.build_update_learner(a.str(0, "identifier")?, a.get(1), bearer(token)?);
    parse: |c, _a, resp| c.cfg.parse_update_learner(resp).map(|l| JsonText(l.to_json()));
}

#[wasm_bindgen(js_class = "TeachOnMars")]
impl TeachOnMarsJs {
    /// `buildCreateLearner` (`op` 0) and `buildUpdateLearner` (1) on the lean boundary
    /// ([`tom::wire::build`]): the lengths of the identifier, of the learner's six string
    /// fields, of its `segment`'s JSON text and of `auth.accessToken`. For
    /// `pkg-templates/twins.js`.
    #[wasm_bindgen(js_name = "__lmsbBuildLearner", skip_typescript)]
    #[allow(clippy::too_many_arguments)]
    pub fn lean_build_learner(
        &self,
        used: usize,
        op: u32,
        is_object: bool,
        identifier: usize,
        login: usize,
        firstname: usize,
        lastname: usize,
        email: usize,
        password: usize,
        lang: usize,
        segment: usize,
        access_token: usize,
    ) -> i32 {
        let lens = [
            identifier,
            login,
            firstname,
            lastname,
            email,
            password,
            lang,
            segment,
            access_token,
        ];
        call(&mut |w| tom::wire::build(w, used, &self.inner, learner_op(op)?, is_object, lens))
    }

    /// `parseCreateLearner` (`op` 0) and `parseUpdateLearner` (1) on the lean boundary
    /// ([`tom::wire::parse`]): the body's bytes, then the JSON text of the call's arguments
    /// (or `ABSENT`). For `pkg-templates/twins.js`.
    #[wasm_bindgen(js_name = "__lmsbParseLearner", skip_typescript)]
    pub fn lean_parse_learner(
        &self,
        used: usize,
        op: u32,
        status: u16,
        body_len: usize,
        input_len: usize,
    ) -> i32 {
        call(&mut |w| {
            tom::wire::parse(
                w,
                used,
                &self.inner,
                learner_op(op)?,
                status,
                body_len,
                input_len,
            )
        })
    }
}

/// The learner twin numbered `op` by the JS; an unknown one is refused.
fn learner_op(op: u32) -> Result<tom::wire::Op> {
    tom::wire::Op::from_number(op).ok_or_else(|| Error::invalid_input("op", "is unknown"))
}

operation! {
    TeachOnMarsJs as "TeachOnMars";
    #[doc = " Searches learners (the vendor's fuzzy search; first page only)."]
    search_learners = "searchLearners", build_search_learners = "buildSearchLearners",
    parse_search_learners = "parseSearchLearners";
    args(search: "string") -> "Learner[]", "Promise<Learner[]>";
    retry: true;
    build: |c, a, token| c.cfg.build_search_learners(a.str(0, "search")?, bearer(token)?);
    parse: |c, _a, resp| c.cfg.parse_search_learners(resp);

    #[doc = " The learner whose `login` is exactly `login` (case-sensitive), or `null`; never the"]
    #[doc = " first fuzzy hit of the search. Several exact matches → `RESPONSE_MALFORMED`."]
    find_learner_by_login = "findLearnerByLogin",
    build_find_learner_by_login = "buildFindLearnerByLogin",
    parse_find_learner_by_login = "parseFindLearnerByLogin";
    args(login: "string") -> "Learner | null", "Promise<Learner | null>";
    retry: true;
    build: |c, a, token| c.cfg.build_find_learner_by_login(a.str(0, "login")?, bearer(token)?);
    parse: |c, a, resp| c.cfg.parse_find_learner_by_login(resp, a.str(0, "login")?);

    #[doc = " Mints a short-lived auth token that logs the learner in to the app (see"]
    #[doc = " `TeachOnMars.deepLink`). Never retried; use it at once and never log it. An"]
    #[doc = " unknown identifier → `NOT_FOUND`."]
    get_auth_token = "getAuthToken", build_get_auth_token = "buildGetAuthToken",
    parse_get_auth_token = "parseGetAuthToken";
    args(identifier: "string") -> "string", "Promise<string>";
    retry: false;
    build: |c, a, token| c.cfg.build_get_auth_token(a.str(0, "identifier")?, bearer(token)?);
    parse: |c, _a, resp| c.cfg.parse_get_auth_token(resp);
}

/// Opens the Teach on Mars app with a deep link from `signIn` or `TeachOnMars.deepLink`
/// (browser only, else `UNSUPPORTED_ENVIRONMENT`). In a top-level page it navigates
/// (`location.href = deepLink`); in a frame (the app's web view) it posts the link to the
/// top window (`window.top.postMessage(deepLink, targetOrigin ?? "*")`): pass
/// `targetOrigin` when you know it, since `"*"` hands the token to whatever frames the
/// page. Only `{scheme}://globals.login?…` links are accepted (`INVALID_INPUT`).
///
/// @example
/// ```ts
/// import { init, openTeachOnMarsApp } from "lms-bridge";
///
/// await init();
/// const { deepLink } = await (await fetch("/api/teach-on-mars/sign-in", { method: "POST" })).json();
/// openTeachOnMarsApp(deepLink, { targetOrigin: "https://app-shell.acme.example" });
/// ```
#[wasm_bindgen(js_name = "openTeachOnMarsApp")]
pub fn open_teach_on_mars_app(
    #[wasm_bindgen(js_name = "deepLink", unchecked_param_type = "string")] deep_link: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "OpenTeachOnMarsAppOptions")] options: Option<
        JsValue,
    >,
) -> Result<(), JsValue> {
    require_browser("openTeachOnMarsApp")?;
    let options = options.unwrap_or(JsValue::UNDEFINED);
    options_object(&options)?;
    let link = string(&deep_link, "deepLink")?;
    check_open_app_link(&link)?;
    let target_origin = opt_string(&options, "targetOrigin")?.unwrap_or_else(|| "*".to_owned());
    match dom_host().open_app(&link, &target_origin) {
        Ok(0) => Ok(()),
        Ok(2) => Err(Error::invalid_input(
            "targetOrigin",
            "must be \"*\", \"/\" or an absolute origin",
        )
        .into()),
        Ok(3) => Err(Error::new(
            ErrorCode::UnsupportedEnvironment,
            "the page refused the navigation",
        )
        .into()),
        _ => Err(Error::new(
            ErrorCode::UnsupportedEnvironment,
            "no window to open the app from",
        )
        .into()),
    }
}

/// The six signed `X-TOM-*` headers of Teach on Mars's legacy v3 routes: `X-TOM-API-KEY`,
/// `X-TOM-APP`, `X-TOM-RTS` (Unix seconds: `timestamp`, default now), `X-TOM-NONCE`
/// (32 random `[A-Za-z0-9]` unless given), `X-TOM-API-HASH`,
/// `X-TOM-APPLICATION-LANGUAGE` (default `"en"`). Send the request with exactly the `url`
/// and `body` given here (they are hashed as is; GET/DELETE hash no body). The scheme is
/// the vendor's secret-prefix SHA-256, not an HMAC: use a fresh nonce and a correct clock.
/// Server-side only (it takes the `apiSecret`): in a browser → `UNSUPPORTED_ENVIRONMENT`.
///
/// @example
/// ```ts
/// import { tomLegacyHeaders } from "lms-bridge";
///
/// const url = "https://my-userdata.teachonmars.com/api/v3/learner?limit=10&page=1";
/// const headers = tomLegacyHeaders({ method: "GET", url, apiKey, apiSecret, app: "com.acme.academy" });
/// const reply = await fetch(url, { headers }); // exactly the URL that was hashed
/// ```
#[wasm_bindgen(
    js_name = "tomLegacyHeaders",
    unchecked_return_type = "Record<string, string>"
)]
pub fn tom_legacy_headers(
    #[wasm_bindgen(unchecked_param_type = "TomLegacyHeadersInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    refuse_browser("tomLegacyHeaders (it takes the apiSecret)")?;
    // `body` may be a string or bytes; bytes are passed beside the JSON of the rest.
    let body = prop(&input, "body");
    let body_bytes = if body.is_instance_of::<js_sys::Uint8Array>()
        || body.is_instance_of::<js_sys::ArrayBuffer>()
    {
        Some(bytes(&body, "body").map_err(|e| scrub(e, &[], None))?)
    } else {
        None
    };
    let rest = if body_bytes.is_some() {
        JsValue::from(copy_without(&input, "body", "input").map_err(|e| scrub(e, &[], None))?)
    } else {
        input.clone()
    };
    let args = Args::from_js(&[(&rest, "input")]).map_err(|e| scrub(e, &[], None))?;
    let run = || -> Result<JsValue> {
        let nonce = prop(&input, "nonce");
        let random = if nonce.is_undefined() || nonce.is_null() {
            random_bytes(NONCE_RANDOM_BYTES)?
        } else {
            Vec::new()
        };
        let headers = tom::tom_legacy_headers_with_body(
            args.get(0),
            body_bytes.as_deref(),
            now(None)?,
            &random,
        )?;
        let out = Object::new();
        for (k, v) in &headers.0 {
            Reflect::set(&out, &JsValue::from_str(k), &JsValue::from_str(v))
                .map_err(|_| Error::malformed("headers could not be built"))?;
        }
        Ok(out.into())
    };
    run().map_err(|e| JsValue::from(scrub(e, &[], Some(&args))))
}
