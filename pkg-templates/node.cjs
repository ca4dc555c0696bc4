"use strict";
// Node (CommonJS). As node.mjs: the signing module and the vendor module are each compiled
// and instantiated synchronously on first use; `await init()` prepares both at once.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const glue = require("./lms_bridge.cjs");
const { initSync: initSigning } = require("./lms_bridge_webhooks.cjs");
const { LmsBridgeError, isLmsBridgeError } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { provisionMany } = require("./bulk.cjs");
const { nodeCrypto } = require("./node-crypto.cjs");
const { attempt, pause } = require("./transport.cjs");
const { guarded } = require("./guard.cjs");

const file = (name) => readFileSync(join(__dirname, name));
let vendorModule;
let signingModule;

/** The vendor module, instantiated on first use. */
function ready() {
  if (vendorModule === undefined) {
    vendorModule = glue.initSync({ module: file("lms_bridge_bg.wasm") });
    glue.__configure(LmsBridgeError, nodeCrypto.random);
    glue.__configureTransport(attempt, pause);
  }
}

/** The signing module, instantiated on first use. */
function signing() {
  signingModule ??= initSigning({ module: file("lms_bridge_webhooks_bg.wasm") });
  return signingModule;
}

/** Compiles and instantiates both modules now (otherwise each is on first use); resolves when done. */
async function init() {
  ready();
  signing();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError, provisionMany,
  ...makeSigning({ exports: signing, errorClass: LmsBridgeError, ...nodeCrypto }),
};
for (const name of /*@EXPORT_NAMES@*/ []) module.exports[name] = guarded(glue[name], ready);
