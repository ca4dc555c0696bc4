// ---- Teach on Mars ----

/**
 * Options of {@link TeachOnMars}: the {@link ClientOptions} and these.
 *
 * @example
 * ```ts
 * import { TeachOnMars } from "lms-bridge";
 *
 * const tom = new TeachOnMars({
 *   baseUrl: "https://acme.teachonmars.com", // your Mission Center host
 *   instance: "main",
 *   auth: { clientId: process.env.TOM_CLIENT_ID, clientSecret: process.env.TOM_CLIENT_SECRET, tokenUrl: process.env.TOM_TOKEN_URL },
 *   deepLinkScheme: "com.acme.academy",     // a white-label app
 * });
 * ```
 */
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
    | {
        /** The OAuth client id. */
        clientId: string;
        /** The OAuth client secret (server-side only). */
        clientSecret: string;
        /** The token endpoint (client-credentials grant). */
        tokenUrl: string;
      }
    | {
        /** A bearer token of your own. */
        accessToken: string;
      };
  /** The app's URL scheme for deep links. Default "com.teachonmars" (white-label apps: their own). */
  deepLinkScheme?: string;
}

/**
 * Mission Center custom fields: each value an array of strings, e.g. { country: ["FRANCE"] }.
 *
 * @example
 * ```ts
 * import type { LearnerSegment } from "lms-bridge";
 *
 * const segment: LearnerSegment = { country: ["FRANCE"], team: ["sales", "emea"] };
 * await tom.signIn({ login: user.id, email: user.email, segment }, { update: true });
 * ```
 */
export type LearnerSegment = Record<string, string[]>;

/**
 * `createLearner` input and `signIn` profile. Absent fields are not sent.
 *
 * @example
 * ```ts
 * import type { LearnerInput } from "lms-bridge";
 *
 * const profile: LearnerInput = {
 *   login: user.id, firstname: user.firstName, lastname: user.lastName, email: user.email,
 *   segment: { country: ["FRANCE"] }, lang: "fr-FR",
 * };
 * const { deepLink } = await tom.signIn(profile);
 * ```
 */
export interface LearnerInput {
  /** Required, non-empty, unique. */
  login: string;
  /** First name. */
  firstname?: string;
  /** Last name. */
  lastname?: string;
  /** Lets the learner set a password at first login in the app. */
  email?: string;
  /** An initial password (never appears in errors). */
  password?: string;
  /** Mission Center custom fields. */
  segment?: LearnerSegment;
  /** e.g. "en-GB". */
  lang?: string;
}

/**
 * `updateLearner` patch: only the fields given are changed (at least one).
 *
 * @example
 * ```ts
 * import type { LearnerPatch } from "lms-bridge";
 *
 * const patch: LearnerPatch = { lastname: "Byron", segment: { country: ["UK"] } };
 * const found = await tom.findLearnerByLogin(user.id);
 * if (found) await tom.updateLearner(found.identifier, patch);
 * ```
 */
export type LearnerPatch = Partial<LearnerInput>;

/**
 * A Teach on Mars learner.
 *
 * @example
 * ```ts
 * import type { Learner } from "lms-bridge";
 *
 * const learner: Learner | null = await tom.findLearnerByLogin(user.id);
 * if (learner?.status === "Active") console.log(learner.identifier, learner.email, learner.metadata);
 * ```
 */
export interface Learner {
  /** The learner's identifier (v3: `learnerId`). */
  identifier: string;
  /** The learner's login. */
  login: string;
  /** E-mail address. */
  email?: string;
  /** First name. */
  firstname?: string;
  /** Last name. */
  lastname?: string;
  /** e.g. "en-GB". */
  lang?: string;
  /** The vendor's status, e.g. "Active" (v3 "A"/"I" read as "Active"/"Inactive"); null when absent. */
  status: string | null;
  /** The custom fields (sent as `segment`), or {}. */
  metadata: Record<string, unknown>;
  /** The learner object as the vendor sent it. */
  raw: Record<string, unknown>;
}

/**
 * signIn's options: `update`, and the per-call options of every network method.
 *
 * @example
 * ```ts
 * import type { SignInOptions } from "lms-bridge";
 *
 * const options: SignInOptions = { update: true, timeoutMs: 5000, signal: AbortSignal.timeout(15_000) };
 * const { deepLink } = await tom.signIn({ login: user.id, email: user.email }, options);
 * ```
 */
export interface SignInOptions extends CallOptions {
  /** Update an existing learner with the profile's fields (except login and password). Default false. */
  update?: boolean;
}

/**
 * What `signIn` returns.
 *
 * @example
 * ```ts
 * import type { SignInResult } from "lms-bridge";
 *
 * const { learner, authToken, created, deepLink }: SignInResult = await tom.signIn({ login: user.id, email: user.email });
 * if (created) log.info({ msg: "new Teach on Mars learner", identifier: learner.identifier });
 * res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify({ deepLink }));
 * ```
 */
export interface SignInResult {
  /** The learner, as found, created or updated. */
  learner: Learner;
  /** Logs the learner in to the app: short-lived, hand it only to that learner, never log it. */
  authToken: string;
  /** True when this call created the learner. */
  created: boolean;
  /** `{scheme}://globals.login?authToken=…&profileCreation=true|false`. */
  deepLink: string;
}

/**
 * `TeachOnMars.deepLink()` options.
 *
 * @example
 * ```ts
 * import { TeachOnMars, type DeepLinkOptions } from "lms-bridge";
 *
 * const found = await tom.findLearnerByLogin(user.id);
 * if (found) {
 *   const authToken = await tom.getAuthToken(found.identifier);
 *   const options: DeepLinkOptions = { profileCreation: false, scheme: "com.acme.academy" };
 *   const link = TeachOnMars.deepLink(authToken, options); // com.acme.academy://globals.login?authToken=…&profileCreation=false
 * }
 * ```
 */
export interface DeepLinkOptions {
  /** Sent as `profileCreation`; absent or null → "null". */
  profileCreation?: boolean | null;
  /** Default "com.teachonmars". Not javascript, data, vbscript, file, http or https. */
  scheme?: string;
}

/**
 * `openTeachOnMarsApp()` options.
 *
 * @example
 * ```ts
 * import { openTeachOnMarsApp, type OpenTeachOnMarsAppOptions } from "lms-bridge";
 *
 * const options: OpenTeachOnMarsAppOptions = { targetOrigin: "https://app-shell.acme.example" };
 * openTeachOnMarsApp(deepLink, options);
 * ```
 */
export interface OpenTeachOnMarsAppOptions {
  /** Origin the framed page posts the link to. Default "*" (any parent: pass it when known). */
  targetOrigin?: string;
}

/**
 * `tomLegacyHeaders()` input: the request to sign and the legacy API credentials.
 *
 * @example
 * ```ts
 * import { tomLegacyHeaders, type TomLegacyHeadersInput } from "lms-bridge";
 *
 * const input: TomLegacyHeadersInput = {
 *   method: "GET",
 *   url: "https://my-userdata.teachonmars.com/api/v3/learner?limit=10&page=1",
 *   apiKey, apiSecret: clientSecret, app: "com.acme.academy",
 *   language: "fr",
 * };
 * const reply = await fetch(input.url, { headers: tomLegacyHeaders(input) });
 * ```
 */
export interface TomLegacyHeadersInput {
  /** The request's HTTP method. */
  method: "GET" | "POST" | "PUT" | "DELETE" | (string & {});
  /** The exact URL you will send (hashed as is). */
  url: string;
  /** The exact body you will send; ignored for GET and DELETE. */
  body?: string | Uint8Array;
  /** The legacy API key. */
  apiKey: string;
  /** The legacy API secret (server-side only: hashed, never sent). */
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

/**
 * The sans-IO twins of `TeachOnMars.createLearner` and `updateLearner`: build the request
 * each would send, or read the response to it, for your own HTTP client.
 *
 * @example
 * ```ts
 * import { TeachOnMars } from "lms-bridge";
 *
 * const tom = new TeachOnMars({
 *   baseUrl: "https://acme.teachonmars.com",
 *   auth: { clientId: process.env.TOM_CLIENT_ID, clientSecret: process.env.TOM_CLIENT_SECRET, tokenUrl: process.env.TOM_TOKEN_URL },
 * });
 * const req = tom.buildCreateLearner({ login: "ann", email: "ann@example.com" }, { accessToken: await tom.getAccessToken() });
 * const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * const learner = tom.parseCreateLearner({ status: res.status, body: await res.text() });
 * ```
 */
export interface TeachOnMars {
  /**
   * Sans-IO twin of {@link TeachOnMars.createLearner}: the request it would send, with
   * `auth.accessToken` or else the configured or cached token while it is fresh
   * (`INVALID_CONFIG` when there is none). Bad input throws as the call would.
   */
  buildCreateLearner(input: LearnerInput, auth?: { accessToken?: string }): HttpRequest;
  /**
   * Sans-IO twin of {@link TeachOnMars.createLearner}: reads the response to
   * `buildCreateLearner`'s request and returns what the call resolves to, or throws the
   * `LmsBridgeError` it would. Pass the call's input after `response`: its secrets (the
   * password) are scrubbed from the errors too (a vendor may echo them).
   */
  parseCreateLearner(response: HttpResponseLike, input?: LearnerInput): Learner;
  /** Sans-IO twin of {@link TeachOnMars.updateLearner}: the request it would send (token as `buildCreateLearner`'s). */
  buildUpdateLearner(identifier: string, patch: LearnerPatch, auth?: { accessToken?: string }): HttpRequest;
  /** Sans-IO twin of {@link TeachOnMars.updateLearner}: reads the response to `buildUpdateLearner`'s request. */
  parseUpdateLearner(response: HttpResponseLike, identifier?: string, patch?: LearnerPatch): Learner;
}
