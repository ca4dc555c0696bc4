// A LearnWorlds school on the mock server (vendor file: vendors/learnworlds.md). It checks
// what the real one checks: `Lw-Client` on every API call, the form body with one field
// `data` holding JSON (plain JSON is refused with 400 "Invalid object ID"), bearer tokens
// (unknown or expired → HTTP 400 `access_denied`), the 30-requests-per-10-s limit (429),
// and it serves the landing page of the SSO URLs it returns (`/login?code=…`).
//
//   const server = await startMockServer();
//   const school = installLearnWorlds(server, { clientId: "cid", clientSecret: "sec" });
//   new LearnWorlds({ schoolUrl: server.origin, clientId: "cid", clientSecret: "sec" });
//   school.tokenRequests, school.users, school.expireAppTokens(), …
import crypto from "node:crypto";
import { esc, landingPage } from "./landing.mjs";

const API = "/admin/api";
const denied = { errors: [{ code: 400, context: "access_denied", message: "The resource owner or authorization server denied the request." }], success: false };
const fail = (status, context, message, code = status) => ({ status, json: { errors: [{ code, context, message }], success: false } });

/**
 * Installs the school's routes. Options:
 * - clientId, clientSecret: the API client (defaults "lw-client", "lw-secret").
 * - expiresIn: app/user token lifetime in seconds (default 8000, as in the vendor's example).
 * - now: the school's clock in Unix ms (default Date.now), so tests can expire tokens.
 * - rateLimit: { requests, perMs } enforced with 429 (default the real 30 per 10 s), or false.
 * - users: [{ id?, email, username, password?, avatar? }] existing accounts.
 * - origin: the origin put into SSO URLs (default server.origin).
 * Returns the school's state (see the fields at the end).
 */
export function installLearnWorlds(server, opts = {}) {
  const clientId = opts.clientId ?? "lw-client";
  const clientSecret = opts.clientSecret ?? "lw-secret";
  const expiresIn = opts.expiresIn ?? 8000;
  const now = opts.now ?? Date.now;
  const limit = opts.rateLimit === undefined ? { requests: 30, perMs: 10_000 } : opts.rateLimit;
  const origin = () => opts.origin ?? server.origin;
  const state = {
    clientId,
    clientSecret,
    users: new Map(), // id → { id, email, username, password?, avatar? }
    appTokens: new Map(), // token → expiresAt (ms)
    userTokens: new Map(), // token → { userId, expiresAt }
    refreshTokens: new Map(), // refresh token → userId
    codes: new Map(), // code → { userId, redirectUrl, used }
    tokenRequests: 0,
    apiRequests: [], // { route, at, data } for every API call that reached the school
    rateLimited: 0,
    /** Makes every app token issued so far refused (as after expiry). */
    expireAppTokens() {
      state.appTokens.clear();
    },
    /** Makes every user token refused. */
    expireUserTokens() {
      state.userTokens.clear();
    },
    /** Adds a user; returns it. */
    addUser(u) {
      const user = { id: u.id ?? crypto.randomBytes(12).toString("hex"), ...u };
      state.users.set(user.id, user);
      return user;
    },
    findByEmail(email) {
      for (const u of state.users.values()) if (u.email.toLowerCase() === String(email).toLowerCase()) return u;
      return undefined;
    },
  };
  for (const u of opts.users ?? []) state.addUser(u);

  const sent = [];
  /** The checks every API call goes through; returns an error answer or the parsed data. */
  function api(req, route) {
    const t = Date.now();
    if (limit) {
      while (sent.length && sent[0] <= t - limit.perMs) sent.shift();
      if (sent.length >= limit.requests) {
        state.rateLimited++;
        return { error: { status: 429, json: { error: "Too many requests" } } };
      }
      sent.push(t);
    }
    if (req.headers["lw-client"] === undefined) return { error: fail(400, "client", "Missing Lw-Client header") };
    if (req.headers["lw-client"] !== clientId) return { error: fail(400, "client_id", "Client authentication failed") };
    const type = String(req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") return { error: fail(400, null, "Invalid object ID") };
    const form = new URLSearchParams(req.body);
    const keys = [...form.keys()];
    if (keys.length !== 1 || keys[0] !== "data") return { error: fail(400, null, "Invalid object ID") };
    let data;
    try {
      data = JSON.parse(form.get("data"));
    } catch {
      return { error: fail(400, null, "Invalid object ID") };
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) return { error: fail(400, null, "Invalid object ID") };
    state.apiRequests.push({ route, at: t, data });
    return { data };
  }

  const bearer = (req) => /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const issue = () => crypto.randomBytes(20).toString("hex");
  const tokenData = (access, refresh) => ({
    tokenData: { access_token: access, token_type: "Bearer", expires_in: expiresIn, ...(refresh ? { refresh_token: refresh } : {}) },
    errors: [],
    success: true,
  });
  const userGrant = (userId) => {
    const access = issue();
    const refresh = issue();
    state.userTokens.set(access, { userId, expiresAt: now() + expiresIn * 1000 });
    state.refreshTokens.set(refresh, userId);
    return { status: 200, json: tokenData(access, refresh) };
  };
  const loginUrl = (userId, redirectUrl) => {
    const code = crypto.randomBytes(16).toString("hex");
    state.codes.set(code, { userId, redirectUrl, used: false });
    return `${origin()}/login?code=${code}`;
  };
  const absoluteHttp = (u) => typeof u === "string" && /^https?:\/\//i.test(u);

  server.route("POST", `${API}/oauth2/access_token`, (req) => {
    const { error, data } = api(req, "token");
    if (error) return error;
    state.tokenRequests++;
    const keys = Object.keys(data);
    if (keys[0] !== "client_id" || keys[1] !== "client_secret" || keys[2] !== "grant_type") {
      return fail(400, "invalid_request", "The request is missing a required parameter");
    }
    if (data.client_id !== clientId || data.client_secret !== clientSecret) return fail(400, "client_id", "Client authentication failed");
    switch (data.grant_type) {
      case "client_credentials": {
        const access = issue();
        state.appTokens.set(access, now() + expiresIn * 1000);
        return { status: 200, json: tokenData(access) };
      }
      case "password": {
        const user = state.findByEmail(data.email);
        if (!user || user.password === undefined || user.password !== data.password) {
          return fail(400, "invalid_credentials", "The user credentials were incorrect.");
        }
        return userGrant(user.id);
      }
      case "refresh_token": {
        const userId = state.refreshTokens.get(data.refresh_token);
        if (userId === undefined) return fail(400, "invalid_request", "The refresh token is invalid.");
        state.refreshTokens.delete(data.refresh_token);
        return userGrant(userId);
      }
      default:
        return fail(400, "unsupported_grant_type", "The authorization grant type is not supported.");
    }
  });

  server.route("POST", `${API}/sso`, (req) => {
    const { error, data } = api(req, "sso");
    if (error) return error;
    const token = bearer(req);
    const exp = token === undefined ? undefined : state.appTokens.get(token);
    if (exp === undefined || exp <= now()) return { status: 400, json: denied };
    if (data.redirectUrl !== undefined && !absoluteHttp(data.redirectUrl)) return fail(400, "redirectUrl", "Invalid redirect url");
    let user;
    if (data.user_id !== undefined) {
      user = state.users.get(String(data.user_id));
      if (!user) return fail(404, "user_id", "User not found");
    } else if (typeof data.email === "string" && data.email.includes("@")) {
      user = state.findByEmail(data.email);
      if (!user) {
        if (typeof data.username !== "string" || data.username === "") return fail(400, "username", "The username field is required.");
        user = state.addUser({ email: data.email, username: data.username, avatar: data.avatar });
        user.created = true;
      } else {
        if (data.username) user.username = data.username;
        if (data.avatar) user.avatar = data.avatar;
      }
    } else {
      return fail(400, "email", "The email field is required.");
    }
    return { status: 200, json: { success: true, url: loginUrl(user.id, data.redirectUrl), user_id: user.id } };
  });

  server.route("POST", `${API}/user/sso`, (req) => {
    const { error, data } = api(req, "user/sso");
    if (error) return error;
    const token = bearer(req);
    const t = token === undefined ? undefined : state.userTokens.get(token);
    if (t === undefined || t.expiresAt <= now()) return { status: 400, json: denied };
    if (data.redirectUrl !== undefined && !absoluteHttp(data.redirectUrl)) return fail(400, "redirectUrl", "Invalid redirect url");
    return { status: 200, json: { success: true, url: loginUrl(t.userId, data.redirectUrl) } };
  });

  // The landing page of an SSO URL: one use per code.
  server.route("GET", "/login", (req) => {
    const entry = state.codes.get(req.query.code ?? "");
    const page = (status, title, body) => ({
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      body: `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1>${body}`,
    });
    if (!entry || entry.used) return page(403, "Login link invalid or already used", "<p>Ask for a new link.</p>");
    entry.used = true;
    const user = state.users.get(entry.userId);
    const next = entry.redirectUrl ? `<p>Continue to <a id="next" href="${esc(entry.redirectUrl)}">${esc(entry.redirectUrl)}</a></p>` : "";
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      body: landingPage({
        vendor: "learnworlds",
        title: "Welcome to the mock school",
        heading: "Welcome to the mock school",
        intro: `<p id="who">Logged in as ${esc(user?.email ?? "?")}</p><p id="uid">User id: ${esc(entry.userId)}</p>${next}`,
        facts: [
          ["Username", `<span id="username">${esc(user?.username ?? "")}</span>`],
          ["Account", `<span id="account">${user?.created ? "created by the SSO call" : "already existed"}</span>`],
          ["Signed in with", "single sign-on (one-time code)"],
        ],
        how: [
          "Your LMS's server asked the school for an app token: <code>POST /admin/api/oauth2/access_token</code> (client credentials, <code>Lw-Client</code> header).",
          "With it, the server called <code>POST /admin/api/sso</code> with your e-mail and username; the school answered a one-time login URL.",
          "Your browser was sent to that URL (<code>GET /login?code=…</code>); the code is now spent and cannot log anyone in again.",
        ],
      }),
    };
  });

  return state;
}

/** Headers LearnWorlds would send with a webhook: a static `v1=<value>` or an HMAC-SHA256 hex. */
export function learnWorldsWebhookHeaders(body, { signature, mode = "static" }) {
  const value = mode === "static"
    ? (signature.startsWith("v1=") ? signature : `v1=${signature}`)
    : `v1=${crypto.createHmac("sha256", signature).update(body).digest("hex")}`;
  return { "content-type": "application/json", "learnworlds-webhook-signature": value };
}
