"use strict";
// lms-bridge/webhooks in Node (CommonJS): the signing functions alone, over their own small
// wasm module, compiled and instantiated synchronously on first use. One instance serves every
// entry of the package in the process (`shared`, see error.js).
const { initSync } = require("./lms_bridge_webhooks.cjs");
const { LmsBridgeError, isLmsBridgeError, shared } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { nodeCrypto, packageFile } = require("./node-crypto.cjs");

const signing = () => (shared.signing ??= initSync({ module: packageFile("./lms_bridge_webhooks_bg.wasm") }));

/** Instantiates the module now (otherwise it is on first use); resolves when done. */
async function init() {
  signing();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError,
  ...makeSigning({ exports: signing, errorClass: LmsBridgeError, ...nodeCrypto }),
};
