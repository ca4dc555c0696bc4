//! The wasm boundary (only on wasm32).
