// The one error class of lms-bridge. The wasm module builds these through the class
// handed to it at load time; `isLmsBridgeError` checks `name`, so it also recognises
// errors thrown by another version of the package. Also the browser entries' `loadModule`,
// whose one job is to turn a failure to load the module (a host that cannot compile
// WebAssembly, a .wasm that is not served) into such an error (here, rather than in a module
// of its own, because both browser entries already load this one).

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

/**
 * The browser entries' loading: wasm-bindgen's `load` given `input` (a URL, a Response, bytes
 * or a module; undefined: the .wasm next to the glue), where this host can compile WebAssembly.
 */
export async function loadModule(load, input) {
  const unavailable = wasmUnavailable();
  if (unavailable !== undefined) throw unavailable;
  try {
    return await load(input === undefined ? undefined : { module_or_path: input });
  } catch (e) {
    throw loadFailure(e, input);
  }
}

/**
 * Why the module did not load, as an LmsBridgeError with the original error as `cause`. Fetched
 * (`input` absent, a URL, a Request or a Response): the request failed (`NETWORK`), the server
 * answered an error status (`HTTP_STATUS`, from wasm-bindgen's message), or it answered with
 * something that is not this package's module (`RESPONSE_MALFORMED`: typically a dev server's
 * fallback page for a file it does not serve, or a stale copy of the .wasm). Given as bytes or a
 * module that is not this one: `INVALID_INPUT`. Anything else is thrown as it is.
 */
function loadFailure(e, input) {
  const fail = (code, why, fields = {}) => {
    const err = new LmsBridgeError(`lms-bridge's WebAssembly module did not load: ${why}`, { code, retryable: false, ...fields });
    err.cause = e;
    return err;
  };
  const fetched = input === undefined || typeof input === "string" || input instanceof URL || typeof input?.then === "function" ||
    (typeof Request === "function" && input instanceof Request) || (typeof Response === "function" && input instanceof Response);
  const status = Number(/^failed to fetch Wasm: (\d{3}) /.exec(e?.message)?.[1]);
  if (fetched && status > 0) return fail("HTTP_STATUS", `the server answered ${status}`, { status, retryable: status >= 500 || status === 429 });
  if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) {
    return fetched
      ? fail("RESPONSE_MALFORMED", "the server did not send this version's .wasm (a fallback page for a file it does not serve? a stale copy?)")
      : fail("INVALID_INPUT", "`init()` was given something other than this version's module");
  }
  if (e instanceof TypeError) return fetched ? fail("NETWORK", "the request failed", { retryable: true }) : fail("INVALID_INPUT", "`init()` takes a URL, a Request, a Response, bytes or a WebAssembly.Module");
  return e;
}

/**
 * `UNSUPPORTED_ENVIRONMENT` when this host cannot compile WebAssembly, else undefined: the
 * browser entries' `init()` rejects with it rather than with the engine's own error. Two causes:
 * no WebAssembly at all (turned off, as Safari's Lockdown Mode does), or a Content-Security-Policy
 * whose script-src lacks 'wasm-unsafe-eval' (compiling is refused; the engine's error is `cause`).
 */
function wasmUnavailable() {
  const unsupported = (why, cause) => {
    const e = new LmsBridgeError(`lms-bridge cannot run here: ${why}`, { code: "UNSUPPORTED_ENVIRONMENT", retryable: false });
    if (cause !== undefined) e.cause = cause;
    return e;
  };
  if (typeof WebAssembly !== "object" || WebAssembly === null) {
    return unsupported("this browser has WebAssembly turned off (Safari's Lockdown Mode does)");
  }
  try {
    // The smallest module: the magic number and version 1, no sections.
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    return unsupported("the page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src", e);
  }
  return undefined;
}
