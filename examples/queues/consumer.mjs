// Consumer Worker: provisions each batch of roster rows into Teach on Mars with
// lms-bridge's provisionMany, every request to the vendor paced by the account's shared
// RateLimiter (a Durable Object), and settles every message by its outcome:
//   success                        → ack
//   retryable failure (network, timeout, 429, 502–504)
//                                  → retry with a growing delay; after max_retries the queue
//                                    moves it to the dead-letter queue
//   permanent failure (bad row, vendor refusal)
//                                  → sent to the dead-letter queue at once, with the reason
// It also consumes the dead-letter queue and records each dead letter in KV (DEAD_LETTERS),
// keyed by login, for an operator to read (GET /dead-letters on the producer).
//
// Exactly once: signIn looks the learner up before creating it, so a message delivered
// again (a retry, a crash before ack, a create whose answer was lost) finds the learner
// instead of creating a second one.
//
// Bindings: TOM_BASE_URL, TOM_CLIENT_ID, TOM_CLIENT_SECRET, TOM_TOKEN_URL, RATE_LIMITER
// (Durable Object), DEAD_LETTER_QUEUE (producer binding of the DLQ), DEAD_LETTERS (KV);
// optional CONCURRENCY (8), RETRY_DELAY_SECONDS (5), VENDOR_ACCOUNT (the limiter's name).
import { TeachOnMars, isLmsBridgeError, provisionMany } from "lms-bridge";

export { RateLimiter } from "./rate-limiter.mjs";

/** A fetch that holds a permit of the account's limiter for the whole request. */
function pacedFetch(env) {
  const id = env.RATE_LIMITER.idFromName(env.VENDOR_ACCOUNT ?? "teach-on-mars");
  return async (input, init) => {
    // A stub per call: the client outlives the invocation, and a stub (like any I/O object)
    // belongs to the invocation that made it.
    const limiter = env.RATE_LIMITER.get(id);
    const { permit } = await (await limiter.fetch("https://limiter/acquire", { method: "POST" })).json();
    try {
      return await fetch(input, init);
    } finally {
      await limiter.fetch("https://limiter/release", { method: "POST", body: JSON.stringify({ permit }) });
    }
  };
}

let cached;
function client(env) {
  if (cached?.env === env) return cached.tom;
  const tom = new TeachOnMars({
    baseUrl: env.TOM_BASE_URL,
    auth: { clientId: env.TOM_CLIENT_ID, clientSecret: env.TOM_CLIENT_SECRET, tokenUrl: env.TOM_TOKEN_URL },
    fetch: pacedFetch(env),
    rateLimit: false, // the Durable Object limits the whole account
  });
  cached = { env, tom };
  return tom;
}

const describe = (error) => (isLmsBridgeError(error)
  ? { code: error.code, message: error.message, status: error.status, vendorCode: error.vendorCode }
  : { code: "UNEXPECTED", message: String(error?.message ?? error) });

async function provision(batch, env) {
  const tom = client(env);
  const delay = Number(env.RETRY_DELAY_SECONDS ?? 5);
  const rows = provisionMany(batch.messages, (msg) => tom.signIn(msg.body), { concurrency: Number(env.CONCURRENCY ?? 8) });
  for await (const { item: msg, ok, error } of rows) {
    if (ok) msg.ack();
    else if (isLmsBridgeError(error) && error.retryable) msg.retry({ delaySeconds: delay * msg.attempts });
    else {
      await env.DEAD_LETTER_QUEUE.send({ row: msg.body, error: describe(error), attempts: msg.attempts });
      msg.ack();
    }
  }
}

async function recordDeadLetters(batch, env) {
  for (const msg of batch.messages) {
    // Retryable failures that ran out of retries arrive here as the bare row.
    const letter = msg.body?.row ? msg.body : { row: msg.body, error: { code: "RETRIES_EXHAUSTED" } };
    const login = typeof letter.row?.login === "string" && letter.row.login ? letter.row.login : null;
    try {
      await env.DEAD_LETTERS.put(login ? `login:${login}` : `message:${msg.id}`, JSON.stringify(letter));
      msg.ack();
    } catch {
      msg.retry();
    }
  }
}

export default {
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) return recordDeadLetters(batch, env);
    return provision(batch, env);
  },
};
