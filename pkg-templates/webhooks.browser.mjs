// lms-bridge/webhooks in browsers and bundlers: `await init()` loads the small .wasm once
// (idempotent; it may be given a URL, a Response, bytes or a WebAssembly.Module). Any call
// before it has finished throws LmsBridgeError NOT_INITIALIZED.
import load from "./lms_bridge_webhooks.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";

let wasm;
let pending;

/** Loads and instantiates the wasm module once; later calls return the same promise. */
export function init(input) {
  if (wasm !== undefined) return Promise.resolve();
  pending ??= load(input === undefined ? undefined : { module_or_path: input }).then(
    (exports) => {
      wasm = exports;
    },
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}

function exports() {
  if (wasm === undefined) {
    throw new LmsBridgeError("lms-bridge is not initialised: await init() first", {
      code: "NOT_INITIALIZED",
      retryable: false,
    });
  }
  return wasm;
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  exports,
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
