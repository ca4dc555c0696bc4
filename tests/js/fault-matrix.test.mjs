// The fault matrix (issue 13): every network method of every client against each fault the
// mock server can inject, on its own route, every attempt. Each cell checks the error code,
// `retryable`, and the number of attempts: 1 + retries for requests safe to repeat and a
// retryable fault, else 1 (API.md §6). The whole matrix is printed as a table.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as lms from "lms-bridge";
import { assertNoSecrets } from "./assert.mjs";
import { CANARIES, networkMethods } from "./methods.mjs";
import { faults, startMockServer } from "lms-bridge/testing";

const RETRIES = 1;
let server;
before(async () => {
  server = await startMockServer();
});
after(() => server.close());

const stalledBody = () => (_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"status":');
  setTimeout(() => res.socket?.destroy(), 1500);
  return null;
};

// fault → [what the mock answers, expected code, retryable]
const FAULTS = {
  "hang past timeout": [() => faults.delay(1500), "TIMEOUT", true],
  "stalled body": [stalledBody, "TIMEOUT", true],
  "connection reset": [() => faults.reset(), "NETWORK", true],
  "429 Retry-After: 0": [() => faults.tooMany(0), "RATE_LIMITED", true],
  "HTTP 502": [() => ({ status: 502, body: "" }), "HTTP_STATUS", true],
  "503 Retry-After: 0": [() => faults.unavailable(0), "HTTP_STATUS", true],
  "HTTP 504": [() => ({ status: 504, body: "" }), "HTTP_STATUS", true],
  "HTTP 500": [() => ({ status: 500, body: "" }), "HTTP_STATUS", false],
  "malformed JSON": [() => faults.malformedJson(), "RESPONSE_MALFORMED", false],
  "truncated body": [() => faults.truncated(), "NETWORK", true],
  "wrong content type": [() => faults.wrongContentType(), "RESPONSE_MALFORMED", false],
  "oversized body": [() => faults.oversized(256 * 1024), "RESPONSE_MALFORMED", false],
};

const opts = { timeoutMs: 300, retries: RETRIES, maxResponseBytes: 64 * 1024 };

test("fault matrix: every network method × every fault → documented code, retries per API.md §6", async () => {
  const METHODS = networkMethods(lms, server.origin, opts);
  const rows = [];
  const wrong = [];
  for (const [method, [[verb, path], safe, call]] of Object.entries(METHODS)) {
    const row = [method];
    for (const [fault, [answer, code, retryable]] of Object.entries(FAULTS)) {
      server.reset();
      server.queue(verb, path, ...Array.from({ length: RETRIES + 1 }, answer));
      let error;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      const attempts = server.seen(verb, path).length;
      const wantAttempts = safe && retryable ? RETRIES + 1 : 1;
      const ok = error?.code === code && error.retryable === retryable && attempts === wantAttempts;
      row.push(ok ? `${code} ×${attempts}` : `✗ ${error?.code ?? "no error"} ×${attempts}`);
      if (!ok) wrong.push(`${method} / ${fault}: got ${error?.code} (retryable ${error?.retryable}) after ${attempts} attempts, want ${code} after ${wantAttempts}`);
      if (error) await assertNoSecrets(error, CANARIES);
    }
    rows.push(row);
  }
  const header = ["method", ...Object.keys(FAULTS)];
  console.log([header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n"));
  assert.deepEqual(wrong, []);
});
