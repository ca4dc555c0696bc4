//! HMAC-SHA256 and SHA-256 over byte strings, and a constant-time MAC check: RFC 2104's
//! construction and FIPS 180-4's padding over the `sha2` crate's compression function
//! (`sha2::block_api::compress256`), without the `digest`/`hmac` traits' buffering and
//! wrappers: 0.5 KB less code in the signing module, and a prepared key is two chaining
//! states (64 bytes) instead of a cloned hasher.

use sha2::block_api::compress256;

use crate::core::secret::{constant_time_eq, Secret};

/// SHA-256's block size in bytes (the HMAC key block).
const BLOCK: usize = 64;

/// SHA-256's initial chaining state (FIPS 180-4 §5.3.3).
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A SHA-256 computation in progress: the chaining state, the bytes of a block not yet
/// compressed, and how many bytes were hashed.
#[derive(Clone)]
struct Sha256 {
    state: [u32; 8],
    partial: [u8; BLOCK],
    filled: usize,
    length: u64,
}

impl Sha256 {
    /// A computation that has hashed `blocks` whole blocks, reaching `state` (HMAC's pads).
    const fn resume(state: [u32; 8], blocks: u64) -> Self {
        Self {
            state,
            partial: [0; BLOCK],
            filled: 0,
            length: blocks * BLOCK as u64,
        }
    }

    /// Hashes `data` after what was hashed so far.
    fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.filled != 0 {
            let Some(room) = self.partial.get_mut(self.filled..) else {
                return;
            };
            let n = room.len().min(data.len());
            let (head, tail) = data.split_at(n);
            room.iter_mut().zip(head).for_each(|(r, b)| *r = *b);
            self.filled += n;
            data = tail;
            if self.filled < BLOCK {
                return;
            }
            compress256(&mut self.state, core::slice::from_ref(&self.partial));
            self.filled = 0;
        }
        let (blocks, rest) = data.as_chunks::<BLOCK>();
        compress256(&mut self.state, blocks);
        self.partial.iter_mut().zip(rest).for_each(|(r, b)| *r = *b);
        self.filled = rest.len();
    }

    /// The digest: `0x80`, zeros and the length in bits (big-endian) after the data, to a
    /// whole number of blocks.
    fn finish(mut self) -> [u8; 32] {
        let bits = self.length.wrapping_mul(8).to_be_bytes();
        if let Some(rest) = self.partial.get_mut(self.filled..) {
            rest.fill(0);
            if let Some(first) = rest.first_mut() {
                *first = 0x80;
            }
        }
        if self.filled >= BLOCK - bits.len() {
            compress256(&mut self.state, core::slice::from_ref(&self.partial));
            self.partial = [0; BLOCK];
        }
        if let Some(tail) = self.partial.last_chunk_mut::<8>() {
            *tail = bits;
        }
        compress256(&mut self.state, core::slice::from_ref(&self.partial));
        digest(&self.state)
    }
}

/// A chaining state as the digest's bytes (big-endian words).
fn digest(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        let word = state.get(i / 4).copied().unwrap_or(0);
        *o = (word >> (24 - 8 * (i % 4))) as u8;
    }
    out
}

/// HMAC's two keyed states: the chaining states after the key block XOR ipad and XOR opad.
#[derive(Clone, PartialEq, Eq)]
struct Pads {
    inner: [u32; 8],
    outer: [u32; 8],
}

/// A key made ready for HMAC-SHA256 once (its inner and outer pad states computed), so
/// each MAC under it costs only the message's blocks. Any key length (RFC 2104: a longer
/// key than a block is hashed first, a shorter one zero-padded). `Debug` prints
/// `[redacted]`.
#[derive(Clone, Debug)]
pub struct HmacKey(Secret<Pads>);

impl HmacKey {
    /// Prepares `key` (any length, RFC 2104).
    pub fn new(key: &[u8]) -> Self {
        let mut block = [0u8; BLOCK];
        let digest;
        let key = if key.len() > BLOCK {
            digest = sha256(key);
            &digest[..]
        } else {
            key
        };
        block.iter_mut().zip(key).for_each(|(b, k)| *b = *k);
        let pad = |x: u8| {
            let mut padded = block;
            padded.iter_mut().for_each(|b| *b ^= x);
            let mut state = IV;
            compress256(&mut state, &[padded]);
            state
        };
        Self(Secret::new(Pads {
            inner: pad(0x36),
            outer: pad(0x5c),
        }))
    }

    /// HMAC-SHA256 of the concatenation of `parts`.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let pads = self.0.expose();
        let mut inner = Sha256::resume(pads.inner, 1);
        for p in parts {
            inner.update(p);
        }
        // The outer hash's one block: the inner digest, padded (the opad block, 64 bytes, came
        // first: 96 bytes, 768 bits).
        let mut block = [0u8; BLOCK];
        if let Some((head, rest)) = block.split_first_chunk_mut::<32>() {
            *head = inner.finish();
            if let Some(first) = rest.first_mut() {
                *first = 0x80;
            }
        }
        if let Some(tail) = block.last_chunk_mut::<8>() {
            *tail = 768u64.to_be_bytes();
        }
        let mut state = pads.outer;
        compress256(&mut state, &[block]);
        digest(&state)
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
/// constant time (a tag of another length is simply unequal).
pub fn verify_hmac_sha256(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    constant_time_eq(&hmac_sha256_parts(key, parts), tag)
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha256_parts(&[data])
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::resume(IV, 0);
    for p in parts {
        h.update(p);
    }
    h.finish()
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
    fn agrees_with_the_rustcrypto_hasher_and_mac_at_every_length_around_the_blocks() {
        use hmac::{Hmac, KeyInit, Mac};
        use sha2::Digest;
        // Lengths across the padding boundaries (55/56 and 63/64 bytes in the last block),
        // keys of every length up to and past a block (a longer key is hashed first), and
        // messages given in parts split anywhere.
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in 0..data.len() {
            let msg = &data[..len];
            let want: [u8; 32] = sha2::Sha256::digest(msg).into();
            assert_eq!(sha256(msg), want, "sha256, {len} bytes");
            for cut in [0, 1, len / 3, len / 2, len.saturating_sub(1)] {
                let (a, b) = msg.split_at(cut.min(len));
                assert_eq!(
                    sha256_parts(&[a, b]),
                    want,
                    "sha256 in parts, {len} at {cut}"
                );
            }
        }
        for key_len in [0usize, 1, 31, 32, 63, 64, 65, 127, 128, 200] {
            let key = &data[..key_len];
            let prepared = HmacKey::new(key);
            for len in [0usize, 1, 55, 56, 63, 64, 65, 119, 120, 128, 299] {
                let msg = &data[..len];
                let mut m = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
                m.update(msg);
                let want: [u8; 32] = m.finalize().into_bytes().into();
                assert_eq!(hmac_sha256(key, msg), want, "key {key_len}, msg {len}");
                let (a, b) = msg.split_at(len / 2);
                assert_eq!(
                    prepared.mac(&[a, b]),
                    want,
                    "prepared, key {key_len}, msg {len}"
                );
                assert!(verify_hmac_sha256(key, &[msg], &want));
            }
        }
    }

    #[test]
    fn a_prepared_key_prints_redacted() {
        assert_eq!(
            format!("{:?}", HmacKey::new(b"secret")),
            "HmacKey([redacted])"
        );
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
