import type { Kysely } from 'kysely';
import { chunks } from './chunks.js';
import type { Database } from './schema.js';

/** A finished chat, as the bot flushes it from Redis. */
export interface ChatRecord {
  /** Unique per chat and chosen by the caller (e.g. the pair id), so a re-flush is a no-op. */
  readonly key: string;
  readonly userA: number;
  readonly userB: number;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly endReason: string | null;
  readonly messagesA: number;
  readonly messagesB: number;
}

/**
 * Stores finished chats in as few statements as possible. Rows whose key is already stored
 * are skipped, so a batch flushed twice (a worker died after writing but before it could
 * acknowledge) is stored once. Large batches go in several statements without a wrapping
 * transaction: a failure part-way is fixed by flushing the same batch again.
 * Resolves to the number of rows actually inserted.
 */
export async function recordChats(
  db: Kysely<Database>,
  rows: readonly ChatRecord[],
): Promise<{ inserted: number }> {
  let inserted = 0;
  for (const chunk of chunks(rows)) {
    const result = await db
      .insertInto('chats')
      .values(
        chunk.map((row) => ({
          key: row.key,
          user_a: row.userA,
          user_b: row.userB,
          started_at: row.startedAt,
          ended_at: row.endedAt,
          end_reason: row.endReason,
          messages_a: row.messagesA,
          messages_b: row.messagesB,
        })),
      )
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return { inserted };
}
