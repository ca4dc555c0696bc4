// The look of the mock vendors' landing pages (tests and the demo): one small HTML page per
// vendor that says who logged in and how, so a person (or a screenshot) sees at a glance
// whether a hand-off worked. The callers escape their own dynamic content with `esc`.

export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const BRANDS = {
  learnworlds: { name: "LearnWorlds", color: "#1d4e89" },
  "miles-masterclass": { name: "Miles Masterclass", color: "#0b4f6c" },
  alphalearn: { name: "AlphaLearn", color: "#6a2c70" },
  "teach-on-mars": { name: "Teach on Mars", color: "#a23b00" },
};

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#f6f6f4}
header{background:var(--brand);color:#fff;padding:.9rem 1.5rem}header p{margin:0;font-weight:600}header small{font-weight:400;opacity:.9}
main{max-width:44rem;margin:2rem auto;padding:0 1.5rem}h1{color:var(--brand);line-height:1.2;margin:.2rem 0 1rem}
.card{background:#fff;border:1px solid #d6d6d0;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.card h2{font-size:1rem;margin:0 0 .5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
ol{margin:.3rem 0;padding-left:1.3rem}code{background:#eef0f4;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
a{color:var(--brand)}a:focus-visible,button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}`;

/**
 * A complete landing page. `heading` and the other HTML arguments are trusted markup (escape
 * dynamic parts with `esc`); `how` is a list of HTML steps shown as "How you got here".
 */
export function landingPage({ vendor, title, heading, intro = "", facts = [], how = [], extra = "" }) {
  const brand = BRANDS[vendor] ?? { name: vendor, color: "#333" };
  const factList = facts.length
    ? `<section class="card" aria-labelledby="facts-h"><h2 id="facts-h">Session</h2><dl>${facts
        .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
        .join("")}</dl></section>`
    : "";
  const howList = how.length
    ? `<section class="card" aria-labelledby="how-h"><h2 id="how-h">How you got here</h2><ol>${how.map((s) => `<li>${s}</li>`).join("")}</ol></section>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><link rel="icon" href="data:,"><style>:root{--brand:${brand.color}}${CSS}</style></head>
<body><header><p>${esc(brand.name)} <small>(mock vendor on this machine)</small></p></header>
<main><h1>${heading}</h1>${intro}${factList}${howList}${extra}</main></body></html>`;
}
