// lms-bridge: shared types. The declarations of the exported functions and classes follow
// below, generated from the Rust doc comments. Every export has a description and every
// function, class and user-facing type an `@example`: `npm run docs` builds the API reference
// from these files, and tests/js/docs.test.mjs type-checks every example against the package.

/**
 * Loads the wasm module. Browsers: call once and await before anything else (idempotent;
 * may be given a URL, a Response, bytes or a WebAssembly.Module). Node and Workers: the
 * package is ready on import and this resolves at once (in Node it compiles the modules now
 * rather than on first use, e.g. while a server starts; a `.wasm` file missing next to the
 * package or its bundle is `INVALID_CONFIG`, here or at the first call that needs it). A call made in a browser before
 * `init()` has finished throws `NOT_INITIALIZED`. In a browser that cannot compile WebAssembly
 * it rejects with `UNSUPPORTED_ENVIRONMENT`: a page whose Content-Security-Policy lacks
 * `'wasm-unsafe-eval'` in `script-src`, or WebAssembly turned off (Safari's Lockdown Mode).
 * A module that does not load rejects with `NETWORK` (the request failed), `HTTP_STATUS` (an
 * error status, in `status`), `RESPONSE_MALFORMED` (the server sent something else, e.g. a
 * dev server's fallback page for a .wasm it does not serve) or `INVALID_INPUT` (given bytes
 * that are not the module); the original error is `cause`, and `init()` may be called again.
 *
 * @example
 * ```ts
 * import { init, verifyWebhook } from "lms-bridge";
 *
 * await init(); // browsers: fetches lms_bridge_bg.wasm next to the module (or pass its URL)
 * const { id } = verifyWebhook(rawBody, request.headers, { scheme: "standard-webhooks", secret });
 * ```
 */
export declare function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;

/**
 * Stable, machine-readable error codes (API.md §3): the `code` of every
 * {@link LmsBridgeError}.
 *
 * @example
 * ```ts
 * import { isLmsBridgeError, type ErrorCode } from "lms-bridge";
 *
 * const permanent: ErrorCode[] = ["INVALID_INPUT", "AUTH_FAILED", "CONFLICT"];
 * try {
 *   await tom.signIn({ login: "ada" });
 * } catch (e) {
 *   if (!isLmsBridgeError(e) || !permanent.includes(e.code)) throw e;
 *   console.error("not retried:", e.code, e.message);
 * }
 * ```
 */
export type ErrorCode =
  | "INVALID_INPUT" | "INVALID_CONFIG" | "NOT_INITIALIZED" | "UNSUPPORTED_ENVIRONMENT"
  | "SIGNATURE_MISSING" | "SIGNATURE_MALFORMED" | "SIGNATURE_MISMATCH"
  | "TIMESTAMP_OUT_OF_TOLERANCE" | "URL_EXPIRED" | "REDIRECT_NOT_ALLOWED"
  | "NETWORK" | "TIMEOUT" | "RATE_LIMITED" | "AUTH_FAILED" | "NOT_FOUND" | "CONFLICT"
  | "VENDOR_ERROR" | "HTTP_STATUS" | "RESPONSE_MALFORMED"
  /** The call's `signal` aborted it (not retryable). */
  | "ABORTED";

/**
 * The vendors: the `vendor` of an {@link LmsBridgeError} and of an {@link AttemptEvent}.
 *
 * @example
 * ```ts
 * import { isLmsBridgeError, type VendorId } from "lms-bridge";
 *
 * const failures = new Map<VendorId, number>();
 * function countFailure(e: unknown): void {
 *   if (isLmsBridgeError(e) && e.vendor) failures.set(e.vendor, (failures.get(e.vendor) ?? 0) + 1);
 * }
 * ```
 */
export type VendorId = "miles-masterclass" | "alphalearn" | "teach-on-mars" | "learnworlds";

/**
 * Everything lms-bridge throws (a real `Error` subclass). Never carries a secret, password
 * or token: not in `message`, `details`, `stack`, `JSON.stringify` or `util.inspect` output.
 * `instanceof` holds across the entries and module systems of one version of the package
 * (ESM and CommonJS side by side); {@link isLmsBridgeError} also recognises errors from
 * another version, where `instanceof` would not.
 *
 * @example
 * ```ts
 * import { LmsBridgeError, isLmsBridgeError } from "lms-bridge";
 *
 * try {
 *   await lw.sso({ email, username });
 * } catch (e) {
 *   if (!isLmsBridgeError(e)) throw e;
 *   log.info({ code: e.code, vendor: e.vendor, status: e.status, vendorCode: e.vendorCode, retryable: e.retryable });
 * }
 *
 * // A test double of a client can fail the way a real one does:
 * const refused = new LmsBridgeError("LearnWorlds refused the token", {
 *   code: "AUTH_FAILED", vendor: "learnworlds", status: 400, vendorCode: "access_denied",
 * });
 * ```
 */
export declare class LmsBridgeError extends Error {
  /**
   * Builds an error as lms-bridge does: a message and any of the fields (`retryable`
   * defaults to false). For test doubles of your own code; the library builds its own.
   */
  constructor(message: string, fields?: Partial<Pick<LmsBridgeError,
    "code" | "vendor" | "status" | "vendorCode" | "retryable" | "details">>);
  /** Always "LmsBridgeError": what {@link isLmsBridgeError} checks. */
  readonly name: "LmsBridgeError";
  /** Stable, machine-readable code. */
  code: ErrorCode;
  /** The vendor the error came from. */
  vendor?: VendorId;
  /** The HTTP status, when the error came from a response (also for errors inside a 200). */
  status?: number;
  /** The vendor's own code: "1002", "LEARNER_NOT_FOUND", "access_denied". */
  vendorCode?: string;
  /** True for NETWORK, TIMEOUT, RATE_LIMITED and HTTP_STATUS 502/503/504. */
  retryable: boolean;
  /** The parsed vendor error body, with secrets removed. */
  details?: unknown;
  /** `name`, `message` and the fields that are set, as a plain object (what `JSON.stringify` writes). */
  toJSON(): Record<string, unknown>;
}

/**
 * True for an LmsBridgeError from any copy of the package: checks that `name` is
 * "LmsBridgeError" and `code` a string, so it works across ESM and CommonJS copies.
 *
 * @example
 * ```ts
 * import { isLmsBridgeError } from "lms-bridge";
 *
 * try {
 *   await mm.createLoginUrl({ email });
 * } catch (e) {
 *   if (isLmsBridgeError(e) && e.code === "NOT_FOUND") console.log("subscribe the learner first");
 *   else throw e;
 * }
 * ```
 */
export declare function isLmsBridgeError(e: unknown): e is LmsBridgeError;

/**
 * Bytes: a Uint8Array, or a string taken as UTF-8. Webhook bodies must be the bytes as
 * received (a `Buffer` is a `Uint8Array`).
 *
 * @example
 * ```ts
 * import { sha256, type BytesLike } from "lms-bridge";
 *
 * const text: BytesLike = '{"event":"ping"}';               // its UTF-8 bytes
 * const bytes: BytesLike = new TextEncoder().encode("{}");  // as is
 * console.log(sha256(text), sha256(bytes));
 * ```
 */
export type BytesLike = string | Uint8Array;

/**
 * Request headers: a `Headers`, Node's `req.headers` (`IncomingHttpHeaders`: absent values
 * are `undefined`, repeated ones arrays), a plain object, or `[name, value]` pairs. Names are
 * matched case-insensitively.
 *
 * @example
 * ```ts
 * import { verifyWebhook, type HeadersLike } from "lms-bridge";
 *
 * const fromFetch: HeadersLike = request.headers;   // a Request's Headers
 * const fromNode: HeadersLike = req.headers;        // node:http, Express
 * const fromPairs: HeadersLike = [["Webhook-Id", "msg_1"], ["Webhook-Timestamp", "1700000000"]];
 * verifyWebhook(rawBody, fromNode, { scheme: "standard-webhooks", secret });
 * ```
 */
export type HeadersLike = Headers | Record<string, string | string[] | undefined> | Array<[string, string]>;

/**
 * A request to send (what every `buildX()` returns): plain data for any HTTP client.
 *
 * @example
 * ```ts
 * import type { HttpRequest } from "lms-bridge";
 *
 * const outgoing: HttpRequest = mm.buildAutoSubscribe({ email, lmsUserId: 42 });
 * const reply = await fetch(outgoing.url, { method: outgoing.method, headers: outgoing.headers, body: outgoing.body });
 * ```
 */
export interface HttpRequest {
  /** The HTTP method. */
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The absolute URL, query included. */
  url: string;
  /** The headers to send as they are (content type and authentication included). */
  headers: Record<string, string>;
  /** The body, already serialised (JSON or a form); absent when there is none. */
  body?: string;
}

/**
 * A received response (what every `parseX()` takes).
 *
 * @example
 * ```ts
 * import type { HttpResponseLike } from "lms-bridge";
 *
 * const outgoing = tom.buildSearchLearners("ada");
 * const reply = await fetch(outgoing.url, { method: outgoing.method, headers: outgoing.headers });
 * const response: HttpResponseLike = { status: reply.status, headers: reply.headers, body: await reply.text() };
 * const learners = tom.parseSearchLearners(response);
 * ```
 */
export interface HttpResponseLike {
  /** The HTTP status (100–599). */
  status: number;
  /** The response headers, if at hand: the parsers decide by status and body and read none. */
  headers?: HeadersLike;
  /** The body as received: text, or bytes read as UTF-8. */
  body: string | Uint8Array;
}

/**
 * Options every vendor client takes, besides its own.
 *
 * @example
 * ```ts
 * import { TeachOnMars } from "lms-bridge";
 *
 * const tom = new TeachOnMars({
 *   baseUrl: "https://acme.teachonmars.com",
 *   auth: { clientId, clientSecret, tokenUrl },
 *   timeoutMs: 5000,                          // per attempt, body included
 *   retries: 3,                               // only requests safe to repeat
 *   userAgent: "acme-lms/2.1",
 *   maxResponseBytes: 1024 * 1024,
 *   rateLimit: { requests: 20, perMs: 1000 }, // the budget agreed with the vendor
 *   hooks: { onRetry: (e) => console.warn(`retrying ${e.url} in ${e.delayMs} ms`) },
 * });
 * ```
 */
export interface ClientOptions {
  /** Default: globalThis.fetch. Any `fetch`-compatible function (tests, proxies, a shared limiter). */
  fetch?: typeof fetch;
  /** Per attempt, body included (`TIMEOUT` after it). Default 10000. */
  timeoutMs?: number;
  /** Further attempts for requests that are safe to repeat. Default 2. */
  retries?: number;
  /** Sent as `User-Agent` where the host allows it. */
  userAgent?: string;
  /** Clock, Unix ms. Default Date.now. Drives token expiry and callback tolerance. */
  now?: () => number;
  /** Larger responses are refused with RESPONSE_MALFORMED. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Client-side limit on sends (token requests and retries count; excess sends wait, FIFO).
   * Default: the vendor's documented limit (LearnWorlds 30 per 10 s), none for the others;
   * `false` turns it off (e.g. when several clients share a limiter of yours). */
  rateLimit?: RateLimit | false;
  /** Called for every attempt, with secrets already masked (never a body). */
  hooks?: ClientHooks;
}

/**
 * Per call: the optional last argument of every network method.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * setTimeout(() => ac.abort(), 5000); // e.g. the user went away
 * const { url } = await lw.sso({ email, username }, {
 *   signal: ac.signal, timeoutMs: 3000, headers: { "x-request-id": id },
 * });
 * ```
 */
export interface CallOptions {
  /** Cancels the call and its retries: it rejects with `ABORTED` (before, during or between
   * attempts; under the rate limit, when its turn comes). A token request shared with other
   * calls is not cancelled by one caller. */
  signal?: AbortSignal;
  /** Replaces the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number;
  /** Replaces the client's `retries` for this call (still only for requests safe to repeat). */
  retries?: number;
  /** Added to every attempt's request, replacing headers of the same name (e.g. tracing). */
  headers?: Record<string, string>;
}

/**
 * One attempt as hooks see it: values of secret-named headers and query parameters, and
 * every configured secret, appear as "[redacted]".
 *
 * @example
 * ```ts
 * import { LearnWorlds, type AttemptEvent } from "lms-bridge";
 *
 * const trace = (e: AttemptEvent) => log.info({
 *   vendor: e.vendor, attempt: e.attempt, method: e.method, url: e.url, status: e.status ?? e.error, ms: e.durationMs,
 * });
 * const lw = new LearnWorlds({ schoolUrl, clientId, clientSecret, hooks: { onResponse: trace } });
 * ```
 */
export interface AttemptEvent {
  /** The vendor called. */
  vendor: VendorId;
  /** 0 for the first attempt of a request, 1 for its first retry, … */
  attempt: number;
  /** The request's HTTP method. */
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The request's URL, secret query parameters redacted. */
  url: string;
  /** The request's headers, secret values redacted. */
  headers: Record<string, string>;
  /** onResponse, onRetry: the HTTP status, when a response came. */
  status?: number;
  /** onResponse, onRetry: what went wrong without a response. */
  error?: "network" | "timeout" | "too_large" | "not_a_response" | "aborted";
  /** onResponse: the attempt's duration. */
  durationMs?: number;
  /** onRetry: the wait before the next attempt. */
  delayMs?: number;
}

/**
 * Logging and tracing: called synchronously; return values and throws are ignored.
 *
 * @example
 * ```ts
 * import { MilesMasterclass, type ClientHooks } from "lms-bridge";
 *
 * const hooks: ClientHooks = {
 *   onRequest: (e) => log.info({ msg: "send", url: e.url, attempt: e.attempt }),
 *   onResponse: (e) => log.info({ msg: "answer", status: e.status ?? e.error, ms: e.durationMs }),
 *   onRetry: (e) => log.info({ msg: "retry", delayMs: e.delayMs }),
 * };
 * const mm = new MilesMasterclass({ baseUrl, apiKey, hooks });
 * ```
 */
export interface ClientHooks {
  /** Before each attempt is sent. */
  onRequest?: (event: AttemptEvent) => void;
  /** After each attempt: a response (any status) or a failure. */
  onResponse?: (event: AttemptEvent) => void;
  /** When an attempt will be retried, with the delay before it. */
  onRetry?: (event: AttemptEvent) => void;
}

/**
 * A client-side rate limit: at most `requests` sends per `perMs` milliseconds (FIFO),
 * counted as the vendor counts them, on arrival.
 *
 * @example
 * ```ts
 * import { LearnWorlds, type RateLimit } from "lms-bridge";
 *
 * // Two processes share the school's 30 requests per 10 s: half each.
 * const half: RateLimit = { requests: 15, perMs: 10_000 };
 * const lw = new LearnWorlds({ schoolUrl, clientId, clientSecret, rateLimit: half });
 * console.log(lw.rateLimit); // { requests: 15, perMs: 10000 }
 * ```
 */
export interface RateLimit {
  /** Sends allowed per window: a positive integer. */
  requests: number;
  /** The window, in milliseconds: a positive integer. */
  perMs: number;
}

// ---- Signing (API.md §4) ----

/**
 * A webhook signature scheme: `standard-webhooks` (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature` over `id.timestamp.body`), `stripe` (`Stripe-Signature: t=…,v1=…`
 * over `ts.body`) or `github` (`X-Hub-Signature-256: sha256=…` over the body).
 *
 * @example
 * ```ts
 * import { verifyWebhook, type Scheme } from "lms-bridge";
 *
 * const scheme: Scheme = "github";
 * const { secretIndex } = verifyWebhook(rawBody, req.headers, { scheme, secret });
 * ```
 */
export type Scheme = "standard-webhooks" | "stripe" | "github";

/**
 * A secret: a string (standard-webhooks: optional `whsec_` + base64; the other schemes and
 * signed URLs: its UTF-8 bytes) or raw key bytes.
 *
 * @example
 * ```ts
 * import { signWebhook, type SecretLike } from "lms-bridge";
 *
 * const text: SecretLike = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";  // base64 after whsec_
 * const raw: SecretLike = crypto.getRandomValues(new Uint8Array(32)); // the key itself
 * signWebhook(body, { scheme: "standard-webhooks", secret: text });
 * signWebhook(body, { scheme: "standard-webhooks", secret: raw });
 * ```
 */
export type SecretLike = string | Uint8Array;

/**
 * Options of {@link signWebhook}.
 *
 * @example
 * ```ts
 * import { signWebhook } from "lms-bridge";
 *
 * const headers = signWebhook(body, {
 *   scheme: "standard-webhooks",
 *   secret: process.env.WEBHOOK_SECRET,
 *   id: "msg_2b9f1c",                          // default: msg_ + random
 *   timestamp: Math.floor(Date.now() / 1000), // Unix seconds; default now
 * });
 * await fetch("https://lms.example/hooks", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
 * ```
 */
export interface SignWebhookOptions {
  /** Which headers are written, and over what the MAC is computed. */
  scheme: Scheme;
  /** The signing secret (see {@link SecretLike}). */
  secret: SecretLike;
  /** standard-webhooks message id; default `msg_` + random. */
  id?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

/**
 * Options of {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from "lms-bridge";
 *
 * const verified = verifyWebhook(rawBody, req.headers, {
 *   scheme: "stripe",
 *   secret: [currentSecret, previousSecret], // rotation
 *   toleranceSeconds: 600,
 * });
 * // A GitHub-style signature under another header name:
 * verifyWebhook(rawBody, req.headers, { scheme: "github", secret, header: "X-Signature-256" });
 * ```
 */
export interface VerifyWebhookOptions {
  /** The scheme the sender signs with. */
  scheme: Scheme;
  /** Several secrets = rotation; `secretIndex` tells which matched. */
  secret: SecretLike | SecretLike[];
  /** Default 300; `Infinity` turns the timestamp check off. */
  toleranceSeconds?: number;
  /** Unix ms; default Date.now(). */
  now?: number;
  /** Overrides the signature header name. */
  header?: string;
}

/**
 * What a successful verification returns ({@link verifyWebhook}, {@link Webhook.verify}).
 *
 * @example
 * ```ts
 * import { verifyWebhook } from "lms-bridge";
 *
 * const { id, timestamp, secretIndex } = verifyWebhook(rawBody, req.headers, {
 *   scheme: "standard-webhooks", secret: [currentSecret, previousSecret],
 * });
 * if (secretIndex > 0) log.info({ msg: "the sender still signs with the previous secret", id, timestamp });
 * ```
 */
export interface VerifiedWebhook {
  /** The scheme that was checked. */
  scheme: Scheme;
  /** The message id (`webhook-id`, standard-webhooks only): de-duplicate on it. */
  id?: string;
  /** Unix seconds: the signed timestamp (standard-webhooks and stripe). */
  timestamp?: number;
  /** The index in `secret` of the secret that matched (0 for a single secret). */
  secretIndex: number;
}

/**
 * Options of {@link signUrl}.
 *
 * @example
 * ```ts
 * import { signUrl } from "lms-bridge";
 *
 * const link = signUrl("https://lms.example/certificate/42?lang=en", { secret, expiresInSeconds: 600 });
 * // https://lms.example/certificate/42?lang=en&expires=…&sig=…
 * ```
 */
export interface SignUrlOptions {
  /** The HMAC key: a string (its UTF-8 bytes) or bytes. */
  secret: SecretLike;
  /** Default 300. */
  expiresInSeconds?: number;
  /** Unix ms; default Date.now(). */
  now?: number;
}

/**
 * Options of {@link verifySignedUrl}.
 *
 * @example
 * ```ts
 * import { verifySignedUrl } from "lms-bridge";
 *
 * const { url } = verifySignedUrl(`https://lms.example${req.url}`, {
 *   secret: [currentSecret, previousSecret],
 *   allowedOrigins: ["https://lms.example"],
 * });
 * ```
 */
export interface VerifySignedUrlOptions {
  /** The key it was signed with, or several during rotation. */
  secret: SecretLike | SecretLike[];
  /** Unix ms; default Date.now(). The URL is valid while `now` is before `expires`. */
  now?: number;
  /** When given, the URL's origin must be one of these (else `REDIRECT_NOT_ALLOWED`). */
  allowedOrigins?: string[];
}

/**
 * What {@link verifySignedUrl} returns for a valid URL.
 *
 * @example
 * ```ts
 * import { signUrl, verifySignedUrl } from "lms-bridge";
 *
 * const link = signUrl("https://lms.example/report/7", { secret });
 * const { url, expiresAt } = verifySignedUrl(link, { secret });
 * console.log(`${url} is valid until ${new Date(expiresAt).toISOString()}`);
 * ```
 */
export interface VerifiedSignedUrl {
  /** The URL without `expires` and `sig`. */
  url: string;
  /** Unix ms. */
  expiresAt: number;
}
