// LearnWorlds inbound: webhook verification (static and hmac-sha256-hex modes) and the
// custom-SSO redirect parser (open-redirect cases), through the JS API.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { LearnWorlds } from "lms-bridge";
import { learnWorldsWebhookHeaders } from "lms-bridge/testing";
import { rejectsWith, assertNoSecrets } from "./assert.mjs";

const VALUE = "d1f5a0c3e9b2d47a8e6f10c2b3a4d5e6f708192a3b4c"; // 46 hex chars, like the vendor's example
const body = JSON.stringify({
  version: 2,
  type: "productBought",
  trigger: "new_purchase",
  school_id: "5f1a2b3c",
  data: { user: { id: "u1", email: "ann@x.com" }, product: { id: "c1", type: "course" }, price: 49.5, created: 1700000000.123 },
});
const verify = (b, h, o) => LearnWorlds.verifyWebhook(b, h, o);

test("static mode: valid with and without the configured v1= prefix, any header container", () => {
  const headers = learnWorldsWebhookHeaders(body, { signature: VALUE });
  assert.equal(headers["learnworlds-webhook-signature"], `v1=${VALUE}`);
  const ev = verify(body, headers, { signature: VALUE });
  assert.deepEqual(ev, {
    version: 2,
    type: "productBought",
    trigger: "new_purchase",
    schoolId: "5f1a2b3c",
    data: { user: { id: "u1", email: "ann@x.com" }, product: { id: "c1", type: "course" }, price: 49.5, created: 1700000000.123 },
    raw: JSON.parse(body),
  });
  assert.deepEqual(verify(body, headers, { signature: `v1=${VALUE}`, mode: "static" }), ev);
  assert.deepEqual(verify(new TextEncoder().encode(body), new Headers(headers), { signature: VALUE }), ev);
  assert.deepEqual(verify(body, [["Learnworlds-Webhook-Signature", `v1=${VALUE}`]], { signature: VALUE }), ev);
  assert.deepEqual(verify(body, { "LEARNWORLDS-WEBHOOK-SIGNATURE": `v1=${VALUE}` }, { signature: VALUE }), ev);
});

test("static mode: wrong, missing, malformed, rotation", () => {
  const e = (h, o = { signature: VALUE }) => {
    try {
      verify(body, h, o);
    } catch (err) {
      return err;
    }
    assert.fail("no error");
  };
  const wrong = e({ "learnworlds-webhook-signature": `v1=${VALUE.slice(0, -1)}0` });
  assert.equal(wrong.code, "SIGNATURE_MISMATCH");
  assert.equal(wrong.vendor, "learnworlds");
  assert.equal(e({ "learnworlds-webhook-signature": `v1=${VALUE}x` }).code, "SIGNATURE_MISMATCH");
  assert.equal(e({ "learnworlds-webhook-signature": `v1=${VALUE.toUpperCase()}` }).code, "SIGNATURE_MISMATCH");
  assert.equal(e({}).code, "SIGNATURE_MISSING");
  assert.equal(e({ "x-other": "v1=abc" }).code, "SIGNATURE_MISSING");
  assert.equal(e({ "learnworlds-webhook-signature": VALUE }).code, "SIGNATURE_MALFORMED");
  assert.equal(e({ "learnworlds-webhook-signature": `v2=${VALUE}` }).code, "SIGNATURE_MALFORMED");
  assert.equal(e({ "learnworlds-webhook-signature": `v1=${"a".repeat(9000)}` }).code, "SIGNATURE_MALFORMED");
  // Rotation: either configured value is accepted.
  const h = { "learnworlds-webhook-signature": "v1=new-value-77" };
  assert.equal(verify(body, h, { signature: ["old-value-66", "new-value-77"] }).type, "productBought");
  assert.equal(verify(body, { "learnworlds-webhook-signature": "v1=old-value-66" }, { signature: ["old-value-66", "new-value-77"] }).type, "productBought");
  assert.equal(e(h, { signature: ["old-value-66", "other-88"] }).code, "SIGNATURE_MISMATCH");
  // Configuration errors.
  for (const o of [{}, { signature: "" }, { signature: [] }, { signature: [""] }, { signature: "v1=" }, { signature: 5 }, { signature: VALUE, mode: "sha1" }, null]) {
    assert.equal(e(h, o).code, "INVALID_CONFIG", JSON.stringify(o));
  }
});

test("hmac-sha256-hex mode: valid, tampered body, wrong key, malformed, rotation", async () => {
  const key = "hmac-key-secret-123";
  const headers = learnWorldsWebhookHeaders(body, { signature: key, mode: "hmac-sha256-hex" });
  assert.match(headers["learnworlds-webhook-signature"], /^v1=[0-9a-f]{64}$/);
  assert.equal(verify(body, headers, { signature: key, mode: "hmac-sha256-hex" }).schoolId, "5f1a2b3c");
  assert.equal(verify(body, headers, { signature: ["old", key], mode: "hmac-sha256-hex" }).type, "productBought");
  const err = (b, h, o) => {
    try {
      verify(b, h, o);
    } catch (x) {
      return x;
    }
    assert.fail("no error");
  };
  const tampered = err(body.replace("49.5", "0.5"), headers, { signature: key, mode: "hmac-sha256-hex" });
  assert.equal(tampered.code, "SIGNATURE_MISMATCH");
  await assertNoSecrets(tampered, [key]);
  assert.equal(err(body + " ", headers, { signature: key, mode: "hmac-sha256-hex" }).code, "SIGNATURE_MISMATCH");
  assert.equal(err(body, headers, { signature: "other-key", mode: "hmac-sha256-hex" }).code, "SIGNATURE_MISMATCH");
  // The static value is not accepted in HMAC mode, and the HMAC is not a static value.
  assert.equal(err(body, { "learnworlds-webhook-signature": `v1=${key}` }, { signature: key, mode: "hmac-sha256-hex" }).code, "SIGNATURE_MALFORMED");
  assert.equal(err(body, headers, { signature: key }).code, "SIGNATURE_MISMATCH");
  const hex = headers["learnworlds-webhook-signature"].slice(3);
  for (const bad of [hex, `v1=${hex.toUpperCase()}`, `v1=${hex.slice(1)}`, `v1=${hex}00`, `v1=${hex.slice(1)}g`]) {
    assert.equal(err(body, { "learnworlds-webhook-signature": bad }, { signature: key, mode: "hmac-sha256-hex" }).code, "SIGNATURE_MALFORMED", bad);
  }
  assert.equal(err(body, {}, { signature: key, mode: "hmac-sha256-hex" }).code, "SIGNATURE_MISSING");
  // Bytes in, the exact bytes verified.
  const bytes = new TextEncoder().encode(body);
  const sig = crypto.createHmac("sha256", key).update(bytes).digest("hex");
  assert.equal(verify(bytes, { "learnworlds-webhook-signature": `v1=${sig}` }, { signature: key, mode: "hmac-sha256-hex" }).trigger, "new_purchase");
});

test("envelope: unknown types pass through, bad bodies are INVALID_INPUT after authentication", async () => {
  const h = { "learnworlds-webhook-signature": `v1=${VALUE}` };
  const other = JSON.stringify({ version: 2, type: "somethingNew", trigger: "x", school_id: "s", data: { Some_Key: 1 } });
  assert.deepEqual(verify(other, h, { signature: VALUE }).data, { Some_Key: 1 });
  const sub = JSON.stringify({ version: 2, type: "subscriptionUpdated", trigger: "subsription_changed", school_id: "s", data: { utm: { source: "x" }, updated: "2024-01-02T03:04:05Z" } });
  const ev = verify(sub, h, { signature: VALUE });
  assert.equal(ev.trigger, "subsription_changed");
  assert.equal(ev.data.updated, "2024-01-02T03:04:05Z");
  for (const bad of ["not json", "[]", JSON.stringify({ version: 2, data: {} }), ""]) {
    await assert.rejects(async () => verify(bad, h, { signature: VALUE }), (e) => e.code === "INVALID_INPUT", bad);
  }
  // A wrong signature on a bad body is still a signature error (authentication first).
  assert.throws(() => verify("not json", { "learnworlds-webhook-signature": "v1=nope" }, { signature: VALUE }), (e) => e.code === "SIGNATURE_MISMATCH");
  const e = await rejectsWith(() => verify(body, { "learnworlds-webhook-signature": "v1=nope" }, { signature: VALUE }), "SIGNATURE_MISMATCH");
  await assertNoSecrets(e, [VALUE]);
});

// ---- custom SSO ----

const allowed = { allowedOrigins: ["https://school.com", "http://localhost:3000"] };
const page = (query) => `https://integrator.example/lw-sso?${query}`;
const enc = encodeURIComponent;
const parse = (url, o = allowed) => LearnWorlds.parseCustomSsoRequest(url, o);
const refused = (raw) => assert.throws(() => parse(page(`action=login&redirectUrl=${raw}`)), (e) => e.code === "REDIRECT_NOT_ALLOWED" && e.vendor === "learnworlds", raw);

test("custom SSO: actions and allowed redirects", () => {
  assert.deepEqual(parse(page(`action=login&redirectUrl=${enc("https://school.com/course/1?x=1&y=2")}`)), { action: "login", redirectUrl: "https://school.com/course/1?x=1&y=2" });
  assert.deepEqual(parse(page("action=signup")), { action: "signup", redirectUrl: null });
  assert.deepEqual(parse(page(`action=passwordreset&redirectUrl=${enc("http://localhost:3000/back")}`)), { action: "passwordreset", redirectUrl: "http://localhost:3000/back" });
  // Mixed case and default port on an allowed origin are the same origin.
  assert.equal(parse(page(`action=login&redirectUrl=${enc("HTTPS://School.COM:443/x")}`)).redirectUrl, "HTTPS://School.COM:443/x");
  // Double-encoded senders are decoded once more.
  assert.equal(parse(page(`action=login&redirectUrl=${enc(enc("https://school.com/a?b=c"))}`)).redirectUrl, "https://school.com/a?b=c");
  // A URL object and a relative request URL work too.
  assert.equal(parse(new URL(page(`action=login&redirectUrl=${enc("https://school.com/")}`))).action, "login");
  assert.equal(parse(`/lw-sso?action=login&redirectUrl=${enc("https://school.com/z")}`).redirectUrl, "https://school.com/z");
});

test("custom SSO: open-redirect attempts are REDIRECT_NOT_ALLOWED", () => {
  for (const target of [
    "//evil.com",
    "//evil.com/https://school.com",
    "https://school.com.evil.com/",
    "https://evil.com/?https://school.com",
    "https://evil.com#https://school.com",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)//https://school.com",
    "data:text/html,<script>alert(1)</script>",
    "https://school.com@evil.com/",
    "https://user:pass@school.com/",
    "https://evil.com\\@school.com",
    "https:\\\\evil.com",
    "https://school.com\\@evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "https://SCHOOL.COM.EVIL.COM/",
    "hTtPs://EvIl.CoM/",
    "http://school.com/", // wrong scheme: origin differs
    "https://school.com:8443/",
    "https://localhost:3000/", // wrong scheme for the loopback origin
    "ftp://school.com/",
    "school.com/x",
    "/relative/path",
    " https://school.com/",
    "https://school.com/\n",
    "https://evil.com",
  ]) {
    refused(enc(target));
    refused(enc(enc(target)));
  }
  // Raw (not encoded) and partly encoded forms.
  refused("//evil.com");
  refused("https:%2F%2Fevil.com");
  refused("https%3A%2F%2Fschool.com%40evil.com");
  refused("https%253A%252F%252Fschool.com%2540evil.com");
  refused("https%3A%2F%2Fschool.com%252Eevil.com");
  refused("%2F%2Fevil.com");
  refused("%252F%252Fevil.com");
  refused("%ZZ");
  // Repeated redirectUrl is refused rather than guessed.
  refused(`${enc("https://school.com/")}&redirectUrl=${enc("https://evil.com/")}`);
});

test("custom SSO: configuration and action errors", () => {
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      return e.code;
    }
    return "none";
  };
  for (const o of [{ allowedOrigins: [] }, {}, { allowedOrigins: "https://school.com" }, { allowedOrigins: ["https://school.com/path"] }, { allowedOrigins: ["ftp://x.com"] }, null]) {
    assert.equal(code(() => parse(page("action=login"), o)), "INVALID_CONFIG", JSON.stringify(o));
  }
  for (const q of ["", "action=logout", "action=LOGIN", "redirectUrl=https%3A%2F%2Fschool.com", "action=login&action=signup"]) {
    assert.equal(code(() => parse(page(q))), "INVALID_INPUT", q);
  }
  assert.equal(code(() => parse(42)), "INVALID_INPUT");
});
