// Runs worker.mjs locally in workerd (the Workers runtime) through the `miniflare` npm package,
// with lms-bridge's workerd entry, and prints the URL. Bindings come from the environment.
//
//   node examples/worker/run.mjs
//
// (For deployment use wrangler and wrangler.toml: wrangler resolves "lms-bridge" with the
// `workerd` export condition to the same entry and bundles the .wasm as a module.)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));
// The installed package (node_modules/lms-bridge): resolve its Node entry, take its directory.
const pkgDir = path.dirname(fileURLToPath(import.meta.resolve("lms-bridge")));
const pkgFile = (name) => path.join(pkgDir, name);

// workerd has no node_modules resolution; give it the modules a bundler with the `workerd`
// condition would: the worker, a module named "lms-bridge" (the package's workerd.mjs), and the
// files that entry imports, next to it. The .wasm is a CompiledWasm module, as on Cloudflare.
const root = path.join(here, ".workerd-modules"); // a virtual root: nothing is written there
const modules = [
  { type: "ESModule", path: path.join(root, "worker.mjs"), contents: fs.readFileSync(path.join(here, "worker.mjs"), "utf8") },
  { type: "ESModule", path: path.join(root, "lms-bridge"), contents: fs.readFileSync(pkgFile("workerd.mjs"), "utf8") },
  { type: "ESModule", path: path.join(root, "lms_bridge.js"), contents: fs.readFileSync(pkgFile("lms_bridge.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "error.js"), contents: fs.readFileSync(pkgFile("error.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "signing.js"), contents: fs.readFileSync(pkgFile("signing.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "bulk.js"), contents: fs.readFileSync(pkgFile("bulk.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "transport.js"), contents: fs.readFileSync(pkgFile("transport.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "recover.js"), contents: fs.readFileSync(pkgFile("recover.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "twins.js"), contents: fs.readFileSync(pkgFile("twins.js"), "utf8") },
  { type: "ESModule", path: path.join(root, "guard.js"), contents: fs.readFileSync(pkgFile("guard.js"), "utf8") },
  { type: "CompiledWasm", path: path.join(root, "lms_bridge_bg.wasm"), contents: fs.readFileSync(pkgFile("lms_bridge_bg.wasm")) },
];

const BINDINGS = ["MM_CALLBACK_SECRET", "MM_BASE_URL", "MM_API_KEY", "LW_SCHOOL_URL", "LW_CLIENT_ID",
  "LW_CLIENT_SECRET", "LW_ALLOWED_ORIGINS", "DEMO_USER_EMAIL", "DEMO_USER_NAME"];
const bindings = Object.fromEntries(BINDINGS.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));

const mf = new Miniflare({
  modules,
  modulesRoot: root,
  compatibilityDate: "2025-01-01",
  bindings,
  host: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
});
const url = await mf.ready;
console.log(`lms-bridge worker example (workerd) listening on ${url.origin}`);

const stop = async () => {
  await mf.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
