//! The lean boundary's calls (`signing::wire::Wire`: the signing calls, the browser
//! hand-off's of `handoff::wire`, AlphaLearn's twins of `vendors::alphalearn::wire`,
//! LearnWorlds' SSO twins of `vendors::learnworlds::wire`, Teach on Mars' learner twins of
//! `vendors::teach_on_mars::wire` and Miles Masterclass' builders of
//! `vendors::miles_masterclass::wire`) in any order, with any input bytes,
//! lengths and handles, as a host could make them: no call panics; a failed call returns -1
//! with `CODE\0message` as its output, a signing code (`INVALID_INPUT` for the hand-off), or,
//! for a vendor's, `FAILED` with a whole error whose lengths hold; a verification's output has
//! the documented layout, an SSO result's `url` length is within its output.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lms_bridge::core::http::{HttpRequest, HttpResponse};
use lms_bridge::core::time::UnixMillis;
use lms_bridge::handoff::wire::{self as handoff, EnrollmentArg, FieldsArg};
use lms_bridge::signing::wire::Wire;
use lms_bridge::transport::client::{Client, Sender};
use lms_bridge::transport::flight::Task;
use lms_bridge::vendors::alphalearn::wire::{self as alphalearn, Op};
use lms_bridge::vendors::lean::FAILED;
use lms_bridge::vendors::learnworlds::{self as lw, wire as lw_wire};
use lms_bridge::vendors::miles_masterclass::{self as mm, wire as mm_wire};
use lms_bridge::vendors::teach_on_mars::{self as tom, wire as tom_wire};

/// The codes a signing call may fail with.
const CODES: [&str; 7] = [
    "INVALID_INPUT",
    "INVALID_CONFIG",
    "SIGNATURE_MISSING",
    "SIGNATURE_MALFORMED",
    "SIGNATURE_MISMATCH",
    "TIMESTAMP_OUT_OF_TOLERANCE",
    "URL_EXPIRED",
];

/// Reads the fuzzer's bytes as a program: an opcode, then its operands.
struct Program<'a>(&'a [u8]);

impl<'a> Program<'a> {
    fn byte(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }

    /// A length: mostly small, sometimes near the limits, or the hand-off's `ABSENT` (also
    /// the largest length), `NOT_TEXT`, `TRUE`, `FALSE`, `TOO_LONG`, `NON_FINITE` and `TOO_MUCH`.
    fn len(&mut self) -> usize {
        match self.byte() {
            255 => usize::MAX,
            253 => handoff::NOT_TEXT,
            252 => handoff::TRUE,
            251 => handoff::FALSE,
            250 => handoff::TOO_LONG,
            249 => handoff::NON_FINITE,
            248 => handoff::TOO_MUCH,
            254 => u32::MAX as usize,
            b => usize::from(b) | usize::from(self.byte() & 0x3) << 8,
        }
    }

    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    fn now(&mut self) -> f64 {
        match self.byte() {
            0 => f64::NAN,
            1 => f64::INFINITY,
            b => 1_614_265_330_000.0 + f64::from(b) * 60_000.0,
        }
    }
}

/// A vendor's twin's failure: `code\0retryable\0vendor\0status\0vcLen\0detailsLen\0`, then
/// the vendor code and the details (JSON) of those lengths, then the message.
fn check_failure(out: &[u8]) {
    let mut parts = out.splitn(7, |b| *b == 0);
    let mut field = || core::str::from_utf8(parts.next().expect("a field")).expect("text");
    let (code, retryable, _vendor, status) = (field(), field(), field(), field());
    let lens: Vec<usize> = [field(), field()]
        .iter()
        .map(|l| l.parse().unwrap_or(0))
        .collect();
    let rest = parts.next().expect("the texts");
    assert!(CODES.contains(&code) || code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
    assert!(retryable == "0" || retryable == "1");
    assert!(status.is_empty() || status.parse::<u16>().is_ok());
    assert!(lens[0] + lens[1] <= rest.len(), "lengths within the output");
    let details = &rest[lens[0]..lens[0] + lens[1]];
    if lens[1] > 0 {
        serde_json::from_slice::<serde_json::Value>(details).expect("details are JSON");
    }
}

/// A login's values: fourteen UTF-16 lengths (`u32::MAX` for none), then their text, which
/// they cover exactly.
fn check_login_values(out: &[u8]) {
    let (lens, text) = out.split_at(56);
    let units = core::str::from_utf8(text)
        .expect("the values are text")
        .encode_utf16()
        .count();
    let sum: usize = lens
        .chunks(4)
        .map(|len| u32::from_le_bytes(len.try_into().expect("four bytes")))
        .filter(|&len| len != u32::MAX)
        .map(|len| len as usize)
        .sum();
    assert_eq!(sum, units, "the lengths cover the text");
}

fn check(w: &Wire, r: i32, verification: bool) {
    let out = w.output();
    if r == FAILED {
        check_failure(out);
        return;
    }
    if r == -1 {
        let text = core::str::from_utf8(out).expect("an error is text");
        let (code, message) = text.split_once('\0').expect("CODE\\0message");
        assert!(CODES.contains(&code), "unexpected code {code}");
        assert!(!message.is_empty());
    } else {
        assert!(r >= 0);
        if verification {
            let id_len = u32::from_le_bytes(out[16..20].try_into().unwrap()) as usize;
            assert_eq!(out.len(), 20 + id_len);
        }
    }
}

/// A LearnWorlds client for the SSO twins: with a secret and an app token, or with neither.
fn learnworlds(with_token: bool) -> Client<lw::Config, ()> {
    let mut options =
        serde_json::json!({"schoolUrl": "https://school.example.com", "clientId": "cid-1"});
    if with_token {
        options["clientSecret"] = "lw-secret-1234".into();
        options["accessToken"] = "app-token-5678".into();
    }
    Client::new(lw::Config::from_options(&options).expect("options"), ()).expect("a client")
}

/// A Teach on Mars client for the learner twins: with a configured token, or with client
/// credentials and no token yet. Its transport sends nothing (the twins never send).
fn teach_on_mars(with_token: bool) -> Client<tom::Config, NoNet> {
    let auth = if with_token {
        serde_json::json!({"accessToken": "tom-token-5678"})
    } else {
        serde_json::json!({"clientId": "id-1", "clientSecret": "tom-secret-1234",
            "tokenUrl": "https://auth.example/oauth/token"})
    };
    let options = serde_json::json!({"baseUrl": "https://acme.teachonmars.com", "auth": auth});
    Client::new(tom::Config::from_options(&options).expect("options"), NoNet).expect("a client")
}

/// A Miles Masterclass client for its builders: one that signs its requests, or one that does
/// not. Its transport sends nothing (the builders never send).
fn miles_masterclass(signing: bool) -> Client<mm::Config, NoNet> {
    let mut options =
        serde_json::json!({"baseUrl": "https://mm.example.com/api", "apiKey": "mm-key-1234"});
    if signing {
        options["requestSigning"] = serde_json::json!({"secret": "whsec_c2lnbmluZw=="});
    }
    Client::new(mm::Config::from_options(&options).expect("options"), NoNet).expect("a client")
}

/// A transport that must not be used: the twins read the client's clock, never send.
struct NoNet;

impl Sender for NoNet {
    fn now(&self) -> lms_bridge::Result<UnixMillis> {
        Ok(UnixMillis(1_700_000_000_000))
    }

    async fn send(
        &self,
        _: lms_bridge::Vendor,
        _: bool,
        _: &mut dyn FnMut(u32, UnixMillis) -> lms_bridge::Result<HttpRequest>,
    ) -> lms_bridge::Result<HttpResponse> {
        unreachable!("a twin sent a request")
    }

    fn spawn(&self, _: Task) {
        unreachable!("a twin spawned a task")
    }

    fn random_bytes(&self, n: usize) -> lms_bridge::Result<Vec<u8>> {
        Ok(vec![7; n])
    }
}

fuzz_target!(|data: &[u8]| {
    let mut w = Wire::new();
    let mut p = Program(data);
    let clients = [learnworlds(true), learnworlds(false)];
    let toms = [teach_on_mars(true), teach_on_mars(false)];
    let mms = [miles_masterclass(true), miles_masterclass(false)];
    while !p.0.is_empty() {
        let op = p.byte() % 24;
        let r = match op {
            0 => {
                let n = p.len().min(4096);
                let bytes = p.bytes(n);
                if let Some(buffer) = w.input(bytes.len()) {
                    buffer[..bytes.len()].copy_from_slice(bytes);
                }
                continue;
            }
            1 => {
                let (used, scheme, tol) = (p.len(), u32::from(p.byte() % 4), p.byte());
                let tolerance = (tol % 3 != 0).then(|| f64::from(tol) - 100.0);
                w.run(&mut |w| w.webhook_new(used, scheme, tolerance))
            }
            2 => {
                w.webhook_free(usize::from(p.byte()));
                continue;
            }
            3 => {
                let h = usize::from(p.byte());
                w.run(&mut |w| w.webhook_keys(h))
            }
            4 => {
                let (h, lens, now) = (
                    usize::from(p.byte()),
                    [p.len(), p.len(), p.len(), p.len()],
                    p.now(),
                );
                let r = w.run(&mut |w| w.webhook_verify(h, lens, now));
                check(&w, r, true);
                continue;
            }
            5 => {
                let (h, lens, now) = (usize::from(p.byte()), [p.len(), p.len(), p.len()], p.now());
                w.run(&mut |w| w.webhook_prepare(h, lens, now))
            }
            6 => {
                let h = usize::from(p.byte());
                let r = w.run(&mut |w| w.webhook_finish(h));
                check(&w, r, true);
                continue;
            }
            7 => {
                let (used, scheme, ts) =
                    (p.len(), u32::from(p.byte() % 4), f64::from(p.byte()) * 1e7);
                w.run(&mut |w| w.sign_webhook(used, scheme, ts))
            }
            8 => {
                let (used, expires, now) = (p.len(), p.byte(), p.now());
                let expires_in = (expires != 0).then(|| f64::from(expires) - 10.0);
                w.run(&mut |w| w.sign_url(used, expires_in, now))
            }
            9 => {
                let (used, origins, now) = (p.len(), p.byte() % 2 == 1, p.now());
                w.run(&mut |w| w.verify_signed_url(used, origins, now))
            }
            10 => {
                let (a, b) = (p.len(), p.len());
                w.run(&mut |w| w.hmac_sha256(a, b))
            }
            11 => {
                let n = p.len();
                w.run(&mut |w| w.sha256(n))
            }
            13 => {
                let (used, lens) = (p.len(), [p.len(), p.len(), p.len()]);
                let id = match p.byte() % 3 {
                    0 => EnrollmentArg::Number(f64::from(p.byte()) - 1.5),
                    1 => EnrollmentArg::Text(p.len()),
                    _ => EnrollmentArg::Other,
                };
                w.run(&mut |w| handoff::login_by_jwt_form(w, used, lens, id))
            }
            14 => {
                let (used, lens, render) =
                    (p.len(), [p.len(), p.len(), p.len()], p.byte() % 2 == 0);
                let fields = match p.byte() % 7 {
                    0 => FieldsArg::Strings(p.len()),
                    1 => FieldsArg::NotObject,
                    2 => FieldsArg::NotStrings,
                    3 => FieldsArg::TooLong,
                    4 => FieldsArg::TooMuch,
                    5 => FieldsArg::NotFinite,
                    _ => FieldsArg::NoForm,
                };
                w.run(&mut |w| handoff::form(w, used, lens, fields, render))
            }
            15 => {
                let (used, lens, creation) = (p.len(), [p.len(), p.len()], u32::from(p.byte() % 5));
                w.run(&mut |w| handoff::deep_link_call(w, used, lens, creation))
            }
            16 => {
                let (used, lens) = (p.len(), [p.len(), p.len()]);
                w.run(&mut |w| handoff::app_link(w, used, lens))
            }
            17 => {
                let (used, op, is_object) = (p.len(), p.byte(), p.byte() % 2 == 0);
                let lens = [p.len(), p.len(), p.len(), p.len(), p.len(), p.len()];
                let op = Op::from_number(u32::from(op % 5)).unwrap_or(Op::Login);
                w.run(&mut |w| alphalearn::build(w, used, op, is_object, lens))
            }
            18 => {
                let (used, op, status) = (p.len(), p.byte(), 100 + u16::from(p.byte()) * 2);
                let (body_len, input_len) = (p.len(), p.len());
                let op = Op::from_number(u32::from(op % 5)).unwrap_or(Op::Login);
                let r = w.run(&mut |w| alphalearn::parse(w, used, op, status, body_len, input_len));
                if r >= 0 && matches!(op, Op::Login | Op::LoginWithThirdParty) {
                    check_login_values(w.output());
                }
                r
            }
            19 => {
                let (used, client, is_object) = (
                    p.len(),
                    &clients[usize::from(p.byte() % 2)],
                    p.byte() % 2 == 0,
                );
                let lens = [p.len(), p.len(), p.len(), p.len(), p.len(), p.len()];
                let id = match p.byte() % 4 {
                    0 => Some(f64::from(p.byte()) / 4.0 - 8.0),
                    1 => Some(f64::NAN),
                    _ => None,
                };
                w.run(&mut |w| lw_wire::build_sso(w, used, client, is_object, lens, id))
            }
            20 => {
                let (used, client, status) = (
                    p.len(),
                    &clients[usize::from(p.byte() % 2)],
                    100 + u16::from(p.byte()) * 2,
                );
                let (body_len, input_len) = (p.len(), p.len());
                let r = w
                    .run(&mut |w| lw_wire::parse_sso(w, used, client, status, body_len, input_len));
                if r >= 0 {
                    let url =
                        core::str::from_utf8(&w.output()[..r as usize]).expect("the url is text");
                    assert!(url.starts_with("https://school.example.com"), "{url}");
                }
                r
            }
            21 => {
                let (used, client, is_object) =
                    (p.len(), &toms[usize::from(p.byte() % 2)], p.byte() % 2 == 0);
                let op = tom_wire::Op::from_number(u32::from(p.byte() % 3))
                    .unwrap_or(tom_wire::Op::CreateLearner);
                let lens = [(); 9].map(|()| p.len());
                w.run(&mut |w| tom_wire::build(w, used, client, op, is_object, lens))
            }
            22 => {
                let (used, client, status) = (
                    p.len(),
                    &toms[usize::from(p.byte() % 2)],
                    100 + u16::from(p.byte()) * 2,
                );
                let op = tom_wire::Op::from_number(u32::from(p.byte() % 3))
                    .unwrap_or(tom_wire::Op::UpdateLearner);
                let (body_len, input_len) = (p.len(), p.len());
                let r = w.run(&mut |w| {
                    tom_wire::parse(w, used, client, op, status, body_len, input_len)
                });
                if r >= 0 {
                    serde_json::from_slice::<serde_json::Value>(w.output())
                        .expect("a learner is JSON");
                }
                r
            }
            23 => {
                let (used, client, is_object) =
                    (p.len(), &mms[usize::from(p.byte() % 2)], p.byte() % 2 == 0);
                let op = mm_wire::Op::from_number(u32::from(p.byte() % 4))
                    .unwrap_or(mm_wire::Op::AutoSubscribe);
                let lens = [(); 7].map(|()| p.len());
                let number = |p: &mut Program| match p.byte() % 4 {
                    0 => f64::from(p.byte()) / 4.0 - 8.0,
                    1 => f64::NAN,
                    2 => f64::INFINITY,
                    _ => 1e21,
                };
                let beside = mm_wire::Beside {
                    kinds: u32::from(p.byte() % 8),
                    numbers: [number(&mut p), number(&mut p)],
                };
                w.run(&mut |w| mm_wire::build(w, used, client, op, is_object, lens, beside))
            }
            _ => {
                let (a, b) = (p.len(), p.len());
                let r = w.run(&mut |w| w.timing_safe_equal(a, b));
                assert!((-1..=1).contains(&r));
                r
            }
        };
        check(&w, r, false);
    }
});
