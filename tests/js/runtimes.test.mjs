// Deno and Bun (issue 14 §1), both installed from the npm registry as devDependencies
// (`deno`, `bun`): each runs tests/js/runtimes/check.mjs, which imports "lms-bridge" and
// "lms-bridge/webhooks" from node_modules with no configuration, verifies a webhook (and
// refuses a tampered one), and makes one Miles Masterclass call against the mock.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { installMilesMasterclass, startMockServer } from "lms-bridge/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const KEY = "runtimes-key-1";
let server;
let mm;
before(async () => {
  server = await startMockServer();
  mm = installMilesMasterclass(server, { apiKey: KEY });
});
after(() => server.close());

const RUNTIMES = {
  deno: [bin("deno"), ["run", "--allow-read", "--allow-net=127.0.0.1", "--allow-env", "tests/js/runtimes/check.mjs"]],
  bun: [bin("bun"), ["tests/js/runtimes/check.mjs"]],
};

for (const [name, [cmd, args]] of Object.entries(RUNTIMES)) {
  test(`${name}: import, verify a webhook, one vendor call`, async () => {
    const { stdout } = await promisify(execFile)(cmd, args, {
      cwd: root, timeout: 60_000, env: { ...process.env, MM_BASE_URL: mm.baseUrl, MM_API_KEY: KEY, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    const out = JSON.parse(stdout.trim().split("\n").at(-1));
    assert.deepEqual({ ...out, userId: undefined }, {
      runtime: name, scheme: "standard-webhooks", lean: "standard-webhooks", reused: "standard-webhooks",
      tampered: "SIGNATURE_MISMATCH", status: "subscribed", userId: undefined,
    });
    assert.ok(mm.users.has(`${name}@example.com`), "the mock saw the call");
  });
}
