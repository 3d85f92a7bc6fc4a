/**
 * Records for Postgres, appended by the atomic step that caused them (a chat ended) and moved
 * to Postgres in batches by a flusher, off the per-message path. Each worker reads as one
 * consumer of a group: an entry goes to one reader, and the entries of a reader that died
 * before acknowledging them are handed to another after `claimIdleMs`.
 */
export interface Journal {
  /** Up to `count` entries for this reader: first any abandoned by others, then new ones. */
  read(reader: string, count: number): Promise<JournalEntry[]>;
  /** Stored in Postgres: the entries will not be handed out again. */
  ack(ids: readonly string[]): Promise<void>;
}

export type JournalEntry = ChatEnded | UnknownEntry;

/** An entry of a kind this code does not know (written by a newer version): acknowledged and skipped. */
export interface UnknownEntry {
  readonly id: string;
  readonly kind: 'unknown';
}

export interface ChatEnded {
  readonly id: string;
  readonly kind: 'chat-ended';
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
