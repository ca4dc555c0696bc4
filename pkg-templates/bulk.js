// Whole rosters: `provisionMany` runs one vendor operation over many items with bounded
// concurrency, streams every outcome as it completes, and never loses one. Rate limits and
// retries stay where they are enforced per request: in the client's transport (its
// `rateLimit` option, API.md §6 retry rules), or in the `fetch` you give the client.
import { LmsBridgeError } from "./error.js";

const invalid = (field, must) =>
  new LmsBridgeError(`${field} ${must}`, { code: "INVALID_INPUT", retryable: false });

/** The items as an async iterator: arrays, iterables, async iterables. */
function iteratorOf(items) {
  const present = items !== null && items !== undefined;
  if (present && typeof items[Symbol.asyncIterator] === "function") return items[Symbol.asyncIterator]();
  if (present && typeof items[Symbol.iterator] === "function" && typeof items !== "string") {
    return items[Symbol.iterator]();
  }
  throw invalid("items", "must be an array, an iterable or an async iterable");
}

function options(opts) {
  if (opts !== undefined && (opts === null || typeof opts !== "object")) throw invalid("options", "must be an object");
  const { concurrency = 8, signal, onProgress } = opts ?? {};
  if (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    throw invalid("options.concurrency", "must be an integer from 1 to 1024");
  }
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && "aborted" in signal)) {
    throw invalid("options.signal", "must be an AbortSignal");
  }
  if (onProgress !== undefined && typeof onProgress !== "function") throw invalid("options.onProgress", "must be a function");
  return { concurrency, signal, onProgress };
}

/**
 * Runs `operation(item, { index, signal })` for every item of `items` (an array, iterable or
 * async iterable, read lazily) with at most `concurrency` calls in flight, and yields one
 * outcome per item as it completes: `{ index, item, ok: true, result }` or
 * `{ index, item, ok: false, error }`. Nothing is retried here: the client's transport
 * already retries what is safe to repeat.
 *
 * Every item read ends as exactly one outcome. When the source throws, the items in flight
 * finish and are yielded, then the source's error is thrown; on `signal` abort no further
 * item is read, the items in flight finish and are yielded, then the abort reason is thrown.
 * Breaking out of the loop closes the source (calls in flight still complete). Memory
 * holds only the items in flight.
 */
export async function* provisionMany(items, operation, opts) {
  if (typeof operation !== "function") throw invalid("operation", "must be a function (item, { index, signal }) => Promise");
  const { concurrency, signal, onProgress } = options(opts);
  const source = iteratorOf(items);
  // Outcomes land in `ready` as calls settle; the loop sleeps on `wake` when it is empty.
  const ready = [];
  let inFlight = 0;
  let wake = null;
  const startedAt = Date.now();
  let next = 0;
  let done = 0;
  let failed = 0;
  let sourceDone = false;
  let sourceError;

  const settle = (outcome) => {
    ready.push(outcome);
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  };
  const start = (item) => {
    const index = next++;
    inFlight++;
    let pending;
    try {
      pending = Promise.resolve(operation(item, { index, signal }));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (result) => settle({ index, item, ok: true, result }),
      (error) => settle({ index, item, ok: false, error }),
    );
  };
  const progress = () => {
    if (!onProgress) return;
    const seconds = (Date.now() - startedAt) / 1000;
    try {
      onProgress({ done, failed, inFlight, rate: seconds > 0 ? (done + failed) / seconds : 0 });
    } catch {
      // A throwing progress callback must not lose outcomes.
    }
  };

  try {
    for (;;) {
      while (!sourceDone && !signal?.aborted && inFlight < concurrency) {
        try {
          const r = await source.next();
          if (r.done) sourceDone = true;
          else start(r.value);
        } catch (e) {
          sourceDone = true;
          sourceError = { e };
        }
      }
      if (inFlight === 0) break;
      if (ready.length === 0) await new Promise((resolve) => (wake = resolve));
      const outcome = ready.shift();
      inFlight--;
      if (outcome.ok) done++;
      else failed++;
      progress();
      yield outcome;
    }
  } finally {
    if (!sourceDone) {
      sourceDone = true;
      try {
        await source.return?.();
      } catch {
        // closing a source that fails to close changes nothing for the outcomes
      }
    }
  }
  if (sourceError) throw sourceError.e;
  if (signal?.aborted) throw signal.reason;
}
