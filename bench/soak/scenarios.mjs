// Memory soak scenarios: every network path of every client, driven through an in-process
// `fetch` that answers at once (or never, for timeouts), so that nothing but lms-bridge
// holds memory. Host-neutral (only `Response`, `setTimeout` and the package's exports), so
// the same scenarios run in Node (bench/soak/node.mjs) and in workerd (bench/soak/workerd.mjs).
//
//   const scenarios = makeScenarios(lms);   // lms: the package's exports
//   await runScenario(scenarios["mm.success"], 20_000, { concurrency: 50 });

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A fetch that routes by "METHOD path" to `answer(url, init)`; unknown routes are 404. */
function fakeFetch(routes) {
  return async (url, init) => {
    const u = new URL(url);
    const route = routes[`${init.method} ${u.pathname}`];
    if (route === undefined) return json(404, { error: `no route ${init.method} ${u.pathname}` });
    return route(u, init);
  };
}

/** A fetch that never answers, but rejects with an AbortError when its signal aborts. */
const hangingFetch = (_url, init) =>
  new Promise((_resolve, reject) => {
    init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true });
  });

/** Expects `promise` to reject with an LmsBridgeError of `code`. */
async function expectCode(promise, code) {
  try {
    await promise;
  } catch (e) {
    if (e?.name === "LmsBridgeError" && e.code === code) return;
    throw new Error(`expected ${code}, got ${e?.code ?? e}`);
  }
  throw new Error(`expected ${code}, got a result`);
}

const MM_BASE = "https://mm.example.com/api";
const MM_SUB = "POST /api/integrations/lms/auto-subscribe";
const LW_SCHOOL = "https://school.example.com";
const LW_TOKEN = "POST /admin/api/oauth2/access_token";
const LW_SSO = "POST /admin/api/sso";
const TOM = "https://tom.example.com";
const TOM_LEARNERS = "/api/identities/v1/learners";
const AL_BASE = "https://al.example.com/v3";

const lwToken = (n) =>
  json(200, { tokenData: { access_token: `lw-at-${n}`, token_type: "Bearer", expires_in: 8000 }, errors: [], success: true });
const lwSso = () => json(200, { success: true, url: `${LW_SCHOOL}/login?code=abc`, user_id: "u1" });
const lwDenied = () =>
  json(400, { errors: [{ code: 400, context: "access_denied", message: "denied" }], success: false });
const alEnvelope = (data) =>
  ({ success: true, data: { response: { acknowledgement: "Success", data, error: { code: "", internal_message: "", moreInfo: [] } } } });
const b64url = (s) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
const jwt = (expSeconds) => `${b64url('{"alg":"HS256"}')}.${b64url(JSON.stringify({ sub: "ada", exp: expSeconds }))}.c2ln`;

/**
 * The scenarios: name → { run(i), concurrency? }. Each `run` makes one call (or one small
 * flow) and throws if the outcome is not the expected one, so a soak also checks behaviour.
 */
export function makeScenarios(lms) {
  const { MilesMasterclass, LearnWorlds, TeachOnMars, AlphaLearn, AlphaLearnSession } = lms;
  const mm = (fetch, o = {}) => new MilesMasterclass({ baseUrl: MM_BASE, apiKey: "mm-soak-key", fetch, ...o });
  const subscribe = { email: "ann@example.com", lmsUserId: "42" };
  const subscribed = () => json(201, { status: "subscribed", user_id: 7 });

  // Miles Masterclass: the transport's plain paths.
  const mmOk = mm(fakeFetch({ [MM_SUB]: subscribed }));
  const mmVendorError = mm(fakeFetch({ [MM_SUB]: () => json(422, { error: "invalid email", code: "E_EMAIL" }) }));
  const mmNetwork = mm(() => Promise.reject(new TypeError("fetch failed")), { retries: 0 });
  const mmTimeout = mm(hangingFetch, { retries: 0, timeoutMs: 1 });
  let flip = 0;
  const mmRetry = mm(fakeFetch({ [MM_SUB]: () => (flip++ % 2 === 0 ? json(503, {}, { "retry-after": "0" }) : subscribed()) }));

  // LearnWorlds: token cache, access_denied → new token → retry once, single-flight, limiter.
  let lwTokens = 0;
  let denyNext = false;
  const lwRoutes = {
    [LW_TOKEN]: () => lwToken(++lwTokens),
    [LW_SSO]: () => {
      if (denyNext) {
        denyNext = false;
        return lwDenied();
      }
      return lwSso();
    },
  };
  const lw = (o = {}) =>
    new LearnWorlds({ schoolUrl: LW_SCHOOL, clientId: "lw-client", clientSecret: "lw-soak-secret", fetch: fakeFetch(lwRoutes), rateLimit: false, ...o });
  const lwOk = lw();
  const lwRefresh = lw();
  let lwClock = 1_700_000_000_000;
  const lwFlight = lw({ now: () => lwClock });
  const lwLimited = lw({ rateLimit: { requests: 20, perMs: 2 } });
  const ssoInput = { email: "ann@example.com", username: "ann" };

  // Teach on Mars: token, find-before-create, auth token.
  let tomN = 0;
  const tomRoutes = {
    "POST /oauth/token": () => json(200, { access_token: "tom-at", expires_in: 3600, token_type: "Bearer" }),
    [`GET ${TOM_LEARNERS}`]: () => json(200, { data: [], total: 0 }),
    [`POST ${TOM_LEARNERS}`]: (_u, init) => {
      const body = JSON.parse(init.body);
      return json(201, { identifier: `L${++tomN}`, login: body.login, status: "Active", metadata: {} });
    },
    "POST /api/learner-authorization/v1/learners/authToken": () => json(200, { authToken: "tom-auth-token" }),
  };
  const tom = new TeachOnMars({
    baseUrl: TOM,
    auth: { clientId: "tom-client", clientSecret: "tom-soak-secret", tokenUrl: `${TOM}/oauth/token` },
    fetch: fakeFetch(tomRoutes),
  });

  // AlphaLearn: login, and a session whose token is refreshed on every call.
  const alUser = {
    id: "101", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", mobile: "9876543210", uniqueId: "EMP-101",
    role: "Trainee", language: "en-US", timezone: "Asia/Kolkata", sessionToken: "sess-0123", companyId: "7", companyName: "Example Corp",
  };
  const alRoutes = {
    "POST /v3/authorize/login": () => json(200, alEnvelope({ user: alUser, token: jwt(2_000_000_000), "refresh-token": "rt-1" })),
    "POST /v3/authorize/refresh-token": () => json(200, alEnvelope({ status: "ok", token: jwt(2_000_000_000) })),
  };
  const al = new AlphaLearn({ baseUrl: AL_BASE, fetch: fakeFetch(alRoutes) });
  const session = new AlphaLearnSession(al, { token: jwt(2_000_000_000), refreshToken: "rt-1" });

  // Every other network method, one client per vendor, cycled call by call.
  const mmAll = mm(fakeFetch({
    [MM_SUB]: subscribed,
    "POST /api/access/control": () => json(200, { status: "blocked" }),
    "POST /api/integrations/lms/login-url": () => json(200, { login_url: "https://mm.example.com/login?t=one-time", expires_at: 2_000_000_000 }),
  }));
  const lwAll = new LearnWorlds({
    schoolUrl: LW_SCHOOL, clientId: "lw-client", clientSecret: "lw-soak-secret", rateLimit: false,
    fetch: fakeFetch({
      [LW_TOKEN]: () => json(200, { tokenData: { access_token: "lw-at", token_type: "Bearer", expires_in: 8000, refresh_token: "lw-rt" }, errors: [], success: true }),
      [LW_SSO]: lwSso,
      "POST /admin/api/user/sso": () => json(200, { success: true, url: `${LW_SCHOOL}/login?code=u` }),
    }),
  });
  const tomLearner = () => json(200, { identifier: "L1", login: "ann", status: "Active", metadata: {} });
  const tomAll = new TeachOnMars({
    baseUrl: TOM,
    auth: { clientId: "tom-client", clientSecret: "tom-soak-secret", tokenUrl: `${TOM}/oauth/token` },
    fetch: fakeFetch({
      ...tomRoutes,
      [`GET ${TOM_LEARNERS}`]: () => json(200, { data: [{ identifier: "L1", login: "ann", status: "Active", metadata: {} }], total: 1 }),
      [`PUT ${TOM_LEARNERS}/L1`]: tomLearner,
    }),
  });
  const alAll = new AlphaLearn({
    baseUrl: AL_BASE,
    fetch: fakeFetch({
      ...alRoutes,
      "POST /v3/authorize/third-party": alRoutes["POST /v3/authorize/login"],
      "POST /v3/authorize/forgot-password": () => json(200, alEnvelope({ token: "reset-token" })),
    }),
  });
  const every = (calls) => ({ run: (i) => calls[i % calls.length]() });

  return {
    "mm every method": every([
      () => mmAll.autoSubscribe(subscribe),
      () => mmAll.accessControl({ email: "ann@example.com", action: "block" }),
      () => mmAll.createLoginUrl({ email: "ann@example.com" }),
    ]),
    "lw every method": every([
      () => lwAll.getAppToken(),
      () => lwAll.sso({ userId: "u1" }),
      () => lwAll.userToken({ email: "ann@example.com", password: "pw-soak" }),
      () => lwAll.refreshUserToken("lw-rt"),
      () => lwAll.userSso("lw-user-at"),
    ]),
    "tom every method": every([
      () => tomAll.createLearner({ login: "ann" }),
      () => tomAll.updateLearner("L1", { firstname: "Ann" }),
      () => tomAll.searchLearners("ann"),
      () => tomAll.findLearnerByLogin("ann"),
      () => tomAll.getAuthToken("L1"),
      () => tomAll.signIn({ login: "ann" }, { update: true }),
    ]),
    "al every method": every([
      () => alAll.login({ email: "ada@example.com", password: "pw-soak" }),
      () => alAll.refreshToken("rt-1"),
      () => alAll.loginWithThirdParty({ provider: "google", token: "google-token" }),
      () => alAll.forgotPassword({ email: "ada@example.com" }),
    ]),
    "mm success": { run: () => mmOk.autoSubscribe(subscribe) },
    "mm vendor error": { run: () => expectCode(mmVendorError.autoSubscribe(subscribe), "HTTP_STATUS") },
    "mm network error": { run: () => expectCode(mmNetwork.autoSubscribe(subscribe), "NETWORK") },
    "mm timeout": { run: () => expectCode(mmTimeout.autoSubscribe(subscribe), "TIMEOUT"), concurrency: 200 },
    "mm retry (503, then 201)": { run: () => mmRetry.autoSubscribe(subscribe), concurrency: 1 },
    "lw sso (cached token)": { run: () => lwOk.sso(ssoInput) },
    "lw token refresh (access_denied, retry once)": {
      run: () => {
        denyNext = true;
        return lwRefresh.sso(ssoInput);
      },
      concurrency: 1,
    },
    "lw single-flight join (10 callers, token expired)": {
      run: async () => {
        lwClock += 10_000_000; // past the token's expiry: the 10 callers share one fetch
        const before = lwTokens;
        await Promise.all(Array.from({ length: 10 }, () => lwFlight.sso(ssoInput)));
        if (lwTokens !== before + 1) throw new Error(`expected one token fetch, saw ${lwTokens - before}`);
      },
      concurrency: 1,
      weight: 10,
    },
    "lw rate-limited wait (20 per 2 ms)": { run: () => lwLimited.sso(ssoInput), concurrency: 50 },
    "tom signIn (find, create, auth token)": { run: (i) => tom.signIn({ login: `learner-${i}` }) },
    "al login": { run: () => al.login({ email: "ada@example.com", password: "pw-soak" }) },
    "al session refresh + run (AUTH_FAILED → refresh once)": {
      run: async (i) => {
        await session.refresh();
        let refused = i % 2 === 1;
        await session.run(async (t) => {
          if (refused) {
            refused = false;
            throw Object.assign(new Error("refused"), { code: "AUTH_FAILED" });
          }
          return t;
        });
      },
      concurrency: 1,
    },
  };
}

/** Runs `scenario` `calls` times (a call of weight w counts w), `concurrency` at a time. */
export async function runScenario(scenario, calls, { concurrency = 50 } = {}) {
  const width = scenario.concurrency ?? concurrency;
  const rounds = Math.ceil(calls / (scenario.weight ?? 1));
  let next = 0;
  const worker = async () => {
    while (next < rounds) await scenario.run(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, rounds) }, worker));
}
