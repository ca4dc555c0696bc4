// Browser-only use of lms-bridge: nothing secret is here. "lms-bridge" is mapped to the
// package's browser entry (/pkg/browser.mjs) by the import map in index.html; with a bundler,
// the same import resolves through the package's `browser` export condition.
import { init, AlphaLearn, TeachOnMars, submitForm, isLmsBridgeError } from "lms-bridge";

const $ = (id) => document.getElementById(id);
const describe = (e) => (isLmsBridgeError(e) ? `${e.code}: ${e.message}` : String(e));

await init(); // loads the .wasm once; calls made before this throw NOT_INITIALIZED
$("status").textContent = "ready";
if (!$("al-domain").value) $("al-domain").value = location.host; // a guess; type your LMS domain

// ---- AlphaLearn: POST https://{domain}/site/login-by-jwt-token with token, type, inputData ----
let form = null;
$("al-build").addEventListener("click", () => {
  $("al-error").textContent = "";
  $("al-submit").disabled = true;
  $("al-form").hidden = true;
  form = null;
  try {
    form = AlphaLearn.loginByJwtForm({
      domain: $("al-domain").value.trim(),
      token: $("al-token").value.trim(),
      type: $("al-type").value,
      enrollmentId: Number($("al-enrollment").value),
    });
  } catch (e) {
    $("al-error").textContent = describe(e);
    return;
  }
  $("al-method").textContent = form.method;
  $("al-action").textContent = form.action;
  $("al-fields").replaceChildren(...Object.entries(form.fields).map(([name, value]) => {
    const row = document.createElement("tr");
    for (const text of [name, value]) {
      const cell = document.createElement("td");
      cell.textContent = text; // textContent, never innerHTML: the token is user input
      row.append(cell);
    }
    return row;
  }));
  $("al-form").hidden = false;
  $("al-submit").disabled = false;
});
$("al-submit").addEventListener("click", () => {
  if (form) submitForm(form); // builds a <form> with DOM calls and submits it (navigates away)
});

// ---- Teach on Mars: com.teachonmars://globals.login?authToken=… ----
$("tom-build").addEventListener("click", () => {
  $("tom-error").textContent = "";
  $("tom-result").hidden = true;
  try {
    const link = TeachOnMars.deepLink($("tom-token").value.trim(), { profileCreation: $("tom-profile").checked });
    $("tom-link").textContent = link;
    $("tom-open").href = link; // or openTeachOnMarsApp(link) to go there at once (postMessage when framed)
    $("tom-result").hidden = false;
  } catch (e) {
    $("tom-error").textContent = describe(e);
  }
});
