//! The wasm boundary (only on `wasm32`): JS-facing classes and functions, each a thin
//! conversion around the pure core, plus the `fetch` transport.

mod convert;
mod env;
mod error;
mod fetch;
mod flight;
mod ops;
mod signing;
mod vendors;
