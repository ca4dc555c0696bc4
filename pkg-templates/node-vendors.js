// The vendor module for the two `lms-bridge` Node entries (each inlines this, see
// scripts/build.mjs): the glue the entry hands over (imported by node.mjs, required by
// node.cjs), with the module instantiated and configured on first use.
import { LmsBridgeError } from "./error.js";
import { nodeCrypto } from "./node-host.js";
import { builtin, packageModule } from "./node-files.js";

/**
 * `vendors()` for an entry: the glue `load()` returns, made ready on the first call, then
 * kept; `vendors.constructed` records what constructors were given (recover.js). `runtime()`
 * returns recover.js's `vendorRuntime`: node.cjs requires it only then (vendor-runtime.cjs).
 */
export function vendorLoader(load, runtime) {
  let glue;
  const vendors = () => {
    if (glue === undefined) {
      const loaded = load();
      loaded.initSync({ module: packageModule("./lms_bridge_bg.wasm") });
      vendors.constructed = runtime()(loaded, {
        errorClass: LmsBridgeError,
        random: nodeCrypto.random,
        // node:timers' own: test suites' fake timers replace the global one (transport.js).
        setImmediate: builtin("node:timers").setImmediate,
      });
      glue = loaded;
    }
    return glue;
  };
  return vendors;
}
