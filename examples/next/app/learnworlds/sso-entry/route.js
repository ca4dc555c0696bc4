// GET /learnworlds/sso-entry?action=…&redirectUrl=…: LearnWorlds' "custom SSO" entry (set it as
// the school's login URL). On the edge runtime, to show both: lms-bridge's `edge-light` entry.
import { LearnWorlds, init, isLmsBridgeError } from "lms-bridge";
import { currentUser, lms, ssoRedirect, text } from "../../../lib/lms.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export async function GET(request) {
  await init(); // resolves at once on the edge; kept so the file also works with the browser entry
  let entry;
  try {
    entry = LearnWorlds.parseCustomSsoRequest(request.url, { allowedOrigins: lms().allowedOrigins });
  } catch (e) {
    return text(`sign-in request refused (${isLmsBridgeError(e) ? e.code : "invalid"})\n`, 400);
  }
  return ssoRedirect(currentUser(request), entry.redirectUrl ?? undefined);
}
