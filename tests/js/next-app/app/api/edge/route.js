// Edge runtime: the secret-free helpers and a webhook verification.
import { AlphaLearn, init, signWebhook, verifyWebhook } from "lms-bridge";

export const runtime = "edge";

export async function GET() {
  await init();
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const body = "{}";
  const verified = verifyWebhook(body, signWebhook(body, { scheme: "standard-webhooks", secret }), { scheme: "standard-webhooks", secret });
  const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "trainee", enrollmentId: 3 });
  return Response.json({ scheme: verified.scheme, action: form.action });
}
