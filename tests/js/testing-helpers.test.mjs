// lms-bridge/testing (issue 14 §4): the example test a user would write
// (examples/testing/integration.test.mjs) passes against the installed package; the project's
// own tests import the same mocks from "lms-bridge/testing".
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as testing from "lms-bridge/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test("lms-bridge/testing exports the four mock vendors, fault helpers and signers", () => {
  for (const name of ["startMockServer", "faults", "installMilesMasterclass", "installAlphaLearn", "installTeachOnMars",
    "installLearnWorlds", "learnWorldsWebhookHeaders", "signProgressCallback", "mockAppUrl"]) {
    assert.ok(name in testing, name);
  }
  const headers = testing.signProgressCallback("{}", { secret: "whsec_c2VjcmV0LWtleS0x", timestamp: 1_700_000_000, id: "msg_1" });
  assert.deepEqual(Object.keys(headers).sort(), ["webhook-id", "webhook-signature", "webhook-timestamp"]);
});

test("the documented example test passes", () => {
  // A run of its own, not a subtest of this runner (NODE_TEST_CONTEXT would make it one).
  const { NODE_TEST_CONTEXT: _inner, ...env } = process.env;
  const out = execFileSync(process.execPath, ["--test", "--test-reporter=tap", "examples/testing/integration.test.mjs"], { cwd: root, encoding: "utf8", env });
  assert.match(out, /^# pass 4$/m);
  assert.match(out, /^# fail 0$/m);
});
