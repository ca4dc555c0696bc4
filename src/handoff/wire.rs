//! The hand-off's calls on the lean boundary ([`Wire`], as the signing calls): how the small
//! module behind `lms-bridge/handoff` reads its arguments and writes its results.
//!
//! Its JS (`pkg-templates/handoff.js`) writes each string argument's UTF-8 into the input
//! buffer, one after another, and passes each one's length: or [`ABSENT`] for `undefined` and
//! `null`, or [`NOT_TEXT`] for another type, with nothing written. Every check is made here,
//! in the order and with the messages the vendor clients' JSON readers
//! (`core::input::Fields`) give for the same input.

use super::{
    bad_action, check_action, check_method, check_open_app_link, deep_link, field_not_string,
    fields_not_object, form_type, jwt_form_action, jwt_form_input_data, must_post,
    render_auto_submit_form, CheckedForm,
};
use crate::error::{Error, Result};
use crate::signing::wire::{take, truncated, Wire};

/// A string argument's length when it was `undefined` or `null`.
pub const ABSENT: usize = usize::MAX;

/// A string argument's length when it was another type than a string.
pub const NOT_TEXT: usize = usize::MAX - 1;

/// An argument's length when it was `true` (read where a boolean is expected; elsewhere it is
/// [`NOT_TEXT`]).
pub const TRUE: usize = usize::MAX - 2;

/// An argument's length when it was `false` (as [`TRUE`]).
pub const FALSE: usize = usize::MAX - 3;

/// A string argument's length when it was longer than a vendor's twins read (more than 2^24
/// UTF-16 units, so more than 2^24 bytes of UTF-8): nothing is written, and the twin refuses
/// it as too long where it would have refused the string (`vendors::lean::check_readable`).
pub const TOO_LONG: usize = usize::MAX - 4;

/// A string argument's length when it was a number JSON has not (NaN, ±Infinity), in an
/// input object: the vendor module refuses the whole object for it, and so does the call
/// (as `Arg::Number` of NaN).
pub const NON_FINITE: usize = usize::MAX - 5;

/// A string argument's length when it was not written because the input object's strings
/// before it already held more than 2^24 UTF-16 units (so more than [`MAX_TEXT`] bytes):
/// the vendor module refuses such an object as holding too much text, and so does the call
/// (`Readable`). The JS then never writes more than one budget's worth of an input.
pub const TOO_MUCH: usize = usize::MAX - 6;

/// The longest string argument read, in bytes of UTF-8 (the vendor module's other calls
/// refuse longer ones too). Longer than this many UTF-16 units, the JS does not write it
/// ([`TOO_LONG`]).
pub const MAX_STRING: usize = 1 << 24;

/// Most bytes of text, in all, read from one input object (the vendor module's budget of
/// strings and keys, `wasm::convert::Budget`, here counting the strings).
pub const MAX_TEXT: usize = MAX_STRING;

/// Refuses in `args` what the vendor module's reading of an input object refuses
/// ([`Readable`]). `INVALID_INPUT` naming the argument `name`.
pub(crate) fn check_readable(args: &[Arg<'_>], name: &str) -> Result<()> {
    let mut read = Readable::default();
    for arg in args {
        read.add(*arg);
    }
    read.check(name)
}

/// What the arguments of one input object held, as far as the vendor module's reading of JS
/// values refuses them: a string longer than [`MAX_STRING`] (or one the JS found too long to
/// write, [`Arg::TooLong`]), more than [`MAX_TEXT`] bytes of text in all (or a string the JS
/// did not write for that, [`Arg::TooMuch`]), a number JSON has not (NaN, ±Infinity).
#[derive(Default)]
pub(crate) struct Readable {
    text: usize,
    long: bool,
    non_finite: bool,
}

impl Readable {
    /// Counts one argument.
    pub(crate) fn add(&mut self, arg: Arg<'_>) {
        match arg {
            Arg::Text(s) => {
                self.text = self.text.saturating_add(s.len());
                self.long |= s.len() > MAX_STRING;
            }
            Arg::TooLong => self.long = true,
            Arg::TooMuch => self.text = usize::MAX,
            Arg::Number(n) => self.non_finite |= !n.is_finite(),
            _ => {}
        }
    }

    /// The first of those refusals, in the vendor module's order; `name` names the input.
    pub(crate) fn check(&self, name: &str) -> Result<()> {
        let why = if self.long {
            TOO_LONG_WHY
        } else if self.text > MAX_TEXT {
            TOO_MUCH_WHY
        } else if self.non_finite {
            "must not contain NaN or Infinity"
        } else {
            return Ok(());
        };
        Err(Error::invalid_input(name, why))
    }
}

/// Why a string longer than [`MAX_STRING`] is refused.
pub const TOO_LONG_WHY: &str = "is too long (more than 16,777,216 bytes of UTF-8)";

/// Why an input holding more than [`MAX_TEXT`] bytes of text is refused.
pub const TOO_MUCH_WHY: &str =
    "holds too much text (more than 16,777,216 bytes of strings and keys)";

/// One string argument as the host described it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Arg<'a> {
    /// `undefined` or `null`.
    Absent,
    /// Another type.
    NotText,
    /// A boolean.
    Bool(bool),
    /// A number (passed beside the lengths, where a vendor's twin reads one, or
    /// [`NON_FINITE`]).
    Number(f64),
    /// A string too long to read ([`TOO_LONG`]).
    TooLong,
    /// A string over the input's text budget, not written ([`TOO_MUCH`]).
    TooMuch,
    /// An object (not an array), where a vendor's twin reads one's fields (it says so beside
    /// the lengths).
    #[cfg_attr(not(feature = "vendors"), allow(dead_code))]
    Object,
    /// A string.
    Text(&'a str),
}

impl<'a> Arg<'a> {
    /// A required string (`Fields::str`).
    pub(crate) fn required(self, name: &str) -> Result<&'a str> {
        match self {
            Arg::Text(s) => Ok(s),
            Arg::Absent => Err(Error::invalid_input(name, "is required")),
            _ => Err(Error::invalid_input(name, "must be a string")),
        }
    }

    /// A required, non-empty string (`Fields::non_empty`).
    pub(crate) fn non_empty(self, name: &str) -> Result<&'a str> {
        match self.required(name)? {
            "" => Err(Error::invalid_input(name, "must not be empty")),
            s => Ok(s),
        }
    }

    /// An optional string (`opt_string` of an options object).
    pub(crate) fn optional(self, name: &str) -> Result<Option<&'a str>> {
        match self {
            Arg::Text(s) => Ok(Some(s)),
            Arg::Absent => Ok(None),
            _ => Err(Error::invalid_input(name, "must be a string")),
        }
    }

    /// A string, whatever else was given (`string` of a positional argument).
    pub(crate) fn string(self, name: &str) -> Result<&'a str> {
        match self {
            Arg::Text(s) => Ok(s),
            Arg::TooLong => Err(Error::invalid_input(name, TOO_LONG_WHY)),
            _ => Err(Error::invalid_input(name, "must be a string")),
        }
    }
}

/// The string arguments described by `lens`, read from the start of `input`; then what
/// follows them.
pub(crate) fn args<const N: usize>(
    input: &[u8],
    lens: [usize; N],
) -> Result<([Arg<'_>; N], &[u8])> {
    let mut out = [Arg::Absent; N];
    let rest = read_args(input, &lens, &mut out)?;
    Ok((out, rest))
}

/// [`args`] for any number of arguments (compiled once, not once per `N`).
fn read_args<'a>(mut rest: &'a [u8], lens: &[usize], out: &mut [Arg<'a>]) -> Result<&'a [u8]> {
    for (arg, len) in out.iter_mut().zip(lens) {
        *arg = match *len {
            ABSENT => Arg::Absent,
            NOT_TEXT => Arg::NotText,
            TRUE => Arg::Bool(true),
            FALSE => Arg::Bool(false),
            TOO_LONG => Arg::TooLong,
            TOO_MUCH => Arg::TooMuch,
            NON_FINITE => Arg::Number(f64::NAN),
            len => Arg::Text(text(take(&mut rest, len)?)?),
        };
    }
    Ok(rest)
}

fn text(bytes: &[u8]) -> Result<&str> {
    core::str::from_utf8(bytes).map_err(|_| Error::invalid_input("input", "must be text"))
}

/// How `loginByJwtForm`'s `enrollmentId` was given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EnrollmentArg {
    /// A number.
    Number(f64),
    /// A string, written after the other three arguments (its length).
    Text(usize),
    /// Anything else, or nothing.
    Other,
}

/// `AlphaLearn.loginByJwtForm`: `lens` of `domain`, `token` and `type`, then the
/// enrollment id. Output: `action\0type\0inputData\0token` (the token as read here, as the
/// main entry's form holds it: a lone surrogate is U+FFFD).
pub fn login_by_jwt_form(
    w: &mut Wire,
    used: usize,
    lens: [usize; 3],
    id: EnrollmentArg,
) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([domain, token, kind], rest) = args(input, lens)?;
    let id = match id {
        EnrollmentArg::Number(n) => Arg::Number(n),
        EnrollmentArg::Text(len) => {
            let ([digits], _) = args(rest, [len])?;
            digits
        }
        EnrollmentArg::Other => Arg::NotText,
    };
    check_readable(&[domain, token, kind, id], "input")?;
    let domain = domain.non_empty("domain")?;
    super::check_domain(domain)?;
    let token = token.non_empty("token")?;
    let kind = form_type(kind.required("type")?)?;
    let id = match id {
        Arg::Number(n) => super::enrollment_id_from_number(n)?,
        Arg::Text(digits) => super::enrollment_id_from_digits(digits)?,
        _ => return Err(super::bad_enrollment_id()),
    };
    let mut out = jwt_form_action(domain).into_bytes();
    for part in ["\0", kind, "\0", &jwt_form_input_data(id), "\0", token] {
        out.extend_from_slice(part.as_bytes());
    }
    w.set_output(out);
    Ok(0)
}

/// How a form's `fields` were given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldsArg {
    /// An object of strings: its names and values follow the other arguments, each
    /// `[len: u32 LE][UTF-8]`, in this many bytes.
    Strings(usize),
    /// Not an object (or nothing).
    NotObject,
    /// An object holding a value that is not a string.
    NotStrings,
    /// The form itself is not an object.
    NoForm,
    /// A name or value longer than [`MAX_STRING`] UTF-16 units (nothing written).
    TooLong,
    /// More than [`MAX_TEXT`] UTF-16 units of text in the form's strings (nothing written).
    TooMuch,
    /// A value that is a number JSON has not (NaN, ±Infinity).
    NotFinite,
}

/// `renderAutoSubmitForm(form, { nonce })` (`render`), else `submitForm`'s check of the
/// form: `lens` of `method`, `action` and `nonce`, then the fields. Output: the page, or
/// nothing (the caller posts the fields it wrote).
pub fn form(
    w: &mut Wire,
    used: usize,
    lens: [usize; 3],
    fields: FieldsArg,
    render: bool,
) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([method, action, nonce], mut rest) = args(input, lens)?;
    // The whole form is read first, as the vendor module reads it before any check. The
    // fields are read again below rather than kept here: the module comes out 0.16 KB gzip
    // smaller that way.
    let fields_bytes = match fields {
        FieldsArg::Strings(len) => take(&mut rest, len)?,
        _ => &[],
    };
    let mut read = Readable::default();
    read.add(method);
    read.add(action);
    let mut region = fields_bytes;
    while !region.is_empty() {
        read.add(Arg::Text(prefixed(&mut region)?));
    }
    match fields {
        FieldsArg::TooLong => read.add(Arg::TooLong),
        FieldsArg::NotFinite => read.add(Arg::Number(f64::NAN)),
        _ => {}
    }
    read.check("form")?;
    if fields == FieldsArg::TooMuch {
        return Err(Error::invalid_input("form", TOO_MUCH_WHY));
    }
    let nonce = nonce.optional("nonce")?;
    if fields == FieldsArg::NoForm {
        return Err(Error::invalid_input("form", "must be an object"));
    }
    check_method(method.required("").map_err(|_| must_post())?)?;
    let action = action.required("").map_err(|_| bad_action())?;
    check_action(action)?;
    let mut pairs = Vec::new();
    match fields {
        FieldsArg::NotObject => return Err(fields_not_object()),
        FieldsArg::Strings(_) => {
            let mut region = fields_bytes;
            while !region.is_empty() {
                let name = prefixed(&mut region)?;
                let value = prefixed(&mut region)?;
                pairs.push((name.to_owned(), value.to_owned().into()));
            }
        }
        _ => return Err(field_not_string()),
    }
    if render {
        let form = CheckedForm {
            action: action.to_owned(),
            fields: pairs,
        };
        w.set_output(render_auto_submit_form(&form, nonce)?.into_bytes());
    }
    Ok(0)
}

/// One `[len: u32 LE][UTF-8]` string.
fn prefixed<'a>(rest: &mut &'a [u8]) -> Result<&'a str> {
    let len = match take(rest, 4)? {
        [a, b, c, d] => u32::from_le_bytes([*a, *b, *c, *d]) as usize,
        _ => return Err(truncated()),
    };
    text(take(rest, len)?)
}

/// `TeachOnMars.deepLink(authToken, { profileCreation, scheme })`: `lens` of `authToken` and
/// `scheme`; `creation` 0 (`false`), 1 (`true`), 2 (absent or `null`) or another number (not
/// a boolean). Output: the link.
pub fn deep_link_call(w: &mut Wire, used: usize, lens: [usize; 2], creation: u32) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([token, scheme], _) = args(input, lens)?;
    let token = token.string("authToken")?;
    let creation = match creation {
        0 => Some(false),
        1 => Some(true),
        2 => None,
        _ => {
            return Err(Error::invalid_input(
                "profileCreation",
                "must be a boolean or null",
            ))
        }
    };
    let scheme = scheme.optional("scheme")?;
    let link = deep_link(token, creation, scheme)?;
    w.set_output(link.into_bytes());
    Ok(0)
}

/// `openTeachOnMarsApp(deepLink, { targetOrigin })`'s checks: `lens` of the link and the
/// origin. No output (the caller opens the link it wrote).
pub fn app_link(w: &mut Wire, used: usize, lens: [usize; 2]) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([link, origin], _) = args(input, lens)?;
    check_open_app_link(link.string("deepLink")?)?;
    origin.optional("targetOrigin")?;
    Ok(0)
}

/// The calls against the vendor clients' JSON readers, on the same inputs: same output, or
/// same error code and message. The arguments are written as `handoff.js` writes them.
#[cfg(test)]
#[cfg(feature = "vendors")]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    type Outcome = core::result::Result<String, String>;

    /// Writes a string argument (or its sentinel) as handoff.js does; returns its length.
    fn put(buf: &mut Vec<u8>, v: Option<&Value>) -> usize {
        match v {
            None | Some(Value::Null) => ABSENT,
            Some(Value::String(s)) => {
                buf.extend_from_slice(s.as_bytes());
                s.len()
            }
            Some(_) => NOT_TEXT,
        }
    }

    fn run(input: &[u8], f: &mut dyn FnMut(&mut Wire, usize) -> Result<i32>) -> Outcome {
        let mut w = Wire::new();
        if let Some(buf) = w.input(input.len()) {
            buf.copy_from_slice(input);
        }
        let ok = w.run(&mut |w| f(w, input.len())) == 0;
        let out = String::from_utf8(w.output().to_vec()).unwrap();
        if ok {
            Ok(out)
        } else {
            Err(out)
        }
    }

    fn error(e: Error) -> String {
        format!("{}\0{}", e.code.as_str(), e.message)
    }

    fn jwt_by_wire(input: &Value) -> Outcome {
        let mut buf = Vec::new();
        let lens = ["domain", "token", "type"].map(|k| put(&mut buf, input.get(k)));
        let id = match input.get("enrollmentId") {
            Some(Value::Number(n)) => EnrollmentArg::Number(n.as_f64().unwrap()),
            Some(Value::String(s)) => {
                buf.extend_from_slice(s.as_bytes());
                EnrollmentArg::Text(s.len())
            }
            _ => EnrollmentArg::Other,
        };
        run(&buf, &mut |w, used| login_by_jwt_form(w, used, lens, id))
    }

    fn jwt_by_json(input: &Value) -> Outcome {
        crate::vendors::alphalearn::login_by_jwt_form(input)
            .map(|f| {
                format!(
                    "{}\0{}\0{}\0{}",
                    f.action,
                    f.fields.kind,
                    f.fields.input_data,
                    f.fields.token.as_str()
                )
            })
            .map_err(error)
    }

    #[test]
    fn login_by_jwt_form_as_the_json_reader() {
        let good = json!({"domain": "lms.example.com", "token": "jwt.a.b", "type": "trainee", "enrollmentId": 12555});
        let mut inputs = vec![good.clone()];
        for (key, value) in [
            ("domain", json!("localhost:8080")),
            ("domain", json!("127.0.0.1")),
            ("domain", json!("https://lms.example.com")),
            ("domain", json!("")),
            ("domain", json!(null)),
            ("domain", json!(7)),
            ("token", json!("")),
            ("token", json!(null)),
            ("token", json!(["x"])),
            ("type", json!("admin")),
            ("type", json!("Admin")),
            ("type", json!(null)),
            ("type", json!(true)),
            ("enrollmentId", json!("42")),
            ("enrollmentId", json!("00042")),
            ("enrollmentId", json!(12555.0)),
            ("enrollmentId", json!(9_007_199_254_740_991_u64)),
            ("enrollmentId", json!(9_007_199_254_740_992_u64)),
            ("enrollmentId", json!(0)),
            ("enrollmentId", json!(-5)),
            ("enrollmentId", json!(1.5)),
            ("enrollmentId", json!("12a")),
            ("enrollmentId", json!("")),
            ("enrollmentId", json!(null)),
            ("enrollmentId", json!(true)),
        ] {
            let mut i = good.clone();
            i[key] = value;
            inputs.push(i);
        }
        // Several bad fields: the first in the reader's order wins in both.
        inputs.push(json!({"domain": "a/b", "token": 1, "type": "x"}));
        inputs.push(json!({"token": "t", "type": "x", "enrollmentId": 0}));
        inputs.push(json!({}));
        for input in inputs {
            assert_eq!(jwt_by_wire(&input), jwt_by_json(&input), "{input}");
        }
    }

    fn form_by_wire(form: &Value, nonce: Option<&Value>, render: bool) -> Outcome {
        let mut buf = Vec::new();
        let lens = [
            put(&mut buf, form.get("method")),
            put(&mut buf, form.get("action")),
            put(&mut buf, nonce),
        ];
        let fields = match form.get("fields") {
            Some(Value::Object(map)) if map.values().all(Value::is_string) => {
                let start = buf.len();
                for (k, v) in map {
                    for s in [k.as_str(), v.as_str().unwrap()] {
                        buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
                        buf.extend_from_slice(s.as_bytes());
                    }
                }
                FieldsArg::Strings(buf.len() - start)
            }
            Some(Value::Object(_)) => FieldsArg::NotStrings,
            _ if !form.is_object() => FieldsArg::NoForm,
            _ => FieldsArg::NotObject,
        };
        run(&buf, &mut |w, used| {
            super::form(w, used, lens, fields, render)
        })
    }

    fn form_by_json(form: &Value, nonce: Option<&Value>, render: bool) -> Outcome {
        let nonce = match nonce {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return Err(error(Error::invalid_input("nonce", "must be a string"))),
        };
        if render {
            crate::vendors::alphalearn::render_auto_submit_form(form, nonce).map_err(error)
        } else {
            crate::vendors::alphalearn::check_form(form)
                .map(|_| String::new())
                .map_err(error)
        }
    }

    #[test]
    fn forms_as_the_json_reader() {
        let good = json!({"action": "https://lms.example.com/site/login-by-jwt-token", "method": "POST",
                          "fields": {"token": "jwt.a.b", "type": "2", "inputData": "{\"enrollmentId\":1}", "a b": "<'\"&>"}});
        let mut forms = vec![good.clone()];
        for (key, value) in [
            ("method", json!("post")),
            ("method", json!("GET")),
            ("method", json!(null)),
            ("method", json!(1)),
            ("action", json!("http://localhost:3000/x")),
            ("action", json!("http://lms.example.com/x")),
            ("action", json!("javascript:alert(1)")),
            ("action", json!("https://u:p@lms.example.com/x")),
            ("action", json!("https://lms.example.com/x\"><script>")),
            ("action", json!(null)),
            ("action", json!({})),
            ("fields", json!(null)),
            ("fields", json!(["a"])),
            ("fields", json!({"token": 5})),
            ("fields", json!({})),
        ] {
            let mut f = good.clone();
            f[key] = value;
            forms.push(f);
        }
        forms.push(json!({"method": "GET", "action": "javascript:x", "fields": 1}));
        forms.push(json!("a form"));
        forms.push(json!(["a form"]));
        let long = json!("a".repeat(129));
        for form in &forms {
            for nonce in [
                None,
                Some(json!("r4nd0m+/=_-")),
                Some(json!("a b")),
                Some(long.clone()),
                Some(json!(5)),
                Some(json!(null)),
            ] {
                for render in [true, false] {
                    assert_eq!(
                        // submitForm has no nonce.
                        form_by_wire(form, nonce.as_ref().filter(|_| render), render),
                        form_by_json(form, nonce.as_ref().filter(|_| render), render),
                        "{form} {nonce:?} {render}"
                    );
                }
            }
        }
    }

    #[test]
    fn deep_links_and_app_links_with_the_vendor_modules_messages() {
        let string = |f: &str| format!("INVALID_INPUT\0`{f}` must be a string");
        let cases: [(Value, u32, Option<Value>, Outcome); 9] = [
            (json!("a+b/c=d&e"), 1, None, Ok("com.teachonmars://globals.login?authToken=a%2Bb%2Fc%3Dd%26e&profileCreation=true".into())),
            (json!("tok"), 0, Some(json!("com.acme.app")), Ok("com.acme.app://globals.login?authToken=tok&profileCreation=false".into())),
            (json!("t k"), 2, None, Ok("com.teachonmars://globals.login?authToken=t%20k&profileCreation=null".into())),
            (json!(""), 1, None, Err("INVALID_INPUT\0`authToken` must not be empty".into())),
            (json!(5), 1, None, Err(string("authToken"))),
            (json!(null), 1, None, Err(string("authToken"))),
            (json!("tok"), 3, None, Err("INVALID_INPUT\0`profileCreation` must be a boolean or null".into())),
            (json!("tok"), 2, Some(json!("javascript")), Err(format!("INVALID_INPUT\0`scheme` {}", super::super::SCHEME_RULE))),
            (json!("tok"), 2, Some(json!(7)), Err(string("scheme"))),
        ];
        for (token, creation, scheme, expected) in cases {
            let mut buf = Vec::new();
            let lens = [put(&mut buf, Some(&token)), put(&mut buf, scheme.as_ref())];
            let by_wire = run(&buf, &mut |w, used| deep_link_call(w, used, lens, creation));
            assert_eq!(by_wire, expected, "{token} {creation} {scheme:?}");
            if let Ok(link) = &by_wire {
                let mut buf = link.as_bytes().to_vec();
                let lens = [link.len(), ABSENT];
                assert_eq!(
                    run(&buf, &mut |w, used| app_link(w, used, lens)),
                    Ok(String::new())
                );
                buf.extend_from_slice(b"https://shell.example");
                let lens = [link.len(), "https://shell.example".len()];
                assert_eq!(
                    run(&buf, &mut |w, used| app_link(w, used, lens)),
                    Ok(String::new())
                );
            }
        }
        let not_a_link = "INVALID_INPUT\0`deepLink` must be a Teach on Mars app link ({scheme}://globals.login?…)";
        for (link, origin, expected) in [
            (json!(5), None, string("deepLink")),
            (
                json!("https://globals.login?x"),
                None,
                not_a_link.to_owned(),
            ),
            (
                json!("com.teachonmars://globals.login?a=1"),
                Some(json!(1)),
                string("targetOrigin"),
            ),
        ] {
            let mut buf = Vec::new();
            let lens = [put(&mut buf, Some(&link)), put(&mut buf, origin.as_ref())];
            assert_eq!(
                run(&buf, &mut |w, used| app_link(w, used, lens)),
                Err(expected)
            );
        }
    }

    /// The vendor module's reading of JS values refuses these before any check of the call
    /// (`wasm::convert`: strings over 2^24 bytes, more text in all, NaN and ±Infinity in an
    /// input object); `handoff.js` passes what it does not write as `TOO_LONG`, `NON_FINITE`
    /// or a fields kind.
    #[test]
    fn the_vendor_modules_reading_limits() {
        let too_long = |f: &str| Err(format!("INVALID_INPUT\0`{f}` {TOO_LONG_WHY}"));
        let too_much = |f: &str| Err(format!("INVALID_INPUT\0`{f}` {TOO_MUCH_WHY}"));
        let nan = |f: &str| {
            Err(format!(
                "INVALID_INPUT\0`{f}` must not contain NaN or Infinity"
            ))
        };
        let jwt = |input: &[u8], lens: [usize; 3], id: EnrollmentArg| {
            run(input, &mut |w, used| login_by_jwt_form(w, used, lens, id))
        };
        let id = EnrollmentArg::Number(1.0);
        // Before the first field's own check (an empty domain).
        assert_eq!(jwt(b"", [0, TOO_LONG, ABSENT], id), too_long("input"));
        assert_eq!(
            jwt(b"", [0, ABSENT, ABSENT], EnrollmentArg::Text(TOO_LONG)),
            too_long("input")
        );
        let token = "é".repeat(MAX_STRING / 2 + 1);
        assert_eq!(
            jwt(token.as_bytes(), [0, token.len(), ABSENT], id),
            too_long("input")
        );
        let (token, digits) = ("a".repeat(MAX_STRING / 2 + 1), "1".repeat(MAX_STRING / 2));
        let both = [token.as_bytes(), digits.as_bytes()].concat();
        let id_text = EnrollmentArg::Text(digits.len());
        assert_eq!(
            jwt(&both, [0, token.len(), ABSENT], id_text),
            too_much("input")
        );
        // A string the JS left unwritten, the input's text being over already: before the
        // fields' own checks and NaN, after a string too long.
        assert_eq!(jwt(b"", [0, TOO_MUCH, ABSENT], id), too_much("input"));
        assert_eq!(
            jwt(b"", [0, ABSENT, ABSENT], EnrollmentArg::Text(TOO_MUCH)),
            too_much("input")
        );
        assert_eq!(
            jwt(b"", [TOO_MUCH, ABSENT, NON_FINITE], id),
            too_much("input")
        );
        assert_eq!(
            jwt(b"", [TOO_MUCH, TOO_LONG, ABSENT], id),
            too_long("input")
        );
        assert_eq!(jwt(b"", [0, ABSENT, NON_FINITE], id), nan("input"));
        assert_eq!(
            jwt(b"", [0, ABSENT, ABSENT], EnrollmentArg::Number(f64::NAN)),
            nan("input")
        );
        assert_eq!(
            jwt(b"", [TOO_LONG, ABSENT, NON_FINITE], id),
            too_long("input")
        );

        let form_call = |input: &[u8], lens: [usize; 3], fields: FieldsArg| {
            run(input, &mut |w, used| form(w, used, lens, fields, true))
        };
        let post = b"POSThttps://a.example/x";
        let lens = [4, post.len() - 4, ABSENT];
        assert_eq!(form_call(post, lens, FieldsArg::TooLong), too_long("form"));
        assert_eq!(form_call(post, lens, FieldsArg::TooMuch), too_much("form"));
        assert_eq!(form_call(post, lens, FieldsArg::NotFinite), nan("form"));
        let unwritten_action = [4, TOO_MUCH, ABSENT];
        assert_eq!(
            form_call(b"POST", unwritten_action, FieldsArg::TooMuch),
            too_much("form")
        );
        assert_eq!(
            form_call(b"", [NON_FINITE, ABSENT, ABSENT], FieldsArg::NoForm),
            nan("form")
        );
        // Before the nonce's check, as the vendor module reads the form first.
        let nonce = [4, post.len() - 4, NOT_TEXT];
        assert_eq!(form_call(post, nonce, FieldsArg::TooLong), too_long("form"));
        let value = "x".repeat(MAX_STRING / 2 + 1);
        let mut fields = Vec::new();
        for text in ["a", &value, "b", &value] {
            fields.extend_from_slice(&(text.len() as u32).to_le_bytes());
            fields.extend_from_slice(text.as_bytes());
        }
        let input = [&post[..], &fields].concat();
        assert_eq!(
            form_call(&input, lens, FieldsArg::Strings(fields.len())),
            too_much("form")
        );

        let link = |input: &[u8], lens: [usize; 2]| {
            run(input, &mut |w, used| deep_link_call(w, used, lens, 2))
        };
        assert_eq!(link(b"", [TOO_LONG, ABSENT]), too_long("authToken"));
        let scheme = Err("INVALID_INPUT\0`scheme` must be a string".to_owned());
        assert_eq!(link(b"t", [1, TOO_LONG]), scheme);
        // `openTeachOnMarsApp`'s link as `deepLink`'s token; its option as an option.
        let good = b"com.teachonmars://globals.login?authToken=t";
        let open = |lens: [usize; 2]| run(good, &mut |w, used| app_link(w, used, lens));
        assert_eq!(open([TOO_LONG, ABSENT]), too_long("deepLink"));
        let origin = Err("INVALID_INPUT\0`targetOrigin` must be a string".to_owned());
        assert_eq!(open([good.len(), TOO_LONG]), origin);
    }

    #[test]
    fn lengths_past_the_input_are_refused() {
        let mut w = Wire::new();
        assert_eq!(
            w.run(&mut |w| login_by_jwt_form(w, 0, [5, ABSENT, ABSENT], EnrollmentArg::Other)),
            -1
        );
        assert!(w.output().starts_with(b"INVALID_INPUT\0"));
        assert_eq!(
            w.run(&mut |w| form(w, 0, [ABSENT, ABSENT, ABSENT], FieldsArg::Strings(3), true)),
            -1
        );
        assert_eq!(
            w.run(&mut |w| deep_link_call(w, 0, [NOT_TEXT - 1, ABSENT], 2)),
            -1
        );
    }
}
