//! The bearer-token client Teach on Mars and LearnWorlds share: the configured or fetched
//! token, fetched one grant at a time however many calls race and cached until shortly
//! before it expires; each request sent with it; and when the vendor refuses it (expired
//! early, revoked), the token dropped, another fetched and the request sent once more.
//!
//! What differs between the two vendors is a [`Grant`]; what sends requests is a [`Sender`]
//! (the wasm layer's `fetch` transport, or a scripted one in the tests below).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use super::flight::Task;
use super::token::{send_with_token, CachedToken, TokenCache};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::time::UnixMillis;
use crate::error::{Error, Result, Vendor};

/// The transport as a client sees it.
pub trait Sender: 'static {
    /// The client's clock (its `now` option): token expiry.
    fn now(&self) -> Result<UnixMillis>;
    /// Sends the request `build(attempt, now)` makes under the client's retry rules (retried
    /// only when `idempotent`) and returns the final response, whatever its status.
    fn send(
        &self,
        vendor: Vendor,
        idempotent: bool,
        build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
    ) -> impl Future<Output = Result<HttpResponse>>;
    /// Runs work that calls share (a token fetch) as a task of its own, so that no one
    /// call's options (its signal, its timeout) apply to it.
    fn spawn(&self, task: Task);
}

/// What a bearer-token vendor's configuration tells the shared client.
pub trait Grant: 'static {
    /// The vendor.
    const VENDOR: Vendor;
    /// A token configured to be used as is (it never expires and is never replaced).
    fn static_token(&self) -> Option<&str>;
    /// Whether a token can be fetched (client credentials are configured). Without them,
    /// only the configured token is used, and a refusal is final.
    fn can_fetch(&self) -> bool;
    /// The token request.
    fn build_grant(&self) -> Result<HttpRequest>;
    /// The token response, sent at `sent_at` and read at `now`.
    fn parse_grant(
        &self,
        resp: &HttpResponse,
        sent_at: UnixMillis,
        now: UnixMillis,
    ) -> Result<CachedToken>;
    /// Whether `resp` refuses the token the request carried.
    fn refused(&self, resp: &HttpResponse) -> bool;
    /// The error when there is no token and none can be fetched.
    fn no_token(&self) -> Error;
    /// The configured secrets (for scrubbing).
    fn secrets(&self) -> Vec<&str>;
}

/// A vendor configuration, its transport and its token.
pub struct BearerClient<G, S> {
    /// The vendor's configuration.
    pub cfg: G,
    /// The transport.
    pub sender: S,
    tokens: TokenCache,
}

impl<G: Grant, S: Sender> BearerClient<G, S> {
    /// A client holding `cfg`'s configured token, if any.
    pub fn new(cfg: G, sender: S) -> Self {
        let tokens = TokenCache::new(cfg.static_token().map(CachedToken::configured));
        Self {
            cfg,
            sender,
            tokens,
        }
    }

    /// The token held, fresh or not.
    pub fn current_token(&self) -> Option<CachedToken> {
        self.tokens.current()
    }

    /// The token held if it is still fresh.
    pub fn fresh_token(&self) -> Result<Option<CachedToken>> {
        Ok(self.tokens.fresh(self.sender.now()?))
    }

    /// The configured secrets and the token held: what every error must not contain.
    pub fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = self.cfg.secrets().into_iter().map(str::to_owned).collect();
        out.extend(self.tokens.current().map(|t| t.token.as_str().to_owned()));
        out
    }

    /// The token: the fresh one held, else a fetched one (one grant at a time however many
    /// callers race; a failure reaches every waiter and is not kept). Without client
    /// credentials, the configured token or [`Grant::no_token`].
    pub async fn token(self: &Rc<Self>) -> Result<CachedToken> {
        let now = self.sender.now()?;
        if !self.cfg.can_fetch() {
            return self.tokens.fresh(now).ok_or_else(|| self.cfg.no_token());
        }
        let client = self.clone();
        self.tokens
            .get(now, &|task| self.sender.spawn(task), || async move {
                client.fetch().await
            })
            .await
    }

    /// One grant (retried like every idempotent request).
    async fn fetch(&self) -> Result<CachedToken> {
        let sent_at = self.sender.now()?;
        let resp = self
            .sender
            .send(G::VENDOR, true, &mut |_, _| self.cfg.build_grant())
            .await?;
        self.cfg.parse_grant(&resp, sent_at, self.sender.now()?)
    }

    /// Sends the request `build(cfg, token)` makes with the token; when the vendor refuses
    /// the token and another can be fetched, sends it once more with a fresh one (that
    /// answer is returned whatever it is). Every token used is pushed to `used`, and
    /// removed from the response's body (a vendor may echo it).
    pub async fn send(
        self: &Rc<Self>,
        idempotent: bool,
        build: &dyn Fn(&G, &str) -> Result<HttpRequest>,
        used: &RefCell<Vec<String>>,
    ) -> Result<HttpResponse> {
        let resp = send_with_token(
            &self.tokens,
            || self.token(),
            |token| async move {
                self.sender
                    .send(G::VENDOR, idempotent, &mut |_, _| build(&self.cfg, &token))
                    .await
            },
            |resp| self.cfg.can_fetch() && self.cfg.refused(resp),
            used,
        )
        .await?;
        Ok(used.borrow().iter().fold(resp, |r, t| r.scrubbed(t)))
    }
}

#[cfg(test)]
mod tests;
