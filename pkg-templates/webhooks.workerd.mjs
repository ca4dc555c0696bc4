// lms-bridge/webhooks in Cloudflare Workers: the .wasm is imported as a compiled module and
// instantiated synchronously; nothing else runs at module scope.
import wasmModule from "./lms_bridge_webhooks_bg.wasm";
import { initSync, __lmsb_instantiate } from "./lms_bridge_webhooks.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";

// The instance (replaced after a call interrupted inside it, see signing.js).
const store = { signing: initSync({ module: wasmModule }) };

/** Resolves at once: in Workers the module is ready on import. */
export async function init() {}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  store,
  instantiate: () => __lmsb_instantiate(wasmModule),
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
