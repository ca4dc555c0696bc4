// The browser entry (and the two small entries together) bundled by esbuild and by webpack 5,
// as users do (issue 14 §1), loaded in Chromium: `await init()` finds the .wasm, and the page
// builds the AlphaLearn form and a Teach on Mars deep link. webpack emits the .wasm itself (it understands
// `new URL("…wasm", import.meta.url)`); with esbuild the .wasm is copied next to the bundle,
// as the README says.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { withChromium } from "./hosts.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const entry = path.join(root, "tests/js/bundlers/entry.js");
const pkgDir = path.dirname(fileURLToPath(import.meta.resolve("lms-bridge")));
let out;
before(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "lmsb-bundlers-"));
});
after(() => fs.rmSync(out, { recursive: true, force: true }));

const EXPECTED = {
  action: "https://lms.example.com/site/login-by-jwt-token",
  fields: { token: "a.b.c", type: "2", inputData: '{"enrollmentId":7}' },
  link: "com.teachonmars://globals.login?authToken=tok%2B%2F%3D&profileCreation=false",
  sha: [0xba, 0x78, 0x16, 0xbf],
};

/** Serves `dir` and loads index.html (which loads `script`), returns window.__result. */
async function run(dir, script) {
  fs.writeFileSync(path.join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./${script}"></script>`);
  const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const routes = {};
  for (const f of fs.readdirSync(dir)) {
    routes[`/${f}`] = (_req, res) => {
      res.writeHead(200, { "content-type": types[path.extname(f)] ?? "application/octet-stream" });
      res.end(fs.readFileSync(path.join(dir, f)));
    };
  }
  return withChromium(async ({ page, origin }) => {
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => window.__result !== undefined || document.readyState === "complete", null, { timeout: 10_000 });
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 10_000 }).catch(() => {});
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(errors, []);
    return result;
  }, { routes });
}

// The page through `lms-bridge`, and through the two small entries (each with its .wasm).
const PAGES = [
  ["lms-bridge", entry, ["lms_bridge_bg.wasm"]],
  ["lms-bridge/handoff + lms-bridge/webhooks", path.join(root, "tests/js/bundlers/handoff.js"), ["lms_bridge_handoff_bg.wasm", "lms_bridge_webhooks_bg.wasm"]],
];

for (const [name, source, wasm] of PAGES) {
  test(`esbuild, ${name}: bundle + the .wasm copied next to it`, async () => {
    const esbuild = await import("esbuild");
    const dir = path.join(out, `esbuild-${wasm.length}`);
    await esbuild.build({ entryPoints: [source], bundle: true, format: "esm", platform: "browser", outfile: path.join(dir, "app.js"), logLevel: "silent" });
    for (const f of wasm) fs.copyFileSync(path.join(pkgDir, f), path.join(dir, f));
    assert.deepEqual(await run(dir, "app.js"), EXPECTED);
  });

  test(`webpack 5, ${name}: production build, the .wasm emitted by webpack`, async () => {
    const { default: webpack } = await import("webpack");
    const dir = path.join(out, `webpack-${wasm.length}`);
    const stats = await new Promise((resolve, reject) => webpack({
      mode: "production",
      entry: source,
      target: "web",
      output: { path: dir, filename: "app.js", module: true, chunkFormat: "module" },
      experiments: { outputModule: true },
      performance: { hints: false },
    }, (err, s) => (err ? reject(err) : resolve(s))));
    assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".wasm")).length, wasm.length, "webpack emitted each .wasm");
    assert.deepEqual(await run(dir, "app.js"), EXPECTED);
  });
}

/**
 * `source`, an app importing lms-bridge, in a directory of its own under `out`, bundled for
 * Node by esbuild to ESM and to CommonJS (the `node` entry through `import`: esbuild picks
 * that condition for both output formats). Returns the directory and, per format, `run()`:
 * runs the bundle in a fresh process, checks that it exited cleanly, returns its JSON output.
 */
async function nodeServer(name, source) {
  const esbuild = await import("esbuild");
  const dir = path.join(out, name);
  fs.mkdirSync(dir, { recursive: true });
  const app = path.join(dir, "app.mjs");
  fs.writeFileSync(app, source);
  const builds = [];
  for (const [format, file] of [["esm", "server.mjs"], ["cjs", "server.cjs"]]) {
    await esbuild.build({ entryPoints: [app], bundle: true, platform: "node", format, outfile: path.join(dir, file), logLevel: "silent", nodePaths: [path.join(root, "node_modules")] });
    const run = () => {
      const r = spawnSync(process.execPath, [path.join(dir, file)], { cwd: os.tmpdir(), encoding: "utf8" });
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    builds.push({ format, run });
  }
  return { dir, builds };
}

test("esbuild: a Node server bundled to ESM and to CommonJS, the .wasm files copied next to it", async () => {
  // Nothing may need top-level await or a file the bundle does not hold.
  const { dir, builds } = await nodeServer("node-server", `import { AlphaLearn, signWebhook, verifyWebhook } from "lms-bridge";
import * as hooks from "lms-bridge/webhooks";
const h = signWebhook("x", { scheme: "github", secret: "s3cret" });
const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3" });
console.log(JSON.stringify([verifyWebhook("x", h, { scheme: "github", secret: "s3cret" }).scheme,
  hooks.verifyWebhook("x", h, { scheme: "github", secret: "s3cret" }).secretIndex, al.buildLogin({ email: "a@b.co", password: "pw" }).url]));
`);
  for (const f of ["lms_bridge_bg.wasm", "lms_bridge_webhooks_bg.wasm"]) fs.copyFileSync(path.join(pkgDir, f), path.join(dir, f));
  for (const { format, run } of builds) {
    assert.deepEqual(run(), ["github", 0, "https://al.example.com/v3/authorize/login"], format);
  }
});

test("esbuild: a Node server bundled without the .wasm files, or with a damaged one: INVALID_CONFIG naming the file, from the call that first needs it", async () => {
  const { dir, builds } = await nodeServer("node-server-without-wasm", `import { AlphaLearn } from "lms-bridge";
import * as hooks from "lms-bridge/webhooks";
const seen = (f) => { try { f(); return "ok"; } catch (e) { return [e.name, e.code, e.message, e.cause?.code ?? e.cause?.name]; } };
console.log(JSON.stringify([seen(() => hooks.verifyWebhook("x", { "x-hub-signature-256": "sha256=00" }, { scheme: "github", secret: "s3cret" })),
  seen(() => new AlphaLearn({ baseUrl: "https://al.example.com/v3" }))]));
`);
  const missing = (name) => ["LmsBridgeError", "INVALID_CONFIG",
    `lms-bridge cannot read ${path.join(dir, name)}: a bundle needs the package's .wasm files next to it`, "ENOENT"];
  const damaged = (name) => ["LmsBridgeError", "INVALID_CONFIG", `lms-bridge: ./${name} is not a WebAssembly module (a damaged install?)`, "CompileError"];
  for (const { format, run } of builds) {
    assert.deepEqual(run(), [missing("lms_bridge_webhooks_bg.wasm"), missing("lms_bridge_bg.wasm")], format);
    for (const f of ["lms_bridge_bg.wasm", "lms_bridge_webhooks_bg.wasm"]) fs.writeFileSync(path.join(dir, f), "<!doctype html>");
    assert.deepEqual(run(), [damaged("lms_bridge_webhooks_bg.wasm"), damaged("lms_bridge_bg.wasm")], format);
    for (const f of ["lms_bridge_bg.wasm", "lms_bridge_webhooks_bg.wasm"]) fs.rmSync(path.join(dir, f));
  }
});
