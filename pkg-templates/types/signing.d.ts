// ---- Signing functions (API.md §4): the same in "lms-bridge" and "lms-bridge/webhooks" ----

/** Options of a reusable {@link Webhook} verifier. */
export interface WebhookOptions {
  scheme: Scheme;
  /** Several secrets = rotation; `secretIndex` tells which matched. */
  secret: SecretLike | SecretLike[];
  /** Default 300; `Infinity` turns the timestamp check off. */
  toleranceSeconds?: number;
  /** Overrides the signature header name. */
  header?: string;
}

/**
 * A reusable webhook verifier: the secrets are decoded once, so each `verify` only parses
 * the headers and computes one MAC per secret. The same checks, results and error codes
 * as {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * const webhook = new Webhook({ scheme: "standard-webhooks", secret: process.env.WEBHOOK_SECRET! });
 * const { id, timestamp } = webhook.verify(rawBody, request.headers);
 * ```
 */
export declare class Webhook {
  constructor(options: WebhookOptions);
  /** The scheme this verifier checks. */
  readonly scheme: Scheme;
  /** Verifies a received webhook over its exact bytes; throws `LmsBridgeError` when it does not verify. */
  verify(payload: BytesLike, headers: HeadersLike, options?: { now?: number }): VerifiedWebhook;
  /** Releases the verifier's wasm memory now (it is also released when the object is collected). */
  free(): void;
}

/**
 * Verifies a received webhook over its exact bytes. Throws `LmsBridgeError`
 * (`SIGNATURE_MISSING`, `SIGNATURE_MALFORMED`, `SIGNATURE_MISMATCH`,
 * `TIMESTAMP_OUT_OF_TOLERANCE`, `INVALID_CONFIG`, `INVALID_INPUT`) when it does not verify.
 *
 * @example
 * ```ts
 * const { id } = verifyWebhook(rawBody, request.headers, { scheme: "standard-webhooks", secret });
 * ```
 */
export declare function verifyWebhook(payload: BytesLike, headers: HeadersLike, opts: VerifyWebhookOptions): VerifiedWebhook;

/**
 * Signs `payload` and returns the headers to send with it.
 *
 * @example
 * ```ts
 * const headers = signWebhook(body, { scheme: "standard-webhooks", secret: "whsec_…" });
 * ```
 */
export declare function signWebhook(payload: BytesLike, opts: SignWebhookOptions): Record<string, string>;

/** Appends `expires` and `sig` to `url` (HMAC-SHA256, base64url). */
export declare function signUrl(url: string, opts: SignUrlOptions): string;

/** Checks a URL made by `signUrl`: signature, expiry and (if given) its origin. */
export declare function verifySignedUrl(url: string, opts: VerifySignedUrlOptions): VerifiedSignedUrl;

/** HMAC-SHA256 of `message` under `key` (strings are UTF-8). */
export declare function hmacSha256(key: BytesLike, message: BytesLike): Uint8Array;

/** SHA-256 of `data` (strings are UTF-8). */
export declare function sha256(data: BytesLike): Uint8Array;

/** Compares two byte strings in constant time; different lengths are unequal. */
export declare function timingSafeEqual(a: BytesLike, b: BytesLike): boolean;
