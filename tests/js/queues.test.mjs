// examples/queues end to end (issue 15): the producer and consumer Workers, the RateLimiter
// Durable Object, the roster queue and its dead-letter queue, all in workerd (miniflare),
// started exactly as the README says, against the local Teach on Mars mock with faults
// injected (503s, resets before and after the vendor acted, 429 bursts). Checks: every valid
// learner created exactly once (the mock counts), the account's limit never exceeded in any
// window (the mock measures arrivals), only the permanently failing rows dead-lettered.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startMockServer } from "lms-bridge/testing";
import { installTeachOnMars } from "lms-bridge/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const LIMIT = 40;
const WINDOW_MS = 1000;
const TOKEN = "queues-producer-token";
let mock;
let tom;
let child;
let url;
let output = "";

before(async () => {
  mock = await startMockServer();
  tom = installTeachOnMars(mock, { clientSecret: "queues-tom-secret" });
  child = spawn(process.execPath, ["examples/queues/run.mjs"], {
    cwd: root,
    env: {
      ...process.env, HOST: "127.0.0.1", PORT: "0", PRODUCER_TOKEN: TOKEN,
      TOM_BASE_URL: mock.origin, TOM_CLIENT_ID: tom.clientId, TOM_CLIENT_SECRET: "queues-tom-secret", TOM_TOKEN_URL: tom.tokenUrl,
      RATE_LIMIT: String(LIMIT), RATE_WINDOW_MS: String(WINDOW_MS), RETRY_DELAY_SECONDS: "0", MAX_RETRIES: "20", MAX_BATCH_SIZE: "20",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 20 s:\n${output}`)), 20_000);
    child.stdout.on("data", () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`run.mjs exited with ${code}:\n${output}`)));
  });
});
after(async () => {
  child?.kill("SIGTERM");
  await mock?.close();
});

const call = (p, init = {}) => fetch(new URL(p, url), { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } });

test("the producer refuses requests without its token", async () => {
  assert.equal((await fetch(new URL("/roster", url), { method: "POST", body: "[]" })).status, 401);
  assert.equal((await fetch(new URL("/dead-letters", url), { headers: { authorization: "Bearer nope" } })).status, 401);
});

test("a roster through Queues with faults: each learner exactly once, the limit held in every window, only bad rows dead-lettered", async () => {
  const valid = Array.from({ length: 120 }, (_, i) => ({ login: `q-${i}`, email: `q-${i}@example.com`, firstname: "Q", lastname: String(i) }));
  const bad = [{ login: "" }, { login: "bad-lang", lang: 42 }, { firstname: "no login" }];
  const roster = [...valid.slice(0, 60), ...bad, ...valid.slice(60)];
  mock.chaos({ rate: 0.05, seed: 11, burst: 3, skip: (r) => r.path === tom.tokenPath });
  const started = Date.now();
  const res = await call("/roster", { method: "POST", body: JSON.stringify(roster), headers: { "content-type": "application/json" } });
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { queued: roster.length });

  let dead = [];
  for (;;) {
    dead = await (await call("/dead-letters")).json();
    const created = valid.filter((r) => tom.created.get(r.login) === 1).length;
    if (created === valid.length && dead.length >= bad.length) break;
    assert.ok(Date.now() - started < 90_000, `not done after 90 s: ${created}/${valid.length} created, ${dead.length} dead letters\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 1500)); // late redeliveries would show now
  const faults = mock.chaos(null);
  const injected = Object.values(faults).reduce((a, b) => a + b, 0);
  assert.ok(injected >= 10 && faults["reset-after"] > 0, `faults injected: ${JSON.stringify(faults)}`);

  for (const r of valid) assert.equal(tom.created.get(r.login), 1, `${r.login} created ${tom.created.get(r.login) ?? 0} times`);
  assert.equal(tom.learners.size, valid.length);
  dead = await (await call("/dead-letters")).json();
  assert.deepEqual(dead.map((d) => d.error.code).sort(), ["INVALID_INPUT", "INVALID_INPUT", "INVALID_INPUT"]);
  const vendorRequests = (r) => r.path !== tom.tokenPath;
  const most = mock.maxInWindow(WINDOW_MS, vendorRequests);
  assert.ok(most <= LIMIT, `${most} requests arrived within one ${WINDOW_MS} ms window (limit ${LIMIT})`);
  const seconds = (Date.now() - started) / 1000;
  console.log(`queues: ${valid.length} learners, ${mock.requests.length} requests, faults ${JSON.stringify(faults)}, ` +
    `most in a ${WINDOW_MS} ms window ${most}/${LIMIT}, ${seconds.toFixed(1)} s`);
});
