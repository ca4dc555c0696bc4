// ---- LearnWorlds ----

/**
 * Options of {@link LearnWorlds}: the {@link ClientOptions} and these.
 *
 * @example
 * ```ts
 * import { LearnWorlds } from "lms-bridge";
 *
 * const lw = new LearnWorlds({
 *   schoolUrl: "https://myschool.learnworlds.com",
 *   clientId: process.env.LW_CLIENT_ID,
 *   clientSecret: process.env.LW_CLIENT_SECRET, // or accessToken: a pre-obtained app token
 *   rateLimit: { requests: 10, perMs: 10_000 },  // a third of the school's budget
 * });
 * ```
 */
export interface LearnWorldsOptions extends ClientOptions {
  /** The school's primary origin, e.g. "https://myschool.learnworlds.com" (https; http only
   * on loopback; a bare host means https; no path). SSO URLs must be on it. */
  schoolUrl: string;
  /** API client id (Settings → Developers → API), sent as `Lw-Client` on every call. */
  clientId: string;
  /** Client secret: token grants and app-token refresh. Server-side only. */
  clientSecret?: string;
  /** A pre-obtained app token. Without `clientSecret` it is used as is and never refreshed.
   * Server-side only. */
  accessToken?: string;
  /** v2 REST base, default `{schoolUrl}/admin/api` (unused by the routes covered). */
  apiBase?: string;
  /** Client-side limit. Default `{ requests: 30, perMs: 10000 }` (the vendor's documented
   * limit); `false` turns it off (e.g. when several clients share a limiter of yours). */
  rateLimit?: RateLimit | false;
}

/**
 * The app token. `expiresAt` is Unix ms, or null for a configured `accessToken`.
 *
 * @example
 * ```ts
 * import type { LearnWorldsAppToken } from "lms-bridge";
 *
 * const { accessToken, expiresAt }: LearnWorldsAppToken = await lw.getAppToken();
 * // Server-side only: the token is a secret. Call another LearnWorlds route with it:
 * await fetch("https://myschool.learnworlds.com/admin/api/v2/users", {
 *   headers: { authorization: `Bearer ${accessToken}`, "lw-client": clientId },
 * });
 * ```
 */
export interface LearnWorldsAppToken {
  /** The bearer token. Never log it. */
  accessToken: string;
  /** Unix ms; null for a configured `accessToken` (never refreshed). */
  expiresAt: number | null;
}

/**
 * SSO by email. WARNING: an unknown email CREATES an account, so send only emails you
 * have verified; `email` and `username` are both required whenever the user may be
 * created (LearnWorlds refuses to create one without a username). A given `username` or
 * `avatar` overwrites the stored one.
 *
 * @example
 * ```ts
 * import type { LearnWorldsSsoByEmail } from "lms-bridge";
 *
 * const input: LearnWorldsSsoByEmail = {
 *   email: user.verifiedEmail,
 *   username: user.displayName,
 *   redirectUrl: "https://myschool.learnworlds.com/course/intro",
 * };
 * const { url } = await lw.sso(input);
 * ```
 */
export interface LearnWorldsSsoByEmail {
  /** A verified e-mail address: an unknown one creates the user. */
  email: string;
  /** Required when the user may not exist yet. */
  username?: string;
  /** Absolute http(s) URL of the user's picture. */
  avatar?: string;
  /** Absolute http(s) URL to land on after sign-in. */
  redirectUrl?: string;
  /** Not with `email`. */
  userId?: never;
}

/**
 * SSO for an existing user, by LearnWorlds user id.
 *
 * @example
 * ```ts
 * import type { LearnWorldsSsoById } from "lms-bridge";
 *
 * const input: LearnWorldsSsoById = { userId: "5f1a2b3c4d5e6f7a8b9c0d1e", redirectUrl: "https://myschool.learnworlds.com/" };
 * const { url } = await lw.sso(input);
 * ```
 */
export interface LearnWorldsSsoById {
  /** The LearnWorlds user id. */
  userId: string | number;
  /** Absolute http(s) URL to land on after sign-in. */
  redirectUrl?: string;
  /** Not with `userId`. */
  email?: never;
  /** Not with `userId`. */
  username?: never;
  /** Not with `userId`. */
  avatar?: never;
}

/**
 * `sso()` input: by email (may create the user) or by user id; never both.
 *
 * @example
 * ```ts
 * import type { LearnWorldsSsoInput } from "lms-bridge";
 *
 * const input: LearnWorldsSsoInput = learner.lmsUserId
 *   ? { userId: learner.lmsUserId }
 *   : { email: user.verifiedEmail, username: user.displayName };
 * const { url, userId } = await lw.sso(input);
 * ```
 */
export type LearnWorldsSsoInput = LearnWorldsSsoByEmail | LearnWorldsSsoById;

/**
 * What `sso()` returns.
 *
 * @example
 * ```ts
 * import type { LearnWorldsSsoResult } from "lms-bridge";
 *
 * const { url, userId }: LearnWorldsSsoResult = await lw.sso({ email: user.verifiedEmail, username: user.displayName });
 * res.writeHead(303, { location: url }).end(); // at once; never log the URL
 * ```
 */
export interface LearnWorldsSsoResult {
  /** One-time login URL on the school origin: redirect to it at once, never log it. */
  url: string;
  /** The LearnWorlds user id. */
  userId: string;
}

/**
 * `userToken()` input: the user's credentials (password grant).
 *
 * @example
 * ```ts
 * import type { LearnWorldsUserTokenInput } from "lms-bridge";
 *
 * const credentials: LearnWorldsUserTokenInput = { email, password };
 * const { accessToken, refreshToken } = await lw.userToken(credentials);
 * ```
 */
export interface LearnWorldsUserTokenInput {
  /** The user's e-mail address. */
  email: string;
  /** The user's password (never appears in errors). */
  password: string;
}

/**
 * A user's tokens; `expiresAt` is Unix ms.
 *
 * @example
 * ```ts
 * import type { LearnWorldsUserToken } from "lms-bridge";
 *
 * let tokens: LearnWorldsUserToken = await lw.userToken({ email, password });
 * if (tokens.expiresAt - Date.now() < 60_000) tokens = await lw.refreshUserToken(tokens.refreshToken);
 * const { url } = await lw.userSso(tokens.accessToken, {});
 * ```
 */
export interface LearnWorldsUserToken {
  /** The user's bearer token. Server-side only; never log it. */
  accessToken: string;
  /** Renews the tokens with `refreshUserToken()`. */
  refreshToken: string;
  /** Unix ms. */
  expiresAt: number;
}

/**
 * `userSso()` options.
 *
 * @example
 * ```ts
 * import type { LearnWorldsUserSsoOptions } from "lms-bridge";
 *
 * const { accessToken } = await lw.userToken({ email, password });
 * const options: LearnWorldsUserSsoOptions = { redirectUrl: "https://myschool.learnworlds.com/course/intro" };
 * const { url } = await lw.userSso(accessToken, options);
 * ```
 */
export interface LearnWorldsUserSsoOptions {
  /** Absolute http(s) URL to land on after sign-in. */
  redirectUrl?: string;
}

/**
 * What `userSso()` returns.
 *
 * @example
 * ```ts
 * import type { LearnWorldsUserSsoResult } from "lms-bridge";
 *
 * const { accessToken } = await lw.userToken({ email, password });
 * const { url }: LearnWorldsUserSsoResult = await lw.userSso(accessToken, {});
 * res.writeHead(303, { location: url }).end();
 * ```
 */
export interface LearnWorldsUserSsoResult {
  /** One-time login URL on the school origin. */
  url: string;
}

/**
 * `LearnWorlds.verifyWebhook()` options.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookOptions } from "lms-bridge";
 *
 * const options: LearnWorldsWebhookOptions = {
 *   signature: [process.env.LW_WEBHOOK_SIGNATURE, "the-previous-value"], // rotation
 *   mode: "static",
 * };
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, options);
 * ```
 */
export interface LearnWorldsWebhookOptions {
  /** The value shown under Settings → Developers → Webhooks (with or without `v1=`);
   * several = rotation. */
  signature: string | string[];
  /** "static" (default): the header must equal `v1=<value>`; "hmac-sha256-hex": the header
   * is `v1=` + hex HMAC-SHA256(value, raw body). */
  mode?: "static" | "hmac-sha256-hex";
}

/**
 * The documented webhook types (LearnWorlds may add others; they pass through).
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookType } from "lms-bridge";
 *
 * const handled = new Set<LearnWorldsWebhookType>(["courseCompleted", "userTagAdded"]);
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (!handled.has(event.type)) console.log("ignored:", event.type);
 * ```
 */
export type LearnWorldsWebhookType = LearnWorldsWebhookEvent["type"];

// Payload fields. LearnWorlds documents the event names, the envelope and two quirks
// (`subscriptionPaymentPlanBought` nests `data.user.user`; `subscriptionUpdated` carries ISO
// dates and `utm`); the fields below are what the events carry by name and are INFERRED,
// so every one is optional and unlisted keys stay readable. Keys are as sent (snake_case);
// datetimes are fractional Unix seconds unless noted.

/**
 * The learner an event is about (`data.user`).
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookUser } from "lms-bridge";
 *
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "userUpdated") {
 *   const who: LearnWorldsWebhookUser | undefined = event.data?.user;
 *   console.log(who?.id, who?.email, who?.tags?.join(", "));
 * }
 * ```
 */
export interface LearnWorldsWebhookUser {
  /** The LearnWorlds user id. */
  id?: string;
  /** The user's e-mail address. */
  email?: string;
  /** The user's username. */
  username?: string;
  /** The user's tags. */
  tags?: string[];
  /** Unix seconds. */
  created?: number;
  /** Unix seconds. */
  last_login?: number;
  [key: string]: unknown;
}

/**
 * A course (`courseCompleted`, `enrolledFreeCourse`, `awardedCertificate`, `previewedFree`).
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookCourse } from "lms-bridge";
 *
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "courseCompleted") {
 *   const course: LearnWorldsWebhookCourse | undefined = event.data?.course;
 *   await markCompleted(event.data?.user?.email, course?.id);
 * }
 * ```
 */
export interface LearnWorldsWebhookCourse {
  /** The course id. */
  id?: string;
  /** The course title. */
  title?: string;
  [key: string]: unknown;
}

/**
 * What was bought or unenrolled from: a course, bundle or subscription.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookProduct } from "lms-bridge";
 *
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "productBought" || event.type === "userUnenrolledFromProduct") {
 *   const product: LearnWorldsWebhookProduct | undefined = event.data?.product;
 *   console.log(event.type, product?.type, product?.id, product?.title);
 * }
 * ```
 */
export interface LearnWorldsWebhookProduct {
  /** The product id. */
  id?: string;
  /** e.g. "course", "bundle", "subscription". */
  type?: string;
  /** The product title. */
  title?: string;
  [key: string]: unknown;
}

/**
 * A payment (`productBought`, `paymentCreated`).
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookPayment } from "lms-bridge";
 *
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "paymentCreated") {
 *   const payment: LearnWorldsWebhookPayment | undefined = event.data?.payment;
 *   console.log(`paid ${payment?.price} ${payment?.currency} (${payment?.id})`);
 * }
 * ```
 */
export interface LearnWorldsWebhookPayment {
  /** The payment id. */
  id?: string;
  /** The amount paid. */
  price?: number;
  /** e.g. "USD". */
  currency?: string;
  [key: string]: unknown;
}

/**
 * A subscription plan and its state.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookSubscription } from "lms-bridge";
 *
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "subscriptionPaymentPlanCanceled") {
 *   const plan: LearnWorldsWebhookSubscription | undefined = event.data?.subscription;
 *   console.log(`${event.data?.user?.email}: ${plan?.title} is ${plan?.status}`);
 * }
 * ```
 */
export interface LearnWorldsWebhookSubscription {
  /** The subscription plan id. */
  id?: string;
  /** The plan's title. */
  title?: string;
  /** The subscription's state, e.g. "active". */
  status?: string;
  [key: string]: unknown;
}

/**
 * Fields common to every event's `data`.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsUserData } from "lms-bridge";
 *
 * function learnerOf(data: LearnWorldsUserData | null): string | undefined {
 *   return data?.user?.email;
 * }
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "enrolledFreeCourse") console.log(learnerOf(event.data), "enrolled in", event.data?.course?.title);
 * ```
 */
export interface LearnWorldsUserData {
  /** The learner the event is about. */
  user?: LearnWorldsWebhookUser;
  [key: string]: unknown;
}

/**
 * One verified webhook of type `T` whose `data` has shape `D`.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsWebhookOf, type LearnWorldsUserData } from "lms-bridge";
 *
 * function onTags(event: LearnWorldsWebhookOf<"userTagAdded" | "userTagDeleted", LearnWorldsUserData & { tags?: string[] }>) {
 *   console.log(event.type, event.schoolId, event.data?.user?.id, event.data?.tags);
 * }
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * if (event.type === "userTagAdded" || event.type === "userTagDeleted") onTags(event);
 * ```
 */
export interface LearnWorldsWebhookOf<T extends string, D> {
  /** The envelope version (2), or null. */
  version: number | string | null;
  /** The event type: dispatch on it. */
  type: T;
  /** e.g. "new_purchase"; null when absent. Dispatch on `type`, not on this. */
  trigger: string | null;
  /** The school's id, or null. */
  schoolId: string | null;
  /** The event data, keys as sent (snake_case); null when absent. */
  data: D | null;
  /** The whole parsed body. */
  raw: Record<string, unknown>;
}

/**
 * A verified LearnWorlds webhook: one member per documented `type`, each with its payload.
 *
 * Narrow it with `switch (event.type)`. A type LearnWorlds adds later still arrives (as
 * {@link LearnWorldsOtherWebhookEvent}); handle it in `default:`.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsOtherWebhookEvent, type LearnWorldsWebhookEvent } from "lms-bridge";
 *
 * const event: LearnWorldsWebhookEvent = LearnWorlds.verifyWebhook(rawBody, req.headers, {
 *   signature: process.env.LW_WEBHOOK_SIGNATURE,
 * });
 * switch (event.type) {
 *   case "courseCompleted": await markCompleted(event.data?.user?.email, event.data?.course?.id); break;
 *   case "userTagAdded": await addTags(event.data?.user?.id, event.data?.tags ?? []); break;
 *   default: console.log("unhandled", (event as LearnWorldsOtherWebhookEvent).type);
 * }
 * ```
 */
export type LearnWorldsWebhookEvent =
  | LearnWorldsWebhookOf<"userUpdated", LearnWorldsUserData>
  | LearnWorldsWebhookOf<"productBought", LearnWorldsUserData & {
      /** What was bought. */
      product?: LearnWorldsWebhookProduct;
      /** The payment. */
      payment?: LearnWorldsWebhookPayment;
    }>
  | LearnWorldsWebhookOf<"paymentCreated", LearnWorldsUserData & {
      /** What was paid for. */
      product?: LearnWorldsWebhookProduct;
      /** The payment. */
      payment?: LearnWorldsWebhookPayment;
    }>
  | LearnWorldsWebhookOf<"enrolledFreeCourse", LearnWorldsUserData & {
      /** The course enrolled in. */
      course?: LearnWorldsWebhookCourse;
    }>
  | LearnWorldsWebhookOf<"leadCreated", {
      /** The lead's e-mail address. */
      email?: string;
      [key: string]: unknown;
    }>
  | LearnWorldsWebhookOf<"awardedCertificate", LearnWorldsUserData & {
      /** The course the certificate is for. */
      course?: LearnWorldsWebhookCourse;
      /** The certificate awarded. */
      certificate?: {
        /** The certificate id. */
        id?: string;
        [key: string]: unknown;
      };
    }>
  | LearnWorldsWebhookOf<"courseCompleted", LearnWorldsUserData & {
      /** The course completed. */
      course?: LearnWorldsWebhookCourse;
    }>
  | LearnWorldsWebhookOf<"learningProgramCompleted", LearnWorldsUserData & {
      /** The learning program completed. */
      learning_program?: {
        /** The learning program id. */
        id?: string;
        /** The learning program title. */
        title?: string;
        [key: string]: unknown;
      };
    }>
  | LearnWorldsWebhookOf<"subscriptionPaymentPlanBought", {
      /** Nested one level deeper than in other events (documented). */
      user?: {
        /** The learner the event is about. */
        user?: LearnWorldsWebhookUser;
        [key: string]: unknown;
      };
      /** The plan bought. */
      subscription?: LearnWorldsWebhookSubscription;
      [key: string]: unknown;
    }>
  | LearnWorldsWebhookOf<"subscriptionPaymentPlanCanceled", LearnWorldsUserData & {
      /** The plan canceled. */
      subscription?: LearnWorldsWebhookSubscription;
    }>
  | LearnWorldsWebhookOf<"subscriptionTrialStarted", LearnWorldsUserData & {
      /** The plan whose trial started. */
      subscription?: LearnWorldsWebhookSubscription;
    }>
  | LearnWorldsWebhookOf<"subscriptionTrialWillEnd", LearnWorldsUserData & {
      /** The plan whose trial ends soon. */
      subscription?: LearnWorldsWebhookSubscription;
    }>
  | LearnWorldsWebhookOf<"previewedFree", LearnWorldsUserData & {
      /** The course previewed. */
      course?: LearnWorldsWebhookCourse;
    }>
  | LearnWorldsWebhookOf<"subscriptionUpdated", LearnWorldsUserData & {
      /** Datetimes in this event are ISO-8601 strings (documented). */
      subscription?: LearnWorldsWebhookSubscription;
      /** UTM parameters of the change (documented). */
      utm?: Record<string, unknown>;
    }>
  | LearnWorldsWebhookOf<"userUnenrolledFromProduct", LearnWorldsUserData & {
      /** What the user was unenrolled from. */
      product?: LearnWorldsWebhookProduct;
    }>
  | LearnWorldsWebhookOf<"userTagAdded", LearnWorldsUserData & {
      /** The tags added. */
      tags?: string[];
    }>
  | LearnWorldsWebhookOf<"userTagDeleted", LearnWorldsUserData & {
      /** The tags removed. */
      tags?: string[];
    }>;

/**
 * A webhook whose `type` is not one of the documented ones (it passes through verified).
 * Not part of {@link LearnWorldsWebhookEvent}, so that `switch (event.type)` narrows `data`;
 * cast to it in `default:`.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsOtherWebhookEvent } from "lms-bridge";
 *
 * const event = LearnWorlds.verifyWebhook(rawBody, req.headers, { signature: process.env.LW_WEBHOOK_SIGNATURE });
 * switch (event.type) {
 *   case "courseCompleted": break;
 *   default: {
 *     const other = event as LearnWorldsOtherWebhookEvent;
 *     log.info({ msg: "new LearnWorlds event type", type: other.type, data: other.data });
 *   }
 * }
 * ```
 */
export type LearnWorldsOtherWebhookEvent = LearnWorldsWebhookOf<string, Record<string, unknown>>;

/**
 * What `LearnWorlds.parseCustomSsoRequest()` returns: the sign-in click LearnWorlds sent
 * to your page.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type LearnWorldsCustomSsoRequest } from "lms-bridge";
 *
 * const { action, redirectUrl }: LearnWorldsCustomSsoRequest = LearnWorlds.parseCustomSsoRequest(req.url, {
 *   allowedOrigins: ["https://myschool.learnworlds.com"],
 * });
 * if (action === "login") {
 *   const { url } = await lw.sso({ email: user.verifiedEmail, username: user.displayName, redirectUrl: redirectUrl ?? undefined });
 *   res.writeHead(303, { location: url }).end();
 * }
 * ```
 */
export interface LearnWorldsCustomSsoRequest {
  /** What the user clicked on the school: sign in, sign up or reset the password. */
  action: "login" | "signup" | "passwordreset";
  /** On an allowed origin; null when absent. Pass it to `sso()`. */
  redirectUrl: string | null;
}

/**
 * The sans-IO twins of `LearnWorlds.sso`: build the request it would send, or read the
 * response to it, for your own HTTP client.
 *
 * @example
 * ```ts
 * import { LearnWorlds } from "lms-bridge";
 *
 * const lw = new LearnWorlds({ schoolUrl: "https://myschool.learnworlds.com", clientId: process.env.LW_CLIENT_ID, accessToken: process.env.LW_ACCESS_TOKEN });
 * const req = lw.buildSso({ email: user.verifiedEmail, username: user.displayName });
 * const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * const { url } = lw.parseSso({ status: res.status, body: await res.text() });
 * ```
 */
export interface LearnWorlds {
  /**
   * Sans-IO twin of {@link LearnWorlds.sso}: the request it would send, with
   * `auth.accessToken` or else the configured or cached app token (`INVALID_CONFIG` when
   * there is none). Bad input throws as the call would.
   */
  buildSso(input: LearnWorldsSsoInput, auth?: { accessToken?: string }): HttpRequest;
  /**
   * Sans-IO twin of {@link LearnWorlds.sso}: reads the response to `buildSso`'s request and
   * returns what the call resolves to, or throws the `LmsBridgeError` it would. Pass the
   * input too, so that a by-id call whose response has no `user_id` returns the given
   * `userId`.
   */
  parseSso(response: HttpResponseLike, input?: LearnWorldsSsoInput): LearnWorldsSsoResult;
}
