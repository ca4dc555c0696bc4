//! Plain HTTP request and response values: what builders return and parsers take.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::core::text::{concat, decimal, join};
use crate::error::{Error, ErrorCode, Result};

/// HTTP methods the vendors use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Method {
    /// GET
    #[serde(rename = "GET")]
    Get,
    /// POST
    #[serde(rename = "POST")]
    Post,
    /// PUT
    #[serde(rename = "PUT")]
    Put,
    /// DELETE
    #[serde(rename = "DELETE")]
    Delete,
}

impl Method {
    /// The method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            "PUT" => Some(Self::Put),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// Header list in insertion order; serialises as a JS object (`Record<string,string>`).
/// `Debug` shows the values of secret-named headers (`Authorization`, `X-API-Key`, …) as
/// `[redacted]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(Text, Text)>);

/// A header name or value. The names and content types the crate writes are static text,
/// borrowed instead of copied: a request's headers were a quarter of a builder's
/// allocations.
pub type Text = std::borrow::Cow<'static, str>;

impl core::fmt::Debug for Headers {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let shown = self.0.iter().map(|(k, v)| {
            let secret = crate::core::json::is_secret_key(k);
            (
                k.as_ref(),
                if secret {
                    crate::core::json::REDACTED
                } else {
                    v.as_ref()
                },
            )
        });
        f.debug_map().entries(shown).finish()
    }
}

impl Headers {
    /// `out` followed by these headers and `extra` as the package's JS reads them
    /// (`pkg-templates/transport.js`), `name\0value\0…`; `None` when one holds a NUL.
    pub fn write_text(&self, mut out: String, extra: Option<(&str, &str)>) -> Option<String> {
        let fields = self.0.iter().map(|(k, v)| (&**k, &**v)).chain(extra);
        for (k, v) in fields {
            if k.contains('\0') || v.contains('\0') {
                return None;
            }
            out.push_str(k);
            out.push('\0');
            out.push_str(v);
            out.push('\0');
        }
        Some(out)
    }

    /// Looks a header up by name, case-insensitively (first match).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Sets a header, replacing any of the same name (case-insensitive). Static text is kept
    /// as is; other text is copied.
    pub fn set(&mut self, name: impl Into<Text>, value: impl Into<Text>) {
        let name = name.into();
        self.0.retain(|(k, _)| !k.eq_ignore_ascii_case(&name));
        self.0.push((name, value.into()));
    }
}

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// What a client's `hooks` see of a request: method, URL and headers, with the values of
/// secret-named headers and query parameters replaced by `[redacted]`, and every given
/// secret (configured keys and tokens) removed wherever else it appears. Never the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MaskedRequest {
    /// Method.
    pub method: &'static str,
    /// URL, masked.
    pub url: String,
    /// Headers, masked.
    pub headers: Headers,
}

impl MaskedRequest {
    /// Masks `request` (see the type).
    pub fn of(request: &HttpRequest, secrets: &[String]) -> Self {
        use crate::core::json::{is_secret_key, scrub_text, REDACTED};
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let scrub = |t: &str| scrub_text(t, &secrets);
        let url = match request.url.split_once('?') {
            None => scrub(&request.url),
            Some((base, query)) => {
                let pairs: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((k, _)) if is_secret_key(k) => concat(&[k, "=", REDACTED]),
                        _ => pair.to_owned(),
                    })
                    .collect();
                scrub(&concat(&[base, "?", &join(&pairs, "&")]))
            }
        };
        let headers = request
            .headers
            .0
            .iter()
            .map(|(k, v)| {
                let shown = if is_secret_key(k) {
                    REDACTED.to_owned()
                } else {
                    scrub(v)
                };
                (k.clone(), shown.into())
            })
            .collect();
        Self {
            method: request.method.as_str(),
            url,
            headers: Headers(headers),
        }
    }
}

/// A request to send: API.md's `HttpRequest`. `Debug` redacts secret headers and shows
/// only the body's length (bodies carry passwords and client secrets).
#[derive(Clone, PartialEq, Serialize)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers to send.
    pub headers: Headers,
    /// Body, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl core::fmt::Debug for HttpRequest {
    // For Rust callers: no module formats a request (so this `format!` is in none).
    #[allow(clippy::disallowed_macros)]
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("[{} bytes]", b.len())),
            )
            .finish()
    }
}

/// Content types the builders send.
pub mod content_type {
    /// `application/json`
    pub const JSON: &str = "application/json";
    /// `application/x-www-form-urlencoded`
    pub const FORM: &str = "application/x-www-form-urlencoded";
}

impl HttpRequest {
    /// The request as one text, `method\0url\0`, the headers as `name\0value\0…`, then the
    /// body: what `pkg-templates/transport.js`' `request` makes the API's `HttpRequest` from.
    /// `None` when the URL or a header holds a NUL.
    pub fn wire_text(&self) -> Option<String> {
        let (method, url) = (self.method.as_str(), self.url.as_str());
        if url.contains('\0') {
            return None;
        }
        let body = self.body.as_deref().unwrap_or_default();
        // One buffer for the whole text (headers typically under 256 bytes).
        let mut head = String::with_capacity(method.len() + url.len() + body.len() + 258);
        for part in [method, "\0", url, "\0"] {
            head.push_str(part);
        }
        let mut text = self.headers.write_text(head, None)?;
        text.push_str(body);
        Some(text)
    }

    /// A request with `Accept: application/json` and no body.
    pub fn new(method: Method, url: String) -> Self {
        let mut headers = Headers::default();
        headers.set("Accept", content_type::JSON);
        Self {
            method,
            url,
            headers,
            body: None,
        }
    }

    /// Sets a compact JSON body and its content type.
    #[must_use]
    pub fn json(self, body: &Value) -> Self {
        self.json_text(crate::core::json::compact(body))
    }

    /// Sets a body already written as JSON text, and its content type.
    #[must_use]
    pub fn json_text(mut self, text: String) -> Self {
        self.headers.set("Content-Type", content_type::JSON);
        self.body = Some(text);
        self
    }

    /// Sets an urlencoded form body and its content type.
    #[must_use]
    pub fn form(mut self, body: String) -> Self {
        self.headers.set("Content-Type", content_type::FORM);
        self.body = Some(body);
        self
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: impl Into<Text>, value: impl Into<Text>) -> Self {
        self.headers.set(name, value);
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    #[must_use]
    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", concat(&["Bearer ", token]))
    }
}

/// The response headers the core reads (lower case), for its retry rules: the transport
/// hands over only these (`pkg-templates/transport.js` keeps the same list). The vendors'
/// parsers read none.
pub const RESPONSE_HEADERS: [&str; 1] = ["retry-after"];

/// A received response: API.md's `HttpResponseLike`, normalised.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers (names as received; look-ups are case-insensitive); hosts may keep only
    /// [`RESPONSE_HEADERS`], and a sans-IO parse call keeps none.
    pub headers: Headers,
    /// Raw body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status and a body, no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Headers::default(),
            body: body.into(),
        }
    }

    /// The response with every occurrence of `secret` (4 characters or more) in its body
    /// replaced by `[redacted]`: a vendor may echo a token in an error.
    #[must_use]
    pub fn scrubbed(mut self, secret: &str) -> Self {
        if secret.len() >= 4 {
            if let Ok(text) = std::str::from_utf8(&self.body) {
                if text.contains(secret) {
                    self.body = crate::core::json::scrub_text(text, &[secret]).into_bytes();
                }
            }
        }
        self
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body parsed as JSON, or `None` when it is not JSON.
    pub fn json(&self) -> Option<Value> {
        crate::core::json::parse(&self.body)
    }

    /// The body parsed as a JSON object, else `RESPONSE_MALFORMED`.
    pub fn json_object(&self) -> Result<serde_json::Map<String, Value>> {
        match self.json() {
            Some(Value::Object(map)) => Ok(map),
            _ => Err(Error::new(
                ErrorCode::ResponseMalformed,
                concat(&[
                    "expected a JSON object in the HTTP ",
                    &decimal(i64::from(self.status)),
                    " response",
                ]),
            )
            .with_status(self.status)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbed_responses_hide_an_echoed_token() {
        let r = HttpResponse::new(401, r#"{"error":"token tok-123 revoked","t":"tok-123"}"#);
        let body = r.scrubbed("tok-123").body;
        assert_eq!(
            body,
            br#"{"error":"token [redacted] revoked","t":"[redacted]"}"#
        );
        // Short secrets and non-UTF-8 bodies are left alone.
        assert_eq!(HttpResponse::new(400, "abc").scrubbed("abc").body, b"abc");
        assert_eq!(
            HttpResponse::new(400, vec![0xff, b't', b'o', b'k', b'1'])
                .scrubbed("tok1")
                .body,
            [0xff, b't', b'o', b'k', b'1']
        );
    }

    #[test]
    fn masked_request_hides_secret_headers_query_values_and_configured_secrets() {
        let mut headers = Headers::default();
        headers.set("Authorization", "Bearer tok-123");
        headers.set("X-Custom", "has sk-live-9 inside");
        headers.set("Accept", "application/json");
        let req = HttpRequest {
            method: Method::Post,
            url: "https://v.example/a/sk-live-9?user=ann&access_token=t0k&x=1".into(),
            headers,
            body: Some("password=hunter2".into()),
        };
        let m = MaskedRequest::of(&req, &["sk-live-9".to_owned()]);
        assert_eq!(m.method, "POST");
        assert_eq!(
            m.url,
            "https://v.example/a/[redacted]?user=ann&access_token=[redacted]&x=1"
        );
        assert_eq!(m.headers.get("Authorization"), Some("[redacted]"));
        assert_eq!(m.headers.get("X-Custom"), Some("has [redacted] inside"));
        assert_eq!(m.headers.get("Accept"), Some("application/json"));
        let text = format!("{m:?}");
        assert!(!text.contains("tok-123") && !text.contains("hunter2") && !text.contains("t0k"));
    }

    #[test]
    fn debug_hides_secret_headers_and_bodies() {
        let mut headers = Headers::default();
        headers.set("Authorization", "Bearer tok-123456");
        headers.set("X-API-Key", "key-abcdef");
        headers.set("Accept", "application/json");
        let req = HttpRequest {
            method: Method::Post,
            url: "https://a.example/x".into(),
            headers,
            body: Some(r#"{"password":"pw-secret-1"}"#.into()),
        };
        let shown = format!("{req:?}");
        for secret in ["tok-123456", "key-abcdef", "pw-secret-1"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("application/json") && shown.contains("[26 bytes]"),
            "{shown}"
        );
    }

    #[test]
    fn headers_are_case_insensitive_and_serialise_as_object() {
        let mut h = Headers::default();
        h.set("Content-Type", "a");
        h.set("content-type", "b");
        assert_eq!(h.get("CONTENT-TYPE"), Some("b"));
        assert_eq!(
            serde_json::to_string(&h).unwrap(),
            r#"{"content-type":"b"}"#
        );
    }

    #[test]
    fn request_serialises_like_the_api() {
        let req = HttpRequest::new(Method::Post, "https://x.test/a".into())
            .json(&serde_json::json!({"a": 1}));
        let v = serde_json::to_value(&req).unwrap();
        assert_eq!(v["method"], "POST");
        assert_eq!(v["body"], r#"{"a":1}"#);
        assert_eq!(v["headers"]["Content-Type"], "application/json");
        let get = HttpRequest::new(Method::Get, "https://x.test/".into());
        assert!(serde_json::to_value(&get).unwrap().get("body").is_none());
    }

    #[test]
    fn json_object_refuses_non_objects() {
        let e = HttpResponse::new(200, "[1]").json_object().unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseMalformed);
        assert_eq!(e.status, Some(200));
        assert!(HttpResponse::new(200, "{}").json_object().is_ok());
    }
}
