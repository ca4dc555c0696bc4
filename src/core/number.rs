//! A JSON number's text as the `serde_json::Number` `serde_json` reads from it (built without
//! its `float_roundtrip` feature, as here), without its parser: what [`crate::core::tree`]
//! turns its numbers into when a `serde_json::Value` is asked for.
//!
//! `serde_json`'s reading, step by step: digits are gathered into a `u64` significand while it
//! does not overflow (later integer digits raise the exponent, later fraction digits are
//! dropped); an integer without fraction or exponent is a `u64`, or an `i64` when negative (a
//! negative zero or one below `i64::MIN` is a float); anything else is the significand as an
//! `f64` multiplied or divided once by the `f64` nearest to the power of ten (divided by
//! `1e308` first while the power is beyond `1e308`). Out of range is no number. Tests and
//! the `responses` fuzz target compare this with `serde_json` itself.

use serde_json::Number;

/// The largest power of ten an `f64` holds (`1e308`).
const MAX_POW10: u32 = 308;

/// `10^k` (`k` ≤ [`MAX_POW10`]) as the `f64` nearest to it, the value of the literal `1e{k}`:
/// `5^k` rounded to 53 significant bits (to even on a tie), times `2^k`, which is exact.
/// `5^k` is computed in 64-bit limbs (`5^308` needs 12).
fn pow10(k: u32) -> f64 {
    // Up to 5^22 (below 2^53) the `f64` holds `5^k` itself: the common case, at once.
    if k <= 22 {
        return 5u64.pow(k) as f64 * power_of_two(k);
    }
    let mut limbs = [0u64; 12];
    limbs[0] = 1;
    let mut used = 1;
    for _ in 0..k {
        let mut carry = 0u64;
        for limb in limbs.iter_mut().take(used) {
            let wide = u128::from(*limb) * 5 + u128::from(carry);
            *limb = wide as u64;
            carry = (wide >> 64) as u64;
        }
        if carry != 0 {
            if let Some(limb) = limbs.get_mut(used) {
                *limb = carry;
                used += 1;
            }
        }
    }
    let top = limbs.get(used - 1).copied().unwrap_or(1);
    let bits = 64 * (used as u32 - 1) + (64 - top.leading_zeros());
    // The top 53 bits, and what lies below them: the first bit dropped and any other.
    let bit = |i: u32| {
        limbs
            .get((i / 64) as usize)
            .map_or(0, |l| (l >> (i % 64)) & 1)
    };
    let drop = bits.saturating_sub(53);
    let mut mantissa = (drop..bits).rev().fold(0u64, |m, i| (m << 1) | bit(i));
    let half = drop > 0 && bit(drop - 1) == 1;
    let rest = (0..drop.saturating_sub(1)).any(|i| bit(i) == 1);
    if half && (rest || mantissa & 1 == 1) {
        mantissa += 1;
    }
    // `mantissa × 2^(drop + k)`: a power of two in range (at most 2^1023), so exact.
    mantissa as f64 * power_of_two(drop + k)
}

/// `2^e` for `e` ≤ 1023.
fn power_of_two(e: u32) -> f64 {
    f64::from_bits(u64::from(e + 1023) << 52)
}

/// The number `text` holds (valid JSON number syntax, as the tree keeps it), as `serde_json`
/// reads it; `None` when `serde_json` refuses it as out of range.
pub fn read(text: &str) -> Option<Number> {
    let (positive, digits) = match text.strip_prefix('-') {
        Some(rest) => (false, rest.as_bytes()),
        None => (true, text.as_bytes()),
    };
    let mut at = 0;
    let mut significand: u64 = 0;
    let mut exponent: i32 = 0;
    // The integer part: digits past a full significand only raise the exponent.
    let mut long = false;
    while let Some(d) = digit(digits, at) {
        if long {
            exponent = exponent.saturating_add(1);
        } else if let Some(next) = grow(significand, d) {
            significand = next;
        } else {
            long = true;
            exponent = 1;
        }
        at += 1;
    }
    let mut float = long;
    // The fraction: digits join the significand until it is full; the rest are dropped.
    if digits.get(at) == Some(&b'.') {
        float = true;
        at += 1;
        let mut full = false;
        while let Some(d) = digit(digits, at) {
            if !full {
                match grow(significand, d) {
                    Some(next) => {
                        significand = next;
                        exponent = exponent.saturating_sub(1);
                    }
                    None => full = true,
                }
            }
            at += 1;
        }
    }
    // The exponent: one too large for an `i32` is a zero, or out of range.
    if let Some(b'e' | b'E') = digits.get(at) {
        float = true;
        at += 1;
        let negative_exp = digits.get(at) == Some(&b'-');
        if matches!(digits.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let mut exp: i32 = 0;
        while let Some(d) = digit(digits, at) {
            match exp
                .checked_mul(10)
                .and_then(|e| e.checked_add(i32::from(d)))
            {
                Some(e) => exp = e,
                None if significand != 0 && !negative_exp => return None,
                None => return Number::from_f64(if positive { 0.0 } else { -0.0 }),
            }
            at += 1;
        }
        exponent = if negative_exp {
            exponent.saturating_sub(exp)
        } else {
            exponent.saturating_add(exp)
        };
    }
    if !float {
        if positive {
            return Some(Number::from(significand));
        }
        let negated = (significand as i64).wrapping_neg();
        // A negative zero, or below `i64::MIN`, is a float.
        return if negated < 0 {
            Some(Number::from(negated))
        } else {
            Number::from_f64(-(significand as f64))
        };
    }
    let f = scale(significand as f64, exponent)?;
    Number::from_f64(if positive { f } else { -f })
}

/// The digit at `at`, if there is one.
fn digit(bytes: &[u8], at: usize) -> Option<u8> {
    bytes
        .get(at)
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
}

/// `significand` with digit `d` appended, while it fits a `u64`.
fn grow(significand: u64, d: u8) -> Option<u64> {
    significand.checked_mul(10)?.checked_add(u64::from(d))
}

/// `f × 10^exponent` as `serde_json` computes it; `None` when out of range.
fn scale(mut f: f64, mut exponent: i32) -> Option<f64> {
    loop {
        let k = exponent.unsigned_abs();
        if k <= MAX_POW10 {
            if exponent < 0 {
                return Some(f / pow10(k));
            }
            f *= pow10(k);
            return f.is_finite().then_some(f);
        }
        if f == 0.0 {
            return Some(f);
        }
        if exponent >= 0 {
            return None;
        }
        f /= 1e308;
        exponent += 308;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `serde_json` reads from `text` as a number (`None`: refused).
    fn serde(text: &str) -> Option<Number> {
        text.parse().ok()
    }

    #[test]
    fn powers_of_ten_are_the_literals() {
        for k in 0..=MAX_POW10 {
            let literal: f64 = format!("1e{k}").parse().unwrap();
            assert_eq!(pow10(k).to_bits(), literal.to_bits(), "1e{k}");
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "7",
            "-7",
            "0.0",
            "-0.0",
            "1.5",
            "-1.5",
            "0.1",
            "0.3",
            "2.675",
            "1e0",
            "1E+2",
            "1e-2",
            "-0e5",
            "0e999999999999",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "1e309",
            "-1e309",
            "2e308",
            "1e-307",
            "1e-308",
            "1e-320",
            "1e-330",
            "4.9e-324",
            "2.4e-324",
            "1e-400",
            "-1e-400",
            "1e-99999999999",
            "1e99999999999",
            "0e99999999999",
            "-0.5e-99999999999",
            "123456789012345678",
            "18446744073709551615",
            "18446744073709551616",
            "184467440737095516151",
            "-9223372036854775807",
            "-9223372036854775808",
            "-9223372036854775809",
            "-18446744073709551615",
            "-18446744073709551616",
            "1844674407370955161.5",
            "18446744073709551615.5",
            "184467440737095516150.25",
            "0.18446744073709551615",
            "0.184467440737095516155",
            "0.000000000000000000000000000001",
            "123.456e-7",
            "9007199254740993",
            "9007199254740993.0",
            "1.00000000000000011102230246251565e0",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e2147483647",
            "1e-2147483648",
            "1e2147483648",
            "1e-2147483649",
        ]
        .map(String::from)
        .to_vec();
        // Every power of ten, and numbers around the table's end.
        for k in -400..=400 {
            texts.push(format!("1e{k}"));
            texts.push(format!("-3.25e{k}"));
            texts.push(format!("12345678901234567890e{k}"));
        }
        for text in &texts {
            assert_eq!(read(text), serde(text), "{text}");
        }
    }

    #[test]
    fn reads_what_serde_json_reads_on_generated_numbers() {
        // A small xorshift, so the test is the same every run.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let r = next();
            let int = r % 10u64.pow((r >> 60) as u32 % 20 + 1);
            let frac = next() % 1_000_000_000_000;
            let exp = (next() % 700) as i64 - 350;
            let text = match r % 4 {
                0 => format!("{int}"),
                1 => format!("-{int}.{frac}"),
                2 => format!("{int}e{exp}"),
                _ => format!("{int}.{frac:012}E{exp:+}"),
            };
            assert_eq!(read(&text), serde(&text), "{text}");
        }
    }
}
