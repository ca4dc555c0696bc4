//! Small text helpers of the signing core, written out so that the signing-only wasm
//! module carries neither `core::fmt` nor the generic `join` and `parse` machinery.

/// The value of one hex digit (either case); `None` for any other byte. The one hex-digit
/// reader of the crate (`char::to_digit` goes through `u32` and a call; `from_str_radix`
/// also takes a sign).
pub const fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Where the first byte of `s` that `is` accepts is: `str::find` with an ASCII pattern, read
/// byte by byte (a `char` pattern decodes UTF-8 and searches with `memchr`: code a
/// size-optimised module carries for a few bytes of header or URL). A loop: an iterator
/// adapter would be a function of its own per closure at opt-level `z`.
pub fn find_byte(s: &str, is: impl Fn(u8) -> bool) -> Option<usize> {
    let mut at = 0;
    while let Some(&b) = s.as_bytes().get(at) {
        if is(b) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// Whether every byte of `s` is one `is` accepts (`true` for an empty `s`).
pub fn all_bytes(s: &str, is: impl Fn(u8) -> bool) -> bool {
    find_byte(s, |b| !is(b)).is_none()
}

/// `s` split around its first byte `sep` (ASCII: both sides are text), as `str::split_once`
/// with a `char` pattern; `None` without one.
pub fn split_once_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    split_around(s, find_byte(s, |b| b == sep)?)
}

/// `s` split around its last byte `sep` (ASCII), as `str::rsplit_once`.
pub fn rsplit_once_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    let mut at = s.len();
    while at > 0 {
        at -= 1;
        if s.as_bytes().get(at) == Some(&sep) {
            return split_around(s, at);
        }
    }
    None
}

/// The text before and after the (ASCII) byte at `at`.
fn split_around(s: &str, at: usize) -> Option<(&str, &str)> {
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The pieces of `s` between the bytes `sep` (ASCII), as `str::split` with a `char`.
pub fn pieces(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let text = rest?;
        match split_once_byte(text, sep) {
            Some((piece, after)) => {
                rest = Some(after);
                Some(piece)
            }
            None => rest.take(),
        }
    })
}

/// The concatenation of `parts`.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `parts` with `sep` between them: `[String]::join` without its generic machinery (which
/// costs the vendor module most of a kilobyte).
pub fn join(parts: &[String], sep: &str) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + sep.len()).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// Whether `s` holds a control character (`char::is_control`) or, with `or_space`, whitespace
/// (`char::is_whitespace`): byte by byte when the text is ASCII, as it nearly always is (a
/// `chars()` walk decodes each character through calls in a size-optimised build).
pub fn has_control(s: &str, or_space: bool) -> bool {
    if s.is_ascii() {
        // ASCII whitespace other than the space is control characters.
        s.bytes()
            .any(|b| b < 0x20 || b == 0x7f || (or_space && b == b' '))
    } else {
        s.chars()
            .any(|c| c.is_control() || (or_space && c.is_whitespace()))
    }
}

/// Appends the decimal digits of `n`.
pub fn push_decimal(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// The decimal digits of `n` (as `to_string` writes them, without `core::fmt`).
pub fn unsigned_decimal(n: u64) -> String {
    let mut out = Vec::with_capacity(20);
    push_decimal(&mut out, n);
    String::from_utf8(out).unwrap_or_default()
}

/// The decimal digits of `n`, with a `-` when negative (as `to_string` writes them, without
/// `core::fmt`).
pub fn decimal(n: i64) -> String {
    let mut out = Vec::with_capacity(20);
    if n < 0 {
        out.push(b'-');
    }
    push_decimal(&mut out, n.unsigned_abs());
    String::from_utf8(out).unwrap_or_default()
}

/// The value of ASCII digits (at least one; leading zeros, however many, are no part of it),
/// as `str::parse` reads them (`None` for anything else, or beyond `i64`), without its
/// generic machinery.
pub fn parse_digits(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let zeros = bytes.iter().take_while(|&&b| b == b'0').count();
    let significant = bytes.get(zeros..).unwrap_or_default();
    if bytes.is_empty() || significant.len() > 19 {
        return None;
    }
    // Below 10^19, which `u64` holds: no step can overflow, so none is checked (a checked
    // multiplication is a 128-bit one on wasm32).
    let n = significant.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })?;
    i64::try_from(n).ok()
}

/// `text` as a `u64` when it is only ASCII digits (at least one, leading zeros allowed) and
/// fits.
pub fn parse_digits_u64(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.is_ascii_digit().then(|| u64::from(b - b'0'))?;
        n.checked_mul(10)?.checked_add(digit)
    })
}

/// A JSON number's text (valid JSON number syntax: the tree's numbers) as
/// [`number_to_string`](crate::core::input::number_to_string) writes the number `serde_json`
/// reads from it, without parsing or formatting a float:
/// - an integer written in digits that `serde_json` reads as an integer (`i64`, `u64`): as
///   written (`-0` as `0`);
/// - any other integer below 2^53 in magnitude (`1e3`, `7.0`): its digits;
/// - anything else as `serde_json` lays out a float's shortest digits (`1.5`, `0.001`,
///   `1e-7`, `1.5e+300`, `1e17` as `1e+17`, `9.1e15` as `9100000000000000.0`).
///
/// The same text as through `serde_json` whenever the number has at most 15 significant
/// digits and is at least 1e-307 in magnitude (every such decimal is the shortest text of
/// its `f64`); beyond that it is written from its own digits, not rounded to an `f64`'s.
pub fn number_text(raw: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let (negative, unsigned) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if exponent.is_none() && frac.is_empty() {
        let fits = parse_digits_u64(int).filter(|&n| !negative || n <= 1 << 63);
        match fits {
            Some(0) => return Cow::Borrowed("0"),
            Some(_) => return Cow::Borrowed(raw),
            None => {}
        }
    }
    // The value is `digits` × 10^`e`, `digits` without leading or trailing zeros.
    let mut e = exponent.map_or(0, |x| {
        let (minus, x) = match x.as_bytes().first() {
            Some(b'-') => (true, x.get(1..).unwrap_or_default()),
            Some(b'+') => (false, x.get(1..).unwrap_or_default()),
            _ => (false, x),
        };
        // Far beyond any exponent a finite number in range can need.
        let x = x.bytes().fold(0i64, |n, b| {
            (n * 10 + i64::from(b.wrapping_sub(b'0'))).min(1 << 40)
        });
        if minus {
            -x
        } else {
            x
        }
    });
    e -= frac.len() as i64;
    let all = [int.as_bytes(), frac.as_bytes()].concat();
    let start = all.iter().position(|&b| b != b'0').unwrap_or(all.len());
    let end = all
        .iter()
        .rposition(|&b| b != b'0')
        .map_or(start, |i| i + 1);
    let digits = all.get(start..end).unwrap_or_default();
    e += (all.len() - end) as i64;
    if digits.is_empty() {
        return Cow::Borrowed("0");
    }
    let len = digits.len() as i64;
    let kk = len + e;
    let mut out = Vec::with_capacity(digits.len() + 24);
    if negative {
        out.push(b'-');
    }
    let zeros = |out: &mut Vec<u8>, n: i64| out.resize(out.len() + n.max(0) as usize, b'0');
    // 16 digits compare as numbers do.
    let below_2_53 = kk < 16
        || (kk == 16 && {
            let mut whole = *b"0000000000000000";
            whole.iter_mut().zip(digits).for_each(|(w, d)| *w = *d);
            whole < *b"9007199254740992"
        });
    if e >= 0 && below_2_53 {
        out.extend_from_slice(digits);
        zeros(&mut out, e);
    } else if e >= 0 && kk <= 16 {
        out.extend_from_slice(digits);
        zeros(&mut out, e);
        out.extend_from_slice(b".0");
    } else if kk > 0 && kk <= 16 {
        let (whole, part) = digits.split_at(kk as usize);
        out.extend_from_slice(whole);
        out.push(b'.');
        out.extend_from_slice(part);
    } else if kk > -5 && kk <= 0 {
        out.extend_from_slice(b"0.");
        zeros(&mut out, -kk);
        out.extend_from_slice(digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.extend_from_slice(first);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        out.push(b'e');
        let x = kk - 1;
        out.push(if x < 0 { b'-' } else { b'+' });
        push_decimal(&mut out, x.unsigned_abs());
    }
    Cow::Owned(String::from_utf8(out).unwrap_or_default())
}

/// Exact powers of ten as `f64` (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number written `[+-]digits[.digits]` (also `1.` and `.5`; no exponent), as
/// `f64`; `None` for anything else. Correctly rounded, as `str::parse` gives it, for up to
/// 15 significant digits and 22 fraction digits, the numbers vendors send as text; longer
/// ones may differ from it in the last place. Written out so that the module carries no
/// general float parser.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    // Up to 19 significant digits in `mantissa`, the rest as a power of ten.
    let (mut mantissa, mut significant, mut exponent) = (0u64, 0u32, 0i32);
    for (b, fraction) in int
        .bytes()
        .map(|b| (b, false))
        .chain(frac.bytes().map(|b| (b, true)))
    {
        if !b.is_ascii_digit() {
            return None;
        }
        let digit = u64::from(b - b'0');
        if significant < 19 {
            mantissa = mantissa * 10 + digit;
            significant += u32::from(mantissa != 0);
            exponent = exponent.saturating_sub(i32::from(fraction));
        } else if !fraction {
            exponent = exponent.saturating_add(1);
        }
    }
    let m = mantissa as f64;
    // Exact operands below 2^53: one rounding, so correctly rounded. Beyond, the
    // mantissa's own rounding makes it at most one unit in the last place off.
    let value = match POW10.get(exponent.unsigned_abs() as usize) {
        Some(p) if exponent < 0 => m / p,
        Some(p) => m * p,
        None => m * 10f64.powi(exponent),
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_splitters_split_as_str_does() {
        for s in [
            "", "a", "&", "a&b", "&&", "a&", "&b", "é&ü&", "x=y=z", "ab", "é",
        ] {
            for sep in [b'&', b'=', b'x'] {
                let c = char::from(sep);
                assert_eq!(split_once_byte(s, sep), s.split_once(c), "{s:?}");
                assert_eq!(rsplit_once_byte(s, sep), s.rsplit_once(c), "{s:?}");
                assert_eq!(find_byte(s, |b| b == sep), s.find(c), "{s:?}");
                assert_eq!(
                    pieces(s, sep).collect::<Vec<_>>(),
                    s.split(c).collect::<Vec<_>>(),
                    "{s:?}"
                );
            }
        }
    }

    /// What `number_to_string` prints for the number `serde_json` reads from `raw`, its
    /// floats rounded correctly (`serde_json` without `float_roundtrip` may be a unit off
    /// in the last place: `-0.450000e-17` as `-4.500000000000001e-18`).
    fn through_serde(raw: &str) -> String {
        let n: serde_json::Number = serde_json::from_str(raw).unwrap();
        let n = match n.is_f64() {
            true => serde_json::Number::from_f64(raw.parse().unwrap()).unwrap(),
            false => n,
        };
        crate::core::input::number_to_string(&n)
    }

    #[test]
    fn has_control_is_the_char_predicates() {
        for s in [
            "", "ann", "a b", "a\tb", "a\u{7f}", "\u{0}", "é", "a\u{85}", "a\u{a0}b", "\u{2028}",
            "\u{3000}", "ü\n", "x\u{9f}", "\u{1680}", "漢字",
        ] {
            let control = s.chars().any(char::is_control);
            let either = s.chars().any(|c| c.is_control() || c.is_whitespace());
            assert_eq!(has_control(s, false), control, "{s:?}");
            assert_eq!(has_control(s, true), either, "{s:?}");
        }
    }

    #[test]
    fn number_text_prints_as_serde_within_15_digits() {
        for raw in [
            "0",
            "-0",
            "-0.0",
            "0e5",
            "0.000e-3",
            "42",
            "-7",
            "7.0",
            "1e3",
            "1.5",
            "1.50",
            "15e-1",
            "-1.5E-7",
            "0.0001",
            "0.00001",
            "0.000001",
            "1e-7",
            "1.5e300",
            "1e17",
            "9.1e15",
            "9007199254740991",
            "9007199254740993",
            "-9223372036854775808",
            "18446744073709551615",
            "9.007199254740991e15",
            "9.007199254740992e15",
            "123456789012345",
            "1234567890123456",
            "12345678901234.5",
            "1e16",
            "1E+16",
            "1e308",
            "-1.7976931348623157e308",
            "1.0e-307",
            "100",
            "10e-1",
            "0.1e1",
            "123.456e-2",
        ] {
            assert_eq!(number_text(raw), through_serde(raw), "{raw}");
        }
        // Numbers of 1 to 15 significant digits, any point and exponent.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200_000 {
            let len = 1 + next(15) as usize;
            let mut digits: Vec<u8> = (0..len).map(|_| b'0' + next(10) as u8).collect();
            digits[0] = b'1' + next(9) as u8;
            let mut raw = String::new();
            if next(2) == 0 {
                raw.push('-');
            }
            let point = next(len as u64 + 1) as usize;
            let (int, frac) = digits.split_at(point);
            raw.push_str(if int.is_empty() {
                "0"
            } else {
                std::str::from_utf8(int).unwrap()
            });
            if !frac.is_empty() {
                raw.push('.');
                raw.push_str(std::str::from_utf8(frac).unwrap());
                raw.push_str(&"0".repeat(next(3) as usize));
            }
            match next(3) {
                0 => {}
                1 => raw.push_str(&format!("e{}", next(40) as i64 - 20)),
                _ => raw.push_str(&format!("E+{}", next(300 - len as u64))),
            }
            assert_eq!(number_text(&raw), through_serde(&raw), "{raw}");
        }
        // Beyond: written from its own digits.
        assert_eq!(
            number_text("12345678901234567890123"),
            "1.2345678901234567890123e+22"
        );
        assert_eq!(number_text("1e-400"), "1e-400");
        assert_eq!(number_text("1e99999999999999999999999"), "1e+1099511627776");
    }

    #[test]
    fn concat_decimal_and_digits() {
        assert_eq!(concat(&["a", "", "bc"]), "abc");
        assert_eq!(concat(&[]), "");
        for n in [0u64, 7, 10, 1_614_265_330, u64::MAX] {
            let mut out = b"x".to_vec();
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
        }
        for n in [0i64, 7, -7, 10, 65_535, 1_614_265_330, i64::MAX, i64::MIN] {
            assert_eq!(decimal(n), n.to_string());
        }
        for n in [0u64, 9, 10, u64::MAX] {
            assert_eq!(unsigned_decimal(n), n.to_string());
        }
        for parts in [&[][..], &["a"], &["a", ""], &["", "b", "c"]] {
            let parts: Vec<String> = parts.iter().map(|p| (*p).to_owned()).collect();
            assert_eq!(join(&parts, ", "), parts.join(", "));
            assert_eq!(join(&parts, ""), parts.concat());
        }
        for text in [
            "0",
            "007",
            "65535",
            "999999999999999",
            "9223372036854775807",
            "9223372036854775808",
            "9999999999999999999",
            "0000000000000000001",
            "0000000000000000000000007",
            "00000000000000000000",
            "000000000000000000009223372036854775808",
            "",
            "-1",
            "+1",
            " 1",
            "1a",
            "١",
            "12345678901234567890",
        ] {
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            let want = text.parse::<i64>().ok().filter(|_| digits);
            assert_eq!(parse_digits(text), want, "{text:?}");
        }
    }
    #[test]
    fn parse_decimal_agrees_with_parse() {
        let exact = [
            "0",
            "-0",
            "+0",
            "1",
            "-1",
            "+3",
            "1.",
            ".5",
            "-.5",
            "0.1",
            "0.3",
            "12.5",
            "99.99",
            "100",
            "007.50",
            "123.456",
            "0.000001",
            "3.14159265358979",
            "999999999999999",
            "0.0000000000000000000001",
            "1234567.890123",
            "9007199254740991",
            "1e0",
        ];
        for text in exact {
            let want = text.parse::<f64>().ok().filter(|_| !text.contains('e'));
            let got = parse_decimal(text);
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{text:?}");
        }
        for text in [
            "", "-", "+", ".", "-.", "1.2.3", "--1", "1-2", "1e5", " 1", "1 ", "inf", "nan", "١",
        ] {
            assert_eq!(parse_decimal(text), None, "{text:?}");
        }
        // Random decimals: exact up to 15 significant digits, within one unit in the last
        // place beyond.
        let mut seed = 0x9e37_79b9_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200_000 {
            let digits = |len: u64, next: &mut dyn FnMut(u64) -> u64| -> String {
                (0..len)
                    .map(|_| char::from(b'0' + next(10) as u8))
                    .collect()
            };
            let int = digits(next(12), &mut next);
            let frac = digits(next(12), &mut next);
            let text = if frac.is_empty() {
                int.clone()
            } else {
                format!("{int}.{frac}")
            };
            let Ok(want) = text.parse::<f64>() else {
                continue;
            };
            let got = parse_decimal(&text).unwrap();
            let sig = text.trim_start_matches(['0', '.']).replace('.', "").len();
            if sig <= 15 {
                assert_eq!(got.to_bits(), want.to_bits(), "{text:?}");
            } else {
                assert!(got.to_bits().abs_diff(want.to_bits()) <= 1, "{text:?}");
            }
        }
        let long = format!("{}.{}", "9".repeat(40), "1".repeat(40));
        let got = parse_decimal(&long).unwrap();
        assert!(
            got.to_bits()
                .abs_diff(long.parse::<f64>().unwrap().to_bits())
                <= 1
        );
    }
}
