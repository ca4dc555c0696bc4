// AlphaLearn mock for tests and the demo: the four /authorize routes under `basePath`
// (default "/v3") with the documented envelope, every documented error code inside HTTP
// 200, numbers as strings on request, a bearer-protected `GET {basePath}/users/me`, and the
// customer's LMS domain route `POST /site/login-by-jwt-token` answering an HTML landing page.
//
//   const server = await startMockServer();
//   const al = installAlphaLearn(server, { now: () => clock });
//   new AlphaLearn({ baseUrl: al.baseUrl, domain: al.domain });
//
// It checks what AlphaLearn checks: POST, JSON content type, a JSON body of the documented
// shape; header or shape violations are recorded in `state.violations` and answered 400.
import crypto from "node:crypto";
import { esc, landingPage } from "./landing.mjs";

/** The documented success envelope around `payload`. */
export function envelope(payload) {
  return {
    success: true,
    data: {
      response: {
        acknowledgement: "Success",
        data: payload,
        error: { code: "", internal_message: "", moreInfo: [] },
      },
    },
  };
}

/** An error envelope (inside HTTP 200 unless `status` is given); `code` as given (string or number). */
export function alphaError(code, { status = 200, internalMessage = "", moreInfo = [], success = false } = {}) {
  return {
    status,
    json: {
      success,
      data: {
        response: {
          acknowledgement: "Failure",
          data: {},
          error: { code, internal_message: internalMessage, moreInfo },
        },
      },
    },
  };
}

/** The documented meanings of the error codes (vendor file §3). */
export const ERROR_MEANINGS = {
  1001: "Missing email", 1002: "Invalid email", 1003: "Missing password", 1004: "Invalid password",
  1005: "Missing domain", 1006: "Invalid domain", 1016: "Missing refreshToken",
  1017: "Invalid refreshToken", 1028: "Missing provider", 1029: "Invalid provider",
  1030: "Missing thirdPartyData", 1031: "Invalid thirdPartyData",
};

const b64url = (s) => Buffer.from(s).toString("base64url");

export function installAlphaLearn(server, opts = {}) {
  const basePath = opts.basePath ?? "/v3";
  const now = opts.now ?? Date.now;
  const lifetimeMs = opts.tokenLifetimeMs ?? 60 * 60_000;
  const numbersAsStrings = opts.numbersAsStrings ?? true;
  const host = new URL(server.origin).host;
  const users = opts.users ?? [
    {
      id: 101, email: "ada@example.com", password: "s3cret-Pa55!", domains: [host, "lms.example.com"],
      firstName: "Ada", lastName: "Lovelace", mobile: "9876543210", uniqueId: "EMP-101", role: "Trainee",
      language: "en-US", timezone: "Asia/Kolkata", sessionToken: "sess-0123456789abcdef",
      companyId: 7, companyName: "Example Corp", googleToken: "google-id-token-ada",
    },
  ];
  const state = {
    baseUrl: `${server.origin}${basePath}`,
    /** The LMS domain of this mock: the loopback host (the form builder gives it http://). */
    domain: host,
    users,
    violations: [],
    tokens: new Map(), // JWT → { email, exp }
    refreshTokens: new Map(), // refresh token → email
    resetTokens: new Map(), // reset token → { email, sendEmailNotification, overrideEmailUrl }
    emailsSent: [],
    landings: [], // what /site/login-by-jwt-token received
    refreshDelayMs: opts.refreshDelayMs ?? 0,
    /** Issues a JWT for `email` expiring `lifetimeMs` from the mock clock. */
    issueToken(email, lifetime = lifetimeMs) {
      const iat = Math.floor(now() / 1000);
      const exp = Math.floor((now() + lifetime) / 1000);
      const jti = crypto.randomBytes(6).toString("hex");
      const token = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(
        JSON.stringify({ sub: email, iat, exp, jti }),
      )}.${crypto.randomBytes(16).toString("base64url")}`;
      state.tokens.set(token, { email, exp: exp * 1000 });
      return token;
    },
    issueRefreshToken(email) {
      const rt = `rt-${crypto.randomBytes(18).toString("hex")}`;
      state.refreshTokens.set(rt, email);
      return rt;
    },
    revokeToken(token) {
      state.tokens.delete(token);
    },
    revokeRefreshToken(rt) {
      state.refreshTokens.delete(rt);
    },
    /** Whether a JWT is known and unexpired at the mock clock. */
    isValid(token) {
      const t = state.tokens.get(token);
      return Boolean(t && t.exp > now());
    },
  };

  const num = (n) => (numbersAsStrings ? String(n) : n);
  const wireUser = (u) => ({
    id: num(u.id), firstName: u.firstName, lastName: u.lastName, email: u.email, mobile: u.mobile,
    uniqueId: u.uniqueId, role: u.role, language: u.language, timezone: u.timezone,
    sessionToken: u.sessionToken, companyId: num(u.companyId), companyName: u.companyName,
  });
  const fail = (code) => alphaError(numbersAsStrings ? String(code) : code, { internalMessage: ERROR_MEANINGS[code] });
  const emailOk = (e) => typeof e === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e);

  /** Checks method, headers and JSON; returns the body or an answer to send. */
  function readJson(req, allowedKeys) {
    const violation = (why) => {
      state.violations.push({ path: req.path, why });
      return { answer: { status: 400, headers: { "content-type": "text/plain" }, body: `bad request: ${why}` } };
    };
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) return violation("content-type");
    if (req.headers.accept !== "application/json") return violation("accept");
    if (req.headers.authorization !== undefined) return violation("authorization on an authorize route");
    let body;
    try {
      body = JSON.parse(req.body);
    } catch {
      return violation("body is not JSON");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) return violation("body is not an object");
    const extra = Object.keys(body).filter((k) => !allowedKeys.includes(k));
    if (extra.length) return violation(`unexpected keys ${extra.join(",")}`);
    if (Object.values(body).some((v) => v === null)) return violation("null value");
    return { body };
  }

  function userFor(email, domain) {
    const u = users.find((x) => x.email === email);
    if (!u) return { code: 1002 };
    if (domain !== undefined && !u.domains.includes(domain)) return { code: 1006 };
    return { user: u };
  }

  const loginAnswer = (u) =>
    ({ status: 200, json: envelope({ user: wireUser(u), token: state.issueToken(u.email), "refresh-token": state.issueRefreshToken(u.email) }) });

  server.route("POST", `${basePath}/authorize/login`, (req) => {
    const { body, answer } = readJson(req, ["email", "password", "domain"]);
    if (answer) return answer;
    if (!body.email) return fail(1001);
    if (!emailOk(body.email)) return fail(1002);
    if (!body.password) return fail(1003);
    if (body.domain === "") return fail(1005);
    const { user, code } = userFor(body.email, body.domain);
    if (code) return fail(code);
    if (user.password !== body.password) return fail(1004);
    return loginAnswer(user);
  });

  server.route("POST", `${basePath}/authorize/refresh-token`, async (req) => {
    const { body, answer } = readJson(req, ["refreshToken"]);
    if (answer) return answer;
    if (state.refreshDelayMs) await new Promise((r) => setTimeout(r, state.refreshDelayMs));
    if (!body.refreshToken) return fail(1016);
    const email = state.refreshTokens.get(body.refreshToken);
    if (!email) return fail(1017);
    return { status: 200, json: envelope({ status: "ok", token: state.issueToken(email) }) };
  });

  server.route("POST", `${basePath}/authorize/third-party`, (req) => {
    const { body, answer } = readJson(req, ["provider", "thirdPartyData"]);
    if (answer) return answer;
    if (body.provider === undefined) return fail(1028);
    if (body.provider !== 1) return fail(1029);
    const data = body.thirdPartyData;
    if (data === undefined || typeof data !== "object" || Array.isArray(data) || Object.keys(data).join() !== "token") return fail(1030);
    const user = users.find((u) => u.googleToken === data.token);
    if (!user) return fail(1031);
    return loginAnswer(user);
  });

  server.route("POST", `${basePath}/authorize/forgot-password`, (req) => {
    const { body, answer } = readJson(req, ["email", "domain", "sendEmailNotification", "overrideEmailUrl"]);
    if (answer) return answer;
    if (!body.email) return fail(1001);
    if (!emailOk(body.email)) return fail(1002);
    if (body.domain === "") return fail(1005);
    if (![1, 2].includes(body.sendEmailNotification)) {
      state.violations.push({ path: req.path, why: "sendEmailNotification must be 1 or 2" });
      return { status: 400, body: "bad sendEmailNotification" };
    }
    const { user, code } = userFor(body.email, body.domain);
    if (code) return fail(code);
    const token = `reset-${crypto.randomBytes(16).toString("hex")}`;
    state.resetTokens.set(token, { email: user.email, ...body });
    if (body.sendEmailNotification === 1) {
      const link = (body.overrideEmailUrl ?? `https://${user.domains[0]}/site/reset-password?token={token}`).replaceAll("{token}", token);
      state.emailsSent.push({ to: user.email, link });
    }
    return { status: 200, json: envelope({ token }) };
  });

  // Another AlphaLearn API: `Authorization: Bearer <JWT>` (DOCUMENTED for the other routes).
  server.route("GET", `${basePath}/users/me`, (req) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (!m || !state.isValid(m[1])) return { status: 401, json: { success: false, message: "Unauthorized" } };
    const u = users.find((x) => x.email === state.tokens.get(m[1]).email);
    return { status: 200, json: envelope({ user: wireUser(u) }) };
  });

  // The customer's LMS domain: the browser hand-off lands here.
  server.route("POST", "/site/login-by-jwt-token", (req) => {
    const fields = Object.fromEntries(new URLSearchParams(req.body));
    const received = {
      contentType: req.headers["content-type"],
      fields,
      fieldNames: [...new URLSearchParams(req.body).keys()],
    };
    state.landings.push(received);
    const known = state.tokens.get(fields.token);
    const typeName = { 1: "admin", 2: "trainee" }[fields.type] ?? "unknown";
    let enrollmentId = "";
    try {
      enrollmentId = String(JSON.parse(fields.inputData).enrollmentId);
    } catch {
      enrollmentId = "(unreadable inputData)";
    }
    const user = known ? users.find((u) => u.email === known.email) : undefined;
    const html = landingPage({
      vendor: "alphalearn",
      title: "AlphaLearn course",
      heading: "Welcome to your course",
      intro: `<p>Signed in as <span id="who">${esc(known ? known.email : "an unknown token")}</span></p>`,
      facts: [
        ["Name", `<span id="name">${esc(user ? `${user.firstName} ${user.lastName}` : "")}</span>`],
        ["Token type", `<span id="type">${esc(fields.type ?? "")} (${typeName})</span>`],
        ["Enrollment id", `<span id="enrollment">${esc(enrollmentId)}</span>`],
        ["JWT", `<span id="jwt-status">${known ? (state.isValid(fields.token) ? "valid" : "expired") : "unknown"}</span>`],
        ["Fields received", `<span id="fields">${esc(received.fieldNames.join(", "))}</span>`],
        ["Content-Type", `<code id="content-type">${esc(received.contentType ?? "")}</code>`],
      ],
      how: [
        "Your LMS's server logged in to the AlphaLearn API (<code>POST /v3/authorize/login</code>) and received a JWT.",
        "Your browser posted a form to this domain: <code>POST /site/login-by-jwt-token</code> with <code>token</code>, <code>type</code> and <code>inputData</code>.",
        "The course opened for the enrollment named in <code>inputData</code>.",
      ],
    });
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body: html };
  });

  return state;
}
