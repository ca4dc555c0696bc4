// lms-bridge/handoff: the browser hand-off helpers alone (AlphaLearn's login-by-JWT form and the
// page that posts it, Teach on Mars' app deep link), over their own small wasm module: what a
// page needs to hand a user over, without the vendor clients. `init`, the error types and the
// inputs' types are those of lms-bridge (taken from its templates by scripts/build.mjs).

/**
 * `AlphaLearn` of `lms-bridge/handoff`: the browser hand-off into a course alone, without the
 * API client. The same function as `AlphaLearn.loginByJwtForm` of `lms-bridge`: same form,
 * same errors.
 *
 * @example
 * ```ts
 * import { init, AlphaLearn, submitForm } from "lms-bridge/handoff";
 *
 * await init(); // browsers: fetches lms_bridge_handoff_bg.wasm next to the module (or pass its URL)
 * const { token } = await (await fetch("/api/alphalearn/jwt")).json(); // your server hands over the JWT
 * submitForm(AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token, type: "trainee", enrollmentId: 12555 }));
 * ```
 */
export declare const AlphaLearn: {
  /**
   * The form that hands a logged-in user over to a course in the browser:
   * `{ action: "https://{domain}/site/login-by-jwt-token", method: "POST", fields:
   * { token, type: "1"|"2", inputData: '{"enrollmentId":N}' } }` (loopback domains get
   * `http://`). Post it with `renderAutoSubmitForm` (server) or `submitForm` (browser). Bad
   * input → `INVALID_INPUT` naming the field.
   */
  loginByJwtForm(input: AlphaLearnJwtFormInput): AlphaLearnJwtForm;
};

/**
 * `TeachOnMars` of `lms-bridge/handoff`: the app deep link alone, without the API client. The
 * same function as `TeachOnMars.deepLink` of `lms-bridge`.
 *
 * @example
 * ```ts
 * import { init, TeachOnMars, openTeachOnMarsApp } from "lms-bridge/handoff";
 *
 * await init();
 * const { authToken } = await (await fetch("/api/teach-on-mars/token", { method: "POST" })).json();
 * openTeachOnMarsApp(TeachOnMars.deepLink(authToken, { profileCreation: false }));
 * ```
 */
export declare const TeachOnMars: {
  /**
   * The deep link that opens the app logged in:
   * `{scheme}://globals.login?authToken=<encoded>&profileCreation=true|false|null`.
   * `scheme` defaults to `"com.teachonmars"` (white-label apps: their own scheme); it must be
   * a URL scheme other than javascript, data, vbscript, file, http or https. An empty token or
   * a bad scheme → `INVALID_INPUT`.
   */
  deepLink(authToken: string, options?: DeepLinkOptions): string;
};

/**
 * A complete HTML page that POSTs `form` (from `AlphaLearn.loginByJwtForm`) on load: every
 * value escaped, a one-line submit script carrying `nonce` (for a CSP of
 * `script-src 'nonce-…'`), and a visible Continue button when scripts are off. Serve it with
 * `Cache-Control: no-store`: it carries a bearer JWT. A form that is not POST to an https (or
 * loopback http) action with string fields, or a bad nonce → `INVALID_INPUT`.
 *
 * @example
 * ```ts
 * import { randomBytes } from "node:crypto";
 * import { AlphaLearn, renderAutoSubmitForm } from "lms-bridge/handoff";
 *
 * const { token } = await al.login({ email, password }); // al: the AlphaLearn client of lms-bridge
 * const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token, type: "trainee", enrollmentId: 12555 });
 * const nonce = randomBytes(16).toString("base64");
 * res.writeHead(200, {
 *   "content-type": "text/html; charset=utf-8",
 *   "cache-control": "no-store",
 *   "content-security-policy": `script-src 'nonce-${nonce}'`,
 * }).end(renderAutoSubmitForm(form, { nonce }));
 * ```
 */
export declare function renderAutoSubmitForm(form: AlphaLearnJwtForm, options?: { nonce?: string }): string;

/**
 * Browser only: builds a `<form method="post">` with one hidden input per field using DOM
 * calls (never `innerHTML`), appends it to `document.body` and submits it (as
 * `HTMLFormElement.prototype.submit`, so fields named `submit` are harmless). The page
 * navigates away. Outside a browser page → `UNSUPPORTED_ENVIRONMENT`; a bad form →
 * `INVALID_INPUT` (the same check as `renderAutoSubmitForm`).
 *
 * @example
 * ```ts
 * import { AlphaLearn, init, submitForm } from "lms-bridge/handoff";
 *
 * await init();
 * const { token } = await (await fetch("/api/alphalearn/jwt")).json();
 * submitForm(AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token, type: "trainee", enrollmentId: 12555 }));
 * ```
 */
export declare function submitForm(form: AlphaLearnJwtForm): void;

/**
 * Opens the Teach on Mars app with a deep link from `signIn` or `TeachOnMars.deepLink`
 * (browser only, else `UNSUPPORTED_ENVIRONMENT`). In a top-level page it navigates
 * (`location.href = deepLink`); in a frame (the app's web view) it posts the link to the
 * top window (`window.top.postMessage(deepLink, targetOrigin ?? "*")`): pass
 * `targetOrigin` when you know it, since `"*"` hands the token to whatever frames the
 * page. Only `{scheme}://globals.login?…` links are accepted (`INVALID_INPUT`).
 *
 * @example
 * ```ts
 * import { init, openTeachOnMarsApp } from "lms-bridge/handoff";
 *
 * await init();
 * const { deepLink } = await (await fetch("/api/teach-on-mars/sign-in", { method: "POST" })).json();
 * openTeachOnMarsApp(deepLink, { targetOrigin: "https://app-shell.acme.example" });
 * ```
 */
export declare function openTeachOnMarsApp(deepLink: string, options?: OpenTeachOnMarsAppOptions): void;
