//! Placeholder, filled in by the vendor module work.
