// The clients, built once per server instance from the environment, and the app's notion of
// the signed-in user. Imported by the route handlers on both runtimes.
import { LearnWorlds, MilesMasterclass, isLmsBridgeError } from "lms-bridge";

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name} (see examples/next/README.md)`);
  return value;
};

let clients;
/** `{ mm, lw, allowedOrigins }`, made on first use (the environment is read at request time). */
export function lms() {
  if (!clients) {
    const schoolUrl = required("LW_SCHOOL_URL");
    clients = {
      mm: new MilesMasterclass({
        baseUrl: process.env.MM_BASE_URL ?? "https://test-masterclass.milesmasterclass.com/api",
        apiKey: process.env.MM_API_KEY ?? "unused-by-callbacks",
        callback: { secret: required("MM_CALLBACK_SECRET") },
      }),
      lw: new LearnWorlds({ schoolUrl, clientId: required("LW_CLIENT_ID"), clientSecret: required("LW_CLIENT_SECRET") }),
      allowedOrigins: [new URL(schoolUrl).origin,
        ...(process.env.LW_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)],
    };
  }
  return clients;
}

/** SIMULATED authentication: replace with your session lookup (NextAuth, a cookie…). Never
 * take the identity from the query. */
export function currentUser(request) {
  const email = request.headers.get("x-demo-user") ?? process.env.DEMO_USER_EMAIL ?? "demo.learner@example.com";
  return { email, username: process.env.DEMO_USER_NAME };
}

const noStore = { "cache-control": "no-store" };
export const text = (body, status) => new Response(body, { status, headers: { ...noStore, "content-type": "text/plain; charset=utf-8" } });

/** LearnWorlds SSO for `user`, then a 302 to the one-time school URL (never logged, never cached). */
export async function ssoRedirect(user, redirectUrl) {
  try {
    const username = user.username || user.email.split("@")[0];
    const { url } = await lms().lw.sso({ email: user.email, username, redirectUrl });
    return new Response(null, { status: 302, headers: { ...noStore, location: url, "referrer-policy": "no-referrer" } });
  } catch (e) {
    console.error("LearnWorlds SSO failed:", isLmsBridgeError(e) ? `${e.code} ${e.status ?? ""}` : e);
    return text("Could not sign you in to the school, please try again.\n", 502);
  }
}
