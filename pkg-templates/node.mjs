// Node (ESM): the module is compiled and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { initSync, __configure, __configureTransport } from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { nodeCrypto } from "./node-crypto.js";
import { attempt, pause } from "./transport.js";

const wasm = initSync({ module: readFileSync(new URL("./lms_bridge_bg.wasm", import.meta.url)) });
__configure(LmsBridgeError, nodeCrypto.random);
__configureTransport(attempt, pause);

/** Resolves at once: in Node the module is ready on import. */
export async function init() {}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } =
  makeSigning({ exports: () => wasm, errorClass: LmsBridgeError, ...nodeCrypto });
/*@EXPORTS@*/
