//! What the vendors' sans-IO twins on the lean boundary share
//! ([`crate::vendors::alphalearn::wire`], [`crate::vendors::learnworlds::wire`],
//! [`crate::vendors::teach_on_mars::wire`]): an input object's fields as the JS passes them
//! (the fields a call uses, own properties, each an `Arg`), a builder's bearer token, and
//! the output of a request or of a failure, which the JS makes its `LmsBridgeError` from.

use std::borrow::Cow;

use crate::core::http::HttpRequest;
use crate::core::input::{field_name, number_to_string, Input};
use crate::core::text::push_decimal;
use crate::error::{Error, Result};
use crate::handoff::wire::{Arg, ABSENT};
use crate::signing::wire::{take, Wire};
use crate::transport::client::{Client, VendorConfig};
use crate::transport::token::CachedToken;
use crate::vendors::no_token;

/// An input object's fields as a lean call got them: the names of the fields the call reads,
/// their arguments in the same order. Read as [`Fields`](crate::core::input::Fields) reads a
/// converted object, with the same messages. The fields of an object nested in the input
/// (an [`Arg::Object`]) follow under their path (`organization.id`).
pub(crate) struct ArgFields<'a, 'n> {
    /// The field names.
    pub names: &'n [&'n str],
    /// Their arguments.
    pub args: &'a [Arg<'a>],
    /// The nested object these fields are of (`""`: the input's own).
    pub prefix: &'a str,
}

impl<'a> ArgFields<'a, '_> {
    /// The argument of field `key` (absent when the call reads no such field).
    fn arg(&self, key: &str) -> Arg<'a> {
        let mut names = self.names.iter();
        let at = match self.prefix {
            "" => names.position(|name| *name == key),
            prefix => names.position(|name| {
                name.strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix('.'))
                    == Some(key)
            }),
        };
        at.and_then(|i| self.args.get(i))
            .copied()
            .unwrap_or(Arg::Absent)
    }

    /// `INVALID_INPUT` for field `key`, named with its path in a nested object.
    #[cold]
    fn invalid(&self, key: &str, why: &str) -> Error {
        Error::invalid_input(&field_name(self.prefix, key), why)
    }
}

impl<'a, 'n: 'a> Input<'a> for ArgFields<'a, 'n> {
    fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.arg(key) {
            Arg::Text(s) => Ok(Some(s)),
            Arg::Absent => Ok(None),
            _ => Err(self.invalid(key, "must be a string")),
        }
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.arg(key) {
            Arg::Bool(b) => Ok(Some(b)),
            Arg::Absent => Ok(None),
            _ => Err(self.invalid(key, "must be a boolean")),
        }
    }

    fn opt_str_or_num(&self, key: &str) -> Result<Option<Cow<'a, str>>> {
        let text = match self.arg(key) {
            Arg::Text(s) => Some(Cow::Borrowed(s)),
            Arg::Absent => return Ok(None),
            // As JS prints it (a JSON number: finite).
            Arg::Number(n) => {
                serde_json::Number::from_f64(n).map(|n| Cow::Owned(number_to_string(&n)))
            }
            _ => None,
        };
        text.map(Some)
            .ok_or_else(|| self.invalid(key, "must be a string or a number"))
    }

    fn has(&self, key: &str) -> bool {
        self.arg(key) != Arg::Absent
    }

    fn opt_object(&self, key: &'a str) -> Result<Option<Box<dyn Input<'a> + 'a>>> {
        match self.arg(key) {
            Arg::Object => Ok(Some(Box::new(Self {
                prefix: key,
                ..*self
            }))),
            Arg::Absent => Ok(None),
            _ => Err(self.invalid(key, "must be an object")),
        }
    }
}

/// What a call returns when it failed: its output is then [`error_output`]'s.
pub const FAILED: i32 = -2;

/// An error as the JS builds its `LmsBridgeError`: `code\0retryable\0vendor\0status\0`,
/// then the byte lengths of the vendor code and of the details' JSON text (each empty when
/// there is none) each followed by `\0`, then those two texts, then the message (vendor text
/// may hold a NUL: it is found by length, not by separator).
pub fn error_output(e: &Error) -> Vec<u8> {
    let details = e.details.as_deref().map(str::as_bytes);
    let mut out = Vec::with_capacity(64 + e.message.len());
    out.extend_from_slice(e.code.as_str().as_bytes());
    out.push(0);
    out.push(if e.retryable() { b'1' } else { b'0' });
    out.push(0);
    out.extend_from_slice(e.vendor.map_or("", |v| v.as_str()).as_bytes());
    out.push(0);
    if let Some(status) = e.status {
        push_decimal(&mut out, u64::from(status));
    }
    out.push(0);
    for text in [e.vendor_code.as_deref().map(str::as_bytes), details] {
        if let Some(text) = text {
            push_decimal(&mut out, text.len() as u64);
        }
        out.push(0);
    }
    for text in [e.vendor_code.as_deref().map(str::as_bytes), details] {
        out.extend_from_slice(text.unwrap_or_default());
    }
    out.extend_from_slice(e.message.as_bytes());
    out
}

/// Sets the call's output: `result`'s, or on failure the error's output (then [`FAILED`]).
pub(crate) fn report(
    w: &mut Wire,
    result: core::result::Result<(Vec<u8>, i32), Vec<u8>>,
) -> Result<i32> {
    let (out, rc) = result.unwrap_or_else(|error| (error, FAILED));
    w.set_output(out);
    Ok(rc)
}

/// `result`, or its error scrubbed of `secrets` as [`error_output`] writes it.
pub(crate) fn scrubbed<T>(result: Result<T>, secrets: &[&str]) -> core::result::Result<T, Vec<u8>> {
    result.map_err(|e| error_output(&e.scrubbed(secrets)))
}

/// A parser's input as the JS writes it: the response's body (`body_len` bytes), then the
/// call's arguments as JSON text (`input_len` bytes, or `ABSENT`, which gives `None`).
pub(crate) fn parser_input(
    w: &Wire,
    used: usize,
    body_len: usize,
    input_len: usize,
) -> Result<(&[u8], Option<&[u8]>)> {
    let mut rest = w.input_bytes(used)?;
    let body = take(&mut rest, body_len)?;
    let input = match input_len {
        ABSENT => None,
        len => Some(take(&mut rest, len)?),
    };
    Ok((body, input))
}

/// Sets a builder's output: `request` as `pkg-templates/transport.js`' `request` reads one
/// (`method\0url\0name\0value\0…\0body`), returning its number of headers; or the error
/// (then [`FAILED`]).
pub(crate) fn report_request(
    w: &mut Wire,
    request: core::result::Result<HttpRequest, Vec<u8>>,
) -> Result<i32> {
    let result = request.and_then(|request| {
        let count = i32::try_from(request.headers.0.len()).unwrap_or(0);
        let text = request
            .wire_text()
            .ok_or_else(|| error_output(&Error::invalid_input("baseUrl", "must not hold a NUL")))?;
        Ok((text.into_bytes(), count))
    });
    report(w, result)
}

/// `e` scrubbed as a client's methods scrub their errors: of the client's secrets and token
/// (gathered only now) and of `hidden`, the call's own secrets, as [`error_output`] writes it.
pub(crate) fn client_failure<C: VendorConfig, S>(
    e: Error,
    client: &Client<C, S>,
    hidden: Vec<String>,
) -> Vec<u8> {
    let mut secrets = client.secrets();
    secrets.extend(hidden);
    error_output(&e.scrubbed(&secrets))
}

/// What a parser's errors must not show of the call's arguments, given as their JSON text
/// (`input`, as [`parser_input`] reads it; a vendor may echo them): the sensitive strings
/// ([`Node::sensitive_strings`](crate::core::tree::Node::sensitive_strings)) of the one
/// argument, or with `several`, of each argument of the array the text holds.
pub(crate) fn input_secrets(input: Option<&[u8]>, several: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(tree) = input.and_then(crate::core::tree::parse) {
        let root = tree.root();
        if several {
            root.items().for_each(|arg| arg.sensitive_strings(&mut out));
        } else {
            root.sensitive_strings(&mut out);
        }
    }
    out
}

/// The bearer token of a builder: `auth.accessToken` (a non-empty string, else
/// `INVALID_INPUT`) when `auth` was given, else the one the client holds (`held()`; else
/// `INVALID_CONFIG`).
pub(crate) fn bearer<'a>(
    auth: Arg<'a>,
    held: &dyn Fn() -> Result<Option<CachedToken>>,
) -> Result<Cow<'a, str>> {
    match auth {
        Arg::Absent => match held()? {
            Some(t) => Ok(Cow::Owned(t.token.as_str().to_owned())),
            None => Err(no_token()),
        },
        Arg::Text(t) if !t.is_empty() => Ok(Cow::Borrowed(t)),
        _ => Err(Error::invalid_input(
            "auth.accessToken",
            "must be a non-empty string",
        )),
    }
}

/// Calling the twins as their JS does, and reading [`error_output`] back, for their tests.
#[cfg(test)]
pub(crate) mod tests {
    use serde_json::Value;

    use crate::error::Error;
    use crate::handoff::wire::{ABSENT, FALSE, NOT_TEXT, TRUE};
    use crate::signing::wire::Wire;

    /// The length the JS passes for an argument (`v`, a JSON value standing for the JS one),
    /// its text appended to `bytes`: a string's, or a sentinel.
    pub(crate) fn put(bytes: &mut Vec<u8>, v: Option<&Value>) -> usize {
        match v {
            None | Some(Value::Null) => ABSENT,
            Some(Value::Bool(true)) => TRUE,
            Some(Value::Bool(false)) => FALSE,
            Some(Value::String(s)) => {
                bytes.extend_from_slice(s.as_bytes());
                s.len()
            }
            Some(_) => NOT_TEXT,
        }
    }

    /// A parser's input as the JS writes it: the body, then the JSON text of `input` (its
    /// length, or `ABSENT`).
    pub(crate) fn parse_input(body: &str, input: Option<&Value>) -> (Vec<u8>, usize) {
        let mut bytes = body.as_bytes().to_vec();
        let input_len = match input {
            Some(v) => {
                let text = v.to_string();
                bytes.extend_from_slice(text.as_bytes());
                text.len()
            }
            None => ABSENT,
        };
        (bytes, input_len)
    }

    /// The `auth` arguments a builder's tests try: none, a token, and what is refused (the
    /// `accessToken` of each, a JSON value standing for the JS one).
    pub(crate) fn auths() -> [Option<Value>; 5] {
        let token = |v: &str| Some(Value::String(v.to_owned()));
        [
            None,
            token("call-token-1"),
            token(""),
            Some(Value::from(5)),
            token("bad\ntoken"),
        ]
    }

    /// A wire whose input buffer holds `bytes`.
    pub(crate) fn wire_with(bytes: &[u8]) -> Wire {
        let mut w = Wire::new();
        if let Some(buf) = w.input(bytes.len()) {
            buf[..bytes.len()].copy_from_slice(bytes);
        }
        w
    }

    /// What a builder twin's call wrote: `Ok(rc\0output)`, or the error's seven fields
    /// ([`decode`]).
    pub(crate) fn outcome(w: &Wire, rc: i32) -> std::result::Result<String, Vec<String>> {
        match rc {
            super::FAILED => Err(decode(w.output()).to_vec()),
            n => Ok(format!(
                "{n}\0{}",
                String::from_utf8(w.output().to_vec()).unwrap()
            )),
        }
    }

    /// A network call's builder's `request` in [`outcome`]'s form, its error scrubbed of
    /// `secrets` as the class scrubs it.
    pub(crate) fn request_outcome(
        request: crate::error::Result<crate::core::http::HttpRequest>,
        secrets: &[String],
    ) -> std::result::Result<String, Vec<String>> {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        request
            .map(|r| format!("{}\0{}", r.headers.0.len(), r.wire_text().unwrap()))
            .map_err(|e| fields(&e.scrubbed(&secrets)).to_vec())
    }

    /// An [`error_output`]'s fields: code, retryable, vendor, status, vendor code, details,
    /// message.
    pub(crate) fn decode(out: &[u8]) -> [String; 7] {
        let mut parts = out.splitn(7, |b| *b == 0);
        let mut next = || String::from_utf8(parts.next().unwrap().to_vec()).unwrap();
        let (code, retryable, vendor, status, vc_len, details_len) =
            (next(), next(), next(), next(), next(), next());
        let rest = next();
        let vc_len: usize = vc_len.parse().unwrap_or(0);
        let details_len: usize = details_len.parse().unwrap_or(0);
        let (vc, rest) = rest.split_at(vc_len);
        let (details, message) = rest.split_at(details_len);
        [
            code,
            retryable,
            vendor,
            status,
            vc.into(),
            details.into(),
            message.into(),
        ]
    }

    /// An error's fields as [`decode`] gives them.
    pub(crate) fn fields(e: &Error) -> [String; 7] {
        [
            e.code.as_str().into(),
            if e.retryable() { "1" } else { "0" }.into(),
            e.vendor.map_or("", |v| v.as_str()).into(),
            e.status.map_or(String::new(), |s| s.to_string()),
            e.vendor_code.clone().unwrap_or_default(),
            e.details.as_ref().map_or(String::new(), |d| d.to_string()),
            e.message.clone(),
        ]
    }
}
