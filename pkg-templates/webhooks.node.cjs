"use strict";
// lms-bridge/webhooks in Node (CommonJS): the signing functions alone, over their own small
// wasm module, instantiated synchronously on require.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { initSync } = require("./lms_bridge_webhooks.cjs");
const { LmsBridgeError, isLmsBridgeError } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { nodeCrypto } = require("./node-crypto.cjs");

const wasm = initSync({ module: readFileSync(join(__dirname, "lms_bridge_webhooks_bg.wasm")) });

/** Resolves at once: in Node the module is ready on import. */
async function init() {}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError,
  ...makeSigning({ exports: () => wasm, errorClass: LmsBridgeError, ...nodeCrypto }),
};
