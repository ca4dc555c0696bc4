//! The session helper: when a JWT expires, when to refresh it, which errors mean the
//! credentials were refused, and [`Session`], which holds the tokens and runs one refresh at
//! a time over its client ([`Refresher`]).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use crate::core::secret::Secret;
use crate::core::text::concat;
use crate::core::time::UnixMillis;
use crate::error::{Error, ErrorCode, Result, Vendor};
use crate::transport::flight::{SingleFlight, Task};

/// Refresh this long before the JWT expires (5 minutes, PROVISIONAL).
pub const REFRESH_MARGIN_MS: i64 = 5 * 60_000;

/// The documented JWT lifetime (60 minutes), used when the token's `exp` is unreadable.
pub const DEFAULT_JWT_LIFETIME_MS: i64 = 60 * 60_000;

/// Tokens longer than this are not decoded (no real JWT is this large).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The JWT's `exp` claim (Unix seconds) as Unix milliseconds. Decodes the base64url
/// payload only (no signature check: the expiry only schedules a refresh). `None` when the
/// token is not three dot-separated parts, the payload is not a JSON object, or `exp` is
/// absent, not a positive finite number, or absurdly far away.
pub fn jwt_expiry(token: &str) -> Option<UnixMillis> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.is_empty() {
        return None;
    }
    let bytes = crate::signing::encoding::b64url_decode_padding_optional(payload)?;
    let claims = crate::core::json::parse(&bytes)?;
    let exp = claims.as_object()?.get("exp")?.as_f64()?;
    // Year 10000 in seconds: anything beyond is nonsense.
    if !exp.is_finite() || exp <= 0.0 || exp > 253_402_300_800.0 {
        return None;
    }
    Some(UnixMillis((exp * 1000.0).floor() as i64))
}

/// When a session's JWT expires: its `exp` when readable, else `issued_at` + 60 minutes.
pub fn session_expiry(token: &str, issued_at: UnixMillis) -> UnixMillis {
    jwt_expiry(token).unwrap_or_else(|| issued_at.plus_ms(DEFAULT_JWT_LIFETIME_MS))
}

/// Whether the JWT should be refreshed at `now`: within [`REFRESH_MARGIN_MS`] of
/// `expires_at`, or past it.
pub fn needs_refresh(expires_at: UnixMillis, now: UnixMillis) -> bool {
    now.0 >= expires_at.0.saturating_sub(REFRESH_MARGIN_MS)
}

/// Whether an error means AlphaLearn refused a credential or token: `AUTH_FAILED`, or an
/// AlphaLearn refresh refusal (`1016` missing / `1017` invalid refresh token).
pub fn is_auth_refusal(err: &Error) -> bool {
    err.code == ErrorCode::AuthFailed
        || (err.vendor == Some(Vendor::AlphaLearn)
            && matches!(err.vendor_code.as_deref(), Some("1016" | "1017")))
}

/// The error the session helper reports for a failed refresh: a refusal
/// ([`is_auth_refusal`]) becomes `AUTH_FAILED` (log in again), keeping status, vendor,
/// vendor code and details; any other error is returned unchanged.
pub fn refresh_refused(mut err: Error) -> Error {
    if is_auth_refusal(&err) {
        err.code = ErrorCode::AuthFailed;
    }
    err
}

/// What a session needs from its client.
pub trait Refresher: 'static {
    /// The client's clock.
    fn now(&self) -> Result<UnixMillis>;
    /// Exchanges the refresh token for a new JWT.
    fn refresh(
        self: &Rc<Self>,
        refresh_token: String,
    ) -> impl Future<Output = Result<String>> + 'static;
}

/// The tokens a session holds.
#[derive(Debug)]
struct Tokens {
    token: Secret<String>,
    refresh_token: Secret<String>,
    expires_at: UnixMillis,
    /// Set once the refresh token was refused: every later call fails at once.
    refused: Option<Error>,
}

/// An AlphaLearn login kept alive: the JWT (refreshed [`REFRESH_MARGIN_MS`] before it
/// expires, one refresh for every concurrent caller), the refresh token, and, once AlphaLearn
/// refuses the refresh token, that refusal for good.
pub struct Session {
    tokens: Rc<RefCell<Tokens>>,
    flight: SingleFlight<String>,
}

impl Session {
    /// A session holding `token` and `refresh_token`; `expires_at` overrides the JWT's `exp`
    /// (else 60 minutes from `now`).
    pub fn new(
        token: &str,
        refresh_token: &str,
        expires_at: Option<UnixMillis>,
        now: UnixMillis,
    ) -> Self {
        Self {
            tokens: Rc::new(RefCell::new(Tokens {
                token: token.to_owned().into(),
                refresh_token: refresh_token.to_owned().into(),
                expires_at: expires_at.unwrap_or_else(|| session_expiry(token, now)),
                refused: None,
            })),
            flight: SingleFlight::default(),
        }
    }

    /// The current JWT.
    pub fn token(&self) -> String {
        self.tokens.borrow().token.as_str().to_owned()
    }

    /// The refresh token.
    pub fn refresh_token(&self) -> String {
        self.tokens.borrow().refresh_token.as_str().to_owned()
    }

    /// When the current JWT expires.
    pub fn expires_at(&self) -> UnixMillis {
        self.tokens.borrow().expires_at
    }

    /// Both tokens, for scrubbing.
    pub fn secrets(&self) -> Vec<String> {
        vec![self.token(), self.refresh_token()]
    }

    /// A valid JWT: the current one, or a fresh one when it expires within the margin (or a
    /// refresh is under way). A refused refresh token → that `AUTH_FAILED`.
    pub async fn valid_token<R: Refresher>(
        &self,
        client: &Rc<R>,
        spawn: &dyn Fn(Task),
    ) -> Result<String> {
        let (token, expires_at) = {
            let t = self.tokens.borrow();
            if let Some(e) = &t.refused {
                return Err(e.clone());
            }
            (t.token.as_str().to_owned(), t.expires_at)
        };
        if !needs_refresh(expires_at, client.now()?) && !self.flight.is_flying() {
            return Ok(token);
        }
        self.refresh(None, client, spawn).await
    }

    /// Refreshes once for everyone: joins the refresh in flight, or, when `stale` (the JWT
    /// that was just refused) has already been replaced, returns the newer JWT.
    pub async fn refresh<R: Refresher>(
        &self,
        stale: Option<&str>,
        client: &Rc<R>,
        spawn: &dyn Fn(Task),
    ) -> Result<String> {
        if let Some(e) = &self.tokens.borrow().refused {
            return Err(e.clone());
        }
        if let (Some(stale), false) = (stale, self.flight.is_flying()) {
            let current = self.token();
            if current != stale {
                return Ok(current);
            }
        }
        let (tokens, client) = (self.tokens.clone(), client.clone());
        self.flight
            .join(spawn, move || refresh_now(tokens, client))
            .await
    }

    /// Calls `f(jwt)` with a valid JWT; when it fails with an error `is_auth` recognises
    /// (the JWT was refused), refreshes once and calls it again with the new JWT.
    pub async fn run<
        R: Refresher,
        T,
        E: From<Error>,
        F: Future<Output = core::result::Result<T, E>>,
    >(
        &self,
        client: &Rc<R>,
        spawn: &dyn Fn(Task),
        f: impl Fn(String) -> F,
        is_auth: impl Fn(&E) -> bool,
    ) -> core::result::Result<T, E> {
        let token = self.valid_token(client, spawn).await?;
        match f(token.clone()).await {
            Err(e) if is_auth(&e) => {
                let fresh = self.refresh(Some(&token), client, spawn).await?;
                f(fresh).await
            }
            other => other,
        }
    }
}

/// One refresh: the new JWT and its expiry, or, when AlphaLearn refuses the refresh token,
/// `AUTH_FAILED` kept for every later call.
async fn refresh_now<R: Refresher>(tokens: Rc<RefCell<Tokens>>, client: Rc<R>) -> Result<String> {
    let (token, refresh_token) = {
        let t = tokens.borrow();
        (
            t.token.as_str().to_owned(),
            t.refresh_token.as_str().to_owned(),
        )
    };
    let secrets = [token, refresh_token.clone()];
    match client
        .refresh(refresh_token)
        .await
        .map_err(|e| e.scrubbed(&secrets))
    {
        Ok(token) => {
            let expires_at = session_expiry(&token, client.now()?);
            let mut t = tokens.borrow_mut();
            t.token = token.as_str().into();
            t.expires_at = expires_at;
            Ok(token)
        }
        Err(e) if is_auth_refusal(&e) => {
            let mut e = refresh_refused(e);
            e.message = concat(&[
                "AlphaLearn session: the refresh token was refused, log in again (",
                &e.message,
                ")",
            ]);
            tokens.borrow_mut().refused = Some(e.clone());
            Err(e)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;

    fn jwt(claims: &str) -> String {
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn reads_exp_without_checking_the_signature() {
        assert_eq!(
            jwt_expiry(&jwt(r#"{"sub":"1","exp":1700000000}"#)),
            Some(UnixMillis(1_700_000_000_000))
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000.5}"#)),
            Some(UnixMillis(1_700_000_000_500))
        );
        // Padded base64url and `-`/`_` characters decode too.
        let padded = format!(
            "h.{}.s",
            URL_SAFE.encode(r#"{"exp":1700000000,"n":"??>>"}"#)
        );
        assert!(padded.contains('='));
        assert_eq!(jwt_expiry(&padded), Some(UnixMillis(1_700_000_000_000)));
    }

    #[test]
    fn odd_tokens_have_no_expiry() {
        let too_long = format!("a.{}.c", "A".repeat(20_000));
        for t in [
            "".to_owned(),
            "opaque-token".to_owned(),
            "a.b".to_owned(),
            "a..c".to_owned(),
            "a.!!!.c".to_owned(),
            format!("{}.x", jwt(r#"{"exp":1}"#)),
            jwt("not json"),
            jwt("[1]"),
            jwt(r#"{"sub":"1"}"#),
            jwt(r#"{"exp":"1700000000"}"#),
            jwt(r#"{"exp":-5}"#),
            jwt(r#"{"exp":0}"#),
            jwt(r#"{"exp":1e300}"#),
            jwt(r#"{"exp":null}"#),
            too_long,
        ] {
            assert_eq!(jwt_expiry(&t), None, "{t}");
        }
    }

    #[test]
    fn session_expiry_falls_back_to_sixty_minutes() {
        let issued = UnixMillis(1_000_000);
        assert_eq!(
            session_expiry(&jwt(r#"{"exp":5000}"#), issued),
            UnixMillis(5_000_000)
        );
        assert_eq!(
            session_expiry("opaque", issued),
            UnixMillis(1_000_000 + 3_600_000)
        );
    }

    #[test]
    fn refresh_five_minutes_early() {
        let exp = UnixMillis(10_000_000);
        assert!(!needs_refresh(exp, UnixMillis(10_000_000 - 300_001)));
        assert!(needs_refresh(exp, UnixMillis(10_000_000 - 300_000)));
        assert!(needs_refresh(exp, UnixMillis(10_000_000)));
        assert!(needs_refresh(exp, UnixMillis(20_000_000)));
        assert!(needs_refresh(UnixMillis(i64::MIN), UnixMillis(0)));
    }

    #[test]
    fn auth_refusals() {
        let auth = Error::new(ErrorCode::AuthFailed, "x").with_status(401);
        assert!(is_auth_refusal(&auth));
        let missing = Error::new(
            ErrorCode::VendorError,
            "AlphaLearn 1016: Missing refreshToken",
        )
        .with_vendor(Vendor::AlphaLearn)
        .with_vendor_code("1016")
        .with_status(200);
        assert!(is_auth_refusal(&missing));
        let e = refresh_refused(missing);
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert_eq!(e.vendor_code.as_deref(), Some("1016"));
        assert_eq!(e.status, Some(200));

        let other = Error::new(ErrorCode::VendorError, "x")
            .with_vendor(Vendor::AlphaLearn)
            .with_vendor_code("1006");
        assert!(!is_auth_refusal(&other));
        assert_eq!(refresh_refused(other.clone()), other);
        let elsewhere = Error::new(ErrorCode::VendorError, "x")
            .with_vendor(Vendor::LearnWorlds)
            .with_vendor_code("1017");
        assert!(!is_auth_refusal(&elsewhere));
        for code in [
            ErrorCode::Network,
            ErrorCode::Timeout,
            ErrorCode::HttpStatus,
            ErrorCode::NotFound,
        ] {
            assert!(!is_auth_refusal(&Error::new(code, "x")));
        }
    }

    mod session {
        use std::cell::{Cell, RefCell};
        use std::collections::VecDeque;
        use std::future::Future;
        use std::pin::Pin;
        use std::rc::Rc;

        use super::super::*;
        use crate::transport::exchange::sim::Sim;
        use crate::transport::exchange::Host;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;

        /// A JWT whose `exp` is `exp_ms` (whole seconds).
        fn jwt(exp_ms: i64) -> String {
            let claims = format!(r#"{{"exp":{}}}"#, exp_ms / 1000);
            format!("h.{}.s", URL_SAFE_NO_PAD.encode(claims))
        }

        struct Client {
            sim: Rc<Sim>,
            answers: RefCell<VecDeque<Result<String>>>,
            calls: Cell<u32>,
        }

        impl Refresher for Client {
            fn now(&self) -> Result<UnixMillis> {
                self.sim.now()
            }

            fn refresh(
                self: &Rc<Self>,
                refresh_token: String,
            ) -> impl Future<Output = Result<String>> + 'static {
                assert!(refresh_token == "rt" || refresh_token == "refresh-canary-456");
                self.calls.set(self.calls.get() + 1);
                let (sim, answer) = (self.sim.clone(), self.answers.borrow_mut().pop_front());
                async move {
                    sim.pause(100, false).await;
                    answer.expect("a scripted refresh")
                }
            }
        }

        /// The vendor's refusal of a refresh token (code 1017) with `message`.
        fn refused(message: &str) -> Error {
            Error::new(ErrorCode::VendorError, message)
                .with_vendor(Vendor::AlphaLearn)
                .with_vendor_code("1017")
        }

        fn setup(answers: Vec<Result<String>>) -> (Rc<Sim>, Rc<Client>) {
            let sim = Rc::new(Sim::new([]));
            let client = Rc::new(Client {
                sim: sim.clone(),
                answers: RefCell::new(answers.into()),
                calls: Cell::new(0),
            });
            (sim, client)
        }

        const HOUR: i64 = 3_600_000;

        #[test]
        fn the_jwt_is_refreshed_near_expiry_once_for_every_caller() {
            let next = jwt(2 * HOUR);
            let (sim, client) = setup(vec![Ok(next.clone())]);
            let spawn = |t| sim.spawn(t);
            let session = Session::new(&jwt(HOUR), "rt", None, UnixMillis(0));
            assert_eq!(session.expires_at(), UnixMillis(HOUR));
            // Far from expiry: no refresh.
            assert_eq!(
                sim.run(session.valid_token(&client, &spawn)).unwrap(),
                jwt(HOUR)
            );
            assert_eq!(client.calls.get(), 0);
            // Within 5 minutes of it: one refresh for five callers.
            sim.run(sim.pause(HOUR - 4 * 60_000, false));
            let calls: Vec<Pin<Box<dyn Future<Output = Result<String>> + '_>>> = (0..5)
                .map(|_| -> Pin<Box<dyn Future<Output = _>>> {
                    Box::pin(session.valid_token(&client, &spawn))
                })
                .collect();
            let got = sim.run_all(calls);
            assert!(got.iter().all(|t| t.as_deref() == Ok(next.as_str())));
            assert_eq!(client.calls.get(), 1);
            assert_eq!(session.expires_at(), UnixMillis(2 * HOUR));
        }

        #[test]
        fn a_refused_refresh_token_ends_the_session_for_good() {
            let (sim, client) = setup(vec![Err(refused("AlphaLearn 1017: Invalid refresh token"))]);
            let spawn = |t| sim.spawn(t);
            let session = Session::new("opaque", "rt", Some(UnixMillis(0)), UnixMillis(0));
            let e = sim.run(session.valid_token(&client, &spawn)).unwrap_err();
            assert_eq!(e.code, ErrorCode::AuthFailed);
            assert!(
                e.message
                    .starts_with("AlphaLearn session: the refresh token was refused"),
                "{}",
                e.message
            );
            let again = sim.run(session.refresh(None, &client, &spawn)).unwrap_err();
            assert_eq!((again.code, client.calls.get()), (ErrorCode::AuthFailed, 1));
        }

        #[test]
        fn errors_never_carry_the_session_tokens() {
            let (sim, client) = setup(vec![Err(refused(
                "AlphaLearn 1017: bad token jwt-canary-123 / refresh-canary-456",
            ))]);
            let spawn = |t| sim.spawn(t);
            let session = Session::new(
                "jwt-canary-123",
                "refresh-canary-456",
                Some(UnixMillis(0)),
                UnixMillis(0),
            );
            for e in [
                sim.run(session.valid_token(&client, &spawn)).unwrap_err(),
                sim.run(session.refresh(None, &client, &spawn)).unwrap_err(),
            ] {
                assert_eq!(e.code, ErrorCode::AuthFailed);
                assert!(!e.message.contains("canary"), "{}", e.message);
            }
        }

        #[test]
        fn a_failed_refresh_that_is_no_refusal_is_not_kept() {
            let (sim, client) = setup(vec![
                Err(Error::new(ErrorCode::Network, "down")),
                Ok(jwt(HOUR)),
            ]);
            let spawn = |t| sim.spawn(t);
            let session = Session::new("opaque", "rt", Some(UnixMillis(0)), UnixMillis(0));
            assert_eq!(
                sim.run(session.valid_token(&client, &spawn))
                    .unwrap_err()
                    .code,
                ErrorCode::Network
            );
            assert_eq!(
                sim.run(session.valid_token(&client, &spawn)).unwrap(),
                jwt(HOUR)
            );
            assert_eq!(client.calls.get(), 2);
        }

        #[test]
        fn run_refreshes_once_after_a_refusal_and_calls_again() {
            let fresh = jwt(3 * HOUR);
            let (sim, client) = setup(vec![Ok(fresh.clone()), Ok(jwt(4 * HOUR))]);
            let spawn = |t| sim.spawn(t);
            let session = Session::new(&jwt(HOUR), "rt", None, UnixMillis(0));
            let seen = RefCell::new(Vec::new());
            let out = sim.run(session.run(
                &client,
                &spawn,
                |t| {
                    seen.borrow_mut().push(t.clone());
                    let refused = seen.borrow().len() == 1;
                    async move {
                        if refused {
                            Err(Error::new(ErrorCode::AuthFailed, "401"))
                        } else {
                            Ok(t.len())
                        }
                    }
                },
                |e: &Error| e.code == ErrorCode::AuthFailed,
            ));
            assert_eq!(out.unwrap(), fresh.len());
            assert_eq!(*seen.borrow(), [jwt(HOUR), fresh.clone()]);

            // Refused again with the new JWT: that second error is the answer (no loop).
            let out: Result<()> = sim.run(session.run(
                &client,
                &spawn,
                |_| async { Err(Error::new(ErrorCode::AuthFailed, "still 401")) },
                |e: &Error| e.code == ErrorCode::AuthFailed,
            ));
            assert_eq!(out.unwrap_err().message, "still 401");
            assert_eq!(client.calls.get(), 2);
            // A JWT refused after it was already replaced: the newer one, no refresh.
            let newer = sim
                .run(session.refresh(Some(&fresh), &client, &spawn))
                .unwrap();
            assert_eq!((newer, client.calls.get()), (jwt(4 * HOUR), 2));
        }
    }
}
