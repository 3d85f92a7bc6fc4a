/** Client-side latency of a batch of calls, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Nearest-rank percentiles: every reported value is one that was actually observed. */
export function summarize(samplesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
  let sum = 0;
  for (const value of sorted) sum += value;
  const rank = (p: number): number => sorted[Math.min(count - 1, Math.ceil(p * count) - 1)]!;
  return {
    count,
    meanMs: round(sum / count),
    p50Ms: round(rank(0.5)),
    p95Ms: round(rank(0.95)),
    p99Ms: round(rank(0.99)),
    maxMs: round(sorted[count - 1]!),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * The field-by-field median of several runs' results of one shape: numbers are replaced by
 * their median (a number missing from a run counts as 0, as in a per-bucket tally), nested
 * objects are merged the same way, anything else is taken from the first run. Medians rather
 * than means, so one run disturbed by a neighbour on the machine does not move the result.
 */
export function medianOfRuns<T>(runs: readonly T[]): T {
  if (runs.length === 0) throw new RangeError('median of no runs');
  return mergeMedian(runs) as T;
}

function mergeMedian(values: readonly unknown[]): unknown {
  const sample = values.find((v) => v !== undefined);
  if (typeof sample === 'number') {
    return median(values.map((v) => (typeof v === 'number' ? v : 0)));
  }
  if (!isRecord(sample)) return sample;
  const records = values.map((v) => (isRecord(v) ? v : {}));
  const out: Record<string, unknown> = {};
  for (const key of new Set(records.flatMap((r) => Object.keys(r)))) {
    out[key] = mergeMedian(records.map((r) => r[key]));
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Microsecond resolution is all a millisecond figure needs; longer decimals are noise. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
