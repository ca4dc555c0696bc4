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

// ---- every client, per-call options, hooks, rosters (issue 14 §2, §5; issue 15) ----
import {
  AlphaLearn, LearnWorlds, TeachOnMars, provisionMany,
  type AttemptEvent, type CallOptions, type ProvisionOutcome, type SignInResult,
} from "lms-bridge";

const events: AttemptEvent[] = [];
const lw = new LearnWorlds({
  schoolUrl: "https://school.example.com", clientId: "c", clientSecret: "s3cret",
  rateLimit: { requests: 30, perMs: 10_000 }, hooks: { onRequest: (e) => events.push(e), onRetry: (e) => console.log(e.delayMs) },
});
const call: CallOptions = { signal: AbortSignal.timeout(1000), timeoutMs: 500, retries: 0, headers: { "x-request-id": "r1" } };
const sso = await lw.sso({ email: "ada@example.com", username: "ada" }, call);
const ssoUrl: string = sso.url;
await lw.sso({ userId: "u1" });
// @ts-expect-error: an SSO call needs an email or a userId
await lw.sso({ username: "ada" });
// @ts-expect-error: a misspelled option is refused
new LearnWorlds({ schoolUrl: "https://s.example", clientId: "c", timeoutMS: 5 });
// @ts-expect-error: rateLimit is { requests, perMs } or false
new LearnWorlds({ schoolUrl: "https://s.example", clientId: "c", rateLimit: true });
// @ts-expect-error: an unknown scheme
verifyWebhook("{}", {}, { scheme: "svix", secret: "s" });
// @ts-expect-error: per-call retries is a number
await mm.autoSubscribe({ email: "a@b.co", lmsUserId: "1" }, { retries: "2" });

const tom = new TeachOnMars({ baseUrl: "https://tom.example.com", auth: { accessToken: "t0k3n" } });
const rows = [{ login: "ada" }, { login: "alan" }];
for await (const o of provisionMany(rows, (row, { signal }) => tom.signIn(row, { update: true, signal }), { concurrency: 4 })) {
  const outcome: ProvisionOutcome<{ login: string }, SignInResult> = o;
  if (o.ok) {
    const id: string = o.result.learner.identifier;
    console.log(id, o.index);
  } else {
    console.log(isLmsBridgeError(o.error) && o.error.code === "ABORTED", outcome.item.login);
  }
}
const al = new AlphaLearn({ baseUrl: "https://api.alphalearn.com/v3" });
const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "trainee", enrollmentId: 7 });
console.log(ssoUrl, events.length, form.action, al);
