//! Time values and the two date formats vendors send: HTTP dates (`Retry-After`) and
//! ISO-8601 timestamps. The clock itself is never read here: `now` is always an input.

use crate::core::text::parse_digits;

/// A point in time as Unix milliseconds (like `Date.now()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixMillis(pub i64);

impl UnixMillis {
    /// Whole Unix seconds (floor).
    pub const fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// From Unix seconds, saturating.
    pub const fn from_secs(secs: i64) -> Self {
        Self(secs.saturating_mul(1000))
    }

    /// Adds milliseconds, saturating.
    #[must_use]
    pub const fn plus_ms(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The value of `s`, ASCII digits only ([`parse_digits`]), as a `T` (`None` beyond its range).
fn num<T: TryFrom<i64>>(s: &str) -> Option<T> {
    T::try_from(parse_digits(s)?).ok()
}

fn to_millis(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<UnixMillis> {
    let valid = (1..=12).contains(&mo)
        && (1..=days_in_month(y, mo)).contains(&d)
        && h < 24
        && mi < 60
        && s < 61;
    valid.then(|| {
        let secs = days_from_civil(y, mo, d) * 86_400
            + i64::from(h) * 3600
            + i64::from(mi) * 60
            + i64::from(s);
        UnixMillis::from_secs(secs)
    })
}

/// Parses an IMF-fixdate HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7).
pub fn parse_http_date(s: &str) -> Option<UnixMillis> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    let [_day, d, mon, y, hms, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mo = MONTHS.iter().position(|m| m == mon)? as u32 + 1;
    let mut t = hms.split(':');
    let (h, mi, sec) = (t.next()?, t.next()?, t.next()?);
    if t.next().is_some() || y.len() != 4 {
        return None;
    }
    to_millis(num(y)?, mo, num(d)?, num(h)?, num(mi)?, num(sec)?)
}

/// Parses an ISO-8601 / RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, the `T`
/// also as a space, the zone optional (then UTC).
pub fn parse_iso8601(s: &str) -> Option<UnixMillis> {
    let s = s.trim();
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let mut dp = date.split('-');
    let (y, mo, d) = (dp.next()?, dp.next()?, dp.next()?);
    if y.len() != 4 || mo.len() != 2 || d.len() != 2 {
        return None;
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (time, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (rest.get(..i)?, rest.get(i..)?),
        None => (rest, ""),
    };
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut tp = hms.split(':');
    let (h, mi, sec) = (tp.next()?, tp.next()?, tp.next()?);
    if tp.next().is_some() || h.len() != 2 || mi.len() != 2 || sec.len() != 2 {
        return None;
    }
    let frac_ms = if frac.is_empty() {
        0
    } else {
        num::<i64>(frac)?;
        // The first three digits (all are ASCII digits), padded with zeros: `.5` is 500 ms.
        frac.bytes()
            .chain([b'0'; 3])
            .take(3)
            .fold(0, |ms, b| ms * 10 + i64::from(b.saturating_sub(b'0')))
    };
    let offset_min: i64 = match zone {
        "" | "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (zh, zm) = z.get(1..)?.split_once(':')?;
            if zh.len() != 2 || zm.len() != 2 {
                return None;
            }
            sign * (num::<i64>(zh)? * 60 + num::<i64>(zm)?)
        }
    };
    let base = to_millis(num(y)?, num(mo)?, num(d)?, num(h)?, num(mi)?, num(sec)?)?;
    Some(base.plus_ms(frac_ms - offset_min * 60_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(UnixMillis(784_111_777_000))
        );
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
        assert_eq!(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("garbage"), None);
        // Fields out of range, or not plain digits.
        for bad in [
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08:60:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 4294967302 Nov 1994 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:3x GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_timestamps() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(UnixMillis(0)));
        assert_eq!(
            parse_iso8601("2025-03-01T10:00:00Z"),
            Some(UnixMillis(1_740_823_200_000))
        );
        assert_eq!(
            parse_iso8601("2025-03-01T11:00:00.5+01:00"),
            Some(UnixMillis(1_740_823_200_500))
        );
        // Milliseconds are the fraction's first three digits.
        for (frac, ms) in [
            ("123456", 123),
            ("12", 120),
            ("0009", 0),
            ("999", 999),
            ("00000000000000000000001", 0),
        ] {
            assert_eq!(
                parse_iso8601(&format!("2025-03-01T10:00:00.{frac}Z")),
                Some(UnixMillis(1_740_823_200_000 + ms)),
                "{frac}"
            );
        }
        for frac in ["1x", "1 ", "12345678901234567890"] {
            assert_eq!(parse_iso8601(&format!("2025-03-01T10:00:00.{frac}Z")), None);
        }
        assert_eq!(parse_iso8601("2025-13-01T10:00:00Z"), None);
        assert_eq!(parse_iso8601("2025-03-01"), None);
        assert_eq!(parse_iso8601("2025-03-01T10:00:00+0100"), None);
    }

    #[test]
    fn seconds_and_millis_do_not_mix() {
        assert_eq!(UnixMillis(1999).as_secs(), 1);
        assert_eq!(UnixMillis(-1).as_secs(), -1);
        assert_eq!(UnixMillis::from_secs(2).plus_ms(5), UnixMillis(2005));
        let limit = i64::MAX / 1000;
        assert_eq!(UnixMillis::from_secs(limit).0, limit * 1000);
        assert_eq!(UnixMillis::from_secs(limit + 1).0, i64::MAX);
        assert_eq!(UnixMillis::from_secs(-limit - 1).0, i64::MIN);
    }
}
