//! JS values ↔ core values. Every conversion of caller input returns `INVALID_INPUT`
//! naming the argument, never a panic, and never echoes the value.

use std::cell::RefCell;

use js_sys::{Array, ArrayBuffer, Function, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::http::Headers;
use crate::core::text::{concat, decimal, join};
use crate::error::{Error, ErrorCode, Result};
// The longest string argument the module reads from JS is `MAX_STRING` bytes of UTF-8. A
// builder's work copies a string and may grow it (six bytes a character escaped in JSON,
// nine in a URL): a string of 2^27 control characters, or of 2^27 three-byte characters in a
// deep link, ran the module out of memory. The glue hands over a longer string as no string
// (`withStringLimit` in scripts/build.mjs, the same number); the readers here then say it is
// too long (`TOO_LONG`), with the hand-off module's and the lean twins' words.
use crate::handoff::wire::{MAX_STRING, TOO_LONG_WHY as TOO_LONG, TOO_MUCH_WHY};

const MAX_DEPTH: usize = 32;
/// Most header entries read from one headers argument (proxies add many; a request with
/// more is refused, saying so).
const MAX_HEADERS: usize = 10_000;

/// The longest body or payload (a string, in UTF-16 code units; bytes): read into the
/// module as bytes and parsed or hashed, never grown. Also the most `maxResponseBytes`
/// means (fetch.rs).
pub const MAX_BODY: u32 = 1 << 27;

/// Why a body or payload string longer than [`MAX_BODY`] code units is refused.
const TOO_MANY_UNITS: &str = "is too long (more than 134,217,728 characters)";

/// What an argument that is a string, but was not read as one, is: too long.
fn too_long(value: &JsValue) -> Option<&'static str> {
    value.is_string().then_some(TOO_LONG)
}

/// Most array elements and object properties, at any depth, read from one argument: each
/// takes some 80 bytes in the module, and tens of millions ran it out of memory. The same
/// bound as on the values of one JSON text ([`crate::core::json::MAX_VALUES`], 2^22).
const MAX_VALUES: u32 = crate::core::json::MAX_VALUES as u32;

/// Most bytes of text (strings and keys, as UTF-8) read from the arguments of one call (or
/// one headers argument): one string at [`MAX_STRING`]. One JS string repeated in many places
/// costs its host nothing more, but each place is a copy in the module: forty properties
/// holding the same long string ran it out of memory.
const MAX_TEXT: usize = crate::handoff::wire::MAX_TEXT;

/// What the arguments of one call may still hold: values ([`MAX_VALUES`], per argument)
/// and text ([`MAX_TEXT`], in all), counted as they are read, without a call into the host.
pub struct Budget {
    values: u32,
    text: usize,
}

impl Budget {
    /// The whole budget.
    pub const fn new() -> Self {
        Self {
            values: MAX_VALUES,
            text: MAX_TEXT,
        }
    }

    /// Counts one more value (an array element or a property).
    fn value(&mut self) -> core::result::Result<(), &'static str> {
        self.values = self
            .values
            .checked_sub(1)
            .ok_or("has more than 4,194,304 values (array elements and properties)")?;
        Ok(())
    }

    /// Counts a string or key read.
    fn text(&mut self, s: &str) -> core::result::Result<(), &'static str> {
        self.text = self.text.checked_sub(s.len()).ok_or(TOO_MUCH_WHY)?;
        Ok(())
    }
}

/// A JS value as JSON: objects (own string keys; `undefined` and function values
/// skipped), arrays, strings, finite numbers, booleans; `undefined`/`null` → `null`.
pub fn json(value: &JsValue, name: &str) -> Result<Value> {
    json_within(value, name, &mut Budget::new())
}

/// [`json`] of one of a call's arguments: its text counts against `budget`, which the
/// call's other arguments share; its values against a count of its own.
pub fn json_within(value: &JsValue, name: &str, budget: &mut Budget) -> Result<Value> {
    budget.values = MAX_VALUES;
    walk(value, 0, budget).map_err(|why| Error::invalid_input(name, why))
}

fn walk(v: &JsValue, depth: usize, left: &mut Budget) -> core::result::Result<Value, &'static str> {
    if depth > MAX_DEPTH {
        return Err("is nested too deeply");
    }
    // An argument is most often an object, a value inside it a string: each check is a
    // call into the host, so those go first.
    if depth == 0 && v.is_object() && !Array::is_array(v) {
        return walk_object(v, depth, left);
    }
    if let Some(s) = v.as_string() {
        left.text(&s)?;
        return Ok(Value::String(s));
    }
    if let Some(n) = v.as_f64() {
        // JSON has no Infinity: the options that accept it are read as numbers before the
        // conversion (see `opt_number`), never from a string.
        return Number::from_f64(n)
            .map(Value::Number)
            .ok_or("must not contain NaN or Infinity");
    }
    if v.is_undefined() || v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let mut items = Vec::new();
        for item in arr.iter() {
            left.value()?;
            items.push(walk(&item, depth + 1, left)?);
        }
        return Ok(Value::Array(items));
    }
    if !v.is_object() {
        return Err(too_long(v).unwrap_or("has an unsupported type"));
    }
    walk_object(v, depth, left)
}

/// [`walk`] of an object that is not an array.
fn walk_object(
    v: &JsValue,
    depth: usize,
    left: &mut Budget,
) -> core::result::Result<Value, &'static str> {
    if v.is_instance_of::<Uint8Array>() || v.is_instance_of::<ArrayBuffer>() {
        return Err("must not contain bytes here");
    }
    let keys = Reflect::own_keys(v.unchecked_ref()).map_err(|_| "cannot be read")?;
    let mut map = Map::new();
    for key in keys.iter() {
        left.value()?;
        let Some(name) = key.as_string() else {
            match too_long(&key) {
                Some(why) => return Err(why),
                None => continue,
            }
        };
        left.text(&name)?;
        let item = Reflect::get(v, &key).map_err(|_| "cannot be read")?;
        // Most values are strings: one call into the host reads them, instead of three.
        if let Some(s) = item.as_string() {
            left.text(&s)?;
            map.insert(name, Value::String(s));
            continue;
        }
        if item.is_undefined() || item.is_function() {
            continue;
        }
        map.insert(name, walk(&item, depth + 1, left)?);
    }
    Ok(Value::Object(map))
}

/// A value for JS: plain objects (not `Map`s), as JSON would give. Serialised to JSON text
/// and parsed by the host's `JSON.parse`: one string crosses the boundary, instead of one
/// call per field.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    // Sized for a typical result, so the text is seldom copied while it grows.
    let mut text = Vec::with_capacity(512);
    let written = serde_json::to_writer(&mut text, value).ok();
    parse_json(
        written
            .and_then(|()| String::from_utf8(text).ok())
            .as_deref(),
    )
}

/// The JSON text of a result as a JS value (`None`: it could not be serialised). Apart from
/// [`to_js`] so that its one generic line is all each result type adds.
#[inline(never)]
fn parse_json(text: Option<&str>) -> Result<JsValue> {
    let unconvertible = || {
        Error::new(
            ErrorCode::ResponseMalformed,
            "result could not be converted",
        )
    };
    let text = text.ok_or_else(unconvertible)?;
    js_sys::JSON::parse(text).map_err(|_| unconvertible())
}

/// What an operation's result becomes for JS: a serde value through [`to_js`], or JSON
/// text a parser wrote itself ([`JsonText`]).
pub trait ForJs {
    /// The value for JS.
    fn for_js(&self) -> Result<JsValue>;
}

impl<T: Serialize + ?Sized> ForJs for T {
    fn for_js(&self) -> Result<JsValue> {
        to_js(self)
    }
}

/// A result written as JSON text by its parser (e.g. `Learner::to_json`, which passes on the
/// body it read as it came), parsed by the host as it is.
pub struct JsonText(pub String);

impl ForJs for JsonText {
    fn for_js(&self) -> Result<JsValue> {
        parse_json(Some(&self.0))
    }
}

/// A string argument (never `&str` in exported signatures: the generated glue would throw
/// a plain `TypeError` on `undefined` before Rust could answer `INVALID_INPUT`).
pub fn string(value: &JsValue, name: &str) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| Error::invalid_input(name, too_long(value).unwrap_or("must be a string")))
}

/// A `string` (as UTF-8) or `Uint8Array`/`ArrayBuffer` argument as bytes.
pub fn bytes(value: &JsValue, name: &str) -> Result<Vec<u8>> {
    if value.is_string() {
        if let Some(bytes) = string_bytes(value, name)? {
            return Ok(bytes);
        }
    }
    binary_bytes(value, name)
}

/// The UTF-8 of `value`, a string: handed over by the glue (one `encodeInto`, see
/// scripts/build.mjs), or, past what it hands over, encoded by the host's `TextEncoder`
/// (`None` without one).
pub fn string_bytes(value: &JsValue, name: &str) -> Result<Option<Vec<u8>>> {
    let units = value.unchecked_ref::<js_sys::JsString>().length();
    if units > MAX_BODY {
        return Err(Error::invalid_input(name, TOO_MANY_UNITS));
    }
    Ok(if units as usize <= MAX_STRING / 3 {
        value.as_string().map(String::into_bytes)
    } else {
        utf8_natively(value)
    })
}

/// A `Uint8Array`/`ArrayBuffer` argument as bytes.
fn binary_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>> {
    let buffer;
    let array: &Uint8Array = if value.is_instance_of::<Uint8Array>() {
        value.unchecked_ref()
    } else if value.is_instance_of::<ArrayBuffer>() {
        buffer = Uint8Array::new(value);
        &buffer
    } else {
        return Err(Error::invalid_input(
            name,
            "must be a string or a Uint8Array",
        ));
    };
    if array.length() > MAX_BODY {
        return Err(Error::invalid_input(
            name,
            "is too large (more than 134,217,728 bytes)",
        ));
    }
    Ok(array.to_vec())
}

thread_local! {
    /// The host's `TextEncoder` and its `encode` method, looked up once.
    static ENCODER: Option<(JsValue, Function)> = {
        let global = js_sys::global();
        Reflect::get(&global, &"TextEncoder".into())
            .ok()
            .and_then(|c| c.dyn_into::<Function>().ok())
            .and_then(|c| Reflect::construct(&c, &Array::new()).ok())
            .and_then(|enc| {
                let encode = Reflect::get(&enc, &"encode".into()).ok()?.dyn_into::<Function>().ok()?;
                Some((enc, encode))
            })
    };
}

/// A (long) JS string as UTF-8 through the host's `TextEncoder` (lone surrogates become
/// U+FFFD, as with wasm-bindgen's own conversion). `None` on hosts without `TextEncoder`.
fn utf8_natively(value: &JsValue) -> Option<Vec<u8>> {
    ENCODER.with(|encoder| {
        let (enc, encode) = encoder.as_ref()?;
        let out = encode.call1(enc, value).ok()?;
        Some(out.dyn_into::<Uint8Array>().ok()?.to_vec())
    })
}

fn too_many(name: &str) -> Error {
    Error::invalid_input(
        name,
        &concat(&[
            "has more than ",
            &decimal(MAX_HEADERS as i64),
            " entries (the limit on headers)",
        ]),
    )
}

/// Why a value is refused as headers (by [`headers`], and by a parse call that reads none).
pub const NOT_HEADERS: &str = "must be a Headers object, an object or [name, value] pairs";

/// Headers given as a `Headers` object (or any iterable of pairs), an array of
/// `[name, value]` pairs, or a plain object. `undefined`/`null` → none.
pub fn headers(value: &JsValue, name: &str) -> Result<Headers> {
    let bad = || Error::invalid_input(name, NOT_HEADERS);
    let mut out = Vec::new();
    // What the names and values may hold in all ([`MAX_TEXT`]).
    let mut budget = Budget::new();
    let mut text = |s: &str| {
        budget
            .text(s)
            .map_err(|why| Error::invalid_input(name, why))
    };
    if value.is_undefined() || value.is_null() {
        return Ok(Headers::default());
    }
    let iterable = Array::is_array(value)
        || Reflect::get(value, &js_sys::Symbol::iterator()).is_ok_and(|f| f.is_function());
    if iterable {
        let iter = js_sys::try_iter(value)
            .map_err(|_| bad())?
            .ok_or_else(bad)?;
        for pair in iter {
            let pair = pair.map_err(|_| bad())?;
            if !Array::is_array(&pair) {
                return Err(bad());
            }
            let pair: Array = pair.unchecked_into();
            let (k, v) = (pair.get(0).as_string(), pair.get(1).as_string());
            let (k, v) = (k.ok_or_else(bad)?, v.ok_or_else(bad)?);
            text(&k)?;
            text(&v)?;
            out.push((k.into(), v.into()));
            if out.len() > MAX_HEADERS {
                return Err(too_many(name));
            }
        }
    } else if value.is_object() {
        let obj: &Object = value.unchecked_ref();
        for key in Reflect::own_keys(obj).map_err(|_| bad())?.iter() {
            let Some(k) = key.as_string() else { continue };
            let v = Reflect::get(obj, &key).map_err(|_| bad())?;
            let v = if let Some(s) = v.as_string() {
                s
            } else if v.as_f64().is_some() {
                // As JS writes a number header (`String(n)`: 5, 1.5, 1e+21).
                let n: &js_sys::Number = v.unchecked_ref();
                n.to_string_with_radix(10).map_err(|_| bad())?.into()
            } else if v.is_undefined() || v.is_null() {
                continue;
            } else if Array::is_array(&v) {
                let mut parts = Vec::new();
                for part in v.unchecked_ref::<Array>().iter() {
                    let part = part.as_string().ok_or_else(bad)?;
                    text(&part)?;
                    parts.push(part);
                }
                join(&parts, ", ")
            } else {
                return Err(bad());
            };
            text(&k)?;
            text(&v)?;
            out.push((k.into(), v.into()));
            if out.len() > MAX_HEADERS {
                return Err(too_many(name));
            }
        }
    } else {
        return Err(bad());
    }
    Ok(Headers(out))
}

/// A shallow copy of an object's own properties without `skip`, read through `Reflect`
/// so that a throwing getter or proxy is `INVALID_INPUT` naming `name`, never a raw throw.
pub fn copy_without(src: &JsValue, skip: &str, name: &str) -> Result<Object> {
    let unreadable = || Error::invalid_input(name, "cannot be read");
    let copy = Object::new();
    let keys = Reflect::own_keys(src.unchecked_ref()).map_err(|_| unreadable())?;
    for key in keys.iter() {
        if key.as_string().as_deref() == Some(skip) {
            continue;
        }
        let value = Reflect::get(src, &key).map_err(|_| unreadable())?;
        Reflect::set(&copy, &key, &value).map_err(|_| unreadable())?;
    }
    Ok(copy)
}

thread_local! {
    /// The JS strings of the property and header names the boundary reads, made once each.
    static KEYS: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `f` given `key` as a JS string, made on its first use only: decoding a name from the
/// module's memory costs more than the property read it is for. The names are the
/// boundary's own (a few dozen), so a scan by address finds them.
pub fn with_key<T>(key: &'static str, f: impl FnOnce(&JsValue) -> T) -> T {
    let same = |k: &&str| k.as_ptr() == key.as_ptr() && k.len() == key.len();
    let cached = KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, js)) = keys.iter().find(|(k, _)| same(k)) {
            return js.clone();
        }
        let js = JsValue::from_str(key);
        keys.push((key, js.clone()));
        js
    });
    f(&cached)
}

/// A property of an options object (`undefined` when absent or not an object).
pub fn prop(obj: &JsValue, key: &'static str) -> JsValue {
    if obj.is_object() {
        get(obj, key)
    } else {
        JsValue::UNDEFINED
    }
}

/// A property of `obj`, known to be an object (`undefined` when absent or unreadable): one
/// call into the host, where [`prop`] makes two.
pub fn get(obj: &JsValue, key: &'static str) -> JsValue {
    with_key(key, |k| Reflect::get(obj, k)).unwrap_or(JsValue::UNDEFINED)
}

/// An optional function option.
pub fn opt_function(obj: &JsValue, key: &'static str) -> Result<Option<Function>> {
    let v = prop(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<Function>()
        .map(Some)
        .map_err(|_| Error::invalid_config(key, "must be a function"))
}

/// An optional number option: only a JS number ≥ 0 (infinity only when `allow_infinity`);
/// `null`, strings (`"300"`, `"Infinity"`), booleans, objects, NaN and negatives are
/// `INVALID_INPUT` naming it; only `undefined` means the default.
pub fn opt_number(obj: &JsValue, key: &'static str, allow_infinity: bool) -> Result<Option<f64>> {
    number_value(&prop(obj, key), key, allow_infinity)
}

/// [`opt_number`] of a property already read.
pub fn number_value(v: &JsValue, key: &str, allow_infinity: bool) -> Result<Option<f64>> {
    if v.is_undefined() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && (n.is_finite() || (allow_infinity && n.is_infinite())) => {
            Ok(Some(n))
        }
        _ => Err(Error::invalid_input(key, "must be a non-negative number")),
    }
}

/// An optional string option (`undefined`/`null` → `None`).
pub fn opt_string(obj: &JsValue, key: &'static str) -> Result<Option<String>> {
    let v = prop(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::invalid_input(key, "must be a string"))
}

/// An optional boolean option (`undefined`/`null` → `None`).
pub fn opt_bool(obj: &JsValue, key: &'static str) -> Result<Option<bool>> {
    let v = prop(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| Error::invalid_input(key, "must be a boolean or null"))
}
