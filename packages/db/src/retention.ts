import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rows deleted by one statement: small enough to keep locks and WAL bursts short. */
const DELETE_BATCH = 1000;

/**
 * Deletes finished chats started, and reports made, before `before`, oldest first, in batches
 * of `batch` rows on the `started_at` and `created_at` indexes; at most `rounds` batches of
 * each per call, so one call stays short and the rest waits for the next. Resolves to what was
 * deleted.
 */
export async function purgeOlderThan(
  db: Kysely<Database>,
  before: Date,
  { batch = DELETE_BATCH, rounds = 10 }: { batch?: number; rounds?: number } = {},
): Promise<{ chats: number; reports: number }> {
  const reports = await inBatches(rounds, batch, async () => {
    const r = await db
      .deleteFrom('reports')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('reports')
          .select('id')
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(batch),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  const chats = await inBatches(rounds, batch, async () => {
    const r = await db
      .deleteFrom('chats')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('chats')
          .select('id')
          .where('started_at', '<', before)
          .orderBy('started_at')
          .limit(batch),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  return { chats, reports };
}

/** Runs a batch delete until it deletes less than a batch, at most `rounds` times. */
async function inBatches(
  rounds: number,
  batch: number,
  once: () => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    const n = await once();
    total += n;
    if (n < batch) break;
  }
  return total;
}

/**
 * Erases users who asked to be forgotten (/delete): their profile fields and every chat they
 * were in (on the `user_a` and `user_b` indexes). The row itself stays, without a profile, for
 * what must outlive the erasure: reports and bans about them and blocks, which name it.
 */
export async function eraseUsers(db: Kysely<Database>, userIds: readonly number[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .updateTable('users')
    .set({
      language_code: null,
      language: null,
      gender: null,
      age: null,
      wants: 'any',
      age_min: null,
      age_max: null,
      same_language: false,
      protect_content: false,
      onboarded_at: null,
    })
    .where('id', 'in', userIds)
    .execute();
  await db.deleteFrom('chats').where('user_a', 'in', userIds).execute();
  await db.deleteFrom('chats').where('user_b', 'in', userIds).execute();
}
