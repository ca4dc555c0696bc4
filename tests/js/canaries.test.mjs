// Canaries (issue 13): every client configured with canary secrets and called with canary
// arguments, against a vendor that echoes every canary back in every place an error is built
// from (message, code, detail, error fields, nested objects, plain text, headers) on every
// error path: 400, 401, 403, 404, 422, 429, 500, 503, a 200 of the wrong shape and a 200 that
// is not JSON. No canary may reach the error's message, details, vendorCode, stack,
// JSON.stringify, util.inspect or String(), nor anything written to the console or stdout/stderr.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as lms from "lms-bridge";
import { assertNoSecrets, captureOutput } from "./assert.mjs";
import { networkMethods, SECRETS } from "./methods.mjs";
import { startMockServer } from "lms-bridge/testing";

let server;
before(async () => {
  server = await startMockServer();
});
after(() => server.close());

/** A vendor error that repeats `secrets` in every field an error could be built from. */
const echoing = (secrets) => {
  const all = secrets.join(" ") || "nothing-secret";
  const [a = "", b = a, c = b] = secrets;
  return {

    message: `bad credentials: ${all}`, error: all, error_description: all, detail: all, code: all, errorCode: all,
    vendorCode: all, status: false, success: false, errors: [{ code: all, context: all, message: all }],
    data: { access_token: a, token: b, refresh_token: c, password: a, nested: { note: all } },
    tokenData: { access_token: all }, authToken: 7, url: `https://x.example/${all}`,
  };
};
/** name → (secrets) => one answer of the mock. */
const ANSWERS = {
  ...Object.fromEntries([400, 401, 403, 404, 422, 429, 500, 503].map((status) => [
    `${status} echo`, (s) => ({ status, headers: { "retry-after": "0", "x-echo": s.join(" ") }, json: echoing(s) }),
  ])),
  "200 wrong shape": (s) => ({ status: 200, json: { ...echoing(s), status: "weird", success: "maybe" } }),
  "200 not JSON": (s) => ({ status: 200, headers: { "content-type": "application/json" }, body: `{"token": "${s.join(" ")}", ` }),
  "500 text": (s) => ({ status: 500, headers: { "content-type": "text/plain" }, body: s.join(" ") }),
};

test("canaries: every network method × every echoing error path leaks no secret, logs nothing", async () => {
  const methods = networkMethods(lms, server.origin, { timeoutMs: 2000, retries: 0 });
  let errors = 0;
  for (const [method, [[verb, path], , call, known]] of Object.entries(methods)) {
    for (const [name, answer] of Object.entries(ANSWERS)) {
      server.reset();
      server.queue(verb, path, answer(known), answer(known));
      const [error, output] = await captureOutput(async () => {
        try {
          await call();
        } catch (e) {
          return e;
        }
        return undefined;
      });
      for (const c of known) assert.ok(!output.includes(c), `${method} / ${name}: a secret reached the console`);
      // A 200 of an unexpected shape may still be a success for lenient methods (their
      // `raw` is the vendor's body); every error status must fail.
      if (error === undefined && name.startsWith("200")) continue;
      assert.ok(lms.isLmsBridgeError(error), `${method} / ${name}: expected an LmsBridgeError, got ${error}`);
      errors++;
      await assertNoSecrets(error, known);
    }
  }
  assert.ok(errors >= Object.keys(methods).length * (Object.keys(ANSWERS).length - 2), `${errors} errors`);
});

test("canaries: the sans-IO parsers, given the same echoes, scrub configured and argument secrets", async () => {
  const { AlphaLearn, LearnWorlds, MilesMasterclass, TeachOnMars } = lms;
  const { mm: mmKey, tom: tomToken, lwToken, lwSecret } = SECRETS;
  const mm = new MilesMasterclass({ baseUrl: "https://mm.example.com/api", apiKey: mmKey });
  const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: tomToken } });
  const lw = new LearnWorlds({ schoolUrl: "https://s.example.com", clientId: "c", accessToken: lwToken, clientSecret: lwSecret });
  const al = new AlphaLearn({ baseUrl: "https://al.example.com/v3" });
  const lwKnown = [lwToken, lwSecret];
  // [parse, the secrets it knows]
  const parsers = [
    [(r) => mm.parseAutoSubscribe(r), [mmKey]], [(r) => mm.parseAccessControl(r), [mmKey]], [(r) => mm.parseCreateLoginUrl(r), [mmKey]],
    [(r) => tom.parseCreateLearner(r), [tomToken]], [(r) => tom.parseSearchLearners(r), [tomToken]], [(r) => tom.parseGetAuthToken(r), [tomToken]],
    [(r) => lw.parseGetAppToken(r), lwKnown], [(r) => lw.parseSso(r), lwKnown], [(r) => lw.parseUserSso(r), lwKnown],
    [(r) => lw.parseUserToken(r, { email: "a@b.co", password: "pw-matrix-2" }), [...lwKnown, "pw-matrix-2"]],
    [(r) => lw.parseRefreshUserToken(r, "lw-refresh-matrix-1"), [...lwKnown, "lw-refresh-matrix-1"]],
    [(r) => al.parseLogin(r, { email: "a@b.co", password: "pw-matrix-1" }), ["pw-matrix-1"]],
    [(r) => al.parseRefreshToken(r, "rt-matrix-1"), ["rt-matrix-1"]],
    [(r) => al.parseLoginWithThirdParty(r, { provider: "google", token: "g-matrix-1" }), ["g-matrix-1"]],
  ];
  let n = 0;
  const everyKnown = parsers.flatMap(([, known]) => known);
  const [, output] = await captureOutput(async () => {
    for (const [parse, known] of parsers) {
      for (const [name, answer] of Object.entries(ANSWERS)) {
        const a = answer(known);
        const resp = { status: a.status, headers: a.headers ?? {}, body: a.body ?? JSON.stringify(a.json) };
        try {
          parse(resp);
        } catch (e) {
          n++;
          assert.ok(lms.isLmsBridgeError(e), `${parse} / ${name}: ${e}`);
          await assertNoSecrets(e, known);
        }
      }
    }
  });
  assert.ok(n >= parsers.length * 10, `${n} errors`);
  for (const c of everyKnown) assert.ok(!output.includes(c), "a secret reached the console");
});
