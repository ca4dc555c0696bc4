// The one error class of lms-bridge. The wasm module builds these through the class
// handed to it at load time; `isLmsBridgeError` checks `name`, so it also recognises
// errors thrown by another copy of the package (ESM and CommonJS side by side).

const FIELDS = ["code", "vendor", "status", "vendorCode", "retryable", "details"];

export class LmsBridgeError extends Error {
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
}

export function isLmsBridgeError(e) {
  try {
    return typeof e === "object" && e !== null && e.name === "LmsBridgeError" && typeof e.code === "string";
  } catch {
    return false; // a proxy or getter that throws is not an LmsBridgeError
  }
}
