// LearnWorlds client against the mock school: wire format, app-token cache and
// single-flight, the access_denied retry-once rule, SSO (+ landing page), user tokens,
// errors, rate limiting, sans-IO twins, and one SSO call from inside workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LearnWorlds } from "lms-bridge";
import { startMockServer, faults } from "lms-bridge/testing";
import { installLearnWorlds } from "lms-bridge/testing";
import { rejectsWith, assertNoSecrets } from "./assert.mjs";
import { startWorker, workerModule } from "./hosts.mjs";

const CID = "cid-123";
const SECRET = "lw-secret-4f9a1c";
const TOKEN = "/admin/api/oauth2/access_token";
const SSO = "/admin/api/sso";
const USER_SSO = "/admin/api/user/sso";
const FORM = "application/x-www-form-urlencoded";
const dataOf = (req) => JSON.parse(new URLSearchParams(req.body).get("data"));
const formOf = (obj) => new URLSearchParams({ data: JSON.stringify(obj) }).toString();

/** A mock school and a client on it; `t.after` closes the server. */
async function setup(t, { school = {}, client = {} } = {}) {
  const server = await startMockServer();
  t.after(() => server.close());
  const state = installLearnWorlds(server, { clientId: CID, clientSecret: SECRET, ...school });
  const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: CID, clientSecret: SECRET, timeoutMs: 2000, ...client });
  return { server, state, lw };
}

test("getAppToken: exact token request, expiresAt from the client clock, cached", async (t) => {
  const { server, state, lw } = await setup(t, { client: { now: () => 1_700_000_000_000 } });
  const tok = await lw.getAppToken();
  assert.deepEqual(Object.keys(tok), ["accessToken", "expiresAt"]);
  assert.ok(state.appTokens.has(tok.accessToken));
  assert.equal(tok.expiresAt, 1_700_000_000_000 + 8000 * 1000);
  const [req] = server.seen("POST", TOKEN);
  assert.equal(req.headers["lw-client"], CID);
  assert.equal(req.headers["content-type"], FORM);
  assert.equal(req.headers.authorization, undefined);
  assert.equal(req.body, "data=%7B%22client_id%22%3A%22cid-123%22%2C%22client_secret%22%3A%22lw-secret-4f9a1c%22%2C%22grant_type%22%3A%22client_credentials%22%7D");
  // The sans-IO builder produces exactly what was sent.
  const built = lw.buildGetAppToken();
  assert.deepEqual(built, { method: "POST", url: server.origin + TOKEN, headers: built.headers, body: req.body });
  assert.equal(built.headers["Lw-Client"], CID);
  assert.deepEqual(await lw.getAppToken(), tok);
  assert.equal(state.tokenRequests, 1);
});

test("getAppToken: 50 concurrent SSO calls share one token request; 50 concurrent getAppToken too", async (t) => {
  const { server, state, lw } = await setup(t, {
    school: { rateLimit: false, users: [{ id: "u1", email: "a@x.com", username: "a" }] },
    client: { rateLimit: false },
  });
  const results = await Promise.all(Array.from({ length: 50 }, () => lw.sso({ userId: "u1" })));
  assert.equal(state.tokenRequests, 1);
  assert.equal(server.seen("POST", SSO).length, 50);
  assert.ok(results.every((r) => r.userId === "u1" && r.url.startsWith(`${server.origin}/login?code=`)));
  const auth = new Set(server.seen("POST", SSO).map((r) => r.headers.authorization));
  assert.equal(auth.size, 1);

  const { state: s2, lw: lw2 } = await setup(t, { school: { rateLimit: false }, client: { rateLimit: false } });
  const toks = await Promise.all(Array.from({ length: 50 }, () => lw2.getAppToken()));
  assert.equal(s2.tokenRequests, 1);
  assert.equal(new Set(toks.map((x) => x.accessToken)).size, 1);
});

test("getAppToken: refreshed when less than max(60 s, 10% of expires_in) remains", async (t) => {
  let now = 1_000_000;
  const { state, lw } = await setup(t, { school: { expiresIn: 1000, now: () => now }, client: { now: () => now } });
  const first = await lw.getAppToken();
  assert.equal(first.expiresAt, 1_000_000 + 1_000_000);
  now += 899_999; // 100 001 ms left > margin 100 000 (10 % of 1000 s)
  assert.equal((await lw.getAppToken()).accessToken, first.accessToken);
  now += 1; // exactly the margin left → refetch
  const second = await lw.getAppToken();
  assert.notEqual(second.accessToken, first.accessToken);
  assert.equal(second.expiresAt, now + 1_000_000);
  assert.equal(state.tokenRequests, 2);

  // Short lifetimes use the 60 s floor.
  now = 5_000_000;
  const { state: s2, lw: lw2 } = await setup(t, { school: { expiresIn: 100, now: () => now }, client: { now: () => now } });
  await lw2.getAppToken();
  now += 39_999;
  await lw2.getAppToken();
  assert.equal(s2.tokenRequests, 1);
  now += 1;
  await lw2.getAppToken();
  assert.equal(s2.tokenRequests, 2);
});

test("getAppToken: failures reach every waiter once and are not cached", async (t) => {
  const { server, state, lw } = await setup(t, { client: { retries: 0 } });
  server.queue("POST", TOKEN, faults.unavailable());
  const all = await Promise.allSettled(Array.from({ length: 5 }, () => lw.getAppToken()));
  assert.equal(server.seen("POST", TOKEN).length, 1);
  for (const r of all) {
    assert.equal(r.status, "rejected");
    assert.equal(r.reason.code, "HTTP_STATUS");
    assert.equal(r.reason.status, 503);
    assert.equal(r.reason.retryable, true);
  }
  const tok = await lw.getAppToken();
  assert.ok(state.appTokens.has(tok.accessToken));
  assert.equal(server.seen("POST", TOKEN).length, 2);
});

test("getAppToken: token requests are retried (503, 429 with Retry-After)", async (t) => {
  const { server, lw } = await setup(t, { client: { retries: 2 } });
  server.queue("POST", TOKEN, faults.unavailable(0), faults.tooMany(0));
  await lw.getAppToken();
  assert.equal(server.seen("POST", TOKEN).length, 3);
});

test("getAppToken: wrong secret → AUTH_FAILED client_id, nothing leaks", async (t) => {
  const { server, lw } = await setup(t, { client: { clientSecret: "wrong-secret-value" } });
  const e = await rejectsWith(() => lw.getAppToken(), "AUTH_FAILED", { status: 400, vendorCode: "client_id", vendor: "learnworlds" });
  await assertNoSecrets(e, ["wrong-secret-value"]);
  // A vendor echoing the secret back is scrubbed too.
  server.queue("POST", TOKEN, { status: 400, json: { errors: [{ code: 400, context: "client_id", message: "bad client wrong-secret-value" }], echo: "wrong-secret-value", success: false } });
  const e2 = await rejectsWith(() => lw.getAppToken(), "AUTH_FAILED", { vendorCode: "client_id" });
  await assertNoSecrets(e2, ["wrong-secret-value"]);
  // Missing fields in a 200 → RESPONSE_MALFORMED.
  server.queue("POST", TOKEN, { status: 200, json: { tokenData: { token_type: "Bearer", expires_in: 10 }, success: true } });
  await rejectsWith(() => lw.getAppToken(), "RESPONSE_MALFORMED", { status: 200 });
});

test("access_denied: one fresh token and one retry; a second refusal is AUTH_FAILED", async (t) => {
  const { server, state, lw } = await setup(t, { school: { users: [{ id: "u1", email: "a@x.com", username: "a" }] } });
  const before = await lw.getAppToken();
  state.expireAppTokens(); // the school now answers 400 access_denied
  const r = await lw.sso({ userId: "u1" });
  assert.equal(r.userId, "u1");
  assert.equal(state.tokenRequests, 2);
  const ssoReqs = server.seen("POST", SSO);
  assert.equal(ssoReqs.length, 2);
  assert.equal(ssoReqs[0].headers.authorization, `Bearer ${before.accessToken}`);
  const after = await lw.getAppToken();
  assert.notEqual(after.accessToken, before.accessToken);
  assert.equal(ssoReqs[1].headers.authorization, `Bearer ${after.accessToken}`);
  assert.equal(ssoReqs[1].body, ssoReqs[0].body);

  // Refused twice → AUTH_FAILED access_denied, exactly one retry.
  server.reset();
  const denied = { status: 400, json: { errors: [{ code: 400, context: "access_denied", message: "The resource owner or authorization server denied the request." }], success: false } };
  server.queue("POST", SSO, denied, denied, denied);
  const e = await rejectsWith(() => lw.sso({ userId: "u1" }), "AUTH_FAILED", { status: 400, vendorCode: "access_denied", retryable: false });
  assert.equal(server.seen("POST", SSO).length, 2);
  assert.equal(server.seen("POST", TOKEN).length, 1);
  await assertNoSecrets(e, [SECRET, after.accessToken]);
});

test("static accessToken: returned with expiresAt null, never refreshed, refusal not retried without secret", async (t) => {
  let now = 1_000;
  const server = await startMockServer();
  t.after(() => server.close());
  const state = installLearnWorlds(server, { clientId: CID, clientSecret: SECRET, users: [{ id: "u1", email: "a@x.com", username: "a" }] });
  state.appTokens.set("static-app-token", Infinity);
  const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: CID, accessToken: "static-app-token", now: () => now });
  assert.deepEqual(await lw.getAppToken(), { accessToken: "static-app-token", expiresAt: null });
  now += 365 * 86_400_000;
  assert.deepEqual(await lw.getAppToken(), { accessToken: "static-app-token", expiresAt: null });
  await lw.sso({ userId: "u1" });
  assert.equal(server.seen("POST", SSO)[0].headers.authorization, "Bearer static-app-token");
  assert.deepEqual(lw.buildSso({ userId: "u1" }).headers.Authorization, "Bearer static-app-token");
  state.expireAppTokens();
  const e = await rejectsWith(() => lw.sso({ userId: "u1" }), "AUTH_FAILED", { vendorCode: "access_denied", status: 400 });
  await assertNoSecrets(e, ["static-app-token"]);
  assert.equal(state.tokenRequests, 0);
  assert.equal(server.seen("POST", SSO).length, 2);
  // Token grants need the secret.
  await rejectsWith(() => lw.userToken({ email: "a@x.com", password: "pw" }), "INVALID_CONFIG");
  await rejectsWith(() => lw.refreshUserToken("r"), "INVALID_CONFIG");
  assert.throws(() => lw.buildGetAppToken(), (e) => e.code === "INVALID_CONFIG");

  // accessToken + clientSecret: the given token first, a fetched one once it is refused.
  state.appTokens.set("given-token", Infinity);
  const both = new LearnWorlds({ schoolUrl: server.origin, clientId: CID, clientSecret: SECRET, accessToken: "given-token" });
  assert.deepEqual(await both.getAppToken(), { accessToken: "given-token", expiresAt: null });
  state.expireAppTokens();
  await both.sso({ userId: "u1" });
  assert.equal(state.tokenRequests, 1);
  assert.notEqual((await both.getAppToken()).accessToken, "given-token");

  // Neither: INVALID_CONFIG, nothing sent.
  const none = new LearnWorlds({ schoolUrl: server.origin, clientId: CID });
  server.reset();
  await rejectsWith(() => none.getAppToken(), "INVALID_CONFIG");
  await rejectsWith(() => none.sso({ userId: "u1" }), "INVALID_CONFIG");
  assert.throws(() => none.buildSso({ userId: "u1" }), (e) => e.code === "INVALID_CONFIG");
  assert.equal(server.requests.length, 0);
});

test("sso by email: exact form body, creates the user, landing page shows who logged in", async (t) => {
  const { server, state, lw } = await setup(t);
  const r = await lw.sso({ email: "test@example.com", username: "LearnWorlds", redirectUrl: "https://learnworlds.com" });
  const [req] = server.seen("POST", SSO);
  assert.equal(req.body, "data=%7B%22email%22%3A%22test%40example.com%22%2C%22username%22%3A%22LearnWorlds%22%2C%22redirectUrl%22%3A%22https%3A%2F%2Flearnworlds.com%22%7D");
  assert.equal(req.headers["content-type"], FORM);
  assert.equal(req.headers["lw-client"], CID);
  assert.equal(req.headers.authorization, `Bearer ${(await lw.getAppToken()).accessToken}`);
  const user = state.findByEmail("test@example.com");
  assert.ok(user.created);
  assert.deepEqual(Object.keys(r), ["url", "userId"]);
  assert.equal(r.userId, user.id);
  assert.match(r.url, new RegExp(`^${server.origin}/login\\?code=[0-9a-f]{32}$`));
  const page = await fetch(r.url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Logged in as test@example\.com/);
  assert.ok(html.includes(`User id: ${user.id}`));
  assert.ok(html.includes('href="https://learnworlds.com"'));
  assert.equal((await fetch(r.url)).status, 403); // one use per code

  // WHATWG form encoding of awkward characters, key order email, username, avatar, redirectUrl.
  await lw.sso({ email: "o'neil+tag@example.com", username: "Ann O'Neil ~ 100% *x* (é)", avatar: "https://cdn.example.com/a%20b.png?s=1&t=x+y", redirectUrl: "https://learnworlds.com/c?x=1&y=2" });
  const body = server.seen("POST", SSO)[1].body;
  assert.equal(body, formOf({ email: "o'neil+tag@example.com", username: "Ann O'Neil ~ 100% *x* (é)", avatar: "https://cdn.example.com/a%20b.png?s=1&t=x+y", redirectUrl: "https://learnworlds.com/c?x=1&y=2" }));
  assert.ok(body.includes("+100%25+") && body.includes("%2B"));

  // Unknown email without username: the school refuses (username required to create).
  await rejectsWith(() => lw.sso({ email: "new@example.com" }), "VENDOR_ERROR", { status: 400, vendorCode: "username" });
  // Existing email without username is fine.
  assert.equal((await lw.sso({ email: "test@example.com" })).userId, user.id);
  assert.deepEqual(dataOf(server.seen("POST", SSO).at(-1)), { email: "test@example.com" });
});

test("sso by userId: body, echo of userId, NOT_FOUND", async (t) => {
  const { server, state, lw } = await setup(t, { school: { users: [{ id: "42", email: "b@x.com", username: "b" }] } });
  const r = await lw.sso({ userId: 42, redirectUrl: "https://school.example.com/course" });
  assert.equal(r.userId, "42");
  assert.equal(server.seen("POST", SSO)[0].body, formOf({ user_id: "42", redirectUrl: "https://school.example.com/course" }));
  // No user_id in the response: the by-id call echoes the input.
  server.queue("POST", SSO, { status: 200, json: { success: true, url: `${server.origin}/login?code=abc` } });
  assert.deepEqual(await lw.sso({ userId: "42" }), { url: `${server.origin}/login?code=abc`, userId: "42" });
  server.queue("POST", SSO, { status: 200, json: { success: true, url: `${server.origin}/login?code=abc` } });
  await rejectsWith(() => lw.sso({ email: "b@x.com" }), "RESPONSE_MALFORMED", { status: 200 });
  await rejectsWith(() => lw.sso({ userId: "nope" }), "NOT_FOUND", { status: 404, vendorCode: "user_id" });
  assert.equal(state.tokenRequests, 1);
});

test("sso: invalid input is refused before any request", async (t) => {
  const { server, lw } = await setup(t);
  for (const bad of [
    { email: "a@x.com", userId: "1" },
    {},
    { email: "not-an-email", username: "x" },
    { email: "a@x.com", redirectUrl: "javascript:alert(1)" },
    { email: "a@x.com", redirectUrl: "/relative" },
    { email: "a@x.com", avatar: "ftp://x.com/a.png" },
    { userId: "1", username: "x" },
    { userId: "" },
    { userId: {} },
    null,
    "a@x.com",
  ]) {
    const e = await rejectsWith(() => lw.sso(bad), "INVALID_INPUT");
    assert.equal(e.vendor, "learnworlds");
  }
  assert.equal(server.requests.length, 0);
});

test("sso: a url off the school origin is RESPONSE_MALFORMED", async (t) => {
  const { server, lw } = await setup(t);
  const port = Number(server.port);
  for (const url of [
    "https://evil.com/login?code=1",
    `http://127.0.0.1:${port + 1}/login?code=1`,
    `http://localhost:${port}/login?code=1`,
    `http://user@127.0.0.1:${port}/login?code=1`,
    "/login?code=1",
    `//127.0.0.1:${port}/login`,
    `javascript:alert(1)//127.0.0.1:${port}`,
    "",
  ]) {
    server.queue("POST", SSO, { status: 200, json: { success: true, url, user_id: "1" } });
    const e = await rejectsWith(() => lw.sso({ userId: "1" }), "RESPONSE_MALFORMED", { status: 200 });
    assert.ok(!e.message.includes("code=1"), e.message);
  }
  // http is refused for a non-loopback school (sans-IO twin on an https school).
  const https = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: CID, clientSecret: SECRET });
  const resp = (url) => ({ status: 200, body: JSON.stringify({ success: true, url, user_id: "1" }) });
  assert.deepEqual(https.parseSso(resp("https://school.example.com/login?code=x")), { url: "https://school.example.com/login?code=x", userId: "1" });
  for (const url of ["http://school.example.com/login?code=x", "https://school.example.com.evil.com/login", "https://evil.com/?https://school.example.com"]) {
    assert.throws(() => https.parseSso(resp(url)), (e) => e.code === "RESPONSE_MALFORMED");
  }
});

test("sso: never retried on 503/429/network errors, error shapes mapped", async (t) => {
  const { server, lw } = await setup(t, { client: { retries: 2 } });
  await lw.getAppToken();
  const cases = [
    [faults.unavailable(0), "HTTP_STATUS", { status: 503, retryable: true }],
    [faults.tooMany(0), "RATE_LIMITED", { status: 429, retryable: true }],
    [faults.reset(), "NETWORK", { retryable: true }],
    [{ status: 500, json: { errors: [{ code: "500", context: null, message: "Server" }], success: false } }, "VENDOR_ERROR", { status: 500, vendorCode: "500" }],
    [{ status: 422, json: { errors: [{ code: 422, context: null, message: "x" }], success: false } }, "VENDOR_ERROR", { status: 422, vendorCode: "422" }],
    [{ status: 500, json: { error: "boom" } }, "VENDOR_ERROR", { status: 500, vendorCode: undefined }],
    [{ status: 200, json: { errors: [{ code: "400", context: "invalid", message: "m" }], success: false } }, "VENDOR_ERROR", { status: 200, vendorCode: "invalid" }],
    [{ status: 403, json: { error: "Forbidden" } }, "AUTH_FAILED", { status: 403 }],
    [faults.wrongContentType(), "RESPONSE_MALFORMED", { status: 200 }],
    [faults.malformedJson(), "RESPONSE_MALFORMED", { status: 200 }],
    [{ status: 502, body: "" }, "HTTP_STATUS", { status: 502 }],
  ];
  for (const [answer, code, fields] of cases) {
    server.reset();
    server.queue("POST", SSO, answer);
    await rejectsWith(() => lw.sso({ email: "a@x.com", username: "a" }), code, fields);
    assert.equal(server.seen("POST", SSO).length, 1, code);
  }
  // Timeout: TIMEOUT, not retried.
  const slow = new LearnWorlds({ schoolUrl: server.origin, clientId: CID, clientSecret: SECRET, timeoutMs: 150, retries: 2 });
  await slow.getAppToken();
  server.reset();
  server.queue("POST", SSO, faults.delay(600, { status: 200, json: {} }));
  await rejectsWith(() => slow.sso({ userId: "1" }), "TIMEOUT", { retryable: true });
  assert.equal(server.seen("POST", SSO).length, 1);
});

test("the mock refuses plain JSON and a missing Lw-Client (as the real school does)", async (t) => {
  const { server, lw } = await setup(t);
  const { accessToken } = await lw.getAppToken();
  const json = await fetch(server.origin + SSO, { method: "POST", headers: { "lw-client": CID, authorization: `Bearer ${accessToken}`, "content-type": "application/json" }, body: JSON.stringify({ email: "a@x.com", username: "a" }) });
  assert.equal(json.status, 400);
  assert.deepEqual(await json.json(), { errors: [{ code: 400, context: null, message: "Invalid object ID" }], success: false });
  const req = lw.buildSso({ email: "a@x.com", username: "a" });
  delete req.headers["Lw-Client"];
  const noClient = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  assert.equal(noClient.status, 400);
  // The same request through parseSso maps to VENDOR_ERROR.
  assert.throws(() => lw.parseSso({ status: 400, body: JSON.stringify({ errors: [{ code: 400, context: null, message: "Invalid object ID" }], success: false }) }),
    (e) => e.code === "VENDOR_ERROR" && e.vendorCode === "400" && e.message.includes("Invalid object ID"));
});

test("userToken, refreshUserToken, userSso: bodies, results, errors, retries", async (t) => {
  let now = 2_000_000;
  const { server, state, lw } = await setup(t, {
    school: { users: [{ id: "u7", email: "ann@x.com", username: "ann", password: "pa ss+%\"word" }], now: () => now },
    client: { now: () => now, retries: 1 },
  });
  const u = await lw.userToken({ email: "ann@x.com", password: "pa ss+%\"word" });
  assert.deepEqual(Object.keys(u), ["accessToken", "refreshToken", "expiresAt"]);
  assert.equal(u.expiresAt, now + 8_000_000);
  assert.ok(state.userTokens.has(u.accessToken));
  const [tokReq] = server.seen("POST", TOKEN);
  assert.equal(tokReq.body, formOf({ client_id: CID, client_secret: SECRET, grant_type: "password", email: "ann@x.com", password: "pa ss+%\"word" }));
  assert.equal(tokReq.headers["lw-client"], CID);
  assert.deepEqual(lw.buildUserToken({ email: "ann@x.com", password: "pa ss+%\"word" }).body, tokReq.body);

  const e = await rejectsWith(() => lw.userToken({ email: "ann@x.com", password: "wrong-password-9" }), "AUTH_FAILED", { status: 400, vendorCode: "invalid_credentials" });
  await assertNoSecrets(e, ["wrong-password-9", SECRET]);
  await rejectsWith(() => lw.userToken({ email: "ann@x.com" }), "INVALID_INPUT");
  await rejectsWith(() => lw.userToken({ email: "nope", password: "x" }), "INVALID_INPUT");

  // Token requests are retried.
  server.queue("POST", TOKEN, faults.unavailable(0));
  const before = server.seen("POST", TOKEN).length;
  await lw.userToken({ email: "ann@x.com", password: "pa ss+%\"word" });
  assert.equal(server.seen("POST", TOKEN).length, before + 2);

  now += 1000;
  const r = await lw.refreshUserToken(u.refreshToken);
  assert.equal(server.seen("POST", TOKEN).at(-1).body, formOf({ client_id: CID, client_secret: SECRET, grant_type: "refresh_token", refresh_token: u.refreshToken }));
  assert.equal(r.expiresAt, now + 8_000_000);
  assert.notEqual(r.accessToken, u.accessToken);
  const used = await rejectsWith(() => lw.refreshUserToken(u.refreshToken), "AUTH_FAILED", { vendorCode: "invalid_request" });
  await assertNoSecrets(used, [u.refreshToken, SECRET]);
  await rejectsWith(() => lw.refreshUserToken(""), "INVALID_INPUT");

  // userSso with the user's bearer token; no app token involved.
  const appTokenRequests = state.tokenRequests;
  const s = await lw.userSso(r.accessToken, { redirectUrl: "https://learnworlds.com/x" });
  const [ssoReq] = server.seen("POST", USER_SSO);
  assert.equal(ssoReq.headers.authorization, `Bearer ${r.accessToken}`);
  assert.equal(ssoReq.headers["lw-client"], CID);
  assert.equal(ssoReq.body, formOf({ redirectUrl: "https://learnworlds.com/x" }));
  assert.deepEqual(Object.keys(s), ["url"]);
  assert.match(await (await fetch(s.url)).text(), /Logged in as ann@x\.com[\s\S]*User id: u7/);
  await lw.userSso(r.accessToken);
  assert.equal(server.seen("POST", USER_SSO)[1].body, "data=%7B%7D");
  assert.equal(state.tokenRequests, appTokenRequests);

  // Refused user token: AUTH_FAILED access_denied, never refreshed nor retried.
  state.expireUserTokens();
  const denied = await rejectsWith(() => lw.userSso(r.accessToken, {}), "AUTH_FAILED", { vendorCode: "access_denied", status: 400 });
  await assertNoSecrets(denied, [r.accessToken]);
  assert.equal(server.seen("POST", USER_SSO).length, 3);
  assert.equal(state.tokenRequests, appTokenRequests);
  server.queue("POST", USER_SSO, faults.unavailable(0));
  await rejectsWith(() => lw.userSso(r.accessToken, {}), "HTTP_STATUS", { status: 503 });
  assert.equal(server.seen("POST", USER_SSO).length, 4);
  await rejectsWith(() => lw.userSso("", {}), "INVALID_INPUT");
  await rejectsWith(() => lw.userSso("tok", { redirectUrl: "javascript:x" }), "INVALID_INPUT");
  assert.equal(server.seen("POST", USER_SSO).length, 4);
});

test("sans-IO twins run the same exchange over any HTTP client", async (t) => {
  let now = 3_000_000;
  const { server, state } = await setup(t, { school: { users: [{ id: "u1", email: "a@x.com", username: "a", password: "pw" }] } });
  const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: CID, clientSecret: SECRET, now: () => now });
  const send = async (req) => {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  assert.throws(() => lw.buildSso({ userId: "u1" }), (e) => e.code === "INVALID_CONFIG"); // no token yet
  const tok = lw.parseGetAppToken(await send(lw.buildGetAppToken()));
  assert.equal(tok.expiresAt, now + 8_000_000);
  const req = lw.buildSso({ userId: "u1", redirectUrl: "https://learnworlds.com" }, { accessToken: tok.accessToken });
  assert.deepEqual(req, {
    method: "POST",
    url: `${server.origin}${SSO}`,
    headers: { Accept: "application/json", "Content-Type": FORM, "Lw-Client": CID, Authorization: `Bearer ${tok.accessToken}` },
    body: formOf({ user_id: "u1", redirectUrl: "https://learnworlds.com" }),
  });
  const out = lw.parseSso(await send(req), { userId: "u1" });
  assert.equal(out.userId, "u1");
  assert.equal(lw.parseSso({ status: 200, body: JSON.stringify({ success: true, url: `${server.origin}/login?code=z` }) }, { userId: "u9" }).userId, "u9");
  // An absent input (`undefined`, `null` or none) echoes nothing.
  for (const input of [[], [undefined], [null]]) {
    assert.throws(() => lw.parseSso({ status: 200, body: JSON.stringify({ success: true, url: `${server.origin}/login?code=z` }) }, ...input), (e) => e.code === "RESPONSE_MALFORMED");
  }
  // The sans-IO twins do not touch the cache: the async path fetches its own token.
  await lw.getAppToken();
  assert.equal(state.tokenRequests, 2);
  assert.equal(lw.buildSso({ userId: "u1" }).headers.Authorization, `Bearer ${(await lw.getAppToken()).accessToken}`);

  const ut = lw.parseUserToken(await send(lw.buildUserToken({ email: "a@x.com", password: "pw" })));
  assert.ok(state.userTokens.has(ut.accessToken));
  const rt = lw.parseRefreshUserToken(await send(lw.buildRefreshUserToken(ut.refreshToken)));
  assert.ok(state.userTokens.has(rt.accessToken));
  const us = lw.parseUserSso(await send(lw.buildUserSso(rt.accessToken, {})));
  assert.match(us.url, /\/login\?code=/);
  assert.throws(() => lw.parseUserSso({ status: 400, body: JSON.stringify({ errors: [{ code: 400, context: "access_denied", message: "m" }], success: false }) }),
    (e) => e.code === "AUTH_FAILED" && e.vendorCode === "access_denied");
  assert.throws(() => lw.parseGetAppToken({ status: 200, body: "{}" }), (e) => e.code === "RESPONSE_MALFORMED");
  assert.throws(() => lw.parseGetAppToken({ status: "x", body: "{}" }), (e) => e.code === "INVALID_INPUT");
  assert.throws(() => lw.buildSso({ userId: "u1" }, { accessToken: "" }), (e) => e.code === "INVALID_INPUT");
  now += 1;
});

test("rate limit: a 35-request burst is spaced by the limiter (FIFO); default is 30 per 10 s", async (t) => {
  const perMs = 1000;
  const sends = []; // when the client handed each request to fetch
  const order = []; // and which one
  const { server, state, lw } = await setup(t, {
    school: { rateLimit: false, users: [{ id: "u1", email: "a@x.com", username: "a" }] },
    client: {
      clientSecret: undefined, accessToken: "static-tok", rateLimit: { requests: 30, perMs },
      fetch: (url, init) => (sends.push(Date.now()), order.push(dataOf(init).redirectUrl), fetch(url, init)),
    },
  });
  state.appTokens.set("static-tok", Infinity);
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: 35 }, (_, i) => lw.sso({ userId: "u1", redirectUrl: `https://learnworlds.com/${i}` })));
  assert.equal(results.length, 35);
  const reqs = server.seen("POST", SSO);
  assert.equal(reqs.length, 35);
  // FIFO: sent in call order.
  assert.deepEqual(order, results.map((_, i) => `https://learnworlds.com/${i}`));
  assert.equal(sends.length, 35);
  // The limiter reserves a slot before the request is built and handed to fetch, so
  // sends[0] trails its reservation by however busy the event loop is: allow 50 ms for
  // that. (The transport itself sleeps until the slot is really due on the real clock.)
  // Without the limiter all 35 would leave within a few ms.
  const slack = 50;
  assert.ok(sends[29] - sends[0] < perMs - 2 * slack, `first 30 in the first window (${sends[29] - sends[0]} ms)`);
  for (let i = 30; i < 35; i++) {
    assert.ok(sends[i] - sends[0] >= perMs - slack, `send ${i + 1} waits for the window (${sends[i] - sends[0]} ms)`);
    const at = reqs.find((r) => dataOf(r).redirectUrl === order[i]).at;
    assert.ok(at - t0 >= perMs - slack, `request ${i + 1} reached the school after the window (${at - t0} ms)`);
  }
  for (let i = 0; i < 35; i++) {
    const inWindow = sends.filter((x) => x >= sends[i] && x < sends[i] + perMs - slack).length;
    assert.ok(inWindow <= 30, `window at ${i}: ${inWindow}`);
  }
  assert.ok(Date.now() - t0 < 5 * perMs, "the burst is spaced, not stalled");

  // Defaults and options.
  const mk = (extra) => new LearnWorlds({ schoolUrl: "https://s.example.com", clientId: "c", ...extra });
  assert.deepEqual(mk({}).rateLimit, { requests: 30, perMs: 10_000 });
  assert.equal(mk({ rateLimit: false }).rateLimit, null);
  assert.deepEqual(mk({ rateLimit: { requests: 5, perMs: 200 } }).rateLimit, { requests: 5, perMs: 200 });
  for (const bad of [{ requests: 0, perMs: 1 }, { requests: 1.5, perMs: 1 }, { requests: 1 }, true, "30/10s"]) {
    assert.throws(() => mk({ rateLimit: bad }), (e) => e.code === "INVALID_CONFIG", JSON.stringify(bad));
  }
});

test("rate limit: the school's 429 on an idempotent call is retried with backoff", async (t) => {
  const { server, lw } = await setup(t, { client: { retries: 2 } });
  server.queue("POST", TOKEN, faults.tooMany(), faults.tooMany());
  const t0 = Date.now();
  await lw.getAppToken();
  assert.equal(server.seen("POST", TOKEN).length, 3);
  assert.ok(Date.now() - t0 < 2000);
  server.queue("POST", TOKEN, faults.tooMany(0), faults.tooMany(0), faults.tooMany(0));
  await rejectsWith(() => lw.userToken({ email: "a@x.com", password: "p" }), "RATE_LIMITED", { status: 429, retryable: true });
});

test("constructor: INVALID_CONFIG for bad options, secrets never in messages", async () => {
  for (const bad of [
    {},
    { schoolUrl: "https://s.com" },
    { schoolUrl: "http://s.com", clientId: "c" },
    { schoolUrl: "https://s.com/path", clientId: "c" },
    { schoolUrl: "https://s.com", clientId: "c", clientSecret: "" },
    { schoolUrl: "https://s.com", clientId: "c", timeoutMs: 0 },
    { schoolUrl: "https://s.com", clientId: "c", clientSecret: 12345678 },
  ]) {
    let err;
    try {
      new LearnWorlds(bad);
    } catch (e) {
      err = e;
    }
    assert.equal(err?.code, "INVALID_CONFIG", JSON.stringify(bad));
    await assertNoSecrets(err, ["12345678"]);
  }
  assert.ok(new LearnWorlds({ schoolUrl: "school.example.com", clientId: "c" }));
});

test("workerd: one SSO call from inside a Worker against the loopback mock", async (t) => {
  const { server, state } = await setup(t, { school: { users: [{ id: "w1", email: "worker@x.com", username: "w" }] } });
  const worker = await startWorker(workerModule(`
    import { LearnWorlds, isLmsBridgeError } from "lms-bridge";
    export default {
      async fetch(request, env) {
        try {
          const lw = new LearnWorlds({ schoolUrl: env.SCHOOL, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET,
                                       fetch: (u, i) => fetch(u, i) });
          const out = await lw.sso({ email: "worker@x.com", redirectUrl: "https://learnworlds.com/w" });
          // The sans-IO twins (twins.js) in the same Worker, on the token the call fetched.
          const built = lw.buildSso({ userId: out.userId });
          const parsed = lw.parseSso({ status: 200, body: JSON.stringify({ success: true, url: out.url }) }, { userId: out.userId });
          return Response.json({ ...out, built: [built.url, built.headers.Authorization.startsWith("Bearer ")], parsed });
        } catch (e) {
          return Response.json({ error: e.code, message: e.message, lms: isLmsBridgeError(e) }, { status: 500 });
        }
      },
    };`), { bindings: { SCHOOL: server.origin, CLIENT_ID: CID, CLIENT_SECRET: SECRET } });
  t.after(() => worker.dispose());
  const res = await worker.dispatch("http://worker.test/");
  assert.equal(res.status, 200, res.text);
  const out = JSON.parse(res.text);
  assert.equal(out.userId, "w1");
  assert.match(out.url, new RegExp(`^${server.origin}/login\\?code=`));
  assert.deepEqual(out.built, [`${server.origin}/admin/api/sso`, true]);
  assert.deepEqual(out.parsed, { url: out.url, userId: "w1" });
  assert.equal(state.tokenRequests, 1);
  assert.deepEqual(dataOf(server.seen("POST", SSO)[0]), { email: "worker@x.com", redirectUrl: "https://learnworlds.com/w" });
  assert.match(await (await fetch(out.url)).text(), /Logged in as worker@x\.com/);
});
