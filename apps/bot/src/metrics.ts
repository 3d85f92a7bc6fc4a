import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OUTGOING_METHODS } from '@hamdam/domain';
import type { ClusterStats } from '@hamdam/store';

/** Label values, each from a fixed list: a label never grows with what arrives from outside. */
export const UPDATE_OUTCOMES = [
  'ok',
  'duplicate',
  'unauthorized',
  'invalid',
  'too_large',
  'unavailable',
  'error',
] as const;
export const UPDATE_TYPE_LABELS = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
  'other',
] as const;
export const HANDLERS = [
  'start',
  'find',
  'next',
  'stop',
  'help',
  'settings',
  'relay',
  'edit',
  'button',
  'report',
  'block',
  'delete',
  'admin',
  'bot_blocked',
  'ignored',
] as const;
export type HandlerName = (typeof HANDLERS)[number];
export const SEND_OUTCOMES = [
  'ok',
  'rate_limited',
  'blocked',
  'rejected',
  'network',
  'error',
] as const;
export type SendOutcome = (typeof SEND_OUTCOMES)[number];
export const DROP_REASONS = ['chat_ended', 'cap'] as const;

const LATENCY = [
  0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5,
  1, 5,
];

/**
 * Every metric of a worker, named in one place. No label ever holds a user or chat id.
 * Counters count what this worker did (a `sum` over workers is the cluster's). Gauges of the
 * whole cluster (`hamdam_users_*`, `hamdam_outbox_*`, `hamdam_webhook_pending_updates`) are set
 * only by the worker holding the periodic-work lease and removed from the others, so a `sum`
 * is right there too.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #r = [this.registry];

  // Traffic (RED) of the webhook and the handlers
  readonly updates = new Counter({
    name: 'hamdam_updates_total',
    help: 'Webhook updates by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: this.#r,
  });
  readonly updateDuration = new Histogram({
    name: 'hamdam_update_duration_seconds',
    help: 'Time from a webhook request to its answer, in the worker',
    buckets: LATENCY,
    registers: this.#r,
  });
  readonly handlerDuration = new Histogram({
    name: 'hamdam_handler_duration_seconds',
    help: 'Time one handler took, by handler',
    labelNames: ['handler'] as const,
    buckets: LATENCY,
    registers: this.#r,
  });
  readonly handlerErrors = new Counter({
    name: 'hamdam_handler_errors_total',
    help: 'Handlers that failed, by handler',
    labelNames: ['handler'] as const,
    registers: this.#r,
  });

  // Sending
  readonly sends = new Counter({
    name: 'hamdam_sends_total',
    help: 'Bot API calls made by the dispatcher, by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers: this.#r,
  });
  readonly sendDuration = new Histogram({
    name: 'hamdam_send_duration_seconds',
    help: 'Bot API call latency seen by the dispatcher',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: this.#r,
  });
  readonly inFlight = new Gauge({
    name: 'hamdam_dispatcher_in_flight',
    help: 'Bot API calls the dispatcher is waiting on',
    registers: this.#r,
  });
  readonly dropped = new Counter({
    name: 'hamdam_outbox_dropped_total',
    help: 'Relayed copies dropped: their chat ended, or the chat was owed too many',
    labelNames: ['reason'] as const,
    registers: this.#r,
  });

  readonly poison = new Counter({
    name: 'hamdam_outbox_poison_total',
    help: 'Outbox entries that could not be read, dropped so the chat goes on',
    registers: this.#r,
  });

  // What users do
  readonly matches = new Counter({
    name: 'hamdam_matches_total',
    help: 'Pairs made',
    registers: this.#r,
  });
  readonly matchWait = new Histogram({
    name: 'hamdam_match_wait_seconds',
    help: 'How long the one who waited had waited when a pair was made',
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600],
    registers: this.#r,
  });
  readonly relayed = new Counter({
    name: 'hamdam_messages_relayed_total',
    help: 'Messages (and edits) passed on to a partner',
    registers: this.#r,
  });
  readonly duplicates = new Counter({
    name: 'hamdam_duplicate_updates_total',
    help: 'Redelivered updates recognised and not applied again',
    registers: this.#r,
  });
  readonly floodDropped = new Counter({
    name: 'hamdam_flood_dropped_total',
    help: 'Updates (messages, commands, button presses) dropped by flood control',
    registers: this.#r,
  });
  readonly reports = new Counter({
    name: 'hamdam_reports_total',
    help: 'Reports recorded',
    registers: this.#r,
  });
  readonly bans = new Counter({
    name: 'hamdam_bans_total',
    help: 'Bans, by who banned',
    labelNames: ['by'] as const,
    registers: this.#r,
  });

  // Saturation
  readonly pgPool: Gauge<'state'> = new Gauge({
    name: 'hamdam_pg_pool_connections',
    help: 'Postgres pool of this worker: total, idle and waiting clients',
    labelNames: ['state'] as const,
    registers: this.#r,
    // Read on scrape, so the numbers are current and cost nothing between scrapes.
    collect: () => {
      const s = this.#poolStats?.();
      if (!s) return;
      this.pgPool.set({ state: 'total' }, s.total);
      this.pgPool.set({ state: 'idle' }, s.idle);
      this.pgPool.set({ state: 'waiting' }, s.waiting);
    },
  });
  readonly pgWait = new Histogram({
    name: 'hamdam_pg_pool_wait_seconds',
    help: 'How long a query waited for a Postgres connection',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2],
    registers: this.#r,
  });
  readonly redisDuration = new Histogram({
    name: 'hamdam_redis_command_duration_seconds',
    help: 'State-store steps and reads, round trip',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: this.#r,
  });
  readonly restarts = new Counter({
    name: 'hamdam_worker_restarts_total',
    help: 'How many times the supervisor restarted this worker slot',
    registers: this.#r,
  });
  readonly leader = new Gauge({
    name: 'hamdam_leader',
    help: '1 on the worker holding the periodic-work lease',
    registers: this.#r,
  });

  // The cluster, from the lease holder only
  readonly chatting = new Gauge({
    name: 'hamdam_users_chatting',
    help: 'Users in a chat now (cluster-wide)',
    registers: this.#r,
  });
  readonly waiting = new Gauge({
    name: 'hamdam_users_waiting',
    help: 'Users waiting for a partner, by queue bucket (cluster-wide)',
    labelNames: ['bucket'] as const,
    registers: this.#r,
  });
  readonly outboxDepth = new Gauge({
    name: 'hamdam_outbox_depth',
    help: 'Outbox entries owed, across all chats (cluster-wide)',
    registers: this.#r,
  });
  readonly outboxLag = new Gauge({
    name: 'hamdam_outbox_lag_seconds',
    help: 'How late the earliest due outbox entry is (cluster-wide); 0 when none is late',
    registers: this.#r,
  });
  readonly journalBacklog = new Gauge({
    name: 'hamdam_journal_backlog',
    help: 'Journal records waiting in Redis for Postgres (cluster-wide); never trimmed',
    registers: this.#r,
  });
  readonly webhookPending = new Gauge({
    name: 'hamdam_webhook_pending_updates',
    help: "Telegram's pending_update_count for the webhook",
    registers: this.#r,
  });

  #poolStats: (() => { total: number; idle: number; waiting: number }) | null = null;

  constructor(options: { restartsBefore?: number } = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hamdam_' });
    // Every labelled series exists from the start, at zero, so a panel never shows "no data".
    for (const type of UPDATE_TYPE_LABELS)
      for (const outcome of UPDATE_OUTCOMES) this.updates.inc({ type, outcome }, 0);
    for (const handler of HANDLERS) this.handlerErrors.inc({ handler }, 0);
    for (const method of OUTGOING_METHODS)
      for (const outcome of SEND_OUTCOMES) this.sends.inc({ method, outcome }, 0);
    for (const reason of DROP_REASONS) this.dropped.inc({ reason }, 0);
    for (const by of ['admin', 'reports']) this.bans.inc({ by }, 0);
    this.restarts.inc(options.restartsBefore ?? 0);
    this.leader.set(0);
  }

  /** Reads the Postgres pool on every scrape from now on. */
  watchPool(stats: () => { total: number; idle: number; waiting: number }): void {
    this.#poolStats = stats;
  }

  /** The lease holder's view of the cluster; a worker without the lease shows none. */
  setCluster(stats: ClusterStats | null): void {
    const gauges = [
      this.chatting,
      this.waiting,
      this.outboxDepth,
      this.outboxLag,
      this.journalBacklog,
    ];
    if (stats === null) {
      for (const g of gauges) g.reset();
      this.webhookPending.reset();
      return;
    }
    this.chatting.set(stats.chatting);
    for (const [bucket, n] of Object.entries(stats.waiting)) this.waiting.set({ bucket }, n);
    this.outboxDepth.set(stats.owed);
    this.outboxLag.set(stats.lagMs / 1000);
    this.journalBacklog.set(stats.journal);
  }
}
