//! Placeholder, filled in by the signing work.
