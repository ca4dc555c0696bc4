//! The wasm boundary (only on `wasm32`). `lean` is the boundary of numbers and byte buffers,
//! in every build: its signing calls (the `lms-bridge/webhooks` module is those alone) and
//! its hand-off calls (`lms-bridge/handoff`'s); with the `vendors` feature, the JS-facing
//! vendor classes, each a thin conversion around the pure core, plus the `fetch` transport.

mod lean;

#[cfg(feature = "vendors")]
mod call;
#[cfg(feature = "vendors")]
mod convert;
#[cfg(feature = "vendors")]
mod env;
#[cfg(feature = "vendors")]
mod error;
#[cfg(feature = "vendors")]
mod fetch;
#[cfg(feature = "vendors")]
mod ops;
#[cfg(feature = "vendors")]
mod task;
#[cfg(feature = "vendors")]
mod vendors;
