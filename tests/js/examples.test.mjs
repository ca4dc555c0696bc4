// The runnable examples (examples/), each started exactly as its README says — one
// `node examples/…` command as a child process — with its configuration pointing at local
// mock vendors on 127.0.0.1, then exercised over HTTP (Node server, workerd worker) and in
// headless Chromium (browser page).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AlphaLearn, TeachOnMars, signWebhook } from "lms-bridge";
import { withChromium } from "./hosts.mjs";
import { installAlphaLearn } from "lms-bridge/testing";
import { installLearnWorlds } from "lms-bridge/testing";
import { startMockServer } from "lms-bridge/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CB_SECRET = "whsec_" + Buffer.from("examples-callback-secret").toString("base64");
const LW = { clientId: "example-lw-client", clientSecret: "example-lw-secret" };
const DEMO_EMAIL = "demo.learner@example.com";

const children = [];
/** Spawns `node <script>` like the README's one command; resolves with the URL it prints. */
function start(script, env, [cmd, args] = [process.execPath, [script]], cwd = root) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} printed no URL in 15 s:\n${out}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)|example at (http:\/\/\S+)|Local:\s+(http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1] ?? m[2] ?? m[3]).origin);
      }
    };
    child.stdout.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
  return { child, ready, output: () => out };
}

let mock;
let school;
let al;
let node;
let worker;
let browser;
let express;
let honoNode;
let honoDeno;
let nextApp;
const nextDir = path.join(root, "examples/next");
const nextBin = path.join(root, "node_modules/.bin/next");
before(async () => {
  mock = await startMockServer();
  school = installLearnWorlds(mock, LW);
  al = installAlphaLearn(mock);
  const env = {
    MM_CALLBACK_SECRET: CB_SECRET,
    LW_SCHOOL_URL: mock.origin,
    LW_CLIENT_ID: LW.clientId,
    LW_CLIENT_SECRET: LW.clientSecret,
    DEMO_USER_EMAIL: DEMO_EMAIL,
  };
  node = start("examples/node-server/server.mjs", env);
  worker = start("examples/worker/run.mjs", env);
  browser = start("examples/browser/serve.mjs", {});
  express = start("examples/express/server.mjs", env);
  honoNode = start("examples/hono/node.mjs", env);
  honoDeno = start("examples/hono/deno.mjs", { ...env, NO_COLOR: "1" },
    [path.join(root, "node_modules/.bin/deno"), ["run", "--allow-net", "--allow-env", "--allow-read", "examples/hono/deno.mjs"]]);
  // Next.js: `next build`, then `next start` as the recipe's README says.
  const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  fs.rmSync(path.join(nextDir, ".next"), { recursive: true, force: true });
  await promisify(execFile)(nextBin, ["build"], { cwd: nextDir, env: nextEnv, timeout: 240_000 });
  nextApp = start("examples/next", { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    [nextBin, ["start", "-p", "0", "-H", "127.0.0.1"]], nextDir);
  [node.url, worker.url, browser.url, express.url, honoNode.url, honoDeno.url, nextApp.url] =
    await Promise.all([node.ready, worker.ready, browser.ready, express.ready, honoNode.ready, honoDeno.ready, nextApp.ready]);
});
after(async () => {
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null)
    ? undefined
    : new Promise((resolve) => {
      c.once("exit", resolve);
      c.kill("SIGTERM");
      setTimeout(() => c.kill("SIGKILL"), 3000).unref();
    })));
  await mock?.close();
  fs.rmSync(path.join(nextDir, ".next"), { recursive: true, force: true });
});

// Spaced and ordered as a vendor might send it: verification must use these exact bytes.
const payload = '{ "event": "video.completed", "email": "ann@example.com", "lms_user_id": 42, "video_id": "v9",\n  "status": "completed", "cpe_credits": "1.5", "minutes_consumed": 50, "completed_at": "2025-03-01T10:00:00Z" }';

async function callbackChecks(base) {
  const post = (body, headers) => fetch(`${base}/miles/progress`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const headers = signWebhook(payload, { scheme: "standard-webhooks", secret: CB_SECRET, id: "msg_example_1" });

  const ok = await post(payload, headers);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '{"status":"ok"}');

  const tampered = await post(payload.replace('"1.5"', '"15"'), headers);
  assert.equal(tampered.status, 401);
  assert.doesNotMatch(await tampered.text(), /SIGNATURE|secret/i); // no details to the sender

  const unsigned = await post(payload, {});
  assert.equal(unsigned.status, 401);
  await unsigned.text();

  const wrongSecret = await post(payload, signWebhook(payload, { scheme: "standard-webhooks", secret: "whsec_" + btoa("other") }));
  assert.equal(wrongSecret.status, 401);
  await wrongSecret.text();
}

async function ssoChecks(base) {
  const get = (p, headers = {}) => fetch(`${base}${p}`, { redirect: "manual", headers });
  const course = `${mock.origin}/course/intro`;

  // Signed-in (demo) user → LearnWorlds SSO → 302 to the school's one-time login URL.
  const before = school.apiRequests.length;
  const res = await get(`/sso/learnworlds?${new URLSearchParams({ email: DEMO_EMAIL, username: "Demo Learner", redirectUrl: course })}`);
  assert.equal(res.status, 302);
  const location = res.headers.get("location");
  assert.match(location, new RegExp(`^${mock.origin}/login\\?code=[0-9a-f]+$`));
  assert.equal(res.headers.get("cache-control"), "no-store");
  const sso = school.apiRequests.slice(before).filter((r) => r.route === "sso");
  assert.deepEqual(sso.map((r) => r.data), [{ email: DEMO_EMAIL, username: "Demo Learner", redirectUrl: course }]);
  const landing = await fetch(location);
  assert.equal(landing.status, 200);
  assert.match(await landing.text(), new RegExp(`Logged in as ${DEMO_EMAIL}[\\s\\S]*href="${course}"`));

  // The identity comes from the app's authentication (here the X-Demo-User header), not the query.
  const other = await get(`/sso/learnworlds?email=${encodeURIComponent("someone.else@example.com")}`);
  assert.equal(other.status, 403);
  await other.text();
  const viaHeader = await get("/sso/learnworlds", { "x-demo-user": "header.user@example.com" });
  assert.equal(viaHeader.status, 302);
  assert.equal(school.findByEmail("header.user@example.com")?.username, "header.user");

  // Post-login redirects are held to the allow-list, before any call to the school.
  const n = school.apiRequests.length;
  for (const bad of ["https://evil.example/", `${mock.origin}@evil.example`, "//evil.example", "javascript:alert(1)"]) {
    const r = await get(`/sso/learnworlds?redirectUrl=${encodeURIComponent(bad)}`);
    assert.equal(r.status, 400, bad);
    await r.text();
  }
  assert.equal(school.apiRequests.length, n);
}

async function customSsoChecks(base) {
  const get = (query) => fetch(`${base}/learnworlds/sso-entry?${query}`, { redirect: "manual" });
  const n = school.apiRequests.length;
  for (const query of [
    "action=login&redirectUrl=https%3A%2F%2Fevil.example",
    "action=login&redirectUrl=https%3A%2F%2Fevil.example%2Fcourse",
    `action=signup&redirectUrl=${encodeURIComponent(`${mock.origin}.evil.example/x`)}`,
    `action=steal&redirectUrl=${encodeURIComponent(`${mock.origin}/x`)}`,
  ]) {
    const r = await get(query);
    assert.equal(r.status, 400, query);
    assert.match(await r.text(), query.includes("steal") ? /INVALID_INPUT/ : /REDIRECT_NOT_ALLOWED/);
  }
  assert.equal(school.apiRequests.length, n, "no SSO call for a refused entry");

  const ok = await get(`action=login&redirectUrl=${encodeURIComponent(`${mock.origin}/course/intro`)}`);
  assert.equal(ok.status, 302);
  assert.ok(ok.headers.get("location").startsWith(`${mock.origin}/login?code=`));
}

test("node-server: Miles Masterclass callback: signed → 200, tampered / unsigned / wrong secret → 401", async () => {
  await callbackChecks(node.url);
  assert.match(node.output(), /progress msg_example_1: video\.completed video=v9 status=completed credits=1\.5/);
  assert.doesNotMatch(node.output(), /login\?code=/, "SSO URLs are never logged");
});
test("node-server: LearnWorlds SSO redirects to the school; identity and redirect checks", () => ssoChecks(node.url));
test("node-server: LearnWorlds custom-SSO entry refuses https://evil.example, accepts the school", () => customSsoChecks(node.url));

for (const [name, get] of [["express", () => express], ["hono on Node", () => honoNode], ["hono on Deno", () => honoDeno],
  ["next.js (node + edge route handlers)", () => nextApp]]) {
  test(`${name}: Miles Masterclass callback verification`, () => callbackChecks(get().url));
  test(`${name}: LearnWorlds SSO redirect`, () => ssoChecks(get().url));
  test(`${name}: LearnWorlds custom-SSO entry`, () => customSsoChecks(get().url));
}

test("worker (workerd via run.mjs): Miles Masterclass callback verification", () => callbackChecks(worker.url));
test("worker (workerd via run.mjs): LearnWorlds SSO redirect", () => ssoChecks(worker.url));
test("worker (workerd via run.mjs): LearnWorlds custom-SSO entry", () => customSsoChecks(worker.url));

test("browser page in Chromium: AlphaLearn form (exact fields, real POST) and Teach on Mars deep link", async () => {
  const token = al.issueToken("ada@example.com");
  const expected = AlphaLearn.loginByJwtForm({ domain: al.domain, token, type: "admin", enrollmentId: 12555 });
  assert.deepEqual(expected.fields, { token, type: "1", inputData: '{"enrollmentId":12555}' });
  await withChromium(async ({ page }) => {
    const problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    await page.goto(`${browser.url}/`);
    await page.waitForFunction(() => document.getElementById("status").textContent === "ready", null, { timeout: 10_000 });

    // Teach on Mars deep link, built in the page.
    await page.fill("#tom-token", "tom-auth-token-123");
    await page.check("#tom-profile");
    await page.click("#tom-build");
    const link = TeachOnMars.deepLink("tom-auth-token-123", { profileCreation: true });
    assert.equal(await page.textContent("#tom-link"), link);
    assert.equal(await page.getAttribute("#tom-open", "href"), link);
    assert.match(link, /^com\.teachonmars:\/\/globals\.login\?authToken=tom-auth-token-123/);

    // A bad token is reported, not thrown.
    await page.fill("#al-domain", al.domain);
    await page.click("#al-build");
    assert.match(await page.textContent("#al-error"), /INVALID_INPUT/);
    assert.equal(await page.isDisabled("#al-submit"), true);

    // AlphaLearn form: shown field by field, exactly.
    await page.fill("#al-token", token);
    await page.selectOption("#al-type", "admin");
    await page.fill("#al-enrollment", "12555");
    await page.click("#al-build");
    assert.equal(await page.textContent("#al-error"), "");
    assert.equal(await page.textContent("#al-action"), `${mock.origin}/site/login-by-jwt-token`);
    assert.equal(await page.textContent("#al-method"), "POST");
    const rows = await page.$$eval("#al-fields tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, Object.entries(expected.fields));

    assert.deepEqual(problems, [], "no errors or CSP violations on the example page");

    // Submit: a real POST to the mock LMS domain with exactly those fields.
    al.landings.length = 0;
    await Promise.all([page.waitForURL(`${mock.origin}/site/login-by-jwt-token`), page.click("#al-submit")]);
    assert.equal(await page.textContent("#who"), "ada@example.com");
    assert.equal(al.landings.length, 1);
    assert.deepEqual(al.landings[0].fields, expected.fields);
    assert.deepEqual(al.landings[0].fieldNames, ["token", "type", "inputData"]);
    assert.match(al.landings[0].contentType, /^application\/x-www-form-urlencoded/);
  });
});
