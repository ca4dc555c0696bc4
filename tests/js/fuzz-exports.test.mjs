// The JS fuzz of every export (tests/js/fuzz-exports.mjs), small: every failure an
// LmsBridgeError, the instance still working, no prototype pollution. The long run is
// `node tests/js/fuzz-exports.mjs` (10^6 calls per export).
import assert from "node:assert/strict";
import { test } from "node:test";
import { isLmsBridgeError, MilesMasterclass, signWebhook, verifyWebhook, Webhook } from "lms-bridge";
import { fuzzExports } from "./fuzz-exports.mjs";
import { rejectsWith } from "./assert.mjs";

test("fuzz: 1,000 hostile calls per export, three seeds", () => {
  for (const seed of [1, 2, 3]) {
    const { calls, errors, failures } = fuzzExports({ callsPerExport: 1000, seed });
    assert.deepEqual(failures, [], `seed ${seed}`);
    assert.ok(calls > 50_000 && errors > calls / 2, `${calls} calls, ${errors} errors`);
  }
});

test("throwing getters and proxies are INVALID_INPUT, never a raw throw (found by the fuzz)", async () => {
  const throwing = new Proxy({}, { get() { throw new Error("boom"); } });
  const getter = Object.defineProperty({ scheme: "github" }, "secret", { enumerable: true, get() { throw new Error("boom"); } });
  await rejectsWith(() => verifyWebhook("x", {}, throwing), "INVALID_INPUT");
  await rejectsWith(() => verifyWebhook("x", {}, getter), "INVALID_INPUT");
  await rejectsWith(() => signWebhook("x", throwing), "INVALID_INPUT");
  await rejectsWith(() => new Webhook(getter), "INVALID_INPUT");
  await rejectsWith(() => new MilesMasterclass({ baseUrl: "https://mm.example.com", apiKey: "mm-key", callback: getter }), "INVALID_INPUT");
  assert.equal(isLmsBridgeError(throwing), false);
});
