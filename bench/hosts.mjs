// Webhook verification measured inside workerd (miniflare) and headless Chromium, against
// the fastest pure-JS peer (@noble/hashes) and WebCrypto, for bench/run.mjs.
//
// One host-neutral module (CASES_SOURCE) builds the cases and runs `n` calls of one; each
// host loads it with the installed package and noble. workerd's clock does not advance
// during CPU work, so calls there are timed from outside (the request's round trip, minus
// that of an empty run); Chromium's are timed inside the page.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..");
const nobleDir = path.join(repoRoot, "node_modules/@noble/hashes");

export const HOST_CASES = [
  "lms-bridge/webhooks · Webhook.verify",
  "lms-bridge/webhooks · verifyWebhook",
  "lms-bridge · verifyWebhook",
  "@noble/hashes hand-written SW (pure JS)",
  "WebCrypto hand-written SW (async)",
];
export const HOST_SIZES = [["64 B", 64], ["1 KiB", 1024], ["64 KiB", 65536]];

// Imports are rewritten per host: "./webhooks" and "./main" are the package's entries.
const CASES_SOURCE = `
import * as hooks from "./webhooks";
import * as main from "./main";
import { nobleVerifier, webCryptoVerifier } from "./portable-verifiers.mjs";

const SECRET = "whsec_" + btoa("lms-bridge-bench-secret!");
const cases = {};

export async function setup(sizes, nowMs) {
  const ts = Math.floor(nowMs / 1000);
  const noble = nobleVerifier(SECRET);
  const web = await webCryptoVerifier(SECRET);
  const reused = new hooks.Webhook({ scheme: "standard-webhooks", secret: SECRET });
  const opts = { scheme: "standard-webhooks", secret: SECRET, now: nowMs };
  for (const size of sizes) {
    const payload = '{"d":"' + "x".repeat(size - 8) + '"}';
    const headers = hooks.signWebhook(payload, { scheme: "standard-webhooks", secret: SECRET, id: "msg_bench", timestamp: ts });
    const bad = payload.slice(0, -3) + "y" + payload.slice(-2);
    const all = {
      "lms-bridge/webhooks · Webhook.verify": (p) => reused.verify(p, headers, { now: nowMs }),
      "lms-bridge/webhooks · verifyWebhook": (p) => hooks.verifyWebhook(p, headers, opts),
      "lms-bridge · verifyWebhook": (p) => main.verifyWebhook(p, headers, opts),
      "@noble/hashes hand-written SW (pure JS)": (p) => noble(p, headers, ts),
      "WebCrypto hand-written SW (async)": (p) => web(p, headers, ts),
    };
    for (const [name, fn] of Object.entries(all)) {
      if (!(await fn(payload))) throw new Error(name + " rejected a good message");
      let rejected = false;
      try { await fn(bad); } catch { rejected = true; }
      if (!rejected) throw new Error(name + " accepted a tampered message");
      (cases[name] ??= {})[size] = fn.constructor.name === "AsyncFunction" || name.startsWith("WebCrypto")
        ? async (n) => { for (let i = 0; i < n; i++) await fn(payload); }
        : (n) => { for (let i = 0; i < n; i++) fn(payload); };
    }
  }
}

export async function run(name, size, n) {
  await cases[name][size](n);
}
`;

const portable = () => fs.readFileSync(path.join(here, "portable-verifiers.mjs"), "utf8").replaceAll('"@noble/hashes/', '"./noble/');
const nobleFiles = () => fs.readdirSync(nobleDir).filter((f) => f.endsWith(".js"));

/**
 * Times every (case, size) of HOST_CASES × HOST_SIZES with `timeRun(name, size, n)` (ms for
 * `n` calls): calibrates `n` to ≈ 40 ms per run for each, then runs them all in 7 interleaved
 * rounds and keeps each one's median µs per call. Interleaving spreads the host's drift
 * (another process, a GC, the clock) over every case alike, so the ratios between cases hold
 * even when the absolute times move. Returns { case: { size label: µs } }.
 */
async function timeAll(timeRun) {
  const runs = HOST_CASES.flatMap((name) => HOST_SIZES.map(([label, size]) => ({ name, label, size, n: 1, samples: [] })));
  for (const r of runs) {
    while ((await timeRun(r.name, r.size, r.n)) < 40 && r.n < 1 << 22) r.n *= 2;
  }
  for (let round = 0; round < 7; round++) {
    for (const r of runs) r.samples.push((await timeRun(r.name, r.size, r.n)) / r.n);
  }
  const out = {};
  for (const r of runs) (out[r.name] ??= {})[r.label] = median(r.samples) * 1000;
  return out;
}

/** Runs every case at every size in workerd; returns { case: { size label: µs } }. */
export async function benchWorkerd(pkgDir) {
  const { Miniflare } = await import("miniflare");
  const { packageModules } = await import("../tests/js/hosts.mjs");
  const file = (name) => path.join(pkgDir, name);
  const worker = `
import { setup, run } from "./cases.mjs";
let ready;
export default {
  async fetch(request) {
    const url = new URL(request.url);
    ready ??= setup(${JSON.stringify(HOST_SIZES.map(([, s]) => s))}, Number(url.searchParams.get("now")));
    await ready;
    const n = Number(url.searchParams.get("n"));
    if (n > 0) await run(url.searchParams.get("name"), Number(url.searchParams.get("size")), n);
    return new Response("ok");
  },
};`;
  const esm = (name, contents) => ({ type: "ESModule", path: file(name), contents });
  const mf = new Miniflare({
    modulesRoot: pkgDir,
    modules: [
      esm("__bench.mjs", worker),
      esm("cases.mjs", CASES_SOURCE.replace('"./webhooks"', '"./webhooks.workerd.mjs"').replace('"./main"', '"./workerd.mjs"')),
      esm("portable-verifiers.mjs", portable()),
      ...nobleFiles().map((f) => esm(`noble/${f}`, fs.readFileSync(path.join(nobleDir, f), "utf8"))),
      ...packageModules(pkgDir),
    ],
    compatibilityDate: "2025-01-01",
  });
  try {
    await mf.ready;
    const now = Date.now();
    const call = async (q) => {
      const t = performance.now();
      const res = await mf.dispatchFetch(`http://bench.test/?now=${now}&${q}`);
      if ((await res.text()) !== "ok") throw new Error("workerd bench failed");
      return performance.now() - t;
    };
    await call("n=0");
    const empty = [];
    for (let i = 0; i < 9; i++) empty.push(await call("n=0"));
    const overhead = median(empty);
    const q = (name, size, n) => `name=${encodeURIComponent(name)}&size=${size}&n=${n}`;
    return await timeAll(async (name, size, n) => Math.max(0, (await call(q(name, size, n))) - overhead));
  } finally {
    await mf.dispose();
  }
}

/** The same in headless Chromium (Debian's, through the tests' harness), on the installed package. */
export async function benchChromium() {
  const { withChromium } = await import("../tests/js/hosts.mjs");
  const page = `<!doctype html><meta charset="utf-8"><script type="module">
import { setup, run } from "/cases.mjs";
await setup(${JSON.stringify(HOST_SIZES.map(([, s]) => s))}, Date.now());
window.bench = async (name, size, n) => { const t = performance.now(); await run(name, size, n); return performance.now() - t; };
</script>`;
  const cases = CASES_SOURCE.replace('"./webhooks"', '"/pkg/webhooks.browser.mjs"').replace('"./main"', '"/pkg/browser.mjs"')
    .replace('const cases = {};', 'const cases = {};\nawait Promise.all([hooks.init(), main.init()]);');
  const script = (body) => (_req, res) => res.writeHead(200, { "content-type": "text/javascript" }).end(body);
  const routes = {
    "/cases.mjs": script(cases),
    "/portable-verifiers.mjs": script(portable()),
    ...Object.fromEntries(nobleFiles().map((f) => [`/noble/${f}`, script(fs.readFileSync(path.join(nobleDir, f)))])),
  };
  return withChromium(async ({ page: tab, origin }) => {
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => typeof window.bench === "function", null, { timeout: 30_000 });
    return timeAll((name, size, n) => tab.evaluate(([a, b, c]) => window.bench(a, b, c), [name, size, n]));
  }, { pages: { "/": page }, routes });
}
