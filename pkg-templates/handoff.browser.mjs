// lms-bridge/handoff in browsers and bundlers: the hand-off helpers alone, over their own small
// wasm module. `await init()` loads the .wasm once (idempotent; it may be given a URL, a
// Response, bytes or a WebAssembly.Module). Any call before it has finished throws
// LmsBridgeError NOT_INITIALIZED.
import load, { __lmsb_instantiate } from "./lms_bridge_handoff.js";
import { LmsBridgeError } from "./error.js";
import { browserLoader } from "./load.js";
import { makeHandoff } from "./handoff.js";
import { dom } from "./dom.js";

// The instance once `init()` has loaded it (replaced after a call interrupted inside it, see
// handoff.js).
const store = { handoff: undefined };
const loader = browserLoader({
  load,
  defaultUrl: () => new URL("lms_bridge_handoff_bg.wasm", import.meta.url),
  onLoaded: (exports) => {
    store.handoff = exports;
  },
});

/**
 * Loads and instantiates the wasm module once; later calls return the same promise. Rejects
 * with UNSUPPORTED_ENVIRONMENT where WebAssembly is off or the page's CSP forbids it.
 */
export const init = loader.init;

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { AlphaLearn, TeachOnMars, renderAutoSubmitForm, submitForm, openTeachOnMarsApp } = makeHandoff({
  store,
  // A new instance of the loaded module (after a call interrupted inside the kept one).
  instantiate: () => {
    loader.ready();
    return __lmsb_instantiate();
  },
  errorClass: LmsBridgeError,
  dom,
});
