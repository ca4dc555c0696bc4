//! AlphaLearn's sans-IO twins on the lean boundary ([`Wire`], as the signing and hand-off
//! calls): the JS of the `AlphaLearn` class (`pkg-templates/twins.js`) writes a call's
//! string arguments into the input buffer by length (or
//! [`ABSENT`](crate::handoff::wire::ABSENT), `NOT_TEXT`, `TRUE`, `FALSE`), or a response's
//! body, and gets the request or the result back as text. The requests and results are the
//! ones the network calls make: the same functions make them ([`Config::login_request`],
//! [`Config::parse_login_json`], …).
//!
//! A failure returns [`FAILED`](crate::vendors::lean::FAILED), the output holding the whole
//! error ([`error_output`]), scrubbed of the call's secrets as the class's other methods
//! scrub theirs.

use super::responses::{self, Route};
use super::Config;
use crate::core::http::HttpResponse;
use crate::core::json::is_secret_key;
use crate::error::{Error, Result};
use crate::handoff::wire::{args, check_readable, Arg};
use crate::signing::wire::Wire;
use crate::vendors::lean::{
    error_output, input_secrets, parser_input, report, report_request, scrubbed, ArgFields,
};

/// Which twin a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `login`: fields `email`, `password`, `domain`.
    Login,
    /// `refreshToken`: the refresh token.
    RefreshToken,
    /// `loginWithThirdParty`: fields `provider`, `token`.
    LoginWithThirdParty,
    /// `forgotPassword`: fields `email`, `domain`, `sendEmailNotification`,
    /// `overrideEmailUrl`.
    ForgotPassword,
}

impl Op {
    /// The op numbered `n` by the JS (0-3, in the order above).
    pub fn from_number(n: u32) -> Option<Self> {
        [
            Self::Login,
            Self::RefreshToken,
            Self::LoginWithThirdParty,
            Self::ForgotPassword,
        ]
        .get(n as usize)
        .copied()
    }

    /// The input's field names, in the order the JS writes them.
    pub const fn fields(self) -> &'static [&'static str] {
        match self {
            Self::Login => &["email", "password", "domain"],
            Self::RefreshToken => &["refreshToken"],
            Self::LoginWithThirdParty => &["provider", "token"],
            Self::ForgotPassword => &[
                "email",
                "domain",
                "sendEmailNotification",
                "overrideEmailUrl",
            ],
        }
    }
}

/// `buildX(input)` of `op`: `lens` of the client's `baseUrl` and `domain`, then of the
/// op's fields ([`Op::fields`]; the refresh token for [`Op::RefreshToken`]). `is_object`:
/// whether the input was an object (else `INVALID_INPUT`, as the JSON readers say it).
/// Output: `method\0url\0name\0value\0…\0body`, as `pkg-templates/transport.js`' `request`
/// reads a request; returns the number of headers.
pub fn build(w: &mut Wire, used: usize, op: Op, is_object: bool, lens: [usize; 6]) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([base_url, domain, a, b, c, d], _) = args(input, lens)?;
    let fields = [a, b, c, d];
    // What errors must not show (as the class's other methods): a bare string argument, and
    // the strings of secret-named fields.
    let secrets: Vec<&str> = op
        .fields()
        .iter()
        .zip(fields)
        .filter(|(name, _)| op == Op::RefreshToken || is_secret_key(name))
        .filter_map(|(_, arg)| match arg {
            Arg::Text(s) => Some(s),
            _ => None,
        })
        .collect();
    let request = (|| {
        // The longest string any of the class's methods reads (as the network calls refuse).
        let name = if op == Op::RefreshToken {
            "refreshToken"
        } else {
            "input"
        };
        check_readable(&fields, name)?;
        let cfg = Config {
            base_url: base_url.required("baseUrl")?.to_owned(),
            domain: domain.optional("domain")?.map(str::to_owned),
        };
        if !is_object && op != Op::RefreshToken {
            return Err(Error::invalid_input("input", "must be an object"));
        }
        let f = ArgFields {
            names: op.fields(),
            args: &fields,
            prefix: "",
        };
        match op {
            Op::Login => cfg.login_request(&f),
            Op::RefreshToken => cfg.refresh_token_request(a.string("refreshToken")?),
            Op::LoginWithThirdParty => cfg.third_party_request(&f),
            Op::ForgotPassword => cfg.forgot_password_request(&f),
        }
    })();
    report_request(w, scrubbed(request, &secrets))
}

/// `parseX(response, input?)` of `op`: the response's body is the first `body_len` input
/// bytes; the call's input follows as JSON text (`input_len` bytes, or
/// [`ABSENT`](crate::handoff::wire::ABSENT)), whose sensitive strings
/// (`vendors::lean::input_secrets`) errors must not show: a vendor may echo them. Output:
/// a login's result as its values (`responses::parse_login_values`: JS builds the object),
/// or the token of a `{ token }` result.
pub fn parse(
    w: &mut Wire,
    used: usize,
    op: Op,
    status: u16,
    body_len: usize,
    input_len: usize,
) -> Result<i32> {
    let (body, input) = parser_input(w, used, body_len, input_len)?;
    let resp = HttpResponse::new(status, body);
    let cfg = Config::default();
    let out = match op {
        Op::Login => responses::parse_login_values(&resp, Route::Login),
        Op::LoginWithThirdParty => responses::parse_login_values(&resp, Route::LoginWithThirdParty),
        Op::RefreshToken => cfg
            .parse_refresh_token(&resp)
            .map(|r| r.token.as_str().as_bytes().to_vec()),
        Op::ForgotPassword => cfg
            .parse_forgot_password(&resp)
            .map(|r| r.token.as_str().as_bytes().to_vec()),
    };
    // The input's secrets are looked for only when there is an error to scrub.
    let result = out
        .map_err(|e| error_output(&e.scrubbed(&input_secrets(input, false))))
        .map(|out| (out, 0));
    report(w, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::HttpRequest;
    use crate::handoff::wire::ABSENT;
    use crate::vendors::lean::tests::{decode, fields, parse_input, put, wire_with};
    use crate::vendors::lean::FAILED;
    use serde_json::{json, Value};

    /// The result object `twins.js` builds from a login's values (its `loginResult`: their
    /// fourteen UTF-16 lengths, then their text, sliced as JS slices a string), as JSON text.
    fn login_object(out: &[u8]) -> String {
        let (lens, text) = out.split_at(56);
        let units: Vec<u16> = std::str::from_utf8(text).unwrap().encode_utf16().collect();
        let mut at = 0;
        let v: Vec<Value> = lens
            .chunks(4)
            .enumerate()
            .map(|(i, len)| {
                let len = u32::from_le_bytes(len.try_into().unwrap());
                if len == responses::NO_VALUE {
                    return Value::Null;
                }
                let s = String::from_utf16(&units[at..at + len as usize]).unwrap();
                at += len as usize;
                // The ids are numbers (JS: `Number(text)`).
                match i {
                    0 | 10 => json!(s.parse::<u64>().unwrap()),
                    _ => json!(s),
                }
            })
            .collect();
        assert_eq!(at, units.len());
        let user: serde_json::Map<String, Value> = responses::USER_FIELDS
            .iter()
            .zip(&v)
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        json!({"user": user, "token": v[12], "refreshToken": v[13]}).to_string()
    }

    /// `op`'s call as the JS makes it for `input` (a JSON value standing for the JS one).
    fn wire_build(cfg: &Config, op: Op, input: &Value) -> std::result::Result<String, String> {
        let mut bytes = Vec::new();
        let mut lens = [ABSENT; 6];
        lens[0] = put(&mut bytes, Some(&json!(cfg.base_url)));
        lens[1] = put(&mut bytes, cfg.domain.as_ref().map(|d| json!(d)).as_ref());
        if op == Op::RefreshToken {
            lens[2] = put(&mut bytes, Some(input));
        } else {
            for (i, name) in op.fields().iter().enumerate() {
                lens[2 + i] = put(&mut bytes, input.get(name));
            }
        }
        let mut w = wire_with(&bytes);
        let is_object = input.is_object();
        match w.run(&mut |w| build(w, bytes.len(), op, is_object, lens)) {
            FAILED => {
                let e = decode(w.output());
                Err(format!("{}\0{}", e[0], e[6]))
            }
            n => Ok(format!(
                "{n}\0{}",
                String::from_utf8(w.output().to_vec()).unwrap()
            )),
        }
    }

    /// The same request or error as the JSON reader's, in the wire's output form.
    fn json_build(cfg: &Config, op: Op, input: &Value) -> std::result::Result<String, String> {
        let built = match op {
            Op::Login => cfg.build_login(input),
            Op::RefreshToken => match input {
                Value::String(s) => cfg.build_refresh_token(s),
                _ => Err(Error::invalid_input("refreshToken", "must be a string")),
            },
            Op::LoginWithThirdParty => cfg.build_login_with_third_party(input),
            Op::ForgotPassword => cfg.build_forgot_password(input),
        };
        built
            .map(|r: HttpRequest| {
                let mut out = format!("{}\0{}\0{}", r.headers.0.len(), r.method.as_str(), r.url);
                for (name, value) in &r.headers.0 {
                    out.push_str(&format!("\0{}\0{}", name.as_ref(), value.as_ref()));
                }
                out + "\0" + r.body.as_deref().unwrap_or_default()
            })
            .map_err(|e| format!("{}\0{}", e.code.as_str(), e.message))
    }

    #[test]
    fn builds_what_the_json_readers_build() {
        let configs = [
            Config::default(),
            Config {
                base_url: "http://127.0.0.1:9/v3".into(),
                domain: Some("lms.example.com".into()),
            },
        ];
        let values = [
            json!(null),
            json!(""),
            json!("ada@example.com"),
            json!("not an e-mail"),
            json!("pw \" \\ \n \u{1} é 😀"),
            json!("google"),
            json!("facebook"),
            json!("lms.example.com:8443"),
            json!("https://bad/domain"),
            json!("https://app.example/reset/{token}"),
            json!("http://app.example/reset/{token}"),
            json!(true),
            json!(false),
            json!(7),
            json!([]),
            json!({}),
        ];
        let mut checked = 0;
        for cfg in &configs {
            for op in [
                Op::Login,
                Op::RefreshToken,
                Op::LoginWithThirdParty,
                Op::ForgotPassword,
            ] {
                let names = op.fields();
                // Every field given each value in turn, the others a usual value.
                let usual = |name: &str| match name {
                    "email" => json!("ada@example.com"),
                    "password" => json!("pw"),
                    "provider" => json!("google"),
                    "token" => json!("g-1"),
                    "sendEmailNotification" => json!(true),
                    "overrideEmailUrl" => json!("https://app.example/r/{token}"),
                    _ => Value::Null,
                };
                for (i, _) in names.iter().enumerate() {
                    for v in &values {
                        let mut input = serde_json::Map::new();
                        for (j, name) in names.iter().enumerate() {
                            input.insert(
                                (*name).into(),
                                if i == j { v.clone() } else { usual(name) },
                            );
                        }
                        let input = if op == Op::RefreshToken {
                            v.clone()
                        } else {
                            Value::Object(input)
                        };
                        assert_eq!(
                            wire_build(cfg, op, &input),
                            json_build(cfg, op, &input),
                            "{op:?} {input}"
                        );
                        checked += 1;
                    }
                }
                // Not an object; nothing at all; every field wrong at once.
                for input in [
                    json!(null),
                    json!("x"),
                    json!([1]),
                    json!({}),
                    json!(names
                        .iter()
                        .map(|n| (n.to_string(), json!(7)))
                        .collect::<serde_json::Map<_, _>>()),
                ] {
                    assert_eq!(
                        wire_build(cfg, op, &input),
                        json_build(cfg, op, &input),
                        "{op:?} {input}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn parses_what_the_json_readers_parse() {
        let ok = |data: Value| {
            json!({"success": true, "data": {"response": {"acknowledgement": "Success",
                "error": {"code": "", "internal_message": "", "moreInfo": []}, "data": data}}})
            .to_string()
        };
        let user = json!({"id": "101", "firstName": "Ada é 😀", "mobile": 98765, "uniqueId": "E-1", "companyId": 7, "sessionToken": "s\u{0}t"});
        let bodies = [
            ok(json!({"user": user, "token": "jwt", "refresh-token": "rt"})),
            ok(json!({"user": user, "token": "jwt", "refreshToken": "rt"})),
            ok(json!({"status": "ok", "token": "jwt-2\u{0}x"})),
            ok(json!({"token": ""})),
            r#"{"success":false,"data":{"response":{"error":{"code":"1002","internal_message":"Invalid email"}}}}"#.into(),
            r#"{"success":false,"data":{"response":{"error":{"code":"1017","internal_message":"bad hunter22 \u0000","moreInfo":[{"password":"hunter22","n":1.50}]}}}}"#.into(),
            "not json".into(),
            String::new(),
        ];
        for body in &bodies {
            for status in [200, 401, 500] {
                for op in [
                    Op::Login,
                    Op::RefreshToken,
                    Op::LoginWithThirdParty,
                    Op::ForgotPassword,
                ] {
                    for input in [
                        None,
                        Some(json!({"email": "ada@example.com", "password": "hunter22"})),
                    ] {
                        let (all, input_len) = parse_input(body, input.as_ref());
                        let mut w = wire_with(&all);
                        let rc =
                            w.run(&mut |w| parse(w, all.len(), op, status, body.len(), input_len));
                        let got = match rc {
                            FAILED => Err(decode(w.output())),
                            rc => Ok((rc, w.output().to_vec())),
                        };
                        // A login's values, as the object JS builds from them.
                        let got = got.map(|(rc, out)| match op {
                            Op::Login | Op::LoginWithThirdParty => (rc, login_object(&out)),
                            _ => (rc, String::from_utf8(out).unwrap()),
                        });
                        let resp = HttpResponse::new(status, body.as_str());
                        let cfg = Config::default();
                        let want = match op {
                            Op::Login => cfg.parse_login_json(&resp),
                            Op::LoginWithThirdParty => cfg.parse_login_with_third_party_json(&resp),
                            Op::RefreshToken => cfg
                                .parse_refresh_token(&resp)
                                .map(|r| r.token.as_str().to_owned()),
                            Op::ForgotPassword => cfg
                                .parse_forgot_password(&resp)
                                .map(|r| r.token.as_str().to_owned()),
                        };
                        // The class's other methods scrub the call's sensitive arguments.
                        let secrets = input
                            .map(|v| crate::core::json::sensitive_strings(&[v]))
                            .unwrap_or_default();
                        let want = want
                            .map(|text| (0, text))
                            .map_err(|e| fields(&e.scrubbed(&secrets)));
                        assert_eq!(got, want, "{op:?} {status} {body}");
                    }
                }
            }
        }
        assert_eq!(Op::from_number(3), Some(Op::ForgotPassword));
        assert_eq!(Op::from_number(4), None);
    }
}
