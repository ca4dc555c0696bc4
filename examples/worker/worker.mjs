// lms-bridge in a Cloudflare Worker (module syntax).
//
//   POST /miles/progress              Miles Masterclass progress callback (raw body, verified)
//   GET  /sso/learnworlds             signed-in user → LearnWorlds SSO → 302 to the school
//   GET  /learnworlds/sso-entry       LearnWorlds "custom SSO" entry (?action=…&redirectUrl=…)
//
// Deploy: wrangler deploy (wrangler.toml). Local: node examples/worker/run.mjs (workerd via miniflare).
// Bindings (env): MM_CALLBACK_SECRET, LW_SCHOOL_URL, LW_CLIENT_ID, LW_CLIENT_SECRET (secrets);
// MM_BASE_URL, MM_API_KEY, LW_ALLOWED_ORIGINS, DEMO_USER_EMAIL, DEMO_USER_NAME (optional).
import { LearnWorlds, MilesMasterclass, isLmsBridgeError } from "lms-bridge";

const MAX_BODY = 1024 * 1024;

// Clients are built on the first request (nothing runs at module scope) and reused while the
// isolate lives, so the LearnWorlds app token is cached across requests.
let cached;
function clients(env) {
  const key = [env.MM_CALLBACK_SECRET, env.LW_SCHOOL_URL, env.LW_CLIENT_ID, env.LW_CLIENT_SECRET, env.LW_ALLOWED_ORIGINS].join("\n");
  if (cached?.key === key) return cached;
  for (const name of ["MM_CALLBACK_SECRET", "LW_SCHOOL_URL", "LW_CLIENT_ID", "LW_CLIENT_SECRET"]) {
    if (!env[name]) throw new Error(`missing binding ${name} (see examples/worker/README.md)`);
  }
  const mm = new MilesMasterclass({
    baseUrl: env.MM_BASE_URL ?? "https://test-masterclass.milesmasterclass.com/api",
    apiKey: env.MM_API_KEY ?? "unused-by-callbacks", // outbound calls only
    callback: { secret: env.MM_CALLBACK_SECRET },
  });
  const lw = new LearnWorlds({ schoolUrl: env.LW_SCHOOL_URL, clientId: env.LW_CLIENT_ID, clientSecret: env.LW_CLIENT_SECRET });
  const allowedOrigins = [new URL(env.LW_SCHOOL_URL).origin,
    ...(env.LW_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)];
  cached = { key, mm, lw, allowedOrigins };
  return cached;
}

// The app's own authentication, SIMULATED: trust an `X-Demo-User` header (e.g. set by Cloudflare
// Access or another authenticating proxy) or fall back to one fixed demo user. Never take the
// identity from the query string: LearnWorlds SSO logs in (and creates) whoever you name.
function currentUser(request, env) {
  const email = request.headers.get("x-demo-user") ?? env.DEMO_USER_EMAIL ?? "demo.learner@example.com";
  return { email, username: env.DEMO_USER_NAME };
}

const text = (status, body, headers = {}) =>
  new Response(body + "\n", { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });

async function ssoRedirect(lw, user, redirectUrl) {
  try {
    const { url } = await lw.sso({ email: user.email, username: user.username || user.email.split("@")[0], redirectUrl });
    // A one-time bearer credential: redirect at once, never log it.
    return new Response(null, { status: 302, headers: { Location: url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
  } catch (e) {
    console.error("LearnWorlds SSO failed:", isLmsBridgeError(e) ? `${e.code} ${e.status ?? ""}` : String(e));
    return text(502, "Could not sign you in to the school, please try again.");
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const { mm, lw, allowedOrigins } = clients(env);

    if (url.pathname === "/miles/progress") {
      if (request.method !== "POST") return text(405, "method not allowed", { Allow: "POST" });
      if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return text(413, "payload too large");
      const raw = new Uint8Array(await request.arrayBuffer()); // the exact bytes, not request.json()
      if (raw.length > MAX_BODY) return text(413, "payload too large");
      let reply;
      try {
        const event = mm.verifyProgressCallback(raw, request.headers);
        // Apply idempotently (email + videoId + status; de-duplicate on webhook-id), e.g. in D1 or a queue.
        console.log(`progress ${request.headers.get("webhook-id")}: ${event.event} video=${event.videoId} status=${event.status}`);
        reply = MilesMasterclass.callbackAck();
      } catch (e) {
        reply = MilesMasterclass.callbackReject(e); // 401 / 400, no details
      }
      return new Response(reply.body, { status: reply.status, headers: reply.headers });
    }

    if (url.pathname === "/sso/learnworlds" && request.method === "GET") {
      const user = currentUser(request, env);
      const asked = url.searchParams.get("email");
      if (asked && asked.toLowerCase() !== user.email.toLowerCase()) return text(403, "You are signed in as someone else.");
      let redirectUrl;
      const wanted = url.searchParams.get("redirectUrl");
      if (wanted) {
        try {
          // The library's allow-list rules, the same as for custom SSO.
          const probe = `http://local/?${new URLSearchParams({ action: "login", redirectUrl: wanted })}`;
          redirectUrl = LearnWorlds.parseCustomSsoRequest(probe, { allowedOrigins }).redirectUrl ?? undefined;
        } catch (e) {
          return text(400, `redirectUrl refused (${isLmsBridgeError(e) ? e.code : "invalid"})`);
        }
      }
      return ssoRedirect(lw, { ...user, username: user.username || url.searchParams.get("username") }, redirectUrl);
    }

    if (url.pathname === "/learnworlds/sso-entry" && request.method === "GET") {
      let entry;
      try {
        entry = LearnWorlds.parseCustomSsoRequest(request.url, { allowedOrigins });
      } catch (e) {
        return text(400, `sign-in request refused (${isLmsBridgeError(e) ? e.code : "invalid"})`);
      }
      // A real app sends an anonymous visitor through its own login first.
      return ssoRedirect(lw, currentUser(request, env), entry.redirectUrl ?? undefined);
    }

    if (url.pathname === "/") return text(200, "lms-bridge worker example: POST /miles/progress, GET /sso/learnworlds, GET /learnworlds/sso-entry");
    return text(404, "not found");
  },
};
