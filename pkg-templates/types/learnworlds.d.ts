// ---- LearnWorlds ----

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

/** The app token. `expiresAt` is Unix ms, or null for a configured `accessToken`. */
export interface LearnWorldsAppToken {
  accessToken: string;
  expiresAt: number | null;
}

/**
 * SSO by email. WARNING: an unknown email CREATES an account, so send only emails you
 * have verified; `email` and `username` are both required whenever the user may be
 * created (LearnWorlds refuses to create one without a username). A given `username` or
 * `avatar` overwrites the stored one.
 */
export interface LearnWorldsSsoByEmail {
  email: string;
  /** Required when the user may not exist yet. */
  username?: string;
  /** Absolute http(s) URL of the user's picture. */
  avatar?: string;
  /** Absolute http(s) URL to land on after sign-in. */
  redirectUrl?: string;
  userId?: never;
}

/** SSO for an existing user, by LearnWorlds user id. */
export interface LearnWorldsSsoById {
  userId: string | number;
  /** Absolute http(s) URL to land on after sign-in. */
  redirectUrl?: string;
  email?: never;
  username?: never;
  avatar?: never;
}

/** `sso()` input: by email (may create the user) or by user id; never both. */
export type LearnWorldsSsoInput = LearnWorldsSsoByEmail | LearnWorldsSsoById;

export interface LearnWorldsSsoResult {
  /** One-time login URL on the school origin: redirect to it at once, never log it. */
  url: string;
  /** The LearnWorlds user id. */
  userId: string;
}

export interface LearnWorldsUserTokenInput {
  email: string;
  password: string;
}

/** A user's tokens; `expiresAt` is Unix ms. */
export interface LearnWorldsUserToken {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

export interface LearnWorldsUserSsoOptions {
  /** Absolute http(s) URL to land on after sign-in. */
  redirectUrl?: string;
}

export interface LearnWorldsUserSsoResult {
  /** One-time login URL on the school origin. */
  url: string;
}

export interface LearnWorldsWebhookOptions {
  /** The value shown under Settings → Developers → Webhooks (with or without `v1=`);
   * several = rotation. */
  signature: string | string[];
  /** "static" (default): the header must equal `v1=<value>`; "hmac-sha256-hex": the header
   * is `v1=` + hex HMAC-SHA256(value, raw body). */
  mode?: "static" | "hmac-sha256-hex";
}

/** The documented webhook types (LearnWorlds may add others; they pass through). */
export type LearnWorldsWebhookType = LearnWorldsWebhookEvent["type"];

// Payload fields. LearnWorlds documents the event names, the envelope and two quirks
// (`subscriptionPaymentPlanBought` nests `data.user.user`; `subscriptionUpdated` carries ISO
// dates and `utm`); the fields below are what the events carry by name and are INFERRED,
// so every one is optional and unlisted keys stay readable. Keys are as sent (snake_case);
// datetimes are fractional Unix seconds unless noted.

/** The learner an event is about. */
export interface LearnWorldsWebhookUser {
  id?: string;
  email?: string;
  username?: string;
  tags?: string[];
  /** Unix seconds. */
  created?: number;
  /** Unix seconds. */
  last_login?: number;
  [key: string]: unknown;
}

/** A course (`courseCompleted`, `enrolledFreeCourse`, `awardedCertificate`, `previewedFree`). */
export interface LearnWorldsWebhookCourse {
  id?: string;
  title?: string;
  [key: string]: unknown;
}

/** What was bought or unenrolled from: a course, bundle or subscription. */
export interface LearnWorldsWebhookProduct {
  id?: string;
  /** e.g. "course", "bundle", "subscription". */
  type?: string;
  title?: string;
  [key: string]: unknown;
}

/** A payment (`productBought`, `paymentCreated`). */
export interface LearnWorldsWebhookPayment {
  id?: string;
  price?: number;
  currency?: string;
  [key: string]: unknown;
}

/** A subscription plan and its state. */
export interface LearnWorldsWebhookSubscription {
  id?: string;
  title?: string;
  status?: string;
  [key: string]: unknown;
}

/** Fields common to every event's `data`. */
export interface LearnWorldsUserData {
  user?: LearnWorldsWebhookUser;
  [key: string]: unknown;
}

/** One verified webhook of type `T` whose `data` has shape `D`. */
export interface LearnWorldsWebhookOf<T extends string, D> {
  /** The envelope version (2), or null. */
  version: number | string | null;
  type: T;
  /** e.g. "new_purchase"; null when absent. Dispatch on `type`, not on this. */
  trigger: string | null;
  schoolId: string | null;
  /** The event data, keys as sent (snake_case); null when absent. */
  data: D | null;
  /** The whole parsed body. */
  raw: Record<string, unknown>;
}

/** A verified LearnWorlds webhook: one member per documented `type`, each with its payload.
 *
 * Narrow it with `switch (event.type)`. A type LearnWorlds adds later still arrives (as
 * {@link LearnWorldsOtherWebhookEvent}); handle it in `default:`.
 *
 * @example
 * const event = LearnWorlds.verifyWebhook(rawBody, request.headers, { signature });
 * switch (event.type) {
 *   case "courseCompleted": markComplete(event.data?.user?.email, event.data?.course?.id); break;
 *   case "userTagAdded": addTags(event.data?.user?.id, event.data?.tags ?? []); break;
 *   default: console.log("unhandled", (event as LearnWorldsOtherWebhookEvent).type);
 * }
 */
export type LearnWorldsWebhookEvent =
  | LearnWorldsWebhookOf<"userUpdated", LearnWorldsUserData>
  | LearnWorldsWebhookOf<"productBought", LearnWorldsUserData & { product?: LearnWorldsWebhookProduct; payment?: LearnWorldsWebhookPayment }>
  | LearnWorldsWebhookOf<"paymentCreated", LearnWorldsUserData & { product?: LearnWorldsWebhookProduct; payment?: LearnWorldsWebhookPayment }>
  | LearnWorldsWebhookOf<"enrolledFreeCourse", LearnWorldsUserData & { course?: LearnWorldsWebhookCourse }>
  | LearnWorldsWebhookOf<"leadCreated", { email?: string; [key: string]: unknown }>
  | LearnWorldsWebhookOf<"awardedCertificate", LearnWorldsUserData & { course?: LearnWorldsWebhookCourse; certificate?: { id?: string; [key: string]: unknown } }>
  | LearnWorldsWebhookOf<"courseCompleted", LearnWorldsUserData & { course?: LearnWorldsWebhookCourse }>
  | LearnWorldsWebhookOf<"learningProgramCompleted", LearnWorldsUserData & { learning_program?: { id?: string; title?: string; [key: string]: unknown } }>
  | LearnWorldsWebhookOf<"subscriptionPaymentPlanBought", {
      /** Nested one level deeper than in other events (documented). */
      user?: { user?: LearnWorldsWebhookUser; [key: string]: unknown };
      subscription?: LearnWorldsWebhookSubscription;
      [key: string]: unknown;
    }>
  | LearnWorldsWebhookOf<"subscriptionPaymentPlanCanceled", LearnWorldsUserData & { subscription?: LearnWorldsWebhookSubscription }>
  | LearnWorldsWebhookOf<"subscriptionTrialStarted", LearnWorldsUserData & { subscription?: LearnWorldsWebhookSubscription }>
  | LearnWorldsWebhookOf<"subscriptionTrialWillEnd", LearnWorldsUserData & { subscription?: LearnWorldsWebhookSubscription }>
  | LearnWorldsWebhookOf<"previewedFree", LearnWorldsUserData & { course?: LearnWorldsWebhookCourse }>
  | LearnWorldsWebhookOf<"subscriptionUpdated", LearnWorldsUserData & {
      /** Datetimes in this event are ISO-8601 strings (documented). */
      subscription?: LearnWorldsWebhookSubscription;
      /** UTM parameters of the change (documented). */
      utm?: Record<string, unknown>;
    }>
  | LearnWorldsWebhookOf<"userUnenrolledFromProduct", LearnWorldsUserData & { product?: LearnWorldsWebhookProduct }>
  | LearnWorldsWebhookOf<"userTagAdded", LearnWorldsUserData & { tags?: string[] }>
  | LearnWorldsWebhookOf<"userTagDeleted", LearnWorldsUserData & { tags?: string[] }>;

/** A webhook whose `type` is not one of the documented ones (it passes through verified).
 * Not part of {@link LearnWorldsWebhookEvent}, so that `switch (event.type)` narrows `data`;
 * cast to it in `default:`. */
export type LearnWorldsOtherWebhookEvent = LearnWorldsWebhookOf<string, Record<string, unknown>>;

export interface LearnWorldsCustomSsoRequest {
  action: "login" | "signup" | "passwordreset";
  /** On an allowed origin; null when absent. Pass it to `sso()`. */
  redirectUrl: string | null;
}
