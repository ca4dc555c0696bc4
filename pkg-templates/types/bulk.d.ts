// ---- Whole rosters ----

/**
 * What `provisionMany` reports after each outcome.
 *
 * @example
 * ```ts
 * import { provisionMany, type ProvisionProgress } from "lms-bridge";
 *
 * const report = ({ done, failed, inFlight, rate }: ProvisionProgress) =>
 *   console.log(`${done} done, ${failed} failed, ${inFlight} in flight, ${rate.toFixed(1)}/s`);
 * for await (const o of provisionMany(await readRoster(), (row) => tom.signIn(row), { onProgress: report })) {
 *   if (!o.ok) await reportPermanent(o.item, String(o.error));
 * }
 * ```
 */
export interface ProvisionProgress {
  /** Items that succeeded so far. */
  done: number;
  /** Items that failed so far. */
  failed: number;
  /** Calls in flight now. */
  inFlight: number;
  /** Outcomes per second since the start. */
  rate: number;
}

/**
 * Options of `provisionMany`.
 *
 * @example
 * ```ts
 * import { provisionMany } from "lms-bridge";
 *
 * const stop = new AbortController();
 * process.once("SIGTERM", () => stop.abort());
 * const outcomes = provisionMany(await readRoster(), (row, { signal }) => tom.signIn(row, { signal }), {
 *   concurrency: 16,
 *   signal: stop.signal,
 *   onProgress: (p) => log.info({ ...p }),
 * });
 * for await (const o of outcomes) if (o.ok) await saveCheckpoint(o.item.login, o.result.learner.identifier);
 * ```
 */
export interface ProvisionOptions {
  /** Calls in flight at most. Default 8 (1–1024). */
  concurrency?: number;
  /** Stops reading items; the calls in flight finish and are yielded, then the reason is thrown. */
  signal?: AbortSignal;
  /** Called after each outcome. */
  onProgress?: (progress: ProvisionProgress) => void;
}

/**
 * One item's outcome: exactly one per item read. `index` is the item's position in the source.
 *
 * @example
 * ```ts
 * import { isLmsBridgeError, provisionMany, type LearnerInput, type ProvisionOutcome, type SignInResult } from "lms-bridge";
 *
 * async function settle(o: ProvisionOutcome<LearnerInput, SignInResult>): Promise<void> {
 *   if (o.ok) await saveCheckpoint(o.item.login, o.result.learner.identifier);
 *   else if (!isLmsBridgeError(o.error) || !o.error.retryable) await reportPermanent(o.item, String(o.error));
 *   // retryable failures stay out of the checkpoint: the next run redoes them
 * }
 * for await (const o of provisionMany(await readRoster(), (row) => tom.signIn(row))) await settle(o);
 * ```
 */
export type ProvisionOutcome<I, R> =
  | {
      /** The item's position in the source (0-based). */
      index: number;
      /** The item, as read. */
      item: I;
      /** The operation succeeded. */
      ok: true;
      /** What the operation resolved to. */
      result: R;
    }
  | {
      /** The item's position in the source (0-based). */
      index: number;
      /** The item, as read. */
      item: I;
      /** The operation failed. */
      ok: false;
      /** What the operation threw (an `LmsBridgeError` for lms-bridge calls). */
      error: unknown;
    };

/**
 * Runs `operation` over every item (read lazily) with bounded concurrency and yields each
 * outcome as it completes. No retries here: the client's transport retries what is safe to
 * repeat, and its `rateLimit` (or the `fetch` you give it) spaces the requests. A throwing
 * source or an abort ends the stream after the calls in flight are yielded. `operation`
 * gets the item and `{ index, signal }` (the `signal` option, to pass on to the call). A call
 * that ends frees its slot at once, up to `concurrency` outcomes waiting for your loop; at
 * most twice `concurrency` items are held.
 *
 * @example
 * ```ts
 * import { TeachOnMars, isLmsBridgeError, provisionMany } from "lms-bridge";
 *
 * const tom = new TeachOnMars({ baseUrl, auth: { clientId, clientSecret, tokenUrl }, rateLimit: { requests: 20, perMs: 1000 } });
 * const done = await loadCheckpoint();
 * const rows = (await readRoster()).filter((r) => !done.has(r.login));
 * for await (const o of provisionMany(rows, (row) => tom.signIn(row), { concurrency: 16 })) {
 *   if (o.ok) await saveCheckpoint(o.item.login, o.result.learner.identifier);
 *   else if (!isLmsBridgeError(o.error) || !o.error.retryable) await reportPermanent(o.item, String(o.error));
 * }
 * ```
 */
export function provisionMany<I, R>(
  items: Iterable<I> | AsyncIterable<I>,
  operation: (item: I, context: { index: number; signal?: AbortSignal }) => Promise<R> | R,
  options?: ProvisionOptions,
): AsyncGenerator<ProvisionOutcome<I, R>, void, undefined>;
