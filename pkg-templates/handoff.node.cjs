"use strict";
// lms-bridge/handoff in Node (CommonJS): as handoff.node.mjs.
const { LmsBridgeError, isLmsBridgeError, shared } = require("./error.cjs");
const { makeHandoff } = require("./handoff.cjs");
const { packageModule } = require("./node-files.cjs");
const { __lmsb_instantiate } = require("./lms_bridge_handoff.cjs");

// Its own store in `shared`: the signing module's instance has another (node-host.js).
const store = (shared.handoffStore ??= {});
const instantiate = () => __lmsb_instantiate((shared.handoffModule ??= packageModule("./lms_bridge_handoff_bg.wasm")));

/** Compiles and instantiates the module now (otherwise it is on first use); resolves when done. */
async function init() {
  store.handoff ??= instantiate();
}

module.exports = {
  init, LmsBridgeError, isLmsBridgeError,
  ...makeHandoff({ store, instantiate, errorClass: LmsBridgeError }),
};
