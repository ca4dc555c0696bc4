// Node's built-ins and the package's .wasm files, for every Node entry (each inlines what it
// uses, see scripts/build.mjs).
//
// `process.getBuiltinModule` (Node ≥ 20.16 and ≥ 22.3) returns a built-in without building an
// ES module namespace, which for node:fs alone loads Node's streams (~1.5 ms of an ESM
// import); older Node gets a `require` from node:module (its namespace costs ~0.3 ms; no
// top-level await, which bundlers producing CommonJS refuse); in CommonJS (the build's
// conversion) that fallback is its own `require`.
import { createRequire } from "node:module";
import { LmsBridgeError } from "./error.js";

export const builtin = globalThis.process.getBuiltinModule?.bind(globalThis.process) ?? createRequire(import.meta.url);

/**
 * The bytes of the package's file `name`, next to this module (or next to the bundle it was
 * bundled into: a bundle converted to CommonJS, e.g. by esbuild `--format=cjs`, has no
 * `import.meta.url` but has `__filename`). The CommonJS copy reads by path from `__dirname`
 * instead (scripts/build.mjs `pathRead`).
 */
export function packageFile(name) {
  const here = import.meta.url ?? builtin("node:url").pathToFileURL(__filename);
  return builtin("node:fs").readFileSync(new URL(name, here));
}

/**
 * The package's wasm module `name`, compiled. A file that cannot be read or is not WebAssembly
 * (a bundle shipped without the package's .wasm files next to it, a damaged install) is
 * `INVALID_CONFIG`, naming the file, the original error as `cause`; not, as the host's own
 * error, the failure of whichever call first needed the module.
 */
export function packageModule(name) {
  let bytes;
  try {
    bytes = packageFile(name);
    return new WebAssembly.Module(bytes);
  } catch (e) {
    const message = bytes === undefined
      ? `lms-bridge cannot read ${typeof e?.path === "string" ? e.path : name}: a bundle needs the package's .wasm files next to it`
      : `lms-bridge: ${name} is not a WebAssembly module (a damaged install?)`;
    const err = new LmsBridgeError(message, { code: "INVALID_CONFIG", retryable: false });
    err.cause = e;
    throw err;
  }
}
