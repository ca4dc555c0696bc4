// Browsers and bundlers: `await init()` loads the .wasm once (idempotent; it may be given
// a URL, a Response, bytes or a WebAssembly.Module). Any call before it has finished
// throws LmsBridgeError NOT_INITIALIZED.
import load, * as glue from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { loadModule } from "./load.js";
import { makeSigning } from "./signing.js";
import { vendorRuntime, vendorSigning } from "./recover.js";
import { dom } from "./dom.js";
// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
import { guarded } from "./guard.js";

let initialised = false;
let pending;

/**
 * Loads and instantiates the wasm module once; later calls return the same promise. Rejects
 * with UNSUPPORTED_ENVIRONMENT where WebAssembly is off or the page's CSP forbids it.
 */
export function init(input) {
  if (initialised) return Promise.resolve();
  pending ??= loadModule(load, input === undefined ? new URL("lms_bridge_bg.wasm", import.meta.url) : input).then(
    () => {
      ready.constructed = vendorRuntime(glue, { errorClass: LmsBridgeError, dom });
      initialised = true;
    },
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}

/** Throws NOT_INITIALIZED until `init()` has finished. */
function ready() {
  if (!initialised) {
    throw new LmsBridgeError("lms-bridge is not initialised: await init() first", {
      code: "NOT_INITIALIZED",
      retryable: false,
    });
  }
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  ...vendorSigning(() => {
    ready();
    return glue;
  }),
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
/*@GUARDED_EXPORTS@*/
