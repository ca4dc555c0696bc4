/** lms-bridge needs no setting: route handlers on the Node runtime use its `node` entry, those
 * on the edge runtime its `edge-light` entry (the .wasm imported as a module). */
export default {};
