// The page of tests/js/vite.test.mjs through lms-bridge/handoff: the same result as ../vite/main.js.
import { AlphaLearn, TeachOnMars, init } from "lms-bridge/handoff";

await init();
const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "admin", enrollmentId: 9 });
window.__result = { action: form.action, type: form.fields.type, link: TeachOnMars.deepLink("t", { scheme: "com.example.app" }) };
