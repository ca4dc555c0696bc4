// The Hono app (app.mjs) on Node:  node examples/hono/node.mjs
import { serve } from "@hono/node-server";
import { createApp } from "./app.mjs";

const app = createApp(process.env);
serve({ fetch: app.fetch, hostname: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 3000) }, (info) => {
  console.log(`lms-bridge hono example (node) listening on http://${info.address}:${info.port}`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
