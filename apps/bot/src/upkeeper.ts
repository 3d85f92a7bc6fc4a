import type { Logger } from 'pino';
import type { StateStore } from '@hamdam/store';
import type { BotApi } from '@hamdam/telegram';
import type { Broadcaster } from './broadcaster.js';
import type { Metrics } from './metrics.js';
import type { Retention } from './retention.js';

export interface UpkeeperOptions {
  readonly state: StateStore;
  readonly api: BotApi;
  readonly broadcaster: Broadcaster;
  /** Deletes Postgres records older than RETENTION_DAYS. */
  readonly retention: Retention;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** This worker's name for the lease. */
  readonly owner: string;
  readonly tickMs?: number;
  /** A holder that stops renewing loses the lease after this long. */
  readonly leaseMs?: number;
  readonly statsEveryMs?: number;
  readonly webhookInfoEveryMs?: number;
}

/**
 * Periodic work, done by one worker at a time: whichever holds the lease in Redis runs the
 * timers (idle chats, queue expiry, rematches, widening), the broadcast under way, the deletion
 * of records past their retention, and sets the cluster-wide gauges. If it dies, another worker takes the lease within `leaseMs`.
 */
export class Upkeeper {
  readonly #o: Required<UpkeeperOptions>;
  #timer: NodeJS.Timeout | null = null;
  #turn: Promise<void> | null = null;
  #stopped = false;
  #leader = false;
  #lastStats = 0;
  #lastWebhookInfo = 0;

  constructor(options: UpkeeperOptions) {
    this.#o = {
      tickMs: 1_000,
      leaseMs: 5_000,
      statsEveryMs: 5_000,
      webhookInfoEveryMs: 30_000,
      ...options,
    };
  }

  start(): void {
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#turn;
    if (this.#leader) await this.#o.state.upkeep.releaseLease(this.#o.owner).catch(() => undefined);
  }

  get leader(): boolean {
    return this.#leader;
  }

  /** One turn; exposed so tests need not wait for the timer. */
  async turn(): Promise<void> {
    const { state, metrics, broadcaster, api, leaseMs, tickMs } = this.#o;
    this.#leader = await state.upkeep.holdLease(this.#o.owner, leaseMs);
    metrics.leader.set(this.#leader ? 1 : 0);
    if (!this.#leader) {
      metrics.setCluster(null);
      return;
    }
    for (let round = 0; round < 20; round++) {
      const swept = await state.upkeep.sweep(200);
      if (swept.matched > 0) {
        metrics.matches.inc(swept.matched);
        metrics.matchWait.observe(swept.matchedWaitedMs / swept.matched / 1000);
      }
      if (swept.taken < 200) break;
    }
    await broadcaster.tick(tickMs, this.#o.owner);
    await this.#o.retention.tick();
    const now = Date.now();
    if (now - this.#lastStats >= this.#o.statsEveryMs) {
      this.#lastStats = now;
      metrics.setCluster(await state.upkeep.stats(5 * 60_000));
    }
    if (now - this.#lastWebhookInfo >= this.#o.webhookInfoEveryMs) {
      this.#lastWebhookInfo = now;
      const info = await api.getWebhookInfo().catch(() => null);
      if (info) metrics.webhookPending.set(info.pending_update_count);
    }
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#turn = this.turn()
        .catch((err: unknown) => this.#o.logger.warn({ err }, 'periodic work failed this turn'))
        .finally(() => this.#schedule(this.#o.tickMs));
    }, delay);
    this.#timer.unref();
  }
}
