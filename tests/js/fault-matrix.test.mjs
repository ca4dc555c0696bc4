// The fault matrix (issue 13): every network method of every client against each fault the
// mock server can inject, on its own route, every attempt. Each cell checks the error code,
// `retryable`, and the number of attempts: 1 + retries for requests safe to repeat and a
// retryable fault, else 1 (API.md §6). The whole matrix is printed as a table.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AlphaLearn, LearnWorlds, MilesMasterclass, TeachOnMars } from "lms-bridge";
import { assertNoSecrets } from "./assert.mjs";
import { faults, startMockServer } from "./mock/server.mjs";

const RETRIES = 1;
const SECRETS = { mm: "mm-matrix-key-1", tom: "tom-matrix-token-1", lwToken: "lw-matrix-token-1", lwSecret: "lw-matrix-secret-1" };
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
const mm = () => new MilesMasterclass({ baseUrl: `${server.origin}/api`, apiKey: SECRETS.mm, ...opts });
const al = () => new AlphaLearn({ baseUrl: `${server.origin}/v3`, ...opts });
const tom = () => new TeachOnMars({ baseUrl: server.origin, auth: { accessToken: SECRETS.tom }, ...opts });
const lw = (o = {}) => new LearnWorlds({ schoolUrl: server.origin, clientId: "lw-c", accessToken: SECRETS.lwToken, rateLimit: false, ...opts, ...o });
const LEARNERS = "/api/identities/v1/learners";

// method → [route, safe to repeat, call]
const METHODS = {
  "MM autoSubscribe": [["POST", "/api/integrations/lms/auto-subscribe"], true, () => mm().autoSubscribe({ email: "a@b.co", lmsUserId: "1" })],
  "MM accessControl": [["POST", "/api/access/control"], true, () => mm().accessControl({ email: "a@b.co", action: "block" })],
  "MM createLoginUrl": [["POST", "/api/integrations/lms/login-url"], false, () => mm().createLoginUrl({ email: "a@b.co" })],
  "AL login": [["POST", "/v3/authorize/login"], true, () => al().login({ email: "a@b.co", password: "pw-matrix-1" })],
  "AL refreshToken": [["POST", "/v3/authorize/refresh-token"], true, () => al().refreshToken("rt-matrix-1")],
  "AL loginWithThirdParty": [["POST", "/v3/authorize/third-party"], true, () => al().loginWithThirdParty({ provider: "google", token: "g-matrix-1" })],
  "AL forgotPassword": [["POST", "/v3/authorize/forgot-password"], false, () => al().forgotPassword({ email: "a@b.co" })],
  "TOM createLearner": [["POST", LEARNERS], false, () => tom().createLearner({ login: "ann" })],
  "TOM updateLearner": [["PUT", `${LEARNERS}/L1`], true, () => tom().updateLearner("L1", { firstname: "Ann" })],
  "TOM searchLearners": [["GET", LEARNERS], true, () => tom().searchLearners("ann")],
  "TOM findLearnerByLogin": [["GET", LEARNERS], true, () => tom().findLearnerByLogin("ann")],
  "TOM getAuthToken": [["POST", "/api/learner-authorization/v1/learners/authToken"], false, () => tom().getAuthToken("L1")],
  "LW getAppToken": [["POST", "/admin/api/oauth2/access_token"], true, () => lw({ accessToken: undefined, clientSecret: SECRETS.lwSecret }).getAppToken()],
  "LW sso": [["POST", "/admin/api/sso"], false, () => lw().sso({ email: "a@b.co", username: "a" })],
  "LW userToken": [["POST", "/admin/api/oauth2/access_token"], true, () => lw({ clientSecret: SECRETS.lwSecret }).userToken({ email: "a@b.co", password: "pw-matrix-2" })],
  "LW refreshUserToken": [["POST", "/admin/api/oauth2/access_token"], true, () => lw({ clientSecret: SECRETS.lwSecret }).refreshUserToken("lw-refresh-matrix-1")],
  "LW userSso": [["POST", "/admin/api/user/sso"], false, () => lw().userSso("lw-user-matrix-token")],
};

test("fault matrix: every network method × every fault → documented code, retries per API.md §6", async () => {
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
      if (error) await assertNoSecrets(error, [...Object.values(SECRETS), "pw-matrix-1", "pw-matrix-2", "rt-matrix-1", "g-matrix-1", "lw-refresh-matrix-1", "lw-user-matrix-token"]);
    }
    rows.push(row);
  }
  const header = ["method", ...Object.keys(FAULTS)];
  console.log([header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n"));
  assert.deepEqual(wrong, []);
});
