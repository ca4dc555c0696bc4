// ---- Miles Masterclass (provisional: the vendor's wire format is unpublished) ----

export interface MilesMasterclassOptions extends ClientOptions {
  /** Required, absolute https (http only on loopback), e.g. "https://test-masterclass.milesmasterclass.com/api". */
  baseUrl: string;
  apiKey: string;
  /** Default "X-API-Key". */
  apiKeyHeader?: string;
  /** Adds Standard Webhooks headers over the exact body of every outbound request. */
  requestSigning?: { secret: SecretLike };
  /** How progress callbacks are authenticated: a signing secret, else an API key. */
  callback?: {
    secret?: SecretLike | SecretLike[];
    /** Default "standard-webhooks". */
    scheme?: Scheme;
    apiKey?: string | string[];
    /** Default "X-API-Key". */
    apiKeyHeader?: string;
    /** Default 300; Infinity turns the check off. */
    toleranceSeconds?: number;
  };
  /** Route paths relative to baseUrl, each starting with "/". */
  paths?: { autoSubscribe?: string; accessControl?: string; loginUrl?: string };
  /** Renames wire keys, e.g. { lms_user_id: "external_id" }. */
  fieldNames?: Record<string, string>;
}

export interface AutoSubscribeInput {
  email: string;
  firstName?: string;
  lastName?: string;
  /** Sent as a decimal string when a number. */
  lmsUserId: string | number;
  organization?: { id?: string | number; name?: string };
}

export interface AutoSubscribeResult {
  status: string;
  userId?: string;
  raw: Record<string, unknown>;
}

export interface AccessControlInput {
  email: string;
  action: "block" | "unblock" | "cancel";
  reason?: string;
}

export interface AccessControlResult {
  status: string;
  raw: Record<string, unknown>;
}

export interface LoginUrlInput {
  email: string;
  /** Absolute http(s) URL the learner returns to; pass only URLs your LMS owns. */
  returnUrl?: string;
}

export interface LoginUrlResult {
  /** A bearer credential: redirect at once, never log it. */
  url: string;
  /** Unix ms. */
  expiresAt?: number;
}

/** Fields every progress callback carries (Miles Masterclass is PROVISIONAL: one example payload
 * is known; see `shared/vendors/miles-masterclass.md` §4). */
export interface ProgressEventBase<E extends string> {
  /** What happened; switch on it. */
  event: E;
  email?: string;
  lmsUserId?: string;
  videoId?: string;
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

/** A learner watched part of a video. */
export interface VideoProgressEvent extends ProgressEventBase<"video.progress"> {}
/** A learner finished a video. */
export interface VideoCompletedEvent extends ProgressEventBase<"video.completed"> {}
/** A learner finished a whole course. */
export interface CourseCompletedEvent extends ProgressEventBase<"course.completed"> {}
/** An event name not (yet) known; it passes through verified. Cast to it in `default:`. */
export interface OtherProgressEvent extends ProgressEventBase<string> {}

/** A verified progress callback: one member per known `event`.
 *
 * @example
 * const event = mm.verifyProgressCallback(rawBody, request.headers);
 * switch (event.event) {
 *   case "video.completed": creditVideo(event.lmsUserId, event.videoId, event.cpeCredits); break;
 *   case "course.completed": completeCourse(event.lmsUserId, event.completedAt); break;
 *   case "video.progress": recordMinutes(event.lmsUserId, event.minutesConsumed); break;
 *   default: console.log("unhandled", (event as OtherProgressEvent).event);
 * }
 */
export type ProgressEvent = VideoProgressEvent | VideoCompletedEvent | CourseCompletedEvent;

/** An HTTP response for your server to send back. */
export interface CallbackResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
