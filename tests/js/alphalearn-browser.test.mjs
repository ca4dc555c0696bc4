// AlphaLearn's browser hand-off in headless Chromium (one launch per entry): submitForm and
// the rendered auto-submit page (under a strict nonce CSP) deliver a real POST to the mock LMS
// domain with exactly the form's fields; XSS attempts in every field stay inert. Through
// `lms-bridge` and through `lms-bridge/handoff` (its own small module), in Node and the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as main from "lms-bridge";
import * as handoff from "lms-bridge/handoff";
import { startMockServer } from "lms-bridge/testing";
import { installAlphaLearn } from "lms-bridge/testing";
import { withChromium, modulePage } from "./hosts.mjs";

const XSS = [
  '"><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '" autofocus onfocus="alert(1)',
  '</form><form action="https://evil.example"><input name="x">',
  "</noscript><script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "&quot;><svg onload=alert(1)>",
  "</script><script>alert(1)</script>",
  "<!--",
  "]]><iframe srcdoc='<script>alert(1)</script>'>",
];
const ALLOWED_TAGS = ["HTML", "HEAD", "META", "TITLE", "BODY", "FORM", "INPUT", "NOSCRIPT", "P", "BUTTON", "SCRIPT"];

let server;
let al;
before(async () => {
  server = await startMockServer();
  al = installAlphaLearn(server);
});
after(() => server.close());

/** Parses a rendered page with DOMParser (scripts never run) and describes its structure. */
function inspectInPage(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const all = [...doc.querySelectorAll("*")];
  const forms = doc.querySelectorAll("form");
  const scripts = doc.querySelectorAll("script");
  return {
    tags: [...new Set(all.map((e) => e.tagName))],
    attrs: all.flatMap((e) => [...e.attributes].map((a) => `${e.tagName}.${a.name}`)),
    forms: forms.length,
    scripts: [...scripts].map((s) => ({ text: s.textContent, nonce: s.getAttribute("nonce") })),
    action: forms[0]?.getAttribute("action"),
    method: forms[0]?.getAttribute("method"),
    inputs: [...doc.querySelectorAll("form input")].map((i) => [i.name, i.value, i.type]),
    button: doc.querySelector("form noscript button[type=submit]")?.textContent ?? null,
    referrer: doc.querySelector('meta[name="referrer"]')?.content,
  };
}

for (const [name, api, entry] of [["lms-bridge", main, "browser.mjs"], ["lms-bridge/handoff", handoff, "handoff.browser.mjs"]]) {
  test(`Chromium, ${name}: submitForm and the auto-submit page POST exactly; XSS stays inert`, () => postsExactly(api, entry));
}

async function postsExactly({ AlphaLearn, renderAutoSubmitForm }, entry) {
  const client = new main.AlphaLearn({ baseUrl: al.baseUrl, retries: 0 });
  const { token } = await client.login({ email: "ada@example.com", password: "s3cret-Pa55!" });
  const form = AlphaLearn.loginByJwtForm({ domain: al.domain, token, type: "admin", enrollmentId: 12555 });
  assert.equal(form.action, `${server.origin}/site/login-by-jwt-token`);
  const landing = form.action;

  // A form whose field names and values are all attacks, plus fields named like the form
  // methods and attributes the DOM side uses (named controls shadow a form's properties).
  const hostile = { ...form, fields: { ...form.fields, submit: "clobber", appendChild: "clobber", setAttribute: "clobber", action: "clobber", method: "get" } };
  XSS.forEach((p, i) => {
    hostile.fields[`v${i}`] = p;
    hostile.fields[p] = `n${i}`;
  });
  const nonce = "cSp+n0nce/123=";
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${server.origin}; base-uri 'none'`;
  const serveAuto = (f) => (req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp, "cache-control": "no-store" });
    res.end(renderAutoSubmitForm(f, { nonce }));
  };
  const pages = {
    "/blank": "<!doctype html><title>blank</title>",
    "/submit": modulePage(`
      // submitForm must never use innerHTML / insertAdjacentHTML.
      for (const k of ["innerHTML", "outerHTML"]) Object.defineProperty(Element.prototype, k, { set() { throw new Error(k + " used"); } });
      Element.prototype.insertAdjacentHTML = () => { throw new Error("insertAdjacentHTML used"); };
      await lmsb.init();
      const form = ${JSON.stringify(hostile).replaceAll("<", "\\u003c")};
      const codes = [];
      for (const bad of [{ ...form, method: "GET" }, { ...form, action: "javascript:alert(1)" },
                         { ...form, action: "http://evil.example/x" }, { ...form, fields: { token: 5 } }, "x"]) {
        try { lmsb.submitForm(bad); codes.push("none"); } catch (e) { codes.push(e.code); }
      }
      console.log("report:" + JSON.stringify({ codes, formsBefore: document.forms.length }));
      lmsb.submitForm(form);
    `, entry),
  };
  const routes = { "/auto": serveAuto(form), "/auto-hostile": serveAuto(hostile) };

  await withChromium(async ({ page, origin }) => {
    const dialogs = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss();
    });
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    const reports = [];
    page.on("console", (m) => {
      if (m.text().startsWith("report:")) reports.push(JSON.parse(m.text().slice(7)));
    });

    // 1. XSS in every field: DOMParser sees only our markup, and values round-trip.
    await page.goto(`${origin}/blank`);
    for (const p of XSS) {
      for (const variant of ["token", "type", "inputData", "name", "action"]) {
        const f = structuredClone(form);
        if (variant === "name") f.fields[p] = p;
        else if (variant === "action") f.action = `${landing}?q=${p}`;
        else f.fields[variant] = p;
        let html;
        try {
          html = renderAutoSubmitForm(f, { nonce });
        } catch (e) {
          assert.equal(variant, "action", `only an action may be refused: ${p}`);
          assert.equal(e.code, "INVALID_INPUT");
          continue;
        }
        const seen = await page.evaluate(inspectInPage, html);
        assert.deepEqual(seen.tags.filter((t) => !ALLOWED_TAGS.includes(t)), [], `${variant} ${p}`);
        assert.equal(seen.forms, 1);
        assert.deepEqual(seen.scripts, [{ nonce, text: 'HTMLFormElement.prototype.submit.call(document.getElementById("lms-bridge-form"));' }]);
        assert.ok(seen.attrs.every((a) => !/\.on|srcdoc|autofocus/i.test(a)), `${variant} ${p}: ${seen.attrs}`);
        assert.deepEqual(seen.inputs, Object.entries(f.fields).map(([k, v]) => [k, v, "hidden"]));
        assert.equal(seen.action, f.action);
        assert.equal(seen.method, "post");
        assert.equal(seen.button, "Continue", "a visible button when scripts are off");
        assert.equal(seen.referrer, "no-referrer");
      }
    }

    // 2. submitForm: validation like renderAutoSubmitForm, then a real POST.
    await page.goto(`${origin}/submit`);
    await page.waitForURL(landing, { timeout: 4000 }).catch((e) => {
      throw new Error(`${e.message}\npage errors: ${pageErrors.join("; ")}`);
    });
    assert.equal(await page.textContent("#type"), "1 (admin)");
    assert.equal(await page.textContent("#enrollment"), "12555");
    assert.equal(await page.textContent("#who"), "ada@example.com");
    let got = al.landings.at(-1);
    assert.equal(got.contentType, "application/x-www-form-urlencoded");
    assert.deepEqual(got.fields, hostile.fields);
    assert.deepEqual(got.fieldNames, Object.keys(hostile.fields));
    assert.deepEqual(reports, [{ codes: Array(5).fill("INVALID_INPUT"), formsBefore: 0 }]);

    // 3. The rendered page under a strict nonce CSP auto-submits.
    const n = al.landings.length;
    const resp = await page.goto(`${origin}/auto`);
    assert.ok(resp);
    await page.waitForURL(landing, { timeout: 4000 });
    assert.equal(al.landings.length, n + 1);
    got = al.landings.at(-1);
    assert.deepEqual(got.fields, form.fields);
    assert.deepEqual(got.fieldNames, ["token", "type", "inputData"]);
    assert.equal(await page.textContent("#type"), "1 (admin)");
    assert.equal(await page.textContent("#enrollment"), "12555");

    // 4. The hostile page too: no injected script ran, every field arrives as sent.
    await page.goto(`${origin}/auto-hostile`);
    await page.waitForURL(landing, { timeout: 4000 });
    got = al.landings.at(-1);
    assert.deepEqual(got.fields, hostile.fields);
    assert.deepEqual(got.fieldNames, Object.keys(hostile.fields));

    assert.deepEqual(dialogs, []);
    assert.deepEqual(pageErrors, []);
  }, { pages, routes });
}
