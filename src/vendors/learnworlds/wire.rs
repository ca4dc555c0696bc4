//! LearnWorlds' SSO twins on the lean boundary ([`Wire`], as AlphaLearn's): the JS of the
//! `LearnWorlds` class (`pkg-templates/twins.js`) writes `buildSso`'s fields and its
//! `auth.accessToken`, or `parseSso`'s response body and input, into the input buffer, and
//! gets the request or the result back as text. The functions of the network call `sso` make
//! them (`Config::sso_request`, [`Config::parse_sso`]).
//!
//! A failure returns [`FAILED`](crate::vendors::lean::FAILED), the output holding the whole
//! error ([`error_output`](crate::vendors::lean::error_output)), scrubbed of the client's
//! secrets and token as the class's other methods scrub theirs.

use serde_json::Value;

use super::Config;
use crate::core::http::HttpResponse;
use crate::error::{Error, Result};
use crate::handoff::wire::{args, check_readable, Arg};
use crate::signing::wire::Wire;
use crate::transport::client::Client;
use crate::vendors::lean::{
    bearer, client_failure, input_secrets, parser_input, report, report_request, ArgFields,
};

/// The fields of `buildSso`'s input, in the order the JS writes them.
pub const SSO_FIELDS: [&str; 5] = ["email", "userId", "username", "avatar", "redirectUrl"];

/// `buildSso(input, auth?)`: `lens` of the five [`SSO_FIELDS`], then of `auth.accessToken`
/// ([`ABSENT`](crate::handoff::wire::ABSENT) without `auth`). `user_id`: the `userId` when it was a
/// number (its length is then [`ABSENT`](crate::handoff::wire::ABSENT)). `is_object`: whether the
/// input was an object. The token is `auth.accessToken` (a non-empty string, else `INVALID_INPUT`),
/// else the one the client holds, fresh or not (else `INVALID_CONFIG`). Output:
/// `method\0url\0name\0value\0…\0body`, as `pkg-templates/transport.js`' `request` reads
/// a request; returns the number of headers.
pub fn build_sso<S>(
    w: &mut Wire,
    used: usize,
    client: &Client<Config, S>,
    is_object: bool,
    lens: [usize; 6],
    user_id: Option<f64>,
) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([email, id, username, avatar, redirect, auth], _) = args(input, lens)?;
    let id = user_id.map_or(id, Arg::Number);
    let fields = [email, id, username, avatar, redirect];
    let request = (|| {
        // What the network call's reading of its input refuses, first as there: the longest
        // string the class's other methods read, and numbers JSON has not.
        check_readable(&fields, "input")?;
        let token = bearer(auth, &|| Ok(client.current_token()))?;
        if !is_object {
            return Err(
                Error::invalid_input("input", "must be an object").with_vendor(super::VENDOR)
            );
        }
        let f = ArgFields {
            names: &SSO_FIELDS,
            args: &fields,
            prefix: "",
        };
        client.cfg.sso_request(&f, &token)
    })();
    report_request(
        w,
        request.map_err(|e| client_failure(e, client, Vec::new())),
    )
}

/// `parseSso(response, input?)`: the response's body is the first `body_len` input bytes; the
/// call's input follows as JSON text (`input_len` bytes, or
/// [`ABSENT`](crate::handoff::wire::ABSENT)), whose `userId` a by-id call without `user_id` in the
/// response returns. Output: the result's `url`, then its `userId`; returns the length of the `url`
/// in bytes.
pub fn parse_sso<S>(
    w: &mut Wire,
    used: usize,
    client: &Client<Config, S>,
    status: u16,
    body_len: usize,
    input_len: usize,
) -> Result<i32> {
    let (body, input_text) = parser_input(w, used, body_len, input_len)?;
    let input = input_text
        .and_then(crate::core::json::parse)
        .unwrap_or(Value::Null);
    let resp = HttpResponse::new(status, body);
    let result = client.cfg.parse_sso(&resp, &input);
    let result = result
        // The input's secrets too, as the class's other parsers scrub their arguments'.
        .map_err(|e| client_failure(e, client, input_secrets(input_text, false)))
        .map(|out| {
            let url = out.url.expose();
            let mut text = Vec::with_capacity(url.len() + out.user_id.len());
            text.extend_from_slice(url.as_bytes());
            text.extend_from_slice(out.user_id.as_bytes());
            (text, i32::try_from(url.len()).unwrap_or(0))
        });
    report(w, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::wire::{ABSENT, MAX_STRING, NOT_TEXT};
    use crate::vendors::lean::tests::{
        auths, decode, fields, outcome, parse_input, put, request_outcome, wire_with,
    };
    use crate::vendors::lean::FAILED;
    use crate::vendors::no_token;
    use serde_json::json;

    const SECRET: &str = "lw-secret-1234";
    const TOKEN: &str = "app-token-5678";

    fn client(options: Value) -> Client<Config, ()> {
        Client::new(Config::from_options(&options).unwrap(), ()).unwrap()
    }

    /// A client with a secret and a configured app token, and one with neither.
    fn clients() -> [Client<Config, ()>; 2] {
        let base = json!({"schoolUrl": "https://school.example.com", "clientId": "cid-1"});
        let mut with = base.clone();
        with["clientSecret"] = json!(SECRET);
        with["accessToken"] = json!(TOKEN);
        [client(with), client(base)]
    }

    /// `buildSso(input, auth)` as the JS makes it (a JSON value standing for the JS one;
    /// `auth`: `None` for no `auth`, else its `accessToken`).
    fn wire_build(
        c: &Client<Config, ()>,
        input: &Value,
        auth: Option<&Value>,
    ) -> std::result::Result<String, Vec<String>> {
        let mut bytes = Vec::new();
        let mut lens = [ABSENT; 6];
        for (i, name) in SSO_FIELDS.iter().enumerate() {
            lens[i] = put(&mut bytes, input.get(name));
        }
        // A number `userId` goes beside the lengths.
        let number = input.get("userId").and_then(Value::as_f64);
        if number.is_some() {
            lens[1] = ABSENT;
        }
        // The JS passes a present `auth` without a string `accessToken` as not text.
        lens[5] = match auth {
            None => ABSENT,
            Some(v @ Value::String(_)) => put(&mut bytes, Some(v)),
            Some(_) => NOT_TEXT,
        };
        let mut w = wire_with(&bytes);
        let rc = w.run(&mut |w| build_sso(w, bytes.len(), c, input.is_object(), lens, number));
        outcome(&w, rc)
    }

    /// The same as the network call's builder makes it (its token chosen as the class's
    /// `buildSso` chooses it), in the wire's output form.
    fn json_build(
        c: &Client<Config, ()>,
        input: &Value,
        auth: Option<&Value>,
    ) -> std::result::Result<String, Vec<String>> {
        let token = match auth {
            None => c
                .current_token()
                .map(|t| t.token.as_str().to_owned())
                .ok_or_else(no_token),
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(Error::invalid_input(
                "auth.accessToken",
                "must be a non-empty string",
            )),
        };
        let request = token.and_then(|t| c.cfg.build_sso(input, &t));
        request_outcome(request, &c.secrets())
    }

    #[test]
    fn build_sso_makes_the_network_calls_request_and_errors() {
        let inputs = [
            json!({"email": "ann@example.com", "username": "ann"}),
            json!({"email": "ann@example.com", "username": "ann", "avatar": "https://x.example/a.png",
                "redirectUrl": "https://school.example.com/course"}),
            json!({"email": "a \" \\ é 😀@example.com"}),
            json!({"userId": "u-1", "redirectUrl": "http://127.0.0.1:8/x"}),
            json!({"userId": 42}),
            json!({"userId": 1.5}),
            json!({"userId": -0.0}),
            json!({"userId": 1e21}),
            json!({"userId": ""}),
            json!({"userId": "u", "username": "ann"}),
            json!({"userId": "u", "avatar": false}),
            json!({"email": "ann@example.com", "userId": "u"}),
            json!({}),
            json!({"email": "not an email"}),
            json!({"email": 5}),
            json!({"email": true}),
            json!({"email": "a@b.co", "username": ""}),
            json!({"email": "a@b.co", "username": 7}),
            json!({"email": "a@b.co", "avatar": "ftp://x"}),
            json!({"email": "a@b.co", "redirectUrl": "javascript:alert(1)"}),
            json!({"userId": true}),
            json!({"userId": [1]}),
            json!("ann@example.com"),
            json!(null),
            json!([1]),
        ];
        let auths = auths();
        let mut compared = 0;
        for c in &clients() {
            for input in &inputs {
                for auth in &auths {
                    assert_eq!(
                        wire_build(c, input, auth.as_ref()),
                        json_build(c, input, auth.as_ref()),
                        "{input} {auth:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 250);
        let [with, without] = clients();
        let sent = wire_build(&with, &inputs[0], None).unwrap();
        assert!(sent.contains(&format!("Bearer {TOKEN}")), "{sent}");
        let e = wire_build(&without, &inputs[0], None).unwrap_err();
        assert_eq!(e[0], "INVALID_CONFIG");
    }

    #[test]
    fn build_sso_refuses_what_the_input_conversion_refuses_first() {
        let [_, without] = clients();
        // Without a token too: these come before the token is looked for.
        for (input, why) in [
            (
                json!({"userId": f64::NAN}),
                "must not contain NaN or Infinity",
            ),
            (json!({"email": "x".repeat(MAX_STRING + 1)}), "is too long"),
            (
                json!({"email": "x".repeat(MAX_STRING / 2 + 1), "username": "y".repeat(MAX_STRING / 2)}),
                "holds too much text",
            ),
        ] {
            let mut w = Wire::new();
            let text = |key: &str| input[key].as_str().unwrap_or_default().to_owned();
            let (email, username) = (text("email"), text("username"));
            let len = |s: &str| if s.is_empty() { ABSENT } else { s.len() };
            let lens = [len(&email), ABSENT, len(&username), ABSENT, ABSENT, ABSENT];
            // (`json!` makes NaN `null`: the key says it.)
            let number = input.get("userId").map(|_| f64::NAN);
            let bytes = email + &username;
            if let Some(buf) = w.input(bytes.len()) {
                buf[..bytes.len()].copy_from_slice(bytes.as_bytes());
            }
            let rc = w.run(&mut |w| build_sso(w, bytes.len(), &without, true, lens, number));
            let e = outcome(&w, rc).unwrap_err();
            assert_eq!(e[0], "INVALID_INPUT");
            assert!(
                e[6].starts_with("`input` ") && e[6].contains(why),
                "{}",
                e[6]
            );
        }
    }

    /// `parseSso(response, input)` as the JS makes it.
    fn wire_parse(
        c: &Client<Config, ()>,
        status: u16,
        body: &str,
        input: Option<&Value>,
    ) -> std::result::Result<(String, String), Vec<String>> {
        let (bytes, input_len) = parse_input(body, input);
        let mut w = wire_with(&bytes);
        let rc = w.run(&mut |w| parse_sso(w, bytes.len(), c, status, body.len(), input_len));
        if rc == FAILED {
            return Err(decode(w.output()).to_vec());
        }
        let out = String::from_utf8(w.output().to_vec()).unwrap();
        let (url, id) = out.split_at(usize::try_from(rc).unwrap());
        Ok((url.to_owned(), id.to_owned()))
    }

    #[test]
    fn parse_sso_reads_the_response_as_the_network_call() {
        let ok =
            |url: &str, id: Value| json!({"success": true, "url": url, "user_id": id}).to_string();
        let bodies = [
            (
                200,
                ok("https://school.example.com/login?code=abc", json!("u1")),
            ),
            (
                200,
                ok("https://school.example.com/login?code=é", json!(17)),
            ),
            (
                200,
                json!({"success": true, "url": "https://school.example.com/x"}).to_string(),
            ),
            (200, ok("https://evil.example/login", json!("u1"))),
            (200, ok("https://user:pw@school.example.com/x", json!("u1"))),
            (
                200,
                json!({"success": false, "errors": [{"code": 401, "context": "access_denied",
                "message": format!("The access token {TOKEN} is invalid")}]})
                .to_string(),
            ),
            (
                400,
                json!({"success": false, "errors": [{"code": 400, "context": null,
                "message": format!("bad secret {SECRET}")}]})
                .to_string(),
            ),
            (
                400,
                json!({"success": false, "errors": [{"code": 400, "context": null,
                "message": "bad password hunter22"}]})
                .to_string(),
            ),
            (429, json!({"error": "Too many requests"}).to_string()),
            (500, "<html>".to_owned()),
            (200, "not json".to_owned()),
            (204, String::new()),
        ];
        let inputs = [
            None,
            Some(json!({"userId": "u9"})),
            Some(json!({"userId": 9})),
            Some(json!({"email": "a@b.co"})),
            Some(json!({"email": "a@b.co", "password": "hunter22"})),
            Some(json!("x")),
        ];
        for c in &clients() {
            for (status, body) in &bodies {
                for input in &inputs {
                    // The client's secrets and the input's, as the class's parsers scrub them.
                    let mut secrets = c.secrets();
                    secrets.extend(crate::core::json::sensitive_strings(input.as_slice()));
                    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
                    let resp = HttpResponse::new(*status, body.as_bytes().to_vec());
                    let want = c
                        .cfg
                        .parse_sso(&resp, input.as_ref().unwrap_or(&Value::Null))
                        .map(|o| (o.url.expose().clone(), o.user_id))
                        .map_err(|e| fields(&e.scrubbed(&secrets)).to_vec());
                    let got = wire_parse(c, *status, body, input.as_ref());
                    assert_eq!(got, want, "{status} {body} {input:?}");
                    // What the client holds never shows (the other holds neither), nor the
                    // input's password.
                    if let (Err(e), false) = (&got, c.secrets().is_empty()) {
                        assert!(!e[6].contains(TOKEN) && !e[6].contains(SECRET), "{}", e[6]);
                    }
                    if let (Err(e), Some(Value::Object(i))) = (&got, input) {
                        if i.contains_key("password") {
                            assert!(!e[6].contains("hunter22"), "{}", e[6]);
                        }
                    }
                }
            }
        }
        let [with, _] = clients();
        let got = wire_parse(&with, 200, &bodies[2].1, Some(&json!({"userId": 9})));
        assert_eq!(got, Ok(("https://school.example.com/x".into(), "9".into())));
    }
}
