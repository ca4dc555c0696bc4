//! A vendor client's state in the core: its configuration, the transport it sends through
//! (a [`Sender`], the one abstraction between the core's clients and a host) and its token.
//! The wasm layer's four clients are all this type; what differs between them is their
//! configuration's rules (for bearer-token vendors, a [`super::bearer::Grant`]).

use std::future::Future;

use super::flight::Task;
use super::token::{CachedToken, TokenCache};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::secret::check_lengths;
use crate::core::time::UnixMillis;
use crate::error::{Result, Vendor};

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
    /// `n` random bytes from the host's CSPRNG (message ids).
    fn random_bytes(&self, n: usize) -> Result<Vec<u8>>;
}

/// What every client needs of its vendor's configuration.
pub trait VendorConfig: 'static {
    /// The vendor.
    const VENDOR: Vendor;
    /// The configured secrets: every error is scrubbed of them.
    fn secrets(&self) -> Vec<&str>;
    /// A bearer token configured to be used as is (never expires, never replaced).
    fn static_token(&self) -> Option<&str> {
        None
    }
}

/// A vendor configuration, its transport and its token (the configured one, or the last
/// one fetched: see [`super::bearer`]).
pub struct Client<C, S> {
    /// The vendor's configuration.
    pub cfg: C,
    /// The transport.
    pub sender: S,
    pub(super) tokens: TokenCache,
}

impl<C: VendorConfig, S> Client<C, S> {
    /// A client holding `cfg`'s configured token, if any. A configured secret, key or token
    /// shorter than 4 characters is `INVALID_CONFIG` ([`check_lengths`]).
    pub fn new(cfg: C, sender: S) -> Result<Self> {
        let tokens = TokenCache::new(cfg.static_token().map(CachedToken::configured));
        let client = Self {
            cfg,
            sender,
            tokens,
        };
        check_lengths(&client.secrets(), C::VENDOR)?;
        Ok(client)
    }

    /// The token held, fresh or not.
    pub fn current_token(&self) -> Option<CachedToken> {
        self.tokens.current()
    }

    /// The configured secrets and the token held: what every error must not contain.
    pub fn secrets(&self) -> Vec<String> {
        with_token(&self.cfg.secrets(), &self.tokens)
    }
}

/// `secrets`, owned, and the token `tokens` holds (apart from [`Client::secrets`]: compiled
/// once, not per vendor).
fn with_token(secrets: &[&str], tokens: &TokenCache) -> Vec<String> {
    let mut out: Vec<String> = secrets.iter().map(|s| (*s).to_owned()).collect();
    out.extend(tokens.current().map(|t| t.token.as_str().to_owned()));
    out
}

impl<C: VendorConfig, S: Sender> Client<C, S> {
    /// The token held if it is still fresh.
    pub fn fresh_token(&self) -> Result<Option<CachedToken>> {
        Ok(self.tokens.fresh(self.sender.now()?))
    }

    /// Sends the request `build(cfg)` makes (no token), retried only when `idempotent`.
    pub async fn send(
        &self,
        idempotent: bool,
        build: &dyn Fn(&C) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        self.sender
            .send(C::VENDOR, idempotent, &mut |_, _| build(&self.cfg))
            .await
    }
}

#[cfg(test)]
pub(crate) mod scripted;
