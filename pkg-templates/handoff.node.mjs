// lms-bridge/handoff in Node (ESM): the hand-off helpers alone, over their own small wasm
// module, compiled and instantiated synchronously on first use; one instance serves every
// entry of the package in the process (`shared`, see error.js). `submitForm` and
// `openTeachOnMarsApp` need a browser page: here they throw UNSUPPORTED_ENVIRONMENT.
import { LmsBridgeError, shared } from "./error.js";
import { makeHandoff } from "./handoff.js";
import { packageModule } from "./node-files.js";
import { __lmsb_instantiate } from "./lms_bridge_handoff.js";

// Its own store in `shared`: the signing module's instance has another (node-host.js).
const store = (shared.handoffStore ??= {});
const instantiate = () => __lmsb_instantiate((shared.handoffModule ??= packageModule("./lms_bridge_handoff_bg.wasm")));

/** Compiles and instantiates the module now (otherwise it is on first use); resolves when done. */
export async function init() {
  store.handoff ??= instantiate();
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { AlphaLearn, TeachOnMars, renderAutoSubmitForm, submitForm, openTeachOnMarsApp } = makeHandoff({
  store,
  instantiate,
  errorClass: LmsBridgeError,
});
