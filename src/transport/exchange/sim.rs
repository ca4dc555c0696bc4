//! A scripted [`Host`] on a fake clock, and a runner for several calls at once: native tests
//! of everything that drives the transport (retries, back-off, rate limit, aborts, hooks).
//!
//! Time stands still while any call can make progress; when every call waits, the clock jumps
//! to the earliest deadline one of them waits for (a pause, an attempt's latency, an abort).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::{AttemptEvent, AttemptOutcome, Clock, Fail, Hook, Host};
use crate::core::http::{Headers, HttpRequest, HttpResponse};
use crate::core::time::UnixMillis;
use crate::error::Result;
use crate::transport::flight::Task;

/// One scripted answer: after `latency_ms`, `outcome`.
pub type Answer = (i64, AttemptOutcome);

/// The fake host. Wall clock and client clock are the same fake clock.
#[derive(Default)]
pub struct Sim {
    clock: Cell<i64>,
    /// Deadlines the calls wait for, collected while polling.
    deadlines: RefCell<Vec<i64>>,
    /// Answers to the next attempts, in order.
    pub script: RefCell<VecDeque<Answer>>,
    /// Every attempt: when it was sent, method and URL.
    pub sent: RefCell<Vec<(i64, String)>>,
    /// Every hook call.
    pub hooks: RefCell<Vec<(Hook, AttemptEvent)>>,
    /// When the call's signal aborts, if it does.
    pub abort_at: Cell<Option<i64>>,
    /// The jitter every back-off uses.
    pub random: Cell<f64>,
    /// Whether the host has hooks (then every hook is called and recorded): true from
    /// [`Sim::new`].
    pub with_hooks: Cell<bool>,
    /// How often the clock was read (`now` or `wall`).
    pub clock_reads: Cell<u32>,
    /// How often the randomness was read.
    pub random_reads: Cell<u32>,
    /// Tasks started with [`Sim::spawn`], run alongside the calls.
    tasks: RefCell<Vec<Task>>,
}

/// A response with `status`, `headers` and `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> AttemptOutcome {
    Ok(HttpResponse {
        status,
        headers: Headers(
            headers
                .iter()
                .map(|(k, v)| ((*k).to_owned().into(), (*v).to_owned().into()))
                .collect(),
        ),
        body: body.as_bytes().to_vec(),
    })
}

impl Sim {
    /// A host whose attempts get `answers` in order.
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Self {
        let sim = Self::default();
        sim.script.borrow_mut().extend(answers);
        sim.random.set(0.5);
        sim.with_hooks.set(true);
        sim
    }

    /// The fake time.
    pub fn time(&self) -> i64 {
        self.clock.get()
    }

    /// Ready once the clock reaches `until` (or, when `abortable`, once the call aborts):
    /// true if it ended by the abort.
    fn until(&self, until: i64, abortable: bool) -> impl Future<Output = bool> + '_ {
        poll_fn(move |_| {
            if abortable && self.aborted() {
                return Poll::Ready(true);
            }
            if self.clock.get() >= until {
                return Poll::Ready(false);
            }
            self.deadlines.borrow_mut().push(until);
            if let (true, Some(at)) = (abortable, self.abort_at.get()) {
                self.deadlines.borrow_mut().push(at);
            }
            Poll::Pending
        })
    }

    /// Starts `task`; it runs while calls run (the host's `spawn`).
    pub fn spawn(&self, task: Task) {
        self.tasks.borrow_mut().push(task);
    }

    /// Polls the spawned tasks once; keeps those not done.
    fn poll_tasks(&self, cx: &mut Context<'_>) {
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        for mut task in tasks {
            if task.as_mut().poll(cx).is_pending() {
                self.tasks.borrow_mut().push(task);
            }
        }
    }

    /// Runs `calls` to completion, concurrently, and returns their outputs in order.
    pub fn run_all<'a, T>(&self, calls: Vec<Pin<Box<dyn Future<Output = T> + 'a>>>) -> Vec<T> {
        let mut calls: Vec<_> = calls.into_iter().map(Some).collect();
        let mut out: Vec<Option<T>> = calls.iter().map(|_| None).collect();
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            // Enough rounds at this instant for any chain of calls waking one another.
            self.deadlines.borrow_mut().clear();
            for _ in 0..=calls.len() + 1 {
                self.poll_tasks(&mut cx);
                for (slot, result) in calls.iter_mut().zip(out.iter_mut()) {
                    if let Some(call) = slot {
                        if let Poll::Ready(v) = call.as_mut().poll(&mut cx) {
                            *result = Some(v);
                            *slot = None;
                        }
                    }
                }
            }
            if calls.iter().all(Option::is_none) {
                return out.into_iter().flatten().collect();
            }
            let now = self.clock.get();
            let next = self
                .deadlines
                .borrow()
                .iter()
                .copied()
                .filter(|d| *d > now)
                .min();
            self.clock
                .set(next.expect("every call waits and no deadline is set: stalled"));
        }
    }

    /// Runs one call to completion.
    pub fn run<'a, T: 'a>(&self, call: impl Future<Output = T> + 'a) -> T {
        self.run_all(vec![Box::pin(call)])
            .pop()
            .expect("one call, one output")
    }
}

impl Clock for Sim {
    fn wall(&self) -> Result<UnixMillis> {
        self.clock_reads.set(self.clock_reads.get() + 1);
        Ok(UnixMillis(self.clock.get()))
    }
}

impl Host for Sim {
    fn now(&self) -> Result<UnixMillis> {
        self.clock_reads.set(self.clock_reads.get() + 1);
        Ok(UnixMillis(self.clock.get()))
    }

    fn random_unit(&self) -> f64 {
        self.random_reads.set(self.random_reads.get() + 1);
        self.random.get()
    }

    fn aborted(&self) -> bool {
        self.abort_at.get().is_some_and(|at| at <= self.clock.get())
    }

    async fn attempt(&self, request: &HttpRequest, _timeout_ms: f64) -> AttemptOutcome {
        let url = format!("{} {}", request.method.as_str(), request.url);
        self.sent.borrow_mut().push((self.clock.get(), url));
        let answer = self.script.borrow_mut().pop_front();
        let Some((latency, outcome)) = answer else {
            return Err(Fail::NotAResponse);
        };
        if self.until(self.clock.get() + latency, true).await {
            return Err(Fail::Aborted);
        }
        outcome
    }

    async fn pause(&self, ms: i64, abortable: bool) {
        self.until(self.clock.get() + ms, abortable).await;
    }

    fn has_hook(&self, _hook: Hook) -> bool {
        self.with_hooks.get()
    }

    fn hook(&self, hook: Hook, event: &AttemptEvent) {
        self.hooks.borrow_mut().push((hook, event.clone()));
    }
}
