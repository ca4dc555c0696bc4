//! Response parsers: the `Learner` output, search shapes, the auth token, and the error
//! mapping of vendor §3 (v3 `{meta, response}` envelopes included, even inside a 2xx).

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Config, VENDOR};
use crate::core::http::HttpResponse;
use crate::core::json::{
    get, lenient_number, non_empty_str, read_shape, redacted_text, string_or_number, JsonWriter,
    Node::{Leaf, Value as Whole},
    RawJson, Scalar, Shape,
};
use crate::error::{Error, ErrorCode, Result};
use crate::vendors::{malformed, status_error, vendor_error, VendorFault};

/// A Teach on Mars learner (API.md `Learner`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Learner {
    /// `identifier` (v3: `learnerId`).
    pub identifier: String,
    /// `login`.
    pub login: String,
    /// `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `firstname`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    /// `lastname`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lastname: Option<String>,
    /// `lang` (`en-GB`; v3 `en`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The vendor's status string (`Active`); the v3 codes `A`/`I` read as
    /// `Active`/`Inactive`; `null` when the vendor sent none.
    pub status: Option<String>,
    /// `metadata` (the Mission Center custom fields, sent as `segment`), or `{}`.
    pub metadata: Value,
    /// The learner object as the vendor sent it.
    pub raw: RawJson,
}

/// Keys under which a search response may hold its list (vendor §3, provisional).
const LIST_KEYS: [&str; 5] = ["list", "data", "items", "learners", "results"];

/// An optional string field (other types read as absent).
fn opt_string(map: &Map<String, Value>, key: &str) -> Option<String> {
    get(map, key).and_then(Value::as_str).map(str::to_owned)
}

/// A learner's status as API.md writes it: the v3 codes `A`/`I` as `Active`/`Inactive`.
fn status_name(status: String) -> String {
    match status.as_str() {
        "A" => "Active".to_owned(),
        "I" => "Inactive".to_owned(),
        _ => status,
    }
}

/// Maps one vendor learner object (kept whole as `raw`, moved there rather than copied). No
/// `identifier`/`learnerId` or `login` → `RESPONSE_MALFORMED`.
fn learner_from(value: Value, status: u16) -> Result<Learner> {
    let Value::Object(map) = &value else {
        return Err(malformed(VENDOR, status, "a learner is not an object"));
    };
    let identifier = ["identifier", "learnerId"]
        .iter()
        .find_map(|k| string_or_number(map, k).filter(|s| !s.is_empty()))
        .ok_or_else(|| malformed(VENDOR, status, "a learner has no `identifier`"))?;
    let login = non_empty_str(map, "login")
        .ok_or_else(|| malformed(VENDOR, status, "a learner has no `login`"))?
        .to_owned();
    let learner_status = opt_string(map, "status").map(status_name);
    let metadata = match get(map, "metadata") {
        Some(Value::Object(m)) => Value::Object(m.clone()),
        _ => Value::Object(Map::new()),
    };
    Ok(Learner {
        identifier,
        login,
        email: opt_string(map, "email"),
        firstname: opt_string(map, "firstname"),
        lastname: opt_string(map, "lastname"),
        lang: opt_string(map, "lang"),
        status: learner_status,
        metadata,
        raw: RawJson::Value(value),
    })
}

/// The keys of a learner sent as the body itself that [`typed_learner`] reads, and `meta`
/// (a v3 envelope's, which it leaves to the `Value` path).
const LEARNER: Shape = &[
    ("identifier", Leaf(0)),
    ("learnerId", Leaf(1)),
    ("login", Leaf(2)),
    ("email", Leaf(3)),
    ("firstname", Leaf(4)),
    ("lastname", Leaf(5)),
    ("lang", Leaf(6)),
    ("status", Leaf(7)),
    ("metadata", Whole(8)),
    ("meta", Leaf(9)),
];

/// The slots of [`LEARNER`].
const LEARNER_SLOTS: usize = 10;

/// A created or updated learner sent as the body itself (a 2xx without a v3 envelope) by a
/// typed read: its fields as [`learner_from`] reads them, `raw` as the body's text. `None`
/// for any other body, or a field the `Value` path would read differently:
/// that path then decides (a typed read only ever answers as it would).
fn typed_learner(resp: &HttpResponse) -> Option<Learner> {
    if !resp.is_success() {
        return None;
    }
    let body = std::str::from_utf8(&resp.body).ok()?;
    let slots = read_shape(body, LEARNER, LEARNER_SLOTS)?;
    let [identifier, learner_id, login, email, firstname, lastname, lang, status, metadata, meta] =
        <[Scalar<'_>; LEARNER_SLOTS]>::try_from(slots).ok()?;
    if meta != Scalar::Absent {
        return None;
    }
    let identifier = match identifier.into_text()? {
        Some(id) if !id.is_empty() => id,
        _ => learner_id.into_text()?.filter(|id| !id.is_empty())?,
    };
    // A string, else absent (`opt_string`): numbers and booleans read as absent too.
    let text = |s: Scalar<'_>| match s {
        Scalar::Str(s) => Some(s.into_owned()),
        _ => None,
    };
    let metadata = match metadata {
        Scalar::Value(m) if m.is_object() => *m,
        _ => Value::Object(Map::new()),
    };
    Some(Learner {
        identifier,
        login: login.into_non_empty()?,
        email: text(email),
        firstname: text(firstname),
        lastname: text(lastname),
        lang: text(lang),
        status: text(status).map(status_name),
        metadata,
        raw: RawJson::Text(body.to_owned()),
    })
}

impl Learner {
    /// The learner as JSON text, as its `Serialize` writes it, with `raw` as it came when a
    /// typed read kept its text: not parsed into a `Value` and written again.
    pub fn to_json(&self) -> String {
        let mut w = JsonWriter::with_capacity(128 + self.raw.text_len());
        w.begin();
        w.key("identifier");
        w.text(&self.identifier);
        w.key("login");
        w.text(&self.login);
        let optional = [
            ("email", &self.email),
            ("firstname", &self.firstname),
            ("lastname", &self.lastname),
            ("lang", &self.lang),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                w.key(name);
                w.text(v);
            }
        }
        w.key("status");
        w.opt_text(self.status.as_deref());
        w.key("metadata");
        w.value(&self.metadata);
        w.key("raw");
        w.raw(&self.raw);
        w.end();
        w.finish()
    }
}

/// The vendor's code: `meta.msg`, else a string `code`, else a string `error`.
fn vendor_code(map: &Map<String, Value>) -> Option<String> {
    let meta_msg = map
        .get("meta")
        .and_then(|m| m.get("msg"))
        .and_then(Value::as_str);
    meta_msg
        .or_else(|| map.get("code").and_then(Value::as_str))
        .or_else(|| map.get("error").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The `meta.status` of a v3 envelope, if any.
fn meta_status(body: &Value) -> Option<u16> {
    let meta = get(body.as_object()?, "meta")?.as_object()?;
    let n = lenient_number(get(meta, "status")?)?;
    (n.fract() == 0.0 && (100.0..1000.0).contains(&n)).then_some(n as u16)
}

impl Config {
    /// The error a response carries, if any: a non-2xx status, or a 2xx whose v3 `meta.status`
    /// is ≥ 400. `vendorCode` = `meta.msg`, else `code`/`error`; `LEARNER_NOT_FOUND` →
    /// `NOT_FOUND`, `*_ALREADY_EXISTS` → `CONFLICT`, else by status. `status` is the HTTP one.
    /// `body` is the response's body as parsed JSON (`None`: not JSON).
    pub fn response_error(&self, resp: &HttpResponse, body: Option<&Value>) -> Option<Error> {
        let effective = match body.and_then(meta_status) {
            _ if !resp.is_success() => resp.status,
            Some(s) if s >= 400 => s,
            _ => return None,
        };
        let map = body.and_then(Value::as_object);
        let code = map.and_then(vendor_code);
        let message = map.and_then(|m| {
            ["message", "error_description", "detail"]
                .iter()
                .find_map(|k| non_empty_str(m, k))
                .map(str::to_owned)
        });
        let fault = (code.is_some() || message.is_some()).then(|| VendorFault {
            vendor_code: code.clone(),
            message,
            body: body.and_then(|b| redacted_text(b, &[])),
        });
        let mapped = match code.as_deref() {
            Some("LEARNER_NOT_FOUND") => Some(ErrorCode::NotFound),
            Some(c) if c.ends_with("_ALREADY_EXISTS") => Some(ErrorCode::Conflict),
            _ => None,
        };
        let mut err = match mapped {
            Some(c) => vendor_error(VENDOR, c, effective, fault),
            None => status_error(VENDOR, effective, fault),
        };
        if err.details.is_none() {
            err.details = body
                .and_then(|b| redacted_text(b, &[]))
                .map(String::into_boxed_str);
        }
        Some(self.scrub(err.with_status(resp.status)))
    }

    /// The success payload: the error check, then the JSON body with any v3 envelope
    /// removed (`response`). Non-JSON → `RESPONSE_MALFORMED`. The body is parsed once, for
    /// both.
    fn payload(&self, resp: &HttpResponse) -> Result<Value> {
        let body = resp.json();
        if let Some(err) = self.response_error(resp, body.as_ref()) {
            return Err(err);
        }
        let body = body.ok_or_else(|| malformed(VENDOR, resp.status, "the body is not JSON"))?;
        let enveloped = body.as_object().is_some_and(|m| {
            get(m, "meta").is_some_and(Value::is_object) && get(m, "response").is_some()
        });
        if enveloped {
            if let Value::Object(mut map) = body {
                return Ok(map.remove("response").unwrap_or(Value::Null));
            }
        }
        Ok(body)
    }

    /// One learner from a create/update response: the learner object itself, or under
    /// `learner`/`data`.
    fn one_learner(&self, resp: &HttpResponse) -> Result<Learner> {
        match typed_learner(resp) {
            Some(learner) => Ok(learner),
            None => self.value_learner(resp),
        }
    }

    /// A created or updated learner parsed by the `Value` path alone, and by the typed read
    /// alone (`None`: it falls back). For tests and the differential fuzz target: where the
    /// typed read answers, the two must agree.
    #[cfg(any(test, fuzzing))]
    pub fn learner_paths(&self, resp: &HttpResponse) -> (Result<Learner>, Option<Learner>) {
        (self.value_learner(resp), typed_learner(resp))
    }

    /// [`Config::one_learner`] by the `Value` path.
    fn value_learner(&self, resp: &HttpResponse) -> Result<Learner> {
        let mut payload = self.payload(resp)?;
        let has_id = payload
            .as_object()
            .is_some_and(|m| get(m, "identifier").is_some() || get(m, "learnerId").is_some());
        let nested = ["learner", "data"]
            .into_iter()
            .find(|k| !has_id && payload.get(k).is_some_and(Value::is_object));
        let value = match nested.and_then(|k| payload.get_mut(k)) {
            Some(inner) => inner.take(),
            None => payload,
        };
        learner_from(value, resp.status)
    }

    /// Parses a `createLearner` response. 409 / `*_ALREADY_EXISTS` → `CONFLICT`.
    pub fn parse_create_learner(&self, resp: &HttpResponse) -> Result<Learner> {
        self.one_learner(resp)
    }

    /// Parses an `updateLearner` response. 404 / `LEARNER_NOT_FOUND` → `NOT_FOUND`.
    pub fn parse_update_learner(&self, resp: &HttpResponse) -> Result<Learner> {
        self.one_learner(resp)
    }

    /// Parses a `searchLearners` response: an array, or an object holding it under
    /// `list`/`data`/`items`/`learners`/`results`, either possibly in a v3 envelope; else
    /// `RESPONSE_MALFORMED`. First page only.
    pub fn parse_search_learners(&self, resp: &HttpResponse) -> Result<Vec<Learner>> {
        let payload = self.payload(resp)?;
        let list = match payload {
            Value::Array(items) => items,
            Value::Object(mut map) => LIST_KEYS
                .iter()
                .find_map(|k| match map.get_mut(*k) {
                    Some(Value::Array(items)) => Some(std::mem::take(items)),
                    _ => None,
                })
                .ok_or_else(|| {
                    malformed(VENDOR, resp.status, "no learner list in the search result")
                })?,
            _ => {
                return Err(malformed(
                    VENDOR,
                    resp.status,
                    "the search result is not a list",
                ))
            }
        };
        list.into_iter()
            .map(|v| learner_from(v, resp.status))
            .collect()
    }

    /// Parses the search made by [`Config::build_find_learner_by_login`]: keeps the
    /// learners whose `login` equals `login` exactly (case-sensitive): none → `None`, one →
    /// it, several → `RESPONSE_MALFORMED`. Never the first fuzzy hit.
    pub fn parse_find_learner_by_login(
        &self,
        resp: &HttpResponse,
        login: &str,
    ) -> Result<Option<Learner>> {
        let mut found = self
            .parse_search_learners(resp)?
            .into_iter()
            .filter(|l| l.login == login);
        let first = found.next();
        if found.next().is_some() {
            return Err(malformed(
                VENDOR,
                resp.status,
                "several learners have this exact login",
            ));
        }
        Ok(first)
    }

    /// Parses a `getAuthToken` response: `{"authToken": "…"}` → the token (empty or missing →
    /// `RESPONSE_MALFORMED`); 404 → `NOT_FOUND`; 401 → `AUTH_FAILED`.
    pub fn parse_get_auth_token(&self, resp: &HttpResponse) -> Result<String> {
        let payload = self.payload(resp)?;
        payload
            .get("authToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| malformed(VENDOR, resp.status, "no `authToken`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg() -> Config {
        Config::from_options(&json!({"baseUrl": "https://acme.teachonmars.com",
            "auth": {"clientId": "cid", "clientSecret": "sekret-123",
                     "tokenUrl": "https://auth.teachonmars.com/oauth/token"}}))
        .unwrap()
    }

    fn resp(status: u16, body: &Value) -> HttpResponse {
        HttpResponse::new(status, body.to_string())
    }

    fn v1_learner() -> Value {
        json!({"identifier": "46e11440-a", "login": "john.doe", "email": "j@co.com",
            "firstname": "John", "lastname": "Doe", "lang": "en-GB", "status": "Active",
            "metadata": {"country": ["FRANCE"]}})
    }

    #[test]
    fn typed_learner_reads_agree_with_the_value_path_or_fall_back() {
        let c = cfg();
        // The usual bodies take the typed read, with the same result, written out the same
        // by serde and by `to_json` (which passes the typed read's `raw` on as it came).
        let usual = [
            v1_learner().to_string(),
            r#"{"identifier":"L1","login":"ann","status":"Active","metadata":{}}"#.to_owned(),
            r#" {"learnerId":42,"login":"b\u00e9","status":"I","email":5,"lang":null,"metadata":[1]} "#
                .to_owned(),
            r#"{"identifier":"","learnerId":"x","login":"c","metadata":{"a":{"b":[1.5,-2,"\n"]},"a":0},"extra":{"k":[true,null]}}"#
                .to_owned(),
            r#"{"identifier":-7,"login":"d","learner":{"identifier":"other"},"metadata":"m"}"#.to_owned(),
        ];
        for body in &usual {
            for status in [200, 201] {
                let (slow, fast) = c.learner_paths(&HttpResponse::new(status, body.as_str()));
                let (slow, fast) = (slow.unwrap(), fast.expect("typed read taken"));
                assert_eq!(slow, fast, "{body}");
                let by_serde = serde_json::to_value(&slow).unwrap();
                for learner in [&slow, &fast] {
                    assert_eq!(serde_json::to_value(learner).unwrap(), by_serde, "{body}");
                    let by_hand: Value = serde_json::from_str(&learner.to_json()).unwrap();
                    assert_eq!(by_hand, by_serde, "{body}");
                }
            }
        }
        let fast = c
            .learner_paths(&HttpResponse::new(201, usual[1].as_str()))
            .1
            .unwrap();
        // As serde writes it, `raw` included (here the body had no spaces to keep).
        assert_eq!(fast.to_json(), serde_json::to_string(&fast).unwrap());
        assert_eq!(
            fast.to_json(),
            r#"{"identifier":"L1","login":"ann","status":"Active","metadata":{},"raw":{"identifier":"L1","login":"ann","status":"Active","metadata":{}}}"#
        );

        // Every odd body: the typed read falls back or agrees.
        let bodies = [
            r#"{"meta":{"status":404,"msg":"LEARNER_NOT_FOUND"},"response":null}"#,
            r#"{"meta":{"status":200},"response":{"identifier":"L1","login":"ann"}}"#,
            r#"{"meta":5,"identifier":"L1","login":"ann"}"#,
            r#"{"learner":{"identifier":"L1","login":"ann"}}"#,
            r#"{"data":{"identifier":"L1","login":"ann"},"identifier":null}"#,
            r#"{"identifier":"L1","identifier":"L2","login":"ann"}"#,
            r#"{"identifier":"L1","login":"ann","metadata":{},"metadata":{"a":1}}"#,
            r#"{"identifier":"L1","login":""}"#,
            r#"{"identifier":"L1","login":5}"#,
            r#"{"identifier":true,"learnerId":"L","login":"ann"}"#,
            r#"{"identifier":1.5,"login":"ann"}"#,
            r#"{"identifier":{"a":1},"learnerId":"L","login":"ann"}"#,
            r#"{"identifier":"L1","login":"ann","status":2.5}"#,
            r#"{"identifier":"L1","login":"ann","email":["x"]}"#,
            r#"{"identifier":null,"login":"ann"}"#,
            r#"["not", "an", "object"]"#,
            r#"{"identifier":"L1","login":"ann"} x"#,
            // Not JSON to the `Value` path (a number out of range, a lone surrogate, a
            // control character), also where only `raw` or `metadata` holds it.
            r#"{"identifier":"L1","login":"ann","x":98e76543210}"#,
            r#"{"identifier":"L1","login":"ann","metadata":{"x":98e76543210}}"#,
            r#"{"identifier":"L1","login":"ann","metadata":{"x":["\ud800"]}}"#,
            "{\"identifier\":\"L1\",\"login\":\"ann\",\"metadata\":{\"\u{1}\":0}}",
        ];
        let mut taken = 0;
        for (i, body) in bodies.iter().enumerate() {
            for status in [200, 409, 500] {
                let (slow, fast) = c.learner_paths(&HttpResponse::new(status, *body));
                if let Some(fast) = fast {
                    taken += 1;
                    assert_eq!(slow.as_ref().ok(), Some(&fast), "body {i}: {body}");
                }
            }
        }
        // None of them is a plain learner: each goes to the `Value` path.
        assert_eq!(taken, 0);

        // Not UTF-8: falls back, to the same error.
        let resp = HttpResponse {
            status: 201,
            headers: Default::default(),
            body: vec![b'{', 0xff, b'}'],
        };
        let (slow, fast) = c.learner_paths(&resp);
        assert!(fast.is_none());
        assert_eq!(slow.unwrap_err().code, ErrorCode::ResponseMalformed);
    }

    #[test]
    fn learner_mapping() {
        let l = cfg()
            .parse_create_learner(&resp(201, &v1_learner()))
            .unwrap();
        assert_eq!(l.identifier, "46e11440-a");
        assert_eq!(l.login, "john.doe");
        assert_eq!(l.email.as_deref(), Some("j@co.com"));
        assert_eq!(l.status.as_deref(), Some("Active"));
        assert_eq!(l.metadata, json!({"country": ["FRANCE"]}));
        assert_eq!(l.raw.to_value(), v1_learner());
        let js = serde_json::to_value(&l).unwrap();
        assert_eq!(js["firstname"], "John");
        assert_eq!(js["raw"]["identifier"], "46e11440-a");

        let minimal = json!({"identifier": "x", "login": "a"});
        let l = cfg().parse_update_learner(&resp(200, &minimal)).unwrap();
        let js = serde_json::to_value(&l).unwrap();
        assert_eq!(
            js,
            json!({"identifier": "x", "login": "a", "status": null, "metadata": {},
                "raw": minimal})
        );
        // Wrapped under `learner` / `data`.
        let l = cfg()
            .parse_update_learner(&resp(200, &json!({"data": v1_learner()})))
            .unwrap();
        assert_eq!(l.identifier, "46e11440-a");
    }

    #[test]
    fn learner_v3_fallbacks() {
        let v3 = json!({"meta": {"status": 200, "msg": "OK", "err": 0},
            "response": {"learnerId": "tGh36f20", "login": "jd", "status": "A", "lang": "en"}});
        let l = cfg().parse_create_learner(&resp(200, &v3)).unwrap();
        assert_eq!(l.identifier, "tGh36f20");
        assert_eq!(l.status.as_deref(), Some("Active"));
        assert_eq!(l.lang.as_deref(), Some("en"));
        let inactive = json!({"learnerId": 42, "login": "jd", "status": "I"});
        let l = cfg().parse_create_learner(&resp(200, &inactive)).unwrap();
        assert_eq!(l.identifier, "42");
        assert_eq!(l.status.as_deref(), Some("Inactive"));
    }

    #[test]
    fn learner_malformed() {
        for body in [
            json!({"login": "a"}),
            json!({"identifier": "x"}),
            json!({"identifier": "", "login": "a"}),
            json!([1]),
        ] {
            let e = cfg().parse_create_learner(&resp(200, &body)).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{body}");
            assert_eq!(e.status, Some(200));
        }
        let e = cfg()
            .parse_create_learner(&HttpResponse::new(200, "<html>"))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
    }

    #[test]
    fn every_search_shape() {
        let a = json!({"identifier": "1", "login": "john"});
        let b = json!({"learnerId": "2", "login": "john.doe"});
        let list = json!([a, b]);
        let mut shapes = vec![list.clone()];
        for k in LIST_KEYS {
            shapes.push(json!({ k: list.clone(), "total": 2 }));
        }
        let enveloped: Vec<Value> = shapes
            .iter()
            .map(|s| json!({"meta": {"status": 200, "msg": "OK"}, "response": s}))
            .collect();
        shapes.extend(enveloped);
        for shape in shapes {
            let ls = cfg().parse_search_learners(&resp(200, &shape)).unwrap();
            assert_eq!(ls.len(), 2, "{shape}");
            assert_eq!(ls[1].identifier, "2");
        }
        let empty = cfg().parse_search_learners(&resp(200, &json!([]))).unwrap();
        assert!(empty.is_empty());
        for bad in [
            json!({"other": []}),
            json!("x"),
            json!({"data": {"a": 1}}),
            json!([{"x": 1}]),
        ] {
            let e = cfg().parse_search_learners(&resp(200, &bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed, "{bad}");
        }
    }

    #[test]
    fn find_by_login_exact_match() {
        let c = cfg();
        let body = json!({"items": [{"identifier": "1", "login": "john.doe"},
            {"identifier": "2", "login": "John"}]});
        // Fuzzy-only: "john" matches neither exactly (case-sensitive).
        assert_eq!(
            c.parse_find_learner_by_login(&resp(200, &body), "john")
                .unwrap(),
            None
        );
        let l = c
            .parse_find_learner_by_login(&resp(200, &body), "John")
            .unwrap()
            .unwrap();
        assert_eq!(l.identifier, "2");
        assert_eq!(
            c.parse_find_learner_by_login(&resp(200, &json!([])), "x")
                .unwrap(),
            None
        );
        let dup = json!([{"identifier": "1", "login": "a"}, {"identifier": "2", "login": "a"}]);
        let e = c
            .parse_find_learner_by_login(&resp(200, &dup), "a")
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
    }

    #[test]
    fn auth_token() {
        let c = cfg();
        let t = c
            .parse_get_auth_token(&resp(200, &json!({"authToken": "a+b/c="})))
            .unwrap();
        assert_eq!(t, "a+b/c=");
        for bad in [json!({}), json!({"authToken": ""}), json!({"authToken": 1})] {
            let e = c.parse_get_auth_token(&resp(200, &bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseMalformed);
        }
        let e = c
            .parse_get_auth_token(&HttpResponse::new(404, ""))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        assert_eq!(e.status, Some(404));
        assert_eq!(e.vendor, Some(VENDOR));
        let e = c
            .parse_get_auth_token(&HttpResponse::new(401, ""))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
    }

    #[test]
    fn error_mapping() {
        let c = cfg();
        let e = c.parse_update_learner(&resp(404, &json!({}))).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        assert_eq!(e.status, Some(404));
        let v3_409 = json!({"meta": {"status": 409, "msg": "LEARNER_PARAM_LOGIN_ALREADY_EXISTS",
            "timestamp": 1583309761, "err": 0, "errno": 0}, "response": {}});
        let e = c.parse_create_learner(&resp(409, &v3_409)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(
            e.vendor_code.as_deref(),
            Some("LEARNER_PARAM_LOGIN_ALREADY_EXISTS")
        );
        assert_eq!(e.status, Some(409));
        // The same envelope inside a 2xx is still an error; status stays the HTTP one.
        let e = c.parse_create_learner(&resp(200, &v3_409)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.status, Some(200));
        assert_eq!(
            e.vendor_code.as_deref(),
            Some("LEARNER_PARAM_LOGIN_ALREADY_EXISTS")
        );
        assert!(e.details.is_some());
        // Codes decide over statuses.
        let nf = json!({"meta": {"status": 400, "msg": "LEARNER_NOT_FOUND"}, "response": {}});
        assert_eq!(
            c.parse_update_learner(&resp(400, &nf)).unwrap_err().code,
            ErrorCode::NotFound
        );
        let ex = json!({"code": "EMAIL_ALREADY_EXISTS"});
        let e = c.parse_create_learner(&resp(400, &ex)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.vendor_code.as_deref(), Some("EMAIL_ALREADY_EXISTS"));
        // A plain 409 without a code.
        let e = c
            .parse_create_learner(&HttpResponse::new(409, ""))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        // 400 with a code → VENDOR_ERROR; without a body → HTTP_STATUS.
        let bad =
            json!({"meta": {"status": 400, "msg": "LEARNER_PARAM_EMAIL_INVALID"}, "response": {}});
        let e = c.parse_create_learner(&resp(200, &bad)).unwrap_err();
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(
            e.vendor_code.as_deref(),
            Some("LEARNER_PARAM_EMAIL_INVALID")
        );
        let e = c
            .parse_create_learner(&resp(400, &json!({"error": "invalid_request"})))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::VendorError);
        assert_eq!(e.vendor_code.as_deref(), Some("invalid_request"));
        let e = c
            .parse_create_learner(&HttpResponse::new(500, "oops"))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::HttpStatus);
        assert_eq!(
            c.parse_create_learner(&HttpResponse::new(401, ""))
                .unwrap_err()
                .code,
            ErrorCode::AuthFailed
        );
        assert_eq!(
            c.parse_create_learner(&HttpResponse::new(403, ""))
                .unwrap_err()
                .code,
            ErrorCode::AuthFailed
        );
        assert_eq!(
            c.parse_create_learner(&HttpResponse::new(429, ""))
                .unwrap_err()
                .code,
            ErrorCode::RateLimited
        );
        // A 2xx envelope with a success meta status is not an error.
        let ok = json!({"meta": {"status": 200, "msg": "OK"}, "response": {"authToken": "t"}});
        assert_eq!(c.parse_get_auth_token(&resp(200, &ok)).unwrap(), "t");
    }

    #[test]
    fn errors_hide_secrets_and_tokens() {
        let c = cfg();
        let echo = json!({"message": "secret sekret-123 refused", "password": "pw1",
            "authToken": "tok-xyz"});
        let e = c.parse_create_learner(&resp(400, &echo)).unwrap_err();
        let all = format!("{} {:?}", e.message, e.details);
        assert!(!all.contains("sekret-123"), "{all}");
        assert!(!all.contains("pw1"));
        assert!(!all.contains("tok-xyz"));
    }
}
