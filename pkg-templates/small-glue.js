// The glue of each small module (shipped as lms_bridge_webhooks.js and lms_bridge_handoff.js,
// one copy per module: each keeps its own module). Written here, not by wasm-bindgen: these
// modules import nothing and export only functions of numbers (src/wasm/lean.rs), so an
// instance needs no glue but this. The same three functions as the vendor module's
// wasm-bindgen glue: `load` (browsers), `initSync` (workerd), `__lmsb_instantiate` (all).

/** An export only this glue's module has (filled in by scripts/build.mjs). */
const OWN_EXPORT = "@OWN_EXPORT@";

/** The module of the last instance made: what `__lmsb_instantiate()` instantiates again. */
let loaded;

/** Whether `m` is a compiled module, also one made in another realm (a test's, miniflare's). */
const isModule = (m) =>
  m instanceof WebAssembly.Module || Object.prototype.toString.call(m) === "[object WebAssembly.Module]";

/**
 * A new instance of `module` (default: the module instantiated before), with fresh memory: its
 * exports. Another module that instantiates (one without imports, the other small module) is
 * refused, not kept.
 */
export function __lmsb_instantiate(module = loaded) {
  const { exports } = new WebAssembly.Instance(module, {});
  if (typeof exports[OWN_EXPORT] !== "function") throw new TypeError(`not this module: it has no ${OWN_EXPORT} export`);
  loaded = module;
  return exports;
}

/** An instance of `module`, compiled or given as bytes: its exports. */
export function initSync({ module }) {
  return __lmsb_instantiate(isModule(module) ? module : new WebAssembly.Module(module));
}

/**
 * Browsers: an instance of `module_or_path`, a Response (as load.js fetched it), bytes or a
 * compiled module: its exports. A Response with an error status is refused with the message
 * wasm-bindgen's glue gives (load.js reads the status from it); another is read whole, then
 * compiled (the module is small: no streaming compilation, whatever its MIME type).
 */
async function load({ module_or_path: source }) {
  let bytes = source;
  if (typeof Response === "function" && source instanceof Response) {
    if (!source.ok) throw new Error(`failed to fetch Wasm: ${source.status} ${source.statusText} fetching '${source.url}'`);
    bytes = await source.arrayBuffer();
  }
  return __lmsb_instantiate(isModule(bytes) ? bytes : await WebAssembly.compile(bytes));
}

export { load as default };
