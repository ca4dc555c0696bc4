// Hardening (issue 13): every numeric option accepts only a JS number (Infinity only where
// documented); `null`, strings such as "Infinity" or "300", booleans, objects, NaN and
// negatives are refused naming the option; only `undefined` means the default. A string
// must never switch a replay check off.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import * as lms from "lms-bridge";
import { AlphaLearn, LearnWorlds, MilesMasterclass, signUrl, signWebhook, TeachOnMars, verifySignedUrl, verifyWebhook, Webhook } from "lms-bridge";
import { packageWasmMemory } from "../../bench/harness.mjs";
import { outcome, rejectsWith } from "./assert.mjs";
import { pkgDir } from "./hosts.mjs";

const NOW = 1_700_000_000_000;
const CB_SECRET = "whsec_" + Buffer.from("hardening-callback-secret").toString("base64");
const NOT_NUMBERS = [null, "Infinity", "300", "", true, {}, [], NaN, -1];
const payload = JSON.stringify({ event: "video.completed", email: "ann@example.com", lms_user_id: 42, status: "completed" });
const mm = (opts) => new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-hardening-key", now: () => NOW, ...opts });
const oldCallback = () => signWebhook(payload, { scheme: "standard-webhooks", secret: CB_SECRET, timestamp: NOW / 1000 - 86_400 * 365, id: "msg_old" });

test("Miles Masterclass callback.toleranceSeconds: a string never turns the replay check off", async () => {
  for (const bad of NOT_NUMBERS) {
    const e = await rejectsWith(() => mm({ callback: { secret: CB_SECRET, toleranceSeconds: bad } }), "INVALID_CONFIG");
    assert.match(e.message, /callback\.toleranceSeconds/, String(bad));
  }
  // The default (300 s) refuses a year-old callback; only the number Infinity turns the check off.
  await rejectsWith(() => mm({ callback: { secret: CB_SECRET } }).verifyProgressCallback(payload, oldCallback()), "TIMESTAMP_OUT_OF_TOLERANCE");
  await rejectsWith(() => mm({ callback: { secret: CB_SECRET, toleranceSeconds: 60 } }).verifyProgressCallback(payload, oldCallback()), "TIMESTAMP_OUT_OF_TOLERANCE");
  assert.equal(mm({ callback: { secret: CB_SECRET, toleranceSeconds: Infinity } }).verifyProgressCallback(payload, oldCallback()).event, "video.completed");
  // The caller's options object is not changed by the client.
  const options = { baseUrl: "https://mm.example.com/api", apiKey: "mm-key", callback: { secret: CB_SECRET, toleranceSeconds: Infinity } };
  new MilesMasterclass(options);
  assert.equal(options.callback.toleranceSeconds, Infinity);
});

test("transport options: timeoutMs, retries, maxResponseBytes take numbers only", async () => {
  for (const name of ["timeoutMs", "retries", "maxResponseBytes"]) {
    for (const bad of NOT_NUMBERS) {
      const e = await rejectsWith(() => mm({ [name]: bad }), "INVALID_CONFIG");
      assert.match(e.message, new RegExp(name), `${name}: ${String(bad)}`);
    }
    mm({ [name]: undefined });
  }
  for (const bad of [null, "30", true, { requests: "30", perMs: 10_000 }]) {
    await rejectsWith(() => new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-token", rateLimit: bad }), "INVALID_CONFIG");
  }
});

test("signing options: now, toleranceSeconds, timestamp, expiresInSeconds take numbers only", async () => {
  const secret = "whsec_" + Buffer.from("hardening").toString("base64");
  const h = signWebhook("x", { scheme: "standard-webhooks", secret, timestamp: NOW / 1000 - 3600 });
  for (const bad of NOT_NUMBERS) {
    await rejectsWith(() => verifyWebhook("x", h, { scheme: "standard-webhooks", secret, now: bad }), "INVALID_INPUT");
    await rejectsWith(() => signWebhook("x", { scheme: "stripe", secret, timestamp: bad }), "INVALID_INPUT");
    await rejectsWith(() => signUrl("https://lms.example/", { secret, now: NOW, expiresInSeconds: bad }), "INVALID_INPUT");
    await rejectsWith(() => verifySignedUrl("https://lms.example/?expires=1&sig=x", { secret, now: bad }), "INVALID_INPUT");
    if (bad !== -1 && !Number.isNaN(bad)) {
      // A string "Infinity" must not accept a stale message: it is refused outright.
      const e = await rejectsWith(() => verifyWebhook("x", h, { scheme: "standard-webhooks", secret, now: NOW, toleranceSeconds: bad }), "INVALID_INPUT");
      assert.match(e.message, /toleranceSeconds/);
      await rejectsWith(() => new Webhook({ scheme: "standard-webhooks", secret, toleranceSeconds: bad }), "INVALID_INPUT");
    }
  }
  await rejectsWith(() => verifyWebhook("x", h, { scheme: "standard-webhooks", secret, now: NOW }), "TIMESTAMP_OUT_OF_TOLERANCE");
  assert.equal(verifyWebhook("x", h, { scheme: "standard-webhooks", secret, now: NOW, toleranceSeconds: Infinity }).secretIndex, 0);
  await rejectsWith(() => signUrl("https://lms.example/", { secret, now: NOW, expiresInSeconds: Infinity }), "INVALID_INPUT");
  // A timestamp is signed only if a verifier can read it back (at most 15 digits).
  for (const scheme of ["standard-webhooks", "stripe"]) {
    const last = signWebhook("x", { scheme, secret, timestamp: 999_999_999_999_999 });
    assert.equal(verifyWebhook("x", last, { scheme, secret, toleranceSeconds: Infinity }).timestamp, 999_999_999_999_999);
    for (const timestamp of [1e15, 1e20, Infinity]) {
      const e = await rejectsWith(() => signWebhook("x", { scheme, secret, timestamp }), "INVALID_INPUT");
      assert.match(e.message, /timestamp/);
    }
  }
});

test("plain http only for exactly localhost, 127.0.0.0/8 and [::1]; never *.localhost", async () => {
  const { AlphaLearn, TeachOnMars } = await import("lms-bridge");
  const make = {
    mm: (u) => new MilesMasterclass({ baseUrl: u, apiKey: "mm-key" }),
    al: (u) => new AlphaLearn({ baseUrl: u }),
    tom: (u) => new TeachOnMars({ baseUrl: u, auth: { accessToken: "tom-token" } }),
    lw: (u) => new LearnWorlds({ schoolUrl: u, clientId: "c", accessToken: "lw-token" }),
  };
  for (const [vendor, fn] of Object.entries(make)) {
    for (const bad of ["http://app.localhost:8080", "http://evil.localhost", "http://localhost.evil.com", "http://10.0.0.1", "http://[::2]:80"]) {
      await rejectsWith(() => fn(bad), "INVALID_CONFIG", {}, `${vendor} ${bad}`);
    }
    for (const ok of ["http://localhost:8080", "http://127.0.0.1:9", "http://127.9.9.9", "http://[::1]:3000", "https://app.localhost"]) {
      fn(ok);
    }
  }
  const form = (domain) => AlphaLearn.loginByJwtForm({ domain, token: "a.b.c", type: "trainee", enrollmentId: 1 }).action;
  assert.ok(form("app.localhost:3000").startsWith("https://"), form("app.localhost:3000"));
  assert.ok(form("localhost:3000").startsWith("http://localhost:3000/"));
  assert.ok(form("127.0.0.1:3000").startsWith("http://127.0.0.1:3000/"));
});

test("secrets echoed by a vendor: vendorCode scrubbed, sans-IO parsers scrub their secret arguments", async () => {
  const { AlphaLearn, TeachOnMars } = await import("lms-bridge");
  const { assertNoSecrets } = await import("./assert.mjs");
  const json = (status, body) => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  // Teach on Mars puts meta.msg into vendorCode: a configured token echoed there is removed.
  const TOKEN = "tom-hardening-token-42";
  const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: TOKEN } });
  const e1 = await rejectsWith(() => tom.parseCreateLearner(json(400, { meta: { status: 400, msg: `BAD_TOKEN_${TOKEN}` }, response: {} })), "VENDOR_ERROR");
  assert.equal(e1.vendorCode, "BAD_TOKEN_[redacted]");
  await assertNoSecrets(e1, [TOKEN]);
  // AlphaLearn echoing the password of the login being parsed.
  const PASSWORD = "hunter2-hardening";
  const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3" });
  const echo = json(200, { success: false, data: { response: { acknowledgement: "Failure", data: {},
    error: { code: "1004", internal_message: `wrong password ${PASSWORD}`, moreInfo: [PASSWORD] } } } });
  const e2 = await rejectsWith(() => al.parseLogin(echo, { email: "ada@example.com", password: PASSWORD }), "AUTH_FAILED");
  await assertNoSecrets(e2, [PASSWORD]);
  // LearnWorlds echoing the refresh token given to parseRefreshUserToken.
  const REFRESH = "lw-refresh-hardening-77";
  const lw = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-app-token-x" });
  const e3 = await rejectsWith(() => lw.parseRefreshUserToken(json(400, { errors: [{ code: 400, context: "invalid_request", message: `refresh ${REFRESH} unknown` }], success: false }), REFRESH), "AUTH_FAILED");
  await assertNoSecrets(e3, [REFRESH]);
});

test("configured secrets shorter than 4 characters are refused (they could not be scrubbed)", async () => {
  const { TeachOnMars } = await import("lms-bridge");
  const make = [
    (k) => new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: k }),
    (k) => new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-key", callback: { apiKey: k } }),
    (k) => new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { clientId: "id", clientSecret: k, tokenUrl: "https://tom.example.com/oauth/token" } }),
    (k) => new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: k } }),
    (k) => new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", clientSecret: k }),
    (k) => new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: k }),
  ];
  for (const fn of make) {
    for (const short of ["a", "ab", "abc"]) await rejectsWith(() => fn(short), "INVALID_CONFIG");
    fn("abcd");
  }
});

test("odd but legal input: thousands of headers verify; a limit says which; tomLegacyHeaders takes bytes", async () => {
  const { tomLegacyHeaders } = await import("lms-bridge");
  const secret = "whsec_" + Buffer.from("many-headers").toString("base64");
  const signed = signWebhook(payload, { scheme: "standard-webhooks", secret: CB_SECRET, timestamp: NOW / 1000, id: "msg_many" });
  const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x-proxy-${i}`, `hop-${i}`]));
  // Callback verification (vendor path) and webhook verification (signing path).
  assert.equal(mm({ callback: { secret: CB_SECRET } }).verifyProgressCallback(payload, { ...many, ...signed }).event, "video.completed");
  const hooked = signWebhook("x", { scheme: "standard-webhooks", secret, timestamp: NOW / 1000 });
  assert.equal(verifyWebhook("x", new Headers({ ...many, ...hooked }), { scheme: "standard-webhooks", secret, now: NOW }).secretIndex, 0);
  const tooMany = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`x-proxy-${i}`, "v"]));
  const e = await rejectsWith(() => mm({ callback: { secret: CB_SECRET } }).verifyProgressCallback(payload, { ...tooMany, ...signed }), "INVALID_INPUT");
  assert.match(e.message, /10000/);
  // tomLegacyHeaders: a body as bytes hashes as the same text.
  const base = { method: "POST", url: "https://tom.example.com/api/v3/x", apiKey: "key-1", apiSecret: "tom-legacy-secret", app: "com.example", timestamp: 1_700_000_000, nonce: "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56" };
  const text = tomLegacyHeaders({ ...base, body: '{"a":"é"}' });
  assert.deepEqual(tomLegacyHeaders({ ...base, body: new TextEncoder().encode('{"a":"é"}') }), text);
  assert.deepEqual(tomLegacyHeaders({ ...base, body: new TextEncoder().encode('{"a":"é"}').buffer }), text);
});

test("a bare host (no scheme) means https for every vendor's base or school URL", async () => {
  const { AlphaLearn, TeachOnMars } = await import("lms-bridge");
  const urls = [
    new MilesMasterclass({ baseUrl: "mm.example.com/api", apiKey: "mm-key" }).buildAutoSubscribe({ email: "a@b.co", lmsUserId: "1" }).url,
    new AlphaLearn({ baseUrl: "al.example.com/v3" }).buildLogin({ email: "a@b.co", password: "pw-1" }).url,
    new TeachOnMars({ baseUrl: "tom.example.com", auth: { accessToken: "tom-token" } }).buildCreateLearner({ login: "ann" }).url,
    new LearnWorlds({ schoolUrl: "school.example.com", clientId: "c", accessToken: "lw-token" }).buildSso({ email: "a@b.co", username: "a" }).url,
  ];
  assert.deepEqual(urls.map((u) => new URL(u).origin), ["https://mm.example.com", "https://al.example.com", "https://tom.example.com", "https://school.example.com"]);
  for (const bad of ["javascript:alert(1)", "user:pw@mm.example.com"]) {
    await rejectsWith(() => new MilesMasterclass({ baseUrl: bad, apiKey: "mm-key" }), "INVALID_CONFIG");
  }
});

test("no class exposes wasm-bindgen's __wrap: no caller can build an object around a raw pointer", async () => {
  const lms = await import("lms-bridge");
  const cjs = (await import("node:module")).createRequire(import.meta.url)("lms-bridge");
  for (const mod of [lms, cjs]) {
    for (const [name, v] of Object.entries(mod)) {
      if (typeof v !== "function") continue;
      const statics = Object.getOwnPropertyNames(v).filter((k) => k.startsWith("__"));
      assert.deepEqual(statics, [], `${name} has ${statics}`);
    }
  }
  // The session Rust returns is still built (through the module-private wrapper).
  const { startMockServer } = await import("lms-bridge/testing");
  const { installAlphaLearn } = await import("lms-bridge/testing");
  const server = await startMockServer();
  try {
    const al = installAlphaLearn(server);
    const client = new lms.AlphaLearn({ baseUrl: al.baseUrl });
    const session = await lms.AlphaLearnSession.login(client, { email: "ada@example.com", password: "s3cret-Pa55!" });
    assert.ok(session instanceof lms.AlphaLearnSession && session.token.split(".").length === 3);
  } finally {
    await server.close();
  }
});

test("bodies over 2^27 characters or bytes or 2^22 JSON values, strings over 2^24 bytes, calls of over 2^22 values or 2^24 bytes of text are refused with a code, not a trap; the module keeps working", async () => {
  const client = mm();
  // The network calls read their whole argument (the builders only the fields they use): the
  // limits on what one argument holds are checked through `autoSubscribe`, answered here.
  let sentBody;
  const sender = mm({ fetch: async (url, init) => {
    sentBody = init.body;
    return new Response('{"status":"subscribed","user_id":7}', { status: 201 });
  } });
  const over = "e".repeat(2 ** 27 + 1); // one byte per character in V8: 128 MiB
  const input = { email: "ann@example.com", lmsUserId: 42, firstName: over };
  let e = await rejectsWith(() => client.buildAutoSubscribe(input), "INVALID_INPUT");
  assert.match(e.message, /`input` is too long/);
  e = await rejectsWith(() => sender.autoSubscribe({ email: "ann@example.com", lmsUserId: 42, [over]: 1 }), "INVALID_INPUT");
  assert.match(e.message, /too long/, "a key");
  e = await rejectsWith(() => client.parseAutoSubscribe({ status: 201, headers: {}, body: over }), "INVALID_INPUT");
  assert.match(e.message, /`response\.body` is too long/);
  e = await rejectsWith(() => client.parseAutoSubscribe({ status: 201, headers: {}, body: new Uint8Array(2 ** 27 + 1) }), "INVALID_INPUT");
  assert.match(e.message, /`response\.body` is too large/);
  const hooked = mm({ callback: { secret: CB_SECRET } });
  e = await rejectsWith(() => hooked.verifyProgressCallback(over, {}), "INVALID_INPUT");
  assert.match(e.message, /`body` is too long/);
  // Arrays and objects: at most 2^22 values in one argument (each takes ~80 bytes in the module).
  e = await rejectsWith(() => sender.autoSubscribe({ email: "ann@example.com", lmsUserId: 42, extra: new Array(2 ** 22).fill(0) }), "INVALID_INPUT");
  assert.match(e.message, /`input` has more than 4,194,304 values/);
  assert.equal((await sender.autoSubscribe({ email: "ann@example.com", lmsUserId: 42, extra: new Array(2 ** 22 - 3).fill(0) })).status, "subscribed");
  assert.equal(JSON.parse(sentBody).email, "ann@example.com");
  // At the limit, a string is read (here a body that is no JSON).
  await rejectsWith(() => client.parseAutoSubscribe({ status: 201, headers: {}, body: over.slice(1) }), "RESPONSE_MALFORMED");
  // A body of more than 2^22 JSON values is read as no JSON (67 million zeros trapped before).
  const zeros = `[${"0,".repeat(2 ** 26 - 2)}0]`;
  await rejectsWith(() => client.parseAutoSubscribe({ status: 201, headers: {}, body: zeros }), "RESPONSE_MALFORMED");
  // A string argument: at most 2^24 bytes of UTF-8 (a builder grows it: six bytes a character
  // escaped in JSON, nine in a URL; 2^27 control characters trapped before).
  e = await rejectsWith(() => client.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: 42, firstName: "\u0001".repeat(2 ** 24 + 1) }), "INVALID_INPUT");
  assert.match(e.message, /`input` is too long \(more than 16,777,216 bytes of UTF-8\)/);
  e = await rejectsWith(() => client.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: 42, firstName: "é".repeat(2 ** 23 + 1) }), "INVALID_INPUT");
  assert.match(e.message, /is too long/, "counted in bytes, not characters");
  assert.equal(JSON.parse(client.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: 42, firstName: "é".repeat(2 ** 23 - 32) }).body).first_name.length, 2 ** 23 - 32);
  // One JS string in many places costs the host nothing, but each is a copy in the module: at
  // most 2^24 bytes of text in one call's arguments, and in one headers argument.
  const long = over.slice(0, 2 ** 23);
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x${i}`, long]));
  e = await rejectsWith(() => sender.autoSubscribe({ email: "ann@example.com", lmsUserId: 42, ...many }), "INVALID_INPUT");
  assert.match(e.message, /`input` holds too much text/);
  e = await rejectsWith(() => client.autoSubscribe({ email: "ann@example.com", lmsUserId: 42 }, { headers: many }), "INVALID_INPUT");
  assert.match(e.message, /`options\.headers` holds too much text/);
  e = await rejectsWith(() => client.autoSubscribe({ email: "ann@example.com", lmsUserId: 42 }, { headers: { "x-a": Array(40).fill(long) } }), "INVALID_INPUT");
  assert.match(e.message, /`options\.headers` holds too much text/);
  // Within the limit, the text is read (the builder then refuses the e-mail address).
  const quarter = over.slice(0, 2 ** 22);
  e = await rejectsWith(() => client.buildAutoSubscribe({ email: quarter, lmsUserId: 42, firstName: quarter }), "INVALID_INPUT");
  assert.doesNotMatch(e.message, /too much text|too long/);
  // The signing functions: many long secrets, or a header of many long values, are
  // INVALID_INPUT too (the verifier cache's key and the join overflowed a JS string).
  const huge = over.slice(0, 2 ** 27 - 16);
  await rejectsWith(() => verifyWebhook("{}", { "x-hub-signature-256": "sha256=00" }, { scheme: "github", secret: Array(40).fill(huge) }), "INVALID_INPUT");
  e = await rejectsWith(() => verifyWebhook("{}", { "x-hub-signature-256": Array(40).fill(huge) }, { scheme: "github", secret: "s" }), "INVALID_INPUT");
  assert.match(e.message, /`headers` are too long/);
  // The client and the module work on.
  assert.equal(JSON.parse(client.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: 42, firstName: "Ann" }).body).first_name, "Ann");
});

test("the builder twins refuse NaN and ±Infinity as their calls do, in any field they read", async () => {
  const fetch = async () => assert.fail("nothing is sent");
  const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3", fetch });
  const lw = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-token", fetch });
  const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "tom-token" }, fetch });
  const mmc = mm({ fetch });
  for (const v of [NaN, Infinity, -Infinity]) {
    const cases = [
      [al, "login", [{ email: v, password: "p" }], "input"],
      [al, "login", [{ email: "ann@example.com", password: "p", domain: v }], "input"],
      [al, "refreshToken", [v], "refreshToken"],
      [al, "loginWithThirdParty", [{ provider: v, token: "t" }], "input"],
      [al, "forgotPassword", [{ email: "ann@example.com", sendEmailNotification: v }], "input"],
      [lw, "sso", [{ email: v }], "input"],
      [lw, "sso", [{ email: "ann@example.com", redirectUrl: v }], "input"],
      [tom, "createLearner", [{ login: "ann", lang: v }], "input"],
      [tom, "updateLearner", [v, { login: "ann" }], "identifier"],
      [tom, "updateLearner", ["L1", { segment: v }], "patch"],
      [tom, "updateLearner", ["L1", { segment: { a: [v] } }], "patch"],
      [mmc, "autoSubscribe", [{ email: v, lmsUserId: "1" }], "input"],
      [mmc, "autoSubscribe", [{ email: "ann@example.com", lmsUserId: "1", organization: { name: v } }], "input"],
      [mmc, "createLoginUrl", [{ email: "ann@example.com", returnUrl: v }], "input"],
    ];
    for (const [client, call, args, name] of cases) {
      const twin = `build${call[0].toUpperCase()}${call.slice(1)}`;
      const built = await outcome(() => client[twin](...args));
      assert.equal(built.error?.message, `\`${name}\` must not contain NaN or Infinity`, `${twin} ${v}`);
      assert.deepEqual(await outcome(() => client[call](...args)), built, `${call} ${v}`);
    }
  }
});

test("the builder twins refuse a string over 2^24 units, or strings over 2^24 in all, as their calls do, without writing them into the module", async () => {
  const wasmBytes = await packageWasmMemory(lms, pkgDir);
  const long = "e".repeat(2 ** 24 + 1);
  const huge = "e".repeat(2 ** 27);
  const fetch = async () => assert.fail("nothing is sent");
  const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3", fetch });
  const lw = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-token", fetch });
  const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "tom-token" }, fetch });
  const mmc = mm({ fetch });
  const cases = (s) => [
    [al, "login", [{ email: "ann@example.com", password: s }]],
    [al, "refreshToken", [s]],
    [lw, "sso", [{ email: "ann@example.com", redirectUrl: s }]],
    [tom, "createLearner", [{ login: s }]],
    [tom, "updateLearner", [s, { login: s }]],
    [tom, "updateLearner", ["L1", { segment: { a: [s] } }]],
    [mmc, "autoSubscribe", [{ email: "ann@example.com", lmsUserId: "1", organization: { name: s } }]],
  ];
  const before = wasmBytes();
  for (const s of [long, huge]) {
    for (const [client, call, args] of cases(s)) {
      const twin = `build${call[0].toUpperCase()}${call.slice(1)}`;
      const built = await outcome(() => client[twin](...args));
      assert.equal(built.error?.code, "INVALID_INPUT", `${twin}: ${built.error?.message}`);
      assert.match(built.error.message, /is too long/);
      assert.deepEqual(await outcome(() => client[call](...args)), built, call);
    }
  }
  // Nothing of those strings was written into the module (3 bytes a unit were reserved before).
  assert.ok(wasmBytes() - before < 2 ** 24, `the memory grew ${wasmBytes() - before} bytes`);
  // Strings within the limit each, over it together: refused as their calls refuse them, and
  // what comes after the budget is not written either (3 bytes a unit of all of them were
  // reserved before: over 100 MB a call here). The memory is measured in a fresh process, where
  // no earlier test has grown it.
  const overBudget = (quarter, full) => [
    [al, "login", [{ email: quarter, password: full, domain: full }], "input"],
    [lw, "sso", [{ email: quarter, username: full, avatar: full }], "input"],
    [tom, "createLearner", [{ login: quarter, firstname: full, lastname: full }], "input"],
    [tom, "updateLearner", [quarter, { login: full, email: full }], "patch"],
    [mmc, "autoSubscribe", [{ email: quarter, firstName: full, lastName: full, lmsUserId: "1" }], "input"],
  ];
  for (const [client, call, args, name] of overBudget("q".repeat(2 ** 22), "f".repeat(2 ** 24))) {
    const twin = `build${call[0].toUpperCase()}${call.slice(1)}`;
    const built = await outcome(() => client[twin](...args));
    assert.equal(built.error?.message, `\`${name}\` holds too much text (more than 16,777,216 bytes of strings and keys)`, twin);
    assert.deepEqual(await outcome(() => client[call](...args)), built, call);
  }
  const child = `
    import * as lms from "lms-bridge";
    import { packageWasmMemory } from ${JSON.stringify(new URL("../../bench/harness.mjs", import.meta.url).href)};
    const { AlphaLearn, LearnWorlds, MilesMasterclass, TeachOnMars } = lms;
    const wasmBytes = await packageWasmMemory(lms, ${JSON.stringify(pkgDir)});
    const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3" });
    const lw = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-token" });
    const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "tom-token" } });
    const mmc = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-hardening-key" });
    const before = wasmBytes();
    for (const [client, call, args] of (${overBudget.toString()})("q".repeat(2 ** 22), "f".repeat(2 ** 24))) {
      try { client["build" + call[0].toUpperCase() + call.slice(1)](...args); } catch {}
    }
    console.log(wasmBytes() - before);`;
  const grew = Number(execFileSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" }));
  assert.ok(grew < 2 ** 24, `the memory grew ${grew} bytes`);
  // More than 2^24 bytes of text in all: refused by both, with the same words.
  const half = "h".repeat(2 ** 23);
  for (const [client, call, args, name] of [
    [lw, "sso", [{ email: `${half}x`, username: half }], "input"],
    [al, "login", [{ email: `${half}x`, password: half }], "input"],
    [mmc, "autoSubscribe", [{ email: "ann@example.com", lmsUserId: "1", firstName: `${half}x`, organization: { name: half } }], "input"],
    // One budget for a call's arguments: the identifier's text and the patch's, its segment's too.
    [tom, "updateLearner", [`${half}x`, { login: half }], "patch"],
    [tom, "updateLearner", ["L1", { login: `${half}x`, segment: { a: [half] } }], "patch"],
  ]) {
    const twin = `build${call[0].toUpperCase()}${call.slice(1)}`;
    const built = await outcome(() => client[twin](...args));
    assert.equal(built.error?.message, `\`${name}\` holds too much text (more than 16,777,216 bytes of strings and keys)`, twin);
    assert.deepEqual(await outcome(() => client[call](...args)), built, call);
  }
  assert.equal(JSON.parse(tom.buildCreateLearner({ login: "ann" }).body).login, "ann");
});

test("the parser twins refuse the arguments their class's other parsers refuse, first and without writing them into the module", async () => {
  const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3" });
  const lw = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-token" });
  const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "tom-token" } });
  const mmc = mm({});
  const json = (status, body) => ({ status, body: JSON.stringify(body) });
  const created = json(201, { identifier: "L1", login: "ann", status: "Active", metadata: {} });
  const sso = json(200, { success: true, url: "https://school.example.com/login?code=abc", user_id: "u1" });
  const refreshed = json(200, { success: true, data: { response: { acknowledgement: "Success", error: { code: "" }, data: { token: "jwt-1" } } } });
  // Refused by the network calls' reading of JS values (src/wasm/convert.rs): MM's parsers read
  // their `input` so; the lean parsers must give the same error, whatever the response.
  const half = "h".repeat(2 ** 23);
  const deep = (n) => (n === 0 ? {} : { a: deep(n - 1) });
  const cyclic = { b: 1 };
  cyclic.self = [cyclic];
  const bad = [
    { a: NaN }, { a: [1, { b: -Infinity }] }, { a: "x".repeat(2 ** 24 + 1) }, { ["k".repeat(2 ** 24 + 1)]: 1 },
    { a: "é".repeat(2 ** 23 + 1) }, { a: "😀".repeat(2 ** 22 + 1) }, { a: half, b: `${half}x` }, { [half]: half, c: "" },
    deep(33), cyclic, { a: new Uint8Array(1) }, { a: new ArrayBuffer(1) }, { a: 1n }, { a: Symbol("s") }, [() => 1],
    { get a() { throw new Error("getter boom"); } }, new Proxy({}, { ownKeys() { throw new Error("ownKeys boom"); } }),
    1n, () => 1, "x".repeat(2 ** 24 + 1), NaN,
  ];
  const response = { status: 599, body: "never read" };
  for (const input of bad) {
    const want = await outcome(() => mmc.parseAutoSubscribe(response, input));
    assert.equal(want.error?.code, "INVALID_INPUT", String(want.error?.message));
    for (const parse of [() => al.parseLogin(response, input), () => al.parseForgotPassword(response, input), () => lw.parseSso(response, input),
      () => tom.parseCreateLearner(response, input)]) {
      assert.deepEqual(await outcome(parse), want, `${parse} ${want.error.message}`);
    }
    // Named as the call names them.
    const named = (name) => ({ ...want, error: { ...want.error, message: want.error.message.replace("`input`", `\`${name}\``) } });
    assert.deepEqual(await outcome(() => al.parseRefreshToken(response, input)), named("refreshToken"));
    assert.deepEqual(await outcome(() => tom.parseUpdateLearner(response, input, {})), named("identifier"));
    assert.deepEqual(await outcome(() => tom.parseUpdateLearner(response, "L1", input)), named("patch"));
  }
  // More values than one argument may hold (MM's reading of 2^22 values through the host is slow).
  assert.equal((await outcome(() => lw.parseSso(sso, { a: new Array(2 ** 22 + 1).fill(0) }))).error?.message,
    "`input` has more than 4,194,304 values (array elements and properties)");
  // What those readings accept still parses, and the arguments' secrets are still scrubbed.
  for (const input of [undefined, null, { a: undefined, f() {} }, "str", 5, { a: "é".repeat(2 ** 22), b: [null, true, { c: 1 }] }, deep(32)]) {
    assert.equal(lw.parseSso(sso, input).userId, "u1");
    assert.equal(tom.parseCreateLearner(created, input).identifier, "L1");
    assert.equal(al.parseRefreshToken(refreshed, input).token, "jwt-1");
  }
  const e = await outcome(() => lw.parseSso(json(400, { success: false, error: "bad hunter22" }), { email: "a@b.co", password: "hunter22" }));
  assert.ok(e.error, "refused");
  assert.doesNotMatch(e.error.message, /hunter22/);
  // Nothing of a refused argument is written into the module: measured in a fresh process.
  const child = `
    import * as lms from "lms-bridge";
    import { packageWasmMemory } from ${JSON.stringify(new URL("../../bench/harness.mjs", import.meta.url).href)};
    const wasmBytes = await packageWasmMemory(lms, ${JSON.stringify(pkgDir)});
    const lw = new lms.LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-token" });
    const tom = new lms.TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "tom-token" } });
    const al = new lms.AlphaLearn({ baseUrl: "https://al.example.com/v3" });
    const response = { status: 200, body: "{}" };
    const before = wasmBytes();
    for (const input of [{ a: "x".repeat(2 ** 24 + 1) }, { a: "é".repeat(2 ** 23 + 1) }, { a: "h".repeat(2 ** 23), b: "h".repeat(2 ** 23 + 1) }]) {
      for (const parse of [() => lw.parseSso(response, input), () => tom.parseCreateLearner(response, input), () => al.parseLogin(response, input)]) {
        try { parse(); } catch {}
      }
    }
    console.log(wasmBytes() - before);`;
  const grew = Number(execFileSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" }));
  assert.ok(grew < 2 ** 24, `the memory grew ${grew} bytes`);
});
