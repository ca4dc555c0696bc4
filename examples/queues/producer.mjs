// Producer Worker: takes a roster and enqueues one message per learner.
//
//   POST /roster          body: a JSON array of Teach on Mars learner profiles
//                         ({ login, email?, firstname?, lastname?, … }) → 202 {"queued": n}
//   GET  /dead-letters    what the consumer recorded from the dead-letter queue
//
// Every request must carry `Authorization: Bearer <PRODUCER_TOKEN>`: a roster starts
// provisioning, and dead letters name learners.
// Bindings: ROSTER (queue producer), DEAD_LETTERS (KV, read-only here), PRODUCER_TOKEN (secret).
const MAX_ROWS = 100_000;

/** Whether the request carries the producer's token (compared in constant time). */
function authorised(request, env) {
  if (!env.PRODUCER_TOKEN) return false;
  const enc = new TextEncoder();
  const given = enc.encode(request.headers.get("authorization") ?? "");
  const want = enc.encode(`Bearer ${env.PRODUCER_TOKEN}`);
  return given.length === want.length && crypto.subtle.timingSafeEqual(given, want);
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (!authorised(request, env)) return new Response("unauthorised", { status: 401, headers: { "www-authenticate": "Bearer" } });
    if (request.method === "POST" && pathname === "/roster") {
      let rows;
      try {
        rows = await request.json();
      } catch {
        return Response.json({ error: "the body must be a JSON array of learners" }, { status: 400 });
      }
      if (!Array.isArray(rows) || rows.length > MAX_ROWS) {
        return Response.json({ error: `the body must be a JSON array of at most ${MAX_ROWS} learners` }, { status: 400 });
      }
      // sendBatch takes at most 100 messages.
      for (let i = 0; i < rows.length; i += 100) {
        await env.ROSTER.sendBatch(rows.slice(i, i + 100).map((body) => ({ body, contentType: "json" })));
      }
      return Response.json({ queued: rows.length }, { status: 202 });
    }
    if (request.method === "GET" && pathname === "/dead-letters") {
      const out = [];
      let cursor;
      do {
        const page = await env.DEAD_LETTERS.list({ cursor });
        for (const { name } of page.keys) out.push(JSON.parse(await env.DEAD_LETTERS.get(name)));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return Response.json(out);
    }
    return new Response("not found", { status: 404 });
  },
};
