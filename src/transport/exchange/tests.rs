//! Every path of [`send`] and the [`Limiter`], on the scripted host and its fake clock.

use std::future::Future;
use std::pin::Pin;

use super::sim::{response, Sim};
use super::*;
use crate::core::http::{Headers, Method};

const SECRET: &str = "sk-canary-0123";

fn call(idempotent: bool) -> Call<'static> {
    Call {
        vendor: Vendor::MilesMasterclass,
        idempotent,
        policy: RetryPolicy::default(),
        timeout_ms: 5_000.0,
        max_response_bytes: 1024,
        headers: &[],
        secrets: &[],
    }
}

/// A request to `https://mm.example/x?n=<attempt>` carrying a secret header.
fn build(attempt: u32, _now: UnixMillis) -> Result<HttpRequest> {
    Ok(HttpRequest {
        method: Method::Post,
        url: format!("https://mm.example/x?n={attempt}"),
        headers: Headers(vec![("X-API-Key".into(), SECRET.into())]),
        body: Some("{}".to_owned()),
    })
}

fn send_one(sim: &Sim, limiter: Option<&Limiter>, c: &Call<'_>) -> Result<HttpResponse> {
    sim.run(send(sim, limiter, c, &mut build))
}

/// A hook call: kind, attempt, status, error, delay.
type Seen = (Hook, u32, Option<u16>, Option<&'static str>, Option<i64>);

fn hooks(sim: &Sim) -> Vec<Seen> {
    sim.hooks
        .borrow()
        .iter()
        .map(|(h, e)| (*h, e.attempt, e.status, e.error, e.delay_ms))
        .collect()
}

#[test]
fn first_answer_is_returned_and_hooks_see_it_masked() {
    let sim = Sim::new([(30, response(201, &[], r#"{"ok":true}"#))]);
    let secrets = [SECRET.to_owned()];
    let c = Call {
        secrets: &secrets,
        ..call(true)
    };
    let resp = send_one(&sim, None, &c).unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(sim.time(), 30);
    assert_eq!(
        hooks(&sim),
        [
            (Hook::Request, 0, None, None, None),
            (Hook::Response, 0, Some(201), None, None)
        ]
    );
    let shown = serde_json::to_string(&sim.hooks.borrow()[1].1).unwrap();
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains(r#""durationMs":30"#), "{shown}");
    assert!(shown.contains(r#""vendor":"miles-masterclass""#), "{shown}");
}

#[test]
fn the_clock_and_randomness_are_read_only_where_needed() {
    // Per attempt: the builder's clock; the attempt's duration only for a response hook;
    // the clock and randomness of a back-off only for an outcome that may be retried.
    // (first outcome, idempotent, hooks, (clock reads, random reads))
    let cases: [(AttemptOutcome, bool, bool, (u32, u32)); 5] = [
        (response(200, &[], "{}"), true, false, (1, 0)),
        (response(404, &[], "{}"), true, false, (1, 0)),
        (response(503, &[], ""), false, false, (1, 0)),
        (response(200, &[], "{}"), true, true, (3, 0)),
        // Retried once (back-off: clock and randomness), then the 200.
        (Err(Fail::Network), true, false, (3, 1)),
    ];
    for (outcome, idempotent, with_hooks, reads) in cases {
        let sim = Sim::new([(5, outcome), (5, response(200, &[], "{}"))]);
        sim.with_hooks.set(with_hooks);
        let _ = send_one(&sim, None, &call(idempotent));
        assert_eq!(
            (sim.clock_reads.get(), sim.random_reads.get()),
            reads,
            "idempotent {idempotent}, hooks {with_hooks}"
        );
        assert_eq!(sim.hooks.borrow().is_empty(), !with_hooks);
    }
}

#[test]
fn retries_a_503_after_the_jittered_backoff_with_a_fresh_request() {
    let sim = Sim::new([(10, response(503, &[], "")), (10, response(200, &[], "{}"))]);
    let resp = send_one(&sim, None, &call(true)).unwrap();
    assert_eq!(resp.status, 200);
    // Full jitter over [0, 200] ms with random 0.5 on the first retry.
    let backoff = RetryPolicy::default().backoff_ms(0, 0.5);
    let sent = sim.sent.borrow().clone();
    assert_eq!(
        sent,
        [
            (0, "POST https://mm.example/x?n=0".to_owned()),
            (10 + backoff, "POST https://mm.example/x?n=1".to_owned())
        ]
    );
    assert_eq!(
        hooks(&sim)[2],
        (Hook::Retry, 0, Some(503), None, Some(backoff))
    );
}

#[test]
fn a_request_not_safe_to_repeat_is_sent_once() {
    let sim = Sim::new([(5, response(503, &[], ""))]);
    assert_eq!(send_one(&sim, None, &call(false)).unwrap().status, 503);
    assert_eq!(sim.sent.borrow().len(), 1);
    let sim = Sim::new([(5, Err(Fail::Network))]);
    let e = send_one(&sim, None, &call(false)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Network);
    assert_eq!(sim.sent.borrow().len(), 1);
}

#[test]
fn retry_after_is_honoured_and_a_long_one_ends_the_retries() {
    let sim = Sim::new([
        (0, response(429, &[("Retry-After", "2")], "")),
        (0, response(200, &[], "")),
    ]);
    assert_eq!(send_one(&sim, None, &call(true)).unwrap().status, 200);
    assert_eq!(sim.sent.borrow()[1].0, 2_000);

    let sim = Sim::new([(0, response(429, &[("Retry-After", "31")], ""))]);
    assert_eq!(send_one(&sim, None, &call(true)).unwrap().status, 429);
    assert_eq!(sim.sent.borrow().len(), 1);
}

#[test]
fn failures_without_a_response_end_in_network_or_timeout_errors() {
    let sim = Sim::new(std::iter::repeat_with(|| (0, Err(Fail::Network))).take(3));
    let e = send_one(&sim, None, &call(true)).unwrap_err();
    assert_eq!(
        (e.code, e.vendor),
        (ErrorCode::Network, Some(Vendor::MilesMasterclass))
    );
    assert_eq!(e.message, "POST https://mm.example failed: network error");
    assert_eq!(sim.sent.borrow().len(), 3, "two retries");

    let sim = Sim::new(std::iter::repeat_with(|| (0, Err(Fail::Timeout))).take(3));
    let c = Call {
        policy: RetryPolicy {
            retries: 0,
            ..RetryPolicy::default()
        },
        ..call(true)
    };
    let e = send_one(&sim, None, &c).unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert_eq!(
        e.message,
        "POST https://mm.example did not answer within 5000 ms"
    );
    assert_eq!(hooks(&sim)[1].3, Some("timeout"));
}

#[test]
fn an_oversized_or_non_response_is_malformed_and_never_retried() {
    let sim = Sim::new([(0, Err(Fail::TooLarge))]);
    let e = send_one(&sim, None, &call(true)).unwrap_err();
    assert_eq!(e.code, ErrorCode::ResponseMalformed);
    assert!(
        e.message.contains("maxResponseBytes (1024)"),
        "{}",
        e.message
    );
    let sim = Sim::new([(0, Err(Fail::NotAResponse))]);
    let e = send_one(&sim, None, &call(true)).unwrap_err();
    assert_eq!(e.code, ErrorCode::ResponseMalformed);
    assert_eq!(sim.sent.borrow().len(), 1);
}

#[test]
fn an_abort_before_during_an_attempt_or_during_the_backoff_ends_the_call() {
    // Before: nothing is sent.
    let sim = Sim::new([(0, response(200, &[], ""))]);
    sim.abort_at.set(Some(0));
    assert_eq!(
        send_one(&sim, None, &call(true)).unwrap_err().code,
        ErrorCode::Aborted
    );
    assert!(sim.sent.borrow().is_empty());

    // During the attempt: it ends when the signal fires, not when the vendor answers.
    let sim = Sim::new([(1_000, response(200, &[], ""))]);
    sim.abort_at.set(Some(40));
    assert_eq!(
        send_one(&sim, None, &call(true)).unwrap_err().code,
        ErrorCode::Aborted
    );
    assert_eq!(sim.time(), 40);

    // During the back-off: no second attempt.
    let sim = Sim::new([(0, response(503, &[], "")), (0, response(200, &[], ""))]);
    sim.abort_at.set(Some(50));
    let e = send_one(&sim, None, &call(true)).unwrap_err();
    assert_eq!(
        (e.code, e.vendor),
        (ErrorCode::Aborted, Some(Vendor::MilesMasterclass))
    );
    assert_eq!(sim.sent.borrow().len(), 1);
    assert_eq!(sim.time(), 50);
}

#[test]
fn call_headers_replace_the_builders() {
    let sim = Sim::new([(0, response(200, &[], ""))]);
    let extra = [
        ("x-api-key".into(), "per-call".into()),
        ("X-Request-Id".into(), "r1".into()),
    ];
    let c = Call {
        headers: &extra,
        ..call(true)
    };
    send_one(&sim, None, &c).unwrap();
    let shown = &sim.hooks.borrow()[0].1.request.headers;
    assert_eq!(shown.get("x-request-id"), Some("r1"));
    assert_eq!(
        shown
            .0
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("x-api-key"))
            .count(),
        1
    );
}

#[test]
fn a_calls_retries_and_timeout_replace_the_clients_and_only_those() {
    let client = Settings {
        policy: RetryPolicy {
            retries: 3,
            ..RetryPolicy::default()
        },
        timeout_ms: 5_000.0,
        max_response_bytes: 1024,
    };
    let secrets = [SECRET.to_owned()];
    let vendor = Vendor::LearnWorlds;
    // No call options: the client's settings.
    let c = client.call(vendor, true, None, &secrets);
    assert_eq!(
        (c.policy, c.timeout_ms, c.headers),
        (client.policy, 5_000.0, &[][..])
    );
    assert_eq!(
        (c.vendor, c.idempotent, c.secrets),
        (vendor, true, &secrets[..])
    );
    // Headers only: retries and timeout stay the client's.
    let headers = vec![("X-Request-Id".into(), "r1".into())];
    let only_headers = Overrides {
        headers: headers.clone(),
        ..Overrides::default()
    };
    let c = client.call(vendor, false, Some(&only_headers), &[]);
    assert_eq!((c.policy.retries, c.timeout_ms), (3, 5_000.0));
    assert_eq!(c.headers, &headers[..]);
    // Both given: the call's win; the back-off and the size limit stay the client's.
    let both = Overrides {
        timeout_ms: Some(100.0),
        retries: Some(0),
        headers: Vec::new(),
    };
    let c = client.call(vendor, true, Some(&both), &[]);
    assert_eq!((c.policy.retries, c.timeout_ms), (0, 100.0));
    assert_eq!(c.policy.base_delay_ms, client.policy.base_delay_ms);
    assert_eq!(c.max_response_bytes, 1024);
    // And the exchange follows them: `retries: 0` sends a 503 once.
    let sim = Sim::new([(5, response(503, &[], "")), (5, response(200, &[], "{}"))]);
    assert_eq!(send_one(&sim, None, &c).unwrap().status, 503);
    assert_eq!(sim.sent.borrow().len(), 1);
}

/// `n` concurrent sends through `limiter`, each answered after `latency` ms.
fn concurrent(sim: &Sim, limiter: &Limiter, n: usize) -> Vec<Result<HttpResponse>> {
    let c = call(true);
    let calls: Vec<Pin<Box<dyn Future<Output = Result<HttpResponse>> + '_>>> = (0..n)
        .map(|_| {
            let c = c.clone();
            Box::pin(async move { send(sim, Some(limiter), &c, &mut build).await })
                as Pin<Box<dyn Future<Output = _>>>
        })
        .collect();
    sim.run_all(calls)
}

#[test]
fn the_rate_limit_frees_a_permit_one_window_after_its_attempt_ended() {
    let sim = Sim::new(std::iter::repeat_with(|| (10, response(200, &[], ""))).take(5));
    let limiter = Limiter::new(2, 1_000);
    let results = concurrent(&sim, &limiter, 5);
    assert!(results
        .iter()
        .all(|r| r.as_ref().is_ok_and(|r| r.status == 200)));
    let times: Vec<i64> = sim.sent.borrow().iter().map(|(t, _)| *t).collect();
    assert_eq!(times, [0, 0, 1_010, 1_010, 2_020]);
    // No window of 1000 ms sees more than 2 sends (arrivals lie within [send, send+10]).
    for (i, t) in times.iter().enumerate() {
        assert!(times.iter().skip(i).filter(|u| **u < t + 1_000).count() <= 2);
    }
}

#[test]
fn a_failed_attempt_and_a_retry_each_hold_a_permit() {
    let sim = Sim::new([(0, Err(Fail::Network)), (0, response(200, &[], ""))]);
    let limiter = Limiter::new(1, 500);
    assert_eq!(
        send_one(&sim, Some(&limiter), &call(true)).unwrap().status,
        200
    );
    let times: Vec<i64> = sim.sent.borrow().iter().map(|(t, _)| *t).collect();
    assert_eq!(
        times,
        [0, 500],
        "the retry waits for the permit, longer than its back-off"
    );
}

#[test]
fn a_call_aborted_while_queued_ends_at_its_turn_unsent() {
    let sim = Sim::new(std::iter::repeat_with(|| (100, response(200, &[], ""))).take(2));
    sim.abort_at.set(Some(50));
    let limiter = Limiter::new(1, 1_000);
    let c = call(true);
    let calls: Vec<Pin<Box<dyn Future<Output = Result<HttpResponse>> + '_>>> = vec![
        Box::pin(async {
            send(
                &Sim::new([(0, response(200, &[], ""))]),
                Some(&limiter),
                &c,
                &mut build,
            )
            .await
        }),
        Box::pin(async { send(&sim, Some(&limiter), &c, &mut build).await }),
    ];
    let results = sim.run_all(calls);
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().code, ErrorCode::Aborted);
    assert!(sim.sent.borrow().is_empty());
    assert_eq!(sim.time(), 1_000, "it ended when its turn came");
}
