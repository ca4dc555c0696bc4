// The same page through the two small entries (tests/js/bundlers.test.mjs): the hand-off
// helpers from lms-bridge/handoff, sha256 from lms-bridge/webhooks, each with its own .wasm.
import { AlphaLearn, TeachOnMars, init } from "lms-bridge/handoff";
import { init as initSigning, sha256 } from "lms-bridge/webhooks";

await Promise.all([init(), initSigning()]);
const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "trainee", enrollmentId: 7 });
window.__result = {
  action: form.action,
  fields: form.fields,
  link: TeachOnMars.deepLink("tok+/=", { profileCreation: false }),
  sha: Array.from(sha256("abc").slice(0, 4)),
};
