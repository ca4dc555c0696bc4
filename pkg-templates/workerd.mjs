// Cloudflare Workers (workerd): the .wasm is imported as a compiled module and
// instantiated synchronously. Nothing else runs at module scope (no I/O, timers or
// randomness, which workerd forbids there).
import wasmModule from "./lms_bridge_bg.wasm";
import { initSync, __configure, __configureTransport, __lmsbPoll } from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { attempt, pause, request, tasks } from "./transport.js";

const wasm = initSync({ module: wasmModule });
__configure(LmsBridgeError);
__configureTransport(attempt, pause, request, tasks(__lmsbPoll));

/** Resolves at once: in Workers the module is ready on import. */
export async function init() {}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  // The signing exports of the vendor module's instance.
  store: {},
  instantiate: () => wasm,
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
/*@EXPORTS@*/
