// Node's crypto for the signing functions: random bytes, and the native HMAC/SHA-256 that
// hashes large webhook payloads (the wasm module still parses, checks and compares).
import { createHash, createHmac, webcrypto } from "node:crypto";

export const nodeCrypto = {
  random: (n) => webcrypto.getRandomValues(new Uint8Array(n)),
  native: {
    hmac(key, ...parts) {
      const h = createHmac("sha256", key);
      for (const part of parts) h.update(part);
      return h.digest();
    },
    sha256: (data) => createHash("sha256").update(data).digest(),
  },
};
