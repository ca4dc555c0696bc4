// Node (ESM): the module is compiled and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";
import { initSync, __configure } from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";

initSync({ module: readFileSync(new URL("./lms_bridge_bg.wasm", import.meta.url)) });
__configure(LmsBridgeError, (n) => webcrypto.getRandomValues(new Uint8Array(n)));

/** Resolves at once: in Node the module is ready on import. */
export async function init() {}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
/*@EXPORTS@*/
