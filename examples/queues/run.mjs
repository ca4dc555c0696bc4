// Runs the producer and the consumer Workers, the RateLimiter Durable Object, both queues
// and the KV namespace locally in workerd through the `miniflare` npm package (what
// `wrangler dev` does), with the installed lms-bridge, and prints the producer's URL.
//
//   TOM_BASE_URL=… TOM_CLIENT_ID=… TOM_CLIENT_SECRET=… TOM_TOKEN_URL=… PRODUCER_TOKEN=… \
//     node examples/queues/run.mjs
//
// Optional: RATE_LIMIT, RATE_WINDOW_MS, CONCURRENCY, RETRY_DELAY_SECONDS, MAX_RETRIES,
// MAX_BATCH_SIZE, LOG (debug | info). Settings mirror wrangler.toml and wrangler.producer.toml.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.dirname(fileURLToPath(import.meta.resolve("lms-bridge")));
const root = path.join(here, ".workerd-modules"); // a virtual root: nothing is written there
const js = (name, file) => ({ type: "ESModule", path: path.join(root, name), contents: fs.readFileSync(file, "utf8") });
const own = (name) => js(name, path.join(here, name));
const pkg = (name, as = name) => js(as, path.join(pkgDir, name));

const env = process.env;
const need = ["TOM_BASE_URL", "TOM_CLIENT_ID", "TOM_CLIENT_SECRET", "TOM_TOKEN_URL", "PRODUCER_TOKEN"].filter((k) => !env[k]);
if (need.length) {
  console.error(`missing ${need.join(", ")} (see examples/queues/README.md)`);
  process.exit(2);
}
const vars = Object.fromEntries(["TOM_BASE_URL", "TOM_CLIENT_ID", "TOM_CLIENT_SECRET", "TOM_TOKEN_URL", "RATE_LIMIT",
  "RATE_WINDOW_MS", "VENDOR_ACCOUNT", "CONCURRENCY", "RETRY_DELAY_SECONDS"].filter((k) => env[k]).map((k) => [k, env[k]]));

const mf = new Miniflare({
  // LOG=debug shows the Workers' console and every queue delivery.
  log: env.LOG ? new Log(LogLevel[env.LOG.toUpperCase()] ?? LogLevel.INFO) : undefined,
  cf: false, // no request.cf lookup on the internet
  host: env.HOST ?? "127.0.0.1",
  port: Number(env.PORT ?? 8788),
  workers: [
    {
      name: "producer",
      modules: [own("producer.mjs")],
      modulesRoot: root,
      compatibilityDate: "2025-01-01",
      bindings: { PRODUCER_TOKEN: env.PRODUCER_TOKEN },
      queueProducers: { ROSTER: "roster" },
      kvNamespaces: { DEAD_LETTERS: "dead-letters" },
    },
    {
      name: "consumer",
      modules: [own("consumer.mjs"), own("rate-limiter.mjs"),
        // What a bundler resolving "lms-bridge" with the `workerd` condition would give.
        pkg("workerd.mjs", "lms-bridge"), pkg("lms_bridge.js"), pkg("error.js"), pkg("signing.js"), pkg("bulk.js"), pkg("transport.js"), pkg("recover.js"), pkg("twins.js"), pkg("guard.js"),
        { type: "CompiledWasm", path: path.join(root, "lms_bridge_bg.wasm"), contents: fs.readFileSync(path.join(pkgDir, "lms_bridge_bg.wasm")) }],
      modulesRoot: root,
      compatibilityDate: "2025-01-01",
      bindings: vars,
      durableObjects: { RATE_LIMITER: "RateLimiter" },
      queueProducers: { DEAD_LETTER_QUEUE: "roster-dlq" },
      queueConsumers: {
        roster: {
          maxBatchSize: Number(env.MAX_BATCH_SIZE ?? 25),
          maxBatchTimeout: 1,
          maxRetries: Number(env.MAX_RETRIES ?? 8),
          deadLetterQueue: "roster-dlq",
        },
        "roster-dlq": { maxBatchSize: 100, maxBatchTimeout: 1 },
      },
      kvNamespaces: { DEAD_LETTERS: "dead-letters" },
    },
  ],
});
const url = await mf.ready;
console.log(`lms-bridge queues example (workerd) listening on ${url.origin}`);

const stop = async () => {
  await mf.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
