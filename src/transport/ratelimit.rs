//! A client-side sliding-window rate limiter (LearnWorlds allows 30 requests per 10 s).
//! Pure: callers reserve a send time and sleep until it; reservations are handed out in
//! call order, so waiting callers are served first in, first out.

use std::collections::VecDeque;

use crate::core::time::UnixMillis;

/// At most `limit` sends in any `window_ms` window.
#[derive(Clone, Debug)]
pub struct SlidingWindow {
    limit: usize,
    window_ms: i64,
    sent: VecDeque<UnixMillis>,
}

impl SlidingWindow {
    /// A limiter of `limit` sends per `window_ms` (a `limit` of 0 is treated as 1).
    pub fn new(limit: usize, window_ms: i64) -> Self {
        Self {
            limit: limit.max(1),
            window_ms,
            sent: VecDeque::new(),
        }
    }

    /// Reserves the earliest send time at or after `now` and returns it.
    pub fn reserve(&mut self, now: UnixMillis) -> UnixMillis {
        while self.sent.len() >= self.limit {
            match self.sent.front() {
                Some(&oldest) if oldest.0 + self.window_ms <= now.0 => {
                    self.sent.pop_front();
                }
                _ => break,
            }
        }
        let at = if self.sent.len() < self.limit {
            now
        } else {
            let idx = self.sent.len() - self.limit;
            let floor = self
                .sent
                .get(idx)
                .map_or(now, |t| t.plus_ms(self.window_ms));
            floor.max(now)
        };
        let last = self.sent.back().copied().unwrap_or(at);
        let at = at.max(last);
        self.sent.push_back(at);
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_five_requests_in_a_burst_are_spaced() {
        let mut w = SlidingWindow::new(30, 10_000);
        let times: Vec<i64> = (0..35).map(|_| w.reserve(UnixMillis(1000)).0).collect();
        assert!(times[..30].iter().all(|&t| t == 1000));
        assert!(times[30..].iter().all(|&t| t == 11_000));
        // never more than 30 in any 10 s window
        for (i, t) in times.iter().enumerate() {
            let in_window = times.iter().filter(|&&u| u >= *t && u < t + 10_000).count();
            assert!(in_window <= 30, "window at {i}");
        }
    }

    #[test]
    fn frees_slots_as_time_passes() {
        let mut w = SlidingWindow::new(2, 100);
        assert_eq!(w.reserve(UnixMillis(0)).0, 0);
        assert_eq!(w.reserve(UnixMillis(10)).0, 10);
        assert_eq!(w.reserve(UnixMillis(20)).0, 100);
        assert_eq!(w.reserve(UnixMillis(500)).0, 500);
    }
}
