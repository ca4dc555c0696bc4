//! The text encodings of signatures: standard base64 (Standard Webhooks), base64url without
//! padding (signed URLs, JWT segments) and hex (Stripe, GitHub).
//!
//! The general encoders and decoders run in constant time for the bytes' values, as
//! RustCrypto's `base64ct`/`base16ct` (which they replaced: 2 KB less code in the signing
//! module) do: no lookup table indexed by a byte of the data and no branch on one; a character's
//! value comes from arithmetic on masks. They serve secrets (a `whsec_` key is decoded by
//! them). Received MACs, which are not secret, are decoded faster by table
//! ([`b64_decode_32`], [`hex_decode_32`]).

/// Standard base64 with padding.
pub fn b64_encode(bytes: &[u8]) -> String {
    encode(bytes, false, true)
}

/// Standard base64, padding optional. `None` when not base64.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    decode(without_padding(text)?.as_bytes(), false)
}

/// `bytes` in base64 (base64url when `url`), with `=` padding when `pad`.
fn encode(bytes: &[u8], url: bool, pad: bool) -> String {
    let mut text = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let [a, b, c] = match *group {
            [a, b, c] => [a, b, c],
            [a, b] => [a, b, 0],
            [a] => [a, 0, 0],
            _ => [0; 3],
        };
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        // A group of k bytes is k + 1 characters.
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= group.len() {
                text.push(char_of((n >> shift) as u8 & 0x3f, url));
            } else if pad {
                text.push(b'=');
            }
        }
    }
    String::from_utf8(text).unwrap_or_default()
}

/// The base64 (or base64url) character of a 6-bit value, branch-free: `A`-`Z` from 0,
/// `a`-`z` from 26 (+6), `0`-`9` from 52 (−75), then `+`/`-` and `/`/`_`.
fn char_of(sextet: u8, url: bool) -> u8 {
    let s = i16::from(sextet);
    let above = |n: i16| (n - s) >> 8; // −1 when s > n, else 0
    let (plus, slash) = if url { (-13, 49) } else { (-15, 3) };
    let c = s + 65 + (above(25) & 6) - (above(51) & 75) + (above(61) & plus) + (above(62) & slash);
    c as u8
}

/// The value of a base64 (or base64url) character, branch-free; −1 for any other byte.
fn value_of(c: u8, url: bool) -> i16 {
    let c = i16::from(c);
    // −1 when lo <= c <= hi, else 0.
    let within = |lo: i16, hi: i16| ((lo - 1 - c) & (c - hi - 1)) >> 8;
    let (plus, slash) = if url { (b'-', b'_') } else { (b'+', b'/') };
    let (plus, slash) = (i16::from(plus), i16::from(slash));
    -1 + (within(65, 90) & (c - 64))
        + (within(97, 122) & (c - 70))
        + (within(48, 57) & (c + 5))
        + (within(plus, plus) & 63)
        + (within(slash, slash) & 64)
}

/// Unpadded base64 (base64url when `url`). `None` when a character is not base64, when the
/// length leaves a lone character, or when the last character carries bits past the data
/// (a non-canonical encoding).
fn decode(text: &[u8], url: bool) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut invalid, mut held, mut bits) = (0i16, 0u32, 0u32);
    for &c in text {
        let v = value_of(c, url);
        invalid |= v;
        held = (held << 6) | (v as u32 & 0x3f);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((held >> bits) as u8);
            held &= (1 << bits) - 1;
        }
    }
    (invalid >= 0 && held == 0).then_some(out)
}

/// `text` without its padding, if that padding is valid: none, or up to the `=` that
/// complete its last group of four (fewer is fine). Other `=` are left for the decoder,
/// which refuses them.
fn without_padding(text: &str) -> Option<&str> {
    let mut end = text.len();
    while end > 0 && text.as_bytes().get(end - 1) == Some(&b'=') {
        end -= 1;
    }
    let pads = text.len() - end;
    let data = text.get(..end)?;
    // The last group (1 to 4 characters) needs two data characters before any `=`.
    let last_group = (text.len() + 3) % 4 + 1;
    (pads == 0 || pads + 2 <= last_group).then_some(data)
}

/// A 32-byte MAC in standard base64 (padding optional), decoded without allocating.
/// `None` when not base64 or not 32 bytes. (A received tag is not secret: decoding it may
/// take data-dependent time, which keeps it several times faster than `base64ct`.)
pub fn b64_decode_32(text: &str) -> Option<[u8; 32]> {
    decode_32(text.strip_suffix("=").unwrap_or(text), false)
}

/// A 32-byte MAC in base64url without padding (a signed URL's `sig`), decoded as
/// [`b64_decode_32`] decodes standard base64. `None` when not 43 base64url characters.
pub fn b64url_decode_32(text: &str) -> Option<[u8; 32]> {
    decode_32(text, true)
}

/// 43 characters of standard base64 (or of base64url, `url`) as the 32 bytes they encode:
/// 258 bits, of which the last 2 must be zero.
fn decode_32(text: &str, url: bool) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 43 {
        return None;
    }
    let mut out = [0u8; 32];
    let (mut bits, mut held) = (0u32, 0u32);
    let mut bytes = out.iter_mut();
    for &c in digits {
        let c = if url { standard_char(c)? } else { c };
        held = (held << 6) | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            *bytes.next()? = (held >> bits) as u8;
            held &= (1 << bits) - 1;
        }
    }
    (held == 0).then_some(out)
}

/// The value of one standard base64 character.
fn sextet(c: u8) -> Option<u8> {
    SEXTETS
        .get(usize::from(c))
        .copied()
        .filter(|&v| v != INVALID)
}

/// A byte that is no base64 character, in [`SEXTETS`].
const INVALID: u8 = 0xFF;

/// Each byte's value as a standard base64 character ([`INVALID`] for the others): one load
/// per character instead of a chain of range tests. (Built at compile time, where an index
/// out of bounds is a compile error.)
#[allow(clippy::indexing_slicing)]
const SEXTETS: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The standard base64 alphabet, in order.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A 32-byte MAC in hex (either case). `None` when not 64 hex digits. (A received tag is
/// not secret: decoding it may take data-dependent time.)
pub fn hex_decode_32(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *byte = (hex_value(*hi)? << 4) | hex_value(*lo)?;
    }
    Some(out)
}

/// One hex digit's value by [`HEX_VALUES`].
fn hex_value(c: u8) -> Option<u8> {
    HEX_VALUES.get(usize::from(c)).copied().filter(|v| *v < 16)
}

/// Each byte's value as a hex digit, 0xFF for the bytes that are not one: a table lookup per
/// digit instead of a call and three range tests (GitHub's and the hex schemes' tags are
/// decoded on every verification).
const HEX_VALUES: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut c = 0;
    while c < 256 {
        if let Some(v) = crate::core::text::hex_digit(c as u8) {
            // `c < 256` = the table's length.
            #[allow(clippy::indexing_slicing)]
            {
                table[c] = v;
            }
        }
        c += 1;
    }
    table
};

/// base64url without padding.
pub fn b64url_encode(bytes: &[u8]) -> String {
    encode(bytes, true, false)
}

/// base64url, padding optional (JWT segments). `None` when not base64url.
pub fn b64url_decode_padding_optional(text: &str) -> Option<Vec<u8>> {
    decode(without_padding(text)?.as_bytes(), true)
}

/// One byte of base64url text as the standard alphabet writes it (`-` → `+`, `_` → `/`,
/// every other byte kept); `None` for `+` and `/`, which base64url does not have.
fn standard_char(c: u8) -> Option<u8> {
    match c {
        b'+' | b'/' => None,
        b'-' => Some(b'+'),
        b'_' => Some(b'/'),
        c => Some(c),
    }
}

/// Lower-case hex, branch-free per digit (`0`-`9`, then `a`-`f` from 10: +39).
pub fn hex_encode(bytes: &[u8]) -> String {
    let digit = |n: u8| {
        let n = i16::from(n);
        (n + 48 + (((9 - n) >> 8) & 39)) as u8
    };
    let mut text = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(digit(b >> 4));
        text.push(digit(b & 0xf));
    }
    String::from_utf8(text).unwrap_or_default()
}

/// Hex in either case. `None` when not hex. (Tests and tools: no secret is decoded from
/// hex.)
pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes().chunks(2);
    digits
        .map(|pair| match pair {
            [hi, lo] => Some((hex_value(*hi)? << 4) | hex_value(*lo)?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Calls `f` with every string of up to `max_len` characters over `alphabet` (ASCII).
    pub(crate) fn every_string(alphabet: &[u8], max_len: u32, mut f: impl FnMut(&str)) {
        let mut text = Vec::new();
        for len in 0..=max_len {
            for mut n in 0..alphabet.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                f(core::str::from_utf8(&text).unwrap());
            }
        }
    }

    #[test]
    fn fixed_size_decoders() {
        let mac = [7u8; 32];
        assert_eq!(b64_decode_32(&b64_encode(&mac)), Some(mac));
        assert_eq!(
            b64_decode_32(b64_encode(&mac).trim_end_matches('=')),
            Some(mac)
        );
        assert_eq!(b64_decode_32(&b64_encode(&[7u8; 31])), None);
        assert_eq!(b64_decode_32(&b64_encode(&[7u8; 48])), None);
        assert_eq!(b64_decode_32("!!"), None);
        assert_eq!(hex_decode_32(&hex_encode(&mac)), Some(mac));
        assert_eq!(hex_decode_32(&hex_encode(&mac).to_uppercase()), Some(mac));
        assert_eq!(hex_decode_32(&hex_encode(&[1u8; 31])), None);
        assert_eq!(hex_decode_32("zz"), None);
        // Every byte that is not a hex digit, at either place of a pair, is refused; every
        // digit is read.
        let digits = hex_encode(&mac);
        for c in 0..=255u8 {
            for at in [10, 11] {
                let mut text = digits.clone().into_bytes();
                text[at] = c;
                let Ok(text) = String::from_utf8(text) else {
                    continue;
                };
                let expected = c.is_ascii_hexdigit().then(|| {
                    let mut m = mac;
                    let v = char::from(c).to_digit(16).unwrap() as u8;
                    m[5] = if at == 10 {
                        (v << 4) | (m[5] & 0xF)
                    } else {
                        (m[5] & 0xF0) | v
                    };
                    m
                });
                assert_eq!(hex_decode_32(&text), expected, "{c}");
            }
        }
    }

    /// The base64 crate's decoders, which these replaced, accept exactly the same inputs
    /// with the same results: every string of up to 6 characters over an alphabet mixing
    /// both alphabets, padding and a stray byte, then 32-byte MACs with every padding and
    /// one-character change.
    #[test]
    fn same_results_as_the_base64_crate() {
        use base64::engine::general_purpose::{
            STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD, URL_SAFE_NO_PAD_INDIFFERENT,
        };
        use base64::Engine;
        let old_32 = |t: &str| {
            let mut buf = [0u8; 48];
            let n = STANDARD_PAD_INDIFFERENT.decode_slice(t, &mut buf).ok()?;
            <[u8; 32]>::try_from(&buf[..n]).ok()
        };
        let chars = b"ABQw/+-_=!";
        let check = |t: &str| {
            assert_eq!(
                b64_decode(t),
                STANDARD_PAD_INDIFFERENT.decode(t).ok(),
                "{t:?}"
            );
            let url_32 = URL_SAFE_NO_PAD
                .decode(t)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok());
            assert_eq!(b64url_decode_32(t), url_32, "{t:?}");
            assert_eq!(
                b64url_decode_padding_optional(t),
                URL_SAFE_NO_PAD_INDIFFERENT.decode(t).ok(),
                "{t:?}"
            );
            assert_eq!(b64_decode_32(t), old_32(t), "{t:?}");
        };
        every_string(chars, 6, check);
        for size in [31usize, 32, 33] {
            let mac: Vec<u8> = (0..size).map(|i| (i * 37 + size) as u8).collect();
            let padded = b64_encode(&mac);
            let bare = padded.trim_end_matches('=');
            for pads in 0..4 {
                let t = format!("{bare}{}", "=".repeat(pads));
                check(&t);
                for at in 0..t.len() {
                    for c in chars {
                        let mut changed = t.clone().into_bytes();
                        changed[at] = *c;
                        check(core::str::from_utf8(&changed).unwrap());
                    }
                }
            }
        }
    }

    /// The encoders write what the base64 crate and `{:02x}` write, for every length up
    /// to 70 bytes and every byte value.
    #[test]
    fn encoders_match_the_base64_crate() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        use base64::Engine;
        let all: Vec<u8> = (0..=255u8).rev().chain(0..=255).collect();
        assert_eq!(
            (b64_encode(b""), hex_encode(b"")),
            (String::new(), String::new())
        );
        for len in 1..=70 {
            for bytes in all.windows(len).step_by(37) {
                assert_eq!(b64_encode(bytes), STANDARD.encode(bytes));
                assert_eq!(b64url_encode(bytes), URL_SAFE_NO_PAD.encode(bytes));
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(hex_encode(bytes), hex);
                assert_eq!(hex_decode(&hex.to_uppercase()).as_deref(), Some(bytes));
            }
        }
        for bad in ["f", "0g", "abc", " 00", "+0"] {
            assert_eq!(hex_decode(bad), None, "{bad:?}");
        }
    }

    /// The branch-free character arithmetic agrees with the alphabets, for every byte.
    #[test]
    fn character_values_for_every_byte() {
        const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (url, alphabet) in [(false, ALPHABET), (true, URL)] {
            for c in 0..=255u8 {
                let want = alphabet
                    .iter()
                    .position(|a| *a == c)
                    .map_or(-1, |i| i as i16);
                assert_eq!(value_of(c, url), want, "{c} (url: {url})");
            }
            for (i, c) in alphabet.iter().enumerate() {
                assert_eq!(char_of(i as u8, url), *c, "{i} (url: {url})");
            }
        }
    }

    #[test]
    fn round_trips() {
        let bytes = [0xfbu8, 0xff, 0x00, 0x3e];
        assert_eq!(b64_encode(&bytes), "+/8APg==");
        assert_eq!(b64_decode("+/8APg==").unwrap(), bytes);
        assert_eq!(b64_decode("+/8APg").unwrap(), bytes);
        assert_eq!(b64url_encode(&bytes), "-_8APg");
        assert_eq!(b64url_decode_padding_optional("-_8APg").unwrap(), bytes);
        assert!(b64url_decode_padding_optional("+/8APg").is_none());
        let mac = [0xfbu8; 32];
        assert_eq!(b64url_decode_32(&b64url_encode(&mac)), Some(mac));
        assert!(b64url_decode_32(&b64_encode(&mac)).is_none());
        assert!(b64_decode("not base64!").is_none());
        assert_eq!(hex_encode(&bytes), "fbff003e");
        assert_eq!(hex_decode("FBFF003E").unwrap(), bytes);
        assert!(hex_decode("fg").is_none());
    }
}
