// ---- AlphaLearn ----

/**
 * Options of {@link AlphaLearn}: the {@link ClientOptions} and these.
 *
 * @example
 * ```ts
 * import { AlphaLearn } from "lms-bridge";
 *
 * const al = new AlphaLearn({
 *   domain: "lms.example.com",                 // the company's custom domain
 *   baseUrl: "https://api.alphalearn.com/v3",  // the default
 *   timeoutMs: 5000,
 * });
 * ```
 */
export interface AlphaLearnOptions extends ClientOptions {
  /** Default "https://api.alphalearn.com/v3"; https (http only on loopback). */
  baseUrl?: string;
  /** The company's custom domain, a bare host name ("lms.example.com", optional ":port"). */
  domain?: string;
}

/**
 * An AlphaLearn user, as login returns it (numbers sent as strings are read as numbers).
 *
 * @example
 * ```ts
 * import type { AlphaLearnUser } from "lms-bridge";
 *
 * const { user }: { user: AlphaLearnUser } = await al.login({ email, password });
 * console.log(`${user.firstName ?? ""} ${user.lastName ?? ""} (${user.role}) at ${user.companyName}`);
 * ```
 */
export interface AlphaLearnUser {
  /** The user's AlphaLearn id. */
  id: number;
  /** First name, or null. */
  firstName: string | null;
  /** Last name, or null. */
  lastName: string | null;
  /** E-mail address, or null. */
  email: string | null;
  /** Mobile number, or null. */
  mobile: string | null;
  /** The company's own identifier of the user (e.g. an employee number). */
  uniqueId: string;
  /** e.g. "Trainee". */
  role: string | null;
  /** e.g. "en-US". */
  language: string | null;
  /** e.g. "Asia/Kolkata". */
  timezone: string | null;
  /** A secret: never log it. */
  sessionToken: string | null;
  /** The user's company id. */
  companyId: number;
  /** The user's company name, or null. */
  companyName: string | null;
}

/**
 * `login()` input: e-mail and password.
 *
 * @example
 * ```ts
 * import type { AlphaLearnLoginInput } from "lms-bridge";
 *
 * const credentials: AlphaLearnLoginInput = { email, password, domain: "lms.example.com" };
 * const { token } = await al.login(credentials);
 * ```
 */
export interface AlphaLearnLoginInput {
  /** The user's e-mail address. */
  email: string;
  /** The user's password (never appears in errors). */
  password: string;
  /** Overrides the client's domain for this call. */
  domain?: string;
}

/**
 * What `login()` and `loginWithThirdParty()` return.
 *
 * @example
 * ```ts
 * import type { AlphaLearnLoginResult } from "lms-bridge";
 *
 * const result: AlphaLearnLoginResult = await al.login({ email, password });
 * const { user, token, refreshToken } = result; // keep refreshToken server-side
 * ```
 */
export interface AlphaLearnLoginResult {
  /** The user who logged in. */
  user: AlphaLearnUser;
  /** The JWT (60 minutes). */
  token: string;
  /** The refresh token (90 days); the vendor's `refresh-token`. */
  refreshToken: string;
}

/**
 * What `refreshToken()` returns.
 *
 * @example
 * ```ts
 * import type { AlphaLearnRefreshResult } from "lms-bridge";
 *
 * const { refreshToken } = await al.login({ email, password });
 * const { token }: AlphaLearnRefreshResult = await al.refreshToken(refreshToken);
 * ```
 */
export interface AlphaLearnRefreshResult {
  /** The new JWT (the refresh token stays the same). */
  token: string;
}

/**
 * `loginWithThirdParty()` input: a Google token.
 *
 * @example
 * ```ts
 * import type { AlphaLearnThirdPartyInput } from "lms-bridge";
 *
 * const input: AlphaLearnThirdPartyInput = { provider: "google", token: googleIdToken };
 * const { user, token } = await al.loginWithThirdParty(input);
 * ```
 */
export interface AlphaLearnThirdPartyInput {
  /** The identity provider; only "google" exists. */
  provider: "google";
  /** The Google token. */
  token: string;
}

/**
 * `forgotPassword()` input.
 *
 * @example
 * ```ts
 * import type { AlphaLearnForgotPasswordInput } from "lms-bridge";
 *
 * const input: AlphaLearnForgotPasswordInput = {
 *   email,
 *   sendEmailNotification: false,                        // you send the e-mail yourself
 *   overrideEmailUrl: "https://app.example/reset/{token}",
 * };
 * const { token } = await al.forgotPassword(input);
 * ```
 */
export interface AlphaLearnForgotPasswordInput {
  /** The user's e-mail address. */
  email: string;
  /** Overrides the client's domain for this call. */
  domain?: string;
  /** true: AlphaLearn e-mails the user (sent as 1); false/absent: it does not (2). */
  sendEmailNotification?: boolean;
  /** Your own https page; must contain the literal "{token}". */
  overrideEmailUrl?: string;
}

/**
 * What `forgotPassword()` returns.
 *
 * @example
 * ```ts
 * import type { AlphaLearnForgotPasswordResult } from "lms-bridge";
 *
 * const { token }: AlphaLearnForgotPasswordResult = await al.forgotPassword({ email });
 * // Server-side: e-mail the user a link to your reset page carrying `token`.
 * ```
 */
export interface AlphaLearnForgotPasswordResult {
  /** The password-reset token: keep it server-side. */
  token: string;
}

/**
 * `AlphaLearn.loginByJwtForm()` input: which course to hand the user over to.
 *
 * @example
 * ```ts
 * import { AlphaLearn, type AlphaLearnJwtFormInput } from "lms-bridge";
 *
 * const { token } = await al.login({ email, password });
 * const input: AlphaLearnJwtFormInput = { domain: "lms.example.com", token, type: "trainee", enrollmentId: 12555 };
 * const form = AlphaLearn.loginByJwtForm(input);
 * ```
 */
export interface AlphaLearnJwtFormInput {
  /** The company's custom domain (loopback hosts get http://). */
  domain: string;
  /** The user's JWT. */
  token: string;
  /** "admin" (admin/manager) → "1", "trainee" → "2". */
  type: "admin" | "trainee";
  /** A positive safe integer, or a string of digits. */
  enrollmentId: number | string;
}

/**
 * What loginByJwtForm returns; renderAutoSubmitForm and submitForm accept any POST form of
 * string fields.
 *
 * @example
 * ```ts
 * import { AlphaLearn, renderAutoSubmitForm, type AlphaLearnJwtForm } from "lms-bridge";
 *
 * const form: AlphaLearnJwtForm = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "eyJ…", type: "trainee", enrollmentId: 12555 });
 * // form.action: "https://lms.example.com/site/login-by-jwt-token"; form.fields.inputData: '{"enrollmentId":12555}'
 * res.setHeader("Cache-Control", "no-store");
 * res.end(renderAutoSubmitForm(form, { nonce }));
 * ```
 */
export interface AlphaLearnJwtForm {
  /** The URL the form posts to. */
  action: string;
  /** Always "POST". */
  method: "POST";
  /** The form's fields, each sent as a hidden input. */
  fields: {
    /** The user's JWT. */
    token: string;
    /** "1" (admin/manager) or "2" (trainee). */
    type: "1" | "2";
    /** `{"enrollmentId":N}`, the course to open. */
    inputData: string;
  } | Record<string, string>;
}

/**
 * Tokens a session starts from: `new AlphaLearnSession(client, tokens)`.
 *
 * @example
 * ```ts
 * import { AlphaLearnSession, type AlphaLearnSessionTokens } from "lms-bridge";
 *
 * const { token, refreshToken } = await al.login({ email, password });
 * const tokens: AlphaLearnSessionTokens = { token, refreshToken, expiresAt: Date.now() + 60 * 60_000 };
 * const session = new AlphaLearnSession(al, tokens);
 * ```
 */
export interface AlphaLearnSessionTokens {
  /** The JWT. */
  token: string;
  /** The refresh token. */
  refreshToken: string;
  /** Unix ms; default: the JWT's `exp`, else now + 60 minutes. */
  expiresAt?: number;
}

/**
 * The sans-IO twins of the `AlphaLearn` client: each builds the request its call would send,
 * or reads the response to it, for your own HTTP client.
 *
 * @example
 * ```ts
 * import { AlphaLearn } from "lms-bridge";
 *
 * const al = new AlphaLearn({ domain: "lms.example.com" });
 * const req = al.buildLogin({ email, password });
 * const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * const { user, token, refreshToken } = al.parseLogin({ status: res.status, body: await res.text() });
 * ```
 */
export interface AlphaLearn {
  /**
   * Sans-IO twin of {@link AlphaLearn.login}: the request it would send. Bad input throws as
   * the call would. `auth` is ignored (AlphaLearn's routes take no bearer token).
   */
  buildLogin(input: AlphaLearnLoginInput, auth?: { accessToken?: string }): HttpRequest;
  /** Sans-IO twin of {@link AlphaLearn.refreshToken}: the request it would send. */
  buildRefreshToken(refreshToken: string, auth?: { accessToken?: string }): HttpRequest;
  /** Sans-IO twin of {@link AlphaLearn.loginWithThirdParty}: the request it would send. */
  buildLoginWithThirdParty(input: AlphaLearnThirdPartyInput, auth?: { accessToken?: string }): HttpRequest;
  /** Sans-IO twin of {@link AlphaLearn.forgotPassword}: the request it would send. */
  buildForgotPassword(input: AlphaLearnForgotPasswordInput, auth?: { accessToken?: string }): HttpRequest;
  /**
   * Sans-IO twin of {@link AlphaLearn.login}: reads the response to the request of
   * `buildLogin` and returns what the call resolves to, or throws the `LmsBridgeError` it
   * would. Pass the call's input after `response`: its secrets are scrubbed from the errors
   * too (a vendor may echo them).
   */
  parseLogin(response: HttpResponseLike, input?: AlphaLearnLoginInput): AlphaLearnLoginResult;
  /** Sans-IO twin of {@link AlphaLearn.refreshToken}: reads the response to `buildRefreshToken`'s request. */
  parseRefreshToken(response: HttpResponseLike, refreshToken?: string): AlphaLearnRefreshResult;
  /** Sans-IO twin of {@link AlphaLearn.loginWithThirdParty}: reads the response to `buildLoginWithThirdParty`'s request. */
  parseLoginWithThirdParty(response: HttpResponseLike, input?: AlphaLearnThirdPartyInput): AlphaLearnLoginResult;
  /** Sans-IO twin of {@link AlphaLearn.forgotPassword}: reads the response to `buildForgotPassword`'s request. */
  parseForgotPassword(response: HttpResponseLike, input?: AlphaLearnForgotPasswordInput): AlphaLearnForgotPasswordResult;
}
