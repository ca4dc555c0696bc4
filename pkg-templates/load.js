// The browser entries' loading of their wasm module, with every failure an LmsBridgeError:
// a host that cannot compile WebAssembly, a .wasm that is not served or not this version's.
// A module of its own, so that workerd and the edge, which load error.js but no .wasm over the
// network, do not carry it.
import { LmsBridgeError } from "./error.js";

/**
 * The browser entries' loading: the glue's `load` (wasm-bindgen's, or small-glue.js') given
 * `input` (a URL, a Request, a Response, bytes or a module; the entry passes the URL of its
 * .wasm when `init()` was given none), where this host can compile WebAssembly.
 * A module that does not load is an LmsBridgeError, the original error as `cause`: `NETWORK`
 * (the request failed), `HTTP_STATUS` (an error status; the glue's message gives it),
 * `RESPONSE_MALFORMED` (fetched, but not this package's module: typically a dev server's
 * fallback page for a file it does not serve, or a stale copy) or `INVALID_INPUT` (given
 * something that is not the module). Any other error is thrown as it is.
 */
export async function loadModule(load, input) {
  const unavailable = wasmUnavailable();
  if (unavailable !== undefined) throw unavailable;
  // A URL is fetched here, not by the glue: a fetch that fails is then told apart from a
  // module that does not instantiate (both may throw a TypeError). The default URL too.
  let source = input;
  try {
    const url = typeof source === "string" || source instanceof URL || (typeof Request === "function" && source instanceof Request);
    source = await (url ? fetch(source) : source);
  } catch (e) {
    throw notLoaded(e, "NETWORK", "the request failed");
  }
  try {
    return await load({ module_or_path: source });
  } catch (e) {
    const status = Number(/^failed to fetch Wasm: (\d{3}) /.exec(e?.message)?.[1]);
    if (status > 0) throw notLoaded(e, "HTTP_STATUS", `the server answered ${status}`, status);
    if (!(e instanceof TypeError || e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError)) throw e;
    const fetched = typeof Response === "function" && source instanceof Response;
    throw fetched
      ? notLoaded(e, "RESPONSE_MALFORMED", "the server did not send this version's .wasm (a fallback page for a file it does not serve? a stale copy?)")
      : notLoaded(e, "INVALID_INPUT", "`init()` takes a URL, a Request, a Response, or the bytes of this version's module");
  }
}

/**
 * `init()` and `ready()` of a browser entry: `init(input)` loads the entry's module once
 * (`defaultUrl()`, the entry's own .wasm, when `input` is undefined) and hands its exports to
 * `onLoaded`; later calls return the same promise, and a failure lets the next call try again.
 * `ready()` throws NOT_INITIALIZED until `init()` has finished.
 */
export function browserLoader({ load, defaultUrl, onLoaded }) {
  let loaded = false;
  let pending;
  return {
    init(input) {
      if (loaded) return Promise.resolve();
      pending ??= loadModule(load, input === undefined ? defaultUrl() : input).then(
        (exports) => {
          onLoaded(exports);
          loaded = true;
        },
        (e) => {
          pending = undefined;
          throw e;
        },
      );
      return pending;
    },
    ready() {
      if (!loaded) {
        throw new LmsBridgeError("lms-bridge is not initialised: await init() first", { code: "NOT_INITIALIZED", retryable: false });
      }
    },
  };
}

/**
 * An LmsBridgeError with `code` (and `status`), `cause` the original error if any; `retryable`
 * by the library's rule (src/error.rs `Error::retryable`): NETWORK, and HTTP_STATUS 502–504.
 */
function failure(message, code, cause, status) {
  const retryable = code === "NETWORK" || (code === "HTTP_STATUS" && status >= 502 && status <= 504);
  const e = new LmsBridgeError(message, { code, status, retryable });
  if (cause !== undefined) e.cause = cause;
  return e;
}

/** A module that did not load: `why`, with the original error as `cause`. */
const notLoaded = (cause, code, why, status) => failure(`lms-bridge's WebAssembly module did not load: ${why}`, code, cause, status);

/**
 * `UNSUPPORTED_ENVIRONMENT` when this host cannot compile WebAssembly, else undefined: the
 * browser entries' `init()` rejects with it rather than with the engine's own error. Two causes:
 * no WebAssembly at all (turned off, as Safari's Lockdown Mode does), or a Content-Security-Policy
 * whose script-src lacks 'wasm-unsafe-eval' (compiling is refused; the engine's error is `cause`).
 */
function wasmUnavailable() {
  const unsupported = (why, cause) => failure(`lms-bridge cannot run here: ${why}`, "UNSUPPORTED_ENVIRONMENT", cause);
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
