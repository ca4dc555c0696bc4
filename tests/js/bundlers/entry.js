// A browser page's code as users bundle it (tests/js/bundlers.test.mjs): the secret-free
// helpers after `await init()`.
import { AlphaLearn, TeachOnMars, init, sha256 } from "lms-bridge";

await init();
const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "trainee", enrollmentId: 7 });
window.__result = {
  action: form.action,
  fields: form.fields,
  link: TeachOnMars.deepLink("tok+/=", { profileCreation: false }),
  sha: Array.from(sha256("abc").slice(0, 4)),
};
