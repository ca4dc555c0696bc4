//! GitHub: header `X-Hub-Signature-256: sha256=<hex>` over the body; no timestamp.

use crate::core::http::Headers;
use crate::core::text::concat;
use crate::error::Result;
use crate::signing::encoding::{hex_decode_32, hex_encode};
use crate::signing::hmac::hmac_sha256;
use crate::signing::verifier::{Checked, Prepared, SignedHeaders};
use crate::signing::{malformed, required_header};

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";
const PREFIX: &str = "sha256=";

/// The `X-Hub-Signature-256` header for `payload`.
pub fn sign(payload: &[u8], key: &[u8]) -> Headers {
    let value = concat(&[PREFIX, &hex_encode(&hmac_sha256(key, payload))]);
    Headers(vec![(SIGNATURE_HEADER.into(), value.into())])
}

/// Checks the header up to the MAC (see [`crate::signing::verifier`]): `sha256=` then 64
/// hex digits in either case, else `SIGNATURE_MALFORMED`. The content is the payload alone
/// (an empty body is a valid payload).
pub fn prepare<'h>(headers: &SignedHeaders<'h>, ctx: &Checked<'_>) -> Result<Prepared<'h>> {
    let value = required_header(headers.signature, ctx.sig_header)?;
    let tag = value
        .strip_prefix(PREFIX)
        .and_then(hex_decode_32)
        .ok_or_else(|| malformed("the signature header is not `sha256=<64 hex digits>`"))?;
    Ok(Prepared {
        prefix: Vec::new(),
        tags: vec![tag],
        id: None,
        timestamp: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GitHub's documented example ("Validating webhook deliveries"): secret
    /// "It's a Secret to Everybody", payload "Hello, World!".
    #[test]
    fn github_docs_example() {
        let h = sign(b"Hello, World!", b"It's a Secret to Everybody");
        assert_eq!(
            h.get("x-hub-signature-256"),
            Some("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        );
    }
}
