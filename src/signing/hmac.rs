//! HMAC-SHA256 and SHA-256 over byte strings, and a constant-time MAC check.

use crate::core::secret::Secret;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// SHA-256's block size in bytes (the HMAC key block).
const BLOCK: usize = 64;

/// A keyed HMAC-SHA256 state. Built from a full key block (RFC 2104: a longer key is hashed
/// first, a shorter one zero-padded), so construction cannot fail for any key length.
fn mac(key: &[u8]) -> HmacSha256 {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        let digest = sha256(key);
        block
            .iter_mut()
            .zip(digest.iter())
            .for_each(|(b, d)| *b = *d);
    } else {
        block.iter_mut().zip(key.iter()).for_each(|(b, k)| *b = *k);
    }
    HmacSha256::new(&block.into())
}

/// A key made ready for HMAC-SHA256 once (its inner and outer pad states computed), so
/// each MAC under it costs only the message's blocks. `Debug` prints `[redacted]`.
#[derive(Clone, Debug)]
pub struct HmacKey(Secret<HmacSha256>);

impl HmacKey {
    /// Prepares `key` (any length, RFC 2104).
    pub fn new(key: &[u8]) -> Self {
        Self(Secret::new(mac(key)))
    }

    /// HMAC-SHA256 of the concatenation of `parts`.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = self.0.expose().clone();
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }
}

/// HMAC-SHA256 of `msg` under `key` (any key length, RFC 2104 / RFC 4231).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    hmac_sha256_parts(key, &[msg])
}

/// HMAC-SHA256 of the concatenation of `parts` (avoids copying `id.timestamp.body`).
pub fn hmac_sha256_parts(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    HmacKey::new(key).mac(parts)
}

/// Whether `tag` is the HMAC-SHA256 of the concatenated `parts` under `key`, compared in
/// constant time (`Mac::verify_slice`; a tag of another length is simply unequal).
pub fn verify_hmac_sha256(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    let mut m = mac(key);
    for p in parts {
        m.update(p);
    }
    m.verify_slice(tag).is_ok()
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn unhex(s: &str) -> Vec<u8> {
        crate::signing::encoding::hex_decode(s).unwrap()
    }

    /// RFC 4231 §4.2-§4.8, typed from the RFC into `tests/vectors/rfc4231.json`.
    #[test]
    fn rfc4231_test_cases_1_to_7() {
        let cases: Value =
            serde_json::from_str(include_str!("../../tests/vectors/rfc4231.json")).unwrap();
        let cases = cases["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 7);
        for c in cases {
            let key = unhex(c["key"].as_str().unwrap());
            let data = unhex(c["data"].as_str().unwrap());
            let want = c["hmacSha256"].as_str().unwrap();
            let got = crate::signing::encoding::hex_encode(&hmac_sha256(&key, &data));
            // Case 5 is truncated to 128 bits.
            assert_eq!(&got[..want.len()], want, "case {}", c["case"]);
            if want.len() == 64 {
                assert!(verify_hmac_sha256(&key, &[&data], &unhex(want)));
            }
        }
    }

    #[test]
    fn parts_equal_the_concatenation() {
        assert_eq!(
            hmac_sha256_parts(b"k", &[b"ab", b"", b"c"]),
            hmac_sha256(b"k", b"abc")
        );
        let tag = hmac_sha256(b"k", b"abc");
        assert!(verify_hmac_sha256(b"k", &[b"abc"], &tag));
        assert!(!verify_hmac_sha256(b"k", &[b"abd"], &tag));
        assert!(!verify_hmac_sha256(b"k", &[b"abc"], &tag[..31]));
        assert!(!verify_hmac_sha256(b"k", &[b"abc"], &[]));
    }

    #[test]
    fn block_sized_and_empty_keys() {
        // A 64-byte key is used as is; a 65-byte key is hashed first: both must agree with
        // the hmac crate's own key handling.
        for len in [0usize, 1, 63, 64, 65, 200] {
            let key = vec![0x5a; len];
            let mut m = HmacSha256::new_from_slice(&key).unwrap();
            m.update(b"msg");
            let want: [u8; 32] = m.finalize().into_bytes().into();
            assert_eq!(hmac_sha256(&key, b"msg"), want, "len {len}");
        }
    }

    #[test]
    fn sha256_vectors() {
        assert_eq!(
            crate::signing::encoding::hex_encode(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            crate::signing::encoding::hex_encode(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
