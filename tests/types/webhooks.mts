// The `lms-bridge/webhooks` entry and the reusable `Webhook` verifier, as users write them.
import { init, Webhook, verifyWebhook, signWebhook, isLmsBridgeError, type VerifiedWebhook } from "lms-bridge/webhooks";
import { Webhook as MainWebhook } from "lms-bridge";

await init();
const wh = new Webhook({ scheme: "standard-webhooks", secret: ["whsec_new", new Uint8Array(32)], toleranceSeconds: 600 });
const scheme: "standard-webhooks" | "stripe" | "github" = wh.scheme;
const v: VerifiedWebhook = wh.verify("{}", new Headers(), { now: Date.now() });
const id: string | undefined = v.id;
wh.free();
const same: VerifiedWebhook = verifyWebhook("{}", { "x-hub-signature-256": "sha256=00" }, { scheme: "github", secret: "s" });
const h: Record<string, string> = signWebhook(new Uint8Array(), { scheme: "stripe", secret: "s", timestamp: 1 });
const main = new MainWebhook({ scheme: "github", secret: "s", header: "X-Signature" });
// @ts-expect-error: an unknown scheme
new Webhook({ scheme: "svix", secret: "s" });
// @ts-expect-error: the secret is required
new Webhook({ scheme: "github" });
// @ts-expect-error: now is a number
wh.verify("{}", {}, { now: "soon" });
try {
  main.verify("", []);
} catch (e) {
  if (isLmsBridgeError(e)) console.log(e.code, scheme, id, same, h);
}
