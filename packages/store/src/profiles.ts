import type { Language, Profile, ProfileChange, Stamp } from '@hamdam/domain';
import type { Common, Actor } from './pairing.js';

/** Profiles: onboarding's answers, Settings' changes, and reading a user's state. */
export interface Profiles {
  /** What the store knows of a user now (a read; not a step). */
  view(chatId: number): Promise<UserView>;
  /**
   * One answer or change from a button. During onboarding the next question follows (or a
   * pending Find runs); a waiting user's new filters are matched at once, keeping their place.
   */
  change(request: ChangeRequest): Promise<ChangeResult>;
  /**
   * Rebuilds a user the store lost from what Postgres saved: the profile, who they must not
   * meet, a ban. Never over live state; true when it rebuilt.
   */
  restore(chatId: number, saved: RestoredUser): Promise<boolean>;
  /**
   * /delete, confirmed: ends the chat or queue place and erases the user's record but who they
   * must never meet, reports and bans; Postgres follows through the journal.
   */
  erase(request: Actor & { readonly queryId: string }): Promise<EraseResult>;
  /** Settings' "change age": the next text is the new age (not during a chat). */
  askAge(request: Actor & { readonly queryId: string }): Promise<AskAgeResult>;
}

export type UserStatus = 'idle' | 'queued' | 'chatting';

export interface UserView {
  readonly status: UserStatus;
  readonly partner: number | null;
  readonly lang: Language | null;
  /** The whole profile once onboarding is done; null before. */
  readonly profile: Profile | null;
  /** Epoch ms a ban ends, 'forever', or null when not banned. */
  readonly bannedUntil: number | 'forever' | null;
  /** The queue the user waits in, when queued. */
  readonly queuedIn: string | null;
}

export interface ChangeRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
  readonly change: ProfileChange;
  readonly onboarding: boolean;
  /** The button press to answer. */
  readonly queryId: string;
  /**
   * The message the button is on, when Telegram says: onboarding's next question replaces it
   * (edited in place), so the answered question keeps no buttons to press twice.
   */
  readonly messageId: number | null;
}

export type ChangeResult =
  | Common
  | { readonly kind: 'asked' | 'done' | 'saved' | 'queued' }
  /** An onboarding button pressed after onboarding ended: nothing changed. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'matched'; readonly partner: number };

export type EraseResult =
  | Common
  | { readonly kind: 'erased'; readonly endedPartner: number | null; readonly dropped: number };

export type AskAgeResult = 'asked' | 'refused' | 'duplicate' | 'banned' | 'flooded';

export interface RestoredUser {
  readonly profile: Profile;
  /** Chats this user never meets. */
  readonly apart: readonly number[];
  /** Epoch ms a ban ends, 'forever', or null. */
  readonly bannedUntil: number | 'forever' | null;
  /** Who banned them, so they are told which; null when unknown. */
  readonly bannedBy: BanReason | null;
}

/** Who banned a user: an admin, or enough reports. */
export type BanReason = 'admin' | 'reports';
