// The one error class of lms-bridge. The wasm module builds these through the class
// handed to it at load time; `isLmsBridgeError` checks `name`, so it also recognises
// errors thrown by another version of the package.

const FIELDS = ["code", "vendor", "status", "vendorCode", "retryable", "details"];

/**
 * What every copy of this version of lms-bridge in one JS realm shares: the error class, and in
 * Node the signing module's instance. The Node entries are single files, each with its own copy
 * of this one (see scripts/build.mjs), and an app may load the ESM and the CommonJS entries side
 * by side; the first copy registers, the others find it, so `instanceof LmsBridgeError` holds
 * across entries and module systems. The key names the version: another version of the package
 * keeps its own. Where globalThis takes no new property (a frozen realm), a copy keeps its own.
 */
export const shared = (() => {
  const key = Symbol.for("lms-bridge@@VERSION@");
  try {
    return (globalThis[key] ??= {});
  } catch {
    return {};
  }
})();

// (`name` is set explicitly: bundlers, ours included, rename classes that share a name.)
export const LmsBridgeError = (shared.LmsBridgeError ??= Object.defineProperty(class LmsBridgeError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = "LmsBridgeError";
    this.retryable = false;
    for (const key of FIELDS) {
      if (fields[key] !== undefined) this[key] = fields[key];
    }
  }

  toJSON() {
    const out = { name: this.name, message: this.message };
    for (const key of FIELDS) if (this[key] !== undefined) out[key] = this[key];
    return out;
  }
}, "name", { value: "LmsBridgeError" }));

export function isLmsBridgeError(e) {
  try {
    return typeof e === "object" && e !== null && e.name === "LmsBridgeError" && typeof e.code === "string";
  } catch {
    return false; // a proxy or getter that throws is not an LmsBridgeError
  }
}
