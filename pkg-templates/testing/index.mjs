// lms-bridge/testing (Node only): the mock vendors lms-bridge is tested against, for testing
// your own integration without vendor sandboxes. Each mock speaks its vendor's documented wire
// format on 127.0.0.1, records every request, and injects faults on demand.
//
//   import { startMockServer, installLearnWorlds, faults } from "lms-bridge/testing";
//   const server = await startMockServer();
//   const school = installLearnWorlds(server, { clientId: "c", clientSecret: "s3cret" });
//   const lw = new LearnWorlds({ schoolUrl: server.origin, clientId: "c", clientSecret: "s3cret" });
//   server.queue("POST", "/admin/api/sso", faults.unavailable(0)); // the next SSO answers 503
import { signWebhook } from "../node.mjs";

export { faults, startMockServer } from "./server.mjs";
export { installMilesMasterclass } from "./miles-masterclass.mjs";
export { installAlphaLearn, alphaError, envelope, ERROR_MEANINGS } from "./alphalearn.mjs";
export { installTeachOnMars, mockAppUrl, v3Error } from "./teach-on-mars.mjs";
export { installLearnWorlds, learnWorldsWebhookHeaders } from "./learnworlds.mjs";

/**
 * The headers Miles Masterclass would send with a progress callback `body`, signed with
 * `secret` (Standard Webhooks by default; `scheme` "stripe" or "github" for the other
 * settings), to test your callback endpoint end to end.
 */
export function signProgressCallback(body, { secret, scheme = "standard-webhooks", timestamp, id } = {}) {
  return signWebhook(body, { scheme, secret, ...(timestamp === undefined ? {} : { timestamp }), ...(id === undefined ? {} : { id }) });
}
