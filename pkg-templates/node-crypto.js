// Node's crypto for the signing functions: random bytes, and the native HMAC/SHA-256 that
// hashes large webhook payloads (the wasm module still parses, checks and compares).
// node:crypto is loaded on first use, not on import: it costs ~2 ms of start-up.
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);
let crypto;
const nodeCryptoModule = () => (crypto ??= load("node:crypto"));

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
