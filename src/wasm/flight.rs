//! One request at a time: callers that arrive while a request is in flight share its
//! outcome instead of starting another (token fetches, session refreshes). A failure
//! reaches every waiter and is not kept: the next caller starts afresh.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::{Error, ErrorCode, Result};

type Outcome<T> = Rc<RefCell<Option<Result<T>>>>;
/// A request in flight: a promise that settles when it is done, and where its outcome lands.
type Flight<T> = (Promise, Outcome<T>);

/// The request in flight, if any: a promise that settles when it is done, and its outcome.
pub(crate) struct SingleFlight<T> {
    current: Rc<RefCell<Option<Flight<T>>>>,
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

    /// Joins the request in flight, or starts `start()` and waits for it.
    pub async fn join<F>(&self, start: impl FnOnce() -> F) -> Result<T>
    where
        F: Future<Output = Result<T>> + 'static,
    {
        let joined = self.current.borrow().clone();
        let (promise, outcome) = match joined {
            Some(flight) => flight,
            None => {
                let outcome: Outcome<T> = Rc::default();
                let (current, out, work) = (self.current.clone(), outcome.clone(), start());
                let promise = future_to_promise(async move {
                    let result = work.await;
                    *out.borrow_mut() = Some(result);
                    let mut cur = current.borrow_mut();
                    if cur.as_ref().is_some_and(|(_, o)| Rc::ptr_eq(o, &out)) {
                        *cur = None;
                    }
                    Ok(JsValue::UNDEFINED)
                });
                // The work runs from the microtask queue, so it cannot have finished yet;
                // should it have, leave no stale entry behind.
                if outcome.borrow().is_none() {
                    *self.current.borrow_mut() = Some((promise.clone(), outcome.clone()));
                }
                (promise, outcome)
            }
        };
        let _ = JsFuture::from(promise).await;
        let result = outcome.borrow().clone();
        result.unwrap_or_else(|| Err(Error::new(ErrorCode::Network, "the request was abandoned")))
    }
}
