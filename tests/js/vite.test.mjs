// Vite (issue 14 §1), as a new user would use it, with no plugin and no config: `vite build`
// served by `vite preview`, and the dev server (with its dependency optimizer), each loaded in
// headless Chromium: `init()` finds the .wasm and the page builds the AlphaLearn form and a
// Teach on Mars deep link. Through `lms-bridge` and through `lms-bridge/handoff`.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { withChromium } from "./hosts.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
let cacheRoot;
before(() => {
  cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), "lmsb-vite-cache-"));
});
after(() => fs.rmSync(cacheRoot, { recursive: true, force: true }));
/** The dependency optimizer's cache of one app (shared by its build and its dev server). */
const cacheDir = (appRoot) => path.join(cacheRoot, path.basename(appRoot));

const EXPECTED = {
  action: "https://lms.example.com/site/login-by-jwt-token",
  type: "1",
  link: "com.example.app://globals.login?authToken=t&profileCreation=null",
};

async function load(url) {
  return withChromium(async ({ page }) => {
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(errors, []);
    return result;
  });
}

// The page through `lms-bridge`, and through `lms-bridge/handoff` (its own small .wasm).
const APPS = [["lms-bridge", path.join(here, "vite")], ["lms-bridge/handoff", path.join(here, "vite-handoff")]];

for (const [name, appRoot] of APPS) {
  test(`vite build + vite preview, ${name}`, async () => {
    const vite = await import("vite");
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "lmsb-vite-dist-"));
    try {
      await vite.build({ root: appRoot, configFile: false, logLevel: "silent", cacheDir: cacheDir(appRoot), build: { outDir, emptyOutDir: true } });
      assert.equal(fs.readdirSync(path.join(outDir, "assets")).filter((f) => f.endsWith(".wasm")).length, 1, "vite emitted the .wasm");
      const server = await vite.preview({ root: appRoot, configFile: false, logLevel: "silent", build: { outDir }, preview: { host: "127.0.0.1", port: 0 } });
      try {
        assert.deepEqual(await load(server.resolvedUrls.local[0]), EXPECTED);
      } finally {
        await new Promise((r) => server.httpServer.close(r));
      }
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  test(`vite dev server, ${name}`, async () => {
    const vite = await import("vite");
    const server = await vite.createServer({ root: appRoot, configFile: false, logLevel: "silent", cacheDir: cacheDir(appRoot), server: { host: "127.0.0.1", port: 0 } });
    await server.listen();
    try {
      assert.deepEqual(await load(server.resolvedUrls.local[0]), EXPECTED);
    } finally {
      await server.close();
    }
  });
}
