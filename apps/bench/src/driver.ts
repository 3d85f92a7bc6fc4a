import { setTimeout as sleep } from 'node:timers/promises';

/** The results of `count` calls in call order, each call's latency and the batch's wall time. */
export interface Driven<T> {
  readonly results: T[];
  readonly latenciesMs: Float64Array;
  /** From the first call issued to the last one answered. */
  readonly elapsedMs: number;
}

type Task<T> = (index: number) => Promise<T>;

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Closed loop: `limit` callers, each issuing its next call when the previous one is answered,
 * as a fixed pool of worker connections would. A failed call stops new ones, but every call
 * already sent is waited for before the error is passed on, so nothing writes to Redis after
 * the caller has moved on to clean up.
 */
export async function runBounded<T>(
  count: number,
  limit: number,
  task: Task<T>,
  signal?: AbortSignal,
): Promise<Driven<T>> {
  const results = new Array<T>(count);
  const latenciesMs = new Float64Array(count);
  let next = 0;
  let failed = false;
  const caller = async (): Promise<void> => {
    while (next < count && !failed) {
      signal?.throwIfAborted();
      const index = next++;
      const start = nowMs();
      try {
        results[index] = await task(index);
      } catch (err) {
        failed = true;
        throw err;
      }
      latenciesMs[index] = nowMs() - start;
    }
  };
  const start = nowMs();
  const callers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, caller);
  const settled = await Promise.allSettled(callers);
  const elapsedMs = nowMs() - start;
  throwFirstRejection(settled);
  return { results, latenciesMs, elapsedMs };
}

/**
 * Open loop at `ratePerSec`: call i is issued at start + i/rate whether or not earlier calls
 * were answered, the way users arrive. A closed loop would slow its own arrivals when the
 * store slowed down and hide exactly the queueing delay this should show. Latency is taken
 * from the moment each call is actually issued; timer granularity (about 1 ms) only bunches
 * issues, it does not add to their latency.
 */
export async function runPaced<T>(
  count: number,
  ratePerSec: number,
  task: Task<T>,
  signal?: AbortSignal,
): Promise<Driven<T> & { readonly issueSeconds: number }> {
  const results = new Array<T>(count);
  const latenciesMs = new Float64Array(count);
  const inFlight: Promise<void>[] = [];
  const intervalMs = 1000 / ratePerSec;
  const start = nowMs();
  let issued = 0;
  let lastIssue = start;
  // Each pass issues every call that is due, then sleeps until the next one is: at most
  // `count` passes that issue something, and the sleeps add up to the schedule's length.
  while (issued < count) {
    if (signal?.aborted) break;
    const now = nowMs();
    while (issued < count && start + issued * intervalMs <= now) {
      const index = issued++;
      const sent = nowMs();
      lastIssue = sent;
      inFlight.push(
        task(index).then((result) => {
          results[index] = result;
          latenciesMs[index] = nowMs() - sent;
        }),
      );
    }
    if (issued < count) await sleep(Math.max(0, start + issued * intervalMs - nowMs()));
  }
  const settled = await Promise.allSettled(inFlight);
  const elapsedMs = nowMs() - start;
  throwFirstRejection(settled);
  signal?.throwIfAborted();
  return { results, latenciesMs, elapsedMs, issueSeconds: (lastIssue - start) / 1000 };
}

function throwFirstRejection(settled: readonly PromiseSettledResult<unknown>[]): void {
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
}
