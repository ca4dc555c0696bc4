// Testing your own integration with lms-bridge/testing, no vendor sandbox needed: a small
// "my LMS" module under test (provisionLearner), run against the Teach on Mars and
// LearnWorlds mocks, including a vendor outage and a signed Miles Masterclass callback.
//
//   node --test examples/testing/integration.test.mjs
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LearnWorlds, MilesMasterclass, TeachOnMars } from "lms-bridge";
import {
  faults, installLearnWorlds, installTeachOnMars, signProgressCallback, startMockServer,
} from "lms-bridge/testing";

// ---- the code under test: what your LMS would have ----
async function provisionLearner(tom, user) {
  const { learner, created } = await tom.signIn({ login: user.id, email: user.email, firstname: user.name });
  return { vendorId: learner.identifier, created };
}

let server;
let tomState;
before(async () => {
  server = await startMockServer();
  tomState = installTeachOnMars(server, { clientSecret: "example-tom-secret" });
  installLearnWorlds(server, { clientId: "example-lw", clientSecret: "example-lw-secret" });
});
after(() => server.close());

const tom = () => new TeachOnMars({
  baseUrl: server.origin,
  auth: { clientId: tomState.clientId, clientSecret: "example-tom-secret", tokenUrl: tomState.tokenUrl },
  retries: 1,
});

test("a learner is created once, however often we provision them", async () => {
  const first = await provisionLearner(tom(), { id: "u-1", email: "ada@example.com", name: "Ada" });
  const again = await provisionLearner(tom(), { id: "u-1", email: "ada@example.com", name: "Ada" });
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.vendorId, first.vendorId);
  assert.equal(tomState.created.get("u-1"), 1);
});

test("a vendor outage surfaces as a retryable error our job queue can act on", async () => {
  server.queue("GET", "/api/identities/v1/learners", faults.unavailable(0), faults.unavailable(0));
  await assert.rejects(provisionLearner(tom(), { id: "u-2", email: "b@example.com", name: "B" }),
    (e) => e.code === "HTTP_STATUS" && e.retryable === true);
  assert.equal(tomState.created.get("u-2"), undefined, "nothing was created");
});

test("LearnWorlds SSO returns a one-time URL on the school", async () => {
  const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: "example-lw", clientSecret: "example-lw-secret" });
  const { url } = await lw.sso({ email: "ada@example.com", username: "ada" });
  assert.ok(url.startsWith(`${server.origin}/`));
});

test("our callback endpoint accepts a signed Miles Masterclass callback and refuses a tampered one", () => {
  const secret = `whsec_${Buffer.from("example-callback-secret").toString("base64")}`;
  const mm = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: "example-key", callback: { secret } });
  const body = JSON.stringify({ event: "video.completed", email: "ada@example.com", status: "completed", cpe_credits: 1.5, minutes_consumed: 50 });
  const headers = signProgressCallback(body, { secret });
  const event = mm.verifyProgressCallback(body, headers);
  assert.equal(event.email, "ada@example.com");
  assert.equal(event.cpeCredits, 1.5);
  assert.throws(() => mm.verifyProgressCallback(body.replace("1.5", "9"), headers), (e) => e.code === "SIGNATURE_MISMATCH");
});
