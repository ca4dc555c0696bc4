//! One request at a time: callers that arrive while a request is in flight share its outcome
//! instead of starting another (token fetches, session refreshes). A failure reaches every
//! waiter and is not kept: the next caller starts afresh.
//!
//! The request runs as its own task (the host's `spawn`), not inside the call that started
//! it, so that call's options (its signal, its timeout) do not apply to work other calls share.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::error::Result;

/// A task for the host to run to completion on its own.
pub type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Work whose outcome a flight shares, boxed: what runs a flight is compiled once per
/// outcome type, not once per kind of work (each vendor's token fetch).
pub type Work<T> = Pin<Box<dyn Future<Output = Result<T>>>>;

/// A request in flight: where its outcome lands, and who waits for it.
struct Flight<T> {
    outcome: RefCell<Option<Result<T>>>,
    waiters: RefCell<Vec<Waker>>,
}

/// The request in flight, if any.
pub struct SingleFlight<T> {
    current: Rc<RefCell<Option<Rc<Flight<T>>>>>,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        Self {
            current: Rc::default(),
        }
    }
}

impl<T: Clone + 'static> SingleFlight<T> {
    /// Whether a request is in flight.
    pub fn is_flying(&self) -> bool {
        self.current.borrow().is_some()
    }

    /// Joins the request in flight, or starts `start()` now, as a task of its own through
    /// `spawn`; the returned future resolves to its outcome.
    pub fn join<F>(&self, spawn: &dyn Fn(Task), start: impl FnOnce() -> F) -> Joined<T>
    where
        F: Future<Output = Result<T>> + 'static,
    {
        let joined = self.current.borrow().clone();
        Joined(match joined {
            Some(flight) => flight,
            None => self.start(spawn, Box::pin(start())),
        })
    }

    /// Starts `work` as the request in flight.
    fn start(&self, spawn: &dyn Fn(Task), work: Work<T>) -> Rc<Flight<T>> {
        let flight = Rc::new(Flight {
            outcome: RefCell::new(None),
            waiters: RefCell::new(Vec::new()),
        });
        *self.current.borrow_mut() = Some(flight.clone());
        let (current, mine) = (self.current.clone(), flight.clone());
        spawn(Box::pin(async move {
            let result = work.await;
            *mine.outcome.borrow_mut() = Some(result);
            {
                let mut cur = current.borrow_mut();
                if cur.as_ref().is_some_and(|c| Rc::ptr_eq(c, &mine)) {
                    *cur = None;
                }
            }
            let waiters = std::mem::take(&mut *mine.waiters.borrow_mut());
            for w in waiters {
                w.wake();
            }
        }));
        flight
    }
}

/// The outcome of a request in flight, once it has one ([`SingleFlight::join`]). The request
/// runs whether or not this is awaited.
#[must_use = "the request runs anyway: await this for its outcome"]
pub struct Joined<T>(Rc<Flight<T>>);

impl<T: Clone> Future for Joined<T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        if let Some(outcome) = self.0.outcome.borrow().as_ref() {
            return Poll::Ready(outcome.clone());
        }
        self.0.waiters.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}
