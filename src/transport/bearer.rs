//! The bearer-token client Teach on Mars and LearnWorlds share: the configured or fetched
//! token, fetched one grant at a time however many calls race and cached until shortly
//! before it expires; each request sent with it; and when the vendor refuses it (expired
//! early, revoked), the token dropped, another fetched and the request sent once more.
//!
//! What differs between the two vendors is a [`Grant`]; what sends requests is a
//! [`Sender`] (the wasm layer's `fetch` transport, or a scripted one in the tests below).

use std::cell::RefCell;
use std::rc::Rc;

use super::client::{Client, Sender, VendorConfig};
use super::flight::Work;
use super::token::{send_with_token, CachedToken};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::time::UnixMillis;
use crate::error::{Error, Result};

/// What a bearer-token vendor's configuration tells the shared client (its configured
/// token is [`VendorConfig::static_token`]).
pub trait Grant: VendorConfig {
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
}

impl<G: Grant, S: Sender> Client<G, S> {
    /// The token: the fresh one held, else a fetched one (one grant at a time however many
    /// callers race; a failure reaches every waiter and is not kept). Without client
    /// credentials, the configured token or [`Grant::no_token`].
    pub async fn token(self: &Rc<Self>) -> Result<CachedToken> {
        let now = self.sender.now()?;
        if !self.cfg.can_fetch() {
            return self.tokens.fresh(now).ok_or_else(|| self.cfg.no_token());
        }
        let fetch = || -> Work<CachedToken> {
            let client = self.clone();
            Box::pin(async move { client.fetch().await })
        };
        self.tokens
            .get(now, &|task| self.sender.spawn(task), &fetch)
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
    pub async fn send_with_token(
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
