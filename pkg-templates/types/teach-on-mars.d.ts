// ---- Teach on Mars ----

export interface TeachOnMarsOptions extends ClientOptions {
  /** The customer's Mission Center host ToM gives, e.g. "https://acme.teachonmars.com"; https (http only on loopback). */
  baseUrl: string;
  /** Appended as `instance=` to every request when set. */
  instance?: string;
  /**
   * Client credentials (a bearer token is fetched from `tokenUrl`, cached until shortly
   * before `expires_in`, one request at a time, refetched once after a 401), or a bearer
   * token of your own (used as is, never refreshed).
   */
  auth:
    | { clientId: string; clientSecret: string; tokenUrl: string }
    | { accessToken: string };
  /** The app's URL scheme for deep links. Default "com.teachonmars" (white-label apps: their own). */
  deepLinkScheme?: string;
}

/** Mission Center custom fields: each value an array of strings, e.g. { country: ["FRANCE"] }. */
export type LearnerSegment = Record<string, string[]>;

/** `createLearner` input and `signIn` profile. Absent fields are not sent. */
export interface LearnerInput {
  /** Required, non-empty, unique. */
  login: string;
  firstname?: string;
  lastname?: string;
  /** Lets the learner set a password at first login in the app. */
  email?: string;
  password?: string;
  segment?: LearnerSegment;
  /** e.g. "en-GB". */
  lang?: string;
}

/** `updateLearner` patch: only the fields given are changed (at least one). */
export type LearnerPatch = Partial<LearnerInput>;

/** A Teach on Mars learner. */
export interface Learner {
  /** The learner's identifier (v3: `learnerId`). */
  identifier: string;
  login: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  lang?: string;
  /** The vendor's status, e.g. "Active" (v3 "A"/"I" read as "Active"/"Inactive"); null when absent. */
  status: string | null;
  /** The custom fields (sent as `segment`), or {}. */
  metadata: Record<string, unknown>;
  /** The learner object as the vendor sent it. */
  raw: Record<string, unknown>;
}

/** signIn's options: `update`, and the per-call options of every network method. */
export interface SignInOptions extends CallOptions {
  /** Update an existing learner with the profile's fields (except login and password). Default false. */
  update?: boolean;
}

export interface SignInResult {
  learner: Learner;
  /** Logs the learner in to the app: short-lived, hand it only to that learner, never log it. */
  authToken: string;
  /** True when this call created the learner. */
  created: boolean;
  /** `{scheme}://globals.login?authToken=…&profileCreation=true|false`. */
  deepLink: string;
}

export interface DeepLinkOptions {
  /** Sent as `profileCreation`; absent or null → "null". */
  profileCreation?: boolean | null;
  /** Default "com.teachonmars". Not javascript, data, vbscript, file, http or https. */
  scheme?: string;
}

export interface OpenTeachOnMarsAppOptions {
  /** Origin the framed page posts the link to. Default "*" (any parent: pass it when known). */
  targetOrigin?: string;
}

export interface TomLegacyHeadersInput {
  method: "GET" | "POST" | "PUT" | "DELETE" | (string & {});
  /** The exact URL you will send (hashed as is). */
  url: string;
  /** The exact body you will send; ignored for GET and DELETE. */
  body?: string | Uint8Array;
  apiKey: string;
  apiSecret: string;
  /** The app reference code, e.g. "com.example.tom". */
  app: string;
  /** Unix seconds. Default now. */
  timestamp?: number;
  /** [A-Za-z0-9]{1,128}. Default: 32 random characters. */
  nonce?: string;
  /** Default "en". */
  language?: string;
}
