// The browser half of the demo. It uses the lms-bridge package itself (its hand-off entry,
// lms-bridge/handoff, served from node_modules: ~19 KiB gzip, without the vendor clients):
// AlphaLearn.loginByJwtForm + submitForm build and post the hand-off form,
// TeachOnMars.deepLink + openTeachOnMarsApp build and hand over the deep link.
// The server (www/server.mjs) holds every secret and returns only what a browser needs.
import { init, AlphaLearn, submitForm, TeachOnMars, openTeachOnMarsApp } from "/pkg/handoff.browser.mjs";

const $ = (sel) => document.querySelector(sel);
const form = $("#start");
const statusEl = $("#status");
const steps = $("#steps");
const framed = window.top !== window.self;
let config;
let busy = false;

/** Builds an element: h("p", { class: "x" }, "text", child…). Text is always text, never HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}
const code = (s) => h("code", {}, s);
const say = (msg) => { statusEl.textContent = msg; };

const VENDOR_NAMES = { learnworlds: "LearnWorlds", "miles-masterclass": "Miles Masterclass", alphalearn: "AlphaLearn", "teach-on-mars": "Teach on Mars" };

// ---------- the exchange log ----------

function headerText(headers = {}) {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\n");
}
function exchangeView(x, i) {
  const res = x.response;
  const ok = res && res.status < 400;
  const summary = h("summary", {},
    h("span", { class: "method" }, x.request.method), " ", h("span", { class: "url" }, x.request.url), " ",
    res ? h("span", { class: `code ${ok ? "ok" : "bad"}` }, `→ ${res.status}`) : h("span", { class: "code bad" }, `→ ${x.error ?? "no response"}`),
    x.ms !== undefined ? h("span", { class: "ms" }, ` ${x.ms} ms`) : null);
  const pre = (label, text) => h("div", { class: "part" }, h("h5", {}, label), h("pre", { tabindex: "0", "aria-label": label }, text || "(empty)"));
  return h("li", {}, h("details", { class: "exchange", open: i === 0 ? true : null },
    summary,
    h("div", { class: "parts" },
      pre("Request", `${x.request.method} ${x.request.url}\n${headerText(x.request.headers)}${x.request.body ? `\n\n${x.request.body}` : ""}`),
      pre("Response", res ? `HTTP ${res.status}\n${headerText(res.headers)}${res.body ? `\n\n${res.body}` : ""}` : x.error ?? ""))));
}
function exchangesView(exchanges = [], caption) {
  if (!exchanges.length) return null;
  return h("div", { class: "log" },
    h("h4", {}, `${caption} (${exchanges.length} HTTP exchange${exchanges.length === 1 ? "" : "s"})`),
    h("ol", { class: "exchanges" }, exchanges.map(exchangeView)));
}

// ---------- steps ----------

function step(title, ...body) {
  const li = h("li", { class: "step" }, h("h3", {}, title), ...body);
  steps.append(li);
  return li;
}
function errorView(error) {
  return h("p", { class: "error" }, h("strong", {}, error.code), `: ${error.message}`,
    error.status ? ` (HTTP ${error.status}${error.vendorCode ? `, vendor code ${error.vendorCode}` : ""})` : "");
}
async function callServer(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({ ok: false, error: { code: "DEMO_ERROR", message: `HTTP ${res.status}` } }));
  return json;
}
/** Runs a server step; shows its exchanges; returns the result or undefined on error. */
async function serverStep(title, explain, path, body) {
  const r = await callServer(path, body);
  step(title, h("p", {}, ...explain), exchangesView(r.exchanges, "What the server sent and received"), r.ok ? null : errorView(r.error));
  if (!r.ok) say(`${title} failed: ${r.error.code}. ${r.error.message}`);
  return r.ok ? r : undefined;
}

// ---------- the four flows ----------

const flows = {
  async learnworlds(learner) {
    const r = await serverStep("1. Server: single sign-on",
      ["The server gets an app token (client credentials) and calls ", code("lw.sso({ email, username })"), "; the school answers a one-time login URL."],
      "/api/learnworlds/sso", { learner });
    if (!r) return;
    step("2. Browser: go to the school",
      h("p", {}, "The URL is a bearer credential that works once: the browser should be sent there at once."),
      h("p", {}, h("a", { class: "button", id: "lw-continue", href: r.url }, "Continue to the LearnWorlds school")));
    say(`LearnWorlds: SSO URL received for user ${r.userId}. Continue to the school.`);
  },

  async "miles-masterclass"(learner) {
    const r = await serverStep("1. Server: subscribe and mint a login URL",
      ["The server calls ", code("mm.autoSubscribe(…)"), " (create or update the learner) then ", code("mm.createLoginUrl({ email })"), ", both with its API key."],
      "/api/miles/login", { learner });
    if (!r) return;
    step("2. Browser: follow the signed login URL",
      h("p", {}, "Subscription: ", code(r.subscription.status), r.subscription.userId ? [", Miles user id ", code(r.subscription.userId)] : "", "."),
      h("p", {}, h("a", { class: "button", id: "mm-continue", href: r.url }, "Continue to Miles Masterclass")));
    const outs = { false: h("div", { id: "mm-callback", class: "callback-out" }), true: h("div", { id: "mm-callback-tampered", class: "callback-out" }) };
    const replay = async (tamper) => {
      if (busy) return;
      busy = true;
      try {
        const c = await callServer("/api/miles/replay", { learner, tamper });
        const result = c.result;
        const line = !c.ok ? errorView(c.error)
          : result?.verified
            ? h("p", { class: "verified", id: tamper ? "mm-tampered-result" : "mm-verified-result" }, h("strong", {}, "Verified"),
              `: ${result.event.event} for ${result.event.email}, ${result.event.cpeCredits} CPE credits, ${result.event.minutesConsumed} minutes (HTTP ${c.httpStatus}).`)
            : h("p", { class: "rejected", id: tamper ? "mm-tampered-result" : "mm-verified-result" }, h("strong", {}, "Rejected"),
              ": ", code(result?.error?.code ?? "?"), ` (HTTP ${c.httpStatus}): ${result?.error?.message ?? ""}`);
        outs[tamper].replaceChildren(h("h4", {}, tamper ? "Tampered callback (credits changed after signing)" : "Signed callback"), line,
          exchangesView(c.exchanges, "The callback as posted to this server's endpoint"));
        say(result?.verified ? "Miles Masterclass: the signed progress callback was verified." : `Miles Masterclass: the callback was rejected with ${result?.error?.code ?? c.error?.code}.`);
      } finally {
        busy = false;
      }
    };
    step("3. Progress callback (this server plays Miles)",
      h("p", {}, "Miles posts progress to the LMS signed with Standard Webhooks. The server signs a ProgressEvent with ",
        code("signWebhook"), " and posts it to its own endpoint ", code("POST /miles/progress"), ", which checks it with ",
        code("mm.verifyProgressCallback(rawBody, headers)"), "."),
      h("p", { class: "buttons" },
        h("button", { type: "button", id: "mm-replay", onclick: () => replay(false) }, "Replay a signed callback"),
        h("button", { type: "button", id: "mm-tamper", class: "secondary", onclick: () => replay(true) }, "Replay a tampered callback")),
      outs.false, outs.true);
    say("Miles Masterclass: login URL received. Continue, or replay a progress callback first.");
  },

  async alphalearn(learner) {
    const r = await serverStep("1. Server: log in to the AlphaLearn API",
      ["The server calls ", code("al.login({ email, password })"), " and keeps the password and refresh token; only the JWT goes to the browser, for the form post.",
        config.alphalearn.sharedAccount ? " (Real AlphaLearn: the configured account is used whichever learner you picked.)" : ""],
      "/api/alphalearn/login", { learner });
    if (!r) return;
    const handOff = AlphaLearn.loginByJwtForm({ domain: r.domain, token: r.token, type: r.type, enrollmentId: r.enrollmentId });
    const shown = (k, v) => (k === "token" ? `${v.slice(0, 16)}… (JWT, ${v.length} chars)` : v);
    step("2. Browser: build the hand-off form",
      h("p", {}, "This page calls ", code(`AlphaLearn.loginByJwtForm({ domain, token, type: "${r.type}", enrollmentId: ${r.enrollmentId} })`), " (WebAssembly, in the browser):"),
      h("dl", { class: "fields", id: "al-fields" },
        h("dt", {}, "action"), h("dd", {}, code(handOff.action)),
        h("dt", {}, "method"), h("dd", {}, code(handOff.method)),
        Object.entries(handOff.fields).map(([k, v]) => [h("dt", {}, k), h("dd", { "data-field": k }, code(shown(k, v)))])),
      h("p", {}, h("button", { type: "button", id: "al-submit", onclick: () => submitForm(handOff) }, "Post the form to AlphaLearn")),
      h("p", { class: "note" }, code("submitForm(form)"), " builds a real ", code("<form method=POST>"), " with DOM calls and submits it."));
    say(`AlphaLearn: logged in as ${r.user.email}. The hand-off form is ready to post.`);
  },

  async "teach-on-mars"(learner) {
    const r = await serverStep("1. Server: sign the learner in",
      ["The server runs ", code("tom.signIn(profile, { update: true })"), ": API token, find or create the learner, then a short-lived auth token."],
      "/api/teachonmars/signin", { learner });
    if (!r) return;
    const deepLink = TeachOnMars.deepLink(r.authToken, { profileCreation: r.created, ...(config.teachOnMars.scheme ? { scheme: config.teachOnMars.scheme } : {}) });
    const targetOrigin = config.teachOnMars.appOrigin ?? (document.referrer ? new URL(document.referrer).origin : undefined);
    const parts = [
      h("p", {}, "This page builds the deep link with ", code("TeachOnMars.deepLink(authToken)"), r.created ? " (the learner was created just now, so profileCreation=true):" : ":"),
      h("p", { class: "deeplink" }, code(deepLink)),
    ];
    if (framed) {
      parts.push(h("p", {}, "This page is framed (as in the app's web view): ", code("openTeachOnMarsApp(deepLink, { targetOrigin })"),
        " posts the link to the top window", targetOrigin ? [" at ", code(targetOrigin)] : "", "."),
      h("p", {}, h("button", { type: "button", id: "tom-open", onclick: () => openTeachOnMarsApp(deepLink, targetOrigin ? { targetOrigin } : {}) }, "Open in the app")));
    } else {
      parts.push(h("p", {}, "Outside the app, ", code("openTeachOnMarsApp(deepLink)"),
        " navigates to that custom scheme, which does nothing on a machine without the Teach on Mars app installed."));
      if (config.teachOnMars.shellUrl) {
        const lms = new URL(location.href);
        lms.search = new URLSearchParams({ vendor: "teach-on-mars", learner }).toString();
        const shell = `${config.teachOnMars.shellUrl}?${new URLSearchParams({ lms: lms.href })}`;
        parts.push(h("p", {}, h("a", { class: "button", id: "tom-shell", href: shell }, "Try it inside the mock app"),
          " — the mock app frames this page, like the app's web view; sign in there and press “Open in the app”."));
      }
    }
    step("2. Browser: hand the deep link to the app", ...parts);
    say(framed ? "Teach on Mars: deep link ready. Press Open in the app." : "Teach on Mars: deep link ready (outside the app: see the explanation).");
  },
};

// ---------- wiring ----------

function currentVendor() {
  return form.elements.vendor.value;
}
function updateNote() {
  const v = currentVendor();
  const mode = config?.vendors?.[v]?.mode;
  $("#vendor-note").textContent = mode === "real"
    ? `${VENDOR_NAMES[v]}: real vendor, credentials held by the server.`
    : `${VENDOR_NAMES[v]}: mock vendor running on this machine.`;
}

form.addEventListener("change", updateNote);
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (busy) return;
  busy = true;
  const vendor = currentVendor();
  const learner = form.elements.learner.value;
  const button = $("#go");
  button.disabled = true;
  steps.replaceChildren();
  $("#result").hidden = false;
  $("#result-h").textContent = `${VENDOR_NAMES[vendor]} flow`;
  say(`${VENDOR_NAMES[vendor]}: working…`);
  try {
    await flows[vendor](learner);
    $("#result-h").scrollIntoView({ block: "start" });
  } catch (err) {
    step("Error in the page", errorView({ code: err?.code ?? err?.name ?? "Error", message: err?.message ?? String(err) }));
    say(`Error: ${err?.message ?? err}`);
  } finally {
    busy = false;
    button.disabled = false;
  }
});

try {
  const [cfg] = await Promise.all([fetch("/api/config").then((r) => r.json()), init()]);
  config = cfg;
  for (const el of document.querySelectorAll("[data-mode]")) {
    const mode = config.vendors[el.dataset.mode]?.mode ?? "mock";
    el.textContent = mode === "real" ? "(real)" : "(mock)";
    el.className = `mode ${mode}`;
  }
  const q = new URLSearchParams(location.search);
  if (q.get("vendor") && VENDOR_NAMES[q.get("vendor")]) form.elements.vendor.value = q.get("vendor");
  if (q.get("learner")) form.elements.learner.value = q.get("learner");
  updateNote();
  $("#go").disabled = false;
  say(framed ? "Ready (inside the mock app frame)." : "Ready.");
  document.body.dataset.ready = "true";
} catch (err) {
  say(`Could not start: ${err?.message ?? err}`);
}
