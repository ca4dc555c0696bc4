// Per-call control and hooks (issue 14 §2): every network method's optional last
// `{ signal, timeoutMs, retries, headers }`, and the client option
// `hooks: { onRequest, onResponse, onRetry }`, against the mock vendors.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LearnWorlds, MilesMasterclass, TeachOnMars, provisionMany } from "lms-bridge";
import { rejectsWith } from "./assert.mjs";
import { installLearnWorlds } from "lms-bridge/testing";
import { installMilesMasterclass } from "lms-bridge/testing";
import { faults, startMockServer } from "lms-bridge/testing";
import { installTeachOnMars } from "lms-bridge/testing";

const KEY = "call-options-key-1";
const SUBSCRIBE = "/api/integrations/lms/auto-subscribe";
let server;
let mm;
before(async () => {
  server = await startMockServer();
  mm = installMilesMasterclass(server, { apiKey: KEY });
});
after(() => server.close());

const client = (o = {}) => new MilesMasterclass({ baseUrl: mm.baseUrl, apiKey: KEY, ...o });
const input = { email: "a@b.co", lmsUserId: "1" };
const elapsed = async (fn) => {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
};

test("an aborted signal: ABORTED before anything is sent", async () => {
  server.reset();
  const e = await rejectsWith(() => client().autoSubscribe(input, { signal: AbortSignal.abort() }), "ABORTED");
  assert.equal(e.retryable, false);
  assert.equal(e.vendor, "miles-masterclass");
  assert.equal(server.seen("POST", SUBSCRIBE).length, 0);
});

test("abort during a request that hangs, and during a back-off: ABORTED at once", async () => {
  server.reset();
  server.queue("POST", SUBSCRIBE, faults.delay(2500));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const [, ms] = await elapsed(() => rejectsWith(() => client().autoSubscribe(input, { signal: ac.signal }), "ABORTED"));
  assert.ok(ms < 1000, `${ms} ms`);

  server.reset();
  server.queue("POST", SUBSCRIBE, faults.unavailable(5)); // Retry-After: 5 s
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 150);
  const [, ms2] = await elapsed(() => rejectsWith(() => client().autoSubscribe(input, { signal: ac2.signal }), "ABORTED"));
  assert.ok(ms2 < 1500, `${ms2} ms`);
  assert.equal(server.seen("POST", SUBSCRIBE).length, 1, "no retry after the abort");
});

test("timeoutMs and retries per call replace the client's; headers are added to every attempt", async () => {
  server.reset();
  server.queue("POST", SUBSCRIBE, faults.delay(2500));
  const [, ms] = await elapsed(() => rejectsWith(() => client({ timeoutMs: 5000 }).autoSubscribe(input, { timeoutMs: 100, retries: 0 }), "TIMEOUT"));
  assert.ok(ms < 1500, `${ms} ms`);

  server.reset();
  server.queue("POST", SUBSCRIBE, faults.unavailable(0), faults.unavailable(0), faults.unavailable(0));
  await rejectsWith(() => client({ retries: 2 }).autoSubscribe(input, { retries: 0 }), "HTTP_STATUS");
  assert.equal(server.seen("POST", SUBSCRIBE).length, 1);

  server.reset();
  server.queue("POST", SUBSCRIBE, faults.unavailable(0), faults.unavailable(0));
  const r = await client({ retries: 0 }).autoSubscribe(input, { retries: 3, headers: { "x-trace-id": "trace-42" } });
  assert.ok(r.status);
  const seen = server.seen("POST", SUBSCRIBE);
  assert.equal(seen.length, 3);
  assert.ok(seen.every((q) => q.headers["x-trace-id"] === "trace-42"));

  // Number values are written as JS writes them (String(n)).
  server.reset();
  const numbers = { "x-count": 5, "x-ratio": 0.25, "x-big": 1e21, "x-small": 1e-7 };
  await client().autoSubscribe(input, { headers: numbers });
  const [sent] = server.seen("POST", SUBSCRIBE);
  for (const [name, value] of Object.entries(numbers)) assert.equal(sent.headers[name], String(value), name);
});

test("a custom fetch gets the headers as a plain object of own properties, userAgent included, even `__proto__`", async () => {
  server.reset();
  const inits = [];
  const fetch = (url, init) => {
    inits.push(init);
    return globalThis.fetch(url, init);
  };
  await client({ fetch, userAgent: "lms-test/2" }).autoSubscribe(input, { headers: JSON.parse('{"__proto__":"p","x-trace-id":"t-2"}') });
  const [init] = inits;
  assert.equal(Object.getPrototypeOf(init.headers), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(init.headers, "__proto__")?.value, "p");
  assert.equal(init.headers["x-trace-id"], "t-2");
  assert.equal(init.headers["User-Agent"], "lms-test/2");
  assert.equal(init.headers["Content-Type"] ?? init.headers["content-type"], "application/json");
  const [sent] = server.seen("POST", SUBSCRIBE);
  assert.equal(sent.headers["x-trace-id"], "t-2");
  assert.equal(sent.headers["user-agent"], "lms-test/2");
});

test("bad call options are INVALID_INPUT naming the option", async () => {
  for (const [options, field] of [[5, "options"], [{ signal: {} }, "options.signal"], [{ timeoutMs: "100" }, "options.timeoutMs"],
    [{ timeoutMs: 0 }, "options.timeoutMs"], [{ retries: 11 }, "options.retries"], [{ retries: -1 }, "options.retries"],
    [{ headers: 5 }, "options.headers"]]) {
    const e = await rejectsWith(() => client().autoSubscribe(input, options), "INVALID_INPUT");
    assert.match(e.message, new RegExp(field.replace(".", "\\.")), e.message);
  }
});

test("hooks see every attempt with secrets masked; a throwing hook changes nothing", async () => {
  server.reset();
  server.queue("POST", SUBSCRIBE, faults.unavailable(0));
  const events = [];
  const hooks = {
    onRequest: (e) => events.push(["request", e]),
    onResponse: (e) => {
      events.push(["response", e]);
      throw new Error("a broken logger");
    },
    onRetry: (e) => events.push(["retry", e]),
  };
  const r = await client({ hooks, retries: 1 }).autoSubscribe(input);
  assert.ok(r.status);
  assert.deepEqual(events.map(([k, e]) => `${k}:${e.attempt}:${e.status ?? e.error ?? ""}`),
    ["request:0:", "response:0:503", "retry:0:503", "request:1:", "response:1:200"]);
  const [, first] = events[0];
  assert.equal(first.vendor, "miles-masterclass");
  assert.equal(first.method, "POST");
  assert.equal(first.url, `${mm.baseUrl}/integrations/lms/auto-subscribe`);
  assert.equal(first.headers["x-api-key"] ?? first.headers["X-API-Key"] ?? first.headers["X-Api-Key"], "[redacted]");
  assert.equal(typeof events[1][1].durationMs, "number");
  assert.equal(events[2][1].delayMs, 0);
  assert.ok(!JSON.stringify(events).includes(KEY));
  assert.ok(!("body" in first));

  // Configured tokens are masked wherever they appear, and bad hooks are INVALID_CONFIG.
  const lwServer = await startMockServer();
  try {
    installLearnWorlds(lwServer, { clientId: "hooks-lw", clientSecret: "hooks-lw-secret" });
    const seen = [];
    const lw = new LearnWorlds({ schoolUrl: lwServer.origin, clientId: "hooks-lw", clientSecret: "hooks-lw-secret", hooks: { onRequest: (e) => seen.push(e) } });
    await lw.sso({ email: "ada@example.com", username: "ada" });
    assert.ok(seen.length >= 2 && !JSON.stringify(seen).includes("hooks-lw-secret"));
    assert.ok(seen.some((e) => e.headers.Authorization === "[redacted]" || e.headers.authorization === "[redacted]"));
  } finally {
    await lwServer.close();
  }
  assert.throws(() => client({ hooks: 1 }), (e) => e.code === "INVALID_CONFIG");
  assert.throws(() => client({ hooks: { onRequest: "log" } }), (e) => e.code === "INVALID_CONFIG" && /hooks\.onRequest/.test(e.message));
});

test("signIn takes { update } and the call options in one object; provisionMany hands its signal to the calls", async () => {
  const tomServer = await startMockServer();
  try {
    const tom = installTeachOnMars(tomServer, { clientSecret: "call-tom-secret" });
    const t = new TeachOnMars({ baseUrl: tomServer.origin, auth: { clientId: tom.clientId, clientSecret: "call-tom-secret", tokenUrl: tom.tokenUrl } });
    const r = await t.signIn({ login: "opt-1" }, { update: false, headers: { "x-trace-id": "t-1" } });
    assert.equal(r.created, true);
    assert.ok(tomServer.requests.filter((q) => q.path.startsWith("/api/")).every((q) => q.headers["x-trace-id"] === "t-1"));
    await rejectsWith(() => t.signIn({ login: "opt-2" }, { signal: AbortSignal.abort() }), "ABORTED");
  } finally {
    await tomServer.close();
  }

  server.reset();
  server.route("POST", SUBSCRIBE, faults.delay(2500));
  const ac = new AbortController();
  const c = client({ timeoutMs: 10_000 });
  const outcomes = [];
  setTimeout(() => ac.abort(new Error("roster cancelled")), 150);
  const [, ms] = await elapsed(async () => {
    try {
      for await (const o of provisionMany([1, 2, 3, 4, 5], (n, { signal }) => c.autoSubscribe({ ...input, lmsUserId: String(n) }, { signal }),
        { concurrency: 3, signal: ac.signal })) outcomes.push(o);
    } catch (e) {
      assert.equal(e.message, "roster cancelled");
    }
  });
  assert.ok(ms < 2000, `${ms} ms`);
  assert.equal(outcomes.length, 3, "the three calls in flight end as outcomes");
  assert.ok(outcomes.every((o) => !o.ok && o.error.code === "ABORTED"));
  installMilesMasterclass(server, { apiKey: KEY });
});
