//! The lean boundary's calls as a host makes them: input written into the buffer, one call,
//! output read back. The same vectors as the signing tests, through the wire format.

use super::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS: i64 = 1_614_265_330;
const NOW_MS: f64 = TS as f64 * 1000.0;
const PAYLOAD: &[u8] = br#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

/// A structured input of `fields`.
fn encode(fields: &[(Field, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (tag, bytes) in fields {
        out.push(*tag as u8);
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

/// Writes `bytes` at the start of the input buffer; returns their length.
fn put(w: &mut Wire, bytes: &[u8]) -> usize {
    w.input(bytes.len()).unwrap()[..bytes.len()].copy_from_slice(bytes);
    bytes.len()
}

/// Runs a call: its return value and output, or its error's code and message.
fn call(
    w: &mut Wire,
    mut f: impl FnMut(&mut Wire) -> Result<i32>,
) -> core::result::Result<(i32, Vec<u8>), (String, String)> {
    let n = w.run(&mut f);
    let out = w.output().to_vec();
    if n >= 0 {
        return Ok((n, out));
    }
    assert_eq!(n, -1);
    let text = String::from_utf8(out).unwrap();
    let (code, message) = text.split_once('\0').unwrap();
    Err((code.to_owned(), message.to_owned()))
}

fn code(r: core::result::Result<(i32, Vec<u8>), (String, String)>) -> String {
    r.unwrap_err().0
}

/// A verifier of `secrets` for `scheme`; its handle.
fn new_verifier(w: &mut Wire, scheme: u32, secrets: &[&str]) -> usize {
    let fields: Vec<_> = secrets
        .iter()
        .map(|s| (Field::TextSecret, s.as_bytes()))
        .collect();
    let used = put(w, &encode(&fields));
    call(w, |w| w.webhook_new(used, scheme, None)).unwrap().0 as usize
}

/// The signature, id and timestamp header values, then the payload.
fn put_headers(w: &mut Wire, sig: &str, id: &str, ts: &str, payload: &[u8]) -> [usize; 4] {
    put(
        w,
        &[sig.as_bytes(), id.as_bytes(), ts.as_bytes(), payload].concat(),
    );
    [sig.len(), id.len(), ts.len(), payload.len()]
}

/// `(timestamp, secret index, id start, id)` of a verification's output.
fn read_verified(out: &[u8]) -> (f64, u32, u32, String) {
    let u32_at = |i: usize| u32::from_le_bytes(out[i..i + 4].try_into().unwrap());
    let ts = f64::from_le_bytes(out[..8].try_into().unwrap());
    let id_len = u32_at(16) as usize;
    let id = String::from_utf8(out[20..20 + id_len].to_vec()).unwrap();
    assert_eq!(out.len(), 20 + id_len);
    (ts, u32_at(8), u32_at(12), id)
}

#[test]
fn verifies_the_standard_webhooks_vector_with_rotation() {
    let mut w = Wire::new();
    let h = new_verifier(&mut w, 0, &["whsec_b3RoZXIgc2VjcmV0IGtleQ==", SECRET]);
    let lens = put_headers(&mut w, SIGNATURE, ID, &TS.to_string(), PAYLOAD);
    let (_, out) = call(&mut w, |w| w.webhook_verify(h, lens, NOW_MS)).unwrap();
    assert_eq!(read_verified(&out), (TS as f64, 1, 0, ID.to_owned()));

    let lens = put_headers(&mut w, SIGNATURE, ID, &TS.to_string(), b"{}");
    let r = call(&mut w, |w| w.webhook_verify(h, lens, NOW_MS));
    assert_eq!(code(r), "SIGNATURE_MISMATCH");
    let lens = put_headers(&mut w, SIGNATURE, ID, &TS.to_string(), PAYLOAD);
    let r = call(&mut w, |w| w.webhook_verify(h, lens, NOW_MS + 301_000.0));
    assert_eq!(code(r), "TIMESTAMP_OUT_OF_TOLERANCE");
    let lens = put_headers(&mut w, "", ID, &TS.to_string(), PAYLOAD);
    let r = call(&mut w, |w| w.webhook_verify(h, lens, NOW_MS));
    assert_eq!(code(r), "SIGNATURE_MISSING");
    let r = call(&mut w, |w| w.webhook_verify(h, lens, f64::NAN));
    assert_eq!(
        r.unwrap_err(),
        (
            "INVALID_INPUT".into(),
            "`now` must be a finite number".into()
        )
    );
}

#[test]
fn a_tolerance_of_infinity_turns_the_timestamp_check_off() {
    let mut w = Wire::new();
    let used = put(&mut w, &encode(&[(Field::TextSecret, SECRET.as_bytes())]));
    let h = call(&mut w, |w| w.webhook_new(used, 0, Some(f64::INFINITY)))
        .unwrap()
        .0 as usize;
    let lens = put_headers(&mut w, SIGNATURE, ID, &TS.to_string(), PAYLOAD);
    assert!(call(&mut w, |w| w.webhook_verify(h, lens, NOW_MS * 2.0)).is_ok());
}

#[test]
fn prepare_and_finish_agree_with_verify() {
    let mut w = Wire::new();
    let h = new_verifier(&mut w, 0, &[SECRET]);
    let (count, keys) = call(&mut w, |w| w.webhook_keys(h)).unwrap();
    assert_eq!(count, 1);
    let key = keys[4..].to_vec();
    assert_eq!(keys[..4], (key.len() as u32).to_le_bytes());

    let prepare = |w: &mut Wire| {
        let [sig, id, ts, _] = put_headers(w, SIGNATURE, ID, &TS.to_string(), b"");
        call(w, |w| w.webhook_prepare(h, [sig, id, ts], NOW_MS))
    };
    let (_, prefix) = prepare(&mut w).unwrap();
    assert_eq!(prefix, format!("{ID}.{TS}.").into_bytes());
    let mac = crate::signing::hmac_sha256(&key, &[prefix.as_slice(), PAYLOAD].concat());
    put(&mut w, &mac);
    let (_, out) = call(&mut w, |w| w.webhook_finish(h)).unwrap();
    assert_eq!(read_verified(&out), (TS as f64, 0, 0, ID.to_owned()));

    // Once only, and only for the verifier that prepared it.
    let r = call(&mut w, |w| w.webhook_finish(h));
    assert_eq!(r.unwrap_err().1, "`finish` has no prepared verification");
    prepare(&mut w).unwrap();
    assert_eq!(
        code(call(&mut w, |w| w.webhook_finish(h + 1))),
        "INVALID_INPUT"
    );
    prepare(&mut w).unwrap();
    put(&mut w, &[0; 32]);
    assert_eq!(
        code(call(&mut w, |w| w.webhook_finish(h))),
        "SIGNATURE_MISMATCH"
    );
    // Too few MAC bytes read as zeros: a mismatch, never a panic.
    prepare(&mut w).unwrap();
    w.input = Vec::new();
    assert_eq!(
        code(call(&mut w, |w| w.webhook_finish(h))),
        "SIGNATURE_MISMATCH"
    );
}

#[test]
fn the_id_start_is_the_ids_offset_in_its_header() {
    let mut w = Wire::new();
    let h = new_verifier(&mut w, 0, &[SECRET]);
    let padded = format!("  {ID} ");
    let lens = put_headers(&mut w, SIGNATURE, &padded, &TS.to_string(), PAYLOAD);
    let (_, out) = call(&mut w, |w| w.webhook_verify(h, lens, NOW_MS)).unwrap();
    assert_eq!(read_verified(&out), (TS as f64, 0, 2, ID.to_owned()));
}

#[test]
fn freed_handles_are_refused_and_reused() {
    let mut w = Wire::new();
    let a = new_verifier(&mut w, 2, &["s1"]);
    let b = new_verifier(&mut w, 1, &["s2"]);
    assert_eq!((a, b), (0, 1));
    w.webhook_free(a);
    w.webhook_free(a);
    w.webhook_free(99);
    let lens = put_headers(&mut w, "sha256=00", "", "", b"x");
    let r = call(&mut w, |w| w.webhook_verify(a, lens, NOW_MS));
    assert_eq!(
        r.unwrap_err(),
        ("INVALID_INPUT".into(), "this Webhook has been freed".into())
    );
    assert_eq!(code(call(&mut w, |w| w.webhook_keys(a))), "INVALID_INPUT");
    assert_eq!(new_verifier(&mut w, 0, &[SECRET]), a);
}

#[test]
fn bad_inputs_are_errors_with_codes() {
    let mut w = Wire::new();
    let secret = encode(&[(Field::TextSecret, b"s")]);
    let used = put(&mut w, &secret);
    assert_eq!(
        code(call(&mut w, |w| w.webhook_new(used, 3, None))),
        "INVALID_CONFIG"
    );
    assert_eq!(
        code(call(&mut w, |w| w.webhook_new(used + (1 << 20), 0, None))),
        "INVALID_INPUT"
    );
    let used = put(&mut w, &encode(&[]));
    assert_eq!(
        code(call(&mut w, |w| w.webhook_new(used, 0, None))),
        "INVALID_CONFIG"
    );
    // A field whose length runs past the input, or a header cut short.
    let mut cut = secret.clone();
    cut.truncate(cut.len() - 1);
    let used = put(&mut w, &cut);
    let r = call(&mut w, |w| w.webhook_new(used, 1, None));
    assert_eq!(
        r.unwrap_err(),
        ("INVALID_INPUT".into(), "`input` is truncated".into())
    );
    let used = put(&mut w, &[0, 1, 0]);
    assert_eq!(
        code(call(&mut w, |w| w.sign_url(used, None, NOW_MS))),
        "INVALID_INPUT"
    );
    let used = put(&mut w, &encode(&[(Field::TextSecret, &[0xff])]));
    let r = call(&mut w, |w| w.webhook_new(used, 1, None));
    assert_eq!(r.unwrap_err().1, "`secret` must be text");
    let h = new_verifier(&mut w, 1, &["s"]);
    put(&mut w, &[0xff, b'x']);
    let r = call(&mut w, |w| w.webhook_verify(h, [1, 0, 0, 1], NOW_MS));
    assert_eq!(r.unwrap_err().1, "`headers` must be text");
    assert_eq!(
        code(call(&mut w, |w| w.webhook_verify(
            h,
            [1, 0, 0, usize::MAX],
            NOW_MS
        ))),
        "INVALID_INPUT"
    );
    assert_eq!(
        code(call(&mut w, |w| w.hmac_sha256(usize::MAX, 0))),
        "INVALID_INPUT"
    );
    assert_eq!(
        code(call(&mut w, |w| w.timing_safe_equal(1, usize::MAX))),
        "INVALID_INPUT"
    );
    assert_eq!(
        code(call(&mut w, |w| w.sha256(usize::MAX))),
        "INVALID_INPUT"
    );
    // A call after a failure starts from an empty output.
    let used = put(&mut w, b"abc");
    assert_eq!(call(&mut w, |w| w.sha256(used)).unwrap().1.len(), 32);
}

#[test]
fn signs_as_the_scheme_and_writes_length_prefixed_headers() {
    let mut w = Wire::new();
    let used = put(
        &mut w,
        &encode(&[
            (Field::TextSecret, SECRET.as_bytes()),
            (Field::Id, ID.as_bytes()),
            (Field::Data, PAYLOAD),
        ]),
    );
    let (n, out) = call(&mut w, |w| w.sign_webhook(used, 0, TS as f64)).unwrap();
    let mut rest = out.as_slice();
    let mut strings = Vec::new();
    for _ in 0..2 * n {
        let len = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
        strings.push(String::from_utf8(rest[4..4 + len].to_vec()).unwrap());
        rest = &rest[4 + len..];
    }
    assert!(rest.is_empty());
    let pairs: Vec<_> = strings
        .chunks(2)
        .map(|p| (p[0].as_str(), p[1].as_str()))
        .collect();
    let ts = TS.to_string();
    assert_eq!(
        pairs,
        [
            ("webhook-id", ID),
            ("webhook-timestamp", ts.as_str()),
            ("webhook-signature", SIGNATURE)
        ]
    );

    // Random bytes make the id when none is given; no secret is INVALID_CONFIG.
    let used = put(
        &mut w,
        &encode(&[
            (Field::TextSecret, SECRET.as_bytes()),
            (Field::Random, &[0; 3]),
        ]),
    );
    let (_, out) = call(&mut w, |w| w.sign_webhook(used, 0, TS as f64)).unwrap();
    assert_eq!(&out[4..4 + 10], b"webhook-id");
    assert_eq!(&out[18..26], b"msg_AAAA");
    let used = put(&mut w, &encode(&[(Field::Data, PAYLOAD)]));
    let r = call(&mut w, |w| w.sign_webhook(used, 1, TS as f64));
    assert_eq!(
        r.unwrap_err(),
        ("INVALID_CONFIG".into(), "`secret` is required".into())
    );
}

#[test]
fn signed_urls_round_trip_within_their_origins() {
    let mut w = Wire::new();
    let key = (Field::TextSecret, b"url-secret".as_slice());
    let url = b"https://app.example/a?b=1".as_slice();
    let used = put(&mut w, &encode(&[key, (Field::Data, url)]));
    let (_, signed) = call(&mut w, |w| w.sign_url(used, Some(60.0), NOW_MS)).unwrap();

    let allowed = (Field::Origin, b"https://app.example".as_slice());
    let used = put(&mut w, &encode(&[key, (Field::Data, &signed), allowed]));
    let (_, out) = call(&mut w, |w| w.verify_signed_url(used, true, NOW_MS)).unwrap();
    assert_eq!(
        f64::from_le_bytes(out[..8].try_into().unwrap()),
        NOW_MS + 60_000.0
    );
    assert_eq!(&out[8..], url);

    let other = (Field::Origin, b"https://other.example".as_slice());
    let used = put(&mut w, &encode(&[key, (Field::Data, &signed), other]));
    assert!(call(&mut w, |w| w.verify_signed_url(used, true, NOW_MS)).is_err());
    let used = put(&mut w, &encode(&[key, (Field::Data, &signed)]));
    let r = call(&mut w, |w| {
        w.verify_signed_url(used, false, NOW_MS + 61_000.0)
    });
    assert!(r.is_err());
}

#[test]
fn primitives_read_their_operands_from_the_input() {
    let mut w = Wire::new();
    let used = put(&mut w, b"abc");
    let (_, digest) = call(&mut w, |w| w.sha256(used)).unwrap();
    assert_eq!(digest, crate::signing::sha256(b"abc"));
    put(&mut w, b"keymessage");
    let (_, mac) = call(&mut w, |w| w.hmac_sha256(3, 7)).unwrap();
    assert_eq!(mac, crate::signing::hmac_sha256(b"key", b"message"));
    put(&mut w, b"abcabd");
    assert_eq!(call(&mut w, |w| w.timing_safe_equal(3, 3)).unwrap().0, 0);
    assert_eq!(call(&mut w, |w| w.timing_safe_equal(2, 2)).unwrap().0, 0);
    put(&mut w, b"abab");
    assert_eq!(call(&mut w, |w| w.timing_safe_equal(2, 2)).unwrap().0, 1);
}

#[test]
fn a_large_input_buffer_is_released_after_its_call() {
    let mut w = Wire::new();
    let used = put(&mut w, &vec![b'a'; KEEP_BYTES + 1]);
    call(&mut w, |w| w.sha256(used)).unwrap();
    assert_eq!(w.input(0).unwrap().len(), 0);
    let used = put(&mut w, &[b'a'; 64]);
    call(&mut w, |w| w.sha256(used)).unwrap();
    assert_eq!(w.input(0).unwrap().len(), 64);
    assert!(w.input(usize::MAX).is_none());
}
