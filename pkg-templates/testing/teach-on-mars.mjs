// A Teach on Mars Mission Center mock (vendors/teach-on-mars.md): the client-credentials
// token endpoint, the v1 identity and learner-authorization routes, one legacy v3 route
// signed with X-TOM-* headers, a "mock app" landing page at /app/open, and a mock app
// shell at /app/shell?lms=<url> (the app's web view: it frames the LMS page and opens
// /app/open when that page posts it a deep link with openTeachOnMarsApp).
//
//   const server = await startMockServer();
//   const tom = installTeachOnMars(server, { instance: "main" });
//   new TeachOnMars({ baseUrl: server.origin, instance: "main",
//     auth: { clientId: tom.clientId, clientSecret: tom.clientSecret, tokenUrl: tom.tokenUrl } });
//
// It checks what the vendor checks: the exact urlencoded token form, the bearer token
// (unknown, revoked or expired → 401), Accept and Content-Type, body shapes (login,
// segment string arrays, PascalCase UserIdentifier), `instance` when configured. Learners
// are v1-shaped JSON (identifier, login, …, status "Active", metadata). State:
//   tom.learners (Map id → learner), tom.tokenRequests, tom.issuedTokens, tom.authTokens,
//   tom.revokeTokens(), tom.addStaticToken(t), tom.rejectAllTokens = true,
//   tom.raceNextCreate = true (the next create loses to a "concurrent" one → 409),
//   tom.addLearner({...}), tom.nextAuthToken = "…" (the next getAuthToken answer).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { esc, landingPage } from "./landing.mjs";

const LEARNERS = "/api/identities/v1/learners";
const AUTH_TOKEN = "/api/learner-authorization/v1/learners/authToken";
const LEARNER_FIELDS = ["login", "firstname", "lastname", "email", "password", "segment", "lang"];

/** A v3 error envelope (the documented ToM error format). */
export function v3Error(status, msg) {
  return { status, json: { meta: { status, msg, timestamp: Math.floor(Date.now() / 1000), err: 0, errno: 0 }, response: {} } };
}


/** The mock app URL (on `server`) that stands in for a `…://globals.login?…` deep link. */
export function mockAppUrl(server, deepLink) {
  const query = deepLink.slice(deepLink.indexOf("?"));
  return `${server.origin}/app/open${query}`;
}

export function installTeachOnMars(server, opts = {}) {
  const state = {
    clientId: opts.clientId ?? "tom-client-id",
    clientSecret: opts.clientSecret ?? "tom-client-s3cret+/=&",
    tokenPath: opts.tokenPath ?? "/oauth/token",
    expiresIn: opts.expiresIn ?? 3600,
    instance: opts.instance,
    searchShape: opts.searchShape ?? "data", // "array" | "data" | "list" | "envelope"
    learners: new Map(),
    /** login → learners created for it (201s): exactly-once checks read this. */
    created: new Map(),
    issuedTokens: new Map(), // token → { expiresAt (ms, or Infinity), revoked }
    tokenRequests: 0,
    authTokens: new Map(), // authToken → identifier
    rejectAllTokens: false,
    raceNextCreate: false,
    nextAuthToken: undefined,
    legacy: opts.legacy ?? { apiKey: "tom-api-key", apiSecret: "s3cr3t-api-secret", app: "com.example.tom" },
    get tokenUrl() {
      return `${server.origin}${this.tokenPath}`;
    },
    addLearner(fields) {
      const now = new Date().toISOString();
      const learner = {
        identifier: fields.identifier ?? randomUUID(),
        login: fields.login,
        email: fields.email ?? null,
        firstname: fields.firstname ?? null,
        lastname: fields.lastname ?? null,
        lang: fields.lang ?? "en-GB",
        status: fields.status ?? "Active",
        metadata: fields.segment ?? fields.metadata ?? {},
        creationDate: now,
        lastUpdateDate: now,
      };
      state.learners.set(learner.identifier, learner);
      return learner;
    },
    addStaticToken(token) {
      state.issuedTokens.set(token, { expiresAt: Infinity, revoked: false });
    },
    revokeTokens() {
      for (const t of state.issuedTokens.values()) t.revoked = true;
    },
  };

  // ---- token endpoint ----
  server.route("POST", state.tokenPath, (req) => {
    state.tokenRequests++;
    if (!/^application\/x-www-form-urlencoded\b/.test(req.headers["content-type"] ?? "")) {
      return { status: 400, json: { error: "invalid_request", error_description: "form body expected" } };
    }
    const form = new URLSearchParams(req.body);
    const keys = [...form.keys()];
    if (keys.join(",") !== "grant_type,client_id,client_secret") {
      return { status: 400, json: { error: "invalid_request", error_description: `unexpected fields ${keys}` } };
    }
    if (form.get("grant_type") !== "client_credentials") {
      return { status: 400, json: { error: "unsupported_grant_type" } };
    }
    if (form.get("client_id") !== state.clientId || form.get("client_secret") !== state.clientSecret) {
      return { status: 401, json: { error: "invalid_client", error_description: "Client authentication failed" } };
    }
    const token = `tom_at_${state.tokenRequests}_${randomBytes(12).toString("base64url")}`;
    state.issuedTokens.set(token, { expiresAt: Date.now() + state.expiresIn * 1000, revoked: false });
    return { status: 200, json: { access_token: token, expires_in: state.expiresIn, token_type: "Bearer", scope: "client_access" } };
  });

  // ---- shared checks of the v1 routes ----
  const denied = (req, { jsonBody }) => {
    const auth = req.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const issued = token && state.issuedTokens.get(token);
    if (state.rejectAllTokens || !issued || issued.revoked || issued.expiresAt <= Date.now()) {
      return { status: 401, json: { code: "invalid_token", message: "The access token is invalid or has expired" } };
    }
    if (!(req.headers.accept ?? "").includes("application/json")) {
      return { status: 406, json: { code: "NOT_ACCEPTABLE", message: "Accept: application/json required" } };
    }
    if (state.instance !== undefined && req.query.instance !== state.instance) {
      return v3Error(403, "INSTANCE_FORBIDDEN");
    }
    if (jsonBody) {
      if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) return v3Error(415, "UNSUPPORTED_MEDIA_TYPE");
      try {
        req.json = JSON.parse(req.body);
      } catch {
        return v3Error(400, "LEARNER_PARAMS_INVALID");
      }
      if (typeof req.json !== "object" || req.json === null || Array.isArray(req.json)) return v3Error(400, "LEARNER_PARAMS_INVALID");
    } else if (req.body !== "") {
      return v3Error(400, "UNEXPECTED_BODY");
    }
    return undefined;
  };

  const badLearnerFields = (body) => {
    for (const [k, v] of Object.entries(body)) {
      if (!LEARNER_FIELDS.includes(k)) return true;
      if (k === "segment") {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return true;
        if (!Object.values(v).every((a) => Array.isArray(a) && a.every((s) => typeof s === "string"))) return true;
      } else if (typeof v !== "string") return true;
    }
    return false;
  };

  const publicLearner = (l) => ({ ...l });

  // ---- createLearner ----
  server.route("POST", LEARNERS, (req) => {
    const no = denied(req, { jsonBody: true });
    if (no) return no;
    const body = req.json;
    if (typeof body.login !== "string" || body.login === "") return v3Error(400, "LEARNER_PARAM_NICKNAME_MISSING");
    if (badLearnerFields(body)) return v3Error(400, "LEARNER_PARAMS_INVALID");
    if (state.raceNextCreate) {
      // A concurrent request created the same learner first.
      state.raceNextCreate = false;
      state.addLearner({ login: body.login, firstname: body.firstname, lastname: body.lastname, email: body.email });
    }
    if ([...state.learners.values()].some((l) => l.login === body.login)) {
      return v3Error(409, "LEARNER_PARAM_LOGIN_ALREADY_EXISTS");
    }
    const learner = state.addLearner(body);
    state.created.set(body.login, (state.created.get(body.login) ?? 0) + 1);
    return { status: 201, json: publicLearner(learner) };
  });

  // ---- searchLearners (fuzzy, like the vendor's search) ----
  server.route("GET", LEARNERS, (req) => {
    const no = denied(req, { jsonBody: false });
    if (no) return no;
    const q = (req.query.search ?? "").toLowerCase();
    const hits = [...state.learners.values()]
      .filter((l) => [l.login, l.email, l.firstname, l.lastname].some((v) => (v ?? "").toLowerCase().includes(q)))
      .map(publicLearner);
    switch (state.searchShape) {
      case "array": return { status: 200, json: hits };
      case "list": return { status: 200, json: { list: hits, total: hits.length } };
      case "envelope": return { status: 200, json: { meta: { status: 200, msg: "OK", timestamp: Math.floor(Date.now() / 1000), err: 0, errno: 0 }, response: { list: hits } } };
      default: return { status: 200, json: { data: hits, total: hits.length, page: 1, perPage: 50 } };
    }
  });

  // ---- updateLearner: PUT /api/identities/v1/learners/{identifier} ----
  server.route("PUT", "*", (req) => {
    if (!req.path.startsWith(`${LEARNERS}/`)) return undefined;
    const no = denied(req, { jsonBody: true });
    if (no) return no;
    const id = decodeURIComponent(req.path.slice(LEARNERS.length + 1));
    const learner = state.learners.get(id);
    if (!learner) return { status: 404, json: { code: "LEARNER_NOT_FOUND", message: "Learner not found" } };
    const patch = req.json;
    if (Object.keys(patch).length === 0 || badLearnerFields(patch)) return v3Error(400, "LEARNER_PARAMS_INVALID");
    if (patch.login !== undefined && patch.login !== learner.login && [...state.learners.values()].some((l) => l.login === patch.login)) {
      return v3Error(409, "LEARNER_PARAM_LOGIN_ALREADY_EXISTS");
    }
    for (const [k, v] of Object.entries(patch)) {
      if (k === "segment") learner.metadata = { ...learner.metadata, ...v };
      else if (k !== "password") learner[k] = v;
    }
    learner.lastUpdateDate = new Date().toISOString();
    return { status: 200, json: publicLearner(learner) };
  });

  // ---- getAuthToken ----
  server.route("POST", AUTH_TOKEN, (req) => {
    const no = denied(req, { jsonBody: true });
    if (no) return no;
    const keys = Object.keys(req.json);
    if (keys.length !== 1 || keys[0] !== "UserIdentifier" || typeof req.json.UserIdentifier !== "string") {
      return v3Error(400, "LEARNER_PARAMS_INVALID");
    }
    const id = req.json.UserIdentifier;
    if (!state.learners.has(id)) return { status: 404, json: { code: "LEARNER_NOT_FOUND", message: "Learner not found" } };
    const authToken = state.nextAuthToken ?? randomBytes(33).toString("base64");
    state.nextAuthToken = undefined;
    state.authTokens.set(authToken, id);
    return { status: 200, json: { authToken } };
  });

  // ---- a legacy v3 route signed with X-TOM-* headers ----
  server.route("GET", "/api/v3/learner", (req) => {
    const h = req.headers;
    const { apiKey, apiSecret, app } = state.legacy;
    const inner = createHash("md5").update(req.url.replace(/^http:\/\/[^/]+/, server.origin)).digest("hex");
    const hash = createHash("sha256").update(apiSecret + h["x-tom-rts"] + app + inner + h["x-tom-nonce"]).digest("hex");
    const ok = h["x-tom-api-key"] === apiKey && h["x-tom-app"] === app && h["x-tom-api-hash"] === hash &&
      /^[A-Za-z0-9]{1,128}$/.test(h["x-tom-nonce"] ?? "") && Math.abs(Number(h["x-tom-rts"]) - Date.now() / 1000) < 300;
    if (!ok) return v3Error(401, "API_HASH_INVALID");
    const list = [...state.learners.values()].map((l) => ({ learnerId: l.identifier, login: l.login, status: "A", lang: "en" }));
    return { status: 200, json: { meta: { status: 200, msg: "OK", timestamp: Math.floor(Date.now() / 1000), err: 0, errno: 0 }, response: { list } } };
  });

  // ---- the "mock app": what the deep link would open ----
  server.route("GET", "/app/open", (req) => {
    const token = req.query.authToken ?? "";
    const id = state.authTokens.get(token);
    const learner = id && state.learners.get(id);
    const via = req.query.via === "postMessage" ? "postMessage" : "link";
    const html = landingPage({
      vendor: "teach-on-mars",
      title: "Teach on Mars (mock app)",
      heading: "Teach on Mars <small>(mock app)</small>",
      intro: `<p id="learner">${learner ? `Logged in as <strong>${esc(learner.login)}</strong>` : "Unknown or missing token: not logged in"}</p>`,
      facts: [
        ["Auth token received", `<code id="auth-token">${esc(token)}</code>`],
        ["profileCreation", `<code id="profile-creation">${esc(req.query.profileCreation ?? "")}</code>`],
        ["Name", `<span id="name">${learner ? esc([learner.firstname, learner.lastname].filter(Boolean).join(" ")) : ""}</span>`],
        ["Handed over by", `<span id="via">${via === "postMessage" ? "openTeachOnMarsApp → window.top.postMessage" : "deep link"}</span>`],
      ],
      how: [
        "Your LMS's server got an API token (<code>POST /oauth/token</code>, client credentials), found or created you as a learner (<code>/api/identities/v1/learners</code>) and asked for an auth token (<code>POST /api/learner-authorization/v1/learners/authToken</code>).",
        "It built the deep link <code>com.teachonmars://globals.login?authToken=…</code>.",
        via === "postMessage"
          ? "The LMS page, framed by the app, passed that link to the app with <code>openTeachOnMarsApp(deepLink, { targetOrigin })</code>; the app read <code>authToken</code> from it."
          : "The app was opened with that link and read <code>authToken</code> from it.",
      ],
    });
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body: html };
  });

  // ---- the "mock app shell": the app's web view framing the LMS page ----
  server.route("GET", "/app/shell", (req) => {
    let lms;
    try {
      lms = new URL(req.query.lms ?? "");
    } catch {
      lms = undefined;
    }
    if (!lms || !/^https?:$/.test(lms.protocol)) return { status: 400, headers: { "content-type": "text/plain" }, body: "lms must be an http(s) URL" };
    const script = `const lms = new URL(document.getElementById("lms").src);
const status = document.getElementById("status");
addEventListener("message", (e) => {
  if (e.origin !== lms.origin || typeof e.data !== "string") return;
  const q = e.data.indexOf("?");
  if (!/^[a-z][a-z0-9+.-]*:\\/\\/globals\\.login\\?/i.test(e.data) || q < 0) { status.textContent = "Ignored a message that is not a login deep link."; return; }
  status.textContent = "Deep link received: opening the app.";
  location.assign("/app/open" + e.data.slice(q) + "&via=postMessage");
});`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Teach on Mars (mock app shell)</title><link rel="icon" href="data:,">
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f6f6f4}header{background:#a23b00;color:#fff;padding:.6rem 1.5rem}header p{margin:0}
iframe{display:block;width:100%;height:calc(100vh - 5.5rem);border:0;border-top:4px solid #a23b00;background:#fff}#status{margin:0;padding:.3rem 1.5rem;min-height:1.5em}</style></head>
<body><header><p><strong>Teach on Mars</strong> (mock app): this frame stands in for the app's web view around your LMS page.</p></header>
<p id="status" role="status">Waiting for the LMS page to hand over a deep link…</p>
<iframe id="lms" title="Your LMS page, inside the app" src="${esc(lms.href)}"></iframe>
<script>${script}</script></body></html>`;
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body: html };
  });

  return state;
}
