// A Worker bundled by wrangler itself (issue 14 §1): `wrangler deploy --dry-run --outdir`
// bundles tests/js/wrangler/worker.mjs with "lms-bridge" from node_modules (its `workerd`
// condition, the .wasm as a module by wrangler's default rules), and the bundle runs in
// workerd through miniflare, against the Miles Masterclass mock. No hand-listed modules.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { installMilesMasterclass, startMockServer } from "lms-bridge/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const KEY = "wrangler-key-1";
let server;
let mm;
let outdir;
let mf;
before(async () => {
  server = await startMockServer();
  mm = installMilesMasterclass(server, { apiKey: KEY });
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "lmsb-wrangler-"));
});
after(async () => {
  await mf?.dispose();
  await server.close();
  fs.rmSync(outdir, { recursive: true, force: true });
});

test("wrangler bundles a Worker using lms-bridge with no extra config, and the bundle runs in workerd", async () => {
  await promisify(execFile)(path.join(root, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", outdir, "--config", "tests/js/wrangler/wrangler.toml"],
    { cwd: root, timeout: 120_000, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } });
  const files = fs.readdirSync(outdir);
  assert.ok(files.includes("worker.js"), files.join());
  assert.equal(files.filter((f) => f.endsWith(".wasm")).length, 1, "one .wasm module: the webhooks-only one is not pulled in");

  const { Miniflare } = await import("miniflare");
  mf = new Miniflare({
    scriptPath: path.join(outdir, "worker.js"),
    modules: true,
    modulesRoot: outdir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
    bindings: { MM_BASE_URL: mm.baseUrl, MM_API_KEY: KEY },
  });
  const res = await mf.dispatchFetch("http://worker.test/check");
  assert.equal(res.status, 200, await res.clone().text());
  assert.deepEqual(await res.json(), { scheme: "standard-webhooks", tampered: "SIGNATURE_MISMATCH", status: "subscribed" });
  assert.ok(mm.users.has("wrangler@example.com"));
});
