// A local HTTP server for tests and the demo: 127.0.0.1, an ephemeral port, routes that
// record every request, fault injection, and optionally a fixed latency per request
// (startMockServer({ latencyMs })). Vendor mocks (./<vendor>.mjs) add routes.
//
//   const server = await startMockServer();
//   server.route("POST", "/api/x", (req) => ({ status: 200, json: { ok: true } }));
//   server.queue("POST", "/api/y", { status: 503 }, { status: 200, json: {} });  // in order
//   server.requests  // [{ method, path, query, headers, body }]
//
// A handler returns { status, headers, body | json } or a fault:
//   { fault: "reset" }                 destroy the socket without answering
//   { fault: "delay", ms, then }       wait, then answer `then` (or hang if absent)
//   { fault: "truncate", body }        announce a longer Content-Length, send less, close
//   { fault: "oversized", bytes }      stream `bytes` bytes of JSON-ish filler (no length)
// Helpers build the common ones: faults.malformedJson(), faults.wrongContentType(), …
//
// Random faults on every route (seeded): server.chaos({ rate: 0.05, seed: 1, kinds, burst })
// answers a `rate` share of requests with one of `kinds`: "503" (Retry-After: 0), "reset"
// (socket destroyed, request not processed), "reset-after" (processed, then the socket is
// destroyed: the client cannot know it happened) or "429-burst" (this and the next `burst`
// requests get 429, Retry-After: 1). server.chaos(null) stops. server.maxInWindow(ms) is the
// most requests that arrived within any `ms` window (the vendor's rate-limit measure).
import http from "node:http";

export const faults = {
  reset: () => ({ fault: "reset" }),
  delay: (ms, then) => ({ fault: "delay", ms, then }),
  hang: () => ({ fault: "delay", ms: 60_000 }),
  truncated: (body = '{"status":"ok","user_id":"12') => ({ fault: "truncate", body }),
  oversized: (bytes) => ({ fault: "oversized", bytes }),
  malformedJson: () => ({ status: 200, headers: { "content-type": "application/json" }, body: '{"status": "ok",' }),
  wrongContentType: () => ({ status: 200, headers: { "content-type": "text/html" }, body: "<html>maintenance</html>" }),
  tooMany: (retryAfter) => ({ status: 429, headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }, json: { error: "Too many requests" } }),
  unavailable: (retryAfter) => ({ status: 503, headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }, body: "" }),
};

export async function startMockServer({ host = "127.0.0.1", port = 0, latencyMs = 0 } = {}) {
  const routes = new Map();
  const queues = new Map();
  const requests = [];
  const sockets = new Set();
  const key = (method, path) => `${method.toUpperCase()} ${path}`;
  let chaos = null;
  const chaosCounts = {};

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs)); // a vendor's think time
    const url = new URL(req.url, `http://${req.headers.host ?? host}`);
    const record = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      url: url.toString(),
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    requests.push(record);
    const k = key(req.method, url.pathname);
    let handler = queues.get(k)?.shift();
    if (handler === undefined) handler = routes.get(k) ?? routes.get(key(req.method, "*"));
    const fault = chaos?.pick(record);
    if (fault) chaosCounts[fault] = (chaosCounts[fault] ?? 0) + 1;
    if (fault === "503") return respond(res, { status: 503, headers: { "retry-after": "0" }, body: "" });
    if (fault === "429") return respond(res, { status: 429, headers: { "retry-after": "1" }, json: { error: "Too many requests" } });
    if (fault === "reset") return res.socket?.destroy();
    let answer;
    try {
      answer = typeof handler === "function" ? await handler(record, res) : handler;
    } catch (e) {
      answer = { status: 500, json: { error: String(e?.message ?? e) } };
    }
    if (fault === "reset-after") return res.socket?.destroy();
    if (answer === null) return; // the handler wrote the response itself
    await respond(res, answer ?? { status: 404, json: { error: "no mock route", route: k } });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const origin = `http://${host}:${server.address().port}`;

  return {
    origin,
    url: origin,
    port: server.address().port,
    requests,
    /** Installs a handler (a function or a fixed answer) for METHOD path ("*" = any path). */
    route(method, path, handler) {
      routes.set(key(method, path), handler);
      return this;
    },
    /** Random faults (see the top of this file); null stops them. Returns the counts so far. */
    chaos(opts) {
      if (opts === null) {
        chaos = null;
        return chaosCounts;
      }
      const { rate = 0.05, seed = 1, kinds = ["503", "reset", "reset-after", "429-burst"], burst = 5, skip = () => false } = opts;
      let a = seed >>> 0;
      const random = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      let bursting = 0;
      chaos = {
        pick(record) {
          if (skip(record)) return null;
          if (bursting > 0) {
            bursting--;
            return "429";
          }
          if (random() >= rate) return null;
          const kind = kinds[Math.floor(random() * kinds.length)];
          if (kind !== "429-burst") return kind;
          bursting = burst;
          return "429";
        },
      };
      return chaosCounts;
    },
    /** The most requests (matching `filter`) that arrived within any window of `ms`. */
    maxInWindow(ms, filter = () => true) {
      const times = requests.filter(filter).map((r) => r.at).sort((x, y) => x - y);
      let best = 0;
      for (let i = 0, j = 0; j < times.length; j++) {
        while (times[j] - times[i] >= ms) i++;
        best = Math.max(best, j - i + 1);
      }
      return best;
    },
    /** Answers the next requests to METHOD path with these, in order, then the route. */
    queue(method, path, ...answers) {
      const k = key(method, path);
      queues.set(k, [...(queues.get(k) ?? []), ...answers]);
      return this;
    },
    /** Requests seen for METHOD path. */
    seen(method, path) {
      return requests.filter((r) => r.method === method.toUpperCase() && r.path === path);
    },
    reset() {
      requests.length = 0;
      queues.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function respond(res, answer) {
  if (answer.fault === "reset") {
    res.socket?.destroy();
    return;
  }
  if (answer.fault === "delay") {
    await new Promise((r) => setTimeout(r, answer.ms));
    if (answer.then === undefined || res.socket?.destroyed) {
      res.socket?.destroy();
      return;
    }
    return respond(res, answer.then);
  }
  if (answer.fault === "truncate") {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(answer.body.length + 100) });
    res.write(answer.body);
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (answer.fault === "oversized") {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = answer.bytes;
    const pump = () => {
      while (left > 0) {
        left -= chunk.length;
        if (!res.write(chunk)) return res.once("drain", pump);
      }
      res.end();
    };
    res.on("error", () => {});
    res.socket?.on("error", () => {});
    pump();
    return;
  }
  const headers = { ...(answer.headers ?? {}) };
  let body = answer.body ?? "";
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers["content-type"] ??= "application/json";
  }
  // Like most vendors' servers, declare the length of a body known in full.
  if (!Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h))) headers["content-length"] = String(Buffer.byteLength(body));
  res.writeHead(answer.status ?? 200, headers);
  res.end(body);
}
