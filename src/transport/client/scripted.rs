//! A scripted [`Sender`] on the fake clock of [`Sim`], for the native tests of the core's
//! clients.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use super::Sender;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result, Vendor};
use crate::transport::exchange::sim::Sim;
use crate::transport::exchange::Host;
use crate::transport::flight::Task;

/// Whether `url` is a token endpoint's (`…/token`, `…/access_token`).
fn is_grant(url: &str) -> bool {
    url.ends_with("/token") || url.ends_with("/access_token")
}

/// A transport whose requests take 50 ms on the fake clock and get scripted answers: the
/// token endpoints' ([`is_grant`]) from `grants`, the others from `answers`.
#[derive(Default)]
pub struct Net {
    /// The fake clock and the tasks spawned.
    pub sim: Sim,
    /// The token endpoint's answers, in order.
    pub grants: RefCell<VecDeque<HttpResponse>>,
    /// The other requests' answers, in order.
    pub answers: RefCell<VecDeque<HttpResponse>>,
    /// Every request sent: `(at, URL, Authorization)`.
    pub sent: RefCell<Vec<(i64, String, Option<String>)>>,
}

impl Net {
    /// A transport answering with `grants` and `answers`.
    pub fn new(grants: &[HttpResponse], answers: &[HttpResponse]) -> Rc<Self> {
        let net = Self::default();
        net.sim.random.set(0.5);
        net.grants.borrow_mut().extend(grants.iter().cloned());
        net.answers.borrow_mut().extend(answers.iter().cloned());
        Rc::new(net)
    }

    /// How many token requests were sent.
    pub fn grants_sent(&self) -> usize {
        self.sent
            .borrow()
            .iter()
            .filter(|(_, url, _)| is_grant(url))
            .count()
    }

    /// The bearer tokens the API requests carried, in order.
    pub fn bearers(&self) -> Vec<String> {
        self.sent
            .borrow()
            .iter()
            .filter(|(_, url, _)| !is_grant(url))
            .filter_map(|(_, _, auth)| auth.clone())
            .collect()
    }
}

impl Sender for Rc<Net> {
    fn now(&self) -> Result<UnixMillis> {
        Host::now(&self.sim)
    }

    async fn send(
        &self,
        _vendor: Vendor,
        _idempotent: bool,
        build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        let req = build(0, Host::now(&self.sim)?)?;
        let auth = req.headers.get("Authorization").map(str::to_owned);
        self.sent
            .borrow_mut()
            .push((self.sim.time(), req.url.clone(), auth));
        self.sim.pause(50, false).await;
        let queue = if is_grant(&req.url) {
            &self.grants
        } else {
            &self.answers
        };
        let answer = queue.borrow_mut().pop_front();
        answer.ok_or_else(|| Error::new(ErrorCode::Network, "no scripted answer"))
    }

    fn spawn(&self, task: Task) {
        self.sim.spawn(task);
    }

    fn random_bytes(&self, n: usize) -> Result<Vec<u8>> {
        Ok(vec![7; n])
    }
}

/// A 200 with `body`.
pub fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, body)
}

/// A `code` with `body`.
pub fn status(code: u16, body: &str) -> HttpResponse {
    HttpResponse::new(code, body)
}
