#!/usr/bin/env node
// Memory soak in Node: every scenario of ./scenarios.mjs, `--calls` calls each, through the
// installed package. For each: warm up, force GC, read the JS heap, RSS and the wasm linear
// memory; run the calls (reading the same at each quarter); force GC and read again.
//
//   node bench/soak/node.mjs [--calls 100000] [--only REGEX] [--pkg DIR (default: the installed package)]
//
// The last line is `SOAK {json}` (figures in bytes) for tests/js/memory.test.mjs; the
// process also fails if an unhandled rejection or uncaught exception happened.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { makeScenarios, runScenario } from "./scenarios.mjs";
import { packageWasmMemory } from "../harness.mjs";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const calls = Number(arg("calls", "100000"));
const only = new RegExp(arg("only", "."));

const faults = [];
process.on("unhandledRejection", (e) => faults.push(`unhandledRejection: ${e?.stack ?? e}`));
process.on("uncaughtException", (e) => faults.push(`uncaughtException: ${e?.stack ?? e}`));
process.on("exit", (code) => {
  for (const f of faults) console.log(f);
  if (faults.length && !code) process.exitCode = 1;
});

// The package's own wasm memories (see packageWasmMemory in ../harness.mjs).
const require = createRequire(import.meta.url);
const pkgDir = resolve(arg("pkg", dirname(realpathSync(require.resolve("lms-bridge/package.json")))));
const lms = await import(pathToFileURL(join(pkgDir, "node.mjs")).href);
const wasmBytes = await packageWasmMemory(lms, pkgDir);

const settle = () => new Promise((r) => setTimeout(r, 20));
async function snap() {
  await settle(); // let finished timers and promise jobs run before measuring
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, wasm: wasmBytes() };
}

const MiB = 1024 * 1024;
const mib = (n) => `${n >= 0 ? "+" : ""}${(n / MiB).toFixed(2)}`;
const scenarios = makeScenarios(lms);
const results = [];
console.log(`soak: node ${process.version}, ${calls} calls per scenario`);
console.log("| scenario | calls | s | JS heap | RSS | wasm memory | heap at ¼ ½ ¾ 1 (MiB, vs start) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
for (const [name, scenario] of Object.entries(scenarios)) {
  if (!only.test(name)) continue;
  await runScenario(scenario, Math.min(2000, calls)); // warm-up: caches, JIT, wasm pages
  const start = await snap();
  const curve = [];
  const t0 = performance.now();
  for (let q = 0; q < 4; q++) {
    await runScenario(scenario, calls / 4);
    curve.push(((await snap()).heap - start.heap) / MiB);
  }
  const seconds = (performance.now() - t0) / 1000;
  const end = await snap();
  const r = { name, calls, heap: end.heap - start.heap, rss: end.rss - start.rss, wasm: end.wasm - start.wasm, seconds };
  results.push(r);
  console.log(`| ${name} | ${calls} | ${seconds.toFixed(1)} | ${mib(r.heap)} MiB | ${mib(r.rss)} MiB | ${mib(r.wasm)} MiB | ${curve.map((x) => x.toFixed(2)).join(" ")} |`);
}
await settle();
console.log(`SOAK ${JSON.stringify({ host: "node", results, faults })}`);
