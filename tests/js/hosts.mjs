// Real hosts for the JS tests: workerd (through the `miniflare` npm package) and headless
// Chromium (Debian's /usr/bin/chromium driven by `playwright-core`). Both load the
// installed package (node_modules/lms-bridge, installed from the packed tarball).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const pkgDir = path.join(root, "node_modules/lms-bridge");
export const artifactsDir = path.join(root, "tests/artifacts");

/** The package's modules that its two workerd entries import (besides the .wasm files). */
export const WORKERD_FILES = ["workerd.mjs", "webhooks.workerd.mjs", "handoff.workerd.mjs", "lms_bridge.js", "lms_bridge_webhooks.js", "lms_bridge_handoff.js", "signing.js", "handoff.js", "error.js", "bulk.js", "transport.js", "recover.js", "twins.js", "guard.js"];

/**
 * The package's modules as miniflare takes them, read from `dir` (default: the installed
 * package): both workerd entries, what they import, and the two .wasm files as CompiledWasm,
 * as a bundler with the `workerd` condition would give them.
 */
export function packageModules(dir = pkgDir) {
  const file = (name) => path.join(dir, name);
  return [
    ...WORKERD_FILES.map((f) => ({ type: "ESModule", path: file(f), contents: fs.readFileSync(file(f), "utf8") })),
    ...["lms_bridge_bg.wasm", "lms_bridge_webhooks_bg.wasm", "lms_bridge_handoff_bg.wasm"].map((f) => ({ type: "CompiledWasm", path: file(f), contents: fs.readFileSync(file(f)) })),
  ];
}

/** The RSS in bytes of the workerd processes this process started (its children). */
export function workerdRss() {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      if (ppid === process.pid && /^Name:\s+workerd/m.test(status)) total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
    } catch { /* the process ended meanwhile */ }
  }
  return total;
}

/**
 * Runs `workerSource` (an ES module whose default export has `fetch(request, env)`, and
 * which may `import … from "lms-bridge"`) in workerd and returns a `dispatch(url, init)`
 * function plus `dispose()`. `bindings` become `env`.
 */
export async function startWorker(workerSource, { bindings = {} } = {}) {
  const { Miniflare } = await import("miniflare");
  const modules = [
    { type: "ESModule", path: path.join(pkgDir, "__worker.mjs"), contents: workerSource },
    ...packageModules(),
  ];
  const mf = new Miniflare({
    modules,
    modulesRoot: pkgDir,
    compatibilityDate: "2025-01-01",
    bindings,
  });
  await mf.ready;
  return {
    async dispatch(url = "http://worker.test/", init) {
      const res = await mf.dispatchFetch(url, init);
      return { status: res.status, text: await res.text() };
    },
    dispose: () => mf.dispose(),
  };
}

/** Rewrites `from "lms-bridge"` (and `/webhooks`) to the workerd entries, as a bundler with the workerd condition would. */
export function workerModule(source) {
  return source
    .replaceAll('from "lms-bridge/webhooks"', 'from "./webhooks.workerd.mjs"')
    .replaceAll('from "lms-bridge/handoff"', 'from "./handoff.workerd.mjs"')
    .replaceAll('from "lms-bridge"', 'from "./workerd.mjs"');
}

/**
 * Serves the installed package under /pkg/ and `pages` ({ "/path": html }) from a
 * loopback server, launches headless Chromium, and calls `fn({ browser, context, page,
 * origin, server })`. Everything is closed afterwards.
 */
export async function withChromium(fn, { pages = {}, routes = {} } = {}) {
  const { chromium } = await import("playwright-core");
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (routes[url.pathname]) return routes[url.pathname](req, res);
    if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(pages[url.pathname]);
    }
    if (url.pathname.startsWith("/pkg/")) {
      const f = path.join(pkgDir, path.normalize(url.pathname.slice(5)));
      if (f.startsWith(pkgDir) && fs.existsSync(f)) {
        const type = f.endsWith(".wasm") ? "application/wasm" : "text/javascript";
        res.writeHead(200, { "content-type": type });
        return res.end(fs.readFileSync(f));
      }
    }
    res.writeHead(404).end("not found");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lmsb-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return await fn({ context, page, origin, server });
  } finally {
    await context.close();
    await new Promise((r) => server.close(r));
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

/**
 * Opens `url` in `page` (see withChromium) and waits up to `timeout` ms for the page's script
 * to set `window.result`. Returns that result and the uncaught page errors seen meanwhile.
 */
export async function pageResult(page, url, timeout = 10_000) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout });
  return { out: await page.evaluate(() => window.result), errors };
}

/**
 * An HTML page that imports the package's browser entry (or `entry`, another browser file of
 * the package) as `lmsb` (see withChromium).
 */
export function modulePage(script, entry = "browser.mjs") {
  return `<!doctype html><meta charset="utf-8"><title>lms-bridge test</title>
<script type="module">
import * as lmsb from "/pkg/${entry}";
window.lmsb = lmsb;
${script}
</script>`;
}

/** The key of the registry on globalThis of the package at `dir` (`shared` in its error.js). */
export function registryKey(dir = pkgDir) {
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  return `lms-bridge@${version}`;
}

/** What the Node entries of the package at `dir` share in this process. */
export function packageShared(dir = pkgDir) {
  return globalThis[Symbol.for(registryKey(dir))] ?? {};
}
