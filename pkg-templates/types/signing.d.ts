// ---- Signing functions (API.md §4): the same in "lms-bridge" and "lms-bridge/webhooks" ----

/**
 * Options of a reusable {@link Webhook} verifier.
 *
 * @example
 * ```ts
 * import { Webhook, type WebhookOptions } from "lms-bridge/webhooks";
 *
 * const options: WebhookOptions = {
 *   scheme: "standard-webhooks",
 *   secret: [currentSecret, previousSecret], // rotation
 *   toleranceSeconds: 300,
 * };
 * const webhook = new Webhook(options);
 * ```
 */
export interface WebhookOptions {
  /** The scheme the sender signs with. */
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
 * import { Webhook } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const webhook = new Webhook({ scheme: "standard-webhooks", secret: process.env.WEBHOOK_SECRET });
 * app.post("/hooks", express.raw({ type: "application/json" }), (req, res) => {
 *   const { id } = webhook.verify(req.body, req.headers); // throws LmsBridgeError otherwise
 *   res.sendStatus(204);
 * });
 * ```
 */
export declare class Webhook {
  /**
   * Decodes the secrets and checks the options once. A missing or empty secret, or an
   * unknown scheme → `INVALID_CONFIG`; a bad `toleranceSeconds` → `INVALID_INPUT`.
   */
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
 * The timestamp is checked before the MAC; comparisons are constant-time.
 *
 * @example
 * ```ts
 * import { isLmsBridgeError, verifyWebhook } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * try {
 *   const { id } = verifyWebhook(rawBody, request.headers, {
 *     scheme: "standard-webhooks",
 *     secret: [currentSecret, previousSecret], // rotation
 *   });
 *   log.info({ msg: "webhook accepted", id });
 * } catch (e) {
 *   if (!isLmsBridgeError(e)) throw e;
 *   console.warn("webhook refused:", e.code); // SIGNATURE_MISMATCH, TIMESTAMP_OUT_OF_TOLERANCE, …
 * }
 * ```
 */
export declare function verifyWebhook(payload: BytesLike, headers: HeadersLike, opts: VerifyWebhookOptions): VerifiedWebhook;

/**
 * Signs `payload` and returns the headers to send with it.
 *
 * @example
 * ```ts
 * import { signWebhook } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const payload = JSON.stringify({ type: "course.completed", learner: "ada" });
 * const headers = signWebhook(payload, { scheme: "standard-webhooks", secret: process.env.WEBHOOK_SECRET });
 * // { "webhook-id": "msg_…", "webhook-timestamp": "…", "webhook-signature": "v1,…" }
 * await fetch("https://partner.example/hooks", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: payload });
 * ```
 */
export declare function signWebhook(payload: BytesLike, opts: SignWebhookOptions): Record<string, string>;

/**
 * Appends `expires` and `sig` to `url` (HMAC-SHA256, base64url). The URL is signed exactly
 * as given (a `#fragment` is dropped); one that already has `expires` or `sig` →
 * `INVALID_INPUT`.
 *
 * @example
 * ```ts
 * import { signUrl } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const link = signUrl("https://lms.example/certificate/42", { secret, expiresInSeconds: 600 });
 * // https://lms.example/certificate/42?expires=…&sig=…
 * ```
 */
export declare function signUrl(url: string, opts: SignUrlOptions): string;

/**
 * Checks a URL made by `signUrl`: signature, expiry and (if given) its origin. Throws
 * `SIGNATURE_MISSING`, `SIGNATURE_MALFORMED`, `SIGNATURE_MISMATCH`, `URL_EXPIRED` or
 * `REDIRECT_NOT_ALLOWED`.
 *
 * @example
 * ```ts
 * import { verifySignedUrl } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const { url, expiresAt } = verifySignedUrl(`https://lms.example${req.url}`, {
 *   secret,
 *   allowedOrigins: ["https://lms.example"],
 * });
 * ```
 */
export declare function verifySignedUrl(url: string, opts: VerifySignedUrlOptions): VerifiedSignedUrl;

/**
 * HMAC-SHA256 of `message` under `key` (strings are UTF-8).
 *
 * @example
 * ```ts
 * import { hmacSha256 } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const mac = hmacSha256(secret, body);
 * const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
 * ```
 */
export declare function hmacSha256(key: BytesLike, message: BytesLike): Uint8Array;

/**
 * SHA-256 of `data` (strings are UTF-8).
 *
 * @example
 * ```ts
 * import { sha256 } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const digest = sha256(rawBody); // 32 bytes
 * const etag = `"${btoa(String.fromCharCode(...digest))}"`;
 * ```
 */
export declare function sha256(data: BytesLike): Uint8Array;

/**
 * Compares two byte strings in constant time; different lengths are unequal.
 *
 * @example
 * ```ts
 * import { hmacSha256, timingSafeEqual } from "lms-bridge/webhooks"; // or from "lms-bridge"
 *
 * const expected = hmacSha256(secret, body);
 * const received = Buffer.from(String(req.headers["x-signature"] ?? ""), "hex");
 * if (!timingSafeEqual(expected, received)) res.writeHead(401).end();
 * ```
 */
export declare function timingSafeEqual(a: BytesLike, b: BytesLike): boolean;
