// lms-bridge: shared types. The declarations of the exported functions and classes follow
// below, generated from the Rust doc comments.

/**
 * Loads the wasm module. Browsers: call once and await before anything else (idempotent;
 * may be given a URL, a Response, bytes or a WebAssembly.Module). Node and Workers: the
 * module is ready on import and this resolves at once.
 */
export declare function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;

/** Stable, machine-readable error codes (API.md §3). */
export type ErrorCode =
  | "INVALID_INPUT" | "INVALID_CONFIG" | "NOT_INITIALIZED" | "UNSUPPORTED_ENVIRONMENT"
  | "SIGNATURE_MISSING" | "SIGNATURE_MALFORMED" | "SIGNATURE_MISMATCH"
  | "TIMESTAMP_OUT_OF_TOLERANCE" | "URL_EXPIRED" | "REDIRECT_NOT_ALLOWED"
  | "NETWORK" | "TIMEOUT" | "RATE_LIMITED" | "AUTH_FAILED" | "NOT_FOUND" | "CONFLICT"
  | "VENDOR_ERROR" | "HTTP_STATUS" | "RESPONSE_MALFORMED"
  /** The call's `signal` aborted it (not retryable). */
  | "ABORTED";

/** The vendors. */
export type VendorId = "miles-masterclass" | "alphalearn" | "teach-on-mars" | "learnworlds";

/** Everything lms-bridge throws. Never carries a secret, password or token. */
export declare class LmsBridgeError extends Error {
  constructor(message: string, fields?: Partial<Pick<LmsBridgeError,
    "code" | "vendor" | "status" | "vendorCode" | "retryable" | "details">>);
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
  toJSON(): Record<string, unknown>;
}

/** True for an LmsBridgeError from any copy of the package (checks `name`). */
export declare function isLmsBridgeError(e: unknown): e is LmsBridgeError;

/** Bytes: a Uint8Array, or a string taken as UTF-8. */
export type BytesLike = string | Uint8Array;
/** Headers: a Headers object, a plain object, or [name, value] pairs (names case-insensitive). */
/** Request headers: a `Headers`, Node's `req.headers` (`IncomingHttpHeaders`: absent values
 * are `undefined`, repeated ones arrays), a plain object, or `[name, value]` pairs. Names are
 * matched case-insensitively. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined> | Array<[string, string]>;

/** A request to send (what every `buildX()` returns). */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A received response (what every `parseX()` takes). */
export interface HttpResponseLike {
  status: number;
  headers?: HeadersLike;
  body: string | Uint8Array;
}

/** Options every vendor client takes. */
export interface ClientOptions {
  /** Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per attempt, body included. Default 10000. */
  timeoutMs?: number;
  /** Further attempts for requests that are safe to repeat. Default 2. */
  retries?: number;
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

/** Per call: the optional last argument of every network method. */
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

/** One attempt as hooks see it: values of secret-named headers and query parameters, and
 * every configured secret, appear as "[redacted]". */
export interface AttemptEvent {
  vendor: VendorId;
  /** 0 for the first attempt of a request, 1 for its first retry, … */
  attempt: number;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
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

/** Logging and tracing: called synchronously; return values and throws are ignored. */
export interface ClientHooks {
  /** Before each attempt is sent. */
  onRequest?: (event: AttemptEvent) => void;
  /** After each attempt: a response (any status) or a failure. */
  onResponse?: (event: AttemptEvent) => void;
  /** When an attempt will be retried, with the delay before it. */
  onRetry?: (event: AttemptEvent) => void;
}

/** A client-side rate limit: at most `requests` sends per `perMs` milliseconds (FIFO). */
export interface RateLimit {
  requests: number;
  perMs: number;
}

// ---- Signing (API.md §4) ----

export type Scheme = "standard-webhooks" | "stripe" | "github";
/** A secret: a string (standard-webhooks: optional `whsec_` + base64) or raw bytes. */
export type SecretLike = string | Uint8Array;

export interface SignWebhookOptions {
  scheme: Scheme;
  secret: SecretLike;
  /** standard-webhooks message id; default `msg_` + random. */
  id?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

export interface VerifyWebhookOptions {
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

export interface VerifiedWebhook {
  scheme: Scheme;
  id?: string;
  /** Unix seconds. */
  timestamp?: number;
  secretIndex: number;
}

export interface SignUrlOptions {
  secret: SecretLike;
  /** Default 300. */
  expiresInSeconds?: number;
  /** Unix ms; default Date.now(). */
  now?: number;
}

export interface VerifySignedUrlOptions {
  secret: SecretLike | SecretLike[];
  now?: number;
  allowedOrigins?: string[];
}

export interface VerifiedSignedUrl {
  /** The URL without `expires` and `sig`. */
  url: string;
  /** Unix ms. */
  expiresAt: number;
}
