// The package in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// the browser entry's init() is idempotent, calls before it throw NOT_INITIALIZED, the
// exports work, and secret-holding clients refuse to run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { modulePage, withChromium } from "./hosts.mjs";

test("Chromium: init, signing exports, errors, secret-holding clients refused", async () => {
  const page = modulePage(`
const out = {};
try { lmsb.sha256("abc"); } catch (e) { out.early = { code: e.code, name: e.name }; }
try { new lmsb.MilesMasterclass({}); } catch (e) { out.earlyClass = e.code; }
const p1 = lmsb.init();
const p2 = lmsb.init();
await Promise.all([p1, p2]);
await lmsb.init();
out.sha = Array.from(lmsb.sha256("abc").slice(0, 4));
const secret = "whsec_" + btoa("browser-secret");
const headers = lmsb.signWebhook("hello", { scheme: "standard-webhooks", secret });
out.verified = lmsb.verifyWebhook("hello", new Headers(headers), { scheme: "standard-webhooks", secret });
try { lmsb.verifyWebhook("hello!", headers, { scheme: "standard-webhooks", secret }); } catch (e) {
  out.mismatch = { code: e.code, isError: e instanceof Error, cls: e instanceof lmsb.LmsBridgeError, guard: lmsb.isLmsBridgeError(e) };
}
const signed = lmsb.signUrl("https://lms.example/a", { secret: "s" });
out.url = lmsb.verifySignedUrl(signed, { secret: "s" }).url;
try { new lmsb.MilesMasterclass({ baseUrl: "https://mm.example", apiKey: "k" }); } catch (e) { out.serverOnly = e.code; }
window.result = out;
`);
  await withChromium(async ({ page: tab, origin }) => {
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(`${origin}/test`);
    await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 10_000 });
    const out = await tab.evaluate(() => window.result);
    assert.deepEqual(errors, []);
    assert.deepEqual(out.early, { code: "NOT_INITIALIZED", name: "LmsBridgeError" });
    assert.equal(out.earlyClass, "NOT_INITIALIZED");
    assert.deepEqual(out.sha, [0xba, 0x78, 0x16, 0xbf]);
    assert.equal(out.verified.scheme, "standard-webhooks");
    assert.deepEqual(out.mismatch, { code: "SIGNATURE_MISMATCH", isError: true, cls: true, guard: true });
    assert.equal(out.url, "https://lms.example/a");
    assert.equal(out.serverOnly, "UNSUPPORTED_ENVIRONMENT");
  }, { pages: { "/test": page } });
});
