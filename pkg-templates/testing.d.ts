// lms-bridge/testing (Node only, ESM): mock vendors and signers for testing an integration.
/**
 * The mock vendors lms-bridge is tested against, for testing your own integration without
 * vendor sandboxes (Node, ESM). Each mock speaks its vendor's documented wire format on
 * 127.0.0.1, records every request, and injects faults on demand; the signers make the
 * inbound traffic (Miles Masterclass callbacks, LearnWorlds webhooks).
 *
 * @packageDocumentation
 */
import type { Scheme, SecretLike } from "../index.js";

/**
 * A recorded request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LearnWorlds } from "lms-bridge";
 * import { installLearnWorlds, startMockServer, type MockRequest } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * installLearnWorlds(server, { clientId: "lw-client", clientSecret: "lw-secret" });
 * const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: "lw-client", clientSecret: "lw-secret" });
 * await lw.sso({ email: "ada@example.com", username: "ada" });
 * const [sso]: MockRequest[] = server.seen("POST", "/admin/api/sso");
 * assert.equal(sso.headers["lw-client"], "lw-client");
 * assert.match(sso.body, /^data=/);
 * await server.close();
 * ```
 */
export interface MockRequest {
  /** The HTTP method, upper case. */
  method: string;
  /** The URL path, without the query. */
  path: string;
  /** The query parameters. */
  query: Record<string, string>;
  /** The whole URL. */
  url: string;
  /** The request headers, names in lower case (as Node gives them). */
  headers: Record<string, string | string[] | undefined>;
  /** The body, as UTF-8 text. */
  body: string;
  /** Arrival time, Unix ms. */
  at: number;
}

/**
 * What a route answers: a response, or a fault.
 *
 * @example
 * ```ts
 * import { startMockServer, type MockAnswer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const ok: MockAnswer = { status: 200, json: { status: "ok" } };
 * const dropped: MockAnswer = { fault: "reset" };              // the connection is destroyed
 * const slow: MockAnswer = { fault: "delay", ms: 50, then: ok };
 * server.queue("GET", "/status", dropped, slow).route("GET", "/status", ok);
 * await server.close();
 * ```
 */
export type MockAnswer =
  | {
      /** Default 200. */
      status?: number;
      /** The response headers. */
      headers?: Record<string, string>;
      /** The body as text. */
      body?: string;
      /** A body to send as JSON (sets `content-type: application/json`). */
      json?: unknown;
    }
  | {
      /** Destroys the socket without answering. */
      fault: "reset";
    }
  | {
      /** Waits `ms`, then answers `then` (or hangs up when absent). */
      fault: "delay";
      /** The wait, in ms. */
      ms: number;
      /** The answer after the wait. */
      then?: MockAnswer;
    }
  | {
      /** Announces a longer `Content-Length`, sends `body`, then closes. */
      fault: "truncate";
      /** What is sent before the connection closes. */
      body: string;
    }
  | {
      /** Streams `bytes` bytes of filler without a length. */
      fault: "oversized";
      /** How many bytes. */
      bytes: number;
    }
  | null;

/**
 * A route's handler: a fixed answer, or a function of the request (may be async). `null`
 * from a function means the handler wrote the response itself.
 *
 * @example
 * ```ts
 * import { startMockServer, type MockHandler } from "lms-bridge/testing";
 *
 * const echo: MockHandler = (request) => ({ status: 200, json: { method: request.method, query: request.query } });
 * const server = await startMockServer();
 * server.route("GET", "/echo", echo);
 * const reply = await fetch(`${server.origin}/echo?x=1`);
 * console.log(await reply.json()); // { method: "GET", query: { x: "1" } }
 * await server.close();
 * ```
 */
export type MockHandler = MockAnswer | ((request: MockRequest & { json?: any }) => MockAnswer | Promise<MockAnswer>);

/**
 * Seeded random faults on every route: `server.chaos(options)`.
 *
 * @example
 * ```ts
 * import { TeachOnMars } from "lms-bridge";
 * import { installTeachOnMars, startMockServer, type ChaosOptions } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installTeachOnMars(server, { clientSecret: "test-secret" });
 * const tom = new TeachOnMars({ baseUrl: server.origin, auth: { clientId: mock.clientId, clientSecret: "test-secret", tokenUrl: mock.tokenUrl } });
 * const options: ChaosOptions = { rate: 0.3, seed: 7, kinds: ["503", "reset-after"], skip: (r) => r.path === mock.tokenPath };
 * server.chaos(options);
 * for (const login of ["ada", "bob", "eve"]) await tom.signIn({ login }, { retries: 5 }).catch(() => undefined);
 * console.log(server.chaos(null)); // the faults injected, by kind
 * await server.close();
 * ```
 */
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

/**
 * A local HTTP server on 127.0.0.1 that records every request, answers from routes and
 * queues, and injects faults: what {@link startMockServer} returns and every
 * `installX` adds its vendor's routes to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startMockServer, type MockServer } from "lms-bridge/testing";
 *
 * const server: MockServer = await startMockServer();
 * server.route("GET", "/health", { status: 200, json: { ok: true } });
 * server.queue("GET", "/health", { status: 503 });             // the next request only
 * assert.equal((await fetch(`${server.url}/health`)).status, 503);
 * assert.equal((await fetch(`${server.url}/health`)).status, 200);
 * assert.equal(server.seen("GET", "/health").length, 2);
 * await server.close();
 * ```
 */
export interface MockServer {
  /** e.g. "http://127.0.0.1:41234" */
  origin: string;
  /** The same as `origin`. */
  url: string;
  /** The port the server listens on. */
  port: number;
  /** Every request received, in order. */
  requests: MockRequest[];
  /** Installs `handler` for METHOD path ("*" = any path); replaces the route's handler. */
  route(method: string, path: string, handler: MockHandler): MockServer;
  /** Answers the next requests to METHOD path with these, in order, then the route. */
  queue(method: string, path: string, ...answers: MockHandler[]): MockServer;
  /** The requests received for METHOD path, in order. */
  seen(method: string, path: string): MockRequest[];
  /** Forgets recorded requests and queued answers. */
  reset(): void;
  /** Random faults on every route; null stops them. Returns the counts so far. */
  chaos(options: ChaosOptions | null): Record<string, number>;
  /** The most requests (matching `filter`) that arrived within any window of `ms`. */
  maxInWindow(ms: number, filter?: (request: MockRequest) => boolean): number;
  /** Closes every connection and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a mock server on an ephemeral port of 127.0.0.1 (or `host`/`port`), optionally
 * adding `latencyMs` to every answer (a vendor's think time).
 *
 * @example
 * ```ts
 * import { MilesMasterclass } from "lms-bridge";
 * import { installMilesMasterclass, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer({ latencyMs: 20 });
 * const miles = installMilesMasterclass(server);
 * const mm = new MilesMasterclass({ baseUrl: miles.baseUrl, apiKey: "mm-test-key", timeoutMs: 1000 });
 * await mm.autoSubscribe({ email: "ada@example.com", lmsUserId: 42 });
 * await server.close();
 * ```
 */
export function startMockServer(options?: { host?: string; port?: number; latencyMs?: number }): Promise<MockServer>;

/**
 * Ready-made faults to queue or route.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MilesMasterclass, isLmsBridgeError } from "lms-bridge";
 * import { faults, installMilesMasterclass, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const miles = installMilesMasterclass(server);
 * const mm = new MilesMasterclass({ baseUrl: miles.baseUrl, apiKey: "mm-test-key" });
 * const route = "/api/integrations/lms/auto-subscribe";
 * server.queue("POST", route, faults.tooMany(0), faults.unavailable(0)); // then the route answers
 * await mm.autoSubscribe({ email: "ada@example.com", lmsUserId: 42 }); // retried twice
 * server.queue("POST", route, faults.malformedJson());
 * await assert.rejects(mm.autoSubscribe({ email: "ada@example.com", lmsUserId: 42 }), (e) => isLmsBridgeError(e) && e.code === "RESPONSE_MALFORMED");
 * await server.close();
 * ```
 */
export const faults: {
  /** Destroys the connection without an answer (`NETWORK`). */
  reset(): MockAnswer;
  /** Waits `ms`, then answers `then` (or hangs up). */
  delay(ms: number, then?: MockAnswer): MockAnswer;
  /** Never answers (60 s): for timeouts. */
  hang(): MockAnswer;
  /** A 200 that closes before the announced length (default body: a cut-off JSON object). */
  truncated(body?: string): MockAnswer;
  /** A 200 streaming `bytes` bytes without a length (for `maxResponseBytes`). */
  oversized(bytes: number): MockAnswer;
  /** A 200 whose JSON is cut off. */
  malformedJson(): MockAnswer;
  /** A 200 HTML maintenance page where JSON is expected. */
  wrongContentType(): MockAnswer;
  /** A 429, with `Retry-After: retryAfter` (seconds) when given. */
  tooMany(retryAfter?: number): MockAnswer;
  /** A 503, with `Retry-After: retryAfter` (seconds) when given. */
  unavailable(retryAfter?: number): MockAnswer;
};

/**
 * Miles Masterclass: auto-subscribe, access control, login URLs, under `basePath` ("/api"
 * by default), checking the API key in `apiKeyHeader` ("mm-test-key" in "x-api-key" by
 * default). Returns the mock's state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MilesMasterclass } from "lms-bridge";
 * import { installMilesMasterclass, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const miles = installMilesMasterclass(server, { apiKey: "mm-test-key" });
 * const mm = new MilesMasterclass({ baseUrl: miles.baseUrl, apiKey: "mm-test-key" });
 * await mm.autoSubscribe({ email: "ada@example.com", lmsUserId: 42 });
 * await mm.accessControl({ email: "ada@example.com", action: "block" });
 * assert.equal(miles.users.get("ada@example.com")?.lms_user_id, "42");
 * assert.equal(miles.access.get("ada@example.com"), "block");
 * await server.close();
 * ```
 */
export function installMilesMasterclass(server: MockServer, options?: { apiKey?: string; apiKeyHeader?: string; basePath?: string }): {
  /** The `baseUrl` to give the client. */
  baseUrl: string;
  /** Subscribed users (wire fields, snake_case), by e-mail. */
  users: Map<string, any>;
  /** Unused login URLs: token → `{ email, returnUrl }`. */
  logins: Map<string, any>;
  /** The last access-control action, by e-mail. */
  access: Map<string, any>;
};

/**
 * AlphaLearn: login, refresh, third-party login, forgot password (under `basePath`, default
 * "/v3"), and the LMS domain's `POST /site/login-by-jwt-token`. One user exists by default:
 * ada@example.com, password "s3cret-Pa55!", Google token "google-id-token-ada". Options:
 * `basePath`, `now` (the mock's clock), `tokenLifetimeMs`, `numbersAsStrings`, `users`,
 * `refreshDelayMs`. Returns the mock's state (tokens, e-mails sent, form landings, …).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AlphaLearn } from "lms-bridge";
 * import { installAlphaLearn, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installAlphaLearn(server);
 * const al = new AlphaLearn({ baseUrl: mock.baseUrl, domain: mock.domain });
 * const { user } = await al.login({ email: "ada@example.com", password: "s3cret-Pa55!" });
 * assert.equal(user.firstName, "Ada");
 * await server.close();
 * ```
 */
export function installAlphaLearn(server: MockServer, options?: Record<string, unknown>): {
  /** The `baseUrl` to give the client. */
  baseUrl: string;
  /** The LMS domain of the mock (its loopback host): the client's `domain`. */
  domain: string;
  [key: string]: any;
};
/**
 * An AlphaLearn error answer: the documented failure envelope with `code`, inside HTTP 200
 * unless `status` is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AlphaLearn } from "lms-bridge";
 * import { alphaError, installAlphaLearn, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installAlphaLearn(server);
 * const al = new AlphaLearn({ baseUrl: mock.baseUrl, domain: mock.domain });
 * server.queue("POST", "/v3/authorize/login", alphaError("1004", { internalMessage: "Invalid password" }));
 * await assert.rejects(al.login({ email: "ada@example.com", password: "s3cret-Pa55!" }), { code: "AUTH_FAILED", vendorCode: "1004" });
 * await server.close();
 * ```
 */
export function alphaError(code: number | string, options?: { status?: number; internalMessage?: string; moreInfo?: unknown[]; success?: boolean }): MockAnswer;
/**
 * The documented AlphaLearn success envelope around `payload` (a JSON body).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AlphaLearn } from "lms-bridge";
 * import { envelope, installAlphaLearn, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installAlphaLearn(server);
 * const al = new AlphaLearn({ baseUrl: mock.baseUrl, domain: mock.domain });
 * server.queue("POST", "/v3/authorize/forgot-password", { status: 200, json: envelope({ token: "reset-token-1" }) });
 * assert.equal((await al.forgotPassword({ email: "ada@example.com" })).token, "reset-token-1");
 * await server.close();
 * ```
 */
export function envelope(payload: unknown): unknown;
/**
 * The documented meanings of AlphaLearn's error codes, by code.
 *
 * @example
 * ```ts
 * import { ERROR_MEANINGS, alphaError } from "lms-bridge/testing";
 *
 * console.log(ERROR_MEANINGS["1017"]); // "Invalid refreshToken"
 * const refused = alphaError("1017", { internalMessage: ERROR_MEANINGS["1017"] });
 * ```
 */
export const ERROR_MEANINGS: Record<string, string>;

/**
 * Teach on Mars: OAuth token, learners, auth tokens, a legacy v3 route, and the mock app
 * (`/app/open`, `/app/shell`). Returns the mock's state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TeachOnMars } from "lms-bridge";
 * import { installTeachOnMars, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installTeachOnMars(server, { clientSecret: "test-secret", instance: "main" });
 * const tom = new TeachOnMars({
 *   baseUrl: server.origin, instance: "main",
 *   auth: { clientId: mock.clientId, clientSecret: "test-secret", tokenUrl: mock.tokenUrl },
 * });
 * const existing = mock.addLearner({ login: "bob", firstname: "Bob" });
 * const { created } = await tom.signIn({ login: "ada" });
 * assert.equal(created, true);
 * assert.equal(mock.created.get("ada"), 1);
 * assert.equal((await tom.findLearnerByLogin("bob"))?.identifier, existing.identifier);
 * await server.close();
 * ```
 */
export function installTeachOnMars(server: MockServer, options?: { clientId?: string; clientSecret?: string; tokenPath?: string; expiresIn?: number; instance?: string; searchShape?: "array" | "data" | "list" | "envelope" }): {
  /** The OAuth client id the token endpoint accepts. */
  clientId: string;
  /** The OAuth client secret the token endpoint accepts. */
  clientSecret: string;
  /** The token endpoint's path. */
  tokenPath: string;
  /** The token endpoint's URL: the client's `auth.tokenUrl`. */
  readonly tokenUrl: string;
  /** The learners, by identifier. */
  learners: Map<string, any>;
  /** login → learners created for it. */
  created: Map<string, number>;
  /** Auth tokens minted → learner identifier. */
  authTokens: Map<string, string>;
  /** Adds a learner (`login` required); returns it, with its `identifier`. */
  addLearner(fields: Record<string, unknown>): any;
  [key: string]: any;
};
/**
 * The mock app URL (on `server`) that stands in for a `…://globals.login?…` deep link: its
 * page shows who the link logs in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TeachOnMars } from "lms-bridge";
 * import { installTeachOnMars, mockAppUrl, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installTeachOnMars(server, { clientSecret: "test-secret" });
 * const tom = new TeachOnMars({ baseUrl: server.origin, auth: { clientId: mock.clientId, clientSecret: "test-secret", tokenUrl: mock.tokenUrl } });
 * const { deepLink } = await tom.signIn({ login: "ada" });
 * const page = await (await fetch(mockAppUrl(server, deepLink))).text();
 * assert.match(page, /Logged in as <strong>ada<\/strong>/);
 * await server.close();
 * ```
 */
export function mockAppUrl(server: MockServer, deepLink: string): string;
/**
 * A Teach on Mars v3 error answer (HTTP `status`, body `{ meta: { status, msg, … } }`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TeachOnMars } from "lms-bridge";
 * import { installTeachOnMars, startMockServer, v3Error } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const mock = installTeachOnMars(server, { clientSecret: "test-secret" });
 * const tom = new TeachOnMars({ baseUrl: server.origin, auth: { clientId: mock.clientId, clientSecret: "test-secret", tokenUrl: mock.tokenUrl } });
 * server.queue("POST", "/api/identities/v1/learners", v3Error(409, "LEARNER_PARAM_LOGIN_ALREADY_EXISTS"));
 * await assert.rejects(tom.createLearner({ login: "ada" }), { code: "CONFLICT", vendorCode: "LEARNER_PARAM_LOGIN_ALREADY_EXISTS" });
 * await server.close();
 * ```
 */
export function v3Error(status: number, msg: string): MockAnswer;

/**
 * LearnWorlds: tokens, SSO, user SSO and the school's login page, with the school's checks
 * (`Lw-Client`, form bodies, `access_denied` for unknown tokens, 30 requests per 10 s).
 * Options: `clientId`, `clientSecret` (defaults "lw-client", "lw-secret"), `expiresIn`
 * (seconds), `now`, `rateLimit` (`{ requests, perMs }` or false), `users`, `origin`.
 * Returns the school's state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LearnWorlds } from "lms-bridge";
 * import { installLearnWorlds, startMockServer } from "lms-bridge/testing";
 *
 * const server = await startMockServer();
 * const school = installLearnWorlds(server, { clientId: "lw-client", clientSecret: "lw-secret" });
 * const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: "lw-client", clientSecret: "lw-secret" });
 * const { url } = await lw.sso({ email: "ada@example.com", username: "ada" });
 * assert.ok(url.startsWith(server.origin));
 * assert.equal(school.appTokens.size, 1);
 * await server.close();
 * ```
 */
export function installLearnWorlds(server: MockServer, options?: { clientId?: string; clientSecret?: string; expiresIn?: number; [key: string]: unknown }): {
  /** The client secret the school accepts. */
  clientSecret: string;
  /** App tokens issued → expiry (Unix ms). */
  appTokens: Map<string, any>;
  [key: string]: any;
};
/**
 * The headers LearnWorlds sends with a webhook: `v1=<signature>` (`static`, the default) or
 * `v1=` + hex HMAC-SHA256 of `body` under `signature` (`"hmac-sha256-hex"`, as `LearnWorlds.verifyWebhook` names that mode).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LearnWorlds } from "lms-bridge";
 * import { learnWorldsWebhookHeaders } from "lms-bridge/testing";
 *
 * const body = JSON.stringify({ version: 2, type: "courseCompleted", school_id: "s1", data: { user: { email: "ada@example.com" }, course: { id: "intro" } } });
 * const headers = learnWorldsWebhookHeaders(body, { signature: "test-signature-value" });
 * const event = LearnWorlds.verifyWebhook(body, headers, { signature: "test-signature-value" });
 * assert.equal(event.type, "courseCompleted");
 * ```
 */
export function learnWorldsWebhookHeaders(body: string, options: { signature: string; mode?: "static" | "hmac-sha256-hex" }): Record<string, string>;

/**
 * The headers Miles Masterclass would send with a progress callback `body`, signed with
 * `secret` (Standard Webhooks by default; `scheme` "stripe" or "github" for the other
 * settings), to test your callback endpoint end to end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MilesMasterclass } from "lms-bridge";
 * import { signProgressCallback } from "lms-bridge/testing";
 *
 * const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
 * const mm = new MilesMasterclass({ baseUrl: "https://mm.example/api", apiKey: "mm-test-key", callback: { secret } });
 * const body = JSON.stringify({ event: "video.completed", email: "ada@example.com", video_id: "v9", status: "completed", cpe_credits: "1.5" });
 * const event = mm.verifyProgressCallback(body, signProgressCallback(body, { secret }));
 * assert.equal(event.cpeCredits, 1.5);
 * ```
 */
export function signProgressCallback(
  body: string | Uint8Array,
  options: { secret: SecretLike; scheme?: Scheme; timestamp?: number; id?: string },
): Record<string, string>;
