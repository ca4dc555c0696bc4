// AlphaLearn's sans-IO twins through the vendor module's lean calls (alphalearn.js): they give
// what the class's own methods give (kept under a symbol for this comparison), results and
// errors, for usual, odd and hostile arguments; and the lean calls answer the usual ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { AlphaLearn } from "lms-bridge";
import { pkgDir } from "./hosts.mjs";

const OWN = Symbol.for("lms-bridge.alphalearn.ownTwins");
const EMAIL = "ada@example.com";

/** What a call gives: its result, or its error's fields. */
function outcome(fn) {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: { name: e?.name, message: e?.message, ...e } };
  }
}

const clients = [new AlphaLearn(), new AlphaLearn({ baseUrl: "http://127.0.0.1:9/v3/", domain: "lms.example.com:8443" })];

const hostile = () => [
  new Proxy({}, { ownKeys() { throw new Error("ownKeys boom"); } }),
  Object.defineProperty({}, "email", { enumerable: true, get() { throw new Error("getter"); } }),
  Object.create({ email: EMAIL, password: "pw" }),
  Object.defineProperty({ password: "pw" }, "email", { value: EMAIL, enumerable: false }),
  { email: EMAIL, password: "pw", extra: 10n },
  { email: EMAIL, password: "pw", extra: NaN },
  { email: EMAIL, password: "pw", extra: { deep: [1, "x", null] } },
  { email: EMAIL, password: "pw", [Symbol("s")]: 1, fn() {} },
  { email: EMAIL, password: "x".repeat(1_100_000) },
  Object.assign(Object.create(null), { email: EMAIL, password: "pw" }),
  new Map([["email", EMAIL]]),
  new Uint8Array(3),
  [EMAIL],
];

const INPUTS = {
  Login: [
    { email: EMAIL, password: "pw" },
    { email: EMAIL, password: "pw \" \\ \n \u0001 é 😀 \ud800", domain: "lms.example.com" },
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
const responses = () => [
  ...BODIES.flatMap((body) => [200, 401, 404, 429, 500].map((status) => ({ status, body }))),
  ...BODIES.map((body) => ({ status: 200, headers: { "x-a": "1" }, body: new TextEncoder().encode(body) })),
  { status: 200, body: null },
  { status: 200.5, body: BODIES[0] },
  { status: "200", body: BODIES[0] },
  { status: 200, headers: 7, body: BODIES[0] },
  { status: 200, body: new ArrayBuffer(2) },
  { status: 200, body: 5 },
  Object.defineProperty({ body: BODIES[0] }, "status", { get() { throw new Error("status getter"); } }),
  null,
  "x",
];

test("the lean twins give what the class's own twins give", () => {
  let compared = 0;
  for (const client of clients) {
    const own = Object.getPrototypeOf(client)[OWN];
    assert.ok(own, "the twins were made lean");
    for (const [name, inputs] of Object.entries(INPUTS)) {
      for (const [i, input] of [...inputs, ...(name === "RefreshToken" ? [] : hostile())].entries()) {
        const lean = outcome(() => client[`build${name}`](input));
        const before = outcome(() => own[`build${name}`].call(client, input));
        assert.deepEqual(lean, before, `build${name}, input ${i}`);
        compared += 1;
      }
      for (const [i, response] of responses().entries()) {
        for (const input of [undefined, { email: EMAIL, password: "hunter2" }]) {
          const lean = outcome(() => client[`parse${name}`](response, input));
          const before = outcome(() => own[`parse${name}`].call(client, response, input));
          assert.deepEqual(lean, before, `parse${name}, response ${i}`);
          compared += 1;
        }
      }
    }
  }
  assert.ok(compared > 500, `${compared}`);
});

test("the lean calls answer the usual calls themselves", async () => {
  // The same twins put on a stand-in class whose own methods only say that they ran: each
  // usual call must not reach them.
  const glue = await import(pathToFileURL(path.join(pkgDir, "lms_bridge.js")).href);
  const { leanAlphaLearn } = await import(pathToFileURL(path.join(pkgDir, "alphalearn.js")).href);
  new AlphaLearn(); // the module is loaded
  const OWN_RAN = { ownRan: true };
  class StandIn {
    constructor(config) {
      this.__wbg_ptr = 1;
      this.config = config;
    }
    __lmsbConfig() {
      return this.config;
    }
  }
  for (const name of Object.keys(INPUTS)) {
    StandIn.prototype[`build${name}`] = () => OWN_RAN;
    StandIn.prototype[`parse${name}`] = () => OWN_RAN;
  }
  leanAlphaLearn(StandIn, () => glue.__lmsb_exports(), () => assert.fail("no reset"));
  const s = new StandIn("https://al.example.com/v3\0lms.example.com");
  const real = new AlphaLearn({ baseUrl: "https://al.example.com/v3", domain: "lms.example.com" });
  const calls = [
    ["buildLogin", { email: EMAIL, password: "pw" }],
    ["buildRefreshToken", "rt-1"],
    ["buildLoginWithThirdParty", { provider: "google", token: "g-1" }],
    ["buildForgotPassword", { email: EMAIL, sendEmailNotification: true }],
    ["parseLogin", { status: 200, body: BODIES[0] }],
    ["parseLoginWithThirdParty", { status: 201, body: new TextEncoder().encode(BODIES[1]) }],
    ["parseRefreshToken", { status: 200, headers: {}, body: BODIES[2] }],
    ["parseForgotPassword", { status: 200, body: BODIES[3] }],
  ];
  for (const [method, arg] of calls) {
    const got = s[method](arg);
    assert.notEqual(got, OWN_RAN, `${method}: the lean call answered`);
    assert.deepEqual(got, real[method](arg), method);
  }
  // A failure is the class's own method's to report.
  assert.equal(s.buildLogin({ email: "bad", password: "pw" }), OWN_RAN);
  assert.equal(s.parseLogin({ status: 200, body: BODIES[4] }), OWN_RAN);
  assert.equal(s.parseLogin({ status: 200, body: BODIES[0] }, { email: EMAIL }), OWN_RAN);
});
