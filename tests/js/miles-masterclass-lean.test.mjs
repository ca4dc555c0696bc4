// Miles Masterclass' builders, which run in JS over the client's lean call (twins.js), against
// its network calls `autoSubscribe`, `accessControl` and `createLoginUrl`, which run in the
// module: the same requests (signed alike) and the same errors (scrubbed alike); and the
// builders' own reading of their argument.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MilesMasterclass, verifyWebhook } from "lms-bridge";
import { outcome, rejectsWith } from "./assert.mjs";

const BASE = "https://mm.example.com/api";
const KEY = "mm-lean-key-1234";
const SIGNING = "whsec_c2lnbmluZy1zZWNyZXQ=";

const INPUTS = [
  { email: "ann@example.com", lmsUserId: "42", firstName: "Ann" },
  { email: "ann@example.com", lmsUserId: 42, lastName: "L \" \\ é 😀", organization: { id: 7, name: "Acme" }, action: "block", reason: "left", returnUrl: "https://lms.example/dashboard" },
  { email: "ann@example.com", lmsUserId: 1.5, organization: { id: "o-1" } },
  { email: "ann@example.com", lmsUserId: -0, organization: { id: 1e21 } },
  { email: "ann@example.com", lmsUserId: "", organization: {} },
  { email: "ann@example.com", lmsUserId: "1", organization: { id: "", name: "" } },
  { email: "ann@example.com", lmsUserId: "1", organization: { id: true } },
  { email: "ann@example.com", lmsUserId: "1", organization: { name: 5 } },
  { email: "ann@example.com", lmsUserId: "1", organization: "Acme" },
  { email: "ann@example.com", lmsUserId: "1", organization: [1] },
  { email: "ann@example.com", lmsUserId: "1", organization: null, firstName: undefined, f() {} },
  { email: "ann@example.com", lmsUserId: true, action: "unblock" },
  { email: "ann@example.com", lmsUserId: [1], action: "cancel", reason: 5 },
  { email: "ann@example.com", firstName: 5, action: "delete" },
  { email: "ann@example.com", action: true, returnUrl: "javascript:alert(1)" },
  { email: "ann@example.com", returnUrl: "http://127.0.0.1:8/x" },
  { email: "not an email", lmsUserId: "1" },
  { email: "", lmsUserId: "1" },
  { email: 5 },
  {}, null, undefined, "ann@example.com", 7, [1],
];
// Numbers JSON has not, where `autoSubscribe` reads them (the other calls do not read them).
const NOT_JSON = [
  { email: "ann@example.com", lmsUserId: NaN },
  { email: "ann@example.com", lmsUserId: "1", organization: { id: -Infinity } },
];
const CALLS = ["autoSubscribe", "accessControl", "createLoginUrl"];

/** A client whose network calls record what they send and answer 201. */
function recording(options) {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push({ url, method: init.method, body: init.body, headers: Object.fromEntries(new Headers(init.headers)) });
    return new Response(JSON.stringify({ status: "ok", user_id: 7, url: "https://mm.example.com/login/x" }), { status: 201 });
  };
  return { mm: new MilesMasterclass({ baseUrl: BASE, apiKey: KEY, fetch, retries: 0, ...options }), sent };
}

const label = (call, input) => {
  try {
    return `${call}(${JSON.stringify(input)})`;
  } catch {
    return `${call}(${String(input)})`;
  }
};

test("the builders build the requests their calls send, and refuse what the calls refuse", async () => {
  const renamed = { fieldNames: { email: "mail", lms_user_id: "uid", organization: "org" }, paths: { autoSubscribe: "/subscribe" } };
  let compared = 0;
  for (const options of [{}, renamed]) {
    const { mm, sent } = recording(options);
    for (const call of CALLS) {
      const twin = `build${call[0].toUpperCase()}${call.slice(1)}`;
      for (const input of call === "autoSubscribe" ? [...INPUTS, ...NOT_JSON] : INPUTS) {
        sent.length = 0;
        const built = await outcome(() => mm[twin](input));
        const network = await outcome(() => mm[call](input));
        if (built.error || network.error) {
          assert.deepEqual(network, built, label(call, input));
          assert.equal(sent.length, 0);
        } else {
          const { url, method, body, headers } = built.result;
          assert.deepEqual(sent, [{ url, method, body, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) }], label(call, input));
          assert.equal(headers["X-API-Key"], KEY);
        }
        if (built.error) assert.ok(!built.error.message.includes(KEY), built.error.message);
        compared += 1;
      }
    }
  }
  assert.equal(compared, 2 * (CALLS.length * INPUTS.length + NOT_JSON.length));
  const { mm } = recording(renamed);
  const req = mm.buildAutoSubscribe(INPUTS[1]);
  assert.equal(req.url, `${BASE}/subscribe`);
  assert.equal(req.body, '{"mail":"ann@example.com","last_name":"L \\" \\\\ é 😀","uid":"42","org":{"id":"7","name":"Acme"}}');
});

test("a signing client's builders sign as its calls do", async () => {
  const { mm, sent } = recording({ requestSigning: { secret: SIGNING } });
  for (const [call, twin] of [["autoSubscribe", "buildAutoSubscribe"], ["createLoginUrl", "buildCreateLoginUrl"]]) {
    sent.length = 0;
    const built = mm[twin](INPUTS[1]);
    await mm[call](INPUTS[1]);
    const [network] = sent;
    assert.equal(built.body, network.body);
    for (const request of [{ body: built.body, headers: built.headers }, network]) {
      const headers = new Headers(request.headers);
      assert.match(headers.get("webhook-id"), /^msg_/);
      assert.ok(verifyWebhook(request.body, headers, { scheme: "standard-webhooks", secret: SIGNING }));
    }
    assert.notEqual(built.headers["webhook-id"], network.headers["webhook-id"], "a message id per request");
  }
});

test("the builders read only the fields they use, as own properties, and refuse what is no argument", async () => {
  const { mm } = recording();
  // Fields a builder does not use are not read: a BigInt there, or a getter that throws.
  const extra = { email: "ann@example.com", lmsUserId: "1", extra: 10n, get other() { throw new Error("boom"); } };
  assert.equal(JSON.parse(mm.buildAutoSubscribe(extra).body).lms_user_id, "1");
  await rejectsWith(() => mm.buildAutoSubscribe(Object.create({ email: "ann@example.com", lmsUserId: "1" })), "INVALID_INPUT", { message: "`email` is required" });
  const boom = () => {
    throw new Error("boom");
  };
  const throwing = new Proxy({}, { ownKeys: boom, getOwnPropertyDescriptor: boom, get: boom });
  await rejectsWith(() => mm.buildAutoSubscribe(throwing), "INVALID_INPUT", { message: "`input` cannot be read" });
  await rejectsWith(() => mm.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: "1", organization: throwing }), "INVALID_INPUT", { message: "`input` cannot be read" });
  // Strings longer than the module reads are refused before they are written into it.
  const long = "é".repeat(2 ** 24 + 1);
  for (const input of [{ email: "ann@example.com", lmsUserId: "1", firstName: long }, { email: "ann@example.com", lmsUserId: "1", organization: { name: long } }]) {
    await rejectsWith(() => mm.buildAutoSubscribe(input), "INVALID_INPUT", { message: "`input` is too long (more than 16,777,216 bytes of UTF-8)" });
  }
  await rejectsWith(() => mm.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: "1", firstName: "é".repeat(2 ** 23 + 1) }), "INVALID_INPUT", { message: "`input` is too long (more than 16,777,216 bytes of UTF-8)" });
  // Not a client, or a freed one.
  await rejectsWith(() => MilesMasterclass.prototype.buildAccessControl.call({}, { email: "ann@example.com", action: "block" }), "INVALID_INPUT");
  const freed = new MilesMasterclass({ baseUrl: BASE, apiKey: KEY });
  freed.free();
  await rejectsWith(() => freed.buildCreateLoginUrl({ email: "ann@example.com" }), "INVALID_INPUT");
  // After all that, the builders still work.
  assert.equal(JSON.parse(mm.buildAccessControl({ email: "ann@example.com", action: "block" }).body).action, "block");
});
