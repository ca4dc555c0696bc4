#!/usr/bin/env node
// Builds the npm package directory pkg/ (git-ignored) from the crate and pkg-templates/:
//   cargo (wasm32, release) → wasm-bindgen --target web (the vendor module) → wasm-opt → pkg/
// Steps whose inputs did not change are skipped (content hashes in target/build-stamp.json).
// Run through scripts/run.sh, which sets up the toolchain environment first.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const at = (...p) => path.join(root, ...p);
const log = (msg) => console.log(`[build] ${msg}`);
const run = (cmd, args, env = process.env) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", env });
const sha = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

const STAMP = at("target/build-stamp.json");
const stamp = fs.existsSync(STAMP) ? JSON.parse(fs.readFileSync(STAMP, "utf8")) : {};
const saveStamp = () => fs.writeFileSync(STAMP, JSON.stringify(stamp, null, 2));

// Size budgets of the three modules (gzip -9 bytes), a little above what the Debian build-std
// path builds today. A change that grows a module past its budget, or a toolchain that builds
// a bigger one (rustup's prebuilt std keeps panic messages and core::fmt, which the build-std
// path's immediate-abort drops), is reported here, at build time, not found later in the
// bench. Raise a budget only together with its reason in bench/README.md.
const BUDGETS = { lms_bridge_bg: 142 * 1024, lms_bridge_webhooks_bg: 19 * 1024, lms_bridge_handoff_bg: 11.5 * 1024 };
const TOOLCHAIN = process.env.LMSB_BUILD_STD
  ? "Debian rustc-web, std built with -Zbuild-std (panics abort immediately)"
  : "cargo's own wasm32 target (prebuilt std)";

// 1. cargo: incremental by itself. Three modules: the whole crate; the signing calls alone
//    (`--no-default-features --features signing-exports`) for the `lms-bridge/webhooks`
//    entry; the browser hand-off's calls alone for the `lms-bridge/handoff` entry.
const cargoArgs = ["build", "--release", "--target", "wasm32-unknown-unknown"];
if (process.env.LMSB_BUILD_STD) {
  // Debian's toolchain builds std itself, which also allows a smaller std and aborting
  // panics without unwinding machinery (no input path panics: clippy denies unwrap,
  // expect, panic and indexing).
  cargoArgs.push("-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size",
    "-Zpanic-immediate-abort", "--config", 'profile.release.panic="immediate-abort"',
    // Nor the file names and lines of panic locations (a panic aborts without a message
    // anyway): 1 KB of the vendor module, 0.7 KB of the signing module. And `lmsb_optimize`:
    // the hot loops the crate marks `#[optimize(speed)]` are compiled for speed in a crate
    // compiled for size (src/lib.rs; a nightly attribute, which this toolchain's bootstrap
    // allows). (Appended to .cargo/config.toml's rustflags.)
    "--config", 'target.wasm32-unknown-unknown.rustflags=["-Zlocation-detail=none", "--cfg", "lmsb_optimize"]');
}
// The vendor module reuses the generic code its dependencies already instantiated (compiled
// there, at their own opt-level) instead of instantiating its own copies: 1.4 KB gzip
// smaller, builders 3-9 % faster (bench/README.md). The signing module comes out 0.1 KB
// larger with it, so it goes without.
const shareGenerics = process.env.LMSB_BUILD_STD
  ? ["--config", 'target.wasm32-unknown-unknown.rustflags=["-Zshare-generics=y"]']
  : [];
// std (`core`, `alloc`, `std`, built here by -Zbuild-std) at opt-level 3, as rustup's
// prebuilt std is: the string, slice and `Vec` code every builder and parser runs through
// (`extend_from_slice`, `push`, `memchr`, growth). Sans-IO rows 5-12 % faster; the vendor
// module 0.6 KB larger raw and no larger after gzip, the signing module 0.5 KB smaller after
// gzip (small functions inlined away), its verifications as fast (bench/README.md).
const fastStd = process.env.LMSB_BUILD_STD
  ? ["core", "alloc", "std"].flatMap((p) => ["--config", `profile.release.package.${p}.opt-level=3`])
  : [];
// The two small modules have no `#[wasm_bindgen]` item (numbers in and out, src/wasm/lean.rs):
// wasm-bindgen does not process them, and their glue is pkg-templates/small-glue.js. wasm-opt
// makes them smaller after gzip at -O3 than at -Oz (signing module -0.1 KB, 169 functions
// instead of 187, its verification as fast or faster); the vendor module gains 0.2 KB gzip
// there but 13 KB raw, and stays at -Oz. `--converge` repeats the passes while the module
// still shrinks: the signing module 0.1 KB and the hand-off module 0.05 KB smaller after gzip,
// for half a second of build each (on the vendor module: 0.15 KB for 8 s, not taken). The
// linker's exports of the heap's bounds, which no glue reads, are dropped from the small
// modules (wasm-bindgen drops them from its own).
const smallOpt = ["-O3", "--converge", "--remove-exports=__data_end,__heap_base"];
const MODULES = [
  { name: "lms_bridge", cargo: [...shareGenerics, ...fastStd], targetDir: "target", bindgen: true, opt: ["-Oz"] },
  { name: "lms_bridge_webhooks", cargo: ["--no-default-features", "--features", "signing-exports", "--target-dir", "target/webhooks", ...fastStd], targetDir: "target/webhooks", bindgen: false, opt: smallOpt },
  { name: "lms_bridge_handoff", cargo: ["--no-default-features", "--features", "handoff-exports", "--target-dir", "target/handoff", ...fastStd], targetDir: "target/handoff", bindgen: false, opt: smallOpt },
];
// wasm-opt's arguments for every module after its own. Explicit features: never
// --all-features (it emits stringref, which Node 20 rejects). The producers and target
// features sections are for toolchains, not hosts (0.2 KB each module).
// The features, as wasm-opt's flag and Binaryen's name (dropClosureShims reads and writes the
// vendor module with the same set).
const WASM_FEATURES = [
  ["simd", "SIMD128"], ["bulk-memory", "BulkMemory"], ["bulk-memory-opt", "BulkMemoryOpt"],
  ["call-indirect-overlong", "CallIndirectOverlong"], ["reference-types", "ReferenceTypes"],
  ["multivalue", "Multivalue"], ["sign-ext", "SignExt"], ["nontrapping-float-to-int", "NontrappingFPToInt"],
  ["mutable-globals", "MutableGlobals"],
];
const WASM_OPT_ARGS = [
  ...WASM_FEATURES.map(([flag]) => `--enable-${flag}`),
  "--strip-debug", "--strip-producers", "--strip-target-features",
];
for (const m of MODULES) {
  log(`cargo ${[...cargoArgs, ...m.cargo].join(" ")}`);
  run(process.env.LMSB_CARGO || "cargo", [...cargoArgs, ...m.cargo], wasmEnv());
}

/** The environment of wasm cargo commands: Debian's toolchain when setup chose it. */
function wasmEnv() {
  const e = process.env;
  if (!e.LMSB_BUILD_STD) return e;
  return { ...e, RUSTC_BOOTSTRAP: "1", RUSTC: e.LMSB_RUSTC, RUSTDOC: e.LMSB_RUSTDOC,
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: e.LMSB_WASM_LD, PATH: `/usr/bin:${e.PATH}` };
}

// 2. wasm-bindgen (the vendor module) and wasm-opt, for each module whose compiled form
//    changed. target/bindgen/<name>_bg.wasm is each module before wasm-opt, names kept (for
//    `twiggy`, bench/size-breakdown.mjs).
const bindgenDir = at("target/bindgen");
const optWasm = (name) => path.join(bindgenDir, `${name}_bg.opt.wasm`);
for (const m of MODULES) {
  const rawWasm = at(m.targetDir, "wasm32-unknown-unknown/release/lms_bridge.wasm");
  const rawHash = sha(fs.readFileSync(rawWasm), [...m.opt, ...WASM_OPT_ARGS].join(" "));
  if (stamp[m.name] === rawHash && fs.existsSync(optWasm(m.name))) {
    log(`${m.name}: ${m.bindgen ? "wasm-bindgen, " : ""}wasm-opt: module unchanged, skipped`);
    continue;
  }
  if (m.bindgen) {
    log(`${m.name}: wasm-bindgen --target web`);
    run("wasm-bindgen", ["--target", "web", "--experimental-reset-state-function", "--out-name", m.name, "--out-dir", bindgenDir, rawWasm]);
    await dropClosureShims(m.name);
  } else {
    fs.mkdirSync(bindgenDir, { recursive: true });
    fs.copyFileSync(rawWasm, path.join(bindgenDir, `${m.name}_bg.wasm`));
  }
  log(`${m.name}: wasm-opt ${m.opt.join(" ")}`);
  run(at("node_modules/.bin/wasm-opt"), [path.join(bindgenDir, `${m.name}_bg.wasm`), ...m.opt, ...WASM_OPT_ARGS, "-o", optWasm(m.name)]);
  stamp[m.name] = rawHash;
  saveStamp();
}

/**
 * wasm-bindgen's invoke shims for closures passed to JS: one per closure signature that any
 * js-sys import takes (43 here), each put in the module's function table by the descriptor
 * of that import, and left there when wasm-bindgen removes the descriptors. The package
 * passes no closure to JS (its glue has no closure code: checked), so none is ever called,
 * but wasm-opt keeps whatever the table holds. Their slots are pointed at another function
 * of the table (nothing calls those slots), and wasm-opt then removes the shims and what
 * only they use (30 functions): the vendor module 1.7 KB smaller raw, 0.6 KB gzip.
 */
async function dropClosureShims(name) {
  const glue = fs.readFileSync(path.join(bindgenDir, `${name}.js`), "utf8");
  if (/makeMutClosure|makeClosure|CLOSURE_DTORS/.test(glue)) {
    throw new Error(`${name}: the glue passes closures to JS; dropClosureShims would break them`);
  }
  const { default: binaryen } = await import(at("node_modules/binaryen/index.js"));
  const file = path.join(bindgenDir, `${name}_bg.wasm`);
  binaryen.setDebugInfo(true); // names kept, for twiggy
  const mod = binaryen.readBinary(fs.readFileSync(file));
  // The features wasm-opt enables (WASM_FEATURES), no more (with all of them, strings come
  // out as stringref, which Node 20 rejects).
  mod.setFeatures(WASM_FEATURES.reduce((bits, [flag, feature]) => {
    if (typeof binaryen.Features[feature] !== "number") throw new Error(`binaryen has no feature ${feature} (--enable-${flag})`);
    return bits | binaryen.Features[feature];
  }, 0));
  const isShim = (f) => f.includes("::convert::closures::_::invoke::");
  let dropped = 0;
  for (let i = mod.getNumElementSegments() - 1; i >= 0; i--) {
    const segment = binaryen.getElementSegmentInfo(mod.getElementSegmentByIndex(i));
    const stand = segment.data.find((f) => !isShim(f));
    if (!segment.table || stand === undefined || !segment.data.some(isShim)) continue;
    const data = segment.data.map((f) => (isShim(f) ? (dropped++, stand) : f));
    mod.removeElementSegment(segment.name);
    mod.addActiveElementSegment(segment.table, segment.name, data, segment.offset);
  }
  fs.writeFileSync(file, mod.emitBinary());
  mod.dispose();
  log(`${name}: ${dropped} closure shims dropped from the function table`);
}

// 3. Assemble pkg/ when the glue, the module or a template changed.
const templates = fs.readdirSync(at("pkg-templates"), { recursive: true })
  .filter((f) => fs.statSync(at("pkg-templates", f)).isFile())
  .sort();
const assemblyHash = sha(
  ...MODULES.flatMap((m) => [fs.readFileSync(optWasm(m.name)), ...(m.bindgen ? [fs.readFileSync(path.join(bindgenDir, `${m.name}.js`))] : [])]),
  fs.readFileSync(path.join(bindgenDir, "lms_bridge.d.ts")),
  fs.readFileSync(fileURLToPath(import.meta.url)),
  ...["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"].map((f) => fs.readFileSync(at(f))),
  ...templates.map((f) => fs.readFileSync(at("pkg-templates", f))),
);
if (stamp.pkg === assemblyHash && fs.existsSync(at("pkg/package.json"))) {
  log("pkg/: inputs unchanged, skipped");
} else {
  assemble();
  stamp.pkg = assemblyHash;
  saveStamp();
}
report();

function assemble() {
  log("assembling pkg/");
  const pkg = at("pkg");
  fs.rmSync(pkg, { recursive: true, force: true });
  fs.mkdirSync(pkg);
  const write = (name, text) => fs.writeFileSync(path.join(pkg, name), text);
  const template = (name) => fs.readFileSync(at("pkg-templates", name), "utf8");
  const version = /^version = "([^"]+)"/m.exec(fs.readFileSync(at("Cargo.toml"), "utf8"))[1];

  const glue = withoutDocComments(withStringLimit(withNativeEncodeInto(withDirectCatch(withCheapMemoryView(withCrossRealmModule(withPrivateWrap(withOwnClassCheck(withRecovery(withAtomicStart(fs.readFileSync(path.join(bindgenDir, "lms_bridge.js"), "utf8")))))))))));
  if (/^import /m.test(glue)) throw new Error("glue imports a snippet: ship it or remove it");
  const names = [...glue.matchAll(/^export (?:function|class) (\w+)/gm)]
    .map(([, name]) => name)
    .filter((name) => !name.startsWith("__") && name !== "initSync");

  fs.copyFileSync(optWasm("lms_bridge"), path.join(pkg, "lms_bridge_bg.wasm"));
  write("lms_bridge.js", glue);
  write("lms_bridge.cjs", toCommonJs(glue, ["initSync", "__configure", "__configureTransport", "__lmsbPoll", "__lmsb_recovery", "__lmsb_exports", "__lmsb_reset", ...names]));
  // The two small modules on the lean boundary (lms-bridge/webhooks', lms-bridge/handoff's):
  // the same glue, a copy each, which knows its module by an export the other lacks.
  for (const [name, own] of [["lms_bridge_webhooks", "__lmsb_webhook_verify"], ["lms_bridge_handoff", "__lmsb_form"]]) {
    const small = template("small-glue.js").replace("@OWN_EXPORT@", own);
    if (!small.includes(`"${own}"`)) throw new Error("small-glue.js: the @OWN_EXPORT@ placeholder is missing");
    fs.copyFileSync(optWasm(name), path.join(pkg, `${name}_bg.wasm`));
    write(`${name}.js`, small);
    write(`${name}.cjs`, toCommonJs(small, ["initSync", "__lmsb_instantiate"]));
  }
  // The registry key of `shared` names this version (see error.js).
  const errorModule = template("error.js").replace("@VERSION@", version);
  if (!errorModule.includes(`"lms-bridge@${version}"`)) throw new Error("error.js: the version placeholder is missing");
  write("error.js", errorModule);
  write("error.cjs", toCommonJs(errorModule, ["LmsBridgeError", "isLmsBridgeError", "shared"]));
  write("signing.js", template("signing.js"));
  write("bulk.js", template("bulk.js"));
  write("guard.js", template("guard.js"));
  write("guard.cjs", toCommonJs(template("guard.js"), ["guarded", "deferred"]));
  write("bulk.cjs", toCommonJs(template("bulk.js"), ["provisionMany"]));
  write("transport.js", template("transport.js"));
  write("dom.js", template("dom.js"));
  write("load.js", template("load.js"));
  // lms-bridge/testing (Node, ESM): the mock vendors and signers.
  fs.mkdirSync(path.join(pkg, "testing"));
  for (const f of fs.readdirSync(at("pkg-templates/testing"))) write(path.join("testing", f), template(path.join("testing", f)));
  write(path.join("testing", "index.d.ts"), template("testing.d.ts"));
  write("transport.cjs", toCommonJs(template("transport.js"), ["attempt", "pause", "request", "tasks", "useTurnTimer", "NETWORK", "TIMEOUT_FAIL", "TOO_LARGE", "NOT_A_RESPONSE", "ABORTED"]));
  write("signing.cjs", toCommonJs(template("signing.js"), ["makeSigning", "putUtf8", "signingInstance"]));
  write("node-files.js", template("node-files.js"));
  write("node-files.cjs", toCommonJs(pathRead(template("node-files.js")), ["builtin", "packageFile", "packageModule"]));
  write("node-host.js", template("node-host.js"));
  write("node-host.cjs", toCommonJs(template("node-host.js"), ["nodeCrypto", "signingHost", "signingModule"]));
  write("recover.js", template("recover.js"));
  write("twins.js", template("twins.js"));
  write("node-vendors.js", template("node-vendors.js"));
  write("node-vendors.cjs", toCommonJs(template("node-vendors.js"), ["vendorLoader"]));
  for (const host of ["node.mjs", "node.cjs", "workerd.mjs", "browser.mjs"]) {
    write(`webhooks.${host}`, template(`webhooks.${host}`));
    write(`handoff.${host}`, template(`handoff.${host}`));
  }
  write("handoff.js", template("handoff.js"));
  write("handoff.cjs", toCommonJs(template("handoff.js"), ["makeHandoff"]));

  // Fills a template's placeholder; a placeholder that is missing fails the build rather
  // than shipping an entry without exports.
  const fill = (name, placeholder, value) => {
    const text = template(name);
    if (!text.includes(placeholder)) throw new Error(`${name}: placeholder ${placeholder} not found`);
    return text.replace(placeholder, value);
  };
  // Browsers and Node: each export behind the entry's `ready()` (guard.js).
  const guarded = names.map((name) => `export const ${name} = guarded(glue.${name}, ready);`).join("\n");
  write("node.mjs", fill("node.mjs", "/*@GUARDED_EXPORTS@*/", guarded));
  write("workerd.mjs", fill("workerd.mjs", "/*@GUARDED_EXPORTS@*/", guarded));
  // Vercel / Next.js edge (`edge-light`): the workerd entries, the .wasm imported with the
  // `?module` suffix those bundlers use for a precompiled WebAssembly.Module (the edge sandbox
  // can neither fetch the .wasm by URL nor compile it from bytes).
  const edge = (text) => {
    const out = text.replace(/from "\.\/(lms_bridge(?:_webhooks|_handoff)?_bg\.wasm)";/, 'from "./$1?module";');
    if (out === text) throw new Error("edge entry: the .wasm import was not found");
    return `// Generated from the workerd entry for the \`edge-light\` condition (Vercel, Next.js edge).\n${out}`;
  };
  write("edge.mjs", edge(fill("workerd.mjs", "/*@GUARDED_EXPORTS@*/", guarded)));
  write("webhooks.edge.mjs", edge(template("webhooks.workerd.mjs")));
  write("handoff.edge.mjs", edge(template("handoff.workerd.mjs")));
  write("node.cjs", fill("node.cjs", "/*@EXPORT_NAMES@*/ []", JSON.stringify(names)));
  write("browser.mjs", fill("browser.mjs", "/*@GUARDED_EXPORTS@*/", guarded));

  // Types: the hand-written shared types, then wasm-bindgen's declarations of the exports
  // (its init section is replaced by our init()).
  const generated = fs.readFileSync(path.join(bindgenDir, "lms_bridge.d.ts"), "utf8");
  const cut = generated.indexOf("export type InitInput");
  const declarations = (cut >= 0 ? generated.slice(0, cut) : generated)
    .replace(/^\/\* tslint:disable \*\/\n|^\/\* eslint-disable \*\/\n/gm, "")
    // The glue's own (not an export of the package; see withRecovery).
    .replace(/^export function __wbg_reset_state\(\): void;\n/m, "");
  if (declarations.includes("__wbg_reset_state")) throw new Error("types: __wbg_reset_state is still declared");
  const vendorTypes = fs.readdirSync(at("pkg-templates/types")).sort()
    .map((f) => template(path.join("types", f)));
  const types = [template("types.d.ts"), ...vendorTypes, declarations].join("\n");
  write("index.d.ts", types);
  write("index.d.cts", types);
  const webhookTypes = [template("types.d.ts"), template(path.join("types", "signing.d.ts"))].join("\n");
  write("webhooks.d.ts", webhookTypes);
  write("webhooks.d.cts", webhookTypes);
  // lms-bridge/handoff: `init` and the error types, the form's and the link's types, taken
  // from the shared and the vendor templates (not copied), then the entry's own.
  const shared = template("types.d.ts");
  const handoffTypes = [
    // (The client hooks' `AttemptEvent`, which VendorId's comment links to, is not here.)
    ...declarationsOf(shared, ["init", "ErrorCode", "VendorId", "LmsBridgeError", "isLmsBridgeError"])
      .map((d) => d.replace("{@link AttemptEvent}", "`AttemptEvent` (lms-bridge)")),
    ...declarationsOf(vendorTypes.join("\n"), ["AlphaLearnJwtFormInput", "AlphaLearnJwtForm", "DeepLinkOptions", "OpenTeachOnMarsAppOptions"]),
  ].join("\n");
  // Its header comment first, then the types taken, then its declarations.
  const entryTypes = template("handoff.d.ts");
  const typesAt = entryTypes.indexOf("/**");
  const handoffDts = `${entryTypes.slice(0, typesAt)}${handoffTypes}\n${entryTypes.slice(typesAt)}`;
  write("handoff.d.ts", handoffDts);
  write("handoff.d.cts", handoffDts);

  bundleNodeEntries(pkg);
  withoutComments(pkg);

  const manifest = JSON.parse(template("package.json"));
  manifest.version = version;
  write("package.json", `${JSON.stringify(manifest, null, 2)}\n`);
  for (const f of ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]) fs.copyFileSync(at(f), path.join(pkg, f));
}

// Node's module loaders cost a few tenths of a millisecond (CJS) to about a millisecond (ESM)
// per module at start-up, so each of the six Node entries is one file, its helpers inlined
// (error class, signing glue and helpers, transport, built-ins, provisionMany, export guards).
// What the entries must share, they share through `shared` in error.js: one LmsBridgeError
// class and one signing instance per version and process. The vendor module's glue stays a
// file of its own (`lms_bridge.js`, which the other hosts load too, and `lms_bridge.cjs`):
// an import or a require that a bundler of Node servers sees and includes. So is, for
// node.cjs, vendor-runtime.cjs: the JS only the vendor classes use (recover.js, transport.js,
// twins.js), required with the glue on first use, which takes about 40 % of the JS a cold
// `require("lms-bridge")` compiles off it (an ES module cannot load a file on first use
// synchronously: node.mjs inlines it). The other hosts bundle the package themselves.
function bundleNodeEntries(pkg) {
  const esbuild = createRequire(import.meta.url)(at("node_modules/esbuild"));
  const bundle = (file, format, external) => esbuild.buildSync({
    entryPoints: [file], bundle: true, write: false, format, platform: "node", target: "node18",
    external, legalComments: "none", logLevel: "warning",
  }).outputFiles[0].text;
  const runtime = bundle(path.join(pkg, "recover.js"), "cjs", []);
  fs.writeFileSync(path.join(pkg, "vendor-runtime.cjs"),
    `"use strict";\n// lms-bridge: what node.cjs requires on the first use of a vendor class (see scripts/build.mjs).\n${codecs(runtime)}${runtime}`);
  for (const entry of ["node.mjs", "webhooks.node.mjs", "handoff.node.mjs", "node.cjs", "webhooks.node.cjs", "handoff.node.cjs"]) {
    const cjs = entry.endsWith(".cjs");
    const shared = cjs ? ["./lms_bridge.cjs", "./vendor-runtime.cjs"] : ["./lms_bridge.js"];
    const file = path.join(pkg, entry);
    const out = bundle(file, cjs ? "cjs" : "esm", shared);
    const imports = cjs
      ? [...out.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1])
      : [...out.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    if (imports.some((from) => !from.startsWith("node:") && !shared.includes(from))) {
      throw new Error(`${entry}: the bundle still imports ${imports}`);
    }
    fs.writeFileSync(file, `${cjs ? '"use strict";\n' : ""}// lms-bridge ${entry}, its helpers inlined (see scripts/build.mjs).\n${out}`);
  }
  // These helpers exist only to be inlined: no file of the package loads them now.
  for (const helper of ["error.cjs", "lms_bridge_webhooks.cjs", "signing.cjs", "bulk.cjs", "guard.cjs", "transport.cjs", "node-host.cjs", "node-files.cjs", "lms_bridge_handoff.cjs", "handoff.cjs", "node-vendors.js", "node-vendors.cjs"]) {
    fs.rmSync(path.join(pkg, helper));
  }
}

// What hosts load carries no comments: the sources in pkg-templates/ and src/ explain the code,
// and comments were a seventh of the package's JS after gzip. esbuild reprints each file without
// them and changes nothing else (no minification, no syntax lowering, one statement per line,
// names kept), so shipped code stays readable and stack traces point at real lines. The mock
// vendors of `lms-bridge/testing` keep theirs: users read them while writing tests.
function withoutComments(pkg) {
  const esbuild = createRequire(import.meta.url)(at("node_modules/esbuild"));
  for (const name of fs.readdirSync(pkg).filter((f) => /\.(js|mjs|cjs)$/.test(f))) {
    const file = path.join(pkg, name);
    const source = fs.readFileSync(file, "utf8");
    // Deno finds the glue's types through its first line.
    const selfTypes = /^\/\* @ts-self-types="[^"]+" \*\/\n/.exec(source)?.[0] ?? "";
    const { code } = esbuild.transformSync(source, { loader: "js", legalComments: "none", charset: "utf8", logLevel: "warning" });
    fs.writeFileSync(file, selfTypes + code);
  }
}

// The declarations of `names` in `text` (an interface, a type, a class or a function, with the
// doc comment before each), in that order; a name not found fails the build.
function declarationsOf(text, names) {
  return names.map((name) => {
    const declaration = `interface ${name} \\{[\\s\\S]*?\\n\\}|type ${name} =[^;]*;|declare class ${name}\\b[^{]*\\{[\\s\\S]*?\\n\\}|declare function ${name}\\([^;]*;`;
    const found = new RegExp(`\\/\\*\\*(?:(?!\\*\\/)[\\s\\S])*\\*\\/\\nexport (?:${declaration})\\n`).exec(text);
    if (!found) throw new Error(`types: ${name} not found in pkg-templates`);
    return found[0];
  });
}

// wasm-bindgen copies every Rust doc comment, examples included, into the glue as JSDoc: more
// than half its bytes, which every host would download and parse. The shipped .d.ts files
// carry the same text for editors, so the glue goes without it, and without the
// `@ts-self-types` pointer to a .d.ts of its own, which the package does not ship (its types
// are the entries': index.d.ts, webhooks.d.ts).
function withoutDocComments(glue) {
  const out = glue.replace(/^\/\* @ts-self-types="[^"]*" \*\/\n/, "").replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, "");
  if (/^\s*\/\*\*/m.test(out) || /@ts-self-types/.test(out) || !/\binitSync\b/.test(out)) {
    throw new Error("glue: doc comments or the @ts-self-types pointer not removed cleanly");
  }
  return out;
}

// wasm-bindgen's glue checks class arguments itself and throws a plain Error; make it
// throw LmsBridgeError INVALID_INPUT like every other bad argument.
function withOwnClassCheck(glue) {
  const plain = "throw new Error(`expected instance of ${klass.name}`);";
  if (!glue.includes(plain)) return glue; // no class arguments in the API
  return glue.replace(plain, "throw __invalidClassArgument(klass.name);");
}

// A WebAssembly.Module compiled in another realm (the Next.js edge sandbox hands the
// `?module` import over from its host realm) fails wasm-bindgen's `instanceof` test, which
// then tries to compile it as bytes; recognise it by its brand instead.
function withCrossRealmModule(glue) {
  const plain = "if (!(module instanceof WebAssembly.Module)) {";
  if (!glue.includes(plain)) throw new Error("glue: the WebAssembly.Module check was not found");
  return glue.replaceAll(plain,
    'if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) !== "[object WebAssembly.Module]") {');
}

// A call interrupted inside the vendor module (the host's stack ran out there, or it trapped)
// unwinds through the module without running Rust's destructors: a borrow stays taken, the
// allocator may be mid-update, and every later call would fail. wasm-bindgen's
// `--experimental-reset-state-function` glue can replace the instance: a new instance id, its
// objects checked against it (a stale one is never passed to the new instance), finalizers
// that free only in their own instance. Adapted here so that it is safe and automatic:
// - every call into the module is wrapped: an exception out of it marks the instance
//   interrupted (`__lmsb_interrupted`), and the next call's guard replaces it first;
// - the guard runs before each stale-object check (as generated, it ran after them, so a
//   reset there would have let a checked object's old pointer into the new instance), and
//   no longer in the `finally` that frees a returned string (that pointer belongs to the
//   instance that made it);
// - a stale object is handed to the entry (`__lmsb_stale`), which makes it again in the new
//   instance (`__lmsb_adopt`), and the entry is told of each reset (`__lmsb_afterReset`), to
//   configure the new instance.
function withRecovery(glue) {
  const count = (re) => (glue.match(re) ?? []).length;
  const guards = count(/__wbg_call_guard\(\);/g);
  const freeing = /__wbg_call_guard\(\);\n\s*(wasm\.__wbindgen_free\()/g;
  const calls = /__wbg_call_guard\(\);\n(\s*)((?:ret = )?wasm\.\w+\(.*\);)\n/g;
  const stale = /\n(\s*)if \((\(?\w+\)?)\.__wbg_inst !== undefined && \2\.__wbg_inst !== __wbg_instance_id\) \{\n(\s*)throw new Error\('Invalid stale object from previous Wasm instance'\);/g;
  const destroy = /( *)__destroy_into_raw\(\) \{\n\s*const ptr = this\.__wbg_ptr;\n\s*this\.__wbg_ptr = 0;\n\s*(\w+Finalization)\.unregister\(this\);\n\s*return ptr;\n\s*\}\n/g;
  const guard = "function __wbg_call_guard() {\n    if (__wbg_reinit_scheduled) {\n        __wbg_reset_state();\n        return;\n    }\n}";
  const reset = "    wasm = wasmInstance.exports;\n    wasm.__wbindgen_start();\n}";
  // free(): guard, then a stale object frees nothing (its pointer is not the new instance's).
  const free = /( *)free\(\) \{\n\s*const ptr = this\.__destroy_into_raw\(\);\n\s*__wbg_call_guard\(\);\n\s*(wasm\.\w+\(ptr, 0\);)\n/g;
  const finalizer = /if \(instance === __wbg_instance_id\) (wasm\.\w+\(ptr, 1\));/g;
  if (count(free) !== count(destroy) || count(finalizer) !== count(destroy)) throw new Error("glue: free() or a finalizer is not as expected");
  const unguardedFrees = glue
    .replace(free, (_, i, call) => `${i}free() {\n${i}    __wbg_call_guard();\n${i}    if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {\n` +
      `${i}        this.__destroy_into_raw();\n${i}        return;\n${i}    }\n${i}    const ptr = this.__destroy_into_raw();\n${i}    __wbg_call_guard();\n${i}    ${call}\n`)
    .replace(finalizer, "if (instance === __wbg_instance_id) {\n        try {\n            $1;\n        } catch {\n            __lmsb_pending = true;\n        }\n    }")
    .replace(freeing, "$1");
  const expected = { freeing: count(freeing), calls: (unguardedFrees.match(calls) ?? []).length, stale: count(stale), destroy: count(destroy) };
  if (guards === 0 || expected.freeing + expected.calls !== guards || expected.stale === 0 || expected.destroy === 0 ||
    !glue.includes(guard) || count(new RegExp(reset.replace(/[.()]/g, "\\$&"), "g")) !== 1) {
    throw new Error(`glue: the reset-state code is not as expected (${guards} guards, ${JSON.stringify(expected)})`);
  }
  const out = unguardedFrees
    .replace(calls, "__wbg_call_guard();\n$1try {\n$1    $2\n$1} catch (e) {\n$1    __lmsb_interrupted(e);\n$1}\n")
    .replace(stale, "\n$1__wbg_call_guard();\n$1if ($2.__wbg_inst !== undefined && $2.__wbg_inst !== __wbg_instance_id) {\n$3__lmsb_stale($2);")
    .replace(destroy, (all, indent, registry) => `${all}${indent}__lmsb_adopt(ptr) {\n${indent}    this.__wbg_ptr = ptr;\n${indent}    this.__wbg_inst = __wbg_instance_id;\n` +
      `${indent}    ${registry}.register(this, { ptr, instance: __wbg_instance_id }, this);\n${indent}}\n`)
    // The reset runs at the next call, however deep: it first makes sure of some stack
    // (else that call fails with the host's RangeError, and the reset waits for a call with
    // room), and if it is cut short all the same, the call after makes it again.
    .replace(guard, "function __wbg_call_guard() {\n    if (__lmsb_pending) {\n        __lmsb_room(2000);\n        __lmsb_pending = false;\n" +
      "        try {\n            __wbg_reset_state();\n        } catch (e) {\n            __lmsb_pending = true;\n            throw e;\n        }\n    }\n}")
    .replace(reset, "    wasm = wasmInstance.exports;\n    wasm.__wbindgen_start();\n    __lmsb_afterReset();\n}")
    // One guard per method is enough: it now runs before the stale-object check.
    .replace(/(__lmsb_stale\((?:this|\(\w+\))\);\n\s*\}\n\s*let ret;\n)\s*__wbg_call_guard\(\);\n/g, "$1");
  // Declared first: read on every call, and a \`let\` read before its declaration in the
  // source is checked for initialisation each time.
  if (!out.includes("\nlet __wbg_instance_id = 0;\n")) throw new Error("glue: __wbg_instance_id's declaration was not found");
  const state = "let __lmsb_pending = false;\nlet __wbg_instance_id = 0;\n";
  const [first, ...rest] = out.replace("\nlet __wbg_instance_id = 0;\n", "\n").split("\n");
  return `${first.startsWith("/* @ts-self-types") ? `${first}\n${state}` : `${state}${first}\n`}${rest.join("\n")}
let __lmsb_stale = () => {
    throw new Error('Invalid stale object from previous Wasm instance');
};
let __lmsb_afterReset = () => {};
function __lmsb_interrupted(e) {
    __lmsb_pending = true;
    throw e;
}
/** Throws RangeError unless \`depth\` more frames fit on the stack. */
function __lmsb_room(depth) {
    return depth === 0 ? 0 : __lmsb_room(depth - 1) + 1;
}
/** Hooks of the entry: \`stale(object)\` makes an object of a replaced instance again, \`afterReset()\` configures a new instance. */
export function __lmsb_recovery(hooks) {
    __lmsb_stale = hooks.stale;
    __lmsb_afterReset = hooks.afterReset;
}
/** The current instance's exports. */
export function __lmsb_exports() {
    __wbg_call_guard();
    return wasm;
}
/** Replaces the instance now. */
export function __lmsb_reset() {
    __lmsb_pending = true;
    __wbg_call_guard();
}
`;
}

// The glue keeps an instance before starting it: one whose start fails (a module that is not
// this one, given to `init()`, instantiates without imports and has no start) stayed as the
// glue's, so every later `init()` returned it and every call failed. It is dropped instead,
// and `init()` can load the right module.
function withAtomicStart(glue) {
  const start = /(function __wbg_finalize_init\(instance, module\) \{\n[\s\S]*?)( {4})wasm\.__wbindgen_start\(\);\n/;
  if (!start.test(glue)) throw new Error("glue: __wbg_finalize_init is not as expected");
  return glue.replace(start, (_, head, i) =>
    `${head}${i}try {\n${i}    wasm.__wbindgen_start();\n${i}} catch (e) {\n${i}    wasm = wasmInstance = wasmModule = undefined;\n${i}    throw e;\n${i}}\n`);
}

// The glue's DataView over the module's memory is checked on every string the module reads
// from JS and every result it returns. Where ArrayBuffers have no `detached` property (Node
// 20), its check reads `wasm.memory.buffer`, a slow host getter: 3-10 % of a sans-IO call.
// Growing the memory detaches the old buffer and leaves it 0 bytes long (a wasm memory is
// never empty), which is what the Uint8Array view is already checked by.
function withCheapMemoryView(glue) {
  const slow = "cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)";
  if (!glue.includes(slow)) throw new Error("glue: the DataView memory check was not found");
  return glue.replace(slow, "cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.byteLength === 0");
}

// wasm-bindgen's glue runs every import that may throw (`Reflect.get`, `JSON.parse`, the
// transport's `attempt`, …) as `handleError(function (…) { … }, arguments)`: a closure made and
// applied on every call, for its try/catch. Each such import becomes the plain function
// with its own try/catch, which stores the exception for Rust exactly as `handleError` did:
// sans-IO builders and parsers 4–7 % faster.
function withDirectCatch(glue) {
  const wrapped = /(\w+): function\(\) \{ return handleError\(function \(([^)]*)\) \{\n([\s\S]*?)\n(\s*)\}, arguments\); \},/g;
  const out = glue.replace(wrapped, (_, name, params, body, indent) =>
    `${name}: function(${params}) {\n${indent}    try {\n${body}\n${indent}    } catch (e) {\n${indent}        wasm.__wbindgen_exn_store(addToExternrefTable0(e));\n${indent}    }\n${indent}},`);
  if (out === glue || out.includes("handleError(function")) throw new Error("glue: not every handleError import was rewritten");
  const helper = /^function handleError\(f, args\) \{\n[\s\S]*?\n\}\n/m;
  if (!helper.test(out)) throw new Error("glue: handleError's definition was not found");
  return out.replace(helper, "");
}

// wasm-bindgen copies a string into the module one character at a time (~2.4 ns each) up to
// its first non-ASCII character, then calls the host's `encodeInto`. From ~32 characters on,
// one `encodeInto` (~0.1 µs whatever the length, up to a few KB) is cheaper: a 478-character
// response body 0.65 → 0.1 µs. The string is encoded into the `len` bytes already
// allocated; when they do not hold it all (a non-ASCII character), the copy starts over as
// wasm-bindgen's. Only with a native `encodeInto`: wasm-bindgen's stand-in for hosts without
// one throws when the view is too small.
function withNativeEncodeInto(glue) {
  const loop = /(\n(\s*)let offset = 0;\n)(\s*for \(; offset < len; offset\+\+\) \{)/;
  if (!loop.test(glue)) throw new Error("glue: passStringToWasm0's copy loop is not as expected");
  // Declared beside the function that reads it, not on the first line: that is the glue's
  // `@ts-self-types` comment, by which Deno finds its types.
  const fn = "\nfunction passStringToWasm0(";
  if (!glue.includes(fn)) throw new Error("glue: passStringToWasm0 was not found");
  const native = "\nconst __lmsb_native_encode_into = \"encodeInto\" in TextEncoder.prototype;\n";
  return glue.replace(fn, native + fn).replace(loop, (_, head, indent, rest) => `${head}${indent}if (len > 32 && __lmsb_native_encode_into) {
${indent}    const ret = cachedTextEncoder.encodeInto(arg, mem.subarray(ptr, ptr + len));
${indent}    if (ret.read === len) {
${indent}        WASM_VECTOR_LEN = ret.written;
${indent}        return ptr;
${indent}    }
${indent}}
${rest}`);
}

// A string the vendor module reads from JS is copied into its memory, up to three bytes per
// character while it is encoded, and copied again, and grown, as a builder works on it (six
// bytes a character escaped in JSON, nine in a URL): long strings ran the module out of
// memory (a trap, `RuntimeError`). The module is handed strings of at most MAX_STRING bytes
// of UTF-8 (MAX_STRING in src/wasm/convert.rs; counted only for strings long enough to
// exceed it); a longer one reads as "not a string" there, and the module answers
// INVALID_INPUT, saying it is too long. Bodies and payloads do not come this way: they are
// read as bytes, up to 2^27.
function withStringLimit(glue) {
  const MAX_STRING = 2 ** 24;
  const read = /(__wbg___wbindgen_string_get_\w+: function\(arg0, arg1\) \{\n\s*const obj = arg1;\n\s*const ret = typeof\(obj\) === 'string')( \? obj : undefined;)/;
  if (!read.test(glue)) throw new Error("glue: __wbindgen_string_get is not as expected");
  const utf8Length = `
function __lmsb_utf8_within(s, max) {
  if (s.length > max) return false;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
    if (n > max) return false;
  }
  return true;
}
`;
  // Most strings are far shorter than MAX_STRING / 3: one comparison, no call.
  return glue.replace(read, `$1 && (obj.length <= ${Math.floor(MAX_STRING / 3)} || __lmsb_utf8_within(obj, ${MAX_STRING}))$2`) + utf8Length;
}

// wasm-bindgen gives every class Rust returns a public `static __wrap(ptr)`, which would let
// any caller build an object around an arbitrary pointer. Make it a module-private function.
function withPrivateWrap(glue) {
  const wraps = [];
  let out = glue.replace(/^ {4}static __wrap\(ptr\) \{\n([\s\S]*?)\n {4}\}\n/gm, (_, body) => {
    const klass = /Object\.create\((\w+)\.prototype\)/.exec(body)?.[1];
    if (!klass) throw new Error("unexpected __wrap in the glue");
    wraps.push([klass, body.replace(/^ {4}/gm, "")]);
    return "";
  });
  for (const [klass, body] of wraps) {
    out = `${out.split(`${klass}.__wrap(`).join(`__wrap${klass}(`)}\nfunction __wrap${klass}(ptr) {\n${body}\n}\n`;
  }
  if (/\.__wrap\(|static __wrap/.test(out)) throw new Error("a public __wrap is left in the glue");
  return out;
}

// node-files.js's packageFile for CommonJS: by path from `__dirname`, not through a `file:` URL
// made from `__filename` (which costs a fresh process about 0.3 ms more: Node loads its URL
// conversions on first use). The ES module keeps `new URL(name, import.meta.url)`, the form
// bundlers recognise as an asset (and where a path gains nothing, the ESM loader having
// loaded those conversions already).
function pathRead(source) {
  const url = "readFileSync(new URL(name, here))";
  if (!source.includes(url)) throw new Error("node-files.js: packageFile no longer reads through a URL");
  return source
    .replace(/^ {2}const here = .*\n/m, "")
    .replace(url, 'readFileSync(builtin("node:path").join(__dirname, name))');
}

// ESM → CommonJS for modules whose only ESM syntax is `export` on declarations, named
// imports (`./x.js` becomes `./x.cjs`) and wasm-bindgen's `import.meta.url` default path.
function toCommonJs(source, names) {
  const body = source
    .replace(/^\/\* @ts-self-types=.*\*\/\n/m, "")
    // CommonJS has `require` itself: no `createRequire` (a few tenths of a ms at start-up).
    .replace(/^import \{ createRequire \} from "node:module";\n/m, "")
    .replaceAll("createRequire(import.meta.url)", "require")
    .replace(/^import \{([^}]*)\} from "([^"]+)";$/gm,
      (_, imported, from) => `const {${imported}} = require("${from.replace(/\.js$/, ".cjs")}");`)
    .replace(/^export (?=(async )?function|class |const |let )/gm, "")
    .replace(/^export \{[^}]*\};?\n/gm, "")
    .replaceAll("import.meta.url", 'require("node:url").pathToFileURL(__filename)');
  if (/^\s*(export|import)\s/m.test(body)) throw new Error("ESM syntax left after conversion");
  return `"use strict";\n${codecs(body)}${body}\nmodule.exports = { ${names.join(", ")} };\n`;
}

// Node's own text codecs where the host's globals lack them, for CommonJS `body`: jest's jsdom
// environment runs CommonJS in a realm without TextEncoder and TextDecoder.
function codecs(body) {
  return ["TextEncoder", "TextDecoder"]
    .filter((name) => new RegExp(`\\bnew ${name}\\b`).test(body))
    .map((name) => `const ${name} = globalThis.${name} ?? require("node:util").${name};\n`)
    .join("");
}

function report() {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  log(`toolchain: ${TOOLCHAIN}`);
  const gz = new Map();
  let total = 0;
  for (const f of fs.readdirSync(at("pkg"), { recursive: true })) {
    if (!fs.statSync(at("pkg", f)).isFile()) continue;
    const bytes = fs.readFileSync(at("pkg", f));
    total += bytes.length;
    gz.set(f, gzipSync(bytes, { level: 9 }).length);
  }
  for (const [name, budget] of Object.entries(BUDGETS)) {
    const size = gz.get(`${name}.wasm`);
    if (size > budget) {
      console.warn(`[build] WARNING: ${name}.wasm is ${kb(size)} gzip, over its budget of ${kb(budget)} ` +
        `(built with ${TOOLCHAIN}; see scripts/build.mjs BUDGETS and bench/README.md)`);
    }
  }
  const totalGz = [...gz.values()].reduce((a, b) => a + b, 0);
  log(`lms_bridge_bg.wasm ${kb(fs.statSync(at("pkg/lms_bridge_bg.wasm")).size)} (gzip ${kb(gz.get("lms_bridge_bg.wasm"))}); ` +
    `whole pkg/ ${kb(total)} (gzip ${kb(totalGz)})`);
  stamp.toolchain = TOOLCHAIN;
  saveStamp();
}
