//! When to retry and how long to wait (API.md §2, §6).

use crate::core::http::Headers;
use crate::core::time::{parse_http_date, UnixMillis};

/// Retry settings of one client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Further attempts after the first (default 2).
    pub retries: u32,
    /// First backoff step in ms (default 200).
    pub base_delay_ms: i64,
    /// Largest backoff step in ms (default 5000).
    pub max_delay_ms: i64,
    /// Largest wait a `Retry-After` may ask for in ms (default 30000); a longer one
    /// ends the retries instead of sleeping that long.
    pub retry_after_cap_ms: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 2,
            base_delay_ms: 200,
            max_delay_ms: 5_000,
            retry_after_cap_ms: 30_000,
        }
    }
}

/// A `retries` option (client or call), already a non-negative number: an integer up to 10;
/// `Err` says what it must be.
pub fn retries_option(n: f64) -> Result<u32, &'static str> {
    if n.fract() == 0.0 && (0.0..=10.0).contains(&n) {
        // Bounded, so the conversion is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(n as u32)
    } else {
        Err("must be an integer from 0 to 10")
    }
}

/// The longest a JavaScript timer waits: 2^31 − 1 ms (24.8 days). Hosts fire a timer set
/// for longer at once, so no wait the transport asks its host for is longer.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// A `timeoutMs` option (client or call), already a non-negative number: at least 1 ms;
/// longer than [`MAX_TIMER_MS`] means that (a longer timer would fire at once, and every
/// attempt would time out).
pub fn timeout_option(ms: f64) -> Result<f64, &'static str> {
    if ms >= 1.0 {
        Ok(ms.min(MAX_TIMER_MS))
    } else {
        Err("must be at least 1")
    }
}

/// How one attempt ended, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt<'a> {
    /// The request could not be sent or the connection failed.
    NetworkError,
    /// No complete response within the timeout.
    TimedOut,
    /// A response with this status and these headers.
    Response(u16, &'a Headers),
}

impl RetryPolicy {
    /// The wait in ms before attempt number `attempt + 1` (0-based `attempt` just failed)
    /// with an outcome [`Self::may_retry`] allows (the caller asks it first, before reading
    /// the clock and the randomness): the `Retry-After` wait, `None` when it asks for longer
    /// than the cap, else the back-off. `random` is a uniform number in `[0, 1)` for the
    /// jitter.
    pub fn delay_after(
        &self,
        attempt: u32,
        outcome: Attempt<'_>,
        now: UnixMillis,
        random: f64,
    ) -> Option<i64> {
        let retry_after = match outcome {
            Attempt::Response(_, headers) => headers.get("retry-after"),
            Attempt::NetworkError | Attempt::TimedOut => None,
        };
        match retry_after.and_then(|v| retry_after_ms(v, now)) {
            Some(ms) if ms > self.retry_after_cap_ms => None,
            Some(ms) => Some(ms),
            None => Some(self.backoff_ms(attempt, random)),
        }
    }

    /// Whether attempt number `attempt` (0-based) may be followed by another after
    /// `outcome`: the request is safe to repeat, retries are left, and the outcome is a
    /// network error, a timeout, or a 429, 502, 503 or 504. ([`Self::delay_after`] decides
    /// the rest: `Retry-After` and its cap.)
    pub fn may_retry(&self, idempotent: bool, attempt: u32, outcome: &Attempt<'_>) -> bool {
        idempotent
            && attempt < self.retries
            && matches!(
                outcome,
                Attempt::NetworkError
                    | Attempt::TimedOut
                    | Attempt::Response(429 | 502 | 503 | 504, _)
            )
    }

    /// Exponential backoff with full jitter: uniform in `[0, min(max, base · 2^attempt)]`,
    /// at least 1 ms.
    pub fn backoff_ms(&self, attempt: u32, random: f64) -> i64 {
        let step = self
            .base_delay_ms
            .saturating_mul(1_i64 << attempt.min(30))
            .min(self.max_delay_ms);
        let r = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        ((step as f64 * r) as i64).max(1)
    }
}

/// A `Retry-After` value in ms from `now`: delta-seconds or an HTTP date (a date in the
/// past is 0). `None` when unparsable.
pub fn retry_after_ms(value: &str, now: UnixMillis) -> Option<i64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            crate::core::text::parse_digits(v)
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000),
        );
    }
    parse_http_date(v).map(|at| (at.0 - now.0).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_and_timeout_options() {
        assert_eq!(retries_option(0.0), Ok(0));
        assert_eq!(retries_option(10.0), Ok(10));
        for bad in [1.5, 11.0, -1.0, f64::NAN] {
            assert_eq!(
                retries_option(bad),
                Err("must be an integer from 0 to 10"),
                "{bad}"
            );
        }
        assert_eq!(timeout_option(1.0), Ok(1.0));
        assert_eq!(timeout_option(2500.5), Ok(2500.5));
        assert_eq!(timeout_option(MAX_TIMER_MS), Ok(MAX_TIMER_MS));
        assert_eq!(timeout_option(3e9), Ok(MAX_TIMER_MS));
        assert_eq!(timeout_option(1e300), Ok(MAX_TIMER_MS));
        assert_eq!(timeout_option(0.5), Err("must be at least 1"));
        assert_eq!(timeout_option(f64::NAN), Err("must be at least 1"));
    }

    /// The decision the exchange makes after an attempt: `None` to stop, else the wait.
    fn next_delay(
        p: &RetryPolicy,
        idempotent: bool,
        attempt: u32,
        outcome: Attempt<'_>,
        now: UnixMillis,
        random: f64,
    ) -> Option<i64> {
        if !p.may_retry(idempotent, attempt, &outcome) {
            return None;
        }
        p.delay_after(attempt, outcome, now, random)
    }

    fn h(pairs: &[(&str, &str)]) -> Headers {
        Headers(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string().into(), b.to_string().into()))
                .collect(),
        )
    }

    #[test]
    fn only_idempotent_requests_on_retryable_outcomes() {
        let p = RetryPolicy::default();
        let none = h(&[]);
        let now = UnixMillis(0);
        assert!(next_delay(&p, true, 0, Attempt::NetworkError, now, 0.5).is_some());
        assert!(next_delay(&p, true, 0, Attempt::TimedOut, now, 0.5).is_some());
        for s in [429, 502, 503, 504] {
            assert!(next_delay(&p, true, 0, Attempt::Response(s, &none), now, 0.5).is_some());
        }
        for s in [200, 400, 401, 404, 409, 500] {
            assert_eq!(
                next_delay(&p, true, 0, Attempt::Response(s, &none), now, 0.5),
                None
            );
        }
        assert_eq!(
            next_delay(&p, false, 0, Attempt::NetworkError, now, 0.5),
            None
        );
        assert_eq!(
            next_delay(&p, true, 2, Attempt::NetworkError, now, 0.5),
            None
        );
    }

    #[test]
    fn honours_retry_after_seconds_and_dates_with_a_cap() {
        let p = RetryPolicy::default();
        let now = UnixMillis(784_111_770_000);
        let secs = h(&[("Retry-After", "2")]);
        assert_eq!(
            next_delay(&p, true, 0, Attempt::Response(429, &secs), now, 0.9),
            Some(2000)
        );
        let date = h(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(
            next_delay(&p, true, 0, Attempt::Response(503, &date), now, 0.9),
            Some(7000)
        );
        let long = h(&[("retry-after", "3600")]);
        assert_eq!(
            next_delay(&p, true, 0, Attempt::Response(503, &long), now, 0.9),
            None
        );
        let junk = h(&[("retry-after", "soon")]);
        let d = next_delay(&p, true, 1, Attempt::Response(503, &junk), now, 0.5).unwrap();
        assert_eq!(d, 200);
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", UnixMillis(i64::MAX)),
            Some(0)
        );
        // Delta-seconds: any run of digits; beyond i64, the longest wait there is.
        let now = UnixMillis(0);
        assert_eq!(retry_after_ms(" 007 ", now), Some(7000));
        assert_eq!(retry_after_ms("0000000000000000000000007", now), Some(7000));
        assert_eq!(retry_after_ms("9223372036854775807", now), Some(i64::MAX));
        assert_eq!(
            retry_after_ms("99999999999999999999", now),
            Some(i64::MAX / 1000 * 1000)
        );
        assert_eq!(retry_after_ms("-1", now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(0, 1.0), 200);
        assert_eq!(p.backoff_ms(3, 1.0), 1600);
        assert_eq!(p.backoff_ms(40, 1.0), 5000);
        assert_eq!(p.backoff_ms(0, 0.0), 1);
        assert_eq!(p.backoff_ms(0, f64::NAN), 100);
    }
}
