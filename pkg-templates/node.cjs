"use strict";
// Node (CommonJS). As node.mjs: the signing module and the vendor module are each compiled
// and instantiated synchronously on first use, the vendor module's glue (~2 ms to load)
// required only then. `await init()` prepares both at once.
const { initSync: initSigning } = require("./lms_bridge_webhooks.cjs");
const { LmsBridgeError, isLmsBridgeError, shared } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { provisionMany } = require("./bulk.cjs");
const { nodeCrypto, packageFile } = require("./node-crypto.cjs");
const { attempt, pause } = require("./transport.cjs");
const { deferred } = require("./guard.cjs");

let glue;

/** The vendor module's glue, with the module instantiated: both on first use. */
function vendors() {
  if (glue === undefined) {
    const loaded = require("./lms_bridge.cjs");
    loaded.initSync({ module: packageFile("./lms_bridge_bg.wasm") });
    loaded.__configure(LmsBridgeError, nodeCrypto.random);
    loaded.__configureTransport(attempt, pause);
    glue = loaded;
  }
  return glue;
}

const signing = () => (shared.signing ??= initSigning({ module: packageFile("./lms_bridge_webhooks_bg.wasm") }));

/** Compiles and instantiates both modules now (otherwise each is on first use); resolves when done. */
async function init() {
  vendors();
  signing();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError, provisionMany,
  ...makeSigning({ exports: signing, errorClass: LmsBridgeError, ...nodeCrypto }),
};
for (const name of /*@EXPORT_NAMES@*/ []) module.exports[name] = deferred(name, vendors);
