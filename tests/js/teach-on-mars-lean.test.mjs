// Teach on Mars' learner twins, which run in JS over the client's lean calls (twins.js),
// against its network calls `createLearner` and `updateLearner`, which run in the module: the
// same requests, the same results and the same errors (scrubbed alike), for usual, odd and
// hostile responses; and the twins' own reading of their arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TeachOnMars } from "lms-bridge";
import { outcome, rejectsWith } from "./assert.mjs";

const BASE = "https://acme.teachonmars.com";
const TOKEN = "tom-token-5678";
const PASSWORD = "hunter22-pw";

const LEARNERS = [
  { login: "ann", email: "ann@example.com", firstname: "Ann" },
  { login: "ann \" \\ é 😀", lastname: "L", password: PASSWORD, lang: "fr", segment: { country: ["FRANCE"], team: ["a", "b"] } },
  { login: "ann", segment: { b: ["1"], a: ["2"], 3: ["x"] }, other: undefined, f() {} },
  { login: "ann", segment: { country: "FRANCE" } },
  { login: "ann", segment: ["x"] },
  { login: "ann", segment: { c: [1] } },
  { login: "ann", segment: "x" },
  { login: "ann", password: "" },
  { login: "ann", password: PASSWORD, email: "nope" },
  { login: "ann", lang: "" },
  { login: "  " },
  { login: "a\nb" },
  { login: 7 },
  { login: true },
  { login: null, firstname: "Ann" },
  {}, null, undefined, "ann", 7, [1],
];
const IDENTIFIERS = ["L1", "L 1/é", "", 5, undefined];

const learner = (l) => JSON.stringify({ identifier: "L1", login: "ann", status: "Active", metadata: {}, ...l });
const BODIES = [
  learner({}),
  JSON.stringify({ data: JSON.parse(learner({ email: "a@b.co" })) }),
  JSON.stringify({ code: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS", message: `login ${PASSWORD} exists` }),
  JSON.stringify({ code: "LEARNER_NOT_FOUND", message: "no such learner" }),
  JSON.stringify({ login: "ann" }),
  "not json",
  "",
];

test("the learner twins build the requests their calls send, and read responses as the calls do", async () => {
  let answer;
  let sent;
  const fetch = async (url, init) => {
    sent = { url, method: init.method, body: init.body };
    return new Response(answer.body, { status: answer.status });
  };
  const tom = new TeachOnMars({ baseUrl: BASE, instance: "main", auth: { accessToken: TOKEN }, fetch, retries: 0 });
  let compared = 0;
  const calls = [
    ["createLearner", (l) => [l]],
    ...IDENTIFIERS.map((id) => ["updateLearner", (l) => [id, l]]),
  ];
  for (const [call, args] of calls) {
    const twin = call[0].toUpperCase() + call.slice(1);
    for (const l of LEARNERS) {
      answer = { status: 200, body: BODIES[0] };
      sent = undefined;
      const built = await outcome(() => tom[`build${twin}`](...args(l)));
      const network = await outcome(() => tom[call](...args(l)));
      const label = `${call}(${args(l).map((a) => { try { return JSON.stringify(a); } catch { return String(a); } }).join(", ")})`;
      if (built.error || network.error) {
        assert.deepEqual(network, built, label);
        assert.equal(sent, undefined);
      } else {
        const { url, method, body, headers } = built.result;
        assert.deepEqual(sent, { url, method, body }, label);
        assert.equal(headers.Authorization, `Bearer ${TOKEN}`);
      }
      if (built.error) assert.ok(!built.error.message.includes(PASSWORD), built.error.message);
      compared += 1;
    }
    // Responses, to the calls that send a request.
    const input = args({ login: "ann", password: PASSWORD });
    if ((await outcome(() => tom[`build${twin}`](...input))).error) continue;
    for (const body of BODIES) {
      for (const status of [200, 201, 400, 401, 404, 409, 429, 500]) {
        answer = { status, body };
        const network = await outcome(() => tom[call](...input));
        const parsed = await outcome(() => tom[`parse${twin}`]({ status, body }, ...input));
        assert.deepEqual(parsed, network, `${call}: ${status} ${body}`);
        const bytes = await outcome(() => tom[`parse${twin}`]({ status, body: new TextEncoder().encode(body) }, ...input));
        assert.deepEqual(bytes, network);
        if (parsed.error) assert.ok(!parsed.error.message.includes(PASSWORD), parsed.error.message);
        compared += 2;
      }
    }
  }
  assert.ok(compared > 400, `${compared}`);
});

test("the learner twins take the token from auth, else the client's while fresh", async () => {
  const tom = new TeachOnMars({ baseUrl: BASE, auth: { accessToken: TOKEN } });
  const input = { login: "ann" };
  assert.equal(tom.buildCreateLearner(input).headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(tom.buildCreateLearner(input, null).headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(tom.buildCreateLearner(input, { accessToken: "call-token" }).headers.Authorization, "Bearer call-token");
  assert.equal(tom.buildUpdateLearner("L1", input, { accessToken: "call-token" }).headers.Authorization, "Bearer call-token");
  for (const auth of [{}, { accessToken: "" }, { accessToken: 5 }, "call-token"]) {
    await rejectsWith(() => tom.buildCreateLearner(input, auth), "INVALID_INPUT", { message: "`auth.accessToken` must be a non-empty string" });
  }
  // Client credentials and no token fetched yet: the token must come from `auth`.
  const creds = new TeachOnMars({ baseUrl: BASE, auth: { clientId: "id-1", clientSecret: "tom-secret-1234", tokenUrl: "https://auth.example/oauth/token" } });
  await rejectsWith(() => creds.buildCreateLearner(input), "INVALID_CONFIG");
  assert.equal(creds.buildCreateLearner(input, { accessToken: "call-token" }).headers.Authorization, "Bearer call-token");
});

test("the learner twins read their arguments as the class's methods do, and refuse what is not one", async () => {
  const tom = new TeachOnMars({ baseUrl: BASE, auth: { accessToken: TOKEN } });
  const good = { status: 201, body: BODIES[0] };
  // The segment's keys keep their order; fields the call does not use are not read.
  const body = JSON.parse(tom.buildCreateLearner({ login: "ann", segment: { b: ["1"], a: ["2"] }, extra: 10n }).body);
  assert.deepEqual(Object.keys(body.segment), ["b", "a"]);
  await rejectsWith(() => tom.buildCreateLearner({ login: "ann", segment: { c: [10n] } }), "INVALID_INPUT", { message: "`input` cannot be read" });
  await rejectsWith(() => tom.buildCreateLearner(Object.create({ login: "ann" })), "INVALID_INPUT");
  // Hostile arguments: an LmsBridgeError, and the module still answers.
  const throwing = new Proxy({}, { ownKeys() { throw new Error("boom"); }, getOwnPropertyDescriptor() { throw new Error("boom"); }, get() { throw new Error("boom"); } });
  await rejectsWith(() => tom.buildCreateLearner(throwing), "INVALID_INPUT", { message: "`input` cannot be read" });
  await rejectsWith(() => tom.buildUpdateLearner("L1", throwing), "INVALID_INPUT", { message: "`patch` cannot be read" });
  await rejectsWith(() => tom.updateLearner("L1", throwing), "INVALID_INPUT", { message: "`patch` cannot be read" });
  await rejectsWith(() => tom.parseCreateLearner(good, throwing), "INVALID_INPUT");
  // Not a client, or a freed one.
  await rejectsWith(() => TeachOnMars.prototype.buildCreateLearner.call({}, { login: "ann" }), "INVALID_INPUT");
  const freed = new TeachOnMars({ baseUrl: BASE, auth: { accessToken: TOKEN } });
  freed.free();
  await rejectsWith(() => freed.parseUpdateLearner(good), "INVALID_INPUT");
  // After all that, the twins still work.
  assert.equal(tom.parseCreateLearner(good).identifier, "L1");
});
