"use strict";
// Node (CommonJS). As node.mjs: the signing module and the vendor module are each compiled
// and instantiated synchronously on first use, the vendor module's glue (~2 ms to load) and
// the JS only the vendor classes use (transport, sans-IO twins, recovery: vendor-runtime.cjs)
// required only then. `await init()` prepares both at once.
const { LmsBridgeError, isLmsBridgeError } = require("./error.cjs");
const { makeSigning } = require("./signing.cjs");
const { provisionMany } = require("./bulk.cjs");
const { nodeCrypto, signingHost, signingModule } = require("./node-host.cjs");
const { vendorLoader } = require("./node-vendors.cjs");
const { deferred } = require("./guard.cjs");

const vendors = vendorLoader(() => require("./lms_bridge.cjs"), () => require("./vendor-runtime.cjs").vendorRuntime);

/** Compiles and instantiates both modules now (otherwise each is on first use); resolves when done. */
async function init() {
  vendors();
  signingModule();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError, provisionMany,
  ...makeSigning({ ...signingHost, errorClass: LmsBridgeError, ...nodeCrypto }),
};
for (const name of /*@EXPORT_NAMES@*/ []) module.exports[name] = deferred(name, vendors);
