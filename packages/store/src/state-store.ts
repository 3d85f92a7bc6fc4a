import type { Journal } from './journal.js';
import type { Outbox, SendLimits } from './outbox.js';
import type { Pairing } from './pairing.js';

/** All shared state of hamdam, behind three narrow ports that share one connection. */
export interface StateStore {
  readonly pairing: Pairing;
  readonly outbox: Outbox;
  readonly journal: Journal;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreLimits extends SendLimits {
  /** A recent partner is skipped by matchmaking for this long. */
  readonly recentPartnerMs: number;
}

export const DEFAULT_STORE_LIMITS = {
  recentPartnerMs: 120_000,
  chatRatePerSec: 1,
  chatBurst: 5,
  globalRatePerSec: 0,
  globalBurst: 100,
} as const satisfies StoreLimits;
