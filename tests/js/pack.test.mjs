// What the published tarball holds (issue 14 §7): exactly the files the package needs, and
// nothing else (no sources, maps, tests, build stamps or secrets).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const packDir = path.join(root, "target/pack");

test("npm pack ships exactly package.json's files, README, CHANGELOG and both licenses", () => {
  const tarballs = fs.readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
  assert.equal(tarballs.length, 1, `one tarball in target/pack: ${tarballs}`);
  const listed = execFileSync("tar", ["-tzf", path.join(packDir, tarballs[0])], { encoding: "utf8" })
    .split("\n").filter(Boolean).map((f) => f.replace(/^package\//, "")).sort();
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "pkg/package.json"), "utf8"));
  // A directory entry ("testing/") stands for every file in it.
  const expand = (f) => (f.endsWith("/") ? fs.readdirSync(path.join(root, "pkg", f)).map((g) => f + g) : [f]);
  const expected = [...new Set([...manifest.files.flatMap(expand), "package.json", "README.md"])].sort();
  assert.deepEqual(listed, expected);
  for (const f of ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"]) assert.ok(listed.includes(f), f);
  // Every file the manifest's exports point at is shipped.
  const leaves = (v) => (typeof v === "string" ? [v] : Object.values(v).flatMap(leaves));
  const targets = leaves(manifest.exports).map((t) => t.replace(/^\.\//, ""));
  assert.ok(targets.length > 10, `${targets.length} export targets`);
  for (const t of targets) assert.ok(listed.includes(t), `exports points at ${t}, not shipped`);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  // Every JS entry runs code on load (it instantiates the wasm and wires the transport), so a
  // bundler must never skip it when only re-exported names are used (Turbopack did, with
  // `sideEffects: false`: a route importing only `MilesMasterclass` got an uninitialised module).
  const entries = [...new Set(targets.filter((t) => /\.[cm]?js$/.test(t)))].sort();
  assert.deepEqual([...manifest.sideEffects].map((f) => f.replace(/^\.\//, "")).sort(), entries);
  // A `@ts-self-types` pointer (Deno reads it) names a shipped file: wasm-bindgen's glue points
  // at a .d.ts of its own, which the package does not ship, so the build removes it.
  for (const f of listed.filter((f) => /\.[cm]?js$/.test(f))) {
    const pointer = /@ts-self-types="\.\/([^"]+)"/.exec(fs.readFileSync(path.join(root, "pkg", f), "utf8"));
    if (pointer) assert.ok(listed.includes(pointer[1]), `${f}: @ts-self-types points at ${pointer[1]}, not shipped`);
  }
});
