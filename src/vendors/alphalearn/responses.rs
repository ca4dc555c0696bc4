//! Response parsers: the `data.response` envelope, its error codes (errors arrive inside
//! HTTP 200), and the typed results.
//!
//! Decision order (vendor file §3):
//! 1. `data.response.error.code` non-empty (string, or number → decimal string): mapped by
//!    the code table whatever the status; `vendorCode` = that code.
//! 2. 2xx and `success === true` → success; payload `data.response.data`.
//! 3. 401/403 → `AUTH_FAILED`; 404 → `NOT_FOUND`; 429 → `RATE_LIMITED`.
//! 4. An envelope without a code (e.g. `success:false`) → `VENDOR_ERROR`, no `vendorCode`.
//! 5. No envelope: a non-2xx → `HTTP_STATUS`; a 2xx → `RESPONSE_MALFORMED`.
//!
//! The login path (`parseLogin`, the slowest sans-IO call) is compiled for speed in the wasm
//! build (`lmsb_optimize`, src/lib.rs), as the JSON reader is.

use std::borrow::Cow;

use serde::Serialize;

use super::Config;
use crate::core::http::HttpResponse;
use crate::core::json::{JsonWriter, REDACTED};
use crate::core::secret::{exposed, Secret};
use crate::core::text::{concat, number_text, parse_digits_u64, push_decimal};
use crate::core::tree::{self, Kind, Node as TreeNode, Tree};
use crate::error::{ErrorCode, Result, Vendor};
use crate::vendors::{malformed, vendor_error, VendorFault};

const VENDOR: Vendor = Vendor::AlphaLearn;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// The AlphaLearn route a response answers; the meaning of some codes depends on it
/// (`1002` is `AUTH_FAILED` for login, `VENDOR_ERROR` for forgot-password).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `POST /authorize/login`
    Login,
    /// `POST /authorize/refresh-token`
    RefreshToken,
    /// `POST /authorize/third-party`
    LoginWithThirdParty,
    /// `POST /authorize/forgot-password`
    ForgotPassword,
}

/// API.md's `AlphaLearnUser`. `id` and `companyId` are numbers (digit strings accepted);
/// `uniqueId` a string (numbers accepted); the other fields a string or `null` when absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlphaLearnUser {
    /// The user's numeric id.
    pub id: u64,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Mobile number (as text).
    pub mobile: Option<String>,
    /// The company's own identifier for the user (as text).
    pub unique_id: String,
    /// Role, e.g. `"Trainee"`.
    pub role: Option<String>,
    /// Language, e.g. `"en-US"`.
    pub language: Option<String>,
    /// Time zone, e.g. `"Asia/Kolkata"`.
    pub timezone: Option<String>,
    /// AlphaLearn's session token.
    #[serde(serialize_with = "exposed")]
    pub session_token: Option<Secret<String>>,
    /// The company's numeric id.
    pub company_id: u64,
    /// The company's name.
    pub company_name: Option<String>,
}

/// `login` / `loginWithThirdParty` result: `{ user, token, refreshToken }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResult {
    /// The logged-in user.
    pub user: AlphaLearnUser,
    /// The JWT (valid 60 minutes).
    #[serde(serialize_with = "exposed")]
    pub token: Secret<String>,
    /// The refresh token (valid 90 days); the vendor's `refresh-token`.
    #[serde(serialize_with = "exposed")]
    pub refresh_token: Secret<String>,
}

impl LoginResult {
    /// The result as JSON text, as its `Serialize` writes it (a test checks that), by hand:
    /// `parseLogin`'s result is handed to JS as this text.
    pub fn to_json(&self) -> String {
        let u = &self.user;
        fn text(s: &Option<String>) -> Option<Cow<'_, str>> {
            s.as_deref().map(Cow::Borrowed)
        }
        LoginFields {
            id: u.id,
            first_name: text(&u.first_name),
            last_name: text(&u.last_name),
            email: text(&u.email),
            mobile: text(&u.mobile),
            unique_id: Cow::Borrowed(&u.unique_id),
            role: text(&u.role),
            language: text(&u.language),
            timezone: text(&u.timezone),
            session_token: u.session_token.as_ref().map(|t| Cow::Borrowed(t.as_str())),
            company_id: u.company_id,
            company_name: text(&u.company_name),
            token: Cow::Borrowed(self.token.as_str()),
            refresh_token: Cow::Borrowed(self.refresh_token.as_str()),
        }
        .to_json()
    }
}

/// A login result's fields, borrowed where they can be: from a [`LoginResult`], or from the
/// body a typed read took them from. The one place a login result's JSON text is written.
struct LoginFields<'a> {
    id: u64,
    first_name: Option<Cow<'a, str>>,
    last_name: Option<Cow<'a, str>>,
    email: Option<Cow<'a, str>>,
    mobile: Option<Cow<'a, str>>,
    unique_id: Cow<'a, str>,
    role: Option<Cow<'a, str>>,
    language: Option<Cow<'a, str>>,
    timezone: Option<Cow<'a, str>>,
    session_token: Option<Cow<'a, str>>,
    company_id: u64,
    company_name: Option<Cow<'a, str>>,
    token: Cow<'a, str>,
    refresh_token: Cow<'a, str>,
}

/// One value of a login result: a number (the two ids), or a string unless the vendor left
/// it out.
enum Value<'v> {
    Number(u64),
    Text(Option<&'v str>),
}

/// The UTF-16 length [`LoginFields::values_output`] gives a value the vendor left out.
pub(super) const NO_VALUE: u32 = u32::MAX;

impl LoginFields<'_> {
    /// Hands `f` the result's values with their keys: the user's in [`USER_FIELDS`]' order,
    /// then the token and the refresh token.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn each(&self, f: &mut dyn FnMut(&'static str, Value<'_>)) {
        f("id", Value::Number(self.id));
        for (key, value) in [
            ("firstName", &self.first_name),
            ("lastName", &self.last_name),
            ("email", &self.email),
            ("mobile", &self.mobile),
        ] {
            f(key, Value::Text(value.as_deref()));
        }
        f("uniqueId", Value::Text(Some(&self.unique_id)));
        for (key, value) in [
            ("role", &self.role),
            ("language", &self.language),
            ("timezone", &self.timezone),
            ("sessionToken", &self.session_token),
        ] {
            f(key, Value::Text(value.as_deref()));
        }
        f("companyId", Value::Number(self.company_id));
        f("companyName", Value::Text(self.company_name.as_deref()));
        f("token", Value::Text(Some(&self.token)));
        f("refreshToken", Value::Text(Some(&self.refresh_token)));
    }

    /// `{"user":{…},"token":…,"refreshToken":…}`, keys in [`LoginResult`]'s order.
    fn to_json(&self) -> String {
        let mut w = JsonWriter::with_capacity(512);
        w.begin();
        w.key("user");
        w.begin();
        self.each(&mut |key, value| {
            if key == "token" {
                w.end();
            }
            w.key(key);
            match value {
                Value::Number(n) => w.uint(n),
                Value::Text(text) => w.opt_text(text),
            }
        });
        w.end();
        w.finish()
    }

    /// The same values for the lean call, which JS builds the object from: their fourteen
    /// lengths in UTF-16 units (little-endian `u32`s; [`NO_VALUE`] for a value the vendor left
    /// out; the ids as decimal text), then the values' UTF-8, one after another. One decoding
    /// and fourteen slices take a third of the time `JSON.parse` of the values as an array
    /// took.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn values_output(&self) -> Vec<u8> {
        let mut text = Vec::with_capacity(256);
        let mut out = Vec::with_capacity(56 + 256);
        self.each(&mut |_, value| {
            let start = text.len();
            let len = match value {
                Value::Number(n) => {
                    push_decimal(&mut text, n);
                    text.len() - start
                }
                Value::Text(Some(s)) => {
                    text.extend_from_slice(s.as_bytes());
                    utf16_len(s)
                }
                Value::Text(None) => NO_VALUE as usize,
            };
            out.extend_from_slice(&u32::try_from(len).unwrap_or(NO_VALUE).to_le_bytes());
        });
        out.extend_from_slice(&text);
        out
    }

    /// The owned result.
    fn into_result(self) -> LoginResult {
        let owned = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        LoginResult {
            user: AlphaLearnUser {
                id: self.id,
                first_name: owned(self.first_name),
                last_name: owned(self.last_name),
                email: owned(self.email),
                mobile: owned(self.mobile),
                unique_id: self.unique_id.into_owned(),
                role: owned(self.role),
                language: owned(self.language),
                timezone: owned(self.timezone),
                session_token: owned(self.session_token).map(Secret::from),
                company_id: self.company_id,
                company_name: owned(self.company_name),
            },
            token: self.token.into_owned().into(),
            refresh_token: self.refresh_token.into_owned().into(),
        }
    }
}

/// `refreshToken` result: `{ token }` (no new refresh token is issued).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefreshResult {
    /// The new JWT.
    #[serde(serialize_with = "exposed")]
    pub token: Secret<String>,
}

/// `forgotPassword` result: `{ token }`, the password-reset token (keep it server-side).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ForgotPasswordResult {
    /// The reset token.
    #[serde(serialize_with = "exposed")]
    pub token: Secret<String>,
}

impl Config {
    /// Parses the `login` response into `{ user, token, refreshToken }`.
    pub fn parse_login(&self, resp: &HttpResponse) -> Result<LoginResult> {
        parse_login_as(resp, Route::Login)
    }

    /// [`Config::parse_login`]'s result as the JSON text JS gets ([`LoginResult::to_json`]).
    pub fn parse_login_json(&self, resp: &HttpResponse) -> Result<String> {
        parse_login_json_as(resp, Route::Login)
    }

    /// Parses the `refreshToken` response (`{"status":"ok","token"}`) into `{ token }`.
    pub fn parse_refresh_token(&self, resp: &HttpResponse) -> Result<RefreshResult> {
        let token = parse_token(resp, Route::RefreshToken)?;
        Ok(RefreshResult { token })
    }

    /// Parses the `loginWithThirdParty` response (as for login).
    pub fn parse_login_with_third_party(&self, resp: &HttpResponse) -> Result<LoginResult> {
        parse_login_as(resp, Route::LoginWithThirdParty)
    }

    /// [`Config::parse_login_with_third_party`]'s result as the JSON text JS gets.
    pub fn parse_login_with_third_party_json(&self, resp: &HttpResponse) -> Result<String> {
        parse_login_json_as(resp, Route::LoginWithThirdParty)
    }

    /// Parses the `forgotPassword` response (`{"token"}`) into `{ token }`.
    pub fn parse_forgot_password(&self, resp: &HttpResponse) -> Result<ForgotPasswordResult> {
        let token = parse_token(resp, Route::ForgotPassword)?;
        Ok(ForgotPasswordResult { token })
    }
}

/// A login response, read by the decision order of the module docs.
fn parse_login_as(resp: &HttpResponse, route: Route) -> Result<LoginResult> {
    login_fields(resp, route).map(LoginFields::into_result)
}

/// [`parse_login_as`]'s result as its JSON text ([`LoginResult::to_json`]), written from
/// the body it was read from, without owned copies of its strings.
fn parse_login_json_as(resp: &HttpResponse, route: Route) -> Result<String> {
    login_fields(resp, route).map(|f| f.to_json())
}

/// A login response (`route`: login or third-party login), as [`parse_login_as`], its result
/// as [`LoginFields::values_output`] writes it: for the lean call.
#[cfg_attr(lmsb_optimize, optimize(speed))]
pub(super) fn parse_login_values(resp: &HttpResponse, route: Route) -> Result<Vec<u8>> {
    login_fields(resp, route).map(|f| f.values_output())
}

/// The length of `s` in UTF-16 units (JS string length).
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// A `{ token }` response (refresh, forgot password), as [`parse_login_as`].
fn parse_token(resp: &HttpResponse, route: Route) -> Result<Secret<String>> {
    let body = tree::parse(&resp.body);
    let payload = envelope(body.as_ref(), resp, route)?;
    token(payload.get("token"), "token", resp.status).map(|t| Secret::from(t.into_owned()))
}

/// Where `id`, `uniqueId` and `companyId` are in [`USER_FIELDS`].
const ID: usize = 0;
const UNIQUE_ID: usize = 5;
const COMPANY_ID: usize = 10;

/// The user object's fields, in the order they are checked (and written).
pub(super) const USER_FIELDS: [&str; 12] = [
    "id",
    "firstName",
    "lastName",
    "email",
    "mobile",
    "uniqueId",
    "role",
    "language",
    "timezone",
    "sessionToken",
    "companyId",
    "companyName",
];

/// A login response's fields, borrowed from its body where they can be.
#[cfg_attr(lmsb_optimize, optimize(speed))]
fn login_fields(resp: &HttpResponse, route: Route) -> Result<LoginFields<'_>> {
    let status = resp.status;
    let body = tree::parse(&resp.body);
    let payload = envelope(body.as_ref(), resp, route)?;
    let [user, token_node, dashed, camel] =
        payload.pick(["user", "token", "refresh-token", "refreshToken"]);
    let Some(user) = user.filter(|u| u.is_object()) else {
        return Err(malformed(VENDOR, status, "`user` is missing"));
    };
    let token_text = token(token_node, "token", status)?;
    let refresh_token = match dashed {
        Some(_) => token(dashed, "refresh-token", status)?,
        None => token(camel, "refreshToken", status)?,
    };
    // The user's fields, checked in order by one loop (one copy of the checks and their
    // messages): the two numbers, and the texts, `uniqueId` required.
    let mut numbers = [0u64; 2];
    let mut texts: [Option<Cow<'_, str>>; 10] = Default::default();
    let picked = user.pick(USER_FIELDS);
    let (mut n, mut t) = (0, 0);
    for i in 0..USER_FIELDS.len() {
        let (Some(key), Some(value)) = (USER_FIELDS.get(i), picked.get(i)) else {
            break;
        };
        if i == ID || i == COMPANY_ID {
            if let Some(slot) = numbers.get_mut(n) {
                *slot = user_number(*value, key, status)?;
            }
            n += 1;
            continue;
        }
        let read = user_text(*value, key, status)?;
        if i == UNIQUE_ID && read.is_none() {
            return Err(malformed(VENDOR, status, "`user.uniqueId` is missing"));
        }
        if let Some(slot) = texts.get_mut(t) {
            *slot = read;
        }
        t += 1;
    }
    let [id, company_id] = numbers;
    let [first_name, last_name, email, mobile, unique_id, role, language, timezone, session_token, company_name] =
        texts;
    Ok(LoginFields {
        id,
        first_name,
        last_name,
        email,
        mobile,
        unique_id: unique_id.unwrap_or_default(),
        role,
        language,
        timezone,
        session_token,
        company_id,
        company_name,
        token: token_text,
        refresh_token,
    })
}

/// A login response and a `{ token }` response parsed by the `Value` path of earlier
/// versions and by the present one. For tests and the differential fuzz target: the two
/// must agree.
#[cfg(any(test, fuzzing))]
#[allow(clippy::type_complexity)]
pub fn parse_paths(
    resp: &HttpResponse,
) -> (
    (Result<LoginResult>, Result<LoginResult>),
    (Result<String>, Result<String>),
) {
    let token = parse_token(resp, Route::RefreshToken).map(|t| t.as_str().to_owned());
    (
        (
            oracle::value_login(resp, Route::Login),
            parse_login_as(resp, Route::Login),
        ),
        (oracle::value_token(resp, Route::RefreshToken), token),
    )
}

/// A string, or a number as text ([`number_text`]).
fn text_or_number<'a>(node: TreeNode<'_, 'a>) -> Option<Cow<'a, str>> {
    match node.kind() {
        Kind::String(_) => node.as_cow(),
        Kind::Number(n) => Some(number_text(n)),
        _ => None,
    }
}

/// Applies the decision order of the module docs to a body read by `core::tree`; returns
/// the success payload `data.response.data`.
#[cfg_attr(lmsb_optimize, optimize(speed))]
fn envelope<'t, 'a>(
    body: Option<&'t Tree<'a>>,
    resp: &HttpResponse,
    route: Route,
) -> Result<TreeNode<'t, 'a>> {
    let status = resp.status;
    let root = body.map(Tree::root).filter(|b| b.is_object());
    let [data, success] = root.map_or([None; 2], |m| m.pick(["data", "success"]));
    let response = data
        .and_then(|d| d.get("response"))
        .filter(|r| r.is_object());
    let is_envelope = success.is_some() || response.is_some();
    let [error, payload] = response.map_or([None; 2], |r| r.pick(["error", "data"]));
    let error = error.filter(|e| e.is_object());

    // 1. A code wins whatever the status.
    if let Some(code) = error.and_then(tree_error_code) {
        let (kind, meaning) = classify(&code, route);
        let message = meaning
            .map(str::to_owned)
            .or_else(|| error.and_then(tree_internal_message));
        let fault = VendorFault {
            vendor_code: Some(code.into_owned()),
            message,
            body: error.and_then(tree_error_details),
        };
        return Err(vendor_error(VENDOR, kind, status, Some(fault)));
    }

    // 2. Success.
    if resp.is_success() && success.map(TreeNode::kind) == Some(Kind::Bool(true)) {
        return payload
            .filter(|d| d.is_object())
            .ok_or_else(|| malformed(VENDOR, status, "`data.response.data` is missing"));
    }

    let fault = is_envelope.then(|| VendorFault {
        vendor_code: None,
        message: error.and_then(tree_internal_message),
        body: error.and_then(tree_error_details),
    });

    // 3. Statuses with a meaning of their own.
    let by_status = match status {
        401 | 403 => Some(ErrorCode::AuthFailed),
        404 => Some(ErrorCode::NotFound),
        429 => Some(ErrorCode::RateLimited),
        _ => None,
    };
    if let Some(kind) = by_status {
        return Err(vendor_error(VENDOR, kind, status, fault));
    }

    // 4. An envelope without a code.
    if let Some(mut fault) = fault {
        if fault.message.is_none() {
            fault.message = Some("reported a failure without an error code".to_owned());
        }
        return Err(vendor_error(
            VENDOR,
            ErrorCode::VendorError,
            status,
            Some(fault),
        ));
    }

    // 5. No envelope.
    if resp.is_success() {
        Err(malformed(
            VENDOR,
            status,
            "the body is not an AlphaLearn JSON envelope",
        ))
    } else {
        Err(vendor_error(VENDOR, ErrorCode::HttpStatus, status, None))
    }
}

/// `error.code` as text when non-empty (a string, trimmed, or a number in decimal).
fn tree_error_code<'t>(error: TreeNode<'t, '_>) -> Option<Cow<'t, str>> {
    match error.get("code")?.kind() {
        Kind::String(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(Cow::Borrowed),
        Kind::Number(n) => Some(number_text(n)),
        _ => None,
    }
}

/// `error.internal_message`, scrubbed, when it is a non-empty string.
fn tree_internal_message(error: TreeNode<'_, '_>) -> Option<String> {
    error
        .get("internal_message")
        .and_then(TreeNode::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(scrub_vendor_text)
}

/// `details`: `internal_message` and `moreInfo`, with secret-named keys redacted and
/// token-like text scrubbed, as JSON text. `None` when neither is present.
fn tree_error_details(error: TreeNode<'_, '_>) -> Option<String> {
    let found = error.pick(["internal_message", "moreInfo"]);
    if found.iter().all(Option::is_none) {
        return None;
    }
    let mut out = JsonWriter::with_capacity(64);
    out.begin();
    for (key, value) in ["internal_message", "moreInfo"].into_iter().zip(found) {
        if let Some(value) = value {
            out.key(key);
            value.write_json(&mut out, true, &scrub_vendor_text);
        }
    }
    out.end();
    Some(out.finish())
}

/// The string of `node` (the member `key`) when non-empty, else `RESPONSE_MALFORMED`.
#[cfg_attr(lmsb_optimize, optimize(speed))]
fn token<'a>(node: Option<TreeNode<'_, 'a>>, key: &str, status: u16) -> Result<Cow<'a, str>> {
    match node.and_then(TreeNode::as_cow) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(malformed(
            VENDOR,
            status,
            &concat(&["`", key, "` is missing or not a string"]),
        )),
    }
}

/// `user.{key}` as text (a number as its decimal digits), `None` when absent or `null`.
#[cfg_attr(lmsb_optimize, optimize(speed))]
fn user_text<'a>(
    value: Option<TreeNode<'_, 'a>>,
    key: &str,
    status: u16,
) -> Result<Option<Cow<'a, str>>> {
    match value {
        None => Ok(None),
        Some(v) if v.kind() == Kind::Null => Ok(None),
        Some(v) => text_or_number(v).map(Some).ok_or_else(|| {
            malformed(
                VENDOR,
                status,
                &concat(&["`user.", key, "` is not a string"]),
            )
        }),
    }
}

/// `user.{key}` as a safe non-negative integer (digit strings accepted).
#[cfg_attr(lmsb_optimize, optimize(speed))]
fn user_number(value: Option<TreeNode<'_, '_>>, key: &str, status: u16) -> Result<u64> {
    let n = match value.map(TreeNode::kind) {
        Some(Kind::Number(n)) => parse_digits_u64(n),
        Some(Kind::String(s)) => parse_digits_u64(s),
        _ => None,
    };
    safe_integer(n).ok_or_else(|| {
        malformed(
            VENDOR,
            status,
            &concat(&["`user.", key, "` is not a non-negative integer"]),
        )
    })
}

/// `n` when a JS number holds it exactly.
fn safe_integer(n: Option<u64>) -> Option<u64> {
    n.filter(|n| *n <= MAX_SAFE_INTEGER)
}

/// The error code and, for documented codes, the documented meaning (used as the message,
/// so nothing the vendor echoes reaches it).
fn classify(code: &str, route: Route) -> (ErrorCode, Option<&'static str>) {
    use ErrorCode::{AuthFailed, VendorError};
    match code {
        "1001" => (VendorError, Some("Missing email")),
        "1002" if route == Route::Login => (AuthFailed, Some("Invalid email")),
        "1002" => (VendorError, Some("Invalid email")),
        "1003" => (VendorError, Some("Missing password")),
        "1004" => (AuthFailed, Some("Invalid password")),
        "1005" => (VendorError, Some("Missing domain")),
        "1006" => (VendorError, Some("Invalid domain")),
        "1016" => (VendorError, Some("Missing refreshToken")),
        "1017" => (AuthFailed, Some("Invalid refreshToken")),
        "1028" => (VendorError, Some("Missing provider")),
        "1029" => (VendorError, Some("Invalid provider")),
        "1030" => (VendorError, Some("Missing thirdPartyData")),
        "1031" => (AuthFailed, Some("Invalid thirdPartyData")),
        _ => (VendorError, None),
    }
}

/// Characters of a token-like run (JWTs, base64, opaque tokens).
fn is_run_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '+' | '/' | '-')
}

/// Whether a word names a secret (`password`, `refreshToken`, `jwt`, …).
fn is_secret_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    ["password", "passwd", "pwd", "token", "secret", "jwt"]
        .iter()
        .any(|s| w.contains(s))
}

/// Minimum length of a run of token characters that is redacted on sight.
const LONG_RUN: usize = 20;

/// Removes what may be a secret from vendor free text (the parser does not know the
/// caller's password or token): runs of 20+ token characters (JWTs, opaque tokens) and
/// the value after a secret-named word followed by `:` or `=` (`password: x`,
/// `"refreshToken":"x"`, `token=x`).
pub fn scrub_vendor_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut after_secret_word = false;
    while let Some(first) = rest.chars().next() {
        if is_run_char(first) {
            let end = rest.find(|c| !is_run_char(c)).unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            if run.len() >= LONG_RUN {
                out.push_str(REDACTED);
                after_secret_word = false;
            } else {
                out.push_str(run);
                after_secret_word = is_secret_word(run);
            }
            rest = tail;
        } else {
            let end = rest.find(is_run_char).unwrap_or(rest.len());
            let (sep, tail) = rest.split_at(end);
            out.push_str(sep);
            rest = tail;
            if after_secret_word && sep.contains([':', '=']) {
                let quote = sep.chars().last().filter(|c| matches!(c, '"' | '\''));
                let stop = |c: char| match quote {
                    Some(q) => c == q,
                    None => c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '}' | ']'),
                };
                let end = rest.find(stop).unwrap_or(rest.len());
                if end > 0 {
                    out.push_str(REDACTED);
                }
                rest = rest.get(end..).unwrap_or_default();
            }
            after_secret_word = false;
        }
    }
    out
}

/// The `Value` path of earlier versions, kept as the reference the present parsers are
/// compared with (`parse_paths`).
#[cfg(any(test, fuzzing))]
mod oracle {
    use super::*;
    use crate::core::input::number_to_string;
    use crate::core::json::{compact, redact};
    use serde_json::{Map, Value};

    /// A login response by the `Value` path.
    pub fn value_login(resp: &HttpResponse, route: Route) -> Result<LoginResult> {
        login_result(parse_envelope(resp, route)?, resp.status)
    }

    /// A `{ token }` response by the `Value` path.
    pub fn value_token(resp: &HttpResponse, route: Route) -> Result<String> {
        take_token(&mut parse_envelope(resp, route)?, "token", resp.status)
    }

    /// A string of decimal digits as a number (`None` when empty, not all digits, or too large).
    fn digits(s: &str) -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    }

    /// `n` when a JS number holds it exactly.
    fn safe_integer(n: Option<u64>) -> Option<u64> {
        n.filter(|n| *n <= MAX_SAFE_INTEGER)
    }

    /// Applies the decision order of the module docs; returns the success payload
    /// `data.response.data`.
    pub fn parse_envelope(resp: &HttpResponse, route: Route) -> Result<Map<String, Value>> {
        let status = resp.status;
        let mut body = resp.json();
        let root = body.as_ref().and_then(Value::as_object);
        let response = root
            .and_then(|m| m.get("data"))
            .and_then(Value::as_object)
            .and_then(|d| d.get("response"))
            .and_then(Value::as_object);
        let envelope = root.filter(|m| m.contains_key("success") || response.is_some());
        let error = response
            .and_then(|r| r.get("error"))
            .and_then(Value::as_object);

        // 1. A code wins whatever the status.
        if let Some(code) = error.and_then(error_code) {
            let (kind, meaning) = classify(&code, route);
            let message = meaning
                .map(str::to_owned)
                .or_else(|| error.and_then(internal_message));
            let fault = VendorFault {
                vendor_code: Some(code),
                message,
                body: error.and_then(error_details),
            };
            return Err(vendor_error(VENDOR, kind, status, Some(fault)));
        }

        // 2. Success.
        let success = root.and_then(|m| m.get("success")) == Some(&Value::Bool(true));
        if resp.is_success() && success {
            // Taken out of the body, not copied: the body is dropped here anyway.
            let payload = body
                .as_mut()
                .and_then(|b| b.get_mut("data")?.get_mut("response")?.get_mut("data"))
                .map(Value::take);
            return match payload {
                Some(Value::Object(payload)) => Ok(payload),
                _ => Err(malformed(VENDOR, status, "`data.response.data` is missing")),
            };
        }

        let fault = envelope.map(|_| VendorFault {
            vendor_code: None,
            message: error.and_then(internal_message),
            body: error.and_then(error_details),
        });

        // 3. Statuses with a meaning of their own.
        let by_status = match status {
            401 | 403 => Some(ErrorCode::AuthFailed),
            404 => Some(ErrorCode::NotFound),
            429 => Some(ErrorCode::RateLimited),
            _ => None,
        };
        if let Some(kind) = by_status {
            return Err(vendor_error(VENDOR, kind, status, fault));
        }

        // 4. An envelope without a code.
        if let Some(mut fault) = fault {
            if fault.message.is_none() {
                fault.message = Some("reported a failure without an error code".to_owned());
            }
            return Err(vendor_error(
                VENDOR,
                ErrorCode::VendorError,
                status,
                Some(fault),
            ));
        }

        // 5. No envelope.
        if resp.is_success() {
            Err(malformed(
                VENDOR,
                status,
                "the body is not an AlphaLearn JSON envelope",
            ))
        } else {
            Err(vendor_error(VENDOR, ErrorCode::HttpStatus, status, None))
        }
    }

    /// `error.code` as text when non-empty (a string, trimmed, or a number in decimal).
    fn error_code(error: &Map<String, Value>) -> Option<String> {
        match error.get("code")? {
            Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned),
            Value::Number(n) => Some(number_to_string(n)),
            _ => None,
        }
    }

    /// `error.internal_message`, scrubbed, when it is a non-empty string.
    fn internal_message(error: &Map<String, Value>) -> Option<String> {
        error
            .get("internal_message")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(scrub_vendor_text)
    }

    /// `details`: `internal_message` and `moreInfo`, with secret-named keys redacted and
    /// token-like text scrubbed. `None` when neither is present.
    fn error_details(error: &Map<String, Value>) -> Option<String> {
        let mut out = Map::new();
        for key in ["internal_message", "moreInfo"] {
            if let Some(v) = error.get(key) {
                out.insert(key.to_owned(), scrub_vendor_value(&redact(v)));
            }
        }
        (!out.is_empty()).then(|| compact(&Value::Object(out)))
    }

    fn scrub_vendor_value(value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(scrub_vendor_text(s)),
            Value::Array(items) => Value::Array(items.iter().map(scrub_vendor_value).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), scrub_vendor_value(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn login_result(mut payload: Map<String, Value>, status: u16) -> Result<LoginResult> {
        let Some(Value::Object(user)) = payload.get_mut("user").map(Value::take) else {
            return Err(malformed(VENDOR, status, "`user` is missing"));
        };
        let token = take_token(&mut payload, "token", status)?;
        let refresh_token = match payload.get("refresh-token") {
            Some(_) => take_token(&mut payload, "refresh-token", status)?,
            None => take_token(&mut payload, "refreshToken", status)?,
        };
        Ok(LoginResult {
            user: parse_user(user, status)?,
            token: token.into(),
            refresh_token: refresh_token.into(),
        })
    }

    /// A non-empty string taken out of `payload` (moved, not copied), else `RESPONSE_MALFORMED`.
    fn take_token(payload: &mut Map<String, Value>, key: &str, status: u16) -> Result<String> {
        match payload.get_mut(key).map(Value::take) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            _ => Err(malformed(
                VENDOR,
                status,
                &concat(&["`", key, "` is missing or not a string"]),
            )),
        }
    }

    /// The user object, its strings moved out of it (the parsed body is dropped after).
    fn parse_user(mut user: Map<String, Value>, status: u16) -> Result<AlphaLearnUser> {
        let u = &mut user;
        Ok(AlphaLearnUser {
            id: user_number(u, "id", status)?,
            first_name: user_text(u, "firstName", status)?,
            last_name: user_text(u, "lastName", status)?,
            email: user_text(u, "email", status)?,
            mobile: user_text(u, "mobile", status)?,
            unique_id: user_text(u, "uniqueId", status)?
                .ok_or_else(|| malformed(VENDOR, status, "`user.uniqueId` is missing"))?,
            role: user_text(u, "role", status)?,
            language: user_text(u, "language", status)?,
            timezone: user_text(u, "timezone", status)?,
            session_token: user_text(u, "sessionToken", status)?.map(Secret::from),
            company_id: user_number(u, "companyId", status)?,
            company_name: user_text(u, "companyName", status)?,
        })
    }

    /// `user.{key}` as text (a number as its decimal digits), `None` when absent or `null`.
    fn user_text(user: &mut Map<String, Value>, key: &str, status: u16) -> Result<Option<String>> {
        match user.get_mut(key).map(Value::take) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) => Ok(Some(number_to_string(&n))),
            Some(_) => Err(malformed(
                VENDOR,
                status,
                &concat(&["`user.", key, "` is not a string"]),
            )),
        }
    }

    /// `user.{key}` as a safe non-negative integer (digit strings accepted).
    fn user_number(user: &Map<String, Value>, key: &str, status: u16) -> Result<u64> {
        let n = match user.get(key) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => digits(s),
            _ => None,
        };
        safe_integer(n).ok_or_else(|| {
            malformed(
                VENDOR,
                status,
                &concat(&["`user.", key, "` is not a non-negative integer"]),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use serde_json::{json, Value};

    fn cfg() -> Config {
        Config::default()
    }

    fn ok(payload: Value) -> HttpResponse {
        let body = json!({"success": true, "data": {"response": {
            "acknowledgement": "Success",
            "data": payload,
            "error": {"code": "", "internal_message": "", "moreInfo": []}
        }}});
        HttpResponse::new(200, body.to_string())
    }

    fn failure(status: u16, code: Value, msg: &str) -> HttpResponse {
        let body = json!({"success": false, "data": {"response": {
            "acknowledgement": "Failure",
            "data": {},
            "error": {"code": code, "internal_message": msg, "moreInfo": [{"field": "email"}]}
        }}});
        HttpResponse::new(status, body.to_string())
    }

    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    fn user_json() -> Value {
        json!({
            "id": "101", "firstName": "Asha", "lastName": "Rao", "email": "a@b.com",
            "mobile": 9876543210_u64, "uniqueId": 55, "role": "Trainee", "language": "en-US",
            "timezone": "Asia/Kolkata", "sessionToken": "sess-1", "companyId": 7,
            "companyName": "Acme"
        })
    }

    #[test]
    fn login_success_numbers_as_strings_and_hyphenated_refresh_token() {
        let resp = ok(json!({"user": user_json(), "token": JWT, "refresh-token": "rt-1"}));
        let out = cfg().parse_login(&resp).unwrap();
        assert_eq!(out.token.as_str(), JWT);
        assert_eq!(out.refresh_token.as_str(), "rt-1");
        assert_eq!(out.user.id, 101);
        assert_eq!(out.user.company_id, 7);
        assert_eq!(out.user.unique_id, "55");
        assert_eq!(out.user.mobile.as_deref(), Some("9876543210"));
        let v = serde_json::to_value(&out).unwrap();
        assert_eq!(
            v,
            json!({
                "user": {
                    "id": 101, "firstName": "Asha", "lastName": "Rao", "email": "a@b.com",
                    "mobile": "9876543210", "uniqueId": "55", "role": "Trainee",
                    "language": "en-US", "timezone": "Asia/Kolkata", "sessionToken": "sess-1",
                    "companyId": 7, "companyName": "Acme"
                },
                "token": JWT,
                "refreshToken": "rt-1"
            })
        );
        let dbg = format!("{out:?}");
        assert!(!dbg.contains(JWT) && !dbg.contains("rt-1") && !dbg.contains("sess-1"));

        // Third party: same result shape; absent optional strings are null.
        let resp = ok(json!({
            "user": {"id": 5, "uniqueId": "u5", "companyId": "9"},
            "token": "t", "refresh-token": "r"
        }));
        let out = cfg().parse_login_with_third_party(&resp).unwrap();
        let v = serde_json::to_value(&out.user).unwrap();
        assert_eq!(v["id"], 5);
        assert_eq!(v["companyId"], 9);
        for key in [
            "firstName",
            "lastName",
            "email",
            "mobile",
            "role",
            "language",
            "timezone",
            "sessionToken",
            "companyName",
        ] {
            assert_eq!(v[key], Value::Null, "{key}");
        }
    }

    #[test]
    fn login_missing_parts_are_malformed() {
        let good = json!({"user": user_json(), "token": "t", "refresh-token": "r"});
        let mut cases = vec![];
        for key in ["user", "token", "refresh-token"] {
            let mut p = good.clone();
            p.as_object_mut().unwrap().remove(key);
            cases.push(p);
        }
        for (key, bad) in [
            ("token", json!("")),
            ("token", json!(5)),
            ("refresh-token", json!(null)),
            ("user", json!("x")),
        ] {
            let mut p = good.clone();
            p[key] = bad;
            cases.push(p);
        }
        for (key, bad) in [
            ("id", json!("abc")),
            ("id", json!(-1)),
            ("id", json!(1.5)),
            ("id", json!(null)),
            ("companyId", json!("12a")),
            ("companyId", json!(9_007_199_254_740_992_u64)),
            ("uniqueId", json!(null)),
            ("email", json!({"x": 1})),
            ("role", json!(true)),
        ] {
            let mut p = good.clone();
            p["user"][key] = bad;
            cases.push(p);
        }
        for p in cases {
            let e = cfg().parse_login(&ok(p.clone())).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{p}");
            assert_eq!(e.status, Some(200));
            assert_eq!(e.vendor, Some(Vendor::AlphaLearn));
            assert!(!e.message.contains("\"t\""));
        }
        // The camelCase spelling is accepted as a fallback.
        let p = json!({"user": user_json(), "token": "t", "refreshToken": "r"});
        assert_eq!(
            cfg().parse_login(&ok(p)).unwrap().refresh_token.as_str(),
            "r"
        );
    }

    #[test]
    fn refresh_and_forgot_password_success() {
        let out = cfg()
            .parse_refresh_token(&ok(json!({"status": "ok", "token": JWT})))
            .unwrap();
        assert_eq!(serde_json::to_value(&out).unwrap(), json!({"token": JWT}));
        assert!(!format!("{out:?}").contains(JWT));
        let out = cfg()
            .parse_forgot_password(&ok(json!({"token": "reset-1"})))
            .unwrap();
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            json!({"token": "reset-1"})
        );
        assert!(!format!("{out:?}").contains("reset-1"));
        for p in [json!({"status": "ok"}), json!({"token": ""}), json!({})] {
            let e = cfg().parse_refresh_token(&ok(p.clone())).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed);
            let e = cfg().parse_forgot_password(&ok(p)).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed);
        }
    }

    fn parse_route(route: Route, resp: &HttpResponse) -> Error {
        let c = cfg();
        match route {
            Route::Login => c.parse_login(resp).unwrap_err(),
            Route::RefreshToken => c.parse_refresh_token(resp).unwrap_err(),
            Route::LoginWithThirdParty => c.parse_login_with_third_party(resp).unwrap_err(),
            Route::ForgotPassword => c.parse_forgot_password(resp).unwrap_err(),
        }
    }

    const ROUTES: [Route; 4] = [
        Route::Login,
        Route::RefreshToken,
        Route::LoginWithThirdParty,
        Route::ForgotPassword,
    ];

    #[test]
    fn every_code_inside_http_200_as_string_and_number() {
        let table: [(u32, ErrorCode, &str); 12] = [
            (1001, ErrorCode::VendorError, "Missing email"),
            (1002, ErrorCode::VendorError, "Invalid email"),
            (1003, ErrorCode::VendorError, "Missing password"),
            (1004, ErrorCode::AuthFailed, "Invalid password"),
            (1005, ErrorCode::VendorError, "Missing domain"),
            (1006, ErrorCode::VendorError, "Invalid domain"),
            (1016, ErrorCode::VendorError, "Missing refreshToken"),
            (1017, ErrorCode::AuthFailed, "Invalid refreshToken"),
            (1028, ErrorCode::VendorError, "Missing provider"),
            (1029, ErrorCode::VendorError, "Invalid provider"),
            (1030, ErrorCode::VendorError, "Missing thirdPartyData"),
            (1031, ErrorCode::AuthFailed, "Invalid thirdPartyData"),
        ];
        for (code, expected, meaning) in table {
            for wire in [json!(code.to_string()), json!(code)] {
                for route in ROUTES {
                    let e = parse_route(route, &failure(200, wire.clone(), "vendor text"));
                    let expected = if code == 1002 && route == Route::Login {
                        ErrorCode::AuthFailed
                    } else {
                        expected
                    };
                    assert_eq!(e.code, expected, "{code} {wire} {route:?}");
                    assert_eq!(e.vendor_code.as_deref(), Some(code.to_string().as_str()));
                    assert_eq!(e.status, Some(200));
                    assert_eq!(e.vendor, Some(Vendor::AlphaLearn));
                    assert_eq!(e.message, format!("AlphaLearn {code}: {meaning}"));
                    let d = e.details_value().unwrap();
                    assert_eq!(d["internal_message"], "vendor text");
                    assert_eq!(d["moreInfo"], json!([{"field": "email"}]));
                    assert!(!e.message.contains("vendor text"));
                }
            }
        }
        // The code wins over success:true and over a non-2xx status.
        let body = json!({"success": true, "data": {"response": {
            "data": {"token": "t"}, "error": {"code": 1004}}}});
        let e = cfg()
            .parse_forgot_password(&HttpResponse::new(200, body.to_string()))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert_eq!(e.details, None);
        let e = cfg()
            .parse_login(&failure(500, json!(" 1017 "), ""))
            .unwrap_err();
        assert_eq!(
            (e.code, e.status, e.vendor_code.as_deref()),
            (ErrorCode::AuthFailed, Some(500), Some("1017"))
        );
    }

    #[test]
    fn code_1002_differs_per_route() {
        let resp = failure(200, json!("1002"), "Invalid email");
        assert_eq!(
            cfg().parse_login(&resp).unwrap_err().code,
            ErrorCode::AuthFailed
        );
        assert_eq!(
            cfg().parse_forgot_password(&resp).unwrap_err().code,
            ErrorCode::VendorError
        );
    }

    #[test]
    fn unknown_code_is_vendor_error() {
        for route in ROUTES {
            let e = parse_route(route, &failure(200, json!(4242), "Company suspended"));
            assert_eq!(e.code, ErrorCode::VendorError);
            assert_eq!(e.vendor_code.as_deref(), Some("4242"));
            assert_eq!(e.message, "AlphaLearn 4242: Company suspended");
            assert_eq!(e.status, Some(200));
            let e = parse_route(route, &failure(200, json!("E_X"), ""));
            assert_eq!(e.message, "AlphaLearn E_X (HTTP 200)");
            assert_eq!(e.code, ErrorCode::VendorError);
        }
    }

    #[test]
    fn envelope_without_code() {
        for code in [json!(""), json!("  "), json!(null)] {
            let e = cfg().parse_login(&failure(200, code, "")).unwrap_err();
            assert_eq!(e.code, ErrorCode::VendorError);
            assert_eq!(e.vendor_code, None);
            assert_eq!(e.status, Some(200));
            assert_eq!(e.vendor, Some(Vendor::AlphaLearn));
        }
        let e = cfg()
            .parse_login(&HttpResponse::new(200, r#"{"success":false}"#))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.vendor_code, None);
        assert_eq!(
            e.message,
            "AlphaLearn (HTTP 200): reported a failure without an error code"
        );
        let e = cfg()
            .parse_login(&failure(500, json!(""), "Server busy"))
            .unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::VendorError, Some(500)));
        assert_eq!(e.message, "AlphaLearn (HTTP 500): Server busy");
        // A codeless envelope on 401 is still AUTH_FAILED.
        let e = cfg().parse_login(&failure(401, json!(""), "")).unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
        // success:true with no payload.
        let e = cfg()
            .parse_login(&HttpResponse::new(200, r#"{"success":true}"#))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
    }

    #[test]
    fn statuses_without_envelope() {
        for (status, body, code) in [
            (401, "Unauthorized", ErrorCode::AuthFailed),
            (403, "", ErrorCode::AuthFailed),
            (404, "<html>not found</html>", ErrorCode::NotFound),
            (404, "{}", ErrorCode::NotFound),
            (429, "", ErrorCode::RateLimited),
            (500, "<html>oops</html>", ErrorCode::HttpStatus),
            (503, "", ErrorCode::HttpStatus),
            (409, "{\"x\":1}", ErrorCode::HttpStatus),
            (
                200,
                "<html>maintenance</html>",
                ErrorCode::ResponseMalformed,
            ),
            (200, "", ErrorCode::ResponseMalformed),
            (200, "[1,2]", ErrorCode::ResponseMalformed),
            (200, "{\"token\":\"t\"}", ErrorCode::ResponseMalformed),
        ] {
            for route in ROUTES {
                let e = parse_route(route, &HttpResponse::new(status, body));
                assert_eq!(e.code, code, "{status} {body} {route:?}");
                assert_eq!(e.status, Some(status));
                assert_eq!(e.vendor, Some(Vendor::AlphaLearn));
                assert_eq!(e.vendor_code, None);
                assert_eq!(e.details, None);
            }
        }
        assert!(parse_route(Route::Login, &HttpResponse::new(503, "")).retryable());
    }

    #[test]
    fn no_password_or_token_in_message_or_details() {
        let password = "hunter2-Secret!";
        let refresh = "rt_9f8e7d6c5b4a3f2e1d0c";
        let echoes = [
            format!("Invalid password: {password} for a@b.com"),
            format!("password={password}"),
            format!("{{\"password\":\"{password}\"}}"),
            format!("Invalid refreshToken {JWT}"),
            format!("Invalid refreshToken: {refresh}"),
            format!("bad token '{refresh}'"),
        ];
        let more = json!([
            {"password": password},
            {"refreshToken": refresh, "token": JWT},
            {"field": "thirdPartyData", "value": JWT},
            format!("token={refresh}"),
            {"note": format!("password: {password}")}
        ]);
        for msg in &echoes {
            for code in [json!("1004"), json!(1017), json!("7777"), json!("")] {
                for status in [200, 400, 401] {
                    let body = json!({"success": false, "data": {"response": {
                        "data": {"token": JWT},
                        "error": {"code": code, "internal_message": msg, "moreInfo": more}
                    }}});
                    for route in ROUTES {
                        let e = parse_route(route, &HttpResponse::new(status, body.to_string()));
                        let text =
                            format!("{} {}", e.message, e.details.as_deref().unwrap_or_default());
                        for secret in [password, "hunter2", refresh, JWT, "eyJ"] {
                            assert!(!text.contains(secret), "{secret} leaked: {text}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn scrubbing_keeps_ordinary_text() {
        assert_eq!(
            scrub_vendor_text("Invalid email for user a@b.com"),
            "Invalid email for user a@b.com"
        );
        assert_eq!(scrub_vendor_text("Invalid password"), "Invalid password");
        assert_eq!(
            scrub_vendor_text("token=abc, next"),
            "token=[redacted], next"
        );
        assert_eq!(
            scrub_vendor_text("\"password\":\"a b\"}"),
            "\"password\":\"[redacted]\"}"
        );
        assert_eq!(scrub_vendor_text(""), "");
        assert_eq!(scrub_vendor_text("ünïcödé: ok"), "ünïcödé: ok");
    }

    #[test]
    fn the_tree_reads_decide_as_the_value_path_did() {
        let good = json!({"user": user_json(), "token": "t", "refresh-token": "r"});
        // The usual bodies.
        let mut usual = vec![
            ok(good.clone()),
            ok(
                json!({"user": {"id": 5, "uniqueId": "u5", "companyId": "9"}, "token": "t",
                "refreshToken": "r"}),
            ),
            HttpResponse::new(
                201,
                r#"{"success":true,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"a\"\u00e9","companyId":2,"email":null},"token":"t\/x","refresh-token":"r"}}}}"#,
            ),
        ];
        let mut with_error_fields = good.clone();
        with_error_fields["extra"] = json!([1, {"a": [true, null, 1.5]}]);
        usual.push(ok(with_error_fields));
        // The JSON text JS gets is the result's `to_json` (written from the body it borrows),
        // and an error is the same error.
        // The old path and the present one agree, errors included.
        let same = |resp: &HttpResponse| {
            let key = |e: Error| {
                (
                    e.details_value(),
                    e.code,
                    e.message.clone(),
                    e.status,
                    e.vendor_code.clone(),
                )
            };
            let ((old_login, login), (old_token, token)) = parse_paths(resp);
            assert_eq!(old_login.map_err(key), login.map_err(key));
            assert_eq!(old_token.map_err(key), token.map_err(key));
        };
        let json_agrees = |resp: &HttpResponse| {
            let c = cfg();
            let json = c
                .parse_login_json(resp)
                .map_err(|e| (e.code, e.message.clone()));
            let result = c.parse_login(resp).map_err(|e| (e.code, e.message.clone()));
            assert_eq!(json, result.map(|r| r.to_json()));
        };
        for resp in &usual {
            json_agrees(resp);
            same(resp);
            let out = cfg().parse_login(resp).unwrap();
            // JS gets a login result as the text `to_json` writes: what serde writes.
            assert_eq!(out.to_json(), serde_json::to_string(&out).unwrap());
        }

        // Every odd body.
        let bodies = [
            r#"[true,[[null,{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refresh-token":"r"}]]]"#,
            r#"{"success":true,"data":[[null,{"user":{},"token":"t"}]]}"#,
            r#"{"success":true,"data":{"response":{"data":{"user":{"id":1,"id":2,"uniqueId":"u","companyId":2},"token":"t","refresh-token":"r"}}}}"#,
            r#"{"success":true,"success":false,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refresh-token":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refresh-token":null,"refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"error":{"code":" "},"data":{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"error":{"code":1002},"data":{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"error":{"code":false},"data":{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"error":"x","data":{"user":{"id":1,"uniqueId":"u","companyId":2},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"error":null,"data":{"user":{"id":"007","uniqueId":-3,"companyId":9007199254740991,"role":12.5},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"data":{"user":{"id":"007","uniqueId":-3,"companyId":9007199254740991},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"data":{"user":{"id":1e2,"uniqueId":"u","companyId":1},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":1},"token":"t","refreshToken":"r"}}}} "#,
            r#"{"success":true,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":1},"token":"t","refreshToken":"r"}}}} x"#,
            // Details as the vendor may write them: repeated keys, numbers in any form.
            r#"{"success":false,"data":{"response":{"error":{"code":1002,"internal_message":{"a":1e2,"a":-0,"b":[1.50,"x\u0041"]},"moreInfo":{"token":"t","n":12345678901234567890123,"m":-1.5E-7}}}}}"#,
            r#"{"success":false,"data":{"response":{"error":{"internal_message":[{"password":{"a":1}},"\n"]}}}}"#,
            r#"{"success":1,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":1},"token":"t","refreshToken":"r"}}}}"#,
            // Not JSON to the `Value` path (a number out of range, a lone surrogate, a
            // control character), in places no shape reads: no typed read either.
            r#"{"success":true,"x":98e76543210,"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":1},"token":"t","refreshToken":"r"}}}}"#,
            r#"{"success":true,"x":["\ud800"],"data":{"response":{"data":{"user":{"id":1,"uniqueId":"u","companyId":1},"token":"t","refreshToken":"r"}}}}"#,
            "{\"success\":true,\"x\":{\"\u{1}\":0},\"data\":{\"response\":{\"data\":{\"user\":{\"id\":1,\"uniqueId\":\"u\",\"companyId\":1},\"token\":\"t\",\"refreshToken\":\"r\"}}}}",
        ];
        for body in bodies {
            for status in [200, 201, 400, 401, 404, 429, 500] {
                let resp = HttpResponse::new(status, body);
                json_agrees(&resp);
                same(&resp);
            }
        }
        let failures = [
            failure(200, json!("1002"), "Invalid email"),
            failure(
                200,
                json!(1017),
                "Invalid refreshToken eyJhbGciOiJIUzI1NiJ9.x.y",
            ),
            failure(500, json!(""), "password: hunter2"),
            failure(200, json!(null), ""),
        ];
        for resp in &failures {
            json_agrees(resp);
            same(resp);
        }

        // Not UTF-8.
        let resp = HttpResponse {
            status: 200,
            headers: Default::default(),
            body: vec![b'{', 0xff, b'}'],
        };
        same(&resp);
        assert_eq!(
            cfg().parse_login(&resp).unwrap_err().code,
            ErrorCode::ResponseMalformed
        );

        // The token responses: an ignored user object is still read strictly.
        let resp = HttpResponse::new(
            200,
            r#"{"success":true,"data":{"response":{"data":{"user":{"mobile":98e76543210},"token":"t"}}}}"#,
        );
        same(&resp);
        assert!(cfg().parse_refresh_token(&resp).is_err());

        // The token responses.
        let resp = ok(json!({"token": "fresh"}));
        assert_eq!(
            cfg().parse_refresh_token(&resp).unwrap().token.as_str(),
            "fresh"
        );
        let resp = ok(json!({"token": 5}));
        assert_eq!(
            cfg().parse_forgot_password(&resp).unwrap_err().code,
            ErrorCode::ResponseMalformed
        );
    }
}
