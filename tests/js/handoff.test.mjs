// `lms-bridge/handoff`: the browser hand-off helpers over their own small wasm module (Node ESM
// and CJS, workerd; Chromium in alphalearn-browser and teach-on-mars-browser). Every helper
// gives what the main entry's gives, result or error code and message, on the same inputs,
// hostile JS values included; the entry never loads the vendor or the signing module.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { test } from "node:test";
import * as main from "lms-bridge";
import * as handoff from "lms-bridge/handoff";
import { packageShared, pkgDir, registryKey, startWorker, workerModule } from "./hosts.mjs";

/** A call's outcome: its result, or the error's class, code and message. */
function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return { name: e.name, ours: e instanceof main.LmsBridgeError, code: e.code, message: e.message, retryable: e.retryable };
  }
}

/** Asserts that `call(api)` comes out the same through both entries. */
function same(call, label) {
  const expected = outcome(() => call(main));
  assert.deepEqual(outcome(() => call(handoff)), expected, label);
  return expected;
}

const GOOD = { domain: "lms.example.com", token: "jwt.a.b", type: "trainee", enrollmentId: 12555 };

test("loginByJwtForm: the main entry's form and errors, field by field", () => {
  const variants = [
    {},
    { domain: "localhost:8080", type: "admin", enrollmentId: "42" },
    { domain: "127.0.0.1", enrollmentId: 12555.0 },
    { enrollmentId: "00042" },
    { enrollmentId: Number.MAX_SAFE_INTEGER },
    { token: "tök\u{1F600}\uD800" }, // non-ASCII, and a lone surrogate (sent as U+FFFD by both)
    { domain: "https://lms.example.com" },
    { domain: "" },
    { domain: null },
    { domain: undefined },
    { domain: 7 },
    { token: "" },
    { token: ["x"] },
    { type: "Admin" },
    { type: true },
    { enrollmentId: 0 },
    { enrollmentId: -5 },
    { enrollmentId: 1.5 },
    { enrollmentId: Number.MAX_SAFE_INTEGER + 1 },
    { enrollmentId: "12a" },
    { enrollmentId: "" },
    { enrollmentId: null },
    { enrollmentId: true },
    { enrollmentId: {} },
    // Several bad fields: the first in the main entry's order wins.
    { domain: "a/b", token: 1, type: "x" },
    { domain: undefined, token: undefined, type: undefined, enrollmentId: undefined },
  ];
  let forms = 0;
  for (const v of variants) {
    const input = { ...GOOD, ...v };
    const r = same((api) => api.AlphaLearn.loginByJwtForm(input), JSON.stringify(v));
    if (r.ok) forms++;
    else assert.equal(r.code, "INVALID_INPUT");
  }
  assert.equal(forms, 6);
  // Not an object at all.
  for (const input of [undefined, null, "x", 42, ["a"]]) {
    same((api) => api.AlphaLearn.loginByJwtForm(input), String(input));
  }
  // Inherited properties are not the input's own, as the main entry reads it.
  same((api) => api.AlphaLearn.loginByJwtForm(Object.create(GOOD)), "inherited");
  // A symbol key and a function value are skipped by both.
  same((api) => api.AlphaLearn.loginByJwtForm({ ...GOOD, [Symbol("s")]: 1, f() {} }), "symbol, function");
});

test("renderAutoSubmitForm and submitForm: the main entry's page and errors", () => {
  const form = main.AlphaLearn.loginByJwtForm(GOOD);
  const fields = { ...form.fields, "a b": "<'\"&>", submit: "x", skipped: undefined };
  const forms = [
    form,
    { ...form, fields },
    { ...form, method: "post", action: "http://localhost:3000/site/login-by-jwt-token" },
    { ...form, method: "GET" },
    { ...form, method: undefined },
    { ...form, method: 1 },
    { ...form, action: "http://lms.example.com/x" },
    { ...form, action: "javascript:alert(1)" },
    { ...form, action: "https://u:p@lms.example.com/x" },
    { ...form, action: 'https://lms.example.com/x"><script>' },
    { ...form, action: null },
    { ...form, fields: null },
    { ...form, fields: ["a"] },
    { ...form, fields: { token: 5 } },
    { ...form, fields: { token: {} } },
    { ...form, fields: {} },
    { method: "GET", action: "javascript:x", fields: 1 },
    "a form",
    ["a form"],
    undefined,
  ];
  const options = [undefined, null, "x", {}, { nonce: "r4nd0m+/=_-" }, { nonce: "a b" }, { nonce: "a".repeat(129) }, { nonce: 5 }, { nonce: null }];
  let pages = 0;
  for (const f of forms) {
    for (const o of options) {
      const r = same((api) => api.renderAutoSubmitForm(f, o), `${JSON.stringify(f)} ${JSON.stringify(o)}`);
      if (r.ok) pages++;
    }
    // Outside a browser page: refused before the form is checked, in both.
    same((api) => api.submitForm(f), `submitForm ${JSON.stringify(f)}`);
  }
  // Five forms are POSTs to an https (or loopback) action with string fields; six options
  // carry no nonce or a good one.
  assert.equal(pages, 5 * 6);
});

test("deepLink and openTeachOnMarsApp: the main entry's links and errors", () => {
  const tokens = ["a+b/c=d&e", "t k", "tök", "", 5, null, undefined];
  const options = [undefined, null, {}, { profileCreation: true }, { profileCreation: false }, { profileCreation: null }, { profileCreation: "yes" },
    { scheme: "com.acme.app" }, { scheme: "javascript" }, { scheme: "HTTPS" }, { scheme: 7 }, "opts", () => {}];
  let links = 0;
  for (const t of tokens) {
    for (const o of options) {
      if (same((api) => api.TeachOnMars.deepLink(t, o), `${t} ${String(o)}`).ok) links++;
    }
  }
  assert.equal(links, 3 * 7);
  same((api) => api.openTeachOnMarsApp(main.TeachOnMars.deepLink("t")), "not a browser");
});

test("hostile values: getters that throw, proxies, huge strings: LmsBridgeError, never a crash", () => {
  const throwing = { get domain() { throw new Error("getter boom"); } };
  const trap = new Proxy({}, { ownKeys() { throw new Error("ownKeys boom"); }, get() { throw new Error("get boom"); } });
  for (const input of [throwing, trap]) {
    const r = outcome(() => handoff.AlphaLearn.loginByJwtForm(input));
    assert.equal(r.code, "INVALID_INPUT", JSON.stringify(r));
    assert.equal(r.ours, true);
  }
  const r = outcome(() => handoff.renderAutoSubmitForm({ method: "POST", action: "https://a.example/x", fields: trap }));
  assert.equal(r.code, "INVALID_INPUT");
  // 2^26 characters: a large input buffer, then the module's own checks.
  const huge = "é".repeat(2 ** 26);
  assert.equal(outcome(() => handoff.AlphaLearn.loginByJwtForm({ ...GOOD, domain: huge })).code, "INVALID_INPUT");
  assert.equal(outcome(() => handoff.TeachOnMars.deepLink("t", { scheme: huge })).code, "INVALID_INPUT");
  // And the module still answers.
  assert.equal(handoff.TeachOnMars.deepLink("t"), "com.teachonmars://globals.login?authToken=t&profileCreation=null");
});

test("the main entry's limits: strings over 2^24 units and too much text refused unwritten, NaN and Infinity", () => {
  const memory = () => packageShared().handoffStore.handoff.memory.buffer.byteLength;
  const long = "a".repeat(2 ** 24 + 1);
  const huge = "a".repeat(2 ** 27);
  const action = "https://lms.example.com/site/login-by-jwt-token";
  const form = (v) => ({ method: "POST", action, fields: { token: "t" }, ...v });
  const MiB = "b".repeat(2 ** 20);
  // Each gives the main entry's error, and no string of it is written into the module.
  const unwritten = (s) => [
    [(api) => api.AlphaLearn.loginByJwtForm({ ...GOOD, token: s }), /`input` is too long/],
    [(api) => api.AlphaLearn.loginByJwtForm({ ...GOOD, domain: s }), /`input` is too long/],
    [(api) => api.AlphaLearn.loginByJwtForm({ ...GOOD, enrollmentId: s }), /`input` is too long/],
    [(api) => api.renderAutoSubmitForm(form({ fields: { token: s } })), /`form` is too long/],
    [(api) => api.renderAutoSubmitForm(form({ fields: { [s]: "x" } })), /`form` is too long/],
    [(api) => api.renderAutoSubmitForm(form({ action: s })), /`form` is too long/],
    [(api) => api.renderAutoSubmitForm(form({ fields: { token: s, n: NaN } })), /`form` is too long/],
    [(api) => api.renderAutoSubmitForm(form(), { nonce: s }), /`nonce` must be a string/],
    [(api) => api.TeachOnMars.deepLink(s), /`authToken` is too long/],
    [(api) => api.TeachOnMars.deepLink("t", { scheme: s }), /`scheme` must be a string/],
  ];
  handoff.TeachOnMars.deepLink("t");
  const before = memory();
  for (const s of [long, huge]) {
    for (const [call, message] of unwritten(s)) assert.match(same(call, String(call)).message, message);
  }
  // Twenty fields of 2^20 units each: more than 2^24 in all.
  const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, MiB]));
  assert.match(same((api) => api.renderAutoSubmitForm(form({ fields: many })), "many").message, /`form` holds too much text/);
  // Strings within the limit each, over it together: the ones past the budget are not written.
  const quarter = "q".repeat(2 ** 22);
  const full = "f".repeat(2 ** 24);
  for (const [call, message] of [
    [(api) => api.AlphaLearn.loginByJwtForm({ ...GOOD, domain: quarter, token: full, type: full, enrollmentId: full }), /`input` holds too much text/],
    [(api) => api.renderAutoSubmitForm(form({ method: quarter, action: full })), /`form` holds too much text/],
  ]) {
    assert.match(same(call, String(call)).message, message);
  }
  assert.ok(memory() - before < 2 ** 24, `the memory grew ${memory() - before} bytes`);
  // Written, then refused by the module: over 2^24 bytes in one string, or in all.
  const cases = [
    [{ ...GOOD, token: "é".repeat(2 ** 23 + 1) }, /`input` is too long/],
    [{ ...GOOD, token: "a".repeat(2 ** 23 + 1), enrollmentId: "1".repeat(2 ** 23) }, /`input` holds too much text/],
    [{ ...GOOD, enrollmentId: NaN }, /`input` must not contain NaN or Infinity/],
    [{ ...GOOD, domain: "", enrollmentId: -Infinity }, /`input` must not contain NaN or Infinity/],
    [{ ...GOOD, type: NaN }, /`input` must not contain NaN or Infinity/],
  ];
  for (const [input, message] of cases) {
    assert.match(same((api) => api.AlphaLearn.loginByJwtForm(input), "jwt").message, message);
  }
  const forms = [
    [form({ fields: { token: "é".repeat(2 ** 23 + 1) } }), /`form` is too long/],
    [form({ fields: { a: "é".repeat(2 ** 22), b: "é".repeat(2 ** 22) } }), /`form` holds too much text/],
    [form({ fields: { a: {}, b: NaN } }), /`form` must not contain NaN or Infinity/],
    [form({ fields: Infinity }), /`form` must not contain NaN or Infinity/],
    [form({ method: NaN }), /`form` must not contain NaN or Infinity/],
    [form({ fields: { a: {} } }), /must hold only string values/],
  ];
  for (const [f, message] of forms) assert.match(same((api) => api.renderAutoSubmitForm(f), "form").message, message);
  // And the module still answers.
  assert.equal(handoff.TeachOnMars.deepLink("t"), "com.teachonmars://globals.login?authToken=t&profileCreation=null");
});

test("Node: CommonJS gives the same functions and the same LmsBridgeError class; init() resolves", async () => {
  const cjs = createRequire(import.meta.url)("lms-bridge/handoff");
  assert.deepEqual(cjs.AlphaLearn.loginByJwtForm(GOOD), handoff.AlphaLearn.loginByJwtForm(GOOD));
  assert.equal(cjs.LmsBridgeError, main.LmsBridgeError);
  assert.equal(handoff.LmsBridgeError, main.LmsBridgeError);
  let thrown;
  try {
    cjs.TeachOnMars.deepLink("");
  } catch (e) {
    thrown = e;
  }
  assert.equal(thrown instanceof handoff.LmsBridgeError && cjs.isLmsBridgeError(thrown) && thrown.code, "INVALID_INPUT");
  await cjs.init();
  await handoff.init();
  assert.deepEqual(Object.keys(handoff).sort(), ["AlphaLearn", "LmsBridgeError", "TeachOnMars", "init", "isLmsBridgeError", "openTeachOnMarsApp", "renderAutoSubmitForm", "submitForm"]);
});

test("Node: lms-bridge/handoff compiles its own module only, never the signing or the vendor module", () => {
  for (const type of ["module", "commonjs"]) {
    const load = type === "module" ? `const h = await import("lms-bridge/handoff");` : `const h = require("lms-bridge/handoff");`;
    const code = `(async () => { ${load}
      const shared = () => globalThis[Symbol.for(${JSON.stringify(registryKey(pkgDir))})] ?? {};
      const before = shared().handoffModule !== undefined;
      const link = h.TeachOnMars.deepLink("t");
      const s = shared();
      console.log(JSON.stringify([before, link, s.handoffModule instanceof WebAssembly.Module, s.signing === undefined, s.signingModule === undefined]));
    })();`;
    const r = spawnSync(process.execPath, [`--input-type=${type}`, "-e", code], { cwd: pkgDir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [false, "com.teachonmars://globals.login?authToken=t&profileCreation=null", true, true, true], type);
  }
});

test("workerd: lms-bridge/handoff builds the form, the page and the link; the DOM helpers are refused", async () => {
  const worker = await startWorker(workerModule(`
    import * as h from "lms-bridge/handoff";
    export default { async fetch() {
      await h.init();
      const form = h.AlphaLearn.loginByJwtForm(${JSON.stringify(GOOD)});
      const out = { form, page: h.renderAutoSubmitForm(form, { nonce: "abc" }), link: h.TeachOnMars.deepLink("a+b", { profileCreation: false }) };
      for (const [k, f] of [["submit", () => h.submitForm(form)], ["open", () => h.openTeachOnMarsApp(out.link)], ["bad", () => h.AlphaLearn.loginByJwtForm({})]]) {
        try { f(); out[k] = "ok"; } catch (e) { out[k] = e.code + " " + (e instanceof h.LmsBridgeError); }
      }
      return Response.json(out);
    } };`));
  try {
    const { text } = await worker.dispatch();
    const out = JSON.parse(text);
    const form = main.AlphaLearn.loginByJwtForm(GOOD);
    assert.deepEqual(out, {
      form,
      page: main.renderAutoSubmitForm(form, { nonce: "abc" }),
      link: main.TeachOnMars.deepLink("a+b", { profileCreation: false }),
      submit: "UNSUPPORTED_ENVIRONMENT true",
      open: "UNSUPPORTED_ENVIRONMENT true",
      bad: "INVALID_INPUT true",
    });
  } finally {
    await worker.dispose();
  }
});
