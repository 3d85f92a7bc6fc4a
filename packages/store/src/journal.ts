/**
 * Records for Postgres, appended by the atomic step that caused them and moved to Postgres in
 * batches by a flusher, off the per-message path. Each worker reads as one consumer of a
 * group: an entry goes to one reader, and the entries of a reader that died before
 * acknowledging them are handed to another after a while. Users are named by chat id (their
 * Telegram id); the flusher finds or creates their rows.
 */
export interface Journal {
  /** Up to `count` entries for this reader: first any abandoned by others, then new ones. */
  read(reader: string, count: number): Promise<JournalEntry[]>;
  /** Stored in Postgres: the entries will not be handed out again. */
  ack(ids: readonly string[]): Promise<void>;
}

export type JournalEntry =
  | ChatEnded
  | ProfileSaved
  | ReportMade
  | BlockMade
  | BanChanged
  | BotBlocked
  | BotStarted
  | Erased
  | UnknownEntry;

interface Base {
  readonly id: string;
  /** When the step ran (epoch ms). */
  readonly at: number;
}

export interface ChatEnded extends Base {
  readonly kind: 'chat-ended';
  /** Chat key, unique per pairing, so a record flushed twice is stored once. */
  readonly key: string;
  readonly a: number;
  readonly b: number;
  readonly startedAt: number;
  readonly reason: string;
  readonly messagesA: number;
  readonly messagesB: number;
}

export interface ProfileSaved extends Base {
  readonly kind: 'profile';
  readonly chat: number;
  readonly lang: string | null;
  readonly gender: string | null;
  readonly age: number | null;
  readonly wants: string | null;
  readonly ageMin: number | null;
  readonly ageMax: number | null;
  readonly sameLanguage: boolean;
  readonly protect: boolean;
}

export interface ReportMade extends Base {
  readonly kind: 'report';
  readonly reporter: number;
  readonly reported: number;
  readonly reason: string;
}

export interface BlockMade extends Base {
  readonly kind: 'block';
  readonly blocker: number;
  readonly blocked: number;
}

export interface BanChanged extends Base {
  readonly kind: 'ban' | 'unban';
  readonly chat: number;
  /** Epoch ms the ban ends; null for good (and for an unban). */
  readonly until: number | null;
  readonly reason: string;
  /** The admin's Telegram id; null when the bot banned (reports). */
  readonly by: number | null;
}

export interface BotBlocked extends Base {
  readonly kind: 'bot-blocked';
  readonly chat: number;
}

/** The user sent /start: whoever blocked the bot before has come back and can be reached. */
export interface BotStarted extends Base {
  readonly kind: 'started';
  readonly chat: number;
}

/** A user erased their record (/delete): their profile and chats go from Postgres too. */
export interface Erased extends Base {
  readonly kind: 'erase';
  readonly chat: number;
}

/** An entry of a kind this code does not know (written by a newer version): acknowledged and skipped. */
export interface UnknownEntry {
  readonly id: string;
  readonly kind: 'unknown';
}
