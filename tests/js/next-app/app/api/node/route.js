// Node runtime: verify a webhook, then one LearnWorlds SSO against the mock (LW_SCHOOL_URL).
import { LearnWorlds, isLmsBridgeError, signWebhook, verifyWebhook } from "lms-bridge";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const body = JSON.stringify({ type: "user.created" });
  const headers = signWebhook(body, { scheme: "standard-webhooks", secret });
  const verified = verifyWebhook(body, headers, { scheme: "standard-webhooks", secret });
  let tampered;
  try {
    verifyWebhook(`${body} `, headers, { scheme: "standard-webhooks", secret });
  } catch (e) {
    tampered = isLmsBridgeError(e) ? e.code : String(e);
  }
  const lw = new LearnWorlds({ schoolUrl: process.env.LW_SCHOOL_URL, clientId: "next-lw", clientSecret: "next-lw-secret" });
  const sso = await lw.sso({ email: "next@example.com", username: "next" });
  return Response.json({ scheme: verified.scheme, tampered, sso: sso.url.startsWith(process.env.LW_SCHOOL_URL) });
}
