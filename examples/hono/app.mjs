// lms-bridge in a Hono app: the same three routes as the other examples, one app for every
// runtime Hono runs on (Node: node.mjs, Deno: deno.mjs; Workers and Bun: export `app`).
//
//   POST /miles/progress              Miles Masterclass progress callback (raw body, verified)
//   GET  /sso/learnworlds             signed-in user → LearnWorlds SSO → 302 to the school
//   GET  /learnworlds/sso-entry       LearnWorlds "custom SSO" entry (?action=…&redirectUrl=…)
import { Hono } from "hono";
import { LearnWorlds, MilesMasterclass, isLmsBridgeError } from "lms-bridge";

const MAX_BODY = 1024 * 1024;

/** The app for `env` (MM_CALLBACK_SECRET, LW_SCHOOL_URL, LW_CLIENT_ID, LW_CLIENT_SECRET; optional LW_ALLOWED_ORIGINS, DEMO_USER_EMAIL). */
export function createApp(env) {
  for (const name of ["MM_CALLBACK_SECRET", "LW_SCHOOL_URL", "LW_CLIENT_ID", "LW_CLIENT_SECRET"]) {
    if (!env[name]) throw new Error(`missing ${name} (see examples/hono/README.md)`);
  }
  const mm = new MilesMasterclass({ baseUrl: env.MM_BASE_URL ?? "https://test-masterclass.milesmasterclass.com/api", apiKey: env.MM_API_KEY ?? "unused-by-callbacks", callback: { secret: env.MM_CALLBACK_SECRET } });
  const lw = new LearnWorlds({ schoolUrl: env.LW_SCHOOL_URL, clientId: env.LW_CLIENT_ID, clientSecret: env.LW_CLIENT_SECRET });
  const allowedOrigins = [new URL(env.LW_SCHOOL_URL).origin, ...(env.LW_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)];
  // SIMULATED authentication: replace with your session lookup. Never take the identity from the query.
  const currentUser = (c) => {
    const email = c.req.header("x-demo-user") ?? env.DEMO_USER_EMAIL ?? "demo.learner@example.com";
    return { email, username: env.DEMO_USER_NAME };
  };
  const sso = async (c, user, redirectUrl) => {
    try {
      const username = user.username || user.email.split("@")[0];
      const { url } = await lw.sso({ email: user.email, username, redirectUrl });
      c.header("Referrer-Policy", "no-referrer");
      return c.redirect(url, 302); // a one-time bearer URL: redirect at once, never log it
    } catch (e) {
      console.error("LearnWorlds SSO failed:", isLmsBridgeError(e) ? `${e.code} ${e.status ?? ""}` : e);
      return c.text("Could not sign you in to the school, please try again.\n", 502);
    }
  };

  const app = new Hono();
  // Nothing here may be cached: one-time SSO redirects, callback acknowledgements.
  app.use(async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });
  app.post("/miles/progress", async (c) => {
    if (Number(c.req.header("content-length") ?? 0) > MAX_BODY) return c.text("payload too large\n", 413);
    const raw = new Uint8Array(await c.req.arrayBuffer()); // the exact bytes, never re-serialised JSON
    if (raw.length > MAX_BODY) return c.text("payload too large\n", 413);
    let reply;
    try {
      const event = mm.verifyProgressCallback(raw, c.req.raw.headers);
      console.log(`progress ${c.req.header("webhook-id") ?? "-"}: ${event.event} video=${event.videoId} status=${event.status} credits=${event.cpeCredits}`);
      reply = MilesMasterclass.callbackAck();
    } catch (e) {
      reply = MilesMasterclass.callbackReject(e);
    }
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  });
  app.get("/sso/learnworlds", async (c) => {
    const user = currentUser(c);
    const asked = c.req.query("email");
    if (asked && asked.toLowerCase() !== user.email.toLowerCase()) return c.text("You are signed in as someone else.\n", 403);
    let redirectUrl;
    const wanted = c.req.query("redirectUrl");
    if (wanted) {
      try {
        const probe = `http://local/?${new URLSearchParams({ action: "login", redirectUrl: wanted })}`;
        redirectUrl = LearnWorlds.parseCustomSsoRequest(probe, { allowedOrigins }).redirectUrl ?? undefined;
      } catch (e) {
        return c.text(`redirectUrl refused (${isLmsBridgeError(e) ? e.code : "invalid"})\n`, 400);
      }
    }
    // The query's `username` is only a display name for a new account.
    return sso(c, { ...user, username: user.username || c.req.query("username") }, redirectUrl);
  });
  app.get("/learnworlds/sso-entry", async (c) => {
    let entry;
    try {
      entry = LearnWorlds.parseCustomSsoRequest(c.req.url, { allowedOrigins });
    } catch (e) {
      return c.text(`sign-in request refused (${isLmsBridgeError(e) ? e.code : "invalid"})\n`, 400);
    }
    return sso(c, currentUser(c), entry.redirectUrl ?? undefined);
  });
  app.get("/", (c) => c.text("lms-bridge hono example: POST /miles/progress, GET /sso/learnworlds, GET /learnworlds/sso-entry\n"));
  return app;
}
