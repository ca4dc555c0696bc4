"use strict";
// Node (CommonJS): the module is compiled and instantiated synchronously on require.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const glue = require("./lms_bridge.cjs");
const { LmsBridgeError, isLmsBridgeError } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { provisionMany } = require("./bulk.cjs");
const { nodeCrypto } = require("./node-crypto.cjs");
const { attempt, pause } = require("./transport.cjs");

const wasm = glue.initSync({ module: readFileSync(join(__dirname, "lms_bridge_bg.wasm")) });
glue.__configure(LmsBridgeError, nodeCrypto.random);
glue.__configureTransport(attempt, pause);

/** Resolves at once: in Node the module is ready on import. */
async function init() {}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError, provisionMany,
  ...makeSigning({ exports: () => wasm, errorClass: LmsBridgeError, ...nodeCrypto }),
};
for (const name of /*@EXPORT_NAMES@*/ []) module.exports[name] = glue[name];
