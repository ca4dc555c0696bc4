// The CommonJS types (index.d.cts), as a `require` user sees them.
import lms = require("lms-bridge");

const mm = new lms.MilesMasterclass({ baseUrl: "https://mm.example/api", apiKey: "k3y-1" });
async function main(): Promise<void> {
  const r = await mm.autoSubscribe({ email: "a@b.co", lmsUserId: "1" }, { timeoutMs: 1000 });
  const status: string = r.status;
  // @ts-expect-error: only block/unblock/cancel
  await mm.accessControl({ email: "a@b.co", action: "delete" });
  const code: lms.ErrorCode = "ABORTED";
  for await (const o of lms.provisionMany([1, 2], async (n) => n * 2)) console.log(o.ok ? o.result : o.error);
  console.log(status, code, lms.isLmsBridgeError(null));
}
void main();
