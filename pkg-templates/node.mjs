// Node (ESM). Two wasm modules, each compiled and instantiated synchronously the first time it
// is needed: the small signing module (the one `lms-bridge/webhooks` uses, one instance for
// both entries) on the first signing call, and the vendor module (the four clients and the
// browser helpers, several times larger and ~4 ms to compile) on the first use of a vendor
// class or function. A process that only signs or verifies never compiles the vendor module.
// `await init()` prepares both at once, e.g. while a server starts.
import { readFileSync } from "node:fs";
import * as glue from "./lms_bridge.js";
import { initSync as initSigning } from "./lms_bridge_webhooks.js";
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { nodeCrypto } from "./node-crypto.js";
import { attempt, pause } from "./transport.js";
// eslint-disable-next-line no-unused-vars -- used by the exports the build appends
import { guarded } from "./guard.js";

const file = (name) => readFileSync(new URL(name, import.meta.url));
let vendorModule;
let signingModule;

/** The vendor module, instantiated on first use. */
function ready() {
  if (vendorModule === undefined) {
    vendorModule = glue.initSync({ module: file("./lms_bridge_bg.wasm") });
    glue.__configure(LmsBridgeError, nodeCrypto.random);
    glue.__configureTransport(attempt, pause);
  }
}

/** The signing module, instantiated on first use. */
function signing() {
  signingModule ??= initSigning({ module: file("./lms_bridge_webhooks_bg.wasm") });
  return signingModule;
}

/** Compiles and instantiates both modules now (otherwise each is on first use); resolves when done. */
export async function init() {
  ready();
  signing();
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export { provisionMany } from "./bulk.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } =
  makeSigning({ exports: signing, errorClass: LmsBridgeError, ...nodeCrypto });
/*@GUARDED_EXPORTS@*/
