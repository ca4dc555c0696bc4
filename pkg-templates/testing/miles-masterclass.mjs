// Mock Miles Masterclass (provisional wire format, as lms-bridge documents it). It checks
// what the real API would: the API-key header, JSON content type and body shape; it mints
// login URLs that land on a page showing who logged in; and it can send signed progress
// callbacks to an LMS.
import { randomBytes } from "node:crypto";
import { esc, landingPage } from "./landing.mjs";

const html = (title, body) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;color:#1b1b1b}h1{color:#0b4f6c}code{background:#eef}</style>
<body><p><strong>Miles Masterclass (mock)</strong></p>${body}</body></html>`;

/**
 * Installs the Miles Masterclass routes under `basePath` ("/api" by default).
 * Returns its state: users (by email), logins (by token), and the options in force.
 */
export function installMilesMasterclass(server, { apiKey = "mm-test-key", apiKeyHeader = "x-api-key", basePath = "/api" } = {}) {
  const state = { users: new Map(), logins: new Map(), access: new Map(), baseUrl: `${server.origin}${basePath}` };
  const guard = (req) => {
    if (req.headers[apiKeyHeader.toLowerCase()] !== apiKey) return { status: 401, json: { detail: "Invalid API key" } };
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) return { status: 415, json: { status: false, message: "JSON expected" } };
    try {
      req.json = JSON.parse(req.body);
    } catch {
      return { status: 400, json: { status: false, message: "Malformed JSON" } };
    }
    if (typeof req.json?.email !== "string" || !req.json.email.includes("@")) return { status: 400, json: { status: false, message: "email is required", code: "EMAIL_REQUIRED" } };
    return undefined;
  };

  server.route("POST", `${basePath}/integrations/lms/auto-subscribe`, (req) => {
    const refused = guard(req);
    if (refused) return refused;
    if (typeof req.json.lms_user_id !== "string") return { status: 400, json: { status: false, message: "lms_user_id must be a string" } };
    const existing = state.users.get(req.json.email);
    const user = { id: existing?.id ?? 1000 + state.users.size, ...req.json };
    state.users.set(req.json.email, user);
    return { status: existing ? 200 : 201, json: { status: existing ? "updated" : "subscribed", user_id: user.id } };
  });

  server.route("POST", `${basePath}/access/control`, (req) => {
    const refused = guard(req);
    if (refused) return refused;
    if (!state.users.has(req.json.email)) return { status: 404, json: { detail: "User not found" } };
    state.access.set(req.json.email, req.json.action);
    return { status: 200, json: { status: `${req.json.action}ed`.replace("cancele", "cancelle") } };
  });

  server.route("POST", `${basePath}/integrations/lms/login-url`, (req) => {
    const refused = guard(req);
    if (refused) return refused;
    const token = randomBytes(16).toString("hex");
    state.logins.set(token, { email: req.json.email, returnUrl: req.json.return_url ?? null });
    return { status: 200, json: { login_url: `${server.origin}/mm/login?token=${token}`, expires_at: new Date(Date.now() + 300_000).toISOString() } };
  });

  server.route("GET", "/mm/login", (req) => {
    const login = state.logins.get(req.query.token);
    if (!login) return { status: 403, headers: { "content-type": "text/html" }, body: html("Link expired", "<h1>This login link is invalid or used</h1>") };
    state.logins.delete(req.query.token);
    const user = state.users.get(login.email);
    const name = user ? [user.first_name, user.last_name].filter(Boolean).join(" ") : "";
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      body: landingPage({
        vendor: "miles-masterclass",
        title: "Logged in",
        heading: `Logged in as <span id="who">${esc(login.email)}</span>`,
        intro: `<p>Signed in with a one-click login URL minted by <code>createLoginUrl</code>.</p>
${login.returnUrl ? `<p>Return URL: <a id="return" href="${esc(login.returnUrl)}">${esc(login.returnUrl)}</a></p>` : ""}`,
        facts: [
          ["Name", `<span id="name">${esc(name || "(not subscribed)")}</span>`],
          ["Miles user id", `<span id="user-id">${esc(user?.id ?? "")}</span>`],
          ["LMS user id", `<span id="lms-user-id">${esc(user?.lms_user_id ?? "")}</span>`],
          ["Access", esc(state.access.get(login.email) ?? "active")],
        ],
        how: [
          "Your LMS's server subscribed you: <code>POST /api/integrations/lms/auto-subscribe</code> with its API key.",
          "It asked for a login URL: <code>POST /api/integrations/lms/login-url</code>.",
          "Your browser followed that URL (<code>GET /mm/login?token=…</code>); the token works once.",
        ],
      }),
    };
  });
  return state;
}
