// Timing, table and memory-probe helpers for bench/run.mjs and the soaks. No dependencies.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { packageShared } from "../tests/js/hosts.mjs";

/** Keeps results alive so the JIT cannot drop the measured call as dead code. */
export let sink;

/**
 * Measures one case: calibrate a batch size (≈ batchMs per batch), warm up for warmupMs,
 * then run batches until `timeMs` has passed (at least `minBatches`).
 * Returns { usPerOp, opsPerSec, batches } from the MEDIAN batch (robust to GC pauses and to
 * the other processes sharing the machine).
 * `fn` may be sync or async (`isAsync: true` awaits every call, as a caller would).
 */
export async function measure(fn, { timeMs = 600, batchMs = 50, warmupMs = 100, minBatches = 5, isAsync = false } = {}) {
  const run = isAsync
    ? async (n) => { for (let i = 0; i < n; i++) sink = await fn(); }
    : (n) => { for (let i = 0; i < n; i++) sink = fn(); };

  // Calibrate: double n until one loop takes ≥ 10 ms (this also starts the warm-up).
  const t0 = performance.now();
  let n = 1, dt = 0;
  for (;;) {
    const t = performance.now();
    await run(n);
    dt = performance.now() - t;
    if (dt >= 10) break;
    n *= 2;
  }
  const perOp = dt / n;
  const iters = Math.max(1, Math.round(batchMs / perOp));
  // Finish the warm-up so the optimizing tier has settled.
  while (performance.now() - t0 < warmupMs) await run(Math.max(1, Math.round(10 / perOp)));

  const samples = [];
  const start = performance.now();
  while (samples.length < minBatches || performance.now() - start < timeMs) {
    const t = performance.now();
    await run(iters);
    samples.push((performance.now() - t) / iters);
  }
  const msPerOp = median(samples);
  return { usPerOp: msPerOp * 1e3, opsPerSec: 1e3 / msPerOp, batches: samples.length };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Prints an aligned text table. `rows` are arrays of cells; numbers are right-aligned. */
export function table(title, head, rows) {
  const cells = [head, ...rows].map((r) => r.map((c) => String(c)));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const right = head.map((_, i) => rows.every((r) => typeof r[i] === "number" || /^[\d.,×%+-]+( ?[a-zA-Z/µ]*)?$/.test(String(r[i]))));
  const line = (r) => r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** 1234567.8 → "1,234,568"; small values keep `digits` decimals. */
export function fmt(x, digits = 0) {
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Human-readable byte count with the exact figure: "12,345 B (12.1 KiB)". */
export function bytes(n) {
  return n >= 1024 ? `${fmt(n)} B (${fmt(n / 1024, 1)} KiB)` : `${fmt(n)} B`;
}

/**
 * The wasm memory in use by the package at `pkgDir` (its vendor module and its signing module),
 * in bytes, as a function to call at each probe, for `lms` imported as an ES module.
 * `lms.init()` instantiates both first (in Node each is otherwise instantiated on first use).
 * The Node entries share the signing instance through the package's registry on globalThis
 * (`shared` in its error.js); importing the vendor glue by its real file URL returns the
 * package's own instance, whose `initSync()` then returns its exports (wasm-bindgen): so this
 * reads the package's memories, not copies.
 */
export async function packageWasmMemory(lms, pkgDir) {
  await lms.init();
  const glue = await import(pathToFileURL(join(pkgDir, "lms_bridge.js")).href);
  const memories = [packageShared(pkgDir).signing.memory, glue.initSync().memory];
  return () => memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
}
