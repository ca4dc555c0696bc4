"use strict";
// lms-bridge/webhooks in Node (CommonJS): the signing functions alone, over their own small
// wasm module, compiled and instantiated synchronously on first use. One instance serves every
// entry of the package in the process (`shared`, see error.js).
const { LmsBridgeError, isLmsBridgeError, shared } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { instantiateSigning, nodeCrypto, signingModule } = require("./node-host.cjs");

/** Instantiates the module now (otherwise it is on first use); resolves when done. */
async function init() {
  signingModule();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError,
  ...makeSigning({ store: shared, instantiate: instantiateSigning, errorClass: LmsBridgeError, ...nodeCrypto }),
};
