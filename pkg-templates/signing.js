// The signing API (API.md §4) over the lean wasm boundary (src/wasm/lean.rs): options and
// headers are read here, strings and bytes are written straight into the module's input
// buffer, one numeric export decides, and results are read back from its output buffer.
// Every check, MAC and comparison happens in the wasm module; where the host has a
// native HMAC (Node's node:crypto), the MAC of larger payloads is computed by it, and the
// module still does the parsing, the checks and the constant-time comparison.
//
// Each entry calls makeSigning() once with its own module and error class, so
// "lms-bridge" and "lms-bridge/webhooks" can be loaded side by side. No imports: the build
// also ships it as CommonJS.
const SCHEMES = { "standard-webhooks": 0, stripe: 1, github: 2 };
const SCHEME_NAMES = ["standard-webhooks", "stripe", "github"];
const DEFAULT_SIG_HEADERS = ["webhook-signature", "stripe-signature", "x-hub-signature-256"];
const TAG = { textSecret: 0, byteSecret: 1, header: 2, id: 3, random: 4, data: 5, origin: 6 };
/**
 * Payloads from this many bytes (or UTF-16 units) on go to the native HMAC, if any: below,
 * the module's HMAC wins, as Node's createHmac costs about 2 µs before the first byte.
 */
const NATIVE_FROM = 1280;
/**
 * String payloads up to this many UTF-16 units are written with the headers in one
 * `encodeInto` (a longer one would be copied once more by the concatenation).
 */
const ONE_WRITE = 2048;
/** `verifyWebhook` keeps this many verifiers for string secrets it has seen. */
const CACHE_SIZE = 16;
/**
 * Secrets (with the header name) longer than this in all are not cached: the cache's key holds
 * them whole, and thousands of long secrets would not fit in one string.
 */
const CACHE_KEY_MAX = 4096;
/** The longest JS string (V8's `String::kMaxLength`): a header's values joined longer are refused. */
const JOIN_MAX = 2 ** 29 - 24;

const encoder = new TextEncoder();

/**
 * Writes `s` as UTF-8 into `u8` at `at` (room for 3 bytes per unit); returns the end. A string
 * of up to `byHand` units is written by hand while it is ASCII (cheaper than a call to
 * `encodeInto`). Also twins.js's.
 */
export function putUtf8(u8, at, s, byHand) {
  const n = s.length;
  if (n > byHand) return at + encoder.encodeInto(s, u8.subarray(at)).written;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return at + i + encoder.encodeInto(s.slice(i), u8.subarray(at + i)).written;
    u8[at + i] = c;
  }
  return at + n;
}
let decoder;
/** The UTF-8 text of `bytes`. (The decoder is made on first use: verifying with an ASCII id never needs one.) */
const decode = (bytes) => (decoder ??= new TextDecoder()).decode(bytes);

let LmsBridgeError = Error;
const error = (code, message) => new LmsBridgeError(message, { code, retryable: false });
const invalidInput = (name, why) => error("INVALID_INPUT", `\`${name}\` ${why}`);
const invalidConfig = (name, why) => error("INVALID_CONFIG", `\`${name}\` ${why}`);
/** Any other throw while reading arguments (a throwing getter or proxy) → INVALID_INPUT. */
function asOurs(e) {
  if (e instanceof LmsBridgeError) return e;
  return invalidInput("arguments", "could not be read (a getter or proxy threw)");
}

const badHeaders = () => invalidInput("headers", "must be a Headers object, an object or [name, value] pairs");

/** A numeric option: only a number (≥ 0; Infinity only where allowed); `undefined` = default. */
function number(opts, name, infinity = false) {
  const v = opts === undefined || opts === null ? undefined : opts[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !(v >= 0) || (v === Infinity && !infinity)) {
    throw invalidInput(name, "must be a non-negative number");
  }
  return v;
}

function optionsObject(opts, name = "options") {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== "object") throw invalidInput(name, "must be an object");
  return opts;
}

function schemeCode(opts) {
  const code = SCHEMES[opts.scheme];
  if (code === undefined || !Object.hasOwn(SCHEMES, opts.scheme)) {
    throw invalidConfig("scheme", 'must be "standard-webhooks", "stripe" or "github"');
  }
  return code;
}

function isBytes(v) {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

function toBytes(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** A string or bytes argument (`name` for the error). */
function payloadArg(v, name) {
  if (typeof v === "string") return v;
  if (isBytes(v)) return toBytes(v);
  throw invalidInput(name, "must be a string or a Uint8Array");
}

/** `secret`: one string/bytes, or (where `many`) an array of them, as [tag, value] fields. */
function secretFields(secret, many) {
  const one = (s) => {
    if (typeof s === "string") return [TAG.textSecret, s];
    if (isBytes(s)) return [TAG.byteSecret, toBytes(s)];
    if (s === undefined || s === null) throw invalidConfig("secret", "is required");
    throw invalidConfig("secret", "must be a string or a Uint8Array");
  };
  if (many && Array.isArray(secret)) return secret.map(one);
  return [one(secret)];
}

/** The value of header `lower` (a lowercase name) in a HeadersLike; "" when absent. */
function headerValue(headers, lower) {
  if (headers === undefined || headers === null) return "";
  if (typeof headers !== "object") throw badHeaders();
  if (typeof headers.get === "function" && !(headers instanceof Map)) {
    const v = headers.get(lower);
    return v === undefined || v === null ? "" : headerText(v);
  }
  if (Array.isArray(headers) || headers instanceof Map || typeof headers[Symbol.iterator] === "function") {
    for (const pair of headers) {
      if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") throw badHeaders();
      if (pair[0].toLowerCase() === lower) return pair[1];
    }
    return "";
  }
  const exact = headers[lower];
  if (exact !== undefined && exact !== null && Object.hasOwn(headers, lower)) return headerText(exact);
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== lower) continue;
    const v = headers[key];
    if (v !== undefined && v !== null) return headerText(v);
  }
  return "";
}

function headerText(v) {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v) && v.every((p) => typeof p === "string")) return joinValues(v);
  throw badHeaders();
}

/** `parts` joined by ", " (as `fetch` joins a header's values); too long to join → INVALID_INPUT. */
function joinValues(parts) {
  let length = 0;
  for (const part of parts) length += part.length + 2;
  if (length > JOIN_MAX) throw invalidInput("headers", "are too long");
  return parts.join(", ");
}

/**
 * The signing module's instance, kept in `store.signing` (in Node the process-wide `shared`,
 * so that every entry uses one): made by `instantiate()` on first use, and made again after
 * a call was interrupted inside it. The host's stack running out there, or a trap, leaves the
 * instance's state unusable (a borrow left taken, the allocator mid-update): makeSigning then
 * sets `store.interrupted` (an assignment, which cannot itself run out of stack), and the
 * next call checks the instance first and replaces it if it no longer works.
 */
export function signingInstance(store, instantiate) {
  return () => {
    if (store.interrupted === true) {
      if (store.signing !== undefined && !usable(store.signing)) store.signing = undefined;
      store.interrupted = false;
    }
    return (store.signing ??= instantiate());
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

/**
 * The signing API bound to one wasm module.
 * - `store`, `instantiate`: where the instance is kept and how one is made (see
 *   `signingInstance`); `instantiate` throws NOT_INITIALIZED when the module is not loaded;
 * - `errorClass`: the entry's `LmsBridgeError`;
 * - `random(n)`: n cryptographically random bytes;
 * - `native` (optional): `{ hmac(key, ...parts), sha256(data), threshold? }` returning
 *   Uint8Arrays: a host HMAC used for webhook payloads from `threshold` bytes on (default
 *   1280, where it overtakes the module's own) and for `hmacSha256`/`sha256`.
 */
export function makeSigning({ store, instantiate, errorClass, random, native }) {
  LmsBridgeError = errorClass;
  const nativeFrom = native?.threshold ?? NATIVE_FROM;
  const exports = signingInstance(store, instantiate);
  let memory = null;
  let u8 = null;
  let dv = null;

  /**
   * The module's exports, with the memory views current (a grown memory detaches them). The
   * memory is recorded last: a call that runs out of stack while the views are made leaves
   * them to be made again, not views of a replaced instance's memory taken for current.
   */
  function wasm() {
    const w = exports();
    if (w.memory !== memory || u8.byteLength === 0) {
      const m = w.memory;
      u8 = new Uint8Array(m.buffer);
      dv = new DataView(m.buffer);
      memory = m;
    }
    return w;
  }

  /**
   * The views again if the last export grew the memory (which detaches them): called after
   * every export whose input or output is then read or written here.
   */
  function follow() {
    if (u8.byteLength === 0) wasm();
  }

  /** Makes the input buffer `bound` bytes long; returns its address (views refreshed). */
  function input(w, bound) {
    const ptr = w.__lmsb_input(bound);
    if (ptr === 0) throw invalidInput("arguments", "are too large for the module's memory");
    follow();
    return ptr;
  }

  /**
   * The error a call ends with: an LmsBridgeError as it is; the host's RangeError (its stack
   * ran out) or a trap as they are, the instance then checked at the next call (see
   * `signingInstance`); any other throw came from reading the arguments (a getter or a proxy).
   */
  function settle(e) {
    if (e instanceof LmsBridgeError || e instanceof RangeError || e instanceof WebAssembly.RuntimeError) return e;
    return asOurs(e);
  }

  /** `fn`, with every failure an LmsBridgeError (or the host's, see `settle`). */
  const guarded = (fn) =>
    function guardedCall(...args) {
      try {
        return fn.apply(this, args);
      } catch (e) {
        if (!(e instanceof LmsBridgeError)) store.interrupted = true;
        throw settle(e);
      }
    };

  /** Writes a string as UTF-8 at `at` (room for 3 bytes per unit); returns the end. */
  const putString = (at, s) => putUtf8(u8, at, s, 16);

  function put(at, v) {
    if (typeof v === "string") return putString(at, v);
    u8.set(v, at);
    return at + v.length;
  }

  const bound = (v) => (typeof v === "string" ? v.length * 3 : v.length);

  /** Writes [tag, value] fields into the input buffer; returns the bytes used. */
  function writeFields(w, fields) {
    let total = 0;
    for (const [, v] of fields) total += 5 + bound(v);
    const start = input(w, total);
    let at = start;
    for (const [tag, v] of fields) {
      const end = put(at + 5, v);
      const len = end - at - 5;
      u8[at] = tag;
      dv.setUint32(at + 1, len, true);
      at = end;
    }
    return at - start;
  }

  /** Where the last call's output is, and its length (views refreshed). */
  function output(w) {
    const at = [w.__lmsb_output(), w.__lmsb_output_len()];
    follow();
    return at;
  }

  /** The error the module reported (`CODE\0message` in its output). */
  function thrown(w) {
    const [ptr, len] = output(w);
    const bytes = u8.subarray(ptr, ptr + len);
    const nul = bytes.indexOf(0);
    return error(decode(bytes.subarray(0, nul)), decode(bytes.subarray(nul + 1)));
  }

  function outputBytes(w) {
    const [ptr, len] = output(w);
    return u8.slice(ptr, ptr + len);
  }

  function outputText(w, skip = 0) {
    const [ptr, len] = output(w);
    return decode(u8.subarray(ptr + skip, ptr + len));
  }

  /**
   * Reads `[timestamp f64 | NaN][secretIndex u32][idStart u32][idLen u32][id]` at `ptr`: the
   * id is sliced from the header string when it is ASCII (byte offsets are string offsets).
   */
  function verified(ptr, scheme, id, idAscii) {
    follow();
    const timestamp = dv.getFloat64(ptr, true);
    const result = { scheme: SCHEME_NAMES[scheme] };
    if (scheme === 0) {
      const start = dv.getUint32(ptr + 12, true);
      const len = dv.getUint32(ptr + 16, true);
      result.id = idAscii ? id.slice(start, start + len) : decode(u8.subarray(ptr + 20, ptr + 20 + len));
    }
    if (!Number.isNaN(timestamp)) result.timestamp = timestamp;
    result.secretIndex = dv.getUint32(ptr + 8, true);
    return result;
  }

  /** Frees a verifier's handle, in the instance that made it if that one is still in use. */
  function release(v) {
    const handle = v.handle;
    if (handle < 0) return;
    v.handle = -1;
    if (v.inst !== store.signing) return; // a replaced instance: nothing to free there
    try {
      v.inst.__lmsb_webhook_free(handle);
    } catch {
      store.interrupted = true;
    }
  }

  const registry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry(release) : null;

  /** Makes `v`'s verifier in instance `w` and returns its handle. */
  function verifierIn(w, v) {
    const used = writeFields(w, v.fields);
    const handle = w.__lmsb_webhook_new(used, v.scheme, v.tolerance !== undefined, v.tolerance ?? 0);
    if (handle < 0) throw thrown(w);
    return handle;
  }

  /**
   * A verifier in the module: its handle (in instance `inst`), scheme and signature header,
   * and the fields that made it (byte secrets copied), to make it again in a new instance.
   * `keys` (the decoded secrets, for the native HMAC) are copied out on the first payload
   * that needs them.
   */
  function createVerifier(opts) {
    const scheme = schemeCode(opts);
    const tolerance = number(opts, "toleranceSeconds", true);
    const header = opts.header;
    if (header !== undefined && typeof header !== "string") throw invalidInput("header", "must be a header name");
    const fields = secretFields(opts.secret, true).map(([tag, value]) => [tag, typeof value === "string" ? value : value.slice()]);
    if (header !== undefined) fields.push([TAG.header, header]);
    const sigHeader = header === undefined ? DEFAULT_SIG_HEADERS[scheme] : header.toLowerCase();
    const v = { inst: wasm(), handle: -1, scheme, sigHeader, keys: null, fields, tolerance };
    v.handle = verifierIn(v.inst, v);
    return v;
  }

  /** `v`, made again in `w` if it was made in an instance since discarded. */
  function current(w, v) {
    if (v.inst !== w) {
      v.handle = verifierIn(w, v);
      v.inst = w;
    }
    return v;
  }

  /** The verifier's decoded secrets, copied out of the module once. */
  function nativeKeys(w, v) {
    if (v.keys !== null) return v.keys;
    const n = w.__lmsb_webhook_keys(v.handle);
    const [ptr] = output(w);
    const keys = [];
    for (let i = 0, at = ptr; i < n; i++) {
      const len = dv.getUint32(at, true);
      keys.push(u8.slice(at + 4, at + 4 + len));
      at += 4 + len;
    }
    return (v.keys = keys);
  }

  /** Writes `s` as UTF-8 at `at`; whether it was all ASCII (its byte length then its length). */
  const putAscii = (at, s) => encoder.encodeInto(s, u8.subarray(at, at + s.length * 3)).written === s.length;

  /** Writes the three header values at `start`; returns their UTF-8 lengths and end. */
  function putHeaders(start, sig, id, ts) {
    const all = sig + id + ts;
    if (putAscii(start, all)) return [sig.length, id.length, ts.length, start + all.length, true];
    const sigEnd = putString(start, sig);
    const idEnd = putString(sigEnd, id);
    const tsEnd = putString(idEnd, ts);
    return [sigEnd - start, idEnd - sigEnd, tsEnd - idEnd, tsEnd, idEnd - sigEnd === id.length];
  }

  function verifyWith(v, payload, headers, now) {
    payload = payloadArg(payload, "payload");
    const sig = headerValue(headers, v.sigHeader);
    const id = v.scheme === 0 ? headerValue(headers, "webhook-id") : "";
    const ts = v.scheme === 0 ? headerValue(headers, "webhook-timestamp") : "";
    const viaHost = Boolean(native) && payload.length >= nativeFrom;
    const w = wasm();
    current(w, v);
    const keys = viaHost ? nativeKeys(w, v) : null;
    const start = input(w, (sig.length + id.length + ts.length) * 3 + (viaHost ? 0 : bound(payload)));
    // A small string payload goes with the headers in one write, kept when all of it is ASCII.
    const together = !viaHost && typeof payload === "string" && payload.length <= ONE_WRITE &&
      putAscii(start, sig + id + ts + payload);
    const [sigLen, idLen, tsLen, end, idAscii] = together ? [sig.length, id.length, ts.length, 0, true] : putHeaders(start, sig, id, ts);
    if (!viaHost) {
      const payloadLen = together ? payload.length : put(end, payload) - end;
      const ptr = w.__lmsb_webhook_verify(v.handle, sigLen, idLen, tsLen, payloadLen, now);
      if (ptr === -1) throw thrown(w);
      return verified(ptr >>> 0, v.scheme, id, idAscii);
    }
    if (w.__lmsb_webhook_prepare(v.handle, sigLen, idLen, tsLen, now) < 0) throw thrown(w);
    const [prefixAt, prefixLen] = output(w);
    // The prefix is read in place: each HMAC copies it before the module runs again.
    const prefix = u8.subarray(prefixAt, prefixAt + prefixLen);
    const macs = keys.map((key) => native.hmac(key, prefix, payload));
    let at = input(w, 32 * macs.length);
    for (const mac of macs) {
      u8.set(mac, at);
      at += 32;
    }
    const ptr = w.__lmsb_webhook_finish(v.handle);
    if (ptr === -1) throw thrown(w);
    return verified(ptr >>> 0, v.scheme, id, idAscii);
  }

  const now = (opts) => number(opts, "now") ?? Date.now();

  /**
   * A reusable verifier: the secrets are decoded once. `options` as for `verifyWebhook`
   * (without `now`): `{ scheme, secret, toleranceSeconds?, header? }`.
   */
  class Webhook {
    #v;

    constructor(options) {
      try {
        this.#v = createVerifier(optionsObject(options));
      } catch (e) {
        if (!(e instanceof LmsBridgeError)) store.interrupted = true;
        throw settle(e);
      }
      registry?.register(this, this.#v, this);
    }

    /** The scheme this verifier checks. */
    get scheme() {
      return SCHEME_NAMES[this.#v.scheme];
    }

    /** Verifies a received webhook over its exact bytes (see `verifyWebhook`). */
    verify(payload, headers, options) {
      if (this.#v.handle < 0) throw invalidInput("Webhook", "has been freed");
      try {
        return verifyWith(this.#v, payload, headers, now(optionsObject(options)));
      } catch (e) {
        if (!(e instanceof LmsBridgeError)) store.interrupted = true;
        throw settle(e);
      }
    }

    /** Releases the module memory now (also done when the object is collected). */
    free() {
      if (this.#v.handle < 0) return;
      registry?.unregister(this);
      release(this.#v);
    }

    get [Symbol.toStringTag]() {
      return "Webhook";
    }
  }
  if (typeof Symbol.dispose === "symbol") {
    Webhook.prototype[Symbol.dispose] = function dispose() {
      this.free();
    };
  }

  // verifyWebhook: verifiers for string secrets are kept (least recently used first out),
  // so repeated calls decode nothing; the last one used is checked first, field by field.
  // Byte secrets may change between calls: only the last one is kept, with a copy of the
  // bytes to compare.
  const cache = new Map();
  let last = null;

  function sameBytes(a, b) {
    if (!isBytes(a) || b === undefined || a.byteLength !== b.length) return false;
    const x = toBytes(a);
    for (let i = 0; i < b.length; i++) if (x[i] !== b[i]) return false;
    return true;
  }

  function lastVerifier(opts) {
    if (last === null || opts.scheme !== last.scheme || opts.toleranceSeconds !== last.tolerance || opts.header !== last.header) return null;
    const s = opts.secret;
    const same = last.bytes === undefined ? typeof s === "string" && s === last.secret : sameBytes(s, last.bytes);
    return same ? last.v : null;
  }

  function remember(opts, v, bytes) {
    if (last !== null && last.bytes !== undefined && !cache.has(last.key)) release(last.v);
    last = { scheme: opts.scheme, tolerance: opts.toleranceSeconds, header: opts.header, secret: opts.secret, v, bytes, key: bytes === undefined ? v.key : undefined };
  }

  function cachedVerifier(opts) {
    const hit = lastVerifier(opts);
    if (hit !== null) return hit;
    const secret = opts.secret;
    if (isBytes(secret) && secret.byteLength <= 256) {
      const v = createVerifier(opts);
      remember(opts, v, v.fields[0][1]); // the verifier's own copy of the secret
      return v;
    }
    const strings = typeof secret === "string" || (Array.isArray(secret) && secret.every((s) => typeof s === "string"));
    if (!strings || (opts.header !== undefined && typeof opts.header !== "string")) return null;
    const length = (typeof secret === "string" ? secret.length : secret.reduce((n, s) => n + s.length + 1, 0)) + (opts.header?.length ?? 0);
    if (length > CACHE_KEY_MAX) return null;
    const tolerance = opts.toleranceSeconds;
    const key = `${opts.scheme}\0${typeof tolerance === "number" ? tolerance : String(tolerance)}\0${opts.header ?? ""}\0${
      typeof secret === "string" ? secret : `${secret.length}\0${secret.join("\0")}`}`;
    let v = cache.get(key);
    if (v !== undefined) {
      cache.delete(key);
      cache.set(key, v);
    } else {
      v = createVerifier(opts);
      v.key = key;
      cache.set(key, v);
      if (cache.size > CACHE_SIZE) {
        const [oldestKey, oldest] = cache.entries().next().value;
        cache.delete(oldestKey);
        if (last !== null && last.v === oldest) last = null;
        release(oldest);
      }
    }
    remember(opts, v, undefined);
    return v;
  }

  /** Verifies a received webhook over its exact bytes (API.md §4). */
  function verifyWebhook(payload, headers, options) {
    const opts = optionsObject(options);
    const nowMs = now(opts);
    const cached = cachedVerifier(opts);
    if (cached !== null) return verifyWith(cached, payload, headers, nowMs);
    const v = createVerifier(opts);
    try {
      return verifyWith(v, payload, headers, nowMs);
    } finally {
      release(v);
    }
  }

  /** Signs `payload`; returns the headers to send with it. */
  function signWebhook(payload, options) {
    const opts = optionsObject(options);
    const scheme = schemeCode(opts);
    const fields = secretFields(opts.secret, false);
    fields.push([TAG.data, payloadArg(payload, "payload")]);
    if (opts.id !== undefined && opts.id !== null) {
      if (typeof opts.id !== "string") throw invalidInput("id", "must be a string");
      fields.push([TAG.id, opts.id]);
    } else if (scheme === 0) {
      fields.push([TAG.random, random(18)]);
    }
    const timestamp = number(opts, "timestamp") ?? Math.floor(Date.now() / 1000);
    const w = wasm();
    const used = writeFields(w, fields);
    const count = w.__lmsb_sign_webhook(used, scheme, Math.trunc(timestamp));
    if (count < 0) throw thrown(w);
    const [ptr] = output(w);
    const out = {};
    for (let i = 0, at = ptr; i < count; i++) {
      const pair = [];
      for (let j = 0; j < 2; j++) {
        const len = dv.getUint32(at, true);
        pair.push(decode(u8.subarray(at + 4, at + 4 + len)));
        at += 4 + len;
      }
      out[pair[0]] = pair[1];
    }
    return out;
  }

  function urlArg(url) {
    if (typeof url !== "string") throw invalidInput("url", "must be a string");
    return url;
  }

  /** Appends `expires` and `sig` to `url` (HMAC-SHA256, base64url). */
  function signUrl(url, options) {
    const opts = optionsObject(options);
    const fields = secretFields(opts.secret, false);
    fields.push([TAG.data, urlArg(url)]);
    const expiresIn = number(opts, "expiresInSeconds");
    const nowMs = now(opts);
    const w = wasm();
    const used = writeFields(w, fields);
    if (w.__lmsb_sign_url(used, expiresIn !== undefined, expiresIn ?? 0, nowMs) < 0) throw thrown(w);
    return outputText(w);
  }

  /** Checks a URL made by `signUrl`: signature, expiry and (if given) its origin. */
  function verifySignedUrl(url, options) {
    const opts = optionsObject(options);
    const fields = secretFields(opts.secret, true);
    fields.push([TAG.data, urlArg(url)]);
    const origins = opts.allowedOrigins;
    const hasOrigins = origins !== undefined && origins !== null;
    if (hasOrigins) {
      if (!Array.isArray(origins) || !origins.every((o) => typeof o === "string")) {
        throw invalidInput("allowedOrigins", "must be an array of strings");
      }
      for (const o of origins) fields.push([TAG.origin, o]);
    }
    const nowMs = now(opts);
    const w = wasm();
    const used = writeFields(w, fields);
    if (w.__lmsb_verify_signed_url(used, hasOrigins, nowMs) < 0) throw thrown(w);
    const [ptr] = output(w);
    return { url: outputText(w, 8), expiresAt: dv.getFloat64(ptr, true) };
  }

  /** Writes two byte strings back to back; returns their lengths. */
  function writeTwo(w, a, b) {
    const start = input(w, bound(a) + bound(b));
    const mid = put(start, a);
    const end = put(mid, b);
    return [mid - start, end - mid];
  }

  /** HMAC-SHA256 of `message` under `key` (strings are UTF-8). */
  function hmacSha256(key, message) {
    key = payloadArg(key, "key");
    message = payloadArg(message, "message");
    if (native) return native.hmac(typeof key === "string" ? encoder.encode(key) : key, message);
    const w = wasm();
    const [keyLen, msgLen] = writeTwo(w, key, message);
    if (w.__lmsb_hmac_sha256(keyLen, msgLen) < 0) throw thrown(w);
    return outputBytes(w);
  }

  /** SHA-256 of `data` (strings are UTF-8). */
  function sha256(data) {
    data = payloadArg(data, "data");
    if (native) return native.sha256(data);
    const w = wasm();
    const start = input(w, bound(data));
    if (w.__lmsb_sha256(put(start, data) - start) < 0) throw thrown(w);
    return outputBytes(w);
  }

  /** Compares two byte strings in constant time; different lengths are unequal. */
  function timingSafeEqual(a, b) {
    a = payloadArg(a, "a");
    b = payloadArg(b, "b");
    const w = wasm();
    const [aLen, bLen] = writeTwo(w, a, b);
    const r = w.__lmsb_timing_safe_equal(aLen, bLen);
    if (r < 0) throw thrown(w);
    return r === 1;
  }

  return {
    Webhook,
    verifyWebhook: guarded(verifyWebhook),
    signWebhook: guarded(signWebhook),
    signUrl: guarded(signUrl),
    verifySignedUrl: guarded(verifySignedUrl),
    hmacSha256: guarded(hmacSha256),
    sha256: guarded(sha256),
    timingSafeEqual: guarded(timingSafeEqual),
  };
}
