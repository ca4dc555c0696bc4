//! Placeholder until the signing work lands.
/// A secret as given in JS.
pub enum Key {
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}
