// Browsers and bundlers: `await init()` loads the .wasm once (idempotent; it may be given
// a URL, a Response, bytes or a WebAssembly.Module). Any call before it has finished
// throws LmsBridgeError NOT_INITIALIZED.
import load, * as glue from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { attempt, pause } from "./transport.js";

let ready = false;
let pending;
let wasm;

/** Loads and instantiates the wasm module once; later calls return the same promise. */
export function init(input) {
  if (ready) return Promise.resolve();
  pending ??= load(input === undefined ? undefined : { module_or_path: input }).then(
    (exports) => {
      glue.__configure(LmsBridgeError);
      glue.__configureTransport(attempt, pause);
      wasm = exports;
      ready = true;
    },
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}

function check() {
  if (!ready) {
    throw new LmsBridgeError("lms-bridge is not initialised: await init() first", {
      code: "NOT_INITIALIZED",
      retryable: false,
    });
  }
}

// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
function guardFunction(fn) {
  return function (...args) {
    check();
    return fn.apply(this, args);
  };
}

// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
function guardClass(cls) {
  const proxy = new Proxy(cls, {
    construct(target, args, newTarget) {
      check();
      return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
    },
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "prototype") return value;
      return (...args) => {
        check();
        return value.apply(target, args);
      };
    },
  });
  return proxy;
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } = makeSigning({
  exports: () => {
    check();
    return wasm;
  },
  errorClass: LmsBridgeError,
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
});
/*@GUARDED_EXPORTS@*/
