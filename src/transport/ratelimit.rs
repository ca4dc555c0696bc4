//! The client-side rate limit (LearnWorlds allows 30 requests per 10 s), as the vendor
//! measures it: requests *arriving* in any window. Pure: a pool of `limit` permits. A send
//! takes the permit that frees first and goes when it is free; when its attempt ends
//! (response or failure) the permit comes back, free again one window later.
//!
//! Why the end and not the send: a request arrives somewhere between its send and the end
//! of its attempt. Two sends on one permit are at least a window apart from the first one's
//! end to the second one's start, so their arrivals are too; `limit + 1` arrivals in one
//! window would need two on the same permit. So no window ever sees more than `limit`,
//! whatever the latency, queueing in the connection pool or retries. The cost is the
//! latency: a busy permit frees `window + latency` after its send.

use crate::core::time::UnixMillis;
use crate::error::{Error, Result};

/// A client's rate limit, the `rateLimit` option: `requests` sends per `per_ms` milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Sends allowed in any window.
    pub requests: usize,
    /// The window, in milliseconds.
    pub per_ms: i64,
}

impl RateLimit {
    /// `{ requests, perMs }` as read from the option (`None`: absent or not a number): both
    /// integers from 1 to 10^9, else `INVALID_CONFIG`.
    pub fn from_numbers(requests: Option<f64>, per_ms: Option<f64>) -> Result<Self> {
        let int = |n: Option<f64>| {
            n.filter(|n| n.fract() == 0.0 && (1.0..=1e9).contains(n))
                .ok_or_else(|| {
                    Error::invalid_config(
                        "rateLimit",
                        "must be false or { requests, perMs } with positive integers",
                    )
                })
        };
        // Bounded above, so the conversions are exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(Self {
            requests: int(requests)? as usize,
            per_ms: int(per_ms)? as i64,
        })
    }
}

/// At most `limit` requests arriving in any `window_ms` window.
#[derive(Clone, Debug)]
pub struct Permits {
    limit: usize,
    window_ms: i64,
    /// Permits not in use, by the time each is free again (unsorted; `limit` is small).
    free_at: Vec<UnixMillis>,
    /// Permits taken and not given back.
    in_use: usize,
}

impl Permits {
    /// A pool of `limit` permits per `window_ms` (a `limit` of 0 is treated as 1).
    pub fn new(limit: usize, window_ms: i64) -> Self {
        Self {
            limit: limit.max(1),
            window_ms,
            free_at: Vec::new(),
            in_use: 0,
        }
    }

    /// Takes the permit that frees first and returns when the send may go (at or after
    /// `now`); `None` when every permit is in use (wait for [`Permits::give_back`]).
    pub fn take(&mut self, now: UnixMillis) -> Option<UnixMillis> {
        if self.in_use + self.free_at.len() < self.limit {
            self.in_use += 1;
            return Some(now);
        }
        let (i, _) = self.free_at.iter().enumerate().min_by_key(|(_, t)| t.0)?;
        let at = self.free_at.swap_remove(i);
        self.in_use += 1;
        Some(at.max(now))
    }

    /// Gives back a permit whose attempt ended at `ended`: free again one window later.
    pub fn give_back(&mut self, ended: UnixMillis) {
        self.in_use = self.in_use.saturating_sub(1);
        self.free_at.push(ended.plus_ms(self.window_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    /// Sends `n` requests through `p`, each taking `latency(i)` ms from send to end and
    /// arriving `arrive(i)` ms after its send (≤ latency); returns the arrival times.
    fn simulate(
        p: &mut Permits,
        n: usize,
        latency: impl Fn(usize) -> i64,
        arrive: impl Fn(usize) -> i64,
    ) -> Vec<i64> {
        // A tiny event loop: pending ends (time, permit back) and waiting sends, FIFO.
        let mut now = 0i64;
        let mut ends: Vec<i64> = Vec::new();
        let mut arrivals = Vec::new();
        for i in 0..n {
            let at = loop {
                if let Some(at) = p.take(UnixMillis(now)) {
                    break at.0;
                }
                // Every permit in use: jump to the earliest end and give it back.
                ends.sort_unstable();
                let first = ends.remove(0);
                now = now.max(first);
                p.give_back(UnixMillis(first));
            };
            now = now.max(at);
            arrivals.push(now + arrive(i));
            ends.push(now + latency(i));
        }
        arrivals
    }

    fn most_in_any_window(times: &[i64], window: i64) -> usize {
        let mut t = times.to_vec();
        t.sort_unstable();
        let mut best = 0;
        let mut i = 0;
        for j in 0..t.len() {
            while t[j] - t[i] >= window {
                i += 1;
            }
            best = best.max(j - i + 1);
        }
        best
    }

    #[test]
    fn a_rate_limit_is_two_integers_from_one_to_a_billion() {
        let read = |r: Option<f64>, w: Option<f64>| RateLimit::from_numbers(r, w);
        assert_eq!(
            read(Some(5.0), Some(1000.0)).unwrap(),
            RateLimit {
                requests: 5,
                per_ms: 1000
            }
        );
        assert_eq!(read(Some(1e9), Some(1.0)).unwrap().requests, 1_000_000_000);
        let bad = [
            (None, Some(10.0)),
            (Some(30.0), None),
            (Some(0.0), Some(10.0)),
            (Some(1.5), Some(10.0)),
            (Some(-1.0), Some(10.0)),
            (Some(30.0), Some(1e10)),
            (Some(f64::NAN), Some(10.0)),
            (Some(30.0), Some(f64::INFINITY)),
        ];
        for (r, w) in bad {
            let e = read(r, w).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{r:?} {w:?}");
            assert!(e.message.contains("rateLimit"), "{}", e.message);
        }
    }

    #[test]
    fn a_burst_of_thirty_five_is_spaced_by_the_window() {
        let mut p = Permits::new(30, 10_000);
        let times: Vec<i64> = (0..30)
            .map(|_| p.take(UnixMillis(1000)).map_or(-1, |t| t.0))
            .collect();
        assert!(times.iter().all(|&t| t == 1000));
        assert_eq!(p.take(UnixMillis(1000)), None, "all 30 in use");
        for _ in 0..30 {
            p.give_back(UnixMillis(1050));
        }
        assert_eq!(p.take(UnixMillis(1100)), Some(UnixMillis(11_050)));
    }

    #[test]
    fn never_more_than_the_limit_in_any_window_whatever_the_latency() {
        for (limit, window) in [(30usize, 10_000i64), (5, 100), (1, 50)] {
            for jitter in [0i64, 3, 40, 250] {
                let mut p = Permits::new(limit, window);
                // Latency varies per request; arrival anywhere from send to end.
                let lat = |i: usize| 1 + (i as i64 * 7919) % (jitter + 1);
                let arr = |i: usize| (i as i64 * 104_729) % (lat(i) + 1);
                let arrivals = simulate(&mut p, 400, lat, arr);
                let most = most_in_any_window(&arrivals, window);
                assert!(
                    most <= limit,
                    "{most} > {limit} (window {window}, jitter {jitter})"
                );
            }
        }
    }

    #[test]
    fn throughput_is_the_limit_when_latency_is_small() {
        let mut p = Permits::new(30, 10_000);
        let arrivals = simulate(&mut p, 300, |_| 20, |_| 10);
        // 300 requests at 30 per (10 s + 20 ms): the last goes after 9 full windows.
        let span = arrivals.last().copied().unwrap_or(0);
        assert!((90_000..=90_400).contains(&span), "{span}");
    }

    #[test]
    fn frees_permits_as_time_passes() {
        let mut p = Permits::new(2, 100);
        assert_eq!(p.take(UnixMillis(0)), Some(UnixMillis(0)));
        assert_eq!(p.take(UnixMillis(10)), Some(UnixMillis(10)));
        p.give_back(UnixMillis(5));
        p.give_back(UnixMillis(20));
        assert_eq!(p.take(UnixMillis(30)), Some(UnixMillis(105)));
        assert_eq!(p.take(UnixMillis(500)), Some(UnixMillis(500)));
    }
}
