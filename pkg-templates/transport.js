// One HTTP attempt for the wasm transport (src/wasm/fetch.rs): the only code that touches
// `fetch`, its Response and its body. The decisions (retries, back-off, rate limit, what a
// status means) stay in Rust; this runs one request under a deadline and hands back plain
// values in one crossing. It never throws or rejects: failures are numbers.
//
// Memory: the deadline is `setTimeout(resolve, ms, TIMEOUT)` and is cleared at the end, so
// nothing is held once the attempt is over, and a late timer only resolves a promise nobody
// awaits. Bodies are read chunk by chunk and stopped at `maxBytes` unless a declared
// `content-length` within the limit bounds them (then they are read in one call).

export const NETWORK = 1;
export const TIMEOUT_FAIL = 2;
export const TOO_LARGE = 3;
export const NOT_A_RESPONSE = 4;
export const ABORTED = 5;

const TIMEOUT = { timeout: true };
const ABORT = { abort: true };
const encoder = new TextEncoder();

class Fail {
  constructor(code) {
    this.code = code;
  }
}

/** Calls `target[method]()` if it exists; a throw or a rejection is ignored. */
function quietly(target, method) {
  try {
    const p = target?.[method]?.();
    if (p && typeof p.then === "function") p.then(undefined, () => {});
  } catch {
    // the source is being abandoned anyway
  }
}

/** A body chunk's bytes: a string, an ArrayBuffer or any typed array/Buffer. */
function bytesOf(v) {
  if (typeof v === "string") return encoder.encode(v);
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new Fail(NOT_A_RESPONSE);
}

// The response headers the wasm side reads (RESPONSE_HEADERS in src/core/http.rs).
const WANTED = ["retry-after"];

/** One header, case-insensitively, from WHATWG Headers (`get`), pairs, a Map or an object. */
function header(h, name) {
  if (h === null || h === undefined) return null;
  if (typeof h.get === "function" && !(h instanceof Map)) return h.get(name);
  const pairs = typeof h.entries === "function" ? h.entries() : Array.isArray(h) ? h : Object.entries(h);
  for (const [k, v] of pairs) if (typeof k === "string" && k.toLowerCase() === name) return v;
  return null;
}

/** The headers the wasm side reads, as `name\0value\0…`; a value that is not a string is no Response. */
function headerText(h) {
  let out = "";
  for (const name of WANTED) {
    const v = header(h, name);
    if (v === null || v === undefined) continue;
    if (typeof v !== "string" || v.includes("\0")) throw new Fail(NOT_A_RESPONSE);
    out += `${name}\0${v}\0`;
  }
  return out;
}

function concat(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// In a busy process, outcomes are handed back in batches. Where the host has `setImmediate`
// (Node, Bun, Workers with `nodejs_compat`), once a turn of the event loop has seen several
// outcomes arrive, an outcome that arrives while other attempts are in flight is handed back
// at the end of its turn, with the others of that turn: the module then reads those
// responses one after the other, and the calls that follow start one after the other,
// instead of each between two socket reads. The same work done in batches costs less CPU
// (code and data stay in cache): ~1.5x the requests per second of concurrent calls against
// a vendor that answers at once (bench/README.md, "Outcomes handed over per turn"). A lone
// attempt, or one in a process that sees one outcome per turn (a vendor's latency spreads
// them out), is handed back at once: batches there would only make the calls wait on each
// other. Once every attempt in flight has arrived, the turn's outcomes are handed back at once:
// there is nothing left to batch them with.
//
// The end of a turn is a `setImmediate` callback. Node's entries hand over node:timers' own
// (`useTurnTimer`), which the fake timers of test suites (jest, vitest, sinon) leave alone; a
// fake one fires only when the suite advances its clock, and calls still go on, each batch
// handed back when its last attempt arrives.
let immediate = typeof setImmediate === "function" ? setImmediate : undefined;
let inFlight = 0;
// This turn: how many outcomes arrived, and its end (once one arrived): `{ promise, release }`.
let arrived = 0;
let turnEnd;
// Whether the last turn with an outcome had several: the process is busy.
let busy = false;

/** Ends turns with `setImmediate`, the host's own (not a global a test suite may fake). */
export function useTurnTimer(setImmediateFn) {
  immediate = setImmediateFn;
}

/** Counts an outcome into this turn; returns its end (one timer for every caller). */
function arrive() {
  arrived++;
  if (turnEnd === undefined) {
    let release;
    const promise = new Promise((resolve) => (release = resolve));
    turnEnd = { promise, release };
    immediate(() => {
      busy = arrived > 1;
      arrived = 0;
      turnEnd = undefined;
      release();
    });
  }
  return turnEnd;
}

/**
 * Sends one request: `headers` is `name\0value\0…`, `body` a string or undefined, `signal`
 * the caller's AbortSignal or undefined. Resolves with `{ status, headers:
 * "name\0value\0…", body: Uint8Array }`, or with a number: NETWORK, TIMEOUT_FAIL,
 * TOO_LARGE, NOT_A_RESPONSE or ABORTED; in a busy process, at the end of the turn (above).
 */
export async function attempt(fetchFn, url, method, headers, body, timeoutMs, maxBytes, signal) {
  inFlight++;
  let outcome;
  try {
    outcome = await send(fetchFn, url, method, headers, body, timeoutMs, maxBytes, signal);
  } finally {
    inFlight--;
  }
  if (immediate !== undefined) {
    const end = arrive();
    // With the others of this turn while busy: more may arrive in it, or some already wait.
    if (busy && (inFlight > 0 || arrived > 1)) {
      if (inFlight === 0) end.release();
      await end.promise;
    }
  }
  return outcome;
}

/** `attempt` without the wait for the end of the turn. */
async function send(fetchFn, url, method, headers, body, timeoutMs, maxBytes, signal) {
  if (signal?.aborted) return ABORTED;
  const controller = new AbortController();
  let timer;
  let onAbort;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, timeoutMs, TIMEOUT);
    onAbort = () => resolve(ABORT);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  const race = async (pending) => {
    const v = await Promise.race([pending, deadline]);
    if (v === TIMEOUT || v === ABORT) {
      controller.abort();
      throw new Fail(v === TIMEOUT ? TIMEOUT_FAIL : ABORTED);
    }
    return v;
  };
  try {
    const f = fetchFn ?? globalThis.fetch;
    if (typeof f !== "function") return NETWORK;
    const init = { method, headers: headerObject(headers), signal: controller.signal };
    if (body !== undefined) init.body = body;
    let response;
    try {
      response = await race(f(url, init));
    } catch (e) {
      return e instanceof Fail ? e.code : NETWORK;
    }
    if (response === null || typeof response !== "object" || typeof response.status !== "number") return NOT_A_RESPONSE;
    const head = headerText(response.headers);
    const length = header(response.headers, "content-length");
    const declared = typeof length === "string" && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined;
    if (declared !== undefined && declared > maxBytes) {
      quietly(response.body, "cancel");
      return TOO_LARGE;
    }
    return { status: response.status, headers: head, body: await readBody(response, declared !== undefined, race, maxBytes) };
  } catch (e) {
    return e instanceof Fail ? e.code : NETWORK;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * A sans-IO builder's result, API.md's `HttpRequest`, from one string the module hands over:
 * `method\0url\0`, then `count` headers as `name\0value\0`, then the body when `hasBody`
 * (the rest of the string, NULs and all). One string crosses instead of four, and the body,
 * itself JSON, is neither escaped nor parsed again.
 */
export function request(text, count, hasBody) {
  let end = text.indexOf("\0");
  const method = text.slice(0, end);
  let at = end + 1;
  end = text.indexOf("\0", at);
  const url = text.slice(at, end);
  const headers = {};
  for (let i = 0; i < count; i++) {
    at = end + 1;
    end = text.indexOf("\0", at);
    const name = text.slice(at, end);
    at = end + 1;
    end = text.indexOf("\0", at);
    setHeader(headers, name, text.slice(at, end));
  }
  return hasBody ? { method, url, headers, body: text.slice(end + 1) } : { method, url, headers };
}

/** An own, enumerable header property, also for a header named `__proto__`. */
function setHeader(h, name, value) {
  if (name === "__proto__") Object.defineProperty(h, name, { value, enumerable: true, writable: true, configurable: true });
  else h[name] = value;
}

/** `name\0value\0…` as a plain object of own properties, as JSON.parse would make it. */
function headerObject(text) {
  const h = {};
  const parts = text.split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) setHeader(h, parts[i], parts[i + 1]);
  return h;
}

/**
 * The JS side of the module's executor (src/wasm/task.rs), given the module's `poll` export.
 * An async export runs until it waits; then `run` makes its promise. A task waiting on a
 * host promise is polled again with that promise's outcome (1 fulfilled, 2 rejected); a
 * parked task (waiting on another task) when woken (0). `finish` settles the promise. A poll
 * that throws (interrupted inside the module) rejects its task's promise with that error.
 * `abandon(error)`, when the module's instance is replaced, rejects every task still running
 * with `error` and ignores what their host promises do later.
 */
export function tasks(poll) {
  const settlers = new Map();
  let abandoned = false;
  const finish = (id, ok, value) => {
    const settle = settlers.get(id);
    settlers.delete(id);
    settle?.[ok ? 0 : 1](value);
  };
  const step = (id, outcome, value) => {
    if (abandoned) return;
    let next;
    try {
      next = poll(id, outcome, value);
    } catch (e) {
      finish(id, false, e);
      return;
    }
    if (next !== undefined) follow(id, next);
  };
  const follow = (id, awaited) =>
    Promise.resolve(awaited).then(
      (v) => step(id, 1, v),
      (e) => step(id, 2, e),
    );
  return {
    run(id, awaited) {
      const done = new Promise((resolve, reject) => settlers.set(id, [resolve, reject]));
      if (awaited !== undefined) follow(id, awaited);
      return done;
    },
    finish,
    wake(id) {
      // A promise's reaction, not `queueMicrotask`, which jest's fake timers replace.
      Promise.resolve().then(() => step(id, 0));
    },
    abandon(error) {
      abandoned = true;
      for (const id of [...settlers.keys()]) finish(id, false, error);
    },
  };
}

/** Resolves after `ms`, or as soon as `signal` aborts. Never rejects; holds nothing after. */
export function pause(ms, signal) {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * The body: in one call when its length is declared (within the limit); else from a WHATWG
 * stream (`getReader`), an async-iterable body (Node streams of `fetch` polyfills), or, for
 * Response-like objects without either, whole through `arrayBuffer()`/`text()`.
 */
async function readBody(response, bounded, race, maxBytes) {
  const stream = response.body;
  if (!bounded) {
    if (typeof stream?.getReader === "function") return readChunks(stream.getReader(), "read", "cancel", race, maxBytes);
    if (typeof stream?.[Symbol.asyncIterator] === "function") {
      return readChunks(stream[Symbol.asyncIterator](), "next", "return", race, maxBytes);
    }
  }
  for (const method of ["arrayBuffer", "text"]) {
    if (typeof response[method] === "function") {
      const bytes = bytesOf(await race(response[method]()));
      if (bytes.length > maxBytes) throw new Fail(TOO_LARGE);
      return bytes;
    }
  }
  return new Uint8Array(0);
}

async function readChunks(source, next, stop, race, maxBytes) {
  const chunks = [];
  let total = 0;
  for (;;) {
    const chunk = await race(source[next]());
    if (chunk?.done === true) return concat(chunks, total);
    const bytes = bytesOf(chunk?.value);
    if (total + bytes.length > maxBytes) {
      quietly(source, stop);
      throw new Fail(TOO_LARGE);
    }
    chunks.push(bytes);
    total += bytes.length;
  }
}

