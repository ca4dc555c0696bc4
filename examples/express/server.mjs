// lms-bridge in an Express 5 app: the same three routes as the other examples.
//
//   POST /miles/progress              Miles Masterclass progress callback (raw body, verified)
//   GET  /sso/learnworlds             signed-in user → LearnWorlds SSO → 302 to the school
//   GET  /learnworlds/sso-entry       LearnWorlds "custom SSO" entry (?action=…&redirectUrl=…)
//
// Start: node examples/express/server.mjs   (configuration: see README.md next to this file)
import express from "express";
import { LearnWorlds, MilesMasterclass, isLmsBridgeError } from "lms-bridge";

const env = process.env;
for (const name of ["MM_CALLBACK_SECRET", "LW_SCHOOL_URL", "LW_CLIENT_ID", "LW_CLIENT_SECRET"]) {
  if (!env[name]) {
    console.error(`missing environment variable ${name} (see examples/express/README.md)`);
    process.exit(1);
  }
}
const mm = new MilesMasterclass({ baseUrl: env.MM_BASE_URL ?? "https://test-masterclass.milesmasterclass.com/api", apiKey: env.MM_API_KEY ?? "unused-by-callbacks", callback: { secret: env.MM_CALLBACK_SECRET } });
const lw = new LearnWorlds({ schoolUrl: env.LW_SCHOOL_URL, clientId: env.LW_CLIENT_ID, clientSecret: env.LW_CLIENT_SECRET });
const allowedOrigins = [new URL(env.LW_SCHOOL_URL).origin, ...(env.LW_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)];

// SIMULATED authentication: replace with your session middleware. Never take the identity from the query.
const currentUser = (req) => {
  const email = req.get("x-demo-user") ?? env.DEMO_USER_EMAIL ?? "demo.learner@example.com";
  return { email, username: env.DEMO_USER_NAME };
};

async function sso(res, user, redirectUrl) {
  try {
    const username = user.username || user.email.split("@")[0];
    const { url } = await lw.sso({ email: user.email, username, redirectUrl });
    res.set("Referrer-Policy", "no-referrer").redirect(302, url); // one-time bearer URL: never log it
  } catch (e) {
    console.error("LearnWorlds SSO failed:", isLmsBridgeError(e) ? `${e.code} ${e.status ?? ""}` : e);
    res.status(502).type("text").send("Could not sign you in to the school, please try again.\n");
  }
}

const app = express();
// Nothing here may be cached: one-time SSO redirects, callback acknowledgements.
app.use((_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
});
// The callback route needs the exact bytes: express.raw, never express.json, before verifying.
app.post("/miles/progress", express.raw({ type: () => true, limit: "1mb" }), (req, res) => {
  let reply;
  try {
    const event = mm.verifyProgressCallback(new Uint8Array(req.body), req.headers);
    console.log(`progress ${req.get("webhook-id") ?? "-"}: ${event.event} video=${event.videoId} status=${event.status} credits=${event.cpeCredits}`);
    reply = MilesMasterclass.callbackAck();
  } catch (e) {
    reply = MilesMasterclass.callbackReject(e);
  }
  res.status(reply.status).set(reply.headers).send(reply.body);
});
app.get("/sso/learnworlds", async (req, res) => {
  const user = currentUser(req);
  const asked = req.query.email;
  if (typeof asked === "string" && asked.toLowerCase() !== user.email.toLowerCase()) return res.status(403).type("text").send("You are signed in as someone else.\n");
  let redirectUrl;
  if (typeof req.query.redirectUrl === "string") {
    try {
      const probe = `http://local/?${new URLSearchParams({ action: "login", redirectUrl: req.query.redirectUrl })}`;
      redirectUrl = LearnWorlds.parseCustomSsoRequest(probe, { allowedOrigins }).redirectUrl ?? undefined;
    } catch (e) {
      return res.status(400).type("text").send(`redirectUrl refused (${isLmsBridgeError(e) ? e.code : "invalid"})\n`);
    }
  }
  // The query's `username` is only a display name for a new account.
  const fallback = typeof req.query.username === "string" ? req.query.username : undefined;
  return sso(res, { ...user, username: user.username || fallback }, redirectUrl);
});
app.get("/learnworlds/sso-entry", async (req, res) => {
  let entry;
  try {
    entry = LearnWorlds.parseCustomSsoRequest(req.originalUrl, { allowedOrigins });
  } catch (e) {
    return res.status(400).type("text").send(`sign-in request refused (${isLmsBridgeError(e) ? e.code : "invalid"})\n`);
  }
  return sso(res, currentUser(req), entry.redirectUrl ?? undefined);
});
app.get("/", (_req, res) => res.type("text").send("lms-bridge express example: POST /miles/progress, GET /sso/learnworlds, GET /learnworlds/sso-entry\n"));

const server = app.listen(Number(env.PORT ?? 3000), env.HOST ?? "127.0.0.1", () => {
  const { address, port } = server.address();
  console.log(`lms-bridge express example listening on http://${address}:${port}`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
