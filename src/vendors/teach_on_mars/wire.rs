//! Teach on Mars' learner twins on the lean boundary ([`Wire`], as AlphaLearn's and
//! LearnWorlds'): the JS of the `TeachOnMars` class (`pkg-templates/twins.js`) writes
//! `buildCreateLearner`'s and `buildUpdateLearner`'s arguments (the learner's string fields,
//! its `segment` as JSON text, `auth.accessToken`), or a response's body and the call's
//! input, into the input buffer, and gets the request or the learner back as text. The
//! functions of the network calls make them ([`Config::build_create_learner`],
//! [`Config::parse_create_learner`], …).
//!
//! A failure returns [`FAILED`](crate::vendors::lean::FAILED), the output holding the whole
//! error ([`error_output`](crate::vendors::lean::error_output)), scrubbed of the client's
//! secrets and token and of the input's secret-named fields (`password`) as the class's
//! other methods scrub theirs.

use serde_json::Value;

use super::learner::learner_fields;
use super::Config;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::sensitive_strings;
use crate::error::{Error, Result};
use crate::handoff::wire::{args, Arg, Readable};
use crate::signing::wire::Wire;
use crate::transport::client::{Client, Sender};
use crate::vendors::lean::{
    bearer, client_failure, input_secrets, parser_input, report, report_request, ArgFields,
};

/// Which twin a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `createLearner(input)`.
    CreateLearner,
    /// `updateLearner(identifier, patch)`.
    UpdateLearner,
}

impl Op {
    /// The op numbered `n` by the JS (0, 1, in the order above).
    pub fn from_number(n: u32) -> Option<Self> {
        [Self::CreateLearner, Self::UpdateLearner]
            .get(n as usize)
            .copied()
    }

    /// The name of the op's learner argument.
    const fn input_name(self) -> &'static str {
        match self {
            Self::CreateLearner => "input",
            Self::UpdateLearner => "patch",
        }
    }
}

/// The learner's string fields, in the order the JS writes them (its `segment` follows as
/// JSON text).
pub const STRING_FIELDS: [&str; 6] = [
    "login",
    "firstname",
    "lastname",
    "email",
    "password",
    "lang",
];

/// A learner's `segment` as the network call's reading of its JS arguments makes it: read
/// from its JSON text. Refuses first what that reading refuses ([`Readable`]), the
/// identifier's then the input's, with one budget of text for the call's arguments, as
/// there; then a `segment` without JSON text.
fn read_segment(
    op: Op,
    identifier: Arg<'_>,
    fields: &[Arg<'_>],
    segment: Arg<'_>,
) -> Result<Option<Value>> {
    let mut read = Readable::default();
    read.add(identifier);
    read.check("identifier")?;
    for arg in fields.iter().chain([&segment]) {
        read.add(*arg);
    }
    read.check(op.input_name())?;
    match segment {
        Arg::Text(text) => crate::core::json::parse(text.as_bytes())
            .map(Some)
            .ok_or_else(|| Error::invalid_input(op.input_name(), "cannot be read")),
        Arg::Absent => Ok(None),
        _ => Err(Error::invalid_input(op.input_name(), "cannot be read")),
    }
}

/// The request of `op`, with `auth.accessToken` (a non-empty string, else `INVALID_INPUT`),
/// else the client's own token while it is fresh (else `INVALID_CONFIG`), as the class's
/// `buildX` chooses it; then the identifier's checks, then the learner's
/// ([`Config::learner_request`]).
fn request<S: Sender>(
    client: &Client<Config, S>,
    op: Op,
    identifier: Arg<'_>,
    learner: Option<&ArgFields<'_, '_>>,
    segment: Option<&Value>,
    auth: Arg<'_>,
) -> Result<HttpRequest> {
    let token = bearer(auth, &|| client.fresh_token())?;
    let identifier = match (op, identifier) {
        (Op::CreateLearner, _) => None,
        (Op::UpdateLearner, Arg::Text("")) => {
            return Err(Error::invalid_input("identifier", "must not be empty"))
        }
        (Op::UpdateLearner, Arg::Text(id)) => Some(id),
        (Op::UpdateLearner, _) => {
            return Err(Error::invalid_input("identifier", "must be a string"))
        }
    };
    let name = op.input_name();
    let mut body = || match learner {
        Some(fields) => learner_fields(fields, segment, name, op == Op::CreateLearner),
        None => Err(Error::invalid_input(name, "must be an object")),
    };
    client.cfg.learner_request(identifier, &mut body, &token)
}

/// What errors must not show of a learner (beside the client's secrets), as the class's
/// other methods find it in their arguments: its password and its `segment`'s secret-named
/// strings.
fn learner_secrets(password: Arg<'_>, segment: Option<&Value>) -> Vec<String> {
    let mut secrets = segment.map_or_else(Vec::new, |s| sensitive_strings(std::slice::from_ref(s)));
    if let Arg::Text(password) = password {
        secrets.push(password.to_owned());
    }
    secrets
}

/// `buildX(…, auth?)` of `op`: `lens` of the identifier ([`Op::UpdateLearner`]; else
/// [`ABSENT`](crate::handoff::wire::ABSENT)), of the six [`STRING_FIELDS`], of `segment`'s JSON
/// text and of `auth.accessToken` ([`ABSENT`](crate::handoff::wire::ABSENT) without `auth`).
/// `is_object`: whether the learner argument was an object. Output:
/// `method\0url\0name\0value\0…\0body`, as `pkg-templates/transport.js`' `request` reads
/// a request; returns the number of headers.
pub fn build<S: Sender>(
    w: &mut Wire,
    used: usize,
    client: &Client<Config, S>,
    op: Op,
    is_object: bool,
    lens: [usize; 9],
) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let ([identifier, login, first, last, email, password, lang, segment_text, auth], _) =
        args(input, lens)?;
    let fields = [login, first, last, email, password, lang];
    let learner = ArgFields {
        names: &STRING_FIELDS,
        args: &fields,
        prefix: "",
    };
    let request = match read_segment(op, identifier, &fields, segment_text) {
        Ok(segment) => {
            let learner = is_object.then_some(&learner);
            request(client, op, identifier, learner, segment.as_ref(), auth)
                .map_err(|e| client_failure(e, client, learner_secrets(password, segment.as_ref())))
        }
        Err(e) => Err(client_failure(e, client, Vec::new())),
    };
    report_request(w, request)
}

/// `parseX(response, …)` of `op`: the response's body is the first `body_len` input bytes; the
/// call's arguments follow as the JSON text of an array (`input_len` bytes, or
/// [`ABSENT`](crate::handoff::wire::ABSENT)), whose secret-named strings errors must not show (a
/// vendor may echo them). Output: the learner's JSON text.
pub fn parse<S>(
    w: &mut Wire,
    used: usize,
    client: &Client<Config, S>,
    op: Op,
    status: u16,
    body_len: usize,
    input_len: usize,
) -> Result<i32> {
    let (body, input) = parser_input(w, used, body_len, input_len)?;
    let resp = HttpResponse::new(status, body);
    let learner = match op {
        Op::CreateLearner => client.cfg.parse_create_learner(&resp),
        Op::UpdateLearner => client.cfg.parse_update_learner(&resp),
    };
    let result = learner
        .map_err(|e| client_failure(e, client, input_secrets(input, true)))
        .map(|l| (l.to_json().into_bytes(), 0));
    report(w, result)
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::handoff::wire::{ABSENT, NOT_TEXT, TOO_LONG, TOO_LONG_WHY, TOO_MUCH, TOO_MUCH_WHY};
    use crate::transport::client::scripted::Net;
    use crate::vendors::lean::tests::{
        auths, decode, fields, outcome, parse_input, put, request_outcome, wire_with,
    };
    use crate::vendors::lean::FAILED;
    use crate::vendors::no_token;
    use serde_json::json;

    const TOKEN: &str = "tom-token-5678";

    /// A client with a configured token, and one with client credentials and no token yet.
    fn clients() -> [Client<Config, Rc<Net>>; 2] {
        let with = json!({"baseUrl": "https://acme.teachonmars.com", "instance": "main",
            "auth": {"accessToken": TOKEN}});
        let without = json!({"baseUrl": "https://acme.teachonmars.com", "auth": {"clientId": "id-1",
            "clientSecret": "tom-secret-1234", "tokenUrl": "https://auth.teachonmars.com/oauth/token"}});
        [with, without]
            .map(|o| Client::new(Config::from_options(&o).unwrap(), Net::new(&[], &[])).unwrap())
    }

    /// `buildX(identifier?, learner, auth)` as the JS makes it (JSON values standing for the
    /// JS ones; `auth`: `None` for no `auth`, else its `accessToken`).
    fn wire_build(
        c: &Client<Config, Rc<Net>>,
        op: Op,
        identifier: Option<&Value>,
        learner: &Value,
        auth: Option<&Value>,
    ) -> std::result::Result<String, Vec<String>> {
        let mut bytes = Vec::new();
        let mut lens = [ABSENT; 9];
        lens[0] = put(&mut bytes, identifier);
        for (i, name) in STRING_FIELDS.iter().enumerate() {
            lens[1 + i] = put(&mut bytes, learner.get(name));
        }
        let segment = learner
            .get("segment")
            .filter(|v| !v.is_null())
            .map(|v| json!(v.to_string()));
        lens[7] = put(&mut bytes, segment.as_ref());
        lens[8] = match auth {
            None => ABSENT,
            Some(v @ Value::String(_)) => put(&mut bytes, Some(v)),
            Some(_) => NOT_TEXT,
        };
        let mut w = wire_with(&bytes);
        let rc = w.run(&mut |w| build(w, bytes.len(), c, op, learner.is_object(), lens));
        outcome(&w, rc)
    }

    /// The same as the network call's builder makes it (its token chosen as the class's
    /// `buildX` chooses it, its errors scrubbed as the class scrubs them), in the wire's form.
    fn json_build(
        c: &Client<Config, Rc<Net>>,
        op: Op,
        identifier: Option<&Value>,
        learner: &Value,
        auth: Option<&Value>,
    ) -> std::result::Result<String, Vec<String>> {
        let id = identifier.cloned().unwrap_or(Value::Null);
        let token = match auth {
            None => c
                .fresh_token()
                .and_then(|t| t.map(|t| t.token.as_str().to_owned()).ok_or_else(no_token)),
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(Error::invalid_input(
                "auth.accessToken",
                "must be a non-empty string",
            )),
        };
        let built = token.and_then(|t| match op {
            Op::CreateLearner => c.cfg.build_create_learner(learner, &t),
            Op::UpdateLearner => match &id {
                Value::String(s) if !s.is_empty() => c.cfg.build_update_learner(s, learner, &t),
                Value::String(_) => Err(Error::invalid_input("identifier", "must not be empty")),
                _ => Err(Error::invalid_input("identifier", "must be a string")),
            },
        });
        let mut secrets = c.secrets();
        secrets.extend(sensitive_strings(&[id, learner.clone()]));
        request_outcome(built, &secrets)
    }

    #[test]
    fn build_makes_the_network_calls_requests_and_errors() {
        let learners = [
            json!({"login": "ann", "email": "ann@example.com", "firstname": "Ann"}),
            json!({"login": "ann \" \\ é 😀", "lastname": "L", "password": "hunter22", "lang": "fr",
                "segment": {"country": ["FRANCE"], "team": ["a", "b"]}}),
            json!({"login": "ann", "segment": {"b": ["1"], "a": ["2"]}}),
            json!({"login": "ann", "segment": {"country": "FRANCE"}}),
            json!({"login": "ann", "segment": ["x"]}),
            json!({"login": "ann", "segment": {"c": [1]}}),
            json!({"login": "ann", "password": ""}),
            json!({"login": "ann", "password": "pw-secret-9", "email": "nope"}),
            json!({"login": "ann", "lang": ""}),
            json!({"login": "  "}),
            json!({"login": "a\nb"}),
            json!({"login": 7}),
            json!({"login": true}),
            json!({"firstname": "Ann"}),
            json!({"firstname": null}),
            json!({}),
            json!("ann"),
            json!(null),
        ];
        let identifiers = [
            Some(json!("L1")),
            Some(json!("L 1/é")),
            Some(json!("")),
            Some(json!(5)),
            None,
        ];
        let auths = auths();
        let mut compared = 0;
        for c in &clients() {
            for learner in &learners {
                for auth in &auths {
                    let (got, want) = (
                        wire_build(c, Op::CreateLearner, None, learner, auth.as_ref()),
                        json_build(c, Op::CreateLearner, None, learner, auth.as_ref()),
                    );
                    assert_eq!(got, want, "create {learner} {auth:?}");
                    compared += 1;
                    for id in &identifiers {
                        let (got, want) = (
                            wire_build(c, Op::UpdateLearner, id.as_ref(), learner, auth.as_ref()),
                            json_build(c, Op::UpdateLearner, id.as_ref(), learner, auth.as_ref()),
                        );
                        assert_eq!(got, want, "update {id:?} {learner} {auth:?}");
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 2 * 18 * 5 * 6);
        // A secret-named field never reaches a message.
        let [with, without] = clients();
        let e = wire_build(&with, Op::CreateLearner, None, &learners[7], None).unwrap_err();
        assert_eq!(e[0], "INVALID_INPUT");
        assert!(!e[6].contains("pw-secret-9"));
        // Without a fresh token of its own, the client needs one from `auth`.
        let e = wire_build(&without, Op::CreateLearner, None, &learners[0], None).unwrap_err();
        assert_eq!(e[0], "INVALID_CONFIG");
    }

    /// A string the JS left unwritten because the call's strings held more than one budget of
    /// text before it (`TOO_MUCH`): refused as the network call refuses the argument whose
    /// reading ran over, before any check of the call.
    #[test]
    fn strings_over_the_calls_text_are_refused_unwritten() {
        let c = &clients()[0];
        let run = |lens: [usize; 9]| {
            let mut w = wire_with(b"L1");
            let rc = w.run(&mut |w| build(w, 2, c, Op::UpdateLearner, true, lens));
            outcome(&w, rc).unwrap_err()
        };
        let mut lens = [ABSENT; 9];
        lens[0] = 2;
        lens[1] = TOO_MUCH;
        lens[8] = NOT_TEXT;
        let e = run(lens);
        assert_eq!(e[0], "INVALID_INPUT");
        assert_eq!(e[6], format!("`patch` {TOO_MUCH_WHY}"));
        // A string too long to write says so first, as a long string does.
        lens[2] = TOO_LONG;
        assert_eq!(run(lens)[6], format!("`patch` {TOO_LONG_WHY}"));
    }

    /// `parseX(response, …args)` as the JS makes it.
    fn wire_parse(
        c: &Client<Config, Rc<Net>>,
        op: Op,
        status: u16,
        body: &str,
        args: Option<&Value>,
    ) -> std::result::Result<String, Vec<String>> {
        let (bytes, input_len) = parse_input(body, args);
        let mut w = wire_with(&bytes);
        match w.run(&mut |w| parse(w, bytes.len(), c, op, status, body.len(), input_len)) {
            FAILED => Err(decode(w.output()).to_vec()),
            _ => Ok(String::from_utf8(w.output().to_vec()).unwrap()),
        }
    }

    #[test]
    fn parse_reads_the_response_as_the_network_call() {
        let bodies = [
            (201, json!({"identifier": "L1", "login": "ann", "status": "Active", "metadata": {}}).to_string()),
            (200, json!({"data": {"identifier": "L1", "login": "ann", "email": "a@b.co"}}).to_string()),
            (409, json!({"code": "LEARNER_PARAM_LOGIN_ALREADY_EXISTS", "message": "login hunter22 exists"}).to_string()),
            (404, json!({"code": "LEARNER_NOT_FOUND", "message": format!("no learner, token {TOKEN}")}).to_string()),
            (401, String::new()),
            (500, "<html>".to_owned()),
            (200, "not json".to_owned()),
            (200, json!({"login": "ann"}).to_string()),
        ];
        let args = [
            None,
            Some(json!([{"login": "ann", "password": "hunter22"}])),
            Some(json!(["L1", {"password": "hunter22"}])),
            Some(json!("x")),
        ];
        for c in &clients() {
            for op in [Op::CreateLearner, Op::UpdateLearner] {
                for (status, body) in &bodies {
                    for a in &args {
                        let resp = HttpResponse::new(*status, body.as_bytes().to_vec());
                        let learner = match op {
                            Op::CreateLearner => c.cfg.parse_create_learner(&resp),
                            Op::UpdateLearner => c.cfg.parse_update_learner(&resp),
                        };
                        let values = match a {
                            Some(Value::Array(items)) => items.clone(),
                            _ => Vec::new(),
                        };
                        let mut secrets = c.secrets();
                        secrets.extend(sensitive_strings(&values));
                        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
                        let want = learner
                            .map(|l| l.to_json())
                            .map_err(|e| fields(&e.scrubbed(&secrets)).to_vec());
                        let got = wire_parse(c, op, *status, body, a.as_ref());
                        assert_eq!(got, want, "{op:?} {status} {body} {a:?}");
                        // Every argument list here holds the password.
                        if let (Err(e), Some(Value::Array(_))) = (&got, a) {
                            assert!(!e[6].contains("hunter22"), "{}", e[6]);
                        }
                    }
                }
            }
        }
    }
}
