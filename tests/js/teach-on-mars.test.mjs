// Teach on Mars in Node (and one workerd run): every method against the mock, token
// caching and single-flight, 401 → refetch + retry, static-token mode, signIn in all
// four paths, deep links, sans-IO twins, X-TOM vectors.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { TeachOnMars, tomLegacyHeaders } from "lms-bridge";
import { rejectsWith, assertNoSecrets } from "./assert.mjs";
import { startMockServer } from "lms-bridge/testing";
import { installTeachOnMars, mockAppUrl } from "lms-bridge/testing";
import { startWorker, workerModule } from "./hosts.mjs";

const LEARNERS = "/api/identities/v1/learners";
const AUTH_TOKEN = "/api/learner-authorization/v1/learners/authToken";

let server;
let tom;
before(async () => {
  server = await startMockServer();
});
after(() => server.close());
beforeEach(() => {
  server.reset();
  tom = installTeachOnMars(server, { instance: "main" });
});

const client = (extra = {}) =>
  new TeachOnMars({
    baseUrl: server.origin,
    instance: "main",
    auth: { clientId: tom.clientId, clientSecret: tom.clientSecret, tokenUrl: tom.tokenUrl },
    retries: 1,
    timeoutMs: 2000,
    ...extra,
  });
const apiRequests = () => server.requests.filter((r) => r.path.startsWith("/api/"));
const secrets = () => [tom.clientSecret, ...tom.issuedTokens.keys()];

describe("token", () => {
  test("exact form body, bearer on every request, instance on every request", async () => {
    const tm = client();
    tom.addLearner({ login: "john.doe" });
    await tm.searchLearners("john");
    const [tokenReq] = server.seen("POST", "/oauth/token");
    assert.equal(tokenReq.body,
      `grant_type=client_credentials&client_id=tom-client-id&client_secret=${encodeURIComponent(tom.clientSecret).replaceAll("%20", "+")}`);
    assert.equal(tokenReq.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(tokenReq.headers.authorization, undefined);
    const [search] = server.seen("GET", LEARNERS);
    const [token] = tom.issuedTokens.keys();
    assert.equal(search.headers.authorization, `Bearer ${token}`);
    assert.equal(search.headers.accept, "application/json");
    assert.deepEqual(search.query, { search: "john", instance: "main" });
    assert.equal(await tm.getAccessToken(), token);
  });

  test("50 concurrent calls share exactly one token request", async () => {
    const tm = client();
    tom.addLearner({ login: "a" });
    const results = await Promise.all(Array.from({ length: 50 }, () => tm.searchLearners("a")));
    assert.equal(results.length, 50);
    assert.ok(results.every((r) => r.length === 1 && r[0].login === "a"));
    assert.equal(tom.tokenRequests, 1);
    assert.equal(server.seen("GET", LEARNERS).length, 50);
    const tokens = new Set(server.seen("GET", LEARNERS).map((r) => r.headers.authorization));
    assert.equal(tokens.size, 1);
  });

  test("cached until shortly before expires_in, then refetched", async () => {
    let now = 1_700_000_000_000;
    const tm = client({ now: () => now });
    await tm.searchLearners("x");
    now += 3000 * 1000; // 600 s left of 3600: still fresh (margin 360 s)
    await tm.searchLearners("x");
    assert.equal(tom.tokenRequests, 1);
    now += 250 * 1000; // 350 s left: inside the margin
    await tm.searchLearners("x");
    assert.equal(tom.tokenRequests, 2);
    const auths = server.seen("GET", LEARNERS).map((r) => r.headers.authorization);
    assert.equal(auths[0], auths[1]);
    assert.notEqual(auths[1], auths[2]);
  });

  test("401 on a revoked/expired token → one refetch and one retry", async () => {
    const tm = client();
    tom.addLearner({ login: "a" });
    await tm.searchLearners("a");
    tom.revokeTokens(); // the server expired it early
    const found = await tm.findLearnerByLogin("a");
    assert.equal(found.login, "a");
    assert.equal(tom.tokenRequests, 2);
    const auths = server.seen("GET", LEARNERS).map((r) => r.headers.authorization);
    assert.equal(auths.length, 3);
    assert.equal(auths[0], auths[1]);
    assert.notEqual(auths[1], auths[2]);
  });

  test("a second 401 → AUTH_FAILED, no further attempts", async () => {
    const tm = client();
    tom.rejectAllTokens = true;
    const e = await rejectsWith(() => tm.createLearner({ login: "a" }), "AUTH_FAILED",
      { status: 401, vendor: "teach-on-mars", vendorCode: "invalid_token" });
    assert.equal(tom.tokenRequests, 2);
    assert.equal(server.seen("POST", LEARNERS).length, 2);
    await assertNoSecrets(e, secrets());
  });

  test("bad client secret → AUTH_FAILED invalid_client, secret not leaked", async () => {
    const tm = new TeachOnMars({ baseUrl: server.origin, instance: "main", retries: 0,
      auth: { clientId: tom.clientId, clientSecret: "wrong-secret-value", tokenUrl: tom.tokenUrl } });
    const e = await rejectsWith(() => tm.searchLearners("a"), "AUTH_FAILED", { status: 401, vendorCode: "invalid_client" });
    await assertNoSecrets(e, ["wrong-secret-value"]);
    // A failure is not cached: the next call asks again.
    await rejectsWith(() => tm.getAccessToken(), "AUTH_FAILED");
    assert.equal(tom.tokenRequests, 2);
  });

  test("token endpoint 503 is retried (token requests are safe to repeat)", async () => {
    server.queue("POST", "/oauth/token", { status: 503, body: "" });
    const tm = client();
    await tm.searchLearners("a");
    assert.equal(tom.tokenRequests, 1);
    assert.equal(server.seen("POST", "/oauth/token").length, 2);
  });

  test("static accessToken: used as is, never refreshed; 401 → AUTH_FAILED at once", async () => {
    tom.addStaticToken("static-bearer-123");
    const tm = new TeachOnMars({ baseUrl: server.origin, instance: "main", auth: { accessToken: "static-bearer-123" } });
    tom.addLearner({ login: "a" });
    assert.equal((await tm.searchLearners("a")).length, 1);
    assert.equal(server.seen("GET", LEARNERS)[0].headers.authorization, "Bearer static-bearer-123");
    assert.equal(await tm.getAccessToken(), "static-bearer-123");
    assert.equal(tm.buildSearchLearners("a").headers.Authorization, "Bearer static-bearer-123");
    tom.revokeTokens();
    const e = await rejectsWith(() => tm.searchLearners("a"), "AUTH_FAILED", { status: 401 });
    await assertNoSecrets(e, ["static-bearer-123"]);
    assert.equal(tom.tokenRequests, 0);
    assert.equal(server.seen("GET", LEARNERS).length, 2);
  });

  test("bad configuration → INVALID_CONFIG without echoing secrets", async () => {
    const base = { baseUrl: server.origin, auth: { accessToken: "t" } };
    await rejectsWith(() => new TeachOnMars({ ...base, baseUrl: "http://example.com" }), "INVALID_CONFIG");
    await rejectsWith(() => new TeachOnMars({ baseUrl: server.origin }), "INVALID_CONFIG");
    await rejectsWith(() => new TeachOnMars({ ...base, deepLinkScheme: "https" }), "INVALID_CONFIG");
    const e = await rejectsWith(() => new TeachOnMars({ baseUrl: server.origin,
      auth: { clientId: "c", clientSecret: "super-secret-xyz", tokenUrl: "ftp://super-secret-xyz" } }), "INVALID_CONFIG");
    await assertNoSecrets(e, ["super-secret-xyz"]);
  });
});

describe("learner routes", () => {
  test("createLearner: exact body, typed Learner, never retried", async () => {
    const tm = client();
    const l = await tm.createLearner({ login: "john.doe", firstname: "John", lastname: "Doe", email: "j@co.com",
      password: "pw-123456", segment: { country: ["FRANCE"] }, lang: "en-GB" });
    const [req] = server.seen("POST", LEARNERS);
    assert.equal(req.body, '{"login":"john.doe","firstname":"John","lastname":"Doe","email":"j@co.com","password":"pw-123456","segment":{"country":["FRANCE"]},"lang":"en-GB"}');
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(req.query, { instance: "main" });
    const stored = tom.learners.get(l.identifier);
    assert.deepEqual(l, { identifier: stored.identifier, login: "john.doe", email: "j@co.com", firstname: "John",
      lastname: "Doe", lang: "en-GB", status: "Active", metadata: { country: ["FRANCE"] }, raw: { ...stored } });
    // Never retried: a 503 is reported, not repeated.
    server.queue("POST", LEARNERS, { status: 503, body: "" });
    await rejectsWith(() => tm.createLearner({ login: "x" }), "HTTP_STATUS", { status: 503, retryable: true });
    assert.equal(server.seen("POST", LEARNERS).length, 2);
  });

  test("createLearner: 409 → CONFLICT with vendorCode; bad input → INVALID_INPUT before any request", async () => {
    const tm = client();
    tom.addLearner({ login: "taken" });
    await rejectsWith(() => tm.createLearner({ login: "taken" }), "CONFLICT",
      { status: 409, vendorCode: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS", vendor: "teach-on-mars" });
    const before = server.requests.length;
    for (const bad of [{}, { login: "" }, { login: "a", segment: { country: "FRANCE" } }, { login: "a", segment: { c: [1] } }, "john"]) {
      await rejectsWith(() => tm.createLearner(bad), "INVALID_INPUT");
    }
    const e = await rejectsWith(() => tm.createLearner({ login: "a", password: "pw-secret-9", email: "nope" }), "INVALID_INPUT");
    assert.match(e.message, /email/);
    await assertNoSecrets(e, ["pw-secret-9"]);
    assert.equal(server.requests.length, before);
  });

  test("updateLearner: PUT with only the given fields; retried; 404 → NOT_FOUND", async () => {
    const tm = client();
    const l = tom.addLearner({ login: "jo", firstname: "Jo", lastname: "Smith" });
    server.queue("PUT", `${LEARNERS}/${l.identifier}`, { status: 503, body: "" });
    const updated = await tm.updateLearner(l.identifier, { lastname: "Doe", segment: { team: ["a", "b"] } });
    const puts = server.seen("PUT", `${LEARNERS}/${l.identifier}`);
    assert.equal(puts.length, 2);
    assert.equal(puts[1].body, '{"lastname":"Doe","segment":{"team":["a","b"]}}');
    assert.deepEqual(puts[1].query, { instance: "main" });
    assert.equal(updated.firstname, "Jo");
    assert.equal(updated.lastname, "Doe");
    assert.deepEqual(updated.metadata, { team: ["a", "b"] });
    await rejectsWith(() => tm.updateLearner("no-such/id", { lang: "fr" }), "NOT_FOUND",
      { status: 404, vendorCode: "LEARNER_NOT_FOUND" });
    assert.equal(server.seen("PUT", `${LEARNERS}/no-such%2Fid`).length, 1);
    await rejectsWith(() => tm.updateLearner(l.identifier, {}), "INVALID_INPUT");
    await rejectsWith(() => tm.updateLearner("", { lang: "fr" }), "INVALID_INPUT");
  });

  test("searchLearners: every list shape; findLearnerByLogin: exact match only", async () => {
    const tm = client();
    tom.addLearner({ login: "john.doe", firstname: "John" });
    tom.addLearner({ login: "John", firstname: "J" });
    for (const shape of ["array", "data", "list", "envelope"]) {
      tom.searchShape = shape;
      const hits = await tm.searchLearners("john");
      assert.deepEqual(hits.map((h) => h.login).sort(), ["John", "john.doe"], shape);
    }
    assert.equal(server.seen("GET", LEARNERS).at(-1).query.search, "john");
    assert.equal((await tm.findLearnerByLogin("john.doe")).login, "john.doe");
    assert.equal((await tm.findLearnerByLogin("John")).login, "John");
    assert.equal(await tm.findLearnerByLogin("john"), null); // fuzzy hits only
    assert.equal(await tm.findLearnerByLogin("j.doe@nowhere"), null);
    await rejectsWith(() => tm.findLearnerByLogin(""), "INVALID_INPUT");
  });

  test("getAuthToken: exact PascalCase body, never retried, 404 → NOT_FOUND", async () => {
    const tm = client();
    const l = tom.addLearner({ login: "a" });
    tom.nextAuthToken = "a+b/c=d&e";
    assert.equal(await tm.getAuthToken(l.identifier), "a+b/c=d&e");
    const [req] = server.seen("POST", AUTH_TOKEN);
    assert.equal(req.body, JSON.stringify({ UserIdentifier: l.identifier }));
    assert.deepEqual(req.query, { instance: "main" });
    await rejectsWith(() => tm.getAuthToken("46e11440-0000"), "NOT_FOUND", { status: 404 });
    server.queue("POST", AUTH_TOKEN, { status: 502, body: "" });
    await rejectsWith(() => tm.getAuthToken(l.identifier), "HTTP_STATUS", { status: 502 });
    assert.equal(server.seen("POST", AUTH_TOKEN).length, 3);
  });
});

describe("signIn", () => {
  const profile = { login: "john.doe", firstname: "John", lastname: "Doe", email: "j@co.com", password: "pw-s3cret", segment: { country: ["FRANCE"] } };
  const decoded = (link) => {
    const u = new URL(link);
    return { scheme: u.protocol, host: u.host, authToken: u.searchParams.get("authToken"), profileCreation: u.searchParams.get("profileCreation") };
  };

  test("exists: no create, no update, auth token and deep link", async () => {
    const tm = client();
    const l = tom.addLearner({ login: "john.doe", firstname: "Old" });
    const r = await tm.signIn(profile);
    assert.equal(r.created, false);
    assert.equal(r.learner.identifier, l.identifier);
    assert.equal(r.learner.firstname, "Old");
    assert.equal(tom.authTokens.get(r.authToken), l.identifier);
    assert.deepEqual(decoded(r.deepLink), { scheme: "com.teachonmars:", host: "globals.login", authToken: r.authToken, profileCreation: "false" });
    assert.deepEqual(apiRequests().map((q) => `${q.method} ${q.path}`), [`GET ${LEARNERS}`, `POST ${AUTH_TOKEN}`]);
  });

  test("created: find → create → auth token; profileCreation=true", async () => {
    const tm = client({ deepLinkScheme: "com.acme.learn" });
    tom.addLearner({ login: "john.doe.senior" }); // a fuzzy hit that must not be used
    tom.nextAuthToken = "tok+/=&x";
    const r = await tm.signIn(profile, { update: true });
    assert.equal(r.created, true);
    assert.equal(r.learner.login, "john.doe");
    assert.equal(r.authToken, "tok+/=&x");
    assert.equal(r.deepLink, "com.acme.learn://globals.login?authToken=tok%2B%2F%3D%26x&profileCreation=true");
    assert.deepEqual(apiRequests().map((q) => `${q.method} ${q.path}`), [`GET ${LEARNERS}`, `POST ${LEARNERS}`, `POST ${AUTH_TOKEN}`]);
    assert.equal(JSON.parse(server.seen("POST", LEARNERS)[0].body).password, "pw-s3cret");
    assert.equal(tom.tokenRequests, 1);
  });

  test("race: create answers 409 (a concurrent create won) → find again and continue", async () => {
    const tm = client();
    tom.raceNextCreate = true;
    const r = await tm.signIn(profile);
    assert.equal(r.created, false);
    const winner = [...tom.learners.values()].find((l) => l.login === "john.doe");
    assert.equal(r.learner.identifier, winner.identifier);
    assert.equal(decoded(r.deepLink).profileCreation, "false");
    assert.deepEqual(apiRequests().map((q) => `${q.method} ${q.path}`),
      [`GET ${LEARNERS}`, `POST ${LEARNERS}`, `GET ${LEARNERS}`, `POST ${AUTH_TOKEN}`]);
  });

  test("race with update: the found learner is updated", async () => {
    const tm = client();
    tom.raceNextCreate = true;
    const r = await tm.signIn({ login: "john.doe", lastname: "Winner" }, { update: true });
    assert.equal(r.learner.lastname, "Winner");
    assert.deepEqual(apiRequests().map((q) => q.method), ["GET", "POST", "GET", "PUT", "POST"]);
  });

  test("409 but still absent → CONFLICT is rethrown", async () => {
    const tm = client();
    server.queue("POST", LEARNERS, { status: 409, json: { meta: { status: 409, msg: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS" }, response: {} } });
    await rejectsWith(() => tm.signIn(profile), "CONFLICT", { vendorCode: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS" });
  });

  test("update: existing learner updated with all fields but login and password", async () => {
    const tm = client();
    const l = tom.addLearner({ login: "john.doe", firstname: "Old" });
    const r = await tm.signIn(profile, { update: true });
    assert.equal(r.created, false);
    assert.equal(r.learner.firstname, "John");
    const [put] = server.seen("PUT", `${LEARNERS}/${l.identifier}`);
    assert.equal(put.body, '{"firstname":"John","lastname":"Doe","email":"j@co.com","segment":{"country":["FRANCE"]}}');
    // Nothing to update → no PUT.
    server.reset();
    await tm.signIn({ login: "john.doe", password: "x-pass" }, { update: true });
    assert.equal(server.seen("PUT", `${LEARNERS}/${l.identifier}`).length, 0);
  });

  test("bad profile / options → INVALID_INPUT without requests; errors never hold the password", async () => {
    const tm = client();
    await rejectsWith(() => tm.signIn({ firstname: "x" }), "INVALID_INPUT");
    await rejectsWith(() => tm.signIn({ login: "a" }, { update: "yes" }), "INVALID_INPUT");
    const e = await rejectsWith(() => tm.signIn({ login: "a", password: "pw-never-shown", segment: ["x"] }), "INVALID_INPUT");
    await assertNoSecrets(e, ["pw-never-shown"]);
    assert.equal(apiRequests().length, 0);
  });

  test("the mock app page shows the auth token of the deep link", async () => {
    const tm = client();
    tom.nextAuthToken = "mock+app/token=&1";
    const r = await tm.signIn({ login: "page.user" });
    const html = await (await fetch(mockAppUrl(server, r.deepLink))).text();
    assert.match(html, /<code id="auth-token">mock\+app\/token=&#38;1<\/code>/);
    assert.match(html, /Logged in as <strong>page\.user<\/strong>/);
  });
});

describe("deep links", () => {
  test("tokens with + / = & round-trip; profileCreation true/false/absent", () => {
    for (const token of ["a+b/c==", "x&y=z", "++//==&&", "plain", "é ü+/"]) {
      const link = TeachOnMars.deepLink(token, { profileCreation: true });
      assert.ok(link.startsWith("com.teachonmars://globals.login?authToken="));
      assert.ok(!/[+/=&]/.test(link.split("authToken=")[1].split("&profileCreation")[0]));
      const u = new URL(link);
      assert.equal(u.searchParams.get("authToken"), token);
      assert.equal(decodeURIComponent(link.split("authToken=")[1].split("&")[0]), token);
    }
    assert.equal(TeachOnMars.deepLink("t", { profileCreation: false }), "com.teachonmars://globals.login?authToken=t&profileCreation=false");
    assert.equal(TeachOnMars.deepLink("t"), "com.teachonmars://globals.login?authToken=t&profileCreation=null");
    assert.equal(TeachOnMars.deepLink("t", { profileCreation: null, scheme: "com.acme.app" }), "com.acme.app://globals.login?authToken=t&profileCreation=null");
  });

  test("bad schemes, empty token, bad options → INVALID_INPUT without the token", async () => {
    for (const scheme of ["javascript", "JavaScript", "data", "vbscript", "file", "http", "https", "HTTPS", "", "1app", "a b", "a:b", "a/b"]) {
      const e = await rejectsWith(() => TeachOnMars.deepLink("secret-auth-tok", { scheme }), "INVALID_INPUT");
      await assertNoSecrets(e, ["secret-auth-tok"]);
    }
    await rejectsWith(() => TeachOnMars.deepLink(""), "INVALID_INPUT");
    await rejectsWith(() => TeachOnMars.deepLink(42), "INVALID_INPUT");
    await rejectsWith(() => TeachOnMars.deepLink("t", { profileCreation: "yes" }), "INVALID_INPUT");
  });
});

describe("sans-IO twins", () => {
  test("build/parse for every network call with { accessToken }, cached or no token", async () => {
    const tm = client();
    await rejectsWith(() => tm.buildSearchLearners("a"), "INVALID_CONFIG");
    await rejectsWith(() => tm.buildSearchLearners("a", { accessToken: "" }), "INVALID_INPUT");
    const auth = { accessToken: "given-tok" };
    const create = tm.buildCreateLearner({ login: "a", segment: { c: ["x"] } }, auth);
    assert.deepEqual(create, { method: "POST", url: `${server.origin}${LEARNERS}?instance=main`,
      headers: { Accept: "application/json", Authorization: "Bearer given-tok", "Content-Type": "application/json" },
      body: '{"login":"a","segment":{"c":["x"]}}' });
    assert.deepEqual(tm.buildUpdateLearner("id/1", { lang: "fr" }, auth),
      { ...create, method: "PUT", url: `${server.origin}${LEARNERS}/id%2F1?instance=main`, body: '{"lang":"fr"}' });
    const search = tm.buildSearchLearners("a b&c", auth);
    assert.equal(search.url, `${server.origin}${LEARNERS}?search=a%20b%26c&instance=main`);
    assert.equal(search.body, undefined);
    assert.equal(tm.buildFindLearnerByLogin("jo", auth).url, `${server.origin}${LEARNERS}?search=jo&instance=main`);
    assert.equal(tm.buildGetAuthToken("id1", auth).body, '{"UserIdentifier":"id1"}');
    // After an async call, builders use the cached token.
    const token = await tm.getAccessToken();
    assert.equal(tm.buildGetAuthToken("id1").headers.Authorization, `Bearer ${token}`);

    // Run the exchanges over plain fetch.
    const send = async (req) => {
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
      return { status: res.status, headers: res.headers, body: await res.text() };
    };
    const l = tm.parseCreateLearner(await send(tm.buildCreateLearner({ login: "sans.io" })));
    assert.equal(l.login, "sans.io");
    assert.equal(tm.parseUpdateLearner(await send(tm.buildUpdateLearner(l.identifier, { firstname: "S" }))).firstname, "S");
    assert.equal(tm.parseSearchLearners(await send(tm.buildSearchLearners("sans"))).length, 1);
    assert.equal(tm.parseFindLearnerByLogin(await send(tm.buildFindLearnerByLogin("sans")), "sans"), null);
    assert.equal(tm.parseFindLearnerByLogin(await send(tm.buildFindLearnerByLogin("sans.io")), "sans.io").identifier, l.identifier);
    tom.nextAuthToken = "sio";
    assert.equal(tm.parseGetAuthToken(await send(tm.buildGetAuthToken(l.identifier))), "sio");
    await rejectsWith(() => tm.parseCreateLearner({ status: 409, body: JSON.stringify({ meta: { status: 409, msg: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS" }, response: {} }) }),
      "CONFLICT", { status: 409, vendorCode: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS" });
    await rejectsWith(() => tm.parseCreateLearner({ status: 200, body: JSON.stringify({ meta: { status: 409, msg: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS" }, response: {} }) }),
      "CONFLICT", { status: 200 });
    await rejectsWith(() => tm.parseGetAuthToken({ status: 200, body: "{}" }), "RESPONSE_MALFORMED");
    await rejectsWith(() => tm.parseSearchLearners({ status: 200, body: '{"nope":1}' }), "RESPONSE_MALFORMED");
    assert.deepEqual(tm.parseSearchLearners({ status: 200, body: '[{"learnerId":"v3","login":"x","status":"I"}]' }).map(({ identifier, status, metadata }) => ({ identifier, status, metadata })),
      [{ identifier: "v3", status: "Inactive", metadata: {} }]);
  });
});

describe("tomLegacyHeaders", () => {
  const base = { apiKey: "key-1", apiSecret: "s3cr3t-api-secret", app: "com.example.tom", timestamp: 1583309761, nonce: "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56" };

  test("derived vector 1 (POST with body)", () => {
    const h = tomLegacyHeaders({ ...base, method: "POST", url: "https://my-userdata.teachonmars.com/api/v3/verifyIdentityToken",
      body: '{"learnerId":"tGh36f20-9850-11e7-91f7-154587089c87","token":"sometokenobtainedfromtheapp"}' });
    assert.deepEqual(h, { "X-TOM-API-KEY": "key-1", "X-TOM-APP": "com.example.tom", "X-TOM-RTS": "1583309761",
      "X-TOM-NONCE": base.nonce, "X-TOM-API-HASH": "2c8ed6b1cfc2de3ba5bfed92c3e5bb5695ed8749a55940916488b1d14e69eeb5",
      "X-TOM-APPLICATION-LANGUAGE": "en" });
  });

  test("derived vector 2 (GET; a body is ignored)", () => {
    for (const body of [undefined, '{"ignored":true}']) {
      const h = tomLegacyHeaders({ ...base, method: "GET", url: "https://my-userdata.teachonmars.com/api/v3/learner?limit=10&page=1", body, language: "fr" });
      assert.equal(h["X-TOM-API-HASH"], "e7656e356793440ad97c7b47a4d456ca7b8a5259dd421b4bdb6ab1b94f4cda56");
      assert.equal(h["X-TOM-APPLICATION-LANGUAGE"], "fr");
      assert.equal(Object.keys(h).length, 6);
    }
  });

  test("generated nonce: 32 × [A-Za-z0-9], fresh each time; RTS in seconds", () => {
    const { nonce: _nonce, timestamp: _timestamp, ...rest } = base;
    const seen = new Set();
    for (let i = 0; i < 20; i++) {
      const t0 = Math.floor(Date.now() / 1000);
      const h = tomLegacyHeaders({ ...rest, method: "GET", url: "https://x.test/api/v3/learner" });
      assert.match(h["X-TOM-NONCE"], /^[A-Za-z0-9]{32}$/);
      seen.add(h["X-TOM-NONCE"]);
      assert.ok(Math.abs(Number(h["X-TOM-RTS"]) - t0) <= 1);
    }
    assert.equal(seen.size, 20);
  });

  test("signs a request the mock's v3 route accepts; bad input → INVALID_INPUT without the secret", async () => {
    tom.addLearner({ login: "legacy" });
    const url = `${server.origin}/api/v3/learner?limit=10&page=1`;
    const headers = tomLegacyHeaders({ method: "GET", url, ...tom.legacy });
    const res = await fetch(url, { headers });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).response.list[0].login, "legacy");
    const bad = await fetch(url, { headers: { ...headers, "X-TOM-NONCE": "other" } });
    assert.equal(bad.status, 401);
    for (const input of [{ ...base, method: "GET" }, { ...base, url: "https://x.test/" }, { ...base, method: "GET", url: "https://x.test/", nonce: "bad-nonce!" },
      { ...base, method: "GET", url: "https://x.test/", timestamp: -1 }, { ...base, method: "GET", url: "https://x.test/", apiSecret: "" }]) {
      const e = await rejectsWith(() => tomLegacyHeaders(input), "INVALID_INPUT");
      await assertNoSecrets(e, ["s3cr3t-api-secret"]);
    }
  });
});

test("workerd: signIn and sans-IO through the workerd entry", async () => {
  const src = workerModule(`
import { TeachOnMars, tomLegacyHeaders } from "lms-bridge";
export default {
  async fetch(request, env) {
    const tm = new TeachOnMars({ baseUrl: env.ORIGIN, instance: "main", retries: 0,
      auth: { clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, tokenUrl: env.ORIGIN + "/oauth/token" } });
    const r = await tm.signIn({ login: "worker.user", firstname: "W" });
    const again = await Promise.all([tm.findLearnerByLogin("worker.user"), tm.findLearnerByLogin("worker.user")]);
    const h = tomLegacyHeaders({ method: "GET", url: "https://x.test/", apiKey: "k", apiSecret: "s", app: "a" });
    // The sans-IO twins (twins.js), on the token signIn fetched.
    const built = tm.buildUpdateLearner(r.learner.identifier, { firstname: "V" });
    const parsed = tm.parseCreateLearner({ status: 201, body: JSON.stringify({ identifier: "L9", login: "w2" }) }, { login: "w2" });
    return Response.json({ created: r.created, login: r.learner.login, deepLink: r.deepLink, authToken: r.authToken,
      again: again.map((l) => l.identifier === r.learner.identifier), nonce: h["X-TOM-NONCE"],
      built: [built.method, built.url.startsWith(env.ORIGIN + "/api/identities/v1/learners/"), built.body], parsed: parsed.identifier });
  },
};`);
  const worker = await startWorker(src, { bindings: { ORIGIN: server.origin, CLIENT_ID: tom.clientId, CLIENT_SECRET: tom.clientSecret } });
  try {
    tom.nextAuthToken = "w+/=&";
    const res = await worker.dispatch();
    assert.equal(res.status, 200, res.text);
    const out = JSON.parse(res.text);
    assert.deepEqual(out.again, [true, true]);
    assert.equal(out.created, true);
    assert.equal(out.login, "worker.user");
    assert.equal(out.authToken, "w+/=&");
    assert.equal(out.deepLink, "com.teachonmars://globals.login?authToken=w%2B%2F%3D%26&profileCreation=true");
    assert.match(out.nonce, /^[A-Za-z0-9]{32}$/);
    assert.deepEqual(out.built, ["PUT", true, '{"firstname":"V"}']);
    assert.equal(out.parsed, "L9");
    assert.equal(tom.tokenRequests, 1);
  } finally {
    await worker.dispose();
  }
});
