// lms-bridge/handoff: the browser hand-off helpers over their own small wasm module, on the
// lean boundary the signing functions use (src/handoff/wire.rs). This file reads the caller's
// values and writes each string argument's UTF-8 into the module's input buffer, or says what
// it was instead (ABSENT, NOT_TEXT); the module makes every check, with the messages of the
// main entry's functions, and builds the form's parts, the page and the link. The DOM calls are
// dom.js's, as in the main entry.

/** A string argument that was `undefined` or `null` (src/handoff/wire.rs `ABSENT`). */
const ABSENT = 0xffffffff;
/** A string argument of another type (`NOT_TEXT`). */
const NOT_TEXT = 0xfffffffe;
/** A string argument longer than `MAX_UNITS`, not written (`TOO_LONG`). */
const TOO_LONG = 0xfffffffb;
/** A number JSON has not, in an input object the main entry reads whole (`NON_FINITE`). */
const NON_FINITE = 0xfffffffa;
/**
 * A string of an input object not written because the object's strings already held more
 * than `MAX_UNITS` units (`TOO_MUCH`): the main entry refuses such an object as holding too
 * much text.
 */
const TOO_MUCH = 0xfffffff9;
/**
 * The longest string written, in UTF-16 units (the module refuses more than 2^24 bytes of
 * UTF-8, as the main entry does): a longer one would only grow the module's memory, for good.
 */
const MAX_UNITS = 1 << 24;
/** What `inObject` makes of a number JSON has not. */
const NAN_ARG = Symbol("non-finite");

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `obj[key]` when `key` is its own property (as the main entry reads its input objects). */
const own = (obj, key) => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isBrowser = () => isObject(globalThis.window) && isObject(globalThis.document);
/** A value of an input object: NaN and ±Infinity marked, as the main entry refuses them there. */
const inObject = (v) => (typeof v === "number" && !Number.isFinite(v) ? NAN_ARG : v);

/** The length `run` passes for a value that is not written. */
function sentinel(v) {
  if (v === undefined || v === null) return ABSENT;
  if (typeof v === "string") return TOO_LONG;
  return v === NAN_ARG ? NON_FINITE : NOT_TEXT;
}

/**
 * The hand-off API bound to one wasm module.
 * - `store`, `instantiate`: where the instance is kept (`store.handoff`) and how one is made;
 *   `instantiate` throws NOT_INITIALIZED when the module is not loaded;
 * - `errorClass`: the entry's `LmsBridgeError`;
 * - `dom` (browsers): dom.js's page side of `submitForm` and `openTeachOnMarsApp`.
 */
export function makeHandoff({ store, instantiate, errorClass, dom }) {
  const error = (code, message) => new errorClass(message, { code, retryable: false });
  const invalidInput = (name, why) => error("INVALID_INPUT", `\`${name}\` ${why}`);
  const unsupported = (why) => error("UNSUPPORTED_ENVIRONMENT", why);

  /**
   * The instance: made on first use, and made again when a call was interrupted inside it
   * (the host's stack running out there, or a trap) and it no longer works, as signing.js's.
   */
  function instance() {
    if (store.interrupted === true) {
      if (store.handoff !== undefined && !usable(store.handoff)) store.handoff = undefined;
      store.interrupted = false;
    }
    return (store.handoff ??= instantiate());
  }

  /**
   * Runs one call of the module: `strings` (strings up to `MAX_UNITS` long, or anything else
   * for a sentinel) written one after another, then `extra` (bytes, if any);
   * `call(w, used, lens, extraLen)` makes the export's call. The first `counted` strings are
   * an input object's, which the main entry reads within one budget of text: once they hold
   * more than `MAX_UNITS` units in all, the rest are passed as `TOO_MUCH`, unwritten, so that a
   * call never writes more than that budget's worth. Returns the output as text; a failure
   * the module reports is thrown as an LmsBridgeError, any other marks the instance for a
   * check at the next call.
   */
  function run(strings, extra, call, counted = 0) {
    try {
      const w = instance();
      let units = 0;
      let bound = extra?.length ?? 0;
      const lens = strings.map((s, i) => {
        if (typeof s !== "string" || s.length > MAX_UNITS) return sentinel(s);
        if (i < counted && (units += s.length) > MAX_UNITS) return TOO_MUCH;
        bound += s.length * 3;
        return -1; // written below
      });
      const ptr = w.__lmsb_input(bound);
      if (ptr === 0) throw invalidInput("arguments", "are too large for the module's memory");
      const u8 = new Uint8Array(w.memory.buffer);
      let at = ptr;
      strings.forEach((s, i) => {
        if (lens[i] !== -1) return;
        const { written: n } = encoder.encodeInto(s, u8.subarray(at));
        at += n;
        lens[i] = n;
      });
      if (extra !== undefined) {
        u8.set(extra, at);
        at += extra.length;
      }
      const rc = call(w, at - ptr, lens, extra?.length ?? 0);
      const out = new Uint8Array(w.memory.buffer, w.__lmsb_output(), w.__lmsb_output_len());
      if (rc !== -1) return decoder.decode(out);
      const nul = out.indexOf(0);
      throw error(decoder.decode(out.subarray(0, nul)), decoder.decode(out.subarray(nul + 1)));
    } catch (e) {
      if (!(e instanceof errorClass)) store.interrupted = true;
      throw e;
    }
  }

  /**
   * A form's `method`, `action` and fields (`[name, value, …]`, or the number the module
   * takes instead: 1 not an object, 2 a value that is not a string, 3 no form, 4 a string
   * longer than `MAX_UNITS`, 5 more than `MAX_UNITS` in all, 6 a number JSON has not), read as
   * the main entry reads an input object: own properties, `undefined` and functions skipped.
   * The module decides what is wrong, in the main entry's order.
   */
  function readForm(form) {
    if (!isObject(form)) return { pairs: 3 };
    try {
      const [method, action, fields] = ["method", "action", "fields"].map((k) => inObject(own(form, k)));
      let pairs = fields === NAN_ARG ? 6 : 1;
      if (isObject(fields)) {
        pairs = [];
        let units = (typeof method === "string" ? method.length : 0) + (typeof action === "string" ? action.length : 0);
        let [long, nonFinite, other] = [false, false, false];
        for (const key of Reflect.ownKeys(fields)) {
          if (typeof key !== "string") continue;
          const value = fields[key];
          if (typeof value === "string") {
            pairs.push(key, value);
            units += key.length + value.length;
            long ||= key.length > MAX_UNITS || value.length > MAX_UNITS;
          } else if (typeof value === "number" && !Number.isFinite(value)) {
            nonFinite = true;
          } else if (value !== undefined && typeof value !== "function") {
            other = true;
          }
        }
        const kind = long ? 4 : units > MAX_UNITS ? 5 : nonFinite ? 6 : other ? 2 : 0;
        if (kind !== 0) pairs = kind;
      }
      return { method, action, pairs };
    } catch {
      throw invalidInput("form", "cannot be read");
    }
  }

  /** The fields as the module reads them: `[len u32 LE][UTF-8]` each, names and values. */
  function fieldBytes(pairs) {
    const parts = pairs.map((s) => encoder.encode(s));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const p of parts) {
      view.setUint32(at, p.length, true);
      bytes.set(p, at + 4);
      at += 4 + p.length;
    }
    return bytes;
  }

  /** A form checked (`render` false) or rendered as a page, by the module. */
  function formCall({ method, action, pairs }, nonce, render) {
    const extra = Array.isArray(pairs) ? fieldBytes(pairs) : undefined;
    const kind = Array.isArray(pairs) ? 0 : pairs;
    return run([method, action, nonce], extra, (w, used, [m, a, n], len) => w.__lmsb_form(used, m, a, n, kind, len, render), 2);
  }

  /** `options` of the helpers that take one: `undefined`, `null` or an object. */
  function optionsObject(options) {
    if (!(options === undefined || options === null || typeof options === "object")) {
      throw invalidInput("options", "must be an object");
    }
    return options ?? {};
  }

  /** An option, read as the main entry reads options (inherited properties too). */
  function option(options, key) {
    try {
      return options[key];
    } catch {
      return undefined;
    }
  }

  function loginByJwtForm(input) {
    if (!isObject(input)) throw invalidInput("input", "must be an object");
    let domain, token, type, id;
    try {
      [domain, token, type] = ["domain", "token", "type"].map((k) => inObject(own(input, k)));
      id = own(input, "enrollmentId");
    } catch {
      throw invalidInput("input", "cannot be read");
    }
    const idKind = typeof id === "number" ? 0 : typeof id === "string" ? 1 : 2;
    const strings = idKind === 1 ? [domain, token, type, id] : [domain, token, type];
    const out = run(strings, undefined, (w, used, lens) =>
      w.__lmsb_jwt_form(used, lens[0], lens[1], lens[2], idKind, idKind === 0 ? id : 0, idKind === 1 ? lens[3] : 0), strings.length);
    // `action\0type\0inputData\0token`: the token last, whatever it holds.
    const [action, kind, inputData] = out.split("\0", 3);
    const tokenAt = action.length + kind.length + inputData.length + 3;
    return { action, method: "POST", fields: { token: out.slice(tokenAt), type: kind, inputData } };
  }

  function renderAutoSubmitForm(form, options) {
    const read = readForm(form);
    const nonce = typeof options === "object" && options !== null ? option(options, "nonce") : undefined;
    return formCall(read, nonce, true);
  }

  function submitForm(form) {
    const read = readForm(form);
    if (!isBrowser()) throw unsupported("submitForm works only in a browser page");
    formCall(read, undefined, false);
    const code = dom === undefined ? -1 : dom.submitForm(read.action, read.pairs);
    if (code === 0) return;
    if (code === 2) throw unsupported("submitForm needs document.body");
    throw unsupported(code === -1 ? "submitForm needs a document" : "the DOM refused to build the form");
  }

  function deepLink(authToken, options) {
    const opts = optionsObject(options);
    const creation = option(opts, "profileCreation");
    const creationCode = creation === false ? 0 : creation === true ? 1 : creation === undefined || creation === null ? 2 : 3;
    return run([authToken, option(opts, "scheme")], undefined, (w, used, [t, s]) => w.__lmsb_deep_link(used, t, s, creationCode));
  }

  function openTeachOnMarsApp(link, options) {
    if (!isBrowser()) throw unsupported("openTeachOnMarsApp works only in a browser page");
    const opts = optionsObject(options);
    const targetOrigin = option(opts, "targetOrigin");
    run([link, targetOrigin], undefined, (w, used, [l, o]) => w.__lmsb_app_link(used, l, o));
    const code = dom === undefined ? -1 : dom.openApp(link, targetOrigin ?? "*");
    if (code === 0) return;
    if (code === 2) throw invalidInput("targetOrigin", 'must be "*", "/" or an absolute origin');
    throw unsupported(code === 3 ? "the page refused the navigation" : "no window to open the app from");
  }

  return {
    AlphaLearn: Object.freeze({ loginByJwtForm }),
    TeachOnMars: Object.freeze({ deepLink }),
    renderAutoSubmitForm,
    submitForm,
    openTeachOnMarsApp,
  };
}

/**
 * Whether an instance still works: after an interrupted call its state is left borrowed,
 * and this (which borrows it mutably and changes nothing) then traps.
 */
function usable(w) {
  try {
    w.__lmsb_input(0);
    return true;
  } catch {
    return false;
  }
}
