// What the four Node entries share (each inlines it, see scripts/build.mjs): Node's built-ins,
// each loaded on first use (random bytes and the native HMAC/SHA-256 that hashes large webhook
// payloads, while the wasm module still parses, checks and compares; node:fs for the .wasm
// files; node:crypto costs ~2 ms of start-up), and the signing module's instance.
import { __lmsb_instantiate } from "./lms_bridge_webhooks.js";
import { shared } from "./error.js";
import { signingInstance } from "./signing.js";
import { builtin, packageModule } from "./node-files.js";

let crypto;
const nodeCryptoModule = () => (crypto ??= builtin("node:crypto"));

export const nodeCrypto = {
  random: (n) => nodeCryptoModule().randomFillSync(new Uint8Array(n)),
  native: {
    hmac(key, ...parts) {
      const h = nodeCryptoModule().createHmac("sha256", key);
      for (const part of parts) h.update(part);
      return h.digest();
    },
    sha256: (data) => nodeCryptoModule().createHash("sha256").update(data).digest(),
  },
};

/**
 * makeSigning's `store` and `instantiate` in Node: the signing module's instance, kept in
 * `shared` (one for every entry of the package in the process) and made on first use from
 * the module compiled once; see signing.js `signingInstance`, which also replaces it after an
 * interrupted call.
 */
export const signingHost = {
  store: shared,
  instantiate: () =>
    __lmsb_instantiate((shared.signingModule ??= packageModule("./lms_bridge_webhooks_bg.wasm"))),
};

/** The signing module's exports (made ready now if they are not). */
export const signingModule = signingInstance(signingHost.store, signingHost.instantiate);
