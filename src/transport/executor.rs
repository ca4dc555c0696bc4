//! A single-threaded executor driven from outside, one step per call: the host (the wasm
//! layer's JS side) polls a task, gets back what the task now waits on, and polls it again
//! when that is settled. Nothing here runs on its own: no queue, no timers.
//!
//! A task waits in one of two ways:
//! - on a value the host settles ([`Executor::wait`], e.g. a JS promise): the poll hands
//!   the value out, and the host resumes the task with its outcome;
//! - on other tasks (a shared token fetch, a rate limiter's queue), through its [`Waker`]:
//!   the host is told to wake it ([`Executor::new`]'s `wake`) and resumes it as woken.
//!
//! A resume that does not match the task's state (a stale wake of a task that now waits on
//! the host, an outcome for a parked task, a task gone) is ignored.
//!
//! A task waits on one host value at a time: nothing here polls two [`Wait`]s at once (no
//! `join` or `select` over them), so the outcome a resume carries is always that of the one
//! value the last poll handed out.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// A task: its output is what the host settles the task's promise with.
pub type Task<V> = Pin<Box<dyn Future<Output = Result<V, V>>>>;

/// How a task left a poll.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<V> {
    /// It finished.
    Done(Result<V, V>),
    /// It waits on this value, for the host to resume it with its outcome.
    Waiting(V),
    /// It waits to be woken.
    Parked,
}

/// Why a task is polled again.
#[derive(Debug)]
pub enum Resume<V> {
    /// Its waker was called.
    Woken,
    /// What it waited on was fulfilled with this.
    Fulfilled(V),
    /// What it waited on was rejected with this.
    Rejected(V),
}

/// A task between two polls.
enum Entry<V> {
    Vacant,
    /// Being polled: the id is taken.
    Running,
    Parked(Task<V>, Waker),
    Awaiting(Task<V>, Waker),
}

/// The tasks of one host.
pub struct Executor<V> {
    tasks: RefCell<Vec<Entry<V>>>,
    /// The ids of vacant entries, reused first.
    vacant: RefCell<Vec<u32>>,
    /// What the task being polled waits on (set by [`Wait`]).
    awaited: RefCell<Option<V>>,
    /// The outcome of that value, for the poll that resumes the task.
    settled: RefCell<Option<Result<V, V>>>,
    wake: fn(u32),
}

/// Tells the host to resume task `.0` as woken.
struct TaskWaker(u32, fn(u32));

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        (self.1)(self.0);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        (self.1)(self.0);
    }
}

impl<V: Clone + 'static> Executor<V> {
    /// An executor whose wakers call `wake(id)`.
    pub fn new(wake: fn(u32)) -> Rc<Self> {
        Rc::new(Self {
            tasks: RefCell::new(Vec::new()),
            vacant: RefCell::new(Vec::new()),
            awaited: RefCell::new(None),
            settled: RefCell::new(None),
            wake,
        })
    }

    /// Polls a new task once. It takes the id a finished task left, if any.
    pub fn start(&self, task: Task<V>) -> (u32, Step<V>) {
        let id = {
            let mut tasks = self.tasks.borrow_mut();
            match self.vacant.borrow_mut().pop() {
                Some(id) => {
                    if let Some(e) = tasks.get_mut(id as usize) {
                        *e = Entry::Running;
                    }
                    id
                }
                None => {
                    let id = u32::try_from(tasks.len()).unwrap_or(u32::MAX);
                    tasks.push(Entry::Running);
                    id
                }
            }
        };
        let waker = Waker::from(Arc::new(TaskWaker(id, self.wake)));
        (id, self.step(id, task, waker))
    }

    /// Polls task `id` again; `None` when `why` does not match its state.
    pub fn resume(&self, id: u32, why: Resume<V>) -> Option<Step<V>> {
        let (task, waker) = {
            let mut tasks = self.tasks.borrow_mut();
            let entry = tasks.get_mut(id as usize)?;
            let matches = matches!(
                (&*entry, &why),
                (Entry::Parked(..), Resume::Woken)
                    | (
                        Entry::Awaiting(..),
                        Resume::Fulfilled(_) | Resume::Rejected(_)
                    )
            );
            if !matches {
                return None;
            }
            match std::mem::replace(entry, Entry::Running) {
                Entry::Parked(task, waker) | Entry::Awaiting(task, waker) => (task, waker),
                Entry::Vacant | Entry::Running => return None,
            }
        };
        let settled = match why {
            Resume::Woken => None,
            Resume::Fulfilled(v) => Some(Ok(v)),
            Resume::Rejected(v) => Some(Err(v)),
        };
        *self.settled.borrow_mut() = settled;
        Some(self.step(id, task, waker))
    }

    /// Polls task `id` (marked running) once and files it again. No borrow is held while
    /// it runs: a task may start others.
    fn step(&self, id: u32, mut task: Task<V>, waker: Waker) -> Step<V> {
        self.awaited.borrow_mut().take();
        let polled = task.as_mut().poll(&mut Context::from_waker(&waker));
        let awaited = self.awaited.borrow_mut().take();
        self.settled.borrow_mut().take();
        let (entry, step) = match (polled, awaited) {
            (Poll::Ready(out), _) => (Entry::Vacant, Step::Done(out)),
            (Poll::Pending, Some(v)) => (Entry::Awaiting(task, waker), Step::Waiting(v)),
            (Poll::Pending, None) => (Entry::Parked(task, waker), Step::Parked),
        };
        if matches!(entry, Entry::Vacant) {
            self.vacant.borrow_mut().push(id);
        }
        if let Some(e) = self.tasks.borrow_mut().get_mut(id as usize) {
            *e = entry;
        }
        step
    }

    /// Waits until the host settles `value` (see [`Step::Waiting`]).
    pub fn wait(self: &Rc<Self>, value: V) -> Wait<V> {
        Wait {
            executor: self.clone(),
            value,
            handed_out: false,
        }
    }

    /// How many ids are taken (running, parked or awaiting).
    #[cfg(test)]
    pub fn live(&self) -> usize {
        self.tasks
            .borrow()
            .iter()
            .filter(|e| !matches!(e, Entry::Vacant))
            .count()
    }
}

/// The future of [`Executor::wait`].
pub struct Wait<V> {
    executor: Rc<Executor<V>>,
    value: V,
    handed_out: bool,
}

impl<V: Clone + Unpin + 'static> Future for Wait<V> {
    type Output = Result<V, V>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.handed_out {
            if let Some(out) = this.executor.settled.borrow_mut().take() {
                return Poll::Ready(out);
            }
        }
        // Handed out (again, if polled without its outcome: the host waits on it twice).
        this.handed_out = true;
        *this.executor.awaited.borrow_mut() = Some(this.value.clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests;
