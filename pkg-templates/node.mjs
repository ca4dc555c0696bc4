// Node (ESM). Two wasm modules, each compiled and instantiated synchronously the first time it
// is needed: the small signing module (one instance for every entry of the package, `shared`
// in error.js) on the first signing call, and the vendor module (the four clients and the
// browser helpers, several times larger and ~4 ms to compile) on the first use of a vendor
// class or function. A process that only signs or verifies never compiles the vendor module.
// `await init()` prepares both at once, e.g. while a server starts.
//
// The vendor module's glue is its CommonJS copy, required then: an ES module cannot be loaded
// synchronously, and importing it up front cost ~1 ms per process. ESM and CommonJS entries
// in one process so share one vendor instance too.
import { initSync as initSigning } from "./lms_bridge_webhooks.js";
import { LmsBridgeError, shared } from "./error.js";
import { makeSigning } from "./signing.js";
import { builtin, nodeCrypto, packageFile } from "./node-crypto.js";
import { attempt, pause } from "./transport.js";
// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
import { deferred } from "./guard.js";

let glue;

/** The vendor module's glue, with the module instantiated: both on first use. */
function vendors() {
  if (glue === undefined) {
    const loaded = builtin("node:module").createRequire(import.meta.url)("./lms_bridge.cjs");
    loaded.initSync({ module: packageFile("./lms_bridge_bg.wasm") });
    loaded.__configure(LmsBridgeError, nodeCrypto.random);
    loaded.__configureTransport(attempt, pause);
    glue = loaded;
  }
  return glue;
}

const signing = () => (shared.signing ??= initSigning({ module: packageFile("./lms_bridge_webhooks_bg.wasm") }));

/** Compiles and instantiates both modules now (otherwise each is on first use); resolves when done. */
export async function init() {
  vendors();
  signing();
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } =
  makeSigning({ exports: signing, errorClass: LmsBridgeError, ...nodeCrypto });
/*@DEFERRED_EXPORTS@*/
