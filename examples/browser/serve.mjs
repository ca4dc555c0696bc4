// A tiny static server for the browser example: the page (index.html, main.js) and the
// installed package (node_modules/lms-bridge) under /pkg/. Prints the URL.
//
//   node examples/browser/serve.mjs          (PORT, default 8080; HOST, default 127.0.0.1)
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.dirname(fileURLToPath(import.meta.resolve("lms-bridge"))); // node_modules/lms-bridge
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".ts": "text/plain; charset=utf-8", ".json": "application/json" };

// Content-Security-Policy: scripts only from this origin plus the inline import map (by hash),
// wasm compilation allowed, forms may post to the LMS domain (any https, or loopback http).
const page = fs.readFileSync(path.join(here, "index.html"), "utf8");
const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page)[1];
const mapHash = crypto.createHash("sha256").update(importMap).digest("base64");
const CSP = [`default-src 'self'`, `script-src 'self' 'sha256-${mapHash}' 'wasm-unsafe-eval'`, `style-src 'self' 'unsafe-inline'`,
  `img-src 'self' data:`, `form-action https: http://127.0.0.1:* http://localhost:*`, `base-uri 'none'`, `object-src 'none'`, `frame-ancestors 'none'`].join("; ");

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return "";
  }
}

/** Maps a URL path to a file inside `dir`, or null (no traversal out of it). */
function inside(dir, rel) {
  const file = path.resolve(dir, "." + path.posix.normalize("/" + rel));
  return file.startsWith(dir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, "http://x");
  let file = null;
  if (req.method === "GET" || req.method === "HEAD") {
    if (pathname === "/" || pathname === "/index.html") file = path.join(here, "index.html");
    else if (pathname === "/main.js") file = path.join(here, "main.js");
    else if (pathname.startsWith("/pkg/")) file = inside(pkgDir, safeDecode(pathname.slice(5)));
  }
  if (!file) return res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
  res.writeHead(200, {
    "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : fs.readFileSync(file));
});
server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1", () => {
  const { address, port } = server.address();
  console.log(`lms-bridge browser example at http://${address.includes(":") ? `[${address}]` : address}:${port}/`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
