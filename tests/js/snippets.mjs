// Code snippets of the docs, type-checked as users would write them (README blocks in
// readme.test.mjs, `@example` blocks of the shipped types in docs.test.mjs): each snippet is a
// module of its own, checked under `tsc --strict` against the installed package, with
// tests/readme/context.d.ts declaring the names snippets leave to the reader (`email`,
// `rawBody`, `res`, …) with the types a real program would give them.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The extension a snippet is checked under: `cts` when it uses `require`, else `mts`. */
export function moduleExtension(code) {
  return /\brequire\(/.test(code) ? "cts" : "mts";
}

/**
 * Writes `snippets` (`[{ file, code }]`, `file` a name with its extension) into `work`
 * (emptied first) and runs tsc over them. Resolves to `{ ok, output }`, `output` being tsc's
 * diagnostics, which name the files.
 */
export async function typeCheckSnippets(work, snippets) {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  for (const { file, code } of snippets) {
    // A module of its own, so each snippet's names are its own; `export {}` makes even an
    // import-free snippet a module.
    fs.writeFileSync(path.join(work, file), `${code}\nexport {};\n`);
  }
  fs.copyFileSync(path.join(root, "tests/readme/context.d.ts"), path.join(work, "context.d.ts"));
  fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022",
      lib: ["es2022", "dom", "dom.iterable", "esnext.disposable"], types: ["node"], skipLibCheck: false,
      typeRoots: [path.join(root, "node_modules/@types")], noUnusedLocals: false,
    },
    files: ["context.d.ts", ...snippets.map((s) => s.file)],
  }, null, 2));
  // Resolve `lms-bridge` to the installed package, as a user's project would.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(work, "node_modules"), "dir");
  const tsc = path.join(root, "node_modules/.bin/tsc");
  try {
    await promisify(execFile)(tsc, ["-p", work], { cwd: work });
    return { ok: true, output: "" };
  } catch (e) {
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` || String(e) };
  }
}
