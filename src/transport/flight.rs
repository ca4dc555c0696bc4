//! One request at a time: callers that arrive while a request is in flight share its outcome
//! instead of starting another (token fetches, session refreshes). A failure reaches every
//! waiter and is not kept: the next caller starts afresh.
//!
//! The request runs as its own task (the host's `spawn`), not inside the call that started
//! it, so that call's options (its signal, its timeout) do not apply to work other calls share.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use crate::error::Result;

/// A task for the host to run to completion on its own.
pub type Task = Pin<Box<dyn Future<Output = ()>>>;

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

    /// Joins the request in flight, or starts `start()` as a task of its own through
    /// `spawn` and waits for it.
    pub async fn join<F>(&self, spawn: &dyn Fn(Task), start: impl FnOnce() -> F) -> Result<T>
    where
        F: Future<Output = Result<T>> + 'static,
    {
        let joined = self.current.borrow().clone();
        let flight = match joined {
            Some(flight) => flight,
            None => {
                let flight = Rc::new(Flight {
                    outcome: RefCell::new(None),
                    waiters: RefCell::new(Vec::new()),
                });
                *self.current.borrow_mut() = Some(flight.clone());
                let (current, mine, work) = (self.current.clone(), flight.clone(), start());
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
        };
        poll_fn(|cx| {
            if let Some(outcome) = flight.outcome.borrow().as_ref() {
                return Poll::Ready(outcome.clone());
            }
            flight.waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}
