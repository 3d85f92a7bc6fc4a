import {
  PerformanceObserver,
  monitorEventLoopDelay,
  type IntervalHistogram,
} from 'node:perf_hooks';

/** Pauses of the process the emulator runs in, since start or the last reset. */
export interface ProcessPausesSnapshot {
  gc_count: number;
  gc_total_ms: number;
  gc_max_ms: number;
  loop_delay_p99_ms: number;
  loop_delay_max_ms: number;
}

/**
 * Garbage-collector pauses and event-loop delay of this process. A load test reads them to
 * tell a stall of the emulator (Telegram's stand-in) from a stall of the bot.
 */
export class ProcessPauses {
  #count = 0;
  #totalMs = 0;
  #maxMs = 0;
  readonly #delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.#count++;
      this.#totalMs += entry.duration;
      if (entry.duration > this.#maxMs) this.#maxMs = entry.duration;
    }
  });

  constructor() {
    this.#observer.observe({ entryTypes: ['gc'] });
    this.#delay.enable();
  }

  snapshot(): ProcessPausesSnapshot {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return {
      gc_count: this.#count,
      gc_total_ms: Math.round(this.#totalMs * 100) / 100,
      gc_max_ms: Math.round(this.#maxMs * 100) / 100,
      loop_delay_p99_ms: this.#delay.count === 0 ? 0 : ms(this.#delay.percentile(99)),
      loop_delay_max_ms: this.#delay.count === 0 ? 0 : ms(this.#delay.max),
    };
  }

  reset(): void {
    this.#count = 0;
    this.#totalMs = 0;
    this.#maxMs = 0;
    this.#delay.reset();
  }

  close(): void {
    this.#observer.disconnect();
    this.#delay.disable();
  }
}
