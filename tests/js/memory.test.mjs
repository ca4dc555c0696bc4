// The transport releases everything it allocates: a memory bound over many calls (not a
// timing), callbacks that fire after a call ended, rejecting `cancel()`s, and bodies that
// are not WHATWG streams. The soak itself is bench/soak/node.mjs, run in a child process
// with a forced GC; the long run (10^5 calls per scenario) is `npm run soak`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Readable } from "node:stream";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { MilesMasterclass } from "lms-bridge";
import { rejectsWith } from "./assert.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MiB = 1024 * 1024;
const CALLS = 20_000;

test(`memory stays flat over ${CALLS} calls of every transport path (Node, forced GC)`, () => {
  const out = execFileSync(process.execPath, ["bench/soak/node.mjs", "--calls", String(CALLS)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 * MiB,
  });
  const line = out.split("\n").find((l) => l.startsWith("SOAK "));
  assert.ok(line, `no SOAK line in:\n${out}`);
  const { results, faults } = JSON.parse(line.slice(5));
  console.log(out.split("\n").filter((l) => l.startsWith("|")).join("\n"));
  assert.deepEqual(faults, []);
  assert.ok(results.length >= 16, "every scenario ran");
  for (const r of results) {
    assert.ok(r.heap < 3 * MiB, `${r.name}: JS heap grew ${(r.heap / MiB).toFixed(2)} MiB over ${r.calls} calls`);
    assert.ok(r.wasm <= 1 * MiB, `${r.name}: wasm memory grew ${(r.wasm / MiB).toFixed(2)} MiB over ${r.calls} calls`);
  }
});

/** Collects unhandled rejections and uncaught exceptions while `fn` runs and `ms` after. */
async function hostFaults(fn, ms = 100) {
  const seen = [];
  const onRejection = (e) => seen.push(`unhandledRejection: ${e?.message ?? e}`);
  const onException = (e) => seen.push(`uncaughtException: ${e?.message ?? e}`);
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  }
  return seen;
}

const input = { email: "ann@example.com", lmsUserId: "42" };
const client = (fetch, opts = {}) =>
  new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-memory-key", fetch, retries: 0, ...opts });

test("a deadline timer that fires after the call ended is harmless", async () => {
  const realClear = globalThis.clearTimeout;
  const seen = await hostFaults(async () => {
    globalThis.clearTimeout = () => {}; // the per-attempt timer is never cleared: it fires later
    try {
      const r = await client(async () => new Response('{"status":"ok"}', { status: 200 }), { timeoutMs: 20 }).autoSubscribe(input);
      assert.equal(r.status, "ok");
    } finally {
      globalThis.clearTimeout = realClear;
    }
  });
  assert.deepEqual(seen, []);
});

test("a body.cancel() that rejects is handled (oversized by content-length)", async () => {
  let cancelled = 0;
  const fetch = async () => {
    const res = new Response("{}", { status: 200, headers: { "content-length": "5000000" } });
    Object.defineProperty(res, "body", {
      value: { cancel: () => { cancelled++; return Promise.reject(new Error("cancel failed")); } },
    });
    return res;
  };
  const seen = await hostFaults(() => rejectsWith(() => client(fetch, { maxResponseBytes: 1000 }).autoSubscribe(input), "RESPONSE_MALFORMED"));
  assert.equal(cancelled, 1);
  assert.deepEqual(seen, []);
});

test("maxResponseBytes means at most 2^27 bytes: a larger body is refused before it is read, whatever the setting", async () => {
  let cancelled = 0;
  const fetch = async () => {
    const res = new Response("{}", { status: 200, headers: { "content-length": String(2 ** 27 + 1) } });
    Object.defineProperty(res, "body", { value: { cancel: async () => { cancelled++; } } });
    return res;
  };
  const e = await rejectsWith(() => client(fetch, { maxResponseBytes: 1e12 }).autoSubscribe(input), "RESPONSE_MALFORMED");
  assert.match(e.message, /larger than|too large|maxResponseBytes/i);
  assert.equal(cancelled, 1, "refused by its content-length, unread");
});

test("a reader.cancel() that rejects is handled (oversized while streaming)", async () => {
  let cancelled = 0;
  const chunk = new Uint8Array(600);
  const fetch = async () => {
    const reader = {
      read: async () => ({ done: false, value: chunk }),
      cancel: () => { cancelled++; return Promise.reject(new Error("cancel failed")); },
    };
    return { status: 200, headers: new Headers(), body: { getReader: () => reader } };
  };
  const seen = await hostFaults(() => rejectsWith(() => client(fetch, { maxResponseBytes: 1000 }).autoSubscribe(input), "RESPONSE_MALFORMED"));
  assert.equal(cancelled, 1);
  assert.deepEqual(seen, []);
});

test("a Response-like object without a stream: content-length refuses it before reading", async () => {
  let read = 0;
  const fetch = async () => ({
    status: 200,
    headers: { "content-length": String(64 * MiB) },
    arrayBuffer: async () => { read++; return new ArrayBuffer(64 * MiB); },
  });
  await rejectsWith(() => client(fetch, { maxResponseBytes: 1000 }).autoSubscribe(input), "RESPONSE_MALFORMED");
  assert.equal(read, 0, "the body was never read");
  // Without content-length the whole body is read, then refused.
  const unsized = async () => ({ status: 200, headers: {}, text: async () => "x".repeat(2000) });
  await rejectsWith(() => client(unsized, { maxResponseBytes: 1000 }).autoSubscribe(input), "RESPONSE_MALFORMED");
  const small = async () => ({ status: 200, headers: {}, text: async () => '{"status":"ok"}' });
  assert.equal((await client(small).autoSubscribe(input)).status, "ok");
});

test("an async-iterable body (a Node stream) is read up to the limit, then destroyed", async () => {
  let stream;
  let produced = 0;
  const fetch = async () => {
    stream = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(512, 0x20));
      },
    });
    return { status: 200, headers: {}, body: stream };
  };
  await rejectsWith(() => client(fetch, { maxResponseBytes: 4096 }).autoSubscribe(input), "RESPONSE_MALFORMED");
  await new Promise((r) => setImmediate(r));
  assert.ok(stream.destroyed, "the stream was stopped");
  assert.ok(produced < 64, `read ${produced} chunks for a 4 KiB limit`);
  // A finite one is read whole.
  const finite = async () => ({ status: 200, headers: {}, body: Readable.from([Buffer.from('{"status":'), Buffer.from('"ok"}')]) });
  assert.equal((await client(finite).autoSubscribe(input)).status, "ok");
});

test("strings read while the module's memory grows arrive whole (the glue's memory views follow the growth)", () => {
  const mm = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-test-key-0123456789" });
  // Each name is larger than the memory before it: reading it grows the memory mid-call,
  // and the module writes where the string went through the glue's views afterwards. (The
  // last is near the longest string argument the module reads, 2^24 bytes of UTF-8.)
  for (const n of [MiB, 4 * MiB, 8 * MiB - 64]) {
    const firstName = `${"é".repeat(n - 1)}z`;
    const req = mm.buildAutoSubscribe({ email: "ada@example.com", lmsUserId: 42, firstName, lastName: "L" });
    const body = JSON.parse(req.body);
    assert.equal(body.first_name, firstName);
    assert.equal(body.last_name, "L");
    assert.equal(req.headers["Content-Type"], "application/json");
  }
  const small = mm.buildAutoSubscribe({ email: "ada@example.com", lmsUserId: 7 });
  assert.deepEqual(JSON.parse(small.body), { email: "ada@example.com", lms_user_id: "7" });
});

test("signing results are read whole when the module's memory grows during the call (views follow the growth)", async () => {
  const pkg = path.join(root, "node_modules/lms-bridge");
  const { initSync } = await import(path.join(pkg, "lms_bridge_webhooks.js"));
  const { makeSigning } = await import(path.join(pkg, "signing.js"));
  const { LmsBridgeError } = await import(path.join(pkg, "error.js"));
  const { readFileSync } = await import("node:fs");
  const { createHmac, randomFillSync } = await import("node:crypto");
  const raw = initSync({ module: readFileSync(path.join(pkg, "lms_bridge_webhooks_bg.wasm")) });
  // Every export grows the memory by a page before it returns, as an allocation inside the
  // call would: the glue's views of the old buffer are then detached.
  let grown = 0;
  const growing = Object.fromEntries(Object.entries(raw).map(([key, f]) => {
    if (typeof f !== "function" || !key.startsWith("__lmsb_")) return [key, f];
    return [key, (...args) => {
      const r = f(...args);
      raw.memory.grow(1);
      grown++;
      return r;
    }];
  }));
  const native = {
    hmac(key, ...parts) {
      const h = createHmac("sha256", key);
      for (const p of parts) h.update(p);
      return h.digest();
    },
    sha256: () => assert.fail("not used here"),
  };
  const random = (n) => randomFillSync(new Uint8Array(n));
  const plain = makeSigning({ store: { signing: raw }, instantiate: () => raw, errorClass: LmsBridgeError, random, native });
  const grows = makeSigning({ store: { signing: growing }, instantiate: () => growing, errorClass: LmsBridgeError, random, native });
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  for (const payload of ["{\"small\":1}", `{"large":"${"x".repeat(4096)}"}`]) {
    for (const scheme of ["standard-webhooks", "stripe", "github"]) {
      const opts = { scheme, secret, timestamp: 1_700_000_000, now: 1_700_000_000_000, ...(scheme === "standard-webhooks" ? { id: "msg_é1" } : {}) };
      const signed = plain.signWebhook(payload, opts);
      assert.deepEqual(grows.signWebhook(payload, opts), signed);
      const headers = signed.headers ?? signed;
      assert.deepEqual(grows.verifyWebhook(payload, headers, opts), plain.verifyWebhook(payload, headers, opts));
      const hook = new grows.Webhook({ scheme, secret: ["whsec_b3RoZXI=", secret] });
      assert.equal(hook.verify(payload, headers, { now: opts.now }).secretIndex, 1);
      assert.throws(() => grows.verifyWebhook(payload, headers, { ...opts, secret: "whsec_b3RoZXI=" }), { code: "SIGNATURE_MISMATCH" });
    }
  }
  const url = grows.signUrl("https://app.example/x?a=1", { secret: "url-secret", expiresIn: 60, now: 1_700_000_000_000 });
  assert.equal(url, plain.signUrl("https://app.example/x?a=1", { secret: "url-secret", expiresIn: 60, now: 1_700_000_000_000 }));
  assert.deepEqual(grows.verifySignedUrl(url, { secret: "url-secret", now: 1_700_000_000_000 }), plain.verifySignedUrl(url, { secret: "url-secret", now: 1_700_000_000_000 }));
  assert.deepEqual(grows.hmacSha256("k", "m"), plain.hmacSha256("k", "m"));
  assert.equal(grows.timingSafeEqual("abc", "abc"), true);
  assert.ok(grown > 20, `the memory grew on ${grown} calls`);
});
