//! Reading caller input (a JSON value converted from a JS object) with messages that name
//! the field and never echo its value (it may be a password).

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::core::text::{concat, decimal};
use crate::error::{Error, Result};

/// The fields of one input object as a builder reads them, whichever way the host handed the
/// object over: a JSON value ([`Fields`]) or the lean boundary's arguments. Same rules and
/// messages either way: absent and `null`/`undefined` read as `None`; a present field of
/// the wrong type is `INVALID_INPUT` naming it, never echoing its value.
pub trait Input<'a> {
    /// An optional string.
    fn opt_str(&self, key: &str) -> Result<Option<&'a str>>;

    /// An optional boolean.
    fn opt_bool(&self, key: &str) -> Result<Option<bool>>;

    /// An optional string or finite number, as a string (numbers as
    /// [`number_to_string`] writes them).
    fn opt_str_or_num(&self, key: &str) -> Result<Option<Cow<'a, str>>>;

    /// Whether a field is present (neither absent nor `null`/`undefined`), whatever its type.
    fn has(&self, key: &str) -> bool;

    /// An optional object nested in this one, read as its own fields, which messages name
    /// `key.field` (one level: an object of the input itself).
    fn opt_object(&self, key: &'a str) -> Result<Option<Box<dyn Input<'a> + 'a>>>;

    /// A required non-empty string.
    fn non_empty(&self, key: &str) -> Result<&'a str> {
        match self.opt_str(key)? {
            None => Err(Error::invalid_input(key, "is required")),
            Some("") => Err(Error::invalid_input(key, "must not be empty")),
            Some(s) => Ok(s),
        }
    }

    /// An optional string that must not be empty when given.
    fn opt_non_empty(&self, key: &str) -> Result<Option<&'a str>> {
        match self.opt_str(key)? {
            Some("") => Err(Error::invalid_input(key, "must not be empty")),
            other => Ok(other),
        }
    }
}

impl<'a> Input<'a> for Fields<'a> {
    fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        Fields::opt_str(self, key)
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        Fields::opt_bool(self, key)
    }

    fn opt_str_or_num(&self, key: &str) -> Result<Option<Cow<'a, str>>> {
        Fields::opt_str_or_num(self, key)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn opt_object(&self, key: &'a str) -> Result<Option<Box<dyn Input<'a> + 'a>>> {
        let object = Fields::opt_object(self, key)?;
        Ok(object.map(|o| Box::new(o) as Box<dyn Input<'a>>))
    }

    fn non_empty(&self, key: &str) -> Result<&'a str> {
        Fields::non_empty(self, key)
    }

    fn opt_non_empty(&self, key: &str) -> Result<Option<&'a str>> {
        Fields::opt_non_empty(self, key)
    }
}

/// A view of an input object with typed, validating getters. Absent and `null`/`undefined`
/// fields read as `None`; a present field of the wrong type is `INVALID_INPUT`.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: &'a str,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Fields<'a> {
    /// Reads `value` as an object; `name` is used in error messages.
    pub fn new(value: &'a Value, name: &'a str) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Self { map, prefix: "" }),
            _ => Err(Error::invalid_input(name, "must be an object")),
        }
    }

    /// Like [`Fields::new`], but `undefined`/`null` read as an empty object (optional options).
    pub fn optional(value: &'a Value, name: &'a str) -> Result<Self> {
        match value {
            Value::Null => Ok(Self {
                map: EMPTY.get_or_init(Map::new),
                prefix: "",
            }),
            _ => Self::new(value, name),
        }
    }

    fn field_name(&self, key: &str) -> String {
        field_name(self.prefix, key)
    }

    fn err(&self, key: &str, must: &str) -> Error {
        Error::invalid_input(&self.field_name(key), must)
    }

    /// The raw value of a present, non-null field.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        crate::core::json::get(self.map, key).filter(|v| !v.is_null())
    }

    /// An optional string.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(key, "must be a string")),
        }
    }

    /// A required string (may be empty).
    pub fn str(&self, key: &str) -> Result<&'a str> {
        self.opt_str(key)?
            .ok_or_else(|| self.err(key, "is required"))
    }

    /// A required non-empty string.
    pub fn non_empty(&self, key: &str) -> Result<&'a str> {
        let s = self.str(key)?;
        if s.is_empty() {
            return Err(self.err(key, "must not be empty"));
        }
        Ok(s)
    }

    /// An optional string that must not be empty when given.
    pub fn opt_non_empty(&self, key: &str) -> Result<Option<&'a str>> {
        match self.opt_str(key)? {
            Some("") => Err(self.err(key, "must not be empty")),
            other => Ok(other),
        }
    }

    /// An optional string or finite number, as a string (numbers in decimal; a string is
    /// borrowed).
    pub fn opt_str_or_num(&self, key: &str) -> Result<Option<Cow<'a, str>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(Cow::Borrowed(s))),
            Some(Value::Number(n)) => Ok(Some(Cow::Owned(number_to_string(n)))),
            Some(_) => Err(self.err(key, "must be a string or a number")),
        }
    }

    /// An optional boolean.
    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.err(key, "must be a boolean")),
        }
    }

    /// An optional non-negative finite number.
    pub fn opt_non_negative(&self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(f) if f.is_finite() && f >= 0.0 => Ok(Some(f)),
                _ => Err(self.err(key, "must be a non-negative number")),
            },
            Some(_) => Err(self.err(key, "must be a non-negative number")),
        }
    }

    /// An optional nested object, read with the field path as prefix.
    pub fn opt_object(&self, key: &'a str) -> Result<Option<Fields<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Fields { map, prefix: key })),
            Some(_) => Err(self.err(key, "must be an object")),
        }
    }

    /// The underlying map.
    pub fn map(&self) -> &'a Map<String, Value> {
        self.map
    }
}

/// How messages name field `key` of an input's object nested at `prefix` (`""`: the input's
/// own field): `organization.id`.
pub(crate) fn field_name(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        concat(&[prefix, ".", key])
    }
}

/// A JSON number in the decimal form JS would print for integers (`42`, not `42.0`).
pub fn number_to_string(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return decimal(i);
    }
    match n.as_f64() {
        // Exact below 2^53; integer formatting, not float formatting with a precision
        // (which goes through core's slow exact float printing).
        Some(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => decimal(f as i64),
        // Shortest round-trip digits, as `Display` writes them, by serde_json's own writer.
        _ => serde_json::to_string(n).unwrap_or_default(),
    }
}

/// Validates an e-mail address loosely: contains `@` with text on both sides, no
/// whitespace or control characters, at most 254 characters.
pub fn check_email(field: &str, email: &str) -> Result<()> {
    let ok = email.len() <= 254
        && !crate::core::text::has_control(email, true)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(field, "must be an e-mail address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn typed_getters_name_the_field_and_hide_the_value() {
        let v = json!({"a": "x", "n": 42, "b": true, "o": {"id": 7}, "z": null, "p": 12});
        let f = Fields::new(&v, "input").unwrap();
        assert_eq!(f.str("a").unwrap(), "x");
        assert_eq!(f.opt_str("z").unwrap(), None);
        assert_eq!(f.opt_str_or_num("n").unwrap().as_deref(), Some("42"));
        assert_eq!(f.opt_bool("b").unwrap(), Some(true));
        let o = f.opt_object("o").unwrap().unwrap();
        let e = o.str("id").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert_eq!(e.message, "`o.id` must be a string");
        let e = f.str("p").unwrap_err();
        assert!(!e.message.contains("12"));
        assert_eq!(
            f.str("missing").unwrap_err().message,
            "`missing` is required"
        );
        assert!(Fields::new(&json!([1]), "input").is_err());
        assert!(Fields::optional(&Value::Null, "opts")
            .unwrap()
            .get("x")
            .is_none());
    }

    #[test]
    fn emails() {
        assert!(check_email("email", "a@b.c").is_ok());
        assert!(check_email("email", "jos\u{e9}@b.c").is_ok());
        for bad in [
            "",
            "ab",
            "@b",
            "a@",
            "a b@c",
            "a@b\n",
            "a\t@b",
            "a\u{7f}@b",
            "a\u{0}@b",
            // Not ASCII: Unicode's whitespace and controls.
            "jos\u{e9}\u{a0}@b",
            "jos\u{e9}@b\u{2028}",
            "jos\u{e9}\u{85}@b",
            &format!("{}@b", "a".repeat(260)),
        ] {
            assert!(check_email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_print_as_js_prints_integers() {
        let cases = [
            ("42", "42"),
            ("-7", "-7"),
            ("7.0", "7"),
            ("1e3", "1000"),
            ("-0.0", "0"),
            ("1.5", "1.5"),
            ("9007199254740993", "9007199254740993"),
            ("18446744073709551615", "18446744073709551615"),
        ];
        for (text, printed) in cases {
            let n: serde_json::Number = serde_json::from_str(text).unwrap();
            assert_eq!(number_to_string(&n), printed, "{text}");
        }
        // Other numbers as `Display` prints them (written here without `core::fmt`).
        for text in [
            "0.1",
            "-2.5e-7",
            "1e300",
            "123456.789",
            "9007199254740993.5",
            "-1e16",
        ] {
            let n: serde_json::Number = serde_json::from_str(text).unwrap();
            assert_eq!(number_to_string(&n), n.to_string(), "{text}");
        }
    }
}
