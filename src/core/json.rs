//! Helpers for vendor JSON: lenient scalar readers (numbers sent as strings and back),
//! redaction of secrets from anything that may reach an error, and typed reads
//! ([`read_shape`]) that take only the keys a parser needs out of a body.

use std::borrow::Cow;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::core::input::number_to_string;
use crate::core::text::{decimal, parse_digits_u64, push_decimal, unsigned_decimal};

/// `bytes` parsed as JSON, or `None` when they are not JSON (or not UTF-8), beyond
/// [`MAX_VALUES`] values and keys or nested deeper than
/// [`MAX_DEPTH`](crate::core::tree::MAX_DEPTH). Read by the crate's own reader
/// ([`crate::core::tree`], its numbers by [`crate::core::number`]), which reads the values
/// `serde_json` reads, so the modules carry none of `serde_json`'s parser; parsed, each value
/// takes some 80 bytes, and a 128 MiB body of zeros ran the wasm module out of memory before
/// the limit.
pub fn parse(bytes: &[u8]) -> Option<Value> {
    crate::core::tree::parse(bytes).map(|t| t.root().to_value())
}

/// Most values and keys one JSON text may hold to be read ([`parse`], [`read_shape`]).
pub const MAX_VALUES: usize = 1 << 22;

/// One field of a response as a typed read ([`read_shape`]) finds it, without building a
/// [`Value`] (no map, no key hashing): a string (borrowed from the text when it has no
/// escapes), an integer, a boolean, `null`, or [`Scalar::Absent`] when the key is not
/// there. A float, an array or an object fails the typed read: a parser then falls back to
/// its `Value` path, which decides those cases.
#[derive(Debug, Default, PartialEq)]
pub enum Scalar<'a> {
    /// The key is not in the object.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A string.
    Str(Cow<'a, str>),
    /// A non-negative integer.
    UInt(u64),
    /// A negative integer.
    Int(i64),
    /// Any value (a [`Node::Value`] slot); boxed, so that the other slots stay small.
    Value(Box<Value>),
}

impl<'a> Scalar<'a> {
    /// The text of a string, or of an integer in decimal (as [`number_to_string`] writes
    /// it); `Some(None)` for absent or `null`; `None` (fall back) for a boolean or a value.
    pub fn into_text(self) -> Option<Option<String>> {
        self.into_cow_text().map(|t| t.map(Cow::into_owned))
    }

    /// [`Scalar::into_text`], still borrowing from the text read where it can.
    pub fn into_cow_text(self) -> Option<Option<Cow<'a, str>>> {
        match self {
            Scalar::Absent | Scalar::Null => Some(None),
            Scalar::Str(s) => Some(Some(s)),
            Scalar::UInt(n) => Some(Some(unsigned_decimal(n).into())),
            Scalar::Int(n) => Some(Some(decimal(n).into())),
            Scalar::Bool(_) | Scalar::Value(_) => None,
        }
    }

    /// A non-empty string, else `None`.
    pub fn into_non_empty(self) -> Option<String> {
        self.into_non_empty_cow().map(Cow::into_owned)
    }

    /// [`Scalar::into_non_empty`], still borrowing from the text read where it can.
    pub fn into_non_empty_cow(self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// Whether it is absent, `null` or a string of whitespace only.
    pub fn is_blank(&self) -> bool {
        match self {
            Scalar::Absent | Scalar::Null => true,
            Scalar::Str(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Where a typed read ([`read_shape`]) puts what it finds under one key: a leaf is read
/// into its [`Scalar`] slot; an object marks its own slot `Bool(true)` and reads its keys;
/// a value of any type is read whole ([`Scalar::Value`]).
/// The values of keys not in a shape are read (as strictly as the `Value` path reads them)
/// and dropped.
pub enum Node {
    /// A scalar, into `slots[i]`.
    Leaf(usize),
    /// An object with these keys (its presence in `slots[i]`).
    Object(usize, Shape),
    /// Any value, as a [`Value`] into `slots[i]`.
    Value(usize),
}

/// The keys of one object that a typed read keeps.
pub type Shape = &'static [(&'static str, Node)];

/// `text` read as a JSON object, only the keys of `shape` kept: `slots` [`Scalar`]s, each
/// [`Scalar::Absent`] unless its key was found. `None` (the parser falls back to its
/// `Value` path) when the text is not JSON, when a kept key holds an array, a float or the
/// wrong kind of value, or appears twice (the `Value` path keeps the last). Text, not bytes:
/// a parser that keeps the body's text checks its UTF-8 once, before.
///
/// Read by [`crate::core::tree`] (what `serde_json` accepts, and as strictly: the values of
/// keys not kept are read too), then walked: serde's visitors for it were 3.3 KB gzip of the
/// vendor module.
pub fn read_shape(text: &str, shape: Shape, slots: usize) -> Option<Vec<Scalar<'_>>> {
    let tree = crate::core::tree::parse_str(text)?;
    let mut out: Vec<Scalar<'_>> = std::iter::repeat_with(Scalar::default)
        .take(slots)
        .collect();
    read_object(tree.root(), shape, &mut out)?;
    Some(out)
}

/// One object of a shape, its kept keys read into `out`; `None` when it is not an object, or
/// a kept key appears twice or holds a value of a kind its slot does not take.
fn read_object<'a>(
    node: crate::core::tree::Node<'_, 'a>,
    shape: Shape,
    out: &mut Vec<Scalar<'a>>,
) -> Option<()> {
    use crate::core::tree::Kind;
    if !node.is_object() {
        return None;
    }
    for (key, value) in node.members() {
        let Some((_, kept)) = shape.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let (Node::Leaf(slot) | Node::Object(slot, _) | Node::Value(slot)) = kept;
        let cell = out.get_mut(*slot)?;
        if *cell != Scalar::Absent {
            return None;
        }
        *cell = match kept {
            Node::Value(_) => Scalar::Value(Box::new(value.to_value())),
            Node::Object(..) => Scalar::Bool(true),
            Node::Leaf(_) => match value.kind() {
                Kind::Null => Scalar::Null,
                Kind::Bool(b) => Scalar::Bool(b),
                Kind::String(_) => Scalar::Str(value.as_cow()?),
                Kind::Number(n) => integer(n)?,
                Kind::Array | Kind::Object => return None,
            },
        };
        if let Node::Object(_, inner) = kept {
            read_object(value, inner, out)?;
        }
    }
    Some(())
}

/// A JSON number as `serde_json` reads it into a [`Scalar`]: an integer that fits a `u64`, or
/// a negative one that fits an `i64`; `None` for any other (a float to `serde_json`, `-0`
/// included).
fn integer(n: &str) -> Option<Scalar<'static>> {
    match n.strip_prefix('-') {
        None => parse_digits_u64(n).map(Scalar::UInt),
        Some(digits) => {
            let magnitude = parse_digits_u64(digits)?;
            if magnitude == 0 {
                return None;
            }
            0i64.checked_sub_unsigned(magnitude).map(Scalar::Int)
        }
    }
}

/// A JSON value a parser passes on whole (a learner's `raw`): parsed, or, from a typed read,
/// the text as received, which a result written as JSON text by hand can carry as it came
/// instead of parsing it into a [`Value`] and writing it again. Two are equal when their
/// values are; serde serialises either as its value.
#[derive(Clone, Debug)]
pub enum RawJson {
    /// A parsed value.
    Value(Value),
    /// JSON text that a typed read ([`read_shape`]) has read whole: as strict as [`parse`].
    Text(String),
}

impl RawJson {
    /// The value (the text parsed; `null` if it could not be, which a typed read rules out).
    pub fn to_value(&self) -> Value {
        match self {
            RawJson::Value(v) => v.clone(),
            RawJson::Text(t) => parse(t.as_bytes()).unwrap_or(Value::Null),
        }
    }

    /// How long its text is, when it is text (0 for a value): to size what it is written into.
    pub fn text_len(&self) -> usize {
        match self {
            RawJson::Text(t) => t.len(),
            RawJson::Value(_) => 0,
        }
    }

    /// Appends it as JSON text: the text as it came, or the value written.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            RawJson::Value(v) => {
                // Writing a `Value` into memory cannot fail.
                let _ = serde_json::to_writer(&mut *out, v);
            }
            RawJson::Text(t) => {
                let json_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
                out.extend_from_slice(t.trim_matches(json_space).as_bytes());
            }
        }
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.to_value() == other.to_value()
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        match self {
            RawJson::Value(v) => v.serialize(s),
            RawJson::Text(_) => self.to_value().serialize(s),
        }
    }
}

/// Replaces the value of every key that names a secret ([`is_secret_key`], any nesting) with
/// `"[redacted]"`: on a `Value`, the tests' reference for [`redacted_text`].
#[cfg(any(test, fuzzing))]
pub fn redact(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(k) {
                        Value::String(REDACTED.to_owned())
                    } else {
                        redact(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// `value` as compact JSON text, the value of every secret-named key ([`is_secret_key`], any
/// nesting) as `"[redacted]"` and every other string scrubbed of `secrets` ([`scrub_text`]):
/// an error's details. `None` only for a value nested deeper than a JSON text may be read.
pub fn redacted_text(value: &Value, secrets: &[&str]) -> Option<String> {
    crate::core::tree::rewrite(&compact(value), true, secrets)
}

/// `value` as compact JSON text. Through the serializer every result uses, not `Display`,
/// which would bring its own copy of it and `core::fmt` into the module. (Serialising a
/// `Value` cannot fail.)
pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The text that stands for a removed secret.
pub use super::secret::REDACTED;

/// Whether a JSON key names a secret (password, token, secret, key, authorization,
/// signature, cookie, …). ASCII case-insensitive; compares bytes in place (it runs for every
/// key of every call's input, to mask what hooks see).
pub fn is_secret_key(key: &str) -> bool {
    const PARTS: [&str; 13] = [
        "password",
        "passwd",
        "passphrase",
        "token",
        "secret",
        "authorization",
        "signature",
        "cookie",
        "credential",
        "jwt",
        "session",
        // api_key, x-api-key, …
        "_key",
        "-key",
    ];
    let k = key.as_bytes();
    let has = |part: &str| {
        k.windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part.as_bytes()))
    };
    PARTS.iter().any(|p| has(p))
        // apiKey, privateKey, accessKey, signingKey, key, …
        || k
            .get(k.len().saturating_sub(3)..)
            .is_some_and(|end| end.eq_ignore_ascii_case(b"key"))
        || key.eq_ignore_ascii_case("login_url")
}

/// The strings of a call's arguments that an error must not contain: bare string arguments
/// (tokens, ids) and, at any depth, the string values under secret-named keys
/// ([`is_secret_key`]). Read by [`tree::Node::sensitive_strings`](crate::core::tree::Node::sensitive_strings)
/// (the one reading, which the lean calls use on JSON text) from each argument's JSON text.
pub fn sensitive_strings(args: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for arg in args {
        if let Some(tree) = crate::core::tree::parse(compact(arg).as_bytes()) {
            tree.root().sensitive_strings(&mut out);
        }
    }
    out
}

/// Replaces every occurrence of each non-empty `secret` in `text` with `"[redacted]"`.
pub fn scrub_text(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(*s) {
            out = out.replace(*s, REDACTED);
        }
    }
    out
}

/// Applies [`scrub_text`] to every string in a JSON value (the tests' reference).
#[cfg(any(test, fuzzing))]
pub fn scrub_value(value: &Value, secrets: &[&str]) -> Value {
    match value {
        Value::String(s) => Value::String(scrub_text(s, secrets)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| scrub_value(v, secrets)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), scrub_value(v, secrets)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Shortens a vendor message to at most `max` characters (on a char boundary).
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => crate::core::text::concat(&[text.get(..i).unwrap_or_default(), "…"]),
        None => text.to_owned(),
    }
}

/// `map[key]`, found by comparing keys in order in a small map (a vendor object's usual
/// dozen keys) instead of hashing: SipHash of the key costs more than a few short compares.
pub fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() > 16 {
        return map.get(key);
    }
    map.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// A string field, or a number field as its decimal string.
pub fn string_or_number(map: &Map<String, Value>, key: &str) -> Option<String> {
    match get(map, key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_to_string(n)),
        _ => None,
    }
}

/// [`string_or_number`], the string moved out of `map` instead of copied (for a body that
/// is dropped after).
pub fn take_string_or_number(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.get_mut(key).map(Value::take)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(number_to_string(&n)),
        _ => None,
    }
}

/// Compact JSON written by hand, for results handed to JS as JSON text and for request
/// bodies ([`ordered_json`]), on hot paths: the same text serde writes (keys in the order
/// given), without serde's writer, which pushes every quote, colon and comma as a write of
/// its own.
pub struct JsonWriter(Vec<u8>);

impl JsonWriter {
    /// An empty text with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    /// Opens an object (`{`).
    pub fn begin(&mut self) {
        self.0.push(b'{');
    }

    /// Closes an object (`}`).
    pub fn end(&mut self) {
        self.0.push(b'}');
    }

    /// Writes `"key":`, after a comma unless it is the object's first key. Keys are the
    /// crate's own names: nothing to escape.
    pub fn key(&mut self, key: &str) {
        if self.0.last() != Some(&b'{') {
            self.0.push(b',');
        }
        self.0.push(b'"');
        self.0.extend_from_slice(key.as_bytes());
        self.0.extend_from_slice(b"\":");
    }

    /// Writes `,` unless the text is empty or its last byte opened an object or an array: the
    /// separator before an array's item.
    pub fn separator(&mut self) {
        if !matches!(self.0.last(), None | Some(b'{' | b'[')) {
            self.0.push(b',');
        }
    }

    /// Opens an array (`[`).
    pub fn begin_array(&mut self) {
        self.0.push(b'[');
    }

    /// Closes an array (`]`).
    pub fn end_array(&mut self) {
        self.0.push(b']');
    }

    /// Writes `"key":` for any key (escaped as [`text`](Self::text) escapes), after a comma
    /// unless it is the object's first key.
    pub fn member(&mut self, key: &str) {
        self.separator();
        self.text(key);
        self.0.push(b':');
    }

    /// A string between quotes, escaped as serde writes it: `"`, `\` and control characters
    /// only (`\n`-style where JSON has a short escape, else `\u00xx`).
    pub fn text(&mut self, s: &str) {
        self.0.push(b'"');
        let mut run = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            let short = match b {
                b'"' => b'"',
                b'\\' => b'\\',
                b'\n' => b'n',
                b'\r' => b'r',
                b'\t' => b't',
                0x08 => b'b',
                0x0c => b'f',
                0..=0x1f => b'u',
                _ => continue,
            };
            self.0
                .extend_from_slice(s.as_bytes().get(run..i).unwrap_or_default());
            self.0.push(b'\\');
            self.0.push(short);
            if short == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex = |n: u8| HEX.get(usize::from(n)).copied().unwrap_or(b'0');
                self.0
                    .extend_from_slice(&[b'0', b'0', hex(b >> 4), hex(b & 15)]);
            }
            run = i + 1;
        }
        self.0
            .extend_from_slice(s.as_bytes().get(run..).unwrap_or_default());
        self.0.push(b'"');
    }

    /// A string, or `null`.
    pub fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.0.extend_from_slice(b"null"),
        }
    }

    /// A value written as given (a number or literal the crate made).
    pub fn raw_text(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// A non-negative integer.
    pub fn uint(&mut self, n: u64) {
        push_decimal(&mut self.0, n);
    }

    /// A value serde writes (a learner's `metadata`).
    pub fn value(&mut self, value: &impl Serialize) {
        // Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut self.0, value);
    }

    /// JSON text already whole (a [`RawJson`]).
    pub fn raw(&mut self, raw: &RawJson) {
        raw.write_to(&mut self.0);
    }

    /// The text written.
    pub fn finish(self) -> String {
        // Only whole UTF-8 strings and ASCII were written.
        String::from_utf8(self.0).unwrap_or_default()
    }
}

/// A value of a request body written by [`ordered_json`].
pub trait WriteJson {
    /// Writes the value as serde would.
    fn write_json(&self, w: &mut JsonWriter);
}

impl WriteJson for &str {
    fn write_json(&self, w: &mut JsonWriter) {
        w.text(self);
    }
}

/// Writes an object whose keys are written in the given order (escaped: a key may be a
/// caller's name); the pairs are borrowed, not copied into a map.
pub fn write_object<V: WriteJson>(w: &mut JsonWriter, pairs: &[(&str, V)]) {
    w.begin();
    for (key, value) in pairs {
        w.member(key);
        value.write_json(w);
    }
    w.end();
}

/// Compact JSON of an object whose keys are written in the given order ([`write_object`]):
/// the text serde writes, without serde's writer (a request body).
pub fn ordered_json<V: WriteJson>(pairs: &[(&str, V)]) -> String {
    let mut w = JsonWriter::with_capacity(128);
    write_object(&mut w, pairs);
    w.finish()
}

/// A non-empty string field.
pub fn non_empty_str<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    get(map, key)?.as_str().filter(|s| !s.is_empty())
}

/// A number field, or a string holding a decimal number (`"1.5"`). `None` when absent,
/// `Some(None)` when present but not numeric.
pub fn lenient_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let t = s.trim();
            let numeric = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
            if numeric {
                crate::core::text::parse_decimal(t).filter(|f| f.is_finite())
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_escapes_strings_as_serde_does() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é€😀\u{2028}");
        for s in [
            all.as_str(),
            "",
            "plain",
            "\"",
            "a\\b",
            "\u{1f}x",
            "x\u{7f}",
        ] {
            let mut w = JsonWriter::with_capacity(0);
            w.text(s);
            assert_eq!(w.finish(), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }
    use serde_json::json;

    #[test]
    fn texts_of_too_many_values_are_not_read() {
        // The array counts too: MAX_VALUES - 1 items fill the limit.
        let array = |n: usize| format!("[{}0]", "0,".repeat(n - 1)).into_bytes();
        assert_eq!(
            parse(&array(MAX_VALUES - 1)).map(|v| v.as_array().map(Vec::len)),
            Some(Some(MAX_VALUES - 1))
        );
        assert_eq!(parse(&array(MAX_VALUES)), None);
        // Commas, brackets and braces inside strings are no values; escaped quotes stay inside.
        let text = format!(
            r#"{{"a":"{}\"{}","b":[1]}}"#,
            ",[{".repeat(MAX_VALUES),
            ",".repeat(8)
        );
        assert!(parse(text.as_bytes()).is_some());
        let shape: Shape = &[("b", Node::Leaf(0))];
        let too_many = String::from_utf8(array(MAX_VALUES + 2)).unwrap();
        assert!(read_shape(&too_many, shape, 1).is_none());
        let object = format!("{{\"b\":1,\"c\":[{}0]}}", "0,".repeat(MAX_VALUES + 1));
        assert!(read_shape(&object, shape, 1).is_none());
        assert_eq!(
            read_shape(r#"{"b":1,"c":[0,0]}"#, shape, 1),
            Some(vec![Scalar::UInt(1)])
        );
    }

    #[test]
    fn the_json_writer_writes_what_serde_writes() {
        // Every character JSON escapes, and some it does not (DEL, `/`, non-ASCII).
        let mut texts: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", b as char)).collect();
        texts.extend(["", "plain", "é ✓ 😀", "\\\"", "\u{2028}</script>"].map(String::from));
        for text in &texts {
            let mut w = JsonWriter::with_capacity(0);
            w.begin();
            w.key("k");
            w.text(text);
            w.key("n");
            w.opt_text(None);
            w.key("o");
            w.begin();
            w.key("u");
            w.uint(u64::MAX);
            w.key("v");
            w.value(&json!([1, "x"]));
            w.end();
            w.key("raw");
            w.raw(&RawJson::Text(" {\"a\": 1} ".into()));
            w.end();
            let by_serde =
                json!({"k": text, "n": null, "o": {"u": u64::MAX, "v": [1, "x"]}, "raw": {"a": 1}});
            assert_eq!(
                w.finish(),
                serde_json::to_string(&by_serde)
                    .unwrap()
                    .replace(r#""raw":{"a":1}"#, r#""raw":{"a": 1}"#)
            );
        }
    }

    #[test]
    fn ordered_json_writes_what_serde_writes() {
        // Keys and values with every character JSON escapes, in the order given.
        // (Each text begins with `a`: never one of the other keys.)
        let texts: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", b as char)).collect();
        for text in texts.iter().map(String::as_str).chain(["a", "aé ✓ 😀"]) {
            let pairs = [("z", text), (text, "v"), ("y", text)];
            let mut by_serde = Map::new();
            for (k, v) in pairs {
                by_serde.insert(k.to_owned(), json!(v));
            }
            assert_eq!(ordered_json(&pairs), Value::Object(by_serde).to_string());
        }
        assert_eq!(ordered_json::<&str>(&[]), "{}");
    }

    #[test]
    fn parse_reads_what_from_slice_reads() {
        let cases: [&[u8]; 12] = [
            br#"{"a":1,"b":[true,null,"x"],"c":{"d":-2.5e3}}"#,
            br#"  "text"  "#,
            b"12345678901234567890",
            br#"{"z":1,"a":2}"#,
            br#"{"dup":1,"dup":2}"#,
            "\u{feff}{}".as_bytes(),
            br#"{"esc":"\u00e9\ud83d\ude00"}"#,
            b"{\"bad\":\"\xff\"}",
            b"\xff",
            b"",
            b"{} trailing",
            br#"{"a":"lone \ud800"}"#,
        ];
        for bytes in cases {
            let want = serde_json::from_slice::<Value>(bytes).ok();
            assert_eq!(parse(bytes), want, "{:?}", String::from_utf8_lossy(bytes));
        }
        // Key order is kept (`preserve_order`), as before.
        let parsed = parse(br#"{"z":1,"a":2}"#).unwrap();
        let keys: Vec<_> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn sensitive_strings_are_bare_strings_and_secret_keyed_values() {
        let args = [
            json!("refresh-token-1"),
            json!({
                "email": "a@b.co",
                "password": "pw-1",
                "profile": {"apiKey": "k-1", "name": "Ann", "tokens": ["t-1", {"x": "t-2"}]},
                "list": [{"secret": "s-1"}, "plain"],
                "count": 3,
            }),
            json!(null),
        ];
        assert_eq!(
            sensitive_strings(&args),
            ["refresh-token-1", "pw-1", "k-1", "t-1", "t-2", "s-1"]
        );
        assert!(sensitive_strings(&[json!({"a": [1, true, null]})]).is_empty());
    }

    #[test]
    fn redacts_secret_keys_at_any_depth() {
        let v = json!({"message": "bad", "password": "p", "data": {"access_token": "t",
            "refresh-token": "r", "list": [{"apiKey": "k"}], "id": 1}});
        let r = redact(&v);
        assert_eq!(r["message"], "bad");
        assert_eq!(r["password"], REDACTED);
        assert_eq!(r["data"]["access_token"], REDACTED);
        assert_eq!(r["data"]["refresh-token"], REDACTED);
        assert_eq!(r["data"]["list"][0]["apiKey"], REDACTED);
        assert_eq!(r["data"]["id"], 1);
    }

    #[test]
    fn secret_key_names() {
        for k in [
            "password",
            "apiKey",
            "api_key",
            "x-api-key",
            "X-API-Key",
            "privateKey",
            "private_key",
            "accessKey",
            "signingKey",
            "client_secret",
            "refresh-token",
            "sessionToken",
            "Authorization",
            "credentials",
            "jwt",
            "key",
            "key_id_secret",
            "login_url",
            "LOGIN_URL",
            "X-Api-Key",
            "userPASSWORD",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "message",
            "email",
            "id",
            "status",
            "keyword",
            "monkeys",
            "",
            "ke",
            "login_urls",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn scrubs_echoed_secrets() {
        let v = json!({"message": "key sk_live_1 refused", "n": ["sk_live_1"]});
        let s = scrub_value(&v, &["sk_live_1", ""]);
        assert_eq!(s["message"], "key [redacted] refused");
        assert_eq!(s["n"][0], REDACTED);
    }

    #[test]
    fn lenient_numbers() {
        assert_eq!(lenient_number(&json!("1.5")), Some(1.5));
        assert_eq!(lenient_number(&json!(2)), Some(2.0));
        assert_eq!(lenient_number(&json!("abc")), None);
        assert_eq!(lenient_number(&json!("1e999")), None);
        assert_eq!(lenient_number(&json!(null)), None);
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate("héllo", 2), "hé…");
        assert_eq!(truncate("hi", 5), "hi");
    }
}
