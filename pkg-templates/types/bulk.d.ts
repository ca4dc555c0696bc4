// ---- Whole rosters ----

/** What `provisionMany` reports after each outcome. */
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

export interface ProvisionOptions {
  /** Calls in flight at most. Default 8 (1–1024). */
  concurrency?: number;
  /** Stops reading items; the calls in flight finish and are yielded, then the reason is thrown. */
  signal?: AbortSignal;
  /** Called after each outcome. */
  onProgress?: (progress: ProvisionProgress) => void;
}

/** One item's outcome: exactly one per item read. `index` is the item's position in the source. */
export type ProvisionOutcome<I, R> =
  | { index: number; item: I; ok: true; result: R }
  | { index: number; item: I; ok: false; error: unknown };

/**
 * Runs `operation` over every item (read lazily) with bounded concurrency and yields each
 * outcome as it completes. No retries here: the client's transport retries what is safe to
 * repeat, and its `rateLimit` (or the `fetch` you give it) spaces the requests. A throwing
 * source or an abort ends the stream after the calls in flight are yielded.
 *
 * ```js
 * for await (const o of provisionMany(rows, (row) => tom.signIn(row), { concurrency: 16 })) {
 *   await checkpoint(o.index, o.ok ? o.result.learner.identifier : isLmsBridgeError(o.error) ? o.error.code : "BUG");
 * }
 * ```
 */
export function provisionMany<I, R>(
  items: Iterable<I> | AsyncIterable<I>,
  operation: (item: I, context: { index: number; signal?: AbortSignal }) => Promise<R> | R,
  options?: ProvisionOptions,
): AsyncGenerator<ProvisionOutcome<I, R>, void, undefined>;
