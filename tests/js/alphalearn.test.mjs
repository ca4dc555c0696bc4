// AlphaLearn in Node against the mock: every call, every error path, retries, sans-IO twins,
// the session helper, the form builder, and submitForm outside a browser.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { AlphaLearn, AlphaLearnSession, renderAutoSubmitForm, submitForm } from "lms-bridge";
import { startMockServer } from "lms-bridge/testing";
import { installAlphaLearn, alphaError, envelope, ERROR_MEANINGS } from "lms-bridge/testing";
import { rejectsWith, assertNoSecrets } from "./assert.mjs";

const PASSWORD = "s3cret-Pa55!";
const EMAIL = "ada@example.com";
const T0 = 1_700_000_000_000;
let server;
let al;
let clock;

before(async () => {
  server = await startMockServer();
});
after(() => server.close());
beforeEach(() => {
  server.reset();
  clock = T0;
  al = installAlphaLearn(server, { now: () => clock });
});

const client = (o = {}) =>
  new AlphaLearn({ baseUrl: al.baseUrl, retries: 0, timeoutMs: 2000, now: () => clock, ...o });
const paths = { login: "/v3/authorize/login", refresh: "/v3/authorize/refresh-token",
  third: "/v3/authorize/third-party", forgot: "/v3/authorize/forgot-password" };

const EXPECTED_USER = {
  id: 101, firstName: "Ada", lastName: "Lovelace", email: EMAIL, mobile: "9876543210",
  uniqueId: "EMP-101", role: "Trainee", language: "en-US", timezone: "Asia/Kolkata",
  sessionToken: "sess-0123456789abcdef", companyId: 7, companyName: "Example Corp",
};

function checkHeaders(r) {
  assert.equal(r.method, "POST");
  assert.equal(r.headers["content-type"], "application/json");
  assert.equal(r.headers.accept, "application/json");
  assert.equal(r.headers.authorization, undefined);
}

test("default base URL and domain validation", async () => {
  const c = new AlphaLearn();
  const req = c.buildLogin({ email: EMAIL, password: "p" });
  assert.equal(req.url, "https://api.alphalearn.com/v3/authorize/login");
  assert.deepEqual(req.headers, { "Content-Type": "application/json", Accept: "application/json" });
  await rejectsWith(() => new AlphaLearn({ domain: "https://lms.example.com" }), "INVALID_CONFIG");
  await rejectsWith(() => new AlphaLearn({ baseUrl: "http://api.alphalearn.com/v3" }), "INVALID_CONFIG");
  await rejectsWith(() => client().login({ email: EMAIL, password: PASSWORD, domain: "evil.com/x" }), "INVALID_INPUT");
  assert.equal(server.requests.length, 0);
});

test("login: exact request, numbers as strings, refresh-token renamed; domain per call / constructor / omitted", async () => {
  const r = await client().login({ email: EMAIL, password: PASSWORD });
  assert.deepEqual(r.user, EXPECTED_USER);
  assert.ok(al.isValid(r.token));
  assert.ok(al.refreshTokens.has(r.refreshToken));
  assert.deepEqual(Object.keys(r), ["user", "token", "refreshToken"]);
  const [req] = server.seen("POST", paths.login);
  checkHeaders(req);
  assert.equal(req.body, `{"email":"${EMAIL}","password":"${PASSWORD}"}`);

  await client({ domain: "lms.example.com" }).login({ email: EMAIL, password: PASSWORD });
  assert.equal(server.seen("POST", paths.login)[1].body, `{"email":"${EMAIL}","password":"${PASSWORD}","domain":"lms.example.com"}`);
  await client({ domain: "lms.example.com" }).login({ email: EMAIL, password: PASSWORD, domain: al.domain });
  assert.equal(server.seen("POST", paths.login)[2].body, `{"email":"${EMAIL}","password":"${PASSWORD}","domain":"${al.domain}"}`);
  assert.deepEqual(al.violations, []);
});

test("login: numbers as numbers also parse; a missing token is RESPONSE_MALFORMED", async () => {
  server.queue("POST", paths.login, { status: 200, json: envelope({ user: { ...EXPECTED_USER }, token: "t1", "refresh-token": "r1" }) });
  const r = await client().login({ email: EMAIL, password: PASSWORD });
  assert.deepEqual(r, { user: EXPECTED_USER, token: "t1", refreshToken: "r1" });
  server.queue("POST", paths.login, { status: 200, json: envelope({ user: { ...EXPECTED_USER }, "refresh-token": "r1" }) });
  await rejectsWith(() => client().login({ email: EMAIL, password: PASSWORD }), "RESPONSE_MALFORMED", { vendor: "alphalearn", status: 200 });
  server.queue("POST", paths.login, { status: 200, json: envelope({ user: { ...EXPECTED_USER, id: "10x" }, token: "t", "refresh-token": "r" }) });
  await rejectsWith(() => client().login({ email: EMAIL, password: PASSWORD }), "RESPONSE_MALFORMED");
});

test("login errors from the mock: 1001-1006 with the documented meaning; no password leaks", async () => {
  const cases = [
    [{ email: "nobody@example.com", password: PASSWORD }, "1002", "AUTH_FAILED"],
    [{ email: EMAIL, password: "wrong-password-123" }, "1004", "AUTH_FAILED"],
    [{ email: EMAIL, password: PASSWORD, domain: "other.example.com" }, "1006", "VENDOR_ERROR"],
  ];
  for (const [input, vendorCode, code] of cases) {
    const e = await rejectsWith(() => client().login(input), code, { vendorCode, status: 200, vendor: "alphalearn", retryable: false });
    assert.equal(e.message, `AlphaLearn ${vendorCode}: ${ERROR_MEANINGS[vendorCode]}`);
    await assertNoSecrets(e, [input.password]);
  }
});

test("every code inside HTTP 200, as string and number, per route; unknown codes; echoed secrets scrubbed", async () => {
  const table = {
    1001: ["VENDOR_ERROR", "VENDOR_ERROR"], 1002: ["AUTH_FAILED", "VENDOR_ERROR"], 1003: ["VENDOR_ERROR", "VENDOR_ERROR"],
    1004: ["AUTH_FAILED", "AUTH_FAILED"], 1005: ["VENDOR_ERROR", "VENDOR_ERROR"], 1006: ["VENDOR_ERROR", "VENDOR_ERROR"],
    1016: ["VENDOR_ERROR", "VENDOR_ERROR"], 1017: ["AUTH_FAILED", "AUTH_FAILED"], 1028: ["VENDOR_ERROR", "VENDOR_ERROR"],
    1029: ["VENDOR_ERROR", "VENDOR_ERROR"], 1030: ["VENDOR_ERROR", "VENDOR_ERROR"], 1031: ["AUTH_FAILED", "AUTH_FAILED"],
  };
  const c = client();
  for (const [code, [onLogin, onForgot]] of Object.entries(table)) {
    for (const wire of [code, Number(code)]) {
      const echo = { internalMessage: `bad password: ${PASSWORD}`, moreInfo: [{ password: PASSWORD, field: "email" }] };
      server.queue("POST", paths.login, alphaError(wire, echo));
      const e = await rejectsWith(() => c.login({ email: EMAIL, password: PASSWORD }), onLogin, { vendorCode: code, status: 200 });
      assert.equal(e.message, `AlphaLearn ${code}: ${ERROR_MEANINGS[code]}`);
      assert.deepEqual(Object.keys(e.details).sort(), ["internal_message", "moreInfo"]);
      assert.equal(e.details.moreInfo[0].field, "email");
      await assertNoSecrets(e, [PASSWORD]);
      server.queue("POST", paths.forgot, alphaError(wire));
      await rejectsWith(() => c.forgotPassword({ email: EMAIL }), onForgot, { vendorCode: code, status: 200 });
    }
  }
  // The code wins whatever the status; unknown codes are VENDOR_ERROR.
  server.queue("POST", paths.refresh, alphaError("1017", { status: 400 }));
  await rejectsWith(() => c.refreshToken("rt-x"), "AUTH_FAILED", { vendorCode: "1017", status: 400 });
  server.queue("POST", paths.third, alphaError(9999, { internalMessage: "Something odd" }));
  const e = await rejectsWith(() => c.loginWithThirdParty({ provider: "google", token: "g" }), "VENDOR_ERROR", { vendorCode: "9999" });
  assert.equal(e.message, "AlphaLearn 9999: Something odd");
});

test("envelope and status rules without a code", async () => {
  const c = client();
  const login = () => c.login({ email: EMAIL, password: PASSWORD });
  // success:false without a code; success:true with a non-2xx status
  server.queue("POST", paths.login, alphaError("", { success: false }));
  let e = await rejectsWith(login, "VENDOR_ERROR", { status: 200 });
  assert.equal(e.vendorCode, undefined);
  server.queue("POST", paths.login, { status: 500, json: envelope({ token: "x" }) });
  e = await rejectsWith(login, "VENDOR_ERROR", { status: 500 });
  server.queue("POST", paths.login, { status: 401, body: "Unauthorized" });
  await rejectsWith(login, "AUTH_FAILED", { status: 401 });
  server.queue("POST", paths.login, { status: 404, body: "nope" });
  await rejectsWith(login, "NOT_FOUND", { status: 404 });
  server.queue("POST", paths.login, { status: 500, body: "oops" });
  await rejectsWith(login, "HTTP_STATUS", { status: 500 });
  server.queue("POST", paths.login, { status: 200, headers: { "content-type": "text/html" }, body: "<html>maintenance</html>" });
  await rejectsWith(login, "RESPONSE_MALFORMED", { status: 200 });
  server.queue("POST", paths.login, { status: 200, json: { success: true, data: { response: { error: { code: "" } } } } });
  await rejectsWith(login, "RESPONSE_MALFORMED");
});

test("503 then 200: login, refresh and third-party retried; forgotPassword not", async () => {
  const c = client({ retries: 2 });
  server.queue("POST", paths.login, { status: 503, headers: { "retry-after": "0" }, body: "" });
  const r = await c.login({ email: EMAIL, password: PASSWORD });
  assert.equal(server.seen("POST", paths.login).length, 2);
  server.queue("POST", paths.refresh, { status: 503, headers: { "retry-after": "0" }, body: "" });
  await c.refreshToken(r.refreshToken);
  assert.equal(server.seen("POST", paths.refresh).length, 2);
  server.queue("POST", paths.third, { status: 503, headers: { "retry-after": "0" }, body: "" });
  await c.loginWithThirdParty({ provider: "google", token: "google-id-token-ada" });
  assert.equal(server.seen("POST", paths.third).length, 2);
  server.queue("POST", paths.forgot, { status: 503, headers: { "retry-after": "0" }, body: "" });
  await rejectsWith(() => c.forgotPassword({ email: EMAIL }), "HTTP_STATUS", { status: 503, retryable: true });
  assert.equal(server.seen("POST", paths.forgot).length, 1);
});

test("refreshToken: exact body, { token } only; refused and missing", async () => {
  const c = client();
  const { refreshToken } = await c.login({ email: EMAIL, password: PASSWORD });
  const r = await c.refreshToken(refreshToken);
  assert.deepEqual(Object.keys(r), ["token"]);
  assert.ok(al.isValid(r.token));
  const req = server.seen("POST", paths.refresh)[0];
  checkHeaders(req);
  assert.equal(req.body, `{"refreshToken":"${refreshToken}"}`);
  const e = await rejectsWith(() => c.refreshToken("rt-unknown-0123456789"), "AUTH_FAILED", { vendorCode: "1017" });
  await assertNoSecrets(e, ["rt-unknown-0123456789"]);
  await rejectsWith(() => c.refreshToken(""), "INVALID_INPUT");
  await rejectsWith(() => c.refreshToken(42), "INVALID_INPUT");
  assert.equal(server.seen("POST", paths.refresh).length, 2);
});

test("loginWithThirdParty: google → 1, thirdPartyData.token; others INVALID_INPUT; refused token", async () => {
  const c = client();
  const r = await c.loginWithThirdParty({ provider: "google", token: "google-id-token-ada" });
  assert.deepEqual(r.user, EXPECTED_USER);
  const req = server.seen("POST", paths.third)[0];
  checkHeaders(req);
  assert.equal(req.body, '{"provider":1,"thirdPartyData":{"token":"google-id-token-ada"}}');
  for (const provider of ["facebook", "Google", 1, undefined]) {
    await rejectsWith(() => c.loginWithThirdParty({ provider, token: "g" }), "INVALID_INPUT");
  }
  const e = await rejectsWith(() => c.loginWithThirdParty({ provider: "google", token: "forged-google-token" }), "AUTH_FAILED", { vendorCode: "1031" });
  await assertNoSecrets(e, ["forged-google-token"]);
  assert.equal(server.seen("POST", paths.third).length, 2);
});

test("forgotPassword: sendEmailNotification 1/2, overrideEmailUrl checked before sending", async () => {
  const c = client({ domain: al.domain });
  let r = await c.forgotPassword({ email: EMAIL });
  assert.ok(al.resetTokens.has(r.token));
  assert.equal(server.seen("POST", paths.forgot)[0].body, `{"email":"${EMAIL}","domain":"${al.domain}","sendEmailNotification":2}`);
  assert.equal(al.emailsSent.length, 0);
  await c.forgotPassword({ email: EMAIL, sendEmailNotification: false });
  assert.match(server.seen("POST", paths.forgot)[1].body, /"sendEmailNotification":2}$/);
  r = await c.forgotPassword({ email: EMAIL, sendEmailNotification: true, overrideEmailUrl: "https://app.example/reset/{token}" });
  assert.equal(server.seen("POST", paths.forgot)[2].body,
    `{"email":"${EMAIL}","domain":"${al.domain}","sendEmailNotification":1,"overrideEmailUrl":"https://app.example/reset/{token}"}`);
  assert.deepEqual(al.emailsSent, [{ to: EMAIL, link: `https://app.example/reset/${r.token}` }]);
  for (const overrideEmailUrl of ["https://app.example/reset", "http://app.example/reset/{token}", "/reset/{token}", "javascript:{token}"]) {
    await rejectsWith(() => c.forgotPassword({ email: EMAIL, overrideEmailUrl }), "INVALID_INPUT");
  }
  await rejectsWith(() => c.forgotPassword({ email: EMAIL, sendEmailNotification: 1 }), "INVALID_INPUT");
  assert.equal(server.seen("POST", paths.forgot).length, 3);
  await rejectsWith(() => c.forgotPassword({ email: "ghost@example.com" }), "VENDOR_ERROR", { vendorCode: "1002" });
  assert.deepEqual(al.violations, []);
});

test("sans-IO twins: build and parse for every call", async () => {
  const c = client({ domain: "lms.example.com" });
  const calls = [
    ["Login", { email: EMAIL, password: PASSWORD }, paths.login],
    ["RefreshToken", "rt-abc", paths.refresh],
    ["LoginWithThirdParty", { provider: "google", token: "google-id-token-ada" }, paths.third],
    ["ForgotPassword", { email: EMAIL }, paths.forgot],
  ];
  for (const [name, input, path] of calls) {
    const req = c[`build${name}`](input);
    assert.equal(req.method, "POST");
    assert.equal(req.url, `${al.baseUrl}${path.slice(3)}`);
    assert.deepEqual(req.headers, { "Content-Type": "application/json", Accept: "application/json" });
    assert.equal(typeof req.body, "string");
  }
  const req = c.buildLogin({ email: EMAIL, password: PASSWORD });
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  const parsed = c.parseLogin({ status: res.status, headers: res.headers, body: await res.text() });
  assert.deepEqual(parsed.user, EXPECTED_USER);
  const body = JSON.stringify(envelope({ status: "ok", token: "jwt-new" }));
  assert.deepEqual(c.parseRefreshToken({ status: 200, body }), { token: "jwt-new" });
  assert.deepEqual(c.parseForgotPassword({ status: 200, body: JSON.stringify(envelope({ token: "rst" })) }), { token: "rst" });
  const e = await rejectsWith(() => c.parseLoginWithThirdParty({ status: 200, body: JSON.stringify(alphaError("1031").json) }), "AUTH_FAILED");
  assert.equal(e.vendorCode, "1031");
  await rejectsWith(() => c.buildForgotPassword({ email: EMAIL, overrideEmailUrl: "https://x/y" }), "INVALID_INPUT");
  await rejectsWith(() => c.parseLogin({ status: 200, body: alphaError(1004).json ? JSON.stringify(alphaError(1004).json) : "" }), "AUTH_FAILED", { vendorCode: "1004" });
});

// ---- session helper ----

test("session: 50 concurrent calls with an expiring JWT make exactly one refresh", async () => {
  al.refreshDelayMs = 50;
  const c = client();
  const session = await AlphaLearnSession.login(c, { email: EMAIL, password: PASSWORD });
  assert.deepEqual(session.user, EXPECTED_USER);
  const first = session.token;
  assert.equal(session.expiresAt, Math.floor((T0 + 3_600_000) / 1000) * 1000, "expiry from the JWT's exp");
  assert.equal(await session.getToken(), first);
  clock = T0 + 56 * 60_000; // within 5 minutes of expiry
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      i % 2 ? session.getToken() : session.run(async (t) => {
        const res = await fetch(`${al.baseUrl}/users/me`, { headers: { authorization: `Bearer ${t}` } });
        assert.equal(res.status, 200);
        return t;
      }),
    ),
  );
  assert.equal(server.seen("POST", paths.refresh).length, 1);
  const fresh = session.token;
  assert.notEqual(fresh, first);
  assert.ok(results.every((t) => t === fresh));
  assert.equal(session.expiresAt, Math.floor((clock + 3_600_000) / 1000) * 1000);
  assert.equal(session.refreshToken, server.seen("POST", paths.refresh)[0].body.slice(17, -2));
  // Still valid: no further refresh.
  await session.getToken();
  assert.equal(server.seen("POST", paths.refresh).length, 1);
});

test("session.run: an AUTH_FAILED from fn refreshes once (single-flight) and retries", async () => {
  const c = client();
  const { token, refreshToken } = await c.login({ email: EMAIL, password: PASSWORD });
  const session = new AlphaLearnSession(c, { token, refreshToken });
  assert.equal(session.user, null);
  al.revokeToken(token); // the server forgets the JWT before its exp
  let calls = 0;
  const me = async (t) => {
    calls++;
    const res = await fetch(`${al.baseUrl}/users/me`, { headers: { authorization: `Bearer ${t}` } });
    if (res.status === 401) throw Object.assign(new Error("refused"), { code: "AUTH_FAILED" });
    return (await res.json()).data.response.data.user.email;
  };
  const out = await Promise.all(Array.from({ length: 10 }, () => session.run(me)));
  assert.deepEqual(out, Array(10).fill(EMAIL));
  assert.equal(calls, 20);
  assert.equal(server.seen("POST", paths.refresh).length, 1);
  // Other errors pass through without a refresh.
  await assert.rejects(session.run(() => { throw new TypeError("boom"); }), TypeError);
  assert.equal(server.seen("POST", paths.refresh).length, 1);
  // A token the session has no exp for: now + 60 min.
  const s2 = new AlphaLearnSession(c, { token: "opaque", refreshToken });
  assert.equal(s2.expiresAt, T0 + 3_600_000);
  await rejectsWith(() => new AlphaLearnSession(c, { token: "", refreshToken }), "INVALID_INPUT");
  await rejectsWith(() => new AlphaLearnSession(c, { token: "x" }), "INVALID_INPUT");
});

test("session: a refused refresh token → AUTH_FAILED for every caller, then at once", async () => {
  const c = client();
  const session = await AlphaLearnSession.login(c, { email: EMAIL, password: PASSWORD });
  const rt = session.refreshToken;
  const jwt = session.token;
  al.revokeRefreshToken(rt);
  clock = T0 + 61 * 60_000;
  const errors = await Promise.all(Array.from({ length: 5 }, () => session.getToken().catch((e) => e)));
  for (const e of errors) {
    assert.equal(e.code, "AUTH_FAILED");
    assert.equal(e.vendorCode, "1017");
    assert.match(e.message, /refresh token was refused, log in again/);
    await assertNoSecrets(e, [rt, jwt, PASSWORD]);
  }
  assert.equal(server.seen("POST", paths.refresh).length, 1);
  await rejectsWith(() => session.run(async () => 1), "AUTH_FAILED");
  assert.equal(server.seen("POST", paths.refresh).length, 1);
  // A failed login never leaks the password.
  const e = await rejectsWith(() => AlphaLearnSession.login(c, { email: EMAIL, password: "not-the-password" }), "AUTH_FAILED", { vendorCode: "1004" });
  await assertNoSecrets(e, ["not-the-password"]);
});

test("session: a transient refresh failure is not cached", async () => {
  const c = client();
  const session = await AlphaLearnSession.login(c, { email: EMAIL, password: PASSWORD });
  clock = T0 + 58 * 60_000;
  server.queue("POST", paths.refresh, { status: 500, body: "down" });
  await rejectsWith(() => session.getToken(), "HTTP_STATUS", { status: 500 });
  const t = await session.getToken();
  assert.ok(al.isValid(t));
  assert.equal(server.seen("POST", paths.refresh).length, 2);
});

// ---- form builder and hand-off helpers outside a browser ----

test("loginByJwtForm: type strings, exact inputData, loopback action", async () => {
  const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "jwt.a.b", type: "trainee", enrollmentId: 12555 });
  assert.deepEqual(form, {
    action: "https://lms.example.com/site/login-by-jwt-token", method: "POST",
    fields: { token: "jwt.a.b", type: "2", inputData: '{"enrollmentId":12555}' },
  });
  const f2 = AlphaLearn.loginByJwtForm({ domain: al.domain, token: "t", type: "admin", enrollmentId: "42" });
  assert.equal(f2.action, `http://${al.domain}/site/login-by-jwt-token`);
  assert.equal(f2.fields.type, "1");
  assert.equal(f2.fields.inputData, '{"enrollmentId":42}');
  for (const bad of [{ domain: "evil.com/x" }, { token: "" }, { type: "root" }, { enrollmentId: 0 }, { enrollmentId: "1e3" }]) {
    const e = await rejectsWith(() => AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "secret-jwt-value", type: "admin", enrollmentId: 1, ...bad }), "INVALID_INPUT");
    await assertNoSecrets(e, ["secret-jwt-value"]);
  }
});

test("renderAutoSubmitForm and submitForm validate alike; submitForm outside a browser → UNSUPPORTED_ENVIRONMENT", async () => {
  const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "jwt.a.b", type: "trainee", enrollmentId: 12555 });
  const page = renderAutoSubmitForm(form, { nonce: "abc123" });
  assert.ok(page.startsWith("<!doctype html>"));
  assert.ok(page.includes('<script nonce="abc123">'));
  assert.ok(page.includes('<button type="submit">Continue</button>'));
  assert.ok(page.includes('value="{&quot;enrollmentId&quot;:12555}"'));
  await rejectsWith(() => renderAutoSubmitForm(form, { nonce: "a b" }), "INVALID_INPUT");
  await rejectsWith(() => renderAutoSubmitForm(form, { nonce: 5 }), "INVALID_INPUT");
  await rejectsWith(() => renderAutoSubmitForm({ ...form, method: "GET" }), "INVALID_INPUT");
  await rejectsWith(() => renderAutoSubmitForm({ ...form, action: "http://lms.example.com/x" }), "INVALID_INPUT");
  await rejectsWith(() => renderAutoSubmitForm({ ...form, fields: { token: 1 } }), "INVALID_INPUT");
  const e = await rejectsWith(() => submitForm(form), "UNSUPPORTED_ENVIRONMENT");
  await assertNoSecrets(e, ["jwt.a.b"]);
});

test("AlphaLearnSession given something other than an AlphaLearn client → INVALID_INPUT", async () => {
  for (const notAClient of [{}, null, "client", new Map()]) {
    await rejectsWith(() => new AlphaLearnSession(notAClient, { token: "a.b.c", refreshToken: "r" }), "INVALID_INPUT");
  }
  // the instance keeps working afterwards
  assert.equal(AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "t", type: "admin", enrollmentId: 1 }).fields.type, "1");
});
