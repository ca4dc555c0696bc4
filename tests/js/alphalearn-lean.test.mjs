// AlphaLearn's sans-IO twins, which run in JS over the vendor module's lean calls
// (twins.js), against its network calls, which run in the module: the same requests, the
// same results and the same errors (scrubbed alike), for usual, odd and hostile responses;
// and the twins' own reading of their arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AlphaLearn } from "lms-bridge";
import { outcome, rejectsWith } from "./assert.mjs";

const EMAIL = "ada@example.com";

const INPUTS = {
  Login: [
    { email: EMAIL, password: "pw" },
    { email: EMAIL, password: "pw \" \\ \n \u0001 é 😀", domain: "lms.example.com" },
    { email: EMAIL, password: "pw", domain: null, other: undefined, flag: true },
    { email: "not an email", password: "pw" },
    { email: EMAIL, password: "" },
    { email: EMAIL },
    { email: EMAIL, password: 5 },
    { email: EMAIL, password: true },
    { email: EMAIL, password: "pw", domain: "https://x/y" },
    {}, null, undefined, "x", 7,
  ],
  RefreshToken: ["rt-1", "", "\u0000x", null, undefined, 7, true, {}, "y".repeat(1_100_000)],
  LoginWithThirdParty: [
    { provider: "google", token: "g-1" },
    { provider: "facebook", token: "g-1" },
    { provider: "google" },
    { provider: true, token: "g" },
    {}, null, "x",
  ],
  ForgotPassword: [
    { email: EMAIL },
    { email: EMAIL, sendEmailNotification: true, overrideEmailUrl: "https://app.example/r/{token}", domain: "lms.example.com" },
    { email: EMAIL, sendEmailNotification: false },
    { email: EMAIL, sendEmailNotification: "yes" },
    { email: EMAIL, sendEmailNotification: 1 },
    { email: EMAIL, overrideEmailUrl: "http://app.example/r/{token}" },
    { email: EMAIL, overrideEmailUrl: "https://app.example/r" },
    { email: "bad" }, {}, null,
  ],
};

const envelope = (data, error = { code: "", internal_message: "", moreInfo: [] }, success = true) =>
  JSON.stringify({ success, data: { response: { acknowledgement: success ? "Success" : "Failure", error, data } } });
const user = { id: "101", firstName: "Ada", mobile: 9876543210, uniqueId: 55, companyId: 7, sessionToken: "s-1" };
const BODIES = [
  envelope({ user, token: "jwt-1", "refresh-token": "rt-1" }),
  envelope({ user, token: "jwt-1", refreshToken: "rt-1" }),
  envelope({ status: "ok", token: "jwt-2" }),
  envelope({ token: "reset-1" }),
  envelope({}, { code: "1002", internal_message: "Invalid email", moreInfo: [{ field: "email" }] }, false),
  envelope({}, { code: 1017, internal_message: "token=abc.def password: hunter2" }, false),
  envelope({ user: { ...user, id: -1 }, token: "t", refreshToken: "r" }),
  "not json",
  "",
];


test("the twins build the request their call sends, and read its response as the call does", async () => {
  let compared = 0;
  const calls = { Login: "login", RefreshToken: "refreshToken", LoginWithThirdParty: "loginWithThirdParty", ForgotPassword: "forgotPassword" };
  for (const options of [{}, { baseUrl: "http://127.0.0.1:9/v3/", domain: "lms.example.com:8443" }]) {
    let answer;
    let sent;
    const fetch = async (url, init) => {
      sent = { url, method: init.method, body: init.body };
      return new Response(answer.body, { status: answer.status });
    };
    const client = new AlphaLearn({ ...options, fetch, retries: 0 });
    for (const [name, call] of Object.entries(calls)) {
      // Requests: what the call sends is what the twin builds.
      for (const input of INPUTS[name]) {
        answer = { status: 200, body: BODIES[0] };
        sent = undefined;
        const built = await outcome(() => client[`build${name}`](input));
        const network = await outcome(() => client[call](input));
        if (built.error) {
          assert.deepEqual(network, built, `${call}(${JSON.stringify(input)})`);
          assert.equal(sent, undefined);
        } else {
          const { url, method, body } = built.result;
          assert.deepEqual(sent, { url, method, body }, `${call}(${JSON.stringify(input)})`);
        }
        compared += 1;
      }
      // Responses: what the call resolves to or throws is what the twin returns or throws.
      for (const body of BODIES) {
        for (const status of [200, 201, 400, 401, 404, 429, 500, 503]) {
          answer = { status, body };
          const input = name === "RefreshToken" ? "rt-hunter22" : { ...INPUTS[name][0], password: "hunter22" };
          const network = await outcome(() => client[call](input));
          const parsed = await outcome(() => client[`parse${name}`]({ status, body }, input));
          assert.deepEqual(parsed, network, `${call}: ${status} ${body}`);
          const bytes = await outcome(() => client[`parse${name}`]({ status, headers: [["x", "1"]], body: new TextEncoder().encode(body) }, input));
          assert.deepEqual(bytes, network);
          compared += 2;
        }
      }
    }
  }
  assert.ok(compared > 500, `${compared}`);
});

test("the twins read their arguments as the class's methods do, and refuse what is not one", async () => {
  const al = new AlphaLearn();
  const ok = { status: 200, body: BODIES[0] };
  // Responses that are not one.
  for (const [response, field] of [
    [null, "response.status"], ["x", "response.status"], [{ status: 200.5, body: "" }, "response.status"],
    [{ status: "200", body: "" }, "response.status"], [{ status: 99 }, "response.status"],
    [{ status: 200, body: 5 }, "response.body"], [{ status: 200, headers: 7, body: "" }, "response.headers"],
  ]) {
    const e = await rejectsWith(() => al.parseLogin(response), "INVALID_INPUT");
    assert.match(e.message, new RegExp(`^\`${field.replace(".", "\\.")}\``));
  }
  // An ArrayBuffer body, a body that is absent.
  assert.deepEqual(al.parseLogin({ status: 200, body: new TextEncoder().encode(BODIES[0]).buffer }), al.parseLogin(ok));
  await rejectsWith(() => al.parseLogin({ status: 200 }), "RESPONSE_MALFORMED");
  // Hostile arguments: an LmsBridgeError, and the module still answers.
  const throwing = new Proxy({}, { ownKeys() { throw new Error("boom"); }, getOwnPropertyDescriptor() { throw new Error("boom"); }, get() { throw new Error("boom"); } });
  await rejectsWith(() => al.buildLogin(throwing), "INVALID_INPUT");
  await rejectsWith(() => al.parseLogin(ok, throwing), "INVALID_INPUT");
  const cyclic = { email: EMAIL };
  cyclic.self = cyclic;
  await rejectsWith(() => al.parseLogin(ok, cyclic), "INVALID_INPUT");
  // Fields the call does not use are not read; inherited ones are not fields.
  assert.deepEqual(al.buildLogin({ email: EMAIL, password: "pw", other: 10n }), al.buildLogin({ email: EMAIL, password: "pw" }));
  await rejectsWith(() => al.buildLogin(Object.create({ email: EMAIL, password: "pw" })), "INVALID_INPUT", { message: "`email` is required" });
  await rejectsWith(() => al.buildLogin([EMAIL]), "INVALID_INPUT", { message: "`input` must be an object" });
  await rejectsWith(() => al.buildRefreshToken(7), "INVALID_INPUT", { message: "`refreshToken` must be a string" });
  await rejectsWith(() => al.buildForgotPassword({ email: EMAIL, sendEmailNotification: "yes" }), "INVALID_INPUT", { message: "`sendEmailNotification` must be a boolean" });
  // A secret in the input never reaches a message, even when it is a word of one.
  const e = await rejectsWith(() => al.buildLogin({ email: "not-an-email", password: "email" }), "INVALID_INPUT");
  assert.ok(!e.message.includes("email") || e.message.includes("[redacted]"), e.message);
  // Not a client.
  await rejectsWith(() => AlphaLearn.prototype.buildLogin.call({}, { email: EMAIL, password: "pw" }), "INVALID_INPUT");
  const freed = new AlphaLearn();
  freed.free();
  await rejectsWith(() => freed.parseLogin(ok), "INVALID_INPUT");
  // After all that, the twins still work.
  assert.equal(al.parseLogin(ok).token, "jwt-1");
});
