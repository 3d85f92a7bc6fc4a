/** Summary of a latency distribution in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

// Log-linear buckets: 1 % wide, from 10 µs up. Percentiles are exact to within a bucket.
const GROWTH = 1.01;
const MIN_MS = 0.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(600_000 / MIN_MS) / LOG_GROWTH) + 2;

/**
 * A fixed-size latency histogram: O(1) to record, mergeable, and small enough to keep one per
 * second for the latency-over-time chart.
 */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #max = 0;

  get count(): number {
    return this.#count;
  }

  record(ms: number): void {
    const value = ms < MIN_MS ? MIN_MS : ms;
    const index = Math.min(BUCKETS - 1, Math.floor(Math.log(value / MIN_MS) / LOG_GROWTH));
    this.#counts[index]!++;
    this.#count++;
    this.#sum += ms;
    if (ms > this.#max) this.#max = ms;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.#counts[i]! += other.#counts[i]!;
    this.#count += other.#count;
    this.#sum += other.#sum;
    if (other.#max > this.#max) this.#max = other.#max;
  }

  /** The upper edge of the bucket holding quantile q (0..1), capped at the true maximum. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, MIN_MS * GROWTH ** (i + 1));
    }
    return this.#max;
  }

  summary(): LatencySummary {
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      count: this.#count,
      p50: round(this.quantile(0.5)),
      p95: round(this.quantile(0.95)),
      p99: round(this.quantile(0.99)),
      max: round(this.#max),
      mean: round(this.#count === 0 ? 0 : this.#sum / this.#count),
    };
  }

  /** Counts over the given upper bounds (ms), plus one for everything above: for the chart. */
  bucketed(bounds: readonly number[]): number[] {
    const out = new Array<number>(bounds.length + 1).fill(0);
    for (let i = 0; i < BUCKETS; i++) {
      const n = this.#counts[i]!;
      if (n === 0) continue;
      const upper = MIN_MS * GROWTH ** (i + 1);
      let b = bounds.findIndex((bound) => upper <= bound * GROWTH);
      if (b < 0) b = bounds.length;
      out[b]! += n;
    }
    return out;
  }
}

/** Percentiles of a fixed-bucket histogram as the emulator reports it (`webhook_latency`). */
export function summariseBuckets(
  bounds: readonly number[],
  counts: readonly number[],
  sumMs: number,
  maxMs: number,
): LatencySummary {
  const count = counts.reduce((a, b) => a + b, 0);
  const at = (q: number) => {
    if (count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return Math.min(maxMs, bounds[i] ?? maxMs);
    }
    return maxMs;
  };
  return {
    count,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: Math.round(maxMs * 100) / 100,
    mean: count === 0 ? 0 : Math.round((sumMs / count) * 100) / 100,
  };
}
