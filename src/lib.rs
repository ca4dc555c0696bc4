//! # lms-bridge
//!
//! Typed, verified integrations with four e-learning vendors (Miles Masterclass,
//! AlphaLearn, Teach on Mars, LearnWorlds) plus a generic webhook-signing module, compiled
//! to WebAssembly for Node, Cloudflare Workers and browsers.
//!
//! The crate is layered:
//! - [`core`], [`signing`], [`vendors`] and [`transport`] are a pure, sans-IO core: request
//!   builders return [`core::http::HttpRequest`] values, parsers turn
//!   [`core::http::HttpResponse`] values into typed results or one [`error::Error`]. Time
//!   and randomness are inputs. Everything here is tested with native `cargo test`.
//! - `wasm` (only on `wasm32`) is the thin `#[wasm_bindgen]` boundary plus the one I/O
//!   piece: the `fetch`-based transport.
//!
//! The `vendors` feature (default) adds the vendor modules and the transport; without it
//! the crate is the signing core alone, which is what the `lms-bridge/webhooks` entry
//! ships.

// Tests format freely; the modules never do (clippy.toml's `disallowed-*`).
#![cfg_attr(test, allow(clippy::disallowed_macros, clippy::disallowed_methods))]
// The few hot loops of the parsers marked `#[cfg_attr(lmsb_optimize, optimize(speed))]` are
// compiled for speed in a crate compiled for size (`opt-level = "z"`), where the build
// allows the attribute (scripts/build.mjs sets `lmsb_optimize` on its build-std path).
#![cfg_attr(lmsb_optimize, feature(optimize_attribute))]

pub mod core;
pub mod error;
pub mod handoff;
pub mod signing;
#[cfg(feature = "vendors")]
pub mod transport;
#[cfg(feature = "vendors")]
pub mod vendors;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The allocator of both wasm modules: Talc, a few KiB smaller than std's dlmalloc and as
/// fast for the allocations of a call (sans-IO rows within ±3 %). Single-threaded wasm only.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use error::{Error, ErrorCode, ErrorFields, Result, Vendor};
