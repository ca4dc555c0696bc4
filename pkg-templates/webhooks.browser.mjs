// lms-bridge/webhooks in browsers and bundlers: `await init()` loads the small .wasm once
// (idempotent; it may be given a URL, a Response, bytes or a WebAssembly.Module). Any call
// before it has finished throws LmsBridgeError NOT_INITIALIZED.
import load, { __lmsb_instantiate } from "./lms_bridge_webhooks.js";
import { LmsBridgeError } from "./error.js";
import { loadModule } from "./load.js";
import { makeSigning } from "./signing.js";

// The instance once `init()` has loaded it (replaced after a call interrupted inside it,
// see signing.js).
const store = { signing: undefined };
let loaded = false;
let pending;

/**
 * Loads and instantiates the wasm module once; later calls return the same promise. Rejects
 * with UNSUPPORTED_ENVIRONMENT where WebAssembly is off or the page's CSP forbids it.
 */
export function init(input) {
  if (loaded) return Promise.resolve();
  pending ??= loadModule(load, input === undefined ? new URL("lms_bridge_webhooks_bg.wasm", import.meta.url) : input).then(
    (exports) => {
      store.signing = exports;
      loaded = true;
    },
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}

/** A new instance of the loaded module; NOT_INITIALIZED until `init()` has loaded it. */
function instantiate() {
  if (!loaded) {
    throw new LmsBridgeError("lms-bridge is not initialised: await init() first", {
      code: "NOT_INITIALIZED",
      retryable: false,
    });
  }
  return __lmsb_instantiate();
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  store,
  instantiate,
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
