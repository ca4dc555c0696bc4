// Node (ESM). Two wasm modules, each compiled and instantiated synchronously the first time it
// is needed: the small signing module (one instance for every entry of the package, `shared`
// in error.js) on the first signing call, and the vendor module (the four clients and the
// browser helpers, several times larger and ~4 ms to compile) on the first use of a vendor
// class or function. A process that only signs or verifies never compiles the vendor module.
// `await init()` prepares both at once, e.g. while a server starts. The vendor module's glue
// is imported here (not loaded lazily), so that bundlers of Node servers see and include it.
import * as glue from "./lms_bridge.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { nodeCrypto, signingHost, signingModule } from "./node-host.js";
import { vendorLoader } from "./node-vendors.js";
import { vendorRuntime } from "./recover.js";
// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
import { guarded } from "./guard.js";

/** Makes the vendor module ready (compiled and instantiated on the first call): guard.js's `ready`. */
const ready = vendorLoader(() => glue, () => vendorRuntime);

/** Compiles and instantiates both modules now (otherwise each is on first use); resolves when done. */
export async function init() {
  ready();
  signingModule();
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } =
  makeSigning({ ...signingHost, errorClass: LmsBridgeError, ...nodeCrypto });
/*@GUARDED_EXPORTS@*/
