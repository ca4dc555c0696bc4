// The shared rate limit of one vendor account, as a Durable Object: every consumer instance
// asks it for a permit before each request to the vendor, and gives the permit back when the
// request has ended. The same rule as lms-bridge's own client-side limit: `limit` permits, each
// free again `windowMs` after the request that held it ended. A request arrives between its
// send and its end, so no window of `windowMs` ever sees more than `limit` arrivals, whatever
// the latency or the number of consumers.
//
//   POST /acquire            → 200 {"permit": "…"} once the caller may send (held open until then)
//   POST /release {"permit"} → 204
//   GET  /stats              → {"granted", "inUse", "waiting"}
//
// A permit not given back within `leaseMs` (a consumer that crashed) is taken back as if its
// request had ended then. State lives in memory: a limiter evicted after idling has nothing
// in flight, and its permits were free anyway once a window had passed.
export class RateLimiter {
  constructor(state, env) {
    this.limit = Number(env.RATE_LIMIT ?? 30);
    this.windowMs = Number(env.RATE_WINDOW_MS ?? 10_000);
    this.leaseMs = Number(env.PERMIT_LEASE_MS ?? 60_000);
    this.freeAt = []; // permits not in use: when each is free again
    this.inUse = new Map(); // permit id → lease expiry
    this.queue = []; // callers waiting for a permit, first in, first out
    this.granted = 0;
    this.next = 0;
  }

  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/acquire") return Response.json({ permit: await this.acquire() });
    if (request.method === "POST" && pathname === "/release") {
      const { permit } = await request.json();
      this.release(permit, Date.now());
      return new Response(null, { status: 204 });
    }
    if (pathname === "/stats") return Response.json({ granted: this.granted, inUse: this.inUse.size, waiting: this.queue.length });
    return new Response("not found", { status: 404 });
  }

  /** Resolves with a permit id when the caller may send. */
  acquire() {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      if (this.queue.length === 1) this.serve();
    });
  }

  /** Hands permits to the queue's head, one at a time, in order. */
  async serve() {
    while (this.queue.length) {
      this.reclaimExpired(Date.now());
      let at;
      if (this.inUse.size + this.freeAt.length < this.limit) at = Date.now();
      else if (this.freeAt.length) {
        this.freeAt.sort((a, b) => a - b);
        at = this.freeAt.shift();
      } else {
        // Every permit in use: wait for a release (or a lease to expire).
        await new Promise((r) => (this.wake = r, setTimeout(r, Math.min(this.leaseMs, 1000))));
        continue;
      }
      const id = String(this.next++);
      this.inUse.set(id, Date.now() + this.leaseMs);
      while (Date.now() < at) await new Promise((r) => setTimeout(r, at - Date.now()));
      this.granted++;
      this.queue.shift()(id);
    }
  }

  release(id, ended) {
    if (!this.inUse.delete(id)) return;
    this.freeAt.push(ended + this.windowMs);
    this.wake?.();
  }

  reclaimExpired(now) {
    for (const [id, expiry] of this.inUse) if (expiry <= now) this.release(id, expiry);
  }
}
