// The names README snippets leave to the reader, typed as a real program would have them.
// Only values a snippet does not define belong here; a library name never does (snippets
// import what they use), so a renamed or removed export still fails the check.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AlphaLearn, LearnWorlds, LearnerInput, MilesMasterclass, TeachOnMars } from "lms-bridge";

export {};

declare global {
  namespace NodeJS {
    // Configuration a deployment provides (a TypeScript project declares its env the same way).
    interface ProcessEnv {
      MM_API_KEY: string; MM_CALLBACK_SECRET: string; MM_SIGNING_SECRET: string;
      TOM_CLIENT_ID: string; TOM_CLIENT_SECRET: string; TOM_TOKEN_URL: string;
      LW_CLIENT_ID: string; LW_CLIENT_SECRET: string; LW_WEBHOOK_SIGNATURE: string;
      WEBHOOK_SECRET: string;
    }
  }

  // Clients built in an earlier snippet.
  const mm: MilesMasterclass;
  const lw: LearnWorlds;
  const al: AlphaLearn;
  const tom: TeachOnMars;

  // The host application's request and its values.
  const req: IncomingMessage & { url: string };
  const res: ServerResponse;
  const request: Request;
  // Express, as far as the snippets use it (express.raw hands the route a Buffer body).
  const express: { raw(options: { type: string }): unknown };
  const app: {
    post(path: string, middleware: unknown,
      handler: (req: IncomingMessage & { body: Buffer }, res: ServerResponse & { sendStatus(code: number): void }) => void): void;
  };
  const rawBody: Uint8Array;
  const body: string;
  const id: string;
  const nonce: string;
  const email: string;
  const username: string;
  const password: string;
  const firstName: string;
  const lastName: string;
  const googleIdToken: string;
  const deepLink: string;
  const learner: { email: string; lmsUserId: string };
  const user: { id: string; email: string; verifiedEmail: string; displayName: string; firstName: string; lastName: string };
  const schoolUrl: string;
  const baseUrl: string;
  const apiKey: string;
  const apiSecret: string;
  const clientId: string;
  const clientSecret: string;
  const tokenUrl: string;
  const secret: string;
  const currentSecret: string;
  const previousSecret: string;
  const log: { info(fields: Record<string, unknown>): void };

  // The host application's own functions.
  function recordProgress(event: import("lms-bridge").ProgressEvent): Promise<void>;
  function completeCourse(lmsUserId: string | undefined, at: string | null): Promise<void>;
  function markCompleted(email: string | undefined, courseId: string | undefined): Promise<void>;
  function addTags(userId: string | undefined, tags: string[]): Promise<void>;
  function callOtherAlphaLearnApi(jwt: string): Promise<unknown>;
  function loadCheckpoint(): Promise<Set<string>>;
  function readRoster(): Promise<LearnerInput[]>;
  function saveCheckpoint(login: string, identifier: string): Promise<void>;
  function reportPermanent(row: LearnerInput, code: string): Promise<void>;
}
