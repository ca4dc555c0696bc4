// ---- Miles Masterclass (provisional: the vendor's wire format is unpublished) ----

/**
 * Options of {@link MilesMasterclass}: the {@link ClientOptions} and these. Paths, wire
 * names, the key header and the callback authentication are configurable because the vendor
 * has not published them; the defaults are the library's documented ones.
 *
 * @example
 * ```ts
 * import { MilesMasterclass } from "lms-bridge";
 *
 * const mm = new MilesMasterclass({
 *   baseUrl: "https://test-masterclass.milesmasterclass.com/api",
 *   apiKey: process.env.MM_API_KEY,
 *   apiKeyHeader: "X-LMS-OPEN-API-KEY",
 *   callback: { secret: process.env.MM_CALLBACK_SECRET, toleranceSeconds: 300 },
 *   requestSigning: { secret: process.env.MM_SIGNING_SECRET },
 *   paths: { loginUrl: "/integrations/lms/login-link" },
 *   fieldNames: { lms_user_id: "external_id" },
 * });
 * ```
 */
export interface MilesMasterclassOptions extends ClientOptions {
  /** Required, absolute https (http only on loopback), e.g. "https://test-masterclass.milesmasterclass.com/api". */
  baseUrl: string;
  /** The API key Miles Masterclass issued (a server secret), sent in `apiKeyHeader`. */
  apiKey: string;
  /** Default "X-API-Key". */
  apiKeyHeader?: string;
  /** Adds Standard Webhooks headers over the exact body of every outbound request. */
  requestSigning?: {
    /** The signing secret (`whsec_` + base64, or raw bytes). */
    secret: SecretLike;
  };
  /** How progress callbacks are authenticated: a signing secret, else an API key. */
  callback?: {
    /** The secret callbacks are signed with; several = rotation. */
    secret?: SecretLike | SecretLike[];
    /** Default "standard-webhooks". */
    scheme?: Scheme;
    /** Without `secret`: the API key callbacks carry; several = rotation. */
    apiKey?: string | string[];
    /** Default "X-API-Key". */
    apiKeyHeader?: string;
    /** Default 300; Infinity turns the check off. */
    toleranceSeconds?: number;
  };
  /** Route paths relative to baseUrl, each starting with "/". */
  paths?: {
    /** Default "/integrations/lms/auto-subscribe". */
    autoSubscribe?: string;
    /** Default "/access/control". */
    accessControl?: string;
    /** Default "/integrations/lms/login-url". */
    loginUrl?: string;
  };
  /** Renames wire keys, e.g. { lms_user_id: "external_id" }. */
  fieldNames?: Record<string, string>;
}

/**
 * `autoSubscribe()` input: the learner to create or update.
 *
 * @example
 * ```ts
 * import type { AutoSubscribeInput } from "lms-bridge";
 *
 * const input: AutoSubscribeInput = {
 *   email, firstName, lastName, lmsUserId: 42,
 *   organization: { id: "7", name: "ICPAS" },
 * };
 * const { status, userId } = await mm.autoSubscribe(input);
 * ```
 */
export interface AutoSubscribeInput {
  /** The learner's e-mail address. */
  email: string;
  /** The learner's first name. */
  firstName?: string;
  /** The learner's last name. */
  lastName?: string;
  /** Sent as a decimal string when a number. */
  lmsUserId: string | number;
  /** The learner's organisation. */
  organization?: {
    /** Your id of the organisation. */
    id?: string | number;
    /** The organisation's name. */
    name?: string;
  };
}

/**
 * What `autoSubscribe()` returns.
 *
 * @example
 * ```ts
 * import type { AutoSubscribeResult } from "lms-bridge";
 *
 * const result: AutoSubscribeResult = await mm.autoSubscribe({ email, lmsUserId: learner.lmsUserId });
 * log.info({ msg: "subscribed", status: result.status, milesUserId: result.userId });
 * ```
 */
export interface AutoSubscribeResult {
  /** The vendor's status string. */
  status: string;
  /** The Miles Masterclass user id (a number is read as a string). */
  userId?: string;
  /** The whole parsed body. */
  raw: Record<string, unknown>;
}

/**
 * `accessControl()` input.
 *
 * @example
 * ```ts
 * import type { AccessControlInput } from "lms-bridge";
 *
 * const input: AccessControlInput = { email, action: "block", reason: "contract ended" };
 * await mm.accessControl(input);
 * ```
 */
export interface AccessControlInput {
  /** The learner's e-mail address. */
  email: string;
  /** Block, unblock or cancel the learner's access. */
  action: "block" | "unblock" | "cancel";
  /** Why, for the vendor's records. */
  reason?: string;
}

/**
 * What `accessControl()` returns.
 *
 * @example
 * ```ts
 * import type { AccessControlResult } from "lms-bridge";
 *
 * const { status }: AccessControlResult = await mm.accessControl({ email, action: "unblock" });
 * ```
 */
export interface AccessControlResult {
  /** The vendor's status string. */
  status: string;
  /** The whole parsed body. */
  raw: Record<string, unknown>;
}

/**
 * `createLoginUrl()` input.
 *
 * @example
 * ```ts
 * import type { LoginUrlInput } from "lms-bridge";
 *
 * const input: LoginUrlInput = { email: learner.email, returnUrl: "https://lms.example/dashboard" };
 * const { url } = await mm.createLoginUrl(input);
 * ```
 */
export interface LoginUrlInput {
  /** The learner's e-mail address. */
  email: string;
  /** Absolute http(s) URL the learner returns to; pass only URLs your LMS owns. */
  returnUrl?: string;
}

/**
 * What `createLoginUrl()` returns: a one-click login URL.
 *
 * @example
 * ```ts
 * import type { LoginUrlResult } from "lms-bridge";
 *
 * const { url, expiresAt }: LoginUrlResult = await mm.createLoginUrl({ email });
 * if (expiresAt === undefined || expiresAt > Date.now()) res.writeHead(303, { location: url }).end();
 * ```
 */
export interface LoginUrlResult {
  /** A bearer credential: redirect at once, never log it. */
  url: string;
  /** Unix ms. */
  expiresAt?: number;
}

/**
 * Fields every progress callback carries (Miles Masterclass is PROVISIONAL: one example
 * payload is known; see `shared/vendors/miles-masterclass.md` §4).
 *
 * @example
 * ```ts
 * import type { ProgressEventBase } from "lms-bridge";
 *
 * // Idempotency key of a callback (the API-key mode has no replay protection).
 * const keyOf = (e: ProgressEventBase<string>) => `${e.email}|${e.videoId}|${e.status}`;
 * const event = mm.verifyProgressCallback(rawBody, req.headers);
 * console.log(keyOf(event), event.cpeCredits, event.minutesConsumed);
 * ```
 */
export interface ProgressEventBase<E extends string> {
  /** What happened; switch on it. */
  event: E;
  /** The learner's e-mail address. */
  email?: string;
  /** Your id of the learner (`lms_user_id`; a number is read as a string). */
  lmsUserId?: string;
  /** The video the event is about. */
  videoId?: string;
  /** The learner's progress. */
  status: "in_progress" | "completed";
  /** CPE credits earned (≥ 0; 0 when absent). */
  cpeCredits: number;
  /** Minutes watched (≥ 0; 0 when absent). */
  minutesConsumed: number;
  /** ISO-8601 as sent, or null. */
  completedAt: string | null;
  /** The whole parsed body, unknown fields included. */
  raw: Record<string, unknown>;
}

/**
 * A learner watched part of a video.
 *
 * @example
 * ```ts
 * import type { VideoProgressEvent } from "lms-bridge";
 *
 * async function onProgress(e: VideoProgressEvent) {
 *   log.info({ learner: e.lmsUserId, video: e.videoId, minutes: e.minutesConsumed });
 * }
 * const event = mm.verifyProgressCallback(rawBody, req.headers);
 * if (event.event === "video.progress") await onProgress(event);
 * ```
 */
export interface VideoProgressEvent extends ProgressEventBase<"video.progress"> {}
/**
 * A learner finished a video.
 *
 * @example
 * ```ts
 * import type { VideoCompletedEvent } from "lms-bridge";
 *
 * const event = mm.verifyProgressCallback(rawBody, req.headers);
 * if (event.event === "video.completed") {
 *   const done: VideoCompletedEvent = event;
 *   await recordProgress(done);
 * }
 * ```
 */
export interface VideoCompletedEvent extends ProgressEventBase<"video.completed"> {}
/**
 * A learner finished a whole course.
 *
 * @example
 * ```ts
 * import type { CourseCompletedEvent } from "lms-bridge";
 *
 * const event = mm.verifyProgressCallback(rawBody, req.headers);
 * if (event.event === "course.completed") {
 *   const done: CourseCompletedEvent = event;
 *   await completeCourse(done.lmsUserId, done.completedAt);
 * }
 * ```
 */
export interface CourseCompletedEvent extends ProgressEventBase<"course.completed"> {}
/**
 * An event name not (yet) known; it passes through verified. Cast to it in `default:`.
 *
 * @example
 * ```ts
 * import type { OtherProgressEvent } from "lms-bridge";
 *
 * const event = mm.verifyProgressCallback(rawBody, req.headers);
 * switch (event.event) {
 *   case "course.completed": await completeCourse(event.lmsUserId, event.completedAt); break;
 *   case "video.progress": case "video.completed": await recordProgress(event); break;
 *   default: log.info({ msg: "unknown Miles Masterclass event", event: (event as OtherProgressEvent).event });
 * }
 * ```
 */
export interface OtherProgressEvent extends ProgressEventBase<string> {}

/**
 * A verified progress callback: one member per known `event`.
 *
 * @example
 * ```ts
 * import { MilesMasterclass, type OtherProgressEvent, type ProgressEvent } from "lms-bridge";
 *
 * let reply;
 * try {
 *   const event: ProgressEvent = mm.verifyProgressCallback(rawBody, req.headers);
 *   switch (event.event) {
 *     case "course.completed": await completeCourse(event.lmsUserId, event.completedAt); break;
 *     case "video.completed": case "video.progress": await recordProgress(event); break;
 *     default: console.log("unhandled", (event as OtherProgressEvent).event);
 *   }
 *   reply = MilesMasterclass.callbackAck();
 * } catch (e) {
 *   reply = MilesMasterclass.callbackReject(e);
 * }
 * res.writeHead(reply.status, reply.headers).end(reply.body);
 * ```
 */
export type ProgressEvent = VideoProgressEvent | VideoCompletedEvent | CourseCompletedEvent;

/**
 * An HTTP response for your server to send back (`callbackAck()`, `callbackReject()`).
 *
 * @example
 * ```ts
 * import { MilesMasterclass, type CallbackResponse } from "lms-bridge";
 *
 * const reply: CallbackResponse = MilesMasterclass.callbackAck(); // 200 {"status":"ok"}
 * res.writeHead(reply.status, reply.headers).end(reply.body);
 * ```
 */
export interface CallbackResponse {
  /** The HTTP status: 200, or 401/400/500 for a rejection. */
  status: number;
  /** The response headers (a JSON content type). */
  headers: Record<string, string>;
  /** The body: a small JSON status, never any detail. */
  body: string;
}

/**
 * The sans-IO builders of `MilesMasterclass`: the request each call would send first (signed
 * when the client signs its requests, `requestSigning`), for your own HTTP client. Read the
 * response with the matching `parseX`.
 *
 * @example
 * ```ts
 * import { MilesMasterclass } from "lms-bridge";
 *
 * const mm = new MilesMasterclass({ baseUrl: "https://test-masterclass.milesmasterclass.com/api", apiKey: process.env.MM_API_KEY });
 * const req = mm.buildAutoSubscribe({ email: "ann@example.com", lmsUserId: 42 });
 * const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * const { status, userId } = mm.parseAutoSubscribe({ status: res.status, body: await res.text() });
 * ```
 */
export interface MilesMasterclass {
  /**
   * Sans-IO twin of {@link MilesMasterclass.autoSubscribe}: the request it would send, built
   * as for the call (headers, body, request signing). `auth` is ignored (no bearer token).
   * Bad input throws as the call would.
   */
  buildAutoSubscribe(input: AutoSubscribeInput, auth?: { accessToken?: string }): HttpRequest;
  /** Sans-IO twin of {@link MilesMasterclass.accessControl}: the request it would send (as `buildAutoSubscribe`'s). */
  buildAccessControl(input: AccessControlInput, auth?: { accessToken?: string }): HttpRequest;
  /** Sans-IO twin of {@link MilesMasterclass.createLoginUrl}: the request it would send (as `buildAutoSubscribe`'s). */
  buildCreateLoginUrl(input: LoginUrlInput, auth?: { accessToken?: string }): HttpRequest;
}
