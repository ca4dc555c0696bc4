// Run under Deno and Bun by tests/js/runtimes.test.mjs: the package imported as their users
// would ("lms-bridge" from node_modules), a webhook signed, verified and a tampered copy
// refused, and one Miles Masterclass call against the mock whose URL is in MM_BASE_URL.
import { MilesMasterclass, Webhook, isLmsBridgeError, signWebhook, verifyWebhook } from "lms-bridge";
import { verifyWebhook as verifyLean } from "lms-bridge/webhooks";

const env = globalThis.Deno ? globalThis.Deno.env.toObject() : globalThis.process.env;
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const body = JSON.stringify({ type: "user.created", id: 1 });
const headers = signWebhook(body, { scheme: "standard-webhooks", secret });
const verified = verifyWebhook(body, headers, { scheme: "standard-webhooks", secret });
const lean = verifyLean(body, headers, { scheme: "standard-webhooks", secret });
const reused = new Webhook({ scheme: "standard-webhooks", secret }).verify(new TextEncoder().encode(body), headers);
let tampered;
try {
  verifyWebhook(body.replace("1", "2"), headers, { scheme: "standard-webhooks", secret });
} catch (e) {
  tampered = isLmsBridgeError(e) ? e.code : String(e);
}
const mm = new MilesMasterclass({ baseUrl: env.MM_BASE_URL, apiKey: env.MM_API_KEY });
const sub = await mm.autoSubscribe({ email: `${runtime}@example.com`, lmsUserId: runtime });
console.log(JSON.stringify({ runtime, scheme: verified.scheme, lean: lean.scheme, reused: reused.scheme, tampered, status: sub.status, userId: sub.userId }));
