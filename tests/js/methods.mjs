// Every network method of every client, for the tests that drive them all against one mock
// server (the fault matrix and the canary test). `SECRETS` are the canaries the clients are
// configured with; `ARG_SECRETS` the secret arguments the calls pass.
export const SECRETS = { mm: "mm-matrix-key-1", tom: "tom-matrix-token-1", lwToken: "lw-matrix-token-1", lwSecret: "lw-matrix-secret-1" };
export const ARG_SECRETS = ["pw-matrix-1", "pw-matrix-2", "rt-matrix-1", "g-matrix-1", "lw-refresh-matrix-1", "lw-user-matrix-token"];
export const CANARIES = [...Object.values(SECRETS), ...ARG_SECRETS];

const LEARNERS = "/api/identities/v1/learners";

/**
 * method name → [[verb, path], safe to repeat (API.md §6), call(), the canaries the call knows
 * (its client's secrets and its secret arguments)] for the package `lms` against `origin`,
 * with `opts` (timeoutMs, retries, …) on every client.
 */
export function networkMethods(lms, origin, opts) {
  const { AlphaLearn, LearnWorlds, MilesMasterclass, TeachOnMars } = lms;
  const mm = () => new MilesMasterclass({ baseUrl: `${origin}/api`, apiKey: SECRETS.mm, ...opts });
  const al = () => new AlphaLearn({ baseUrl: `${origin}/v3`, ...opts });
  const tom = () => new TeachOnMars({ baseUrl: origin, auth: { accessToken: SECRETS.tom }, ...opts });
  const lw = (o = {}) => new LearnWorlds({ schoolUrl: origin, clientId: "lw-c", accessToken: SECRETS.lwToken, rateLimit: false, ...opts, ...o });
  return {
    "MM autoSubscribe": [["POST", "/api/integrations/lms/auto-subscribe"], true, () => mm().autoSubscribe({ email: "a@b.co", lmsUserId: "1" }), [SECRETS.mm]],
    "MM accessControl": [["POST", "/api/access/control"], true, () => mm().accessControl({ email: "a@b.co", action: "block" }), [SECRETS.mm]],
    "MM createLoginUrl": [["POST", "/api/integrations/lms/login-url"], false, () => mm().createLoginUrl({ email: "a@b.co" }), [SECRETS.mm]],
    "AL login": [["POST", "/v3/authorize/login"], true, () => al().login({ email: "a@b.co", password: "pw-matrix-1" }), ["pw-matrix-1"]],
    "AL refreshToken": [["POST", "/v3/authorize/refresh-token"], true, () => al().refreshToken("rt-matrix-1"), ["rt-matrix-1"]],
    "AL loginWithThirdParty": [["POST", "/v3/authorize/third-party"], true, () => al().loginWithThirdParty({ provider: "google", token: "g-matrix-1" }), ["g-matrix-1"]],
    "AL forgotPassword": [["POST", "/v3/authorize/forgot-password"], false, () => al().forgotPassword({ email: "a@b.co" }), []],
    "TOM createLearner": [["POST", LEARNERS], false, () => tom().createLearner({ login: "ann" }), [SECRETS.tom]],
    "TOM updateLearner": [["PUT", `${LEARNERS}/L1`], true, () => tom().updateLearner("L1", { firstname: "Ann" }), [SECRETS.tom]],
    "TOM searchLearners": [["GET", LEARNERS], true, () => tom().searchLearners("ann"), [SECRETS.tom]],
    "TOM findLearnerByLogin": [["GET", LEARNERS], true, () => tom().findLearnerByLogin("ann"), [SECRETS.tom]],
    "TOM getAuthToken": [["POST", "/api/learner-authorization/v1/learners/authToken"], false, () => tom().getAuthToken("L1"), [SECRETS.tom]],
    "LW getAppToken": [["POST", "/admin/api/oauth2/access_token"], true, () => lw({ accessToken: undefined, clientSecret: SECRETS.lwSecret }).getAppToken(), [SECRETS.lwSecret]],
    "LW sso": [["POST", "/admin/api/sso"], false, () => lw().sso({ email: "a@b.co", username: "a" }), [SECRETS.lwToken]],
    "LW userToken": [["POST", "/admin/api/oauth2/access_token"], true, () => lw({ clientSecret: SECRETS.lwSecret }).userToken({ email: "a@b.co", password: "pw-matrix-2" }), [SECRETS.lwToken, SECRETS.lwSecret, "pw-matrix-2"]],
    "LW refreshUserToken": [["POST", "/admin/api/oauth2/access_token"], true, () => lw({ clientSecret: SECRETS.lwSecret }).refreshUserToken("lw-refresh-matrix-1"), [SECRETS.lwToken, SECRETS.lwSecret, "lw-refresh-matrix-1"]],
    "LW userSso": [["POST", "/admin/api/user/sso"], false, () => lw().userSso("lw-user-matrix-token"), [SECRETS.lwToken, "lw-user-matrix-token"]],
  };
}
