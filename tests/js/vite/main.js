// The page of tests/js/vite.test.mjs: lms-bridge as a Vite app imports it, no plugin, no config.
import { AlphaLearn, TeachOnMars, init } from "lms-bridge";

await init();
const form = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "a.b.c", type: "admin", enrollmentId: 9 });
window.__result = { action: form.action, type: form.fields.type, link: TeachOnMars.deepLink("t", { scheme: "com.example.app" }) };
