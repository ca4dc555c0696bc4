//! The flows of several exchanges a LearnWorlds client runs on its transport.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;

use super::{Config, SsoOutput};
use crate::error::Result;
use crate::transport::client::{Client, Sender};

impl<S: Sender> Client<Config, S> {
    /// `sso(input)`: the input is checked before any token is fetched (a bad input costs no
    /// request); the request goes with the app token and is never retried (it may create a
    /// user), except once with a fresh token after `access_denied`. Its errors are scrubbed
    /// of every token it used, which the client may have replaced since.
    pub async fn sso(self: &Rc<Self>, input: &Value) -> Result<SsoOutput> {
        self.cfg.build_sso(input, "validation")?;
        let used = RefCell::new(Vec::new());
        let run = async {
            let resp = self
                .send_with_token(false, &|cfg, token| cfg.build_sso(input, token), &used)
                .await?;
            self.cfg.parse_sso(&resp, input)
        };
        run.await.map_err(|e| e.scrubbed(&used.borrow()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::ErrorCode;
    use crate::transport::client::scripted::{ok, status, Net};

    fn client(net: &Rc<Net>) -> Rc<Client<Config, Rc<Net>>> {
        let cfg = Config::from_options(&json!({"schoolUrl": "https://school.example.com",
            "clientId": "cid-1", "clientSecret": "lw-secret"}))
        .unwrap();
        Rc::new(Client::new(cfg, net.clone()).unwrap())
    }

    fn grant(token: &str) -> crate::core::http::HttpResponse {
        ok(
            &json!({"success": true, "tokenData": {"access_token": token, "expires_in": 8000}})
                .to_string(),
        )
    }

    #[test]
    fn a_bad_input_costs_no_request() {
        let net = Net::new(&[grant("app-1")], &[]);
        for bad in [
            json!({}),
            json!({"email": "a@b.co", "userId": "u1"}),
            json!("x"),
        ] {
            let err = net.sim.run(client(&net).sso(&bad)).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
        }
        assert!(net.sent.borrow().is_empty());
    }

    #[test]
    fn access_denied_is_retried_once_with_a_fresh_token() {
        let denied = json!({"success": false, "errors": [{"context": "access_denied"}]});
        let net = Net::new(
            &[grant("app-1"), grant("app-2")],
            &[
                status(401, &denied.to_string()),
                ok(
                    r#"{"success":true,"url":"https://school.example.com/login?code=1","user_id":"u1"}"#,
                ),
            ],
        );
        let out = net
            .sim
            .run(client(&net).sso(&json!({"userId": "u1"})))
            .unwrap();
        assert_eq!(
            (out.url.as_str(), out.user_id.as_str()),
            ("https://school.example.com/login?code=1", "u1")
        );
        assert_eq!(net.bearers(), ["Bearer app-1", "Bearer app-2"]);
    }

    #[test]
    fn errors_never_show_a_token_the_call_used() {
        // Refused twice: the error is the second refusal, and neither token is in it even
        // though the vendor echoed them.
        let echo = |t: &str| {
            status(
                401,
                &json!({"success": false,
                "errors": [{"context": "access_denied", "message": format!("token {t} expired")}]})
                .to_string(),
            )
        };
        let net = Net::new(
            &[grant("app-token-1"), grant("app-token-2")],
            &[echo("app-token-1"), echo("app-token-2")],
        );
        let c = client(&net);
        let err = net.sim.run(c.sso(&json!({"userId": "u1"}))).unwrap_err();
        assert_eq!(
            (err.code, err.vendor_code.as_deref()),
            (ErrorCode::AuthFailed, Some("access_denied"))
        );
        let shown = format!("{} {:?}", err.message, err.details);
        assert!(!shown.contains("app-token"), "{shown}");
    }
}
