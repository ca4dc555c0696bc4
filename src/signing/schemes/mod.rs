//! One file per signature scheme, each a pure `sign` and `verify` over decoded keys.
//! Dispatch, key decoding and the shared rules live in [`crate::signing`].

pub mod github;
pub mod standard_webhooks;
pub mod stripe;
