// LearnWorlds' SSO twins, which run in JS over the client's lean calls (twins.js), against its
// network call `sso`, which runs in the module: the same requests, the same results and the
// same errors (scrubbed alike), for usual, odd and hostile responses; and the twins' own
// reading of their arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LearnWorlds } from "lms-bridge";
import { outcome, rejectsWith } from "./assert.mjs";

const SCHOOL = "https://school.example.com";
const TOKEN = "app-token-5678";

const INPUTS = [
  { email: "ann@example.com", username: "ann" },
  { email: "ann@example.com", username: "ann \" \\ \n é 😀", avatar: "https://cdn.example/a.png", redirectUrl: `${SCHOOL}/course/x` },
  { email: "ann@example.com", username: null, other: undefined, flag: true },
  { userId: "u-1", redirectUrl: "https://school.example.com/" },
  { userId: 42 },
  { userId: 1.5 },
  { userId: -0 },
  { userId: 1e21 },
  { userId: NaN },
  { userId: "" },
  { userId: "u", username: "ann" },
  { userId: "u", avatar: false },
  { email: "ann@example.com", userId: "u" },
  { email: "not an email" },
  { email: 5 },
  { email: true },
  { email: "a@b.co", username: "" },
  { email: "a@b.co", avatar: "ftp://x" },
  { email: "a@b.co", redirectUrl: "javascript:alert(1)" },
  { userId: [1] },
  {}, null, undefined, "ann@example.com", 7, [1],
];

const ok = (url, id) => JSON.stringify({ success: true, url, user_id: id });
const BODIES = [
  ok(`${SCHOOL}/login?code=abc`, "u1"),
  ok(`${SCHOOL}/login?code=é`, 17),
  JSON.stringify({ success: true, url: `${SCHOOL}/x` }),
  ok("https://evil.example/login", "u1"),
  JSON.stringify({ success: false, errors: [{ code: 401, context: "access_denied", message: `The access token ${TOKEN} is invalid` }] }),
  JSON.stringify({ success: false, errors: [{ code: 400, context: null, message: "Invalid object ID" }] }),
  JSON.stringify({ error: "Too many requests" }),
  "not json",
  "",
];

test("buildSso builds the request sso sends, and parseSso reads its response as sso does", async () => {
  let answer;
  let sent;
  const fetch = async (url, init) => {
    sent = { url, method: init.method, body: init.body, headers: init.headers };
    return new Response(answer.body, { status: answer.status });
  };
  const lw = new LearnWorlds({ schoolUrl: SCHOOL, clientId: "cid-1", accessToken: TOKEN, fetch, retries: 0, rateLimit: false });
  let compared = 0;
  for (const input of INPUTS) {
    answer = { status: 200, body: BODIES[0] };
    sent = undefined;
    const built = await outcome(() => lw.buildSso(input));
    const network = await outcome(() => lw.sso(input));
    if (built.error || network.error) {
      assert.deepEqual(network, built, `sso(${String(JSON.stringify(input))})`);
      assert.equal(sent, undefined);
    } else {
      const { url, method, body, headers } = built.result;
      assert.deepEqual({ url: sent.url, method: sent.method, body: sent.body }, { url, method, body }, `sso(${JSON.stringify(input)})`);
      assert.equal(headers.Authorization, `Bearer ${TOKEN}`);
      assert.equal(headers["Lw-Client"], "cid-1");
      assert.equal(headers["Content-Type"], "application/x-www-form-urlencoded");
    }
    compared += 1;
  }
  for (const body of BODIES) {
    for (const status of [200, 201, 400, 401, 403, 404, 429, 500, 503]) {
      for (const input of [{ email: "ann@example.com" }, { userId: "u9" }, { userId: 9 }]) {
        answer = { status, body };
        const network = await outcome(() => lw.sso(input));
        const parsed = await outcome(() => lw.parseSso({ status, body }, input));
        assert.deepEqual(parsed, network, `sso: ${status} ${body} ${JSON.stringify(input)}`);
        const bytes = await outcome(() => lw.parseSso({ status, headers: [["x", "1"]], body: new TextEncoder().encode(body) }, input));
        assert.deepEqual(bytes, network);
        if (parsed.error) assert.ok(!parsed.error.message.includes(TOKEN), parsed.error.message);
        compared += 2;
      }
    }
  }
  assert.ok(compared > 150, `${compared}`);
});

test("buildSso takes the token from auth, else the client's; parseSso returns the echoed userId", async () => {
  const lw = new LearnWorlds({ schoolUrl: SCHOOL, clientId: "cid-1", accessToken: TOKEN });
  const input = { userId: "u1" };
  assert.equal(lw.buildSso(input).headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(lw.buildSso(input, {}.x).headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(lw.buildSso(input, null).headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(lw.buildSso(input, { accessToken: "call-token" }).headers.Authorization, "Bearer call-token");
  for (const auth of [{}, { accessToken: "" }, { accessToken: 5 }, "call-token", { get accessToken() { throw new Error("boom"); } }]) {
    await rejectsWith(() => lw.buildSso(input, auth), "INVALID_INPUT", { message: "`auth.accessToken` must be a non-empty string" });
  }
  await rejectsWith(() => lw.buildSso(input, { accessToken: "bad\ntoken" }), "INVALID_INPUT", { vendor: "learnworlds" });
  // Without a token of its own, the client needs one from `auth`.
  const bare = new LearnWorlds({ schoolUrl: SCHOOL, clientId: "cid-1" });
  await rejectsWith(() => bare.buildSso(input), "INVALID_CONFIG");
  assert.equal(bare.buildSso(input, { accessToken: "call-token" }).headers.Authorization, "Bearer call-token");
  // A number userId is sent and echoed as JS prints it.
  assert.match(decodeURIComponent(lw.buildSso({ userId: 42 }).body), /"user_id":"42"/);
  const noId = { status: 200, body: JSON.stringify({ success: true, url: `${SCHOOL}/x` }) };
  assert.deepEqual(lw.parseSso(noId, { userId: 42 }), { url: `${SCHOOL}/x`, userId: "42" });
  assert.deepEqual(lw.parseSso({ status: 200, body: ok(`${SCHOOL}/é?q=😀`, "ü") }), { url: `${SCHOOL}/é?q=😀`, userId: "ü" });
  await rejectsWith(() => lw.parseSso(noId), "RESPONSE_MALFORMED");
});

test("the SSO twins read their arguments as the class's methods do, and refuse what is not one", async () => {
  const lw = new LearnWorlds({ schoolUrl: SCHOOL, clientId: "cid-1", accessToken: TOKEN });
  const good = { status: 200, body: BODIES[0] };
  for (const [response, field] of [
    [null, "response.status"], [{ status: 99 }, "response.status"], [{ status: 200, body: 5 }, "response.body"],
    [{ status: 200, headers: 7, body: "" }, "response.headers"],
  ]) {
    const e = await rejectsWith(() => lw.parseSso(response), "INVALID_INPUT");
    assert.match(e.message, new RegExp(`^\`${field.replace(".", "\\.")}\``));
  }
  // Hostile arguments: an LmsBridgeError, and the module still answers.
  const throwing = new Proxy({}, { ownKeys() { throw new Error("boom"); }, getOwnPropertyDescriptor() { throw new Error("boom"); }, get() { throw new Error("boom"); } });
  await rejectsWith(() => lw.buildSso(throwing), "INVALID_INPUT");
  await rejectsWith(() => lw.parseSso(good, throwing), "INVALID_INPUT");
  // Inherited fields are not fields; a long string is refused as the conversion refuses it.
  await rejectsWith(() => lw.buildSso(Object.create({ email: "a@b.co" })), "INVALID_INPUT", { message: "`email` or `userId` is required" });
  await rejectsWith(() => lw.buildSso({ email: "a".repeat(17_000_000) }), "INVALID_INPUT", { message: "`input` is too long (more than 16,777,216 bytes of UTF-8)" });
  // Fields the call does not use are not read.
  assert.deepEqual(lw.buildSso({ email: "a@b.co", other: 10n }), lw.buildSso({ email: "a@b.co" }));
  // Not a client, or a freed one.
  await rejectsWith(() => LearnWorlds.prototype.buildSso.call({}, { userId: "u1" }), "INVALID_INPUT");
  await rejectsWith(() => LearnWorlds.prototype.parseSso.call(null, good), "INVALID_INPUT");
  const freed = new LearnWorlds({ schoolUrl: SCHOOL, clientId: "cid-1", accessToken: TOKEN });
  freed.free();
  await rejectsWith(() => freed.buildSso({ userId: "u1" }), "INVALID_INPUT");
  // After all that, the twins still work.
  assert.deepEqual(lw.parseSso(good), { url: `${SCHOOL}/login?code=abc`, userId: "u1" });
});
