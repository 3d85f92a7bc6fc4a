import type { Language, Outgoing, Stamp } from '@hamdam/domain';

/**
 * Who waits, who talks to whom, and what passes between them. Every method is one atomic step:
 * the state change, what it makes the bot say (queued in the outbox) and, when a stamp is
 * given, the update's de-duplication mark commit together or not at all, so a redelivered
 * update is recognised (`duplicate`) exactly when its first attempt committed. A banned user's
 * steps change nothing (`banned`); they are told so at most hourly (Find: once a minute). Every
 * update costs one token of the user's flood budget; over it, a step changes nothing
 * (`flooded`) and the user is told once per burst.
 */
export interface Pairing {
  /** /start: onboarding's next question, or a welcome. */
  start(request: StartRequest): Promise<StartResult>;
  /** Pairs the user at once with the longest-waiting compatible user, or queues them. */
  find(request: FindRequest): Promise<FindResult>;
  /** Ends the user's chat, or takes them out of the queue. */
  stop(request: Actor): Promise<StopResult>;
  /** A message: a copy for the partner, an age answer, or a reply to the user. */
  relay(request: RelayRequest): Promise<RelayResult>;
  /** An edited message: the partner's copy is edited too. */
  edit(request: EditRequest): Promise<EditResult>;
  /**
   * The user blocked the bot (a 403 on send, or a `my_chat_member` update): ends their chat or
   * queue place, tells the partner, and discards what was still owed to them.
   */
  botBlocked(chatId: number, stamp: Stamp | null): Promise<StopResult>;
}

/** Who a step is for: the chat whose update caused it, and its stamp (null for a step of the bot's own). */
export interface Actor {
  readonly chatId: number;
  readonly stamp: Stamp | null;
}

export type Common =
  { readonly kind: 'duplicate' } | { readonly kind: 'banned' } | { readonly kind: 'flooded' };

export interface StartRequest extends Actor {
  /** The language Telegram suggests for a new user. */
  readonly langHint: Language;
}

export type StartResult = Common | { readonly kind: 'onboarding' } | { readonly kind: 'welcome' };

export interface FindRequest extends Actor {
  /** `/next`: end the current chat first instead of answering "already chatting". */
  readonly next: boolean;
  readonly langHint: Language;
}

/** A chat that a step ended on the way (`/next`), and the copies owed in it that were dropped. */
export interface Ended {
  readonly endedPartner: number | null;
  readonly dropped: number;
}

export type FindResult =
  | Common
  | ({ readonly kind: 'onboarding' } & Ended)
  | ({ readonly kind: 'matched'; readonly partner: number; readonly waitedMs: number } & Ended)
  | ({ readonly kind: 'queued' } & Ended)
  | { readonly kind: 'already-queued' }
  | { readonly kind: 'already-chatting' };

export type StopResult =
  | Common
  | { readonly kind: 'ended'; readonly partner: number; readonly dropped: number }
  | { readonly kind: 'left-queue' }
  | { readonly kind: 'idle' };

export interface RelayRequest extends Actor {
  readonly messageId: number;
  /** Parts of one album share it; they reach the partner as one album. */
  readonly mediaGroup: string | null;
  /** The message this one replies to, in the sender's chat. */
  readonly replyTo: number | null;
  /** For a text: the age it states (or 'bad'), in case the bot asked for one. */
  readonly ageAnswer: number | 'bad' | null;
  /** A text that starts like a command but is none of the bot's: relayed in a chat. */
  readonly unknownCommand: boolean;
  /** Never passed on (it would reveal who the sender is): the sender is told. */
  readonly refused: boolean;
}

export type RelayResult =
  | Common
  | { readonly kind: 'relayed'; readonly partner: number }
  | { readonly kind: 'not-chatting' }
  | { readonly kind: 'onboarding' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'capped' }
  /** The text answered the bot's question for an age. */
  | { readonly kind: 'profile'; readonly outcome: string };

export interface EditRequest extends Actor {
  readonly messageId: number;
  /** editMessageText or editMessageCaption, without chat or message id. */
  readonly edit: Outgoing;
}

export type EditResult =
  | Common
  | { readonly kind: 'relayed'; readonly partner: number }
  | { readonly kind: 'not-chatting' }
  /** The partner is owed outboxCap copies already: dropped, the sender told once. */
  | { readonly kind: 'capped' };
