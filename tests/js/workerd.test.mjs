// The package inside real workerd (through the `miniflare` npm package): the workerd entry
// imports the .wasm as a module and instantiates it synchronously; the worker signs,
// verifies, and calls a vendor on a loopback mock through the transport.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startWorker, workerModule } from "./hosts.mjs";
import { installMilesMasterclass } from "lms-bridge/testing";
import { startMockServer } from "lms-bridge/testing";

const KEY = "workerd-mm-key";
let server;
let worker;
before(async () => {
  server = await startMockServer();
  installMilesMasterclass(server, { apiKey: KEY });
  worker = await startWorker(workerModule(`
import { init, signWebhook, verifyWebhook, sha256, isLmsBridgeError, MilesMasterclass } from "lms-bridge";

export default {
  async fetch(request, env) {
    await init();
    const url = new URL(request.url);
    const out = {};
    if (url.pathname === "/sign") {
      const secret = "whsec_" + btoa("workerd-secret");
      const body = await request.text();
      const headers = signWebhook(body, { scheme: "standard-webhooks", secret });
      out.verified = verifyWebhook(body, headers, { scheme: "standard-webhooks", secret });
      try { verifyWebhook(body + "!", headers, { scheme: "standard-webhooks", secret }); } catch (e) {
        out.tampered = { code: e.code, isError: e instanceof Error, guard: isLmsBridgeError(e) };
      }
      out.sha = [...sha256("abc")].slice(0, 4);
    }
    if (url.pathname === "/vendor") {
      const mm = new MilesMasterclass({ baseUrl: env.MM_BASE, apiKey: env.MM_KEY, timeoutMs: 2000 });
      out.subscribed = await mm.autoSubscribe({ email: "worker@example.com", lmsUserId: 77 });
      try { await new MilesMasterclass({ baseUrl: env.MM_BASE, apiKey: "wrong", retries: 0 }).autoSubscribe({ email: "w@example.com", lmsUserId: 1 }); }
      catch (e) { out.refused = { code: e.code, status: e.status, leaked: e.message.includes("wrong") }; }
    }
    if (url.pathname === "/limits") {
      // The vendor module's input limits hold here too (convert.rs, the glue's string check and
      // the builders' own).
      const mm = new MilesMasterclass({ baseUrl: env.MM_BASE, apiKey: env.MM_KEY });
      const refused = async (f) => { try { await f(); return "accepted"; } catch (e) { return e.code + " " + e.message; } };
      const base = { email: "w@example.com", lmsUserId: 1 };
      out.tooLong = await refused(() => mm.buildAutoSubscribe({ ...base, firstName: "\u0001".repeat(2 ** 24 + 1) }));
      const long = "e".repeat(2 ** 22);
      // (read whole by the network call; the builders read only the fields they use)
      out.tooMuch = await refused(() => mm.autoSubscribe({ ...base, ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => ["x" + i, long])) }));
      out.tooManyValues = await refused(() => mm.parseAutoSubscribe({ status: 201, headers: {}, body: "[" + "0,".repeat(2 ** 22 + 1) + "0]" }));
      out.after = JSON.parse(mm.buildAutoSubscribe(base).body).email;
    }
    return Response.json(out);
  },
};`), { bindings: { MM_BASE: `${server.origin}/api`, MM_KEY: KEY } });
});
after(async () => {
  await worker?.dispose();
  await server?.close();
});

test("workerd: init, sign and verify a webhook, typed errors", async () => {
  const res = await worker.dispatch("http://worker.test/sign", { method: "POST", body: '{"event":"x"}' });
  assert.equal(res.status, 200, res.text);
  const out = JSON.parse(res.text);
  assert.equal(out.verified.scheme, "standard-webhooks");
  assert.match(out.verified.id, /^msg_/);
  assert.deepEqual(out.tampered, { code: "SIGNATURE_MISMATCH", isError: true, guard: true });
  assert.deepEqual(out.sha, [0xba, 0x78, 0x16, 0xbf]);
});

test("workerd: a vendor call through the transport reaches the loopback mock", async () => {
  server.reset();
  const res = await worker.dispatch("http://worker.test/vendor");
  assert.equal(res.status, 200, res.text);
  const out = JSON.parse(res.text);
  assert.equal(out.subscribed.status, "subscribed");
  assert.match(out.subscribed.userId, /^\d+$/);
  assert.deepEqual(out.refused, { code: "AUTH_FAILED", status: 401, leaked: false });
  const [req] = server.seen("POST", "/api/integrations/lms/auto-subscribe");
  assert.equal(req.body, '{"email":"worker@example.com","lms_user_id":"77"}');
  assert.equal(req.headers["x-api-key"], KEY);
});

test("workerd: strings over 2^24 bytes, calls of too much text and bodies of too many JSON values are refused, not a trap", async () => {
  const res = await worker.dispatch("http://worker.test/limits");
  assert.equal(res.status, 200, res.text);
  const out = JSON.parse(res.text);
  assert.match(out.tooLong, /^INVALID_INPUT `input` is too long \(more than 16,777,216 bytes of UTF-8\)/);
  assert.match(out.tooMuch, /^INVALID_INPUT `input` holds too much text/);
  assert.match(out.tooManyValues, /^RESPONSE_MALFORMED /);
  assert.equal(out.after, "w@example.com");
});
