// lms-bridge/handoff in Cloudflare Workers: the .wasm is imported as a compiled module and
// instantiated synchronously; nothing else runs at module scope. `submitForm` and
// `openTeachOnMarsApp` need a browser page: here they throw UNSUPPORTED_ENVIRONMENT.
import wasmModule from "./lms_bridge_handoff_bg.wasm";
import { initSync, __lmsb_instantiate } from "./lms_bridge_handoff.js";
import { LmsBridgeError } from "./error.js";
import { makeHandoff } from "./handoff.js";

// The instance (replaced after a call interrupted inside it, see handoff.js).
const store = { handoff: initSync({ module: wasmModule }) };

/** Resolves at once: in Workers the module is ready on import. */
export async function init() {}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { AlphaLearn, TeachOnMars, renderAutoSubmitForm, submitForm, openTeachOnMarsApp } = makeHandoff({
  store,
  instantiate: () => __lmsb_instantiate(wasmModule),
  errorClass: LmsBridgeError,
});
