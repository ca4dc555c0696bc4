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

/** Asserts that no secret occurs anywhere in the error: message, details, stack, JSON, inspect. */
export async function assertNoSecrets(error, secrets) {
  const { inspect } = await import("node:util");
  const texts = [error.message, error.stack, JSON.stringify(error), JSON.stringify(error.details ?? null), inspect(error, { depth: 10 })];
  for (const s of secrets) for (const t of texts) assert.ok(!String(t).includes(s), `secret ${JSON.stringify(s)} leaked into: ${t}`);
}
