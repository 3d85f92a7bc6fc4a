import type { ReportReason } from '@hamdam/domain';
import type { Common, Actor } from './pairing.js';

/** Reports, blocks and bans. */
export interface Moderation {
  /** /report: ends the chat (if any) and asks why; the last partner can be reported for a while. */
  report(request: Actor): Promise<ReportResult>;
  /** The reason: recorded once per reporter; enough distinct reporters ban the reported user. */
  reportReason(request: ReasonRequest): Promise<ReasonResult>;
  /** /block: ends the chat; the two never meet again. */
  block(request: Actor): Promise<BlockResult>;
  /** Bans until an epoch ms, or for good (null): ends their chat or queue place, tells them. */
  ban(chatId: number, until: number | null, by: number): Promise<void>;
  /** Lifts a ban; false when there was none. */
  unban(chatId: number, by: number): Promise<boolean>;
}

export type ReportResult =
  Common | { readonly kind: 'asked'; readonly dropped: number } | { readonly kind: 'nothing' };

export interface ReasonRequest extends Actor {
  readonly reason: ReportReason;
  /** The chat the question was asked about (its sequence number, from the button). */
  readonly chat: number;
  readonly queryId: string;
}

export type ReasonResult =
  | Common
  | { readonly kind: 'reported'; readonly reportedBanned: boolean }
  | { readonly kind: 'again' }
  | { readonly kind: 'expired' };

export type BlockResult =
  Common | { readonly kind: 'blocked'; readonly dropped: number } | { readonly kind: 'nothing' };
