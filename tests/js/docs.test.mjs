// The API reference cannot rot (issue 14 §6). `npm run docs` builds it with TypeDoc from the
// shipped types (pkg/index.d.ts, pkg/webhooks.d.ts, pkg/handoff.d.ts, pkg/testing/index.d.ts;
// typedoc.json).
// - TypeDoc runs as `npm run docs` does (typedoc.json: notExported, invalidLink and
//   notDocumented validation, warnings as errors), to JSON; in that JSON every export and every
//   member has a description, and every function, class, variable, interface and type alias an
//   `@example` with a `ts`/`js` code block.
// - Every `ts`/`js` code block of the shipped .d.ts doc comments type-checks under
//   `tsc --strict` against the installed package, like the README's (tests/js/snippets.mjs,
//   names left to the reader in tests/readme/context.d.ts). A canary, one example with a
//   misspelt option, must fail in the same run.
// - The examples that import `lms-bridge/testing` are self-contained: they also run, in Node
//   against the mock vendors, and must exit 0 (their `assert`s are the checks).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import ts from "typescript";
import { moduleExtension, root, typeCheckSnippets } from "./snippets.mjs";

const run = promisify(execFile);
const installed = path.join(root, "node_modules/lms-bridge");
const SHIPPED = ["index.d.ts", "webhooks.d.ts", "handoff.d.ts", "testing/index.d.ts"];

const KIND = {
  Module: 2, Variable: 32, Function: 64, Class: 128, Interface: 256, Constructor: 512,
  Property: 1024, Method: 2048, Accessor: 262144, TypeAlias: 2097152,
};
const NEEDS_EXAMPLE = new Set([KIND.Variable, KIND.Function, KIND.Class, KIND.Interface, KIND.TypeAlias]);

const text = (parts) => (parts ?? []).map((p) => p.text).join("").trim();
/** The comment that documents a reflection: its own, else its (first) signature's. */
const commentOf = (r) => r.comment ?? r.signatures?.[0]?.comment ?? r.getSignature?.comment;
const hasExample = (comment) => (comment?.blockTags ?? []).some((t) =>
  t.tag === "@example" && t.content.some((p) => p.kind === "code" && /^```(ts|js)\n/.test(p.text)));

/** The declarations of the type literals inside `type` (not inside parameters). */
function typeLiterals(type, out = []) {
  if (!type || typeof type !== "object") return out;
  if (type.type === "reflection") out.push(type.declaration);
  for (const t of [...(type.types ?? []), ...(type.typeArguments ?? []), type.elementType, type.target]) typeLiterals(t, out);
  return out;
}

/**
 * Every reflection that must have a description, as `[name, comment]`, below `r`. Inherited
 * members are checked where they are declared (or are the platform's, as `Error.stack`).
 */
function members(r, name, out = []) {
  for (const c of r.children ?? []) {
    if (c.inheritedFrom) continue;
    const full = `${name}.${c.name}`;
    if (c.kind === KIND.Constructor || c.kind === KIND.Method) {
      for (const s of c.signatures ?? []) out.push([full, s.comment ?? c.comment]);
    } else if (c.kind === KIND.Accessor) {
      out.push([full, c.getSignature?.comment ?? c.comment]);
    } else {
      out.push([full, c.comment]);
    }
    for (const d of typeLiterals(c.type)) members(d, full, out);
    for (const s of c.signatures ?? []) for (const d of typeLiterals(s.type)) members(d, full, out);
  }
  return out;
}

test("TypeDoc builds the API reference with no warning; every export is described, with examples", async (t) => {
  const json = path.join(root, "target/docs.json");
  fs.rmSync(json, { force: true });
  try {
    // typedoc.json: validation on, warnings as errors; `--json` replaces the HTML output.
    await run(path.join(root, "node_modules/.bin/typedoc"), ["--json", json, "--logLevel", "Warn"], { cwd: root });
  } catch (e) {
    assert.fail(`TypeDoc failed (npm run docs would too):\n${e.stdout}${e.stderr}`);
  }
  const project = JSON.parse(fs.readFileSync(json, "utf8"));
  const modules = project.children ?? [];
  assert.deepEqual(modules.map((m) => m.name).sort(), ["lms-bridge", "lms-bridge/handoff", "lms-bridge/testing", "lms-bridge/webhooks"]);
  const undescribed = [];
  const noExample = [];
  let exports = 0;
  let described = 0;
  for (const m of modules) {
    for (const r of m.children ?? []) {
      const full = `${m.name}: ${r.name}`;
      exports++;
      const comment = commentOf(r);
      if (!text(comment?.summary)) undescribed.push(full);
      if (NEEDS_EXAMPLE.has(r.kind) && !hasExample(comment)) noExample.push(full);
      const inner = [
        ...members(r, full),
        ...typeLiterals(r.type).flatMap((d) => members(d, full)),
        ...(r.signatures ?? []).flatMap((s) => typeLiterals(s.type).flatMap((d) => members(d, full))),
      ];
      for (const [name, c] of inner) if (!text(c?.summary)) undescribed.push(name);
      described += 1 + inner.length;
    }
  }
  assert.deepEqual(undescribed, [], "without a description");
  assert.deepEqual(noExample, [], "without an @example ts/js code block");
  assert.ok(exports >= 150, `${exports} exports`);
  t.diagnostic(`${exports} exports in 3 entry points (${described} reflections with members), all described; every function, class, variable, interface and type alias has an example`);
});

/** The `ts`/`js` code blocks of the doc comments of a .d.ts file: `{ line, code }`. */
function docExamples(source) {
  const blocks = [];
  for (const m of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const first = source.slice(0, m.index).split("\n").length;
    const lines = m[0].split("\n").map((l) => l.replace(/^\s*\/?\*\*? ?/, "").replace(/\s*\*\/$/, ""));
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|js)\s*$/.test(lines[i])) continue;
      const end = lines.indexOf("```", i + 1);
      assert.ok(end > i, `line ${first + i}: unclosed code block`);
      blocks.push({ line: first + i, code: lines.slice(i + 1, end).join("\n") });
      i = end;
    }
  }
  return blocks;
}

const examples = [];
const seen = new Set();
for (const file of SHIPPED) {
  for (const b of docExamples(fs.readFileSync(path.join(installed, file), "utf8"))) {
    // webhooks.d.ts and handoff.d.ts repeat shared types and functions of index.d.ts.
    if (seen.has(b.code)) continue;
    seen.add(b.code);
    examples.push({ ...b, file: `${file.replace(/\W+/g, "-")}-line-${b.line}` });
  }
}

test("every example of the shipped types type-checks under --strict against the package", async (t) => {
  assert.ok(examples.length >= 100, `${examples.length} examples`);
  const snippets = examples.map((e) => ({ file: `${e.file}.${moduleExtension(e.code)}`, code: e.code }));
  // The canary: an options object with a misspelt key must be refused.
  const source = examples.find((e) => /new LearnWorlds\(\{[\s\S]*?\bclientSecret:/.test(e.code));
  assert.ok(source, "an example constructing LearnWorlds with clientSecret");
  const canary = "canary-misspelt-option.mts";
  snippets.push({ file: canary, code: source.code.replace(/(new LearnWorlds\(\{[\s\S]*?\b)clientSecret:/, "$1clientSecrt:") });
  const { output } = await typeCheckSnippets(path.join(root, "target/docs-examples"), snippets);
  const errors = output.split("\n").filter((l) => /\): error TS\d+:/.test(l));
  const wrong = errors.filter((l) => !l.startsWith(canary));
  assert.deepEqual(wrong, [], `examples that do not type-check (file names carry the .d.ts and line):\n${output}`);
  assert.ok(errors.some((l) => l.startsWith(canary) && l.includes("clientSecrt")), `the canary was not refused:\n${output}`);
  t.diagnostic(`${examples.length} examples type-checked (and the canary refused)`);
});

test("examples that use lms-bridge/testing run against the mock vendors", async () => {
  const runnable = examples.filter((e) => e.code.includes('from "lms-bridge/testing"'));
  assert.ok(runnable.length >= 10, `${runnable.length} runnable examples`);
  const dir = path.join(root, "target/docs-run");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const failures = [];
  await Promise.all(runnable.map(async (e) => {
    const js = ts.transpileModule(e.code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    const file = path.join(dir, `${e.file}.mjs`);
    fs.writeFileSync(file, js);
    try {
      await run(process.execPath, [file], { cwd: root, timeout: 30_000 });
    } catch (err) {
      failures.push(`${e.file}: ${err.stderr || err.message}`);
    }
  }));
  assert.deepEqual(failures, []);
});
