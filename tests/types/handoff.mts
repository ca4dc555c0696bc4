// The `lms-bridge/handoff` entry, as users write it: the same types as the main entry's helpers.
import { init, AlphaLearn, TeachOnMars, renderAutoSubmitForm, submitForm, openTeachOnMarsApp, isLmsBridgeError, type AlphaLearnJwtForm } from "lms-bridge/handoff";
import * as main from "lms-bridge";

await init();
const form: AlphaLearnJwtForm = AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "t", type: "trainee", enrollmentId: "12555" });
const page: string = renderAutoSubmitForm(form, { nonce: "n" });
const link: string = TeachOnMars.deepLink("t", { profileCreation: null, scheme: "com.acme.app" });
const fromMain: main.AlphaLearnJwtForm = form; // interchangeable with the main entry's
submitForm(main.AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "t", type: "admin", enrollmentId: 1 }));
openTeachOnMarsApp(link, { targetOrigin: "https://shell.example" });
// @ts-expect-error: type is "admin" or "trainee"
AlphaLearn.loginByJwtForm({ domain: "lms.example.com", token: "t", type: "learner", enrollmentId: 1 });
// @ts-expect-error: the hand-off entry has no client
new AlphaLearn({ domain: "lms.example.com" });
try {
  submitForm(form);
} catch (e) {
  if (isLmsBridgeError(e)) console.log(e.code, page, fromMain);
}
