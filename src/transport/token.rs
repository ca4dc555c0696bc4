//! The token-based vendors' shared logic: the cached-token rule (refresh when less than
//! max(60 s, 10 % of the lifetime) remains), the cache with its single-flight fetch, and the
//! "refused: fetch another and send once more" rule.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use super::flight::{SingleFlight, Task, Work};
use crate::core::http::HttpResponse;
use crate::core::secret::Secret;
use crate::core::time::UnixMillis;
use crate::error::Result;

/// An access token with its expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedToken {
    /// The token.
    pub token: Secret<String>,
    /// When it was obtained.
    pub obtained_at: UnixMillis,
    /// When it expires; `None` = never (a caller-supplied token).
    pub expires_at: Option<UnixMillis>,
}

impl CachedToken {
    /// A token the caller configured: used as is, never expires.
    pub fn configured(token: &str) -> Self {
        Self {
            token: token.to_owned().into(),
            obtained_at: UnixMillis(0),
            expires_at: None,
        }
    }

    /// Whether the token is still good to use at `now`.
    pub fn is_fresh(&self, now: UnixMillis) -> bool {
        let Some(exp) = self.expires_at else {
            return true;
        };
        let lifetime = (exp.0 - self.obtained_at.0).max(0);
        let margin = (lifetime / 10).max(60_000);
        exp.0 - now.0 > margin
    }
}

/// A client's access token: the one it holds, and the request that fetches another (one at
/// a time however many callers race; a failed fetch reaches every waiter and is not kept).
#[derive(Default)]
pub struct TokenCache {
    token: Rc<RefCell<Option<CachedToken>>>,
    flight: SingleFlight<CachedToken>,
}

impl TokenCache {
    /// A cache holding `initial` (a configured token), or nothing.
    pub fn new(initial: Option<CachedToken>) -> Self {
        Self {
            token: Rc::new(RefCell::new(initial)),
            flight: SingleFlight::default(),
        }
    }

    /// The token held, fresh or not (for builders and for scrubbing).
    pub fn current(&self) -> Option<CachedToken> {
        self.token.borrow().clone()
    }

    /// The token held if it is still fresh at `now`.
    pub fn fresh(&self, now: UnixMillis) -> Option<CachedToken> {
        self.token
            .borrow()
            .as_ref()
            .filter(|t| t.is_fresh(now))
            .cloned()
    }

    /// The token: the fresh one held, else the one `fetch` obtains (joining a fetch in
    /// flight), which is then held. The fetch runs as its own task through `spawn`. (`fetch`
    /// as a trait object: this is compiled once, not once per vendor.)
    pub async fn get(
        &self,
        now: UnixMillis,
        spawn: &dyn Fn(Task),
        fetch: &dyn Fn() -> Work<CachedToken>,
    ) -> Result<CachedToken> {
        if let Some(t) = self.fresh(now) {
            return Ok(t);
        }
        let held = self.token.clone();
        // `fetch` is called only by the caller that starts the flight; joiners make nothing.
        self.flight
            .join(spawn, move || {
                let work = fetch();
                async move {
                    let token = work.await?;
                    *held.borrow_mut() = Some(token.clone());
                    Ok(token)
                }
            })
            .await
    }

    /// Forgets the token if it is still `refused` (a racing call may have renewed it).
    pub fn forget(&self, refused: &str) {
        let mut token = self.token.borrow_mut();
        if token.as_ref().is_some_and(|t| t.token.as_str() == refused) {
            *token = None;
        }
    }
}

/// Sends a request that needs a token: `send(token)` with the token `get()` gives; when
/// `refused(response)` (the vendor's way of saying the token expired early or was revoked),
/// forgets that token, gets another and sends once more, returning that second response
/// whatever it is. Every token used is pushed to `used`, for scrubbing.
pub async fn send_with_token<GF, SF>(
    cache: &TokenCache,
    get: impl Fn() -> GF,
    send: impl Fn(String) -> SF,
    refused: impl Fn(&HttpResponse) -> bool,
    used: &RefCell<Vec<String>>,
) -> Result<HttpResponse>
where
    GF: Future<Output = Result<CachedToken>>,
    SF: Future<Output = Result<HttpResponse>>,
{
    let token = get().await?.token.as_str().to_owned();
    used.borrow_mut().push(token.clone());
    let resp = send(token.clone()).await?;
    if !refused(&resp) {
        return Ok(resp);
    }
    cache.forget(&token);
    let fresh = get().await?.token.as_str().to_owned();
    used.borrow_mut().push(fresh.clone());
    send(fresh).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_with_a_margin() {
        let t = CachedToken {
            token: "t".into(),
            obtained_at: UnixMillis(0),
            expires_at: Some(UnixMillis(3_600_000)),
        };
        assert!(t.is_fresh(UnixMillis(3_000_000)));
        assert!(!t.is_fresh(UnixMillis(3_240_000)));
        let short = CachedToken {
            expires_at: Some(UnixMillis(100_000)),
            ..t.clone()
        };
        assert!(!short.is_fresh(UnixMillis(40_001)));
        assert!(short.is_fresh(UnixMillis(39_999)));
        assert!(CachedToken {
            expires_at: None,
            ..t.clone()
        }
        .is_fresh(UnixMillis(i64::MAX)));
        assert!(!format!("{t:?}").contains("\"t\""));
    }

    use std::cell::Cell;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::Context;

    use crate::core::http::HttpResponse;
    use crate::error::{Error, ErrorCode};
    use crate::transport::exchange::sim::Sim;
    use crate::transport::exchange::Host;

    /// A token `name` good for an hour from `now`.
    fn token(name: &str, now: i64) -> CachedToken {
        CachedToken {
            token: name.to_owned().into(),
            obtained_at: UnixMillis(now),
            expires_at: Some(UnixMillis(now + 3_600_000)),
        }
    }

    /// A fetch that takes 100 ms on `sim`'s clock, counts itself in `fetches` and yields
    /// `t<n>`, or fails when `fail` is set.
    fn fetch(
        sim: &Rc<Sim>,
        fetches: &Rc<Cell<u32>>,
        fail: bool,
    ) -> impl Future<Output = Result<CachedToken>> + 'static {
        let (sim, fetches) = (sim.clone(), fetches.clone());
        async move {
            fetches.set(fetches.get() + 1);
            sim.pause(100, false).await;
            if fail {
                return Err(Error::new(ErrorCode::Network, "token endpoint down"));
            }
            Ok(token(&format!("t{}", fetches.get()), sim.now()?.0))
        }
    }

    /// [`fetch`] as `TokenCache::get` takes it.
    fn fetcher(
        sim: &Rc<Sim>,
        fetches: &Rc<Cell<u32>>,
        fail: bool,
    ) -> impl Fn() -> Work<CachedToken> {
        let (sim, fetches) = (sim.clone(), fetches.clone());
        move || Box::pin(fetch(&sim, &fetches, fail))
    }

    type Call<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

    #[test]
    fn concurrent_callers_share_one_fetch_and_the_token_is_then_cached() {
        let sim = Rc::new(Sim::new([]));
        let (cache, fetches) = (TokenCache::new(None), Rc::new(Cell::new(0)));
        let spawn = |t| sim.spawn(t);
        let ok = fetcher(&sim, &fetches, false);
        let calls: Vec<Call<'_, Result<CachedToken>>> = (0..10)
            .map(|_| -> Call<'_, _> { Box::pin(cache.get(UnixMillis(0), &spawn, &ok)) })
            .collect();
        let got = sim.run_all(calls);
        assert_eq!(fetches.get(), 1);
        assert!(got
            .iter()
            .all(|t| t.as_ref().unwrap().token.as_str() == "t1"));
        assert_eq!(sim.time(), 100);
        // Fresh: no fetch. Near expiry (less than 6 min of 60 left): a new one.
        let again = sim.run(cache.get(UnixMillis(3_000_000), &spawn, &ok));
        assert_eq!((again.unwrap().token.as_str(), fetches.get()), ("t1", 1));
        let renewed = sim.run(cache.get(UnixMillis(3_300_000), &spawn, &ok));
        assert_eq!((renewed.unwrap().token.as_str(), fetches.get()), ("t2", 2));
    }

    #[test]
    fn a_failed_fetch_reaches_every_waiter_and_is_not_kept() {
        let sim = Rc::new(Sim::new([]));
        let (cache, fetches) = (TokenCache::new(None), Rc::new(Cell::new(0)));
        let spawn = |t| sim.spawn(t);
        let ok = fetcher(&sim, &fetches, false);
        let failing = fetcher(&sim, &fetches, true);
        let calls: Vec<Call<'_, Result<CachedToken>>> = (0..3)
            .map(|_| -> Call<'_, _> { Box::pin(cache.get(UnixMillis(0), &spawn, &failing)) })
            .collect();
        let got = sim.run_all(calls);
        assert!(got
            .iter()
            .all(|r| r.as_ref().unwrap_err().code == ErrorCode::Network));
        assert_eq!(fetches.get(), 1);
        assert!(cache.current().is_none());
        let next = sim.run(cache.get(UnixMillis(0), &spawn, &ok));
        assert_eq!(next.unwrap().token.as_str(), "t2");
    }

    #[test]
    fn the_fetch_outlives_the_caller_that_started_it() {
        let sim = Rc::new(Sim::new([]));
        let (cache, fetches) = (TokenCache::new(None), Rc::new(Cell::new(0)));
        let spawn = |t| sim.spawn(t);
        let ok = fetcher(&sim, &fetches, false);
        {
            // The first caller starts the fetch and goes away (say, its signal aborted it).
            let mut first = Box::pin(cache.get(UnixMillis(0), &spawn, &ok));
            let mut cx = Context::from_waker(std::task::Waker::noop());
            assert!(first.as_mut().poll(&mut cx).is_pending());
        }
        let second = sim.run(cache.get(UnixMillis(0), &spawn, &ok));
        assert_eq!((second.unwrap().token.as_str(), fetches.get()), ("t1", 1));
    }

    #[test]
    fn forget_drops_only_the_refused_token() {
        let cache = TokenCache::new(Some(token("a", 0)));
        cache.forget("b");
        assert_eq!(cache.current().unwrap().token.as_str(), "a");
        cache.forget("a");
        assert!(cache.current().is_none());
    }

    fn status(code: u16) -> HttpResponse {
        HttpResponse {
            status: code,
            headers: crate::core::http::Headers::default(),
            body: Vec::new(),
        }
    }

    #[test]
    fn a_refused_token_is_replaced_and_the_request_sent_once_more() {
        let sim = Rc::new(Sim::new([]));
        let (cache, fetches) = (
            TokenCache::new(Some(token("old", 0))),
            Rc::new(Cell::new(0)),
        );
        let spawn = |t| sim.spawn(t);
        let ok = fetcher(&sim, &fetches, false);
        let sent = RefCell::new(Vec::new());
        let used = RefCell::new(Vec::new());
        let answers = RefCell::new(vec![status(200), status(401)]);
        let resp = sim.run(send_with_token(
            &cache,
            || cache.get(UnixMillis(0), &spawn, &ok),
            |t| {
                sent.borrow_mut().push(t);
                let r = answers.borrow_mut().pop();
                async move { Ok(r.unwrap()) }
            },
            |r| r.status == 401,
            &used,
        ));
        assert_eq!(resp.unwrap().status, 200);
        assert_eq!(*sent.borrow(), ["old", "t1"]);
        assert_eq!(*used.borrow(), ["old", "t1"]);
        assert_eq!(cache.current().unwrap().token.as_str(), "t1");

        // Refused twice: the second answer is returned as is (its parser reports it).
        let answers = RefCell::new(vec![status(401), status(401)]);
        let resp = sim.run(send_with_token(
            &cache,
            || cache.get(UnixMillis(0), &spawn, &ok),
            |_| {
                let r = answers.borrow_mut().pop();
                async move { Ok(r.unwrap()) }
            },
            |r| r.status == 401,
            &used,
        ));
        assert_eq!(resp.unwrap().status, 401);
        assert!(answers.borrow().is_empty());
        assert_eq!(fetches.get(), 2);
    }
}
