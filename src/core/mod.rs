//! The sans-IO core shared by every vendor module: plain HTTP values, input readers,
//! JSON helpers, URL rules, secrets and time. Pure Rust: no clock, no randomness, no I/O.

pub mod http;
pub mod input;
pub mod json;
pub mod number;
pub mod secret;
pub mod text;
pub mod time;
pub mod tree;
pub mod url;
