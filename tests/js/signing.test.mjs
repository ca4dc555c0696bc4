// Signing module (API.md §4) in Node through the package's ESM entry: published vectors,
// node:crypto as an independent oracle over thousands of random inputs, every failure code.
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import { test } from "node:test";
import {
  hmacSha256, sha256, signUrl, signWebhook, timingSafeEqual, verifySignedUrl, verifyWebhook,
} from "lms-bridge";
import { rejectsWith } from "./assert.mjs";

const vectors = (name) => JSON.parse(fs.readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), "utf8"));
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const WHKEY = Buffer.from(WHSEC.slice(6), "base64");
const NOW = 1_700_000_000_000;
const TS = NOW / 1000;

test("RFC 4231 HMAC-SHA256 test cases", () => {
  const { cases } = vectors("rfc4231");
  assert.equal(cases.length, 7);
  for (const c of cases) {
    const mac = hex(hmacSha256(Buffer.from(c.key, "hex"), Buffer.from(c.data, "hex")));
    assert.equal(mac.slice(0, c.hmacSha256.length), c.hmacSha256, `case ${c.case}`);
  }
});

test("SHA-256 known answers", () => {
  assert.equal(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("published webhook examples verify (Standard Webhooks spec, GitHub docs)", () => {
  for (const c of vectors("webhooks").cases) {
    const r = verifyWebhook(c.payload, c.headers, {
      scheme: c.scheme, secret: c.secret, now: c.timestamp * 1000,
    });
    assert.equal(r.scheme, c.scheme);
    assert.equal(r.secretIndex, 0);
    if (c.scheme === "standard-webhooks") {
      assert.deepEqual(signWebhook(c.payload, { scheme: c.scheme, secret: c.secret, id: c.id, timestamp: c.timestamp }), c.headers);
    }
  }
});

test("node:crypto oracle: hmacSha256 and sha256 over 3000 random inputs", () => {
  for (let i = 0; i < 3000; i++) {
    const key = randomBytes(randomInt(0, 200));
    const msg = randomBytes(randomInt(0, 3000));
    assert.equal(hex(hmacSha256(key, msg)), createHmac("sha256", key).update(msg).digest("hex"));
    assert.equal(hex(sha256(msg)), createHash("sha256").update(msg).digest("hex"));
  }
  const text = "héllo wörld ✓";
  assert.equal(hex(hmacSha256("k", text)), createHmac("sha256", "k").update(text, "utf8").digest("hex"));
  // Long strings take the host TextEncoder path: same UTF-8 bytes as Node's, at every
  // length around the switch-over, for ASCII, multi-byte, astral and lone surrogates.
  for (const unit of ["a", "é", "✓", "😀", "\ud800", "x\udfff"]) {
    for (const n of [1, 63, 64, 65, 127, 128, 129, 1000]) {
      const str = unit.repeat(n);
      assert.equal(hex(sha256(str)), createHash("sha256").update(str, "utf8").digest("hex"), `${JSON.stringify(unit)}×${n}`);
    }
  }
  const big = "€".repeat(50_000);
  const key = "whsec_" + Buffer.from("long-payload").toString("base64");
  const h = signWebhook(big, { scheme: "standard-webhooks", secret: key, id: "msg_big", timestamp: TS });
  assert.ok(verifyWebhook(Buffer.from(big, "utf8"), h, { scheme: "standard-webhooks", secret: key, now: NOW }));
});

test("node:crypto oracle: the three schemes sign and verify like an independent implementation", () => {
  for (let i = 0; i < 1000; i++) {
    const payload = randomBytes(randomInt(0, 2048));
    const key = randomBytes(randomInt(1, 64));
    const ts = TS - randomInt(0, 300);
    const id = `msg_${i}`;
    // standard-webhooks with a raw-bytes secret
    const sw = createHmac("sha256", key).update(`${id}.${ts}.`).update(payload).digest("base64");
    assert.deepEqual(signWebhook(payload, { scheme: "standard-webhooks", secret: key, id, timestamp: ts }), {
      "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${sw}`,
    });
    assert.equal(verifyWebhook(payload, { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${sw}` },
      { scheme: "standard-webhooks", secret: key, now: NOW }).timestamp, ts);
    // stripe: the string secret's bytes
    const secret = `whsec_${key.toString("hex")}`;
    const st = createHmac("sha256", secret).update(`${ts}.`).update(payload).digest("hex");
    assert.equal(verifyWebhook(payload, { "Stripe-Signature": `t=${ts},v1=${st}` }, { scheme: "stripe", secret, now: NOW }).timestamp, ts);
    // github
    const gh = createHmac("sha256", secret).update(payload).digest("hex");
    assert.equal(verifyWebhook(payload, { "x-hub-signature-256": `sha256=${gh}` }, { scheme: "github", secret }).scheme, "github");
  }
});

test("node:crypto oracle: string payloads and ids of every kind, around the one-write limit", () => {
  const pieces = ["a", "{\"k\":1}", "é", "😀", "\ud800", "\udfff", "\u0000", " "];
  const text = (n) => {
    let out = "";
    while (out.length < n) out += randomInt(0, 4) === 0 ? pieces[randomInt(0, pieces.length)] : "x";
    return out.slice(0, n);
  };
  for (const length of [0, 1, 64, 1023, 2047, 2048, 2049, 4096]) {
    for (let i = 0; i < 12; i++) {
      // Half the payloads ASCII (one write); the others need the slower path.
      const payload = i % 2 === 0 ? "x".repeat(length) : text(length);
      const id = i % 3 === 0 ? `msg_é${i}` : `msg_${i}`;
      const mac = createHmac("sha256", WHKEY).update(`${id}.${TS}.`).update(Buffer.from(payload)).digest("base64");
      const headers = { "webhook-id": id, "webhook-timestamp": String(TS), "webhook-signature": `v1,${mac}` };
      const opts = { scheme: "standard-webhooks", secret: WHSEC, now: NOW };
      assert.deepEqual(verifyWebhook(payload, headers, opts), { scheme: "standard-webhooks", id, timestamp: TS, secretIndex: 0 },
        `${length} ${JSON.stringify(payload.slice(0, 20))}`);
      assert.deepEqual(verifyWebhook(Buffer.from(payload), headers, opts), { scheme: "standard-webhooks", id, timestamp: TS, secretIndex: 0 });
      assert.throws(() => verifyWebhook(`${payload}!`, headers, opts), { code: "SIGNATURE_MISMATCH" });
    }
  }
});

function sw(payload, { secret = WHSEC, id = "msg_1", timestamp = TS } = {}) {
  return signWebhook(payload, { scheme: "standard-webhooks", secret, id, timestamp });
}

test("standard-webhooks: every failure code", async () => {
  const body = '{"a":1}';
  const h = sw(body);
  const opts = { scheme: "standard-webhooks", secret: WHSEC, now: NOW };
  assert.equal(verifyWebhook(body, h, opts).id, "msg_1");
  await rejectsWith(() => verifyWebhook('{"a":2}', h, opts), "SIGNATURE_MISMATCH");
  for (const missing of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const partial = { ...h };
    delete partial[missing];
    await rejectsWith(() => verifyWebhook(body, partial, opts), "SIGNATURE_MISSING");
  }
  await rejectsWith(() => verifyWebhook(body, { ...h, "webhook-timestamp": "soon" }, opts), "SIGNATURE_MALFORMED");
  await rejectsWith(() => verifyWebhook(body, { ...h, "webhook-signature": "garbage" }, opts), "SIGNATURE_MALFORMED");
  // other versions are skipped; none matching → mismatch
  const v2 = h["webhook-signature"].replace("v1,", "v2,");
  await rejectsWith(() => verifyWebhook(body, { ...h, "webhook-signature": v2 }, opts), "SIGNATURE_MISMATCH");
  assert.equal(verifyWebhook(body, { ...h, "webhook-signature": `${v2} ${h["webhook-signature"]}` }, opts).secretIndex, 0);
  // caps: > 32 signatures or > 8 KiB
  const many = Array.from({ length: 33 }, () => h["webhook-signature"]).join(" ");
  await rejectsWith(() => verifyWebhook(body, { ...h, "webhook-signature": many }, opts), "SIGNATURE_MALFORMED");
  const huge = `${h["webhook-signature"]} ${"v1,".padEnd(8300, "A")}`;
  await rejectsWith(() => verifyWebhook(body, { ...h, "webhook-signature": huge }, opts), "SIGNATURE_MALFORMED");
  // config and input errors
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, secret: "" }), "INVALID_CONFIG");
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, secret: [] }), "INVALID_CONFIG");
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, secret: undefined }), "INVALID_CONFIG");
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, scheme: "svix" }), "INVALID_CONFIG");
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, now: NaN }), "INVALID_INPUT");
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, toleranceSeconds: -1 }), "INVALID_INPUT");
  await rejectsWith(() => verifyWebhook(body, h, { ...opts, toleranceSeconds: "300" }), "INVALID_INPUT");
  await rejectsWith(() => verifyWebhook(42, h, opts), "INVALID_INPUT");
});

test("tolerance both ways, exact edges, Infinity turns it off, checked before the MAC", async () => {
  const body = "x";
  const opts = { scheme: "standard-webhooks", secret: WHSEC, now: NOW, toleranceSeconds: 300 };
  assert.ok(verifyWebhook(body, sw(body, { timestamp: TS - 300 }), opts));
  assert.ok(verifyWebhook(body, sw(body, { timestamp: TS + 300 }), opts));
  await rejectsWith(() => verifyWebhook(body, sw(body, { timestamp: TS - 301 }), opts), "TIMESTAMP_OUT_OF_TOLERANCE");
  await rejectsWith(() => verifyWebhook(body, sw(body, { timestamp: TS + 301 }), opts), "TIMESTAMP_OUT_OF_TOLERANCE");
  // stale with a wrong MAC still reports the timestamp
  const stale = { ...sw(body, { timestamp: TS - 1000 }), "webhook-signature": `v1,${Buffer.alloc(32, 7).toString("base64")}` };
  await rejectsWith(() => verifyWebhook("tampered", stale, opts), "TIMESTAMP_OUT_OF_TOLERANCE");
  assert.ok(verifyWebhook(body, sw(body, { timestamp: 1 }), { ...opts, toleranceSeconds: Infinity }));
});

test("secret rotation reports which secret matched; header override", () => {
  const old = "whsec_" + Buffer.from("old-secret-bytes").toString("base64");
  const h = sw("p", { secret: old });
  const r = verifyWebhook("p", h, { scheme: "standard-webhooks", secret: [WHSEC, old], now: NOW });
  assert.equal(r.secretIndex, 1);
  const renamed = { "webhook-id": h["webhook-id"], "webhook-timestamp": h["webhook-timestamp"], "x-sig": h["webhook-signature"] };
  assert.equal(verifyWebhook("p", renamed, { scheme: "standard-webhooks", secret: old, now: NOW, header: "X-Sig" }).secretIndex, 0);
  // bytes secret == the decoded whsec_ string
  assert.equal(verifyWebhook("p", sw("p"), { scheme: "standard-webhooks", secret: WHKEY, now: NOW }).secretIndex, 0);
});

test("headers as Headers, plain object (any case) or pairs; bodies as string or bytes", () => {
  const body = '{"ok":true}';
  const h = sw(body);
  const opts = { scheme: "standard-webhooks", secret: WHSEC, now: NOW };
  const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
  for (const headers of [new Headers(h), upper, Object.entries(h)]) {
    assert.equal(verifyWebhook(new TextEncoder().encode(body), headers, opts).id, "msg_1");
  }
});

test("stripe: multiple v1 signatures, whsec_ used as is, malformed and mismatch", async () => {
  const secret = "whsec_test_secret";
  const body = '{"id":"evt_1"}';
  const headers = signWebhook(body, { scheme: "stripe", secret, timestamp: TS });
  const good = createHmac("sha256", secret).update(`${TS}.${body}`).digest("hex");
  assert.deepEqual(headers, { "Stripe-Signature": `t=${TS},v1=${good}` });
  const both = { "stripe-signature": `t=${TS},v1=${"0".repeat(64)},v0=abc,v1=${good}` };
  assert.equal(verifyWebhook(body, both, { scheme: "stripe", secret, now: NOW }).timestamp, TS);
  await rejectsWith(() => verifyWebhook(body, { "stripe-signature": `v1=${good}` }, { scheme: "stripe", secret, now: NOW }), "SIGNATURE_MALFORMED");
  await rejectsWith(() => verifyWebhook(body, { "stripe-signature": `t=${TS},v1=${"1".repeat(64)}` }, { scheme: "stripe", secret, now: NOW }), "SIGNATURE_MISMATCH");
  await rejectsWith(() => verifyWebhook(body, {}, { scheme: "stripe", secret, now: NOW }), "SIGNATURE_MISSING");
});

test("github: hex in either case, empty body valid, missing/malformed/mismatch", async () => {
  const secret = "gh-secret";
  const sig = createHmac("sha256", secret).update("").digest("hex");
  assert.ok(verifyWebhook("", { "X-Hub-Signature-256": `sha256=${sig.toUpperCase()}` }, { scheme: "github", secret }));
  assert.deepEqual(signWebhook("", { scheme: "github", secret }), { "X-Hub-Signature-256": `sha256=${sig}` });
  await rejectsWith(() => verifyWebhook("x", {}, { scheme: "github", secret }), "SIGNATURE_MISSING");
  await rejectsWith(() => verifyWebhook("x", { "x-hub-signature-256": "md5=abc" }, { scheme: "github", secret }), "SIGNATURE_MALFORMED");
  await rejectsWith(() => verifyWebhook("x", { "x-hub-signature-256": `sha256=${sig}` }, { scheme: "github", secret }), "SIGNATURE_MISMATCH");
});

test("timingSafeEqual", () => {
  assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])), false);
});

test("signed URLs: round trip, expiry, tampering, rotation, origins, rules", async () => {
  const secret = "url-secret";
  const signed = signUrl("https://lms.example/course/7?user=42#top", { secret, now: NOW });
  const url = new URL(signed);
  assert.equal(url.searchParams.get("expires"), String(TS + 300));
  assert.equal(url.hash, "");
  const mac = createHmac("sha256", secret).update(signed.slice(0, signed.indexOf("&sig="))).digest("base64url");
  assert.equal(url.searchParams.get("sig"), mac);
  assert.deepEqual(verifySignedUrl(signed, { secret, now: NOW }), { url: "https://lms.example/course/7?user=42", expiresAt: (TS + 300) * 1000 });
  assert.equal(verifySignedUrl(signed, { secret: ["other", secret], now: NOW + 299_999 }).url, "https://lms.example/course/7?user=42");
  await rejectsWith(() => verifySignedUrl(signed, { secret, now: NOW + 300_000 }), "URL_EXPIRED");
  await rejectsWith(() => verifySignedUrl(signed.replace("user=42", "user=43"), { secret, now: NOW }), "SIGNATURE_MISMATCH");
  await rejectsWith(() => verifySignedUrl("https://lms.example/x?expires=1", { secret, now: NOW }), "SIGNATURE_MISSING");
  await rejectsWith(() => verifySignedUrl(signed, { secret, now: NOW, allowedOrigins: ["https://other.example"] }), "REDIRECT_NOT_ALLOWED");
  assert.ok(verifySignedUrl(signed, { secret, now: NOW, allowedOrigins: ["https://LMS.example"] }));
  await rejectsWith(() => signUrl("https://lms.example/x?sig=1", { secret, now: NOW }), "INVALID_INPUT");
  await rejectsWith(() => signUrl("https://lms.example/x?expires=1", { secret, now: NOW }), "INVALID_INPUT");
  await rejectsWith(() => signUrl("https://lms.example/x", { secret: "", now: NOW }), "INVALID_CONFIG");
  const short = signUrl("https://lms.example/", { secret, now: NOW, expiresInSeconds: 10 });
  assert.equal(new URL(short).searchParams.get("expires"), String(TS + 10));
});

test("hostile input never traps the instance: later calls still work", () => {
  const junk = [undefined, null, 0, NaN, -1, {}, [], [[1]], "x", Symbol.iterator, () => 1, new Proxy({}, { ownKeys() { throw new Error("boom"); } }),
    { scheme: "stripe", secret: { toString() { throw new Error("x"); } } }, new Uint8Array(0), "\u0000".repeat(10000)];
  let thrown = 0;
  for (const a of junk) for (const b of junk) for (const c of junk.slice(0, 8)) {
    for (const fn of [verifyWebhook, signWebhook, verifySignedUrl, signUrl, hmacSha256, sha256, timingSafeEqual]) {
      try {
        fn(a, b, c);
      } catch (e) {
        thrown++;
        assert.equal(e.name, "LmsBridgeError", `${fn.name}: ${e}`);
      }
    }
  }
  assert.ok(thrown > 1000);
  assert.equal(hex(sha256("abc")).slice(0, 8), "ba7816bf");
});
