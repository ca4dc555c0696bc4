//! The calls an AlphaLearn client makes on its transport for a session: the login that
//! starts it and the refresh that keeps it (the client is the session's [`Refresher`]).

use std::future::Future;
use std::rc::Rc;

use serde_json::Value;

use super::{Config, LoginResult, Refresher};
use crate::core::time::UnixMillis;
use crate::error::Result;
use crate::transport::client::{Client, Sender};

impl<S: Sender> Client<Config, S> {
    /// `login(input)`, or `loginWithThirdParty(input)` when `third_party`: retried as a
    /// token request, then parsed.
    pub async fn login(&self, input: &Value, third_party: bool) -> Result<LoginResult> {
        let resp = self
            .send(true, &|cfg| {
                if third_party {
                    cfg.build_login_with_third_party(input)
                } else {
                    cfg.build_login(input)
                }
            })
            .await?;
        if third_party {
            self.cfg.parse_login_with_third_party(&resp)
        } else {
            self.cfg.parse_login(&resp)
        }
    }

    /// A new JWT for `refresh_token` (retried as a token request).
    pub async fn refreshed_jwt(&self, refresh_token: &str) -> Result<String> {
        let resp = self
            .send(true, &|cfg| cfg.build_refresh_token(refresh_token))
            .await?;
        Ok(self
            .cfg
            .parse_refresh_token(&resp)?
            .token
            .as_str()
            .to_owned())
    }
}

impl<S: Sender> Refresher for Client<Config, S> {
    fn now(&self) -> Result<UnixMillis> {
        self.sender.now()
    }

    fn refresh(
        self: &Rc<Self>,
        refresh_token: String,
    ) -> impl Future<Output = Result<String>> + 'static {
        let client = self.clone();
        async move { client.refreshed_jwt(&refresh_token).await }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::http::HttpResponse;
    use crate::error::ErrorCode;
    use crate::transport::client::scripted::{ok, Net};
    use crate::transport::exchange::Host;
    use crate::vendors::alphalearn::Session;

    fn client(net: &Rc<Net>) -> Rc<Client<Config, Rc<Net>>> {
        let cfg = Config::from_options(&json!({"baseUrl": "https://al.example.com/v3"})).unwrap();
        Rc::new(Client::new(cfg, net.clone()).unwrap())
    }

    /// AlphaLearn's success envelope around `data`.
    fn success(data: Value) -> HttpResponse {
        ok(
            &json!({"success": true, "data": {"response": {"acknowledgement": "Success",
            "error": {"code": "", "internal_message": "", "moreInfo": []}, "data": data}}})
            .to_string(),
        )
    }

    fn user() -> Value {
        json!({"id": "101", "firstName": "Ada", "email": "ada@example.com", "uniqueId": "EMP-101",
            "companyId": "7"})
    }

    #[test]
    fn login_and_third_party_login_hit_their_routes() {
        let login = success(json!({"user": user(), "token": "jwt-1", "refresh-token": "rt-1"}));
        let net = Net::new(&[], &[login.clone(), login]);
        let c = client(&net);
        let r = net
            .sim
            .run(c.login(
                &json!({"email": "ada@example.com", "password": "pw"}),
                false,
            ))
            .unwrap();
        assert_eq!(
            (r.token.as_str(), r.refresh_token.as_str(), r.user.id),
            ("jwt-1", "rt-1", 101)
        );
        net.sim
            .run(c.login(&json!({"provider": "google", "token": "g-1"}), true))
            .unwrap();
        let urls: Vec<String> = net
            .sent
            .borrow()
            .iter()
            .map(|(_, u, _)| u.clone())
            .collect();
        assert_eq!(
            urls,
            [
                "https://al.example.com/v3/authorize/login",
                "https://al.example.com/v3/authorize/third-party"
            ]
        );

        // A bad input is refused before any request.
        let err = net
            .sim
            .run(c.login(&json!({"email": "ada@example.com"}), false))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert_eq!(net.sent.borrow().len(), 2);
    }

    #[test]
    fn a_session_refreshes_through_the_client_near_expiry() {
        let net = Net::new(&[], &[success(json!({"status": "ok", "token": "jwt-2"}))]);
        let c = client(&net);
        // The JWT has no readable `exp`: it is taken to last 60 minutes from now (0).
        let session = Session::new("jwt-1", "rt-1", None, UnixMillis(0));
        let spawn = |t| net.sim.spawn(t);
        assert_eq!(
            net.sim.run(session.valid_token(&c, &spawn)).unwrap(),
            "jwt-1"
        );
        assert!(net.sent.borrow().is_empty());
        // Within 5 minutes of expiry: one refresh, then the new JWT.
        net.sim.run(net.sim.pause(56 * 60_000, false));
        assert_eq!(
            net.sim.run(session.valid_token(&c, &spawn)).unwrap(),
            "jwt-2"
        );
        let sent = net.sent.borrow();
        assert_eq!(sent.len(), 1);
        assert!(sent[0].1.ends_with("/authorize/refresh-token"));
    }
}
