// The reusable `Webhook` verifier, the `lms-bridge/webhooks` entry (Node ESM and CJS,
// workerd, Chromium), and the two ways a MAC is computed in Node (the wasm module's HMAC,
// and node:crypto for large payloads): same vectors, same results, same error codes.
import assert from "node:assert/strict";
import { createHmac, randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import * as main from "lms-bridge";
import * as webhooks from "lms-bridge/webhooks";
import { rejectsWith } from "./assert.mjs";
import { packageShared, pageResult, pkgDir, registryKey, startWorker, withChromium, workerModule } from "./hosts.mjs";

const NOW = 1_700_000_000_000;
const TS = NOW / 1000;
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SECRETS = { "standard-webhooks": WHSEC, stripe: "whsec_stripe_plain", github: "It's a Secret to Everybody" };
const vectors = JSON.parse(fs.readFileSync(new URL("../vectors/webhooks.json", import.meta.url), "utf8")).cases;

/** Headers for `payload` made with node:crypto, independently of lms-bridge. */
function signed(scheme, payload, { id = "msg_1", ts = TS } = {}) {
  const mac = (key, content) => createHmac("sha256", key).update(content).digest();
  if (scheme === "standard-webhooks") {
    const key = Buffer.from(WHSEC.slice(6), "base64");
    const content = Buffer.concat([Buffer.from(`${id}.${ts}.`), Buffer.from(payload)]);
    return { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${mac(key, content).toString("base64")}` };
  }
  if (scheme === "stripe") {
    const content = Buffer.concat([Buffer.from(`${ts}.`), Buffer.from(payload)]);
    return { "Stripe-Signature": `t=${ts},v1=${mac(SECRETS.stripe, content).toString("hex")}` };
  }
  return { "X-Hub-Signature-256": `sha256=${mac(SECRETS.github, Buffer.from(payload)).toString("hex")}` };
}

/** The outcome of a call: its result, or the error's code. */
function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    assert.equal(e.name, "LmsBridgeError", String(e));
    return { code: e.code };
  }
}

test("Webhook: decodes the secrets once, verifies many messages, same results as verifyWebhook", () => {
  for (const api of [main, webhooks]) {
    for (const scheme of Object.keys(SECRETS)) {
      const wh = new api.Webhook({ scheme, secret: ["whsec_b3RoZXI=", SECRETS[scheme]] });
      assert.equal(wh.scheme, scheme);
      for (const payload of ["", "{}", "x".repeat(5000), new Uint8Array([0, 255, 7])]) {
        const h = signed(scheme, payload);
        const opts = { scheme, secret: ["whsec_b3RoZXI=", SECRETS[scheme]], now: NOW };
        const got = wh.verify(payload, h, { now: NOW });
        assert.deepEqual(got, api.verifyWebhook(payload, h, opts));
        assert.equal(got.secretIndex, 1);
        assert.equal(outcome(() => wh.verify(`${payload}!`, h, { now: NOW })).code, "SIGNATURE_MISMATCH");
      }
      wh.free();
      wh.free();
      assert.equal(outcome(() => wh.verify("", signed(scheme, ""), { now: NOW })).code, "INVALID_INPUT");
    }
  }
  assert.equal(outcome(() => new main.Webhook({ scheme: "svix", secret: "x" })).code, "INVALID_CONFIG");
  assert.equal(outcome(() => new main.Webhook({ scheme: "github" })).code, "INVALID_CONFIG");
  assert.equal(outcome(() => new main.Webhook({ scheme: "github", secret: "s", toleranceSeconds: "300" })).code, "INVALID_INPUT");
  assert.equal(outcome(() => new main.Webhook()).code, "INVALID_CONFIG");
  const wh = new main.Webhook({ scheme: "standard-webhooks", secret: WHSEC });
  assert.equal(outcome(() => wh.verify("x", signed("standard-webhooks", "x"), { now: "soon" })).code, "INVALID_INPUT");
  assert.equal(outcome(() => wh.verify("x", signed("standard-webhooks", "x"), { now: NOW + 301_000 })).code, "TIMESTAMP_OUT_OF_TOLERANCE");
});

test("lms-bridge/webhooks: published vectors, signing, URLs, hashing, as the main entry", async () => {
  for (const c of vectors) {
    const opts = { scheme: c.scheme, secret: c.secret, now: c.timestamp * 1000 };
    assert.deepEqual(webhooks.verifyWebhook(c.payload, c.headers, opts), main.verifyWebhook(c.payload, c.headers, opts));
  }
  const h = webhooks.signWebhook("body", { scheme: "standard-webhooks", secret: WHSEC, id: "msg_9", timestamp: TS });
  assert.deepEqual(h, main.signWebhook("body", { scheme: "standard-webhooks", secret: WHSEC, id: "msg_9", timestamp: TS }));
  const url = webhooks.signUrl("https://lms.example/x?a=1", { secret: "s", now: NOW });
  assert.equal(url, main.signUrl("https://lms.example/x?a=1", { secret: "s", now: NOW }));
  assert.deepEqual(webhooks.verifySignedUrl(url, { secret: "s", now: NOW }), { url: "https://lms.example/x?a=1", expiresAt: NOW + 300_000 });
  assert.deepEqual(webhooks.hmacSha256("k", "m"), main.hmacSha256("k", "m"));
  assert.deepEqual(webhooks.sha256("abc"), main.sha256("abc"));
  assert.equal(webhooks.timingSafeEqual(new Uint8Array([1]), new Uint8Array([1])), true);
  await webhooks.init();
  await rejectsWith(() => webhooks.verifyWebhook("x", {}, { scheme: "github", secret: "s" }), "SIGNATURE_MISSING");
  const cjs = createRequire(import.meta.url)("lms-bridge/webhooks");
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(webhooks).sort());
  assert.equal(cjs.verifyWebhook("", signed("github", ""), { scheme: "github", secret: SECRETS.github }).scheme, "github");
});

test("Node: the four entries share one LmsBridgeError class and one signing instance", async () => {
  // Each Node entry is a single file with its own copy of error.js; they meet in the package's
  // registry, so `instanceof` holds whichever entry and module system threw.
  const require = createRequire(import.meta.url);
  const entries = [main, webhooks, require("lms-bridge"), require("lms-bridge/webhooks")];
  const thrown = (fn) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    assert.fail("did not throw");
  };
  const errors = entries.map((lms) => thrown(() => lms.verifyWebhook("x", {}, { scheme: "github", secret: "s" })));
  errors.push(thrown(() => new main.AlphaLearn({ baseUrl: "ftp://x" })), thrown(() => new entries[2].AlphaLearn({ baseUrl: "ftp://x" })));
  for (const lms of entries) {
    assert.equal(lms.LmsBridgeError, main.LmsBridgeError);
    for (const e of errors) assert.ok(e instanceof lms.LmsBridgeError, String(e));
  }
  assert.deepEqual(errors.map((e) => e.code), [...Array(4).fill("SIGNATURE_MISSING"), "INVALID_CONFIG", "INVALID_CONFIG"]);
  assert.equal(main.LmsBridgeError.name, "LmsBridgeError");
  // A fresh process that signs through all four entries instantiates one wasm module.
  const code = `const { Instance } = WebAssembly; let made = 0;
    WebAssembly.Instance = function (...args) { made++; return new Instance(...args); };
    const { createRequire } = await import("node:module"); const require = createRequire(import.meta.url);
    const entries = [await import("lms-bridge"), await import("lms-bridge/webhooks"), require("lms-bridge"), require("lms-bridge/webhooks")];
    const tags = entries.map((lms) => lms.signWebhook("x", { scheme: "github", secret: "s" })["x-hub-signature-256"]);
    console.log(JSON.stringify([made, new Set(tags).size]));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: pkgDir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [1, 1]);
});

test("Node: the entries work without process.getBuiltinModule (Node < 20.16) and on a globalThis that takes no property", () => {
  // Older Node: the ESM entries import node:module once instead. A non-extensible globalThis:
  // no registry, so each entry keeps its own error class and signing instance, and works.
  const run = (setup) => {
    const code = `${setup}; const main = await import("lms-bridge"), hooks = await import("lms-bridge/webhooks");
      const h = hooks.signWebhook("x", { scheme: "github", secret: "s3cret" });
      let code; try { main.verifyWebhook("y", h, { scheme: "github", secret: "s3cret" }); } catch (e) { code = e.code; }
      const al = new main.AlphaLearn({ baseUrl: "https://al.example.com/v3" });
      console.log(JSON.stringify([main.verifyWebhook("x", h, { scheme: "github", secret: "s3cret" }).scheme, code,
        al.buildLogin({ email: "a@b.co", password: "pw" }).method, main.LmsBridgeError === hooks.LmsBridgeError]));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: pkgDir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  assert.deepEqual(run("delete process.getBuiltinModule"), ["github", "SIGNATURE_MISMATCH", "POST", true]);
  assert.deepEqual(run("Object.preventExtensions(globalThis)"), ["github", "SIGNATURE_MISMATCH", "POST", false]);
});

test("Node: the wasm HMAC and node:crypto give identical results and codes on the same vectors", async () => {
  // Two instances of the package's signing module over the package's own wasm instance:
  // one hashes in wasm only, the other hands every payload to node:crypto.
  const file = (name) => pathToFileURL(path.join(pkgDir, name)).href;
  const { makeSigning } = await import(file("signing.js"));
  const { nodeCrypto } = await import(file("node-host.js"));
  const { LmsBridgeError } = await import(file("error.js"));
  await webhooks.init();
  const wasm = packageShared(pkgDir).signing; // the package's own instance
  let nativeCalls = 0;
  const native = { ...nodeCrypto.native, hmac: (...a) => (nativeCalls++, nodeCrypto.native.hmac(...a)) };
  const wasmOnly = makeSigning({ store: { signing: wasm }, instantiate: () => wasm, errorClass: LmsBridgeError, random: nodeCrypto.random });
  const viaNode = makeSigning({ store: { signing: wasm }, instantiate: () => wasm, errorClass: LmsBridgeError, random: nodeCrypto.random, native: { ...native, threshold: 0 } });
  const cases = [];
  for (const scheme of Object.keys(SECRETS)) {
    for (const size of [0, 1, 63, 64, 1279, 1280, 4096, 70_000]) {
      const payload = randomInt(2) ? randomBytes(size) : "é✓x".repeat(size).slice(0, size);
      const good = signed(scheme, payload, { id: randomInt(2) ? "msg_ascii" : "msg_ünï" });
      const tampered = { ...good };
      const sigName = Object.keys(good).find((k) => /sig/i.test(k));
      tampered[sigName] = good[sigName].replace(/.(.)$/, (m, c) => (c === "A" ? "BB" : "AA").slice(0, m.length));
      for (const headers of [good, tampered, {}, { ...good, [sigName]: "garbage" }]) {
        for (const now of [NOW, NOW + 1_000_000]) cases.push({ scheme, payload, headers, now });
      }
    }
  }
  for (const { scheme, payload, headers, now } of cases) {
    const opts = { scheme, secret: ["whsec_b3RoZXI=", SECRETS[scheme]], now };
    assert.deepEqual(outcome(() => viaNode.verifyWebhook(payload, headers, opts)), outcome(() => wasmOnly.verifyWebhook(payload, headers, opts)),
      `${scheme} ${payload.length} B`);
  }
  assert.ok(nativeCalls > 100, `node:crypto computed ${nativeCalls} MACs`);
  for (const c of vectors) {
    const opts = { scheme: c.scheme, secret: c.secret, now: c.timestamp * 1000 };
    assert.deepEqual(viaNode.verifyWebhook(c.payload, c.headers, opts), wasmOnly.verifyWebhook(c.payload, c.headers, opts));
  }
  for (let i = 0; i < 200; i++) {
    const key = randomBytes(randomInt(0, 100));
    const msg = randomBytes(randomInt(0, 3000));
    assert.deepEqual([...viaNode.hmacSha256(key, msg)], [...wasmOnly.hmacSha256(key, msg)]);
    assert.deepEqual([...viaNode.sha256(msg)], [...wasmOnly.sha256(msg)]);
  }
});

test("Node: each wasm module is instantiated on first use; signing alone never compiles the vendor module", () => {
  // Fresh processes. `vendor()`: whether the package's own vendor instance exists
  // (initSync() without a module returns an initialised instance and throws otherwise);
  // `signing()`: whether the signing instance is in the package's registry (`shared` in
  // error.js); `runtime()`: in CommonJS, whether the JS only vendor classes use
  // (vendor-runtime.cjs) was required (node.mjs inlines it).
  const probe = (type, body) => {
    const load = type === "module"
      ? `const lms = await import("lms-bridge"); const glue = () => import(${JSON.stringify(pathToFileURL(path.join(pkgDir, "lms_bridge.js")).href)}); const runtime = () => "inlined";`
      : `const lms = require("lms-bridge"); const glue = async () => require(${JSON.stringify(path.join(pkgDir, "lms_bridge.cjs"))});
         const runtime = () => Object.keys(require.cache).some((file) => file.endsWith("vendor-runtime.cjs"));`;
    const code = `(async () => { ${load}
      const vendor = async () => { try { (await glue()).initSync(); return true; } catch { return false; } };
      const signing = async () => globalThis[Symbol.for(${JSON.stringify(registryKey(pkgDir))})]?.signing !== undefined;
      const out = []; ${body}; console.log(JSON.stringify(out)); })();`;
    const r = spawnSync(process.execPath, [`--input-type=${type}`, "-e", code], { cwd: pkgDir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  for (const type of ["module", "commonjs"]) {
    const lazy = type === "module" ? "inlined" : false;
    const loaded = type === "module" ? "inlined" : true;
    // Import alone instantiates nothing; signing and verifying instantiate the signing module only.
    assert.deepEqual(probe(type, `out.push(await vendor(), await signing(), runtime());
      const h = lms.signWebhook("x", { scheme: "github", secret: "s3cret" });
      out.push(lms.verifyWebhook("x", h, { scheme: "github", secret: "s3cret" }).secretIndex, await vendor(), await signing(), runtime());`),
    [false, false, lazy, 0, false, true, lazy], type);
    // A vendor class's constructor, a free function and init() each instantiate the vendor module first.
    assert.deepEqual(probe(type, `const al = new lms.AlphaLearn({ baseUrl: "https://al.example.com/v3" });
      out.push(await vendor(), runtime(), al instanceof lms.AlphaLearn, al.buildLogin({ email: "a@b.co", password: "pw" }).method);`),
    [true, loaded, true, "POST"], type);
    assert.deepEqual(probe(type, `out.push(Object.keys(lms.tomLegacyHeaders({ apiKey: "key-1", apiSecret: "secret-1", app: "com.acme.app", method: "GET", url: "https://tom.example.com/api/v3/learner" })).length > 0, await vendor());`),
    [true, true], type);
    assert.deepEqual(probe(type, `await lms.init(); out.push(await vendor(), await signing());`), [true, true], type);
  }
});

test("verifyWebhook keeps few verifiers: thousands of distinct secrets leave the wasm memory flat", async () => {
  await webhooks.init();
  const memory = packageShared(pkgDir).signing.memory; // the instance lms-bridge/webhooks uses
  const round = (n) => {
    for (let i = 0; i < n; i++) {
      const secret = `secret-${i}`;
      const h = webhooks.signWebhook("x", { scheme: "github", secret });
      assert.equal(webhooks.verifyWebhook("x", h, { scheme: "github", secret }).secretIndex, 0);
      const bytes = new TextEncoder().encode(secret);
      assert.equal(webhooks.verifyWebhook("x", h, { scheme: "github", secret: bytes }).secretIndex, 0);
      bytes[0] ^= 1; // the same array, changed: never the cached verifier
      assert.equal(outcome(() => webhooks.verifyWebhook("x", h, { scheme: "github", secret: bytes })).code, "SIGNATURE_MISMATCH");
    }
  };
  round(500);
  const before = memory.buffer.byteLength;
  round(5000);
  assert.equal(memory.buffer.byteLength, before);
});

test("lms-bridge/webhooks in workerd and in Chromium", async () => {
  const script = (api) => `
    const secret = "whsec_" + btoa("edge-secret");
    const h = ${api}.signWebhook("hello", { scheme: "standard-webhooks", secret });
    const wh = new ${api}.Webhook({ scheme: "standard-webhooks", secret });
    const out = { verified: wh.verify("hello", new Headers(h)).scheme, big: wh.verify("y".repeat(70000), ${api}.signWebhook("y".repeat(70000), { scheme: "standard-webhooks", secret })).secretIndex };
    try { wh.verify("hello!", h); } catch (e) { out.mismatch = e.code; }
    out.sha = Array.from(${api}.sha256("abc").slice(0, 2));`;
  const worker = await startWorker(workerModule(`
    import * as hooks from "lms-bridge/webhooks";
    export default { async fetch() { ${script("hooks")} return Response.json(out); } };`));
  try {
    const { text } = await worker.dispatch();
    assert.doesNotThrow(() => JSON.parse(text), text);
    const r = JSON.parse(text);
    assert.deepEqual(r, { verified: "standard-webhooks", big: 0, mismatch: "SIGNATURE_MISMATCH", sha: [0xba, 0x78] });
  } finally {
    await worker.dispose();
  }
  const page = `<!doctype html><meta charset="utf-8"><script type="module">
    import * as hooks from "/pkg/webhooks.browser.mjs";
    let early; try { hooks.sha256("abc"); } catch (e) { early = e.code; }
    await hooks.init(); await hooks.init();
    ${script("hooks")}
    out.early = early;
    window.result = out;
  </script>`;
  await withChromium(async ({ page: tab, origin }) => {
    const { out, errors } = await pageResult(tab, `${origin}/test`);
    assert.deepEqual(out, { verified: "standard-webhooks", big: 0, mismatch: "SIGNATURE_MISMATCH", sha: [0xba, 0x78], early: "NOT_INITIALIZED" });
    assert.deepEqual(errors, []);
  }, { pages: { "/test": page } });
});
