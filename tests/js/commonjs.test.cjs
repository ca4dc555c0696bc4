// The package through require() (CommonJS), and LmsBridgeError across the ESM and CJS
// copies: isLmsBridgeError works on both, as it checks `name`.
const assert = require("node:assert/strict");
const { test } = require("node:test");
const lmsb = require("lms-bridge");

test("require() gives the same named exports as import", async () => {
  const esm = await import("lms-bridge");
  const names = (m) => Object.keys(m).filter((k) => k !== "default").sort();
  assert.deepEqual(names(lmsb), names(esm));
  for (const name of ["init", "LmsBridgeError", "isLmsBridgeError", "signWebhook", "verifyWebhook", "hmacSha256", "sha256",
    "timingSafeEqual", "signUrl", "verifySignedUrl", "MilesMasterclass"]) {
    assert.equal(typeof lmsb[name], "function", name);
  }
  await lmsb.init();
});

test("CJS signs, ESM verifies (and back): one wire format", async () => {
  const esm = await import("lms-bridge");
  const secret = "whsec_" + Buffer.from("cjs-esm").toString("base64");
  const headers = lmsb.signWebhook("body", { scheme: "standard-webhooks", secret });
  assert.equal(esm.verifyWebhook("body", headers, { scheme: "standard-webhooks", secret }).secretIndex, 0);
  const back = esm.signWebhook("body", { scheme: "stripe", secret: "s" });
  assert.equal(lmsb.verifyWebhook("body", back, { scheme: "stripe", secret: "s" }).scheme, "stripe");
  assert.equal(Buffer.from(lmsb.sha256("abc")).toString("hex"), Buffer.from(esm.sha256("abc")).toString("hex"));
});

test("LmsBridgeError: a real Error subclass with the API fields; recognised across copies", async () => {
  const esm = await import("lms-bridge");
  let cjsError;
  let esmError;
  try { lmsb.verifyWebhook("x", {}, { scheme: "github", secret: "s" }); } catch (e) { cjsError = e; }
  try { esm.verifyWebhook("x", {}, { scheme: "github", secret: "s" }); } catch (e) { esmError = e; }
  assert.ok(cjsError instanceof Error);
  assert.ok(cjsError instanceof lmsb.LmsBridgeError);
  assert.equal(cjsError.name, "LmsBridgeError");
  assert.equal(cjsError.code, "SIGNATURE_MISSING");
  assert.equal(cjsError.retryable, false);
  assert.ok(typeof cjsError.stack === "string" && cjsError.stack.includes("LmsBridgeError"));
  assert.ok(lmsb.isLmsBridgeError(esmError) && esm.isLmsBridgeError(cjsError));
  assert.ok(!lmsb.isLmsBridgeError(new Error("x")) && !lmsb.isLmsBridgeError(null) && !lmsb.isLmsBridgeError({ name: "LmsBridgeError" }));
  assert.deepEqual(JSON.parse(JSON.stringify(cjsError)), { name: "LmsBridgeError", message: cjsError.message, code: "SIGNATURE_MISSING", retryable: false });
  const manual = new lmsb.LmsBridgeError("m", { code: "TIMEOUT", retryable: true, status: 504 });
  assert.deepEqual([manual.code, manual.retryable, manual.status, manual.message], ["TIMEOUT", true, 504, "m"]);
});

test("a vendor error carries vendor, status, vendorCode, retryable, details", async () => {
  const mm = new lmsb.MilesMasterclass({ baseUrl: "https://mm.example/api", apiKey: "k-secret-cjs" });
  let e;
  try {
    mm.parseAutoSubscribe({ status: 400, body: '{"status":false,"message":"Bad org","code":"ORG"}' });
  } catch (err) { e = err; }
  assert.deepEqual(
    { code: e.code, vendor: e.vendor, status: e.status, vendorCode: e.vendorCode, retryable: e.retryable },
    { code: "VENDOR_ERROR", vendor: "miles-masterclass", status: 400, vendorCode: "ORG", retryable: false });
  assert.equal(e.details.message, "Bad org");
  try { mm.parseAutoSubscribe({ status: 503, body: "" }); } catch (err) { e = err; }
  assert.deepEqual([e.code, e.retryable], ["HTTP_STATUS", true]);
});

test("builders hand their request over as strings in both entries, not through JSON.parse", async () => {
  const esm = await import("lms-bridge");
  const parse = JSON.parse;
  for (const [entry, m] of [["require", lmsb], ["import", esm]]) {
    const mm = new m.MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-test-key" });
    const input = { email: "ann@example.com", lmsUserId: "42", firstName: "Ann" };
    mm.buildAutoSubscribe(input); // loads the module first
    let parsed = 0;
    JSON.parse = (...args) => (parsed++, parse(...args));
    let req;
    try {
      req = mm.buildAutoSubscribe(input);
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parsed, 0, `${entry}: the request went through the JSON fallback`);
    assert.equal(req.method, "POST");
    assert.equal(req.headers["Content-Type"], "application/json");
    assert.equal(parse(req.body).email, "ann@example.com");
  }
});

test("without TextEncoder and TextDecoder globals (jest's jsdom environment), both CommonJS entries load and work", () => {
  // In a child: the globals removed before the package loads, as in jsdom's realm.
  const { spawnSync } = require("node:child_process");
  const script = `
delete globalThis.TextEncoder;
delete globalThis.TextDecoder;
const lms = require("lms-bridge");
const wh = require("lms-bridge/webhooks");
const form = lms.AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "trainee", enrollmentId: 1 });
const secret = "whsec_" + Buffer.from("jsdom-secret").toString("base64");
const headers = wh.signWebhook("é", { scheme: "standard-webhooks", secret });
const fetch = async () => ({ status: 201, headers: {}, text: async () => '{"status":"subscribed","user_id":"é"}' });
const mm = new lms.MilesMasterclass({ apiKey: "key-123456", baseUrl: "http://127.0.0.1:1/api", fetch });
mm.autoSubscribe({ email: "a@b.co", lmsUserId: 1 }).then((r) => console.log(JSON.stringify({
  globals: typeof TextEncoder + " " + typeof TextDecoder,
  action: form.action,
  verified: lms.verifyWebhook("é", headers, { scheme: "standard-webhooks", secret }).scheme,
  userId: r.userId,
})));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    globals: "undefined undefined",
    action: "https://lms.example.com/site/login-by-jwt-token",
    verified: "standard-webhooks",
    userId: "é",
  });
});
