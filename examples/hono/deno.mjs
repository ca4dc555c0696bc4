/* global Deno */
// The Hono app (app.mjs) on Deno, packages from node_modules (npm install first):
//   deno run --allow-net --allow-env --allow-read examples/hono/deno.mjs
import { createApp } from "./app.mjs";

const env = Deno.env.toObject();
const app = createApp(env);
Deno.serve({ hostname: env.HOST ?? "127.0.0.1", port: Number(env.PORT ?? 3000), onListen: ({ hostname, port }) => {
  console.log(`lms-bridge hono example (deno) listening on http://${hostname}:${port}`);
} }, app.fetch);
