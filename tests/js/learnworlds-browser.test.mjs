// LearnWorlds in a real browser (headless Chromium, one launch): a client holding a
// secret or an app token refuses to be constructed; the secret-free helpers and the SSO twins
// of a client without secrets work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { modulePage, pageResult, withChromium } from "./hosts.mjs";

test("Chromium: clientSecret/accessToken → UNSUPPORTED_ENVIRONMENT; inbound helpers and the SSO twins work", async () => {
  const script = `
    const out = {};
    const code = (fn) => { try { fn(); return "none"; } catch (e) { return e.code + (e.message.includes("s3cret-browser") ? " LEAK" : ""); } };
    await lmsb.init();
    const { LearnWorlds } = lmsb;
    out.secret = code(() => new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", clientSecret: "s3cret-browser" }));
    out.token = code(() => new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c", accessToken: "s3cret-browser" }));
    out.plain = code(() => new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c" }));
    const plain = new LearnWorlds({ schoolUrl: "https://school.example.com", clientId: "c" });
    const built = plain.buildSso({ userId: 42 }, { accessToken: "app-token-1" });
    out.built = [built.url, built.headers.Authorization, decodeURIComponent(built.body)];
    out.parsed = plain.parseSso({ status: 200, body: JSON.stringify({ success: true, url: "https://school.example.com/é" }) }, { userId: 42 });
    out.noToken = code(() => plain.buildSso({ userId: "u1" }));
    out.custom = LearnWorlds.parseCustomSsoRequest("/sso?action=login&redirectUrl=https%3A%2F%2Fschool.com%2Fx", { allowedOrigins: ["https://school.com"] });
    out.evil = code(() => LearnWorlds.parseCustomSsoRequest("/sso?action=login&redirectUrl=%2F%2Fevil.com", { allowedOrigins: ["https://school.com"] }));
    out.webhook = LearnWorlds.verifyWebhook('{"version":2,"type":"userUpdated","trigger":"t","school_id":"s","data":{}}',
      new Headers({ "Learnworlds-Webhook-Signature": "v1=abc123" }), { signature: "abc123" }).type;
    window.result = out;`;
  await withChromium(async ({ page, origin }) => {
    const { out } = await pageResult(page, `${origin}/lw.html`, 4000);
    assert.deepEqual(out, {
      secret: "UNSUPPORTED_ENVIRONMENT",
      token: "UNSUPPORTED_ENVIRONMENT",
      plain: "none",
      built: ["https://school.example.com/admin/api/sso", "Bearer app-token-1", 'data={"user_id":"42"}'],
      parsed: { url: "https://school.example.com/é", userId: "42" },
      noToken: "INVALID_CONFIG",
      custom: { action: "login", redirectUrl: "https://school.com/x" },
      evil: "REDIRECT_NOT_ALLOWED",
      webhook: "userUpdated",
    });
  }, { pages: { "/lw.html": modulePage(script) } });
});
