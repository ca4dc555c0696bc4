// TypeDoc plugin of `npm run docs` (typedoc.json). Two things the shipped .d.ts files cannot
// say themselves:
// - Module names: each entry point is named as users import it ("lms-bridge",
//   "lms-bridge/webhooks", "lms-bridge/handoff", "lms-bridge/testing"), read from
//   pkg/package.json's `exports` (index.d.ts, webhooks.d.ts and handoff.d.ts all start with the
//   shared types, so a `@module` comment could not tell them apart).
// - wasm-bindgen gives every class it generates `free()` and `[Symbol.dispose]()` without a
//   doc comment; they get one here, only where a comment is missing.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Comment, Converter, ReflectionKind } from "typedoc";

const FREE = "Releases the object's wasm memory now (otherwise it is released when the object is garbage-collected). The object must not be used afterwards.";
const DISPOSE = "Calls `free()`: lets a `using` declaration release the object at the end of its block.";

/** `types` file (absolute) → export name, for every subpath of the package's `exports`. */
function entryNames(pkgDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const names = new Map();
  const visit = (name, target) => {
    if (typeof target !== "object" || target === null) return;
    for (const [condition, value] of Object.entries(target)) {
      if (condition === "types" && typeof value === "string") names.set(path.resolve(pkgDir, value), name);
      else visit(name, value);
    }
  };
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    visit(subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, target);
  }
  return names;
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  let names;
  app.converter.on(Converter.EVENT_BEGIN, () => {
    names = entryNames(fileURLToPath(new URL("../pkg", import.meta.url)));
  });
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const name = file && names.get(path.resolve(file));
    if (name) reflection.name = name;
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const klass of context.project.getReflectionsByKind(ReflectionKind.Class)) {
      for (const member of klass.children ?? []) {
        const text = { free: FREE, "[dispose]": DISPOSE }[member.name];
        if (!text) continue;
        for (const signature of member.signatures ?? []) {
          signature.comment ??= new Comment([{ kind: "text", text }]);
        }
      }
    }
  });
}
