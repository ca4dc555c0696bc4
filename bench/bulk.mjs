// Whole-roster benchmark (issue 15), against the Miles Masterclass mock in a child process
// (its CPU is not ours), over real sockets:
//
// 1. Throughput: N learners (default 10^4) subscribed with provisionMany + autoSubscribe at
//    concurrency C (default 16), against plain concurrent `fetch` calls sending the very same
//    requests at the same concurrency (a pool of C loops), two ways: bare (no timeout, body
//    read and dropped) and as a hand-written integration must at least be (a timeout,
//    `res.json()`, a status check); and two diagnostics: the package's sans-IO twins
//    (`buildAutoSubscribe` + `fetch` + `parseAutoSubscribe`) in the same loops, and the
//    hand-written loop starting its next request one turn of the event loop later
//    (`setImmediate`), as the package's transport batches a busy process's calls: what the
//    same scheduling gives plain code. Twice: against a mock that answers at once (the client's
//    CPU is the limit) and one that takes L ms per request (default 20; a fast vendor API).
//    Target: ≥ 0.9× the hand-written rate.
// 2. Rate limit: M requests (default 120) with the client's limit at 30 per 10 s; the mock
//    records arrivals. Targets: never more than 30 in any 10 s window (sliding, arrivals),
//    and a sustained rate ≥ 95 % of the limit: the fastest schedule the limit allows
//    ((⌈M / 30⌉ − 1) windows from the first to the last send) over the measured span.
//
//   node bench/bulk.mjs [--learners N] [--concurrency C] [--limited M] [--latency L]
// Part of `npm run bench` (bench/run.mjs runs it with the defaults).
import { fork } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MilesMasterclass, provisionMany } from "lms-bridge";

const API_KEY = "bench-bulk-key";

// ---- the child: the Miles Masterclass mock, arrivals reported on request ----
if (process.argv[2] === "--mock-child") {
  const { startMockServer } = await import("lms-bridge/testing");
  const { installMilesMasterclass } = await import("lms-bridge/testing");
  const server = await startMockServer({ latencyMs: Number(process.argv[3] ?? 0) });
  const mm = installMilesMasterclass(server, { apiKey: API_KEY });
  process.on("message", (m) => {
    if (m === "reset") {
      server.requests.length = 0;
      process.send({ reset: true });
    } else if (m === "arrivals") {
      process.send({ arrivals: server.requests.map((r) => r.at), users: mm.users.size });
    }
  });
  process.send({ baseUrl: mm.baseUrl });
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Run directly (`node bench/bulk.mjs`); bench/run.mjs imports it and calls runBulkBench once.
  const arg = (n, d) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
  const result = await runBulkBench({ learners: arg("learners", 10_000), concurrency: arg("concurrency", 16), limited: arg("limited", 120), latency: arg("latency", 20) });
  for (const line of result.lines) console.log(line);
  process.exitCode = result.pass ? 0 : 1;
}

/** Starts the mock in a child process with `latency` ms per request. */
async function startChild(latency) {
  const child = fork(fileURLToPath(import.meta.url), ["--mock-child", String(latency)], { stdio: "inherit" });
  const ask = (m, key) => new Promise((resolve) => {
    const on = (x) => {
      if (key in x) {
        child.off("message", on);
        resolve(x);
      }
    };
    child.on("message", on);
    if (m) child.send(m);
  });
  const { baseUrl } = await ask(null, "baseUrl");
  return { baseUrl, ask, kill: () => child.kill() };
}

/** Throughput of the helper against bare and hand-written concurrent fetch; best of three. */
async function throughput(baseUrl, learners, concurrency) {
  const rows = (tag, n) => Array.from({ length: n }, (_, i) => ({ email: `${tag}-${i}@example.com`, lmsUserId: `${tag}-${i}`, firstName: "B", lastName: String(i) }));
  const client = new MilesMasterclass({ baseUrl, apiKey: API_KEY, retries: 0 });
  // C loops over a shared cursor, `send` timed on each of `items`.
  const pool = async (items, send) => {
    const t = performance.now();
    let next = 0;
    let ok = 0;
    const loop = async () => {
      while (next < items.length) if (await send(items[next++])) ok++;
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { ms: performance.now() - t, ok };
  };
  // The same requests as the helper sends (built by the same builder, before the clock starts).
  const prebuilt = (n) => rows("plain", n).map((r) => client.buildAutoSubscribe(r));
  const bare = (n) => pool(prebuilt(n), async (req) => {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
    await res.arrayBuffer();
    return res.ok;
  });
  // `batched`: each loop's next request one turn later, so responses read in one turn are
  // handled together and the next requests go out together (a diagnostic).
  const hand = (batched) => (n) => pool(prebuilt(n), async (req) => {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(10_000) });
    const body = await res.json();
    if (batched) await new Promise((resolve) => setImmediate(resolve));
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${body?.detail}`);
    return body.status !== undefined;
  });
  // The package's sans-IO twins around the same fetch, one request after the other in each
  // loop (no retries, no limiter, no futures).
  const sansIo = (n) => pool(rows("sansio", n), async (row) => {
    const req = client.buildAutoSubscribe(row);
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(10_000) });
    return client.parseAutoSubscribe({ status: res.status, headers: res.headers, body: await res.text() }).status !== undefined;
  });
  const helper = async (n) => {
    const items = rows("helper", n);
    const t = performance.now();
    let ok = 0;
    for await (const o of provisionMany(items, (r) => client.autoSubscribe(r), { concurrency })) if (o.ok) ok++;
    return { ms: performance.now() - t, ok };
  };
  const cases = [
    ["bare fetch", bare],
    ["fetch + timeout + json", hand(false)],
    ["the same, next request one turn later (diagnostic)", hand(true)],
    ["buildAutoSubscribe + fetch + parseAutoSubscribe (sans-IO, diagnostic)", sansIo],
    ["provisionMany + autoSubscribe", helper],
  ];
  for (const [, run] of cases) await run(Math.min(500, learners)); // connections, JIT
  const best = cases.map(() => null);
  for (let round = 0; round < 3; round++) {
    for (const [i, [, run]] of cases.entries()) {
      const r = await run(learners);
      if (!best[i] || r.ms < best[i].ms) best[i] = r;
    }
  }
  return cases.map(([name], i) => ({ name, rate: (learners / best[i].ms) * 1000, ok: best[i].ok === learners }));
}

/** Runs both parts; returns { lines, checks: [[name, pass, got, want]], pass, figures }. */
export async function runBulkBench({ learners = 10_000, concurrency = 16, limited = 120, latency = 20, rateLimit = { requests: 30, perMs: 10_000 } } = {}) {
  const lines = [];
  const checks = [];
  const figures = {};
  for (const ms of [0, latency]) {
    const mock = await startChild(ms);
    try {
      const [bare, hand, handBatched, sansIo, helper] = await throughput(mock.baseUrl, learners, concurrency);
      const ratio = helper.rate / hand.rate;
      figures[`latency${ms}`] = { bare: bare.rate, handWritten: hand.rate, handBatched: handBatched.rate, sansIo: sansIo.rate, helper: helper.rate, ratio };
      lines.push(`| ${learners} learners, concurrency ${concurrency}, vendor latency ${ms} ms | requests/s (best of 3) | helper ÷ this |`);
      lines.push("| --- | ---: | ---: |");
      for (const c of [bare, hand, handBatched, sansIo, helper]) lines.push(`| ${c.name}${c.ok ? "" : " (FAILURES)"} | ${c.rate.toFixed(0)} | ${(helper.rate / c.rate).toFixed(2)}× |`);
      lines.push("");
      checks.push([`bulk: provisionMany ≥ 0.9× hand-written concurrent fetch (latency ${ms} ms)`, ratio >= 0.9 && helper.ok, `${ratio.toFixed(2)}×`, "≥ 0.90×"]);
    } finally {
      mock.kill();
    }
  }

  // Rate limit: the client's own limit (the vendor measures arrivals).
  const mock = await startChild(0);
  try {
    const limitedClient = new MilesMasterclass({ baseUrl: mock.baseUrl, apiKey: API_KEY, retries: 0, rateLimit });
    const t0 = performance.now();
    let okLimited = 0;
    const limitedRows = Array.from({ length: limited }, (_, i) => ({ email: `limited-${i}@example.com`, lmsUserId: `l-${i}` }));
    for await (const o of provisionMany(limitedRows, (r) => limitedClient.autoSubscribe(r), { concurrency })) if (o.ok) okLimited++;
    const elapsed = performance.now() - t0;
    const { arrivals } = await mock.ask("arrivals", "arrivals");
    arrivals.sort((x, y) => x - y);
    let most = 0;
    for (let i = 0, j = 0; j < arrivals.length; j++) {
      while (arrivals[j] - arrivals[i] >= rateLimit.perMs) i++;
      most = Math.max(most, j - i + 1);
    }
    const span = arrivals.at(-1) - arrivals[0];
    const fastest = (Math.ceil(arrivals.length / rateLimit.requests) - 1) * rateLimit.perMs;
    const sustained = span > 0 ? fastest / span : 1;
    Object.assign(figures, { most, sustained, limitedSeconds: elapsed / 1000 });
    lines.push(`| ${limited} requests, limit ${rateLimit.requests} per ${rateLimit.perMs / 1000} s | value |`);
    lines.push("| --- | ---: |");
    lines.push(`| succeeded | ${okLimited} |`);
    lines.push(`| most arrivals in any ${rateLimit.perMs / 1000} s window | ${most} |`);
    lines.push(`| first to last arrival (fastest the limit allows: ${fastest / 1000} s) | ${(span / 1000).toFixed(3)} s |`);
    lines.push(`| sustained rate, share of the limit | ${(sustained * 100).toFixed(1)} % |`);
    checks.push(["bulk: never above the limit in any window", most <= rateLimit.requests && okLimited === limited, `${most}`, `≤ ${rateLimit.requests}`]);
    checks.push(["bulk: sustained rate ≥ 95 % of the limit", sustained >= 0.95, `${(sustained * 100).toFixed(1)} %`, "≥ 95 %"]);
  } finally {
    mock.kill();
  }
  lines.push("");
  for (const [name, pass, got, want] of checks) lines.push(`${pass ? "PASS" : "MISS"}  ${name}: ${got} (target ${want})`);
  return { lines, checks, pass: checks.every((c) => c[1]), figures };
}
