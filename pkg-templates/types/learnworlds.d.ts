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

/** The documented webhook types (others pass through as strings). */
export type LearnWorldsWebhookType =
  | "userUpdated" | "productBought" | "paymentCreated" | "enrolledFreeCourse" | "leadCreated"
  | "awardedCertificate" | "courseCompleted" | "learningProgramCompleted"
  | "subscriptionPaymentPlanBought" | "subscriptionPaymentPlanCanceled"
  | "subscriptionTrialStarted" | "subscriptionTrialWillEnd" | "previewedFree"
  | "subscriptionUpdated" | "userUnenrolledFromProduct" | "userTagAdded" | "userTagDeleted";

/** A verified webhook. Dispatch on `type` (not `trigger`: `productBought` and
 * `paymentCreated` share `new_purchase`). */
export interface LearnWorldsWebhookEvent {
  /** The envelope version (2), or null. */
  version: number | string | null;
  type: LearnWorldsWebhookType | (string & {});
  /** e.g. "new_purchase"; null when absent. */
  trigger: string | null;
  schoolId: string | null;
  /** The event data, keys as sent (snake_case); null when absent. */
  data: Record<string, unknown> | null;
  /** The whole parsed body. */
  raw: Record<string, unknown>;
}

export interface LearnWorldsCustomSsoRequest {
  action: "login" | "signup" | "passwordreset";
  /** On an allowed origin; null when absent. Pass it to `sso()`. */
  redirectUrl: string | null;
}
