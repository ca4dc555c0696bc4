//! Shared pieces of the fuzz targets: splitting the fuzzer's bytes into the parts of a
//! call, and clients configured the same way each run.

use lms_bridge::core::http::{Headers, HttpResponse};
use serde_json::{json, Value};

/// Splits `data` on `0xFF` bytes into at most `n` parts (missing parts are empty).
pub fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = data.splitn(n, |b| *b == 0xFF).collect();
    out.resize(n, &[]);
    out
}

/// Lossy text of some bytes.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Headers from `name: value` lines.
pub fn headers(bytes: &[u8]) -> Headers {
    Headers(
        text(bytes)
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.to_owned().into(), v.to_owned().into()))
            .collect(),
    )
}

/// A response: status from the first two bytes, then header lines and a body.
pub fn response(data: &[u8]) -> HttpResponse {
    let p = parts(data, 3);
    let status = match p[0] {
        [a, b, ..] => 100 + (u16::from(*a) << 8 | u16::from(*b)) % 500,
        _ => 200,
    };
    HttpResponse {
        status,
        headers: headers(p[1]),
        body: p[2].to_vec(),
    }
}

/// JSON from the bytes when they are JSON, else the bytes as one string.
pub fn json_value(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|_| json!(text(bytes)))
}
