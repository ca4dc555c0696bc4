// A call interrupted inside a wasm module (the host's stack runs out there, or the module
// traps) leaves that instance's state unusable: Rust's destructors never ran, a borrow is
// left taken, the allocator may be mid-update. The signing functions then replace the
// instance (a new one of the same compiled module) and make their verifiers again, so
// that later calls work; an input the module's memory cannot hold is refused up front.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as full from "lms-bridge";
import * as webhooks from "lms-bridge/webhooks";
import { rejectsWith } from "./assert.mjs";
import { startWorker, workerModule } from "./hosts.mjs";

const require = createRequire(import.meta.url);
const pkgDir = path.dirname(fileURLToPath(import.meta.resolve("lms-bridge")));
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER = "whsec_" + Buffer.from("another-secret-of-32-bytes-long!").toString("base64");
const NOW = 1_700_000_000_000;
const PAYLOAD = JSON.stringify({ type: "user.created", data: { id: 7, note: "x".repeat(300) } });
/** The process-wide state of this version of the package (error.js `shared`). */
const shared = () => globalThis[Symbol.for(`lms-bridge@${JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version}`)];

/**
 * Recurses to the host's stack limit, then calls `call` from each of the `frames` frames
 * nearest to it: some of those calls run out of stack inside the module. Counts how each
 * call ended into `ends` (an LmsBridgeError by its code, anything else by its name) and
 * returns it. Self-contained: workerd's cases run its source.
 */
function nearTheLimit(call, ends = new Map(), frames = 3000) {
  const down = () => {
    let below;
    try {
      below = down();
    } catch {
      below = 0;
    }
    if (below < frames) {
      let end;
      try {
        call();
        end = "ok";
      } catch (e) {
        end = e?.name === "LmsBridgeError" && typeof e.code === "string" ? e.code : e?.name;
      }
      ends.set(end, (ends.get(end) ?? 0) + 1);
    }
    return below + 1;
  };
  down();
  return ends;
}

/** Every signing function of `lib`, checked against results made before any interruption. */
function checkAll(lib, reference, hooks, label) {
  assert.deepEqual(lib.signWebhook(PAYLOAD, { scheme: "standard-webhooks", secret: SECRET, id: "msg_1", timestamp: NOW / 1000 }), reference.signed, `${label}: signWebhook`);
  const verified = lib.verifyWebhook(PAYLOAD, reference.signed, { scheme: "standard-webhooks", secret: [OTHER, SECRET], now: NOW });
  assert.deepEqual(verified, { scheme: "standard-webhooks", id: "msg_1", timestamp: NOW / 1000, secretIndex: 1 }, `${label}: verifyWebhook`);
  assert.equal(lib.verifyWebhook(PAYLOAD, reference.github, { scheme: "github", secret: "gh-secret" }).secretIndex, 0, `${label}: github`);
  for (const hook of hooks) assert.equal(hook.verify(PAYLOAD, reference.signed, { now: NOW }).secretIndex, hook.expectIndex, `${label}: Webhook.verify`);
  // A payload from 1280 bytes on is hashed by node:crypto with the verifier's keys.
  const big = JSON.stringify({ pad: "y".repeat(4000) });
  const bigSigned = lib.signWebhook(big, { scheme: "standard-webhooks", secret: SECRET, id: "msg_2", timestamp: NOW / 1000 });
  for (const hook of hooks) assert.equal(hook.verify(big, bigSigned, { now: NOW }).secretIndex, hook.expectIndex, `${label}: Webhook.verify, large`);
  assert.equal(lib.verifySignedUrl(reference.url, { secret: "url-secret", now: NOW }).url, "https://app.example/x?a=1", `${label}: verifySignedUrl`);
  assert.deepEqual(lib.hmacSha256("k", "m"), reference.hmac, `${label}: hmacSha256`);
  assert.equal(lib.timingSafeEqual("abc", "abc"), true, `${label}: timingSafeEqual`);
}

function referenceOf(lib) {
  return {
    signed: lib.signWebhook(PAYLOAD, { scheme: "standard-webhooks", secret: SECRET, id: "msg_1", timestamp: NOW / 1000 }),
    github: lib.signWebhook(PAYLOAD, { scheme: "github", secret: "gh-secret" }),
    url: lib.signUrl("https://app.example/x?a=1", { secret: "url-secret", expiresInSeconds: 60, now: NOW }),
    hmac: lib.hmacSha256("k", "m"),
  };
}

function hooksOf(lib) {
  const a = new lib.Webhook({ scheme: "standard-webhooks", secret: [OTHER, SECRET] });
  a.expectIndex = 1;
  const b = new lib.Webhook({ scheme: "standard-webhooks", secret: new Uint8Array(Buffer.from(SECRET.slice(6), "base64")) });
  b.expectIndex = 0;
  return [a, b];
}

test("calls that run out of stack inside the signing module: the instance is replaced, later calls work (Node ESM, CommonJS)", () => {
  const cjs = require("lms-bridge/webhooks");
  const libs = [["lms-bridge", full], ["lms-bridge/webhooks", webhooks], ["require(lms-bridge/webhooks)", cjs]];
  const references = libs.map(([, lib]) => referenceOf(lib));
  const hooks = libs.map(([, lib]) => hooksOf(lib));
  const first = shared().signing;
  assert.ok(first, "the signing instance exists");
  let replaced = 0;
  const ends = new Map();
  for (let round = 0; round < 30 && replaced < 3; round++) {
    for (const [i, [, lib]] of libs.entries()) {
      const [hook] = hooks[i];
      const before = shared().signing;
      const calls = [
        () => lib.verifyWebhook(PAYLOAD, references[i].signed, { scheme: "standard-webhooks", secret: [OTHER, SECRET], now: NOW }),
        () => hook.verify(PAYLOAD, references[i].signed, { now: NOW }),
        () => lib.signWebhook(PAYLOAD, { scheme: "stripe", secret: "stripe-secret", timestamp: NOW / 1000 }),
        () => lib.signUrl("https://app.example/y", { secret: "url-secret", expiresInSeconds: 60, now: NOW }),
      ];
      nearTheLimit(calls[round % calls.length], ends);
      if (shared().signing !== before) replaced++;
    }
  }
  // Calls near the limit end as RangeError (the host's own error), never as a trap or as a
  // misleading INVALID_INPUT.
  assert.deepEqual([...ends.keys()].filter((k) => k !== "ok" && k !== "RangeError"), [], `how the calls ended: ${JSON.stringify([...ends])}`);
  assert.ok(replaced > 0, `no call was interrupted inside the module in 30 rounds: ${JSON.stringify([...ends])}`);
  for (const [i, [label, lib]] of libs.entries()) checkAll(lib, references[i], hooks[i], label);
  assert.notEqual(shared().signing, first, "a new instance serves the calls");
  // Freeing verifiers made in a replaced instance touches nothing in the new one.
  for (const list of hooks) for (const hook of list) hook.free();
  for (const [i, [label, lib]] of libs.entries()) checkAll(lib, references[i], hooksOf(lib), `${label}, after free()`);
});

test("calls that run out of stack inside the signing module: the browser entry replaces its instance too", async () => {
  const lib = await import(path.join(pkgDir, "webhooks.browser.mjs"));
  await lib.init(fs.readFileSync(path.join(pkgDir, "lms_bridge_webhooks_bg.wasm")));
  const reference = referenceOf(lib);
  const hooks = hooksOf(lib);
  const ends = new Map();
  for (let round = 0; round < 6; round++) {
    const call = round % 2 ? () => hooks[0].verify(PAYLOAD, reference.signed, { now: NOW }) : () => lib.verifyWebhook(PAYLOAD, reference.signed, { scheme: "standard-webhooks", secret: SECRET, now: NOW });
    nearTheLimit(call, ends);
  }
  assert.deepEqual([...ends.keys()].filter((k) => k !== "ok" && k !== "RangeError"), [], JSON.stringify([...ends]));
  assert.ok(ends.get("RangeError") > 0, "some calls ran out of stack");
  // Without native HMAC: large payloads are hashed by the module too.
  checkAll(lib, reference, hooks, "webhooks.browser.mjs");
});

test("a call that runs out of stack while the views of a new instance are made: the next call makes them again", () => {
  // An instance left unusable is replaced at the next call, whose views of the new memory
  // are made before the memory is recorded: the first view's construction throws here as
  // the host's stack running out would, and the call after must not write through the
  // replaced instance's views.
  const Original = globalThis.Uint8Array;
  let armed = false;
  globalThis.Uint8Array = new Proxy(Original, {
    construct(target, args, newTarget) {
      if (armed && args.length === 1 && args[0] instanceof ArrayBuffer) {
        armed = false;
        throw new RangeError("Maximum call stack size exceeded");
      }
      return Reflect.construct(target, args, newTarget);
    },
  });
  try {
    for (const lib of [full, webhooks]) {
      const reference = referenceOf(lib);
      const verify = () => lib.verifyWebhook(PAYLOAD, reference.signed, { scheme: "standard-webhooks", secret: SECRET, now: NOW });
      assert.equal(verify().id, "msg_1");
      shared().signing = { __lmsb_input() { throw new RangeError("left unusable"); } };
      shared().interrupted = true;
      armed = true;
      assert.throws(verify, RangeError);
      assert.equal(armed, false, "the view's construction threw");
      for (let i = 0; i < 3; i++) assert.equal(verify().id, "msg_1", `${i}`);
    }
  } finally {
    globalThis.Uint8Array = Original;
  }
  for (const lib of [full, webhooks]) checkAll(lib, referenceOf(lib), [], "after the views were made again");
});

test("an input larger than the module's memory can hold is refused as INVALID_INPUT; later calls work", async () => {
  const huge = new Uint8Array(2 ** 31); // allocated lazily by the OS: never touched here
  for (const lib of [full, webhooks]) {
    const e = await rejectsWith(() => lib.timingSafeEqual(huge, "x"), "INVALID_INPUT");
    assert.match(e.message, /too large/);
    checkAll(lib, referenceOf(lib), hooksOf(lib), "after a refused input");
  }
});

/**
 * Runs `setup`, then each of `calls` near workerd's stack limit, then `after` (expressions
 * of the worker's module, after `imports`), inside workerd: every call ends `ok` or as one of
 * `allowed`, some run out of stack, and `after` then evaluates to `expected`.
 */
async function nearTheLimitInWorkerd({ imports, setup, calls, after, expected, allowed }) {
  const worker = await startWorker(workerModule(`
${imports}
export default {
  async fetch() {
    ${setup}
    const nearTheLimit = ${nearTheLimit};
    const ends = new Map();
    for (let i = 0; i < 4; i++) for (const call of [${calls.join(", ")}]) nearTheLimit(call, ends);
    return Response.json({ ends: Object.fromEntries(ends), after: ${after} });
  },
};`));
  try {
    const res = await worker.dispatch("http://worker.test/");
    assert.equal(res.status, 200, res.text);
    const { ends, after: got } = JSON.parse(res.text);
    assert.deepEqual(Object.keys(ends).filter((k) => !["ok", "RangeError", ...allowed].includes(k)), [], JSON.stringify(ends));
    assert.ok(ends.RangeError > 0, `some calls ran out of stack: ${JSON.stringify(ends)}`);
    assert.deepEqual(got, expected);
  } finally {
    await worker.dispose();
  }
}

test("calls that run out of stack inside the signing module: workerd's entry replaces its instance too", () =>
  nearTheLimitInWorkerd({
    imports: 'import { Webhook, signWebhook, verifyWebhook } from "lms-bridge/webhooks";',
    setup: `const SECRET = ${JSON.stringify(SECRET)};
    const payload = '{"event":"x"}';
    const headers = signWebhook(payload, { scheme: "standard-webhooks", secret: SECRET, id: "msg_w", timestamp: 1700000000 });
    const hook = new Webhook({ scheme: "standard-webhooks", secret: SECRET });
    const verify = () => verifyWebhook(payload, headers, { scheme: "standard-webhooks", secret: SECRET, now: 1700000000000 });`,
    calls: ["verify"],
    after: "{ fn: verify().id, hook: hook.verify(payload, headers, { now: 1700000000000 }).id }",
    expected: { fn: "msg_w", hook: "msg_w" },
    allowed: [],
  }));

// ---- the vendor module ----

/** The body of a Miles Masterclass answer large enough that parsing it reaches deep. */
const BIG = JSON.stringify({ status: "subscribed", user_id: 5, extra: Array.from({ length: 200 }, (_, i) => ({ k: "v".repeat(i), n: i })) });
const bigAnswer = { status: 200, headers: { "content-type": "application/json" }, body: BIG };

test("calls interrupted inside the vendor module: the instance is replaced; clients, sessions and calls in flight are handled (Node ESM, CommonJS)", async () => {
  const { startMockServer, installMilesMasterclass, installAlphaLearn, faults } = await import("lms-bridge/testing");
  const server = await startMockServer();
  try {
    const mmMock = installMilesMasterclass(server, { apiKey: "mm-interrupted-key" });
    const alMock = installAlphaLearn(server);
    const SUB = "/api/integrations/lms/auto-subscribe";
    const entries = [
      ["lms-bridge", full, await import(path.join(pkgDir, "lms_bridge.js"))],
      ["require(lms-bridge)", require("lms-bridge"), require(path.join(pkgDir, "lms_bridge.cjs"))],
    ];
    for (const [i, [label, lib, glue]] of entries.entries()) {
      const mm = new lib.MilesMasterclass({ baseUrl: mmMock.baseUrl, apiKey: "mm-interrupted-key", retries: 0 });
      const al = new lib.AlphaLearn({ baseUrl: alMock.baseUrl, domain: alMock.domain });
      const made = new lib.AlphaLearnSession(al, { token: "a.b.c", refreshToken: "r-1", expiresAt: 4_102_444_800_000 });
      const loggedIn = await lib.AlphaLearnSession.login(al, { email: "ada@example.com", password: "s3cret-Pa55!" });
      assert.equal(mm.parseAutoSubscribe(bigAnswer).userId, "5");
      // A call in flight while the instance is replaced.
      server.queue("POST", SUB, faults.delay(400, { status: 201, json: { status: "subscribed", user_id: 9 } }));
      const inFlight = mm.autoSubscribe({ email: "flight@example.com", lmsUserId: 9 }).then(() => "resolved", (e) => e);
      const first = glue.__lmsb_exports();
      let replaced = false;
      const ends = new Map();
      for (let round = 0; round < 30 && !replaced; round++) {
        nearTheLimit(() => mm.parseAutoSubscribe(bigAnswer), ends);
        replaced = glue.__lmsb_exports() !== first; // the next call replaces an interrupted instance
      }
      assert.ok(replaced, `${label}: no call was interrupted inside the module in 30 rounds: ${JSON.stringify([...ends])}`);
      assert.deepEqual([...ends.keys()].filter((k) => k !== "ok" && k !== "RangeError" && k !== "RuntimeError"), [], `${label}: ${JSON.stringify([...ends])}`);
      // The clients made before work on the new instance: made again from their options.
      assert.equal(mm.parseAutoSubscribe(bigAnswer).userId, "5", label);
      assert.equal(JSON.parse(mm.buildAutoSubscribe({ email: "b@example.com", lmsUserId: 2 }).body).email, "b@example.com", label);
      assert.equal((await mm.autoSubscribe({ email: `after-${i}@example.com`, lmsUserId: 3 })).status, "subscribed", label);
      assert.equal((await al.login({ email: "ada@example.com", password: "s3cret-Pa55!" })).user.email, "ada@example.com", label);
      assert.equal(made.token, "a.b.c", `${label}: a session made by its constructor is made again`);
      await rejectsWith(() => loggedIn.getToken(), "AUTH_FAILED"); // a login's session cannot be: log in again
      const lost = await inFlight;
      assert.ok(lost === "resolved" || (full.isLmsBridgeError(lost) && lost.code === "NETWORK" && !lost.retryable), `${label}: the call in flight: ${lost?.stack ?? lost}`);
      // New objects, the sans-IO twins and free functions work.
      assert.equal(new lib.MilesMasterclass({ baseUrl: mmMock.baseUrl, apiKey: "mm-interrupted-key" }).parseAutoSubscribe(bigAnswer).status, "subscribed");
      assert.equal(lib.AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "trainee", enrollmentId: 7 }).fields.type, "2");
      mm.free();
      made.free();
    }
  } finally {
    await server.close();
  }
});

test("calls interrupted inside the vendor module: workerd's entry replaces its instance; signing there uses the new one", () =>
  nearTheLimitInWorkerd({
    imports: 'import { MilesMasterclass, signWebhook, verifyWebhook } from "lms-bridge";',
    setup: `const SECRET = ${JSON.stringify(SECRET)};
    const answer = ${JSON.stringify(bigAnswer)};
    const mm = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-interrupted-key" });
    const payload = '{"event":"x"}';
    const headers = signWebhook(payload, { scheme: "standard-webhooks", secret: SECRET, id: "msg_w", timestamp: 1700000000 });
    const verify = () => verifyWebhook(payload, headers, { scheme: "standard-webhooks", secret: SECRET, now: 1700000000000 });
    const parse = () => mm.parseAutoSubscribe(answer);`,
    calls: ["parse", "verify"],
    after: "{ parse: parse().userId, verify: verify().id }",
    expected: { parse: "5", verify: "msg_w" },
    allowed: ["RuntimeError"],
  }));
