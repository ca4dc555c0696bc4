// Assertions shared by the JS tests.
import assert from "node:assert/strict";
import { isLmsBridgeError } from "lms-bridge";

/** Asserts that `fn()` (sync or async) throws an LmsBridgeError with `code` (and `fields`). */
export async function rejectsWith(fn, code, fields = {}) {
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${code}, nothing was thrown`);
  assert.ok(isLmsBridgeError(error), `expected an LmsBridgeError, got ${error?.stack ?? error}`);
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  for (const [k, v] of Object.entries(fields)) assert.deepEqual(error[k], v, `error.${k}`);
  return error;
}

/** The fields of an LmsBridgeError a twin and its call are compared on. */
const ERROR_FIELDS = ["code", "message", "vendor", "status", "vendorCode", "retryable", "details"];

/** What a call gives: `{ result }`, or `{ error }` with its LmsBridgeError's fields. */
export async function outcome(fn) {
  try {
    return { result: await fn() };
  } catch (e) {
    assert.ok(isLmsBridgeError(e), `an LmsBridgeError, not ${e?.stack ?? e}`);
    return { error: Object.fromEntries(ERROR_FIELDS.map((k) => [k, e[k]])) };
  }
}

/** Asserts that no secret occurs anywhere in the error: message, details, vendorCode, stack, JSON, inspect. */
export async function assertNoSecrets(error, secrets) {
  const { inspect } = await import("node:util");
  const texts = [error.message, error.stack, error.vendorCode, JSON.stringify(error), JSON.stringify(error.details ?? null), inspect(error, { depth: 10 }), String(error)];
  for (const s of secrets) for (const t of texts) assert.ok(!String(t).includes(s), `secret ${JSON.stringify(s)} leaked into: ${t}`);
}

/**
 * Captures everything written to the console and to process.stdout/stderr while `fn` runs
 * (the library must never log a secret). Console calls are kept from the terminal; stream
 * writes still go through (the test runner reports on stdout). Returns [fn's result, text].
 */
export async function captureOutput(fn) {
  const { format } = await import("node:util");
  let text = "";
  const saved = {};
  for (const m of ["log", "info", "warn", "error", "debug", "trace", "dir"]) {
    saved[m] = console[m];
    console[m] = (...a) => { text += `${format(...a)}\n`; };
  }
  const writes = [process.stdout, process.stderr].map((s) => [s, s.write]);
  for (const [s, w] of writes) {
    s.write = (chunk, ...rest) => {
      text += String(chunk);
      return w.call(s, chunk, ...rest);
    };
  }
  try {
    return [await fn(), text];
  } finally {
    Object.assign(console, saved);
    for (const [s, w] of writes) s.write = w;
  }
}
