use std::cell::RefCell;
use std::rc::Rc;

use super::{Executor, Resume, Step};
use crate::transport::flight::SingleFlight;

thread_local! {
    static WOKEN: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

fn record(id: u32) {
    WOKEN.with(|w| w.borrow_mut().push(id));
}

fn woken() -> Vec<u32> {
    WOKEN.with(|w| std::mem::take(&mut *w.borrow_mut()))
}

fn executor() -> Rc<Executor<i64>> {
    woken();
    Executor::new(record)
}

/// A task that waits on `v` and finishes with its outcome.
fn waiting(ex: &Rc<Executor<i64>>, v: i64) -> super::Task<i64> {
    let inner = ex.clone();
    Box::pin(async move { inner.wait(v).await })
}

#[test]
fn a_task_that_never_waits_is_done_at_once_and_frees_its_id() {
    let ex = executor();
    assert_eq!(ex.start(Box::pin(async { Ok(7) })), (0, Step::Done(Ok(7))));
    assert_eq!(
        ex.start(Box::pin(async { Err(8) })),
        (0, Step::Done(Err(8)))
    );
    assert_eq!(ex.live(), 0);
}

#[test]
fn each_wait_hands_its_value_out_and_resumes_with_the_outcome() {
    let ex = executor();
    let inner = ex.clone();
    let (id, step) = ex.start(Box::pin(async move {
        let a = inner.wait(1).await?;
        let b = inner.wait(2).await.unwrap_or_else(|e| -e);
        Ok(a + b)
    }));
    assert_eq!(step, Step::Waiting(1));
    assert_eq!(ex.resume(id, Resume::Fulfilled(10)), Some(Step::Waiting(2)));
    assert_eq!(ex.resume(id, Resume::Rejected(3)), Some(Step::Done(Ok(7))));
    assert_eq!(ex.live(), 0);
    // A rejection the task passes on is its own outcome.
    let (id, _) = ex.start(waiting(&ex, 5));
    assert_eq!(
        ex.resume(id, Resume::Rejected(-5)),
        Some(Step::Done(Err(-5)))
    );
}

#[test]
fn resumes_that_do_not_match_the_state_are_ignored() {
    let ex = executor();
    let (id, _) = ex.start(waiting(&ex, 1));
    // Awaiting the host: a wake is stale.
    assert_eq!(ex.resume(id, Resume::Woken), None);
    assert_eq!(ex.resume(id + 1, Resume::Fulfilled(0)), None);
    assert_eq!(ex.resume(id, Resume::Fulfilled(4)), Some(Step::Done(Ok(4))));
    // Gone: nothing left to resume.
    assert_eq!(ex.resume(id, Resume::Fulfilled(4)), None);
    assert_eq!(ex.resume(id, Resume::Woken), None);
}

#[test]
fn tasks_sharing_a_flight_are_parked_then_woken_by_the_task_that_runs_it() {
    let ex = executor();
    let flight: Rc<SingleFlight<i64>> = Rc::default();
    let spawned = Rc::new(RefCell::new(Vec::new()));
    let caller = |ex: &Rc<Executor<i64>>| {
        let (ex, flight, spawned) = (ex.clone(), flight.clone(), spawned.clone());
        Box::pin(async move {
            let spawn = |task: crate::transport::flight::Task| {
                // Started from inside the caller's poll: the executor must not be borrowed.
                let (id, step) = ex.start(Box::pin(async move {
                    task.await;
                    Ok(0)
                }));
                spawned.borrow_mut().push((id, step));
            };
            let fetch = ex.clone();
            let token = flight
                .join(&spawn, move || async move {
                    fetch
                        .wait(100)
                        .await
                        .map_err(|_| crate::error::Error::malformed("no"))
                })
                .await
                .map_err(|_| -1)?;
            Ok(token + 1)
        }) as super::Task<i64>
    };
    let (a, step_a) = ex.start(caller(&ex));
    let (b, step_b) = ex.start(caller(&ex));
    assert_eq!((step_a, step_b), (Step::Parked, Step::Parked));
    // One flight for both: it runs as a task of its own and waits on the host.
    let (f, step_f) = spawned.borrow_mut().remove(0);
    assert!(spawned.borrow().is_empty());
    assert_eq!(step_f, Step::Waiting(100));
    assert_eq!(ex.live(), 3);
    assert!(woken().is_empty());
    // A parked task ignores an outcome; a woken one before the flight lands parks again.
    assert_eq!(ex.resume(a, Resume::Fulfilled(9)), None);
    assert_eq!(ex.resume(a, Resume::Woken), Some(Step::Parked));
    assert_eq!(ex.resume(f, Resume::Fulfilled(41)), Some(Step::Done(Ok(0))));
    let mut ids = woken();
    ids.sort_unstable();
    // `a` registered its waker twice (two polls), so it may be woken twice.
    ids.dedup();
    assert_eq!(ids, vec![a, b]);
    assert_eq!(ex.resume(a, Resume::Woken), Some(Step::Done(Ok(42))));
    assert_eq!(ex.resume(b, Resume::Woken), Some(Step::Done(Ok(42))));
    assert_eq!(ex.resume(a, Resume::Woken), None);
    assert_eq!(ex.live(), 0);
}

#[test]
fn ids_are_reused_and_only_live_tasks_hold_one() {
    let ex = executor();
    let ids: Vec<u32> = (0..3).map(|v| ex.start(waiting(&ex, v)).0).collect();
    assert_eq!(ids, vec![0, 1, 2]);
    assert_eq!(ex.resume(1, Resume::Fulfilled(0)), Some(Step::Done(Ok(0))));
    assert_eq!(ex.live(), 2);
    assert_eq!(ex.start(waiting(&ex, 9)), (1, Step::Waiting(9)));
    for id in [0, 1, 2] {
        assert!(matches!(
            ex.resume(id, Resume::Fulfilled(1)),
            Some(Step::Done(_))
        ));
    }
    assert_eq!(ex.live(), 0);
}

#[test]
fn a_burst_of_ten_thousand_tasks_takes_ten_thousand_ids_then_reuses_them() {
    let ex = executor();
    for v in 0..10_000 {
        assert_eq!(ex.start(waiting(&ex, v)), (v as u32, Step::Waiting(v)));
    }
    for id in (0..10_000).rev() {
        assert_eq!(ex.resume(id, Resume::Fulfilled(1)), Some(Step::Done(Ok(1))));
    }
    assert_eq!(ex.live(), 0);
    let mut again: Vec<u32> = (0..10_000).map(|v| ex.start(waiting(&ex, v)).0).collect();
    again.sort_unstable();
    assert_eq!(again, (0..10_000).collect::<Vec<u32>>());
}
