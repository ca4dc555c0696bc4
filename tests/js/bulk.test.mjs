// provisionMany (issue 15): bounded concurrency, one outcome per item read (also when the
// source throws, on abort and on break), progress, flat memory over 10^5 streamed items,
// and real clients against the mock vendors: rate limits never exceeded in any window,
// every learner provisioned exactly once across a re-run, with faults injected.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { after, before, test } from "node:test";
import { LearnWorlds, MilesMasterclass, TeachOnMars, provisionMany } from "lms-bridge";
import { rejectsWith } from "./assert.mjs";
import { installLearnWorlds } from "lms-bridge/testing";
import { installMilesMasterclass } from "lms-bridge/testing";
import { startMockServer } from "lms-bridge/testing";
import { installTeachOnMars } from "lms-bridge/testing";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const collect = async (it) => {
  const out = [];
  for await (const o of it) out.push(o);
  return out;
};

let server;
before(async () => {
  server = await startMockServer();
});
after(() => server.close());

test("bounded concurrency, one outcome per item, streamed as they complete", async () => {
  let inFlight = 0;
  let most = 0;
  const op = async (n) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await sleep(n % 7);
    inFlight--;
    if (n % 5 === 0) throw new Error(`item ${n} refused`);
    return n * 2;
  };
  const items = Array.from({ length: 200 }, (_, i) => i);
  const progress = [];
  const out = await collect(provisionMany(items, op, { concurrency: 6, onProgress: (p) => progress.push(p) }));
  assert.equal(most, 6);
  assert.deepEqual(out.map((o) => o.index).sort((a, b) => a - b), items);
  for (const o of out) {
    assert.equal(o.item, o.index);
    if (o.index % 5 === 0) assert.ok(!o.ok && o.error.message === `item ${o.index} refused`);
    else assert.ok(o.ok && o.result === o.index * 2);
  }
  assert.notDeepEqual(out.map((o) => o.index), items, "outcomes come as they complete, not in order");
  assert.equal(progress.length, 200);
  assert.deepEqual({ ...progress.at(-1), rate: 0 }, { done: 160, failed: 40, inFlight: 0, rate: 0 });
  assert.ok(progress.at(-1).rate > 0);
  assert.ok(progress.every((p) => p.inFlight <= 6));
});

test("a call that ends frees its slot at once; a stalled consumer holds back reads once `concurrency` outcomes wait", async () => {
  // The consumer takes one outcome and stops taking: calls go on (never more than
  // `concurrency` at once) until `concurrency` outcomes wait, then nothing more is read. When
  // slots were freed only as the consumer took outcomes, 1 + concurrency items were read.
  for (const concurrency of [1, 2, 4]) {
    let started = 0;
    let running = 0;
    let most = 0;
    const op = async (n) => {
      started++;
      most = Math.max(most, ++running);
      await sleep(1);
      running--;
      return n;
    };
    const outcomes = provisionMany(Array.from({ length: 100 }, (_, i) => i), op, { concurrency });
    assert.equal((await outcomes.next()).value.ok, true);
    await sleep(40);
    assert.equal(started, 2 * concurrency, `concurrency ${concurrency}`);
    assert.equal(most, concurrency);
    assert.equal(running, 0);
    await outcomes.return();
    await sleep(5);
    assert.equal(started, 2 * concurrency, "nothing read after the consumer stopped");
  }
});

test("random timings, sources, consumers and stops: every item read is one outcome, the bounds hold, nothing starts after a stop", async () => {
  // A seeded walk over what provisionMany interleaves: calls that settle at once, after a
  // microtask or a timer, or throw; sync and async sources that may throw; consumers that
  // take outcomes at once or slowly, that break out, or whose signal aborts.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pause = () => {
    const r = rand();
    return r < 0.3 ? undefined : r < 0.6 ? Promise.resolve() : sleep(Math.floor(r * 4));
  };
  for (let round = 0; round < 60; round++) {
    const concurrency = 1 + Math.floor(rand() * 5);
    const length = Math.floor(rand() * 40);
    const throwAt = rand() < 0.2 ? Math.floor(rand() * (length + 1)) : -1;
    const asyncSource = rand() < 0.5;
    const stopAt = rand() < 0.3 ? Math.floor(rand() * (length + 1)) : -1;
    const stopByAbort = rand() < 0.5;
    const ac = new AbortController();
    let read = 0;
    let running = 0;
    let stopped = false;
    let sourceThrew = false;
    const startedAfterStop = [];
    function* syncRows() {
      for (let i = 0; i < length; i++) {
        if (i === throwAt) {
          sourceThrew = true;
          throw new Error("source failed");
        }
        read++;
        yield i;
      }
    }
    async function* asyncRows() {
      for (const i of syncRows()) {
        await pause();
        yield i;
      }
    }
    const op = async (n) => {
      if (stopped && !stopByAbort) startedAfterStop.push(n);
      running++;
      assert.ok(running <= concurrency, `round ${round}: ${running} calls running`);
      await pause();
      running--;
      if (rand() < 0.15) throw new Error(`item ${n} failed`);
      return n;
    };
    const seen = [];
    let error;
    try {
      for await (const o of provisionMany(asyncSource ? asyncRows() : syncRows(), op, { concurrency, signal: ac.signal })) {
        assert.equal(o.item, o.index);
        seen.push(o.index);
        // Held: calls running and outcomes waiting, besides this one.
        assert.ok(read - seen.length <= 2 * concurrency - 1, `round ${round}: ${read - seen.length} held`);
        if (seen.length === stopAt) {
          stopped = true;
          if (stopByAbort) ac.abort(new Error("stop"));
          else break;
        }
        if (rand() < 0.3) await pause();
      }
    } catch (e) {
      error = e;
    }
    await sleep(6);
    const breakOut = stopped && !stopByAbort;
    if (!breakOut) {
      assert.deepEqual(seen.slice().sort((a, b) => a - b), Array.from({ length: read }, (_, i) => i), `round ${round}: one outcome per item read`);
    }
    // The source's error comes first, then the abort's reason.
    if (breakOut) assert.equal(error, undefined, `round ${round}`);
    else if (sourceThrew) assert.equal(error?.message, "source failed", `round ${round}`);
    else if (stopped) assert.equal(error?.message, "stop", `round ${round}`);
    else assert.equal(error, undefined, `round ${round}`);
    assert.deepEqual(startedAfterStop, [], `round ${round}: calls started after the consumer broke out`);
    assert.equal(running, 0, `round ${round}: calls left running`);
  }
});

test("a source that throws midway: every item read ends as one outcome, then the error", async () => {
  const boom = new Error("database went away");
  async function* rows() {
    for (let i = 0; i < 10; i++) yield i;
    throw boom;
  }
  const seen = [];
  let error;
  try {
    for await (const o of provisionMany(rows(), async (n) => (await sleep(5), n), { concurrency: 4 })) seen.push(o.index);
  } catch (e) {
    error = e;
  }
  assert.equal(error, boom);
  assert.deepEqual(seen.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // A synchronous iterable too.
  function* sync() {
    yield 1;
    throw boom;
  }
  await assert.rejects(collect(provisionMany(sync(), (n) => n)), (e) => e === boom);
});

test("abort: no further item is read, the calls in flight are yielded, then the reason; the source is closed", async () => {
  const ac = new AbortController();
  let read = 0;
  let closed = false;
  const source = {
    [Symbol.asyncIterator]() {
      return {
        next: async () => ({ done: false, value: read++ }),
        return: async () => {
          closed = true;
          return { done: true };
        },
      };
    },
  };
  const seen = [];
  let error;
  try {
    for await (const o of provisionMany(source, async (n, { signal }) => {
      assert.equal(signal, ac.signal);
      await sleep(10);
      return n;
    }, { concurrency: 3, signal: ac.signal })) {
      seen.push(o.index);
      if (seen.length === 5) ac.abort(new Error("stop"));
    }
  } catch (e) {
    error = e;
  }
  assert.equal(error?.message, "stop");
  assert.equal(seen.length, read, "every item read was yielded");
  // 5 taken, at most 2 × 3 - 1 held (calls in flight and outcomes waiting), one read under way.
  assert.ok(read <= 5 + 2 * 3, `${read} items read`);
  assert.ok(closed);
});

test("breaking out of the loop closes the source", async () => {
  let closed = false;
  function* rows() {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      closed = true;
    }
  }
  for await (const o of provisionMany(rows(), (n) => n, { concurrency: 2 })) if (o.index === 3) break;
  assert.ok(closed);
  // A call that settles as the loop breaks out starts no other: item 1's call ends just
  // before the `break`, in the turn before the generator's own `finally` runs.
  const started = [];
  const finish = [];
  const op = (n) => {
    started.push(n);
    return n === 0 ? n : new Promise((resolve) => (finish[n] = () => resolve(n)));
  };
  for await (const o of provisionMany([0, 1, 2, 3, 4], op, { concurrency: 2 })) {
    assert.equal(o.index, 0);
    finish[1]();
    break;
  }
  await sleep(5);
  assert.deepEqual(started, [0, 1, 2]);
});

test("bad arguments are INVALID_INPUT", async () => {
  await rejectsWith(() => provisionMany([1], "signIn").next(), "INVALID_INPUT");
  await rejectsWith(() => provisionMany(42, (x) => x).next(), "INVALID_INPUT");
  await rejectsWith(() => provisionMany("abc", (x) => x).next(), "INVALID_INPUT");
  for (const concurrency of [0, 1.5, "4", null, 2000]) {
    await rejectsWith(() => provisionMany([1], (x) => x, { concurrency }).next(), "INVALID_INPUT");
  }
  await rejectsWith(() => provisionMany([1], (x) => x, { signal: "no" }).next(), "INVALID_INPUT");
  await rejectsWith(() => provisionMany([1], (x) => x, { onProgress: 1 }).next(), "INVALID_INPUT");
  // A throwing progress callback loses nothing.
  const out = await collect(provisionMany([1, 2, 3], (x) => x, { onProgress: () => { throw new Error("x"); } }));
  assert.equal(out.length, 3);
});

test("memory stays flat over 10^5 streamed items", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  function* rows() {
    for (let i = 0; i < 100_000; i++) yield { login: `learner-${i}`, payload: "x".repeat(200) };
  }
  let n = 0;
  let atQuarter = 0;
  for await (const o of provisionMany(rows(), async (row) => row.login.length, { concurrency: 16 })) {
    n++;
    if (n === 25_000) {
      gc();
      atQuarter = process.memoryUsage().heapUsed;
    }
    assert.ok(o.ok);
  }
  gc();
  const growth = process.memoryUsage().heapUsed - atQuarter;
  assert.equal(n, 100_000);
  assert.ok(growth < 2 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(2)} MiB from 25k to 100k items`);
});

test("the CommonJS entry exports the same helper", async () => {
  const cjs = createRequire(import.meta.url)("lms-bridge");
  const out = await collect(cjs.provisionMany([1, 2], (x) => x + 1));
  assert.deepEqual(out.map((o) => o.result).sort(), [2, 3]);
});

test("Teach on Mars signIn over a roster with faults: the limit holds in every window, a re-run provisions each learner exactly once", async () => {
  server.reset();
  const tom = installTeachOnMars(server, { clientSecret: "bulk-tom-secret" });
  const client = new TeachOnMars({
    baseUrl: server.origin, auth: { clientId: tom.clientId, clientSecret: "bulk-tom-secret", tokenUrl: tom.tokenUrl },
    rateLimit: { requests: 20, perMs: 500 }, retries: 3, timeoutMs: 2000,
  });
  const roster = Array.from({ length: 60 }, (_, i) => ({ login: `bulk-${i}`, email: `bulk-${i}@example.com`, firstname: "B", lastname: `${i}` }));
  server.chaos({ rate: 0.08, seed: 7, burst: 3, skip: (r) => r.path === tom.tokenPath });
  const first = await collect(provisionMany(roster, (row) => client.signIn(row), { concurrency: 8 }));
  const counts = server.chaos(null);
  assert.equal(first.length, roster.length);
  assert.ok(Object.values(counts).reduce((a, b) => a + b, 0) >= 5, `faults injected: ${JSON.stringify(counts)}`);
  const failed = first.filter((o) => !o.ok);
  for (const o of failed) assert.ok(o.error.retryable, `${o.item.login}: ${o.error.code} should be retryable`);
  // The re-run redoes only what failed; signIn finds before it creates, so nothing doubles.
  const second = await collect(provisionMany(failed.map((o) => o.item), (row) => client.signIn(row), { concurrency: 8 }));
  assert.ok(second.every((o) => o.ok), JSON.stringify(second.filter((o) => !o.ok).map((o) => o.error.code)));
  for (const row of roster) assert.equal(tom.created.get(row.login), 1, `${row.login} created ${tom.created.get(row.login)} times`);
  assert.ok(server.maxInWindow(500) <= 20, `${server.maxInWindow(500)} requests in one 500 ms window`);
});

test("Miles Masterclass autoSubscribe and LearnWorlds SSO with their limits: never above, every item once", async () => {
  server.reset();
  const mm = installMilesMasterclass(server, { apiKey: "bulk-mm-key" });
  const client = new MilesMasterclass({ baseUrl: mm.baseUrl, apiKey: "bulk-mm-key", rateLimit: { requests: 25, perMs: 400 } });
  const rows = Array.from({ length: 80 }, (_, i) => ({ email: `mm-${i}@example.com`, lmsUserId: String(i) }));
  const out = await collect(provisionMany(rows, (r) => client.autoSubscribe(r), { concurrency: 16 }));
  assert.ok(out.every((o) => o.ok));
  assert.ok(server.maxInWindow(400) <= 25);
  assert.equal(server.requests.length, 80);

  server.reset();
  const school = installLearnWorlds(server, { clientId: "bulk-lw", clientSecret: "bulk-lw-secret" });
  const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: "bulk-lw", clientSecret: "bulk-lw-secret", rateLimit: { requests: 10, perMs: 300 } });
  const users = Array.from({ length: 25 }, (_, i) => ({ email: `lw-${i}@example.com`, username: `lw${i}` }));
  const sso = await collect(provisionMany(users, (u) => lw.sso(u), { concurrency: 8 }));
  assert.ok(sso.every((o) => o.ok), JSON.stringify(sso.find((o) => !o.ok)?.error));
  assert.equal(new Set(sso.map((o) => o.result.userId)).size, 25);
  assert.ok(server.maxInWindow(300) <= 10, `${server.maxInWindow(300)} in 300 ms`);
  assert.ok(school);
});
