import type { Language, Outgoing, ReplyRef } from '@hamdam/domain';
import type { Actor } from './pairing.js';

/** What the bot says itself: a call, or a reply from the catalogue rendered when it is sent. */
export type Payload = Outgoing | ReplyRef;

/**
 * What the bot owes each chat, in order: its own notices first, then relayed copies. Entries
 * are appended by the atomic steps of the other ports (and by `say`) and drained by the
 * dispatchers of every worker: one sender per chat at a time (a lease), per-chat pacing and a
 * global budget, both shared by all workers.
 */
export interface Outbox {
  /** Queues replies to the user themselves, in this order, stamped like any other step. */
  say(request: SayRequest): Promise<'said' | 'duplicate' | 'banned' | 'flooded'>;
  /**
   * The dispatcher's round trip: removes the `delivered` heads (recording where copies
   * landed), then takes up to `limit` sendable heads, each leased to the caller for `leaseMs`,
   * and says when the earliest chat still owed something becomes sendable.
   */
  settle(delivered: readonly Delivered[], limit: number, leaseMs: number): Promise<Settled>;
  /** `settle` without acknowledgements. */
  claim(limit: number, leaseMs: number): Promise<Claimed[]>;
  /** The head was delivered (or is undeliverable for good): removes it. */
  ack(chatId: number, entryId: string): Promise<void>;
  /**
   * Keeps the head and makes the chat sendable again at `dueAt` (epoch ms); 'dropped' when it
   * was a copy whose chat ended meanwhile, which is never tried again.
   */
  defer(chatId: number, entryId: string, dueAt: number): Promise<'deferred' | 'dropped'>;
  /**
   * Extends the leases of entries this sender is still sending, so a slow call in flight is
   * never handed to another sender; only a dead sender's leases run out.
   */
  renew(held: readonly Pick<Delivered, 'chatId' | 'entryId'>[], leaseMs: number): Promise<void>;
  /** Epoch ms when the earliest queued chat becomes sendable; null when nothing is owed. */
  nextDue(): Promise<number | null>;
  /** Number of entries owed to one chat: its notices and its copies. */
  pending(chatId: number): Promise<{ notices: number; copies: number }>;
}

export interface SayRequest extends Actor {
  /** One message, or several committed together in this order; `kb=auto` in a reference takes the keyboard of the user's state. */
  readonly payload: Payload | readonly Payload[];
}

export interface Delivered {
  readonly chatId: number;
  readonly entryId: string;
  /** Settled without reaching the chat (a broadcast counts it as not delivered). */
  readonly failed?: boolean;
  /** For a copy: where its messages landed, to resolve later replies and edits. */
  readonly copies?: {
    readonly from: number;
    readonly pairs: readonly (readonly [source: number, copy: number])[];
  };
}

export interface Settled {
  readonly claimed: Claimed[];
  /** Epoch ms when the earliest chat still owed something becomes sendable; null when none. */
  readonly nextDue: number | null;
}

/** What an outbox entry asks for. */
export type OutboxItem =
  | { readonly kind: 'call'; readonly call: Outgoing }
  /** A broadcast's message: counted as delivered or not when settled. */
  | { readonly kind: 'broadcast'; readonly call: Outgoing }
  | { readonly kind: 'reply'; readonly ref: ReplyRef }
  /** Messages of `from` to copy: one, or an album's parts (copyMessages keeps them together). */
  | {
      readonly kind: 'copy';
      readonly from: number;
      readonly messageIds: readonly number[];
      readonly replyTo: number | null;
      readonly protect: boolean;
    }
  /** An edit of `from`'s message, to apply to its copy here. */
  | {
      readonly kind: 'edit';
      readonly from: number;
      readonly messageId: number;
      readonly call: Outgoing;
    };

export interface Claimed {
  readonly chatId: number;
  readonly entryId: string;
  /** Null when the entry cannot be read (a bug or a foreign writer): the sender drops it. */
  readonly item: OutboxItem | null;
  /** The recipient's language, to render replies in. */
  readonly lang: Language;
  /**
   * For a copy: the id, in this chat, of the message it replies to; for an edit: the id of the
   * copy to edit. Null when there is none (then an edit is dropped).
   */
  readonly resolvedId: number | null;
}
