//! Miles Masterclass' builders on the lean boundary ([`Wire`], as the other vendors' twins):
//! the JS of the `MilesMasterclass` class (`pkg-templates/twins.js`) writes the fields a
//! `buildX(input)` reads into the input buffer, and gets the request back as text. The
//! functions of the network calls make it ([`Config::auto_subscribe_request`], …), signed as
//! the call's first attempt would be when the client signs its requests.
//!
//! A failure returns [`FAILED`](crate::vendors::lean::FAILED), the output holding the whole
//! error ([`error_output`](crate::vendors::lean::error_output)), scrubbed of the client's
//! secrets as the class's other methods scrub theirs.

use super::{Config, VENDOR};
use crate::error::{Error, Result};
use crate::handoff::wire::{args, check_readable, Arg};
use crate::signing::wire::Wire;
use crate::transport::client::{Client, Sender};
use crate::vendors::lean::{client_failure, report_request, ArgFields};

/// Which builder a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `buildAutoSubscribe`.
    AutoSubscribe,
    /// `buildAccessControl`.
    AccessControl,
    /// `buildCreateLoginUrl`.
    CreateLoginUrl,
}

impl Op {
    /// The op numbered `n` by the JS (0-2, in the order above).
    pub fn from_number(n: u32) -> Option<Self> {
        [
            Self::AutoSubscribe,
            Self::AccessControl,
            Self::CreateLoginUrl,
        ]
        .get(n as usize)
        .copied()
    }

    /// The input's field names, in the order the JS writes them: those of `organization`
    /// under their path.
    pub const fn fields(self) -> &'static [&'static str] {
        match self {
            Self::AutoSubscribe => &[
                "email",
                "firstName",
                "lastName",
                "lmsUserId",
                "organization",
                "organization.id",
                "organization.name",
            ],
            Self::AccessControl => &["email", "action", "reason"],
            Self::CreateLoginUrl => &["email", "returnUrl"],
        }
    }
}

/// What the JS says beside the lengths of `buildAutoSubscribe`'s fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct Beside {
    /// Which of [`LMS_USER_ID_NUMBER`], [`ORGANIZATION_ID_NUMBER`] and
    /// [`ORGANIZATION_OBJECT`] hold (or'ed).
    pub kinds: u32,
    /// `lmsUserId` and `organization.id`, when they were numbers.
    pub numbers: [f64; 2],
}

/// `lmsUserId` was a number.
pub const LMS_USER_ID_NUMBER: u32 = 1;
/// `organization.id` was a number.
pub const ORGANIZATION_ID_NUMBER: u32 = 2;
/// `organization` was an object (not an array); its fields follow.
pub const ORGANIZATION_OBJECT: u32 = 4;

/// `buildX(input)` of `op`: `lens` of the op's fields ([`Op::fields`], then
/// [`ABSENT`](crate::handoff::wire::ABSENT)s; those of the fields [`Beside`] says were
/// numbers or an object are `ABSENT` too).
/// `is_object`: whether the input was an object. Output: `method\0url\0name\0value\0…\0body`,
/// as `pkg-templates/transport.js`' `request` reads a request; returns the number of headers.
pub fn build<S: Sender>(
    w: &mut Wire,
    used: usize,
    client: &Client<Config, S>,
    op: Op,
    is_object: bool,
    lens: [usize; 7],
    beside: Beside,
) -> Result<i32> {
    let input = w.input_bytes(used)?;
    let (mut fields, _) = args(input, lens)?;
    let Beside { kinds, numbers } = beside;
    let given = |kind| kinds & kind != 0;
    let [_, _, _, user_id, organization, organization_id, _] = &mut fields;
    if op == Op::AutoSubscribe {
        if given(LMS_USER_ID_NUMBER) {
            *user_id = Arg::Number(numbers[0]);
        }
        if given(ORGANIZATION_OBJECT) {
            *organization = Arg::Object;
        }
        if given(ORGANIZATION_ID_NUMBER) {
            *organization_id = Arg::Number(numbers[1]);
        }
    }
    let request = (|| {
        // What the network call's reading of its input refuses, first as there: the longest
        // string the class's other methods read, and numbers JSON has not.
        check_readable(&fields, "input")?;
        if !is_object {
            return Err(Error::invalid_input("input", "must be an object").with_vendor(VENDOR));
        }
        let f = ArgFields {
            names: op.fields(),
            args: &fields,
            prefix: "",
        };
        let request = match op {
            Op::AutoSubscribe => client.cfg.auto_subscribe_request(&f),
            Op::AccessControl => client.cfg.access_control_request(&f),
            Op::CreateLoginUrl => client.cfg.create_login_url_request(&f),
        };
        client.sign_sans_io(request?)
    })();
    report_request(
        w,
        request.map_err(|e| client_failure(e, client, Vec::new())),
    )
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use serde_json::{json, Value};

    use super::*;
    use crate::handoff::wire::{ABSENT, MAX_STRING, TOO_LONG};
    use crate::transport::client::scripted::Net;
    use crate::vendors::lean::tests::{decode, outcome, put, request_outcome, wire_with};
    use crate::vendors::lean::FAILED;

    const KEY: &str = "mm-key-1234";

    /// A plain client, one that signs its requests, and one with its own wire names and paths.
    fn clients() -> [Client<Config, Rc<Net>>; 3] {
        let base = json!({"baseUrl": "https://mm.example.com/api", "apiKey": KEY});
        let mut signing = base.clone();
        signing["requestSigning"] = json!({"secret": "whsec_c2lnbmluZw=="});
        let mut renamed = base.clone();
        renamed["fieldNames"] =
            json!({"email": "mail", "lms_user_id": "uid", "organization": "org"});
        renamed["paths"] = json!({"autoSubscribe": "/subscribe"});
        [base, signing, renamed]
            .map(|o| Client::new(Config::from_options(&o).unwrap(), Net::new(&[], &[])).unwrap())
    }

    /// `buildX(input)` of `op` as the JS makes it (a JSON value standing for the JS one).
    fn wire_build(
        c: &Client<Config, Rc<Net>>,
        op: Op,
        input: &Value,
    ) -> std::result::Result<String, Vec<String>> {
        let mut bytes = Vec::new();
        let mut lens = [ABSENT; 7];
        let (mut kinds, mut numbers) = (0, [0.0; 2]);
        let org = &input["organization"];
        let value = |name: &str| match name.split_once('.') {
            Some((_, key)) if org.is_object() => org.get(key),
            Some(_) => None,
            None => input.get(name),
        };
        for (i, name) in op.fields().iter().enumerate() {
            let v = value(name);
            let number = v.and_then(Value::as_f64);
            lens[i] = match (op, *name) {
                (Op::AutoSubscribe, "organization") if org.is_object() => {
                    kinds |= ORGANIZATION_OBJECT;
                    ABSENT
                }
                (Op::AutoSubscribe, "lmsUserId") if number.is_some() => {
                    kinds |= LMS_USER_ID_NUMBER;
                    numbers[0] = number.unwrap_or_default();
                    ABSENT
                }
                (Op::AutoSubscribe, "organization.id") if number.is_some() => {
                    kinds |= ORGANIZATION_ID_NUMBER;
                    numbers[1] = number.unwrap_or_default();
                    ABSENT
                }
                _ => put(&mut bytes, v),
            };
        }
        let mut w = wire_with(&bytes);
        let rc = w.run(&mut |w| {
            let beside = Beside { kinds, numbers };
            build(w, bytes.len(), c, op, input.is_object(), lens, beside)
        });
        outcome(&w, rc)
    }

    /// The same as the network call's builder makes it, signed as `buildX` signs it.
    fn json_build(
        c: &Client<Config, Rc<Net>>,
        op: Op,
        input: &Value,
    ) -> std::result::Result<String, Vec<String>> {
        let request = match op {
            Op::AutoSubscribe => c.cfg.build_auto_subscribe(input),
            Op::AccessControl => c.cfg.build_access_control(input),
            Op::CreateLoginUrl => c.cfg.build_create_login_url(input),
        };
        request_outcome(request.and_then(|r| c.sign_sans_io(r)), &c.secrets())
    }

    #[test]
    fn builders_make_the_network_calls_requests_and_errors() {
        let inputs = [
            json!({"email": "ann@example.com", "lmsUserId": "42", "firstName": "Ann"}),
            json!({"email": "ann@example.com", "lmsUserId": 42, "lastName": "L \" \\ é 😀",
                "organization": {"id": 7, "name": "Acme"}, "action": "block", "reason": "left",
                "returnUrl": "https://lms.example/dashboard"}),
            json!({"email": "ann@example.com", "lmsUserId": 1.5, "organization": {"id": "o-1"}}),
            json!({"email": "ann@example.com", "lmsUserId": -0.0, "organization": {"id": 1e21}}),
            json!({"email": "ann@example.com", "lmsUserId": "", "organization": {}}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": {"id": "", "name": ""}}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": {"id": true}}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": {"name": 5}}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": "Acme"}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": [1]}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": true}),
            json!({"email": "ann@example.com", "lmsUserId": "1", "organization": null}),
            json!({"email": "ann@example.com", "lmsUserId": true, "action": "unblock"}),
            json!({"email": "ann@example.com", "lmsUserId": [1], "action": "cancel", "reason": 5}),
            json!({"email": "ann@example.com", "firstName": 5, "action": "delete"}),
            json!({"email": "ann@example.com", "action": true, "returnUrl": "javascript:alert(1)"}),
            json!({"email": "ann@example.com", "returnUrl": "http://127.0.0.1:8/x"}),
            json!({"email": "ann@example.com", "returnUrl": 5}),
            json!({"email": "a \" \\ é 😀@example.com", "lmsUserId": "1"}),
            json!({"email": "not an email", "lmsUserId": "1"}),
            json!({"email": "", "lmsUserId": "1"}),
            json!({"email": 5}),
            json!({}),
            json!("ann@example.com"),
            json!(null),
            json!([1]),
        ];
        let mut compared = 0;
        for c in &clients() {
            for op in [Op::AutoSubscribe, Op::AccessControl, Op::CreateLoginUrl] {
                for input in &inputs {
                    let (lean, full) = (wire_build(c, op, input), json_build(c, op, input));
                    assert_eq!(lean, full, "{op:?} {input}");
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 234);
        let [plain, signing, renamed] = clients();
        let sent = wire_build(&plain, Op::AutoSubscribe, &inputs[1]).unwrap();
        assert!(
            sent.contains(r#""organization":{"id":"7","name":"Acme"}"#),
            "{sent}"
        );
        assert!(sent.contains(&format!("X-API-Key\0{KEY}")), "{sent}");
        let signed = wire_build(&signing, Op::AccessControl, &inputs[1]).unwrap();
        assert!(
            signed.starts_with("6\0") && signed.contains("webhook-signature\0v1,"),
            "{signed}"
        );
        let renamed = wire_build(&renamed, Op::AutoSubscribe, &inputs[0]).unwrap();
        assert!(
            renamed.contains("/api/subscribe\0") && renamed.contains(r#"{"mail":"#),
            "{renamed}"
        );
        let e = wire_build(&plain, Op::AutoSubscribe, &inputs[8]).unwrap_err();
        assert_eq!(e[0], "INVALID_INPUT");
        assert_eq!(e[6], "`organization` must be an object");
        let e = wire_build(&plain, Op::AutoSubscribe, &inputs[6]).unwrap_err();
        assert_eq!(e[6], "`organization.id` must be a string or a number");
    }

    #[test]
    fn builders_refuse_what_the_input_conversion_refuses_first() {
        let [plain, ..] = clients();
        let run = |lens: [usize; 7], bytes: &[u8], kinds: u32, numbers: [f64; 2]| {
            let mut w = wire_with(bytes);
            let rc = w.run(&mut |w| {
                let beside = Beside { kinds, numbers };
                build(
                    w,
                    bytes.len(),
                    &plain,
                    Op::AutoSubscribe,
                    false,
                    lens,
                    beside,
                )
            });
            assert_eq!(rc, FAILED);
            decode(w.output())
        };
        // Before the input's type: these are what reading the JS value refuses.
        for (kinds, numbers) in [
            (LMS_USER_ID_NUMBER, [f64::NAN, 0.0]),
            (ORGANIZATION_ID_NUMBER, [0.0, f64::INFINITY]),
        ] {
            let e = run([ABSENT; 7], &[], kinds, numbers);
            assert_eq!(e[6], "`input` must not contain NaN or Infinity");
            assert_eq!(e[2], "", "a conversion's error names no vendor");
        }
        let long = "x".repeat(MAX_STRING + 1);
        let mut lens = [ABSENT; 7];
        lens[1] = long.len();
        let e = run(lens, long.as_bytes(), 0, [0.0; 2]);
        assert!(e[6].starts_with("`input` is too long"), "{}", e[6]);
        // A string the JS found too long to write into the module: the same refusal.
        let mut lens = [ABSENT; 7];
        lens[6] = TOO_LONG;
        let e = run(lens, &[], ORGANIZATION_OBJECT, [0.0; 2]);
        assert!(e[6].starts_with("`input` is too long"), "{}", e[6]);
        let e = run([ABSENT; 7], &[], 0, [0.0; 2]);
        assert_eq!(e[..3], ["INVALID_INPUT", "0", "miles-masterclass"]);
        assert_eq!(e[6], "`input` must be an object");
    }
}
