import type { Broadcasts } from './broadcasts.js';
import type { Journal } from './journal.js';
import type { Moderation } from './moderation.js';
import type { Outbox, SendLimits } from './outbox.js';
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

/** The numbers the rules run on; each is a configuration variable of the bot. */
export interface StoreLimits extends SendLimits {
  /** A recent partner is skipped by matchmaking for this long. */
  readonly recentPartnerMs: number;
  /** A chat nobody wrote in for this long ends. */
  readonly idleChatMs: number;
  /** A queue place whose user did nothing for this long expires. */
  readonly queueIdleMs: number;
  /** After this long in the queue, age range and language filters widen; 0: never. */
  readonly widenAfterMs: number;
  /**
   * Flood control, one budget per user over everything they make the bot do (messages,
   * commands, button presses; an album counts once): updates at once, and per minute after that.
   */
  readonly floodBurst: number;
  readonly floodPerMinute: number;
  /** Relayed copies one chat may be owed; past it, new ones are dropped. */
  readonly outboxCap: number;
  /** The bot's own notices one chat may be owed; past it, new ones are dropped. */
  readonly noticeCap: number;
  /** This many distinct reporters within the window ban a user for reportBanMs. */
  readonly reportThreshold: number;
  readonly reportWindowMs: number;
  readonly reportBanMs: number;
  /** A chat's last partner can be reported for this long after it ended. */
  readonly reportableMs: number;
  /** How long replies and edits can find the copy of a message. */
  readonly messageMapMs: number;
  /**
   * How many members of a candidate queue matchmaking reads at a time (it reads on only past
   * those the finder may not meet).
   */
  readonly scanDepth: number;
  /** How long an album's first part waits for the rest before it is sent. */
  readonly albumWaitMs: number;
  /** A banned user who presses Find is told so again after this long (anything else: hourly). */
  readonly banRetoldMs: number;
}

export const DEFAULT_STORE_LIMITS = {
  recentPartnerMs: 120_000,
  idleChatMs: 30 * 60_000,
  queueIdleMs: 15 * 60_000,
  widenAfterMs: 0,
  floodBurst: 20,
  floodPerMinute: 40,
  outboxCap: 50,
  noticeCap: 30,
  reportThreshold: 3,
  reportWindowMs: 24 * 3_600_000,
  reportBanMs: 24 * 3_600_000,
  reportableMs: 10 * 60_000,
  messageMapMs: 48 * 3_600_000,
  scanDepth: 16,
  albumWaitMs: 700,
  banRetoldMs: 60_000,
  chatRatePerSec: 1,
  chatBurst: 5,
  globalRatePerSec: 0,
  globalBurst: 100,
} as const satisfies StoreLimits;

/** The order in which the library reads the limits (every call's second argument, see begin in base.lua). */
export const LIMIT_ORDER = [
  'recentPartnerMs',
  'idleChatMs',
  'queueIdleMs',
  'widenAfterMs',
  'floodBurst',
  'floodPerMinute',
  'outboxCap',
  'noticeCap',
  'reportThreshold',
  'reportWindowMs',
  'reportBanMs',
  'reportableMs',
  'messageMapMs',
  'scanDepth',
  'albumWaitMs',
  'banRetoldMs',
  'chatRatePerSec',
  'chatBurst',
  'globalRatePerSec',
  'globalBurst',
] as const satisfies readonly (keyof StoreLimits)[];
