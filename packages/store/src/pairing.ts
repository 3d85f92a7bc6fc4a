import type { Stamp } from '@hamdam/domain';
import type { Payload } from './outbox.js';

/**
 * Who is waiting, who talks to whom, and what passes between them. Every method is one atomic
 * step: the state change, the messages it causes (appended to the outbox) and, when a stamp is
 * given, the update's de-duplication mark commit together or not at all, so a redelivered
 * update is recognised (`duplicate`) exactly when its first attempt committed.
 */
export interface Pairing {
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
  /**
   * The user blocked the bot (a 403 on send, or a `my_chat_member` update): ends their chat
   * or queue place, tells the partner, and discards what was still owed to them.
   */
  blocked(chatId: number, stamp: Stamp | null): Promise<BlockedResult>;
}

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

/** Same outcomes as a stop: the chat ended, the user left the queue, or nothing to end. */
export type BlockedResult = StopResult;

export interface RelayRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
  readonly payload: Payload;
}

export type RelayResult =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'relayed'; readonly partner: number }
  | { readonly kind: 'not-chatting' };
