import type { Broadcasts } from './broadcasts.js';
import type { Journal } from './journal.js';
import type { Moderation } from './moderation.js';
import type { Outbox } from './outbox.js';
import type { Pairing } from './pairing.js';
import type { Profiles } from './profiles.js';
import type { Upkeep } from './upkeep.js';

/** All shared state of hamdam, behind narrow ports that share one connection. */
export interface StateStore {
  readonly pairing: Pairing;
  readonly profiles: Profiles;
  readonly moderation: Moderation;
  readonly outbox: Outbox;
  readonly journal: Journal;
  readonly upkeep: Upkeep;
  readonly broadcasts: Broadcasts;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How one limit is declared: a JSON Schema fragment, so that the config schema can reuse it. */
export interface LimitSpec {
  readonly type: 'integer' | 'number';
  readonly default: number;
  /** Bounds of what the scripts handle well; given for the limits operators may set. */
  readonly minimum?: number;
  readonly maximum?: number;
}

/**
 * The numbers the rules run on, declared once: `StoreLimits`, `DEFAULT_STORE_LIMITS`,
 * `LIMIT_ORDER` and the bot's configuration variables are all derived from this table.
 * Its order is the order in which the scripts read the limits: add new ones at the end.
 */
export const STORE_LIMITS = {
  /** A recent partner is skipped by matchmaking for this long. */
  recentPartnerMs: { type: 'integer', default: 120_000, minimum: 0, maximum: 86_400_000 },
  /** A chat nobody wrote in for this long ends. */
  idleChatMs: { type: 'integer', default: 30 * 60_000, minimum: 1_000, maximum: 86_400_000 },
  /** A queue place whose user did nothing for this long expires. */
  queueIdleMs: { type: 'integer', default: 15 * 60_000, minimum: 1_000, maximum: 86_400_000 },
  /** After this long in the queue, age range and language filters widen; 0: never. */
  widenAfterMs: { type: 'integer', default: 0, minimum: 0, maximum: 86_400_000 },
  /**
   * Flood control, one budget per user over everything they make the bot do (messages,
   * commands, button presses; an album counts once): updates at once, and per minute after that.
   */
  floodBurst: { type: 'integer', default: 20, minimum: 1, maximum: 1_000 },
  floodPerMinute: { type: 'integer', default: 40, minimum: 1, maximum: 6_000 },
  /** Relayed copies one chat may be owed; past it, new ones are dropped. */
  outboxCap: { type: 'integer', default: 50, minimum: 1, maximum: 10_000 },
  /** The bot's own notices one chat may be owed; past it, new ones are dropped. */
  noticeCap: { type: 'integer', default: 30, minimum: 1, maximum: 10_000 },
  /** This many distinct reporters within the window ban a user for reportBanMs. */
  reportThreshold: { type: 'integer', default: 3, minimum: 1, maximum: 1_000 },
  reportWindowMs: {
    type: 'integer',
    default: 24 * 3_600_000,
    minimum: 60_000,
    maximum: 30 * 24 * 3_600_000,
  },
  reportBanMs: {
    type: 'integer',
    default: 24 * 3_600_000,
    minimum: 60_000,
    maximum: 366 * 24 * 3_600_000,
  },
  /** A chat's last partner can be reported for this long after it ended. */
  reportableMs: { type: 'integer', default: 10 * 60_000 },
  /**
   * How many members of a candidate queue matchmaking reads at a time (it reads on only past
   * those the finder may not meet).
   */
  scanDepth: { type: 'integer', default: 16 },
  /** How long an album's first part waits for the rest before it is sent. */
  albumWaitMs: { type: 'integer', default: 700 },
  /** A banned user who presses Find is told so again after this long (anything else: hourly). */
  banRetoldMs: { type: 'integer', default: 60_000 },
  /** Per-chat pacing: sustained sends per second and burst, as Telegram tolerates. */
  chatRatePerSec: { type: 'number', default: 1, minimum: 0.01, maximum: 1_000 },
  chatBurst: { type: 'integer', default: 5, minimum: 1, maximum: 1_000 },
  /** Global send budget across all workers; 0 means unlimited. */
  globalRatePerSec: { type: 'number', default: 0, minimum: 0, maximum: 100_000 },
  globalBurst: { type: 'integer', default: 100, minimum: 1, maximum: 100_000 },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof STORE_LIMITS;

/** The limits a store runs with. */
export type StoreLimits = { readonly [K in LimitName]: number };

/** The limits of sending (pacing per chat and the global budget). */
export type SendLimits = Pick<
  StoreLimits,
  'chatRatePerSec' | 'chatBurst' | 'globalRatePerSec' | 'globalBurst'
>;

export const DEFAULT_STORE_LIMITS: StoreLimits = Object.freeze(
  Object.fromEntries(
    Object.entries(STORE_LIMITS).map(([name, spec]) => [name, spec.default]),
  ) as StoreLimits,
);

/** The order in which the library reads the limits (every call's second argument, see begin in base.lua). */
export const LIMIT_ORDER: readonly LimitName[] = Object.freeze(
  Object.keys(STORE_LIMITS) as LimitName[],
);
