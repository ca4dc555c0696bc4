//! One definition per vendor operation generates its three JS methods: the async `x()`,
//! and the sans-IO twins `buildX()` and `parseX()`, all calling the same core builder and
//! parser, so the two paths cannot drift apart.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::call::{with_call, CallOptions, Work};
use super::convert::{bytes, get, json_within, string_bytes, Budget, NOT_HEADERS};
use super::task::promise;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::sensitive_strings;
use crate::error::{Error, Result};
use crate::transport::client::VendorConfig;
use crate::wasm::fetch::Transport;

/// A request builder: `(client, token) → HttpRequest` (`token` for bearer routes).
pub(crate) type BuildFn<'a, R> = dyn Fn(&Client<R>, Option<&str>) -> Result<HttpRequest> + 'a;

/// The client behind every JS class: the core's [`crate::transport::client::Client`] (the
/// vendor's configuration, its token) over the fetch transport.
pub(crate) type Client<C> = crate::transport::client::Client<C, Transport>;

/// What differs between the four vendors' calls; everything else the generated methods
/// need comes from their shared [`Client`].
#[allow(async_fn_in_trait)]
pub(crate) trait Route: VendorConfig + Sized {
    /// Sends a request built by `build(client, token)`: as it is by default; with the
    /// vendor's token and its refresh-and-retry-once rule when it needs one, signed when it
    /// signs requests.
    async fn exchange(
        client: &Rc<Client<Self>>,
        idempotent: bool,
        build: &BuildFn<'_, Self>,
    ) -> Result<HttpResponse> {
        client.send(idempotent, &|_| build(client, None)).await
    }
    /// The token for a sans-IO builder: `{ accessToken }` given as last argument, else
    /// the configured or cached token. `None` for vendors without bearer tokens.
    fn sans_io_token(_client: &Client<Self>, _auth: Option<&JsValue>) -> Result<Option<String>> {
        Ok(None)
    }
    /// Last touch on a sans-IO request (e.g. outbound signing); identity by default.
    fn finish_sans_io(_client: &Client<Self>, request: HttpRequest) -> Result<HttpRequest> {
        Ok(request)
    }
}

/// The arguments of one call, converted to JSON (strings stay strings).
pub(crate) struct Args(pub Vec<Value>);

impl Args {
    /// Converts the JS arguments.
    pub fn from_js(values: &[(&JsValue, &str)]) -> Result<Self> {
        let mut budget = Budget::new();
        let mut out = Vec::with_capacity(values.len());
        for &(v, name) in values {
            out.push(json_within(v, name, &mut budget)?);
        }
        Ok(Self(out))
    }

    /// Converts optional JS arguments (a sans-IO parser's): an absent one (`undefined` or
    /// `null`, which the glue hands over as `None`) is `null`, not walked as a value.
    pub fn from_optional(values: &[(Option<&JsValue>, &str)]) -> Result<Self> {
        let mut budget = Budget::new();
        let mut out = Vec::with_capacity(values.len());
        for &(v, name) in values {
            out.push(match v {
                Some(v) => json_within(v, name, &mut budget)?,
                None => Value::Null,
            });
        }
        Ok(Self(out))
    }

    /// Argument `i` (`null` when absent).
    pub fn get(&self, i: usize) -> &Value {
        self.0.get(i).unwrap_or(&Value::Null)
    }

    /// Argument `i` as a non-empty string.
    pub fn str(&self, i: usize, name: &str) -> Result<&str> {
        match self.get(i) {
            Value::String(s) if !s.is_empty() => Ok(s),
            Value::String(_) => Err(Error::invalid_input(name, "must not be empty")),
            _ => Err(Error::invalid_input(name, "must be a string")),
        }
    }

    /// `secrets` and the strings of this call's arguments an error must not contain
    /// ([`sensitive_strings`]): all a call must hide.
    pub fn with_sensitive(&self, secrets: &[String]) -> Vec<String> {
        let mut all = secrets.to_vec();
        all.extend(sensitive_strings(&self.0));
        all
    }
}

/// What a call's hook events must not show: `secrets` and the call's sensitive arguments.
/// Empty when the client has no hooks: nothing else reads them, and finding the sensitive
/// arguments walks the whole input.
fn hook_masks(client: &dyn Caller, secrets: &[String], args: &Args) -> Vec<String> {
    if client.has_hooks() {
        args.with_sensitive(secrets)
    } else {
        Vec::new()
    }
}

/// What [`network_call`] needs of a client, as a trait object: one copy of the call's
/// sequence serves every operation of every client.
trait Caller {
    /// The client's secrets and the token it holds.
    fn secrets(&self) -> Vec<String>;
    /// Whether the client has hooks.
    fn has_hooks(&self) -> bool;
}

impl<R: Route> Caller for Client<R> {
    fn secrets(&self) -> Vec<String> {
        crate::transport::client::Client::secrets(self)
    }

    fn has_hooks(&self) -> bool {
        self.sender.has_hooks()
    }
}

/// A call's work, started with its converted arguments.
type Start = Box<dyn FnOnce(Rc<Args>) -> Work>;

/// Runs one network method as a JS promise: the call's arguments (`args`, converted) and
/// options (`{ signal, timeoutMs, retries, headers }`) checked first, then `run(client, args)`
/// with the options in scope. Every error is scrubbed of the call's sensitive arguments and of
/// the client's secrets, both as they were when the call began and as they are when it fails
/// (a token fetched or replaced mid-call).
pub(crate) fn network_call<R, F, Fut>(
    client: &Rc<Client<R>>,
    args: Result<Args>,
    options: JsValue,
    run: F,
) -> js_sys::Promise
where
    R: Route,
    F: FnOnce(Rc<Client<R>>, Rc<Args>) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<JsValue>> + 'static,
{
    let own = client.clone();
    let start: Start = Box::new(move |args| Box::pin(run(own, args)));
    call(client.clone(), args, options, start)
}

/// [`network_call`] without its type parameters.
fn call(
    client: Rc<dyn Caller>,
    args: Result<Args>,
    options: JsValue,
    start: Start,
) -> js_sys::Promise {
    promise(Box::pin(async move {
        let secrets = client.secrets();
        let args = Rc::new(args.map_err(|e| scrub(e, &secrets, None))?);
        let masks = hook_masks(&*client, &secrets, &args);
        let call =
            CallOptions::from_js(&options, masks).map_err(|e| scrub(e, &secrets, Some(&args)))?;
        let result = with_call(call, start(args.clone())).await;
        result.map_err(|e| {
            let mut all = secrets;
            all.extend(client.secrets());
            JsValue::from(scrub(e, &all, Some(&args)))
        })
    }))
}

/// Removes every configured secret and sensitive argument from an error.
pub(crate) fn scrub(err: Error, secrets: &[String], args: Option<&Args>) -> Error {
    match args {
        Some(a) => err.scrubbed(&a.with_sensitive(secrets)),
        None => err.scrubbed(secrets),
    }
}

/// `err` scrubbed of `client`'s secrets and the call's sensitive arguments, for JS. The
/// secrets are gathered here, on the error path only, once per client type.
#[inline(never)]
pub(crate) fn failed<R: Route>(client: &Client<R>, err: Error, args: Option<&Args>) -> JsValue {
    JsValue::from(scrub(err, &client.secrets(), args))
}

/// An `HttpResponseLike` (`{ status, headers?, body }`) as a core response, without its
/// headers.
pub(crate) fn response(value: &JsValue) -> Result<HttpResponse> {
    // One check that `value` is an object, instead of one per property (`prop`).
    let is_object = value.is_object();
    let prop = |key| {
        if is_object {
            get(value, key)
        } else {
            JsValue::UNDEFINED
        }
    };
    let status = prop("status")
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(|| {
            Error::invalid_input("response.status", "must be an HTTP status (100-599)")
        })?;
    let body = prop("body");
    // Most bodies are strings: one check into the host before they are read.
    let text = if body.is_string() {
        string_bytes(&body, "response.body")?
    } else {
        None
    };
    let body = match text {
        Some(text) => text,
        None if body.is_undefined() || body.is_null() => Vec::new(),
        None => bytes(&body, "response.body")?,
    };
    // The parsers read no header (only the transport's retry rules do), so none is copied;
    // what is plainly no headers is still refused.
    let headers = prop("headers");
    if !(headers.is_object() || headers.is_undefined() || headers.is_null()) {
        return Err(Error::invalid_input("response.headers", NOT_HEADERS));
    }
    Ok(HttpResponse::new(status as u16, body))
}

/// Reads `{ accessToken }` from a builder's last argument (`None`: absent, `undefined` or
/// `null`, as the glue hands them over).
pub(crate) fn access_token_arg(auth: Option<&JsValue>) -> Result<Option<String>> {
    let Some(auth) = auth else {
        return Ok(None);
    };
    match get(auth, "accessToken").as_string() {
        Some(t) if !t.is_empty() => Ok(Some(t)),
        _ => Err(Error::invalid_input(
            "auth.accessToken",
            "must be a non-empty string",
        )),
    }
}

/// The builder of one operation: `(client, arguments, token) → request` (`token` for
/// bearer routes). A function pointer, so the methods around it are compiled once per client
/// type, not once per operation.
pub(crate) type Build<R> = fn(&Client<R>, &Args, Option<&str>) -> Result<HttpRequest>;

/// The parser of one operation, its result converted for JS.
pub(crate) type Parse<R> = fn(&Client<R>, &Args, &HttpResponse) -> Result<JsValue>;

/// An operation's async method: sends the request `build` makes (retried if `retry`) and
/// `parse`s the response.
pub(crate) fn call_op<R: Route>(
    client: &Rc<Client<R>>,
    args: Result<Args>,
    options: Option<JsValue>,
    retry: bool,
    build: Build<R>,
    parse: Parse<R>,
) -> js_sys::Promise {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    network_call(client, args, options, move |client, args| async move {
        let resp = R::exchange(&client, retry, &|c, token| build(c, &args, token)).await?;
        parse(&client, &args, &resp)
    })
}

/// An operation's `buildX()`: the request the call would send first (token from `auth`,
/// else the client's; outbound signing applied).
pub(crate) fn build_op<R: Route>(
    client: &Client<R>,
    args: Result<Args>,
    auth: Option<JsValue>,
    build: Build<R>,
) -> Result<JsValue, JsValue> {
    // The secrets are gathered only for an error's scrub, not on every call.
    let args = args.map_err(|e| failed(client, e, None))?;
    let run = || -> Result<JsValue> {
        let token = R::sans_io_token(client, auth.as_ref())?;
        let request = build(client, &args, token.as_deref())?;
        super::fetch::request_to_js(&R::finish_sans_io(client, request)?)
    };
    run().map_err(|e| failed(client, e, Some(&args)))
}

/// An operation's `parseX()`: what the call resolves to for `response`. The arguments'
/// secrets (a password, a refresh token) are scrubbed from errors too: a vendor may echo
/// them in the response being parsed.
pub(crate) fn parse_op<R: Route>(
    client: &Client<R>,
    response: &JsValue,
    args: Result<Args>,
    parse: Parse<R>,
) -> Result<JsValue, JsValue> {
    let args = args.map_err(|e| failed(client, e, None))?;
    let run = || parse(client, &args, &self::response(response)?);
    run().map_err(|e| failed(client, e, Some(&args)))
}

/// Generates `name()`, `buildName()` and `parseName()` for each operation of a class.
///
/// Write the operation's doc as `#[doc = " …"]` lines, not `///`: a `///` comment inside a
/// macro's input reaches wasm-bindgen as a raw string, which it copies into the JSDoc with
/// its `r"` prefix. The twins' docs are generated here (`{@link x}` is a TypeDoc link).
///
/// ```ignore
/// operation! {
///     MilesMasterclassJs as "MilesMasterclass";
///     #[doc = " Creates or updates a user."]
///     auto_subscribe = "autoSubscribe", build_auto_subscribe = "buildAutoSubscribe",
///     parse_auto_subscribe = "parseAutoSubscribe";
///     args(input: "AutoSubscribeInput") -> "AutoSubscribeResult", "Promise<AutoSubscribeResult>";
///     retry: true;
///     build: |c, a, token| c.cfg.build_auto_subscribe(a.get(0));
///     parse: |c, a, resp| c.cfg.parse_auto_subscribe(resp);
///
///     #[doc = " Blocks, unblocks or cancels a user's access."]
///     access_control = "accessControl", …; // the next operation of the class
/// }
/// ```
macro_rules! operation {
    // The async methods alone: their sans-IO twins are the package's JS, over the lean
    // boundary (AlphaLearn: `pkg-templates/twins.js`). The arm below adds the twins.
    (
        $class:ident as $js_class:tt, lean twins;
        $(
        $(#[$meta:meta])*
        $name:ident = $js:tt;
        args($($arg:ident $(as $arg_js:tt)?: $arg_ty:tt),*) -> $promise:tt;
        retry: $retry:expr;
        build: |$bc:ident, $ba:ident, $bt:ident| $build_e:expr;
        parse: |$pc:ident, $pa:ident, $pr:ident| $parse_e:expr;
        )+
    ) => {$(
        #[wasm_bindgen(js_class = $js_class)]
        impl $class {
            $(#[$meta])*
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $promise)]
            pub fn $name(
                &self,
                $($(#[wasm_bindgen(js_name = $arg_js)])? #[wasm_bindgen(unchecked_param_type = $arg_ty)] $arg: JsValue,)*
                #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")] call_options: Option<JsValue>,
            ) -> js_sys::Promise {
                $crate::wasm::ops::call_op(
                    &self.inner,
                    $crate::wasm::ops::Args::from_js(&[$((&$arg, $crate::wasm::ops::js_arg_name!($arg $($arg_js)?))),*]),
                    call_options,
                    $retry,
                    |$bc, $ba, $bt| $build_e,
                    |$pc, $pa, $pr| $crate::wasm::convert::ForJs::for_js(&$parse_e?),
                )
            }
        }
    )+};
    // The builders made by the lean boundary's JS (Miles Masterclass): the methods below
    // without them.
    ($class:ident as $js_class:tt, lean builders; $($rest:tt)+) => {
        $crate::wasm::ops::operation! { @twins [lean] $class as $js_class; $($rest)+ }
    };
    ($class:ident as $js_class:tt; $($rest:tt)+) => {
        $crate::wasm::ops::operation! { @twins [] $class as $js_class; $($rest)+ }
    };
    (
        @twins $builders:tt $class:ident as $js_class:tt;
        $(
        $(#[$meta:meta])*
        $name:ident = $js:tt, $build:ident = $js_build:tt, $parse:ident = $js_parse:tt;
        args($($arg:ident $(as $arg_js:tt)?: $arg_ty:tt),*) -> $out:tt, $promise:tt;
        retry: $retry:expr;
        build: |$bc:ident, $ba:ident, $bt:ident| $build_e:expr;
        parse: |$pc:ident, $pa:ident, $pr:ident| $parse_e:expr;
        )+
    ) => {
        // The async methods as above, then their twins: the builders (unless `[lean]`) and
        // the parsers.
        $crate::wasm::ops::operation! {
            $class as $js_class, lean twins;
            $(
            $(#[$meta])*
            $name = $js;
            args($($arg $(as $arg_js)?: $arg_ty),*) -> $promise;
            retry: $retry;
            build: |$bc, $ba, $bt| $build_e;
            parse: |$pc, $pa, $pr| $parse_e;
            )+
        }
        $(
        $crate::wasm::ops::operation! {
            @build $builders $class $js_class $js $build $js_build;
            args($($arg $(as $arg_js)?: $arg_ty),*);
            build: |$bc, $ba, $bt| $build_e;
        }

        #[wasm_bindgen(js_class = $js_class)]
        impl $class {
            #[doc = " Sans-IO twin of {@link"]
            #[doc = $js]
            #[doc = "}: reads the response to the request of {@link"]
            #[doc = $js_build]
            #[doc = "} and returns what the call resolves to, or throws the `LmsBridgeError` it"]
            #[doc = " would. Pass the call's arguments after `response`, as given to the call: a parser"]
            #[doc = " may need them, and scrubs them from its errors (a vendor may echo them)."]
            #[wasm_bindgen(js_name = $js_parse, unchecked_return_type = $out)]
            pub fn $parse(
                &self,
                #[wasm_bindgen(unchecked_param_type = "HttpResponseLike")] response: JsValue,
                $($(#[wasm_bindgen(js_name = $arg_js)])? #[wasm_bindgen(unchecked_optional_param_type = $arg_ty)] $arg: Option<JsValue>),*
            ) -> Result<JsValue, JsValue> {
                $crate::wasm::ops::parse_op(
                    &*self.inner,
                    &response,
                    $crate::wasm::ops::Args::from_optional(&[$(($arg.as_ref(), $crate::wasm::ops::js_arg_name!($arg $($arg_js)?))),*]),
                    |$pc, $pa, $pr| $crate::wasm::convert::ForJs::for_js(&$parse_e?),
                )
            }
        }
        )+
    };
    // A builder twin made by the lean boundary's JS: none here.
    (
        @build [lean] $class:ident $js_class:tt $js:tt $build:ident $js_build:tt;
        args($($arg:ident $(as $arg_js:tt)?: $arg_ty:tt),*);
        build: |$bc:ident, $ba:ident, $bt:ident| $build_e:expr;
    ) => {};
    (
        @build [] $class:ident $js_class:tt $js:tt $build:ident $js_build:tt;
        args($($arg:ident $(as $arg_js:tt)?: $arg_ty:tt),*);
        build: |$bc:ident, $ba:ident, $bt:ident| $build_e:expr;
    ) => {
        #[wasm_bindgen(js_class = $js_class)]
        impl $class {
            #[doc = " Sans-IO twin of {@link"]
            #[doc = $js]
            #[doc = "}: the request it would send, built as for the call (headers, body, request"]
            #[doc = " signing), for your own HTTP client. Routes that need a bearer token take it from"]
            #[doc = " `auth.accessToken`, else use the configured or cached one (`INVALID_CONFIG` when"]
            #[doc = " there is none); the others ignore `auth`. Bad input throws as the call would."]
            #[wasm_bindgen(js_name = $js_build, unchecked_return_type = "HttpRequest")]
            pub fn $build(
                &self,
                $($(#[wasm_bindgen(js_name = $arg_js)])? #[wasm_bindgen(unchecked_param_type = $arg_ty)] $arg: JsValue,)*
                #[wasm_bindgen(unchecked_optional_param_type = "{ accessToken?: string }")] auth: Option<JsValue>,
            ) -> Result<JsValue, JsValue> {
                $crate::wasm::ops::build_op(
                    &*self.inner,
                    $crate::wasm::ops::Args::from_js(&[$((&$arg, $crate::wasm::ops::js_arg_name!($arg $($arg_js)?))),*]),
                    auth,
                    |$bc, $ba, $bt| $build_e,
                )
            }
        }
    };
}
pub(crate) use operation;

/// The JS name of an `operation!` argument: its `as "jsName"`, else the Rust name.
macro_rules! js_arg_name {
    ($arg:ident) => {
        stringify!($arg)
    };
    ($arg:ident $js:tt) => {
        $js
    };
}
pub(crate) use js_arg_name;
