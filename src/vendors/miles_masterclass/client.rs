//! The client's sends: each request signed with Standard Webhooks headers when
//! `requestSigning` is set, one message id for the whole call and each attempt signed at its
//! own time, so a retry is the same message, freshly stamped.

use super::{Config, VENDOR};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::error::{Result, Vendor};
use crate::transport::client::{Client, Sender, VendorConfig};

impl VendorConfig for Config {
    const VENDOR: Vendor = VENDOR;

    fn secrets(&self) -> Vec<&str> {
        Config::secrets(self)
    }
}

/// Random bytes in a message id (as `signWebhook` draws them).
const MESSAGE_ID_RANDOM_BYTES: usize = 18;

impl<S: Sender> Client<Config, S> {
    /// Sends the request `build(cfg)` makes, retried only when `idempotent`; signed when the
    /// client signs its requests.
    pub async fn send_signed(
        &self,
        idempotent: bool,
        build: &dyn Fn(&Config) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        let msg_id = self.message_id()?;
        self.sender
            .send(VENDOR, idempotent, &mut |_, now| {
                let mut req = build(&self.cfg)?;
                if let Some(id) = &msg_id {
                    self.cfg.sign_request(&mut req, id, now)?;
                }
                Ok(req)
            })
            .await
    }

    /// A sans-IO request, signed as the call's first attempt would be.
    pub fn sign_sans_io(&self, mut req: HttpRequest) -> Result<HttpRequest> {
        if let Some(id) = self.message_id()? {
            self.cfg.sign_request(&mut req, &id, self.sender.now()?)?;
        }
        Ok(req)
    }

    /// A fresh message id when the client signs its requests.
    fn message_id(&self) -> Result<Option<String>> {
        if !self.cfg.signs_requests() {
            return Ok(None);
        }
        let random = self.sender.random_bytes(MESSAGE_ID_RANDOM_BYTES)?;
        Ok(Some(super::new_message_id(&random)))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde_json::json;

    use super::*;
    use crate::core::time::UnixMillis;
    use crate::signing::schemes::standard_webhooks;
    use crate::transport::exchange::sim::Sim;
    use crate::transport::flight::Task;

    /// Sends every request twice (a first attempt at 1,000 s, a retry at 1,005 s) and
    /// answers 201; keeps what it sent.
    #[derive(Default)]
    struct TwoAttempts {
        sent: RefCell<Vec<HttpRequest>>,
    }

    impl Sender for TwoAttempts {
        fn now(&self) -> Result<UnixMillis> {
            Ok(UnixMillis(1_000_000))
        }

        async fn send(
            &self,
            _vendor: Vendor,
            _idempotent: bool,
            build: &mut dyn FnMut(u32, UnixMillis) -> Result<HttpRequest>,
        ) -> Result<HttpResponse> {
            for (attempt, at) in [(0, 1_000_000), (1, 1_005_000)] {
                let req = build(attempt, UnixMillis(at))?;
                self.sent.borrow_mut().push(req);
            }
            Ok(HttpResponse::new(201, "{}"))
        }

        fn spawn(&self, _task: Task) {}

        fn random_bytes(&self, n: usize) -> Result<Vec<u8>> {
            Ok((0..n).map(|i| i as u8).collect())
        }
    }

    const SECRET: &str = "whsec_c2lnbmluZy1zZWNyZXQtZm9yLXRlc3Rz";

    fn client(signing: bool) -> Client<Config, TwoAttempts> {
        let mut o = json!({"baseUrl": "https://mm.example.com/api", "apiKey": "mm-key-1"});
        if signing {
            o["requestSigning"] = json!({ "secret": SECRET });
        }
        Client::new(Config::from_options(&o).unwrap(), TwoAttempts::default()).unwrap()
    }

    fn build(cfg: &Config) -> Result<HttpRequest> {
        cfg.build_access_control(&json!({"email": "ann@example.com", "action": "block"}))
    }

    /// The request's `webhook-signature` is the one its id, timestamp and body give.
    fn check_signature(req: &HttpRequest) {
        let key = standard_webhooks::decode_key(&crate::signing::Key::text(SECRET)).unwrap();
        let (id, ts) = (
            req.headers.get("webhook-id").unwrap(),
            req.headers.get("webhook-timestamp").unwrap(),
        );
        let body = req.body.as_deref().unwrap();
        let want = standard_webhooks::sign(body.as_bytes(), &key, id, ts.parse().unwrap()).unwrap();
        assert_eq!(
            req.headers.get("webhook-signature"),
            want.get("webhook-signature")
        );
    }

    #[test]
    fn a_retry_is_the_same_message_signed_at_its_own_time() {
        let c = client(true);
        let resp = Sim::default().run(c.send_signed(false, &build)).unwrap();
        assert_eq!(resp.status, 201);
        let sent = c.sender.sent.borrow();
        let [first, retry] = sent.as_slice() else {
            panic!("two attempts");
        };
        assert_eq!(
            first.headers.get("webhook-id"),
            retry.headers.get("webhook-id")
        );
        assert!(first.headers.get("webhook-id").unwrap().starts_with("msg_"));
        assert_eq!(first.headers.get("webhook-timestamp"), Some("1000"));
        assert_eq!(retry.headers.get("webhook-timestamp"), Some("1005"));
        check_signature(first);
        check_signature(retry);
        // One set of signature headers each, not one per attempt.
        assert_eq!(retry.headers.0.len(), first.headers.0.len());
    }

    #[test]
    fn without_request_signing_nothing_is_added() {
        let c = client(false);
        Sim::default().run(c.send_signed(true, &build)).unwrap();
        let plain = c.sign_sans_io(build(&c.cfg).unwrap()).unwrap();
        for req in c.sender.sent.borrow().iter().chain([&plain]) {
            assert!(req.headers.get("webhook-signature").is_none());
            assert_eq!(req.headers, build(&c.cfg).unwrap().headers);
        }
    }

    #[test]
    fn a_sans_io_request_is_signed_as_the_first_attempt() {
        let c = client(true);
        let req = c.sign_sans_io(build(&c.cfg).unwrap()).unwrap();
        assert_eq!(req.headers.get("webhook-timestamp"), Some("1000"));
        check_signature(&req);
    }
}
