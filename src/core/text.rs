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
    if text.is_empty() || text.len() > 19 {
        return None;
    }
    text.bytes().try_fold(0i64, |n, b| {
        let digit = b.is_ascii_digit().then(|| i64::from(b - b'0'))?;
        n.checked_mul(10)?.checked_add(digit)
    })
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
}
