// The vendor module for the two `lms-bridge` Node entries (each inlines this, see
// scripts/build.mjs): the glue the entry hands over (imported by node.mjs, required by
// node.cjs), with the module instantiated and configured on first use.
import { LmsBridgeError } from "./error.js";
import { nodeCrypto, packageFile } from "./node-host.js";
import { attempt, pause, request, tasks } from "./transport.js";

/** `vendors()` for an entry: the glue `load()` returns, made ready on the first call, then kept. */
export function vendorLoader(load) {
  let glue;
  return () => {
    if (glue === undefined) {
      const loaded = load();
      loaded.initSync({ module: packageFile("./lms_bridge_bg.wasm") });
      loaded.__configure(LmsBridgeError, nodeCrypto.random);
      loaded.__configureTransport(attempt, pause, request, tasks(loaded.__lmsbPoll));
      glue = loaded;
    }
    return glue;
  };
}
