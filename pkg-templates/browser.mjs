// Browsers and bundlers: `await init()` loads the .wasm once (idempotent; it may be given
// a URL, a Response, bytes or a WebAssembly.Module). Any call before it has finished
// throws LmsBridgeError NOT_INITIALIZED.
import load, * as glue from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { browserLoader } from "./load.js";
import { makeSigning } from "./signing.js";
import { vendorRuntime, vendorSigning } from "./recover.js";
import { dom } from "./dom.js";
// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
import { guarded } from "./guard.js";

const loader = browserLoader({
  load,
  defaultUrl: () => new URL("lms_bridge_bg.wasm", import.meta.url),
  onLoaded: () => {
    ready.constructed = vendorRuntime(glue, { errorClass: LmsBridgeError, dom });
  },
});

/**
 * Loads and instantiates the wasm module once; later calls return the same promise. Rejects
 * with UNSUPPORTED_ENVIRONMENT where WebAssembly is off or the page's CSP forbids it.
 */
export const init = loader.init;

/** Throws NOT_INITIALIZED until `init()` has finished (guard.js's `ready`). */
function ready() {
  loader.ready();
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
