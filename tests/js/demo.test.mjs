// End to end: the demo (www/server.mjs) with its embedded mock vendors, driven by headless
// Chromium (playwright-core + Debian's /usr/bin/chromium) through all four flows. One browser
// for the file; a screenshot of each landing page goes to tests/artifacts/.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifactsDir } from "./hosts.mjs";
import { loadConfig, startDemo } from "../../www/server.mjs";

let demo;
let context;
let page;
let userDataDir;
const problems = []; // broken navigations, failed posts, page errors: each fails the test that made it

before(async () => {
  // Only mocks: real-vendor variables in the environment must not leak into the test.
  demo = await startDemo({ port: 0, env: {}, configFile: null });
  const { chromium } = await import("playwright-core");
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lmsb-demo-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(8000);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // ERR_ABORTED is a request cancelled by a navigation we made; anything else is a breakage.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    const req = r.request();
    // Every document load (redirect targets, form posts, frames) and every API call must succeed.
    if ((req.resourceType() === "document" || req.resourceType() === "fetch") && r.status() >= 400) {
      problems.push(`HTTP ${r.status()} for ${req.method()} ${r.url()}`);
    }
  });
  fs.mkdirSync(artifactsDir, { recursive: true });
});

after(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await demo?.close();
});

function noProblems() {
  const found = problems.splice(0);
  assert.deepEqual(found, [], "a redirect, post or page broke");
}

/** Opens the demo, picks vendor and learner, presses Sign in; `root` may be a frame. */
async function startFlow(vendor, learner, root = page) {
  await root.locator("body[data-ready=true]").waitFor();
  await root.locator(`input[name=vendor][value=${vendor}]`).check();
  await root.locator("#learner").selectOption(learner);
  await root.locator("#go").click();
}

/** Everything the page ever showed must be free of the server's secrets. */
async function assertNoSecrets(secrets) {
  const text = await page.evaluate(() => document.documentElement.outerHTML);
  for (const s of secrets) assert.ok(s && !text.includes(s), "a secret reached the page");
}

const shot = (name) => page.screenshot({ path: path.join(artifactsDir, `demo-${name}.png`), fullPage: true });

test("the start page loads the wasm package and lists the four vendors (mocks)", async () => {
  const wasm = [];
  const seen = (r) => r.url().endsWith(".wasm") && wasm.push(new URL(r.url()).pathname);
  page.on("request", seen);
  await page.goto(demo.url);
  await page.locator("body[data-ready=true]").waitFor();
  page.off("request", seen);
  // The page uses the hand-off helpers only: lms-bridge/handoff's small module, not the vendor module.
  assert.deepEqual(wasm, ["/pkg/lms_bridge_handoff_bg.wasm"]);
  assert.equal(await page.locator("input[name=vendor]").count(), 4);
  assert.deepEqual(demo.modes, { learnworlds: "mock", "miles-masterclass": "mock", alphalearn: "mock", "teach-on-mars": "mock" });
  assert.equal((await page.locator("[data-mode]").allTextContents()).join(), "(mock),(mock),(mock),(mock)");
  // Accessible names: every control is labelled.
  assert.equal(await page.getByLabel("Demo learner").count(), 1);
  assert.equal(await page.getByRole("radio", { name: /Teach on Mars/ }).count(), 1);
  await shot("start");
  noProblems();
});

test("LearnWorlds: server SSO, browser follows the URL, the school shows the user", async () => {
  const school = demo.mocks.learnworlds.state;
  await page.goto(demo.url);
  await startFlow("learnworlds", "ada");
  await page.locator("#lw-continue").waitFor();
  const log = await page.locator(".exchange summary").allTextContents();
  assert.equal(log.length, 2);
  assert.match(log[0], /POST .*\/admin\/api\/oauth2\/access_token → 200/);
  assert.match(log[1], /POST .*\/admin\/api\/sso → 200/);
  assert.match(await page.locator(".exchange pre").first().textContent(), /client_secret":"‹masked, \d+ chars›"/);
  await assertNoSecrets([school.clientSecret, ...school.appTokens.keys()]);
  await Promise.all([page.waitForURL(/\/login\?code=/), page.locator("#lw-continue").click()]);
  assert.equal(await page.textContent("#who"), "Logged in as ada.lovelace@example.com");
  assert.equal(await page.textContent("#username"), "ada.lovelace");
  await shot("learnworlds");
  noProblems();
});

test("Miles Masterclass: subscribe + login URL, signed callback verified, tampered one rejected", async () => {
  const mm = demo.mocks["miles-masterclass"];
  await page.goto(demo.url);
  await startFlow("miles-masterclass", "grace");
  await page.locator("#mm-continue").waitFor();
  assert.deepEqual((await page.locator(".exchange .url").allTextContents()).map((u) => new URL(u).pathname),
    ["/api/integrations/lms/auto-subscribe", "/api/integrations/lms/login-url"]);
  const apiKey = mm.server.requests.at(-1).headers["x-api-key"];
  assert.match(await page.locator(".exchange pre").first().textContent(), /x-api-key: ‹masked, \d+ chars›/);

  await page.locator("#mm-replay").click();
  await page.locator("#mm-verified-result").waitFor();
  assert.match(await page.textContent("#mm-verified-result"), /^Verified: video\.completed for grace\.hopper@example\.com, 1\.5 CPE credits, 50 minutes \(HTTP 200\)/);
  assert.match(await page.textContent("#mm-callback .exchange summary"), /POST .*\/miles\/progress → 200/);
  assert.match(await page.textContent("#mm-callback pre"), /webhook-signature: v1,/);

  await page.locator("#mm-tamper").click();
  await page.locator("#mm-tampered-result").waitFor();
  assert.match(await page.textContent("#mm-tampered-result"), /^Rejected: SIGNATURE_MISMATCH \(HTTP 401\)/);
  assert.match(await page.textContent("#status"), /rejected with SIGNATURE_MISMATCH/);
  assert.match(await page.textContent("#mm-callback-tampered .exchange summary"), /POST .*\/miles\/progress → 401/);
  assert.match(await page.textContent("#mm-verified-result"), /^Verified/); // both outcomes stay side by side
  await assertNoSecrets([apiKey]);

  await Promise.all([page.waitForURL(/\/mm\/login\?token=/), page.locator("#mm-continue").click()]);
  assert.equal(await page.textContent("#who"), "grace.hopper@example.com");
  assert.equal(await page.textContent("#name"), "Grace Hopper");
  assert.equal(await page.textContent("#lms-user-id"), "lms-1906");
  await shot("miles-masterclass");
  noProblems();
});

test("AlphaLearn: server login, the page builds the form, the browser POSTs it to the LMS domain", async () => {
  const al = demo.mocks.alphalearn.state;
  await page.goto(demo.url);
  await startFlow("alphalearn", "alan");
  await page.locator("#al-submit").waitFor();
  assert.match(await page.textContent(".exchange summary"), /POST .*\/v3\/authorize\/login → 200/);
  assert.equal(await page.textContent("#al-fields [data-field=type]"), "2");
  assert.equal(await page.textContent("#al-fields [data-field=inputData]"), '{"enrollmentId":12555}');
  assert.match(await page.textContent("#al-fields [data-field=token]"), /^eyJ.{13}… \(JWT, \d+ chars\)$/);
  await assertNoSecrets([al.users.find((u) => u.email === "alan.turing@example.com").password, ...al.refreshTokens.keys()]);

  const before = al.landings.length;
  await Promise.all([page.waitForURL(/\/site\/login-by-jwt-token$/), page.locator("#al-submit").click()]);
  assert.equal(await page.textContent("#who"), "alan.turing@example.com");
  assert.equal(await page.textContent("#type"), "2 (trainee)");
  assert.equal(await page.textContent("#enrollment"), "12555");
  assert.equal(await page.textContent("#jwt-status"), "valid");
  const landing = al.landings[before];
  assert.equal(landing.contentType, "application/x-www-form-urlencoded");
  assert.deepEqual(landing.fieldNames, ["token", "type", "inputData"]);
  assert.ok(al.isValid(landing.fields.token));
  assert.equal(landing.fields.inputData, '{"enrollmentId":12555}');
  await shot("alphalearn");
  noProblems();
});

test("Teach on Mars: signIn, deep link shown outside the app; inside the mock app, openTeachOnMarsApp hands the token over", async () => {
  const tom = demo.mocks["teach-on-mars"].state;
  await page.goto(demo.url);
  await startFlow("teach-on-mars", "ada");
  await page.locator(".deeplink code").waitFor();
  const paths = (await page.locator(".exchange .url").allTextContents()).map((u) => new URL(u).pathname);
  assert.equal(paths[0], "/oauth/token");
  assert.equal(paths.at(-1), "/api/learner-authorization/v1/learners/authToken");
  assert.match(await page.textContent(".deeplink code"), /^com\.teachonmars:\/\/globals\.login\?authToken=/);
  assert.equal(await page.locator("#tom-open").count(), 0); // not framed: no hand-over button
  await assertNoSecrets([tom.clientSecret, ...tom.issuedTokens.keys()]);

  // The mock app frames the LMS page (preselected by the link) and waits for the deep link.
  await Promise.all([page.waitForURL(/\/app\/shell\?lms=/), page.locator("#tom-shell").click()]);
  const frame = page.frameLocator("#lms");
  await frame.locator("body[data-ready=true]").waitFor();
  assert.equal(await frame.locator("input[name=vendor]:checked").getAttribute("value"), "teach-on-mars");
  await frame.locator("#go").click();
  const link = await frame.locator(".deeplink code").textContent();
  const authToken = new URL(link).searchParams.get("authToken");
  assert.ok(tom.authTokens.has(authToken));
  await Promise.all([page.waitForURL(/\/app\/open\?authToken=/), frame.locator("#tom-open").click()]);
  assert.equal(await page.textContent("#auth-token"), authToken);
  assert.equal(await page.textContent("#learner"), "Logged in as ada.lovelace");
  assert.match(await page.textContent("#via"), /postMessage/);
  await shot("teach-on-mars");
  noProblems();
});

test("real-vendor settings from the environment replace the mocks (here: stand-alone mocks as the 'real' vendors)", async () => {
  const { startMockServer } = await import("lms-bridge/testing");
  const { installLearnWorlds } = await import("lms-bridge/testing");
  const { installMilesMasterclass } = await import("lms-bridge/testing");
  const { installAlphaLearn } = await import("lms-bridge/testing");
  const { installTeachOnMars } = await import("lms-bridge/testing");
  const vendor = await startMockServer();
  installLearnWorlds(vendor, { clientId: "real-cid", clientSecret: "real-lw-secret" });
  const mm = installMilesMasterclass(vendor, { apiKey: "real-mm-key" });
  const al = installAlphaLearn(vendor);
  const tom = installTeachOnMars(vendor, { clientSecret: "real-tom-secret", instance: "main" });
  const env = {
    LW_SCHOOL_URL: vendor.origin, LW_CLIENT_ID: "real-cid", LW_CLIENT_SECRET: "real-lw-secret",
    MM_BASE_URL: mm.baseUrl, MM_API_KEY: "real-mm-key", MM_CALLBACK_SECRET: "whsec_cmVhbC1jYWxsYmFjay1zZWNyZXQ=",
    ALPHALEARN_BASE_URL: al.baseUrl, ALPHALEARN_DOMAIN: al.domain, ALPHALEARN_EMAIL: "ada@example.com", ALPHALEARN_PASSWORD: "s3cret-Pa55!",
    TOM_BASE_URL: vendor.origin, TOM_CLIENT_ID: tom.clientId, TOM_CLIENT_SECRET: "real-tom-secret", TOM_TOKEN_URL: tom.tokenUrl, TOM_INSTANCE: "main",
  };
  const real = await startDemo({ port: 0, env, configFile: null });
  try {
    assert.deepEqual(Object.values(real.modes), ["real", "real", "real", "real"]);
    assert.deepEqual(real.mocks, {});
    const post = async (p, body) => (await fetch(new URL(p, real.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
    const lw = await post("/api/learnworlds/sso", { learner: "ada" });
    assert.ok(lw.ok && lw.url.startsWith(`${vendor.origin}/login?code=`));
    const m = await post("/api/miles/login", { learner: "ada" });
    assert.ok(m.ok && m.url.startsWith(`${vendor.origin}/mm/login?token=`));
    assert.equal((await post("/api/miles/replay", { learner: "ada" })).result.verified, true);
    const a = await post("/api/alphalearn/login", { learner: "grace" });
    assert.equal(a.user.email, "ada@example.com"); // the configured account, whoever is picked
    const t = await post("/api/teachonmars/signin", { learner: "alan" });
    assert.ok(t.ok && tom.authTokens.has(t.authToken));
    const everything = JSON.stringify([lw, m, a, t]);
    for (const s of ["real-lw-secret", "real-mm-key", "s3cret-Pa55!", "real-tom-secret"]) assert.ok(!everything.includes(s));
  } finally {
    await real.close();
    await vendor.close();
  }
  // A half-configured vendor is an error, not a silent fall-back to the mock.
  assert.throws(() => loadConfig({ env: { LW_SCHOOL_URL: "https://x.example" }, configFile: null }), /LW_CLIENT_ID, LW_CLIENT_SECRET missing/);
  // demo.config.json: the same names as keys; the environment wins.
  const file = path.join(userDataDir, "demo.config.json");
  fs.writeFileSync(file, JSON.stringify({ TOM_BASE_URL: "https://a.example", TOM_CLIENT_ID: "f", TOM_CLIENT_SECRET: "s", TOM_TOKEN_URL: "https://a.example/t" }));
  const cfg = loadConfig({ env: { TOM_CLIENT_ID: "from-env" }, configFile: file });
  assert.equal(cfg["teach-on-mars"].TOM_CLIENT_ID, "from-env");
  assert.equal(cfg.learnworlds, null);
});

test("canaries: real vendors that echo every secret in their errors; page, browser console and server output stay clean", async () => {
  const { startMockServer } = await import("lms-bridge/testing");
  const { installLearnWorlds } = await import("lms-bridge/testing");
  const { installMilesMasterclass } = await import("lms-bridge/testing");
  const { installAlphaLearn } = await import("lms-bridge/testing");
  const { installTeachOnMars } = await import("lms-bridge/testing");
  const { captureOutput } = await import("./assert.mjs");
  const C = { lw: "canary-lw-secret-9", mm: "canary-mm-key-9", cb: "whsec_Y2FuYXJ5LWNhbGxiYWNrLTk=", pw: "canary-Pa55-9", tom: "canary-tom-secret-9" };
  const vendor = await startMockServer();
  installLearnWorlds(vendor, { clientId: "real-cid", clientSecret: C.lw });
  const mm = installMilesMasterclass(vendor, { apiKey: C.mm });
  const al = installAlphaLearn(vendor);
  const tom = installTeachOnMars(vendor, { clientSecret: C.tom, instance: "main" });
  const env = {
    LW_SCHOOL_URL: vendor.origin, LW_CLIENT_ID: "real-cid", LW_CLIENT_SECRET: C.lw,
    MM_BASE_URL: mm.baseUrl, MM_API_KEY: C.mm, MM_CALLBACK_SECRET: C.cb,
    ALPHALEARN_BASE_URL: al.baseUrl, ALPHALEARN_DOMAIN: al.domain, ALPHALEARN_EMAIL: "ada@example.com", ALPHALEARN_PASSWORD: C.pw,
    TOM_BASE_URL: vendor.origin, TOM_CLIENT_ID: tom.clientId, TOM_CLIENT_SECRET: C.tom, TOM_TOKEN_URL: tom.tokenUrl, TOM_INSTANCE: "main",
  };
  const all = Object.values(C).join(" ");
  const echo = (status) => ({ status, headers: { "x-echo": all }, json: { message: `refused: ${all}`, error: all, code: all, detail: all,
    errors: [{ code: 400, context: all }], status: false, data: { password: C.pw, note: all } } });
  const path = (u) => new URL(u).pathname;
  const routes = [
    ["learnworlds", "ada", "POST", "/admin/api/oauth2/access_token"],
    ["miles-masterclass", "grace", "POST", `${path(mm.baseUrl)}/integrations/lms/auto-subscribe`],
    ["alphalearn", "grace", "POST", `${path(al.baseUrl)}/authorize/login`],
    ["teach-on-mars", "alan", "POST", path(tom.tokenUrl)],
  ];
  const consoleLines = [];
  const onConsole = (m) => consoleLines.push(m.text());
  page.on("console", onConsole);
  const real = await startDemo({ port: 0, env, configFile: null });
  try {
    const [, output] = await captureOutput(async () => {
      for (const [v, learner, verb, route] of routes) {
        for (const status of [400, 401, 500]) {
          vendor.queue(verb, route, echo(status), echo(status), echo(status), echo(status));
          await page.goto(real.url);
          await startFlow(v, learner);
          await page.locator(".step .error").first().waitFor();
          const html = await page.evaluate(() => document.documentElement.outerHTML);
          assert.match(html, /refused: /, `${v} ${status}: the vendor's echo is not on the page`);
          for (const s of Object.values(C)) assert.ok(!html.includes(s), `${v} ${status}: a secret reached the page: …${html.slice(Math.max(0, html.indexOf(s) - 300), html.indexOf(s) + 60)}…`);
          vendor.reset();
        }
      }
    });
    for (const s of Object.values(C)) {
      assert.ok(!output.includes(s), "a secret reached the server's output");
      assert.ok(!consoleLines.join("\n").includes(s), "a secret reached the browser console");
    }
  } finally {
    page.off("console", onConsole);
    problems.splice(0); // the vendor's refusals are HTTP errors on purpose
    await real.close();
    await vendor.close();
  }
});

test("demo masking: configured secrets anywhere, secret-named objects, one-time URLs", async () => {
  const { recordingFetch, secretsOf, showBody } = await import("../../www/server.mjs");
  const SECRET = "custom-header-secret-123";
  const exchanges = [];
  const fake = async () => new Response(`plain text echo ${SECRET}`, { status: 200, headers: { "content-type": "text/plain", "x-echo": SECRET } });
  await recordingFetch(exchanges, fake, [SECRET])(`https://vendor.example/x?k=${SECRET}`, {
    method: "POST", headers: { "X-Auth": SECRET, accept: "application/json" }, body: `key=${SECRET}`,
  });
  const shown = JSON.stringify(exchanges);
  assert.ok(!shown.includes(SECRET), shown);
  assert.match(shown, /‹masked, 24 chars›/);
  const obj = showBody(JSON.stringify({ privateKey: { n: "abc", d: "secret-d" }, url: "https://school.example/login?code=one-time-code", id: 1 }), "application/json");
  assert.ok(!obj.includes("secret-d") && !obj.includes("one-time-code"), obj);
  assert.match(obj, /https:\/\/school\.example\/login\?‹masked/);
  assert.deepEqual(secretsOf({ lw: { clientSecret: "a-secret", clientId: "id" }, mm: { apiKey: "k-1234", baseUrl: "https://x" }, tom: { auth: { clientSecret: "s2-secret" } } }).sort(),
    ["a-secret", "k-1234", "s2-secret"]);
});
