// A Worker bundled by wrangler (tests/js/wrangler.test.mjs): "lms-bridge" resolved by
// wrangler's own bundler with the `workerd` condition, the .wasm imported as a module.
//   GET /check → verifies a webhook, refuses a tampered one, calls Miles Masterclass (MM_BASE_URL)
import { MilesMasterclass, isLmsBridgeError, signWebhook, verifyWebhook } from "lms-bridge";

export default {
  async fetch(request, env) {
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
    const mm = new MilesMasterclass({ baseUrl: env.MM_BASE_URL, apiKey: env.MM_API_KEY });
    const sub = await mm.autoSubscribe({ email: "wrangler@example.com", lmsUserId: "w1" });
    return Response.json({ scheme: verified.scheme, tampered, status: sub.status });
  },
};
