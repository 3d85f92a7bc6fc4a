import { LatencyHistogram, type LatencyHistogramSnapshot } from './latency-histogram.js';
import { ProcessPauses, type ProcessPausesSnapshot } from './process-pauses.js';

export interface EmulatorStats {
  updates_injected: number;
  updates_delivered: number;
  delivery_attempts: number;
  delivery_failures: number;
  pending: number;
  in_flight: number;
  max_in_flight_seen: number;
  api_calls: Record<string, number>;
  /** Round trips (update posted → 2xx answer) of successful webhook deliveries. */
  webhook_latency: LatencyHistogramSnapshot;
  /** Garbage-collector pauses and event-loop delay of the emulator's process. */
  process: ProcessPausesSnapshot;
}

/** Counters behind GET /control/stats; plain fields because they are bumped on every hot path. */
export class Stats {
  updatesInjected = 0;
  updatesDelivered = 0;
  deliveryAttempts = 0;
  deliveryFailures = 0;
  maxInFlightSeen = 0;
  readonly #apiCalls = new Map<string, number>();
  readonly webhookLatency = new LatencyHistogram();
  readonly #pauses = new ProcessPauses();

  countCall(method: string): void {
    this.#apiCalls.set(method, (this.#apiCalls.get(method) ?? 0) + 1);
  }

  observeInFlight(inFlight: number): void {
    if (inFlight > this.maxInFlightSeen) this.maxInFlightSeen = inFlight;
  }

  snapshot(pending: number, inFlight: number): EmulatorStats {
    return {
      updates_injected: this.updatesInjected,
      updates_delivered: this.updatesDelivered,
      delivery_attempts: this.deliveryAttempts,
      delivery_failures: this.deliveryFailures,
      pending,
      in_flight: inFlight,
      max_in_flight_seen: this.maxInFlightSeen,
      api_calls: Object.fromEntries(this.#apiCalls),
      webhook_latency: this.webhookLatency.snapshot(),
      process: this.#pauses.snapshot(),
    };
  }

  reset(): void {
    this.updatesInjected = 0;
    this.updatesDelivered = 0;
    this.deliveryAttempts = 0;
    this.deliveryFailures = 0;
    this.maxInFlightSeen = 0;
    this.#apiCalls.clear();
    this.webhookLatency.reset();
    this.#pauses.reset();
  }

  close(): void {
    this.#pauses.close();
  }
}
