// Cloudflare Workers (workerd): the .wasm is imported as a compiled module and
// instantiated synchronously. Nothing else runs at module scope (no I/O, timers or
// randomness, which workerd forbids there).
import wasmModule from "./lms_bridge_bg.wasm";
import * as glue from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { vendorRuntime, vendorSigning } from "./recover.js";
// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
import { guarded } from "./guard.js";

glue.initSync({ module: wasmModule });

/** Nothing to wait for (the module is ready on import); records what constructors are given. */
function ready() {}
ready.constructed = vendorRuntime(glue, { errorClass: LmsBridgeError });

/** Resolves at once: in Workers the module is ready on import. */
export async function init() {}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  ...vendorSigning(() => glue),
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
/*@GUARDED_EXPORTS@*/
