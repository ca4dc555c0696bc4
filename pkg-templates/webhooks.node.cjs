"use strict";
// lms-bridge/webhooks in Node (CommonJS): the signing functions alone, over their own small
// wasm module, compiled and instantiated synchronously on first use. One instance serves every
// entry of the package in the process (`shared`, see error.js).
const { LmsBridgeError, isLmsBridgeError } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { nodeCrypto, signingHost, signingModule } = require("./node-host.cjs");

/** Instantiates the module now (otherwise it is on first use); resolves when done. */
async function init() {
  signingModule();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError,
  ...makeSigning({ ...signingHost, errorClass: LmsBridgeError, ...nodeCrypto }),
};
