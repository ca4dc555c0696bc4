// lms-bridge/webhooks in browsers and bundlers: `await init()` loads the small .wasm once
// (idempotent; it may be given a URL, a Response, bytes or a WebAssembly.Module). Any call
// before it has finished throws LmsBridgeError NOT_INITIALIZED.
import load, { __lmsb_instantiate } from "./lms_bridge_webhooks.js";
import { LmsBridgeError } from "./error.js";
import { browserLoader } from "./load.js";
import { makeSigning } from "./signing.js";

// The instance once `init()` has loaded it (replaced after a call interrupted inside it, see
// signing.js).
const store = { signing: undefined };
const loader = browserLoader({
  load,
  defaultUrl: () => new URL("lms_bridge_webhooks_bg.wasm", import.meta.url),
  onLoaded: (exports) => {
    store.signing = exports;
  },
});

/**
 * Loads and instantiates the wasm module once; later calls return the same promise. Rejects
 * with UNSUPPORTED_ENVIRONMENT where WebAssembly is off or the page's CSP forbids it.
 */
export const init = loader.init;

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  store,
  // A new instance of the loaded module (after a call interrupted inside the kept one).
  instantiate: () => {
    loader.ready();
    return __lmsb_instantiate();
  },
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
