// Miles Masterclass client (provisional module) against the mock vendor.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, test } from "node:test";
import { MilesMasterclass, signWebhook, verifyWebhook } from "lms-bridge";
import { assertNoSecrets, rejectsWith } from "./assert.mjs";
import { installMilesMasterclass } from "lms-bridge/testing";
import { faults, startMockServer } from "lms-bridge/testing";

const KEY = "mm-secret-api-key-123";
const CB_SECRET = "whsec_" + Buffer.from("callback-signing-secret").toString("base64");
const NOW = 1_740_823_200_000;
let server;
let mm;
before(async () => {
  server = await startMockServer();
  mm = installMilesMasterclass(server, { apiKey: KEY });
});
after(() => server.close());

const client = (opts = {}) => new MilesMasterclass({ baseUrl: mm.baseUrl, apiKey: KEY, timeoutMs: 1000, ...opts });
const SUB = "/api/integrations/lms/auto-subscribe";
const ACCESS = "/api/access/control";
const LOGIN = "/api/integrations/lms/login-url";

test("autoSubscribe: exact request, 201 then 200, numeric user_id → string, absent optionals omitted", async () => {
  server.reset();
  const c = client();
  const full = { email: "ann@example.com", firstName: "Ann", lastName: "Lee", lmsUserId: 42, organization: { id: "7", name: "ICPAS" } };
  assert.deepEqual(await c.autoSubscribe(full), { status: "subscribed", userId: "1000", raw: { status: "subscribed", user_id: 1000 } });
  const [req] = server.seen("POST", SUB);
  assert.equal(req.body, '{"email":"ann@example.com","first_name":"Ann","last_name":"Lee","lms_user_id":"42","organization":{"id":"7","name":"ICPAS"}}');
  assert.equal(req.headers["content-type"], "application/json");
  assert.equal(req.headers.accept, "application/json");
  assert.equal((await c.autoSubscribe({ email: "ann@example.com", lmsUserId: "42", organization: {} })).status, "updated");
  assert.equal(server.seen("POST", SUB)[1].body, '{"email":"ann@example.com","lms_user_id":"42"}');
});

test("bad input → INVALID_INPUT before any request", async () => {
  server.reset();
  const c = client();
  for (const bad of [{ email: "nope", lmsUserId: "1" }, { email: "a@b.c" }, { email: "a b@c.d", lmsUserId: "1" }, null, "x"]) {
    await rejectsWith(() => c.autoSubscribe(bad), "INVALID_INPUT");
  }
  await rejectsWith(() => c.accessControl({ email: "a@b.c", action: "delete" }), "INVALID_INPUT");
  await rejectsWith(() => c.createLoginUrl({ email: "a@b.c", returnUrl: "javascript:alert(1)" }), "INVALID_INPUT");
  await rejectsWith(() => c.createLoginUrl({ email: "a@b.c", returnUrl: "/relative" }), "INVALID_INPUT");
  assert.equal(server.requests.length, 0);
});

test("accessControl: block / unblock / cancel with reason; 404 → NOT_FOUND", async () => {
  server.reset();
  const c = client();
  await c.autoSubscribe({ email: "bob@example.com", lmsUserId: "9" });
  for (const action of ["block", "unblock", "cancel"]) {
    const r = await c.accessControl({ email: "bob@example.com", action, reason: "inactive" });
    assert.equal(r.status, { block: "blocked", unblock: "unblocked", cancel: "cancelled" }[action]);
  }
  assert.equal(server.seen("POST", ACCESS)[0].body, '{"email":"bob@example.com","action":"block","reason":"inactive"}');
  await rejectsWith(() => c.accessControl({ email: "ghost@example.com", action: "block" }), "NOT_FOUND", { status: 404, vendor: "miles-masterclass" });
});

test("createLoginUrl: URL followed to the landing page; expiry in ms; not retried", async () => {
  server.reset();
  const c = client();
  const before = Date.now();
  const { url, expiresAt } = await c.createLoginUrl({ email: "ann@example.com", returnUrl: "https://lms.example/course/1" });
  assert.equal(server.seen("POST", LOGIN)[0].body, '{"email":"ann@example.com","return_url":"https://lms.example/course/1"}');
  assert.ok(expiresAt >= before + 290_000 && expiresAt <= Date.now() + 301_000);
  const page = await (await fetch(url)).text();
  assert.match(page, /Logged in as <span id="who">ann@example.com<\/span>/);
  server.queue("POST", LOGIN, faults.unavailable(), { status: 200, json: { url: "https://mm.example/x" } });
  await rejectsWith(() => c.createLoginUrl({ email: "ann@example.com" }), "HTTP_STATUS", { status: 503 });
  assert.equal(server.seen("POST", LOGIN).length, 2);
});

test("createLoginUrl: url alias, ISO and seconds expiry agree, unsafe URLs refused", async () => {
  server.reset();
  const c = client();
  const answer = (json) => server.queue("POST", LOGIN, { status: 200, json });
  answer({ url: "https://mm.example/a", expires_at: "2025-03-01T10:00:00Z" });
  answer({ login_url: "https://mm.example/b", expires_at: 1740823200 });
  answer({ login_url: "https://mm.example/c", expires_at: "1740823200" });
  const got = [await c.createLoginUrl({ email: "a@b.co" }), await c.createLoginUrl({ email: "a@b.co" }), await c.createLoginUrl({ email: "a@b.co" })];
  assert.deepEqual(got.map((g) => g.expiresAt), [NOW, NOW, NOW]);
  assert.equal(got[0].url, "https://mm.example/a");
  answer({ login_url: "http://127.0.0.1:9/x" });
  assert.equal((await c.createLoginUrl({ email: "a@b.co" })).expiresAt, undefined);
  for (const bad of ["http://mm.example/x", "/relative", "javascript:alert(1)", "ftp://mm.example/x"]) {
    answer({ login_url: bad });
    await rejectsWith(() => c.createLoginUrl({ email: "a@b.co" }), "RESPONSE_MALFORMED");
  }
  answer({ login_url: "https://mm.example/x", expires_at: "tomorrow" });
  await rejectsWith(() => c.createLoginUrl({ email: "a@b.co" }), "RESPONSE_MALFORMED");
});

test("error mapping: both body shapes, every status; messages in details; key never", async () => {
  server.reset();
  const c = client({ retries: 0 });
  const cases = [
    [{ status: 400, json: { status: false, message: "Bad email", code: "E_EMAIL" } }, "VENDOR_ERROR", "E_EMAIL"],
    [{ status: 401, json: { detail: `Invalid API key ${KEY}` } }, "AUTH_FAILED"],
    [{ status: 403, json: { detail: "IP not whitelisted" } }, "AUTH_FAILED"],
    [{ status: 404, json: { detail: "Not found" } }, "NOT_FOUND"],
    [{ status: 409, json: { status: false, message: "exists" } }, "CONFLICT"],
    [{ status: 500, body: "" }, "HTTP_STATUS"],
    [{ status: 200, json: { status: false, message: "Subscription closed" } }, "VENDOR_ERROR"],
    [{ status: 200, json: ["not", "an", "object"] }, "RESPONSE_MALFORMED"],
    [{ status: 200, json: { user_id: 1 } }, "RESPONSE_MALFORMED"],
  ];
  for (const [answer, code, vendorCode] of cases) {
    server.queue("POST", SUB, answer);
    const e = await rejectsWith(() => c.autoSubscribe({ email: "a@b.co", lmsUserId: "1" }), code, { status: answer.status });
    if (vendorCode) assert.equal(e.vendorCode, vendorCode);
    if (answer.json?.message || answer.json?.detail) assert.ok(JSON.stringify(e.details).length > 2, "details kept");
    await assertNoSecrets(e, [KEY]);
  }
});

test("outbound request signing: standard-webhooks over the exact body; a retry keeps the id", async () => {
  server.reset();
  const secret = "whsec_" + Buffer.from("outbound-secret").toString("base64");
  const c = client({ requestSigning: { secret } });
  server.queue("POST", SUB, faults.unavailable());
  await c.autoSubscribe({ email: "sig@example.com", lmsUserId: "5" });
  const [first, second] = server.seen("POST", SUB);
  for (const req of [first, second]) {
    const v = verifyWebhook(req.body, req.headers, { scheme: "standard-webhooks", secret });
    assert.match(v.id, /^msg_[A-Za-z0-9_-]{22,}$/);
  }
  assert.equal(first.headers["webhook-id"], second.headers["webhook-id"]);
  const built = c.buildAutoSubscribe({ email: "sig@example.com", lmsUserId: "5" });
  assert.ok(verifyWebhook(built.body, built.headers, { scheme: "standard-webhooks", secret }));
});

test("sans-IO twins give the same request and parse the same response", async () => {
  const c = client();
  const req = c.buildAccessControl({ email: "a@b.co", action: "block" });
  assert.deepEqual(req, {
    method: "POST",
    url: `${mm.baseUrl}/access/control`,
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-API-Key": KEY },
    body: '{"email":"a@b.co","action":"block"}',
  });
  assert.deepEqual(c.parseAccessControl({ status: 200, body: '{"status":"blocked"}' }), { status: "blocked", raw: { status: "blocked" } });
  await rejectsWith(() => c.parseAutoSubscribe({ status: 401, body: '{"detail":"no"}' }), "AUTH_FAILED");
  assert.deepEqual(c.parseCreateLoginUrl({ status: 200, headers: { "content-type": "application/json" }, body: new TextEncoder().encode('{"url":"https://mm.example/z"}') }), { url: "https://mm.example/z" });
});

test("sans-IO parsers take every HeadersLike, read none of it, and refuse what is no headers", async () => {
  const c = client();
  const body = '{"status":"blocked"}';
  const expected = { status: "blocked", raw: { status: "blocked" } };
  const pairs = [["Content-Type", "application/json"], ["Retry-After", "3"], ["X-Other", "x"]];
  const asked = [];
  const spy = { get: (name) => (asked.push(name), "application/json") };
  for (const headers of [undefined, null, new Headers(pairs), pairs, new Map(pairs), Object.fromEntries(pairs), spy]) {
    assert.deepEqual(c.parseAccessControl({ status: 200, headers, body }), expected);
  }
  // The parsers decide by status and body alone (only the transport's retry rules read a
  // header), so a parse call asks for none, and what could not be read costs nothing.
  assert.deepEqual(asked, []);
  const trapped = Object.defineProperty({ "content-type": "application/json" }, "x-trap", {
    enumerable: true,
    get: () => assert.fail("a header was read"),
  });
  const throwing = { get: () => { throw new Error("boom"); } };
  const badKeys = new Proxy({}, { ownKeys() { throw new Error("boom"); } });
  for (const headers of [trapped, throwing, badKeys, { get: () => 7 }]) {
    assert.deepEqual(c.parseAccessControl({ status: 200, headers, body }), expected);
  }
  // What is plainly no headers is INVALID_INPUT, saying so, as before.
  const notHeaders = "`response.headers` must be a Headers object, an object or [name, value] pairs";
  for (const headers of [42, "content-type: x", true, () => 1, Symbol("h")]) {
    const e = await rejectsWith(() => c.parseAccessControl({ status: 200, headers, body }), "INVALID_INPUT");
    assert.equal(e.message, notHeaders);
  }
  // An error status decides as before, whatever the headers.
  await rejectsWith(() => c.parseAccessControl({ status: 429, headers: { "retry-after": "1" }, body: "{}" }), "RATE_LIMITED");
});

test("sans-IO parsers read status and body however they are given, and refuse what is no response", async () => {
  const c = client();
  const body = '{"status":"blocked"}';
  const expected = { status: "blocked", raw: { status: "blocked" } };
  const bytes = new TextEncoder().encode(body);
  for (const b of [body, bytes, bytes.buffer]) assert.deepEqual(c.parseAccessControl({ status: 200, body: b }), expected);
  // No body (absent, undefined or null) is an empty one, which this parser refuses.
  for (const response of [{ status: 200 }, { status: 200, body: undefined }, { status: 200, body: null }]) {
    await rejectsWith(() => c.parseAccessControl(response), "RESPONSE_MALFORMED");
  }
  const notStatus = "`response.status` must be an HTTP status (100-599)";
  const throwing = { get status() { throw new Error("boom"); }, body };
  for (const response of [undefined, null, "x", 42, () => 1, {}, { status: 99, body }, { status: 200.5, body }, { status: "200", body }, throwing]) {
    const e = await rejectsWith(() => c.parseAccessControl(response), "INVALID_INPUT");
    assert.equal(e.message, notStatus);
  }
  for (const b of [42, true, {}, [1, 2]]) {
    const e = await rejectsWith(() => c.parseAccessControl({ status: 200, body: b }), "INVALID_INPUT");
    assert.equal(e.message, "`response.body` must be a string or a Uint8Array");
  }
});

test("strings cross into the vendor module intact at every length around the glue's switch-over", () => {
  // From 33 characters on the glue tries one encodeInto, and falls back to wasm-bindgen's
  // copy when the string is not ASCII: the same UTF-8 either way (lone surrogates → U+FFFD).
  const c = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: KEY });
  const wellFormed = (s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  for (const unit of ["a", "é", "✓", "😀", "\ud800", "x\udfff"]) {
    for (const n of [1, 31, 32, 33, 34, 100]) {
      for (const s of [unit.repeat(n), "a".repeat(n) + unit, unit + "a".repeat(n)]) {
        const req = c.buildAutoSubscribe({ email: "a@b.co", lmsUserId: "1", firstName: s });
        assert.equal(JSON.parse(req.body).first_name, wellFormed(s), `${JSON.stringify(unit)} at ${n}`);
      }
    }
  }
  // A response body too (bytes() reads a string body the same way).
  const note = "ü".repeat(40) + "x".repeat(40) + "\ud800";
  const body = `{"status":"subscribed","user_id":7,"note":"${note}"}`; // the surrogate raw, not escaped
  assert.equal(c.parseAutoSubscribe({ status: 201, body }).raw.note, wellFormed(note));
});

test("paths, header and field names are overridable", async () => {
  server.reset();
  server.route("POST", "/v2/subscribe", (req) => ({ status: 200, json: { status: "ok", external: req.headers["x-lms-open-api-key"] === KEY } }));
  const c = new MilesMasterclass({ baseUrl: server.origin, apiKey: KEY, apiKeyHeader: "X-LMS-OPEN-API-KEY", paths: { autoSubscribe: "/v2/subscribe" }, fieldNames: { lms_user_id: "external_id" } });
  const r = await c.autoSubscribe({ email: "a@b.co", lmsUserId: "3" });
  assert.equal(r.raw.external, true);
  assert.equal(server.seen("POST", "/v2/subscribe")[0].body, '{"email":"a@b.co","external_id":"3"}');
});

test("buildX returns a plain object, as JSON would give it, whatever the header names", () => {
  // The module hands a built request over as strings (transport.js's `request`): a header
  // named `__proto__` must stay an own property and leave the prototype alone.
  for (const apiKeyHeader of ["X-API-Key", "__proto__", "constructor", "toString"]) {
    const c = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: KEY, apiKeyHeader });
    const req = c.buildAutoSubscribe({ email: "a@b.co", lmsUserId: "3", firstName: "Zoë \"Z\" \\ ✓" });
    assert.equal(Object.getPrototypeOf(req), Object.prototype);
    assert.equal(Object.getPrototypeOf(req.headers), Object.prototype);
    assert.deepEqual(Object.keys(req), ["method", "url", "headers", "body"]);
    assert.ok(Object.hasOwn(req.headers, apiKeyHeader));
    assert.equal(req.headers[apiKeyHeader], KEY);
    const headers = JSON.parse(`{"Accept":"application/json","Content-Type":"application/json",${JSON.stringify(apiKeyHeader)}:${JSON.stringify(KEY)}}`);
    const body = '{"email":"a@b.co","first_name":"Zoë \\"Z\\" \\\\ ✓","lms_user_id":"3"}';
    assert.deepEqual(req, { method: "POST", url: "https://mm.example.com/api/integrations/lms/auto-subscribe", headers, body });
  }
});

// ---- progress callbacks ----

const payload = JSON.stringify({ event: "video.completed", email: "ann@example.com", lms_user_id: 42, video_id: "v9", status: "completed", cpe_credits: "1.5", minutes_consumed: 50, completed_at: "2025-03-01T10:00:00Z", extra: { a: 1 } });
const signed = (body = payload, opts = {}) => signWebhook(body, { scheme: "standard-webhooks", secret: CB_SECRET, timestamp: NOW / 1000, id: "msg_cb1", ...opts });
const cbClient = (callback) => client({ callback, now: () => NOW });

test("callback: valid signature → typed ProgressEvent; extra fields kept in raw", () => {
  const ev = cbClient({ secret: CB_SECRET }).verifyProgressCallback(payload, signed());
  assert.deepEqual({ ...ev, raw: undefined }, {
    event: "video.completed", email: "ann@example.com", lmsUserId: "42", videoId: "v9", status: "completed",
    cpeCredits: 1.5, minutesConsumed: 50, completedAt: "2025-03-01T10:00:00Z", raw: undefined,
  });
  assert.deepEqual(ev.raw.extra, { a: 1 });
  assert.deepEqual(MilesMasterclass.callbackAck(), { status: 200, headers: { "Content-Type": "application/json" }, body: '{"status":"ok"}' });
});

test("callback: tampered, too old, too new, rotated, missing headers, other schemes", async () => {
  const c = cbClient({ secret: CB_SECRET });
  await rejectsWith(() => c.verifyProgressCallback(payload.replace("1.5", "9.5"), signed()), "SIGNATURE_MISMATCH");
  await rejectsWith(() => c.verifyProgressCallback(payload, signed(payload, { timestamp: NOW / 1000 - 301 })), "TIMESTAMP_OUT_OF_TOLERANCE");
  await rejectsWith(() => c.verifyProgressCallback(payload, signed(payload, { timestamp: NOW / 1000 + 301 })), "TIMESTAMP_OUT_OF_TOLERANCE");
  await rejectsWith(() => c.verifyProgressCallback(payload, {}), "SIGNATURE_MISSING");
  const old = "whsec_" + Buffer.from("previous-secret").toString("base64");
  assert.equal(cbClient({ secret: [CB_SECRET, old] }).verifyProgressCallback(payload, signed(payload, { secret: old })).status, "completed");
  const stripe = cbClient({ secret: "stripe-like", scheme: "stripe" });
  assert.ok(stripe.verifyProgressCallback(payload, signWebhook(payload, { scheme: "stripe", secret: "stripe-like", timestamp: NOW / 1000 })));
  const gh = cbClient({ secret: "gh-like", scheme: "github" });
  const sig = createHmac("sha256", "gh-like").update(payload).digest("hex");
  assert.ok(gh.verifyProgressCallback(payload, { "X-Hub-Signature-256": `sha256=${sig}` }));
  assert.equal(MilesMasterclass.callbackReject(await rejectsWith(() => c.verifyProgressCallback(payload, {}), "SIGNATURE_MISSING")).status, 401);
});

test("callback API-key mode: constant-time, right / wrong / other length / absent / header case", async () => {
  const c = cbClient({ apiKey: "cb-key-123" });
  assert.ok(c.verifyProgressCallback(payload, { "X-API-KEY": "cb-key-123" }));
  for (const headers of [{ "x-api-key": "cb-key-124" }, { "x-api-key": "cb-key-1234" }, {}, { "x-other": "cb-key-123" }]) {
    const e = await rejectsWith(() => c.verifyProgressCallback(payload, headers), "AUTH_FAILED");
    await assertNoSecrets(e, ["cb-key-123"]);
  }
  assert.ok(cbClient({ apiKey: ["old-key", "cb-key-123"], apiKeyHeader: "X-Callback-Key" }).verifyProgressCallback(payload, { "x-callback-key": "cb-key-123" }));
});

test("callback with nothing configured, or an empty secret → INVALID_CONFIG: never unauthenticated", async () => {
  await rejectsWith(() => client().verifyProgressCallback(payload, signed()), "INVALID_CONFIG");
  await rejectsWith(() => cbClient({ secret: "" }).verifyProgressCallback(payload, signed()), "INVALID_CONFIG");
  await rejectsWith(() => cbClient({ apiKey: "" }).verifyProgressCallback(payload, { "x-api-key": "" }), "INVALID_CONFIG");
});

test("callback payload rules: credits, minutes, status, completion date", async () => {
  const c = cbClient({ apiKey: "cb-key" });
  const verify = (obj) => c.verifyProgressCallback(JSON.stringify(obj), { "x-api-key": "cb-key" });
  const base = { event: "video.progress", status: "in_progress" };
  assert.deepEqual([verify(base).cpeCredits, verify(base).minutesConsumed, verify(base).completedAt], [0, 0, null]);
  assert.equal(verify({ ...base, cpe_credits: 2 }).cpeCredits, 2);
  assert.equal(verify({ ...base, minutes_consumed: "12" }).minutesConsumed, 12);
  for (const bad of [{ ...base, cpe_credits: "lots" }, { ...base, status: "done" }, { ...base, minutes_consumed: 1.5 }, { status: "completed" }, { ...base, cpe_credits: -1 }]) {
    await rejectsWith(() => verify(bad), "INVALID_INPUT");
  }
  await rejectsWith(() => c.verifyProgressCallback("not json", { "x-api-key": "cb-key" }), "INVALID_INPUT");
  assert.equal(MilesMasterclass.callbackReject(await rejectsWith(() => verify({ status: "x" }), "INVALID_INPUT")).status, 400);
});
