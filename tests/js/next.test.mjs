// Next.js 16 App Router (issue 14 §1), Turbopack, `next build` then `next start`, with no
// lms-bridge setting in next.config: a Node-runtime route handler verifies a webhook and
// signs a user in to LearnWorlds against the mock; an edge-runtime one verifies a webhook and
// builds the AlphaLearn form (the `edge-light` entry imports the .wasm as a module).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { installLearnWorlds, startMockServer } from "lms-bridge/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const app = path.join(root, "tests/js/next-app");
const next = path.join(root, "node_modules/.bin/next");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
let mock;
let child;

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

before(async () => {
  mock = await startMockServer();
  installLearnWorlds(mock, { clientId: "next-lw", clientSecret: "next-lw-secret" });
  fs.rmSync(path.join(app, ".next"), { recursive: true, force: true });
});
after(async () => {
  child?.kill("SIGTERM");
  await mock?.close();
  fs.rmSync(path.join(app, ".next"), { recursive: true, force: true });
});

test("next build + next start: a Node-runtime route and an edge-runtime route use lms-bridge", async () => {
  await promisify(execFile)(next, ["build"], { cwd: app, env, timeout: 240_000 });
  const port = await freePort();
  child = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: app, env: { ...env, LW_SCHOOL_URL: mock.origin }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(base);
      break;
    } catch {
      assert.ok(i < 100, `next start did not listen:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const node = await fetch(`${base}/api/node`);
  assert.equal(node.status, 200, `${await node.clone().text()}\n${out}`);
  assert.deepEqual(await node.json(), { scheme: "standard-webhooks", tampered: "SIGNATURE_MISMATCH", sso: true });
  const edge = await fetch(`${base}/api/edge`);
  assert.equal(edge.status, 200, `${await edge.clone().text()}\n${out}`);
  assert.deepEqual(await edge.json(), { scheme: "standard-webhooks", action: "https://lms.example.com/site/login-by-jwt-token" });
});
