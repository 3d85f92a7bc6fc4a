/**
 * Upper bounds (ms) of the webhook round-trip buckets; the last bucket is open-ended.
 * Dense below 50 ms where the targets are, coarse above, so percentiles stay within a
 * bucket's width without keeping samples.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1_000,
  2_000, 5_000, 10_000, 30_000, 60_000,
];

export interface LatencyHistogramSnapshot {
  count: number;
  sum_ms: number;
  max_ms: number;
  /** Upper bounds in ms; `counts` has one more entry, for samples above the last bound. */
  bounds_ms: readonly number[];
  counts: number[];
}

/**
 * A fixed-bucket histogram of webhook round trips (post → 2xx). Recording is a short
 * binary search over a constant array: O(1) per update, no allocation, no samples kept.
 */
export class LatencyHistogram {
  readonly #counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  #count = 0;
  #sum = 0;
  #max = 0;

  record(ms: number): void {
    let lo = 0;
    let hi: number = LATENCY_BOUNDS_MS.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ms <= LATENCY_BOUNDS_MS[mid]!) hi = mid;
      else lo = mid + 1;
    }
    this.#counts[lo]!++;
    this.#count++;
    this.#sum += ms;
    if (ms > this.#max) this.#max = ms;
  }

  snapshot(): LatencyHistogramSnapshot {
    return {
      count: this.#count,
      sum_ms: Math.round(this.#sum * 1000) / 1000,
      max_ms: Math.round(this.#max * 1000) / 1000,
      bounds_ms: LATENCY_BOUNDS_MS,
      counts: [...this.#counts],
    };
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }
}
