// POST /miles/progress: a Miles Masterclass progress callback, verified over the raw bytes.
import { MilesMasterclass } from "lms-bridge";
import { lms } from "../../../lib/lms.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
const MAX_BODY = 1024 * 1024;

export async function POST(request) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return new Response("payload too large\n", { status: 413 });
  const raw = new Uint8Array(await request.arrayBuffer()); // the exact bytes: never request.json()
  if (raw.length > MAX_BODY) return new Response("payload too large\n", { status: 413 });
  let reply;
  try {
    const event = lms().mm.verifyProgressCallback(raw, request.headers);
    console.log(`progress ${request.headers.get("webhook-id") ?? "-"}: ${event.event} video=${event.videoId} status=${event.status}`);
    reply = MilesMasterclass.callbackAck();
  } catch (e) {
    reply = MilesMasterclass.callbackReject(e); // 401 / 400, without details
  }
  return new Response(reply.body, { status: reply.status, headers: { ...reply.headers, "cache-control": "no-store" } });
}
