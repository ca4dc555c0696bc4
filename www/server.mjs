// The lms-bridge demo: one Node process that serves www/ and the built package (for the
// browser half of each flow), runs the server half of each flow with the package's clients,
// and, for every vendor without real credentials, embeds the mock vendor the tests use.
//
//   node www/server.mjs               PORT (default 8787; 0 = any free port)
//   import { startDemo } from "./www/server.mjs"; const { url, close } = await startDemo({ port: 0 });
//
// Real vendors: set the variables of the README’s “Demo” section in the environment or in demo.config.json
// (git-ignored; same names as keys). Secrets stay in this process: the page receives only what
// the real flows hand to a browser (an SSO/login URL, the AlphaLearn JWT for the form post, the
// Teach on Mars auth token), plus a log of each HTTP exchange with secrets masked.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AlphaLearn, LearnWorlds, MilesMasterclass, TeachOnMars, isLmsBridgeError, signWebhook } from "lms-bridge";
import { startMockServer } from "lms-bridge/testing";
import { installLearnWorlds } from "lms-bridge/testing";
import { installMilesMasterclass } from "lms-bridge/testing";
import { installAlphaLearn } from "lms-bridge/testing";
import { installTeachOnMars } from "lms-bridge/testing";

const wwwDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(wwwDir, "..");
const pkgDir = path.join(root, "node_modules/lms-bridge");

/** The canned demo learners (the page picks one by id). */
export const LEARNERS = [
  { id: "ada", firstName: "Ada", lastName: "Lovelace", email: "ada.lovelace@example.com", login: "ada.lovelace", lmsUserId: "lms-1815" },
  { id: "grace", firstName: "Grace", lastName: "Hopper", email: "grace.hopper@example.com", login: "grace.hopper", lmsUserId: "lms-1906" },
  { id: "alan", firstName: "Alan", lastName: "Turing", email: "alan.turing@example.com", login: "alan.turing", lmsUserId: "lms-1912" },
];

const VARS = {
  learnworlds: { required: ["LW_SCHOOL_URL", "LW_CLIENT_ID", "LW_CLIENT_SECRET"], optional: ["LW_REDIRECT_URL"] },
  "miles-masterclass": { required: ["MM_BASE_URL", "MM_API_KEY"], optional: ["MM_CALLBACK_SECRET", "MM_API_KEY_HEADER", "MM_RETURN_URL"] },
  alphalearn: {
    required: ["ALPHALEARN_DOMAIN", "ALPHALEARN_EMAIL", "ALPHALEARN_PASSWORD"],
    optional: ["ALPHALEARN_BASE_URL", "ALPHALEARN_ENROLLMENT_ID", "ALPHALEARN_TYPE"],
  },
  "teach-on-mars": {
    required: ["TOM_BASE_URL", "TOM_CLIENT_ID", "TOM_CLIENT_SECRET", "TOM_TOKEN_URL"],
    optional: ["TOM_INSTANCE", "TOM_APP_ORIGIN", "TOM_DEEP_LINK_SCHEME"],
  },
};

/**
 * The demo settings: demo.config.json (flat object, keys named like the variables), then the
 * environment on top. A vendor is "real" when all its required variables are set; setting only
 * some of them is an error (better than silently demoing the mock).
 */
export function loadConfig({ env = process.env, configFile = env.DEMO_CONFIG ?? path.join(root, "demo.config.json") } = {}) {
  let file = {};
  if (configFile && fs.existsSync(configFile)) file = JSON.parse(fs.readFileSync(configFile, "utf8"));
  const all = { ...file };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") all[k] = v;
  const vendors = {};
  for (const [vendor, { required, optional }] of Object.entries(VARS)) {
    const set = required.filter((k) => all[k]);
    if (set.length > 0 && set.length < required.length) {
      const missing = required.filter((k) => !all[k]);
      throw new Error(`demo config for ${vendor}: ${set.join(", ")} set but ${missing.join(", ")} missing`);
    }
    vendors[vendor] = set.length ? Object.fromEntries([...required, ...optional].filter((k) => all[k]).map((k) => [k, String(all[k])])) : null;
  }
  return vendors;
}

// ---------- recording the HTTP exchanges, secrets masked ----------

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|secret|token|password/i;
const SECRET_KEY = /secret|password|passwd|passphrase|token|jwt|api[-_]?key|private[-_]?key|access[-_]?key|signing[-_]?key|credential|session|cookie|authorization/i;
const NOT_SECRET_KEY = /^(token_type|tokenType)$|url$/i;
const MAX_SHOWN = 6000;

const masked = (v) => `‹masked, ${String(v).length} chars›`;
const ONE_TIME_URL_KEY = /^(url|login_?url|sso_?url|redirect_?url)$/i;
/** A one-time login/SSO URL: origin and path shown, the query (its code or token) masked. */
function maskUrl(u) {
  const q = u.indexOf("?");
  return q < 0 ? u : `${u.slice(0, q)}?${masked(u.slice(q + 1))}`;
}
/** Every occurrence of a configured secret (4+ characters), whatever the field or format. */
function maskValues(text, secrets) {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(masked(secret));
  return out;
}
/** The secret values in the demo's settings: every string under a secret-named key. */
export function secretsOf(value, secret = false, out = []) {
  if (typeof value === "string" && secret) out.push(value);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) secretsOf(v, secret || (SECRET_KEY.test(k) && !NOT_SECRET_KEY.test(k)), out);
  }
  return out;
}
function maskHeader(name, value) {
  if (!SECRET_HEADER.test(name)) return value;
  const m = /^(Bearer|Basic|Token)\s+(.+)$/i.exec(value);
  return m ? `${m[1]} ${masked(m[2])}` : masked(value);
}
function maskJson(v) {
  if (Array.isArray(v)) return v.map(maskJson);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      if (SECRET_KEY.test(k) && !NOT_SECRET_KEY.test(k) && x !== null) return [k, masked(typeof x === "object" ? JSON.stringify(x) : x)];
      if (ONE_TIME_URL_KEY.test(k) && typeof x === "string") return [k, maskUrl(x)];
      return [k, maskJson(x)];
    }));
  }
  return v;
}
/**
 * A body as shown on the page: JSON pretty-printed, form fields decoded one per line;
 * secret-named fields and one-time URLs masked, and every configured secret (`secrets`)
 * masked wherever it appears.
 */
export function showBody(body, contentType = "", secrets = []) {
  if (!body) return "";
  let out;
  if (/json/i.test(contentType) || /^\s*[{[]/.test(body)) {
    try {
      out = JSON.stringify(maskJson(JSON.parse(body)), null, 2);
    } catch {
      out = body;
    }
  } else if (/x-www-form-urlencoded/i.test(contentType)) {
    out = [...new URLSearchParams(body)].map(([k, v]) => {
      if (SECRET_KEY.test(k)) return `${k}=${masked(v)}`;
      try {
        const parsed = JSON.parse(v);
        if (parsed && typeof parsed === "object") return `${k}=${JSON.stringify(maskJson(parsed))}`;
      } catch { /* a plain value */ }
      return `${k}=${v}`;
    }).join("\n");
    out = `# form fields, URL-decoded for reading\n${out}`;
  } else {
    out = body;
  }
  out = maskValues(out, secrets);
  return out.length > MAX_SHOWN ? `${out.slice(0, MAX_SHOWN)}\n… (${out.length - MAX_SHOWN} more characters)` : out;
}
const SKIP_RESPONSE_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/**
 * A `fetch` for the clients that records each exchange (masked) into `exchanges`: headers
 * by name, bodies by field, and the configured `secrets` wherever they appear (a custom
 * API-key header, a non-JSON body).
 */
export function recordingFetch(exchanges, realFetch = globalThis.fetch, secrets = []) {
  const header = (k, v) => maskValues(maskHeader(k, v), secrets);
  return async (input, init = {}) => {
    const method = (init.method ?? input?.method ?? "GET").toUpperCase();
    const url = typeof input === "string" ? input : (input?.url ?? String(input));
    const headers = new Headers(init.headers ?? (typeof input === "object" ? input?.headers : undefined));
    let body = init.body ?? "";
    if (body instanceof Uint8Array || body instanceof ArrayBuffer) body = new TextDecoder().decode(body);
    else if (typeof body !== "string") body = "(streamed body)";
    const entry = {
      request: {
        method,
        url: maskValues(url, secrets),
        headers: Object.fromEntries([...headers].map(([k, v]) => [k, header(k, v)])),
        body: showBody(body, headers.get("content-type") ?? "", secrets),
      },
    };
    exchanges.push(entry);
    const started = Date.now();
    try {
      const res = await realFetch(input, init);
      const text = await res.clone().text();
      entry.response = {
        status: res.status,
        headers: Object.fromEntries([...res.headers].filter(([k]) => !SKIP_RESPONSE_HEADERS.has(k)).map(([k, v]) => [k, header(k, v)])),
        body: showBody(text, res.headers.get("content-type") ?? "", secrets),
      };
      return res;
    } catch (e) {
      entry.error = e?.name === "AbortError" ? "timed out" : String(e?.message ?? e);
      throw e;
    } finally {
      entry.ms = Date.now() - started;
    }
  };
}

// ---------- the vendors: mock or real ----------

const randomSecret = (n = 24) => crypto.randomBytes(n).toString("base64url");

async function setUpVendors(real) {
  const mocks = {};
  const settings = {};
  const closers = [];
  const mock = async (install) => {
    const server = await startMockServer();
    closers.push(() => server.close());
    return { server, state: install(server) };
  };

  // LearnWorlds
  if (real.learnworlds) {
    const c = real.learnworlds;
    settings.learnworlds = { schoolUrl: c.LW_SCHOOL_URL, clientId: c.LW_CLIENT_ID, clientSecret: c.LW_CLIENT_SECRET, redirectUrl: c.LW_REDIRECT_URL };
  } else {
    const clientSecret = randomSecret();
    mocks.learnworlds = await mock((s) => installLearnWorlds(s, { clientId: "demo-lw-client", clientSecret }));
    settings.learnworlds = { schoolUrl: mocks.learnworlds.server.origin, clientId: "demo-lw-client", clientSecret };
  }

  // Miles Masterclass (the demo plays Miles for progress callbacks: it needs the callback secret)
  if (real["miles-masterclass"]) {
    const c = real["miles-masterclass"];
    settings["miles-masterclass"] = {
      baseUrl: c.MM_BASE_URL, apiKey: c.MM_API_KEY, apiKeyHeader: c.MM_API_KEY_HEADER, returnUrl: c.MM_RETURN_URL,
      callbackSecret: c.MM_CALLBACK_SECRET ?? `whsec_${crypto.randomBytes(24).toString("base64")}`,
    };
  } else {
    const apiKey = randomSecret();
    mocks["miles-masterclass"] = await mock((s) => installMilesMasterclass(s, { apiKey }));
    settings["miles-masterclass"] = {
      baseUrl: mocks["miles-masterclass"].state.baseUrl, apiKey,
      callbackSecret: `whsec_${crypto.randomBytes(24).toString("base64")}`,
    };
  }

  // AlphaLearn: the real one logs in the configured account whichever learner is picked.
  if (real.alphalearn) {
    const c = real.alphalearn;
    settings.alphalearn = {
      baseUrl: c.ALPHALEARN_BASE_URL, domain: c.ALPHALEARN_DOMAIN,
      account: () => ({ email: c.ALPHALEARN_EMAIL, password: c.ALPHALEARN_PASSWORD }),
      enrollmentId: Number(c.ALPHALEARN_ENROLLMENT_ID ?? 12555), type: c.ALPHALEARN_TYPE ?? "trainee",
    };
  } else {
    const passwords = Object.fromEntries(LEARNERS.map((l) => [l.id, `${randomSecret(9)}-Pa55!`]));
    let state;
    mocks.alphalearn = await mock((s) => {
      const host = new URL(s.origin).host;
      state = installAlphaLearn(s, {
        users: LEARNERS.map((l, i) => ({
          id: 101 + i, email: l.email, password: passwords[l.id], domains: [host], firstName: l.firstName, lastName: l.lastName,
          mobile: "", uniqueId: l.lmsUserId, role: "Trainee", language: "en-US", timezone: "Europe/London",
          sessionToken: `sess-${randomSecret(12)}`, companyId: 7, companyName: "Demo Corp",
        })),
      });
      return state;
    });
    settings.alphalearn = {
      baseUrl: state.baseUrl, domain: state.domain,
      account: (learner) => ({ email: learner.email, password: passwords[learner.id] }),
      enrollmentId: 12555, type: "trainee",
    };
  }

  // Teach on Mars
  if (real["teach-on-mars"]) {
    const c = real["teach-on-mars"];
    settings["teach-on-mars"] = {
      baseUrl: c.TOM_BASE_URL, instance: c.TOM_INSTANCE,
      auth: { clientId: c.TOM_CLIENT_ID, clientSecret: c.TOM_CLIENT_SECRET, tokenUrl: c.TOM_TOKEN_URL },
      appOrigin: c.TOM_APP_ORIGIN ?? null, scheme: c.TOM_DEEP_LINK_SCHEME, shellUrl: null,
    };
  } else {
    const clientSecret = randomSecret();
    mocks["teach-on-mars"] = await mock((s) => installTeachOnMars(s, { clientId: "demo-tom-client", clientSecret }));
    const origin = mocks["teach-on-mars"].server.origin;
    settings["teach-on-mars"] = {
      baseUrl: origin, auth: { clientId: "demo-tom-client", clientSecret, tokenUrl: mocks["teach-on-mars"].state.tokenUrl },
      appOrigin: origin, shellUrl: `${origin}/app/shell`,
    };
  }
  return { mocks, settings, close: () => Promise.all(closers.map((c) => c())) };
}

// ---------- HTTP plumbing ----------

const STATIC = { "/": "index.html", "/index.html": "index.html", "/app.mjs": "app.mjs", "/style.css": "style.css" };
const TYPES = { ".html": "text/html; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm" };

async function readBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > limit) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
function sendJson(res, status, value) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}
/**
 * An error as the page sees it. The library scrubs the secrets of the client that failed;
 * the demo holds every vendor's, and masks them all (a vendor may echo anything).
 */
const errorInfo = (e, secrets = []) => {
  const text = (v) => (typeof v === "string" ? maskValues(v, secrets) : v);
  return isLmsBridgeError(e)
    ? { code: e.code, message: text(e.message), status: e.status, vendorCode: text(e.vendorCode), vendor: e.vendor }
    : { code: "DEMO_ERROR", message: text(String(e?.message ?? e)) };
};

// ---------- the demo ----------

/**
 * Starts the demo. Options: port (default $PORT or 8787; 0 = any), host ("127.0.0.1"),
 * env (process.env), configFile. Returns { url, close, mocks, vendors }.
 */
export async function startDemo({ port = process.env.PORT ? Number(process.env.PORT) : 8787, host = "127.0.0.1", env = process.env, configFile } = {}) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${port}`);
  const real = loadConfig({ env, ...(configFile !== undefined ? { configFile } : {}) });
  const vendors = await setUpVendors(real);
  const { settings } = vendors;
  const modes = Object.fromEntries(Object.keys(VARS).map((v) => [v, real[v] ? "real" : "mock"]));
  let origin = "";
  const callbackResults = new Map(); // webhook-id → what the callback endpoint concluded

  const learnerOf = (body) => {
    const l = LEARNERS.find((x) => x.id === body?.learner);
    if (!l) throw Object.assign(new Error("unknown learner"), { status: 400 });
    return l;
  };
  const mmClient = (fetch) => {
    const s = settings["miles-masterclass"];
    return new MilesMasterclass({
      baseUrl: s.baseUrl, apiKey: s.apiKey, ...(s.apiKeyHeader ? { apiKeyHeader: s.apiKeyHeader } : {}),
      callback: { secret: s.callbackSecret }, ...(fetch ? { fetch } : {}),
    });
  };
  const mmCallbackVerifier = mmClient();
  // Every configured secret, and the learners' passwords, masked wherever they appear.
  const secrets = [
    ...secretsOf(settings),
    ...LEARNERS.map((l) => settings.alphalearn.account(l).password).filter((p) => typeof p === "string"),
  ];

  const api = {
    "GET /api/config": () => ({
      learners: LEARNERS.map(({ id, firstName, lastName, email }) => ({ id, name: `${firstName} ${lastName}`, email })),
      vendors: Object.fromEntries(Object.keys(VARS).map((v) => [v, { mode: modes[v] }])),
      alphalearn: { domain: settings.alphalearn.domain, enrollmentId: settings.alphalearn.enrollmentId, type: settings.alphalearn.type, sharedAccount: modes.alphalearn === "real" },
      teachOnMars: { appOrigin: settings["teach-on-mars"].appOrigin, shellUrl: settings["teach-on-mars"].shellUrl, scheme: settings["teach-on-mars"].scheme ?? null },
    }),

    async "POST /api/learnworlds/sso"(body, exchanges) {
      const learner = learnerOf(body);
      const s = settings.learnworlds;
      const lw = new LearnWorlds({ schoolUrl: s.schoolUrl, clientId: s.clientId, clientSecret: s.clientSecret, fetch: recordingFetch(exchanges, undefined, secrets) });
      const { url, userId } = await lw.sso({ email: learner.email, username: learner.login, ...(s.redirectUrl ? { redirectUrl: s.redirectUrl } : {}) });
      return { url, userId };
    },

    async "POST /api/miles/login"(body, exchanges) {
      const learner = learnerOf(body);
      const mm = mmClient(recordingFetch(exchanges, undefined, secrets));
      const sub = await mm.autoSubscribe({ email: learner.email, firstName: learner.firstName, lastName: learner.lastName, lmsUserId: learner.lmsUserId });
      const returnUrl = settings["miles-masterclass"].returnUrl;
      const { url, expiresAt } = await mm.createLoginUrl({ email: learner.email, ...(returnUrl ? { returnUrl } : {}) });
      return { subscription: { status: sub.status, userId: sub.userId }, url, expiresAt };
    },

    // The demo plays Miles: it signs a ProgressEvent and posts it to its own callback endpoint.
    async "POST /api/miles/replay"(body, exchanges) {
      const learner = learnerOf(body);
      const tamper = body.tamper === true;
      const payload = JSON.stringify({
        event: "video.completed", email: learner.email, lms_user_id: learner.lmsUserId, video_id: "ethics-2025-01",
        status: "completed", cpe_credits: 1.5, minutes_consumed: 50, completed_at: new Date().toISOString(),
      });
      const id = `msg_${crypto.randomBytes(9).toString("hex")}`;
      const signature = signWebhook(payload, { scheme: "standard-webhooks", secret: settings["miles-masterclass"].callbackSecret, id });
      // Tampering: change the credits after signing, as an attacker on the path would.
      const sent = tamper ? payload.replace('"cpe_credits":1.5', '"cpe_credits":15') : payload;
      const res = await recordingFetch(exchanges, undefined, secrets)(`${origin}/miles/progress`, {
        method: "POST", headers: { "content-type": "application/json", ...signature }, body: sent,
      });
      await res.text();
      return { tampered: tamper, webhookId: id, httpStatus: res.status, result: callbackResults.get(id) ?? null };
    },

    async "POST /api/alphalearn/login"(body, exchanges) {
      const learner = learnerOf(body);
      const s = settings.alphalearn;
      const al = new AlphaLearn({ ...(s.baseUrl ? { baseUrl: s.baseUrl } : {}), domain: s.domain, fetch: recordingFetch(exchanges, undefined, secrets) });
      const { user, token } = await al.login(s.account(learner));
      // Only what the browser hand-off needs: the JWT (it goes into the form) and who it is for.
      return { token, domain: s.domain, type: s.type, enrollmentId: s.enrollmentId, user: { email: user.email, firstName: user.firstName, lastName: user.lastName } };
    },

    async "POST /api/teachonmars/signin"(body, exchanges) {
      const learner = learnerOf(body);
      const s = settings["teach-on-mars"];
      const tom = new TeachOnMars({ baseUrl: s.baseUrl, ...(s.instance ? { instance: s.instance } : {}), auth: s.auth, fetch: recordingFetch(exchanges, undefined, secrets) });
      const r = await tom.signIn(
        { login: learner.login, firstname: learner.firstName, lastname: learner.lastName, email: learner.email, lang: "en-GB" },
        { update: true },
      );
      // The page builds the deep link itself from the auth token (TeachOnMars.deepLink).
      return { authToken: r.authToken, created: r.created, learner: { identifier: r.learner.identifier, login: r.learner.login } };
    },
  };

  async function handle(req, res) {
    const url = new URL(req.url, "http://demo.invalid");
    const key = `${req.method} ${url.pathname}`;

    // The LMS's progress-callback endpoint: verify over the raw bytes, answer ack or reject.
    if (key === "POST /miles/progress") {
      const raw = await readBody(req);
      const id = String(req.headers["webhook-id"] ?? "");
      let reply;
      try {
        const event = mmCallbackVerifier.verifyProgressCallback(raw, req.headers);
        const { raw: _raw, ...shown } = event;
        if (id) callbackResults.set(id, { verified: true, event: shown });
        reply = MilesMasterclass.callbackAck();
      } catch (e) {
        if (id) callbackResults.set(id, { verified: false, error: errorInfo(e, secrets) });
        reply = MilesMasterclass.callbackReject(e);
      }
      if (callbackResults.size > 200) callbackResults.delete(callbackResults.keys().next().value);
      res.writeHead(reply.status, reply.headers);
      return res.end(reply.body);
    }

    if (api[key]) {
      const exchanges = [];
      let body = {};
      try {
        if (req.method === "POST") {
          const raw = (await readBody(req)).toString("utf8");
          body = raw ? JSON.parse(raw) : {};
        }
        const result = await api[key](body, exchanges);
        return sendJson(res, 200, { ok: true, ...result, ...(req.method === "POST" ? { exchanges } : {}) });
      } catch (e) {
        const status = e?.status && !isLmsBridgeError(e) ? e.status : 502;
        return sendJson(res, status, { ok: false, error: errorInfo(e, secrets), exchanges });
      }
    }

    if (req.method !== "GET" && req.method !== "HEAD") return res.writeHead(405, { allow: "GET, HEAD" }).end();

    // The installed package, for the browser: /pkg/handoff.browser.mjs and what it imports.
    if (url.pathname.startsWith("/pkg/")) {
      const name = url.pathname.slice(5);
      if (/^[\w.-]+\.(mjs|js|wasm)$/.test(name) && fs.existsSync(path.join(pkgDir, name))) {
        res.writeHead(200, { "content-type": TYPES[path.extname(name)], "cache-control": "no-cache" });
        return res.end(fs.readFileSync(path.join(pkgDir, name)));
      }
      return res.writeHead(404).end("not found");
    }

    const file = STATIC[url.pathname];
    if (!file) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    const headers = { "content-type": TYPES[path.extname(file)], "cache-control": "no-cache", "x-content-type-options": "nosniff" };
    if (file === "index.html") {
      const al = settings.alphalearn.domain;
      const alOrigin = /^(localhost|127\.|\[::1\])/.test(al) ? `http://${al}` : `https://${al}`;
      const frameAncestors = ["'self'", settings["teach-on-mars"].appOrigin].filter(Boolean).join(" ");
      headers["content-security-policy"] = [
        "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", `form-action 'self' ${alOrigin}`, `frame-ancestors ${frameAncestors}`, "base-uri 'none'", "object-src 'none'",
      ].join("; ");
      headers["referrer-policy"] = "no-referrer";
    }
    res.writeHead(200, headers);
    return res.end(req.method === "HEAD" ? undefined : fs.readFileSync(path.join(wwwDir, file)));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendJson(res, e?.status ?? 500, { ok: false, error: errorInfo(e, secrets) });
      else res.destroy();
    });
  });
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  try {
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
  } catch (e) {
    await vendors.close();
    throw e;
  }
  origin = `http://${host}:${server.address().port}`;
  return {
    url: `${origin}/`,
    modes,
    mocks: Object.fromEntries(Object.entries(vendors.mocks).map(([k, m]) => [k, { origin: m.server.origin, state: m.state, server: m.server }])),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
      await vendors.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = await startDemo();
  const names = { learnworlds: "LearnWorlds", "miles-masterclass": "Miles Masterclass", alphalearn: "AlphaLearn", "teach-on-mars": "Teach on Mars" };
  console.log("lms-bridge demo");
  for (const [v, mode] of Object.entries(demo.modes)) {
    console.log(`  ${names[v].padEnd(18)} ${mode === "real" ? "REAL vendor (credentials from env / demo.config.json)" : `mock at ${demo.mocks[v].origin}`}`);
  }
  console.log(`\nOpen ${demo.url}   (Ctrl+C to stop)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
