import type { Outgoing, ReplyRef, Stamp } from '@hamdam/domain';

/** What to send: an `Outgoing` call, or a reply from the catalogue, rendered at send time. */
export type Payload = Outgoing | ReplyRef;

/**
 * What the bot owes each chat, in order. Entries are appended by the atomic steps of the
 * pairing port (and by `say`), and drained by the dispatchers of every worker: one sender per
 * chat at a time (a lease), per-chat pacing and a global budget, both shared by all workers.
 */
export interface Outbox {
  /** Queues replies to the user themselves, in this order, stamped like any other step. */
  say(request: SayRequest): Promise<'said' | 'duplicate'>;
  /**
   * The dispatcher's round trip: removes the `delivered` heads, then takes up to `limit`
   * sendable heads, each leased to the caller for `leaseMs`, and says when the earliest chat
   * still owed something becomes sendable.
   */
  settle(delivered: readonly Delivered[], limit: number, leaseMs: number): Promise<Settled>;
  /** `settle` without acknowledgements. */
  claim(limit: number, leaseMs: number): Promise<Claimed[]>;
  /** The head was delivered (or is undeliverable for good): removes it. */
  ack(chatId: number, entryId: string): Promise<void>;
  /** Keeps the head and makes the chat sendable again at `dueAt` (epoch ms). */
  defer(chatId: number, entryId: string, dueAt: number): Promise<void>;
  /** Epoch ms when the earliest queued chat becomes sendable; null when nothing is owed. */
  nextDue(): Promise<number | null>;
  /** Number of entries owed to one chat. */
  pending(chatId: number): Promise<number>;
}

export interface SayRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
  /** One message, or several committed together in this order. */
  readonly payload: Payload | readonly Payload[];
}

export interface Delivered {
  readonly chatId: number;
  readonly entryId: string;
}

export interface Settled {
  readonly claimed: Claimed[];
  /** Epoch ms when the earliest chat still owed something becomes sendable; null when none. */
  readonly nextDue: number | null;
}

export interface Claimed {
  readonly chatId: number;
  readonly entryId: string;
  /** Null when the entry cannot be read (a bug or a foreign writer): the sender drops it. */
  readonly payload: Payload | null;
}

export interface SendLimits {
  /** Per-chat pacing: sustained sends per second and burst, as Telegram tolerates. */
  readonly chatRatePerSec: number;
  readonly chatBurst: number;
  /** Global send budget across all workers; 0 means unlimited. */
  readonly globalRatePerSec: number;
  readonly globalBurst: number;
}
