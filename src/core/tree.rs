//! JSON text read without serde: [`parse`] gives a [`Tree`], every value in one vector, its
//! strings and numbers borrowed from the text wherever no escape had to be undone; [`Node`]s
//! walk it.
//!
//! It accepts exactly the texts `serde_json` accepts as a `Value`, and reads them into the
//! same values (this module's tests and the `responses` fuzz target compare the two), with
//! two differences that no parser here depends on:
//! - numbers stay as written (the text is validated, not converted): no float parsing or
//!   formatting is compiled in, which is most of what a JSON parser weighs in a small wasm
//!   module;
//! - a number within about one unit in its 17th digit of `f64::MAX` may be taken as in
//!   range where `serde_json` refuses it as out of range, or the other way round.
//!
//! `core::json::parse` reads through it. Nesting deeper than [`MAX_DEPTH`], or more than
//! `core::json::MAX_VALUES` values and keys, is no JSON.
//!
//! Every parser of a response runs through the reader and `Node`'s lookups: they are marked
//! to be compiled for speed in the wasm build (`lmsb_optimize`, src/lib.rs), which makes
//! AlphaLearn's `parseLogin` a tenth faster for 0.1 KB of gzip.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::core::json::{is_secret_key, scrub_text, JsonWriter, MAX_VALUES, REDACTED};
use crate::core::text::{parse_digits_u64, unsigned_decimal};

/// Deepest nesting of arrays and objects read (as `serde_json`, whose recursion limit of 128
/// stops at the 128th level).
pub const MAX_DEPTH: usize = 127;

/// Most values and keys one text may hold to be read (`core::json::MAX_VALUES`, keys
/// counted too).
const MAX_ITEMS: usize = MAX_VALUES;

/// A JSON text read into one vector, in document order: each array or object is followed by
/// its items (an object's members as a key, a string, then the value), and records where
/// they end. One allocation for the whole text, and one more for the strings that held
/// escapes (the items are plain values: nothing to drop one by one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree<'a> {
    items: Vec<Item<'a>>,
    owned: Vec<String>,
}

/// One value of a [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    /// A string without escapes, borrowed from the text.
    Str(&'a str),
    /// A string whose escapes were undone: the tree's `owned[index]`.
    Owned(usize),
    /// An array; its items run up to index `end` (exclusive).
    Array {
        end: usize,
    },
    /// An object; its keys and values run up to index `end` (exclusive).
    Object {
        end: usize,
    },
}

/// A value in a [`Tree`]: cheap to copy, borrowing the tree.
#[derive(Clone, Copy, Debug)]
pub struct Node<'t, 'a> {
    items: &'t [Item<'a>],
    owned: &'t [String],
    at: usize,
}

/// What a [`Node`] is, with its scalar value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind<'t, 'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (valid JSON number syntax).
    Number(&'a str),
    /// A string, unescaped.
    String(&'t str),
    /// An array.
    Array,
    /// An object.
    Object,
}

impl<'a> Tree<'a> {
    /// The top-level value.
    pub fn root(&self) -> Node<'_, 'a> {
        Node {
            items: &self.items,
            owned: &self.owned,
            at: 0,
        }
    }
}

impl<'t, 'a> Node<'t, 'a> {
    /// What this value is.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    pub fn kind(self) -> Kind<'t, 'a> {
        match self.items.get(self.at) {
            Some(Item::Bool(b)) => Kind::Bool(*b),
            Some(Item::Number(n)) => Kind::Number(n),
            Some(Item::Str(s)) => Kind::String(s),
            Some(Item::Owned(i)) => Kind::String(self.owned.get(*i).map_or("", String::as_str)),
            Some(Item::Array { .. }) => Kind::Array,
            Some(Item::Object { .. }) => Kind::Object,
            Some(Item::Null) | None => Kind::Null,
        }
    }

    /// The index after this value and everything in it.
    #[inline(always)]
    fn end(self) -> usize {
        match self.items.get(self.at) {
            Some(Item::Array { end } | Item::Object { end }) => *end,
            _ => self.at + 1,
        }
    }

    /// The value at `at` in the same tree.
    fn at(self, at: usize) -> Self {
        Node {
            items: self.items,
            owned: self.owned,
            at,
        }
    }

    /// An array's items; nothing for other values.
    pub fn items(self) -> impl Iterator<Item = Node<'t, 'a>> {
        let (mut next, end) = match self.items.get(self.at) {
            Some(Item::Array { end }) => (self.at + 1, *end),
            _ => (0, 0),
        };
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let item = self.at(next);
                next = item.end();
                item
            })
        })
    }

    /// An object's members in order, repeated keys included; nothing for other values.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    pub fn members(self) -> impl Iterator<Item = (&'t str, Node<'t, 'a>)> {
        let (mut next, end) = match self.items.get(self.at) {
            Some(Item::Object { end }) => (self.at + 1, *end),
            _ => (0, 0),
        };
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let key = self.at(next).as_str().unwrap_or_default();
            let value = self.at(next + 1);
            next = value.end();
            Some((key, value))
        })
    }

    /// The member `key` of an object (its last occurrence, as a `serde_json` map holds a
    /// repeated key); `None` for other values.
    pub fn get(self, key: &str) -> Option<Node<'t, 'a>> {
        let [found] = self.pick([key]);
        found
    }

    /// The members `keys` of an object (each one's last occurrence), in one pass over it;
    /// all `None` for other values. The keys are distinct (a repeated one is found in its
    /// first slot only).
    pub fn pick<const N: usize>(self, keys: [&str; N]) -> [Option<Node<'t, 'a>>; N] {
        let mut found = [None; N];
        self.pick_into(&keys, &mut found);
        found
    }

    /// [`pick`](Self::pick) into `found` (one copy of the loop for every `N`).
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn pick_into(self, keys: &[&str], found: &mut [Option<Node<'t, 'a>>]) {
        let Some(Item::Object { end }) = self.items.get(self.at) else {
            return;
        };
        let mut next = self.at + 1;
        // Bodies mostly hold the keys in the order asked for: the key after the last one
        // found is tried first, the others after it.
        let mut expected = 0;
        while next < *end {
            let value = self.at(next + 1);
            if let Some(k) = self.at(next).as_str() {
                let is = |key: &&str| k.len() == key.len() && k.as_bytes() == key.as_bytes();
                let slot = match keys.get(expected) {
                    Some(key) if is(key) => Some(expected),
                    _ => keys.iter().position(is),
                };
                if let Some(i) = slot {
                    if let Some(cell) = found.get_mut(i) {
                        *cell = Some(value);
                    }
                    expected = i + 1;
                }
            }
            next = value.end();
        }
    }

    /// Whether this is an object.
    pub fn is_object(self) -> bool {
        self.kind() == Kind::Object
    }

    /// The string, when this is one.
    #[inline(always)]
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    pub fn as_str(self) -> Option<&'t str> {
        match self.items.get(self.at) {
            Some(Item::Str(s)) => Some(s),
            Some(Item::Owned(i)) => self.owned.get(*i).map(String::as_str),
            _ => None,
        }
    }

    /// The string, as borrowed from the text where it could be, when this is one.
    pub fn as_cow(self) -> Option<Cow<'a, str>> {
        match self.items.get(self.at) {
            Some(Item::Str(s)) => Some(Cow::Borrowed(s)),
            Some(Item::Owned(i)) => self.owned.get(*i).map(|s| Cow::Owned(s.clone())),
            _ => None,
        }
    }

    /// The number as a `u64`, when it is written as a non-negative integer (no fraction,
    /// no exponent) that fits: what `serde_json::Value::as_u64` gives for the same text.
    pub fn as_u64(self) -> Option<u64> {
        match self.kind() {
            Kind::Number(n) => parse_digits_u64(n),
            _ => None,
        }
    }

    /// An id as the parsers' `Value` path reads one (`string_or_number`, then empty as none):
    /// a string as it is, an integer written in digits as its digits; `Some(None)` for
    /// `null` and `""`. `None` for any other value (another number, a boolean, …), which
    /// that path may read otherwise: a typed read then leaves the body to it.
    pub fn id_text(self) -> Option<Option<String>> {
        match self.kind() {
            Kind::Null | Kind::String("") => Some(None),
            Kind::String(s) => Some(Some(s.to_owned())),
            Kind::Number(_) => self.as_u64().map(|n| Some(unsigned_decimal(n))),
            _ => None,
        }
    }

    /// The strings of a call's argument (this value) that an error must not contain, added to
    /// `out`: a bare string argument (a token, an id) and, at any depth, the strings under
    /// secret-named keys ([`is_secret_key`]).
    pub fn sensitive_strings(self, out: &mut Vec<String>) {
        fn walk(node: Node<'_, '_>, secret: bool, out: &mut Vec<String>) {
            match node.kind() {
                Kind::String(s) if secret => out.push(s.to_owned()),
                Kind::Array => node.items().for_each(|item| walk(item, secret, out)),
                Kind::Object => node.members().for_each(|(k, v)| {
                    walk(v, secret || crate::core::json::is_secret_key(k), out);
                }),
                _ => {}
            }
        }
        walk(self, self.as_str().is_some(), out);
    }

    /// Writes this value as compact JSON, members in order (a repeated key too: `JSON.parse`
    /// and `serde_json` both keep its last value, at its first place), numbers as written,
    /// every string value through `string`, and when `redact`, the value of every
    /// secret-named key ([`is_secret_key`]) at any depth
    /// as [`REDACTED`].
    pub fn write_json(self, out: &mut JsonWriter, redact: bool, string: &dyn Fn(&str) -> String) {
        match self.kind() {
            Kind::Null => out.raw_text("null"),
            Kind::Bool(b) => out.raw_text(if b { "true" } else { "false" }),
            Kind::Number(n) => out.raw_text(n),
            Kind::String(s) => out.text(&string(s)),
            Kind::Array => {
                out.begin_array();
                for item in self.items() {
                    out.separator();
                    item.write_json(out, redact, string);
                }
                out.end_array();
            }
            Kind::Object => {
                out.begin();
                for (key, value) in self.members() {
                    out.member(key);
                    if redact && is_secret_key(key) {
                        out.text(REDACTED);
                    } else {
                        value.write_json(out, redact, string);
                    }
                }
                out.end();
            }
        }
    }

    /// The same value as a `serde_json::Value` (numbers read as `serde_json` reads them,
    /// [`crate::core::number`]; one outside its range becomes `null`).
    pub fn to_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self.kind() {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Number(n) => crate::core::number::read(n).map_or(Value::Null, Value::Number),
            Kind::String(s) => Value::String(s.to_owned()),
            Kind::Array => Value::Array(self.items().map(Node::to_value).collect()),
            Kind::Object => Value::Object(
                self.members()
                    .map(|(k, v)| (k.to_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

/// `json` written again by [`Node::write_json`] with every string scrubbed of `secrets`
/// ([`scrub_text`]) and, when `redact`, secret-named keys redacted; `None` when `json` is not
/// JSON. What an error's details (JSON text) go through before they are shown.
pub fn rewrite(json: &str, redact: bool, secrets: &[&str]) -> Option<String> {
    let tree = parse(json.as_bytes())?;
    let mut out = JsonWriter::with_capacity(json.len());
    tree.root()
        .write_json(&mut out, redact, &|s| scrub_text(s, secrets));
    Some(out.finish())
}

/// `bytes` read as one JSON value (whitespace around it allowed), or `None` when they are
/// not JSON, not UTF-8, or beyond the limits.
pub fn parse(bytes: &[u8]) -> Option<Tree<'_>> {
    parse_str(std::str::from_utf8(bytes).ok()?)
}

/// [`parse`] of a text already known to be UTF-8 (checked once, where the caller keeps the
/// text too).
#[cfg_attr(lmsb_optimize, optimize(speed))]
pub fn parse_str(text: &str) -> Option<Tree<'_>> {
    let mut r = Reader {
        text,
        at: 0,
        depth: 0,
        items: Vec::with_capacity((text.len() / 8).clamp(4, 1024)),
        owned: Vec::new(),
    };
    r.value()?;
    r.space();
    (r.at == text.len()).then_some(Tree {
        items: r.items,
        owned: r.owned,
    })
}

/// A position in the text being read, and what was read so far.
struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    items: Vec<Item<'a>>,
    owned: Vec<String>,
}

impl<'a> Reader<'a> {
    /// The byte at the position, if any.
    #[inline(always)]
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The byte at the position, moving past it.
    #[inline(always)]
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    /// Skips JSON whitespace.
    #[inline(always)]
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Moves past `word` when the text continues with it.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn word(&mut self, word: &str) -> Option<()> {
        let rest = self.text.get(self.at..)?;
        rest.starts_with(word).then(|| self.at += word.len())
    }

    /// One value, after optional whitespace, appended to the items.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn value(&mut self) -> Option<()> {
        self.space();
        if self.items.len() >= MAX_ITEMS {
            return None;
        }
        let item = match self.peek()? {
            b'n' => self.word("null").map(|()| Item::Null)?,
            b't' => self.word("true").map(|()| Item::Bool(true))?,
            b'f' => self.word("false").map(|()| Item::Bool(false))?,
            b'"' => self.string()?,
            b'[' => return self.nested(false),
            b'{' => return self.nested(true),
            _ => Item::Number(self.number()?),
        };
        self.items.push(item);
        Some(())
    }

    /// An object, or an array, one level deeper: its item, then its contents, then where
    /// they end.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn nested(&mut self, object: bool) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        let at = self.items.len();
        self.items.push(Item::Null);
        if object {
            self.members()?;
        } else {
            self.array()?;
        }
        let end = self.items.len();
        let item = self.items.get_mut(at)?;
        *item = if object {
            Item::Object { end }
        } else {
            Item::Array { end }
        };
        self.depth -= 1;
        Some(())
    }

    /// The items of an array, after its `[`.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn array(&mut self) -> Option<()> {
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Some(());
        }
        loop {
            self.value()?;
            self.space();
            match self.next()? {
                b',' => {}
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// The members of an object, after its `{`, as key and value items.
    fn members(&mut self) -> Option<()> {
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(());
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return None;
            }
            let key = self.string()?;
            self.items.push(key);
            self.space();
            if self.next()? != b':' {
                return None;
            }
            self.value()?;
            self.space();
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// A string, at its opening quote: borrowed when it holds no escape, else unescaped
    /// into the tree's owned strings.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn string(&mut self) -> Option<Item<'a>> {
        self.at += 1;
        let mut owned: Option<String> = None;
        loop {
            // The run up to the next quote, backslash or control character.
            let start = self.at;
            let rest = self.text.as_bytes().get(start..)?;
            let len = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
            let end = start + len;
            let stop = *rest.get(len)?;
            let run = self.text.get(start..end)?;
            self.at = end + 1;
            match stop {
                b'"' => {
                    return Some(match owned {
                        None => Item::Str(run),
                        Some(mut s) => {
                            s.push_str(run);
                            self.owned.push(s);
                            Item::Owned(self.owned.len() - 1)
                        }
                    })
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(run);
                    let c = self.escape()?;
                    s.push(c);
                }
                _ => return None,
            }
        }
    }

    /// The character an escape stands for, after its `\`.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xD800..=0xDBFF => {
                        self.word("\\u")?;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return None;
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return None,
                    c => c,
                };
                char::from_u32(code)?
            }
            _ => return None,
        })
    }

    /// Four hex digits.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = u32::from(crate::core::text::hex_digit(self.next()?)?);
            n = n * 16 + d;
        }
        Some(n)
    }

    /// Moves past a run of ASCII digits; how many.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, in `f64`'s range.
    #[cfg_attr(lmsb_optimize, optimize(speed))]
    fn number(&mut self) -> Option<&'a str> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        let int_end = self.at;
        let mut frac = "";
        if self.peek() == Some(b'.') {
            self.at += 1;
            let from = self.at;
            if self.digits() == 0 {
                return None;
            }
            frac = self.text.get(from..self.at)?;
        }
        let mut exp: i64 = 0;
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            let negative = match self.peek() {
                Some(b'-') => {
                    self.at += 1;
                    true
                }
                Some(b'+') => {
                    self.at += 1;
                    false
                }
                _ => false,
            };
            let from = self.at;
            if self.digits() == 0 {
                return None;
            }
            let digits = self.text.get(from..self.at)?;
            exp = digits
                .bytes()
                .fold(0i64, |n, b| {
                    n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
                })
                .min(1 << 40);
            if negative {
                exp = -exp;
            }
        }
        let int = self.text.get(int_start..int_end)?;
        in_range(int, frac, exp).then(|| self.text.get(start..self.at))?
    }
}

/// Whether `int.frac × 10^exp` is below `f64::MAX` (to about one unit in the 17th digit).
#[cfg_attr(lmsb_optimize, optimize(speed))]
fn in_range(int: &str, frac: &str, exp: i64) -> bool {
    // The significant digits, and the power of ten of the first one.
    let (high, low, first_power) = if int != "0" {
        (int, frac, int.len() as i64 - 1)
    } else {
        let zeros = frac.bytes().take_while(|b| *b == b'0').count();
        if zeros == frac.len() {
            return true; // zero
        }
        ("", frac.get(zeros..).unwrap_or(""), -(zeros as i64) - 1)
    };
    let mut digits = high.bytes().chain(low.bytes());
    match first_power.saturating_add(exp).cmp(&308) {
        Ordering::Less => true,
        Ordering::Greater => false,
        // f64::MAX is 1.7976931348623157e308; from 1.79769313486231580…e308 on, a number
        // rounds to infinity.
        Ordering::Equal => {
            for want in b"179769313486231580" {
                match digits.next() {
                    Some(d) if d != *want => return d < *want,
                    Some(_) => {}
                    None => return true,
                }
            }
            digits.all(|d| d == b'0')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// What `serde_json` reads from `bytes` (as `Value`'s `FromStr`).
    fn serde(bytes: &[u8]) -> Option<Value> {
        std::str::from_utf8(bytes).ok()?.parse().ok()
    }

    /// Whether the two readers agree on `bytes`, and (read by `serde_json`) what
    /// [`rewrite`] writes of it is the same value, or that value redacted.
    fn agree(bytes: &[u8]) -> bool {
        let value = serde(bytes);
        let written = |redact| {
            let text = std::str::from_utf8(bytes).ok()?;
            serde(rewrite(text, redact, &[])?.as_bytes())
        };
        parse(bytes).map(|t| t.root().to_value()) == value
            && written(false) == value
            && written(true) == value.as_ref().map(crate::core::json::redact)
    }

    #[test]
    fn rewrite_scrubs_strings_and_redacts_secret_keys() {
        let text = r#"{"a":"x s3cret y","apiKey":{"b":1},"c":[{"token":null},"s3cret"],"s3cret":-0.50E+1}"#;
        assert_eq!(
            rewrite(text, true, &["s3cret"]).as_deref(),
            Some(
                r#"{"a":"x [redacted] y","apiKey":"[redacted]","c":[{"token":"[redacted]"},"[redacted]"],"s3cret":-0.50E+1}"#
            )
        );
        assert_eq!(rewrite(text, false, &[]).as_deref(), Some(text),);
        assert_eq!(rewrite("[1,", false, &[]), None);
    }

    const CORPUS: &[&str] = &[
        r#"{"success":true,"data":{"response":{"acknowledgement":"Success","error":{"code":"","internal_message":"","moreInfo":[]},"data":{"user":{"id":"101","firstName":"Ada"},"token":"a.b.c","refresh-token":"r"}}}}"#,
        r#"{"a":1,"a":2,"b":[1,-0,0.5,1e3,1E-3,-12.5e+2,18446744073709551615,18446744073709551616,-9223372036854775808]}"#,
        r#"  [ null , true , false , "" , {} , [] ]  "#,
        r#""esc \" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac \ud83d\ude00""#,
        r#"{"k\u0000y":"v","":"","é":"ü"}"#,
        "123",
        "-0.0e-0",
        "1e-400",
        "0.000001e-300",
        "[1.5,2.25,3.125]",
    ];

    #[test]
    fn reads_what_serde_json_reads() {
        for text in CORPUS.iter().chain(&[
            "1e308",
            "1.7976931348623157e308",
            "-1.79769313486231579e308",
        ]) {
            assert!(parse(text.as_bytes()).is_some(), "{text}");
            assert!(agree(text.as_bytes()), "{text}");
        }
        for text in [
            "",
            " ",
            "nul",
            "tru",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\nb\"",
            "\"a",
            "[",
            "{",
            "1 2",
            "NaN",
            "Infinity",
            "1e309",
            "-1e309",
            "2e308",
            "1.8e308",
            "123456789e300",
            "\u{feff}1",
            "[\"\\u0000\"]",
            "{\"a\":1}x",
            "\"\u{7f}\"",
        ] {
            assert!(agree(text.as_bytes()), "{text:?}");
        }
        assert!(agree(b"\"\xff\""));
        assert!(agree(b"[\"\xc3\xa9\"]"));
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for depth in [1, 100, 126, 127, 128, 129, 200] {
            let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            assert!(agree(arrays.as_bytes()), "{depth}");
            assert!(agree(objects.as_bytes()), "{depth}");
        }
    }

    #[test]
    fn mutated_texts_are_read_alike() {
        // A deterministic stream of edits (replace, insert, delete, truncate) of the corpus.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let alphabet = b"{}[]\",:\\/ 0123456789.eE+-tfnulrsaubx\x00\xc3\xa9\x7f\n";
        let mut checked = 0;
        for text in CORPUS {
            for _ in 0..4000 {
                let mut bytes = text.as_bytes().to_vec();
                for _ in 0..1 + next(3) {
                    let at = next(bytes.len() + 1);
                    let b = alphabet[next(alphabet.len())];
                    match next(4) {
                        0 if at < bytes.len() => bytes[at] = b,
                        1 => bytes.insert(at, b),
                        2 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        _ => bytes.truncate(at),
                    }
                }
                assert!(agree(&bytes), "{:?}", String::from_utf8_lossy(&bytes));
                checked += 1;
            }
        }
        assert_eq!(checked, CORPUS.len() * 4000);
    }

    #[test]
    fn objects_read_the_last_of_a_repeated_key() {
        let tree =
            parse(br#"{"a":1,"b":{"c":"x\"y","d":[1,[2,{}],3]},"a":"two","e":null}"#).unwrap();
        let node = tree.root();
        assert_eq!(node.get("a").map(Node::kind), Some(Kind::String("two")));
        let b = node.get("b").unwrap();
        assert_eq!(b.get("c").and_then(Node::as_str), Some("x\"y"));
        let d: Vec<_> = b.get("d").unwrap().items().map(Node::kind).collect();
        assert_eq!(d, [Kind::Number("1"), Kind::Array, Kind::Number("3")]);
        let keys: Vec<_> = node.members().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b", "a", "e"]);
        assert_eq!(node.get("e").map(Node::kind), Some(Kind::Null));
        assert!(node.get("z").is_none());
        assert!(node.is_object() && !b.get("d").unwrap().is_object());
        // Not an object or array: no members, no items.
        let one = parse(b"1").unwrap();
        assert!(one.root().get("a").is_none());
        assert_eq!(one.root().members().count() + one.root().items().count(), 0);
    }

    #[test]
    fn ids_read_as_the_value_path_reads_them() {
        let read = |t: &str| parse(t.as_bytes()).and_then(|t| t.root().id_text());
        assert_eq!(read(r#""u-1""#), Some(Some("u-1".to_owned())));
        assert_eq!(
            read("18446744073709551615"),
            Some(Some(u64::MAX.to_string()))
        );
        for none in ["null", r#""""#] {
            assert_eq!(read(none), Some(None), "{none}");
        }
        for left in [
            "-5",
            "1.5",
            "1e3",
            "18446744073709551616",
            "true",
            "{}",
            "[]",
        ] {
            assert_eq!(read(left), None, "{left}");
        }
    }

    #[test]
    fn pick_finds_each_keys_last_occurrence_in_any_order() {
        let text = r#"{"c":1,"a":2,"x":{"a":9},"b":3,"a":4,"c":5}"#;
        let tree = parse(text.as_bytes()).unwrap();
        let number = |n: Option<Node<'_, '_>>| n.and_then(Node::as_u64);
        for keys in [["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"]] {
            let found = tree.root().pick(keys).map(number);
            let want = keys.map(|k| match k {
                "a" => Some(4),
                "b" => Some(3),
                _ => Some(5),
            });
            assert_eq!(found, want, "{keys:?}");
        }
        assert_eq!(
            tree.root().pick(["z", "x"]).map(|n| n.is_some()),
            [false, true]
        );
        // The same as a serde map holds, key by key.
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
        for key in ["a", "b", "c", "x", "z"] {
            let picked = tree.root().get(key).map(|n| n.to_value());
            assert_eq!(picked.as_ref(), map.get(key), "{key}");
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let tree = parse(br#"["plain","esc\n"]"#).unwrap();
        let items: Vec<_> = tree.root().items().map(|n| n.as_cow().unwrap()).collect();
        assert!(matches!(&items[0], Cow::Borrowed("plain")));
        assert!(matches!(&items[1], Cow::Owned(s) if s == "esc\n"));
    }

    #[test]
    fn integers_as_u64() {
        let read = |t: &str| parse(t.as_bytes()).and_then(|t| t.root().as_u64());
        for (text, want) in [
            ("0", Some(0)),
            ("101", Some(101)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("-1", None),
            ("-0", None),
            ("1.0", None),
            ("1e2", None),
            ("\"7\"", None),
        ] {
            assert_eq!(read(text), want, "{text}");
            let serde = serde(text.as_bytes()).and_then(|v| v.as_u64());
            assert_eq!(read(text), serde, "{text}");
        }
        assert_eq!(parse_digits_u64(""), None);
        assert_eq!(parse_digits_u64("12a"), None);
    }
}
