//! `signIn` (vendors/teach-on-mars.md §4): find the learner by exact login → create them when
//! absent (after a lost create race, find them again) → update the profile when asked →
//! mint an auth token → the deep link. Several exchanges, decided here and sent through the
//! client's [`Exchange`] (its token and transport).

use std::future::Future;

use serde::Serialize;
use serde_json::Value;

use super::{sign_in_update_patch, validate_profile, Config, Learner};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::error::{Error, ErrorCode, Result};

/// How a client sends one request that needs its bearer token: `build(config, token)` makes
/// it, retried only when `idempotent`.
pub trait Exchange {
    /// Sends the request and returns the response whatever its status.
    fn exchange(
        &self,
        idempotent: bool,
        build: &dyn Fn(&Config, &str) -> Result<HttpRequest>,
    ) -> impl Future<Output = Result<HttpResponse>>;
}

/// The core client signs in with its bearer token (refreshed once after a 401).
impl<S: crate::transport::client::Sender> Exchange
    for std::rc::Rc<crate::transport::client::Client<Config, S>>
{
    async fn exchange(
        &self,
        idempotent: bool,
        build: &dyn Fn(&Config, &str) -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        let used = std::cell::RefCell::new(Vec::new());
        self.send_with_token(idempotent, build, &used).await
    }
}

/// What `signIn` returns.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInResult {
    /// The learner, as found, created or updated.
    pub learner: Learner,
    /// Logs the learner in to the app: a bearer credential.
    #[serde(serialize_with = "crate::core::secret::exposed")]
    pub auth_token: crate::core::secret::Secret<String>,
    /// Whether this call created the learner.
    pub created: bool,
    /// The app link carrying the auth token (`profileCreation=true` when created).
    #[serde(serialize_with = "crate::core::secret::exposed")]
    pub deep_link: crate::core::secret::Secret<String>,
}

/// One exchange with a typed result: `build`, then `parse`.
async fn call<T>(
    cfg: &Config,
    ex: &impl Exchange,
    idempotent: bool,
    build: &dyn Fn(&Config, &str) -> Result<HttpRequest>,
    parse: impl FnOnce(&Config, &HttpResponse) -> Result<T>,
) -> Result<T> {
    let resp = ex.exchange(idempotent, build).await?;
    parse(cfg, &resp)
}

async fn find(cfg: &Config, ex: &impl Exchange, login: &str) -> Result<Option<Learner>> {
    call(
        cfg,
        ex,
        true,
        &|c, t| c.build_find_learner_by_login(login, t),
        |c, r| c.parse_find_learner_by_login(r, login),
    )
    .await
}

/// Signs the learner of `profile` in (see the module). `update` refreshes the profile of a
/// learner that already existed (every field but `login` and `password`).
pub async fn sign_in(
    cfg: &Config,
    ex: &impl Exchange,
    profile: &Value,
    update: bool,
) -> Result<SignInResult> {
    validate_profile(profile)?;
    let login = profile
        .get("login")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_input("login", "is required"))?;
    let (found, created) = match find(cfg, ex, login).await? {
        Some(l) => (l, false),
        None => {
            let made = call(
                cfg,
                ex,
                false,
                &|c, t| c.build_create_learner(profile, t),
                Config::parse_create_learner,
            )
            .await;
            match made {
                Ok(l) => (l, true),
                // Created meanwhile by a concurrent request: the learner exists now.
                Err(e) if e.code == ErrorCode::Conflict => match find(cfg, ex, login).await? {
                    Some(l) => (l, false),
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
    };
    let learner = match sign_in_update_patch(profile).filter(|_| update && !created) {
        Some(patch) => {
            let id = found.identifier.clone();
            call(
                cfg,
                ex,
                true,
                &|c, t| c.build_update_learner(&id, &patch, t),
                Config::parse_update_learner,
            )
            .await?
        }
        None => found,
    };
    let auth_token = call(
        cfg,
        ex,
        false,
        &|c, t| c.build_get_auth_token(&learner.identifier, t),
        Config::parse_get_auth_token,
    )
    .await?;
    let deep_link = cfg.deep_link(&auth_token, Some(created))?;
    Ok(SignInResult {
        learner,
        auth_token: auth_token.into(),
        created,
        deep_link: deep_link.into(),
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use serde_json::json;

    use super::*;
    use crate::core::http::HttpResponse;

    /// Answers each request in turn and records `METHOD path` and the body.
    struct Scripted {
        answers: RefCell<VecDeque<HttpResponse>>,
        seen: RefCell<Vec<(String, Option<String>, bool)>>,
    }

    impl Scripted {
        fn new(answers: Vec<(u16, Value)>) -> Self {
            Self {
                answers: RefCell::new(
                    answers
                        .into_iter()
                        .map(|(s, v)| HttpResponse::new(s, v.to_string()))
                        .collect(),
                ),
                seen: RefCell::new(Vec::new()),
            }
        }

        fn seen(&self) -> Vec<String> {
            self.seen
                .borrow()
                .iter()
                .map(|(r, _, idem)| format!("{r}{}", if *idem { "" } else { " (once)" }))
                .collect()
        }
    }

    impl Exchange for Scripted {
        async fn exchange(
            &self,
            idempotent: bool,
            build: &dyn Fn(&Config, &str) -> Result<HttpRequest>,
        ) -> Result<HttpResponse> {
            let req = build(&config(), "bearer-1")?;
            let path = req.url.split_once(".com").map_or("", |(_, p)| p).to_owned();
            self.seen.borrow_mut().push((
                format!("{} {path}", req.method.as_str()),
                req.body.clone(),
                idempotent,
            ));
            Ok(self.answers.borrow_mut().pop_front().expect("an answer"))
        }
    }

    fn config() -> Config {
        Config::from_options(&json!({"baseUrl": "https://acme.teachonmars.com",
            "auth": {"accessToken": "bearer-1"}}))
        .unwrap()
    }

    fn learner(login: &str) -> Value {
        json!({"identifier": format!("id-{login}"), "login": login, "email": "a@b.co"})
    }

    fn run<T>(f: impl Future<Output = T>) -> T {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("the scripted exchange never waits"),
        }
    }

    const SEARCH: &str = "GET /api/identities/v1/learners?search=ada";
    const CREATE: &str = "POST /api/identities/v1/learners (once)";
    const TOKEN: &str = "POST /api/learner-authorization/v1/learners/authToken (once)";

    #[test]
    fn an_unknown_learner_is_created_and_the_link_says_so() {
        let ex = Scripted::new(vec![
            (200, json!([learner("ada2")])), // a fuzzy hit only: not the learner
            (201, learner("ada")),
            (200, json!({"authToken": "at-1"})),
        ]);
        let out = run(sign_in(
            &config(),
            &ex,
            &json!({"login": "ada", "firstname": "Ada"}),
            true,
        ))
        .unwrap();
        assert_eq!(ex.seen(), [SEARCH, CREATE, TOKEN]);
        assert!(out.created);
        assert_eq!(out.learner.identifier, "id-ada");
        assert_eq!(out.auth_token.as_str(), "at-1");
        assert_eq!(
            out.deep_link.as_str(),
            "com.teachonmars://globals.login?authToken=at-1&profileCreation=true"
        );
        assert!(ex.seen.borrow()[1]
            .1
            .as_deref()
            .is_some_and(|b| b.contains("\"firstname\":\"Ada\"")));
    }

    #[test]
    fn an_existing_learner_is_updated_only_when_asked() {
        let answers = || {
            vec![
                (200, json!([learner("ada")])),
                (200, learner("ada")),
                (200, json!({"authToken": "at-2"})),
            ]
        };
        let ex = Scripted::new(answers());
        let out = run(sign_in(
            &config(),
            &ex,
            &json!({"login": "ada", "email": "new@b.co", "password": "pw"}),
            true,
        ))
        .unwrap();
        assert_eq!(
            ex.seen(),
            [SEARCH, "PUT /api/identities/v1/learners/id-ada", TOKEN]
        );
        let put = ex.seen.borrow()[1].1.clone().unwrap();
        assert!(
            put.contains("new@b.co") && !put.contains("pw") && !put.contains("login"),
            "{put}"
        );
        assert!(!out.created);
        assert_eq!(
            out.deep_link.as_str(),
            "com.teachonmars://globals.login?authToken=at-2&profileCreation=false"
        );

        let ex = Scripted::new(vec![
            (200, json!([learner("ada")])),
            (200, json!({"authToken": "at-3"})),
        ]);
        run(sign_in(
            &config(),
            &ex,
            &json!({"login": "ada", "email": "new@b.co"}),
            false,
        ))
        .unwrap();
        assert_eq!(ex.seen(), [SEARCH, TOKEN]);
    }

    #[test]
    fn a_lost_create_race_finds_the_learner_again() {
        let conflict = json!({"code": "LEARNER_PARAM_LOGIN_ALREADY_EXISTS", "message": "exists"});
        let ex = Scripted::new(vec![
            (200, json!([])),
            (409, conflict.clone()),
            (200, json!([learner("ada")])),
            (200, json!({"authToken": "at-4"})),
        ]);
        let out = run(sign_in(&config(), &ex, &json!({"login": "ada"}), true)).unwrap();
        assert_eq!(ex.seen(), [SEARCH, CREATE, SEARCH, TOKEN]);
        assert!(!out.created);

        // Still not found after the conflict: the conflict is the answer.
        let ex = Scripted::new(vec![(200, json!([])), (409, conflict), (200, json!([]))]);
        let e = run(sign_in(&config(), &ex, &json!({"login": "ada"}), true)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(
            e.vendor_code.as_deref(),
            Some("LEARNER_PARAM_LOGIN_ALREADY_EXISTS")
        );
    }

    #[test]
    fn bad_profiles_and_failures_stop_before_the_token() {
        let ex = Scripted::new(vec![]);
        let e = run(sign_in(
            &config(),
            &ex,
            &json!({"firstname": "no login"}),
            true,
        ))
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(ex.seen().is_empty());

        let ex = Scripted::new(vec![(200, json!([])), (500, json!({"message": "boom"}))]);
        let e = run(sign_in(&config(), &ex, &json!({"login": "ada"}), true)).unwrap_err();
        assert_eq!(e.status, Some(500));
        assert_eq!(ex.seen(), [SEARCH, CREATE]);
    }

    #[test]
    fn the_core_client_signs_in_refreshing_its_token_once_after_a_401() {
        use crate::transport::client::scripted::{ok, status, Net};
        use crate::transport::client::Client;

        let grant = |t: &str| ok(&json!({"access_token": t, "expires_in": 3600}).to_string());
        let net = Net::new(
            &[grant("tok-1"), grant("tok-2")],
            &[
                status(401, "{}"),
                ok(&json!([learner("ada")]).to_string()),
                ok(&json!({"authToken": "at-9"}).to_string()),
            ],
        );
        let cfg = Config::from_options(&json!({"baseUrl": "https://acme.teachonmars.com",
            "auth": {"clientId": "cid", "clientSecret": "tom-secret",
                "tokenUrl": "https://auth.example/oauth/token"}}))
        .unwrap();
        let client = std::rc::Rc::new(Client::new(cfg, net.clone()).unwrap());
        let out = net
            .sim
            .run(sign_in(
                &client.cfg,
                &client,
                &json!({"login": "ada"}),
                false,
            ))
            .unwrap();
        assert!(!out.created);
        assert_eq!(out.auth_token.as_str(), "at-9");
        // The search was refused once and sent again with a new token; the rest used it.
        assert_eq!(
            net.bearers(),
            ["Bearer tok-1", "Bearer tok-2", "Bearer tok-2"]
        );
        assert_eq!(net.grants_sent(), 2);
    }
}
