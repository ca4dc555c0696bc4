// AlphaLearn's sans-IO twins (`buildX`, `parseX`) over the vendor module's lean calls
// (src/vendors/alphalearn/wire.rs): the call's strings, or the response's body, are written
// into the module's input buffer and the request or the result comes back as text, instead of
// wasm-bindgen converting the input and the response property by property. The module builds
// and parses with the same functions either way.
//
// The lean call answers what it can answer exactly as the class's own method would: an input
// of strings and booleans (an object of plain own properties), a response whose status and
// body are plain. Anything else, and every failure, goes to the class's own method, which
// converts the arguments as before and throws its error (scrubbed of the call's secrets, with
// the vendor's details).
import { request } from "./transport.js";

/** Argument lengths that are not lengths (src/handoff/wire.rs). */
const ABSENT = 0xffffffff;
const NOT_TEXT = 0xfffffffe;
const TRUE = 0xfffffffd;
const FALSE = 0xfffffffc;

/** Longer strings and bodies take the class's own path (its limits are the reference). */
const LEAN_UNITS = 1 << 20;

/** The twins, numbered as the module numbers them (`wire::Op`), with their input's fields. */
const OPS = [
  ["Login", ["email", "password", "domain"]],
  ["RefreshToken", undefined],
  ["LoginWithThirdParty", ["provider", "token"]],
  ["ForgotPassword", ["email", "domain", "sendEmailNotification", "overrideEmailUrl"]],
];

/**
 * Marks a class whose twins are lean: its value holds the methods they replaced (by name),
 * which tests compare them with.
 */
const LEAN = Symbol.for("lms-bridge.alphalearn.ownTwins");

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Puts the lean twins on the glue's `AlphaLearn` class (each falls back to the one it
 * replaces). `exports()` is the current instance's exports (a replaced instance's successor);
 * `reset()` replaces an instance a lean call was interrupted in.
 */
export function leanAlphaLearn(AlphaLearn, exports, reset) {
  const proto = AlphaLearn.prototype;
  if (Object.prototype.hasOwnProperty.call(proto, LEAN)) return;
  const own = {};
  Object.defineProperty(proto, LEAN, { value: own });
  // `baseUrl` and `domain` of each client, read from the module once; `undefined` for what
  // is not a live client (freed, or no client at all: the class's method says what is wrong).
  const configs = new WeakMap();
  const configOf = (client) => {
    if (!(client instanceof AlphaLearn) || !client.__wbg_ptr) return undefined;
    let cfg = configs.get(client);
    if (cfg === undefined) {
      let text;
      try {
        text = client.__lmsbConfig();
      } catch {
        return undefined;
      }
      const nul = text.indexOf("\0");
      cfg = nul < 0 ? [text, undefined] : [text.slice(0, nul), text.slice(nul + 1)];
      configs.set(client, cfg);
    }
    return cfg;
  };

  /**
   * Runs one lean call: `values` (strings, booleans, absent) written one after another, then
   * `bytes`; `call(w, used, lens)` makes it. The output as text and the call's return value,
   * or `undefined` when the call failed or could not be made (the class's method then runs).
   */
  function lean(values, bytes, call) {
    let w;
    try {
      w = exports();
      let bound = bytes?.length ?? 0;
      for (const v of values) if (typeof v === "string") bound += v.length * 3;
      const ptr = w.__lmsb_input(bound);
      if (ptr === 0) return undefined;
      const u8 = new Uint8Array(w.memory.buffer);
      let at = ptr;
      const lens = values.map((v) => {
        if (typeof v === "string") {
          const { written } = encoder.encodeInto(v, u8.subarray(at));
          at += written;
          return written;
        }
        return v === true ? TRUE : v === false ? FALSE : v === undefined || v === null ? ABSENT : NOT_TEXT;
      });
      if (bytes !== undefined) {
        u8.set(bytes, at);
        at += bytes.length;
      }
      const rc = call(w, at - ptr, lens);
      if (rc < 0) return undefined;
      return [decoder.decode(new Uint8Array(w.memory.buffer, w.__lmsb_output(), w.__lmsb_output_len())), rc];
    } catch {
      // Interrupted inside the module (the host's stack, a trap): replace the instance if it
      // no longer works; the class's method then answers.
      if (w !== undefined && !usable(w)) reset();
      return undefined;
    }
  }

  /**
   * The fields of `input` for a lean call, or `undefined` when the class's method must read it
   * (a getter or proxy that throws included: the method reports it).
   */
  function fieldValues(input, fields) {
    try {
      return plainFields(input, fields);
    } catch {
      return undefined;
    }
  }

  function plainFields(input, fields) {
    if (typeof input !== "object" || input === null) return undefined;
    const proto = Object.getPrototypeOf(input);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const values = new Array(fields.length);
    for (const key of Reflect.ownKeys(input)) {
      if (typeof key !== "string") continue;
      const value = input[key];
      const type = typeof value;
      if (type === "string" ? value.length > LEAN_UNITS : !(type === "boolean" || type === "undefined" || type === "function" || value === null)) {
        return undefined;
      }
      const i = fields.indexOf(key);
      if (i >= 0 && type !== "function") values[i] = value;
    }
    return values;
  }

  /** A response's status and body (`[status, strings, bytes]`) for a lean parse, or `undefined`. */
  function responseParts(response) {
    try {
      return plainResponse(response);
    } catch {
      return undefined;
    }
  }

  function plainResponse(response) {
    if (typeof response !== "object" || response === null) return undefined;
    const status = response.status;
    if (!(Number.isInteger(status) && status >= 100 && status <= 599)) return undefined;
    // A string body is written as a string argument (encoded into the module's memory).
    const body = response.body;
    let parts;
    if (typeof body === "string") parts = body.length <= LEAN_UNITS ? [[body], undefined] : undefined;
    else if (body === undefined || body === null) parts = [[], undefined];
    else if (body instanceof Uint8Array && body.length <= LEAN_UNITS) parts = [[], body];
    const headers = response.headers;
    if (parts === undefined || !(headers === undefined || headers === null || typeof headers === "object")) return undefined;
    return [status, ...parts];
  }

  OPS.forEach(([name, fields], op) => {
    const ownBuild = (own[`build${name}`] = proto[`build${name}`]);
    const ownParse = (own[`parse${name}`] = proto[`parse${name}`]);
    Object.defineProperty(proto, `build${name}`, {
      ...Object.getOwnPropertyDescriptor(proto, `build${name}`),
      value: function (input, auth) {
        const values = fields === undefined ? (typeof input === "string" && input.length <= LEAN_UNITS ? [input] : undefined) : fieldValues(input, fields);
        const cfg = values === undefined ? undefined : configOf(this);
        let out;
        if (cfg !== undefined) {
          out = lean([cfg[0], cfg[1], ...values], undefined, (w, used, l) =>
            w.__lmsb_al_build(used, op, true, l[0], l[1], l[2] ?? ABSENT, l[3] ?? ABSENT, l[4] ?? ABSENT, l[5] ?? ABSENT));
        }
        return out === undefined ? ownBuild.call(this, input, auth) : request(out[0], out[1], true);
      },
    });
    Object.defineProperty(proto, `parse${name}`, {
      ...Object.getOwnPropertyDescriptor(proto, `parse${name}`),
      value: function (response, input) {
        const parts = input === undefined || input === null ? responseParts(response) : undefined;
        // The module reads no client state to parse: `this` only has to be a client.
        const out = parts !== undefined && configOf(this) ? lean(parts[1], parts[2], (w, used) => w.__lmsb_al_parse(used, op, parts[0])) : undefined;
        if (out === undefined) return ownParse.call(this, response, input);
        // login and loginWithThirdParty: a result as JSON text; the others: its token.
        return op === 0 || op === 2 ? JSON.parse(out[0]) : { token: out[0] };
      },
    });
  });
}

/** Whether an instance still works after an interrupted call (as signing.js checks). */
function usable(w) {
  try {
    w.__lmsb_input(0);
    return true;
  } catch {
    return false;
  }
}
