// lms-bridge/testing (Node only, ESM): mock vendors and signers for testing an integration.
import type { Scheme, SecretLike } from "../index.js";

/** A recorded request. */
export interface MockRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Arrival time, Unix ms. */
  at: number;
}

/** What a route answers: a response, or a fault. */
export type MockAnswer =
  | { status?: number; headers?: Record<string, string>; body?: string; json?: unknown }
  | { fault: "reset" }
  | { fault: "delay"; ms: number; then?: MockAnswer }
  | { fault: "truncate"; body: string }
  | { fault: "oversized"; bytes: number }
  | null;

export type MockHandler = MockAnswer | ((request: MockRequest & { json?: any }) => MockAnswer | Promise<MockAnswer>);

export interface ChaosOptions {
  /** Share of requests answered with a fault. Default 0.05. */
  rate?: number;
  /** Seed of the fault sequence. Default 1. */
  seed?: number;
  /** Default all four. "reset-after" processes the request, then drops the connection. */
  kinds?: Array<"503" | "reset" | "reset-after" | "429-burst">;
  /** Requests answered 429 after a burst starts. Default 5. */
  burst?: number;
  /** Requests never faulted (e.g. token requests). */
  skip?: (request: MockRequest) => boolean;
}

export interface MockServer {
  /** e.g. "http://127.0.0.1:41234" */
  origin: string;
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: MockRequest[];
  route(method: string, path: string, handler: MockHandler): MockServer;
  /** Answers the next requests to METHOD path with these, in order, then the route. */
  queue(method: string, path: string, ...answers: MockHandler[]): MockServer;
  seen(method: string, path: string): MockRequest[];
  /** Forgets recorded requests and queued answers. */
  reset(): void;
  /** Random faults on every route; null stops them. Returns the counts so far. */
  chaos(options: ChaosOptions | null): Record<string, number>;
  /** The most requests (matching `filter`) that arrived within any window of `ms`. */
  maxInWindow(ms: number, filter?: (request: MockRequest) => boolean): number;
  close(): Promise<void>;
}

export function startMockServer(options?: { host?: string; port?: number; latencyMs?: number }): Promise<MockServer>;

export const faults: {
  reset(): MockAnswer;
  delay(ms: number, then?: MockAnswer): MockAnswer;
  hang(): MockAnswer;
  truncated(body?: string): MockAnswer;
  oversized(bytes: number): MockAnswer;
  malformedJson(): MockAnswer;
  wrongContentType(): MockAnswer;
  tooMany(retryAfter?: number): MockAnswer;
  unavailable(retryAfter?: number): MockAnswer;
};

/** Miles Masterclass: auto-subscribe, access control, login URLs. */
export function installMilesMasterclass(server: MockServer, options?: { apiKey?: string; apiKeyHeader?: string; basePath?: string }): {
  baseUrl: string;
  users: Map<string, any>;
  logins: Map<string, any>;
  access: Map<string, any>;
};

/** AlphaLearn: login, refresh, third-party login, forgot password, login-by-jwt-token. */
export function installAlphaLearn(server: MockServer, options?: Record<string, unknown>): {
  baseUrl: string;
  domain: string;
  [key: string]: any;
};
export function alphaError(code: number | string, options?: { status?: number; internalMessage?: string; moreInfo?: unknown[]; success?: boolean }): MockAnswer;
export function envelope(payload: unknown): unknown;
export const ERROR_MEANINGS: Record<string, string>;

/** Teach on Mars: OAuth token, learners, auth tokens, the app shell. */
export function installTeachOnMars(server: MockServer, options?: { clientId?: string; clientSecret?: string; tokenPath?: string; expiresIn?: number; instance?: string; searchShape?: "array" | "data" | "list" | "envelope" }): {
  clientId: string;
  clientSecret: string;
  tokenPath: string;
  readonly tokenUrl: string;
  learners: Map<string, any>;
  /** login → learners created for it. */
  created: Map<string, number>;
  authTokens: Map<string, string>;
  addLearner(fields: Record<string, unknown>): any;
  [key: string]: any;
};
export function mockAppUrl(server: MockServer, deepLink: string): string;
export function v3Error(status: number, msg: string): MockAnswer;

/** LearnWorlds: tokens, SSO, user SSO, the school's login page. */
export function installLearnWorlds(server: MockServer, options?: { clientId?: string; clientSecret?: string; expiresIn?: number; [key: string]: unknown }): {
  clientSecret: string;
  appTokens: Map<string, any>;
  [key: string]: any;
};
/** The headers LearnWorlds sends with a webhook (`static` signature mode by default). */
export function learnWorldsWebhookHeaders(body: string, options: { signature: string; mode?: "static" | "hmac" }): Record<string, string>;

/** The headers Miles Masterclass would send with a progress callback `body`. */
export function signProgressCallback(
  body: string | Uint8Array,
  options: { secret: SecretLike; scheme?: Scheme; timestamp?: number; id?: string },
): Record<string, string>;
