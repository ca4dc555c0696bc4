// Hand-written Standard Webhooks verifiers used as baselines by bench/run.mjs.
// Both follow the same semantics as lms-bridge's `standard-webhooks` scheme:
//   headers webhook-id / webhook-timestamp / webhook-signature (lower-case keys here),
//   timestamp within ±tolerance of `nowSec`, HMAC-SHA256 over `id.timestamp.body` with the
//   base64 key after `whsec_`, every space-separated `v1,<base64>` candidate tried, and a
//   constant-time comparison. They throw on failure and return { id, timestamp } on success.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readHeaders } from "./portable-verifiers.mjs";

export { nobleVerifier } from "./portable-verifiers.mjs";

/** Baseline on node:crypto (OpenSSL): createHmac + timingSafeEqual. */
export function nodeCryptoVerifier(secret, toleranceSec = 300) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return (payload, headers, nowSec) => {
    const { id, ts, sigs, timestamp } = readHeaders(headers, nowSec, toleranceSec);
    const expected = createHmac("sha256", key).update(`${id}.${ts}.`).update(payload).digest();
    for (const candidate of sigs.split(" ")) {
      const comma = candidate.indexOf(",");
      if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
      const got = Buffer.from(candidate.slice(comma + 1), "base64");
      if (got.length === expected.length && timingSafeEqual(got, expected)) return { id, timestamp };
    }
    throw new Error("no matching signature");
  };
}

