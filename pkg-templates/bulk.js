// Whole rosters: `provisionMany` runs one vendor operation over many items with bounded
// concurrency, streams every outcome as it completes, and never loses one. Rate limits and
// retries stay where they are enforced per request: in the client's transport (its
// `rateLimit` option, API.md §6 retry rules), or in the `fetch` you give the client.
import { LmsBridgeError } from "./error.js";

const invalid = (field, must) =>
  new LmsBridgeError(`${field} ${must}`, { code: "INVALID_INPUT", retryable: false });

/** The items' iterator (arrays, iterables, async iterables), and whether it is synchronous. */
function iteratorOf(items) {
  const present = items !== null && items !== undefined;
  if (present && typeof items[Symbol.asyncIterator] === "function") {
    return { source: items[Symbol.asyncIterator](), sync: false };
  }
  if (present && typeof items[Symbol.iterator] === "function" && typeof items !== "string") {
    return { source: items[Symbol.iterator](), sync: true };
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
 * A call that ends frees its slot at once: the next item is read and its call started then,
 * not when the consumer takes the outcome (so a busy consumer does not idle the vendor's
 * slots), up to `concurrency` outcomes waiting for the consumer; a slower consumer holds back
 * further reads. Memory holds at most twice `concurrency` items.
 *
 * Every item read ends as exactly one outcome. When the source throws, the items in flight
 * finish and are yielded, then the source's error is thrown; on `signal` abort no further
 * item is read, the items in flight finish and are yielded, then the abort reason is thrown.
 * Breaking out of the loop closes the source (calls in flight still complete).
 */
export function provisionMany(items, operation, opts) {
  const consumer = { stopped: false };
  const outcomes = run(items, operation, opts, consumer);
  // An async generator asked to return (a `break`) or to throw while suspended at a `yield`
  // awaits once before its `finally` runs: the consumer's stop is marked at once, so that no
  // call settling in that turn starts another.
  for (const method of ["return", "throw"]) {
    const inner = outcomes[method];
    Object.defineProperty(outcomes, method, {
      value(value) {
        consumer.stopped = true;
        return inner.call(outcomes, value);
      },
      writable: true,
      configurable: true,
    });
  }
  return outcomes;
}

/** `provisionMany`'s loop; `consumer.stopped` once the consumer returned or threw. */
async function* run(items, operation, opts, consumer) {
  if (typeof operation !== "function") throw invalid("operation", "must be a function (item, { index, signal }) => Promise");
  const { concurrency, signal, onProgress } = options(opts);
  const { source, sync } = iteratorOf(items);
  // Outcomes land in `ready` as calls settle; the loop sleeps on `wake` when it is empty.
  const ready = [];
  let running = 0;
  let wake = null;
  const startedAt = Date.now();
  let next = 0;
  let done = 0;
  let failed = 0;
  // No more items: the source ended, threw, or the consumer stopped.
  let sourceDone = false;
  let sourceError;
  // A read of the source is under way (an async source's `next()` is awaited).
  let reading = false;

  const notify = () => {
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  };
  const start = (item) => {
    const index = next++;
    running++;
    let pending;
    try {
      pending = Promise.resolve(operation(item, { index, signal }));
    } catch (error) {
      pending = Promise.reject(error);
    }
    const settle = (outcome) => {
      running--;
      ready.push(outcome);
      notify();
      fill();
    };
    pending.then(
      (result) => settle({ index, item, ok: true, result }),
      (error) => settle({ index, item, ok: false, error }),
    );
  };
  // Reads items and starts their calls while a slot is free and fewer than `concurrency`
  // outcomes wait for the consumer. One read at a time; a synchronous source is read at once.
  const fill = async () => {
    if (reading) return;
    reading = true;
    try {
      while (!sourceDone && !consumer.stopped && !signal?.aborted && running < concurrency && ready.length < concurrency) {
        try {
          const r = sync ? source.next() : await source.next();
          if (r.done) sourceDone = true;
          // (A read that ends after the consumer stopped starts no call.)
          else if (!consumer.stopped) start(r.value);
        } catch (e) {
          sourceDone = true;
          sourceError = { e };
        }
      }
    } finally {
      reading = false;
      notify();
    }
  };
  const progress = () => {
    if (!onProgress) return;
    const seconds = (Date.now() - startedAt) / 1000;
    try {
      onProgress({ done, failed, inFlight: running, rate: seconds > 0 ? (done + failed) / seconds : 0 });
    } catch {
      // A throwing progress callback must not lose outcomes.
    }
  };

  try {
    fill();
    for (;;) {
      if (ready.length === 0) {
        // Nothing runs or is being read: the source ended or threw, or the signal aborted.
        if (running === 0 && !reading) break;
        await new Promise((resolve) => (wake = resolve));
        continue;
      }
      const outcome = ready.shift();
      // Its place among the waiting outcomes is free: the next call starts while the consumer
      // handles this one.
      fill();
      if (outcome.ok) done++;
      else failed++;
      progress();
      yield outcome;
    }
  } finally {
    consumer.stopped = true;
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
