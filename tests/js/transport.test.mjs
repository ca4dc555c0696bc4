// The shared transport (fetch, timeouts, retries, Retry-After, size caps, error mapping),
// exercised through a real vendor client against the local mock server's fault injection.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { MilesMasterclass } from "lms-bridge";
import { assertNoSecrets, rejectsWith } from "./assert.mjs";
import { faults, startMockServer } from "lms-bridge/testing";

const KEY = "mm-transport-secret-key";
const SUB = "/api/integrations/lms/auto-subscribe";
const LOGIN = "/api/integrations/lms/login-url";
let server;
before(async () => {
  server = await startMockServer();
});
after(() => server.close());

const client = (opts = {}) => new MilesMasterclass({ baseUrl: `${server.origin}/api`, apiKey: KEY, timeoutMs: 500, ...opts });
const input = { email: "ann@example.com", lmsUserId: "42" };
const ok = { status: 201, json: { status: "subscribed", user_id: 7 } };

test("success goes through the global fetch with the exact request", async () => {
  server.reset();
  server.queue("POST", SUB, ok);
  assert.deepEqual(await client({ userAgent: "lms-test/1" }).autoSubscribe(input), { status: "subscribed", userId: "7", raw: { status: "subscribed", user_id: 7 } });
  const [req] = server.seen("POST", SUB);
  assert.equal(req.headers["x-api-key"], KEY);
  assert.equal(req.headers["user-agent"], "lms-test/1");
  assert.equal(req.body, '{"email":"ann@example.com","lms_user_id":"42"}');
});

test("2,000 concurrent calls, answered out of order, each get their own response; the client works after", { timeout: 30_000 }, async () => {
  // Each response echoes the request's learner id and arrives after a random delay (a
  // timer, a microtask or at once), so outcomes land in any order: none may reach another call.
  const fetch = (url, init) => {
    const id = JSON.parse(init.body).lms_user_id;
    const answer = () => new Response(JSON.stringify({ status: "subscribed", user_id: id }), { status: 201 });
    const r = Math.random();
    if (r < 0.3) return Promise.resolve(answer());
    if (r < 0.6) return Promise.resolve().then(answer);
    return new Promise((resolve) => setTimeout(() => resolve(answer()), Math.floor(r * 20)));
  };
  const c = client({ fetch, retries: 0 });
  const ids = Array.from({ length: 2000 }, (_, i) => `burst-${i}`);
  const results = await Promise.all(ids.map((lmsUserId) => c.autoSubscribe({ email: "ann@example.com", lmsUserId })));
  assert.deepEqual(results.map((r) => r.userId), ids);
  const again = await Promise.all(["x-1", "x-2"].map((lmsUserId) => c.autoSubscribe({ email: "ann@example.com", lmsUserId })));
  assert.deepEqual(again.map((r) => r.userId), ["x-1", "x-2"]);
});

// A `fetch` whose responses each arrive in their own callback of one phase of the event loop,
// as a server's socket reads do: here `setImmediate` callbacks, which run in order, `turns(id)`
// turns later (default: the next). `log` records sends and arrivals; `after(id)` runs in the
// arrival's callback.
const turnFetch = (log, { after = () => {}, turns = () => 1 } = {}) => (url, init) => {
  const id = JSON.parse(init.body).lms_user_id;
  log.push(`send ${id}`);
  const later = (n, f) => (n === 0 ? f() : setImmediate(() => later(n - 1, f)));
  return new Promise((resolve) =>
    later(turns(id), () => {
      log.push(`arrive ${id}`);
      after(id);
      resolve(new Response(JSON.stringify({ status: "subscribed", user_id: id }), { status: 201 }));
    }),
  );
};

test("in a busy process, responses that arrive in one turn are read together at its end, then the next calls start", async () => {
  // Four loops of three calls each. The first wave's four arrivals in one turn mark the
  // process busy; from then on the module reads a turn's responses after all of them
  // arrived, and each loop's next call starts only then: not one between two arrivals.
  const log = [];
  const c = client({ fetch: turnFetch(log), retries: 0 });
  const loop = async (first) => {
    for (const id of [first, first + 4, first + 8]) {
      const r = await c.autoSubscribe({ email: "ann@example.com", lmsUserId: String(id) });
      log.push(`done ${r.userId}`);
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
  const at = (entry) => log.indexOf(entry);
  for (const wave of [4, 8]) {
    const ids = [0, 1, 2, 3].map((i) => i + wave);
    const lastArrival = Math.max(...ids.map((id) => at(`arrive ${id}`)));
    for (const id of ids) {
      assert.ok(at(`done ${id}`) > lastArrival, `done ${id} after every arrival of its turn: ${log.join(", ")}`);
      if (wave === 4) assert.ok(at(`send ${id + 4}`) > at(`done ${id}`), `send ${id + 4} after done ${id}`);
    }
  }
  assert.equal(log.length, 36);
});

test("a lone response is read at once, not at the end of its turn", async () => {
  const log = [];
  const c = client({ fetch: turnFetch(log, { after: () => setImmediate(() => log.push("next turn")) }), retries: 0 });
  for (const id of ["1", "2"]) {
    const r = await c.autoSubscribe({ email: "ann@example.com", lmsUserId: id });
    log.push(`done ${r.userId}`);
  }
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ["send 1", "arrive 1", "done 1", "send 2", "next turn", "arrive 2", "done 2", "next turn"]);
});

test("in a process that sees one response per turn, a response is read at once, also with other calls in flight", async () => {
  // A vendor's latency spreads responses out: batching them would only make calls wait on
  // each other. A lone call first (a turn with one arrival: not busy), then two calls whose
  // responses arrive three turns apart: the first is read before the next turn begins.
  const log = [];
  const fetch = turnFetch(log, {
    after: (id) => setImmediate(() => log.push(`after ${id}`)),
    turns: (id) => (id === "slow" ? 3 : 1),
  });
  const c = client({ fetch, retries: 0 });
  const call = async (id) => log.push(`done ${(await c.autoSubscribe({ email: "ann@example.com", lmsUserId: id })).userId}`);
  await call("lone");
  log.length = 0;
  await Promise.all([call("fast"), call("slow")]);
  await new Promise((r) => setImmediate(r));
  assert.ok(log.indexOf("done fast") < log.indexOf("after fast"), log.join(", "));
  assert.ok(log.indexOf("done slow") < log.indexOf("after slow"), log.join(", "));
});

test("under a test suite's fake timers, installed before the package loads, calls go on", async () => {
  // tests/js/fake-timers.mjs, in a child process: four concurrent calls, the suite's clock
  // advanced once, four more, then three calls that wait on one token request. With the
  // globals faked (jest, sinon), the module ends its turns with node:timers' own setImmediate
  // and wakes waiting calls without queueMicrotask; under node:test's mock.timers, which fakes
  // node:timers too, a batch is handed back once its last attempt has arrived.
  for (const mode of ["globals", "node-test"]) {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL("./fake-timers.mjs", import.meta.url)), mode], { encoding: "utf8", timeout: 20_000 });
    assert.equal(r.status, 0, `${mode}: ${r.stderr}`);
    assert.deepEqual(r.stdout.trim().split("\n"), [
      "calls",
      "calls after a tick",
      "token requests 1, tokens 1",
      "global setImmediate calls 0",
      "done",
    ], mode);
  }
});

test("an injected fetch is used", async () => {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response('{"status":"ok"}', { status: 200 });
  };
  const r = await client({ fetch }).autoSubscribe(input);
  assert.equal(r.status, "ok");
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, `${server.origin}${SUB}`);
  assert.equal(calls[0].init.method, "POST");
  assert.ok(calls[0].init.signal instanceof AbortSignal);
});

test("timeout per attempt → TIMEOUT (retryable), after the retries", async () => {
  server.reset();
  server.queue("POST", SUB, faults.hang(), faults.hang());
  const started = Date.now();
  const e = await rejectsWith(() => client({ timeoutMs: 200, retries: 1 }).autoSubscribe(input), "TIMEOUT", { retryable: true, vendor: "miles-masterclass" });
  assert.equal(server.seen("POST", SUB).length, 2);
  assert.ok(Date.now() - started < 2000);
  await assertNoSecrets(e, [KEY]);
});

test("a timeout longer than a host timer can wait (2^31 - 1 ms) is that long, not none at all", async () => {
  // A JavaScript timer set for longer fires at once: every attempt would time out at once.
  for (const timeoutMs of [2 ** 31, 3e9, 1e15]) {
    server.reset();
    server.queue("POST", SUB, faults.delay(100, ok));
    assert.equal((await client({ timeoutMs, retries: 0 }).autoSubscribe(input)).status, "subscribed", `client timeoutMs ${timeoutMs}`);
    server.queue("POST", SUB, faults.delay(100, ok));
    assert.equal((await client({ retries: 0 }).autoSubscribe(input, { timeoutMs })).status, "subscribed", `call timeoutMs ${timeoutMs}`);
  }
});

test("the timeout covers the body, not only the headers", async () => {
  server.reset();
  server.route("POST", "/slow-body", (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"status":');
    setTimeout(() => res.end('"ok"}'), 1500);
    return null;
  });
  const root = new MilesMasterclass({ baseUrl: server.origin, apiKey: KEY, timeoutMs: 300, retries: 0, paths: { autoSubscribe: "/slow-body" } });
  await rejectsWith(() => root.autoSubscribe(input), "TIMEOUT");
});

test("connection reset → NETWORK; retried for safe requests, then succeeds", async () => {
  server.reset();
  server.queue("POST", SUB, faults.reset(), ok);
  assert.equal((await client().autoSubscribe(input)).status, "subscribed");
  assert.equal(server.seen("POST", SUB).length, 2);
  server.queue("POST", SUB, faults.reset(), faults.reset(), faults.reset());
  await rejectsWith(() => client().autoSubscribe(input), "NETWORK", { retryable: true });
});

test("503 then success: retried for autoSubscribe, not for createLoginUrl", async () => {
  server.reset();
  server.queue("POST", SUB, faults.unavailable(), ok);
  assert.equal((await client().autoSubscribe(input)).status, "subscribed");
  assert.equal(server.seen("POST", SUB).length, 2);
  server.queue("POST", LOGIN, faults.unavailable(), { status: 200, json: { login_url: "https://mm.example/l" } });
  await rejectsWith(() => client().createLoginUrl({ email: "ann@example.com" }), "HTTP_STATUS", { status: 503, retryable: true });
  assert.equal(server.seen("POST", LOGIN).length, 1);
});

test("429 honours Retry-After (seconds and HTTP date); RATE_LIMITED after the retries", async () => {
  server.reset();
  server.queue("POST", SUB, faults.tooMany(1), ok);
  let t = Date.now();
  await client().autoSubscribe(input);
  const [a, b] = server.seen("POST", SUB);
  assert.ok(b.at - a.at >= 950, `waited ${b.at - a.at} ms`);
  server.reset();
  const date = new Date(Date.now() + 1500).toUTCString();
  server.queue("POST", SUB, { status: 429, headers: { "retry-after": date }, json: {} }, ok);
  t = Date.now();
  await client().autoSubscribe(input);
  assert.ok(Date.now() - t >= 400, "an HTTP-date Retry-After is waited for");
  server.reset();
  server.queue("POST", SUB, faults.tooMany(0), faults.tooMany(0), faults.tooMany(0));
  await rejectsWith(() => client().autoSubscribe(input), "RATE_LIMITED", { status: 429, retryable: true });
  assert.equal(server.seen("POST", SUB).length, 3);
  // a Retry-After beyond the cap ends the retries instead of sleeping
  server.reset();
  server.queue("POST", SUB, faults.tooMany(3600));
  t = Date.now();
  await rejectsWith(() => client().autoSubscribe(input), "RATE_LIMITED");
  assert.ok(Date.now() - t < 1000);
});

test("malformed JSON, wrong content type, truncated body → typed errors", async () => {
  server.reset();
  server.queue("POST", SUB, faults.malformedJson());
  await rejectsWith(() => client().autoSubscribe(input), "RESPONSE_MALFORMED", { status: 200 });
  server.queue("POST", SUB, faults.wrongContentType());
  await rejectsWith(() => client().autoSubscribe(input), "RESPONSE_MALFORMED", { status: 200 });
  server.queue("POST", SUB, faults.truncated(), faults.truncated(), faults.truncated());
  await rejectsWith(() => client().autoSubscribe(input), "NETWORK");
});

test("oversized body → RESPONSE_MALFORMED without buffering it all", async () => {
  server.reset();
  server.queue("POST", SUB, faults.oversized(50 * 1024 * 1024));
  const before = process.memoryUsage().rss;
  await rejectsWith(() => client({ maxResponseBytes: 1024 * 1024, timeoutMs: 5000 }).autoSubscribe(input), "RESPONSE_MALFORMED");
  assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024);
  server.queue("POST", SUB, { status: 200, headers: { "content-length": "99999999" }, body: "" });
  await rejectsWith(() => client({ maxResponseBytes: 1000 }).autoSubscribe(input), "RESPONSE_MALFORMED");
});

test("client options are validated", async () => {
  await rejectsWith(() => client({ timeoutMs: -5 }), "INVALID_CONFIG");
  await rejectsWith(() => client({ retries: 1.5 }), "INVALID_CONFIG");
  await rejectsWith(() => client({ fetch: "nope" }), "INVALID_CONFIG");
  await rejectsWith(() => new MilesMasterclass({ baseUrl: "http://mm.example.com", apiKey: KEY }), "INVALID_CONFIG");
  await rejectsWith(() => new MilesMasterclass({ baseUrl: "https://mm.example.com" }), "INVALID_CONFIG");
  assert.ok(new MilesMasterclass({ baseUrl: "http://localhost:1/api", apiKey: KEY }));
});

test("a failing network leaves no secret in the error", async () => {
  const dead = new MilesMasterclass({ baseUrl: "http://127.0.0.1:1/api", apiKey: KEY, retries: 0 });
  const e = await rejectsWith(() => dead.autoSubscribe(input), "NETWORK");
  await assertNoSecrets(e, [KEY]);
});
