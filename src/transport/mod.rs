//! The transport's pure half: retry policy, `Retry-After`, backoff, the client-side rate
//! limiter and the token-cache rule. The I/O half (`fetch`, timeouts, sleeping) lives in
//! the wasm layer and only asks these functions what to do.

pub mod bearer;
pub mod client;
pub mod exchange;
pub mod executor;
pub mod flight;
pub mod ratelimit;
pub mod retry;
pub mod token;

pub use ratelimit::{Permits, RateLimit};
pub use retry::{Attempt, RetryPolicy};
pub use token::{send_with_token, CachedToken, TokenCache};
