// lms-bridge on a plain node:http server (no framework).
//
//   POST /miles/progress              Miles Masterclass progress callback (raw body, verified)
//   GET  /sso/learnworlds             signed-in user → LearnWorlds SSO → 302 to the school
//   GET  /learnworlds/sso-entry       LearnWorlds "custom SSO" entry (?action=…&redirectUrl=…)
//
// Start: node examples/node-server/server.mjs   (configuration: see README.md next to this file)
import http from "node:http";
import { LearnWorlds, MilesMasterclass, isLmsBridgeError } from "lms-bridge";

const env = process.env;
const MAX_BODY = 1024 * 1024; // callbacks are small; refuse anything larger before reading it all

// ---- configuration (fail at start, not on the first request) ----
function required(name) {
  const v = env[name];
  if (!v) {
    console.error(`missing environment variable ${name} (see examples/node-server/README.md)`);
    process.exit(1);
  }
  return v;
}

const mm = new MilesMasterclass({
  baseUrl: env.MM_BASE_URL ?? "https://test-masterclass.milesmasterclass.com/api",
  apiKey: env.MM_API_KEY ?? "unused-by-callbacks", // outbound calls only; callbacks use callback.secret
  callback: { secret: required("MM_CALLBACK_SECRET") },
});

const schoolUrl = required("LW_SCHOOL_URL");
const lw = new LearnWorlds({
  schoolUrl,
  clientId: required("LW_CLIENT_ID"),
  clientSecret: required("LW_CLIENT_SECRET"),
});
// Where LearnWorlds may send the user after login: the school itself, plus any extra origins.
const allowedOrigins = [new URL(schoolUrl).origin, ...(env.LW_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)];

// ---- the app's own authentication (SIMULATED) ----
// A real app reads its session cookie here. This example trusts an `X-Demo-User` header
// (e.g. set by an authenticating proxy) or falls back to one fixed demo user. Never take the
// identity from the query string: LearnWorlds SSO logs in (and creates) whoever you name.
function currentUser(req) {
  const email = req.headers["x-demo-user"] ?? env.DEMO_USER_EMAIL ?? "demo.learner@example.com";
  return { email, username: env.DEMO_USER_NAME };
}

// ---- helpers ----
function send(res, status, headers, body = "") {
  res.writeHead(status, { "Cache-Control": "no-store", ...headers }).end(body);
}
const text = (res, status, body) => send(res, status, { "Content-Type": "text/plain; charset=utf-8" }, body + "\n");

async function readRawBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks); // the exact bytes: never JSON.parse + re-serialise before verifying
}

/** Checks a post-login redirect with the library's own allow-list rules (same as custom SSO). */
function checkedRedirect(redirectUrl) {
  if (!redirectUrl) return undefined;
  const probe = `http://local/?${new URLSearchParams({ action: "login", redirectUrl })}`;
  return LearnWorlds.parseCustomSsoRequest(probe, { allowedOrigins }).redirectUrl ?? undefined;
}

/** LearnWorlds SSO for the signed-in user, answered with a 302 to the one-time school URL. */
async function ssoRedirect(res, user, redirectUrl) {
  try {
    const { url } = await lw.sso({ email: user.email, username: user.username, redirectUrl });
    // `url` is a one-time bearer credential: redirect at once, never log it.
    send(res, 302, { Location: url, "Referrer-Policy": "no-referrer" });
  } catch (e) {
    console.error("LearnWorlds SSO failed:", isLmsBridgeError(e) ? `${e.code} ${e.status ?? ""}` : e);
    text(res, 502, "Could not sign you in to the school, please try again.");
  }
}

// ---- routes ----
async function handle(req, res) {
  const url = new URL(req.url, "http://localhost");

  if (url.pathname === "/miles/progress") {
    if (req.method !== "POST") return send(res, 405, { Allow: "POST" });
    const raw = await readRawBody(req);
    if (raw === null) return text(res, 413, "payload too large");
    let reply;
    try {
      const event = mm.verifyProgressCallback(raw, req.headers);
      recordProgress(event, req.headers["webhook-id"]);
      reply = MilesMasterclass.callbackAck(); // 200 {"status":"ok"}
    } catch (e) {
      reply = MilesMasterclass.callbackReject(e); // 401 (authentication) / 400 (payload), no details
      console.warn(`refused a progress callback: ${isLmsBridgeError(e) ? e.code : e}`);
    }
    return send(res, reply.status, reply.headers, reply.body);
  }

  if (url.pathname === "/sso/learnworlds" && req.method === "GET") {
    const user = currentUser(req);
    // The query may name the user it expects (e.g. a link e-mailed to them); it must be the
    // signed-in user. `username` is only a fallback display name for a new account.
    const asked = url.searchParams.get("email");
    if (asked && asked.toLowerCase() !== user.email.toLowerCase()) return text(res, 403, "You are signed in as someone else.");
    let redirectUrl;
    try {
      redirectUrl = checkedRedirect(url.searchParams.get("redirectUrl"));
    } catch (e) {
      return text(res, 400, `redirectUrl refused (${isLmsBridgeError(e) ? e.code : "invalid"})`);
    }
    const username = user.username || url.searchParams.get("username") || user.email.split("@")[0];
    return ssoRedirect(res, { ...user, username }, redirectUrl);
  }

  if (url.pathname === "/learnworlds/sso-entry" && req.method === "GET") {
    let entry;
    try {
      entry = LearnWorlds.parseCustomSsoRequest(req.url, { allowedOrigins });
    } catch (e) {
      // REDIRECT_NOT_ALLOWED (open-redirect attempt) or INVALID_INPUT (unknown action)
      return text(res, 400, `sign-in request refused (${isLmsBridgeError(e) ? e.code : "invalid"})`);
    }
    // A real app sends an anonymous visitor through its login (or sign-up / password-reset)
    // page first, keeping `entry` in the session; here the demo user is always signed in.
    const user = currentUser(req);
    return ssoRedirect(res, { ...user, username: user.username || user.email.split("@")[0] }, entry.redirectUrl ?? undefined);
  }

  if (url.pathname === "/" && req.method === "GET") {
    return text(res, 200, "lms-bridge node-server example: POST /miles/progress, GET /sso/learnworlds, GET /learnworlds/sso-entry");
  }
  text(res, 404, "not found");
}

// Apply idempotently in a real app (e.g. upsert on email + videoId + status; de-duplicate on webhook-id).
const progress = new Map();
function recordProgress(event, messageId) {
  progress.set(`${event.email ?? event.lmsUserId}:${event.videoId}`, event);
  console.log(`progress ${messageId ?? "-"}: ${event.event} video=${event.videoId} status=${event.status} credits=${event.cpeCredits}`);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent) text(res, 500, "internal error");
  });
});
server.listen(Number(env.PORT ?? 3000), env.HOST ?? "127.0.0.1", () => {
  const { address, port } = server.address();
  console.log(`lms-bridge node-server example listening on http://${address.includes(":") ? `[${address}]` : address}:${port}`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
