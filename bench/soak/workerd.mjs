#!/usr/bin/env node
// Memory soak in workerd (miniflare): the scenarios of ./scenarios.mjs run inside a Worker
// that imports the installed package through its workerd entry. workerd has no forced GC,
// so the figures are the wasm linear memory (exact) and the workerd process's RSS, read at
// each quarter of the run: a leak shows as steady growth, a healthy run as a plateau.
//
//   node bench/soak/workerd.mjs [--calls 100000] [--only REGEX] [--pkg DIR]
//
// The last line is `SOAK {json}` (figures in bytes).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { packageModules, workerdRss } from "../../tests/js/hosts.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const pkgDir = path.resolve(arg("pkg", path.dirname(fs.realpathSync(require.resolve("lms-bridge/package.json")))));
const calls = Number(arg("calls", "100000"));
const only = new RegExp(arg("only", "."));

const worker = `
import * as lms from "./workerd.mjs";
import { initSync } from "./lms_bridge.js";
import { makeScenarios, runScenario } from "./scenarios.mjs";
const memory = initSync().memory;
let scenarios;
export default {
  async fetch(request) {
    scenarios ??= makeScenarios(lms);
    const url = new URL(request.url);
    if (url.pathname === "/list") return Response.json(Object.keys(scenarios));
    const faults = [];
    try {
      await runScenario(scenarios[url.searchParams.get("name")], Number(url.searchParams.get("calls")));
    } catch (e) {
      faults.push(String(e && e.stack || e));
    }
    return Response.json({ wasm: memory.buffer.byteLength, faults });
  },
};`;
const file = (name) => path.join(pkgDir, name);
const mf = new Miniflare({
  modulesRoot: pkgDir,
  modules: [
    { type: "ESModule", path: file("__soak.mjs"), contents: worker },
    { type: "ESModule", path: file("scenarios.mjs"), contents: fs.readFileSync(path.join(here, "scenarios.mjs"), "utf8") },
    ...packageModules(pkgDir),
  ],
  compatibilityDate: "2025-01-01",
});
await mf.ready;

const call = async (q) => (await mf.dispatchFetch(`http://soak.test/${q}`)).json();
const MiB = 1024 * 1024;
const mib = (n) => `${n >= 0 ? "+" : ""}${(n / MiB).toFixed(2)}`;
const results = [];
const allFaults = [];
console.log(`soak: workerd (miniflare), ${calls} calls per scenario`);
console.log("| scenario | calls | s | workerd RSS | wasm memory | RSS at ¼ ½ ¾ 1 (MiB, vs start) |");
console.log("| --- | ---: | ---: | ---: | ---: | --- |");
for (const name of await call("list")) {
  if (!only.test(name)) continue;
  const q = (n) => `run?name=${encodeURIComponent(name)}&calls=${n}`;
  const warm = await call(q(Math.min(2000, calls)));
  const start = { rss: workerdRss(), wasm: warm.wasm };
  const curve = [];
  let last = warm;
  const t0 = performance.now();
  for (let i = 0; i < 4; i++) {
    last = await call(q(calls / 4));
    allFaults.push(...last.faults);
    curve.push((workerdRss() - start.rss) / MiB);
  }
  const seconds = (performance.now() - t0) / 1000;
  const r = { name, calls, rss: workerdRss() - start.rss, wasm: last.wasm - start.wasm, seconds };
  results.push(r);
  console.log(`| ${name} | ${calls} | ${seconds.toFixed(1)} | ${mib(r.rss)} MiB | ${mib(r.wasm)} MiB | ${curve.map((x) => x.toFixed(1)).join(" ")} |`);
}
await mf.dispose();
for (const f of allFaults) console.log(f);
console.log(`SOAK ${JSON.stringify({ host: "workerd", results, faults: allFaults })}`);
process.exitCode = allFaults.length ? 1 : 0;
