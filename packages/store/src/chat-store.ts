import type { Outgoing, Stamp } from '@hamdam/domain';

/**
 * The port every piece of shared chat state goes through. Each method is one atomic step:
 * the state change, the messages it causes (appended to the outbox) and, when a stamp is
 * given, the update's de-duplication mark are committed together or not at all. So a
 * redelivered update is recognised (`duplicate`) exactly when its first attempt committed.
 *
 * Two adapters implement it: Redis (Lua scripts on hash-tagged keys) for any number of
 * workers, and an in-process one for the embedded single-process default. One contract test
 * suite runs against both.
 */
export interface ChatStore {
  /**
   * Caches what matchmaking needs about a user. Idempotent; no stamp. A user waiting in the
   * queue moves to the bucket of the new profile in the same step, keeping their place in line.
   */
  setProfile(chatId: number, profile: StoredProfile): Promise<void>;
  getUser(chatId: number): Promise<UserState>;

  /** Pairs the user at once with the longest-waiting compatible user, or queues them. */
  find(request: FindRequest): Promise<FindResult>;
  /** Ends the user's chat, or takes them out of the queue. */
  stop(request: StopRequest): Promise<StopResult>;
  /** Passes a message on to the user's partner. */
  relay(request: RelayRequest): Promise<RelayResult>;
  /** Queues a reply to the user themselves. */
  say(request: SayRequest): Promise<'said' | 'duplicate'>;
  /**
   * The user blocked the bot (a 403 on send, or a `my_chat_member` update): ends their chat
   * or queue place, tells the partner, and discards what was still owed to them.
   */
  blocked(chatId: number, stamp: Stamp | null): Promise<BlockedResult>;

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
  /** Number of entries owed to one chat (for tests and the admin view). */
  pending(chatId: number): Promise<number>;

  readFsm(chatId: number): Promise<FsmRecord>;
  /** Compare-and-set on the version read; `next` null clears. False when someone else wrote. */
  writeFsm(
    chatId: number,
    expectedVersion: number,
    next: FsmState | null,
    ttlSeconds: number,
  ): Promise<boolean>;

  /** Chats that ended since the last call, for the Postgres flusher. */
  readEndedChats(limit: number): Promise<EndedChat[]>;
  ackEndedChats(ids: readonly string[]): Promise<void>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreLimits {
  /** A recent partner is skipped by matchmaking for this long. */
  readonly recentPartnerMs: number;
  /** Per-chat pacing: sustained sends per second and burst, as Telegram tolerates. */
  readonly chatRatePerSec: number;
  readonly chatBurst: number;
  /** Global send budget across all workers; 0 means unlimited. */
  readonly globalRatePerSec: number;
  readonly globalBurst: number;
}

export const DEFAULT_STORE_LIMITS = {
  recentPartnerMs: 120_000,
  chatRatePerSec: 1,
  chatBurst: 5,
  globalRatePerSec: 0,
  globalBurst: 100,
} as const satisfies StoreLimits;

export interface StoredProfile {
  /** Internal user id (Postgres), the only id that may appear in logs. */
  readonly uid: number;
  readonly bucket: string;
  readonly candidates: readonly string[];
}

export type UserStatus = 'idle' | 'queued' | 'chatting';

export interface UserState {
  readonly status: UserStatus;
  readonly partner: number | null;
  readonly uid: number | null;
  /** The profile's bucket, and the bucket of the queue the user waits in (if queued). */
  readonly bucket: string | null;
  readonly queuedIn: string | null;
}

/** What to send: an `Outgoing` call, or `@name` of a reply template the dispatcher renders. */
export type Payload = Outgoing | `@${string}`;

export interface FindRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
  /** `/next`: end the current chat first instead of answering "already chatting". */
  readonly next: boolean;
  /** Used when the user has no stored profile yet. */
  readonly fallback: StoredProfile;
}

export type FindResult =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'matched'; readonly partner: number; readonly endedPartner: number | null }
  | { readonly kind: 'queued'; readonly endedPartner: number | null }
  | { readonly kind: 'already-queued' }
  | { readonly kind: 'already-chatting' };

export interface StopRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
}

export type StopResult =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'ended'; readonly partner: number }
  | { readonly kind: 'left-queue' }
  | { readonly kind: 'idle' };

export interface RelayRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
  readonly payload: Payload;
}

export type RelayResult =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'relayed'; readonly partner: number }
  | { readonly kind: 'not-chatting' };

export interface SayRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
  /** One message, or several committed together in this order. */
  readonly payload: Payload | readonly Payload[];
}

/** Same outcomes as a stop: the chat ended, the user left the queue, or nothing to end. */
export type BlockedResult = StopResult;

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
  readonly payload: Payload;
}

export interface FsmState {
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface FsmRecord {
  /** 0 when the user never had a state; grows with every write, clears included. */
  readonly version: number;
  readonly state: FsmState | null;
}

export interface EndedChat {
  readonly id: string;
  /** Chat key, unique per pairing, so a record flushed twice is stored once. */
  readonly key: string;
  readonly a: number;
  readonly b: number;
  readonly uidA: number | null;
  readonly uidB: number | null;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly reason: string;
  readonly messagesA: number;
  readonly messagesB: number;
}
