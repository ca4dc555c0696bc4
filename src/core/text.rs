//! Small text helpers of the signing core, written out so that the signing-only wasm
//! module carries neither `core::fmt` nor the generic `join` and `parse` machinery.

/// The concatenation of `parts`.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
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

/// The value of 1 to 19 ASCII digits (`None` for anything else, or beyond `i64`): `parse`
/// without its generic machinery.
pub fn parse_digits(text: &str) -> Option<i64> {
    if text.len() > 19 {
        return None;
    }
    parse_digits_u64(text).and_then(|n| i64::try_from(n).ok())
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
        for text in [
            "0",
            "007",
            "65535",
            "999999999999999",
            "9223372036854775807",
            "9223372036854775808",
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
