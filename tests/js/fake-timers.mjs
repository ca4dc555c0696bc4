// Run by transport.test.mjs in a child process: vendor calls made under a test suite's fake
// timers, installed before the package loads (as jest's `fakeTimers.enableGlobally` does).
// `globals`: the globals replaced, as jest's and sinon's fake timers do (queueMicrotask too,
// as jest's do), each callback run only when the suite advances its clock. `node-test`:
// node:test's `mock.timers`, which also replaces node:timers' functions. Prints one line per
// step; a call that never settles leaves the process without "done".
import { mock } from "node:test";

const mode = process.argv[2];
const queued = [];
let globalImmediates = 0;
if (mode === "globals") {
  const fake = (name, delayed) => (f, ...rest) => {
    if (name === "setImmediate") globalImmediates++;
    queued.push(() => f(...(delayed ? rest.slice(1) : rest)));
    return queued.length;
  };
  globalThis.setImmediate = fake("setImmediate", false);
  globalThis.queueMicrotask = fake("queueMicrotask", false);
  globalThis.setTimeout = fake("setTimeout", true);
  globalThis.setInterval = fake("setInterval", true);
  for (const name of ["clearImmediate", "clearTimeout", "clearInterval"]) globalThis[name] = () => {};
} else {
  mock.timers.enable({ apis: ["setImmediate", "setTimeout", "setInterval"] });
}
/** The suite advances its clock once (e.g. past a back-off it is testing). */
const tick = () => (mode === "globals" ? queued.splice(0).forEach((f) => f()) : mock.timers.tick(1));

const { LearnWorlds, MilesMasterclass } = await import("lms-bridge");

// Response-like objects: Node's own `Response` streams its body with the global
// `queueMicrotask`, which the `globals` fakes replace here but jest's replace only in the test's
// own context.
const answer = (status, json) => async () => ({ status, headers: { "content-type": "application/json" }, text: async () => JSON.stringify(json) });
const mm = new MilesMasterclass({
  apiKey: "mm-fake-timers-key",
  baseUrl: "http://127.0.0.1:1/api",
  fetch: answer(201, { status: "subscribed", user_id: 7 }),
});
const four = () => Promise.all([0, 1, 2, 3].map((i) => mm.autoSubscribe({ email: `a${i}@example.com`, lmsUserId: i })));

await four();
console.log("calls");
tick();
await four();
console.log("calls after a tick");

// Three calls wait on one token request (a task of its own, which wakes them when it ends).
let tokenRequests = 0;
const lw = new LearnWorlds({
  schoolUrl: "http://127.0.0.1:1",
  clientId: "cid-123",
  clientSecret: "lw-secret-4f9a1c",
  rateLimit: false,
  fetch: (url, init) => {
    tokenRequests++;
    return answer(200, { tokenData: { access_token: "lw-app-token-1", token_type: "Bearer", expires_in: 8000 }, success: true })(url, init);
  },
});
const tokens = await Promise.all([lw.getAppToken(), lw.getAppToken(), lw.getAppToken()]);
console.log(`token requests ${tokenRequests}, tokens ${new Set(tokens.map((t) => t.accessToken)).size}`);
console.log(`global setImmediate calls ${globalImmediates}`);
console.log("done");
