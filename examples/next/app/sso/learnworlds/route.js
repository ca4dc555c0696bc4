// GET /sso/learnworlds?redirectUrl=…: the signed-in user → LearnWorlds SSO → 302 to the school.
import { LearnWorlds, isLmsBridgeError } from "lms-bridge";
import { currentUser, lms, ssoRedirect, text } from "../../../lib/lms.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request) {
  const query = new URL(request.url).searchParams;
  const user = currentUser(request);
  const asked = query.get("email");
  if (asked && asked.toLowerCase() !== user.email.toLowerCase()) return text("You are signed in as someone else.\n", 403);
  let redirectUrl;
  const wanted = query.get("redirectUrl");
  if (wanted) {
    try {
      // The same allow-list check as the custom-SSO entry.
      const probe = `http://local/?${new URLSearchParams({ action: "login", redirectUrl: wanted })}`;
      redirectUrl = LearnWorlds.parseCustomSsoRequest(probe, { allowedOrigins: lms().allowedOrigins }).redirectUrl ?? undefined;
    } catch (e) {
      return text(`redirectUrl refused (${isLmsBridgeError(e) ? e.code : "invalid"})\n`, 400);
    }
  }
  // The query's `username` is only a display name for a new account.
  return ssoRedirect({ ...user, username: user.username || query.get("username") || undefined }, redirectUrl);
}
