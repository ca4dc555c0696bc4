// Compiled with `tsc --noEmit` against the installed package: the published types must
// describe API.md's shapes precisely enough for this to type-check under `strict`.
import {
  init, isLmsBridgeError, LmsBridgeError, MilesMasterclass, signWebhook, verifyWebhook, hmacSha256,
  signUrl, verifySignedUrl, timingSafeEqual, sha256,
  type ErrorCode, type HttpRequest, type ProgressEvent, type VerifiedWebhook,
} from "lms-bridge";

await init();
const headers: Record<string, string> = signWebhook("body", { scheme: "standard-webhooks", secret: "whsec_abc" });
const v: VerifiedWebhook = verifyWebhook(new Uint8Array(), headers, { scheme: "stripe", secret: ["a", new Uint8Array(1)], toleranceSeconds: Infinity });
const index: number = v.secretIndex;
const mac: Uint8Array = hmacSha256("k", "m");
const same: boolean = timingSafeEqual(mac, sha256("x"));
const url: string = verifySignedUrl(signUrl("https://a.example/", { secret: "s" }), { secret: "s" }).url;

const mm = new MilesMasterclass({ baseUrl: "https://mm.example/api", apiKey: "k", timeoutMs: 5000, callback: { secret: "whsec_x" } });
const req: HttpRequest = mm.buildAutoSubscribe({ email: "a@b.co", lmsUserId: 1 });
const method: "GET" | "POST" | "PUT" | "DELETE" = req.method;
const sub = await mm.autoSubscribe({ email: "a@b.co", lmsUserId: "1", organization: { name: "x" } });
const status: string = sub.status;
const login = await mm.createLoginUrl({ email: "a@b.co" });
const expires: number | undefined = login.expiresAt;
const ev: ProgressEvent = mm.verifyProgressCallback("{}", new Headers());
const credits: number = ev.cpeCredits;
const done: string | null = ev.completedAt;
// @ts-expect-error: only block/unblock/cancel
await mm.accessControl({ email: "a@b.co", action: "delete" });

try {
  await mm.autoSubscribe({ email: "a@b.co", lmsUserId: 1 });
} catch (e) {
  if (isLmsBridgeError(e)) {
    const code: ErrorCode = e.code;
    const retry: boolean = e.retryable;
    const s: number | undefined = e.status;
    console.log(code, retry, s, e instanceof LmsBridgeError);
  }
}
console.log(index, same, url, method, status, expires, credits, done);
