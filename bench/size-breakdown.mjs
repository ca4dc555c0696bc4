// Where the bytes of each wasm module are: `twiggy top` of the modules as scripts/build.mjs
// keeps them in target/bindgen (the vendor module as wasm-bindgen wrote it, the two small
// ones as cargo did; before wasm-opt, names intact), code and data without the name
// section, each function filed under the crate path that comes first in its name (so
// wasm-bindgen's wrapper around an export counts as wasm-bindgen's). Needs `cargo install twiggy` and a
// build (`node scripts/build.mjs`). Run from the repository root:
//
//   node bench/size-breakdown.mjs
import { execFileSync } from "node:child_process";
import path from "node:path";

const CATEGORIES = [
  ["skip", /function names|local names|custom section|producers|name section|type\[|import |export |table\[|elem\[|global\[|memory\[|wasm magic|header|code section headers/],
  ["data (strings, tables)", /^data segment|^data\[/],
  ["lean signing boundary", /lms_bridge(\[\w+\])?::(wasm::lean|signing::wire)/],
  ["JS value conversions", /lms_bridge(\[\w+\])?::wasm::convert/],
  ["exports, clients, async glue, transport host", /lms_bridge(\[\w+\])?::wasm::|shim|^__lmsb|^__configure|^__wbg_|^(alphalearn|alphalearnsession|learnworlds|teachonmars|milesmasterclass)_\w+$|^(renderAutoSubmitForm|submitForm|verifyWebhook|signWebhook|signUrl|verifySignedUrl|tomLegacyHeaders)$/],
  ["vendor builders and parsers", /lms_bridge(\[\w+\])?::vendors::/],
  ["signing (schemes, verifier, signed URLs)", /lms_bridge(\[\w+\])?::signing::/],
  ["hand-off (forms, deep links)", /lms_bridge(\[\w+\])?::handoff::/],
  ["core, error, transport policy", /lms_bridge(\[\w+\])?::(core|error|transport)/],
  ["serde_json / serde / indexmap / hashbrown", /serde|indexmap|hashbrown|ryu|itoa|zmij/],
  ["wasm-bindgen / js-sys / web-sys", /wasm_bindgen|js_sys|web_sys|__wbindgen|__externref|__wbg/],
  ["sha2, hmac, md5", /sha2|hmac|md5|digest|block_buffer|typenum/],
  ["base64, hex", /base64|base16|hex/],
  ["core::fmt", /core(\[\w+\])?::fmt/],
  ["allocator", /talc|dlmalloc|__rust_alloc|__rust_dealloc|__rust_realloc|__rdl/],
  ["core/alloc/std (str, slices, numbers, Vec)", /core|alloc|std|compiler_builtins|memcpy|memset|memcmp|memmove|^<(str|u8|u16|u32|u64|i64|usize|char|f64)|^<\[/],
];

function breakdown(wasm) {
  const csv = execFileSync("twiggy", ["top", "-n", "1000000", "--format", "csv", wasm], { encoding: "utf8", maxBuffer: 1 << 28 });
  const sums = new Map();
  let total = 0;
  for (const line of csv.trim().split("\n").slice(1)) {
    const m = /^"?(.*?)"?,(\d+),/.exec(line.replace(/""/g, '"'));
    if (!m) continue;
    const [name, size] = [m[1], Number(m[2])];
    // The category whose crate path comes first in the name (`<a::X as b::Y>::f` is a's).
    let best = "other";
    let at = Infinity;
    for (const [category, re] of CATEGORIES) {
      const hit = re.exec(name);
      if (hit && hit.index < at) [best, at] = [category, hit.index];
    }
    if (best === "skip") continue;
    sums.set(best, (sums.get(best) ?? 0) + size);
    total += size;
  }
  console.log(`\n| \`${path.basename(wasm)}\`, ${(total / 1000).toFixed(0)} KB of code and data | share | KB |\n| --- | ---: | ---: |`);
  for (const [category, bytes] of [...sums].sort((a, b) => b[1] - a[1])) {
    console.log(`| ${category} | ${((100 * bytes) / total).toFixed(1)} % | ${(bytes / 1000).toFixed(1)} |`);
  }
}

for (const name of ["lms_bridge", "lms_bridge_webhooks", "lms_bridge_handoff"]) breakdown(path.join("target", "bindgen", `${name}_bg.wasm`));
