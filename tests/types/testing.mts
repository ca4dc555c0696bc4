// lms-bridge/testing as a user's test file types it.
import { faults, installTeachOnMars, signProgressCallback, startMockServer, type MockServer } from "lms-bridge/testing";

const server: MockServer = await startMockServer({ latencyMs: 5 });
const tom = installTeachOnMars(server, { clientSecret: "s3cret" });
server.queue("GET", "/api/identities/v1/learners", faults.unavailable(0));
server.chaos({ rate: 0.1, kinds: ["503", "reset-after"], skip: (r) => r.path === tom.tokenPath });
const most: number = server.maxInWindow(1000);
const created: number | undefined = tom.created.get("ada");
const headers: Record<string, string> = signProgressCallback("{}", { secret: "whsec_abc" });
// @ts-expect-error: not a fault kind
server.chaos({ kinds: ["500"] });
console.log(most, created, headers, tom.tokenUrl);
await server.close();
