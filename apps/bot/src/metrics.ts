import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric of a worker, named in one place. No label ever holds a user or chat id. */
export class Metrics {
  readonly registry = new Registry();
  readonly updates = new Counter({
    name: 'hamdam_updates_total',
    help: 'Webhook updates by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly updateDuration = new Histogram({
    name: 'hamdam_update_duration_seconds',
    help: 'Time from a webhook request to its answer',
    // Fine around the 25 ms target, so its p99 can be read off the buckets.
    buckets: [
      0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25,
      0.5, 1, 5,
    ],
    registers: [this.registry],
  });
  readonly sends = new Counter({
    name: 'hamdam_sends_total',
    help: 'Bot API calls made by the dispatcher, by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly sendDuration = new Histogram({
    name: 'hamdam_send_duration_seconds',
    help: 'Bot API call latency seen by the dispatcher',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'hamdam_dispatcher_in_flight',
    help: 'Bot API calls the dispatcher is waiting on',
    registers: [this.registry],
  });
  readonly pgPool = new Gauge({
    name: 'hamdam_pg_pool_connections',
    help: 'Postgres pool of this worker: total, idle and waiting clients',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  #poolStats: (() => { total: number; idle: number; waiting: number }) | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hamdam_' });
    const gauge = this.pgPool;
    const stats = () => this.#poolStats?.() ?? null;
    // Read on scrape, so the numbers are current and cost nothing between scrapes.
    new Gauge({
      name: 'hamdam_pg_pool_waiting',
      help: 'Queries waiting for a Postgres connection in this worker',
      registers: [this.registry],
      collect() {
        const s = stats();
        if (!s) return;
        this.set(s.waiting);
        gauge.set({ state: 'total' }, s.total);
        gauge.set({ state: 'idle' }, s.idle);
        gauge.set({ state: 'waiting' }, s.waiting);
      },
    });
  }

  /** Reads the Postgres pool on every scrape from now on. */
  watchPool(stats: () => { total: number; idle: number; waiting: number }): void {
    this.#poolStats = stats;
  }
}
