// Docs that cannot rot (issue 14 §6): every code block of the README is checked.
// - `js`/`ts` blocks are type-checked under `tsc --strict` against the installed package, each
//   as its own module (`.cts` when it uses `require`). The names a snippet leaves to the reader
//   (`email`, `rawBody`, `res`, …) are declared once in tests/readme/context.d.ts, with the types
//   a real program would give them, so a renamed export, a wrong option or a wrong result shape
//   fails here.
// - Blocks that import `lms-bridge/testing` are self-contained: they are also executed, in
//   Node against the mock vendors, and must exit 0 (their `assert`s are the checks).
// - `sh` blocks may only run npm scripts that exist, or `npm install lms-bridge`.
// - `text` blocks are diagrams and layouts; a block without a language is refused.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { moduleExtension, root, typeCheckSnippets } from "./snippets.mjs";

const work = path.join(root, "target/readme");

/** The README's fenced blocks: `{ lang, line, code }`, `line` being the opening fence's. */
export function codeBlocks(markdown) {
  const blocks = [];
  // Blocks inside a blockquote count too.
  const lines = markdown.split("\n").map((l) => l.replace(/^> ?/, ""));
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    assert.ok(end > i, `README line ${i + 1}: unclosed code block`);
    blocks.push({ lang: open[1], line: i + 1, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

const blocks = codeBlocks(fs.readFileSync(path.join(root, "README.md"), "utf8"));
const scripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts;

test("every README block has a checked language", () => {
  assert.ok(blocks.length >= 20, `${blocks.length} blocks`);
  for (const b of blocks) {
    assert.ok(["js", "ts", "sh", "text"].includes(b.lang), `README line ${b.line}: block language "${b.lang}"`);
  }
});

test("README shell blocks run only commands that exist", () => {
  for (const b of blocks.filter((x) => x.lang === "sh")) {
    // A command, less its comment and any `NAME=value` environment prefix.
    const commands = b.code.split("\n").map((l) => l.replace(/#.*/, "").trim().replace(/^(?:[A-Z_]+=\S*\s+)*/, ""));
    for (const cmd of commands.filter(Boolean)) {
      const run = /^npm (?:run (\S+)|test)(?:\s|$)/.exec(cmd);
      if (run) {
        assert.ok(scripts[run[1] ?? "test"], `README line ${b.line}: no npm script "${run[1] ?? "test"}"`);
      } else {
        assert.equal(cmd, "npm install lms-bridge", `README line ${b.line}: unchecked command "${cmd}"`);
      }
    }
  }
});

test("README js/ts blocks type-check under --strict against the package", async () => {
  const code = blocks.filter((b) => b.lang === "js" || b.lang === "ts");
  assert.ok(code.length >= 15, `${code.length} code blocks`);
  const snippets = code.map((b) => ({ file: `readme-line-${b.line}.${moduleExtension(b.code)}`, code: b.code }));
  const { ok, output } = await typeCheckSnippets(work, snippets);
  if (!ok) assert.fail(`README blocks do not type-check (file names carry the README line):\n${output}`);
});

test("README blocks that use lms-bridge/testing run against the mock vendors", async () => {
  const runnable = blocks.filter((b) => b.code.includes('from "lms-bridge/testing"'));
  assert.ok(runnable.length >= 1, `${runnable.length} runnable blocks`);
  for (const b of runnable) {
    const file = path.join(root, `target/readme-run-${b.line}.mjs`);
    fs.writeFileSync(file, b.code);
    try {
      await promisify(execFile)(process.execPath, [file], { cwd: root, timeout: 60_000 });
    } catch (e) {
      assert.fail(`README line ${b.line} failed: ${e.stderr || e.message}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
});
