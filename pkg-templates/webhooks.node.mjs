// lms-bridge/webhooks in Node (ESM): the signing functions alone, over their own small wasm
// module, compiled and instantiated synchronously on first use. One instance serves every
// entry of the package in the process (`shared`, see error.js).
import { LmsBridgeError } from "./error.js";
import { makeSigning } from "./signing.js";
import { nodeCrypto, signingHost, signingModule } from "./node-host.js";

/** Instantiates the module now (otherwise it is on first use); resolves when done. */
export async function init() {
  signingModule();
}

export { LmsBridgeError, isLmsBridgeError } from "./error.js";
export const { Webhook, verifyWebhook, signWebhook, signUrl, verifySignedUrl, hmacSha256, sha256, timingSafeEqual } =
  makeSigning({ ...signingHost, errorClass: LmsBridgeError, ...nodeCrypto });
