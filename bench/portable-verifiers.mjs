// Hand-written Standard Webhooks verifiers that run in any host (Node, workerd, browsers):
// @noble/hashes in pure JS, and WebCrypto (async). Same semantics as bench/verifiers.mjs:
// headers webhook-id / webhook-timestamp / webhook-signature (lower-case keys), timestamp
// within ±tolerance of `nowSec`, HMAC-SHA256 over `id.timestamp.body`, every `v1,` candidate
// tried, constant-time comparison. They throw on failure and return { id, timestamp }.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

export function readHeaders(headers, nowSec, toleranceSec) {
  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  const sigs = headers["webhook-signature"];
  if (!id || !ts || !sigs) throw new Error("missing webhook-* headers");
  if (!/^\d{1,15}$/.test(ts)) throw new Error("malformed timestamp");
  const timestamp = Number(ts);
  if (Math.abs(nowSec - timestamp) > toleranceSec) throw new Error("timestamp out of tolerance");
  return { id, ts, sigs, timestamp };
}

// Pure-JS base64 (standard alphabet, padded) so this baseline uses no native crypto or Buffer.
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function base64(bytes) {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=") + "=";
  }
  return out;
}
function base64Decode(s) {
  const clean = s.replace(/=+$/, "");
  const out = new Uint8Array((clean.length * 3) >> 2);
  let bits = 0, acc = 0, j = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new Error("bad base64");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[j++] = (acc >> bits) & 255; }
  }
  return out;
}
/** Constant-time string comparison (length is not secret). */
function equalConstTime(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/** Baseline in pure JS: @noble/hashes hmac(sha256) + JS base64 + JS constant-time compare. */
export function nobleVerifier(secret, toleranceSec = 300) {
  const key = base64Decode(secret.replace(/^whsec_/, ""));
  const enc = new TextEncoder();
  return (payload, headers, nowSec) => {
    const { id, ts, sigs, timestamp } = readHeaders(headers, nowSec, toleranceSec);
    const expected = base64(hmac(sha256, key, enc.encode(`${id}.${ts}.${payload}`)));
    for (const candidate of sigs.split(" ")) {
      const comma = candidate.indexOf(",");
      if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
      if (equalConstTime(candidate.slice(comma + 1), expected)) return { id, timestamp };
    }
    throw new Error("no matching signature");
  };
}

/** WebCrypto (crypto.subtle, async): importKey once, then sign per message. */
export async function webCryptoVerifier(secret, toleranceSec = 300) {
  const key = await crypto.subtle.importKey("raw", base64Decode(secret.replace(/^whsec_/, "")), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const enc = new TextEncoder();
  return async (payload, headers, nowSec) => {
    const { id, ts, sigs, timestamp } = readHeaders(headers, nowSec, toleranceSec);
    const data = typeof payload === "string" ? enc.encode(`${id}.${ts}.${payload}`) : payload;
    const expected = base64(new Uint8Array(await crypto.subtle.sign("HMAC", key, data)));
    for (const candidate of sigs.split(" ")) {
      const comma = candidate.indexOf(",");
      if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
      if (equalConstTime(candidate.slice(comma + 1), expected)) return { id, timestamp };
    }
    throw new Error("no matching signature");
  };
}
