// Teach on Mars in Chromium (one launch per entry: `lms-bridge`, `lms-bridge/handoff`):
// openTeachOnMarsApp navigates a top-level page to the deep link and posts it to the parent
// when framed (targetOrigin honoured); the secret-holding client refuses to be constructed;
// deepLink works in the page. Plus the Node-side refusal of the browser helper.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TeachOnMars, openTeachOnMarsApp } from "lms-bridge";
import * as handoff from "lms-bridge/handoff";
import { rejectsWith } from "./assert.mjs";
import { modulePage, withChromium } from "./hosts.mjs";

const TOKEN = "a+b/c=d&e";
const LINK = TeachOnMars.deepLink(TOKEN, { profileCreation: true });

test("openTeachOnMarsApp outside a browser → UNSUPPORTED_ENVIRONMENT", async () => {
  await rejectsWith(() => openTeachOnMarsApp(LINK), "UNSUPPORTED_ENVIRONMENT");
  await rejectsWith(() => handoff.openTeachOnMarsApp(LINK), "UNSUPPORTED_ENVIRONMENT");
  assert.equal(handoff.TeachOnMars.deepLink(TOKEN, { profileCreation: true }), LINK);
});

test("Chromium, lms-bridge: top navigates, framed posts to the parent, client refused", () => opensTheApp("browser.mjs"));
test("Chromium, lms-bridge/handoff: top navigates, framed posts to the parent", () => opensTheApp("handoff.browser.mjs"));

async function opensTheApp(entry) {
  const ready = `await lmsb.init(); window.ready = true;`;
  const pages = {
    "/top": modulePage(ready, entry),
    "/framed": modulePage(ready, entry),
    "/parent": `<!doctype html><meta charset="utf-8"><title>parent</title>
<script>
window.messages = [];
window.addEventListener("message", (e) => window.messages.push({ data: e.data, origin: e.origin }));
</script>
<iframe id="app" src="/framed"></iframe>`,
  };
  await withChromium(async ({ context, page, origin }) => {
    // ---- top-level page: location.href = deepLink ----
    await page.goto(`${origin}/top`);
    await page.waitForFunction("window.ready === true");

    // The client holds secrets: refused in a browser, whichever auth it is given (the main
    // entry; lms-bridge/handoff has no client).
    const refused = entry !== "browser.mjs" ? [] : await page.evaluate(() => {
      const codes = [];
      for (const auth of [{ accessToken: "t" }, { clientId: "c", clientSecret: "s", tokenUrl: "https://a.test/t" }]) {
        try {
          new window.lmsb.TeachOnMars({ baseUrl: "https://acme.teachonmars.com", auth });
          codes.push("constructed");
        } catch (e) {
          codes.push(`${e.name}:${e.code}`);
        }
      }
      // tomLegacyHeaders takes the apiSecret: refused in a page too.
      try {
        window.lmsb.tomLegacyHeaders({ method: "GET", url: "https://a.test/api/v3/x", apiKey: "key", apiSecret: "legacy-secret", app: "com.a" });
        codes.push("signed");
      } catch (e) {
        codes.push(`${e.name}:${e.code}`);
      }
      return codes;
    });
    if (entry === "browser.mjs") assert.deepEqual(refused, ["LmsBridgeError:UNSUPPORTED_ENVIRONMENT", "LmsBridgeError:UNSUPPORTED_ENVIRONMENT", "LmsBridgeError:UNSUPPORTED_ENVIRONMENT"]);

    // deepLink is static and secret-free: available in the page, same output as in Node.
    assert.equal(await page.evaluate((t) => window.lmsb.TeachOnMars.deepLink(t, { profileCreation: true }), TOKEN), LINK);

    // Refused links never navigate.
    const badCodes = await page.evaluate(() => ["https://globals.login?authToken=x", "javascript://globals.login?x", "com.teachonmars://evil.test/?authToken=x", 42]
      .map((l) => { try { window.lmsb.openTeachOnMarsApp(l); return "opened"; } catch (e) { return e.code; } }));
    assert.deepEqual(badCodes, ["INVALID_INPUT", "INVALID_INPUT", "INVALID_INPUT", "INVALID_INPUT"]);
    // A link over 2^24 units: refused as too long by both entries, as `deepLink` refuses a token.
    const long = await page.evaluate(() => {
      try {
        window.lmsb.openTeachOnMarsApp(`com.teachonmars://globals.login?authToken=${"a".repeat(2 ** 24)}`);
        return "opened";
      } catch (e) {
        return `${e.code}: ${e.message}`;
      }
    });
    assert.equal(long, "INVALID_INPUT: `deepLink` is too long (more than 16,777,216 bytes of UTF-8)");

    // Observe the navigation request itself (Chromium hands a custom scheme to the OS, so
    // the page stays; the DevTools protocol reports the renderer's navigation request).
    const cdp = await context.newCDPSession(page);
    await cdp.send("Page.enable");
    const requested = [];
    cdp.on("Page.frameRequestedNavigation", (e) => requested.push(e.url));
    const result = await page.evaluate((link) => {
      try {
        return String(window.lmsb.openTeachOnMarsApp(link));
      } catch (e) {
        return `${e.code}: ${e.message}`;
      }
    }, LINK);
    assert.equal(result, "undefined");
    const deadline = Date.now() + 3000;
    while (requested.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(requested, [LINK]);
    const u = new URL(requested[0]);
    assert.equal(u.protocol, "com.teachonmars:");
    assert.equal(u.searchParams.get("authToken"), TOKEN);
    assert.equal(u.searchParams.get("profileCreation"), "true");
    await cdp.detach();

    // ---- framed page: window.top.postMessage(deepLink, targetOrigin ?? "*") ----
    await page.goto(`${origin}/parent`);
    const frame = page.frames().find((f) => f.url().endsWith("/framed"));
    assert.ok(frame, "iframe loaded");
    await frame.waitForFunction("window.ready === true");
    const open = (options) => frame.evaluate(([link, opts]) => {
      try {
        window.lmsb.openTeachOnMarsApp(link, opts);
        return "ok";
      } catch (e) {
        return e.code;
      }
    }, [LINK, options]);
    assert.equal(await open({ targetOrigin: origin }), "ok");
    assert.equal(await open({ targetOrigin: "https://not-the-parent.example" }), "ok"); // dropped by the browser
    assert.equal(await open(undefined), "ok"); // "*"
    assert.equal(await open({ targetOrigin: "not an origin" }), "INVALID_INPUT");
    assert.equal(await open({ targetOrigin: 5 }), "INVALID_INPUT");
    await page.waitForFunction("window.messages.length >= 2");
    await new Promise((r) => setTimeout(r, 100));
    const messages = await page.evaluate(() => window.messages);
    assert.deepEqual(messages, [{ data: LINK, origin }, { data: LINK, origin }]);
    // The parent stayed where it was; the frame did not navigate either.
    assert.equal(page.url(), `${origin}/parent`);
    assert.equal(frame.url(), `${origin}/framed`);
  }, { pages });
}
