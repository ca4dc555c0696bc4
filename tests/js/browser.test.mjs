// The package in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// the browser entry's init() is idempotent, calls before it throw NOT_INITIALIZED, the
// exports work, secret-holding clients refuse to run, and a module that cannot be compiled or
// loaded makes init() reject with an LmsBridgeError.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import { modulePage, pageResult, pkgDir, withChromium } from "./hosts.mjs";

test("Chromium: init, signing exports, errors, secret-holding clients refused", async () => {
  const page = modulePage(`
const out = {};
try { lmsb.sha256("abc"); } catch (e) { out.early = { code: e.code, name: e.name }; }
try { new lmsb.MilesMasterclass({}); } catch (e) { out.earlyClass = e.code; }
const p1 = lmsb.init();
const p2 = lmsb.init();
await Promise.all([p1, p2]);
await lmsb.init();
out.sha = Array.from(lmsb.sha256("abc").slice(0, 4));
const secret = "whsec_" + btoa("browser-secret");
const headers = lmsb.signWebhook("hello", { scheme: "standard-webhooks", secret });
out.verified = lmsb.verifyWebhook("hello", new Headers(headers), { scheme: "standard-webhooks", secret });
try { lmsb.verifyWebhook("hello!", headers, { scheme: "standard-webhooks", secret }); } catch (e) {
  out.mismatch = { code: e.code, isError: e instanceof Error, cls: e instanceof lmsb.LmsBridgeError, guard: lmsb.isLmsBridgeError(e) };
}
const signed = lmsb.signUrl("https://lms.example/a", { secret: "s" });
out.url = lmsb.verifySignedUrl(signed, { secret: "s" }).url;
try { new lmsb.MilesMasterclass({ baseUrl: "https://mm.example", apiKey: "k" }); } catch (e) { out.serverOnly = e.code; }
window.result = out;
`);
  await withChromium(async ({ page: tab, origin }) => {
    const { out, errors } = await pageResult(tab, `${origin}/test`);
    assert.deepEqual(errors, []);
    assert.deepEqual(out.early, { code: "NOT_INITIALIZED", name: "LmsBridgeError" });
    assert.equal(out.earlyClass, "NOT_INITIALIZED");
    assert.deepEqual(out.sha, [0xba, 0x78, 0x16, 0xbf]);
    assert.equal(out.verified.scheme, "standard-webhooks");
    assert.deepEqual(out.mismatch, { code: "SIGNATURE_MISMATCH", isError: true, cls: true, guard: true });
    assert.equal(out.url, "https://lms.example/a");
    assert.equal(out.serverOnly, "UNSUPPORTED_ENVIRONMENT");
  }, { pages: { "/test": page } });
});

test("Chromium: the transport (fetch, AbortController timeout, retries) works in a page", async () => {
  const envelope = (data) => JSON.stringify({ success: true, data: { response: { acknowledgement: "Success", data, error: { code: "", internal_message: "", moreInfo: [] } } } });
  let logins = 0;
  const routes = {
    "/v3/authorize/login": (req, res) => {
      logins++;
      if (logins === 1) return res.writeHead(503).end();
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        const sent = JSON.parse(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(envelope({ user: { id: "5", firstName: "Ann", email: sent.email, uniqueId: "u5", companyId: 9 }, token: "jwt-from-browser", "refresh-token": "rt" }));
      });
    },
    "/v3/authorize/refresh-token": () => {}, // never answers: the timeout must fire
  };
  const page = modulePage(`
await lmsb.init();
const al = new lmsb.AlphaLearn({ baseUrl: location.origin + "/v3", timeoutMs: 300, retries: 1 });
const out = {};
const r = await al.login({ email: "ann@example.com", password: "pw" });
out.login = { token: r.token, refreshToken: r.refreshToken, email: r.user.email, id: r.user.id };
const started = performance.now();
try { await new lmsb.AlphaLearn({ baseUrl: location.origin + "/v3", timeoutMs: 300, retries: 0 }).refreshToken("rt"); }
catch (e) { out.timeout = { code: e.code, retryable: e.retryable, ms: performance.now() - started }; }
window.result = out;
`);
  await withChromium(async ({ page: tab, origin }) => {
    const { out } = await pageResult(tab, `${origin}/test`);
    assert.deepEqual(out.login, { token: "jwt-from-browser", refreshToken: "rt", email: "ann@example.com", id: 5 });
    assert.equal(logins, 2, "the 503 was retried once");
    assert.equal(out.timeout.code, "TIMEOUT");
    assert.equal(out.timeout.retryable, true);
    assert.ok(out.timeout.ms >= 250 && out.timeout.ms < 3000, `timed out after ${out.timeout.ms} ms`);
  }, { pages: { "/test": page }, routes });
});

test("Chromium: strings over 2^24 bytes, calls of too much text and bodies of too many JSON values are refused, not a trap", async () => {
  const page = modulePage(`
await lmsb.init();
const al = new lmsb.AlphaLearn({ baseUrl: "https://al.example.com/v3" });
const refused = (f) => { try { f(); return "accepted"; } catch (e) { return e.code + " " + e.message; } };
const base = { email: "ann@example.com", password: "pw" };
const long = "e".repeat(2 ** 22);
window.result = {
  tooLong: refused(() => al.buildLogin({ ...base, password: "\\u0001".repeat(2 ** 24 + 1) })),
  // (AlphaLearn's twins read only their fields: the form builder converts its whole input.)
  tooMuch: refused(() => lmsb.AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "t", type: "trainee", enrollmentId: 1, ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => ["x" + i, long])) })),
  tooManyValues: refused(() => al.parseLogin({ status: 200, headers: {}, body: "[" + "0,".repeat(2 ** 22 + 1) + "0]" })),
  after: JSON.parse(al.buildLogin(base).body).email,
};
`);
  await withChromium(async ({ page: tab, origin }) => {
    const { out, errors } = await pageResult(tab, `${origin}/test`, 30_000);
    assert.deepEqual(errors, []);
    assert.match(out.tooLong, /^INVALID_INPUT `input` is too long \(more than 16,777,216 bytes of UTF-8\)/);
    assert.match(out.tooMuch, /^INVALID_INPUT `input` holds too much text/);
    assert.match(out.tooManyValues, /^RESPONSE_MALFORMED /);
    assert.equal(out.after, "ann@example.com");
  }, { pages: { "/test": page } });
});

test("Chromium: where WebAssembly cannot be compiled, init() rejects with UNSUPPORTED_ENVIRONMENT, and calls stay NOT_INITIALIZED", async () => {
  // Both browser entries, on a page whose CSP lacks 'wasm-unsafe-eval', on one without the
  // WebAssembly global (as in Safari's Lockdown Mode), and, for contrast, on one whose CSP
  // allows it.
  const page = (entry, { noWasm = false } = {}) => `<!doctype html><meta charset="utf-8">
${noWasm ? `<script nonce="n0nce">delete globalThis.WebAssembly;</script>` : ""}
<script type="module" nonce="n0nce">
import * as lmsb from "/pkg/${entry}";
const out = {};
try { await lmsb.init(); out.init = "ok"; } catch (e) {
  out.init = { code: e.code, cls: e instanceof lmsb.LmsBridgeError, message: e.message, cause: e.cause?.name ?? null };
}
try { lmsb.sha256("abc"); out.call = "ok"; } catch (e) { out.call = e.code; }
window.result = out;
</script>`;
  const serve = (body, scriptSrc) => (req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": `default-src 'self'; script-src ${scriptSrc}` });
    res.end(body);
  };
  const strict = "'self' 'nonce-n0nce'";
  const routes = {};
  for (const entry of ["browser.mjs", "webhooks.browser.mjs"]) {
    routes[`/csp/${entry}`] = serve(page(entry), strict);
    routes[`/no-wasm/${entry}`] = serve(page(entry, { noWasm: true }), strict + " 'wasm-unsafe-eval'");
    routes[`/allowed/${entry}`] = serve(page(entry), strict + " 'wasm-unsafe-eval'");
  }
  await withChromium(async ({ page: tab, origin }) => {
    for (const entry of ["browser.mjs", "webhooks.browser.mjs"]) {
      const csp = await pageResult(tab, `${origin}/csp/${entry}`);
      assert.deepEqual(csp.errors, [], entry);
      assert.deepEqual(csp.out.init, {
        code: "UNSUPPORTED_ENVIRONMENT",
        cls: true,
        message: "lms-bridge cannot run here: the page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src",
        cause: "CompileError",
      }, entry);
      assert.equal(csp.out.call, "NOT_INITIALIZED", entry);
      const off = await pageResult(tab, `${origin}/no-wasm/${entry}`);
      assert.equal(off.out.init.code, "UNSUPPORTED_ENVIRONMENT", entry);
      assert.match(off.out.init.message, /WebAssembly turned off/, entry);
      assert.equal(off.out.call, "NOT_INITIALIZED", entry);
      const allowed = await pageResult(tab, `${origin}/allowed/${entry}`);
      assert.deepEqual(allowed.out, { init: "ok", call: "ok" }, entry);
    }
  }, { routes });
});

test("Chromium: a module that does not load makes init() reject with an LmsBridgeError (fallback page, 404, refused, another module, not a module, an empty module; with and without a URL), and init() can then be retried", async () => {
  // `/spa/` serves the package as a dev server with an SPA fallback does when it does not
  // serve .wasm files: the JS as it is, the .wasm as the app's HTML page.
  // `/swap/` serves each .wasm as the other module's bytes (a deploy that mixed up files), and
  // `/drop/` drops the connection of each .wasm request: both at the URL `init()` fetches when
  // given none.
  const modules = ["lms_bridge_bg.wasm", "lms_bridge_webhooks_bg.wasm"];
  const wasmAnswers = {
    spa: (file, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!doctype html><title>app</title><div id=root></div>");
    },
    swap: (file, res) => {
      res.writeHead(200, { "content-type": "application/wasm" });
      res.end(fs.readFileSync(path.join(pkgDir, modules.find((m) => m !== file))));
    },
    drop: (file, res) => res.socket.destroy(),
  };
  const routes = {};
  for (const [prefix, answer] of Object.entries(wasmAnswers)) {
    for (const file of fs.readdirSync(pkgDir)) {
      routes[`/${prefix}/${file}`] = (req, res) => {
        if (file.endsWith(".wasm")) return answer(file, res);
        res.writeHead(200, { "content-type": "text/javascript" });
        res.end(fs.readFileSync(path.join(pkgDir, file)));
      };
    }
  }
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, "127.0.0.1", r));
  const refused = `http://127.0.0.1:${closed.address().port}/lms_bridge_bg.wasm`;
  await new Promise((r) => closed.close(r));
  // `probe`: a call of the entry, which throws NOT_INITIALIZED until a module is loaded.
  const page = (entry, wasm, other, probe = "Array.from(lmsb.sha256(\"abc\").subarray(0, 2))") => `<!doctype html><meta charset="utf-8">
<script type="module">
import * as lmsb from "/spa/${entry}";
const out = {};
const record = (e) => ({ code: e.code, cls: e instanceof lmsb.LmsBridgeError, status: e.status ?? null, retryable: e.retryable, cause: e.cause?.name ?? null, message: e.message });
const cases = [["fallback", undefined], ["missing", "/nowhere.wasm"], ["unavailable", "/unavailable.wasm"],
  ["refused", ${JSON.stringify(refused)}], ["other", "/pkg/${other}"], ["junk", new Uint8Array([1, 2, 3])], ["number", 42],
  // A module, but not this one: it instantiates (no imports), then has no start. The glue must
  // not keep it, or every later init() returns it.
  ["empty", new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])]];
for (const [name, input] of cases) {
  try { await lmsb.init(input); out[name] = "ok"; } catch (e) { out[name] = record(e); }
}
// No input either: the entry's own URL, in a copy of the package whose .wasm is the other
// module, and in one whose .wasm request fails.
for (const prefix of ["swap", "drop"]) {
  const copy = await import(\`/\${prefix}/${entry}\`);
  try { await copy.init(); out[prefix] = "ok"; } catch (e) { out[prefix] = record(e); }
}
try { ${probe}; out.before = "ok"; } catch (e) { out.before = e.code; }
try {
  await lmsb.init("/pkg/${wasm}");
  out.after = ${probe};
} catch (e) { out.after = String(e); }
window.result = out;
</script>`;
  routes["/unavailable.wasm"] = (req, res) => res.writeHead(503).end("busy");
  const pages = {
    "/browser": page("browser.mjs", "lms_bridge_bg.wasm", "lms_bridge_webhooks_bg.wasm"),
    "/webhooks": page("webhooks.browser.mjs", "lms_bridge_webhooks_bg.wasm", "lms_bridge_bg.wasm"),
    // The other small module, as a wrong copy would be: it instantiates, but is not this one.
    "/handoff": page("handoff.browser.mjs", "lms_bridge_handoff_bg.wasm", "lms_bridge_webhooks_bg.wasm",
      "lmsb.renderAutoSubmitForm({ action: \"https://lms.example.com/site/login-by-jwt-token\", method: \"POST\", fields: { token: \"t\" } }).includes(\"<form\")"),
  };
  const probed = { "/browser": [0xba, 0x78], "/webhooks": [0xba, 0x78], "/handoff": true };
  await withChromium(async ({ page: tab, origin }) => {
    for (const name of Object.keys(pages)) {
      const { out, errors } = await pageResult(tab, `${origin}${name}`);
      assert.deepEqual(errors, [], name);
      const failed = (code, { status = null, retryable = false, cause }, message) => (got) => {
        assert.deepEqual({ ...got, message: undefined }, { code, cls: true, status, retryable, cause, message: undefined }, name);
        assert.match(got.message, message, name);
      };
      failed("RESPONSE_MALFORMED", { cause: "CompileError" }, /did not load: the server did not send this version's \.wasm \(a fallback page/)(out.fallback);
      failed("HTTP_STATUS", { status: 404, cause: "Error" }, /the server answered 404$/)(out.missing);
      failed("HTTP_STATUS", { status: 503, retryable: true, cause: "Error" }, /the server answered 503$/)(out.unavailable);
      failed("NETWORK", { retryable: true, cause: "TypeError" }, /the request failed$/)(out.refused);
      // The other entry's module, as a wrong copy would be: its imports do not link.
      failed("RESPONSE_MALFORMED", { cause: "TypeError" }, /did not send this version's \.wasm/)(out.other);
      // The same two at the URL `init()` fetches when given none: told apart too.
      failed("RESPONSE_MALFORMED", { cause: "TypeError" }, /did not send this version's \.wasm/)(out.swap);
      failed("NETWORK", { retryable: true, cause: "TypeError" }, /the request failed$/)(out.drop);
      const notTheModule = /`init\(\)` takes a URL, a Request, a Response, or the bytes of this version's module$/;
      failed("INVALID_INPUT", { cause: "CompileError" }, notTheModule)(out.junk);
      failed("INVALID_INPUT", { cause: "TypeError" }, notTheModule)(out.number);
      failed("INVALID_INPUT", { cause: "TypeError" }, notTheModule)(out.empty);
      assert.equal(out.before, "NOT_INITIALIZED", name);
      assert.deepEqual(out.after, probed[name], name);
    }
  }, { pages, routes });
});
