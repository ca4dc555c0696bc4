//! The shared bearer-token client driven by a scripted transport on a fake clock: generic
//! rules with a minimal grant, then the Teach on Mars and LearnWorlds rules with their real
//! configurations.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde_json::json;

use super::*;
use crate::core::http::Method;
use crate::error::{ErrorCode, Vendor};
use crate::transport::client::scripted::{ok, status, Net};
use crate::transport::exchange::Host;
use crate::vendors::{learnworlds, teach_on_mars};

/// A grant whose token response's body is the token, valid for an hour.
struct Minimal {
    configured: Option<String>,
    can_fetch: bool,
}

impl VendorConfig for Minimal {
    const VENDOR: Vendor = Vendor::TeachOnMars;

    fn secrets(&self) -> Vec<&str> {
        vec!["client-secret"]
    }

    fn static_token(&self) -> Option<&str> {
        self.configured.as_deref()
    }
}

impl Grant for Minimal {
    fn can_fetch(&self) -> bool {
        self.can_fetch
    }

    fn build_grant(&self) -> Result<HttpRequest> {
        Ok(HttpRequest::new(
            Method::Post,
            "https://v.example/token".to_owned(),
        ))
    }

    fn parse_grant(
        &self,
        resp: &HttpResponse,
        sent_at: UnixMillis,
        _now: UnixMillis,
    ) -> Result<CachedToken> {
        if !resp.is_success() {
            return Err(Error::new(ErrorCode::AuthFailed, "grant refused"));
        }
        Ok(CachedToken {
            token: String::from_utf8_lossy(&resp.body).into_owned().into(),
            obtained_at: sent_at,
            expires_at: Some(sent_at.plus_ms(3_600_000)),
        })
    }

    fn refused(&self, resp: &HttpResponse) -> bool {
        resp.status == 401
    }

    fn no_token(&self) -> Error {
        Error::invalid_config("auth", "has no token")
    }
}

/// An API request carrying `token`.
fn api<G>(_cfg: &G, token: &str) -> Result<HttpRequest> {
    Ok(
        HttpRequest::new(Method::Get, "https://v.example/api/thing".to_owned())
            .header("Authorization", format!("Bearer {token}")),
    )
}

type Call<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

fn client<G: Grant>(cfg: G, net: &Rc<Net>) -> Rc<Client<G, Rc<Net>>> {
    Rc::new(Client::new(cfg, net.clone()).unwrap())
}

fn send_one<G: Grant>(c: &Rc<Client<G, Rc<Net>>>) -> Result<HttpResponse> {
    let used = RefCell::new(Vec::new());
    c.sender.sim.run(c.send_with_token(true, &api, &used))
}

fn fetching() -> Minimal {
    Minimal {
        configured: None,
        can_fetch: true,
    }
}

#[test]
fn concurrent_calls_share_one_grant_then_the_token_is_cached_until_near_expiry() {
    let net = Net::new(&[ok("t1"), ok("t2")], &vec![ok("{}"); 6]);
    let c = client(fetching(), &net);
    let calls: Vec<Call<'_, Result<HttpResponse>>> = (0..5)
        .map(|_| -> Call<'_, _> {
            let c = c.clone();
            Box::pin(async move {
                let used = RefCell::new(Vec::new());
                c.send_with_token(true, &api, &used).await
            })
        })
        .collect();
    let got = net.sim.run_all(calls);
    assert!(got.iter().all(|r| r.as_ref().unwrap().status == 200));
    assert_eq!(net.grants_sent(), 1);
    assert_eq!(net.bearers(), vec!["Bearer t1"; 5]);
    assert_eq!(c.current_token().unwrap().token.as_str(), "t1");
    assert_eq!(
        c.secrets(),
        ["client-secret", "t1"],
        "errors are scrubbed of the secrets and the token held"
    );

    // Less than max(60 s, 10 % of the hour) left: a new grant before the call.
    net.sim.run(net.sim.pause(3_600_000 - 300_000, false));
    send_one(&c).unwrap();
    assert_eq!(net.grants_sent(), 2);
    assert_eq!(net.bearers().last().unwrap(), "Bearer t2");
}

#[test]
fn a_refused_token_is_replaced_and_the_request_sent_once_more() {
    let net = Net::new(
        &[ok("t1"), ok("t2"), ok("t3")],
        &[status(401, ""), ok("{}"), status(401, ""), status(401, "")],
    );
    let c = client(fetching(), &net);
    assert_eq!(send_one(&c).unwrap().status, 200);
    assert_eq!(net.bearers(), ["Bearer t1", "Bearer t2"]);
    // Refused twice: the second answer is the call's (its parser reports it), no third try.
    assert_eq!(send_one(&c).unwrap().status, 401);
    assert_eq!(net.bearers().len(), 4);
    assert_eq!(net.grants_sent(), 3);
}

#[test]
fn a_configured_token_without_credentials_is_never_replaced() {
    let net = Net::new(&[], &[status(401, ""), ok("{}")]);
    let c = client(
        Minimal {
            configured: Some("static".to_owned()),
            can_fetch: false,
        },
        &net,
    );
    // The refusal is final: it goes to the parser, nothing is fetched.
    assert_eq!(send_one(&c).unwrap().status, 401);
    assert_eq!(send_one(&c).unwrap().status, 200);
    assert_eq!(net.grants_sent(), 0);
    assert_eq!(net.bearers(), ["Bearer static", "Bearer static"]);

    // No token and no way to get one: the grant's error, before any request.
    let none = client(
        Minimal {
            configured: None,
            can_fetch: false,
        },
        &net,
    );
    let err = send_one(&none).unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (ErrorCode::InvalidConfig, "`auth` has no token")
    );
    assert_eq!(net.sent.borrow().len(), 2);
}

#[test]
fn a_secret_too_short_to_scrub_is_refused_when_the_client_is_made() {
    let net = Net::new(&[], &[]);
    let short = Minimal {
        configured: Some("abc".to_owned()),
        can_fetch: false,
    };
    let err = Client::new(short, net).err().unwrap();
    assert_eq!(
        (err.code, err.vendor),
        (ErrorCode::InvalidConfig, Some(Vendor::TeachOnMars))
    );
}

#[test]
fn a_failed_grant_fails_the_call_and_is_not_kept() {
    let net = Net::new(&[status(500, ""), ok("t2")], &[ok("{}")]);
    let c = client(fetching(), &net);
    assert_eq!(send_one(&c).unwrap_err().code, ErrorCode::AuthFailed);
    assert!(c.current_token().is_none());
    assert_eq!(send_one(&c).unwrap().status, 200);
    assert_eq!(net.bearers(), ["Bearer t2"]);
}

#[test]
fn tokens_echoed_in_a_response_are_removed_from_it() {
    let net = Net::new(&[ok("tok-echoed")], &[ok(r#"{"seen":"tok-echoed"}"#)]);
    let c = client(fetching(), &net);
    let resp = send_one(&c).unwrap();
    let body = String::from_utf8(resp.body).unwrap();
    assert!(!body.contains("tok-echoed"), "{body}");
}

// ---- the vendors' rules ----

fn tom(auth: serde_json::Value) -> teach_on_mars::Config {
    teach_on_mars::Config::from_options(
        &json!({"baseUrl": "https://acme.teachonmars.com", "auth": auth}),
    )
    .unwrap()
}

fn tom_grant(token: &str) -> HttpResponse {
    ok(&json!({"access_token": token, "expires_in": 3600}).to_string())
}

#[test]
fn teach_on_mars_refetches_after_a_401_only_with_client_credentials() {
    let creds = json!({"clientId": "cid", "clientSecret": "tom-secret",
        "tokenUrl": "https://auth.example/oauth/token"});
    let net = Net::new(
        &[tom_grant("tok-a"), tom_grant("tok-b")],
        &[status(401, ""), ok("{}")],
    );
    let c = client(tom(creds), &net);
    assert_eq!(send_one(&c).unwrap().status, 200);
    assert_eq!(net.bearers(), ["Bearer tok-a", "Bearer tok-b"]);
    assert_eq!(c.secrets(), ["tom-secret", "tok-b"]);

    let net = Net::new(&[], &[status(401, "")]);
    let c = client(tom(json!({"accessToken": "tom-static"})), &net);
    assert_eq!(send_one(&c).unwrap().status, 401);
    assert_eq!((net.grants_sent(), net.bearers().len()), (0, 1));
}

fn lw(extra: serde_json::Value) -> learnworlds::Config {
    let mut o = json!({"schoolUrl": "https://school.example.com", "clientId": "cid-1"});
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    learnworlds::Config::from_options(&o).unwrap()
}

fn lw_grant(token: &str) -> HttpResponse {
    ok(
        &json!({"success": true, "tokenData": {"access_token": token, "expires_in": 8000}})
            .to_string(),
    )
}

fn access_denied(status_code: u16) -> HttpResponse {
    status(
        status_code,
        &json!({"success": false, "errors": [{"context": "access_denied", "message": "expired"}]})
            .to_string(),
    )
}

#[test]
fn learnworlds_refetches_after_access_denied_only_with_a_secret() {
    for code in [400, 401] {
        let net = Net::new(
            &[lw_grant("app-1"), lw_grant("app-2")],
            &[access_denied(code), ok("{}")],
        );
        let c = client(lw(json!({"clientSecret": "lw-secret"})), &net);
        assert_eq!(send_one(&c).unwrap().status, 200, "{code}");
        assert_eq!(net.bearers(), ["Bearer app-1", "Bearer app-2"]);
        let t = c.current_token().unwrap();
        assert_eq!(t.expires_at, Some(t.obtained_at.plus_ms(8_000_000)));
    }

    // Another 401 is not a refusal of the token: no new grant.
    let net = Net::new(&[lw_grant("app-1")], &[status(401, r#"{"success":false}"#)]);
    let c = client(lw(json!({"clientSecret": "lw-secret"})), &net);
    assert_eq!(send_one(&c).unwrap().status, 401);
    assert_eq!(net.grants_sent(), 1);

    // A configured token without a secret: used as is, its refusal final.
    let net = Net::new(&[], &[access_denied(401)]);
    let c = client(lw(json!({"accessToken": "lw-static"})), &net);
    assert_eq!(send_one(&c).unwrap().status, 401);
    assert_eq!(
        (net.grants_sent(), net.bearers()),
        (0, vec!["Bearer lw-static".to_owned()])
    );

    // Neither: the configuration error, before any request.
    let net = Net::new(&[], &[]);
    let err = send_one(&client(lw(json!({})), &net)).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidConfig);
    assert_eq!(err.vendor, Some(Vendor::LearnWorlds));
    assert!(net.sent.borrow().is_empty());
}
