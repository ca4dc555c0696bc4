//! Async exports on the core's executor ([`crate::transport::executor`]), driven by
//! transport.js's `tasks`: an export's task is polled at once (as a JS `async` function runs
//! until its first `await`); when it waits on a promise, `tasks` awaits it and polls the task
//! again with its outcome; a woken task is polled again on the microtask queue. No closure
//! is made per await, and a network call enters the module twice: the export, then the
//! response.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode};
use crate::transport::executor::{Executor, Resume, Step, Task, Wait};

/// What an async export resolves to or rejects with.
pub type JsTask = Task<JsValue>;

#[wasm_bindgen]
extern "C" {
    /// transport.js's `tasks`: the JS side of the executor.
    #[derive(Clone)]
    pub type Tasks;

    /// The promise of task `id`, which now waits on `awaited` (a promise), or is parked
    /// (`undefined`) until woken.
    #[wasm_bindgen(method)]
    fn run(this: &Tasks, id: u32, awaited: &JsValue) -> Promise;

    /// Settles task `id`'s promise.
    #[wasm_bindgen(method)]
    fn finish(this: &Tasks, id: u32, ok: bool, value: &JsValue);

    /// Polls task `id` again on the microtask queue.
    #[wasm_bindgen(method)]
    fn wake(this: &Tasks, id: u32);
}

thread_local! {
    static HOST: std::cell::RefCell<Option<Tasks>> = const { std::cell::RefCell::new(None) };
    static EXECUTOR: Rc<Executor<JsValue>> = Executor::new(wake);
}

/// Keeps the entry's `tasks`.
pub fn configure(tasks: Tasks) {
    HOST.with(|h| *h.borrow_mut() = Some(tasks));
}

fn host() -> Option<Tasks> {
    HOST.with(|h| h.borrow().clone())
}

fn wake(id: u32) {
    if let Some(h) = host() {
        h.wake(id);
    }
}

/// Runs `task` as a JS promise.
#[inline(never)]
pub fn promise(task: JsTask) -> Promise {
    let Some(host) = host() else {
        let e = Error::new(ErrorCode::NotInitialized, "the transport is not configured");
        return Promise::reject(&e.into());
    };
    match EXECUTOR.with(|e| e.start(task)) {
        (_, Step::Done(Ok(v))) => Promise::resolve(&v),
        (_, Step::Done(Err(e))) => Promise::reject(&e),
        (id, Step::Waiting(p)) => host.run(id, &p),
        (id, Step::Parked) => host.run(id, &JsValue::UNDEFINED),
    }
}

/// Runs `task` to completion as a task of its own.
pub fn spawn(task: crate::transport::flight::Task) {
    drop(promise(Box::pin(async move {
        task.await;
        Ok(JsValue::UNDEFINED)
    })));
}

/// Polls task `id` again: `outcome` 0 when woken, 1 when its promise fulfilled with
/// `value`, 2 when it rejected with `value`. Returns the promise the task now waits on,
/// else `undefined` (parked, finished and settled, or a stale poll).
#[wasm_bindgen(js_name = "__lmsbPoll", skip_typescript)]
pub fn poll(id: u32, outcome: u8, value: JsValue) -> JsValue {
    let why = match outcome {
        1 => Resume::Fulfilled(value),
        2 => Resume::Rejected(value),
        _ => Resume::Woken,
    };
    match EXECUTOR.with(|e| e.resume(id, why)) {
        Some(Step::Waiting(p)) => p,
        Some(Step::Done(out)) => {
            if let Some(h) = host() {
                let ok = out.is_ok();
                h.finish(id, ok, &out.unwrap_or_else(|e| e));
            }
            JsValue::UNDEFINED
        }
        Some(Step::Parked) | None => JsValue::UNDEFINED,
    }
}

/// Waits for a host promise; `undefined` (a callback that returned nothing) at once.
pub async fn wait(promise: JsValue) -> core::result::Result<JsValue, JsValue> {
    if promise.is_undefined() {
        return Ok(promise);
    }
    let wait: Wait<JsValue> = EXECUTOR.with(|e| e.wait(promise));
    wait.await
}
