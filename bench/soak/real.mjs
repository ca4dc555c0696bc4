#!/usr/bin/env node
// Soak over real sockets (issue 13): the four vendor mocks of lms-bridge/testing run in a child
// process on 127.0.0.1 (their own bookkeeping grows there, not here), and this process
// makes real `fetch` round trips to them through the installed package, in Node and inside
// a Worker in workerd. Then a mixed in-process run: verifications, sans-IO builds and
// parses, and failing calls. Figures: JS heap after forced GC (Node), the package's wasm
// memory and RSS, at each quarter.
//
//   node bench/soak/real.mjs [--round-trips 100000] [--mixed 1000000] [--plain-fetch]
// (--plain-fetch: the Worker makes the same requests with plain fetch, as a baseline for
// workerd's own RSS.)
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

// ---- the child: four mock vendors, origins sent to the parent ----
if (process.argv[2] === "--mock-child") {
  const { startMockServer, installMilesMasterclass, installAlphaLearn, installTeachOnMars, installLearnWorlds } =
    await import("lms-bridge/testing");
  const [mm, al, tom, lw] = await Promise.all([startMockServer(), startMockServer(), startMockServer(), startMockServer()]);
  installMilesMasterclass(mm, { apiKey: "mm-soak-key-1" });
  const alState = installAlphaLearn(al);
  const tomState = installTeachOnMars(tom);
  tomState.addLearner({ identifier: "L1", login: "ann" });
  const lwState = installLearnWorlds(lw, { rateLimit: false });
  lwState.addUser({ email: "ann@example.com", username: "ann" });
  // The mocks' request logs would grow for the whole run: trim them now and then.
  setInterval(() => {
    for (const s of [mm, al, tom, lw]) s.requests.length = 0;
    lwState.apiRequests.length = 0;
    lwState.codes.clear();
  }, 1000).unref();
  process.send({
    mm: mm.origin, al: alState.baseUrl, alUser: alState.users[0], tom: tom.origin, tomToken: tomState.tokenUrl,
    tomClient: [tomState.clientId, tomState.clientSecret], lw: lw.origin, lwClient: [lwState.clientId, lwState.clientSecret],
  });
  process.on("disconnect", () => process.exit(0));
} else {
  await main();
}

async function main() {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const arg = (n, d) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
  const roundTrips = arg("round-trips", 100_000);
  const mixed = arg("mixed", 1_000_000);
  const child = fork(fileURLToPath(import.meta.url), ["--mock-child"], { stdio: "inherit" });
  const m = await new Promise((resolve) => child.once("message", resolve));
  const lms = await import("lms-bridge");
  const pkgDir = path.dirname(fs.realpathSync(path.join(root, "node_modules/lms-bridge/package.json")));
  const { packageWasmMemory } = await import("../harness.mjs");
  const wasmBytes = await packageWasmMemory(lms, pkgDir);
  const snap = async () => {
    await new Promise((r) => setTimeout(r, 20));
    gc();
    gc();
    const u = process.memoryUsage();
    return { heap: u.heapUsed, rss: u.rss, wasm: wasmBytes() };
  };
  const MiB = (n) => (n / 1048576).toFixed(2);
  const report = (name, n, s0, curve, s1, seconds) =>
    console.log(`| ${name} | ${n} | ${seconds.toFixed(0)} | ${MiB(s1.heap - s0.heap)} | ${MiB(s1.wasm - s0.wasm)} | ${MiB(s1.rss - s0.rss)} | ${curve.join(" ")} |`);

  // ---- Node: real round trips ----
  const mm = new lms.MilesMasterclass({ baseUrl: `${m.mm}/api`, apiKey: "mm-soak-key-1" });
  const al = new lms.AlphaLearn({ baseUrl: m.al });
  const tom = new lms.TeachOnMars({ baseUrl: m.tom, auth: { clientId: m.tomClient[0], clientSecret: m.tomClient[1], tokenUrl: m.tomToken } });
  const lw = new lms.LearnWorlds({ schoolUrl: m.lw, clientId: m.lwClient[0], clientSecret: m.lwClient[1], rateLimit: false });
  const calls = [
    () => mm.autoSubscribe({ email: "ann@example.com", lmsUserId: "42" }),
    () => al.login({ email: m.alUser.email, password: m.alUser.password }),
    () => tom.findLearnerByLogin("ann"),
    () => lw.sso({ email: "ann@example.com", username: "ann" }),
  ];
  const run = async (n, width = 32) => {
    let next = 0;
    await Promise.all(Array.from({ length: width }, async () => {
      while (next < n) await calls[next++ % calls.length]();
    }));
  };
  console.log("| run | calls | s | JS heap (MiB) | wasm (MiB) | RSS (MiB) | heap at each quarter (MiB vs start) |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
  await run(2000);
  let s0 = await snap();
  let t0 = performance.now();
  let curve = [];
  for (let q = 0; q < 4; q++) {
    await run(roundTrips / 4);
    curve.push(MiB((await snap()).heap - s0.heap));
  }
  report("Node: real fetch round trips (4 vendors)", roundTrips, s0, curve, await snap(), (performance.now() - t0) / 1000);

  // ---- Node: mixed in-process calls ----
  const secret = "whsec_" + Buffer.from("mixed-soak-secret").toString("base64");
  const payload = JSON.stringify({ event: "x", data: "y".repeat(200) });
  const headers = lms.signWebhook(payload, { scheme: "standard-webhooks", secret });
  const resp = { status: 201, headers: { "content-type": "application/json" }, body: '{"status":"subscribed","user_id":7}' };
  const mixedCalls = [
    () => lms.verifyWebhook(payload, headers, { scheme: "standard-webhooks", secret }),
    () => mm.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: "42" }),
    () => mm.parseAutoSubscribe(resp),
    () => { try { lms.verifyWebhook(`${payload}!`, headers, { scheme: "standard-webhooks", secret }); } catch { /* expected */ } },
    () => { try { mm.parseAutoSubscribe({ status: 500, body: "oops" }); } catch { /* expected */ } },
  ];
  const runMixed = (n) => {
    for (let i = 0; i < n; i++) mixedCalls[i % mixedCalls.length]();
  };
  runMixed(10_000);
  s0 = await snap();
  t0 = performance.now();
  curve = [];
  for (let q = 0; q < 4; q++) {
    runMixed(mixed / 4);
    curve.push(MiB((await snap()).heap - s0.heap));
  }
  report("Node: mixed verify/build/parse/error calls", mixed, s0, curve, await snap(), (performance.now() - t0) / 1000);

  // ---- workerd: real round trips from inside a Worker ----
  const { Miniflare } = await import("miniflare");
  const { packageModules, workerdRss } = await import("../../tests/js/hosts.mjs");
  const file = (f) => path.join(pkgDir, f);
  const worker = `
import { MilesMasterclass, LearnWorlds } from "./workerd.mjs";
import { initSync } from "./lms_bridge.js";
const memory = initSync().memory;
let clients;
export default {
  async fetch(request) {
    const n = Number(new URL(request.url).searchParams.get("n"));
    clients ??= [new MilesMasterclass({ baseUrl: ${JSON.stringify(`${m.mm}/api`)}, apiKey: "mm-soak-key-1" }),
      new LearnWorlds({ schoolUrl: ${JSON.stringify(m.lw)}, clientId: ${JSON.stringify(m.lwClient[0])}, clientSecret: ${JSON.stringify(m.lwClient[1])}, rateLimit: false })];
    const [mm, lw] = clients;
    let next = 0;
    // --plain-fetch: the same requests by hand, to tell the host's own growth from ours.
    const plain = ${process.argv.includes("--plain-fetch")};
    const byHand = () => fetch(${JSON.stringify(`${m.mm}/api/integrations/lms/auto-subscribe`)}, { method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "mm-soak-key-1" }, body: '{"email":"ann@example.com","lms_user_id":"42"}' }).then((r) => r.json());
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < n) {
        if (plain) { next++; await byHand(); continue; }
        await (next++ % 2 ? mm.autoSubscribe({ email: "ann@example.com", lmsUserId: "42" }) : lw.sso({ email: "ann@example.com", username: "ann" }));
      }
    }));
    return Response.json({ wasm: memory.buffer.byteLength });
  },
};`;
  const mf = new Miniflare({
    modulesRoot: pkgDir,
    modules: [
      { type: "ESModule", path: file("__soak_real.mjs"), contents: worker },
      ...packageModules(pkgDir),
    ],
    compatibilityDate: "2025-01-01",
  });
  const call = async (n) => (await mf.dispatchFetch(`http://soak.test/?n=${n}`)).json();
  try {
    const w0 = (await call(2000)).wasm;
    const r0 = workerdRss();
    t0 = performance.now();
    const rss = [];
    let w1 = w0;
    // At most 1000 subrequests per incoming request, as on Cloudflare.
    for (let q = 0; q < 4; q++) {
      for (let left = roundTrips / 4; left > 0; left -= 1000) w1 = (await call(Math.min(1000, left))).wasm;
      rss.push(MiB(workerdRss() - r0));
    }
    console.log(`| workerd: real fetch round trips (2 vendors) | ${roundTrips} | ${((performance.now() - t0) / 1000).toFixed(0)} | n/a | ${MiB(w1 - w0)} | ${rss.at(-1)} | RSS ${rss.join(" ")} |`);
  } finally {
    await mf.dispose();
    child.disconnect();
  }
}
