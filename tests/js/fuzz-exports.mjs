// A seeded JS fuzzer over every export of the installed package: functions, constructors,
// static and instance methods get random arguments from a pool of hostile values (null,
// symbols, bigint, proxies, throwing getters, huge and invalid-UTF-16 strings, __proto__
// keys, …, vendor answers echoing the clients' canary secrets). Every failure must be an
// LmsBridgeError holding none of its client's secrets, and the same instance keeps working.
//
//   node tests/js/fuzz-exports.mjs [--calls-per-export N] [--seed S]
// tests/js/fuzz-exports.test.mjs runs it small in `npm test`; the long run is 10^6 calls
// per export.
import * as lms from "lms-bridge";

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const throwing = new Proxy({}, { get() { throw new Error("getter boom"); }, ownKeys() { throw new Error("ownKeys boom"); } });
const getterBomb = Object.defineProperty({}, "email", { enumerable: true, get() { throw new Error("email getter"); } });
// Vendor answers that echo every configured canary (see `clients` below), for the parsers.
const ALL_CANARIES = "mm-fuzz-key cb-fuzz-key tom-fuzz-token lw-fuzz-token";
const echoes = [400, 401, 500, 200].map((status) => ({
  status, headers: { "content-type": "application/json", "x-echo": ALL_CANARIES },
  body: JSON.stringify({ message: ALL_CANARIES, code: ALL_CANARIES, error: ALL_CANARIES, errors: [{ context: ALL_CANARIES }], status: false, data: { token: ALL_CANARIES } }),
}));
const protoKeys = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "email": "a@b.co"}');

function pool(r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const scalars = [undefined, null, true, false, 0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 63), 10n, Symbol("s"),
    "", "x", "a@b.co", "https://lms.example.com/x", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "\ud800", "\udfff\ud800", "é✓😀",
    "\u0000".repeat(64), "x".repeat(70_000), "Infinity", "300", "http://app.localhost", "javascript:alert(1)",
    () => 1, function named() {}, new Date(0), /re/, new Uint8Array([1, 2, 3]), new ArrayBuffer(4), new Int16Array(2),
    new Map([["a", "b"]]), new Set([1]), new Headers({ "webhook-id": "x" }), Promise.resolve(1), throwing, getterBomb, protoKeys, ...echoes];
  const value = (depth = 0) => {
    const k = r();
    if (depth > 2 || k < 0.6) return pick(scalars);
    if (k < 0.8) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
    const keys = ["scheme", "secret", "email", "password", "token", "url", "baseUrl", "apiKey", "now", "toleranceSeconds", "headers",
      "status", "body", "method", "domain", "type", "enrollmentId", "login", "schoolUrl", "clientId", "auth", "callback", "__proto__",
      "hooks", "onRequest", "rateLimit", "requests", "perMs", "signal", "retries", "timeoutMs", "concurrency", "onProgress"];
    const o = {};
    for (let i = Math.floor(r() * 5); i > 0; i--) {
      // Own properties, "__proto__" included (as JSON.parse makes them).
      Object.defineProperty(o, pick(keys), { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  return value;
}

/** Every callable of the package: [name, fn(args), the canary secrets it holds] triples. */
function targets() {
  const out = [];
  for (const [name, v] of Object.entries(lms)) {
    if (typeof v !== "function" || name === "LmsBridgeError") continue;
    if (/^[A-Z]/.test(name)) {
      out.push([`new ${name}`, (a) => new v(...a), []]);
      for (const m of Object.getOwnPropertyNames(v)) {
        // `__wrap` and the like are wasm-bindgen's internals, not API.
        if (typeof v[m] === "function" && !m.startsWith("__")) out.push([`${name}.${m}`, (a) => v[m](...a), []]);
      }
    } else {
      out.push([name, (a) => v(...a), []]);
    }
  }
  // Instance methods on clients that construct (secrets refused in browsers only).
  const clients = [
    ["MilesMasterclass", new lms.MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "mm-fuzz-key", callback: { apiKey: "cb-fuzz-key" }, retries: 0 }), ["mm-fuzz-key", "cb-fuzz-key"]],
    ["AlphaLearn", new lms.AlphaLearn({ baseUrl: "https://al.example.com/v3", retries: 0 }), []],
    ["TeachOnMars", new lms.TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "tom-fuzz-token" }, retries: 0 }), ["tom-fuzz-token"]],
    ["LearnWorlds", new lms.LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "lw-fuzz-token", retries: 0 }), ["lw-fuzz-token"]],
    ["Webhook", new lms.Webhook({ scheme: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }), ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]],
  ];
  for (const [name, obj, canaries] of clients) {
    for (const m of Object.getOwnPropertyNames(Object.getPrototypeOf(obj))) {
      // Only the synchronous methods: the network ones would go to the (absent) network.
      if (m === "constructor" || m === "free" || typeof obj[m] !== "function" || !/^(build|parse|verify|deepLink)/.test(m)) continue;
      out.push([`${name}#${m}`, (a) => obj[m](...a), canaries]);
    }
  }
  return out;
}

/** Runs the fuzzer; returns { calls, errors, failures: [...] }. */
export function fuzzExports({ callsPerExport = 1000, seed = 1 } = {}) {
  const r = rng(seed);
  const value = pool(r);
  const failures = [];
  let calls = 0;
  let errors = 0;
  let leaks = 0;
  for (const [name, call, canaries] of targets()) {
    for (let i = 0; i < callsPerExport; i++) {
      const args = Array.from({ length: Math.floor(r() * 4) }, () => value());
      calls++;
      try {
        const out = call(args);
        if (out && typeof out.then === "function") out.then(undefined, () => {});
      } catch (e) {
        errors++;
        if (!lms.isLmsBridgeError(e)) {
          if (failures.length < 20) failures.push(`${name}: ${e?.stack?.split("\n")[0] ?? String(e)}`);
        } else if (canaries.length) {
          // The client's own secrets never reach its errors, whatever the vendor echoed.
          const text = `${e.message} ${e.vendorCode} ${e.stack} ${JSON.stringify(e)}`;
          const leaked = canaries.find((c) => text.includes(c));
          if (leaked && leaks++ < 5) failures.push(`${name}: canary ${leaked} in ${text.slice(0, 300)}`);
        }
      }
    }
    // The same instance keeps working after whatever it was given.
    const sha = Buffer.from(lms.sha256("abc")).toString("hex").slice(0, 8);
    if (sha !== "ba7816bf" && failures.length < 20) failures.push(`after ${name}: the instance no longer works`);
  }
  if ({}.polluted !== undefined) failures.push("Object.prototype was polluted");
  return { calls, errors, failures };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n, d) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
  const started = Date.now();
  const res = fuzzExports({ callsPerExport: arg("calls-per-export", 1_000_000), seed: arg("seed", 1) });
  console.log(`${res.calls} calls, ${res.errors} LmsBridgeErrors, ${res.failures.length} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const f of res.failures) console.log(f);
  process.exitCode = res.failures.length ? 1 : 0;
}
